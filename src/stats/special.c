/* Special functions for the statistics module: normal CDF and quantile, the
 * regularised incomplete beta function and its inverse, binomial(1/2) tails.
 * Everything is built on the C library's erfc and lgamma so that each function
 * can be checked against direct sums in the tests. */
#include "csfleak/stats.h"

#include <float.h>
#include <math.h>

double csf_stats_norm_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

double csf_stats_norm_quantile(double p)
{
    if (!(p > 0.0 && p < 1.0))
        return NAN;
    /* Bisection on a monotone, correctly rounded CDF: slower than a rational
     * approximation but needs no tabulated constants and reaches full double
     * precision; it runs a handful of times per analysis. */
    double lo = -40.0, hi = 40.0;
    for (int it = 0; it < 200 && hi - lo > 4 * DBL_EPSILON * fmax(1.0, fabs(lo)); it++) {
        double mid = 0.5 * (lo + hi);
        if (csf_stats_norm_cdf(mid) < p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* Continued fraction for I_x(a,b) (modified Lentz), valid for x < (a+1)/(a+b+2). */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-16;
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0, d = 1.0 - qab * x / qap;
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 10000; m++) {
        double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < eps)
            break;
    }
    return h;
}

double csf_stats_beta_inc(double a, double b, double x)
{
    if (!(a > 0.0 && b > 0.0 && x >= 0.0 && x <= 1.0))
        return NAN;
    if (x == 0.0)
        return 0.0;
    if (x == 1.0)
        return 1.0;
    double lfront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    /* The fraction converges fast only below the mean; use the symmetry
     * I_x(a,b) = 1 - I_{1-x}(b,a) above it. */
    if (x < (a + 1.0) / (a + b + 2.0))
        return exp(lfront) * beta_cf(a, b, x) / a;
    return 1.0 - exp(lfront) * beta_cf(b, a, 1.0 - x) / b;
}

double csf_stats_beta_inc_inv(double a, double b, double p)
{
    if (!(a > 0.0 && b > 0.0 && p >= 0.0 && p <= 1.0))
        return NAN;
    if (p == 0.0)
        return 0.0;
    if (p == 1.0)
        return 1.0;
    /* I_x is increasing in x: bisection always converges, to ~1e-16 in x. */
    double lo = 0.0, hi = 1.0;
    for (int it = 0; it < 200 && hi - lo > 1e-16; it++) {
        double mid = 0.5 * (lo + hi);
        if (csf_stats_beta_inc(a, b, mid) < p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

double csf_stats_binom_half_cdf(unsigned long k, unsigned long n)
{
    if (k >= n)
        return 1.0;
    double ln2 = log(2.0), lnf = lgamma((double)n + 1.0), s = 0.0;
    for (unsigned long i = 0; i <= k; i++)
        s += exp(lnf - lgamma((double)i + 1.0) - lgamma((double)(n - i) + 1.0) - (double)n * ln2);
    return s > 1.0 ? 1.0 : s;
}
