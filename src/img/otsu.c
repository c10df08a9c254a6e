/* Otsu and multi-level Otsu thresholds on a histogram of the value range.
 * Between-class variance is invariant (up to a constant) under an affine
 * change of intensity, so the search runs on bin indices and only the
 * winning bins are mapped back to intensities: the threshold is the centre
 * of the last bin of the lower class, as scikit-image reports it. */
#include <math.h>
#include <stdlib.h>

#include "csfleak/img_stats.h"
#include "stats_internal.h"

#define OTSU_MAX_BINS ((size_t)1 << 16)
#define OTSU_MULTI_MAX_BINS ((size_t)1024)

/* Histogram of the finite values over their own range. *flat when all equal. */
static csf_status range_hist(const float *data, size_t n, size_t nbins, uint64_t **h,
                             csf_stats_range *r, const csf_exec *ex, csf_error *err)
{
    csf_status st = csf_stats_range_of(data, n, r, ex, err);
    if (st != CSF_OK)
        return st;
    if (r->count == 0)
        return csf_error_set(err, CSF_ERR_FORMAT, "no finite value among %zu voxels", n);
    *h = calloc(nbins, sizeof **h);
    if (*h == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu bins", nbins);
    csf_binmap m = csf_binmap_make(r->mn, r->mx, nbins);
    st = csf_stats_hist(data, n, &m, (float)r->mn, (float)r->mx, *h, ex, err);
    if (st != CSF_OK) {
        free(*h);
        *h = NULL;
    }
    return st;
}

static double bin_centre(const csf_stats_range *r, size_t nbins, size_t k)
{
    return r->mn + ((double)k + 0.5) * (r->mx - r->mn) / (double)nbins;
}

/* Index of the last bin of the lower class maximising between-class variance;
 * nbins - 1 when no split leaves both classes non-empty. Ties: lowest index. */
static size_t otsu_index(const uint64_t *h, size_t nbins)
{
    double n = 0, s = 0;
    for (size_t k = 0; k < nbins; k++) {
        n += (double)h[k];
        s += (double)k * (double)h[k];
    }
    double n0 = 0, s0 = 0, best = -1;
    size_t arg = nbins - 1;
    for (size_t k = 0; k + 1 < nbins; k++) {
        n0 += (double)h[k];
        s0 += (double)k * (double)h[k];
        double n1 = n - n0;
        if (n0 == 0 || n1 == 0)
            continue;
        double d = s0 / n0 - (s - s0) / n1;
        double v = n0 * n1 * d * d;
        if (v > best) {
            best = v;
            arg = k;
        }
    }
    return arg;
}

csf_status csf_img_otsu(const float *data, size_t n, size_t nbins, double *threshold,
                        const csf_exec *ex, csf_error *err)
{
    if ((data == NULL && n > 0) || threshold == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_img_otsu: NULL argument");
    if (nbins < 2 || nbins > OTSU_MAX_BINS)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "Otsu needs 2..%zu bins, not %zu",
                             OTSU_MAX_BINS, nbins);
    uint64_t *h = NULL;
    csf_stats_range r;
    csf_status st = range_hist(data, n, nbins, &h, &r, ex, err);
    if (st != CSF_OK || h == NULL) /* h is set on success; the check is for analysers */
        return st != CSF_OK ? st : CSF_ERR_INTERNAL;
    size_t k = otsu_index(h, nbins);
    *threshold = r.mn == r.mx ? r.mn : bin_centre(&r, nbins, k);
    free(h);
    return CSF_OK;
}

/* Exhaustive multi-level search. lut[a * nb + b] is S^2 / N of the class of
 * bins a..b (S = sum of bin index * count); maximising the sum over classes
 * maximises between-class variance. Parallel over the first threshold, each
 * chunk keeps its first best and chunks merge in order: the lexicographically
 * first optimum, for any thread count. */
typedef struct mo_ctx {
    const double *lut;
    const double *last; /* last[t] = lut of the top class t+1 .. nb-1 */
    size_t nb;
    int nthr;
    double *best;   /* per first threshold */
    size_t *arg;    /* per first threshold, nthr indices */
} mo_ctx;

/* Chooses cut d (> cut d-1) and deeper ones; the innermost level is a flat,
 * branch-light loop. Sums associate left to right, the same for every
 * candidate, and strict > keeps the lexicographically first optimum. */
static void mo_level(const mo_ctx *c, int d, size_t *idx, double prefix, double *best,
                     size_t *arg)
{
    if (d < 1 || d >= 4) /* at most 4 cuts (5 classes); bounds idx[] for the compiler */
        return;
    const size_t nb = c->nb, first = idx[d - 1] + 1;
    const double *row = c->lut + first * nb; /* class first .. t */
    if (d == c->nthr - 1) {
        for (size_t t = first; t + 1 < nb; t++) {
            double v = prefix + row[t] + c->last[t];
            if (v > *best) {
                *best = v;
                for (int q = 0; q < d; q++)
                    arg[q] = idx[q];
                arg[d] = t;
            }
        }
        return;
    }
    for (size_t t = first; t + (size_t)(c->nthr - d) < nb; t++) {
        idx[d] = t;
        mo_level(c, d + 1, idx, prefix + row[t], best, arg);
    }
}

static csf_status mo_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    (void)err;
    const mo_ctx *c = vctx;
    size_t idx[8];
    for (size_t t0 = b; t0 < e; t0++) {
        double *best = &c->best[t0];
        size_t *arg = &c->arg[t0 * (size_t)c->nthr];
        *best = -1;
        idx[0] = t0;
        if (c->nthr == 1) {
            *best = c->lut[t0] + c->last[t0];
            arg[0] = t0;
        } else {
            mo_level(c, 1, idx, c->lut[t0], best, arg);
        }
    }
    return CSF_OK;
}

static double *class_lut(const uint64_t *h, size_t nb)
{
    double *lut = calloc(nb * nb, sizeof *lut);
    if (lut == NULL)
        return NULL;
    for (size_t a = 0; a < nb; a++) {
        double cn = 0, cs = 0;
        for (size_t b = a; b < nb; b++) {
            cn += (double)h[b];
            cs += (double)b * (double)h[b];
            lut[a * nb + b] = cn > 0 ? cs * cs / cn : 0.0;
        }
    }
    return lut;
}

csf_status csf_img_otsu_multi(const float *data, size_t n, size_t nbins, int nclasses,
                              double *thresholds, const csf_exec *ex, csf_error *err)
{
    if ((data == NULL && n > 0) || thresholds == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_img_otsu_multi: NULL argument");
    if (nclasses < 2 || nclasses > 5)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "multi-Otsu takes 2..5 classes, not %d",
                             nclasses);
    if (nbins < (size_t)nclasses || nbins > OTSU_MULTI_MAX_BINS)
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "multi-Otsu with %d classes needs %d..%zu bins, not %zu", nclasses,
                             nclasses, OTSU_MULTI_MAX_BINS, nbins);
    uint64_t *h = NULL;
    csf_stats_range r;
    csf_status st = range_hist(data, n, nbins, &h, &r, ex, err);
    if (st != CSF_OK || h == NULL) /* h is set on success; the check is for analysers */
        return st != CSF_OK ? st : CSF_ERR_INTERNAL;
    const int nthr = nclasses - 1;
    mo_ctx c = {class_lut(h, nbins), NULL, nbins, nthr, NULL, NULL};
    double *last = malloc(nbins * sizeof *last);
    for (size_t t = 0; c.lut != NULL && last != NULL && t + 1 < nbins; t++)
        last[t] = c.lut[(t + 1) * nbins + nbins - 1];
    c.last = last;
    size_t nfirst = nbins - (size_t)nthr; /* t0 in 0 .. nbins - nthr - 1 */
    c.best = malloc(nfirst * sizeof *c.best);
    c.arg = malloc(nfirst * (size_t)nthr * sizeof *c.arg);
    if (c.lut == NULL || last == NULL || c.best == NULL || c.arg == NULL) {
        st = csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate multi-Otsu tables");
        goto done;
    }
    st = csf_parallel_for(ex, nfirst, 1, mo_chunk, &c, err);
    if (st != CSF_OK)
        goto done;
    size_t win = 0;
    for (size_t t0 = 1; t0 < nfirst; t0++)
        if (c.best[t0] > c.best[win])
            win = t0;
    for (int q = 0; q < nthr; q++)
        thresholds[q] = r.mn == r.mx ? r.mn : bin_centre(&r, nbins, c.arg[win * (size_t)nthr + q]);
done:
    free((double *)c.lut);
    free(last);
    free(c.best);
    free(c.arg);
    free(h);
    return st;
}
