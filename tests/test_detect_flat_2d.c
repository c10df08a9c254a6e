/* A "perineural cyst" that is a flat pool on the 2D thick-slab projection
 * (src/detect/flat_2d.c), on mean projections of the synthetic spines of
 * tests/support/detect_synth.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csfleak/detect.h"
#include "csfleak/spine.h"
#include "support/detect_synth.h"
#include "support/synth_run.h"

/* Analyses the slab projection of a 9 mm body on the right sleeve of level
 * index 6 (named T11 by the 2D count), 1.5 mm from the wall: a ball
 * (flat_mm 0) or a disc of the same outline flat_mm deep. Counts the cysts
 * and the grade-3 leaks at T11 right, and any leak elsewhere. */
static void run_body(unsigned long long seed, double flat_mm, size_t *cysts, size_t *leaks3, size_t *other)
{
    synth_spec s;
    synth_spec_t11_body(&s, seed);
    s.cyst_flat_mm = flat_mm;
    csf_volume *v2 = synth_render_slab(&s);
    synth_run r;
    assert_int_equal(synth_run_volume(v2, 1, &r), 0);
    *cysts = *leaks3 = *other = 0;
    for (size_t i = 0; i < r.an->nfindings; i++) {
        const csf_finding *f = &r.an->findings[i];
        int here = f->side == CSF_SIDE_RIGHT && f->level_index == csf_level_index("T11");
        *cysts += here && f->kind == CSF_FIND_CYST;
        *leaks3 += here && f->kind == CSF_FIND_LEAK && f->grade == 3;
        *other += !here && f->kind == CSF_FIND_LEAK;
    }
    synth_run_free(&r);
}

/* A round perineural cyst, 19.5 mm from the wall (longer than the 16 mm
 * sac width), stays a cyst; a pool of the same outline in the projection
 * but 8 mm deep throughout (as deep at its rim as at its centre, where a
 * ball is 1.62 x deeper) is profuse fluid longer than the sac width: a
 * grade-3 leak. Before the rule both were cysts (b32 case_0123, a 27 mm T7
 * grade-3 leak, is the dev case). */
static void flat_pool_is_a_leak(void **state)
{
    (void)state;
    for (unsigned long long seed = 1; seed <= 2; seed++) {
        size_t cysts, leaks3, other;
        run_body(seed, 0.0, &cysts, &leaks3, &other);
        assert_int_equal(cysts, 1);
        assert_int_equal(leaks3, 0);
        assert_int_equal(other, 0);
        run_body(seed, 8.0, &cysts, &leaks3, &other);
        assert_int_equal(cysts, 0);
        assert_int_equal(leaks3, 1);
        assert_int_equal(other, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(flat_pool_is_a_leak)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
