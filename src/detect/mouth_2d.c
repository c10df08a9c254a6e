/* A root widened at the wall only, on the 2D projection.
 *
 * The grade-1 root rule (classify_2d.c, wedge_cell) reads the fluid's
 * cross-section in the 1 mm bin at the sleeve's mouth (1-2 mm beyond the
 * wall), where a triangular expansion of the CSF space around the sleeve is
 * widest. A triangle is an expansion along the sleeve, though: it narrows
 * outward to the sleeve's own course, so one bin farther out (2-3 mm) it
 * still holds much of the mouth's excess. A cone that narrows to nothing
 * only at the length of the shortest normal sleeve (about 5 mm, thoracic;
 * cervical and lumbar sleeves are longer) keeps ((5 - 2.6) / (5 - 1.5))^2,
 * about half, of its mouth's cross-section there. Fluid that is gone one
 * millimetre out, with under a quarter of the mouth's excess left in every
 * deeper bin up to 5 mm (half of that least cone; the widest deeper bin, as
 * the diverticulum test takes it, so that one noisy bin of about 0.1-0.2
 * does not decide: at 1 mm pixels a bin is one column), is no
 * expansion of a sleeve: it is sac CSF just outside a wall that the running
 * median placed inside the sac's own edge at that level (a false C2 beside
 * the cisternal widening and a false C6, with 6-7 % left, against 50-70 %
 * for the cervical and thoracic grade-1 wedges of the dev suites;
 * docs/accuracy.md). The excess is the one the diverticulum test compares
 * (wedge_2d.c), over the same reference levels. */
#include <math.h>

#include "cells_2d.h"
#include "detect_internal.h"

#define TAIL_FRACTION 0.25
#define MAX_BINS 16

int csf_detect_wall_only_2d(const csf_spine *sp, const csf_cell2d *c, size_t nc, size_t ci, int side)
{
    double lo[2 * REF_LEVELS], hi[2 * REF_LEVELS], bins[MAX_BINS], deep = -INFINITY;
    size_t m = 0, a, b;
    csf_detect_cell_ref_range(nc, ci, &a, &b);
    for (size_t i = a; i <= b; i++)
        if (i != ci) {
            lo[m] = c[i].lo;
            hi[m++] = c[i].hi;
        }
    size_t nb = csf_detect_excess_bins_2d(sp, c[ci].lo, c[ci].hi, side, lo, hi, m, bins, MAX_BINS);
    if (nb < 2)
        return 0;
    for (size_t k = 1; k < nb; k++)
        if (isfinite(bins[k]) && bins[k] > deep)
            deep = bins[k];
    return bins[0] > 0 && isfinite(deep) && deep < TAIL_FRACTION * bins[0];
}
