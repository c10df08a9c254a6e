#ifndef CSFLEAK_DETECT_H
#define CSFLEAK_DETECT_H
/* Leak detection and grading on a spine model: every extra-sac fluid
 * component is classified with measured features (leak graded 1-3 on the MR
 * myelography scale, perineural cyst, SLEC, meningeal diverticulum, or
 * ignored fluid), the region grades follow the junction rule, and the dural
 * sac is measured per level. Rules and thresholds: docs/analyze.md. */
#include <stddef.h>
#include "csfleak/error.h"
#include "csfleak/spine.h"

typedef enum csf_finding_kind {
    CSF_FIND_LEAK = 0,
    CSF_FIND_CYST,         /* perineural (Tarlov) cyst */
    CSF_FIND_SLEC,         /* spinal longitudinal extradural CSF collection */
    CSF_FIND_DIVERTICULUM, /* meningeal diverticulum */
    CSF_FIND_IGNORED       /* non-spinal fluid, facet effusion, normal sleeve: not reported */
} csf_finding_kind;
/* "leak", "perineural_cyst", "slec", "diverticulum", "ignored". */
const char *csf_finding_kind_name(int kind);

/* One classified component with the evidence that decided it. */
typedef struct csf_finding {
    int kind;                      /* csf_finding_kind */
    int grade;                     /* leaks 1..3, else 0 */
    int region;                    /* 0 cervical, 1 thoracic, 2 lumbar; -1 unknown level */
    int level_index;               /* csf_level_index, -1 unknown */
    int level_to_index;            /* SLEC: lowest level reached, -1 unknown */
    int side;                      /* csf_side */
    double center_mm[3];           /* world RAS */
    double lateral_extent_mm;      /* beyond the lateral sac wall */
    double craniocaudal_extent_mm;
    double volume_ml;
    /* deciding features */
    double local_width_mm;         /* transverse sac width at the level */
    double extension_ratio;        /* (lateral extent - normal sleeve extent) / local width */
    double sleeve_ratio;           /* volume / median volume of the neighbouring normal sleeves */
    double ball_fraction;
    double inscribed_radius_mm;
    double min_wall_mm;
    double rel_intensity;
    double elongation;
    double continuity;             /* inner_bright_fraction of the component */
    double ref_reach_mm;           /* lateral reach of the normal sleeves it was compared with */
    char reason[160];              /* one line: the rule that fired */
    size_t extra_index;            /* into csf_spine_extras() */
    int arm;                       /* 1: a leak that is the lateral arm of a longitudinal
                                      collection (same extra as its SLEC finding); placed at
                                      the arm's farthest lateral point */
} csf_finding;

/* Dural sac at one level. */
typedef struct csf_sac_level {
    int level_index;
    double z_mm, width_lr_mm, width_ap_mm, area_mm2;
} csf_sac_level;

typedef struct csf_analysis {
    int assessable;                /* 0: contrast or sac not usable; see reason */
    char reason[200];
    int region_assessed[3];        /* region inside the field of view with known levels */
    int region_grade[3];           /* 0..3 when assessed */
    int fov_grade;                 /* highest leak grade anywhere (levels known or not) */
    int slec_present;
    int slec_from, slec_to;        /* level indices, -1 unknown */
    int positive;                  /* any leak grade >= 1 or an SLEC */
    csf_finding *findings;         /* reported findings (no ignored ones) */
    size_t nfindings;
    size_t nignored;               /* components judged normal sleeves or not spinal */
    csf_sac_level *sac;            /* per level inside the field of view */
    size_t nsac;
    /* dural ectasia indicators (L1-S1); NaN when the levels are not in view */
    double ectasia_ap_s1_mm;       /* sac AP diameter at S1 */
    double ectasia_ratio;          /* max AP at L5-S1 / median AP at L1-L3 */
    int ectasia_suspected;
    double timing_ms;              /* classification step */
} csf_analysis;

/* Classifies the spine's extra-sac components. *out (free with
 * csf_analysis_free) is set on CSF_OK; a spine without sac gives an analysis
 * with assessable = 0. */
csf_status csf_detect_run(const csf_spine *sp, csf_analysis **out, csf_error *err);
void csf_analysis_free(csf_analysis *a);

/* The one-line caveat every front-end shows with an analysis (CLI, Orthanc,
 * report): why it is not assessable, or that no vertebral level could be
 * fixed so levels and regions are null; NULL when there is none. The string
 * is a's reason or a static text. */
const char *csf_analysis_caveat(const csf_analysis *a, const csf_spine *sp);

/* Combines the analyses of several stations of one spine: a region is
 * assessed when any station assessed it, its grade is the highest. */
typedef struct csf_combined {
    int assessable;                /* any station assessable */
    int region_assessed[3];
    int region_grade[3];
    int fov_grade;
    int slec_present, slec_from, slec_to;
    int positive;
} csf_combined;
void csf_analysis_combine(const csf_analysis *const *a, size_t n, csf_combined *out);

/* Per-extra output label for csf_spine_label_map: 10 + finding index for
 * reported findings, 2 for normal sleeves, 0 otherwise. labels has one entry
 * per extra (csf_spine_extras count). */
void csf_analysis_extra_labels(const csf_analysis *a, const csf_spine *sp, uint16_t *labels);

#endif
