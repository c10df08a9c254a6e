/* img: connected components and their statistics, against a brute-force flood
 * fill and direct per-voxel sums, bit-identical for 1, 2 and 7 threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/exec.h"
#include "csfleak/img_label.h"
#include "csfleak/volume.h"
#include "support/csf_test_img.h"

/* Breadth-first flood fill, seeds taken in raster order: the reference. */
static size_t flood_fill(const csf_volume *g, const uint8_t *m, int conn, uint32_t *lab)
{
    long nx = (long)g->dim[0], ny = (long)g->dim[1], nz = (long)g->dim[2];
    size_t n = (size_t)(nx * ny * nz), ncomp = 0;
    size_t *queue = malloc(n * sizeof *queue);
    assert_non_null(queue);
    memset(lab, 0, n * sizeof *lab);
    for (size_t seed = 0; seed < n; seed++) {
        if (!m[seed] || lab[seed])
            continue;
        size_t head = 0, tail = 0;
        lab[seed] = (uint32_t)++ncomp;
        queue[tail++] = seed;
        while (head < tail) {
            size_t v = queue[head++];
            long x = (long)v % nx, y = (long)(v / (size_t)nx) % ny, z = (long)(v / (size_t)(nx * ny));
            for (int dz = -1; dz <= 1; dz++)
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) {
                        int nnz = (dx != 0) + (dy != 0) + (dz != 0);
                        if (nnz == 0 || (conn == 6 && nnz > 1) || (conn == 18 && nnz > 2))
                            continue;
                        long X = x + dx, Y = y + dy, Z = z + dz;
                        if (X < 0 || Y < 0 || Z < 0 || X >= nx || Y >= ny || Z >= nz)
                            continue;
                        size_t w = (size_t)(X + nx * (Y + ny * Z));
                        if (m[w] && !lab[w]) {
                            lab[w] = (uint32_t)ncomp;
                            queue[tail++] = w;
                        }
                    }
        }
    }
    free(queue);
    return ncomp;
}

static csf_status label_threads(int threads, const csf_volume *g, const uint8_t *m, int conn,
                                uint32_t *lab, size_t *ncomp, csf_component **comps)
{
    csf_exec *ex = NULL;
    assert_int_equal(csf_exec_new(threads, &ex, NULL), CSF_OK);
    csf_error err = {0};
    csf_status st = csf_img_label(g, m, (csf_connectivity)conn, lab, ncomp, comps, ex, &err);
    csf_exec_free(ex);
    return st;
}

typedef struct label_case {
    size_t nx, ny, nz;
    double density;
    uint64_t seed;
} label_case;

static const label_case label_cases[] = {
    {7, 6, 5, 0.3, 1},       /* below percolation: many small components */
    {7, 6, 5, 0.6, 2},       /* dense: long runs, few components */
    {16, 9, 11, 0.2, 3},     /* 16-wide rows: word-at-a-time run scan on full words */
    {13, 11, 9, 0.45, 4},    /* odd widths: scan tails */
    {1, 1, 40, 0.5, 5},      /* a single column: every run has length 1 */
    {40, 1, 1, 0.5, 6},      /* a single row */
    {23, 17, 1, 0.5, 7},     /* 2D image */
    {2048, 256, 5, 0.25, 8}, /* 2-slice slabs: seams between slabs are joined serially */
    {5, 5, 5, 1.0, 9},       /* full volume: one component */
    {5, 5, 5, 0.0, 10},      /* empty volume: no component */
};

static void label_matches_flood_fill(void **state)
{
    (void)state;
    static const int conns[] = {6, 18, 26};
    static const int threads[] = {1, 2, 7};
    const double sp[3] = {0.7, 1.0, 2.5};
    for (size_t c = 0; c < sizeof label_cases / sizeof label_cases[0]; c++) {
        const label_case *lc = &label_cases[c];
        csf_volume *g = csf_test_grid(lc->nx, lc->ny, lc->nz, sp);
        size_t n = csf_volume_nvox(g);
        uint8_t *m = csf_test_random_mask(n, lc->density, lc->seed);
        uint32_t *ref = malloc(n * sizeof *ref), *lab = malloc(n * sizeof *lab);
        assert_non_null(ref);
        assert_non_null(lab);
        for (size_t ci = 0; ci < 3; ci++) {
            size_t nref = flood_fill(g, m, conns[ci], ref);
            for (size_t t = 0; t < 3; t++) {
                size_t ncomp = 12345;
                memset(lab, 0xAB, n * sizeof *lab);
                assert_int_equal(label_threads(threads[t], g, m, conns[ci], lab, &ncomp, NULL), CSF_OK);
                assert_int_equal(ncomp, nref);
                assert_memory_equal(lab, ref, n * sizeof *lab);
            }
        }
        free(ref);
        free(lab);
        free(m);
        csf_volume_free(g);
    }
}

/* Oblique affine: rotation by 30 degrees about (1,2,2)/3, scaled per column. */
static void set_oblique(csf_volume *g)
{
    double ax[3] = {1 / 3.0, 2 / 3.0, 2 / 3.0}, th = M_PI / 6, c = cos(th), s = sin(th);
    double R[3][3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            R[i][j] = (i == j ? c : 0) + (1 - c) * ax[i] * ax[j];
    R[0][1] -= s * ax[2], R[1][0] += s * ax[2];
    R[0][2] += s * ax[1], R[2][0] -= s * ax[1];
    R[1][2] -= s * ax[0], R[2][1] += s * ax[0];
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++)
            g->affine[i][j] = R[i][j] * g->spacing[j];
        g->affine[i][3] = 10.0 * (i + 1) - 40;
    }
}

typedef struct ref_stats {
    size_t n, lo[3], hi[3];
    double cv[3], cmm[3], cov[3][3];
} ref_stats;

/* Direct per-voxel sums, centred covariance in world mm (two passes). */
static void direct_stats(const csf_volume *g, const uint32_t *lab, uint32_t l, ref_stats *r)
{
    size_t nx = g->dim[0], ny = g->dim[1], n = csf_volume_nvox(g);
    memset(r, 0, sizeof *r);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t v = 0; v < n; v++) {
            if (lab[v] != l)
                continue;
            double ijk[3] = {(double)(v % nx), (double)(v / nx % ny), (double)(v / (nx * ny))}, w[3];
            csf_volume_ijk_to_ras(g, ijk, w);
            if (pass == 1) {
                for (int p = 0; p < 3; p++)
                    for (int q = 0; q < 3; q++)
                        r->cov[p][q] += (w[p] - r->cmm[p]) * (w[q] - r->cmm[q]) / (double)r->n;
                continue;
            }
            for (int a = 0; a < 3; a++) {
                size_t x = (size_t)ijk[a];
                r->lo[a] = r->n == 0 || x < r->lo[a] ? x : r->lo[a];
                r->hi[a] = r->n == 0 || x > r->hi[a] ? x : r->hi[a];
                r->cv[a] += ijk[a];
                r->cmm[a] += w[a];
            }
            r->n++;
        }
        if (pass == 0)
            for (int a = 0; a < 3; a++) {
                r->cv[a] /= (double)r->n;
                r->cmm[a] /= (double)r->n;
            }
    }
}

static void check_component(const csf_volume *g, const csf_component *c, const ref_stats *r)
{
    assert_int_equal(c->voxels, r->n);
    assert_true(fabs(c->volume_ml - (double)r->n * 0.7 * 1.0 * 2.5 / 1000) < 1e-12);
    double trace = 0, scale = 1;
    for (int a = 0; a < 3; a++) {
        assert_int_equal(c->bbox_min[a], r->lo[a]);
        assert_int_equal(c->bbox_max[a], r->hi[a]);
        assert_true(fabs(c->centroid_vox[a] - r->cv[a]) < 1e-9);
        assert_true(fabs(c->centroid_mm[a] - r->cmm[a]) < 1e-9);
        trace += r->cov[a][a];
        scale += fabs(r->cov[a][a]);
    }
    double lsum = 0;
    for (int k = 0; k < 3; k++) {
        double lam = c->axes_mm[k] * c->axes_mm[k] / 16, norm = 0;
        if (k > 0)
            assert_true(c->axes_mm[k] <= c->axes_mm[k - 1]);
        lsum += lam;
        for (int p = 0; p < 3; p++) {
            double cd = 0;
            for (int q = 0; q < 3; q++)
                cd += r->cov[p][q] * c->axis_dir[k][q];
            assert_true(fabs(cd - lam * c->axis_dir[k][p]) < 1e-9 * scale); /* C d = lambda d */
            norm += c->axis_dir[k][p] * c->axis_dir[k][p];
        }
        assert_true(fabs(norm - 1) < 1e-12);
        for (int m = 0; m < k; m++) {
            double dot = 0;
            for (int p = 0; p < 3; p++)
                dot += c->axis_dir[k][p] * c->axis_dir[m][p];
            assert_true(fabs(dot) < 1e-9);
        }
    }
    assert_true(fabs(lsum - trace) < 1e-9 * scale);
    double minsp = fmin(fmin(g->spacing[0], g->spacing[1]), g->spacing[2]);
    assert_true(fabs(c->elongation - c->axes_mm[0] / fmax(c->axes_mm[1], minsp)) < 1e-12);
}

static void stats_match_direct_sums(void **state)
{
    (void)state;
    const double sp[3] = {0.7, 1.0, 2.5};
    csf_volume *g = csf_test_grid(19, 14, 12, sp);
    set_oblique(g);
    size_t n = csf_volume_nvox(g);
    uint8_t *m = csf_test_random_mask(n, 0.1, 77); /* sparse enough for many components */
    uint32_t *lab = malloc(n * sizeof *lab);
    assert_non_null(lab);
    size_t ncomp = 0;
    csf_component *ref_c = NULL;
    assert_int_equal(label_threads(1, g, m, 26, lab, &ncomp, &ref_c), CSF_OK);
    assert_true(ncomp > 5);
    for (size_t c = 0; c < ncomp; c++) {
        ref_stats r;
        direct_stats(g, lab, (uint32_t)(c + 1), &r);
        assert_int_equal(ref_c[c].label, c + 1);
        check_component(g, &ref_c[c], &r);
    }
    static const int threads[] = {2, 7};
    for (size_t t = 0; t < 2; t++) {
        size_t n2 = 0;
        csf_component *cs = NULL;
        assert_int_equal(label_threads(threads[t], g, m, 26, NULL, &n2, &cs), CSF_OK);
        assert_int_equal(n2, ncomp);
        assert_memory_equal(cs, ref_c, ncomp * sizeof *cs);
        free(cs);
    }
    free(ref_c);
    free(lab);
    free(m);
    csf_volume_free(g);
}

/* A 10 x 3 x 1 box on an axis-aligned grid: variance along i is
 * (10^2 - 1)/12 * sx^2, along j (3^2 - 1)/12 * sy^2, none along k. */
static void stats_known_box(void **state)
{
    (void)state;
    const double sp[3] = {0.7, 1.0, 2.5};
    csf_volume *g = csf_test_grid(14, 6, 4, sp);
    size_t n = csf_volume_nvox(g);
    uint8_t *m = calloc(n, 1);
    assert_non_null(m);
    for (size_t j = 2; j < 5; j++)
        for (size_t i = 3; i < 13; i++)
            m[i + 14 * (j + 6 * 1)] = 1;
    size_t ncomp = 0;
    csf_component *c = NULL;
    assert_int_equal(label_threads(2, g, m, 6, NULL, &ncomp, &c), CSF_OK);
    assert_int_equal(ncomp, 1);
    assert_int_equal(c[0].voxels, 30);
    assert_true(fabs(c[0].volume_ml - 30 * 1.75 / 1000) < 1e-15);
    assert_true(fabs(c[0].centroid_mm[0] - 7.5 * 0.7) < 1e-12);
    assert_true(fabs(c[0].centroid_mm[1] - 3.0) < 1e-12);
    assert_true(fabs(c[0].centroid_mm[2] - 2.5) < 1e-12);
    assert_true(fabs(c[0].axes_mm[0] - 4 * sqrt(99.0 / 12) * 0.7) < 1e-12);
    assert_true(fabs(c[0].axes_mm[1] - 4 * sqrt(8.0 / 12)) < 1e-12);
    assert_true(c[0].axes_mm[2] < 1e-12);
    assert_true(fabs(c[0].axis_dir[0][0] - 1) < 1e-12);
    assert_true(fabs(c[0].axis_dir[1][1] - 1) < 1e-12);
    assert_true(fabs(c[0].elongation - c[0].axes_mm[0] / c[0].axes_mm[1]) < 1e-12);
    size_t b0[3] = {3, 2, 1}, b1[3] = {12, 4, 1};
    assert_memory_equal(c[0].bbox_min, b0, sizeof b0);
    assert_memory_equal(c[0].bbox_max, b1, sizeof b1);
    free(c);
    free(m);
    csf_volume_free(g);
}

static void empty_and_bad_input(void **state)
{
    (void)state;
    const double sp[3] = {1, 1, 1};
    csf_volume *g = csf_test_grid(4, 4, 4, sp);
    uint8_t m[64] = {0};
    uint32_t lab[64];
    size_t ncomp = 99;
    csf_component *c = (csf_component *)lab;
    assert_int_equal(csf_img_label(g, m, CSF_CONN_26, lab, &ncomp, &c, NULL, NULL), CSF_OK);
    assert_int_equal(ncomp, 0);
    assert_null(c);
    for (int i = 0; i < 64; i++)
        assert_int_equal(lab[i], 0);
    csf_error err = {0};
    /* a mask is required */
    assert_int_equal(csf_img_label(g, NULL, CSF_CONN_6, lab, &ncomp, NULL, NULL, &err), CSF_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "label"));
    csf_error_clear(&err);
    /* connectivity must be 6, 18 or 26 */
    assert_int_equal(csf_img_label(g, m, (csf_connectivity)8, lab, &ncomp, NULL, NULL, &err), CSF_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "connectivity"));
    /* ncomp is required */
    assert_int_equal(csf_img_label(g, m, CSF_CONN_6, lab, NULL, NULL, NULL, NULL), CSF_ERR_INVALID_ARG);
    /* a grid with a zero dimension */
    g->dim[1] = 0;
    assert_int_equal(csf_img_label(g, m, CSF_CONN_6, lab, &ncomp, NULL, NULL, NULL), CSF_ERR_INVALID_ARG);
    g->dim[1] = 4;
    csf_volume_free(g);
}

/* Largest component vs flood fill + voxel counts (first in raster order on
 * ties), into a separate buffer and in place, for 1, 2 and 7 threads. */
static void largest_matches_flood_fill(void **state)
{
    (void)state;
    static const int threads[] = {1, 2, 7};
    const double sp[3] = {1.0, 0.7, 2.5};
    for (size_t c = 0; c < sizeof label_cases / sizeof label_cases[0]; c++) {
        const label_case *lc = &label_cases[c];
        if (lc->nx * lc->ny * lc->nz > 100000)
            continue;
        csf_volume *g = csf_test_grid(lc->nx, lc->ny, lc->nz, sp);
        size_t n = csf_volume_nvox(g);
        uint8_t *m = csf_test_random_mask(n, lc->density, lc->seed + 100);
        uint32_t *ref = malloc(n * sizeof *ref);
        uint8_t *out = malloc(n), *inplace = malloc(n);
        assert_non_null(ref);
        assert_non_null(out);
        assert_non_null(inplace);
        size_t nref = flood_fill(g, m, 18, ref);
        size_t *cnt = calloc(nref + 1, sizeof *cnt), best = 0;
        assert_non_null(cnt);
        for (size_t i = 0; i < n; i++)
            cnt[ref[i]]++;
        for (size_t l = 1; l <= nref; l++)
            if (best == 0 || cnt[l] > cnt[best])
                best = l;
        for (size_t t = 0; t < 3; t++) {
            csf_exec *ex = NULL;
            assert_int_equal(csf_exec_new(threads[t], &ex, NULL), CSF_OK);
            size_t vox = 999;
            assert_int_equal(csf_img_largest_component(g, m, CSF_CONN_18, out, &vox, ex, NULL), CSF_OK);
            memcpy(inplace, m, n);
            assert_int_equal(csf_img_largest_component(g, inplace, CSF_CONN_18, inplace, NULL, ex, NULL),
                             CSF_OK);
            csf_exec_free(ex);
            assert_int_equal(vox, best ? cnt[best] : 0);
            for (size_t i = 0; i < n; i++)
                assert_int_equal(out[i], best != 0 && ref[i] == best);
            assert_memory_equal(inplace, out, n);
        }
        free(cnt);
        free(ref);
        free(out);
        free(inplace);
        free(m);
        csf_volume_free(g);
    }
}

static int cancel_now(void *user, const char *stage, double frac)
{
    (void)user;
    (void)stage;
    (void)frac;
    return 1;
}

/* A progress callback that asks to stop cancels labelling. */
static void label_cancel(void **state)
{
    (void)state;
    const double sp[3] = {1, 1, 1};
    csf_volume *g = csf_test_grid(6, 5, 4, sp);
    uint8_t m[120] = {0};
    m[3] = 1;
    uint32_t lab[120];
    size_t ncomp = 77;
    csf_exec *ex = NULL;
    assert_int_equal(csf_exec_new(2, &ex, NULL), CSF_OK);
    csf_exec_set_progress(ex, cancel_now, NULL);
    csf_error err = {0};
    assert_int_equal(csf_img_label(g, m, CSF_CONN_6, lab, &ncomp, NULL, ex, &err), CSF_ERR_CANCELLED);
    assert_int_equal(ncomp, 77); /* outputs untouched on failure */
    assert_int_equal(csf_img_largest_component(g, m, CSF_CONN_6, m, NULL, ex, NULL), CSF_ERR_CANCELLED);
    csf_exec_free(ex);
    csf_volume_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(label_matches_flood_fill),
        cmocka_unit_test(stats_match_direct_sums),
        cmocka_unit_test(stats_known_box),
        cmocka_unit_test(empty_and_bad_input),
        cmocka_unit_test(largest_matches_flood_fill),
        cmocka_unit_test(label_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
