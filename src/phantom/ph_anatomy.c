/* Subject anatomy: vertebral levels, the curved spine centerline and the
 * per-z table of sac, cord and vertebral-body cross-sections that the tube
 * primitives follow. Parameter sources: docs/phantom.md. */
#include <stdlib.h>
#include <string.h>

#include "phantom/ph_internal.h"

#define DEG (3.14159265358979323846 / 180.0)

/* Per level (C1..S4): segment height along the canal (body + disc below it, mm),
 * disc height (mm), sac semi-axes (transverse, AP), cord semi-axes, body semi-axes. */
typedef struct level_ref {
    double h, disc, sa, sb, ca, cb, ba, bb;
} level_ref;

static const level_ref REF[CSF_PHANTOM_NLEVELS] = {
    /* C1 */ {12, 0.0, 12.5, 8.5, 5.5, 4.2, 0, 0},
    /* C2 */ {18, 5.0, 11.5, 7.5, 5.5, 4.0, 8.0, 8.0},
    /* C3 */ {15, 5.0, 11.0, 7.0, 5.8, 4.0, 8.0, 7.5},
    /* C4 */ {15, 5.0, 11.0, 7.0, 6.2, 4.0, 8.5, 7.5},
    /* C5 */ {15, 5.5, 11.0, 7.0, 6.6, 4.0, 9.0, 7.5},
    /* C6 */ {15, 5.5, 11.0, 7.0, 6.4, 3.9, 9.5, 8.0},
    /* C7 */ {16, 5.0, 10.0, 6.6, 5.6, 3.8, 10.5, 8.0},
    /* T1 */ {19, 4.0, 9.0, 6.4, 4.6, 3.5, 12.0, 9.0},
    /* T2 */ {20, 4.0, 8.2, 6.0, 4.2, 3.3, 13.0, 10.0},
    /* T3 */ {21, 4.5, 8.0, 6.0, 4.0, 3.2, 13.5, 11.0},
    /* T4 */ {21, 4.5, 8.0, 6.0, 4.0, 3.2, 14.0, 11.5},
    /* T5 */ {22, 4.5, 8.0, 6.0, 4.0, 3.2, 14.5, 12.0},
    /* T6 */ {22, 5.0, 8.0, 6.0, 4.0, 3.2, 15.0, 12.5},
    /* T7 */ {23, 5.0, 8.0, 6.0, 4.0, 3.2, 15.5, 13.0},
    /* T8 */ {24, 5.0, 8.0, 6.0, 4.0, 3.2, 16.5, 13.5},
    /* T9 */ {25, 5.5, 8.0, 6.0, 4.0, 3.2, 17.5, 14.0},
    /* T10 */ {26, 5.5, 8.2, 6.2, 4.2, 3.4, 18.5, 14.5},
    /* T11 */ {27, 6.0, 8.6, 6.5, 4.5, 3.7, 19.5, 15.0},
    /* T12 */ {28, 7.0, 9.0, 7.0, 4.6, 3.8, 20.5, 15.5},
    /* L1 */ {33, 9.0, 9.5, 7.5, 3.0, 2.8, 22.0, 16.0},
    /* L2 */ {35, 10.0, 10.0, 8.0, 0, 0, 23.0, 16.5},
    /* L3 */ {36, 10.5, 10.0, 8.0, 0, 0, 24.0, 17.0},
    /* L4 */ {36, 10.5, 10.0, 8.0, 0, 0, 25.0, 17.0},
    /* L5 */ {35, 10.0, 9.5, 8.0, 0, 0, 25.5, 17.0},
    /* S1 */ {30, 2.0, 8.0, 7.0, 0, 0, 25.0, 16.0},
    /* S2 */ {25, 1.5, 6.0, 5.0, 0, 0, 20.0, 12.0},
    /* S3 */ {20, 1.0, 0, 0, 0, 0, 15.0, 9.0},
    /* S4 */ {18, 1.0, 0, 0, 0, 0, 11.0, 7.0},
};

static const char *const NAMES[CSF_PHANTOM_NLEVELS] = {
    "C1", "C2", "C3", "C4", "C5", "C6", "C7", "T1", "T2", "T3", "T4", "T5", "T6", "T7",
    "T8", "T9", "T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4"};

int csf_phantom_level_index(const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < CSF_PHANTOM_NLEVELS; i++) {
        const char *a = NAMES[i], *b = name;
        while (*a && *b && (*a == *b || *a == *b - 32))
            a++, b++;
        if (*a == '\0' && *b == '\0')
            return i;
    }
    return -1;
}

const char *csf_phantom_level_name(int index)
{
    return index >= 0 && index < CSF_PHANTOM_NLEVELS ? NAMES[index] : NULL;
}

int csf_phantom_level_region(int index)
{
    /* junction rule: C7 (cervicothoracic) -> thoracic, T12 (thoracolumbar) -> lumbar */
    if (index < 6)
        return 0;
    return index < 18 ? 1 : 2;
}

const char *csf_phantom_region_name(int region)
{
    static const char *const R[3] = {"cervical", "thoracic", "lumbar"};
    return region >= 0 && region < 3 ? R[region] : NULL;
}

/* Tangent angle (deg, + = running anterior going caudally) at the knots: lordosis,
 * kyphosis, lordosis, sacral kyphosis. */
static double tilt_at(const csf_phantom *ph, const double *knot_s, const double *knot_a, int n,
                      double s)
{
    if (s <= knot_s[0])
        return knot_a[0];
    for (int i = 1; i < n; i++)
        if (s <= knot_s[i]) {
            double u = (s - knot_s[i - 1]) / (knot_s[i] - knot_s[i - 1]);
            return knot_a[i - 1] + u * (knot_a[i] - knot_a[i - 1]);
        }
    (void)ph;
    return knot_a[n - 1];
}

/* Level-keyed value interpolated at arc length s between level midpoints. */
static double level_interp(const csf_phantom *ph, const double *val, double s)
{
    double mid0 = 0.5 * (ph->lv[0].s_top + ph->lv[0].s_bot);
    if (s <= mid0)
        return val[0];
    for (int i = 1; i < CSF_PHANTOM_NLEVELS; i++) {
        double mid = 0.5 * (ph->lv[i].s_top + ph->lv[i].s_bot);
        if (s <= mid) {
            double m0 = 0.5 * (ph->lv[i - 1].s_top + ph->lv[i - 1].s_bot);
            double u = (s - m0) / (mid - m0);
            return val[i - 1] + u * (val[i] - val[i - 1]);
        }
    }
    return val[CSF_PHANTOM_NLEVELS - 1];
}

static int level_of_s(const csf_phantom *ph, double s)
{
    for (int i = 0; i < CSF_PHANTOM_NLEVELS; i++)
        if (s < ph->lv[i].s_bot)
            return i;
    return CSF_PHANTOM_NLEVELS - 1;
}

typedef struct subject {
    double sa[CSF_PHANTOM_NLEVELS], sb[CSF_PHANTOM_NLEVELS];
    double ca[CSF_PHANTOM_NLEVELS], cb[CSF_PHANTOM_NLEVELS];
    double ba[CSF_PHANTOM_NLEVELS], bb[CSF_PHANTOM_NLEVELS];
    double ks[6], ka[6];
    double scol_amp, scol_len, scol_ph;
} subject;

static void subject_draw(csf_phantom *ph, subject *sj)
{
    ph_rng r = ph_rng_make(ph->spec.seed, 1);
    ph->scale = ph_range(&r, 0.90, 1.08);
    double sac_k = ph_range(&r, 0.90, 1.10), cord_k = ph_range(&r, 0.92, 1.08);
    double s = 0;
    for (int i = 0; i < CSF_PHANTOM_NLEVELS; i++) {
        double h = REF[i].h * ph->scale * ph_range(&r, 0.96, 1.04);
        ph->lv[i].s_top = s;
        ph->lv[i].s_bot = s + h;
        s += h;
        double j = ph_range(&r, 0.94, 1.06);
        sj->sa[i] = REF[i].sa * sac_k * j;
        sj->sb[i] = REF[i].sb * sac_k * ph_range(&r, 0.94, 1.06);
        sj->ca[i] = REF[i].ca * cord_k;
        sj->cb[i] = REF[i].cb * cord_k;
        sj->ba[i] = REF[i].ba * ph->scale;
        sj->bb[i] = REF[i].bb * ph->scale;
    }
    if (ph->spec.ectasia) /* widened lumbosacral sac: L3 onwards, up to ~1.6x at S1 */
        for (int i = 21; i < 26; i++) {
            double f = 1.0 + 0.15 * (i - 20) * ph_range(&r, 0.9, 1.1);
            sj->sa[i] *= f;
            sj->sb[i] *= 1.0 + 0.2 * (i - 20);
        }
    /* lordosis / kyphosis knots, angles scaled per subject */
    double kc = ph_range(&r, 0.6, 1.4), kt = ph_range(&r, 0.6, 1.4), kl = ph_range(&r, 0.7, 1.3);
    const ph_level *L = ph->lv;
    double ks[6] = {0, 0.5 * (L[3].s_top + L[3].s_bot), L[6].s_bot,
                    0.5 * (L[12].s_top + L[12].s_bot), L[21].s_top, L[24].s_bot};
    double ka[6] = {12 * kc, 0, -18 * kt, 0, 0, -35 * kl};
    /* thoracic kyphosis -> lumbar lordosis: +20 at the thoracolumbar junction */
    ks[4] = L[18].s_bot;
    ka[4] = 18 * kl;
    memcpy(sj->ks, ks, sizeof ks);
    memcpy(sj->ka, ka, sizeof ka);
    sj->scol_amp = ph_range(&r, 0.0, 4.0);
    sj->scol_len = ph_range(&r, 350, 700);
    sj->scol_ph = ph_range(&r, 0, 6.283);
    ph->s_end = 0.5 * (L[25].s_top + L[25].s_bot) + ph_range(&r, -8, 6);
    if (ph->spec.ectasia)
        ph->s_end = L[26].s_top + ph_range(&r, 0, 8);
    ph->s_conus = ph_range(&r, 0.5 * (L[19].s_top + L[19].s_bot), 0.5 * (L[20].s_top + L[20].s_bot));
    ph->gain = ph_range(&r, 500, 2500);
}

/* Cross-section of the sac at arc length s (semi-axes perpendicular to the canal). */
static void sac_at(const csf_phantom *ph, const subject *sj, double s, double *a, double *b)
{
    if (s < 0) { /* foramen magnum and posterior fossa: widening into the cisterns */
        double u = s < -25 ? 1.0 : -s / 25.0;
        *a = sj->sa[0] + u * (19.0 - sj->sa[0]);
        *b = sj->sb[0] + u * (15.0 - sj->sb[0]);
        return;
    }
    *a = level_interp(ph, sj->sa, s);
    *b = level_interp(ph, sj->sb, s);
    double t0 = ph->s_end - 45.0;
    if (s > t0) { /* rounded caudal taper to a blind end */
        double u = (s - t0) / 45.0;
        double f = u >= 1 ? 0 : sqrt(1 - u * u);
        *a *= f;
        *b *= f;
    }
}

static void cord_at(const csf_phantom *ph, const subject *sj, double s, double *a, double *b)
{
    if (s < 0) { /* medulla widening into the pons */
        double u = s < -45 ? 1.0 : -s / 45.0;
        *a = sj->ca[0] + u * (13.0 - sj->ca[0]);
        *b = sj->cb[0] + u * (11.0 - sj->cb[0]);
        return;
    }
    *a = level_interp(ph, sj->ca, s);
    *b = level_interp(ph, sj->cb, s);
    double t0 = ph->s_conus - 22.0;
    if (s > t0) { /* conus medullaris: conical taper */
        double u = (s - t0) / 22.0;
        double f = u >= 1 ? 0 : 1 - u;
        double base_a = level_interp(ph, sj->ca, t0), base_b = level_interp(ph, sj->cb, t0);
        *a = base_a * f;
        *b = base_b * f;
    }
}

typedef struct cline {
    double *y, *z, *x, *tilt;
    size_t n;
    double s0, ds;
} cline;

static csf_status centerline(csf_phantom *ph, const subject *sj, cline *cl, csf_error *err)
{
    cl->s0 = -70.0;
    cl->ds = 0.25;
    double s_last = ph->lv[CSF_PHANTOM_NLEVELS - 1].s_bot + 20.0;
    cl->n = (size_t)((s_last - cl->s0) / cl->ds) + 1;
    double *buf = malloc(4 * cl->n * sizeof *buf);
    if (buf == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "phantom: cannot allocate the centerline");
    cl->y = buf;
    cl->z = buf + cl->n;
    cl->x = buf + 2 * cl->n;
    cl->tilt = buf + 3 * cl->n;
    ph_rng r = ph_rng_make(ph->spec.seed, 2);
    double y = ph_range(&r, -5, 5), z = 0;
    for (size_t i = 0; i < cl->n; i++) {
        double s = cl->s0 + cl->ds * (double)i;
        double t = tilt_at(ph, sj->ks, sj->ka, 6, s) * DEG;
        cl->y[i] = y;
        cl->z[i] = z;
        cl->tilt[i] = t;
        cl->x[i] = sj->scol_amp * sin(6.283185307 * s / sj->scol_len + sj->scol_ph);
        y += sin(t) * cl->ds;
        z -= cos(t) * cl->ds;
    }
    /* the foramen magnum sits near world z = +300 so the spine spans the scanner's z */
    double shift = 300.0 - cl->z[(size_t)(-cl->s0 / cl->ds)];
    for (size_t i = 0; i < cl->n; i++)
        cl->z[i] += shift;
    return CSF_OK;
}

static double cl_at(const cline *cl, const double *v, double s)
{
    double f = (s - cl->s0) / cl->ds;
    if (f <= 0)
        return v[0];
    size_t i = (size_t)f;
    if (i + 1 >= cl->n)
        return v[cl->n - 1];
    double u = f - (double)i;
    return v[i] + u * (v[i + 1] - v[i]);
}

static void fill_row(csf_phantom *ph, const subject *sj, const cline *cl, size_t *ci, double z,
                     ph_zrow *row)
{
    while (*ci + 1 < cl->n && cl->z[*ci + 1] >= z) /* z decreases along the centerline */
        (*ci)++;
    double z0 = cl->z[*ci], z1 = *ci + 1 < cl->n ? cl->z[*ci + 1] : z0 - 1;
    double u = z0 > z1 ? (z0 - z) / (z0 - z1) : 0;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    double s = cl->s0 + cl->ds * ((double)*ci + u);
    double t = cl_at(cl, cl->tilt, s), sec = 1.0 / cos(t);
    double a, b;
    row->xc = (float)cl_at(cl, cl->x, s);
    row->yc = (float)cl_at(cl, cl->y, s);
    row->tilt = (float)t;
    sac_at(ph, sj, s, &a, &b);
    row->sa = (float)a;
    row->sb = (float)(b * sec);
    double sb_normal = level_interp(ph, sj->sb, s < 0 ? 0 : s) * sec;
    cord_at(ph, sj, s, &a, &b);
    row->ca = (float)(s < ph->s_conus ? a : 0);
    row->cb = (float)(b * sec);
    row->cy = (float)(s < 0 ? 2.0 : 0.8); /* cord slightly ventral in the canal */
    int li = level_of_s(ph, s);
    if (s < ph->lv[1].s_top + 4 || s < 0) { /* no body at C1 (the atlas is a ring) */
        row->ba = 0;
        row->bb = 0;
        row->boff = 0;
        row->is_disc = 0;
        return;
    }
    row->ba = (float)level_interp(ph, sj->ba, s);
    double bb = level_interp(ph, sj->bb, s) * sec;
    double post = (s < 0 ? sj->sb[0] : sb_normal) + 2.5; /* epidural space in front of the sac */
    double extra = row->sb - sb_normal;                  /* ectasia: scalloping */
    if (extra > 0) {
        bb -= 0.5 * extra;
        post += extra;
    }
    row->bb = (float)bb;
    row->boff = (float)(post + bb);
    double disc_h = REF[li].disc * ph->scale;
    double into = ph->lv[li].s_bot - s;
    double m = disc_h > 0 ? fmin(into, disc_h - into) + 0.5 : 0; /* 1 mm soft endplates */
    row->is_disc = (float)(m < 0 ? 0 : m > 1 ? 1 : m);
}

static csf_status build_levels(csf_phantom *ph, const cline *cl, csf_error *err)
{
    ph_rng r = ph_rng_make(ph->spec.seed, 3);
    for (int i = 0; i < CSF_PHANTOM_NLEVELS; i++) {
        ph_level *L = &ph->lv[i];
        L->z_top = cl_at(cl, cl->z, L->s_top);
        L->z_bot = cl_at(cl, cl->z, L->s_bot);
        double h = L->s_bot - L->s_top, s_exit;
        if (i < 7)       /* cervical Cn leaves above its vertebra (at the disc) */
            s_exit = L->s_top + 1.0;
        else if (i < 19) /* thoracic: at the pedicle */
            s_exit = L->s_top + 0.30 * h;
        else             /* lumbosacral: leaves near the disc above, runs down steeply */
            s_exit = L->s_top + 0.12 * h;
        L->has_sleeve = i >= 1 && i <= 24 && s_exit < ph->s_end - 10;
        L->z_exit = cl_at(cl, cl->z, s_exit);
        double t = cl_at(cl, cl->tilt, s_exit);
        /* angle below the horizontal, ventral component, length (mm), radii */
        double ang, ven, len, r0;
        if (i < 7)
            ang = ph_range(&r, 8, 20), ven = 0.45, len = ph_range(&r, 6, 9), r0 = 1.8;
        else if (i < 19)
            ang = 25 + 2.0 * (i - 7) + ph_range(&r, -5, 5), ven = 0.1, len = ph_range(&r, 6, 9),
            r0 = 1.9;
        else
            ang = 48 + 3.0 * (i - 19) + ph_range(&r, -5, 5), ven = 0.2,
            len = ph_range(&r, 12, 16) + 1.5 * (i - 19), r0 = 2.3;
        len *= ph->scale;
        L->sleeve_len = len;
        L->sleeve_r0 = r0;
        L->sleeve_r1 = r0 * 0.55;
        double ca = cos(ang * DEG), sa = sin(ang * DEG);
        double down[3] = {0, sin(t), -cos(t)}; /* caudal along the canal */
        for (int side = 0; side < 2; side++) {
            double lat = side == CSF_PH_RIGHT ? 1.0 : -1.0;
            double d[3] = {lat * ca, sa * down[1] + ven, sa * down[2]};
            double n = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            for (int k = 0; k < 3; k++)
                L->sleeve_dir[side][k] = d[k] / n;
        }
        L->sleeve_o[2] = L->z_exit; /* x, y filled once the table exists */
    }
    (void)err;
    return CSF_OK;
}

const ph_zrow *ph_row(const csf_phantom *ph, double z, ph_zrow *tmp)
{
    double f = (z - ph->zmin) / PH_DZ + 0.5;
    if (!(f >= 0) || f >= (double)ph->nz) {
        memset(tmp, 0, sizeof *tmp);
        return tmp;
    }
    return &ph->tab[(size_t)f];
}

int ph_level_at_z(const csf_phantom *ph, double z)
{
    for (int i = 0; i < CSF_PHANTOM_NLEVELS; i++)
        if (z >= ph->lv[i].z_bot)
            return i;
    return CSF_PHANTOM_NLEVELS - 1;
}

csf_status ph_anatomy_build(csf_phantom *ph, csf_error *err)
{
    subject sj;
    subject_draw(ph, &sj);
    cline cl;
    memset(&cl, 0, sizeof cl);
    csf_status st = centerline(ph, &sj, &cl, err);
    if (st != CSF_OK)
        return st;
    build_levels(ph, &cl, err);
    ph->zmax = cl.z[0];
    ph->zmin = cl.z[cl.n - 1];
    ph->nz = (size_t)((ph->zmax - ph->zmin) / PH_DZ) + 1;
    ph->tab = calloc(ph->nz, sizeof *ph->tab);
    if (ph->tab == NULL) {
        free(cl.y);
        return csf_error_set(err, CSF_ERR_NOMEM, "phantom: cannot allocate the spine table");
    }
    size_t ci = 0;
    for (size_t k = ph->nz; k-- > 0;) /* top down so the centerline search only advances */
        fill_row(ph, &sj, &cl, &ci, ph->zmin + PH_DZ * (double)k, &ph->tab[k]);
    ph->z_fm = cl_at(&cl, cl.z, 0);
    ph->z_end = cl_at(&cl, cl.z, ph->s_end);
    ph->z_conus = cl_at(&cl, cl.z, ph->s_conus);
    for (int i = 0; i < CSF_PHANTOM_NLEVELS; i++) {
        ph_zrow tmp;
        const ph_zrow *rw = ph_row(ph, ph->lv[i].z_exit, &tmp);
        ph->lv[i].sleeve_o[0] = rw->xc + rw->sa - 1.0; /* start just inside the wall */
        ph->lv[i].sleeve_o[1] = rw->yc + 0.25 * rw->sb;
    }
    free(cl.y);
    return CSF_OK;
}
