/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
/* The plugin's series -> volume step (geometry.c) against csf_io_read on the
 * same series converted by dcm2niix: same canonical grid, same affine, same
 * voxels, for sagittal, coronal, axial and oblique series whose instance
 * numbers run against the slice positions. Bad series give the reason. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "csfleak/io.h"
#include "geometry.h"
#include "support/csf_test_dicom.h"
#include "support/csf_test_nifti.h"

enum { COLS = 13, ROWS = 11, SLICES = 9 };

typedef struct geo {
    const char *name;
    double row[3], col[3], step[3], ipp0[3], rsp, csp;
} geo;

/* Each row: a plane a scanner writes; the last is oblique (20 deg about z,
 * 10 deg about x) with anisotropic pixels. */
static const geo GEOS[] = {
    {"sagittal", {0, 1, 0}, {0, 0, -1}, {-1.2, 0, 0}, {10, -30, 40}, 0.8, 0.6},
    {"coronal", {1, 0, 0}, {0, 0, -1}, {0, -2, 0}, {-20, 5, 30}, 0.7, 0.9},
    {"axial", {1, 0, 0}, {0, 1, 0}, {0, 0, 3}, {-5, -6, -70}, 0.5, 0.5},
    {"oblique", {0.93969, 0.34202, 0}, {-0.33682, 0.92542, -0.17365}, {0, 0, 0}, {3, 4, 5}, 0.9, 1.1},
};

static void normal_of(const geo *g, double n[3], double mm)
{
    n[0] = g->row[1] * g->col[2] - g->row[2] * g->col[1];
    n[1] = g->row[2] * g->col[0] - g->row[0] * g->col[2];
    n[2] = g->row[0] * g->col[1] - g->row[1] * g->col[0];
    for (int a = 0; a < 3; a++)
        n[a] *= mm;
}

static int16_t value(size_t s, size_t r, size_t c)
{
    return (int16_t)(s * 1000 + r * 31 + c * 2 - 400); /* distinct, some negative */
}

/* The slices the plugin would decode, handed over in a scrambled order. */
static csfo_slice *make_slices(const geo *g, const double step[3])
{
    csfo_slice *sl = calloc(SLICES, sizeof *sl);
    for (size_t q = 0; q < SLICES; q++) {
        size_t s = (q * 5) % SLICES; /* 5 and 9 coprime: a permutation */
        csfo_slice *x = &sl[q];
        for (int a = 0; a < 3; a++) {
            x->ipp[a] = g->ipp0[a] + (double)s * step[a];
            x->iop[a] = g->row[a];
            x->iop[3 + a] = g->col[a];
        }
        x->pixel_spacing[0] = g->rsp;
        x->pixel_spacing[1] = g->csp;
        x->rows = ROWS;
        x->cols = COLS;
        x->pixels = malloc(ROWS * COLS * sizeof(float));
        for (size_t r = 0; r < ROWS; r++)
            for (size_t c = 0; c < COLS; c++)
                x->pixels[r * COLS + c] = value(s, r, c);
        snprintf(x->instance, sizeof x->instance, "inst-%zu", s);
    }
    return sl;
}

static void compare_with_dcm2niix(const geo *g)
{
    double step[3];
    if (g->step[0] == 0 && g->step[1] == 0 && g->step[2] == 0)
        normal_of(g, step, 1.7);
    else
        memcpy(step, g->step, sizeof step);
    int16_t *px = malloc(SLICES * ROWS * COLS * sizeof *px);
    for (size_t s = 0; s < SLICES; s++)
        for (size_t r = 0; r < ROWS; r++)
            for (size_t c = 0; c < COLS; c++)
                px[(s * ROWS + r) * COLS + c] = value(s, r, c);
    csf_test_series ts = {COLS, ROWS, SLICES, {0}, {0}, {0}, {0}, g->rsp, g->csp, px};
    memcpy(ts.row_dir, g->row, sizeof ts.row_dir);
    memcpy(ts.col_dir, g->col, sizeof ts.col_dir);
    memcpy(ts.ipp0, g->ipp0, sizeof ts.ipp0);
    memcpy(ts.slice_step, step, sizeof ts.slice_step);
    char root[64];
    assert_int_equal(csf_test_mkdtemp(root, sizeof root), 0);
    assert_int_equal(csf_test_write_dicom_series(root, &ts), 0);
    csf_volume *ref = NULL, *v = NULL;
    csf_error err = {0};
    assert_int_equal(csf_io_read_dicom(root, NULL, &ref, NULL, &err), CSF_OK);
    csfo_slice *sl = make_slices(g, step);
    assert_int_equal(csfo_volume_build(sl, SLICES, &v, NULL, &err), CSF_OK);
    for (int a = 0; a < 3; a++)
        assert_int_equal(v->dim[a], ref->dim[a]);
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++)
            if (fabs(v->affine[r][c] - ref->affine[r][c]) > 2e-3)
                fail_msg("%s: affine[%d][%d] %.5f, dcm2niix %.5f", g->name, r, c,
                         v->affine[r][c], ref->affine[r][c]);
    size_t nv = csf_volume_nvox(v), bad = 0;
    for (size_t i = 0; i < nv; i++)
        bad += v->data[i] != ref->data[i];
    if (bad)
        fail_msg("%s: %zu of %zu voxels differ from dcm2niix", g->name, bad, nv);
    csfo_slices_free(sl, SLICES);
    csf_volume_free(v);
    csf_volume_free(ref);
    free(px);
    csf_test_rmtree(root);
}

static void test_matches_dcm2niix(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof GEOS / sizeof GEOS[0]; i++)
        compare_with_dcm2niix(&GEOS[i]);
}

/* A voxel value must sit where the slice geometry says, independent of the
 * order the slices arrive in (brute force over every voxel). */
static void test_world_position(void **state)
{
    (void)state;
    const geo *g = &GEOS[3];
    double step[3];
    normal_of(g, step, 1.7);
    csfo_slice *sl = make_slices(g, step);
    csf_volume *v = NULL;
    assert_int_equal(csfo_volume_build(sl, SLICES, &v, NULL, NULL), CSF_OK);
    for (size_t k = 0; k < v->dim[2]; k++)
        for (size_t j = 0; j < v->dim[1]; j++)
            for (size_t i = 0; i < v->dim[0]; i++) {
                double ijk[3] = {(double)i, (double)j, (double)k}, ras[3];
                csf_volume_ijk_to_ras(v, ijk, ras);
                int val = (int)v->data[i + v->dim[0] * (j + v->dim[1] * k)] + 400;
                size_t s = (size_t)val / 1000, rem = (size_t)val % 1000;
                size_t r = rem / 31, c = (rem % 31) / 2;
                double lps[3];
                for (int a = 0; a < 3; a++)
                    lps[a] = g->ipp0[a] + (double)s * step[a] + (double)c * g->csp * g->row[a] +
                             (double)r * g->rsp * g->col[a];
                assert_true(fabs(-lps[0] - ras[0]) < 1e-6 && fabs(-lps[1] - ras[1]) < 1e-6 &&
                            fabs(lps[2] - ras[2]) < 1e-6);
            }
    csf_volume_free(v);
    csfo_slices_free(sl, SLICES);
}

typedef void (*spoil_fn)(csfo_slice *s);
static void one_mixed(csfo_slice *s) { memcpy(s[3].iop, (double[6]){1, 0, 0, 0, 1, 0}, sizeof s[3].iop); }
static void one_no_position(csfo_slice *s) { s[2].ipp[1] = NAN; }
static void two_same_position(csfo_slice *s) { memcpy(s[4].ipp, s[5].ipp, sizeof s[4].ipp); }
static void one_gap(csfo_slice *s) { s[0].ipp[0] += 30; } /* slice 0 of GEOS[0] moves far away */
static void one_matrix(csfo_slice *s) { s[1].rows = ROWS - 1; }

static void test_bad_series(void **state)
{
    (void)state;
    /* each row spoils one slice of a good sagittal series and names the reason */
    static const struct {
        spoil_fn spoil;
        const char *needle;
    } rows[] = {
        {one_mixed, "mixed orientations"},
        {one_no_position, "ImagePositionPatient"},
        {two_same_position, "share one position"},
        {one_gap, "uneven slice spacing"},
        {one_matrix, "mixed matrix sizes"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        csfo_slice *sl = make_slices(&GEOS[0], GEOS[0].step);
        rows[i].spoil(sl);
        csf_volume *v = NULL;
        csf_error err = {0};
        assert_int_equal(csfo_volume_build(sl, SLICES, &v, NULL, &err), CSF_ERR_FORMAT);
        assert_null(v);
        if (strstr(err.msg, rows[i].needle) == NULL)
            fail_msg("row %zu: '%s' lacks '%s'", i, err.msg, rows[i].needle);
        csfo_slices_free(sl, SLICES);
    }
    csfo_slice *sl = make_slices(&GEOS[0], GEOS[0].step);
    csf_volume *v = NULL;
    csf_error err = {0};
    assert_int_equal(csfo_volume_build(sl, 1, &v, NULL, &err), CSF_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "1 slice"));
    csfo_slices_free(sl, SLICES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_dcm2niix),
        cmocka_unit_test(test_world_position),
        cmocka_unit_test(test_bad_series),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
