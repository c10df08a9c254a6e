/* The cohort outputs of `csfleak batch`: cohort.csv, cohort.json, cohort.html,
 * rebuilt from the study list and the per-study records (so a merge of Slurm
 * shards and a local run give the same table). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "csfleak/atomic.h"

static const char *const REGIONS[3] = {"cervical", "thoracic", "lumbar"};

/* The row's analysis fields; returns the parsed analysis (the caller deletes it) or
 * NULL, then the row counts as failed. */
static cJSON *fill_from_analysis(csf_batch_row *r, const char *outdir)
{
    char p[4200];
    csf_batch_fmt(p, sizeof p, "%s/%s/analysis.json", outdir, r->s->id);
    char *txt = csf_batch_slurp(p, (size_t)64 << 20, NULL);
    cJSON *root = txt ? cJSON_Parse(txt) : NULL;
    free(txt);
    if (root == NULL) {
        r->ok = 0;
        snprintf(r->error, sizeof r->error, "analysis.json missing or unreadable");
        return NULL;
    }
    r->assessable = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "assessable"));
    r->positive = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "positive"));
    const cJSON *regs = cJSON_GetObjectItemCaseSensitive(root, "regions");
    for (int k = 0; k < 3; k++) {
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(regs, REGIONS[k]), "grade");
        r->grade[k] = cJSON_IsNumber(g) ? g->valueint : -1;
    }
    const cJSON *slec = cJSON_GetObjectItemCaseSensitive(root, "slec");
    r->slec = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(slec, "present"));
    r->nfindings = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "findings"));
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(root, "levels"), "method");
    snprintf(r->levels, sizeof r->levels, "%s", cJSON_IsString(m) ? m->valuestring : "");
    return root;
}

/* The row of study s; returns its parsed analysis when it ran ok (caller deletes). */
static cJSON *load_row(csf_batch_row *r, const csf_batch_study *s, const char *outdir)
{
    memset(r, 0, sizeof *r);
    r->s = s;
    csf_batch_status st;
    r->ran = csf_batch_status_read(outdir, s->id, &st) == 0;
    if (!r->ran) {
        snprintf(r->error, sizeof r->error, "not run (no result record)");
        return NULL;
    }
    r->ok = st.ok;
    r->time_ms = st.time_ms;
    snprintf(r->error, sizeof r->error, "%s", st.error);
    for (char *c = r->error; *c; c++) /* one line, whatever the child printed */
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    return r->ok ? fill_from_analysis(r, outdir) : NULL;
}

static void csv_row(csf_sbuf *b, const csf_batch_row *r)
{
    csf_sbuf_csv(b, r->s->id);
    csf_sbuf_add(b, r->ok ? ",ok," : ",failed,");
    csf_sbuf_csv(b, r->ok ? "" : r->error);
    if (!r->ok) {
        csf_sbuf_add(b, ",,,,,,,,");
    } else {
        csf_sbuf_addf(b, ",%s,%s", r->assessable ? "yes" : "no",
                      !r->assessable ? "NA" : r->positive ? "yes" : "no");
        for (int k = 0; k < 3; k++)
            if (r->grade[k] < 0)
                csf_sbuf_add(b, ",NA");
            else
                csf_sbuf_addf(b, ",%d", r->grade[k]);
        csf_sbuf_addf(b, ",%s,%d,", r->slec ? "yes" : "no", r->nfindings);
        csf_sbuf_csv(b, r->levels);
    }
    csf_sbuf_addf(b, ",%.1f\n", r->ran ? r->time_ms : 0.0);
}

static csf_status write_csv(const csf_batch_row *rows, size_t n, const char *outdir,
                            csf_error *err)
{
    csf_sbuf b = {0};
    csf_sbuf_add(&b, "id,status,error,assessable,positive,grade_cervical,grade_thoracic,"
                     "grade_lumbar,slec,n_findings,levels_method,time_ms\n");
    for (size_t i = 0; i < n; i++)
        csv_row(&b, &rows[i]);
    char p[4200];
    csf_batch_fmt(p, sizeof p, "%s/cohort.csv", outdir);
    csf_status st = b.oom ? csf_error_set(err, CSF_ERR_NOMEM, "out of memory writing '%s'", p)
                          : csf_atomic_write(p, b.p, b.n, err);
    free(b.p);
    return st;
}

static void json_row(cJSON *arr, const csf_batch_row *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToArray(arr, o);
    cJSON_AddStringToObject(o, "id", r->s->id);
    cJSON_AddStringToObject(o, "input", r->s->path);
    cJSON_AddStringToObject(o, "status", r->ok ? "ok" : "failed");
    if (!r->ok) {
        cJSON_AddStringToObject(o, "error", r->error);
    } else {
        char p[4200];
        csf_batch_fmt(p, sizeof p, "%s/analysis.json", r->s->id);
        cJSON_AddStringToObject(o, "analysis", p);
        csf_batch_fmt(p, sizeof p, "%s/report.html", r->s->id);
        cJSON_AddStringToObject(o, "report", p);
        cJSON_AddBoolToObject(o, "assessable", r->assessable);
        cJSON_AddBoolToObject(o, "positive", r->positive);
        cJSON *g = cJSON_AddObjectToObject(o, "grades");
        for (int k = 0; k < 3; k++)
            if (r->grade[k] < 0)
                cJSON_AddNullToObject(g, REGIONS[k]);
            else
                cJSON_AddNumberToObject(g, REGIONS[k], r->grade[k]);
        cJSON_AddBoolToObject(o, "slec", r->slec);
        cJSON_AddNumberToObject(o, "n_findings", r->nfindings);
        cJSON_AddStringToObject(o, "levels_method", r->levels);
    }
    if (r->s->truth)
        cJSON_AddStringToObject(o, "truth", r->s->truth);
    cJSON_AddNumberToObject(o, "time_ms", r->ran ? r->time_ms : 0.0);
}

static void json_ci(cJSON *o, const char *key, const double v[3], const unsigned long x,
                    const unsigned long n)
{
    cJSON *e = cJSON_AddObjectToObject(o, key);
    cJSON_AddNumberToObject(e, "value", v[0]);
    cJSON_AddNumberToObject(e, "x", (double)x);
    cJSON_AddNumberToObject(e, "n", (double)n);
    cJSON *ci = cJSON_AddArrayToObject(e, "wilson95");
    cJSON_AddItemToArray(ci, cJSON_CreateNumber(v[1]));
    cJSON_AddItemToArray(ci, cJSON_CreateNumber(v[2]));
}

static void json_acc(cJSON *root, const csf_batch_acc *a)
{
    if (a->with_truth == 0)
        return;
    cJSON *o = cJSON_AddObjectToObject(root, "accuracy");
    cJSON_AddNumberToObject(o, "studies_with_truth", (double)a->with_truth);
    cJSON_AddNumberToObject(o, "excluded_failed", (double)a->excluded);
    const unsigned long *c = a->case_cm, *r = a->region_cm;
    if (a->case_defined) {
        json_ci(o, "case_sensitivity", a->case_sens, c[0], c[0] + c[2]);
        json_ci(o, "case_specificity", a->case_spec, c[3], c[3] + c[1]);
    }
    if (a->region_defined) {
        json_ci(o, "region_sensitivity", a->region_sens, r[0], r[0] + r[2]);
        json_ci(o, "region_specificity", a->region_spec, r[3], r[3] + r[1]);
    }
    if (a->kappa_defined) {
        cJSON_AddNumberToObject(o, "grade_kappa_quadratic", a->kappa[0]);
        cJSON *ci = cJSON_AddArrayToObject(o, "grade_kappa_quadratic_ci95");
        cJSON_AddItemToArray(ci, cJSON_CreateNumber(a->kappa[1]));
        cJSON_AddItemToArray(ci, cJSON_CreateNumber(a->kappa[2]));
    }
    if (a->evaluate)
        cJSON_AddItemReferenceToObject(o, "evaluate", a->evaluate);
}

static csf_status write_json(const csf_batch_row *rows, size_t n, const csf_batch_acc *acc,
                             const char *outdir, csf_error *err)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "csfleak.cohort/1");
    cJSON_AddStringToObject(root, "notice", "research use only, not for diagnosis");
    size_t nok = 0;
    for (size_t i = 0; i < n; i++)
        nok += rows[i].ok;
    cJSON_AddNumberToObject(root, "studies", (double)n);
    cJSON_AddNumberToObject(root, "ok", (double)nok);
    cJSON_AddNumberToObject(root, "failed", (double)(n - nok));
    cJSON *arr = cJSON_AddArrayToObject(root, "rows");
    for (size_t i = 0; i < n; i++)
        json_row(arr, &rows[i]);
    json_acc(root, acc);
    char *txt = cJSON_Print(root);
    cJSON_Delete(root);
    char p[4200];
    csf_batch_fmt(p, sizeof p, "%s/cohort.json", outdir);
    if (txt == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory writing '%s'", p);
    csf_status st = csf_atomic_write(p, txt, strlen(txt), err);
    free(txt);
    return st;
}

/* Rows in id order, the accuracy fed as they are read: each record, analysis and
 * truth is read and parsed once. */
static csf_status load_rows(const csf_batch_list *l, const char *outdir, csf_batch_row *rows,
                            csf_batch_acc *acc, size_t *nfailed, csf_error *err)
{
    csf_status st = CSF_OK;
    *nfailed = 0;
    for (size_t i = 0; i < l->n && st == CSF_OK; i++) {
        cJSON *pred = load_row(&rows[i], &l->s[i], outdir);
        *nfailed += !rows[i].ok;
        st = csf_batch_acc_add(acc, &rows[i], pred, err);
        cJSON_Delete(pred);
    }
    return st == CSF_OK ? csf_batch_acc_end(acc, err) : st;
}

csf_status csf_batch_cohort(const csf_batch_list *l, const char *outdir, size_t *nfailed,
                            csf_error *err)
{
    csf_batch_row *rows = calloc(l->n + 1, sizeof *rows);
    if (rows == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory building the cohort table");
    csf_batch_acc acc;
    csf_status st = csf_batch_acc_begin(&acc, l->n, err);
    if (st != CSF_OK) {
        free(rows);
        return st;
    }
    char *html = NULL, p[4200];
    st = load_rows(l, outdir, rows, &acc, nfailed, err);
    if (st == CSF_OK)
        st = write_csv(rows, l->n, outdir, err);
    if (st == CSF_OK)
        st = write_json(rows, l->n, &acc, outdir, err);
    if (st == CSF_OK)
        st = csf_batch_html(rows, l->n, &acc, &html, err);
    csf_batch_fmt(p, sizeof p, "%s/cohort.html", outdir);
    if (st == CSF_OK)
        st = csf_atomic_write(p, html, strlen(html), err);
    free(html);
    free(rows);
    csf_batch_acc_release(&acc);
    return st;
}
