/* Small helpers of `csfleak batch`: files, directories, a growable string. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch.h"

char *csf_batch_slurp(const char *path, size_t max, csf_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        csf_error_set(err, CSF_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n - 1, fp);
        n += got;
        if (got == 0)
            break;
        if (n + 1 == cap) {
            char *nb = cap >= max ? NULL : realloc(buf, 2 * cap);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': larger than %zu bytes",
                              path, max);
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (buf == NULL && err && err->code == CSF_OK)
        csf_error_set(err, CSF_ERR_NOMEM, "cannot read '%s': out of memory", path);
    int bad = ferror(fp);
    fclose(fp);
    if (buf != NULL && bad) {
        free(buf);
        csf_error_set(err, CSF_ERR_IO, "cannot read '%s': read error", path);
        return NULL;
    }
    if (buf != NULL)
        buf[n] = '\0';
    return buf;
}

int csf_batch_fmt(char *out, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(out, n, fmt, ap);
    va_end(ap);
    return len < 0 || (size_t)len >= n ? -1 : 0;
}

csf_status csf_batch_mkdirs(const char *path, csf_error *err)
{
    char tmp[4096];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof tmp)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "bad directory path '%s'", path);
    memcpy(tmp, path, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (tmp[i] != '/' && tmp[i] != '\0')
            continue;
        char c = tmp[i];
        tmp[i] = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
            return csf_error_set(err, CSF_ERR_IO, "cannot create directory '%s': %s", tmp,
                                 strerror(errno));
        tmp[i] = c;
    }
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return csf_error_set(err, CSF_ERR_IO, "'%s' is not a directory", path);
    return CSF_OK;
}

static void grow(csf_sbuf *b, size_t extra)
{
    if (b->oom)
        return;
    if (b->n + extra + 1 <= b->cap)
        return;
    size_t nc = b->cap ? b->cap : 1024;
    while (nc < b->n + extra + 1)
        nc *= 2;
    char *np = realloc(b->p, nc);
    if (np == NULL) {
        b->oom = 1;
        return;
    }
    b->p = np;
    b->cap = nc;
}

void csf_sbuf_add(csf_sbuf *b, const char *s)
{
    size_t len = strlen(s);
    grow(b, len);
    if (b->oom)
        return;
    memcpy(b->p + b->n, s, len + 1);
    b->n += len;
}

void csf_sbuf_addf(csf_sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0) {
        b->oom = 1;
        return;
    }
    grow(b, (size_t)len);
    if (b->oom)
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)len;
}

void csf_sbuf_html(csf_sbuf *b, const char *s)
{
    char one[2] = {0, 0};
    for (; *s; s++) {
        switch (*s) {
        case '&': csf_sbuf_add(b, "&amp;"); break;
        case '<': csf_sbuf_add(b, "&lt;"); break;
        case '>': csf_sbuf_add(b, "&gt;"); break;
        case '"': csf_sbuf_add(b, "&quot;"); break;
        case '\'': csf_sbuf_add(b, "&#39;"); break;
        default:
            one[0] = *s;
            csf_sbuf_add(b, one);
        }
    }
}

void csf_sbuf_csv(csf_sbuf *b, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        csf_sbuf_add(b, s);
        return;
    }
    char one[2] = {0, 0};
    csf_sbuf_add(b, "\"");
    for (; *s; s++) {
        one[0] = *s;
        csf_sbuf_add(b, *s == '"' ? "\"\"" : one);
    }
    csf_sbuf_add(b, "\"");
}
