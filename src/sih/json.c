/* JSON for the Bern object and the "csfleak.sih-report/1" document. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/sih.h"

void *csf_bern_to_json(const csf_bern_result *b)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *pts = cJSON_AddObjectToObject(o, "points");
    if (!o || !pts) {
        cJSON_Delete(o);
        return NULL;
    }
    int ok = 1;
    for (int i = 0; i < CSF_BERN_NITEMS; i++) {
        const char *k = csf_bern_item_name(i);
        ok &= (b->points[i] < 0 ? cJSON_AddNullToObject(pts, k) : cJSON_AddNumberToObject(pts, k, b->points[i])) != NULL;
    }
    ok &= cJSON_AddNumberToObject(o, "total_min", b->total_min) != NULL;
    ok &= cJSON_AddNumberToObject(o, "total_max", b->total_max) != NULL;
    const char *cat = csf_bern_category_name(b->category);
    ok &= (cat ? cJSON_AddStringToObject(o, "category", cat) : cJSON_AddNullToObject(o, "category")) != NULL;
    ok &= cJSON_AddStringToObject(o, "category_min", csf_bern_category_name(b->cat_min)) != NULL;
    ok &= cJSON_AddStringToObject(o, "category_max", csf_bern_category_name(b->cat_max)) != NULL;
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *finding_json(const csf_finding *f, const char *text)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    int ok = cJSON_AddStringToObject(o, "sign", csf_sign_name(f->sign)) != NULL;
    ok &= cJSON_AddStringToObject(o, "status", csf_finding_status_name(f->status)) != NULL;
    if (isfinite(f->value)) {
        ok &= cJSON_AddNumberToObject(o, "value", f->value) != NULL;
        ok &= cJSON_AddStringToObject(o, "unit", f->unit ? f->unit : "") != NULL;
    }
    cJSON *span = cJSON_CreateArray();
    ok &= span != NULL && cJSON_AddItemToObject(o, "span", span);
    if (span) {
        cJSON_AddItemToArray(span, cJSON_CreateNumber((double)f->start));
        cJSON_AddItemToArray(span, cJSON_CreateNumber((double)f->end));
        ok &= cJSON_GetArraySize(span) == 2;
    }
    size_t n = f->bend - f->bstart;
    char *t = malloc(n + 1);
    ok &= t != NULL;
    if (t) {
        memcpy(t, text + f->bstart, n);
        t[n] = '\0';
        ok &= cJSON_AddStringToObject(o, "text", t) != NULL;
        free(t);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

char *csf_sih_report_json(const csf_sih_mined *res, const char *text, const char *id, int pretty)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    int ok = cJSON_AddStringToObject(o, "schema", "csfleak.sih-report/1") != NULL;
    if (id)
        ok &= cJSON_AddStringToObject(o, "id", id) != NULL;
    cJSON *arr = cJSON_AddArrayToObject(o, "findings");
    ok &= arr != NULL;
    for (size_t i = 0; ok && i < res->n; i++) {
        cJSON *f = finding_json(&res->f[i], text);
        ok &= f != NULL && cJSON_AddItemToArray(arr, f);
    }
    cJSON *b = csf_bern_to_json(&res->bern);
    ok &= b != NULL && cJSON_AddItemToObject(o, "bern", b);
    char *s = ok ? (pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o)) : NULL;
    cJSON_Delete(o);
    return s;
}
