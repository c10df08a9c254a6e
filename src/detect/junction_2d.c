/* References of the 2D level cells across the thoracolumbar junction.
 *
 * Sleeve size follows a gradient along the spine: the thin roots of the
 * thoracic (intercostal and subcostal) nerves meet the thick roots of the
 * lumbar plexus at the thoracolumbar junction, and the fluid of a sleeve at
 * the wall about doubles within two levels there. A cell's references are
 * the three levels on each side (classify_2d.c); at T12 these are three
 * thoracic and three lumbar levels, so their median falls between the two
 * sizes and their MAD measures the step between them, not the scatter of
 * normal sleeves. On the 2D dev cases a T12 grade-2 leak held 1.5-1.9 x the
 * neighbours' median band fluid and 2.0-2.8 x their root, but the MAD of
 * the mixed neighbours was a quarter to a half of their median (the
 * thoracic levels' own MAD is under a tenth), and the "median + 3 MAD" bound
 * stood above the leak (b33 case_0123: band 1.89 against a bound of 2.05;
 * b31 case_0195, b32 case_0198). The change is a step between T12 and L1:
 * the subcostal (T12) root is a thoracic root, as thin as T11's, and the
 * roots of the lumbar plexus begin at L1 (the 3D references, sleeves.c,
 * judge a thoracic sleeve there against the thoracic sleeves). So a
 * thoracic cell is judged against the thoracic levels among its
 * references; a lumbar cell, whose sleeves still grow toward L5, against
 * the value at its exit of a robust straight line through the neighbours,
 * with the scatter about that line (as sleeves.c's trend_at). Where the
 * neighbours all lie within one region the
 * reference stays their median and MAD (sleeve size is about even within
 * a region, and the median is the yardstick most robust to a leak among
 * them). The cervicothoracic change lies at T1-T2 (the brachial plexus
 * takes T1), not at a boundary of the names, and the long S1 pair is a
 * step at the end of the chain with its own rules: neither is a gradient
 * here, as in 3D. */
#include <math.h>

#include "cells_2d.h"

#define NVAL (4 * REF_LEVELS)

/* The reference cells of ci (its own level excluded) include a thoracic
 * and a lumbar level. */
static int straddles_junction(const csf_cell2d *c, size_t nc, size_t ci)
{
    size_t a, b;
    int t = 0, l = 0, t12 = csf_level_index("T12");
    csf_detect_cell_ref_range(nc, ci, &a, &b);
    for (size_t i = a; i <= b; i++)
        if (i != ci && c[i].level >= 0) {
            t |= c[i].level >= csf_level_index("T1") && c[i].level <= t12;
            l |= c[i].level > t12 && c[i].level <= csf_level_index("L5");
        }
    return t && l;
}

/* The reference at z from a robust line through the reference cells
 * (line.c; the 3D references take the same line, sleeves.c). z is the
 * world superior coordinate. */
static void trend_at(const double *zs, const double *y, size_t m, double z, double *at, double *mad)
{
    /* the junction's gradient runs one way, thicker caudally (z falls): a
     * line falling caudally is no gradient of anatomy but a leak or a
     * diverticulum among the references, so its slope is capped at 0 */
    csf_detect_line_at(zs, y, m, z, 0.0, 0.0, at, mad);
}

static int thoracic(int level) { return level >= csf_level_index("T1") && level <= csf_level_index("T12"); }

void csf_detect_cell_ref_stats(const csf_cell2d *c, size_t nc, size_t ci, const double *y, double *med, double *mad)
{
    double v[NVAL], zs[NVAL], t[NVAL];
    size_t m = 0, mt = 0, a, b;
    csf_detect_cell_ref_range(nc, ci, &a, &b);
    for (size_t i = a; i <= b; i++)
        for (int s = 0; s < 2; s++)
            if (i != ci && isfinite(y[2 * i + (size_t)s])) {
                zs[m] = c[i].z;
                v[m++] = y[2 * i + (size_t)s];
                if (thoracic(c[i].level))
                    t[mt++] = y[2 * i + (size_t)s];
            }
    if (m > 0 && straddles_junction(c, nc, ci)) {
        /* the step lies between T12 and L1: a thoracic level is judged
         * against the thoracic levels among its references (at least two
         * levels' sleeves), a lumbar one against the line */
        if (thoracic(c[ci].level) && mt >= 4)
            csf_detect_med_mad(t, mt, med, mad);
        else
            trend_at(zs, v, m, c[ci].z, med, mad);
        return;
    }
    csf_detect_med_mad(v, m, med, mad);
}
