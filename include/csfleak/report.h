#ifndef CSFLEAK_REPORT_H
#define CSFLEAK_REPORT_H
/* The radiologist's report: one self-contained HTML file (no network, no
 * external files; images inline as data: URIs) built from an analysis JSON
 * ("csfleak.analysis/1", docs/analyze.md) and the volume it was made from.
 * Research use only — not for diagnosis. docs/report.md shows the page. */
#include <stddef.h>

#include "csfleak/error.h"
#include "csfleak/exec.h"
#include "csfleak/volume.h"

/* Optional inputs; a zero-initialised struct (or NULL) is valid. */
typedef struct csf_report_opts {
    const char *truth_json;    /* "csfleak.truth/1" text of a phantom: adds the
                                  comparison panel; NULL for none */
    const char *analysis_path; /* where the analysis came from, shown in the
                                  metadata; NULL when it was never a file */
    const char *input_path;    /* the volume's path, shown when the analysis
                                  does not record it; may be NULL */
    const csf_volume *mip[2];  /* optional maximum-intensity projections of vol
                                  along i (sagittal) and j (coronal), as
                                  csf_img_mip3's out[0] and out[1] give them: the
                                  whole-volume views take them instead of
                                  reading vol again (same pixels); NULL, or a
                                  grid that does not fit vol: projected here */
} csf_report_opts;

/* Builds the HTML page in memory. analysis_json is the analysis as JSON text
 * (NUL-terminated). vol is the canonical volume the analysis was made on (as
 * csf_io_read returns it), used for the projections and crops; NULL gives a
 * page without images (a note says so). Keys the page does not find are
 * shown as absent, never guessed. *out (NUL-terminated, *out_len bytes without
 * the NUL) is malloc'd and owned by the caller; set only on CSF_OK.
 * ex (may be NULL) receives progress as stage "report"; its callback can
 * cancel (CSF_ERR_CANCELLED). The page does not depend on ex.
 * Errors: CSF_ERR_FORMAT when analysis_json (or truth_json) is not a JSON
 * object, CSF_ERR_NOMEM, CSF_ERR_CANCELLED. */
csf_status csf_report_html_build(const char *analysis_json, const csf_volume *vol,
                                 const csf_report_opts *opts, const csf_exec *ex, char **out,
                                 size_t *out_len, csf_error *err);

/* The same, written atomically to `path` (temp file + rename). This is the
 * one call `csfleak analyze --html FILE` needs: pass the analysis JSON text it
 * is about to write (e.g. cJSON_PrintUnformatted) and the loaded volume.
 * Errors as above plus CSF_ERR_IO naming the path. */
csf_status csf_report_html_write(const char *path, const char *analysis_json,
                                 const csf_volume *vol, const csf_report_opts *opts,
                                 const csf_exec *ex, csf_error *err);

/* Input file `index` the analysis records (input.files[index]; several are the
 * stations of one spine) copied into buf (NUL-terminated); *count (may be
 * NULL) receives how many files it records. CSF_ERR_FORMAT when the JSON is
 * malformed or records no such file; CSF_ERR_INVALID_ARG when buf is too small. */
csf_status csf_report_input_path(const char *analysis_json, size_t index, char *buf, size_t n,
                                 size_t *count, csf_error *err);

#endif
