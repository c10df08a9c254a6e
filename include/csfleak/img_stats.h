#ifndef CSFLEAK_IMG_STATS_H
#define CSFLEAK_IMG_STATS_H
/* Intensity statistics of a volume or of any float array: histogram,
 * percentiles, Otsu and multi-level Otsu thresholds. Non-finite values (NaN,
 * +-Inf) are ignored, except that the histogram clamps +-Inf into its end
 * bins. -0.0 is reported as +0.0. All are parallel and bit-identical for any
 * thread count; definitions and costs in docs/img.md. */
#include <stddef.h>
#include <stdint.h>
#include "csfleak/error.h"
#include "csfleak/exec.h"

/* Fixed-bin histogram over [lo, hi] (finite, hi >= lo): bin of v is
 * floor((v - lo) * nbins / (hi - lo)); values outside are clamped into the end
 * bins, hi lands in the last bin, lo == hi puts all in bin 0. counts[nbins] is
 * caller-owned (zeroed by the call). CSF_ERR_INVALID_ARG on a bad range. */
csf_status csf_img_histogram(const float *data, size_t n, double lo, double hi,
                             size_t nbins, uint64_t *counts, const csf_exec *ex,
                             csf_error *err);

/* Exact percentiles (as numpy's default "linear" method, interpolated in
 * double) of the finite values among the n; p[k] in [0, 100] (else
 * CSF_ERR_INVALID_ARG), out[k] receives each. No sort: a histogram pass, then
 * a selection among the values of the bins holding the wanted ranks.
 * CSF_ERR_FORMAT when no finite value. */
csf_status csf_img_percentiles(const float *data, size_t n, const double *p, size_t np,
                               double *out, const csf_exec *ex, csf_error *err);

/* k-th smallest of v[0..n) (n > 0, k < n, no NaN): the value a full sort would
 * put at index k, with every element before index k no larger and every one
 * after it no smaller. v is reordered; expected O(n). */
double csf_img_select_kth(double *v, size_t n, size_t k);

/* min, max, mean of the finite values; CSF_ERR_FORMAT when none. */
csf_status csf_img_minmax(const float *data, size_t n, double *min, double *max,
                          double *mean, const csf_exec *ex, csf_error *err);

/* Otsu threshold on a histogram of nbins (2..65536) bins over [min, max] of
 * the finite values: *threshold is the centre of the last bin of the lower
 * class (scikit-image's convention); voxels > *threshold are foreground. All
 * values equal: *threshold is that value. CSF_ERR_FORMAT when no finite value. */
csf_status csf_img_otsu(const float *data, size_t n, size_t nbins, double *threshold,
                        const csf_exec *ex, csf_error *err);

/* Multi-level Otsu: nclasses (2..5) classes by exhaustive search over a
 * histogram of nbins (nclasses..1024) bins over [min, max]; thresholds[]
 * receives nclasses-1 ascending bin centres (class c+1 is > thresholds[c]).
 * Cost O(nbins^(nclasses-1)): 5 classes on 256 bins take ~0.07 s. */
csf_status csf_img_otsu_multi(const float *data, size_t n, size_t nbins, int nclasses,
                              double *thresholds, const csf_exec *ex, csf_error *err);

/* Eigen-decomposition of a symmetric 3x3 matrix a (row-major, a[3 * r + c];
 * a covariance: the principal axes of a component or of a site's spread).
 * w[] receives the eigenvalues in descending order (ties keep their index
 * order) and column k of v (v[3 * r + k]) the unit eigenvector of w[k].
 * Cyclic Jacobi: exact to machine precision after a few sweeps, no failure
 * mode, so it returns nothing. */
void csf_img_sym3_eigen(const double a[9], double w[3], double v[9]);

#endif
