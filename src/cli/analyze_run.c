/* The work of `csfleak analyze`: read, model, classify, write. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze_cli.h"
#include "batch.h"
#include "csfleak/atomic.h"
#include "csfleak/detect.h"
#include "csfleak/io.h"
#include "csfleak/report.h"
#include "csfleak/spine.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static void warn(csf_analyze_run *run, int quiet, const char *fmt, const char *a, const char *b)
{
    if (run->nwarn == 16)
        return;
    char *w = run->warn[run->nwarn];
    snprintf(w, sizeof run->warn[0], fmt, a, b);
    run->warnp[run->nwarn++] = w;
    if (!quiet)
        fprintf(stderr, "csfleak analyze: warning: %s\n", w);
}

/* --levels: landmarks, or a label map ([totalseg:|sct:]FILE). */
static csf_status load_levels(const char *spec, csf_levels *lv, const csf_exec *ex, csf_error *err)
{
    if (strchr(spec, '=') != NULL)
        return csf_levels_parse(spec, lv, err);
    const char *kind = NULL, *path = spec;
    if (strncmp(spec, "totalseg:", 9) == 0)
        kind = "totalseg", path = spec + 9;
    else if (strncmp(spec, "sct:", 4) == 0)
        kind = "sct", path = spec + 4;
    csf_volume *v = NULL;
    csf_status st = csf_io_read(path, ex, &v, NULL, err);
    if (st != CSF_OK)
        return st;
    if (kind == NULL) { /* TotalSegmentator numbers vertebrae 26..50, SCT 1..25 */
        float mx = 0;
        for (size_t i = 0; i < csf_volume_nvox(v); i++)
            mx = v->data[i] > mx ? v->data[i] : mx;
        kind = mx >= 26 ? "totalseg" : "sct";
    }
    st = csf_levels_from_label_map(v, kind, lv, err);
    if (st != CSF_OK)
        csf_error_prefix(err, "--levels '%s'", path);
    csf_volume_free(v);
    return st;
}

static csf_status write_labels(const csf_analyze_run *run, size_t i, const char *base,
                               const csf_exec *ex, csf_error *err)
{
    char path[4096];
    if (i == 0) {
        snprintf(path, sizeof path, "%s", base);
    } else {
        const char *dot = strstr(base, ".nii");
        int stem = dot ? (int)(dot - base) : (int)strlen(base);
        snprintf(path, sizeof path, "%.*s-%zu%s", stem, base, i + 1, dot ? dot : "");
    }
    const csf_volume *v = run->vol[i];
    size_t nv = csf_volume_nvox(v), ne;
    csf_spine_extras(run->spine[i], &ne);
    uint16_t *lab = malloc(nv * sizeof *lab), *el = calloc(ne + 1, sizeof *el);
    csf_volume *out = NULL;
    size_t dim[4] = {v->dim[0], v->dim[1], v->dim[2], 1};
    csf_status st = (lab && el) ? csf_volume_new(dim, v->spacing, &out, err)
                                : csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate the label map");
    if (st == CSF_OK) {
        csf_analysis_extra_labels(run->analysis[i], run->spine[i], el);
        st = csf_spine_label_map(run->spine[i], el, lab, err);
    }
    if (st == CSF_OK) {
        memcpy(out->affine, v->affine, sizeof out->affine);
        for (size_t q = 0; q < nv; q++)
            out->data[q] = lab[q];
        free(lab); /* not needed past here: lowers the peak while the map is regridded */
        lab = NULL;
        /* back on the file's own grid so the map overlays the input in any
         * viewer; merged stations have no single file grid: the merged one */
        st = run->merged ? csf_io_write_nifti(path, out, CSF_DT_UINT16, err)
                         : csf_io_write_nifti_source(path, out, &run->src[i], CSF_DT_UINT16, ex, err);
    }
    csf_volume_free(out);
    free(lab);
    free(el);
    return st;
}

static int fail(const char *what, csf_error *err)
{
    if (what)
        csf_error_prefix(err, "%s", what);
    return csf_cli_fail("analyze", err);
}

/* Models and classifies run->vol[i] (already read in read_ms). */
static int analyse_volume(const csf_analyze_args *a, csf_analyze_run *run, size_t i, double read_ms,
                          const csf_spine_opts *opts, const csf_exec *ex, csf_error *err)
{
    const char *path = a->inputs[i];
    if (csf_spine_analyze(run->vol[i], opts, &run->spine[i], ex, err) != CSF_OK)
        return fail(path, err);
    double t2 = now_ms();
    if (csf_detect_run(run->spine[i], &run->analysis[i], err) != CSF_OK)
        return fail(path, err);
    double t3 = now_ms();
    csf_station_result *s = &run->st[i];
    s->path = path;
    s->vol = run->vol[i];
    s->src = run->merged ? NULL : &run->src[i];
    s->spine = run->spine[i];
    s->analysis = run->analysis[i];
    s->read_ms = read_ms;
    s->classify_ms = t3 - t2;
    if (run->merged) {
        s->merged_from = a->inputs;
        s->nmerged = (size_t)a->ninputs;
    }
    const char *caveat = csf_analysis_caveat(run->analysis[i], run->spine[i]);
    if (caveat != NULL)
        warn(run, a->common.quiet, run->analysis[i]->assessable ? "'%s': %s, use --levels" : "'%s': %s",
             path, caveat);
    return CSF_EXIT_OK;
}

/* Several 3D stations of one spine are merged into one world grid (overlaps
 * feather-blended, csf_io_merge_stations) and analysed as one volume: the sac
 * runs continuously through the overlap, one level count covers both
 * stations, and a finding in the overlap is found once. A feathered gain step
 * between stations is a smooth bias, which the local thresholds follow. 2D
 * thick slabs (one voxel deep) are analysed per station. */
static int read_inputs(const csf_analyze_args *a, csf_analyze_run *run, double *read_ms, const csf_exec *ex,
                       csf_error *err)
{
    double t0 = now_ms();
    int all3d = 1;
    for (int i = 0; i < a->ninputs; i++) {
        if (csf_io_read(a->inputs[i], ex, &run->vol[i], &run->src[i], err) != CSF_OK)
            return fail(NULL, err);
        run->n = (size_t)i + 1;
        for (int q = 0; q < 3; q++)
            all3d &= run->vol[i]->dim[q] > 1;
        read_ms[i] = now_ms() - t0;
        t0 = now_ms();
    }
    if (a->ninputs < 2 || !all3d)
        return CSF_EXIT_OK;
    csf_volume *m = NULL;
    if (csf_io_merge_stations((const csf_volume *const *)run->vol, run->n, ex, &m, err) != CSF_OK)
        return fail("cannot merge the stations", err);
    for (size_t i = 0; i < run->n; i++) {
        csf_volume_free(run->vol[i]);
        run->vol[i] = NULL;
        read_ms[0] += i > 0 ? read_ms[i] : 0;
    }
    read_ms[0] += now_ms() - t0;
    run->vol[0] = m;
    run->n = 1;
    run->merged = 1;
    return CSF_EXIT_OK;
}

int csf_analyze_execute(const csf_analyze_args *a, csf_analyze_run *run, const csf_exec *ex,
                        csf_error *err)
{
    double t0 = now_ms();
    csf_levels user;
    csf_spine_opts opts = {0};
    if (a->levels) {
        if (load_levels(a->levels, &user, ex, err) != CSF_OK)
            return csf_cli_fail("analyze", err);
        opts.levels = &user;
    }
    double read_ms[8] = {0};
    int rc = read_inputs(a, run, read_ms, ex, err);
    for (size_t i = 0; i < run->n && rc == CSF_EXIT_OK; i++)
        rc = analyse_volume(a, run, i, read_ms[i], &opts, ex, err);
    if (rc != CSF_EXIT_OK)
        return rc;
    if (a->labels)
        for (size_t i = 0; i < run->n; i++)
            if (write_labels(run, i, a->labels, ex, err) != CSF_OK)
                return fail(NULL, err);
    if (a->png_dir && (csf_batch_mkdirs(a->png_dir, err) != CSF_OK ||
                       csf_analyze_pngs(run, a->png_dir, err) != CSF_OK))
        return fail(NULL, err);
    if (a->json || a->html) {
        char *txt = NULL;
        if (csf_analysis_json(run->st, run->n, run->warnp, run->nwarn, now_ms() - t0, &txt, err) !=
            CSF_OK)
            return fail(NULL, err);
        csf_status st = a->json ? csf_atomic_write(a->json, txt, strlen(txt), err) : CSF_OK;
        csf_report_opts ro = {.input_path = a->inputs[0], .mip = {run->mip[0], run->mip[1]}};
        if (st == CSF_OK && a->html)
            st = csf_report_html_write(a->html, txt, run->vol[0], &ro, ex, err);
        free(txt);
        if (st != CSF_OK)
            return fail(NULL, err);
    }
    return CSF_EXIT_OK;
}

void csf_analyze_release(csf_analyze_run *run)
{
    for (size_t i = 0; i < 8; i++) {
        csf_analysis_free(run->analysis[i]);
        csf_spine_free(run->spine[i]);
        csf_volume_free(run->vol[i]);
    }
    for (int a = 0; a < 3; a++)
        csf_volume_free(run->mip[a]);
}
