#ifndef CSFLEAK_ATOMIC_H
#define CSFLEAK_ATOMIC_H
/* Outputs appear whole or not at all: write to a temp file in the target's
 * directory, then rename over the target. */
#include <stddef.h>
#include <stdio.h>
#include "csfleak/error.h"

typedef struct csf_atomic_file {
    FILE *fp;          /* write here */
    char path[4096];   /* final path */
    char tmp[4096];    /* temp path in the same directory */
} csf_atomic_file;

/* Opens a temp file beside `path`; on failure nothing is left behind. */
csf_status csf_atomic_open(csf_atomic_file *af, const char *path, csf_error *err);
/* Flushes, closes and renames onto the final path. On any failure the
 * temp file is removed and the target is left untouched. */
csf_status csf_atomic_commit(csf_atomic_file *af, csf_error *err);
/* Closes and removes the temp file; safe to call after a failed commit. */
void csf_atomic_abort(csf_atomic_file *af);
/* Whole buffer to `path` atomically. */
csf_status csf_atomic_write(const char *path, const void *data, size_t len,
                            csf_error *err);

#endif
