/* 3D grade 2 by reach and fluid together (session 6, h/s6big).
 *
 * Grade 2 of the scale is high signal lateral to the root sleeve in
 * addition to it. Reach alone must pass the neighbouring sleeves' by a floor
 * of 2.5 mm (sleeves.c, EXTENSION_MIN_MM): a normal sleeve leaving at a
 * steeper or flatter angle reaches up to ~1.3 mm more or less than its
 * neighbours, with the same fluid. A sleeve that reaches farther than the
 * scatter of its neighbours' reach (3 MAD, and one voxel: each reach is known
 * to half a voxel) while holding at least twice the fluid of its neighbours
 * and of the other sleeve of its level has fluid beyond it that no change of
 * angle explains: the streak of a grade-2 leak whose thin far end fell under
 * the half-maximum threshold. The volume bars are those of an expansion
 * (twice, and above the neighbours' scatter), so a normal pair of big sleeves
 * (the other sleeve as large) or a sleeve at a size step of the spine (the
 * junction references, sleeves.c) does not pass. Nor does a grade-1
 * expansion or a diverticulum at the sleeve's origin (wedge.c decides those
 * first): its body widens the sleeve at the wall, adding fluid there and a
 * millimetre of reach (dev: a T12 diverticulum 1.1 mm beyond its neighbours
 * at 4.9 x their volume, a C3 wedge 1.2 mm at 3.3 x). Not at S1 and below
 * (sleeves.c asks): the S1 sleeve, the end of the chain, runs steeply
 * caudally and holds 2-3 x the lumbar sleeves' volume while reaching a
 * little farther, so its neighbours are no yardstick for its fluid, and
 * with a cyst opposite no partner vouches for it (the long S1 pair of
 * test_detect_sacral_cyst's synthetic spine). */
#include <math.h>

#include "detect_internal.h"

/* Twice the fluid of a normal sleeve: the grade-1 ratio (sleeves.c). */
#define FLUID_RATIO 2.0

int csf_detect_fluid_beyond(const csf_extra *x, const csf_sleeve_refs *r, double contra_ml, double ext_mm,
                            double voxel_mm)
{
    if (!(r->vol > 0) || !isfinite(r->lat_mad))
        return 0;
    double scatter = fmax(voxel_mm, 3.0 * r->lat_mad);
    if (!(ext_mm > scatter && x->volume_ml >= FLUID_RATIO * r->vol && x->volume_ml > r->vol + 3.0 * r->vol_mad &&
          x->volume_ml >= FLUID_RATIO * contra_ml))
        return 0;
    /* the fluid lies beyond the wall, not in a strip along it: without the
     * contact shell (where a strip of sac rim outside an under-estimated
     * wall adds its voxels, wedge.c) the sleeve still holds twice its
     * neighbours' fluid beyond their shell */
    if (x->voxels == 0 || !(r->mouth > 0))
        return 1;
    double vv = x->volume_ml / (double)x->voxels;
    double own = x->volume_ml - vv * (double)x->depth_voxels[0], ref = r->vol - vv * r->mouth;
    return ref > 0 && own >= FLUID_RATIO * ref;
}
