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
