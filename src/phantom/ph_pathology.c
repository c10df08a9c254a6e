/* Pathology as primitives: SLEC (before the sleeves), then leaks graded by the
 * MR myelography scale, perineural cysts and meningeal diverticula. Each finding
 * draws from its own RNG stream, so adding one never changes another. */
#include <string.h>

#include "phantom/ph_internal.h"

#define SIG_LEAK 0.95f

static ph_finding *new_finding(csf_phantom *ph, int kind, int level, int side)
{
    ph_finding *f = &ph->findings[ph->nfindings++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->level = level;
    f->level_to = level;
    f->side = side;
    f->first_prim = (int)ph->nprims;
    return f;
}

static csf_status push_caps(csf_phantom *ph, const double a[3], const double b[3], double r0,
                            double r1, float sig, int label, csf_error *err)
{
    ph_prim p;
    ph_capsule(&p, a, b, r0, r1, sig, label);
    return ph_push(ph, &p, err);
}

/* Grade 1: the CSF space around the sleeve expands into a triangle (a wide cone). */
static csf_status leak_wedge(csf_phantom *ph, int lvl, int side, ph_rng *r, int label, double *lat_mm,
                             csf_error *err)
{
    const ph_level *L = &ph->lv[lvl];
    double o[3], e[3];
    ph_sleeve_origin(ph, lvl, side, o);
    double len = L->sleeve_len * ph_range(r, 0.9, 1.15);
    for (int k = 0; k < 3; k++)
        e[k] = o[k] + L->sleeve_dir[side][k] * len;
    double r0 = ph_range(r, 3.5, 5.0);
    *lat_mm = fabs(e[0] - o[0]) + 1.0;
    return push_caps(ph, o, e, r0, 1.0, SIG_LEAK, label, err);
}

/* Streaky fluid running laterally from the sleeve to `ext` mm beyond the sac wall. */
static csf_status leak_streaks(csf_phantom *ph, int lvl, int side, ph_rng *r, int label, double ext,
                               csf_error *err)
{
    const ph_level *L = &ph->lv[lvl];
    ph_zrow tmp;
    const ph_zrow *w = ph_row(ph, L->z_exit, &tmp);
    double lat = side == CSF_PH_RIGHT ? 1 : -1, wall = w->xc + lat * w->sa;
    int n = 3 + (int)(ph_uniform(r) * 3);
    csf_status st = CSF_OK;
    for (int s = 0; s < n && st == CSF_OK; s++) {
        double o[3], a[3];
        ph_sleeve_origin(ph, lvl, side, o);
        double t = ph_range(r, 0.5, 1.0) * L->sleeve_len;
        for (int k = 0; k < 3; k++)
            a[k] = o[k] + L->sleeve_dir[side][k] * t;
        double rad = ph_range(r, 0.7, 1.3);
        double reach = (s == 0 ? 1.0 : ph_range(r, 0.7, 1.0)) * ext - rad;
        double dz = ph_range(r, -0.6, 0.3), dy = ph_range(r, -0.3, 0.3);
        double x0 = a[0];
        for (int seg = 1; seg <= 3 && st == CSF_OK; seg++) {
            double b[3];
            double xt = wall + lat * reach;
            b[0] = x0 + (xt - x0) * seg / 3.0;
            double step = fabs(b[0] - a[0]);
            b[1] = a[1] + dy * step + ph_range(r, -1.0, 1.0);
            b[2] = a[2] + dz * step + ph_range(r, -1.5, 1.5);
            st = push_caps(ph, a, b, rad, rad * 0.85, SIG_LEAK, label, err);
            rad *= 0.85;
            memcpy(a, b, sizeof a);
        }
    }
    return st;
}

/* Grade 3: profuse paraspinal fluid around the sleeves, beyond the sac width. */
static csf_status leak_profuse(csf_phantom *ph, int lvl, int side, ph_rng *r, int label, double ext,
                               csf_error *err)
{
    const ph_level *L = &ph->lv[lvl];
    ph_zrow tmp;
    const ph_zrow *w = ph_row(ph, L->z_exit, &tmp);
    double lat = side == CSF_PH_RIGHT ? 1 : -1, wall = w->xc + lat * w->sa;
    double hz = 0.5 * (L->z_top - L->z_bot);
    int n = 6 + (int)(ph_uniform(r) * 5);
    csf_status st = CSF_OK;
    /* overlapping blobs from the sleeve outwards: one confluent collection that
     * spreads up and down around the neighbouring sleeves; the last reaches `ext` */
    for (int b = 0; b < n && st == CSF_OK; b++) {
        double rl = ph_range(r, 4, 7), ry = ph_range(r, 4, 8), rz = ph_range(r, 5, 11);
        double e = 3.0 + (ext - rl - 3.0) * b / (n - 1.0);
        double c[3] = {wall + lat * e, w->yc + ph_range(r, -5, 5), L->z_exit + ph_range(r, -hz, 0.5 * hz)};
        double rr[3] = {rl, ry, rz};
        ph_prim p;
        ph_ellipsoid(&p, c, rr, SIG_LEAK, label);
        st = ph_push(ph, &p, err);
    }
    return st;
}

static csf_status add_leak(csf_phantom *ph, const csf_phantom_leak *lk, csf_error *err)
{
    ph_rng r = ph_rng_make(ph->spec.seed, 1000 + (uint64_t)lk->level * 2 + (uint64_t)lk->side);
    int label = CSF_PH_LABEL_FINDING + ph->nfindings;
    ph_finding *f = new_finding(ph, 0, lk->level, lk->side);
    f->grade = lk->grade;
    ph_zrow tmp;
    double width = 2.0 * ph_row(ph, ph->lv[lk->level].z_exit, &tmp)->sa;
    double wedge_lat;
    csf_status st = leak_wedge(ph, lk->level, lk->side, &r, label, &wedge_lat, err);
    if (st == CSF_OK && lk->grade == 2) {
        /* lateral extent from the sac wall: clearly less than the sac width */
        double lo = fmax(0.45 * width, wedge_lat + 3.0), hi = 0.75 * width;
        st = leak_streaks(ph, lk->level, lk->side, &r, label, lo < hi ? ph_range(&r, lo, hi) : hi, err);
    }
    if (st == CSF_OK && lk->grade == 3) {
        double ext = ph_range(&r, 1.35, 2.1) * width; /* clearly more than the sac width */
        st = leak_streaks(ph, lk->level, lk->side, &r, label, ext * ph_range(&r, 0.8, 1.0), err);
        if (st == CSF_OK)
            st = leak_profuse(ph, lk->level, lk->side, &r, label, ext, err);
    }
    f->nprims = (int)ph->nprims - f->first_prim;
    return st;
}

/* Perineural cyst: a round dilatation on a narrow neck from the root sleeve. */
static csf_status add_cyst(csf_phantom *ph, const csf_phantom_cyst *cy, int divert, csf_error *err)
{
    ph_rng r = ph_rng_make(ph->spec.seed, (divert ? 3000 : 2000) + (uint64_t)cy->level * 2 +
                                              (uint64_t)cy->side);
    int label = CSF_PH_LABEL_FINDING + ph->nfindings;
    ph_finding *f = new_finding(ph, divert ? 3 : 1, cy->level, cy->side);
    double size = cy->size_mm > 0 ? cy->size_mm : divert ? ph_range(&r, 4, 9) : ph_range(&r, 5, 20);
    f->size_mm = size;
    double R = 0.5 * size, o[3], d[3];
    const ph_level *L = &ph->lv[cy->level];
    double lat = cy->side == CSF_PH_RIGHT ? 1 : -1;
    if (L->has_sleeve) {
        ph_sleeve_origin(ph, cy->level, cy->side, o);
        memcpy(d, L->sleeve_dir[cy->side], sizeof d);
    } else { /* S2/S3: roots leave the sac end and run down the sacral canal */
        ph_zrow tmp;
        const ph_zrow *w = ph_row(ph, ph->z_end + 4, &tmp);
        o[0] = w->xc + lat * 2.0, o[1] = w->yc, o[2] = ph->z_end + 4;
        double zt = 0.5 * (L->z_top + L->z_bot);
        double dz = fmin(zt - o[2], -4.0);
        double n = sqrt(dz * dz + 36.0);
        d[0] = lat * 6.0 / n, d[1] = 0, d[2] = dz / n;
    }
    csf_status st = CSF_OK;
    double c[3], rr[3];
    if (divert) { /* wide-necked outpouching straddling the wall */
        for (int k = 0; k < 3; k++)
            c[k] = o[k] + d[k] * (0.8 * R + 1.0);
        rr[0] = R, rr[1] = R * ph_range(&r, 0.8, 1.0), rr[2] = R * ph_range(&r, 1.0, 1.3);
    } else {
        double along = L->has_sleeve ? L->sleeve_len * ph_range(&r, 0.6, 1.0) : 0;
        double neck = ph_range(&r, 2.0, 4.0), a[3], b[3];
        if (!L->has_sleeve) {
            double zt = 0.5 * (L->z_top + L->z_bot);
            neck = fmax(2.0, (o[2] - zt) / fmax(0.3, -d[2]) - R);
        }
        /* a cyst lies outside the dura: push it clear of the sac wall (or end) */
        double clear = L->has_sleeve ? (R + 2.0) / fmax(fabs(d[0]), 0.2)
                                     : (o[2] - (ph->z_end - R - 1.5)) / fmax(fabs(d[2]), 0.3);
        if (along + neck + 0.9 * R < clear)
            neck = clear - along - 0.9 * R;
        for (int k = 0; k < 3; k++) {
            a[k] = o[k] + d[k] * along;
            b[k] = a[k] + d[k] * neck;
            c[k] = b[k] + d[k] * 0.9 * R;
        }
        /* the narrow neck is root sleeve: labelled so, and not part of the finding */
        st = push_caps(ph, o, b, 1.1, 1.0, 1.0f, CSF_PH_LABEL_SLEEVE, err);
        f->first_prim = (int)ph->nprims;
        rr[0] = R * ph_range(&r, 0.92, 1.08), rr[1] = R * ph_range(&r, 0.92, 1.08);
        rr[2] = R * ph_range(&r, 0.92, 1.08);
    }
    if (st == CSF_OK) {
        ph_prim p;
        ph_ellipsoid(&p, c, rr, 1.0f, label);
        st = ph_push(ph, &p, err);
    }
    f->nprims = (int)ph->nprims - f->first_prim;
    return st;
}

static csf_status add_slec(csf_phantom *ph, csf_error *err)
{
    ph_rng r = ph_rng_make(ph->spec.seed, 4000);
    int label = CSF_PH_LABEL_FINDING + ph->nfindings;
    ph_finding *f = new_finding(ph, 2, ph->spec.slec_from, ph->spec.slec_dorsal ? 3 : 2);
    f->level_to = ph->spec.slec_to;
    ph_prim p;
    memset(&p, 0, sizeof p);
    p.kind = PH_SHELL;
    p.signal = 0.92f;
    p.label = label;
    p.z1 = ph->lv[ph->spec.slec_from].z_top;
    p.z0 = ph->lv[ph->spec.slec_to].z_bot;
    p.gap = ph_range(&r, 1.4, 2.0); /* dura + epidural space between sac and collection */
    p.thick = ph_range(&r, 2.5, 5.0);
    p.sign_y = ph->spec.slec_dorsal ? -1 : 1;
    csf_status st = ph_push(ph, &p, err);
    f->nprims = (int)ph->nprims - f->first_prim;
    return st;
}

csf_status ph_pathology_build(csf_phantom *ph, csf_error *err)
{
    const csf_phantom_spec *s = &ph->spec;
    csf_status st = s->slec ? add_slec(ph, err) : CSF_OK;
    if (st == CSF_OK)
        st = ph_sleeves_build(ph, err);
    for (int i = 0; i < s->nleaks && st == CSF_OK; i++)
        st = add_leak(ph, &s->leaks[i], err);
    for (int i = 0; i < s->ncysts && st == CSF_OK; i++)
        st = add_cyst(ph, &s->cysts[i], 0, err);
    for (int i = 0; i < s->ndiverticula && st == CSF_OK; i++)
        st = add_cyst(ph, &s->diverticula[i], 1, err);
    return st;
}
