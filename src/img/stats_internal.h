#ifndef CSFLEAK_IMG_STATS_INTERNAL_H
#define CSFLEAK_IMG_STATS_INTERNAL_H
/* Shared by histogram.c, minmax.c, percentile.c and otsu.c; not public API. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include "csfleak/error.h"
#include "csfleak/exec.h"

/* Voxels per parallel chunk of the statistics passes: fixed, so the chunking
 * (and every chunk-ordered merge) never depends on the thread count. */
#define CSF_STATS_GRAIN ((size_t)1 << 18)

/* Finite values only; mn/mx are +0.0 rather than -0.0 so that results do not
 * depend on which zero a chunk saw first. */
typedef struct csf_stats_range {
    double mn, mx, sum;
    size_t count;
} csf_stats_range;

csf_status csf_stats_range_of(const float *data, size_t n, csf_stats_range *r,
                              const csf_exec *ex, csf_error *err);

/* Maps a value to one of nbins equal bins over [lo, hi], clamping outside
 * values into the end bins. The map is monotone non-decreasing in v (a
 * subtraction, a multiplication by a positive scale and a floor, each
 * monotone under IEEE rounding), which is what lets percentile.c locate a
 * rank by bin and then select exactly among the values of one bin. */
typedef struct csf_binmap {
    double lo, scale;
    size_t nbins;
} csf_binmap;

static inline csf_binmap csf_binmap_make(double lo, double hi, size_t nbins)
{
    csf_binmap m = {lo, hi > lo ? (double)nbins / (hi - lo) : 0.0, nbins};
    return m;
}

static inline size_t csf_binmap_index(const csf_binmap *m, float v)
{
    double t = ((double)v - m->lo) * m->scale;
    if (!(t > 0))
        return 0;
    if (t >= (double)m->nbins)
        return m->nbins - 1;
    return (size_t)t;
}

/* Values per block for csf_binmap_block. */
#define CSF_STATS_BLOCK 256

/* Bin indices of x[0..n), n <= CSF_STATS_BLOCK, vectorisable; values failing
 * flo <= v <= fhi (NaN always fails) get the spare index nbins. Same bins
 * as csf_binmap_index. */
static inline void csf_binmap_block(const float *x, size_t n, const csf_binmap *m, float flo,
                                    float fhi, uint32_t *idx)
{
    const double lo = m->lo, scale = m->scale, top = (double)(m->nbins - 1);
    const uint32_t spare = (uint32_t)m->nbins;
    for (size_t k = 0; k < n; k++) {
        float v = x[k];
        double t = ((double)v - lo) * scale;
        t = t > 0 ? t : 0;
        t = t < top ? t : top;
        idx[k] = (v >= flo && v <= fhi) ? (uint32_t)t : spare;
    }
}

/* Adds to counts[] (not zeroed here) the values v with flo <= v <= fhi
 * (NaN never passes), binned by m. Parallel; integer sums make the result
 * independent of merge order. */
csf_status csf_stats_hist(const float *data, size_t n, const csf_binmap *m, float flo,
                          float fhi, uint64_t *counts, const csf_exec *ex, csf_error *err);

#endif
