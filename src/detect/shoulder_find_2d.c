/* 2D projection: the levels beside an epidural collection (SLEC) whose
 * sleeve is expanded but has no leak component of its own (session 4,
 * d2slec, rule 4; sessions 7-8: the bulge of the sac's half-maximum edge,
 * bulge_2d.c, also at a collection's end). Moved out of classify_2d.c,
 * which calls it after grading the components. */
#include <math.h>
#include <stdint.h>

#include "cells_2d.h"
#include "detect_internal.h"

/* A finding of `kind` among the graded components at cell ci's side. */
static int cell_has(const csf_extra *xs, const csf_finding *all, size_t n, const csf_cell2d *c, size_t nc, size_t ci,
                    int side, int kind)
{
    int sd = side ? CSF_SIDE_RIGHT : CSF_SIDE_LEFT;
    for (size_t j = 0; j < n; j++)
        if (all[j].kind == kind && xs[j].side == sd && csf_detect_cell_of(c, nc, xs[j].contact_z_mm) == (int)ci)
            return 1;
    return 0;
}

/* Outside the shoulder, near a collection (its end, bulge_2d.c), a sleeve
 * already named an outpouching or a cyst on that side keeps its name: its
 * component was seen and measured as without a collection. */
static int near_collection_end(const csf_extra *xs, const csf_finding *all, size_t n, const csf_cell2d *c, size_t nc,
                               size_t ci, int side)
{
    return csf_detect_near_collection_2d(c, nc, ci) && !cell_has(xs, all, n, c, nc, ci, side, CSF_FIND_DIVERTICULUM) &&
           !cell_has(xs, all, n, c, nc, ci, side, CSF_FIND_CYST);
}

/* A level beside an epidural collection (its shoulder, slec_2d.c) whose
 * sleeve is expanded (the band from the sac's own wall, expanded_cell, or
 * the bulge of the sac's half-maximum edge, bulge_2d.c) while
 * no component of its own is a leak: the sleeve's root lies inside the
 * tracked wall, under the shoulder, and the streaks beyond it stay under the
 * fluid threshold, so there is no thresholded component to grade. Graded as
 * a component would be: grade 1 (a diverticulum when its bulge is
 * rounded), or 2 with faint fluid beyond the
 * neighbours' and the partner's faint reach by the grade-2 margin, 3 when
 * that fluid is longer than the sac's own width. Written to out[0..room);
 * returns the count. */
size_t csf_detect_shoulder_findings_2d(const csf_spine *sp, const csf_extra *xs, const csf_finding *all, size_t n,
                                       csf_cell2d *c, size_t nc, double voxel, csf_finding *out, size_t room)
{
    size_t m = 0;
    for (size_t i = 0; i < nc && m < room; i++)
        for (int side = 0; side < 2 && m < room; side++) {
            double bratio = NAN;
            if (cell_has(xs, all, n, c, nc, i, side, CSF_FIND_LEAK))
                continue;
            double asp;
            int beside = isfinite(c[i].inset[side]);
            if (!beside && !near_collection_end(xs, all, n, c, nc, i, side))
                continue;
            int by_band = beside && csf_detect_expanded_cell_2d(c, nc, i, side);
            int by_bulge = csf_detect_bulge_cell_2d(sp, c, nc, i, side, &bratio, &asp);
            if (!by_band && !by_bulge)
                continue;
            double med, mad, fr, ext_f, W = c[i].width;
            csf_detect_cell_refs(c, nc, i, &med, &mad);
            int beyond = csf_detect_faint_beyond_2d(sp, c, nc, i, side, voxel, &fr, &ext_f);
            if (!beyond && asp >= ROUND_ASPECT && cell_has(xs, all, n, c, nc, i, side, CSF_FIND_DIVERTICULUM))
                continue; /* already reported as an outpouching */
            csf_finding *f = &out[m++];
            csf_detect_level_finding_2d(sp, c[i].z, side, beside ? c[i].inset[side] : 0.0, fr, c[i].hi - c[i].lo, f);
            f->local_width_mm = W;
            f->extension_ratio = W > 0 ? fr / W : NAN;
            f->sleeve_ratio = c[i].v[side] / med;
            f->ref_reach_mm = fr - ext_f;
            if (beyond && fr > W)
                csf_detect_set(f, CSF_FIND_LEAK, 3, "beside a longitudinal collection: faint fluid reaches %.1f mm "
                    "from the sac wall, more than the sac width %.1f mm", fr, W);
            else if (beyond)
                csf_detect_set(f, CSF_FIND_LEAK, 2, "beside a longitudinal collection: faint fluid %.1f mm beyond "
                    "the sleeves' reach, shorter than the sac width %.1f mm", ext_f, W);
            else if (asp >= ROUND_ASPECT)
                /* grade 1 is a triangular expansion, widest at the dura; a
                 * body whose bulge of the sac's edge reaches at least half
                 * its height is rounded (bulge_2d.c): an outpouching, as
                 * wedge_2d.c's dome, whose lateral profile cannot be read
                 * through the collection's shoulder */
                csf_detect_set(f, CSF_FIND_DIVERTICULUM, 0, "beside a longitudinal collection: rounded outpouching at "
                    "the sleeve origin: the sac's half-maximum edge bulges %.2f of its height out (>= %.1f)", asp,
                    ROUND_ASPECT);
            else if (by_band)
                csf_detect_set(f, CSF_FIND_LEAK, 1, "beside a longitudinal collection: root sleeve expanded, %.1f x "
                    "the fluid at the wall of the neighbouring levels (>= %.1f)", f->sleeve_ratio, EXPANSION_RATIO);
            else
                csf_detect_set(f, CSF_FIND_LEAK, 1, "beside a longitudinal collection: root sleeve expanded, the "
                    "sac's half-maximum edge bulges %.1f x the neighbouring levels' (>= %.1f)", bratio, EXPANSION_RATIO);
        }
    return m;
}
