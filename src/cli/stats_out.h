#ifndef CSFLEAK_CLI_STATS_OUT_H
#define CSFLEAK_CLI_STATS_OUT_H
/* Output of `csfleak stats` (src/cli only): terminal tables and the JSON file. */
#include <stdio.h>
#include "csfleak/stats.h"

/* What the run was asked to do, echoed in both outputs. */
typedef struct stats_run {
    const char *reads_path;
    const char *truth_path;  /* NULL unless --truth */
    const char *reference;   /* NULL unless --reference */
    int threshold;
    int by_region;
    double level;
    csf_ci_method ci_shown;  /* interval printed in the terminal table */
    size_t units_with_truth;
} stats_run;

/* Terminal report on fp. */
void stats_print(FILE *fp, const stats_run *run, const csf_reads *reads, const csf_study *s);
/* JSON document (docs/stats.md) written atomically to path. */
csf_status stats_write_json(const char *path, const stats_run *run, const csf_reads *reads,
                            const csf_study *s, csf_error *err);
#endif
