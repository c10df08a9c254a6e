/* A series from files: one 4-D NIfTI streamed frame by frame, or several
 * files / DICOM directories (each read whole, one at a time), or one DICOM
 * directory holding a 4-D series. Frame times: --times, else the sidecar JSON
 * (dcm2niix's for DICOM, or x.json beside x.nii[.gz]), else the header. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csfleak/io.h"
#include "dyn_internal.h"

/* Where frame times come from, and the running state of sidecar times. */
typedef struct tclock {
    const csf_dyn_params *p;
    const double *user;   /* --times, or NULL */
    size_t nuser;
    int sidecar;          /* frame 0 had a sidecar acquisition time */
    double base, last_raw, wrap, prev;
    const char *first;    /* the file of frame 0 */
} tclock;

static double header_time(const tclock *c, size_t f, double tr_s)
{
    double step = tr_s > 0 ? tr_s : (c->p->modality == CSF_DYN_RIC ? 3600.0 : 1.0);
    double t = (double)f * step;
    return c->p->modality == CSF_DYN_RIC ? t / 3600.0 : t;
}

static int is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Time of frame i read from `path` with sidecar acquisition time acq (NaN
 * when none); frames must all have one or none, in increasing order. */
static csf_status clock_next(tclock *c, size_t i, const char *path, const csf_dyn_sidecar *sc,
                             double tr_s, double *t, csf_error *err)
{
    if (c->user != NULL) {
        *t = c->user[i];
        return CSF_OK;
    }
    int have = isfinite(sc->acq_s);
    if (i == 0) {
        c->sidecar = have;
        c->first = path;
        c->base = c->last_raw = sc->acq_s;
        c->wrap = 0;
    } else if (have != c->sidecar) {
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "frame times inconsistent: '%s' has %s acquisition time but '%s' "
                             "(frame 0) has %s; give --times",
                             path, have ? "an" : "no", c->first, have ? "none" : "one");
    }
    if (!have) {
        *t = header_time(c, i, tr_s);
        return CSF_OK;
    }
    double raw = sc->acq_s + c->wrap;
    if (!sc->has_date && raw < c->last_raw - 43200) { /* the series crossed midnight */
        c->wrap += 86400;
        raw += 86400;
    }
    c->last_raw = raw;
    double s = raw - c->base;
    *t = c->p->modality == CSF_DYN_RIC ? s / 3600.0 : s;
    if (i > 0 && !(*t > c->prev))
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "frame times not increasing: '%s' (frame %zu) was acquired %g s "
                             "after frame 0, not after frame %zu; give the frames in time order "
                             "or --times", path, i, s, i - 1);
    c->prev = *t;
    return CSF_OK;
}

/* Per-volume sidecar times of an n-frame series into t[] (relative to the
 * first volume; h for RIC); 0 when the sidecar gives none. */
static int vol_times(const tclock *c, const csf_dyn_sidecar *sc, size_t n, const char *name,
                     const char *path, double *t, csf_error *err, csf_status *st)
{
    *st = CSF_OK;
    if (c->user != NULL || sc->nvol == 0)
        return 0;
    if (sc->nvol != n) {
        *st = csf_error_set(err, CSF_ERR_FORMAT,
                            "frame times inconsistent: '%s' gives %zu volume times but '%s' has "
                            "%zu frames", name, sc->nvol, path, n);
        return 0;
    }
    for (size_t f = 0; f < n; f++) {
        double s = sc->vol_s[f] - sc->vol_s[0];
        t[f] = c->p->modality == CSF_DYN_RIC ? s / 3600.0 : s;
    }
    return 1;
}

static csf_status stream_one(const char *path, tclock *c, csf_dyn_analyzer *a,
                             const csf_exec *ex, csf_error *err)
{
    char name[1100];
    char *txt = c->user ? NULL : csf_io_read_sidecar(path, name, sizeof name);
    csf_dyn_sidecar sc;
    memset(&sc, 0, sizeof sc);
    csf_status st = txt ? csf_dyn_sidecar_parse(txt, name, &sc, err) : CSF_OK;
    free(txt);
    csf_io_frames *fr = NULL;
    csf_io_source src;
    if (st == CSF_OK)
        st = csf_io_frames_open(path, &fr, &src, err);
    if (st != CSF_OK) {
        csf_dyn_sidecar_release(&sc);
        return st;
    }
    size_t n = csf_io_frames_count(fr);
    double *vt = malloc((n ? n : 1) * sizeof *vt);
    int use_vt = 0;
    if (vt == NULL)
        st = csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
    if (st == CSF_OK && c->user != NULL && c->nuser != n)
        st = csf_error_set(err, CSF_ERR_INVALID_ARG, "'%s' has %zu frames but --times gives %zu",
                           path, n, c->nuser);
    if (st == CSF_OK)
        use_vt = vol_times(c, &sc, n, name, path, vt, err, &st);
    for (size_t f = 0; f < n && st == CSF_OK; f++) {
        csf_volume *v = NULL;
        double t = c->user ? c->user[f] : use_vt ? vt[f] : header_time(c, f, src.tr_s);
        st = csf_io_frames_next(fr, &v, ex, err);
        if (st == CSF_OK)
            st = csf_dyn_analyzer_push(a, v, t, ex, err);
        if (st != CSF_OK)
            csf_error_prefix(err, "'%s' frame %zu", path, f);
    }
    free(vt);
    csf_dyn_sidecar_release(&sc);
    csf_io_frames_close(fr);
    return st;
}

/* One input of a list: the volume and its sidecar (DICOM: dcm2niix's). */
static csf_status read_input(const char *path, const tclock *c, const csf_exec *ex,
                             csf_volume **v, csf_io_source *src, csf_dyn_sidecar *sc,
                             csf_error *err)
{
    char name[1100];
    char *txt = NULL;
    csf_status st;
    memset(sc, 0, sizeof *sc);
    sc->acq_s = NAN;
    if (is_dir(path)) {
        st = csf_io_read_dicom_sidecar(path, ex, v, src, c->user ? NULL : &txt, err);
        snprintf(name, sizeof name, "%s (dcm2niix sidecar)", path);
    } else {
        st = csf_io_read(path, ex, v, src, err);
        if (st == CSF_OK && c->user == NULL)
            txt = csf_io_read_sidecar(path, name, sizeof name);
    }
    if (st == CSF_OK && txt != NULL) {
        st = csf_dyn_sidecar_parse(txt, name, sc, err);
        if (st != CSF_OK) {
            csf_volume_free(*v);
            *v = NULL;
        }
    }
    free(txt);
    return st;
}

/* A single DICOM directory that converted to a 4-D series: its frames from
 * memory, times from the sidecar's per-volume list or the header. */
static csf_status push_4d(const char *path, csf_volume *v, const csf_io_source *src,
                          const csf_dyn_sidecar *sc, tclock *c, csf_dyn_analyzer *a,
                          const csf_exec *ex, csf_error *err)
{
    size_t n = v->dim[3], nvox = v->dim[0] * v->dim[1] * v->dim[2];
    if (c->user != NULL && c->nuser != n)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "'%s' has %zu frames but --times gives %zu",
                             path, n, c->nuser);
    double *vt = malloc(n * sizeof *vt);
    if (vt == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
    csf_status st;
    int use_vt = vol_times(c, sc, n, path, path, vt, err, &st);
    csf_volume fr = *v;
    fr.dim[3] = 1;
    for (size_t f = 0; f < n && st == CSF_OK; f++) {
        fr.data = v->data + f * nvox;
        double t = c->user ? c->user[f] : use_vt ? vt[f] : header_time(c, f, src->tr_s);
        st = csf_dyn_analyzer_push(a, &fr, t, ex, err);
        if (st != CSF_OK)
            csf_error_prefix(err, "'%s' frame %zu", path, f);
    }
    free(vt);
    return st;
}

static csf_status many(const char *const *paths, size_t n, tclock *c, csf_dyn_analyzer *a,
                       const csf_exec *ex, csf_error *err)
{
    csf_status st = CSF_OK;
    for (size_t i = 0; i < n && st == CSF_OK; i++) {
        csf_volume *v = NULL;
        csf_io_source src;
        csf_dyn_sidecar sc;
        st = read_input(paths[i], c, ex, &v, &src, &sc, err);
        if (st == CSF_OK && v->dim[3] != 1 && n == 1) {
            st = push_4d(paths[i], v, &src, &sc, c, a, ex, err);
        } else if (st == CSF_OK && v->dim[3] != 1) {
            st = csf_error_set(err, CSF_ERR_FORMAT,
                               "'%s' has %zu frames: give one 4-D file or one frame per file",
                               paths[i], v->dim[3]);
        } else if (st == CSF_OK) {
            if (c->user != NULL && c->nuser != n)
                st = csf_error_set(err, CSF_ERR_INVALID_ARG, "%zu files but --times gives %zu",
                                   n, c->nuser);
            double t = 0;
            if (st == CSF_OK)
                st = clock_next(c, i, paths[i], &sc, 0, &t, err);
            if (st == CSF_OK) {
                st = csf_dyn_analyzer_push(a, v, t, ex, err);
                if (st != CSF_OK)
                    csf_error_prefix(err, "'%s'", paths[i]);
            }
        }
        csf_dyn_sidecar_release(&sc);
        csf_volume_free(v);
    }
    return st;
}

csf_status csf_dyn_analyze_paths(const char *const *paths, size_t npaths, const double *times,
                                 size_t ntimes, const csf_dyn_params *p, const csf_exec *ex,
                                 csf_dyn_result **out, csf_error *err)
{
    if (paths == NULL || npaths == 0 || p == NULL || out == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "dynamic: no input");
    csf_dyn_analyzer *a = NULL;
    csf_status st = csf_dyn_analyzer_new(p, &a, err);
    if (st != CSF_OK)
        return st;
    tclock c;
    memset(&c, 0, sizeof c);
    c.p = p;
    c.user = times;
    c.nuser = ntimes;
    if (npaths == 1 && !is_dir(paths[0]))
        st = stream_one(paths[0], &c, a, ex, err);
    else
        st = many(paths, npaths, &c, a, ex, err);
    if (st == CSF_OK) {
        st = csf_dyn_analyzer_finish(a, out, err);
        if (st != CSF_OK)
            csf_error_prefix(err, "'%s'", paths[0]);
    }
    csf_dyn_analyzer_free(a);
    return st;
}
