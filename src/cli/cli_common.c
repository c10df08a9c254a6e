#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#undef csf_cli_usage_error /* the analyzer-only model in cli.h; this is the definition */

int csf_cli_parse_int(const char *s, long lo, long hi, long *out)
{
    if (s == NULL || *s == '\0')
        return -1;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int csf_cli_parse_double(const char *s, double *out)
{
    if (s == NULL || *s == '\0')
        return -1;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || *end != '\0' || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int csf_cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int csf_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "csfleak %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'csfleak %s --help')\n", cmd);
    va_end(ap);
    return CSF_EXIT_USAGE;
}

int csf_cli_common_opt(csf_cli_common *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
        c->quiet = 1;
        return 1;
    }
    const char *val = NULL;
    if (strcmp(a, "--threads") == 0 || strcmp(a, "-j") == 0) {
        if (*i + 1 >= argc) {
            csf_cli_usage_error(argv[0], "%s needs a number", a);
            return -1;
        }
        val = argv[++*i];
    } else if (strncmp(a, "--threads=", 10) == 0) {
        val = a + 10;
    } else {
        return 0;
    }
    long n;
    if (csf_cli_parse_int(val, 0, 1024, &n) != 0) {
        csf_cli_usage_error(argv[0], "--threads wants 0..1024 (0 = all cores), got '%s'", val);
        return -1;
    }
    c->threads = (int)n;
    return 1;
}

typedef struct cli_progress {
    int tty;
    const char *last_stage;
    int last_pct;
} cli_progress;

static cli_progress g_progress_state; /* one progress line per process */

static int on_progress(void *user, const char *stage, double frac)
{
    cli_progress *p = user;
    int pct = (int)(frac * 100.0 + 0.5);
    if (stage == p->last_stage && pct == p->last_pct)
        return 0;
    p->last_stage = stage;
    p->last_pct = pct;
    fprintf(stderr, "\r\033[K%s %3d%%", stage, pct);
    if (pct >= 100)
        fputc('\n', stderr);
    fflush(stderr);
    return 0;
}

static void on_log(void *user, int level, const char *msg)
{
    (void)user;
    if (level >= CSF_LOG_WARN)
        fprintf(stderr, "csfleak: warning: %s\n", msg);
}

csf_status csf_cli_exec(const csf_cli_common *c, csf_exec **out, csf_error *err)
{
    csf_status st = csf_exec_new(c->threads, out, err);
    if (st != CSF_OK)
        return st;
    if (!c->quiet) {
        csf_exec_set_log(*out, on_log, NULL);
        if (isatty(STDERR_FILENO)) {
            g_progress_state.tty = 1;
            csf_exec_set_progress(*out, on_progress, &g_progress_state);
        }
    }
    return CSF_OK;
}

int csf_cli_fail(const char *cmd, const csf_error *err)
{
    const char *msg = err && err->msg[0] ? err->msg : csf_status_str(err ? err->code : CSF_ERR_INTERNAL);
    fprintf(stderr, "csfleak %s: %s\n", cmd, msg);
    switch (err ? err->code : CSF_ERR_INTERNAL) {
    case CSF_OK: return CSF_EXIT_OK;
    case CSF_ERR_INVALID_ARG: return CSF_EXIT_USAGE;
    case CSF_ERR_IO:
    case CSF_ERR_FORMAT:
    case CSF_ERR_UNSUPPORTED:
    case CSF_ERR_EXTERNAL: return CSF_EXIT_BAD_INPUT;
    case CSF_ERR_CANCELLED:
    case CSF_ERR_NOMEM:
    case CSF_ERR_INTERNAL: return CSF_EXIT_INTERNAL;
    }
    return CSF_EXIT_INTERNAL;
}
