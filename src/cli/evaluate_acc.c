/* Case-by-case comparison of analysis JSONs with phantom truth. The
 * statistics themselves come from the stats module (one implementation). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/spine.h"
#include "csfleak/stats.h"
#include "evaluate_acc.h"

#define MATCH_MM 40.0 /* a predicted leak within this height of a true one, same side */
#define CYST_MATCH_MM 20.0

static const char *const REGIONS[3] = {"cervical", "thoracic", "lumbar"};

static int grade_of(const cJSON *root, const char *region, int *isnull)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "regions"), region);
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(r, "grade");
    *isnull = !cJSON_IsNumber(g);
    return cJSON_IsNumber(g) ? g->valueint : 0;
}

static int push_pair(csf_eval_acc *a, int tg, int pg)
{
    if (a->npairs == a->cap) {
        size_t nc = a->cap ? 2 * a->cap : 256;
        int *p[4] = {realloc(a->truth_pos, nc * sizeof(int)), NULL, NULL, NULL};
        if (p[0] == NULL)
            return -1;
        a->truth_pos = p[0];
        if ((p[1] = realloc(a->pred_pos, nc * sizeof(int))) == NULL)
            return -1;
        a->pred_pos = p[1];
        if ((p[2] = realloc(a->truth_grade, nc * sizeof(int))) == NULL)
            return -1;
        a->truth_grade = p[2];
        if ((p[3] = realloc(a->pred_grade, nc * sizeof(int))) == NULL)
            return -1;
        a->pred_grade = p[3];
        a->cap = nc;
    }
    a->truth_pos[a->npairs] = tg >= 1;
    a->pred_pos[a->npairs] = pg >= 1;
    a->truth_grade[a->npairs] = tg;
    a->pred_grade[a->npairs++] = pg;
    return 0;
}

static const char *str_of(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int center_of(const cJSON *f, double c[3])
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(f, "center_mm");
    if (cJSON_GetArraySize(a) != 3)
        return 0;
    for (int q = 0; q < 3; q++) {
        const cJSON *v = cJSON_GetArrayItem(a, q);
        if (!cJSON_IsNumber(v))
            return 0;
        c[q] = v->valuedouble;
    }
    return 1;
}

static int in_fov(const cJSON *f)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(f, "in_fov");
    return !cJSON_IsFalse(v);
}

/* True leaks: found (same side, within MATCH_MM of height) and level within one. */
static void leaks(csf_eval_acc *a, const cJSON *tf, const cJSON *pf)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, tf)
    {
        const char *k = str_of(t, "kind");
        double tc[3];
        if (!k || strcmp(k, "leak") != 0 || !in_fov(t) || !center_of(t, tc))
            continue;
        a->leaks++;
        const cJSON *p, *best = NULL;
        double bd = MATCH_MM;
        cJSON_ArrayForEach(p, pf)
        {
            double pc[3];
            const char *pk = str_of(p, "kind"), *ps = str_of(p, "side"), *ts = str_of(t, "side");
            if (!pk || strcmp(pk, "leak") != 0 || !center_of(p, pc) || !ps || !ts || strcmp(ps, ts) != 0)
                continue;
            if (fabs(pc[2] - tc[2]) <= bd) {
                bd = fabs(pc[2] - tc[2]);
                best = p;
            }
        }
        if (best == NULL)
            continue;
        a->leaks_found++;
        int tl = csf_level_index(str_of(t, "level")), pl = csf_level_index(str_of(best, "level"));
        if (tl >= 0 && pl >= 0 && abs(tl - pl) <= 1)
            a->leaks_level_ok++;
    }
}

/* A 2D thick slab is a projection: its findings carry the slab's centre as
 * their depth, so a cyst behind that centre (the sacral canal curves back
 * below S1) is matched in x and z only. */
static int projected(const cJSON *pred)
{
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(pred, "input");
    const char *pr = str_of(in, "protocol");
    return pr != NULL && strcmp(pr, "2d") == 0;
}

/* True cysts: what the nearest predicted finding (if any) called them. */
static void cysts(csf_eval_acc *a, const cJSON *tf, const cJSON *pf, int flat)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, tf)
    {
        const char *k = str_of(t, "kind");
        double tc[3];
        if (!k || strcmp(k, "perineural_cyst") != 0 || !in_fov(t) || !center_of(t, tc))
            continue;
        a->cysts++;
        const cJSON *p, *best = NULL;
        double bd = CYST_MATCH_MM;
        cJSON_ArrayForEach(p, pf)
        {
            double pc[3];
            if (!center_of(p, pc))
                continue;
            double dy = flat ? 0.0 : pc[1] - tc[1];
            double d = sqrt((pc[0] - tc[0]) * (pc[0] - tc[0]) + dy * dy + (pc[2] - tc[2]) * (pc[2] - tc[2]));
            if (d <= bd) {
                bd = d;
                best = p;
            }
        }
        const char *bk = best ? str_of(best, "kind") : NULL;
        a->cysts_as_leak += bk && strcmp(bk, "leak") == 0;
        a->cysts_as_cyst += bk && strcmp(bk, "perineural_cyst") == 0;
    }
}

int csf_eval_add(csf_eval_acc *a, const cJSON *truth, const cJSON *pred)
{
    a->ncases++;
    for (int r = 0; r < 3; r++) {
        int tn, pn;
        int tg = grade_of(truth, REGIONS[r], &tn), pg = grade_of(pred, REGIONS[r], &pn);
        if (tn)
            continue; /* region outside the truth's field of view */
        a->unassessed += pn;
        if (push_pair(a, tg, pn ? 0 : pg) != 0)
            return -1;
    }
    const cJSON *tf = cJSON_GetObjectItemCaseSensitive(truth, "findings");
    const cJSON *pf = cJSON_GetObjectItemCaseSensitive(pred, "findings");
    leaks(a, tf, pf);
    cysts(a, tf, pf, projected(pred));
    int ts = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(truth, "slec"), "present"));
    int ps = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(pred, "slec"), "present"));
    a->slec_cases++;
    a->slec_correct += ts == ps;
    a->slec_truth += ts;
    a->slec_found += ts && ps;
    return 0;
}

void csf_eval_release(csf_eval_acc *a)
{
    free(a->truth_pos);
    free(a->pred_pos);
    free(a->truth_grade);
    free(a->pred_grade);
}

/* The table goes to fp; NULL keeps it silent (batch only wants the JSON). */
__attribute__((format(printf, 2, 3))) static void say(FILE *fp, const char *fmt, ...)
{
    if (fp == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(fp, fmt, ap);
    va_end(ap);
}

static void print_prop(FILE *fp, const char *label, unsigned long x, unsigned long n, cJSON *o, const char *key)
{
    csf_prop p;
    csf_stats_prop(x, n, 0.95, &p);
    if (!p.defined) {
        say(fp, "  %-34s n/a (%lu/%lu)\n", label, x, n);
        if (o)
            cJSON_AddNullToObject(o, key);
        return;
    }
    say(fp, "  %-34s %.3f  (%lu/%lu, 95%% Wilson %.3f-%.3f)\n", label, p.value, x, n,
           p.ci[CSF_CI_WILSON][0], p.ci[CSF_CI_WILSON][1]);
    if (o) {
        cJSON *e = cJSON_AddObjectToObject(o, key);
        cJSON_AddNumberToObject(e, "value", p.value);
        cJSON_AddNumberToObject(e, "x", (double)x);
        cJSON_AddNumberToObject(e, "n", (double)n);
        cJSON *ci = cJSON_AddArrayToObject(e, "wilson95");
        cJSON_AddItemToArray(ci, cJSON_CreateNumber(p.ci[CSF_CI_WILSON][0]));
        cJSON_AddItemToArray(ci, cJSON_CreateNumber(p.ci[CSF_CI_WILSON][1]));
    }
}

static void print_kappa(FILE *fp, const csf_eval_acc *a, cJSON *o)
{
    csf_kappa kq, ku;
    csf_error err = {0};
    if (csf_stats_kappa(a->truth_grade, a->pred_grade, a->npairs, 4, CSF_KAPPA_QUADRATIC, 0.95, &kq,
                        &err) != CSF_OK ||
        csf_stats_kappa(a->truth_grade, a->pred_grade, a->npairs, 4, CSF_KAPPA_UNWEIGHTED, 0.95, &ku,
                        &err) != CSF_OK) {
        say(fp, "  grade agreement: %s\n", err.msg);
        return;
    }
    if (!kq.defined) {
        say(fp, "  %-34s n/a\n", "grade kappa (quadratic)");
        return;
    }
    say(fp, "  %-34s %.3f  (95%% CI %.3f-%.3f)\n", "grade kappa (quadratic weights)", kq.kappa, kq.ci[0],
           kq.ci[1]);
    say(fp, "  %-34s %.3f  (unweighted kappa %.3f)\n", "grade exact agreement", ku.observed, ku.kappa);
    if (o) {
        cJSON_AddNumberToObject(o, "kappa_quadratic", kq.kappa);
        cJSON *ci = cJSON_AddArrayToObject(o, "kappa_quadratic_ci95");
        cJSON_AddItemToArray(ci, cJSON_CreateNumber(kq.ci[0]));
        cJSON_AddItemToArray(ci, cJSON_CreateNumber(kq.ci[1]));
        cJSON_AddNumberToObject(o, "grade_exact_agreement", ku.observed);
        cJSON_AddNumberToObject(o, "kappa_unweighted", ku.kappa);
    }
}

void csf_eval_report(const csf_eval_acc *a, FILE *fp, cJSON *out)
{
    cJSON *o = out ? cJSON_AddObjectToObject(out, a->name) : NULL;
    say(fp, "%s: %zu cases, %zu region pairs (%zu regions in view not assessed, counted grade 0)\n",
           a->name, a->ncases, a->npairs, a->unassessed);
    if (o) {
        cJSON_AddNumberToObject(o, "cases", (double)a->ncases);
        cJSON_AddNumberToObject(o, "region_pairs", (double)a->npairs);
        cJSON_AddNumberToObject(o, "regions_not_assessed", (double)a->unassessed);
    }
    if (a->npairs == 0)
        return;
    csf_confusion cm;
    csf_error err = {0};
    if (csf_stats_confusion(a->truth_pos, a->pred_pos, a->npairs, &cm, NULL, &err) == CSF_OK) {
        print_prop(fp, "region sensitivity (grade >= 1)", cm.tp, cm.tp + cm.fn, o, "region_sensitivity");
        print_prop(fp, "region specificity", cm.tn, cm.tn + cm.fp, o, "region_specificity");
    }
    print_kappa(fp, a, o);
    print_prop(fp, "leaks found (same side, +-40 mm)", a->leaks_found, a->leaks, o, "leaks_found");
    print_prop(fp, "leak level within +-1 vertebra", a->leaks_level_ok, a->leaks, o, "leak_level_within_1");
    print_prop(fp, "perineural cysts called leaks", a->cysts_as_leak, a->cysts, o, "cysts_called_leaks");
    print_prop(fp, "perineural cysts called cysts", a->cysts_as_cyst, a->cysts, o, "cysts_called_cysts");
    print_prop(fp, "SLEC presence correct", a->slec_correct, a->slec_cases, o, "slec_presence_correct");
    print_prop(fp, "SLEC sensitivity", a->slec_found, a->slec_truth, o, "slec_sensitivity");
}
