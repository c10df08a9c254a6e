/* Maximum- and mean-intensity projections over a slab. Rays along y and z
 * are reduced element-wise over whole rows (contiguous, vectorisable); rays
 * along x are reduced with a fixed pattern of independent accumulators.
 * Each output pixel is one ray reduced in a fixed order, so the result does
 * not depend on the thread count. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/img_filter.h"
#include "simd_internal.h"

/* Target number of input voxels per chunk. */
#define PROJ_GRAIN_VOX ((size_t)1 << 16)
/* Output pixels per block of a z projection: the accumulators stay in L2
 * (256 KiB for max; float + double rows for mean) while whole 256 KiB runs of
 * each slice stream past. */
#define PROJ_ROW_BLOCK ((size_t)1 << 16)

typedef struct proj_ctx {
    const float *src;
    float *dst;
    size_t nx, ny, nz, first, last;
    csf_project_mode mode;
} proj_ctx;

static float ray_max(const float *x, size_t n)
{
    float m[8] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY,
                  -INFINITY, -INFINITY, -INFINITY, -INFINITY};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++)
            m[k] = x[i + k] > m[k] ? x[i + k] : m[k];
    for (; i < n; i++)
        m[0] = x[i] > m[0] ? x[i] : m[0];
    for (int k = 1; k < 8; k++)
        m[0] = m[k] > m[0] ? m[k] : m[0];
    return m[0];
}

static double ray_sum(const float *x, size_t n)
{
    double s[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int k = 0; k < 4; k++)
            s[k] += x[i + k];
    for (; i < n; i++)
        s[0] += x[i];
    return (s[0] + s[1]) + (s[2] + s[3]);
}

/* Rays along x: one output pixel per (y, z) line. */
CSF_HOT static csf_status along_x(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    (void)err;
    const proj_ctx *c = vctx;
    const size_t len = c->last - c->first + 1;
    for (size_t line = b; line < e; line++) {
        const float *x = c->src + line * c->nx + c->first;
        c->dst[line] = c->mode == CSF_PROJECT_MAX ? ray_max(x, len)
                                                  : (float)(ray_sum(x, len) / (double)len);
    }
    return CSF_OK;
}

/* d[0..len) is the reduction over k in [first, last] of the rows
 * src + k * k_stride (element-wise, contiguous: vectorisable). */
CSF_HOT static csf_status reduce_block(const proj_ctx *c, const float *src, float *d, size_t len,
                               size_t k_stride, csf_error *err)
{
    const float *s = src + c->first * k_stride;
    const size_t nk = c->last - c->first + 1;
    if (c->mode == CSF_PROJECT_MAX) {
        /* from -inf, not from the first row: a NaN there would stick */
        for (size_t i = 0; i < len; i++)
            d[i] = -INFINITY;
        for (size_t k = 0; k < nk; k++) {
            const float *row = s + k * k_stride;
            for (size_t i = 0; i < len; i++)
                d[i] = row[i] > d[i] ? row[i] : d[i];
        }
        return CSF_OK;
    }
    /* slices are added in float in groups of 8 (vectorisable, 4 lanes per
     * instruction), the groups in double: error <= 8 float roundings of a
     * group, far below the float output's own rounding for typical data */
    double *acc = calloc(len, sizeof *acc);
    float *part = malloc(len * sizeof *part);
    if (acc == NULL || part == NULL) {
        free(acc);
        free(part);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate a projection row");
    }
    for (size_t k0 = 0; k0 < nk; k0 += 8) {
        const size_t k1 = k0 + 8 < nk ? k0 + 8 : nk;
        if (k1 - k0 == 8) { /* one fused pass: same additions, no stores between */
            const float *q = s + k0 * k_stride;
            const size_t ks = k_stride;
            for (size_t i = 0; i < len; i++)
                acc[i] += (double)((((((((q[i] + q[ks + i]) + q[2 * ks + i]) + q[3 * ks + i]) +
                                     q[4 * ks + i]) + q[5 * ks + i]) + q[6 * ks + i]) +
                                   q[7 * ks + i]));
            continue;
        }
        memcpy(part, s + k0 * k_stride, len * sizeof *part);
        for (size_t k = k0 + 1; k < k1; k++) {
            const float *row = s + k * k_stride;
            for (size_t i = 0; i < len; i++)
                part[i] += row[i];
        }
        for (size_t i = 0; i < len; i++)
            acc[i] += part[i];
    }
    for (size_t i = 0; i < len; i++)
        d[i] = (float)(acc[i] / (double)nk);
    free(acc);
    free(part);
    return CSF_OK;
}

/* Rays along y: output row z is reduced from rows (y, z), y in the slab. */
static csf_status along_y(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    const proj_ctx *c = vctx;
    csf_status st = CSF_OK;
    for (size_t z = b; z < e && st == CSF_OK; z++)
        st = reduce_block(c, c->src + z * c->nx * c->ny, c->dst + z * c->nx, c->nx, c->nx, err);
    return st;
}

/* Rays along z: output rows [b, e) are one contiguous block in every slice. */
static csf_status along_z(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    const proj_ctx *c = vctx;
    return reduce_block(c, c->src + b * c->nx, c->dst + b * c->nx, (e - b) * c->nx,
                        c->nx * c->ny, err);
}

csf_status csf_img_project(const csf_volume *in, int axis, size_t first, size_t last,
                           csf_project_mode mode, csf_volume **out, const csf_exec *ex,
                           csf_error *err)
{
    if (in == NULL || out == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_img_project: NULL argument");
    if (axis < 0 || axis > 2 || (mode != CSF_PROJECT_MAX && mode != CSF_PROJECT_MEAN))
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "projection axis %d or mode %d is invalid",
                             axis, (int)mode);
    const size_t n = in->dim[axis];
    if (last >= n)
        last = n - 1;
    if (first > last)
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "projection slab starts at slice %zu, after its end %zu", first, last);
    size_t dim[4] = {in->dim[0], in->dim[1], in->dim[2], 1};
    dim[axis] = 1;
    csf_volume *v = NULL;
    csf_status st = csf_volume_new(dim, in->spacing, &v, err);
    if (st != CSF_OK)
        return st;
    memcpy(v->affine, in->affine, sizeof v->affine);
    for (int r = 0; r < 3; r++) /* origin moves to the slab's first slice */
        v->affine[r][3] += in->affine[r][axis] * (double)first;
    proj_ctx c = {in->data, v->data, in->dim[0], in->dim[1], in->dim[2], first, last, mode};
    const size_t len = last - first + 1;
    if (axis == 0)
        st = csf_parallel_for(ex, c.ny * c.nz, PROJ_GRAIN_VOX / len + 1, along_x, &c, err);
    else if (axis == 1)
        st = csf_parallel_for(ex, c.nz, PROJ_GRAIN_VOX / (len * c.nx) + 1, along_y, &c, err);
    else
        st = csf_parallel_for(ex, c.ny, (mode == CSF_PROJECT_MAX ? PROJ_ROW_BLOCK : PROJ_ROW_BLOCK / 2) / c.nx + 1,
                              along_z, &c, err);
    if (st != CSF_OK) {
        csf_volume_free(v);
        return st;
    }
    *out = v;
    return CSF_OK;
}
