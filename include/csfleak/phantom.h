#ifndef CSFLEAK_PHANTOM_H
#define CSFLEAK_PHANTOM_H
/* Synthetic heavily T2-weighted MR myelograms with known ground truth.
 *
 * A phantom is a continuous anatomical model (world RAS mm) built from a spec:
 * thecal sac, cord, root sleeves, vertebrae, non-CSF fluid, and pathology (leaks
 * graded 1-3, perineural cysts, SLEC, meningeal diverticula, dural ectasia). It is
 * rendered by sampling the model on any voxel grid (3D at any voxel size and
 * orientation, or the 2D coronal thick-slab protocol), with partial-volume edges,
 * a smooth bias field and Rician noise. Everything is a pure function of the
 * spec: the same seed gives the same voxels on any thread count.
 * Model and parameter sources: docs/phantom.md. */
#include <stddef.h>
#include <stdint.h>
#include "csfleak/error.h"
#include "csfleak/exec.h"
#include "csfleak/volume.h"

#define CSF_PHANTOM_MAX_LEAKS 16
#define CSF_PHANTOM_MAX_CYSTS 8
#define CSF_PHANTOM_MAX_DIVERTICULA 8
#define CSF_PHANTOM_NLEVELS 28 /* C1..C7, T1..T12, L1..L5, S1..S4 */

typedef enum csf_phantom_side { CSF_PH_LEFT = 0, CSF_PH_RIGHT = 1 } csf_phantom_side;
typedef enum csf_phantom_protocol { CSF_PH_3D = 0, CSF_PH_2D = 1 } csf_phantom_protocol;

/* Label values of the label map; finding i of the truth has CSF_PH_LABEL_FINDING + i. */
enum csf_phantom_label {
    CSF_PH_LABEL_SAC = 1,
    CSF_PH_LABEL_CORD = 2,
    CSF_PH_LABEL_SLEEVE = 3,
    CSF_PH_LABEL_ROOTS = 4,     /* cauda equina, dark inside the sac */
    CSF_PH_LABEL_MIMIC = 5,     /* fluid that is not CSF: urine, bile, bowel, facets */
    CSF_PH_LABEL_VEIN = 6,      /* epidural veins, intermediate signal */
    CSF_PH_LABEL_BONE = 7,      /* vertebral bodies and discs */
    CSF_PH_LABEL_FINDING = 100
};

typedef struct csf_phantom_leak {
    int level;  /* level index (csf_phantom_level_index), C2..S1 */
    int side;   /* csf_phantom_side */
    int grade;  /* 1..3, the MR myelography scale */
} csf_phantom_leak;

typedef struct csf_phantom_cyst {
    int level;      /* C2..S3; S2/S3 hang from the caudal sac */
    int side;
    double size_mm; /* diameter, 0 = random 5..20 */
} csf_phantom_cyst;

typedef struct csf_phantom_spec {
    uint64_t seed;             /* subject anatomy, pathology details and noise */
    int nleaks;
    csf_phantom_leak leaks[CSF_PHANTOM_MAX_LEAKS];
    int ncysts;
    csf_phantom_cyst cysts[CSF_PHANTOM_MAX_CYSTS];
    int ndiverticula;          /* meningeal diverticula; size_mm 0 = random 4..9 */
    csf_phantom_cyst diverticula[CSF_PHANTOM_MAX_DIVERTICULA];
    int slec;                  /* 1 = SLEC present */
    int slec_from, slec_to;    /* level indices, from above to */
    int slec_dorsal;           /* 0 ventral, 1 dorsal */
    int ectasia;               /* 1 = lumbosacral dural ectasia */
    int mimics;                /* 1 = non-CSF fluid and facet effusions (default 1) */
    csf_phantom_protocol protocol;
    int stations;              /* 1 or 2 (cervicothoracic + thoracolumbar) */
    double voxel_mm[3];        /* along storage axes i,j,k; 0 = protocol default */
    char orient[4];            /* storage axis code, e.g. "RAS", "LPS", "PSR" */
    double snr;                /* CSF signal / noise sigma; <= 0 = no noise */
    int bias;                  /* 1 = smooth bias field + station edge falloff */
    int crop;                  /* 1 = limit the field of view to crop_z_mm */
    double crop_z_mm[2];       /* world z range (low, high), with crop */
    double tilt_deg;           /* oblique acquisition: grid rotated about the world x
                                * axis (sagittal-plane tilt), -30..30 degrees */
} csf_phantom_spec;

/* Defaults: healthy subject, 3D 1 mm isotropic RAS, one station, SNR 30, bias on. */
void csf_phantom_spec_init(csf_phantom_spec *spec, uint64_t seed);
/* Random pathology drawn from the seed (about a third controls), protocol and
 * acquisition fields left as they are. */
void csf_phantom_spec_randomize(csf_phantom_spec *spec, uint64_t seed);

/* Level names "C1".."S4" <-> index 0..27; -1 / NULL when unknown. */
int csf_phantom_level_index(const char *name);
const char *csf_phantom_level_name(int index);
/* 0 cervical, 1 thoracic, 2 lumbar with the junction rule (C7 -> thoracic,
 * T12 -> lumbar, sacral -> lumbar). */
int csf_phantom_level_region(int index);
const char *csf_phantom_region_name(int region);

/* Parsers for the command-line forms; errors name the argument. */
csf_status csf_phantom_parse_leak(const char *arg, csf_phantom_leak *out, csf_error *err);
/* "LEVEL:SIDE[:SIZE_MM]" */
csf_status csf_phantom_parse_cyst(const char *arg, csf_phantom_cyst *out, csf_error *err);
/* "FROM-TO:ventral|dorsal" into spec->slec* */
csf_status csf_phantom_parse_slec(const char *arg, csf_phantom_spec *spec, csf_error *err);
/* "RAS", "LPS", "PSR", ...: three distinct axes. */
int csf_phantom_orient_valid(const char *code);

/* The phantom's counter-based RNG, for callers that derive case seeds and
 * designs: a pure function of (key, counter), the same on every machine. */
uint64_t csf_phantom_hash(uint64_t key, uint64_t counter);
/* Uniform in [0,1) from (key, *counter); advances *counter. */
double csf_phantom_uniform(uint64_t key, uint64_t *counter);

typedef struct csf_phantom csf_phantom;

/* Builds the continuous model (no voxels yet). Validates the spec: levels in
 * range, grades 1..3, at most one finding per level and side. */
csf_status csf_phantom_new(const csf_phantom_spec *spec, csf_phantom **out, csf_error *err);
void csf_phantom_free(csf_phantom *ph);
size_t csf_phantom_nstations(const csf_phantom *ph);

/* Renders station `station` (0-based): *image holds int16-valued floats,
 * *labels (when labels is not NULL) the label map on the same grid. Both are
 * owned by the caller. Bit-identical for any thread count. */
csf_status csf_phantom_render(const csf_phantom *ph, size_t station, csf_volume **image,
                              csf_volume **labels, const csf_exec *ex, csf_error *err);

/* Ground truth as JSON text (schema "csfleak.truth/1", docs/phantom.md);
 * station_files (may be NULL) names the image file of each station. Caller frees. */
csf_status csf_phantom_truth_json(const csf_phantom *ph, const char *const *station_files,
                                  char **out, csf_error *err);
/* The same written atomically to `path`. */
csf_status csf_phantom_write_truth(const csf_phantom *ph, const char *path,
                                   const char *const *station_files, csf_error *err);

#endif
