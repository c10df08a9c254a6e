/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
/* csfleak-nii2dcm: writes a NIfTI volume as a single-frame MR DICOM series
 * (explicit VR little endian, int16), for the Orthanc plugin's tests and
 * benchmark. The geometry comes from the volume's affine, so the series
 * holds the same world coordinates; InstanceNumber is scrambled on purpose
 * (readers must sort by position). Options make deliberately bad series.
 * Test tooling, not part of csfleak's user interface. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/io.h"
#include "support/csf_dcm_enc.h"

typedef struct opts {
    const char *in, *out, *study, *series, *desc, *protocol, *modality, *patient;
    char orient[4];  /* sag, cor, ax */
    long limit;      /* write only the first N slices (0 = all) */
    int mixed;       /* slice 1 gets another orientation */
    int no_ipp;      /* slice 0 without ImagePositionPatient */
    int fake_j2k;    /* JPEG 2000 transfer syntax over bytes no decoder accepts */
} opts;

#define TS_J2K "1.2.840.10008.1.2.4.90"

/* Display grid of a view: which canonical axis feeds columns, rows and
 * slices, and whether it is walked backwards (the usual scanner layouts). */
typedef struct layout {
    int ax[3];  /* col, row, slice */
    int rev[3];
} layout;

static int get_layout(const char *o, layout *l)
{
    if (strcmp(o, "sag") == 0) /* IOP 0\1\0\0\0\-1: columns A->P, rows S->I */
        *l = (layout){{1, 2, 0}, {1, 1, 0}};
    else if (strcmp(o, "cor") == 0) /* IOP 1\0\0\0\0\-1: columns R->L, rows S->I */
        *l = (layout){{0, 2, 1}, {1, 1, 0}};
    else if (strcmp(o, "ax") == 0) /* IOP 1\0\0\0\1\0: columns R->L, rows A->P */
        *l = (layout){{0, 1, 2}, {1, 1, 0}};
    else
        return -1;
    return 0;
}

static void to_lps(const double ras[3], double lps[3])
{
    lps[0] = -ras[0];
    lps[1] = -ras[1];
    lps[2] = ras[2];
}

static void idx_of(const csf_volume *v, const layout *l, size_t c, size_t r, size_t s, size_t idx[3])
{
    size_t q[3] = {c, r, s};
    for (int a = 0; a < 3; a++)
        idx[l->ax[a]] = l->rev[a] ? v->dim[l->ax[a]] - 1 - q[a] : q[a];
}

/* Unit direction (LPS) of display axis a, and its spacing. */
static double dir_of(const csf_volume *v, const layout *l, int a, double lps[3])
{
    double ras[3], n = 0;
    for (int r = 0; r < 3; r++) {
        ras[r] = v->affine[r][l->ax[a]] * (l->rev[a] ? -1 : 1);
        n += ras[r] * ras[r];
    }
    n = sqrt(n);
    for (int r = 0; r < 3; r++)
        ras[r] /= n;
    to_lps(ras, lps);
    return n;
}

/* Slice s as int16 little endian, rows x cols of the layout. */
static int16_t *pixels(const csf_volume *v, const layout *l, size_t s, double scale)
{
    size_t cols = v->dim[l->ax[0]], rows = v->dim[l->ax[1]], idx[3];
    int16_t *px = malloc(rows * cols * sizeof *px);
    if (px == NULL)
        return NULL;
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < cols; c++) {
            idx_of(v, l, c, r, s, idx);
            double val = v->data[idx[0] + v->dim[0] * (idx[1] + v->dim[1] * idx[2])] * scale;
            val = fmax(-32768.0, fmin(32767.0, round(val)));
            int16_t q = (int16_t)val;
            uint8_t *d = (uint8_t *)&px[r * cols + c]; /* little endian on disk */
            d[0] = (uint8_t)((uint16_t)q & 0xff);
            d[1] = (uint8_t)((uint16_t)q >> 8);
        }
    return px;
}

/* Encapsulated pixel data: empty offset table, one fragment, delimiter. */
static void encapsulated(csf_dcm_buf *b, const void *frag, size_t n)
{
    csf_dcm_u16(b, 0x7FE0);
    csf_dcm_u16(b, 0x0010);
    csf_dcm_put(b, "OB", 2);
    csf_dcm_u16(b, 0);
    csf_dcm_u32(b, 0xFFFFFFFFu);
    static const unsigned item[2] = {0xFFFE, 0xE000}, end[2] = {0xFFFE, 0xE0DD};
    csf_dcm_u16(b, item[0]), csf_dcm_u16(b, item[1]), csf_dcm_u32(b, 0);
    csf_dcm_u16(b, item[0]), csf_dcm_u16(b, item[1]), csf_dcm_u32(b, n);
    csf_dcm_put(b, frag, n);
    csf_dcm_u16(b, end[0]), csf_dcm_u16(b, end[1]), csf_dcm_u32(b, 0);
}

/* File meta, SOP, patient and series identification. */
static void header(csf_dcm_buf *b, const opts *o, const char *sop)
{
    csf_dcm_meta(b, sop, o->fake_j2k ? TS_J2K : CSF_DCM_TS_EXPLICIT_LE);
    csf_dcm_str(b, 8, 8, "CS", "ORIGINAL\\PRIMARY\\M\\ND");
    csf_dcm_str(b, 8, 0x16, "UI", CSF_DCM_MR_STORAGE);
    csf_dcm_str(b, 8, 0x18, "UI", sop);
    csf_dcm_str(b, 8, 0x20, "DA", "20240101");
    csf_dcm_str(b, 8, 0x30, "TM", "120000");
    csf_dcm_str(b, 8, 0x60, "CS", o->modality);
    csf_dcm_str(b, 8, 0x70, "LO", "csfleak-test");
    csf_dcm_str(b, 8, 0x103E, "LO", o->desc);
    csf_dcm_str(b, 0x10, 0x10, "PN", "Phantom^Orthanc");
    csf_dcm_str(b, 0x10, 0x20, "LO", o->patient);
}

static int write_slice(const opts *o, const csf_volume *v, const layout *l, size_t s, size_t ns,
                       double scale)
{
    size_t cols = v->dim[l->ax[0]], rows = v->dim[l->ax[1]];
    char sop[96], txt[256], path[4200];
    snprintf(sop, sizeof sop, "%s.%zu", o->series, s + 1);
    csf_dcm_buf b = {0};
    header(&b, o, sop);
    double sr[3], sc[3], ss[3], ipp[3], ras[3];
    double colsp = dir_of(v, l, 0, sr), rowsp = dir_of(v, l, 1, sc), step = dir_of(v, l, 2, ss);
    snprintf(txt, sizeof txt, "%.6f", step);
    csf_dcm_str(&b, 0x18, 0x50, "DS", txt);
    csf_dcm_str(&b, 0x18, 0x88, "DS", txt);
    csf_dcm_str(&b, 0x18, 0x1030, "LO", o->protocol);
    csf_dcm_str(&b, 0x20, 0x0D, "UI", o->study);
    csf_dcm_str(&b, 0x20, 0x0E, "UI", o->series);
    csf_dcm_str(&b, 0x20, 0x11, "IS", "5");
    snprintf(txt, sizeof txt, "%zu", (s * 7919) % ns + 1); /* a permutation: n < 7919 */
    csf_dcm_str(&b, 0x20, 0x13, "IS", txt);
    size_t idx[3];
    idx_of(v, l, 0, 0, s, idx);
    double ijk[3] = {(double)idx[0], (double)idx[1], (double)idx[2]};
    csf_volume_ijk_to_ras(v, ijk, ras);
    to_lps(ras, ipp);
    if (!(o->no_ipp && s == 0)) {
        snprintf(txt, sizeof txt, "%.6f\\%.6f\\%.6f", ipp[0], ipp[1], ipp[2]);
        csf_dcm_str(&b, 0x20, 0x32, "DS", txt);
    }
    if (o->mixed && s == 1) /* row and column directions swapped: another plane */
        snprintf(txt, sizeof txt, "%.6f\\%.6f\\%.6f\\%.6f\\%.6f\\%.6f", ss[0], ss[1], ss[2], sc[0],
                 sc[1], sc[2]);
    else
        snprintf(txt, sizeof txt, "%.6f\\%.6f\\%.6f\\%.6f\\%.6f\\%.6f", sr[0], sr[1], sr[2], sc[0],
                 sc[1], sc[2]);
    csf_dcm_str(&b, 0x20, 0x37, "DS", txt);
    csf_dcm_str(&b, 0x20, 0x52, "UI", o->study);
    csf_dcm_us(&b, 0x28, 2, 1);
    csf_dcm_str(&b, 0x28, 4, "CS", "MONOCHROME2");
    csf_dcm_us(&b, 0x28, 0x10, (unsigned)rows);
    csf_dcm_us(&b, 0x28, 0x11, (unsigned)cols);
    snprintf(txt, sizeof txt, "%.6f\\%.6f", rowsp, colsp);
    csf_dcm_str(&b, 0x28, 0x30, "DS", txt);
    csf_dcm_us(&b, 0x28, 0x100, 16);
    csf_dcm_us(&b, 0x28, 0x101, 16);
    csf_dcm_us(&b, 0x28, 0x102, 15);
    csf_dcm_us(&b, 0x28, 0x103, 1);
    int16_t *px = pixels(v, l, s, scale);
    if (px == NULL) {
        free(b.p);
        return -1;
    }
    if (o->fake_j2k)
        encapsulated(&b, px, 64); /* a fragment that is no JPEG 2000 codestream */
    else
        csf_dcm_elem(&b, 0x7FE0, 0x10, "OW", px, rows * cols * 2);
    free(px);
    snprintf(path, sizeof path, "%s/s%05zu.dcm", o->out, s);
    return csf_dcm_save(&b, path);
}

/* "synthetic:NX,NY,NZ,MM": a bright vertical tube with a side blob on a dim
 * background, origin at the centre, for tests that need no phantom. */
static int synthetic(const char *spec, csf_volume **out)
{
    long d[3];
    double mm;
    const char *p = spec;
    char *end;
    for (int a = 0; a < 3; a++) {
        d[a] = strtol(p, &end, 10);
        if (*end != ',' || d[a] < 2 || d[a] > 2048)
            return -1;
        p = end + 1;
    }
    mm = strtod(p, &end);
    if (*end || !(mm > 0.1 && mm < 10))
        return -1;
    size_t dim[4] = {(size_t)d[0], (size_t)d[1], (size_t)d[2], 1};
    double sp[3] = {mm, mm, mm};
    if (csf_volume_new(dim, sp, out, NULL) != CSF_OK)
        return -1;
    csf_volume *v = *out;
    for (int r = 0; r < 3; r++)
        v->affine[r][3] = -0.5 * mm * (double)(dim[r] - 1);
    for (size_t k = 0; k < dim[2]; k++)
        for (size_t j = 0; j < dim[1]; j++)
            for (size_t i = 0; i < dim[0]; i++) {
                double x = ((double)i - 0.5 * (double)dim[0]) * mm;
                double y = ((double)j - 0.5 * (double)dim[1]) * mm;
                double z = ((double)k - 0.5 * (double)dim[2]) * mm;
                double val = 50 + (double)((i * 7 + j * 13 + k * 3) % 17);
                if (x * x + y * y < 36)
                    val = 1000;
                else if ((x - 14) * (x - 14) + y * y + z * z < 16)
                    val = 800;
                v->data[i + dim[0] * (j + dim[1] * k)] = (float)val;
            }
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: csfleak-nii2dcm IN.nii[.gz]|synthetic:NX,NY,NZ,MM OUTDIR --study UID --series UID "
                    "[--desc S] [--protocol S] [--modality MR] [--patient ID] "
                    "[--orient sag|cor|ax] [--limit N] [--mixed] [--no-ipp] [--fake-j2k]\n");
    return 1;
}

static int parse(int argc, char **argv, opts *o)
{
    *o = (opts){.desc = "T2 SPACE spine myelo", .protocol = "t2_space_spine",
                .modality = "MR", .patient = "CSFORTHANC", .orient = "sag"};
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--mixed") == 0) { o->mixed = 1; continue; }
        if (strcmp(a, "--no-ipp") == 0) { o->no_ipp = 1; continue; }
        if (strcmp(a, "--fake-j2k") == 0) { o->fake_j2k = 1; continue; }
        if (strncmp(a, "--", 2) == 0 && val == NULL)
            return -1;
        if (strcmp(a, "--study") == 0) o->study = val;
        else if (strcmp(a, "--series") == 0) o->series = val;
        else if (strcmp(a, "--desc") == 0) o->desc = val;
        else if (strcmp(a, "--protocol") == 0) o->protocol = val;
        else if (strcmp(a, "--modality") == 0) o->modality = val;
        else if (strcmp(a, "--patient") == 0) o->patient = val;
        else if (strcmp(a, "--orient") == 0 && strlen(val) < 4) memcpy(o->orient, val, strlen(val) + 1);
        else if (strcmp(a, "--limit") == 0) {
            char *end;
            o->limit = strtol(val, &end, 10);
            if (*end || o->limit < 1)
                return -1;
        } else if (strncmp(a, "--", 2) == 0) return -1;
        else { if (npos == 0) o->in = a; else if (npos == 1) o->out = a; else return -1; npos++; continue; }
        i++;
    }
    return o->in && o->out && o->study && o->series ? 0 : -1;
}

int main(int argc, char **argv)
{
    opts o;
    layout l;
    if (parse(argc, argv, &o) != 0 || get_layout(o.orient, &l) != 0)
        return usage();
    csf_volume *v = NULL;
    csf_error err = {0};
    if (strncmp(o.in, "synthetic:", 10) == 0) {
        if (synthetic(o.in + 10, &v) != 0) {
            fprintf(stderr, "csfleak-nii2dcm: bad '%s' (synthetic:NX,NY,NZ,MM)\n", o.in);
            return 1;
        }
    } else if (csf_io_read(o.in, NULL, &v, NULL, &err) != CSF_OK) {
        fprintf(stderr, "csfleak-nii2dcm: %s\n", err.msg);
        return 2;
    }
    double mx = 0, scale = 1;
    int integral = 1;
    for (size_t i = 0; i < csf_volume_nvox(v); i++) {
        mx = fmax(mx, fabs(v->data[i]));
        integral &= v->data[i] == roundf(v->data[i]);
    }
    if (!integral || mx > 32767) /* float data: stretch into int16 */
        scale = mx > 0 ? 4000.0 / mx : 1;
    size_t ns = v->dim[l.ax[2]];
    size_t n = o.limit > 0 && (size_t)o.limit < ns ? (size_t)o.limit : ns;
    int rc = 0;
    for (size_t s = 0; rc == 0 && s < n; s++)
        rc = write_slice(&o, v, &l, s, ns, scale);
    csf_volume_free(v);
    if (rc != 0) {
        fprintf(stderr, "csfleak-nii2dcm: cannot write into '%s'\n", o.out);
        return 2;
    }
    return 0;
}
