/* Step 4: fluid outside the sac. In a box around the tracked sac, voxels
 * brighter than the slice's half-maximum threshold and outside the sac wall
 * (plus a one-voxel margin for the partial-volume rim) form the extra-sac
 * mask; its 3D components (root sleeves, leaks, cysts, SLEC, mimics) are
 * measured against the local wall. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/img_label.h"
#include "spine_internal.h"

#define ROI_LATERAL_MM 70.0 /* a grade-3 leak reaches ~2-3 sac widths beyond the wall */
#define ROI_AP_MM 50.0
#define MIN_COMPONENT_MM3 4.0
#define BELOW_END_MM 40.0

double csf_spine_wall_margin(const csf_spine *sp)
{
    return fmax(1.0, 0.75 * (sp->is2d ? sp->sx : fmax(sp->sx, sp->sy)));
}

/* The sac slice that stands for slice k: below the sac's end, its last slice. */
const csf_sac_slice *csf_spine_ref_slice(const csf_spine *sp, size_t k)
{
    return &sp->slices[k < sp->k_first ? sp->k_first : (k > sp->k_last ? sp->k_last : k)];
}

/* Signed distance (mm) of voxel (i,j,k) outside the sac wall: radial in the
 * slice, or to the sac's end point below it. */
double csf_spine_wall_dist(const csf_spine *sp, size_t k, double i, double j, double *dx, double *dy)
{
    const csf_sac_slice *s = csf_spine_ref_slice(sp, k);
    *dx = (i - s->center_vox[0]) * sp->sx;
    *dy = sp->is2d ? 0.0 : (j - s->center_vox[1]) * sp->sy;
    double r = hypot(*dx, *dy);
    if (k < sp->k_first)
        return hypot(r, (double)(sp->k_first - k) * sp->sz);
    double R = csf_sac_radius_at(s, atan2(*dy, *dx), sp->is2d);
    return isfinite(R) ? r - R : -1.0;
}

static void roi_box(csf_spine *sp)
{
    double imin = 1e300, imax = -1e300, jmin = 1e300, jmax = -1e300;
    for (size_t k = sp->k_first; k <= sp->k_last; k++) {
        const csf_sac_slice *s = &sp->slices[k];
        imin = fmin(imin, s->center_vox[0]);
        imax = fmax(imax, s->center_vox[0]);
        jmin = fmin(jmin, s->center_vox[1]);
        jmax = fmax(jmax, s->center_vox[1]);
    }
    double li = ROI_LATERAL_MM / sp->sx, lj = sp->is2d ? 0 : ROI_AP_MM / sp->sy;
    /* sacral cysts hang below the sac's end */
    double lo[3] = {imin - li, jmin - lj, (double)sp->k_first - BELOW_END_MM / sp->sz};
    double hi[3] = {imax + li, jmax + lj, (double)sp->k_last};
    size_t n[3] = {sp->nx, sp->ny, sp->nz};
    for (int a = 0; a < 3; a++) {
        long l = (long)floor(lo[a]), h = (long)ceil(hi[a]);
        if (l < 0) l = 0;
        if (h > (long)n[a] - 1) h = (long)n[a] - 1;
        sp->roi_min[a] = (size_t)l;
        sp->roi_dim[a] = (size_t)(h - l + 1);
    }
}

typedef struct mask_ctx {
    csf_spine *sp;
    uint8_t *mask;
} mask_ctx;

static csf_status mask_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    (void)err;
    mask_ctx *c = vctx;
    csf_spine *sp = c->sp;
    size_t rx = sp->roi_dim[0], ry = sp->roi_dim[1];
    double m = csf_spine_wall_margin(sp);
    for (size_t kk = b; kk < e; kk++) {
        size_t k = sp->roi_min[2] + kk;
        const csf_sac_slice *s = csf_spine_ref_slice(sp, k);
        const float *sl = sp->vol->data + k * sp->nx * sp->ny;
        float thr = (float)s->threshold;
        uint8_t *out = c->mask + kk * rx * ry;
        for (size_t jj = 0; jj < ry; jj++) {
            size_t j = sp->roi_min[1] + jj;
            for (size_t ii = 0; ii < rx; ii++) {
                size_t i = sp->roi_min[0] + ii;
                double dx, dy;
                out[ii + rx * jj] = sl[i + sp->nx * j] > thr &&
                                    csf_spine_wall_dist(sp, k, (double)i, (double)j, &dx, &dy) > m;
            }
        }
    }
    return CSF_OK;
}

static void roi_geom(const csf_spine *sp, csf_volume *g)
{
    memset(g, 0, sizeof *g);
    for (int a = 0; a < 3; a++) {
        g->dim[a] = sp->roi_dim[a];
        g->spacing[a] = sp->vol->spacing[a];
    }
    g->dim[3] = 1;
    memcpy(g->affine, sp->vol->affine, sizeof g->affine);
    for (int r = 0; r < 3; r++)
        for (int a = 0; a < 3; a++)
            g->affine[r][3] += sp->vol->affine[r][a] * (double)sp->roi_min[a];
}

typedef struct acc {
    double min_wall, max_wall, lat, nc, kc, rel, dx, dy, nright, ninner;
    size_t band[CSF_DEPTH_BANDS];
    size_t oval[CSF_DEPTH_BANDS]; /* of band[], inside the sac's cardinal oval (in_oval) */
    size_t lat_k;  /* slice of the farthest lateral point (the first one in raster order) */
    double pv_ml;  /* fluid beyond the component under half maximum (pv_reach.c), ml */
    int lat_right;
    size_t ap_beyond[2]; /* voxels on the ventral, dorsal side of the sac (see acc_voxel) */
} acc;

/* 1 when the voxel just inside the wall, radially inward from a rim voxel of
 * a component, is bright: the component continues the sac's CSF (no dura
 * between them). */
static int inner_bright(const csf_spine *sp, const csf_sac_slice *s, size_t k, double dx, double dy,
                        double d)
{
    double r = hypot(dx, dy);
    if (r <= 0 || k < sp->k_first)
        return 0;
    double back = d + 0.5 * (sp->is2d ? sp->sx : fmin(sp->sx, sp->sy)); /* to just inside the wall */
    double f = (r - back) / r;
    long i = lround(s->center_vox[0] + dx * f / sp->sx);
    long j = sp->is2d ? 0 : lround(s->center_vox[1] + dy * f / sp->sy);
    if (i < 0 || j < 0 || (size_t)i >= sp->nx || (size_t)j >= sp->ny)
        return 0;
    return sp->vol->data[(size_t)i + sp->nx * ((size_t)j + sp->ny * k)] > s->threshold;
}

/* A dural sac is at least about half as deep (AP) as it is wide: thoracic
 * and cervical sacs are near round around the cord, the lumbar sac a broad
 * oval. Walls that enclose less than that are not a sac: the tracker has
 * taken the crescent of a collection that caps the sac (one bright slice
 * component with it) for the sac. */
#define SAC_MIN_DEPTH_OVER_WIDTH 0.5

/* Counts a voxel dy mm anterior of its slice's sac centre as fluid on the
 * ventral (n[0]) or dorsal (n[1]) side when it lies beyond the sac's anterior
 * or posterior wall. An SLEC wraps round the sac (front to back about three
 * sac depths), so its centroid sits within a few mm of the sac's centre with
 * either sign; where its fluid spreads beyond a wall says where it lies.
 * Where the walls are a collection's crescent (see above), the component
 * beyond them is the true sac and the collection lies on the other side. */
static void ap_side(const csf_sac_slice *s, double dy, size_t n[2])
{
    const int R = 0, A = CSF_SAC_NRAYS / 4, L = CSF_SAC_NRAYS / 2, P = 3 * CSF_SAC_NRAYS / 4;
    double ra = s->radius_mm[A], rp = s->radius_mm[P], w = s->radius_mm[R] + s->radius_mm[L];
    if (!isfinite(ra) || !isfinite(rp) || (dy <= ra && -dy <= rp))
        return;
    int dorsal = dy < 0;
    if (isfinite(w) && ra + rp < SAC_MIN_DEPTH_OVER_WIDTH * w)
        dorsal = !dorsal;
    n[dorsal]++;
}

/* The dural sac is a convex oval in cross-section (round about the cord in
 * the neck and chest, a broad oval in the lumbar spine). Its lateral, anterior
 * and posterior walls come from the cardinal rays; an oblique ray can stop
 * early on a dark nerve root lying in the CSF near the wall (the cauda
 * equina lies dorsally in the lumbar sac), and the CSF beyond it is then
 * labelled as outside the sac. A voxel inside the quarter ellipse through the
 * cardinal radii of its quadrant lies within the sac's outline: sac CSF, not
 * fluid that left the sac. */
static int in_oval(const csf_sac_slice *s, double dx, double dy)
{
    const int L = CSF_SAC_NRAYS / 2, A = CSF_SAC_NRAYS / 4, P = 3 * CSF_SAC_NRAYS / 4;
    double a = dx >= 0 ? s->radius_mm[0] : s->radius_mm[L], b = dy >= 0 ? s->radius_mm[A] : s->radius_mm[P];
    if (!(a > 0) || !(b > 0))
        return 0;
    return (dx / a) * (dx / a) + (dy / b) * (dy / b) < 1.0;
}

/* One voxel (i, j) of slice k into its component's sums. */
static void acc_voxel(const csf_spine *sp, const csf_sac_slice *s, size_t k, size_t i, size_t j,
                      double touch, acc *c)
{
    const int L = CSF_SAC_NRAYS / 2;
    double dx, dy, d = csf_spine_wall_dist(sp, k, (double)i, (double)j, &dx, &dy);
    c->min_wall = fmin(c->min_wall, d);
    c->max_wall = fmax(c->max_wall, d);
    double R = dx >= 0 ? s->radius_mm[0] : s->radius_mm[L];
    if (isfinite(R) && fabs(dx) - R > c->lat) {
        c->lat = fabs(dx) - R;
        c->lat_k = k;
        c->lat_right = dx > 0;
    }
    if (!sp->is2d)
        ap_side(s, dy, c->ap_beyond);
    /* radial profile: one-voxel layers beyond the mask's wall margin */
    double vox = sp->is2d ? sp->sx : fmax(sp->sx, sp->sy), band = floor((d - csf_spine_wall_margin(sp)) / vox);
    size_t bi = band <= 0 ? 0 : (band >= CSF_DEPTH_BANDS - 1 ? CSF_DEPTH_BANDS - 1 : (size_t)band);
    c->band[bi]++;
    if (!sp->is2d && k >= sp->k_first && k <= sp->k_last && in_oval(s, dx, dy))
        c->oval[bi]++;
    if (d <= touch) {
        c->nc += 1;
        c->kc += (double)k;
        c->ninner += inner_bright(sp, s, k, dx, dy, d);
    }
    c->rel += sp->vol->data[i + sp->nx * (j + sp->ny * k)] / s->csf_level;
    c->dx += dx;
    c->dy += dy;
    c->nright += dx > 0;
}

/* The runs come in raster order, so every component sees its voxels in the
 * order of a scan of the box (the sums are in floating point). */
static void accumulate(csf_spine *sp, const int32_t *map, acc *a)
{
    const csf_label_runs *lr = &sp->roi_runs;
    double touch = csf_spine_wall_margin(sp) + (sp->is2d ? sp->sx : fmax(sp->sx, sp->sy));
    for (size_t row = 0; row < lr->ny * lr->nz; row++) {
        size_t j = sp->roi_min[1] + row % lr->ny, k = sp->roi_min[2] + row / lr->ny;
        const csf_sac_slice *s = csf_spine_ref_slice(sp, k);
        for (uint32_t r = lr->row_start[row]; r < lr->row_start[row + 1]; r++) {
            if (map[lr->label[r]] < 0)
                continue;
            acc *c = &a[map[lr->label[r]]];
            for (size_t ii = lr->x0[r]; ii <= lr->x1[r]; ii++)
                acc_voxel(sp, s, k, sp->roi_min[0] + ii, j, touch, c);
        }
    }
}

static int side_of(double ang_deg)
{
    if (ang_deg > 45 && ang_deg < 135)
        return CSF_SIDE_VENTRAL;
    if (ang_deg < -45 && ang_deg > -135)
        return CSF_SIDE_DORSAL;
    return fabs(ang_deg) <= 45 ? CSF_SIDE_RIGHT : CSF_SIDE_LEFT;
}

static void fill_extra(csf_spine *sp, const csf_component *cp, const acc *a, csf_extra *x)
{
    memset(x, 0, sizeof *x);
    x->voxels = cp->voxels;
    x->volume_ml = cp->volume_ml + a->pv_ml; /* a thin streak's fluid is averaged, not lost */
    memcpy(x->center_mm, cp->centroid_mm, sizeof x->center_mm);
    for (int q = 0; q < 3; q++) {
        x->center_vox[q] = cp->centroid_vox[q] + (double)sp->roi_min[q];
        x->bbox_min[q] = cp->bbox_min[q] + sp->roi_min[q];
        x->bbox_max[q] = cp->bbox_max[q] + sp->roi_min[q];
        x->axes_mm[q] = cp->axes_mm[q];
    }
    x->elongation = cp->elongation;
    memcpy(x->depth_voxels, a->band, sizeof x->depth_voxels);
    memcpy(x->oval_voxels, a->oval, sizeof x->oval_voxels);
    double n = (double)cp->voxels;
    x->min_wall_mm = a->min_wall;
    x->max_wall_mm = a->max_wall;
    x->lateral_extent_mm = fmax(0.0, a->lat);
    x->lateral_z_mm = NAN;
    x->lateral_side = a->lat_right ? CSF_SIDE_RIGHT : CSF_SIDE_LEFT;
    if (a->lat > 0) {
        const csf_sac_slice *sl = csf_spine_ref_slice(sp, a->lat_k);
        double q[3] = {sl->center_vox[0], sl->center_vox[1], (double)a->lat_k}, wz[3];
        csf_volume_ijk_to_ras(sp->vol, q, wz);
        x->lateral_z_mm = wz[2];
    }
    x->craniocaudal_extent_mm = (double)(cp->bbox_max[2] - cp->bbox_min[2] + 1) * sp->sz;
    x->ap_extent_mm = (double)(cp->bbox_max[1] - cp->bbox_min[1] + 1) * sp->sy;
    x->angle_deg = atan2(a->dy / n, a->dx / n) * 180.0 / M_PI;
    x->offset_mm[0] = a->dx / n;
    x->offset_mm[1] = a->dy / n;
    x->side = side_of(x->angle_deg);
    if (sp->is2d)
        x->side = a->dx >= 0 ? CSF_SIDE_RIGHT : CSF_SIDE_LEFT;
    x->contact_voxels = (size_t)a->nc;
    x->inner_bright_fraction = a->nc > 0 ? a->ninner / a->nc : 0;
    x->contact_k = a->nc > 0 ? a->kc / a->nc : NAN;
    double kz = a->nc > 0 ? x->contact_k : x->center_vox[2];
    size_t kr = (size_t)lround(kz);
    const csf_sac_slice *s = csf_spine_ref_slice(sp, kr);
    double ijk[3] = {s->center_vox[0], s->center_vox[1], kz}, w[3];
    csf_volume_ijk_to_ras(sp->vol, ijk, w);
    x->contact_z_mm = w[2];
    x->rel_intensity = a->rel / n;
    x->minor_side_fraction = fmin(a->nright, n - a->nright) / n;
    x->ap_beyond[0] = a->ap_beyond[0];
    x->ap_beyond[1] = a->ap_beyond[1];
    x->local_width_mm = s->width_lr_mm;
}

#include "csfleak/img_morph.h"

/* Share of the component's `nvox` voxels whose centres lie within `reach` mm
 * of box voxel `c`. The inscribed ball of a digitised round body falls short
 * of the body by up to a voxel (the EDT runs to the nearest background
 * centre, the half-maximum threshold erodes the rim): a 7 mm cyst at 1 mm
 * voxels keeps a 2.5 mm ball, a third of its volume. Counting the voxels out
 * to the first background centres plus half a voxel measures the body itself. */
static double body_share(const csf_volume *g, const uint8_t *bg, size_t c, double reach, size_t nvox)
{
    size_t d0 = g->dim[0], d1 = g->dim[1], d2 = g->dim[2];
    long ci = (long)(c % d0), cj = (long)((c / d0) % d1), ck = (long)(c / (d0 * d1));
    long ri = (long)ceil(reach / g->spacing[0]), rj = (long)ceil(reach / g->spacing[1]);
    long rk = (long)ceil(reach / g->spacing[2]);
    size_t in = 0;
    for (long k = ck - rk; k <= ck + rk; k++)
        for (long j = cj - rj; j <= cj + rj; j++)
            for (long i = ci - ri; i <= ci + ri; i++) {
                if (i < 0 || j < 0 || k < 0 || i >= (long)d0 || j >= (long)d1 || k >= (long)d2)
                    continue;
                double x = (double)(i - ci) * g->spacing[0], y = (double)(j - cj) * g->spacing[1];
                double z = (double)(k - ck) * g->spacing[2];
                if (x * x + y * y + z * z <= reach * reach && !bg[(size_t)i + d0 * ((size_t)j + d1 * (size_t)k)])
                    in++;
            }
    return nvox > 0 ? (double)in / (double)nvox : 0.0;
}

/* bg (the box lo + [0, d) of the roi, d[0] * d[1] * d[2] bytes) = 1 where
 * the voxel is not in component `label`, 0 where it is. */
static void box_background(const csf_label_runs *lr, uint32_t label, const size_t lo[3],
                           const size_t d[3], uint8_t *bg)
{
    memset(bg, 1, d[0] * d[1] * d[2]);
    for (size_t k = 0; k < d[2]; k++)
        for (size_t j = 0; j < d[1]; j++) {
            size_t row = (j + lo[1]) + lr->ny * (k + lo[2]);
            uint8_t *out = bg + d[0] * (j + d[1] * k);
            for (uint32_t r = lr->row_start[row]; r < lr->row_start[row + 1]; r++) {
                if (lr->label[r] != label || lr->x1[r] < lo[0] || lr->x0[r] >= lo[0] + d[0])
                    continue;
                size_t a = lr->x0[r] > lo[0] ? lr->x0[r] - lo[0] : 0;
                size_t b = lr->x1[r] - lo[0] < d[0] ? lr->x1[r] - lo[0] : d[0] - 1;
                memset(out + a, 0, b - a + 1);
            }
        }
}

/* Radius (mm) of the largest ball inside the component that does not overlap
 * the largest one (centre arg, EDT value best): two discrete round bodies in
 * one component (adjacent perineural cysts joined by their sleeves) are told
 * from one body with irregular fluid beside it (profuse.c). dist is the EDT
 * run centre to centre; h the half voxel it overshoots the ball by. */
static double second_ball(const csf_volume *g, const uint8_t *bg, const float *dist, size_t arg, double best,
                          double h)
{
    size_t d0 = g->dim[0], d1 = g->dim[1], n = d0 * d1 * g->dim[2];
    double ci = (double)(arg % d0), cj = (double)((arg / d0) % d1), ck = (double)(arg / (d0 * d1));
    double r1 = fmax(0.0, best - h), r2 = 0.0;
    for (size_t v = 0; v < n; v++) {
        double r = (double)dist[v] - h;
        if (bg[v] || r <= r2)
            continue;
        double x = ((double)(v % d0) - ci) * g->spacing[0], y = ((double)((v / d0) % d1) - cj) * g->spacing[1];
        double z = ((double)(v / (d0 * d1)) - ck) * g->spacing[2];
        if (x * x + y * y + z * z >= (r1 + r) * (r1 + r))
            r2 = r;
    }
    return r2;
}

/* 2D: how the depth of fluid falls from the inscribed ball's centre to its
 * rim. A projection is linear in the depth of fluid along the beam, so a
 * round body (a ball of radius r, a perineural cyst) shows its depth,
 * 2 sqrt(r^2 - d^2) at distance d from its centre: averaged over the inner
 * disc (d < r/2) it is 1.62 x its average over the outer ring (r/2..r). A
 * pool spread flat around the root sleeves, or a cluster of small pools,
 * is about as deep at the disc's rim as at its centre (ratio ~1). Signal
 * above the image background, made linear in depth by the response measured
 * on the sac (response_2d.c: another scanner's contrast curve would
 * otherwise compress the ratio, 1.62^0.6 = 1.34 under a power 0.6); NaN
 * when the disc has no pixel in either. */
static double depth_ratio(const csf_spine *sp, const uint8_t *bg, const size_t *lo, const size_t *d, size_t arg,
                          double r_mm)
{
    double ci = (double)(arg % d[0]), ck = (double)(arg / (d[0] * d[1]));
    double s[2] = {0, 0}, n[2] = {0, 0};
    for (size_t k = 0; k < d[2]; k++)
        for (size_t i = 0; i < d[0]; i++) {
            double dx = ((double)i - ci) * sp->sx, dz = ((double)k - ck) * sp->sz, q = sqrt(dx * dx + dz * dz);
            if (bg[i + d[0] * d[1] * k] || q >= r_mm)
                continue;
            size_t gi = i + lo[0] + sp->roi_min[0], gj = lo[1] + sp->roi_min[1], gk = k + lo[2] + sp->roi_min[2];
            int o = q >= 0.5 * r_mm;
            s[o] += csf_spine_linear_depth(sp, sp->vol->data[gi + sp->nx * (gj + sp->ny * gk)] - sp->background);
            n[o] += 1;
        }
    return n[0] > 0 && n[1] > 0 && s[1] > 0 ? (s[0] / n[0]) / (s[1] / n[1]) : NAN;
}

/* Largest ball inside component `label`: the exact EDT of its complement on
 * the component's box (padded by one voxel), maximised over its voxels. */
static csf_status inscribed(csf_spine *sp, uint32_t label, csf_extra *x, const csf_exec *ex,
                            csf_error *err)
{
    size_t lo[3], d[3], n = 1;
    for (int a = 0; a < 3; a++) {
        size_t b0 = x->bbox_min[a] - sp->roi_min[a], b1 = x->bbox_max[a] - sp->roi_min[a];
        lo[a] = b0 > 0 ? b0 - 1 : 0;
        size_t hi = b1 + 1 < sp->roi_dim[a] ? b1 + 1 : b1;
        d[a] = hi - lo[a] + 1;
        n *= d[a];
    }
    uint8_t *bg = malloc(n);
    float *dist = malloc(n * sizeof *dist);
    csf_status st = CSF_OK;
    if (bg == NULL || dist == NULL) {
        st = csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu voxels for a component", n);
        goto done;
    }
    box_background(&sp->roi_runs, label, lo, d, bg);
    csf_volume g;
    memset(&g, 0, sizeof g);
    for (int a = 0; a < 3; a++) {
        g.dim[a] = d[a];
        g.spacing[a] = sp->vol->spacing[a];
        g.affine[a][a] = sp->vol->spacing[a];
    }
    g.dim[3] = 1;
    g.affine[3][3] = 1;
    st = csf_img_edt(&g, bg, dist, ex, err);
    if (st != CSF_OK)
        goto done;
    double best = 0;
    size_t arg = 0;
    for (size_t v = 0; v < n; v++)
        if (!bg[v] && dist[v] > best) {
            best = dist[v];
            arg = v;
        }
    /* the EDT runs centre to centre: the ball reaches half a voxel less */
    double h = 0.5 * (sp->is2d ? fmin(sp->sx, sp->sz) : fmin(sp->sx, fmin(sp->sy, sp->sz)));
    x->inscribed_radius_mm = fmax(0.0, best - h);
    double r = x->inscribed_radius_mm;
    double ball = sp->is2d ? M_PI * r * r : 4.0 / 3.0 * M_PI * r * r * r;
    double size = sp->is2d ? (double)x->voxels * sp->sx * sp->sz : x->volume_ml * 1000.0;
    x->ball_fraction = size > 0 ? fmin(1.0, ball / size) : 0;
    size_t ai = arg % d[0] + lo[0] + sp->roi_min[0], aj = (arg / d[0]) % d[1] + lo[1] + sp->roi_min[1];
    size_t ak = arg / (d[0] * d[1]) + lo[2] + sp->roi_min[2];
    double dx, dy;
    x->ball_gap_mm = csf_spine_wall_dist(sp, ak, (double)ai, (double)aj, &dx, &dy) - r;
    x->body_fraction = sp->is2d ? x->ball_fraction : body_share(&g, bg, arg, best + h, x->voxels);
    x->second_radius_mm = sp->is2d ? 0.0 : second_ball(&g, bg, dist, arg, best, h);
    x->ball_depth_ratio = sp->is2d && d[1] == 1 ? depth_ratio(sp, bg, lo, d, arg, best) : NAN;
done:
    free(bg);
    free(dist);
    return st;
}

/* The lateral reach of every kept component continued through partial
 * volume (pv_reach.c): a thin streak averaged under half maximum at a coarse
 * voxel grid still counts. */
static csf_status pv_reach(csf_spine *sp, uint8_t *mask, const int32_t *map, acc *a, size_t nx, csf_error *err)
{
    double *lat = malloc((nx + 1) * sizeof *lat), *ml = calloc(nx + 1, sizeof *ml);
    int *right = malloc((nx + 1) * sizeof *right);
    csf_status st = CSF_OK;
    if (lat == NULL || right == NULL || ml == NULL)
        st = csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu reaches", nx);
    for (size_t c = 0; c < nx && st == CSF_OK; c++)
        lat[c] = a[c].lat, right[c] = a[c].lat_right;
    if (st == CSF_OK)
        st = csf_spine_pv_reach(sp, mask, map, nx, lat, right, ml, err);
    for (size_t c = 0; c < nx && st == CSF_OK; c++)
        a[c].lat = lat[c], a[c].pv_ml = ml[c];
    free(lat);
    free(ml);
    free(right);
    return st;
}

csf_status csf_spine_extras_find(csf_spine *sp, const csf_exec *ex, csf_error *err)
{
    roi_box(sp);
    size_t nroi = sp->roi_dim[0] * sp->roi_dim[1] * sp->roi_dim[2];
    uint8_t *mask = malloc(nroi);
    csf_component *comps = NULL;
    int32_t *map = NULL;
    acc *a = NULL;
    size_t nc = 0;
    csf_status st = CSF_OK;
    if (mask == NULL) {
        st = csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate the %zu-voxel search box", nroi);
        goto done;
    }
    mask_ctx mc = {sp, mask};
    st = csf_parallel_for(ex, sp->roi_dim[2], 4, mask_chunk, &mc, err);
    csf_volume g;
    roi_geom(sp, &g);
    if (st == CSF_OK)
        st = csf_img_label_as_runs(&g, mask, CSF_CONN_26, &sp->roi_runs, &nc, &comps, ex, err);
    if (st != CSF_OK)
        goto done;
    map = malloc((nc + 1) * sizeof *map);
    a = malloc((nc + 1) * sizeof *a);
    sp->extras = calloc(nc + 1, sizeof *sp->extras);
    if (map == NULL || a == NULL || sp->extras == NULL) {
        st = csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu components", nc);
        goto done;
    }
    double voxmm3 = sp->sx * sp->sy * sp->sz;
    if (sp->is2d)
        voxmm3 = sp->sx * sp->sz;
    map[0] = -1;
    size_t nx = 0;
    for (size_t c = 0; c < nc; c++) {
        int keep = (double)comps[c].voxels * voxmm3 >= MIN_COMPONENT_MM3 && comps[c].voxels >= 2;
        map[c + 1] = keep ? (int32_t)nx : -1;
        if (keep)
            a[nx++] = (acc){1e300, -1e300, -1e300, 0, 0, 0, 0, 0, 0, 0, {0}, {0}, 0, 0, 0, {0, 0}};
    }
    accumulate(sp, map, a);
    st = pv_reach(sp, mask, map, a, nx, err); /* thin far ends under half maximum (pv_reach.c) */
    for (size_t c = 0; c < nc && st == CSF_OK; c++) {
        if (map[c + 1] < 0)
            continue;
        csf_extra *x = &sp->extras[map[c + 1]];
        fill_extra(sp, &comps[c], &a[map[c + 1]], x);
        x->label = (uint32_t)(c + 1);
        x->ball_gap_mm = NAN;
        x->ball_depth_ratio = NAN;
        x->body_fraction = 0;
        x->second_radius_mm = 0;
        if (x->voxels >= 8 && x->voxels <= 4000000)
            st = inscribed(sp, x->label, x, ex, err);
        /* the body's share of the fluid, the streak under half maximum too */
        if (a[map[c + 1]].pv_ml > 0)
            x->body_fraction *= comps[c].volume_ml / x->volume_ml;
    }
    sp->nextra = nx;
done:
    free(mask);
    free(comps);
    free(map);
    free(a);
    return st;
}
