/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
/* Results back into Orthanc: a Secondary Capture key-image series and a
 * Basic Text SR series in the analysed study, the analysis JSON as an
 * attachment of the analysed series, and the done flag as its metadata. The
 * result series UIDs are derived from the analysed series UID, so a
 * re-analysis finds and replaces them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "series.h"

#define SC_CLASS "1.2.840.10008.5.1.4.1.1.7"
#define SC_DESCRIPTION "csfleak key images - research use only"
#define SR_CLASS "1.2.840.10008.5.1.4.1.1.88.11" /* Basic Text SR */
#define SR_DESCRIPTION "csfleak report - research use only"

static uint64_t fnv1a(const char *s, uint64_t h)
{
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* "2.25." + a 128-bit hash of the analysed series UID in decimal (the
 * UUID-derived UID form of PS3.5 B.2). */
static void derived_uid(const csfo_series_info *info, const char *salt, char out[64])
{
    const char *key = info->series_uid[0] ? info->series_uid : info->id;
    uint64_t hi = fnv1a(key, 0xcbf29ce484222325ULL), lo = fnv1a(key, 0x84222325cbf29ce4ULL ^ hi);
    hi = fnv1a(salt, hi);
    uint32_t limb[4] = {(uint32_t)(hi >> 32), (uint32_t)hi, (uint32_t)(lo >> 32), (uint32_t)lo};
    char digits[48];
    size_t nd = 0;
    do { /* long division of the 128-bit number by 10 */
        uint64_t rem = 0;
        int nonzero = 0;
        for (int i = 0; i < 4; i++) {
            uint64_t cur = (rem << 32) | limb[i];
            limb[i] = (uint32_t)(cur / 10);
            rem = cur % 10;
            nonzero |= limb[i] != 0;
        }
        digits[nd++] = (char)('0' + rem);
        if (!nonzero)
            break;
    } while (nd < sizeof digits);
    size_t o = (size_t)snprintf(out, 64, "2.25.");
    while (nd > 0 && o < 63)
        out[o++] = digits[--nd];
    out[o] = '\0';
}

static char *base64_uri(const unsigned char *data, size_t n)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static const char prefix[] = "data:image/png;base64,";
    size_t len = sizeof prefix - 1 + 4 * ((n + 2) / 3);
    char *out = malloc(len + 1), *o;
    if (out == NULL)
        return NULL;
    memcpy(out, prefix, sizeof prefix - 1);
    o = out + sizeof prefix - 1;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)data[i + 1] << 8;
        if (i + 2 < n)
            v |= data[i + 2];
        *o++ = tbl[(v >> 18) & 63];
        *o++ = tbl[(v >> 12) & 63];
        *o++ = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
        *o++ = i + 2 < n ? tbl[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

/* Deletes the key-image series an earlier run left (found by its UID). */
static void delete_previous(csfo_plugin *p, const char *uid)
{
    char *body = NULL;
    if (csfo_post(p, "/tools/lookup", uid, strlen(uid), &body) != 0)
        return;
    cJSON *arr = cJSON_Parse(body);
    free(body);
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(it, "Type");
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "ID");
        if (cJSON_IsString(type) && strcmp(type->valuestring, "Series") == 0 &&
            cJSON_IsString(id)) {
            char uri[128];
            snprintf(uri, sizeof uri, "/series/%s", id->valuestring);
            csfo_delete(p, uri);
        }
    }
    cJSON_Delete(arr);
}

static csf_status create_sc(csfo_plugin *p, const csfo_series_info *info, const csfo_result *res,
                            const char *uid, int i, csf_error *err)
{
    char *uri = base64_uri(res->png[i], res->png_len[i]);
    if (uri == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot encode a key image");
    char sop[80], num[16], series_num[16], comment[256];
    snprintf(sop, sizeof sop, "%s.%d", uid, i + 1);
    snprintf(num, sizeof num, "%d", i + 1);
    snprintf(series_num, sizeof series_num, "%d", p->cfg.series_number);
    snprintf(comment, sizeof comment, "%s: %s", res->png_title[i], res->summary);
    cJSON *root = cJSON_CreateObject(), *tags = cJSON_AddObjectToObject(root, "Tags");
    cJSON_AddStringToObject(root, "Parent", info->study);
    cJSON_AddBoolToObject(root, "Force", 1); /* our own series / SOP UIDs under the parent study */
    cJSON_AddStringToObject(tags, "SOPClassUID", SC_CLASS);
    cJSON_AddStringToObject(tags, "SeriesInstanceUID", uid);
    cJSON_AddStringToObject(tags, "SOPInstanceUID", sop);
    cJSON_AddStringToObject(tags, "Modality", "OT");
    cJSON_AddStringToObject(tags, "ConversionType", "WSD");
    cJSON_AddStringToObject(tags, "ImageType", "DERIVED\\SECONDARY");
    cJSON_AddStringToObject(tags, "SeriesDescription", SC_DESCRIPTION);
    cJSON_AddStringToObject(tags, "SeriesNumber", series_num);
    cJSON_AddStringToObject(tags, "InstanceNumber", num);
    cJSON_AddStringToObject(tags, "Manufacturer", "csfleak");
    cJSON_AddStringToObject(tags, "SoftwareVersions", CSF_VERSION);
    cJSON_AddStringToObject(tags, "ImageComments", comment);
    cJSON_AddStringToObject(tags, "DerivationDescription", "csfleak analysis of series");
    cJSON_AddStringToObject(root, "Content", uri);
    free(uri);
    char *txt = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (txt == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot build the key-image request");
    char *answer = NULL;
    int rc = csfo_post(p, "/tools/create-dicom", txt, strlen(txt), &answer);
    cJSON_free(txt);
    free(answer);
    if (rc != 0)
        return csf_error_set(err, CSF_ERR_EXTERNAL, "Orthanc refused the key image (create-dicom)");
    return CSF_OK;
}

static cJSON *code(const char *value, const char *scheme, const char *meaning)
{
    cJSON *seq = cJSON_CreateArray(), *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "CodeValue", value);
    cJSON_AddStringToObject(item, "CodingSchemeDesignator", scheme);
    cJSON_AddStringToObject(item, "CodeMeaning", meaning);
    cJSON_AddItemToArray(seq, item);
    return seq;
}

/* Tags of the Basic Text SR: a CONTAINER "Diagnostic Imaging Report" holding
 * one TEXT "Finding" per line; empty type-2 attributes keep dsrdump quiet. */
static cJSON *sr_tags(const csfo_plugin *p, const csfo_result *res, const char *uid)
{
    char sop[80], num[16];
    snprintf(sop, sizeof sop, "%s.1", uid);
    snprintf(num, sizeof num, "%d", p->cfg.series_number + 1);
    cJSON *tags = cJSON_CreateObject();
    cJSON_AddStringToObject(tags, "SOPClassUID", SR_CLASS);
    cJSON_AddStringToObject(tags, "SeriesInstanceUID", uid);
    cJSON_AddStringToObject(tags, "SOPInstanceUID", sop);
    cJSON_AddStringToObject(tags, "Modality", "SR");
    cJSON_AddStringToObject(tags, "SeriesDescription", SR_DESCRIPTION);
    cJSON_AddStringToObject(tags, "SeriesNumber", num);
    cJSON_AddStringToObject(tags, "InstanceNumber", "1");
    cJSON_AddStringToObject(tags, "Manufacturer", "csfleak");
    cJSON_AddStringToObject(tags, "SoftwareVersions", CSF_VERSION);
    cJSON_AddStringToObject(tags, "ValueType", "CONTAINER");
    cJSON_AddStringToObject(tags, "ContinuityOfContent", "SEPARATE");
    cJSON_AddStringToObject(tags, "CompletionFlag", "COMPLETE");
    cJSON_AddStringToObject(tags, "VerificationFlag", "UNVERIFIED");
    cJSON_AddStringToObject(tags, "ReferringPhysicianName", "");
    cJSON_AddItemToObject(tags, "ReferencedPerformedProcedureStepSequence", cJSON_CreateArray());
    cJSON_AddItemToObject(tags, "PerformedProcedureCodeSequence", cJSON_CreateArray());
    cJSON_AddItemToObject(tags, "ConceptNameCodeSequence",
                          code("18748-4", "LN", "Diagnostic Imaging Report"));
    cJSON *content = cJSON_AddArrayToObject(tags, "ContentSequence");
    for (size_t i = 0; i < res->nlines; i++) {
        cJSON *it = cJSON_CreateObject();
        cJSON_AddStringToObject(it, "RelationshipType", "CONTAINS");
        cJSON_AddStringToObject(it, "ValueType", "TEXT");
        cJSON_AddItemToObject(it, "ConceptNameCodeSequence", code("121071", "DCM", "Finding"));
        cJSON_AddStringToObject(it, "TextValue", res->lines[i]);
        cJSON_AddItemToArray(content, it);
    }
    return tags;
}

static csf_status create_sr(csfo_plugin *p, const csfo_series_info *info,
                            const csfo_result *res, const char *uid, csf_error *err)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "Parent", info->study);
    cJSON_AddBoolToObject(root, "Force", 1);
    cJSON_AddItemToObject(root, "Tags", sr_tags(p, res, uid));
    char *txt = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (txt == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot build the report request");
    char *answer = NULL;
    int rc = csfo_post(p, "/tools/create-dicom", txt, strlen(txt), &answer);
    cJSON_free(txt);
    free(answer);
    return rc == 0 ? CSF_OK
                   : csf_error_set(err, CSF_ERR_EXTERNAL, "Orthanc refused the SR (create-dicom)");
}

static int put_state(csfo_plugin *p, const char *series, const char *value)
{
    char uri[160];
    snprintf(uri, sizeof uri, "/series/%s/metadata/%d", series, p->cfg.metadata);
    return csfo_put(p, uri, value, strlen(value));
}

csf_status csfo_writeback(csfo_plugin *p, const csfo_series_info *info, const csfo_result *res,
                          csf_error *err)
{
    char uid[64], sr_uid[64], uri[160];
    derived_uid(info, "csfleak-key-images", uid);
    derived_uid(info, "csfleak-report", sr_uid);
    delete_previous(p, uid);
    delete_previous(p, sr_uid);
    for (int i = 0; i < 2; i++)
        if (res->png[i]) {
            csf_status st = create_sc(p, info, res, uid, i, err);
            if (st != CSF_OK)
                return st;
        }
    if (res->nlines > 0) {
        csf_status st = create_sr(p, info, res, sr_uid, err);
        if (st != CSF_OK)
            return st;
    }
    snprintf(uri, sizeof uri, "/series/%s/attachments/%d", info->id, p->cfg.attachment);
    if (csfo_put(p, uri, res->json, strlen(res->json)) != 0)
        return csf_error_set(err, CSF_ERR_EXTERNAL,
                             "Orthanc refused the result attachment %d (is it a free user "
                             "content type?)",
                             p->cfg.attachment);
    if (put_state(p, info->id, "done") != 0)
        return csf_error_set(err, CSF_ERR_EXTERNAL, "Orthanc refused the metadata %d",
                             p->cfg.metadata);
    return CSF_OK;
}

void csfo_writeback_error(csfo_plugin *p, const csfo_series_info *info, const char *reason)
{
    char uid[64], uri[160], value[CSF_ERROR_MSG_SIZE + 16];
    derived_uid(info, "csfleak-key-images", uid);
    delete_previous(p, uid); /* a stale result must not outlive a failed re-analysis */
    derived_uid(info, "csfleak-report", uid);
    delete_previous(p, uid);
    snprintf(uri, sizeof uri, "/series/%s/attachments/%d", info->id, p->cfg.attachment);
    csfo_delete(p, uri);
    snprintf(value, sizeof value, "error: %s", reason);
    put_state(p, info->id, value);
}
