/* curves.png: extrathecal size (red) and sac filling height (blue) against
 * frame, each scaled to its own maximum; a green tick marks each site's
 * first frame. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/io.h"
#include "dyn_internal.h"

#define PW 480
#define PH 240
#define MARGIN 20

static void put(uint8_t *img, long x, long y, const uint8_t c[3])
{
    if (x < 0 || y < 0 || x >= PW || y >= PH)
        return;
    memcpy(img + 3 * ((size_t)y * PW + (size_t)x), c, 3);
}

static void line(uint8_t *img, long x0, long y0, long x1, long y1, const uint8_t c[3])
{
    long n = labs(x1 - x0) > labs(y1 - y0) ? labs(x1 - x0) : labs(y1 - y0);
    for (long i = 0; i <= n; i++) {
        double t = n ? (double)i / (double)n : 0;
        long x = lround(x0 + t * (double)(x1 - x0)), y = lround(y0 + t * (double)(y1 - y0));
        put(img, x, y, c);
        put(img, x, y + 1, c);
    }
}

static void curve(uint8_t *img, const csf_dyn_result *r, int which, const uint8_t c[3])
{
    double mx = 0;
    for (size_t f = 0; f < r->nframes; f++) {
        double v = which ? r->frames[f].sac_height_mm : r->frames[f].extrathecal;
        mx = fmax(mx, isfinite(v) ? v : 0);
    }
    if (mx <= 0)
        mx = 1;
    long px = -1, py = -1;
    double span = r->nframes > 1 ? (double)(r->nframes - 1) : 1;
    for (size_t f = 0; f < r->nframes; f++) {
        double v = which ? r->frames[f].sac_height_mm : r->frames[f].extrathecal;
        v = isfinite(v) ? v : 0;
        long x = MARGIN + lround((double)f / span * (PW - 2 * MARGIN));
        long y = PH - MARGIN - lround(v / mx * (PH - 2 * MARGIN));
        if (px >= 0)
            line(img, px, py, x, y, c);
        px = x;
        py = y;
    }
}

static const uint8_t k_site[3] = {255, 40, 40}, k_other[3] = {200, 120, 0},
                     k_sac[3] = {170, 170, 170};

csf_status csf_dyn_key_image(csf_dyn_analyzer *a, csf_error *err)
{
    const size_t nx = a->dim[0], ny = a->dim[1], nz = a->dim[2];
    uint8_t *img = malloc(nx * nz * 3);
    if (img == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory for the key image");
    memset(img, 0, nx * nz * 3);
    for (size_t z = 0; z < nz; z++)
        for (size_t y = 0; y < ny; y++)
            for (size_t x = 0; x < nx; x++) {
                size_t i = x + nx * (y + ny * z);
                uint8_t m = a->mask[i], *px = img + 3 * ((nz - 1 - z) * nx + x);
                const uint8_t *c = a->sitemap[i] ? k_site : m >= 1 && m != 2 ? k_other
                                   : m == 2 ? k_sac : NULL;
                /* priority: site over other extrathecal over column */
                if (c != NULL && (px[0] == 0 || c == k_site || (c == k_other && px[1] == 170)))
                    memcpy(px, c, 3);
            }
    a->key_rgb = img;
    a->key_w = nx;
    a->key_h = nz;
    a->key_frame = a->nframes;
    return CSF_OK;
}

/* The key image enlarged by an integer factor (nearest neighbour) to about
 * 400 pixels on its long side. */
static csf_status write_key(const char *path, const csf_dyn_result *r, csf_error *err)
{
    size_t w = r->key_w, h = r->key_h, big = w > h ? w : h;
    size_t k = big >= 400 ? 1 : 400 / big;
    uint8_t *o = malloc(w * k * h * k * 3);
    if (o == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory for the key image");
    for (size_t y = 0; y < h * k; y++)
        for (size_t x = 0; x < w * k; x++)
            memcpy(o + 3 * (y * w * k + x), r->key_rgb + 3 * ((y / k) * w + x / k), 3);
    csf_status st = csf_io_write_png(path, o, w * k, h * k, 3, err);
    free(o);
    return st;
}

csf_status csf_dyn_write_curves_png(const csf_dyn_result *r, const char *dir, csf_error *err)
{
    uint8_t *img = malloc((size_t)PW * PH * 3);
    if (img == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory for the PNG");
    memset(img, 255, (size_t)PW * PH * 3);
    const uint8_t black[3] = {0, 0, 0}, red[3] = {200, 30, 30}, blue[3] = {30, 60, 200},
                  green[3] = {20, 150, 40};
    line(img, MARGIN, PH - MARGIN, PW - MARGIN, PH - MARGIN, black);
    line(img, MARGIN, MARGIN, MARGIN, PH - MARGIN, black);
    double span = r->nframes > 1 ? (double)(r->nframes - 1) : 1;
    for (size_t i = 0; i < r->nsites; i++) {
        long x = MARGIN + lround((double)r->sites[i].frame / span * (PW - 2 * MARGIN));
        line(img, x, MARGIN, x, PH - MARGIN, green);
    }
    curve(img, r, 1, blue);
    curve(img, r, 0, red);
    char path[4096];
    snprintf(path, sizeof path, "%s/curves.png", dir);
    csf_status st = csf_io_write_png(path, img, PW, PH, 3, err);
    free(img);
    if (st == CSF_OK && r->key_rgb != NULL && !r->flooded) {
        snprintf(path, sizeof path, "%s/key_frame.png", dir);
        st = write_key(path, r, err);
    }
    return st;
}
