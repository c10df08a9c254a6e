/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
#ifndef CSFLEAK_ORTHANC_PLUGIN_H
#define CSFLEAK_ORTHANC_PLUGIN_H
/* Internal interfaces of the csfleak Orthanc plugin (GPL-3.0-or-later).
 * Threads: Orthanc's change thread only queues ids (queue.c); one worker
 * thread does every REST call and the analysis; REST handlers run on
 * Orthanc's HTTP threads and only read the queue state or re-queue. */
#include <pthread.h>
#include <regex.h>
#include <stddef.h>

#include <orthanc/OrthancCPlugin.h>

#include "csfleak/error.h"

#define CSFO_NAME "csfleak"
#define CSFO_MAX_MODALITIES 8
#define CSFO_MAX_ERRORS 32
#define CSFO_ID_LEN 64
#define CSFO_DEFAULT_FILTER "myelo|T2.*(spine|space|cube|vista)|spine.*T2"

/* "CsfLeak" section of Orthanc's configuration (docs/orthanc.md). */
typedef struct csfo_config {
    int enabled;                 /* "Enabled" (true) */
    int threads;                 /* "Threads" for the analysis, 0 = all cores */
    char filter[512];            /* "SeriesFilter", POSIX ERE, case-insensitive */
    regex_t filter_re;
    int filter_ok;
    char modalities[CSFO_MAX_MODALITIES][16]; /* "Modalities" (["MR"]) */
    size_t nmodalities;
    int attachment;              /* "AttachmentIndex" user content type (1024) */
    int metadata;                /* "MetadataIndex" user metadata (1025) */
    int series_number;           /* "SeriesNumber" of the key-image series (9901) */
    char config_error[CSF_ERROR_MSG_SIZE]; /* why the section was rejected, "" when fine */
} csfo_config;

/* Parses the section from Orthanc's whole configuration JSON; unknown keys
 * are ignored, wrong types are errors naming the key. */
csf_status csfo_config_parse(const char *orthanc_json, csfo_config *cfg, csf_error *err);
void csfo_config_release(csfo_config *cfg);

typedef enum csfo_state { CSFO_NONE = 0, CSFO_QUEUED, CSFO_RUNNING } csfo_state;

typedef struct csfo_error_rec {
    char series[CSFO_ID_LEN];
    char reason[CSF_ERROR_MSG_SIZE];
    long long when;              /* Unix seconds */
} csfo_error_rec;

typedef struct csfo_job {
    char series[CSFO_ID_LEN];    /* "" = the start-up scan */
    int manual;                  /* asked for through REST: the SeriesFilter is not applied */
} csfo_job;

/* FIFO of series ids plus what /csfleak/status shows. */
typedef struct csfo_queue {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    csfo_job *items;
    size_t head, len, cap;
    char running[CSFO_ID_LEN];
    int stop;
    unsigned long analysed, failed, ignored;
    csfo_error_rec errors[CSFO_MAX_ERRORS]; /* ring, newest at errors_next - 1 */
    size_t errors_next, nerrors;
} csfo_queue;

int csfo_queue_init(csfo_queue *q);
void csfo_queue_release(csfo_queue *q);
/* Adds a job unless the same series is already waiting (then a manual
 * request upgrades it). 0 on success, -1 when out of memory. Never blocks
 * for long: safe on Orthanc's change thread. */
int csfo_queue_push(csfo_queue *q, const char *series, int manual);
/* Blocks until a job or stop; 1 with a job, 0 when stopping. Marks it running. */
int csfo_queue_pop(csfo_queue *q, csfo_job *job);
/* Ends the running job: outcome 0 analysed, 1 failed (reason recorded), 2 ignored,
 * 3 not counted (the start-up scan). */
void csfo_queue_done(csfo_queue *q, const char *series, int outcome, const char *reason);
csfo_state csfo_queue_state(csfo_queue *q, const char *series);
void csfo_queue_stop(csfo_queue *q);
int csfo_queue_stopping(csfo_queue *q);
/* {"queued":[...],"running":..,"analysed":n,"failed":n,"ignored":n,"errors":[...]};
 * malloc'd, NULL when out of memory. */
char *csfo_queue_status_json(csfo_queue *q, const csfo_config *cfg);

/* The plugin: one instance, reachable from the SDK's callbacks. */
typedef struct csfo_plugin {
    OrthancPluginContext *ctx;
    csfo_config cfg;
    csfo_queue queue;
    pthread_t worker;
    int worker_started;
} csfo_plugin;

/* Worker thread body (worker.c). */
void *csfo_worker_main(void *plugin);

/* REST routes (rest.c). */
void csfo_rest_register(csfo_plugin *p);

/* Thin SDK helpers (orthanc_io.c). The body is NUL-terminated; free with free(). */
int csfo_get(csfo_plugin *p, const char *uri, char **body, size_t *len);
int csfo_post(csfo_plugin *p, const char *uri, const char *data, size_t n, char **body);
int csfo_put(csfo_plugin *p, const char *uri, const char *data, size_t n);
int csfo_delete(csfo_plugin *p, const char *uri);
/* Series metadata value (the done flag) as malloc'd text, NULL when absent. */
char *csfo_get_state(csfo_plugin *p, const char *series);
void csfo_log(csfo_plugin *p, int level, const char *fmt, ...) CSF_PRINTF(3, 4);

/* Processing one series (series.c, analysis.c, writeback.c). */
typedef struct csfo_series_info {
    char id[CSFO_ID_LEN];
    char study[CSFO_ID_LEN];
    char series_uid[72];
    char modality[16];
    char description[128];
    char protocol[128];
    char **instances;
    size_t ninstances;
} csfo_series_info;

/* GET /series/{id}: 0, -1 when the series is gone or the answer is malformed. */
int csfo_series_info_get(csfo_plugin *p, const char *id, csfo_series_info *info);
void csfo_series_info_release(csfo_series_info *info);

#endif
