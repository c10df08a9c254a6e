#ifndef CSFLEAK_SPINE_INTERNAL_H
#define CSFLEAK_SPINE_INTERNAL_H
/* Private to src/spine: the csf_spine object and the step functions. */
#include <stddef.h>
#include <stdint.h>
#include "csfleak/img_label.h"
#include "csfleak/spine.h"

/* A bright 2D component of one axial slice, a sac candidate. */
typedef struct csf_slice_cand {
    double ci, cj;      /* centroid, voxels */
    double area_mm2;    /* voxel count * pixel area (bright voxels only) */
    double span_i_mm;   /* bounding-box extents */
    double span_j_mm;
} csf_slice_cand;

#define CSF_MAX_CANDS 12

struct csf_spine {
    const csf_volume *vol;   /* borrowed for the life of the analysis */
    int is2d;
    size_t nx, ny, nz;
    double sx, sy, sz;       /* mm */
    /* calibration */
    double background;       /* median intensity */
    double noise;            /* robust spread of the dark voxels */
    double threshold0;       /* global fluid threshold for tracking */
    double fluid_level;      /* robust bright-fluid intensity */
    int heavy_t2;
    double contrast_ratio;   /* CSF / tissue just outside the sac */
    double bright_shell;     /* median fraction of bright voxels 3-8 mm outside the wall */
    double depth_exponent;   /* 2D: signal ~ depth^g, from the sac's own profile (1 in 3D) */
    const char *contrast_reason;
    /* sac */
    csf_sac_slice *slices;   /* nz */
    size_t k_first, k_last;
    int found;
    double k_end, k_top;     /* landmarks, NaN when not seen */
    /* extra-sac fluid on the ROI grid */
    size_t roi_min[3], roi_dim[3];
    csf_label_runs roi_runs; /* components of the roi's extra-sac mask, as runs */
    csf_extra *extras;
    size_t nextra;
    csf_levels levels;
    double timing_ms[5];
};

/* Monotonic clock in ms. */
double csf_spine_now_ms(void);

/* Step 1: intensity calibration on a deterministic subsample. */
csf_status csf_spine_calibrate(csf_spine *sp, const csf_exec *ex, csf_error *err);
/* Step 2: per-slice bright components and the longest smooth chain (the sac). */
csf_status csf_spine_track(csf_spine *sp, const csf_exec *ex, csf_error *err);
/* 3D (tip_follow.c): continues the sac below the chain's caudal end while a
 * bright component overlaps the previous slice's sac cross-section (a leak
 * merged beside the tip does not stop it). */
void csf_spine_follow_tip(csf_spine *sp);
/* Step 3: rays, wall radii, widths, local CSF level and thresholds, landmarks. */
csf_status csf_spine_shape(csf_spine *sp, const csf_exec *ex, csf_error *err);
/* Step 3, 2D only (shape_2d.c): lateral walls as running medians of their
 * absolute positions, so a leak that pulls the centre does not move them. */
csf_status csf_spine_walls_2d(csf_spine *sp, csf_error *err);
/* Step 3, 3D only (cord_center.c): a slice centre that lies in a dark
 * structure separated by CSF from the cord (a dark disc enclosed by CSF
 * within 7 mm) moves onto the cord's middle. */
void csf_spine_cord_center(csf_spine *sp);
/* 2D only (shape_2d.c): 1 when the sac narrows over its last 30 mm (a true
 * caudal end, not a coil falloff); needs the widths measured. */
int csf_spine_end_tapers_2d(const csf_spine *sp);
/* 2D only (shape_2d.c): w[q] = the sac's own width (mm) of row k_first + q,
 * the median over one cervical segment of each row's bright run through the
 * centre (not the walls' running median); buf holds 2 (k_last - k_first + 1)
 * + 1 doubles. */
void csf_spine_top_widths_2d(const csf_spine *sp, double *w, double *buf);
/* 2D: the fluid edge is a quarter of the sac's CSF depth (shape.c: a 3 mm
 * sleeve in front of a 12 mm deep sac); on the signal, that fraction raised
 * to the response's exponent (response_2d.c). */
#define EDGE_FRACTION_2D 0.25
/* Step 3b, 2D only (response_2d.c): the exponent g of signal ~ depth^g from
 * the sac's lateral profile (a fluid tube of known cross-section); 1 when
 * it cannot be measured. */
csf_status csf_spine_response_2d(csf_spine *sp, csf_error *err);
/* 2D, after csf_spine_response_2d: each slice's fluid threshold at a quarter
 * of the CSF depth, on the signal through the measured response. */
void csf_spine_edge_by_depth_2d(csf_spine *sp);
/* Step 4: extra-sac fluid components with their measurements. */
csf_status csf_spine_extras_find(csf_spine *sp, const csf_exec *ex, csf_error *err);
/* extras.c: the sac slice that stands for slice k (below the sac's end its
 * last one); the one-voxel margin outside the wall that the extra-sac mask
 * leaves to the partial-volume rim (mm); the signed distance (mm) of voxel
 * (i, j, k) outside the sac wall (radial in the slice, or to the sac's end
 * point below it), with its offset from the slice's centre in dx, dy. */
const csf_sac_slice *csf_spine_ref_slice(const csf_spine *sp, size_t k);
double csf_spine_wall_margin(const csf_spine *sp);
double csf_spine_wall_dist(const csf_spine *sp, size_t k, double i, double j, double *dx, double *dy);
/* 3D (pv_reach.c): continues the lateral reach lat[c] (mm beyond the wall,
 * on side right[c]) of each of the nkept components (map: ROI label ->
 * component, -1 dropped) outward through the voxels that hold a fluid
 * cross-section of at least 0.5 mm^2 (partial volume below half maximum);
 * ml[c] gets the fluid in those voxels (ml, their share of the CSF signal).
 * mask: the ROI's fluid mask (1 above half maximum), used as scratch and
 * left as it was. No change where the voxel face is 1 mm^2 or less, nor in
 * 2D. CSF_ERR_NOMEM without memory. */
csf_status csf_spine_pv_reach(csf_spine *sp, uint8_t *mask, const int32_t *map, size_t nkept, double *lat,
                              const int *right, double *ml, csf_error *err);
/* Step 5: automatic levels from root sleeves and landmarks. */
csf_status csf_spine_levels_auto(csf_spine *sp, csf_error *err);
/* Step 5 for the 2D projection (levels_2d.c): levels from the periodic
 * sleeve signal just outside the lateral walls, counted from an anchor. */
csf_status csf_spine_levels_2d(csf_spine *sp, csf_error *err);
/* World z (mm) of tracked slice k (fractional), on the sac's centre. */
double csf_spine_k_to_z(const csf_spine *sp, double k);
/* The level count of the sleeve exits pz[0..m) (ascending z; 3D and 2D):
 * anchored at S1, an exit s1_gap_mm to 70 mm above the sac end, else at C2,
 * an exit c2_gap_mm to 70 mm below the foramen magnum; then the chain fit
 * below within the tracked sac's z range. Sets sp->levels.method with the
 * anchor; leaves sp->levels empty when there is none. */
csf_status csf_spine_count_chain(csf_spine *sp, const double *pz, size_t m, double s1_gap_mm,
                                 double c2_gap_mm, csf_error *err);
/* 3D (levels_ends.c): after a count from S1 (csf_spine_count_chain) that
 * ends below sleeve pairs it could not reach (a collection hides the pairs
 * of several levels in a row), names the levels above it by the count from
 * C2 (an exit c2_gap_mm to 70 mm below the foramen magnum) when the two
 * counts agree on the gap between them; otherwise leaves sp->levels alone. */
csf_status csf_spine_count_from_top(csf_spine *sp, const double *pz, size_t m, double c2_gap_mm, csf_error *err);
/* The level count as a chain fit (levels_2d.c; the 3D count too): exits
 * pz[0..m) ascending in z, candidate anchor exits cand[0..nc) (nc <= 16),
 * walking up from S1 (up = 1) or down from C2 (up = 0) with the standard
 * segment heights times one subject scale; a step lands on an exit or is
 * skipped (up to two in a row); levels beyond the chain's last exit are
 * extrapolated within [zlo, zhi]. Appends the named levels to lv. */
csf_status csf_spine_fit_chain(const double *pz, size_t m, const double *cand, size_t nc, int up,
                               double zlo, double zhi, csf_levels *lv, csf_error *err);
/* As csf_spine_fit_chain; with gaps != 0 a step may also cross up to 8
 * exits hidden in a row (an epidural collection over their sleeves), its
 * length held to the chain's own pitch within 2 SD of the summed segment
 * heights (levels_2d.c, step_tolerance). The 2D count uses it. */
csf_status csf_spine_fit_chain_gaps(const double *pz, size_t m, const double *cand, size_t nc, int up, int gaps,
                                    double zlo, double zhi, csf_levels *lv, csf_error *err);
/* Typical adult height (mm, body + disc) of the segment below level index
 * idx's root-sleeve exit (levels.c table). */
double csf_level_segment_mm(int idx);

/* Wall radius (mm) of slice s at angle theta (radians), interpolated between rays. */
double csf_sac_radius_at(const csf_sac_slice *s, double theta, int is2d);
/* Labels the bright pixels (> thr) of one slice (nx*ny floats) with 8-connectivity
 * and returns up to `max` candidates with area in [amin, amax] mm^2, largest first.
 * scratch: nx*ny uint32. */
size_t csf_slice_components(const float *slice, size_t nx, size_t ny, double sx, double sy,
                            float thr, double amin, double amax, uint32_t *scratch,
                            csf_slice_cand *cands, size_t max);
/* Median of n doubles ignoring NaN (n small; buf gets sorted copies). NaN when none. */
double csf_median_nan(const double *v, size_t n, double *buf);

#endif
