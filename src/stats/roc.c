/* Empirical ROC curve and AUC with the nonparametric variance of DeLong,
 * DeLong & Clarke-Pearson (1988), from placement values computed by sorting and
 * binary search (O(n log n)); ties count one half (Mann-Whitney). */
#include "csfleak/stats.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Number of v[0..n) below x and equal to x; v sorted ascending. */
static void count_below_equal(const double *v, size_t n, double x, size_t *below, size_t *equal)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    *below = lo;
    hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    *equal = lo - *below;
}

static double placement_variance(const double *v, size_t n, double mean)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += (v[i] - mean) * (v[i] - mean);
    return s / (double)(n - 1);
}

/* AUC, SE (DeLong) from sorted positive and negative scores; tmp has npos+nneg room. */
static void delong(const double *pos, size_t np, const double *neg, size_t nn, double *tmp,
                   csf_roc *roc)
{
    double *v10 = tmp, *v01 = tmp + np, auc = 0.0;
    for (size_t i = 0; i < np; i++) {
        size_t below, equal;
        count_below_equal(neg, nn, pos[i], &below, &equal);
        v10[i] = ((double)below + 0.5 * (double)equal) / (double)nn;
        auc += v10[i];
    }
    auc /= (double)np;
    for (size_t j = 0; j < nn; j++) {
        size_t below, equal;
        count_below_equal(pos, np, neg[j], &below, &equal);
        v01[j] = ((double)(np - below - equal) + 0.5 * (double)equal) / (double)np;
    }
    roc->auc = auc;
    if (np < 2 || nn < 2) {
        roc->se = NAN;
        return;
    }
    double var = placement_variance(v10, np, auc) / (double)np +
                 placement_variance(v01, nn, auc) / (double)nn;
    roc->se = sqrt(var);
}

/* Points at every distinct score, from the highest down. */
static csf_status roc_points(const double *pos, size_t np, const double *neg, size_t nn,
                             csf_roc *roc, csf_error *err)
{
    roc->points = malloc((np + nn + 1) * sizeof *roc->points);
    if (roc->points == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory for ROC points");
    size_t ip = np, in = nn, k = 0; /* pos[ip..np) and neg[in..nn) are >= threshold */
    roc->points[k++] = (csf_roc_point){INFINITY, 0.0, 0.0};
    while (ip > 0 || in > 0) {
        double t = -INFINITY;
        if (ip > 0)
            t = pos[ip - 1];
        if (in > 0 && neg[in - 1] > t)
            t = neg[in - 1];
        while (ip > 0 && pos[ip - 1] >= t)
            ip--;
        while (in > 0 && neg[in - 1] >= t)
            in--;
        roc->points[k++] = (csf_roc_point){t, (double)(nn - in) / (double)nn,
                                           (double)(np - ip) / (double)np};
    }
    roc->npoints = k;
    return CSF_OK;
}

csf_status csf_stats_roc(const double *score, const int *truth, size_t n, double level,
                         csf_roc **out, csf_error *err)
{
    if (!(level > 0.0 && level < 1.0))
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "confidence level %g outside (0, 1)", level);
    size_t np = 0, nn = 0;
    for (size_t i = 0; i < n; i++) {
        if (truth[i] < 0 || isnan(score[i]))
            continue;
        if (truth[i] > 1)
            return csf_error_set(err, CSF_ERR_INVALID_ARG, "truth %zu is %d, not 0/1", i, truth[i]);
        truth[i] ? np++ : nn++;
    }
    if (np == 0 || nn == 0)
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "ROC needs positive and negative cases (%zu, %zu)", np, nn);
    csf_roc *roc = calloc(1, sizeof *roc);
    double *buf = malloc(2 * (np + nn) * sizeof *buf);
    csf_status st = CSF_OK;
    if (roc == NULL || buf == NULL) {
        st = csf_error_set(err, CSF_ERR_NOMEM, "out of memory for ROC of %zu cases", np + nn);
        goto done;
    }
    double *pos = buf, *neg = buf + np;
    size_t a = 0, b = 0;
    for (size_t i = 0; i < n; i++) {
        if (truth[i] < 0 || isnan(score[i]))
            continue;
        if (truth[i])
            pos[a++] = score[i];
        else
            neg[b++] = score[i];
    }
    qsort(pos, np, sizeof *pos, cmp_double);
    qsort(neg, nn, sizeof *neg, cmp_double);
    roc->npos = np;
    roc->nneg = nn;
    delong(pos, np, neg, nn, buf + np + nn, roc);
    double z = csf_stats_norm_quantile(1.0 - (1.0 - level) / 2.0);
    roc->ci[0] = isnan(roc->se) ? NAN : fmax(0.0, roc->auc - z * roc->se);
    roc->ci[1] = isnan(roc->se) ? NAN : fmin(1.0, roc->auc + z * roc->se);
    st = roc_points(pos, np, neg, nn, roc, err);
done:
    free(buf);
    if (st != CSF_OK) {
        csf_stats_roc_free(roc);
        return st;
    }
    *out = roc;
    return CSF_OK;
}

void csf_stats_roc_free(csf_roc *roc)
{
    if (roc == NULL)
        return;
    free(roc->points);
    free(roc);
}
