/* Per-component statistics, accumulated exactly in integers from the runs.
 *
 * Sums of i, j, k and their products over a run have closed forms, so each
 * run costs O(1). Integer sums make the moments exact and independent of
 * summation order; the covariance numerators n*Sxy - Sx*Sy are exact in
 * 128 bits and only the final division is rounded. */
#include "csfleak/img_label.h"
#include "csfleak/img_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "img/runs.h"

__extension__ typedef __int128 i128;

typedef struct acc {
    uint64_t n;
    uint64_t s[3];      /* sum of i, j, k */
    uint64_t ss[3][3];  /* sum of products, upper triangle used */
    size_t lo[3], hi[3];
} acc;

/* Sum of x for x in [0, n]: n(n+1)/2, and of x^2: n(n+1)(2n+1)/6. */
static uint64_t sum1(uint64_t n) { return n * (n + 1) / 2; }
static uint64_t sum2(uint64_t n) { return n * (n + 1) * (2 * n + 1) / 6; }

static void acc_run(acc *a, uint64_t x0, uint64_t x1, uint64_t j, uint64_t k)
{
    uint64_t L = x1 - x0 + 1;
    uint64_t sx = sum1(x1) - (x0 ? sum1(x0 - 1) : 0);
    uint64_t sxx = sum2(x1) - (x0 ? sum2(x0 - 1) : 0);
    if (a->n == 0) {
        a->lo[0] = x0, a->lo[1] = j, a->lo[2] = k;
        a->hi[0] = x1, a->hi[1] = j, a->hi[2] = k;
    }
    a->lo[0] = x0 < a->lo[0] ? x0 : a->lo[0];
    a->hi[0] = x1 > a->hi[0] ? x1 : a->hi[0];
    a->lo[1] = j < a->lo[1] ? j : a->lo[1];
    a->hi[1] = j > a->hi[1] ? j : a->hi[1];
    a->hi[2] = k; /* runs arrive in raster order: k never decreases */
    a->n += L;
    a->s[0] += sx;
    a->s[1] += j * L;
    a->s[2] += k * L;
    a->ss[0][0] += sxx;
    a->ss[0][1] += j * sx;
    a->ss[0][2] += k * sx;
    a->ss[1][1] += j * j * L;
    a->ss[1][2] += j * k * L;
    a->ss[2][2] += k * k * L;
}

/* Principal axes of the voxel-centre covariance mapped to RAS mm. */
static void fill_axes(const csf_volume *geom, const acc *a, csf_component *c)
{
    double C[3][3], M[9], w[3], V[9];
    i128 n = (i128)a->n;
    double n2 = (double)a->n * (double)a->n;
    for (int p = 0; p < 3; p++)
        for (int q = p; q < 3; q++) {
            i128 num = n * (i128)a->ss[p][q] - (i128)a->s[p] * (i128)a->s[q];
            C[p][q] = C[q][p] = (double)num / n2;
        }
    for (int r = 0; r < 3; r++) /* M = A C A^T with A the affine's linear part */
        for (int s = 0; s < 3; s++) {
            double v = 0;
            for (int p = 0; p < 3; p++)
                for (int q = 0; q < 3; q++)
                    v += geom->affine[r][p] * C[p][q] * geom->affine[s][q];
            M[3 * r + s] = v;
        }
    csf_img_sym3_eigen(M, w, V); /* descending */
    for (int k = 0; k < 3; k++) {
        c->axes_mm[k] = 4 * sqrt(w[k] > 0 ? w[k] : 0);
        int big = 0; /* sign convention: largest component positive */
        for (int r = 1; r < 3; r++)
            if (fabs(V[3 * r + k]) > fabs(V[3 * big + k]))
                big = r;
        double sg = V[3 * big + k] < 0 ? -1.0 : 1.0;
        for (int r = 0; r < 3; r++)
            c->axis_dir[k][r] = sg * V[3 * r + k];
    }
    double vox = geom->spacing[0];
    for (int i = 1; i < 3; i++)
        vox = geom->spacing[i] < vox ? geom->spacing[i] : vox;
    c->elongation = c->axes_mm[0] / (c->axes_mm[1] > vox ? c->axes_mm[1] : vox);
}

static void finish(const csf_volume *geom, const acc *a, uint32_t label, csf_component *c)
{
    memset(c, 0, sizeof *c);
    c->label = label;
    c->voxels = a->n;
    c->volume_ml = (double)a->n * geom->spacing[0] * geom->spacing[1] * geom->spacing[2] / 1000.0;
    for (int i = 0; i < 3; i++) {
        c->bbox_min[i] = a->lo[i];
        c->bbox_max[i] = a->hi[i];
        c->centroid_vox[i] = (double)a->s[i] / (double)a->n;
    }
    csf_volume_ijk_to_ras(geom, c->centroid_vox, c->centroid_mm);
    fill_axes(geom, a, c);
}

csf_status csf_img_component_stats(const csf_volume *geom, const csf_runs *runs,
                                   const uint32_t *run_label, size_t ncomp,
                                   csf_component **out, csf_error *err)
{
    *out = NULL;
    if (ncomp == 0)
        return CSF_OK;
    acc *a = calloc(ncomp, sizeof *a);
    csf_component *cs = malloc(ncomp * sizeof *cs);
    if (a == NULL || cs == NULL) {
        free(a);
        free(cs);
        return csf_error_set(err, CSF_ERR_NOMEM, "label: cannot allocate %zu components", ncomp);
    }
    for (size_t row = 0; row < runs->nrows; row++) {
        size_t j = row % runs->ny, k = row / runs->ny;
        for (uint32_t r = runs->row_start[row]; r < runs->row_start[row + 1]; r++)
            acc_run(&a[run_label[r] - 1], runs->x0[r], runs->x1[r], j, k);
    }
    for (size_t i = 0; i < ncomp; i++)
        finish(geom, &a[i], (uint32_t)(i + 1), &cs[i]);
    free(a);
    *out = cs;
    return CSF_OK;
}
