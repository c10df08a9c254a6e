#include "support/csf_test_dicom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dbuf {
    uint8_t *p;
    size_t len, cap;
} dbuf;

static void put(dbuf *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n)
            cap *= 2;
        b->p = realloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void put_u16(dbuf *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put(b, x, 2);
}

static void put_u32(dbuf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(b, x, 4);
}

/* One explicit-VR element; odd values are padded (UI with NUL, text with space). */
static void elem(dbuf *b, uint16_t g, uint16_t e, const char *vr, const void *val, size_t n)
{
    int longform = strcmp(vr, "OB") == 0 || strcmp(vr, "OW") == 0;
    size_t padded = n + (n & 1);
    put_u16(b, g);
    put_u16(b, e);
    put(b, vr, 2);
    if (longform) {
        put_u16(b, 0);
        put_u32(b, (uint32_t)padded);
    } else {
        put_u16(b, (uint16_t)padded);
    }
    put(b, val, n);
    if (n & 1) {
        uint8_t pad = strcmp(vr, "UI") == 0 || strcmp(vr, "OB") == 0 ? 0 : ' ';
        put(b, &pad, 1);
    }
}

static void str(dbuf *b, uint16_t g, uint16_t e, const char *vr, const char *s)
{
    elem(b, g, e, vr, s, strlen(s));
}

static void us(dbuf *b, uint16_t g, uint16_t e, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    elem(b, g, e, "US", x, 2);
}

static void meta(dbuf *b, const char *sop)
{
    dbuf m = {0};
    static const uint8_t ver[2] = {0, 1};
    elem(&m, 0x0002, 0x0001, "OB", ver, 2);
    str(&m, 0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.4");
    str(&m, 0x0002, 0x0003, "UI", sop);
    str(&m, 0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1");
    str(&m, 0x0002, 0x0012, "UI", "1.2.826.0.1.3680043.9.7777.1");
    uint8_t pre[128] = {0};
    put(b, pre, 128);
    put(b, "DICM", 4);
    uint8_t gl[4] = {(uint8_t)m.len, (uint8_t)(m.len >> 8), (uint8_t)(m.len >> 16), 0};
    elem(b, 0x0002, 0x0000, "UL", gl, 4);
    put(b, m.p, m.len);
    free(m.p);
}

static int write_slice(const char *dir, const csf_test_series *s, size_t k, int inst,
                       const char *acq_time)
{
    char sop[64], txt[256], path[600];
    snprintf(sop, sizeof sop, "1.2.826.0.1.3680043.9.7777.3.%zu", k + 1);
    dbuf b = {0};
    meta(&b, sop);
    str(&b, 0x0008, 0x0008, "CS", "ORIGINAL\\PRIMARY\\M\\ND");
    str(&b, 0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.4");
    str(&b, 0x0008, 0x0018, "UI", sop);
    str(&b, 0x0008, 0x0020, "DA", "20240101");
    if (acq_time != NULL) /* dcm2niix reports the time only with a date */
        str(&b, 0x0008, 0x0022, "DA", "20240101");
    str(&b, 0x0008, 0x0030, "TM", "120000");
    if (acq_time != NULL)
        str(&b, 0x0008, 0x0032, "TM", acq_time);
    str(&b, 0x0008, 0x0060, "CS", "MR");
    str(&b, 0x0008, 0x0070, "LO", "csfleak-test");
    str(&b, 0x0008, 0x103E, "LO", "T2 SAG TEST");
    str(&b, 0x0010, 0x0010, "PN", "Phantom^Test");
    str(&b, 0x0010, 0x0020, "LO", "CSFTEST01");
    double step = 0;
    for (int a = 0; a < 3; a++)
        step += s->slice_step[a] * s->slice_step[a];
    snprintf(txt, sizeof txt, "%.6f", step > 0 ? __builtin_sqrt(step) : 1.0);
    str(&b, 0x0018, 0x0050, "DS", txt);
    str(&b, 0x0018, 0x0088, "DS", txt);
    str(&b, 0x0020, 0x000D, "UI", "1.2.826.0.1.3680043.9.7777.1.1");
    str(&b, 0x0020, 0x000E, "UI", "1.2.826.0.1.3680043.9.7777.2.1");
    str(&b, 0x0020, 0x0011, "IS", "7");
    snprintf(txt, sizeof txt, "%d", inst);
    str(&b, 0x0020, 0x0013, "IS", txt);
    double ipp[3];
    for (int a = 0; a < 3; a++)
        ipp[a] = s->ipp0[a] + (double)k * s->slice_step[a];
    snprintf(txt, sizeof txt, "%.6f\\%.6f\\%.6f", ipp[0], ipp[1], ipp[2]);
    str(&b, 0x0020, 0x0032, "DS", txt);
    snprintf(txt, sizeof txt, "%.6f\\%.6f\\%.6f\\%.6f\\%.6f\\%.6f", s->row_dir[0], s->row_dir[1],
             s->row_dir[2], s->col_dir[0], s->col_dir[1], s->col_dir[2]);
    str(&b, 0x0020, 0x0037, "DS", txt);
    str(&b, 0x0020, 0x0052, "UI", "1.2.826.0.1.3680043.9.7777.4.1");
    us(&b, 0x0028, 0x0002, 1);
    str(&b, 0x0028, 0x0004, "CS", "MONOCHROME2");
    us(&b, 0x0028, 0x0010, (uint16_t)s->rows);
    us(&b, 0x0028, 0x0011, (uint16_t)s->cols);
    snprintf(txt, sizeof txt, "%.6f\\%.6f", s->row_spacing, s->col_spacing);
    str(&b, 0x0028, 0x0030, "DS", txt);
    us(&b, 0x0028, 0x0100, 16);
    us(&b, 0x0028, 0x0101, 16);
    us(&b, 0x0028, 0x0102, 15);
    us(&b, 0x0028, 0x0103, 1);
    size_t np = s->rows * s->cols;
    elem(&b, 0x7FE0, 0x0010, "OW", s->pixels + k * np, np * 2);
    snprintf(path, sizeof path, "%s/slice_%03zu.dcm", dir, k);
    FILE *f = fopen(path, "wb");
    int rc = f && fwrite(b.p, 1, b.len, f) == b.len ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(b.p);
    return rc;
}

int csf_test_write_dicom_series_at(const char *dir, const csf_test_series *s,
                                   const char *acq_time)
{
    for (size_t k = 0; k < s->slices; k++) {
        /* instance numbers run against the slice positions, as on many scanners */
        int inst = (int)(s->slices - k);
        if (write_slice(dir, s, k, inst, acq_time) != 0)
            return -1;
    }
    return 0;
}

int csf_test_write_dicom_series(const char *dir, const csf_test_series *s)
{
    return csf_test_write_dicom_series_at(dir, s, NULL);
}
