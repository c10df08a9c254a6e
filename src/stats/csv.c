/* Strict CSV reader (rules in include/csfleak/stats.h). Every problem is a
 * CSF_ERR_FORMAT message "'FILE' line N: problem"; nothing is guessed. */
#include "csfleak/stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CSV_MAX_BYTES ((size_t)1 << 28) /* 256 MiB: far beyond any reader study */

struct csf_csv {
    char *name;
    size_t ncols, nrows;   /* nrows excludes the header */
    char **cells;          /* (nrows + 1) * ncols, row 0 = header */
    size_t *lines;         /* start line of each row, header included */
    size_t cap_rows;
};

typedef struct csv_parser {
    const char *name, *s;
    size_t len, pos, line;
    char *buf;             /* current field text */
    size_t blen, bcap;
    char **fields;         /* current record */
    size_t nfields, fcap;
    int quoted_any;        /* the record has a quoted field (not a blank line) */
} csv_parser;

static csf_status put_char(csv_parser *p, char c, csf_error *err)
{
    if (p->blen + 1 >= p->bcap) {
        size_t cap = p->bcap ? 2 * p->bcap : 64;
        char *nb = realloc(p->buf, cap);
        if (nb == NULL)
            return csf_error_set(err, CSF_ERR_NOMEM, "'%s': out of memory", p->name);
        p->buf = nb;
        p->bcap = cap;
    }
    p->buf[p->blen++] = c;
    return CSF_OK;
}

static csf_status end_field(csv_parser *p, csf_error *err)
{
    if (p->nfields == p->fcap) {
        size_t cap = p->fcap ? 2 * p->fcap : 16;
        char **nf = realloc(p->fields, cap * sizeof *nf);
        if (nf == NULL)
            return csf_error_set(err, CSF_ERR_NOMEM, "'%s': out of memory", p->name);
        p->fields = nf;
        p->fcap = cap;
    }
    char *f = malloc(p->blen + 1);
    if (f == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "'%s': out of memory", p->name);
    if (p->blen > 0) /* buf is still NULL before the first character */
        memcpy(f, p->buf, p->blen);
    f[p->blen] = '\0';
    p->fields[p->nfields++] = f;
    p->blen = 0;
    return CSF_OK;
}

/* At a line end (LF or CRLF) or EOF? Returns bytes to consume (0 = not at one). */
static size_t eol_len(const csv_parser *p)
{
    if (p->pos < p->len && p->s[p->pos] == '\n')
        return 1;
    if (p->pos + 1 < p->len && p->s[p->pos] == '\r' && p->s[p->pos + 1] == '\n')
        return 2;
    return 0;
}

static csf_status quoted_field(csv_parser *p, csf_error *err)
{
    size_t open_line = p->line;
    p->pos++; /* opening quote */
    p->quoted_any = 1;
    for (;;) {
        if (p->pos >= p->len)
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "'%s' line %zu: quoted field never closed", p->name, open_line);
        char c = p->s[p->pos++];
        if (c == '"') {
            if (p->pos < p->len && p->s[p->pos] == '"') {
                p->pos++;
            } else {
                break;
            }
        } else if (c == '\n') {
            p->line++;
        }
        if (put_char(p, c, err) != CSF_OK)
            return err ? err->code : CSF_ERR_NOMEM;
    }
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
        p->pos++;
    if (p->pos < p->len && p->s[p->pos] != ',' && eol_len(p) == 0)
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s' line %zu: text after a closing quote",
                             p->name, p->line);
    return CSF_OK;
}

static csf_status plain_field(csv_parser *p, csf_error *err)
{
    while (p->pos < p->len && p->s[p->pos] != ',' && eol_len(p) == 0) {
        char c = p->s[p->pos];
        if (c == '"')
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "'%s' line %zu: quote inside an unquoted field", p->name, p->line);
        if (c == '\r')
            return csf_error_set(err, CSF_ERR_FORMAT, "'%s' line %zu: stray carriage return",
                                 p->name, p->line);
        if (put_char(p, c, err) != CSF_OK)
            return err ? err->code : CSF_ERR_NOMEM;
        p->pos++;
    }
    while (p->blen > 0 && (p->buf[p->blen - 1] == ' ' || p->buf[p->blen - 1] == '\t'))
        p->blen--;
    return CSF_OK;
}

/* One record into p->fields; *eof set when the input is exhausted before it. */
static csf_status next_record(csv_parser *p, int *eof, csf_error *err)
{
    p->nfields = 0;
    p->quoted_any = 0;
    *eof = p->pos >= p->len;
    if (*eof)
        return CSF_OK;
    for (;;) {
        while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
            p->pos++;
        csf_status st = p->pos < p->len && p->s[p->pos] == '"' ? quoted_field(p, err)
                                                                : plain_field(p, err);
        if (st == CSF_OK)
            st = end_field(p, err);
        if (st != CSF_OK)
            return st;
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        size_t e = eol_len(p);
        p->pos += e;
        if (e > 0)
            p->line++;
        return CSF_OK;
    }
}

static void free_fields(csv_parser *p)
{
    for (size_t i = 0; i < p->nfields; i++)
        free(p->fields[i]);
    p->nfields = 0;
}

static csf_status add_row(csf_csv *csv, csv_parser *p, size_t line, csf_error *err)
{
    if (csv->nrows + 1 == csv->cap_rows) {
        size_t cap = 2 * csv->cap_rows;
        char **nc = realloc(csv->cells, cap * csv->ncols * sizeof *nc);
        if (nc != NULL)
            csv->cells = nc;
        size_t *nl = nc ? realloc(csv->lines, cap * sizeof *nl) : NULL;
        if (nl == NULL)
            return csf_error_set(err, CSF_ERR_NOMEM, "'%s': out of memory", p->name);
        csv->lines = nl;
        csv->cap_rows = cap;
    }
    size_t r = csv->nrows + 1;
    memcpy(csv->cells + r * csv->ncols, p->fields, csv->ncols * sizeof *p->fields);
    csv->lines[r] = line;
    csv->nrows++;
    p->nfields = 0; /* ownership moved */
    return CSF_OK;
}

static csf_status check_header(const csf_csv *csv, csf_error *err)
{
    for (size_t j = 0; j < csv->ncols; j++) {
        if (csv->cells[j][0] == '\0')
            return csf_error_set(err, CSF_ERR_FORMAT, "'%s' line %zu: header column %zu is empty",
                                 csv->name, csv->lines[0], j + 1);
        for (size_t i = 0; i < j; i++)
            if (strcasecmp(csv->cells[i], csv->cells[j]) == 0)
                return csf_error_set(err, CSF_ERR_FORMAT,
                                     "'%s' line %zu: header column '%s' appears twice", csv->name,
                                     csv->lines[0], csv->cells[j]);
    }
    return CSF_OK;
}

static csf_status parse_records(csf_csv *csv, csv_parser *p, csf_error *err)
{
    for (;;) {
        size_t line = p->line;
        int eof;
        csf_status st = next_record(p, &eof, err);
        if (st != CSF_OK || eof)
            return st;
        if (p->nfields == 1 && !p->quoted_any && p->fields[0][0] == '\0') {
            free_fields(p); /* blank line */
            continue;
        }
        if (csv->cells == NULL) {
            csv->ncols = p->nfields;
            csv->cap_rows = 16;
            csv->cells = malloc(csv->cap_rows * csv->ncols * sizeof *csv->cells);
            csv->lines = malloc(csv->cap_rows * sizeof *csv->lines);
            if (csv->cells == NULL || csv->lines == NULL) {
                free(csv->cells);
                csv->cells = NULL; /* nothing owned yet: p still holds the fields */
                return csf_error_set(err, CSF_ERR_NOMEM, "'%s': out of memory", p->name);
            }
            memcpy(csv->cells, p->fields, csv->ncols * sizeof *p->fields);
            csv->lines[0] = line;
            p->nfields = 0;
            if ((st = check_header(csv, err)) != CSF_OK)
                return st;
            continue;
        }
        if (p->nfields != csv->ncols)
            return csf_error_set(err, CSF_ERR_FORMAT, "'%s' line %zu: %zu fields, the header has %zu",
                                 p->name, line, p->nfields, csv->ncols);
        if ((st = add_row(csv, p, line, err)) != CSF_OK)
            return st;
    }
}

csf_status csf_csv_parse(const char *name, const char *text, size_t len, csf_csv **out,
                         csf_error *err)
{
    if (memchr(text, '\0', len) != NULL)
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s': contains a NUL byte (not a text file)", name);
    csf_csv *csv = calloc(1, sizeof *csv);
    csv_parser p = {.name = name, .s = text, .len = len, .line = 1};
    if (csv == NULL || (csv->name = strdup(name)) == NULL) {
        free(csv);
        return csf_error_set(err, CSF_ERR_NOMEM, "'%s': out of memory", name);
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        p.pos = 3;
    csf_status st = parse_records(csv, &p, err);
    if (st == CSF_OK && csv->cells == NULL)
        st = csf_error_set(err, CSF_ERR_FORMAT, "'%s': empty file, a header line is required", name);
    free_fields(&p);
    free(p.fields);
    free(p.buf);
    if (st != CSF_OK) {
        csf_csv_free(csv);
        return st;
    }
    *out = csv;
    return CSF_OK;
}

csf_status csf_csv_read(const char *path, csf_csv **out, csf_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return csf_error_set(err, CSF_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    csf_status st = CSF_OK;
    for (;;) {
        if (len == cap) {
            cap = cap ? 2 * cap : 65536;
            char *nb = cap <= CSV_MAX_BYTES + 1 ? realloc(buf, cap) : NULL;
            if (nb == NULL) {
                st = csf_error_set(err, cap > CSV_MAX_BYTES ? CSF_ERR_FORMAT : CSF_ERR_NOMEM,
                                   "'%s': too large for a CSV table", path);
                break;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0) {
            if (ferror(fp))
                st = csf_error_set(err, CSF_ERR_IO, "cannot read '%s'", path);
            break;
        }
    }
    fclose(fp);
    if (st == CSF_OK)
        st = csf_csv_parse(path, buf ? buf : "", len, out, err);
    free(buf);
    return st;
}

size_t csf_csv_nrows(const csf_csv *csv) { return csv->nrows; }
size_t csf_csv_ncols(const csf_csv *csv) { return csv->ncols; }
const char *csf_csv_name(const csf_csv *csv) { return csv->name; }

long csf_csv_column(const csf_csv *csv, const char *name)
{
    for (size_t j = 0; j < csv->ncols; j++)
        if (strcasecmp(csv->cells[j], name) == 0)
            return (long)j;
    return -1;
}

const char *csf_csv_field(const csf_csv *csv, size_t row, size_t col)
{
    return csv->cells[(row + 1) * csv->ncols + col];
}

size_t csf_csv_header_line(const csf_csv *csv)
{
    return csv->lines[0];
}

size_t csf_csv_line(const csf_csv *csv, size_t row)
{
    return csv->lines[row + 1];
}

void csf_csv_free(csf_csv *csv)
{
    if (csv == NULL)
        return;
    if (csv->cells != NULL)
        for (size_t i = 0; i < (csv->nrows + 1) * csv->ncols; i++)
            free(csv->cells[i]);
    free(csv->cells);
    free(csv->lines);
    free(csv->name);
    free(csv);
}
