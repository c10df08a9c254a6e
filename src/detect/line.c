/* A robust straight line through a level's reference sleeves, shared by the
 * 3D references (sleeves.c) and the 2D junction cells (junction_2d.c). */
#include <math.h>
#include <string.h>

#include "detect_internal.h"

/* Siegel's repeated median: for each point the median of its slopes to the
 * points of other levels, the median of those, then the median intercept;
 * robust to a bilateral leak (two of the references). Used only where it
 * describes the points better than their median does (a bilateral leak can
 * still tilt it), and its value stays within their range: the line
 * interpolates sizes seen, it does not invent larger or smaller ones. */
void csf_detect_line_at(const double *zs, const double *y, size_t m, double z, double pair_mm, double max_slope,
                        double *at, double *mad)
{
    double ms[CSF_DETECT_LINE_MAX] = {0}, t[CSF_DETECT_LINE_MAX] = {0}, lo = y[0], hi = y[0];
    size_t ns = 0;
    m = m < CSF_DETECT_LINE_MAX ? m : CSF_DETECT_LINE_MAX;
    for (size_t a = 0; a < m; a++) {
        double sl[CSF_DETECT_LINE_MAX] = {0};
        size_t k = 0;
        lo = fmin(lo, y[a]);
        hi = fmax(hi, y[a]);
        for (size_t b = 0; b < m; b++)
            if (fabs(zs[b] - zs[a]) > pair_mm) /* the two sleeves of one level give no slope */
                sl[k++] = (y[b] - y[a]) / (zs[b] - zs[a]);
        if (k > 0)
            ms[ns++] = csf_detect_median(sl, k);
    }
    double s = ns >= 3 ? fmin(max_slope, csf_detect_median(ms, ns)) : 0.0;
    for (size_t q = 0; q < m; q++)
        t[q] = y[q] - s * (zs[q] - z);
    double c = csf_detect_median(t, m);
    for (size_t q = 0; q < m; q++)
        t[q] = fabs(y[q] - s * (zs[q] - z) - c);
    double lmad = csf_detect_median(t, m), fmed, fmad;
    memcpy(t, y, m * sizeof t[0]);
    csf_detect_med_mad(t, m, &fmed, &fmad);
    if (lmad < fmad) {
        *at = fmin(hi, fmax(lo, c));
        *mad = lmad;
    } else {
        *at = fmed;
        *mad = fmad;
    }
}
