/* Step 3, 2D projection only: the lateral walls as absolute positions.
 *
 * shape.c filters each lateral ray's length along the spine with a low
 * quantile, which drops the rows where a sleeve or leak lengthens the ray.
 * The ray starts at the sac's centre, though, and in a projection a large
 * leak or cyst merged with a row pulls that centre sideways for as long as it
 * lasts: the filtered ray lengths, added to the displaced centre, then move
 * both walls with it, and the band just outside one wall slides into the sac's
 * bright edge. The dural sac itself moves sideways only slowly (scoliotic
 * sway of a few mm over many segments), so each wall's absolute position is
 * taken as its running median over a window longer than a leak (+-25 mm, the
 * window of the lateral rays), and the centre and radii follow from them. */
#include <math.h>
#include <stdlib.h>

#include "spine_internal.h"

#define WALL_WINDOW_2D_MM 25.0

/* Near an end of the sac the window keeps its full length, shifted inward,
 * instead of being cut in half: the S1 sleeves leave just above the tip, so a
 * leak there (or a C2 one at the top) would fill half of a cut window and its
 * median would move with the leak's centroid, both walls with it. A full
 * window keeps the leak a minority (a leak is shorter than the 50 mm window),
 * and the sac's own course changes little over it. */
static void run_median_abs(const csf_spine *sp, const double *in, double *out, double *buf)
{
    size_t k0 = sp->k_first, k1 = sp->k_last;
    size_t h = (size_t)fmax(1.0, lround(WALL_WINDOW_2D_MM / sp->sz));
    for (size_t k = k0; k <= k1; k++) {
        size_t a = k >= k0 + h ? k - h : k0, b = k + h <= k1 ? k + h : k1;
        if (k < k0 + h)
            b = k0 + 2 * h <= k1 ? k0 + 2 * h : k1;
        if (k + h > k1)
            a = k1 >= k0 + 2 * h ? k1 - 2 * h : k0;
        out[k - k0] = csf_median_nan(in + (a - k0), b - a + 1, buf);
    }
}

csf_status csf_spine_walls_2d(csf_spine *sp, csf_error *err)
{
    const int L = CSF_SAC_NRAYS / 2;
    size_t n = sp->k_last - sp->k_first + 1;
    double *mem = calloc(5 * n + 1, sizeof *mem);
    if (mem == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu wall positions", n);
    double *xl = mem, *xr = mem + n, *fl = mem + 2 * n, *fr = mem + 3 * n, *buf = mem + 4 * n;
    for (size_t q = 0; q < n; q++) {
        const csf_sac_slice *s = &sp->slices[sp->k_first + q];
        xl[q] = s->center_vox[0] - s->radius_mm[L] / sp->sx;
        xr[q] = s->center_vox[0] + s->radius_mm[0] / sp->sx;
    }
    run_median_abs(sp, xl, fl, buf);
    run_median_abs(sp, xr, fr, buf);
    for (size_t q = 0; q < n; q++) {
        csf_sac_slice *s = &sp->slices[sp->k_first + q];
        if (!isfinite(fl[q]) || !isfinite(fr[q]) || fr[q] <= fl[q])
            continue;
        s->center_vox[0] = 0.5 * (fl[q] + fr[q]);
        s->radius_mm[0] = s->radius_mm[L] = 0.5 * (fr[q] - fl[q]) * sp->sx;
    }
    free(mem);
    return CSF_OK;
}

/* Width (mm) of the run of pixels above the row's fluid threshold through
 * the sac centre, bridging dark runs up to DARK_BRIDGE_MM (noise dips over
 * the cord's shadow): the row's own width, before any smoothing along the
 * spine. */
#define DARK_BRIDGE_MM 2.5
static double row_width(const csf_spine *sp, size_t k)
{
    const csf_sac_slice *s = &sp->slices[k];
    const float *row = sp->vol->data + k * sp->nx;
    long c = lround(s->center_vox[0]), gap = (long)(DARK_BRIDGE_MM / sp->sx);
    if (c < 0 || (size_t)c >= sp->nx)
        return NAN;
    long lo = c, hi = c;
    for (int dir = -1; dir <= 1; dir += 2) {
        long last = c, dark = 0;
        for (long i = c + dir; i >= 0 && (size_t)i < sp->nx && dark <= gap; i += dir) {
            if (row[i] > s->threshold) {
                last = i;
                dark = 0;
            } else {
                dark++;
            }
        }
        if (dir < 0)
            lo = last;
        else
            hi = last;
    }
    return row[c] > s->threshold || hi > lo ? (double)(hi - lo + 1) * sp->sx : 0.0;
}

/* The dural sac narrows over its last few cm to its blind end; in a
 * projection its depth shrinks with it, so its CSF signal falls as a coil
 * falloff's would. A falloff dims the sac without narrowing it (the fluid
 * threshold follows the local CSF level), so a median row width over the
 * last 1.5 sac widths (~30 mm) under 3/4 of that over the 3 widths above
 * marks a true end. The windows scale with the patient's own sac width (the
 * median over the tracked sac), not with a fixed length. */
#define TAPER_END_W 1.5
#define TAPER_ABOVE_W 3.0
#define TAPER_RATIO 0.75

int csf_spine_end_tapers_2d(const csf_spine *sp)
{
    size_t n = sp->k_last - sp->k_first + 1;
    double *w = malloc((2 * n + 1) * sizeof *w);
    if (w == NULL)
        return 0;
    for (size_t q = 0; q < n; q++)
        w[q] = sp->slices[sp->k_first + q].width_lr_mm;
    double wmed = csf_median_nan(w, n, w + n);
    size_t h = (size_t)fmax(1.0, lround(TAPER_END_W * wmed / sp->sz));
    size_t a = (size_t)fmax(1.0, lround(TAPER_ABOVE_W * wmed / sp->sz));
    int tapers = 0;
    if (isfinite(wmed) && n >= h + a) {
        for (size_t q = 0; q < h + a; q++)
            w[q] = row_width(sp, sp->k_first + q);
        double end = csf_median_nan(w, h, w + n), above = csf_median_nan(w + h, a, w + n);
        tapers = isfinite(end) && isfinite(above) && end < TAPER_RATIO * above;
    }
    free(w);
    return tapers;
}

/* The sac's own width per row for the foramen magnum test, in 2D. The
 * walls are running medians over +-25 mm (csf_spine_walls_2d), which smooth
 * away the cisternal widening above the foramen magnum when the field of
 * view ends 30-40 mm above it (a 2D station): the smoothed width never
 * reached 1.6 x the median and the foramen magnum was not found (1 of 200
 * dev cases), so a study without a sac end had no levels at all. Each row's
 * own bright run (row_width) sees the widening, but also each sleeve pair
 * leaving the sac; a median over one cervical segment (+-8 mm: a sleeve
 * crosses 4-8 mm of it) keeps the widening and drops the sleeves. */
#define TOP_WIDTH_HALF_MM 8.0
void csf_spine_top_widths_2d(const csf_spine *sp, double *w, double *buf)
{
    size_t n = sp->k_last - sp->k_first + 1, h = (size_t)lround(TOP_WIDTH_HALF_MM / sp->sz);
    double *raw = buf, *win = buf + n;
    for (size_t q = 0; q < n; q++)
        raw[q] = row_width(sp, sp->k_first + q);
    for (size_t q = 0; q < n; q++) {
        size_t a = q >= h ? q - h : 0, b = q + h < n ? q + h : n - 1;
        w[q] = csf_median_nan(raw + a, b - a + 1, win);
    }
}
