/* RIC phantom frames: posterior planar counts of In-111 DTPA, head to
 * bladder, with tracer ascent, clearance, decay, paraspinal leak activity and
 * the indirect signs set up in phantom.c; Poisson noise (normal approximation). */
#include <math.h>

#include "dyn_internal.h"

int csf_dyn_ph_ric_leak(const dyn_ph *ph, int i, int *level, int *side, int *hot, int *lng);
void csf_dyn_ph_render_ric(const dyn_ph *ph, size_t t, csf_volume *v);

static double P(const dyn_ph *ph, int k)
{
    return csf_dyn_rng_unif(ph->o.seed, 7000 + (uint64_t)k);
}

static double ramp(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

typedef struct ric_scene {
    double th, w, sig, zfm, zbot, hc, decay, clear, head_b, conv;
} ric_scene;

static void ric_init(const dyn_ph *ph, size_t t, ric_scene *s)
{
    s->th = ph->ric_times[t];
    s->w = 14 + 4 * P(ph, 1);
    s->sig = s->w / 2.355;
    s->zfm = ph->lv.z_mm[0] + 8;
    s->zbot = ph->lv.z_mm[25];
    s->hc = s->zfm + 70;
    s->decay = exp(-log(2.0) * s->th / 67.3);
    double tc = ph->ric_fast ? 4 + 3 * P(ph, 2) : 30 + 20 * P(ph, 2);
    s->clear = exp(-log(2.0) * s->th / tc);
    s->head_b = s->th < 1 ? 0.05 : s->th < 3 ? 0.6 : s->th < 12 ? 1.0 : 0.5;
    s->conv = s->th >= 20 ? (ph->ric_convex_absent ? 0.02 : 0.8) : s->th >= 5 ? 0.2 : 0;
    /* tracer that does not reach the convexities stays in the basal cisterns:
     * the same intracranial activity (ring area x 0.4 = blob area x 1.1) */
    if (s->th >= 20 && ph->ric_convex_absent)
        s->head_b = 1.6;
}

static double canal_amp(const ric_scene *s, double z)
{
    double f = (z - s->zbot) / (s->zfm - s->zbot);
    if (f < -0.02 || f > 1.0)
        return 0;
    double front = fmin(1.3, 0.25 + 0.45 * s->th);
    double a = ramp((front - f) / 0.15 + 0.5) * (0.5 + 0.5 * (1 - f) * exp(-s->th / 4));
    return s->th >= 20 ? 0.25 * a : a;
}

static double leaks(const dyn_ph *ph, const ric_scene *s, size_t t, double x, double z)
{
    if (t < ph->first_frame)
        return 0;
    double sum = 0;
    for (int i = 0; i < 2; i++) {
        int lv, sd, hot, lng;
        if (!csf_dyn_ph_ric_leak(ph, i, &lv, &sd, &hot, &lng))
            break;
        double lz = ph->lv.z_mm[lv] - 0.3 * (lv < 7 ? 16 : lv < 19 ? 22 : 30);
        double len = lng ? (1.6 + 1.4 * P(ph, 10 + i)) * s->w : (0.4 + 0.4 * P(ph, 10 + i)) * s->w;
        double hz = lng ? 5 : fmin(0.5 * len, 4);
        double x0 = 0.5 * s->w + 6, ax = sd == CSF_DYN_LEFT ? -x : x;
        double amp = hot ? 0.7 + 0.3 * P(ph, 12 + i) : 0.15 + 0.15 * P(ph, 12 + i);
        if (ax >= x0 && ax <= x0 + len && fabs(z - lz) <= hz)
            sum += amp * canal_amp(s, lz);
    }
    return sum;
}

static double ric_value(const dyn_ph *ph, const ric_scene *s, size_t t, double x, double z)
{
    double a = canal_amp(s, z) * exp(-0.5 * x * x / (s->sig * s->sig));
    double dh = hypot(x / 75, (z - s->hc) / 80);
    a += s->head_b * 0.6 * exp(-0.5 * (x * x + (z - s->zfm - 25) * (z - s->zfm - 25)) / 400);
    if (dh > 0.75 && dh < 1 && z > s->hc)
        a += s->conv * 0.5;
    double bz = s->zbot - 90, db = hypot(x, z - bz);
    double bl = ph->ric_bladder ? (s->th > 1.5 ? 0.5 : 0) : (s->th > 5 ? 0.3 : 0);
    if (db < 30)
        a += bl;
    a += leaks(ph, s, t, x, z);
    return 400 * a * s->decay * s->clear + 3;
}

void csf_dyn_ph_render_ric(const dyn_ph *ph, size_t t, csf_volume *v)
{
    ric_scene s;
    ric_init(ph, t, &s);
    const size_t nx = v->dim[0], nz = v->dim[2];
    uint64_t base = (1ull << 32) + (uint64_t)t * (uint64_t)(nx * nz);
    for (size_t k = 0; k < nz; k++)
        for (size_t i = 0; i < nx; i++) {
            double x = v->affine[0][0] * (double)i + v->affine[0][3];
            double z = v->affine[2][2] * (double)k + v->affine[2][3];
            double lam = ric_value(ph, &s, t, x, z);
            double c = lam + sqrt(lam) * csf_dyn_rng_normal(ph->o.seed, base + i + nx * k);
            v->data[i + nx * k] = (float)(c > 0 ? round(c) : 0);
        }
}
