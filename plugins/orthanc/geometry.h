/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
#ifndef CSFLEAK_ORTHANC_GEOMETRY_H
#define CSFLEAK_ORTHANC_GEOMETRY_H
/* DICOM slices -> one canonical csf_volume. No Orthanc SDK in here, so the
 * geometry is unit-tested against dcm2niix without a server. */
#include <stddef.h>

#include "csfleak/error.h"
#include "csfleak/volume.h"

/* One decoded single-frame slice as the series reader fills it. */
typedef struct csfo_slice {
    double ipp[3];          /* ImagePositionPatient, LPS mm, centre of pixel (0,0) */
    double iop[6];          /* ImageOrientationPatient: row direction, then column direction */
    double pixel_spacing[2];/* PixelSpacing: between rows, between columns (mm) */
    size_t rows, cols;
    float *pixels;          /* rows * cols, row-major, rescale applied; owned by the slice */
    char instance[64];      /* Orthanc instance id, for messages */
} csfo_slice;

/* Builds the volume csf_io_read would give for the same series converted by
 * dcm2niix: slices ordered by their position along the slice normal
 * (row x column direction; InstanceNumber is never used), voxel -> RAS
 * affine from IOP / PixelSpacing / IPP, then reoriented onto the canonical
 * RAS grid (i L->R, j P->A, k I->S) with csf_affine_orient_code's rule.
 * file_orient (may be NULL) receives the acquisition's own axis code
 * (columns, rows, slices), e.g. "PIL" for a sagittal series.
 * `slices` is reordered in place; pixels stay owned by the slices.
 * A series csfleak cannot turn into one volume is CSF_ERR_FORMAT (or
 * CSF_ERR_UNSUPPORTED) with a one-line reason: fewer than 2 slices,
 * mixed orientations or matrix sizes, missing geometry, several slices at one
 * position, uneven slice spacing. *out set only on CSF_OK. */
csf_status csfo_volume_build(csfo_slice *slices, size_t n, csf_volume **out, char file_orient[4],
                             csf_error *err);

/* Frees the pixels of n slices and the array; NULL is a no-op. */
void csfo_slices_free(csfo_slice *slices, size_t n);

#endif
