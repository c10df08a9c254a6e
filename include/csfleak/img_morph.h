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

/* Ball: voxel offsets (di,dj,dk) with (di*sx)^2+(dj*sy)^2+(dk*sz)^2 <= r^2.
 * out (nvox, caller-owned) may not alias in. Voxels outside the grid count as
 * background for dilation and erosion alike. */
csf_status csf_img_morph(const csf_volume *geom, const uint8_t *in, csf_morph_op op,
                         double radius_mm, uint8_t *out, const csf_exec *ex, csf_error *err);

/* Exact Euclidean distance in mm from each voxel to the nearest set voxel of
 * `mask` (0 on the mask). dist (nvox floats, caller-owned). With no set voxel
 * every distance is INFINITY. */
csf_status csf_img_edt(const csf_volume *geom, const uint8_t *mask, float *dist,
                       const csf_exec *ex, csf_error *err);

#endif
