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

/* Both MIPs in one pass over the volume (the step's cost is memory
 * traffic): coronal cor[k][i] = max over j, sagittal sag[k][j] = max over i,
 * k = 0 the most inferior slice. Display flips happen when rendering. */
static int mips(const csf_volume *v, float **cor, float **sag)
{
    size_t nx = v->dim[0], ny = v->dim[1], nz = v->dim[2];
    *cor = malloc(nx * nz * sizeof **cor);
    *sag = malloc(ny * nz * sizeof **sag);
    if (*cor == NULL || *sag == NULL)
        return -1;
    for (size_t k = 0; k < nz; k++) {
        float *c = *cor + k * nx, *sg = *sag + k * ny;
        for (size_t i = 0; i < nx; i++)
            c[i] = -INFINITY;
        for (size_t j = 0; j < ny; j++) {
            const float *row = v->data + nx * (j + ny * k);
            float m = -INFINITY;
            for (size_t i = 0; i < nx; i++) {
                c[i] = row[i] > c[i] ? row[i] : c[i];
                m = row[i] > m ? row[i] : m;
            }
            sg[j] = m;
        }
    }
    return 0;
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

static csf_status render(csfo_plugin *p, const csf_volume *vol, int view, const float *m,
                         double window_top, const csfo_box *boxes, size_t nbox, const char *line1,
                         const char *line2, uint8_t **png, size_t *png_len, csf_error *err)
{
    int ax = view == CSFO_VIEW_CORONAL ? 0 : 1;
    size_t w = vol->dim[ax], h = vol->dim[2];
    double sh = vol->spacing[ax], sv = vol->spacing[2];
    double ext_h = sh * (double)w, ext_v = sv * (double)h;
    double d = fmin(sh, sv);
    d = fmin(d, fmax(ext_h, ext_v) / MIN_SIDE); /* small volumes are enlarged for reading */
    d = fmax(d, fmax(ext_h, ext_v) / MAX_SIDE);
    size_t w_img = (size_t)fmax(1, round(ext_h / d)), H = (size_t)fmax(1, round(ext_v / d)) + BAND;
    size_t W = w_img < 480 ? 480 : w_img; /* room for the caption */
    size_t x0 = (W - w_img) / 2;          /* the image is centred below it */
    uint8_t *rgb = calloc(W * H, 3);
    if (rgb == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate a %zux%zu key image", W, H);
    double scale = 255.0 / (window_top > 0 ? window_top : 1);
    for (size_t r = BAND; r < H; r++) {
        size_t sr = (size_t)(((double)(r - BAND) + 0.5) * d / sv);
        if (sr >= h)
            continue;
        const float *src = m + (h - 1 - sr) * w; /* top row = most superior slice */
        for (size_t c = x0; c < x0 + w_img; c++) {
            size_t sc = (size_t)(((double)(c - x0) + 0.5) * d / sh);
            if (sc >= w)
                continue;
            /* radiological coronal (patient's right on the left); sagittal anterior on the left */
            double g = fmin(255.0, fmax(0.0, scale * src[w - 1 - sc]));
            memset(&rgb[3 * (c + W * r)], (int)g, 3);
        }
    }
    for (size_t b = 0; b < nbox; b++)
        draw_box(rgb, W, H, vol, view, d, x0, &boxes[b]);
    caption(p, rgb, W, H, line1, line2);
    side_labels(p, rgb, W, H, x0, w_img, view);
    csf_status st = csf_io_encode_png(rgb, W, H, 3, png, png_len, err);
    free(rgb);
    return st;
}

csf_status csfo_keyimages(csfo_plugin *p, const csf_volume *vol, double window_top,
                          const csfo_box *boxes, size_t nbox, const char *line1, const char *line2,
                          uint8_t *png[2], size_t png_len[2], csf_error *err)
{
    float *proj[2] = {NULL, NULL};
    csf_status st = CSF_OK;
    if (mips(vol, &proj[0], &proj[1]) != 0)
        st = csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate the key-image projections");
    static const int views[2] = {CSFO_VIEW_CORONAL, CSFO_VIEW_SAGITTAL};
    for (int i = 0; st == CSF_OK && i < 2; i++)
        st = render(p, vol, views[i], proj[i], window_top, boxes, nbox, line1, line2, &png[i],
                    &png_len[i], err);
    free(proj[0]);
    free(proj[1]);
    if (st != CSF_OK) {
        free(png[0]);
        free(png[1]);
        png[0] = png[1] = NULL;
    }
    return st;
}
