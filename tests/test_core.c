/* core: errors, parallel_for, atomic writes, the volume type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csfleak/atomic.h"
#include "csfleak/error.h"
#include "csfleak/exec.h"
#include "csfleak/volume.h"

static void error_first_wins_and_prefix(void **state)
{
    (void)state;
    csf_error e = {0};
    assert_int_equal(csf_error_set(&e, CSF_ERR_FORMAT, "header gives %d slices", 0), CSF_ERR_FORMAT);
    assert_int_equal(csf_error_set(&e, CSF_ERR_IO, "second"), CSF_ERR_IO);
    assert_int_equal(e.code, CSF_ERR_FORMAT);
    csf_error_prefix(&e, "cannot read '%s'", "sag.nii.gz");
    assert_string_equal(e.msg, "cannot read 'sag.nii.gz': header gives 0 slices");
    assert_int_equal(csf_error_set(NULL, CSF_ERR_IO, "x"), CSF_ERR_IO);
    assert_string_equal(csf_status_str(CSF_ERR_FORMAT), "bad input data");
}

typedef struct sum_ctx {
    const double *x;
    double *partial;
    size_t fail_chunk;
} sum_ctx;

static csf_status sum_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    sum_ctx *c = vctx;
    if (chunk == c->fail_chunk)
        return csf_error_set(err, CSF_ERR_FORMAT, "chunk %zu refused", chunk);
    double s = 0;
    for (size_t i = b; i < e; i++)
        s += c->x[i];
    c->partial[chunk] = s;
    return CSF_OK;
}

static double run_sum(int threads, const double *x, size_t n, size_t grain, size_t fail, csf_status *st)
{
    csf_exec *ex = NULL;
    assert_int_equal(csf_exec_new(threads, &ex, NULL), CSF_OK);
    size_t nch = (n + grain - 1) / grain;
    double *partial = calloc(nch, sizeof *partial);
    sum_ctx c = {x, partial, fail};
    csf_error err = {0};
    *st = csf_parallel_for(ex, n, grain, sum_chunk, &c, &err);
    double s = 0;
    for (size_t i = 0; i < nch; i++)
        s += partial[i];
    free(partial);
    csf_exec_free(ex);
    return s;
}

static void parallel_for_bit_identical_any_threads(void **state)
{
    (void)state;
    const size_t n = 100003;
    double *x = malloc(n * sizeof *x);
    uint64_t r = 12345;
    for (size_t i = 0; i < n; i++) {
        r = r * 6364136223846793005ULL + 1442695040888963407ULL;
        x[i] = (double)(r >> 11) / 9007199254740992.0 * 1e6 - 5e5;
    }
    csf_status st;
    double s1 = run_sum(1, x, n, 997, SIZE_MAX, &st);
    assert_int_equal(st, CSF_OK);
    for (int t = 2; t <= 7; t++) {
        double st_sum = run_sum(t, x, n, 997, SIZE_MAX, &st);
        assert_int_equal(st, CSF_OK);
        assert_memory_equal(&s1, &st_sum, sizeof s1);
    }
    /* brute force in the same chunk order is the same bits */
    double ref = 0;
    for (size_t c = 0; c * 997 < n; c++) {
        double p = 0;
        for (size_t i = c * 997; i < n && i < (c + 1) * 997; i++)
            p += x[i];
        ref += p;
    }
    assert_memory_equal(&s1, &ref, sizeof ref);
    run_sum(2, x, n, 997, 5, &st);
    assert_int_equal(st, CSF_ERR_FORMAT);
    free(x);
}

static int count_tmp_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (strstr(de->d_name, ".tmp.") != NULL)
            n++;
    closedir(d);
    return n;
}

static void atomic_write_replaces_whole_or_nothing(void **state)
{
    (void)state;
    char dir[] = "/tmp/csf_test_atomic_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/out.json", dir);
    csf_error err = {0};
    assert_int_equal(csf_atomic_write(path, "old", 3, &err), CSF_OK);
    csf_atomic_file af;
    assert_int_equal(csf_atomic_open(&af, path, &err), CSF_OK);
    fputs("half-written", af.fp);
    csf_atomic_abort(&af);
    FILE *fp = fopen(path, "rb");
    char buf[16] = {0};
    assert_int_equal(fread(buf, 1, sizeof buf, fp), 3);
    fclose(fp);
    assert_string_equal(buf, "old");
    assert_int_equal(count_tmp_files(dir), 0);
    /* a directory that does not exist: clear error naming the file */
    char bad[600];
    snprintf(bad, sizeof bad, "%s/nope/out.json", dir);
    assert_int_equal(csf_atomic_write(bad, "x", 1, &err), CSF_ERR_IO);
    assert_non_null(strstr(err.msg, "nope/out.json"));
    unlink(path);
    rmdir(dir);
}

static void volume_rejects_bad_dims_and_spacing(void **state)
{
    (void)state;
    static const struct { size_t dim[4]; double sp[3]; csf_status want; } rows[] = {
        {{10, 10, 10, 1}, {1, 1, 1}, CSF_OK},            /* ordinary */
        {{10, 1, 1, 0}, {0.5, 2, 3}, CSF_OK},            /* 1D-ish, nt 0 -> 1 */
        {{0, 10, 10, 1}, {1, 1, 1}, CSF_ERR_FORMAT},     /* zero axis */
        {{5000, 10, 10, 1}, {1, 1, 1}, CSF_ERR_FORMAT},  /* above 4096 */
        {{4096, 4096, 200, 1}, {1, 1, 1}, CSF_ERR_FORMAT}, /* > 2^31 voxels */
        {{10, 10, 10, 1}, {1, 0, 1}, CSF_ERR_FORMAT},    /* zero spacing */
        {{10, 10, 10, 1}, {1, NAN, 1}, CSF_ERR_FORMAT},  /* NaN spacing */
        {{10, 10, 10, 1}, {-1, 1, 1}, CSF_ERR_FORMAT},   /* negative spacing */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        csf_volume *v = NULL;
        csf_error err = {0};
        assert_int_equal(csf_volume_new(rows[i].dim, rows[i].sp, &v, &err), rows[i].want);
        if (rows[i].want == CSF_OK) {
            assert_non_null(v);
            assert_int_equal(v->dim[3], 1);
        } else {
            assert_null(v);
            assert_true(strlen(err.msg) > 0);
        }
        csf_volume_free(v);
    }
}

/* A corrupt header can carry NaN/Inf in the affine (found by fuzz/fuzz_nifti): the
 * code must still name each world axis once, never index outside its tables. */
static void orient_code_survives_nonfinite_affine(void **state)
{
    (void)state;
    const double nan = NAN, inf = INFINITY;
    const double rows[][16] = {
        {nan, 0, 0, 0, 0, nan, 0, 0, 0, 0, nan, 0, 0, 0, 0, 1}, /* all NaN diagonal */
        {nan, nan, nan, 0, nan, nan, nan, 0, nan, nan, nan, 0, 0, 0, 0, 1}, /* all NaN */
        {1, 0, 0, 0, 0, inf, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, /* Inf scale on j */
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, /* all zero */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char code[4];
        csf_affine_orient_code(rows[i], code);
        assert_int_equal(strlen(code), 3);
        static const char letters[] = "RLAPSI";
        int seen[3] = {0, 0, 0};
        for (int c = 0; c < 3; c++) {
            const char *p = code[c] ? strchr(letters, code[c]) : NULL;
            assert_non_null(p);
            seen[(p - letters) / 2]++;
        }
        assert_true(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
    }
}

static void orient_codes_and_inverse(void **state)
{
    (void)state;
    static const struct { double a[4][4]; const char *code; } rows[] = {
        {{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}}, "RAS"},
        {{{-1, 0, 0, 0}, {0, -1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}}, "LPS"},
        /* PSR: i anterior->posterior, j inferior->superior, k left->right */
        {{{0, 0, 1, 0}, {-1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 0, 1}}, "PSR"},
        /* oblique 4.3 degrees about x, axial LAS */
        {{{-0.5, 0, 0, 0}, {0, 0.4986, -0.562, 0}, {0, 0.0374, 7.479, 0}, {0, 0, 0, 1}}, "LAS"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char code[4];
        csf_affine_orient_code(&rows[i].a[0][0], code);
        assert_string_equal(code, rows[i].code);
        double inv[4][4];
        assert_int_equal(csf_affine_invert(&rows[i].a[0][0], &inv[0][0]), 0);
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++) {
                double s = 0;
                for (int k = 0; k < 4; k++)
                    s += rows[i].a[r][k] * inv[k][c];
                assert_true(fabs(s - (r == c)) < 1e-9);
            }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_first_wins_and_prefix),
        cmocka_unit_test(parallel_for_bit_identical_any_threads),
        cmocka_unit_test(atomic_write_replaces_whole_or_nothing),
        cmocka_unit_test(volume_rejects_bad_dims_and_spacing),
        cmocka_unit_test(orient_codes_and_inverse),
        cmocka_unit_test(orient_code_survives_nonfinite_affine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
