/* io: real scanner files, round trips in every orientation and datatype,
 * NIfTI-2, byte order, scaling, exact-path reading, gzip members, PNG. */
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csfleak/io.h"
#include "support/csf_test_nifti.h"

#define REAL(name) CSF_REAL_DATA "/" name

static csf_volume *read_ok(const char *path, csf_io_source *src)
{
    csf_error err = {0};
    csf_volume *v = NULL;
    csf_status st = csf_io_read(path, NULL, &v, src, &err);
    if (st != CSF_OK)
        fail_msg("reading %s: %s", path, err.msg);
    return v;
}

/* ---- real files: README table of ../shared/data/real ---- */
typedef struct real_row {
    const char *file;
    size_t dim[3];
    const char *orient, *dtype;
    double ext[6]; /* x lo, hi; y lo, hi; z lo, hi (RAS mm, voxel centres) */
    double max;
} real_row;

static const real_row real_rows[] = {
    /* sagittal, stored PSR, qfac -1 */
    {"sct_t2_cervicothoracic.nii.gz", {384, 195, 52}, "PSR", "int16",
     {-32.2, 18.8, -171.2, 211.8, -139.3, 54.7}, 1583},
    /* the crop of the row above */
    {"sct_t2_cervical_crop.nii.gz", {60, 55, 52}, "PSR", "int16",
     {-32.2, 18.8, -27.2, 31.8, -19.3, 34.7}, 1257},
    /* 0.8 mm, 12-bit values */
    {"sg_fslprisma05_t2_crop.nii.gz", {99, 99, 29}, "PSR", "int16",
     {-14.0, 8.4, -75.5, 2.9, -206.6, -128.2}, 4095},
    /* already RAS, qfac +1 */
    {"sct_t1_cervical_crop.nii.gz", {42, 76, 77}, "RAS", "int16",
     {-31.2, 9.8, -36.2, 38.8, -21.3, 54.7}, 949},
    /* axial uint8, oblique sform (4.3 degrees) */
    {"sct_t2star_axial.nii.gz", {320, 320, 11}, "LAS", "uint8",
     {-82.6, 77.0, -82.2, 82.5, -24.5, 62.5}, 255},
};

static void extents(const csf_volume *v, double ext[6])
{
    for (int a = 0; a < 3; a++) {
        ext[2 * a] = INFINITY;
        ext[2 * a + 1] = -INFINITY;
    }
    for (int c = 0; c < 8; c++) {
        double ijk[3], w[3];
        for (int a = 0; a < 3; a++)
            ijk[a] = c & (1 << a) ? (double)(v->dim[a] - 1) : 0;
        csf_volume_ijk_to_ras(v, ijk, w);
        for (int a = 0; a < 3; a++) {
            ext[2 * a] = fmin(ext[2 * a], w[a]);
            ext[2 * a + 1] = fmax(ext[2 * a + 1], w[a]);
        }
    }
}

static void test_real_files(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof real_rows / sizeof real_rows[0]; r++) {
        const real_row *row = &real_rows[r];
        char path[512];
        snprintf(path, sizeof path, "%s/%s", CSF_REAL_DATA, row->file);
        csf_io_source src;
        csf_volume *v = read_ok(path, &src);
        for (int a = 0; a < 3; a++)
            assert_int_equal(src.dim[a], row->dim[a]);
        assert_int_equal(src.dim[3], 1);
        assert_string_equal(src.orient, row->orient);
        assert_string_equal(src.datatype, row->dtype);
        assert_string_equal(src.xform_source, "sform");
        assert_string_equal(src.format, "nifti1");
        char code[4];
        csf_volume_orient_code(v, code);
        assert_string_equal(code, "RAS");
        double ext[6];
        extents(v, ext);
        for (int i = 0; i < 6; i++)
            if (fabs(ext[i] - row->ext[i]) > 0.1)
                fail_msg("%s extent %d: %.2f, README %.2f", row->file, i, ext[i], row->ext[i]);
        double mx = -INFINITY;
        for (size_t i = 0; i < csf_volume_nvox(v); i++)
            mx = fmax(mx, v->data[i]);
        assert_true(mx == row->max);
        csf_volume_free(v);
    }
}

/* The crop is voxels [180:240, 120:175, 0:52] of the big file: same values at
 * the same world points. */
static void test_real_crop_consistency(void **state)
{
    (void)state;
    csf_io_source sb, sc;
    csf_volume *big = read_ok(REAL("sct_t2_cervicothoracic.nii.gz"), &sb);
    csf_volume *crop = read_ok(REAL("sct_t2_cervical_crop.nii.gz"), &sc);
    /* file grid: crop voxel 0 is big voxel (180, 120, 0) */
    for (int r = 0; r < 3; r++) {
        double w = sb.affine[r][0] * 180 + sb.affine[r][1] * 120 + sb.affine[r][3];
        assert_true(fabs(w - sc.affine[r][3]) < 1e-3);
    }
    size_t checked = 0;
    for (size_t k = 0; k < crop->dim[2]; k++)
        for (size_t j = 0; j < crop->dim[1]; j++)
            for (size_t i = 0; i < crop->dim[0]; i++) {
                double ijk[3] = {(double)i, (double)j, (double)k}, w[3], b[3];
                csf_volume_ijk_to_ras(crop, ijk, w);
                assert_int_equal(csf_volume_ras_to_ijk(big, w, b, NULL), CSF_OK);
                size_t bi[3];
                for (int a = 0; a < 3; a++) {
                    double rr = nearbyint(b[a]);
                    assert_true(fabs(rr - b[a]) < 1e-3 && rr >= 0 && rr < (double)big->dim[a]);
                    bi[a] = (size_t)rr;
                }
                float vb = big->data[bi[0] + big->dim[0] * (bi[1] + big->dim[1] * bi[2])];
                assert_true(vb == crop->data[i + crop->dim[0] * (j + crop->dim[1] * k)]);
                checked++;
            }
    assert_int_equal(checked, 60 * 55 * 52);
    csf_volume_free(big);
    csf_volume_free(crop);
}

/* Reading is bit-identical for any thread count (checked on the largest file). */
static void test_threads_identical(void **state)
{
    (void)state;
    csf_exec *e1 = NULL, *e3 = NULL;
    assert_int_equal(csf_exec_new(1, &e1, NULL), CSF_OK);
    assert_int_equal(csf_exec_new(3, &e3, NULL), CSF_OK);
    csf_volume *a = NULL, *b = NULL;
    const char *p = REAL("sct_t2_cervicothoracic.nii.gz");
    assert_int_equal(csf_io_read(p, e1, &a, NULL, NULL), CSF_OK);
    assert_int_equal(csf_io_read(p, e3, &b, NULL, NULL), CSF_OK);
    assert_memory_equal(a->data, b->data, csf_volume_nvox(a) * sizeof(float));
    assert_memory_equal(a->affine, b->affine, sizeof a->affine);
    csf_volume_free(a);
    csf_volume_free(b);
    csf_exec_free(e1);
    csf_exec_free(e3);
}

/* ---- round trips ---- */
typedef struct orient_row {
    const char *name;
    double m[3][3]; /* columns = voxel axes in RAS, unit length */
    const char *code;
} orient_row;

static const orient_row orient_rows[] = {
    {"RAS", {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, "RAS"},
    {"LPS (DICOM-like)", {{-1, 0, 0}, {0, -1, 0}, {0, 0, 1}}, "LPS"},
    /* sagittal as the real files: i -> P, j -> S, k -> R */
    {"PSR", {{0, 0, 1}, {-1, 0, 0}, {0, 1, 0}}, "PSR"},
    {"ASL", {{0, 0, -1}, {1, 0, 0}, {0, 1, 0}}, "ASL"},
    {"LIP", {{-1, 0, 0}, {0, 0, -1}, {0, -1, 0}}, "LIP"},
    /* LAS tilted 4.3 degrees about x */
    {"LAS oblique", {{-1, 0, 0}, {0, 0.99718, -0.07498}, {0, 0.07498, 0.99718}}, "LAS"},
};

static const csf_dtype dtypes[] = {CSF_DT_FLOAT32, CSF_DT_INT16, CSF_DT_UINT8, CSF_DT_UINT16};

static float value_for(csf_dtype dt, size_t i)
{
    switch (dt) {
    case CSF_DT_INT16: return (float)((int)(i * 7919 % 60001) - 30000);
    case CSF_DT_UINT8: return (float)(i * 31 % 256);
    case CSF_DT_UINT16: return (float)(i * 7919 % 65536);
    default: return (float)(i % 97) * 0.37f - 11.5f;
    }
}

static csf_volume *make_file_grid(const orient_row *o, const size_t dim[4], csf_dtype dt)
{
    const double sp[3] = {0.8, 1.1, 2.5};
    csf_volume *v = NULL;
    assert_int_equal(csf_volume_new(dim, sp, &v, NULL), CSF_OK);
    for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 3; c++)
            v->affine[r][c] = o->m[r][c] * sp[c];
        v->affine[r][3] = 10.0 * (r + 1) - 33.3;
    }
    for (size_t i = 0; i < csf_volume_nvox(v) * v->dim[3]; i++)
        v->data[i] = value_for(dt, i);
    return v;
}

/* Every canonical voxel sits at the world point of a file voxel with the same value. */
static void check_same_world(const csf_volume *f, const csf_volume *c)
{
    size_t nf = csf_volume_nvox(f);
    assert_int_equal(nf, csf_volume_nvox(c));
    assert_int_equal(f->dim[3], c->dim[3]);
    for (size_t k = 0; k < c->dim[2]; k++)
        for (size_t j = 0; j < c->dim[1]; j++)
            for (size_t i = 0; i < c->dim[0]; i++) {
                double ijk[3] = {(double)i, (double)j, (double)k}, w[3], g[3];
                csf_volume_ijk_to_ras(c, ijk, w);
                assert_int_equal(csf_volume_ras_to_ijk(f, w, g, NULL), CSF_OK);
                size_t fi[3];
                for (int a = 0; a < 3; a++) {
                    double rr = nearbyint(g[a]);
                    assert_true(fabs(rr - g[a]) < 1e-3);
                    fi[a] = (size_t)rr;
                }
                size_t lf = fi[0] + f->dim[0] * (fi[1] + f->dim[1] * fi[2]);
                size_t lc = i + c->dim[0] * (j + c->dim[1] * k);
                for (size_t t = 0; t < c->dim[3]; t++)
                    assert_true(f->data[lf + t * nf] == c->data[lc + t * nf]);
            }
}

static void round_trip_one(const char *dir, const orient_row *o, const size_t dim[4],
                           csf_dtype dt, const char *ext)
{
    char path[600], name[64];
    snprintf(name, sizeof name, "rt%s", ext);
    csf_test_path(path, sizeof path, dir, name);
    csf_volume *f = make_file_grid(o, dim, dt);
    csf_error err = {0};
    assert_int_equal(csf_io_write_nifti(path, f, dt, &err), CSF_OK);
    csf_io_source src;
    csf_volume *c = read_ok(path, &src);
    assert_string_equal(src.orient, o->code);
    for (int a = 0; a < 4; a++)
        assert_int_equal(src.dim[a], f->dim[a]);
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 4; k++)
            assert_true(fabs(src.affine[r][k] - f->affine[r][k]) < 1e-4);
    char code[4];
    csf_volume_orient_code(c, code);
    assert_string_equal(code, "RAS");
    check_same_world(f, c);
    csf_volume *back = NULL;
    assert_int_equal(csf_io_to_source(c, &src, &back, NULL, &err), CSF_OK);
    size_t n = csf_volume_nvox(f) * f->dim[3];
    assert_memory_equal(back->data, f->data, n * sizeof(float));
    csf_volume_free(back);
    csf_volume_free(c);
    csf_volume_free(f);
}

static void test_round_trip(void **state)
{
    (void)state;
    char dir[64];
    assert_int_equal(csf_test_mkdtemp(dir, sizeof dir), 0);
    static const size_t dims[][4] = {{5, 4, 3, 1}, {6, 5, 1, 1}, {4, 3, 3, 3}};
    for (size_t o = 0; o < sizeof orient_rows / sizeof orient_rows[0]; o++)
        for (size_t d = 0; d < sizeof dtypes / sizeof dtypes[0]; d++)
            for (size_t g = 0; g < 3; g++) {
                round_trip_one(dir, &orient_rows[o], dims[g], dtypes[d], ".nii");
                round_trip_one(dir, &orient_rows[o], dims[g], dtypes[d], ".nii.gz");
            }
    csf_test_rmtree(dir);
}

/* write_nifti_source puts a canonical label map back on the file's grid. */
static void test_write_on_source_grid(void **state)
{
    (void)state;
    char dir[64], out[600];
    assert_int_equal(csf_test_mkdtemp(dir, sizeof dir), 0);
    csf_io_source src;
    csf_volume *v = read_ok(REAL("sct_t2_cervical_crop.nii.gz"), &src);
    for (size_t i = 0; i < csf_volume_nvox(v); i++)
        v->data[i] = v->data[i] > 500 ? 1.0f : 0.0f;
    csf_error err = {0};
    csf_test_path(out, sizeof out, dir, "mask.nii.gz");
    assert_int_equal(csf_io_write_nifti_source(out, v, &src, CSF_DT_UINT8, NULL, &err), CSF_OK);
    csf_io_source s2;
    csf_volume *m = read_ok(out, &s2);
    assert_string_equal(s2.orient, "PSR");
    assert_string_equal(s2.datatype, "uint8");
    for (int a = 0; a < 3; a++)
        assert_int_equal(s2.dim[a], src.dim[a]);
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 4; k++)
            assert_true(fabs(s2.affine[r][k] - src.affine[r][k]) < 1e-4);
    assert_memory_equal(m->data, v->data, csf_volume_nvox(v) * sizeof(float));
    /* wrong grid is refused */
    csf_volume *other = read_ok(REAL("sct_t1_cervical_crop.nii.gz"), NULL);
    csf_volume *x = NULL;
    assert_int_equal(csf_io_to_source(other, &src, &x, NULL, &err), CSF_ERR_INVALID_ARG);
    csf_volume_free(other);
    csf_volume_free(m);
    csf_volume_free(v);
    csf_test_rmtree(dir);
}

static const double eye16[16] = {2, 0, 0, -3, 0, 3, 0, 4, 0, 0, 4, 5, 0, 0, 0, 1};

/* NIfTI-2, big-endian NIfTI-1, scl_slope/inter, int8/int32/float64. */
static void test_variants(void **state)
{
    (void)state;
    char dir[64], p[600];
    assert_int_equal(csf_test_mkdtemp(dir, sizeof dir), 0);
    const int64_t dims[8] = {3, 4, 3, 2, 1, 1, 1, 1};
    int16_t raw[24];
    for (int i = 0; i < 24; i++)
        raw[i] = (int16_t)(i * 100 - 1000);
    uint8_t *b = NULL;
    size_t len = 0;
    /* NIfTI-2 */
    assert_int_equal(csf_test_nifti_bytes(2, dims, DT_INT16, eye16, raw, &b, &len), 0);
    csf_test_write_file(csf_test_path(p, sizeof p, dir, "n2.nii"), b, len);
    free(b);
    csf_io_source s;
    csf_volume *v = read_ok(p, &s);
    assert_string_equal(s.format, "nifti2");
    for (int i = 0; i < 24; i++)
        assert_true(v->data[i] == raw[i]);
    assert_true(fabs(v->affine[2][3] - 5) < 1e-9 && fabs(v->spacing[1] - 3) < 1e-9);
    csf_volume_free(v);
    /* big-endian NIfTI-1 with scl_slope 2, scl_inter -5 */
    assert_int_equal(csf_test_nifti_bytes(1, dims, DT_INT16, eye16, raw, &b, &len), 0);
    nifti_1_header h;
    memcpy(&h, b, sizeof h);
    h.scl_slope = 2;
    h.scl_inter = -5;
    swap_nifti_header(&h, 1);
    memcpy(b, &h, sizeof h);
    nifti_swap_2bytes(24, b + 352);
    csf_test_write_file(csf_test_path(p, sizeof p, dir, "be.nii"), b, len);
    free(b);
    v = read_ok(p, &s);
    for (int i = 0; i < 24; i++)
        assert_true(v->data[i] == 2.0f * raw[i] - 5.0f);
    csf_volume_free(v);
    /* other stored types */
    static const int types[] = {DT_INT8, DT_INT32, DT_UINT32, DT_FLOAT64, DT_INT64};
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        int nbyper = 0, ss = 0;
        nifti_datatype_sizes(types[t], &nbyper, &ss);
        uint8_t data[24 * 8];
        for (int i = 0; i < 24; i++) {
            int8_t i8 = (int8_t)(i - 12);
            int32_t i32 = (i - 12) * 100000;
            uint32_t u32 = (uint32_t)i * 3000000000u / 24u;
            double f64 = (i - 12) * 0.25;
            int64_t i64 = (int64_t)(i - 12) * 1000;
            const void *src = types[t] == DT_INT8 ? (const void *)&i8 : types[t] == DT_INT32 ? (const void *)&i32
                              : types[t] == DT_UINT32 ? (const void *)&u32 : types[t] == DT_FLOAT64 ? (const void *)&f64
                              : (const void *)&i64;
            memcpy(data + i * nbyper, src, (size_t)nbyper);
        }
        assert_int_equal(csf_test_nifti_bytes(1, dims, types[t], eye16, data, &b, &len), 0);
        csf_test_write_file(csf_test_path(p, sizeof p, dir, "t.nii"), b, len);
        free(b);
        v = read_ok(p, &s);
        for (int i = 0; i < 24; i++) {
            double want = types[t] == DT_INT8 ? i - 12 : types[t] == DT_INT32 ? (i - 12) * 100000.0
                          : types[t] == DT_UINT32 ? (double)((uint32_t)i * 3000000000u / 24u)
                          : types[t] == DT_FLOAT64 ? (i - 12) * 0.25 : (i - 12) * 1000.0;
            assert_true(v->data[i] == (float)want);
        }
        csf_volume_free(v);
    }
    csf_test_rmtree(dir);
}

/* A 2-D file whose sform has a zero third column still reads, in place. */
static void test_flat_2d(void **state)
{
    (void)state;
    char dir[64], p[600];
    assert_int_equal(csf_test_mkdtemp(dir, sizeof dir), 0);
    const int64_t dims[8] = {2, 5, 4, 1, 1, 1, 1, 1};
    const double flat[16] = {0, 0, 0, 7, -0.5, 0, 0, 20, 0, 0.5, 0, -3, 0, 0, 0, 1};
    uint8_t px[20];
    for (int i = 0; i < 20; i++)
        px[i] = (uint8_t)(i * 3);
    uint8_t *b = NULL;
    size_t len = 0;
    assert_int_equal(csf_test_nifti_bytes(1, dims, DT_UINT8, flat, px, &b, &len), 0);
    nifti_1_header h;
    memcpy(&h, b, sizeof h);
    /* sagittal 2-D: i -> P, j -> S, no third column; qform off so the sform rules */
    for (int c = 0; c < 4; c++) {
        h.srow_x[c] = (float)flat[c];
        h.srow_y[c] = (float)flat[4 + c];
        h.srow_z[c] = (float)flat[8 + c];
    }
    h.qform_code = 0;
    memcpy(b, &h, sizeof h);
    csf_test_write_file(csf_test_path(p, sizeof p, dir, "flat.nii"), b, len);
    free(b);
    csf_io_source s;
    csf_volume *v = read_ok(p, &s);
    assert_int_equal(v->dim[0], 1);
    assert_int_equal(v->dim[1], 5);
    assert_int_equal(v->dim[2], 4);
    double ijk[3] = {0, 0, 0}, w[3];
    csf_volume_ijk_to_ras(v, ijk, w);
    /* i runs posterior, so canonical (0,0,0) is file voxel (4, 0), y = 20 - 4 * 0.5 */
    assert_true(fabs(w[0] - 7) < 1e-6 && fabs(w[1] - 18) < 1e-6 && fabs(w[2] + 3) < 1e-6);
    assert_true(v->data[0] == px[4]);
    csf_volume_free(v);
    csf_test_rmtree(dir);
}

/* x.nii and x.nii.gz side by side: each read returns its own content, and a
 * name that does not exist is never completed to a neighbour. */
static void test_exact_path(void **state)
{
    (void)state;
    char dir[64], p[600];
    assert_int_equal(csf_test_mkdtemp(dir, sizeof dir), 0);
    const int64_t dims[8] = {3, 2, 2, 2, 1, 1, 1, 1};
    uint8_t ones[8], twos[8];
    memset(ones, 1, 8);
    memset(twos, 2, 8);
    uint8_t *b = NULL, *z = NULL;
    size_t len = 0, zlen = 0;
    assert_int_equal(csf_test_nifti_bytes(1, dims, DT_UINT8, eye16, ones, &b, &len), 0);
    csf_test_write_file(csf_test_path(p, sizeof p, dir, "x.nii"), b, len);
    free(b);
    assert_int_equal(csf_test_nifti_bytes(1, dims, DT_UINT8, eye16, twos, &b, &len), 0);
    assert_int_equal(csf_test_gzip(b, len, &z, &zlen), 0);
    csf_test_write_file(csf_test_path(p, sizeof p, dir, "x.nii.gz"), z, zlen);
    free(b);
    free(z);
    csf_volume *v = read_ok(csf_test_path(p, sizeof p, dir, "x.nii.gz"), NULL);
    assert_true(v->data[0] == 2 && v->data[7] == 2);
    csf_volume_free(v);
    v = read_ok(csf_test_path(p, sizeof p, dir, "x.nii"), NULL);
    assert_true(v->data[0] == 1 && v->data[7] == 1);
    csf_volume_free(v);
    csf_error err = {0};
    v = NULL;
    assert_int_equal(csf_io_read(csf_test_path(p, sizeof p, dir, "x"), NULL, &v, NULL, &err),
                     CSF_ERR_IO);
    assert_null(v);
    assert_non_null(strstr(err.msg, p));
    csf_test_rmtree(dir);
}

/* A .nii.gz made of two gzip members (as pigz/bgzip may write) reads whole. */
static void test_multi_member_gzip(void **state)
{
    (void)state;
    char dir[64], p[600];
    assert_int_equal(csf_test_mkdtemp(dir, sizeof dir), 0);
    const int64_t dims[8] = {3, 40, 30, 20, 1, 1, 1, 1};
    size_t n = 40 * 30 * 20;
    int16_t *raw = malloc(n * 2);
    for (size_t i = 0; i < n; i++)
        raw[i] = (int16_t)(i % 3001);
    uint8_t *b = NULL, *z1 = NULL, *z2 = NULL;
    size_t len = 0, l1 = 0, l2 = 0;
    assert_int_equal(csf_test_nifti_bytes(1, dims, DT_INT16, eye16, raw, &b, &len), 0);
    assert_int_equal(csf_test_gzip(b, 5000, &z1, &l1), 0);
    assert_int_equal(csf_test_gzip(b + 5000, len - 5000, &z2, &l2), 0);
    uint8_t *cat = malloc(l1 + l2);
    memcpy(cat, z1, l1);
    memcpy(cat + l1, z2, l2);
    csf_test_write_file(csf_test_path(p, sizeof p, dir, "mm.nii.gz"), cat, l1 + l2);
    csf_volume *v = read_ok(p, NULL);
    for (size_t i = 0; i < n; i++)
        assert_true(v->data[i] == raw[i]);
    csf_volume_free(v);
    free(cat);
    free(z1);
    free(z2);
    free(b);
    free(raw);
    csf_test_rmtree(dir);
}

static void test_png(void **state)
{
    (void)state;
    for (int ch = 1; ch <= 3; ch += 2) {
        const size_t w = 7, h = 5;
        uint8_t px[7 * 5 * 3];
        for (size_t i = 0; i < w * h * (size_t)ch; i++)
            px[i] = (uint8_t)(i * 37 + 11);
        uint8_t *buf = NULL;
        size_t len = 0;
        assert_int_equal(csf_io_encode_png(px, w, h, ch, &buf, &len, NULL), CSF_OK);
        png_image img;
        memset(&img, 0, sizeof img);
        img.version = PNG_IMAGE_VERSION;
        assert_true(png_image_begin_read_from_memory(&img, buf, len));
        assert_int_equal(img.width, w);
        assert_int_equal(img.height, h);
        img.format = ch == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
        uint8_t back[7 * 5 * 3];
        assert_true(png_image_finish_read(&img, NULL, back, 0, NULL));
        assert_memory_equal(back, px, w * h * (size_t)ch);
        free(buf);
    }
    char dir[64], p[600];
    assert_int_equal(csf_test_mkdtemp(dir, sizeof dir), 0);
    uint8_t g[4] = {0, 85, 170, 255};
    assert_int_equal(csf_io_write_png(csf_test_path(p, sizeof p, dir, "g.png"), g, 2, 2, 1, NULL),
                     CSF_OK);
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    uint8_t sig[8];
    assert_int_equal(fread(sig, 1, 8, f), 8);
    fclose(f);
    assert_memory_equal(sig, "\x89PNG\r\n\x1a\n", 8);
    csf_error err = {0};
    assert_int_equal(csf_io_write_png(p, g, 2, 2, 2, &err), CSF_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, p));
    csf_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_files),
        cmocka_unit_test(test_real_crop_consistency),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_write_on_source_grid),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_flat_2d),
        cmocka_unit_test(test_exact_path),
        cmocka_unit_test(test_multi_member_gzip),
        cmocka_unit_test(test_png),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
