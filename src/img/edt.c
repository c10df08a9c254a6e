/* Exact Euclidean distance transform in mm, anisotropic voxels.
 *
 * Separable squared-distance passes (Felzenszwalb & Huttenlocher 2012, "Distance
 * transforms of sampled functions", Theory of Computing 8:415-428): along i a
 * two-scan nearest set voxel per row; along j and k the lower envelope of
 * parabolas f(q) + (s*(x-q))^2, linear time per line. Lines along j and k are
 * processed in tiles of TILE neighbouring i-columns so that every memory access
 * touches whole cache lines. Intermediate squared distances live in the output
 * buffer and the tiles as float; the envelope arithmetic is double. Lines that
 * cannot hold a finite value are skipped, which makes sparse masks cheap. */
#include "csfleak/img_morph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "img/runs.h"

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#define TILE 16

typedef struct edt_ctx {
    const uint8_t *mask;
    float *dist;
    size_t nx, ny, nz;
    double sp[3];
    int axis;      /* 1 or 2 for the envelope passes */
    int last;      /* write sqrt on the final pass */
    uint8_t *row_any;     /* per row (j,k): holds a set voxel */
    uint8_t *any[3];      /* any[1][j], any[2][k]: some row with that j / k is set */
    const uint8_t *live;  /* per outer index of the current pass: line may be finite */
    int all_live;         /* for live == NULL: every line may be finite, or none */
} edt_ctx;

static int row_empty(const uint8_t *m, size_t nx)
{
    size_t i = 0;
    for (uint64_t w; i + 8 <= nx; i += 8) {
        memcpy(&w, m + i, sizeof w);
        if (w != 0)
            return 0;
    }
    for (; i < nx; i++)
        if (m[i])
            return 0;
    return 1;
}

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
        if (row_empty(m, nx)) { /* most rows of a sparse mask */
            for (size_t i = 0; i < nx; i++)
                d[i] = INFINITY;
            continue;
        }
        size_t prev = SIZE_MAX;
        for (size_t i = 0; i < nx; i++) {
            if (m[i])
                prev = i;
            d[i] = prev == SIZE_MAX ? INFINITY : (float)((double)(i - prev) * s * ((double)(i - prev) * s));
        }
        c->row_any[r] = prev != SIZE_MAX;
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

/* Lower envelope of parabolas for one line of n values f[q * st]; f may hold
 * INFINITY (no source). inv[d] = 1 / (2 s^2 d) replaces the division of the
 * intersection formula: intersections only steer which parabola is evaluated,
 * and an ulp there can matter only at an exact tie. Writes out[q * st]. */
static void envelope(const float *f, size_t st, size_t n, double s2, const double *inv,
                     float *out, size_t *v, double *z)
{
    double *g = z + n + 1, *fv = g + n; /* per parabola: f + s^2 p^2, and f */
    size_t k = 0, have = 0;
    for (size_t q = 0; q < n; q++) {
        double f0 = f[q * st];
        if (!(f0 < INFINITY))
            continue;
        double gq = f0 + s2 * (double)q * (double)q, sx = -INFINITY;
        if (have) {
            for (;;) {
                sx = (gq - g[k]) * inv[q - v[k]];
                if (sx > z[k])
                    break;
                k--; /* z[0] = -inf ends the loop at k = 0 */
            }
            k++;
        }
        have = 1;
        v[k] = q;
        g[k] = gq;
        fv[k] = f0;
        z[k] = sx;
        z[k + 1] = INFINITY;
    }
    if (!have) {
        for (size_t q = 0; q < n; q++)
            out[q * st] = INFINITY;
        return;
    }
    k = 0;
    for (size_t q = 0; q < n; q++) {
        while (z[k + 1] < (double)q)
            k++;
        double t = (double)q - (double)v[k];
        out[q * st] = (float)(fv[k] + s2 * t * t);
    }
}

/* dst = sqrt(src) for non-negative floats. sqrtf would not vectorise (it may
 * set errno); the SSE square root is the same correctly rounded operation. */
static void sqrt_row(const float *src, float *dst, size_t w)
{
    size_t x = 0;
#if defined(__SSE__)
    for (; x + 4 <= w; x += 4)
        _mm_storeu_ps(dst + x, _mm_sqrt_ps(_mm_loadu_ps(src + x)));
#endif
    for (; x < w; x++)
        dst[x] = sqrtf(src[x]);
}

/* One tile: TILE neighbouring lines gathered as in[q][x], solved into out[q][x]. */
static void solve_tile(const edt_ctx *c, float *base, size_t w, size_t n, size_t stride,
                       float *in, float *out, const double *inv, size_t *v, double *z)
{
    double s2 = c->sp[c->axis] * c->sp[c->axis];
    if (w == TILE) /* a constant size lets the copy inline */
        for (size_t q = 0; q < n; q++)
            memcpy(in + q * TILE, base + q * stride, TILE * sizeof *in);
    else
        for (size_t q = 0; q < n; q++)
            memcpy(in + q * TILE, base + q * stride, w * sizeof *in);
    /* Lines of zeros (inside a dense mask) stay zero, and so does their root. */
    uint32_t bits[TILE] = {0};
    for (size_t q = 0; q < n; q++)
        for (size_t x = 0; x < TILE; x++) {
            uint32_t u;
            memcpy(&u, in + q * TILE + x, sizeof u);
            bits[x] |= x < w ? u : 0;
        }
    uint32_t any = 0;
    for (size_t x = 0; x < w; x++)
        any |= bits[x];
    if (any == 0)
        return;
    for (size_t x = 0; x < w; x++) {
        if (bits[x] != 0) {
            envelope(in + x, TILE, n, s2, inv, out + x, v, z);
        } else {
            for (size_t q = 0; q < n; q++)
                out[q * TILE + x] = 0.0f;
        }
    }
    for (size_t q = 0; q < n; q++) {
        float *dst = base + q * stride;
        const float *row = out + q * TILE;
        if (c->last)
            sqrt_row(row, dst, w);
        else if (w == TILE)
            memcpy(dst, row, TILE * sizeof *dst);
        else
            memcpy(dst, row, w * sizeof *dst);
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
    float *in = malloc(2 * TILE * n * sizeof *in);
    double *z = malloc((4 * n + 1) * sizeof *z); /* z, then envelope's g and fv, then inv */
    size_t *v = malloc(n * sizeof *v);
    if (in == NULL || z == NULL || v == NULL) {
        free(in);
        free(z);
        free(v);
        return csf_error_set(err, CSF_ERR_NOMEM, "edt: cannot allocate line buffers of %zu", n);
    }
    float *out = in + TILE * n;
    double *inv = z + 3 * n + 1;
    for (size_t d = 1; d < n; d++)
        inv[d] = 1.0 / (2.0 * s2 * (double)d);
    for (size_t t = b; t < e; t++) {
        size_t outer = t / nbx, x0 = (t % nbx) * TILE;
        if (c->live ? !c->live[outer] : !c->all_live)
            continue; /* every line of the tile is infinite, and stays so */
        size_t w = nx - x0 < TILE ? nx - x0 : TILE;
        float *base = c->dist + x0 + outer * (c->axis == 1 ? nx * c->ny : nx);
        solve_tile(c, base, w, n, stride, in, out, inv, v, z);
    }
    free(in);
    free(z);
    free(v);
    return CSF_OK;
}

/* The second pass only visits lines that can be finite: lines along k at a j
 * holding a set row, or lines along j at such a k. The axis with less of that
 * work goes first (k-lines are strided, so they count double); on the last
 * pass the lines are then finite all or none. */
static void plan_passes(edt_ctx *c, int order[2])
{
    size_t live_j = 0, live_k = 0;
    for (size_t k = 0; k < c->nz; k++)
        for (size_t j = 0; j < c->ny; j++)
            if (c->row_any[j + c->ny * k])
                c->any[1][j] = c->any[2][k] = 1;
    for (size_t j = 0; j < c->ny; j++)
        live_j += c->any[1][j];
    for (size_t k = 0; k < c->nz; k++)
        live_k += c->any[2][k];
    order[0] = 1;
    order[1] = 2;
    if (2 * live_j * c->nz <= live_k * c->ny) {
        order[0] = 2;
        order[1] = 1;
    }
    c->all_live = live_j > 0;
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
    c.row_any = calloc(c.ny * c.nz + c.ny + c.nz, 1);
    if (c.row_any == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "edt: cannot allocate %zu row flags", c.ny * c.nz);
    c.any[1] = c.row_any + c.ny * c.nz;
    c.any[2] = c.any[1] + c.ny;
    st = csf_parallel_for(ex, c.ny * c.nz, csf_runs_row_grain(c.nx), row_chunk, &c, err);
    int order[2];
    plan_passes(&c, order);
    size_t nbx = (c.nx + TILE - 1) / TILE;
    for (int p = 0; p < 2 && st == CSF_OK; p++) {
        st = csf_exec_progress(ex, "edt", (p + 1) / 3.0, err);
        if (st != CSF_OK)
            break;
        c.axis = order[p];
        c.last = p == 1;
        c.live = p == 0 ? c.any[c.axis == 1 ? 2 : 1] : NULL;
        size_t n = c.axis == 1 ? c.ny : c.nz, outer = c.axis == 1 ? c.nz : c.ny;
        size_t grain = ((size_t)1 << 16) / (n * TILE); /* ~2^16 voxels per chunk */
        st = csf_parallel_for(ex, outer * nbx, grain ? grain : 1, tile_chunk, &c, err);
    }
    free(c.row_any);
    return st;
}
