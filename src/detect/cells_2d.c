/* Level cells of the 2D thick-slab projection and the fluid of their sleeves.
 *
 * The signal of a projection is linear in the depth of fluid: summed over
 * the rows of one level, the signal in a band just outside the wall
 * measures the volume of fluid leaving the sac there, over many pixels, so
 * its noise is small (classify_2d.c grades from it). Beside an epidural
 * collection the band is measured from the sac's own wall (slec_2d.c). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "cells_2d.h"

static int cmp_desc(const void *a, const void *b) { return csf_detect_cmp_double(b, a); }

/* Cells of the named levels C2..S1, superior first. */
size_t csf_detect_cells_build(const csf_spine *sp, csf_cell2d *c)
{
    const csf_levels *lv = csf_spine_levels(sp);
    double z[CSF_MAX_LEVELS] = {0}; /* the first n are filled below; cppcheck cannot follow n */
    size_t n = 0;
    for (size_t i = 0; i < lv->n && n < MAX_CELLS; i++) {
        int idx = csf_level_index(lv->name[i]);
        if (idx >= 1 && idx <= 24 && isfinite(lv->z_mm[i]))
            z[n++] = lv->z_mm[i];
    }
    qsort(z, n, sizeof *z, cmp_desc);
    for (size_t i = 0; i < n; i++) {
        int level = -1;
        for (size_t j = 0; j < lv->n; j++)
            if (lv->z_mm[j] == z[i])
                level = csf_level_index(lv->name[j]);
        double up = i > 0 ? z[i - 1] - z[i] : (i + 1 < n ? z[i] - z[i + 1] : 20.0);
        double down = i + 1 < n ? z[i] - z[i + 1] : up;
        c[i] = (csf_cell2d){z[i], z[i] - CELL_BELOW * down, z[i] + CELL_ABOVE * up, {NAN, NAN}, NAN, {NAN, NAN}, {0, 0},
                      NULL, 0, 0, {NAN, NAN}, NULL, level};
    }
    return n;
}

/* Mean signal in the band outside one lateral wall of row k, from
 * BAND_FROM_MM to `to` mm beyond the wall, relative to the local CSF
 * contrast: the depth of fluid there in units of the sac's, so each pixel
 * goes through the scanner's response measured on the sac (response_2d.c;
 * linear, unchanged, unless the image shows otherwise); NaN when unknown. */
static double band_mean(const csf_spine *sp, const csf_sac_slice *s, size_t k, int right, double bg, double to,
                        double inset)
{
    const csf_volume *v = csf_spine_volume(sp);
    double R = s->radius_mm[right ? 0 : CSF_SAC_NRAYS / 2] - inset, c = s->csf_level - bg;
    if (!isfinite(R) || !(c > 0))
        return NAN;
    const float *row = v->data + k * v->dim[0];
    double sum = 0, sx = v->spacing[0];
    size_t m = 0;
    for (double t = R + BAND_FROM_MM; t <= R + to; t += sx) {
        long i = lround(s->center_vox[0] + (right ? t : -t) / sx);
        if (i < 0 || (size_t)i >= v->dim[0])
            break;
        sum += csf_spine_linear_depth(sp, row[i] - bg);
        m++;
    }
    return m ? sum / (double)m / csf_spine_linear_depth(sp, c) : NAN;
}

/* Row k, side beside an epidural collection's shoulder (slec_2d.c): the
 * inset (mm) of the sac's own wall inside the tracked wall; NaN elsewhere. */
static double shoulder_at(const csf_cell2d *ci, size_t k, int side)
{
    return ci->sh && k >= ci->sh_k0 && k - ci->sh_k0 < ci->sh_m ? ci->sh[side * ci->sh_m + (k - ci->sh_k0)] : NAN;
}

static double inset_at(const csf_cell2d *ci, size_t k, int side)
{
    double in = shoulder_at(ci, k, side);
    return isfinite(in) ? in : 0.0;
}

double csf_detect_above_quantile(double *v, size_t m, double q)
{
    double sum = 0;
    for (size_t k = 0; k < m; k++)
        sum += v[k];
    qsort(v, m, sizeof *v, csf_detect_cmp_double);
    return sum - v[(size_t)floor(q * (double)(m - 1) + 0.5)] * (double)m;
}

/* Sum over the shoulder rows of cell ci (one side; rows xa..xb left out) of
 * their band mean above a baseline of their own (csf_detect_shoulder_sum_2d),
 * *rows the rows summed; NaN without memory. */
static double shoulder_band(const csf_spine *sp, const csf_cell2d *ci, int side, double to, size_t xa, size_t xb,
                            size_t *rows)
{
    size_t n, k0, k1, m = 0;
    const csf_sac_slice *s = csf_spine_slices(sp, &n, &k0, &k1);
    double bg, thr, half = 0.5 * (ci->hi - ci->lo);
    int heavy;
    const char *why;
    csf_spine_contrast(sp, &bg, &thr, &heavy, &why);
    double *b = malloc((3 * n + 1) * sizeof *b);
    *rows = 0;
    if (b == NULL)
        return NAN;
    double *z = b + n;
    for (size_t k = k0; k <= k1; k++) { /* the shoulder rows within reach of the cell's windows */
        double in = shoulder_at(ci, k, side), zk = s[k].center_mm[2];
        if (!isfinite(in) || zk < ci->lo - half || zk >= ci->hi + half || (k >= xa && k <= xb))
            continue;
        b[m] = band_mean(sp, &s[k], k, side, bg, to, in);
        z[m] = zk;
        m += isfinite(b[m]);
    }
    double sum = csf_detect_shoulder_sum_2d(b, z, m, ci->lo, ci->hi, BASELINE_Q, b + 2 * n, rows);
    free(b);
    return sum;
}

/* Band fluid signal of one side of cell i, the band ending `to` mm beyond
 * the wall: the sum over its rows (rows xa..xb left out) of the band mean
 * above the cell's baseline, times the row height; NaN with fewer than 3
 * rows. Beside an
 * epidural collection (its shoulder, slec_2d.c) the band starts from the
 * sac's own wall, so that it holds the shoulder as well as the sleeve
 * roots; the shoulder is smooth along the spine and its rows take a
 * baseline of their own (shoulder_band), which removes it as the cell's
 * baseline removes the background. The sum is scaled to all the cell's
 * rows when some were left out. buf holds at least the sac's rows. */
double csf_detect_cell_band_rows(const csf_spine *sp, const csf_cell2d *ci, int side, double to, double *buf, size_t xa,
                             size_t xb)
{
    size_t n, k0, k1, m = 0, ms = 0, used = 0;
    const csf_sac_slice *s = csf_spine_slices(sp, &n, &k0, &k1);
    double bg, thr, sum = 0;
    int heavy;
    const char *why;
    csf_spine_contrast(sp, &bg, &thr, &heavy, &why);
    for (size_t k = k0; k <= k1; k++) {
        if (s[k].center_mm[2] < ci->lo || s[k].center_mm[2] >= ci->hi || (k >= xa && k <= xb))
            continue;
        if (isfinite(shoulder_at(ci, k, side))) {
            ms++;
            continue;
        }
        double b = band_mean(sp, &s[k], k, side, bg, to, 0.0);
        if (isfinite(b))
            buf[m++] = b;
    }
    if (m >= 3) {
        sum = csf_detect_above_quantile(buf, m, BASELINE_Q);
        used = m;
    }
    if (ms > 0) {
        size_t rows;
        double sb = shoulder_band(sp, ci, side, to, xa, xb, &rows);
        if (isfinite(sb) && rows > 0)
            sum += sb, used += rows;
    }
    if (used < 3)
        return NAN;
    return sum * (double)(m + ms) / (double)used * csf_spine_volume(sp)->spacing[2];
}

/* cell_band over all the cell's rows. */
double csf_detect_cell_band(const csf_spine *sp, const csf_cell2d *ci, int side, double to, double *buf)
{
    return csf_detect_cell_band_rows(sp, ci, side, to, buf, SIZE_MAX, 0);
}

/* Band fluid signal and sac width of each cell. */
void csf_detect_cells_measure(const csf_spine *sp, csf_cell2d *c, size_t nc, double *buf, double *wbuf)
{
    size_t n, k0, k1;
    const csf_sac_slice *s = csf_spine_slices(sp, &n, &k0, &k1);
    double mad;
    for (size_t i = 0; i < nc; i++) {
        size_t nw = 0;
        for (size_t k = k0; k <= k1; k++)
            if (s[k].center_mm[2] >= c[i].lo && s[k].center_mm[2] < c[i].hi && isfinite(s[k].width_lr_mm))
                wbuf[nw++] = s[k].width_lr_mm - inset_at(&c[i], k, 0) - inset_at(&c[i], k, 1);
        csf_detect_med_mad(wbuf, nw, &c[i].width, &mad);
        for (int side = 0; side < 2 && c[i].sh; side++) { /* beside a shoulder over half its rows */
            size_t rows = 0;
            nw = 0;
            for (size_t k = k0; k <= k1; k++)
                if (s[k].center_mm[2] >= c[i].lo && s[k].center_mm[2] < c[i].hi) {
                    rows++;
                    if (isfinite(shoulder_at(&c[i], k, side)))
                        wbuf[nw++] = shoulder_at(&c[i], k, side);
                }
            c[i].inset[side] = nw > 0 && 2 * nw >= rows ? csf_detect_median(wbuf, nw) : NAN;
        }
        for (int side = 0; side < 2; side++)
            c[i].v[side] = csf_detect_cell_band(sp, &c[i], side, BAND_FROM_MM + BAND_WIDTH_MM, buf);
    }
}

int csf_detect_cell_of(const csf_cell2d *c, size_t nc, double z)
{
    for (size_t i = 0; i < nc; i++)
        if (z >= c[i].lo && z < c[i].hi)
            return (int)i;
    return -1;
}

/* The band signal's reference: csf_detect_cell_ref_stats of the
 * neighbouring levels' sleeves (both sides, the cell's own pair excluded). */
void csf_detect_cell_refs(const csf_cell2d *c, size_t nc, size_t ci, double *med, double *mad)
{
    double y[2 * MAX_CELLS];
    for (size_t i = 0; i < nc; i++)
        y[2 * i] = c[i].v[0], y[2 * i + 1] = c[i].v[1];
    csf_detect_cell_ref_stats(c, nc, ci, y, med, mad);
}

/* Median band signal of up to REF_LEVELS levels on one side of cell ci
 * (above: superior, lower indices), both sleeves of each; NaN when none. */
double csf_detect_cell_side_median(const csf_cell2d *c, size_t nc, size_t ci, int above)
{
    double v[2 * REF_LEVELS], med, mad;
    size_t m = 0;
    for (size_t d = 1; d <= REF_LEVELS; d++) {
        if (above ? d > ci : ci + d >= nc)
            break;
        size_t i = above ? ci - d : ci + d;
        for (int s = 0; s < 2; s++)
            if (isfinite(c[i].v[s]))
                v[m++] = c[i].v[s];
    }
    csf_detect_med_mad(v, m, &med, &mad);
    return med;
}

