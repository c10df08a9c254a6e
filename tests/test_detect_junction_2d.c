/* The 2D thick-slab grading at the thoracolumbar junction (junction_2d.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csfleak/detect.h"
#include "csfleak/spine.h"
#include "support/detect_synth.h"
#include "support/synth_run.h"

static void run_2d(const synth_spec *sp, synth_run *r)
{
    synth_spec s2 = *sp;
    s2.spacing[1] = 2.0; /* projected away: a coarse depth keeps the test fast */
    s2.spacing[2] = 1.5;
    csf_volume *v3 = synth_render(&s2);
    assert_non_null(v3);
    csf_volume *v2 = synth_project_slab(v3);
    csf_volume_free(v3);
    assert_int_equal(synth_run_volume(v2, 1, r), 0);
}

static void probe(void **state)
{
    (void)state;
    double roots[] = {2.6, 3.0, 3.4, 3.8};
    for (int k = 0; k < 4; k++)
        for (int g = 1; g <= 2; g++) {
            synth_spec s;
            synth_spec_init(&s);
            s.thin_r = 1.4;
            s.thin_from = 6;
            s.leak_level = 6;
            s.leak_side = 1;
            s.leak_grade = g;
            s.leak_wedge = 1;
            s.wedge_root_mm = roots[k];
            s.wedge_tip_mm = 0.6 * roots[k];
            s.fov_x_mm = 70;
            s.leak_reach_mm = 12;
            synth_run r;
            fprintf(stderr, "=== root %.1f grade %d\n", roots[k], g);
            run_2d(&s, &r);
            synth_run_free(&r);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(probe)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
