#include "support/csf_dcm_enc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csf_dcm_put(csf_dcm_buf *b, const void *data, size_t n)
{
    if (b->bad)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (p == NULL) {
            b->bad = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

void csf_dcm_u16(csf_dcm_buf *b, unsigned v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    csf_dcm_put(b, x, 2);
}

void csf_dcm_u32(csf_dcm_buf *b, size_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    csf_dcm_put(b, x, 4);
}

void csf_dcm_elem(csf_dcm_buf *b, unsigned g, unsigned e, const char *vr, const void *val, size_t n)
{
    int longform = strcmp(vr, "OB") == 0 || strcmp(vr, "OW") == 0;
    size_t padded = n + (n & 1);
    csf_dcm_u16(b, g);
    csf_dcm_u16(b, e);
    csf_dcm_put(b, vr, 2);
    if (longform) {
        csf_dcm_u16(b, 0);
        csf_dcm_u32(b, padded);
    } else {
        csf_dcm_u16(b, (unsigned)padded);
    }
    csf_dcm_put(b, val, n);
    if (n & 1) {
        uint8_t pad = strcmp(vr, "UI") == 0 || strcmp(vr, "OB") == 0 ? 0 : ' ';
        csf_dcm_put(b, &pad, 1);
    }
}

void csf_dcm_str(csf_dcm_buf *b, unsigned g, unsigned e, const char *vr, const char *s)
{
    csf_dcm_elem(b, g, e, vr, s, strlen(s));
}

void csf_dcm_us(csf_dcm_buf *b, unsigned g, unsigned e, unsigned v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    csf_dcm_elem(b, g, e, "US", x, 2);
}

void csf_dcm_meta(csf_dcm_buf *b, const char *sop, const char *ts)
{
    csf_dcm_buf m = {0};
    static const uint8_t ver[2] = {0, 1};
    csf_dcm_elem(&m, 0x0002, 0x0001, "OB", ver, 2);
    csf_dcm_str(&m, 0x0002, 0x0002, "UI", CSF_DCM_MR_STORAGE);
    csf_dcm_str(&m, 0x0002, 0x0003, "UI", sop);
    csf_dcm_str(&m, 0x0002, 0x0010, "UI", ts);
    csf_dcm_str(&m, 0x0002, 0x0012, "UI", "1.2.826.0.1.3680043.9.7777.1");
    static const uint8_t preamble[128];
    csf_dcm_put(b, preamble, sizeof preamble);
    csf_dcm_put(b, "DICM", 4);
    uint8_t gl[4] = {(uint8_t)m.len, (uint8_t)(m.len >> 8), (uint8_t)(m.len >> 16), 0};
    csf_dcm_elem(b, 0x0002, 0x0000, "UL", gl, 4);
    csf_dcm_put(b, m.p, m.len);
    b->bad |= m.bad;
    free(m.p);
}

int csf_dcm_save(csf_dcm_buf *b, const char *path)
{
    FILE *f = b->bad ? NULL : fopen(path, "wb");
    int rc = f && fwrite(b->p, 1, b->len, f) == b->len ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(b->p);
    *b = (csf_dcm_buf){0};
    return rc;
}
