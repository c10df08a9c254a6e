/* Diagnostic accuracy of binary calls against a reference: the 2x2 table,
 * sensitivity, specificity, accuracy, predictive values and likelihood ratios.
 * Undefined figures are flagged with a reason, never reported as 0. */
#include "csfleak/stats.h"

#include <math.h>
#include <string.h>

csf_status csf_stats_confusion(const int *truth, const int *pred, size_t n, csf_confusion *out,
                               size_t *nskipped, csf_error *err)
{
    csf_confusion cm = {0, 0, 0, 0};
    size_t skipped = 0;
    for (size_t i = 0; i < n; i++) {
        int t = truth[i], p = pred[i];
        if (t > 1 || p > 1)
            return csf_error_set(err, CSF_ERR_INVALID_ARG,
                                 "pair %zu is (%d, %d); calls must be 1, 0 or negative (missing)",
                                 i, t, p);
        if (t < 0 || p < 0) {
            skipped++;
            continue;
        }
        if (t == 1)
            p == 1 ? cm.tp++ : cm.fn++;
        else
            p == 1 ? cm.fp++ : cm.tn++;
    }
    *out = cm;
    if (nskipped != NULL)
        *nskipped = skipped;
    return CSF_OK;
}

static void ratio_undefined(csf_ratio *r, const char *why)
{
    r->defined = 0;
    r->value = NAN;
    r->ci_defined = 0;
    r->ci[0] = r->ci[1] = NAN;
    r->why = why;
}

/* LR = (a/(a+c)) / (b/(b+d)) with the log interval of Simel, Samsa & Matchar
 * (1991): ln LR -+ z sqrt(1/a - 1/(a+c) + 1/b - 1/(b+d)). For LR+ (a, c) =
 * (TP, FN) and (b, d) = (FP, TN); for LR- (a, c) = (FN, TP), (b, d) = (TN, FP). */
static void likelihood_ratio(unsigned long a, unsigned long c, unsigned long b, unsigned long d,
                             double z, const char *why_div0, csf_ratio *r)
{
    if (a + c == 0 || b + d == 0) {
        ratio_undefined(r, a + c == 0 ? "no reference-positive cases" : "no reference-negative cases");
        return;
    }
    if (b == 0) {
        ratio_undefined(r, a == 0 ? "0/0: no cases in either numerator cell" : why_div0);
        return;
    }
    double pa = (double)a / (double)(a + c), pb = (double)b / (double)(b + d);
    r->defined = 1;
    r->value = pa / pb;
    r->why = NULL;
    if (a == 0) {
        r->ci_defined = 0;
        r->ci[0] = r->ci[1] = NAN;
        r->why = "interval undefined: a zero cell";
        return;
    }
    double se = sqrt(1.0 / (double)a - 1.0 / (double)(a + c) + 1.0 / (double)b -
                     1.0 / (double)(b + d));
    r->ci_defined = 1;
    r->ci[0] = r->value * exp(-z * se);
    r->ci[1] = r->value * exp(z * se);
}

void csf_stats_accuracy(const csf_confusion *cm, double level, csf_accuracy *out)
{
    memset(out, 0, sizeof *out);
    out->cm = *cm;
    unsigned long tp = cm->tp, fp = cm->fp, fn = cm->fn, tn = cm->tn;
    out->n = tp + fp + fn + tn;
    csf_stats_prop(tp, tp + fn, level, &out->sens);
    csf_stats_prop(tn, tn + fp, level, &out->spec);
    csf_stats_prop(tp + tn, out->n, level, &out->acc);
    csf_stats_prop(tp, tp + fp, level, &out->ppv);
    csf_stats_prop(tn, tn + fn, level, &out->npv);
    if (!out->sens.defined)
        out->sens.why = "no reference-positive cases";
    if (!out->spec.defined)
        out->spec.why = "no reference-negative cases";
    if (!out->acc.defined)
        out->acc.why = "no cases";
    if (!out->ppv.defined)
        out->ppv.why = "no positive calls";
    if (!out->npv.defined)
        out->npv.why = "no negative calls";
    double z = csf_stats_norm_quantile(1.0 - (1.0 - level) / 2.0);
    likelihood_ratio(tp, fn, fp, tn, z, "no false positives (specificity 100%): LR+ infinite",
                     &out->lr_pos);
    likelihood_ratio(fn, tp, tn, fp, z, "no true negatives (specificity 0%): LR- infinite",
                     &out->lr_neg);
}
