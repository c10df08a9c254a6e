#ifndef CSFLEAK_SPINE_H
#define CSFLEAK_SPINE_H
/* The spine model of one heavily T2-weighted volume: fluid segmentation, the
 * thecal sac tracked slice by slice along the k (inferior -> superior) axis,
 * the fluid outside the sac as measured components (root sleeves and anything
 * else), and the vertebral levels.
 *
 * The volume must be on the canonical grid of csf_io_read (i left -> right,
 * j posterior -> anterior, k inferior -> superior). A 2D coronal thick-slab
 * projection is a volume with dim[1] == 1: the same code then works on rows.
 * Method and thresholds: docs/analyze.md. */
#include <stddef.h>
#include <stdint.h>
#include "csfleak/error.h"
#include "csfleak/exec.h"
#include "csfleak/volume.h"

/* Rays cast from the sac centre in each axial slice: ray r points at angle
 * 2*pi*r/CSF_SAC_NRAYS in the (i, j) plane measured in mm, from +i (the
 * patient's right in RAS) towards +j (anterior): ray 0 right, NRAYS/4
 * anterior, NRAYS/2 left, 3*NRAYS/4 posterior. */
#define CSF_SAC_NRAYS 16

/* One axial slice of the sac. Lengths in mm, measured in the slice plane;
 * the AP width and area are corrected for the centreline tilt. */
typedef struct csf_sac_slice {
    int present;                   /* 1 when the sac is tracked through this slice */
    double center_vox[2];          /* i, j of the smoothed centreline */
    double center_mm[3];           /* the same in world RAS mm */
    double radius_mm[CSF_SAC_NRAYS]; /* wall distance per ray, median-filtered along z; NaN unknown */
    double width_lr_mm;            /* transverse (left-right) width */
    double width_ap_mm;            /* anterior-posterior width (NaN in 2D) */
    double area_mm2;               /* cross-section (NaN in 2D) */
    double csf_level;              /* local CSF intensity (smoothed along z) */
    double threshold;              /* fluid threshold used in this slice */
} csf_sac_slice;

/* Fluid outside the sac: one connected component with its measurements.
 * "Wall distance" is the radial distance outside the sac wall of the slice. */
#define CSF_DEPTH_BANDS 4
typedef struct csf_extra {
    size_t voxels;
    double volume_ml;
    double center_mm[3];           /* centroid, world RAS */
    double center_vox[3];
    size_t bbox_min[3], bbox_max[3];
    double min_wall_mm;            /* closest approach to the sac wall */
    double max_wall_mm;            /* farthest radial reach beyond the wall */
    double lateral_extent_mm;      /* reach beyond the sac's lateral wall along i (0 if none) */
    double lateral_z_mm;           /* world z where that reach is largest (NaN when none) */
    int lateral_side;              /* CSF_SIDE_LEFT / _RIGHT: the side of that farthest point */
    double craniocaudal_extent_mm; /* extent along k in mm */
    double ap_extent_mm;           /* extent along j in mm */
    double angle_deg;              /* centroid direction from the sac centre: 0 right, 90 anterior */
    double offset_mm[2];           /* mean offset of its voxels from the sac centre of their own
                                      slice: transverse (i) and AP (j) axis, mm (angle_deg's vector) */
    int side;                      /* enum csf_side */
    size_t contact_voxels;         /* voxels within one voxel of the sac wall */
    double inner_bright_fraction;  /* of those, share whose inward neighbour inside the wall is
                                      bright: CSF continuous with the sac (no dura between) */
    double contact_k;              /* mean k of the contact voxels (NaN when none) */
    double contact_z_mm;           /* world z of the contact (or of the centroid when none) */
    double rel_intensity;          /* mean intensity / local CSF level */
    double local_width_mm;         /* sac transverse width at the component's level */
    double inscribed_radius_mm;    /* largest ball inside the component (0 when not computed) */
    double ball_fraction;          /* volume of that ball / component volume (area in 2D) */
    double body_fraction;          /* 3D: share of the component's voxels within half a voxel past
                                      that ball (the digitised round body; see extras.c);
                                      2D: ball_fraction */
    double second_radius_mm;       /* 3D: largest ball inside the component disjoint from that
                                      ball (a second round body, e.g. an adjacent cyst); 0 when
                                      none or not computed */
    double ball_depth_ratio;       /* 2D: mean signal above background within half the
                                      inscribed radius of the ball's centre over that between
                                      half and the full radius (extras.c); NaN in 3D or when
                                      not computed */
    double ball_gap_mm;            /* wall distance of the ball's centre minus its radius: > 0 when
                                      a neck separates the ball from the sac; NaN if not computed */
    double elongation;             /* principal axis ratio */
    size_t depth_voxels[CSF_DEPTH_BANDS]; /* voxels by distance beyond the mask's wall margin, in
                                      bands one voxel deep (band 0 is the contact shell, the last
                                      band holds everything deeper): the radial profile */
    size_t oval_voxels[CSF_DEPTH_BANDS]; /* 3D: of depth_voxels, those lying inside the oval through
                                      the four cardinal wall radii of their slice (the sac's own
                                      CSF beyond an oblique wall stopped early); 2D: 0 */
    double minor_side_fraction;    /* share of voxels on the less populated side (left/right) */
    size_t ap_beyond[2];           /* 3D: voxels lying ventral [0] / dorsal [1] of the sac, beyond
                                      its anterior / posterior wall at their own slice (extras.c,
                                      ap_side); 2D: 0 */
    double axes_mm[3];
    int is_sleeve;                 /* judged a root sleeve (lateral, touching, level-forming) */
    uint32_t label;                /* label in the spine's extra-sac label map (1..) */
} csf_extra;

typedef enum csf_side { CSF_SIDE_LEFT = 0, CSF_SIDE_RIGHT, CSF_SIDE_VENTRAL, CSF_SIDE_DORSAL } csf_side;
/* "left", "right", "ventral", "dorsal". */
const char *csf_side_name(int side);

/* How the vertebral levels were obtained. */
typedef enum csf_level_method {
    CSF_LEVELS_NONE = 0,        /* no confident level: every level is null */
    CSF_LEVELS_SLEEVES_SAC_END, /* root-sleeve pairs counted up from the sac end (S1 is the last pair) */
    CSF_LEVELS_SLEEVES_TOP,     /* root-sleeve pairs counted down from the foramen magnum (C2 first) */
    CSF_LEVELS_USER,            /* --levels landmarks */
    CSF_LEVELS_LABEL_MAP        /* a vertebra / disc label map */
} csf_level_method;
const char *csf_level_method_name(csf_level_method m);

#define CSF_MAX_LEVELS 28 /* C1..C7, T1..T12, L1..L5, S1..S4 */

/* Vertebral levels: name -> world z (mm) of the level's root-sleeve exit. */
typedef struct csf_levels {
    csf_level_method method;
    size_t n;
    char name[CSF_MAX_LEVELS][4];
    double z_mm[CSF_MAX_LEVELS];   /* descending order is not assumed */
} csf_levels;

/* Index 0..27 of "C1".."S4" (case-insensitive), -1 when not a level name. */
int csf_level_index(const char *name);
/* Name of index 0..27 ("C1".."S4"); NULL when out of range. */
const char *csf_level_name(int index);
/* Region of a level index with the junction rule (C7 -> thoracic,
 * T12 -> lumbar): 0 cervical, 1 thoracic, 2 lumbar (sacral counts lumbar). */
int csf_spine_level_region(int index);
const char *csf_region_name(int region);
/* Nearest level to world z: index into lv (not the level index), or -1 when
 * no level is within 0.75 of the local level spacing. */
int csf_levels_nearest(const csf_levels *lv, double z_mm);
/* One root segment near world z: the distance from the nearest level to its
 * nearest other level (mm); NaN when no level is near z or only one is named. */
double csf_levels_spacing_at(const csf_levels *lv, double z_mm);

/* Parses user landmarks "T12=-341.0,L3=-420" (world z mm). At least one;
 * with one landmark the other levels follow a standard height table scaled
 * to the sac. Errors name the bad token. */
csf_status csf_levels_parse(const char *spec, csf_levels *out, csf_error *err);
/* Levels from a label map on any grid: TotalSegmentator vertebrae labels
 * (vertebrae_C1 = 50 ... S1 = 26, the v2 numbering: see docs) or SCT
 * sct_label_vertebrae (1 = C1 ... 7 = C7, 8 = T1 ..., 20 = L1 ... 25 = S1
 * as body labels, or disc labels). `kind` "totalseg" or "sct". Each level's z is the
 * world z of its label centroid. */
csf_status csf_levels_from_label_map(const csf_volume *labels, const char *kind,
                                     csf_levels *out, csf_error *err);

typedef struct csf_spine csf_spine;

/* Options; zero-initialise for defaults. */
typedef struct csf_spine_opts {
    const csf_levels *levels;      /* user or label-map levels; override the automatic ones */
} csf_spine_opts;

/* Runs fluid segmentation, sac tracking, extra-sac components and levels on
 * `vol` (frame 0). *out (caller frees with csf_spine_free) is set on CSF_OK
 * even when no sac is found (csf_spine_found() == 0). */
csf_status csf_spine_analyze(const csf_volume *vol, const csf_spine_opts *opts,
                             csf_spine **out, const csf_exec *ex, csf_error *err);
void csf_spine_free(csf_spine *sp);

/* The analysed volume (borrowed from the caller of csf_spine_analyze). */
const csf_volume *csf_spine_volume(const csf_spine *sp);
/* 1 when a sac was tracked over at least 20 mm. */
int csf_spine_found(const csf_spine *sp);
/* 1 for the 2D projection protocol (dim[1] == 1). */
int csf_spine_is_2d(const csf_spine *sp);
/* Per-slice sac records, n = dim[2]; k range where the sac is present. */
const csf_sac_slice *csf_spine_slices(const csf_spine *sp, size_t *n, size_t *k_first,
                                      size_t *k_last);
/* Extra-sac components (owned by the spine). */
const csf_extra *csf_spine_extras(const csf_spine *sp, size_t *n);
const csf_levels *csf_spine_levels(const csf_spine *sp);
/* Landmarks in k (NaN when not seen): the sac's caudal end, the top of the
 * spinal sac (foramen magnum). */
void csf_spine_landmarks(const csf_spine *sp, double *k_end, double *k_top);
/* Intensity calibration: background level, global fluid threshold, and
 * whether the contrast looks heavily T2-weighted (fluid much brighter than
 * everything else) with a reason when not. */
void csf_spine_contrast(const csf_spine *sp, double *background, double *threshold,
                        int *heavy_t2, const char **reason);
/* Standard deviation of the image noise, from the calibration sample
 * ((median - 25th percentile) / 0.674, Gaussian noise), in intensity units. */
double csf_spine_noise_sd(const csf_spine *sp);
/* Median over the sac of CSF intensity / intensity 3-8 mm outside the wall
 * (NaN without sac): ~1-2 on T1 or T2*, ~3-7 on standard T2, > 10 on MR myelography. */
double csf_spine_contrast_ratio(const csf_spine *sp);
/* Median over the sac of the fraction of fluid-bright voxels 3-8 mm outside
 * the wall: near 0 on fat-suppressed MR myelography, high when fat is bright. */
double csf_spine_bright_shell(const csf_spine *sp);
/* 2D: the exponent g of the scanner's intensity response, signal above
 * background ~ (depth of fluid along the beam)^g, measured on the sac's own
 * lateral profile (a fluid tube of known cross-section; response_2d.c);
 * 1 in 3D or when it cannot be measured. */
double csf_spine_depth_exponent(const csf_spine *sp);
/* Signal above background s -> a value linear in the depth of fluid
 * (s^(1/g), odd in s so that noise about zero stays centred); s itself
 * when g is 1. Units: intensity^(1/g); use in ratios only. */
double csf_spine_linear_depth(const csf_spine *sp, double s);
/* Sac transverse width (mm) at world z, NaN outside the tracked range. */
double csf_spine_width_at_z(const csf_spine *sp, double z_mm);
/* Writes 1 for sac voxels, 2 for root sleeves, 3+i for extra component i
 * (when extra_labels != NULL gives the caller's value per extra; 0 = none)
 * into labels (nvox, caller-owned, zeroed first). */
csf_status csf_spine_label_map(const csf_spine *sp, const uint16_t *extra_labels,
                               uint16_t *labels, csf_error *err);
/* Lateral reach profile of extra component e (3D; lat_profile.c): for each
 * slice k < dim[2], right[k] / left[k] (caller-owned, dim[2] doubles each) get
 * the largest reach (mm) of its voxels beyond the sac's right / left cardinal
 * wall in that slice, measured as csf_extra.lateral_extent_mm is; -INFINITY
 * where it has no voxel on that side or the sac is not tracked (and in 2D).
 * CSF_ERR_INVALID_ARG when e is out of range. */
csf_status csf_spine_lateral_profile(const csf_spine *sp, size_t e, double *right, double *left,
                                     csf_error *err);
/* Fluid of one extra component on the far side of the coronal plane through
 * the sac's centre, slice by slice (3D; lat_profile.c): the dorsal half when
 * far_dorsal (a ventral collection), else the ventral half. right[k] /
 * left[k] get its voxel count on either side of the centre; wrap[k] is 1
 * where one of those voxels lies within half the lateral wall radius of the
 * midline (the collection wraps round the sac there). Arrays are
 * caller-owned, dim[2] entries each; all 0 in 2D or without a sac. */
typedef struct csf_far_profile {
    double *right, *left;
    unsigned char *wrap;
} csf_far_profile;
csf_status csf_spine_far_profile(const csf_spine *sp, size_t e, int far_dorsal, csf_far_profile *fp,
                                 csf_error *err);
/* Millisecond timings of the steps, in order: calibrate, track, shape, extras, levels. */
void csf_spine_timing(const csf_spine *sp, double ms[5]);

#endif
