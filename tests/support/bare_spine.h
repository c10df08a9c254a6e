#ifndef CSF_TEST_BARE_SPINE_H
#define CSF_TEST_BARE_SPINE_H
/* A bare spine for the level-count tests (3D; 2D with is2d set): no image, only the tracked
 * sac's extent, its landmarks and one sleeve pair at each given exit height
 * (the exits as measured on dev cases). */
#include "csfleak/spine.h"

#define SYNTH_BARE_NZ 700
#define SYNTH_BARE_Z0 (-350.0) /* world z of slice 0; 1 mm slices */

typedef struct synth_spine_case {
    const char *what;
    double exits[40]; /* sleeve pair heights (world z, mm), 0-terminated */
    double z_end, z_top; /* sac end and foramen magnum (world z, mm; NaN: not seen) */
} synth_spine_case;

/* A bare spine record on a 1 x 1 x SYNTH_BARE_NZ volume (*vol): the sac
 * tracked from world z z_lo to z_hi with its end and foramen magnum at z_end
 * and z_top (NaN: not seen), no sleeve yet. Fails the test when out of
 * memory. Caller frees with csf_spine_free, then csf_volume_free(*vol). */
csf_spine *synth_bare_shell(double z_lo, double z_hi, double z_end, double z_top, csf_volume **vol);
/* The sac tracked over the whole field of view with c's landmarks and one
 * left and one right sleeve at each exit; *vol is the 1 x 1 x NZ volume it
 * refers to. Fails the test when out of memory. Caller frees with
 * csf_spine_free, then csf_volume_free(*vol). */
csf_spine *synth_bare_spine(const synth_spine_case *c, csf_volume **vol);
/* World z of the level named `name` in lv; NaN when it is not named. */
double synth_named_z(const csf_levels *lv, const char *name);

#endif
