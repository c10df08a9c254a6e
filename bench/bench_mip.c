/* Maximum-intensity projections of one volume, each way csfleak can do them,
 * next to the floor (one read of the float volume):
 *   bench_mip FILE REPS THREADS
 * prints one JSON line per step {tool, threads, step, min, median} (seconds):
 *   read_floor       sum of every voxel (one streaming read, same chunking)
 *   mip_sagittal / mip_coronal / mip_axial   csf_img_project along x / y / z
 *   mip_3axes        the three csf_img_project calls (three reads)
 *   mip_3axes_1pass  csf_img_mip3 (one read)
 * bench/bench_mip.py times numpy on the same file the anchors' way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/exec.h"
#include "csfleak/img_filter.h"
#include "csfleak/io.h"
#include "bench_clock.h"

#define MAXREPS 64

typedef struct sum_ctx {
    const float *x;
    double part[4096];
} sum_ctx;

static csf_status sum_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)err;
    sum_ctx *c = vctx;
    float s[16] = {0};
    for (size_t i = b; i + 16 <= e; i += 16)
        for (int k = 0; k < 16; k++)
            s[k] += c->x[i + k];
    double t = 0;
    for (int k = 0; k < 16; k++)
        t += s[k];
    c->part[chunk % 4096] = t;
    return CSF_OK;
}

static void report(const char *step, int threads, double *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp_d);
    double med = n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
    printf("{\"tool\": \"csfleak\", \"threads\": %d, \"step\": \"%s\", \"min\": %.6f, \"median\": %.6f}\n",
           threads, step, t[0], med);
    fflush(stdout);
}

static void fail(const char *what, const csf_error *e)
{
    fprintf(stderr, "bench_mip: %s: %s\n", what, e->msg);
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_mip FILE REPS THREADS\n");
        return 1;
    }
    int reps = (int)strtol(argv[2], NULL, 10), threads = (int)strtol(argv[3], NULL, 10);
    if (reps < 1 || reps > MAXREPS)
        reps = 5;
    csf_error err = {0};
    csf_exec *ex = NULL;
    csf_volume *vol = NULL, *m[3] = {NULL, NULL, NULL};
    if (csf_exec_new(threads, &ex, &err) != CSF_OK || csf_io_read(argv[1], ex, &vol, NULL, &err) != CSF_OK)
        fail(argv[1], &err);
    const size_t n = csf_volume_nvox(vol);
    double t[MAXREPS] = {0};
    static sum_ctx sc;
    sc.x = vol->data;
    const size_t grain = n / 4096 + 1 > ((size_t)1 << 20) ? n / 4096 + 1 : (size_t)1 << 20;
    for (int r = 0; r < reps; r++) {
        double t0 = now_s();
        if (csf_parallel_for(ex, n, grain, sum_chunk, &sc, &err) != CSF_OK)
            fail("sum", &err);
        t[r] = now_s() - t0;
    }
    report("read_floor", threads, t, reps);
    static const char *const names[3] = {"mip_sagittal", "mip_coronal", "mip_axial"};
    for (int a = 0; a <= 3; a++) { /* a == 3: all three, one after the other */
        for (int r = 0; r < reps; r++) {
            double t0 = now_s();
            for (int q = a == 3 ? 0 : a; q <= (a == 3 ? 2 : a); q++) {
                csf_volume_free(m[q]);
                m[q] = NULL;
                if (csf_img_project(vol, q, 0, vol->dim[q] - 1, CSF_PROJECT_MAX, &m[q], ex, &err) != CSF_OK)
                    fail("project", &err);
            }
            t[r] = now_s() - t0;
        }
        report(a == 3 ? "mip_3axes" : names[a], threads, t, reps);
    }
    csf_volume *o[3] = {NULL, NULL, NULL};
    for (int r = 0; r < reps; r++) {
        for (int q = 0; q < 3; q++) {
            csf_volume_free(o[q]);
            o[q] = NULL;
        }
        double t0 = now_s();
        if (csf_img_mip3(vol, o, ex, &err) != CSF_OK)
            fail("mip3", &err);
        t[r] = now_s() - t0;
    }
    report("mip_3axes_1pass", threads, t, reps);
    for (int q = 0; q < 3; q++) {
        if (memcmp(o[q]->dim, m[q]->dim, sizeof o[q]->dim) != 0)
            fail("mip3 dims differ", &err);
        for (size_t i = 0; i < csf_volume_nvox(o[q]); i++)
            if (!(o[q]->data[i] == m[q]->data[i])) {
                fprintf(stderr, "bench_mip: csf_img_mip3 differs from csf_img_project\n");
                return 3;
            }
        csf_volume_free(o[q]);
        csf_volume_free(m[q]);
    }
    csf_volume_free(vol);
    csf_exec_free(ex);
    return 0;
}
