#ifndef CSFLEAK_ANALYZE_CLI_H
#define CSFLEAK_ANALYZE_CLI_H
/* Shared by cmd_analyze.c and analyze_run.c (src/cli only). */
#include "cli.h"
#include "csfleak/analysis_json.h"

typedef struct csf_analyze_args {
    csf_cli_common common;
    const char *inputs[8];
    int ninputs;
    const char *json, *html, *labels, *png_dir, *levels;
} csf_analyze_args;

typedef struct csf_analyze_run {
    csf_station_result st[8];
    csf_volume *vol[8];
    csf_io_source src[8];
    csf_spine *spine[8];
    csf_analysis *analysis[8];
    size_t n;
    int merged;              /* 1: the 3D stations were merged into vol[0] (one world grid) */
    char warn[16][256];
    const char *warnp[16];
    size_t nwarn;
    /* vol[0]'s projections along x, y, z (csf_img_mip3) once the PNGs are made:
     * the report's full-volume views reuse them instead of reading the volume twice more */
    csf_volume *mip[3];
} csf_analyze_run;

/* Reads, analyses and writes the outputs; returns an exit code (messages on stderr). */
int csf_analyze_execute(const csf_analyze_args *a, csf_analyze_run *run, const csf_exec *ex,
                        csf_error *err);
void csf_analyze_release(csf_analyze_run *run);
/* Coronal and sagittal MIP PNGs with findings outlined, into dir; keeps vol[0]'s
 * projections in run->mip (freed by csf_analyze_release). */
csf_status csf_analyze_pngs(csf_analyze_run *run, const char *dir, csf_error *err);

#endif
