/* Key images of `csfleak analyze --png-dir`: coronal and sagittal MIPs of
 * each input with the sac centreline and the findings outlined (leaks red,
 * cysts yellow, SLEC magenta, diverticula cyan). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_cli.h"
#include "csfleak/img_filter.h"
#include "csfleak/io.h"

static const uint8_t COLORS[5][3] = {{255, 40, 40}, {255, 220, 0}, {255, 0, 255}, {0, 220, 255}, {0, 0, 0}};

/* MIP along axis `ax` (1 = coronal, 0 = sagittal) as RGB, rows top (superior) to bottom,
 * from the projection proj = csf_img_mip3's out[ax]; mx = the volume's maximum. */
static csf_status mip(const csf_analyze_run *run, size_t i, int ax, const csf_volume *proj, float mx,
                      const char *path, csf_error *err)
{
    const csf_volume *v = run->vol[i];
    size_t nz = v->dim[2];
    size_t w = ax == 1 ? v->dim[0] : v->dim[1], h = nz;
    float *m = malloc(w * h * sizeof *m);
    uint8_t *rgb = malloc(w * h * 3);
    if (m == NULL || rgb == NULL) {
        free(m);
        free(rgb);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate a %zux%zu image", w, h);
    }
    for (size_t k = 0; k < nz; k++) /* superior at the top */
        memcpy(&m[w * (nz - 1 - k)], &proj->data[w * k], w * sizeof *m);
    double bg, thr;
    int heavy;
    const char *why;
    csf_spine_contrast(run->spine[i], &bg, &thr, &heavy, &why);
    double top = thr > 0 ? 2.0 * thr : mx; /* fluid saturates: faint leaks stay visible */
    for (size_t p = 0; p < w * h; p++) {
        double g = fmin(255.0, fmax(0.0, 255.0 * m[p] / top));
        rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = (uint8_t)g;
    }
    size_t ne;
    const csf_extra *xs = csf_spine_extras(run->spine[i], &ne);
    const csf_analysis *an = run->analysis[i];
    for (size_t f = 0; f < an->nfindings; f++) {
        if (an->findings[f].extra_index >= ne)
            continue; /* a 2D level finding without a component: no box */
        const csf_extra *x = &xs[an->findings[f].extra_index];
        const uint8_t *c = COLORS[an->findings[f].kind];
        size_t c0 = ax == 1 ? x->bbox_min[0] : x->bbox_min[1], c1 = ax == 1 ? x->bbox_max[0] : x->bbox_max[1];
        size_t r0 = nz - 1 - x->bbox_max[2], r1 = nz - 1 - x->bbox_min[2];
        c0 = c0 > 2 ? c0 - 2 : 0, c1 = c1 + 2 < w ? c1 + 2 : w - 1;
        r0 = r0 > 2 ? r0 - 2 : 0, r1 = r1 + 2 < h ? r1 + 2 : h - 1;
        for (size_t r = r0; r <= r1; r++)
            for (size_t cc = c0; cc <= c1; cc++)
                if (r == r0 || r == r1 || cc == c0 || cc == c1)
                    memcpy(&rgb[3 * (cc + w * r)], c, 3);
    }
    csf_status st = csf_io_write_png(path, rgb, w, h, 3, err);
    free(m);
    free(rgb);
    return st;
}

/* One pass over the volume gives both images' projections and its maximum
 * (csf_img_mip3; a negative or -inf ray shows black as before). */
csf_status csf_analyze_pngs(csf_analyze_run *run, const char *dir, csf_error *err)
{
    char path[4096];
    for (size_t i = 0; i < run->n; i++) {
        csf_volume *p[3] = {NULL, NULL, NULL};
        csf_status st = csf_img_mip3(run->vol[i], p, NULL, err);
        if (st != CSF_OK)
            return st;
        float mx = 1e-12f;
        for (size_t q = 0; q < csf_volume_nvox(p[2]); q++)
            mx = p[2]->data[q] > mx ? p[2]->data[q] : mx;
        snprintf(path, sizeof path, "%s/input%zu_coronal_mip.png", dir, i + 1);
        st = mip(run, i, 1, p[1], mx, path, err);
        if (st == CSF_OK && run->vol[i]->dim[1] > 1) {
            snprintf(path, sizeof path, "%s/input%zu_sagittal_mip.png", dir, i + 1);
            st = mip(run, i, 0, p[0], mx, path, err);
        }
        for (int a = 0; a < 3; a++) {
            if (i == 0 && st == CSF_OK && run->mip[a] == NULL)
                run->mip[a] = p[a]; /* for the report (csf_report_opts.mip) */
            else
                csf_volume_free(p[a]);
        }
        if (st != CSF_OK)
            return st;
    }
    return CSF_OK;
}
