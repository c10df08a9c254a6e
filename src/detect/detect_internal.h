#ifndef CSFLEAK_DETECT_INTERNAL_H
#define CSFLEAK_DETECT_INTERNAL_H
/* Private to src/detect. */
#include "csfleak/detect.h"

/* Classifies every extra of the spine into all[] (one per extra; kind
 * CSF_FIND_IGNORED for the unreported ones), then appends the leak arms of
 * longitudinal collections after them: all[] holds 2 n + 1 entries; returns
 * the number used (n + arms). Level and region are left -1. */
size_t csf_detect_classify(const csf_spine *sp, csf_finding *all);
/* 2D projection (classify_2d.c): grades the lateral components left
 * undecided (all[i].kind == -1; cand[i]: whole sleeves usable as references)
 * against the fluid signal at the wall of the neighbouring levels. Returns 0
 * (nothing done) when too few levels are named to compare with. Levels
 * beside an epidural collection whose sleeve is expanded with no component
 * of its own get a finding after the n extras (extra_index SIZE_MAX), within
 * all[0..room); *used is the number of entries used (n + those). */
int csf_detect_grade_2d(const csf_spine *sp, const int *cand, csf_finding *all, size_t room, size_t *used);
/* 3D (slec_profile.c): appends, from all[m] on (room entries in all), a
 * grade 2-3 leak (arm 2, placed at center_mm[2] and side) for each level
 * where a collection (all[i].kind == CSF_FIND_SLEC) reaches laterally beyond
 * its own reach at the neighbouring levels, the other side and the free
 * sleeves there by the grade-2 minimum extension. Returns the new count. */
size_t csf_detect_slec_profile_arms(const csf_spine *sp, const csf_extra *xs, const int *cand, size_t n,
                                    double voxel_mm, csf_finding *all, size_t m, size_t room);
/* 3D (slec_wedge.c): appends, from all[m] on (room entries in all), a
 * grade-1 leak (arm 2, placed at center_mm[2] and side) for each sleeve
 * expanded inside a collection (all[i].kind == CSF_FIND_SLEC): more of the
 * collection's fluid on the far side of the coronal plane through the sac's
 * centre on one side than on the other, over at most half a segment, at
 * least half the neighbouring sleeves' volume. Returns the new count. */
size_t csf_detect_slec_far_wedges(const csf_spine *sp, const csf_extra *xs, const int *cand, size_t n,
                                  csf_finding *all, size_t m, size_t room);
/* Room for the 2D findings without a component of their own (two per named level). */
#define CSF_DETECT_LEVEL_FINDINGS 48
/* 2D (reach_2d.c): farthest lateral reach (mm beyond the wall) of fluid
 * above the noise, connected to the sleeve root, over the rows with world z
 * in [zlo, zhi) on one side (right = 1); NaN when not measurable. */
double csf_detect_faint_reach_2d(const csf_spine *sp, double zlo, double zhi, int right);
/* 2D (slec_2d.c): for each row k of the tracked sac (k_first..k_last; entry
 * side * rows + (k - k_first), side 1 right) where the shoulder of an
 * epidural collection (SLEC) lies beside the sac, how far (mm) inside the
 * tracked wall the sac's own wall lies (about 0 where the tracked wall is on
 * the sac); NaN in rows without a shoulder. Caller frees; NULL without
 * memory. */
double *csf_detect_shoulder_2d(const csf_spine *sp);
/* A 2D leak finding with no component of its own (extra_index SIZE_MAX,
 * grade and reason left to the caller) at world z, side (right = 1): its
 * lateral reach (mm from the sac's own wall, which lies inset mm inside the
 * tracked wall), placed half-way along it, and its craniocaudal extent. */
void csf_detect_level_finding_2d(const csf_spine *sp, double z, int right, double inset, double reach, double cc_mm,
                                 csf_finding *f);
/* A copy of the n extras with their lateral reach and local width measured
 * from the sac's own wall beside a shoulder (sh from csf_detect_shoulder_2d:
 * the inset at the component's contact row added to the reach, both insets
 * taken off the width). NULL when no row has an inset, or without memory:
 * the extras stand as they are. Caller frees. */
csf_extra *csf_detect_shoulder_extras_2d(const csf_spine *sp, const csf_extra *xs, size_t n, const double *sh);
/* Sum over the rows i with z[i] in [lo, hi) of b[i] (a band mean of a
 * shoulder row) above the q quantile of the b of the rows within half of
 * hi - lo of z[i] (rows with fewer than 3 there are left out); *rows gets
 * the rows summed. w: scratch for m values. */
double csf_detect_shoulder_sum_2d(const double *b, const double *z, size_t m, double lo, double hi, double q,
                                  double *w, size_t *rows);
/* 2D (wedge_2d.c): lateral fluid profile of one side over the rows with
 * world z in [zlo, zhi): prof[j] is the signal (relative to CSF, above the
 * column's low quartile over the rows) of the column from_mm + j pixels
 * beyond the wall, summed over the rows times the row height (mm: the area
 * of the fluid's cross-section in that plane, in CSF-depth units). Returns
 * the number of columns filled (at most np; fewer at the image edge). */
size_t csf_detect_profile_2d(const csf_spine *sp, double zlo, double zhi, int right, double from_mm,
                             double *prof, size_t np);
/* 2D (wedge_2d.c): 1 when the sleeve fluid of rows [lo, hi) on one side,
 * in excess of the median profile of the reference levels [ref_lo[i],
 * ref_hi[i]) (both sides of each), is wider in a 1 mm bin deeper than in
 * the bin at the sleeve's mouth (1-2 mm beyond the wall): a rounded
 * outpouching, not a triangular expansion widest at the dura. *mouth and
 * *deep get the excess of the mouth bin and of the widest deeper bin. */
int csf_detect_dome_2d(const csf_spine *sp, double lo, double hi, int right, const double *ref_lo,
                       const double *ref_hi, size_t nref, double *mouth, double *deep);
/* 2D (wedge_2d.c): the excess profile that csf_detect_dome_2d compares, in
 * up to maxb 1 mm bins from 1 mm beyond the wall (from one bin farther out
 * where the first columns lie on the sac's own edge: their baseline is
 * raised by sac CSF in every row); returns the bins filled, 0 unknown. */
size_t csf_detect_excess_bins_2d(const csf_spine *sp, double lo, double hi, int right, const double *ref_lo,
                                 const double *ref_hi, size_t nref, double *bins, size_t maxb);
/* 2D (wedge_2d.c): the sleeve's root, the counterpart of the 3D root layer
 * (wedge.c): the lateral profile's mean over the 1 mm bin at the mouth
 * (1-2 mm beyond the wall: the area of the fluid's cross-section there),
 * less the profile's noise floor on the same rows; NaN when unknown. */
double csf_detect_root_2d(const csf_spine *sp, double lo, double hi, int right);
/* 2D (oblique_2d.c): the bar of the grade-1 shape rule's root ratio at
 * level `level` (csf_level_index): 2 x the neighbours' root, the band's
 * 1.5 x at L1-L5 where the sleeves run obliquely. */
double csf_detect_root_bar_2d(int level);
/* 2D (depth_2d.c): the greatest depth of fluid of each column beyond the
 * wall (the brightest 3 x 3 mean over the rows of [lo, hi), relative to
 * CSF), at half the distance where it falls to half its value 1 mm out,
 * over that value: 0.75 for a linear taper, about 0.90 and more for a
 * ball; NaN when it does not fall to half within width_mm. */
double csf_detect_depth_ratio_2d(const csf_spine *sp, double lo, double hi, int right, double width_mm);
/* 2D (depth_2d.c): the body at the sleeve's mouth is nearer a ball than a
 * taper by that ratio (*ratio gets it): a rounded outpouching. */
int csf_detect_depth_dome_2d(const csf_spine *sp, double lo, double hi, int right, double width_mm, double *ratio);
/* Largest in-plane voxel size in mm (the 2D protocol: the row spacing). */
double csf_detect_voxel_mm(const csf_spine *sp);
/* Sets a finding's class, grade and the reason (fmt with two numbers). */
void csf_detect_set(csf_finding *f, int kind, int grade, const char *fmt, double a, double b);
/* Fluid that wraps around the sac or does not reach sideways is no leak: marks
 * f ignored with the reason and returns 1 (3D and 2D share the rule). */
int csf_detect_not_lateral(const csf_extra *x, double lat, csf_finding *f);

/* 3D (profuse.c): 1 when a component called a perineural cyst holds most of
 * its fluid outside its round body, and there more than any normal root
 * sleeve could (sleeve_ml, sleeve_mad_ml: the neighbouring sleeves' median
 * volume and its MAD, ml): the fluid of a profuse leak around the sleeve,
 * not the sleeve carrying a cyst. */
int csf_detect_cyst_overflows(const csf_extra *x, double sleeve_ml, double sleeve_mad_ml, int sacral);
/* 3D (sacral_cyst.c): 1 when a lateral component at a sacral level that the
 * bulb test left undecided (not capped: the wall distance does not follow a
 * sleeve running caudally beside the sac's tapering tip) is a perineural
 * cyst: a round body of a cyst's size on a neck holding at least half of its
 * fluid (body_fraction >= 0.5). */
int csf_detect_sacral_cyst(const csf_extra *x);
/* 3D (sacral_cyst.c): 1 when a lateral component the bulb test left
 * undecided because its neck is shorter than its body is wide is a cyst on
 * a short sleeve: a capped round body of a cyst's size holding at least half
 * of its fluid that starts beyond half the neighbouring sleeves' reach
 * (r_ref_mm, mm), where the ganglion lies. */
int csf_detect_short_sleeve_cyst(const csf_extra *x, double r_ref_mm);
/* 3D (c2_sheet.c; lv: the named levels): 1 when a lateral component
 * leaving the sac at the named C2 exit (within half the C2-C3 segment) or above it holds under a third of
 * its contact layer one voxel out: a sheet of sac CSF outside a wall that
 * lags behind the widening into the cisterna magna, not a leak. */
int csf_detect_c2_sheet(const csf_levels *lv, const csf_extra *x);

#define CSF_C2_BELOW_FM_MM 12.0
/* World z above which fluid belongs to the craniocervical cisterns
 * (cisternal.c): 12 mm below the foramen magnum, or half a segment above
 * the named C2 exit when that lies higher; +inf without a foramen magnum. */
double csf_detect_cisternal_limit(const csf_spine *sp);

/* 3D grade 1 (wedge.c): what the same patient's sleeves say about one
 * sleeve: the neighbours' median volume (ml), its MAD and their median
 * root cross-section (voxels in depth band 1, csf_extra.depth_voxels); the
 * contralateral sleeve's volume and root (0 when it says nothing); the
 * neighbours' median mouth (voxels in the contact shell, depth band 0; 0
 * unknown) and whether the sleeve leaves at a thoracic level (T1-T12). */
typedef struct csf_wedge_ref {
    double vol, vol_mad, root, contra_ml, contra_root;
    double mouth;
    int thoracic;
    int lumbar; /* the sleeve leaves at a lumbar level (L1-L5; lumbar_dome, wedge.c) */
} csf_wedge_ref;
/* Triangular expansion of a sleeve (grade 1) in 3D: 1 sets f to a grade-1
 * leak, 2 to a diverticulum (rounded outpouching at the sleeve origin), -1
 * to an ignored sleeve with a rim strip; 0 leaves f alone (not expanded).
 * Sets f->sleeve_ratio. */
int csf_detect_wedge(const csf_extra *x, const csf_wedge_ref *ref, csf_finding *f);

/* What the same patient's sleeves nearest to one exit say (sleeves.c):
 * lateral reach and volume (median, MAD), median inscribed radius
 * (thickness; NaN unknown) and median root cross-section (voxels one layer
 * out from the wall); their median mouth (voxels in the contact shell) and
 * whether z's nearest named level is thoracic (d3div, wedge.c). */
typedef struct csf_sleeve_refs {
    double lat, lat_mad, vol, vol_mad;
    double rad;
    double root;
    double mouth;
    int thoracic;
    int lumbar; /* z's nearest named level is L1-L5 */
} csf_sleeve_refs;
/* What the other side of the same level says about this level's sleeves:
 * their normal lateral reach (mm; NaN when it says nothing), volume (ml; 0)
 * and root cross-section (voxels, depth band 1; 0 unknown). */
typedef struct csf_contra_ref {
    double reach_mm, ml;
    double root;
} csf_contra_ref;
/* The level's geometry for one sleeve: the tallest one sleeve can be, how
 * far the wall there was found inside the sac's smooth course (mm, per side),
 * and whether its nearest named level is sacral (S1 and below). */
typedef struct csf_sleeve_geo {
    double max_cc_mm, dip_mm;
    int sacral;
} csf_sleeve_geo;

/* Grade 2: the least extension beyond the reference reach that counts
 * (sleeves.c explains the floor): the floor, one voxel, or 3 MADs of the
 * reference sleeves' reach, whichever is largest. */
double csf_detect_min_extension(double voxel_mm, double lat_mad);
/* qsort comparator of doubles, ascending. */
int csf_detect_cmp_double(const void *a, const void *b);
/* Median of a[0..m) (m >= 1); sorts a in place. */
double csf_detect_median(double *a, size_t m);
/* Median and median absolute deviation of v[0..n) (reordered in place);
 * NaN when n == 0. */
void csf_detect_med_mad(double *v, size_t n, double *med, double *mad);
/* 2D: signal of pixel i in row k of the projection (rows k0..k1 of the
 * sac), averaged over the rows k-1..k+1 against pixel noise (slec_2d.c). */
double csf_detect_px3(const csf_volume *v, long i, size_t k, size_t k0, size_t k1);
/* Most points csf_detect_line_at takes (more are ignored). */
#define CSF_DETECT_LINE_MAX 16
/* Reference value at world z from the points (zs[i], y[i]), i < m (m >= 1):
 * the value of a robust straight line (line.c) and the MAD about it, or the
 * points' median and MAD where the line does not describe them better.
 * Points less than pair_mm apart in z give no slope (the two sleeves of one
 * level); the slope is capped at max_slope (INFINITY: no cap). */
void csf_detect_line_at(const double *zs, const double *y, size_t m, double z, double pair_mm, double max_slope,
                        double *at, double *mad);
/* Sum of v[0..m) (m >= 1) above its q-quantile taken as a baseline:
 * sum - m x the quantile (nearest rank); v is reordered. */
double csf_detect_above_quantile(double *v, size_t m, double q);
/* References from the sleeve-like components (cand[i] != 0) nearest to world
 * z, component `self` excluded (n for none); 0 when fewer than a handful.
 * lv (3D; NULL for none): the named levels; where the neighbours straddle
 * the thoracolumbar junction, reach, volume and root
 * follow the gradient of sleeve size (a robust line through the neighbours,
 * sleeves.c) instead of their median. */
int csf_detect_sleeve_refs_at(const csf_extra *xs, const int *cand, size_t n, size_t self, double z,
                              const csf_levels *lv, csf_sleeve_refs *r);
/* The same around component `self`'s own sleeve exit. */
int csf_detect_sleeve_refs(const csf_extra *xs, const int *cand, size_t n, size_t self, const csf_levels *lv,
                           csf_sleeve_refs *r);
/* The other side of component `self`'s level (lv: named levels, NULL in 2D). */
csf_contra_ref csf_detect_contralateral(const csf_extra *xs, const csf_finding *all, const int *cand,
                                        size_t n, size_t self, double voxel_mm, int is2d,
                                        const csf_levels *lv);
/* Grades one lateral sleeve-like component by the scale into f (leak 1-3 or
 * a normal sleeve, ignored). */
void csf_detect_grade_sleeve(const csf_extra *x, const csf_sleeve_refs *r, csf_contra_ref contra,
                             double voxel_mm, int is2d, csf_sleeve_geo g, csf_finding *f);
/* 3D (partner.c): voxels of a component inside the sac's own outline
 * (csf_extra.oval_voxels, all bands): sac CSF beyond an oblique wall. */
double csf_detect_sac_csf_voxels(const csf_extra *x);
/* 3D (partner.c): 1 when the other sleeve `other` of component `self`'s
 * level is no reference for self's volume or root: it holds more sac CSF
 * than one root layer of its own neighbours (rother, may be NULL), or the
 * two form a bilateral expansion at L1-L4 against the pair of the next
 * level below (lv: the named levels, NULL for none). */
int csf_detect_partner_no_norm(const csf_extra *xs, const int *cand, size_t n, size_t self, size_t other,
                               const csf_sleeve_refs *rother, const csf_levels *lv);
/* 3D (bilateral.c): 1 when sleeve bi (lv: the named levels) reaches beyond
 * the median reach of the sleeves of the named level above it and of those
 * of the level below it by more than min_ext_mm, and holds at least twice
 * each one's median volume: no normal sleeve is both longer and fuller than
 * both neighbouring levels, so it is a leak and no norm for the other side
 * of its level; *level_reach_mm gets the longer of the two levels' median
 * reach (the level's normal reach then; NaN when 0 is returned). 0 at the
 * chain's ends (C2, S1 and below) or without sleeves at a neighbouring
 * level. */
int csf_detect_bilateral_partner(const csf_extra *xs, const int *cand, size_t n, size_t bi, const csf_levels *lv,
                                 double min_ext_mm, double *level_reach_mm);
/* 3D (fluid_beyond.c): 1 when a sleeve whose reach exceeds the reference
 * reach by ext_mm (less than the grade-2 margin) still has fluid in addition
 * to it: ext_mm beyond one voxel and 3 MAD of its neighbours' reach, and at
 * least twice the volume of its neighbours (above their median + 3 MAD) and
 * of the other sleeve of its level (contra_ml; 0 none). */
int csf_detect_fluid_beyond(const csf_extra *x, const csf_sleeve_refs *r, double contra_ml, double ext_mm,
                            double voxel_mm);
/* 3D (pair_course.c): 1 when a sleeve-sized component (under 5 x its
 * neighbours' volume r->vol) holds no more fluid than the normal sleeve on
 * the other side of its level (contra_ml, ml; 0 when there is none) plus 3
 * MAD of its neighbours' volume: a longer reach is then the sleeve's
 * course, not fluid in addition to it (grades 2-3 of the scale). */
int csf_detect_reach_is_course(const csf_extra *x, const csf_sleeve_refs *r, double contra_ml);

/* 3D (wall_course.c): the largest distance (mm, >= 0) by which the lateral
 * wall on one side lies inside its course along the spine (the median of
 * its positions half and one segment, seg_mm, above and below, and its
 * own), over the slices k < nk where a component has voxels on that side
 * (reach[k] finite): wall[k] is the wall's absolute transverse position
 * (mm, NaN unknown), zk[k] the slice's world z; positions are taken from
 * the slice nearest each height within tol_mm. right: 1 for the right
 * side (positions grow outward), 0 for the left. 0 when nothing is known. */
double csf_detect_course_inset(const double *wall, const double *zk, const double *reach, size_t nk, double seg_mm,
                               double tol_mm, int right);
/* The same for extra component e of the spine, on its own side, measured
 * as its lateral reach is (the cardinal wall ray); 0 when unknown. */
double csf_detect_wall_inset(const csf_spine *sp, size_t e, double seg_mm);

#endif
