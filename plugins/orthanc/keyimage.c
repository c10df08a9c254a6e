/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
/* MIP key images. Display pixels are square (nearest-neighbour from the
 * voxel grid) so an anisotropic acquisition is not shown squashed. */
#include "keyimage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/io.h"

#define MAX_SIDE 1024
#define MIN_SIDE 720
#define BAND 44 /* caption band height in pixels */

/* MIP with rows = k from superior (top) to inferior, columns = the display axis. */
static float *mip(const csf_volume *v, int view, size_t *w, size_t *h)
{
    size_t nx = v->dim[0], ny = v->dim[1], nz = v->dim[2];
    *w = view == CSFO_VIEW_CORONAL ? nx : ny;
    *h = nz;
    float *m = malloc(*w * *h * sizeof *m);
    if (m == NULL)
        return NULL;
    for (size_t p = 0; p < *w * *h; p++)
        m[p] = -INFINITY;
    for (size_t k = 0; k < nz; k++)
        for (size_t j = 0; j < ny; j++)
            for (size_t i = 0; i < nx; i++) {
                float val = v->data[i + nx * (j + ny * k)];
                /* radiological coronal (right on the left), sagittal anterior on the left */
                size_t col = view == CSFO_VIEW_CORONAL ? nx - 1 - i : ny - 1 - j;
                float *d = &m[col + *w * (nz - 1 - k)];
                if (val > *d)
                    *d = val;
            }
    return m;
}

static void outline(uint8_t *rgb, size_t W, size_t H, size_t c0, size_t c1, size_t r0, size_t r1,
                    const uint8_t c[3])
{
    c1 = c1 < W ? c1 : W - 1;
    r1 = r1 < H ? r1 : H - 1;
    for (size_t r = r0; r <= r1; r++)
        for (size_t q = c0; q <= c1; q++)
            if (r <= r0 + 1 || r + 1 >= r1 || q <= c0 + 1 || q + 1 >= c1)
                memcpy(&rgb[3 * (q + W * r)], c, 3);
}

/* Box in voxel space -> display rectangle (same mapping as mip()). */
static void draw_box(uint8_t *rgb, size_t W, size_t H, const csf_volume *v, int view, double d,
                     size_t x0, const csfo_box *b)
{
    int ax = view == CSFO_VIEW_CORONAL ? 0 : 1;
    double sh = v->spacing[ax], sv = v->spacing[2];
    size_t n = v->dim[ax], nz = v->dim[2];
    double c0 = (double)(n - 1 - b->hi[ax]) * sh / d, c1 = (double)(n - b->lo[ax]) * sh / d;
    double r0 = (double)(nz - 1 - b->hi[2]) * sv / d, r1 = (double)(nz - b->lo[2]) * sv / d;
    double pad = 3;
    c0 = fmax(0, c0 - pad), r0 = fmax(0, r0 - pad), c1 += pad, r1 += pad;
    outline(rgb, W, H, (size_t)c0 + x0, (size_t)c1 + x0, (size_t)r0 + BAND, (size_t)r1 + BAND,
            b->rgb);
}

static void caption(csfo_plugin *p, uint8_t *rgb, size_t W, size_t H, const char *l1,
                    const char *l2)
{
    if (p == NULL || OrthancPluginGetFontsCount(p->ctx) == 0)
        return;
    OrthancPluginImage *im = OrthancPluginCreateImageAccessor(
        p->ctx, OrthancPluginPixelFormat_RGB24, (uint32_t)W, (uint32_t)H, (uint32_t)(3 * W), rgb);
    if (im == NULL)
        return;
    if (l1)
        OrthancPluginDrawText(p->ctx, im, 0, l1, 4, 4, 255, 255, 255);
    if (l2)
        OrthancPluginDrawText(p->ctx, im, 0, l2, 4, 24, 255, 200, 0);
    OrthancPluginFreeImage(p->ctx, im);
}

/* Which side of the patient each image edge shows. */
static void side_labels(csfo_plugin *p, uint8_t *rgb, size_t W, size_t H, size_t x0, size_t w,
                        int view)
{
    if (p == NULL || OrthancPluginGetFontsCount(p->ctx) == 0 || w < 40)
        return;
    OrthancPluginImage *im = OrthancPluginCreateImageAccessor(
        p->ctx, OrthancPluginPixelFormat_RGB24, (uint32_t)W, (uint32_t)H, (uint32_t)(3 * W), rgb);
    if (im == NULL)
        return;
    const char *left = view == CSFO_VIEW_CORONAL ? "R" : "A";
    const char *right = view == CSFO_VIEW_CORONAL ? "L" : "P";
    OrthancPluginDrawText(p->ctx, im, 0, left, (int32_t)x0 + 4, BAND + 4, 0, 255, 0);
    OrthancPluginDrawText(p->ctx, im, 0, right, (int32_t)(x0 + w) - 14, BAND + 4, 0, 255, 0);
    OrthancPluginFreeImage(p->ctx, im);
}

csf_status csfo_keyimage(csfo_plugin *p, const csf_volume *vol, int view, double window_top,
                         const csfo_box *boxes, size_t nbox, const char *line1, const char *line2,
                         uint8_t **png, size_t *png_len, csf_error *err)
{
    size_t w, h;
    float *m = mip(vol, view, &w, &h);
    if (m == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate a key image");
    int ax = view == CSFO_VIEW_CORONAL ? 0 : 1;
    double sh = vol->spacing[ax], sv = vol->spacing[2];
    double ext_h = sh * (double)w, ext_v = sv * (double)h;
    double d = fmin(sh, sv);
    d = fmin(d, fmax(ext_h, ext_v) / MIN_SIDE); /* small volumes are enlarged for reading */
    d = fmax(d, fmax(ext_h, ext_v) / MAX_SIDE);
    size_t w_img = (size_t)fmax(1, round(ext_h / d)), H = (size_t)fmax(1, round(ext_v / d)) + BAND;
    size_t W = w_img < 480 ? 480 : w_img; /* room for the caption */
    size_t x0 = (W - w_img) / 2;          /* the image is centred below it */
    uint8_t *rgb = calloc(W * H, 3);
    if (rgb == NULL) {
        free(m);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate a %zux%zu key image", W, H);
    }
    double top = window_top > 0 ? window_top : 1;
    for (size_t r = BAND; r < H; r++) {
        size_t sr = (size_t)(((double)(r - BAND) + 0.5) * d / sv);
        for (size_t c = x0; c < x0 + w_img; c++) {
            size_t sc = (size_t)(((double)(c - x0) + 0.5) * d / sh);
            if (sr >= h || sc >= w)
                continue;
            double g = fmin(255.0, fmax(0.0, 255.0 * m[sc + w * sr] / top));
            memset(&rgb[3 * (c + W * r)], (int)g, 3);
        }
    }
    free(m);
    for (size_t b = 0; b < nbox; b++)
        draw_box(rgb, W, H, vol, view, d, x0, &boxes[b]);
    caption(p, rgb, W, H, line1, line2);
    side_labels(p, rgb, W, H, x0, w_img, view);
    csf_status st = csf_io_encode_png(rgb, W, H, 3, png, png_len, err);
    free(rgb);
    return st;
}
