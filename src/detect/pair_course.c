/* A sleeve that reaches past its partner but holds no more fluid than it
 * (3D; issue #5, session 5, branch h/s5cyst; docs/detector-log.md).
 *
 * Grade 2 of the scale is high signal lateral to the root sleeve *in
 * addition to* it, grade 3 profuse high signal around the sleeves: fluid
 * beyond the sleeve, so fluid the sleeve would not hold. The reach alone
 * cannot say that: how far a normal sleeve reaches beyond the lateral wall
 * depends on its course (how steeply it runs caudally; the S1 and L5
 * sleeves are long and steep) and on where the tapering lumbosacral wall is
 * found, and a normal sleeve can reach 2.5-3 mm farther than the sleeve
 * opposite it (b34 case_0009 S1: 13.0 against 10.5 mm, b33 case_0047 L5:
 * 14.4 against 11.6 mm, with no truth finding). Fluid in addition to the
 * sleeve adds to its volume; the normal sleeve of the same level on the
 * other side (the level's own yardstick: a symmetric pair is the anatomy of
 * its level) says what the sleeve alone holds. When the component holds no
 * more than that sleeve plus the normal scatter of sleeve volume (3 MAD of
 * the neighbouring sleeves' volume, the same margin as the expansion
 * tests), its longer reach is its course, not a leak. Fluid of sleeve size
 * only: more than any normal sleeve holds (SLEEVE_MAX_RATIO x the
 * neighbours, sleeves.c) is no pair's anatomy. */
#include <math.h>

#include "detect_internal.h"

/* No normal root sleeve holds more than ~4.5 x its neighbours' volume
 * (sleeves.c, profuse.c). */
#define SLEEVE_MAX_RATIO 5.0

int csf_detect_reach_is_course(const csf_extra *x, const csf_sleeve_refs *r, double contra_ml)
{
    if (!(contra_ml > 0) || !(r->vol > 0) || !isfinite(r->vol_mad))
        return 0;
    return x->volume_ml <= contra_ml + 3.0 * r->vol_mad && x->volume_ml < SLEEVE_MAX_RATIO * r->vol;
}
