/* detect 3D, a profuse S1 leak opposite a large S1 perineural cyst
 * (src/detect/sleeves.c, csf_detect_grade_sleeve): the cyst's far side is
 * the reach that level's sleeve may have, not the reach its leak may have.
 * Fluid that holds more than any normal sleeve (>= 5 x its neighbours) and
 * reaches beyond them is judged against the neighbours' reach. Synthetic
 * spines of tests/support/detect_synth.c: a 24 mm cyst on the right S1
 * sleeve (its far side ~30 mm from the wall: 8 mm neck + its ball) and a
 * profuse left S1 leak with a pool reaching ~31 mm; before this rule the
 * leak was only "grade 1, root sleeve expanded" (as b32 case_0087). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csfleak/detect.h"
#include "csfleak/spine.h"
#include "support/detect_synth.h"
#include "support/synth_run.h"

#ifndef CYST_R_MM
#define CYST_R_MM 12.0
#endif

static void s1_leak_opposite_big_cyst_is_found(void **state)
{
    (void)state;
    synth_spec s;
    synth_spec_init(&s);
    s.cyst_level = 0; /* S1 */
    s.cyst_side = 1;
    s.cyst_radius = CYST_R_MM;
    s.leak_level = 0;
    s.leak_side = 0;
    s.leak_grade = 3;
    s.leak_pool = 1;
    synth_run r;
    assert_int_equal(synth_run_volume(synth_render(&s), 1, &r), 0);
    const csf_finding *leak = synth_first_kind(r.an, CSF_FIND_LEAK);
    assert_int_equal(synth_count_kind(r.an, CSF_FIND_LEAK), 1);
    assert_int_equal(synth_count_kind(r.an, CSF_FIND_CYST), 1);
    assert_non_null(leak);
    assert_int_equal(leak->side, CSF_SIDE_LEFT);
    assert_int_equal(leak->grade, 3);
    synth_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(s1_leak_opposite_big_cyst_is_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
