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
#include <string.h>

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

/* World z of row k of the projection. */
static double row_z(const csf_volume *v, size_t k)
{
    double ijk[3] = {0.0, 0.0, (double)k}, ras[3];
    csf_volume_ijk_to_ras(v, ijk, ras);
    return ras[2];
}

/* Component x lies against the wall (within the band, BAND_FROM_MM +
 * BAND_WIDTH_MM) over some of the rows of cell ci. */
static int overlaps_band(const csf_volume *v, const csf_extra *x, const csf_cell2d *ci)
{
    double za = row_z(v, x->bbox_min[2]), zb = row_z(v, x->bbox_max[2]);
    return x->min_wall_mm <= BAND_FROM_MM + BAND_WIDTH_MM && fmin(za, zb) < ci->hi && fmax(za, zb) >= ci->lo;
}

/* Component j is not the sleeve of cell ci: a perineural cyst named at
 * another level, or fluid whose contact with the sac lies outside every
 * named level (below S1 or above C2). */
static int foreign_body(const csf_extra *xs, const csf_finding *all, const csf_cell2d *c, size_t nc, size_t j, int ci)
{
    int cj = csf_detect_cell_of(c, nc, xs[j].contact_z_mm);
    return (all[j].kind == CSF_FIND_CYST && cj != ci) || (all[j].kind == CSF_FIND_IGNORED && cj < 0);
}

/* The band of a level sums everything within 5 mm of the wall over the
 * level's rows, on the assumption that it is the level's own sleeve. A
 * projection loses depth: a body lying against the wall over some of those
 * rows whose contact with the sac belongs elsewhere is summed too. Below
 * S1 the S1 cell reaches 60 % of the way to the S2 exit (cells_2d.h), so a
 * perineural cyst of S2-S3, or fluid below the named levels that overlaps
 * the sac's tip (bowel, pelvic fluid), falls in the S1 band: h57 case_0107,
 * a 33 mm bright body at the sac's tip (contact 23 mm below S1, outside the
 * named levels) made the left S1 band 4.1 x its neighbours and a grade-1
 * "leak" with no leak in the truth. Such a call is re-judged, as
 * drop_spill (classify_2d.c) re-judges a call beside a grade-3 leak, on the
 * cell's rows outside the body's craniocaudal extent: a sleeve still
 * expanded there is a leak of its own (a grade-1 or grade-2 wedge at S1
 * beside the same body stays: test_detect_body_2d.c); one that is not, or
 * that has fewer than 3 rows left, held the body's fluid. Only bodies
 * holding more projected fluid than the call (the body is what inflated
 * the band), on its side, and against the wall (within the band). */
void csf_detect_drop_foreign_body_2d(const csf_spine *sp, const csf_extra *xs, size_t n, const csf_cell2d *c,
                                     size_t nc, double *buf, csf_finding *all)
{
    const csf_volume *v = csf_spine_volume(sp);
    for (size_t i = 0; i < n; i++) {
        int ci = all[i].kind == CSF_FIND_LEAK && all[i].grade < 3 ? csf_detect_cell_of(c, nc, xs[i].contact_z_mm) : -1;
        for (size_t j = 0; ci >= 0 && j < n; j++) {
            if (j == i || xs[j].side != xs[i].side || !foreign_body(xs, all, c, nc, j, ci) ||
                !(fluid(&xs[i]) < fluid(&xs[j])) || !overlaps_band(v, &xs[j], &c[ci]))
                continue;
            int side = xs[i].side == CSF_SIDE_RIGHT;
            csf_cell2d t[MAX_CELLS];
            memcpy(t, c, nc * sizeof *t);
            t[ci].v[side] = csf_detect_cell_band_rows(sp, &c[ci], side, BAND_FROM_MM + BAND_WIDTH_MM, buf,
                                                      xs[j].bbox_min[2], xs[j].bbox_max[2]);
            if (!csf_detect_expanded_neck_2d(sp, t, nc, (size_t)ci, side, INFINITY, buf)) {
                csf_detect_set(&all[i], CSF_FIND_IGNORED, 0, "fluid of a body against the wall beside the level "
                    "(%.0f mm away, over %.0f rows), not of its sleeve: not expanded on the other rows",
                    fabs(xs[j].contact_z_mm - xs[i].contact_z_mm), (double)(xs[j].bbox_max[2] - xs[j].bbox_min[2] + 1));
                break;
            }
        }
    }
}
