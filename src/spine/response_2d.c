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
 * depth ~ signal^(1 / g) undoes it for the rules. a is fitted too (the
 * tracked wall is a threshold crossing, which a response moves). Only the
 * profile above a fifth of its peak enters the fit: the outer rim is
 * partial volume of the wall and the scanner's point-spread function, not
 * depth. Without enough such rows (no cordless sac in view) or with a fit at
 * the edge of the searched range, g stays 1 (signal taken as linear, as
 * before). Nothing is fitted to phantoms: the shape is the sac's geometry. */
#include <math.h>
#ifdef CSF_DEBUG_RESPONSE
#include <stdio.h>
#endif
#include <stdlib.h>

#include "spine_internal.h"

#define RESP_NU 57          /* u = -1.4 .. 1.4 in steps of 0.05 half-widths */
#define RESP_DU 0.05
#define RESP_MIN_ROWS 40    /* a median over fewer noisy rows is not a shape */
#define RESP_FIT_FLOOR 0.2  /* below this share of the peak: the wall's partial volume */
#define RESP_P_LO 0.1       /* searched half-exponents p = g / 2 */
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

/* Least-squares residual of A (1 - (u / a)^2)_+^p on the fitted points
 * (A in closed form). */
static double fit_residual(const double *m, const int *use, double p, double a)
{
    double xm = 0, xx = 0, x[RESP_NU];
    for (int q = 0; q < RESP_NU; q++) {
        double u = (-1.4 + RESP_DU * q) / a, b = 1 - u * u;
        x[q] = b > 0 ? pow(b, p) : 0;
        if (use[q]) {
            xm += x[q] * m[q];
            xx += x[q] * x[q];
        }
    }
    if (!(xx > 0))
        return INFINITY;
    double A = xm / xx, r = 0;
    for (int q = 0; q < RESP_NU; q++)
        if (use[q])
            r += (A * x[q] - m[q]) * (A * x[q] - m[q]);
    return r;
}

/* Grid search over p and a, coarse then fine around the best; the exponent
 * g = 2 p, or 1 when the best lies on the searched range's edge. */
static double fit_exponent(const double *m)
{
    int use[RESP_NU];
    double mx = 0;
    for (int q = 0; q < RESP_NU; q++)
        mx = fmax(mx, m[q]);
    for (int q = 0; q < RESP_NU; q++)
        use[q] = m[q] >= RESP_FIT_FLOOR * mx;
    double bp = NAN, ba = NAN, br = INFINITY;
    for (double p = RESP_P_LO; p <= RESP_P_HI + 1e-9; p += 0.02)
        for (double a = RESP_A_LO; a <= RESP_A_HI + 1e-9; a += 0.02) {
            double r = fit_residual(m, use, p, a);
            if (r < br) {
                br = r;
                bp = p;
                ba = a;
            }
        }
    if (!isfinite(bp))
        return 1.0;
    double p0 = bp, a0 = ba;
    for (double p = p0 - 0.02; p <= p0 + 0.02 + 1e-9; p += 0.002)
        for (double a = a0 - 0.02; a <= a0 + 0.02 + 1e-9; a += 0.002) {
            double r = fit_residual(m, use, p, a);
            if (r < br) {
                br = r;
                bp = p;
                ba = a;
            }
        }
    if (bp <= RESP_P_LO + 0.01 || bp >= RESP_P_HI - 0.01 || ba <= RESP_A_LO + 0.01 || ba >= RESP_A_HI - 0.01)
        return 1.0;
    return 2.0 * bp;
}

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
    if (nrow >= RESP_MIN_ROWS) {
        double med[RESP_NU];
        for (int q = 0; q < RESP_NU; q++) {
            for (size_t r = 0; r < nrow; r++)
                col[r] = prof[r * RESP_NU + (size_t)q];
            qsort(col, nrow, sizeof *col, cmp_double);
            med[q] = nrow % 2 ? col[nrow / 2] : 0.5 * (col[nrow / 2 - 1] + col[nrow / 2]);
        }
        sp->depth_exponent = fit_exponent(med);
    }
#ifdef CSF_DEBUG_RESPONSE
    fprintf(stderr, "response_2d: rows %zu of %zu, g %.3f\n", nrow, nk, sp->depth_exponent);
#endif
    free(prof);
    free(col);
    return CSF_OK;
}

double csf_spine_depth_exponent(const csf_spine *sp) { return sp->depth_exponent; }

double csf_spine_linear_depth(const csf_spine *sp, double s)
{
    double g = sp->depth_exponent;
    if (g == 1.0 || s == 0)
        return s;
    return s > 0 ? pow(s, 1.0 / g) : -pow(-s, 1.0 / g);
}
