/* The image panels: coronal and sagittal MIPs of the whole field of view with
 * an SVG overlay (sac centerline, level ticks, findings outlined by kind and
 * grade). Overlay coordinates are display mm, so the SVG viewBox is the
 * image's size in mm and anisotropic voxels need no special care. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/page.h"

/* CSS pixel height of a full view: tall enough to read a whole spine at 1280. */
#define VIEW_H_PX 760.0
#define VIEW_MAX_W_PX 440.0

/* World points of the sac centerline: sac.centerline_mm | sac.centerline as
 * [[x,y,z],...] or [{center_mm:[...]},...], else the per-level centers. */
size_t csf_page_centerline(const csf_page *pg, double **out)
{
    *out = NULL;
    const cJSON *sac = csf_rj_get(pg->a, "sac");
    const cJSON *cl = csf_rj_get(sac, "centerline_mm");
    if (!cJSON_IsArray(cl))
        cl = csf_rj_get(sac, "centerline");
    if (!cJSON_IsArray(cl))
        cl = csf_rj_get(sac, "levels");
    if (!cJSON_IsArray(cl) || cJSON_GetArraySize(cl) < 1)
        return 0;
    double *p = malloc((size_t)cJSON_GetArraySize(cl) * 3 * sizeof *p);
    if (p == NULL)
        return 0;
    size_t n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, cl)
    {
        int ok = cJSON_IsArray(e) ? csf_rj_vec3_of(e, p + 3 * n)
                                  : csf_rj_vec3(e, "center_mm", p + 3 * n);
        n += ok != 0;
    }
    if (n == 0) {
        free(p);
        return 0;
    }
    *out = p;
    return n;
}

/* A world point on the sac at height z: the nearest centerline point's x, y,
 * else the middle of the volume. */
static void point_at_z(const csf_page *pg, const double *cl, size_t ncl, double z, double out[3])
{
    if (ncl > 0) {
        size_t best = 0;
        for (size_t i = 1; i < ncl; i++)
            if (fabs(cl[3 * i + 2] - z) < fabs(cl[3 * best + 2] - z))
                best = i;
        out[0] = cl[3 * best];
        out[1] = cl[3 * best + 1];
    } else {
        const size_t *d = pg->vol->dim;
        double ijk[3] = {(d[0] - 1) / 2.0, (d[1] - 1) / 2.0, (d[2] - 1) / 2.0};
        csf_volume_ijk_to_ras(pg->vol, ijk, out);
    }
    out[2] = z;
}

/* Display rectangle of finding f in view v: its bbox_mm ({min,max}) when the
 * analysis gives one, else a box around center_mm sized by the lateral and
 * craniocaudal extents. Returns 0 when the finding has no location. */
int csf_finding_rect(const csf_page *pg, const csf_view *v, const cJSON *f, double r[4])
{
    double c[3], lo[3], hi[3];
    const cJSON *bb = csf_rj_get(f, "bbox_mm");
    if (!(csf_rj_vec3(bb, "min", lo) && csf_rj_vec3(bb, "max", hi))) {
        if (!csf_rj_vec3(f, "center_mm", c))
            return 0;
        double lat = csf_rj_num(f, "lateral_extent_mm");
        double cc = csf_rj_num(f, "craniocaudal_extent_mm");
        const char *side = csf_rj_str(f, "side");
        int ap = side != NULL && (strcmp(side, "ventral") == 0 || strcmp(side, "dorsal") == 0);
        double hl = isfinite(lat) ? fmax(lat / 2, 3) : 5;
        double h[3] = {ap ? 5 : hl, ap ? hl : 5, isfinite(cc) ? fmax(cc / 2, 3) : 5};
        for (int a = 0; a < 3; a++) {
            lo[a] = c[a] - h[a];
            hi[a] = c[a] + h[a];
        }
    }
    r[0] = r[1] = INFINITY;
    r[2] = r[3] = -INFINITY;
    for (int corner = 0; corner < 8; corner++) {
        double p[3] = {corner & 1 ? hi[0] : lo[0], corner & 2 ? hi[1] : lo[1],
                       corner & 4 ? hi[2] : lo[2]};
        double x, y;
        csf_view_map(pg, v, p, &x, &y);
        if (!isfinite(x) || !isfinite(y))
            return 0;
        r[0] = fmin(r[0], x);
        r[1] = fmin(r[1], y);
        r[2] = fmax(r[2], x);
        r[3] = fmax(r[3], y);
    }
    return 1;
}

/* x of the traced sac course at display row y, NaN when not traced there. */
static double trace_x(const csf_view *v, double y)
{
    double best = INFINITY, x = NAN;
    for (size_t i = 0; i < v->ntrace; i++) {
        double d = fabs(v->trace[2 * i + 1] - y);
        if (d < best && isfinite(v->trace[2 * i])) {
            best = d;
            x = v->trace[2 * i];
        }
    }
    return best < 3.0 ? x : NAN;
}

static void overlay_levels(csf_page *pg, const csf_view *v, const double *cl, size_t ncl,
                           double s)
{
    csf_buf *b = pg->b;
    double last_label = -INFINITY;
    for (size_t i = 0; i < pg->nlevels; i++) {
        if (!isfinite(pg->levels[i].z_mm))
            continue;
        double p[3], x, y;
        point_at_z(pg, cl, ncl, pg->levels[i].z_mm, p);
        csf_view_map(pg, v, p, &x, &y);
        if (!isfinite(y) || y < 0 || y > v->h_mm)
            continue;
        if (ncl == 0)
            x = trace_x(v, y);
        /* where the sac's x is unknown the tick sits beside the label */
        if (isfinite(x))
            csf_svg_line(b, x - 14 * s, y, x + 14 * s, y, "tick");
        else
            csf_svg_line(b, 30 * s, y, 42 * s, y, "tick");
        /* labels closer than a line of text would overprint: keep the tick only */
        if (fabs(y - last_label) >= 10 * s) {
            csf_svg_text(b, 4 * s, y + 4 * s, "lvl", "start", pg->levels[i].name);
            last_label = y;
        }
    }
}

static void overlay_findings(csf_page *pg, const csf_view *v, double s)
{
    csf_buf *b = pg->b;
    for (int i = 0; i < pg->nfind; i++) {
        const cJSON *f = cJSON_GetArrayItem(pg->findings, i);
        double r[4];
        /* a finding of another station, outside this image, is not drawn */
        if (!csf_finding_rect(pg, v, f, r) || r[2] < 0 || r[0] > v->w_mm || r[3] < 0 ||
            r[1] > v->h_mm)
            continue;
        char label[64], cls[48], tip[160];
        csf_finding_label(f, label, sizeof label);
        const char *lvl = csf_rj_str(f, "level");
        snprintf(cls, sizeof cls, "fnd %s", csf_finding_class(f));
        snprintf(tip, sizeof tip, "#%d %s %.16s %.12s", i + 1, label, lvl ? lvl : "",
                 csf_rj_str(f, "side") ? csf_rj_str(f, "side") : "");
        double pad = 2 * s;
        csf_svg_rect(b, r[0] - pad, r[1] - pad, r[2] - r[0] + 2 * pad, r[3] - r[1] + 2 * pad, cls,
                     i, tip);
        char tag[16];
        snprintf(tag, sizeof tag, "%d", i + 1);
        snprintf(cls, sizeof cls, "ftag %s", csf_finding_class(f));
        csf_svg_text(b, r[2] + 4 * s, r[1] + 8 * s, cls, "start", tag);
    }
}

static void write_view(csf_page *pg, const csf_view *v, const char *name, const char *orient)
{
    csf_buf *b = pg->b;
    double hpx = VIEW_H_PX;
    if (v->w_mm / v->h_mm * hpx > VIEW_MAX_W_PX)
        hpx = VIEW_MAX_W_PX * v->h_mm / v->w_mm;
    double s = v->h_mm / hpx; /* mm per CSS pixel: keeps labels at a fixed screen size */
    /* the figure's width is the image's, so a long caption wraps instead of widening it */
    csf_buf_printf(b, "<figure class=\"view\" style=\"width:%.0fpx\"><div class=\"frame\" "
                      "style=\"width:%.0fpx;height:%.0fpx;aspect-ratio:%.3f\">",
                   hpx * v->w_mm / v->h_mm, hpx * v->w_mm / v->h_mm, hpx, v->w_mm / v->h_mm);
    csf_buf_puts(b, "<img class=\"mip\"");
    csf_html_attr(b, "alt", name);
    csf_buf_printf(b, " width=\"%zu\" height=\"%zu\" src=\"", v->px_w, v->px_h);
    csf_buf_put(b, v->uri.data, v->uri.len);
    csf_buf_puts(b, "\">");
    csf_svg_open(b, v->w_mm, v->h_mm, "ovl", 0);
    csf_buf_printf(b, "<g style=\"font-size:%.2fpx\">", 11 * s);
    double *cl = NULL;
    size_t ncl = csf_page_centerline(pg, &cl);
    double *xy = ncl ? malloc(ncl * 2 * sizeof *xy) : NULL;
    if (xy != NULL) {
        for (size_t i = 0; i < ncl; i++)
            csf_view_map(pg, v, cl + 3 * i, xy + 2 * i, xy + 2 * i + 1);
        csf_svg_polyline(b, xy, ncl, "cl");
    } else if (v->ntrace >= 2) {
        csf_svg_polyline(b, v->trace, v->ntrace, "cl");
    }
    free(xy);
    overlay_levels(pg, v, cl, ncl, s);
    free(cl);
    overlay_findings(pg, v, s);
    csf_buf_puts(b, "</g>");
    csf_svg_close(b);
    csf_buf_puts(b, "</div><figcaption>");
    csf_html_text(b, name);
    csf_buf_puts(b, " <span class=\"dim\">");
    csf_html_text(b, orient);
    if (ncl == 0 && v->ntrace >= 2)
        csf_buf_puts(b, " \xC2\xB7 dashed: sac course traced on the image");
    csf_buf_puts(b, "</span></figcaption></figure>");
}

/* World z range the sac spans: sac.stations[].z_range_mm (csfleak analyze),
 * else the levels' range widened by 15 mm; 0 when neither is known. */
static int sac_z_range(const csf_page *pg, double *zlo, double *zhi)
{
    *zlo = INFINITY;
    *zhi = -INFINITY;
    const cJSON *e;
    cJSON_ArrayForEach(e, csf_rj_get(csf_rj_get(pg->a, "sac"), "stations"))
    {
        const cJSON *zr = csf_rj_get(e, "z_range_mm");
        const cJSON *a = cJSON_GetArrayItem(zr, 0), *b = cJSON_GetArrayItem(zr, 1);
        if (cJSON_GetArraySize(zr) == 2 && cJSON_IsNumber(a) && cJSON_IsNumber(b)) {
            *zlo = fmin(*zlo, fmin(a->valuedouble, b->valuedouble));
            *zhi = fmax(*zhi, fmax(a->valuedouble, b->valuedouble));
        }
    }
    if (*zhi > *zlo)
        return 1;
    for (size_t i = 0; i < pg->nlevels; i++) {
        if (isfinite(pg->levels[i].z_mm)) {
            *zlo = fmin(*zlo, pg->levels[i].z_mm - 15);
            *zhi = fmax(*zhi, pg->levels[i].z_mm + 15);
        }
    }
    return *zhi > *zlo + 30;
}

static void full_box(const csf_page *pg, csf_view *v, int axis)
{
    memset(v, 0, sizeof *v);
    v->axis = axis;
    for (int a = 0; a < 3; a++)
        v->hi[a] = pg->vol->dim[a] - 1;
    double zlo, zhi, top[3], bot[3], x;
    double *cl = NULL;
    size_t ncl = csf_page_centerline(pg, &cl);
    free(cl);
    /* the analysis gives the course, or says there is no sac to see, or nobody knows where */
    if (ncl > 0 || cJSON_IsFalse(csf_rj_get(pg->a, "assessable")) ||
        cJSON_IsFalse(csf_rj_get(csf_rj_get(pg->a, "sac"), "found")) ||
        !sac_z_range(pg, &zlo, &zhi))
        return;
    point_at_z(pg, NULL, 0, zhi, top);
    point_at_z(pg, NULL, 0, zlo, bot);
    csf_view_map(pg, v, top, &x, &v->trace_y0);
    csf_view_map(pg, v, bot, &x, &v->trace_y1);
    if (!(v->trace_y1 > v->trace_y0))
        v->trace_y0 = v->trace_y1 = 0;
}

csf_status csf_page_images(csf_page *pg, csf_error *err)
{
    csf_buf *b = pg->b;
    csf_buf_puts(b, "<section class=\"images\" id=\"images\"><h2>Key images</h2>");
    if (pg->vol == NULL) {
        csf_buf_puts(b, "<p class=\"note\">No input volume was given, so the page has no "
                        "images (pass --input VOLUME).</p></section>");
        return CSF_OK;
    }
    const csf_volume *vol = pg->vol;
    csf_status pst = csf_exec_progress(pg->ex, "report", 0.0, err);
    if (pst != CSF_OK)
        return pst;
    csf_buf_puts(b, "<div class=\"viewrow\">");
    full_box(pg, &pg->cor, 1);
    full_box(pg, &pg->sag, 0);
    /* a 2D thick-slab input (one voxel deep) has no sagittal view */
    if (vol->dim[0] > 1 && vol->dim[2] > 1) {
        csf_status st = csf_view_render(pg, &pg->cor, err);
        if (st != CSF_OK)
            return st;
        write_view(pg, &pg->cor, "Coronal MIP", "patient right on the left");
    }
    if (vol->dim[1] > 1 && vol->dim[2] > 1) {
        csf_status st = csf_view_render(pg, &pg->sag, err);
        if (st != CSF_OK)
            return st;
        write_view(pg, &pg->sag, "Sagittal MIP", "anterior on the left");
    }
    csf_status st = csf_page_crops(pg, err);
    if (st != CSF_OK)
        return st;
    csf_buf_puts(b, "</div></section>");
    return CSF_OK;
}
