/* Cohort accuracy of `csfleak batch` against truth (phantom truth JSONs or a
 * manifest truth column). Every figure comes from the stats module, called the way
 * `csfleak evaluate` calls it: csf_stats_confusion -> csf_stats_prop (Wilson 95%)
 * and csf_stats_kappa (quadratic weights, grades 0..3). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch.h"
#include "csfleak/stats.h"
#include "evaluate_acc.h"

static const char *const REGIONS[3] = {"cervical", "thoracic", "lumbar"};

typedef struct case_truth {
    int positive;   /* 1, 0, -1 unknown */
    int grade[3];   /* -1 = outside the truth's field of view or not given */
} case_truth;

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* A word (yes/no/positive/negative/true/false) or a grade 0..3. */
static int parse_word(const char *t)
{
    static const char *const pos[] = {"yes", "positive", "true", "1", "2", "3"};
    static const char *const neg[] = {"no", "negative", "false", "0"};
    for (size_t i = 0; i < sizeof pos / sizeof *pos; i++)
        if (strcasecmp(t, pos[i]) == 0)
            return 1;
    for (size_t i = 0; i < sizeof neg / sizeof *neg; i++)
        if (strcasecmp(t, neg[i]) == 0)
            return 0;
    return -1;
}

/* The truth of one study from its truth JSON's root (parsed once by the caller). */
static csf_status truth_of_json(const char *t, const cJSON *root, case_truth *ct, csf_error *err)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(root, "positive");
    if (!cJSON_IsBool(p))
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s': not a truth JSON (no 'positive')", t);
    ct->positive = cJSON_IsTrue(p);
    const cJSON *regs = cJSON_GetObjectItemCaseSensitive(root, "regions");
    for (int k = 0; k < 3; k++) {
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(regs, REGIONS[k]), "grade");
        ct->grade[k] = cJSON_IsNumber(g) && g->valueint >= 0 && g->valueint <= 3 ? g->valueint : -1;
    }
    return CSF_OK;
}

/* *tj receives the parsed truth JSON (NULL for a word), for the evaluate accumulator. */
static csf_status load_truth(const char *t, case_truth *ct, cJSON **tj, csf_error *err)
{
    *tj = NULL;
    ct->positive = -1;
    for (int k = 0; k < 3; k++)
        ct->grade[k] = -1;
    if (!ends_with(t, ".json")) {
        ct->positive = parse_word(t);
        if (ct->positive < 0)
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "truth '%s' is neither a JSON file nor yes/no/grade 0-3", t);
        return CSF_OK;
    }
    char *txt = csf_batch_slurp(t, (size_t)64 << 20, err);
    if (txt == NULL)
        return err ? err->code : CSF_ERR_IO;
    *tj = cJSON_Parse(txt);
    free(txt);
    csf_status st = truth_of_json(t, *tj, ct, err);
    if (st != CSF_OK) {
        cJSON_Delete(*tj);
        *tj = NULL;
    }
    return st;
}

static void prop3(unsigned long x, unsigned long n, double out[3])
{
    csf_prop p;
    csf_stats_prop(x, n, 0.95, &p);
    out[0] = p.value;
    out[1] = p.ci[CSF_CI_WILSON][0];
    out[2] = p.ci[CSF_CI_WILSON][1];
}

static csf_status score(const csf_batch_pairs *pr, csf_batch_acc *a, csf_error *err)
{
    csf_confusion cm;
    if (pr->ncase > 0) {
        if (csf_stats_confusion(pr->tp, pr->pp, pr->ncase, &cm, NULL, err) != CSF_OK)
            return err ? err->code : CSF_ERR_INTERNAL;
        unsigned long c[4] = {cm.tp, cm.fp, cm.fn, cm.tn};
        memcpy(a->case_cm, c, sizeof c);
        prop3(cm.tp, cm.tp + cm.fn, a->case_sens);
        prop3(cm.tn, cm.tn + cm.fp, a->case_spec);
        a->case_defined = 1;
    }
    if (pr->nreg == 0)
        return CSF_OK;
    int *tpos = malloc(pr->nreg * sizeof *tpos), *ppos = malloc(pr->nreg * sizeof *ppos);
    if (!tpos || !ppos) {
        free(tpos);
        free(ppos);
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory scoring the cohort");
    }
    for (size_t i = 0; i < pr->nreg; i++) {
        tpos[i] = pr->tg[i] >= 1;
        ppos[i] = pr->pg[i] >= 1;
    }
    csf_status st = csf_stats_confusion(tpos, ppos, pr->nreg, &cm, NULL, err);
    free(tpos);
    free(ppos);
    if (st != CSF_OK)
        return st;
    unsigned long c[4] = {cm.tp, cm.fp, cm.fn, cm.tn};
    memcpy(a->region_cm, c, sizeof c);
    prop3(cm.tp, cm.tp + cm.fn, a->region_sens);
    prop3(cm.tn, cm.tn + cm.fp, a->region_spec);
    a->region_defined = 1;
    csf_kappa kq;
    st = csf_stats_kappa(pr->tg, pr->pg, pr->nreg, 4, CSF_KAPPA_QUADRATIC, 0.95, &kq, err);
    if (st == CSF_OK && kq.defined) {
        a->kappa_defined = 1;
        a->kappa[0] = kq.kappa;
        a->kappa[1] = kq.ci[0];
        a->kappa[2] = kq.ci[1];
    }
    return st;
}

static void add_row(csf_batch_pairs *pr, const csf_batch_row *r, const case_truth *ct)
{
    if (ct->positive >= 0) {
        pr->tp[pr->ncase] = ct->positive;
        pr->pp[pr->ncase++] = r->assessable && r->positive;
    }
    for (int k = 0; k < 3; k++) {
        if (ct->grade[k] < 0)
            continue;
        /* a region in the truth's view the analysis left null counts as grade 0,
           as in csfleak evaluate */
        pr->tg[pr->nreg] = ct->grade[k];
        pr->pg[pr->nreg++] = r->grade[k] < 0 ? 0 : r->grade[k] > 3 ? 3 : r->grade[k];
    }
}

csf_status csf_batch_acc_begin(csf_batch_acc *a, size_t n, csf_error *err)
{
    memset(a, 0, sizeof *a);
    csf_batch_pairs *pr = &a->pairs;
    pr->tp = malloc((n + 1) * sizeof(int));
    pr->pp = malloc((n + 1) * sizeof(int));
    pr->tg = malloc((3 * n + 1) * sizeof(int));
    pr->pg = malloc((3 * n + 1) * sizeof(int));
    a->ev.name = "all";
    if (pr->tp && pr->pp && pr->tg && pr->pg)
        return CSF_OK;
    csf_batch_acc_release(a);
    return csf_error_set(err, CSF_ERR_NOMEM, "out of memory scoring the cohort");
}

/* Studies come in id order. A study with a truth JSON also goes through
 * `csfleak evaluate`'s own accumulator (the same code path), whose figures (leak
 * localisation, cysts, SLEC, and region accuracy again) land in cohort.json under
 * accuracy.evaluate. Each JSON is parsed once, here or by the caller (pred). */
csf_status csf_batch_acc_add(csf_batch_acc *a, const csf_batch_row *r, const cJSON *pred,
                             csf_error *err)
{
    if (r->s->truth == NULL)
        return CSF_OK;
    a->with_truth++;
    if (!r->ok) {
        a->excluded++;
        return CSF_OK;
    }
    case_truth ct;
    cJSON *tj = NULL;
    csf_status st = load_truth(r->s->truth, &ct, &tj, err);
    if (st != CSF_OK) {
        csf_error_prefix(err, "study '%s'", r->s->id);
        return st;
    }
    add_row(&a->pairs, r, &ct);
    if (tj && pred && csf_eval_add(&a->ev, tj, pred) != 0)
        st = csf_error_set(err, CSF_ERR_NOMEM, "out of memory scoring the cohort");
    cJSON_Delete(tj);
    return st;
}

csf_status csf_batch_acc_end(csf_batch_acc *a, csf_error *err)
{
    a->ncases = a->pairs.ncase;
    a->nregions = a->pairs.nreg;
    csf_status st = score(&a->pairs, a, err);
    a->evaluate = st == CSF_OK && a->ev.ncases > 0 ? cJSON_CreateObject() : NULL;
    if (a->evaluate)
        csf_eval_report(&a->ev, NULL, a->evaluate);
    return st;
}

void csf_batch_acc_release(csf_batch_acc *acc)
{
    cJSON_Delete(acc->evaluate);
    acc->evaluate = NULL;
    csf_eval_release(&acc->ev);
    memset(&acc->ev, 0, sizeof acc->ev);
    free(acc->pairs.tp);
    free(acc->pairs.pp);
    free(acc->pairs.tg);
    free(acc->pairs.pg);
    memset(&acc->pairs, 0, sizeof acc->pairs);
}
