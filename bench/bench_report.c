/* Time to write the HTML report of a whole-spine case, and its size.
 *   bench_report [REPS=5]                       synthetic 300 x 130 x 640 volume
 *                                               (25 M voxels) drawn from the example
 *   bench_report REPS VOLUME ANALYSIS.json [TRUTH.json]   a real case
 * Prints min / median wall time of csf_report_html_write (build + atomic
 * write; the volume is already in memory, as in `csfleak analyze --html`) and
 * the file size. Targets: <= 300 ms, <= 3 MB. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../tests/report_synth.h"
#include "csfleak/io.h"
#include "csfleak/report.h"
#include "bench_clock.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + 1e-6 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long reps = argc > 1 ? strtol(argv[1], NULL, 10) : 5;
    if (reps < 1 || reps > 100)
        reps = 5;
    /* the example lives beside this source file (CMake compiles it by absolute path) */
    char example[4096];
    const char *me = __FILE__, *cut = strstr(me, "bench/bench_report.c");
    snprintf(example, sizeof example, "%.*stests/data/report/example_analysis.json",
             cut ? (int)(cut - me) : 0, me);
    const char *json_path = argc > 3 ? argv[3] : example;
    char *json = synth_slurp(json_path);
    char *truth = argc > 4 ? synth_slurp(argv[4]) : NULL;
    if (json == NULL) {
        fprintf(stderr, "bench_report: cannot read '%s'\n", json_path);
        return 1;
    }
    csf_volume *vol = NULL;
    csf_error err = {0};
    if (argc > 2) {
        if (csf_io_read(argv[2], NULL, &vol, NULL, &err) != CSF_OK) {
            fprintf(stderr, "bench_report: %s\n", err.msg);
            return 1;
        }
    } else {
        vol = synth_volume(json, 300, 130, 640);
    }
    if (vol == NULL)
        return 1;
    char path[64];
    snprintf(path, sizeof path, "/tmp/csf_bench_report_%d.html", (int)getpid());
    csf_report_opts opts = {.truth_json = truth};
    csf_exec *ex = NULL; /* all cores, as the CLI's default */
    if (csf_exec_new(0, &ex, &err) != CSF_OK)
        return 1;
    double *t = calloc((size_t)reps, sizeof *t);
    for (long r = 0; r < reps; r++) {
        double t0 = now_ms();
        if (csf_report_html_write(path, json, vol, &opts, ex, &err) != CSF_OK) {
            fprintf(stderr, "bench_report: %s\n", err.msg);
            return 1;
        }
        t[r] = now_ms() - t0;
    }
    qsort(t, (size_t)reps, sizeof *t, cmp_d);
    struct stat st;
    stat(path, &st);
    printf("report: %zu x %zu x %zu voxels (%.1f M), %d threads, %ld reps: min %.1f ms, median "
           "%.1f ms (target <= 300 ms); size %.2f MB (target <= 3 MB)\n",
           vol->dim[0], vol->dim[1], vol->dim[2],
           (double)(vol->dim[0] * vol->dim[1] * vol->dim[2]) / 1e6, csf_exec_threads(ex), reps,
           t[0], t[reps / 2],
           (double)st.st_size / (1024.0 * 1024.0));
    unlink(path);
    csf_exec_free(ex);
    free(t);
    free(json);
    free(truth);
    csf_volume_free(vol);
    return 0;
}
