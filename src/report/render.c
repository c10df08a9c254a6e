/* Projections of a voxel box in display orientation, windowed to 8 bits and
 * encoded as PNG data: URIs. Display orientation follows reading-room habit:
 * coronal and axial with the patient's right on the viewer's left, sagittal
 * with anterior on the left, superior (anterior for axial) at the top. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/io.h"
#include "report/page.h"

/* Largest displayed side in pixels: keeps a whole-spine report under 3 MB. */
#define CSF_VIEW_MAX_PX 900u

/* Voxel axes that become display columns and rows for a projection axis. */
static void view_axes(int axis, int *col, int *row)
{
    *col = axis == 0 ? 1 : 0;
    *row = axis == 2 ? 1 : 2;
}

void csf_view_map(const csf_page *pg, const csf_view *v, const double ras[3], double *x,
                  double *y)
{
    double ijk[3];
    *x = *y = NAN;
    if (pg->vol == NULL || csf_volume_ras_to_ijk(pg->vol, ras, ijk, NULL) != CSF_OK)
        return;
    int col, row;
    view_axes(v->axis, &col, &row);
    const double *sp = pg->vol->spacing;
    *x = ((double)v->hi[col] - ijk[col] + 0.5) * sp[col];
    *y = ((double)v->hi[row] - ijk[row] + 0.5) * sp[row];
}

/* Max projection of box [lo, hi] along axis into img (w x h, zeroed by the
 * caller), loops in memory order so every axis streams the volume once. */
static void project(const csf_volume *vol, int axis, const size_t lo[3], const size_t hi[3],
                    float *img, size_t w)
{
    const size_t nx = vol->dim[0], ny = vol->dim[1];
    for (size_t k = lo[2]; k <= hi[2]; k++) {
        for (size_t j = lo[1]; j <= hi[1]; j++) {
            const float *src = vol->data + nx * (j + ny * k);
            float *dst;
            if (axis == 0) {
                float m = -INFINITY;
                for (size_t i = lo[0]; i <= hi[0]; i++)
                    m = src[i] > m ? src[i] : m;
                float *p = img + (hi[2] - k) * w + (hi[1] - j);
                *p = m > *p ? m : *p;
                continue;
            }
            dst = axis == 1 ? img + (hi[2] - k) * w : img + (hi[1] - j) * w;
            for (size_t i = lo[0]; i <= hi[0]; i++) {
                float *p = dst + (hi[0] - i);
                *p = src[i] > *p ? src[i] : *p;
            }
        }
    }
}

typedef struct project_job {
    const csf_volume *vol;
    int axis;
    const size_t *lo, *hi;
    float *img;
    size_t w;
} project_job;

/* Slices [lo[2] + begin, lo[2] + end) of a coronal or sagittal projection: each
 * slice owns its own image row, so chunks never share output and the result is
 * the same for any thread count. */
static csf_status project_rows(void *ctx, size_t chunk, size_t begin, size_t end, csf_error *err)
{
    (void)chunk;
    (void)err;
    const project_job *j = ctx;
    size_t lo[3] = {j->lo[0], j->lo[1], j->lo[2] + begin};
    size_t hi[3] = {j->hi[0], j->hi[1], j->lo[2] + end - 1};
    /* project() indexes rows from hi[2]; shift the image so row hi[2]-k stays put */
    float *img = j->img + (j->hi[2] - hi[2]) * j->w;
    project(j->vol, j->axis, lo, hi, img, j->w);
    return CSF_OK;
}

/* The caller's projection of the whole volume along the view's axis
 * (csf_report_opts.mip), laid out as project() would: 1 when it was used. It
 * saves a full read of the volume per view; its maxima are project()'s. */
static int from_mip(const csf_page *pg, const csf_view *v, float *img, size_t w)
{
    const csf_volume *vol = pg->vol;
    const csf_volume *p = pg->opts != NULL && v->axis < 2 ? pg->opts->mip[v->axis] : NULL;
    if (p == NULL || p->data == NULL || p->dim[3] != 1)
        return 0;
    for (int a = 0; a < 3; a++)
        if (v->lo[a] != 0 || v->hi[a] != vol->dim[a] - 1 ||
            p->dim[a] != (a == v->axis ? 1 : vol->dim[a]))
            return 0;
    const size_t n = vol->dim[v->axis == 0 ? 1 : 0], nz = vol->dim[2];
    for (size_t k = 0; k < nz; k++) {
        const float *src = p->data + n * k;
        float *dst = img + (nz - 1 - k) * w + (n - 1);
        for (size_t c = 0; c < n; c++)
            dst[-(ptrdiff_t)c] = src[c];
    }
    return 1;
}

/* Display window from the histogram of a projection: the median (background
 * and soft tissue go dark) to the 99.8th percentile (sac and leaks bright). */
static void window_of(const float *img, size_t n, float *lo, float *hi)
{
    float mn = INFINITY, mx = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(img[i])) {
            mn = img[i] < mn ? img[i] : mn;
            mx = img[i] > mx ? img[i] : mx;
        }
    }
    if (!(mx > mn)) {
        *lo = isfinite(mn) ? mn : 0.0f;
        *hi = *lo + 1.0f;
        return;
    }
    enum { NB = 4096 };
    static const double q[2] = {0.5, 0.998};
    size_t *h = calloc(NB, sizeof *h);
    if (h == NULL) {
        *lo = mn;
        *hi = mx;
        return;
    }
    size_t cnt = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(img[i])) {
            size_t bin = (size_t)((img[i] - mn) / (mx - mn) * (NB - 1));
            h[bin]++;
            cnt++;
        }
    }
    float out[2];
    for (int t = 0; t < 2; t++) {
        size_t target = (size_t)(q[t] * (double)cnt), acc = 0, bin = 0;
        while (bin < NB - 1 && acc + h[bin] <= target)
            acc += h[bin++];
        out[t] = mn + (float)bin / (NB - 1) * (mx - mn);
    }
    free(h);
    *lo = out[0];
    *hi = out[1] > out[0] ? out[1] : mx;
}

/* Max-pools img by factor f and maps the window to 0..255. */
static uint8_t *quantize(const float *img, size_t w, size_t h, size_t f, float lo, float hi,
                         size_t *ow, size_t *oh)
{
    size_t W = (w + f - 1) / f, H = (h + f - 1) / f;
    uint8_t *px = malloc(W * H);
    if (px == NULL)
        return NULL;
    float scale = 255.0f / (hi - lo);
    for (size_t y = 0; y < H; y++) {
        for (size_t x = 0; x < W; x++) {
            float m = -INFINITY;
            for (size_t yy = y * f; yy < (y + 1) * f && yy < h; yy++)
                for (size_t xx = x * f; xx < (x + 1) * f && xx < w; xx++)
                    m = img[yy * w + xx] > m ? img[yy * w + xx] : m;
            float g = isfinite(m) ? (m - lo) * scale : 0.0f;
            px[y * W + x] = (uint8_t)(g < 0 ? 0 : g > 255 ? 255 : g + 0.5f);
        }
    }
    *ow = W;
    *oh = H;
    return px;
}

static csf_status encode_uri(csf_view *v, const uint8_t *px, csf_error *err)
{
    uint8_t *png = NULL;
    size_t len = 0;
    csf_status st = csf_io_encode_png(px, v->px_w, v->px_h, 1, &png, &len, err);
    if (st != CSF_OK)
        return st;
    csf_buf_release(&v->uri);
    csf_buf_puts(&v->uri, "data:image/png;base64,");
    csf_base64_append(&v->uri, png, len);
    free(png);
    return csf_buf_status(&v->uri, err);
}

/* The sac's course over the display rows [trace_y0, trace_y1] (mm). */
static void trace(csf_view *v, const uint8_t *px, double col_mm, double row_mm)
{
    double y0 = fmax(v->trace_y0 / row_mm, 0), y1 = fmin(v->trace_y1 / row_mm, (double)v->px_h - 1);
    if (!(y1 > y0 + 2))
        return;
    size_t r0 = (size_t)y0, r1 = (size_t)y1, n = r1 - r0 + 1;
    double *xs = malloc(n * sizeof *xs);
    v->trace = malloc(n * 2 * sizeof *v->trace);
    if (xs == NULL || v->trace == NULL || csf_trace_path(px, v->px_w, v->px_h, r0, r1, xs) < 2) {
        free(v->trace);
        v->trace = NULL;
        free(xs);
        return;
    }
    for (size_t r = 0; r < n; r++) {
        v->trace[2 * r] = xs[r] * col_mm;
        v->trace[2 * r + 1] = ((double)(r0 + r) + 0.5) * row_mm;
    }
    v->ntrace = n;
    free(xs);
}

csf_status csf_view_render(csf_page *pg, csf_view *v, csf_error *err)
{
    const csf_volume *vol = pg->vol;
    int col, row;
    view_axes(v->axis, &col, &row);
    size_t w = v->hi[col] - v->lo[col] + 1, h = v->hi[row] - v->lo[row] + 1;
    float *img = malloc(w * h * sizeof *img);
    if (img == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory for a %zux%zu image", w, h);
    for (size_t i = 0; i < w * h; i++)
        img[i] = -INFINITY;
    if (from_mip(pg, v, img, w)) {
        /* nothing to project */
    } else if (v->axis == 2) {
        project(vol, v->axis, v->lo, v->hi, img, w);
    } else {
        project_job job = {vol, v->axis, v->lo, v->hi, img, w};
        csf_status pst = csf_parallel_for(pg->ex, v->hi[2] - v->lo[2] + 1, 8, project_rows, &job, err);
        if (pst != CSF_OK) {
            free(img);
            return pst;
        }
    }
    if (!(pg->win_hi > pg->win_lo))
        window_of(img, w * h, &pg->win_lo, &pg->win_hi);
    size_t big = w > h ? w : h;
    size_t f = (big + CSF_VIEW_MAX_PX - 1) / CSF_VIEW_MAX_PX;
    uint8_t *px = quantize(img, w, h, f, pg->win_lo, pg->win_hi, &v->px_w, &v->px_h);
    free(img);
    if (px == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory for a %zux%zu image", w, h);
    v->w_mm = (double)(v->px_w * f) * vol->spacing[col];
    v->h_mm = (double)(v->px_h * f) * vol->spacing[row];
    if (v->trace_y1 > v->trace_y0)
        trace(v, px, (double)f * vol->spacing[col], (double)f * vol->spacing[row]);
    csf_status st = encode_uri(v, px, err);
    free(px);
    return st;
}

void csf_view_release(csf_view *v)
{
    csf_buf_release(&v->uri);
    free(v->trace);
    v->trace = NULL;
    v->ntrace = 0;
}
