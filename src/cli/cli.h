#ifndef CSFLEAK_CLI_H
#define CSFLEAK_CLI_H
/* Shared pieces of the csfleak command-line program (src/cli only). */
#include <stdio.h>
#include "csfleak/error.h"
#include "csfleak/exec.h"

/* Documented exit codes (docs/cli.md). */
enum csf_exit { CSF_EXIT_OK = 0, CSF_EXIT_USAGE = 1, CSF_EXIT_BAD_INPUT = 2, CSF_EXIT_INTERNAL = 3 };

/* One subcommand: argv[0] is the command name. */
typedef int (*csf_cmd_fn)(int argc, char **argv);

/* Options every command understands; filled by csf_cli_common_opt. */
typedef struct csf_cli_common {
    int threads; /* 0 = all cores */
    int quiet;
} csf_cli_common;

/* If argv[*i] is --threads N / --threads=N / --quiet / -q, consumes it (advancing *i)
 * and returns 1; returns -1 after printing a usage error; 0 when not a common option. */
int csf_cli_common_opt(csf_cli_common *c, int argc, char **argv, int *i);
/* Execution context with a stderr progress line when stderr is a terminal and
 * not quiet, and warnings printed to stderr unless quiet. */
csf_status csf_cli_exec(const csf_cli_common *c, csf_exec **out, csf_error *err);
/* Maps a library status to an exit code and prints "csfleak: msg" to stderr. */
int csf_cli_fail(const char *cmd, const csf_error *err);
/* Prints "csfleak CMD: msg" and returns CSF_EXIT_USAGE. */
int csf_cli_usage_error(const char *cmd, const char *fmt, ...) CSF_PRINTF(2, 3);
#if defined(__clang_analyzer__)
/* For the analyzer only, as csf_error_set in csfleak/error.h: it cannot see the other
 * translation unit, and would explore `return csf_cli_usage_error(...)` as a success. */
#define csf_cli_usage_error(cmd, ...) (csf_cli_usage_error((cmd), __VA_ARGS__), CSF_EXIT_USAGE)
#endif
/* Strict integer / float parsing: whole string, range-checked. 0 on success. */
int csf_cli_parse_int(const char *s, long lo, long hi, long *out);
int csf_cli_parse_double(const char *s, double *out);
/* Is this a help flag? */
int csf_cli_is_help(const char *arg);

#endif
