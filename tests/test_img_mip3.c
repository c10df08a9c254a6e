/* csf_img_mip3: the three maximum-intensity projections of one pass, against
 * the maximum of each ray taken directly and against csf_img_project, bit for
 * bit with 1, 2 and 7 threads; NaN skipped, -0 returned as +0. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "support/csf_test_img.h"
#include "csfleak/img_filter.h"

static const int k_threads[] = {1, 2, 7};
#define NTHREADS (sizeof k_threads / sizeof k_threads[0])

static csf_volume *random_volume(const size_t n[3], uint64_t seed)
{
    size_t dim[4] = {n[0], n[1], n[2], 1};
    const double sp[3] = {0.7, 1.3, 2.1};
    csf_volume *v = NULL;
    assert_int_equal(csf_volume_new(dim, sp, &v, NULL), CSF_OK);
    for (int r = 0; r < 3; r++) /* an oblique affine with an offset origin */
        for (int c = 0; c < 4; c++)
            v->affine[r][c] = c == 3 ? 10.0 * r - 7.5 : (r == c ? sp[c] : 0.1 * (r + 1) * (c + 1));
    uint64_t s = seed;
    for (size_t i = 0; i < n[0] * n[1] * n[2]; i++)
        v->data[i] = (float)(-500 + 3000 * csf_test_uniform(&s));
    return v;
}

/* Maximum of the ray through pixel (x, y, z) of axis ax's projection, NaN skipped. */
static double ray_max(const csf_volume *in, int ax, size_t x, size_t y, size_t z)
{
    double m = -INFINITY;
    for (size_t k = 0; k < in->dim[ax]; k++) {
        size_t p[3] = {x, y, z};
        p[ax] = k;
        double v = in->data[p[0] + in->dim[0] * (p[1] + in->dim[1] * p[2])];
        m = fmax(m, v);
    }
    return m;
}

static void check_axis(const csf_volume *in, const csf_volume *out, int ax)
{
    for (int a = 0; a < 3; a++)
        assert_int_equal(out->dim[a], a == ax ? 1 : in->dim[a]);
    assert_int_equal(out->dim[3], 1);
    assert_memory_equal(out->affine, in->affine, sizeof in->affine);
    for (size_t z = 0; z < out->dim[2]; z++)
        for (size_t y = 0; y < out->dim[1]; y++)
            for (size_t x = 0; x < out->dim[0]; x++) {
                float got = out->data[x + out->dim[0] * (y + out->dim[1] * z)];
                double want = ray_max(in, ax, x, y, z);
                if (!((double)got == want))
                    fail_msg("axis %d pixel (%zu,%zu,%zu): %g, ray maximum %g", ax, x, y, z,
                             (double)got, want);
                if (got == 0.0f)
                    assert_false(signbit(got)); /* a zero maximum is +0 */
            }
}

static void mip3_matches_brute_force(void **state)
{
    (void)state;
    static const struct { size_t n[3]; } rows[] = {
        {{7, 5, 6}},     /* rows shorter than one vector */
        {{13, 1, 1}},    /* a line */
        {{1, 1, 9}},     /* a column along z */
        {{40, 33, 17}},  /* vector body + tail in every row */
        {{517, 403, 14}} /* several chunks of slices (more chunks than 2 threads) */
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        csf_volume *in = random_volume(rows[r].n, 300 + r);
        float *first[3] = {NULL, NULL, NULL};
        for (size_t t = 0; t < NTHREADS; t++) {
            csf_exec *ex = NULL;
            assert_int_equal(csf_exec_new(k_threads[t], &ex, NULL), CSF_OK);
            csf_volume *out[3] = {NULL, NULL, NULL};
            assert_int_equal(csf_img_mip3(in, out, ex, NULL), CSF_OK);
            for (int a = 0; a < 3; a++) {
                const size_t np = csf_volume_nvox(out[a]);
                if (t == 0) {
                    check_axis(in, out[a], a);
                    /* the same pixels as the single-axis projection */
                    csf_volume *one = NULL;
                    assert_int_equal(csf_img_project(in, a, 0, in->dim[a] - 1, CSF_PROJECT_MAX,
                                                     &one, ex, NULL), CSF_OK);
                    assert_memory_equal(one->affine, out[a]->affine, sizeof one->affine);
                    for (size_t i = 0; i < np; i++)
                        assert_true(one->data[i] == out[a]->data[i]);
                    csf_volume_free(one);
                    first[a] = malloc(np * sizeof *first[a]);
                    memcpy(first[a], out[a]->data, np * sizeof *first[a]);
                } else { /* bit-identical for any thread count */
                    assert_memory_equal(first[a], out[a]->data, np * sizeof *first[a]);
                }
                csf_volume_free(out[a]);
            }
            csf_exec_free(ex);
        }
        for (int a = 0; a < 3; a++)
            free(first[a]);
        csf_volume_free(in);
    }
}

static void mip3_skips_nan_and_signed_zero(void **state)
{
    (void)state;
    const size_t n[3] = {19, 6, 5};
    csf_volume *in = random_volume(n, 77);
    const size_t nx = n[0], plane = n[0] * n[1];
    for (size_t x = 0; x < nx; x++) /* row (y=2, z=3): all NaN -> x ray is -inf */
        in->data[x + 2 * nx + 3 * plane] = NAN;
    for (size_t i = 0; i < plane; i++) /* a NaN in the first slice of every z ray */
        if (i % 3 == 0)
            in->data[i] = NAN;
    for (size_t y = 0; y < n[1]; y++) /* y ray (x=4, z=1): -0 and negatives -> +0 */
        in->data[4 + y * nx + plane] = y == 3 ? -0.0f : -1.0f - (float)y;
    for (size_t t = 0; t < NTHREADS; t++) {
        csf_exec *ex = NULL;
        assert_int_equal(csf_exec_new(k_threads[t], &ex, NULL), CSF_OK);
        csf_volume *out[3] = {NULL, NULL, NULL};
        assert_int_equal(csf_img_mip3(in, out, ex, NULL), CSF_OK);
        for (int a = 0; a < 3; a++) {
            check_axis(in, out[a], a);
            csf_volume *one = NULL; /* csf_img_project skips NaN the same way */
            assert_int_equal(csf_img_project(in, a, 0, in->dim[a] - 1, CSF_PROJECT_MAX, &one,
                                             ex, NULL), CSF_OK);
            for (size_t i = 0; i < csf_volume_nvox(one); i++)
                assert_true(one->data[i] == out[a]->data[i]);
            csf_volume_free(one);
        }
        assert_true(isinf(out[0]->data[2 + n[1] * 3]) && out[0]->data[2 + n[1] * 3] < 0);
        float z0 = out[1]->data[4 + nx * 1];
        assert_true(z0 == 0.0f && !signbit(z0));
        for (int a = 0; a < 3; a++)
            csf_volume_free(out[a]);
        csf_exec_free(ex);
    }
    csf_volume_free(in);
}

static void mip3_rejects_bad_arguments(void **state)
{
    (void)state;
    const size_t n[3] = {4, 4, 4};
    csf_volume *in = random_volume(n, 3), *out[3] = {NULL, NULL, NULL};
    csf_error err = {0};
    assert_int_equal(csf_img_mip3(NULL, out, NULL, &err), CSF_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "csf_img_mip3"));
    csf_error_clear(&err);
    assert_int_equal(csf_img_mip3(in, NULL, NULL, &err), CSF_ERR_INVALID_ARG);
    assert_null(out[0]);
    csf_volume_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mip3_matches_brute_force),
        cmocka_unit_test(mip3_skips_nan_and_signed_zero),
        cmocka_unit_test(mip3_rejects_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
