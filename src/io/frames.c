/* Frame-by-frame reading of a 4-D NIfTI: the header through libnifti2, the
 * voxels through zlib's gzread (plain files pass through unchanged), one
 * frame at a time into a reused float frame on the canonical RAS grid. Only
 * one frame of raw bytes and one float frame are held. */
#include <math.h>
#include <nifti2_io.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "io_internal.h"

struct csf_io_frames {
    gzFile fp;
    char path[1024];
    csf_io_source src;
    int datatype, swap, swapsize;
    size_t nbyper, fvox, next;
    double slope, inter;
    uint8_t *raw;
    csf_volume *frame;
};

static void frames_affine(const nifti_image *nim, double a[4][4], char xf[8])
{
    memset(a, 0, 16 * sizeof(double));
    if (nim->sform_code > 0 || nim->qform_code > 0) {
        const nifti_dmat44 *m = nim->sform_code > 0 ? &nim->sto_xyz : &nim->qto_xyz;
        snprintf(xf, 8, "%s", nim->sform_code > 0 ? "sform" : "qform");
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
                a[r][c] = m->m[r][c];
    } else {
        snprintf(xf, 8, "pixdim");
        const double d[3] = {nim->dx, nim->dy, nim->dz};
        for (int i = 0; i < 3; i++)
            a[i][i] = d[i] > 0 ? d[i] : 1.0;
    }
    a[3][0] = a[3][1] = a[3][2] = 0;
    a[3][3] = 1;
    if (nim->nz == 1 && a[0][2] == 0 && a[1][2] == 0 && a[2][2] == 0) {
        double n[3] = {a[1][0] * a[2][1] - a[2][0] * a[1][1], a[2][0] * a[0][1] - a[0][0] * a[2][1],
                       a[0][0] * a[1][1] - a[1][0] * a[0][1]};
        double len = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        for (int r = 0; r < 3 && len > 0; r++)
            a[r][2] = n[r] / len;
    }
}

static csf_status frames_header(csf_io_frames *fr, const char *path, csf_error *err)
{
    nifti_set_debug_level(0);
    nifti_image *nim = nifti_image_read(path, 0);
    if (nim == NULL)
        return csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': not a readable NIfTI file",
                             path);
    csf_status st = CSF_OK;
    if (csf_io_dtype_name(nim->datatype) == NULL)
        st = csf_error_set(err, CSF_ERR_UNSUPPORTED, "cannot read '%s': datatype %d is not supported",
                           path, nim->datatype);
    for (int i = 1; i <= 4 && st == CSF_OK; i++)
        if (nim->dim[i] < 1 || nim->dim[i] > (int64_t)CSF_VOLUME_MAX_AXIS)
            st = csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': dimension %d is %lld", path,
                               i, (long long)nim->dim[i]);
    if (st == CSF_OK && nim->dim[0] > 4 && nim->nu * nim->nv * nim->nw > 1)
        st = csf_error_set(err, CSF_ERR_UNSUPPORTED, "cannot read '%s': more than 4 dimensions", path);
    double a[4][4];
    if (st == CSF_OK) {
        csf_io_source *s = &fr->src;
        frames_affine(nim, a, s->xform_source);
        snprintf(s->path, sizeof s->path, "%s", path);
        snprintf(s->format, sizeof s->format, "nifti%d", nim->nifti_type >= 4 ? 2 : 1);
        snprintf(s->datatype, sizeof s->datatype, "%s", csf_io_dtype_name(nim->datatype));
        csf_affine_orient_code(&a[0][0], s->orient);
        for (int i = 0; i < 4; i++)
            s->dim[i] = (size_t)(nim->dim[0] > i ? nim->dim[i + 1] : 1);
        memcpy(s->affine, a, sizeof a);
        csf_io_canonical_axes(&a[0][0], s->perm, s->flip);
        s->tr_s = nim->dt > 0 && isfinite(nim->dt)
                      ? nim->time_units == NIFTI_UNITS_MSEC ? nim->dt / 1e3 : nim->dt : 0;
        fr->datatype = nim->datatype;
        fr->nbyper = (size_t)nim->nbyper;
        fr->swapsize = nim->swapsize;
        fr->swap = nim->byteorder != nifti_short_order();
        fr->fvox = s->dim[0] * s->dim[1] * s->dim[2];
        fr->slope = isfinite(nim->scl_slope) && nim->scl_slope != 0 ? nim->scl_slope : 1.0;
        fr->inter = isfinite(nim->scl_slope) && nim->scl_slope != 0 && isfinite(nim->scl_inter)
                        ? nim->scl_inter : 0;
        if (fr->fvox > CSF_VOLUME_MAX_VOXELS)
            st = csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': frame too large", path);
    }
    double off = nim->iname_offset;
    nifti_image_free(nim);
    if (st == CSF_OK && !(off >= 348 && off < 1e12))
        st = csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': bad vox_offset %g", path, off);
    if (st == CSF_OK && gzseek(fr->fp, (z_off_t)off, SEEK_SET) != (z_off_t)off)
        st = csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': truncated before the voxels", path);
    return st;
}

csf_status csf_io_frames_open(const char *path, csf_io_frames **out, csf_io_source *src,
                              csf_error *err)
{
    if (path == NULL || out == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_io_frames_open: NULL argument");
    csf_io_frames *fr = calloc(1, sizeof *fr);
    if (fr == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot read '%s': out of memory", path);
    snprintf(fr->path, sizeof fr->path, "%s", path);
    fr->fp = gzopen(path, "rb");
    if (fr->fp == NULL) {
        free(fr);
        return csf_error_set(err, CSF_ERR_IO, "cannot open '%s'", path);
    }
    gzbuffer(fr->fp, 1u << 20);
    csf_status st = frames_header(fr, path, err);
    if (st == CSF_OK && (fr->raw = malloc(fr->fvox * fr->nbyper)) == NULL)
        st = csf_error_set(err, CSF_ERR_NOMEM, "cannot read '%s': out of memory", path);
    if (st == CSF_OK) {
        const csf_io_source *s = &fr->src;
        size_t cdim[4] = {s->dim[s->perm[0]], s->dim[s->perm[1]], s->dim[s->perm[2]], 1};
        const double one[3] = {1, 1, 1};
        st = csf_volume_new(cdim, one, &fr->frame, err);
        if (st == CSF_OK) {
            csf_io_canonical_affine(&s->affine[0][0], s->dim, s->perm, s->flip, fr->frame->affine);
            csf_volume_spacing_from_affine(fr->frame);
        }
    }
    if (st != CSF_OK) {
        csf_io_frames_close(fr);
        return st;
    }
    if (src != NULL)
        *src = fr->src;
    *out = fr;
    return CSF_OK;
}

size_t csf_io_frames_count(const csf_io_frames *fr)
{
    return fr ? fr->src.dim[3] : 0;
}

csf_status csf_io_frames_next(csf_io_frames *fr, csf_volume **frame, const csf_exec *ex,
                              csf_error *err)
{
    if (fr->next >= fr->src.dim[3])
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "'%s': no frame %zu", fr->path, fr->next);
    size_t want = fr->fvox * fr->nbyper, got = 0;
    while (got < want) {
        unsigned chunk = want - got > (1u << 30) ? (1u << 30) : (unsigned)(want - got);
        int n = gzread(fr->fp, fr->raw + got, chunk);
        if (n <= 0)
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "cannot read '%s': truncated data in frame %zu", fr->path, fr->next);
        got += (size_t)n;
    }
    if (fr->swap && fr->swapsize > 1)
        nifti_swap_Nbytes((int64_t)(want / (size_t)fr->swapsize), fr->swapsize, fr->raw);
    csf_io_convert cv = {.raw = fr->raw, .datatype = fr->datatype, .slope = fr->slope,
                         .inter = fr->inter};
    memcpy(cv.fdim, fr->src.dim, 3 * sizeof(size_t));
    cv.fdim[3] = 1;
    memcpy(cv.perm, fr->src.perm, sizeof cv.perm);
    memcpy(cv.flip, fr->src.flip, sizeof cv.flip);
    size_t bad = 0;
    csf_status st = csf_io_convert_run(&cv, fr->frame, ex, &bad, err);
    if (st == CSF_OK && bad > 0)
        st = csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': %zu voxels of frame %zu are "
                           "NaN or infinite", fr->path, bad, fr->next);
    if (st != CSF_OK)
        return st;
    fr->next++;
    *frame = fr->frame;
    return CSF_OK;
}

void csf_io_frames_close(csf_io_frames *fr)
{
    if (fr == NULL)
        return;
    if (fr->fp != NULL)
        gzclose(fr->fp);
    free(fr->raw);
    csf_volume_free(fr->frame);
    free(fr);
}
