/* The root bar of the 2D grade-1 shape rule at the lumbar levels.
 *
 * The shape rule (classify_2d.c, wedge_cell) asks of a sleeve both its band
 * fluid (1-5 mm beyond the wall) at 1.5 x the neighbouring levels' (two
 * scatters of normal sleeve volume, the 3D wedge rule's ratio) and its root
 * (the 1 mm bin at the mouth) at 2 x. The root's higher bar holds for a
 * triangular expansion that is widest at the dura and narrows across the
 * band: the band averages its excess down over 4 mm while the root sees it
 * where it is widest. From C2 to T12 the sleeves leave the canal about
 * horizontally and that is what the projection shows: over the dev grade-1
 * leaks the root's ratio is a median 1.47-1.49 x the band's (cervical,
 * thoracic), so a wedge at the band's bar meets the root's.
 *
 * Below the conus the roots run steeply caudally in the cauda equina before
 * they leave (session 4; depth_2d.c, dome_cell): an expanded lumbar sleeve
 * crosses the planes beyond the wall obliquely and keeps its cross-section
 * over the whole band, so the band and the root read the same expansion
 * (the dev lumbar grade-1 leaks: root / band a median 1.18). There a bar
 * 4/3 above the band's asks the root for a larger expansion than the band,
 * not for a second view of it, and a lumbar wedge that passes the band's bar
 * could fail the root's for that reason alone (the dev misses b32 case_0126
 * L2, b39 case_0142 L4: band 1.7-1.9 x, root 1.9 x). So at L1-L5 the root
 * must pass the band's own bar. The rest of the rule is unchanged: both
 * measures at least 1.5 x the contralateral sleeve's (a symmetric pair is
 * the anatomy of its level), the band beyond the neighbours' scatter, the
 * wall-only and lumbar-dome (diverticulum) tests after it, and grade 2-3 by
 * the reach. S1 keeps the 2 x bar: its sleeve runs along the sac wall, and
 * the S1 pair has its own rules. Nothing fitted: the two bars are the
 * rule's own ratios. */
#include "detect_internal.h"

#define ROOT_RATIO 2.0
#define BAND_RATIO 1.5

double csf_detect_root_bar_2d(int level)
{
    return level >= csf_level_index("L1") && level <= csf_level_index("L5") ? BAND_RATIO : ROOT_RATIO;
}
