/* Grade-1 leaks at a root sleeve inside a longitudinal epidural collection
 * (SLEC), found on the collection's far side (3D).
 *
 * A sleeve that leaves the sac through a collection is one component with
 * it, so its triangular expansion (grade 1 of the scale) is never graded as
 * a sleeve, and it adds no lateral reach that the collection's lateral
 * profile (slec_profile.c) could see: the collection's horns reach as far at
 * every level (docs/detector-log.md, sessions 4-5). What the expansion does add
 * is fluid where the collection itself is not. An SLEC lies in the ventral
 * (or dorsal) epidural space and wraps round the sac's sides towards the
 * coronal plane through the sac's centre; a root sleeve leaves laterally at
 * that plane, and fluid expanding round it spreads to both sides of it
 * along the wall. So the collection's fluid on the far side of that plane
 * (behind the sac's centre for a ventral collection) is sleeve fluid, and a
 * normal pair puts about as much there on both sides of its level.
 *
 * A level is expanded on one side when, over a run of slices no taller
 * than one sleeve can be, the collection holds more far-side fluid on that
 * side than on the other, in total at least half the neighbouring free
 * sleeves' median volume: the grade-1 volume bar (wedge.c) asks for 1.5 x
 * their volume, i.e. half a normal sleeve of fluid in addition, and here
 * only the part of it beyond the coronal plane is counted. Where the
 * collection itself wraps round the whole sac (fluid near the far-side
 * midline), the far side is the collection's, not a sleeve's: no call near
 * there. */
#include <math.h>
#include <stdlib.h>

#include "detect_internal.h"

typedef struct far_ctx {
    const csf_spine *sp;
    const csf_sac_slice *sl;
    size_t k0, k1;
    csf_far_profile fp;
    double *reach[2]; /* lateral reach per slice: [0] left, [1] right */
} far_ctx;

static double far_count(const far_ctx *c, int s, size_t k)
{
    return s ? c->fp.right[k] : c->fp.left[k];
}

/* 1 when the collection wraps round the sac within h of z. */
static int wraps_near(const far_ctx *c, double z, double h)
{
    for (size_t k = c->k0; k <= c->k1; k++)
        if (c->sl[k].present && c->fp.wrap[k] && fabs(c->sl[k].center_mm[2] - z) <= h)
            return 1;
    return 0;
}

/* 1 when a leak on side `side` is already reported within h of z. */
static int leak_near(const csf_spine *sp, const csf_finding *all, size_t m, int side, double z, double h)
{
    size_t nx;
    const csf_extra *xs = csf_spine_extras(sp, &nx);
    for (size_t j = 0; j < m; j++) {
        if (all[j].kind != CSF_FIND_LEAK || all[j].extra_index >= nx)
            continue;
        const csf_extra *x = &xs[all[j].extra_index];
        double zj = all[j].arm == 2 ? all[j].center_mm[2] : all[j].arm ? x->lateral_z_mm : x->contact_z_mm;
        int sj = all[j].arm == 2 ? all[j].side : all[j].arm ? x->lateral_side : x->side;
        if (sj == side && fabs(zj - z) <= h)
            return 1;
    }
    return 0;
}

/* Judges the run of slices [a, b] where side s holds more far-side fluid
 * than the other; appends a grade-1 leak to *f and returns 1 when expanded. */
static int judge_run(const far_ctx *c, const csf_extra *xs, const int *cand, size_t n, size_t i, int s,
                     size_t a, size_t b, const csf_finding *all, size_t m, csf_finding *f)
{
    double ex = 0.0, zw = 0.0, lat = -INFINITY;
    for (size_t k = a; k <= b; k++) {
        double d = far_count(c, s, k) - far_count(c, !s, k);
        ex += d;
        zw += d * c->sl[k].center_mm[2];
        lat = fmax(lat, c->reach[s][k]);
    }
    double z = zw / ex, h = fabs(c->sl[b].center_mm[2] - c->sl[a].center_mm[2]);
    const csf_levels *lv = csf_spine_levels(c->sp);
    double seg = csf_levels_spacing_at(lv, z);
    const csf_volume *v = csf_spine_volume(c->sp);
    double dv = v->spacing[0] * v->spacing[1] * v->spacing[2];
    h += v->spacing[2];
    csf_sleeve_refs r;
    if (!isfinite(seg) || !cand || !csf_detect_sleeve_refs_at(xs, cand, n, n, z, lv, &r) || !(r.vol > 0))
        return 0;
    double need = 0.5 * r.vol * 1000.0 / dv; /* half a normal sleeve, in voxels */
    int side = s ? CSF_SIDE_RIGHT : CSF_SIDE_LEFT;
    /* One sleeve's fluid lies within its own level: a run as tall as half a
     * segment (the window of one root level, as slec_profile.c takes it)
     * is the collection itself running along the wall, or the sac's CSF
     * beyond a wall measured from a misplaced centre, not a sleeve. Fluid
     * near the far-side midline within half a segment means the collection
     * wraps round the sac there, and its far side is its own. A leak
     * already reported on that side of the level is not repeated. */
    if (h >= 0.5 * seg || ex < need || wraps_near(c, z, 0.5 * seg + 0.5 * h) ||
        leak_near(c->sp, all, m, side, z, 0.5 * seg))
        return 0;
    *f = (csf_finding){0};
    f->extra_index = i;
    f->level_index = f->level_to_index = f->region = -1;
    f->arm = 2;
    f->center_mm[2] = z;
    f->side = side;
    f->lateral_extent_mm = isfinite(lat) ? fmax(lat, 0.0) : 0.0;
    f->sleeve_ratio = ex / (2.0 * need);
    f->local_width_mm = csf_spine_width_at_z(c->sp, z);
    csf_detect_set(f, CSF_FIND_LEAK, 1,
                   "sleeve expanded inside a longitudinal collection: %.2f ml of fluid beyond the sac's coronal "
                   "midplane on this side only, %.1f x the neighbouring sleeves' volume",
                   ex * dv / 1000.0, f->sleeve_ratio);
    return 1;
}

/* Scans side s of collection i for runs of slices with more far-side fluid
 * than the other side; returns the new count of findings. */
static size_t scan_side(const far_ctx *c, const csf_extra *xs, const int *cand, size_t n, size_t i, int s,
                        csf_finding *all, size_t m, size_t room)
{
    size_t k = c->k0;
    while (k <= c->k1 && m < room) {
        if (!c->sl[k].present || far_count(c, s, k) <= far_count(c, !s, k)) {
            k++;
            continue;
        }
        size_t a = k;
        while (k + 1 <= c->k1 && c->sl[k + 1].present && far_count(c, s, k + 1) > far_count(c, !s, k + 1))
            k++;
        m += (size_t)judge_run(c, xs, cand, n, i, s, a, k, all, m, &all[m]);
        k++;
    }
    return m;
}

size_t csf_detect_slec_far_wedges(const csf_spine *sp, const csf_extra *xs, const int *cand, size_t n,
                                  csf_finding *all, size_t m, size_t room)
{
    size_t nz, k0, k1;
    const csf_sac_slice *sl = csf_spine_slices(sp, &nz, &k0, &k1);
    if (csf_spine_is_2d(sp) || !csf_spine_found(sp) || nz == 0)
        return m;
    far_ctx c = {sp, sl, k0, k1, {calloc(nz, sizeof(double)), calloc(nz, sizeof(double)), calloc(nz, 1)},
                 {calloc(nz, sizeof(double)), calloc(nz, sizeof(double))}};
    int ok = c.fp.right && c.fp.left && c.fp.wrap && c.reach[0] && c.reach[1];
    for (size_t i = 0; i < n && ok; i++) {
        if (all[i].kind != CSF_FIND_SLEC || all[i].arm)
            continue;
        /* the far side is the one away from the collection (its side as detect.c reports it) */
        const csf_extra *x = &xs[i];
        int ventral = x->ap_beyond[0] != x->ap_beyond[1] ? x->ap_beyond[0] > x->ap_beyond[1] : x->angle_deg >= 0;
        if (csf_spine_far_profile(sp, i, ventral, &c.fp, NULL) != CSF_OK ||
            csf_spine_lateral_profile(sp, i, c.reach[1], c.reach[0], NULL) != CSF_OK)
            continue;
        for (int s = 0; s < 2; s++)
            m = scan_side(&c, xs, cand, n, i, s, all, m, room);
    }
    free(c.fp.right);
    free(c.fp.left);
    free(c.fp.wrap);
    free(c.reach[0]);
    free(c.reach[1]);
    return m;
}
