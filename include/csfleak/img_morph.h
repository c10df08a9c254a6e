#ifndef CSFLEAK_IMG_MORPH_H
#define CSFLEAK_IMG_MORPH_H
/* Binary morphology with a ball of radius given in mm (anisotropic voxels
 * handled), and the exact Euclidean distance transform in mm. */
#include <stddef.h>
#include <stdint.h>
#include "csfleak/error.h"
#include "csfleak/exec.h"
#include "csfleak/volume.h"

typedef enum csf_morph_op { CSF_DILATE, CSF_ERODE, CSF_OPEN, CSF_CLOSE } csf_morph_op;

/* Dilation, erosion, opening (erode then dilate) or closing (dilate then
 * erode) of `in` (nvox bytes, non-zero = set) into `out` (nvox bytes, 0/1,
 * caller-owned, must not alias in). The ball of radius_mm is the set of voxel
 * offsets (di,dj,dk) with ((di*sx)*(di*sx) + (dj*sy)*(dj*sy)) + (dk*sz)*(dk*sz)
 * <= radius_mm*radius_mm, evaluated in double in exactly that order; the
 * result is exactly that definition (no distance rounding). On a 1 mm grid
 * r = 1 gives 7 voxels, 1.5 gives 19 (ITK's radius 1), 3 gives 123, 3.5 gives
 * 179 (ITK's radius 3). Voxels outside the grid count as background for
 * dilation and erosion alike (erosion clears a band of width r at the
 * border). radius_mm = 0 copies. Errors: CSF_ERR_INVALID_ARG (NULL, aliasing,
 * radius negative or not finite, bad grid, unknown op), CSF_ERR_NOMEM,
 * CSF_ERR_CANCELLED. Identical output for any thread count. */
csf_status csf_img_morph(const csf_volume *geom, const uint8_t *in, csf_morph_op op,
                         double radius_mm, uint8_t *out, const csf_exec *ex, csf_error *err);

/* Exact Euclidean distance in mm (anisotropic spacing; the affine's
 * obliquity is ignored, as voxel spacing defines the metric) from each voxel
 * to the nearest set voxel of `mask` (0 on the mask). dist (nvox floats,
 * caller-owned) also serves as the work buffer: no other volume-sized memory
 * is used. Exact up to float rounding of the squared distances; with no set
 * voxel every distance is INFINITY. Linear time; identical output for any
 * thread count. Errors: CSF_ERR_INVALID_ARG, CSF_ERR_NOMEM, CSF_ERR_CANCELLED. */
csf_status csf_img_edt(const csf_volume *geom, const uint8_t *mask, float *dist,
                       const csf_exec *ex, csf_error *err);

#endif
