/* detect: the side (ventral/dorsal) of an SLEC on synthetic spines
 * (tests/support/detect_synth.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csfleak/detect.h"
#include "csfleak/spine.h"
#include "support/detect_synth.h"

/* A ventral collection that wraps round the sac and pools beside it, down
 * to just short of its dorsal wall: its mass centre lies dorsal of the sac's
 * centre, yet all of its fluid beyond a wall lies in front of the anterior
 * one. It was called dorsal from its centroid. */
static void wrapping_slec_is_ventral(void **state)
{
    (void)state;
    synth_spec s;
    synth_spec_init(&s);
    s.spacing[2] = 1.5;
    s.slec = 1;
    s.slec_wrap = 1;
    s.slec_from = 6; /* T12 down to L3 */
    csf_error err = {0};
    csf_volume *vol = synth_render(&s);
    assert_non_null(vol);
    csf_spine *sp = NULL;
    csf_analysis *an = NULL;
    assert_int_equal(csf_spine_analyze(vol, NULL, &sp, NULL, &err), CSF_OK);
    assert_int_equal(csf_detect_run(sp, &an, &err), CSF_OK);
    assert_true(an->slec_present);
    const csf_finding *f = NULL;
    for (size_t i = 0; i < an->nfindings && !f; i++)
        if (an->findings[i].kind == CSF_FIND_SLEC)
            f = &an->findings[i];
    assert_non_null(f);
    /* the premise: the centroid of the collection lies dorsal of the sac's centre */
    const csf_extra *x = NULL;
    size_t nx = 0;
    const csf_extra *xs = csf_spine_extras(sp, &nx);
    for (size_t i = 0; i < nx; i++)
        if (xs[i].craniocaudal_extent_mm > 60 && (!x || xs[i].voxels > x->voxels))
            x = &xs[i];
    assert_non_null(x);
    print_message("  SLEC centroid %.2f mm anterior of the sac's centre, beyond the walls %zu ventral, %zu dorsal\n",
                  x->offset_mm[1], x->ap_beyond[0], x->ap_beyond[1]);
    assert_true(x->offset_mm[1] < 0);
    assert_int_equal(f->side, CSF_SIDE_VENTRAL);
    csf_analysis_free(an);
    csf_spine_free(sp);
    csf_volume_free(vol);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wrapping_slec_is_ventral),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
