/* csfleak batch: a whole cohort, resumable, locally or as a Slurm array. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"

static void help(void)
{
    printf(
        "usage: csfleak batch INPUT -o OUTDIR [--jobs N] [--truth auto|DIR] [--retry-failed]\n"
        "                     [--timeout SEC] [--shard I/K] [--dry-run] [--quiet]\n"
        "       csfleak batch INPUT -o OUTDIR --slurm [--shards K] [--jobs N] [--partition P]\n"
        "                     [--time T] [--mem M] [--account A] [--wait] [--dry-run]\n"
        "       csfleak batch --merge OUTDIR\n\n"
        "Analyses every study of a cohort and writes one table. INPUT is a directory tree\n"
        "(NIfTI files and DICOM series directories, found recursively), a BIDS dataset\n"
        "(sub-*/[ses-*/]anat/*T2w*.nii[.gz]) or a CSV manifest (columns id, path, optional\n"
        "truth: a truth JSON or yes/no/grade). Per study: OUTDIR/<id>/analysis.json,\n"
        "report.html and MIP PNGs; for the cohort: cohort.csv, cohort.json, cohort.html.\n"
        "Each study runs in its own process: a failure is recorded and the batch goes on.\n"
        "A rerun skips studies already done on an unchanged input (size, mtime).\n\n"
        "  -o, --output DIR  output directory (created)\n"
        "  --jobs N          studies at once (default: all cores); results do not depend on it\n"
        "  --truth auto|DIR  truth JSONs: beside each input (<stem>.truth.json) or\n"
        "                    DIR/<id>.truth.json; adds sensitivity, specificity, grade kappa\n"
        "  --retry-failed    rerun studies that failed before (default: keep their record)\n"
        "  --timeout SEC     kill and record as failed a study running longer than SEC\n"
        "  --shard I/K       run only studies whose index mod K is I (no cohort outputs)\n"
        "  --merge           build the cohort outputs of OUTDIR from its study records\n"
        "  --slurm           submit an sbatch array of K shards (--shards, default 4)\n"
        "  --partition, --time, --mem, --account  passed to sbatch\n"
        "  --wait            with --slurm: wait for the array, then merge\n"
        "  --dry-run         print the sbatch script (with --slurm) or the study list\n\n"
        "Exit status: 0 all studies ok, 4 some studies failed (see cohort.csv), 1 usage,\n"
        "2 bad input, 3 internal error. Research use only: not for diagnosis.\n");
}

typedef struct args {
    const char *input, *outdir, *truth;
    csf_batch_opts run;
    csf_batch_slurm slurm;
    int merge, use_slurm, dry_run, have_shard;
} args;

static int parse_shard(const char *v, args *a)
{
    const char *slash = strchr(v, '/');
    char i[32];
    long k = 0, s = 0;
    if (slash == NULL || (size_t)(slash - v) >= sizeof i)
        return -1;
    csf_batch_fmt(i, sizeof i, "%.*s", (int)(slash - v), v);
    if (csf_cli_parse_int(i, 0, 1000000, &s) != 0 || csf_cli_parse_int(slash + 1, 1, 1000000, &k))
        return -1;
    if (s >= k)
        return -1;
    a->run.shard = s;
    a->run.nshards = k;
    a->have_shard = 1;
    return 0;
}

static const char **value_slot(args *a, const char *o)
{
    return strcmp(o, "-o") == 0 || strcmp(o, "--output") == 0 ? &a->outdir
           : strcmp(o, "--truth") == 0                          ? &a->truth
           : strcmp(o, "--partition") == 0                      ? &a->slurm.partition
           : strcmp(o, "--time") == 0                           ? &a->slurm.time
           : strcmp(o, "--mem") == 0                            ? &a->slurm.mem
           : strcmp(o, "--account") == 0                        ? &a->slurm.account
                                                                : NULL;
}

static int parse_number_opt(args *a, const char *o, const char *v)
{
    long n;
    if (strcmp(o, "--jobs") == 0 || strcmp(o, "-j") == 0) {
        if (csf_cli_parse_int(v, 1, 1024, &n) != 0)
            return csf_cli_usage_error("batch", "--jobs wants 1..1024, got '%s'", v);
        a->run.jobs = (int)n;
    } else if (strcmp(o, "--timeout") == 0) {
        if (csf_cli_parse_int(v, 1, 604800, &n) != 0)
            return csf_cli_usage_error("batch", "--timeout wants 1..604800 seconds, got '%s'", v);
        a->run.timeout_s = n;
    } else if (strcmp(o, "--shards") == 0) {
        if (csf_cli_parse_int(v, 1, 100000, &n) != 0)
            return csf_cli_usage_error("batch", "--shards wants 1..100000, got '%s'", v);
        a->slurm.shards = n;
    } else if (parse_shard(v, a) != 0) {
        return csf_cli_usage_error("batch", "--shard wants I/K with 0 <= I < K, got '%s'", v);
    }
    return 0;
}

static int parse_flag(args *a, const char *o)
{
    int *f = strcmp(o, "--merge") == 0          ? &a->merge
             : strcmp(o, "--slurm") == 0        ? &a->use_slurm
             : strcmp(o, "--wait") == 0         ? &a->slurm.wait
             : strcmp(o, "--dry-run") == 0      ? &a->dry_run
             : strcmp(o, "--retry-failed") == 0 ? &a->run.retry_failed
             : strcmp(o, "--quiet") == 0 || strcmp(o, "-q") == 0 ? &a->run.quiet
                                                                 : NULL;
    if (f)
        *f = 1;
    return f != NULL;
}

static int check(args *a)
{
    if (a->merge && a->outdir == NULL)
        a->outdir = a->input;
    if (a->outdir == NULL && !(a->dry_run && !a->use_slurm))
        return csf_cli_usage_error("batch", "no output directory (-o OUTDIR)");
    if (!a->merge && a->input == NULL)
        return csf_cli_usage_error("batch", "no INPUT (directory, BIDS dataset or manifest)");
    if (a->use_slurm && a->have_shard)
        return csf_cli_usage_error("batch", "--slurm and --shard do not go together");
    if (a->merge && (a->use_slurm || a->have_shard))
        return csf_cli_usage_error("batch", "--merge takes only OUTDIR");
    if (a->slurm.wait && !a->use_slurm)
        return csf_cli_usage_error("batch", "--wait goes with --slurm");
    return 0;
}

static int parse_args(int argc, char **argv, args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (csf_cli_is_help(o)) {
            help();
            return -1;
        }
        if (parse_flag(a, o))
            continue;
        const char **dst = value_slot(a, o);
        int numeric = strcmp(o, "--jobs") == 0 || strcmp(o, "-j") == 0 ||
                      strcmp(o, "--shards") == 0 || strcmp(o, "--shard") == 0 ||
                      strcmp(o, "--timeout") == 0;
        if ((dst || numeric) && i + 1 >= argc)
            return csf_cli_usage_error("batch", "%s needs a value", o);
        if (dst) {
            *dst = argv[++i];
        } else if (numeric) {
            int r = parse_number_opt(a, o, argv[++i]);
            if (r != 0)
                return r;
        } else if (o[0] == '-' && o[1] != '\0') {
            return csf_cli_usage_error("batch", "unknown option '%s'", o);
        } else if (a->input != NULL) {
            return csf_cli_usage_error("batch", "one INPUT only (got '%s' and '%s')", a->input, o);
        } else {
            a->input = o;
        }
    }
    return check(a);
}

static int finish_cohort(const csf_batch_list *l, const char *outdir, int quiet)
{
    csf_error err = {0};
    size_t nfailed = 0;
    if (csf_batch_cohort(l, outdir, &nfailed, &err) != CSF_OK)
        return csf_cli_fail("batch", &err);
    if (!quiet)
        printf("%zu studies: %zu ok, %zu failed; cohort table %s/cohort.csv\n", l->n,
               l->n - nfailed, nfailed, outdir);
    return nfailed ? CSF_EXIT_SOME_FAILED : CSF_EXIT_OK;
}

static int do_merge(const char *outdir, int quiet)
{
    csf_error err = {0};
    csf_batch_list l;
    if (csf_batch_list_load(outdir, &l, &err) != CSF_OK)
        return csf_cli_fail("batch", &err);
    int rc = finish_cohort(&l, outdir, quiet);
    csf_batch_list_release(&l);
    return rc;
}

static void print_list(const csf_batch_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        printf("%s\t%s\t%s\n", l->s[i].id, l->s[i].path, l->s[i].truth ? l->s[i].truth : "");
}

/* Local run, one shard, or a Slurm submission. */
static int run(args *a, const csf_batch_list *l, char *absout)
{
    csf_error err = {0};
    if (a->use_slurm) {
        char absin[4096];
        if (realpath(a->input, absin) == NULL)
            csf_batch_fmt(absin, sizeof absin, "%s", a->input);
        if (csf_batch_slurm_submit(absin, absout, a->truth, &a->slurm, &err) != CSF_OK)
            return csf_cli_fail("batch", &err);
        return a->slurm.wait && !a->dry_run ? do_merge(absout, a->run.quiet) : CSF_EXIT_OK;
    }
    size_t nok = 0, nfailed = 0, nskipped = 0;
    if (csf_batch_run(l, absout, &a->run, &nok, &nfailed, &nskipped, &err) != CSF_OK)
        return csf_cli_fail("batch", &err);
    if (!a->have_shard)
        return finish_cohort(l, absout, a->run.quiet);
    if (!a->run.quiet)
        printf("shard %ld/%ld: %zu ok, %zu failed, %zu already done\n", a->run.shard,
               a->run.nshards, nok, nfailed, nskipped);
    return nfailed ? CSF_EXIT_SOME_FAILED : CSF_EXIT_OK;
}

int cmd_batch(int argc, char **argv)
{
    args a;
    memset(&a, 0, sizeof a);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    a.run.jobs = cores > 0 ? (int)(cores > 1024 ? 1024 : cores) : 1;
    a.run.nshards = 1;
    a.slurm.shards = 4;
    int r = parse_args(argc, argv, &a);
    if (r != 0)
        return r < 0 ? CSF_EXIT_OK : r;
    a.slurm.jobs = a.run.jobs;
    a.slurm.timeout_s = a.run.timeout_s;
    a.slurm.dry_run = a.dry_run;
    a.slurm.quiet = a.run.quiet;
    if (a.merge)
        return do_merge(a.outdir, a.run.quiet);
    csf_error err = {0};
    csf_batch_list l;
    if (csf_batch_list_build(a.input, a.truth, a.outdir, &l, &err) != CSF_OK)
        return csf_cli_fail("batch", &err);
    int rc = CSF_EXIT_OK;
    char absout[4096];
    if (a.dry_run && !a.use_slurm) {
        print_list(&l);
    } else if (a.dry_run) { /* nothing written: the script shows where outputs would go */
        char cwd[2048];
        if (a.outdir[0] == '/' || getcwd(cwd, sizeof cwd) == NULL)
            csf_batch_fmt(absout, sizeof absout, "%s", a.outdir);
        else
            csf_batch_fmt(absout, sizeof absout, "%s/%s", cwd, a.outdir);
        rc = run(&a, &l, absout);
    } else if (csf_batch_mkdirs(a.outdir, &err) != CSF_OK || realpath(a.outdir, absout) == NULL ||
               csf_batch_list_save(&l, absout, &err) != CSF_OK) {
        csf_error_set(&err, CSF_ERR_IO, "cannot use output directory '%s'", a.outdir);
        rc = csf_cli_fail("batch", &err);
    } else {
        rc = run(&a, &l, absout);
    }
    csf_batch_list_release(&l);
    return rc;
}
