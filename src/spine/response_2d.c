/* 2D: the scanner's intensity response, calibrated on the patient's own sac.
 *
 * Several 2D rules read the brightness of the thick-slab projection as the
 * depth of fluid along the beam (the flat-pool rule's centre / rim ratio,
 * extras.c; the lumbar dome's depth profile, depth_2d.c). That holds when
 * the signal is linear in depth. Another sequence or scanner maps signal
 * through its own monotone response (a contrast curve, a gamma), which
 * compresses every depth ratio: a ball's centre / rim ratio of 1.62 becomes
 * 1.62^0.6 = 1.34 under a power 0.6 (docs/detector-log.md, session 9).
 *
 * Every image carries a tube of fluid of known shape: the thecal sac. Below
 * the conus it holds CSF and thin roots only, and its cross-section is round
 * to elliptic, so the depth of fluid along the (antero-posterior) beam at
 * lateral offset x from its axis is 2 b sqrt(1 - (x / a)^2), whatever the
 * ellipse's AP half-axis b: the shape across the width is known, only the
 * scale is not. Rows where the cord sits in the sac are dimmer at the middle
 * than halfway out (the cord displaces fluid there); they are left out, as
 * any row whose profile does not fall from its middle outward. The
 * background is zero fluid. So the median over the rows of the sac's
 * lateral profile, each row in units of its own half-width and centre
 * signal, is the response applied to sqrt(1 - u^2): fitting
 * A (1 - (u / a)^2)^(g / 2) gives the exponent g of signal ~ depth^g, and
 * depth ~ signal^(1 / g) undoes it for the rules (extras.c, depth_2d.c,
 * the band fluid of cells_2d.c, the column profile of wedge_2d.c) and sets
 * the fluid threshold at a quarter of the depth (0.25^g of the signal). a is
 * fitted too (the tracked wall is a threshold crossing, which a response
 * moves). Only the profile above half its peak enters the fit: further out
 * the wall's partial volume and the point-spread function dominate (on the
 * synthetic tube of the unit tests, with 2 mm thick rows, a fit down to a
 * fifth of the peak reads a power 0.6 as 0.83). g is used only when it
 * stands out of its own error: the rows in four runs along z, each fitted
 * alone, give its standard error (the sac's shape and the noise vary along
 * the spine), and a g within 3.18 standard errors of 1 (Student's t, 3
 * degrees of freedom, 95 %) is no evidence of a non-linear response. Then, and without enough cordless rows or with a
 * fit at the edge of the searched range, g is 1 and every reading is as
 * before. Nothing is fitted to phantoms: the shape is the sac's geometry. */
#include <math.h>
#include <stdlib.h>

#include "spine_internal.h"

#define RESP_NU 57          /* u = -1.4 .. 1.4 in steps of 0.05 half-widths */
#define RESP_DU 0.05
#define RESP_MIN_ROWS 40    /* a median over fewer noisy rows is not a shape */
#define RESP_FIT_FLOOR 0.5  /* below this share of the peak: the wall's partial volume */
#define RESP_P_LO 0.1       /* accepted half-exponents p = g / 2 */
#define RESP_P_HI 1.5
#define RESP_A_LO 0.7       /* searched tube half-widths, in tracked half-widths */
#define RESP_A_HI 1.5

static double row_at(const csf_spine *sp, size_t k, double x)
{
    if (!(x >= 0) || x > (double)(sp->nx - 1))
        return NAN;
    size_t i = (size_t)floor(x);
    double f = x - (double)i;
    const float *r = sp->vol->data + sp->nx * k;
    double v = i + 1 < sp->nx ? r[i] + f * (r[i + 1] - r[i]) : r[i];
    return v - sp->background;
}

/* Row k's profile over the u grid, in units of its centre signal; 0 when the
 * row is not a cordless tube: a tube of fluid is deepest at its middle and
 * shallower outward, so the mean over 0.2-0.5 half-widths must not exceed
 * the centre, nor the mean over 0.5-0.8 the one inside it (the cord
 * displaces the fluid at the middle; a collection beside the sac widens it
 * with a shelf). */
static int row_profile(const csf_spine *sp, size_t k, double *p)
{
    const csf_sac_slice *s = &sp->slices[k];
    double Rr = s->radius_mm[0], Rl = s->radius_mm[CSF_SAC_NRAYS / 2];
    if (!s->present || !isfinite(Rr) || !isfinite(Rl))
        return 0;
    double hw = 0.5 * (Rr + Rl) / sp->sx, c = s->center_vox[0] + 0.5 * (Rr - Rl) / sp->sx;
    if (!(hw >= 3.0))
        return 0;
    double P = (row_at(sp, k, c - 1) + row_at(sp, k, c) + row_at(sp, k, c + 1)) / 3.0;
    if (!(P > 0))
        return 0;
    double band[2] = {0, 0};
    int nb[2] = {0, 0};
    for (int q = 0; q < RESP_NU; q++) {
        double u = fabs(-1.4 + RESP_DU * q);
        p[q] = row_at(sp, k, c + (-1.4 + RESP_DU * q) * hw) / P;
        if (!isfinite(p[q]))
            return 0;
        if (u >= 0.2 - 1e-9 && u < 0.8 - 1e-9) {
            int b = u >= 0.5 - 1e-9;
            band[b] += p[q];
            nb[b]++;
        }
    }
    if (nb[0] == 0 || nb[1] == 0)
        return 0;
    double m1 = band[0] / nb[0], m2 = band[1] / nb[1];
    return m1 <= 1.0 && m2 <= m1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* For one tube half-width a (in tracked half-widths): the weighted least
 * squares line log m = log A + p log(1 - (u / a)^2) over the fitted points,
 * weights m^2 (a residual in log m is one in m over m: the fit then weighs
 * the profile as a least-squares fit in signal would); *p and the residual.
 * INFINITY when a fitted point lies beyond a. */
static double fit_at(const double *m, const int *use, double a, double *p)
{
    double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, x[RESP_NU], y[RESP_NU];
    for (int q = 0; q < RESP_NU; q++) {
        if (!use[q])
            continue;
        double u = (-1.4 + RESP_DU * q) / a, b = 1 - u * u, w = m[q] * m[q];
        if (!(b > 0))
            return INFINITY;
        x[q] = log(b);
        y[q] = log(m[q]);
        sw += w;
        sx += w * x[q];
        sy += w * y[q];
        sxx += w * x[q] * x[q];
        sxy += w * x[q] * y[q];
    }
    double vx = sxx - sx * sx / sw;
    if (!(sw > 0) || !(vx > 0))
        return INFINITY;
    *p = (sxy - sx * sy / sw) / vx;
    double c = (sy - *p * sx) / sw, r = 0;
    for (int q = 0; q < RESP_NU; q++)
        if (use[q])
            r += m[q] * m[q] * (y[q] - c - *p * x[q]) * (y[q] - c - *p * x[q]);
    return r;
}

/* The exponent g = 2 p of the best fit over the searched tube half-widths;
 * NaN when the best lies on the range's edge or p outside its range. */
static double fit_exponent(const double *m, double floor)
{
    int use[RESP_NU];
    double mx = 0;
    for (int q = 0; q < RESP_NU; q++)
        mx = fmax(mx, m[q]);
    for (int q = 0; q < RESP_NU; q++)
        use[q] = mx > 0 && m[q] >= floor * mx;
    double bp = NAN, ba = NAN, br = INFINITY;
    for (int i = 0; i <= (int)lround((RESP_A_HI - RESP_A_LO) / 0.005); i++) {
        double a = RESP_A_LO + 0.005 * i, p = NAN, r = fit_at(m, use, a, &p);
        if (r < br) {
            br = r;
            bp = p;
            ba = a;
        }
    }
    if (!isfinite(bp) || bp <= RESP_P_LO || bp >= RESP_P_HI || ba >= RESP_A_HI - 0.01)
        return NAN;
    return 2.0 * bp;
}

/* g of rows [r0, r1) of prof: the median profile, fitted. */
static double group_exponent(const double *prof, size_t r0, size_t r1, double *col, double floor)
{
    double med[RESP_NU];
    size_t n = r1 - r0;
    for (int q = 0; q < RESP_NU; q++) {
        for (size_t r = r0; r < r1; r++)
            col[r - r0] = prof[r * RESP_NU + (size_t)q];
        qsort(col, n, sizeof *col, cmp_double);
        med[q] = n % 2 ? col[n / 2] : 0.5 * (col[n / 2 - 1] + col[n / 2]);
    }
    return fit_exponent(med, floor);
}

/* The response is taken as measured only where it stands out of its own
 * spread along the sac: the rows in RESP_GROUPS runs along z, each fitted
 * on its own, give the standard error of g (the sac's shape varies along
 * the spine, the noise too). An SE from four runs has three degrees of
 * freedom, so (g - 1) / SE follows Student's t with 3 df, whose two-sided
 * 95 % point is 3.182: a g closer to 1 is no evidence of a non-linear
 * response and the signal stays linear. */
#define RESP_GROUPS 4
#define RESP_SE 3.182

csf_status csf_spine_response_2d(csf_spine *sp, csf_error *err)
{
    sp->depth_exponent = 1.0;
    if (!sp->is2d || !sp->found || sp->k_last < sp->k_first)
        return CSF_OK;
    size_t nk = sp->k_last - sp->k_first + 1, nrow = 0;
    double *prof = malloc(nk * RESP_NU * sizeof *prof), *col = malloc(nk * sizeof *col);
    if (prof == NULL || col == NULL) {
        free(prof);
        free(col);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate the sac profiles of %zu rows", nk);
    }
    for (size_t k = sp->k_first; k <= sp->k_last; k++)
        if (row_profile(sp, k, prof + nrow * RESP_NU))
            nrow++;
    double g = NAN, se = NAN, gq[RESP_GROUPS];
    if (nrow >= RESP_MIN_ROWS) {
        g = group_exponent(prof, 0, nrow, col, RESP_FIT_FLOOR);
        double s1 = 0, s2 = 0;
        int ok = 1;
        for (int q = 0; q < RESP_GROUPS; q++) {
            gq[q] = group_exponent(prof, nrow * (size_t)q / RESP_GROUPS, nrow * (size_t)(q + 1) / RESP_GROUPS, col,
                                   RESP_FIT_FLOOR);
            ok &= isfinite(gq[q]);
            s1 += gq[q];
            s2 += gq[q] * gq[q];
        }
        if (ok)
            se = sqrt(fmax(0.0, (s2 - s1 * s1 / RESP_GROUPS) / (RESP_GROUPS - 1)) / RESP_GROUPS);
        if (isfinite(g) && isfinite(se) && fabs(g - 1.0) > RESP_SE * se)
            sp->depth_exponent = g;
    }
    free(prof);
    free(col);
    return CSF_OK;
}

void csf_spine_edge_by_depth_2d(csf_spine *sp)
{
    if (!sp->is2d || !sp->found || sp->depth_exponent == 1.0)
        return;
    /* a quarter of the depth is 0.25^g of the signal: under a compressing
     * response (g < 1) the raw quarter would admit fluid a tenth as deep */
    double frac = pow(EDGE_FRACTION_2D, sp->depth_exponent), floor_t = sp->background + 3.0 * sp->noise;
    for (size_t k = sp->k_first; k <= sp->k_last; k++) {
        csf_sac_slice *s = &sp->slices[k];
        s->threshold = fmax(sp->background + frac * (s->csf_level - sp->background), floor_t);
    }
}

double csf_spine_depth_exponent(const csf_spine *sp) { return sp->depth_exponent; }

double csf_spine_linear_depth(const csf_spine *sp, double s)
{
    double g = sp->depth_exponent;
    if (g == 1.0 || s == 0)
        return s;
    return s > 0 ? pow(s, 1.0 / g) : -pow(-s, 1.0 / g);
}
