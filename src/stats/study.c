/* A whole reader study from a csf_reads table: accuracy and ROC per reader,
 * agreement per pair, Fleiss' kappa across complete readers. Rules for the grade
 * scale and missing reads: docs/stats.md. */
#include "csfleak/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Grade scale used for kappa: 0..1 when only calls were seen, 0..3 (the grade
 * scale of the reading protocol) when grades up to 3 were seen, otherwise
 * lowest..highest grade seen. Writes the offset (lowest grade) to *lo. */
static size_t grade_scale(const csf_reads *r, int *lo)
{
    int mn = r->max_grade;
    for (size_t i = 0; i < r->nreaders * r->nunits; i++)
        if (r->grade[i] >= 0 && r->grade[i] < mn)
            mn = r->grade[i];
    *lo = 0;
    if (r->max_grade <= 1)
        return 2;
    if (r->max_grade <= 3)
        return 4;
    *lo = mn;
    int span = r->max_grade - mn + 1; /* >= 1: mn started at max_grade */
    return span < 2 ? 2 : (size_t)span;
}

static csf_status study_reader(const csf_reads *r, size_t reader, const int *truth, int threshold,
                               double level, int *pred, double *score, csf_study_reader *out,
                               csf_error *err)
{
    memset(out, 0, sizeof *out);
    out->reader = reader;
    for (size_t u = 0; u < r->nunits; u++) {
        int g = r->grade[reader * r->nunits + u];
        pred[u] = csf_reads_positive(r, reader, g, threshold);
        score[u] = g < 0 ? NAN : (double)g;
        if (truth[u] >= 0) {
            out->nread += g >= 0;
            out->nnot_read += g < 0;
        }
    }
    csf_confusion cm;
    csf_status st = csf_stats_confusion(truth, pred, r->nunits, &cm, NULL, err);
    if (st != CSF_OK)
        return st;
    csf_stats_accuracy(&cm, level, &out->acc);
    if (cm.tp + cm.fn == 0 || cm.fp + cm.tn == 0) {
        out->roc_why = "needs reference-positive and reference-negative cases";
        return CSF_OK;
    }
    return csf_stats_roc(score, truth, r->nunits, level, &out->roc, err);
}

static csf_status study_pair(const csf_reads *r, size_t a, size_t b, int threshold, int lo,
                             size_t k, double level, int *buf, csf_study_pair *out,
                             csf_error *err)
{
    int *ga = buf, *gb = buf + r->nunits, *ca = buf + 2 * r->nunits, *cb = buf + 3 * r->nunits;
    for (size_t u = 0; u < r->nunits; u++) {
        int x = r->grade[a * r->nunits + u], y = r->grade[b * r->nunits + u];
        ga[u] = x < 0 ? -1 : x - lo;
        gb[u] = y < 0 ? -1 : y - lo;
        ca[u] = csf_reads_positive(r, a, x, threshold);
        cb[u] = csf_reads_positive(r, b, y, threshold);
    }
    out->a = a;
    out->b = b;
    /* Grades against mere calls have no common scale: compare positive/negative. */
    out->binary_scale = r->reader_calls[a] || r->reader_calls[b];
    if (out->binary_scale) {
        ga = ca;
        gb = cb;
        k = 2;
    }
    csf_status st = csf_stats_kappa(ga, gb, r->nunits, k, CSF_KAPPA_UNWEIGHTED, level, &out->kappa, err);
    if (st == CSF_OK)
        st = csf_stats_kappa(ga, gb, r->nunits, k, CSF_KAPPA_LINEAR, level, &out->kappa_linear, err);
    if (st == CSF_OK)
        st = csf_stats_kappa(ga, gb, r->nunits, k, CSF_KAPPA_QUADRATIC, level,
                             &out->kappa_quadratic, err);
    if (st == CSF_OK)
        st = csf_stats_kappa(ca, cb, r->nunits, 2, CSF_KAPPA_UNWEIGHTED, level, &out->kappa_binary,
                             err);
    if (st == CSF_OK)
        st = csf_stats_mcnemar_pairs(ca, cb, r->nunits, &out->mcnemar, err);
    return st;
}

static csf_status study_fleiss(const csf_reads *r, int lo, size_t k, csf_study *s, csf_error *err)
{
    s->fleiss_readers = malloc((r->nreaders ? r->nreaders : 1) * sizeof *s->fleiss_readers);
    if (s->fleiss_readers == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    size_t n = 0; /* counted here: the list is exactly the readers found below */
    for (size_t i = 0; i < r->nreaders; i++) {
        int complete = 1;
        for (size_t u = 0; u < r->nunits && complete; u++)
            complete = r->grade[i * r->nunits + u] >= 0;
        if (complete)
            s->fleiss_readers[n++] = i;
    }
    s->nfleiss = n;
    if (s->nfleiss < 2 || r->nunits == 0)
        return CSF_OK;
    int *ratings = malloc(r->nunits * s->nfleiss * sizeof *ratings);
    if (ratings == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    for (size_t j = 0; j < s->nfleiss; j++)
        s->fleiss_binary |= r->reader_calls[s->fleiss_readers[j]];
    for (size_t u = 0; u < r->nunits; u++) {
        for (size_t j = 0; j < s->nfleiss; j++) {
            size_t rd = s->fleiss_readers[j];
            int g = r->grade[rd * r->nunits + u];
            ratings[u * s->nfleiss + j] =
                s->fleiss_binary ? csf_reads_positive(r, rd, g, s->threshold) : g - lo;
        }
    }
    csf_status st = csf_stats_fleiss(ratings, r->nunits, s->nfleiss, s->fleiss_binary ? 2 : k,
                                     &s->fleiss, err);
    free(ratings);
    s->fleiss_defined = st == CSF_OK && s->fleiss.defined;
    return st;
}

static csf_status study_accuracy(const csf_reads *r, const int *truth, size_t reference,
                                 int threshold, double level, csf_study *s, csf_error *err)
{
    s->readers = calloc(r->nreaders ? r->nreaders : 1, sizeof *s->readers);
    int *pred = malloc((r->nunits ? r->nunits : 1) * sizeof *pred);
    double *score = malloc((r->nunits ? r->nunits : 1) * sizeof *score);
    csf_status st = CSF_OK;
    if (s->readers == NULL || pred == NULL || score == NULL)
        st = csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < r->nreaders && st == CSF_OK && truth != NULL; i++) {
        if (i == reference)
            continue;
        st = study_reader(r, i, truth, threshold, level, pred, score, &s->readers[s->nreaders], err);
        if (st == CSF_OK)
            s->nreaders++;
    }
    free(pred);
    free(score);
    return st;
}

csf_status csf_study_run(const csf_reads *reads, const int *truth, size_t reference,
                         int threshold, double level, csf_study **out, csf_error *err)
{
    if (!(level > 0.0 && level < 1.0))
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "confidence level %g outside (0, 1)", level);
    csf_study *s = calloc(1, sizeof *s);
    if (s == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    s->threshold = threshold;
    int lo;
    s->ncategories = grade_scale(reads, &lo);
    csf_status st = study_accuracy(reads, truth, reference, threshold, level, s, err);
    size_t np = reads->nreaders * (reads->nreaders - (reads->nreaders > 0)) / 2;
    s->pairs = calloc(np ? np : 1, sizeof *s->pairs);
    int *buf = malloc((4 * reads->nunits + 1) * sizeof *buf);
    if (st == CSF_OK && (s->pairs == NULL || buf == NULL))
        st = csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    for (size_t a = 0; a < reads->nreaders && st == CSF_OK; a++)
        for (size_t b = a + 1; b < reads->nreaders && st == CSF_OK; b++)
            st = study_pair(reads, a, b, threshold, lo, s->ncategories, level, buf,
                            &s->pairs[s->npairs++], err);
    free(buf);
    if (st == CSF_OK)
        st = study_fleiss(reads, lo, s->ncategories, s, err);
    if (st != CSF_OK) {
        csf_study_free(s);
        return st;
    }
    *out = s;
    return CSF_OK;
}

void csf_study_free(csf_study *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->nreaders; i++)
        csf_stats_roc_free(s->readers[i].roc);
    free(s->readers);
    free(s->pairs);
    free(s->fleiss_readers);
    free(s);
}
