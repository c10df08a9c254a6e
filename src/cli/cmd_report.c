/* csfleak report: the self-contained HTML report of a saved analysis. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "csfleak/io.h"
#include "csfleak/report.h"

#define MAX_JSON_BYTES (64L << 20)
#define MAX_STATIONS 8

static void help(void)
{
    printf("usage: csfleak report ANALYSIS.json --html FILE [--input VOLUME]... [--truth TRUTH.json]\n"
           "                      [--no-images] [--threads N] [--quiet]\n\n"
           "Writes one self-contained HTML page (images inline, no network) from an analysis\n"
           "JSON (csfleak analyze --json) and the volume it was made from: verdict, key\n"
           "images with findings outlined, per-level table, sac width plot, grading scale.\n"
           "Research use only: not for diagnosis.\n\n"
           "  --html FILE      the page to write (atomically)\n"
           "  --input VOLUME   the analysed volume (NIfTI or DICOM directory); repeat it for\n"
           "                   the stations of one spine (merged on one grid); default: the\n"
           "                   files the analysis records, relative paths tried from the\n"
           "                   current directory, then from the analysis file's directory\n"
           "  --truth FILE     a phantom's truth JSON: adds a comparison panel\n"
           "  --no-images      do not read the volume; the page has no images\n");
}

/* Whole file as a NUL-terminated string; NULL with err set on failure. */
static char *slurp(const char *path, csf_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        csf_error_set(err, CSF_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    char *s = NULL;
    long n = -1;
    if (fseek(fp, 0, SEEK_END) == 0)
        n = ftell(fp);
    if (n < 0 || n > MAX_JSON_BYTES || fseek(fp, 0, SEEK_SET) != 0) {
        csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': not a regular file under 64 MB",
                      path);
    } else if ((s = malloc((size_t)n + 1)) == NULL) {
        csf_error_set(err, CSF_ERR_NOMEM, "cannot read '%s': out of memory", path);
    } else if (fread(s, 1, (size_t)n, fp) != (size_t)n) {
        csf_error_set(err, CSF_ERR_IO, "cannot read '%s': short read", path);
        free(s);
        s = NULL;
    } else {
        s[n] = '\0';
    }
    fclose(fp);
    return s;
}

/* A relative recorded path is tried as given, then beside the analysis file. */
static void resolve_input(const char *recorded, const char *analysis, char *out, size_t n)
{
    snprintf(out, n, "%s", recorded);
    if (recorded[0] == '/' || access(recorded, F_OK) == 0)
        return;
    const char *slash = strrchr(analysis, '/');
    if (slash == NULL)
        return;
    char alt[4096];
    int len = snprintf(alt, sizeof alt, "%.*s/%s", (int)(slash - analysis), analysis, recorded);
    if (len > 0 && (size_t)len < sizeof alt && access(alt, F_OK) == 0)
        snprintf(out, n, "%s", alt);
}

typedef struct report_args {
    const char *analysis, *html, *truth;
    const char *input[MAX_STATIONS];
    size_t ninput;
    int no_images;
    csf_cli_common common;
} report_args;

/* 0 ok, -1 usage error printed, 1 help printed. */
static int parse_args(int argc, char **argv, report_args *a)
{
    for (int i = 1; i < argc; i++) {
        int r = csf_cli_common_opt(&a->common, argc, argv, &i);
        if (r < 0)
            return -1;
        if (r > 0)
            continue;
        const char *o = argv[i];
        if (csf_cli_is_help(o)) {
            help();
            return 1;
        }
        if (strcmp(o, "--input") == 0 && a->ninput == MAX_STATIONS) {
            csf_cli_usage_error("report", "at most %d --input volumes", MAX_STATIONS);
            return -1;
        }
        const char **slot = strcmp(o, "--html") == 0    ? &a->html
                            : strcmp(o, "--input") == 0 ? &a->input[a->ninput++]
                            : strcmp(o, "--truth") == 0 ? &a->truth
                                                        : NULL;
        if (slot != NULL) {
            if (i + 1 >= argc) {
                csf_cli_usage_error("report", "%s needs a value", o);
                return -1;
            }
            *slot = argv[++i];
        } else if (strcmp(o, "--no-images") == 0) {
            a->no_images = 1;
        } else if (o[0] == '-' && o[1] != '\0') {
            csf_cli_usage_error("report", "unknown option '%s'", o);
            return -1;
        } else if (a->analysis == NULL) {
            a->analysis = o;
        } else {
            csf_cli_usage_error("report", "one analysis JSON only (got '%s' too)", o);
            return -1;
        }
    }
    if (a->analysis == NULL || a->html == NULL) {
        csf_cli_usage_error("report", "needs ANALYSIS.json and --html FILE");
        return -1;
    }
    return 0;
}

/* The volumes to show: --input, else the files the analysis records; several
 * are stations, merged on one grid. */
static csf_status read_volume(const report_args *a, const char *json, const csf_exec *ex,
                              char first[4096], csf_volume **vol, csf_error *err)
{
    char paths[MAX_STATIONS][4096];
    const char *p[MAX_STATIONS];
    size_t n = a->ninput;
    for (size_t i = 0; i < n; i++)
        p[i] = a->input[i];
    if (n == 0) {
        size_t count = 1;
        for (size_t i = 0; i < count && i < MAX_STATIONS; i++) {
            char rec[4096];
            if (csf_report_input_path(json, i, rec, sizeof rec, &count, err) != CSF_OK) {
                csf_error_prefix(err, "'%s' (pass --input or --no-images)", a->analysis);
                return err->code;
            }
            resolve_input(rec, a->analysis, paths[i], sizeof paths[i]);
            p[n++] = paths[i];
        }
    }
    snprintf(first, 4096, "%s", p[0]);
    if (n == 1)
        return csf_io_read(p[0], ex, vol, NULL, err);
    return csf_io_read_stations(p, n, ex, vol, err);
}

static int run(const report_args *a, csf_exec *ex, csf_error *err)
{
    char *json = slurp(a->analysis, err), *truth = NULL;
    csf_volume *vol = NULL;
    char input[4096] = "";
    int rc = CSF_EXIT_OK;
    if (json == NULL || (a->truth != NULL && (truth = slurp(a->truth, err)) == NULL))
        goto fail;
    if (!a->no_images && read_volume(a, json, ex, input, &vol, err) != CSF_OK)
        goto fail;
    csf_report_opts opts = {.truth_json = truth, .analysis_path = a->analysis,
                            .input_path = input[0] ? input : NULL};
    if (csf_report_html_write(a->html, json, vol, &opts, ex, err) != CSF_OK) {
        if (err->code == CSF_ERR_FORMAT)
            csf_error_prefix(err, "'%s'", strncmp(err->msg, "the truth", 9) == 0 && a->truth
                                              ? a->truth : a->analysis);
        goto fail;
    }
    if (!a->common.quiet)
        printf("%s\n", a->html);
    goto done;
fail:
    rc = csf_cli_fail("report", err);
done:
    csf_volume_free(vol);
    free(json);
    free(truth);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    report_args a = {0};
    int p = parse_args(argc, argv, &a);
    if (p != 0)
        return p > 0 ? CSF_EXIT_OK : CSF_EXIT_USAGE;
    csf_error err = {0};
    csf_exec *ex = NULL;
    if (csf_cli_exec(&a.common, &ex, &err) != CSF_OK)
        return csf_cli_fail("report", &err);
    int rc = run(&a, ex, &err);
    csf_exec_free(ex);
    return rc;
}
