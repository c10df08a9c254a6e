/* Cohen's kappa (1960), weighted kappa (Cohen 1968) with linear and quadratic
 * agreement weights, and the large-sample standard errors of Fleiss, Cohen &
 * Everitt (1969), which cover weighted and unweighted kappa alike. */
#include "csfleak/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double agreement_weight(size_t i, size_t j, size_t k, csf_kappa_weight w)
{
    double d = fabs((double)i - (double)j) / (double)(k - 1);
    switch (w) {
    case CSF_KAPPA_LINEAR: return 1.0 - d;
    case CSF_KAPPA_QUADRATIC: return 1.0 - d * d;
    case CSF_KAPPA_UNWEIGHTED: break;
    }
    return i == j ? 1.0 : 0.0;
}

/* Both variances of FCE (1969): with p_ij cell proportions, row/col margins
 * r_i, c_j, wbar_i = sum_j c_j w_ij and wbar_j = sum_i r_i w_ij,
 *   var   = [sum p_ij (w_ij (1-pe) - (wbar_i + wbar_j)(1-po))^2 - (po pe - 2pe + po)^2]
 *           / (n (1-pe)^4)
 *   var_0 = [sum r_i c_j (w_ij - (wbar_i + wbar_j))^2 - pe^2] / (n (1-pe)^2). */
static void kappa_variances(const double *p, const double *r, const double *c, double *wbar,
                            size_t k, csf_kappa_weight w, double n, csf_kappa *out)
{
    double po = out->observed, pe = out->expected, a = 0.0, b = 0.0;
    double *wr = wbar, *wc = wbar + k; /* wbar_i. and wbar_.j */
    for (size_t i = 0; i < k; i++) {
        wr[i] = wc[i] = 0.0;
        for (size_t j = 0; j < k; j++) {
            wr[i] += c[j] * agreement_weight(i, j, k, w);
            wc[i] += r[j] * agreement_weight(j, i, k, w);
        }
    }
    for (size_t i = 0; i < k; i++) {
        for (size_t j = 0; j < k; j++) {
            double wij = agreement_weight(i, j, k, w);
            double t = wij * (1.0 - pe) - (wr[i] + wc[j]) * (1.0 - po);
            a += p[i * k + j] * t * t;
            double t0 = wij - (wr[i] + wc[j]);
            b += r[i] * c[j] * t0 * t0;
        }
    }
    double q = po * pe - 2.0 * pe + po;
    double var = (a - q * q) / (n * pow(1.0 - pe, 4));
    double var0 = (b - pe * pe) / (n * (1.0 - pe) * (1.0 - pe));
    /* Rounding can push a true zero slightly negative (perfect agreement). */
    out->se = var > 0.0 ? sqrt(var) : 0.0;
    out->se0 = var0 > 0.0 ? sqrt(var0) : 0.0;
}

static void kappa_undefined(csf_kappa *out)
{
    out->defined = 0;
    out->kappa = out->se = out->se0 = out->z = out->p = NAN;
    out->ci[0] = out->ci[1] = NAN;
}

csf_status csf_stats_kappa_table(const unsigned long *table, size_t k, csf_kappa_weight w,
                                 double level, csf_kappa *out, csf_error *err)
{
    if (k < 2 || k > 4096)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "kappa needs 2..4096 categories, got %zu", k);
    if (!(level > 0.0 && level < 1.0))
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "confidence level %g outside (0, 1)", level);
    memset(out, 0, sizeof *out);
    double *p = calloc(k * k + 4 * k, sizeof *p);
    if (p == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory for a %zu-category kappa", k);
    double *r = p + k * k, *c = r + k, n = 0.0;
    for (size_t i = 0; i < k * k; i++)
        n += (double)table[i];
    out->n = (unsigned long)n;
    out->observed = out->expected = NAN;
    if (n > 0.0) {
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++) {
                p[i * k + j] = (double)table[i * k + j] / n;
                r[i] += p[i * k + j];
                c[j] += p[i * k + j];
            }
        double po = 0.0, pe = 0.0;
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++) {
                double wij = agreement_weight(i, j, k, w);
                po += wij * p[i * k + j];
                pe += wij * r[i] * c[j];
            }
        out->observed = po;
        out->expected = pe;
    }
    /* pe = 1 only when both raters used one and the same category throughout. */
    if (n == 0.0 || out->expected >= 1.0 - 1e-12) {
        kappa_undefined(out);
        free(p);
        return CSF_OK;
    }
    out->defined = 1;
    out->kappa = (out->observed - out->expected) / (1.0 - out->expected);
    kappa_variances(p, r, c, c + k, k, w, n, out);
    free(p);
    double z = csf_stats_norm_quantile(1.0 - (1.0 - level) / 2.0);
    out->ci[0] = fmax(-1.0, out->kappa - z * out->se);
    out->ci[1] = fmin(1.0, out->kappa + z * out->se);
    if (out->se0 > 0.0) {
        out->z = out->kappa / out->se0;
        out->p = 2.0 * csf_stats_norm_cdf(-fabs(out->z));
    } else {
        out->z = out->p = NAN;
    }
    return CSF_OK;
}

csf_status csf_stats_kappa(const int *a, const int *b, size_t n, size_t k, csf_kappa_weight w,
                           double level, csf_kappa *out, csf_error *err)
{
    if (k < 2 || k > 4096)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "kappa needs 2..4096 categories, got %zu", k);
    unsigned long *table = calloc(k * k, sizeof *table);
    if (table == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory for a %zu-category kappa", k);
    for (size_t i = 0; i < n; i++) {
        if (a[i] < 0 || b[i] < 0)
            continue;
        if ((size_t)a[i] >= k || (size_t)b[i] >= k) {
            free(table);
            return csf_error_set(err, CSF_ERR_INVALID_ARG,
                                 "pair %zu is (%d, %d); ratings must be below %zu", i, a[i], b[i], k);
        }
        table[(size_t)a[i] * k + (size_t)b[i]]++;
    }
    csf_status st = csf_stats_kappa_table(table, k, w, level, out, err);
    free(table);
    return st;
}
