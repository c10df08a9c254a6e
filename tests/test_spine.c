/* spine: sac tracking, wall widths, landmarks, levels (automatic, user,
 * label maps), invariance to intensity scale and thread count, 2D protocol. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/exec.h"
#include "csfleak/spine.h"
#include "support/detect_synth.h"

static csf_spine *analyze(const csf_volume *v, const csf_exec *ex)
{
    csf_error err = {0};
    csf_spine *sp = NULL;
    assert_int_equal(csf_spine_analyze(v, NULL, &sp, ex, &err), CSF_OK);
    return sp;
}

/* slice index nearest to world z on an axis-aligned grid */
static size_t k_of(const csf_volume *v, double z)
{
    return (size_t)lround((z - v->affine[2][3]) / v->spacing[2]);
}

static void sac_tracked_and_measured(void **state)
{
    (void)state;
    synth_spec s;
    synth_spec_init(&s);
    s.spacing[0] = 0.9, s.spacing[1] = 1.1, s.spacing[2] = 1.4;
    s.bias = 1;
    s.kidney = 1;
    csf_volume *v = synth_render(&s);
    csf_spine *sp = analyze(v, NULL);
    assert_true(csf_spine_found(sp));
    size_t n, k0, k1;
    const csf_sac_slice *sl = csf_spine_slices(sp, &n, &k0, &k1);
    /* tracked from near the tapering end to the top of the field of view */
    assert_true(k0 <= k_of(v, 8.0));
    assert_true(k1 >= v->dim[2] - 2);
    /* rows: world z where the sac has its full 16 x 12 mm cross-section
     * (sleeves exit at 22 + 28 i: the rows sit between and on them) */
    static const double zs[] = {50.0, 64.0, 106.0, 160.0, 190.0};
    for (size_t t = 0; t < sizeof zs / sizeof zs[0]; t++) {
        const csf_sac_slice *c = &sl[k_of(v, zs[t])];
        assert_true(c->present);
        double cy = 6.0 * sin(M_PI * zs[t] / 320.0);
        print_message("z %.0f: centre %.1f %.1f (truth 0 %.1f) widths %.1f x %.1f area %.0f\n", zs[t],
                      c->center_mm[0], c->center_mm[1], cy, c->width_lr_mm, c->width_ap_mm,
                      c->area_mm2);
        assert_true(fabs(c->center_mm[0]) < 1.5);
        assert_true(fabs(c->center_mm[1] - cy) < 1.5);
        assert_true(fabs(c->width_lr_mm - 2 * SYNTH_SAC_A) < 2.0);
        assert_true(fabs(c->width_ap_mm - 2 * SYNTH_SAC_B) < 2.0);
        assert_true(fabs(c->area_mm2 - M_PI * SYNTH_SAC_A * SYNTH_SAC_B) < 40.0);
    }
    csf_spine_free(sp);
    csf_volume_free(v);
}

static void sac_end_gives_levels(void **state)
{
    (void)state;
    synth_spec s;
    synth_spec_init(&s);
    s.spacing[0] = 1.0, s.spacing[1] = 1.0, s.spacing[2] = 1.2;
    csf_volume *v = synth_render(&s);
    csf_spine *sp = analyze(v, NULL);
    double ke, kt;
    csf_spine_landmarks(sp, &ke, &kt);
    assert_true(isfinite(ke));
    double zend = v->affine[2][3] + ke * v->spacing[2];
    assert_true(fabs(zend - SYNTH_SAC_END) < 6.0);
    assert_false(isfinite(kt)); /* the top is cut by the field of view */
    const csf_levels *lv = csf_spine_levels(sp);
    assert_int_equal(lv->method, CSF_LEVELS_SLEEVES_SAC_END);
    for (int i = 0; i < 7; i++) { /* S1 .. T12 are in view */
        int found = 0;
        /* the count follows the anatomical segment heights (lumbar ~1.4 x
         * the lower thoracic ones); the synthetic spine spaces every level
         * 28 mm, so its T12 pair lies off the chain fitted to its lumbar
         * pairs and T12 is placed one table segment above L1: within half a
         * segment of the synthetic one */
        double tol = i < 6 ? 4.0 : 14.0;
        for (size_t q = 0; q < lv->n; q++)
            if (strcmp(lv->name[q], synth_level_name(i)) == 0) {
                assert_true(fabs(lv->z_mm[q] - synth_level_z(i)) < tol);
                found = 1;
            }
        assert_true(found);
    }
    csf_spine_free(sp);
    csf_volume_free(v);
}

static void no_landmark_no_levels(void **state)
{
    (void)state;
    synth_spec s;
    synth_spec_init(&s);
    s.no_end = 1;
    csf_volume *v = synth_render(&s);
    csf_spine *sp = analyze(v, NULL);
    assert_true(csf_spine_found(sp));
    const csf_levels *lv = csf_spine_levels(sp);
    assert_int_equal(lv->method, CSF_LEVELS_NONE);
    assert_int_equal(lv->n, 0);
    csf_spine_free(sp);
    csf_volume_free(v);
}

/* Scale by 1e-3 and 50: the same walls (thresholds are relative). Threads 1
 * and 3: bit-identical. */
static void scale_and_thread_invariance(void **state)
{
    (void)state;
    synth_spec s;
    synth_spec_init(&s);
    s.spacing[2] = 1.5;
    csf_volume *a = synth_render(&s);
    s.scale = 1.0;
    csf_volume *b = synth_render(&s);
    s.scale = 50000.0;
    csf_volume *c = synth_render(&s);
    csf_exec *ex = NULL;
    assert_int_equal(csf_exec_new(3, &ex, NULL), CSF_OK);
    csf_spine *sa = analyze(a, NULL), *sb = analyze(b, NULL), *sc = analyze(c, NULL);
    csf_spine *sa3 = analyze(a, ex);
    size_t n, k0, k1, n3, k03, k13;
    const csf_sac_slice *xa = csf_spine_slices(sa, &n, &k0, &k1);
    const csf_sac_slice *xb = csf_spine_slices(sb, &n, &k0, &k1);
    const csf_sac_slice *xc = csf_spine_slices(sc, &n, &k0, &k1);
    const csf_sac_slice *x3 = csf_spine_slices(sa3, &n3, &k03, &k13);
    assert_int_equal(k0, k03);
    assert_int_equal(k1, k13);
    for (size_t k = k0; k <= k1; k++) {
        assert_true(fabs(xa[k].width_lr_mm - xb[k].width_lr_mm) < 0.6);
        assert_true(fabs(xa[k].width_lr_mm - xc[k].width_lr_mm) < 0.6);
        assert_memory_equal(xa[k].radius_mm, x3[k].radius_mm, sizeof xa[k].radius_mm);
    }
    size_t ea, e3;
    csf_spine_extras(sa, &ea);
    csf_spine_extras(sa3, &e3);
    assert_int_equal(ea, e3);
    csf_spine_free(sa), csf_spine_free(sb), csf_spine_free(sc), csf_spine_free(sa3);
    csf_volume_free(a), csf_volume_free(b), csf_volume_free(c);
    csf_exec_free(ex);
}

static void coronal_projection(void **state)
{
    (void)state;
    synth_spec s;
    synth_spec_init(&s);
    s.spacing[2] = 1.5;
    csf_volume *v = synth_render(&s);
    csf_volume *p = synth_project_coronal(v);
    csf_spine *sp = analyze(p, NULL);
    assert_true(csf_spine_is_2d(sp));
    assert_true(csf_spine_found(sp));
    size_t n, k0, k1;
    const csf_sac_slice *sl = csf_spine_slices(sp, &n, &k0, &k1);
    const csf_sac_slice *c = &sl[k_of(p, 64.0)];
    print_message("2D width %.1f\n", c->width_lr_mm);
    assert_true(fabs(c->width_lr_mm - 2 * SYNTH_SAC_A) < 3.0);
    assert_true(isnan(c->width_ap_mm));
    csf_spine_free(sp);
    csf_volume_free(p);
    csf_volume_free(v);
}

static void level_names_and_regions(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int index, region;
    } rows[] = {
        {"C1", 0, 0},   {"C6", 5, 0},   {"C7", 6, 1}, /* cervicothoracic junction -> thoracic */
        {"T11", 17, 1}, {"t12", 18, 2},               /* thoracolumbar junction -> lumbar */
        {"L5", 23, 2},  {"S1", 24, 2},  {"S4", 27, 2},
    };
    for (size_t t = 0; t < sizeof rows / sizeof rows[0]; t++) {
        assert_int_equal(csf_level_index(rows[t].name), rows[t].index);
        assert_int_equal(csf_spine_level_region(rows[t].index), rows[t].region);
    }
    assert_int_equal(csf_level_index("X9"), -1);
    assert_null(csf_level_name(28));
}

static void user_landmarks(void **state)
{
    (void)state;
    csf_levels lv;
    csf_error err = {0};
    assert_int_equal(csf_levels_parse("T12=-341.0,L3=-420", &lv, &err), CSF_OK);
    assert_int_equal(lv.method, CSF_LEVELS_USER);
    double z[CSF_MAX_LEVELS] = {0};
    for (size_t i = 0; i < lv.n; i++)
        z[csf_level_index(lv.name[i])] = lv.z_mm[i];
    assert_true(fabs(z[18] + 341.0) < 1e-9);
    assert_true(fabs(z[21] + 420.0) < 1e-9);
    /* between two landmarks: monotone, scaled table */
    assert_true(z[19] < z[18] && z[20] < z[19] && z[21] < z[20]);
    /* one landmark: typical heights outside */
    assert_int_equal(csf_levels_parse("L1=-100", &lv, &err), CSF_OK);
    assert_true(fabs(lv.z_mm[20] - (-134.0)) < 1e-9); /* L2 one lumbar segment below */
    /* errors name the bad token */
    static const struct {
        const char *spec, *needle;
    } bad[] = {
        {"X1=3", "X1"},                 /* unknown level */
        {"T12=abc", "abc"},             /* not a number */
        {"T12=-3,T12=-4", "twice"},     /* repeated */
        {"L3=0,T12=-10", "not below"},  /* order contradicts anatomy */
        {"", "no landmark"},            /* empty */
        {"T12", "LEVEL=Z_MM"},          /* no '=' */
    };
    for (size_t t = 0; t < sizeof bad / sizeof bad[0]; t++) {
        csf_error e = {0};
        assert_int_equal(csf_levels_parse(bad[t].spec, &lv, &e), CSF_ERR_INVALID_ARG);
        assert_non_null(strstr(e.msg, bad[t].needle));
    }
}

static void label_map_levels(void **state)
{
    (void)state;
    size_t dim[4] = {10, 10, 100, 1};
    double sp[3] = {1, 1, 2};
    csf_volume *v = NULL;
    assert_int_equal(csf_volume_new(dim, sp, &v, NULL), CSF_OK);
    v->affine[2][3] = -500; /* z = -500 + 2 k */
    /* TotalSegmentator: 31 = L1 in slices 60..69, 29 = L3 in slices 20..29 */
    for (size_t k = 0; k < 100; k++)
        for (size_t q = 0; q < 100; q++)
            v->data[q + 100 * k] = (k >= 60 && k < 70) ? 31.0f : (k >= 20 && k < 30) ? 29.0f : 0.0f;
    csf_levels lv;
    csf_error err = {0};
    assert_int_equal(csf_levels_from_label_map(v, "totalseg", &lv, &err), CSF_OK);
    assert_int_equal(lv.method, CSF_LEVELS_LABEL_MAP);
    assert_true(fabs(lv.z_mm[19] - (-500 + 2 * 64.5)) < 1e-9);
    assert_true(fabs(lv.z_mm[21] - (-500 + 2 * 24.5)) < 1e-9);
    /* SCT numbering: 20 = L1, 22 = L3 */
    for (size_t q = 0; q < csf_volume_nvox(v); q++)
        v->data[q] = v->data[q] == 31.0f ? 20.0f : v->data[q] == 29.0f ? 22.0f : 0.0f;
    assert_int_equal(csf_levels_from_label_map(v, "sct", &lv, &err), CSF_OK);
    assert_true(fabs(lv.z_mm[19] - (-500 + 2 * 64.5)) < 1e-9);
    csf_error e2 = {0};
    memset(v->data, 0, csf_volume_nvox(v) * sizeof(float));
    assert_int_equal(csf_levels_from_label_map(v, "sct", &lv, &e2), CSF_ERR_FORMAT);
    assert_int_equal(csf_levels_from_label_map(v, "ants", &lv, &e2), CSF_ERR_INVALID_ARG);
    csf_volume_free(v);
}

static void too_few_slices(void **state)
{
    (void)state;
    size_t dim[4] = {40, 40, 4, 1};
    double sp[3] = {1, 1, 1};
    csf_volume *v = NULL;
    assert_int_equal(csf_volume_new(dim, sp, &v, NULL), CSF_OK);
    csf_spine *s = NULL;
    csf_error err = {0};
    assert_int_equal(csf_spine_analyze(v, NULL, &s, NULL, &err), CSF_ERR_UNSUPPORTED);
    assert_null(s);
    assert_non_null(strstr(err.msg, "slices"));
    /* a flat image: no contrast */
    dim[2] = 40;
    csf_volume_free(v);
    assert_int_equal(csf_volume_new(dim, sp, &v, NULL), CSF_OK);
    csf_error e2 = {0};
    assert_int_equal(csf_spine_analyze(v, NULL, &s, NULL, &e2), CSF_ERR_FORMAT);
    csf_volume_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(level_names_and_regions),
        cmocka_unit_test(user_landmarks),
        cmocka_unit_test(label_map_levels),
        cmocka_unit_test(too_few_slices),
        cmocka_unit_test(sac_tracked_and_measured),
        cmocka_unit_test(sac_end_gives_levels),
        cmocka_unit_test(no_landmark_no_levels),
        cmocka_unit_test(scale_and_thread_invariance),
        cmocka_unit_test(coronal_projection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
