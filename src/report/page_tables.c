/* Text sections: verdict banner, per-level table, findings table, grading
 * scale. Every value from the analysis is escaped; absent values show as a dash. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/page.h"

#define DASH "\xE2\x80\x94"

static const char *const k_region_names[3] = {"cervical", "thoracic", "lumbar"};

static void chip(csf_buf *b, const char *region, const cJSON *r)
{
    const cJSON *g = csf_rj_get(r, "grade");
    int grade = csf_rj_grade(r, "grade");
    const char *cls = "chip gna", *txt = "not reported";
    static const char *const gc[4] = {"chip g0", "chip g1", "chip g2", "chip g3"};
    static const char *const gt[4] = {"grade 0", "grade 1", "grade 2", "grade 3"};
    if (grade >= 0) {
        cls = gc[grade];
        txt = gt[grade];
    } else if (r != NULL && cJSON_IsNull(g)) {
        txt = "outside field of view";
    }
    csf_buf_puts(b, "<span");
    csf_html_attr(b, "class", cls);
    csf_buf_puts(b, "><b>");
    csf_buf_puts(b, region);
    csf_buf_puts(b, "</b> ");
    csf_buf_puts(b, txt);
    csf_buf_puts(b, "</span>");
}

static void slec_text(csf_buf *b, const cJSON *slec)
{
    const cJSON *p = csf_rj_get(slec, "present");
    csf_buf_puts(b, "<span class=\"slec\">SLEC: ");
    if (cJSON_IsTrue(p)) {
        csf_buf_puts(b, "<b>present</b>");
        const char *from = csf_rj_str(slec, "from_level");
        const char *to = csf_rj_str(slec, "to_level");
        if (from == NULL)
            from = csf_rj_str(slec, "from");
        if (to == NULL)
            to = csf_rj_str(slec, "to");
        if (from != NULL || to != NULL) {
            csf_buf_puts(b, " (");
            csf_html_text(b, from ? from : "?");
            csf_buf_puts(b, "\xE2\x80\x93");
            csf_html_text(b, to ? to : "?");
            csf_buf_puts(b, ")");
        }
    } else if (cJSON_IsFalse(p)) {
        csf_buf_puts(b, "absent");
    } else {
        csf_buf_puts(b, "not reported");
    }
    csf_buf_puts(b, "</span>");
}

/* Does one of the warnings already contain text? */
static int said(const cJSON *warnings, const char *text)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, warnings)
    {
        if (cJSON_IsString(e) && strstr(e->valuestring, text) != NULL)
            return 1;
    }
    return 0;
}

/* The analysis' warnings and, per station, why it could not be assessed. */
static void warnings(csf_buf *b, const cJSON *a)
{
    const cJSON *w = csf_rj_get(a, "warnings"), *e;
    const cJSON *st = csf_rj_get(csf_rj_get(a, "input"), "stations");
    int n = 0;
    cJSON_ArrayForEach(e, w)
    {
        if (!cJSON_IsString(e))
            continue;
        csf_buf_puts(b, n++ ? "<li>" : "<ul class=\"warn\"><li>");
        csf_html_text(b, e->valuestring);
        csf_buf_puts(b, "</li>");
    }
    cJSON_ArrayForEach(e, st)
    {
        const char *why = csf_rj_str(e, "reason");
        if (why == NULL || said(w, why))
            continue;
        csf_buf_puts(b, n++ ? "<li>" : "<ul class=\"warn\"><li>");
        csf_html_text(b, csf_rj_str(e, "file"));
        csf_buf_puts(b, ": ");
        csf_html_text(b, why);
        csf_buf_puts(b, "</li>");
    }
    if (n > 0)
        csf_buf_puts(b, "</ul>");
}

void csf_page_banner(csf_page *pg)
{
    csf_buf *b = pg->b;
    const cJSON *pos = csf_rj_get(pg->a, "positive");
    int unassessable = cJSON_IsFalse(csf_rj_get(pg->a, "assessable"));
    const char *cls = unassessable ? "unk" : cJSON_IsTrue(pos) ? "pos" : cJSON_IsFalse(pos) ? "neg" : "unk";
    csf_buf_printf(b, "<header class=\"banner %s\"><div class=\"bhead\">"
                      "<div id=\"verdict\" class=\"verdict\">", cls);
    if (unassessable)
        csf_buf_puts(b, "NOT ASSESSABLE \xE2\x80\x94 see the warnings below");
    else if (cJSON_IsTrue(pos))
        csf_buf_puts(b, "POSITIVE \xE2\x80\x94 findings of a spinal CSF leak");
    else if (cJSON_IsFalse(pos))
        csf_buf_puts(b, "NEGATIVE \xE2\x80\x94 no leak found");
    else
        csf_buf_puts(b, "NO VERDICT \xE2\x80\x94 the analysis gives none");
    csf_buf_puts(b, "</div><div class=\"ruo\">Research use only \xE2\x80\x94 not for diagnosis"
                    "</div></div><div class=\"bline\">");
    const cJSON *regions = csf_rj_get(pg->a, "regions");
    for (int r = 0; r < 3; r++)
        chip(b, k_region_names[r], csf_rj_get(regions, k_region_names[r]));
    slec_text(b, csf_rj_get(pg->a, "slec"));
    csf_buf_printf(b, "<span class=\"count\" id=\"nfind\"><b>%d</b> finding%s</span>", pg->nfind,
                   pg->nfind == 1 ? "" : "s");
    csf_buf_puts(b, "</div>");
    warnings(b, pg->a);
    csf_buf_puts(b, "</header>");
}

/* ---- per-level table ---- */

typedef struct lrow {
    const char *name;
    int rank;
} lrow;

static int lrow_cmp(const void *pa, const void *pb)
{
    const lrow *a = pa, *b = pb;
    return a->rank != b->rank ? (a->rank < b->rank ? -1 : 1) : strcmp(a->name, b->name);
}

static size_t add_name(lrow *rows, size_t n, const char *name)
{
    if (name == NULL || csf_level_rank(name) < 0)
        return n;
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].name, name) == 0)
            return n;
    rows[n].name = name;
    rows[n].rank = csf_level_rank(name);
    return n + 1;
}

/* Union of the level names in levels, sac records and findings, in order. */
static size_t level_rows(const csf_page *pg, lrow **out)
{
    const cJSON *sac = csf_page_sac_records(pg);
    size_t cap = pg->nlevels + (size_t)pg->nfind + (size_t)cJSON_GetArraySize(sac) + 1;
    lrow *rows = calloc(cap, sizeof *rows);
    size_t n = 0;
    if (rows == NULL)
        return 0;
    for (size_t i = 0; i < pg->nlevels; i++)
        n = add_name(rows, n, pg->levels[i].name);
    const cJSON *e;
    cJSON_ArrayForEach(e, sac)
    {
        const char *nm = csf_rj_str(e, "level");
        n = add_name(rows, n, nm ? nm : e->string);
    }
    for (int i = 0; i < pg->nfind; i++)
        n = add_name(rows, n, csf_rj_str(cJSON_GetArrayItem(pg->findings, i), "level"));
    qsort(rows, n, sizeof *rows, lrow_cmp);
    *out = rows;
    return n;
}

/* Findings at `level` (NULL: those without a level) as clickable items. */
static void level_findings(csf_page *pg, const char *level)
{
    csf_buf *b = pg->b;
    for (int i = 0; i < pg->nfind; i++) {
        const cJSON *f = cJSON_GetArrayItem(pg->findings, i);
        const char *fl = csf_rj_str(f, "level");
        if (level ? (fl == NULL || strcmp(fl, level) != 0) : fl != NULL)
            continue;
        char label[64];
        csf_finding_label(f, label, sizeof label);
        csf_buf_printf(b, "<div class=\"lf\" data-f=\"%d\"><span class=\"sw %s\"></span>#%d ", i,
                       csf_finding_class(f), i + 1);
        csf_html_text(b, label);
        csf_buf_puts(b, " ");
        csf_html_text(b, csf_rj_str(f, "side"));
        csf_buf_puts(b, " <span class=\"dim\">");
        csf_page_extent_vs_sac(pg, f);
        csf_buf_puts(b, "</span></div>");
    }
}

/* The lumbosacral dural-ectasia indicators when the analysis reports them. */
static void ectasia(csf_buf *b, const cJSON *de)
{
    if (!cJSON_IsObject(de))
        return;
    const cJSON *sus = csf_rj_get(de, "suspected");
    double ap = csf_rj_num(de, "sac_ap_s1_mm");
    double ratio = csf_rj_num(de, "lumbosacral_to_upper_lumbar_ratio");
    if (!isfinite(ap) && !isfinite(ratio) && !cJSON_IsTrue(sus)) {
        csf_buf_puts(b, "<p id=\"ectasia\" class=\"dim\">Dural ectasia: not assessed (no "
                        "lumbosacral sac measurements).</p>");
        return;
    }
    csf_buf_puts(b, "<p id=\"ectasia\">Dural ectasia: <b>");
    csf_buf_puts(b, cJSON_IsTrue(sus) ? "suspected" : cJSON_IsFalse(sus) ? "not suspected"
                                                                          : "not reported");
    csf_buf_puts(b, "</b> \xC2\xB7 sac AP width at S1 ");
    csf_html_num(b, ap, 1);
    csf_buf_puts(b, " mm \xC2\xB7 lumbosacral / upper lumbar width ratio ");
    csf_html_num(b, ratio, 2);
    csf_buf_puts(b, "</p>");
}

/* Level ranks the SLEC spans (slec.from/to); lo > hi when there is none. */
static void slec_span(const csf_page *pg, int *lo, int *hi)
{
    const cJSON *slec = csf_rj_get(pg->a, "slec");
    const char *f = csf_rj_str(slec, "from"), *t = csf_rj_str(slec, "to");
    int a = csf_level_rank(f ? f : csf_rj_str(slec, "from_level"));
    int c = csf_level_rank(t ? t : csf_rj_str(slec, "to_level"));
    *lo = 1;
    *hi = 0;
    if (!cJSON_IsTrue(csf_rj_get(slec, "present")) || a < 0 || c < 0)
        return;
    *lo = a < c ? a : c;
    *hi = a < c ? c : a;
}

void csf_page_level_table(csf_page *pg)
{
    csf_buf *b = pg->b;
    lrow *rows = NULL;
    size_t n = level_rows(pg, &rows);
    csf_buf_puts(b, "<section id=\"levels\"><h2>Per level</h2>");
    const cJSON *lv = csf_rj_get(pg->a, "levels");
    const char *method = csf_rj_str(lv, "method");
    csf_buf_puts(b, "<p class=\"dim\">Levels: ");
    csf_html_text(b, method ? method : "method not reported");
    csf_buf_puts(b, ". Lateral extent is compared with the local transverse sac width: "
                    "shorter means grade 2, longer grade 3.</p>");
    csf_buf_puts(b, "<table class=\"lt\"><thead><tr><th>Level</th><th>Region</th>"
                    "<th class=\"n\">Sac transverse (mm)</th><th class=\"n\">Sac AP (mm)</th>"
                    "<th>Findings (grade, side, lateral extent vs sac width)</th></tr></thead><tbody>");
    int slec_lo, slec_hi;
    slec_span(pg, &slec_lo, &slec_hi);
    int unleveled = 0;
    for (int i = 0; i < pg->nfind; i++)
        unleveled += csf_rj_str(cJSON_GetArrayItem(pg->findings, i), "level") == NULL;
    if (n == 0 && unleveled == 0)
        csf_buf_puts(b, "<tr><td colspan=\"5\" class=\"note\">The analysis names no vertebral "
                        "level.</td></tr>");
    /* one extra row collects the findings without a level */
    for (size_t i = 0; i < n + (unleveled > 0); i++) {
        const char *name = i < n ? rows[i].name : NULL;
        csf_buf_puts(b, "<tr><td class=\"lvl\">");
        csf_html_text(b, name ? name : "unknown");
        csf_buf_puts(b, "</td><td>");
        csf_html_text(b, name ? csf_level_region(name) : DASH);
        csf_buf_puts(b, "</td><td class=\"n\">");
        csf_html_num(b, csf_page_sac_width(pg, name, 0), 1);
        csf_buf_puts(b, "</td><td class=\"n\">");
        csf_html_num(b, csf_page_sac_width(pg, name, 1), 1);
        csf_buf_puts(b, "</td><td>");
        level_findings(pg, name);
        if (name != NULL && rows[i].rank >= slec_lo && rows[i].rank <= slec_hi)
            csf_buf_puts(b, "<span class=\"slectag\">within the SLEC</span>");
        csf_buf_puts(b, "</td></tr>");
    }
    free(rows);
    csf_buf_puts(b, "</tbody></table>");
    ectasia(b, csf_rj_get(pg->a, "dural_ectasia"));
    csf_buf_puts(b, "</section>");
}
