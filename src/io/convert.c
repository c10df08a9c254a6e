/* Stored NIfTI voxels -> float32 on the canonical RAS grid, in one pass:
 * datatype conversion, scl_slope/inter and the axis permutation together, so
 * the reader makes no intermediate copy. Parallel over output slices; every
 * voxel is computed independently, so the result does not depend on threads. */
#include <math.h>
#include <nifti2_io.h>
#include <stdlib.h>
#include <string.h>

#include "io_internal.h"

typedef struct convert_ctx {
    const csf_io_convert *cv;
    csf_volume *vol;
    ptrdiff_t step[3]; /* file-index step per canonical axis */
    ptrdiff_t base;    /* file index of canonical voxel (0,0,0) */
    size_t fvox;       /* voxels per frame */
    int scaled;
    size_t *bad;       /* per chunk count of non-finite results */
} convert_ctx;

/* memcpy loads: vox_offset need not align the data to the type size. */
#define CSF_DEFINE_CONVERT(NAME, T, CHECK)                                                     \
    static size_t NAME(const convert_ctx *c, size_t s)                                        \
    {                                                                                          \
        const size_t nx = c->vol->dim[0], ny = c->vol->dim[1], nz = c->vol->dim[2];            \
        const size_t z = s % nz, t = s / nz;                                                   \
        const unsigned char *raw = c->cv->raw + t * c->fvox * sizeof(T);                       \
        float *dst = c->vol->data + s * nx * ny;                                               \
        const double sl = c->cv->slope, in = c->cv->inter;                                     \
        size_t bad = 0;                                                                        \
        for (size_t y = 0; y < ny; y++) {                                                      \
            ptrdiff_t fi = c->base + (ptrdiff_t)z * c->step[2] + (ptrdiff_t)y * c->step[1];    \
            float *o = dst + y * nx;                                                           \
            const unsigned char *p = raw + fi * (ptrdiff_t)sizeof(T);                          \
            const ptrdiff_t st = c->step[0] * (ptrdiff_t)sizeof(T);                            \
            if (!c->scaled && st == (ptrdiff_t)sizeof(T)) {                                    \
                for (size_t x = 0; x < nx; x++) {                                              \
                    T v;                                                                       \
                    memcpy(&v, p + x * sizeof(T), sizeof v);                                   \
                    o[x] = (float)v;                                                           \
                }                                                                              \
            } else if (!c->scaled) {                                                           \
                for (size_t x = 0; x < nx; x++, p += st) {                                     \
                    T v;                                                                       \
                    memcpy(&v, p, sizeof v);                                                   \
                    o[x] = (float)v;                                                           \
                }                                                                              \
            } else {                                                                           \
                for (size_t x = 0; x < nx; x++, p += st) {                                     \
                    T v;                                                                       \
                    memcpy(&v, p, sizeof v);                                                   \
                    o[x] = (float)((double)v * sl + in);                                       \
                }                                                                              \
            }                                                                                  \
            if ((CHECK) || c->scaled)                                                          \
                for (size_t x = 0; x < nx; x++)                                                \
                    bad += !isfinite(o[x]);                                                    \
        }                                                                                      \
        return bad;                                                                            \
    }

CSF_DEFINE_CONVERT(conv_u8, uint8_t, 0)
CSF_DEFINE_CONVERT(conv_i8, int8_t, 0)
CSF_DEFINE_CONVERT(conv_i16, int16_t, 0)
CSF_DEFINE_CONVERT(conv_u16, uint16_t, 0)
CSF_DEFINE_CONVERT(conv_i32, int32_t, 0)
CSF_DEFINE_CONVERT(conv_u32, uint32_t, 0)
CSF_DEFINE_CONVERT(conv_i64, int64_t, 0)
CSF_DEFINE_CONVERT(conv_u64, uint64_t, 0)
CSF_DEFINE_CONVERT(conv_f32, float, 1)
CSF_DEFINE_CONVERT(conv_f64, double, 1)

typedef size_t (*conv_fn)(const convert_ctx *c, size_t s);

static conv_fn pick(int datatype)
{
    switch (datatype) {
    case DT_UINT8: return conv_u8;
    case DT_INT8: return conv_i8;
    case DT_INT16: return conv_i16;
    case DT_UINT16: return conv_u16;
    case DT_INT32: return conv_i32;
    case DT_UINT32: return conv_u32;
    case DT_INT64: return conv_i64;
    case DT_UINT64: return conv_u64;
    case DT_FLOAT32: return conv_f32;
    case DT_FLOAT64: return conv_f64;
    default: return NULL;
    }
}

const char *csf_io_dtype_name(int datatype)
{
    switch (datatype) {
    case DT_UINT8: return "uint8";
    case DT_INT8: return "int8";
    case DT_INT16: return "int16";
    case DT_UINT16: return "uint16";
    case DT_INT32: return "int32";
    case DT_UINT32: return "uint32";
    case DT_INT64: return "int64";
    case DT_UINT64: return "uint64";
    case DT_FLOAT32: return "float32";
    case DT_FLOAT64: return "float64";
    default: return NULL;
    }
}

static csf_status convert_range(void *vctx, size_t chunk, size_t begin, size_t end,
                                csf_error *err)
{
    const convert_ctx *c = vctx;
    conv_fn fn = pick(c->cv->datatype);
    size_t bad = 0;
    for (size_t s = begin; s < end; s++)
        bad += fn(c, s);
    c->bad[chunk] = bad;
    return CSF_OK;
}

csf_status csf_io_convert_run(const csf_io_convert *cv, csf_volume *vol, const csf_exec *ex,
                              size_t *nonfinite, csf_error *err)
{
    if (pick(cv->datatype) == NULL)
        return csf_error_set(err, CSF_ERR_UNSUPPORTED, "datatype %d is not supported",
                             cv->datatype);
    convert_ctx c = {.cv = cv, .vol = vol};
    c.fvox = cv->fdim[0] * cv->fdim[1] * cv->fdim[2];
    c.scaled = !(cv->slope == 1.0 && cv->inter == 0.0);
    const ptrdiff_t stride[3] = {1, (ptrdiff_t)cv->fdim[0], (ptrdiff_t)(cv->fdim[0] * cv->fdim[1])};
    for (int a = 0; a < 3; a++) {
        int fa = cv->perm[a];
        c.step[a] = cv->flip[a] ? -stride[fa] : stride[fa];
        if (cv->flip[a])
            c.base += stride[fa] * (ptrdiff_t)(cv->fdim[fa] - 1);
    }
    size_t nslices = vol->dim[2] * vol->dim[3];
    size_t slice = vol->dim[0] * vol->dim[1];
    /* ~256 K voxels per chunk: enough work per task, fixed by the data size */
    size_t grain = slice >= (1u << 18) ? 1 : (1u << 18) / slice;
    size_t nchunks = (nslices + grain - 1) / grain;
    c.bad = calloc(nchunks, sizeof *c.bad);
    if (c.bad == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    csf_status st = csf_parallel_for(ex, nslices, grain, convert_range, &c, err);
    size_t total = 0;
    for (size_t i = 0; i < nchunks; i++)
        total += c.bad[i];
    free(c.bad);
    *nonfinite = total;
    return st;
}
