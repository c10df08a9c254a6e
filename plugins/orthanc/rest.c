/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
/* REST routes: GET /csfleak/series/{id}, POST /csfleak/series/{id}/analyze,
 * GET /csfleak/status. They only read the queue and Orthanc's stored
 * results, or queue a job: the analysis never runs on an HTTP thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "plugin.h"

static csfo_plugin *self;

static void answer_json(OrthancPluginRestOutput *out, int status, const char *json)
{
    if (status == 200)
        OrthancPluginAnswerBuffer(self->ctx, out, json, (uint32_t)strlen(json),
                                  "application/json");
    else /* the body reaches the client when HttpDescribeErrors is true (the default) */
        OrthancPluginSendHttpStatus(self->ctx, out, (uint16_t)status, json,
                                    (uint32_t)strlen(json));
}

static void answer_state(OrthancPluginRestOutput *out, int status, const char *state,
                         const char *reason)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "state", state);
    if (reason)
        cJSON_AddStringToObject(o, "reason", reason);
    char *txt = cJSON_PrintUnformatted(o);
    answer_json(out, status, txt ? txt : "{}");
    cJSON_free(txt);
    cJSON_Delete(o);
}

static int series_exists(const char *id)
{
    char uri[128];
    snprintf(uri, sizeof uri, "/series/%s", id);
    return csfo_get(self, uri, NULL, NULL) == 0;
}

/* 200 analysis JSON, 202 queued/running, 404 nothing, 422 skipped with reason. */
static void get_result(OrthancPluginRestOutput *out, const char *id)
{
    csfo_state s = csfo_queue_state(&self->queue, id);
    if (s != CSFO_NONE) {
        answer_state(out, 202, s == CSFO_RUNNING ? "running" : "queued", NULL);
        return;
    }
    char *state = csfo_get_state(self, id);
    if (state == NULL) {
        answer_state(out, 404, series_exists(id) ? "not analysed" : "unknown series", NULL);
        return;
    }
    if (strncmp(state, "error", 5) == 0) {
        const char *why = strchr(state, ':');
        answer_state(out, 422, "error", why ? why + 2 : state);
        free(state);
        return;
    }
    free(state);
    char uri[160], *body = NULL;
    snprintf(uri, sizeof uri, "/series/%s/attachments/%d/data", id, self->cfg.attachment);
    if (csfo_get(self, uri, &body, NULL) != 0) {
        answer_state(out, 404, "no result attachment", NULL);
        return;
    }
    answer_json(out, 200, body);
    free(body);
}

static OrthancPluginErrorCode on_series(OrthancPluginRestOutput *out, const char *url,
                                        const OrthancPluginHttpRequest *req)
{
    if (req->method != OrthancPluginHttpMethod_Get) {
        OrthancPluginSendMethodNotAllowed(self->ctx, out, "GET");
        return OrthancPluginErrorCode_Success;
    }
    get_result(out, req->groups[0]);
    return OrthancPluginErrorCode_Success;
}

static OrthancPluginErrorCode on_analyze(OrthancPluginRestOutput *out, const char *url,
                                         const OrthancPluginHttpRequest *req)
{
    if (req->method != OrthancPluginHttpMethod_Post) {
        OrthancPluginSendMethodNotAllowed(self->ctx, out, "POST");
        return OrthancPluginErrorCode_Success;
    }
    const char *id = req->groups[0];
    if (strlen(id) >= CSFO_ID_LEN || !series_exists(id)) {
        answer_state(out, 404, "unknown series", NULL);
        return OrthancPluginErrorCode_Success;
    }
    if (csfo_queue_push(&self->queue, id, 1) != 0) {
        answer_state(out, 503, "error", "out of memory");
        return OrthancPluginErrorCode_Success;
    }
    answer_state(out, 202, "queued", NULL);
    return OrthancPluginErrorCode_Success;
}

static OrthancPluginErrorCode on_status(OrthancPluginRestOutput *out, const char *url,
                                        const OrthancPluginHttpRequest *req)
{
    if (req->method != OrthancPluginHttpMethod_Get) {
        OrthancPluginSendMethodNotAllowed(self->ctx, out, "GET");
        return OrthancPluginErrorCode_Success;
    }
    char *txt = csfo_queue_status_json(&self->queue, &self->cfg);
    if (txt == NULL)
        return OrthancPluginErrorCode_NotEnoughMemory;
    answer_json(out, 200, txt);
    cJSON_free(txt);
    return OrthancPluginErrorCode_Success;
}

void csfo_rest_register(csfo_plugin *p)
{
    self = p;
    /* NoLock: these handlers are thread-safe, and a GET must not wait behind
     * another plugin's slow route */
    OrthancPluginRegisterRestCallbackNoLock(p->ctx, "/csfleak/series/([^/]+)", on_series);
    OrthancPluginRegisterRestCallbackNoLock(p->ctx, "/csfleak/series/([^/]+)/analyze", on_analyze);
    OrthancPluginRegisterRestCallbackNoLock(p->ctx, "/csfleak/status", on_status);
}
