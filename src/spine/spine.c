/* The spine model: runs the steps in order and answers questions about it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spine_internal.h"

static csf_status check_input(const csf_volume *vol, csf_error *err)
{
    if (vol == NULL || vol->data == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "no volume");
    if (vol->dim[2] < 8)
        return csf_error_set(err, CSF_ERR_UNSUPPORTED,
                             "only %zu slices along the spine: at least 8 are needed", vol->dim[2]);
    if (vol->dim[0] < 8)
        return csf_error_set(err, CSF_ERR_UNSUPPORTED, "only %zu voxels left-right", vol->dim[0]);
    return CSF_OK;
}

csf_status csf_spine_analyze(const csf_volume *vol, const csf_spine_opts *opts, csf_spine **out,
                             const csf_exec *ex, csf_error *err)
{
    csf_status st = check_input(vol, err);
    if (st != CSF_OK)
        return st;
    csf_spine *sp = calloc(1, sizeof *sp);
    if (sp == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate the spine model");
    sp->vol = vol;
    sp->nx = vol->dim[0];
    sp->ny = vol->dim[1];
    sp->nz = vol->dim[2];
    sp->is2d = vol->dim[1] == 1;
    sp->sx = vol->spacing[0];
    sp->sy = vol->spacing[1];
    sp->sz = vol->spacing[2];
    sp->k_end = sp->k_top = NAN;
    sp->depth_exponent = 1.0;
    sp->slices = calloc(sp->nz, sizeof *sp->slices);
    if (sp->slices == NULL) {
        free(sp);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu slices", vol->dim[2]);
    }
    double t0 = csf_spine_now_ms();
    st = csf_spine_calibrate(sp, ex, err);
    double t1 = csf_spine_now_ms();
    if (st == CSF_OK)
        st = csf_spine_track(sp, ex, err);
    double t2 = csf_spine_now_ms();
    if (st == CSF_OK && sp->found)
        st = csf_spine_shape(sp, ex, err);
    double t3 = csf_spine_now_ms();
    if (st == CSF_OK && sp->found)
        st = csf_spine_response_2d(sp, err);
    if (st == CSF_OK && sp->found)
        csf_spine_edge_by_depth_2d(sp);
    if (st == CSF_OK && sp->found)
        st = csf_spine_extras_find(sp, ex, err);
    double t4 = csf_spine_now_ms();
    if (st == CSF_OK && sp->found)
        st = csf_spine_levels_auto(sp, err);
    if (st == CSF_OK && opts && opts->levels && opts->levels->n > 0)
        sp->levels = *opts->levels;
    double t5 = csf_spine_now_ms();
    if (st != CSF_OK) {
        csf_spine_free(sp);
        return st;
    }
    double t[6] = {t0, t1, t2, t3, t4, t5};
    for (int q = 0; q < 5; q++)
        sp->timing_ms[q] = t[q + 1] - t[q];
    *out = sp;
    return CSF_OK;
}

void csf_spine_free(csf_spine *sp)
{
    if (sp == NULL)
        return;
    free(sp->slices);
    csf_label_runs_release(&sp->roi_runs);
    free(sp->extras);
    free(sp);
}

const csf_volume *csf_spine_volume(const csf_spine *sp) { return sp->vol; }
int csf_spine_found(const csf_spine *sp) { return sp->found; }
int csf_spine_is_2d(const csf_spine *sp) { return sp->is2d; }

const csf_sac_slice *csf_spine_slices(const csf_spine *sp, size_t *n, size_t *k_first,
                                      size_t *k_last)
{
    *n = sp->nz;
    *k_first = sp->k_first;
    *k_last = sp->k_last;
    return sp->slices;
}

const csf_extra *csf_spine_extras(const csf_spine *sp, size_t *n)
{
    *n = sp->nextra;
    return sp->extras;
}

const csf_levels *csf_spine_levels(const csf_spine *sp) { return &sp->levels; }

void csf_spine_landmarks(const csf_spine *sp, double *k_end, double *k_top)
{
    *k_end = sp->k_end;
    *k_top = sp->k_top;
}

void csf_spine_contrast(const csf_spine *sp, double *background, double *threshold, int *heavy_t2,
                        const char **reason)
{
    *background = sp->background;
    *threshold = sp->threshold0;
    *heavy_t2 = sp->heavy_t2;
    *reason = sp->found ? sp->contrast_reason : "no thecal sac was found";
}

double csf_spine_noise_sd(const csf_spine *sp) { return sp->noise / 0.674; }
double csf_spine_contrast_ratio(const csf_spine *sp) { return sp->found ? sp->contrast_ratio : NAN; }
double csf_spine_bright_shell(const csf_spine *sp) { return sp->found ? sp->bright_shell : NAN; }

double csf_spine_width_at_z(const csf_spine *sp, double z_mm)
{
    if (!sp->found)
        return NAN;
    size_t best = SIZE_MAX;
    double bd = INFINITY;
    for (size_t k = sp->k_first; k <= sp->k_last; k++) {
        double d = fabs(sp->slices[k].center_mm[2] - z_mm);
        if (d < bd) {
            bd = d;
            best = k;
        }
    }
    return best != SIZE_MAX && bd <= 2.0 * sp->sz + 1.0 ? sp->slices[best].width_lr_mm : NAN;
}

void csf_spine_timing(const csf_spine *sp, double ms[5])
{
    memcpy(ms, sp->timing_ms, 5 * sizeof ms[0]);
}

csf_status csf_spine_label_map(const csf_spine *sp, const uint16_t *extra_labels, uint16_t *labels,
                               csf_error *err)
{
    (void)err;
    size_t nx = sp->nx, ny = sp->ny;
    memset(labels, 0, nx * ny * sp->nz * sizeof *labels);
    if (!sp->found)
        return CSF_OK;
    for (size_t k = sp->k_first; k <= sp->k_last; k++) {
        const csf_sac_slice *s = &sp->slices[k];
        for (size_t j = 0; j < ny; j++)
            for (size_t i = 0; i < nx; i++) {
                double dx = ((double)i - s->center_vox[0]) * sp->sx;
                double dy = sp->is2d ? 0 : ((double)j - s->center_vox[1]) * sp->sy;
                double R = csf_sac_radius_at(s, atan2(dy, dx), sp->is2d);
                if (isfinite(R) && hypot(dx, dy) <= R)
                    labels[i + nx * (j + ny * k)] = 1;
            }
    }
    int32_t *map = calloc(sp->nextra + 1, sizeof *map);
    if (map == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate the label table");
    uint32_t maxl = 0;
    for (size_t e = 0; e < sp->nextra; e++)
        maxl = sp->extras[e].label > maxl ? sp->extras[e].label : maxl;
    int32_t *bylab = calloc((size_t)maxl + 1, sizeof *bylab);
    if (bylab == NULL) {
        free(map);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate the label table");
    }
    for (size_t e = 0; e < sp->nextra; e++) {
        uint16_t v = extra_labels ? extra_labels[e] : 0;
        bylab[sp->extras[e].label] = v ? v : (sp->extras[e].is_sleeve ? 2 : 0);
    }
    const csf_label_runs *R = &sp->roi_runs;
    for (size_t row = 0; R->row_start != NULL && row < R->ny * R->nz; row++) {
        size_t jj = row % R->ny, kk = row / R->ny;
        uint16_t *out = labels + sp->roi_min[0] +
                        nx * ((sp->roi_min[1] + jj) + ny * (sp->roi_min[2] + kk));
        for (uint32_t r = R->row_start[row]; r < R->row_start[row + 1]; r++) {
            uint32_t l = R->label[r];
            if (l && l <= maxl && bylab[l])
                for (size_t ii = R->x0[r]; ii <= R->x1[r]; ii++)
                    out[ii] = (uint16_t)bylab[l];
        }
    }
    free(map);
    free(bylab);
    return CSF_OK;
}
