/* detect 3D, session 6 (docs/detector-log.md "3D grade 2-3 leaks missed with
 * no SLEC beside them"): a sleeve longer and fuller than the sleeves of the
 * levels above and below it is the other half of a bilateral leak and no
 * norm for its partner (bilateral.c); a sleeve that reaches beyond its
 * neighbours' scatter holding twice their fluid and its partner's has fluid
 * in addition to it, grade 2, although its reach stays under the 2.5 mm
 * floor (fluid_beyond.c). On component shapes measured on burned dev cases
 * (wall-corrected reach, as classify.c grades them). */
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
static const synth_look LOOK = {17.0, 0.85, 10.0, {12.0, 3.5, 3.0}, 1};

static void fill(const meas *m, size_t n, csf_extra *xs, int *cand)
{
    synth_meas_fill(m, n, &LOOK, xs, cand);
}

/* b40 case_0181, C6-T3 (measured): a grade-2 leak on each side of T1
 * (truth reach 14.0 mm left, 10.0 mm right). Each side reached no farther
 * than the other, and neither holds 5 x its neighbours' volume (3.4 x and
 * 4.8 x), so each was the other's norm and both were missed. Against the
 * C7 pair above (6.2-6.3 mm, 0.035 ml) and the T2 pair below (4.3-5.7 mm,
 * 0.022 ml) each T1 sleeve is longer by more than 2.5 mm and holds more
 * than twice the fluid. */
static const meas T1_PAIR[] = {
    {163.7, 4.3, 0.024, 0.50, {7, 5, 6, 6}, 0, {0}},    {164.0, 5.7, 0.030, 0.50, {9, 8, 5, 8}, 1, {0}},      /* T3 */
    {182.3, 4.3, 0.021, 0.50, {7, 5, 5, 4}, 0, {0}},    {182.3, 5.7, 0.023, 0.50, {7, 5, 5, 6}, 1, {0}},      /* T2 */
    {200.0, 13.3, 0.120, 1.50, {35, 22, 14, 49}, 0, {0}}, {200.5, 9.6, 0.169, 1.50, {59, 37, 19, 54}, 1, {0}}, /* T1 */
    {218.3, 6.2, 0.034, 0.91, {7, 7, 5, 15}, 0, {0}},   {218.3, 6.3, 0.036, 0.91, {6, 8, 6, 16}, 1, {0}},     /* C7 */
    {231.4, 6.7, 0.041, 0.91, {9, 6, 8, 18}, 0, {0}},   {231.4, 6.8, 0.041, 0.91, {10, 6, 7, 18}, 1, {0}},    /* C6 */
};
#define NT1 (sizeof T1_PAIR / sizeof T1_PAIR[0])
static const char *const T1_NAMES[] = {"T3", "T2", "T1", "C7", "C6"};
static const double T1_Z[] = {163.9, 182.3, 200.2, 215.8, 231.4};

static void bilateral_t1_grade2_found(void **state)
{
    (void)state;
    csf_levels lv;
    synth_levels_of(T1_NAMES, T1_Z, 5, &lv);
    csf_extra xs[NT1];
    int cand[NT1];
    fill(T1_PAIR, NT1, xs, cand);
    for (size_t i = 0; i < NT1; i++) {
        csf_finding f = synth_meas_grade(xs, cand, NT1, i, &lv);
        if (i == 4 || i == 5) {
            assert_int_equal(f.kind, CSF_FIND_LEAK);
            assert_int_equal(f.grade, 2);
        } else {
            assert_int_equal(f.kind, CSF_FIND_IGNORED);
        }
    }
}

/* The same T1 pair as the end of the named chain (no T2/T3 named): the
 * gradient cannot be checked on both sides, the pair rule stands and both
 * are normal, as the long S1 pair is (s5lumb's reverted bilateral rule). */
static void bilateral_needs_both_neighbouring_levels(void **state)
{
    (void)state;
    static const char *const names[] = {"T1", "C7", "C6"};
    csf_levels lv;
    synth_levels_of(names, T1_Z + 2, 3, &lv);
    csf_extra xs[NT1];
    int cand[NT1];
    double reach;
    fill(T1_PAIR, NT1, xs, cand);
    /* the T2/T3 sleeves are not named: only the C6-T1 ones stay */
    for (size_t i = 0; i < 4; i++)
        cand[i] = 0;
    assert_int_equal(csf_detect_bilateral_partner(xs, cand, NT1, 5, &lv, 2.5, &reach), 0);
    assert_int_equal(csf_detect_bilateral_partner(xs, cand, NT1, 4, &lv, 2.5, &reach), 0);
    synth_levels_of(T1_NAMES, T1_Z, 5, &lv);
    fill(T1_PAIR, NT1, xs, cand);
    assert_int_equal(csf_detect_bilateral_partner(xs, cand, NT1, 5, &lv, 2.5, &reach), 1);
    assert_true(fabs(reach - 6.25) < 1e-9); /* the longer neighbouring level: C7 (6.2, 6.3) */
    /* a partner as long but no fuller than the C7 pair is no leak */
    xs[5].volume_ml = 0.060;
    assert_int_equal(csf_detect_bilateral_partner(xs, cand, NT1, 5, &lv, 2.5, &reach), 0);
}

/* b31 case_0010, T8-T11 (measured): a grade-2 leak at T9 right (truth
 * reach 9.2 mm, 0.139 ml). Its thresholded component reaches 7.9 mm, 2.1
 * mm beyond the neighbours' 5.8 (under the 2.5 mm floor; their MAD 0.6),
 * holding 2.2 x their volume and 2.9 x the T9 sleeve opposite. */
static const meas T9_STREAK[] = {
    {-34.5, 5.7, 0.039, 1.05, {13, 11, 9, 7}, 0, {0}}, {-34.2, 5.5, 0.045, 0.82, {13, 12, 10, 11}, 1, {0}}, /* T11 */
    {-10.1, 5.5, 0.043, 1.05, {14, 11, 8, 11}, 0, {0}}, {-10.3, 5.4, 0.038, 1.05, {14, 10, 9, 6}, 1, {0}},  /* T10 */
    {14.4, 4.3, 0.031, 0.82, {13, 9, 6, 4}, 0, {0}},   {15.1, 7.9, 0.090, 1.05, {33, 17, 12, 31}, 1, {0}},  /* T9 */
    {37.6, 6.8, 0.040, 1.05, {12, 9, 8, 12}, 0, {0}},  {37.6, 6.6, 0.041, 0.82, {13, 11, 8, 10}, 1, {0}},   /* T8 */
};
#define NT9 (sizeof T9_STREAK / sizeof T9_STREAK[0])

static void thoracic_grade2_by_fluid_beyond(void **state)
{
    (void)state;
    static const char *const names[] = {"T11", "T10", "T9", "T8"};
    static const double z[] = {-34.4, -10.2, 14.7, 37.6};
    csf_levels lv;
    synth_levels_of(names, z, 4, &lv);
    csf_extra xs[NT9];
    int cand[NT9];
    fill(T9_STREAK, NT9, xs, cand);
    for (size_t i = 0; i < NT9; i++) {
        csf_finding f = synth_meas_grade(xs, cand, NT9, i, &lv);
        if (i == 5) {
            assert_int_equal(f.kind, CSF_FIND_LEAK);
            assert_int_equal(f.grade, 2);
        } else {
            assert_int_equal(f.kind, CSF_FIND_IGNORED);
        }
    }
    /* the same reach with the fluid of a normal sleeve (1.5 x): a sleeve
     * at another angle, normal */
    xs[5].volume_ml = 0.060;
    csf_finding f = synth_meas_grade(xs, cand, NT9, 5, &lv);
    assert_int_equal(f.kind, CSF_FIND_IGNORED);
    /* twice the fluid but a partner as full: the anatomy of the level */
    xs[5].volume_ml = 0.090;
    xs[4].volume_ml = 0.080;
    f = synth_meas_grade(xs, cand, NT9, 5, &lv);
    assert_true(f.kind != CSF_FIND_LEAK || f.grade != 2);
    /* twice the fluid within the neighbours' reach: no fluid beyond */
    xs[4].volume_ml = 0.031;
    xs[5].lateral_extent_mm = 6.6;
    f = synth_meas_grade(xs, cand, NT9, 5, &lv);
    assert_true(f.kind != CSF_FIND_LEAK || f.grade != 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bilateral_t1_grade2_found),
        cmocka_unit_test(bilateral_needs_both_neighbouring_levels),
        cmocka_unit_test(thoracic_grade2_by_fluid_beyond),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
