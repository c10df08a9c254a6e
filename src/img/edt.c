/* Exact Euclidean distance transform in mm, anisotropic voxels.
 *
 * Separable squared-distance passes (Felzenszwalb & Huttenlocher 2012, "Distance
 * transforms of sampled functions", Theory of Computing 8:415-428): along i a
 * two-scan nearest set voxel per row; along j and k the lower envelope of
 * parabolas f(q) + (s*(x-q))^2, linear time per line. Lines along j and k are
 * processed in tiles of TILE neighbouring i-columns so that every memory access
 * touches whole cache lines. Intermediate squared distances live in the output
 * buffer (float); each line is solved in double. Lines that hold no finite
 * value are skipped, which makes sparse masks cheap. */
#include "csfleak/img_morph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "img/runs.h"

#define TILE 16

typedef struct edt_ctx {
    const uint8_t *mask;
    float *dist;
    size_t nx, ny, nz;
    double sp[3];
    int axis;      /* 1 or 2 for the envelope passes */
    int last;      /* write sqrt on the final pass */
} edt_ctx;

/* Pass along i: distance to the nearest set voxel of the same row. */
static csf_status row_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    (void)err;
    edt_ctx *c = vctx;
    size_t nx = c->nx;
    double s = c->sp[0];
    for (size_t r = b; r < e; r++) {
        const uint8_t *m = c->mask + r * nx;
        float *d = c->dist + r * nx;
        size_t prev = SIZE_MAX;
        for (size_t i = 0; i < nx; i++) {
            if (m[i])
                prev = i;
            d[i] = prev == SIZE_MAX ? INFINITY : (float)((double)(i - prev) * s * ((double)(i - prev) * s));
        }
        if (prev == SIZE_MAX)
            continue; /* empty row: all infinite */
        size_t next = SIZE_MAX;
        for (size_t i = nx; i-- > 0;) {
            if (m[i])
                next = i;
            if (next != SIZE_MAX) {
                double t = (double)(next - i) * s;
                float v = (float)(t * t);
                if (v < d[i])
                    d[i] = v;
            }
        }
    }
    return CSF_OK;
}

/* Lower envelope of parabolas for one line; f may hold INFINITY (no source). */
static void envelope(const double *f, size_t n, double s2, double *out, size_t *v, double *z)
{
    size_t k = 0, have = 0;
    for (size_t q = 0; q < n; q++) {
        if (isinf(f[q]))
            continue;
        double fq = f[q] + s2 * (double)q * (double)q;
        if (!have) {
            have = 1;
            v[0] = q;
            z[0] = -INFINITY;
            z[1] = INFINITY;
            continue;
        }
        double sx;
        for (;;) {
            size_t p = v[k];
            double fp = f[p] + s2 * (double)p * (double)p;
            sx = (fq - fp) / (2.0 * s2 * (double)(q - p));
            if (sx > z[k])
                break;
            k--; /* z[0] = -inf ends the loop at k = 0 */
        }
        k++;
        v[k] = q;
        z[k] = sx;
        z[k + 1] = INFINITY;
    }
    if (!have) {
        for (size_t q = 0; q < n; q++)
            out[q] = INFINITY;
        return;
    }
    k = 0;
    for (size_t q = 0; q < n; q++) {
        while (z[k + 1] < (double)q)
            k++;
        double t = (double)q - (double)v[k];
        out[q] = f[v[k]] + s2 * t * t;
    }
}

static csf_status tile_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    edt_ctx *c = vctx;
    size_t nx = c->nx, nbx = (nx + TILE - 1) / TILE;
    size_t n = c->axis == 1 ? c->ny : c->nz;
    size_t stride = c->axis == 1 ? nx : nx * c->ny;
    double s2 = c->sp[c->axis] * c->sp[c->axis];
    double *buf = malloc((TILE + 2) * n * sizeof *buf + (n + 1) * sizeof(double));
    size_t *v = malloc(n * sizeof *v);
    if (buf == NULL || v == NULL) {
        free(buf);
        free(v);
        return csf_error_set(err, CSF_ERR_NOMEM, "edt: cannot allocate line buffers of %zu", n);
    }
    double *line = buf + TILE * n, *z = line + n;
    for (size_t t = b; t < e; t++) {
        size_t outer = t / nbx, x0 = (t % nbx) * TILE;
        size_t w = nx - x0 < TILE ? nx - x0 : TILE;
        float *base = c->dist + x0 + outer * (c->axis == 1 ? nx * c->ny : nx);
        int finite[TILE] = {0};
        for (size_t q = 0; q < n; q++) {
            const float *src = base + q * stride;
            for (size_t x = 0; x < w; x++) {
                buf[x * n + q] = src[x];
                finite[x] |= !isinf(src[x]);
            }
        }
        for (size_t x = 0; x < w; x++) {
            double *col = buf + x * n;
            if (!finite[x])
                continue; /* stays infinite; the sqrt of inf is inf */
            envelope(col, n, s2, line, v, z);
            memcpy(col, line, n * sizeof *line);
        }
        for (size_t q = 0; q < n; q++) {
            float *dst = base + q * stride;
            for (size_t x = 0; x < w; x++)
                dst[x] = c->last ? (float)sqrt(buf[x * n + q]) : (float)buf[x * n + q];
        }
    }
    free(buf);
    free(v);
    return CSF_OK;
}

csf_status csf_img_edt(const csf_volume *geom, const uint8_t *mask, float *dist,
                       const csf_exec *ex, csf_error *err)
{
    csf_status st = csf_img_check_grid(geom, mask, "edt", err);
    if (st != CSF_OK)
        return st;
    if (dist == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "edt: output is NULL");
    edt_ctx c = {.mask = mask, .dist = dist, .nx = geom->dim[0], .ny = geom->dim[1],
                 .nz = geom->dim[2]};
    memcpy(c.sp, geom->spacing, sizeof c.sp);
    size_t nbx = (c.nx + TILE - 1) / TILE;
    /* Tiles per chunk: about 2^16 voxels of work, from the line length only. */
    st = csf_parallel_for(ex, c.ny * c.nz, csf_runs_row_grain(c.nx), row_chunk, &c, err);
    for (int axis = 1; axis <= 2 && st == CSF_OK; axis++) {
        st = csf_exec_progress(ex, "edt", axis / 3.0, err);
        if (st != CSF_OK)
            break;
        c.axis = axis;
        c.last = axis == 2;
        size_t n = axis == 1 ? c.ny : c.nz, outer = axis == 1 ? c.nz : c.ny;
        size_t grain = ((size_t)1 << 16) / (n * TILE);
        st = csf_parallel_for(ex, outer * nbx, grain ? grain : 1, tile_chunk, &c, err);
    }
    return st;
}
