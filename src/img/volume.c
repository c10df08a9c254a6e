#include "csfleak/volume.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static csf_status check_dims(const size_t dim[4], size_t *nvox_all, csf_error *err)
{
    size_t n = 1;
    for (int a = 0; a < 3; a++) {
        if (dim[a] == 0 || dim[a] > CSF_VOLUME_MAX_AXIS)
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "dimension %d is %zu voxels (allowed 1..%u)", a + 1,
                                 dim[a], CSF_VOLUME_MAX_AXIS);
        n *= dim[a];
    }
    if (n > CSF_VOLUME_MAX_VOXELS)
        return csf_error_set(err, CSF_ERR_FORMAT, "%zu voxels per frame is above the limit of 2^31", n);
    size_t nt = dim[3] == 0 ? 1 : dim[3];
    if (nt > SIZE_MAX / sizeof(float) / n)
        return csf_error_set(err, CSF_ERR_NOMEM, "%zu frames of %zu voxels overflow memory", nt, n);
    *nvox_all = n * nt;
    return CSF_OK;
}

static csf_status volume_alloc(const size_t dim[4], const double spacing_mm[3], int zero,
                               csf_volume **out, csf_error *err)
{
    size_t total = 0;
    csf_status st = check_dims(dim, &total, err);
    if (st != CSF_OK)
        return st;
    for (int a = 0; a < 3; a++)
        if (!(isfinite(spacing_mm[a]) && spacing_mm[a] > 0))
            return csf_error_set(err, CSF_ERR_FORMAT, "voxel size %g mm along axis %d is not positive",
                                 spacing_mm[a], a + 1);
    csf_volume *v = calloc(1, sizeof *v);
    float *data = v ? (zero ? calloc(total, sizeof *data) : malloc(total * sizeof *data)) : NULL;
    if (data == NULL) {
        free(v);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu voxels", total);
    }
    v->data = data;
    memcpy(v->dim, dim, 3 * sizeof dim[0]);
    v->dim[3] = dim[3] == 0 ? 1 : dim[3];
    for (int a = 0; a < 3; a++) {
        v->spacing[a] = spacing_mm[a];
        v->affine[a][a] = spacing_mm[a];
    }
    v->affine[3][3] = 1.0;
    *out = v;
    return CSF_OK;
}

csf_status csf_volume_new(const size_t dim[4], const double spacing_mm[3],
                          csf_volume **out, csf_error *err)
{
    return volume_alloc(dim, spacing_mm, 1, out, err);
}

/* A reused heap (batch workers keep their freed memory) makes calloc clear
 * every byte: a full write pass over the volume that the caller then
 * overwrites anyway. */
csf_status csf_volume_new_uninit(const size_t dim[4], const double spacing_mm[3],
                                 csf_volume **out, csf_error *err)
{
    return volume_alloc(dim, spacing_mm, 0, out, err);
}

csf_status csf_volume_clone(const csf_volume *vol, csf_volume **out, csf_error *err)
{
    csf_volume *v = NULL;
    csf_status st = csf_volume_new_uninit(vol->dim, vol->spacing, &v, err);
    if (st != CSF_OK)
        return st;
    memcpy(v->data, vol->data, csf_volume_nvox(vol) * vol->dim[3] * sizeof(float));
    memcpy(v->affine, vol->affine, sizeof v->affine);
    *out = v;
    return CSF_OK;
}

size_t csf_volume_nvox(const csf_volume *vol) { return vol->dim[0] * vol->dim[1] * vol->dim[2]; }

void csf_volume_ijk_to_ras(const csf_volume *vol, const double ijk[3], double ras_mm[3])
{
    for (int r = 0; r < 3; r++)
        ras_mm[r] = vol->affine[r][0] * ijk[0] + vol->affine[r][1] * ijk[1] +
                    vol->affine[r][2] * ijk[2] + vol->affine[r][3];
}

int csf_affine_invert(const double *a16, double *inv16)
{
#define a(r, c) a16[(r) * 4 + (c)]
    /* Gauss-Jordan with partial pivoting on a 4x8 block: small and exact enough */
    double m[4][8];
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 8; c++)
            m[r][c] = c < 4 ? a(r, c) : (c - 4 == r);
    for (int c = 0; c < 4; c++) {
        int p = c;
        for (int r = c + 1; r < 4; r++)
            if (fabs(m[r][c]) > fabs(m[p][c]))
                p = r;
        if (fabs(m[p][c]) < 1e-12)
            return -1;
        if (p != c)
            for (int k = 0; k < 8; k++) {
                double t = m[c][k];
                m[c][k] = m[p][k];
                m[p][k] = t;
            }
        double d = m[c][c];
        for (int k = 0; k < 8; k++)
            m[c][k] /= d;
        for (int r = 0; r < 4; r++) {
            if (r == c || m[r][c] == 0.0)
                continue;
            double f = m[r][c];
            for (int k = 0; k < 8; k++)
                m[r][k] -= f * m[c][k];
        }
    }
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++)
            inv16[r * 4 + c] = m[r][c + 4];
    return 0;
#undef a
}

csf_status csf_volume_ras_to_ijk(const csf_volume *vol, const double ras_mm[3],
                                 double ijk[3], csf_error *err)
{
    double inv[4][4];
    if (csf_affine_invert(&vol->affine[0][0], &inv[0][0]) != 0)
        return csf_error_set(err, CSF_ERR_FORMAT, "voxel-to-world matrix is singular");
    for (int r = 0; r < 3; r++)
        ijk[r] = inv[r][0] * ras_mm[0] + inv[r][1] * ras_mm[1] + inv[r][2] * ras_mm[2] + inv[r][3];
    return CSF_OK;
}

void csf_volume_spacing_from_affine(csf_volume *vol)
{
    for (int c = 0; c < 3; c++)
        vol->spacing[c] = sqrt(vol->affine[0][c] * vol->affine[0][c] +
                               vol->affine[1][c] * vol->affine[1][c] +
                               vol->affine[2][c] * vol->affine[2][c]);
}

void csf_volume_orient_code(const csf_volume *vol, char buf[4])
{
    csf_affine_orient_code(&vol->affine[0][0], buf);
}

void csf_affine_orient_code(const double *a16, char buf[4])
{
#define affine(r, c) a16[(r) * 4 + (c)]
    static const char pos[3] = {'R', 'A', 'S'}, neg[3] = {'L', 'P', 'I'};
    int used[3] = {0, 0, 0};
    /* greedy on the largest remaining |cosine|, so oblique axes never collide */
    int world_of[3] = {-1, -1, -1};
    for (int step = 0; step < 3; step++) {
        double best = -1;
        int bc = 0, br = 0;
        for (int c = 0; c < 3; c++) {
            if (world_of[c] >= 0)
                continue;
            double norm = sqrt(affine(0, c) * affine(0, c) + affine(1, c) * affine(1, c) +
                               affine(2, c) * affine(2, c));
            for (int r = 0; r < 3; r++) {
                double v = norm > 0 ? fabs(affine(r, c)) / norm : 0;
                if (!(v >= 0))
                    v = 0; /* NaN/Inf in a corrupt header: still give every axis a letter */
                if (!used[r] && v > best) {
                    best = v;
                    bc = c;
                    br = r;
                }
            }
        }
        world_of[bc] = br;
        used[br] = 1;
    }
    for (int c = 0; c < 3; c++)
        buf[c] = affine(world_of[c], c) >= 0 ? pos[world_of[c]] : neg[world_of[c]];
    buf[3] = '\0';
#undef affine
}

void csf_volume_free(csf_volume *vol)
{
    if (vol == NULL)
        return;
    free(vol->data);
    free(vol);
}
