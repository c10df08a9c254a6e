/* Normal anatomy as primitives, in painter's order: body outline, vertebral
 * bodies and discs, epidural veins (ph_structures_build); root sleeves
 * (ph_sleeves_build); then the sac with the cord, cauda equina and the
 * posterior-fossa contents (ph_inner_build). */
#include <string.h>

#include "phantom/ph_internal.h"

/* Heavy-T2 relative signals (CSF = 1): docs/phantom.md "Signal". */
#define SIG_TISSUE 0.015f
#define SIG_BODY 0.03f
#define SIG_DISC 0.025f
#define SIG_NUCLEUS 0.10f
#define SIG_VEIN 0.30f
#define SIG_CORD 0.11f
#define SIG_ROOT 0.14f
#define SIG_BRAIN 0.10f

void ph_sleeve_origin(const csf_phantom *ph, int level, int side, double o[3])
{
    ph_zrow tmp;
    const ph_zrow *w = ph_row(ph, ph->lv[level].z_exit, &tmp);
    double off = ph->lv[level].sleeve_o[0] - w->xc;
    o[0] = side == CSF_PH_RIGHT ? w->xc + off : w->xc - off;
    o[1] = ph->lv[level].sleeve_o[1];
    o[2] = ph->lv[level].sleeve_o[2];
}

static csf_status push_tube(csf_phantom *ph, int src, float sig, int label, csf_error *err)
{
    ph_prim p;
    memset(&p, 0, sizeof p);
    p.kind = PH_TUBE;
    p.src = src;
    p.signal = sig;
    p.label = label;
    return ph_push(ph, &p, err);
}

csf_status ph_structures_build(csf_phantom *ph, csf_error *err)
{
    /* body outline: fat-suppressed soft tissue around the spine, air behind the back */
    ph_zrow tmp;
    double zmid = 0.5 * (ph->zmin + ph->zmax);
    const ph_zrow *w = ph_row(ph, zmid, &tmp);
    double c[3] = {w->xc, w->yc + 60.0, zmid}, r[3] = {175, 128, 2000};
    ph_prim p;
    ph_ellipsoid(&p, c, r, SIG_TISSUE, 0);
    csf_status st = ph_push(ph, &p, err);
    if (st == CSF_OK)
        st = push_tube(ph, PH_SRC_BODY, SIG_BODY, CSF_PH_LABEL_BONE, err);
    if (st == CSF_OK)
        st = push_tube(ph, PH_SRC_DISC, SIG_DISC, CSF_PH_LABEL_BONE, err);
    if (st == CSF_OK)
        st = push_tube(ph, PH_SRC_NUCLEUS, SIG_NUCLEUS, CSF_PH_LABEL_BONE, err);
    /* anterior internal vertebral venous plexus: paired ventrolateral epidural veins */
    for (int i = 7; i <= 24 && st == CSF_OK; i++) {
        for (int side = 0; side < 2 && st == CSF_OK; side++) {
            double a[3], b[3];
            const ph_zrow *wa = ph_row(ph, ph->lv[i].z_top, &tmp);
            double lat = side ? 1 : -1;
            a[0] = wa->xc + lat * 0.55 * wa->sa, a[1] = wa->yc + wa->sb + 1.6, a[2] = ph->lv[i].z_top;
            const ph_zrow *wb = ph_row(ph, ph->lv[i].z_bot, &tmp);
            b[0] = wb->xc + lat * 0.55 * wb->sa, b[1] = wb->yc + wb->sb + 1.6, b[2] = ph->lv[i].z_bot;
            if (wb->sa < 1)
                continue;
            ph_capsule(&p, a, b, 1.2, 1.2, SIG_VEIN, CSF_PH_LABEL_VEIN);
            st = ph_push(ph, &p, err);
        }
    }
    return st;
}

csf_status ph_sleeves_build(csf_phantom *ph, csf_error *err)
{
    for (int i = 0; i < CSF_PHANTOM_NLEVELS; i++) {
        const ph_level *L = &ph->lv[i];
        if (!L->has_sleeve)
            continue;
        for (int side = 0; side < 2; side++) {
            double o[3], e[3];
            ph_sleeve_origin(ph, i, side, o);
            for (int k = 0; k < 3; k++)
                e[k] = o[k] + L->sleeve_dir[side][k] * L->sleeve_len;
            ph_prim p;
            ph_capsule(&p, o, e, L->sleeve_r0, L->sleeve_r1, 1.0f, CSF_PH_LABEL_SLEEVE);
            csf_status st = ph_push(ph, &p, err);
            if (st != CSF_OK)
                return st;
        }
    }
    return CSF_OK;
}

/* Cauda equina: roots fan from the conus to their sleeves and to the sac end. */
static csf_status cauda(csf_phantom *ph, csf_error *err)
{
    ph_zrow tmp;
    const ph_zrow *wc = ph_row(ph, ph->z_conus + 3, &tmp);
    double cx = wc->xc, cy = wc->yc - 1.0, cz = ph->z_conus + 3;
    const ph_zrow *we = ph_row(ph, ph->z_end + 6, &tmp);
    csf_status st = CSF_OK;
    for (int i = 19; i <= 24 && st == CSF_OK; i++) {
        for (int side = 0; side < 2 && st == CSF_OK; side++) {
            double lat = side ? 1 : -1, a[3] = {cx + lat * 1.5, cy, cz}, o[3];
            if (!ph->lv[i].has_sleeve || ph->lv[i].z_exit > cz)
                continue;
            ph_sleeve_origin(ph, i, side, o);
            o[0] -= lat * 1.5; /* end inside the sleeve's mouth */
            ph_prim p;
            ph_capsule(&p, a, o, 0.7, 0.7, SIG_ROOT, CSF_PH_LABEL_ROOTS);
            st = ph_push(ph, &p, err);
        }
    }
    /* sacral roots and the filum terminale gather dorsally to the sac end */
    for (int k = -2; k <= 2 && st == CSF_OK; k++) {
        double a[3] = {cx + 0.8 * k, cy - 1.0, cz};
        double b[3] = {we->xc + 1.2 * k, we->yc - 0.4 * we->sb, ph->z_end + 6};
        ph_prim p;
        ph_capsule(&p, a, b, k == 0 ? 0.45 : 0.7, k == 0 ? 0.45 : 0.7, SIG_ROOT, CSF_PH_LABEL_ROOTS);
        st = ph_push(ph, &p, err);
    }
    return st;
}

csf_status ph_inner_build(csf_phantom *ph, csf_error *err)
{
    csf_status st = push_tube(ph, PH_SRC_SAC, 1.0f, CSF_PH_LABEL_SAC, err);
    if (st == CSF_OK)
        st = push_tube(ph, PH_SRC_CORD, SIG_CORD, CSF_PH_LABEL_CORD, err);
    if (st == CSF_OK)
        st = cauda(ph, err);
    /* cerebellar hemispheres fill the posterior fossa, leaving the cisterna magna */
    ph_zrow tmp;
    const ph_zrow *w = ph_row(ph, ph->z_fm, &tmp);
    for (int side = 0; side < 2 && st == CSF_OK; side++) {
        double c[3] = {w->xc + (side ? 25.0 : -25.0), w->yc - 20.0, ph->z_fm + 36.0};
        double r[3] = {25, 22, 26};
        ph_prim p;
        ph_ellipsoid(&p, c, r, SIG_BRAIN, 0);
        st = ph_push(ph, &p, err);
    }
    return st;
}
