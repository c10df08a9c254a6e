/* sih: Bern score (table + brute force over all 3^6 answers), brain
 * measurements against hand-computed geometry, ICHD-3 7.2.3, leak type,
 * work-up rules, CSV reader. */
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

#include "csfleak/sih.h"

#define Y CSF_TRI_YES
#define N CSF_TRI_NO
#define U CSF_TRI_UNKNOWN

typedef struct bern_row {
    csf_tri item[CSF_BERN_NITEMS]; /* pachy venous supra subdural prepontine mamillopontine */
    int tmin, tmax, category;
} bern_row;

static void bern_table(void **state)
{
    (void)state;
    static const bern_row rows[] = {
        {{N, N, N, N, N, N}, 0, 0, CSF_BERN_CAT_LOW},          /* nothing: low */
        {{Y, Y, Y, Y, Y, Y}, 9, 9, CSF_BERN_CAT_HIGH},         /* everything: 9 */
        {{Y, Y, N, N, N, N}, 4, 4, CSF_BERN_CAT_INTERMEDIATE}, /* two majors */
        {{N, N, N, Y, Y, Y}, 3, 3, CSF_BERN_CAT_INTERMEDIATE}, /* three minors */
        {{N, N, Y, N, N, N}, 2, 2, CSF_BERN_CAT_LOW},          /* one major: still low */
        {{Y, N, N, Y, Y, Y}, 5, 5, CSF_BERN_CAT_HIGH},         /* major + 3 minors = 5 */
        {{Y, U, U, U, U, U}, 2, 9, CSF_BERN_CAT_NONE},         /* almost nothing known */
        {{Y, Y, Y, U, U, U}, 6, 9, CSF_BERN_CAT_HIGH},         /* high already fixed */
        {{N, N, N, U, N, N}, 0, 1, CSF_BERN_CAT_LOW},          /* low already fixed */
        {{Y, N, N, U, U, N}, 2, 4, CSF_BERN_CAT_NONE},         /* low or intermediate */
        {{N, Y, Y, N, N, U}, 4, 5, CSF_BERN_CAT_NONE},         /* one point from high */
        {{U, N, Y, Y, N, N}, 3, 5, CSF_BERN_CAT_NONE},         /* intermediate or high */
        {{N, N, Y, Y, N, U}, 3, 4, CSF_BERN_CAT_INTERMEDIATE}, /* intermediate fixed */
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        csf_bern_result b;
        csf_bern_score(rows[r].item, &b);
        assert_int_equal(b.total_min, rows[r].tmin);
        assert_int_equal(b.total_max, rows[r].tmax);
        assert_int_equal(b.category, rows[r].category);
        for (int i = 0; i < CSF_BERN_NITEMS; i++)
            assert_int_equal(b.points[i], rows[r].item[i] == U ? -1 : rows[r].item[i] == Y ? csf_bern_item_weight(i) : 0);
    }
    assert_string_equal(csf_bern_category_name(CSF_BERN_CAT_INTERMEDIATE), "intermediate");
    assert_null(csf_bern_category_name(CSF_BERN_CAT_NONE));
}

/* Every one of the 729 answer patterns against an enumeration of its completions. */
static void bern_brute_force(void **state)
{
    (void)state;
    static const int w[CSF_BERN_NITEMS] = {2, 2, 2, 1, 1, 1}; /* Dobrocky 2019, Table 3 */
    for (int code = 0; code < 729; code++) {
        csf_tri it[CSF_BERN_NITEMS];
        for (int i = 0, c = code; i < CSF_BERN_NITEMS; i++, c /= 3)
            it[i] = (csf_tri)(c % 3 - 1);
        int lo = 99, hi = -1, cats = 0;
        for (int m = 0; m < 64; m++) {
            int t = 0, ok = 1;
            for (int i = 0; i < CSF_BERN_NITEMS; i++) {
                int yes = (m >> i) & 1;
                if (it[i] != U && yes != (it[i] == Y))
                    ok = 0;
                t += yes * w[i];
            }
            if (!ok)
                continue;
            lo = t < lo ? t : lo;
            hi = t > hi ? t : hi;
            cats |= 1 << (t <= 2 ? 0 : t <= 4 ? 1 : 2);
        }
        csf_bern_result b;
        csf_bern_score(it, &b);
        assert_int_equal(b.total_min, lo);
        assert_int_equal(b.total_max, hi);
        int fixed = cats == 1 || cats == 2 || cats == 4;
        assert_int_equal(b.category != CSF_BERN_CAT_NONE, fixed);
    }
}

static void bern_from_mm(void **state)
{
    (void)state;
    assert_int_equal(csf_bern_item_from_mm(CSF_BERN_SUPRASELLAR, 4.0), Y);
    assert_int_equal(csf_bern_item_from_mm(CSF_BERN_SUPRASELLAR, 4.01), N);
    assert_int_equal(csf_bern_item_from_mm(CSF_BERN_PREPONTINE, 5.0), Y);
    assert_int_equal(csf_bern_item_from_mm(CSF_BERN_PREPONTINE, 5.5), N);
    assert_int_equal(csf_bern_item_from_mm(CSF_BERN_MAMILLOPONTINE, 6.5), Y);
    assert_int_equal(csf_bern_item_from_mm(CSF_BERN_MAMILLOPONTINE, 6.6), N);
    assert_int_equal(csf_bern_item_from_mm(CSF_BERN_MAMILLOPONTINE, NAN), U);
    assert_int_equal(csf_bern_item_from_mm(CSF_BERN_PACHY, 1.0), U);
}

static void set3(double p[3], double x, double y, double z)
{
    p[0] = x;
    p[1] = y;
    p[2] = z;
}

static void geometry_hand_values(void **state)
{
    (void)state;
    csf_brain_landmarks lm;
    memset(&lm, 0, sizeof lm);
    lm.have = CSF_LM_MAMILLOPONTINE | CSF_LM_PMA | CSF_LM_TONSIL | CSF_LM_PITUITARY;
    set3(lm.mamillary_body, 10, 20, 30); /* 3-4-5 triangle: 5 mm */
    set3(lm.pons_top, 10, 23, 26);
    double d = 40.0 * M_PI / 180.0; /* rays at 40 degrees around pmj */
    set3(lm.pmj, 1, 2, 3);
    set3(lm.midbrain_ant, 1, 2, 3 + 7);
    set3(lm.pons_ant, 1, 2 + 9 * sin(d), 3 + 9 * cos(d));
    set3(lm.basion, 0, 0, 0); /* McRae line tilted: direction (0,-0.6,-0.8) */
    set3(lm.opisthion, 0, -30, -40);
    set3(lm.tonsil_tip, 0, 0, -10); /* foot point 8 mm along; perpendicular (0,4.8,-3.6): 6 mm below */
    set3(lm.pituitary_top, 0, 0, 11);
    set3(lm.sella_floor, 0, 0, 0);
    csf_brain_measures m;
    assert_int_equal(csf_brain_measure_all(&lm, &m, NULL), CSF_OK);
    assert_true(fabs(m.value[CSF_BM_MAMILLOPONTINE] - 5.0) < 1e-12);
    assert_int_equal(m.flagged[CSF_BM_MAMILLOPONTINE], 1);
    assert_true(fabs(m.value[CSF_BM_PMA] - 40.0) < 1e-9);
    assert_int_equal(m.flagged[CSF_BM_PMA], 1);
    assert_true(fabs(m.value[CSF_BM_TONSIL] - 6.0) < 1e-12);
    assert_int_equal(m.flagged[CSF_BM_TONSIL], 1);
    assert_true(fabs(m.value[CSF_BM_PITUITARY] - 11.0) < 1e-12);
    assert_int_equal(m.flagged[CSF_BM_PITUITARY], 1);

    set3(lm.pons_top, 10, 26, 38);              /* 6-8-10: 10 mm, normal */
    set3(lm.midbrain_ant, 1, 2 + 3, 3);          /* rays (0,3,0) and (0,3,4): acos(0.6) = 53.13 deg */
    set3(lm.pons_ant, 1, 2 + 3, 3 + 4);
    set3(lm.opisthion, 0, -40, 0);               /* horizontal line */
    set3(lm.tonsil_tip, 5, -20, 3);              /* 3 mm above, 5 mm aside: -sqrt(34) */
    set3(lm.pituitary_top, 0, 0, 8);
    assert_int_equal(csf_brain_measure_all(&lm, &m, NULL), CSF_OK);
    assert_true(fabs(m.value[CSF_BM_MAMILLOPONTINE] - 10.0) < 1e-12);
    assert_int_equal(m.flagged[CSF_BM_MAMILLOPONTINE], 0);
    assert_true(fabs(m.value[CSF_BM_PMA] - acos(0.6) * 180.0 / M_PI) < 1e-9);
    assert_int_equal(m.flagged[CSF_BM_PMA], 0);
    assert_true(fabs(m.value[CSF_BM_TONSIL] + sqrt(34.0)) < 1e-12);
    assert_int_equal(m.flagged[CSF_BM_TONSIL], 0);
    assert_int_equal(m.flagged[CSF_BM_PITUITARY], 0);

    lm.have = CSF_LM_PITUITARY; /* groups not given stay unmeasured */
    assert_int_equal(csf_brain_measure_all(&lm, &m, NULL), CSF_OK);
    assert_true(isnan(m.value[CSF_BM_PMA]));
    assert_int_equal(m.flagged[CSF_BM_PMA], -1);
}

static void geometry_bad_input(void **state)
{
    (void)state;
    csf_brain_landmarks lm;
    memset(&lm, 0, sizeof lm);
    csf_brain_measures m;
    csf_error err = {0};
    lm.have = CSF_LM_PMA; /* all three points coincide */
    assert_int_equal(csf_brain_measure_all(&lm, &m, &err), CSF_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "pmj"));
    lm.have = CSF_LM_TONSIL;
    csf_error_clear(&err);
    assert_int_equal(csf_brain_measure_all(&lm, &m, &err), CSF_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "basion"));
    lm.have = CSF_LM_MAMILLOPONTINE;
    lm.pons_top[1] = NAN;
    csf_error_clear(&err);
    assert_int_equal(csf_brain_measure_all(&lm, &m, &err), CSF_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "pons_top"));
}

static void full_clinical(csf_sih_case *c)
{
    csf_sih_case_init(c);
    c->headache = c->temporal_relation = c->other_dx_excluded = Y;
}

static void ichd_cases(void **state)
{
    (void)state;
    csf_sih_case c;
    csf_ichd_result r;
    full_clinical(&c); /* low pressure alone satisfies B */
    c.opening_pressure_mmcsf = 40;
    csf_ichd_evaluate(&c, &r);
    assert_int_equal(r.status, CSF_ICHD_MET);

    full_clinical(&c); /* normal pressure, imaging done and negative: B fails */
    c.opening_pressure_mmcsf = 120;
    c.brain_mri_done = 1;
    csf_tri no6[CSF_BERN_NITEMS] = {N, N, N, N, N, N};
    csf_bern_score(no6, &c.bern);
    c.brain_sagging = N;
    c.spine_mri_done = 1;
    c.slec = N;
    csf_ichd_evaluate(&c, &r);
    assert_int_equal(r.status, CSF_ICHD_NOT_MET);
    assert_int_equal(r.crit[1], N);
    assert_int_equal(r.crit[0], Y);

    c.slec = Y; /* normal pressure but a SLEC: B via imaging */
    csf_ichd_evaluate(&c, &r);
    assert_int_equal(r.status, CSF_ICHD_MET);
    assert_int_equal(r.b_imaging, 1);
    assert_int_equal(r.b_low_pressure, 0);

    full_clinical(&c); /* nothing measured: B unknown */
    csf_ichd_evaluate(&c, &r);
    assert_int_equal(r.status, CSF_ICHD_UNDETERMINED);
    assert_int_equal(r.crit[1], U);

    full_clinical(&c); /* no headache: A fails whatever the imaging */
    c.headache = N;
    c.opening_pressure_mmcsf = 30;
    csf_ichd_evaluate(&c, &r);
    assert_int_equal(r.status, CSF_ICHD_NOT_MET);
    assert_int_equal(r.crit[0], N);

    full_clinical(&c); /* another diagnosis explains it: D fails */
    c.other_dx_excluded = N;
    c.opening_pressure_mmcsf = 30;
    csf_ichd_evaluate(&c, &r);
    assert_int_equal(r.status, CSF_ICHD_NOT_MET);
    assert_int_equal(r.crit[3], N);
}

static void leak_types(void **state)
{
    (void)state;
    csf_sih_case c;
    csf_leak_types t;
    csf_sih_case_init(&c); /* spine not imaged: nothing to say */
    csf_leak_type_infer(&c, &t);
    assert_int_equal(t.n, 0);
    c.spine_mri_done = 1;
    c.slec = Y;
    csf_leak_type_infer(&c, &t);
    assert_int_equal(t.n, 2);
    assert_int_equal(t.order[0], CSF_LEAK_1A);
    assert_int_equal(t.order[1], CSF_LEAK_1B);
    c.prone_dynamic = CSF_DYN_LATERAL_TEAR; /* a found site overrides the prior */
    csf_leak_type_infer(&c, &t);
    assert_int_equal(t.n, 1);
    assert_int_equal(t.order[0], CSF_LEAK_1B);
    csf_sih_case_init(&c);
    c.spine_mri_done = 1;
    c.slec = N;
    c.diverticula = Y;
    c.dural_ectasia = Y;
    csf_leak_type_infer(&c, &t);
    assert_int_equal(t.n, 2);
    assert_int_equal(t.order[0], CSF_LEAK_2B);
    assert_int_equal(t.order[1], CSF_LEAK_3);
    c.diverticula = N;
    csf_leak_type_infer(&c, &t);
    assert_int_equal(t.n, 1);
    assert_int_equal(t.order[0], CSF_LEAK_3);
    c.decub_left = c.decub_right = CSF_DYN_NEGATIVE; /* work-up exhausted: type 4 first */
    csf_leak_type_infer(&c, &t);
    assert_int_equal(t.order[0], CSF_LEAK_4);
    c.decub_right = CSF_DYN_CVF;
    csf_leak_type_infer(&c, &t);
    assert_int_equal(t.n, 1);
    assert_int_equal(t.order[0], CSF_LEAK_3);
    assert_string_equal(csf_leak_type_name(CSF_LEAK_2A), "2a");
}

static const char *next_id(const csf_sih_case *c) { return csf_workup_next(c)->id; }

static void workup_rules(void **state)
{
    (void)state;
    csf_sih_case c;
    csf_sih_case_init(&c);
    assert_string_equal(next_id(&c), "R2"); /* start with brain MRI */
    c.brain_mri_done = 1;
    csf_tri it[CSF_BERN_NITEMS] = {Y, Y, N, N, N, N};
    csf_bern_score(it, &c.bern);
    assert_string_equal(next_id(&c), "R3"); /* then spine MRI */
    c.spine_mri_done = 1;
    c.slec = Y;
    const csf_workup_rule *r = csf_workup_next(&c);
    assert_string_equal(r->id, "R4"); /* SLEC: prone */
    assert_string_equal(r->position, "prone");
    c.prone_dynamic = CSF_DYN_NEGATIVE;
    r = csf_workup_next(&c);
    assert_string_equal(r->id, "R5");
    assert_non_null(strstr(r->position, "lateral decubitus"));
    c.decub_left = c.decub_right = CSF_DYN_NEGATIVE;
    assert_string_equal(next_id(&c), "R10"); /* then cisternography */
    c.ric = CSF_RIC_POSITIVE;
    assert_string_equal(next_id(&c), "R9");
    c.ric = CSF_RIC_NEGATIVE;
    assert_string_equal(next_id(&c), "R11");
    c.prone_dynamic = CSF_DYN_VENTRAL_TEAR;
    assert_string_equal(next_id(&c), "R1");

    csf_sih_case_init(&c); /* no SLEC */
    c.brain_mri_done = c.spine_mri_done = 1;
    csf_bern_score(it, &c.bern); /* intermediate */
    c.slec = N;
    r = csf_workup_next(&c);
    assert_string_equal(r->id, "R7");
    assert_non_null(strstr(r->position, "lateral decubitus"));
    csf_tri low[CSF_BERN_NITEMS] = {N, N, N, Y, N, N};
    csf_bern_score(low, &c.bern);
    assert_string_equal(next_id(&c), "R6");
    c.decub_left = CSF_DYN_NEGATIVE;
    assert_string_equal(next_id(&c), "R8");
    c.slec = U; /* SLEC not assessed: read the spine MRI first */
    assert_string_equal(next_id(&c), "R3");

    size_t n;
    const csf_workup_rule *t = csf_workup_rules(&n);
    assert_true(n >= 10);
    for (size_t i = 0; i < n; i++) {
        assert_true(strlen(t[i].source) > 3);
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(t[i].id, t[j].id);
    }
}

static void csv_reader(void **state)
{
    (void)state;
    char path[] = "/tmp/csf_sih_csvXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *body = "\xef\xbb\xbfid,text\r\n1,\"line one\nline two, with comma\"\n2,\"say \"\"no\"\"\"\n\n3,plain\n";
    assert_int_equal(write(fd, body, strlen(body)), (ssize_t)strlen(body));
    close(fd);
    csf_csv *c = NULL;
    assert_int_equal(csf_csv_open(path, &c, NULL), CSF_OK);
    char **f;
    size_t *len, nf;
    assert_int_equal(csf_csv_next(c, &f, &len, &nf, NULL), CSF_OK);
    assert_int_equal(nf, 2);
    assert_string_equal(f[0], "id"); /* byte-order mark dropped */
    assert_string_equal(f[1], "text");
    assert_int_equal(csf_csv_next(c, &f, &len, &nf, NULL), CSF_OK);
    assert_string_equal(f[1], "line one\nline two, with comma");
    assert_int_equal(csf_csv_record_line(c), 2);
    assert_int_equal(csf_csv_next(c, &f, &len, &nf, NULL), CSF_OK);
    assert_string_equal(f[1], "say \"no\"");
    assert_int_equal(csf_csv_record_line(c), 4);
    assert_int_equal(csf_csv_next(c, &f, &len, &nf, NULL), CSF_OK); /* blank line */
    assert_int_equal(nf, 1);
    assert_int_equal(csf_csv_next(c, &f, &len, &nf, NULL), CSF_OK);
    assert_string_equal(f[1], "plain");
    assert_int_equal(csf_csv_record_line(c), 6);
    assert_int_equal(csf_csv_next(c, &f, &len, &nf, NULL), CSF_OK);
    assert_int_equal(nf, 0);
    csf_csv_close(c);

    FILE *fp = fopen(path, "w");
    fputs("id,text\n1,\"never closed\n", fp);
    fclose(fp);
    csf_error err = {0};
    assert_int_equal(csf_csv_open(path, &c, NULL), CSF_OK);
    assert_int_equal(csf_csv_next(c, &f, &len, &nf, NULL), CSF_OK);
    assert_int_equal(csf_csv_next(c, &f, &len, &nf, &err), CSF_ERR_FORMAT);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, ":2:"));
    csf_csv_close(c);
    unlink(path);
    csf_error_clear(&err);
    assert_int_equal(csf_csv_open("/nonexistent/x.csv", &c, &err), CSF_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent/x.csv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bern_table),         cmocka_unit_test(bern_brute_force),
        cmocka_unit_test(bern_from_mm),       cmocka_unit_test(geometry_hand_values),
        cmocka_unit_test(geometry_bad_input), cmocka_unit_test(ichd_cases),
        cmocka_unit_test(leak_types),         cmocka_unit_test(workup_rules),
        cmocka_unit_test(csv_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
