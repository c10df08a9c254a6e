/* Step 5: automatic vertebral levels. Every level from C2 to S1 sends a root
 * sleeve out of each side of the sac, so the lateral outpouchings that touch
 * the wall, grouped by height, are the levels; counting needs one anchor seen
 * in the field of view: the sac's caudal end (the last pair above it is S1)
 * or the foramen magnum (the first pair below it is C2). The count itself is
 * a chain fit on the standard segment heights (levels_2d.c's), so missing
 * or extra pairs do not shift it. Without an anchor the levels stay unknown
 * (method "none") rather than guessed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spine_internal.h"

#define PAIR_TOL_MM 6.0     /* left and right sleeves of one level exit at about the same z */
/* S1 leaves the sac 1.5-5 cm above its end at S2: outpouchings within
 * ~1 cm of the end are sacral roots or cysts hanging from its tip */
#define S1_MIN_MM 12.0
/* C2 leaves >= ~1.5 cm below the foramen magnum: pairs closer to it are
 * cisternal CSF of the craniocervical junction */
#define C2_MIN_MM 12.0
/* A root sleeve, even a widened one, holds well under 1.5 ml; larger lateral
 * fluid is a leak spreading over levels and would blur the level count. */
#define SLEEVE_MAX_ML 1.5
/* A root sleeve leaves the sac sideways, through the foramen: it reaches
 * beyond the lateral wall (normal sleeves 4-12 mm). An outpouching that
 * stays within the sac's own width lies in front of or behind the sac (sac
 * CSF left outside a wall that stopped on a root, ventral or dorsal fluid),
 * and taken for a level it adds a pair that does not exist. The floor is
 * the one a leak needs (LEAK_MIN_LATERAL_MM in detect). */
#define SLEEVE_MIN_LATERAL_MM 2.0

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
 * gap of the neighbouring clusters) are zero segments apart. They are the
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

/* The count from the sleeve pairs' heights zdesc[0..n) (descending). Counting
 * pairs one by one from an anchor shifts every name beyond a missing pair (a
 * sleeve merged with a leak or an SLEC, a faint thoracic pair) or an extra
 * one (a sleeve pair split in two clusters, cisternal or sacral fluid), and
 * a gap is only recognised where its neighbours' spacing is the same, which
 * fails where the segments lengthen (thoracolumbar) or where several pairs
 * in a row are missing. The segment heights themselves are anatomy: the
 * chain fit (levels_2d.c, as for the 2D count) walks from the anchor with the standard heights
 * times the subject's scale, each step landing on a pair or skipped, so a
 * missing or extra pair cannot shift the count. Anchors as before: S1 is the
 * last pair 12 mm or more above the sac end (up to 70 mm); without a sac end,
 * C2 is the first pair 12 mm or more below the foramen magnum. Where the
 * count from S1 ends below pairs it cannot reach (a collection hides several
 * levels in a row), the pairs above are counted from C2 (levels_ends.c). */
static csf_status count_levels(csf_spine *sp, const double *zdesc, size_t n, csf_error *err)
{
    double pz[64];
    for (size_t i = 0; i < n; i++)
        pz[i] = zdesc[n - 1 - i]; /* ascending */
    csf_status st = csf_spine_count_chain(sp, pz, n, S1_MIN_MM, C2_MIN_MM, err);
    return st == CSF_OK ? csf_spine_count_from_top(sp, pz, n, C2_MIN_MM, err) : st;
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
                       x->craniocaudal_extent_mm < 60.0 && !round && x->max_wall_mm >= 4.0 &&
                       x->lateral_extent_mm >= SLEEVE_MIN_LATERAL_MM;
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
    size_t n = join_close(z, cnt, clusters(sp, z, cnt, 64));
    if (n > 0) {
        csf_status st = count_levels(sp, z, n, err);
        if (st != CSF_OK)
            return st;
    }
    if (sp->levels.n == 0)
        sp->levels.method = CSF_LEVELS_NONE;
    add_sacral(&sp->levels);
    return CSF_OK;
}
