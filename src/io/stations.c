/* Several stations of one spine merged on one axis-aligned RAS grid: each
 * output voxel is the feather-weighted mean of the stations' trilinear values
 * there (one pass, no per-station full-size copies). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/img_filter.h"
#include "io_internal.h"

typedef struct station {
    const csf_volume *v;
    double inv[4][4]; /* RAS mm -> voxel */
    int aligned;      /* station voxel = output voxel + off (same axes and spacing) */
    double off[3];
} station;

typedef struct merge_ctx {
    station *st;
    size_t n;
    csf_volume *out;
} merge_ctx;

/* Feather weight: distance in voxels to the station's nearest edge plus one
 * half, over the axes the station extends along; 0 outside. */
static double feather(const csf_volume *v, const double p[3])
{
    double w = 1e30;
    for (int a = 0; a < 3; a++) {
        double hi = (double)(v->dim[a] - 1), tol = v->dim[a] == 1 ? 0.5 : 1e-6;
        if (p[a] < -tol || p[a] > hi + tol)
            return 0;
        if (v->dim[a] > 1) {
            double d = fmin(p[a], hi - p[a]);
            w = fmin(w, (d < 0 ? 0 : d) + 0.5);
        }
    }
    return w > 1e29 ? 1.0 : w;
}

/* Position of output index q along one station axis of n voxels: clamped
 * coordinate, its lower neighbour, interpolation weight and feather term
 * (as feather() and the trilinear sampler give them). 0 when outside. */
typedef struct axis_pos {
    size_t lo, hi;
    double w, f;
} axis_pos;

static int axis_at(double p, size_t n, axis_pos *ap)
{
    double top = (double)(n - 1), tol = n == 1 ? 0.5 : 1e-6;
    if (p < -tol || p > top + tol)
        return 0;
    p = p < 0 ? 0 : (p > top ? top : p);
    ap->lo = (size_t)floor(p);
    ap->hi = ap->lo + 1 < n ? ap->lo + 1 : ap->lo;
    ap->w = p - (double)ap->lo;
    ap->f = n == 1 ? 1e30 : fmin(p, top - p) + 0.5;
    return 1;
}

/* Stations that are translations of the output lattice (the usual case: one
 * scanner, one protocol, the table moved): the trilinear weights are the same
 * for every voxel, so rows are blended directly without per-voxel affines. */
static void merge_row_translated(const merge_ctx *c, size_t j, size_t k, double *sw, double *sv)
{
    const csf_volume *o = c->out;
    for (size_t s = 0; s < c->n; s++) {
        const station *t = &c->st[s];
        const csf_volume *v = t->v;
        axis_pos aj, ak, ai;
        if (!axis_at((double)j + t->off[1], v->dim[1], &aj) || !axis_at((double)k + t->off[2], v->dim[2], &ak))
            continue;
        double wjk = fmin(aj.f, ak.f);
        size_t nx = v->dim[0], ny = v->dim[1];
        const float *r00 = v->data + nx * (aj.lo + ny * ak.lo), *r10 = v->data + nx * (aj.hi + ny * ak.lo);
        const float *r01 = v->data + nx * (aj.lo + ny * ak.hi), *r11 = v->data + nx * (aj.hi + ny * ak.hi);
        for (size_t i = 0; i < o->dim[0]; i++) {
            if (!axis_at((double)i + t->off[0], nx, &ai))
                continue;
            double x0 = r00[ai.lo] + ai.w * (r00[ai.hi] - r00[ai.lo]);
            double x1 = r10[ai.lo] + ai.w * (r10[ai.hi] - r10[ai.lo]);
            double x2 = r01[ai.lo] + ai.w * (r01[ai.hi] - r01[ai.lo]);
            double x3 = r11[ai.lo] + ai.w * (r11[ai.hi] - r11[ai.lo]);
            double y0 = x0 + aj.w * (x1 - x0), y1 = x2 + aj.w * (x3 - x2);
            double w = fmin(wjk, ai.f);
            w = w > 1e29 ? 1.0 : w;
            sw[i] += w;
            sv[i] += w * (y0 + ak.w * (y1 - y0));
        }
    }
}

static csf_status merge_range(void *vctx, size_t chunk, size_t begin, size_t end,
                              csf_error *err)
{
    const merge_ctx *c = vctx;
    const csf_volume *o = c->out;
    int all_aligned = 1;
    for (size_t s = 0; s < c->n; s++)
        all_aligned &= c->st[s].aligned;
    if (all_aligned) {
        double *sw = malloc(2 * o->dim[0] * sizeof *sw);
        if (sw == NULL)
            return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
        double *sv = sw + o->dim[0];
        for (size_t k = begin; k < end; k++)
            for (size_t j = 0; j < o->dim[1]; j++) {
                memset(sw, 0, 2 * o->dim[0] * sizeof *sw);
                merge_row_translated(c, j, k, sw, sv);
                float *out = o->data + o->dim[0] * (j + o->dim[1] * k);
                for (size_t i = 0; i < o->dim[0]; i++)
                    out[i] = sw[i] > 0 ? (float)(sv[i] / sw[i]) : 0.0f;
            }
        free(sw);
        (void)chunk;
        return CSF_OK;
    }
    for (size_t k = begin; k < end; k++)
        for (size_t j = 0; j < o->dim[1]; j++)
            for (size_t i = 0; i < o->dim[0]; i++) {
                double ijk[3] = {(double)i, (double)j, (double)k}, w[3];
                csf_volume_ijk_to_ras(o, ijk, w);
                double sw = 0, sv = 0;
                for (size_t s = 0; s < c->n; s++) {
                    const double *m = &c->st[s].inv[0][0];
                    double p[3];
                    for (int r = 0; r < 3; r++)
                        p[r] = m[4 * r] * w[0] + m[4 * r + 1] * w[1] + m[4 * r + 2] * w[2] + m[4 * r + 3];
                    double f = feather(c->st[s].v, p);
                    if (f > 0) {
                        sw += f;
                        sv += f * csf_img_sample_trilinear(c->st[s].v, p, 0.0f);
                    }
                }
                o->data[i + o->dim[0] * (j + o->dim[1] * k)] = sw > 0 ? (float)(sv / sw) : 0.0f;
            }
    return CSF_OK;
}

/* Union bounding box of voxel centres and the finest spacing per axis. */
static csf_status plan_grid(const csf_volume *const *v, size_t n, csf_volume **out,
                            csf_error *err)
{
    double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    double sp[3] = {INFINITY, INFINITY, INFINITY};
    for (size_t s = 0; s < n; s++)
        for (int corner = 0; corner < 8; corner++) {
            double ijk[3], w[3];
            for (int a = 0; a < 3; a++) {
                ijk[a] = corner & (1 << a) ? (double)(v[s]->dim[a] - 1) : 0;
                if (corner == 0)
                    sp[a] = fmin(sp[a], v[s]->spacing[a]);
            }
            csf_volume_ijk_to_ras(v[s], ijk, w);
            for (int a = 0; a < 3; a++) {
                lo[a] = fmin(lo[a], w[a]);
                hi[a] = fmax(hi[a], w[a]);
            }
        }
    size_t dim[4] = {1, 1, 1, 1};
    for (int a = 0; a < 3; a++) {
        double nvox = floor((hi[a] - lo[a]) / sp[a] + 1e-6) + 1;
        if (!(nvox >= 1 && nvox <= CSF_VOLUME_MAX_AXIS))
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "merged stations span %.1f mm along axis %d: %.0f voxels of "
                                 "%.3f mm is above the limit", hi[a] - lo[a], a + 1, nvox, sp[a]);
        dim[a] = (size_t)nvox;
    }
    csf_status st = csf_volume_new(dim, sp, out, err);
    if (st != CSF_OK)
        return st;
    for (int a = 0; a < 3; a++)
        (*out)->affine[a][3] = lo[a];
    return CSF_OK;
}

/* Whether station t is a translation of the output lattice: the same
 * axis-aligned spacing (any origin). Offsets within 1e-3 voxel of an integer
 * are snapped, so a station on the lattice is copied, not interpolated. */
static void lattice(const csf_volume *o, station *t)
{
    t->aligned = 1;
    for (int r = 0; r < 3; r++)
        for (int a = 0; a < 3; a++) {
            double want = r == a ? o->spacing[a] : 0.0;
            if (fabs(t->v->affine[r][a] - want) > 1e-6 * o->spacing[a])
                t->aligned = 0;
        }
    for (int a = 0; a < 3; a++) {
        double d = (o->affine[a][3] - t->v->affine[a][3]) / o->spacing[a];
        t->off[a] = fabs(d - round(d)) < 1e-3 ? round(d) : d;
    }
}

static csf_status merge(const csf_volume *const *v, size_t n, const csf_exec *ex,
                        csf_volume **out, csf_error *err)
{
    station *st = calloc(n, sizeof *st);
    if (st == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    for (size_t s = 0; s < n; s++) {
        st[s].v = v[s];
        csf_affine_invert(&v[s]->affine[0][0], &st[s].inv[0][0]); /* checked at read */
    }
    csf_volume *o = NULL;
    csf_status rc = plan_grid(v, n, &o, err);
    for (size_t s = 0; s < n && rc == CSF_OK; s++)
        lattice(o, &st[s]);
    if (rc == CSF_OK) {
        merge_ctx c = {.st = st, .n = n, .out = o};
        rc = csf_parallel_for(ex, o->dim[2], 1, merge_range, &c, err);
    }
    free(st);
    if (rc != CSF_OK) {
        csf_volume_free(o);
        return rc;
    }
    *out = o;
    return CSF_OK;
}

csf_status csf_io_merge_stations(const csf_volume *const *v, size_t n, const csf_exec *ex,
                                 csf_volume **out, csf_error *err)
{
    if (v == NULL || out == NULL || n == 0)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_io_merge_stations: no input");
    return merge(v, n, ex, out, err);
}

csf_status csf_io_read_stations(const char *const *paths, size_t n, const csf_exec *ex,
                                csf_volume **out, csf_error *err)
{
    if (paths == NULL || out == NULL || n == 0)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_io_read_stations: no input");
    if (n == 1)
        return csf_io_read(paths[0], ex, out, NULL, err);
    csf_volume **v = calloc(n, sizeof(csf_volume *));
    if (v == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    csf_status st = CSF_OK;
    for (size_t s = 0; s < n && st == CSF_OK; s++)
        st = csf_io_read(paths[s], ex, &v[s], NULL, err);
    if (st == CSF_OK)
        st = merge((const csf_volume *const *)v, n, ex, out, err);
    for (size_t s = 0; s < n; s++)
        csf_volume_free(v[s]);
    free(v);
    return st;
}
