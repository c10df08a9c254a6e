/* stats: every statistic against published worked examples or values computed
 * independently by tests/data/stats/verify_reference.py (python3 + numpy, exact
 * binomial sums, no scipy). Each row names its source and the tolerance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/stats.h"

#define assert_near(a, b, tol)                                                               \
    do {                                                                                     \
        double a_ = (a), b_ = (b);                                                           \
        if (!(fabs(a_ - b_) <= (tol)))                                                       \
            fail_msg("%s = %.10g, expected %.10g (tolerance %g)", #a, a_, b_, (double)(tol)); \
    } while (0)

/* ---------------------------------------------------------------- special */

static double binom_cdf_direct(unsigned long k, unsigned long n, double p)
{
    double s = 0.0;
    for (unsigned long i = 0; i <= k; i++)
        s += exp(lgamma(n + 1.0) - lgamma(i + 1.0) - lgamma(n - i + 1.0) + i * log(p) +
                 (n - i) * log1p(-p));
    return s;
}

static void special_functions(void **state)
{
    (void)state;
    /* Phi^-1(0.975) = 1.959963984540054 (Abramowitz & Stegun table 26.5), tol 1e-12 */
    assert_near(csf_stats_norm_quantile(0.975), 1.959963984540054, 1e-12);
    assert_near(csf_stats_norm_quantile(0.5), 0.0, 1e-12);
    assert_near(csf_stats_norm_cdf(-1.959963984540054), 0.025, 1e-14);
    assert_true(isnan(csf_stats_norm_quantile(0.0)));
    /* I_{1-p}(n-k, k+1) = P(Bin(n,p) <= k): brute-force binomial sums, tol 1e-12 */
    const struct { unsigned long k, n; double p; } rows[] = {
        {0, 10, 0.3}, {3, 10, 0.3}, {9, 10, 0.9}, {5, 30, 0.1}, {40, 100, 0.45}, {1, 2, 0.5},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double a = (double)(rows[i].n - rows[i].k), b = (double)rows[i].k + 1.0;
        assert_near(csf_stats_beta_inc(a, b, 1.0 - rows[i].p),
                    binom_cdf_direct(rows[i].k, rows[i].n, rows[i].p), 1e-12);
        double x = csf_stats_beta_inc_inv(a, b, 0.3);
        assert_near(csf_stats_beta_inc(a, b, x), 0.3, 1e-12);
    }
    /* I_x(1,1) = x; I_x(a,1) = x^a: closed forms, tol 1e-14 */
    assert_near(csf_stats_beta_inc(1, 1, 0.37), 0.37, 1e-14);
    assert_near(csf_stats_beta_inc(3, 1, 0.5), 0.125, 1e-14);
    assert_true(isnan(csf_stats_beta_inc(0, 1, 0.5)));
    /* Bin(7, 1/2): P(X <= 1) = 8/128 exactly */
    assert_near(csf_stats_binom_half_cdf(1, 7), 8.0 / 128.0, 1e-15);
}

/* ------------------------------------------------------------ proportions */

static void proportion_intervals(void **state)
{
    (void)state;
    /* lo/hi of Clopper-Pearson (exact) and Wilson, 95%, tolerance 5e-6. */
    const struct {
        unsigned long x, n;
        double ex_lo, ex_hi, wi_lo, wi_hi;
    } rows[] = {
        /* 0/10: exact upper 1 - 0.025^(1/10) = 0.308497; Wilson upper z^2/(n+z^2) = 0.277533 */
        {0, 10, 0.0, 0.308497, 0.0, 0.277533},
        /* 10/10: mirror image of 0/10 */
        {10, 10, 0.691503, 1.0, 0.722467, 1.0},
        /* 81/263: Newcombe (1998) Stat Med 17:857, Table II: exact 0.2527-0.3676,
         * Wilson 0.2553-0.3662; more digits from verify_reference.py */
        {81, 263, 0.252737, 0.367622, 0.255289, 0.366210},
        /* verify_reference.py (bisection on direct binomial sums / Wilson formula) */
        {5, 10, 0.187086, 0.812914, 0.236593, 0.763407},
        {1, 20, 0.001265, 0.248733, 0.008881, 0.236131},
        {29, 30, 0.827831, 0.999156, 0.833296, 0.994091},
        /* n = 1: exact upper for 0/1 is 1 - alpha/2 = 0.975 */
        {0, 1, 0.0, 0.975, 0.0, 0.793451},
        {1, 1, 0.025, 1.0, 0.206549, 1.0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double ci[2];
        assert_int_equal(csf_stats_prop_ci(rows[i].x, rows[i].n, 0.95, CSF_CI_EXACT, ci, NULL), CSF_OK);
        assert_near(ci[0], rows[i].ex_lo, 5e-6);
        assert_near(ci[1], rows[i].ex_hi, 5e-6);
        assert_int_equal(csf_stats_prop_ci(rows[i].x, rows[i].n, 0.95, CSF_CI_WILSON, ci, NULL), CSF_OK);
        assert_near(ci[0], rows[i].wi_lo, 5e-6);
        assert_near(ci[1], rows[i].wi_hi, 5e-6);
    }
    /* Wald at 9/10: 0.9 +- 1.96 sqrt(0.09/10) = [0.714058, 1.085942] -> upper clipped to 1 */
    double ci[2];
    assert_int_equal(csf_stats_prop_ci(9, 10, 0.95, CSF_CI_WALD, ci, NULL), CSF_OK);
    assert_near(ci[0], 0.9 - 1.959963984540054 * sqrt(0.009), 1e-12);
    assert_near(ci[1], 1.0, 0.0);
    /* Wald at 10/10 collapses to [1, 1]: the reason papers should not print it */
    assert_int_equal(csf_stats_prop_ci(10, 10, 0.95, CSF_CI_WALD, ci, NULL), CSF_OK);
    assert_near(ci[0], 1.0, 0.0);
    csf_error err = {0};
    assert_int_equal(csf_stats_prop_ci(0, 0, 0.95, CSF_CI_EXACT, ci, &err), CSF_ERR_INVALID_ARG);
    assert_int_equal(csf_stats_prop_ci(3, 2, 0.95, CSF_CI_EXACT, ci, NULL), CSF_ERR_INVALID_ARG);
    assert_int_equal(csf_stats_prop_ci(1, 2, 1.5, CSF_CI_EXACT, ci, NULL), CSF_ERR_INVALID_ARG);
    csf_prop p;
    csf_stats_prop(0, 0, 0.95, &p);
    assert_false(p.defined);
    assert_true(isnan(p.value) && isnan(p.ci[CSF_CI_WILSON][0]));
    assert_non_null(p.why);
    csf_ci_method m;
    assert_int_equal(csf_ci_method_parse("wilson", &m), 0);
    assert_int_equal(m, CSF_CI_WILSON);
    assert_int_equal(csf_ci_method_parse("Wilson", &m), -1);
    assert_string_equal(csf_ci_method_name(CSF_CI_EXACT), "exact");
}

/* Exact bounds at large n against closed forms. */
static void proportion_large_n(void **state)
{
    (void)state;
    /* large n, closed forms of the exact bounds (relative tol 1e-8):
     * x = 0: upper = 1 - (alpha/2)^(1/n); x = 1: lower = 1 - (1 - alpha/2)^(1/n) */
    const unsigned long big[3] = {1000, 100000, 3000000};
    for (int i = 0; i < 3; i++) {
        double ci0[2], ci1[2], n = (double)big[i];
        assert_int_equal(csf_stats_prop_ci(0, big[i], 0.95, CSF_CI_EXACT, ci0, NULL), CSF_OK);
        assert_int_equal(csf_stats_prop_ci(1, big[i], 0.95, CSF_CI_EXACT, ci1, NULL), CSF_OK);
        double up0 = -expm1(log(0.025) / n), lo1 = -expm1(log(0.975) / n);
        assert_near(ci0[1], up0, up0 * 1e-8);
        assert_near(ci1[0], lo1, lo1 * 1e-8);
    }
}

/* ---------------------------------------------------------------- accuracy */

static void accuracy_table(void **state)
{
    (void)state;
    /* Altman & Bland (1994) BMJ 308:1552, liver scan: TP 231, FP 32, FN 27, TN 54;
     * sens 0.895, spec 0.628, PPV 0.878, NPV 0.667 (their rounding: tol 5e-4).
     * LR log intervals (Simel et al. 1991) from verify_reference.py, tol 5e-6. */
    const csf_confusion cm = {231, 32, 27, 54};
    csf_accuracy a;
    csf_stats_accuracy(&cm, 0.95, &a);
    assert_int_equal(a.n, 344);
    assert_near(a.sens.value, 0.895, 5e-4);
    assert_near(a.spec.value, 0.628, 5e-4);
    assert_near(a.ppv.value, 0.878, 5e-4);
    assert_near(a.npv.value, 0.667, 5e-4);
    assert_near(a.acc.value, 285.0 / 344.0, 1e-15);
    assert_true(a.lr_pos.defined && a.lr_pos.ci_defined);
    assert_near(a.lr_pos.value, 2.406250, 5e-6);
    assert_near(a.lr_pos.ci[0], 1.822791, 5e-6);
    assert_near(a.lr_pos.ci[1], 3.176470, 5e-6);
    assert_near(a.lr_neg.value, 0.166667, 5e-6);
    assert_near(a.lr_neg.ci[0], 0.112590, 5e-6);
    assert_near(a.lr_neg.ci[1], 0.246717, 5e-6);
    /* sens interval is the proportion interval of 231/258 */
    double ci[2];
    csf_stats_prop_ci(231, 258, 0.95, CSF_CI_EXACT, ci, NULL);
    assert_near(a.sens.ci[CSF_CI_EXACT][0], ci[0], 0.0);

    /* Small study with no false positives: spec 100%, LR+ infinite -> undefined, not 0;
     * no reference negatives at all -> spec and both LRs undefined. */
    const csf_confusion perfect = {9, 0, 1, 6};
    csf_stats_accuracy(&perfect, 0.95, &a);
    assert_near(a.spec.value, 1.0, 0.0);
    assert_false(a.lr_pos.defined);
    assert_non_null(a.lr_pos.why);
    assert_true(a.lr_neg.defined && a.lr_neg.ci_defined);
    const csf_confusion nonneg = {5, 0, 2, 0};
    csf_stats_accuracy(&nonneg, 0.95, &a);
    assert_false(a.spec.defined);
    assert_true(isnan(a.spec.value));
    assert_string_equal(a.spec.why, "no reference-negative cases");
    assert_true(a.npv.defined); /* 0 of 2 negative calls correct: a real 0 */
    assert_near(a.npv.value, 0.0, 0.0);
    assert_false(a.lr_pos.defined);
    assert_false(a.lr_neg.defined);
    assert_true(a.sens.defined);

    /* confusion from (truth, pred) arrays; -1 = missing */
    const int truth[] = {1, 1, 0, 0, 1, -1, 0};
    const int pred[] = {1, 0, 1, 0, -1, 1, 0};
    csf_confusion c;
    size_t skipped;
    assert_int_equal(csf_stats_confusion(truth, pred, 7, &c, &skipped, NULL), CSF_OK);
    assert_int_equal(c.tp, 1);
    assert_int_equal(c.fn, 1);
    assert_int_equal(c.fp, 1);
    assert_int_equal(c.tn, 2);
    assert_int_equal(skipped, 2);
    const int bad[] = {2};
    assert_int_equal(csf_stats_confusion(bad, pred, 1, &c, NULL, NULL), CSF_ERR_INVALID_ARG);
}

/* ------------------------------------------------------------------ kappa */

static void kappa_tables(void **state)
{
    (void)state;
    /* SAS/STAT FREQ AGREE example as reproduced in statsmodels' test_inter_rater.py:
     * 3x3 table, kappa 0.4842, ASE 0.1380, CI 0.2137-0.7547, ASE(H0) 0.1484;
     * weighted (Cicchetti-Allison = linear) 0.4701, ASE 0.1457, CI 0.1845-0.7558,
     * ASE(H0) 0.1426. SAS prints 4 decimals: tol 5e-5. */
    const unsigned long sas[9] = {0, 4, 1, 0, 8, 0, 0, 1, 5};
    csf_kappa k;
    assert_int_equal(csf_stats_kappa_table(sas, 3, CSF_KAPPA_UNWEIGHTED, 0.95, &k, NULL), CSF_OK);
    assert_true(k.defined);
    assert_near(k.kappa, 0.4842, 5e-5);
    assert_near(k.se, 0.1380, 5e-5);
    assert_near(k.ci[0], 0.2137, 5e-5);
    assert_near(k.ci[1], 0.7547, 5e-5);
    assert_near(k.se0, 0.1484, 5e-5);
    assert_near(k.z, 3.2626, 5e-4);
    assert_int_equal(csf_stats_kappa_table(sas, 3, CSF_KAPPA_LINEAR, 0.95, &k, NULL), CSF_OK);
    assert_near(k.kappa, 0.4701, 5e-5);
    assert_near(k.se, 0.1457, 5e-5);
    assert_near(k.ci[0], 0.1845, 5e-5);
    assert_near(k.ci[1], 0.7558, 5e-5);
    assert_near(k.se0, 0.1426, 5e-5);
    /* Quadratic weights on the same table: verify_reference.py, tol 5e-6 */
    assert_int_equal(csf_stats_kappa_table(sas, 3, CSF_KAPPA_QUADRATIC, 0.95, &k, NULL), CSF_OK);
    assert_near(k.kappa, 0.450161, 5e-6);
    assert_near(k.se, 0.192233, 5e-6);

    /* Altman (1991) Practical Statistics for Medical Research, Table 14.3/14.4:
     * two radiologists, 85 xeromammograms, 4 grades; kappa 0.47, linear weighted
     * kappa 0.57 (book rounding, tol 5e-3); more digits from verify_reference.py
     * (kappa 0.472789, se 0.072715; linear 0.568399; quadratic 0.671371), tol 5e-6. */
    const unsigned long altman[16] = {21, 12, 0, 0, 4, 17, 1, 0, 3, 9, 15, 2, 0, 0, 0, 1};
    assert_int_equal(csf_stats_kappa_table(altman, 4, CSF_KAPPA_UNWEIGHTED, 0.95, &k, NULL), CSF_OK);
    assert_near(k.observed, 54.0 / 85.0, 1e-15);
    assert_near(k.kappa, 0.47, 5e-3);
    assert_near(k.kappa, 0.472789, 5e-6);
    assert_near(k.se, 0.072715, 5e-6);
    assert_int_equal(csf_stats_kappa_table(altman, 4, CSF_KAPPA_LINEAR, 0.95, &k, NULL), CSF_OK);
    assert_near(k.kappa, 0.57, 5e-3);
    assert_near(k.kappa, 0.568399, 5e-6);
    assert_int_equal(csf_stats_kappa_table(altman, 4, CSF_KAPPA_QUADRATIC, 0.95, &k, NULL), CSF_OK);
    assert_near(k.kappa, 0.671371, 5e-6);

    /* Fleiss, Levin & Paik (2003) ch. 18, two psychiatrists, 100 patients, 3 diagnoses:
     * po 0.89, pe 0.66, kappa 0.68 (book), 0.676471 (verify_reference.py), tol 5e-6 */
    const unsigned long flp[9] = {75, 1, 4, 5, 4, 1, 0, 0, 10};
    assert_int_equal(csf_stats_kappa_table(flp, 3, CSF_KAPPA_UNWEIGHTED, 0.95, &k, NULL), CSF_OK);
    assert_near(k.observed, 0.89, 1e-12);
    assert_near(k.expected, 0.66, 1e-12);
    assert_near(k.kappa, 0.676471, 5e-6);
}

static void kappa_ratings(void **state)
{
    (void)state;
    /* R irr::kappa2(anxiety[, 2:3], w) as recorded in statsmodels' test_inter_rater.py
     * (20 subjects; irr keeps only the 5 levels used, 1 2 3 4 6 -> 0..4):
     * unweighted -0.006289308 (z -0.0604067), "equal" (linear) 0.1459075
     * (z 1.282472), "squared" 0.2520325 (z 1.437451); tol 1e-7 (z 1e-5). */
    const int r2[20] = {3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4};
    const int r3[20] = {2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2};
    int a[20], b[20];
    for (int i = 0; i < 20; i++) {
        a[i] = r2[i] == 6 ? 4 : r2[i] - 1;
        b[i] = r3[i] == 6 ? 4 : r3[i] - 1;
    }
    const struct { csf_kappa_weight w; double kappa, z; } rows[] = {
        {CSF_KAPPA_UNWEIGHTED, -0.006289308, -0.0604067},
        {CSF_KAPPA_LINEAR, 0.1459075, 1.282472},
        {CSF_KAPPA_QUADRATIC, 0.2520325, 1.437451},
    };
    for (size_t i = 0; i < 3; i++) {
        csf_kappa k;
        assert_int_equal(csf_stats_kappa(a, b, 20, 5, rows[i].w, 0.95, &k, NULL), CSF_OK);
        assert_int_equal(k.n, 20);
        assert_near(k.kappa, rows[i].kappa, 1e-7);
        assert_near(k.z, rows[i].z, 1e-5);
    }
    /* missing ratings drop the pair; perfect agreement gives kappa 1, SE 0 */
    const int x[5] = {0, 1, 1, -1, 0}, y[5] = {0, 1, 1, 1, -1};
    csf_kappa k;
    assert_int_equal(csf_stats_kappa(x, y, 5, 2, CSF_KAPPA_UNWEIGHTED, 0.95, &k, NULL), CSF_OK);
    assert_int_equal(k.n, 3);
    assert_near(k.kappa, 1.0, 1e-15);
    assert_near(k.se, 0.0, 1e-12);
    /* both raters constant and equal: chance agreement 1 -> undefined, not 0 or 1 */
    const int c1[3] = {1, 1, 1};
    assert_int_equal(csf_stats_kappa(c1, c1, 3, 2, CSF_KAPPA_UNWEIGHTED, 0.95, &k, NULL), CSF_OK);
    assert_false(k.defined);
    assert_true(isnan(k.kappa));
    const int out_of_range[1] = {2};
    csf_error err = {0};
    assert_int_equal(csf_stats_kappa(out_of_range, c1, 1, 2, CSF_KAPPA_UNWEIGHTED, 0.95, &k, &err),
                     CSF_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "pair 0"));
}

/* ---------------------------------------------------------------- mcnemar */

static void mcnemar(void **state)
{
    (void)state;
    /* exact two-sided p = min(1, 2 P(Bin(b+c, 1/2) <= min(b, c))), exact fractions from
     * verify_reference.py; chi-square (continuity corrected) p from erfc; tol 1e-12
     * exact, 1e-9 relative-ish for chi-square. Agresti (2002) Table 10.1 (presidential
     * approval, b = 150, c = 86): chi2 without correction 17.36; corrected 16.8178. */
    const struct { unsigned long b, c; int exact; double p; } rows[] = {
        {1, 6, 1, 0.125},
        {0, 5, 1, 0.0625},
        {3, 3, 1, 1.0},
        {2, 10, 1, 0.03857421875},
        {0, 0, 1, 1.0},
        {20, 40, 0, 1.417139e-02},
        {150, 86, 0, 4.114562e-05},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        csf_mcnemar m;
        csf_stats_mcnemar(rows[i].b, rows[i].c, &m);
        assert_int_equal(m.exact, rows[i].exact);
        assert_near(m.p, rows[i].p, rows[i].exact ? 1e-12 : rows[i].p * 1e-6);
    }
    csf_mcnemar m;
    csf_stats_mcnemar(150, 86, &m);
    assert_near(m.chi2, 16.817797, 5e-6);
    /* the rule's boundary: 24 discordant pairs exact, 25 chi-square */
    csf_stats_mcnemar(12, 12, &m);
    assert_int_equal(m.exact, 1);
    csf_stats_mcnemar(12, 13, &m);
    assert_int_equal(m.exact, 0);
    const int a[6] = {1, 1, 0, 0, -1, 1}, b[6] = {0, 0, 1, 0, 1, 1};
    assert_int_equal(csf_stats_mcnemar_pairs(a, b, 6, &m, NULL), CSF_OK);
    assert_int_equal(m.b, 2);
    assert_int_equal(m.c, 1);
}

/* ----------------------------------------------------------------- fleiss */

/* Fleiss (1971) Psychol Bull 76:378, Table 1: 30 patients, 6 psychiatrists each,
 * 5 diagnoses (depression, personality disorder, schizophrenia, neurosis, other);
 * n_ij = raters assigning patient i to category j, exactly as in the paper. */
static const unsigned long g_fleiss1971[30][5] = {
    {0, 0, 0, 6, 0}, {0, 3, 0, 0, 3}, {0, 1, 4, 0, 1}, {0, 0, 0, 0, 6}, {0, 3, 0, 3, 0},
    {2, 0, 4, 0, 0}, {0, 0, 4, 0, 2}, {2, 0, 3, 1, 0}, {2, 0, 0, 4, 0}, {0, 0, 0, 0, 6},
    {1, 0, 0, 5, 0}, {1, 1, 0, 4, 0}, {0, 3, 3, 0, 0}, {1, 0, 0, 5, 0}, {0, 2, 0, 3, 1},
    {0, 0, 5, 0, 1}, {3, 0, 0, 1, 2}, {5, 1, 0, 0, 0}, {0, 2, 0, 4, 0}, {1, 0, 2, 0, 3},
    {0, 0, 0, 0, 6}, {0, 1, 0, 5, 0}, {0, 2, 0, 1, 3}, {2, 0, 0, 4, 0}, {1, 0, 0, 4, 1},
    {0, 5, 0, 1, 0}, {4, 0, 0, 0, 2}, {0, 2, 0, 4, 0}, {1, 0, 5, 0, 0}, {0, 0, 0, 0, 6},
};

static void fleiss_kappa(void **state)
{
    (void)state;
    /* Fleiss (1971): kappa = 0.430; R irr::kappam.fleiss(diagnoses): 0.4302445, z 17.65183
     * (z from the Fleiss, Nee & Landis 1979 null SE); tol 1e-7 and 1e-5. Column totals
     * 26 26 30 55 43 (statsmodels test_aggregate_raters) check the table itself. */
    const unsigned long totals[5] = {26, 26, 30, 55, 43};
    for (int j = 0; j < 5; j++) {
        unsigned long s = 0;
        for (int i = 0; i < 30; i++)
            s += g_fleiss1971[i][j];
        assert_int_equal(s, totals[j]);
    }
    csf_fleiss f;
    assert_int_equal(csf_stats_fleiss_counts(&g_fleiss1971[0][0], 30, 5, &f, NULL), CSF_OK);
    assert_true(f.defined);
    assert_int_equal(f.nraters, 6);
    assert_near(f.kappa, 0.430, 5e-4);
    assert_near(f.kappa, 0.4302445, 1e-7);
    assert_near(f.z, 17.65183, 1e-5);
    /* the same from a subjects x raters rating matrix */
    int ratings[30 * 6];
    for (int i = 0; i < 30; i++) {
        int r = 0;
        for (int j = 0; j < 5; j++)
            for (unsigned long c = 0; c < g_fleiss1971[i][j]; c++)
                ratings[i * 6 + r++] = j;
    }
    csf_fleiss g;
    assert_int_equal(csf_stats_fleiss(ratings, 30, 6, 5, &g, NULL), CSF_OK);
    assert_near(g.kappa, f.kappa, 1e-15);
    /* two raters: Fleiss' kappa equals Scott's pi, (po - pe)/(1 - pe) with pooled margins:
     * ratings (0,0) (1,1) (0,1) (1,1): po 0.5... computed by hand: pooled p = 3/8, 5/8,
     * pe = 34/64, Pbar = 3/4 -> kappa = (0.75 - 0.53125) / 0.46875 = 0.466667 */
    const int two[8] = {0, 0, 1, 1, 0, 1, 1, 1};
    assert_int_equal(csf_stats_fleiss(two, 4, 2, 2, &g, NULL), CSF_OK);
    assert_near(g.kappa, (0.75 - 34.0 / 64.0) / (1.0 - 34.0 / 64.0), 1e-14);
    const unsigned long ragged[4] = {2, 0, 1, 2};
    csf_error err = {0};
    assert_int_equal(csf_stats_fleiss_counts(ragged, 2, 2, &g, &err), CSF_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "subject 1"));
}

/* -------------------------------------------------------------------- roc */

static void roc_delong(void **state)
{
    (void)state;
    /* Hanley & McNeil (1982) Radiology 143:29, Table 1: CT ratings 1-5 of 109 patients;
     * normal 33 6 6 11 2, abnormal 3 2 2 11 33. AUC 0.893 (paper), 0.893171 exactly;
     * DeLong SE 0.030724, CI 0.832952-0.953390 (verify_reference.py brute-force
     * placement values); tol 5e-4 for the paper's rounding, 5e-6 otherwise. */
    const unsigned nneg[5] = {33, 6, 6, 11, 2}, npos[5] = {3, 2, 2, 11, 33};
    double score[109];
    int truth[109];
    size_t n = 0;
    for (int g = 0; g < 5; g++) {
        for (unsigned i = 0; i < nneg[g]; i++, n++) {
            score[n] = g + 1;
            truth[n] = 0;
        }
        for (unsigned i = 0; i < npos[g]; i++, n++) {
            score[n] = g + 1;
            truth[n] = 1;
        }
    }
    csf_roc *roc = NULL;
    assert_int_equal(csf_stats_roc(score, truth, n, 0.95, &roc, NULL), CSF_OK);
    assert_int_equal(roc->npos, 51);
    assert_int_equal(roc->nneg, 58);
    assert_near(roc->auc, 0.893, 5e-4);
    assert_near(roc->auc, 0.893171, 5e-6);
    assert_near(roc->se, 0.030724, 5e-6);
    assert_near(roc->ci[0], 0.832952, 5e-6);
    assert_near(roc->ci[1], 0.953390, 5e-6);
    /* points: (0,0) then thresholds 5..1; Hanley & McNeil Table 1 cumulative rates */
    const double fpr[6] = {0, 0.034483, 0.224138, 0.327586, 0.431034, 1};
    const double tpr[6] = {0, 0.647059, 0.862745, 0.901961, 0.941176, 1};
    assert_int_equal(roc->npoints, 6);
    for (int i = 0; i < 6; i++) {
        assert_near(roc->points[i].fpr, fpr[i], 5e-7);
        assert_near(roc->points[i].tpr, tpr[i], 5e-7);
    }
    assert_true(isinf(roc->points[0].threshold));
    assert_near(roc->points[1].threshold, 5.0, 0.0);
    /* trapezoidal area under the points equals the Mann-Whitney AUC */
    double area = 0.0;
    for (size_t i = 1; i < roc->npoints; i++)
        area += (roc->points[i].fpr - roc->points[i - 1].fpr) *
                (roc->points[i].tpr + roc->points[i - 1].tpr) / 2.0;
    assert_near(area, roc->auc, 1e-12);
    csf_stats_roc_free(roc);

    /* perfect separation, 1 positive: AUC 1 and SE undefined (needs 2 of each) */
    const double s2[3] = {0.1, 0.2, 0.9};
    const int t2[3] = {0, 0, 1};
    assert_int_equal(csf_stats_roc(s2, t2, 3, 0.95, &roc, NULL), CSF_OK);
    assert_near(roc->auc, 1.0, 0.0);
    assert_true(isnan(roc->se) && isnan(roc->ci[0]));
    csf_stats_roc_free(roc);
    const int t3[3] = {1, 1, -1};
    roc = NULL;
    assert_int_equal(csf_stats_roc(s2, t3, 3, 0.95, &roc, NULL), CSF_ERR_INVALID_ARG);
    assert_null(roc);
}

/* Brute-force DeLong on random scores with ties: O(mn) kernel, same formula. */
static void roc_matches_brute_force(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    double score[200];
    int truth[200];
    for (int i = 0; i < 200; i++) {
        seed = seed * 1664525u + 1013904223u;
        truth[i] = (seed >> 16) & 1;
        seed = seed * 1664525u + 1013904223u;
        score[i] = (double)((seed >> 16) % 7) + truth[i] * 1.5 * ((seed >> 8) & 1);
    }
    csf_roc *roc = NULL;
    assert_int_equal(csf_stats_roc(score, truth, 200, 0.95, &roc, NULL), CSF_OK);
    double v10[200] = {0}, v01[200] = {0}, auc = 0.0;
    size_t np = 0, nn = 0;
    for (int i = 0; i < 200; i++)
        truth[i] ? np++ : nn++;
    for (int i = 0; i < 200; i++)
        for (int j = 0; j < 200; j++) {
            if (!truth[i] || truth[j])
                continue;
            double psi = score[i] > score[j] ? 1.0 : (score[i] == score[j] ? 0.5 : 0.0);
            v10[i] += psi / (double)nn;
            v01[j] += psi / (double)np;
            auc += psi / ((double)np * (double)nn);
        }
    double s10 = 0.0, s01 = 0.0;
    for (int i = 0; i < 200; i++) {
        if (truth[i])
            s10 += (v10[i] - auc) * (v10[i] - auc);
        else
            s01 += (v01[i] - auc) * (v01[i] - auc);
    }
    double se = sqrt(s10 / (double)(np - 1) / (double)np + s01 / (double)(nn - 1) / (double)nn);
    assert_near(roc->auc, auc, 1e-12);
    assert_near(roc->se, se, 1e-12);
    csf_stats_roc_free(roc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(special_functions),  cmocka_unit_test(proportion_intervals),
        cmocka_unit_test(proportion_large_n),
        cmocka_unit_test(accuracy_table),     cmocka_unit_test(kappa_tables),
        cmocka_unit_test(kappa_ratings),      cmocka_unit_test(mcnemar),
        cmocka_unit_test(fleiss_kappa),       cmocka_unit_test(roc_delong),
        cmocka_unit_test(roc_matches_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
