/* Writes coronal and sagittal maximum-intensity projections of typical
 * phantoms as PNG (the pictures in docs/img/). Usage: phantom_mips OUTDIR.
 * A local projection + libpng keeps it independent of the io module. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/exec.h"
#include "csfleak/phantom.h"
#include "csfleak/volume.h"

static int write_png(const char *path, const unsigned char *px, size_t w, size_t h)
{
    FILE *fp = fopen(path, "wb");
    if (fp == NULL)
        return -1;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (info == NULL || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(fp);
        return -1;
    }
    png_init_io(png, fp);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (size_t y = 0; y < h; y++)
        png_write_row(png, (png_const_bytep)(px + y * w));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return fclose(fp);
}

/* MIP of a RAS-ordered volume along axis `ax` (1 = coronal, 0 = sagittal), rows
 * top (superior) to bottom, window at the 99.5th percentile of the projection. */
static int mip_png(const csf_volume *v, int ax, const char *path)
{
    size_t nx = v->dim[0], ny = v->dim[1], nz = v->dim[2];
    size_t w = ax == 1 ? nx : ny, h = nz, n = ax == 1 ? ny : nx;
    float *m = calloc(w * h, sizeof *m);
    unsigned char *px = malloc(w * h);
    if (m == NULL || px == NULL)
        return -1;
    for (size_t k = 0; k < nz; k++)
        for (size_t c = 0; c < w; c++) {
            float best = 0;
            for (size_t t = 0; t < n; t++) {
                size_t i = ax == 1 ? c : t, j = ax == 1 ? t : c;
                float val = v->data[i + nx * (j + ny * k)];
                best = val > best ? val : best;
            }
            m[(nz - 1 - k) * w + (ax == 1 ? w - 1 - c : c)] = best; /* radiological: patient right on the left */
        }
    float mx = 1;
    for (size_t i = 0; i < w * h; i++)
        mx = m[i] > mx ? m[i] : mx;
    for (size_t i = 0; i < w * h; i++) {
        float g = m[i] / (0.85f * mx) * 255.0f;
        px[i] = (unsigned char)(g > 255 ? 255 : g);
    }
    int rc = write_png(path, px, w, h);
    free(m);
    free(px);
    return rc;
}

static int one(const char *dir, const char *name, const csf_phantom_spec *s, const csf_exec *ex, int sag)
{
    csf_error err = {0};
    csf_phantom *ph = NULL;
    csf_volume *img = NULL;
    if (csf_phantom_new(s, &ph, &err) != CSF_OK || csf_phantom_render(ph, 0, &img, NULL, ex, &err) != CSF_OK) {
        fprintf(stderr, "phantom_mips: %s: %s\n", name, err.msg);
        return 1;
    }
    char path[1024];
    int rc = 0;
    snprintf(path, sizeof path, "%s/phantom_%s_coronal.png", dir, name);
    rc |= mip_png(img, 1, path);
    if (sag) {
        snprintf(path, sizeof path, "%s/phantom_%s_sagittal.png", dir, name);
        rc |= mip_png(img, 0, path);
    }
    csf_volume_free(img);
    csf_phantom_free(ph);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: phantom_mips OUTDIR\n");
        return 1;
    }
    csf_exec *ex = NULL;
    csf_error err = {0};
    if (csf_exec_new(2, &ex, &err) != CSF_OK)
        return 1;
    csf_phantom_spec s;
    int rc = 0;
    csf_phantom_spec_init(&s, 11); /* healthy control */
    rc |= one(argv[1], "control", &s, ex, 0);
    csf_phantom_spec_init(&s, 12); /* leaks of grade 1, 2, 3 and a sacral Tarlov cyst */
    s.nleaks = 3;
    s.leaks[0] = (csf_phantom_leak){4, CSF_PH_RIGHT, 1};
    s.leaks[1] = (csf_phantom_leak){12, CSF_PH_LEFT, 2};
    s.leaks[2] = (csf_phantom_leak){21, CSF_PH_RIGHT, 3};
    s.ncysts = 1;
    s.cysts[0] = (csf_phantom_cyst){25, CSF_PH_LEFT, 14};
    rc |= one(argv[1], "leaks", &s, ex, 0);
    csf_phantom_spec_init(&s, 13); /* ventral SLEC T3-T10 */
    s.slec = 1, s.slec_from = 9, s.slec_to = 16;
    rc |= one(argv[1], "slec", &s, ex, 1);
    csf_phantom_spec_init(&s, 12); /* the 2D thick-slab protocol of the leak case */
    s.nleaks = 3;
    s.leaks[0] = (csf_phantom_leak){4, CSF_PH_RIGHT, 1};
    s.leaks[1] = (csf_phantom_leak){12, CSF_PH_LEFT, 2};
    s.leaks[2] = (csf_phantom_leak){21, CSF_PH_RIGHT, 3};
    s.ncysts = 1;
    s.cysts[0] = (csf_phantom_cyst){25, CSF_PH_LEFT, 14};
    s.protocol = CSF_PH_2D;
    rc |= one(argv[1], "leaks_2d", &s, ex, 0);
    csf_exec_free(ex);
    return rc;
}
