/* Growable text buffer with a sticky out-of-memory flag, and base64. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

void csf_buf_init(csf_buf *b)
{
    memset(b, 0, sizeof *b);
}

void csf_buf_release(csf_buf *b)
{
    if (b == NULL)
        return;
    free(b->data);
    memset(b, 0, sizeof *b);
}

int csf_buf_reserve(csf_buf *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (extra >= SIZE_MAX / 2 - b->len) {
        b->oom = 1;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (p == NULL) {
        b->oom = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void csf_buf_put(csf_buf *b, const char *s, size_t n)
{
    if (n == 0 || csf_buf_reserve(b, n) != 0)
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void csf_buf_puts(csf_buf *b, const char *s)
{
    if (s != NULL)
        csf_buf_put(b, s, strlen(s));
}

void csf_buf_printf(csf_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        csf_buf_put(b, small, (size_t)n);
        return;
    }
    if (csf_buf_reserve(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

csf_status csf_buf_status(const csf_buf *b, csf_error *err)
{
    if (b->oom)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory while building the report");
    return CSF_OK;
}

size_t csf_base64_len(size_t n)
{
    size_t groups = n / 3 + (n % 3 != 0);
    if (groups > SIZE_MAX / 4)
        return SIZE_MAX;
    return groups * 4;
}

void csf_base64_append(csf_buf *b, const uint8_t *data, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t out = csf_base64_len(n);
    if (out == SIZE_MAX) {
        b->oom = 1;
        return;
    }
    if (out == 0 || csf_buf_reserve(b, out) != 0)
        return;
    char *p = b->data + b->len;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];
        *p++ = tab[v >> 18];
        *p++ = tab[(v >> 12) & 63];
        *p++ = tab[(v >> 6) & 63];
        *p++ = tab[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)data[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)data[i + 1] << 8;
        *p++ = tab[v >> 18];
        *p++ = tab[(v >> 12) & 63];
        *p++ = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        *p++ = '=';
    }
    b->len += out;
    b->data[b->len] = '\0';
}
