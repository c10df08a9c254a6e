/* A series from files: one 4-D NIfTI streamed frame by frame, or several
 * files / DICOM directories (each read whole, one at a time). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csfleak/io.h"
#include "dyn_internal.h"

static double frame_time(const csf_dyn_params *p, const double *times, size_t ntimes, size_t f,
                         double tr_s)
{
    if (times != NULL && f < ntimes)
        return times[f];
    double step = tr_s > 0 ? tr_s : (p->modality == CSF_DYN_RIC ? 3600.0 : 1.0);
    double t = (double)f * step;
    return p->modality == CSF_DYN_RIC ? t / 3600.0 : t;
}

static csf_status stream_one(const char *path, const double *times, size_t ntimes,
                             const csf_dyn_params *p, csf_dyn_analyzer *a, const csf_exec *ex,
                             csf_error *err)
{
    csf_io_frames *fr = NULL;
    csf_io_source src;
    csf_status st = csf_io_frames_open(path, &fr, &src, err);
    if (st != CSF_OK)
        return st;
    size_t n = csf_io_frames_count(fr);
    if (times != NULL && ntimes != n)
        st = csf_error_set(err, CSF_ERR_INVALID_ARG, "'%s' has %zu frames but --times gives %zu",
                           path, n, ntimes);
    for (size_t f = 0; f < n && st == CSF_OK; f++) {
        csf_volume *v = NULL;
        st = csf_io_frames_next(fr, &v, ex, err);
        if (st == CSF_OK)
            st = csf_dyn_analyzer_push(a, v, frame_time(p, times, ntimes, f, src.tr_s), ex, err);
        if (st != CSF_OK)
            csf_error_prefix(err, "'%s' frame %zu", path, f);
    }
    csf_io_frames_close(fr);
    return st;
}

static csf_status many(const char *const *paths, size_t n, const double *times, size_t ntimes,
                       const csf_dyn_params *p, csf_dyn_analyzer *a, const csf_exec *ex,
                       csf_error *err)
{
    if (times != NULL && ntimes != n)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "%zu files but --times gives %zu times", n,
                             ntimes);
    csf_status st = CSF_OK;
    for (size_t i = 0; i < n && st == CSF_OK; i++) {
        csf_volume *v = NULL;
        st = csf_io_read(paths[i], ex, &v, NULL, err);
        if (st == CSF_OK && v->dim[3] != 1)
            st = csf_error_set(err, CSF_ERR_FORMAT,
                               "'%s' has %zu frames: give one 4-D file or one frame per file",
                               paths[i], v->dim[3]);
        if (st == CSF_OK) {
            st = csf_dyn_analyzer_push(a, v, frame_time(p, times, ntimes, i, 0), ex, err);
            if (st != CSF_OK)
                csf_error_prefix(err, "'%s'", paths[i]);
        }
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
    struct stat sb;
    int dir = stat(paths[0], &sb) == 0 && S_ISDIR(sb.st_mode);
    if (npaths == 1 && !dir)
        st = stream_one(paths[0], times, ntimes, p, a, ex, err);
    else
        st = many(paths, npaths, times, ntimes, p, a, ex, err);
    if (st == CSF_OK) {
        st = csf_dyn_analyzer_finish(a, out, err);
        if (st != CSF_OK)
            csf_error_prefix(err, "'%s'", paths[0]);
    }
    csf_dyn_analyzer_free(a);
    return st;
}
