/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
/* The analysis step: the same library calls `csfleak analyze` makes
 * (csf_spine_analyze -> csf_detect_run -> csf_analysis_json, see
 * src/cli/analyze_run.c), then the key images with the findings outlined. */
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

#include "csfleak/analysis_json.h"
#include "csfleak/detect.h"
#include "csfleak/spine.h"

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
    for (size_t i = 0; i < r->nlines; i++)
        free(r->lines[i]);
    free(r->lines);
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

/* Finding colours as in `csfleak analyze --png-dir`: leak red, cyst yellow,
 * SLEC magenta, diverticulum cyan. */
static const uint8_t KIND_RGB[5][3] = {
    {255, 40, 40}, {255, 220, 0}, {255, 0, 255}, {0, 220, 255}, {128, 128, 128}};

static void summarise(const csf_analysis *an, char *buf, size_t n)
{
    char g[3][8];
    for (int r = 0; r < 3; r++) {
        if (an->assessable && an->region_assessed[r])
            snprintf(g[r], sizeof g[r], "%d", an->region_grade[r]);
        else
            snprintf(g[r], sizeof g[r], "-");
    }
    if (!an->assessable)
        snprintf(buf, n, "not assessable: %.120s", an->reason);
    else
        snprintf(buf, n, "grades C %s / T %s / L %s%s, %zu finding%s", g[0], g[1], g[2],
                 an->slec_present ? ", SLEC" : "", an->nfindings, an->nfindings == 1 ? "" : "s");
}

static csf_status key_images(csfo_plugin *p, const csf_volume *vol, const csf_spine *sp,
                             const csf_analysis *an, csfo_result *res, csf_error *err)
{
    size_t ne = 0;
    const csf_extra *xs = csf_spine_extras(sp, &ne);
    csfo_box *boxes = calloc(an->nfindings ? an->nfindings : 1, sizeof *boxes);
    if (boxes == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu boxes", an->nfindings);
    size_t nb = 0;
    for (size_t f = 0; f < an->nfindings; f++) {
        const csf_finding *fd = &an->findings[f];
        if (fd->extra_index >= ne || fd->kind < 0 || fd->kind > 4)
            continue;
        memcpy(boxes[nb].lo, xs[fd->extra_index].bbox_min, sizeof boxes[nb].lo);
        memcpy(boxes[nb].hi, xs[fd->extra_index].bbox_max, sizeof boxes[nb].hi);
        memcpy(boxes[nb].rgb, KIND_RGB[fd->kind], 3);
        nb++;
    }
    double bg, thr;
    int heavy;
    const char *why;
    csf_spine_contrast(sp, &bg, &thr, &heavy, &why);
    double top = thr > 0 ? 2.0 * thr : 0; /* fluid saturates: faint leaks stay visible */
    if (!(top > 0)) {
        double mn, mean;
        csf_img_minmax(vol->data, csf_volume_nvox(vol), &mn, &top, &mean, NULL, NULL);
    }
    res->png_title[0] = "coronal MIP";
    res->png_title[1] = "sagittal MIP";
    csf_status st = csfo_keyimages(p, vol, top, boxes, nb,
                                   "csfleak - research use only, not for diagnosis", res->summary,
                                   res->png, res->png_len, err);
    free(boxes);
    return st;
}

static int add_line(csfo_result *res, const char *text)
{
    char **l = realloc(res->lines, (res->nlines + 1) * sizeof *l);
    if (l == NULL)
        return -1;
    res->lines = l;
    if ((l[res->nlines] = strdup(text)) == NULL)
        return -1;
    res->nlines++;
    return 0;
}

/* The statements of the SR: a grade per region, then each finding with its
 * level, side and the rule that decided it. */
static csf_status report_lines(const csf_analysis *an, csfo_result *res, csf_error *err)
{
    char buf[400];
    int rc = 0;
    for (int r = 0; r < 3; r++) {
        if (an->assessable && an->region_assessed[r])
            snprintf(buf, sizeof buf, "%s region: grade %d", csf_region_name(r),
                     an->region_grade[r]);
        else
            snprintf(buf, sizeof buf, "%s region: not assessed (not in view or not assessable)",
                     csf_region_name(r));
        rc |= add_line(res, buf);
    }
    if (!an->assessable) {
        snprintf(buf, sizeof buf, "not assessable: %s", an->reason);
        rc |= add_line(res, buf);
    }
    for (size_t f = 0; f < an->nfindings; f++) {
        const csf_finding *fd = &an->findings[f];
        const char *lv = csf_level_name(fd->level_index);
        char grade[16] = "";
        if (fd->kind == CSF_FIND_LEAK)
            snprintf(grade, sizeof grade, " grade %d", fd->grade);
        snprintf(buf, sizeof buf, "%s%s at %s, %s, (%.1f, %.1f, %.1f) mm RAS: %s",
                 csf_finding_kind_name(fd->kind), grade, lv ? lv : "unknown level",
                 csf_side_name(fd->side), fd->center_mm[0], fd->center_mm[1], fd->center_mm[2],
                 fd->reason);
        rc |= add_line(res, buf);
    }
    rc |= add_line(res, "csfleak: research use only, not for diagnosis.");
    return rc ? csf_error_set(err, CSF_ERR_NOMEM, "cannot build the report text") : CSF_OK;
}

/* The file-level record csf_analysis_json reports for an input. */
static void source_of(const csfo_series_info *info, const char *orient, csf_io_source *src)
{
    memset(src, 0, sizeof *src);
    snprintf(src->path, sizeof src->path, "orthanc:/series/%s", info->id);
    snprintf(src->format, sizeof src->format, "dicom");
    snprintf(src->orient, sizeof src->orient, "%s", orient);
}

static csf_status run_analysis(csfo_plugin *p, const csfo_series_info *info,
                               const csf_volume *vol, const char *orient, double read_ms,
                               const csf_exec *ex, csfo_result *res, csf_error *err)
{
    double t0 = now_ms();
    csf_spine_opts opts = {0};
    csf_spine *sp = NULL;
    csf_analysis *an = NULL;
    csf_status st = csf_spine_analyze(vol, &opts, &sp, ex, err);
    double t1 = now_ms();
    if (st == CSF_OK)
        st = csf_detect_run(sp, &an, err);
    if (st == CSF_OK) {
        csf_io_source src;
        source_of(info, orient, &src);
        csf_station_result sr = {src.path, vol, &src, sp, an, read_ms, now_ms() - t1, NULL, 0};
        const char *warn = csf_analysis_caveat(an, sp);
        st = csf_analysis_json(&sr, 1, warn ? &warn : NULL, warn ? 1 : 0,
                               read_ms + now_ms() - t0, &res->json, err);
    }
    if (st == CSF_OK) {
        summarise(an, res->summary, sizeof res->summary);
        res->positive = an->positive;
        st = report_lines(an, res, err);
    }
    if (st == CSF_OK) {
        double tk = now_ms();
        st = key_images(p, vol, sp, an, res, err);
        res->keyimage_ms = now_ms() - tk;
    }
    csf_analysis_free(an);
    csf_spine_free(sp);
    return st;
}

csf_status csfo_analyze(csfo_plugin *p, const csfo_series_info *info, const csf_volume *vol,
                        const char *orient, double read_ms, csfo_result *res, csf_error *err)
{
    csf_exec *ex = NULL;
    csf_status st = csf_exec_new(p->cfg.threads, &ex, err);
    if (st != CSF_OK)
        return st;
    csf_exec_set_progress(ex, progress, p);
    st = run_analysis(p, info, vol, orient, read_ms, ex, res, err);
    csf_exec_free(ex);
    if (st == CSF_OK)
        st = add_orthanc(&res->json, info, vol, read_ms, err);
    if (st != CSF_OK)
        csfo_result_release(res);
    return st;
}
