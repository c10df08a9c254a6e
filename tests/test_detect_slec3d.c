/* detect (3D): leaks leaving a longitudinal epidural collection (SLEC) at one
 * root level, on synthetic spines (tests/support/detect_synth.c). The leak
 * and the collection are one component; the collection's farthest point
 * alone calls only arms beyond the sac width (slec_profile.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "csfleak/detect.h"
#include "csfleak/spine.h"
#include "support/detect_synth.h"
#include "support/synth_run.h"

/* A ventral collection from T12 down to L2 wrapping round the sac's sides
 * (4 mm beyond each lateral wall, so the sleeves crossing it merge with it),
 * with or without a leak of the given grade at L1 on the left. */
static void slec_run(int leak, int grade, synth_run *r)
{
    synth_spec s;
    synth_spec_init(&s);
    s.slec = 1;
    s.slec_from = 6; /* T12 down to L3 */
    s.slec_side_mm = 3.0;
    s.slec_gap_mm = 1.8; /* apart from the dura: the tracker keeps to the sac */
    if (leak) {
        s.leak_level = 5; /* L1, inside the collection */
        s.leak_side = 0;
        s.leak_grade = grade;
        s.leak_reach_mm = 10.5; /* beyond the sleeves (9 mm long), short of the sac width (16 mm) */
    }
    assert_int_equal(synth_run_volume(synth_render(&s), 1, r), 0);
}

static int leaks_at(const csf_analysis *an, const char *level, int side, int min_grade)
{
    int n = 0;
    for (size_t i = 0; i < an->nfindings; i++) {
        const csf_finding *f = &an->findings[i];
        n += f->kind == CSF_FIND_LEAK && f->side == side && f->grade >= min_grade &&
             abs(f->level_index - csf_level_index(level)) <= 1;
    }
    return n;
}

/* The premise of the rule: the leak is no component of its own, it is part
 * of the collection. */
static int leak_in_collection(const csf_analysis *an)
{
    for (size_t i = 0; i < an->nfindings; i++)
        if (an->findings[i].kind == CSF_FIND_LEAK && !an->findings[i].arm)
            return 0;
    return 1;
}

static void slec_alone_is_no_leak(void **state)
{
    (void)state;
    synth_run r;
    slec_run(0, 0, &r);
    assert_true(r.an->slec_present);
    assert_int_equal(synth_count_kind(r.an, CSF_FIND_LEAK), 0);
    synth_run_free(&r);
}

/* A grade-2 leak (lateral fluid shorter than the sac width) joined to the
 * collection: found at its level and side, graded 2, and nothing on the
 * other side (the sleeves crossing the collection at every level are the
 * reference). */
static void grade2_leak_joining_slec_found(void **state)
{
    (void)state;
    synth_run r;
    slec_run(1, 2, &r);
    assert_true(r.an->slec_present);
    assert_true(leak_in_collection(r.an));
    assert_int_equal(leaks_at(r.an, "L1", CSF_SIDE_LEFT, 2), 1);
    assert_int_equal(leaks_at(r.an, "L1", CSF_SIDE_RIGHT, 1), 0);
    for (size_t i = 0; i < r.an->nfindings; i++)
        if (r.an->findings[i].kind == CSF_FIND_LEAK)
            assert_int_equal(r.an->findings[i].grade, 2);
    synth_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slec_alone_is_no_leak),
        cmocka_unit_test(grade2_leak_joining_slec_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
