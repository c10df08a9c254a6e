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
    return st;
}
