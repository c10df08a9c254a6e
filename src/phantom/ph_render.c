/* Acquisition: sample the model on a station's voxel grid (any axis order and
 * voxel size), box-filter each voxel (partial volume; the 2D protocol's 50 mm
 * slab is the same filter), apply bias field and Rician noise, round to int16.
 * Noise is keyed by the voxel index, so the result is independent of threads. */
#include <stdlib.h>
#include <string.h>

#include "phantom/ph_internal.h"

#define PH_2D_PIXEL (270.0 / 512.0)
#define PH_2D_SLAB 50.0
#define PH_SS_MAX 64

typedef struct grid {
    size_t dim[3];
    double sp[3];       /* storage spacing (mm) */
    double aff[4][4];   /* voxel -> world */
    int ns[3];          /* sub-samples per storage axis */
    double h;           /* soft-edge width (mm) */
    double amp;         /* intensity scale of the projection (1 in 3D) */
} grid;

typedef struct render_ctx {
    const csf_phantom *ph;
    size_t station;
    grid g;
    csf_volume *img, *lab;
    uint64_t noise_key;
    double sigma;
} render_ctx;

static int axis_of(char c, double *sign)
{
    const char *p = strchr("RLAPSI", c);
    int i = (int)(p - "RLAPSI");
    *sign = i % 2 == 0 ? 1.0 : -1.0;
    return i / 2;
}

static csf_status grid_setup(const csf_phantom *ph, size_t st, grid *g, csf_error *err)
{
    const double *lo = ph->st_lo[st], *hi = ph->st_hi[st];
    double wsp[3]; /* spacing per world axis */
    int w_of[3];
    double sgn[3];
    for (int a = 0; a < 3; a++)
        w_of[a] = axis_of(ph->spec.orient[a], &sgn[a]);
    for (int a = 0; a < 3; a++) {
        double v = ph->spec.voxel_mm[a] > 0 ? ph->spec.voxel_mm[a] : 1.0;
        if (ph->spec.protocol == CSF_PH_2D)
            v = w_of[a] == 1 ? PH_2D_SLAB : PH_2D_PIXEL;
        wsp[w_of[a]] = v;
    }
    memset(g, 0, sizeof *g);
    double minsp = 1e9;
    for (int a = 0; a < 3; a++) {
        int w = w_of[a];
        g->sp[a] = wsp[w];
        double n = floor((hi[w] - lo[w]) / wsp[w] + 0.5);
        if (n < 1)
            n = 1;
        if (n > CSF_VOLUME_MAX_AXIS)
            return csf_error_set(err, CSF_ERR_INVALID_ARG,
                                 "phantom: %g mm voxels give more than %u voxels along an axis", wsp[w],
                                 CSF_VOLUME_MAX_AXIS);
        g->dim[a] = (size_t)n;
        double org = sgn[a] > 0 ? lo[w] + 0.5 * wsp[w] : lo[w] + (n - 0.5) * wsp[w];
        g->aff[w][a] = sgn[a] * wsp[w];
        g->aff[w][3] = org;
        minsp = fmin(minsp, wsp[w]);
    }
    g->aff[3][3] = 1.0;
    if (ph->spec.tilt_deg != 0) { /* oblique: rotate the grid about x around the FOV centre */
        double t = ph->spec.tilt_deg * 3.14159265358979323846 / 180.0, c = cos(t), s = sin(t);
        double cy = 0.5 * (lo[1] + hi[1]), cz = 0.5 * (lo[2] + hi[2]);
        for (int col = 0; col < 4; col++) {
            double y = g->aff[1][col] - (col == 3 ? cy : 0), z = g->aff[2][col] - (col == 3 ? cz : 0);
            g->aff[1][col] = c * y - s * z + (col == 3 ? cy : 0);
            g->aff[2][col] = s * y + c * z + (col == 3 ? cz : 0);
        }
    }
    /* sub-sample thick axes at about the finest spacing (at least 1 mm steps) */
    double step = fmax(minsp, 1.0);
    g->h = 1e9;
    for (int a = 0; a < 3; a++) {
        int n = (int)ceil(g->sp[a] / step - 1e-9);
        g->ns[a] = n < 1 ? 1 : n > PH_SS_MAX ? PH_SS_MAX : n;
        g->h = fmin(g->h, g->sp[a] / g->ns[a]);
    }
    g->amp = ph->spec.protocol == CSF_PH_2D ? PH_2D_SLAB / 15.0 : 1.0;
    return CSF_OK;
}

/* Smooth multiplicative bias: quadratic over the body, and the receive-coil
 * falloff at the two z ends of a station. */
static double bias_at(const render_ctx *c, const double q[3])
{
    const csf_phantom *ph = c->ph;
    if (!ph->spec.bias)
        return 1.0;
    const double *lo = ph->st_lo[c->station], *hi = ph->st_hi[c->station];
    double u[3];
    for (int i = 0; i < 3; i++)
        u[i] = (q[i] - 0.5 * (lo[i] + hi[i])) / 300.0;
    const double *k = ph->bias_c;
    double b = 1 + k[0] * u[0] + k[1] * u[1] + k[2] * u[2] + k[3] * u[0] * u[0] + k[4] * u[1] * u[1] +
               k[5] * u[2] * u[2] + k[6] * u[0] * u[1] + k[7] * u[1] * u[2] + k[8] * u[0] * u[2];
    double e = fmin(q[2] - lo[2], hi[2] - q[2]) / 40.0;
    e = e < 0 ? 0 : e > 1 ? 1 : e;
    b *= 0.6 + 0.4 * e * e * (3 - 2 * e);
    return b < 0.3 ? 0.3 : b > 1.7 ? 1.7 : b;
}

/* Irwin-Hall(4) from 64 hash bits: a cheap, portable near-Gaussian. */
static double gauss(uint64_t h)
{
    double s = (double)(h & 0xffff) + (double)((h >> 16) & 0xffff) + (double)((h >> 32) & 0xffff) +
               (double)(h >> 48);
    return (s / 65536.0 - 2.0) * 1.7320508075688772;
}

/* A primitive that the current sampling line crosses, for t in [t0, t1]. */
typedef struct act {
    const ph_prim *p;
    double t0, t1;
} act;

/* Clips the line o + t d, t in [t0, t1], to a box; 0 when it misses. */
static int clip(const double o[3], const double d[3], const double lo[3], const double hi[3], double *t0,
                double *t1)
{
    for (int a = 0; a < 3; a++) {
        if (fabs(d[a]) < 1e-12) {
            if (o[a] < lo[a] || o[a] > hi[a])
                return 0;
            continue;
        }
        double ta = (lo[a] - o[a]) / d[a], tb = (hi[a] - o[a]) / d[a];
        if (ta > tb) {
            double x = ta;
            ta = tb, tb = x;
        }
        *t0 = ta > *t0 ? ta : *t0;
        *t1 = tb < *t1 ? tb : *t1;
        if (*t0 > *t1)
            return 0;
    }
    return 1;
}

/* The primitives along one sampling line, in painter's order. With a
 * constant-z line (w != NULL) tubes get their tight box at that z. */
static size_t line_active(const csf_phantom *ph, const double o[3], const double d[3], double tlo,
                          double thi, const ph_zrow *w, act *out)
{
    double za = o[2] + d[2] * tlo, zb = o[2] + d[2] * thi;
    double f0 = (fmin(za, zb) - ph->zmin) / PH_ZBIN, f1 = (fmax(za, zb) - ph->zmin) / PH_ZBIN;
    if (f1 < 0 || f0 >= (double)ph->nbins)
        return 0;
    size_t b0 = f0 < 0 ? 0 : (size_t)f0, b1 = f1 >= (double)ph->nbins ? ph->nbins - 1 : (size_t)f1;
    size_t n0 = b0 == b1 ? ph->binoff[b0] : 0, n1 = b0 == b1 ? ph->binoff[b0 + 1] : ph->nprims;
    size_t n = 0;
    for (size_t m = n0; m < n1; m++) {
        const ph_prim *p = &ph->prims[b0 == b1 ? ph->binidx[m] : m];
        double lo[3], hi[3], t0 = tlo, t1 = thi;
        memcpy(lo, p->lo, sizeof lo);
        memcpy(hi, p->hi, sizeof hi);
        if (w != NULL)
            ph_prim_row_box(p, w, lo, hi);
        if (clip(o, d, lo, hi, &t0, &t1))
            out[n++] = (act){p, t0, t1};
    }
    return n;
}

typedef struct row_acc {
    double *sum, *best;
    int *label;
    act *acts;
} row_acc;

/* Adds the samples of one sub-sample line of row (j, k) to the accumulators. */
static void sample_line(const render_ctx *c, double fj, double fk, row_acc *ra)
{
    const grid *g = &c->g;
    const csf_phantom *ph = c->ph;
    double o[3], d[3];
    for (int r = 0; r < 3; r++) {
        o[r] = g->aff[r][1] * fj + g->aff[r][2] * fk + g->aff[r][3];
        d[r] = g->aff[r][0];
    }
    ph_zrow tmp;
    const ph_zrow *w = d[2] == 0 ? ph_row(ph, o[2], &tmp) : NULL;
    if (w != NULL)
        o[1] += ph_slab_shift(ph, o[2]);
    double tlo = -0.5, thi = (double)g->dim[0] - 0.5;
    size_t na = line_active(ph, o, d, tlo, thi, w, ra->acts);
    for (size_t i = 0; i < g->dim[0]; i++)
        for (int a = 0; a < g->ns[0]; a++) {
            double t = (double)i + (a + 0.5) / g->ns[0] - 0.5, q[3];
            for (int r = 0; r < 3; r++)
                q[r] = o[r] + d[r] * t;
            double v = 0;
            int label = 0;
            for (size_t m = 0; m < na; m++) {
                if (t < ra->acts[m].t0 || t > ra->acts[m].t1)
                    continue;
                const ph_prim *p = ra->acts[m].p;
                double occ = ph_prim_occ(ph, p, q, g->h, w);
                if (occ <= 0)
                    continue;
                v += occ * (p->signal - v);
                if (occ >= 0.5)
                    label = p->label;
            }
            ra->sum[i] += v;
            if (label != 0 && v > ra->best[i])
                ra->best[i] = v, ra->label[i] = label;
        }
}

static void finish_voxel(const render_ctx *c, size_t i, size_t j, size_t k, double v, float *out)
{
    const grid *g = &c->g;
    double qc[3];
    for (int r = 0; r < 3; r++)
        qc[r] = g->aff[r][0] * (double)i + g->aff[r][1] * (double)j + g->aff[r][2] * (double)k + g->aff[r][3];
    double s = c->ph->gain * g->amp * v * bias_at(c, qc);
    if (c->sigma > 0) {
        size_t idx = i + g->dim[0] * (j + g->dim[1] * k);
        double n1 = gauss(ph_hash(c->noise_key, 2 * (uint64_t)idx));
        double n2 = gauss(ph_hash(c->noise_key, 2 * (uint64_t)idx + 1));
        double re = s + c->sigma * n1, im = c->sigma * n2;
        s = sqrt(re * re + im * im);
    }
    s = floor(s + 0.5);
    *out = (float)(s > 32767 ? 32767 : s);
}

static csf_status render_slice(void *vctx, size_t chunk, size_t begin, size_t end, csf_error *err)
{
    const render_ctx *c = vctx;
    const grid *g = &c->g;
    (void)chunk;
    size_t nx = g->dim[0], ny = g->dim[1];
    row_acc ra;
    ra.sum = malloc(nx * sizeof *ra.sum);
    ra.best = malloc(nx * sizeof *ra.best);
    ra.label = malloc(nx * sizeof *ra.label);
    ra.acts = malloc((c->ph->nprims + 1) * sizeof *ra.acts);
    csf_status st = CSF_OK;
    if (!ra.sum || !ra.best || !ra.label || !ra.acts)
        st = csf_error_set(err, CSF_ERR_NOMEM, "phantom: out of memory rendering");
    double nsub = (double)g->ns[0] * g->ns[1] * g->ns[2];
    for (size_t k = begin; k < end && st == CSF_OK; k++)
        for (size_t j = 0; j < ny; j++) {
            for (size_t i = 0; i < nx; i++)
                ra.sum[i] = 0, ra.best[i] = -1, ra.label[i] = 0;
            for (int b = 0; b < g->ns[1]; b++)
                for (int cc = 0; cc < g->ns[2]; cc++)
                    sample_line(c, (double)j + (b + 0.5) / g->ns[1] - 0.5,
                                (double)k + (cc + 0.5) / g->ns[2] - 0.5, &ra);
            for (size_t i = 0; i < nx; i++) {
                size_t idx = i + nx * (j + ny * k);
                finish_voxel(c, i, j, k, ra.sum[i] / nsub, &c->img->data[idx]);
                if (c->lab)
                    c->lab->data[idx] = (float)ra.label[i];
            }
        }
    free(ra.sum);
    free(ra.best);
    free(ra.label);
    free(ra.acts);
    return st;
}

static csf_status make_vol(const grid *g, csf_volume **out, csf_error *err)
{
    size_t dim[4] = {g->dim[0], g->dim[1], g->dim[2], 1};
    csf_volume *v = NULL;
    csf_status st = csf_volume_new(dim, g->sp, &v, err);
    if (st != CSF_OK)
        return st;
    memcpy(v->affine, g->aff, sizeof g->aff);
    *out = v;
    return CSF_OK;
}

csf_status csf_phantom_render(const csf_phantom *ph, size_t station, csf_volume **image,
                              csf_volume **labels, const csf_exec *ex, csf_error *err)
{
    if (ph == NULL || image == NULL || station >= ph->nstations)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_phantom_render: bad station %zu", station);
    render_ctx c;
    memset(&c, 0, sizeof c);
    c.ph = ph;
    c.station = station;
    csf_status st = grid_setup(ph, station, &c.g, err);
    if (st == CSF_OK)
        st = make_vol(&c.g, &c.img, err);
    if (st == CSF_OK && labels != NULL)
        st = make_vol(&c.g, &c.lab, err);
    if (st == CSF_OK) {
        c.noise_key = ph_hash(ph->spec.seed, 30 + station);
        c.sigma = ph->spec.snr > 0 ? ph->gain / ph->spec.snr : 0;
        st = csf_parallel_for(ex, c.g.dim[2], 1, render_slice, &c, err);
    }
    if (st != CSF_OK) {
        csf_volume_free(c.img);
        csf_volume_free(c.lab);
        return st;
    }
    *image = c.img;
    if (labels)
        *labels = c.lab;
    return CSF_OK;
}
