/* The level cells of the 2D thick-slab grading (classify_2d.c): one cell per
 * named level C2..S1, with the sleeve fluid measured in a band just outside
 * the sac wall (cells_2d.c explains the measure). Internal to src/detect. */
#ifndef CSF_DETECT_CELLS_2D_H
#define CSF_DETECT_CELLS_2D_H

#include <stddef.h>

#include "detect_internal.h"

/* The band starts past the wall's partial-volume rim and is about one
 * sleeve diameter wide (levels_2d.c uses the same band). */
#define BAND_FROM_MM 1.0
#define BAND_WIDTH_MM 4.0
/* Grade 1: at least twice a normal sleeve's volume (classify.c). */
#define EXPANSION_RATIO 2.0
/* ... and beyond the scatter of the neighbours (3 MADs, about 2 SD). */
#define EXPANSION_MADS 3.0
/* Neighbouring levels used as references: three above and three below. */
#define REF_LEVELS 3
/* A sleeve's band signal lies at and below its exit (sleeves run caudally):
 * a level's cell reaches 60 % of the way to the next exit below and 40 % to
 * the one above. */
#define CELL_BELOW 0.6
#define CELL_ABOVE 0.4
/* The band between sleeves is background: its low quartile over a cell is
 * the cell's baseline. */
#define BASELINE_Q 0.25
#define MAX_CELLS 24

/* Per-case store of the bulge measure (bulge_2d.c): the sac's half-maximum
 * edge (image column) of every row and side, and each level's whole-cell
 * bulge once computed (every level is the reference of up to six others). */
typedef struct csf_bulge2d {
    double *edge;                     /* left rows then right rows, from the sac's first row */
    double whole[2][MAX_CELLS];       /* per side and cell, valid where done */
    unsigned char done[2][MAX_CELLS];
} csf_bulge2d;

typedef struct csf_cell2d {
    double z, lo, hi;   /* exit, cell bounds (world z mm) */
    double v[2];        /* band fluid signal per side (0 left, 1 right), NaN unknown */
    double width;       /* median transverse sac width over the cell (mm) */
    double reach[2];    /* faint-fluid reach per side (reach_2d.c), NaN until computed */
    int has_reach[2];
    /* shoulder of an epidural collection (slec_2d.c): the insets of the sac's
     * own wall per row (NULL: none anywhere), its first row and row count;
     * per side the median inset of the cell's shoulder rows (mm), NaN when
     * fewer than half of its rows are beside a shoulder */
    const double *sh;
    size_t sh_k0, sh_m;
    double inset[2];
    csf_bulge2d *bulge; /* the case's bulge store (bulge_2d.c), NULL when no shoulder anywhere */
    int level;          /* csf_level_index of the exit's name */
} csf_cell2d;

/* Cells of the named levels C2..S1, superior first; c holds MAX_CELLS. */
size_t csf_detect_cells_build(const csf_spine *sp, csf_cell2d *c);
/* Band fluid signal, sac width and collection insets of each cell; buf and
 * wbuf hold at least the sac's rows each. */
void csf_detect_cells_measure(const csf_spine *sp, csf_cell2d *c, size_t nc, double *buf, double *wbuf);
/* Band fluid of one side of cell ci, the band ending `to` mm beyond the
 * wall, rows xa..xb left out (SIZE_MAX, 0: none); NaN with fewer than 3
 * rows. buf holds at least the sac's rows. */
double csf_detect_cell_band_rows(const csf_spine *sp, const csf_cell2d *ci, int side, double to, double *buf,
                                 size_t xa, size_t xb);
/* csf_detect_cell_band_rows over all the cell's rows. */
double csf_detect_cell_band(const csf_spine *sp, const csf_cell2d *ci, int side, double to, double *buf);
/* The reference cells of cell ci: REF_LEVELS levels on each side, cut at
 * the ends of the chain (*a..*b, ci included). */
static inline void csf_detect_cell_ref_range(size_t nc, size_t ci, size_t *a, size_t *b)
{
    *a = ci >= REF_LEVELS ? ci - REF_LEVELS : 0;
    *b = ci + REF_LEVELS < nc ? ci + REF_LEVELS : nc - 1;
}
/* The row spans (lo, hi) of the reference cells of ci, its own excluded;
 * lo and hi hold 2 * REF_LEVELS each. Returns how many. */
static inline size_t csf_detect_cell_ref_spans(const csf_cell2d *c, size_t nc, size_t ci, double *lo, double *hi)
{
    size_t m = 0, a, b;
    csf_detect_cell_ref_range(nc, ci, &a, &b);
    for (size_t i = a; i <= b; i++)
        if (i != ci) {
            lo[m] = c[i].lo;
            hi[m++] = c[i].hi;
        }
    return m;
}
/* Index of the cell holding world z, -1 when none. */
int csf_detect_cell_of(const csf_cell2d *c, size_t nc, double z);
/* csf_detect_cell_ref_stats of the band signal (both sleeves of the
 * REF_LEVELS levels on each side, the cell's own pair excluded). */
void csf_detect_cell_refs(const csf_cell2d *c, size_t nc, size_t ci, double *med, double *mad);
/* Reference value and scatter of a per-sleeve measure y[2 * i + side] (NaN
 * unknown) over the reference cells of ci (its own level excluded): their
 * median and MAD, or, where the reference levels straddle the
 * thoracolumbar junction, the value at the cell's exit of a robust line
 * through them and the MAD about it (junction_2d.c). */
void csf_detect_cell_ref_stats(const csf_cell2d *c, size_t nc, size_t ci, const double *y, double *med, double *mad);
/* The sleeve of cell ci's side expanded (the grade-1 band rule of
 * classify_2d.c) when measured on the neck of a round body whose inscribed
 * ball starts `gap` mm beyond the wall: every level's band ends one pixel
 * before it (when a pixel of band remains). buf holds the sac's rows. */
int csf_detect_expanded_neck_2d(const csf_spine *sp, const csf_cell2d *c, size_t nc, size_t ci, int side, double gap,
                                double *buf);
/* Leak calls (grade 1-3) whose level and side hold a perineural cyst with
 * more fluid than they have, whose sleeve is not expanded on the cyst's
 * neck: the cyst's sleeve, ignored (cyst_2d.c). */
void csf_detect_drop_cyst_sleeve_2d(const csf_spine *sp, const csf_extra *xs, size_t n, const csf_cell2d *c, size_t nc,
                                    double *buf, csf_finding *all);
/* Leak calls (grade 1-2) whose band rows hold, against the wall on their
 * side, a body with more fluid than they have that is not their own sleeve
 * (a perineural cyst of another level, or fluid outside the named levels),
 * and whose sleeve is not expanded on the cell's other rows: ignored
 * (cyst_2d.c). */
void csf_detect_drop_foreign_body_2d(const csf_spine *sp, const csf_extra *xs, size_t n, const csf_cell2d *c,
                                     size_t nc, double *buf, csf_finding *all);
/* The sleeve of cell ci's side widened at the wall only: its excess over
 * the reference levels' profile in every 1 mm bin beyond the mouth bin (up
 * to 5 mm) is under a quarter of the mouth's, no triangular expansion
 * along the sleeve (mouth_2d.c). */
int csf_detect_wall_only_2d(const csf_spine *sp, const csf_cell2d *c, size_t nc, size_t ci, int side);
/* flat_2d.c: the component x called a perineural cyst at cell ci, from C2
 * to T12, is longer than the sac's transverse width and is about as deep
 * at the rim of its inscribed disc as at its centre (*ratio: depth within
 * half the radius over depth in the outer ring; a ball 1.62): a flat pool
 * of a profuse leak, not a round body. */
int csf_detect_flat_pool_2d(const csf_spine *sp, const csf_extra *x, const csf_cell2d *c, size_t ci, double *ratio);
/* Median band signal of up to REF_LEVELS levels on one side of cell ci
 * (above: superior, lower indices), both sleeves of each; NaN when none. */
double csf_detect_cell_side_median(const csf_cell2d *c, size_t nc, size_t ci, int above);
/* The sleeve of cell ci's side beside an epidural collection seen as a bulge
 * of the sac's half-maximum edge (bulge_2d.c): at least twice the
 * neighbouring levels' bulge (beyond their scatter) and the contralateral
 * one (over the same rows), peaking more than a pixel out, not rounded.
 * *ratio its bulge over the neighbours' median (NaN when unknown);
 * *aspect its largest outward excess over its height along the wall (NaN
 * when it stands out by no more than a pixel), whatever the ratios. */
int csf_detect_bulge_cell_2d(const csf_spine *sp, const csf_cell2d *c, size_t nc, size_t ci, int side, double *ratio,
                             double *aspect);
/* The case's bulge store for csf_cell2d.bulge (its edges measured); free
 * with csf_detect_bulge_store_free. NULL on allocation failure. */
csf_bulge2d *csf_detect_bulge_store_2d(const csf_spine *sp);
void csf_detect_bulge_store_free(csf_bulge2d *b);
/* Cell ci is within reach of an epidural collection: a level of its
 * reference range, itself left out, has shoulder rows (bulge_2d.c). */
int csf_detect_near_collection_2d(const csf_cell2d *c, size_t nc, size_t ci);
/* expanded_cell of classify_2d.c: the band of cell ci's side at least twice
 * the neighbouring levels' (beyond their scatter), unless its partner
 * excuses it. */
int csf_detect_expanded_cell_2d(const csf_cell2d *c, size_t nc, size_t ci, int side);
/* faint_beyond of classify_2d.c: faint fluid of cell ci's side beyond the
 * neighbours' and the partner's faint reach by the grade-2 margin; *fr its
 * reach, *ext_f the excess (mm). */
int csf_detect_faint_beyond_2d(const csf_spine *sp, csf_cell2d *c, size_t nc, size_t ci, int side, double voxel_mm,
                               double *fr, double *ext_f);
/* Findings at levels beside (or at the end of) an epidural collection whose
 * sleeve is expanded with no leak component of its own, after the components
 * all[0..n) are graded (shoulder_find_2d.c); written to out[0..room),
 * returns the count. */
size_t csf_detect_shoulder_findings_2d(const csf_spine *sp, const csf_extra *xs, const csf_finding *all, size_t n,
                                       csf_cell2d *c, size_t nc, double voxel, csf_finding *out, size_t room);
/* A rounded body reaches at least half as far as it is tall (the half-disc;
 * wedge.c calls a body whose smallest principal axis is at least half its
 * largest rounded, a diverticulum, by the same bound) */
#define ROUND_ASPECT 0.5

#endif
