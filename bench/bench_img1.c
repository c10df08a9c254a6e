/* Timings of the img1 operations (statistics, Gaussian, projections,
 * resampling) with 1 and 2 threads, min and median of N runs:
 *   bench_img1 [FILE.nii[.gz] | ""] [REPS] [OP]   (OP: one row number, 0-based)
 * Without a file: a generated 384 x 384 x 600 volume of integer-valued floats
 * at 0.8 mm (faint tissue 120 with noise, a bright 2400 sac of radius 8 mm
 * with a dark cord, a few bright blobs), the size of the anchors' large
 * volume. Outputs are allocated once, outside the timed region, so the times
 * are the work, not first-touch page faults. Prints a markdown table: wall
 * time min / median for 1 and 2 threads, and the 1-thread CPU time (min). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csfleak/exec.h"
#include "csfleak/img_filter.h"
#include "csfleak/img_stats.h"
#include "csfleak/io.h"
#include "csfleak/volume.h"
#include "bench_clock.h"

#define MAX_REPS 32

static uint64_t next_u64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void die(const char *what, const csf_error *err)
{
    fprintf(stderr, "bench_img1: %s: %s\n", what, err->msg);
    exit(1);
}

static csf_volume *make_volume(void)
{
    size_t dim[4] = {384, 384, 600, 1};
    const double sp[3] = {0.8, 0.8, 0.8};
    csf_volume *v = NULL;
    csf_error err = {0};
    if (csf_volume_new(dim, sp, &v, &err) != CSF_OK)
        die("volume", &err);
    uint64_t s = 42;
    for (size_t k = 0; k < dim[2]; k++) {
        /* the sac drifts sideways along the spine, as a sagittal S-curve */
        double cx = 192 + 20 * sin((double)k / 90.0), cy = 220;
        for (size_t j = 0; j < dim[1]; j++)
            for (size_t i = 0; i < dim[0]; i++) {
                double dx = (double)i - cx, dy = (double)j - cy, r2 = (dx * dx + dy * dy) * 0.64;
                double base = r2 < 64 ? (r2 < 9 ? 350 : 2400) : 120;
                if ((k % 50) < 6 && fabs(dx - 40) < 4 && fabs(dy) < 4)
                    base = 2000; /* root-sleeve-like blobs */
                uint64_t u = next_u64(&s);
                double noise = ((double)(u & 0xffff) + (double)((u >> 16) & 0xffff) +
                                (double)((u >> 32) & 0xffff) - 98302.5) / 65536.0 * 40.0 * 2.0;
                double val = fabs(base + noise);
                v->data[i + dim[0] * (j + dim[1] * k)] = (float)floor(val);
            }
    }
    return v;
}

typedef struct ops {
    csf_volume *vol, *smooth, *resampled, *coarse;
    const csf_exec *ex;
} ops;

static void run_op(ops *o, int op)
{
    csf_error err = {0};
    const size_t n = csf_volume_nvox(o->vol);
    static const double pct[2] = {1.0, 99.5};
    static const double sigma[3] = {1.0, 1.0, 1.0};
    double a, b, c, out[4];
    uint64_t hist[256];
    csf_volume *p = NULL;
    csf_status st = CSF_OK;
    switch (op) {
    case 0: st = csf_img_minmax(o->vol->data, n, &a, &b, &c, o->ex, &err); break;
    case 1: st = csf_img_histogram(o->vol->data, n, 0, 4096, 256, hist, o->ex, &err); break;
    case 2: st = csf_img_percentiles(o->vol->data, n, pct, 2, out, o->ex, &err); break;
    case 3: st = csf_img_otsu(o->vol->data, n, 256, out, o->ex, &err); break;
    case 4: st = csf_img_otsu_multi(o->vol->data, n, 256, 3, out, o->ex, &err); break;
    case 5: st = csf_img_gaussian(o->vol, sigma, o->smooth, o->ex, &err); break;
    case 6: case 7: case 8:
        st = csf_img_project(o->vol, op - 6, 0, o->vol->dim[op - 6] - 1, CSF_PROJECT_MAX, &p, o->ex, &err);
        break;
    case 9:
        st = csf_img_project(o->vol, 1, 0, o->vol->dim[1] - 1, CSF_PROJECT_MEAN, &p, o->ex, &err);
        break;
    case 10: st = csf_img_resample(o->vol, o->resampled, 0.0f, o->ex, &err); break;
    case 11: st = csf_img_resample(o->vol, o->coarse, 0.0f, o->ex, &err); break;
    default: break;
    }
    csf_volume_free(p);
    if (st != CSF_OK)
        die("operation", &err);
}

static const char *const op_name[] = {
    "minmax + mean", "histogram 256 bins", "percentiles 1 / 99.5", "Otsu 256 bins",
    "multi-Otsu 3 classes, 256 bins", "Gaussian sigma 1 mm", "MIP axis 0 (x)",
    "MIP axis 1 (y, coronal)", "MIP axis 2 (z)", "mean projection axis 1",
    "resample trilinear (oblique, same size)",
    "resample trilinear (axis-aligned, voxels x1.25)"};
#define NOPS (sizeof op_name / sizeof op_name[0])

/* Output grids, allocated once: a clone for the Gaussian, the input rotated
 * 10 degrees about z around its centre, and an axis-aligned grid with voxels
 * 1.25 times larger (0.8 -> 1.0 mm). */
static void make_targets(ops *o)
{
    const csf_volume *vol = o->vol;
    csf_error err = {0};
    size_t cdim[4] = {vol->dim[0] * 4 / 5, vol->dim[1] * 4 / 5, vol->dim[2] * 4 / 5, 1};
    double csp[3] = {vol->spacing[0] * 1.25, vol->spacing[1] * 1.25, vol->spacing[2] * 1.25};
    if (csf_volume_new(cdim, csp, &o->coarse, &err) != CSF_OK ||
        csf_volume_clone(vol, &o->smooth, &err) != CSF_OK ||
        csf_volume_clone(vol, &o->resampled, &err) != CSF_OK)
        die("output volumes", &err);
    for (int r = 0; r < 3; r++) {
        for (int q = 0; q < 3; q++)
            o->coarse->affine[r][q] = vol->affine[r][q] * 1.25;
        o->coarse->affine[r][3] = vol->affine[r][3];
    }
    double ct = cos(0.1745), stt = sin(0.1745), c[3];
    for (int r = 0; r < 3; r++)
        c[r] = vol->affine[r][0] * vol->dim[0] / 2 + vol->affine[r][1] * vol->dim[1] / 2 + vol->affine[r][3];
    for (int q = 0; q < 3; q++) {
        double x = vol->affine[0][q], y = vol->affine[1][q];
        o->resampled->affine[0][q] = ct * x - stt * y;
        o->resampled->affine[1][q] = stt * x + ct * y;
    }
    for (int r = 0; r < 2; r++)
        o->resampled->affine[r][3] = c[r] - o->resampled->affine[r][0] * vol->dim[0] / 2 -
                                     o->resampled->affine[r][1] * vol->dim[1] / 2;
}

/* A shared machine's load explains most run-to-run drift: say it. */
static void print_header(const csf_volume *vol, int reps)
{
    char load[64] = "?";
    FILE *lf = fopen("/proc/loadavg", "r");
    if (lf != NULL) {
        if (fgets(load, sizeof load, lf) == NULL)
            load[0] = '\0';
        fclose(lf);
        load[strcspn(load, "\n")] = '\0';
    }
    printf("bench_img1: %zu x %zu x %zu = %.1f M voxels, min / median of %d runs, seconds; "
           "loadavg at start: %s\n\n",
           vol->dim[0], vol->dim[1], vol->dim[2], csf_volume_nvox(vol) / 1e6, reps, load);
    printf("| operation | 1 thread wall | 1 thread CPU | 2 threads wall | speed-up |\n"
           "|---|---|---|---|---|\n");
}

static void time_op(ops *o, size_t op, int reps)
{
    double best[2], med[2], cpu_best = 1e30;
    csf_error err = {0};
    for (int t = 0; t < 2; t++) {
        csf_exec *ex = NULL;
        if (csf_exec_new(t + 1, &ex, &err) != CSF_OK)
            die("exec", &err);
        o->ex = ex;
        double ts[MAX_REPS] = {0};
        for (int r = 0; r < reps; r++) {
            double t0 = now_s(), c0 = cpu_s();
            run_op(o, (int)op);
            ts[r] = now_s() - t0;
            if (t == 0 && cpu_s() - c0 < cpu_best)
                cpu_best = cpu_s() - c0;
        }
        qsort(ts, (size_t)reps, sizeof ts[0], cmp_d);
        best[t] = ts[0];
        med[t] = ts[reps / 2];
        csf_exec_free(ex);
    }
    printf("| %s | %.4f / %.4f | %.4f | %.4f / %.4f | %.2fx |\n", op_name[op], best[0], med[0],
           cpu_best, best[1], med[1], best[0] / best[1]);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int reps = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
    if (reps < 1 || reps > MAX_REPS)
        reps = 5;
    csf_error err = {0};
    csf_volume *vol = NULL;
    if (argc > 1 && argv[1][0] != '\0') {
        if (csf_io_read(argv[1], NULL, &vol, NULL, &err) != CSF_OK)
            die(argv[1], &err);
    } else {
        vol = make_volume();
    }
    ops o = {vol, NULL, NULL, NULL, NULL};
    make_targets(&o);
    print_header(vol, reps);
    long only = argc > 3 ? strtol(argv[3], NULL, 10) : -1;
    for (size_t op = 0; op < NOPS; op++)
        if (only < 0 || (size_t)only == op)
            time_op(&o, op, reps);
    csf_volume_free(o.smooth);
    csf_volume_free(o.resampled);
    csf_volume_free(o.coarse);
    csf_volume_free(vol);
    return 0;
}
