#ifndef CSFLEAK_IMG_LABEL_H
#define CSFLEAK_IMG_LABEL_H
/* Connected components of a binary mask with per-component statistics.
 * Masks are uint8_t arrays on a volume's grid (non-zero = set). */
#include <stddef.h>
#include <stdint.h>
#include "csfleak/error.h"
#include "csfleak/exec.h"
#include "csfleak/volume.h"

typedef enum csf_connectivity { CSF_CONN_6 = 6, CSF_CONN_18 = 18, CSF_CONN_26 = 26 } csf_connectivity;

/* Per-component measurements; all world quantities use the volume's affine. */
typedef struct csf_component {
    uint32_t label;          /* 1.. in raster order of first voxel */
    size_t voxels;
    double volume_ml;
    size_t bbox_min[3], bbox_max[3]; /* inclusive voxel bounds */
    double centroid_vox[3];
    double centroid_mm[3];   /* RAS mm */
    double axes_mm[3];       /* principal axis lengths (4*sqrt(eigenvalue)), descending, mm */
    double axis_dir[3][3];   /* unit principal directions in RAS, axis_dir[k] for axes_mm[k] */
    double elongation;       /* axes_mm[0] / max(axes_mm[1], voxel size) */
} csf_component;

/* Labels mask on grid `geom` (dims, spacing, affine; data unused) with the
 * given face (6), face+edge (18) or full (26) connectivity. labels
 * (caller-owned, nvox uint32; may be NULL when only *ncomp / *comps are
 * wanted) gets 0 for background and 1..*ncomp numbered in raster order of
 * each component's first voxel (i fastest), identical for any thread count.
 * *comps (malloc'd, caller frees; pass NULL when not wanted) gets *ncomp
 * entries, comps[c].label == c + 1; it is set to NULL when there is no
 * component. Statistics are exact integer moments of voxel centres:
 * volume_ml = voxels * sx*sy*sz / 1000; axes from the covariance of voxel
 * centres mapped through the affine's linear part (a single voxel or a
 * one-voxel-thin line has zero minor axes); elongation divides by at least
 * the smallest voxel size. Errors: CSF_ERR_INVALID_ARG (NULL mask/ncomp, bad
 * grid, bad connectivity), CSF_ERR_NOMEM, CSF_ERR_CANCELLED. */
csf_status csf_img_label(const csf_volume *geom, const uint8_t *mask, csf_connectivity conn,
                         uint32_t *labels, size_t *ncomp, csf_component **comps,
                         const csf_exec *ex, csf_error *err);

/* csf_img_label's components in run-length form: every run of set voxels
 * along i, rows r = j + ny * k in order and runs in a row by increasing i,
 * each with its component label. It holds what the label image would without
 * writing a word per voxel of the grid (that image is as large as the mask's
 * box, and most of it is 0): for callers that only visit labelled voxels. */
typedef struct csf_label_runs {
    size_t nx, ny, nz;   /* the grid */
    size_t nruns;
    uint32_t *row_start; /* ny * nz + 1: the runs of row r are [row_start[r], row_start[r + 1]) */
    uint16_t *x0, *x1;   /* inclusive bounds along i of each run */
    uint32_t *label;     /* each run's component, 1..*ncomp, numbered as csf_img_label does */
} csf_label_runs;

/* As csf_img_label, with the runs (*out, released by csf_label_runs_release;
 * zeroed on error) in place of the label image. comps may be NULL. */
csf_status csf_img_label_as_runs(const csf_volume *geom, const uint8_t *mask,
                                 csf_connectivity conn, csf_label_runs *out, size_t *ncomp,
                                 csf_component **comps, const csf_exec *ex, csf_error *err);
void csf_label_runs_release(csf_label_runs *lr);

/* Keeps the largest component of mask (ties: the one whose first voxel comes
 * first in raster order) in out (nvox bytes, 1 = kept; caller-owned; may be
 * the mask itself). *voxels (may be NULL) gets its size, 0 for an empty mask.
 * Same result as labelling and thresholding, without a label image. */
csf_status csf_img_largest_component(const csf_volume *geom, const uint8_t *mask,
                                     csf_connectivity conn, uint8_t *out, size_t *voxels,
                                     const csf_exec *ex, csf_error *err);

#endif
