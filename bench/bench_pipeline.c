/* The anchors' per-volume pipeline done by csfleak, step by step, as in
 * ../shared/anchors/bench_scipy.py and bench_itk.cxx, so the times line up:
 *   bench_pipeline BASE REPS THREADS [OUT.jsonl]
 * reads BASE_z6.nii.gz (and BASE.nii.gz, BASE_raw.nii for the load steps),
 * prints one JSON line per step {tool, step, min, median} and a total, then
 * the process's peak RSS. Balls match ITK's: r=1 -> 19 voxels, r=3 -> 179. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "csfleak/atomic.h"
#include "csfleak/exec.h"
#include "csfleak/img_filter.h"
#include "csfleak/img_label.h"
#include "csfleak/img_morph.h"
#include "csfleak/img_stats.h"
#include "csfleak/io.h"
#include "csfleak/volume.h"
#include "bench_clock.h"

typedef struct bench {
    int reps;
    int threads;
    double total_min, last_min;
    int uncounted; /* extra rows the anchors' total has no counterpart for */
    FILE *out;
    double t[64];
} bench;

static void report(bench *b, const char *step, int n)
{
    double s[64];
    memcpy(s, b->t, (size_t)n * sizeof s[0]);
    qsort(s, (size_t)n, sizeof s[0], cmp_d);
    double med = n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    char line[256];
    snprintf(line, sizeof line,
             "{\"tool\": \"csfleak\", \"threads\": %d, \"step\": \"%s\", \"min\": %.6f, \"median\": %.6f}",
             b->threads, step, s[0], med);
    puts(line);
    if (b->out)
        fprintf(b->out, "%s\n", line);
    b->last_min = s[0];
    if (!b->uncounted)
        b->total_min += s[0];
    fflush(stdout);
}

#define STEP(b, name, ...)                                                                     \
    do {                                                                                        \
        for (int r_ = 0; r_ < (b)->reps; r_++) {                                                \
            double t0_ = now_s();                                                               \
            __VA_ARGS__;                                                                        \
            (b)->t[r_] = now_s() - t0_;                                                         \
        }                                                                                       \
        report((b), (name), (b)->reps);                                                         \
    } while (0)

static void die(const char *what, const csf_error *e)
{
    fprintf(stderr, "bench_pipeline: %s: %s\n", what, e->msg);
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_pipeline BASE REPS THREADS [OUT.jsonl]\n");
        return 1;
    }
    const char *base = argv[1];
    bench b = {.reps = (int)strtol(argv[2], NULL, 10), .threads = (int)strtol(argv[3], NULL, 10)};
    if (b.reps < 1 || b.reps > 64)
        b.reps = 3;
    if (argc > 4)
        b.out = fopen(argv[4], "a");
    csf_error err = {0};
    csf_exec *ex = NULL;
    if (csf_exec_new(b.threads, &ex, &err) != CSF_OK)
        die("exec", &err);
    char path[1200];
    csf_volume *vol = NULL;

    snprintf(path, sizeof path, "%s_raw.nii", base);
    STEP(&b, "load_nii", {
        csf_volume_free(vol);
        vol = NULL;
        if (csf_io_read(path, ex, &vol, NULL, &err) != CSF_OK)
            die(path, &err);
    });
    snprintf(path, sizeof path, "%s.nii.gz", base);
    STEP(&b, "load_nii_gz_l1", {
        csf_volume_free(vol);
        vol = NULL;
        if (csf_io_read(path, ex, &vol, NULL, &err) != CSF_OK)
            die(path, &err);
    });
    snprintf(path, sizeof path, "%s_z6.nii.gz", base);
    b.total_min = 0; /* the total counts one load: level 6, as the anchors' total does */
    STEP(&b, "load_nii_gz_l6", {
        csf_volume_free(vol);
        vol = NULL;
        if (csf_io_read(path, ex, &vol, NULL, &err) != CSF_OK)
            die(path, &err);
    });
    size_t n = csf_volume_nvox(vol);
    double pct[2] = {1.0, 99.5}, pv[2];
    STEP(&b, "percentile_1_99.5",
         if (csf_img_percentiles(vol->data, n, pct, 2, pv, ex, &err) != CSF_OK) die("percentiles", &err));
    double thr = 0;
    STEP(&b, "otsu", if (csf_img_otsu(vol->data, n, 256, &thr, ex, &err) != CSF_OK) die("otsu", &err));
    uint8_t *mask = malloc(n), *sac = malloc(n), *tmp = malloc(n);
    uint32_t *lab = malloc(n * sizeof *lab);
    float *dist = NULL;
    if (!mask || !sac || !tmp || !lab) {
        fprintf(stderr, "bench_pipeline: out of memory\n");
        return 3;
    }
    STEP(&b, "threshold", for (size_t i = 0; i < n; i++) mask[i] = vol->data[i] > thr);
    size_t ncomp = 0;
    csf_component *comps = NULL;
    STEP(&b, "label26", {
        free(comps);
        comps = NULL;
        if (csf_img_label(vol, mask, CSF_CONN_26, lab, &ncomp, &comps, ex, &err) != CSF_OK)
            die("label", &err);
    });
    STEP(&b, "largest_cc", {
        uint32_t best = 0;
        size_t bestn = 0;
        for (size_t c = 0; c < ncomp; c++)
            if (comps[c].voxels > bestn) {
                bestn = comps[c].voxels;
                best = comps[c].label;
            }
        for (size_t i = 0; i < n; i++)
            sac[i] = lab[i] == best;
    });
    free(lab); /* as the anchors do: labels are not needed once the sac is picked */
    lab = NULL;
    dist = malloc(n * sizeof *dist);
    if (dist == NULL) {
        fprintf(stderr, "bench_pipeline: out of memory\n");
        return 3;
    }
    double *cx = calloc(vol->dim[2], sizeof *cx), *cy = calloc(vol->dim[2], sizeof *cy);
    STEP(&b, "slice_centroids", {
        size_t plane = vol->dim[0] * vol->dim[1];
        for (size_t k = 0; k < vol->dim[2]; k++) {
            double sx = 0, sy = 0, c = 0;
            const uint8_t *s = sac + k * plane;
            for (size_t j = 0; j < vol->dim[1]; j++)
                for (size_t i = 0; i < vol->dim[0]; i++)
                    if (s[i + j * vol->dim[0]]) {
                        sx += (double)i;
                        sy += (double)j;
                        c += 1;
                    }
            cx[k] = c > 0 ? sx / c : NAN;
            cy[k] = c > 0 ? sy / c : NAN;
        }
    });
    /* ITK ball r voxels: i^2+j^2+k^2 <= (r+0.5)^2; in mm that is radius (r+0.5)*spacing
     * for isotropic voxels (the anchors' volumes are 0.8 mm isotropic). */
    double r1 = 1.5 * vol->spacing[0], r3 = 3.5 * vol->spacing[0];
    STEP(&b, "dilate_ball1_mask",
         if (csf_img_morph(vol, mask, CSF_DILATE, r1, tmp, ex, &err) != CSF_OK) die("dilate", &err));
    STEP(&b, "erode_ball1_mask",
         if (csf_img_morph(vol, mask, CSF_ERODE, r1, tmp, ex, &err) != CSF_OK) die("erode", &err));
    STEP(&b, "dilate_ball1_sac",
         if (csf_img_morph(vol, sac, CSF_DILATE, r1, tmp, ex, &err) != CSF_OK) die("dilate", &err));
    STEP(&b, "dilate_ball3_sac",
         if (csf_img_morph(vol, sac, CSF_DILATE, r3, tmp, ex, &err) != CSF_OK) die("dilate", &err));
    STEP(&b, "edt_outside_sac",
         if (csf_img_edt(vol, sac, dist, ex, &err) != CSF_OK) die("edt", &err));
    csf_volume *mips[3] = {NULL, NULL, NULL};
    STEP(&b, "mip_coronal", {
        csf_volume_free(mips[1]);
        mips[1] = NULL;
        if (csf_img_project(vol, 1, 0, vol->dim[1] - 1, CSF_PROJECT_MAX, &mips[1], ex, &err) != CSF_OK)
            die("mip", &err);
    });
    STEP(&b, "mip_3axes", {
        for (int a = 0; a < 3; a++) {
            csf_volume_free(mips[a]);
            mips[a] = NULL;
            if (csf_img_project(vol, a, 0, vol->dim[a] - 1, CSF_PROJECT_MAX, &mips[a], ex, &err) != CSF_OK)
                die("mip", &err);
        }
    });
    const double three_passes = b.last_min;
    /* The same three projections in one read of the volume (csf_img_mip3), which is
     * what the pipeline uses: the total counts it instead of the three passes. The
     * other single-axis projections are timed too (not in the total). */
    csf_volume *one[3] = {NULL, NULL, NULL}, *m3[3] = {NULL, NULL, NULL};
    static const char *const axis_step[3] = {"mip_sagittal", "", "mip_axial"};
    b.uncounted = 1;
    for (int a = 0; a < 3; a += 2)
        STEP(&b, axis_step[a], {
            csf_volume_free(one[a]);
            one[a] = NULL;
            if (csf_img_project(vol, a, 0, vol->dim[a] - 1, CSF_PROJECT_MAX, &one[a], ex, &err) != CSF_OK)
                die("mip", &err);
        });
    b.uncounted = 0;
    STEP(&b, "mip_3axes_1pass", {
        for (int a = 0; a < 3; a++) {
            csf_volume_free(m3[a]);
            m3[a] = NULL;
        }
        if (csf_img_mip3(vol, m3, ex, &err) != CSF_OK)
            die("mip3", &err);
    });
    b.total_min -= three_passes;
    for (int a = 0; a < 3; a++) {
        for (size_t i = 0; i < csf_volume_nvox(m3[a]); i++)
            if (!(m3[a]->data[i] == mips[a]->data[i])) {
                fprintf(stderr, "bench_pipeline: csf_img_mip3 differs from csf_img_project\n");
                return 3;
            }
        csf_volume_free(m3[a]);
        csf_volume_free(one[a]);
    }
    STEP(&b, "write_png_json", {
        /* coronal MIP: x across, z up (row 0 = top = superior) */
        const csf_volume *m = mips[1];
        size_t w = m->dim[0], h = m->dim[2];
        uint8_t *img = malloc(w * h);
        double mx = 1;
        for (size_t i = 0; i < w * h; i++)
            mx = m->data[i] > mx ? m->data[i] : mx;
        for (size_t z = 0; z < h; z++)
            for (size_t x = 0; x < w; x++) {
                double v = m->data[x + z * w] * (255.0 / mx);
                img[x + (h - 1 - z) * w] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
        snprintf(path, sizeof path, "%s_csfleak_mip.png", base);
        if (csf_io_write_png(path, img, w, h, 1, &err) != CSF_OK)
            die("png", &err);
        free(img);
        char js[128];
        int len = snprintf(js, sizeof js, "{\"threshold\": %.6g, \"components\": %zu}\n", thr, ncomp);
        snprintf(path, sizeof path, "%s_csfleak_report.json", base);
        if (csf_atomic_write(path, js, (size_t)len, &err) != CSF_OK)
            die("json", &err);
    });
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("{\"tool\": \"csfleak\", \"threads\": %d, \"step\": \"total\", \"min\": %.6f, "
           "\"peak_rss_mib\": %.1f, \"float_volume_mib\": %.1f, \"otsu\": %.6g, \"n_components\": %zu}\n",
           b.threads, b.total_min, (double)ru.ru_maxrss / 1024.0,
           (double)n * 4.0 / 1048576.0, thr, ncomp);
    if (b.out) {
        fprintf(b.out, "{\"tool\": \"csfleak\", \"threads\": %d, \"step\": \"total\", \"min\": %.6f, \"peak_rss_mib\": %.1f}\n",
                b.threads, b.total_min, (double)ru.ru_maxrss / 1024.0);
        fclose(b.out);
    }
    for (int a = 0; a < 3; a++)
        csf_volume_free(mips[a]);
    free(comps);
    free(cx);
    free(cy);
    free(mask);
    free(sac);
    free(tmp);
    free(lab);
    free(dist);
    csf_volume_free(vol);
    csf_exec_free(ex);
    return 0;
}
