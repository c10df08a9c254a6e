/* csfleak stats: the terminal report. Undefined figures print as "undefined"
 * with their reason, never as 0. */
#include <math.h>
#include <stdio.h>

#include "stats_out.h"

static void print_prop(FILE *fp, const char *label, const csf_prop *p, csf_ci_method m)
{
    if (!p->defined) {
        fprintf(fp, "    %-12s undefined (%s)\n", label, p->why);
        return;
    }
    fprintf(fp, "    %-12s %5.1f%%  (%5.1f - %5.1f)  %lu/%lu\n", label, 100.0 * p->value,
            100.0 * p->ci[m][0], 100.0 * p->ci[m][1], p->x, p->n);
}

static void print_ratio(FILE *fp, const char *label, const csf_ratio *r)
{
    if (!r->defined)
        fprintf(fp, "    %-12s undefined (%s)\n", label, r->why);
    else if (!r->ci_defined)
        fprintf(fp, "    %-12s %6.2f   (%s)\n", label, r->value, r->why);
    else
        fprintf(fp, "    %-12s %6.2f   (%.2f - %.2f)\n", label, r->value, r->ci[0], r->ci[1]);
}

static void print_reader(FILE *fp, const stats_run *run, const csf_reads *reads,
                         const csf_study_reader *sr)
{
    const csf_accuracy *a = &sr->acc;
    fprintf(fp, "  %s: n %lu (TP %lu, FP %lu, FN %lu, TN %lu), not read %zu\n",
            reads->readers[sr->reader], a->n, a->cm.tp, a->cm.fp, a->cm.fn, a->cm.tn,
            sr->nnot_read);
    print_prop(fp, "sensitivity", &a->sens, run->ci_shown);
    print_prop(fp, "specificity", &a->spec, run->ci_shown);
    print_prop(fp, "accuracy", &a->acc, run->ci_shown);
    print_prop(fp, "PPV", &a->ppv, run->ci_shown);
    print_prop(fp, "NPV", &a->npv, run->ci_shown);
    print_ratio(fp, "LR+", &a->lr_pos);
    print_ratio(fp, "LR-", &a->lr_neg);
    if (sr->roc == NULL) {
        fprintf(fp, "    %-12s undefined (%s)\n", "AUC", sr->roc_why);
        return;
    }
    if (isnan(sr->roc->se))
        fprintf(fp, "    %-12s %6.3f   (DeLong interval needs 2 positives and 2 negatives)\n",
                "AUC", sr->roc->auc);
    else
        fprintf(fp, "    %-12s %6.3f   (%.3f - %.3f, DeLong)\n", "AUC", sr->roc->auc,
                sr->roc->ci[0], sr->roc->ci[1]);
    fprintf(fp, "    %-12s", "ROC (FPR,TPR)");
    for (size_t i = 0; i < sr->roc->npoints; i++)
        fprintf(fp, " (%.2f,%.2f)", sr->roc->points[i].fpr, sr->roc->points[i].tpr);
    fputc('\n', fp);
}

static void print_kappa_cell(FILE *fp, const csf_kappa *k)
{
    char cell[48] = "undefined";
    if (k->defined)
        snprintf(cell, sizeof cell, "%.2f (%.2f, %.2f)", k->kappa, k->ci[0], k->ci[1]);
    fprintf(fp, "  %-19s", cell);
}

static void print_pairs(FILE *fp, const csf_reads *reads, const csf_study *s)
{
    fprintf(fp, "\nAgreement, each pair on the cases both read (kappa with 95%% CI by the\n"
                "Fleiss-Cohen-Everitt SE; grades unweighted, linear, quadratic; then\n"
                "positive/negative at the threshold; McNemar on positive/negative):\n");
    fprintf(fp, "  %-16s %4s %6s  %-19s  %-19s  %-19s  %-19s  %s\n", "pair", "n", "agree",
            "kappa", "linear", "quadratic", "pos/neg", "McNemar p");
    size_t binary = 0;
    for (size_t i = 0; i < s->npairs; i++) {
        const csf_study_pair *p = &s->pairs[i];
        char name[64];
        snprintf(name, sizeof name, "%s vs %s%s", reads->readers[p->a], reads->readers[p->b],
                 p->binary_scale ? " *" : "");
        fprintf(fp, "  %-16s %4lu ", name, p->kappa.n);
        if (p->kappa.n == 0)
            fprintf(fp, "%6s", "-");
        else
            fprintf(fp, "%5.1f%%", 100.0 * p->kappa.observed);
        print_kappa_cell(fp, &p->kappa);
        print_kappa_cell(fp, &p->kappa_linear);
        print_kappa_cell(fp, &p->kappa_quadratic);
        print_kappa_cell(fp, &p->kappa_binary);
        fprintf(fp, "  %.3g (%s, %lu/%lu)\n", p->mcnemar.p, p->mcnemar.exact ? "exact" : "chi2",
                p->mcnemar.b, p->mcnemar.c);
        binary += p->binary_scale;
    }
    if (binary)
        fprintf(fp, "  * a reader gave only yes/no calls: every kappa of the pair is on "
                    "positive/negative\n");
}

void stats_print(FILE *fp, const stats_run *run, const csf_reads *reads, const csf_study *s)
{
    fprintf(fp, "csfleak stats: '%s', %zu %s, %zu readers; positive = grade >= %d\n",
            run->reads_path, reads->nunits, run->by_region ? "case-regions" : "cases",
            reads->nreaders, run->threshold);
    if (run->truth_path != NULL || run->reference != NULL) {
        fprintf(fp, "reference: %s%s (%zu of %zu units have a reference)\n",
                run->truth_path ? run->truth_path : "reader ",
                run->truth_path ? "" : run->reference, run->units_with_truth, reads->nunits);
        fprintf(fp, "\nDiagnostic accuracy (95%% CI: %s; LR by the log method):\n",
                csf_ci_method_name(run->ci_shown));
        for (size_t i = 0; i < s->nreaders; i++)
            print_reader(fp, run, reads, &s->readers[i]);
    } else {
        fprintf(fp, "no --truth or --reference: agreement only\n");
    }
    if (s->npairs > 0)
        print_pairs(fp, reads, s);
    if (s->fleiss_defined)
        fprintf(fp, "\nFleiss' kappa on %s, %zu readers who read all %zu units: %.3f "
                    "(z %.2f, p %.3g)\n",
                s->fleiss_binary ? "positive/negative" : "grades", s->nfleiss, reads->nunits,
                s->fleiss.kappa, s->fleiss.z, s->fleiss.p);
    else
        fprintf(fp, "\nFleiss' kappa: undefined (%s)\n",
                s->nfleiss < 2 ? "fewer than two readers read every unit"
                               : "chance agreement is 1: every read is the same grade");
    fprintf(fp, "\nResearch use only: not for diagnosis.\n");
}
