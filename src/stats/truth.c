/* The truth per reader-study unit: from TRUTH.csv (case, truth[, region]) or from
 * a reference reader's calls. */
#include "csfleak/stats.h"
#include "stats/internal.h"

#include <stdlib.h>
#include <string.h>

static csf_status unit_map(const csf_reads *r, csf_strmap *m, csf_error *err)
{
    for (size_t u = 0; u < r->nunits; u++) {
        char *key = csf_reads_join_key(r->unit_case[u], r->unit_region[u] ? r->unit_region[u] : "",
                                       NULL);
        csf_status st = key ? csf_strmap_put(m, key, u, err)
                            : csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
        free(key);
        if (st != CSF_OK)
            return st;
    }
    return CSF_OK;
}

/* Applies one TRUTH.csv row to t[]. */
static csf_status truth_row(const csf_csv *csv, size_t i, long cc, long ct, long cr,
                            const csf_reads *r, csf_strmap *units, csf_strmap *seen, int *t,
                            csf_error *err)
{
    csf_status st = csf_reads_check_id(csv, i, cc, "case", err);
    if (st == CSF_OK && cr >= 0)
        st = csf_reads_check_id(csv, i, cr, "region", err);
    if (st != CSF_OK)
        return st;
    const char *cs = csf_csv_field(csv, i, (size_t)cc);
    const char *rg = cr >= 0 ? csf_csv_field(csv, i, (size_t)cr) : "";
    const char *tv = csf_csv_field(csv, i, (size_t)ct);
    int v = csf_reads_parse_value(tv, 1);
    if (v < 0)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "'%s' line %zu: unknown truth '%s' (expected 0/1, yes/no or "
                             "positive/negative)",
                             csf_csv_name(csv), csf_csv_line(csv, i), tv);
    char *key = csf_reads_join_key(cs, rg, NULL);
    if (key == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    int found;
    size_t first, u;
    csf_strmap_get(seen, key, &found, &first);
    st = found ? csf_error_set(err, CSF_ERR_FORMAT,
                               "'%s' line %zu: duplicate truth for case '%s'%s%s%s (first on line %zu)",
                               csf_csv_name(csv), csf_csv_line(csv, i), cs, cr >= 0 ? ", region '" : "",
                               rg, cr >= 0 ? "'" : "", csf_csv_line(csv, first))
               : csf_strmap_put(seen, key, i, err);
    free(key);
    if (st != CSF_OK)
        return st;
    /* Case-level units: a case is positive when any of its rows is. */
    key = csf_reads_join_key(cs, (r->flags & CSF_READS_BY_REGION) ? rg : "", NULL);
    if (key == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    csf_strmap_get(units, key, &found, &u);
    free(key);
    if (found && v > t[u])
        t[u] = v;
    return CSF_OK;
}

static csf_status truth_from_csv(const csf_reads *r, const csf_csv *csv, int *t, csf_error *err)
{
    long cc, ct, cr = csf_csv_column(csv, "region");
    csf_status st = csf_reads_need_column(csv, "case", &cc, err);
    if (st == CSF_OK)
        st = csf_reads_need_column(csv, "truth", &ct, err);
    if (st == CSF_OK && (r->flags & CSF_READS_BY_REGION) && cr < 0)
        st = csf_error_set(err, CSF_ERR_FORMAT, "'%s' line %zu: missing column 'region' (needed by region)",
                           csf_csv_name(csv), csf_csv_header_line(csv));
    if (st != CSF_OK)
        return st;
    csf_strmap units = {0}, seen = {0};
    st = unit_map(r, &units, err);
    for (size_t i = 0; i < csf_csv_nrows(csv) && st == CSF_OK; i++)
        st = truth_row(csv, i, cc, ct, cr, r, &units, &seen, t, err);
    csf_strmap_release(&units);
    csf_strmap_release(&seen);
    return st;
}

csf_status csf_reads_truth_file(const csf_reads *reads, const char *path, int **truth,
                                csf_error *err)
{
    int *t = malloc((reads->nunits ? reads->nunits : 1) * sizeof *t);
    if (t == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    for (size_t u = 0; u < reads->nunits; u++)
        t[u] = -1;
    csf_csv *csv = NULL;
    csf_status st = csf_csv_read(path, &csv, err);
    if (st == CSF_OK)
        st = truth_from_csv(reads, csv, t, err);
    csf_csv_free(csv);
    if (st != CSF_OK) {
        free(t);
        return st;
    }
    *truth = t;
    return CSF_OK;
}

csf_status csf_reads_truth_reader(const csf_reads *reads, size_t reader, int threshold,
                                  int **truth, csf_error *err)
{
    if (reader >= reads->nreaders)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "no reader %zu", reader);
    int *t = malloc((reads->nunits ? reads->nunits : 1) * sizeof *t);
    if (t == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    for (size_t u = 0; u < reads->nunits; u++) {
        t[u] = csf_reads_positive(reads, reader, reads->grade[reader * reads->nunits + u],
                                  threshold);
    }
    *truth = t;
    return CSF_OK;
}
