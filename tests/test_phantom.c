/* Phantom: the truth agrees with the image. Small, low-resolution phantoms keep
 * it fast; each check measures the rendered voxels, not the model's own numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "csfleak/exec.h"
#include "csfleak/phantom.h"
#include "support/phantom_truth.h"
#include "phantom/ph_internal.h"

/* ---- helpers ---- */

static csf_phantom *make(const csf_phantom_spec *s)
{
    csf_phantom *ph = NULL;
    csf_error err = {0};
    assert_int_equal(csf_phantom_new(s, &ph, &err), CSF_OK);
    return ph;
}

static void render(const csf_phantom *ph, size_t st, csf_volume **img, csf_volume **lab, int threads)
{
    csf_exec *ex = NULL;
    csf_error err = {0};
    assert_int_equal(csf_exec_new(threads, &ex, &err), CSF_OK);
    assert_int_equal(csf_phantom_render(ph, st, img, lab, ex, &err), CSF_OK);
    csf_exec_free(ex);
}

/* Voxel value at world (x, y, z) of an axis-aligned RAS volume (nearest voxel). */
static float at(const csf_volume *v, double x, double y, double z)
{
    long i = lround((x - v->affine[0][3]) / v->affine[0][0]);
    long j = lround((y - v->affine[1][3]) / v->affine[1][1]);
    long k = lround((z - v->affine[2][3]) / v->affine[2][2]);
    if (i < 0 || j < 0 || k < 0 || i >= (long)v->dim[0] || j >= (long)v->dim[1] || k >= (long)v->dim[2])
        return -1;
    return v->data[i + v->dim[0] * ((size_t)j + v->dim[1] * (size_t)k)];
}

static void world(const csf_volume *v, size_t i, size_t j, size_t k, double q[3])
{
    double ijk[3] = {(double)i, (double)j, (double)k};
    csf_volume_ijk_to_ras(v, ijk, q);
}

static csf_phantom_spec clean_spec(uint64_t seed, double vox)
{
    csf_phantom_spec s;
    csf_phantom_spec_init(&s, seed);
    s.snr = 0;
    s.bias = 0;
    s.voxel_mm[0] = s.voxel_mm[1] = s.voxel_mm[2] = vox;
    return s;
}

/* ---- spec parsing ---- */

static void test_parse(void **state)
{
    (void)state;
    static const struct {
        const char *arg;
        int ok, level, side, grade;
    } rows[] = {
        {"T6:left:2", 1, 12, CSF_PH_LEFT, 2},  /* the documented example */
        {"c5:R:1", 1, 4, CSF_PH_RIGHT, 1},     /* case-insensitive level, short side */
        {"S1:right:3", 1, 24, CSF_PH_RIGHT, 3},/* last sleeve level */
        {"C1:left:1", 0, 0, 0, 0},             /* C1 has no root sleeve */
        {"S2:left:1", 0, 0, 0, 0},             /* below the last sleeve */
        {"T6:left:4", 0, 0, 0, 0},             /* grade out of scale */
        {"T6:up:2", 0, 0, 0, 0},               /* side */
        {"T6:left:2.5", 0, 0, 0, 0},           /* fractional grade */
        {"T6:left", 0, 0, 0, 0},               /* missing field */
        {"T6:left:2:9", 0, 0, 0, 0},           /* extra field */
    };
    for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
        csf_phantom_leak lk;
        csf_error err = {0};
        csf_status st = csf_phantom_parse_leak(rows[r].arg, &lk, &err);
        assert_int_equal(st == CSF_OK, rows[r].ok);
        if (rows[r].ok) {
            assert_int_equal(lk.level, rows[r].level);
            assert_int_equal(lk.side, rows[r].side);
            assert_int_equal(lk.grade, rows[r].grade);
        } else {
            assert_non_null(strstr(err.msg, rows[r].arg)); /* names the argument */
        }
    }
    csf_phantom_spec s;
    csf_phantom_spec_init(&s, 1);
    csf_error err = {0};
    assert_int_equal(csf_phantom_parse_slec("T3-T9:ventral", &s, &err), CSF_OK);
    assert_int_equal(s.slec_from, 9);
    assert_int_equal(s.slec_to, 15);
    assert_int_not_equal(csf_phantom_parse_slec("T9-T3:ventral", &s, &err), CSF_OK);
    assert_true(csf_phantom_orient_valid("PSR"));
    assert_false(csf_phantom_orient_valid("RRS"));
    assert_false(csf_phantom_orient_valid("RA"));
    /* junction rule: C7 thoracic, T12 lumbar */
    assert_int_equal(csf_phantom_level_region(csf_phantom_level_index("C6")), 0);
    assert_int_equal(csf_phantom_level_region(csf_phantom_level_index("C7")), 1);
    assert_int_equal(csf_phantom_level_region(csf_phantom_level_index("T11")), 1);
    assert_int_equal(csf_phantom_level_region(csf_phantom_level_index("T12")), 2);
    assert_int_equal(csf_phantom_level_region(csf_phantom_level_index("S1")), 2);
}

static void test_bad_spec(void **state)
{
    (void)state;
    csf_phantom_spec s;
    csf_phantom *ph = NULL;
    csf_error err = {0};
    csf_phantom_spec_init(&s, 1);
    s.nleaks = 2;
    s.leaks[0] = (csf_phantom_leak){12, CSF_PH_LEFT, 2};
    s.leaks[1] = (csf_phantom_leak){12, CSF_PH_LEFT, 3};
    assert_int_equal(csf_phantom_new(&s, &ph, &err), CSF_ERR_INVALID_ARG);
    assert_null(ph);
    assert_non_null(strstr(err.msg, "T6"));
    csf_error_clear(&err);
    s.nleaks = 1;
    s.leaks[0].grade = 0;
    assert_int_equal(csf_phantom_new(&s, &ph, &err), CSF_ERR_INVALID_ARG);
    csf_error_clear(&err);
    s.nleaks = 0;
    s.stations = 3;
    assert_int_equal(csf_phantom_new(&s, &ph, &err), CSF_ERR_INVALID_ARG);
}

/* ---- truth against image ---- */

/* Edge of the bright sac walking outward from x0 along x at (y, z). */
static double edge_x(const csf_volume *v, double x0, double dir, double y, double z, double half)
{
    double step = v->spacing[0] * 0.25, prev = at(v, x0, y, z);
    for (double x = x0 + dir * step; fabs(x - x0) < 60; x += dir * step) {
        double cur = at(v, x, y, z);
        if (cur < half)
            return x - dir * step * (half - cur) / (prev - cur + 1e-9);
        prev = cur;
    }
    return x0 + dir * 60;
}

static void test_sac_width(void **state)
{
    (void)state;
    for (int ect = 0; ect < 2; ect++) {
        csf_phantom_spec s = clean_spec(5 + ect, 2.0);
        s.ectasia = ect;
        s.mimics = 0;
        if (ect) { /* the lumbosacral spine is enough */
            csf_phantom *probe = make(&s);
            s.crop = 1;
            s.crop_z_mm[0] = probe->z_end - 10;
            s.crop_z_mm[1] = probe->lv[19].z_top;
            csf_phantom_free(probe);
        }
        csf_phantom *ph = make(&s);
        csf_volume *img = NULL;
        render(ph, 0, &img, NULL, 2);
        cJSON *t = test_phantom_truth(ph);
        cJSON *sac = cJSON_GetObjectItem(t, "sac");
        int checked = 0;
        cJSON *lv;
        cJSON_ArrayForEach(lv, sac)
        {
            double z = cJSON_GetObjectItem(lv, "z_mm")->valuedouble;
            if (s.crop && (z < s.crop_z_mm[0] + 3 || z > s.crop_z_mm[1] - 3))
                continue;
            double w = cJSON_GetObjectItem(lv, "transverse_mm")->valuedouble;
            ph_zrow tmp;
            const ph_zrow *r = ph_row(ph, z, &tmp);
            if (r->sa < 4) /* the tapering end */
                continue;
            /* walk from between cord and wall, where it is CSF, to each wall */
            double half = 0.5 * ph->gain;
            double right = edge_x(img, r->xc + 0.75 * r->sa, 1, r->yc, z, half);
            double left = edge_x(img, r->xc - 0.75 * r->sa, -1, r->yc, z, half);
            double meas = right - left;
            assert_true(fabs(meas - w) <= 1.5 * img->spacing[0]);
            checked++;
        }
        assert_true(checked >= (ect ? 5 : 20));
        if (ect) { /* widened lumbosacral sac: L5 well above the L1 ratio */
            cJSON *ratio = cJSON_GetObjectItem(cJSON_GetObjectItem(t, "ectasia"), "dural_sac_ratio");
            assert_true(cJSON_GetObjectItem(ratio, "L5")->valuedouble >
                        1.3 * cJSON_GetObjectItem(ratio, "L1")->valuedouble);
        }
        cJSON_Delete(t);
        csf_volume_free(img);
        csf_phantom_free(ph);
    }
}

typedef struct fstat {
    size_t n, nbright, ninside;
    double sum[3], cov[3][3], lat_max;
    double wall_min; /* closest voxel to the sac surface (mm) */
} fstat;

/* Voxels of finding label `lab`: how many, how bright, inside the sac?, shape. */
static void finding_stats(const csf_phantom *ph, const csf_volume *img, const csf_volume *lab, int label,
                          fstat *f)
{
    memset(f, 0, sizeof *f);
    f->wall_min = 1e9;
    ph_prim sac;
    memset(&sac, 0, sizeof sac);
    sac.kind = PH_TUBE;
    sac.src = PH_SRC_SAC;
    double q[3];
    for (size_t k = 0; k < img->dim[2]; k++)
        for (size_t j = 0; j < img->dim[1]; j++)
            for (size_t i = 0; i < img->dim[0]; i++) {
                size_t idx = i + img->dim[0] * (j + img->dim[1] * k);
                if ((int)lab->data[idx] != label)
                    continue;
                world(img, i, j, k, q);
                f->n++;
                f->nbright += img->data[idx] > 0.45 * ph->gain;
                f->ninside += ph_sac_occ(ph, q, img->spacing[0]) >= 0.5;
                f->wall_min = fmin(f->wall_min, ph_prim_dist(ph, &sac, q));
                ph_zrow tmp;
                const ph_zrow *r = ph_row(ph, q[2], &tmp);
                f->lat_max = fmax(f->lat_max, fabs(q[0] - r->xc) - r->sa);
                for (int a = 0; a < 3; a++) {
                    f->sum[a] += q[a];
                    for (int b = 0; b < 3; b++)
                        f->cov[a][b] += q[a] * q[b];
                }
            }
}

static void test_leaks_graded(void **state)
{
    (void)state;
    csf_phantom_spec s = clean_spec(21, 1.5);
    s.nleaks = 4;
    s.leaks[0] = (csf_phantom_leak){21, CSF_PH_LEFT, 2};  /* L3 */
    s.leaks[1] = (csf_phantom_leak){22, CSF_PH_RIGHT, 3}; /* L4 */
    s.leaks[2] = (csf_phantom_leak){20, CSF_PH_RIGHT, 1}; /* L2 */
    s.leaks[3] = (csf_phantom_leak){23, CSF_PH_LEFT, 3};  /* L5 */
    csf_phantom *probe = make(&s);
    s.crop = 1; /* only the lumbar spine: a small volume */
    s.crop_z_mm[0] = probe->lv[24].z_top;
    s.crop_z_mm[1] = probe->lv[19].z_top;
    csf_phantom_free(probe);
    csf_phantom *ph = make(&s);
    csf_volume *img = NULL, *lab = NULL;
    render(ph, 0, &img, &lab, 2);
    cJSON *t = test_phantom_truth(ph);
    cJSON *fa = cJSON_GetObjectItem(t, "findings");
    assert_int_equal(cJSON_GetArraySize(fa), 4);
    for (int f = 0; f < 4; f++) {
        cJSON *fj = cJSON_GetArrayItem(fa, f);
        int grade = cJSON_GetObjectItem(fj, "grade")->valueint;
        double width = cJSON_GetObjectItem(fj, "sac_width_mm")->valuedouble;
        fstat st;
        finding_stats(ph, img, lab, CSF_PH_LABEL_FINDING + f, &st);
        assert_true(st.n > 10);
        assert_int_equal(st.ninside, 0);             /* outside the sac */
        assert_true(st.nbright >= 0.8 * (double)st.n); /* bright fluid */
        if (grade == 2)
            assert_true(st.lat_max < width);
        if (grade == 3)
            assert_true(st.lat_max > width);
        if (grade == 1)
            assert_true(st.lat_max < 0.75 * width);
        /* the truth's lateral extent is what the image shows, within two voxels */
        assert_true(fabs(st.lat_max - cJSON_GetObjectItem(fj, "lateral_extent_mm")->valuedouble) <= 2.5);
        /* the truth centre lies near the labelled voxels' centroid */
        cJSON *c = cJSON_GetObjectItem(fj, "center_mm");
        for (int a = 0; a < 3; a++)
            assert_true(fabs(st.sum[a] / (double)st.n - cJSON_GetArrayItem(c, a)->valuedouble) < 3.0);
    }
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "regions"), "lumbar"),
                                         "grade")->valueint, 3);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(t, "positive")));
    cJSON_Delete(t);
    csf_volume_free(img);
    csf_volume_free(lab);
    csf_phantom_free(ph);
}

static void test_cysts_round(void **state)
{
    (void)state;
    csf_phantom_spec s = clean_spec(31, 1.0);
    s.ncysts = 2;
    s.cysts[0] = (csf_phantom_cyst){24, CSF_PH_LEFT, 14};  /* S1 */
    s.cysts[1] = (csf_phantom_cyst){25, CSF_PH_RIGHT, 10}; /* S2, hanging from the sac end */
    s.ndiverticula = 1;
    s.diverticula[0] = (csf_phantom_cyst){23, CSF_PH_RIGHT, 7}; /* L5 */
    csf_phantom *probe = make(&s);
    s.crop = 1;
    s.crop_z_mm[0] = probe->lv[26].z_bot;
    s.crop_z_mm[1] = probe->lv[23].z_top;
    csf_phantom_free(probe);
    csf_phantom *ph = make(&s);
    csf_volume *img = NULL, *lab = NULL;
    render(ph, 0, &img, &lab, 2);
    /* a cyst sits on a narrow neck, clear of the dura; a diverticulum bulges from it */
    fstat dv;
    finding_stats(ph, img, lab, CSF_PH_LABEL_FINDING + 2, &dv);
    assert_true(dv.n > 20);
    assert_int_equal(dv.ninside, 0);
    assert_true(dv.nbright >= 0.8 * (double)dv.n);
    assert_true(dv.wall_min < 1.5);
    static const double size[2] = {14, 10};
    for (int f = 0; f < 2; f++) {
        fstat st;
        finding_stats(ph, img, lab, CSF_PH_LABEL_FINDING + f, &st);
        assert_int_equal(st.ninside, 0);
        assert_true(st.nbright >= 0.8 * (double)st.n);
        assert_true(st.wall_min > 1.5);
        /* volume of a sphere of that diameter (plus a thin neck), within 35% */
        double want = 4.18879 * pow(size[f] / 2, 3);
        assert_true(fabs((double)st.n - want) < 0.35 * want);
        /* round: principal axes within 1.45 of each other (Jacobi on the covariance) */
        double m[3][3], n = (double)st.n;
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                m[a][b] = st.cov[a][b] / n - st.sum[a] / n * st.sum[b] / n;
        for (int sweep = 0; sweep < 30; sweep++)
            for (int p = 0; p < 2; p++)
                for (int q = p + 1; q < 3; q++) {
                    if (fabs(m[p][q]) < 1e-12)
                        continue;
                    double th = 0.5 * atan2(2 * m[p][q], m[q][q] - m[p][p]), c = cos(th), sn = sin(th);
                    for (int k = 0; k < 3; k++) {
                        double a = m[k][p], b = m[k][q];
                        m[k][p] = c * a - sn * b, m[k][q] = sn * a + c * b;
                    }
                    for (int k = 0; k < 3; k++) {
                        double a = m[p][k], b = m[q][k];
                        m[p][k] = c * a - sn * b, m[q][k] = sn * a + c * b;
                    }
                }
        double ev[3] = {m[0][0], m[1][1], m[2][2]};
        double lo = fmin(ev[0], fmin(ev[1], ev[2])), hi = fmax(ev[0], fmax(ev[1], ev[2]));
        assert_true(sqrt(hi / lo) < 1.45);
    }
    csf_volume_free(img);
    csf_volume_free(lab);
    csf_phantom_free(ph);
}

static void test_slec_dura(void **state)
{
    (void)state;
    csf_phantom_spec s = clean_spec(41, 1.0);
    s.slec = 1;
    s.slec_from = 9;  /* T3 */
    s.slec_to = 15;   /* T9 */
    csf_phantom *probe = make(&s);
    double zmid = 0.5 * (probe->lv[11].z_top + probe->lv[13].z_bot);
    s.crop = 1;
    s.crop_z_mm[0] = zmid - 20;
    s.crop_z_mm[1] = zmid + 20;
    csf_phantom_free(probe);
    csf_phantom *ph = make(&s);
    csf_volume *img = NULL, *lab = NULL;
    render(ph, 0, &img, &lab, 1);
    int rays = 0;
    for (double z = zmid - 15; z <= zmid + 15; z += 5) {
        ph_zrow tmp;
        const ph_zrow *r = ph_row(ph, z, &tmp);
        /* ventral ray from the sac centre: bright sac, dark dura, bright SLEC */
        double sac_peak = 0, dip = 1e9, slec_peak = 0;
        int phase = 0;
        for (double y = r->yc + 0.5 * r->sb; y < r->yc + r->sb + 12; y += 0.5) {
            double v = at(img, r->xc, y, z);
            float lv = at(lab, r->xc, y, z);
            if (phase == 0 && (int)lv == CSF_PH_LABEL_SAC)
                sac_peak = fmax(sac_peak, v);
            else if ((int)lv == CSF_PH_LABEL_FINDING)
                phase = 2, slec_peak = fmax(slec_peak, v);
            else if (phase < 2 && sac_peak > 0)
                phase = 1, dip = fmin(dip, v);
        }
        assert_true(slec_peak > 0.5 * ph->gain);
        assert_true(dip < 0.6 * fmin(sac_peak, slec_peak));
        rays++;
    }
    assert_true(rays >= 5);
    csf_volume_free(img);
    csf_volume_free(lab);
    csf_phantom_free(ph);
}

static void test_determinism(void **state)
{
    (void)state;
    csf_phantom_spec s;
    csf_phantom_spec_init(&s, 77);
    csf_phantom_spec_randomize(&s, 77);
    s.voxel_mm[0] = s.voxel_mm[1] = s.voxel_mm[2] = 3.0;
    csf_phantom *a = make(&s), *b = make(&s);
    csf_volume *v1 = NULL, *v2 = NULL, *l1 = NULL, *l2 = NULL;
    render(a, 0, &v1, &l1, 1);
    render(b, 0, &v2, &l2, 2);
    size_t n = csf_volume_nvox(v1);
    assert_int_equal(n, csf_volume_nvox(v2));
    assert_memory_equal(v1->data, v2->data, n * sizeof(float));
    assert_memory_equal(l1->data, l2->data, n * sizeof(float));
    char *t1 = NULL, *t2 = NULL;
    assert_int_equal(csf_phantom_truth_json(a, NULL, &t1, NULL), CSF_OK);
    assert_int_equal(csf_phantom_truth_json(b, NULL, &t2, NULL), CSF_OK);
    assert_string_equal(t1, t2);
    /* a different seed is a different subject */
    csf_phantom_spec s2 = s;
    s2.seed = 78;
    csf_phantom *c = make(&s2);
    csf_volume *v3 = NULL;
    render(c, 0, &v3, NULL, 2);
    assert_true(csf_volume_nvox(v3) != n || memcmp(v1->data, v3->data, n * sizeof(float)) != 0);
    free(t1);
    free(t2);
    csf_volume_free(v1);
    csf_volume_free(v2);
    csf_volume_free(v3);
    csf_volume_free(l1);
    csf_volume_free(l2);
    csf_phantom_free(a);
    csf_phantom_free(b);
    csf_phantom_free(c);
}

static void test_orientations(void **state)
{
    (void)state;
    static const char *const codes[] = {"LPS", "PSR", "SRA"};
    csf_phantom_spec s = clean_spec(9, 2.0);
    s.nleaks = 1;
    s.leaks[0] = (csf_phantom_leak){12, CSF_PH_RIGHT, 3};
    s.crop = 1;
    s.crop_z_mm[0] = -60;
    s.crop_z_mm[1] = 140;
    csf_phantom *ph = make(&s);
    csf_volume *ref = NULL;
    render(ph, 0, &ref, NULL, 2);
    csf_phantom_free(ph);
    for (size_t c = 0; c < sizeof codes / sizeof *codes; c++) {
        memcpy(s.orient, codes[c], 4);
        ph = make(&s);
        csf_volume *v = NULL;
        render(ph, 0, &v, NULL, 2);
        char got[4];
        csf_volume_orient_code(v, got);
        assert_string_equal(got, codes[c]);
        assert_int_equal(csf_volume_nvox(v), csf_volume_nvox(ref));
        size_t differ = 0, bright = 0;
        double q[3];
        for (size_t k = 0; k < v->dim[2]; k++)
            for (size_t j = 0; j < v->dim[1]; j++)
                for (size_t i = 0; i < v->dim[0]; i++) {
                    world(v, i, j, k, q);
                    float a = v->data[i + v->dim[0] * (j + v->dim[1] * k)], b = at(ref, q[0], q[1], q[2]);
                    assert_true(fabsf(a - b) <= 1.0f); /* rounding of world coordinates only */
                    differ += a != b;
                    bright += a > 0.5 * ph->gain;
                }
        assert_true(differ * 1000 < csf_volume_nvox(v));
        assert_true(bright > 100);
        csf_volume_free(v);
        csf_phantom_free(ph);
    }
    csf_volume_free(ref);
}

static void test_2d_stations(void **state)
{
    (void)state;
    csf_phantom_spec s;
    csf_phantom_spec_init(&s, 3);
    s.protocol = CSF_PH_2D;
    s.stations = 2;
    csf_phantom *ph = make(&s);
    assert_int_equal(csf_phantom_nstations(ph), 2);
    double top[2];
    for (size_t st = 0; st < 2; st++) {
        csf_volume *v = NULL;
        render(ph, st, &v, NULL, 2);
        assert_int_equal(v->dim[0], 512);
        assert_int_equal(v->dim[1], 1);
        assert_int_equal(v->dim[2], 512);
        assert_true(fabs(v->spacing[0] - 270.0 / 512) < 1e-9);
        assert_true(fabs(v->spacing[1] - 50.0) < 1e-9);
        top[st] = v->affine[2][3] + 511 * v->affine[2][2];
        /* the sac is the brightest thing in the middle row's central columns */
        size_t k = 256;
        float best = 0, edge = 0;
        for (size_t i = 0; i < 512; i++) {
            float val = v->data[i + 512 * k];
            if (i > 216 && i < 296)
                best = fmaxf(best, val);
            if (i < 60)
                edge = fmaxf(edge, val);
        }
        assert_true(best > 0.5 * ph->gain);
        assert_true(best > 2 * edge);
        csf_volume_free(v);
    }
    assert_true(top[0] > top[1]); /* station 1 is cervicothoracic */
    csf_phantom_free(ph);
}

/* Any grid, oblique included, samples the same continuous model: every voxel
 * equals the model at its world centre (noiseless, no bias, no sub-sampling). */
static void test_oblique(void **state)
{
    (void)state;
    static const struct {
        const char *orient;
        double tilt;
    } rows[] = {{"LPS", 12.0}, {"PSR", -20.0}, {"RAS", 0.0}};
    for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
        csf_phantom_spec s = clean_spec(19, 2.0);
        s.nleaks = 1;
        s.leaks[0] = (csf_phantom_leak){14, CSF_PH_LEFT, 3};
        s.crop = 1;
        s.crop_z_mm[0] = -40;
        s.crop_z_mm[1] = 100;
        memcpy(s.orient, rows[r].orient, 4);
        s.tilt_deg = rows[r].tilt;
        csf_phantom *ph = make(&s);
        csf_volume *v = NULL;
        render(ph, 0, &v, NULL, 2);
        /* the affine really is oblique: the superior axis leans by the tilt */
        double q[3];
        for (int c = 0; c < 3; c++)
            if (fabs(v->affine[2][c]) > fabs(v->affine[0][c]) && fabs(v->affine[2][c]) > fabs(v->affine[1][c]))
                assert_true(fabs(fabs(v->affine[1][c]) - 2.0 * fabs(sin(rows[r].tilt * M_PI / 180))) < 1e-9);
        size_t bright = 0;
        for (size_t k = 0; k < v->dim[2]; k++)
            for (size_t j = 0; j < v->dim[1]; j++)
                for (size_t i = 0; i < v->dim[0]; i++) {
                    world(v, i, j, k, q);
                    int lab;
                    double want = floor(ph->gain * ph_sample(ph, q, 2.0, &lab) + 0.5);
                    float got = v->data[i + v->dim[0] * (j + v->dim[1] * k)];
                    assert_true(fabs(got - want) <= 1.0);
                    bright += got > 0.5 * ph->gain;
                }
        assert_true(bright > 500);
        csf_volume_free(v);
        csf_phantom_free(ph);
    }
}

/* The composed one-station 2D image: its slab follows the canal, so a lumbar
 * grade-3 leak (deep in the lordosis) is in the field of view and bright. */
static void test_2d_composed_leak(void **state)
{
    (void)state;
    csf_phantom_spec s;
    csf_phantom_spec_init(&s, 8);
    s.protocol = CSF_PH_2D;
    s.nleaks = 1;
    s.leaks[0] = (csf_phantom_leak){csf_phantom_level_index("L4"), CSF_PH_LEFT, 3};
    s.mimics = 0;
    csf_phantom *probe = make(&s);
    s.crop = 1; /* L2..S1 of the composed image */
    s.crop_z_mm[0] = probe->lv[24].z_bot;
    s.crop_z_mm[1] = probe->lv[20].z_top;
    csf_phantom_free(probe);
    csf_phantom *ph = make(&s);
    csf_volume *v = NULL;
    render(ph, 0, &v, NULL, 2);
    cJSON *t = test_phantom_truth(ph);
    cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(t, "findings"), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(f, "in_fov")));
    cJSON *c = cJSON_GetObjectItem(f, "center_mm");
    double x = cJSON_GetArrayItem(c, 0)->valuedouble, z = cJSON_GetArrayItem(c, 2)->valuedouble;
    float leak = at(v, x, v->affine[1][3], z);
    float bg = at(v, x + (x > 0 ? 60 : -60), v->affine[1][3], z);
    assert_true(leak > 3 * bg);
    assert_true(leak > 0.25 * ph->gain);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "regions"), "lumbar"),
                                         "grade")->valueint, 3);
    cJSON_Delete(t);
    csf_volume_free(v);
    csf_phantom_free(ph);
}

/* Every random design is a valid spec, and its findings have visible voxels. */
static void test_random_specs(void **state)
{
    (void)state;
    int leaks = 0, controls = 0;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        csf_phantom_spec s;
        csf_phantom_spec_init(&s, seed);
        csf_phantom_spec_randomize(&s, seed);
        csf_phantom *ph = make(&s);
        leaks += s.nleaks;
        controls += s.nleaks == 0 && !s.slec;
        if (seed % 25 == 0) {
            cJSON *t = test_phantom_truth(ph);
            cJSON *f;
            cJSON_ArrayForEach(f, cJSON_GetObjectItem(t, "findings"))
            {
                assert_true(cJSON_GetObjectItem(f, "volume_ml")->valuedouble > 0);
                assert_true(cJSON_IsTrue(cJSON_GetObjectItem(f, "in_fov")));
            }
            cJSON_Delete(t);
        }
        csf_phantom_free(ph);
    }
    assert_true(controls > 60 && controls < 140); /* about a third */
    assert_true(leaks > 200);
}

int main(int argc, char **argv)
{
    if (argc > 1) /* run one test by name: test_phantom test_slec_dura */
        cmocka_set_test_filter(argv[1]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),        cmocka_unit_test(test_bad_spec),
        cmocka_unit_test(test_sac_width),    cmocka_unit_test(test_leaks_graded),
        cmocka_unit_test(test_cysts_round),  cmocka_unit_test(test_slec_dura),
        cmocka_unit_test(test_determinism),  cmocka_unit_test(test_orientations),
        cmocka_unit_test(test_2d_stations),  cmocka_unit_test(test_2d_composed_leak),
        cmocka_unit_test(test_random_specs), cmocka_unit_test(test_oblique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
