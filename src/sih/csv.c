/* RFC 4180 CSV reader for batch report mining: quoted fields may contain
 * commas, doubled quotes and line breaks; CRLF or LF line ends. Reads the
 * file in blocks, so memory is bounded by the longest record. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/sih.h"

struct csf_csv {
    FILE *fp;
    char path[512];
    size_t line;        /* current physical line (1-based) */
    size_t rec_line;    /* line where the last record started */
    char *buf;          /* field bytes of the current record, NUL-separated */
    size_t blen, bcap;
    size_t *off, *len;  /* per field */
    char **fields;
    size_t nf, fcap;
    int eof;
};

csf_status csf_csv_open(const char *path, csf_csv **out, csf_error *err)
{
    csf_csv *c = calloc(1, sizeof *c);
    if (!c)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory opening '%s'", path);
    c->fp = fopen(path, "rb");
    if (!c->fp) {
        int e = errno;
        free(c);
        return csf_error_set(err, CSF_ERR_IO, "cannot read '%s': %s", path, strerror(e));
    }
    snprintf(c->path, sizeof c->path, "%s", path);
    c->line = 1;
    /* spreadsheet exports often start with a UTF-8 byte-order mark */
    unsigned char bom[3];
    if (fread(bom, 1, 3, c->fp) != 3 || bom[0] != 0xEF || bom[1] != 0xBB || bom[2] != 0xBF)
        rewind(c->fp);
    *out = c;
    return CSF_OK;
}

void csf_csv_close(csf_csv *c)
{
    if (!c)
        return;
    if (c->fp)
        fclose(c->fp);
    free(c->buf);
    free(c->off);
    free(c->len);
    free(c->fields);
    free(c);
}

size_t csf_csv_record_line(const csf_csv *c) { return c->rec_line; }

static int put(csf_csv *c, char ch)
{
    if (c->blen == c->bcap) {
        size_t cap = c->bcap ? c->bcap * 2 : 4096;
        char *b = realloc(c->buf, cap);
        if (!b)
            return -1;
        c->buf = b;
        c->bcap = cap;
    }
    c->buf[c->blen++] = ch;
    return 0;
}

static int end_field(csf_csv *c, size_t start)
{
    if (c->nf == c->fcap) {
        size_t cap = c->fcap ? c->fcap * 2 : 16;
        size_t *o = realloc(c->off, cap * sizeof *o);
        if (!o)
            return -1;
        c->off = o;
        size_t *l = realloc(c->len, cap * sizeof *l);
        if (!l)
            return -1;
        c->len = l;
        char **f = realloc(c->fields, cap * sizeof *f);
        if (!f)
            return -1;
        c->fields = f;
        c->fcap = cap;
    }
    c->off[c->nf] = start;
    c->len[c->nf] = c->blen - start;
    c->nf++;
    return put(c, '\0');
}

static csf_status fail(csf_csv *c, csf_error *err, const char *what)
{
    return csf_error_set(err, CSF_ERR_FORMAT, "%s:%zu: %s", c->path, c->rec_line, what);
}

/* After an opening quote: copies the field up to its closing quote and
 * returns the character after it (EOF allowed); -2 when the file ends inside
 * the quotes, -3 when out of memory. */
static int read_quoted(csf_csv *c)
{
    for (;;) {
        int ch = getc_unlocked(c->fp);
        if (ch == EOF)
            return -2;
        if (ch == '"') {
            int nx = getc_unlocked(c->fp);
            if (nx != '"')
                return nx;
        } else if (ch == '\n') {
            c->line++;
        }
        if (put(c, (char)ch))
            return -3;
    }
}

csf_status csf_csv_next(csf_csv *c, char ***fields, size_t **lens, size_t *nfields, csf_error *err)
{
    c->blen = 0;
    c->nf = 0;
    *nfields = 0;
    if (c->eof)
        return CSF_OK;
    c->rec_line = c->line;
    int ch = getc_unlocked(c->fp);
    if (ch == EOF) {
        c->eof = 1;
        return CSF_OK;
    }
    size_t start = 0;
    int field_start = 1;
    for (;;) {
        if (ch == '"' && field_start) {
            ch = read_quoted(c);
            if (ch == -2)
                return fail(c, err, "unterminated quoted field");
            if (ch == -3)
                goto nomem;
            if (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF)
                return fail(c, err, "text after a closing quote (a quote inside a field must be doubled)");
            field_start = 0;
            continue;
        }
        if (ch == EOF) {
            c->eof = 1;
            break;
        }
        if (ch == ',') {
            if (end_field(c, start))
                goto nomem;
            start = c->blen;
            field_start = 1;
            ch = getc_unlocked(c->fp);
            continue;
        }
        if (ch == '\r') {
            int nx = getc_unlocked(c->fp);
            if (nx != '\n' && nx != EOF)
                ungetc(nx, c->fp);
            ch = '\n';
        }
        if (ch == '\n') {
            c->line++;
            break;
        }
        if (put(c, (char)ch))
            goto nomem;
        field_start = 0;
        ch = getc_unlocked(c->fp);
    }
    if (end_field(c, start))
        goto nomem;
    for (size_t i = 0; i < c->nf; i++)
        c->fields[i] = c->buf + c->off[i];
    *fields = c->fields;
    *lens = c->len;
    *nfields = c->nf;
    return CSF_OK;
nomem:
    return csf_error_set(err, CSF_ERR_NOMEM, "%s:%zu: out of memory", c->path, c->rec_line);
}
