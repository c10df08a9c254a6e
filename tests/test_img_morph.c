/* img: exact EDT against an exhaustive nearest-voxel search, ball morphology
 * against a brute-force sweep of the documented ball, on small random
 * anisotropic volumes, bit-identical for 1, 2 and 7 threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/exec.h"
#include "csfleak/img_morph.h"
#include "csfleak/volume.h"
#include "support/csf_test_img.h"

static const int thread_counts[] = {1, 2, 7};

static csf_exec *exec_n(int threads)
{
    csf_exec *ex = NULL;
    assert_int_equal(csf_exec_new(threads, &ex, NULL), CSF_OK);
    return ex;
}

/* ---- EDT ---- */

static void edt_reference(const csf_volume *g, const uint8_t *m, double *ref)
{
    long nx = (long)g->dim[0], ny = (long)g->dim[1], nz = (long)g->dim[2];
    size_t n = csf_volume_nvox(g), ns = 0;
    const double *s = g->spacing;
    long *seeds = malloc(3 * n * sizeof *seeds);
    assert_non_null(seeds);
    for (size_t v = 0; v < n; v++)
        if (m[v]) {
            seeds[3 * ns] = (long)v % nx;
            seeds[3 * ns + 1] = (long)(v / (size_t)nx) % ny;
            seeds[3 * ns + 2] = (long)(v / (size_t)(nx * ny));
            ns++;
        }
    for (long z = 0; z < nz; z++)
        for (long y = 0; y < ny; y++)
            for (long x = 0; x < nx; x++) {
                double best = INFINITY;
                for (size_t q = 0; q < ns; q++) {
                    double a = (double)(seeds[3 * q] - x) * s[0], b = (double)(seeds[3 * q + 1] - y) * s[1],
                           c = (double)(seeds[3 * q + 2] - z) * s[2];
                    double d = (a * a + b * b) + c * c;
                    best = d < best ? d : best;
                }
                ref[x + nx * (y + ny * z)] = sqrt(best);
            }
    free(seeds);
}

typedef struct edt_case {
    size_t nx, ny, nz;
    double sp[3];
    double density;
    uint64_t seed;
    int band; /* keep seeds only in rows j = ny/2 and ny/2 + 1: a tube along k */
} edt_case;

static const edt_case edt_cases[] = {
    {9, 8, 7, {0.7, 1.0, 2.5}, 0.02, 1, 0},   /* few seeds: long parabola envelopes */
    {9, 8, 7, {2.5, 0.7, 1.0}, 0.3, 2, 0},    /* coarsest axis along i */
    {12, 10, 6, {1.0, 2.5, 0.7}, 0.6, 3, 0},  /* dense seeds, mostly zero distances */
    {17, 5, 9, {0.7, 0.7, 2.5}, 0.01, 4, 0},  /* often a single seed: tile tail of 1 column */
    {33, 20, 1, {0.5, 1.3, 1.0}, 0.03, 5, 0}, /* 2D image */
    {1, 1, 30, {1.0, 1.0, 0.8}, 0.1, 6, 0},   /* a single column along k */
    {70, 60, 40, {0.9, 1.1, 2.0}, 0.0002, 7, 0}, /* several parallel chunks per pass */
    {20, 16, 30, {0.8, 0.8, 1.2}, 0.05, 8, 1},    /* tube along k: the k pass runs first */
    {37, 30, 12, {2.5, 0.7, 1.0}, 0.3, 9, 1},     /* tube, dense seeds, coarse i */
    {40, 12, 9, {0.7, 1.0, 2.5}, 0.97, 10, 0},    /* nearly full: all-zero lines are skipped */
};

static void edt_matches_exhaustive_search(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof edt_cases / sizeof edt_cases[0]; c++) {
        const edt_case *ec = &edt_cases[c];
        csf_volume *g = csf_test_grid(ec->nx, ec->ny, ec->nz, ec->sp);
        size_t n = csf_volume_nvox(g);
        uint8_t *m = csf_test_random_mask(n, ec->density, ec->seed);
        m[n / 3] = 1; /* at least one seed */
        for (size_t v = 0; ec->band && v < n; v++) {
            size_t j = v / ec->nx % ec->ny;
            if (j != ec->ny / 2 && j != ec->ny / 2 + 1)
                m[v] = 0;
        }
        m[ec->nx * (ec->ny / 2)] = 1;
        double *ref = malloc(n * sizeof *ref);
        float *d1 = malloc(n * sizeof *d1), *d = malloc(n * sizeof *d);
        assert_non_null(ref);
        assert_non_null(d1);
        assert_non_null(d);
        edt_reference(g, m, ref);
        for (size_t t = 0; t < 3; t++) {
            csf_exec *ex = exec_n(thread_counts[t]);
            float *out = t == 0 ? d1 : d;
            assert_int_equal(csf_img_edt(g, m, out, ex, NULL), CSF_OK);
            csf_exec_free(ex);
            if (t > 0)
                assert_memory_equal(d, d1, n * sizeof *d);
        }
        for (size_t i = 0; i < n; i++) {
            if (fabs(d1[i] - ref[i]) > 1e-6 * ref[i] + 1e-7)
                fail_msg("case %zu voxel %zu: edt %.9g, exhaustive %.9g", c, i, d1[i], ref[i]);
            if (m[i])
                assert_true(d1[i] == 0.0f);
        }
        free(ref);
        free(d1);
        free(d);
        free(m);
        csf_volume_free(g);
    }
}

static void edt_empty_and_bad_input(void **state)
{
    (void)state;
    const double sp[3] = {1, 2, 3};
    csf_volume *g = csf_test_grid(5, 4, 3, sp);
    uint8_t m[60] = {0};
    float d[60];
    /* no set voxel: every distance is infinite */
    assert_int_equal(csf_img_edt(g, m, d, NULL, NULL), CSF_OK);
    for (int i = 0; i < 60; i++)
        assert_true(isinf(d[i]) && d[i] > 0);
    csf_error err = {0};
    /* output required */
    assert_int_equal(csf_img_edt(g, m, NULL, NULL, &err), CSF_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "edt"));
    /* non-positive voxel size */
    g->spacing[2] = 0;
    assert_int_equal(csf_img_edt(g, m, d, NULL, NULL), CSF_ERR_INVALID_ARG);
    csf_volume_free(g);
}

/* ---- morphology ---- */

/* The documented ball, evaluated exactly as the header states. */
static int in_ball(const double s[3], double r, long di, long dj, long dk)
{
    double a = (double)di * s[0], b = (double)dj * s[1], c = (double)dk * s[2];
    return (a * a + b * b) + c * c <= r * r;
}

static void morph_reference(const csf_volume *g, const uint8_t *in, int dilate, double r,
                            uint8_t *out)
{
    long nx = (long)g->dim[0], ny = (long)g->dim[1], nz = (long)g->dim[2];
    const double *s = g->spacing;
    long H = (long)(r / s[0]) + 1, J = (long)(r / s[1]) + 1, K = (long)(r / s[2]) + 1;
    for (long z = 0; z < nz; z++)
        for (long y = 0; y < ny; y++)
            for (long x = 0; x < nx; x++) {
                int v = dilate ? 0 : 1;
                for (long dk = -K; dk <= K; dk++)
                    for (long dj = -J; dj <= J; dj++)
                        for (long di = -H; di <= H; di++) {
                            if (!in_ball(s, r, di, dj, dk))
                                continue;
                            long X = x + di, Y = y + dj, Z = z + dk;
                            int inside = X >= 0 && Y >= 0 && Z >= 0 && X < nx && Y < ny && Z < nz;
                            int set = inside && in[X + nx * (Y + ny * Z)];
                            if (dilate && set)
                                v = 1;
                            if (!dilate && !set)
                                v = 0;
                        }
                out[x + nx * (y + ny * z)] = (uint8_t)v;
            }
}

static void morph_reference_op(const csf_volume *g, const uint8_t *in, csf_morph_op op, double r,
                               uint8_t *out)
{
    if (op == CSF_DILATE || op == CSF_ERODE) {
        morph_reference(g, in, op == CSF_DILATE, r, out);
        return;
    }
    uint8_t *tmp = malloc(csf_volume_nvox(g));
    assert_non_null(tmp);
    morph_reference(g, in, op == CSF_CLOSE, r, tmp);
    morph_reference(g, tmp, op != CSF_CLOSE, r, out);
    free(tmp);
}

typedef struct morph_case {
    size_t nx, ny, nz;
    double sp[3];
    double density;
    uint64_t seed;
} morph_case;

static const morph_case morph_cases[] = {
    {9, 8, 7, {0.7, 1.0, 2.5}, 0.05, 11},   /* sparse specks */
    {9, 8, 7, {0.7, 1.0, 2.5}, 0.5, 12},    /* noise: many short runs */
    {10, 9, 8, {2.5, 0.7, 1.0}, 0.9, 13},   /* dense: erosion by holes and the border */
    {11, 7, 9, {1.0, 2.5, 0.7}, 0.2, 14},   /* coarse j */
    {20, 13, 1, {0.7, 1.0, 2.5}, 0.3, 15},  /* 2D image: balls leave the single slice */
    {64, 48, 24, {0.7, 1.0, 2.5}, 0.01, 16}, /* several parallel chunks of rows */
};

/* 0: identity; 1 mm: under one voxel along the 2.5 mm axis; 4 mm: wider than
 * the 2D image's k-extent and several voxels along i. */
static const double radii[] = {0.0, 1.0, 1.5, 2.0, 2.6, 3.0, 4.0};

static void morph_matches_brute_force(void **state)
{
    (void)state;
    static const csf_morph_op ops[] = {CSF_DILATE, CSF_ERODE, CSF_OPEN, CSF_CLOSE};
    for (size_t c = 0; c < sizeof morph_cases / sizeof morph_cases[0]; c++) {
        const morph_case *mc = &morph_cases[c];
        csf_volume *g = csf_test_grid(mc->nx, mc->ny, mc->nz, mc->sp);
        size_t n = csf_volume_nvox(g);
        uint8_t *in = csf_test_random_mask(n, mc->density, mc->seed);
        uint8_t *ref = malloc(n), *out = malloc(n);
        assert_non_null(ref);
        assert_non_null(out);
        int big = n > 10000; /* brute force of the large case: fewer radii */
        for (size_t ri = 0; ri < sizeof radii / sizeof radii[0]; ri += big ? 3 : 1)
            for (size_t o = 0; o < 4; o++) {
                morph_reference_op(g, in, ops[o], radii[ri], ref);
                for (size_t t = 0; t < 3; t++) {
                    csf_exec *ex = exec_n(thread_counts[t]);
                    memset(out, 0xEE, n);
                    assert_int_equal(csf_img_morph(g, in, ops[o], radii[ri], out, ex, NULL), CSF_OK);
                    csf_exec_free(ex);
                    for (size_t i = 0; i < n; i++)
                        if (out[i] != ref[i])
                            fail_msg("case %zu op %d r %g threads %d voxel %zu: %d, brute force %d",
                                     c, (int)ops[o], radii[ri], thread_counts[t], i, out[i], ref[i]);
                }
            }
        free(ref);
        free(out);
        free(in);
        csf_volume_free(g);
    }
}

typedef struct ball_case {
    double r;
    size_t voxels;
} ball_case;

/* Ball sizes on a 1 mm grid: integer points with i^2+j^2+k^2 <= r^2. */
static const ball_case ball_cases[] = {
    {0.5, 1},   /* the centre only */
    {1.0, 7},   /* the 6-neighbourhood: skimage ball(1) */
    {1.5, 19},  /* ITK's radius-1 ball: i^2+j^2+k^2 <= 2.25 */
    {1.8, 27},  /* the full 3x3x3 cube */
    {3.0, 123}, /* skimage ball(3) */
    {3.5, 179}, /* ITK's radius-3 ball */
};

static void ball_sizes_on_unit_grid(void **state)
{
    (void)state;
    const double sp[3] = {1, 1, 1};
    csf_volume *g = csf_test_grid(11, 11, 11, sp);
    size_t n = csf_volume_nvox(g);
    uint8_t *in = calloc(n, 1), *out = malloc(n);
    assert_non_null(in);
    assert_non_null(out);
    in[5 + 11 * (5 + 11 * 5)] = 1;
    for (size_t b = 0; b < sizeof ball_cases / sizeof ball_cases[0]; b++) {
        assert_int_equal(csf_img_morph(g, in, CSF_DILATE, ball_cases[b].r, out, NULL, NULL), CSF_OK);
        size_t cnt = 0;
        for (size_t i = 0; i < n; i++)
            cnt += out[i];
        assert_int_equal(cnt, ball_cases[b].voxels);
    }
    free(in);
    free(out);
    csf_volume_free(g);
}

static void morph_bad_input(void **state)
{
    (void)state;
    const double sp[3] = {1, 1, 1};
    csf_volume *g = csf_test_grid(4, 4, 4, sp);
    uint8_t in[64] = {0}, out[64];
    csf_error err = {0};
    /* negative radius */
    assert_int_equal(csf_img_morph(g, in, CSF_DILATE, -1, out, NULL, &err), CSF_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "radius"));
    /* NaN radius */
    assert_int_equal(csf_img_morph(g, in, CSF_DILATE, NAN, out, NULL, NULL), CSF_ERR_INVALID_ARG);
    /* in-place is not allowed */
    assert_int_equal(csf_img_morph(g, in, CSF_ERODE, 1, in, NULL, NULL), CSF_ERR_INVALID_ARG);
    /* unknown operation */
    assert_int_equal(csf_img_morph(g, in, (csf_morph_op)9, 1, out, NULL, NULL), CSF_ERR_INVALID_ARG);
    /* huge radius: erosion empties the grid, dilation of nothing stays empty */
    memset(in, 1, sizeof in);
    assert_int_equal(csf_img_morph(g, in, CSF_ERODE, 1e300, out, NULL, NULL), CSF_OK);
    for (int i = 0; i < 64; i++)
        assert_int_equal(out[i], 0);
    in[0] = 0;
    in[1] = 1;
    memset(in, 0, sizeof in);
    in[21] = 1;
    assert_int_equal(csf_img_morph(g, in, CSF_DILATE, 1e300, out, NULL, NULL), CSF_OK);
    for (int i = 0; i < 64; i++)
        assert_int_equal(out[i], 1);
    in[21] = 0;
    assert_int_equal(csf_img_morph(g, in, CSF_DILATE, 1e300, out, NULL, NULL), CSF_OK);
    for (int i = 0; i < 64; i++)
        assert_int_equal(out[i], 0);
    csf_volume_free(g);
}

static int cancel_now(void *user, const char *stage, double frac)
{
    (void)stage;
    (void)frac;
    ++*(int *)user;
    return 1;
}

/* A progress callback that asks to stop cancels EDT and opening. */
static void cancel_stops(void **state)
{
    (void)state;
    const double sp[3] = {1, 1, 1};
    csf_volume *g = csf_test_grid(6, 5, 4, sp);
    uint8_t in[120] = {0}, out[120];
    float d[120];
    in[7] = 1;
    csf_exec *ex = exec_n(2);
    int calls = 0;
    csf_exec_set_progress(ex, cancel_now, &calls);
    csf_error err = {0};
    assert_int_equal(csf_img_edt(g, in, d, ex, &err), CSF_ERR_CANCELLED);
    assert_int_equal(err.code, CSF_ERR_CANCELLED);
    csf_error_clear(&err);
    assert_int_equal(csf_img_morph(g, in, CSF_OPEN, 1.0, out, ex, &err), CSF_ERR_CANCELLED);
    assert_int_equal(calls, 2);
    csf_exec_free(ex);
    csf_volume_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(edt_matches_exhaustive_search),
        cmocka_unit_test(edt_empty_and_bad_input),
        cmocka_unit_test(morph_matches_brute_force),
        cmocka_unit_test(ball_sizes_on_unit_grid),
        cmocka_unit_test(morph_bad_input),
        cmocka_unit_test(cancel_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
