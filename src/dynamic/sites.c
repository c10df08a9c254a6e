/* Extrathecal contrast -> sites. Each frame's extrathecal voxels (contrast
 * beyond the column wall) form 26-connected components; a component that
 * touches a known site grows it, one that is larger than a normal root sleeve
 * (see is_site) becomes a new site in the frame it crossed that size. Sites are kept in a per-voxel
 * map so later frames attribute spreading contrast to the site it came from. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/img_stats.h"
#include "dyn_internal.h"

#define SLEEVE_D_MM 3.5
#define SLEEVE_L_MM 8.0
#define FLOOD_MIN_MM 75.0   /* three thoracic vertebral heights */
#define FLOOD_FRACTION 0.5  /* "most of the spine": half the filled column */
#define VEIN_MAX_MM 6.0     /* diameter of a paraspinal / segmental vein */
#define CANAL_EXIT_MM 10.0  /* sac wall to the outer end of the neural foramen */

/* Normal root sleeve as thresholded at this resolution (partial volume adds
 * about half a voxel all round) and the smallest blob taken as a site: 1.5
 * sleeves, or one sleeve's size when it reaches farther from the wall than a
 * sleeve can. */
static double sleeve_size(const csf_dyn_analyzer *a)
{
    double vox = fmax(a->spacing[0], a->dim[1] > 1 ? a->spacing[1] : 0);
    double d = SLEEVE_D_MM + vox, l = SLEEVE_L_MM + vox;
    return a->dim[1] > 1 ? M_PI * 0.25 * d * d * l : d * l;
}

static int is_site(const csf_dyn_analyzer *a, double size, double reach)
{
    double vox = fmax(a->spacing[0], a->dim[1] > 1 ? a->spacing[1] : 0);
    double sl = sleeve_size(a);
    return size >= 1.5 * sl || (size >= 0.75 * sl && reach > SLEEVE_L_MM + vox);
}

typedef struct bfs {
    size_t *q;
    size_t n, cap;
} bfs;

static int push(bfs *b, size_t v)
{
    if (b->n == b->cap) {
        size_t nc = b->cap ? 2 * b->cap : 4096;
        size_t *q = realloc(b->q, nc * sizeof *q);
        if (q == NULL)
            return -1;
        b->q = q;
        b->cap = nc;
    }
    b->q[b->n++] = v;
    return 0;
}

/* Linking radius (voxels) of extrathecal contrast. In 3-D, 26-neighbours. In
 * a frontal projection the column model's row-by-row wall cuts contrast lying
 * in front of or behind the sac into pieces: pieces within 2 mm join. */
static long link_radius(const csf_dyn_analyzer *a)
{
    if (a->dim[1] > 1)
        return 1;
    long r = lround(2.0 / fmin(a->spacing[0], a->spacing[2]));
    return r < 1 ? 1 : r > 4 ? 4 : r;
}

/* Flood-fills from s over mask value 1 (contrast outside the column), marking
 * visited voxels 3; b->q holds the component afterwards. */
static int grow_comp(csf_dyn_analyzer *a, size_t s, bfs *b)
{
    const size_t nx = a->dim[0], ny = a->dim[1], nz = a->dim[2];
    const long r = link_radius(a), ry = ny > 1 ? r : 0;
    b->n = 0;
    a->mask[s] = 3;
    if (push(b, s))
        return -1;
    for (size_t h = 0; h < b->n; h++) {
        size_t q = b->q[h], x = q % nx, y = (q / nx) % ny, z = q / (nx * ny);
        for (long dz = -r; dz <= r; dz++)
            for (long dy = -ry; dy <= ry; dy++)
                for (long dx = -r; dx <= r; dx++) {
                    long X = (long)x + dx, Y = (long)y + dy, Z = (long)z + dz;
                    if (X < 0 || Y < 0 || Z < 0 || X >= (long)nx || Y >= (long)ny || Z >= (long)nz)
                        continue;
                    size_t v = (size_t)X + nx * ((size_t)Y + ny * (size_t)Z);
                    if (a->mask[v] != 1)
                        continue;
                    a->mask[v] = 3;
                    if (push(b, v))
                        return -1;
                }
    }
    return 0;
}

/* BFS over voxels marked `from` (re-marking them `to`) from s; returns the
 * last voxel reached and its step count (26-neighbour steps). */
static size_t sweep(csf_dyn_analyzer *a, size_t s, uint8_t from, uint8_t to, bfs *w, size_t *steps)
{
    const size_t nx = a->dim[0], ny = a->dim[1], nz = a->dim[2];
    w->n = 0;
    a->mask[s] = to;
    if (push(w, s))
        return (size_t)-1;
    size_t head = 0, last = s, layer_end = 1;
    *steps = 0;
    while (head < w->n) {
        size_t q = w->q[head++], x = q % nx, y = (q / nx) % ny, z = q / (nx * ny);
        last = q;
        for (int dz = -1; dz <= 1; dz++)
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    long X = (long)x + dx, Y = (long)y + dy, Z = (long)z + dz;
                    if (X < 0 || Y < 0 || Z < 0 || X >= (long)nx || Y >= (long)ny || Z >= (long)nz)
                        continue;
                    size_t v = (size_t)X + nx * ((size_t)Y + ny * (size_t)Z);
                    if (a->mask[v] != from)
                        continue;
                    a->mask[v] = to;
                    if (push(w, v))
                        return (size_t)-1;
                }
        if (head == layer_end && head < w->n) {
            (*steps)++;
            layer_end = w->n;
        }
    }
    return last;
}

/* Geodesic length (mm) of the component by a double sweep: the farthest voxel
 * from any voxel is an end; the farthest from that end gives the length. A
 * step is taken as the mean in-plane / through-plane voxel size. */
static double geodesic_mm(csf_dyn_analyzer *a, const bfs *b, bfs *w)
{
    size_t steps = 0;
    size_t e = sweep(a, b->q[0], 3, 4, w, &steps);
    if (e == (size_t)-1)
        return NAN;
    e = sweep(a, e, 4, 5, w, &steps);
    if (e == (size_t)-1)
        return NAN;
    double vs = 0;
    int k = 0;
    for (int i = 0; i < 3; i++)
        if (a->dim[i] > 1) {
            vs += a->spacing[i];
            k++;
        }
    return ((double)steps + 1) * vs / k;
}

static void measure(const csf_dyn_analyzer *a, const bfs *b, dyn_comp *c)
{
    const size_t nx = a->dim[0], ny = a->dim[1];
    memset(c, 0, sizeof *c);
    c->site = -1;
    c->n = b->n;
    c->zmin = (size_t)-1;
    c->reach_mm = 0;
    for (size_t i = 0; i < b->n; i++) {
        size_t q = b->q[i], x = q % nx, y = (q / nx) % ny, z = q / (nx * ny);
        double p[3] = {(double)x * a->spacing[0], (double)y * a->spacing[1],
                       (double)z * a->spacing[2]};
        for (int k = 0; k < 3; k++)
            c->sum[k] += p[k];
        c->sum2[0] += p[0] * p[0];
        c->sum2[1] += p[1] * p[1];
        c->sum2[2] += p[2] * p[2];
        c->sum2[3] += p[0] * p[1];
        c->sum2[4] += p[0] * p[2];
        c->sum2[5] += p[1] * p[2];
        c->zmin = z < c->zmin ? z : c->zmin;
        c->zmax = z > c->zmax ? z : c->zmax;
        double r = csf_dyn_beyond_wall(a, (double)x, (double)y, z);
        if (isfinite(r) && r > c->reach_mm)
            c->reach_mm = r;
        int sm = a->sitemap[q] ? (int)a->sitemap[q] - 1 : -1;
        if (sm >= 0 && (c->site < 0 || sm < c->site))
            c->site = sm;
    }
}

static void mm_to_world(const csf_dyn_analyzer *a, const double mm[3], double w[3])
{
    double ijk[3] = {mm[0] / a->spacing[0], mm[1] / a->spacing[1], mm[2] / a->spacing[2]};
    for (int r = 0; r < 3; r++)
        w[r] = a->affine[r][0] * ijk[0] + a->affine[r][1] * ijk[1] + a->affine[r][2] * ijk[2] +
               a->affine[r][3];
}

/* Side from the column centre to the blob centre in the axial plane (RAS:
 * +x right, +y anterior). In a frontal projection the depth is lost: a blob
 * straddling the column (centre within a quarter of its half width) is read as
 * ventral epidural spread, the usual finding on a prone study. */
static csf_dyn_side side_of(const csf_dyn_analyzer *a, const double mm[3])
{
    size_t z = (size_t)lround(mm[2] / a->spacing[2]);
    if (z >= a->dim[2])
        z = a->dim[2] - 1;
    const dyn_slice *m = &a->model[z];
    if (!m->filled)
        return mm[0] >= 0.5 * (double)a->dim[0] * a->spacing[0] ? CSF_DYN_RIGHT : CSF_DYN_LEFT;
    double dx = mm[0] - m->cx * a->spacing[0], dy = mm[1] - m->cy * a->spacing[1];
    /* the affine's sign decides which way +i points; canonical grids are RAS */
    if (a->dim[1] == 1 && fabs(dx) < 0.25 * m->r_mm)
        return CSF_DYN_VENTRAL;
    if (fabs(dx) >= fabs(dy))
        return dx >= 0 ? CSF_DYN_RIGHT : CSF_DYN_LEFT;
    return dy >= 0 ? CSF_DYN_VENTRAL : CSF_DYN_DORSAL;
}

static csf_status new_site(csf_dyn_analyzer *a, const dyn_comp *c, csf_error *err)
{
    if (a->nsites >= 65535)
        return csf_error_set(err, CSF_ERR_FORMAT, "dynamic: more than 65535 extrathecal sites");
    if (a->nsites == a->sites_cap) {
        size_t nc = a->sites_cap ? 2 * a->sites_cap : 8;
        dyn_site *s = realloc(a->sites, nc * sizeof *s);
        if (s == NULL)
            return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
        a->sites = s;
        a->sites_cap = nc;
    }
    dyn_site *s = &a->sites[a->nsites];
    memset(s, 0, sizeof *s);
    s->size = calloc(a->cap, sizeof *s->size);
    if (s->size == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
    double n = (double)c->n, mm[3] = {c->sum[0] / n, c->sum[1] / n, c->sum[2] / n};
    s->pub.frame = a->nframes;
    s->pub.time = a->frames[a->nframes].time;
    mm_to_world(a, mm, s->pub.center_mm);
    s->pub.level = csf_dyn_levels_at(&a->lv, s->pub.center_mm[2]);
    s->pub.side = side_of(a, mm);
    s->pub.size_first = n * csf_dyn_unit(a);
    a->nsites++;
    return CSF_OK;
}

/* Adds component c to site si for this frame (moments merged into the
 * site's frame accumulator acc[si]). */
typedef struct acc {
    double n, sum[3], sum2[6], reach, geo;
} acc;

static void add_to(acc *ac, const dyn_comp *c)
{
    ac->n += (double)c->n;
    for (int k = 0; k < 3; k++)
        ac->sum[k] += c->sum[k];
    for (int k = 0; k < 6; k++)
        ac->sum2[k] += c->sum2[k];
    ac->reach = fmax(ac->reach, c->reach_mm);
    ac->geo = fmax(ac->geo, c->geo_mm);
}

static void close_frame(csf_dyn_analyzer *a, const acc *ac)
{
    double unit = csf_dyn_unit(a);
    for (size_t i = 0; i < a->nsites; i++) {
        dyn_site *s = &a->sites[i];
        double sz = ac[i].n * unit;
        s->size[a->nframes] = sz;
        if (!(sz > s->pub.size_max) || ac[i].n < 1)
            continue;
        s->pub.size_max = sz;
        s->pub.reach_mm = ac[i].reach;
        s->geo_at_max = ac[i].geo;
        double n = ac[i].n;
        for (int k = 0; k < 3; k++)
            s->mean_at_max[k] = ac[i].sum[k] / n;
        const int pa[6][2] = {{0, 0}, {1, 1}, {2, 2}, {0, 1}, {0, 2}, {1, 2}};
        for (int k = 0; k < 6; k++)
            s->cov_at_max[k] =
                ac[i].sum2[k] / n - s->mean_at_max[pa[k][0]] * s->mean_at_max[pa[k][1]];
    }
}

/* Flooding: when the first site appears, does extrathecal contrast already run
 * along most of the filled column? */
static void check_flood(csf_dyn_analyzer *a, size_t zlo, size_t zhi)
{
    a->flood_checked = 1;
    long top = -1, bot = -1;
    for (size_t z = 0; z < a->dim[2]; z++)
        if (a->slices[z].filled) {
            if (bot < 0)
                bot = (long)z;
            top = (long)z;
        }
    double ext = ((double)zhi - (double)zlo + 1) * a->spacing[2];
    double col = top >= 0 ? (double)(top - bot + 1) * a->spacing[2] : 0;
    a->flooded = ext >= FLOOD_MIN_MM && ext >= FLOOD_FRACTION * col;
}

/* The frame's components, their voxels stored back to back. */
typedef struct frame_comps {
    dyn_comp *c;
    size_t *off, n, cap;
    bfs vox;
} frame_comps;

static csf_status collect(csf_dyn_analyzer *a, frame_comps *fc, size_t *total, csf_error *err)
{
    const size_t nvox = a->dim[0] * a->dim[1] * a->dim[2];
    bfs b = {0}, w = {0};
    csf_status st = CSF_OK;
    for (size_t i = 0; i < nvox && st == CSF_OK; i++) {
        if (a->mask[i] != 1)
            continue;
        if (grow_comp(a, i, &b)) {
            st = csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
            break;
        }
        if (fc->n == fc->cap) {
            size_t nc = fc->cap ? 2 * fc->cap : 64;
            dyn_comp *c = realloc(fc->c, nc * sizeof *c);
            if (c != NULL)
                fc->c = c;
            size_t *o = c != NULL ? realloc(fc->off, (nc + 1) * sizeof *o) : NULL;
            if (o == NULL) {
                st = csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
                break;
            }
            fc->off = o;
            fc->cap = nc;
        }
        dyn_comp *c = &fc->c[fc->n];
        measure(a, &b, c);
        c->geo_mm = geodesic_mm(a, &b, &w);
        *total += c->n;
        fc->off[fc->n] = fc->vox.n;
        for (size_t k = 0; k < b.n && st == CSF_OK; k++)
            if (push(&fc->vox, b.q[k]))
                st = csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
        fc->n++;
        fc->off[fc->n] = fc->vox.n;
    }
    free(b.q);
    free(w.q);
    return st;
}

static void merge_comp(dyn_comp *d, const dyn_comp *s)
{
    d->n += s->n;
    for (int k = 0; k < 3; k++)
        d->sum[k] += s->sum[k];
    for (int k = 0; k < 6; k++)
        d->sum2[k] += s->sum2[k];
    d->zmin = s->zmin < d->zmin ? s->zmin : d->zmin;
    d->zmax = s->zmax > d->zmax ? s->zmax : d->zmax;
    d->reach_mm = fmax(d->reach_mm, s->reach_mm);
    d->geo_mm = fmax(d->geo_mm, s->geo_mm);
}

/* Runs along the column (z spread at least 1.5 x the lateral spread), as
 * epidural spread does and a root sleeve, which runs laterally, does not. */
static int longitudinal(const dyn_comp *c)
{
    double n = (double)c->n, mx = c->sum[0] / n, mz = c->sum[2] / n;
    double vx = c->sum2[0] / n - mx * mx, vz = c->sum2[2] / n - mz * mz;
    return vz >= 2.25 * vx;
}

/* In a frontal projection, contrast spreading in front of (or behind) the sac
 * shows as two longitudinal bands, one either side of the column over the same
 * levels: one structure. Pairs of new such blobs on opposite sides whose z
 * ranges overlap by at least half the shorter one are merged (j into i; j gets
 * n = 0). */
static void pair_bands(const csf_dyn_analyzer *a, frame_comps *fc, int *partner)
{
    for (size_t i = 0; i < fc->n; i++)
        partner[i] = -1;
    if (a->dim[1] != 1)
        return;
    for (size_t i = 0; i < fc->n; i++) {
        dyn_comp *ci = &fc->c[i];
        if (ci->site >= 0 || ci->n == 0 || partner[i] >= 0 || !longitudinal(ci))
            continue;
        for (size_t j = i + 1; j < fc->n; j++) {
            dyn_comp *cj = &fc->c[j];
            if (cj->site >= 0 || cj->n == 0 || partner[j] >= 0 || !longitudinal(cj))
                continue;
            size_t zc = (size_t)lround(ci->sum[2] / (double)ci->n / a->spacing[2]);
            const dyn_slice *m = &a->model[zc < a->dim[2] ? zc : a->dim[2] - 1];
            if (!m->filled)
                continue;
            double xc = m->cx * a->spacing[0];
            double xi = ci->sum[0] / (double)ci->n - xc, xj = cj->sum[0] / (double)cj->n - xc;
            size_t lo = ci->zmin > cj->zmin ? ci->zmin : cj->zmin;
            size_t hi = ci->zmax < cj->zmax ? ci->zmax : cj->zmax;
            size_t li = ci->zmax - ci->zmin + 1, lj = cj->zmax - cj->zmin + 1;
            if (xi * xj >= 0 || hi < lo || 2 * (hi - lo + 1) < (li < lj ? li : lj))
                continue;
            merge_comp(ci, cj);
            cj->n = 0;
            partner[i] = (int)j;
            partner[j] = (int)i;
            break;
        }
    }
}

static csf_status assign(csf_dyn_analyzer *a, frame_comps *fc, const int *partner, acc **ac,
                         size_t *nac, size_t *zlo, size_t *zhi, csf_error *err)
{
    double unit = csf_dyn_unit(a);
    for (size_t i = 0; i < fc->n; i++) {
        dyn_comp *c = &fc->c[i];
        if (c->n == 0)
            continue;
        double size = (double)c->n * unit;
        int big = is_site(a, size, c->reach_mm), si = c->site;
        if (big) {
            *zlo = c->zmin < *zlo ? c->zmin : *zlo;
            *zhi = c->zmax > *zhi ? c->zmax : *zhi;
        }
        if (si < 0 && big) {
            csf_status st = new_site(a, c, err);
            if (st != CSF_OK)
                return st;
            si = (int)a->nsites - 1;
            a->sites[si].bilateral = partner[i] >= 0;
        }
        if (si < 0)
            continue;
        if ((size_t)si >= *nac) {
            size_t nn = a->nsites + 8;
            acc *t = realloc(*ac, nn * sizeof *t);
            if (t == NULL)
                return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
            memset(t + *nac, 0, (nn - *nac) * sizeof *t);
            *ac = t;
            *nac = nn;
        }
        add_to(&(*ac)[si], c);
        for (int pass = 0; pass < 2; pass++) {
            size_t k = pass ? (size_t)partner[i] : i;
            if (pass && partner[i] < 0)
                break;
            for (size_t v = fc->off[k]; v < fc->off[k + 1]; v++)
                if (a->sitemap[fc->vox.q[v]] == 0)
                    a->sitemap[fc->vox.q[v]] = (uint16_t)(si + 1);
        }
    }
    return CSF_OK;
}

csf_status csf_dyn_sites_update(csf_dyn_analyzer *a, double *extra_size, csf_error *err)
{
    frame_comps fc = {0};
    acc *ac = NULL;
    size_t nac = 0, had = a->nsites, zlo = (size_t)-1, zhi = 0, total = 0;
    csf_status st = collect(a, &fc, &total, err);
    int *partner = st == CSF_OK && fc.n ? malloc(fc.n * sizeof *partner) : NULL;
    if (st == CSF_OK && fc.n && partner == NULL)
        st = csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
    if (st == CSF_OK && fc.n) {
        pair_bands(a, &fc, partner);
        st = assign(a, &fc, partner, &ac, &nac, &zlo, &zhi, err);
    }
    if (st == CSF_OK && a->nsites > 0) {
        acc *t = nac < a->nsites ? realloc(ac, a->nsites * sizeof *t) : ac;
        if (t == NULL)
            st = csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
        else {
            if (nac < a->nsites)
                memset(t + nac, 0, (a->nsites - nac) * sizeof *t);
            ac = t;
            close_frame(a, ac);
        }
    }
    if (st == CSF_OK && had == 0 && a->nsites > 0 && !a->flood_checked)
        check_flood(a, zlo, zhi);
    *extra_size = (double)total * csf_dyn_unit(a);
    free(partner);
    free(fc.c);
    free(fc.off);
    free(fc.vox.q);
    free(ac);
    return st;
}

/* Eigenvalues of a symmetric 3x3 (xx, yy, zz, xy, xz, yz), descending,
 * clamped at 0 (a covariance cannot be negative; rounding can make it so). */
static void eig3(const double c[6], double ev[3])
{
    const double m[9] = {c[0], c[3], c[4], c[3], c[1], c[5], c[4], c[5], c[2]};
    double vec[9];
    csf_img_sym3_eigen(m, ev, vec);
    for (int i = 0; i < 3; i++)
        ev[i] = fmax(ev[i], 0);
}

/* Kind from shape at the largest extent and from the growth curve:
 *  cvf          a tube: the mean cross-section over the geodesic length
 *               (volume / length; area / length in projection) is no wider
 *               than a paraspinal vein (6 mm, plus one voxel of partial
 *               volume), the length is at least 3 diameters, and it runs
 *               beyond the canal (>= 10 mm from the sac wall: a vein outside
 *               the foramen, not epidural spread);
 *  diverticulum compact (first two principal axes within 2x) and filled: no
 *               growth beyond 25 % after the frame following its appearance,
 *               and not bilateral (a pouch from one sleeve cannot show as bands
 *               either side of the column in projection);
 *  leak         anything else (contrast that keeps spreading). */
void csf_dyn_sites_classify(csf_dyn_analyzer *a)
{
    int three = a->dim[1] > 1;
    double vox = fmax(a->spacing[0], three ? a->spacing[1] : 0);
    for (size_t i = 0; i < a->nsites; i++) {
        dyn_site *s = &a->sites[i];
        double ev[3];
        eig3(s->cov_at_max, ev);
        double s1 = sqrt(ev[0]), s2 = sqrt(ev[1]);
        s->pub.length_mm = s->geo_at_max;
        double L = s->geo_at_max, V = s->pub.size_max;
        double d = L > 0 ? (three ? 2 * sqrt(V / (M_PI * L)) : V / L) : INFINITY;
        s->pub.width_mm = d;
        size_t f = s->pub.frame, last = a->nframes - 1;
        double ref = f + 1 <= last ? s->size[f + 1] : s->size[f];
        int plateau = f + 1 < last ? s->size[last] <= 1.25 * ref : 0;
        if (d <= VEIN_MAX_MM + vox && L >= 3 * d && s->pub.reach_mm >= CANAL_EXIT_MM)
            s->pub.kind = CSF_DYN_CVF;
        else if (s1 <= 2 * s2 && plateau && !s->bilateral)
            s->pub.kind = CSF_DYN_DIVERTICULUM;
        else
            s->pub.kind = CSF_DYN_LEAK;
    }
}
