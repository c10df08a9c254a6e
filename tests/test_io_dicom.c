/* io: DICOM series through dcm2niix (generated series, world coordinates
 * checked voxel by voxel) and the merging of several stations. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "csfleak/io.h"
#include "support/csf_test_dicom.h"
#include "support/csf_test_nifti.h"

static int dir_is_empty(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return d != NULL && n == 0;
}

/* Sagittal series, LPS geometry, pixel value encodes (slice, row, col): every
 * loaded voxel must sit at the RAS point its value says. */
static void test_dicom_series(void **state)
{
    (void)state;
    char root[64], series[600], tmp[600];
    assert_int_equal(csf_test_mkdtemp(root, sizeof root), 0);
    csf_test_path(series, sizeof series, root, "series");
    csf_test_path(tmp, sizeof tmp, root, "tmp");
    assert_int_equal(mkdir(series, 0700), 0);
    assert_int_equal(mkdir(tmp, 0700), 0);
    enum { C = 20, R = 16, K = 12 };
    int16_t *px = malloc(sizeof(int16_t) * C * R * K);
    for (int k = 0; k < K; k++)
        for (int r = 0; r < R; r++)
            for (int c = 0; c < C; c++)
                px[(k * R + r) * C + c] = (int16_t)(k * 1000 + r * 30 + c);
    csf_test_series s = {.cols = C, .rows = R, .slices = K,
                         .row_dir = {0, 1, 0}, .col_dir = {0, 0, -1},
                         .ipp0 = {-10.5, -20.25, 40}, .slice_step = {2.0, 0, 0},
                         .row_spacing = 0.9, .col_spacing = 0.7, .pixels = px};
    assert_int_equal(csf_test_write_dicom_series(series, &s), 0);
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    setenv("TMPDIR", tmp, 1);
    csf_error err = {0};
    csf_volume *v = NULL;
    csf_io_source src;
    csf_status st = csf_io_read(series, NULL, &v, &src, &err);
    if (st != CSF_OK)
        fail_msg("%s", err.msg);
    assert_true(dir_is_empty(tmp)); /* the private dcm2niix directory is gone */
    assert_string_equal(src.format, "dicom");
    assert_string_equal(src.path, series);
    assert_int_equal(csf_volume_nvox(v), C * R * K);
    char code[4];
    csf_volume_orient_code(v, code);
    assert_string_equal(code, "RAS");
    for (size_t k = 0; k < v->dim[2]; k++)
        for (size_t j = 0; j < v->dim[1]; j++)
            for (size_t i = 0; i < v->dim[0]; i++) {
                int val = (int)v->data[i + v->dim[0] * (j + v->dim[1] * k)];
                int sk = val / 1000, r = val % 1000 / 30, c = val % 1000 % 30;
                double lps[3], ijk[3] = {(double)i, (double)j, (double)k}, w[3];
                for (int a = 0; a < 3; a++)
                    lps[a] = s.ipp0[a] + c * s.col_spacing * s.row_dir[a] +
                             r * s.row_spacing * s.col_dir[a] + sk * s.slice_step[a];
                csf_volume_ijk_to_ras(v, ijk, w);
                if (fabs(w[0] + lps[0]) > 1e-3 || fabs(w[1] + lps[1]) > 1e-3 ||
                    fabs(w[2] - lps[2]) > 1e-3)
                    fail_msg("voxel %zu,%zu,%zu value %d at RAS %.3f %.3f %.3f, expected %.3f "
                             "%.3f %.3f", i, j, k, val, w[0], w[1], w[2], -lps[0], -lps[1], lps[2]);
            }
    csf_volume_free(v);
    /* dcm2niix not on PATH: an external-tool error naming the directory */
    const char *op = getenv("PATH");
    char *opath = op ? strdup(op) : NULL;
    setenv("PATH", tmp, 1);
    csf_error_clear(&err);
    v = NULL;
    assert_int_equal(csf_io_read(series, NULL, &v, NULL, &err), CSF_ERR_EXTERNAL);
    assert_non_null(strstr(err.msg, "dcm2niix"));
    assert_non_null(strstr(err.msg, series));
    assert_true(dir_is_empty(tmp));
    if (opath) {
        setenv("PATH", opath, 1);
        free(opath);
    }
    /* JPEG-LS (dcmtk's dcmcjpls, when present): named as an unsupported syntax */
    if (system("command -v dcmcjpls >/dev/null 2>&1") == 0) {
        char jls[600], cmd[2048];
        csf_test_path(jls, sizeof jls, root, "jls");
        assert_int_equal(mkdir(jls, 0700), 0);
        for (int k = 0; k < K; k++) {
            snprintf(cmd, sizeof cmd, "dcmcjpls '%s/slice_%03d.dcm' '%s/s%03d.dcm'", series, k,
                     jls, k);
            assert_int_equal(system(cmd), 0);
        }
        csf_error_clear(&err);
        v = NULL;
        assert_int_equal(csf_io_read(jls, NULL, &v, NULL, &err), CSF_ERR_UNSUPPORTED);
        assert_non_null(strstr(err.msg, "transfer syntax 1.2.840.10008.1.2.4.80 (JPEG-LS)"));
        assert_non_null(strstr(err.msg, jls));
        assert_true(dir_is_empty(tmp));
    }
    /* an unreadable series: every file truncated to its preamble */
    char f[700];
    for (int k = 0; k < K; k++) {
        snprintf(f, sizeof f, "%s/slice_%03d.dcm", series, k);
        assert_int_equal(truncate(f, 140), 0);
    }
    csf_error_clear(&err);
    v = NULL;
    st = csf_io_read(series, NULL, &v, NULL, &err);
    assert_true(st == CSF_ERR_FORMAT || st == CSF_ERR_EXTERNAL);
    assert_null(v);
    assert_non_null(strstr(err.msg, series));
    assert_true(dir_is_empty(tmp));
    if (saved) {
        setenv("TMPDIR", saved, 1);
        free(saved);
    } else {
        unsetenv("TMPDIR");
    }
    free(px);
    csf_test_rmtree(root);
}

/* value = linear function of the world point: trilinear sampling and any
 * convex blend reproduce it exactly where a station covers. */
static double ramp(const double w[3]) { return 2.0 * w[0] + 3.0 * w[1] - w[2] + 100.0; }

static void write_station(const char *path, const size_t dim[3], const double *aff16,
                          double (*fn)(const double *), double constant)
{
    csf_volume *v = NULL;
    const size_t d4[4] = {dim[0], dim[1], dim[2], 1};
    const double sp[3] = {1, 1, 1};
    assert_int_equal(csf_volume_new(d4, sp, &v, NULL), CSF_OK);
    memcpy(v->affine, aff16, sizeof v->affine);
    csf_volume_spacing_from_affine(v);
    for (size_t k = 0; k < dim[2]; k++)
        for (size_t j = 0; j < dim[1]; j++)
            for (size_t i = 0; i < dim[0]; i++) {
                double ijk[3] = {(double)i, (double)j, (double)k}, w[3];
                csf_volume_ijk_to_ras(v, ijk, w);
                v->data[i + dim[0] * (j + dim[1] * k)] = (float)(fn ? fn(w) : constant);
            }
    assert_int_equal(csf_io_write_nifti(path, v, CSF_DT_FLOAT32, NULL), CSF_OK);
    csf_volume_free(v);
}

static void test_stations_linear(void **state)
{
    (void)state;
    char dir[64], a[600], b[600];
    assert_int_equal(csf_test_mkdtemp(dir, sizeof dir), 0);
    /* upper station RAS 1 mm (z -14..15); lower station stored PSR at 2 mm,
     * shifted by 0.5 mm (x 0.5..10.5, y 0.5..14.5, z -20..-10) */
    const size_t da[3] = {10, 12, 30}, db[3] = {8, 6, 6};
    const double aa[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, -14, 0, 0, 0, 1};
    const double ab[16] = {0, 0, 2, 0.5, -2, 0, 0, 14.5, 0, 2, 0, -20, 0, 0, 0, 1};
    write_station(csf_test_path(a, sizeof a, dir, "upper.nii.gz"), da, aa, ramp, 0);
    write_station(csf_test_path(b, sizeof b, dir, "lower.nii"), db, ab, ramp, 0);
    const char *paths[2] = {a, b};
    csf_volume *m = NULL;
    csf_error err = {0};
    assert_int_equal(csf_io_read_stations(paths, 2, NULL, &m, &err), CSF_OK);
    /* union box: x 0..10.5, y 0..14.5, z -20..15; finest spacing 1 mm */
    assert_true(fabs(m->affine[0][3] - 0) < 1e-9 && fabs(m->affine[2][3] + 20) < 1e-9);
    assert_int_equal(m->dim[0], 11);
    assert_int_equal(m->dim[1], 15);
    assert_int_equal(m->dim[2], 36);
    assert_true(fabs(m->spacing[0] - 1) < 1e-12 && fabs(m->spacing[2] - 1) < 1e-12);
    size_t covered = 0, empty = 0;
    for (size_t k = 0; k < m->dim[2]; k++)
        for (size_t j = 0; j < m->dim[1]; j++)
            for (size_t i = 0; i < m->dim[0]; i++) {
                double ijk[3] = {(double)i, (double)j, (double)k}, w[3];
                csf_volume_ijk_to_ras(m, ijk, w);
                int in_a = w[0] <= 9 + 1e-9 && w[1] <= 11 + 1e-9 && w[2] >= -14 - 1e-9;
                int in_b = w[0] >= 0.5 - 1e-9 && w[0] <= 10.5 + 1e-9 && w[1] <= 14.5 + 1e-9 &&
                           w[1] >= 0.5 - 1e-9 && w[2] <= -10 + 1e-9;
                float got = m->data[i + m->dim[0] * (j + m->dim[1] * k)];
                if (in_a || in_b) {
                    if (fabs(got - ramp(w)) > 1e-3)
                        fail_msg("at %.1f %.1f %.1f: %g, want %g", w[0], w[1], w[2], got, ramp(w));
                    covered++;
                } else {
                    assert_true(got == 0.0f); /* covered by neither station */
                    empty++;
                }
            }
    assert_true(covered > 3000 && empty > 50);
    csf_volume_free(m);
    csf_test_rmtree(dir);
}

/* Two stations on the same 1 mm axes, the second moved by a fraction of a
 * voxel (a table move): the merge blends rows directly (no per-voxel affine),
 * and trilinear sampling of a linear ramp must give the ramp everywhere
 * either station covers. */
static void test_stations_translated(void **state)
{
    (void)state;
    char dir[64], a[600], b[600];
    assert_int_equal(csf_test_mkdtemp(dir, sizeof dir), 0);
    const size_t da[3] = {9, 7, 30}, db[3] = {9, 7, 25};
    const double aa[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    const double ab[16] = {1, 0, 0, 0.25, 0, 1, 0, -0.5, 0, 0, 1, -17.37, 0, 0, 0, 1};
    write_station(csf_test_path(a, sizeof a, dir, "a.nii"), da, aa, ramp, 0);
    write_station(csf_test_path(b, sizeof b, dir, "b.nii"), db, ab, ramp, 0);
    const char *paths[2] = {a, b};
    csf_volume *m = NULL;
    assert_int_equal(csf_io_read_stations(paths, 2, NULL, &m, NULL), CSF_OK);
    size_t covered = 0;
    for (size_t k = 0; k < m->dim[2]; k++)
        for (size_t j = 0; j < m->dim[1]; j++)
            for (size_t i = 0; i < m->dim[0]; i++) {
                double ijk[3] = {(double)i, (double)j, (double)k}, w[3];
                csf_volume_ijk_to_ras(m, ijk, w);
                int in_a = w[0] >= -1e-9 && w[0] <= 8 + 1e-9 && w[1] >= -1e-9 && w[1] <= 6 + 1e-9 &&
                           w[2] >= -1e-9 && w[2] <= 29 + 1e-9;
                int in_b = w[0] >= 0.25 - 1e-9 && w[0] <= 8.25 + 1e-9 && w[1] >= -0.5 - 1e-9 &&
                           w[1] <= 5.5 + 1e-9 && w[2] >= -17.37 - 1e-9 && w[2] <= 6.63 + 1e-9;
                float got = m->data[i + m->dim[0] * (j + m->dim[1] * k)];
                if (!in_a && !in_b)
                    continue;
                if (fabs(got - ramp(w)) > 1e-3)
                    fail_msg("at %.2f %.2f %.2f: %g, want %g", w[0], w[1], w[2], got, ramp(w));
                covered++;
            }
    assert_true(covered > 1000);
    csf_volume_free(m);
    csf_test_rmtree(dir);
}

/* Overlap of a 100 and a 200 station: pure values outside the overlap, a
 * monotonic feathered transition inside it. */
static void test_stations_feather(void **state)
{
    (void)state;
    char dir[64], a[600], b[600];
    assert_int_equal(csf_test_mkdtemp(dir, sizeof dir), 0);
    const size_t d[3] = {6, 6, 40};
    const double aa[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    const double ab[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 25, 0, 0, 0, 1};
    write_station(csf_test_path(a, sizeof a, dir, "a.nii"), d, aa, NULL, 100);
    write_station(csf_test_path(b, sizeof b, dir, "b.nii"), d, ab, NULL, 200);
    const char *paths[2] = {a, b};
    csf_volume *m = NULL;
    assert_int_equal(csf_io_read_stations(paths, 2, NULL, &m, NULL), CSF_OK);
    assert_int_equal(m->dim[2], 65);
    size_t c = 3 + 6 * 3; /* centre column */
    double prev = 0;
    for (size_t k = 0; k < 65; k++) {
        double v = m->data[c + 36 * k];
        if (k < 25)
            assert_true(v == 100.0);
        else if (k > 39)
            assert_true(v == 200.0);
        else
            assert_true(v > 100.0 && v < 200.0 && v >= prev);
        prev = v;
    }
    /* the middle of the overlap weighs both equally */
    assert_true(fabs(m->data[c + 36 * 32] - 150.0) < 1e-3);
    csf_volume_free(m);
    csf_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dicom_series),
        cmocka_unit_test(test_stations_linear),
        cmocka_unit_test(test_stations_feather),
        cmocka_unit_test(test_stations_translated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
