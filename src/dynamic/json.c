/* csfleak.dynamic/1 JSON (docs/dynamic.md). Non-finite numbers are null. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>

#include "dyn_internal.h"

static void num(cJSON *o, const char *k, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static void tri(cJSON *o, const char *k, int v)
{
    if (v < 0)
        cJSON_AddNullToObject(o, k);
    else
        cJSON_AddBoolToObject(o, k, v);
}

static cJSON *site_json(const csf_dyn_site *s, csf_dyn_modality m)
{
    cJSON *o = cJSON_CreateObject();
    int ric = m == CSF_DYN_RIC;
    cJSON_AddNumberToObject(o, "frame", (double)s->frame);
    num(o, "time_s", ric ? s->time * 3600 : s->time);
    if (ric)
        num(o, "time_h", s->time);
    const char *ln = csf_dyn_level_name(s->level);
    if (ln)
        cJSON_AddStringToObject(o, "level", ln);
    else
        cJSON_AddNullToObject(o, "level");
    cJSON_AddStringToObject(o, "side", csf_dyn_side_name(s->side));
    cJSON_AddStringToObject(o, "kind", csf_dyn_kind_name(s->kind));
    cJSON_AddItemToObject(o, "center_mm", cJSON_CreateDoubleArray(s->center_mm, 3));
    const char *unit = m == CSF_DYN_CTM ? "mm3" : "mm2";
    num(o, "size_first", s->size_first);
    num(o, "size_max", s->size_max);
    cJSON_AddStringToObject(o, "size_unit", unit);
    num(o, "length_mm", s->length_mm);
    if (!ric) {
        num(o, "width_mm", s->width_mm);
        num(o, "reach_mm", s->reach_mm);
    }
    return o;
}

/* "levels": {"method", "reason", "z_mm": {"T12": -341.0, ...}} as in analyze. */
static void levels_json(const csf_dyn_result *r, const csf_dyn_levels *lv, cJSON *root)
{
    cJSON *o = cJSON_AddObjectToObject(root, "levels");
    const char *m = r->levels_info.method[0] ? r->levels_info.method
                    : lv != NULL && lv->n > 0 ? "user_landmarks" : "none";
    cJSON_AddStringToObject(o, "method", m);
    if (r->levels_info.reason[0])
        cJSON_AddStringToObject(o, "reason", r->levels_info.reason);
    else
        cJSON_AddNullToObject(o, "reason");
    cJSON *z = cJSON_AddObjectToObject(o, "z_mm");
    for (size_t i = 0; lv != NULL && i < lv->n; i++)
        cJSON_AddNumberToObject(z, csf_dyn_level_name(lv->index[i]), lv->z_mm[i]);
}

static void curves(const csf_dyn_result *r, cJSON *root)
{
    cJSON *c = cJSON_AddObjectToObject(root, "curves");
    cJSON *t = cJSON_AddArrayToObject(c, "time"), *e = cJSON_AddArrayToObject(c, "extrathecal");
    cJSON *in = cJSON_AddArrayToObject(c, "intrathecal");
    cJSON *h = cJSON_AddArrayToObject(c, "sac_height_mm"), *top = cJSON_AddArrayToObject(c, "sac_top_mm");
    cJSON *bot = cJSON_AddArrayToObject(c, "sac_bottom_mm");
    cJSON *sh = cJSON_AddArrayToObject(c, "shift_vox");
    for (size_t f = 0; f < r->nframes; f++) {
        const csf_dyn_frame *fr = &r->frames[f];
        cJSON_AddItemToArray(t, cJSON_CreateNumber(fr->time));
        cJSON_AddItemToArray(e, cJSON_CreateNumber(fr->extrathecal));
        cJSON_AddItemToArray(in, cJSON_CreateNumber(fr->intrathecal));
        cJSON_AddItemToArray(h, cJSON_CreateNumber(fr->sac_height_mm));
        cJSON_AddItemToArray(top, isfinite(fr->sac_top_mm) ? cJSON_CreateNumber(fr->sac_top_mm)
                                                           : cJSON_CreateNull());
        cJSON_AddItemToArray(bot, isfinite(fr->sac_bottom_mm)
                                      ? cJSON_CreateNumber(fr->sac_bottom_mm) : cJSON_CreateNull());
        cJSON_AddItemToArray(sh, cJSON_CreateDoubleArray(fr->shift_vox, 3));
    }
    const char *u = r->modality == CSF_DYN_CTM ? "mm3" : r->modality == CSF_DYN_DSM ? "mm2" : "counts";
    cJSON_AddStringToObject(c, "unit", u);
    cJSON_AddStringToObject(c, "time_unit", r->modality == CSF_DYN_RIC ? "h" : "s");
}

static void ric_json(const csf_dyn_result *r, cJSON *root)
{
    static const char *const rn[3] = {"cervical", "thoracic", "lumbar"};
    cJSON *rg = cJSON_AddObjectToObject(root, "regions");
    for (int k = 0; k < 3; k++) {
        cJSON *o = cJSON_AddObjectToObject(rg, rn[k]);
        if (r->region_grade[k] < 0)
            cJSON_AddNullToObject(o, "grade");
        else
            cJSON_AddNumberToObject(o, "grade", r->region_grade[k]);
    }
    cJSON *ind = cJSON_AddObjectToObject(root, "indirect");
    tri(ind, "bladder_early", r->bladder_early);
    tri(ind, "convexity_absent_24h", r->convexity_absent_24h);
    tri(ind, "fast_clearance", r->fast_clearance);
    num(ind, "clearance_half_h", r->clearance_half_h);
    num(root, "canal_width_mm", r->canal_width_mm);
}

csf_status csf_dyn_result_json(const csf_dyn_result *r, const csf_dyn_levels *lv, char **out,
                               csf_error *err)
{
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory for JSON");
    cJSON_AddStringToObject(root, "schema", "csfleak.dynamic/1");
    cJSON_AddStringToObject(root, "modality", csf_dyn_modality_name(r->modality));
    cJSON_AddNumberToObject(root, "frames", (double)r->nframes);
    const csf_dyn_levels *use = r->levels.n > 0 ? &r->levels : lv;
    cJSON_AddBoolToObject(root, "levels_known", use != NULL && use->n > 0);
    levels_json(r, use, root);
    if (r->nsites > 0)
        cJSON_AddItemToObject(root, "first_leak", site_json(&r->sites[0], r->modality));
    else
        cJSON_AddNullToObject(root, "first_leak");
    cJSON *sa = cJSON_AddArrayToObject(root, "sites");
    for (size_t i = 0; i < r->nsites; i++)
        cJSON_AddItemToArray(sa, site_json(&r->sites[i], r->modality));
    cJSON_AddBoolToObject(root, "flooded", r->flooded);
    cJSON_AddBoolToObject(root, "positive", r->positive);
    cJSON_AddStringToObject(root, "note", r->note);
    if (r->modality == CSF_DYN_RIC)
        ric_json(r, root);
    curves(r, root);
    cJSON_AddStringToObject(root, "disclaimer", "research use only - not for diagnosis");
    char *txt = cJSON_Print(root);
    cJSON_Delete(root);
    if (txt == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory for JSON");
    *out = txt;
    return CSF_OK;
}
