/* Classification of the sleeve-like components (sleeves.c): each sleeve
 * against the same patient's other sleeves. Every threshold is anatomy, the
 * physics of the acquisition or the scale (docs/analyze.md "Rules"). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect_internal.h"

/* Grade 1 when the 3D rules stand in for the 2D ones (too few levels named
 * in a projection): triangular expansion, at least twice a normal sleeve's
 * volume. The 3D grade 1 rests on the sleeve's own shape (wedge.c): a volume
 * ratio alone was fragile (a strip of sac rim merged with a sleeve doubles
 * it; a diverticulum exceeds it). */
#define EXPANSION_RATIO 2.0
/* ... and thicker than a sheet: a sleeve is >= 3.5 mm across (ball radius >= 1 mm). */
#define EXPANSION_MIN_R_MM 1.0
/* Leaked fluid is CSF: voxels above half maximum with a CSF core average
 * >= ~0.75 of the CSF level (rim values spread between 0.5 and 1); fat or
 * slow-flow blood that just crosses the threshold averages near 0.6. */
#define LEAK_MIN_SIGNAL 0.7
/* The wall at a sleeve's level may lie under the sac's smooth course (see
 * wall_corrected); 20 % narrower, the sleeve's volume holds sac CSF. */
#define WALL_DIP_MAX 0.2
/* Grade 2: fluid beyond the normal sleeves' reach by more than the scatter of
 * sleeve reach (sleeve length 6-9 mm at 25-50 degrees: +-1.3 mm; the data's
 * own scatter enters as 3 MADs) and one voxel (each reach is +-0.5 voxel). */
#define EXTENSION_MIN_MM 2.5
/* A relative call needs a few sleeves to compare with (two levels, both sides). */
#define MIN_REFS 4
#define NREF 6
/* Left and right sleeves of one level leave the sac at about the same height. */
#define PAIR_MM 6.0

double csf_detect_min_extension(double voxel_mm, double lat_mad)
{
    return fmax(fmax(EXTENSION_MIN_MM, voxel_mm), 3.0 * lat_mad);
}

static int lateral(const csf_extra *x) { return x->side == CSF_SIDE_LEFT || x->side == CSF_SIDE_RIGHT; }

static void set(csf_finding *f, int kind, int grade, const char *fmt, double a, double b)
{
    csf_detect_set(f, kind, grade, fmt, a, b);
}

int csf_detect_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double csf_detect_median(double *a, size_t m)
{
    qsort(a, m, sizeof a[0], csf_detect_cmp_double);
    return (m & 1) ? a[m / 2] : 0.5 * (a[m / 2 - 1] + a[m / 2]);
}

void csf_detect_med_mad(double *v, size_t n, double *med, double *mad)
{
    *med = *mad = NAN;
    if (n == 0)
        return;
    *med = csf_detect_median(v, n);
    for (size_t i = 0; i < n; i++)
        v[i] = fabs(v[i] - *med);
    *mad = csf_detect_median(v, n);
}

/* csf_detect_med_mad of a copy of a[0..m) (m <= NREF). */
static void med_mad(const double *a, size_t m, double *med, double *mad)
{
    double t[NREF];
    memcpy(t, a, m * sizeof t[0]);
    csf_detect_med_mad(t, m, med, mad);
}

/* Sleeve size follows a gradient along the spine: short thoracic sleeves,
 * longer lumbar ones, the longest at S1. At a transition (T12-L1 above all)
 * the nearest sleeves mix two sizes, and their median and MAD measure that
 * gradient, not the scatter of normal sleeves: at T12, between ~4 mm thoracic
 * and ~11 mm lumbar sleeves, the MAD of reach was 3.1 mm and a T12 leak
 * reaching 5 mm beyond its partner and its trend passed as normal (b30
 * case_0077). So the reference is the value at z of a robust straight line
 * through the neighbours (Siegel's repeated median: for each neighbour the
 * median of its slopes to the neighbours of other levels, the median of
 * those, then the median intercept; robust to a bilateral leak, two of the
 * six, among them), and the scatter
 * is the MAD about that line. Where sleeve size is flat the line is flat and
 * these are the median and MAD. The value stays within the neighbours'
 * range: the line interpolates sizes seen, it does not invent larger or
 * smaller ones beyond them. */
static void trend_at(const double *zs, const double *y, size_t m, double z, double *at, double *mad)
{
    csf_detect_line_at(zs, y, m, z, PAIR_MM, INFINITY, at, mad);
}

/* The neighbours idx[0..m) straddle the thoracolumbar junction: their
 * nearest named levels include thoracic and lumbar ones. The thin roots of
 * the thoracic (intercostal and subcostal) nerves meet the thick roots of the
 * lumbar plexus there, and the sleeves' size changes within two levels.
 * Within a region sleeve size is about even, and the median of the
 * neighbours is the yardstick most robust to a leak among them. The
 * cervicothoracic change lies at T1-T2 (the brachial plexus takes T1), not
 * at the C/T boundary of the names, and the long S1 pair is a step at the
 * end of the chain with its own rules (contralateral pair): neither is
 * treated as a gradient here. */
static int junction(const csf_extra *xs, const size_t *idx, size_t m, const csf_levels *lv)
{
    int t = 0, l = 0;
    for (size_t q = 0; lv && q < m; q++) {
        int near = csf_levels_nearest(lv, xs[idx[q]].contact_z_mm);
        char c = near >= 0 ? lv->name[near][0] : 0;
        t |= c == 'T';
        l |= c == 'L';
    }
    return t && l;
}

/* 1 when the named level nearest to world z is T1-T12 (d3div, wedge.c). */
static int thoracic_at(const csf_levels *lv, double z)
{
    int near = lv ? csf_levels_nearest(lv, z) : -1;
    return near >= 0 && lv->name[near][0] == 'T';
}

/* The first letter of the named level nearest to world z (C, T, L, S; 0
 * without levels). */
static char region_at(const csf_levels *lv, double z)
{
    int near = lv ? csf_levels_nearest(lv, z) : -1;
    return near >= 0 ? lv->name[near][0] : 0;
}

/* Which sleeves may serve as references (by their nearest named level). */
enum ref_group { ANY_LEVEL = 0, THORACIC, NOT_SACRAL };

/* The NREF sleeve-like components (cand) nearest to world z, `self`
 * excluded, of group `only`, into idx. Returns how many (<= NREF). */
static size_t nearest_sleeves(const csf_extra *xs, const int *cand, size_t n, size_t self, double z,
                              const csf_levels *lv, enum ref_group only, size_t *idx)
{
    double dist[NREF];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!cand[i] || i == self || (only == THORACIC && !thoracic_at(lv, xs[i].contact_z_mm)) ||
            (only == NOT_SACRAL && region_at(lv, xs[i].contact_z_mm) == 'S'))
            continue;
        double d = fabs(xs[i].contact_z_mm - z);
        if (m < NREF) {
            idx[m] = i;
            dist[m++] = d;
            continue;
        }
        size_t w = 0;
        for (size_t q = 1; q < NREF; q++)
            if (dist[q] > dist[w])
                w = q;
        if (d < dist[w]) {
            idx[w] = i;
            dist[w] = d;
        }
    }
    return m;
}

/* Reach, volume, root, mouth (median and MAD, or with trend the robust line
 * at z) and median thickness of the sleeves idx[0..m). */
static void refs_from(const csf_extra *xs, const size_t *idx, size_t m, double z, int trend, csf_sleeve_refs *r)
{
    double a[NREF] = {0}, b[NREF] = {0}, c[NREF] = {0}, d[NREF] = {0}, e[NREF] = {0}, zs[NREF] = {0}, cmad, dmad;
    for (size_t q = 0; q < m; q++) {
        a[q] = xs[idx[q]].lateral_extent_mm;
        b[q] = xs[idx[q]].volume_ml;
        c[q] = xs[idx[q]].inscribed_radius_mm;
        d[q] = (double)xs[idx[q]].depth_voxels[1];
        e[q] = (double)xs[idx[q]].depth_voxels[0];
        zs[q] = xs[idx[q]].contact_z_mm;
    }
    if (trend) {
        trend_at(zs, a, m, z, &r->lat, &r->lat_mad);
        trend_at(zs, b, m, z, &r->vol, &r->vol_mad);
        trend_at(zs, d, m, z, &r->root, &dmad);
        trend_at(zs, e, m, z, &r->mouth, &dmad);
    } else {
        med_mad(a, m, &r->lat, &r->lat_mad);
        med_mad(b, m, &r->vol, &r->vol_mad);
        r->root = csf_detect_median(d, m);
        r->mouth = csf_detect_median(e, m);
    }
    med_mad(c, m, &r->rad, &cmad);
}

/* For a lumbar sleeve at z whose neighbours idx[0..m) include sacral
 * sleeves, r's volume, root, mouth and thickness are taken from the
 * nearest non-sacral sleeves instead. */
static void lumbar_without_s1(const csf_extra *xs, const int *cand, size_t n, size_t self, double z,
                              const csf_levels *lv, const size_t *idx, size_t m, csf_sleeve_refs *r)
{
    /* The S1 pair is the other step of the chain: the S1 root runs steeply
     * caudally along the sac wall before it leaves, so its sleeve holds up
     * to 2-3 x a lumbar sleeve's volume (SLEEVE_MAX_RATIO and the
     * contralateral rule below) while it reaches sideways about as far as
     * L5's. Among the six nearest to an L4 or L5 sleeve the S1 pair raised
     * the median and the MAD of the volume (b34 case_0024 L4: MAD 0.039 ml
     * of 0.176, and a grade-1 wedge of 1.64 x stood under median + 3 MAD).
     * So a lumbar sleeve's volume, root and thickness are compared with the
     * nearest lumbar (and higher) sleeves when there are enough of them; its
     * reach keeps every neighbour (without S1 the reach of normal L5
     * sleeves, the longest lumbar ones, passed for grade 2: a first version
     * made five false L5 grade-2 findings on b31-b34). */
    int sacral = 0;
    for (size_t q = 0; q < m; q++)
        sacral |= region_at(lv, xs[idx[q]].contact_z_mm) == 'S';
    if (!sacral || region_at(lv, z) != 'L')
        return;
    size_t it[NREF] = {0};
    size_t mt = nearest_sleeves(xs, cand, n, self, z, lv, NOT_SACRAL, it);
    if (mt < MIN_REFS)
        return;
    csf_sleeve_refs rl;
    refs_from(xs, it, mt, z, 0, &rl);
    r->vol = rl.vol, r->vol_mad = rl.vol_mad, r->root = rl.root, r->mouth = rl.mouth, r->rad = rl.rad;
}

/* Lateral reach and volume (median, MAD) of the NREF sleeve-like components
 * nearest to world z (component `self` excluded; n for none). */
int csf_detect_sleeve_refs_at(const csf_extra *xs, const int *cand, size_t n, size_t self, double z,
                              const csf_levels *lv, csf_sleeve_refs *r)
{
    size_t idx[NREF] = {0};
    size_t m = nearest_sleeves(xs, cand, n, self, z, lv, ANY_LEVEL, idx);
    if (m < MIN_REFS)
        return 0;
    int trend = junction(xs, idx, m, lv);
    /* At the junction the size change is a step between T12 and L1, not a
     * slope: the subcostal (T12) root is a thoracic root, as thin as T11's,
     * and the roots of the lumbar plexus (L1-L4, with their large ganglia)
     * begin below it. A line through thoracic and lumbar neighbours lies
     * between the two sizes at T12 (a root of 13-14 voxels, where the
     * normal T11 and T12 sleeves hold 7-12 and L1's 15-21) and hid
     * grade-1 wedges whose root was 1.8-2 x that line (b33 case_0084,
     * 0111, 0124; found by session 3's median). So a
     * thoracic sleeve is compared with the thoracic sleeves nearest to it
     * (its partner, T11, T10 ...), when there are enough of them; a lumbar
     * sleeve keeps the line: below L1 the lumbar sleeves still grow toward
     * L5, so their median overstates L1 (s5lumb, docs/detector-log.md). */
    if (trend && thoracic_at(lv, z)) {
        size_t it[NREF] = {0};
        size_t mt = nearest_sleeves(xs, cand, n, self, z, lv, THORACIC, it);
        if (mt >= MIN_REFS) {
            memcpy(idx, it, sizeof it);
            m = mt;
            trend = 0;
        }
    }
    refs_from(xs, idx, m, z, trend, r);
    if (!trend)
        lumbar_without_s1(xs, cand, n, self, z, lv, idx, m, r);
    r->thoracic = thoracic_at(lv, z);
    r->lumbar = region_at(lv, z) == 'L';
    return 1;
}

/* The same around component `self`'s own sleeve exit. */
int csf_detect_sleeve_refs(const csf_extra *xs, const int *cand, size_t n, size_t self, const csf_levels *lv,
                           csf_sleeve_refs *r)
{
    return csf_detect_sleeve_refs_at(xs, cand, n, self, xs[self].contact_z_mm, lv, r);
}

/* Two sleeve exits at world z a and b belong to one level: within PAIR_MM,
 * or (3D) both nearest to the same named level, the level the report gives
 * them. The two sleeves of one level need not leave at one height: the S1
 * root runs steeply caudally along the sac wall before it leaves, and the
 * contact of one S1 sleeve can lie 8-16 mm below the other's, while the
 * next level's exit is a whole segment away. */
static int same_level(const csf_levels *lv, double a, double b)
{
    if (fabs(a - b) <= PAIR_MM)
        return 1;
    if (lv == NULL)
        return 0;
    int ia = csf_levels_nearest(lv, a);
    return ia >= 0 && ia == csf_levels_nearest(lv, b);
}

/* Volume beyond any normal root sleeve relative to its neighbours: the
 * largest sleeve (S1) has a root ~1.5 x as thick as its neighbours' and a
 * sleeve up to ~2 x as long, so at most ~1.5^2 x 2 = 4.5 x their volume. */
#define SLEEVE_MAX_RATIO 5.0

/* A triangular expansion widens the CSF space around the root: twice the
 * cross-section, sqrt(2) x the thickness (inscribed radius). A normal long S1
 * pair holds 2-3 x the lumbar sleeves' volume (long, steep sleeves) but is no
 * thicker than them, so volume alone cannot tell a bilateral expansion at S1
 * from S1 anatomy; thickness can. The other sleeve of a level is no norm
 * (3D) when it is itself expanded against its own neighbours in volume and
 * in thickness: that is a bilateral expansion, e.g. of both S1 sleeves. */
#define EXPANSION_THICK 1.41421356

/* Expanded against reference sleeves r, in volume and in thickness: sqrt(2) x
 * and by more than one voxel, since each inscribed radius of a digitised tube
 * is known to half a voxel (so a pair of big sleeves at a size transition of
 * the spine, C2 or L1, whose radius is one grid step above the thin sleeves
 * next to it, is not taken for an expansion). */
static int expanded_vs(const csf_extra *x, const csf_sleeve_refs *r, double voxel_mm)
{
    return x->volume_ml >= EXPANSION_RATIO * r->vol && x->volume_ml > r->vol + 3.0 * r->vol_mad &&
           isfinite(r->rad) && x->inscribed_radius_mm >= EXPANSION_THICK * r->rad &&
           x->inscribed_radius_mm - r->rad >= voxel_mm;
}

/* Not a normal sleeve by its own neighbours: longer than their reach (the
 * grade-2 rule) and holding more fluid than any normal sleeve could. */
static int leaks_vs_neighbours(const csf_extra *x, const csf_sleeve_refs *r, double voxel_mm)
{
    double min_ext = csf_detect_min_extension(voxel_mm, r->lat_mad);
    return x->volume_ml >= SLEEVE_MAX_RATIO * r->vol && x->volume_ml > r->vol + 3.0 * r->vol_mad &&
           x->lateral_extent_mm - r->lat > min_ext;
}

/* The other side at the same height: a leak is asymmetric, while a pair of
 * equally large or long sleeves is the anatomy of that level (lumbosacral
 * sleeves are the longest). Two exceptions, both anatomy:
 * - a perineural cyst there is a dilatation of that level's sleeve (at its
 *   dorsal root ganglion), so that sleeve reaches at least the cyst's far
 *   side (neck plus diameter): that is the level's reach; the cyst's ball is
 *   no sleeve volume;
 * - a "sleeve" there that is itself longer than its own neighbours and holds
 *   more than any normal sleeve could (SLEEVE_MAX_RATIO) is the other half of
 *   a bilateral leak, so it cannot vouch for this side. A normal S1 pair is
 *   longer than the lumbar sleeves and can hold twice their volume (more when
 *   the S2 sleeve merges with it), so neither reach nor a 2 x volume is
 *   enough (a reverted attempt, docs/detector-log.md). */
csf_contra_ref csf_detect_contralateral(const csf_extra *xs, const csf_finding *all, const int *cand, size_t n,
                                size_t self, double voxel_mm, int is2d, const csf_levels *lv)
{
    const csf_extra *best = NULL, *cyst = NULL;
    size_t bi = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == self || xs[i].side == xs[self].side || !lateral(&xs[i]) ||
            !same_level(lv, xs[i].contact_z_mm, xs[self].contact_z_mm))
            continue;
        if (cand[i] && (best == NULL || xs[i].volume_ml > best->volume_ml))
            best = &xs[i], bi = i;
        if (all[i].kind == CSF_FIND_CYST && xs[i].contact_voxels > 0 && isfinite(xs[i].ball_gap_mm))
            cyst = &xs[i];
    }
    csf_contra_ref c = {NAN, 0.0, 0.0};
    if (best != NULL && is2d) /* 2D: the projection's own rules (det2d) */
        return (csf_contra_ref){best->lateral_extent_mm, best->volume_ml, 0.0};
    if (best != NULL) {
        csf_sleeve_refs rb;
        int have = csf_detect_sleeve_refs(xs, cand, n, bi, lv, &rb);
        /* longer and fuller than the sleeves of the levels above and below
         * it: the other half of a bilateral leak (bilateral.c) */
        double level_reach;
        if (!is2d && csf_detect_bilateral_partner(xs, cand, n, bi, lv,
                                                  csf_detect_min_extension(voxel_mm, have ? rb.lat_mad : 0.0),
                                                  &level_reach)) {
            c.reach_mm = level_reach;
            return c;
        }
        if (!have || !leaks_vs_neighbours(best, &rb, voxel_mm)) {
            /* 3D: an other sleeve that is itself expanded against its own
             * neighbours is the other half of a bilateral expansion: it
             * is no norm for this side's volume or root. (Session 5 also
             * took the wedge rule's own bars here, csf_detect_wedge_widened:
             * it found b31 case_0183's bilateral L1 leak on the dev pool but
             * made false bilateral L1 grade 1 on three unseen cases, L1
             * pairs measured against mostly thoracic neighbours: reverted,
             * docs/detector-log.md.) */
            if (have && (expanded_vs(best, &rb, voxel_mm) ||
                         csf_detect_partner_no_norm(xs, cand, n, self, bi, &rb, lv))) /* partner.c */
                return (csf_contra_ref){best->lateral_extent_mm, 0.0, 0.0};
            return (csf_contra_ref){best->lateral_extent_mm, best->volume_ml, (double)best->depth_voxels[1]};
        }
    }
    if (cyst != NULL && !is2d) {
        double r = cyst->inscribed_radius_mm;
        c.reach_mm = fmin(cyst->lateral_extent_mm, fmax(0.0, cyst->ball_gap_mm) + 2.0 * r);
        /* a Tarlov cyst dilates the sleeve at its ganglion, at the far end:
         * the root of its sleeve, at the wall, is that level's root, while
         * the volume outside the cyst's inscribed ball (its non-spherical rim
         * and the sleeve) is no sleeve volume: the grade-1 expansion is
         * compared with the root only (wedge.c) */
        c.root = (double)cyst->depth_voxels[1];
    }
    return c;
}

/* Lateral, touching, not round: a normal sleeve or a leak graded by the scale.
 * The length of the high signal is its lateral reach from the sac wall
 * (grade 3 when longer than the local transverse sac width); "beyond the
 * sleeve" means beyond both an anatomical floor and the scatter of the
 * neighbouring sleeves' reach (3 MADs, about 2 standard deviations). */
/* 3D grade 1 by the sleeve's own shape (wedge.c): 1 grade 1, 2 diverticulum, -1 a rim strip (f set), 0 not expanded. */
static int wedge_3d(const csf_extra *x, const csf_sleeve_refs *r, csf_contra_ref contra, csf_finding *f)
{
    csf_wedge_ref w = {r->vol, r->vol_mad, r->root, contra.ml, contra.root, r->mouth, r->thoracic, r->lumbar};
    return csf_detect_wedge(x, &w, f);
}

void csf_detect_grade_sleeve(const csf_extra *x, const csf_sleeve_refs *r, csf_contra_ref contra, double voxel_mm,
                         int is2d, csf_sleeve_geo g, csf_finding *f)
{
    double W = x->local_width_mm, lat = x->lateral_extent_mm;
    double contra_ml = contra.ml;
    double ref_lat = isfinite(contra.reach_mm) ? fmax(r->lat, contra.reach_mm) : r->lat;
    /* 3D: fluid that would be no reference for the other side (longer than
     * its neighbours and >= SLEEVE_MAX_RATIO x their volume: more than any
     * normal sleeve, even S1's, holds) is not vouched for by the other side
     * either: a perineural cyst's far side there (b32 case_0087: an S1
     * grade-3 leak of 4.3 ml reaching 19.8 mm, against the 22.6 mm far side
     * of a 17 mm S1 cyst opposite) says how far that level's sleeve may
     * reach, not how far its leak may (d3div, docs/detector-log.md). */
    if (!is2d && isfinite(contra.reach_mm) && r->vol > 0 && leaks_vs_neighbours(x, r, voxel_mm))
        ref_lat = r->lat;
    double ext = lat - ref_lat;
    f->ref_reach_mm = ref_lat;
    f->extension_ratio = W > 0 ? lat / W : NAN;
    f->sleeve_ratio = r->vol > 0 ? x->volume_ml / r->vol : NAN;
    double min_ext = csf_detect_min_extension(voxel_mm, r->lat_mad);
    if (csf_detect_not_lateral(x, lat, f))
        return;
    if (!is2d && x->rel_intensity < LEAK_MIN_SIGNAL) {
        set(f, CSF_FIND_IGNORED, 0, "mean signal %.2f of CSF (< %.2f): not free CSF", x->rel_intensity,
            LEAK_MIN_SIGNAL);
        return;
    }
    /* asymmetric with the level's other sleeve (2D: volume only). In 3D
     * grade 1 rests on the sleeve's own shape instead (wedge.c). */
    int asym = !(contra_ml > 0 && x->volume_ml < EXPANSION_RATIO * contra_ml);
    int one_sleeve = x->craniocaudal_extent_mm <= g.max_cc_mm && 2.0 * g.dip_mm <= WALL_DIP_MAX * W;
    int expanded = is2d && f->sleeve_ratio >= EXPANSION_RATIO && x->volume_ml > r->vol + 3.0 * r->vol_mad &&
                   x->inscribed_radius_mm >= EXPANSION_MIN_R_MM && asym && one_sleeve;
    int shape = 0;
    /* 3D: no more fluid than the normal sleeve opposite: its course (pair_course.c) */
    if (!is2d && ext > min_ext && csf_detect_reach_is_course(x, r, contra_ml))
        ext = min_ext;
    if (lat > W && ext > min_ext)
        set(f, CSF_FIND_LEAK, 3, "fluid reaches %.1f mm from the sac wall, more than the sac width %.1f mm",
            lat, W);
    else if (ext > min_ext)
        set(f, CSF_FIND_LEAK, 2, "fluid %.1f mm beyond the sleeves' reach, shorter than the sac width %.1f mm",
            ext, W);
    else if (expanded)
        set(f, CSF_FIND_LEAK, 1, "root sleeve expanded to %.1f x the neighbouring sleeves (>= %.1f)",
            f->sleeve_ratio, EXPANSION_RATIO);
    else if (!is2d && one_sleeve && (shape = wedge_3d(x, r, contra, f)) > 0)
        return; /* a grade-1 expansion or a diverticulum by its shape: its body adds fluid at the wall */
    else if (!is2d && one_sleeve && !g.sacral && csf_detect_fluid_beyond(x, r, contra_ml, ext, voxel_mm))
        set(f, CSF_FIND_LEAK, 2, "fluid %.1f mm beyond the sleeves' reach holding %.1f x their volume "
            "(fluid in addition to the sleeve)", ext, f->sleeve_ratio);
    else if (shape < 0)
        return; /* the wedge rule's reason (a rim strip) stands */
    else
        set(f, CSF_FIND_IGNORED, 0, "normal root sleeve (%.1f x neighbours, extension %.1f mm)",
            f->sleeve_ratio, ext);
}

