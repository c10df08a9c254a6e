/* The sac width along the spine (SVG line plot, cranial on the left): the
 * place where dural ectasia (wide lumbosacral sac) and SLEC compression show. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/page.h"

#define PW 1180.0
#define PH 250.0
#define ML 48.0
#define MR 14.0
#define MT 14.0
#define MB 40.0

typedef struct wpt {
    double z, tr, ap;
} wpt;

static int wpt_cmp(const void *pa, const void *pb)
{
    const wpt *a = pa, *b = pb;
    return a->z > b->z ? -1 : a->z < b->z ? 1 : 0;
}

static double level_z(const csf_page *pg, const char *name)
{
    for (size_t i = 0; name != NULL && i < pg->nlevels; i++)
        if (strcmp(pg->levels[i].name, name) == 0)
            return pg->levels[i].z_mm;
    return NAN;
}

/* Width samples: sac.profile (dense) when given, else the per-level records. */
static size_t samples(const csf_page *pg, wpt **out)
{
    static const char *const kz[] = {"z_mm", "z", NULL};
    const cJSON *sac = csf_rj_get(pg->a, "sac");
    const cJSON *src = csf_rj_get(sac, "profile");
    int dense = cJSON_IsArray(src) && cJSON_GetArraySize(src) >= 2;
    if (!dense)
        src = csf_page_sac_records(pg);
    int n = cJSON_GetArraySize(src);
    *out = n > 0 ? calloc((size_t)n, sizeof **out) : NULL;
    if (*out == NULL)
        return 0;
    size_t k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, src)
    {
        wpt p = {csf_rj_num_any(e, kz), csf_rj_num_any(e, csf_k_trans), csf_rj_num_any(e, csf_k_ap)};
        if (!isfinite(p.z)) {
            const char *nm = csf_rj_str(e, "level");
            p.z = level_z(pg, nm ? nm : e->string);
        }
        if (isfinite(p.z) && (isfinite(p.tr) || isfinite(p.ap)))
            (*out)[k++] = p;
    }
    qsort(*out, k, sizeof **out, wpt_cmp);
    return k;
}

static void series(csf_buf *b, const wpt *p, size_t n, int ap, double z0, double zs, double ys,
                   const char *cls)
{
    double *xy = malloc(n * 2 * sizeof *xy);
    if (xy == NULL) {
        b->oom = 1;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        double v = ap ? p[i].ap : p[i].tr;
        xy[2 * i] = ML + (z0 - p[i].z) * zs;
        xy[2 * i + 1] = isfinite(v) ? PH - MB - v * ys : NAN;
    }
    csf_svg_polyline(b, xy, n, cls);
    free(xy);
}

static void axes(csf_page *pg, double z0, double z1, double zs, double ymax, double ys)
{
    csf_buf *b = pg->b;
    double step = ymax > 40 ? 10 : 5;
    char t[32];
    for (double y = 0; y <= ymax + 1e-9; y += step) {
        csf_svg_line(b, ML, PH - MB - y * ys, PW - MR, PH - MB - y * ys, y == 0 ? "ax" : "grid");
        snprintf(t, sizeof t, "%.0f", y);
        csf_svg_text(b, ML - 6, PH - MB - y * ys + 4, "tl", "end", t);
    }
    csf_svg_text(b, 4, PH / 2, "tl", "start", "mm");
    for (size_t i = 0; i < pg->nlevels; i++) {
        double z = pg->levels[i].z_mm;
        if (!(z <= z0 && z >= z1))
            continue;
        double x = ML + (z0 - z) * zs;
        csf_svg_line(b, x, MT, x, PH - MB, "grid");
        csf_svg_text(b, x, PH - MB + 14 + (i % 2) * 12, "tl", "middle", pg->levels[i].name);
    }
    for (int i = 0; i < pg->nfind; i++) {
        const cJSON *f = cJSON_GetArrayItem(pg->findings, i);
        double c[3], z = NAN;
        if (csf_rj_vec3(f, "center_mm", c))
            z = c[2];
        else
            z = level_z(pg, csf_rj_str(f, "level"));
        if (!(z <= z0 && z >= z1))
            continue;
        char cls[40];
        snprintf(cls, sizeof cls, "pm %s", csf_finding_class(f));
        csf_svg_rect(b, ML + (z0 - z) * zs - 4, MT - 4, 8, 8, cls, i, NULL);
    }
}

void csf_page_plot(csf_page *pg)
{
    csf_buf *b = pg->b;
    csf_buf_puts(b, "<section id=\"plot\"><h2>Sac width along the spine</h2>");
    wpt *p = NULL;
    size_t n = samples(pg, &p);
    if (n < 2) {
        free(p);
        csf_buf_puts(b, "<p class=\"note\">The analysis gives fewer than two sac width "
                        "measurements with a position: no plot.</p></section>");
        return;
    }
    double z0 = p[0].z, z1 = p[n - 1].z, ymax = 0;
    for (size_t i = 0; i < n; i++)
        ymax = fmax(ymax, fmax(isfinite(p[i].tr) ? p[i].tr : 0, isfinite(p[i].ap) ? p[i].ap : 0));
    ymax = ceil(fmax(ymax * 1.1, 5) / 5) * 5;
    double zs = z0 > z1 ? (PW - ML - MR) / (z0 - z1) : 1;
    double ys = (PH - MT - MB) / ymax;
    csf_svg_open(b, PW, PH, "plot", 1);
    axes(pg, z0, z1, zs, ymax, ys);
    series(b, p, n, 0, z0, zs, ys, "s-tr");
    series(b, p, n, 1, z0, zs, ys, "s-ap");
    csf_svg_close(b);
    free(p);
    csf_buf_puts(b, "<p class=\"dim\"><span class=\"lg lg-tr\"></span>transverse width "
                    "<span class=\"lg lg-ap\"></span>AP width; squares mark findings "
                    "(cranial on the left).</p></section>");
}
