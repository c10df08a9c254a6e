/* Synthetic spines for the spine/detect tests (see detect_synth.h). */
#include "detect_synth.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const NAMES[SYNTH_NLEVELS] = {"S1", "L5", "L4", "L3", "L2",
                                                 "L1", "T12", "T11", "T10", "T9"};

double synth_level_z(int i) { return 22.0 + 28.0 * i; }
const char *synth_level_name(int i) { return i >= 0 && i < SYNTH_NLEVELS ? NAMES[i] : NULL; }

void synth_spec_init(synth_spec *s)
{
    memset(s, 0, sizeof *s);
    s->spacing[0] = s->spacing[1] = s->spacing[2] = 1.0;
    s->snr = 25;
    s->scale = 1000;
    s->leak_level = s->cyst_level = s->divert_level = s->strip_level = -1;
    s->divert_radius = 3.0;
    s->cyst_radius = 5;
    s->seed = 1;
}

static double cy_at(double z) { return 6.0 * sin(M_PI * z / 320.0); }

static double sac_a(double z)
{
    double t = (z - SYNTH_SAC_END) / 15.0;
    return t <= 0 ? 0 : SYNTH_SAC_A * (t >= 1 ? 1 : sqrt(t));
}

/* distance from p to segment ab, and the parameter along it */
static double seg_dist(const double p[3], const double a[3], const double b[3], double *t)
{
    double ab[3], ap[3], l2 = 0, d = 0;
    for (int q = 0; q < 3; q++) {
        ab[q] = b[q] - a[q];
        ap[q] = p[q] - a[q];
        l2 += ab[q] * ab[q];
        d += ab[q] * ap[q];
    }
    double u = l2 > 0 ? d / l2 : 0;
    u = u < 0 ? 0 : (u > 1 ? 1 : u);
    double s = 0;
    for (int q = 0; q < 3; q++) {
        double e = a[q] + u * ab[q] - p[q];
        s += e * e;
    }
    *t = u;
    return sqrt(s);
}

static int in_capsule(const double p[3], const double a[3], const double b[3], double r0, double r1)
{
    double t, d = seg_dist(p, a, b, &t);
    return d <= r0 + (r1 - r0) * t;
}

/* Sleeve of level i, side (0 left, 1 right): origin at the wall, tip. */
/* exit of level i: 28 mm apart, or upper_pitch_mm apart above L1 (index 5) */
static double level_z(const synth_spec *s, int i)
{
    return s->upper_pitch_mm > 0 && i > 5 ? synth_level_z(5) + s->upper_pitch_mm * (i - 5) : synth_level_z(i);
}

static void sleeve(const synth_spec *s, int i, int side, double len, double ang_deg, double o[3], double tip[3])
{
    double z = level_z(s, i), sgn = side ? 1 : -1, a = ang_deg * M_PI / 180.0;
    o[0] = sgn * (SYNTH_SAC_A - 1.0);
    o[1] = cy_at(z);
    o[2] = z;
    tip[0] = o[0] + sgn * len * cos(a);
    tip[1] = o[1];
    tip[2] = o[2] - len * sin(a);
}

static double pathology(const synth_spec *s, const double p[3])
{
    double o[3], tip[3];
    if (s->partner_wedge && s->leak_level >= 0) {
        sleeve(s, s->leak_level, !s->leak_side, 9.0, 30.0, o, tip);
        double pr = s->partner_root_mm > 0 ? s->partner_root_mm : 4.5;
        if (in_capsule(p, o, tip, pr, pr < 2.2 ? pr : 2.2))
            return 1.0;
    }
    for (int both = 0; both <= s->leak_both; both++) {
        if (s->leak_level < 0 || fabs(p[2] - level_z(s, s->leak_level)) >= 40)
            break;
        int side = both ? !s->leak_side : s->leak_side;
        sleeve(s, s->leak_level, side, 9.0, 30.0, o, tip);
        double sgn = side ? 1 : -1;
        double r0 = s->wedge_root_mm > 0 ? s->wedge_root_mm : 4.5, r1 = s->wedge_tip_mm > 0 ? s->wedge_tip_mm : 2.2;
        if ((s->leak_grade == 1 || s->leak_wedge) && in_capsule(p, o, tip, r0, r1))
            return 1.0;
        if (s->leak_pool) {
            double c[3] = {sgn * (SYNTH_SAC_A + 13.0), cy_at(o[2]), o[2] - 6.0}, r[3] = {15, 5, 8}, d = 0;
            for (int q = 0; q < 3; q++)
                d += (p[q] - c[q]) * (p[q] - c[q]) / (r[q] * r[q]);
            if (d <= 1)
                return 0.95;
        }
        if (s->leak_grade >= 2) {
            /* streaky irregular fluid from the sleeve tip, laterally */
            /* reach from the sac wall: grade 2 below the sac width but clearly beyond the
             * normal sleeves (~9 mm), grade 3 well beyond the width */
            double reach = s->leak_reach_mm > 0 ? s->leak_reach_mm : (s->leak_grade == 2 ? 0.85 : 1.8) * 2 * SYNTH_SAC_A;
            double len = reach - (fabs(tip[0]) - SYNTH_SAC_A);
            double r = s->leak_streak_r > 0 ? s->leak_streak_r : (s->leak_grade == 2 ? 1.5 : 2.2);
            double a[3] = {tip[0], tip[1], tip[2]};
            for (int k = 0; k < 3; k++) {
                double b[3] = {a[0] + sgn * len / 3, a[1] + (k == 1 ? 2.0 : -1.0),
                               a[2] + (k == 1 ? 2.5 : -2.0)};
                if (in_capsule(p, a, b, r, r) ||
                    (k == 0 && s->leak_blob_r > 0 && in_capsule(p, b, b, s->leak_blob_r, s->leak_blob_r)))
                    return 0.95;
                memcpy(a, b, sizeof a);
            }
        }
    }
    if (s->cyst_level >= 0 && fabs(p[2] - level_z(s, s->cyst_level)) < 40) {
        sleeve(s, s->cyst_level, s->cyst_side, 9.0, 30.0, o, tip);
        double sgn = s->cyst_side ? 1 : -1, c[3] = {tip[0] + sgn * (s->cyst_radius - 1.0), tip[1],
                                                    tip[2] - 1.0};
        if (s->cyst_gap_mm > 0) {
            c[0] = sgn * (SYNTH_SAC_A + s->cyst_gap_mm + s->cyst_radius);
            c[2] = o[2] - (s->cyst_drop_mm > 0 ? s->cyst_drop_mm : 2.0);
        }
        double d2 = 0;
        for (int q = 0; q < 3; q++)
            d2 += s->cyst_flat_mm > 0 && q == 1 ? 0.0 : (p[q] - c[q]) * (p[q] - c[q]);
        if (d2 <= s->cyst_radius * s->cyst_radius && !(s->cyst_flat_mm > 0 && fabs(p[1] - c[1]) > 0.5 * s->cyst_flat_mm))
            return 1.0;
        if (s->cyst_streak_mm > 0) {
            double a[3] = {c[0] + sgn * (s->cyst_radius - 0.5), c[1], c[2]};
            double b[3] = {a[0] + sgn * s->cyst_streak_mm, c[1], c[2] - 3.0};
            if (in_capsule(p, a, b, 2.0, 2.0))
                return 0.45; /* a thin streak: partial volume in every voxel */
        }
    }
    if (s->divert_level >= 0 && fabs(p[2] - level_z(s, s->divert_level)) < 20) {
        sleeve(s, s->divert_level, s->divert_side, 9.0, 30.0, o, tip);
        double sgn = s->divert_side ? 1 : -1, r = s->divert_radius;
        double c[3] = {sgn * (SYNTH_SAC_A + (s->divert_on_wall ? 1.5 : r - 1.0)), o[1], o[2]}, d2 = 0;
        for (int q = 0; q < 3; q++)
            d2 += (p[q] - c[q]) * (p[q] - c[q]);
        if (d2 <= r * r)
            return 1.0;
    }
    if (s->strip_level >= 0) {
        double z0 = level_z(s, s->strip_level), sgn = s->strip_side ? 1 : -1;
        double x = sgn * p[0], yr = p[1] - cy_at(p[2]);
        if (x > SYNTH_SAC_A - 0.5 && x < SYNTH_SAC_A + 1.4 && fabs(yr) < 4.0 && p[2] > z0 - 9.0 && p[2] < z0 + 5.0)
            return 1.0;
    }
    if (s->slec) {
        double ztop = level_z(s, s->slec_from), zbot = level_z(s, s->slec_big ? 0 : s->slec_from - 3);
        double yr = p[1] - cy_at(p[2]), a = SYNTH_SAC_A, b = SYNTH_SAC_B, gap = 1.8;
        double th = s->slec_big ? 12.0 : 3.0, half = s->slec_big ? 8.5 : 6.0;
        if (s->slec_side_mm > 0) /* a crescent against the dura, round the sac's sides */
            gap = s->slec_gap_mm > 0 ? s->slec_gap_mm : 0.3, th = s->slec_side_mm, half = a + gap + th + 1.0;
        double in = (p[0] * p[0]) / ((a + gap + th) * (a + gap + th)) +
                    (yr * yr) / ((b + gap + th) * (b + gap + th));
        double out = (p[0] * p[0]) / ((a + gap) * (a + gap)) + (yr * yr) / ((b + gap) * (b + gap));
        if (p[2] <= ztop && p[2] >= zbot && yr > 0 && fabs(p[0]) < half && in <= 1 && out > 1)
            return 1.0;
        if (s->slec_wrap && p[2] <= ztop && p[2] >= zbot) {
            double t = 2.0, shell = (p[0] * p[0]) / ((a + gap + t) * (a + gap + t)) +
                                    (yr * yr) / ((b + gap + t) * (b + gap + t));
            if (yr > 0 && shell <= 1 && out > 1)
                return 1.0;
            if (yr <= 0 && yr > -(b - 0.5) && fabs(p[0]) >= a + gap && fabs(p[0]) <= a + gap + 14.0)
                return 1.0;
        }
        if (s->slec_arm) { /* streaky fluid from the collection's right edge, out and down */
            double zm = 0.5 * (ztop + zbot), a0[3] = {5.0, cy_at(zm) + 8.0, zm};
            double a1[3] = {22.0, cy_at(zm) + 6.0, zm - 4.0}, a2[3] = {40.0, cy_at(zm) + 9.0, zm - 6.0};
            if (in_capsule(p, a0, a1, 2.2, 2.2) || in_capsule(p, a1, a2, 2.2, 2.2))
                return 0.95;
        }
    }
    return 0;
}

/* The widening of the sac's transverse semi-axis at z on the side of x
 * (bulge_mm): a cosine bump over bulge_height_mm round the level's exit. */
static double bulge_at(const synth_spec *s, double z, double x)
{
    if (!(s->bulge_mm > 0) || (s->bulge_side == 1 && x > 0) || (s->bulge_side == 2 && x < 0))
        return 0;
    double h = s->bulge_height_mm > 0 ? s->bulge_height_mm : 24.0, d = fabs(z - level_z(s, s->bulge_level));
    double u = (d - (0.5 * h - 3.0)) / 3.0; /* flat top, 3 mm cosine flanks */
    return u >= 1 ? 0 : (u <= 0 ? s->bulge_mm : s->bulge_mm * 0.5 * (1 + cos(M_PI * u)));
}

static double signal_at(const synth_spec *s, const double p[3])
{
    double z = p[2], a0 = sac_a(z), a = a0 > 0 ? a0 + bulge_at(s, z, p[0]) : 0, b = a0 * SYNTH_SAC_B / SYNTH_SAC_A;
    double yr = p[1] - cy_at(z);
    if (a > 0 && (p[0] * p[0]) / (a * a) + (yr * yr) / (b * b) <= 1) {
        double ca = z > SYNTH_CONUS + 20 ? 3.5 : (z > SYNTH_CONUS ? 3.5 * (z - SYNTH_CONUS) / 20 : 0);
        if (ca > 0 && (p[0] * p[0]) / (ca * ca) + (yr * yr) / (0.85 * ca * 0.85 * ca) <= 1)
            return 0.1;
        return 1.0;
    }
    double v = pathology(s, p);
    if (v > 0)
        return v;
    int li = (int)floor((z - 22.0) / 28.0 + 0.5);
    for (int i = s->upper_pitch_mm > 0 ? 0 : li - 1; i <= (s->upper_pitch_mm > 0 ? SYNTH_NLEVELS - 1 : li + 1); i++) {
        if (i < 0 || i >= SYNTH_NLEVELS)
            continue;
        for (int side = 0; side < 2; side++) {
            double o[3], tip[3];
            sleeve(s, i, side, i == 0 && s->s1_sleeve_mm > 0 ? s->s1_sleeve_mm : 9.0, 30.0, o, tip);
            if (i == 0 && side == 0) {
                o[2] -= s->s1_left_drop_mm;
                tip[2] -= s->s1_left_drop_mm;
            }
            double r0 = s->thin_r > 0 && i >= s->thin_from ? s->thin_r : 2.0;
            if (in_capsule(p, o, tip, r0, 0.6 * r0))
                return 1.0;
            if (i == 0 && side == 0 && s->s1_left_tail_mm > 0) {
                double t2[3] = {tip[0], tip[1], tip[2] - s->s1_left_tail_mm};
                if (in_capsule(p, tip, t2, 1.2, 1.2))
                    return 1.0;
            }
        }
    }
    if (s->pelvic) {
        double c[3] = {0, cy_at(z) + 18.0, 45}, r[3] = {24, 5, 35}, d = 0;
        for (int q = 0; q < 3; q++)
            d += (p[q] - c[q]) * (p[q] - c[q]) / (r[q] * r[q]);
        if (d <= 1)
            return 0.9;
    }
    if (s->kidney)
        for (int side = 0; side < 2; side++) {
            double c[3] = {side ? 40 : -40, 8, 150}, r[3] = {9, 10, 40}, d = 0;
            for (int q = 0; q < 3; q++)
                d += (p[q] - c[q]) * (p[q] - c[q]) / (r[q] * r[q]);
            if (d <= 1)
                return 0.9;
        }
    return 0.04;
}

static uint64_t mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double gauss(uint64_t key)
{
    double u1 = ((double)(mix(key) >> 11) + 0.5) / 9007199254740992.0;
    double u2 = ((double)(mix(key ^ 0xabcdefull) >> 11) + 0.5) / 9007199254740992.0;
    return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

csf_volume *synth_render(const synth_spec *s)
{
    double hx = s->fov_x_mm > 0 ? s->fov_x_mm : 52;
    double lo[3] = {-hx, -28, s->no_end ? 25 : -20}, hi[3] = {hx, 28, s->z_top_mm > 0 ? s->z_top_mm : 215};
    size_t dim[4] = {0, 0, 0, 1};
    for (int a = 0; a < 3; a++)
        dim[a] = (size_t)floor((hi[a] - lo[a]) / s->spacing[a]) + 1;
    csf_volume *v = NULL;
    if (csf_volume_new(dim, s->spacing, &v, NULL) != CSF_OK)
        return NULL;
    for (int a = 0; a < 3; a++)
        v->affine[a][3] = lo[a];
    for (size_t k = 0; k < dim[2]; k++)
        for (size_t j = 0; j < dim[1]; j++)
            for (size_t i = 0; i < dim[0]; i++) {
                double acc = 0, c[3] = {lo[0] + i * s->spacing[0], lo[1] + j * s->spacing[1],
                                        lo[2] + k * s->spacing[2]};
                for (int q = 0; q < 4; q++) { /* 4 samples (a tetrahedron): partial volume */
                    static const double off[4][3] = {{0.25, 0.25, 0.25}, {0.25, -0.25, -0.25},
                                                     {-0.25, 0.25, -0.25}, {-0.25, -0.25, 0.25}};
                    double p[3];
                    for (int a = 0; a < 3; a++)
                        p[a] = c[a] + s->spacing[a] * off[q][a];
                    acc += signal_at(s, p);
                }
                double sig = s->scale * acc / 4;
                if (s->bias)
                    sig *= (0.7 + 0.6 * (c[2] + 20) / 320.0) * (1.0 + 0.15 * c[0] / 75.0);
                if (s->falloff) { /* smooth (cubic) coil profile at the bottom of the FOV */
                    double e = fmin(1.0, fmax(0.0, (c[2] - lo[2]) / 70.0));
                    sig *= 0.2 + 0.8 * e * e * (3 - 2 * e);
                }
                size_t idx = i + dim[0] * (j + dim[1] * k);
                if (s->snr > 0) {
                    double sd = s->scale / s->snr;
                    double n1 = sd * gauss(s->seed * 1000003ull + 2 * idx);
                    double n2 = sd * gauss(s->seed * 1000003ull + 2 * idx + 1);
                    sig = sqrt((sig + n1) * (sig + n1) + n2 * n2);
                }
                v->data[idx] = (float)sig;
            }
    return v;
}

/* Projection along y onto one coronal slab the thickness of the volume:
 * maximum (from 0) or mean of each ray. */
static csf_volume *project_y(const csf_volume *v, int mean)
{
    size_t dim[4] = {v->dim[0], 1, v->dim[2], 1};
    double sp[3] = {v->spacing[0], v->spacing[1] * (double)v->dim[1], v->spacing[2]};
    csf_volume *o = NULL;
    if (csf_volume_new(dim, sp, &o, NULL) != CSF_OK)
        return NULL;
    memcpy(o->affine, v->affine, sizeof o->affine);
    o->affine[1][1] = sp[1];
    for (size_t k = 0; k < v->dim[2]; k++)
        for (size_t i = 0; i < v->dim[0]; i++) {
            float m = 0;
            double s = 0;
            for (size_t j = 0; j < v->dim[1]; j++) {
                float x = v->data[i + v->dim[0] * (j + v->dim[1] * k)];
                m = x > m ? x : m;
                s += x;
            }
            o->data[i + dim[0] * k] = mean ? (float)(s / (double)v->dim[1]) : m;
        }
    return o;
}

csf_volume *synth_project_coronal(const csf_volume *v) { return project_y(v, 0); }

csf_volume *synth_project_slab(const csf_volume *v) { return project_y(v, 1); }

csf_volume *synth_render_slab(const synth_spec *s)
{
    csf_volume *v3 = synth_render(s);
    csf_volume *v2 = v3 ? synth_project_slab(v3) : NULL;
    csf_volume_free(v3);
    return v2;
}

void synth_spec_init_slab(synth_spec *s, unsigned long long seed)
{
    synth_spec_init(s);
    s->seed = seed;
    s->spacing[1] = 2.0;
    s->spacing[2] = 1.5;
}

void synth_spec_t11_body(synth_spec *s, unsigned long long seed)
{
    synth_spec_init_slab(s, seed);
    s->cyst_level = 6;
    s->cyst_side = 1;
    s->cyst_radius = 9.0;
    s->cyst_gap_mm = 4.0;
}
