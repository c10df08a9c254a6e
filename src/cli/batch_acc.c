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

static csf_status load_truth(const char *t, case_truth *ct, csf_error *err)
{
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
    cJSON *root = cJSON_Parse(txt);
    free(txt);
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(root, "positive");
    if (!cJSON_IsBool(p)) {
        cJSON_Delete(root);
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s': not a truth JSON (no 'positive')", t);
    }
    ct->positive = cJSON_IsTrue(p);
    const cJSON *regs = cJSON_GetObjectItemCaseSensitive(root, "regions");
    for (int k = 0; k < 3; k++) {
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(regs, REGIONS[k]), "grade");
        ct->grade[k] = cJSON_IsNumber(g) && g->valueint >= 0 && g->valueint <= 3 ? g->valueint : -1;
    }
    cJSON_Delete(root);
    return CSF_OK;
}

typedef struct pairs {
    int *tp, *pp, *tg, *pg; /* case truth/pred positive; region truth/pred grade */
    size_t ncase, nreg;
} pairs;

static void prop3(unsigned long x, unsigned long n, double out[3])
{
    csf_prop p;
    csf_stats_prop(x, n, 0.95, &p);
    out[0] = p.value;
    out[1] = p.ci[CSF_CI_WILSON][0];
    out[2] = p.ci[CSF_CI_WILSON][1];
}

static csf_status score(const pairs *pr, csf_batch_acc *a, csf_error *err)
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

static void add_row(pairs *pr, const csf_batch_row *r, const case_truth *ct)
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

static cJSON *parse_file(const char *path)
{
    char *txt = csf_batch_slurp(path, (size_t)64 << 20, NULL);
    cJSON *j = txt ? cJSON_Parse(txt) : NULL;
    free(txt);
    return j;
}

/* The truth-JSON studies through `csfleak evaluate`'s own accumulator: the same code
 * path, so its figures (leak localisation, cysts, SLEC, and region accuracy again)
 * land in cohort.json under accuracy.evaluate. */
static csf_status add_evaluate(const csf_batch_row *rows, size_t n, const char *outdir,
                               csf_batch_acc *out, csf_error *err)
{
    csf_eval_acc ev;
    memset(&ev, 0, sizeof ev);
    ev.name = "all";
    csf_status st = CSF_OK;
    for (size_t i = 0; i < n && st == CSF_OK; i++) {
        const char *t = rows[i].s->truth;
        if (!rows[i].ok || t == NULL || !ends_with(t, ".json"))
            continue;
        char p[4200];
        csf_batch_fmt(p, sizeof p, "%s/%s/analysis.json", outdir, rows[i].s->id);
        cJSON *tj = parse_file(t), *pj = parse_file(p);
        if (tj && pj && csf_eval_add(&ev, tj, pj) != 0)
            st = csf_error_set(err, CSF_ERR_NOMEM, "out of memory scoring the cohort");
        cJSON_Delete(tj);
        cJSON_Delete(pj);
    }
    out->evaluate = st == CSF_OK && ev.ncases > 0 ? cJSON_CreateObject() : NULL;
    if (out->evaluate)
        csf_eval_report(&ev, NULL, out->evaluate);
    csf_eval_release(&ev);
    return st;
}

csf_status csf_batch_accuracy(const csf_batch_row *rows, size_t n, const char *outdir,
                              csf_batch_acc *out, csf_error *err)
{
    memset(out, 0, sizeof *out);
    pairs pr = {malloc((n + 1) * sizeof(int)), malloc((n + 1) * sizeof(int)),
                malloc((3 * n + 1) * sizeof(int)), malloc((3 * n + 1) * sizeof(int)), 0, 0};
    csf_status st = (pr.tp && pr.pp && pr.tg && pr.pg)
                        ? CSF_OK
                        : csf_error_set(err, CSF_ERR_NOMEM, "out of memory scoring the cohort");
    for (size_t i = 0; i < n && st == CSF_OK; i++) {
        if (rows[i].s->truth == NULL)
            continue;
        out->with_truth++;
        if (!rows[i].ok) {
            out->excluded++;
            continue;
        }
        case_truth ct;
        st = load_truth(rows[i].s->truth, &ct, err);
        if (st != CSF_OK)
            csf_error_prefix(err, "study '%s'", rows[i].s->id);
        else
            add_row(&pr, &rows[i], &ct);
    }
    out->ncases = pr.ncase;
    out->nregions = pr.nreg;
    if (st == CSF_OK)
        st = score(&pr, out, err);
    if (st == CSF_OK)
        st = add_evaluate(rows, n, outdir, out, err);
    free(pr.tp);
    free(pr.pp);
    free(pr.tg);
    free(pr.pg);
    return st;
}

void csf_batch_acc_release(csf_batch_acc *acc)
{
    cJSON_Delete(acc->evaluate);
    acc->evaluate = NULL;
}
