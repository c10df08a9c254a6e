/* spine (2D thick slab), session 9, h/s9c2: the foramen magnum is found at
 * the cistern's bilateral widening, not below a leak joined to one side of
 * the upper cervical sac (src/spine/shape_2d.c, csf_spine_top_widths_2d;
 * f84 case_0174: a 30 mm tall C2 leak reaching 29 mm to the right put the
 * foramen magnum 15 mm low, the leak was ignored as cisternal CSF and every
 * level was named one too low). Slab projections of the synthetic spines
 * of tests/support/detect_synth.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "csfleak/spine.h"
#include "support/detect_synth.h"

#define CISTERN_FROM 262.0 /* world z where the sac opens into the cistern */
#define CISTERN_A 18.0     /* its transverse semi-axis: 36 mm against a 16 mm sac */
#define LEAK_LO 230.0      /* a leak joined to the sac's right wall just below it (a C2 leak
                              spreads up toward the foramen magnum) */
#define LEAK_HI 260.0
#define LEAK_REACH 26.0    /* mm beyond the wall */

/* Sets fluid (the CSF signal) where inside() holds, in the 3D synthetic spine. */
static void paint(csf_volume *v, double scale, int leak)
{
    for (size_t k = 0; k < v->dim[2]; k++) {
        double z = v->affine[2][3] + v->spacing[2] * (double)k;
        int cistern = z >= CISTERN_FROM, here = leak && z >= LEAK_LO && z <= LEAK_HI;
        if (!cistern && !here)
            continue;
        for (size_t j = 0; j < v->dim[1]; j++)
            for (size_t i = 0; i < v->dim[0]; i++) {
                double x = v->affine[0][3] + v->spacing[0] * (double)i;
                double y = v->affine[1][3] + v->spacing[1] * (double)j;
                double e = (x / CISTERN_A) * (x / CISTERN_A) + (y / SYNTH_SAC_B) * (y / SYNTH_SAC_B);
                int in = cistern ? e <= 1.0
                                 : x >= SYNTH_SAC_A - 1.0 && x <= SYNTH_SAC_A + LEAK_REACH && fabs(y) <= 4.0;
                float *p = &v->data[i + v->dim[0] * (j + v->dim[1] * k)];
                if (in && *p < (float)scale)
                    *p = (float)scale;
            }
    }
}

/* World z of the foramen magnum found on the slab (NaN: none). */
static double foramen_magnum(int leak)
{
    synth_spec s;
    synth_spec_init(&s);
    s.spacing[1] = 2.0; /* projected away: a coarse depth keeps the test fast */
    s.spacing[2] = 1.5;
    s.z_top_mm = 300.0;
    csf_volume *v = synth_render(&s);
    assert_non_null(v);
    paint(v, s.scale, leak);
    csf_volume *v2 = synth_project_slab(v);
    assert_non_null(v2);
    csf_error err = {0};
    csf_spine *sp = NULL;
    assert_int_equal(csf_spine_analyze(v2, NULL, &sp, NULL, &err), CSF_OK);
    double ke, kt;
    csf_spine_landmarks(sp, &ke, &kt);
    double z = isfinite(kt) ? v2->affine[2][3] + kt * v2->spacing[2] : NAN;
    print_message("foramen magnum at %.1f mm (cistern from %.1f, leak %d)\n", z, CISTERN_FROM, leak);
    csf_spine_free(sp);
    csf_volume_free(v2);
    csf_volume_free(v);
    return z;
}

/* With or without the one-sided leak below it, the foramen magnum lies at
 * the cistern's lower end (within the +-8 mm median of the row widths and
 * the 10 mm run the test needs), not below the leak. */
static void foramen_magnum_above_a_one_sided_leak(void **state)
{
    (void)state;
    for (int leak = 0; leak <= 1; leak++) {
        double z = foramen_magnum(leak);
        assert_true(isfinite(z));
        assert_true(z > CISTERN_FROM - 15.0 && z < CISTERN_FROM + 5.0);
        assert_true(z > 0.5 * (LEAK_LO + LEAK_HI)); /* above the leak's middle */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(foramen_magnum_above_a_one_sided_leak)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
