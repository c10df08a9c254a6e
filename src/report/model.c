/* Tolerant reading of the analysis JSON: levels, sac widths, finding labels. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/page.h"

const cJSON *csf_rj_get(const cJSON *o, const char *key)
{
    if (o == NULL || !cJSON_IsObject(o))
        return NULL;
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

const char *csf_rj_str(const cJSON *o, const char *key)
{
    const cJSON *v = csf_rj_get(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

double csf_rj_num(const cJSON *o, const char *key)
{
    const cJSON *v = csf_rj_get(o, key);
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : NAN;
}

double csf_rj_num_any(const cJSON *o, const char *const *keys)
{
    for (; *keys != NULL; keys++) {
        double v = csf_rj_num(o, *keys);
        if (isfinite(v))
            return v;
    }
    return NAN;
}

int csf_rj_vec3_of(const cJSON *v, double out[3])
{
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 3)
        return 0;
    double t[3];
    for (int i = 0; i < 3; i++) {
        const cJSON *e = cJSON_GetArrayItem(v, i);
        if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble))
            return 0;
        t[i] = e->valuedouble;
    }
    memcpy(out, t, sizeof t);
    return 1;
}

int csf_rj_vec3(const cJSON *o, const char *key, double out[3])
{
    return csf_rj_vec3_of(csf_rj_get(o, key), out);
}

int csf_rj_grade(const cJSON *o, const char *key)
{
    double g = csf_rj_num(o, key);
    if (!isfinite(g) || g < 0 || g > 3 || g != floor(g))
        return -1;
    return (int)g;
}

int csf_level_rank(const char *name)
{
    if (name == NULL)
        return -1;
    static const struct { char c; int base, n; } reg[] = {
        {'C', 0, 7}, {'T', 7, 12}, {'L', 19, 5}, {'S', 24, 5}};
    if (strncmp(name, "Co", 2) == 0)
        return 29;
    for (size_t r = 0; r < sizeof reg / sizeof reg[0]; r++) {
        if (name[0] != reg[r].c || name[1] < '1' || name[1] > '9')
            continue;
        int k = name[1] - '0';
        if (name[2] >= '0' && name[2] <= '9')
            k = k * 10 + (name[2] - '0');
        if (k >= 1 && k <= reg[r].n)
            return reg[r].base + k - 1;
    }
    return -1;
}

const char *csf_level_region(const char *name)
{
    int r = csf_level_rank(name);
    if (r < 0)
        return NULL;
    if (r < 7)
        return "cervical";
    if (r < 19)
        return "thoracic";
    if (r < 24)
        return "lumbar";
    return "sacral";
}

static int level_cmp(const void *pa, const void *pb)
{
    const csf_rlevel *a = pa, *b = pb;
    int ra = a->rank < 0 ? 1000 : a->rank, rb = b->rank < 0 ? 1000 : b->rank;
    if (ra != rb)
        return ra < rb ? -1 : 1;
    /* unknown names: cranial (higher z) first */
    if (isfinite(a->z_mm) && isfinite(b->z_mm) && a->z_mm != b->z_mm)
        return a->z_mm > b->z_mm ? -1 : 1;
    return strcmp(a->name, b->name);
}

/* The name -> z map: levels.z_mm | levels.positions | levels.names | levels
 * itself (numeric members), or an array of {name|level, z_mm}. */
static const cJSON *level_map(const cJSON *lv)
{
    static const char *const keys[] = {"z_mm", "positions", "names", "z", NULL};
    for (const char *const *k = keys; *k; k++) {
        const cJSON *m = csf_rj_get(lv, *k);
        if (cJSON_IsObject(m) || cJSON_IsArray(m))
            return m;
    }
    return lv;
}

static int level_entry(const cJSON *e, csf_rlevel *out)
{
    if (cJSON_IsNumber(e) && e->string != NULL) {
        out->name = e->string;
        out->z_mm = e->valuedouble;
    } else if (cJSON_IsObject(e)) {
        out->name = csf_rj_str(e, "name");
        if (out->name == NULL)
            out->name = csf_rj_str(e, "level");
        if (out->name == NULL)
            out->name = e->string;
        static const char *const zk[] = {"z_mm", "z", NULL};
        out->z_mm = csf_rj_num_any(e, zk);
    } else {
        return 0;
    }
    if (out->name == NULL || csf_level_rank(out->name) < 0)
        return 0;
    out->rank = csf_level_rank(out->name);
    return 1;
}

csf_status csf_page_levels(csf_page *pg, csf_error *err)
{
    const cJSON *m = level_map(csf_rj_get(pg->a, "levels"));
    int n = cJSON_IsObject(m) || cJSON_IsArray(m) ? cJSON_GetArraySize(m) : 0;
    pg->nlevels = 0;
    if (n <= 0)
        return CSF_OK;
    pg->levels = calloc((size_t)n, sizeof *pg->levels);
    if (pg->levels == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory for %d levels", n);
    const cJSON *e;
    cJSON_ArrayForEach(e, m)
    {
        csf_rlevel l = {0};
        if (level_entry(e, &l))
            pg->levels[pg->nlevels++] = l;
    }
    qsort(pg->levels, pg->nlevels, sizeof *pg->levels, level_cmp);
    return CSF_OK;
}

const cJSON *csf_page_sac_records(const csf_page *pg)
{
    const cJSON *sac = csf_rj_get(pg->a, "sac");
    const cJSON *lv = csf_rj_get(sac, "levels");
    if (lv == NULL)
        lv = csf_rj_get(sac, "per_level");
    return lv;
}

const cJSON *csf_page_sac_level(const csf_page *pg, const char *level)
{
    if (level == NULL)
        return NULL;
    const cJSON *lv = csf_page_sac_records(pg);
    if (cJSON_IsObject(lv)) {
        const cJSON *e = csf_rj_get(lv, level);
        return cJSON_IsObject(e) ? e : NULL;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, lv)
    {
        const char *n = csf_rj_str(e, "level");
        if (n == NULL)
            n = csf_rj_str(e, "name");
        if (n != NULL && strcmp(n, level) == 0)
            return e;
    }
    return NULL;
}

/* key names for the widths: ours first, then those csfleak analyze writes */
const char *const csf_k_trans[] = {"transverse_mm", "width_lr_mm", "transverse_width_mm",
                                   "width_mm", NULL};
const char *const csf_k_ap[] = {"ap_mm", "width_ap_mm", "ap_width_mm", NULL};

double csf_page_sac_width(const csf_page *pg, const char *level, int ap)
{
    return csf_rj_num_any(csf_page_sac_level(pg, level), ap ? csf_k_ap : csf_k_trans);
}

double csf_page_finding_sac_width(const csf_page *pg, const cJSON *f)
{
    static const char *const k[] = {"sac_width_mm", "local_sac_width_mm",
                                    "sac_transverse_mm", NULL};
    double w = csf_rj_num_any(f, k);
    if (!isfinite(w))
        w = csf_rj_num_any(csf_rj_get(f, "features"), k);
    if (!isfinite(w))
        w = csf_page_sac_width(pg, csf_rj_str(f, "level"), 0);
    return w;
}

const char *csf_finding_class(const cJSON *f)
{
    const char *kind = csf_rj_str(f, "kind");
    if (kind == NULL)
        return "k-other";
    if (strcmp(kind, "leak") == 0) {
        static const char *const c[] = {"k-leak0", "k-leak1", "k-leak2", "k-leak3"};
        int g = csf_rj_grade(f, "grade");
        return g < 0 ? "k-leak1" : c[g];
    }
    if (strcmp(kind, "perineural_cyst") == 0)
        return "k-cyst";
    if (strcmp(kind, "slec") == 0)
        return "k-slec";
    if (strcmp(kind, "diverticulum") == 0)
        return "k-div";
    return "k-other";
}

void csf_finding_label(const cJSON *f, char *buf, size_t n)
{
    const char *kind = csf_rj_str(f, "kind");
    const char *cls = csf_finding_class(f);
    int g = csf_rj_grade(f, "grade");
    if (strncmp(cls, "k-leak", 6) == 0 && g >= 0)
        snprintf(buf, n, "leak G%d", g);
    else if (strcmp(cls, "k-cyst") == 0)
        snprintf(buf, n, "cyst");
    else if (strcmp(cls, "k-slec") == 0)
        snprintf(buf, n, "SLEC");
    else if (strcmp(cls, "k-div") == 0)
        snprintf(buf, n, "diverticulum");
    else
        snprintf(buf, n, "%.24s", kind ? kind : "finding");
}

void csf_finding_level_text(const cJSON *f, char *buf, size_t n)
{
    const char *from = csf_rj_str(f, "level"), *to = csf_rj_str(f, "level_to");
    if (from == NULL)
        snprintf(buf, n, "%s", "");
    else if (to != NULL && strcmp(to, from) != 0)
        snprintf(buf, n, "%.16s\xE2\x80\x93%.16s", from, to);
    else
        snprintf(buf, n, "%.16s", from);
}
