/* explore */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "csfleak/detect.h"
#include "csfleak/spine.h"
#include "support/detect_synth.h"
#include "support/synth_run.h"

static void show(const char *name, synth_spec *s)
{
    s->spacing[1] = 2.0;
    s->spacing[2] = 1.5;
    csf_volume *v3 = synth_render(s);
    csf_volume *v2 = synth_project_slab(v3);
    csf_volume_free(v3);
    synth_run r;
    assert_int_equal(synth_run_volume(v2, 1, &r), 0);
    printf("== %s\n", name);
    for (size_t i = 0; i < r.an->nfindings; i++) {
        const csf_finding *f = &r.an->findings[i];
        printf("  kind %d grade %d level %s side %d lat %.1f r %.1f W %.1f : %s\n", f->kind, f->grade, csf_level_name(f->level_index), f->side, f->lateral_extent_mm, f->inscribed_radius_mm, f->local_width_mm, f->reason);
    }
    synth_run_free(&r);
}

static void explore(void **state)
{
    (void)state;
    synth_spec s;
    for (int k = 0; k < 8; k++) {
        synth_spec_init(&s);
        char nm[64];
        snprintf(nm, sizeof nm, "case %d", k);
        switch (k) {
        case 0: s.leak_level = 0; s.leak_side = 1; s.leak_grade = 1; s.wedge_root_mm = 3.8; s.wedge_tip_mm = 1.0; break;
        case 1: s.leak_level = 0; s.leak_side = 1; s.leak_grade = 1; s.wedge_root_mm = 4.2; s.wedge_tip_mm = 1.0; break;
        case 2: s.leak_level = 0; s.leak_side = 1; s.leak_grade = 1; s.wedge_root_mm = 4.2; s.wedge_tip_mm = 1.4; break;
        case 3: s.leak_level = 0; s.leak_side = 1; s.leak_grade = 1; s.wedge_root_mm = 4.6; s.wedge_tip_mm = 1.0; break;
        case 4: s.leak_level = 0; s.leak_side = 1; s.leak_grade = 1; s.wedge_root_mm = 4.0; s.wedge_tip_mm = 1.2; s.seed = 2; break;
        case 5: s.leak_level = 0; s.leak_side = 1; s.leak_grade = 1; s.wedge_root_mm = 4.2; s.wedge_tip_mm = 1.0; s.seed = 2; break;
        case 6: s.divert_level = 0; s.divert_side = 1; s.divert_radius = 8.0; s.divert_on_wall = 1; s.seed = 2; break;
        case 7: s.divert_level = 0; s.divert_side = 0; s.divert_radius = 8.0; s.divert_on_wall = 1; break;
        }
        show(nm, &s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(explore)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
