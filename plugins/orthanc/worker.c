/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
/* The worker thread: takes series ids off the queue, decides whether each
 * is ours to analyse, and runs read -> analyse -> write back. A failure is
 * recorded and the worker moves on: a bad series never stops the plugin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "series.h"

enum { OUT_DONE = 0, OUT_FAILED = 1, OUT_IGNORED = 2 };

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int modality_ok(const csfo_config *cfg, const char *modality)
{
    for (size_t i = 0; i < cfg->nmodalities; i++)
        if (strcmp(cfg->modalities[i], modality) == 0)
            return 1;
    return 0;
}

static int filter_ok(const csfo_config *cfg, const csfo_series_info *info)
{
    return regexec(&cfg->filter_re, info->description, 0, NULL, 0) == 0 ||
           regexec(&cfg->filter_re, info->protocol, 0, NULL, 0) == 0;
}

/* Our own key-image series carry this description prefix. */
static int is_own_output(const csfo_series_info *info)
{
    return strncmp(info->description, "csfleak", 7) == 0;
}

static int analyse(csfo_plugin *p, const csfo_series_info *info, csf_error *err)
{
    double t0 = now_ms();
    csf_volume *vol = NULL;
    csfo_result res = {0};
    char orient[4] = "";
    csf_status st = csfo_series_read(p, info, &vol, orient, err);
    double t1 = now_ms();
    if (st == CSF_OK)
        st = csfo_analyze(p, info, vol, orient, t1 - t0, &res, err);
    double t2 = now_ms();
    if (st == CSF_OK)
        st = csfo_writeback(p, info, &res, err);
    if (st == CSF_OK)
        csfo_log(p, 1,
                 "series %s analysed: %s (read %.0f ms, analysis %.0f ms of which key images "
                 "%.0f ms, write %.0f ms)",
                 info->id, res.summary, t1 - t0, t2 - t1, res.keyimage_ms, now_ms() - t2);
    csfo_result_release(&res);
    csf_volume_free(vol);
    return st == CSF_OK ? OUT_DONE : OUT_FAILED;
}

static void handle(csfo_plugin *p, const csfo_job *job)
{
    csfo_series_info info;
    csf_error err = {0};
    if (csfo_series_info_get(p, job->series, &info) != 0) { /* deleted meanwhile */
        csfo_queue_done(&p->queue, job->series, job->manual ? OUT_FAILED : OUT_IGNORED,
                        "the series no longer exists");
        return;
    }
    int outcome;
    if (is_own_output(&info)) {
        outcome = OUT_IGNORED; /* never analyse what csfleak wrote */
    } else if (!modality_ok(&p->cfg, info.modality)) {
        outcome = job->manual ? OUT_FAILED : OUT_IGNORED;
        csf_error_set(&err, CSF_ERR_UNSUPPORTED, "modality '%s' is not in CsfLeak.Modalities",
                      info.modality);
    } else if (!job->manual && !filter_ok(&p->cfg, &info)) {
        outcome = OUT_IGNORED;
    } else {
        outcome = analyse(p, &info, &err);
    }
    if (outcome == OUT_FAILED && err.code != CSF_ERR_CANCELLED) {
        csfo_log(p, 1, "series %s skipped: %s", info.id, err.msg);
        csfo_writeback_error(p, &info, err.msg);
    }
    csfo_queue_done(&p->queue, job->series, outcome, err.msg);
    csfo_series_info_release(&info);
}

/* Stability events do not survive a restart: queue every series of a
 * watched modality that carries no flag yet. Series still receiving
 * instances are left to their own StableSeries event. */
static void scan(csfo_plugin *p)
{
    size_t queued = 0;
    for (size_t m = 0; m < p->cfg.nmodalities; m++) {
        char q[160], *body = NULL;
        snprintf(q, sizeof q,
                 "{\"Level\":\"Series\",\"Expand\":true,\"Query\":{\"Modality\":\"%s\"}}",
                 p->cfg.modalities[m]);
        if (csfo_post(p, "/tools/find", q, strlen(q), &body) != 0) {
            csfo_log(p, 2, "start-up scan: /tools/find failed");
            continue;
        }
        cJSON *arr = cJSON_Parse(body);
        free(body);
        const cJSON *s;
        cJSON_ArrayForEach(s, arr)
        {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(s, "ID");
            const cJSON *stable = cJSON_GetObjectItemCaseSensitive(s, "IsStable");
            if (!cJSON_IsString(id) || !cJSON_IsTrue(stable))
                continue;
            char *state = csfo_get_state(p, id->valuestring);
            if (state == NULL && csfo_queue_push(&p->queue, id->valuestring, 0) == 0)
                queued++;
            free(state);
        }
        cJSON_Delete(arr);
    }
    csfo_log(p, queued ? 1 : 0, "start-up scan queued %zu series without a result", queued);
}

void *csfo_worker_main(void *arg)
{
    csfo_plugin *p = arg;
    csfo_job job;
    while (csfo_queue_pop(&p->queue, &job)) {
        if (job.series[0] == '\0') {
            if (p->cfg.enabled)
                scan(p);
            csfo_queue_done(&p->queue, "", 3, NULL);
        } else {
            handle(p, &job);
        }
    }
    return NULL;
}
