/* cohort.html of `csfleak batch`: one self-contained page (no scripts, no network):
 * counts, grade distribution per region, accuracy when there is truth, the
 * failures with their reasons, and a table linking each study's report. Every
 * string from the outside (ids, paths, errors, methods) is HTML-escaped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

static const char *const REGIONS[3] = {"cervical", "thoracic", "lumbar"};

static void head(csf_sbuf *b, size_t n, size_t nok)
{
    csf_sbuf_add(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                    "<title>csfleak cohort</title>\n<style>\n"
                    "body{font-family:sans-serif;margin:1.5em;color:#222}\n"
                    "table{border-collapse:collapse;margin:0.5em 0 1.5em}\n"
                    "td,th{border:1px solid #bbb;padding:2px 8px;text-align:left}\n"
                    "th{background:#eee}.failed{background:#fde2e2}.pos{font-weight:bold}\n"
                    ".note{color:#a00}\n</style></head><body>\n"
                    "<h1>csfleak cohort</h1>\n<p class=\"note\">Research use only &mdash; not for "
                    "diagnosis.</p>\n");
    csf_sbuf_addf(b, "<p>%zu studies: %zu analysed, %zu failed.</p>\n", n, nok, n - nok);
}

static void distribution(csf_sbuf *b, const csf_batch_row *rows, size_t n)
{
    size_t cnt[3][5] = {{0}}, pos = 0, neg = 0, na = 0, slec = 0;
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].ok)
            continue;
        for (int k = 0; k < 3; k++) {
            int g = rows[i].grade[k];
            cnt[k][g < 0 ? 4 : g > 3 ? 3 : g]++;
        }
        if (!rows[i].assessable)
            na++;
        else if (rows[i].positive)
            pos++;
        else
            neg++;
        slec += rows[i].slec;
    }
    csf_sbuf_addf(b, "<h2>Verdicts</h2>\n<table><tr><th>positive</th><th>negative</th>"
                     "<th>not assessable</th><th>SLEC present</th></tr>\n<tr><td>%zu</td>"
                     "<td>%zu</td><td>%zu</td><td>%zu</td></tr></table>\n",
                  pos, neg, na, slec);
    csf_sbuf_add(b, "<h2>Grade distribution per region</h2>\n<table><tr><th>region</th>"
                    "<th>grade 0</th><th>grade 1</th><th>grade 2</th><th>grade 3</th>"
                    "<th>not in view</th></tr>\n");
    for (int k = 0; k < 3; k++)
        csf_sbuf_addf(b, "<tr><td>%s</td><td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td>"
                         "<td>%zu</td></tr>\n",
                      REGIONS[k], cnt[k][0], cnt[k][1], cnt[k][2], cnt[k][3], cnt[k][4]);
    csf_sbuf_add(b, "</table>\n");
}

static void prop_row(csf_sbuf *b, const char *what, const double v[3], unsigned long x,
                     unsigned long nn)
{
    if (nn == 0) {
        csf_sbuf_addf(b, "<tr><td>%s</td><td>undefined (no cases)</td></tr>\n", what);
        return;
    }
    csf_sbuf_addf(b, "<tr><td>%s</td><td>%.3f (%lu/%lu; 95%% Wilson %.3f&ndash;%.3f)</td></tr>\n",
                  what, v[0], x, nn, v[1], v[2]);
}

static void accuracy(csf_sbuf *b, const csf_batch_acc *a)
{
    if (a->with_truth == 0)
        return;
    csf_sbuf_addf(b, "<h2>Accuracy against truth</h2>\n<p>%zu studies with truth, %zu failed "
                     "and left out; %zu cases, %zu region pairs (a region in the truth's view "
                     "the analysis left empty counts as grade 0).</p>\n<table>\n",
                  a->with_truth, a->excluded, a->ncases, a->nregions);
    const unsigned long *c = a->case_cm, *r = a->region_cm;
    if (a->case_defined) {
        prop_row(b, "case sensitivity", a->case_sens, c[0], c[0] + c[2]);
        prop_row(b, "case specificity", a->case_spec, c[3], c[3] + c[1]);
    }
    if (a->region_defined) {
        prop_row(b, "region sensitivity (grade &ge; 1)", a->region_sens, r[0], r[0] + r[2]);
        prop_row(b, "region specificity", a->region_spec, r[3], r[3] + r[1]);
    }
    if (a->kappa_defined)
        csf_sbuf_addf(b, "<tr><td>grade kappa (quadratic weights)</td><td>%.3f (95%% CI "
                         "%.3f&ndash;%.3f)</td></tr>\n",
                      a->kappa[0], a->kappa[1], a->kappa[2]);
    csf_sbuf_add(b, "</table>\n");
}

static void failures(csf_sbuf *b, const csf_batch_row *rows, size_t n)
{
    size_t nf = 0;
    for (size_t i = 0; i < n; i++)
        nf += !rows[i].ok;
    if (nf == 0)
        return;
    csf_sbuf_add(b, "<h2>Failures</h2>\n<table><tr><th>study</th><th>input</th><th>reason</th>"
                    "</tr>\n");
    for (size_t i = 0; i < n; i++) {
        if (rows[i].ok)
            continue;
        csf_sbuf_add(b, "<tr class=\"failed\"><td>");
        csf_sbuf_html(b, rows[i].s->id);
        csf_sbuf_add(b, "</td><td>");
        csf_sbuf_html(b, rows[i].s->path);
        csf_sbuf_add(b, "</td><td>");
        csf_sbuf_html(b, rows[i].error);
        csf_sbuf_add(b, "</td></tr>\n");
    }
    csf_sbuf_add(b, "</table>\n");
}

static void study_row(csf_sbuf *b, const csf_batch_row *r)
{
    csf_sbuf_add(b, r->ok ? "<tr><td><a href=\"" : "<tr class=\"failed\"><td>");
    if (r->ok) {
        csf_sbuf_html(b, r->s->id); /* ids are [A-Za-z0-9._-]: safe in a relative URL */
        csf_sbuf_add(b, "/report.html\">");
    }
    csf_sbuf_html(b, r->s->id);
    csf_sbuf_add(b, r->ok ? "</a></td>" : "</td>");
    if (!r->ok) {
        csf_sbuf_add(b, "<td>failed</td><td colspan=\"6\">");
        csf_sbuf_html(b, r->error);
        csf_sbuf_add(b, "</td></tr>\n");
        return;
    }
    const char *v = !r->assessable ? "not assessable" : r->positive ? "positive" : "negative";
    csf_sbuf_addf(b, "<td%s>%s</td>", r->positive ? " class=\"pos\"" : "", v);
    for (int k = 0; k < 3; k++)
        if (r->grade[k] < 0)
            csf_sbuf_add(b, "<td>&ndash;</td>");
        else
            csf_sbuf_addf(b, "<td>%d</td>", r->grade[k]);
    csf_sbuf_addf(b, "<td>%s</td><td>%d</td><td>", r->slec ? "yes" : "no", r->nfindings);
    csf_sbuf_html(b, r->levels);
    csf_sbuf_add(b, "</td></tr>\n");
}

csf_status csf_batch_html(const csf_batch_row *rows, size_t n, const csf_batch_acc *acc,
                          char **out, csf_error *err)
{
    csf_sbuf b = {0};
    size_t nok = 0;
    for (size_t i = 0; i < n; i++)
        nok += rows[i].ok;
    head(&b, n, nok);
    distribution(&b, rows, n);
    accuracy(&b, acc);
    failures(&b, rows, n);
    csf_sbuf_add(&b, "<h2>Studies</h2>\n<table><tr><th>study</th><th>verdict</th>"
                     "<th>cervical</th><th>thoracic</th><th>lumbar</th><th>SLEC</th>"
                     "<th>findings</th><th>levels method</th></tr>\n");
    for (size_t i = 0; i < n; i++)
        study_row(&b, &rows[i]);
    csf_sbuf_add(&b, "</table>\n</body></html>\n");
    if (b.oom) {
        free(b.p);
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory building cohort.html");
    }
    *out = b.p;
    return CSF_OK;
}
