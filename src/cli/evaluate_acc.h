#ifndef CSFLEAK_EVALUATE_ACC_H
#define CSFLEAK_EVALUATE_ACC_H
/* Accumulators of `csfleak evaluate` (src/cli only). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stddef.h>

typedef struct csf_eval_acc {
    const char *name;          /* "all", "3d", "2d" */
    size_t ncases;
    int *truth_pos, *pred_pos; /* per region pair */
    int *truth_grade, *pred_grade;
    size_t npairs, cap;
    size_t unassessed;         /* truth region in view, prediction null */
    size_t leaks, leaks_found, leaks_level_ok;
    size_t cysts, cysts_as_leak, cysts_as_cyst;
    size_t slec_cases, slec_correct, slec_truth, slec_found;
} csf_eval_acc;

/* Adds one case (truth and prediction roots). 0, or -1 when out of memory. */
int csf_eval_add(csf_eval_acc *a, const cJSON *truth, const cJSON *pred);
void csf_eval_release(csf_eval_acc *a);
/* Prints the figures (95% Wilson intervals) on fp (NULL: nothing printed) and adds
 * them to `out` when not NULL. */
void csf_eval_report(const csf_eval_acc *a, FILE *fp, cJSON *out);

#endif
