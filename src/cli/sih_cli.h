#ifndef CSFLEAK_SIH_CLI_H
#define CSFLEAK_SIH_CLI_H
/* Shared by the `csfleak sih` subcommand files (src/cli only). */
#include <stddef.h>

#include "csfleak/sih.h"

typedef struct sih_opts {
    csf_sih_case c;
    csf_tri item[CSF_BERN_NITEMS];
    double item_mm[CSF_BERN_NITEMS]; /* NAN unless given in mm */
    int bern_total;                  /* -1 unless --bern N */
    int brain_given, spine_given;
    const char *landmarks;           /* file, or NULL */
    char landmarks_buf[1024];
    const char *json_out;            /* file, "-" = stdout, NULL = none */
    int workup;                      /* workup options allowed */
} sih_opts;

void sih_opts_init(sih_opts *o, int workup);
/* One option by name without dashes ("pachy", "slec-extent") and its value. */
csf_status sih_set_opt(sih_opts *o, const char *name, const char *val, csf_error *err);
/* Every key of a JSON object file as an option ("slec_extent" = --slec-extent). */
csf_status sih_read_input(sih_opts *o, const char *path, csf_error *err);
/* Whole file into a NUL-terminated buffer (caller frees). */
csf_status sih_read_file(const char *path, char **buf, size_t *len, csf_error *err);
/* Writes text to `path` atomically, or to stdout for "-". */
csf_status sih_write_out(const char *path, const char *text, csf_error *err);
/* Bern result from items or --bern N. */
void sih_opts_bern(const sih_opts *o, csf_bern_result *b);

/* Parses --name value pairs, --input and --json; *done = 1 after --help. */
int sih_parse_args(sih_opts *o, const char *cmd, int argc, char **argv, void (*helpfn)(void), int *done);

int sih_cmd_score(int argc, char **argv);
int sih_cmd_workup(int argc, char **argv);
int sih_cmd_report(int argc, char **argv);
int sih_cmd_rules(int argc, char **argv);

#endif
