#ifndef CSF_PH_INTERNAL_H
#define CSF_PH_INTERNAL_H
/* The phantom's continuous model: primitives in world RAS mm drawn in painter's
 * order, the spine tables they follow, and a counter-based RNG. Private to
 * src/phantom and the tests. */
#include <math.h>
#include <stdint.h>
#include "csfleak/phantom.h"

/* ---- counter-based RNG: value = f(key, counter), no state, any order ---- */
static inline uint64_t ph_mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static inline uint64_t ph_hash(uint64_t key, uint64_t ctr) { return ph_mix64(key ^ ph_mix64(ctr)); }

/* Sequential draws for model building: a key plus a counter. */
typedef struct ph_rng {
    uint64_t key, ctr;
} ph_rng;
static inline ph_rng ph_rng_make(uint64_t seed, uint64_t stream)
{
    ph_rng r = {ph_hash(seed, stream ^ 0x5eedull), 0};
    return r;
}
static inline double ph_uniform(ph_rng *r) /* [0,1) with 53 bits */
{
    return (double)(ph_hash(r->key, r->ctr++) >> 11) * (1.0 / 9007199254740992.0);
}
static inline double ph_range(ph_rng *r, double lo, double hi) { return lo + (hi - lo) * ph_uniform(r); }

/* ---- primitives ---- */
typedef enum ph_kind {
    PH_TUBE,      /* ellipse around the spine centerline table, per-z semi-axes */
    PH_ELLIPSOID, /* centre, semi-axes, rotation */
    PH_CAPSULE,   /* segment p0->p1, radius r0->r1 (cone with round ends) */
    PH_SHELL      /* SLEC: band outside the sac ellipse, ventral or dorsal */
} ph_kind;

/* Which per-z semi-axes a TUBE uses. */
typedef enum ph_tube_src { PH_SRC_SAC, PH_SRC_CORD, PH_SRC_BODY, PH_SRC_DISC, PH_SRC_NUCLEUS } ph_tube_src;

typedef struct ph_prim {
    ph_kind kind;
    float signal;        /* relative: CSF = 1 */
    int label;           /* csf_phantom_label or CSF_PH_LABEL_FINDING + i; 0 none */
    double lo[3], hi[3]; /* world bounding box (mm), including the soft edge */
    /* ELLIPSOID */
    double c[3], r[3], rot[3][3]; /* rows: local axes in world */
    /* CAPSULE */
    double p0[3], p1[3], r0, r1;
    /* TUBE / SHELL */
    int src;
    double off_y;             /* AP offset from the centerline (mm, + anterior) */
    double z0, z1;            /* z range; ends fade over `zfade` mm */
    double zfade;
    /* SHELL: gap (dura) and thickness profile */
    double gap, thick, sign_y; /* sign_y +1 ventral, -1 dorsal */
} ph_prim;

/* Per-z spine table, every PH_DZ mm from zmin. */
#define PH_DZ 0.25
typedef struct ph_zrow {
    float xc, yc;            /* sac centre */
    float sa, sb;            /* sac semi-axes in the axial plane (transverse, AP) */
    float ca, cb, cy;        /* cord semi-axes and AP offset; ca = 0 below the conus */
    float ba, bb, boff;      /* vertebral body / disc semi-axes and AP offset */
    float is_disc;           /* 1 in a disc space, 0 in a body */
    float tilt;              /* tangent angle from vertical (rad, + anterior going down) */
} ph_zrow;

/* One vertebral level of the subject. */
typedef struct ph_level {
    double s_top, s_bot;     /* arc length from the foramen magnum (mm) */
    double z_top, z_bot;     /* world z of its top and bottom */
    double z_exit;           /* world z where its root sleeve leaves the sac */
    int has_sleeve;
    double sleeve_o[3];      /* sleeve origin on the right wall (x mirrored for left) */
    double sleeve_dir[2][3]; /* unit direction per side */
    double sleeve_len, sleeve_r0, sleeve_r1;
} ph_level;

typedef struct ph_finding {
    int kind;                /* 0 leak, 1 perineural_cyst, 2 slec, 3 diverticulum */
    int grade, level, side;  /* side: 0 left, 1 right, 2 ventral, 3 dorsal */
    int level_to;            /* SLEC end level */
    int first_prim, nprims;  /* its primitives */
    double size_mm;
} ph_finding;

#define PH_ZBIN 4.0
struct csf_phantom {
    csf_phantom_spec spec;
    double scale;            /* subject size */
    double gain;             /* CSF intensity in output units */
    double zmin, zmax;       /* table range */
    size_t nz;
    ph_zrow *tab;
    ph_level lv[CSF_PHANTOM_NLEVELS];
    double s_end, s_conus;   /* sac end and conus tip (arc length) */
    double z_fm, z_end, z_conus;
    ph_prim *prims;
    size_t nprims, cap;
    ph_finding findings[CSF_PHANTOM_MAX_LEAKS + CSF_PHANTOM_MAX_CYSTS + CSF_PHANTOM_MAX_DIVERTICULA + 1];
    int nfindings;
    double bias_c[10];       /* quadratic bias coefficients */
    double fov_lo[3], fov_hi[3];         /* whole-subject field of view */
    double st_lo[2][3], st_hi[2][3];     /* per-station field of view */
    size_t nstations;
    /* z bins: for bin b, prim indices binidx[binoff[b] .. binoff[b+1]) */
    size_t nbins;
    size_t *binoff, *binidx;
};

/* AP shift of the composed one-station 2D slab at world z (0 otherwise) */
double ph_slab_shift(const csf_phantom *ph, double z);
/* anatomy */
csf_status ph_anatomy_build(csf_phantom *ph, csf_error *err);
const ph_zrow *ph_row(const csf_phantom *ph, double z, ph_zrow *tmp);
csf_status ph_push(csf_phantom *ph, const ph_prim *p, csf_error *err);
void ph_prim_bbox(ph_prim *p, const csf_phantom *ph);
csf_status ph_structures_build(csf_phantom *ph, csf_error *err);
csf_status ph_mimics_build(csf_phantom *ph, csf_error *err);
csf_status ph_pathology_build(csf_phantom *ph, csf_error *err);
csf_status ph_inner_build(csf_phantom *ph, csf_error *err);
csf_status ph_sleeves_build(csf_phantom *ph, csf_error *err);
/* origin (just inside the sac wall) of the root sleeve of `level` on `side` */
void ph_sleeve_origin(const csf_phantom *ph, int level, int side, double o[3]);
csf_status ph_bins_build(csf_phantom *ph, csf_error *err);
void ph_capsule(ph_prim *p, const double a[3], const double b[3], double r0, double r1, float sig,
                int label);
void ph_ellipsoid(ph_prim *p, const double c[3], const double r[3], float sig, int label);
/* level index of the level whose vertebra contains world z (nearest), for truth */
int ph_level_at_z(const csf_phantom *ph, double z);
/* signed distance (mm, negative inside) of world point q to primitive p */
double ph_prim_dist(const csf_phantom *ph, const ph_prim *p, const double q[3]);
/* The same with the spine-table row of q[2] already looked up (w may be NULL). */
double ph_prim_dist_row(const csf_phantom *ph, const ph_prim *p, const double q[3], const ph_zrow *w);
/* Soft occupancy in [0,1] with edge width h (mm); w as above. */
double ph_prim_occ(const csf_phantom *ph, const ph_prim *p, const double q[3], double h,
                   const ph_zrow *w);
/* Tight x/y box of a TUBE or SHELL at one table row; 0 for other kinds. */
int ph_prim_row_box(const ph_prim *p, const ph_zrow *w, double lo[2], double hi[2]);
/* Noise-free sample at world q: relative intensity, label with occupancy >= 0.5
 * (or -1 = none), soft-edge width h mm. finding_occ (may be NULL) receives the
 * occupancy of finding `want_finding` (-1 none). */
float ph_sample(const csf_phantom *ph, const double q[3], double h, int *label);
/* occupancy of finding f at q (max over its primitives, soft width h) */
double ph_finding_occ(const csf_phantom *ph, int f, const double q[3], double h);
double ph_sac_occ(const csf_phantom *ph, const double q[3], double h);

#endif
