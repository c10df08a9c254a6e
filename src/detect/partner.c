/* When the other sleeve of a level is no yardstick for a sleeve's volume and
 * root (3D grade 1, wedge.c). The contralateral sleeve is a reference
 * because a symmetric pair is the anatomy of its level; two measured
 * situations break that symmetry argument (docs/detector-log.md, s6g1). No
 * threshold here is new: the ratios are the wedge rule's own. */
#include <math.h>
#include <string.h>

#include "detect_internal.h"

/* The wedge rule's bars (wedge.c): a root widened to sqrt(2) x its
 * diameter doubles its cross-section; 1.5 x the volume is two scatters of
 * normal sleeve volume out. */
#define PAIR_ROOT_RATIO 2.0
#define PAIR_VOL_RATIO 1.5

double csf_detect_sac_csf_voxels(const csf_extra *x)
{
    double v = 0;
    for (int b = 0; b < CSF_DEPTH_BANDS; b++)
        v += (double)x->oval_voxels[b];
    return v;
}

/* Median root (voxels one layer out) and volume (ml) of the sleeve-like
 * components whose nearest named level is `name`, i and j excluded; 0 when
 * fewer than two (one pair) are there. */
static int level_pair(const csf_extra *xs, const int *cand, size_t n, size_t i, size_t j, const csf_levels *lv,
                      const char *name, double *root, double *ml)
{
    double r[8], v[8];
    size_t m = 0;
    for (size_t q = 0; q < n && m < 8; q++) {
        if (!cand[q] || q == i || q == j || (xs[q].side != CSF_SIDE_LEFT && xs[q].side != CSF_SIDE_RIGHT))
            continue;
        int near = csf_levels_nearest(lv, xs[q].contact_z_mm);
        if (near < 0 || strcmp(lv->name[near], name) != 0)
            continue;
        r[m] = (double)xs[q].depth_voxels[1];
        v[m++] = xs[q].volume_ml;
    }
    if (m < 2)
        return 0;
    *root = csf_detect_median(r, m);
    *ml = csf_detect_median(v, m);
    return 1;
}

/* Both sleeves of a lumbar level (L1-L4) are expanded against the pair of
 * the next level below: each holds twice its root and 1.5 x its volume,
 * and neither holds a strip of sac CSF. The lumbar roots and their sleeves
 * grow caudally (the roots of the lumbar plexus thicken from L1 to L5), so
 * the pair below is the largest normal pair near a lumbar level and the
 * gradient of sleeve size cannot give a normal pair twice its root. At the
 * junction the neighbours of an L1 sleeve are mostly thin thoracic ones, and
 * a bar against them called normal L1 pairs bilateral expansions (session
 * 5, reverted); against the L2 pair below it does not. Not at L5: below it
 * is the long S1 pair. */
static int bilateral_below(const csf_extra *xs, const int *cand, size_t n, size_t self, size_t other,
                           const csf_levels *lv)
{
    int near = csf_levels_nearest(lv, xs[self].contact_z_mm);
    if (near < 0 || lv->name[near][0] != 'L')
        return 0;
    const char *below = csf_level_name(csf_level_index(lv->name[near]) + 1);
    double root, ml;
    if (below == NULL || below[0] != 'L' || !level_pair(xs, cand, n, self, other, lv, below, &root, &ml))
        return 0;
    if (!(root > 0) || !(ml > 0))
        return 0;
    const csf_extra *pair[2] = {&xs[self], &xs[other]};
    for (int s = 0; s < 2; s++)
        if ((double)pair[s]->depth_voxels[1] < PAIR_ROOT_RATIO * root || pair[s]->volume_ml < PAIR_VOL_RATIO * ml ||
            csf_detect_sac_csf_voxels(pair[s]) > root)
            return 0;
    return 1;
}

int csf_detect_partner_no_norm(const csf_extra *xs, const int *cand, size_t n, size_t self, size_t other,
                               const csf_sleeve_refs *rother, const csf_levels *lv)
{
    if (lv == NULL)
        return 0;
    int near = csf_levels_nearest(lv, xs[self].contact_z_mm);
    if (near < 0 || lv->name[near][0] != 'L')
        return 0;
    /* A sleeve merged with a strip of sac CSF left outside an oblique wall
     * (the wall ray stopped on a cauda equina root, mostly at L2-L3 just
     * below the conus) measures that strip in its volume and root: it is
     * not called an expansion itself (wedge.c), and it is no yardstick for
     * the other side either (b40 case_0108: an L2 grade-1 wedge of 0.37 ml
     * opposite a 0.78 ml sleeve holding 560 sac-CSF voxels). Only at the
     * lumbar levels, where the cauda equina lies in the sac: elsewhere a
     * strip opposite was seen as a separate component beside the normal
     * sleeve (b40 case_0167 T2) or in the sac's tip (b32 case_0074 S2), and
     * without its volume the other side's reach passed for a leak. */
    if (rother != NULL && rother->root > 0 && csf_detect_sac_csf_voxels(&xs[other]) > rother->root)
        return 1;
    return bilateral_below(xs, cand, n, self, other, lv);
}
