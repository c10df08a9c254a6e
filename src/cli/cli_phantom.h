#ifndef CSFLEAK_CLI_PHANTOM_H
#define CSFLEAK_CLI_PHANTOM_H
/* Phantom output shared by `phantom`, `phantom-suite` and `demo` (src/cli only). */
#include <stdint.h>
#include "csfleak/error.h"
#include "csfleak/exec.h"
#include "csfleak/phantom.h"

typedef struct csf_cli_phantom_out {
    const char *image;  /* OUT.nii.gz; with two stations OUT_st1.nii.gz, OUT_st2.nii.gz */
    const char *truth;  /* truth JSON */
    const char *labels; /* optional label map, same naming */
} csf_cli_phantom_out;

/* Renders every station and writes images, labels and truth. Returns 0 on
 * success, -1 with err set. Prints one summary line unless quiet. */
int csf_cli_phantom_write(const csf_phantom_spec *spec, const csf_cli_phantom_out *out,
                          const csf_exec *ex, int quiet, csf_error *err);
/* Whole decimal uint64; 0 on success. */
int csf_cli_parse_seed(const char *s, uint64_t *out);
/* "dir/a.nii.gz", station 1 -> "dir/a_st2.nii.gz" (0-based station); buf >= 1024. */
int csf_cli_station_path(const char *path, size_t station, size_t nstations, char *buf, size_t len);

#endif
