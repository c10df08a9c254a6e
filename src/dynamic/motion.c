/* Rigid in-plane/through-plane shift between frames by cross-correlating axis
 * profiles. A frame's profile along an axis is the sum over the other two of
 * its intensities clipped to [lo, hi]: clipping keeps a filling contrast column
 * from dominating, and correlating the profile's derivative matches edges
 * (body outline, vertebral end plates) rather than slow intensity drifts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/dynamic.h"

static void profiles(const csf_volume *v, double lo, double hi, double *p[3])
{
    const size_t nx = v->dim[0], ny = v->dim[1], nz = v->dim[2];
    for (int a = 0; a < 3; a++)
        memset(p[a], 0, v->dim[a] * sizeof(double));
    for (size_t z = 0; z < nz; z++)
        for (size_t y = 0; y < ny; y++) {
            const float *row = v->data + nx * (y + ny * z);
            const float flo = (float)lo, fhi = (float)hi;
            float s = 0;
            for (size_t x = 0; x < nx; x++) {
                float f = row[x] < flo ? flo : row[x] > fhi ? fhi : row[x];
                p[0][x] += f;
                s += f;
            }
            p[1][y] += s;
            p[2][z] += s;
        }
}

/* Normalised cross-correlation of the derivatives at lag d: mov(i + d) ~ ref(i). */
static double ncc(const double *r, const double *m, size_t n, int d)
{
    double sr = 0, sm = 0, srr = 0, smm = 0, srm = 0;
    size_t cnt = 0;
    for (size_t i = 1; i < n; i++) {
        long j = (long)i + d;
        if (j < 1 || j >= (long)n)
            continue;
        double a = r[i] - r[i - 1], b = m[j] - m[j - 1];
        sr += a;
        sm += b;
        srr += a * a;
        smm += b * b;
        srm += a * b;
        cnt++;
    }
    if (cnt < 4)
        return -2;
    double c = (double)cnt;
    double va = srr - sr * sr / c, vb = smm - sm * sm / c;
    if (!(va > 0 && vb > 0))
        return -2;
    return (srm - sr * sm / c) / sqrt(va * vb);
}

static double best_lag(const double *r, const double *m, size_t n, int max_shift)
{
    if (n < 8)
        return 0;
    int lim = max_shift;
    if ((size_t)lim > n / 4)
        lim = (int)(n / 4);
    int best = 0;
    double bv = -3, c[2 * 64 + 1];
    if (lim > 64)
        lim = 64;
    for (int d = -lim; d <= lim; d++) {
        c[d + lim] = ncc(r, m, n, d);
        if (c[d + lim] > bv) {
            bv = c[d + lim];
            best = d;
        }
    }
    if (bv <= -2)
        return 0;
    double sub = 0;
    if (best > -lim && best < lim) {
        double y0 = c[best - 1 + lim], y1 = bv, y2 = c[best + 1 + lim];
        double den = y0 - 2 * y1 + y2;
        if (y0 > -2 && y2 > -2 && den < 0)
            sub = 0.5 * (y0 - y2) / den;
        if (sub > 0.5 || sub < -0.5)
            sub = 0;
    }
    return best + sub;
}

csf_status csf_dyn_motion_profiles(const csf_volume *v, double lo, double hi, double **out,
                                   csf_error *err)
{
    size_t tot = v->dim[0] + v->dim[1] + v->dim[2];
    double *buf = malloc(tot * sizeof(double));
    if (buf == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "motion: out of memory");
    double *p[3] = {buf, buf + v->dim[0], buf + v->dim[0] + v->dim[1]};
    profiles(v, lo, hi, p);
    *out = buf;
    return CSF_OK;
}

csf_status csf_dyn_motion_from_profiles(const double *ref_prof, const csf_volume *mov, double lo,
                                        double hi, int max_shift, double shift[3], csf_error *err)
{
    double *pm = NULL;
    csf_status st = csf_dyn_motion_profiles(mov, lo, hi, &pm, err);
    if (st != CSF_OK)
        return st;
    size_t off = 0;
    for (int a = 0; a < 3; a++) {
        shift[a] = mov->dim[a] > 1
                       ? best_lag(ref_prof + off, pm + off, mov->dim[a], max_shift) : 0;
        off += mov->dim[a];
    }
    free(pm);
    return CSF_OK;
}

csf_status csf_dyn_motion_estimate(const csf_volume *ref, const csf_volume *mov, double lo,
                                   double hi, int max_shift, double shift[3], csf_error *err)
{
    for (int a = 0; a < 3; a++)
        if (ref->dim[a] != mov->dim[a])
            return csf_error_set(err, CSF_ERR_INVALID_ARG, "motion: frame grids differ");
    double *pr = NULL;
    csf_status st = csf_dyn_motion_profiles(ref, lo, hi, &pr, err);
    if (st == CSF_OK)
        st = csf_dyn_motion_from_profiles(pr, mov, lo, hi, max_shift, shift, err);
    free(pr);
    return st;
}

/* out[i] = in(i + s) along one line of n samples spaced `stride` apart. The
 * interior (both taps inside the line) runs without clamping. */
static void shift_line(float *d, size_t n, size_t stride, double s, float *tmp)
{
    double fl = floor(s);
    long k = (long)fl;
    float f = (float)(s - fl), g = 1 - f;
    for (size_t i = 0; i < n; i++)
        tmp[i] = d[i * stride];
    long lo = -k, hi = (long)n - 1 - k - 1; /* i with 0 <= i+k and i+k+1 <= n-1 */
    lo = lo < 0 ? 0 : lo;
    hi = hi > (long)n - 1 ? (long)n - 1 : hi;
    for (long i = 0; i < (long)n; i++) {
        if (i >= lo && i <= hi) {
            for (; i <= hi; i++)
                d[(size_t)i * stride] = g * tmp[i + k] + f * tmp[i + k + 1];
            i--;
            continue;
        }
        long j0 = i + k, j1 = j0 + 1;
        j0 = j0 < 0 ? 0 : j0 >= (long)n ? (long)n - 1 : j0;
        j1 = j1 < 0 ? 0 : j1 >= (long)n ? (long)n - 1 : j1;
        d[(size_t)i * stride] = g * tmp[j0] + f * tmp[j1];
    }
}

/* Shifts whole contiguous blocks of `bs` floats along an axis of n blocks:
 * block i becomes (1-f) block(i+k) + f block(i+k+1), edges replicated. In
 * place: ascending when the source lies ahead (k >= 0), descending otherwise. */
static void shift_blocks(float *d, size_t n, size_t bs, double s, size_t q0, size_t q1)
{
    double fl = floor(s);
    long k = (long)fl;
    float f = (float)(s - fl);
    for (size_t c = 0; c < n; c++) {
        size_t i = k >= 0 ? c : n - 1 - c;
        long j0 = (long)i + k, j1 = j0 + 1;
        j0 = j0 < 0 ? 0 : j0 >= (long)n ? (long)n - 1 : j0;
        j1 = j1 < 0 ? 0 : j1 >= (long)n ? (long)n - 1 : j1;
        float *o = d + i * bs;
        const float *a = d + (size_t)j0 * bs, *b = d + (size_t)j1 * bs;
        for (size_t q = q0; q < q1; q++)
            o[q] = (1 - f) * a[q] + f * b[q];
    }
}

typedef struct shift_ctx {
    csf_volume *v;
    const double *s;
} shift_ctx;

/* In-plane passes (x rows, then y) of slices [b, e). */
static csf_status xy_chunk(void *ctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    const shift_ctx *c = ctx;
    const size_t nx = c->v->dim[0], ny = c->v->dim[1];
    float *tmp = malloc(nx * sizeof *tmp);
    if (tmp == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "motion: out of memory");
    for (size_t z = b; z < e; z++) {
        float *sl = c->v->data + nx * ny * z;
        if (c->s[0] != 0 && nx > 1)
            for (size_t r = 0; r < ny; r++)
                shift_line(sl + r * nx, nx, 1, c->s[0], tmp);
        if (c->s[1] != 0 && ny > 1)
            shift_blocks(sl, ny, nx, c->s[1], 0, nx);
    }
    free(tmp);
    return CSF_OK;
}

/* Through-plane pass of in-plane positions [b, e). */
static csf_status z_chunk(void *ctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    (void)err;
    const shift_ctx *c = ctx;
    shift_blocks(c->v->data, c->v->dim[2], c->v->dim[0] * c->v->dim[1], c->s[2], b, e);
    return CSF_OK;
}

csf_status csf_dyn_motion_apply(csf_volume *vol, const double shift[3], const csf_exec *ex,
                                csf_error *err)
{
    shift_ctx c = {vol, shift};
    const size_t nx = vol->dim[0], ny = vol->dim[1], nz = vol->dim[2];
    csf_status st = CSF_OK;
    if ((shift[0] != 0 && nx > 1) || (shift[1] != 0 && ny > 1))
        st = csf_parallel_for(ex, nz, 4, xy_chunk, &c, err);
    if (st == CSF_OK && shift[2] != 0 && nz > 1)
        st = csf_parallel_for(ex, nx * ny, 4096, z_chunk, &c, err);
    return st;
}

/* Max over i-1..i+1 along one axis of contiguous blocks (see shift_blocks). */
static void max_blocks(float *d, size_t n, size_t bs, float *prev, float *cur)
{
    if (n < 2)
        return;
    memcpy(prev, d, bs * sizeof *d);
    for (size_t i = 0; i < n; i++) {
        float *o = d + i * bs;
        memcpy(cur, o, bs * sizeof *o);
        const float *nx = i + 1 < n ? o + bs : o;
        for (size_t q = 0; q < bs; q++) {
            float m = cur[q] > prev[q] ? cur[q] : prev[q];
            o[q] = m > nx[q] ? m : nx[q];
        }
        memcpy(prev, cur, bs * sizeof *cur);
    }
}

/* Subtracting the neighbourhood maximum of the reference instead of the
 * reference itself makes the enhancement immune to sub-voxel residual
 * misregistration at strong edges (air / soft tissue, cortical bone): a voxel
 * only counts as new contrast if it is brighter than everything within one
 * voxel of it was before. */
csf_status csf_dyn_max_filter(csf_volume *v, csf_error *err)
{
    const size_t nx = v->dim[0], ny = v->dim[1], nz = v->dim[2];
    size_t big = nx * ny > nx ? nx * ny : nx;
    float *b = malloc(2 * big * sizeof *b);
    if (b == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
    for (size_t r = 0; r < ny * nz && nx > 1; r++) {
        float *row = v->data + r * nx;
        for (size_t x = 0; x < nx; x++)
            b[x] = row[x];
        for (size_t x = 0; x < nx; x++) {
            float m = b[x];
            if (x > 0 && b[x - 1] > m)
                m = b[x - 1];
            if (x + 1 < nx && b[x + 1] > m)
                m = b[x + 1];
            row[x] = m;
        }
    }
    for (size_t z = 0; z < nz && ny > 1; z++)
        max_blocks(v->data + nx * ny * z, ny, nx, b, b + big);
    if (nz > 1)
        max_blocks(v->data, nz, nx * ny, b, b + big);
    free(b);
    return CSF_OK;
}
