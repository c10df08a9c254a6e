/* The memory-traffic savings of a batch study (docs/batch.md, "Memory traffic
 * per study") change no result: labelled runs against the label image, the
 * report's views from the PNG step's projections against its own, and an
 * uncleared volume against a cleared one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "support/csf_test_img.h"
#include "support/csf_test_nifti.h"
#include "csfleak/exec.h"
#include "csfleak/img_filter.h"
#include "csfleak/img_label.h"
#include "csfleak/io.h"
#include "csfleak/report.h"
#include "report_synth.h"

#define EXAMPLE CSF_TEST_DATA "/report/example_analysis.json"

typedef struct runs_case {
    size_t nx, ny, nz;
    double density;
    uint64_t seed;
} runs_case;

static const runs_case runs_cases[] = {
    {7, 6, 5, 0.3, 11},      /* many small components */
    {13, 11, 9, 0.6, 12},    /* long runs, few components */
    {1, 1, 40, 0.5, 13},     /* a single column */
    {23, 17, 1, 0.5, 14},    /* 2D */
    {300, 40, 6, 0.25, 15},  /* wide rows, several slabs */
    {5, 5, 5, 1.0, 16},      /* one component */
    {5, 5, 5, 0.0, 17},      /* none */
};

/* The runs painted back give csf_img_label's image, with the same components,
 * for every connectivity and thread count. */
static void label_runs_equal_label_image(void **state)
{
    (void)state;
    static const int conns[] = {6, 18, 26};
    static const int threads[] = {1, 2, 7};
    const double sp[3] = {0.8, 1.0, 2.0};
    for (size_t c = 0; c < sizeof runs_cases / sizeof runs_cases[0]; c++) {
        const runs_case *rc = &runs_cases[c];
        csf_volume *g = csf_test_grid(rc->nx, rc->ny, rc->nz, sp);
        size_t n = csf_volume_nvox(g);
        uint8_t *m = csf_test_random_mask(n, rc->density, rc->seed);
        uint32_t *ref = malloc(n * sizeof *ref), *img = malloc(n * sizeof *img);
        assert_non_null(ref);
        assert_non_null(img);
        for (size_t ci = 0; ci < 3; ci++) {
            size_t nref = 0;
            csf_component *cref = NULL;
            assert_int_equal(csf_img_label(g, m, (csf_connectivity)conns[ci], ref, &nref, &cref,
                                           NULL, NULL), CSF_OK);
            for (size_t t = 0; t < 3; t++) {
                csf_exec *ex = NULL;
                assert_int_equal(csf_exec_new(threads[t], &ex, NULL), CSF_OK);
                csf_label_runs lr;
                size_t nc = 12345;
                csf_component *comps = NULL;
                assert_int_equal(csf_img_label_as_runs(g, m, (csf_connectivity)conns[ci], &lr, &nc,
                                                       &comps, ex, NULL), CSF_OK);
                csf_exec_free(ex);
                assert_int_equal(nc, nref);
                assert_int_equal(lr.nx, rc->nx);
                assert_int_equal(lr.ny * lr.nz, rc->ny * rc->nz);
                memset(img, 0, n * sizeof *img);
                size_t set = 0;
                for (size_t row = 0; row < lr.ny * lr.nz; row++)
                    for (uint32_t r = lr.row_start[row]; r < lr.row_start[row + 1]; r++) {
                        assert_true(lr.x0[r] <= lr.x1[r]);
                        assert_true(r == lr.row_start[row] || lr.x0[r] > lr.x1[r - 1] + 1);
                        for (size_t x = lr.x0[r]; x <= lr.x1[r]; x++, set++)
                            img[x + rc->nx * row] = lr.label[r];
                    }
                assert_int_equal(lr.nruns, lr.row_start[lr.ny * lr.nz]);
                assert_memory_equal(img, ref, n * sizeof *img);
                size_t inmask = 0;
                for (size_t v = 0; v < n; v++)
                    inmask += m[v] != 0;
                assert_int_equal(set, inmask);
                if (nref > 0)
                    assert_memory_equal(comps, cref, nref * sizeof *comps);
                else
                    assert_null(comps);
                free(comps);
                csf_label_runs_release(&lr);
                assert_null(lr.row_start);
            }
            free(cref);
        }
        free(ref);
        free(img);
        free(m);
        csf_volume_free(g);
    }
    size_t nc;
    assert_int_equal(csf_img_label_as_runs(NULL, NULL, CSF_CONN_26, NULL, &nc, NULL, NULL, NULL),
                     CSF_ERR_INVALID_ARG);
}

/* The page with its own build time (the one varying number) cut out. */
static char *page(const char *json, const csf_volume *vol, const csf_report_opts *o)
{
    char *html = NULL;
    size_t len = 0;
    csf_error err = {0};
    if (csf_report_html_build(json, vol, o, NULL, &html, &len, &err) != CSF_OK)
        fail_msg("build failed: %s", err.msg);
    char *t = strstr(html, "report (this page)</th><td class=\"n\">");
    assert_non_null(t);
    char *e = strstr(t, "</td>");
    memmove(t, e, strlen(e) + 1);
    return html;
}

/* Given csf_img_mip3's projections, the page is byte for byte the one it
 * projects itself; projections that do not fit the volume are ignored; and
 * they are really used (altered ones change the page). */
static void report_takes_mip3_projections(void **state)
{
    (void)state;
    char *json = synth_slurp(EXAMPLE);
    assert_non_null(json);
    csf_volume *vol = synth_volume(json, 100, 50, 160);
    assert_non_null(vol);
    vol->data[7] = -0.0f; /* mip3 makes -0 +0: the same grey */
    csf_volume *p[3] = {NULL, NULL, NULL};
    assert_int_equal(csf_img_mip3(vol, p, NULL, NULL), CSF_OK);
    char *ref = page(json, vol, NULL);
    csf_report_opts o = {.mip = {p[0], p[1]}};
    char *got = page(json, vol, &o);
    assert_string_equal(got, ref);
    free(got);
    csf_report_opts wrong = {.mip = {p[1], p[0]}}; /* swapped: grids do not fit */
    got = page(json, vol, &wrong);
    assert_string_equal(got, ref);
    free(got);
    for (size_t i = 0; i < csf_volume_nvox(p[1]); i++)
        p[1]->data[i] = p[1]->data[i] * 0.5f;
    got = page(json, vol, &o);
    assert_string_not_equal(got, ref);
    free(got);
    free(ref);
    for (int a = 0; a < 3; a++)
        csf_volume_free(p[a]);
    csf_volume_free(vol);
    free(json);
}

/* csf_volume_new_uninit: the same grid as csf_volume_new, the same checks. */
static void uninit_volume_same_grid(void **state)
{
    (void)state;
    const size_t dim[4] = {5, 4, 3, 2};
    const double sp[3] = {0.5, 1.0, 2.0};
    csf_volume *a = NULL, *b = NULL;
    assert_int_equal(csf_volume_new(dim, sp, &a, NULL), CSF_OK);
    assert_int_equal(csf_volume_new_uninit(dim, sp, &b, NULL), CSF_OK);
    assert_memory_equal(a->dim, b->dim, sizeof a->dim);
    assert_memory_equal(a->spacing, b->spacing, sizeof a->spacing);
    assert_memory_equal(a->affine, b->affine, sizeof a->affine);
    for (size_t i = 0; i < csf_volume_nvox(b) * b->dim[3]; i++)
        b->data[i] = (float)i; /* every voxel writable */
    csf_volume *c = NULL;
    assert_int_equal(csf_volume_clone(b, &c, NULL), CSF_OK);
    assert_memory_equal(c->data, b->data, csf_volume_nvox(b) * b->dim[3] * sizeof(float));
    const size_t zero[4] = {5, 0, 3, 1};
    csf_volume *d = NULL;
    assert_int_equal(csf_volume_new_uninit(zero, sp, &d, NULL), CSF_ERR_FORMAT);
    assert_null(d);
    csf_volume_free(a);
    csf_volume_free(b);
    csf_volume_free(c);
}

/* Reads `bytes` gzipped from a temp file with `threads` threads. */
static csf_volume *read_gz(const char *dir, const uint8_t *bytes, size_t len, int threads)
{
    uint8_t *gz = NULL;
    size_t gzlen = 0;
    char path[256];
    assert_int_equal(csf_test_gzip(bytes, len, &gz, &gzlen), 0);
    assert_int_equal(csf_test_write_file(csf_test_path(path, sizeof path, dir, "v.nii.gz"), gz, gzlen), 0);
    free(gz);
    csf_exec *ex = NULL;
    assert_int_equal(csf_exec_new(threads, &ex, NULL), CSF_OK);
    csf_volume *v = NULL;
    csf_error err = {0};
    csf_status st = csf_io_read(path, ex, &v, NULL, &err);
    csf_exec_free(ex);
    if (st != CSF_OK)
        fail_msg("read failed: %s", err.msg);
    return v;
}

/* 16-bit voxels in RAS order are converted in the gunzipped block itself on
 * one thread (src/io/nifti_read.c): the same floats as the parallel
 * conversion and as value * slope + inter, for int16 and uint16, scaled or
 * not, 3D and 4D, and for a flipped file (which takes the other path). */
static void read_in_place_same_floats(void **state)
{
    (void)state;
    char dir[64];
    assert_int_equal(csf_test_mkdtemp(dir, sizeof dir), 0);
    static const int types[2] = {DT_INT16, DT_UINT16};
    static const double slopes[3][2] = {{1, 0}, {0.37, -12.5}, {0, 0}}; /* slope 0: unscaled */
    for (int t = 0; t < 2; t++)
        for (int sc = 0; sc < 3; sc++)
            for (int flip = 0; flip < 2; flip++) {
                const int64_t dims[8] = {4, 33, 17, 9, flip ? 1 : 2, 1, 1, 1};
                size_t n = 33 * 17 * 9 * (size_t)dims[4];
                uint16_t *raw = malloc(n * sizeof *raw);
                assert_non_null(raw);
                for (size_t i = 0; i < n; i++)
                    raw[i] = (uint16_t)(i * 2654435761u >> 7);
                const double aff[16] = {flip ? -1.5 : 1.5, 0, 0, 0, 0, 1.5, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1};
                uint8_t *bytes = NULL;
                size_t len = 0;
                assert_int_equal(csf_test_nifti_bytes(1, dims, types[t], aff, raw, &bytes, &len), 0);
                nifti_1_header h;
                memcpy(&h, bytes, sizeof h);
                h.scl_slope = (float)slopes[sc][0];
                h.scl_inter = (float)slopes[sc][1];
                memcpy(bytes, &h, sizeof h);
                csf_volume *a = read_gz(dir, bytes, len, 1), *b = read_gz(dir, bytes, len, 2);
                assert_memory_equal(a->dim, b->dim, sizeof a->dim);
                assert_memory_equal(a->data, b->data, n * sizeof(float));
                const double sl = h.scl_slope != 0 ? h.scl_slope : 1, in = h.scl_slope != 0 ? h.scl_inter : 0;
                for (size_t i = 0; !flip && i < n; i++) {
                    double v = types[t] == DT_INT16 ? (double)(int16_t)raw[i] : (double)raw[i];
                    assert_true(a->data[i] == (float)(v * sl + in));
                }
                csf_volume_free(a);
                csf_volume_free(b);
                free(bytes);
                free(raw);
            }
    csf_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(label_runs_equal_label_image),
        cmocka_unit_test(report_takes_mip3_projections),
        cmocka_unit_test(uninit_volume_same_grid),
        cmocka_unit_test(read_in_place_same_floats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
