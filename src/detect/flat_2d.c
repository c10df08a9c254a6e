/* A "perineural cyst" on the 2D thick slab that is a flat pool: a profuse
 * leak, not a round body.
 *
 * A perineural (Tarlov) cyst is round and discrete on a neck (domain.md);
 * grade 3 is profuse extraspinal fluid lateral to and around the root
 * sleeves. In the coronal projection both can be one big thresholded blob
 * with a large inscribed disc on a narrow neck (b32 case_0123: a 27 mm T7
 * grade-3 leak pooled into overlapping blobs, called a cyst with a 10.4 mm
 * ball on a 2.3 mm neck). The projection keeps what the outline loses: its
 * signal is linear in the depth of fluid along the beam, and a round body
 * is as deep as it is wide. A ball of radius r is 2 sqrt(r^2 - d^2) deep at
 * distance d from its centre, so its mean depth within r/2 of the centre is
 * 1.62 x its mean depth over the ring r/2..r (extras.c, ball_depth_ratio);
 * fluid spread flat around the sleeves, or several small pools under one
 * disc, is about as deep at the disc's rim as at its centre (ratio 1). A
 * body whose ratio is below the midpoint of the two shapes (1.31) is not
 * round. Only for a body longer than the sac's transverse width (the
 * length at which the scale's grade 3 begins, the only grade a pool of
 * this size can take), and only from C2 to T12: below the conus the roots
 * run steeply caudally before they leave (the same bound as the dome rule,
 * classify_2d.c), so a lumbosacral body lying along its obliquely running
 * sleeve can be long in depth and shallow at its rim, and at S1-S2 cysts
 * are common, often several at adjacent roots joined in the projection. */
#include <math.h>

#include "cells_2d.h"

/* The midpoint between a ball's depth ratio (1.62) and a flat sheet's (1). */
#define FLAT_DEPTH_RATIO 1.31

int csf_detect_flat_pool_2d(const csf_spine *sp, const csf_extra *x, const csf_cell2d *c, size_t ci, double *ratio)
{
    *ratio = x->ball_depth_ratio;
    const csf_levels *lv = csf_spine_levels(sp);
    int li = -1;
    for (size_t i = 0; i < lv->n; i++)
        if (lv->z_mm[i] == c[ci].z)
            li = csf_level_index(lv->name[i]);
    double W = isfinite(c[ci].width) ? c[ci].width : x->local_width_mm;
    return li >= 0 && li <= csf_level_index("T12") && isfinite(*ratio) && *ratio < FLAT_DEPTH_RATIO &&
           W > 0 && x->lateral_extent_mm > W;
}
