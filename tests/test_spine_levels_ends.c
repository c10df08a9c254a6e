/* spine (3D) step 5, session 5 (docs/detector-log.md "3D leaks beside an SLEC:
 * the level count across the collection"): a longitudinal epidural
 * collection hides the sleeve pairs of several levels in a row; the count
 * from S1 cannot cross it, and the levels above were extrapolated with the
 * standard segment heights (C7 8 mm low on b33 case_0033: its C7 leak named
 * C6). The pairs above the collection are counted from C2 when the foramen
 * magnum is seen and the two counts agree. The sleeve exits are the ones
 * measured on burned dev cases; the spine around them is a bare record
 * (csf_spine_levels_auto needs only the components, the sac's z range and
 * its landmarks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/spine.h"
#include "spine/spine_internal.h"
#include "support/bare_spine.h"

typedef synth_spine_case spine_case;

/* b33 case_0033: a ventral collection T8-T12 swallows five pairs in a row.
 * Truth (phantom): C2 286.3, C7 207.3, T1 186.2, T7 57.4, L1 -92.5. */
static const spine_case case_0033 = {
    "b33 case_0033",
    {-267.1, -237.2, -200.6, -164.6, -128.3, -94.1, 56.0, 79.3, 101.9, 124.1, 145.5, 166.2, 185.5, 207.0,
     222.6, 237.5, 252.9, 267.9, 286.2, 0.0},
    -297.9,
    300.0,
};

static void pairs_above_a_collection_are_counted_from_c2(void **state)
{
    (void)state;
    csf_volume *vol;
    csf_spine *sp = synth_bare_spine(&case_0033, &vol);
    assert_int_equal(csf_spine_levels_auto(sp, NULL), CSF_OK);
    const csf_levels *lv = &sp->levels;
    assert_int_equal(lv->method, CSF_LEVELS_SLEEVES_SAC_END);
    /* every name above the collection on its pair (extrapolated from L1,
     * C7 fell at 199.0 and C2 at 281.0) */
    assert_true(fabs(synth_named_z(lv, "C2") - 286.2) < 1.0);
    assert_true(fabs(synth_named_z(lv, "C7") - 207.0) < 1.0);
    assert_true(fabs(synth_named_z(lv, "T7") - 56.0) < 1.0);
    /* below the collection the count from S1 stands */
    assert_true(fabs(synth_named_z(lv, "L1") - (-94.1)) < 1.0);
    assert_true(fabs(synth_named_z(lv, "S1") - (-267.1)) < 1.0);
    /* the hidden levels lie between, in order */
    double t10 = synth_named_z(lv, "T10");
    assert_true(t10 < synth_named_z(lv, "T7") && t10 > synth_named_z(lv, "L1"));
    csf_spine_free(sp);
    csf_volume_free(vol);
}

/* Rows where the count from S1 must stand (each one's levels compared with
 * the same spine without a foramen magnum, where only S1 counts). */
static const spine_case keep_cases[] = {
    /* b28 case_0034: fluid above the foramen magnum as detected (316 mm)
     * makes the count from the top one level off: the gap between the two
     * counts (T4 171.5 to T9 16.7) is 1.33 x what the levels between them
     * span, so they disagree */
    {"b28 case_0034",
     {-255.7, -222.3, -185.5, -150.6, -115.9, -83.6, -61.1, -33.3, -7.8, 16.7, 171.5, 190.4, 210.0, 223.8,
      238.7, 254.3, 269.0, 286.6, 316.1, 0.0},
     -285.6,
     333.3},
    /* every pair seen: the count from S1 reaches C2 itself */
    {"no collection",
     {-267.1, -237.2, -200.6, -164.6, -128.3, -94.1, -69.5, -44.9, -18.0, 8.0, 33.0, 56.0, 79.3, 101.9,
      124.1, 145.5, 166.2, 185.5, 207.0, 222.6, 237.5, 252.9, 267.9, 286.2, 0.0},
     -297.9,
     300.0},
};

static void disagreeing_or_complete_counts_stand(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof keep_cases / sizeof keep_cases[0]; r++) {
        spine_case alone = keep_cases[r];
        alone.z_top = NAN;
        csf_volume *v1, *v2;
        csf_spine *a = synth_bare_spine(&keep_cases[r], &v1), *b = synth_bare_spine(&alone, &v2);
        assert_int_equal(csf_spine_levels_auto(a, NULL), CSF_OK);
        assert_int_equal(csf_spine_levels_auto(b, NULL), CSF_OK);
        assert_true(a->levels.n > 20);
        assert_int_equal(a->levels.n, b->levels.n);
        for (size_t i = 0; i < a->levels.n; i++) {
            assert_string_equal(a->levels.name[i], b->levels.name[i]);
            assert_true(fabs(a->levels.z_mm[i] - b->levels.z_mm[i]) < 1e-9);
        }
        csf_spine_free(a);
        csf_spine_free(b);
        csf_volume_free(v1);
        csf_volume_free(v2);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pairs_above_a_collection_are_counted_from_c2),
        cmocka_unit_test(disagreeing_or_complete_counts_stand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
