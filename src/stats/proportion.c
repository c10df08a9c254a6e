/* Confidence intervals for a binomial proportion x/n: Wald (clipped), Wilson
 * score and Clopper-Pearson exact. References in docs/stats.md. */
#include "csfleak/stats.h"

#include <math.h>
#include <string.h>

static const char *const g_ci_names[CSF_CI_NMETHODS] = {"wald", "wilson", "exact"};

const char *csf_ci_method_name(csf_ci_method m)
{
    return (unsigned)m < CSF_CI_NMETHODS ? g_ci_names[m] : "?";
}

int csf_ci_method_parse(const char *s, csf_ci_method *out)
{
    for (int m = 0; m < CSF_CI_NMETHODS; m++) {
        if (s != NULL && strcmp(s, g_ci_names[m]) == 0) {
            *out = (csf_ci_method)m;
            return 0;
        }
    }
    return -1;
}

static double clip01(double v)
{
    return v < 0.0 ? 0.0 : (v > 1.0 ? 1.0 : v);
}

csf_status csf_stats_prop_ci(unsigned long x, unsigned long n, double level, csf_ci_method m,
                             double ci[2], csf_error *err)
{
    if (n == 0 || x > n)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "proportion %lu/%lu has no interval", x, n);
    if (!(level > 0.0 && level < 1.0))
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "confidence level %g outside (0, 1)", level);
    double alpha = 1.0 - level;
    double z = csf_stats_norm_quantile(1.0 - alpha / 2.0);
    double nn = (double)n, p = (double)x / nn;
    switch (m) {
    case CSF_CI_WALD: {
        double h = z * sqrt(p * (1.0 - p) / nn);
        ci[0] = clip01(p - h);
        ci[1] = clip01(p + h);
        return CSF_OK;
    }
    case CSF_CI_WILSON: {
        double z2 = z * z, d = 1.0 + z2 / nn;
        double c = (p + z2 / (2.0 * nn)) / d;
        double h = z * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / d;
        /* At x = 0 or n the bound is exactly 0 or 1; rounding must not move it. */
        ci[0] = x == 0 ? 0.0 : clip01(c - h);
        ci[1] = x == n ? 1.0 : clip01(c + h);
        return CSF_OK;
    }
    case CSF_CI_EXACT:
        ci[0] = x == 0 ? 0.0 : csf_stats_beta_inc_inv((double)x, (double)(n - x) + 1.0, alpha / 2.0);
        ci[1] = x == n ? 1.0
                       : csf_stats_beta_inc_inv((double)x + 1.0, (double)(n - x), 1.0 - alpha / 2.0);
        return CSF_OK;
    }
    return csf_error_set(err, CSF_ERR_INVALID_ARG, "unknown interval method %d", (int)m);
}

void csf_stats_prop(unsigned long x, unsigned long n, double level, csf_prop *out)
{
    memset(out, 0, sizeof *out);
    out->x = x;
    out->n = n;
    out->defined = n > 0 && x <= n && level > 0.0 && level < 1.0;
    out->value = out->defined ? (double)x / (double)n : NAN;
    out->why = out->defined ? NULL : "no cases in the denominator";
    for (int m = 0; m < CSF_CI_NMETHODS; m++) {
        if (!out->defined ||
            csf_stats_prop_ci(x, n, level, (csf_ci_method)m, out->ci[m], NULL) != CSF_OK) {
            out->ci[m][0] = NAN;
            out->ci[m][1] = NAN;
        }
    }
}
