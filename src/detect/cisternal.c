/* Where the spinal sac ends and the craniocervical cisterns begin, for the
 * classification (classify.c): fluid leaving the sac above the C2 sleeve is
 * cisternal CSF, not a leak. */
#include <math.h>
#include <string.h>

#include "detect_internal.h"

/* C2, the first root sleeve, leaves >= ~1.2-1.5 cm below the foramen magnum. */
#define C2_BELOW_FM_MM CSF_C2_BELOW_FM_MM

double csf_detect_cisternal_limit(const csf_spine *sp)
{
    double ke, kt;
    csf_spine_landmarks(sp, &ke, &kt);
    if (!isfinite(kt))
        return INFINITY;
    size_t n, k0, k1;
    const csf_sac_slice *s = csf_spine_slices(sp, &n, &k0, &k1);
    double lim = s[(size_t)kt].center_mm[2] - C2_BELOW_FM_MM;
    /* where the C2 pair was named closer to the foramen magnum (a short
     * neck, or a foramen magnum found a little low), fluid leaving the sac
     * within half a segment of that exit is the C2 sleeve or a leak along
     * it, not cisternal CSF */
    const csf_levels *lv = csf_spine_levels(sp);
    double c2 = NAN, c3 = NAN;
    for (size_t i = 0; i < lv->n; i++) {
        c2 = strcmp(lv->name[i], "C2") == 0 ? lv->z_mm[i] : c2;
        c3 = strcmp(lv->name[i], "C3") == 0 ? lv->z_mm[i] : c3;
    }
    return isfinite(c2) && isfinite(c3) ? fmax(lim, c2 + 0.5 * fabs(c2 - c3)) : lim;
}

