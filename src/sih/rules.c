/* Sign rules over one sentence: an anchor word, a co-word within a window of
 * the same clause, words that veto the match, then NegEx-style status from
 * the trigger phrases around the match and a measured value with its unit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mine_internal.h"

#define X(c) CB(C_##c)

enum {
    R_ABSENT = 1,  /* the co-word says the sign is absent ("normal", "preserved") */
    R_NEEDVAL = 2, /* counts only with a measured value */
    R_NEGVAL = 4,  /* value lies on the normal side ("3 mm above the foramen magnum") */
};

typedef struct sign_rule {
    int sign;
    uint64_t anchor, need, need2, forbid;
    int win;  /* co-word window in tokens, either side */
    int fwin; /* veto window */
    int flags;
    uint64_t tail; /* a following word with this class joins the span ("pachymeningeal enhancement") */
    uint64_t forbid2; /* a second veto with its own, wider window */
    int fwin2;
} sign_rule;

/* Order matters: for each sign the first rule that matches an anchor wins. */
static const sign_rule RULES[] = {
    {CSF_SIGN_PACHY, X(PACHY), 0, 0, 0, 0, 0, 0, X(ENHANCE), 0, 0},
    {CSF_SIGN_PACHY, X(DURA), X(ENHANCE), 0, X(VENOUS) | X(SINUS), 4, 3, 0, 0, 0, 0},
    {CSF_SIGN_VENOUS, X(SINUS), X(ENGORGE), 0, X(PARANASAL) | X(PLEXUS) | X(EXTRADURAL), 5, 5, 0, 0, 0, 0},
    {CSF_SIGN_VENOUS, X(VENOUS), X(ENGORGE), 0, X(PLEXUS) | X(EXTRADURAL) | X(SPINE) | X(PARANASAL), 3, 5, 0, 0, X(PITUITARY), 24},
    {CSF_SIGN_VENOUS, X(SINUS), X(NORMAL), X(VENOUS) | X(VSINUS_NAME) | X(DURA), X(PARANASAL), 5, 5, R_ABSENT, 0, 0, 0},
    {CSF_SIGN_SUPRASELLAR, X(SUPRASELLAR), X(EFFACE), 0, 0, 6, 0, 0, 0, 0, 0},
    {CSF_SIGN_SUPRASELLAR, X(SUPRASELLAR), X(NORMAL), 0, 0, 5, 0, R_ABSENT, 0, 0, 0},
    {CSF_SIGN_SUPRASELLAR, X(SUPRASELLAR), 0, 0, 0, 0, 0, R_NEEDVAL, 0, 0, 0},
    {CSF_SIGN_SUPRASELLAR, X(CHIASM), X(SELLA) | X(PITUITARY), 0, 0, 8, 0, R_NEEDVAL, 0, 0, 0},
    {CSF_SIGN_SUBDURAL, X(SUBDURAL), X(COLLECTION), 0, X(CONTRAST), 4, 3, 0, 0, X(SPINE), 6},
    {CSF_SIGN_SUBDURAL, X(HYGROMA), 0, 0, 0, 0, 0, 0, 0, X(SPINE), 6},
    {CSF_SIGN_PREPONTINE, X(PREPONTINE), X(EFFACE), 0, 0, 6, 0, 0, 0, 0, 0},
    {CSF_SIGN_PREPONTINE, X(PREPONTINE), X(NORMAL), 0, 0, 5, 0, R_ABSENT, 0, 0, 0},
    {CSF_SIGN_PREPONTINE, X(PREPONTINE), 0, 0, 0, 0, 0, R_NEEDVAL, 0, 0, 0},
    {CSF_SIGN_MAMILLOPONTINE, X(MAMPON), X(EFFACE), 0, 0, 5, 0, 0, 0, 0, 0},
    {CSF_SIGN_MAMILLOPONTINE, X(MAMPON), X(NORMAL), 0, 0, 5, 0, R_ABSENT, 0, 0, 0},
    {CSF_SIGN_MAMILLOPONTINE, X(MAMPON), 0, 0, 0, 0, 0, R_NEEDVAL, 0, 0, 0},
    {CSF_SIGN_TONSIL, X(TONSIL), X(DESCENT), 0, 0, 6, 0, 0, 0, 0, 0},
    {CSF_SIGN_TONSIL, X(CHIARI), 0, 0, 0, 0, 0, 0, 0, 0, 0},
    {CSF_SIGN_TONSIL, X(TONSIL), X(ABOVE), 0, 0, 6, 0, R_ABSENT | R_NEGVAL, 0, 0, 0},
    {CSF_SIGN_TONSIL, X(TONSIL), X(NORMAL), 0, 0, 5, 0, R_ABSENT, 0, 0, 0},
    {CSF_SIGN_PITUITARY, X(PITUITARY), X(ENLARGE), 0, 0, 5, 0, 0, 0, 0, 0},
    {CSF_SIGN_PITUITARY, X(PITUITARY), X(NORMAL), 0, 0, 5, 0, R_ABSENT, 0, 0, 0},
    {CSF_SIGN_PITUITARY, X(PITUITARY), X(HEIGHT), 0, 0, 5, 0, R_NEEDVAL, 0, 0, 0},
    {CSF_SIGN_SAGGING, X(BRAIN), X(SAG), 0, X(TONSIL), 4, 4, 0, 0, 0, 0},
    {CSF_SIGN_PMA, X(PMA), X(EFFACE), 0, 0, 5, 0, 0, 0, 0, 0},
    {CSF_SIGN_PMA, X(PMA), X(NORMAL), 0, 0, 5, 0, R_ABSENT, 0, 0, 0},
    {CSF_SIGN_PMA, X(PMA), 0, 0, 0, 0, 0, R_NEEDVAL, 0, 0, 0},
    {CSF_SIGN_SLEC, X(SLEC), 0, 0, 0, 0, 0, 0, 0, 0, 0},
    {CSF_SIGN_SLEC, X(EXTRADURAL), X(COLLECTION), 0, X(CONTRAST) | X(BLOOD) | X(VENOUS) | X(PLEXUS), 4, 4, 0, 0, 0, 0},
    {CSF_SIGN_SLEC, X(LONGIT), X(EXTRADURAL), 0, 0, 3, 0, 0, 0, 0, 0},
    {CSF_SIGN_EPIDURAL_CONTRAST, X(EXTRADURAL), X(CONTRAST), 0, 0, 6, 0, 0, 0, 0, 0},
    {CSF_SIGN_EPIDURAL_VENOUS, X(PLEXUS), X(ENGORGE), X(VENOUS) | X(EXTRADURAL), 0, 5, 0, 0, 0, 0, 0},
    {CSF_SIGN_EPIDURAL_VENOUS, X(VENOUS), X(ENGORGE), X(EXTRADURAL), 0, 4, 0, 0, 0, 0, 0},
    {CSF_SIGN_CVF, X(CVF), 0, 0, 0, 0, 0, 0, 0, 0, 0},
    {CSF_SIGN_CVF, X(FISTULA), X(VENOUS), 0, 0, 4, 0, 0, 0, 0, 0},
    {CSF_SIGN_DIVERTICULUM, X(DIVERT), 0, 0, X(VISCERA), 0, 4, 0, 0, 0, 0},
    {CSF_SIGN_PERINEURAL_CYST, X(TARLOV), 0, 0, 0, 0, 0, 0, X(CYST), 0, 0},
    {CSF_SIGN_PERINEURAL_CYST, X(PERINEURAL), X(CYST), 0, 0, 3, 0, 0, 0, 0, 0},
};

#define MEASURE_ANCHORS (X(MAMPON) | X(SUPRASELLAR) | X(PREPONTINE) | X(TONSIL) | X(PITUITARY) | X(PMA) | X(CHIASM))

static int measurable(int sign)
{
    return sign == CSF_SIGN_SUPRASELLAR || sign == CSF_SIGN_PREPONTINE || sign == CSF_SIGN_MAMILLOPONTINE ||
           sign == CSF_SIGN_TONSIL || sign == CSF_SIGN_PITUITARY || sign == CSF_SIGN_PMA;
}

/* Nearest token in [lo, hi] of the anchor's clause with class c; -1 if none. */
static long nearest(const csf_toks *tk, size_t a, size_t b, size_t i, int win, uint64_t c)
{
    uint32_t cl = tk->t[i].clause;
    for (int d = 0; d <= win; d++) {
        if (i + d < b && tk->t[i + d].clause == cl && (tk->t[i + d].cls & c))
            return (long)(i + d);
        if (d > 0 && i >= a + d && tk->t[i - d].clause == cl && (tk->t[i - d].cls & c))
            return (long)(i - d);
    }
    return -1;
}

static int is_num(const csf_tok *t) { return t->kind == TOK_NUM || (t->cls & X(NUMWORD)); }

/* Value token pair (number, unit) for a match [s, e]; returns 1 when found. */
static int find_value(const csf_toks *tk, size_t a, size_t b, size_t s, size_t e, int sign,
                      double *val, const char **unit, size_t *vs, size_t *ve)
{
    int angle = sign == CSF_SIGN_PMA;
    uint64_t units = angle ? X(UNIT_DEG) : (X(UNIT_MM) | X(UNIT_CM));
    uint32_t cl = tk->t[e].clause;
    uint64_t stop = MEASURE_ANCHORS & ~tk->t[s].cls & ~tk->t[e].cls;
    for (size_t k = s + 1; k < b && k <= e + 9; k++) {
        const csf_tok *t = &tk->t[k];
        if (t->clause != cl || (t->cls & stop))
            break;
        if (!is_num(t))
            continue;
        int has_unit = k + 1 < b && (tk->t[k + 1].cls & units);
        int bare_angle = angle && !(k + 1 < b && (tk->t[k + 1].cls & (X(UNIT_MM) | X(UNIT_CM))));
        if (has_unit || bare_angle) {
            *val = t->num * (has_unit && (tk->t[k + 1].cls & X(UNIT_CM)) ? 10.0 : 1.0);
            *unit = angle ? "deg" : "mm";
            *vs = k;
            *ve = has_unit ? k + 1 : k;
            return 1;
        }
    }
    if (s >= a + 2 && (tk->t[s - 1].cls & units) && is_num(&tk->t[s - 2])) {
        *val = tk->t[s - 2].num * ((tk->t[s - 1].cls & X(UNIT_CM)) ? 10.0 : 1.0);
        *unit = angle ? "deg" : "mm";
        *vs = s - 2;
        *ve = s - 1;
        return 1;
    }
    return 0;
}

/* A PRE trigger also closes a phrase when nothing but punctuation follows it
 * ("Subdural collection: no."). */
static int ends_sentence(const csf_toks *tk, size_t b, size_t k)
{
    size_t nx = k + tk->t[k].trig_len;
    return nx >= b || tk->t[nx].kind == TOK_PUNCT;
}

static int status_of(const csf_toks *tk, size_t a, size_t b, size_t s, size_t e)
{
    int st = -1;
    for (size_t k = s; k <= e; k++) {
        int tr = tk->t[k].trig;
        if (tr & (T_PRE_NEG | T_POST_NEG))
            st = CSF_FIND_ABSENT;
        else if (tr & (T_PRE_UNC | T_POST_UNC))
            st = CSF_FIND_UNCERTAIN;
    }
    if (st >= 0)
        return st;
    uint32_t cl = tk->t[s].clause;
    for (size_t k = s; k-- > a && k + 13 > s;) {
        const csf_tok *t = &tk->t[k];
        if (t->clause != cl || (t->trig & (T_TERM | T_PSEUDO)))
            break;
        if (t->trig & T_PRE_NEG)
            return CSF_FIND_ABSENT;
        if (t->trig & T_PRE_UNC)
            return CSF_FIND_UNCERTAIN;
    }
    cl = tk->t[e].clause;
    for (size_t k = e + 1; k < b && k <= e + 8; k++) {
        const csf_tok *t = &tk->t[k];
        if (t->clause != cl || (t->trig & (T_TERM | T_PSEUDO)))
            break;
        int post = t->trig & (T_POST_NEG | T_POST_UNC);
        if (!post && (t->trig & (T_PRE_NEG | T_PRE_UNC)) && ends_sentence(tk, b, k))
            post = t->trig & T_PRE_NEG ? T_POST_NEG : T_POST_UNC;
        if (post & T_POST_NEG)
            return CSF_FIND_ABSENT;
        if (post & T_POST_UNC)
            return CSF_FIND_UNCERTAIN;
    }
    return CSF_FIND_PRESENT;
}

/* Measured values decide the Bern items and the angle by their published cut-offs. */
static int status_from_value(int sign, double v, int st)
{
    switch (sign) {
    case CSF_SIGN_SUPRASELLAR:
        return v <= CSF_BERN_SUPRASELLAR_MM ? CSF_FIND_PRESENT : CSF_FIND_ABSENT;
    case CSF_SIGN_PREPONTINE:
        return v <= CSF_BERN_PREPONTINE_MM ? CSF_FIND_PRESENT : CSF_FIND_ABSENT;
    case CSF_SIGN_MAMILLOPONTINE:
        return v <= CSF_BERN_MAMILLOPONTINE_MM ? CSF_FIND_PRESENT : CSF_FIND_ABSENT;
    case CSF_SIGN_PMA:
        return v < csf_brain_measure_threshold(CSF_BM_PMA) ? CSF_FIND_PRESENT : CSF_FIND_ABSENT;
    default:
        return st;
    }
}

static int push_finding(csf_sih_mined *res, const csf_finding *f)
{
    if (res->n == res->cap) {
        size_t cap = res->cap ? res->cap * 2 : 16;
        csf_finding *nf = realloc(res->f, cap * sizeof *nf);
        if (!nf)
            return -1;
        res->f = nf;
        res->cap = cap;
    }
    res->f[res->n++] = *f;
    return 0;
}

/* Same sign already found in this sentence over an overlapping span, or
 * with the same status and value (a second wording of one statement). */
static int duplicate(const csf_sih_mined *res, size_t first, const csf_finding *f)
{
    for (size_t k = first; k < res->n; k++) {
        const csf_finding *g = &res->f[k];
        if (g->sign != f->sign)
            continue;
        if (g->bstart < f->bend && f->bstart < g->bend)
            return 1;
        int same_value = (isnan(g->value) && isnan(f->value)) || g->value == f->value;
        if (g->status == f->status && same_value)
            return 1;
    }
    return 0;
}

static int try_rule(const csf_toks *tk, size_t a, size_t b, size_t i, const sign_rule *r, csf_finding *f)
{
    size_t s = i, e = i;
    if (r->need) {
        long j = nearest(tk, a, b, i, r->win, r->need);
        if (j < 0)
            return 0;
        s = (size_t)j < s ? (size_t)j : s;
        e = (size_t)j > e ? (size_t)j : e;
    }
    if (r->tail && i + 1 < b && tk->t[i + 1].clause == tk->t[i].clause && (tk->t[i + 1].cls & r->tail))
        e = i + 1;
    if (r->need2 && nearest(tk, a, b, i, r->win, r->need2) < 0)
        return 0;
    if (r->forbid && nearest(tk, a, b, i, r->fwin, r->forbid) >= 0)
        return 0;
    if (r->forbid2 && nearest(tk, a, b, i, r->fwin2, r->forbid2) >= 0)
        return 0;
    double v = NAN;
    const char *unit = NULL;
    size_t vs = 0, ve = 0;
    int hasv = measurable(r->sign) && find_value(tk, a, b, s, e, r->sign, &v, &unit, &vs, &ve);
    if ((r->flags & R_NEEDVAL) && !hasv)
        return 0;
    int st = status_of(tk, a, b, s, e);
    if (r->flags & R_ABSENT)
        st = st == CSF_FIND_UNCERTAIN ? st : CSF_FIND_ABSENT;
    if (hasv) {
        if (r->flags & R_NEGVAL)
            v = -v;
        if (st != CSF_FIND_UNCERTAIN)
            st = status_from_value(r->sign, v, st);
        s = vs < s ? vs : s;
        e = ve > e ? ve : e;
    }
    *f = (csf_finding){.sign = r->sign, .status = st, .value = v, .unit = unit,
                       .bstart = tk->t[s].bs, .bend = tk->t[e].be};
    return 1;
}

int csf_sih_rules_sentence(const csf_toks *tk, size_t a, size_t b, const char *text, csf_sih_mined *res)
{
    (void)text;
    size_t first = res->n;
    const size_t nr = sizeof RULES / sizeof RULES[0];
    for (size_t i = a; i < b; i++) {
        uint64_t c = tk->t[i].cls;
        if (!c)
            continue;
        int done_sign = -1;
        for (size_t r = 0; r < nr; r++) {
            if (!(c & RULES[r].anchor) || RULES[r].sign == done_sign)
                continue;
            csf_finding f;
            if (!try_rule(tk, a, b, i, &RULES[r], &f))
                continue;
            done_sign = RULES[r].sign;
            if (duplicate(res, first, &f))
                continue;
            if (push_finding(res, &f) != 0)
                return -1;
        }
    }
    return 0;
}
