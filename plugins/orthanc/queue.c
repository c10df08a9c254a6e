/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
/* The job queue between Orthanc's change thread and the worker. Pushing
 * only copies an id under a mutex, so the change callback never waits on
 * the analysis. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "plugin.h"

int csfo_queue_init(csfo_queue *q)
{
    memset(q, 0, sizeof *q);
    if (pthread_mutex_init(&q->mu, NULL) != 0)
        return -1;
    if (pthread_cond_init(&q->cv, NULL) != 0) {
        pthread_mutex_destroy(&q->mu);
        return -1;
    }
    return 0;
}

void csfo_queue_release(csfo_queue *q)
{
    free(q->items);
    q->items = NULL;
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
}

static csfo_job *at(csfo_queue *q, size_t i)
{
    return &q->items[(q->head + i) % q->cap];
}

static int grow(csfo_queue *q)
{
    size_t cap = q->cap ? 2 * q->cap : 64;
    csfo_job *n = malloc(cap * sizeof *n);
    if (n == NULL)
        return -1;
    for (size_t i = 0; i < q->len; i++)
        n[i] = *at(q, i);
    free(q->items);
    q->items = n;
    q->cap = cap;
    q->head = 0;
    return 0;
}

int csfo_queue_push(csfo_queue *q, const char *series, int manual)
{
    int rc = 0;
    pthread_mutex_lock(&q->mu);
    for (size_t i = 0; i < q->len; i++) {
        csfo_job *j = at(q, i);
        if (strcmp(j->series, series) == 0) { /* already waiting: one run is enough */
            j->manual |= manual;
            pthread_mutex_unlock(&q->mu);
            return 0;
        }
    }
    if (q->len == q->cap && grow(q) != 0) {
        rc = -1;
    } else {
        csfo_job *j = at(q, q->len++);
        memset(j, 0, sizeof *j);
        size_t n = strlen(series);
        n = n < CSFO_ID_LEN - 1 ? n : CSFO_ID_LEN - 1;
        memcpy(j->series, series, n);
        j->manual = manual;
        pthread_cond_signal(&q->cv);
    }
    pthread_mutex_unlock(&q->mu);
    return rc;
}

int csfo_queue_pop(csfo_queue *q, csfo_job *job)
{
    pthread_mutex_lock(&q->mu);
    while (q->len == 0 && !q->stop)
        pthread_cond_wait(&q->cv, &q->mu);
    if (q->stop) {
        pthread_mutex_unlock(&q->mu);
        return 0;
    }
    *job = *at(q, 0);
    q->head = (q->head + 1) % q->cap;
    q->len--;
    memcpy(q->running, job->series, CSFO_ID_LEN);
    pthread_mutex_unlock(&q->mu);
    return 1;
}

void csfo_queue_done(csfo_queue *q, const char *series, int outcome, const char *reason)
{
    pthread_mutex_lock(&q->mu);
    q->running[0] = '\0';
    if (outcome == 0) {
        q->analysed++;
    } else if (outcome == 2) {
        q->ignored++;
    } else if (outcome == 1) {
        q->failed++;
        csfo_error_rec *e = &q->errors[q->errors_next];
        memset(e, 0, sizeof *e);
        strncpy(e->series, series, CSFO_ID_LEN - 1);
        strncpy(e->reason, reason ? reason : "", sizeof e->reason - 1);
        e->when = (long long)time(NULL);
        q->errors_next = (q->errors_next + 1) % CSFO_MAX_ERRORS;
        if (q->nerrors < CSFO_MAX_ERRORS)
            q->nerrors++;
    }
    pthread_mutex_unlock(&q->mu);
}

csfo_state csfo_queue_state(csfo_queue *q, const char *series)
{
    csfo_state s = CSFO_NONE;
    pthread_mutex_lock(&q->mu);
    if (strcmp(q->running, series) == 0)
        s = CSFO_RUNNING;
    for (size_t i = 0; s == CSFO_NONE && i < q->len; i++)
        if (strcmp(at(q, i)->series, series) == 0)
            s = CSFO_QUEUED;
    pthread_mutex_unlock(&q->mu);
    return s;
}

void csfo_queue_stop(csfo_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->stop = 1;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

int csfo_queue_stopping(csfo_queue *q)
{
    pthread_mutex_lock(&q->mu);
    int s = q->stop;
    pthread_mutex_unlock(&q->mu);
    return s;
}

static void add_errors(cJSON *root, const csfo_queue *q)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "errors");
    for (size_t i = 0; arr && i < q->nerrors; i++) { /* newest first */
        size_t k = (q->errors_next + CSFO_MAX_ERRORS - 1 - i) % CSFO_MAX_ERRORS;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "series", q->errors[k].series);
        cJSON_AddStringToObject(e, "reason", q->errors[k].reason);
        cJSON_AddNumberToObject(e, "time", (double)q->errors[k].when);
        cJSON_AddItemToArray(arr, e);
    }
}

char *csfo_queue_status_json(csfo_queue *q, const csfo_config *cfg)
{
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    cJSON_AddStringToObject(root, "version", CSF_VERSION);
    cJSON_AddBoolToObject(root, "enabled", cfg->enabled);
    cJSON_AddStringToObject(root, "series_filter", cfg->filter);
    if (cfg->config_error[0])
        cJSON_AddStringToObject(root, "config_error", cfg->config_error);
    cJSON *mods = cJSON_AddArrayToObject(root, "modalities");
    for (size_t i = 0; mods && i < cfg->nmodalities; i++)
        cJSON_AddItemToArray(mods, cJSON_CreateString(cfg->modalities[i]));
    pthread_mutex_lock(&q->mu);
    cJSON *queued = cJSON_AddArrayToObject(root, "queued");
    for (size_t i = 0; queued && i < q->len; i++)
        cJSON_AddItemToArray(queued, cJSON_CreateString(at(q, i)->series[0] ? at(q, i)->series
                                                                            : "(start-up scan)"));
    if (q->running[0])
        cJSON_AddStringToObject(root, "running", q->running);
    else
        cJSON_AddNullToObject(root, "running");
    cJSON_AddNumberToObject(root, "analysed", (double)q->analysed);
    cJSON_AddNumberToObject(root, "failed", (double)q->failed);
    cJSON_AddNumberToObject(root, "ignored", (double)q->ignored);
    add_errors(root, q);
    pthread_mutex_unlock(&q->mu);
    char *txt = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return txt;
}
