/* A profuse leak among root sleeves too thin to pass the 2D fluid threshold
 * (src/detect/classify_2d.c, grade_at): on a 50 mm slab thin cervical
 * sleeves vanish, and a leak with no reference sleeve around it was graded
 * against its own reach (f84 case_0190, a C2 grade-3 leak reaching 45 mm,
 * twice the sac width, called a normal root sleeve). Mean projections of
 * the synthetic spines of tests/support/detect_synth.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csfleak/detect.h"
#include "csfleak/spine.h"
#include "support/detect_synth.h"
#include "support/synth_run.h"

/* Analyses the slab projection of a spine whose sleeves from level index 4
 * up are thin (0.8 mm at the wall: under the threshold in the projection),
 * with a grade-3 leak on the right at level index leak (-1: none). Counts
 * the grade-3 leaks on the right and the leaks anywhere else. */
static void run_thin(unsigned long long seed, int leak, size_t *right3, size_t *other)
{
    synth_spec s;
    synth_spec_init_slab(&s, seed);
    s.thin_r = 0.8;
    s.thin_from = 4;
    s.z_top_mm = 300.0; /* every level in view, T10 exit at 274 mm */
    s.leak_level = leak;
    s.leak_side = 1;
    s.leak_grade = 3;
    s.leak_pool = 1; /* the fluid pools against the wall beside its sleeve */
    csf_volume *v2 = synth_render_slab(&s);
    synth_run r;
    assert_int_equal(synth_run_volume(v2, 1, &r), 0);
    *right3 = *other = 0;
    for (size_t i = 0; i < r.an->nfindings; i++) {
        const csf_finding *f = &r.an->findings[i];
        if (f->kind != CSF_FIND_LEAK)
            continue;
        int mine = f->side == CSF_SIDE_RIGHT && f->grade == 3;
        *right3 += mine;
        *other += !mine;
    }
    synth_run_free(&r);
}

/* The leak, reaching 1.8 sac widths out among sleeves that leave no
 * thresholded fluid, is a grade-3 leak; the same spine without it has none. */
static void leak_among_unseen_sleeves_found(void **state)
{
    (void)state;
    for (unsigned long long seed = 1; seed <= 2; seed++) {
        size_t right3, other;
        run_thin(seed, 8, &right3, &other);
        assert_int_equal(right3, 1);
        assert_int_equal(other, 0);
        run_thin(seed, -1, &right3, &other);
        assert_int_equal(right3, 0);
        assert_int_equal(other, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(leak_among_unseen_sleeves_found)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
