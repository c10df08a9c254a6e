/* Leaks leaving a longitudinal epidural collection (SLEC) at one root level,
 * found on the collection's per-level lateral profile (3D).
 *
 * A leak beside an SLEC is one connected component with it, so it is never
 * graded as a sleeve, and the collection's farthest point alone (slec_arms,
 * classify.c) calls only arms beyond the sac width. A shorter arm cannot be
 * read off that point: the collection's own lateral recess round the sac,
 * with a normal root sleeve crossing it at every level, reaches as far as a
 * grade-2 leak (session 3 tried "farthest point beyond the free sleeves" and
 * lost specificity; docs/detector-log.md). What tells them apart is the grading
 * scale's own yardstick, the neighbouring and contralateral sleeves, taken
 * inside the collection: a normal sleeve crosses it at every level and on
 * both sides, so the collection reaches about as far at each level; a leak
 * is a lateral extension at one level on one side. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "detect_internal.h"

/* Neighbouring levels compared with: one and two segments above and below,
 * as the sleeve references use the nearest sleeves on either side. */
#define PROFILE_NEIGHBOURS 2

typedef struct profile {
    const csf_sac_slice *sl;
    size_t k0, k1;       /* tracked slices */
    double *side[2];     /* reach per slice: [0] left, [1] right (-INFINITY: none) */
} profile;

/* Largest reach on one side over the slices within h of z; -INFINITY when
 * the collection has no voxel there. *first_tie (may be NULL) is set when an
 * equal value lies in a slice before q (the peak is taken once). */
static double window_max(const profile *p, int s, double z, double h, size_t q, int *first_tie)
{
    double best = -INFINITY;
    for (size_t k = p->k0; k <= p->k1; k++) {
        if (!p->sl[k].present || fabs(p->sl[k].center_mm[2] - z) > h)
            continue;
        double v = p->side[s][k];
        if (first_tie && k < q && v == p->side[s][q])
            *first_tie = 1;
        best = fmax(best, v);
    }
    return best;
}

/* The reach a normal sleeve level gives the collection at slice q on side s:
 * the larger of the other side at the same height and the median of the
 * collection's reach one and two segments above and below (each the largest
 * within half a segment). *mad gets the neighbours' scatter. NaN when fewer
 * than two neighbouring levels lie within the collection. */
static double level_reference(const profile *p, int s, size_t q, double seg, double *mad)
{
    double z = p->sl[q].center_mm[2], h = 0.5 * seg, nb[2 * PROFILE_NEIGHBOURS], med;
    size_t m = 0;
    for (int d = -PROFILE_NEIGHBOURS; d <= PROFILE_NEIGHBOURS; d++) {
        double v = d ? window_max(p, s, z + d * seg, h, q, NULL) : -INFINITY;
        if (isfinite(v))
            nb[m++] = v;
    }
    if (m < 2)
        return NAN;
    csf_detect_med_mad(nb, m, &med, mad);
    return fmax(med, window_max(p, !s, z, h, q, NULL));
}

/* Appends a grade 2-3 leak for slice q of side s when the collection there
 * reaches beyond its level reference and the free sleeves around by the
 * grade-2 minimum extension. Returns 1 when appended. */
static int profile_arm(const csf_spine *sp, const profile *p, const csf_extra *xs, const int *cand, size_t n,
                       size_t i, int s, size_t q, double voxel_mm, csf_finding *f)
{
    double z = p->sl[q].center_mm[2], lat = p->side[s][q];
    double seg = csf_levels_spacing_at(csf_spine_levels(sp), z), mad = 0.0;
    if (!isfinite(seg) || !isfinite(lat))
        return 0;
    int tie = 0;
    if (window_max(p, s, z, 0.5 * seg, q, &tie) > lat || tie)
        return 0; /* not the peak of its level */
    double ref = level_reference(p, s, q, seg, &mad);
    csf_sleeve_refs r;
    if (cand && csf_detect_sleeve_refs_at(xs, cand, n, n, z, csf_spine_levels(sp), &r) && isfinite(r.lat))
        ref = fmax(ref, r.lat); /* never shorter than the free sleeves there */
    double W = csf_spine_width_at_z(sp, z);
    if (!isfinite(ref) || !(W > 0) || lat - ref <= csf_detect_min_extension(voxel_mm, mad))
        return 0;
    *f = (csf_finding){0};
    f->extra_index = i;
    f->level_index = f->level_to_index = f->region = -1;
    f->sleeve_ratio = NAN;
    f->arm = 2;
    f->center_mm[2] = z;
    f->side = s ? CSF_SIDE_RIGHT : CSF_SIDE_LEFT;
    f->lateral_extent_mm = lat;
    f->ref_reach_mm = ref;
    f->extension_ratio = lat / W;
    f->local_width_mm = W;
    /* the scale: lateral high signal shorter than the sac width is grade 2 */
    csf_detect_set(f, CSF_FIND_LEAK, lat > W ? 3 : 2,
                   "leak leaving a longitudinal collection at one level: reaches %.1f mm from the sac wall, "
                   "beyond the collection's reach at the neighbouring levels and the other side (%.1f mm)",
                   lat, ref);
    return 1;
}

/* 1 when an arm of collection i already lies on side s within seg of z. */
static int arm_near(const csf_finding *all, size_t from, size_t m, const csf_extra *x, size_t i, int side,
                    double z, double seg)
{
    for (size_t j = from; j < m; j++) {
        if (!all[j].arm || all[j].extra_index != i)
            continue;
        double zj = all[j].arm == 2 ? all[j].center_mm[2] : x->lateral_z_mm;
        int sj = all[j].arm == 2 ? all[j].side : x->lateral_side;
        if (sj == side && fabs(zj - z) <= seg)
            return 1;
    }
    return 0;
}

size_t csf_detect_slec_profile_arms(const csf_spine *sp, const csf_extra *xs, const int *cand, size_t n,
                                    double voxel_mm, csf_finding *all, size_t m, size_t room)
{
    size_t nz, k0, k1;
    const csf_sac_slice *sl = csf_spine_slices(sp, &nz, &k0, &k1);
    if (csf_spine_is_2d(sp) || !csf_spine_found(sp) || nz == 0)
        return m;
    profile p = {sl, k0, k1, {malloc(nz * sizeof(double)), malloc(nz * sizeof(double))}};
    size_t m0 = n;
    for (size_t i = 0; i < n && p.side[0] && p.side[1]; i++) {
        if (all[i].kind != CSF_FIND_SLEC || csf_spine_lateral_profile(sp, i, p.side[1], p.side[0], NULL) != CSF_OK)
            continue;
        for (int s = 0; s < 2; s++)
            for (size_t q = k0; q <= k1 && m < room; q++) {
                double seg = csf_levels_spacing_at(csf_spine_levels(sp), sl[q].center_mm[2]);
                int side = s ? CSF_SIDE_RIGHT : CSF_SIDE_LEFT;
                if (!sl[q].present || !isfinite(p.side[s][q]) ||
                    arm_near(all, m0, m, &xs[i], i, side, sl[q].center_mm[2], seg))
                    continue;
                m += (size_t)profile_arm(sp, &p, xs, cand, n, i, s, q, voxel_mm, &all[m]);
            }
    }
    free(p.side[0]);
    free(p.side[1]);
    return m;
}
