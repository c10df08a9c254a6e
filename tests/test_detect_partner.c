/* detect 3D, session 6 (docs/detector-log.md "3D lumbar grade 1 against
 * diverticula and bilateral expansions", branch h/s6g1): the lumbar
 * boundary between a grade-1 wedge and a meningeal diverticulum.
 * - A bilateral expansion at L1-L4: each sleeve of the pair was the other's
 *   norm; both exceed the pair of the next level below, which no normal
 *   lumbar pair does (the sleeves grow caudally), so neither is a norm.
 * - A partner holding a strip of sac CSF (cauda equina roots below the
 *   conus stop the wall search) is no norm for volume or root.
 * - A lumbar body that keeps its mouth's width two layers out is a
 *   diverticulum, not a triangular expansion.
 * On component shapes measured on the burned dev seeds b31-b40 (main
 * f4fefcd missed or over-called each of them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "csfleak/detect.h"
#include "csfleak/spine.h"
#include "detect/detect_internal.h"
#include "support/measured.h"
#include "support/synth_run.h"

/* As measured (tests/support/measured.h); the look these sleeves share. */
typedef synth_meas meas;
static const synth_look LOOK = {18.0, 0.86, 15.0, {18.0, 4.0, 3.5}, 0};

#define NMAX 16

static void fill(const meas *m, size_t n, csf_extra *xs, int *cand)
{
    synth_meas_fill(m, n, &LOOK, xs, cand);
}

static const char *const NAMES[] = {"L5", "L4", "L3", "L2", "L1", "T12", "T11", "T10"};

/* Every sleeve of xs[0..n) is normal except those flagged in leak[], which
 * are leaks of at least grade 1. */
static void check(const meas *m, size_t n, const double *lz, const int *leak)
{
    csf_levels lv;
    synth_levels_of(NAMES, lz, 8, &lv);
    csf_extra xs[NMAX];
    int cand[NMAX];
    assert_true(n <= NMAX);
    fill(m, n, xs, cand);
    for (size_t i = 0; i < n; i++) {
        csf_finding f = synth_meas_grade(xs, cand, n, i, &lv);
        if (leak[i]) {
            assert_int_equal(f.kind, CSF_FIND_LEAK);
            assert_true(f.grade >= 1);
        } else {
            assert_int_not_equal(f.kind, CSF_FIND_LEAK);
        }
    }
}

/* b40 case_0116, T10-L5 (measured): a bilateral L2 leak (truth grade 1
 * left, grade 2 right), each side 2.0-2.1 x the neighbours' volume and its
 * root 2.4-2.7 x theirs, missed by main: each side was the other's norm
 * (the inscribed radii, 1.74-1.95 mm against 1.5, are not sqrt(2) x and a
 * voxel thicker). Against the L3 pair below (roots 20-21, 0.15 ml) both
 * hold 2.2-2.5 x the root and 1.9-2 x the volume. */
static const meas L2_PAIR[] = {
    {-256.6, 13.2, 0.194, 1.50, {23, 23, 19, 129}, 0, {0}}, {-256.4, 13.8, 0.200, 1.50, {21, 23, 19, 137}, 1, {0}},
    {-221.9, 9.6, 0.147, 1.50, {22, 20, 22, 83}, 0, {0}},   {-221.8, 9.3, 0.144, 1.23, {25, 23, 20, 76}, 1, {0}},
    {-183.8, 9.0, 0.147, 1.50, {23, 20, 21, 83}, 0, {0}},   {-183.6, 9.0, 0.151, 1.50, {31, 21, 23, 76}, 1, {0}},
    {-145.2, 10.6, 0.296, 1.95, {53, 51, 42, 150}, 0, {0}}, {-145.6, 11.9, 0.283, 1.74, {54, 46, 37, 146}, 1, {0}},
    {-111.6, 10.0, 0.130, 1.23, {21, 17, 15, 77}, 0, {0}},  {-111.4, 10.1, 0.135, 1.50, {26, 18, 20, 71}, 1, {0}},
    {-87.6, 5.5, 0.044, 0.91, {13, 10, 8, 13}, 0, {0}},     {-88.1, 4.8, 0.035, 0.91, {13, 7, 6, 9}, 1, {0}},
    {-59.8, 5.1, 0.035, 0.91, {11, 10, 7, 7}, 0, {0}},      {-60.2, 5.3, 0.034, 0.91, {9, 11, 7, 7}, 1, {0}},
    {-32.1, 6.5, 0.040, 0.91, {12, 8, 6, 14}, 0, {0}},      {-31.9, 6.1, 0.048, 0.91, {13, 10, 8, 17}, 1, {0}},
};

static void bilateral_l2_against_the_pair_below(void **state)
{
    (void)state;
    static const double lz[] = {-256.5, -221.9, -183.7, -145.4, -111.5, -87.8, -60.0, -32.0};
    static const int leak[16] = {[6] = 1, [7] = 1};
    check(L2_PAIR, 16, lz, leak);
}

/* b31 case_0183, T10-L5 (measured): a bilateral L1 leak (truth grade 2
 * left, grade 1 right), roots 71 and 47 against the L2 pair's 20-21, 2.0-2.4
 * x its volume; missed by main (each side the other's norm). The L5 right
 * sleeve (root 40) holds a diverticulum; it stays normal. */
static const meas L1_PAIR[] = {
    {-253.2, 10.7, 0.193, 1.06, {25, 23, 23, 90}, 0, {0}},  {-253.6, 10.8, 0.257, 1.83, {38, 40, 39, 97}, 1, {0}},
    {-215.9, 9.5, 0.144, 1.35, {25, 20, 19, 56}, 0, {0}},   {-216.1, 10.5, 0.152, 1.35, {24, 21, 21, 61}, 1, {0}},
    {-176.7, 11.0, 0.158, 1.35, {22, 22, 13, 75}, 0, {0}},  {-176.2, 11.0, 0.173, 1.50, {25, 23, 19, 77}, 1, {0}},
    {-139.3, 10.2, 0.149, 1.35, {23, 20, 18, 63}, 0, {0}},  {-139.2, 11.3, 0.142, 1.35, {18, 21, 17, 62}, 1, {0}},
    {-104.0, 10.3, 0.286, 2.04, {58, 47, 38, 95}, 1, {0}},  {-104.2, 11.7, 0.359, 2.04, {79, 71, 53, 96}, 0, {0}},
    {-81.1, 4.0, 0.030, 0.91, {10, 9, 5, 1}, 0, {0}},       {-80.9, 4.8, 0.037, 0.70, {13, 10, 5, 3}, 1, {0}},
    {-52.6, 6.4, 0.048, 0.91, {12, 11, 6, 11}, 0, {0}},     {-52.7, 6.2, 0.047, 1.06, {13, 11, 6, 9}, 1, {0}},
    {-25.1, 6.2, 0.047, 0.91, {11, 9, 9, 10}, 0, {0}},      {-25.2, 5.8, 0.042, 0.91, {10, 11, 7, 7}, 1, {0}},
};
static const double L1_LZ[] = {-253.4, -216.0, -176.4, -139.3, -104.1, -81.0, -52.6, -25.2};

static void bilateral_l1_against_the_pair_below(void **state)
{
    (void)state;
    static const int leak[16] = {[8] = 1, [9] = 1};
    check(L1_PAIR, 16, L1_LZ, leak);
}

/* The session-5 failure (reverted): an L1 pair large against its mostly
 * thoracic neighbours (root 30 against the junction line's ~15, 2.3 x its
 * volume) but not against the L2 pair below (1.5 x its root) is the
 * anatomy of its level: both sides stay normal. */
static void big_l1_pair_within_the_pair_below_is_normal(void **state)
{
    (void)state;
    meas m[16];
    memcpy(m, L1_PAIR, sizeof m);
    m[8].ml = 0.200, m[8].layer[0] = 36, m[8].layer[1] = 30, m[8].layer[2] = 24, m[8].rad = 1.50;
    m[9].ml = 0.205, m[9].layer[0] = 37, m[9].layer[1] = 31, m[9].layer[2] = 24, m[9].rad = 1.50;
    m[9].lat = 10.3;
    static const int leak[16] = {0};
    check(m, 16, L1_LZ, leak);
}

/* b40 case_0108, T10-L5 (measured): an L2 left grade-1 wedge (0.372 ml,
 * root 73 against the neighbours' ~20) missed by main because the L2 right
 * "sleeve" opposite, merged with a strip of sac CSF (560 voxels inside the
 * sac's oval, 0.78 ml), was its norm. The strip itself is no expansion. */
static const meas STRIP_PARTNER[] = {
    {-190.2, 8.0, 0.144, 1.23, {31, 23, 22, 68}, 0, {0}},  {-190.4, 8.5, 0.139, 1.23, {27, 25, 22, 65}, 1, {0}},
    {-157.0, 9.0, 0.149, 1.23, {25, 24, 23, 77}, 0, {0}},  {-157.1, 10.2, 0.150, 1.50, {25, 19, 19, 87}, 1, {0}},
    {-124.9, 8.1, 0.129, 1.50, {27, 24, 20, 58}, 0, {0}},  {-125.3, 9.0, 0.124, 1.23, {22, 22, 16, 64}, 1, {0}},
    {-104.6, 9.5, 0.779, 1.50, {221, 159, 176, 223}, 1, {310, 250, 0, 0}},
    {-91.1, 8.5, 0.372, 2.33, {86, 73, 65, 148}, 0, {0}},
    {-60.4, 7.3, 0.092, 1.23, {20, 17, 15, 40}, 0, {0}},  {-60.9, 7.6, 0.093, 1.23, {22, 17, 14, 40}, 1, {0}},
    {-39.4, 3.9, 0.023, 0.91, {11, 9, 2, 1}, 0, {0}},     {-39.1, 3.6, 0.030, 0.91, {11, 9, 5, 5}, 1, {0}},
    {-14.4, 4.4, 0.026, 0.50, {10, 8, 6, 2}, 0, {0}},     {-14.2, 4.5, 0.029, 0.91, {11, 7, 7, 4}, 1, {0}},
    {9.8, 3.6, 0.029, 0.91, {8, 12, 6, 3}, 1, {0}},       {9.4, 4.4, 0.029, 0.91, {10, 9, 7, 3}, 0, {0}},
};

static void strip_partner_is_no_norm(void **state)
{
    (void)state;
    static const double lz[] = {-190.3, -157.1, -125.1, -91.1, -60.7, -39.3, -14.3, 9.6};
    static const int leak[16] = {[7] = 1};
    check(STRIP_PARTNER, 16, lz, leak);
}

/* The wedge rule on one measured lumbar component each (refs as measured):
 * a body that keeps its mouth's width two layers out is a diverticulum
 * (both were grade 1 at main); wedges, which narrow from the dura, stay
 * grade 1; the same dome at S1 (lumbar 0: the S1 sleeve runs along the
 * wall) stays grade 1. */
static void lumbar_dome_is_a_diverticulum(void **state)
{
    (void)state;
    static const synth_wedge_row rows[] = {
        /* b39 case_0013 L2 right, a 4.5 mm diverticulum: layers 39 40 40 */
        {{39, 40, 40, 62}, 0.182, {13.0, 5.6, 4.8}, {0.121, 0.013, 18.0, 0.111, 18.0, 23.0, 0, 1}, 2},
        /* b34 case_0076 L4 right, a 5.2 mm diverticulum: 53 58 54 */
        {{53, 58, 54, 146}, 0.311, {17.9, 6.3, 5.7}, {0.142, 0.020, 19.0, 0.144, 17.0, 23.5, 0, 1}, 2},
        /* b34 case_0032 L2 left, a grade-1 wedge: 64 51 44 */
        {{64, 51, 44, 108}, 0.267, {16.4, 5.8, 4.8}, {0.123, 0.005, 18.2, 0.128, 18.0, 20.0, 0, 1}, 1},
        /* b39 case_0044 L2 right, a grade-1 wedge: 51 37 32 */
        {{51, 37, 32, 100}, 0.220, {17.3, 5.1, 4.3}, {0.120, 0.012, 18.0, 0.135, 24.0, 20.5, 0, 1}, 1},
        /* the first dome as if at S1 */
        {{39, 40, 40, 62}, 0.182, {13.0, 5.6, 4.8}, {0.121, 0.013, 18.0, 0.111, 18.0, 23.0, 0, 0}, 1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        csf_finding f;
        assert_int_equal(synth_wedge_row_judge(&rows[i], &f), rows[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bilateral_l2_against_the_pair_below),
        cmocka_unit_test(bilateral_l1_against_the_pair_below),
        cmocka_unit_test(big_l1_pair_within_the_pair_below_is_normal),
        cmocka_unit_test(strip_partner_is_no_norm),
        cmocka_unit_test(lumbar_dome_is_a_diverticulum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
