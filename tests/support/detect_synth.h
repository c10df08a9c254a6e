#ifndef CSF_TEST_DETECT_SYNTH_H
#define CSF_TEST_DETECT_SYNTH_H
/* Small synthetic heavily T2-weighted lumbar/thoracic spines with known
 * answers for the spine and detect tests: a cylinder sac with a cord above
 * the conus and a tapering end, cone-shaped root sleeves at every level,
 * optional leak / cyst / SLEC / kidney, Rician noise, bias field. */
#include <stddef.h>
#include "csfleak/volume.h"

typedef struct synth_spec {
    double spacing[3];   /* mm */
    double snr;          /* CSF / noise sigma; 0 = no noise */
    double scale;        /* CSF intensity */
    int bias;            /* 1 = gain 0.7 -> 1.3 along z and 0.85 -> 1.15 along x */
    int leak_level;      /* index into the level list (0 = S1, 1 = L5, ...), -1 none */
    int leak_side;       /* 0 left, 1 right */
    int leak_grade;      /* 1..3 */
    int leak_wedge;      /* 1 = grades 2-3 also widen the sleeve as grade 1 does */
    int cyst_level;      /* -1 none */
    int cyst_side;
    double cyst_radius;  /* mm */
    int slec;            /* 1 = ventral SLEC from level slec_from (index) down 3 levels */
    int slec_from;
    int kidney;          /* 1 = bright kidneys lateral to the spine */
    int no_end;          /* 1 = the field of view starts above the sac end */
    unsigned long long seed;
    int leak_both;       /* 1 = the same leak on both sides of leak_level */
    double s1_sleeve_mm; /* > 0: length of both S1 sleeves (default 9 mm, as every level) */
    int falloff;         /* 1 = receive-coil falloff: gain 1 -> 0.2 over the lowest 70 mm */
    int slec_arm;        /* 1 = a profuse leak runs right from the SLEC's edge, mid-way down */
    int slec_big;        /* 1 = the SLEC runs down to S1, 12 mm thick and 17 mm wide (> 30 ml
                            with its arm, as in a large patient) */
    int pelvic;          /* 1 = a long fluid collection (bowel, bladder) in front of the
                            lowest levels, centred 18 mm ventral of the sac's axis, 7 mm
                            from its wall, 70 mm tall and 48 mm wide */
    double s1_left_drop_mm; /* > 0: the left S1 sleeve leaves the sac this much lower than the
                            right one (its root runs caudally along the wall first) */
    double s1_left_tail_mm; /* > 0: the left S1 sleeve goes on this far caudally as a thin
                            tube of its own tip's radius (a sleeve merged with the next
                            root's: more fluid, no wider) */
    int leak_pool;       /* 1 = the leak also pools in a flat body of fluid against the wall
                            beside its sleeve (30 mm laterally, 16 mm tall, 10 mm deep),
                            centred 6 mm below the exit: profuse fluid that joins the sac
                            over many rows */
    double leak_blob_r;  /* > 0: grades 2-3 streaks pass through a round blob of this radius
                            (mm) a third of the way out: profuse fluid that ends in a blob */
    double cyst_gap_mm;  /* > 0: the cyst's near side lies this far from the sac wall, on the
                            sleeve's root (default: the cyst sits at the sleeve's tip) */
    int partner_wedge;   /* 1 = the contralateral sleeve of the leak level is as wide at the wall
                            as a grade-1 wedge (a big sleeve pair), with no fluid beyond it */
    double partner_root_mm; /* > 0: radius at the wall of the partner_wedge sleeve (default 4.5,
                            as a grade-1 wedge; its far end keeps 2.2 mm or this if less) */
    double cyst_streak_mm; /* > 0: a thin streak (2 mm radius at 0.45 of the CSF signal:
                            partial volume; under the 2D fluid threshold in the projection,
                            above its noise) runs on laterally this far from the cyst's far
                            side: the round pool of a leak, not a discrete cyst */
    double fov_x_mm;     /* > 0: half-width of the field of view in x (default 52 mm) */
    double wedge_root_mm; /* > 0: radius at the wall of the grade-1 expansion (default 4.5) */
    double wedge_tip_mm;  /* ... and at its far end (default 2.2) */
    int divert_level;     /* -1 none: a meningeal diverticulum (a ball of divert_radius mm
                             centred divert_radius - 1 mm outside the wall) at that level's
                             sleeve origin, on side divert_side */
    int divert_side;
    double divert_radius;
    int divert_on_wall;   /* 1 = the diverticulum's ball is centred 1.5 mm outside the wall instead (its
                             widest section in the first layer: mouth and root about as wide) */
    int strip_level;      /* -1 none: a strip of sac CSF 1.4 mm thick outside the lateral wall,
                             14 mm tall and 8 mm deep (AP), joining that level's sleeve on
                             side strip_side (the wall under-estimated there) */
    int strip_side;
    int slec_wrap;        /* 1 (with slec) = the ventral collection wraps round the sac: a 2 mm
                             shell over the whole front half, going on beside the sac as
                             pools 14 mm wide down to 0.5 mm short of its dorsal wall (its
                             mass centre then lies dorsal of the sac's centre) */
    double slec_side_mm;  /* > 0 (with slec): the ventral collection is a crescent against the
                             front half of the sac, this thick, that wraps round its sides and
                             reaches this far beyond each lateral wall (no width limit) */
    double leak_reach_mm; /* > 0: the grade 2-3 streaks reach this far from the sac wall (default
                             0.85 (grade 2) or 1.8 (grade 3) sac widths) */
    double slec_gap_mm;   /* > 0 (with slec_side_mm): the crescent lies this far from the dura
                             (default 0.3 mm: against it) and so reaches gap + slec_side_mm
                             beyond each lateral wall */
    double thin_r;        /* > 0: the normal sleeves of the levels from index thin_from up have
                             this radius at the wall (default 2.0) and 0.6 of it at their tip:
                             thin thoracic roots above thick lumbar ones, the step of sleeve
                             size at the thoracolumbar junction */
    int thin_from;
    double z_top_mm;      /* > 0: the grid reaches this world z (default 215 mm) */
    double cyst_drop_mm;  /* > 0 (with cyst_gap_mm): the cyst's centre lies this far below its
                             sleeve's exit (default 2 mm): a cyst hanging below its root, the
                             root above it a component of its own in a projection */
    double upper_pitch_mm; /* > 0: the exits above L1 (index 6 up) are this far apart instead of
                             28 mm (thoracic segments are shorter than lumbar ones); the
                             exits are then no longer synth_level_z */
    double bulge_mm;      /* > 0: the sac is this much wider on each side (transverse semi-axis)
                             over bulge_height_mm centred on level bulge_level's exit (flat,
                             with 3 mm cosine flanks: a local widening, as the cervical enlargement
                             narrowing toward T1: the 2D wall, a running median over
                             +-25 mm, lies inside the sac's edge there) */
    int bulge_level;
    double bulge_height_mm; /* default 24 mm */
    int bulge_side;       /* 0 both sides (default), 1 left only, 2 right only */
    double leak_streak_r; /* > 0: radius (mm) of the grade 2-3 streaks (default 1.5 for grade 2,
                             2.2 for grade 3) */
    double cyst_flat_mm;  /* > 0: the cyst's body is a disc of cyst_radius in the coronal plane,
                             this deep (AP) and flat (a cylinder along the beam): the outline of
                             the ball in a projection, as deep at its rim as at its centre (a
                             flat pool of fluid, not a round body) */
} synth_spec;

#define SYNTH_SAC_A 8.0    /* transverse semi-axis, mm: width 16 mm */
#define SYNTH_SAC_B 6.0    /* AP semi-axis */
#define SYNTH_SAC_END 0.0  /* world z of the sac's caudal end */
#define SYNTH_CONUS 170.0
#define SYNTH_NLEVELS 10
/* world z of the sleeve exit of level i (0 = S1, 1 = L5, ... 9 = T10) */
double synth_level_z(int i);
/* level name of index i ("S1", "L5", ...) */
const char *synth_level_name(int i);

void synth_spec_init(synth_spec *s);
/* Renders the spec on a canonical RAS grid covering x -52..52 (or
 * +-fov_x_mm), y -28..28,
 * z -20..215 mm (z from 25 with no_end; up to z_top_mm when set). Caller frees. */
csf_volume *synth_render(const synth_spec *s);
/* Coronal thick-slab maximum projection (the 2D protocol) of a 3D volume:
 * dim[1] = 1, spacing[1] = slab thickness. Caller frees. */
csf_volume *synth_project_coronal(const csf_volume *v);
/* Thick-slab projection as the 2D MR-myelography protocol acquires it: the
 * mean over the whole j extent (signal adds with the depth of fluid), dim[1]
 * = 1, spacing[1] = slab thickness. Caller frees. */
csf_volume *synth_project_slab(const csf_volume *v);
/* synth_spec_init with this seed on the grid the 2D tests render: a coarse
 * depth (2 mm: projected away by the slab, keeps the tests fast) and 1.5 mm
 * in z. */
void synth_spec_init_slab(synth_spec *s, unsigned long long seed);
/* A 9 mm body 4 mm out on the right sleeve of level index 6 (T11 in the 2D
 * count) on the slab grid: the 2D perineural-cyst set-up. */
void synth_spec_t11_body(synth_spec *s, unsigned long long seed);
/* s rendered in 3D and projected as the 2D thick slab (synth_project_slab);
 * NULL when rendering fails. Caller frees. */
csf_volume *synth_render_slab(const synth_spec *s);

#endif
