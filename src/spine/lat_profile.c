/* Per-slice lateral reach of one extra-sac component (see csfleak/spine.h). */
#include <math.h>
#include <stddef.h>

#include "spine_internal.h"

/* The reach of voxel column i of slice k beyond the sac's lateral wall on its
 * side, measured as csf_extra.lateral_extent_mm is (extras.c): the
 * transverse offset from the slice's centre less the cardinal radius. */
static void reach_into(const csf_spine *sp, size_t k, size_t i, double *right, double *left)
{
    const csf_sac_slice *s = &sp->slices[k];
    double dx = ((double)i - s->center_vox[0]) * sp->sx;
    double R = dx >= 0 ? s->radius_mm[0] : s->radius_mm[CSF_SAC_NRAYS / 2];
    if (!isfinite(R))
        return;
    double *out = dx > 0 ? &right[k] : &left[k];
    if (fabs(dx) - R > *out)
        *out = fabs(dx) - R;
}

csf_status csf_spine_lateral_profile(const csf_spine *sp, size_t e, double *right, double *left,
                                     csf_error *err)
{
    if (sp == NULL || right == NULL || left == NULL || e >= sp->nextra)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "lateral profile: no such component %zu", e);
    for (size_t k = 0; k < sp->nz; k++)
        right[k] = left[k] = -INFINITY;
    if (!sp->found || sp->is2d)
        return CSF_OK;
    const csf_label_runs *R = &sp->roi_runs;
    uint32_t label = sp->extras[e].label;
    for (size_t row = 0; R->row_start != NULL && row < R->ny * R->nz; row++) {
        size_t k = sp->roi_min[2] + row / R->ny;
        if (k < sp->k_first || k > sp->k_last || !sp->slices[k].present)
            continue;
        for (uint32_t r = R->row_start[row]; r < R->row_start[row + 1]; r++) {
            if (R->label[r] != label)
                continue;
            /* a run's farthest voxels on either side are its ends */
            reach_into(sp, k, sp->roi_min[0] + R->x0[r], right, left);
            reach_into(sp, k, sp->roi_min[0] + R->x1[r], right, left);
        }
    }
    return CSF_OK;
}

/* Adds the voxels [a, b] (columns, inclusive) of row j, slice k, that lie on
 * the far side of the coronal plane through the slice's centre to the
 * slice's left / right counts, and flags the slice when one lies within half
 * the lateral radius of the midline (the collection wraps round the sac). */
static void far_run(const csf_spine *sp, size_t k, size_t j, size_t a, size_t b, int far_dorsal,
                    csf_far_profile *fp)
{
    const csf_sac_slice *s = &sp->slices[k];
    double dy = ((double)j - s->center_vox[1]) * sp->sy;
    if (far_dorsal ? dy > 0 : dy < 0)
        return;
    for (size_t i = a; i <= b; i++) {
        double dx = ((double)i - s->center_vox[0]) * sp->sx;
        double R = dx >= 0 ? s->radius_mm[0] : s->radius_mm[CSF_SAC_NRAYS / 2];
        if (dx >= 0)
            fp->right[k] += 1.0;
        else
            fp->left[k] += 1.0;
        if (!(fabs(dx) >= 0.5 * R))
            fp->wrap[k] = 1;
    }
}

csf_status csf_spine_far_profile(const csf_spine *sp, size_t e, int far_dorsal, csf_far_profile *fp,
                                 csf_error *err)
{
    if (sp == NULL || fp == NULL || fp->right == NULL || fp->left == NULL || fp->wrap == NULL ||
        e >= sp->nextra)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "far-side profile: no such component %zu", e);
    for (size_t k = 0; k < sp->nz; k++) {
        fp->right[k] = fp->left[k] = 0.0;
        fp->wrap[k] = 0;
    }
    if (!sp->found || sp->is2d)
        return CSF_OK;
    const csf_label_runs *R = &sp->roi_runs;
    uint32_t label = sp->extras[e].label;
    for (size_t row = 0; R->row_start != NULL && row < R->ny * R->nz; row++) {
        size_t k = sp->roi_min[2] + row / R->ny, j = sp->roi_min[1] + row % R->ny;
        if (k < sp->k_first || k > sp->k_last || !sp->slices[k].present)
            continue;
        for (uint32_t r = R->row_start[row]; r < R->row_start[row + 1]; r++)
            if (R->label[r] == label)
                far_run(sp, k, j, sp->roi_min[0] + R->x0[r], sp->roi_min[0] + R->x1[r], far_dorsal, fp);
    }
    return CSF_OK;
}
