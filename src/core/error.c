#include "csfleak/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#undef csf_error_set /* the analyzer-only model in error.h; this is the definition */

csf_status csf_error_set(csf_error *err, csf_status code, const char *fmt, ...)
{
    if (err == NULL || err->code != CSF_OK || code == CSF_OK)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void csf_error_prefix(csf_error *err, const char *fmt, ...)
{
    if (err == NULL || err->code == CSF_OK)
        return;
    char head[CSF_ERROR_MSG_SIZE];
    char old[CSF_ERROR_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    /* truncation is acceptable: the head names the file, the tail the problem */
    size_t h = strlen(head);
    if (h > sizeof err->msg - 3)
        h = sizeof err->msg - 3;
    memcpy(err->msg, head, h);
    err->msg[h] = ':';
    err->msg[h + 1] = ' ';
    size_t room = sizeof err->msg - h - 3;
    size_t o = strlen(old);
    if (o > room)
        o = room;
    memcpy(err->msg + h + 2, old, o);
    err->msg[h + 2 + o] = '\0';
}

void csf_error_clear(csf_error *err)
{
    if (err == NULL)
        return;
    err->code = CSF_OK;
    err->msg[0] = '\0';
}

const char *csf_status_str(csf_status code)
{
    switch (code) {
    case CSF_OK: return "ok";
    case CSF_ERR_INVALID_ARG: return "invalid argument";
    case CSF_ERR_IO: return "input/output error";
    case CSF_ERR_FORMAT: return "bad input data";
    case CSF_ERR_NOMEM: return "out of memory";
    case CSF_ERR_UNSUPPORTED: return "unsupported input";
    case CSF_ERR_CANCELLED: return "cancelled";
    case CSF_ERR_INTERNAL: return "internal error";
    case CSF_ERR_EXTERNAL: return "external program failed";
    }
    return "unknown status";
}
