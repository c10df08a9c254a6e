#ifndef CSFLEAK_STATS_INTERNAL_H
#define CSFLEAK_STATS_INTERNAL_H
/* Private to src/stats. A string -> index hash map (open addressing, FNV-1a)
 * for the reader-study tables. Keys are copied. */
#include <stddef.h>
#include "csfleak/error.h"

typedef struct csf_strmap {
    char **keys;
    size_t *vals;
    size_t cap, n;
} csf_strmap;

/* *found = 1 and *val = stored value when present; 0 otherwise. */
void csf_strmap_get(const csf_strmap *m, const char *key, int *found, size_t *val);
/* Inserts key -> val (key must be absent). CSF_ERR_NOMEM on failure. */
csf_status csf_strmap_put(csf_strmap *m, const char *key, size_t val, csf_error *err);
void csf_strmap_release(csf_strmap *m);

/* Shared by the READS/TRUTH readers (src/stats/reads.c). */
struct csf_csv;
/* Grade or call: 0..max_int, yes/positive = 1, no/negative = 0; -1 otherwise. */
int csf_reads_parse_value(const char *s, int max_int);
/* Column index of a required column; CSF_ERR_FORMAT naming file and header line. */
csf_status csf_reads_need_column(const struct csf_csv *csv, const char *name, long *col,
                                 csf_error *err);
/* Non-empty id without control characters, else CSF_ERR_FORMAT naming the line. */
csf_status csf_reads_check_id(const struct csf_csv *csv, size_t row, long col, const char *what,
                              csf_error *err);
/* "a\x1fb\x1fc" (c may be NULL); malloc'd, NULL when out of memory. */
char *csf_reads_join_key(const char *a, const char *b, const char *c);
#endif
