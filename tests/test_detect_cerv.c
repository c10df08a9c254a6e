/* Level count (3D chain fit on the sleeve pairs) and profuse leaks that pass
 * for perineural cysts: the rules of src/spine/levels_auto.c (with the
 * chain fit of levels_2d.c) and
 * src/detect/profuse.c against answers built from the standard segment
 * table and from measured component shapes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "csfleak/spine.h"
#include "detect/detect_internal.h"
#include "spine/spine_internal.h"

#define NTRUE 24 /* C2 .. S1 */

/* True exits of C2 (index 1) .. S1 (24), S1 at z = 0, with the table's
 * segment heights times the subject's scale and a per-segment variation of
 * up to +-jitter (a fixed pattern: adults differ segment by segment). */
static void true_exits(double scale, double jitter, double *z)
{
    static const double pat[7] = {0.0, 1.0, -0.6, 0.3, -1.0, 0.7, -0.2};
    z[24] = 0.0;
    for (int i = 23; i >= 1; i--)
        z[i] = z[i + 1] + scale * (1.0 + jitter * pat[i % 7]) * csf_level_segment_mm(i);
}

static const double *level_z(const csf_levels *lv, int idx)
{
    for (size_t q = 0; q < lv->n; q++)
        if (strcmp(lv->name[q], csf_level_name(idx)) == 0)
            return &lv->z_mm[q];
    return NULL;
}

/* Runs the count on the exits (minus those in drop[], plus extra[]) and
 * checks every level C2..S1 is named within a third of its segment. */
static void check_count(double scale, double jitter, const int *drop, size_t nd, const double *extra,
                        size_t ne)
{
    double z[NTRUE + 1], pz[64];
    true_exits(scale, jitter, z);
    size_t m = 0;
    for (int i = 24; i >= 1; i--) { /* ascending z */
        int dropped = 0;
        for (size_t q = 0; q < nd; q++)
            dropped |= drop[q] == i;
        if (!dropped)
            pz[m++] = z[i];
    }
    for (size_t q = 0; q < ne; q++) {
        size_t at = m++;
        while (at > 0 && pz[at - 1] > extra[q]) {
            pz[at] = pz[at - 1];
            at--;
        }
        pz[at] = extra[q];
    }
    csf_levels lv;
    memset(&lv, 0, sizeof lv);
    csf_error err = {0};
    double cand = 0.0; /* the S1 pair */
    assert_int_equal(csf_spine_fit_chain(pz, m, &cand, 1, 1, -40.0, z[1] + 10.0, &lv, &err), CSF_OK);
    for (int i = 1; i <= 24; i++) {
        const double *got = level_z(&lv, i);
        if (got == NULL)
            print_message("  %s not named (%zu levels)\n", csf_level_name(i), lv.n);
        assert_non_null(got);
        double tol = csf_level_segment_mm(i < 24 ? i : 23) / 3.0;
        if (fabs(*got - z[i]) >= tol)
            print_message("  %s at %.1f, true %.1f\n", csf_level_name(i), *got, z[i]);
        assert_true(fabs(*got - z[i]) < tol);
    }
}

/* Every pair seen: the count follows the table at any adult scale, with
 * segments 10 % longer or shorter than the table's here and there. */
static void chain_names_every_pair(void **state)
{
    (void)state;
    check_count(1.0, 0.0, NULL, 0, NULL, 0);
    check_count(0.85, 0.1, NULL, 0, NULL, 0);
    check_count(1.2, 0.1, NULL, 0, NULL, 0);
}

/* Pairs hidden by an SLEC or a leak (two in a row) and extra clusters (a
 * pair split in two, fluid outside the lateral wall) do not shift the names:
 * counting pairs one by one named every level beyond them one off. */
static void chain_skips_missing_and_extra_pairs(void **state)
{
    (void)state;
    double z[NTRUE + 1];
    true_exits(1.0, 0.1, z);
    const int slec[2] = {12, 13}; /* T6, T7 hidden */
    check_count(1.0, 0.1, slec, 2, NULL, 0);
    const int two[2] = {5, 17}; /* C5 and T11 */
    check_count(1.0, 0.1, two, 2, NULL, 0);
    double extra[2] = {z[22] + 12.0, z[9] + 8.0}; /* between L2 and L3, between T1 and T2 */
    check_count(1.0, 0.1, NULL, 0, extra, 2);
    true_exits(0.9, 0.0, z);
    double split[1] = {z[23] - 11.0}; /* an L5 pair seen as two clusters */
    check_count(0.9, 0.0, two, 2, split, 1);
}

/* A component called a cyst by its round body: measured shapes (1 mm
 * voxels) of a thoracic Tarlov cyst (body 0.91 of 2.67 ml, sleeves 0.024 ml
 * around) and of a grade-3 leak pooling at its far end (body 0.22 of 6.15 ml,
 * sleeves 0.026 ml). */
static void profuse_leak_is_not_a_cyst(void **state)
{
    (void)state;
    csf_extra cyst, leak;
    memset(&cyst, 0, sizeof cyst);
    cyst.volume_ml = 2.671;
    cyst.body_fraction = 0.91;
    leak = cyst;
    leak.volume_ml = 6.149;
    leak.body_fraction = 0.22;
    assert_false(csf_detect_cyst_overflows(&cyst, 0.024, 0.002, 0)); /* 10 x a sleeve outside, but a minor part */
    assert_true(csf_detect_cyst_overflows(&leak, 0.026, 0.005, 0));
    /* an S1 cyst whose long sleeve and a strip of sac rim hold more than
     * its small body: the rest is still what one (long) sleeve holds */
    csf_extra s1 = cyst;
    s1.volume_ml = 0.305;
    s1.body_fraction = 0.28;
    assert_false(csf_detect_cyst_overflows(&s1, 0.164, 0.004, 0));
    /* no reference sleeves: no call */
    assert_false(csf_detect_cyst_overflows(&leak, NAN, NAN, 0));
}

/* Measured on a 3D phantom (b29 case_0129): right S1 and S2 Tarlov cysts
 * (~19 mm each) joined by their sleeves into one 7.5 ml component; the first
 * body (radius 8.7 mm) holds 0.49 of it, the other cyst is a second disjoint
 * ball of radius 7.75 mm; sleeves around 0.165 ml (MAD 0.025). Without the
 * second body the same fluid would be a profuse leak's overflow. */
static void adjacent_sacral_cysts_are_not_a_leak(void **state)
{
    (void)state;
    csf_extra pair;
    memset(&pair, 0, sizeof pair);
    pair.volume_ml = 7.499;
    pair.body_fraction = 0.487;
    pair.inscribed_radius_mm = 8.72;
    pair.second_radius_mm = 7.75;
    assert_false(csf_detect_cyst_overflows(&pair, 0.165, 0.025, 1));
    /* above the sacrum a leak's pools along its course are no cyst pair */
    assert_true(csf_detect_cyst_overflows(&pair, 0.165, 0.025, 0));
    csf_extra streaks = pair; /* same overflow, thin: no second round body */
    streaks.second_radius_mm = 1.5;
    assert_true(csf_detect_cyst_overflows(&streaks, 0.165, 0.025, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chain_names_every_pair),
        cmocka_unit_test(chain_skips_missing_and_extra_pairs),
        cmocka_unit_test(profuse_leak_is_not_a_cyst),
        cmocka_unit_test(adjacent_sacral_cysts_are_not_a_leak),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
