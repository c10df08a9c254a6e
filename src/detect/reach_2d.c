/* Lateral reach of faint fluid beside one level of a 2D projection.
 *
 * Leaked CSF runs laterally as streaks about 1.5-2.5 mm thick; in a 50 mm
 * slab they add only a tenth or so of a CSF column, below the quarter-maximum
 * fluid threshold, so the thresholded component stops at the expanded sleeve.
 * Here the fluid is followed instead down to what the image noise allows:
 * pixels whose 3 x 3 mean stands 3 noise standard deviations of that mean
 * (the pixel noise sigma itself) above the local background, connected to the
 * band just outside the wall. The noise sigma comes from the image
 * (calibration: median - 25th percentile = 0.674 sigma), the local background
 * from the far lateral band of the same rows, so the rule is scale-free; the
 * noise of the 3 x 3 mean is also measured on the means in that band, so the
 * threshold holds when another scanner's point-spread function correlates
 * the noise. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/img_stats.h"
#include "detect_internal.h"

#define FROM_MM 1.0      /* past the wall's partial-volume rim */
#define SEED_TO_MM 5.0   /* seeds: the band at the sleeve root (levels_2d.c) */
#define REACH_MAX_MM 70.0 /* the search box of extras.c */
#define BG_FROM_MM 45.0  /* beyond any sleeve or leak of this level: background */
#define NOISE_SD 3.0

typedef struct grid {
    const float *img;
    size_t nx;
    double sx;
    size_t k0, nk, nt; /* rows k0..k0+nk-1, columns t = 0..nt-1 outward */
    const csf_sac_slice *s;
    int right;
} grid;

/* Image column of outward column t in row k; -1 outside the image. */
static long col(const grid *g, size_t k, size_t t)
{
    const csf_sac_slice *sl = &g->s[k];
    double R = sl->radius_mm[g->right ? 0 : CSF_SAC_NRAYS / 2];
    double d = R + FROM_MM + (double)t * g->sx;
    long i = lround(sl->center_vox[0] + (g->right ? d : -d) / g->sx);
    return i >= 0 && (size_t)i < g->nx ? i : -1;
}

/* 3 x 3 mean around (i, k) within the grid's rows. */
static double mean3(const grid *g, long i, size_t k)
{
    double s = 0;
    int m = 0;
    for (long dk = -1; dk <= 1; dk++) {
        long kk = (long)k + dk;
        if (kk < (long)g->k0 || kk >= (long)(g->k0 + g->nk))
            continue;
        for (long di = -1; di <= 1; di++) {
            long ii = i + di;
            if (ii < 0 || (size_t)ii >= g->nx)
                continue;
            s += g->img[(size_t)ii + g->nx * (size_t)kk];
            m++;
        }
    }
    return m ? s / m : NAN;
}

/* Median of the raw pixels from BG_FROM_MM outward (*bg) and the standard
 * deviation of their 3 x 3 means there (*sd3, from median - 25th
 * percentile = 0.674 sd); NaN when none. */
static void local_background(const grid *g, double *bg, double *sd3)
{
    size_t t0 = (size_t)((BG_FROM_MM - FROM_MM) / g->sx), cap = g->nk * (g->nt - t0), m = 0;
    double *v = malloc((2 * cap + 1) * sizeof *v);
    *bg = *sd3 = NAN;
    if (v == NULL)
        return;
    double *w = v + cap;
    for (size_t q = 0; q < g->nk; q++)
        for (size_t t = t0; t < g->nt; t++) {
            long i = col(g, g->k0 + q, t);
            if (i >= 0) {
                v[m] = g->img[(size_t)i + g->nx * (g->k0 + q)];
                w[m++] = mean3(g, i, g->k0 + q);
            }
        }
    if (m > 0) {
        /* selections, not sorts: this runs for every level and side, over
         * the whole far band (the sorts were a third of a 2D analysis) */
        *bg = csf_img_select_kth(v, m, m / 2);
        double q50 = csf_img_select_kth(w, m, m / 2);
        *sd3 = (q50 - csf_img_select_kth(w, m, m / 4)) / 0.674;
    }
    free(v);
}

double csf_detect_faint_reach_2d(const csf_spine *sp, double zlo, double zhi, int right)
{
    const csf_volume *v = csf_spine_volume(sp);
    size_t n, k_first, k_last;
    const csf_sac_slice *s = csf_spine_slices(sp, &n, &k_first, &k_last);
    size_t a = SIZE_MAX, b = 0;
    for (size_t k = k_first; k <= k_last; k++)
        if (s[k].center_mm[2] >= zlo && s[k].center_mm[2] < zhi && isfinite(s[k].radius_mm[0]) &&
            isfinite(s[k].radius_mm[CSF_SAC_NRAYS / 2])) {
            a = k < a ? k : a;
            b = k > b ? k : b;
        }
    double noise = csf_spine_noise_sd(sp);
    if (a == SIZE_MAX || !(noise > 0))
        return NAN;
    grid g = {v->data, v->dim[0], v->spacing[0], a, b - a + 1,
              (size_t)((REACH_MAX_MM - FROM_MM) / v->spacing[0]) + 1, s, right};
    double bg, sd3;
    local_background(&g, &bg, &sd3);
    /* 3 SDs of the 3 x 3 mean. With white noise the mean has a ninth of
     * the pixel variance (noise / 3). Seen through a wider point-spread
     * function the noise is correlated: the pixel SD falls more than the
     * SD of a 3 x 3 mean, and noise / 3 sinks into the noise of the mean
     * (a phantom blurred by 0.8 pixel: noise / 3 fell from 24.7 to 8.8, the
     * spread of the means in the far band only from 21.5 to 15.5, so the
     * threshold fell from 3.4 to 1.7 of the means' SDs, the neighbouring
     * sleeves' faint reach ran on through the noise and grade-2 leaks were
     * graded 1). So the SD of the mean is also measured on the means
     * themselves, in the far band of the same rows, and the larger of the
     * two holds: as generated (white noise) they agree within the band's
     * own texture, and noise / 3 stays the floor. */
    double thr = bg + NOISE_SD * fmax(sd3, noise / 3.0);
    size_t np = g.nk * g.nt, top = 0;
    uint8_t *seen = calloc(np, 1);
    size_t *stack = malloc(np * sizeof *stack);
    double reach = NAN;
    if (!isfinite(bg) || seen == NULL || stack == NULL)
        goto done;
    size_t seed_to = (size_t)((SEED_TO_MM - FROM_MM) / g.sx);
    for (size_t q = 0; q < g.nk; q++)
        for (size_t t = 0; t <= seed_to && t < g.nt; t++) {
            long i = col(&g, g.k0 + q, t);
            if (i >= 0 && mean3(&g, i, g.k0 + q) > thr) {
                seen[q * g.nt + t] = 1;
                stack[top++] = q * g.nt + t;
            }
        }
    reach = 0;
    while (top > 0) {
        size_t p = stack[--top], q = p / g.nt, t = p % g.nt;
        reach = fmax(reach, FROM_MM + (double)t * g.sx);
        for (long dq = -1; dq <= 1; dq++)
            for (long dt = -1; dt <= 1; dt++) {
                long qq = (long)q + dq, tt = (long)t + dt;
                if (qq < 0 || tt < 0 || qq >= (long)g.nk || tt >= (long)g.nt)
                    continue;
                size_t pp = (size_t)qq * g.nt + (size_t)tt;
                if (seen[pp])
                    continue;
                long i = col(&g, g.k0 + (size_t)qq, (size_t)tt);
                seen[pp] = 1;
                if (i >= 0 && mean3(&g, i, g.k0 + (size_t)qq) > thr)
                    stack[top++] = pp;
            }
    }
done:
    free(seen);
    free(stack);
    return reach;
}
