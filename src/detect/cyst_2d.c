/* A sleeve beside a perineural cyst at its own level, on the 2D thick-slab
 * projection.
 *
 * A perineural (Tarlov) cyst dilates a root sleeve beyond a neck
 * (domain.md): round and discrete. In the projection the cyst's sleeve
 * often shows as a thresholded component of its own next to the cyst's
 * body (the root above the neck, a few mm from it). Its level's band, 1-5
 * mm beyond the wall, then sums the body of the cyst whenever the neck is
 * shorter than 5 mm, and the sleeve passed for an expanded one; the faint
 * fluid connected to its root runs through the cyst to its far side, so it
 * was graded 2 or 3 (b33 case_0134: a 13.8 mm T10 cyst on a 3.2 mm neck, a
 * T10 "grade 2" 7 mm above it, band 2.2 x the neighbours'; b32 case_0190: a
 * 20.7 mm T5 cyst on a 3.7 mm neck and a T5 "grade 3"; no leak in the
 * truth of either). The cyst itself is judged on its neck (classify_2d.c,
 * the band of every level ending one pixel before its inscribed ball), and
 * a sleeve at the cyst's level and side is the same sleeve: it is judged on
 * the same neck band. A leak beside a cyst expands the sleeve at the wall,
 * on the neck itself, and stays. Only calls holding less projected fluid
 * than the cyst are re-judged (the cyst's body is the fluid the band
 * summed). */
#include <math.h>

#include "cells_2d.h"

static double fluid(const csf_extra *x) { return (double)x->voxels * x->rel_intensity; }

void csf_detect_drop_cyst_sleeve_2d(const csf_spine *sp, const csf_extra *xs, size_t n, const csf_cell2d *c, size_t nc,
                                    double *buf, csf_finding *all)
{
    for (size_t i = 0; i < n; i++) {
        int ci = all[i].kind == CSF_FIND_LEAK ? csf_detect_cell_of(c, nc, xs[i].contact_z_mm) : -1;
        for (size_t j = 0; ci >= 0 && j < n; j++) {
            if (all[j].kind != CSF_FIND_CYST || xs[j].side != xs[i].side || !isfinite(xs[j].ball_gap_mm) ||
                csf_detect_cell_of(c, nc, xs[j].contact_z_mm) != ci || !(fluid(&xs[i]) < fluid(&xs[j])))
                continue;
            if (!csf_detect_expanded_neck_2d(sp, c, nc, (size_t)ci, xs[i].side == CSF_SIDE_RIGHT, xs[j].ball_gap_mm,
                                             buf)) {
                csf_detect_set(&all[i], CSF_FIND_IGNORED, 0, "the sleeve of the perineural cyst at its level (neck "
                    "%.1f mm, %.0f mm away): not expanded on the neck", xs[j].ball_gap_mm,
                    fabs(xs[j].contact_z_mm - xs[i].contact_z_mm));
                break;
            }
        }
    }
}
