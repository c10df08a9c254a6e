/* 2D projection: the sac's own wall beside an epidural collection (SLEC).
 *
 * A spinal longitudinal extradural CSF collection lies in front of (or
 * behind) the dural sac and wraps round its sides by a few mm. A coronal
 * thick slab adds the signal along the depth, so the collection shows as a
 * shoulder: a band of intermediate signal (its depth of fluid is a fraction
 * of the sac's) along each side of the sac over several levels. The tracked
 * wall (the quarter-maximum edge, shape.c) lies at the shoulder's outer edge:
 * the sac looks wider, the sleeves' roots lie inside the wall, and the band
 * just outside it (classify_2d.c) measures the collection's edge instead of
 * the sleeves.
 *
 * The projected depth of a tube of radius R is 2 sqrt(R^2 - x^2): it rises
 * from its quarter-maximum edge (0.97 R) to half its central depth (0.87 R)
 * within 0.1 R, about a pixel, whatever the sac's size. A shoulder keeps
 * fluid of less than half the CSF signal beyond the sac's own edge over the
 * collection's width. So, per row and side, the rim is measured: from the
 * sac's own edge (the last pixel at half the local CSF signal, scanning out
 * from the sac) out to the row's fluid threshold, wherever the tracked wall
 * lies. It is compared with the same patient's plain sac: the median rim
 * over the whole sac (a collection spans a few levels, not half the spine).
 * A shoulder is where the rim's running median along the spine (the window
 * of the 2D walls, +-25 mm: longer than a sleeve or a leak, shorter than a
 * collection over several levels) is wider than the plain rim by more than
 * one pixel (each edge is known to half a pixel) on both sides at once: the
 * collection lies in front of or behind the sac and shows beyond both of its
 * walls, while a sleeve, a leak or a cyst is on one side. Within 25 mm of
 * the sac's ends, where the window is cut and the sac tapers or opens into
 * the cisterns, nothing is called.
 *
 * How far the sac's own wall lies inside the tracked wall (the inset) cannot
 * be read through the shoulder, whose signal reaches half maximum in places;
 * the dural sac's width changes slowly along the spine, so its own width
 * beside the collection is interpolated from the plain sac just above and
 * below (run_insets). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect_internal.h"

#define RIM_LEVEL 0.5
#define WINDOW_MM 25.0

double csf_detect_px3(const csf_volume *v, long i, size_t k, size_t k0, size_t k1)
{
    double s = 0;
    int m = 0;
    for (size_t kk = k > k0 ? k - 1 : k; kk <= k + 1 && kk <= k1; kk++, m++)
        s += v->data[(size_t)i + v->dim[0] * kk];
    return s / m;
}

/* Median of the finite values of d[0..m); NaN when none. buf holds m. */
static double median_finite(const double *d, size_t m, double *buf)
{
    size_t nw = 0;
    for (size_t q = 0; q < m; q++)
        if (isfinite(d[q]))
            buf[nw++] = d[q];
    return nw ? csf_detect_median(buf, nw) : NAN;
}

/* Running median over +-h of d[0..m) into out (NaN where no finite value). */
static void run_median(const double *d, size_t m, size_t h, double *out, double *buf)
{
    for (size_t q = 0; q < m; q++) {
        size_t a = q >= h ? q - h : 0, b = q + h < m ? q + h : m - 1;
        out[q] = median_finite(d + a, b - a + 1, buf);
    }
}

/* Width (mm) of the fluid beyond the sac's own wall in row k, side: from the
 * sac's own edge (scanning out from half-way to the tracked wall, the first
 * pixel under half the local CSF signal) out to the first pixel under the row's fluid threshold. It
 * does not depend on where the tracked wall lies: at the shoulder's outer
 * edge or at the sac's own edge (near a collection's end the walls' running
 * median lags behind it). NaN when unknown. */
static double beyond_own(const csf_spine *sp, size_t k, size_t k0, size_t k1, int right, double bg)
{
    size_t n, a, b;
    const csf_sac_slice *s = &csf_spine_slices(sp, &n, &a, &b)[k];
    const csf_volume *v = csf_spine_volume(sp);
    double R = s->radius_mm[right ? 0 : CSF_SAC_NRAYS / 2], sx = v->spacing[0];
    double half = bg + RIM_LEVEL * (s->csf_level - bg), edge = NAN;
    if (!isfinite(R) || !(s->csf_level > bg))
        return NAN;
    for (double t = 0.5 * R;; t += sx) {
        long i = lround(s->center_vox[0] + (right ? t : -t) / sx);
        if (i < 0 || (size_t)i >= v->dim[0])
            return NAN;
        double p = csf_detect_px3(v, i, k, k0, k1);
        if (!isfinite(edge) && p < half) {
            if (!(t > 0.5 * R))
                return NAN; /* no sac CSF half-way to the wall */
            edge = t;
        }
        if (isfinite(edge) && p <= s->threshold)
            return t - edge;
    }
}

/* Median tracked half-width (mm) of one side over the rows q in [a, b) that
 * are not shoulder rows (off NaN); NaN when none. */
static double plain_radius(const csf_sac_slice *s, size_t k0, const double *off, size_t a, size_t b, int right,
                           double *buf)
{
    size_t nw = 0;
    for (size_t q = a; q < b; q++)
        if (!isfinite(off[q]) && isfinite(s[k0 + q].radius_mm[right ? 0 : CSF_SAC_NRAYS / 2]))
            buf[nw++] = s[k0 + q].radius_mm[right ? 0 : CSF_SAC_NRAYS / 2];
    return nw ? csf_detect_median(buf, nw) : NAN;
}

/* Insets of the shoulder rows q in [a, b] (one run) on one side: the tracked
 * half-width less the sac's own, interpolated between the plain sac's just
 * above and just below the run (each the median over one window). */
static void run_insets(const csf_sac_slice *s, size_t k0, size_t m, size_t h, double *off, size_t a, size_t b,
                       int right, double *buf)
{
    double lo = plain_radius(s, k0, off, a > h ? a - h : 0, a, right, buf);
    double hi = plain_radius(s, k0, off, b + 1, b + 1 + h < m ? b + 1 + h : m, right, buf);
    if (!isfinite(lo))
        lo = hi;
    if (!isfinite(hi))
        hi = lo;
    for (size_t q = a; q <= b; q++) {
        double t = b > a ? (double)(q - a) / (double)(b - a) : 0.5, own = lo + t * (hi - lo);
        double in = s[k0 + q].radius_mm[right ? 0 : CSF_SAC_NRAYS / 2] - own;
        off[(right ? m : 0) + q] = isfinite(in) ? in : 0.0;
    }
}

double *csf_detect_shoulder_2d(const csf_spine *sp)
{
    size_t n, k0, k1;
    const csf_sac_slice *s = csf_spine_slices(sp, &n, &k0, &k1);
    const csf_volume *v = csf_spine_volume(sp);
    size_t m = k1 - k0 + 1, h = (size_t)fmax(1.0, lround(WINDOW_MM / v->spacing[2]));
    double bg, thr, px = v->spacing[0];
    int heavy;
    const char *why;
    csf_spine_contrast(sp, &bg, &thr, &heavy, &why);
    double *off = malloc((2 * m + 1) * sizeof *off), *mem = malloc((6 * m + 1) * sizeof *mem);
    if (off == NULL || mem == NULL) {
        free(off);
        free(mem);
        return NULL;
    }
    double *rim = mem, *med = mem + 2 * m, *buf = mem + 4 * m;
    for (int side = 0; side < 2; side++)
        for (size_t q = 0; q < m; q++) {
            off[side * m + q] = NAN;
            rim[side * m + q] = beyond_own(sp, k0 + q, k0, k1, side, bg);
        }
    double rim0 = median_finite(rim, 2 * m, buf);
    for (int side = 0; side < 2; side++)
        run_median(rim + side * m, m, h, med + side * m, buf);
    for (size_t q = h; q + h < m && isfinite(rim0); q++)
        if (fmin(med[q], med[m + q]) - rim0 > px)
            off[q] = off[m + q] = 0.0; /* a shoulder row; its inset below */
    /* The dural sac's width changes slowly along the spine, without steps:
     * beside the collection its own width is the plain sac's just above and
     * below, interpolated (the shoulder's brightness varies, up to half the
     * CSF signal, so the sac's edge cannot be read through it). The tracked
     * wall jumps out to the shoulder's edge somewhere near the collection's
     * ends (its running median lags): its distance outside the sac's own
     * wall is the row's inset, about 0 where it still lies on the sac. */
    for (size_t a = 0; a < m; a++) {
        if (!isfinite(off[a]))
            continue;
        size_t b = a;
        while (b + 1 < m && isfinite(off[b + 1]))
            b++;
        for (int side = 0; side < 2; side++)
            run_insets(s, k0, m, h, off, a, b, side, buf);
        a = b;
    }
    free(mem);
    return off;
}

/* The row of the tracked sac nearest to world z. */
static size_t row_at(const csf_spine *sp, double z)
{
    size_t n, k0, k1;
    const csf_sac_slice *s = csf_spine_slices(sp, &n, &k0, &k1);
    size_t best = k0;
    for (size_t k = k0; k <= k1; k++)
        if (fabs(s[k].center_mm[2] - z) < fabs(s[best].center_mm[2] - z))
            best = k;
    return best;
}

/* Beside an epidural collection a component's lateral reach and the local
 * width are measured from the tracked wall at the shoulder's outer edge;
 * the copy measures both from the sac's own wall, so that they compare with
 * the sleeves elsewhere. */
csf_extra *csf_detect_shoulder_extras_2d(const csf_spine *sp, const csf_extra *xs, size_t n, const double *sh)
{
    size_t nn, k0, k1, any = 0;
    csf_spine_slices(sp, &nn, &k0, &k1);
    size_t m = k1 - k0 + 1;
    for (size_t q = 0; q < 2 * m && !any; q++)
        any = isfinite(sh[q]) && sh[q] != 0.0; /* an inset somewhere */
    csf_extra *xc = any ? malloc((n + 1) * sizeof *xc) : NULL;
    if (xc == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        xc[i] = xs[i];
        size_t q = row_at(sp, xs[i].contact_z_mm) - k0;
        double l = isfinite(sh[q]) ? sh[q] : 0.0, r = isfinite(sh[m + q]) ? sh[m + q] : 0.0;
        if (xs[i].side == CSF_SIDE_LEFT || xs[i].side == CSF_SIDE_RIGHT)
            xc[i].lateral_extent_mm += xs[i].side == CSF_SIDE_RIGHT ? r : l;
        xc[i].local_width_mm -= l + r;
    }
    return xc;
}

/* The shoulder of a collection is smooth along the spine but not flat: it
 * tapers at the collection's ends. A baseline over a window as long as the
 * cell's, centred on each row, follows it; the sleeves, a few mm tall, stay
 * above the window's low quartile. */
double csf_detect_shoulder_sum_2d(const double *b, const double *z, size_t m, double lo, double hi, double q,
                                  double *w, size_t *rows)
{
    double half = 0.5 * (hi - lo), sum = 0;
    *rows = 0;
    for (size_t i = 0; i < m; i++) {
        if (z[i] < lo || z[i] >= hi)
            continue;
        size_t nw = 0;
        for (size_t p = 0; p < m; p++)
            if (fabs(z[p] - z[i]) <= half)
                w[nw++] = b[p];
        if (nw < 3)
            continue;
        qsort(w, nw, sizeof *w, csf_detect_cmp_double);
        sum += b[i] - w[(size_t)floor(q * (double)(nw - 1) + 0.5)];
        (*rows)++;
    }
    return sum;
}

void csf_detect_level_finding_2d(const csf_spine *sp, double z, int right, double inset, double reach, double cc_mm,
                                 csf_finding *f)
{
    size_t n, k0, k1;
    const csf_sac_slice *s = &csf_spine_slices(sp, &n, &k0, &k1)[row_at(sp, z)];
    const csf_volume *v = csf_spine_volume(sp);
    memset(f, 0, sizeof *f);
    f->kind = CSF_FIND_LEAK;
    f->level_index = f->level_to_index = f->region = -1;
    f->side = right ? CSF_SIDE_RIGHT : CSF_SIDE_LEFT;
    f->extra_index = SIZE_MAX; /* no component of its own (detect.c) */
    double R = s->radius_mm[right ? 0 : CSF_SAC_NRAYS / 2] - inset, d = R + 0.5 * (isfinite(reach) ? reach : 0.0);
    double ijk[3] = {s->center_vox[0] + (right ? d : -d) / v->spacing[0], s->center_vox[1], (double)row_at(sp, z)};
    csf_volume_ijk_to_ras(v, ijk, f->center_mm);
    f->lateral_extent_mm = reach;
    f->craniocaudal_extent_mm = cc_mm;
    f->volume_ml = f->local_width_mm = f->extension_ratio = f->sleeve_ratio = NAN;
    f->ball_fraction = f->inscribed_radius_mm = f->min_wall_mm = f->rel_intensity = NAN;
    f->elongation = f->continuity = f->ref_reach_mm = NAN;
}
