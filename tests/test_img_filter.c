/* img filter: Gaussian smoothing, projections and trilinear resampling, each
 * against a brute-force reference on small random anisotropic volumes and
 * bit-identical for 1, 2 and 7 threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/exec.h"
#include "csfleak/img_filter.h"
#include "support/csf_test_img.h"

static const int k_threads[] = {1, 2, 7};
#define NTHREADS (sizeof k_threads / sizeof k_threads[0])

static csf_volume *random_volume(size_t nx, size_t ny, size_t nz, const double sp[3], uint64_t seed)
{
    size_t dim[4] = {nx, ny, nz, 1};
    csf_volume *v = NULL;
    assert_int_equal(csf_volume_new(dim, sp, &v, NULL), CSF_OK);
    uint64_t s = seed;
    for (size_t i = 0; i < nx * ny * nz; i++)
        v->data[i] = (float)(-500 + 3000 * csf_test_uniform(&s));
    return v;
}

static csf_exec *exec_n(int threads)
{
    csf_exec *ex = NULL;
    assert_int_equal(csf_exec_new(threads, &ex, NULL), CSF_OK);
    return ex;
}

static double max_abs(const csf_volume *v)
{
    double m = 0;
    for (size_t i = 0; i < csf_volume_nvox(v); i++)
        m = fmax(m, fabs(v->data[i]));
    return m;
}

/* ------------------------------------------------------------ Gaussian */

static size_t reflect_ref(long i, long n)
{
    /* walk outwards one mirror at a time: independent of the modulo form */
    while (i < 0 || i >= n)
        i = i < 0 ? -i - 1 : 2 * n - 1 - i;
    return (size_t)i;
}

/* Triple sum over the full 3D kernel in double. */
static double *gauss_ref(const csf_volume *in, const double sigma_mm[3])
{
    long n[3], r[3];
    double *w[3];
    for (int a = 0; a < 3; a++) {
        n[a] = (long)in->dim[a];
        double s = sigma_mm[a] / in->spacing[a];
        r[a] = (long)(4.0 * s + 0.5);
        w[a] = malloc((size_t)(2 * r[a] + 1) * sizeof(double));
        double sum = 0;
        for (long j = -r[a]; j <= r[a]; j++)
            sum += w[a][j + r[a]] = r[a] == 0 ? 1.0 : exp(-0.5 * (double)(j * j) / (s * s));
        for (long j = -r[a]; j <= r[a]; j++)
            w[a][j + r[a]] /= sum;
    }
    double *out = calloc((size_t)(n[0] * n[1] * n[2]), sizeof *out);
    for (long z = 0; z < n[2]; z++)
        for (long y = 0; y < n[1]; y++)
            for (long x = 0; x < n[0]; x++) {
                double acc = 0;
                for (long c = -r[2]; c <= r[2]; c++)
                    for (long b = -r[1]; b <= r[1]; b++)
                        for (long a = -r[0]; a <= r[0]; a++) {
                            size_t xi = reflect_ref(x + a, n[0]), yi = reflect_ref(y + b, n[1]),
                                   zi = reflect_ref(z + c, n[2]);
                            acc += w[0][a + r[0]] * w[1][b + r[1]] * w[2][c + r[2]] *
                                   in->data[xi + (size_t)n[0] * (yi + (size_t)n[1] * zi)];
                        }
                out[x + n[0] * (y + n[1] * z)] = acc;
            }
    for (int a = 0; a < 3; a++)
        free(w[a]);
    return out;
}

static void gaussian_matches_direct_convolution(void **state)
{
    (void)state;
    static const struct { size_t n[3]; double sp[3]; double sigma[3]; int in_place; } rows[] = {
        {{9, 7, 5}, {0.8, 1.1, 3.0}, {1.0, 1.5, 2.0}, 0},   /* anisotropic voxels and sigmas */
        {{12, 1, 1}, {1, 1, 1}, {2.0, 1.0, 1.0}, 0},        /* a line: y, z kernels reflect on 1 voxel */
        {{6, 5, 4}, {0.5, 0.5, 0.7}, {3.0, 3.0, 3.0}, 0},   /* radius 24 >> axis: repeated mirrors */
        {{8, 6, 5}, {0.9, 1.0, 2.0}, {1.2, 0.0, 0.9}, 1},   /* no smoothing along y, in place */
        {{5, 4, 3}, {1, 1, 1}, {0.0, 0.0, 0.0}, 0},         /* no smoothing at all: a copy */
        {{5, 4, 3}, {1, 1, 1}, {0.1, 0.1, 0.1}, 0},         /* radius 0: identity */
        {{70, 64, 20}, {0.7, 0.7, 1.5}, {0.9, 0.6, 1.4}, 0}, /* several chunks in every pass */
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        csf_volume *in = random_volume(rows[r].n[0], rows[r].n[1], rows[r].n[2], rows[r].sp, 40 + r);
        const size_t nv = csf_volume_nvox(in);
        double *ref = gauss_ref(in, rows[r].sigma);
        /* float arithmetic over at most ~50 taps per pass, three passes */
        const double tol = 5e-7 * max_abs(in); /* measured worst: 1.4e-7 */
        float *first = malloc(nv * sizeof *first);
        for (size_t t = 0; t < NTHREADS; t++) {
            csf_volume *out = NULL;
            assert_int_equal(csf_volume_clone(in, &out, NULL), CSF_OK);
            if (!rows[r].in_place)
                memset(out->data, 0, nv * sizeof *out->data);
            csf_exec *ex = exec_n(k_threads[t]);
            csf_error err = {0};
            assert_int_equal(csf_img_gaussian(rows[r].in_place ? out : in, rows[r].sigma, out, ex, &err), CSF_OK);
            double worst = 0;
            for (size_t i = 0; i < nv; i++)
                worst = fmax(worst, fabs(out->data[i] - ref[i]));
            if (worst > tol)
                fail_msg("row %zu threads %d: max error %g above %g", r, k_threads[t], worst, tol);
            if (t == 0)
                memcpy(first, out->data, nv * sizeof *first);
            else
                assert_memory_equal(first, out->data, nv * sizeof *first);
            csf_exec_free(ex);
            csf_volume_free(out);
        }
        free(first);
        free(ref);
        csf_volume_free(in);
    }
}

static int cancel_at_y(void *user, const char *stage, double frac)
{
    (void)frac;
    int *calls = user;
    (*calls)++;
    return strcmp(stage, "smooth y") == 0;
}

static void gaussian_progress_can_cancel(void **state)
{
    (void)state;
    const double sp[3] = {1, 1, 1}, sigma[3] = {1, 1, 1};
    csf_volume *in = random_volume(6, 5, 4, sp, 8), *out = NULL;
    assert_int_equal(csf_volume_clone(in, &out, NULL), CSF_OK);
    csf_exec *ex = exec_n(2);
    int calls = 0;
    csf_exec_set_progress(ex, cancel_at_y, &calls);
    csf_error err = {0};
    /* the callback is asked after x and y, and stops the run at y */
    assert_int_equal(csf_img_gaussian(in, sigma, out, ex, &err), CSF_ERR_CANCELLED);
    assert_int_equal(calls, 2);
    assert_non_null(strstr(err.msg, "smooth y"));
    csf_exec_free(ex);
    csf_volume_free(out);
    csf_volume_free(in);
}

static void gaussian_rejects_bad_arguments(void **state)
{
    (void)state;
    const double sp[3] = {1, 1, 1};
    csf_volume *in = random_volume(4, 4, 4, sp, 1), *other = random_volume(4, 4, 5, sp, 2);
    static const double neg[3] = {1, -1, 1}, nan3[3] = {NAN, 1, 1}, ok[3] = {1, 1, 1};
    csf_error err = {0};
    /* negative sigma */
    assert_int_equal(csf_img_gaussian(in, neg, in, NULL, &err), CSF_ERR_INVALID_ARG);
    /* NaN sigma */
    csf_error_clear(&err);
    assert_int_equal(csf_img_gaussian(in, nan3, in, NULL, &err), CSF_ERR_INVALID_ARG);
    /* output on another grid */
    csf_error_clear(&err);
    assert_int_equal(csf_img_gaussian(in, ok, other, NULL, &err), CSF_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "4x4x5"));
    csf_volume_free(in);
    csf_volume_free(other);
}

/* --------------------------------------------------------- projections */

static void oblique_affine(csf_volume *v, double angle, const double origin[3])
{
    double c = cos(angle), s = sin(angle);
    double rot[3][3] = {{c, -s, 0}, {s * 0.8, c * 0.8, -0.6}, {s * 0.6, c * 0.6, 0.8}};
    for (int r = 0; r < 3; r++) {
        for (int q = 0; q < 3; q++)
            v->affine[r][q] = rot[r][q] * v->spacing[q];
        v->affine[r][3] = origin[r];
    }
}

/* Affine (same axes, origin at the slab's first slice) and every pixel
 * against the ray reduced directly. */
static void check_projection(const csf_volume *in, const csf_volume *out, int ax, size_t f,
                             size_t l, csf_project_mode mode)
{
    double ijk[3] = {0, 0, 0}, w[3];
    ijk[ax] = (double)f;
    csf_volume_ijk_to_ras(in, ijk, w);
    for (int q = 0; q < 3; q++) {
        assert_true(fabs(out->affine[q][3] - w[q]) < 1e-9);
        for (int c = 0; c < 3; c++)
            assert_true(out->affine[q][c] == in->affine[q][c]);
    }
    const size_t *od = out->dim;
    for (size_t z = 0; z < od[2]; z++)
        for (size_t y = 0; y < od[1]; y++)
            for (size_t x = 0; x < od[0]; x++) {
                double m = -INFINITY, s = 0;
                for (size_t k = f; k <= l; k++) {
                    size_t p[3] = {x, y, z};
                    p[ax] = k;
                    double v = in->data[p[0] + in->dim[0] * (p[1] + in->dim[1] * p[2])];
                    m = fmax(m, v);
                    s += v;
                }
                double got = out->data[x + od[0] * (y + od[1] * z)];
                if (mode == CSF_PROJECT_MAX)
                    assert_true(got == m);
                else /* float output of values up to 2500: well within 3e-3 */
                    assert_true(fabs(got - s / (double)(l - f + 1)) <= 1e-6 * 3000);
            }
}

static void projections_match_brute_force(void **state)
{
    (void)state;
    static const struct { size_t n[3]; int axis; size_t first, last; csf_project_mode mode; } rows[] = {
        {{7, 5, 6}, 0, 0, 6, CSF_PROJECT_MAX},      /* whole x */
        {{7, 5, 6}, 1, 1, 3, CSF_PROJECT_MAX},      /* y slab */
        {{7, 5, 6}, 2, 2, 2, CSF_PROJECT_MEAN},     /* one slice: mean is the slice */
        {{7, 5, 6}, 2, 1, 99, CSF_PROJECT_MAX},     /* last clamped to 5 */
        {{7, 5, 6}, 0, 2, 5, CSF_PROJECT_MEAN},     /* x slab, mean */
        {{7, 5, 6}, 1, 0, 4, CSF_PROJECT_MEAN},     /* whole y, mean */
        {{13, 1, 1}, 0, 0, 12, CSF_PROJECT_MAX},    /* a line to a point */
        {{90, 70, 40}, 0, 3, 80, CSF_PROJECT_MAX},  /* several chunks on each axis below */
        {{90, 70, 40}, 1, 0, 69, CSF_PROJECT_MEAN},
        {{90, 70, 40}, 2, 5, 39, CSF_PROJECT_MAX},
        {{90, 70, 40}, 2, 0, 39, CSF_PROJECT_MEAN},
    };
    const double sp[3] = {0.7, 1.3, 2.1}, origin[3] = {-12.5, 30.25, 7.0};
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        csf_volume *in = random_volume(rows[r].n[0], rows[r].n[1], rows[r].n[2], sp, 900 + r);
        oblique_affine(in, 0.3, origin);
        const int ax = rows[r].axis;
        const size_t f = rows[r].first, l = rows[r].last < in->dim[ax] ? rows[r].last : in->dim[ax] - 1;
        size_t od[3] = {in->dim[0], in->dim[1], in->dim[2]};
        od[ax] = 1;
        float *first = NULL;
        for (size_t t = 0; t < NTHREADS; t++) {
            csf_exec *ex = exec_n(k_threads[t]);
            csf_volume *out = NULL;
            assert_int_equal(csf_img_project(in, ax, rows[r].first, rows[r].last, rows[r].mode, &out, ex, NULL), CSF_OK);
            for (int a = 0; a < 3; a++)
                assert_int_equal(out->dim[a], od[a]);
            check_projection(in, out, ax, f, l, rows[r].mode);
            if (t == 0) {
                first = malloc(csf_volume_nvox(out) * sizeof *first);
                memcpy(first, out->data, csf_volume_nvox(out) * sizeof *first);
            } else {
                assert_memory_equal(first, out->data, csf_volume_nvox(out) * sizeof *first);
            }
            csf_volume_free(out);
            csf_exec_free(ex);
        }
        free(first);
        csf_volume_free(in);
    }
}

static void projection_rejects_bad_arguments(void **state)
{
    (void)state;
    const double sp[3] = {1, 1, 1};
    csf_volume *in = random_volume(4, 4, 4, sp, 3), *out = NULL;
    csf_error err = {0};
    /* axis 3 does not exist */
    assert_int_equal(csf_img_project(in, 3, 0, 3, CSF_PROJECT_MAX, &out, NULL, &err), CSF_ERR_INVALID_ARG);
    /* slab starting after the last slice */
    csf_error_clear(&err);
    assert_int_equal(csf_img_project(in, 1, 5, 9, CSF_PROJECT_MAX, &out, NULL, &err), CSF_ERR_INVALID_ARG);
    /* reversed slab */
    csf_error_clear(&err);
    assert_int_equal(csf_img_project(in, 2, 3, 1, CSF_PROJECT_MEAN, &out, NULL, &err), CSF_ERR_INVALID_ARG);
    assert_null(out);
    csf_volume_free(in);
}

/* ---------------------------------------------------------- resampling */

/* Sum over every input voxel of value times hat weights: no corner logic. */
static double resample_ref(const csf_volume *in, const double p_in[3], float fill)
{
    double p[3];
    for (int a = 0; a < 3; a++) {
        double n = (double)in->dim[a];
        if (!(p_in[a] >= -0.5 && p_in[a] <= n - 0.5))
            return fill;
        p[a] = fmin(fmax(p_in[a], 0.0), n - 1);
    }
    /* voxels farther than 1 from p have zero weight: skip them (same sum) */
    size_t lo[3], hi[3];
    for (int a = 0; a < 3; a++) {
        lo[a] = p[a] >= 1 ? (size_t)(p[a] - 1) : 0;
        hi[a] = (size_t)(p[a] + 1) + 1 < in->dim[a] ? (size_t)(p[a] + 1) + 1 : in->dim[a];
    }
    double acc = 0;
    for (size_t z = lo[2]; z < hi[2]; z++)
        for (size_t y = lo[1]; y < hi[1]; y++)
            for (size_t x = lo[0]; x < hi[0]; x++) {
                double w = fmax(0, 1 - fabs(p[0] - x)) * fmax(0, 1 - fabs(p[1] - y)) *
                           fmax(0, 1 - fabs(p[2] - z));
                if (w > 0)
                    acc += w * in->data[x + in->dim[0] * (y + in->dim[1] * z)];
            }
    return acc;
}

/* Every target voxel against resample_ref through the volumes' own
 * voxel <-> world helpers; returns how many got the fill value. */
static size_t check_resampled(const csf_volume *in, const csf_volume *out, float fill, double tol,
                              size_t row)
{
    size_t n_fill = 0;
    for (size_t k = 0; k < out->dim[2]; k++)
        for (size_t j = 0; j < out->dim[1]; j++)
            for (size_t i = 0; i < out->dim[0]; i++) {
                double ijk[3] = {(double)i, (double)j, (double)k}, w[3], p[3];
                csf_volume_ijk_to_ras(out, ijk, w);
                assert_int_equal(csf_volume_ras_to_ijk(in, w, p, NULL), CSF_OK);
                double want = resample_ref(in, p, fill);
                double got = out->data[i + out->dim[0] * (j + out->dim[1] * k)];
                n_fill += got == fill;
                if (fabs(got - want) > tol)
                    fail_msg("row %zu voxel %zu,%zu,%zu: got %g want %g", row, i, j, k, got, want);
            }
    return n_fill;
}

static void resample_matches_trilinear_formula(void **state)
{
    (void)state;
    static const struct { size_t in_n[3], out_n[3]; double in_sp[3], out_sp[3]; double angle; double shift[3]; } rows[] = {
        /* oblique target, finer voxels, partly outside the input */
        {{6, 5, 4}, {11, 9, 8}, {1.0, 1.2, 2.5}, {0.6, 0.7, 1.1}, 0.25, {-1.5, 0.7, -2.0}},
        /* coarser target, other rotation */
        {{9, 8, 6}, {5, 4, 4}, {0.8, 0.8, 1.5}, {1.9, 2.2, 2.4}, -0.4, {0.3, -0.2, 0.9}},
        /* 2D input (one slice): inside only within half a slice */
        {{7, 6, 1}, {8, 7, 3}, {1, 1, 3}, {0.9, 0.9, 1.2}, 0.0, {0.0, 0.0, -1.0}},
        /* many rows: several chunks */
        {{20, 18, 12}, {60, 50, 10}, {1, 1, 2}, {0.35, 0.4, 2.3}, 0.1, {-0.5, 0.25, 0.5}},
        /* same rotation, other spacing and origin: the axis-aligned (tabulated) path */
        {{20, 18, 12}, {37, 29, 23}, {1, 1, 2}, {0.55, 0.6, 1.1}, 0.0, {-1.2, 0.9, -0.7}},
        /* as above with target i running the other way (negative scale) */
        {{9, 8, 7}, {15, 13, 11}, {1.1, 0.9, 1.7}, {0.8, 0.7, 1.3}, 0.0, {9.0, -0.4, 0.6}},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        csf_volume *in = random_volume(rows[r].in_n[0], rows[r].in_n[1], rows[r].in_n[2], rows[r].in_sp, 70 + r);
        const double o_in[3] = {-3, 4, 1};
        oblique_affine(in, 0.15, o_in);
        double o_out[3];
        for (int a = 0; a < 3; a++)
            o_out[a] = o_in[a] + rows[r].shift[a];
        float *first = NULL;
        size_t nt = 0;
        /* float output: half an ulp of values up to 2500 is 1.2e-4 */
        const double tol = 1e-6 * max_abs(in);
        for (size_t t = 0; t < NTHREADS; t++) {
            csf_volume *out = random_volume(rows[r].out_n[0], rows[r].out_n[1], rows[r].out_n[2], rows[r].out_sp, 5);
            oblique_affine(out, 0.15 + rows[r].angle, o_out);
            if (r == 5) /* flip the target's i axis */
                for (int q = 0; q < 3; q++)
                    out->affine[q][0] = -out->affine[q][0];
            nt = csf_volume_nvox(out);
            csf_exec *ex = exec_n(k_threads[t]);
            assert_int_equal(csf_img_resample(in, out, -7.0f, ex, NULL), CSF_OK);
            size_t n_fill = check_resampled(in, out, -7.0f, tol, r);
            /* each row has voxels inside and outside */
            assert_true(n_fill > 0 && n_fill < nt);
            if (t == 0) {
                first = malloc(nt * sizeof *first);
                memcpy(first, out->data, nt * sizeof *first);
            } else {
                assert_memory_equal(first, out->data, nt * sizeof *first);
            }
            csf_exec_free(ex);
            csf_volume_free(out);
        }
        free(first);
        csf_volume_free(in);
    }
}

static void resample_rejects_bad_arguments(void **state)
{
    (void)state;
    const double sp[3] = {1, 1, 1};
    csf_volume *in = random_volume(4, 4, 4, sp, 12), *out = random_volume(3, 3, 3, sp, 13);
    csf_error err = {0};
    /* in place would read voxels it already wrote */
    assert_int_equal(csf_img_resample(in, in, 0, NULL, &err), CSF_ERR_INVALID_ARG);
    /* a singular input affine (flat along k) has no world -> voxel map */
    csf_error_clear(&err);
    for (int r = 0; r < 4; r++)
        in->affine[r][2] = 0;
    assert_int_equal(csf_img_resample(in, out, 0, NULL, &err), CSF_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "singular"));
    csf_volume_free(in);
    csf_volume_free(out);
}

static void resample_identity_and_shift(void **state)
{
    (void)state;
    const double sp[3] = {0.8, 1.1, 2.0}, o[3] = {5, -3, 12};
    csf_volume *in = random_volume(10, 8, 6, sp, 11);
    oblique_affine(in, 0.2, o);
    static const struct { double shift_vox; } rows[] = {
        {0.0}, /* same grid: the input back */
        {1.0}, /* one voxel along i: the next voxel, last column outside */
        {0.5}, /* half a voxel: mean of neighbours, last column at the edge */
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        csf_volume *out = NULL;
        assert_int_equal(csf_volume_clone(in, &out, NULL), CSF_OK);
        for (int q = 0; q < 3; q++)
            out->affine[q][3] += rows[r].shift_vox * in->affine[q][0];
        assert_int_equal(csf_img_resample(in, out, 1e9f, NULL, NULL), CSF_OK);
        const size_t nx = in->dim[0];
        for (size_t v = 0; v < csf_volume_nvox(in); v++) {
            size_t i = v % nx;
            double want;
            if (rows[r].shift_vox == 0.0)
                want = in->data[v];
            else if (rows[r].shift_vox == 1.0)
                want = i + 1 < nx ? in->data[v + 1] : 1e9;
            else
                want = i + 1 < nx ? 0.5 * ((double)in->data[v] + in->data[v + 1]) : in->data[v];
            if (fabs(out->data[v] - want) > 1e-6 * fabs(want) + 1e-9 * 3000)
                fail_msg("shift %g voxel %zu: got %.9g want %.9g", rows[r].shift_vox, v, out->data[v], want);
        }
        csf_volume_free(out);
    }
    csf_volume_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gaussian_matches_direct_convolution),
        cmocka_unit_test(gaussian_rejects_bad_arguments),
        cmocka_unit_test(gaussian_progress_can_cancel),
        cmocka_unit_test(projections_match_brute_force),
        cmocka_unit_test(projection_rejects_bad_arguments),
        cmocka_unit_test(resample_matches_trilinear_formula),
        cmocka_unit_test(resample_identity_and_shift),
        cmocka_unit_test(resample_rejects_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
