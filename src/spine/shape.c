/* Step 3: the sac's wall. From the tracked centre, rays in the slice plane
 * find the wall (the cord in the middle is dark: a ray first crosses it, then
 * the CSF ring, then stops at the wall). Root sleeves, leaks and cysts lengthen
 * a ray for a few mm of height only, so a running median of each ray's radius
 * along the spine (window longer than a sleeve, shorter than a level) keeps the
 * wall and drops the outpouchings. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/img_stats.h"
#include "spine_internal.h"

#define RAY_FIRST_MM 14.0   /* cord radius is <= ~6 mm: CSF is met before this */
#define RAY_MAX_MM 40.0     /* no sac is wider than 80 mm */
#define WALL_WINDOW_MM 12.0 /* half window of the along-spine median */
#define LATERAL_WINDOW_MM 25.0
#define LATERAL_QUANTILE 0.3
#define CENTER_WINDOW_MM 10.0
#define CSF_WINDOW_MM 20.0
/* Dark runs up to this length inside the CSF are nerve roots (cauda equina,
 * ~1.4 mm thick, ~1 mm below half maximum); the dura plus epidural space that
 * separates an SLEC is wider (>= ~1.4 mm). */
#define DARK_GAP_MM 1.2
/* In the 2D projection the sac has no dark gap: in front of and behind the
 * cord there is still CSF, so its shadow stays above the quarter-maximum
 * threshold and only noise dips below it, for a pixel or two. Outside the
 * wall the background runs on for many mm; the wall is where a dark run
 * longer than a thoracic sleeve's diameter begins. */
#define DARK_GAP_2D_MM 2.5
/* Ventral and dorsal rays may cross a darker run up to this long (roots
 * lying dorsally in the lumbar sac) as long as the wall they reach stays
 * within the sac's lateral half-width: the dural sac is never deeper than
 * wide (outside ectasia), while an SLEC lies beyond that. */
#define BRIDGE_MM 2.5
#define TISSUE_FROM_MM 3.0
#define TISSUE_TO_MM 8.0

static int ray_used(int r, int is2d) { return !is2d || r == 0 || r == CSF_SAC_NRAYS / 2; }

double csf_sac_radius_at(const csf_sac_slice *s, double theta, int is2d)
{
    if (is2d)
        return cos(theta) >= 0 ? s->radius_mm[0] : s->radius_mm[CSF_SAC_NRAYS / 2];
    double f = theta / (2 * M_PI) * CSF_SAC_NRAYS;
    f = fmod(f, CSF_SAC_NRAYS);
    if (f < 0)
        f += CSF_SAC_NRAYS;
    int r0 = (int)f % CSF_SAC_NRAYS, r1 = (r0 + 1) % CSF_SAC_NRAYS;
    double t = f - floor(f);
    return (1 - t) * s->radius_mm[r0] + t * s->radius_mm[r1];
}

/* Marches one ray; returns the wall radius (NaN when no fluid is met) and
 * accumulates fluid and tissue intensity samples. */
static double march(const csf_spine *sp, size_t k, const double c[2], double theta, float thr,
                    double rlim, double *fluid, size_t *nf, double *tissue, size_t *nt, size_t cap)
{
    double gap_mm = isfinite(rlim) ? BRIDGE_MM : (sp->is2d ? DARK_GAP_2D_MM : DARK_GAP_MM), wall0 = NAN;
    const float *sl = sp->vol->data + k * sp->nx * sp->ny;
    double h = 0.5 * (sp->is2d ? sp->sx : fmin(sp->sx, sp->sy));
    double ui = cos(theta) / sp->sx, uj = sp->is2d ? 0.0 : sin(theta) / sp->sy;
    int phase = 0, dark = 0;
    double wall = NAN;
    for (double t = 0; t <= RAY_MAX_MM + TISSUE_TO_MM; t += h) {
        long i = lround(c[0] + t * ui), j = sp->is2d ? 0 : lround(c[1] + t * uj);
        if (i < 0 || j < 0 || (size_t)i >= sp->nx || (size_t)j >= sp->ny)
            break;
        float v = sl[(size_t)i + sp->nx * (size_t)j];
        int bright = v > thr;
        if (phase == 0) {
            if (bright)
                phase = 1;
            else if (t > RAY_FIRST_MM)
                return NAN;
        }
        if (phase == 1) {
            if (bright) {
                wall = t + 0.5 * h;
                dark = 0;
                if (*nf < cap)
                    fluid[(*nf)++] = v;
            } else {
                ++dark;
                if ((double)dark * h > DARK_GAP_MM && isnan(wall0))
                    wall0 = wall; /* the wall if the next dark run is not bridged */
                if ((double)dark * h > gap_mm || t > RAY_MAX_MM)
                    phase = 2;
            }
        } else if (phase == 2 && t > wall + TISSUE_FROM_MM) {
            if (t > wall + TISSUE_TO_MM)
                break;
            if (*nt < cap)
                tissue[(*nt)++] = v;
        }
    }
    /* a bridged gap that takes the wall beyond the sac's half-width crossed
     * the dura (an SLEC behind it), not a nerve root: keep the inner wall */
    if (isfinite(wall0) && wall > rlim)
        wall = wall0;
    return wall;
}

static double quantile_nan(const double *v, size_t n, double q, double *buf)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            buf[m++] = v[i];
    if (m == 0)
        return NAN;
    return csf_img_select_kth(buf, m, (size_t)floor(q * (double)(m - 1) + 0.5));
}

/* Running quantile q along k of a per-slice value inside the chain. */
static void run_quantile(const csf_spine *sp, double *val, size_t stride, double half_mm, double q,
                         double *tmp, double *buf)
{
    size_t h = (size_t)lround(half_mm / sp->sz);
    if (h < 1)
        h = 1;
    size_t k0 = sp->k_first, k1 = sp->k_last;
    for (size_t k = k0; k <= k1; k++)
        tmp[k - k0] = val[k * stride];
    for (size_t k = k0; k <= k1; k++) {
        size_t a = k >= k0 + h ? k - h : k0, b = k + h <= k1 ? k + h : k1;
        val[k * stride] = quantile_nan(tmp + (a - k0), b - a + 1, q, buf);
    }
}

/* Running median along k of a per-slice value inside the chain. */
static void run_median(const csf_spine *sp, double *val, size_t stride, double half_mm, double *tmp,
                       double *buf)
{
    size_t h = (size_t)lround(half_mm / sp->sz);
    if (h < 1)
        h = 1;
    size_t k0 = sp->k_first, k1 = sp->k_last;
    for (size_t k = k0; k <= k1; k++)
        tmp[k - k0] = val[k * stride];
    for (size_t k = k0; k <= k1; k++) {
        size_t a = k >= k0 + h ? k - h : k0, b = k + h <= k1 ? k + h : k1;
        val[k * stride] = csf_median_nan(tmp + (a - k0), b - a + 1, buf);
    }
}

/* The value a sort would put at index floor(p (n - 1)); quickselect (reorders v)
 * instead of qsort: the same value, and qsort of these samples was 9 % of a
 * 2 mm study's CPU time. */
static double pctl(double *v, size_t n, double p)
{
    if (n == 0)
        return NAN;
    return csf_img_select_kth(v, n, (size_t)(p * (double)(n - 1)));
}

typedef struct ray_ctx {
    csf_spine *sp;
    int use_local;      /* 0: global threshold (first pass), 1: per-slice */
    double *csf_raw;    /* nz */
    double *tissue_raw; /* nz */
    double *bright;     /* nz or NULL: fraction of bright samples 3-8 mm outside the wall */
} ray_ctx;

#define SAMPLE_CAP 4096

static csf_status ray_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    ray_ctx *c = vctx;
    csf_spine *sp = c->sp;
    double *fl = malloc(2 * SAMPLE_CAP * sizeof *fl);
    if (fl == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate ray samples");
    double *ti = fl + SAMPLE_CAP;
    for (size_t k = b; k < e; k++) {
        csf_sac_slice *s = &sp->slices[sp->k_first + k];
        float thr = (float)(c->use_local ? s->threshold : sp->threshold0);
        size_t nf = 0, nt = 0;
        /* lateral rays first: their shorter one bounds the AP rays' bridging */
        static const int order[2] = {0, CSF_SAC_NRAYS / 2};
        for (int q = 0; q < 2; q++)
            s->radius_mm[order[q]] = march(sp, sp->k_first + k, s->center_vox,
                                           2 * M_PI * order[q] / CSF_SAC_NRAYS, thr, INFINITY, fl,
                                           &nf, ti, &nt, SAMPLE_CAP);
        double half = fmin(s->radius_mm[0], s->radius_mm[CSF_SAC_NRAYS / 2]);
        for (int r = 0; r < CSF_SAC_NRAYS; r++) {
            if (r == 0 || r == CSF_SAC_NRAYS / 2)
                continue;
            s->radius_mm[r] = NAN;
            double th = 2 * M_PI * r / CSF_SAC_NRAYS;
            double rlim = fabs(sin(th)) > 0.7 && isfinite(half) ? half : INFINITY;
            if (ray_used(r, sp->is2d))
                s->radius_mm[r] = march(sp, sp->k_first + k, s->center_vox, th, thr, rlim, fl, &nf,
                                        ti, &nt, SAMPLE_CAP);
        }
        c->csf_raw[sp->k_first + k] = pctl(fl, nf, 0.75);
        size_t nb = 0;
        for (size_t q = 0; q < nt; q++)
            nb += ti[q] > thr;
        if (c->bright)
            c->bright[sp->k_first + k] = nt ? (double)nb / (double)nt : NAN;
        c->tissue_raw[sp->k_first + k] = pctl(ti, nt, 0.5);
    }
    free(fl);
    return CSF_OK;
}

static csf_status rays_pass(csf_spine *sp, int use_local, double *csf_raw, double *tissue_raw,
                            double *bright, double *tmp, double *buf, const csf_exec *ex,
                            csf_error *err)
{
    ray_ctx c = {sp, use_local, csf_raw, tissue_raw, bright};
    size_t n = sp->k_last - sp->k_first + 1;
    csf_status st = csf_parallel_for(ex, n, 8, ray_chunk, &c, err);
    if (st != CSF_OK)
        return st;
    size_t stride = sizeof(csf_sac_slice) / sizeof(double);
    for (int r = 0; r < CSF_SAC_NRAYS; r++) {
        if (!ray_used(r, sp->is2d))
            continue;
        /* root sleeves, leaks and cysts leave the sac sideways and only ever
         * lengthen the lateral rays, over up to two adjacent levels: a low
         * quantile over a longer window keeps the wall */
        double cl = fabs(cos(2 * M_PI * r / CSF_SAC_NRAYS));
        if (cl > 0.7)
            run_quantile(sp, &sp->slices[0].radius_mm[r], stride, LATERAL_WINDOW_MM, LATERAL_QUANTILE,
                         tmp, buf);
        else
            run_median(sp, &sp->slices[0].radius_mm[r], stride, WALL_WINDOW_MM, tmp, buf);
    }
    return CSF_OK;
}

static void smooth_center(csf_spine *sp, double *tmp, double *buf)
{
    size_t stride = sizeof(csf_sac_slice) / sizeof(double);
    run_median(sp, &sp->slices[0].center_vox[0], stride, CENTER_WINDOW_MM, tmp, buf);
    if (!sp->is2d)
        run_median(sp, &sp->slices[0].center_vox[1], stride, CENTER_WINDOW_MM, tmp, buf);
}

/* Moves each centre to the middle of its walls (the tracked centroid leans
 * towards whatever is attached to the sac in that slice). */
static void recenter(csf_spine *sp)
{
    const int R = 0, A = CSF_SAC_NRAYS / 4, L = CSF_SAC_NRAYS / 2, P = 3 * CSF_SAC_NRAYS / 4;
    for (size_t k = sp->k_first; k <= sp->k_last; k++) {
        csf_sac_slice *s = &sp->slices[k];
        if (isfinite(s->radius_mm[R]) && isfinite(s->radius_mm[L]))
            s->center_vox[0] += 0.5 * (s->radius_mm[R] - s->radius_mm[L]) / sp->sx;
        if (!sp->is2d && isfinite(s->radius_mm[A]) && isfinite(s->radius_mm[P]))
            s->center_vox[1] += 0.5 * (s->radius_mm[A] - s->radius_mm[P]) / sp->sy;
    }
}

static void measure_slices(csf_spine *sp)
{
    const int A = CSF_SAC_NRAYS / 4, L = CSF_SAC_NRAYS / 2, P = 3 * CSF_SAC_NRAYS / 4;
    size_t h = (size_t)fmax(1.0, lround(5.0 / sp->sz));
    for (size_t k = sp->k_first; k <= sp->k_last; k++) {
        csf_sac_slice *s = &sp->slices[k];
        double ijk[3] = {s->center_vox[0], s->center_vox[1], (double)k};
        csf_volume_ijk_to_ras(sp->vol, ijk, s->center_mm);
        s->width_lr_mm = s->radius_mm[0] + s->radius_mm[L];
        s->width_ap_mm = s->area_mm2 = NAN;
        if (sp->is2d)
            continue;
        size_t a = k >= sp->k_first + h ? k - h : sp->k_first;
        size_t b = k + h <= sp->k_last ? k + h : sp->k_last;
        double slope = b > a ? (sp->slices[b].center_vox[1] - sp->slices[a].center_vox[1]) *
                                   sp->sy / ((double)(b - a) * sp->sz)
                             : 0.0;
        double ct = 1.0 / sqrt(1.0 + slope * slope);
        s->width_ap_mm = (s->radius_mm[A] + s->radius_mm[P]) * ct;
        double area = 0;
        for (int r = 0; r < CSF_SAC_NRAYS; r++)
            area += 0.5 * s->radius_mm[r] * s->radius_mm[(r + 1) % CSF_SAC_NRAYS] *
                    sin(2 * M_PI / CSF_SAC_NRAYS);
        s->area_mm2 = area * ct;
    }
}

/* 1 when the centre of the sac is dark (cord) in most slices of the 60 mm
 * above its caudal end: the true end (S2) lies 10-20 cm below the conus, in
 * a sac of CSF and thin roots; a sac that stops around a cord is only
 * leaving the field of view or the signal (coil falloff). */
#define CAUDA_MM 60.0
static int cord_at_end(const csf_spine *sp)
{
    size_t h = (size_t)lround(CAUDA_MM / sp->sz), dark = 0, tot = 0;
    for (size_t k = sp->k_first; k <= sp->k_last && k <= sp->k_first + h; k++) {
        const csf_sac_slice *s = &sp->slices[k];
        const float *sl = sp->vol->data + k * sp->nx * sp->ny;
        long ci = lround(s->center_vox[0]), cj = lround(s->center_vox[1]);
        double sum = 0;
        int m = 0;
        for (long dj = -1; dj <= 1; dj++)
            for (long di = -1; di <= 1; di++) {
                long i = ci + di, j = sp->is2d ? 0 : cj + dj;
                if (i >= 0 && j >= 0 && (size_t)i < sp->nx && (size_t)j < sp->ny) {
                    sum += sl[(size_t)i + sp->nx * (size_t)j];
                    m++;
                }
            }
        tot++;
        dark += m > 0 && sum / m < s->threshold;
    }
    return tot > 0 && 4 * dark > tot; /* more than a quarter dark: a cord */
}

/* 1 when CSF in the last 30 mm of the sac is much dimmer than in the 60 mm
 * above: the sac fades (coil sensitivity at a station edge) rather than
 * ends. A smooth bias field changes the level little over 90 mm. */
static int signal_falloff(const csf_spine *sp, double *buf)
{
    size_t n = sp->k_last - sp->k_first + 1, h = (size_t)lround(30.0 / sp->sz);
    if (h < 1)
        h = 1;
    if (n < 3 * h)
        return 0;
    double *v = malloc(n * sizeof *v);
    if (v == NULL)
        return 0;
    for (size_t q = 0; q < n; q++)
        v[q] = sp->slices[sp->k_first + q].csf_level;
    double end = csf_median_nan(v, h, buf);
    double above = csf_median_nan(v + h, 2 * h, buf);
    free(v);
    return end - sp->background < 0.75 * (above - sp->background);
}

/* A widening is a cistern only when the image shows its whole width: where
 * the widened CSF reaches the side of a narrow field of view (a crop centred
 * on the cord, real volume sg_fslprisma05: 23 mm wide) its width is the
 * field's, and the ordinary sac above a tight mid-cervical canal would pass
 * for the foramen magnum. */
#define BORDER_MM 2.0
static int width_in_view(const csf_spine *sp, size_t ktop, size_t need)
{
    size_t seen = 0;
    for (size_t q = ktop + 1; q <= sp->k_last && seen < need; q++, seen++) {
        const csf_sac_slice *s = &sp->slices[q];
        double half = 0.5 * s->width_lr_mm / sp->sx;
        if (!isfinite(half))
            continue;
        double left = (s->center_vox[0] - half) * sp->sx;
        double right = ((double)sp->nx - 1.0 - (s->center_vox[0] + half)) * sp->sx;
        if (left < BORDER_MM || right < BORDER_MM)
            return 0;
    }
    return seen > 0;
}

/* The caudal end (S2 in adults) and the top (foramen magnum, where the sac
 * opens into the much wider posterior-fossa cisterns) count as landmarks only
 * when seen inside the field of view, 10 mm or more from its edge. */
static void landmarks(csf_spine *sp, double *buf)
{
    size_t n = sp->k_last - sp->k_first + 1;
    double margin = 10.0 / sp->sz;
    sp->k_end = (double)sp->k_first >= margin && !cord_at_end(sp) &&
                        !(signal_falloff(sp, buf) && !(sp->is2d && csf_spine_end_tapers_2d(sp)))
                    ? (double)sp->k_first
                    : NAN;
    sp->k_top = NAN;
    double *w = malloc(n * sizeof *w);
    if (w == NULL)
        return;
    for (size_t q = 0; q < n; q++)
        w[q] = sp->slices[sp->k_first + q].width_lr_mm;
    double wmed = csf_median_nan(w, n, buf);
    /* 3D: the posterior-fossa cistern (cisterna magna) lies dorsal to the
     * medulla: above the foramen magnum the CSF space deepens in AP far more
     * than it widens sideways (its lateral width, a 30th percentile over
     * +-25 mm, follows slowly), so a slice is of ordinary size only when its
     * AP depth is ordinary too */
    for (size_t q = 0; q < n; q++)
        w[q] = sp->slices[sp->k_first + q].width_ap_mm;
    double apmed = sp->is2d ? NAN : csf_median_nan(w, n, buf);
    double *own = sp->is2d ? malloc((3 * n + 1) * sizeof *own) : NULL;
    if (own != NULL) /* 2D: the rows' own widths (shape_2d.c says why) */
        csf_spine_top_widths_2d(sp, own, own + n);
    /* from the top down: the first 10 mm run of ordinary width */
    size_t run = 0, need = (size_t)fmax(2.0, margin);
    for (size_t k = sp->k_last + 1; k-- > sp->k_first;) {
        double wk = own != NULL ? own[k - sp->k_first] : sp->slices[k].width_lr_mm;
        double ap = sp->slices[k].width_ap_mm;
        int deep = isfinite(apmed) && isfinite(ap) && ap >= 1.6 * apmed;
        run = (isfinite(wk) && wk < 1.6 * wmed && !deep) ? run + 1 : 0;
        if (run >= need) {
            size_t ktop = k + need - 1;
            int widened = ktop < sp->k_last && width_in_view(sp, ktop, need);
            int inside = (double)(sp->nz - 1 - sp->k_last) >= margin;
            if (widened || inside)
                sp->k_top = (double)ktop;
            break;
        }
    }
    free(own);
    free(w);
}

/* Heavily T2-weighted: CSF is several times brighter than the tissue just
 * outside the sac (T2 of CSF ~2 s vs ~50-100 ms for tissue; at TE >= ~100 ms
 * the ratio exceeds 4; on T1 or gradient-echo T2* images it stays near 1-2). */
#define HEAVY_T2_RATIO 3.0

static void contrast(csf_spine *sp, const double *csf, const double *tissue, const double *bright,
                     double *buf)
{
    size_t nb = sp->k_last - sp->k_first + 1;
    sp->bright_shell = csf_median_nan(bright + sp->k_first, nb, buf);
    size_t n = sp->k_last - sp->k_first + 1;
    double *r = malloc(n * sizeof *r);
    if (r == NULL)
        return;
    for (size_t q = 0; q < n; q++) {
        size_t k = sp->k_first + q;
        double t = tissue[k];
        r[q] = (isfinite(csf[k]) && isfinite(t)) ? csf[k] / fmax(t, 1e-6 * fabs(csf[k]) + 1e-12)
                                                 : NAN;
    }
    double ratio = csf_median_nan(r, n, buf);
    free(r);
    sp->contrast_ratio = ratio;
    sp->heavy_t2 = isfinite(ratio) && ratio >= HEAVY_T2_RATIO;
    sp->contrast_reason = sp->heavy_t2 ? NULL
                          : "fluid is not much brighter than the tissue around the sac "
                            "(not a heavily T2-weighted image)";
}

csf_status csf_spine_shape(csf_spine *sp, const csf_exec *ex, csf_error *err)
{
    size_t nz = sp->nz;
    double *mem = malloc(5 * nz * sizeof *mem);
    if (mem == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate sac profiles");
    double *csf = mem, *tissue = mem + nz, *tmp = mem + 2 * nz, *buf = mem + 3 * nz;
    double *bright = mem + 4 * nz;
    /* beside an SLEC the tracked centroid can lie outside the sac's CSF ring */
    csf_spine_cord_center(sp);
    smooth_center(sp, tmp, buf);
    csf_status st = rays_pass(sp, 0, csf, tissue, NULL, tmp, buf, ex, err);
    if (st != CSF_OK)
        goto done;
    recenter(sp);
    smooth_center(sp, tmp, buf);
    run_median(sp, csf, 1, CSF_WINDOW_MM, tmp, buf);
    run_median(sp, tissue, 1, CSF_WINDOW_MM, tmp, buf);
    double floor_t = sp->background + 3.0 * sp->noise;
    for (size_t k = sp->k_first; k <= sp->k_last; k++) {
        csf_sac_slice *s = &sp->slices[k];
        double c = isfinite(csf[k]) ? csf[k] : sp->threshold0;
        s->csf_level = c;
        /* half-maximum between the dark surroundings and CSF: the partial-volume
         * edge. A thick-slab projection adds signal along the depth: a 3 mm
         * sleeve in front of a 12 mm deep sac shows a quarter of its signal,
         * so the 2D protocol takes a quarter of the maximum. */
        double frac = sp->is2d ? EDGE_FRACTION_2D : 0.5;
        s->threshold = fmax(sp->background + frac * (c - sp->background), floor_t);
    }
    st = rays_pass(sp, 1, csf, tissue, bright, tmp, buf, ex, err);
    if (st == CSF_OK && sp->is2d)
        st = csf_spine_walls_2d(sp, err);
    if (st != CSF_OK)
        goto done;
    run_median(sp, tissue, 1, CSF_WINDOW_MM, tmp, buf);
    measure_slices(sp);
    landmarks(sp, buf);
    for (size_t k = sp->k_first; k <= sp->k_last; k++)
        csf[k] = sp->slices[k].csf_level;
    contrast(sp, csf, tissue, bright, buf);
done:
    free(mem);
    return st;
}
