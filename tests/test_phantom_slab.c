/* Phantom, 2D thick slab: a finding's in_fov agrees with what the projection
 * shows. Sacral (S2) cysts hang behind the canal, where the composed slab's
 * posterior edge can cut them, and with two stations the lumbar lordosis can
 * carry a leak in front of the slab; the image then shows the part inside.
 * Each check measures the rendered pixels, not the model's own numbers. */
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

static csf_phantom *make(const csf_phantom_spec *s)
{
    csf_phantom *ph = NULL;
    csf_error err = {0};
    assert_int_equal(csf_phantom_new(s, &ph, &err), CSF_OK);
    return ph;
}

/* Fluid depth (mm along the slab) the 2D image shows at world (x, z): the slab
 * is scaled as a 15 mm CSF column (docs/phantom.md), so depth = 15 * value / CSF
 * signal. The maximum over +-r pixels. */
static double depth_at(const csf_volume *v, const csf_phantom *ph, double x, double z, long r)
{
    long i0 = lround((x - v->affine[0][3]) / v->affine[0][0]);
    long k0 = lround((z - v->affine[2][3]) / v->affine[2][2]);
    double best = 0;
    for (long k = k0 - r; k <= k0 + r; k++)
        for (long i = i0 - r; i <= i0 + r; i++)
            if (i >= 0 && k >= 0 && i < (long)v->dim[0] && k < (long)v->dim[2])
                best = fmax(best, 15.0 * v->data[i + v->dim[0] * (size_t)k] / ph->gain);
    return best;
}

/* Each seed puts a 16 mm S2 cyst at a different depth behind the slab's
 * posterior edge (from two fifths of it inside to a sliver). What the image
 * shows decides: a cyst the image shows with several mm of fluid over the
 * contralateral background is in the field of view; a sliver the image barely
 * shows is not. */
static void test_2d_cut_cyst(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {
        1,  /* about a fifth of the cyst inside the slab */
        3,  /* about two fifths inside */
        10, /* about a quarter inside */
        5,  /* a sliver (1 %) inside */
        18, /* a sliver (2 %) inside */
    };
    int shown = 0, hidden = 0;
    for (size_t n = 0; n < sizeof seeds / sizeof seeds[0]; n++) {
        csf_phantom_spec s;
        csf_phantom_spec_init(&s, seeds[n]);
        s.protocol = CSF_PH_2D, s.snr = 0, s.bias = 0, s.mimics = 0, s.ncysts = 1;
        s.cysts[0] = (csf_phantom_cyst){csf_phantom_level_index("S2"), CSF_PH_LEFT, 16};
        csf_phantom *probe = make(&s);
        s.crop = 1; /* the sacral end only: fast */
        s.crop_z_mm[0] = probe->z_end - 35, s.crop_z_mm[1] = probe->lv[23].z_top;
        csf_phantom_free(probe);
        csf_phantom *ph = make(&s);
        csf_volume *v = NULL;
        csf_error err = {0};
        assert_int_equal(csf_phantom_render(ph, 0, &v, NULL, NULL, &err), CSF_OK);
        cJSON *t = test_phantom_truth(ph);
        cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(t, "findings"), 0);
        cJSON *c = cJSON_GetObjectItem(f, "center_mm");
        double x = cJSON_GetArrayItem(c, 0)->valuedouble, y = cJSON_GetArrayItem(c, 1)->valuedouble;
        double z = cJSON_GetArrayItem(c, 2)->valuedouble;
        /* every row is a cyst whose centre lies behind the slab */
        assert_true(y < ph->st_lo[0][1] + ph_slab_shift(ph, z));
        double xs = 0.5 * (ph->st_lo[0][0] + ph->st_hi[0][0]);
        double bg = depth_at(v, ph, 2 * xs - x, z, 2), fluid = depth_at(v, ph, x, z, 0);
        double near = depth_at(v, ph, x, z, 6); /* +-3 mm */
        int in_fov = cJSON_IsTrue(cJSON_GetObjectItem(f, "in_fov"));
        /* A root sleeve's tip holds about 2 mm of fluid in depth: more than that
         * over the background is a visible structure, far less is not. The rows
         * are decisive (about 5-7 mm shown, about 1 mm for the slivers). */
        if (fluid - bg >= 3.0) {
            assert_true(in_fov);
            shown++;
        } else {
            assert_true(near - bg < 1.5);
            assert_false(in_fov);
            hidden++;
        }
        cJSON_Delete(t);
        csf_volume_free(v);
        csf_phantom_free(ph);
    }
    assert_int_equal(shown, 3);
    assert_int_equal(hidden, 2);
}

/* How far (mm) the image shows fluid (> 1.5 mm deep) beyond the sac's bright
 * core on one side (sign +1 = +x), over the rows within 12 mm of z. */
static double reach(const csf_volume *v, const csf_phantom *ph, double z, double sign)
{
    long k0 = lround((z - v->affine[2][3]) / v->affine[2][2]), nx = (long)v->dim[0];
    double px = v->affine[0][0], best = 0;
    for (long k = k0 - lround(12 / px); k <= k0 + lround(12 / px); k++) {
        if (k < 0 || k >= (long)v->dim[2])
            continue;
        const float *row = v->data + (size_t)k * v->dim[0];
        float top = 0;
        for (long i = 0; i < nx; i++)
            top = row[i] > top ? row[i] : top;
        long wall = sign > 0 ? 0 : nx - 1; /* outermost pixel of the core on that side */
        for (long i = 0; i < nx; i++)
            if (row[i] > 0.6f * top && (sign > 0 ? i > wall : i < wall))
                wall = i;
        for (long i = 0; i < nx; i++) {
            double d = (double)(i - wall) * px * sign;
            if (d > 0 && d < 60 && 15.0 * row[i] / ph->gain > 1.5)
                best = fmax(best, d);
        }
    }
    return best;
}

/* Two stations (each slab fixed on its own mean canal position): the lumbar
 * lordosis can carry an L3 leak in front of the thoracolumbar slab. Counted when
 * the image shows its lateral extent (what the grading scale reads); not when
 * only the wedge at the wall lies in the slab and the streaks do not. */
static void test_2d_cut_leak(void **state)
{
    (void)state;
    static const struct {
        uint64_t seed;
        int side;
    } rows[] = {
        {9000031, CSF_PH_LEFT},  /* two fifths inside: wedge and streaks */
        {9000063, CSF_PH_RIGHT}, /* a tenth inside: the wedge only */
    };
    int shown = 0, hidden = 0;
    for (size_t n = 0; n < sizeof rows / sizeof rows[0]; n++) {
        csf_phantom_spec s;
        csf_phantom_spec_init(&s, rows[n].seed);
        s.protocol = CSF_PH_2D, s.stations = 2, s.snr = 0, s.bias = 0, s.mimics = 0, s.nleaks = 1;
        s.leaks[0] = (csf_phantom_leak){csf_phantom_level_index("L3"), rows[n].side, 2};
        csf_phantom *ph = make(&s);
        csf_volume *v = NULL;
        csf_error err = {0};
        assert_int_equal(csf_phantom_render(ph, 1, &v, NULL, NULL, &err), CSF_OK);
        cJSON *t = test_phantom_truth(ph);
        cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(t, "findings"), 0);
        cJSON *c = cJSON_GetObjectItem(f, "center_mm");
        double y = cJSON_GetArrayItem(c, 1)->valuedouble, z = cJSON_GetArrayItem(c, 2)->valuedouble;
        assert_true(y > ph->st_hi[1][1]); /* centre in front of the slab */
        double lat = cJSON_GetObjectItem(f, "lateral_extent_mm")->valuedouble;
        double r = reach(v, ph, z, rows[n].side == CSF_PH_RIGHT ? 1 : -1);
        int in_fov = cJSON_IsTrue(cJSON_GetObjectItem(f, "in_fov"));
        int grade = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "regions"), "lumbar"),
                                        "grade")->valueint;
        if (r >= lat - 2.0) {
            assert_true(in_fov);
            assert_int_equal(grade, 2);
            shown++;
        } else {
            assert_true(r < 0.5 * lat); /* decisive: far short of the extent */
            assert_false(in_fov);
            assert_int_equal(grade, 0);
            hidden++;
        }
        cJSON_Delete(t);
        csf_volume_free(v);
        csf_phantom_free(ph);
    }
    assert_int_equal(shown, 1);
    assert_int_equal(hidden, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_2d_cut_cyst),
        cmocka_unit_test(test_2d_cut_leak),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
