#ifndef CSFLEAK_DYN_INTERNAL_H
#define CSFLEAK_DYN_INTERNAL_H
/* Pieces shared by src/dynamic files; not public API. */
#include <stdint.h>

#include "csfleak/dynamic.h"

/* Per-slice model of the contrast column, set when the slice first fills. */
typedef struct dyn_slice {
    int filled;
    double cx, cy;   /* centroid (voxels) */
    double r_mm;     /* equivalent radius (CTM) or half width (DSM) */
} dyn_slice;

/* A tracked extrathecal site. */
typedef struct dyn_site {
    csf_dyn_site pub;
    double *size;        /* per frame size (nframes_cap entries) */
    double cov_at_max[6];/* xx, yy, zz, xy, xz, yz (mm^2) at the largest size */
    double mean_at_max[3];
    double geo_at_max;   /* geodesic length (mm) of its largest component at the largest size */
    int bilateral;       /* projection: first seen as bands either side of the column */
} dyn_site;

/* One connected component of the extrathecal mask (sparse). */
typedef struct dyn_comp {
    size_t n;               /* voxels */
    double sum[3], sum2[6]; /* moments of voxel centres in mm (axis-aligned grid) */
    size_t zmin, zmax;
    double reach_mm;        /* farthest distance beyond the sac wall */
    double geo_mm;          /* geodesic length */
    int site;               /* overlapping site index, -1 none */
} dyn_comp;

struct csf_dyn_analyzer {
    csf_dyn_params p;
    csf_dyn_levels lv;
    csf_dyn_levels_info lv_info;
    size_t nframes, cap;
    csf_dyn_frame *frames;
    size_t dim[3];
    double spacing[3];
    double affine[4][4];
    csf_volume *ref;       /* frame 0 in the analysis domain (CTM HU, DSM -ln I), 3x3x3 max */
    double *ref_prof;      /* motion profiles of frame 0 */
    uint8_t *mask;         /* contrast mask of the current frame (borrowed: the frame's memory) */
    uint16_t *sitemap;     /* site index + 1 per voxel, 0 none */
    dyn_slice *slices;     /* dim[2] */
    dyn_slice *model;      /* smoothed column model for the current frame */
    double sac_signal;     /* running estimate of the column's contrast level */
    double clip[2];        /* profile clipping for motion */
    int sign;              /* pre-subtracted DSM: +1 / -1 contrast polarity, 0 unknown */
    size_t nsites, sites_cap;
    dyn_site *sites;
    int flood_checked, flooded;
    uint8_t *key_rgb;      /* coronal projection at the first site's frame (owned) */
    size_t key_w, key_h, key_frame;
    struct dyn_ric *ric;   /* RIC state */
};

/* Axis profiles of v (dim[0] + dim[1] + dim[2] doubles, malloc'd) and the
 * shift of mov against such reference profiles (motion.c). */
csf_status csf_dyn_motion_profiles(const csf_volume *v, double lo, double hi, double **out,
                                   csf_error *err);
csf_status csf_dyn_motion_from_profiles(const double *ref_prof, const csf_volume *mov, double lo,
                                        double hi, int max_shift, double shift[3], csf_error *err);
/* 3x3x3 running maximum in place (singleton axes skipped) (motion.c). */
csf_status csf_dyn_max_filter(csf_volume *v, csf_error *err);

/* Per-frame work for CTM/DSM (track.c). */
csf_status csf_dyn_track_frame(csf_dyn_analyzer *a, csf_volume *f, const csf_exec *ex,
                               csf_error *err);
/* Extrathecal components (mask value 1; the column is marked 2 by the
 * caller) -> sites (sites.c). */
csf_status csf_dyn_sites_update(csf_dyn_analyzer *a, double *extra_size, csf_error *err);
/* Coronal key image of the current mask (png.c): column grey, extrathecal
 * red, superior at the top. */
csf_status csf_dyn_key_image(csf_dyn_analyzer *a, csf_error *err);
/* Kinds and sides at the end (sites.c). */
void csf_dyn_sites_classify(csf_dyn_analyzer *a);
/* Voxel size unit: mm3 per voxel (3-D) or mm2 per pixel (a singleton axis). */
double csf_dyn_unit(const csf_dyn_analyzer *a);
/* Is voxel (x, y) of slice z inside the column model (with its margin)? */
int csf_dyn_in_sac(const csf_dyn_analyzer *a, size_t x, size_t y, size_t z);
/* Distance (mm) of (x, y) beyond the model wall of slice z; NaN without model. */
double csf_dyn_beyond_wall(const csf_dyn_analyzer *a, double x, double y, size_t z);

/* RIC (ric.c). */
csf_status csf_dyn_ric_push(csf_dyn_analyzer *a, const csf_volume *f, double time_h,
                            csf_error *err);
csf_status csf_dyn_ric_finish(csf_dyn_analyzer *a, csf_dyn_result *r, csf_error *err);
void csf_dyn_ric_free(struct dyn_ric *s);

/* Counter-based RNG (SplitMix64 of seed and counter): deterministic by seed,
 * independent of call order across streams. */
uint64_t csf_dyn_rng_u64(uint64_t seed, uint64_t counter);
double csf_dyn_rng_unif(uint64_t seed, uint64_t counter);   /* [0, 1) */
double csf_dyn_rng_normal(uint64_t seed, uint64_t counter); /* N(0, 1) */

/* Phantom geometry shared between the frame renderer and the bench. */
typedef struct dyn_ph {
    csf_dyn_phantom_opts o;
    size_t dim[3];
    double sp[3];
    size_t nframes;
    double dt;                 /* s between frames (h for RIC: given in times) */
    double z0_mm;              /* world z of voxel k = 0 */
    csf_dyn_levels lv;
    int kind;                  /* csf_dyn_ph_kind resolved (no RANDOM, no leak_any) */
    int level;                 /* leak level index */
    int side;                  /* csf_dyn_side */
    double leak_z;             /* mm */
    size_t first_frame;        /* truth */
    double shift[64][3];       /* motion per frame (voxels) */
    double noise;              /* s.d. in the frame's unit */
    double front0, front_v;    /* contrast front z at t=0 (mm) and speed (mm/frame) */
    double leak_rate;          /* growth per frame (mm) */
    double dilution;           /* extrathecal contrast fraction of the sac's */
    double sleeve_len[CSF_DYN_MAX_LEVELS];
    double sleeve_r[CSF_DYN_MAX_LEVELS];
    int ric_grade[3];
    int ric_bladder, ric_convex_absent, ric_fast;
    double ric_times[8];
} dyn_ph;

/* Sets up the geometry and truth of a phantom (phantom.c). */
csf_status csf_dyn_ph_setup(const csf_dyn_phantom_opts *o, dyn_ph *ph, csf_error *err);
/* Renders frame t into v (dims ph->dim, 1 frame). */
void csf_dyn_ph_render(const dyn_ph *ph, size_t t, csf_volume *v);
/* RIC leak i (0, 1): level, side, hot, long; 0 when there is no such leak. */
int csf_dyn_ph_ric_leak(const dyn_ph *ph, int i, int *level, int *side, int *hot, int *lng);

#endif
