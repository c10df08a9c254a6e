/* Step 3 (3D): the sac's centre is the cord. Beside a spinal longitudinal
 * extradural collection whose horns touch the sac, the tracked slice
 * component is sac plus crescent; its centroid then lies in the dark dural
 * line between them, outside the sac's CSF ring, and the rays cast from
 * there run along the crescent (docs/detector-log.md, "3D sac tracking beside an
 * SLEC"). In the cervical and thoracic sac the cord is a dark disc enclosed
 * by CSF: when the centre is dark but separated from such a disc by CSF, the
 * centre is moved onto the disc, whose middle is the point deepest inside
 * it. Elsewhere (the centre on the cord, in CSF, or no cord: the cauda
 * equina) nothing changes. */
#include <math.h>

#include "spine_internal.h"

#define NDIR 16
/* the cord's radius is <= ~6 mm: from inside it CSF is met before this */
#define CORD_REACH_MM 14.0
/* the cord lies inside the sac, whose half-depth is below the cord's reach */
#define SEARCH_MM (0.5 * CORD_REACH_MM)
/* a nerve root is ~1.4 mm thick (shape.c DARK_GAP_MM): a dark disc whose
 * inscribed radius is below that gap is a root or a dural line, not a cord */
#define ROOT_GAP_MM 1.2

static int bright_at(const csf_spine *sp, const float *sl, double i, double j, float thr, int *out)
{
    long ii = lround(i), jj = lround(j);
    if (ii < 0 || jj < 0 || (size_t)ii >= sp->nx || (size_t)jj >= sp->ny)
        return 0;
    *out = sl[(size_t)ii + sp->nx * (size_t)jj] > thr;
    return 1;
}

/* Radius (mm) of the largest disc of dark voxels around (i, j) sampled along
 * NDIR rays, or NAN when some ray meets no CSF within CORD_REACH_MM (the dark
 * region is not enclosed by CSF) or (i, j) itself is bright. */
static double inscribed(const csf_spine *sp, const float *sl, double i, double j, float thr)
{
    double h = 0.5 * fmin(sp->sx, sp->sy), best = INFINITY;
    for (int d = 0; d < NDIR; d++) {
        double th = 2 * M_PI * d / NDIR, ui = cos(th) / sp->sx, uj = sin(th) / sp->sy;
        double hit = NAN;
        for (double t = 0; t <= CORD_REACH_MM; t += h) {
            int b;
            if (!bright_at(sp, sl, i + t * ui, j + t * uj, thr, &b))
                return NAN;
            if (b) {
                hit = t;
                break;
            }
        }
        if (isnan(hit) || hit == 0)
            return NAN;
        best = fmin(best, hit);
    }
    return best;
}

/* 1 when the straight segment from a to b crosses a bright voxel (CSF lies
 * between them: they are different dark structures) */
static int csf_between(const csf_spine *sp, const float *sl, const double a[2], const double b[2],
                       float thr)
{
    double di = (b[0] - a[0]) * sp->sx, dj = (b[1] - a[1]) * sp->sy;
    double len = sqrt(di * di + dj * dj), h = 0.5 * fmin(sp->sx, sp->sy);
    for (double t = 0; t <= len; t += h) {
        double f = len > 0 ? t / len : 0;
        int br;
        if (bright_at(sp, sl, a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), thr, &br) && br)
            return 1;
    }
    return 0;
}

static void cord_slice(csf_spine *sp, size_t k)
{
    csf_sac_slice *s = &sp->slices[k];
    const float *sl = sp->vol->data + k * sp->nx * sp->ny;
    float thr = (float)sp->threshold0;
    int b;
    if (!bright_at(sp, sl, s->center_vox[0], s->center_vox[1], thr, &b) || b)
        return; /* centre in CSF (cauda equina) or outside the grid */
    long ri = lround(SEARCH_MM / sp->sx), rj = lround(SEARCH_MM / sp->sy);
    double ci = round(s->center_vox[0]), cj = round(s->center_vox[1]);
    double best = ROOT_GAP_MM, bd = INFINITY, p[2] = {NAN, NAN};
    for (long dj = -rj; dj <= rj; dj++)
        for (long di = -ri; di <= ri; di++) {
            double d2 = (double)(di * di) * sp->sx * sp->sx + (double)(dj * dj) * sp->sy * sp->sy;
            if (d2 > SEARCH_MM * SEARCH_MM)
                continue;
            double r = inscribed(sp, sl, ci + (double)di, cj + (double)dj, thr);
            /* the deepest point of the widest enclosed disc; ties to the
             * nearest (continuity with the tracked centre) */
            if (isfinite(r) && (r > best || (r == best && d2 < bd))) {
                best = r;
                bd = d2;
                p[0] = ci + (double)di;
                p[1] = cj + (double)dj;
            }
        }
    if (isnan(p[0]) || !csf_between(sp, sl, s->center_vox, p, thr))
        return;
    s->center_vox[0] = p[0];
    s->center_vox[1] = p[1];
}

void csf_spine_cord_center(csf_spine *sp)
{
    if (sp->is2d)
        return;
    for (size_t k = sp->k_first; k <= sp->k_last; k++)
        cord_slice(sp, k);
}
