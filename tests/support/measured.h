#ifndef CSF_TEST_MEASURED_H
#define CSF_TEST_MEASURED_H
/* Sleeve components measured on the burned dev cases, for the tests of the
 * 3D reference and grading rules (the synthetic spine of detect_synth.c has
 * one sleeve size at every level, so these rules need measured values). */
#include <stddef.h>

#include "csfleak/detect.h"
#include "csfleak/spine.h"
#include "detect/detect_internal.h"

/* One measured sleeve component: exit height, lateral reach (mm), volume
 * (ml), inscribed radius (mm), radial layers (contact shell, root, next,
 * deeper; voxels), side, and of the layers the voxels inside the sac's oval
 * (a strip of sac CSF; may be left out of an initializer). */
typedef struct synth_meas {
    double z, lat, ml, rad;
    size_t layer[CSF_DEPTH_BANDS];
    int right;
    size_t oval[CSF_DEPTH_BANDS];
} synth_meas;

/* What a test's measured sleeves share: the local sac width (mm), the
 * intensity relative to the sac, the craniocaudal extent (mm), the principal
 * axes (mm, elongated along the root as every measured sleeve) and whether
 * the voxel count follows the volume (1 mm voxels). */
typedef struct synth_look {
    double width_mm, rel_intensity, cc_mm, axes_mm[3];
    int voxels_from_ml;
} synth_look;

/* xs[i], cand[i] = m[i] with the shared look, for i < n. */
void synth_meas_fill(const synth_meas *m, size_t n, const synth_look *look, csf_extra *xs, int *cand);
/* Grades xs[self] as classify.c does (3D, 1 mm voxels): references from its
 * neighbours, the other side of its level, the scale; the height bound of
 * its region (22 mm thoracic, else 30) and the sacral flag from its level
 * name. Fails the test when xs[self] has no references. */
csf_finding synth_meas_grade(const csf_extra *xs, const int *cand, size_t n, size_t self, const csf_levels *lv);

/* One measured component for the wedge rule alone (wedge.c): its radial
 * layers, volume, principal axes, the references as measured, and the
 * expected csf_detect_wedge result. */
typedef struct synth_wedge_row {
    size_t layer[CSF_DEPTH_BANDS];
    double ml, ax[3];
    csf_wedge_ref ref;
    int want;
} synth_wedge_row;

/* csf_detect_wedge on the component of row (f zeroed first), printed. */
int synth_wedge_row_judge(const synth_wedge_row *row, csf_finding *f);

#endif
