/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
#ifndef CSFLEAK_ORTHANC_KEYIMAGE_H
#define CSFLEAK_ORTHANC_KEYIMAGE_H
/* Key images for the viewer: a MIP of the canonical volume on square display
 * pixels, findings outlined, a caption band on top, as PNG. */
#include <stddef.h>
#include <stdint.h>

#include "csfleak/volume.h"
#include "plugin.h"

typedef struct csfo_box {
    size_t lo[3], hi[3];  /* canonical voxel bounding box, inclusive */
    uint8_t rgb[3];
} csfo_box;

enum { CSFO_VIEW_SAGITTAL = 0, CSFO_VIEW_CORONAL = 1 };

/* Coronal (png[0]: projection along j, radiological: the patient's right on
 * the left) and sagittal (png[1]: along i, anterior on the left) MIPs, grey
 * levels 0 .. window_top, boxes outlined, caption lines (may be NULL) on top.
 * png[] are malloc'd and set only on CSF_OK. */
csf_status csfo_keyimages(csfo_plugin *p, const csf_volume *vol, double window_top,
                          const csfo_box *boxes, size_t nbox, const char *line1, const char *line2,
                          uint8_t *png[2], size_t png_len[2], csf_error *err);

#endif
