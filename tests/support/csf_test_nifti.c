#include "support/csf_test_nifti.h"

#include <ftw.h>
#include <libdeflate.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int csf_test_mkdtemp(char *buf, size_t size)
{
    snprintf(buf, size, "/tmp/csfleak-test-XXXXXX");
    return mkdtemp(buf) ? 0 : -1;
}

static int rm_one(const char *p, const struct stat *sb, int f, struct FTW *ftw)
{
    (void)sb;
    (void)f;
    (void)ftw;
    remove(p);
    return 0;
}

void csf_test_rmtree(const char *dir) { nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS); }

int csf_test_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    size_t w = len ? fwrite(data, 1, len, f) : 0;
    return (fclose(f) == 0 && w == len) ? 0 : -1;
}

const char *csf_test_path(char *buf, size_t size, const char *dir, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
    return buf;
}

int csf_test_nifti_bytes(int version, const int64_t dims[8], int datatype, const double *aff16,
                         const void *data, uint8_t **out, size_t *out_len)
{
    nifti_set_debug_level(0);
    nifti_image *nim = nifti_make_new_nim(dims, datatype, 0);
    if (nim == NULL)
        return -1;
    nifti_dmat44 m;
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++)
            m.m[r][c] = aff16[r * 4 + c];
    nim->sto_xyz = m;
    nim->sform_code = 1;
    double dx, dy, dz;
    nifti_dmat44_to_quatern(m, &nim->quatern_b, &nim->quatern_c, &nim->quatern_d,
                            &nim->qoffset_x, &nim->qoffset_y, &nim->qoffset_z, &dx, &dy, &dz,
                            &nim->qfac);
    nim->qform_code = 1;
    for (int c = 0; c < 3; c++)
        nim->pixdim[c + 1] = sqrt(m.m[0][c] * m.m[0][c] + m.m[1][c] * m.m[1][c] +
                                  m.m[2][c] * m.m[2][c]);
    nim->dx = nim->pixdim[1];
    nim->dy = nim->pixdim[2];
    nim->dz = nim->pixdim[3];
    nim->xyz_units = NIFTI_UNITS_MM;
    nim->nifti_type = version == 2 ? NIFTI_FTYPE_NIFTI2_1 : NIFTI_FTYPE_NIFTI1_1;
    size_t nbytes = (size_t)nim->nvox * (size_t)nim->nbyper;
    size_t off = version == 2 ? 544 : 352;
    uint8_t *buf = calloc(1, off + nbytes);
    int rc = -1;
    if (buf == NULL)
        goto done;
    if (version == 2) {
        nifti_2_header h;
        if (nifti_convert_nim2n2hdr(nim, &h) != 0)
            goto done;
        h.vox_offset = (int64_t)off;
        memcpy(h.magic, "n+2\0\r\n\032\n", 8);
        memcpy(buf, &h, sizeof h);
    } else {
        nifti_1_header h;
        if (nifti_convert_nim2n1hdr(nim, &h) != 0)
            goto done;
        h.vox_offset = (float)off;
        memcpy(h.magic, "n+1", 4);
        memcpy(buf, &h, sizeof h);
    }
    if (data != NULL)
        memcpy(buf + off, data, nbytes);
    *out = buf;
    *out_len = off + nbytes;
    buf = NULL;
    rc = 0;
done:
    free(buf);
    nifti_image_free(nim);
    return rc;
}

int csf_test_gzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
    size_t bound = libdeflate_gzip_compress_bound(c, len);
    uint8_t *z = malloc(bound);
    size_t n = z ? libdeflate_gzip_compress(c, in, len, z, bound) : 0;
    libdeflate_free_compressor(c);
    if (n == 0) {
        free(z);
        return -1;
    }
    *out = z;
    *out_len = n;
    return 0;
}
