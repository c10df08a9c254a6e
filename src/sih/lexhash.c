/* The miner object: the lexicon in an open-addressing hash table, plus a
 * symmetric-delete table (every fuzzy target with one character removed) so
 * that edit-distance-1 look-ups cost a few hash probes instead of a scan. */
#include <stdlib.h>
#include <string.h>

#include "mine_internal.h"

static uint64_t hash_str(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static size_t pow2_at_least(size_t n)
{
    size_t p = 64;
    while (p < n)
        p <<= 1;
    return p;
}

static int32_t exact_index(const csf_sih_miner *m, const char *w, size_t len)
{
    size_t mask = m->nslot - 1;
    for (size_t h = hash_str(w, len) & mask;; h = (h + 1) & mask) {
        int32_t e = m->slot[h];
        if (e < 0)
            return -1;
        const char *k = m->lex[e].word;
        if (strlen(k) == len && memcmp(k, w, len) == 0)
            return e;
    }
}

const lex_entry *csf_sih_lex_find(const csf_sih_miner *m, const char *w, size_t len)
{
    int32_t e = exact_index(m, w, len);
    return e < 0 ? NULL : &m->lex[e];
}

/* -1 when absent, -2 when several targets share the key, else the entry. */
static int32_t del_lookup(const csf_sih_miner *m, const char *w, size_t len)
{
    size_t mask = m->ndel - 1;
    for (size_t h = hash_str(w, len) & mask;; h = (h + 1) & mask) {
        if (m->del_val[h] == -1)
            return -1;
        if (strlen(m->del_key[h]) == len && memcmp(m->del_key[h], w, len) == 0)
            return m->del_val[h];
    }
}

static void del_insert(csf_sih_miner *m, const char *w, size_t len, int32_t e)
{
    size_t mask = m->ndel - 1;
    for (size_t h = hash_str(w, len) & mask;; h = (h + 1) & mask) {
        if (m->del_val[h] == -1) {
            memcpy(m->del_key[h], w, len);
            m->del_key[h][len] = '\0';
            m->del_val[h] = e;
            return;
        }
        if (strlen(m->del_key[h]) == len && memcmp(m->del_key[h], w, len) == 0) {
            if (m->del_val[h] != e)
                m->del_val[h] = -2;
            return;
        }
    }
}

/* The entry a fuzzy hit stands for: the canonical row if the target is a variant. */
static const lex_entry *fuzzy_hit(const csf_sih_miner *m, int32_t e)
{
    return e >= 0 ? &m->lex[e] : NULL;
}

const lex_entry *csf_sih_lex_fuzzy(const csf_sih_miner *m, const char *w, size_t len)
{
    if (len < 7 || len > 30)
        return NULL;
    int32_t e = del_lookup(m, w, len); /* w lacks one letter of a target */
    if (e >= 0 || e == -2)
        return fuzzy_hit(m, e);
    char buf[32];
    int32_t hit = -1; /* by index: every candidate must name the same entry */
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && w[i] == w[i - 1])
            continue; /* same deletion as before */
        memcpy(buf, w, i);
        memcpy(buf + i, w + i + 1, len - i - 1);
        int32_t x = exact_index(m, buf, len - 1); /* w has one extra letter */
        if (x < 0 || !m->lex[x].fuzzy)
            x = del_lookup(m, buf, len - 1); /* one letter substituted or swapped */
        if (x == -2)
            return NULL;
        if (x >= 0) {
            if (hit >= 0 && hit != x)
                return NULL;
            hit = x;
        }
    }
    return hit >= 0 ? &m->lex[hit] : NULL;
}

static csf_status build_del(csf_sih_miner *m, csf_error *err)
{
    size_t need = 0;
    for (size_t i = 0; i < m->nlex; i++)
        if (m->lex[i].fuzzy)
            need += strlen(m->lex[i].word);
    m->ndel = pow2_at_least(need * 2 + 1);
    m->del_key = calloc(m->ndel, sizeof *m->del_key);
    m->del_val = malloc(m->ndel * sizeof *m->del_val);
    if (!m->del_key || !m->del_val)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory building the report lexicon");
    for (size_t i = 0; i < m->ndel; i++)
        m->del_val[i] = -1;
    char buf[32];
    for (size_t e = 0; e < m->nlex; e++) {
        const char *w = m->lex[e].word;
        size_t len = strlen(w);
        if (!m->lex[e].fuzzy || len >= sizeof buf)
            continue;
        for (size_t i = 0; i < len; i++) {
            memcpy(buf, w, i);
            memcpy(buf + i, w + i + 1, len - i - 1);
            del_insert(m, buf, len - 1, (int32_t)e);
        }
    }
    return CSF_OK;
}

csf_status csf_sih_miner_new(csf_sih_miner **out, csf_error *err)
{
    csf_sih_miner *m = calloc(1, sizeof *m);
    if (!m)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory building the report lexicon");
    m->lex = csf_sih_lex_table(&m->nlex);
    m->trig = csf_sih_trig_table(&m->ntrig);
    m->nslot = pow2_at_least(m->nlex * 2 + 1);
    m->slot = malloc(m->nslot * sizeof *m->slot);
    if (!m->slot) {
        csf_sih_miner_free(m);
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory building the report lexicon");
    }
    for (size_t i = 0; i < m->nslot; i++)
        m->slot[i] = -1;
    size_t mask = m->nslot - 1;
    for (size_t e = 0; e < m->nlex; e++) {
        const char *w = m->lex[e].word;
        if (exact_index(m, w, strlen(w)) >= 0)
            continue; /* first row wins */
        size_t h = hash_str(w, strlen(w)) & mask;
        while (m->slot[h] >= 0)
            h = (h + 1) & mask;
        m->slot[h] = (int32_t)e;
    }
    if (build_del(m, err) != CSF_OK) {
        csf_sih_miner_free(m);
        return CSF_ERR_NOMEM;
    }
    *out = m;
    return CSF_OK;
}

void csf_sih_miner_free(csf_sih_miner *m)
{
    if (!m)
        return;
    free(m->slot);
    free(m->del_key);
    free(m->del_val);
    free(m);
}
