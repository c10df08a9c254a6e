#ifndef CSFLEAK_IMG_FILTER_H
#define CSFLEAK_IMG_FILTER_H
/* Smoothing, projections and resampling of float volumes. */
#include <stddef.h>
#include "csfleak/error.h"
#include "csfleak/exec.h"
#include "csfleak/volume.h"

/* Separable Gaussian, sigma_mm[a] >= 0 in mm along voxel axis a (divided by
 * spacing[a]; 0 = no smoothing along a), kernel radius floor(4 sigma + 0.5)
 * voxels (scipy.ndimage's truncate=4), borders mirrored half-sample (scipy's
 * "reflect": d c b a | a b c d). out must have in's dims (CSF_ERR_INVALID_ARG
 * otherwise) and may equal in; its spacing and affine are set from in.
 * Frame 0 only. Needs no extra volume: one slab buffer per running chunk. */
csf_status csf_img_gaussian(const csf_volume *in, const double sigma_mm[3], csf_volume *out,
                            const csf_exec *ex, csf_error *err);

typedef enum csf_project_mode { CSF_PROJECT_MAX, CSF_PROJECT_MEAN } csf_project_mode;

/* Projection along voxel axis `axis` (0,1,2) over slab [first, last] (inclusive;
 * last is clamped to the axis, first > last is CSF_ERR_INVALID_ARG). Result is
 * a 2D volume (dim[axis] = 1, one frame, caller frees) with the affine of the
 * slab's first slice. MAX skips NaN (an all-NaN ray gives -inf); MEAN is summed
 * in double (slices pre-added in float groups of 8) and propagates NaN. Frame 0
 * only. *out set only on CSF_OK. */
csf_status csf_img_project(const csf_volume *in, int axis, size_t first, size_t last,
                           csf_project_mode mode, csf_volume **out, const csf_exec *ex,
                           csf_error *err);

/* The three full-extent maximum-intensity projections of frame 0 in one pass
 * over the volume (the data is read once, not three times): out[a] is the
 * projection along voxel axis a, as csf_img_project(in, a, 0, dim[a] - 1,
 * CSF_PROJECT_MAX) gives it (dims, spacing, affine; caller frees each). NaN are
 * skipped (an all-NaN ray gives -inf) and a zero maximum is always +0 (-0 is
 * not told apart from +0), which makes the maximum exact in any order: the
 * result is bit-identical for any thread count. Extra memory: one dim[0] x
 * dim[1] float slice per running thread. out[0..2] set only on CSF_OK. */
csf_status csf_img_mip3(const csf_volume *in, csf_volume *out[3], const csf_exec *ex,
                        csf_error *err);

/* Trilinear resampling of `in` onto the grid of `target` (its dims and affine;
 * frame 0 of target->data is overwritten), through world coordinates. A point
 * is inside when within half a voxel of the input grid on every axis (as ITK);
 * between the outermost voxel centres and that edge the edge value is
 * repeated; outside voxels get `fill`. target must not share in's data
 * (CSF_ERR_INVALID_ARG); CSF_ERR_FORMAT if in's affine is singular. Frame 0 of
 * `in` only. */
csf_status csf_img_resample(const csf_volume *in, csf_volume *target, float fill,
                            const csf_exec *ex, csf_error *err);

/* Trilinear value of frame 0 at fractional voxel coordinates ijk, with the
 * same edge rule as csf_img_resample (inside within half a voxel of the grid,
 * edge values repeated there); `fill` outside. */
float csf_img_sample_trilinear(const csf_volume *v, const double ijk[3], float fill);

#endif
