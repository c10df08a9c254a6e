/* How far the sac's lateral wall lies inside its own course over the slices
 * a sleeve-like component occupies (3D): where a wall ray stopped early, on
 * a cauda equina root crossing the lateral CSF toward its sleeve, the sac's
 * own CSF beyond it is left outside the wall and merges with the sleeve
 * (docs/accuracy.md, s7lumb3d). */
#include <math.h>
#include <stdlib.h>

#include "detect_internal.h"

/* Index of the slice whose z lies nearest to z, within tol_mm; nk when none. */
static size_t nearest_slice(const double *wall, const double *zk, size_t nk, double z, double tol_mm)
{
    size_t best = nk;
    double bd = INFINITY;
    for (size_t k = 0; k < nk; k++)
        if (isfinite(wall[k]) && fabs(zk[k] - z) < bd) {
            bd = fabs(zk[k] - z);
            best = k;
        }
    return bd <= tol_mm ? best : nk;
}

double csf_detect_course_inset(const double *wall, const double *zk, const double *reach, size_t nk, double seg_mm,
                               double tol_mm, int right)
{
    double most = 0.0;
    if (!isfinite(seg_mm) || !(seg_mm > 0))
        return 0.0;
    for (size_t k = 0; k < nk; k++) {
        if (!isfinite(reach[k]) || !isfinite(wall[k]))
            continue;
        /* the wall's course: the median of its positions half and one
         * segment above and below and its own (classify.c side_wall_dip);
         * all five must be known, at the sac's ends a taper is no inset */
        double w[5];
        int ok = 1;
        for (int q = 0; q < 5 && ok; q++) {
            size_t kq = q == 2 ? k : nearest_slice(wall, zk, nk, zk[k] + 0.5 * seg_mm * (double)(q - 2), tol_mm);
            ok = kq < nk;
            w[q] = ok ? wall[kq] : NAN;
        }
        if (!ok)
            continue;
        double here = w[2], course = csf_detect_median(w, 5);
        double in = right ? course - here : here - course; /* > 0: inside its course */
        if (in > most)
            most = in;
    }
    return most;
}

double csf_detect_wall_inset(const csf_spine *sp, size_t e, double seg_mm)
{
    size_t n, ns, k0, k1;
    const csf_extra *xs = csf_spine_extras(sp, &n);
    const csf_sac_slice *sl = csf_spine_slices(sp, &ns, &k0, &k1);
    const csf_volume *v = csf_spine_volume(sp);
    if (e >= n || sl == NULL || ns == 0 || (xs[e].side != CSF_SIDE_LEFT && xs[e].side != CSF_SIDE_RIGHT))
        return 0.0;
    int right = xs[e].side == CSF_SIDE_RIGHT;
    double *p = malloc(4 * ns * sizeof *p);
    if (p == NULL)
        return 0.0;
    double *wall = p + 2 * ns, *zk = p + 3 * ns, most = 0.0;
    if (csf_spine_lateral_profile(sp, e, p, p + ns, NULL) == CSF_OK) {
        for (size_t k = 0; k < ns; k++) {
            /* measured as csf_extra.lateral_extent_mm is: the cardinal ray */
            double r = k >= k0 && k <= k1 && sl[k].present ? sl[k].radius_mm[right ? 0 : CSF_SAC_NRAYS / 2] : NAN;
            double c = sl[k].center_vox[0] * v->spacing[0];
            wall[k] = isfinite(r) ? (right ? c + r : c - r) : NAN;
            zk[k] = sl[k].center_mm[2];
        }
        most = csf_detect_course_inset(wall, zk, right ? p : p + ns, ns, seg_mm, 2.0 * v->spacing[2] + 1.0, right);
    }
    free(p);
    return most;
}
