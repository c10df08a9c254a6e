/* A rounded outpouching against a tapering expansion at the lumbar levels,
 * on the 2D projection, by the depth of fluid along the sleeve.
 *
 * A meningeal diverticulum is a rounded outpouching of the sleeve with a
 * smooth dome; a grade-1 leak is a triangular expansion of the CSF space
 * around the sleeve, whose edge tapers along the nerve (domain.md, the
 * grading scale). wedge_2d.c tells them apart from C2 to T12 by the area of
 * the fluid's cross-section in each plane beyond the wall (a column sum):
 * an outpouching is widest a radius out, a triangle at the dura. Below the
 * conus that area cannot decide: the roots run steeply caudally before
 * they leave, so an expanded lumbar sleeve crosses the planes obliquely and
 * keeps its area over several mm (session 4; docs/detector-log.md).
 *
 * A projection keeps a second measure: the brightest pixel of a column is
 * the greatest depth of fluid along the projection axis at that distance
 * from the wall, the thickness of the body there, whatever its course in
 * the coronal plane. A cone (a taper) thins linearly outward: its depth
 * falls from the mouth's value p0 to p0 / 2 along a straight line, so at
 * half that distance it still holds 0.75 p0. A ball keeps its thickness
 * over its radius: for a ball centred on the wall the chord at half the
 * half-depth distance (0.43 r) holds sqrt(1 - 0.43^2) = 0.90 of the one at
 * the wall, and more for a ball beyond the wall on a neck (its depth rises
 * before it falls). The body is called rounded when it is nearer the ball
 * than the taper: above the midpoint DEPTH_DOME_Q = (0.75 + 0.90) / 2.
 * Nothing is fitted: the two values are those of the two shapes.
 *
 * Each pixel is the mean of its 3 x 3 neighbourhood (the pixel noise
 * would otherwise lift every column's maximum); the depth is relative to
 * the row's CSF signal (the full sac depth is 1), from 1 mm beyond the wall
 * (the band's start, past the wall's partial-volume rim) out to the sac's
 * width at the level (the patient's own yardstick: a sleeve or a grade-1
 * expansion ends well within it). Where the first column still lies on the
 * sac's own edge its depth is raised and the ratio falls: the test errs
 * toward the leak. The signal is made linear in depth by the response
 * measured on the sac itself (response_2d.c), so the two shapes' ratios
 * hold under another scanner's contrast curve. */
#include <math.h>
#include <stdlib.h>

#include "detect_internal.h"

#define DEPTH_FROM_MM 1.0
#define DEPTH_TAPER_Q 0.75
#define DEPTH_BALL_Q 0.90
#define DEPTH_DOME_Q (0.5 * (DEPTH_TAPER_Q + DEPTH_BALL_Q))
#define DEPTH_MAX_COLS 256

/* Mean of the 3 x 3 pixels round (i, k) of the projection, relative to the
 * CSF contrast c of row k; NaN at the image's edge. */
static double mean9(const csf_volume *v, long i, size_t k, double bg, double c)
{
    if (i < 1 || (size_t)i + 1 >= v->dim[0] || k < 1 || k + 1 >= v->dim[2])
        return NAN;
    double s = 0;
    for (size_t kk = k - 1; kk <= k + 1; kk++)
        for (long ii = i - 1; ii <= i + 1; ii++)
            s += v->data[kk * v->dim[0] + (size_t)ii];
    return (s / 9.0 - bg) / c;
}

/* p[j]: the greatest depth over the rows of [zlo, zhi) at t = from + j px
 * beyond the wall; returns the columns filled (stops at the first column
 * with no row). */
static size_t depth_profile(const csf_spine *sp, double zlo, double zhi, int right, double *p, size_t np)
{
    const csf_volume *v = csf_spine_volume(sp);
    size_t n, k0, k1;
    const csf_sac_slice *s = csf_spine_slices(sp, &n, &k0, &k1);
    double bg, thr, sx = v->spacing[0];
    int heavy;
    const char *why;
    csf_spine_contrast(sp, &bg, &thr, &heavy, &why);
    for (size_t j = 0; j < np; j++) {
        double best = -INFINITY;
        for (size_t k = k0; k <= k1; k++) {
            const csf_sac_slice *sl = &s[k];
            double R = sl->radius_mm[right ? 0 : CSF_SAC_NRAYS / 2], c = sl->csf_level - bg;
            if (sl->center_mm[2] < zlo || sl->center_mm[2] >= zhi || !isfinite(R) || !(c > 0))
                continue;
            double t = R + DEPTH_FROM_MM + (double)j * sx;
            double m = mean9(v, lround(sl->center_vox[0] + (right ? t : -t) / sx), k, bg, c);
            if (m > best)
                best = m;
        }
        if (!isfinite(best))
            return j;
        p[j] = csf_spine_linear_depth(sp, best); /* the depth, whatever the scanner's response */
    }
    return np;
}

double csf_detect_depth_ratio_2d(const csf_spine *sp, double lo, double hi, int right, double width_mm)
{
    double px = csf_spine_volume(sp)->spacing[0], p[DEPTH_MAX_COLS];
    if (!(px > 0) || !(width_mm > DEPTH_FROM_MM))
        return NAN;
    size_t np = (size_t)floor((width_mm - DEPTH_FROM_MM) / px);
    np = np > DEPTH_MAX_COLS ? DEPTH_MAX_COLS : np;
    np = depth_profile(sp, lo, hi, right, p, np);
    if (np < 3 || !(p[0] > 0))
        return NAN;
    /* the half-depth distance xh (in columns, interpolated) */
    double xh = NAN;
    for (size_t j = 1; j < np && !isfinite(xh); j++)
        if (p[j] <= 0.5 * p[0])
            xh = (double)(j - 1) + (p[j - 1] - 0.5 * p[0]) / (p[j - 1] - p[j]);
    if (!isfinite(xh))
        return NAN; /* no end within the sac width: not a compact body */
    double xm = 0.5 * xh;
    size_t a = (size_t)floor(xm);
    double f = xm - (double)a, pm = a + 1 < np ? p[a] + f * (p[a + 1] - p[a]) : p[a];
    return pm / p[0];
}

int csf_detect_depth_dome_2d(const csf_spine *sp, double lo, double hi, int right, double width_mm, double *ratio)
{
    *ratio = csf_detect_depth_ratio_2d(sp, lo, hi, right, width_mm);
    return isfinite(*ratio) && *ratio > DEPTH_DOME_Q;
}
