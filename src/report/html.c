/* HTML and SVG writers. Every string that may come from input goes through
 * csf_html_text_n, which is safe in text and in quoted attribute values. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "report/report_int.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid
 * (overlong forms, surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    return len;
}

void csf_html_text_n(csf_buf *b, const char *s, size_t n)
{
    if (s == NULL)
        return;
    const unsigned char *u = (const unsigned char *)s;
    size_t run = 0; /* start of the pending run of bytes copied verbatim */
    size_t i = 0;
    while (i < n) {
        const char *rep = NULL;
        size_t adv = 1;
        unsigned c = u[i];
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '\t':
        case '\n': break;
        default:
            if (c < 0x20 || c == 0x7F) {
                rep = "";
            } else if (c >= 0x80) {
                adv = utf8_seq(u + i, n - i);
                if (adv == 0) {
                    rep = "\xEF\xBF\xBD";
                    adv = 1;
                }
            }
        }
        if (rep != NULL) {
            csf_buf_put(b, s + run, i - run);
            csf_buf_puts(b, rep);
            run = i + adv;
        }
        i += adv;
    }
    csf_buf_put(b, s + run, n - run);
}

void csf_html_text(csf_buf *b, const char *s)
{
    if (s != NULL)
        csf_html_text_n(b, s, strlen(s));
}

void csf_html_attr(csf_buf *b, const char *name, const char *value)
{
    csf_buf_puts(b, " ");
    csf_buf_puts(b, name);
    csf_buf_puts(b, "=\"");
    csf_html_text(b, value);
    csf_buf_puts(b, "\"");
}

void csf_html_elem(csf_buf *b, const char *tag, const char *cls, const char *text)
{
    csf_buf_puts(b, "<");
    csf_buf_puts(b, tag);
    if (cls != NULL)
        csf_html_attr(b, "class", cls);
    csf_buf_puts(b, ">");
    csf_html_text(b, text);
    csf_buf_puts(b, "</");
    csf_buf_puts(b, tag);
    csf_buf_puts(b, ">");
}

void csf_html_num(csf_buf *b, double v, int decimals)
{
    if (!isfinite(v)) {
        csf_buf_puts(b, "\xE2\x80\x94");
        return;
    }
    if (decimals < 0 || decimals > 6)
        decimals = 1;
    csf_buf_printf(b, "%.*f", decimals, v);
}

/* SVG coordinates: one decimal is 0.1 mm, below any display resolution. */
static void coord(csf_buf *b, double v)
{
    csf_buf_printf(b, "%.1f", isfinite(v) ? v : 0.0);
}

void csf_svg_open(csf_buf *b, double w, double h, const char *cls, int preserve_aspect)
{
    csf_buf_puts(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    coord(b, w);
    csf_buf_puts(b, " ");
    coord(b, h);
    csf_buf_puts(b, "\"");
    if (!preserve_aspect)
        csf_buf_puts(b, " preserveAspectRatio=\"none\"");
    if (cls != NULL)
        csf_html_attr(b, "class", cls);
    csf_buf_puts(b, ">");
}

void csf_svg_close(csf_buf *b)
{
    csf_buf_puts(b, "</svg>");
}

void csf_svg_polyline(csf_buf *b, const double *xy, size_t n, const char *cls)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && !(isfinite(xy[2 * i]) && isfinite(xy[2 * i + 1])))
            i++;
        size_t start = i;
        while (i < n && isfinite(xy[2 * i]) && isfinite(xy[2 * i + 1]))
            i++;
        if (i - start < 2)
            continue;
        csf_buf_puts(b, "<polyline");
        if (cls != NULL)
            csf_html_attr(b, "class", cls);
        csf_buf_puts(b, " points=\"");
        for (size_t k = start; k < i; k++) {
            if (k > start)
                csf_buf_puts(b, " ");
            coord(b, xy[2 * k]);
            csf_buf_puts(b, ",");
            coord(b, xy[2 * k + 1]);
        }
        csf_buf_puts(b, "\"/>");
    }
}

void csf_svg_line(csf_buf *b, double x1, double y1, double x2, double y2, const char *cls)
{
    csf_buf_puts(b, "<line");
    if (cls != NULL)
        csf_html_attr(b, "class", cls);
    csf_buf_puts(b, " x1=\"");
    coord(b, x1);
    csf_buf_puts(b, "\" y1=\"");
    coord(b, y1);
    csf_buf_puts(b, "\" x2=\"");
    coord(b, x2);
    csf_buf_puts(b, "\" y2=\"");
    coord(b, y2);
    csf_buf_puts(b, "\"/>");
}

void csf_svg_rect(csf_buf *b, double x, double y, double w, double h, const char *cls,
                  int data_f, const char *title)
{
    csf_buf_puts(b, "<rect");
    if (cls != NULL)
        csf_html_attr(b, "class", cls);
    if (data_f >= 0)
        csf_buf_printf(b, " data-f=\"%d\"", data_f);
    csf_buf_puts(b, " x=\"");
    coord(b, x);
    csf_buf_puts(b, "\" y=\"");
    coord(b, y);
    csf_buf_puts(b, "\" width=\"");
    coord(b, w > 0 ? w : 0);
    csf_buf_puts(b, "\" height=\"");
    coord(b, h > 0 ? h : 0);
    if (title == NULL) {
        csf_buf_puts(b, "\"/>");
        return;
    }
    csf_buf_puts(b, "\">");
    csf_svg_title(b, title);
    csf_buf_puts(b, "</rect>");
}

void csf_svg_text(csf_buf *b, double x, double y, const char *cls, const char *anchor,
                  const char *text)
{
    csf_buf_puts(b, "<text");
    if (cls != NULL)
        csf_html_attr(b, "class", cls);
    if (anchor != NULL)
        csf_html_attr(b, "text-anchor", anchor);
    csf_buf_puts(b, " x=\"");
    coord(b, x);
    csf_buf_puts(b, "\" y=\"");
    coord(b, y);
    csf_buf_puts(b, "\">");
    csf_html_text(b, text);
    csf_buf_puts(b, "</text>");
}

void csf_svg_title(csf_buf *b, const char *text)
{
    csf_buf_puts(b, "<title>");
    csf_html_text(b, text);
    csf_buf_puts(b, "</title>");
}
