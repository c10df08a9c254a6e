/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
/* Calls into Orthanc's own REST API from the worker thread (never from the
 * change callback: the SDK warns that can deadlock). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin.h"

/* Copies an SDK buffer into a NUL-terminated malloc'd string and frees it. */
static int take(csfo_plugin *p, OrthancPluginMemoryBuffer *b, char **body, size_t *len)
{
    int rc = 0;
    if (body != NULL) {
        *body = malloc((size_t)b->size + 1);
        if (*body == NULL) {
            rc = -1;
        } else {
            if (b->size)
                memcpy(*body, b->data, b->size);
            (*body)[b->size] = '\0';
            if (len)
                *len = b->size;
        }
    }
    OrthancPluginFreeMemoryBuffer(p->ctx, b);
    return rc;
}

int csfo_get(csfo_plugin *p, const char *uri, char **body, size_t *len)
{
    OrthancPluginMemoryBuffer b = {0};
    if (OrthancPluginRestApiGet(p->ctx, &b, uri) != OrthancPluginErrorCode_Success)
        return -1;
    return take(p, &b, body, len);
}

int csfo_post(csfo_plugin *p, const char *uri, const char *data, size_t n, char **body)
{
    OrthancPluginMemoryBuffer b = {0};
    if (n > UINT32_MAX ||
        OrthancPluginRestApiPost(p->ctx, &b, uri, data, (uint32_t)n) != OrthancPluginErrorCode_Success)
        return -1;
    return take(p, &b, body, NULL);
}

int csfo_put(csfo_plugin *p, const char *uri, const char *data, size_t n)
{
    OrthancPluginMemoryBuffer b = {0};
    if (n > UINT32_MAX ||
        OrthancPluginRestApiPut(p->ctx, &b, uri, data, (uint32_t)n) != OrthancPluginErrorCode_Success)
        return -1;
    return take(p, &b, NULL, NULL);
}

int csfo_delete(csfo_plugin *p, const char *uri)
{
    return OrthancPluginRestApiDelete(p->ctx, uri) == OrthancPluginErrorCode_Success ? 0 : -1;
}

char *csfo_get_state(csfo_plugin *p, const char *series)
{
    char uri[160], *body = NULL;
    snprintf(uri, sizeof uri, "/series/%s/metadata/%d", series, p->cfg.metadata);
    if (csfo_get(p, uri, &body, NULL) != 0)
        return NULL;
    return body;
}

void csfo_log(csfo_plugin *p, int level, const char *fmt, ...)
{
    char msg[512] = CSFO_NAME ": ";
    size_t off = strlen(msg);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + off, sizeof msg - off, fmt, ap);
    va_end(ap);
    if (level >= 2)
        OrthancPluginLogError(p->ctx, msg);
    else if (level == 1)
        OrthancPluginLogWarning(p->ctx, msg);
    else
        OrthancPluginLogInfo(p->ctx, msg);
}
