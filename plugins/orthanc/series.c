/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
/* Reading one series through the SDK: the instance list, each instance's
 * geometry tags and its decoded first frame. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "csfleak/exec.h"
#include "geometry.h"
#include "series.h"

static void copy_tag(const cJSON *tags, const char *key, char *dst, size_t n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(tags, key);
    dst[0] = '\0';
    if (cJSON_IsString(v))
        snprintf(dst, n, "%s", v->valuestring);
}

int csfo_series_info_get(csfo_plugin *p, const char *id, csfo_series_info *info)
{
    memset(info, 0, sizeof *info);
    char uri[128], *body = NULL;
    snprintf(uri, sizeof uri, "/series/%s", id);
    if (strlen(id) >= CSFO_ID_LEN || csfo_get(p, uri, &body, NULL) != 0)
        return -1;
    cJSON *root = cJSON_Parse(body);
    free(body);
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(root, "MainDicomTags");
    const cJSON *inst = cJSON_GetObjectItemCaseSensitive(root, "Instances");
    const cJSON *study = cJSON_GetObjectItemCaseSensitive(root, "ParentStudy");
    int rc = -1;
    if (cJSON_IsObject(tags) && cJSON_IsArray(inst) && cJSON_IsString(study)) {
        snprintf(info->id, sizeof info->id, "%s", id);
        snprintf(info->study, sizeof info->study, "%s", study->valuestring);
        copy_tag(tags, "Modality", info->modality, sizeof info->modality);
        copy_tag(tags, "SeriesDescription", info->description, sizeof info->description);
        copy_tag(tags, "ProtocolName", info->protocol, sizeof info->protocol);
        copy_tag(tags, "SeriesInstanceUID", info->series_uid, sizeof info->series_uid);
        size_t n = (size_t)cJSON_GetArraySize(inst);
        info->instances = calloc(n ? n : 1, sizeof *info->instances);
        rc = info->instances ? 0 : -1;
        const cJSON *it;
        cJSON_ArrayForEach(it, inst)
        {
            if (rc != 0 || !cJSON_IsString(it) || (info->instances[info->ninstances] =
                                                        strdup(it->valuestring)) == NULL) {
                rc = -1;
                break;
            }
            info->ninstances++;
        }
    }
    cJSON_Delete(root);
    if (rc != 0)
        csfo_series_info_release(info);
    return rc;
}

void csfo_series_info_release(csfo_series_info *info)
{
    for (size_t i = 0; i < info->ninstances; i++)
        free(info->instances[i]);
    free(info->instances);
    info->instances = NULL;
    info->ninstances = 0;
}

/* "a\b\c" -> n doubles; NaN for anything missing or malformed. */
static void parse_ds(const cJSON *tags, const char *key, double *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = NAN;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(tags, key);
    if (!cJSON_IsString(v))
        return;
    const char *s = v->valuestring;
    for (int i = 0; i < n; i++) {
        char *end;
        double d = strtod(s, &end);
        if (end == s)
            return;
        out[i] = d;
        while (*end == ' ')
            end++;
        if (i + 1 < n && *end != '\\')
            return;
        s = end + 1;
    }
}

static double ds1(const cJSON *tags, const char *key, double dflt)
{
    double d;
    parse_ds(tags, key, &d, 1);
    return isfinite(d) ? d : dflt;
}

/* Geometry tags and the rescale of one instance. */
static csf_status read_tags(csfo_plugin *p, const OrthancPluginMemoryBuffer *b, csfo_slice *s,
                            double rescale[2], csf_error *err)
{
    char *txt = OrthancPluginDicomBufferToJson(
        p->ctx, b->data, b->size, OrthancPluginDicomToJsonFormat_Human,
        OrthancPluginDicomToJsonFlags_StopAfterPixelData, 256);
    if (txt == NULL)
        return csf_error_set(err, CSF_ERR_FORMAT, "instance %s: Orthanc cannot parse it",
                             s->instance);
    cJSON *tags = cJSON_Parse(txt);
    OrthancPluginFreeString(p->ctx, txt);
    if (tags == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "instance %s: cannot parse its tags", s->instance);
    parse_ds(tags, "ImagePositionPatient", s->ipp, 3);
    parse_ds(tags, "ImageOrientationPatient", s->iop, 6);
    parse_ds(tags, "PixelSpacing", s->pixel_spacing, 2);
    rescale[0] = ds1(tags, "RescaleSlope", 1.0);
    rescale[1] = ds1(tags, "RescaleIntercept", 0.0);
    double frames = ds1(tags, "NumberOfFrames", 1.0);
    char sop[72];
    copy_tag(tags, "SOPClassUID", sop, sizeof sop);
    cJSON_Delete(tags);
    if (frames > 1)
        return csf_error_set(err, CSF_ERR_UNSUPPORTED,
                             "instance %s is multi-frame (%.0f frames): csfleak reads single-frame "
                             "MR series (convert enhanced MR with dcm2niix and run csfleak analyze)",
                             s->instance, frames);
    if (strncmp(sop, "1.2.840.10008.5.1.4.1.1.7", 25) == 0)
        return csf_error_set(err, CSF_ERR_UNSUPPORTED,
                             "instance %s is a secondary capture, not an acquisition", s->instance);
    if (rescale[0] == 0)
        rescale[0] = 1.0;
    return CSF_OK;
}

static csf_status decode_error(csfo_plugin *p, const csfo_slice *s, csf_error *err)
{
    char uri[160], *ts = NULL;
    snprintf(uri, sizeof uri, "/instances/%s/metadata/TransferSyntax", s->instance);
    csfo_get(p, uri, &ts, NULL);
    csf_status st = csf_error_set(err, CSF_ERR_UNSUPPORTED,
                                  "instance %s: Orthanc cannot decode its pixel data (transfer "
                                  "syntax %s)",
                                  s->instance, ts ? ts : "unknown");
    free(ts);
    return st;
}

/* Stored values -> float with the rescale, any grey-scale pixel format. */
static csf_status read_pixels(csfo_plugin *p, OrthancPluginImage *im, csfo_slice *s,
                              const double rescale[2], csf_error *err)
{
    OrthancPluginPixelFormat fmt = OrthancPluginGetImagePixelFormat(p->ctx, im);
    s->cols = OrthancPluginGetImageWidth(p->ctx, im);
    s->rows = OrthancPluginGetImageHeight(p->ctx, im);
    size_t pitch = OrthancPluginGetImagePitch(p->ctx, im);
    const uint8_t *buf = OrthancPluginGetImageBuffer(p->ctx, im);
    if (s->rows == 0 || s->cols == 0 || s->rows > CSF_VOLUME_MAX_AXIS ||
        s->cols > CSF_VOLUME_MAX_AXIS)
        return csf_error_set(err, CSF_ERR_FORMAT, "instance %s: matrix %zux%zu out of range",
                             s->instance, s->cols, s->rows);
    s->pixels = malloc(s->rows * s->cols * sizeof *s->pixels);
    if (s->pixels == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate a %zux%zu slice", s->cols, s->rows);
    for (size_t r = 0; r < s->rows; r++) {
        const uint8_t *row = buf + r * pitch; /* rows are padded: always step by the pitch */
        float *dst = s->pixels + r * s->cols;
        for (size_t c = 0; c < s->cols; c++) {
            double v;
            switch (fmt) {
            case OrthancPluginPixelFormat_Grayscale8: v = row[c]; break;
            case OrthancPluginPixelFormat_Grayscale16: v = ((const uint16_t *)(const void *)row)[c]; break;
            case OrthancPluginPixelFormat_SignedGrayscale16: v = ((const int16_t *)(const void *)row)[c]; break;
            case OrthancPluginPixelFormat_Grayscale32: v = ((const uint32_t *)(const void *)row)[c]; break;
            case OrthancPluginPixelFormat_Float32: v = ((const float *)(const void *)row)[c]; break;
            default:
                return csf_error_set(err, CSF_ERR_UNSUPPORTED,
                                     "instance %s: colour or unknown pixel format %d, not a "
                                     "grey-scale MR image",
                                     s->instance, (int)fmt);
            }
            dst[c] = (float)(v * rescale[0] + rescale[1]);
        }
    }
    return CSF_OK;
}

static csf_status read_one(csfo_plugin *p, const char *iid, csfo_slice *s, csf_error *err)
{
    snprintf(s->instance, sizeof s->instance, "%s", iid);
    OrthancPluginMemoryBuffer b = {0};
    if (OrthancPluginGetDicomForInstance(p->ctx, &b, iid) != OrthancPluginErrorCode_Success)
        return csf_error_set(err, CSF_ERR_IO, "instance %s: cannot read it from Orthanc", iid);
    double rescale[2] = {1.0, 0.0};
    csf_status st = read_tags(p, &b, s, rescale, err);
    if (st == CSF_OK) {
        OrthancPluginImage *im = OrthancPluginDecodeDicomImage(p->ctx, b.data, b.size, 0);
        if (im == NULL) {
            st = decode_error(p, s, err);
        } else {
            st = read_pixels(p, im, s, rescale, err);
            OrthancPluginFreeImage(p->ctx, im);
        }
    }
    OrthancPluginFreeMemoryBuffer(p->ctx, &b);
    return st;
}

/* Instances are fetched and decoded by a few threads (the SDK calls are
 * thread-safe); thread t takes instances t, t + n, ... and the error of the
 * lowest failing instance is the one reported, whatever the timing. */
typedef struct reader {
    csfo_plugin *p;
    const csfo_series_info *info;
    csfo_slice *s;
    csf_error *errs;    /* one per instance */
    size_t first, step;
} reader;

static void *read_some(void *arg)
{
    reader *r = arg;
    for (size_t i = r->first; i < r->info->ninstances; i += r->step) {
        if (csfo_queue_stopping(&r->p->queue)) {
            csf_error_set(&r->errs[i], CSF_ERR_CANCELLED, "Orthanc is stopping");
            break;
        }
        if (read_one(r->p, r->info->instances[i], &r->s[i], &r->errs[i]) != CSF_OK)
            break;
    }
    return NULL;
}

static size_t reader_threads(const csfo_plugin *p, size_t n)
{
    long t = p->cfg.threads > 0 ? p->cfg.threads : csf_exec_online_cores();
    t = t < 1 ? 1 : t > 4 ? 4 : t; /* Orthanc's own threads share the cores */
    return (size_t)t < n ? (size_t)t : n;
}

csf_status csfo_series_read(csfo_plugin *p, const csfo_series_info *info, csf_volume **out,
                            char orient[4], csf_error *err)
{
    size_t n = info->ninstances;
    if (n < 2)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "%zu instance%s: a volume needs at least 2 parallel slices", n,
                             n == 1 ? "" : "s");
    csfo_slice *s = calloc(n, sizeof *s);
    csf_error *errs = calloc(n, sizeof *errs);
    size_t nt = reader_threads(p, n);
    reader rd[4];
    pthread_t th[4];
    int started[4] = {0};
    if (s == NULL || errs == NULL) {
        free(s);
        free(errs);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu slices", n);
    }
    for (size_t t = 0; t < nt; t++) {
        rd[t] = (reader){p, info, s, errs, t, nt};
        started[t] = t > 0 && pthread_create(&th[t], NULL, read_some, &rd[t]) == 0;
    }
    read_some(&rd[0]);
    for (size_t t = 1; t < nt; t++) {
        if (started[t])
            pthread_join(th[t], NULL);
        else
            read_some(&rd[t]); /* no thread: read its share here */
    }
    csf_status st = CSF_OK;
    for (size_t i = 0; st == CSF_OK && i < n; i++)
        if (errs[i].code != CSF_OK)
            st = csf_error_set(err, errs[i].code, "%s", errs[i].msg);
    if (st == CSF_OK)
        st = csfo_volume_build(s, n, out, orient, err);
    csfo_slices_free(s, n);
    free(errs);
    return st;
}
