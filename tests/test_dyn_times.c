/* dynamic: frame times from BIDS sidecar JSON (dcm2niix's for DICOM series
 * written by the test DICOM writer, or x.json beside x.nii.gz); precedence
 * --times > sidecar > header; inconsistent or broken sidecars are errors
 * naming the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csfleak/dynamic.h"
#include "csfleak/io.h"
#include "support/csf_test_dicom.h"

/* Table: sidecar text -> status, acquisition time (s), per-volume count. */
static const struct {
    const char *text;
    csf_status st;
    double acq;      /* NaN: none */
    size_t nvol;
} k_side[] = {
    {"{\"AcquisitionTime\": \"10:00:05.500000\"}", CSF_OK, 36005.5, 0},   /* dcm2niix form */
    {"{\"AcquisitionTime\": \"100005.5\"}", CSF_OK, 36005.5, 0},          /* DICOM TM form */
    {"{\"AcquisitionTime\": \"10:00:5.500000\"}", CSF_OK, 36005.5, 0},    /* dcm2niix %02.6f */
    {"{\"AcquisitionTime\": \"10:00:x\"}", CSF_ERR_FORMAT, NAN, 0},
    {"{\"AcquisitionDateTime\": \"1970-01-02T00:00:10\"}", CSF_OK, 86410, 0}, /* with date */
    {"{\"FrameTimesStart\": [0, 4.5, 9]}", CSF_OK, NAN, 3},               /* per volume */
    {"{\"VolumeTiming\": [1, 2]}", CSF_OK, NAN, 2},
    {"{\"Modality\": \"CT\"}", CSF_OK, NAN, 0},                           /* nothing timed */
    {"{\"AcquisitionTime\": \"10:00", CSF_ERR_FORMAT, NAN, 0},            /* truncated */
    {"hello", CSF_ERR_FORMAT, NAN, 0},                                    /* not JSON */
    {"[1, 2]", CSF_ERR_FORMAT, NAN, 0},                                   /* not an object */
    {"{\"AcquisitionTime\": \"25:00:00\"}", CSF_ERR_FORMAT, NAN, 0},      /* hour 25 */
    {"{\"AcquisitionTime\": 12}", CSF_ERR_FORMAT, NAN, 0},                /* not a string */
    {"{\"FrameTimesStart\": [0, 5, 3]}", CSF_ERR_FORMAT, NAN, 0},         /* not increasing */
    {"{\"FrameTimesStart\": [0, \"x\"]}", CSF_ERR_FORMAT, NAN, 0},
};

static void sidecar_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_side / sizeof *k_side; i++) {
        csf_dyn_sidecar sc;
        csf_error err = {0};
        csf_status st = csf_dyn_sidecar_parse(k_side[i].text, "x.json", &sc, &err);
        if (st != k_side[i].st)
            fail_msg("row %zu: status %d, expected %d", i, st, k_side[i].st);
        if (st != CSF_OK) {
            assert_non_null(strstr(err.msg, "'x.json'"));
            continue;
        }
        if (isnan(k_side[i].acq))
            assert_true(isnan(sc.acq_s));
        else
            assert_true(fabs(sc.acq_s - k_side[i].acq) < 1e-6);
        assert_int_equal(sc.nvol, k_side[i].nvol);
        csf_dyn_sidecar_release(&sc);
    }
    csf_dyn_sidecar sc;
    assert_int_equal(csf_dyn_sidecar_parse(NULL, "y.json", &sc, NULL), CSF_ERR_FORMAT);
}

static char g_dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/csf_test_dyn_times.XXXXXX");
    return mkdtemp(g_dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* One small CT frame as a DICOM series directory with an AcquisitionTime. */
static void write_frame(const char *name, const char *tm, int16_t base)
{
    enum { C = 16, R = 16, K = 10 };
    static int16_t px[C * R * K];
    for (int i = 0; i < C * R * K; i++)
        px[i] = (int16_t)(base + (i % 7));
    char dir[400];
    snprintf(dir, sizeof dir, "%s/%s", g_dir, name);
    assert_int_equal(mkdir(dir, 0700), 0);
    csf_test_series s = {.cols = C, .rows = R, .slices = K, .row_dir = {1, 0, 0},
                         .col_dir = {0, 1, 0}, .ipp0 = {-12, -12, -20}, .slice_step = {0, 0, 2},
                         .row_spacing = 1.5, .col_spacing = 1.5, .pixels = px};
    assert_int_equal(csf_test_write_dicom_series_at(dir, &s, tm), 0);
}

static csf_status run(const char *const *names, size_t n, const double *times, size_t nt,
                      csf_dyn_result **r, csf_error *err)
{
    char paths[8][400];
    const char *pp[8];
    for (size_t i = 0; i < n; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", g_dir, names[i]);
        pp[i] = paths[i];
    }
    csf_dyn_params p;
    csf_dyn_params_init(&p, CSF_DYN_CTM);
    return csf_dyn_analyze_paths(pp, n, times, nt, &p, NULL, r, err);
}

static void dicom_times_from_sidecar(void **state)
{
    (void)state;
    write_frame("f0", "115955.250", 0); /* 7.5 s apart across a minute boundary */
    write_frame("f1", "120002.750", 5);
    write_frame("f2", "120010.250", 9);
    const char *ok[3] = {"f0", "f1", "f2"};
    csf_dyn_result *r = NULL;
    csf_error err = {0};
    if (run(ok, 3, NULL, 0, &r, &err) != CSF_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(r->nframes, 3);
    assert_true(fabs(r->frames[0].time - 0) < 1e-6);
    assert_true(fabs(r->frames[1].time - 7.5) < 1e-3);
    assert_true(fabs(r->frames[2].time - 15.0) < 1e-3);
    csf_dyn_result_free(r);
    /* --times wins over the sidecar */
    const double t[3] = {0, 1, 2};
    assert_int_equal(run(ok, 3, t, 3, &r, NULL), CSF_OK);
    assert_true(fabs(r->frames[2].time - 2) < 1e-9);
    csf_dyn_result_free(r);
    /* out of order: a clear error naming the frame's directory */
    const char *bad[3] = {"f0", "f2", "f1"};
    assert_int_equal(run(bad, 3, NULL, 0, &r, &err), CSF_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "f1"));
    assert_non_null(strstr(err.msg, "not increasing"));
    /* one frame without an acquisition time */
    write_frame("g1", NULL, 5);
    const char *mixed[3] = {"f0", "g1", "f2"};
    csf_error_clear(&err);
    assert_int_equal(run(mixed, 3, NULL, 0, &r, &err), CSF_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "g1"));
}

static void midnight(void **state)
{
    (void)state;
    write_frame("m0", "235955", 0);
    write_frame("m1", "000005", 5);
    const char *names[2] = {"m0", "m1"};
    csf_dyn_result *r = NULL;
    csf_error err = {0};
    if (run(names, 2, NULL, 0, &r, &err) != CSF_OK)
        fail_msg("%s", err.msg);
    assert_true(fabs(r->frames[1].time - 10) < 1e-6);
    csf_dyn_result_free(r);
}

/* A 4-D NIfTI with a sidecar beside it: per-volume times; broken sidecars. */
static void nifti_sidecar(void **state)
{
    (void)state;
    const size_t dim[4] = {12, 12, 40, 3};
    const double sp[3] = {1.5, 1.5, 2};
    csf_volume *v = NULL;
    assert_int_equal(csf_volume_new(dim, sp, &v, NULL), CSF_OK);
    for (size_t i = 0; i < csf_volume_nvox(v); i++)
        v->data[i] = (float)(i % 11);
    char nii[400], js[400];
    snprintf(nii, sizeof nii, "%s/s.nii.gz", g_dir);
    snprintf(js, sizeof js, "%s/s.json", g_dir);
    assert_int_equal(csf_io_write_nifti(nii, v, CSF_DT_INT16, NULL), CSF_OK);
    csf_volume_free(v);
    static const struct {
        const char *text;
        csf_status st;
        double t2;          /* expected time of frame 2 when OK */
        const char *word;   /* in the error */
    } rows[] = {
        {"{\"FrameTimesStart\": [100, 104, 109.5]}", CSF_OK, 9.5, NULL},
        {"{\"FrameTimesStart\": [0, 4]}", CSF_ERR_FORMAT, 0, "2 volume times"}, /* wrong count */
        {"{\"FrameTimesStart\": [0, 4, 2]}", CSF_ERR_FORMAT, 0, "not increasing"},
        {"{\"FrameTimesStart\": [0, 4", CSF_ERR_FORMAT, 0, "s.json"},         /* truncated */
        {"\x01\x02 nonsense", CSF_ERR_FORMAT, 0, "s.json"},
    };
    const char *pp[1] = {nii};
    csf_dyn_params p;
    csf_dyn_params_init(&p, CSF_DYN_CTM);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        FILE *f = fopen(js, "w");
        assert_non_null(f);
        fputs(rows[i].text, f);
        fclose(f);
        csf_dyn_result *r = NULL;
        csf_error err = {0};
        csf_status st = csf_dyn_analyze_paths(pp, 1, NULL, 0, &p, NULL, &r, &err);
        if (st != rows[i].st)
            fail_msg("row %zu: status %d (%s)", i, st, err.msg);
        if (st == CSF_OK) {
            assert_true(fabs(r->frames[2].time - rows[i].t2) < 1e-9);
            csf_dyn_result_free(r);
        } else {
            assert_non_null(strstr(err.msg, rows[i].word));
            assert_non_null(strstr(err.msg, "s.json"));
        }
    }
    /* --times wins: the broken sidecar is not even read */
    const double t[3] = {0, 3, 6};
    csf_dyn_result *r = NULL;
    assert_int_equal(csf_dyn_analyze_paths(pp, 1, t, 3, &p, NULL, &r, NULL), CSF_OK);
    assert_true(fabs(r->frames[2].time - 6) < 1e-9);
    csf_dyn_result_free(r);
    /* no sidecar: the header's frame spacing (or 1 s) */
    unlink(js);
    assert_int_equal(csf_dyn_analyze_paths(pp, 1, NULL, 0, &p, NULL, &r, NULL), CSF_OK);
    assert_true(r->frames[2].time > r->frames[1].time);
    csf_dyn_result_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sidecar_parse_table),
        cmocka_unit_test(dicom_times_from_sidecar),
        cmocka_unit_test(midnight),
        cmocka_unit_test(nifti_sidecar),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
