/* Radioisotope cisternography: planar counts at hours. The few small planar
 * frames of a study are kept (RIC is instant; the streaming bound concerns
 * CTM and DSM). Geometry comes from the sum of all frames: the canal column is
 * the narrow vertical band of activity, the head the wide activity above it.
 * Grades on the RIC scale (domain.md): faint / hot paraspinal activity,
 * shorter / longer than the canal's transverse width. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dyn_internal.h"

#define HOT_RATIO 0.5        /* paraspinal peak >= half the adjacent canal activity */
#define COLUMN_MAX_MM 40.0   /* a row whose FWHM is wider is head / bladder, not canal */
#define FAST_HALF_H 12.0     /* decay-corrected intrathecal half-time below which clearance is fast */
#define CISTERN_MM 25.0      /* below the foramen magnum, cisternal activity overlaps C1-C2 */
#define CONVEXITY_MM 60.0    /* basal cisterns lie within this height above the foramen magnum */
#define HEAD_MIN_MM 100.0    /* field of view above the foramen magnum needed to judge the convexities */
/* Spinal column fractions from the foramen magnum down (adult lengths C 13,
 * T 28, L+S 18 cm) when no levels are given. */
static const double k_frac[2] = {13.0 / 59.0, 41.0 / 59.0};

struct dyn_ric {
    size_t n, cap;
    float **img;
    double *t;
};

void csf_dyn_ric_free(struct dyn_ric *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->img[i]);
    free(s->img);
    free(s->t);
    free(s);
}

csf_status csf_dyn_ric_push(csf_dyn_analyzer *a, const csf_volume *f, double time_h,
                            csf_error *err)
{
    if (a->ric == NULL && (a->ric = calloc(1, sizeof *a->ric)) == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "ric: out of memory");
    struct dyn_ric *s = a->ric;
    if (s->n == s->cap) {
        size_t nc = s->cap ? 2 * s->cap : 8;
        float **im = realloc(s->img, nc * sizeof *im);
        if (im == NULL)
            return csf_error_set(err, CSF_ERR_NOMEM, "ric: out of memory");
        s->img = im;
        double *t = realloc(s->t, nc * sizeof *t);
        if (t == NULL)
            return csf_error_set(err, CSF_ERR_NOMEM, "ric: out of memory");
        s->t = t;
        s->cap = nc;
    }
    size_t np = a->dim[0] * a->dim[2];
    float *c = malloc(np * sizeof *c);
    if (c == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "ric: out of memory");
    for (size_t i = 0; i < np; i++)
        c[i] = isfinite(f->data[i]) && f->data[i] > 0 ? f->data[i] : 0;
    s->img[s->n] = c;
    s->t[s->n] = time_h;
    s->n++;
    return CSF_OK;
}

typedef struct ric_geo {
    double cx;          /* canal centre column (pixels) */
    double half;        /* canal half width (pixels) */
    long zb, zt;        /* canal rows */
    long htop;          /* highest row with activity (head top) */
    int head;           /* head in view */
} ric_geo;

static int cmpd(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* FWHM (pixels) of row r around its maximum. */
static double row_fwhm(const double *row, size_t nx, size_t *am)
{
    size_t m = 0;
    for (size_t x = 1; x < nx; x++)
        if (row[x] > row[m])
            m = x;
    *am = m;
    double h = 0.5 * row[m];
    size_t l = m, r = m;
    while (l > 0 && row[l - 1] >= h)
        l--;
    while (r + 1 < nx && row[r + 1] >= h)
        r++;
    return (double)(r - l + 1);
}

static csf_status geometry(const csf_dyn_analyzer *a, ric_geo *g, csf_error *err)
{
    const size_t nx = a->dim[0], nz = a->dim[2];
    const struct dyn_ric *s = a->ric;
    double *sum = calloc(nx * nz + 2 * nz, sizeof *sum);
    if (sum == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "ric: out of memory");
    double *w = sum + nx * nz, *am = w + nz;
    for (size_t f = 0; f < s->n; f++)
        for (size_t i = 0; i < nx * nz; i++)
            sum[i] += s->img[f][i];
    double peak = 0;
    for (size_t i = 0; i < nx * nz; i++)
        peak = fmax(peak, sum[i]);
    size_t nc = 0;
    long run = 0, best = 0, bend = -1;
    g->htop = -1;
    for (size_t z = 0; z < nz; z++) {
        size_t m = 0;
        double fw = row_fwhm(sum + z * nx, nx, &m) * a->spacing[0];
        double rmax = sum[z * nx + m];
        int act = rmax > 0.05 * peak, col = act && fw <= COLUMN_MAX_MM;
        if (act)
            g->htop = (long)z;
        if (col) {
            w[nc] = fw;
            am[nc] = (double)m;
            nc++;
        }
        run = col ? run + 1 : 0;
        if (run > best) {
            best = run;
            bend = (long)z;
        }
    }
    if (nc < 3 || best < 3) {
        free(sum);
        return csf_error_set(err, CSF_ERR_FORMAT, "ric: no spinal canal activity column found");
    }
    qsort(w, nc, sizeof *w, cmpd);
    qsort(am, nc, sizeof *am, cmpd);
    g->half = 0.5 * w[nc / 2] / a->spacing[0];
    g->cx = am[nc / 2];
    g->zt = bend;
    g->zb = bend - best + 1;
    g->head = (double)((long)nz - 1 - g->zt) * a->spacing[2] >= HEAD_MIN_MM;
    free(sum);
    return CSF_OK;
}

/* Where the canal's own activity, blurred by the camera (a Gaussian of the
 * measured FWHM), falls to the 10 % detection level: 0.91 FWHM from the
 * centre, plus a pixel. Activity beyond it is paraspinal. */
static double canal_edge(const ric_geo *g)
{
    return 0.91 * 2 * g->half + 1;
}

/* Background (median) and a Poisson detection threshold: 5 s.d. above it and
 * at least 10 % of the canal's own activity (its peak along the centre column).
 * Computed once per frame and shared by the counts and the paraspinal search. */
typedef struct ric_thr {
    double bg, thr;
} ric_thr;

static csf_status detect_thr(const float *img, size_t nx, size_t nz, const ric_geo *g,
                             ric_thr *out, csf_error *err)
{
    double canal = 0;
    for (long z = g->zb; z <= g->zt; z++)
        canal = fmax(canal, img[(size_t)z * nx + (size_t)lround(g->cx)]);
    size_t np = nx * nz;
    double *t = malloc(np * sizeof *t);
    if (t == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "ric: out of memory");
    for (size_t i = 0; i < np; i++)
        t[i] = img[i];
    qsort(t, np, sizeof *t, cmpd);
    out->bg = t[np / 2];
    free(t);
    out->thr = out->bg + fmax(5 * sqrt(out->bg + 1), 0.1 * (canal - out->bg));
    return CSF_OK;
}

static int region_of(const csf_dyn_analyzer *a, const ric_geo *g, double zvox, double zmm)
{
    int lvl = csf_dyn_levels_at(&a->lv, zmm);
    if (lvl >= 0)
        return csf_dyn_level_region(lvl);
    if (a->lv.n > 0)
        return -1;
    double f = ((double)g->zt - zvox) / fmax(1.0, (double)(g->zt - g->zb));
    return f < k_frac[0] ? 0 : f < k_frac[1] ? 1 : 2;
}

static double world_z(const csf_dyn_analyzer *a, double x, double z)
{
    return a->affine[2][0] * x + a->affine[2][2] * z + a->affine[2][3];
}

typedef struct ric_comp {
    size_t n, xmin, xmax, zmin, zmax;
    double peak, sx, sz;
} ric_comp;

/* Canal activity over background along the column (centre pixel, maximum
 * over +-2 rows against noise and the camera's sampling). */
static void local_canal(const float *img, size_t nx, size_t nz, const ric_geo *g, double bg,
                        double *loc)
{
    size_t cx = (size_t)lround(g->cx);
    for (size_t z = 0; z < nz; z++) {
        double v = 0;
        for (long k = (long)z - 2; k <= (long)z + 2; k++)
            if (k >= 0 && k < (long)nz)
                v = fmax(v, img[(size_t)k * nx + cx] - bg);
        loc[z] = v;
    }
}

/* 8-connected flood fill of mask value 1 from s0 (marking 2); q receives the
 * pixels; *old is set when any was already part of an earlier site. */
static size_t ric_flood(size_t nx, size_t nz, const float *img, uint8_t *m, size_t *q, size_t s0,
                        const uint8_t *seen, ric_comp *cp, int *old)
{
    ric_comp c = {0, nx, 0, nz, 0, 0, 0, 0};
    size_t nq = 0, h = 0;
    m[s0] = 2;
    q[nq++] = s0;
    while (h < nq) {
        size_t p = q[h++], x = p % nx, z = p / nx;
        c.n++;
        c.sx += (double)x;
        c.sz += (double)z;
        c.xmin = x < c.xmin ? x : c.xmin;
        c.xmax = x > c.xmax ? x : c.xmax;
        c.zmin = z < c.zmin ? z : c.zmin;
        c.zmax = z > c.zmax ? z : c.zmax;
        c.peak = fmax(c.peak, img[p]);
        *old |= seen[p];
        for (int dz = -1; dz <= 1; dz++)
            for (int dx = -1; dx <= 1; dx++) {
                long X = (long)x + dx, Z = (long)z + dz;
                if (X < 0 || Z < 0 || X >= (long)nx || Z >= (long)nz)
                    continue;
                size_t v = (size_t)Z * nx + (size_t)X;
                if (m[v] == 1) {
                    m[v] = 2;
                    q[nq++] = v;
                }
            }
    }
    *cp = c;
    return nq;
}

/* 8-connected components of paraspinal activity in frame f; each graded and
 * turned into a site the first time its pixels light up. */
static csf_status paraspinal(csf_dyn_analyzer *a, const ric_geo *g, size_t f, const ric_thr *t,
                             uint8_t *seen, csf_dyn_result *r, csf_error *err)
{
    const size_t nx = a->dim[0], nz = a->dim[2];
    const float *img = a->ric->img[f];
    const double bg = t->bg, thr = t->thr;
    double edge = canal_edge(g);
    uint8_t *m = calloc(nx * nz, 1);
    size_t *q = malloc(nx * nz * sizeof *q);
    double *loc = malloc(nz * sizeof *loc);
    if (m == NULL || q == NULL || loc == NULL) {
        free(m);
        free(q);
        free(loc);
        return csf_error_set(err, CSF_ERR_NOMEM, "ric: out of memory");
    }
    local_canal(img, nx, nz, g, bg, loc);
    long ztop = g->zt - (long)ceil(CISTERN_MM / a->spacing[2]);
    for (long z = g->zb; z <= ztop; z++)
        for (size_t x = 0; x < nx; x++)
            if (fabs((double)x - g->cx) > edge && img[(size_t)z * nx + x] > thr)
                m[(size_t)z * nx + x] = 1;
    for (size_t s0 = 0; s0 < nx * nz; s0++) {
        if (m[s0] != 1)
            continue;
        ric_comp c;
        int old = 0;
        size_t nq = ric_flood(nx, nz, img, m, q, s0, seen, &c, &old);
        if (c.n < 4)
            continue;
        double cxv = c.sx / (double)c.n, czv = c.sz / (double)c.n;
        double len = fmax((double)(c.xmax - c.xmin + 1) * a->spacing[0],
                          (double)(c.zmax - c.zmin + 1) * a->spacing[2]);
        double width = 2 * g->half * a->spacing[0];
        /* hot / faint against the canal at the same level: tracer is unevenly
         * spread along the column and leaked activity scales with it */
        double lc = 0;
        for (size_t z = c.zmin; z <= c.zmax; z++)
            lc = fmax(lc, loc[z]);
        int hot = c.peak - bg >= HOT_RATIO * lc, longer = len > width;
        int grade = hot ? (longer ? 3 : 2) : (longer ? 2 : 1);
        int reg = region_of(a, g, czv, world_z(a, cxv, czv));
        if (reg >= 0 && grade > r->region_grade[reg])
            r->region_grade[reg] = grade;
        for (size_t k = 0; k < nq; k++)
            seen[q[k]] = 1;
        if (old)
            continue;
        csf_dyn_site st = {0};
        st.frame = f;
        st.time = a->ric->t[f];
        st.kind = CSF_DYN_LEAK;
        st.side = cxv > g->cx ? CSF_DYN_RIGHT : CSF_DYN_LEFT;
        st.center_mm[0] = a->affine[0][0] * cxv + a->affine[0][2] * czv + a->affine[0][3];
        st.center_mm[1] = a->affine[1][0] * cxv + a->affine[1][2] * czv + a->affine[1][3];
        st.center_mm[2] = world_z(a, cxv, czv);
        st.level = csf_dyn_levels_at(&a->lv, st.center_mm[2]);
        st.size_first = st.size_max = (double)c.n * a->spacing[0] * a->spacing[2];
        st.length_mm = len;
        csf_dyn_site *ns = realloc(r->sites, (r->nsites + 1) * sizeof *ns);
        if (ns == NULL) {
            free(m);
            free(q);
            free(loc);
            return csf_error_set(err, CSF_ERR_NOMEM, "ric: out of memory");
        }
        r->sites = ns;
        r->sites[r->nsites++] = st;
    }
    free(m);
    free(q);
    free(loc);
    return CSF_OK;
}

/* Curves, bladder and convexity for frame f. */
static void frame_counts(csf_dyn_analyzer *a, const ric_geo *g, size_t f, const ric_thr *t,
                         csf_dyn_result *r, double *convex_frac, int *bladder, int *conv_seen)
{
    const size_t nx = a->dim[0], nz = a->dim[2];
    const float *img = a->ric->img[f];
    const double bg = t->bg, thr = t->thr;
    double edge = canal_edge(g);
    double in = 0, out = 0, head = 0, conv = 0;
    long split = g->zt + (long)ceil(CONVEXITY_MM / a->spacing[2]), gap = (long)ceil(10.0 / a->spacing[2]);
    size_t bl = 0, nconv = 0;
    double csum = 0;
    for (size_t z = 0; z < nz; z++)
        for (size_t x = 0; x < nx; x++) {
            double v = img[z * nx + x] - bg;
            long zz = (long)z;
            if (zz > split) {
                csum += v;
                nconv++;
            }
            if (v <= 0)
                continue;
            if (zz > g->zt) {
                head += v;
                if (zz > split)
                    conv += v;
            } else if (zz >= g->zb) {
                if (fabs((double)x - g->cx) <= edge)
                    in += v;
                else if (img[z * nx + x] > thr)
                    out += v;
            } else if (zz < g->zb - gap && img[z * nx + x] > thr) {
                bl++;
            }
        }
    r->frames[f].intrathecal = in + head;
    r->frames[f].extrathecal = out;
    *convex_frac = head > 0 ? conv / head : 0;
    /* net counts over the background, significant at 5 s.d. of the Poisson
     * background summed over the region */
    *conv_seen = csum > 5 * sqrt((bg + 1) * (double)(nconv > 0 ? nconv : 1));
    *bladder = bl >= 4;
}

/* Log-linear fit of decay-corrected intrathecal counts: half-time in h. */
static double clearance_half(const csf_dyn_result *r, double iso_half)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0;
    for (size_t f = 0; f < r->nframes; f++) {
        double c = r->frames[f].intrathecal;
        if (!(c > 0))
            continue;
        double t = r->frames[f].time, y = log(c) + log(2.0) * t / iso_half;
        sx += t;
        sy += y;
        sxx += t * t;
        sxy += t * y;
        n++;
    }
    if (n < 2 || sxx * n - sx * sx <= 0)
        return NAN;
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    return slope < 0 ? log(2.0) / -slope : INFINITY;
}

csf_status csf_dyn_ric_finish(csf_dyn_analyzer *a, csf_dyn_result *r, csf_error *err)
{
    if (a->ric == NULL || a->ric->n == 0)
        return csf_error_set(err, CSF_ERR_FORMAT, "ric: no frames");
    ric_geo g = {0};
    csf_status st = geometry(a, &g, err);
    if (st != CSF_OK)
        return st;
    const size_t n = a->ric->n, np = a->dim[0] * a->dim[2];
    r->frames = calloc(n, sizeof *r->frames);
    uint8_t *seen = calloc(np, 1);
    if (r->frames == NULL || seen == NULL) {
        free(seen);
        return csf_error_set(err, CSF_ERR_NOMEM, "ric: out of memory");
    }
    r->nframes = n;
    for (int k = 0; k < 3; k++)
        r->region_grade[k] = 0;
    r->canal_width_mm = 2 * g.half * a->spacing[0];
    r->bladder_early = 0;
    double conv24 = -1;
    for (size_t f = 0; f < n && st == CSF_OK; f++) {
        r->frames[f] = a->frames[f];
        r->frames[f].sac_top_mm = world_z(a, g.cx, (double)g.zt);
        r->frames[f].sac_bottom_mm = world_z(a, g.cx, (double)g.zb);
        r->frames[f].sac_height_mm = r->frames[f].sac_top_mm - r->frames[f].sac_bottom_mm;
        double cf = 0;
        int bl = 0, cs = 0;
        ric_thr t = {0, 0};
        st = detect_thr(a->ric->img[f], a->dim[0], a->dim[2], &g, &t, err);
        if (st != CSF_OK)
            break;
        frame_counts(a, &g, f, &t, r, &cf, &bl, &cs);
        if (bl && a->ric->t[f] < 4.0)
            r->bladder_early = 1;
        if (a->ric->t[f] >= 20.0)
            conv24 = cs ? cf : 0;
        st = paraspinal(a, &g, f, &t, seen, r, err);
    }
    free(seen);
    if (st != CSF_OK)
        return st;
    /* Normal tracer ascent puts most (over half) of the intracranial activity
     * over the convexities by 24 h; less than that is read as "little or no"
     * convexity activity (the basal cisterns still hold most of it). */
    r->convexity_absent_24h = !g.head || conv24 < 0 ? -1 : conv24 < 0.5;
    r->clearance_half_h = clearance_half(r, a->p.isotope_half_life_h);
    r->fast_clearance = isnan(r->clearance_half_h) ? -1 : r->clearance_half_h < FAST_HALF_H;
    r->positive = r->region_grade[0] >= 1 || r->region_grade[1] >= 1 || r->region_grade[2] >= 1;
    snprintf(r->note, sizeof r->note, "%s",
             r->positive ? "paraspinal activity (direct sign of a leak)"
                         : "no paraspinal activity");
    return CSF_OK;
}
