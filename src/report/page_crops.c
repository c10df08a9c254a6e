/* The detail panel beside the MIPs: one block per finding with its
 * measurements and zoomed axial and coronal crops around it (thin-slab MIPs),
 * shown by the page script when the finding or its row is clicked. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/page.h"

#define CROP_W_PX 230.0
#define AXIAL_SLAB_MM 3.0
#define CORONAL_SLAB_MM 8.0
/* Crops cost ~10 kB per finding: beyond this many the page would pass 3 MB. */
#define MAX_CROP_FINDINGS 60

/* Voxel box of a crop around ijk: +-half_mm[0] across, +-half_mm[1] down the
 * display, +-slab_mm along the projection axis. */
static int crop_box(const csf_volume *vol, const double ijk[3], int axis, const double half_mm[2],
                    double slab_mm, csf_view *v)
{
    memset(v, 0, sizeof *v);
    v->axis = axis;
    int col = axis == 0 ? 1 : 0, row = axis == 2 ? 1 : 2;
    for (int a = 0; a < 3; a++) {
        double n = (double)vol->dim[a];
        /* a one-voxel axis is a projection (2D thick slab): depth was never known */
        if (vol->dim[a] > 1 && !(ijk[a] > -0.5 && ijk[a] < n - 0.5))
            return 0;
        double mm = a == axis ? slab_mm : a == col ? half_mm[0] : half_mm[1];
        double h = mm / vol->spacing[a];
        double lo = floor(ijk[a] - h + 0.5), hi = floor(ijk[a] + h + 0.5);
        v->lo[a] = lo < 0 ? 0 : (size_t)lo;
        v->hi[a] = hi > n - 1 ? vol->dim[a] - 1 : (size_t)hi;
    }
    return v->hi[col] > v->lo[col] && v->hi[row] > v->lo[row];
}

static void crop_figure(csf_page *pg, const csf_view *v, const cJSON *f, const char *name)
{
    csf_buf *b = pg->b;
    /* the longer side gets CROP_W_PX */
    double wpx = CROP_W_PX, hpx = CROP_W_PX * v->h_mm / v->w_mm;
    if (hpx > CROP_W_PX) {
        wpx = CROP_W_PX * v->w_mm / v->h_mm;
        hpx = CROP_W_PX;
    }
    double s = v->w_mm / wpx;
    /* aspect-ratio lets print shrink the frame without distorting it */
    csf_buf_printf(b, "<figure class=\"crop\"><div class=\"frame\" style=\"width:%.0fpx;"
                      "height:%.0fpx;aspect-ratio:%.3f\">", wpx, hpx, v->w_mm / v->h_mm);
    csf_buf_puts(b, "<img class=\"cropimg\"");
    csf_html_attr(b, "alt", name);
    csf_buf_printf(b, " width=\"%zu\" height=\"%zu\" src=\"", v->px_w, v->px_h);
    csf_buf_put(b, v->uri.data, v->uri.len);
    csf_buf_puts(b, "\">");
    csf_svg_open(b, v->w_mm, v->h_mm, "ovl", 0);
    double r[4];
    if (csf_finding_rect(pg, v, f, r)) {
        char cls[48];
        snprintf(cls, sizeof cls, "fnd %s", csf_finding_class(f));
        double pad = 3 * s;
        csf_svg_rect(b, r[0] - pad, r[1] - pad, r[2] - r[0] + 2 * pad, r[3] - r[1] + 2 * pad,
                     cls, -1, NULL);
    }
    /* 10 mm scale bar, bottom left */
    csf_svg_line(b, 4 * s, v->h_mm - 5 * s, 4 * s + 10, v->h_mm - 5 * s, "bar");
    csf_svg_close(b);
    csf_buf_puts(b, "</div><figcaption>");
    csf_html_text(b, name);
    csf_buf_puts(b, " <span class=\"dim\">10 mm bar</span></figcaption></figure>");
}

static csf_status finding_crops(csf_page *pg, const cJSON *f, csf_error *err)
{
    double c[3], ijk[3];
    if (!csf_rj_vec3(f, "center_mm", c) ||
        csf_volume_ras_to_ijk(pg->vol, c, ijk, NULL) != CSF_OK) {
        csf_buf_puts(pg->b, "<p class=\"note\">No location: no crops.</p>");
        return CSF_OK;
    }
    double lat = csf_rj_num(f, "lateral_extent_mm");
    double cc = csf_rj_num(f, "craniocaudal_extent_mm");
    double half = isfinite(lat) ? fmin(fmax(lat * 0.75 + 12, 25), 60) : 30;
    /* the coronal crop also spans the finding's craniocaudal extent (an SLEC) */
    double tall = isfinite(cc) ? fmin(fmax(cc / 2 + 10, half), 90) : half;
    static const struct { int axis; double slab; const char *name; } crops[] = {
        {2, AXIAL_SLAB_MM, "Axial"}, {1, CORONAL_SLAB_MM, "Coronal"}};
    int shown = 0;
    csf_buf_puts(pg->b, "<div class=\"crops\">");
    for (size_t k = 0; k < sizeof crops / sizeof crops[0]; k++) {
        csf_view v;
        const double hm[2] = {half, crops[k].axis == 1 ? tall : half};
        if (!crop_box(pg->vol, ijk, crops[k].axis, hm, crops[k].slab, &v))
            continue;
        csf_status st = csf_view_render(pg, &v, err);
        if (st == CSF_OK)
            crop_figure(pg, &v, f, crops[k].name);
        csf_view_release(&v);
        if (st != CSF_OK)
            return st;
        shown++;
    }
    csf_buf_puts(pg->b, "</div>");
    if (shown == 0)
        csf_buf_puts(pg->b, "<p class=\"note\">The finding lies outside the volume.</p>");
    return CSF_OK;
}

/* "lateral 24.0 mm vs sac 14.0 mm (1.71x)": the comparison that decides 2 vs 3. */
void csf_page_extent_vs_sac(csf_page *pg, const cJSON *f)
{
    csf_buf *b = pg->b;
    double lat = csf_rj_num(f, "lateral_extent_mm");
    double sac = csf_page_finding_sac_width(pg, f);
    const char *kind = csf_rj_str(f, "kind");
    csf_html_num(b, lat, 1);
    if (kind == NULL || strcmp(kind, "leak") != 0) { /* the ratio grades leaks only */
        csf_buf_puts(b, " mm");
        return;
    }
    csf_buf_puts(b, " mm vs sac ");
    csf_html_num(b, sac, 1);
    csf_buf_puts(b, " mm");
    if (isfinite(lat) && isfinite(sac) && sac > 0) {
        double r = lat / sac;
        csf_buf_printf(b, " <span class=\"%s\">(%.2f\xC3\x97)</span>", r > 1 ? "gt" : "lt", r);
    }
}

static void detail_head(csf_page *pg, int i, const cJSON *f)
{
    csf_buf *b = pg->b;
    char label[64];
    csf_finding_label(f, label, sizeof label);
    csf_buf_printf(b, "<div class=\"detail\" id=\"detail-%d\" data-d=\"%d\"%s><h3>", i, i,
                   i == 0 ? "" : " hidden");
    csf_buf_puts(b, "<span class=\"sw");
    csf_buf_puts(b, " ");
    csf_buf_puts(b, csf_finding_class(f));
    csf_buf_printf(b, "\"></span>#%d ", i + 1);
    csf_html_text(b, label);
    csf_buf_puts(b, " \xC2\xB7 ");
    char lvl[40];
    csf_finding_level_text(f, lvl, sizeof lvl);
    csf_html_text(b, lvl[0] ? lvl : "level unknown");
    csf_buf_puts(b, " ");
    csf_html_text(b, csf_rj_str(f, "side"));
    csf_buf_puts(b, "</h3><p class=\"meas\">Lateral extent ");
    csf_page_extent_vs_sac(pg, f);
    csf_buf_puts(b, "<br>Craniocaudal ");
    csf_html_num(b, csf_rj_num(f, "craniocaudal_extent_mm"), 1);
    csf_buf_puts(b, " mm \xC2\xB7 volume ");
    csf_html_num(b, csf_rj_num(f, "volume_ml"), 2);
    csf_buf_puts(b, " ml</p>");
}

csf_status csf_page_crops(csf_page *pg, csf_error *err)
{
    csf_buf *b = pg->b;
    csf_buf_puts(b, "<aside class=\"details\" id=\"details\"><h3 class=\"hint\">Finding detail</h3>");
    if (pg->nfind == 0)
        csf_buf_puts(b, "<p class=\"note\">No findings.</p>");
    else
        csf_buf_puts(b, "<p class=\"hint\">Click an outline or a table row.</p>");
    for (int i = 0; i < pg->nfind; i++) {
        /* the images are the report's only slow part: report progress, allow a cancel */
        csf_status pst = csf_exec_progress(pg->ex, "report", 0.2 + 0.8 * i / pg->nfind, err);
        if (pst != CSF_OK)
            return pst;
        const cJSON *f = cJSON_GetArrayItem(pg->findings, i);
        detail_head(pg, i, f);
        if (i >= MAX_CROP_FINDINGS) {
            csf_buf_printf(b, "<p class=\"note\">Crops are shown for the first %d findings.</p>"
                              "</div>", MAX_CROP_FINDINGS);
            continue;
        }
        csf_status st = finding_crops(pg, f, err);
        if (st != CSF_OK)
            return st;
        csf_buf_puts(b, "</div>");
    }
    csf_buf_puts(b, "</aside>");
    return CSF_OK;
}
