/* Bone profiles along the spine for level finding (vfind.c). CT: the column
 * of vertebral bodies is where bone (> 200 HU) is most persistent along z;
 * per slice its centre is followed (the spine curves), and the mean HU of its
 * core dips at each disc. Ribs show as bone lateral to (and in front of) the
 * transverse processes; the sacral alae as wide bone beside the body. DSM
 * (a frontal projection, -ln I of the mask frame): the same measures on rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vlevels.h"

#define BONE_HU 200.0     /* cancellous and cortical bone; discs and soft tissue below */
#define CORE_MM 6.0       /* radius of the body core whose mean dips at the discs */
#define FIND_MM 15.0      /* bone within this of the column centre follows the body */
#define RIB_LAT_MM 30.0   /* CT: ribs lie beyond this from the body axis ... */
#define RIB_ANT_MM (-20.0)/* ... and in front of the canal (body centre - 20 mm) */
#define ALA_LAT_MM 18.0   /* sacral alae: bone beside the body, */
#define ALA_AP_MM 15.0    /* within this of its centre front to back */

void csf_dyn_vprof_release(dyn_vprof *p)
{
    free(p->body);
    free(p->rib);
    free(p->ala);
    memset(p, 0, sizeof *p);
}

static csf_status alloc3(dyn_vprof *p, size_t n, csf_error *err)
{
    p->n = n;
    p->body = malloc(n * sizeof *p->body);
    p->rib = calloc(n, sizeof *p->rib);
    p->ala = calloc(n, sizeof *p->ala);
    if (!p->body || !p->rib || !p->ala) {
        csf_dyn_vprof_release(p);
        return csf_error_set(err, CSF_ERR_NOMEM, "levels: out of memory");
    }
    return CSF_OK;
}

/* Column (i, j) where bone is most persistent along k, summed over a
 * +-8 mm box (a vertebral body outweighs the thinner posterior arch); a
 * summed-area table keeps this linear in the slice size. */
static int column_centre(const csf_volume *v, double c[2])
{
    size_t nx = v->dim[0], ny = v->dim[1], nz = v->dim[2];
    double *f = calloc((nx + 1) * (ny + 1), sizeof *f);
    if (f == NULL)
        return -1;
    for (size_t k = 0; k < nz; k++)
        for (size_t j = 0; j < ny; j++)
            for (size_t i = 0; i < nx; i++)
                f[(i + 1) + (nx + 1) * (j + 1)] += v->data[i + nx * (j + ny * k)] > BONE_HU;
    for (size_t j = 1; j <= ny; j++)
        for (size_t i = 1; i <= nx; i++)
            f[i + (nx + 1) * j] += f[i - 1 + (nx + 1) * j] + f[i + (nx + 1) * (j - 1)] -
                                   f[i - 1 + (nx + 1) * (j - 1)];
    long rx = (long)ceil(8 / v->spacing[0]), ry = (long)ceil(8 / v->spacing[1]);
    double best = 0;
    for (long j = 0; j < (long)ny; j++)
        for (long i = 0; i < (long)nx; i++) {
            size_t a0 = (size_t)(i - rx < 0 ? 0 : i - rx), b0 = (size_t)(j - ry < 0 ? 0 : j - ry);
            size_t a1 = (size_t)(i + rx + 1 > (long)nx ? (long)nx : i + rx + 1);
            size_t b1 = (size_t)(j + ry + 1 > (long)ny ? (long)ny : j + ry + 1);
            double s = f[a1 + (nx + 1) * b1] - f[a0 + (nx + 1) * b1] - f[a1 + (nx + 1) * b0] +
                       f[a0 + (nx + 1) * b0];
            if (s > best) {
                best = s;
                c[0] = (double)i;
                c[1] = (double)j;
            }
        }
    free(f);
    return best > 0 ? 0 : 1;
}

/* World in-plane offset (mm) of voxel (i, j) from (ci, cj). */
static void offset(const csf_volume *v, double di, double dj, double *dx, double *dy)
{
    *dx = v->affine[0][0] * di + v->affine[0][1] * dj;
    *dy = v->affine[1][0] * di + v->affine[1][1] * dj;
}

/* Running median of the per-slice centres over +-15 mm; slices without a
 * centre (discs) take their neighbours', or the global centre. */
static void smooth_centres(const double c[2], double dz, size_t nz, double *cx, double *cy)
{
    long w = (long)ceil(15 / dz);
    double *tx = malloc((size_t)(2 * w + 1) * sizeof *tx), *ty = malloc((size_t)(2 * w + 1) * sizeof *ty);
    double *ox = malloc(nz * sizeof *ox), *oy = malloc(nz * sizeof *oy);
    for (long k = 0; tx && ty && ox && oy && k < (long)nz; k++) {
        size_t m = 0;
        for (long j = k - w; j <= k + w; j++)
            if (j >= 0 && j < (long)nz && isfinite(cx[j])) {
                tx[m] = cx[j];
                ty[m++] = cy[j];
            }
        if (m == 0) {
            ox[k] = c[0];
            oy[k] = c[1];
            continue;
        }
        /* insertion sort: m <= 2w+1 is small */
        for (size_t a = 1; a < m; a++)
            for (size_t b = a; b > 0 && tx[b - 1] > tx[b]; b--) {
                double t = tx[b]; tx[b] = tx[b - 1]; tx[b - 1] = t;
            }
        for (size_t a = 1; a < m; a++)
            for (size_t b = a; b > 0 && ty[b - 1] > ty[b]; b--) {
                double t = ty[b]; ty[b] = ty[b - 1]; ty[b - 1] = t;
            }
        ox[k] = tx[m / 2];
        oy[k] = ty[m / 2];
    }
    if (tx && ty && ox && oy) {
        memcpy(cx, ox, nz * sizeof *cx);
        memcpy(cy, oy, nz * sizeof *cy);
    } else {
        for (size_t k = 0; k < nz; k++) {
            cx[k] = c[0];
            cy[k] = c[1];
        }
    }
    free(tx);
    free(ty);
    free(ox);
    free(oy);
}

/* Per-slice centre of the body: centroid of bone near the global centre,
 * then a running median over +-15 mm; slices without enough bone (discs)
 * take the median of their neighbours. */
static void follow_centre(const csf_volume *v, const double c[2], double dz, double *cx,
                          double *cy)
{
    size_t nx = v->dim[0], ny = v->dim[1], nz = v->dim[2];
    double px = v->spacing[0] * v->spacing[1];
    for (size_t k = 0; k < nz; k++) {
        const float *sl = v->data + nx * ny * k;
        double si = 0, sj = 0, n = 0;
        for (size_t j = 0; j < ny; j++)
            for (size_t i = 0; i < nx; i++) {
                double dx, dy;
                offset(v, (double)i - c[0], (double)j - c[1], &dx, &dy);
                if (sl[i + nx * j] > BONE_HU && dx * dx + dy * dy <= FIND_MM * FIND_MM) {
                    si += (double)i;
                    sj += (double)j;
                    n++;
                }
            }
        cx[k] = n * px >= 100 ? si / n : NAN;
        cy[k] = n * px >= 100 ? sj / n : NAN;
    }
    smooth_centres(c, dz, nz, cx, cy);
}

/* One CT slice: body core mean, rib area, ala area around (cx, cy). */
static void ct_slice(const csf_volume *v, size_t k, double cx, double cy, dyn_vprof *p)
{
    size_t nx = v->dim[0], ny = v->dim[1];
    const float *sl = v->data + nx * ny * k;
    double px = v->spacing[0] * v->spacing[1], s = 0, n = 0, rib = 0, ala = 0;
    for (size_t j = 0; j < ny; j++)
        for (size_t i = 0; i < nx; i++) {
            double dx, dy, val = sl[i + nx * j];
            offset(v, (double)i - cx, (double)j - cy, &dx, &dy);
            if (dx * dx + dy * dy <= CORE_MM * CORE_MM) {
                s += val;
                n++;
            }
            if (!(val > BONE_HU))
                continue;
            if (fabs(dx) >= RIB_LAT_MM && dy >= RIB_ANT_MM)
                rib += px;
            if (fabs(dx) >= ALA_LAT_MM && fabs(dy) <= ALA_AP_MM)
                ala += px;
        }
    p->body[k] = n > 0 ? s / n : NAN;
    p->rib[k] = rib;
    p->ala[k] = ala;
}

static csf_status ct_profiles(const csf_volume *v, dyn_vprof *p, char *why, size_t wl,
                              csf_error *err)
{
    double c[2] = {0, 0};
    int r = column_centre(v, c);
    if (r < 0)
        return csf_error_set(err, CSF_ERR_NOMEM, "levels: out of memory");
    if (r > 0) {
        snprintf(why, wl, "no bone (> %.0f HU) in the reference frame: levels not determinable",
                 BONE_HU);
        return CSF_OK;
    }
    size_t nz = v->dim[2];
    csf_status st = alloc3(p, nz, err);
    if (st != CSF_OK)
        return st;
    double *cx = malloc(nz * sizeof *cx), *cy = malloc(nz * sizeof *cy);
    if (cx == NULL || cy == NULL) {
        free(cx);
        free(cy);
        csf_dyn_vprof_release(p);
        return csf_error_set(err, CSF_ERR_NOMEM, "levels: out of memory");
    }
    follow_centre(v, c, p->dz, cx, cy);
    for (size_t k = 0; k < nz; k++)
        ct_slice(v, k, cx[k], cy[k], p);
    p->z0 = v->affine[2][0] * c[0] + v->affine[2][1] * c[1] + v->affine[2][3];
    free(cx);
    free(cy);
    p->min_depth = 40;   /* HU: below this a dip is trabecular variation */
    p->rib_min = 10;     /* mm2 per slice: a rib section, not a stray voxel */
    p->ala_min = 300;    /* mm2 per slice: alae, not the edge of a lumbar body */
    return CSF_OK;
}

/* DSM: mean -ln I over |x - centre| in [lo, hi] mm (both sides) of row k. */
static double band(const csf_volume *v, size_t k, double ci, double lo, double hi)
{
    size_t nx = v->dim[0];
    double s = 0, n = 0;
    for (size_t i = 0; i < nx; i++) {
        double d = fabs(((double)i - ci) * v->spacing[0]);
        if (d >= lo && d <= hi) {
            s += v->data[i + nx * k];
            n++;
        }
    }
    return n > 0 ? s / n : NAN;
}

static double p10(const double *x, size_t n)
{
    double *t = malloc(n * sizeof *t), r = NAN;
    size_t m = 0;
    for (size_t i = 0; t && i < n; i++)
        if (isfinite(x[i]))
            t[m++] = x[i];
    if (m > 0) {
        for (size_t a = 1; a < m; a++) /* rows: a few hundred */
            for (size_t b = a; b > 0 && t[b - 1] > t[b]; b--) {
                double q = t[b]; t[b] = t[b - 1]; t[b - 1] = q;
            }
        r = t[m / 10];
    }
    free(t);
    return r;
}

static csf_status dsm_profiles(const csf_volume *v, dyn_vprof *p, csf_error *err)
{
    size_t nx = v->dim[0], nz = v->dim[2];
    csf_status st = alloc3(p, nz, err);
    if (st != CSF_OK)
        return st;
    /* the column of vertebral bodies: centroid of the mean column attenuation
     * above half its range (symmetric about the body's midline) */
    double *col = calloc(nx, sizeof *col), lo = INFINITY, hi = -INFINITY, sw = 0, si = 0;
    if (col == NULL) {
        csf_dyn_vprof_release(p);
        return csf_error_set(err, CSF_ERR_NOMEM, "levels: out of memory");
    }
    for (size_t i = 0; i < nx; i++) {
        for (size_t k = 0; k < nz; k++)
            col[i] += v->data[i + nx * k];
        lo = fmin(lo, col[i]);
        hi = fmax(hi, col[i]);
    }
    for (size_t i = 0; i < nx; i++)
        if (col[i] - lo > 0.5 * (hi - lo)) {
            sw += col[i] - lo;
            si += (col[i] - lo) * (double)i;
        }
    double ci = sw > 0 ? si / sw : 0.5 * (double)(nx - 1);
    free(col);
    for (size_t k = 0; k < nz; k++) {
        p->body[k] = band(v, k, ci, 0, CORE_MM);
        p->rib[k] = band(v, k, ci, 33, 44);
        p->ala[k] = band(v, k, ci, 20, 40);
    }
    double br = p10(p->rib, nz), ba = p10(p->ala, nz);
    for (size_t k = 0; k < nz; k++) {
        p->rib[k] -= br;
        p->ala[k] -= ba;
    }
    p->z0 = v->affine[2][0] * ci + v->affine[2][3];
    lo = p10(p->body, nz);
    hi = -INFINITY;
    for (size_t k = 0; k < nz; k++)
        hi = fmax(hi, p->body[k]);
    p->min_depth = 0;
    p->rib_min = 0.015 * (hi - lo); /* a thin rib band averaged over its vertebra */
    p->ala_min = 0.3 * (hi - lo);
    return CSF_OK;
}

csf_status csf_dyn_vprof_make(const csf_volume *ref, csf_dyn_modality m, dyn_vprof *p,
                              char *why, size_t wl, csf_error *err)
{
    memset(p, 0, sizeof *p);
    why[0] = '\0';
    double c2[3] = {ref->affine[0][2], ref->affine[1][2], ref->affine[2][2]};
    double nrm = sqrt(c2[0] * c2[0] + c2[1] * c2[1] + c2[2] * c2[2]);
    if (!(nrm > 0) || fabs(c2[2]) < 0.9 * nrm) {
        snprintf(why, wl, "the slices are not axial (k axis not craniocaudal): levels not "
                 "determinable from bone");
        return CSF_OK;
    }
    p->dz = nrm;
    p->dzdk = c2[2];
    p->caudal_up = c2[2] > 0;
    if ((double)ref->dim[2] * nrm < 60) {
        snprintf(why, wl, "field of view %.0f mm long: too short to count vertebrae",
                 (double)ref->dim[2] * nrm);
        return CSF_OK;
    }
    if (m == CSF_DYN_DSM)
        return dsm_profiles(ref, p, err);
    return ct_profiles(ref, p, why, wl, err);
}
