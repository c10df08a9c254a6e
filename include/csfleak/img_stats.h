#ifndef CSFLEAK_IMG_STATS_H
#define CSFLEAK_IMG_STATS_H
/* Intensity statistics of a volume or of any float array: histogram,
 * percentiles, Otsu and multi-level Otsu thresholds. NaN values are ignored. */
#include <stddef.h>
#include <stdint.h>
#include "csfleak/error.h"
#include "csfleak/exec.h"

/* Fixed-bin histogram over [lo, hi]; values outside are clamped into the end
 * bins. counts[nbins] is caller-owned (zeroed by the call). */
csf_status csf_img_histogram(const float *data, size_t n, double lo, double hi,
                             size_t nbins, uint64_t *counts, const csf_exec *ex,
                             csf_error *err);

/* Exact percentiles (as numpy's default "linear" method) of the n values;
 * p[k] in [0, 100], out[k] receives each. CSF_ERR_FORMAT when no finite value. */
csf_status csf_img_percentiles(const float *data, size_t n, const double *p, size_t np,
                               double *out, const csf_exec *ex, csf_error *err);

/* min, max, mean of the finite values; CSF_ERR_FORMAT when none. */
csf_status csf_img_minmax(const float *data, size_t n, double *min, double *max,
                          double *mean, const csf_exec *ex, csf_error *err);

/* Otsu threshold on a `nbins` histogram of [lo, hi] (lo == hi: use data range):
 * voxels > *threshold are foreground. */
csf_status csf_img_otsu(const float *data, size_t n, size_t nbins, double *threshold,
                        const csf_exec *ex, csf_error *err);

/* Multi-level Otsu: nclasses (2..5) classes, nclasses-1 thresholds, ascending. */
csf_status csf_img_otsu_multi(const float *data, size_t n, size_t nbins, int nclasses,
                              double *thresholds, const csf_exec *ex, csf_error *err);

#endif
