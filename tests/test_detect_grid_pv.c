/* detect 3D, session 9 (docs/detector-log.md, branch h/s9grid3d): the
 * lateral reach of a thin streak at two voxel sizes (src/spine/pv_reach.c).
 *
 * A grade-2 leak whose streak is 1.6 mm across (cross-section 2 mm^2)
 * runs from the L3 sleeve's tip 13.6 mm from the sac wall. At 1 mm voxels
 * the streak fills most of a voxel face and stands above half maximum; the
 * same spine box-averaged onto 1.5 mm voxels (each voxel the mean over its
 * box, as bench/robust_variant.py grid:1.5 and as a scanner samples) spreads
 * it over faces of 2.25 mm^2, under half maximum in most voxels: main
 * measured its reach to where the streak first fell under half maximum
 * (14.8 mm at 1 mm, 9.9 mm at 1.5 mm). The reach now follows the streak
 * through the voxels holding at least 0.5 mm^2 of fluid cross-section
 * (12.9 mm at 1.5 mm), while a normal sleeve's blunt end keeps its reach. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "csfleak/detect.h"
#include "csfleak/spine.h"
#include "support/detect_synth.h"
#include "support/synth_run.h"

/* Radius (mm) of the leak's streak: 2 mm^2 of cross-section, under one
 * 1.5 mm voxel face. */
#define STREAK_R 0.8

/* The mean of each f x f x f block of v (partial volume of a voxel f times
 * larger over the same field of view); the new voxel centres lie at the
 * blocks' centres. Caller frees. */
static csf_volume *box_average(const csf_volume *v, size_t f)
{
    size_t dim[4] = {v->dim[0] / f, v->dim[1] / f, v->dim[2] / f, 1};
    double sp[3] = {v->spacing[0] * (double)f, v->spacing[1] * (double)f, v->spacing[2] * (double)f};
    csf_volume *o = NULL;
    if (csf_volume_new(dim, sp, &o, NULL) != CSF_OK)
        return NULL;
    for (int a = 0; a < 3; a++)
        o->affine[a][3] = v->affine[a][3] + 0.5 * (double)(f - 1) * v->spacing[a];
    for (size_t k = 0; k < dim[2]; k++)
        for (size_t j = 0; j < dim[1]; j++)
            for (size_t i = 0; i < dim[0]; i++) {
                double s = 0;
                for (size_t c = 0; c < f; c++)
                    for (size_t b = 0; b < f; b++)
                        for (size_t a = 0; a < f; a++)
                            s += v->data[(i * f + a) + v->dim[0] * ((j * f + b) + v->dim[1] * (k * f + c))];
                o->data[i + dim[0] * (j + dim[1] * k)] = (float)(s / (double)(f * f * f));
            }
    return o;
}

/* The L3 right grade-2 leak with a thin streak, rendered at `fine` mm and
 * box-averaged f times. */
static csf_volume *thin_streak_spine(double fine, size_t f)
{
    synth_spec s;
    synth_spec_init(&s);
    s.spacing[0] = s.spacing[1] = s.spacing[2] = fine;
    s.fov_x_mm = 40;
    s.leak_level = 2; /* L3 */
    s.leak_side = 1;
    s.leak_grade = 2;
    s.leak_streak_r = STREAK_R;
    csf_volume *v = synth_render(&s);
    if (v == NULL || f == 1)
        return v;
    csf_volume *o = box_average(v, f);
    csf_volume_free(v);
    return o;
}

/* Lateral reach (mm from the wall) of the farthest-reaching component on
 * the right whose sleeve leaves within 14 mm of level i's exit. */
static double reach_at(const csf_spine *sp, int i)
{
    size_t n;
    const csf_extra *xs = csf_spine_extras(sp, &n);
    double best = NAN;
    for (size_t q = 0; q < n; q++)
        if (xs[q].lateral_side == CSF_SIDE_RIGHT && xs[q].lateral_extent_mm > 0 &&
            fabs(xs[q].contact_z_mm - synth_level_z(i)) < 14.0 && !(xs[q].lateral_extent_mm <= best))
            best = xs[q].lateral_extent_mm;
    return best;
}

static void thin_streak_same_at_both_grids(void **state)
{
    (void)state;
    static const struct {
        double fine;
        size_t f;
    } rows[] = {
        {1.0, 1},  /* 1 mm voxels, the renderer's own partial volume */
        {0.75, 2}, /* 1.5 mm voxels: the mean of 2 x 2 x 2 voxels of 0.75 mm */
    };
    double leak[2], sleeve[2];
    for (size_t t = 0; t < 2; t++) {
        synth_run r;
        assert_int_equal(synth_run_volume(thin_streak_spine(rows[t].fine, rows[t].f), 1, &r), 0);
        leak[t] = reach_at(r.sp, 2);   /* L3, the leak */
        sleeve[t] = reach_at(r.sp, 3); /* L4, a normal sleeve */
        printf("  %.2f mm voxels: leak reach %.2f mm, normal L4 sleeve %.2f mm\n", rows[t].fine * (double)rows[t].f,
               leak[t], sleeve[t]);
        /* the streak's axis ends 13.6 mm from the wall, its round end one
         * streak radius further. The reach is the centre of the last voxel
         * the fluid passes through (the one beyond may hold only an end
         * cap's partial volume, pv_reach.c): within 1.5 voxels of the end */
        double vox = rows[t].fine * (double)rows[t].f;
        assert_true(leak[t] > 13.6 + STREAK_R - 1.5 * vox && leak[t] < 13.6 + STREAK_R + 1.0);
        synth_run_free(&r);
    }
    assert_true(fabs(leak[1] - leak[0]) <= 1.5 * 1.5);
    /* a normal sleeve (blunt end) is not lengthened past its own end */
    assert_true(fabs(sleeve[1] - sleeve[0]) <= 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thin_streak_same_at_both_grids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
