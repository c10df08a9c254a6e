/* Single-file NIfTI-1 / NIfTI-2 images held in memory. libnifti2 converts the
 * header (nifti_convert_n{1,2}hdr2nim); we check the raw fields it would
 * silently "repair" (it turns dims <= 0 and bad pixdims into 1), then convert
 * and reorient the voxels in one pass. */
#include <math.h>
#include <nifti2_io.h>
#include <stdlib.h>
#include <string.h>

#include "io_internal.h"

/* The raw header fields we validate, in native byte order. */
typedef struct raw_hdr {
    int version;          /* 1 or 2 */
    int64_t dim[8];
    double pixdim[8];
    double vox_offset;
    int datatype;
} raw_hdr;

static int32_t rd_i32(const uint8_t *p, int swap)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++)
        b[i] = swap ? p[3 - i] : p[i];
    int32_t v;
    memcpy(&v, b, 4);
    return v;
}

/* Detects the version and byte order from sizeof_hdr; returns 0 when it is
 * not a NIfTI header. */
static int sniff(const uint8_t *buf, size_t len, int *swap)
{
    if (len < 4)
        return 0;
    for (int s = 0; s < 2; s++) {
        int32_t n = rd_i32(buf, s);
        if (n == 348 || n == 540) {
            *swap = s;
            return n == 348 ? 1 : 2;
        }
    }
    return 0;
}

static csf_status header_n1(const char *path, const uint8_t *buf, int swap, nifti_1_header *h,
                            raw_hdr *r, csf_error *err)
{
    memcpy(h, buf, sizeof *h);
    if (swap)
        swap_nifti_header(h, 1);
    if (memcmp(h->magic, "ni1", 4) == 0)
        return csf_error_set(err, CSF_ERR_UNSUPPORTED,
                             "cannot read '%s': two-file NIfTI (.hdr/.img) is not supported, "
                             "convert it to .nii", path);
    if (memcmp(h->magic, "n+1", 4) != 0)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "cannot read '%s': not a NIfTI-1 file (magic is not 'n+1'; "
                             "ANALYZE 7.5 is not supported)", path);
    r->version = 1;
    for (int i = 0; i < 8; i++) {
        r->dim[i] = h->dim[i];
        r->pixdim[i] = h->pixdim[i];
    }
    r->vox_offset = h->vox_offset;
    r->datatype = h->datatype;
    return CSF_OK;
}

static csf_status header_n2(const char *path, const uint8_t *buf, int swap, nifti_2_header *h,
                            raw_hdr *r, csf_error *err)
{
    memcpy(h, buf, sizeof *h);
    if (swap)
        swap_nifti_header(h, 2);
    if (memcmp(h->magic, "ni2", 4) == 0)
        return csf_error_set(err, CSF_ERR_UNSUPPORTED,
                             "cannot read '%s': two-file NIfTI-2 is not supported", path);
    if (memcmp(h->magic, "n+2", 4) != 0)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "cannot read '%s': not a NIfTI-2 file (magic is not 'n+2')", path);
    r->version = 2;
    for (int i = 0; i < 8; i++) {
        r->dim[i] = h->dim[i];
        r->pixdim[i] = h->pixdim[i];
    }
    r->vox_offset = (double)h->vox_offset;
    r->datatype = h->datatype;
    return CSF_OK;
}

/* dims, voxel sizes, datatype and size of the voxel data against the file. */
static csf_status check_raw(const char *path, const raw_hdr *r, size_t len, size_t *nbytes,
                            csf_error *err)
{
    int64_t nd = r->dim[0];
    if (nd < 1 || nd > 7)
        return csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': header gives %lld dimensions",
                             path, (long long)nd);
    for (int i = 1; i <= nd; i++)
        if (r->dim[i] <= 0 || r->dim[i] > (int64_t)CSF_VOLUME_MAX_AXIS)
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "cannot read '%s': dimension %d is %lld voxels (allowed 1..%u)",
                                 path, i, (long long)r->dim[i], CSF_VOLUME_MAX_AXIS);
    for (int i = 5; i <= nd; i++)
        if (r->dim[i] != 1)
            return csf_error_set(err, CSF_ERR_UNSUPPORTED,
                                 "cannot read '%s': %lld-dimensional data is not supported", path,
                                 (long long)nd);
    uint64_t nvox = 1;
    for (int i = 1; i <= 3 && i <= nd; i++)
        nvox *= (uint64_t)r->dim[i];
    if (nvox > CSF_VOLUME_MAX_VOXELS)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "cannot read '%s': %llu voxels per frame is above the limit of 2^31",
                             path, (unsigned long long)nvox);
    for (int i = 1; i <= 3; i++) {
        double p = r->pixdim[i];
        int used = i <= nd && r->dim[i] > 1;
        if (!isfinite(p) || p < 0 || (p == 0 && used))
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "cannot read '%s': voxel size along axis %d is %g mm", path, i, p);
    }
    if (csf_io_dtype_name(r->datatype) == NULL)
        return csf_error_set(err, CSF_ERR_UNSUPPORTED,
                             "cannot read '%s': datatype %s (%d) is not supported", path,
                             nifti_datatype_string(r->datatype), r->datatype);
    int nbyper = 0, swapsize = 0;
    nifti_datatype_sizes(r->datatype, &nbyper, &swapsize);
    uint64_t nt = nd >= 4 ? (uint64_t)r->dim[4] : 1;
    uint64_t need = nvox * nt * (uint64_t)nbyper;
    size_t hsize = r->version == 1 ? 348 : 540;
    if (!(r->vox_offset >= (double)hsize && r->vox_offset < 1e15))
        return csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': bad vox_offset %g", path,
                             r->vox_offset);
    uint64_t off = (uint64_t)r->vox_offset;
    if (off > len || need > len - off)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "cannot read '%s': truncated data (header needs %llu bytes of voxels "
                             "from offset %llu, file holds %zu bytes)",
                             path, (unsigned long long)need, (unsigned long long)off, len);
    *nbytes = (size_t)need;
    return CSF_OK;
}

static int affine_ok(const double *a16)
{
    for (int i = 0; i < 12; i++)
        if (!isfinite(a16[i]))
            return 0;
    double inv[16];
    return csf_affine_invert(a16, inv) == 0;
}

/* sform, else qform, else pixdim (NIfTI "method 1": diagonal, origin 0). */
static const char *choose_affine(const nifti_image *nim, double a[4][4])
{
    memset(a, 0, 16 * sizeof(double));
    const char *name = "pixdim";
    if (nim->sform_code > 0 || nim->qform_code > 0) {
        const nifti_dmat44 *m = nim->sform_code > 0 ? &nim->sto_xyz : &nim->qto_xyz;
        name = nim->sform_code > 0 ? "sform" : "qform";
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
                a[r][c] = m->m[r][c];
    } else {
        const double d[3] = {nim->dx, nim->dy, nim->dz};
        for (int i = 0; i < 3; i++)
            a[i][i] = d[i] > 0 ? d[i] : 1.0;
    }
    a[3][0] = a[3][1] = a[3][2] = 0;
    a[3][3] = 1;
    return name;
}

/* 2-D files often carry a zero third column (nothing to step to). Give it a
 * 1 mm unit normal so the matrix is invertible and the slice keeps its place. */
static void fix_flat_slice(double a[4][4], int64_t nz)
{
    if (nz != 1 || a[0][2] != 0 || a[1][2] != 0 || a[2][2] != 0)
        return;
    double n[3] = {a[1][0] * a[2][1] - a[2][0] * a[1][1], a[2][0] * a[0][1] - a[0][0] * a[2][1],
                   a[0][0] * a[1][1] - a[1][0] * a[0][1]};
    double len = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    if (len > 0)
        for (int r = 0; r < 3; r++)
            a[r][2] = n[r] / len;
}

static double tr_seconds(const nifti_image *nim)
{
    double dt = nim->dt;
    if (!(isfinite(dt) && dt > 0))
        return 0;
    switch (nim->time_units) {
    case NIFTI_UNITS_MSEC: return dt / 1e3;
    case NIFTI_UNITS_USEC: return dt / 1e6;
    case NIFTI_UNITS_SEC: return dt;
    default: return dt; /* unknown units: seconds is the common case */
    }
}

static void fill_source(const char *path, const raw_hdr *r, const nifti_image *nim,
                        const double *a16, const char *xf, csf_io_source *src)
{
    memset(src, 0, sizeof *src);
    snprintf(src->path, sizeof src->path, "%s", path);
    snprintf(src->format, sizeof src->format, "nifti%d", r->version);
    snprintf(src->datatype, sizeof src->datatype, "%s", csf_io_dtype_name(r->datatype));
    csf_affine_orient_code(a16, src->orient);
    for (int i = 0; i < 4; i++)
        src->dim[i] = (size_t)(r->dim[0] > i ? r->dim[i + 1] : 1);
    memcpy(src->affine, a16, sizeof src->affine);
    csf_io_canonical_axes(a16, src->perm, src->flip);
    src->tr_s = src->dim[3] > 1 ? tr_seconds(nim) : 0;
    snprintf(src->xform_source, sizeof src->xform_source, "%s", xf);
}

/* 16-bit voxels stored in canonical order, converted into the block that holds
 * them (blob->base, data in its upper half), front to back on one thread: the
 * float volume takes the gunzipped block's place, so a read makes one buffer
 * of the volume's size where it made two (the file's bytes, then the floats),
 * and a third less memory traffic. The same arithmetic as the conversion. */
static int in_place_ok(const csf_io_blob *blob, const uint8_t *data, const raw_hdr *r,
                       const csf_io_source *s, const csf_exec *ex, size_t nvox)
{
    if (blob->base == NULL || blob->front == 0 || csf_exec_threads(ex) != 1 ||
        (r->datatype != DT_INT16 && r->datatype != DT_UINT16))
        return 0;
    for (int a = 0; a < 3; a++)
        if (s->perm[a] != a || s->flip[a])
            return 0;
    /* floats [0, 4n) inside the block; the data starts past 2n + 64 bytes, so
     * no block of floats written can reach bytes not yet read (see below) */
    size_t at = (size_t)(data - blob->base), block = blob->front + blob->len;
    return nvox <= (SIZE_MAX - 64) / 4 && 4 * nvox <= block && at >= 2 * nvox + 64 &&
           at + 2 * nvox <= block;
}

static size_t convert_in_place(float *dst, const uint8_t *data, size_t n, const csf_io_convert *cv)
{
    enum { B = 2048 };
    int scaled = !(cv->slope == 1.0 && cv->inter == 0.0), sign = cv->datatype == DT_INT16;
    const double sl = cv->slope, in = cv->inter;
    size_t bad = 0;
    for (size_t o = 0; o < n; o += B) {
        /* a block's bytes are all read before its floats are written: voxel o
         * lies at data + 2o >= 4o + 64, past every float written so far */
        uint16_t u[B];
        int16_t s[B];
        size_t m = n - o < B ? n - o : B;
        float *d = dst + o;
        if (sign) {
            memcpy(s, data + 2 * o, 2 * m);
            if (scaled)
                for (size_t i = 0; i < m; i++)
                    d[i] = (float)((double)s[i] * sl + in);
            else
                for (size_t i = 0; i < m; i++)
                    d[i] = (float)s[i];
        } else {
            memcpy(u, data + 2 * o, 2 * m);
            if (scaled)
                for (size_t i = 0; i < m; i++)
                    d[i] = (float)((double)u[i] * sl + in);
            else
                for (size_t i = 0; i < m; i++)
                    d[i] = (float)u[i];
        }
        if (scaled)
            for (size_t i = 0; i < m; i++)
                bad += !isfinite(d[i]);
    }
    return bad;
}

static csf_status build_volume(const char *path, csf_io_blob *blob, const uint8_t *data,
                               const raw_hdr *r, const nifti_image *nim, const csf_io_source *s,
                               const csf_exec *ex, csf_volume **out, csf_error *err)
{
    csf_io_convert cv = {.raw = data, .datatype = r->datatype};
    memcpy(cv.fdim, s->dim, sizeof cv.fdim);
    memcpy(cv.perm, s->perm, sizeof cv.perm);
    memcpy(cv.flip, s->flip, sizeof cv.flip);
    /* NIfTI: slope 0 means "no scaling"; a non-finite one is treated alike */
    cv.slope = 1.0;
    cv.inter = 0.0;
    if (isfinite(nim->scl_slope) && nim->scl_slope != 0) {
        cv.slope = nim->scl_slope;
        cv.inter = isfinite(nim->scl_inter) ? nim->scl_inter : 0.0;
    }
    size_t cdim[4] = {s->dim[s->perm[0]], s->dim[s->perm[1]], s->dim[s->perm[2]], s->dim[3]};
    const double one[3] = {1, 1, 1};
    csf_volume *v = NULL;
    /* the conversion writes every voxel of every frame */
    csf_status st = csf_volume_new_uninit(cdim, one, &v, err);
    if (st != CSF_OK) {
        csf_error_prefix(err, "cannot read '%s'", path);
        return st;
    }
    size_t nall = csf_volume_nvox(v) * v->dim[3], bad = 0;
    int inplace = in_place_ok(blob, data, r, s, ex, nall);
    if (inplace) { /* the volume takes over the block (its own buffer was never touched) */
        free(v->data);
        v->data = (float *)(void *)blob->base;
        blob->base = NULL;
        blob->data = NULL;
    } else {
        csf_io_advise_huge(v->data, nall * sizeof(float));
    }
    csf_io_canonical_affine(&s->affine[0][0], s->dim, s->perm, s->flip, v->affine);
    csf_volume_spacing_from_affine(v);
    if (inplace)
        bad = convert_in_place(v->data, data, nall, &cv);
    else
        st = csf_io_convert_run(&cv, v, ex, &bad, err);
    if (st == CSF_OK && bad > 0)
        st = csf_error_set(err, CSF_ERR_FORMAT,
                           "cannot read '%s': %zu voxels are NaN or infinite", path, bad);
    if (st != CSF_OK) {
        csf_volume_free(v);
        return st;
    }
    *out = v;
    return CSF_OK;
}

csf_status csf_io_nifti_decode(const char *path, csf_io_blob *blob, const csf_exec *ex,
                               csf_volume **out, csf_io_source *src, csf_error *err)
{
    uint8_t *buf = blob->data;
    size_t len = blob->len;
    int swap = 0, ver = sniff(buf, len, &swap);
    if (ver == 0)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "cannot read '%s': not a NIfTI file (bad header size field)", path);
    if (len < (ver == 1 ? 348u : 540u))
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "cannot read '%s': truncated header (%zu bytes)", path, len);
    nifti_set_debug_level(0); /* the library would chatter on stderr */
    nifti_1_header h1;
    nifti_2_header h2;
    raw_hdr r;
    memset(&r, 0, sizeof r);
    csf_status st = ver == 1 ? header_n1(path, buf, swap, &h1, &r, err)
                             : header_n2(path, buf, swap, &h2, &r, err);
    size_t nbytes = 0;
    if (st == CSF_OK)
        st = check_raw(path, &r, len, &nbytes, err);
    if (st != CSF_OK)
        return st;
    nifti_image *nim = ver == 1 ? nifti_convert_n1hdr2nim(h1, path)
                                : nifti_convert_n2hdr2nim(h2, path);
    if (nim == NULL)
        return csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': nifticlib rejects the header",
                             path);
    uint8_t *data = buf + (size_t)r.vox_offset;
    if (swap) {
        int nbyper = 0, swapsize = 0;
        nifti_datatype_sizes(r.datatype, &nbyper, &swapsize);
        if (swapsize > 1)
            nifti_swap_Nbytes((int64_t)(nbytes / (size_t)swapsize), swapsize, data);
    }
    double a[4][4];
    const char *xf = choose_affine(nim, a);
    fix_flat_slice(a, r.dim[0] >= 3 ? r.dim[3] : 1);
    csf_io_source s;
    fill_source(path, &r, nim, &a[0][0], xf, &s);
    if (!affine_ok(&a[0][0]))
        st = csf_error_set(err, CSF_ERR_FORMAT,
                           "cannot read '%s': the %s voxel-to-world matrix is singular or not finite",
                           path, xf);
    csf_volume *v = NULL;
    if (st == CSF_OK)
        st = build_volume(path, blob, data, &r, nim, &s, ex, &v, err);
    nifti_image_free(nim);
    if (st != CSF_OK)
        return st;
    if (src != NULL)
        *src = s;
    *out = v;
    return CSF_OK;
}
