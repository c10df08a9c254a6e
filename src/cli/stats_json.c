/* csfleak stats: the JSON document (schema in docs/stats.md). Undefined numbers
 * are null with a reason; the file is written atomically. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "csfleak/atomic.h"
#include "stats_out.h"

/* Builder that remembers any allocation failure, so one check at the end suffices. */
typedef struct jb {
    int failed;
} jb;

static cJSON *jcheck(jb *b, cJSON *item)
{
    if (item == NULL)
        b->failed = 1;
    return item;
}

static void jnum(jb *b, cJSON *o, const char *key, double v)
{
    jcheck(b, isfinite(v) ? cJSON_AddNumberToObject(o, key, v) : cJSON_AddNullToObject(o, key));
}

static void jstr(jb *b, cJSON *o, const char *key, const char *s)
{
    jcheck(b, s ? cJSON_AddStringToObject(o, key, s) : cJSON_AddNullToObject(o, key));
}

static void jpair(jb *b, cJSON *o, const char *key, const double v[2], int defined)
{
    if (!defined || !isfinite(v[0]) || !isfinite(v[1])) {
        jcheck(b, cJSON_AddNullToObject(o, key));
        return;
    }
    cJSON *a = jcheck(b, cJSON_AddArrayToObject(o, key));
    if (a == NULL)
        return;
    jcheck(b, cJSON_AddItemToArray(a, cJSON_CreateNumber(v[0])) ? a : NULL);
    jcheck(b, cJSON_AddItemToArray(a, cJSON_CreateNumber(v[1])) ? a : NULL);
}

static void jprop(jb *b, cJSON *o, const char *key, const csf_prop *p)
{
    cJSON *q = jcheck(b, cJSON_AddObjectToObject(o, key));
    if (q == NULL)
        return;
    jnum(b, q, "value", p->defined ? p->value : NAN);
    jpair(b, q, "ci_wald", p->ci[CSF_CI_WALD], p->defined);
    jpair(b, q, "ci_wilson", p->ci[CSF_CI_WILSON], p->defined);
    jpair(b, q, "ci_exact", p->ci[CSF_CI_EXACT], p->defined);
    jnum(b, q, "x", (double)p->x);
    jnum(b, q, "n", (double)p->n);
    if (!p->defined)
        jstr(b, q, "undefined", p->why);
}

static void jratio(jb *b, cJSON *o, const char *key, const csf_ratio *r)
{
    cJSON *q = jcheck(b, cJSON_AddObjectToObject(o, key));
    if (q == NULL)
        return;
    jnum(b, q, "value", r->defined ? r->value : NAN);
    jpair(b, q, "ci", r->ci, r->defined && r->ci_defined);
    if (r->why != NULL)
        jstr(b, q, "undefined", r->why);
}

static void jreader(jb *b, cJSON *arr, const csf_reads *reads, const csf_study_reader *sr)
{
    cJSON *o = cJSON_CreateObject();
    if (jcheck(b, o) == NULL || !cJSON_AddItemToArray(arr, o)) {
        cJSON_Delete(o);
        b->failed = 1;
        return;
    }
    const csf_accuracy *a = &sr->acc;
    jstr(b, o, "name", reads->readers[sr->reader]);
    jnum(b, o, "n", (double)a->n);
    jnum(b, o, "not_read", (double)sr->nnot_read);
    jnum(b, o, "tp", (double)a->cm.tp);
    jnum(b, o, "fp", (double)a->cm.fp);
    jnum(b, o, "fn", (double)a->cm.fn);
    jnum(b, o, "tn", (double)a->cm.tn);
    jprop(b, o, "sensitivity", &a->sens);
    jprop(b, o, "specificity", &a->spec);
    jprop(b, o, "accuracy", &a->acc);
    jprop(b, o, "ppv", &a->ppv);
    jprop(b, o, "npv", &a->npv);
    jratio(b, o, "lr_positive", &a->lr_pos);
    jratio(b, o, "lr_negative", &a->lr_neg);
}

/* kappa, kappa_se, kappa_ci, kappa_z, kappa_p under the given key prefix. */
static void jkappa(jb *b, cJSON *o, const char *prefix, const csf_kappa *k)
{
    char key[64];
    jnum(b, o, prefix, k->defined ? k->kappa : NAN);
    snprintf(key, sizeof key, "%s_se", prefix);
    jnum(b, o, key, k->defined ? k->se : NAN);
    snprintf(key, sizeof key, "%s_ci", prefix);
    jpair(b, o, key, k->ci, k->defined);
    snprintf(key, sizeof key, "%s_p", prefix);
    jnum(b, o, key, k->defined ? k->p : NAN);
}

static void jpairs(jb *b, cJSON *root, const csf_reads *reads, const csf_study *s)
{
    cJSON *arr = jcheck(b, cJSON_AddArrayToObject(root, "agreement"));
    for (size_t i = 0; arr != NULL && i < s->npairs; i++) {
        const csf_study_pair *p = &s->pairs[i];
        cJSON *o = cJSON_CreateObject();
        if (jcheck(b, o) == NULL || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            b->failed = 1;
            return;
        }
        jstr(b, o, "a", reads->readers[p->a]);
        jstr(b, o, "b", reads->readers[p->b]);
        jnum(b, o, "n", (double)p->kappa.n);
        jstr(b, o, "scale", p->binary_scale ? "positive/negative" : "grades");
        jnum(b, o, "observed", p->kappa.n ? p->kappa.observed : NAN);
        jkappa(b, o, "kappa", &p->kappa);
        jkappa(b, o, "weighted_kappa_linear", &p->kappa_linear);
        jkappa(b, o, "weighted_kappa_quadratic", &p->kappa_quadratic);
        jkappa(b, o, "kappa_positive", &p->kappa_binary);
        jnum(b, o, "mcnemar_p", p->mcnemar.p);
        jstr(b, o, "mcnemar_method", p->mcnemar.exact ? "exact binomial" : "chi-square, continuity corrected");
        jnum(b, o, "mcnemar_b", (double)p->mcnemar.b);
        jnum(b, o, "mcnemar_c", (double)p->mcnemar.c);
    }
}

static void jauc(jb *b, cJSON *root, const csf_reads *reads, const csf_study *s)
{
    cJSON *arr = jcheck(b, cJSON_AddArrayToObject(root, "auc"));
    for (size_t i = 0; arr != NULL && i < s->nreaders; i++) {
        const csf_study_reader *sr = &s->readers[i];
        cJSON *o = cJSON_CreateObject();
        if (jcheck(b, o) == NULL || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            b->failed = 1;
            return;
        }
        jstr(b, o, "name", reads->readers[sr->reader]);
        const csf_roc *roc = sr->roc;
        if (roc == NULL) {
            jnum(b, o, "auc", NAN);
            jstr(b, o, "undefined", sr->roc_why);
            continue;
        }
        jnum(b, o, "auc", roc->auc);
        jnum(b, o, "se", roc->se);
        jpair(b, o, "ci", roc->ci, 1);
        jnum(b, o, "n_positive", (double)roc->npos);
        jnum(b, o, "n_negative", (double)roc->nneg);
        cJSON *pts = jcheck(b, cJSON_AddArrayToObject(o, "points"));
        for (size_t k = 0; pts != NULL && k < roc->npoints; k++) {
            cJSON *pt = cJSON_CreateObject();
            if (jcheck(b, pt) == NULL || !cJSON_AddItemToArray(pts, pt)) {
                cJSON_Delete(pt);
                b->failed = 1;
                break;
            }
            jnum(b, pt, "threshold", roc->points[k].threshold); /* +inf -> null */
            jnum(b, pt, "fpr", roc->points[k].fpr);
            jnum(b, pt, "tpr", roc->points[k].tpr);
        }
    }
}

static void jfleiss(jb *b, cJSON *root, const csf_reads *reads, const csf_study *s)
{
    jnum(b, root, "fleiss_kappa", s->fleiss_defined ? s->fleiss.kappa : NAN);
    cJSON *o = jcheck(b, cJSON_AddObjectToObject(root, "fleiss"));
    if (o == NULL)
        return;
    cJSON *names = jcheck(b, cJSON_AddArrayToObject(o, "readers"));
    for (size_t i = 0; names != NULL && i < s->nfleiss; i++)
        if (!cJSON_AddItemToArray(names, cJSON_CreateString(reads->readers[s->fleiss_readers[i]])))
            b->failed = 1;
    jnum(b, o, "n", (double)reads->nunits);
    jstr(b, o, "scale", s->fleiss_binary ? "positive/negative" : "grades");
    jnum(b, o, "kappa", s->fleiss_defined ? s->fleiss.kappa : NAN);
    jnum(b, o, "se0", s->fleiss_defined ? s->fleiss.se0 : NAN);
    jnum(b, o, "z", s->fleiss_defined ? s->fleiss.z : NAN);
    jnum(b, o, "p", s->fleiss_defined ? s->fleiss.p : NAN);
}

static void jinput(jb *b, cJSON *root, const stats_run *run, const csf_reads *reads,
                   const csf_study *s)
{
    cJSON *in = jcheck(b, cJSON_AddObjectToObject(root, "input"));
    if (in == NULL)
        return;
    jstr(b, in, "reads", run->reads_path);
    jstr(b, in, "truth", run->truth_path);
    jstr(b, in, "reference", run->reference);
    jnum(b, in, "threshold", run->threshold);
    jcheck(b, cJSON_AddBoolToObject(in, "by_region", run->by_region));
    jnum(b, in, "units", (double)reads->nunits);
    jnum(b, in, "units_with_truth", (double)run->units_with_truth);
    jnum(b, in, "readers", (double)reads->nreaders);
    jnum(b, in, "grade_categories", (double)s->ncategories);
    jnum(b, in, "confidence_level", run->level);
}

csf_status stats_write_json(const char *path, const stats_run *run, const csf_reads *reads,
                            const csf_study *s, csf_error *err)
{
    jb b = {0};
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory for JSON");
    jstr(&b, root, "schema", "csfleak-stats/1");
    jstr(&b, root, "note", "research use only: not for diagnosis");
    jinput(&b, root, run, reads, s);
    cJSON *readers = jcheck(&b, cJSON_AddArrayToObject(root, "readers"));
    for (size_t i = 0; readers != NULL && i < s->nreaders; i++)
        jreader(&b, readers, reads, &s->readers[i]);
    jpairs(&b, root, reads, s);
    jfleiss(&b, root, reads, s);
    jauc(&b, root, reads, s);
    char *text = b.failed ? NULL : cJSON_Print(root);
    cJSON_Delete(root);
    if (text == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory for JSON");
    size_t len = strlen(text);
    text[len] = '\n'; /* replace the terminator: the file ends with a newline */
    csf_status st = csf_atomic_write(path, text, len + 1, err);
    free(text);
    return st;
}
