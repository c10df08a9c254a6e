/* What `csfleak batch` keeps on disk between runs: the study list
 * (OUTDIR/.batch/studies.json) and one status record per study
 * (OUTDIR/<id>/status.json), all written atomically. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "csfleak/atomic.h"

#define MAX_LIST_BYTES ((size_t)1 << 30)

static csf_status write_json(const char *path, cJSON *root, csf_error *err)
{
    char *txt = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (txt == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot write '%s': out of memory", path);
    size_t len = strlen(txt);
    txt[len] = '\n'; /* replaces the NUL: the length below excludes it */
    csf_status st = csf_atomic_write(path, txt, len + 1, err);
    free(txt);
    return st;
}

csf_status csf_batch_list_save(const csf_batch_list *l, const char *outdir, csf_error *err)
{
    char dir[4096], path[4200];
    csf_batch_fmt(dir, sizeof dir, "%s/.batch", outdir);
    csf_status st = csf_batch_mkdirs(dir, err);
    if (st != CSF_OK)
        return st;
    csf_batch_fmt(path, sizeof path, "%s/studies.json", dir);
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "studies") : NULL;
    cJSON_AddStringToObject(root, "schema", "csfleak.batch-studies/1");
    for (size_t i = 0; arr && i < l->n; i++) {
        cJSON *o = cJSON_CreateObject();
        if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            arr = NULL;
            break;
        }
        cJSON_AddStringToObject(o, "id", l->s[i].id);
        cJSON_AddStringToObject(o, "path", l->s[i].path);
        if (l->s[i].truth)
            cJSON_AddStringToObject(o, "truth", l->s[i].truth);
        else
            cJSON_AddNullToObject(o, "truth");
    }
    if (arr == NULL) {
        cJSON_Delete(root);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot write '%s': out of memory", path);
    }
    return write_json(path, root, err);
}

static const char *str_item(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

csf_status csf_batch_list_load(const char *outdir, csf_batch_list *out, csf_error *err)
{
    memset(out, 0, sizeof *out);
    char path[4200];
    csf_batch_fmt(path, sizeof path, "%s/.batch/studies.json", outdir);
    char *txt = csf_batch_slurp(path, MAX_LIST_BYTES, err);
    if (txt == NULL) {
        csf_error_prefix(err, "no batch in '%s' (run csfleak batch INPUT -o DIR first)", outdir);
        return err ? err->code : CSF_ERR_IO;
    }
    cJSON *root = cJSON_Parse(txt);
    free(txt);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "studies"), *o;
    const char *schema = str_item(root, "schema");
    if (!cJSON_IsArray(arr) || !schema || strcmp(schema, "csfleak.batch-studies/1") != 0) {
        cJSON_Delete(root);
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s': not a csfleak batch study list", path);
    }
    csf_status st = CSF_OK;
    cJSON_ArrayForEach(o, arr)
    {
        const char *id = str_item(o, "id"), *p = str_item(o, "path");
        if (!id || !p) {
            st = csf_error_set(err, CSF_ERR_FORMAT, "'%s': bad study entry", path);
            break;
        }
        if (out->n == out->cap) {
            size_t nc = out->cap ? 2 * out->cap : 64;
            csf_batch_study *ns = realloc(out->s, nc * sizeof *ns);
            if (ns == NULL) {
                st = csf_error_set(err, CSF_ERR_NOMEM, "'%s': bad study entry", path);
                break;
            }
            out->s = ns;
            out->cap = nc;
        }
        const char *t = str_item(o, "truth");
        csf_batch_study *s = &out->s[out->n++];
        s->id = strdup(id);
        s->path = strdup(p);
        s->truth = t ? strdup(t) : NULL;
        if (!s->id || !s->path || (t && !s->truth)) {
            st = csf_error_set(err, CSF_ERR_NOMEM, "'%s': out of memory", path);
            break;
        }
    }
    cJSON_Delete(root);
    if (st != CSF_OK)
        csf_batch_list_release(out);
    return st;
}

/* A decimal uint64 string, whole; 0 on success. */
static int parse_u64(const char *s, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = s && *s >= '0' && *s <= '9' ? strtoull(s, &end, 10) : 0;
    if (end == NULL || *end != '\0' || errno != 0)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int csf_batch_status_read(const char *outdir, const char *id, csf_batch_status *out)
{
    memset(out, 0, sizeof *out);
    char path[4200];
    csf_batch_fmt(path, sizeof path, "%s/%s/status.json", outdir, id);
    char *txt = csf_batch_slurp(path, 1 << 20, NULL);
    cJSON *root = txt ? cJSON_Parse(txt) : NULL;
    free(txt);
    const char *status = str_item(root, "status"), *error = str_item(root, "error");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "time_ms");
    const char *sz = str_item(root, "input_size"), *mt = str_item(root, "input_mtime_ns");
    const char *nf = str_item(root, "input_files");
    int ok = status && cJSON_IsNumber(t) && parse_u64(sz, &out->stamp.size) == 0 &&
             parse_u64(mt, &out->stamp.mtime_ns) == 0 && parse_u64(nf, &out->stamp.nfiles) == 0;
    if (ok) {
        out->ok = strcmp(status, "ok") == 0;
        snprintf(out->error, sizeof out->error, "%s", error ? error : "");
        out->time_ms = t->valuedouble;
    }
    cJSON_Delete(root);
    return ok ? 0 : -1;
}

csf_status csf_batch_status_write(const char *outdir, const csf_batch_study *s,
                                  const csf_batch_status *st, csf_error *err)
{
    char path[4200], num[3][32];
    csf_batch_fmt(path, sizeof path, "%s/%s/status.json", outdir, s->id);
    /* 64-bit counts as strings: JSON numbers are doubles and would round mtimes */
    snprintf(num[0], sizeof num[0], "%" PRIu64, st->stamp.size);
    snprintf(num[1], sizeof num[1], "%" PRIu64, st->stamp.mtime_ns);
    snprintf(num[2], sizeof num[2], "%" PRIu64, st->stamp.nfiles);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "csfleak.batch-status/1");
    cJSON_AddStringToObject(root, "id", s->id);
    cJSON_AddStringToObject(root, "input", s->path);
    cJSON_AddStringToObject(root, "input_size", num[0]);
    cJSON_AddStringToObject(root, "input_mtime_ns", num[1]);
    cJSON_AddStringToObject(root, "input_files", num[2]);
    cJSON_AddStringToObject(root, "status", st->ok ? "ok" : "failed");
    cJSON_AddStringToObject(root, "error", st->error);
    cJSON_AddNumberToObject(root, "time_ms", st->time_ms);
    return write_json(path, root, err);
}
