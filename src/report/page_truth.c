/* The truth comparison panel (phantoms): region grades, SLEC and findings of
 * the truth JSON ("csfleak.truth/1") against the analysis. A truth finding is
 * matched to the nearest unmatched analysis finding of the same kind within
 * MATCH_MM of its center (or, without centers, at the same level and side). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/page.h"

#define DASH "\xE2\x80\x94"
#define OK_MARK "<span class=\"ok\">\xE2\x9C\x93</span>"
#define NO_MARK "<span class=\"bad\">\xE2\x9C\x97</span>"
#define MATCH_MM 30.0

static int same_str(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Distance in mm when both have centers, 0 for a level+side match, else INF. */
static double match_cost(const cJSON *t, const cJSON *a)
{
    if (!same_str(csf_rj_str(t, "kind"), csf_rj_str(a, "kind")))
        return INFINITY;
    double ct[3], ca[3];
    if (csf_rj_vec3(t, "center_mm", ct) && csf_rj_vec3(a, "center_mm", ca)) {
        double d = sqrt((ct[0] - ca[0]) * (ct[0] - ca[0]) + (ct[1] - ca[1]) * (ct[1] - ca[1]) +
                        (ct[2] - ca[2]) * (ct[2] - ca[2]));
        return d <= MATCH_MM ? d : INFINITY;
    }
    if (same_str(csf_rj_str(t, "level"), csf_rj_str(a, "level")) &&
        same_str(csf_rj_str(t, "side"), csf_rj_str(a, "side")))
        return 0;
    return INFINITY;
}

static void grade_cell(csf_buf *b, int g)
{
    csf_buf_puts(b, "<td class=\"n\">");
    if (g >= 0)
        csf_buf_printf(b, "%d", g);
    else
        csf_buf_puts(b, DASH);
    csf_buf_puts(b, "</td>");
}

static int regions(csf_page *pg)
{
    static const char *const names[3] = {"cervical", "thoracic", "lumbar"};
    csf_buf *b = pg->b;
    const cJSON *tr = csf_rj_get(pg->truth, "regions"), *ar = csf_rj_get(pg->a, "regions");
    int agree = 0;
    csf_buf_puts(b, "<table class=\"tt\"><thead><tr><th>Region</th><th class=\"n\">Truth</th>"
                    "<th class=\"n\">Analysis</th><th></th></tr></thead><tbody>");
    for (int r = 0; r < 3; r++) {
        int tg = csf_rj_grade(csf_rj_get(tr, names[r]), "grade");
        int ag = csf_rj_grade(csf_rj_get(ar, names[r]), "grade");
        csf_buf_printf(b, "<tr><td>%s</td>", names[r]);
        grade_cell(b, tg);
        grade_cell(b, ag);
        csf_buf_printf(b, "<td>%s</td></tr>", tg == ag ? OK_MARK : NO_MARK);
        agree += tg == ag;
    }
    const cJSON *ts = csf_rj_get(csf_rj_get(pg->truth, "slec"), "present");
    const cJSON *as = csf_rj_get(csf_rj_get(pg->a, "slec"), "present");
    csf_buf_printf(b, "<tr><td>SLEC</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>%s</td>"
                      "</tr></tbody></table>",
                   cJSON_IsTrue(ts) ? "yes" : cJSON_IsFalse(ts) ? "no" : DASH,
                   cJSON_IsTrue(as) ? "yes" : cJSON_IsFalse(as) ? "no" : DASH,
                   cJSON_IsBool(ts) && cJSON_IsTrue(ts) == cJSON_IsTrue(as) ? OK_MARK : NO_MARK);
    return agree;
}

static void truth_row(csf_page *pg, int i, const cJSON *t, int m, double cost)
{
    csf_buf *b = pg->b;
    const cJSON *a = m >= 0 ? cJSON_GetArrayItem(pg->findings, m) : NULL;
    char label[64];
    csf_finding_label(t, label, sizeof label);
    csf_buf_printf(b, "<tr><td class=\"n\">%d</td><td>", i + 1);
    csf_html_text(b, label);
    csf_buf_puts(b, "</td><td>");
    csf_html_text(b, csf_rj_str(t, "level") ? csf_rj_str(t, "level") : DASH);
    csf_buf_puts(b, " ");
    csf_html_text(b, csf_rj_str(t, "side"));
    csf_buf_puts(b, "</td>");
    if (a == NULL) {
        csf_buf_puts(b, "<td colspan=\"3\">not found</td><td>" NO_MARK "</td></tr>");
        return;
    }
    csf_buf_printf(b, "<td data-f=\"%d\" class=\"link\">#%d ", m, m + 1);
    csf_finding_label(a, label, sizeof label);
    csf_html_text(b, label);
    csf_buf_puts(b, "</td><td>");
    csf_html_text(b, csf_rj_str(a, "level") ? csf_rj_str(a, "level") : DASH);
    csf_buf_puts(b, "</td><td class=\"n\">");
    csf_html_num(b, cost, 1);
    int same_grade = csf_rj_grade(t, "grade") == csf_rj_grade(a, "grade");
    csf_buf_printf(b, "</td><td>%s</td></tr>", same_grade ? OK_MARK : NO_MARK);
}

static int findings(csf_page *pg, int *extra)
{
    csf_buf *b = pg->b;
    const cJSON *tf = csf_rj_get(pg->truth, "findings");
    int nt = cJSON_IsArray(tf) ? cJSON_GetArraySize(tf) : 0, found = 0;
    char *used = calloc((size_t)pg->nfind + 1, 1);
    if (used == NULL) {
        b->oom = 1;
        return 0;
    }
    csf_buf_puts(b, "<table class=\"tt\"><thead><tr><th class=\"n\">Truth #</th><th>Kind</th>"
                    "<th>Level, side</th><th>Matched finding</th><th>Level</th>"
                    "<th class=\"n\">Distance (mm)</th><th>Grade</th></tr></thead><tbody>");
    for (int i = 0; i < nt; i++) {
        const cJSON *t = cJSON_GetArrayItem(tf, i);
        int best = -1;
        double bc = INFINITY;
        for (int j = 0; j < pg->nfind; j++) {
            double c = used[j] ? INFINITY : match_cost(t, cJSON_GetArrayItem(pg->findings, j));
            if (c < bc) {
                bc = c;
                best = j;
            }
        }
        if (best >= 0) {
            used[best] = 1;
            found++;
        }
        truth_row(pg, i, t, best, bc);
    }
    csf_buf_puts(b, "</tbody></table>");
    *extra = 0;
    for (int j = 0; j < pg->nfind; j++)
        *extra += !used[j];
    free(used);
    return found;
}

void csf_page_truth(csf_page *pg)
{
    if (pg->truth == NULL)
        return;
    csf_buf *b = pg->b;
    csf_buf_puts(b, "<section id=\"truth\"><h2>Comparison with the phantom's truth</h2>"
                    "<div class=\"cols\"><div>");
    int agree = regions(pg);
    csf_buf_puts(b, "</div><div>");
    int extra = 0;
    int found = findings(pg, &extra);
    const cJSON *tf = csf_rj_get(pg->truth, "findings");
    csf_buf_printf(b, "</div></div><p id=\"truth-summary\">Region grades agree %d/3; truth "
                      "findings found %d/%d; analysis findings without a truth match: %d.</p>"
                      "</section>",
                   agree, found, cJSON_IsArray(tf) ? cJSON_GetArraySize(tf) : 0, extra);
}
