/* The 2D grade-1 shape rule at the lumbar levels (oblique_2d.c, session 9,
 * h/s9lumb2d): a small lumbar wedge whose root stands under twice the
 * neighbours' but at the band's own bar (1.5 x) is a grade-1 leak; a
 * symmetric pair of such sleeves is the anatomy of its level. Mean
 * projections of the synthetic spines of tests/support/detect_synth.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "csfleak/detect.h"
#include "detect/detect_internal.h"
#include "csfleak/spine.h"
#include "support/detect_synth.h"
#include "support/synth_run.h"

/* An L3 left wedge (root_mm at the wall, 1.6 mm at its far end); with
 * `pair` the right L3 sleeve is as wide at the wall, with nothing beyond. */
static void run_l3(double root_mm, int pair, unsigned long long seed, synth_run *r)
{
    synth_spec s;
    synth_spec_init_slab(&s, seed);
    s.fov_x_mm = 70; /* the columns 45-55 mm beyond the wall: the profile's noise floor */
    s.leak_level = 3; /* L3 */
    s.leak_side = 0;
    s.leak_grade = 1;
    s.wedge_root_mm = root_mm;
    s.wedge_tip_mm = 1.6;
    if (pair) {
        s.partner_wedge = 1;
        s.partner_root_mm = root_mm;
    }
    assert_int_equal(synth_run_volume(synth_render_slab(&s), 1, r), 0);
}

/* The bar of the root ratio: the band's 1.5 at L1-L5 only. */
static void root_bar_by_level(void **state)
{
    (void)state;
    assert_true(csf_detect_root_bar_2d(csf_level_index("L1")) == 1.5);
    assert_true(csf_detect_root_bar_2d(csf_level_index("L5")) == 1.5);
    assert_true(csf_detect_root_bar_2d(csf_level_index("T12")) == 2.0);
    assert_true(csf_detect_root_bar_2d(csf_level_index("S1")) == 2.0);
    assert_true(csf_detect_root_bar_2d(csf_level_index("C6")) == 2.0);
}

/* Wedges of 2.6 and 2.7 mm at the wall (seed 2): band 1.5-1.7 x the
 * neighbouring levels', root 1.7-1.9 x, so under the 2 x root bar: no leak
 * before the rule; a grade-1 leak at L3 left now, and the only leak. */
static void small_lumbar_wedge_is_a_leak(void **state)
{
    (void)state;
    const double roots[] = {2.6, 2.7};
    for (size_t q = 0; q < 2; q++) {
        synth_run r;
        run_l3(roots[q], 0, 2, &r);
        assert_int_equal(synth_count_at(r.an, CSF_FIND_LEAK, "L3", CSF_SIDE_LEFT), 1);
        assert_int_equal(synth_best_grade(r.an, "L3", CSF_SIDE_LEFT), 1);
        assert_int_equal(synth_count_kind(r.an, CSF_FIND_LEAK), 1);
        synth_run_free(&r);
    }
}

/* The same sleeves on both sides of L3: a symmetric pair, no leak; and the
 * spine with no wedge at all has none. */
static void symmetric_pair_is_no_leak(void **state)
{
    (void)state;
    const double roots[] = {2.6, 2.7};
    for (size_t q = 0; q < 2; q++) {
        synth_run r;
        run_l3(roots[q], 1, 2, &r);
        assert_int_equal(synth_count_kind(r.an, CSF_FIND_LEAK), 0);
        synth_run_free(&r);
    }
    synth_spec s;
    synth_spec_init_slab(&s, 2);
    s.fov_x_mm = 70;
    synth_run r;
    assert_int_equal(synth_run_volume(synth_render_slab(&s), 1, &r), 0);
    assert_int_equal(synth_count_kind(r.an, CSF_FIND_LEAK), 0);
    synth_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(root_bar_by_level),
        cmocka_unit_test(small_lumbar_wedge_is_a_leak),
        cmocka_unit_test(symmetric_pair_is_no_leak),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
