/* 2D thick slab, a grade-1 leak and a meningeal diverticulum inside an
 * epidural collection (SLEC), on phantoms of the full model (csfleak
 * phantom --protocol 2d): the bulge of the sac's half-maximum edge
 * (src/detect/bulge_2d.c, docs/accuracy.md "2D leaks beside an SLEC: the
 * edge bulge, the pair over the same rows, rounded bulges", session 7).
 *
 * The collection's shoulder overlies the sleeves' roots in the projection,
 * and a sleeve crossing the collection displaces its fluid: the band at the
 * wall does not see a grade-1 wedge there (main at e3aa977 misses the leak
 * below, and calls the diverticulum a grade-1 leak by the band). The
 * synthetic spines of tests/support/detect_synth.c add a wedge's fluid to
 * the shoulder, where the band already finds it, so these cases use the
 * phantom model, in which the collection is displaced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "csfleak/detect.h"
#include "csfleak/exec.h"
#include "csfleak/phantom.h"
#include "csfleak/spine.h"
#include "support/synth_run.h"

/* A 2D phantom (as `csfleak phantom --seed SEED --protocol 2d --slec SLEC
 * [--leak LEAK] [--diverticulum DIV]`) through the whole analysis. */
static void run_phantom(uint64_t seed, const char *slec, const char *leak, const char *div, synth_run *r)
{
    csf_phantom_spec s;
    csf_error err = {0};
    csf_phantom_spec_init(&s, 1);
    s.seed = seed;
    s.protocol = CSF_PH_2D;
    assert_int_equal(csf_phantom_parse_slec(slec, &s, &err), CSF_OK);
    if (leak != NULL)
        assert_int_equal(csf_phantom_parse_leak(leak, &s.leaks[s.nleaks++], &err), CSF_OK);
    if (div != NULL)
        assert_int_equal(csf_phantom_parse_cyst(div, &s.diverticula[s.ndiverticula++], &err), CSF_OK);
    csf_phantom *ph = NULL;
    assert_int_equal(csf_phantom_new(&s, &ph, &err), CSF_OK);
    csf_exec *ex = NULL;
    assert_int_equal(csf_exec_new(1, &ex, &err), CSF_OK);
    csf_volume *img = NULL;
    assert_int_equal(csf_phantom_render(ph, 0, &img, NULL, ex, &err), CSF_OK);
    csf_exec_free(ex);
    csf_phantom_free(ph);
    assert_int_equal(synth_run_volume(img, 1, r), 0);
}

/* Leaks (any grade) at a level or one either side, on one side. */
static size_t leaks_near(const csf_analysis *a, const char *level, int side)
{
    int li = csf_level_index(level);
    size_t n = 0;
    for (size_t i = 0; i < a->nfindings; i++) {
        const csf_finding *f = &a->findings[i];
        n += f->kind == CSF_FIND_LEAK && f->side == side && abs(f->level_index - li) <= 1;
    }
    return n;
}

/* A grade-1 wedge at T5 right inside a ventral collection T3-T8: its
 * sleeve carries the sac's half-maximum edge outward over its rows (missed
 * at e3aa977: no finding at all). */
static void wedge_inside_slec_found_by_bulge(void **state)
{
    (void)state;
    synth_run r;
    run_phantom(7201, "T3-T8:ventral", "T5:right:1", NULL, &r);
    assert_true(leaks_near(r.an, "T5", CSF_SIDE_RIGHT) >= 1);
    assert_int_equal(leaks_near(r.an, "T5", CSF_SIDE_LEFT), 0);
    synth_run_free(&r);
}

/* A meningeal diverticulum at T8 left inside a ventral collection T6-T11:
 * its fluid at the wall is twice the neighbours' (a grade-1 leak by the
 * band at e3aa977), but its bulge of the sac's edge reaches at least half
 * its height: a rounded body, reported as a diverticulum. */
static void diverticulum_inside_slec_is_not_a_leak(void **state)
{
    (void)state;
    synth_run r;
    run_phantom(7104, "T6-T11:ventral", NULL, "T8:left", &r);
    assert_int_equal(leaks_near(r.an, "T8", CSF_SIDE_LEFT), 0);
    assert_true(synth_count_at(r.an, CSF_FIND_DIVERTICULUM, "T8", CSF_SIDE_LEFT) >= 1);
    synth_run_free(&r);
}

/* Session 8 (h/s8slec2d): a grade-1 wedge at T10 right, the last level of a
 * ventral collection T7-T10. Fewer than half of the T10 cell's rows lie beside
 * the collection's shoulder, so the cell was measured as without one, and
 * its reference levels' band holds the shoulder (missed at 340c458 and by
 * the session-7 bulge rule, which measured only cells beside the shoulder). */
static void wedge_at_collection_end_found(void **state)
{
    (void)state;
    synth_run r;
    run_phantom(8114, "T7-T10:ventral", "T10:right:1", NULL, &r);
    assert_true(leaks_near(r.an, "T10", CSF_SIDE_RIGHT) >= 1);
    assert_int_equal(leaks_near(r.an, "T10", CSF_SIDE_LEFT), 0);
    synth_run_free(&r);
}

/* A grade-1 wedge at T6 left beside a short collection T5-T6: its shoulder
 * is flagged over two levels, so only one neighbouring level's pair crosses
 * it (with the contralateral sleeve, three yardsticks; missed at 340c458
 * and by the session-7 rule, which asked for two pairs). */
static void wedge_beside_short_collection_found(void **state)
{
    (void)state;
    synth_run r;
    run_phantom(8106, "T5-T6:ventral", "T6:left:1", NULL, &r);
    assert_true(leaks_near(r.an, "T6", CSF_SIDE_LEFT) >= 1);
    assert_int_equal(leaks_near(r.an, "T6", CSF_SIDE_RIGHT), 0);
    synth_run_free(&r);
}

/* The same kinds of collection without a leak: no thoracic leak at their
 * ends or beside them (the collection's own tapering end is smooth along
 * the spine and symmetric). */
static void collections_alone_no_leak(void **state)
{
    (void)state;
    static const struct { uint64_t seed; const char *slec; } cs[] = {{8124, "T7-T10:ventral"}, {8127, "T5-T6:ventral"}};
    for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) {
        synth_run r;
        run_phantom(cs[k].seed, cs[k].slec, NULL, NULL, &r);
        for (size_t i = 0; i < r.an->nfindings; i++)
            assert_false(r.an->findings[i].kind == CSF_FIND_LEAK);
        synth_run_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wedge_inside_slec_found_by_bulge),
        cmocka_unit_test(diverticulum_inside_slec_is_not_a_leak),
        cmocka_unit_test(wedge_at_collection_end_found),
        cmocka_unit_test(wedge_beside_short_collection_found),
        cmocka_unit_test(collections_alone_no_leak),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
