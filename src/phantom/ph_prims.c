/* Primitive geometry: approximate signed distances, soft (partial-volume)
 * occupancy, bounding boxes, z bins and the noise-free model sample. */
#include <stdlib.h>
#include <string.h>

#include "phantom/ph_internal.h"

#define PH_MARGIN 3.0 /* mm around every bounding box for the soft edge */

static double clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

/* Signed distance to an axis-aligned ellipse, first order: f / |grad f|. */
static double ellipse_dist(double dx, double dy, double a, double b)
{
    double u = dx / a, v = dy / b;
    double k = sqrt(u * u + v * v);
    if (k < 1e-9)
        return -(a < b ? a : b);
    double gx = u / a, gy = v / b;
    double g = sqrt(gx * gx + gy * gy) / k;
    return (k - 1.0) / g;
}

void ph_capsule(ph_prim *p, const double a[3], const double b[3], double r0, double r1, float sig,
                int label)
{
    memset(p, 0, sizeof *p);
    p->kind = PH_CAPSULE;
    memcpy(p->p0, a, sizeof p->p0);
    memcpy(p->p1, b, sizeof p->p1);
    p->r0 = r0;
    p->r1 = r1;
    p->signal = sig;
    p->label = label;
}

void ph_ellipsoid(ph_prim *p, const double c[3], const double r[3], float sig, int label)
{
    memset(p, 0, sizeof *p);
    p->kind = PH_ELLIPSOID;
    memcpy(p->c, c, sizeof p->c);
    memcpy(p->r, r, sizeof p->r);
    for (int i = 0; i < 3; i++)
        p->rot[i][i] = 1.0;
    p->signal = sig;
    p->label = label;
}

static void tube_axes(const ph_zrow *w, int src, double *a, double *b, double *yoff, double *wt)
{
    *wt = 1.0;
    switch (src) {
    case PH_SRC_SAC: *a = w->sa, *b = w->sb, *yoff = 0; break;
    case PH_SRC_CORD: *a = w->ca, *b = w->cb, *yoff = w->cy; break;
    case PH_SRC_BODY: *a = w->ba, *b = w->bb, *yoff = w->boff, *wt = 1.0 - w->is_disc; break;
    case PH_SRC_DISC: *a = w->ba * 0.95, *b = w->bb * 0.95, *yoff = w->boff, *wt = w->is_disc; break;
    default: *a = w->ba * 0.45, *b = w->bb * 0.4, *yoff = w->boff, *wt = w->is_disc; break;
    }
}

double ph_prim_dist(const csf_phantom *ph, const ph_prim *p, const double q[3])
{
    return ph_prim_dist_row(ph, p, q, NULL);
}

double ph_prim_dist_row(const csf_phantom *ph, const ph_prim *p, const double q[3], const ph_zrow *w)
{
    switch (p->kind) {
    case PH_ELLIPSOID: {
        double d[3] = {q[0] - p->c[0], q[1] - p->c[1], q[2] - p->c[2]}, k2 = 0, g2 = 0;
        for (int i = 0; i < 3; i++) {
            double l = p->rot[i][0] * d[0] + p->rot[i][1] * d[1] + p->rot[i][2] * d[2];
            double u = l / p->r[i];
            k2 += u * u;
            g2 += (u / p->r[i]) * (u / p->r[i]);
        }
        double k = sqrt(k2);
        if (k < 1e-9)
            return -p->r[0];
        return (k - 1.0) / (sqrt(g2) / k);
    }
    case PH_CAPSULE: {
        double v[3], e0[3], vv = 0, wv = 0;
        for (int i = 0; i < 3; i++) {
            v[i] = p->p1[i] - p->p0[i];
            e0[i] = q[i] - p->p0[i];
            vv += v[i] * v[i];
            wv += e0[i] * v[i];
        }
        double t = vv > 0 ? wv / vv : 0;
        t = clamp01(t);
        double d2 = 0;
        for (int i = 0; i < 3; i++) {
            double e = e0[i] - t * v[i];
            d2 += e * e;
        }
        return sqrt(d2) - (p->r0 + t * (p->r1 - p->r0));
    }
    default: {
        ph_zrow tmp;
        if (w == NULL)
            w = ph_row(ph, q[2], &tmp);
        if (p->kind == PH_SHELL) {
            if (w->sa < 0.5)
                return 1e9;
            double dy = q[1] - w->yc;
            double ds = ellipse_dist(q[0] - w->xc, dy, w->sa, w->sb);
            double u = (q[2] - p->z0) / (p->z1 - p->z0);
            double t = u <= 0 || u >= 1 ? 0 : p->thick * sqrt(sin(3.14159265 * u));
            double d = fmax(p->gap - ds, ds - p->gap - t);
            return fmax(d, 0.3 * w->sb - p->sign_y * dy);
        }
        double a, b, yoff, wt;
        tube_axes(w, p->src, &a, &b, &yoff, &wt);
        if (a < 0.05 || b < 0.05 || wt <= 0)
            return 1e9;
        return ellipse_dist(q[0] - w->xc, q[1] - w->yc - yoff, a, b);
    }
    }
}

/* Occupancy in [0,1]: a linear ramp of width h across the surface, the first-order
 * box-filtered edge (partial volume). */
double ph_prim_occ(const csf_phantom *ph, const ph_prim *p, const double q[3], double h,
                   const ph_zrow *w)
{
    double d = ph_prim_dist_row(ph, p, q, w);
    double occ = clamp01(0.5 - d / h);
    if (occ <= 0)
        return 0;
    if (p->kind == PH_TUBE) {
        ph_zrow tmp;
        double a, b, yoff, wt;
        tube_axes(w ? w : ph_row(ph, q[2], &tmp), p->src, &a, &b, &yoff, &wt);
        occ *= wt;
        if (p->zfade > 0)
            occ *= clamp01((q[2] - p->z0) / p->zfade) * clamp01((p->z1 - q[2]) / p->zfade);
    }
    return occ;
}

int ph_prim_row_box(const ph_prim *p, const ph_zrow *w, double lo[2], double hi[2])
{
    if (p->kind != PH_TUBE && p->kind != PH_SHELL)
        return 0;
    double a, b, yoff, wt;
    if (p->kind == PH_SHELL)
        a = w->sa + p->gap + p->thick, b = w->sb + p->gap + p->thick, yoff = 0;
    else
        tube_axes(w, p->src, &a, &b, &yoff, &wt);
    lo[0] = w->xc - a - PH_MARGIN, hi[0] = w->xc + a + PH_MARGIN;
    lo[1] = w->yc + yoff - b - PH_MARGIN, hi[1] = w->yc + yoff + b + PH_MARGIN;
    return 1;
}

void ph_prim_bbox(ph_prim *p, const csf_phantom *ph)
{
    if (p->kind == PH_ELLIPSOID) {
        double m = fmax(p->r[0], fmax(p->r[1], p->r[2]));
        for (int i = 0; i < 3; i++)
            p->lo[i] = p->c[i] - m, p->hi[i] = p->c[i] + m;
    } else if (p->kind == PH_CAPSULE) {
        double m = fmax(p->r0, p->r1);
        for (int i = 0; i < 3; i++) {
            p->lo[i] = fmin(p->p0[i], p->p1[i]) - m;
            p->hi[i] = fmax(p->p0[i], p->p1[i]) + m;
        }
    } else {
        double z0 = p->kind == PH_SHELL || p->zfade > 0 ? p->z0 : ph->zmin;
        double z1 = p->kind == PH_SHELL || p->zfade > 0 ? p->z1 : ph->zmax;
        p->lo[0] = p->lo[1] = 1e9;
        p->hi[0] = p->hi[1] = -1e9;
        for (size_t k = 0; k < ph->nz; k++) {
            double z = ph->zmin + PH_DZ * (double)k;
            if (z < z0 || z > z1)
                continue;
            const ph_zrow *w = &ph->tab[k];
            double a, b, yoff, wt;
            if (p->kind == PH_SHELL)
                a = w->sa + p->gap + p->thick, b = w->sb + p->gap + p->thick, yoff = 0;
            else
                tube_axes(w, p->src, &a, &b, &yoff, &wt);
            p->lo[0] = fmin(p->lo[0], w->xc - a);
            p->hi[0] = fmax(p->hi[0], w->xc + a);
            p->lo[1] = fmin(p->lo[1], w->yc + yoff - b);
            p->hi[1] = fmax(p->hi[1], w->yc + yoff + b);
        }
        p->lo[2] = z0;
        p->hi[2] = z1;
    }
    for (int i = 0; i < 3; i++)
        p->lo[i] -= PH_MARGIN, p->hi[i] += PH_MARGIN;
}

csf_status ph_push(csf_phantom *ph, const ph_prim *p, csf_error *err)
{
    if (ph->nprims == ph->cap) {
        size_t cap = ph->cap ? 2 * ph->cap : 256;
        ph_prim *np = realloc(ph->prims, cap * sizeof *np);
        if (np == NULL)
            return csf_error_set(err, CSF_ERR_NOMEM, "phantom: out of memory for primitives");
        ph->prims = np;
        ph->cap = cap;
    }
    ph->prims[ph->nprims] = *p;
    ph_prim_bbox(&ph->prims[ph->nprims], ph);
    ph->nprims++;
    return CSF_OK;
}

csf_status ph_bins_build(csf_phantom *ph, csf_error *err)
{
    double span = (ph->zmax - ph->zmin) / PH_ZBIN;
    if (!(span >= 0.0 && span < 1e6)) /* a bad anatomy (NaN, inverted) must not reach the cast */
        return csf_error_set(err, CSF_ERR_INTERNAL, "phantom: z range %g..%g mm", ph->zmin, ph->zmax);
    ph->nbins = (size_t)span + 2;
    ph->binoff = calloc(ph->nbins + 1, sizeof *ph->binoff);
    if (ph->binoff == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "phantom: out of memory for bins");
    for (int pass = 0; pass < 2; pass++) {
        size_t *fill = pass ? calloc(ph->nbins, sizeof *fill) : NULL;
        if (pass && fill == NULL)
            return csf_error_set(err, CSF_ERR_NOMEM, "phantom: out of memory for bins");
        for (size_t i = 0; i < ph->nprims; i++) {
            const ph_prim *p = &ph->prims[i];
            double b0 = floor((p->lo[2] - ph->zmin) / PH_ZBIN), b1 = floor((p->hi[2] - ph->zmin) / PH_ZBIN);
            b0 = b0 < 0 ? 0 : b0;
            b1 = b1 > (double)ph->nbins - 1 ? (double)ph->nbins - 1 : b1;
            for (double b = b0; b <= b1; b++) {
                size_t bi = (size_t)b;
                if (pass)
                    ph->binidx[ph->binoff[bi] + fill[bi]++] = i;
                else
                    ph->binoff[bi + 1]++;
            }
        }
        if (!pass) {
            for (size_t b = 0; b < ph->nbins; b++)
                ph->binoff[b + 1] += ph->binoff[b];
            ph->binidx = malloc((ph->binoff[ph->nbins] + 1) * sizeof *ph->binidx);
            if (ph->binidx == NULL)
                return csf_error_set(err, CSF_ERR_NOMEM, "phantom: out of memory for bins");
        }
        free(fill);
    }
    return CSF_OK;
}

float ph_sample(const csf_phantom *ph, const double q[3], double h, int *label)
{
    double f = (q[2] - ph->zmin) / PH_ZBIN;
    *label = 0;
    if (!(f >= 0) || f >= (double)ph->nbins)
        return 0.0f;
    size_t b = (size_t)f;
    double v = 0;
    for (size_t n = ph->binoff[b]; n < ph->binoff[b + 1]; n++) {
        const ph_prim *p = &ph->prims[ph->binidx[n]];
        if (q[0] < p->lo[0] || q[0] > p->hi[0] || q[1] < p->lo[1] || q[1] > p->hi[1] ||
            q[2] < p->lo[2] || q[2] > p->hi[2])
            continue;
        double occ = ph_prim_occ(ph, p, q, h, NULL);
        if (occ <= 0)
            continue;
        v += occ * (p->signal - v);
        if (occ >= 0.5)
            *label = p->label;
    }
    return (float)v;
}

double ph_finding_occ(const csf_phantom *ph, int f, const double q[3], double h)
{
    const ph_finding *fd = &ph->findings[f];
    double best = 0;
    for (int i = 0; i < fd->nprims; i++)
        best = fmax(best, ph_prim_occ(ph, &ph->prims[fd->first_prim + i], q, h, NULL));
    return best;
}

double ph_sac_occ(const csf_phantom *ph, const double q[3], double h)
{
    ph_prim sac;
    memset(&sac, 0, sizeof sac);
    sac.kind = PH_TUBE;
    sac.src = PH_SRC_SAC;
    return ph_prim_occ(ph, &sac, q, h, NULL);
}
