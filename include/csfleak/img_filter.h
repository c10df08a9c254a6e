#ifndef CSFLEAK_IMG_FILTER_H
#define CSFLEAK_IMG_FILTER_H
/* Smoothing, projections and resampling of float volumes. */
#include <stddef.h>
#include "csfleak/error.h"
#include "csfleak/exec.h"
#include "csfleak/volume.h"

/* Separable Gaussian, sigma in mm per world-grid axis (converted with spacing),
 * kernel truncated at 4 sigma, borders mirrored. out may equal in. Frame 0 only. */
csf_status csf_img_gaussian(const csf_volume *in, const double sigma_mm[3], csf_volume *out,
                            const csf_exec *ex, csf_error *err);

typedef enum csf_project_mode { CSF_PROJECT_MAX, CSF_PROJECT_MEAN } csf_project_mode;

/* Projection along voxel axis `axis` (0,1,2) over slab [first, last] (inclusive;
 * clamped). Result is a 2D volume (dim[axis] = 1) with the affine of the slab's
 * first slice. *out set only on CSF_OK. */
csf_status csf_img_project(const csf_volume *in, int axis, size_t first, size_t last,
                           csf_project_mode mode, csf_volume **out, const csf_exec *ex,
                           csf_error *err);

/* Trilinear resampling of `in` onto the grid of `target` (dims and affine),
 * through world coordinates; outside voxels get `fill`. */
csf_status csf_img_resample(const csf_volume *in, csf_volume *target, float fill,
                            const csf_exec *ex, csf_error *err);

#endif
