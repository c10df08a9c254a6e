/* The S1 sleeve's root on the 2D thick-slab projection, judged against the
 * S1 pair rather than the lumbar roots.
 *
 * The grade-1 root rule (classify_2d.c, wedge_cell) asks a sleeve's root,
 * the fluid's cross-section 1-2 mm beyond the wall, to be twice the median
 * root of the neighbouring levels (a root widened to sqrt(2) x its
 * diameter) and 1.5 x the contralateral root. At S1 the neighbouring levels
 * are all above it (L2-L5: S2-S5 leave through the sac's tip, not by
 * sleeves), and the S1 root is the thickest root of the lumbosacral plexus
 * while its sleeve runs long and steeply caudally beside the tapering sac:
 * the lumbar roots are a floor for a normal S1 root, not its norm (normal S1
 * sleeves of the dev suites show 1.25 x the lumbar roots' median, a tenth of
 * them over 2.3 x, so the lumbar bar neither holds a normal S1 root back nor
 * lets an expanded one through). The anatomy of the level is its pair: the
 * same root, the same course, the same taper of the sac beside it. At S1
 * the root is therefore judged against the contralateral S1 root only, at
 * the ratio the rule already uses against a partner (1.5 x), and a partner
 * root must be measurable. */
#include <math.h>

#include "cells_2d.h"

int csf_detect_root_wide_2d(const csf_cell2d *c, size_t ci, double root, double rmed, double rc, int pair)
{
    if (c[ci].level == csf_level_index("S1"))
        return isfinite(root) && isfinite(rc) && rc > 0 && root >= WEDGE_ASYM_RATIO * rc;
    if (!(isfinite(root) && rmed > 0 && root >= WEDGE_ROOT_RATIO * rmed))
        return 0;
    return pair || !(isfinite(rc) && rc > 0 && root < WEDGE_ASYM_RATIO * rc);
}

/* A component graded where none of the neighbouring levels' sleeves rises
 * above the fluid threshold (thin sleeves in a deep slab: a normal sleeve
 * of radius ~2 mm shows near the threshold of a projection). The
 * thresholded references are then missing, not zero, and the component
 * used to be its own reference: a profuse leak next to such sleeves was
 * never beyond them (b32 case_0118, S1 grade 3 reaching 26 mm, missed).
 * The neighbours' sleeves are still measured by their faint fluid (reach_2d.c,
 * always measurable): their faint reach is the reach reference
 * (fr_med, fr_mad: faint_refs of classify_2d.c, the partner's faint reach
 * included). Their fluid is at most what their band holds (each is under
 * the threshold beyond the band): the median band signal of the
 * neighbouring levels, converted to the unit of a component's fluid
 * (pixels x signal relative to CSF: the band is BAND_WIDTH_MM wide, and its
 * signal is a sum over rows times the row height). */
void csf_detect_noref_2d(const csf_spine *sp, const csf_cell2d *c, size_t nc, size_t ci, double fr_med, double fr_mad,
                         double *reach, double *reach_mad, double *fluid)
{
    const csf_volume *v = csf_spine_volume(sp);
    double med, mad;
    *reach = fr_med;
    *reach_mad = isfinite(fr_mad) ? fr_mad : 0.0;
    csf_detect_cell_refs(c, nc, ci, &med, &mad);
    if (!(*fluid > 0))
        *fluid = med > 0 ? med * BAND_WIDTH_MM / (v->spacing[0] * v->spacing[2]) : NAN;
}

/* The ratio to its partner's band fluid that a sleeve, already twice the
 * neighbouring levels' (the grade-1 ratio), must reach when the partner is
 * big too (expanded_cell, classify_2d.c: "a pair of big sleeves is the
 * anatomy of its level"). Elsewhere that is the grade-1 ratio itself (2 x).
 * At S1 the partner is the only like-for-like reference: the neighbouring
 * levels are all above it (S2-S5 leave through the tip), and the S1 sleeve,
 * the longest, running steeply caudally beside the tapering sac, holds
 * more than the lumbar ones, so a normal S1 partner is "big" by the lumbar
 * scatter. The S1 pair itself is symmetric (the same root, the same course,
 * the same taper of the sac between them: on the 2D dev suites the band
 * ratio of a normal S1 sleeve to its partner has median 0.99 and 95th
 * percentile 1.22). Asking an S1 sleeve that already holds twice the lumbar
 * sleeves' fluid for twice its partner's as well asks for the expansion
 * twice; against the partner the ratio the grade-1 root rule already asks
 * of a contralateral sleeve (WEDGE_ASYM_RATIO, 1.5 x) is asked instead. */
double csf_detect_pair_ratio_2d(const csf_cell2d *c, size_t ci)
{
    return c[ci].level == csf_level_index("S1") ? WEDGE_ASYM_RATIO : EXPANSION_RATIO;
}
