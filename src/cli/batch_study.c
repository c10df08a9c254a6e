/* One study of `csfleak batch`, run in a child process: the same library calls as
 * `csfleak analyze --json --png-dir` followed by `csfleak report --html`. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze_cli.h"
#include "batch.h"
#include "csfleak/report.h"

#define MAX_JSON_BYTES ((size_t)64 << 20)

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static int write_report(const csf_batch_study *s, const char *dir, const csf_analyze_run *run)
{
    char json[4200], html[4200];
    csf_batch_fmt(json, sizeof json, "%s/analysis.json", dir);
    csf_batch_fmt(html, sizeof html, "%s/report.html", dir);
    csf_error err = {0};
    char *txt = csf_batch_slurp(json, MAX_JSON_BYTES, &err), *truth = NULL;
    if (txt != NULL && s->truth && ends_with(s->truth, ".json"))
        truth = csf_batch_slurp(s->truth, MAX_JSON_BYTES, &err);
    int rc = CSF_EXIT_OK;
    if (txt == NULL || (s->truth && ends_with(s->truth, ".json") && truth == NULL)) {
        rc = csf_cli_fail("batch", &err);
    } else {
        csf_report_opts opts = {truth, json, s->path, {run->mip[0], run->mip[1]}};
        if (csf_report_html_write(html, txt, run->vol[0], &opts, NULL, &err) != CSF_OK)
            rc = csf_cli_fail("batch", &err);
    }
    free(txt);
    free(truth);
    return rc;
}

int csf_batch_study_main(const csf_batch_study *s, const char *outdir)
{
    /* Test aids (docs/batch.md): make this study crash like a bug would ... */
    const char *crash = getenv("CSFLEAK_BATCH_TEST_CRASH");
    if (crash && strcmp(crash, s->id) == 0)
        raise(SIGSEGV);
    const char *hang = getenv("CSFLEAK_BATCH_TEST_HANG"); /* ... or hang */
    if (hang && strcmp(hang, s->id) == 0)
        for (;;)
            pause();
    char dir[4096], json[4200];
    csf_batch_fmt(dir, sizeof dir, "%s/%s", outdir, s->id);
    csf_batch_fmt(json, sizeof json, "%s/analysis.json", dir);
    csf_analyze_args a;
    memset(&a, 0, sizeof a);
    a.common.threads = 1;
    a.inputs[0] = s->path;
    a.ninputs = 1;
    a.json = json;
    a.png_dir = dir;
    csf_analyze_run run;
    memset(&run, 0, sizeof run);
    csf_error err = {0};
    int rc = csf_analyze_execute(&a, &run, NULL, &err);
    if (rc == CSF_EXIT_OK)
        rc = write_report(s, dir, &run);
    csf_analyze_release(&run);
    return rc;
}
