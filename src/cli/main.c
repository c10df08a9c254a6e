/* csfleak: git-style dispatch. Each subcommand lives in cmd_<name>.c and uses
 * only the public API in include/csfleak/. A command whose file is not part of
 * this build (weak symbol left NULL) is simply not offered. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define CSF_WEAK __attribute__((weak))
int cmd_info(int argc, char **argv) CSF_WEAK;
int cmd_demo(int argc, char **argv) CSF_WEAK;
int cmd_phantom(int argc, char **argv) CSF_WEAK;
int cmd_phantom_suite(int argc, char **argv) CSF_WEAK;
int cmd_analyze(int argc, char **argv) CSF_WEAK;
int cmd_evaluate(int argc, char **argv) CSF_WEAK;
int cmd_report(int argc, char **argv) CSF_WEAK;
int cmd_stats(int argc, char **argv) CSF_WEAK;
int cmd_sih(int argc, char **argv) CSF_WEAK;
int cmd_dynamic(int argc, char **argv) CSF_WEAK;
int cmd_batch(int argc, char **argv) CSF_WEAK;
int cmd_convert(int argc, char **argv) CSF_WEAK;

typedef struct csf_command {
    const char *name;
    csf_cmd_fn fn;
    const char *summary;
} csf_command;

static const csf_command *commands(size_t *n)
{
    /* not static const: weak addresses are link-time constants, but keep it simple */
    static csf_command table[] = {
        {"info", NULL, "print dimensions, voxel size, orientation and intensities of volumes"},
        {"analyze", NULL, "detect and grade spinal CSF leaks on MR myelography"},
        {"report", NULL, "write the HTML report of a saved analysis"},
        {"evaluate", NULL, "compare analysis JSONs with phantom truth"},
        {"phantom", NULL, "write a synthetic MR myelogram with known findings"},
        {"phantom-suite", NULL, "write a balanced set of phantoms for benchmarks"},
        {"dynamic", NULL, "find the first extrathecal contrast in a time-resolved study"},
        {"stats", NULL, "reader-study statistics: accuracy with CIs, kappa, AUC"},
        {"sih", NULL, "Bern score, ICHD-3 work-up logic and report mining"},
        {"batch", NULL, "analyse a cohort of studies, resumable, locally or on Slurm"},
        {"convert", NULL, "convert a volume or DICOM series to canonical NIfTI"},
        {"demo", NULL, "run the main job on a built-in example"},
    };
    csf_cmd_fn fns[] = {cmd_info,   cmd_analyze,       cmd_report,  cmd_evaluate,
                        cmd_phantom, cmd_phantom_suite, cmd_dynamic, cmd_stats,
                        cmd_sih,    cmd_batch,         cmd_convert, cmd_demo};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        table[i].fn = fns[i];
    *n = sizeof table / sizeof table[0];
    return table;
}

static void usage(FILE *fp)
{
    size_t n;
    const csf_command *cmds = commands(&n);
    fprintf(fp, "usage: csfleak <command> [options]\n"
                "       csfleak --help | --version | <command> --help\n\n"
                "csfleak finds and grades spinal CSF leaks on MR myelography.\n"
                "Research use only: not for diagnosis.\n\ncommands:\n");
    for (size_t i = 0; i < n; i++)
        if (cmds[i].fn != NULL)
            fprintf(fp, "  %-14s %s\n", cmds[i].name, cmds[i].summary);
    fprintf(fp, "\ncommon options: --threads N (default: all cores), --quiet\n"
                "exit codes: 0 ok, 1 usage error, 2 bad input, 3 internal error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CSF_EXIT_USAGE;
    }
    if (csf_cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CSF_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("csfleak %s\n", CSF_VERSION);
        return CSF_EXIT_OK;
    }
    size_t n;
    const csf_command *cmds = commands(&n);
    for (size_t i = 0; i < n; i++)
        if (cmds[i].fn != NULL && strcmp(cmds[i].name, argv[1]) == 0)
            return cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "csfleak: '%s' is not a csfleak command (see 'csfleak --help')\n", argv[1]);
    return CSF_EXIT_USAGE;
}
