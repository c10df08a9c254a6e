/* detect (3D): grade-1 leaks at a root sleeve expanded inside a longitudinal
 * epidural collection (SLEC), on synthetic spines (tests/support/
 * detect_synth.c). The expanded sleeve is one component with the
 * collection and adds no lateral reach to it; what it adds is fluid beyond
 * the sac's coronal midplane, away from the collection, on one side of its
 * level only (slec_wedge.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>
#include <cmocka.h>

#include "csfleak/detect.h"
#include "csfleak/spine.h"
#include "support/detect_synth.h"
#include "support/synth_run.h"

/* A ventral collection from the synthetic T10 down three levels, above the
 * conus (the cord runs through it, as in the thoracic canal where
 * collections lie), a crescent round the front half of the sac reaching 4.8
 * mm beyond each lateral wall (the sleeves crossing it merge with it), with
 * or without a grade-1 expansion of the left sleeve of level index 8 (3.5
 * mm in radius at the wall instead of 2: wider than a root widened to
 * sqrt(2) x its diameter, and 9 mm long as every sleeve). */
static void slec_run(int wedge, synth_run *r)
{
    synth_spec s;
    synth_spec_init(&s);
    s.slec = 1;
    s.slec_from = 9;
    s.z_top_mm = 330.0;
    s.slec_side_mm = 3.0;
    s.slec_gap_mm = 1.8;
    if (wedge) {
        s.leak_level = 8; /* inside the collection */
        s.leak_side = 0;
        s.leak_grade = 1;
        s.wedge_root_mm = 3.5;
    }
    assert_int_equal(synth_run_volume(synth_render(&s), 1, r), 0);
}

/* The premise: the expanded sleeve is no component of its own (it would be
 * graded as a sleeve then). */
static int leak_in_collection(const csf_analysis *an)
{
    for (size_t i = 0; i < an->nfindings; i++)
        if (an->findings[i].kind == CSF_FIND_LEAK && !an->findings[i].arm)
            return 0;
    return 1;
}

/* Found at its sleeve's exit (within half the 28 mm pitch) and side, grade
 * 1, nothing on the right. */
static void grade1_sleeve_inside_slec_found(void **state)
{
    (void)state;
    synth_run r;
    slec_run(1, &r);
    assert_true(r.an->slec_present);
    assert_true(leak_in_collection(r.an));
    assert_int_equal(synth_count_kind(r.an, CSF_FIND_LEAK), 1);
    const csf_finding *f = synth_first_kind(r.an, CSF_FIND_LEAK);
    assert_int_equal(f->grade, 1);
    assert_int_equal(f->side, CSF_SIDE_LEFT);
    assert_true(fabs(f->center_mm[2] - synth_level_z(8)) < 14.0);
    synth_run_free(&r);
}

/* The collection alone: its far side holds as much on both sides, no leak. */
static void slec_alone_no_far_side_leak(void **state)
{
    (void)state;
    synth_run r;
    slec_run(0, &r);
    assert_true(r.an->slec_present);
    assert_int_equal(synth_count_kind(r.an, CSF_FIND_LEAK), 0);
    synth_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grade1_sleeve_inside_slec_found),
        cmocka_unit_test(slec_alone_no_far_side_leak),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
