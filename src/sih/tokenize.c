/* Tokeniser for report mining: words, numbers and punctuation with byte
 * spans; split medical words rejoined ("pachy meningeal", "sub-dural");
 * lexicon classes with a fuzzy fallback; trigger phrases; sentences and
 * clauses. One pass over the bytes, no allocation per token. */
#include <stdlib.h>
#include <string.h>

#include "mine_internal.h"

static int is_alpha(unsigned char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
/* Latin-1 supplement / Latin Extended-A letters in UTF-8 (accents). */
static int is_utf8_letter_lead(unsigned char c) { return c >= 0xC3 && c <= 0xC5; }

static csf_tok *push(csf_toks *tk)
{
    if (tk->n == tk->cap) {
        size_t cap = tk->cap ? tk->cap * 2 : 256;
        csf_tok *t = realloc(tk->t, cap * sizeof *t);
        if (!t)
            return NULL;
        tk->t = t;
        tk->cap = cap;
    }
    csf_tok *t = &tk->t[tk->n++];
    memset(t, 0, offsetof(csf_tok, norm) + 1);
    t->num = 0;
    return t;
}

static size_t scan_word(const char *s, size_t len, size_t i, csf_tok *t)
{
    size_t k = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (is_alpha(c) || is_digit(c)) {
            if (k < sizeof t->norm - 1)
                t->norm[k++] = (char)(c | (is_alpha(c) ? 32 : 0));
            i++;
        } else if (c == '\'' && i + 1 < len && is_alpha((unsigned char)s[i + 1]) && k > 0) {
            if (k < sizeof t->norm - 1)
                t->norm[k++] = '\'';
            i++;
        } else if (is_utf8_letter_lead(c)) {
            if (i + 1 < len && k + 2 < sizeof t->norm - 1) {
                t->norm[k++] = (char)c;
                t->norm[k++] = s[i + 1];
            }
            i += i + 1 < len ? 2 : 1; /* a truncated sequence at the end still advances */
        } else {
            break;
        }
    }
    t->norm[k] = '\0';
    return i;
}

static size_t scan_number(const char *s, size_t len, size_t i, csf_tok *t)
{
    double v = 0, scale = 0.1;
    while (i < len && is_digit((unsigned char)s[i]))
        v = v * 10 + (s[i++] - '0');
    if (i + 1 < len && s[i] == '.' && is_digit((unsigned char)s[i + 1])) {
        i++;
        while (i < len && is_digit((unsigned char)s[i])) {
            v += (s[i++] - '0') * scale;
            scale *= 0.1;
        }
    }
    t->num = v;
    t->kind = TOK_NUM;
    return i;
}

/* Words whose trailing period is not a sentence end. */
static int is_abbrev(const csf_tok *t)
{
    static const char *const ab[] = {"vs", "dr", "approx", "cf", "fig", "mr", "st", "eg", "ie", "ca"};
    if (t->kind != TOK_WORD)
        return 0;
    if (t->norm[0] && !t->norm[1])
        return 1; /* initials, "e.g.", "i.e." */
    for (size_t i = 0; i < sizeof ab / sizeof ab[0]; i++)
        if (strcmp(t->norm, ab[i]) == 0)
            return 1;
    return 0;
}

/* A single newline ends a sentence when the next line opens a list item or a
 * "Heading:", or the line before is a heading (no lower-case letters, or
 * ends with ':'). Otherwise it is a soft wrap inside dictated prose. */
static int newline_breaks(const char *s, size_t len, size_t i)
{
    size_t j = i + 1;
    while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
        j++;
    if (j >= len || s[j] == '\n')
        return 1;
    unsigned char c = (unsigned char)s[j];
    if (c == '-' || c == '*' || c == '#')
        return 1;
    if (is_digit(c)) {
        while (j < len && is_digit((unsigned char)s[j]))
            j++;
        return j < len && (s[j] == '.' || s[j] == ')') && j + 1 < len && s[j + 1] == ' ';
    }
    size_t w = j;
    while (w < len && (is_alpha((unsigned char)s[w]) || s[w] == ' ') && w - j < 40)
        w++;
    if (w < len && s[w] == ':')
        return 1;
    size_t b = i, lower = 0;
    while (b > 0 && s[b - 1] != '\n') {
        b--;
        lower += s[b] >= 'a' && s[b] <= 'z';
    }
    size_t e = i;
    while (e > b && is_space((unsigned char)s[e - 1]))
        e--;
    return lower == 0 || (e > b && s[e - 1] == ':');
}

static void mark_break(csf_toks *tk, unsigned char *brk)
{
    if (tk->n > 0)
        brk[tk->n - 1] = 1;
}

/* A non-letter UTF-8 sequence at *i: the degree sign becomes a unit token,
 * anything else (dashes, quotes, symbols) only separates words. */
static int symbol(const char *s, size_t len, size_t *i, csf_toks *tk)
{
    if ((unsigned char)s[*i] == 0xC2 && *i + 1 < len && (unsigned char)s[*i + 1] == 0xB0) {
        csf_tok *t = push(tk);
        if (!t)
            return -1;
        t->bs = (uint32_t)*i;
        t->be = (uint32_t)(*i + 2);
        t->kind = TOK_WORD;
        memcpy(t->norm, "deg", 4);
        *i += 2;
        return 0;
    }
    (*i)++;
    while (*i < len && ((unsigned char)s[*i] & 0xC0) == 0x80)
        (*i)++;
    return 0;
}

/* Raw tokens; brk[i] = 1 when a sentence ends after token i. */
static int raw_tokens(const char *s, size_t len, csf_toks *tk, unsigned char **brkp, size_t *brkcap)
{
    size_t i = 0;
    tk->n = 0;
    while (i < len) {
        if (tk->n + 1 >= *brkcap) {
            size_t cap = *brkcap ? *brkcap * 2 : 256;
            unsigned char *b = realloc(*brkp, cap);
            if (!b)
                return -1;
            memset(b + *brkcap, 0, cap - *brkcap);
            *brkp = b;
            *brkcap = cap;
        }
        (*brkp)[tk->n] = 0; /* the buffer is reused: clear the next token's flag */
        unsigned char c = (unsigned char)s[i];
        if (is_space(c)) {
            if (c == '\n' && newline_breaks(s, len, i))
                mark_break(tk, *brkp);
            i++;
            continue;
        }
        if (c >= 0x80 && !is_utf8_letter_lead(c)) {
            if (symbol(s, len, &i, tk) != 0)
                return -1;
            continue;
        }
        csf_tok *t = push(tk);
        if (!t)
            return -1;
        t->bs = (uint32_t)i;
        if (is_alpha(c) || is_utf8_letter_lead(c)) {
            t->kind = TOK_WORD;
            size_t j = scan_word(s, len, i, t);
            i = j > i ? j : i + 1; /* always make progress */
        } else if (is_digit(c)) {
            i = scan_number(s, len, i, t);
        } else {
            t->kind = TOK_PUNCT;
            t->punct = (char)c;
            t->norm[0] = (char)c;
            t->norm[1] = '\0';
            i++;
            int end = i >= len || is_space((unsigned char)s[i]);
            if ((c == '.' || c == '!' || c == '?') && end &&
                !(c == '.' && tk->n >= 2 && is_abbrev(&tk->t[tk->n - 2])))
                (*brkp)[tk->n - 1] = 1;
        }
        t->be = (uint32_t)i;
    }
    return 0;
}

static void assign_class(const csf_sih_miner *m, csf_tok *t)
{
    size_t len = strlen(t->norm);
    const lex_entry *e = csf_sih_lex_find(m, t->norm, len);
    if (!e && t->kind == TOK_WORD)
        e = csf_sih_lex_fuzzy(m, t->norm, len);
    if (e) {
        t->cls |= e->cls;
        t->canon = e->canon ? e->canon : e->word;
    }
    /* vertebral levels ("T7", "L5") put a sentence in the spine */
    if (t->kind == TOK_WORD && len >= 2 && len <= 3 && strchr("ctls", t->norm[0]) &&
        t->norm[1] >= '0' && t->norm[1] <= '9' && (len == 2 || (t->norm[2] >= '0' && t->norm[2] <= '9')))
        t->cls |= CB(C_SPINE);
    if (t->cls & CB(C_NUMWORD)) {
        static const char *const w[] = {"one", "two", "three", "four", "five", "six", "seven", "eight",
                                        "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen"};
        t->num = 20;
        for (size_t k = 0; k < sizeof w / sizeof w[0]; k++)
            if (strcmp(t->canon, w[k]) == 0)
                t->num = (double)(k + 1);
    }
}

/* "pachy meningeal", "sub-dural": rejoin when the joined word is known and
 * at least one half is not a word of its own. */
static void join_split_words(const csf_sih_miner *m, const char *s, csf_toks *tk, unsigned char *brk)
{
    size_t w = 0;
    for (size_t r = 0; r < tk->n; r++) {
        csf_tok *a = &tk->t[r];
        size_t nx = r + 1;
        if (nx < tk->n && tk->t[nx].kind == TOK_PUNCT && tk->t[nx].punct == '-' && tk->t[nx].bs == a->be)
            nx++;
        if (a->kind == TOK_WORD && nx < tk->n && tk->t[nx].kind == TOK_WORD && !brk[r]) {
            csf_tok *b = &tk->t[nx];
            size_t la = strlen(a->norm), lb = strlen(b->norm);
            int gap_ok = 1;
            for (uint32_t k = a->be; k < b->bs; k++)
                gap_ok &= s[k] == ' ' || s[k] == '-';
            if (gap_ok && la + lb < sizeof a->norm && b->bs - a->be <= 2) {
                char buf[32];
                memcpy(buf, a->norm, la);
                memcpy(buf + la, b->norm, lb + 1);
                const lex_entry *e = csf_sih_lex_find(m, buf, la + lb);
                if (!e && la + lb >= 8)
                    e = csf_sih_lex_fuzzy(m, buf, la + lb);
                int alone = !csf_sih_lex_find(m, a->norm, la) || !csf_sih_lex_find(m, b->norm, lb);
                if (e && e->cls && alone) {
                    tk->t[w] = *a;
                    memcpy(tk->t[w].norm, buf, la + lb + 1);
                    tk->t[w].be = b->be;
                    brk[w] = brk[nx];
                    w++;
                    r = nx;
                    continue;
                }
            }
        }
        if (w != r) {
            tk->t[w] = *a;
            brk[w] = brk[r];
        }
        w++;
    }
    tk->n = w;
}

static const char *word_of(const csf_tok *t) { return t->canon ? t->canon : t->norm; }

static void mark_triggers(const csf_sih_miner *m, csf_toks *tk)
{
    for (size_t i = 0; i < tk->n; i++) {
        if (!(tk->t[i].cls & CB(C_TRIG)))
            continue;
        for (size_t p = 0; p < m->ntrig; p++) {
            const trig_phrase *ph = &m->trig[p];
            size_t k = 0;
            while (k < 4 && ph->w[k] && i + k < tk->n && strcmp(word_of(&tk->t[i + k]), ph->w[k]) == 0)
                k++;
            if (k == 4 || !ph->w[k]) {
                tk->t[i].trig = (uint8_t)ph->kind;
                tk->t[i].trig_len = (uint8_t)k;
                i += k - 1;
                break;
            }
        }
    }
}

int csf_sih_tokenize(const csf_sih_miner *m, const char *text, size_t len, csf_toks *tk)
{
    tk->nsent = 0;
    if (raw_tokens(text, len, tk, &tk->brk, &tk->brk_cap) != 0)
        return -1;
    unsigned char *b = tk->brk;
    if (tk->n == 0)
        return 0;
    join_split_words(m, text, tk, b);
    for (size_t i = 0; i < tk->n; i++)
        assign_class(m, &tk->t[i]);
    mark_triggers(m, tk);
    if (tk->sent_cap < tk->n + 2) {
        uint32_t *ss = realloc(tk->sent_start, (tk->n + 2) * sizeof *ss);
        if (!ss)
            return -1;
        tk->sent_start = ss;
        tk->sent_cap = tk->n + 2;
    }
    uint32_t clause = 0;
    tk->sent_start[tk->nsent++] = 0;
    for (size_t i = 0; i < tk->n; i++) {
        csf_tok *t = &tk->t[i];
        if ((t->kind == TOK_PUNCT && t->punct == ';') || (t->trig & T_TERM))
            clause++;
        t->clause = clause;
        if (b[i] && i + 1 < tk->n) {
            tk->sent_start[tk->nsent++] = (uint32_t)(i + 1);
            clause = 0;
        }
    }
    tk->sent_start[tk->nsent] = (uint32_t)tk->n;
    return 0;
}

void csf_sih_toks_release(csf_toks *tk)
{
    free(tk->t);
    free(tk->sent_start);
    free(tk->brk);
    *tk = (csf_toks){0};
}
