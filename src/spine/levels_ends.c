/* Step 5, 3D: the level count from both ends of the spine.
 *
 * The chain fit (levels_2d.c) walks from S1 upwards and may skip at most two
 * levels in a row: farther than that the spacing tolerance reaches the
 * neighbouring exit, and the count would be a guess. A longitudinal
 * epidural collection (SLEC) swallows the root sleeves of every level it
 * spans (3-8 levels, mostly thoracic): they are one component with it, no
 * sleeve pair. The chain from S1 then ends below the collection, and every
 * level above it is extrapolated with the standard segment heights; the
 * error adds up over the 15-20 levels to the neck (b33 case_0033: C7 8 mm
 * low, a C7 leak named C6: a false cervical region and a missed thoracic
 * one). The sleeve pairs above the collection are there; what is missing
 * is a count that reaches them. A radiologist counts them from the other
 * end: C2 is the first pair below the foramen magnum. So when the foramen
 * magnum is seen and the chain from S1 ends with pairs above it, the pairs
 * above are counted from C2 downwards (the same chain fit, walking down),
 * and the levels between the two counts are placed in proportion to the
 * segment heights, as skipped steps are. The two counts must agree: the
 * gap between them must hold the levels between their names at a segment
 * spacing within the chain fit's tolerance; otherwise the count from S1
 * stands as it was. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "spine_internal.h"

/* As in levels_2d.c: C2 exits within about two segments below the foramen
 * magnum (ANCHOR_MAX_MM), at most 16 candidates, indices of C2 and S1. */
#define TOP_ANCHOR_MAX_MM 70.0
#define TOP_MAX_ANCHORS 16
#define IDX_C2 1
#define IDX_S1 24
/* A level placed on an exit carries the exit's height (to rounding); an
 * extrapolated or interpolated one lies anywhere between. */
#define ON_EXIT_MM 0.05
/* Per-segment heights vary about the table times the subject's scale with a
 * relative SD of ~0.15 (levels_2d.c SPACING_SD: adults differ by 5-10 %, the
 * canal's tilt shortens a segment in z by up to ~20 %). Over a gap of n
 * segments the variations add up independently, so the gap's ratio to the
 * table (times the scale of the count from S1) has an SD of 0.15 / sqrt(n);
 * two SDs is the agreement asked of the two counts. One level more or less
 * in a gap of n segments changes the ratio by ~1 / n: that is what the test
 * must tell apart, and 2 x 0.15 / sqrt(n) < 1 / n up to n ~ 11. */
#define SEGMENT_SD 0.15
#define AGREE_SD 2.0

/* Height of level idx in lv (NaN when absent) and whether it lies on an exit. */
static double level_z(const csf_levels *lv, int idx, const double *pz, size_t m, int *on)
{
    *on = 0;
    for (size_t i = 0; i < lv->n; i++)
        if (csf_level_index(lv->name[i]) == idx) {
            for (size_t j = 0; j < m; j++)
                if (fabs(pz[j] - lv->z_mm[i]) <= ON_EXIT_MM)
                    *on = 1;
            return lv->z_mm[i];
        }
    return NAN;
}

/* The highest level (lowest index) of lv placed on an exit; -1 none. */
static int highest_on_exit(const csf_levels *lv, const double *pz, size_t m)
{
    for (int idx = IDX_C2; idx <= IDX_S1; idx++) {
        int on;
        if (isfinite(level_z(lv, idx, pz, m, &on)) && on)
            return idx;
    }
    return -1;
}

/* The lowest level (highest index) of lv placed on an exit; -1 none. */
static int lowest_on_exit(const csf_levels *lv, const double *pz, size_t m)
{
    for (int idx = IDX_S1; idx >= IDX_C2; idx--) {
        int on;
        if (isfinite(level_z(lv, idx, pz, m, &on)) && on)
            return idx;
    }
    return -1;
}

/* The subject's scale as the count from S1 measured it: the height between
 * its lowest and highest levels on an exit (ib) over the table's; NaN when
 * they are one level. */
static double bottom_scale(const csf_levels *lv, int ib, const double *pz, size_t m)
{
    int lo = lowest_on_exit(lv, pz, m), on;
    double table = 0;
    for (int idx = ib; idx < lo; idx++)
        table += csf_level_segment_mm(idx);
    if (lo <= ib || !(table > 0))
        return NAN;
    return (level_z(lv, ib, pz, m, &on) - level_z(lv, lo, pz, m, &on)) / table;
}

static void put_level(csf_levels *lv, int idx, double z)
{
    if (lv->n >= CSF_MAX_LEVELS)
        return;
    snprintf(lv->name[lv->n], sizeof lv->name[0], "%s", csf_level_name(idx));
    lv->z_mm[lv->n++] = z;
}

/* Replaces sp->levels' C2..S1 above level ib (the count from S1) by the
 * count from C2 down to level it, the levels between in proportion to the
 * segment heights; the sacral levels below S1 stay. */
static void merge_counts(csf_spine *sp, const csf_levels *top, int it, int ib, const double *pz, size_t m)
{
    csf_levels out = sp->levels;
    out.n = 0;
    int on;
    double zt = level_z(top, it, pz, m, &on), zb = level_z(&sp->levels, ib, pz, m, &on), tot = 0, part = 0;
    for (int idx = it; idx < ib; idx++)
        tot += csf_level_segment_mm(idx);
    for (int idx = IDX_C2; idx <= it; idx++)
        if (isfinite(level_z(top, idx, pz, m, &on)))
            put_level(&out, idx, level_z(top, idx, pz, m, &on));
    for (int idx = it + 1; idx < ib; idx++) {
        part += csf_level_segment_mm(idx - 1);
        put_level(&out, idx, zt - (zt - zb) * part / tot);
    }
    for (size_t i = 0; i < sp->levels.n; i++)
        if (csf_level_index(sp->levels.name[i]) >= ib)
            put_level(&out, csf_level_index(sp->levels.name[i]), sp->levels.z_mm[i]);
    sp->levels = out;
}

/* Index of the level of lv placed on exit z; -1 none. */
static int level_on(const csf_levels *lv, double z)
{
    for (size_t i = 0; i < lv->n; i++)
        if (fabs(lv->z_mm[i] - z) <= ON_EXIT_MM)
            return csf_level_index(lv->name[i]);
    return -1;
}

/* The count from S1 can also cross a collection: its steps may stretch by up
 * to 45 % each (the chain fit's bound), so five hidden segments pass for
 * three, and every name above is shifted (b40 case_0066: the pair under the
 * foramen magnum named C5; b31 case_0120: C3). Where both counts name the
 * exits above the longest stretch without a pair (the collection) and name
 * its upper exit differently (and the count from S1 does not already put
 * C2 where the foramen magnum does), the count from C2 names the exits
 * above it and the count from S1 those below it: *it and *ib get the two levels on the
 * stretch's exits. Whether the stretch holds the levels between them at the
 * segment heights is then tested as for a count that stopped below it. */
static int split_at_gap(const csf_levels *bot, const csf_levels *top, const double *pz, size_t m, double ztop,
                        double c2_gap_mm, int *it, int *ib)
{
    /* a count from S1 that puts C2 on a pair where the foramen magnum puts
     * it (c2_gap_mm to 70 mm below) agrees with the top anchor: it stands */
    int on;
    double zc2 = level_z(bot, IDX_C2, pz, m, &on);
    if (on && ztop - zc2 >= c2_gap_mm && ztop - zc2 <= TOP_ANCHOR_MAX_MM)
        return 0;
    size_t g = m;
    for (size_t j = 0; j + 1 < m; j++)
        if (g == m || pz[j + 1] - pz[j] > pz[g + 1] - pz[g])
            g = j;
    if (g == m)
        return 0;
    int tb = level_on(bot, pz[g + 1]), tt = level_on(top, pz[g + 1]), bb = level_on(bot, pz[g]);
    if (tt < 0 || bb < 0 || tt == tb)
        return 0;
    *it = tt;
    *ib = bb;
    return 1;
}

csf_status csf_spine_count_from_top(csf_spine *sp, const double *pz, size_t m, double c2_gap_mm, csf_error *err)
{
    if (sp->levels.method != CSF_LEVELS_SLEEVES_SAC_END || !isfinite(sp->k_top))
        return CSF_OK;
    int ib = highest_on_exit(&sp->levels, pz, m);
    double ztop = csf_spine_k_to_z(sp, sp->k_top), zb;
    int on;
    if (ib <= IDX_C2 || !isfinite(zb = level_z(&sp->levels, ib, pz, m, &on)))
        return CSF_OK;
    double cand[TOP_MAX_ANCHORS];
    size_t nc = 0, above = 0;
    for (size_t q = m; q-- > 0;) {
        double d = ztop - pz[q];
        if (d >= c2_gap_mm && d <= TOP_ANCHOR_MAX_MM && nc < TOP_MAX_ANCHORS)
            cand[nc++] = pz[q];
        above += pz[q] > zb + ON_EXIT_MM;
    }
    if (nc == 0 || (above < 2 && above > 0)) /* C2 and one more pair: a count, not an anchor alone */
        return CSF_OK;
    double zlo = csf_spine_k_to_z(sp, (double)sp->k_first), zhi = csf_spine_k_to_z(sp, (double)sp->k_last);
    csf_levels top = {0};
    csf_status st = csf_spine_fit_chain(pz, m, cand, nc, 0, fmin(zlo, zhi), fmax(zlo, zhi), &top, err);
    if (st != CSF_OK)
        return st;
    int it = lowest_on_exit(&top, pz, m);
    double zt = it >= 0 ? level_z(&top, it, pz, m, &on) : NAN;
    if (highest_on_exit(&top, pz, m) != IDX_C2)
        return CSF_OK; /* the top one is no count */
    if (it >= ib && !split_at_gap(&sp->levels, &top, pz, m, ztop, c2_gap_mm, &it, &ib))
        return CSF_OK; /* the counts overlap and agree: the one from S1 stands */
    zt = level_z(&top, it, pz, m, &on);
    zb = level_z(&sp->levels, ib, pz, m, &on);
    if (it < IDX_C2 || it >= ib || !(zt > zb))
        return CSF_OK;
    double expect = 0, scale = bottom_scale(&sp->levels, ib, pz, m);
    for (int idx = it; idx < ib; idx++)
        expect += csf_level_segment_mm(idx);
    double r = (zt - zb) / (expect * scale);
    if (!isfinite(r) || fabs(r - 1.0) > AGREE_SD * SEGMENT_SD / sqrt((double)(ib - it)))
        return CSF_OK;
    merge_counts(sp, &top, it, ib, pz, m);
    return CSF_OK;
}
