/* csfleak demo: the main job on a built-in example, as a user would run it:
 * a phantom with known leaks, `analyze`, then the HTML `report` with the truth. */
#include <stdio.h>
#include <string.h>

#include <errno.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_phantom.h"
#include <stdint.h>

static void help(void)
{
    printf("usage: csfleak demo [-o DIR] [--threads N] [--quiet]\n\n"
           "Writes a built-in whole-spine phantom with known leaks into DIR (default\n"
           "csfleak-demo), analyses it, writes the HTML report with the truth panel and\n"
           "prints where everything is. Research use only: not for diagnosis.\n");
}

/* The built-in example: a whole-spine 3D phantom with a grade-2 leak at T7 left,
 * a grade-1 leak at L2 right and an incidental sacral Tarlov cyst. */
static int demo_phantom(const char *outdir, const csf_cli_common *common, csf_error *err)
{
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        csf_error_set(err, CSF_ERR_IO, "cannot create directory '%s'", outdir);
        return -1;
    }
    char img[1024], truth[1024];
    if (snprintf(img, sizeof img, "%s/demo_phantom.nii.gz", outdir) >= (int)sizeof img ||
        snprintf(truth, sizeof truth, "%s/demo_truth.json", outdir) >= (int)sizeof truth) {
        csf_error_set(err, CSF_ERR_INVALID_ARG, "output directory '%s' is too long", outdir);
        return -1;
    }
    csf_phantom_spec spec;
    csf_phantom_spec_init(&spec, 2026);
    spec.nleaks = 2;
    spec.leaks[0] = (csf_phantom_leak){csf_phantom_level_index("T7"), CSF_PH_LEFT, 2};
    spec.leaks[1] = (csf_phantom_leak){csf_phantom_level_index("L2"), CSF_PH_RIGHT, 1};
    spec.ncysts = 1;
    spec.cysts[0] = (csf_phantom_cyst){csf_phantom_level_index("S2"), CSF_PH_LEFT, 12};
    csf_exec *ex = NULL;
    if (csf_cli_exec(common, &ex, err) != CSF_OK)
        return -1;
    csf_cli_phantom_out out = {img, truth, NULL};
    int rc = csf_cli_phantom_write(&spec, &out, ex, common->quiet, err);
    csf_exec_free(ex);
    return rc;
}

int cmd_analyze(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* Runs another subcommand with a composed argument list, exactly as a user would. */
static int run_cmd(int (*fn)(int, char **), const char *const *args, int n)
{
    char *argv[16];
    for (int i = 0; i < n && i < 16; i++)
        argv[i] = (char *)(uintptr_t)args[i]; /* subcommands never write into argv */
    return fn(n, argv);
}

int cmd_demo(int argc, char **argv)
{
    csf_cli_common common = {0};
    const char *outdir = "csfleak-demo";
    for (int i = 1; i < argc; i++) {
        int r = csf_cli_common_opt(&common, argc, argv, &i);
        if (r < 0)
            return CSF_EXIT_USAGE;
        if (r > 0)
            continue;
        if (csf_cli_is_help(argv[i])) {
            help();
            return CSF_EXIT_OK;
        }
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--out") == 0) && i + 1 < argc) {
            outdir = argv[++i];
            continue;
        }
        return csf_cli_usage_error("demo", "unknown option '%s'", argv[i]);
    }
    csf_error err = {0};
    if (!common.quiet)
        fprintf(stderr, "csfleak demo: writing a whole-spine phantom (leaks T7 left grade 2, "
                        "L2 right grade 1, sacral cyst)\n");
    if (demo_phantom(outdir, &common, &err) != 0)
        return csf_cli_fail("demo", &err);
    char img[1024], truth[1024], json[1024], png[1024], html[1024], threads[16];
    snprintf(img, sizeof img, "%s/demo_phantom.nii.gz", outdir);
    snprintf(truth, sizeof truth, "%s/demo_truth.json", outdir);
    snprintf(json, sizeof json, "%s/analysis.json", outdir);
    snprintf(png, sizeof png, "%s/key-images", outdir);
    snprintf(html, sizeof html, "%s/report.html", outdir);
    snprintf(threads, sizeof threads, "%d", common.threads);
    const char *an[] = {"analyze", img, "--json", json, "--png-dir", png, "--threads", threads, "--quiet"};
    int rc = run_cmd(cmd_analyze, an, common.quiet ? 9 : 8);
    if (rc != CSF_EXIT_OK)
        return rc;
    const char *rp[] = {"report", json, "--html", html, "--truth", truth, "--quiet"};
    rc = run_cmd(cmd_report, rp, 7);
    if (rc != CSF_EXIT_OK)
        return rc;
    printf("\ncsfleak demo: done (research use only, not for diagnosis)\n"
           "  phantom:    %s (truth: %s)\n"
           "  analysis:   %s\n"
           "  key images: %s/\n"
           "  report:     %s   <- open this in a browser\n",
           img, truth, json, png, html);
    return CSF_EXIT_OK;
}
