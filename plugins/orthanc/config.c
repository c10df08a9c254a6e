/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
/* The "CsfLeak" section of Orthanc's configuration file. */
#include <string.h>

#include <cjson/cJSON.h>

#include "plugin.h"

static csf_status get_bool(const cJSON *sec, const char *key, int *out, csf_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(sec, key);
    if (v == NULL)
        return CSF_OK;
    if (!cJSON_IsBool(v))
        return csf_error_set(err, CSF_ERR_FORMAT, "CsfLeak.%s must be true or false", key);
    *out = cJSON_IsTrue(v);
    return CSF_OK;
}

static csf_status get_int(const cJSON *sec, const char *key, int lo, int hi, int *out,
                          csf_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(sec, key);
    if (v == NULL)
        return CSF_OK;
    if (!cJSON_IsNumber(v) || v->valuedouble != (double)(int)v->valuedouble || v->valueint < lo ||
        v->valueint > hi)
        return csf_error_set(err, CSF_ERR_FORMAT, "CsfLeak.%s must be an integer in [%d, %d]",
                             key, lo, hi);
    *out = v->valueint;
    return CSF_OK;
}

static csf_status get_modalities(const cJSON *sec, csfo_config *cfg, csf_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(sec, "Modalities");
    if (v == NULL)
        return CSF_OK;
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > CSFO_MAX_MODALITIES)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "CsfLeak.Modalities must be an array of at most %d strings",
                             CSFO_MAX_MODALITIES);
    cfg->nmodalities = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, v)
    {
        if (!cJSON_IsString(m) || strlen(m->valuestring) == 0 ||
            strlen(m->valuestring) >= sizeof cfg->modalities[0])
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "CsfLeak.Modalities holds a value that is not a modality code");
        memcpy(cfg->modalities[cfg->nmodalities++], m->valuestring, strlen(m->valuestring) + 1);
    }
    return CSF_OK;
}

static csf_status get_filter(const cJSON *sec, csfo_config *cfg, csf_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(sec, "SeriesFilter");
    if (v != NULL) {
        if (!cJSON_IsString(v) || strlen(v->valuestring) >= sizeof cfg->filter)
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "CsfLeak.SeriesFilter must be a string (a regular expression)");
        memcpy(cfg->filter, v->valuestring, strlen(v->valuestring) + 1);
    }
    int rc = regcomp(&cfg->filter_re, cfg->filter, REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc != 0) {
        char why[128];
        regerror(rc, &cfg->filter_re, why, sizeof why);
        return csf_error_set(err, CSF_ERR_FORMAT, "CsfLeak.SeriesFilter '%s': %s", cfg->filter,
                             why);
    }
    cfg->filter_ok = 1;
    return CSF_OK;
}

static void defaults(csfo_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->enabled = 1;
    cfg->threads = 0;
    memcpy(cfg->filter, CSFO_DEFAULT_FILTER, sizeof CSFO_DEFAULT_FILTER);
    memcpy(cfg->modalities[0], "MR", 3);
    cfg->nmodalities = 1;
    cfg->attachment = 1024;
    cfg->metadata = 1025;
    cfg->series_number = 9901;
}

csf_status csfo_config_parse(const char *orthanc_json, csfo_config *cfg, csf_error *err)
{
    defaults(cfg);
    cJSON *root = cJSON_Parse(orthanc_json ? orthanc_json : "{}");
    if (root == NULL)
        return csf_error_set(err, CSF_ERR_FORMAT, "Orthanc's configuration is not valid JSON");
    const cJSON *sec = cJSON_GetObjectItemCaseSensitive(root, "CsfLeak");
    csf_status st = CSF_OK;
    if (sec != NULL && !cJSON_IsObject(sec))
        st = csf_error_set(err, CSF_ERR_FORMAT, "CsfLeak must be a JSON object");
    if (st == CSF_OK && sec != NULL) {
        st = get_bool(sec, "Enabled", &cfg->enabled, err);
        if (st == CSF_OK)
            st = get_int(sec, "Threads", 0, 256, &cfg->threads, err);
        if (st == CSF_OK)
            st = get_int(sec, "AttachmentIndex", 1024, 65535, &cfg->attachment, err);
        if (st == CSF_OK)
            st = get_int(sec, "MetadataIndex", 1024, 65535, &cfg->metadata, err);
        if (st == CSF_OK)
            st = get_int(sec, "SeriesNumber", 1, 99999, &cfg->series_number, err);
        if (st == CSF_OK)
            st = get_modalities(sec, cfg, err);
    }
    if (st == CSF_OK)
        st = get_filter(sec, cfg, err); /* NULL section: the default */
    cJSON_Delete(root);
    return st;
}

void csfo_config_release(csfo_config *cfg)
{
    if (cfg->filter_ok)
        regfree(&cfg->filter_re);
    cfg->filter_ok = 0;
}
