/* Separable Gaussian smoothing, one 1D pass per axis. Each pass copies the
 * input lines of one chunk into a private buffer before writing, so the
 * second and third passes run in place on `out` and the whole filter needs
 * no second volume. Every output voxel is summed in the same fixed order
 * (centre, then symmetric pairs outwards) whatever the thread count. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/img_filter.h"
#include "simd_internal.h"

/* Voxels per chunk for the line-wise x pass. */
#define GAUSS_GRAIN_VOX ((size_t)1 << 16)

typedef struct gauss_ctx {
    const float *src;
    float *dst;
    size_t nx, ny, nz;
    const float *w; /* w[0..r], w[j] for offsets +-j */
    size_t r;
} gauss_ctx;

/* Index of i in [-r, n + r) under half-sample symmetric reflection
 * (d c b a | a b c d | d c b a), repeated as often as r needs. */
static size_t reflect(long i, size_t n)
{
    long p = 2 * (long)n, m = i % p;
    if (m < 0)
        m += p;
    return (size_t)(m < (long)n ? m : p - 1 - m);
}

/* dst[0..len) = sum over j of w[j] * (row(-j) + row(+j)); rows[k] points at
 * the line at offset k - r. */
CSF_HOT static void combine_rows(float *dst, const float *const *rows, const float *w, size_t r, size_t len)
{
    const float *c = rows[r];
    for (size_t i = 0; i < len; i++)
        dst[i] = w[0] * c[i];
    for (size_t j = 1; j <= r; j++) {
        const float *a = rows[r - j], *b = rows[r + j];
        const float wj = w[j];
        for (size_t i = 0; i < len; i++)
            dst[i] += wj * (a[i] + b[i]);
    }
}

CSF_HOT static csf_status pass_x(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    const gauss_ctx *c = vctx;
    const size_t nx = c->nx, r = c->r;
    float *buf = malloc((nx + 2 * r) * sizeof *buf);
    if (buf == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate a smoothing line");
    for (size_t line = b; line < e; line++) {
        const float *s = c->src + line * nx;
        float *d = c->dst + line * nx;
        memcpy(buf + r, s, nx * sizeof *buf);
        for (size_t i = 0; i < r; i++) { /* only the pads need reflecting */
            buf[i] = s[reflect((long)i - (long)r, nx)];
            buf[r + nx + i] = s[reflect((long)(nx + i), nx)];
        }
        const float *mid = buf + r;
        for (size_t i = 0; i < nx; i++)
            d[i] = c->w[0] * mid[i];
        for (size_t j = 1; j <= r; j++) {
            const float wj = c->w[j], *lo = mid - j, *hi = mid + j;
            for (size_t i = 0; i < nx; i++)
                d[i] += wj * (lo[i] + hi[i]);
        }
    }
    free(buf);
    return CSF_OK;
}

/* Shared by the y and z passes: `nrow` rows of `len` floats, row k of the
 * chunk at src + k * stride, are copied out, then filtered back along k. */
static csf_status pass_rows(const gauss_ctx *c, const float *src, float *dst, size_t nrow,
                            size_t len, size_t stride, csf_error *err)
{
    const size_t r = c->r;
    float *tmp = malloc(nrow * len * sizeof *tmp);
    const float **rows = malloc((2 * r + 1) * sizeof *rows);
    if (tmp == NULL || rows == NULL) {
        free(tmp);
        free(rows);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate a smoothing slab");
    }
    for (size_t k = 0; k < nrow; k++)
        memcpy(tmp + k * len, src + k * stride, len * sizeof *tmp);
    for (size_t k = 0; k < nrow; k++) {
        for (size_t q = 0; q <= 2 * r; q++)
            rows[q] = tmp + reflect((long)k + (long)q - (long)r, nrow) * len;
        combine_rows(dst + k * stride, rows, c->w, r, len);
    }
    free(tmp);
    free(rows);
    return CSF_OK;
}

static csf_status pass_y(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    const gauss_ctx *c = vctx;
    const size_t plane = c->nx * c->ny;
    for (size_t z = b; z < e; z++) {
        csf_status st = pass_rows(c, c->src + z * plane, c->dst + z * plane, c->ny, c->nx,
                                  c->nx, err);
        if (st != CSF_OK)
            return st;
    }
    return CSF_OK;
}

static csf_status pass_z(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    const gauss_ctx *c = vctx;
    for (size_t y = b; y < e; y++) {
        csf_status st = pass_rows(c, c->src + y * c->nx, c->dst + y * c->nx, c->nz, c->nx,
                                  c->nx * c->ny, err);
        if (st != CSF_OK)
            return st;
    }
    return CSF_OK;
}

/* Normalised half kernel; radius as scipy.ndimage: floor(4 sigma + 0.5). */
static float *make_kernel(double sigma_vox, size_t *radius)
{
    size_t r = (size_t)(4.0 * sigma_vox + 0.5);
    float *w = malloc((r + 1) * sizeof *w);
    if (w == NULL)
        return NULL;
    double sum = 0;
    for (size_t j = 0; j <= r; j++) {
        double g = exp(-0.5 * (double)j * (double)j / (sigma_vox * sigma_vox));
        sum += j == 0 ? g : 2 * g;
    }
    for (size_t j = 0; j <= r; j++)
        w[j] = (float)(exp(-0.5 * (double)j * (double)j / (sigma_vox * sigma_vox)) / sum);
    *radius = r;
    return w;
}

static csf_status check_args(const csf_volume *in, const double sigma_mm[3],
                             const csf_volume *out, csf_error *err)
{
    if (in == NULL || sigma_mm == NULL || out == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_img_gaussian: NULL argument");
    for (int a = 0; a < 3; a++) {
        if (out->dim[a] != in->dim[a])
            return csf_error_set(err, CSF_ERR_INVALID_ARG,
                                 "smoothing output is %zux%zux%zu, input %zux%zux%zu",
                                 out->dim[0], out->dim[1], out->dim[2], in->dim[0],
                                 in->dim[1], in->dim[2]);
        if (!(isfinite(sigma_mm[a]) && sigma_mm[a] >= 0))
            return csf_error_set(err, CSF_ERR_INVALID_ARG,
                                 "Gaussian sigma %g mm along axis %d is not >= 0", sigma_mm[a],
                                 a + 1);
        /* radius beyond any axis length gains nothing and only costs memory */
        if (sigma_mm[a] / in->spacing[a] > 4.0 * CSF_VOLUME_MAX_AXIS)
            return csf_error_set(err, CSF_ERR_INVALID_ARG,
                                 "Gaussian sigma %g mm is too large for voxels of %g mm",
                                 sigma_mm[a], in->spacing[a]);
    }
    return CSF_OK;
}

csf_status csf_img_gaussian(const csf_volume *in, const double sigma_mm[3], csf_volume *out,
                            const csf_exec *ex, csf_error *err)
{
    csf_status st = check_args(in, sigma_mm, out, err);
    if (st != CSF_OK)
        return st;
    const float *src = in->data;
    gauss_ctx c = {NULL, out->data, in->dim[0], in->dim[1], in->dim[2], NULL, 0};
    static const char *const stage[3] = {"smooth x", "smooth y", "smooth z"};
    for (int a = 0; a < 3 && st == CSF_OK; a++) {
        float *w = make_kernel(sigma_mm[a] / in->spacing[a], &c.r);
        if (w == NULL)
            return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate a Gaussian kernel");
        if (c.r > 0) {
            c.src = src;
            c.w = w;
            if (a == 0)
                st = csf_parallel_for(ex, c.ny * c.nz, GAUSS_GRAIN_VOX / c.nx + 1, pass_x, &c,
                                      err);
            else if (a == 1)
                st = csf_parallel_for(ex, c.nz, 1, pass_y, &c, err);
            else
                st = csf_parallel_for(ex, c.ny, 1, pass_z, &c, err);
            src = out->data; /* later passes run in place */
            if (st == CSF_OK)
                st = csf_exec_progress(ex, stage[a], (a + 1) / 3.0, err);
        }
        free(w);
    }
    if (st == CSF_OK && src == in->data && out->data != in->data)
        memcpy(out->data, in->data, csf_volume_nvox(in) * sizeof *in->data);
    if (st == CSF_OK && out != in) {
        memcpy(out->spacing, in->spacing, sizeof out->spacing);
        memcpy(out->affine, in->affine, sizeof out->affine);
    }
    return st;
}
