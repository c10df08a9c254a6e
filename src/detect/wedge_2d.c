/* Lateral fluid profile of one level's sleeve on the 2D projection.
 *
 * A pixel of a thick-slab projection is bright in proportion to the depth of
 * fluid behind it, so the signal of one image column at distance t from the
 * wall, summed over the rows of a level, is the area of the fluid's cross
 * section in the plane at t: the 2D counterpart of the 3D radial profile's
 * layers (wedge.c). Signal is made linear in depth by the scanner's response
 * measured on the sac (response_2d.c); the noise SD goes through the same
 * map (its typical magnitude). */
#include <math.h>
#include <stdlib.h>

#include "detect_internal.h"

/* Columns every pixel from the wall outward; a column's baseline is its low
 * quartile over the rows (the background between sleeves, and the
 * partial-volume tail of the sac that every row of the level shares). */
#define PROFILE_BASE_Q 0.25

/* csf_detect_profile_2d, with each column's baseline (its low quartile over
 * the rows, relative to CSF; base may be NULL) and the image noise SD in
 * the same units (*sig, from the rows' mean CSF contrast; may be NULL). */
static size_t profile_base(const csf_spine *sp, double zlo, double zhi, int right, double from_mm, double *prof,
                           double *base, double *sig, size_t np)
{
    const csf_volume *v = csf_spine_volume(sp);
    size_t n, k0, k1;
    const csf_sac_slice *s = csf_spine_slices(sp, &n, &k0, &k1);
    double bg, thr, sx = v->spacing[0];
    int heavy;
    const char *why;
    csf_spine_contrast(sp, &bg, &thr, &heavy, &why);
    double *col = malloc((k1 - k0 + 1) * sizeof *col);
    if (col == NULL || np == 0) {
        free(col);
        return 0;
    }
    size_t done = 0;
    for (size_t j = 0; j < np; j++) {
        size_t m = 0;
        double csum = 0;
        for (size_t k = k0; k <= k1; k++) {
            const csf_sac_slice *sl = &s[k];
            double R = sl->radius_mm[right ? 0 : CSF_SAC_NRAYS / 2], c = sl->csf_level - bg;
            if (sl->center_mm[2] < zlo || sl->center_mm[2] >= zhi || !isfinite(R) || !(c > 0))
                continue;
            double t = R + from_mm + (double)j * sx;
            long i = lround(sl->center_vox[0] + (right ? t : -t) / sx);
            if (i < 0 || (size_t)i >= v->dim[0])
                continue;
            double lc = csf_spine_linear_depth(sp, c);
            col[m++] = csf_spine_linear_depth(sp, v->data[k * v->dim[0] + (size_t)i] - bg) / lc;
            csum += lc;
        }
        if (m < 3)
            break;
        prof[j] = csf_detect_above_quantile(col, m, PROFILE_BASE_Q) * v->spacing[2];
        if (base != NULL) {
            qsort(col, m, sizeof *col, csf_detect_cmp_double);
            base[j] = col[(size_t)floor(PROFILE_BASE_Q * (double)(m - 1) + 0.5)];
        }
        if (sig != NULL && j == 0)
            *sig = csf_spine_linear_depth(sp, csf_spine_noise_sd(sp)) / (csum / (double)m);
        done = j + 1;
    }
    free(col);
    return done;
}

size_t csf_detect_profile_2d(const csf_spine *sp, double zlo, double zhi, int right, double from_mm,
                             double *prof, size_t np)
{
    return profile_base(sp, zlo, zhi, right, from_mm, prof, NULL, NULL, np);
}

/* Bins of the excess profile: the first starts past the wall's
 * partial-volume rim (1 mm, the band's start, classify_2d.c), each is 1 mm
 * wide (at least a pixel), and the deepest ends at the band's far end (5 mm,
 * about one sleeve diameter): the depth where a grade-1 expansion and a
 * diverticulum at the sleeve's origin hold their fluid. */
#define DOME_FROM_MM 1.0
#define DOME_BIN_MM 1.0
#define DOME_TO_MM 5.0
#define DOME_MAX_COLS 64
#define DOME_MAX_REFS 16

/* Mean of prof[] over the columns of bin b (bin width `w` columns). */
static double bin_mean(const double *prof, size_t np, size_t b, size_t w)
{
    double s = 0;
    size_t m = 0;
    for (size_t j = b * w; j < (b + 1) * w && j < np; j++, m++)
        s += prof[j];
    return m == w ? s / (double)m : NAN;
}

/* The wall of a 2D projection is a running median of each side's position
 * over +-25 mm (shape_2d.c), so where the sac's width changes along the
 * spine (the cervical enlargement narrowing toward T1) it can lie up to a
 * pixel or two inside the sac's own edge. A column on that edge holds sac
 * CSF in every row of the level, between the sleeves too, so its baseline
 * (the low quartile over the rows) stands above the background; a sleeve,
 * an expansion or a diverticulum fills only the rows of its own height, a
 * minority of the cell. There the sleeve's fluid is measured on top of the
 * sac's partial volume and its cross-section is under-read, and the mouth
 * bin looks narrower than the bin beyond it (a C6 grade-1 wedge whose
 * first column, raised by 4-9 noise SDs, read 2.5 against 5.1 next to it,
 * docs/detector-log.md). Such leading columns are the sac's rim: the bins start
 * after them. Raised means above the background's own low quartile (on the
 * same rows 45-55 mm out, the lower side's) by RIM_SD pixel noise SDs: a
 * quartile of background over a cell's 20 or more rows scatters by about
 * 1.36 / sqrt(rows) < 0.3 SD, so three quarters of the rows a whole 3 SDs
 * bright is fluid in every row. Only up to one bin: a baseline raised
 * farther out is fluid filling the whole cell (a profuse leak, a
 * collection), not the sac's edge, and nothing is skipped. */
#define RIM_SD 3.0
#define FLOOR_FROM_MM 45.0
#define FLOOR_TO_MM 55.0

static size_t rim_columns(const csf_spine *sp, double lo, double hi, const double *base, double sig, size_t w)
{
    double px = csf_spine_volume(sp)->spacing[0], prof[DOME_MAX_COLS], fb[DOME_MAX_COLS], floor_q = INFINITY;
    size_t np = (size_t)floor((FLOOR_TO_MM - FLOOR_FROM_MM) / px);
    np = np > DOME_MAX_COLS ? DOME_MAX_COLS : np;
    for (int s = 0; s < 2; s++)
        if (np > 0 && profile_base(sp, lo, hi, s, FLOOR_FROM_MM, prof, fb, NULL, np) == np)
            floor_q = fmin(floor_q, csf_detect_median(fb, np));
    if (!isfinite(floor_q))
        floor_q = 0.0; /* the global background: a stricter test */
    size_t r = 0;
    while (r <= w && isfinite(sig) && base[r] - floor_q > RIM_SD * sig)
        r++;
    return r > w ? 0 : r;
}

size_t csf_detect_excess_bins_2d(const csf_spine *sp, double lo, double hi, int right, const double *ref_lo,
                                 const double *ref_hi, size_t nref, double *bins, size_t maxb)
{
    double px = csf_spine_volume(sp)->spacing[0];
    size_t w = (size_t)fmax(1.0, floor(DOME_BIN_MM / px + 0.5));
    size_t nb = (size_t)floor((DOME_TO_MM - DOME_FROM_MM) / ((double)w * px) + 1e-9);
    nb = nb > maxb ? maxb : nb;
    size_t np = nb * w, ext = np + w; /* room to start one bin farther out */
    if (nb < 2 || ext > DOME_MAX_COLS || nref == 0 || nref > DOME_MAX_REFS / 2)
        return 0;
    double self[DOME_MAX_COLS], base[DOME_MAX_COLS], refs[DOME_MAX_REFS][DOME_MAX_COLS], col[DOME_MAX_REFS];
    double sig = NAN;
    if (profile_base(sp, lo, hi, right, DOME_FROM_MM, self, base, &sig, ext) < ext)
        return 0;
    size_t r0 = rim_columns(sp, lo, hi, base, sig, w);
    size_t nr = 0;
    for (size_t i = 0; i < nref; i++)
        for (int s = 0; s < 2; s++)
            if (csf_detect_profile_2d(sp, ref_lo[i], ref_hi[i], s, DOME_FROM_MM, refs[nr], ext) == ext)
                nr++;
    if (nr < 2)
        return 0;
    /* excess over the normal sleeve: the neighbours' median, column by
     * column (it also removes the sac's partial-volume tail and the noise
     * floor of the baseline, which every level shares) */
    double exc[DOME_MAX_COLS];
    for (size_t j = 0; j < np; j++) {
        for (size_t r = 0; r < nr; r++)
            col[r] = refs[r][j + r0];
        exc[j] = self[j + r0] - csf_detect_median(col, nr);
    }
    for (size_t b = 0; b < nb; b++)
        bins[b] = bin_mean(exc, np, b, w);
    return nb;
}

int csf_detect_dome_2d(const csf_spine *sp, double lo, double hi, int right, const double *ref_lo,
                       const double *ref_hi, size_t nref, double *mouth, double *deep)
{
    double bins[DOME_MAX_COLS];
    size_t nb = csf_detect_excess_bins_2d(sp, lo, hi, right, ref_lo, ref_hi, nref, bins, DOME_MAX_COLS);
    *mouth = *deep = NAN;
    if (nb < 2)
        return 0;
    *mouth = bins[0];
    for (size_t b = 1; b < nb; b++)
        if (isfinite(bins[b]) && !(bins[b] <= *deep))
            *deep = bins[b];
    /* strictly wider deeper, as in 3D (wedge.c): the shape that fits the
     * profile better; a sleeve that keeps its width is neither, and noise
     * decides it (docs/detector-log.md gives the noise of the comparison) */
    return isfinite(*mouth) && isfinite(*deep) && *deep > *mouth;
}

/* The low-quartile baseline leaves the noise of the rows above it: a column
 * of background alone sums to a positive floor (about 0.67 noise SD per
 * row). It is measured on the same rows where no sleeve or leak of a
 * normal level reaches (45-55 mm beyond the wall, as the faint reach's
 * background, reach_2d.c), on both sides; fluid only raises a side's
 * floor, so the lower side's median is taken. 0 when the field of view
 * ends before (the root then keeps the floor: a conservative ratio). */

static double noise_floor(const csf_spine *sp, double lo, double hi)
{
    double px = csf_spine_volume(sp)->spacing[0], prof[DOME_MAX_COLS], best = INFINITY;
    size_t np = (size_t)floor((FLOOR_TO_MM - FLOOR_FROM_MM) / px);
    np = np > DOME_MAX_COLS ? DOME_MAX_COLS : np;
    for (int s = 0; s < 2; s++) {
        size_t m = csf_detect_profile_2d(sp, lo, hi, s, FLOOR_FROM_MM, prof, np);
        if (m < np || m == 0)
            continue;
        best = fmin(best, csf_detect_median(prof, m));
    }
    return isfinite(best) && best > 0 ? best : 0.0;
}

double csf_detect_root_2d(const csf_spine *sp, double lo, double hi, int right)
{
    double px = csf_spine_volume(sp)->spacing[0], prof[DOME_MAX_COLS];
    size_t w = (size_t)fmax(1.0, floor(DOME_BIN_MM / px + 0.5));
    if (w > DOME_MAX_COLS || csf_detect_profile_2d(sp, lo, hi, right, DOME_FROM_MM, prof, w) < w)
        return NAN;
    return bin_mean(prof, w, 0, w) - noise_floor(sp, lo, hi);
}
