/* Sacral perineural cysts whose component is not capped by its round body
 * (3D; issue #5, session 5, docs/detector-log.md "s5cyst").
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

/* A cyst on a short sleeve (thoracic, upper lumbar). The bulb test admits a
 * body measured on its voxels (the sphere of the body's volume, when the
 * inscribed ball falls a voxel short of a small cyst) only on a neck longer
 * than the body is wide: a compact body nearer the wall is the widened root
 * of an expanded sleeve or a diverticulum. But a Tarlov cyst grows at the
 * dorsal root ganglion, at the far end of its sleeve, and a thoracic sleeve
 * reaches only ~5 mm beyond the wall: a 6-7 mm cyst there has a neck of
 * 3-5 mm, shorter than itself (b33 case_0093 T9, case_0036 T12, b31
 * case_0021 L1: bodies of 6.2-6.3 mm holding 0.58-0.84 of their component,
 * capped, graded 2 by their reach). Where the ganglion lies is told by the
 * same patient's neighbouring sleeves: a body that starts beyond half their
 * reach (r_ref_mm) lies on the far part of the sleeve, not at its root,
 * where a triangular expansion is widest. With the rest of the bulb test
 * (capped: nothing beyond the body's far side; discrete: the body holds
 * at least half the fluid, BODY_MIN_SHARE), that is a cyst. */
#define CAP_MM 2.0

int csf_detect_short_sleeve_cyst(const csf_extra *x, double r_ref_mm)
{
    double body = x->body_fraction, gap = x->ball_gap_mm, r_in = x->inscribed_radius_mm;
    if (!isfinite(body) || !isfinite(gap) || !(r_ref_mm > 0) || x->volume_ml <= 0)
        return 0;
    double r_body = cbrt(0.75 / M_PI * body * x->volume_ml * 1e3);
    int capped = x->max_wall_mm - (gap + 2.0 * r_in) <= fmax(CAP_MM, 0.5 * r_in);
    return r_body >= CYST_MIN_R_MM && gap >= NECK_MIN_MM && gap >= 0.5 * r_ref_mm && capped &&
           body >= BODY_MIN_SHARE;
}
