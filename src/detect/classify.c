/* Classification of extra-sac fluid components. Every threshold is anatomy
 * or physics in mm or a ratio (docs/analyze.md "Rules"); none was fitted to
 * the phantom suite. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect_internal.h"

/* Spinal fluid reaches the sac: a root sleeve / foramen is ~10 mm long, while
 * kidneys, bowel and bladder lie beyond the vertebral body and psoas (> 20 mm). */
#define NEAR_MM 10.0
/* No single spinal CSF collection at one site exceeds ~30 ml; bladder does. */
#define NONSPINAL_ML 30.0
/* ... unless it spreads along the spine: the canal, foramina and paraspinal
 * gutters of one level hold at most a few sac cross-sections of fluid (mean
 * cross-section <= 4 W^2, about 5 x the sac's ~0.6-0.8 W^2), while the
 * bladder's cross-section is tens of sac cross-sections. An SLEC joined by a
 * profuse leak in a large patient exceeds 30 ml but not this. */
#define CANAL_CROSS_W2 4.0
/* Half-maximum segmentation lets in partial-volume rims; fluid whose mean
 * signal stays near that floor is intermediate signal (slow-flow veins). */
#define REL_MIN 0.55
/* SLEC: longitudinal over more than one segment (~20-30 mm) and longer than wide. */
#define SLEC_MIN_CC_MM 30.0
#define SLEC_MIN_ASPECT 2.0
/* ... and extradural: separated from the sac's CSF by the dura. A strip whose
 * rim mostly continues bright CSF inside the wall is intradural CSF behind
 * nerve roots that stopped the wall search. */
#define SLEC_MAX_CONTINUOUS 0.9
/* Round bodies: the smallest Tarlov cyst is ~5 mm across; a sphere on a thin
 * neck keeps most of its volume in the inscribed ball, a sleeve cone or
 * a streak keeps < 0.25. */
#define ROUND_MIN_R_MM 2.0
#define ROUND_MIN_BALL 0.35
/* Without a neck, round means rounder than the wide cone of an expanded
 * sleeve (a cone keeps <= ~0.45 of its volume in its inscribed ball). */
#define DIVERTICULUM_MIN_BALL 0.55
#define NECK_MIN_MM 1.0
/* A cyst on a long sleeve: a ball of >= 5 mm diameter away from the wall that
 * ends its component (fluid reaching past it is a leak), holding a fair part
 * of the volume. */
#define CYST_MIN_R_MM 2.5
#define CAP_MM 2.0
#define BULB_MIN_BALL 0.2
/* A root sleeve leaves the sac sideways: a leak along it reaches beyond the lateral wall. */
#define LEAK_MIN_LATERAL_MM 2.0
/* ... on one side: fluid wrapping both sides of the sac is the sac's own CSF
 * where the wall was under-estimated. */
#define ONE_SIDE_MAX 0.25
/* ... of one sleeve: confined to its level (a lumbar sleeve spans <= ~20 mm
 * of height); in 3D also to its own segment (the local spacing of the levels):
 * taller fluid joins the sleeves of two levels (cervical segments are ~16 mm). */
#define SLEEVE_MAX_CC_MM 30.0
/* Lateral reach of a normal root sleeve beyond the sac wall (6-12 mm). */
#define DEFAULT_SLEEVE_REACH_MM 10.0
/* Outpouchings that stay within ~2 voxels of the estimated wall cannot be
 * told from its partial-volume rim; every root sleeve reaches farther (6-20 mm). */
#define RIM_MM 4.0

const char *csf_finding_kind_name(int kind)
{
    static const char *const n[5] = {"leak", "perineural_cyst", "slec", "diverticulum", "ignored"};
    return kind >= 0 && kind < 5 ? n[kind] : "ignored";
}

static int lateral(const csf_extra *x) { return x->side == CSF_SIDE_LEFT || x->side == CSF_SIDE_RIGHT; }

void csf_detect_set(csf_finding *f, int kind, int grade, const char *fmt, double a, double b)
{
    f->kind = kind;
    f->grade = grade;
    snprintf(f->reason, sizeof f->reason, fmt, a, b);
}

static void set(csf_finding *f, int kind, int grade, const char *fmt, double a, double b)
{
    csf_detect_set(f, kind, grade, fmt, a, b);
}

int csf_detect_not_lateral(const csf_extra *x, double lat, csf_finding *f)
{
    if (x->minor_side_fraction > ONE_SIDE_MAX) {
        set(f, CSF_FIND_IGNORED, 0, "wraps around the sac (%.0f%% on the other side, > %.0f%%): sac CSF",
            100 * x->minor_side_fraction, 100 * ONE_SIDE_MAX);
        return 1;
    }
    if (lat < LEAK_MIN_LATERAL_MM) {
        set(f, CSF_FIND_IGNORED, 0, "no lateral reach (%.1f mm beyond the lateral wall, < %.0f)", lat,
            LEAK_MIN_LATERAL_MM);
        return 1;
    }
    return 0;
}

/* The ball-fraction bounds above are shares of a volume. On the 2D projection
 * the inscribed ball is a disc and its fraction a share of the component's
 * area (extras.c): for one shape, scaled about its inscribed ball, the
 * area share is the volume share to the power 2/3 (an expanded sleeve's
 * cone keeps ~0.45 of its volume in its ball, and its triangular silhouette
 * ~0.6 of its area in its inscribed disc). Applying the volume bounds to
 * areas called shapes round that are not (a profuse leak ending in a blob,
 * 0.42 of its area in the disc, passed for a cyst). */
static double ball_share(double volume_share, int is2d)
{
    return is2d ? pow(volume_share, 2.0 / 3.0) : volume_share;
}

/* Shape and position rules that do not need the neighbouring sleeves. Returns
 * 1 when decided. */
static int classify_shape(const csf_extra *x, double touch, double voxel_mm, int is2d, int cut,
                          csf_finding *f)
{
    if (x->min_wall_mm > NEAR_MM) {
        set(f, CSF_FIND_IGNORED, 0, "non-spinal fluid: %.1f mm from the sac (> %.0f)", x->min_wall_mm, NEAR_MM);
        return 1;
    }
    double cross_mm2 = x->craniocaudal_extent_mm > 0 ? 1e3 * x->volume_ml / x->craniocaudal_extent_mm : INFINITY;
    int along_spine = cross_mm2 <= CANAL_CROSS_W2 * x->local_width_mm * x->local_width_mm;
    if (x->volume_ml > NONSPINAL_ML && !is2d && !along_spine) {
        set(f, CSF_FIND_IGNORED, 0, "non-spinal fluid: %.1f ml (> %.0f)", x->volume_ml, NONSPINAL_ML);
        return 1;
    }
    if (!is2d && x->rel_intensity < REL_MIN) { /* 2D: signal measures depth, not fluid */
        set(f, CSF_FIND_IGNORED, 0, "intermediate signal %.2f of CSF (< %.2f): not free fluid",
            x->rel_intensity, REL_MIN);
        return 1;
    }
    if (cut) {
        set(f, CSF_FIND_IGNORED, 0, "cut by the field of view (%.0f mm from the sac, %.0f mm reach): extent not measurable",
            x->min_wall_mm, x->max_wall_mm);
        return 1;
    }
    double wide = is2d ? (double)(x->bbox_max[0] - x->bbox_min[0] + 1) : x->ap_extent_mm;
    /* ventral/dorsal, or spanning both sides of the sac: a collection in front
     * of (behind) the sac crosses the midline, and a leak arm attached to it
     * can pull its centroid to one side */
    int across = !lateral(x) || x->minor_side_fraction > ONE_SIDE_MAX;
    /* The epidural space that holds an SLEC lies inside the spinal canal,
     * whose AP diameter is about the sac's own (the sac fills most of it):
     * the mass centre of a collection in it lies well within one transverse
     * sac width in front of (behind) the sac's centre, and a profuse leak
     * joining it runs sideways along the root sleeves, not forward. A long
     * collection centred farther ventrally than that lies in front of the
     * vertebral bodies: abdominal or pelvic fluid (bowel, bladder). */
    if (!is2d && across && x->craniocaudal_extent_mm >= SLEC_MIN_CC_MM &&
        fabs(x->offset_mm[1]) > x->local_width_mm) {
        set(f, CSF_FIND_IGNORED, 0, "non-spinal fluid: centred %.0f mm in front of/behind the sac's centre, "
            "beyond the canal (sac width %.0f mm)", fabs(x->offset_mm[1]), x->local_width_mm);
        return 1;
    }
    if (!is2d && across && x->craniocaudal_extent_mm >= SLEC_MIN_CC_MM &&
        x->craniocaudal_extent_mm >= SLEC_MIN_ASPECT * wide && x->inner_bright_fraction < SLEC_MAX_CONTINUOUS) {
        set(f, CSF_FIND_SLEC, 0, "extradural, %.0f mm long (>= %.0f), ventral/dorsal",
            x->craniocaudal_extent_mm, SLEC_MIN_CC_MM);
        return 1;
    }
    int round = x->inscribed_radius_mm >= ROUND_MIN_R_MM && x->ball_fraction >= ball_share(ROUND_MIN_BALL, is2d);
    int touching = x->min_wall_mm <= touch;
    /* 2D: the fluid mask leaves out a rim of max(1 mm, 0.75 pixel) at the
     * wall, so a ball that starts there has no neck; a neck is NECK_MIN_MM
     * of sleeve beyond that rim */
    double neck_min = is2d ? NECK_MIN_MM + fmax(1.0, 0.75 * voxel_mm) : NECK_MIN_MM;
    int neck = !touching || (isfinite(x->ball_gap_mm) && x->ball_gap_mm >= neck_min);
    /* a bulb that caps its component: nothing reaches much beyond the ball's far side */
    double r_in = x->inscribed_radius_mm;
    int capped = isfinite(x->ball_gap_mm) &&
                 x->max_wall_mm - (x->ball_gap_mm + 2.0 * r_in) <= fmax(CAP_MM, 0.5 * r_in);
    /* 3D: the round body is measured on its voxels (body_fraction, extras.c):
     * the inscribed ball of a small digitised cyst falls up to a voxel short
     * of it (a 6 mm cyst keeps a 2 mm ball), so its share of the component is
     * the body's, and its size may be that of the sphere of the body's
     * volume, but only for a body that is discrete: a perineural cyst grows
     * at the ganglion, at the far end of the sleeve, so its neck is longer
     * than the cyst is wide, while the widened root of an expanded sleeve or
     * a sac diverticulum lies within its own width of the wall (a small
     * compact body there fills the sphere of its volume whatever its shape) */
    double body = is2d ? x->ball_fraction : x->body_fraction;
    double r_body = is2d ? r_in : cbrt(0.75 / M_PI * body * x->volume_ml * 1e3);
    int sized = r_in >= CYST_MIN_R_MM ||
                (!is2d && r_body >= CYST_MIN_R_MM && isfinite(x->ball_gap_mm) && x->ball_gap_mm >= 2.0 * r_body);
    int bulb = sized && neck && capped && body >= ball_share(BULB_MIN_BALL, is2d);
    if ((round && neck) || bulb) {
        if (lateral(x)) {
            set(f, CSF_FIND_CYST, 0, "round (ball radius %.1f mm), on a neck of %.1f mm", r_in,
                touching ? x->ball_gap_mm : x->min_wall_mm);
            /* 2D: a round body joined to the wall by bright fluid is checked
             * for a triangular expansion at the wall (classify_2d.c) */
            return is2d && touching ? 2 : 1;
        }
    }
    if (round && (x->ball_fraction >= ball_share(DIVERTICULUM_MIN_BALL, is2d) || !lateral(x))) {
        set(f, CSF_FIND_DIVERTICULUM, 0, "round outpouching of the sac (ball fraction %.2f, radius %.1f mm)",
            x->ball_fraction, x->inscribed_radius_mm);
        return 1;
    }
    if (!touching) {
        set(f, CSF_FIND_IGNORED, 0, "isolated fluid %.1f mm from the sac, not round (%.2f): "
            "facet effusion or other", x->min_wall_mm, x->ball_fraction);
        return 1;
    }
    double rim = fmax(RIM_MM, 2.5 * voxel_mm);
    if (x->max_wall_mm < rim) {
        set(f, CSF_FIND_IGNORED, 0, "wall rim: reaches %.1f mm beyond the wall (< %.1f)", x->max_wall_mm, rim);
        /* 2D: a short thoracic sleeve root can be all that shows of a
         * triangular expansion: classify_2d.c checks its level */
        return is2d && lateral(x) ? 3 : 1;
    }
    if (!lateral(x)) {
        set(f, CSF_FIND_IGNORED, 0, "small ventral/dorsal fluid (%.0f mm long, ball %.2f)",
            x->craniocaudal_extent_mm, x->ball_fraction);
        return 1;
    }
    return 0;
}

/* Touches a border of the image: its extent (and what it is) is unknown. */
static int cut_by_fov(const csf_spine *sp, const csf_extra *x)
{
    const csf_volume *v = csf_spine_volume(sp);
    for (int a = 0; a < 3; a++) {
        if (a == 1 && csf_spine_is_2d(sp))
            continue;
        if (x->bbox_min[a] == 0 || x->bbox_max[a] + 1 >= v->dim[a])
            return 1;
    }
    return 0;
}

/* Height of the vertebral segments of the spine region at world z: the
 * median spacing of the consecutive named levels of that region (C, T, L or
 * S, from the level nearest to z), robust to a misplaced level; infinite when
 * fewer than three levels of the region are known. Beyond the named levels
 * (above C2: no foramen magnum in view; below the sacral levels) the region
 * is that of the nearest end: fluid there still belongs to, or lies beyond,
 * that region, and a sheet of cisternal CSF around the top of the sac (up
 * to 30 mm tall) was otherwise measured against no segment at all. */
static double segment_mm(const csf_spine *sp, double z)
{
    const csf_levels *lv = csf_spine_levels(sp);
    if (lv->n == 0 || lv->n > CSF_MAX_LEVELS)
        return INFINITY;
    int near = 0;
    for (size_t i = 1; i < lv->n; i++)
        if (fabs(lv->z_mm[i] - z) < fabs(lv->z_mm[near] - z))
            near = (int)i;
    double zs[CSF_MAX_LEVELS], gap[CSF_MAX_LEVELS];
    size_t m = 0;
    for (size_t i = 0; i < lv->n; i++)
        if (lv->name[i][0] == lv->name[near][0])
            zs[m++] = lv->z_mm[i];
    if (m < 3)
        return INFINITY;
    qsort(zs, m, sizeof zs[0], csf_detect_cmp_double);
    for (size_t q = 0; q + 1 < m; q++)
        gap[q] = zs[q + 1] - zs[q];
    return csf_detect_median(gap, m - 1);
}

/* The tallest one sleeve's fluid can be before it joins the next level's
 * sleeve: one segment of its region. S1 is the lowest sleeve leaving the sac
 * sideways (the S2-S5 roots leave through its tip), so the only sleeve its
 * fluid can join is L5's, a whole L5-S1 segment above; the S2 and S3 heights
 * are only extrapolated (0.8 of that segment). The normal S1 sleeve itself
 * runs steeply caudally and can be taller than that extrapolated segment. */
static double sleeve_max_cc(const csf_spine *sp, double z)
{
    const csf_levels *lv = csf_spine_levels(sp);
    int near = csf_levels_nearest(lv, z);
    double seg = segment_mm(sp, z);
    if (near >= 0 && strcmp(lv->name[near], "S1") == 0)
        for (size_t i = 0; i < lv->n; i++)
            if (strcmp(lv->name[i], "L5") == 0 && lv->z_mm[i] > lv->z_mm[near])
                seg = lv->z_mm[i] - lv->z_mm[near];
    return fmin(SLEEVE_MAX_CC_MM, seg);
}

/* The level nearest z is sacral (S1 or below). */
static int sacral_level(const csf_spine *sp, double z)
{
    const csf_levels *lv = csf_spine_levels(sp);
    int near = csf_levels_nearest(lv, z);
    return near >= 0 && csf_level_index(lv->name[near]) >= csf_level_index("S1");
}

/* Absolute transverse position (mm along i) of the sac's lateral wall on one
 * side (right = 1) in the tracked slice nearest world z; NaN when no tracked
 * slice lies within a slice or two of z. */
static double side_wall_mm(const csf_spine *sp, double z, int right)
{
    size_t ns, k0, k1;
    const csf_sac_slice *sl = csf_spine_slices(sp, &ns, &k0, &k1);
    const csf_volume *v = csf_spine_volume(sp);
    size_t best = SIZE_MAX;
    double bd = INFINITY;
    for (size_t k = k0; sl && k <= k1 && k < ns; k++)
        if (sl[k].present && fabs(sl[k].center_mm[2] - z) < bd) {
            bd = fabs(sl[k].center_mm[2] - z);
            best = k;
        }
    if (best == SIZE_MAX || bd > 2.0 * v->spacing[2] + 1.0)
        return NAN;
    double r = sl[best].radius_mm[right ? 0 : CSF_SAC_NRAYS / 2], c = sl[best].center_vox[0] * v->spacing[0];
    return right ? c + r : c - r;
}

/* How far (mm) the lateral wall on one side, in the slice where a component's
 * lateral reach was measured (its farthest point), lies inside the wall's
 * course along the spine: the median of its absolute positions half and one
 * segment above and below. The sac's wall moves sideways only slowly (the
 * sac tapers, it does not pinch or jump), so a wall that lies inside that
 * course is a measurement error, of two kinds: the lateral ray stopped on a
 * nerve root crossing the CSF toward its sleeve (the dark cauda equina roots
 * of the lumbar sac), or the tracked centre was pulled sideways by fluid
 * merged with the sac's slice component (a profuse leak on the other side),
 * which moves both walls with it while their radii are filtered along the
 * spine. Either way the component's reach is measured from a wall that is too
 * far in, and it holds the sac's own CSF between the two walls. All five
 * positions must be known: at the sac's ends a taper is not a pinch. */
static double side_wall_dip(const csf_spine *sp, double z, int right, double seg)
{
    double w[5];
    for (int q = 0; q < 5; q++) {
        w[q] = side_wall_mm(sp, z + 0.5 * seg * (double)(q - 2), right);
        if (!isfinite(w[q]))
            return 0.0;
    }
    double here = w[2], ref = csf_detect_median(w, 5);
    double in = right ? ref - here : here - ref; /* > 0: this wall lies inside its course */
    return in > 0 ? in : 0.0;
}

/* The dural sac's width changes smoothly along the spine (it tapers, it does
 * not pinch): a transverse width under the median of the widths half and one
 * segment above and below (for a monotonic course that median is the width
 * itself) is the wall search stopping early, on a nerve root crossing the
 * lateral CSF toward its sleeve. There the wall is taken from that median, the
 * lateral reach is measured from it (the half-width difference less), and the
 * sleeve's volume, which then holds sac CSF, is not trusted for an expansion. */
static void wall_corrected(const csf_spine *sp, const csf_extra *xs, size_t n, csf_extra **out, double **dip)
{
    *out = malloc((n + 1) * sizeof **out);
    *dip = calloc(n + 1, sizeof **dip);
    if (*out == NULL || *dip == NULL) {
        free(*out);
        free(*dip);
        *out = NULL;
        *dip = NULL;
        return;
    }
    memcpy(*out, xs, n * sizeof *xs);
    for (size_t i = 0; i < n; i++) {
        double z = xs[i].contact_z_mm, seg = segment_mm(sp, z), w[5];
        if (!isfinite(seg))
            seg = 2.0 * DEFAULT_SLEEVE_REACH_MM + 5.0; /* ~25 mm: a thoracolumbar segment */
        for (int q = 0; q < 5; q++)
            w[q] = csf_spine_width_at_z(sp, z + 0.5 * seg * (double)(q - 2));
        double W = xs[i].local_width_mm, ref = csf_detect_median(w, 5);
        if (ref > W && isfinite(ref) && isfinite(W)) {
            (*dip)[i] = 0.5 * (ref - W);
            (*out)[i].local_width_mm = ref;
        }
        /* the reach is measured at the component's farthest point, against
         * that slice's wall on its side. Not at the sacral levels: below S1
         * the sac narrows to its tip and follows the sacrum's curve, so its
         * walls move sideways there (b28 case_0041: the left wall 7 mm out
         * and back within 30 mm near the tip) */
        if (isfinite(xs[i].lateral_z_mm) && xs[i].lateral_extent_mm > 0 && !sacral_level(sp, xs[i].lateral_z_mm))
            (*dip)[i] = fmax((*dip)[i], side_wall_dip(sp, xs[i].lateral_z_mm,
                                                      xs[i].lateral_side == CSF_SIDE_RIGHT, seg));
        (*out)[i].lateral_extent_mm = fmax(0.0, xs[i].lateral_extent_mm - (*dip)[i]);
    }
}

/* A longitudinal collection (SLEC) lies in the epidural space in front of or
 * behind the sac, between the pedicles: it does not reach far beyond the
 * sac's side. Fluid of the same component that reaches laterally beyond the
 * local sac width and beyond the normal sleeves there is a profuse leak
 * joining it (grade 3 by the scale). Shorter lateral parts are not called:
 * normal sleeves crossing the epidural space merge with the collection. */
static size_t slec_arms(const csf_spine *sp, const csf_extra *xs, const int *cand, size_t n, double voxel_mm,
                        csf_finding *all)
{
    size_t m = n;
    for (size_t i = 0; i < n; i++) {
        const csf_extra *x = &xs[i];
        if (all[i].kind != CSF_FIND_SLEC || !isfinite(x->lateral_z_mm))
            continue;
        csf_sleeve_refs r;
        if (!cand || !csf_detect_sleeve_refs_at(xs, cand, n, n, x->lateral_z_mm, csf_spine_levels(sp), &r))
            r = (csf_sleeve_refs){DEFAULT_SLEEVE_REACH_MM, 0.0, NAN, NAN, NAN, NAN, NAN, 0, 0};
        double W = csf_spine_width_at_z(sp, x->lateral_z_mm), lat = x->lateral_extent_mm;
        double min_ext = csf_detect_min_extension(voxel_mm, r.lat_mad);
        if (!(W > 0) || lat <= W || lat - r.lat <= min_ext)
            continue;
        csf_finding *f = &all[m++];
        *f = all[i];
        f->arm = 1;
        f->ref_reach_mm = r.lat;
        f->extension_ratio = lat / W;
        f->local_width_mm = W;
        set(f, CSF_FIND_LEAK, 3, "leak joining a longitudinal collection: reaches %.1f mm from the sac wall, "
            "more than the sac width %.1f mm", lat, W);
    }
    return m;
}

size_t csf_detect_classify(const csf_spine *sp, csf_finding *all)
{
    size_t n;
    const csf_extra *xs = csf_spine_extras(sp, &n);
    int is2d = csf_spine_is_2d(sp);
    double voxel = csf_detect_voxel_mm(sp);
    double touch = 1.0 + 2.0 * voxel;
    int *cand = calloc(n + 1, sizeof *cand);
    double z_c2_max = csf_detect_cisternal_limit(sp);
    for (size_t i = 0; i < n; i++) {
        csf_finding *f = &all[i];
        memset(f, 0, sizeof *f);
        f->extra_index = i;
        f->level_index = f->level_to_index = f->region = -1;
        f->extension_ratio = f->sleeve_ratio = f->ref_reach_mm = NAN;
        if (xs[i].contact_z_mm > z_c2_max) {
            set(f, CSF_FIND_IGNORED, 0, "cisternal CSF: %.0f mm above the lowest C2 exit (%.0f mm "
                "below the foramen magnum)", xs[i].contact_z_mm - z_c2_max, CSF_C2_BELOW_FM_MM);
            continue;
        }
        int decided = classify_shape(&xs[i], touch, voxel, is2d, cut_by_fov(sp, &xs[i]), f);
        if (decided >= 2 && cand)
            cand[i] = decided; /* a cyst / rim unless classify_2d finds its sleeve expanded */
        if (!decided) {
            f->kind = -1; /* decided below */
            /* references: whole sleeves, not noise fragments at the wall */
            if (cand)
                cand[i] = xs[i].lateral_extent_mm >= LEAK_MIN_LATERAL_MM;
        }
    }
    size_t used2d = n;
    if (is2d && cand && csf_detect_grade_2d(sp, cand, all, 2 * n + 1 + CSF_DETECT_LEVEL_FINDINGS, &used2d)) {
        free(cand);
        return used2d;
    }
    csf_extra *xc = NULL;
    double *dip = NULL;
    if (!is2d)
        wall_corrected(sp, xs, n, &xc, &dip);
    const csf_extra *xg = xc ? xc : xs;
    for (size_t i = 0; i < n && !is2d; i++) { /* C2 sheets; cysts the bulb test missed (sacral_cyst.c) */
        csf_sleeve_refs r;
        if (all[i].kind != -1)
            continue;
        if (csf_detect_c2_sheet(csf_spine_levels(sp), &xs[i])) { /* c2_sheet.c */
            set(&all[i], CSF_FIND_IGNORED, 0, "sac CSF beside the cisterna magna: root layer %.0f of a %.0f-voxel "
                "mouth (< 1/3)", (double)xs[i].depth_voxels[1], (double)xs[i].depth_voxels[0]);
            continue; /* it holds the C2 sleeve: still the level's reference, from the same lagging wall */
        }
        if (sacral_level(sp, xs[i].contact_z_mm) ? csf_detect_sacral_cyst(&xs[i])
            : cand && csf_detect_sleeve_refs(xg, cand, n, i, csf_spine_levels(sp), &r) &&
                  csf_detect_short_sleeve_cyst(&xs[i], r.lat)) {
            set(&all[i], CSF_FIND_CYST, 0, "round body holding %.0f%% of its fluid on a %.1f mm neck",
                100.0 * xs[i].body_fraction, xs[i].ball_gap_mm);
            if (cand)
                cand[i] = 0;
        }
    }
    for (size_t i = 0; i < n && !is2d && cand; i++) { /* profuse leaks that pass for cysts (profuse.c) */
        csf_sleeve_refs r;
        if (all[i].kind == CSF_FIND_CYST && csf_detect_sleeve_refs(xg, cand, n, i, csf_spine_levels(sp), &r) &&
            csf_detect_cyst_overflows(&xs[i], r.vol, r.vol_mad, sacral_level(sp, xs[i].contact_z_mm)))
            all[i].kind = -1; /* graded below by the scale */
    }
    for (size_t i = 0; i < n; i++) {
        if (all[i].kind != -1)
            continue;
        csf_sleeve_refs r;
        if (!cand || !csf_detect_sleeve_refs(xg, cand, n, i, is2d ? NULL : csf_spine_levels(sp), &r)) {
            /* too few sleeves in view to compare: a typical sleeve reach,
             * and no expansion call without neighbours */
            r = (csf_sleeve_refs){DEFAULT_SLEEVE_REACH_MM, 0.0, NAN, NAN, NAN, NAN, NAN, 0, 0};
        }
        csf_contra_ref c = cand ? csf_detect_contralateral(xg, all, cand, n, i, voxel, is2d, is2d ? NULL : csf_spine_levels(sp))
                            : (csf_contra_ref){NAN, 0.0, 0.0};
        csf_sleeve_geo g = {SLEEVE_MAX_CC_MM, 0.0, 0};
        if (!is2d) {
            g.max_cc_mm = sleeve_max_cc(sp, xs[i].contact_z_mm);
            g.dip_mm = dip ? dip[i] : 0.0;
            g.sacral = sacral_level(sp, xs[i].contact_z_mm);
            /* That dip is read in one slice, where the reach was measured
             * (the component's farthest point). A sleeve's volume and layers
             * hold sac CSF wherever, over any of its own slices, the wall on
             * its side lies inside the wall's course: in the lumbar sac the
             * cauda equina roots run down the lateral CSF toward their
             * sleeves, a wall ray stops on one over the 15-20 mm above the
             * exit, and the crescent of sac CSF beyond it merges with the
             * sleeve, above its farthest point (b39 case_0050 L3, b32
             * case_0122 L3: the wall 2.3-2.8 mm inside its course there, 0.4
             * and 1.8 mm at the farthest point; grade-1 "expansions" with no
             * leak). So the largest inset over its slices stands for the dip
             * in the trust of its volume (wall_course.c). Only at L1-L5, where
             * the roots lie in the sac, and only for a component holding more
             * than its neighbours' median (nothing less is judged by its
             * volume). */
            if (r.lumbar && r.vol > 0 && xg[i].volume_ml > r.vol)
                g.dip_mm = fmax(g.dip_mm, csf_detect_wall_inset(sp, i, segment_mm(sp, xs[i].contact_z_mm)));
        }
        csf_detect_grade_sleeve(&xg[i], &r, c, voxel, is2d, g, &all[i]);
    }
    size_t m = is2d ? n : slec_arms(sp, xs, cand, n, voxel, all);
    if (!is2d)
        m = csf_detect_slec_profile_arms(sp, xs, cand, n, voxel, all, m, 2 * n + 1 + CSF_DETECT_LEVEL_FINDINGS);
    if (!is2d)
        m = csf_detect_slec_far_wedges(sp, xs, cand, n, all, m, 2 * n + 1 + CSF_DETECT_LEVEL_FINDINGS);
    free(cand);
    free(xc);
    free(dip);
    return m;
}
