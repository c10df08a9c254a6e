/* csfleak sih report: mine free-text reports (files, or a CSV column) and
 * print "csfleak.sih-report/1" JSON, one line per report in batch mode. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csfleak/atomic.h"
#include "sih_cli.h"

static void help(void)
{
    printf("usage: csfleak sih report FILE... [--json OUT] [--pretty]\n"
           "       csfleak sih report --csv FILE --column NAME [--id-column NAME] [--json OUT]\n\n"
           "Extracts SIH signs from free-text radiology reports (brain/spine MRI, myelography)\n"
           "with negation and uncertainty, measured values and the text span of each finding,\n"
           "and the Bern items they fill (schema csfleak.sih-report/1, docs/sih.md).\n"
           "  FILE...          plain-text reports; one file prints one JSON document,\n"
           "                   several print one JSON line each\n"
           "  --csv FILE       a CSV with a header row (quoted fields may span lines)\n"
           "  --column NAME    the column holding the report text (name or 1-based number)\n"
           "  --id-column NAME a column copied to \"id\" (default: FILE:LINE)\n"
           "  --json OUT       write the output to OUT atomically instead of stdout\n"
           "  --pretty         indent a single document\n"
           "Exit: 0 ok, 1 usage, 2 unreadable or malformed input. Research use only.\n");
}

typedef struct rep_ctx {
    csf_sih_miner *m;
    csf_sih_mined res;
    FILE *out;
    int pretty;
} rep_ctx;

static csf_status emit(rep_ctx *x, const char *text, size_t len, const char *id, csf_error *err)
{
    if (csf_sih_mine(x->m, text, len, &x->res, err) != CSF_OK)
        return err ? err->code : CSF_ERR_NOMEM;
    char *s = csf_sih_report_json(&x->res, text, id, x->pretty);
    if (!s)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory writing JSON");
    fputs(s, x->out);
    fputc('\n', x->out);
    free(s);
    return CSF_OK;
}

static long find_column(char **f, size_t nf, const char *want)
{
    long idx;
    if (csf_cli_parse_int(want, 1, 100000, &idx) == 0)
        return idx - 1;
    for (size_t i = 0; i < nf; i++)
        if (strcmp(f[i], want) == 0)
            return (long)i;
    return -1;
}

static csf_status run_csv(rep_ctx *x, const char *path, const char *col, const char *idcol, csf_error *err)
{
    csf_csv *c = NULL;
    if (csf_csv_open(path, &c, err) != CSF_OK)
        return err ? err->code : CSF_ERR_IO;
    char **f;
    size_t *len, nf;
    csf_status st = csf_csv_next(c, &f, &len, &nf, err);
    long tc = -1, ic = -1;
    if (st == CSF_OK && nf == 0)
        st = csf_error_set(err, CSF_ERR_FORMAT, "%s:1: empty file, expected a header row", path);
    if (st == CSF_OK && (tc = find_column(f, nf, col)) < 0)
        st = csf_error_set(err, CSF_ERR_FORMAT, "%s:1: no column '%s' in the header", path, col);
    if (st == CSF_OK && idcol && (ic = find_column(f, nf, idcol)) < 0)
        st = csf_error_set(err, CSF_ERR_FORMAT, "%s:1: no column '%s' in the header", path, idcol);
    while (st == CSF_OK) {
        st = csf_csv_next(c, &f, &len, &nf, err);
        if (st != CSF_OK || nf == 0)
            break;
        size_t line = csf_csv_record_line(c);
        if (nf == 1 && len[0] == 0)
            continue; /* blank line */
        if ((size_t)tc >= nf || (ic >= 0 && (size_t)ic >= nf)) {
            st = csf_error_set(err, CSF_ERR_FORMAT, "%s:%zu: row has %zu fields, column '%s' is number %ld", path,
                               line, nf, (size_t)tc >= nf ? col : idcol, ((size_t)tc >= nf ? tc : ic) + 1);
            break;
        }
        char idbuf[600];
        const char *id = idbuf;
        if (ic >= 0)
            id = f[ic];
        else
            snprintf(idbuf, sizeof idbuf, "%s:%zu", path, line);
        st = emit(x, f[tc], len[tc], id, err);
    }
    csf_csv_close(c);
    return st;
}

static csf_status run_files(rep_ctx *x, char **files, int n, csf_error *err)
{
    for (int i = 0; i < n; i++) {
        char *txt = NULL;
        size_t len = 0;
        if (sih_read_file(files[i], &txt, &len, err) != CSF_OK)
            return err ? err->code : CSF_ERR_IO;
        csf_status st = emit(x, txt, len, files[i], err);
        free(txt);
        if (st != CSF_OK)
            return st;
    }
    return CSF_OK;
}

typedef struct rep_args {
    const char *csv, *col, *idcol, *json;
    int pretty, nfiles;
    char **files;
} rep_args;

static int parse(int argc, char **argv, rep_args *a, int *done)
{
    csf_cli_common common = {0};
    *done = 0;
    a->files = calloc((size_t)argc, sizeof *a->files);
    if (!a->files)
        return CSF_EXIT_INTERNAL;
    for (int i = 1; i < argc; i++) {
        int r = csf_cli_common_opt(&common, argc, argv, &i);
        if (r < 0)
            return CSF_EXIT_USAGE;
        if (r > 0)
            continue;
        const char *s = argv[i];
        const char **slot = strcmp(s, "--csv") == 0 ? &a->csv : strcmp(s, "--column") == 0 ? &a->col
                          : strcmp(s, "--id-column") == 0 ? &a->idcol : strcmp(s, "--json") == 0 ? &a->json : NULL;
        if (csf_cli_is_help(s)) {
            help();
            *done = 1;
            return CSF_EXIT_OK;
        } else if (slot) {
            if (i + 1 >= argc)
                return csf_cli_usage_error("sih report", "option '%s' needs a value", s);
            *slot = argv[++i];
        } else if (strcmp(s, "--pretty") == 0) {
            a->pretty = 1;
        } else if (s[0] == '-' && s[1] != '\0') {
            return csf_cli_usage_error("sih report", "unknown option '%s'", s);
        } else {
            a->files[a->nfiles++] = argv[i];
        }
    }
    if (!a->csv && a->nfiles == 0)
        return csf_cli_usage_error("sih report", "give report files or --csv FILE --column NAME");
    if (a->csv && (a->nfiles > 0 || !a->col))
        return csf_cli_usage_error("sih report", "--csv needs --column and takes no report files");
    if (!a->csv && (a->col || a->idcol))
        return csf_cli_usage_error("sih report", "--column and --id-column need --csv");
    return CSF_EXIT_OK;
}

int sih_cmd_report(int argc, char **argv)
{
    rep_args a = {0};
    int done;
    int rc = parse(argc, argv, &a, &done);
    if (rc != CSF_EXIT_OK || done) {
        free(a.files);
        return rc;
    }
    csf_error err = {0};
    rep_ctx x = {0};
    x.pretty = a.pretty && !a.csv && a.nfiles == 1;
    csf_atomic_file af;
    x.out = stdout;
    csf_status st = csf_sih_miner_new(&x.m, &err);
    if (st == CSF_OK && a.json && (st = csf_atomic_open(&af, a.json, &err)) == CSF_OK)
        x.out = af.fp;
    if (st == CSF_OK)
        st = a.csv ? run_csv(&x, a.csv, a.col, a.idcol, &err) : run_files(&x, a.files, a.nfiles, &err);
    if (a.json && x.out != stdout) {
        if (st == CSF_OK)
            st = csf_atomic_commit(&af, &err);
        else
            csf_atomic_abort(&af);
    }
    csf_sih_mined_release(&x.res);
    csf_sih_miner_free(x.m);
    free(a.files);
    return st == CSF_OK ? CSF_EXIT_OK : csf_cli_fail("sih report", &err);
}
