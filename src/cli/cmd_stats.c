/* csfleak stats: reader-study statistics on a READS.csv (docs/stats.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "stats_out.h"

static void help(void)
{
    printf("usage: csfleak stats READS.csv [--reference NAME | --truth TRUTH.csv]\n"
           "                    [--threshold G] [--by-region] [--ci wald|wilson|exact]\n"
           "                    [--json FILE] [--quiet]\n\n"
           "Reader-study statistics: per reader sensitivity, specificity, accuracy, PPV,\n"
           "NPV and likelihood ratios with 95%% confidence intervals; Cohen's kappa\n"
           "(unweighted, linear, quadratic) and McNemar's test for every pair of readers;\n"
           "Fleiss' kappa; ROC points and AUC with a DeLong 95%% interval.\n\n"
           "  READS.csv          columns case, reader, value (grade 0-%d, 0/1, yes/no,\n"
           "                     positive/negative); optional region, group; any order\n"
           "  --truth FILE       reference standard: columns case, truth (optional region)\n"
           "  --reference NAME   use reader NAME's calls as the reference instead\n"
           "  --threshold G      a read is positive when its grade >= G (default 1)\n"
           "  --by-region        score each (case, region) instead of each case (a case\n"
           "                     is otherwise positive when any of its regions is)\n"
           "  --ci METHOD        interval shown in the table (default wilson); the JSON\n"
           "                     always has all three\n"
           "  --json FILE        write all figures as JSON (docs/stats.md)\n"
           "  --quiet            no terminal table (errors are still printed)\n\n"
           "Exit codes: 0 ok, 1 usage, 2 bad input. Research use only: not for diagnosis.\n",
           CSF_READS_MAX_GRADE);
}

typedef struct stats_args {
    stats_run run;
    const char *json;
    int quiet;
} stats_args;

/* Value of an option given as "--opt VALUE" or "--opt=VALUE"; NULL when argv[*i] is
 * not that option; *missing set when the value is absent. */
static const char *opt_value(const char *opt, int argc, char **argv, int *i, int *missing)
{
    size_t n = strlen(opt);
    if (strncmp(argv[*i], opt, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

/* Returns -1 to continue, else an exit code. */
static int parse_args(int argc, char **argv, stats_args *a)
{
    csf_cli_common common = {0};
    for (int i = 1; i < argc; i++) {
        int r = csf_cli_common_opt(&common, argc, argv, &i), missing = 0;
        if (r < 0)
            return CSF_EXIT_USAGE;
        if (r > 0)
            continue;
        const char *v;
        if (csf_cli_is_help(argv[i])) {
            help();
            return CSF_EXIT_OK;
        } else if ((v = opt_value("--truth", argc, argv, &i, &missing)) != NULL) {
            a->run.truth_path = v;
        } else if ((v = opt_value("--reference", argc, argv, &i, &missing)) != NULL) {
            a->run.reference = v;
        } else if ((v = opt_value("--json", argc, argv, &i, &missing)) != NULL) {
            a->json = v;
        } else if ((v = opt_value("--threshold", argc, argv, &i, &missing)) != NULL) {
            long t;
            if (csf_cli_parse_int(v, 0, CSF_READS_MAX_GRADE, &t) != 0)
                return csf_cli_usage_error("stats", "--threshold wants a grade 0..%d, got '%s'",
                                           CSF_READS_MAX_GRADE, v);
            a->run.threshold = (int)t;
        } else if ((v = opt_value("--ci", argc, argv, &i, &missing)) != NULL) {
            if (csf_ci_method_parse(v, &a->run.ci_shown) != 0)
                return csf_cli_usage_error("stats", "--ci wants wald, wilson or exact, got '%s'", v);
        } else if (strcmp(argv[i], "--by-region") == 0) {
            a->run.by_region = 1;
        } else if (missing) {
            return csf_cli_usage_error("stats", "%s needs a value", argv[i]);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return csf_cli_usage_error("stats", "unknown option '%s'", argv[i]);
        } else if (a->run.reads_path != NULL) {
            return csf_cli_usage_error("stats", "one READS.csv only (got '%s' and '%s')",
                                       a->run.reads_path, argv[i]);
        } else {
            a->run.reads_path = argv[i];
        }
    }
    a->quiet = common.quiet;
    if (a->run.reads_path == NULL)
        return csf_cli_usage_error("stats", "missing READS.csv");
    if (a->run.truth_path != NULL && a->run.reference != NULL)
        return csf_cli_usage_error("stats", "--truth and --reference exclude each other");
    return -1;
}

/* Truth per unit and the reference reader index ((size_t)-1 when none). */
static csf_status load_truth(const stats_args *a, const csf_reads *reads, int **truth,
                             size_t *reference, csf_error *err)
{
    *truth = NULL;
    *reference = (size_t)-1;
    if (a->run.truth_path != NULL)
        return csf_reads_truth_file(reads, a->run.truth_path, truth, err);
    if (a->run.reference == NULL)
        return CSF_OK;
    long r = csf_reads_reader(reads, a->run.reference);
    if (r < 0)
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s': no reader named '%s' for --reference",
                             reads->source, a->run.reference);
    *reference = (size_t)r;
    return csf_reads_truth_reader(reads, (size_t)r, a->run.threshold, truth, err);
}

int cmd_stats(int argc, char **argv)
{
    stats_args a = {.run = {.threshold = 1, .level = 0.95, .ci_shown = CSF_CI_WILSON}};
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    csf_error err = {0};
    csf_reads *reads = NULL;
    int *truth = NULL;
    size_t reference;
    csf_study *study = NULL;
    csf_status st = csf_reads_load(a.run.reads_path, a.run.by_region ? CSF_READS_BY_REGION : 0,
                                   &reads, &err);
    if (st == CSF_OK)
        st = load_truth(&a, reads, &truth, &reference, &err);
    if (st == CSF_OK)
        st = csf_study_run(reads, truth, reference, a.run.threshold, a.run.level, &study, &err);
    if (st == CSF_OK && truth != NULL)
        for (size_t u = 0; u < reads->nunits; u++)
            a.run.units_with_truth += truth[u] >= 0;
    if (st == CSF_OK && a.json != NULL)
        st = stats_write_json(a.json, &a.run, reads, study, &err);
    if (st == CSF_OK && !a.quiet)
        stats_print(stdout, &a.run, reads, study);
    rc = st == CSF_OK ? CSF_EXIT_OK : csf_cli_fail("stats", &err);
    csf_study_free(study);
    free(truth);
    csf_reads_free(reads);
    return rc;
}
