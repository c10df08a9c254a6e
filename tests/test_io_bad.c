/* io: every kind of bad input is a real file on disk; each read must fail with
 * the expected status and a message that names the file. Table-driven. */
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
#include "support/csf_test_nifti.h"

static const double aff[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};

enum mutation {
    M_TRUNC_DATA, M_TRUNC_GZIP, M_CORRUPT_GZIP, M_BAD_MAGIC, M_BAD_SIZEOF, M_DIM_ZERO,
    M_DIM_NEG, M_DIM_HUGE, M_VOX_HUGE, M_NDIM_BAD, M_PIXDIM_ZERO, M_PIXDIM_NEG, M_PIXDIM_NAN,
    M_NAN_VOXELS, M_INF_VOXELS, M_COMPLEX, M_RGB, M_EMPTY, M_SHORT, M_SINGULAR, M_TWO_FILE,
    M_5D, M_VOXOFF
};

typedef struct bad_row {
    const char *name; /* file name in the temp dir */
    enum mutation m;
    csf_status want;
    const char *words; /* must appear in the message */
} bad_row;

static const bad_row rows[] = {
    {"trunc.nii", M_TRUNC_DATA, CSF_ERR_FORMAT, "truncated"},        /* data cut short */
    {"trunc.nii.gz", M_TRUNC_GZIP, CSF_ERR_FORMAT, "truncated gzip"}, /* gzip cut in half */
    {"corrupt.nii.gz", M_CORRUPT_GZIP, CSF_ERR_FORMAT, "gzip"},      /* flipped deflate bytes */
    {"magic.nii", M_BAD_MAGIC, CSF_ERR_FORMAT, "magic"},             /* 'n+1' replaced */
    {"notnifti.nii", M_BAD_SIZEOF, CSF_ERR_FORMAT, "not a NIfTI"},   /* text file */
    {"dim0.nii", M_DIM_ZERO, CSF_ERR_FORMAT, "dimension 2 is 0"},    /* dim[2] = 0 */
    {"dimneg.nii", M_DIM_NEG, CSF_ERR_FORMAT, "dimension 3 is -3"},  /* dim[3] = -3 */
    {"dimhuge.nii", M_DIM_HUGE, CSF_ERR_FORMAT, "5000"},             /* > 4096 per axis */
    {"voxhuge.nii", M_VOX_HUGE, CSF_ERR_FORMAT, "2^31"},             /* 4096^2*200 voxels */
    {"ndim.nii", M_NDIM_BAD, CSF_ERR_FORMAT, "dimensions"},          /* dim[0] = 9 */
    {"pix0.nii", M_PIXDIM_ZERO, CSF_ERR_FORMAT, "voxel size"},       /* pixdim[1] = 0 */
    {"pixneg.nii", M_PIXDIM_NEG, CSF_ERR_FORMAT, "voxel size"},      /* pixdim[2] = -1 */
    {"pixnan.nii", M_PIXDIM_NAN, CSF_ERR_FORMAT, "voxel size"},      /* pixdim[3] = NaN */
    {"nan.nii", M_NAN_VOXELS, CSF_ERR_FORMAT, "3 voxels are NaN"},   /* 3 NaN floats */
    {"inf.nii.gz", M_INF_VOXELS, CSF_ERR_FORMAT, "1 voxels are NaN or infinite"}, /* one +Inf */
    {"complex.nii", M_COMPLEX, CSF_ERR_UNSUPPORTED, "datatype"},     /* complex64 */
    {"rgb.nii", M_RGB, CSF_ERR_UNSUPPORTED, "datatype"},             /* RGB24 */
    {"empty.nii", M_EMPTY, CSF_ERR_FORMAT, "empty"},                 /* 0 bytes */
    {"short.nii", M_SHORT, CSF_ERR_FORMAT, "truncated header"},      /* 200 bytes of header */
    {"singular.nii", M_SINGULAR, CSF_ERR_FORMAT, "singular"},        /* sform all zero */
    {"pair.nii", M_TWO_FILE, CSF_ERR_UNSUPPORTED, "two-file"},       /* 'ni1' magic */
    {"five.nii", M_5D, CSF_ERR_UNSUPPORTED, "5-dimensional"},        /* dim[5] = 2 */
    {"voxoff.nii", M_VOXOFF, CSF_ERR_FORMAT, "vox_offset"},          /* vox_offset 10 */
};

static void build(const bad_row *r, uint8_t **out, size_t *len)
{
    int64_t dims[8] = {3, 4, 3, 2, 1, 1, 1, 1};
    int dt = (r->m == M_NAN_VOXELS || r->m == M_INF_VOXELS) ? DT_FLOAT32 : DT_INT16;
    if (r->m == M_5D) {
        dims[0] = 5;
        dims[4] = 1;
        dims[5] = 2;
    }
    float fdata[24] = {0};
    if (r->m == M_NAN_VOXELS)
        fdata[1] = fdata[5] = fdata[23] = NAN;
    if (r->m == M_INF_VOXELS)
        fdata[7] = INFINITY;
    assert_int_equal(csf_test_nifti_bytes(1, dims, dt, aff, dt == DT_FLOAT32 ? fdata : NULL, out,
                                          len), 0);
    nifti_1_header h;
    memcpy(&h, *out, sizeof h);
    switch (r->m) {
    case M_TRUNC_DATA: *len -= 7; break;
    case M_BAD_MAGIC: memcpy(h.magic, "xyz", 4); break;
    case M_BAD_SIZEOF: memcpy(*out, "hello, this is not an image\n", 28); return;
    case M_DIM_ZERO: h.dim[2] = 0; break;
    case M_DIM_NEG: h.dim[3] = -3; break;
    case M_DIM_HUGE: h.dim[1] = 5000; break;
    case M_VOX_HUGE: h.dim[1] = 4096; h.dim[2] = 4096; h.dim[3] = 200; break;
    case M_NDIM_BAD: h.dim[0] = 9; break;
    case M_PIXDIM_ZERO: h.pixdim[1] = 0; break;
    case M_PIXDIM_NEG: h.pixdim[2] = -1; break;
    case M_PIXDIM_NAN: h.pixdim[3] = NAN; break;
    case M_COMPLEX: h.datatype = DT_COMPLEX64; h.bitpix = 64; break;
    case M_RGB: h.datatype = DT_RGB24; h.bitpix = 24; break;
    case M_EMPTY: *len = 0; break;
    case M_SHORT: *len = 200; break;
    case M_SINGULAR:
        memset(h.srow_x, 0, sizeof h.srow_x);
        memset(h.srow_y, 0, sizeof h.srow_y);
        memset(h.srow_z, 0, sizeof h.srow_z);
        break;
    case M_TWO_FILE: memcpy(h.magic, "ni1", 4); break;
    case M_VOXOFF: h.vox_offset = 10; break;
    default: break;
    }
    memcpy(*out, &h, sizeof h);
}

static void finish_gzip(const bad_row *r, uint8_t **buf, size_t *len)
{
    if (r->m != M_TRUNC_GZIP && r->m != M_CORRUPT_GZIP && r->m != M_INF_VOXELS)
        return;
    uint8_t *z = NULL;
    size_t zlen = 0;
    assert_int_equal(csf_test_gzip(*buf, *len, &z, &zlen), 0);
    free(*buf);
    if (r->m == M_TRUNC_GZIP)
        zlen /= 2;
    if (r->m == M_CORRUPT_GZIP)
        for (size_t i = 12; i < 40 && i < zlen; i++)
            z[i] ^= 0x5a;
    *buf = z;
    *len = zlen;
}

static void test_bad_inputs(void **state)
{
    (void)state;
    char dir[64], path[600];
    assert_int_equal(csf_test_mkdtemp(dir, sizeof dir), 0);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const bad_row *r = &rows[i];
        uint8_t *buf = NULL;
        size_t len = 0;
        build(r, &buf, &len);
        finish_gzip(r, &buf, &len);
        csf_test_path(path, sizeof path, dir, r->name);
        assert_int_equal(csf_test_write_file(path, buf, len), 0);
        free(buf);
        csf_error err = {0};
        csf_volume *v = NULL;
        csf_status st = csf_io_read(path, NULL, &v, NULL, &err);
        if (st != r->want || strstr(err.msg, path) == NULL || strstr(err.msg, r->words) == NULL)
            fail_msg("%s: status %d (want %d), message '%s' (want '%s' and the path)", r->name,
                     st, r->want, err.msg, r->words);
        assert_null(v);
        assert_null(strchr(err.msg, '\n'));
    }
    csf_test_rmtree(dir);
}

static void test_missing_and_dirs(void **state)
{
    (void)state;
    char dir[64], path[600];
    assert_int_equal(csf_test_mkdtemp(dir, sizeof dir), 0);
    csf_error err = {0};
    csf_volume *v = NULL;
    csf_test_path(path, sizeof path, dir, "nope.nii.gz");
    assert_int_equal(csf_io_read(path, NULL, &v, NULL, &err), CSF_ERR_IO);
    assert_non_null(strstr(err.msg, path));
    /* a directory of non-DICOM files: dcm2niix finds nothing */
    char sub[600], f[700];
    csf_test_path(sub, sizeof sub, dir, "notdicom");
    assert_int_equal(mkdir(sub, 0700), 0);
    csf_test_path(f, sizeof f, sub, "a.dcm");
    assert_int_equal(csf_test_write_file(f, "garbage, not DICOM\n", 19), 0);
    csf_error_clear(&err);
    csf_status st = csf_io_read(sub, NULL, &v, NULL, &err);
    assert_true(st == CSF_ERR_FORMAT || st == CSF_ERR_EXTERNAL);
    assert_non_null(strstr(err.msg, sub));
    assert_null(v);
    csf_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_missing_and_dirs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
