#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "support/bare_spine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spine/spine_internal.h"

csf_spine *synth_bare_shell(double z_lo, double z_hi, double z_end, double z_top, csf_volume **vol)
{
    const size_t dim[4] = {1, 1, SYNTH_BARE_NZ, 1};
    const double sp_mm[3] = {1.0, 1.0, 1.0};
    assert_int_equal(csf_volume_new(dim, sp_mm, vol, NULL), CSF_OK);
    (*vol)->affine[2][3] = SYNTH_BARE_Z0;
    csf_spine *sp = calloc(1, sizeof *sp);
    assert_non_null(sp);
    sp->vol = *vol;
    sp->nx = sp->ny = 1;
    sp->nz = SYNTH_BARE_NZ;
    sp->sx = sp->sy = sp->sz = 1.0;
    sp->slices = calloc(SYNTH_BARE_NZ, sizeof *sp->slices);
    assert_non_null(sp->slices);
    sp->k_first = (size_t)lround(z_lo - SYNTH_BARE_Z0);
    sp->k_last = (size_t)lround(z_hi - SYNTH_BARE_Z0);
    sp->found = 1;
    sp->k_end = isfinite(z_end) ? z_end - SYNTH_BARE_Z0 : NAN;
    sp->k_top = isfinite(z_top) ? z_top - SYNTH_BARE_Z0 : NAN;
    return sp;
}

csf_spine *synth_bare_spine(const synth_spine_case *c, csf_volume **vol)
{
    csf_spine *sp = synth_bare_shell(SYNTH_BARE_Z0 + 5, SYNTH_BARE_Z0 + SYNTH_BARE_NZ - 5, c->z_end, c->z_top, vol);
    size_t n = 0;
    while (c->exits[n] != 0.0)
        n++;
    sp->extras = calloc(2 * n, sizeof *sp->extras);
    assert_non_null(sp->extras);
    for (size_t i = 0; i < 2 * n; i++) {
        csf_extra *x = &sp->extras[sp->nextra++];
        x->side = i % 2 ? CSF_SIDE_RIGHT : CSF_SIDE_LEFT;
        x->contact_voxels = 20;
        x->contact_z_mm = c->exits[i / 2];
        x->volume_ml = 0.05;
        x->craniocaudal_extent_mm = 6.0;
        x->inscribed_radius_mm = 1.0;
        x->ball_fraction = 0.1;
        x->max_wall_mm = 7.0;
        x->lateral_extent_mm = 6.0;
    }
    return sp;
}

double synth_named_z(const csf_levels *lv, const char *name)
{
    for (size_t i = 0; i < lv->n; i++)
        if (strcmp(lv->name[i], name) == 0)
            return lv->z_mm[i];
    return NAN;
}
