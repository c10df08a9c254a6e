/* Perineural cyst or profuse leak (3D). A Tarlov cyst is a round, discrete
 * dilatation of one root sleeve at its ganglion: its component is the round
 * body plus the sleeve that carries it (and the body's partial-volume rim).
 * A profuse (grade-3) leak is free CSF spreading around and along the
 * sleeve, irregular; where its far end pools into a round blob on a long
 * neck, the bulb test of classify_shape() (a round body capping its
 * component) is met as well. What the round body leaves over tells them
 * apart: for a cyst, the sleeve and a rim, a minor part of the fluid; for a
 * leak, the fluid spreading around the sleeve, most of it. */
#include <math.h>

#include "detect_internal.h"

/* No normal root sleeve holds more than ~4.5 x its neighbours' volume (the
 * S1 root is ~1.5 x as thick and its sleeve up to ~2 x as long: 1.5^2 x 2),
 * the same bound as SLEEVE_MAX_RATIO in classify.c: fluid beyond that
 * outside the round body is not the sleeve that carries a cyst. */
#define SLEEVE_MAX_RATIO 5.0
/* A cyst is discrete: its round body (the voxels of the inscribed ball and
 * its half-voxel shell, extras.c body_fraction) holds most of its fluid.
 * Where more fluid lies outside the round body than in it, the body is a
 * pool at the end of a collection, not the collection. */
#define BODY_MIN_SHARE 0.5
/* Perineural cysts are most often sacral (S1-S3, domain.md) and there often
 * multiple at adjacent roots; two of them joined by their sleeves make one
 * component whose first round body holds only about half the fluid. At the
 * sacral levels a second discrete round body of a cyst's size (the smallest
 * Tarlov cyst is ~5 mm across, radius CYST_MIN_R_MM of classify.c) beside
 * the first is taken for a second cyst, not for a leak's overflow. Above the
 * sacrum, where cysts are uncommon and a profuse leak pools into blobs along
 * its course (b27/b28/b29: 9 leaks in 450 3D cases), it is not. */
#define SECOND_CYST_MIN_R_MM 2.5

int csf_detect_cyst_overflows(const csf_extra *x, double sleeve_ml, double sleeve_mad_ml, int sacral)
{
    if (!(sleeve_ml > 0) || !isfinite(x->body_fraction) || !isfinite(sleeve_mad_ml))
        return 0;
    if (sacral && x->second_radius_mm >= SECOND_CYST_MIN_R_MM)
        return 0;
    double outside = x->volume_ml * (1.0 - x->body_fraction);
    return x->body_fraction < BODY_MIN_SHARE && outside >= SLEEVE_MAX_RATIO * sleeve_ml &&
           outside > sleeve_ml + 3.0 * sleeve_mad_ml;
}
