/* CTM / DSM frame tracking. Each frame is brought into the analysis domain
 * (CT: HU; raw DSM: -ln I, so iodine adds linearly; pre-subtracted DSM: as
 * given, contrast made positive), shifted onto frame 0, and turned into the
 * enhancement E = frame - reference. Contrast is E above the larger of
 *   5 noise s.d. (robust, from the median absolute deviation),
 *   10 % of the column's own enhancement (contrast diluted tenfold is no
 *   longer distinguishable from tissue variation on any of these studies),
 *   and for CT 50 HU (below that, enhancement overlaps soft-tissue variation).
 * The contrast column (the thecal sac) is modelled slice by slice from the
 * frame in which each slice first fills; everything contrast-filled beyond
 * its wall is extrathecal. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/img_stats.h"
#include "dyn_internal.h"

#define CT_FLOOR_HU 50.0
#define MIN_RADIUS_MM 3.0    /* smallest sac cross-section taken as the column (conus end) */
#define MODEL_HALF_MM 10.0   /* median window of the column model along z */
#define WALL_MARGIN_MM 1.0   /* dura beyond the fitted wall (partial volume is inside the fit) */
#define FAT_HU (-30.0)       /* epidural fat is below this, CSF (0-15 HU) above */
#define BONE_HU 150.0        /* canal wall bone is above this */

static double margin_mm(const csf_dyn_analyzer *a)
{
    double s = a->spacing[0];
    if (a->dim[1] > 1 && a->spacing[1] > s)
        s = a->spacing[1];
    return fmax(WALL_MARGIN_MM, 0.75 * s);
}

int csf_dyn_in_sac(const csf_dyn_analyzer *a, size_t x, size_t y, size_t z)
{
    const dyn_slice *m = &a->model[z];
    if (!m->filled)
        return 0;
    double dx = ((double)x - m->cx) * a->spacing[0], dy = ((double)y - m->cy) * a->spacing[1];
    double rr = m->r_mm + margin_mm(a);
    return dx * dx + dy * dy <= rr * rr;
}

double csf_dyn_beyond_wall(const csf_dyn_analyzer *a, double x, double y, size_t z)
{
    const dyn_slice *m = &a->model[z];
    if (!m->filled)
        return NAN;
    double dx = (x - m->cx) * a->spacing[0], dy = (y - m->cy) * a->spacing[1];
    return sqrt(dx * dx + dy * dy) - m->r_mm;
}

static csf_status first_frame(csf_dyn_analyzer *a, csf_volume *f, csf_error *err)
{
    size_t nvox = csf_volume_nvox(f);
    a->sitemap = calloc(nvox, sizeof *a->sitemap);
    a->slices = calloc(a->dim[2], sizeof *a->slices);
    a->model = calloc(a->dim[2], sizeof *a->model);
    if (!a->sitemap || !a->slices || !a->model)
        return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory for %zu voxels", nvox);
    a->clip[0] = -200;
    a->clip[1] = 300;
    if (a->p.modality == CSF_DYN_DSM) {
        double q[2];
        const double pq[2] = {1, 99};
        csf_status st = csf_img_percentiles(f->data, nvox, pq, 2, q, NULL, err);
        if (st != CSF_OK)
            return st;
        if (a->p.dsm_subtracted < 0)
            a->p.dsm_subtracted = !(q[0] > 0);
        if (!a->p.dsm_subtracted) {
            for (size_t i = 0; i < nvox; i++)
                f->data[i] = -logf(fmaxf(f->data[i], 1e-6f));
            a->clip[0] = -log(fmax(q[1], 1e-6));
            a->clip[1] = -log(fmax(q[0], 1e-6));
        }
    }
    csf_status st = CSF_OK;
    if (a->lv.n == 0 && a->p.modality == CSF_DYN_DSM && a->p.dsm_subtracted)
        snprintf(a->lv_info.reason, sizeof a->lv_info.reason,
                 "pre-subtracted DSM frames show no bone: give --levels");
    else if (a->lv.n == 0) /* before the 3x3x3 maximum, which would fill the discs */
        st = csf_dyn_levels_find(f, a->p.modality, &a->lv, &a->lv_info, err);
    if (st == CSF_OK)
        st = csf_dyn_motion_profiles(f, a->clip[0], a->clip[1], &a->ref_prof, err);
    if (st == CSF_OK)
        st = csf_volume_clone(f, &a->ref, err);
    if (st == CSF_OK && !(a->p.modality == CSF_DYN_DSM && a->p.dsm_subtracted))
        st = csf_dyn_max_filter(a->ref, err);
    return st;
}

/* Pre-subtracted DSM: contrast polarity from the heavier tail. */
static void presub_sign(csf_dyn_analyzer *a, const csf_volume *f)
{
    if (a->sign != 0)
        return;
    double q[3];
    const double pq[3] = {0.1, 50, 99.9};
    if (csf_img_percentiles(f->data, csf_volume_nvox(f), pq, 3, q, NULL, NULL) != CSF_OK)
        return;
    double hi = q[2] - q[1], lo = q[1] - q[0];
    if (hi > 2 * lo)
        a->sign = 1;
    else if (lo > 2 * hi)
        a->sign = -1;
}

/* After a shift, voxels near the edges were filled by replicating the edge:
 * they hold no new information and would show the moved body outline as
 * contrast. Their enhancement is set to 0 (a band of ceil(|s|) + 1 voxels). */
static void clear_border(csf_volume *f, const double s[3])
{
    const size_t nx = f->dim[0], ny = f->dim[1], nz = f->dim[2];
    size_t b[3];
    for (int k = 0; k < 3; k++) {
        b[k] = s[k] != 0 && f->dim[k] > 1 ? (size_t)ceil(fabs(s[k])) + 1 : 0;
        if (2 * b[k] > f->dim[k])
            b[k] = (f->dim[k] + 1) / 2;
    }
    for (size_t z = 0; z < nz; z++)
        for (size_t y = 0; y < ny; y++) {
            float *row = f->data + nx * (y + ny * z);
            if (z < b[2] || z + b[2] >= nz || y < b[1] || y + b[1] >= ny) {
                memset(row, 0, nx * sizeof *row);
                continue;
            }
            for (size_t x = 0; x < b[0]; x++)
                row[x] = row[nx - 1 - x] = 0;
        }
}

typedef struct sub_ctx {
    float *f;
    const float *r;
} sub_ctx;

static csf_status sub_chunk(void *ctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    (void)err;
    const sub_ctx *c = ctx;
    for (size_t i = b; i < e; i++)
        c->f[i] -= c->r[i];
    return CSF_OK;
}

static csf_status to_enhancement(csf_dyn_analyzer *a, csf_volume *f, csf_dyn_frame *fr,
                                 const csf_exec *ex, csf_error *err)
{
    size_t nvox = csf_volume_nvox(f);
    int raw_dsm = a->p.modality == CSF_DYN_DSM && !a->p.dsm_subtracted;
    if (raw_dsm)
        for (size_t i = 0; i < nvox; i++)
            f->data[i] = -logf(fmaxf(f->data[i], 1e-6f));
    if (a->p.modality == CSF_DYN_DSM && a->p.dsm_subtracted) {
        presub_sign(a, f);
        float s = a->sign < 0 ? -1.0f : 1.0f;
        for (size_t i = 0; i < nvox; i++)
            f->data[i] *= s;
        return CSF_OK;
    }
    if (a->p.motion) {
        csf_status st = csf_dyn_motion_from_profiles(a->ref_prof, f, a->clip[0], a->clip[1], 10,
                                                fr->shift_vox, err);
        if (st == CSF_OK && (fr->shift_vox[0] != 0 || fr->shift_vox[1] != 0 ||
                             fr->shift_vox[2] != 0))
            st = csf_dyn_motion_apply(f, fr->shift_vox, ex, err);
        if (st != CSF_OK)
            return st;
    }
    sub_ctx sc = {f->data, a->ref->data};
    csf_status st = csf_parallel_for(ex, nvox, 1u << 18, sub_chunk, &sc, err);
    clear_border(f, fr->shift_vox);
    return st;
}

/* Noise s.d. (1.4826 MAD of a strided sample) and the threshold. */
static csf_status threshold(csf_dyn_analyzer *a, const csf_volume *f, double *thr, csf_error *err)
{
    /* about a million samples (odd stride: no alignment with rows) */
    size_t nvox = csf_volume_nvox(f), stride = nvox > 1000000 ? (nvox / 1000000) | 1 : 1;
    size_t m = 0;
    float *s = malloc((nvox + stride - 1) / stride * sizeof *s);
    if (s == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
    for (size_t i = 0; i < nvox; i += stride)
        s[m++] = f->data[i];
    const double p50 = 50;
    double med = 0, mad = 0;
    csf_status st = csf_img_percentiles(s, m, &p50, 1, &med, NULL, err);
    for (size_t j = 0; j < m && st == CSF_OK; j++)
        s[j] = fabsf(s[j] - (float)med);
    if (st == CSF_OK)
        st = csf_img_percentiles(s, m, &p50, 1, &mad, NULL, err);
    double noise = 1.4826 * mad, t5 = med + 5 * fmax(noise, 1e-6);
    size_t nc = 0;
    for (size_t i = 0; i < nvox && st == CSF_OK; i += stride)
        if (f->data[i] > t5)
            s[nc++] = f->data[i];
    if (st == CSF_OK && nc >= 8) {
        const double p90 = 90;
        double q = 0;
        st = csf_img_percentiles(s, nc, &p90, 1, &q, NULL, err);
        if (q - med > a->sac_signal)
            a->sac_signal = q - med;
    }
    free(s);
    /* In projection (DSM) a structure's signal is concentration x thickness:
     * the 10 % concentration rule scales by a 2 mm vessel over a 12 mm sac. */
    double rel = a->p.modality == CSF_DYN_DSM ? 0.1 * 2.0 / 12.0 : 0.1;
    double t = fmax(5 * noise, rel * a->sac_signal);
    if (a->p.modality == CSF_DYN_CTM)
        t = fmax(t, CT_FLOOR_HU);
    *thr = med + t;
    return st;
}

/* Largest 4-connected component of the mask in slice z: area (mm2, or width
 * in mm for a 1-D row) and centroid (voxels). Visited voxels are marked 8 and
 * restored to 1 at the end; stack: nx*ny scratch. */
static void largest_2d(const csf_dyn_analyzer *a, size_t z, size_t *stack, double *area,
                       double *cx, double *cy)
{
    const size_t nx = a->dim[0], ny = a->dim[1], np = nx * ny;
    uint8_t *m = a->mask + np * z;
    size_t best = 0;
    *area = 0;
    if (nx == 0 || ny == 0) /* no slice to search (volumes have dims >= 1) */
        return;
    for (size_t s0 = 0; s0 < np; s0++) {
        if (m[s0] != 1)
            continue;
        size_t top = 0, n = 0;
        double sx = 0, sy = 0;
        m[s0] = 8;
        stack[top++] = s0;
        while (top > 0) {
            size_t q = stack[--top], x = q % nx, y = q / nx;
            n++;
            sx += (double)x;
            sy += (double)y;
            size_t nb[4];
            int k = 0;
            if (x > 0) nb[k++] = q - 1;
            if (x < nx - 1) nb[k++] = q + 1;
            if (y > 0) nb[k++] = q - nx;
            if (y < ny - 1) nb[k++] = q + nx;
            for (int i = 0; i < k; i++)
                if (m[nb[i]] == 1) {
                    m[nb[i]] = 8;
                    stack[top++] = nb[i];
                }
        }
        if (n > best) {
            best = n;
            *cx = sx / (double)n;
            *cy = sy / (double)n;
        }
    }
    if (best > 0)
        for (size_t q = 0; q < np; q++)
            if (m[q] == 8)
                m[q] = 1;
    double unit = a->spacing[0] * (ny > 1 ? a->spacing[1] : 1);
    *area = (double)best * unit;
}

static double area_of_radius(const csf_dyn_analyzer *a, double r)
{
    return a->dim[1] > 1 ? M_PI * r * r : 2 * r;
}

static double radius_of_area(const csf_dyn_analyzer *a, double ar)
{
    return a->dim[1] > 1 ? sqrt(ar / M_PI) : ar / 2;
}

/* CT: radius of the water-density sac around (cx, cy) in the native
 * reference (frame 0, neighbourhood maximum): the median over 16 rays of
 * the distance to the first fat or bone voxel, less the one voxel the maximum
 * filter added. Contrast already outside the dura when a slice first fills
 * (a leak, or a flooded static study) then cannot widen the sac. NaN when no
 * ray finds a boundary within 20 mm. */
static double native_radius(const csf_dyn_analyzer *a, size_t z, double cx, double cy)
{
    if (a->p.modality != CSF_DYN_CTM)
        return NAN;
    const size_t nx = a->dim[0], ny = a->dim[1];
    const float *sl = a->ref->data + nx * ny * z;
    double d[16], step = 0.5 * fmin(a->spacing[0], a->spacing[1]);
    size_t n = 0;
    for (int k = 0; k < 16; k++) {
        double ang = 2 * M_PI * k / 16, ux = cos(ang), uy = sin(ang);
        for (double r = step; r <= 20; r += step) {
            long x = lround(cx + r * ux / a->spacing[0]), y = lround(cy + r * uy / a->spacing[1]);
            if (x < 0 || y < 0 || x >= (long)nx || y >= (long)ny)
                break;
            float v = sl[(size_t)x + nx * (size_t)y];
            if (v < FAT_HU || v > BONE_HU) {
                d[n++] = r;
                break;
            }
        }
    }
    if (n < 8)
        return NAN;
    double s[16];
    memcpy(s, d, n * sizeof *s);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && s[j - 1] > s[j]; j--) {
            double t = s[j];
            s[j] = s[j - 1];
            s[j - 1] = t;
        }
    return s[n / 2] - fmax(a->spacing[0], a->spacing[1]);
}

/* Median radius of the filled slices within 50 mm (NaN with fewer than 5). */
static double neighbour_radius(const csf_dyn_analyzer *a, size_t z)
{
    long w = (long)ceil(50.0 / a->spacing[2]), step = w > 32 ? w / 32 : 1;
    double v[80];
    size_t n = 0;
    for (long k = (long)z - w; k <= (long)z + w && n < 80; k += step)
        if (k >= 0 && k < (long)a->dim[2] && k != (long)z && a->slices[k].filled)
            v[n++] = a->slices[k].r_mm;
    if (n < 5)
        return NAN;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

/* The sac's width changes slowly along the spine: a slice that first fills
 * much wider than its filled neighbours (contrast already outside the dura)
 * takes their width; CT also caps it at the native water-density radius. */
static double capped_radius(const csf_dyn_analyzer *a, size_t z, double cx, double cy, double r)
{
    double rn = native_radius(a, z, cx, cy);
    if (isfinite(rn) && rn >= MIN_RADIUS_MM && rn < r)
        r = rn;
    double nb = neighbour_radius(a, z);
    return isfinite(nb) && r > 1.15 * nb ? 1.15 * nb : r;
}

/* Sets the per-slice column record the first time a slice fills; lets it grow
 * while the same blob completes (a filling front), never when it jumps. */
static csf_status update_slices(csf_dyn_analyzer *a, long *lo, long *hi, csf_error *err)
{
    *lo = (long)a->dim[2];
    *hi = -1;
    const size_t np = a->dim[0] * a->dim[1];
    size_t *stack = malloc(np * sizeof *stack);
    if (stack == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
    double amin = area_of_radius(a, MIN_RADIUS_MM);
    for (size_t z = 0; z < a->dim[2]; z++) {
        double ar = 0, cx = 0, cy = 0;
        largest_2d(a, z, stack, &ar, &cx, &cy);
        dyn_slice *s = &a->slices[z];
        if (!s->filled) {
            if (ar >= amin) {
                *s = (dyn_slice){1, cx, cy, capped_radius(a, z, cx, cy, radius_of_area(a, ar))};
                *lo = (long)z < *lo ? (long)z : *lo;
                *hi = (long)z > *hi ? (long)z : *hi;
            }
            continue;
        }
        double old = area_of_radius(a, s->r_mm);
        double d = hypot((cx - s->cx) * a->spacing[0], (cy - s->cy) * a->spacing[1]);
        if (ar > old && ar <= 1.3 * old && d <= 0.5 * s->r_mm) {
            *s = (dyn_slice){1, cx, cy, capped_radius(a, z, cx, cy, radius_of_area(a, ar))};
            *lo = (long)z < *lo ? (long)z : *lo;
            *hi = (long)z > *hi ? (long)z : *hi;
        }
    }
    free(stack);
    return CSF_OK;
}

static int cmp_d(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Median of the filled slice records within +-MODEL_HALF_MM: a leak blob that
 * inflated a few slices when they first filled does not bend the column. */
static csf_status smooth_model(csf_dyn_analyzer *a, long lo, long hi, csf_error *err)
{
    const size_t nz = a->dim[2];
    long w = (long)ceil(MODEL_HALF_MM / a->spacing[2]);
    if (hi < lo)
        return CSF_OK; /* no slice record changed: the model stands */
    size_t z0 = lo - w > 0 ? (size_t)(lo - w) : 0, z1 = (size_t)(hi + w + 1);
    z1 = z1 < nz ? z1 : nz;
    double *buf = malloc(3 * (size_t)(2 * w + 1) * sizeof *buf);
    if (buf == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
    double *bx = buf, *by = buf + 2 * w + 1, *br = by + 2 * w + 1;
    for (size_t z = z0; z < z1; z++) {
        size_t n = 0;
        for (long k = (long)z - w; k <= (long)z + w; k++) {
            if (k < 0 || k >= (long)nz || !a->slices[k].filled)
                continue;
            bx[n] = a->slices[k].cx;
            by[n] = a->slices[k].cy;
            br[n] = a->slices[k].r_mm;
            n++;
        }
        dyn_slice *m = &a->model[z];
        m->filled = n > 0;
        if (n > 0) {
            m->cx = median(bx, n);
            m->cy = median(by, n);
            m->r_mm = median(br, n);
        }
    }
    free(buf);
    return CSF_OK;
}

/* Sac filling (slices whose model disc is at least half contrast) and size;
 * marks contrast inside the column model 2 in the mask. */
static void sac_stats(csf_dyn_analyzer *a, csf_dyn_frame *fr)
{
    const size_t nx = a->dim[0], ny = a->dim[1];
    double unit = csf_dyn_unit(a), pix = a->spacing[0] * (ny > 1 ? a->spacing[1] : 1);
    long top = -1, bot = -1;
    for (size_t z = 0; z < a->dim[2]; z++) {
        if (!a->model[z].filled)
            continue;
        size_t in = 0;
        for (size_t y = 0; y < ny; y++)
            for (size_t x = 0; x < nx; x++) {
                uint8_t *m = &a->mask[x + nx * (y + ny * z)];
                if (*m && csf_dyn_in_sac(a, x, y, z)) {
                    *m = 2; /* inside the column: not extrathecal (sites.c) */
                    in++;
                }
            }
        fr->intrathecal += (double)in * unit;
        if ((double)in * pix >= 0.5 * area_of_radius(a, a->model[z].r_mm)) {
            if (bot < 0)
                bot = (long)z;
            top = (long)z;
        }
    }
    if (top >= 0) {
        double p0[3] = {0, 0, (double)bot}, p1[3] = {0, 0, (double)top}, w0[3], w1[3];
        csf_volume g = {.dim = {nx, ny, a->dim[2], 1}};
        memcpy(g.affine, a->affine, sizeof g.affine);
        csf_volume_ijk_to_ras(&g, p0, w0);
        csf_volume_ijk_to_ras(&g, p1, w1);
        fr->sac_top_mm = fmax(w0[2], w1[2]);
        fr->sac_bottom_mm = fmin(w0[2], w1[2]);
        fr->sac_height_mm = fr->sac_top_mm - fr->sac_bottom_mm;
    }
}

csf_status csf_dyn_track_frame(csf_dyn_analyzer *a, csf_volume *f, const csf_exec *ex,
                               csf_error *err)
{
    if (a->nframes == 0)
        return first_frame(a, f, err);
    csf_dyn_frame *fr = &a->frames[a->nframes];
    csf_status st = to_enhancement(a, f, fr, ex, err);
    double thr = 0;
    if (st == CSF_OK)
        st = threshold(a, f, &thr, err);
    if (st != CSF_OK)
        return st;
    /* The contrast mask overwrites the frame's own memory (byte i lies inside
     * float i/4, already read): no extra frame-sized buffer. */
    size_t nvox = csf_volume_nvox(f);
    uint8_t *m = (uint8_t *)f->data;
    for (size_t i = 0; i < nvox; i++)
        m[i] = f->data[i] > thr;
    a->mask = m;
    long lo = 0, hi = -1;
    st = update_slices(a, &lo, &hi, err);
    if (st == CSF_OK)
        st = smooth_model(a, lo, hi, err);
    if (st != CSF_OK) {
        a->mask = NULL;
        return st;
    }
    sac_stats(a, fr);
    size_t had = a->nsites;
    st = csf_dyn_sites_update(a, &fr->extrathecal, err);
    if (st == CSF_OK && had == 0 && a->nsites > 0 && a->key_rgb == NULL)
        st = csf_dyn_key_image(a, err);
    a->mask = NULL; /* borrowed from the frame */
    return st;
}
