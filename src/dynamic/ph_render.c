/* Phantom frames: dynamic CT (HU) and DSM (raw X-ray intensity) of a
 * thoracolumbar spine whose thecal sac fills with contrast from below, with
 * one pathology; shapes have a one-voxel soft edge (partial volume). */
#include <math.h>
#include <string.h>

#include "dyn_internal.h"

#define NOISE_CTR (1ull << 32)

typedef struct scene {
    const dyn_ph *ph;
    double R, RC, C0, Lmix, t, age;   /* age: frames since leak onset (+1), 0 before */
    double vox;
} scene;

static double P(const dyn_ph *ph, int k)
{
    return csf_dyn_rng_unif(ph->o.seed, 5000 + (uint64_t)k);
}

static double cov(double d, double vox)
{
    double c = 0.5 - d / vox;
    return c < 0 ? 0 : c > 1 ? 1 : c;
}

static double yc_of(const scene *s, double z)
{
    return 5 * sin(2 * M_PI * (z - s->ph->z0_mm) / 500);
}

/* Normalised contrast in the sac at z (1 = undiluted at the bottom). */
static double conc(const scene *s, double z)
{
    double front = s->ph->front0 + s->ph->front_v * s->t;
    double r = 0.5 + (front - z) / 8;
    r = r < 0 ? 0 : r > 1 ? 1 : r;
    return r * exp(-(z - s->ph->z0_mm) / s->Lmix) * (1 - 0.02 * s->t / (s->ph->dt > 0 ? s->ph->dt : 1));
}

static int level_at(const dyn_ph *ph, double z, double *centre, double *h)
{
    for (size_t i = 0; i < ph->lv.n; i++) {
        double hh = ph->lv.index[i] < 7 ? 16 : ph->lv.index[i] < 19 ? 22 : ph->lv.index[i] < 24 ? 30 : 25;
        if (fabs(z - ph->lv.z_mm[i]) <= 0.5 * hh) {
            *centre = ph->lv.z_mm[i];
            *h = hh;
            return (int)i;
        }
    }
    return -1;
}

static double lv_h(int idx)
{
    return idx < 7 ? 16 : idx < 19 ? 22 : idx < 24 ? 30 : 25;
}

/* Vertebra at z (level index, centre, height), continuing one level beyond
 * each end of the phantom's levels: the field of view cuts into a vertebra. */
static int vert_at(const dyn_ph *ph, double z, double *centre, double *h)
{
    size_t n = ph->lv.n;
    for (size_t i = 0; i < n; i++) {
        double hh = lv_h(ph->lv.index[i]);
        if (fabs(z - ph->lv.z_mm[i]) <= 0.5 * hh) {
            *centre = ph->lv.z_mm[i];
            *h = hh;
            return ph->lv.index[i];
        }
    }
    int top = ph->lv.index[0], bot = ph->lv.index[n - 1];
    int k = z > ph->lv.z_mm[0] ? top - 1 : bot + 1;
    *h = lv_h(k);
    *centre = z > ph->lv.z_mm[0] ? ph->lv.z_mm[0] + 0.5 * (lv_h(top) + *h)
                                 : ph->lv.z_mm[n - 1] - 0.5 * (lv_h(bot) + *h);
    return k;
}

/* Disc fraction (1 in a 5 mm disc, 0 in bone): the sacrum is fused, so the
 * only sacral disc is L5/S1 above S1. */
static double disc_frac(double z, int idx, double centre, double h, double vox)
{
    double up = fabs(z - (centre + 0.5 * h)), dn = fabs(z - (centre - 0.5 * h));
    double d = idx >= 24 ? (idx == 24 ? up : 1e9) : fmin(up, dn);
    return cov(d - 2.5, vox);
}

/* Distance from p to segment ab (3-D). */
static double seg_dist(const double p[3], const double a[3], const double b[3])
{
    double ab[3], ap[3], l2 = 0, t = 0;
    for (int k = 0; k < 3; k++) {
        ab[k] = b[k] - a[k];
        ap[k] = p[k] - a[k];
        l2 += ab[k] * ab[k];
        t += ab[k] * ap[k];
    }
    t = l2 > 0 ? fmin(1, fmax(0, t / l2)) : 0;
    double d = 0;
    for (int k = 0; k < 3; k++) {
        double q = ap[k] - t * ab[k];
        d += q * q;
    }
    return sqrt(d);
}

/* Pathology contrast (normalised concentration x coverage) at world p. In
 * `proj` mode the y coordinate is ignored (a frontal projection's footprint)
 * and the return value is a path length (mm) x concentration. */
static double pathology(const scene *s, const double p[3], int proj)
{
    const dyn_ph *ph = s->ph;
    if (s->age <= 0 && ph->kind != CSF_DYN_PH_DIVERTICULUM)
        return 0;
    double sgn = ph->side == CSF_DYN_LEFT ? -1 : 1, lz = ph->leak_z, yc = yc_of(s, lz);
    double cl = conc(s, lz), a = s->age, x = p[0], dy = p[1] - yc, dz = p[2] - lz;
    int li = ph->level - ph->lv.index[0];
    double sx = s->R + ph->sleeve_len[li];
    switch (ph->kind) {
    case CSF_DYN_PH_VENTRAL: {
        double hl = 5 + (6 + 9 * ph->leak_rate) * (a - 1), th = 2.5 + 1.5 * P(ph, 1);
        double w = s->RC + 2; /* the ventral epidural space reaches the lateral recesses */
        if (proj)
            return fabs(x) < w && fabs(dz) < hl ? th * ph->dilution * cl : 0;
        double in = cov(fabs(dy - (s->R + 0.3 + 0.5 * th)) - 0.5 * th, s->vox);
        return in * cov(fabs(dz) - hl, s->vox) * cov(fabs(x) - w, s->vox) * ph->dilution * cl;
    }
    case CSF_DYN_PH_LATERAL: {
        double rb = fmin(14, 3 + (1.5 + 2 * ph->leak_rate) * (a - 1)), ez = 1.3 + 0.7 * P(ph, 2);
        double c[3] = {sgn * (sx + 0.6 * rb), yc + 2, lz};
        double u = (x - c[0]) / rb, v = (p[1] - c[1]) / rb, w = (p[2] - c[2]) / (rb * ez);
        if (proj) {
            double q = 1 - u * u - w * w;
            return q > 0 ? 2 * rb * sqrt(q) * ph->dilution * cl : 0;
        }
        return cov((sqrt(u * u + v * v + w * w) - 1) * rb, s->vox) * ph->dilution * cl;
    }
    case CSF_DYN_PH_CVF: {
        double rt = 1.0 + 0.8 * P(ph, 3), dir = P(ph, 4) < 0.5 ? -1 : 1;
        double lzz = fmin(30 + 25 * P(ph, 5), 14 + 12 * ph->leak_rate * (a - 1) + 6 * (a - 1));
        double a0[3] = {sgn * (sx - 1), yc, lz}, a1[3] = {sgn * (sx + 10), yc + 8, lz};
        double a2[3] = {a1[0], a1[1], lz + dir * lzz};
        double q[3] = {x, proj ? 0 : p[1], p[2]};
        if (proj)
            a0[1] = a1[1] = a2[1] = 0;
        double d = fmin(seg_dist(q, a0, a1), seg_dist(q, a1, a2));
        double f = 0.4 + 0.3 * P(ph, 6);
        if (proj)
            return d < rt ? 2 * sqrt(rt * rt - d * d) * f * cl : 0;
        return cov(d - rt, s->vox) * f * cl;
    }
    case CSF_DYN_PH_DIVERTICULUM: {
        double rd = 4 + 2 * P(ph, 7), c[3] = {sgn * (s->R + rd + 1), yc, lz};
        double d = sqrt((x - c[0]) * (x - c[0]) + (proj ? 0 : (p[1] - c[1]) * (p[1] - c[1])) +
                        dz * dz);
        double cd = conc(s, lz);
        if (proj)
            return d < rd ? 2 * sqrt(rd * rd - d * d) * cd : 0;
        return cov(d - rd, s->vox) * cd;
    }
    case CSF_DYN_PH_FLOODED: {
        double hl = ph->nframes == 2 ? 1000 : 8 + 70 * (a - 1);
        double r = hypot(x, dy), ri = s->R + 0.3;
        if (fabs(dz) > hl)
            return 0;
        double cf = ph->nframes == 2 ? conc(s, p[2]) : cl;
        if (proj) {
            double o = s->RC * s->RC - x * x, i = ri * ri - x * x;
            return o > 0 ? 2 * (sqrt(o) - (i > 0 ? sqrt(i) : 0)) * 0.6 * cf : 0;
        }
        return cov(ri - r, s->vox) * cov(r - s->RC, s->vox) * 0.6 * cf;
    }
    default:
        return 0;
    }
}

/* Sleeve contrast (normalised, x coverage or path length) of the normal root
 * sleeves at the level containing z. */
static double sleeves(const scene *s, const double p[3], int proj)
{
    const dyn_ph *ph = s->ph;
    double centre = 0, h = 0;
    int i = level_at(ph, p[2], &centre, &h);
    if (i < 0)
        return 0;
    double sz = centre - 0.3 * h, rs = ph->sleeve_r[i], len = ph->sleeve_len[i];
    double ax = fabs(p[0]);
    if (ax < s->R - 1 || ax > s->R + len)
        return 0;
    double dz = p[2] - sz, cs = conc(s, sz);
    if (proj)
        return fabs(dz) < rs ? 2 * sqrt(rs * rs - dz * dz) * cs : 0;
    double d = hypot(p[1] - yc_of(s, sz), dz) - rs;
    return cov(d, s->vox) * cs;
}

/* Bone outside the vertebral body and arch: transverse processes (C 8, T 12,
 * L 16 mm beyond the canal), ribs on T1-T12 (head at the body, neck to the
 * transverse process, then laterally and forwards along the body wall,
 * sloping caudally) and the sacral alae. Coordinates relative to the canal
 * centre; returns the bone coverage. */
static double bone_extra(const scene *s, const double p[3], int idx, double centre, double h)
{
    double x = fabs(p[0]), y = p[1] - yc_of(s, p[2]), q[3] = {x, y, p[2]};
    if (idx >= 24)
        return cov((hypot(x / 40, (y - s->RC - 9) / 11) - 1) * 11, s->vox);
    double tp = idx < 7 ? 8 : idx < 19 ? 12 : 16, zt = centre + 0.1 * h;
    double a[3] = {s->RC + 1, 0, zt}, b[3] = {s->RC + tp, -3, zt};
    double c = cov(seg_dist(q, a, b) - 3.5, s->vox);
    if (idx >= 7 && idx <= 18) {
        double zr = centre + 0.25 * h;
        double r0[3] = {13, s->RC + 4, zr}, r1[3] = {s->RC + 14, -2, zr - 1.5};
        double r2[3] = {35, -6, zr - 3}, r3[3] = {37, 16, zr - 4};
        double d = fmin(seg_dist(q, r0, r1), fmin(seg_dist(q, r1, r2), seg_dist(q, r2, r3)));
        c = fmax(c, cov(d - 3, s->vox));
    }
    return c;
}

static double ct_value(const scene *s, const double p[3])
{
    const dyn_ph *ph = s->ph;
    double x = p[0], yc = yc_of(s, p[2]), dy = p[1] - yc, r = hypot(x, dy), v;
    double body = cov((hypot(x / 44, (p[1] - 5) / 40) - 1) * 42, s->vox);
    v = -1000 + 1040 * body;
    double centre = 0, h = 0;
    int li = level_at(ph, p[2], &centre, &h);
    int vi = vert_at(ph, p[2], &centre, &h);
    double disc = disc_frac(p[2], vi, centre, h, ph->sp[2]);
    double by = yc + s->RC + 15, e = hypot(x / 16, (p[1] - by) / 13);
    double vb = cov((e - 1) * 14, s->vox);
    double inner = cov((e - 1) * 14 + 1.5, s->vox);
    v = v * (1 - vb) + vb * (disc * 90 + (1 - disc) * (260 + 390 * (1 - inner)));
    double bx = bone_extra(s, p, vi, centre, h);
    v = v * (1 - bx) + bx * 450;
    double sz = li >= 0 ? centre - 0.3 * h : 1e9;
    int foramen = fabs(x) > fabs(dy) && fabs(p[2] - sz) < 4;
    if (dy < 0.3 * s->RC && !foramen) {
        double ring = cov(s->RC - r, s->vox) * cov(r - s->RC - 4, s->vox);
        v = v * (1 - ring) + 500 * ring;
    }
    double canal = cov(r - s->RC, s->vox);
    v = v * (1 - canal) - 80 * canal;
    double sac = cov(r - s->R, s->vox), sl = sleeves(s, p, 0);
    v = v * (1 - sac) + sac * (5 + s->C0 * conc(s, p[2]));
    v += s->C0 * sl;
    v += s->C0 * pathology(s, p, 0);
    return v;
}

/* DSM: raw detected intensity behind body, bone and iodine. */
static double dsm_value(const scene *s, const double p[3])
{
    const dyn_ph *ph = s->ph;
    double x = p[0], ax = fabs(x), centre = 0, h = 0;
    int vi = vert_at(ph, p[2], &centre, &h);
    double disc = disc_frac(p[2], vi, centre, h, ph->sp[2]);
    double mu = 2.0 + (0.15 * disc + 0.6 * (1 - disc)) * cov(ax - 16, 1.0);
    double ped = hypot((ax - s->RC - 2) / 4, (p[2] - centre - 0.2 * h) / 6);
    mu += 0.4 * cov((ped - 1) * 4, 1.0);
    /* projected ribs (sloping caudally; their medial part overlies the
     * transverse processes and pedicles, so only the part beyond 30 mm is
     * drawn) and sacral alae */
    if (vi >= 24)
        mu += 0.5 * cov(ax - 40, 1.0);
    if (vi >= 7 && vi <= 18 && ax > 30 && ax < 40)
        mu += 0.15 * cov(fabs(p[2] - (centre + 0.25 * h - 4 * (ax - 13) / 27)) - 3, 1.0);
    double chord = fabs(x) < s->R ? 2 * sqrt(s->R * s->R - x * x) : 0;
    double iod = chord * conc(s, p[2]) + sleeves(s, p, 1) + pathology(s, p, 1);
    double rho = 1.0 / (2 * s->R); /* undiluted contrast: 1 log unit through the sac */
    (void)ph;
    return 20000 * exp(-(mu + rho * iod));
}

static void scene_init(scene *s, const dyn_ph *ph, size_t t)
{
    memset(s, 0, sizeof *s);
    s->ph = ph;
    s->R = 5.5 + 2 * P(ph, 10);
    s->RC = s->R + 3 + P(ph, 11);
    s->C0 = 700 + 500 * P(ph, 12);
    s->Lmix = 400 + 400 * P(ph, 13);
    s->t = (double)t;
    s->age = t >= ph->first_frame && ph->kind != CSF_DYN_PH_NONE
                 ? (double)(t - ph->first_frame) + 1 : 0;
    s->vox = ph->sp[0];
}

void csf_dyn_ph_render_ric(const dyn_ph *ph, size_t t, csf_volume *v);

void csf_dyn_ph_render(const dyn_ph *ph, size_t t, csf_volume *v)
{
    if (ph->o.modality == CSF_DYN_RIC) {
        csf_dyn_ph_render_ric(ph, t, v);
        return;
    }
    scene s;
    scene_init(&s, ph, t);
    const size_t nx = v->dim[0], ny = v->dim[1], nz = v->dim[2];
    const double *sh = ph->shift[t < 64 ? t : 63];
    int ct = ph->o.modality == CSF_DYN_CTM;
    uint64_t base = NOISE_CTR + (uint64_t)t * (uint64_t)(nx * ny * nz);
    for (size_t k = 0; k < nz; k++)
        for (size_t j = 0; j < ny; j++)
            for (size_t i = 0; i < nx; i++) {
                double ijk[3] = {(double)i - sh[0], (double)j - sh[1], (double)k - sh[2]};
                double p[3];
                for (int r = 0; r < 3; r++)
                    p[r] = v->affine[r][0] * ijk[0] + v->affine[r][1] * ijk[1] +
                           v->affine[r][2] * ijk[2] + v->affine[r][3];
                size_t idx = i + nx * (j + ny * k);
                double n = csf_dyn_rng_normal(ph->o.seed, base + idx);
                double val = ct ? ct_value(&s, p) + ph->noise * n : dsm_value(&s, p) * (1 + ph->noise * n);
                v->data[idx] = (float)val;
            }
}
