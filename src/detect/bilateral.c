/* 3D: the other half of a bilateral leak (session 6, h/s6big).
 *
 * A sleeve is graded against its six nearest sleeves and against the other
 * sleeve of its level, because a symmetric pair is the anatomy of its level
 * (the lumbosacral sleeves are the longest). A leak on both sides of one
 * level makes each side the other's norm, and both are missed unless one
 * holds more than any normal sleeve could (5 x its neighbours' volume,
 * sleeves.c). The size of the root sleeves changes smoothly along the spine
 * (a step at the thoracolumbar junction, where the lumbar plexus roots
 * begin, and the largest pair at S1, the end of the chain): a normal sleeve
 * is never both longer and fuller than the sleeves of the level above it and
 * those of the level below it at once. A partner that is, by the grade-2
 * margin in reach and by the grade-1 ratio in volume against each of the
 * two, is itself a leak and vouches for nothing: the level's normal reach
 * is then that of the longer of the two neighbouring levels (by the same
 * gradient, no normal sleeve of this level reaches farther), which keeps a
 * normal sleeve opposite a leak normal where its six nearest sleeves are a
 * poor yardstick (L1 beside a one-sided L1 leak: the junction line through
 * T11-L2 sleeves lies under the long L2 sleeves). The 2D grading uses the
 * same argument (leak_pair, classify_2d.c). At the ends of the named chain
 * (S1 above all, C2) one neighbouring level is missing and the rule stays
 * silent: there the pair rule stands (docs/detector-log.md, s5lumb's reverted
 * bilateral L1 rule compared an L1 pair with mostly thoracic sleeves). */
#include <math.h>
#include <stdlib.h>

#include "detect_internal.h"

/* Twice the fluid: the grade-1 ratio of a sleeve's volume (sleeves.c). */
#define BILATERAL_VOL_RATIO 2.0
/* At most this many sleeves per neighbouring level (two sides, a split sleeve). */
#define LEVEL_MAX_SLEEVES 8

static int lateral(const csf_extra *x) { return x->side == CSF_SIDE_LEFT || x->side == CSF_SIDE_RIGHT; }

/* Index (C1 = 0 ... S4) of the named level nearest world z; -1 none. */
static int level_idx(const csf_levels *lv, double z)
{
    int near = csf_levels_nearest(lv, z);
    return near < 0 ? -1 : csf_level_index(lv->name[near]);
}

/* Median reach (mm) and volume (ml) of the sleeve-like components nearest to
 * level idx; 0 when there is none. */
static int level_sleeves(const csf_extra *xs, const int *cand, size_t n, const csf_levels *lv, int idx,
                         double *reach, double *ml)
{
    double r[LEVEL_MAX_SLEEVES], v[LEVEL_MAX_SLEEVES];
    size_t m = 0;
    for (size_t i = 0; i < n && m < LEVEL_MAX_SLEEVES; i++) {
        if (!cand[i] || !lateral(&xs[i]) || level_idx(lv, xs[i].contact_z_mm) != idx)
            continue;
        r[m] = xs[i].lateral_extent_mm;
        v[m++] = xs[i].volume_ml;
    }
    if (m == 0)
        return 0;
    *reach = csf_detect_median(r, m);
    *ml = csf_detect_median(v, m);
    return 1;
}

int csf_detect_bilateral_partner(const csf_extra *xs, const int *cand, size_t n, size_t bi, const csf_levels *lv,
                                 double min_ext_mm, double *level_reach_mm)
{
    *level_reach_mm = NAN;
    if (lv == NULL || bi >= n)
        return 0;
    int idx = level_idx(lv, xs[bi].contact_z_mm);
    if (idx <= csf_level_index("C2") || idx >= csf_level_index("S1"))
        return 0; /* an end of the sleeve chain: one neighbour only */
    double longest = 0.0;
    for (int d = -1; d <= 1; d += 2) {
        double reach, ml;
        /* the neighbouring level must be named: beyond the chain's ends the
         * nearest level is this one again */
        int named = 0;
        for (size_t i = 0; i < lv->n; i++)
            named |= csf_level_index(lv->name[i]) == idx + d;
        if (!named || !level_sleeves(xs, cand, n, lv, idx + d, &reach, &ml))
            return 0;
        if (!(xs[bi].lateral_extent_mm - reach > min_ext_mm && xs[bi].volume_ml >= BILATERAL_VOL_RATIO * ml))
            return 0;
        longest = fmax(longest, reach);
    }
    *level_reach_mm = longest;
    return 1;
}
