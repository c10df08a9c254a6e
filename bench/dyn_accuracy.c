/* Accuracy of `csfleak dynamic` on phantom series: reads lines
 * "MODALITY TRUTH.json RESULT.json" from a list file and prints the figures
 * of docs/dynamic.md ("Accuracy"). Proportions carry Wilson 95 % intervals and
 * the RIC region grades a quadratic-weighted kappa, all from csfleak/stats.h.
 *   dyn_accuracy LIST */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/dynamic.h"
#include "csfleak/stats.h"

typedef struct tally {
    unsigned long level_ok, level_n, frame_ok, frame_n, kind_ok, kind_n, side_ok, side_n;
    unsigned long clean_ok, clean_n, flood_ok, flood_n, pos_ok, pos_n;
    unsigned long ind_ok[3], ind_n[3];
    unsigned long lv_found, lv_right, lv_n; /* levels named from the images (not --levels) */
    int *ga, *gb;
    size_t ng, gcap;
} tally;

static cJSON *load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    cJSON *j = NULL;
    if (b && fread(b, 1, (size_t)n, f) == (size_t)n) {
        b[n] = '\0';
        j = cJSON_Parse(b);
    }
    free(b);
    fclose(f);
    return j;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : -1e9;
}

static int truthy(const cJSON *o, const char *k)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k));
}

/* With several truth sites starting in the same frame (RIC phantoms), the one
 * matching the reported first site (by level) counts as "the" first. */
static const cJSON *pick_truth(const cJSON *tr, const cJSON *tf, const cJSON *rf)
{
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(tr, "sites");
    if (rf == NULL || !cJSON_IsArray(ts))
        return tf;
    int ri = csf_dyn_level_index(str(rf, "level"));
    const cJSON *o;
    cJSON_ArrayForEach(o, ts)
        if (num(o, "frame") == num(tf, "frame") && ri >= 0 &&
            abs(csf_dyn_level_index(str(o, "level")) - ri) <= 1)
            return o;
    return tf;
}

static void first_leak(tally *t, const cJSON *tf, const cJSON *rf, int ric)
{
    int ti = csf_dyn_level_index(str(tf, "level"));
    int ri = rf ? csf_dyn_level_index(str(rf, "level")) : -1;
    t->level_n++;
    t->level_ok += ri >= 0 && abs(ri - ti) <= 1;
    t->frame_n++;
    t->frame_ok += rf && abs((int)num(rf, "frame") - (int)num(tf, "frame")) <= 1;
    const char *tk = str(tf, "kind");
    if (!ric && tk && (strcmp(tk, "leak") == 0 || strcmp(tk, "cvf") == 0)) {
        t->kind_n++;
        t->kind_ok += rf && str(rf, "kind") && strcmp(str(rf, "kind"), tk) == 0;
    }
    t->side_n++;
    t->side_ok += rf && str(rf, "side") && strcmp(str(rf, "side"), str(tf, "side")) == 0;
}

static void ric(tally *t, const cJSON *tr, const cJSON *rr)
{
    static const char *const rn[3] = {"cervical", "thoracic", "lumbar"};
    static const char *const in[3] = {"bladder_early", "convexity_absent_24h", "fast_clearance"};
    const cJSON *tg = cJSON_GetObjectItemCaseSensitive(tr, "regions");
    const cJSON *rg = cJSON_GetObjectItemCaseSensitive(rr, "regions");
    for (int k = 0; k < 3; k++) {
        if (t->ng == t->gcap) {
            t->gcap = t->gcap ? 2 * t->gcap : 256;
            t->ga = realloc(t->ga, t->gcap * sizeof *t->ga);
            t->gb = realloc(t->gb, t->gcap * sizeof *t->gb);
        }
        t->ga[t->ng] = (int)num(cJSON_GetObjectItemCaseSensitive(tg, rn[k]), "grade");
        int g = (int)num(cJSON_GetObjectItemCaseSensitive(rg, rn[k]), "grade");
        t->gb[t->ng] = g < 0 ? -1 : g;
        t->ng++;
    }
    const cJSON *ti = cJSON_GetObjectItemCaseSensitive(tr, "indirect");
    const cJSON *ri = cJSON_GetObjectItemCaseSensitive(rr, "indirect");
    for (int k = 0; k < 3; k++) {
        t->ind_n[k]++;
        t->ind_ok[k] += truthy(ti, in[k]) == truthy(ri, in[k]);
    }
}

/* Levels the analysis found in the images: a series counts as right when
 * every named level that the truth lists lies within 8 mm of the true centre
 * (a count off by one is off by a whole vertebra, >= 16 mm). */
static void levels_found(tally *t, const cJSON *tr, const cJSON *rr)
{
    const cJSON *lv = cJSON_GetObjectItemCaseSensitive(rr, "levels");
    const char *m = str(lv, "method");
    if (m == NULL || strcmp(m, "user_landmarks") == 0)
        return;
    t->lv_n++;
    if (strcmp(m, "none") == 0)
        return;
    t->lv_found++;
    const cJSON *tz = cJSON_GetObjectItemCaseSensitive(tr, "levels"), *e;
    int matched = 0, wrong = 0;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(lv, "z_mm"))
    {
        const cJSON *z = cJSON_GetObjectItemCaseSensitive(tz, e->string);
        if (!cJSON_IsNumber(z))
            continue;
        matched++;
        wrong += fabs(z->valuedouble - e->valuedouble) > 8.0;
    }
    t->lv_right += matched > 0 && wrong == 0;
}

static void one(tally *t, const char *mod, const cJSON *tr, const cJSON *rr)
{
    levels_found(t, tr, rr);
    int is_ric = strcmp(mod, "ric") == 0;
    const cJSON *tf = cJSON_GetObjectItemCaseSensitive(tr, "first_leak");
    const cJSON *rf = cJSON_GetObjectItemCaseSensitive(rr, "first_leak");
    if (cJSON_IsNull(rf))
        rf = NULL;
    t->pos_n++;
    t->pos_ok += truthy(tr, "positive") == truthy(rr, "positive");
    if (truthy(tr, "flooded")) {
        t->flood_n++;
        t->flood_ok += truthy(rr, "flooded") && rf == NULL;
    } else if (cJSON_IsNull(tf)) {
        t->clean_n++;
        t->clean_ok += rf == NULL && !truthy(rr, "flooded");
    } else {
        first_leak(t, pick_truth(tr, tf, rf), rf, is_ric);
    }
    if (is_ric)
        ric(t, tr, rr);
}

static void line(const char *name, unsigned long x, unsigned long n)
{
    csf_prop p;
    csf_stats_prop(x, n, 0.95, &p);
    if (!p.defined) {
        printf("  %-34s n/a (n = 0)\n", name);
        return;
    }
    printf("  %-34s %.3f  (%lu/%lu, Wilson 95%% CI %.3f-%.3f)\n", name, p.value, x, n,
           p.ci[CSF_CI_WILSON][0], p.ci[CSF_CI_WILSON][1]);
}

static void report(const char *mod, tally *t)
{
    printf("%s\n", mod);
    line("first-leak level within +-1", t->level_ok, t->level_n);
    line("first frame within +-1", t->frame_ok, t->frame_n);
    if (strcmp(mod, "ric") != 0)
        line("kind (leak vs cvf) correct", t->kind_ok, t->kind_n);
    line("side correct", t->side_ok, t->side_n);
    line("no site on leak-free series", t->clean_ok, t->clean_n);
    line("flooded static study recognised", t->flood_ok, t->flood_n);
    line("positive / negative correct", t->pos_ok, t->pos_n);
    if (t->lv_n > 0) {
        line("levels found in the images", t->lv_found, t->lv_n);
        line("  found levels right (all <= 8 mm)", t->lv_right, t->lv_found);
    }
    if (strcmp(mod, "ric") == 0) {
        csf_kappa k;
        csf_error err = {0};
        if (csf_stats_kappa(t->ga, t->gb, t->ng, 4, CSF_KAPPA_QUADRATIC, 0.95, &k, &err) == CSF_OK &&
            k.defined)
            printf("  %-34s %.3f  (n = %lu regions, 95%% CI %.3f-%.3f)\n",
                   "region grade quadratic kappa", k.kappa, k.n, k.ci[0], k.ci[1]);
        line("bladder activity before 4 h", t->ind_ok[0], t->ind_n[0]);
        line("convexity activity absent at 24 h", t->ind_ok[1], t->ind_n[1]);
        line("fast clearance", t->ind_ok[2], t->ind_n[2]);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: dyn_accuracy LIST (lines: MODALITY TRUTH RESULT)\n");
        return 1;
    }
    FILE *f = fopen(argv[1], "r");
    if (f == NULL) {
        fprintf(stderr, "dyn_accuracy: cannot open '%s'\n", argv[1]);
        return 2;
    }
    static const char *const mods[3] = {"ctm", "dsm", "ric"};
    tally t[3];
    memset(t, 0, sizeof t);
    char mod[16], tp[1024], rp[1024];
    while (fscanf(f, "%15s %1023s %1023s", mod, tp, rp) == 3) {
        int m = strcmp(mod, "ctm") == 0 ? 0 : strcmp(mod, "dsm") == 0 ? 1 : 2;
        cJSON *tr = load(tp), *rr = load(rp);
        if (tr == NULL || rr == NULL) {
            fprintf(stderr, "dyn_accuracy: cannot read '%s' or '%s' (counted as a miss)\n", tp, rp);
            if (rr == NULL)
                rr = cJSON_Parse("{\"first_leak\":null,\"flooded\":false,\"positive\":false}");
        }
        if (tr != NULL)
            one(&t[m], mod, tr, rr);
        cJSON_Delete(tr);
        cJSON_Delete(rr);
    }
    fclose(f);
    for (int m = 0; m < 3; m++)
        if (t[m].pos_n > 0)
            report(mods[m], &t[m]);
    for (int m = 0; m < 3; m++) {
        free(t[m].ga);
        free(t[m].gb);
    }
    return 0;
}
