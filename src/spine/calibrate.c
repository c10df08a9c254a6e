/* Step 1 of the spine model: intensity calibration. Heavily T2-weighted
 * images have arbitrary scale, a smooth bias field and Rician noise, so every
 * threshold is relative: to the median (background / dark tissue) and to an
 * Otsu split of the brighter half of the voxels (fluid vs the rest). */
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "csfleak/img_stats.h"
#include "spine_internal.h"

/* About a million samples decide the global levels: enough for percentiles
 * to 1e-3 and independent of the thread count. */
#define CALIB_SAMPLES 1000000u

double csf_spine_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

double csf_median_nan(const double *v, size_t n, double *buf)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            buf[m++] = v[i];
    if (m == 0)
        return NAN;
    double hi = csf_img_select_kth(buf, m, m / 2);
    if (m & 1)
        return hi;
    /* the lower middle is the largest value left of m/2 after the selection */
    double lo = buf[0];
    for (size_t i = 1; i < m / 2; i++)
        lo = buf[i] > lo ? buf[i] : lo;
    return 0.5 * (lo + hi);
}

csf_status csf_spine_calibrate(csf_spine *sp, const csf_exec *ex, csf_error *err)
{
    size_t nvox = sp->nx * sp->ny * sp->nz;
    size_t stride = nvox / CALIB_SAMPLES + 1;
    /* an odd prime-ish stride avoids aliasing with the row length */
    if (stride > 1 && stride % 2 == 0)
        stride++;
    size_t ns = (nvox + stride - 1) / stride;
    float *s = malloc(ns * sizeof *s);
    if (s == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu samples", ns);
    /* Last voxel first: the reader has just written the volume front to back,
     * so its end is what the cache still holds; sample order is unchanged. */
    size_t m = ns;
    for (size_t i = ns; i-- > 0;)
        s[i] = sp->vol->data[i * stride];
    const double p[3] = {50.0, 25.0, 99.9};
    double q[3];
    csf_status st = csf_img_percentiles(s, m, p, 3, q, ex, err);
    if (st != CSF_OK)
        goto done;
    sp->background = q[0];
    sp->noise = q[0] - q[1];
    sp->fluid_level = q[2];
    if (!(q[2] > q[0])) {
        st = csf_error_set(err, CSF_ERR_FORMAT, "image has no contrast (99.9th percentile %g, median %g)",
                           q[2], q[0]);
        goto done;
    }
    /* Otsu over the voxels brighter than the median: the dark majority (air,
     * suppressed fat, muscle) would otherwise pull the split into the noise. */
    /* branch-free: about half the samples pass, in no predictable order */
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        float x = s[i];
        s[k] = x;
        k += (double)x > q[0];
    }
    double t = 0.5 * (q[0] + q[2]);
    if (k >= 100) {
        st = csf_img_otsu(s, k, 256, &t, ex, err);
        if (st != CSF_OK)
            goto done;
    }
    /* Never below background + a quarter of the fluid contrast: in a pure
     * noise-and-fluid image Otsu can land in the noise tail. */
    double floor_t = q[0] + 0.25 * (q[2] - q[0]);
    sp->threshold0 = t > floor_t ? t : floor_t;
done:
    free(s);
    return st;
}
