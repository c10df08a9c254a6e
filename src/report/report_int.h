#ifndef CSFLEAK_REPORT_INT_H
#define CSFLEAK_REPORT_INT_H
/* Internal pieces of the HTML report: a growable text buffer, an HTML writer
 * that escapes every input string, an SVG writer, a base64 encoder. Small and
 * separately tested (tests/test_report.c); only src/report and tests use them. */
#include <stddef.h>
#include <stdint.h>

#include "csfleak/error.h"

/* Growable byte buffer. Allocation failure is sticky: later appends do nothing
 * and csf_buf_status reports CSF_ERR_NOMEM once, at the end, so page code need
 * not check every append. data is always NUL-terminated when non-NULL. */
typedef struct csf_buf {
    char *data;
    size_t len;
    size_t cap;
    int oom;
} csf_buf;

void csf_buf_init(csf_buf *b);
void csf_buf_release(csf_buf *b);
/* Makes room for `extra` more bytes; 0 on success, -1 (and oom set) otherwise. */
int csf_buf_reserve(csf_buf *b, size_t extra);
void csf_buf_put(csf_buf *b, const char *s, size_t n);
/* Appends a trusted constant (markup written by this code, never input). */
void csf_buf_puts(csf_buf *b, const char *s);
/* printf-style append for numbers and trusted constants only: %s arguments
 * must never carry input strings (use the csf_html_* escapers for those). */
void csf_buf_printf(csf_buf *b, const char *fmt, ...) CSF_PRINTF(2, 3);
csf_status csf_buf_status(const csf_buf *b, csf_error *err);

/* ---- HTML ---- */
/* Appends s escaped for HTML text and for double- or single-quoted attribute
 * values: & < > " ' become entities, control characters other than tab and
 * newline are dropped, and invalid UTF-8 bytes become U+FFFD, so any input
 * string is safe in either context. NULL appends nothing. */
void csf_html_text(csf_buf *b, const char *s);
/* The same for the first n bytes of s. */
void csf_html_text_n(csf_buf *b, const char *s, size_t n);
/* Appends ` name="value"` with value escaped; name must be a trusted constant. */
void csf_html_attr(csf_buf *b, const char *name, const char *value);
/* Appends `<tag class="cls">text</tag>` with text escaped (cls may be NULL). */
void csf_html_elem(csf_buf *b, const char *tag, const char *cls, const char *text);
/* Appends a number with `decimals` digits, or the em dash for NaN. */
void csf_html_num(csf_buf *b, double v, int decimals);

/* ---- SVG ---- */
/* Opens <svg> with a viewBox of w x h user units (mm for image overlays) and
 * the given class; preserve_aspect 0 adds preserveAspectRatio="none". */
void csf_svg_open(csf_buf *b, double w, double h, const char *cls, int preserve_aspect);
void csf_svg_close(csf_buf *b);
/* Polyline through n points (xy interleaved); points with a non-finite
 * coordinate break the line into separate polylines. */
void csf_svg_polyline(csf_buf *b, const double *xy, size_t n, const char *cls);
void csf_svg_line(csf_buf *b, double x1, double y1, double x2, double y2, const char *cls);
/* Rectangle; data_f >= 0 adds data-f="N" (the finding index a click opens);
 * title (escaped, may be NULL) becomes a hover tooltip. */
void csf_svg_rect(csf_buf *b, double x, double y, double w, double h, const char *cls,
                  int data_f, const char *title);
/* Text at (x, y) with anchor "start" | "middle" | "end"; text is escaped. */
void csf_svg_text(csf_buf *b, double x, double y, const char *cls, const char *anchor,
                  const char *text);
/* <title> child for hover tooltips; text is escaped. */
void csf_svg_title(csf_buf *b, const char *text);

/* ---- base64 (RFC 4648, standard alphabet, padded) ---- */
/* Encoded length without the NUL: 4 * ceil(n / 3); SIZE_MAX when it overflows. */
size_t csf_base64_len(size_t n);
/* Appends the encoding of data[0..n) to b. */
void csf_base64_append(csf_buf *b, const uint8_t *data, size_t n);

#endif
