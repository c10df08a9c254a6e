/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
/* Slice ordering and the voxel -> RAS affine of a DICOM series, done the way
 * dcm2niix + csf_io_read do it, so the plugin and `csfleak analyze` on a
 * dcm2niix conversion see the same grid and the same world coordinates. */
#include "geometry.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct keyed {
    double d;  /* position along the slice normal, mm */
    size_t at; /* index in the caller's array */
} keyed;

static int by_position(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->d != y->d)
        return x->d < y->d ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at; /* stable: ties are reported later anyway */
}

static int finite_n(const double *v, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

static void cross(const double a[3], const double b[3], double out[3])
{
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
}

/* Every slice must share matrix, spacing and orientation with the first. */
static csf_status check_uniform(const csfo_slice *s, size_t n, csf_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!finite_n(s[i].ipp, 3) || !finite_n(s[i].iop, 6) || !finite_n(s[i].pixel_spacing, 2))
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "instance %s has no usable ImagePositionPatient, "
                                 "ImageOrientationPatient or PixelSpacing",
                                 s[i].instance);
        if (s[i].pixel_spacing[0] <= 0 || s[i].pixel_spacing[1] <= 0 || s[i].rows == 0 ||
            s[i].cols == 0)
            return csf_error_set(err, CSF_ERR_FORMAT, "instance %s: empty matrix or spacing <= 0",
                                 s[i].instance);
        if (s[i].rows != s[0].rows || s[i].cols != s[0].cols)
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "mixed matrix sizes (%zux%zu and %zux%zu): not one volume",
                                 s[0].cols, s[0].rows, s[i].cols, s[i].rows);
        for (int q = 0; q < 6; q++)
            if (fabs(s[i].iop[q] - s[0].iop[q]) > 1e-3)
                return csf_error_set(err, CSF_ERR_FORMAT,
                                     "mixed orientations (instance %s differs from %s): "
                                     "not one volume",
                                     s[i].instance, s[0].instance);
        for (int q = 0; q < 2; q++)
            if (fabs(s[i].pixel_spacing[q] - s[0].pixel_spacing[q]) > 1e-4)
                return csf_error_set(err, CSF_ERR_FORMAT, "mixed pixel spacings: not one volume");
    }
    return CSF_OK;
}

/* Sorts by position along the normal and rejects duplicate or uneven steps. */
static csf_status order_slices(csfo_slice *s, size_t n, const double normal[3], csf_error *err)
{
    keyed *k = malloc(n * sizeof *k);
    csfo_slice *tmp = malloc(n * sizeof *tmp);
    if (k == NULL || tmp == NULL) {
        free(k);
        free(tmp);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot sort %zu slices", n);
    }
    for (size_t i = 0; i < n; i++)
        k[i] = (keyed){s[i].ipp[0] * normal[0] + s[i].ipp[1] * normal[1] + s[i].ipp[2] * normal[2],
                       i};
    qsort(k, n, sizeof *k, by_position);
    for (size_t i = 0; i < n; i++)
        tmp[i] = s[k[i].at];
    memcpy(s, tmp, n * sizeof *s);
    double lo = INFINITY, hi = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double g = k[i + 1].d - k[i].d;
        lo = g < lo ? g : lo;
        hi = g > hi ? g : hi;
    }
    free(k);
    free(tmp);
    if (lo < 1e-3)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "several slices share one position (echoes, repeats or several "
                             "volumes in one series)");
    double mean = (hi + lo) / 2;
    if (hi - lo > 0.05 * mean + 0.01)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "uneven slice spacing (%.3f to %.3f mm): missing slices or several "
                             "stacks",
                             lo, hi);
    return CSF_OK;
}

/* File (column, row, slice) axes -> RAS: DICOM is LPS, so x and y flip. */
static void file_affine(const csfo_slice *s, size_t n, double a[4][4])
{
    const double *row = s[0].iop, *col = s[0].iop + 3;
    double step[3];
    for (int r = 0; r < 3; r++)
        step[r] = (s[n - 1].ipp[r] - s[0].ipp[r]) / (double)(n - 1);
    memset(a, 0, 16 * sizeof(double));
    for (int r = 0; r < 3; r++) {
        double sign = r < 2 ? -1.0 : 1.0;
        a[r][0] = sign * row[r] * s[0].pixel_spacing[1];
        a[r][1] = sign * col[r] * s[0].pixel_spacing[0];
        a[r][2] = sign * step[r];
        a[r][3] = sign * s[0].ipp[r];
    }
    a[3][3] = 1;
}

/* Canonical axis a comes from file axis perm[a], reversed when flip[a]
 * (the rule of csf_io_read, from the same orientation code). */
static void canonical_axes(const double *a16, int perm[3], int flip[3])
{
    char code[4];
    static const char pos[3] = {'R', 'A', 'S'}, neg[3] = {'L', 'P', 'I'};
    csf_affine_orient_code(a16, code);
    for (int a = 0; a < 3; a++)
        perm[a] = a, flip[a] = 0; /* the code always names each world axis once */
    for (int c = 0; c < 3; c++)
        for (int r = 0; r < 3; r++)
            if (code[c] == pos[r] || code[c] == neg[r]) {
                perm[r] = c;
                flip[r] = code[c] == neg[r];
            }
}

static void fill(csf_volume *v, const csfo_slice *s, const size_t fdim[3], const int perm[3],
                 const int flip[3])
{
    size_t f[3];
    for (size_t z = 0; z < v->dim[2]; z++)
        for (size_t y = 0; y < v->dim[1]; y++)
            for (size_t x = 0; x < v->dim[0]; x++) {
                size_t c[3] = {x, y, z};
                for (int a = 0; a < 3; a++)
                    f[perm[a]] = flip[a] ? fdim[perm[a]] - 1 - c[a] : c[a];
                v->data[x + v->dim[0] * (y + v->dim[1] * z)] =
                    s[f[2]].pixels[f[1] * fdim[0] + f[0]];
            }
}

csf_status csfo_volume_build(csfo_slice *slices, size_t n, csf_volume **out, char file_orient[4],
                             csf_error *err)
{
    if (slices == NULL || out == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csfo_volume_build: NULL argument");
    if (n < 2)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "%zu slice%s: a volume needs at least 2 parallel slices", n,
                             n == 1 ? "" : "s");
    csf_status st = check_uniform(slices, n, err);
    if (st != CSF_OK)
        return st;
    double normal[3];
    cross(slices[0].iop, slices[0].iop + 3, normal);
    double len = sqrt(normal[0] * normal[0] + normal[1] * normal[1] + normal[2] * normal[2]);
    if (len < 0.5)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "ImageOrientationPatient row and column directions are parallel");
    st = order_slices(slices, n, normal, err);
    if (st != CSF_OK)
        return st;
    double fa[4][4];
    file_affine(slices, n, fa);
    int perm[3], flip[3];
    canonical_axes(&fa[0][0], perm, flip);
    if (file_orient)
        csf_affine_orient_code(&fa[0][0], file_orient);
    size_t fdim[3] = {slices[0].cols, slices[0].rows, n};
    size_t dim[4] = {fdim[perm[0]], fdim[perm[1]], fdim[perm[2]], 1};
    double sp[3] = {1, 1, 1};
    csf_volume *v = NULL;
    st = csf_volume_new(dim, sp, &v, err);
    if (st != CSF_OK)
        return st;
    memset(v->affine, 0, sizeof v->affine);
    for (int r = 0; r < 3; r++) {
        v->affine[r][3] = fa[r][3];
        for (int a = 0; a < 3; a++) {
            int c = perm[a];
            v->affine[r][a] = flip[a] ? -fa[r][c] : fa[r][c];
            if (flip[a]) /* canonical index 0 on a reversed axis is the file's last voxel */
                v->affine[r][3] += fa[r][c] * (double)(fdim[c] - 1);
        }
    }
    v->affine[3][3] = 1;
    csf_volume_spacing_from_affine(v);
    fill(v, slices, fdim, perm, flip);
    *out = v;
    return CSF_OK;
}

void csfo_slices_free(csfo_slice *slices, size_t n)
{
    if (slices == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(slices[i].pixels);
    free(slices);
}
