/* Fluid that is bright on heavy T2 but is not CSF: urine (renal pelvis,
 * ureters, bladder), bile, stomach and bowel contents, facet-joint effusions.
 * Placed where they are in the body, not where a detector would find them easy. */
#include <string.h>

#include "phantom/ph_internal.h"

static double lvz(const csf_phantom *ph, int i) { return 0.5 * (ph->lv[i].z_top + ph->lv[i].z_bot); }

static csf_status blob(csf_phantom *ph, double x, double y, double z, double rx, double ry, double rz,
                       float sig, int label, csf_error *err)
{
    double c[3] = {x, y, z}, r[3] = {rx, ry, rz};
    ph_prim p;
    ph_ellipsoid(&p, c, r, sig, label);
    return ph_push(ph, &p, err);
}

static csf_status kidneys(csf_phantom *ph, ph_rng *r, csf_error *err)
{
    csf_status st = CSF_OK;
    double k = ph->scale;
    for (int side = 0; side < 2 && st == CSF_OK; side++) {
        double lat = side ? 1 : -1; /* +x = the patient's right; the right kidney sits lower */
        double z = lvz(ph, 19) + (side ? -12.0 : 8.0) + ph_range(r, -10, 10);
        ph_zrow tmp;
        const ph_zrow *w = ph_row(ph, z, &tmp);
        double x = w->xc + lat * ph_range(r, 62, 76), y = w->yc + ph_range(r, 28, 40);
        st = blob(ph, x, y, z, 27 * k, 18 * k, 52 * k, 0.13f, 0, err);
        /* renal pelvis and calyces on the medial side */
        double px = x - lat * 12;
        if (st == CSF_OK)
            st = blob(ph, px, y + 4, z, 9, 6, 13 * k, 0.85f, CSF_PH_LABEL_MIMIC, err);
        for (int c = -1; c <= 1 && st == CSF_OK; c += 2)
            st = blob(ph, x - lat * 4, y + 2, z + c * 24 * k, 4, 3.5, 5, 0.8f, CSF_PH_LABEL_MIMIC, err);
        /* ureter, filled in boluses (peristalsis) */
        double a[3] = {px, y + 6, z - 12 * k}, b[3];
        double zb = lvz(ph, 24) - 20;
        const ph_zrow *wb = ph_row(ph, zb, &tmp);
        double bx = wb->xc + lat * 45, by = wb->yc + 55;
        for (int s = 0; s < 4 && st == CSF_OK; s++) {
            double u = (s + 1) / 4.0;
            b[0] = a[0] + (bx - px) * 0.25, b[1] = a[1] + (by - y - 6) * 0.25;
            b[2] = z - 12 * k + (zb - z + 12 * k) * u;
            if (ph_uniform(r) < 0.6) {
                ph_prim p;
                ph_capsule(&p, a, b, 2.0, 2.0, 0.7f, CSF_PH_LABEL_MIMIC);
                st = ph_push(ph, &p, err);
            }
            memcpy(a, b, sizeof a);
        }
    }
    return st;
}

static csf_status abdomen(csf_phantom *ph, ph_rng *r, csf_error *err)
{
    ph_zrow tmp;
    const ph_zrow *w = ph_row(ph, lvz(ph, 19), &tmp);
    csf_status st = CSF_OK;
    if (ph_uniform(r) < 0.85) /* gallbladder, right upper quadrant */
        st = blob(ph, w->xc + ph_range(r, 45, 65), w->yc + ph_range(r, 75, 95),
                  lvz(ph, 19) + ph_range(r, -10, 20), 14, 14, 34, 0.9f, CSF_PH_LABEL_MIMIC, err);
    if (st == CSF_OK && ph_uniform(r) < 0.7) { /* stomach, left upper quadrant, part filled */
        const ph_zrow *ws = ph_row(ph, lvz(ph, 18), &tmp);
        st = blob(ph, ws->xc - ph_range(r, 50, 70), ws->yc + ph_range(r, 85, 100), lvz(ph, 18),
                  35, 26, 38, 0.6f, CSF_PH_LABEL_MIMIC, err);
    }
    /* bladder in the pelvis, ventral, filling varies */
    double fill = ph_range(r, 0.5, 1.2);
    const ph_zrow *wb = ph_row(ph, ph->z_end, &tmp);
    if (st == CSF_OK)
        st = blob(ph, wb->xc, wb->yc + ph_range(r, 95, 115), ph->z_end - ph_range(r, 45, 60),
                  42 * fill, 32 * fill, 30 * fill, 0.95f, CSF_PH_LABEL_MIMIC, err);
    /* small-bowel and colon loops: short random walks in front of the psoas */
    int nloops = 8 + (int)(ph_uniform(r) * 9);
    double ztop = lvz(ph, 19), zbot = lvz(ph, 24) - 20;
    for (int l = 0; l < nloops && st == CSF_OK; l++) {
        double z = ph_range(r, zbot, ztop);
        const ph_zrow *wl = ph_row(ph, z, &tmp);
        double a[3] = {wl->xc + ph_range(r, -95, 95), wl->yc + ph_range(r, 50, 110), z};
        double rad = ph_range(r, 6, 12);
        float sig = (float)ph_range(r, 0.35, 0.9);
        for (int s = 0; s < 3 && st == CSF_OK; s++) {
            double b[3] = {a[0] + ph_range(r, -25, 25), a[1] + ph_range(r, -10, 10),
                           a[2] + ph_range(r, -25, 25)};
            ph_prim p;
            ph_capsule(&p, a, b, rad, rad, sig, CSF_PH_LABEL_MIMIC);
            st = ph_push(ph, &p, err);
            memcpy(a, b, sizeof a);
        }
    }
    return st;
}

/* Facet effusions: synovial fluid dorsolateral to the sac at a disc level. */
static csf_status facets(csf_phantom *ph, ph_rng *r, csf_error *err)
{
    int n = (int)(ph_uniform(r) * 5);
    csf_status st = CSF_OK;
    for (int k = 0; k < n && st == CSF_OK; k++) {
        int i = 2 + (int)(ph_uniform(r) * 22); /* C3..L5, mostly lower lumbar in life */
        if (ph_uniform(r) < 0.5)
            i = 21 + (int)(ph_uniform(r) * 3);
        int side = ph_uniform(r) < 0.5;
        double z = ph->lv[i].z_bot;
        ph_zrow tmp;
        const ph_zrow *w = ph_row(ph, z, &tmp);
        double lat = side ? 1 : -1;
        st = blob(ph, w->xc + lat * (w->sa + ph_range(r, 8, 12)), w->yc - w->sb - ph_range(r, 6, 10),
                  z, ph_range(r, 1.8, 3.0), ph_range(r, 1.5, 2.5), ph_range(r, 3, 5), 0.8f,
                  CSF_PH_LABEL_MIMIC, err);
    }
    return st;
}

csf_status ph_mimics_build(csf_phantom *ph, csf_error *err)
{
    if (!ph->spec.mimics)
        return CSF_OK;
    ph_rng r = ph_rng_make(ph->spec.seed, 10);
    csf_status st = kidneys(ph, &r, err);
    if (st == CSF_OK)
        st = abdomen(ph, &r, err);
    if (st == CSF_OK)
        st = facets(ph, &r, err);
    return st;
}
