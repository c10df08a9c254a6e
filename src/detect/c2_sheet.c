/* Sac CSF beside the craniocervical widening taken for a C2 leak (3D;
 * issue #5, session 5, branch h/s5cyst; docs/detector-log.md).
 *
 * Above C2 the dural sac widens into the cisterna magna. The lateral wall is
 * the 30th percentile of the lateral rays over +-25 mm (shape.c), so at the
 * C2 exit it still follows the narrower sac below, and a sheet of the sac's
 * own CSF lies outside it there, merged with the C2 sleeve. Measured from
 * that wall the sheet "reaches" 3-4 mm beyond the cervical sleeves: grade 2
 * at C2 with no leak in the truth (b33 case_0050, b32 case_0101 both sides,
 * b27 case_0108, b31 case_0000: docs/detector-log.md: false C2 grades recur).
 * Such a component is widest at the wall and thin one voxel out: its root
 * layer (depth band 1) holds under a third of its contact layer (band 0),
 * the bound by which wedge.c already tells a strip of sac rim outside an
 * under-estimated wall from a triangular expansion (a triangle keeps most of
 * its width one voxel out; a cone closing over three voxels keeps 0.44).
 * The C2 sheets of b27-b34 keep 0.15-0.28, the C2 and C3 leaks 0.47-1.35.
 * Below C2 the same shape was also seen on true grade-2 leaks (b28
 * case_0154 S1, case_0031 T11: 0.25, 0.32), so the rule stays at the
 * craniocervical junction, where the wall is known to lag. */
#include <math.h>
#include <string.h>

#include "detect_internal.h"

/* A triangular expansion keeps most of its width one voxel out (wedge.c). */
#define ROOT_MIN_OF_MOUTH (1.0 / 3.0)

int csf_detect_c2_sheet(const csf_levels *lv, const csf_extra *x)
{
    double c2 = NAN, c3 = NAN;
    for (size_t i = 0; i < lv->n && i < CSF_MAX_LEVELS; i++) {
        c2 = strcmp(lv->name[i], "C2") == 0 ? lv->z_mm[i] : c2;
        c3 = strcmp(lv->name[i], "C3") == 0 ? lv->z_mm[i] : c3;
    }
    if (!isfinite(c2) || !isfinite(c3) || !isfinite(x->contact_z_mm))
        return 0;
    /* the C2 exit's half segment and everything above it */
    if (x->contact_z_mm < c2 - 0.5 * fabs(c2 - c3))
        return 0;
    double mouth = (double)x->depth_voxels[0], root = (double)x->depth_voxels[1];
    return mouth > 0 && root < ROOT_MIN_OF_MOUTH * mouth;
}
