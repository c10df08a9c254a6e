/* Text sections: the findings table (one row per finding), the grading scale
 * and the input / method / timing metadata. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/page.h"

#define DASH "\xE2\x80\x94"
#define MAX_FEATURES 10

static void cell_text(csf_buf *b, const char *s)
{
    csf_buf_puts(b, "<td>");
    csf_html_text(b, s ? s : DASH);
    csf_buf_puts(b, "</td>");
}

static void cell_num(csf_buf *b, double v, int dec)
{
    csf_buf_puts(b, "<td class=\"n\">");
    csf_html_num(b, v, dec);
    csf_buf_puts(b, "</td>");
}

/* The measured features that decided the class: name = value, compact. */
static void features(csf_buf *b, const cJSON *feat)
{
    int k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, feat)
    {
        if (k == MAX_FEATURES) {
            csf_buf_puts(b, "</span> \xE2\x80\xA6");
            k = -1;
            break;
        }
        if (k++ > 0)
            csf_buf_puts(b, "</span>, ");
        csf_buf_puts(b, "<span class=\"fv\">");
        csf_html_text(b, e->string);
        csf_buf_puts(b, "\xC2\xA0=\xC2\xA0");
        if (cJSON_IsNumber(e))
            csf_html_num(b, e->valuedouble, fabs(e->valuedouble) >= 100 ? 0 : 2);
        else if (cJSON_IsString(e))
            csf_html_text(b, e->valuestring);
        else if (cJSON_IsBool(e))
            csf_buf_puts(b, cJSON_IsTrue(e) ? "yes" : "no");
        else
            csf_buf_puts(b, DASH);
    }
    if (k == 0)
        csf_buf_puts(b, "no features recorded");
    else if (k > 0)
        csf_buf_puts(b, "</span>");
}

static void finding_row(csf_page *pg, int i, const cJSON *f)
{
    csf_buf *b = pg->b;
    char label[64];
    csf_finding_label(f, label, sizeof label);
    csf_buf_printf(b, "<tr class=\"finding-row\" data-f=\"%d\" tabindex=\"0\"><td class=\"n\">"
                      "<span class=\"sw %s\"></span>%d</td>", i, csf_finding_class(f), i + 1);
    csf_buf_puts(b, "<td class=\"nw\">");
    csf_html_text(b, label);
    csf_buf_puts(b, "</td>");
    int g = csf_rj_grade(f, "grade");
    csf_buf_puts(b, "<td class=\"n\">");
    if (g >= 0)
        csf_buf_printf(b, "%d", g);
    else
        csf_buf_puts(b, DASH);
    csf_buf_puts(b, "</td>");
    cell_text(b, csf_rj_str(f, "region"));
    char lvl[40];
    csf_finding_level_text(f, lvl, sizeof lvl);
    cell_text(b, lvl[0] ? lvl : NULL);
    cell_text(b, csf_rj_str(f, "side"));
    double lat = csf_rj_num(f, "lateral_extent_mm");
    double sac = csf_page_finding_sac_width(pg, f);
    cell_num(b, lat, 1);
    cell_num(b, sac, 1);
    const char *kind = csf_rj_str(f, "kind");
    int leak = kind != NULL && strcmp(kind, "leak") == 0;
    cell_num(b, leak && isfinite(lat) && isfinite(sac) && sac > 0 ? lat / sac : NAN, 2);
    cell_num(b, csf_rj_num(f, "craniocaudal_extent_mm"), 1);
    cell_num(b, csf_rj_num(f, "volume_ml"), 2);
    double c[3];
    csf_buf_puts(b, "<td class=\"n\">");
    if (csf_rj_vec3(f, "center_mm", c))
        csf_buf_printf(b, "%.1f,\xC2\xA0%.1f,\xC2\xA0%.1f", c[0], c[1], c[2]);
    else
        csf_buf_puts(b, DASH);
    /* the evidence on a second, full-width line of the same finding */
    csf_buf_printf(b, "</td></tr><tr class=\"feat-row\" data-f=\"%d\"><td></td>"
                      "<td colspan=\"11\" class=\"feat\">", i);
    const char *reason = csf_rj_str(f, "reason");
    if (reason != NULL && reason[0] != '\0') {
        csf_buf_puts(b, "<span class=\"reason\">");
        csf_html_text(b, reason);
        csf_buf_puts(b, "</span> \xC2\xB7 ");
    }
    features(b, csf_rj_get(f, "features"));
    csf_buf_puts(b, "</td></tr>");
}

void csf_page_findings_table(csf_page *pg)
{
    csf_buf *b = pg->b;
    csf_buf_puts(b, "<section id=\"findings\"><h2>Findings</h2>");
    if (pg->nfind == 0) {
        csf_buf_puts(b, "<p>No leak, cyst, SLEC or diverticulum was found.</p></section>");
        return;
    }
    csf_buf_puts(b, "<table class=\"ft\"><thead><tr><th class=\"n\">#</th><th>Kind</th>"
                    "<th class=\"n\">Grade</th><th>Region</th><th>Level</th><th>Side</th>"
                    "<th class=\"n\">Lateral (mm)</th><th class=\"n\">Sac width (mm)</th>"
                    "<th class=\"n\">Lateral / sac</th><th class=\"n\">Craniocaudal (mm)</th>"
                    "<th class=\"n\">Volume (ml)</th><th class=\"n\">Center RAS (mm)</th>"
                    "</tr></thead><tbody>");
    for (int i = 0; i < pg->nfind; i++)
        finding_row(pg, i, cJSON_GetArrayItem(pg->findings, i));
    csf_buf_puts(b, "</tbody></table></section>");
}

void csf_page_scale(csf_page *pg)
{
    csf_buf_puts(pg->b,
        "<section id=\"scale\"><h2>Grading scale (MR myelography, per region)</h2>"
        "<table class=\"st\"><tbody>"
        "<tr><td><span class=\"chip g0\">0</span></td><td>No leak: normal root sleeves.</td></tr>"
        "<tr><td><span class=\"chip g1\">1</span></td><td>Possible leak: triangular expansion of "
        "the CSF space around a nerve root sleeve.</td></tr>"
        "<tr><td><span class=\"chip g2\">2</span></td><td>Probable leak: high signal lateral to "
        "the root sleeve, <b>shorter</b> than the transverse width of the thecal sac.</td></tr>"
        "<tr><td><span class=\"chip g3\">3</span></td><td>Definite leak: profuse extraspinal high "
        "signal lateral to and around the root sleeves, <b>longer</b> than the transverse width "
        "of the thecal sac.</td></tr></tbody></table>"
        "<p class=\"dim\">A region's grade is its highest leak grade; the cervicothoracic junction "
        "counts as thoracic, the thoracolumbar junction as lumbar. The study is positive when any "
        "region has grade \xE2\x89\xA5 1 (or an SLEC is present). Colours: "
        "<span class=\"sw k-leak1\"></span>leak 1 <span class=\"sw k-leak2\"></span>leak 2 "
        "<span class=\"sw k-leak3\"></span>leak 3 <span class=\"sw k-cyst\"></span>perineural "
        "cyst <span class=\"sw k-slec\"></span>SLEC <span class=\"sw k-div\"></span>diverticulum."
        "</p></section>");
}

static void kv_row(csf_buf *b, const char *key, const char *val)
{
    csf_buf_puts(b, "<tr><th>");
    csf_buf_puts(b, key);
    csf_buf_puts(b, "</th><td>");
    csf_html_text(b, val ? val : DASH);
    csf_buf_puts(b, "</td></tr>");
}

/* A JSON array of numbers as "a × b × c" (or strings joined by ", "). */
static void list_row(csf_buf *b, const char *key, const cJSON *arr, const char *sep, int dec)
{
    csf_buf_puts(b, "<tr><th>");
    csf_buf_puts(b, key);
    csf_buf_puts(b, "</th><td>");
    int k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        if (k++ > 0)
            csf_buf_puts(b, sep);
        if (cJSON_IsNumber(e))
            csf_html_num(b, e->valuedouble, dec);
        else if (cJSON_IsString(e))
            csf_html_text(b, e->valuestring);
    }
    if (k == 0)
        csf_buf_puts(b, DASH);
    csf_buf_puts(b, "</td></tr>");
}

static void timing(csf_page *pg)
{
    csf_buf *b = pg->b;
    const cJSON *t = csf_rj_get(pg->a, "timing_ms");
    csf_buf_puts(b, "<table class=\"kv\"><tbody>");
    const cJSON *e;
    cJSON_ArrayForEach(e, t)
    {
        if (!cJSON_IsNumber(e))
            continue;
        csf_buf_puts(b, "<tr><th>");
        csf_html_text(b, e->string);
        csf_buf_puts(b, "</th><td class=\"n\">");
        csf_html_num(b, e->valuedouble, 1);
        csf_buf_puts(b, " ms</td></tr>");
    }
    csf_buf_puts(b, "<tr><th>report (this page)</th><td class=\"n\">");
    csf_html_num(b, pg->build_ms, 1);
    csf_buf_puts(b, " ms</td></tr></tbody></table>");
}

void csf_page_meta(csf_page *pg)
{
    csf_buf *b = pg->b;
    const cJSON *in = csf_rj_get(pg->a, "input");
    csf_buf_puts(b, "<section id=\"meta\" class=\"cols\"><div><h2>Input</h2>"
                    "<table class=\"kv\"><tbody>");
    const cJSON *files = csf_rj_get(in, "files");
    if (cJSON_GetArraySize(files) > 0)
        list_row(b, "files", files, ", ", 0);
    else
        kv_row(b, "files", pg->opts->input_path);
    /* csfleak analyze records the grid per station */
    const cJSON *st0 = cJSON_GetArrayItem(csf_rj_get(in, "stations"), 0);
    const cJSON *g = csf_rj_get(in, "dims") ? in : st0;
    list_row(b, "dimensions (voxels)", csf_rj_get(g, "dims"), " \xC3\x97 ", 0);
    list_row(b, "voxel size (mm)", csf_rj_get(g, "voxel_mm"), " \xC3\x97 ", 2);
    kv_row(b, "protocol", csf_rj_str(in, "protocol"));
    const char *orient = csf_rj_str(in, "orientation");
    kv_row(b, "file orientation", orient ? orient : csf_rj_str(st0, "orientation"));
    kv_row(b, "format", csf_rj_str(st0, "format"));
    if (cJSON_GetArraySize(csf_rj_get(in, "stations")) > 1)
        csf_buf_printf(b, "<tr><th>stations</th><td>%d</td></tr>",
                       cJSON_GetArraySize(csf_rj_get(in, "stations")));
    kv_row(b, "analysis file", pg->opts->analysis_path);
    csf_buf_puts(b, "</tbody></table></div><div><h2>Method and software</h2>"
                    "<table class=\"kv\"><tbody>");
    kv_row(b, "schema", csf_rj_str(pg->a, "schema"));
    const char *ver = csf_rj_str(pg->a, "version");
    kv_row(b, "analysis by csfleak", ver ? ver : csf_rj_str(pg->a, "software_version"));
    kv_row(b, "report by csfleak", CSF_VERSION);
    kv_row(b, "levels", csf_rj_str(csf_rj_get(pg->a, "levels"), "method"));
    kv_row(b, "method", csf_rj_str(pg->a, "method"));
    csf_buf_puts(b, "</tbody></table><p class=\"dim\">Fluid is segmented on the heavily "
                    "T2-weighted volume, the thecal sac is tracked from top to bottom, and every "
                    "bright structure outside it is classified from measured features (leak, "
                    "perineural cyst, SLEC, diverticulum, or non-spinal fluid, ignored). A leak's "
                    "grade follows the scale above.</p></div><div><h2>Timing</h2>");
    timing(pg);
    csf_buf_puts(b, "</div></section>");
}
