/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
/* The analysis step: the same library calls `csfleak analyze` makes
 * (csf_spine_analyze -> csf_detect_run -> csf_analysis_json), then the key
 * images. Builds without the detector (older trees) fall back to a volume
 * summary so the plumbing stays testable; the JSON says which one ran. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "csfleak/exec.h"
#include "csfleak/img_stats.h"
#include "keyimage.h"
#include "series.h"

#if defined(__has_include)
#if __has_include("csfleak/detect.h") && __has_include("csfleak/analysis_json.h")
#define CSFO_HAVE_DETECT 1
#include "csfleak/analysis_json.h"
#include "csfleak/detect.h"
#include "csfleak/spine.h"
#endif
#endif

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* Cancels a running analysis when Orthanc stops. */
static int progress(void *user, const char *stage, double frac)
{
    return csfo_queue_stopping(&((csfo_plugin *)user)->queue);
}

void csfo_result_release(csfo_result *r)
{
    free(r->json);
    free(r->png[0]);
    free(r->png[1]);
    memset(r, 0, sizeof *r);
}

/* Where the volume came from, so a reader can check the geometry. */
static cJSON *orthanc_block(const csfo_series_info *info, const csf_volume *vol, double read_ms)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "series", info->id);
    cJSON_AddStringToObject(o, "study", info->study);
    cJSON_AddStringToObject(o, "series_instance_uid", info->series_uid);
    cJSON_AddStringToObject(o, "series_description", info->description);
    cJSON_AddNumberToObject(o, "instances", (double)info->ninstances);
    cJSON *d = cJSON_AddArrayToObject(o, "dim");
    cJSON *sp = cJSON_AddArrayToObject(o, "spacing_mm");
    cJSON *af = cJSON_AddArrayToObject(o, "affine");
    for (int a = 0; a < 3; a++) {
        cJSON_AddItemToArray(d, cJSON_CreateNumber((double)vol->dim[a]));
        cJSON_AddItemToArray(sp, cJSON_CreateNumber(vol->spacing[a]));
    }
    for (int r = 0; r < 4; r++) {
        cJSON *row = cJSON_CreateArray();
        for (int c = 0; c < 4; c++)
            cJSON_AddItemToArray(row, cJSON_CreateNumber(round(vol->affine[r][c] * 1e4) / 1e4));
        cJSON_AddItemToArray(af, row);
    }
    cJSON_AddNumberToObject(o, "read_ms", round(read_ms));
    return o;
}

/* Adds the "orthanc" block to the analysis text; takes *json. */
static csf_status add_orthanc(char **json, const csfo_series_info *info, const csf_volume *vol,
                              double read_ms, csf_error *err)
{
    cJSON *root = cJSON_Parse(*json);
    free(*json);
    *json = NULL;
    if (root == NULL)
        return csf_error_set(err, CSF_ERR_INTERNAL, "the analysis JSON does not parse");
    cJSON_AddItemToObject(root, "orthanc", orthanc_block(info, vol, read_ms));
    *json = cJSON_Print(root);
    cJSON_Delete(root);
    return *json ? CSF_OK : csf_error_set(err, CSF_ERR_NOMEM, "cannot print the analysis JSON");
}

#ifdef CSFO_HAVE_DETECT
#include "analysis_detect.inc"
#else
#include "analysis_standin.inc"
#endif

csf_status csfo_analyze(csfo_plugin *p, const csfo_series_info *info, const csf_volume *vol,
                        double read_ms, csfo_result *res, csf_error *err)
{
    csf_exec *ex = NULL;
    csf_status st = csf_exec_new(p->cfg.threads, &ex, err);
    if (st != CSF_OK)
        return st;
    csf_exec_set_progress(ex, progress, p);
    st = run_analysis(p, info, vol, ex, res, err);
    csf_exec_free(ex);
    if (st == CSF_OK)
        st = add_orthanc(&res->json, info, vol, read_ms, err);
    if (st != CSF_OK)
        csfo_result_release(res);
    return st;
}
