/* McNemar's test for paired binary calls. Rule (docs/stats.md): with fewer than
 * CSF_MCNEMAR_EXACT_BELOW discordant pairs the exact two-sided binomial test
 * (p = min(1, 2 P(X <= min(b, c))), X ~ Bin(b + c, 1/2)) is used, because the
 * chi-square approximation is poor there; otherwise the continuity-corrected
 * statistic (|b - c| - 1)^2 / (b + c) on one degree of freedom (Edwards 1948). */
#include "csfleak/stats.h"

#include <math.h>

void csf_stats_mcnemar(unsigned long b, unsigned long c, csf_mcnemar *out)
{
    unsigned long nd = b + c;
    out->b = b;
    out->c = c;
    if (nd == 0) {
        out->exact = 1;
        out->chi2 = NAN;
        out->p = 1.0;
        return;
    }
    double diff = fabs((double)b - (double)c) - 1.0;
    if (diff < 0.0)
        diff = 0.0;
    out->chi2 = diff * diff / (double)nd;
    if (nd < CSF_MCNEMAR_EXACT_BELOW) {
        out->exact = 1;
        double p = 2.0 * csf_stats_binom_half_cdf(b < c ? b : c, nd);
        out->p = p > 1.0 ? 1.0 : p;
    } else {
        out->exact = 0;
        /* Chi-square(1) survival function = erfc(sqrt(x / 2)). */
        out->p = erfc(sqrt(out->chi2 / 2.0));
    }
}

csf_status csf_stats_mcnemar_pairs(const int *a, const int *b, size_t n, csf_mcnemar *out,
                                   csf_error *err)
{
    unsigned long nb = 0, nc = 0;
    for (size_t i = 0; i < n; i++) {
        if (a[i] > 1 || b[i] > 1)
            return csf_error_set(err, CSF_ERR_INVALID_ARG,
                                 "pair %zu is (%d, %d); calls must be 1, 0 or negative (missing)",
                                 i, a[i], b[i]);
        if (a[i] < 0 || b[i] < 0)
            continue;
        nb += a[i] == 1 && b[i] == 0;
        nc += a[i] == 0 && b[i] == 1;
    }
    csf_stats_mcnemar(nb, nc, out);
    return CSF_OK;
}
