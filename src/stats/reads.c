/* The reader-study table: READS.csv (case, reader, value[, region][, group]) into
 * a reader x unit grade matrix, and the truth per unit from TRUTH.csv or from a
 * reference reader. Every input problem names the file and the line. */
#include "csfleak/stats.h"
#include "stats/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Column indices of a READS.csv or TRUTH.csv. */
typedef struct reads_cols {
    long c_case, c_reader, c_value, c_region;
} reads_cols;

/* Grade or call from a value field: 0..max_int, or yes/positive = 1, no/negative = 0.
 * Returns -1 when the text is none of these. */
int csf_reads_parse_value(const char *s, int max_int)
{
    if (strcasecmp(s, "yes") == 0 || strcasecmp(s, "positive") == 0)
        return 1;
    if (strcasecmp(s, "no") == 0 || strcasecmp(s, "negative") == 0)
        return 0;
    if (*s < '0' || *s > '9')
        return -1;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < 0 || v > max_int)
        return -1;
    return (int)v;
}

csf_status csf_reads_need_column(const csf_csv *csv, const char *name, long *col, csf_error *err)
{
    *col = csf_csv_column(csv, name);
    if (*col < 0)
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s' line %zu: missing column '%s'",
                             csf_csv_name(csv), csf_csv_header_line(csv), name);
    return CSF_OK;
}

/* An identifier field (case, reader, region): non-empty, no control characters
 * (they would be ambiguous in keys and terminal output). */
csf_status csf_reads_check_id(const csf_csv *csv, size_t row, long col, const char *what,
                           csf_error *err)
{
    const char *s = csf_csv_field(csv, row, (size_t)col);
    if (*s == '\0')
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s' line %zu: empty %s", csf_csv_name(csv),
                             csf_csv_line(csv, row), what);
    for (; *s; s++)
        if ((unsigned char)*s < 0x20)
            return csf_error_set(err, CSF_ERR_FORMAT, "'%s' line %zu: control character in %s",
                                 csf_csv_name(csv), csf_csv_line(csv, row), what);
    return CSF_OK;
}

/* "a\x1fb\x1fc": control characters are refused in ids, so keys cannot collide. */
char *csf_reads_join_key(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = c ? strlen(c) : 0;
    char *k = malloc(la + lb + lc + 3);
    if (k == NULL)
        return NULL;
    memcpy(k, a, la);
    k[la] = '\x1f';
    memcpy(k + la + 1, b, lb);
    k[la + 1 + lb] = '\x1f';
    memcpy(k + la + 2 + lb, c ? c : "", lc);
    k[la + lb + lc + 2] = '\0';
    return k;
}

/* Looks key up in m; when absent appends it as index *n (and grows arr by one copy of
 * `name`). Returns the index in *idx. */
static csf_status intern(csf_strmap *m, const char *key, char ***arr, size_t *n,
                         const char *name, size_t *idx, csf_error *err)
{
    int found;
    csf_strmap_get(m, key, &found, idx);
    if (found)
        return CSF_OK;
    char **na = realloc(*arr, (*n + 1) * sizeof *na);
    if (na == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    *arr = na;
    if ((na[*n] = name ? strdup(name) : NULL) == NULL && name != NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    *idx = (*n)++;
    return csf_strmap_put(m, key, *idx, err);
}

static csf_status reads_columns(const csf_csv *csv, unsigned flags, reads_cols *c,
                                csf_error *err)
{
    csf_status st = csf_reads_need_column(csv, "case", &c->c_case, err);
    if (st == CSF_OK)
        st = csf_reads_need_column(csv, "reader", &c->c_reader, err);
    if (st == CSF_OK)
        st = csf_reads_need_column(csv, "value", &c->c_value, err);
    c->c_region = csf_csv_column(csv, "region");
    if (st == CSF_OK && (flags & CSF_READS_BY_REGION) && c->c_region < 0)
        st = csf_error_set(err, CSF_ERR_FORMAT, "'%s': no 'region' column, needed by region",
                           csf_csv_name(csv));
    return st;
}

/* Validates one row and returns its grade. */
static csf_status reads_row(const csf_csv *csv, size_t row, const reads_cols *c, int *grade,
                            csf_error *err)
{
    csf_status st = csf_reads_check_id(csv, row, c->c_case, "case", err);
    if (st == CSF_OK)
        st = csf_reads_check_id(csv, row, c->c_reader, "reader", err);
    if (st == CSF_OK && c->c_region >= 0)
        st = csf_reads_check_id(csv, row, c->c_region, "region", err);
    if (st != CSF_OK)
        return st;
    const char *v = csf_csv_field(csv, row, (size_t)c->c_value);
    *grade = csf_reads_parse_value(v, CSF_READS_MAX_GRADE);
    if (*grade < 0)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "'%s' line %zu: unknown value '%s' (expected a grade 0..%d, "
                             "yes/no or positive/negative)",
                             csf_csv_name(csv), csf_csv_line(csv, row), v, CSF_READS_MAX_GRADE);
    return CSF_OK;
}

/* Registers the unit of `row` (new units get case and region copies). */
static csf_status reads_unit(csf_reads *r, csf_strmap *units, const char *cs, const char *rg,
                             size_t *idx, csf_error *err)
{
    /* Room for the region first, so unit_region always covers every unit. */
    char **nr = realloc(r->unit_region, (r->nunits + 1) * sizeof *nr);
    if (nr == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    r->unit_region = nr;
    nr[r->nunits] = NULL;
    char *key = csf_reads_join_key(cs, rg ? rg : "", NULL);
    if (key == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    size_t before = r->nunits;
    csf_status st = intern(units, key, &r->unit_case, &r->nunits, cs, idx, err);
    free(key);
    if (st != CSF_OK || r->nunits == before || rg == NULL)
        return st;
    if ((nr[before] = strdup(rg)) == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    return CSF_OK;
}

static csf_status reads_duplicate(const csf_csv *csv, size_t row, csf_strmap *seen,
                                  const char *cs, const char *rd, const char *rg, csf_error *err)
{
    char *key = csf_reads_join_key(cs, rd, rg);
    if (key == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    int found;
    size_t first;
    csf_strmap_get(seen, key, &found, &first);
    csf_status st = found ? csf_error_set(err, CSF_ERR_FORMAT,
                                          "'%s' line %zu: duplicate row for case '%s', reader "
                                          "'%s'%s%s%s (first on line %zu)",
                                          csf_csv_name(csv), csf_csv_line(csv, row), cs, rd,
                                          rg ? ", region '" : "", rg ? rg : "", rg ? "'" : "",
                                          csf_csv_line(csv, first))
                          : csf_strmap_put(seen, key, row, err);
    free(key);
    return st;
}

/* Pass over the rows: validate, register units/readers, remember each row's cell. */
static csf_status reads_scan(const csf_csv *csv, unsigned flags, const reads_cols *c,
                             csf_reads *r, size_t *row_unit, size_t *row_reader, int *row_grade,
                             csf_error *err)
{
    csf_strmap units = {0}, readers = {0}, seen = {0};
    csf_status st = CSF_OK;
    for (size_t i = 0; i < csf_csv_nrows(csv) && st == CSF_OK; i++) {
        st = reads_row(csv, i, c, &row_grade[i], err);
        if (st != CSF_OK)
            break;
        const char *cs = csf_csv_field(csv, i, (size_t)c->c_case);
        const char *rd = csf_csv_field(csv, i, (size_t)c->c_reader);
        const char *rg = c->c_region >= 0 ? csf_csv_field(csv, i, (size_t)c->c_region) : NULL;
        st = reads_duplicate(csv, i, &seen, cs, rd, rg, err);
        if (st == CSF_OK)
            st = reads_unit(r, &units, cs, (flags & CSF_READS_BY_REGION) ? rg : NULL,
                            &row_unit[i], err);
        if (st == CSF_OK)
            st = intern(&readers, rd, &r->readers, &r->nreaders, rd, &row_reader[i], err);
        if (st == CSF_OK && row_grade[i] > r->max_grade)
            r->max_grade = row_grade[i];
    }
    csf_strmap_release(&units);
    csf_strmap_release(&readers);
    csf_strmap_release(&seen);
    return st;
}

/* Which readers gave only words (calls); a reader mixing words and numbers is an
 * error, since a threshold cannot apply to half of their reads. */
static csf_status reads_calls(const csf_csv *csv, const reads_cols *c, csf_reads *r,
                              const size_t *row_reader, csf_error *err)
{
    size_t *first_word = calloc(2 * r->nreaders, sizeof *first_word);
    r->reader_calls = calloc(r->nreaders, sizeof *r->reader_calls);
    if (first_word == NULL || r->reader_calls == NULL) {
        free(first_word);
        return csf_error_set(err, CSF_ERR_NOMEM, "'%s': out of memory", csf_csv_name(csv));
    }
    size_t *first_num = first_word + r->nreaders; /* row + 1; 0 = none yet */
    csf_status st = CSF_OK;
    for (size_t i = 0; i < csf_csv_nrows(csv) && st == CSF_OK; i++) {
        const char *v = csf_csv_field(csv, i, (size_t)c->c_value);
        size_t rd = row_reader[i], *mine = (*v >= '0' && *v <= '9') ? first_num : first_word;
        size_t *other = mine == first_num ? first_word : first_num;
        if (mine[rd] == 0)
            mine[rd] = i + 1;
        if (other[rd] != 0)
            st = csf_error_set(err, CSF_ERR_FORMAT,
                               "'%s' line %zu: reader '%s' mixes yes/no words and numeric "
                               "grades (line %zu)",
                               csf_csv_name(csv), csf_csv_line(csv, i), r->readers[rd],
                               csf_csv_line(csv, other[rd] - 1));
    }
    for (size_t rd = 0; rd < r->nreaders; rd++)
        r->reader_calls[rd] = first_num[rd] == 0;
    free(first_word);
    return st;
}

csf_status csf_reads_from_csv(const csf_csv *csv, unsigned flags, csf_reads **out,
                              csf_error *err)
{
    reads_cols c;
    csf_status st = reads_columns(csv, flags, &c, err);
    if (st != CSF_OK)
        return st;
    size_t nrows = csf_csv_nrows(csv);
    if (nrows == 0)
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s': no reads after the header",
                             csf_csv_name(csv));
    csf_reads *r = calloc(1, sizeof *r);
    size_t *row_unit = calloc(nrows, sizeof *row_unit);
    size_t *row_reader = calloc(nrows, sizeof *row_reader);
    int *row_grade = calloc(nrows, sizeof *row_grade);
    if (r == NULL || row_unit == NULL || row_reader == NULL || row_grade == NULL ||
        (r->source = strdup(csf_csv_name(csv))) == NULL) {
        st = csf_error_set(err, CSF_ERR_NOMEM, "'%s': out of memory", csf_csv_name(csv));
        goto done;
    }
    r->has_region = c.c_region >= 0;
    r->flags = flags;
    st = reads_scan(csv, flags, &c, r, row_unit, row_reader, row_grade, err);
    if (st == CSF_OK && (r->nreaders == 0 || r->nunits == 0)) /* each of the rows names both */
        st = csf_error_set(err, CSF_ERR_INTERNAL, "'%s': %zu rows but no reader or case",
                           csf_csv_name(csv), nrows);
    if (st != CSF_OK)
        goto done;
    if ((st = reads_calls(csv, &c, r, row_reader, err)) != CSF_OK)
        goto done;
    r->grade = malloc(r->nreaders * r->nunits * sizeof *r->grade);
    if (r->grade == NULL) {
        st = csf_error_set(err, CSF_ERR_NOMEM, "'%s': out of memory", csf_csv_name(csv));
        goto done;
    }
    for (size_t i = 0; i < r->nreaders * r->nunits; i++)
        r->grade[i] = -1;
    for (size_t i = 0; i < nrows; i++) {
        int *g = &r->grade[row_reader[i] * r->nunits + row_unit[i]];
        if (row_grade[i] > *g) /* a case is as positive as its most positive region */
            *g = row_grade[i];
    }
done:
    free(row_unit);
    free(row_reader);
    free(row_grade);
    if (st != CSF_OK) {
        csf_reads_free(r);
        return st;
    }
    *out = r;
    return CSF_OK;
}

csf_status csf_reads_load(const char *path, unsigned flags, csf_reads **out, csf_error *err)
{
    csf_csv *csv = NULL;
    csf_status st = csf_csv_read(path, &csv, err);
    if (st == CSF_OK)
        st = csf_reads_from_csv(csv, flags, out, err);
    csf_csv_free(csv);
    return st;
}

void csf_reads_free(csf_reads *r)
{
    if (r == NULL)
        return;
    for (size_t u = 0; u < r->nunits; u++) {
        free(r->unit_case[u]);
        if (r->unit_region != NULL)
            free(r->unit_region[u]);
    }
    for (size_t i = 0; i < r->nreaders; i++)
        free(r->readers[i]);
    free(r->unit_case);
    free(r->unit_region);
    free(r->readers);
    free(r->grade);
    free(r->reader_calls);
    free(r->source);
    free(r);
}

int csf_reads_positive(const csf_reads *r, size_t reader, int g, int threshold)
{
    if (g < 0)
        return -1;
    return g >= (r->reader_calls[reader] ? 1 : threshold);
}

long csf_reads_reader(const csf_reads *r, const char *name)
{
    for (size_t i = 0; i < r->nreaders; i++)
        if (strcmp(r->readers[i], name) == 0)
            return (long)i;
    return -1;
}
