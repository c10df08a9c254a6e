/* Canonical RAS reorientation by axis permutation and flips (no resampling),
 * and the way back to the file's own grid. */
#include <stdlib.h>
#include <string.h>

#include "io_internal.h"

void csf_io_canonical_axes(const double *a16, int perm[3], int flip[3])
{
    char code[4];
    csf_affine_orient_code(a16, code);
    static const char pos[3] = {'R', 'A', 'S'}, neg[3] = {'L', 'P', 'I'};
    for (int c = 0; c < 3; c++)
        for (int r = 0; r < 3; r++) {
            if (code[c] == pos[r] || code[c] == neg[r]) {
                perm[r] = c;
                flip[r] = code[c] == neg[r];
            }
        }
}

void csf_io_canonical_affine(const double *a16, const size_t fdim[3], const int perm[3],
                             const int flip[3], double out[4][4])
{
#define affine(r, c) a16[(r) * 4 + (c)]
    memset(out, 0, 16 * sizeof(double));
    for (int row = 0; row < 3; row++) {
        out[row][3] = affine(row, 3);
        for (int a = 0; a < 3; a++) {
            int c = perm[a];
            out[row][a] = flip[a] ? -affine(row, c) : affine(row, c);
            /* canonical index 0 on a flipped axis is the file's last voxel */
            if (flip[a])
                out[row][3] += affine(row, c) * (double)(fdim[c] - 1);
        }
    }
    out[3][3] = 1.0;
#undef affine
}

typedef struct scatter_ctx {
    const csf_volume *can;
    float *dst;
    ptrdiff_t step[3]; /* file-index step per canonical axis */
    ptrdiff_t base;    /* file index of canonical voxel 0 */
    size_t fvox;       /* voxels per file frame */
} scatter_ctx;

static csf_status scatter_range(void *vctx, size_t chunk, size_t begin, size_t end,
                                csf_error *err)
{
    const scatter_ctx *c = vctx;
    const size_t nx = c->can->dim[0], ny = c->can->dim[1], nz = c->can->dim[2];
    for (size_t s = begin; s < end; s++) { /* s = t * nz + z */
        size_t z = s % nz, t = s / nz;
        const float *src = c->can->data + s * nx * ny;
        float *dst = c->dst + t * c->fvox;
        for (size_t y = 0; y < ny; y++) {
            ptrdiff_t fi = c->base + (ptrdiff_t)z * c->step[2] + (ptrdiff_t)y * c->step[1];
            for (size_t x = 0; x < nx; x++, fi += c->step[0])
                dst[fi] = src[y * nx + x];
        }
    }
    return CSF_OK;
}

csf_status csf_io_to_source(const csf_volume *vol, const csf_io_source *src, csf_volume **out,
                            const csf_exec *ex, csf_error *err)
{
    if (vol == NULL || src == NULL || out == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_io_to_source: NULL argument");
    for (int a = 0; a < 3; a++) {
        int c = src->perm[a];
        if (c < 0 || c > 2 || vol->dim[a] != src->dim[c])
            return csf_error_set(err, CSF_ERR_INVALID_ARG,
                                 "volume %zux%zux%zu does not match the grid of '%s'", vol->dim[0],
                                 vol->dim[1], vol->dim[2], src->path);
    }
    size_t fdim[4] = {src->dim[0], src->dim[1], src->dim[2], vol->dim[3]};
    double sp[3] = {vol->spacing[src->perm[0]], 0, 0};
    for (int a = 0; a < 3; a++)
        sp[src->perm[a]] = vol->spacing[a];
    csf_volume *f = NULL;
    csf_status st = csf_volume_new(fdim, sp, &f, err);
    if (st != CSF_OK)
        return st;
    memcpy(f->affine, src->affine, sizeof f->affine);
    csf_volume_spacing_from_affine(f);
    const ptrdiff_t stride[3] = {1, (ptrdiff_t)fdim[0], (ptrdiff_t)(fdim[0] * fdim[1])};
    scatter_ctx c = {.can = vol, .dst = f->data, .fvox = fdim[0] * fdim[1] * fdim[2]};
    for (int a = 0; a < 3; a++) {
        int fa = src->perm[a];
        c.step[a] = src->flip[a] ? -stride[fa] : stride[fa];
        if (src->flip[a])
            c.base += stride[fa] * (ptrdiff_t)(fdim[fa] - 1);
    }
    st = csf_parallel_for(ex, vol->dim[2] * vol->dim[3], 8, scatter_range, &c, err);
    if (st != CSF_OK) {
        csf_volume_free(f);
        return st;
    }
    *out = f;
    return CSF_OK;
}

csf_status csf_io_write_nifti_source(const char *path, const csf_volume *vol,
                                     const csf_io_source *src, csf_dtype dtype,
                                     const csf_exec *ex, csf_error *err)
{
    csf_volume *f = NULL;
    csf_status st = csf_io_to_source(vol, src, &f, ex, err);
    if (st != CSF_OK)
        return st;
    st = csf_io_write_nifti(path, f, dtype, err);
    csf_volume_free(f);
    return st;
}
