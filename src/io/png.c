/* 8-bit gray / RGB PNG through libpng, into memory; files via atomic write. */
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/atomic.h"
#include "io_internal.h"

typedef struct png_mem {
    uint8_t *data;
    size_t len, cap;
    int oom;
} png_mem;

static void mem_write(png_structp png, png_bytep bytes, png_size_t n)
{
    png_mem *m = png_get_io_ptr(png);
    if (m->oom)
        return;
    if (m->len + n > m->cap) {
        size_t cap = m->cap ? m->cap : 4096;
        while (cap < m->len + n)
            cap *= 2;
        uint8_t *d = realloc(m->data, cap);
        if (d == NULL) {
            m->oom = 1;
            return;
        }
        m->data = d;
        m->cap = cap;
    }
    memcpy(m->data + m->len, bytes, n);
    m->len += n;
}

static void mem_flush(png_structp png) { (void)png; }

/* libpng reports errors by longjmp; nothing with automatic storage that is
 * modified after setjmp is used after the jump. */
static int encode(const uint8_t *pixels, size_t w, size_t h, int channels, png_mem *m)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    if (png == NULL)
        return -1;
    png_infop info = png_create_info_struct(png);
    if (info == NULL || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, m, mem_write, mem_flush);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    /* Key images are written on every run and inlined in reports: level 1 with
     * the SUB filter encodes ~3x faster than libpng's default (level 6, adaptive
     * filters) for a few percent more bytes on noisy MR projections. */
    png_set_compression_level(png, 1);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_write_info(png, info);
    for (size_t y = 0; y < h; y++)
        png_write_row(png, pixels + y * w * (size_t)channels);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return m->oom ? -1 : 0;
}

csf_status csf_io_encode_png(const uint8_t *pixels, size_t width, size_t height, int channels,
                             uint8_t **out, size_t *out_len, csf_error *err)
{
    if (pixels == NULL || out == NULL || out_len == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_io_encode_png: NULL argument");
    if ((channels != 1 && channels != 3) || width == 0 || height == 0 || width > 1000000 ||
        height > 1000000)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "PNG of %zux%zu with %d channels",
                             width, height, channels);
    png_mem m = {0};
    if (encode(pixels, width, height, channels, &m) != 0) {
        free(m.data);
        return csf_error_set(err, CSF_ERR_NOMEM, "PNG encoding failed");
    }
    *out = m.data;
    *out_len = m.len;
    return CSF_OK;
}

csf_status csf_io_write_png(const char *path, const uint8_t *pixels, size_t width,
                            size_t height, int channels, csf_error *err)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    csf_status st = csf_io_encode_png(pixels, width, height, channels, &buf, &len, err);
    if (st != CSF_OK) {
        csf_error_prefix(err, "cannot write '%s'", path);
        return st;
    }
    st = csf_atomic_write(path, buf, len, err);
    free(buf);
    return st;
}
