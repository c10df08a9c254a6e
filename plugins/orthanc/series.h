/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
#ifndef CSFLEAK_ORTHANC_SERIES_H
#define CSFLEAK_ORTHANC_SERIES_H
/* One series out of Orthanc as a canonical csf_volume, and the results back in. */
#include "csfleak/volume.h"
#include "plugin.h"

/* Reads every instance (SDK), checks it is a single-frame grey-scale image
 * with geometry, and builds the volume (geometry.h). Errors carry the reason
 * a series is skipped; *out set only on CSF_OK. */
csf_status csfo_series_read(csfo_plugin *p, const csfo_series_info *info, csf_volume **out,
                            char orient[4], csf_error *err);

/* What the analysis step hands to the write-back. */
typedef struct csfo_result {
    char *json;          /* analysis JSON (malloc'd) */
    unsigned char *png[2]; /* key images: coronal, sagittal MIP (malloc'd, may be NULL) */
    size_t png_len[2];
    const char *png_title[2];
    int positive;        /* any region graded >= 1 */
    char summary[160];   /* one line for the SC's description and the log */
    double keyimage_ms;  /* rendering the key images (part of the analysis step) */
    char **lines;        /* report text for the SR, one statement per line (malloc'd) */
    size_t nlines;
} csfo_result;

void csfo_result_release(csfo_result *r);

/* Runs the csfleak analysis (the library calls `csfleak analyze` makes) and
 * renders the key images. */
csf_status csfo_analyze(csfo_plugin *p, const csfo_series_info *info, const csf_volume *vol,
                        const char *orient, double read_ms, csfo_result *res, csf_error *err);

/* Replaces any earlier result: deletes the previous key-image and SR series
 * (their UIDs are derived from the analysed series' UID, so there is only
 * ever one of each), stores the new SC series, the SR, the JSON attachment
 * and the done flag. */
csf_status csfo_writeback(csfo_plugin *p, const csfo_series_info *info, const csfo_result *res,
                          csf_error *err);
/* Records a skipped series: the "error: reason" flag, stale results removed. */
void csfo_writeback_error(csfo_plugin *p, const csfo_series_info *info, const char *reason);

#endif
