#ifndef CSFLEAK_VOLUME_H
#define CSFLEAK_VOLUME_H
/* The one image type: float voxels on a grid with a voxel -> world affine. */
#include <stddef.h>
#include "csfleak/error.h"

/* Hard limits that make every index computation safe. */
#define CSF_VOLUME_MAX_AXIS 4096u
#define CSF_VOLUME_MAX_VOXELS ((size_t)1 << 31)

/* Voxel (i,j,k) of frame t is data[i + dim[0] * (j + dim[1] * (k + dim[2] * t))].
 * After csf_io loading the grid is canonical RAS: i runs left -> right,
 * j posterior -> anterior, k inferior -> superior (affine may still be oblique). */
typedef struct csf_volume {
    float *data;          /* owned by the volume */
    size_t dim[4];        /* voxels along i, j, k; time points; none is 0 */
    double spacing[3];    /* mm per voxel along i, j, k; > 0 */
    double affine[4][4];  /* (i,j,k,1) -> RAS mm */
} csf_volume;

/* Zero-filled volume with the axis-aligned affine diag(spacing), origin 0.
 * dim[3] == 0 is taken as 1. Rejects zero or over-limit sizes and spacings
 * that are not finite and positive. *out set only on CSF_OK. */
csf_status csf_volume_new(const size_t dim[4], const double spacing_mm[3],
                          csf_volume **out, csf_error *err);
/* As csf_volume_new, but the voxels are not cleared: for callers that write
 * every voxel (all dim[3] frames) before anyone reads one. */
csf_status csf_volume_new_uninit(const size_t dim[4], const double spacing_mm[3],
                                 csf_volume **out, csf_error *err);
/* Deep copy owned by the caller. */
csf_status csf_volume_clone(const csf_volume *vol, csf_volume **out, csf_error *err);
/* Voxels in one frame (dim[0]*dim[1]*dim[2]); overflow was ruled out at creation. */
size_t csf_volume_nvox(const csf_volume *vol);
/* Voxel coords (may be fractional) -> RAS mm, and back. */
void csf_volume_ijk_to_ras(const csf_volume *vol, const double ijk[3], double ras_mm[3]);
/* CSF_ERR_FORMAT when the affine is singular. */
csf_status csf_volume_ras_to_ijk(const csf_volume *vol, const double ras_mm[3],
                                 double ijk[3], csf_error *err);
/* Recomputes spacing[] as the column norms of the affine. */
void csf_volume_spacing_from_affine(csf_volume *vol);
/* Three-letter code of the direction each voxel axis points to, e.g. "RAS",
 * "LPS", "PSR" (nearest world axis, as nibabel's aff2axcodes); buf >= 4. */
void csf_volume_orient_code(const csf_volume *vol, char buf[4]);
/* The same for a raw row-major 4x4 affine (pass &a[0][0]: it avoids C's
 * const-array-parameter trap). */
void csf_affine_orient_code(const double *a16, char buf[4]);
/* Frees data and struct; NULL is a no-op. */
void csf_volume_free(csf_volume *vol);

/* Inverts a 4x4 affine; returns 0 on success, -1 if singular. */
int csf_affine_invert(const double *a16, double *inv16);

#endif
