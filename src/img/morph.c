/* Binary dilation, erosion, opening and closing with an anisotropic ball.
 *
 * The ball B(r) = {(di,dj,dk) : ((di*sx)^2 + (dj*sy)^2) + (dk*sz)^2 <= r^2},
 * each square computed as (d*s)*(d*s) and the sum evaluated left to right in
 * double, is a union of i-segments: for every (dj,dk) of its j-k disc, the
 * offsets |di| <= h(dj,dk). So an output row is the union (dilation) or the
 * intersection (erosion) of the input rows (j+dj, k+dk), each grown or shrunk
 * by h along i. Working on runs costs O(disc size) per output row plus the
 * painted length, fast for sparse and dense masks, and it is exactly the ball
 * definition above (no distance rounding involved). Voxels outside the grid are
 * background: they never dilate, and any ball that leaves the grid erodes. */
#include "csfleak/img_morph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "img/runs.h"

typedef struct disc_entry {
    int dj, dk;
    int h;
} disc_entry;

typedef struct morph_ctx {
    const csf_runs *R;
    const disc_entry *disc;
    size_t ndisc;
    int h0; /* h of (0,0) */
    long J, K; /* disc extents along j and k */
    const uint32_t *sat; /* (ny+1) x (nz+1) summed-area table of non-empty rows */
    uint8_t *out;
} morph_ctx;

static int in_ball(double r2, const double sp[3], long di, long dj, long dk)
{
    double a = (double)di * sp[0], b = (double)dj * sp[1], c = (double)dk * sp[2];
    return (a * a + b * b) + c * c <= r2;
}

/* Largest d >= 0 with offset d along `axis` in the ball, capped at cap. */
static long axis_extent(double r2, const double sp[3], int axis, long cap)
{
    long d = 0;
    long o[3] = {0, 0, 0};
    while (d < cap) {
        o[axis] = d + 1;
        if (!in_ball(r2, sp, o[0], o[1], o[2]))
            break;
        d++;
    }
    return d;
}

/* Widest segments first: they are the likeliest to fill (or clear) a row. */
static int cmp_h_desc(const void *a, const void *b)
{
    const disc_entry *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? 1 : -1;
    if (x->dk != y->dk)
        return x->dk < y->dk ? -1 : 1;
    return (x->dj > y->dj) - (x->dj < y->dj);
}

/* Disc of (dj,dk) with their half-widths h, |dj| <= J, |dk| <= K, h <= hcap. */
static csf_status build_disc(double r2, const double sp[3], long J, long K, long hcap,
                             disc_entry **out, size_t *n, csf_error *err)
{
    size_t cap = (size_t)(2 * J + 1) * (size_t)(2 * K + 1);
    disc_entry *d = malloc(cap * sizeof *d);
    if (d == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "morph: cannot allocate a %zu-row ball", cap);
    size_t m = 0;
    for (long dk = -K; dk <= K; dk++)
        for (long dj = -J; dj <= J; dj++) {
            if (!in_ball(r2, sp, 0, dj, dk))
                continue;
            /* a close guess, then exact: the test is monotone in |di| */
            double b = (double)dj * sp[1], c = (double)dk * sp[2], rem = r2 - (b * b + c * c);
            double g = rem > 0 ? floor(sqrt(rem) / sp[0]) : 0;
            long h = g > (double)hcap ? hcap : (long)g;
            while (h > 0 && !in_ball(r2, sp, h, dj, dk))
                h--;
            while (h < hcap && in_ball(r2, sp, h + 1, dj, dk))
                h++;
            d[m].dj = (int)dj;
            d[m].dk = (int)dk;
            d[m].h = (int)h;
            m++;
        }
    qsort(d, m, sizeof *d, cmp_h_desc);
    *out = d;
    *n = m;
    return CSF_OK;
}

/* 1 when every byte of the row equals v (0 or 1). */
static int row_is(const uint8_t *row, size_t nx, uint8_t v)
{
    uint64_t pat = v ? 0x0101010101010101ull : 0, w;
    size_t i = 0;
    for (; i + 8 <= nx; i += 8) {
        memcpy(&w, row + i, 8);
        if (w != pat)
            return 0;
    }
    for (; i < nx; i++)
        if (row[i] != v)
            return 0;
    return 1;
}

static void fill(uint8_t *row, long a, long b, long nx, uint8_t v)
{
    a = a < 0 ? 0 : a;
    b = b > nx - 1 ? nx - 1 : b;
    if (a <= b)
        memset(row + a, v, (size_t)(b - a + 1));
}

/* Any non-empty input row (j', k') with |j'-j| <= J and |k'-k| <= K? */
static int rows_near(const morph_ctx *c, long j, long k)
{
    long ny = (long)c->R->ny, nz = (long)c->R->nz, w = ny + 1;
    long j0 = j - c->J < 0 ? 0 : j - c->J, j1 = j + c->J + 1 > ny ? ny : j + c->J + 1;
    long k0 = k - c->K < 0 ? 0 : k - c->K, k1 = k + c->K + 1 > nz ? nz : k + c->K + 1;
    const uint32_t *S = c->sat;
    return S[j1 + w * k1] - S[j0 + w * k1] - S[j1 + w * k0] + S[j0 + w * k0] != 0;
}

/* S[j + (ny+1) k] = number of non-empty rows (j', k') with j' < j, k' < k. */
static uint32_t *row_sat(const csf_runs *R)
{
    size_t w = R->ny + 1;
    uint32_t *S = calloc(w * (R->nz + 1), sizeof *S);
    if (S == NULL)
        return NULL;
    for (size_t k = 0; k < R->nz; k++)
        for (size_t j = 0; j < R->ny; j++) {
            size_t r = j + R->ny * k;
            uint32_t here = R->row_start[r + 1] != R->row_start[r];
            S[(j + 1) + w * (k + 1)] = here + S[j + w * (k + 1)] + S[(j + 1) + w * k] - S[j + w * k];
        }
    return S;
}

static csf_status dilate_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    (void)err;
    morph_ctx *c = vctx;
    const csf_runs *R = c->R;
    long nx = (long)R->nx, ny = (long)R->ny, nz = (long)R->nz;
    for (size_t row = b; row < e; row++) {
        uint8_t *o = c->out + row * R->nx;
        long j = (long)(row % R->ny), k = (long)(row / R->ny);
        memset(o, 0, R->nx);
        if (!rows_near(c, j, k))
            continue; /* no set row within the disc's box: O(1) for empty regions */
        for (size_t t = 0; t < c->ndisc; t++) {
            const disc_entry *d = &c->disc[t];
            long jj = j + d->dj, kk = k + d->dk;
            if (jj < 0 || jj >= ny || kk < 0 || kk >= nz)
                continue;
            size_t src = (size_t)jj + R->ny * (size_t)kk;
            long cov = -1; /* [0, cov] covered by this source row alone */
            for (uint32_t r = R->row_start[src]; r < R->row_start[src + 1]; r++) {
                long a = (long)R->x0[r] - d->h, z = (long)R->x1[r] + d->h;
                fill(o, a, z, nx, 1);
                if (a <= cov + 1 && z > cov)
                    cov = z;
            }
            if (cov >= nx - 1 || (t % 8 == 7 && row_is(o, R->nx, 1)))
                break; /* the row is full: dense masks and large balls stop early */
        }
    }
    return CSF_OK;
}

/* Clears every voxel of o within h (along i) of a gap of row src, the
 * outside of the grid beyond both ends included. Returns 1 when that clears
 * the whole row. */
static int clear_gaps(const csf_runs *R, size_t src, int h, uint8_t *o)
{
    long nx = (long)R->nx, g0 = -(long)R->nx - h - 1; /* before i = 0: outside */
    long cov = -1;
    for (uint32_t r = R->row_start[src]; r < R->row_start[src + 1]; r++) {
        long a = g0 - h, z = (long)R->x0[r] - 1 + h;
        fill(o, a, z, nx, 0);
        if (a <= cov + 1 && z > cov)
            cov = z;
        g0 = (long)R->x1[r] + 1;
    }
    fill(o, g0 - h, nx - 1, nx, 0); /* the last gap runs on beyond the grid */
    return g0 - h <= cov + 1;
}

static csf_status erode_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    (void)err;
    morph_ctx *c = vctx;
    const csf_runs *R = c->R;
    long nx = (long)R->nx, ny = (long)R->ny, nz = (long)R->nz;
    for (size_t row = b; row < e; row++) {
        uint8_t *o = c->out + row * R->nx;
        long j = (long)(row % R->ny), k = (long)(row / R->ny);
        memset(o, 0, R->nx);
        int any = 0; /* the centre row, shrunk by h0, bounds the result */
        for (uint32_t r = R->row_start[row]; r < R->row_start[row + 1]; r++) {
            long a = (long)R->x0[r] + c->h0, z = (long)R->x1[r] - c->h0;
            if (a <= z) {
                fill(o, a, z, nx, 1);
                any = 1;
            }
        }
        for (size_t t = 0; t < c->ndisc && any; t++) {
            const disc_entry *d = &c->disc[t];
            if (d->dj == 0 && d->dk == 0)
                continue; /* done above */
            long jj = j + d->dj, kk = k + d->dk;
            if (jj < 0 || jj >= ny || kk < 0 || kk >= nz) {
                memset(o, 0, R->nx);
                break;
            }
            if (clear_gaps(R, (size_t)jj + R->ny * (size_t)kk, d->h, o) ||
                (t % 8 == 7 && row_is(o, R->nx, 0)))
                break; /* the row is empty */
        }
    }
    return CSF_OK;
}

/* One dilation or erosion of in into out. */
static csf_status morph_once(const csf_volume *geom, const uint8_t *in, int dilate,
                             double radius_mm, uint8_t *out, const csf_exec *ex, csf_error *err)
{
    const double *sp = geom->spacing;
    double r2 = radius_mm * radius_mm;
    long nx = (long)geom->dim[0], ny = (long)geom->dim[1], nz = (long)geom->dim[2];
    long H = axis_extent(r2, sp, 0, nx), J = axis_extent(r2, sp, 1, ny),
         K = axis_extent(r2, sp, 2, nz);
    size_t nvox = geom->dim[0] * geom->dim[1] * geom->dim[2];
    if (!dilate && (H >= nx || J >= ny || K >= nz)) {
        memset(out, 0, nvox); /* every ball leaves the grid */
        return CSF_OK;
    }
    if (dilate && in_ball(r2, sp, nx - 1, ny - 1, nz - 1)) {
        /* the ball spans the whole grid from any voxel: all or nothing */
        int any = 0;
        for (size_t i = 0; i < nvox && !any; i++)
            any = in[i] != 0;
        memset(out, any, nvox);
        return CSF_OK;
    }
    /* In dilation, offsets beyond the grid never reach a set voxel. */
    J = J > ny - 1 ? ny - 1 : J;
    K = K > nz - 1 ? nz - 1 : K;
    csf_runs R = {0};
    csf_status st = csf_runs_build(geom, in, &R, ex, err);
    if (st != CSF_OK)
        return st;
    disc_entry *disc = NULL;
    size_t ndisc = 0;
    st = build_disc(r2, sp, J, K, nx, &disc, &ndisc, err);
    uint32_t *sat = NULL;
    if (st == CSF_OK && dilate && (sat = row_sat(&R)) == NULL)
        st = csf_error_set(err, CSF_ERR_NOMEM, "morph: cannot allocate %zu row counts", R.nrows);
    if (st == CSF_OK) {
        morph_ctx c = {.R = &R, .disc = disc, .ndisc = ndisc, .J = J, .K = K, .sat = sat, .out = out};
        for (size_t t = 0; t < ndisc; t++)
            if (disc[t].dj == 0 && disc[t].dk == 0)
                c.h0 = disc[t].h;
        st = csf_parallel_for(ex, R.nrows, csf_runs_row_grain(R.nx),
                              dilate ? dilate_chunk : erode_chunk, &c, err);
    }
    free(sat);
    free(disc);
    csf_runs_release(&R);
    return st;
}

csf_status csf_img_morph(const csf_volume *geom, const uint8_t *in, csf_morph_op op,
                         double radius_mm, uint8_t *out, const csf_exec *ex, csf_error *err)
{
    csf_status st = csf_img_check_grid(geom, in, "morph", err);
    if (st != CSF_OK)
        return st;
    if (out == NULL || out == in)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "morph: output is NULL or aliases the input");
    if (!(radius_mm >= 0) || !isfinite(radius_mm))
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "morph: radius %g mm is not finite and >= 0",
                             radius_mm);
    if (op == CSF_DILATE || op == CSF_ERODE)
        return morph_once(geom, in, op == CSF_DILATE, radius_mm, out, ex, err);
    if (op != CSF_OPEN && op != CSF_CLOSE)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "morph: unknown operation %d", (int)op);
    size_t nvox = geom->dim[0] * geom->dim[1] * geom->dim[2];
    uint8_t *tmp = malloc(nvox);
    if (tmp == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "morph: cannot allocate %zu voxels", nvox);
    int first_dilates = op == CSF_CLOSE;
    st = morph_once(geom, in, first_dilates, radius_mm, tmp, ex, err);
    if (st == CSF_OK)
        st = csf_exec_progress(ex, "morph", 0.5, err);
    if (st == CSF_OK)
        st = morph_once(geom, tmp, !first_dilates, radius_mm, out, ex, err);
    free(tmp);
    return st;
}
