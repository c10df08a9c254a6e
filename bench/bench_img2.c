/* Timings of labelling, largest-component extraction, ball morphology and
 * the EDT on a generated sparse 384 x 384 x 600 mask (0.8 mm voxels) shaped
 * like the anchors' phantom: an S-curved thecal-sac tube, nerve-root sleeves,
 * small blobs beside the sac and large fluid blobs away from it.
 *   bench_img2 [REPS (default 5)]
 * Prints a table of min / median wall seconds over REPS runs for 1 and 2
 * threads, and the least process CPU time (user + system, all threads).
 * Every timed run allocates its output afresh, as a one-shot CLI call does.
 * Balls match ITK's: 1.2 mm = 1.5 voxels -> 19 voxels, 2.8 mm -> 179 voxels. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csfleak/exec.h"
#include "csfleak/img_label.h"
#include "csfleak/img_morph.h"
#include "csfleak/volume.h"

#define NX 384
#define NY 384
#define NZ 600
#define SP 0.8

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU time of the whole process (all threads): robust to a loaded machine,
 * where wall time includes waiting for a core. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void ball(uint8_t *m, double cx, double cy, double cz, double r_mm)
{
    double r = r_mm / SP;
    for (long z = (long)(cz - r) - 1; z <= (long)(cz + r) + 1; z++)
        for (long y = (long)(cy - r) - 1; y <= (long)(cy + r) + 1; y++)
            for (long x = (long)(cx - r) - 1; x <= (long)(cx + r) + 1; x++) {
                if (x < 0 || y < 0 || z < 0 || x >= NX || y >= NY || z >= NZ)
                    continue;
                double dx = x - cx, dy = y - cy, dz = z - cz;
                if (dx * dx + dy * dy + dz * dz <= r * r)
                    m[x + (size_t)NX * (y + (size_t)NY * z)] = 1;
            }
}

/* The sac: discs of radius 8 mm (10 mm in the lower third) along an S-curve,
 * sleeves every 28 mm, 12 small blobs beside it, 6 large blobs away from it. */
static void phantom(uint8_t *m, uint8_t *sac)
{
    for (size_t z = 0; z < NZ; z++) {
        double t = (double)z / NZ, cx = NX / 2.0, cy = NY / 2.0 + 25 * sin(2 * M_PI * t);
        double r = (t < 1 / 3.0 ? 10.0 : 8.0) / SP;
        for (long y = (long)(cy - r) - 1; y <= (long)(cy + r) + 1; y++)
            for (long x = (long)(cx - r) - 1; x <= (long)(cx + r) + 1; x++)
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r)
                    sac[x + (size_t)NX * (y + (size_t)NY * z)] = 1;
        if (z % 35 == 17) /* root sleeves: short side branches */
            for (int side = -1; side <= 1; side += 2)
                for (double d = r; d < r + 12; d += 0.5)
                    ball(sac, cx + side * d, cy + 0.3 * (d - r), (double)z, 1.6);
    }
    memcpy(m, sac, (size_t)NX * NY * NZ);
    for (int b = 0; b < 12; b++) {
        double z = 30 + 45.0 * b, cy = NY / 2.0 + 25 * sin(2 * M_PI * z / NZ);
        ball(m, NX / 2.0 + (b % 2 ? 22 : -22), cy, z, 2.5);
    }
    for (int b = 0; b < 6; b++)
        ball(m, b % 2 ? 60 : 320, 80 + 40.0 * b, 60 + 95.0 * b, 12.0);
}

typedef struct row {
    const char *name;
    double mn[2], md[2], cpu[2];
} row;

static int run_step(int step, const csf_volume *g, const uint8_t *mask, const uint8_t *sac,
                    const csf_exec *ex, csf_error *err)
{
    size_t n = csf_volume_nvox(g), ncomp = 0;
    csf_status st = CSF_OK;
    if (step == 0) {
        uint32_t *lab = malloc(n * sizeof *lab);
        csf_component *c = NULL;
        st = csf_img_label(g, mask, CSF_CONN_26, lab, &ncomp, &c, ex, err);
        free(c);
        free(lab);
    } else if (step == 1) { /* from the mask: labelling included, no label image */
        uint8_t *out = malloc(n);
        st = csf_img_largest_component(g, mask, CSF_CONN_26, out, &ncomp, ex, err);
        free(out);
    } else if (step <= 5) {
        uint8_t *out = malloc(n);
        static const double r[4] = {1.2, 1.2, 1.2, 2.8};
        static const csf_morph_op op[4] = {CSF_DILATE, CSF_ERODE, CSF_DILATE, CSF_DILATE};
        st = csf_img_morph(g, step == 2 || step == 3 ? mask : sac, op[step - 2], r[step - 2], out,
                           ex, err);
        free(out);
    } else {
        float *d = malloc(n * sizeof *d);
        st = csf_img_edt(g, sac, d, ex, err);
        free(d);
    }
    return st == CSF_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 5;
    reps = reps < 1 ? 1 : (reps > 50 ? 50 : reps);
    size_t dim[4] = {NX, NY, NZ, 1};
    double sp[3] = {SP, SP, SP};
    csf_volume *g = NULL;
    csf_error err = {0};
    if (csf_volume_new(dim, sp, &g, &err) != CSF_OK)
        return fprintf(stderr, "bench_img2: %s\n", err.msg), 3;
    size_t n = csf_volume_nvox(g), fg = 0, fs = 0;
    uint8_t *mask = calloc(n, 1), *sac = calloc(n, 1);
    if (mask == NULL || sac == NULL)
        return fprintf(stderr, "bench_img2: out of memory\n"), 3;
    phantom(mask, sac);
    for (size_t i = 0; i < n; i++)
        fg += mask[i], fs += sac[i];
    row rows[] = {{"label 26-conn + stats", {0}, {0}, {0}}, {"largest component (from the mask)", {0}, {0}, {0}},
                  {"dilate 1.2 mm (19 vox), mask", {0}, {0}, {0}}, {"erode 1.2 mm (19 vox), mask", {0}, {0}, {0}},
                  {"dilate 1.2 mm (19 vox), sac", {0}, {0}, {0}}, {"dilate 2.8 mm (179 vox), sac", {0}, {0}, {0}},
                  {"EDT in mm from the sac", {0}, {0}, {0}}};
    for (int ti = 0; ti < 2; ti++) {
        csf_exec *ex = NULL;
        csf_exec_new(ti + 1, &ex, NULL);
        for (int s = 0; s < 7; s++) {
            double t[50];
            rows[s].cpu[ti] = INFINITY;
            for (int r = 0; r < reps; r++) {
                double t0 = now_s(), c0 = cpu_s();
                if (run_step(s, g, mask, sac, ex, &err) != 0)
                    return fprintf(stderr, "bench_img2: %s: %s\n", rows[s].name, err.msg), 3;
                t[r] = now_s() - t0;
                c0 = cpu_s() - c0;
                rows[s].cpu[ti] = c0 < rows[s].cpu[ti] ? c0 : rows[s].cpu[ti];
            }
            qsort(t, (size_t)reps, sizeof t[0], cmp_d);
            rows[s].mn[ti] = t[0];
            rows[s].md[ti] = reps % 2 ? t[reps / 2] : 0.5 * (t[reps / 2 - 1] + t[reps / 2]);
        }
        csf_exec_free(ex);
    }
    printf("bench_img2: %dx%dx%d mask at %.1f mm, foreground %.3f %% (sac %.3f %%), %d runs\n\n", NX,
           NY, NZ, SP, 100.0 * (double)fg / (double)n, 100.0 * (double)fs / (double)n, reps);
    printf("| step | 1 thread wall min / median (s) | 2 threads wall min / median (s) |"
           " CPU s, 1 thr / 2 thr (min) |\n|---|---|---|---|\n");
    for (int s = 0; s < 7; s++)
        printf("| %s | %.4f / %.4f | %.4f / %.4f | %.4f / %.4f |\n", rows[s].name, rows[s].mn[0],
               rows[s].md[0], rows[s].mn[1], rows[s].md[1], rows[s].cpu[0], rows[s].cpu[1]);
    free(mask);
    free(sac);
    csf_volume_free(g);
    return 0;
}
