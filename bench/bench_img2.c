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
#include "bench_clock.h"

#define NX 384
#define NY 384
#define NZ 600
#define SP 0.8

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
    double mn[2], md[2], cpu[2];
} row;

enum { SRC_MASK, SRC_SAC, SRC_DENSE };

typedef struct step_def {
    const char *name;
    int kind; /* 0 label, 1 largest, 2 morph, 3 EDT */
    int src;
    csf_morph_op op;
    double r_mm;
} step_def;

static const step_def steps[] = {
    {"label 26-conn + stats", 0, SRC_MASK, CSF_DILATE, 0},
    {"largest component (from the mask)", 1, SRC_MASK, CSF_DILATE, 0},
    {"dilate 1.2 mm (19 vox), mask", 2, SRC_MASK, CSF_DILATE, 1.2},
    {"erode 1.2 mm (19 vox), mask", 2, SRC_MASK, CSF_ERODE, 1.2},
    {"dilate 1.2 mm (19 vox), sac", 2, SRC_SAC, CSF_DILATE, 1.2},
    {"dilate 2.8 mm (179 vox), sac", 2, SRC_SAC, CSF_DILATE, 2.8},
    {"close 2.8 mm, sac", 2, SRC_SAC, CSF_CLOSE, 2.8},
    {"dilate 2.8 mm, dense (mask complement)", 2, SRC_DENSE, CSF_DILATE, 2.8},
    {"erode 2.8 mm, dense (mask complement)", 2, SRC_DENSE, CSF_ERODE, 2.8},
    {"EDT in mm from the sac", 3, SRC_SAC, CSF_DILATE, 0},
    {"EDT in mm, dense (inside distances)", 3, SRC_DENSE, CSF_DILATE, 0},
};
#define NSTEPS (sizeof steps / sizeof steps[0])

static int run_step(const step_def *sd, const csf_volume *g, const uint8_t *const src[3],
                    const csf_exec *ex, csf_error *err)
{
    size_t n = csf_volume_nvox(g), ncomp = 0;
    const uint8_t *in = src[sd->src];
    csf_status st = CSF_OK;
    if (sd->kind == 0) {
        uint32_t *lab = malloc(n * sizeof *lab);
        csf_component *c = NULL;
        st = csf_img_label(g, in, CSF_CONN_26, lab, &ncomp, &c, ex, err);
        free(c);
        free(lab);
    } else if (sd->kind == 1) { /* labelling included, no label image */
        uint8_t *out = malloc(n);
        st = csf_img_largest_component(g, in, CSF_CONN_26, out, &ncomp, ex, err);
        free(out);
    } else if (sd->kind == 2) {
        uint8_t *out = malloc(n);
        st = csf_img_morph(g, in, sd->op, sd->r_mm, out, ex, err);
        free(out);
    } else {
        float *d = malloc(n * sizeof *d);
        st = csf_img_edt(g, in, d, ex, err);
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
    uint8_t *dense = malloc(n);
    if (dense == NULL)
        return fprintf(stderr, "bench_img2: out of memory\n"), 3;
    for (size_t i = 0; i < n; i++)
        dense[i] = !mask[i];
    const uint8_t *const src[3] = {mask, sac, dense};
    row rows[NSTEPS];
    memset(rows, 0, sizeof rows);
    for (int ti = 0; ti < 2; ti++) {
        csf_exec *ex = NULL;
        csf_exec_new(ti + 1, &ex, NULL);
        for (size_t s = 0; s < NSTEPS; s++) {
            double t[50] = {0};
            rows[s].cpu[ti] = INFINITY;
            for (int r = 0; r < reps; r++) {
                double t0 = now_s(), c0 = cpu_s();
                if (run_step(&steps[s], g, src, ex, &err) != 0)
                    return fprintf(stderr, "bench_img2: %s: %s\n", steps[s].name, err.msg), 3;
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
    for (size_t s = 0; s < NSTEPS; s++)
        printf("| %s | %.4f / %.4f | %.4f / %.4f | %.4f / %.4f |\n", steps[s].name, rows[s].mn[0],
               rows[s].md[0], rows[s].mn[1], rows[s].md[1], rows[s].cpu[0], rows[s].cpu[1]);
    free(mask);
    free(sac);
    free(dense);
    csf_volume_free(g);
    return 0;
}
