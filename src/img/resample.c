/* Trilinear resampling through world coordinates. The target voxel (i,j,k)
 * maps to input voxel coordinates M (i,j,k,1) with M = inverse(in.affine) *
 * target.affine; each coordinate is computed directly from (i,j,k) (never
 * accumulated along a row), so a voxel's value does not depend on which
 * chunk computed it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/img_filter.h"

/* Target voxels per chunk. */
#define RESAMPLE_GRAIN_VOX ((size_t)1 << 14)

/* Per-axis sampling positions when the grids are axis-aligned. */
typedef struct rs_axis {
    size_t *i0;
    double *f;
    unsigned char *inside;
} rs_axis;

typedef struct rs_ctx {
    const float *src;
    float *dst;
    size_t n[3];  /* input dims */
    size_t tx, ty; /* target row length and rows per slice */
    double m[3][4];
    float fill;
    rs_axis ax[3]; /* filled only for the axis-aligned path */
} rs_ctx;

/* Splits coordinate p on an axis of n voxels into a base index and weight.
 * Inside means within half a voxel of the grid (the voxels' own extent, as
 * ITK's IsInsideBuffer); between the last centre and that edge the edge
 * value is repeated. Returns 0 outside. */
static int split(double p, size_t n, size_t *i0, double *f)
{
    if (!(p >= -0.5 && p <= (double)n - 0.5))
        return 0;
    if (n == 1 || p <= 0) {
        *i0 = 0;
        *f = 0;
        return 1;
    }
    if (p >= (double)(n - 1)) {
        *i0 = n - 2;
        *f = 1;
        return 1;
    }
    long t = (long)p; /* p > 0: truncation is floor, without a libm call */
    *i0 = (size_t)t;
    *f = p - (double)t;
    return 1;
}

static float sample_at(const float *src, const size_t n[3], float fill, const double p[3])
{
    size_t i0, j0, k0;
    double fx, fy, fz;
    if (!split(p[0], n[0], &i0, &fx) || !split(p[1], n[1], &j0, &fy) ||
        !split(p[2], n[2], &k0, &fz))
        return fill;
    /* offsets to the +1 neighbour; 0 on a one-voxel axis (its weight is 0) */
    const size_t sx = n[0] > 1, sy = n[1] > 1 ? n[0] : 0,
                 sz = n[2] > 1 ? n[0] * n[1] : 0;
    const float *a = src + i0 + n[0] * (j0 + n[1] * k0);
    double c00 = a[0] + fx * ((double)a[sx] - a[0]);
    double c10 = a[sy] + fx * ((double)a[sy + sx] - a[sy]);
    double c01 = a[sz] + fx * ((double)a[sz + sx] - a[sz]);
    double c11 = a[sz + sy] + fx * ((double)a[sz + sy + sx] - a[sz + sy]);
    double c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01);
    return (float)(c0 + fz * (c1 - c0));
}

static float sample(const rs_ctx *c, const double p[3]) { return sample_at(c->src, c->n, c->fill, p); }

float csf_img_sample_trilinear(const csf_volume *v, const double ijk[3], float fill)
{
    return sample_at(v->data, v->dim, fill, ijk);
}

static csf_status rs_rows(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    (void)err;
    const rs_ctx *c = vctx;
    for (size_t row = b; row < e; row++) {
        const double j = (double)(long)(row % c->ty), k = (double)(long)(row / c->ty);
        double base[3], p[3];
        for (int r = 0; r < 3; r++)
            base[r] = c->m[r][1] * j + c->m[r][2] * k + c->m[r][3];
        float *d = c->dst + row * c->tx;
        const size_t nx = c->n[0], nxy = c->n[0] * c->n[1];
        const double hx = (double)c->n[0] - 1, hy = (double)c->n[1] - 1, hz = (double)c->n[2] - 1;
        const long tx = (long)c->tx; /* signed: int <-> double conversions are single instructions */
        for (long i = 0; i < tx; i++) {
            for (int r = 0; r < 3; r++)
                p[r] = base[r] + c->m[r][0] * (double)i;
            if (!(p[0] >= 0 && p[0] < hx && p[1] >= 0 && p[1] < hy && p[2] >= 0 && p[2] < hz)) {
                d[i] = sample(c, p); /* edges, outside, one-voxel axes */
                continue;
            }
            /* interior: all 8 neighbours exist; same arithmetic as sample() */
            long i0 = (long)p[0], j0 = (long)p[1], k0 = (long)p[2];
            double fx = p[0] - (double)i0, fy = p[1] - (double)j0, fz = p[2] - (double)k0;
            const float *a = c->src + (size_t)i0 + nx * (size_t)j0 + nxy * (size_t)k0;
            double c00 = a[0] + fx * ((double)a[1] - a[0]);
            double c10 = a[nx] + fx * ((double)a[nx + 1] - a[nx]);
            double c01 = a[nxy] + fx * ((double)a[nxy + 1] - a[nxy]);
            double c11 = a[nxy + nx] + fx * ((double)a[nxy + nx + 1] - a[nxy + nx]);
            double c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01);
            d[i] = (float)(c0 + fz * (c1 - c0));
        }
    }
    return CSF_OK;
}

/* Axis-aligned grids: the x, y and z positions are tabulated once, and a row
 * costs only the interpolation. Same arithmetic as sample(). */
static csf_status rs_rows_aligned(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    (void)err;
    const rs_ctx *c = vctx;
    const size_t sx = c->n[0] > 1, sy = c->n[1] > 1 ? c->n[0] : 0,
                 sz = c->n[2] > 1 ? c->n[0] * c->n[1] : 0;
    for (size_t row = b; row < e; row++) {
        const size_t j = row % c->ty, k = row / c->ty;
        float *d = c->dst + row * c->tx;
        if (!c->ax[1].inside[j] || !c->ax[2].inside[k]) {
            for (size_t i = 0; i < c->tx; i++)
                d[i] = c->fill;
            continue;
        }
        const float *base = c->src + c->n[0] * (c->ax[1].i0[j] + c->n[1] * c->ax[2].i0[k]);
        const double fy = c->ax[1].f[j], fz = c->ax[2].f[k];
        for (size_t i = 0; i < c->tx; i++) {
            if (!c->ax[0].inside[i]) {
                d[i] = c->fill;
                continue;
            }
            const float *a = base + c->ax[0].i0[i];
            const double fx = c->ax[0].f[i];
            double c00 = a[0] + fx * ((double)a[sx] - a[0]);
            double c10 = a[sy] + fx * ((double)a[sy + sx] - a[sy]);
            double c01 = a[sz] + fx * ((double)a[sz + sx] - a[sz]);
            double c11 = a[sz + sy] + fx * ((double)a[sz + sy + sx] - a[sz + sy]);
            double c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01);
            d[i] = (float)(c0 + fz * (c1 - c0));
        }
    }
    return CSF_OK;
}

/* Off-diagonal terms this small (in voxels per voxel) are rounding noise of
 * the matrix product: over 4096 voxels they move a point by < 1e-8 voxel. */
#define RS_ALIGNED_EPS 1e-12

static int aligned(const rs_ctx *c)
{
    for (int r = 0; r < 3; r++)
        for (int q = 0; q < 3; q++)
            if (r != q && !(fabs(c->m[r][q]) <= RS_ALIGNED_EPS))
                return 0;
    return 1;
}

static void free_tables(rs_ctx *c)
{
    for (int a = 0; a < 3; a++) {
        free(c->ax[a].i0);
        free(c->ax[a].f);
        free(c->ax[a].inside);
    }
}

static csf_status make_tables(rs_ctx *c, const size_t tdim[3], csf_error *err)
{
    for (int a = 0; a < 3; a++) {
        rs_axis *t = &c->ax[a];
        t->i0 = malloc(tdim[a] * sizeof *t->i0);
        t->f = malloc(tdim[a] * sizeof *t->f);
        t->inside = malloc(tdim[a]);
        if (t->i0 == NULL || t->f == NULL || t->inside == NULL)
            return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate resampling tables");
        for (size_t q = 0; q < tdim[a]; q++) {
            double p = c->m[a][3] + c->m[a][a] * (double)(long)q;
            t->inside[q] = (unsigned char)split(p, c->n[a], &t->i0[q], &t->f[q]);
        }
    }
    return CSF_OK;
}

csf_status csf_img_resample(const csf_volume *in, csf_volume *target, float fill,
                            const csf_exec *ex, csf_error *err)
{
    if (in == NULL || target == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_img_resample: NULL argument");
    if (target == in || target->data == in->data)
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "resampling cannot write over its own input");
    double inv[4][4];
    if (csf_affine_invert(&in->affine[0][0], &inv[0][0]) != 0)
        return csf_error_set(err, CSF_ERR_FORMAT, "resampling: input voxel-to-world matrix is singular");
    rs_ctx c = {in->data, target->data, {in->dim[0], in->dim[1], in->dim[2]},
                target->dim[0], target->dim[1], {{0}}, fill, {{0}}};
    for (int r = 0; r < 3; r++)
        for (int q = 0; q < 4; q++) {
            double s = 0;
            for (int k = 0; k < 4; k++)
                s += inv[r][k] * target->affine[k][q];
            c.m[r][q] = s;
        }
    const size_t rows = target->dim[1] * target->dim[2], grain = RESAMPLE_GRAIN_VOX / c.tx + 1;
    if (!aligned(&c))
        return csf_parallel_for(ex, rows, grain, rs_rows, &c, err);
    csf_status st = make_tables(&c, target->dim, err);
    if (st == CSF_OK)
        st = csf_parallel_for(ex, rows, grain, rs_rows_aligned, &c, err);
    free_tables(&c);
    return st;
}
