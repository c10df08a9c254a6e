/* String -> index map for src/stats (see strmap.h). */
#include "stats/internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return (size_t)h;
}

void csf_strmap_get(const csf_strmap *m, const char *key, int *found, size_t *val)
{
    *found = 0;
    if (m->cap == 0)
        return;
    for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == NULL)
            return;
        if (strcmp(m->keys[i], key) == 0) {
            *found = 1;
            *val = m->vals[i];
            return;
        }
    }
}

static void insert_slot(char **keys, size_t *vals, size_t cap, char *key, size_t val)
{
    size_t i = hash_str(key) & (cap - 1);
    while (keys[i] != NULL)
        i = (i + 1) & (cap - 1);
    keys[i] = key;
    vals[i] = val;
}

static csf_status grow(csf_strmap *m, csf_error *err)
{
    size_t cap = m->cap ? 2 * m->cap : 64;
    char **keys = calloc(cap, sizeof *keys);
    size_t *vals = calloc(cap, sizeof *vals);
    if (keys == NULL || vals == NULL || cap > ((size_t)-1) / 2 / sizeof *vals) {
        free(keys);
        free(vals);
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory for a lookup table");
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i] != NULL)
            insert_slot(keys, vals, cap, m->keys[i], m->vals[i]);
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return CSF_OK;
}

csf_status csf_strmap_put(csf_strmap *m, const char *key, size_t val, csf_error *err)
{
    if (2 * (m->n + 1) > m->cap && grow(m, err) != CSF_OK)
        return CSF_ERR_NOMEM;
    char *k = strdup(key);
    if (k == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory for a lookup table");
    insert_slot(m->keys, m->vals, m->cap, k, val);
    m->n++;
    return CSF_OK;
}

void csf_strmap_release(csf_strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}
