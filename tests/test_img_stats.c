/* img stats: histogram, percentiles, min/max, Otsu, multi-Otsu, each against
 * a brute-force reference and bit-identical for 1, 2 and 7 threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/exec.h"
#include "csfleak/img_stats.h"
#include "support/csf_test_img.h"

static const int k_threads[] = {1, 2, 7};
#define NTHREADS (sizeof k_threads / sizeof k_threads[0])

static double gauss(uint64_t *s)
{
    double u = csf_test_uniform(s) + 1e-300, v = csf_test_uniform(s);
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

enum gen_kind {
    GEN_UNIFORM,    /* continuous in [-1000, 1000) */
    GEN_INT16,      /* integers 0..4095: many duplicates */
    GEN_EQUAL,      /* all 7.25 */
    GEN_SPIKE,      /* 95 % in [0, 1e-3), rest up to 1e6: one heavy, non-constant bin */
    GEN_WIDE,       /* exp of uniform in [-40, 40]: huge dynamic range */
    GEN_BIMODAL,    /* two Gaussians (for Otsu) */
    GEN_TRIMODAL,   /* three Gaussians (for multi-Otsu) */
    GEN_ZEROS       /* mixture of +0, -0 and 1 */
};

/* Fills x[n]; nonfinite_every > 0 puts NaN / +Inf / -Inf at every k-th value. */
static float *gen(enum gen_kind kind, size_t n, uint64_t seed, size_t nonfinite_every)
{
    float *x = malloc(n * sizeof *x);
    assert_non_null(x);
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        double u = csf_test_uniform(&s), v;
        switch (kind) {
        case GEN_UNIFORM: v = -1000 + 2000 * u; break;
        case GEN_INT16: v = (double)(csf_test_splitmix64(&s) % 4096); break;
        case GEN_EQUAL: v = 7.25; break;
        case GEN_SPIKE: v = u < 0.95 ? csf_test_uniform(&s) * 1e-3 : csf_test_uniform(&s) * 1e6; break;
        case GEN_WIDE: v = exp(-40 + 80 * u); break;
        case GEN_BIMODAL: v = u < 0.7 ? 100 + 30 * gauss(&s) : 900 + 80 * gauss(&s); break;
        case GEN_TRIMODAL:
            v = u < 0.5 ? 100 + 20 * gauss(&s) : (u < 0.8 ? 500 + 40 * gauss(&s) : 1200 + 60 * gauss(&s));
            break;
        default: v = u < 0.3 ? 0.0 : (u < 0.6 ? -0.0 : 1.0); break;
        }
        x[i] = (float)v;
        if (nonfinite_every > 0 && i % nonfinite_every == 3)
            x[i] = (i / nonfinite_every) % 3 == 0 ? NAN : ((i / nonfinite_every) % 3 == 1 ? INFINITY : -INFINITY);
    }
    return x;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* numpy.percentile(method="linear") on the sorted finite values */
static double ref_percentile(const double *sorted, size_t m, double p)
{
    double h = (double)(m - 1) * (p / 100.0);
    double fl = floor(h);
    size_t lo = (size_t)fl, hi = lo + 1 < m ? lo + 1 : m - 1;
    double a = sorted[lo], b = sorted[hi], t = h - fl, d = b - a;
    return (t >= 0.5 ? b - d * (1.0 - t) : a + d * t) + 0.0;
}

static csf_exec *exec_n(int threads)
{
    csf_exec *ex = NULL;
    assert_int_equal(csf_exec_new(threads, &ex, NULL), CSF_OK);
    return ex;
}

static void count_narrowing(void *user, int level, const char *msg)
{
    (void)level;
    if (strstr(msg, "narrowing") != NULL)
        (*(int *)user)++;
}

static void percentiles_match_sort(void **state)
{
    (void)state;
    static const struct { enum gen_kind kind; size_t n; size_t nonfinite; int narrows; } rows[] = {
        {GEN_UNIFORM, 1, 0, 0},         /* n = 1: every percentile is the value */
        {GEN_UNIFORM, 2, 0, 0},         /* n = 2: pure interpolation */
        {GEN_UNIFORM, 1001, 0, 0},      /* continuous, odd n */
        {GEN_INT16, 5000, 0, 0},        /* heavy duplicates inside bins */
        {GEN_EQUAL, 777, 0, 0},         /* all equal: range collapses */
        {GEN_UNIFORM, 3000, 7, 0},      /* NaN and +-Inf ignored */
        {GEN_SPIKE, 20000, 0, 1},       /* 95 % in one bin: gather cap forces narrowing */
        {GEN_WIDE, 20000, 0, 1},        /* 1e-17 .. 1e17: narrowing through float exponents */
        {GEN_ZEROS, 1000, 0, 0},        /* -0 and +0 compare equal; result is +0 */
        {GEN_INT16, 600000, 11, 0},     /* three parallel chunks, with non-finite values */
    };
    /* many percentiles: more than 8 target bins, found through a bin table;
     * two: at most 4 target bins, found by value intervals */
    static const double p_many[] = {0, 0.5, 1, 2.5, 25, 33.3333, 50, 75, 99, 99.5, 100};
    static const double p_two[] = {1, 99.5};
    for (size_t pr = 0; pr < 2 * sizeof rows / sizeof rows[0]; pr++) {
        const size_t r = pr / 2;
        const double *p = pr % 2 ? p_two : p_many;
        const size_t np = pr % 2 ? 2 : sizeof p_many / sizeof p_many[0];
        float *x = gen(rows[r].kind, rows[r].n, 1000 + r, rows[r].nonfinite);
        double *f = malloc(rows[r].n * sizeof *f);
        size_t m = 0;
        for (size_t i = 0; i < rows[r].n; i++)
            if (isfinite(x[i]))
                f[m++] = x[i];
        qsort(f, m, sizeof *f, cmp_double);
        double want[16], got[NTHREADS][16];
        for (size_t k = 0; k < np; k++)
            want[k] = ref_percentile(f, m, p[k]);
        for (size_t t = 0; t < NTHREADS; t++) {
            csf_exec *ex = exec_n(k_threads[t]);
            int narrowed = 0;
            csf_exec_set_log(ex, count_narrowing, &narrowed);
            csf_error err = {0};
            assert_int_equal(csf_img_percentiles(x, rows[r].n, p, np, got[t], ex, &err), CSF_OK);
            assert_int_equal(narrowed > 0, rows[r].narrows);
            for (size_t k = 0; k < np; k++)
                if (memcmp(&got[t][k], &want[k], sizeof want[k]) != 0)
                    fail_msg("row %zu p=%g threads=%d: got %.17g want %.17g", r, p[k],
                             k_threads[t], got[t][k], want[k]);
            csf_exec_free(ex);
        }
        free(f);
        free(x);
    }
}

static void percentiles_reject_bad_input(void **state)
{
    (void)state;
    float nan3[3] = {NAN, INFINITY, NAN}, one[1] = {1};
    static const double ok_p[1] = {50}, bad_p[2][1] = {{-1}, {NAN}};
    double out[1];
    csf_error err = {0};
    /* only non-finite values */
    assert_int_equal(csf_img_percentiles(nan3, 3, ok_p, 1, out, NULL, &err), CSF_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "finite"));
    /* empty input */
    csf_error_clear(&err);
    assert_int_equal(csf_img_percentiles(one, 0, ok_p, 1, out, NULL, &err), CSF_ERR_FORMAT);
    /* percentile outside [0, 100], and NaN */
    for (int i = 0; i < 2; i++) {
        csf_error_clear(&err);
        assert_int_equal(csf_img_percentiles(one, 1, bad_p[i], 1, out, NULL, &err), CSF_ERR_INVALID_ARG);
    }
}

static void histogram_and_minmax_match_brute_force(void **state)
{
    (void)state;
    static const struct { enum gen_kind kind; size_t n; double lo, hi; size_t nbins; } rows[] = {
        {GEN_UNIFORM, 5000, -500, 500, 10},     /* half the values clamp to end bins */
        {GEN_INT16, 600000, 0, 4096, 4096},     /* one integer per bin, three chunks */
        {GEN_UNIFORM, 100, -1000, 1000, 1},     /* single bin */
        {GEN_UNIFORM, 3000, 3, 3, 5},           /* empty range: all in bin 0 */
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        float *x = gen(rows[r].kind, rows[r].n, 77 + r, 13);
        size_t nb = rows[r].nbins;
        uint64_t *want = calloc(nb, sizeof *want), *got = calloc(nb, sizeof *got);
        double mn = INFINITY, mx = -INFINITY, sum = 0;
        size_t cnt = 0;
        for (size_t i = 0; i < rows[r].n; i++) {
            double v = x[i];
            if (isnan(v))
                continue;
            double t = rows[r].hi > rows[r].lo ? (v - rows[r].lo) * nb / (rows[r].hi - rows[r].lo) : 0;
            want[t <= 0 ? 0 : (t >= nb ? nb - 1 : (size_t)t)]++;
            if (isfinite(v)) {
                mn = fmin(mn, v);
                mx = fmax(mx, v);
                sum += v;
                cnt++;
            }
        }
        for (size_t t = 0; t < NTHREADS; t++) {
            csf_exec *ex = exec_n(k_threads[t]);
            assert_int_equal(csf_img_histogram(x, rows[r].n, rows[r].lo, rows[r].hi, nb, got, ex, NULL), CSF_OK);
            assert_memory_equal(got, want, nb * sizeof *want);
            double gmn, gmx, gmean;
            assert_int_equal(csf_img_minmax(x, rows[r].n, &gmn, &gmx, &gmean, ex, NULL), CSF_OK);
            assert_true(gmn == mn && gmx == mx);
            assert_true(fabs(gmean - sum / cnt) <= 1e-9 * (fabs(sum / cnt) + 1));
            csf_exec_free(ex);
        }
        free(want);
        free(got);
        free(x);
    }
}

/* Histogram over the finite range, exactly as documented for Otsu. */
static void ref_hist(const float *x, size_t n, size_t nb, double *cnt, double *mn, double *mx)
{
    *mn = INFINITY;
    *mx = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i])) {
            *mn = fmin(*mn, x[i]);
            *mx = fmax(*mx, x[i]);
        }
    for (size_t k = 0; k < nb; k++)
        cnt[k] = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i])) {
            double t = (x[i] - *mn) * nb / (*mx - *mn);
            cnt[t <= 0 ? 0 : (t >= nb ? nb - 1 : (size_t)t)]++;
        }
}

/* Between-class variance of the classes cut after bins cut[0] < cut[1] < ...,
 * evaluated directly from bin centres (independent of the cumulative sums). */
static double between_var(const double *cnt, size_t nb, const size_t *cut, int ncut, double mn, double mx)
{
    double w = (mx - mn) / nb, tot = 0, tots = 0;
    for (size_t k = 0; k < nb; k++) {
        tot += cnt[k];
        tots += cnt[k] * (mn + (k + 0.5) * w);
    }
    double mu = tots / tot, var = 0;
    size_t a = 0;
    for (int c = 0; c <= ncut; c++) {
        size_t b = c < ncut ? cut[c] : nb - 1;
        double n0 = 0, s0 = 0;
        for (size_t k = a; k <= b; k++) {
            n0 += cnt[k];
            s0 += cnt[k] * (mn + (k + 0.5) * w);
        }
        if (n0 > 0)
            var += n0 * (s0 / n0 - mu) * (s0 / n0 - mu);
        a = b + 1;
    }
    return var / tot;
}

/* Best variance over every ascending set of ncut cuts (recursive enumeration). */
static double best_var(const double *cnt, size_t nb, size_t *cut, int depth, int ncut, double mn, double mx)
{
    if (depth >= ncut || depth >= 4)
        return between_var(cnt, nb, cut, ncut, mn, mx);
    double best = -1;
    size_t first = depth == 0 ? 0 : cut[depth - 1] + 1;
    for (size_t c = first; c + (size_t)(ncut - depth) <= nb - 1; c++) {
        cut[depth] = c;
        double v = best_var(cnt, nb, cut, depth + 1, ncut, mn, mx);
        best = v > best ? v : best;
    }
    return best;
}

static void otsu_matches_exhaustive_search(void **state)
{
    (void)state;
    static const struct { enum gen_kind kind; size_t n; size_t nbins; int nclasses; } rows[] = {
        {GEN_BIMODAL, 5000, 256, 2},     /* Otsu proper, classic 256 bins */
        {GEN_BIMODAL, 600000, 64, 2},    /* three parallel chunks */
        {GEN_UNIFORM, 3000, 2, 2},       /* smallest histogram: one possible cut */
        {GEN_INT16, 4000, 37, 2},        /* bins straddling integers */
        {GEN_TRIMODAL, 6000, 48, 3},     /* multi-Otsu, 2 thresholds */
        {GEN_TRIMODAL, 6000, 24, 4},     /* 3 thresholds */
        {GEN_BIMODAL, 4000, 16, 5},      /* 4 thresholds, some classes forced thin */
        {GEN_SPIKE, 5000, 20, 3},        /* many empty bins: ties broken to the lowest cut */
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        float *x = gen(rows[r].kind, rows[r].n, 500 + r, 0);
        size_t nb = rows[r].nbins;
        int ncut = rows[r].nclasses - 1;
        double cnt[256], mn, mx;
        ref_hist(x, rows[r].n, nb, cnt, &mn, &mx);
        size_t cut[4];
        double best = best_var(cnt, nb, cut, 0, ncut, mn, mx);
        double got[NTHREADS][4];
        for (size_t t = 0; t < NTHREADS; t++) {
            csf_exec *ex = exec_n(k_threads[t]);
            csf_error err = {0};
            if (ncut == 1)
                assert_int_equal(csf_img_otsu(x, rows[r].n, nb, &got[t][0], ex, &err), CSF_OK);
            else
                assert_int_equal(csf_img_otsu_multi(x, rows[r].n, nb, rows[r].nclasses, got[t], ex, &err), CSF_OK);
            assert_memory_equal(got[t], got[0], (size_t)ncut * sizeof got[0][0]);
            csf_exec_free(ex);
        }
        /* thresholds are bin centres: map back to cut indices */
        double w = (mx - mn) / nb;
        for (int c = 0; c < ncut; c++) {
            double kf = (got[0][c] - mn) / w - 0.5;
            cut[c] = (size_t)llround(kf);
            assert_true(fabs(kf - (double)cut[c]) < 1e-6);
            assert_true(c == 0 || cut[c] > cut[c - 1]);
        }
        double v = between_var(cnt, nb, cut, ncut, mn, mx);
        if (!(v >= best * (1 - 1e-12)))
            fail_msg("row %zu: chosen variance %.17g below best %.17g", r, v, best);
        /* the two-class search of otsu_multi is the same optimum as otsu */
        if (ncut == 1) {
            double m2;
            assert_int_equal(csf_img_otsu_multi(x, rows[r].n, nb, 2, &m2, NULL, NULL), CSF_OK);
            assert_true(m2 == got[0][0]);
        }
        free(x);
    }
}

static void otsu_rejects_bad_input(void **state)
{
    (void)state;
    float x[4] = {1, 2, 3, 4}, nan2[2] = {NAN, NAN};
    double thr[4];
    csf_error err = {0};
    /* one bin cannot be split */
    assert_int_equal(csf_img_otsu(x, 4, 1, thr, NULL, &err), CSF_ERR_INVALID_ARG);
    /* six classes are not supported */
    csf_error_clear(&err);
    assert_int_equal(csf_img_otsu_multi(x, 4, 64, 6, thr, NULL, &err), CSF_ERR_INVALID_ARG);
    /* no finite value */
    csf_error_clear(&err);
    assert_int_equal(csf_img_otsu(nan2, 2, 16, thr, NULL, &err), CSF_ERR_FORMAT);
    /* all equal: the threshold is the value, nothing is foreground */
    float eq[3] = {5, 5, 5};
    assert_int_equal(csf_img_otsu(eq, 3, 16, thr, NULL, NULL), CSF_OK);
    assert_true(thr[0] == 5.0);
}

/* Eigen-decomposition against its definition on random symmetric matrices:
 * A v = w v, V orthonormal, w descending, trace kept; plus a
 * matrix with known eigenvalues and a diagonal one with a tie. */
static void sym3_eigen_matches_definition(void **state)
{
    (void)state;
    uint64_t seed = 12345;
    for (int t = 0; t < 500; t++) {
        double a[9], w[3], v[9];
        for (int i = 0; i < 3; i++)
            for (int j = i; j < 3; j++)
                a[3 * i + j] = a[3 * j + i] = (t % 5 == 0 ? 1e4 : 1.0) * gauss(&seed);
        csf_img_sym3_eigen(a, w, v);
        double scale = fabs(w[0]) + fabs(w[2]) + 1e-300;
        assert_true(w[0] >= w[1] && w[1] >= w[2]);
        for (int k = 0; k < 3; k++)
            for (int r = 0; r < 3; r++) {
                double av = a[3 * r] * v[k] + a[3 * r + 1] * v[3 + k] + a[3 * r + 2] * v[6 + k];
                assert_true(fabs(av - w[k] * v[3 * r + k]) <= 1e-12 * scale);
            }
        for (int k = 0; k < 3; k++)
            for (int l = 0; l < 3; l++) {
                double d = v[k] * v[l] + v[3 + k] * v[3 + l] + v[6 + k] * v[6 + l];
                assert_true(fabs(d - (k == l)) < 1e-12);
            }
        assert_true(fabs(w[0] + w[1] + w[2] - (a[0] + a[4] + a[8])) <= 1e-12 * scale);
    }
    const double k[9] = {2, 1, 0, 1, 2, 0, 0, 0, 5}; /* eigenvalues 5, 3, 1 */
    double w[3], v[9];
    csf_img_sym3_eigen(k, w, v);
    assert_true(fabs(w[0] - 5) < 1e-14 && fabs(w[1] - 3) < 1e-14 && fabs(w[2] - 1) < 1e-14);
    assert_true(fabs(fabs(v[6]) - 1) < 1e-14);
    const double d[9] = {1, 0, 0, 0, 4, 0, 0, 0, 1};
    csf_img_sym3_eigen(d, w, v);
    assert_true(w[0] == 4 && w[1] == 1 && w[2] == 1);
    assert_true(v[3] == 1 && v[1] == 1 && v[8] == 1); /* the tie keeps index order */
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Every rank of arrays with many ties, all-equal runs and sorted / reversed
 * input against a full sort; the partition property is checked too. */
static void select_kth_matches_sort(void **state)
{
    (void)state;
    uint64_t s = 20261126;
    for (size_t n = 1; n <= 67; n += 3)
        for (int kind = 0; kind < 4; kind++) {
            double a[67] = {0}, sorted[67] = {0}, w[67] = {0};
            for (size_t i = 0; i < n; i++) {
                uint64_t r = csf_test_splitmix64(&s);
                a[i] = kind == 0 ? (double)(r % 1000) - 500.5
                     : kind == 1 ? (double)(r % 3)           /* ties */
                     : kind == 2 ? (double)i                 /* sorted */
                                 : (double)(n - i);          /* reversed */
            }
            memcpy(sorted, a, n * sizeof a[0]);
            qsort(sorted, n, sizeof sorted[0], cmp_dbl);
            for (size_t k = 0; k < n; k++) {
                memcpy(w, a, n * sizeof a[0]);
                double x = csf_img_select_kth(w, n, k);
                assert_true(x == sorted[k]);
                for (size_t i = 0; i < n; i++)
                    assert_true(i < k ? w[i] <= x : i > k ? w[i] >= x : w[i] == x);
            }
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(percentiles_match_sort),
        cmocka_unit_test(select_kth_matches_sort),
        cmocka_unit_test(percentiles_reject_bad_input),
        cmocka_unit_test(histogram_and_minmax_match_brute_force),
        cmocka_unit_test(otsu_matches_exhaustive_search),
        cmocka_unit_test(otsu_rejects_bad_input),
        cmocka_unit_test(sym3_eigen_matches_definition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
