/* Findings -> levels, regions (junction rule), SLEC extent, sac metrics and
 * the dural-ectasia indicators. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect_internal.h"

#define REGION_MAX_MM 40.0 /* a finding farther than this from every named level has no region */
#define ECTASIA_RATIO 1.5  /* lumbosacral sac 50% wider than the upper lumbar sac */

double csf_detect_voxel_mm(const csf_spine *sp)
{
    const csf_volume *v = csf_spine_volume(sp);
    return csf_spine_is_2d(sp) ? v->spacing[0] : fmax(v->spacing[0], v->spacing[1]);
}

const char *csf_analysis_caveat(const csf_analysis *a, const csf_spine *sp)
{
    if (a == NULL || !a->assessable)
        return a != NULL ? a->reason : NULL;
    if (sp == NULL || csf_spine_levels(sp)->method != CSF_LEVELS_NONE)
        return NULL;
    /* Say which step failed: a reader who sees the foramen magnum on the
     * image must not be told it is out of view. */
    double ke, kt;
    csf_spine_landmarks(sp, &ke, &kt);
    if (isfinite(ke) || isfinite(kt))
        return "no vertebral level could be fixed (the root-sleeve pairs could not be counted "
               "from the sac end or the foramen magnum); levels and regions are null";
    return "no vertebral level could be fixed (neither the sac end nor the foramen magnum "
           "is in view); levels and regions are null";
}

void csf_analysis_free(csf_analysis *a)
{
    if (a == NULL)
        return;
    free(a->findings);
    free(a->sac);
    free(a);
}

/* World z of slice k on the centreline. */
static double slice_z(const csf_spine *sp, double k)
{
    size_t n, k0, k1;
    const csf_sac_slice *s = csf_spine_slices(sp, &n, &k0, &k1);
    size_t kr = (size_t)lround(fmin(fmax(k, (double)k0), (double)k1));
    double ijk[3] = {s[kr].center_vox[0], s[kr].center_vox[1], k}, w[3];
    csf_volume_ijk_to_ras(csf_spine_volume(sp), ijk, w);
    return w[2];
}

/* Level index (and region) of world z; region also when the level name is too far. */
static void locate(const csf_levels *lv, double z, int *level, int *region)
{
    *level = *region = -1;
    int near = csf_levels_nearest(lv, z);
    if (near >= 0)
        *level = csf_level_index(lv->name[near]);
    double bd = INFINITY;
    int bi = -1;
    for (size_t i = 0; i < lv->n; i++)
        if (fabs(lv->z_mm[i] - z) < bd) {
            bd = fabs(lv->z_mm[i] - z);
            bi = (int)i;
        }
    if (bi >= 0 && bd <= REGION_MAX_MM)
        *region = csf_spine_level_region(csf_level_index(lv->name[bi]));
}

/* A lateral leak component taller than three segments (the named levels'
 * spacing at its contact) runs along the canal: a leak joined to an
 * epidural collection whose midline part, pulled sideways by the arm, was
 * not recognised as an SLEC. Its contact height is the mean of a long
 * contact, no sleeve's exit; the leak's site is where it reaches farthest
 * from the wall, as for an SLEC's arm. */
#define ALONG_CANAL_SEGMENTS 3.0
static int runs_along_canal(const csf_levels *lv, const csf_extra *x)
{
    int near = csf_levels_nearest(lv, x->contact_z_mm);
    if (near < 0 || !isfinite(x->lateral_z_mm))
        return 0;
    double seg = INFINITY;
    for (size_t i = 0; i < lv->n; i++)
        if ((int)i != near)
            seg = fmin(seg, fabs(lv->z_mm[i] - lv->z_mm[near]));
    return isfinite(seg) && x->craniocaudal_extent_mm > ALONG_CANAL_SEGMENTS * seg;
}

/* Side of an SLEC: the side of the sac where more of its fluid lies beyond
 * the wall (csf_extra.ap_beyond). Its centroid says little: the collection
 * wraps round the sac, and a leak arm pulls it sideways. Only when none of
 * it lies beyond either wall is the centroid all there is. */
static int slec_side(const csf_extra *x)
{
    if (x->ap_beyond[0] != x->ap_beyond[1])
        return x->ap_beyond[0] > x->ap_beyond[1] ? CSF_SIDE_VENTRAL : CSF_SIDE_DORSAL;
    return x->angle_deg >= 0 ? CSF_SIDE_VENTRAL : CSF_SIDE_DORSAL;
}

/* The epidural space is one continuous space round the dural sac: CSF
 * leaked into it spreads along and round the sac, so over a stretch of the
 * canal it holds one collection, which the sac itself can split into a
 * ventral and a dorsal part. Where the sac's walls are measured from the
 * cord (spine/cord_center.c), the horns of a crescent that touched the sac
 * lie outside it and can form a component of their own beside the main
 * collection. A smaller collection whose slices overlap a larger one's is a
 * part of it, not a second collection; the larger part gives the side (3D
 * only: the 2D protocol reports no SLEC). */
static void merge_slec_parts(const csf_spine *sp, csf_finding *all, size_t n)
{
    size_t nx;
    const csf_extra *xs = csf_spine_extras(sp, &nx);
    if (csf_spine_is_2d(sp))
        return;
    for (size_t i = 0; i < n; i++) {
        if (all[i].kind != CSF_FIND_SLEC || all[i].arm || all[i].extra_index >= nx)
            continue;
        const csf_extra *x = &xs[all[i].extra_index];
        for (size_t j = 0; j < n; j++) {
            if (j == i || all[j].kind != CSF_FIND_SLEC || all[j].arm || all[j].extra_index >= nx)
                continue;
            const csf_extra *y = &xs[all[j].extra_index];
            int larger = y->volume_ml > x->volume_ml || (y->volume_ml == x->volume_ml && j < i);
            if (larger && x->bbox_min[2] <= y->bbox_max[2] &&
                y->bbox_min[2] <= x->bbox_max[2]) {
                all[i].kind = CSF_FIND_IGNORED;
                snprintf(all[i].reason, sizeof all[i].reason,
                         "part of a larger longitudinal collection over the same slices");
                break;
            }
        }
    }
}

/* A leak raises the field of view's and its region's grade. */
static void count_leak(csf_analysis *a, const csf_finding *f)
{
    if (f->grade > a->fov_grade)
        a->fov_grade = f->grade;
    if (f->region >= 0 && f->grade > a->region_grade[f->region])
        a->region_grade[f->region] = f->grade;
}

static void place_findings(const csf_spine *sp, csf_finding *all, size_t n, csf_analysis *a)
{
    size_t nx;
    const csf_extra *xs = csf_spine_extras(sp, &nx);
    const csf_levels *lv = csf_spine_levels(sp);
    a->slec_from = a->slec_to = -1;
    merge_slec_parts(sp, all, n);
    for (size_t i = 0; i < n; i++) {
        csf_finding *f = &all[i];
        if (f->kind == CSF_FIND_IGNORED)
            continue;
        if (f->extra_index >= nx) {
            /* a 2D level finding with no component of its own (classify_2d.c):
             * classify_2d set its place and measures */
            locate(lv, f->center_mm[2], &f->level_index, &f->region);
            if (f->kind == CSF_FIND_LEAK)
                count_leak(a, f);
            continue;
        }
        const csf_extra *x = &xs[f->extra_index];
        /* a collection's arm found on its lateral profile (slec_profile.c) carries its own place */
        double arm_z = f->center_mm[2], arm_lat = f->lateral_extent_mm;
        int arm_side = f->side;
        memcpy(f->center_mm, x->center_mm, sizeof f->center_mm);
        f->side = x->side;
        f->lateral_extent_mm = x->lateral_extent_mm;
        f->craniocaudal_extent_mm = x->craniocaudal_extent_mm;
        f->volume_ml = x->volume_ml;
        f->local_width_mm = x->local_width_mm;
        f->ball_fraction = x->ball_fraction;
        f->inscribed_radius_mm = x->inscribed_radius_mm;
        f->min_wall_mm = x->min_wall_mm;
        f->rel_intensity = x->rel_intensity;
        f->elongation = x->elongation;
        f->continuity = x->inner_bright_fraction;
        double z = f->kind == CSF_FIND_SLEC || f->kind == CSF_FIND_DIVERTICULUM || x->contact_voxels == 0
                       ? x->center_mm[2]
                       : x->contact_z_mm;
        if (f->kind == CSF_FIND_SLEC)
            f->side = slec_side(x);
        if (f->arm || (f->kind == CSF_FIND_LEAK && runs_along_canal(lv, x))) {
            /* the leak arm of a longitudinal collection: where it reaches out */
            z = f->center_mm[2] = x->lateral_z_mm;
            f->side = x->lateral_side;
            f->local_width_mm = csf_spine_width_at_z(sp, z);
            if (f->arm == 2) {
                z = f->center_mm[2] = arm_z;
                f->side = arm_side;
                f->lateral_extent_mm = arm_lat;
                f->local_width_mm = csf_spine_width_at_z(sp, z);
            }
        }
        locate(lv, z, &f->level_index, &f->region);
        if (f->kind == CSF_FIND_SLEC) {
            int r1, r2;
            locate(lv, slice_z(sp, (double)x->bbox_max[2]), &f->level_index, &r1);
            locate(lv, slice_z(sp, (double)x->bbox_min[2]), &f->level_to_index, &r2);
            a->slec_present = 1;
            if (a->slec_from < 0 || (f->level_index >= 0 && f->level_index < a->slec_from))
                a->slec_from = f->level_index;
            if (f->level_to_index > a->slec_to)
                a->slec_to = f->level_to_index;
        }
        if (f->kind == CSF_FIND_LEAK)
            count_leak(a, f);
    }
}

/* Sac cross-section at each named level inside the tracked range. */
static csf_status sac_metrics(const csf_spine *sp, csf_analysis *a, csf_error *err)
{
    const csf_levels *lv = csf_spine_levels(sp);
    size_t n, k0, k1;
    const csf_sac_slice *s = csf_spine_slices(sp, &n, &k0, &k1);
    a->sac = calloc(lv->n + 1, sizeof *a->sac);
    if (a->sac == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate sac metrics");
    double zlo = fmin(s[k0].center_mm[2], s[k1].center_mm[2]);
    double zhi = fmax(s[k0].center_mm[2], s[k1].center_mm[2]);
    for (size_t i = 0; i < lv->n; i++) {
        if (lv->z_mm[i] < zlo || lv->z_mm[i] > zhi)
            continue;
        size_t best = k0;
        for (size_t k = k0; k <= k1; k++)
            if (fabs(s[k].center_mm[2] - lv->z_mm[i]) < fabs(s[best].center_mm[2] - lv->z_mm[i]))
                best = k;
        csf_sac_level *m = &a->sac[a->nsac++];
        m->level_index = csf_level_index(lv->name[i]);
        m->z_mm = lv->z_mm[i];
        m->width_lr_mm = s[best].width_lr_mm;
        m->width_ap_mm = s[best].width_ap_mm;
        m->area_mm2 = s[best].area_mm2;
        if (m->level_index >= 0)
            a->region_assessed[csf_spine_level_region(m->level_index)] = 1;
    }
    return CSF_OK;
}

/* Dural ectasia indicators: the lumbosacral sac against the upper lumbar sac
 * of the same subject (no vertebral body is visible on MR myelography, so the
 * classic dural sac ratio is replaced by this within-sac ratio). */
static void ectasia(csf_analysis *a)
{
    double upper[3];
    size_t nu = 0;
    double low = NAN;
    a->ectasia_ap_s1_mm = NAN;
    for (size_t i = 0; i < a->nsac; i++) {
        const csf_sac_level *m = &a->sac[i];
        const char *nm = csf_level_name(m->level_index);
        if (nm == NULL || !isfinite(m->width_ap_mm))
            continue;
        if (strcmp(nm, "L1") == 0 || strcmp(nm, "L2") == 0 || strcmp(nm, "L3") == 0)
            upper[nu++] = m->width_ap_mm;
        if (strcmp(nm, "L5") == 0 || strcmp(nm, "S1") == 0)
            low = isfinite(low) ? fmax(low, m->width_ap_mm) : m->width_ap_mm;
        if (strcmp(nm, "S1") == 0)
            a->ectasia_ap_s1_mm = m->width_ap_mm;
    }
    a->ectasia_ratio = NAN;
    if (nu > 0 && isfinite(low)) {
        for (size_t p = 1; p < nu; p++) /* median of <= 3 */
            for (size_t q = p; q > 0 && upper[q - 1] > upper[q]; q--) {
                double t = upper[q];
                upper[q] = upper[q - 1];
                upper[q - 1] = t;
            }
        double med = (nu & 1) ? upper[nu / 2] : 0.5 * (upper[0] + upper[1]);
        a->ectasia_ratio = low / med;
        a->ectasia_suspected = a->ectasia_ratio >= ECTASIA_RATIO;
    }
}

csf_status csf_detect_run(const csf_spine *sp, csf_analysis **out, csf_error *err)
{
    csf_analysis *a = calloc(1, sizeof *a);
    if (a == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate the analysis");
    a->slec_from = a->slec_to = -1;
    a->ectasia_ap_s1_mm = a->ectasia_ratio = NAN;
    double bg, thr;
    int heavy;
    const char *why;
    csf_spine_contrast(sp, &bg, &thr, &heavy, &why);
    if (!csf_spine_found(sp) || !heavy) {
        snprintf(a->reason, sizeof a->reason, "not assessable: %s", why ? why : "unknown");
        *out = a;
        return CSF_OK;
    }
    a->assessable = 1;
    size_t n;
    csf_spine_extras(sp, &n);
    csf_finding *all = calloc(2 * n + 1 + CSF_DETECT_LEVEL_FINDINGS, sizeof *all);
    if (all == NULL) {
        csf_analysis_free(a);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu findings", n);
    }
    n = csf_detect_classify(sp, all);
    place_findings(sp, all, n, a);
    csf_status st = sac_metrics(sp, a, err);
    if (st != CSF_OK) {
        free(all);
        csf_analysis_free(a);
        return st;
    }
    for (size_t i = 0; i < n; i++)
        if (all[i].kind == CSF_FIND_LEAK && all[i].region >= 0)
            a->region_assessed[all[i].region] = 1;
    ectasia(a);
    for (size_t i = 0; i < n; i++)
        if (all[i].kind != CSF_FIND_IGNORED)
            all[a->nfindings++] = all[i];
    a->nignored = n - a->nfindings;
    a->findings = all;
    a->positive = a->fov_grade >= 1 || a->slec_present;
    *out = a;
    return CSF_OK;
}

void csf_analysis_extra_labels(const csf_analysis *a, const csf_spine *sp, uint16_t *labels)
{
    size_t n;
    const csf_extra *xs = csf_spine_extras(sp, &n);
    for (size_t i = 0; i < n; i++)
        labels[i] = xs[i].is_sleeve ? 2 : 0;
    for (size_t f = 0; f < a->nfindings; f++)
        if (a->findings[f].extra_index < n)
            labels[a->findings[f].extra_index] = (uint16_t)(10 + f);
}

void csf_analysis_combine(const csf_analysis *const *a, size_t n, csf_combined *out)
{
    memset(out, 0, sizeof *out);
    out->slec_from = out->slec_to = -1;
    for (size_t i = 0; i < n; i++) {
        const csf_analysis *x = a[i];
        if (!x->assessable)
            continue;
        out->assessable = 1;
        for (int r = 0; r < 3; r++) {
            out->region_assessed[r] |= x->region_assessed[r];
            if (x->region_grade[r] > out->region_grade[r])
                out->region_grade[r] = x->region_grade[r];
        }
        if (x->fov_grade > out->fov_grade)
            out->fov_grade = x->fov_grade;
        if (x->slec_present) {
            out->slec_present = 1;
            if (x->slec_from >= 0 && (out->slec_from < 0 || x->slec_from < out->slec_from))
                out->slec_from = x->slec_from;
            if (x->slec_to > out->slec_to)
                out->slec_to = x->slec_to;
        }
    }
    out->positive = out->fov_grade >= 1 || out->slec_present;
}
