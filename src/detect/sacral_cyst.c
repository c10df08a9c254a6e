/* Sacral perineural cysts whose component is not capped by its round body
 * (3D; issue #5, session 5, docs/accuracy.md "s5cyst").
 *
 * The bulb test of classify_shape() asks that nothing of the component
 * reach more than max(2 mm, r/2) beyond the inscribed ball's far side, with
 * the reach measured as distance from the sac wall. At the sacral levels
 * that measure does not follow the sleeve: the S1 sleeve runs steeply
 * caudally beside the sac's tapering tip, and a cyst at its far end lies
 * level with a narrower (or no) sac, so the cyst's lower pole is farther
 * from the wall than its inscribed ball's far side is, by the taper, not by
 * any fluid beyond the cyst (b34 case_0105: a 10 mm round body on a 25 mm
 * sleeve, 3-5 mm "beyond" its ball). The cap then fails, and the
 * cyst-carrying sleeve, whose reach exceeds the narrow S1 sac width, was
 * graded 3 by the scale.
 *
 * What the scale itself says a leak is, is free fluid: a triangular
 * expansion plus streaky, irregular fluid running laterally, and at grade 3
 * profuse fluid around the sleeves. A Tarlov cyst is round and discrete
 * (domain.md): its round body (the inscribed ball's voxels and their
 * half-voxel shell, extras.c body_fraction) holds most of its component,
 * the sleeve that carries it the rest. The same bound already tells a cyst
 * from a profuse leak's pool in profuse.c (BODY_MIN_SHARE): where the body
 * holds at least half the fluid, what lies outside it is no more than the
 * body, while a leak's fluid spreads around and along the sleeve, most of
 * it outside any round body. So at the sacral levels, where Tarlov cysts
 * are most common (S1-S3) and the wall-distance cap is unreliable, a round
 * body of a cyst's size on a neck that holds at least half the component is
 * a cyst, capped or not. Above the sacrum the cap stays the test: a profuse
 * leak's streak running on through a round blob can also leave half its
 * fluid in the blob, and there the wall distance does follow the sleeve. */
#include <math.h>

#include "detect_internal.h"

/* The smallest Tarlov cyst is ~5 mm across (CYST_MIN_R_MM of classify.c). */
#define CYST_MIN_R_MM 2.5
/* The body is away from the wall: a cyst grows at the ganglion, at the
 * sleeve's far end (NECK_MIN_MM of classify.c). */
#define NECK_MIN_MM 1.0
/* A cyst is discrete: its round body holds most of its fluid (profuse.c). */
#define BODY_MIN_SHARE 0.5

int csf_detect_sacral_cyst(const csf_extra *x)
{
    double body = x->body_fraction, gap = x->ball_gap_mm;
    if (!isfinite(body) || !isfinite(gap) || x->volume_ml <= 0)
        return 0;
    /* the body's size: the inscribed ball, or the sphere of the body's
     * voxels when the body is discrete, its neck longer than its width
     * (the same condition as the bulb's in classify_shape()) */
    double r_body = cbrt(0.75 / M_PI * body * x->volume_ml * 1e3);
    int sized = x->inscribed_radius_mm >= CYST_MIN_R_MM || (r_body >= CYST_MIN_R_MM && gap >= 2.0 * r_body);
    return sized && gap >= NECK_MIN_MM && body >= BODY_MIN_SHARE;
}
