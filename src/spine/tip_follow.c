/* 3D: the sac's caudal end followed by voxel overlap (issue #5).
 *
 * Anatomy: the thecal sac is one continuous tube down to its tip at about
 * S2; it tapers and, below S1, bends backwards along the sacrum, but it never
 * jumps. A leak is lateral to the sac (it leaves along a root sleeve), so a
 * grade-3 S1 leak merged with the sac's tip adds voxels beside the sac's
 * cross-section without moving the sac's own voxels. The centroid tracker
 * (track.c) compares centre positions and loses the sac where the leak pulls
 * the slice's centroid sideways; below that, the backward bend exceeds what
 * a bridged gap allows, and the chain stops tens of mm above the real tip.
 * Here the sac continues from the chain's caudal end slice by slice while a
 * bright component overlaps the previous slice's sac cross-section:
 * - the overlap must cover at least half of the smaller of the two
 *   (previous sac, new component): a tapering sac keeps its voxels under the
 *   previous ones, a cyst or an epidural pocket below the tip is separated
 *   from it by dark tissue (no overlap);
 * - the sac's own cross-section in the new slice is the component within the
 *   previous cross-section grown by the centreline's largest move between
 *   slices (about 1 mm per mm of height, TRACK_SLOPE in track.c); toward its
 *   tip the sac only narrows, so when that grows the cross-section (a leak
 *   merged beside it) the sac keeps only its previous voxels: the leak never
 *   drags the centre. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spine_internal.h"

#define TIP_SLOPE 1.0    /* mm of centreline move per mm of height (track.c TRACK_SLOPE) */
#define TIP_SEED_MM 10.0 /* the chain's end centre lies within a sac radius of its CSF */
/* The chain stopped while the sac was still of typical cross-section (track.c
 * SAC_TYPICAL_MIN_MM2): its taper did not end it, something merged did. A
 * chain that ends already narrower has reached the tip and is left alone. */
#define TIP_OPEN_MM2 30.0
/* The tip itself is a few mm across (track.c SAC_AREA_MIN_MM2): a thinner
 * thread of fluid below it is a root or the neck of a sacral cyst. */
#define TIP_END_MM2 6.0

typedef struct tip_buf {
    uint8_t *prev, *comp, *grown;
    size_t *queue;
} tip_buf;

/* Bright (fluid-threshold) voxels of slice k 4-connected to the bright voxels
 * of seed; comp gets them. Returns their count; *overlap = bright seed voxels. */
static size_t flood(const csf_spine *sp, size_t k, const uint8_t *seed, tip_buf *b, size_t *overlap)
{
    size_t nx = sp->nx, ny = sp->ny, npx = nx * ny, qt = 0;
    const float *sl = sp->vol->data + k * npx;
    float thr = (float)sp->threshold0;
    memset(b->comp, 0, npx);
    for (size_t p = 0; p < npx; p++)
        if (seed[p] && sl[p] > thr) {
            b->comp[p] = 1;
            b->queue[qt++] = p;
        }
    *overlap = qt;
    for (size_t qh = 0; qh < qt; qh++) {
        size_t p = b->queue[qh], i = p % nx, j = p / nx;
        size_t nb[4] = {i > 0 ? p - 1 : p, i + 1 < nx ? p + 1 : p, j > 0 ? p - nx : p,
                        j + 1 < ny ? p + nx : p};
        for (int q = 0; q < 4; q++)
            if (!b->comp[nb[q]] && sl[nb[q]] > thr) {
                b->comp[nb[q]] = 1;
                b->queue[qt++] = nb[q];
            }
    }
    return qt;
}

/* grown = prev dilated by a disc of r_mm (brute force; the disc is a few voxels). */
static void grow(const csf_spine *sp, const uint8_t *prev, uint8_t *grown, double r_mm)
{
    size_t nx = sp->nx, ny = sp->ny;
    long ri = (long)floor(r_mm / sp->sx), rj = (long)floor(r_mm / sp->sy);
    memset(grown, 0, nx * ny);
    for (size_t j = 0; j < ny; j++)
        for (size_t i = 0; i < nx; i++) {
            if (!prev[i + nx * j])
                continue;
            for (long dj = -rj; dj <= rj; dj++)
                for (long di = -ri; di <= ri; di++) {
                    long a = (long)i + di, c = (long)j + dj;
                    double ddi = (double)di * sp->sx, ddj = (double)dj * sp->sy;
                    if (a >= 0 && c >= 0 && a < (long)nx && c < (long)ny && ddi * ddi + ddj * ddj <= r_mm * r_mm)
                        grown[a + (long)nx * c] = 1;
                }
        }
}

/* The sac's cross-section at the chain's caudal end: the bright component
 * holding the bright voxel nearest to the chain's centre. Returns its size. */
static size_t seed_end(const csf_spine *sp, tip_buf *b)
{
    size_t nx = sp->nx, ny = sp->ny, k = sp->k_first, best = SIZE_MAX, ov;
    const float *sl = sp->vol->data + k * nx * ny;
    double ci = sp->slices[k].center_vox[0], cj = sp->slices[k].center_vox[1], bd = TIP_SEED_MM * TIP_SEED_MM;
    for (size_t j = 0; j < ny; j++)
        for (size_t i = 0; i < nx; i++) {
            double di = ((double)i - ci) * sp->sx, dj = ((double)j - cj) * sp->sy;
            if (sl[i + nx * j] > (float)sp->threshold0 && di * di + dj * dj < bd) {
                bd = di * di + dj * dj;
                best = i + nx * j;
            }
        }
    if (best == SIZE_MAX)
        return 0;
    memset(b->prev, 0, nx * ny);
    b->prev[best] = 1;
    size_t n = flood(sp, k, b->prev, b, &ov);
    memcpy(b->prev, b->comp, nx * ny);
    return n;
}

/* Extends sp->k_first downward (3D only); leaves the chain as it is when
 * memory is short (the caller's result stays valid, only shorter). */
void csf_spine_follow_tip(csf_spine *sp)
{
    size_t npx = sp->nx * sp->ny;
    tip_buf b = {malloc(npx), malloc(npx), malloc(npx), malloc(npx * sizeof(size_t))};
    size_t aprev = b.prev && b.comp && b.grown && b.queue ? seed_end(sp, &b) : 0;
    double r = fmax(TIP_SLOPE * sp->sz, fmax(sp->sx, sp->sy)), vox = sp->sx * sp->sy;
    if ((double)aprev * vox < TIP_OPEN_MM2)
        aprev = 0;
    while (aprev > 0 && sp->k_first > 0) {
        size_t kn = sp->k_first - 1, ov, n = flood(sp, kn, b.prev, &b, &ov);
        if (ov == 0 || 2 * ov < (n < aprev ? n : aprev))
            break;
        grow(sp, b.prev, b.grown, r);
        size_t an = 0;
        for (size_t p = 0; p < npx; p++)
            an += b.grown[p] = b.grown[p] && b.comp[p];
        const uint8_t *keep = b.grown;
        if (an > aprev) { /* grew: something merged beside the sac */
            for (size_t p = 0; p < npx; p++)
                b.grown[p] = b.prev[p] && b.comp[p];
            an = ov;
        }
        if ((double)an * vox < TIP_END_MM2)
            break;
        double si = 0, sj = 0;
        for (size_t p = 0; p < npx; p++)
            if (keep[p]) {
                si += (double)(p % sp->nx);
                sj += (double)(p / sp->nx);
            }
        memcpy(b.prev, keep, npx);
        aprev = an;
        csf_sac_slice *s = &sp->slices[kn];
        s->present = 1;
        s->center_vox[0] = si / (double)an;
        s->center_vox[1] = sj / (double)an;
        sp->k_first = kn;
    }
    free(b.prev);
    free(b.comp);
    free(b.grown);
    free(b.queue);
}
