/* Private to src/sih: the report-mining lexicon and token model. */
#ifndef CSFLEAK_SIH_MINE_INTERNAL_H
#define CSFLEAK_SIH_MINE_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

#include "csfleak/sih.h"

/* Word classes: a token may carry several. */
enum {
    C_PACHY, C_DURA, C_ENHANCE, C_VENOUS, C_SINUS, C_ENGORGE, C_SUPRASELLAR, C_PREPONTINE,
    C_EFFACE, C_SUBDURAL, C_COLLECTION, C_HYGROMA, C_MAMPON, C_TONSIL, C_DESCENT, C_CHIARI,
    C_PITUITARY, C_ENLARGE, C_HEIGHT, C_SAG, C_BRAIN, C_PMA, C_SLEC, C_EXTRADURAL, C_LONGIT,
    C_CONTRAST, C_PLEXUS, C_CVF, C_FISTULA, C_DIVERT, C_PERINEURAL, C_CYST, C_TARLOV, C_SPINE,
    C_NORMAL, C_CHIASM, C_SELLA, C_ABOVE, C_PARANASAL, C_VISCERA, C_VSINUS_NAME, C_UNIT_MM,
    C_UNIT_CM, C_UNIT_DEG, C_TRIG, C_NUMWORD, C_BLOOD, C_NCLASS
};
#define CB(c) ((uint64_t)1 << (c))

/* Trigger kinds (bits). */
enum {
    T_PRE_NEG = 1, T_POST_NEG = 2, T_PRE_UNC = 4, T_POST_UNC = 8, T_PSEUDO = 16, T_TERM = 32
};

typedef struct lex_entry {
    const char *word;  /* as written (lower case) */
    const char *canon; /* canonical spelling; NULL = word itself */
    uint64_t cls;
    int fuzzy;         /* a fuzzy-match target (edit distance 1) */
} lex_entry;

typedef struct trig_phrase {
    const char *w[4]; /* canonical words, NULL-terminated */
    int kind;
} trig_phrase;

const lex_entry *csf_sih_lex_table(size_t *n);
const trig_phrase *csf_sih_trig_table(size_t *n);

#define TOK_WORD 1
#define TOK_NUM 2
#define TOK_PUNCT 3

typedef struct csf_tok {
    uint32_t bs, be;    /* byte span */
    uint32_t clause;    /* clause index inside the sentence */
    uint8_t kind;
    char punct;
    uint8_t trig, trig_len; /* trigger kind bits starting here and its length in tokens */
    uint64_t cls;
    double num;
    const char *canon;  /* canonical word (lexicon) or NULL */
    char norm[32];      /* lower-cased text */
} csf_tok;

/* Hash set of the lexicon plus deletion neighbours for fuzzy matching. */
struct csf_sih_miner {
    const lex_entry *lex;
    size_t nlex;
    int32_t *slot;     /* exact table: entry index or -1 */
    size_t nslot;      /* power of two */
    char (*del_key)[32];
    int32_t *del_val;  /* entry index, -2 when ambiguous, -1 empty */
    size_t ndel;       /* power of two */
    const trig_phrase *trig;
    size_t ntrig;
};

/* Exact lexicon lookup; NULL when absent. */
const lex_entry *csf_sih_lex_find(const struct csf_sih_miner *m, const char *w, size_t len);
/* Edit-distance-1 lookup among fuzzy targets; NULL when none or ambiguous. */
const lex_entry *csf_sih_lex_fuzzy(const struct csf_sih_miner *m, const char *w, size_t len);

/* Token buffer reused across reports. */
typedef struct csf_toks {
    csf_tok *t;
    size_t n, cap;
    uint32_t *sent_start; /* token index where each sentence starts; plus n at the end */
    size_t nsent, sent_cap;
    unsigned char *brk;   /* brk[i]: a sentence ends after token i */
    size_t brk_cap;
} csf_toks;

/* Tokenises, canonicalises, marks triggers, splits sentences and clauses. */
int csf_sih_tokenize(const struct csf_sih_miner *m, const char *text, size_t len, csf_toks *tk);
void csf_sih_toks_release(csf_toks *tk);
/* Applies the sign rules to one sentence [a, b) of tokens; appends findings. */
int csf_sih_rules_sentence(const csf_toks *tk, size_t a, size_t b, const char *text,
                           csf_sih_mined *res);

#endif
