/* 2D projection: a sleeve's expansion seen as a bulge of the sac's
 * half-maximum edge beside an epidural collection (SLEC).
 *
 * Beside a collection the band just outside the sac (cells_2d.c, from the
 * sac's own wall, slec_2d.c) holds the collection's shoulder, and a sleeve
 * crossing the collection displaces the collection's fluid instead of adding
 * to it: a grade-1 expansion adds little to the band (0.9-1.8 x the
 * neighbours' on the dev suites). It shows elsewhere. A coronal projection's
 * pixel is bright in proportion to the depth of fluid behind it; at the sac's
 * edge the depth of a tube falls from its central value to zero within a
 * pixel or two, and the half-maximum edge lies where the depth is half the
 * central depth (0.87 R). A triangular expansion of the sleeve is widest at
 * the dura: over the sleeve's rows it adds depth of fluid right at the wall
 * and carries the half-maximum edge outward. The collection's shoulder holds
 * less than half the CSF signal (0.3-0.5, slec_2d.c), so it does not carry
 * that edge, and it is smooth along the spine, as is the sac's own width:
 * the edge's running median along the spine over +-25 mm (the 2D walls'
 * window: longer than a sleeve, shorter than a collection) is the edge
 * without sleeves, and what stands out of it over one level is that level's
 * sleeve. Edges are taken as image columns, so a shift of the tracked centre
 * (which moves with the bulge itself) does not move them.
 *
 * Session 6 (h/s6slec2d, not on main; docs/accuracy.md): the edge of a row
 * is known to a fraction of a pixel (the crossing is interpolated), its
 * excess is averaged over a sleeve's height before the outward part is
 * summed (a sleeve is at least a root's diameter tall: per-row noise,
 * rectified and summed, made a bulge of 3-6 mm^2 at every normal level),
 * and the yardstick is the sleeves that cross the same collection (the
 * reference levels beside the shoulder, both sides), not levels outside
 * it, whose edges have no shoulder under them.
 *
 * Session 7 (h/s7slec2d): the contralateral sleeve is compared over the
 * rows of this side's own bulge (the two sleeves of a level leave the sac at
 * the same height; over the whole cell the other edge also follows the
 * collection's own widening or tapering), and the bulge's aspect is given
 * to the caller, which reports a rounded grade-1 candidate beside a
 * collection as a diverticulum (classify_2d.c). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "cells_2d.h"
#include "detect_internal.h"

#define HALF_LEVEL 0.5
#define WINDOW_MM 25.0
/* half the diameter of a thoracic nerve root sleeve (~4 mm) */
#define SLEEVE_MM 2.0

/* Signal of pixel i in row k, averaged over the rows k-1..k+1 (pixel noise). */
static double px3(const csf_volume *v, long i, size_t k, size_t k0, size_t k1)
{
    double p = 0;
    int m = 0;
    for (size_t kk = k > k0 ? k - 1 : k; kk <= k + 1 && kk <= k1; kk++, m++)
        p += v->data[(size_t)i + v->dim[0] * kk];
    return p / m;
}

/* Image column (voxel index) of the half-maximum edge of row k on one side:
 * the row's maximum is its largest signal between the tracked walls (each
 * pixel the mean of PEAK_COLS columns, pixel noise), the central depth of
 * fluid; scanning out from half-way to the tracked wall, the edge is the
 * first pixel under half of it above the background. NaN when unknown. */
#define PEAK_COLS 5
static double half_edge(const csf_spine *sp, size_t k, size_t k0, size_t k1, int right, double bg)
{
    size_t n, a, b;
    const csf_sac_slice *s = &csf_spine_slices(sp, &n, &a, &b)[k];
    const csf_volume *v = csf_spine_volume(sp);
    double R = s->radius_mm[right ? 0 : CSF_SAC_NRAYS / 2], sx = v->spacing[0];
    double Rl = s->radius_mm[CSF_SAC_NRAYS / 2], Rr = s->radius_mm[0], top = -INFINITY;
    if (!isfinite(R) || !isfinite(Rl) || !isfinite(Rr))
        return NAN;
    long i0 = lround(s->center_vox[0] - Rl / sx), i1 = lround(s->center_vox[0] + Rr / sx);
    for (long i = i0; i <= i1; i++) {
        double p = 0;
        int m = 0;
        for (long j = i - PEAK_COLS / 2; j <= i + PEAK_COLS / 2; j++)
            if (j >= 0 && (size_t)j < v->dim[0])
                p += px3(v, j, k, k0, k1), m++;
        if (m > 0)
            top = fmax(top, p / m);
    }
    double half = bg + HALF_LEVEL * (top - bg);
    if (!(top > bg))
        return NAN;
    double prev = NAN;
    for (double t = 0.5 * R;; t += sx) {
        long i = lround(s->center_vox[0] + (right ? t : -t) / sx);
        if (i < 0 || (size_t)i >= v->dim[0])
            return NAN;
        double p = px3(v, i, k, k0, k1);
        if (p < half) {
            if (!(t > 0.5 * R))
                return NAN;
            /* the crossing between the last pixel above half and this one,
             * linearly interpolated: the edge to a fraction of a pixel */
            double f = (prev - half) / (prev - p);
            return (double)i + (right ? -1.0 : 1.0) * (1.0 - f);
        }
        prev = p;
    }
}

csf_bulge2d *csf_detect_bulge_store_2d(const csf_spine *sp)
{
    size_t n, k0, k1;
    csf_spine_slices(sp, &n, &k0, &k1);
    double bg, thr;
    int heavy;
    const char *why;
    csf_spine_contrast(sp, &bg, &thr, &heavy, &why);
    size_t m = k1 - k0 + 1;
    csf_bulge2d *b = calloc(1, sizeof *b);
    double *e = malloc(2 * m * sizeof *e);
    if (b == NULL || e == NULL) {
        free(b);
        free(e);
        return NULL;
    }
    /* each row's edge once per case: every level's bulge and its references'
     * read the same rows (the levels' windows overlap by +-WINDOW_MM) */
    for (int right = 0; right < 2; right++)
        for (size_t q = 0; q < m; q++)
            e[(size_t)right * m + q] = half_edge(sp, k0 + q, k0, k1, right, bg);
    b->edge = e;
    return b;
}

void csf_detect_bulge_store_free(csf_bulge2d *b)
{
    if (b != NULL)
        free(b->edge);
    free(b);
}

/* A collection's shoulder is flagged where the rim's running median over
 * +-25 mm is wide on both sides (slec_2d.c), so at its end, or just past it,
 * a level has fewer than half of its rows beside the shoulder: its band and
 * components are measured as without a collection, but its reference
 * levels' band holds the collection's shoulder, and a grade-1 expansion
 * there is not twice theirs (session 8: 4 of the 12 dev 2D misses beside a
 * collection, each at the collection's last level or one past it). The bulge
 * of the sac's half-maximum edge, which the shoulder does not carry, is
 * compared with the sleeves crossing the collection instead; the level must
 * be within the reference range of a level with shoulder rows. */
int csf_detect_near_collection_2d(const csf_cell2d *c, size_t nc, size_t ci)
{
    size_t a, b;
    for (csf_detect_cell_ref_range(nc, ci, &a, &b); a <= b; a++)
        if (a != ci && (isfinite(c[a].inset[0]) || isfinite(c[a].inset[1])))
            return 1;
    return 0;
}

/* Aspect of the bulge in the rows of [lo, hi): its largest outward excess
 * (mm, one row's) over its height along the wall (the rows around that one
 * whose excess keeps at least half of it, the full width at half maximum,
 * in mm); NaN without an outward excess. A rounded body outside the wall
 * (a ball, centred on the wall or beyond it) reaches at least half as far
 * as it is tall; a triangular expansion based on the wall, widest at the
 * dura and narrowing outward, is flatter than that half-disc. */
static double aspect(const double *x, size_t m, const csf_sac_slice *s, size_t k0, double lo, double hi, double sz,
                     double *span)
{
    size_t qm = SIZE_MAX;
    for (size_t q = 0; q < m; q++) {
        double z = s[k0 + q].center_mm[2];
        if (z >= lo && z < hi && isfinite(x[q]) && (qm == SIZE_MAX || x[q] > x[qm]))
            qm = q;
    }
    if (qm == SIZE_MAX || !(x[qm] > 0))
        return NAN;
    size_t a = qm, b = qm;
    while (a > 0 && isfinite(x[a - 1]) && x[a - 1] >= 0.5 * x[qm])
        a--;
    while (b + 1 < m && isfinite(x[b + 1]) && x[b + 1] >= 0.5 * x[qm])
        b++;
    double za = s[k0 + a].center_mm[2], zb = s[k0 + b].center_mm[2];
    span[0] = fmin(za, zb) - 0.5 * sz;
    span[1] = fmax(za, zb) + 0.5 * sz;
    return x[qm] / ((double)(b - a + 1) * sz);
}

/* Bulge (mm^2) of one side's half-maximum edge over the rows of [lo, hi):
 * the outward excess of each row's edge over its running median along the
 * spine (+-WINDOW_MM), summed times the row height; *peak the largest
 * excess (mm). NaN when fewer than 3 rows are measured. */
static double bulge(const csf_spine *sp, const double *edge, double lo, double hi, int right, double *peak, double *asp,
                    double *span)
{
    size_t n, k0, k1;
    const csf_sac_slice *s = csf_spine_slices(sp, &n, &k0, &k1);
    const csf_volume *v = csf_spine_volume(sp);
    double sx = v->spacing[0], sz = v->spacing[2];
    size_t m = k1 - k0 + 1, h = (size_t)fmax(1.0, lround(WINDOW_MM / sz));
    double *e = malloc((2 * m + 1) * sizeof *e), sum = 0;
    size_t rows = 0;
    *peak = NAN;
    if (e == NULL)
        return NAN;
    double *w = e + m;
    for (size_t q = 0; q < m; q++) { /* only the rows within reach of the cell's windows */
        double z = s[k0 + q].center_mm[2];
        e[q] = z >= lo - WINDOW_MM - sz && z < hi + WINDOW_MM + sz ? edge[(size_t)right * m + q] : NAN;
    }
    /* signed excess of each row over the running median (mm), then its
     * mean over +-SLEEVE_MM: a sleeve is at least a root's diameter tall,
     * so a one-row excursion of the edge is noise and must not add up
     * (rectifying each row's noise would sum it into a bulge) */
    double *x = malloc((m + 1) * sizeof *x);
    if (x == NULL) {
        free(e);
        return NAN;
    }
    size_t hs = (size_t)lround(SLEEVE_MM / sz);
    for (size_t q = 0; q < m; q++) {
        double z = s[k0 + q].center_mm[2];
        x[q] = NAN;
        if (z < lo - SLEEVE_MM - sz || z >= hi + SLEEVE_MM + sz || !isfinite(e[q]))
            continue;
        size_t nw = 0;
        for (size_t p = q >= h ? q - h : 0; p <= q + h && p < m; p++)
            if (isfinite(e[p]))
                w[nw++] = e[p];
        x[q] = (right ? e[q] - csf_detect_median(w, nw) : csf_detect_median(w, nw) - e[q]) * sx;
    }
    for (size_t q = 0; q < m; q++) {
        double z = s[k0 + q].center_mm[2], sm = 0;
        if (z < lo || z >= hi || !isfinite(x[q]))
            continue;
        size_t nm = 0;
        for (size_t p = q >= hs ? q - hs : 0; p <= q + hs && p < m; p++)
            if (isfinite(x[p]))
                sm += x[p], nm++;
        double ex = sm / (double)nm;
        sum += fmax(ex, 0.0) * sz;
        *peak = isfinite(*peak) ? fmax(*peak, ex) : ex;
        rows++;
    }
    if (asp != NULL)
        *asp = aspect(x, m, s, k0, lo, hi, sz, span);
    free(x);
    free(e);
    return rows >= 3 ? sum : NAN;
}

/* Bulge of cell i's side over all its rows, computed once per case. */
static double whole_bulge(const csf_spine *sp, const csf_cell2d *c, size_t i, int side)
{
    csf_bulge2d *b = c[i].bulge;
    double pk;
    if (!b->done[side][i]) {
        b->whole[side][i] = bulge(sp, b->edge, c[i].lo, c[i].hi, side, &pk, NULL, NULL);
        b->done[side][i] = 1;
    }
    return b->whole[side][i];
}

/* The contralateral sleeve's bulge compared over the rows of this side's
 * own bulge (span, the rows keeping half its largest excess): the two
 * sleeves of a level leave the sac at the same height, so a normal pair
 * bulges over the same rows, while the contralateral edge, measured over
 * the whole cell, also holds what the collection does elsewhere in it (its
 * widening or tapering near an end of the cell). Returned scaled to the
 * whole cell's bulge of this side, so that it compares with `self`; the
 * whole cell's contralateral bulge when the span holds too few rows. */
static double contra_over_span(const csf_spine *sp, const csf_cell2d *c, size_t ci, int side, double self,
                               const double *span)
{
    double pk, whole = whole_bulge(sp, c, ci, 1 - side);
    if (!isfinite(span[0]))
        return whole;
    double own = bulge(sp, c[ci].bulge->edge, span[0], span[1], side, &pk, NULL, NULL);
    double other = bulge(sp, c[ci].bulge->edge, span[0], span[1], 1 - side, &pk, NULL, NULL);
    return isfinite(own) && isfinite(other) && own > 0 ? other * (self / own) : whole;
}

int csf_detect_bulge_cell_2d(const csf_spine *sp, const csf_cell2d *c, size_t nc, size_t ci, int side, double *ratio,
                             double *aspect_out)
{
    double y[2 * MAX_CELLS], med, mad, peak, asp = NAN, span[2] = {NAN, NAN};
    double px = csf_spine_volume(sp)->spacing[0];
    size_t a, b;
    *ratio = NAN;
    *aspect_out = NAN;
    if (c[ci].bulge == NULL)
        return 0; /* no shoulder anywhere */
    double self = bulge(sp, c[ci].bulge->edge, c[ci].lo, c[ci].hi, side, &peak, &asp, span);
    /* the shape of a bulge that stands out by more than the pixel to which
     * an edge is known (below) */
    *aspect_out = peak > px ? asp : NAN;
    csf_detect_cell_ref_range(nc, ci, &a, &b);
    /* the reference: the sleeves that cross the same collection (the
     * reference levels beside its shoulder), at least two levels' pairs:
     * the sleeves outside it have no shoulder under their edge */
    size_t ny = 0;
    for (size_t i = a; i <= b; i++)
        for (int s = 0; s < 2; s++)
            if (i != ci && isfinite(c[i].inset[s])) {
                double v = whole_bulge(sp, c, i, s);
                if (isfinite(v))
                    y[ny++] = v;
            }
    /* the yardstick is a median of at least three other sleeves crossing
     * the same collection (a median of three is robust to one odd sleeve);
     * beside the shoulder this level's own contralateral sleeve crosses it
     * too (compared on its own, below), so one neighbouring level's pair
     * completes it: a short collection, flagged over two levels only */
    if (ny < (isfinite(c[ci].inset[side]) ? 2u : 3u))
        return 0;
    /* Only down to T12, as wedge_2d.c's dome (classify_2d.c): below the
     * conus the roots run steeply caudally before they leave and a normal
     * lumbosacral sleeve crosses the coronal plane obliquely, widening the
     * edge over a tall stretch, and the sac tapers to its end at S1-S2, so
     * the edge's running median there is no edge without sleeves. A
     * lumbosacral "shoulder" on both sides is moreover mostly the lumbar
     * sac's own shape, not a collection (slec_2d.c: flagged in 5 of 171 dev
     * cases without one, all lumbosacral; on the session-8 dev pool such
     * cells at L5 and S1 reach 2.0-2.4 x their references and 5.6-13 x the
     * contralateral side, held back only by the pixel bound). */
    if (c[ci].level < 0 || c[ci].level > csf_level_index("T12"))
        return 0;
    csf_detect_med_mad(y, ny, &med, &mad);
    /* an edge is known to a pixel: a bulge must stand out by more */
    if (!(isfinite(self) && isfinite(med) && peak > px))
        return 0;
    double contra = contra_over_span(sp, c, ci, side, self, span);
    *ratio = med > 0 ? self / med : INFINITY;
    /* the grade-1 expansion ratio against the neighbouring levels (beyond
     * their scatter) and against the contralateral sleeve (a symmetric
     * pair is the anatomy of its level); a rounded body is no triangular
     * expansion */
    return self >= EXPANSION_RATIO * med && self > med + EXPANSION_MADS * mad &&
           !(isfinite(contra) && self < EXPANSION_RATIO * contra) && !(asp >= ROUND_ASPECT);
}
