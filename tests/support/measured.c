#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "support/measured.h"

#include <math.h>
#include <string.h>

void synth_meas_fill(const synth_meas *m, size_t n, const synth_look *look, csf_extra *xs, int *cand)
{
    for (size_t i = 0; i < n; i++) {
        memset(&xs[i], 0, sizeof xs[i]);
        xs[i].contact_z_mm = m[i].z;
        xs[i].lateral_extent_mm = m[i].lat;
        xs[i].volume_ml = m[i].ml;
        xs[i].inscribed_radius_mm = m[i].rad;
        memcpy(xs[i].depth_voxels, m[i].layer, sizeof m[i].layer);
        memcpy(xs[i].oval_voxels, m[i].oval, sizeof m[i].oval);
        xs[i].contact_voxels = m[i].layer[0];
        xs[i].side = m[i].right ? CSF_SIDE_RIGHT : CSF_SIDE_LEFT;
        xs[i].local_width_mm = look->width_mm;
        xs[i].rel_intensity = look->rel_intensity;
        xs[i].craniocaudal_extent_mm = look->cc_mm;
        memcpy(xs[i].axes_mm, look->axes_mm, sizeof look->axes_mm);
        if (look->voxels_from_ml)
            xs[i].voxels = (size_t)lround(m[i].ml * 1000.0);
        cand[i] = 1;
    }
}

csf_finding synth_meas_grade(const csf_extra *xs, const int *cand, size_t n, size_t self, const csf_levels *lv)
{
    csf_finding all[32];
    assert_true(n <= sizeof all / sizeof all[0]);
    memset(all, 0, sizeof all);
    for (size_t i = 0; i < n; i++)
        all[i].kind = CSF_FIND_IGNORED;
    csf_sleeve_refs r;
    assert_true(csf_detect_sleeve_refs(xs, cand, n, self, lv, &r));
    csf_contra_ref c = csf_detect_contralateral(xs, all, cand, n, self, 1.0, 0, lv);
    int near = csf_levels_nearest(lv, xs[self].contact_z_mm);
    char region = near >= 0 ? lv->name[near][0] : '?';
    csf_sleeve_geo g = {region == 'T' ? 22.0 : 30.0, 0.0, region == 'S'};
    csf_finding f;
    memset(&f, 0, sizeof f);
    csf_detect_grade_sleeve(&xs[self], &r, c, 1.0, 0, g, &f);
    print_message("  %zu: reference reach %.1f mm, volume %.3f ml, root %.1f; partner %.3f ml, root %.0f: %s\n",
                  self, r.lat, r.vol, r.root, c.ml, c.root, f.reason);
    return f;
}

int synth_wedge_row_judge(const synth_wedge_row *row, csf_finding *f)
{
    csf_extra x;
    memset(&x, 0, sizeof x);
    memcpy(x.depth_voxels, row->layer, sizeof row->layer);
    x.volume_ml = row->ml;
    memcpy(x.axes_mm, row->ax, sizeof row->ax);
    memset(f, 0, sizeof *f);
    int got = csf_detect_wedge(&x, &row->ref, f);
    print_message("  layers %zu %zu %zu: %d (%s)\n", row->layer[0], row->layer[1], row->layer[2], got, f->reason);
    return got;
}
