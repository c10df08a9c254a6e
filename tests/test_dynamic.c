/* dynamic: motion correction, levels, first extrathecal contrast on small
 * phantoms of each modality, flooding, RIC grades, the frame-streaming reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "csfleak/dynamic.h"
#include "csfleak/io.h"

/* A smooth scene of Gaussian blobs sampled at (i - s): the truth for a shift s. */
static void blobs(csf_volume *v, const double s[3])
{
    static const double c[5][4] = {{10, 12, 8, 3}, {20, 9, 14, 2.5}, {14, 20, 5, 4},
                                   {6, 6, 16, 2}, {24, 22, 10, 3.5}};
    for (size_t k = 0; k < v->dim[2]; k++)
        for (size_t j = 0; j < v->dim[1]; j++)
            for (size_t i = 0; i < v->dim[0]; i++) {
                double x = (double)i - s[0], y = (double)j - s[1], z = (double)k - s[2], f = 0;
                for (int b = 0; b < 5; b++) {
                    double d2 = (x - c[b][0]) * (x - c[b][0]) + (y - c[b][1]) * (y - c[b][1]) +
                                (z - c[b][2]) * (z - c[b][2]);
                    f += 1000 * exp(-0.5 * d2 / (c[b][3] * c[b][3]));
                }
                v->data[i + v->dim[0] * (j + v->dim[1] * k)] = (float)f;
            }
}

static void motion_recovers_known_shift(void **state)
{
    (void)state;
    const size_t dim[4] = {32, 30, 22, 1};
    const double sp[3] = {1, 1, 1}, zero[3] = {0, 0, 0}, s[3] = {1.3, -0.7, 0.4};
    csf_volume *ref = NULL, *mov = NULL;
    assert_int_equal(csf_volume_new(dim, sp, &ref, NULL), CSF_OK);
    assert_int_equal(csf_volume_new(dim, sp, &mov, NULL), CSF_OK);
    blobs(ref, zero);
    blobs(mov, s);
    double est[3];
    assert_int_equal(csf_dyn_motion_estimate(ref, mov, -1e9, 1e9, 5, est, NULL), CSF_OK);
    for (int a = 0; a < 3; a++)
        assert_true(fabs(est[a] - s[a]) < 0.25);
    /* applying the estimate brings the frame back: residual far below the
     * uncorrected difference (interior voxels, away from replicated edges) */
    double before = 0, after = 0;
    csf_volume *copy = NULL;
    assert_int_equal(csf_volume_clone(mov, &copy, NULL), CSF_OK);
    assert_int_equal(csf_dyn_motion_apply(copy, est, NULL, NULL), CSF_OK);
    for (size_t k = 3; k < 19; k++)
        for (size_t j = 3; j < 27; j++)
            for (size_t i = 3; i < 29; i++) {
                size_t q = i + 32 * (j + 30 * k);
                before += fabs(mov->data[q] - ref->data[q]);
                after += fabs(copy->data[q] - ref->data[q]);
            }
    assert_true(after < 0.25 * before);
    csf_volume_free(ref);
    csf_volume_free(mov);
    csf_volume_free(copy);
}

static void levels_parse_and_lookup(void **state)
{
    (void)state;
    csf_dyn_levels lv;
    csf_error err = {0};
    assert_int_equal(csf_dyn_levels_parse("T10=-300,T12=-344", &lv, &err), CSF_OK);
    assert_int_equal(lv.n, 3); /* T11 interpolated */
    assert_int_equal(csf_dyn_levels_at(&lv, -322.0), csf_dyn_level_index("T11"));
    assert_int_equal(csf_dyn_levels_at(&lv, -345.0), csf_dyn_level_index("T12"));
    assert_int_equal(csf_dyn_levels_at(&lv, -500.0), -1); /* outside the known span */
    assert_int_equal(csf_dyn_level_region(csf_dyn_level_index("T12")), 2); /* junction rule */
    assert_int_equal(csf_dyn_level_region(csf_dyn_level_index("C7")), 1);
    assert_int_equal(csf_dyn_levels_parse("T10=-300,X3=-2", &lv, &err), CSF_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "X3"));
    csf_error_clear(&err);
    assert_int_equal(csf_dyn_levels_parse("T10=-300,T12=-200", &lv, &err), CSF_ERR_INVALID_ARG);
    csf_error_clear(&err);
    assert_int_equal(csf_dyn_levels_parse("L1=abc", &lv, &err), CSF_ERR_INVALID_ARG);
}

/* Runs a phantom through the streaming analyzer frame by frame. */
static csf_dyn_result *run_phantom_ex(csf_dyn_modality m, csf_dyn_ph_kind kind, uint64_t seed,
                                      size_t nframes, char **truth, const csf_exec *ex)
{
    csf_dyn_phantom_opts o = {.modality = m, .kind = kind, .seed = seed, .scale = 1,
                              .nframes = nframes};
    csf_volume *v = NULL;
    double *t = NULL;
    csf_dyn_levels lv;
    assert_int_equal(csf_dyn_phantom_make(&o, &v, &t, truth, &lv, NULL), CSF_OK);
    csf_dyn_params p;
    csf_dyn_params_init(&p, m);
    p.levels = &lv;
    csf_dyn_analyzer *a = NULL;
    assert_int_equal(csf_dyn_analyzer_new(&p, &a, NULL), CSF_OK);
    csf_volume fr = *v;
    fr.dim[3] = 1;
    size_t nvox = csf_volume_nvox(v);
    for (size_t f = 0; f < v->dim[3]; f++) {
        fr.data = v->data + f * nvox;
        csf_error err = {0};
        assert_int_equal(csf_dyn_analyzer_push(a, &fr, t[f], ex, &err), CSF_OK);
    }
    csf_dyn_result *r = NULL;
    assert_int_equal(csf_dyn_analyzer_finish(a, &r, NULL), CSF_OK);
    csf_dyn_analyzer_free(a);
    csf_volume_free(v);
    free(t);
    return r;
}

static void check_first(csf_dyn_result *r, const char *truth)
{
    cJSON *t = cJSON_Parse(truth);
    assert_non_null(t);
    const cJSON *fl = cJSON_GetObjectItemCaseSensitive(t, "first_leak");
    assert_true(cJSON_IsObject(fl));
    assert_true(r->nsites >= 1);
    const csf_dyn_site *s = &r->sites[0];
    int frame = cJSON_GetObjectItemCaseSensitive(fl, "frame")->valueint;
    const char *lvl = cJSON_GetObjectItemCaseSensitive(fl, "level")->valuestring;
    assert_true(abs((int)s->frame - frame) <= 1);
    assert_true(abs(s->level - csf_dyn_level_index(lvl)) <= 1);
    assert_string_equal(csf_dyn_side_name(s->side),
                        cJSON_GetObjectItemCaseSensitive(fl, "side")->valuestring);
    assert_string_equal(csf_dyn_kind_name(s->kind),
                        cJSON_GetObjectItemCaseSensitive(fl, "kind")->valuestring);
    assert_false(r->flooded);
    cJSON_Delete(t);
}

static int truth_true(const char *truth, const char *obj, const char *key)
{
    cJSON *t = cJSON_Parse(truth);
    assert_non_null(t);
    const cJSON *o = obj ? cJSON_GetObjectItemCaseSensitive(t, obj) : t;
    int v = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
    cJSON_Delete(t);
    return v;
}

static int truth_grade(const char *truth, const char *region)
{
    cJSON *t = cJSON_Parse(truth);
    assert_non_null(t);
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(t, "regions"), region);
    int g = cJSON_GetObjectItemCaseSensitive(o, "grade")->valueint;
    cJSON_Delete(t);
    return g;
}

static csf_dyn_result *run_phantom(csf_dyn_modality m, csf_dyn_ph_kind kind, uint64_t seed,
                                   size_t nframes, char **truth)
{
    return run_phantom_ex(m, kind, seed, nframes, truth, NULL);
}

/* Table: modality, phantom kind, seed (a comment per row says what it covers). */
static const struct {
    csf_dyn_modality m;
    csf_dyn_ph_kind k;
    uint64_t seed;
} k_cases[] = {
    {CSF_DYN_CTM, CSF_DYN_PH_VENTRAL, 21},      /* micro-spur: ventral epidural sheet */
    {CSF_DYN_CTM, CSF_DYN_PH_LATERAL, 22},      /* root-sleeve tear, spreading blob */
    {CSF_DYN_CTM, CSF_DYN_PH_CVF, 23},          /* thin paraspinal vein from a sleeve */
    {CSF_DYN_CTM, CSF_DYN_PH_DIVERTICULUM, 24}, /* pouch that fills and stays */
    {CSF_DYN_DSM, CSF_DYN_PH_LATERAL, 25},      /* projection, with motion and mask */
    {CSF_DYN_DSM, CSF_DYN_PH_CVF, 26},
};

static void first_leak_on_phantoms(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_cases / sizeof *k_cases; i++) {
        char *truth = NULL;
        csf_dyn_result *r = run_phantom(k_cases[i].m, k_cases[i].k, k_cases[i].seed, 0, &truth);
        check_first(r, truth);
        csf_dyn_result_free(r);
        free(truth);
    }
}

static void leak_free_and_flooded(void **state)
{
    (void)state;
    char *truth = NULL;
    csf_dyn_result *r = run_phantom(CSF_DYN_CTM, CSF_DYN_PH_NONE, 31, 0, &truth);
    assert_int_equal(r->nsites, 0);
    assert_false(r->flooded);
    assert_false(r->positive);
    assert_true(r->frames[r->nframes - 1].sac_height_mm > 100); /* the column filled */
    csf_dyn_result_free(r);
    free(truth);
    /* a static delayed study (reference + one flooded frame): seed chosen so
     * that the phantom draws the static variant; the truth says so */
    for (uint64_t seed = 40; seed < 60; seed++) {
        r = run_phantom(CSF_DYN_CTM, CSF_DYN_PH_FLOODED, seed, 0, &truth);
        int stat = truth_true(truth, NULL, "flooded");
        if (stat) {
            assert_true(r->flooded);
            assert_int_equal(r->nsites, 0);
            assert_non_null(strstr(r->note, "dynamic study is needed"));
        }
        csf_dyn_result_free(r);
        free(truth);
        if (stat)
            return;
    }
    fail_msg("no static flooded phantom among seeds 40..59");
}

static void ric_grades_and_signs(void **state)
{
    (void)state;
    static const char *const rn[3] = {"cervical", "thoracic", "lumbar"};
    for (uint64_t seed = 1; seed <= 3; seed++) {
        char *truth = NULL;
        csf_dyn_result *r = run_phantom(CSF_DYN_RIC, CSF_DYN_PH_RANDOM, seed, 0, &truth);
        for (int k = 0; k < 3; k++)
            assert_int_equal(r->region_grade[k], truth_grade(truth, rn[k]));
        assert_int_equal(r->bladder_early, truth_true(truth, "indirect", "bladder_early"));
        assert_int_equal(r->fast_clearance, truth_true(truth, "indirect", "fast_clearance"));
        csf_dyn_result_free(r);
        free(truth);
    }
}

static void identical_for_any_thread_count(void **state)
{
    (void)state;
    char *txt[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
        csf_exec *ex = NULL;
        assert_int_equal(csf_exec_new(k ? 3 : 1, &ex, NULL), CSF_OK);
        char *truth = NULL;
        csf_dyn_result *r = run_phantom_ex(CSF_DYN_CTM, CSF_DYN_PH_CVF, 23, 0, &truth, ex);
        assert_int_equal(csf_dyn_result_json(r, NULL, &txt[k], NULL), CSF_OK);
        csf_dyn_result_free(r);
        free(truth);
        csf_exec_free(ex);
    }
    assert_string_equal(txt[0], txt[1]);
    free(txt[0]);
    free(txt[1]);
}

static void streaming_reader_matches_and_names_bad_file(void **state)
{
    (void)state;
    csf_dyn_phantom_opts o = {.modality = CSF_DYN_DSM, .kind = CSF_DYN_PH_LATERAL, .seed = 25,
                              .scale = 1};
    csf_volume *v = NULL;
    double *t = NULL;
    char *truth = NULL;
    csf_dyn_levels lv;
    assert_int_equal(csf_dyn_phantom_make(&o, &v, &t, &truth, &lv, NULL), CSF_OK);
    char path[] = "/tmp/csf_dyn_XXXXXX.nii.gz";
    int fd = mkstemps(path, 7);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(csf_io_write_nifti(path, v, CSF_DT_FLOAT32, NULL), CSF_OK);
    csf_dyn_params p;
    csf_dyn_params_init(&p, CSF_DYN_DSM);
    p.levels = &lv;
    csf_dyn_result *r = NULL;
    const char *paths[1] = {path};
    assert_int_equal(csf_dyn_analyze_paths(paths, 1, t, v->dim[3], &p, NULL, &r, NULL), CSF_OK);
    check_first(r, truth);
    csf_dyn_result_free(r);
    /* a truncated file: the error names it */
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), 4000), 0);
    fclose(f);
    csf_error err = {0};
    assert_int_not_equal(csf_dyn_analyze_paths(paths, 1, NULL, 0, &p, NULL, &r, &err), CSF_OK);
    assert_non_null(strstr(err.msg, path));
    unlink(path);
    csf_volume_free(v);
    free(t);
    free(truth);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(motion_recovers_known_shift),
        cmocka_unit_test(levels_parse_and_lookup),
        cmocka_unit_test(first_leak_on_phantoms),
        cmocka_unit_test(leak_free_and_flooded),
        cmocka_unit_test(ric_grades_and_signs),
        cmocka_unit_test(identical_for_any_thread_count),
        cmocka_unit_test(streaming_reader_matches_and_names_bad_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
