/* Step 5: automatic vertebral levels. Every level from C2 to S1 sends a root
 * sleeve out of each side of the sac, so the lateral outpouchings that touch
 * the wall, grouped by height, are the levels; counting needs one anchor seen
 * in the field of view: the sac's caudal end (the last pair above it is S1)
 * or the foramen magnum (the first pair below it is C2). Missing pairs are
 * filled where a gap is about twice the local spacing. Without an anchor the
 * levels stay unknown (method "none") rather than guessed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spine_internal.h"

#define PAIR_TOL_MM 6.0     /* left and right sleeves of one level exit at about the same z */
#define ANCHOR_MAX_MM 70.0  /* S1 exit is 1-2 segments above the sac end; C2 ~1-2 below the FM */
#define S1_MIN_MM 12.0
#define C2_MIN_MM 12.0
/* A root sleeve, even a widened one, holds well under 1.5 ml; larger lateral
 * fluid is a leak spreading over levels and would blur the level count. */
#define SLEEVE_MAX_ML 1.5
#define IDX_C2 1
#define IDX_S1 24

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* Sorted (descending z) cluster centres of sleeve exits; cnt[] (may be
 * NULL) gets the number of sleeves in each. */
static size_t clusters(const csf_spine *sp, double *z, size_t *cnt, size_t cap)
{
    double *all = malloc((sp->nextra + 1) * sizeof *all);
    if (all == NULL)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < sp->nextra; i++)
        if (sp->extras[i].is_sleeve)
            all[n++] = sp->extras[i].contact_z_mm;
    qsort(all, n, sizeof *all, cmp_desc);
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double s = 0;
        while (j < n && all[i] - all[j] <= PAIR_TOL_MM)
            s += all[j++];
        if (m < cap) {
            if (cnt != NULL)
                cnt[m] = j - i;
            z[m++] = s / (double)(j - i);
        }
        i = j;
    }
    free(all);
    return m;
}

/* Joins clusters that are one level: consecutive root exits are a vertebral
 * segment apart, and the segment height changes only gradually along the
 * spine, so two clusters less than half the local spacing apart (the median
 * gap of the neighbouring clusters) are zero segments apart, by the same
 * rounding that makes a double gap two segments in fill_gaps. They are the
 * two sleeves of one level leaving at different heights (the S1 root runs
 * steeply caudally along the sac wall before it leaves, so the contact of
 * its sleeve can lie 8-16 mm below the other side's), or a sleeve and a
 * widened sleeve of the same level. The joined height is the mean of all
 * their sleeves. Returns the new count. */
static size_t join_close(double *z, size_t *cnt, size_t n)
{
    while (n >= 4) {
        double gaps[64], buf[64], best = INFINITY;
        size_t bi = n;
        for (size_t i = 0; i + 1 < n; i++)
            gaps[i] = z[i] - z[i + 1];
        for (size_t i = 0; i + 1 < n; i++) {
            size_t a = i >= 3 ? i - 3 : 0, b = i + 4 < n - 1 ? i + 4 : n - 1;
            double r = gaps[i] / csf_median_nan(gaps + a, b - a, buf);
            if (r < 0.5 && r < best) {
                best = r;
                bi = i;
            }
        }
        if (bi == n)
            break;
        double w = (double)(cnt[bi] + cnt[bi + 1]);
        z[bi] = (z[bi] * (double)cnt[bi] + z[bi + 1] * (double)cnt[bi + 1]) / w;
        cnt[bi] += cnt[bi + 1];
        memmove(z + bi + 1, z + bi + 2, (n - bi - 2) * sizeof *z);
        memmove(cnt + bi + 1, cnt + bi + 2, (n - bi - 2) * sizeof *cnt);
        n--;
    }
    return n;
}

/* Fills missing levels: a gap close to g times the median spacing of its
 * neighbours becomes g segments. Returns the new count. */
static size_t fill_gaps(double *z, size_t n, size_t cap)
{
    if (n < 3)
        return n;
    double out[64], gaps[64], buf[64];
    size_t m = 0;
    for (size_t i = 0; i + 1 < n; i++)
        gaps[i] = z[i] - z[i + 1];
    out[m++] = z[0];
    for (size_t i = 0; i + 1 < n && m < 64; i++) {
        size_t a = i >= 3 ? i - 3 : 0, b = i + 4 < n - 1 ? i + 4 : n - 1;
        double med = csf_median_nan(gaps + a, b - a, buf);
        long g = lround(gaps[i] / med);
        for (long q = 1; q < g && m < 64; q++)
            out[m++] = z[i] - gaps[i] * (double)q / (double)g;
        if (m < 64)
            out[m++] = z[i + 1];
    }
    if (m > cap)
        m = cap;
    memcpy(z, out, m * sizeof *z);
    return m;
}

static double k_to_z(const csf_spine *sp, double k)
{
    size_t kr = (size_t)lround(k);
    const csf_sac_slice *s = &sp->slices[kr];
    double ijk[3] = {s->center_vox[0], s->center_vox[1], k}, w[3];
    csf_volume_ijk_to_ras(sp->vol, ijk, w);
    return w[2];
}

/* Marks sleeves: lateral, touching the wall, at most a few ml. */
static void mark_sleeves(csf_spine *sp)
{
    double touch = 2.5 * fmax(1.0, sp->is2d ? sp->sx : fmax(sp->sx, sp->sy));
    for (size_t i = 0; i < sp->nextra; i++) {
        csf_extra *x = &sp->extras[i];
        /* round bodies are cysts or diverticula, not sleeves (see detect) */
        int round = x->inscribed_radius_mm >= 2.0 && x->ball_fraction >= 0.35;
        x->is_sleeve = (x->side == CSF_SIDE_LEFT || x->side == CSF_SIDE_RIGHT) &&
                       x->contact_voxels > 0 && x->min_wall_mm <= touch && x->volume_ml < SLEEVE_MAX_ML &&
                       x->craniocaudal_extent_mm < 60.0 && !round && x->max_wall_mm >= 4.0;
    }
}

/* S2 and S3 (no sleeve from the sac: their roots leave its end) extrapolated
 * below S1 with 0.8 of the L5-S1 spacing: sacral segments are shorter than
 * lumbar ones. Only where cysts hanging from the sac end need a name. */
static void add_sacral(csf_levels *lv)
{
    double s1 = NAN, l5 = NAN;
    for (size_t i = 0; i < lv->n; i++) {
        if (strcmp(lv->name[i], "S1") == 0)
            s1 = lv->z_mm[i];
        if (strcmp(lv->name[i], "L5") == 0)
            l5 = lv->z_mm[i];
    }
    if (!isfinite(s1) || !isfinite(l5) || lv->n + 2 > CSF_MAX_LEVELS)
        return;
    for (int q = 1; q <= 2; q++) {
        snprintf(lv->name[lv->n], sizeof lv->name[0], "S%d", q + 1);
        lv->z_mm[lv->n++] = s1 - 0.8 * (l5 - s1) * q;
    }
}

csf_status csf_spine_levels_auto(csf_spine *sp, csf_error *err)
{
    memset(&sp->levels, 0, sizeof sp->levels);
    sp->levels.method = CSF_LEVELS_NONE;
    mark_sleeves(sp);
    if (sp->is2d) { /* the projection's own method: levels_2d.c */
        csf_status st = csf_spine_levels_2d(sp, err);
        if (st == CSF_OK)
            add_sacral(&sp->levels);
        return st;
    }
    double z[64] = {0}; /* clusters() fills the first n; cppcheck cannot follow the count */
    size_t cnt[64] = {0};
    size_t n = fill_gaps(z, join_close(z, cnt, clusters(sp, z, cnt, 64)), 64);
    if (n == 0)
        return CSF_OK;
    /* S1 leaves the sac 1.5-5 cm above its end at S2: outpouchings within
     * ~1 cm of the end are sacral roots or cysts hanging from its tip */
    double zend = isfinite(sp->k_end) ? k_to_z(sp, sp->k_end) : NAN;
    /* C2 leaves >= ~1.5 cm below the foramen magnum: clusters closer to it
     * are cisternal CSF of the craniocervical junction */
    double ztop = isfinite(sp->k_top) ? k_to_z(sp, sp->k_top) : NAN;
    size_t top = 0;
    while (top < n && isfinite(ztop) && ztop - z[top] < C2_MIN_MM)
        top++;
    if (top > 0) {
        memmove(z, z + top, (n - top) * sizeof *z);
        n -= top;
    }
    if (n == 0)
        return CSF_OK;
    size_t bot = n;
    while (bot > 0 && isfinite(zend) && z[bot - 1] - zend < S1_MIN_MM)
        bot--;
    int has_bot = isfinite(zend) && bot > 0 && z[bot - 1] - zend <= ANCHOR_MAX_MM;
    int has_top = isfinite(sp->k_top) && k_to_z(sp, sp->k_top) - z[0] <= ANCHOR_MAX_MM;
    if ((!has_bot && !has_top) || bot == 0)
        return CSF_OK;
    sp->levels.method = has_bot ? CSF_LEVELS_SLEEVES_SAC_END : CSF_LEVELS_SLEEVES_TOP;
    /* with both anchors each names the half of the clusters nearer to it */
    double zmid = has_bot && has_top ? 0.5 * (k_to_z(sp, sp->k_top) + zend) : NAN;
    for (size_t q = 0; q < bot; q++) {
        int from_top = has_top && (!has_bot || z[q] > zmid);
        int li = from_top ? IDX_C2 + (int)q : IDX_S1 - (int)(bot - 1 - q);
        if (li < IDX_C2 || li > IDX_S1)
            continue;
        size_t o = sp->levels.n++;
        snprintf(sp->levels.name[o], sizeof sp->levels.name[o], "%s", csf_level_name(li));
        sp->levels.z_mm[o] = z[q];
    }
    add_sacral(&sp->levels);
    return CSF_OK;
}
