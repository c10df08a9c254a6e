#ifndef CSFLEAK_ANALYSIS_JSON_H
#define CSFLEAK_ANALYSIS_JSON_H
/* The "csfleak.analysis/1" JSON document of `csfleak analyze` (schema:
 * docs/analyze.md). */
#include <stddef.h>
#include "csfleak/detect.h"
#include "csfleak/error.h"
#include "csfleak/io.h"
#include "csfleak/spine.h"

/* One analysed input (station); every pointer is borrowed. */
typedef struct csf_station_result {
    const char *path;
    const csf_volume *vol;
    const csf_io_source *src;   /* may be NULL */
    const csf_spine *spine;
    const csf_analysis *analysis;
    double read_ms;
    double classify_ms;
    const char *const *merged_from; /* nmerged > 1: the input files merged into this volume */
    size_t nmerged;
} csf_station_result;

/* Builds the document; warnings (may be NULL) are copied into "warnings".
 * *out is a malloc'd NUL-terminated string the caller frees. */
csf_status csf_analysis_json(const csf_station_result *st, size_t n, const char *const *warnings,
                             size_t nwarn, double total_ms, char **out, csf_error *err);

#endif
