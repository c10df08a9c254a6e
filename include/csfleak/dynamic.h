#ifndef CSFLEAK_DYNAMIC_H
#define CSFLEAK_DYNAMIC_H
/* Time-resolved studies: dynamic CT myelography (CTM), digital subtraction
 * myelography (DSM) and radioisotope cisternography (RIC). Frames are pushed
 * one at a time (the analyzer never holds the series), then `finish` returns
 * where and when contrast first left the thecal sac. docs/dynamic.md. */
#include <stddef.h>
#include <stdint.h>
#include "csfleak/error.h"
#include "csfleak/exec.h"
#include "csfleak/volume.h"

typedef enum csf_dyn_modality { CSF_DYN_CTM = 0, CSF_DYN_DSM = 1, CSF_DYN_RIC = 2 } csf_dyn_modality;
typedef enum csf_dyn_kind { CSF_DYN_LEAK = 0, CSF_DYN_CVF = 1, CSF_DYN_DIVERTICULUM = 2 } csf_dyn_kind;
typedef enum csf_dyn_side {
    CSF_DYN_LEFT = 0, CSF_DYN_RIGHT = 1, CSF_DYN_VENTRAL = 2, CSF_DYN_DORSAL = 3
} csf_dyn_side;

/* "ctm", "dsm", "ric"; parse returns 0 on success, -1 otherwise. */
const char *csf_dyn_modality_name(csf_dyn_modality m);
int csf_dyn_modality_parse(const char *s, csf_dyn_modality *out);
/* "leak", "cvf", "diverticulum" / "left", "right", "ventral", "dorsal". */
const char *csf_dyn_kind_name(csf_dyn_kind k);
const char *csf_dyn_side_name(csf_dyn_side s);

/* ------------------------------------------------------------------ */
/* Vertebral levels (src/dynamic/levels.c)                             */

#define CSF_DYN_MAX_LEVELS 28 /* C1..C7, T1..T12, L1..L5, S1..S4 */

/* Level centres in world z (mm), as `analyze --levels` takes them. */
typedef struct csf_dyn_levels {
    size_t n;                       /* 0: levels unknown, every level is null */
    int index[CSF_DYN_MAX_LEVELS];  /* 0 = C1 ... 27 = S4, ascending */
    double z_mm[CSF_DYN_MAX_LEVELS];
} csf_dyn_levels;

/* Index 0..27 of "C1".."S4" (case-insensitive), -1 otherwise; and back (NULL
 * when out of range). */
int csf_dyn_level_index(const char *name);
const char *csf_dyn_level_name(int index);
/* Region of a level index with the junction rule (C7 -> thoracic, T12 ->
 * lumbar): 0 cervical, 1 thoracic, 2 lumbar (sacral counts lumbar). */
int csf_dyn_level_region(int index);
/* "T12=-341.0,L3=-420": world z (mm) of vertebral level centres. Missing
 * levels between landmarks are interpolated by index; one landmark extends to
 * its neighbours with standard vertebral heights (C 16, T 22, L 30, S 25 mm).
 * Errors name the bad token. */
csf_status csf_dyn_levels_parse(const char *spec, csf_dyn_levels *out, csf_error *err);
/* Level index at world z: the nearest centre, or -1 when z lies more than
 * 0.75 of the local level spacing from every centre (outside the known span). */
int csf_dyn_levels_at(const csf_dyn_levels *lv, double z_mm);

/* How the levels of a result were obtained. method: "user_landmarks"
 * (--levels), "bone_sacrum", "bone_ribs_t12", "bone_ribs_t1",
 * "bone_sacrum_ribs" (found in the images) or "none"; reason says why in
 * plain words (for "none": why the field of view cannot fix them). */
typedef struct csf_dyn_levels_info {
    char method[32];
    char reason[192];
} csf_dyn_levels_info;

/* Vertebral levels from the bones of a reference frame (src/dynamic/vfind.c,
 * vprof.c): CT in HU (3-D, axial slices) or a raw DSM mask frame as -ln I
 * (2-D frontal). The disc spaces are the dips of bone density along the
 * column of vertebral bodies; the vertebrae between them are named from the
 * sacrum (L5 above it) or the rib transitions (last rib T12, first rib T1).
 * out->n = 0 and info->reason when the field of view cannot fix the count
 * (also for RIC: no bone). Never reads any truth. CSF_ERR_NOMEM only. */
csf_status csf_dyn_levels_find(const csf_volume *ref, csf_dyn_modality m, csf_dyn_levels *out,
                               csf_dyn_levels_info *info, csf_error *err);

/* ------------------------------------------------------------------ */
/* Analysis (src/dynamic/analyzer.c, track.c, sites.c, ric.c)          */

typedef struct csf_dyn_params {
    csf_dyn_modality modality;
    const csf_dyn_levels *levels;  /* NULL or n == 0: found in frame 0 (CTM, raw DSM) if
                                      possible (csf_dyn_levels_find), else null */
    int dsm_subtracted;            /* DSM: -1 auto, 0 raw frames (frame 0 is the mask), 1 pre-subtracted */
    int motion;                    /* 1: correct rigid shifts against frame 0 (CTM, raw DSM) */
    double isotope_half_life_h;    /* RIC decay correction; <= 0 means In-111 (67.3 h) */
} csf_dyn_params;
/* Defaults: motion on, DSM auto, In-111. */
void csf_dyn_params_init(csf_dyn_params *p, csf_dyn_modality m);

/* One extrathecal site as first seen. */
typedef struct csf_dyn_site {
    size_t frame;          /* 0-based frame where it first exceeded a root sleeve's size */
    double time;           /* s (CTM, DSM) or h (RIC) */
    int level;             /* level index, -1 = null */
    csf_dyn_side side;
    csf_dyn_kind kind;
    double center_mm[3];   /* world RAS mm at first appearance */
    double size_first;     /* mm3 (CTM) or mm2 (DSM, RIC) at first appearance */
    double size_max;       /* largest size over the series */
    double length_mm;      /* geodesic length at its largest */
    double width_mm;       /* mean diameter: 2 sqrt(volume / (pi length)); projected: area / length */
    double reach_mm;       /* farthest distance from the sac wall */
} csf_dyn_site;

/* Curves, one record per frame. */
typedef struct csf_dyn_frame {
    double time;            /* s or h */
    double extrathecal;     /* mm3 (CTM), mm2 (DSM) or counts (RIC) outside the sac */
    double sac_top_mm;      /* world z of the highest / lowest filled sac slice (NaN: none) */
    double sac_bottom_mm;
    double sac_height_mm;   /* top - bottom (0 when none) */
    double shift_vox[3];    /* motion correction applied (voxels, canonical axes) */
    double intrathecal;     /* RIC: counts in the canal column and head; others: mm3/mm2 of sac contrast */
} csf_dyn_frame;

typedef struct csf_dyn_result {
    csf_dyn_modality modality;
    size_t nframes;
    csf_dyn_frame *frames;    /* nframes records */
    size_t nsites;
    csf_dyn_site *sites;      /* in order of appearance */
    int flooded;              /* extrathecal contrast over most of the spine when first seen */
    char note[256];           /* plain-language summary / reason ("" when none) */
    /* RIC only */
    int region_grade[3];      /* cervical, thoracic, lumbar: 0..3 on the RIC scale; -1 not in view */
    int bladder_early;        /* bladder activity before 4 h */
    int convexity_absent_24h; /* -1: no frame at >= 20 h; 1: absent */
    int fast_clearance;       /* -1: fewer than two frames */
    double clearance_half_h;  /* decay-corrected intrathecal half-time, NaN when unknown */
    int positive;             /* RIC: any region grade >= 1; CTM/DSM: any site */
    double canal_width_mm;    /* transverse diameter of the contrast / activity column */
    uint8_t *key_rgb;         /* CTM/DSM: coronal projection of the contrast at the first
                                 site's frame (RGB, key_w x key_h, superior at the top), or NULL */
    size_t key_w, key_h, key_frame;
    csf_dyn_levels levels;    /* the levels used (given or found; n == 0: none) */
    csf_dyn_levels_info levels_info;
} csf_dyn_result;

void csf_dyn_result_free(csf_dyn_result *r);

typedef struct csf_dyn_analyzer csf_dyn_analyzer;

/* The analyzer copies *p (and the levels). */
csf_status csf_dyn_analyzer_new(const csf_dyn_params *p, csf_dyn_analyzer **out, csf_error *err);
/* Frame `frame` (its frame 0 is used) at `time` (s; h for RIC). The grid must
 * match the first frame's; frames must come in time order. The analyzer may
 * modify frame->data (motion correction in place) but does not keep it.
 * CSF_ERR_FORMAT for a mismatched grid, non-increasing time or a CTM/DSM
 * frame that is not 2-D or 3-D as the modality requires. */
csf_status csf_dyn_analyzer_push(csf_dyn_analyzer *a, csf_volume *frame, double time,
                                 const csf_exec *ex, csf_error *err);
/* Ends the series; *out owned by the caller (csf_dyn_result_free). At least
 * two frames are needed for CTM and DSM (frame 0 is the reference). */
csf_status csf_dyn_analyzer_finish(csf_dyn_analyzer *a, csf_dyn_result **out, csf_error *err);
void csf_dyn_analyzer_free(csf_dyn_analyzer *a);

/* Whole series from files: one 4-D NIfTI (frames streamed from disk), one
 * DICOM directory holding a 4-D series, or a list of 3-D/2-D files (or DICOM
 * directories) in time order. Frame times (s from the first frame; h for
 * RIC): `times` (n = ntimes) if given, else the sidecar JSON times (DICOM
 * conversion, or x.json beside x.nii[.gz]), else the header's frame spacing,
 * else 1 s (1 h) apart. CSF_ERR_FORMAT (naming the file) when sidecar times
 * are inconsistent: present for some frames only, not increasing, or a
 * per-volume list of the wrong length. */
csf_status csf_dyn_analyze_paths(const char *const *paths, size_t npaths, const double *times,
                                 size_t ntimes, const csf_dyn_params *p, const csf_exec *ex,
                                 csf_dyn_result **out, csf_error *err);

/* Frame times from a BIDS sidecar JSON as dcm2niix writes it (-b y)
 * (src/dynamic/sidecar.c). Used by csf_dyn_analyze_paths for DICOM series
 * directories (the sidecar of the conversion) and for NIfTI files with a
 * sidecar beside them (x.nii.gz -> x.json). Precedence of frame times:
 * --times, then the sidecars, then the NIfTI header's frame spacing. */
typedef struct csf_dyn_sidecar {
    double acq_s;   /* AcquisitionDateTime (s since 1970) or AcquisitionTime (s after
                       midnight); NaN when absent */
    int has_date;   /* acq_s includes the date (no midnight ambiguity) */
    size_t nvol;    /* per-volume start times (FrameTimesStart, else VolumeTiming); 0 none */
    double *vol_s;  /* nvol times in s, strictly increasing; owned */
} csf_dyn_sidecar;
/* Parses text (may be NULL: an error); `name` (the file) is named in errors:
 * CSF_ERR_FORMAT for text that is not a JSON object (truncated, nonsense), a
 * time that does not parse, per-volume times that are not increasing
 * numbers. Keys absent are not errors. out released on failure. */
csf_status csf_dyn_sidecar_parse(const char *text, const char *name, csf_dyn_sidecar *out,
                                 csf_error *err);
void csf_dyn_sidecar_release(csf_dyn_sidecar *s);

/* "csfleak.dynamic/1" JSON (malloc'd text, caller frees). */
csf_status csf_dyn_result_json(const csf_dyn_result *r, const csf_dyn_levels *lv, char **out,
                               csf_error *err);
/* curves.png (extrathecal size and sac height per frame) and, when there is
 * a site, key_frame.png (the contrast at the first site's frame) into dir. */
csf_status csf_dyn_write_curves_png(const csf_dyn_result *r, const char *dir, csf_error *err);

/* ------------------------------------------------------------------ */
/* Rigid motion (src/dynamic/motion.c)                                 */

/* Shift (voxels, canonical axes) that moves `mov` onto `ref` (mov(x + s)
 * matches ref(x)), from normalised cross-correlation of the derivative of
 * axis profiles of intensities clipped to [lo, hi]; parabolic sub-voxel
 * peak; |s| <= max_shift. Axes of size 1 get 0. */
csf_status csf_dyn_motion_estimate(const csf_volume *ref, const csf_volume *mov, double lo,
                                   double hi, int max_shift, double shift[3], csf_error *err);
/* Resamples frame 0 of vol in place by shift (linear along each axis, edge
 * values replicated); parallel over slices / columns, identical for any
 * thread count (every voxel is computed independently of the chunking). */
csf_status csf_dyn_motion_apply(csf_volume *vol, const double shift[3], const csf_exec *ex,
                                csf_error *err);

/* ------------------------------------------------------------------ */
/* Phantoms (src/dynamic/phantom*.c)                                   */

typedef enum csf_dyn_ph_kind {
    CSF_DYN_PH_NONE = 0, CSF_DYN_PH_VENTRAL, CSF_DYN_PH_LATERAL, CSF_DYN_PH_CVF,
    CSF_DYN_PH_DIVERTICULUM, CSF_DYN_PH_FLOODED, CSF_DYN_PH_RANDOM
} csf_dyn_ph_kind;
/* "none", "ventral", "lateral", "cvf", "diverticulum", "flooded", "random";
 * "leak" parses as ventral-or-lateral chosen by the seed. */
int csf_dyn_ph_kind_parse(const char *s, csf_dyn_ph_kind *out, int *leak_any);

typedef struct csf_dyn_phantom_opts {
    csf_dyn_modality modality;
    csf_dyn_ph_kind kind;
    int leak_any;           /* kind "leak": ventral or lateral by the seed */
    uint64_t seed;
    double scale;           /* grid scale: 1 = test size (about 1.5 mm CT voxels); 2 = finer */
    size_t nframes;         /* 0 = default (CTM 8, DSM 24, RIC 5) */
} csf_dyn_phantom_opts;

/* A series with known truth: *vol has all frames (dim[3]); times[] (caller
 * frees) in s or h; truth_json the csfleak.truth/1 text (caller frees); the
 * levels are the phantom's own (also in the truth as "levels"). */
csf_status csf_dyn_phantom_make(const csf_dyn_phantom_opts *o, csf_volume **vol, double **times,
                                char **truth_json, csf_dyn_levels *levels, csf_error *err);

#endif
