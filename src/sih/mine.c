/* Report mining entry point: tokenise, apply the sign rules per sentence,
 * convert spans to code points, fill the Bern items from the findings. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mine_internal.h"

static const char *const SIGN_NAMES[CSF_SIGN_N] = {
    "pachymeningeal_enhancement", "venous_sinus_engorgement", "suprasellar_effacement",
    "subdural_collection", "prepontine_effacement", "mamillopontine_distance",
    "tonsillar_descent", "pituitary_enlargement", "sagging_midbrain", "pontomesencephalic_angle",
    "slec", "epidural_contrast", "epidural_venous_engorgement", "csf_venous_fistula",
    "meningeal_diverticulum", "perineural_cyst",
};

const char *csf_sign_name(int sign) { return sign >= 0 && sign < CSF_SIGN_N ? SIGN_NAMES[sign] : "?"; }

int csf_sign_from_name(const char *name)
{
    for (int i = 0; i < CSF_SIGN_N; i++)
        if (strcmp(name, SIGN_NAMES[i]) == 0)
            return i;
    return -1;
}

const char *csf_finding_status_name(int status)
{
    static const char *const n[] = {"present", "absent", "uncertain"};
    return status >= 0 && status <= 2 ? n[status] : "?";
}

/* A sign is present if any mention says so; uncertain mentions leave it
 * unknown; only mentions that all say absent make it absent. */
static void fill_bern(csf_sih_mined *res)
{
    int seen[CSF_BERN_NITEMS] = {0}, pres[CSF_BERN_NITEMS] = {0}, unc[CSF_BERN_NITEMS] = {0};
    for (size_t i = 0; i < res->n; i++) {
        int s = res->f[i].sign;
        if (s < 0 || s >= CSF_BERN_NITEMS)
            continue;
        seen[s] = 1;
        pres[s] |= res->f[i].status == CSF_FIND_PRESENT;
        unc[s] |= res->f[i].status == CSF_FIND_UNCERTAIN;
    }
    for (int s = 0; s < CSF_BERN_NITEMS; s++)
        res->bern_item[s] = pres[s] ? CSF_TRI_YES : (!seen[s] || unc[s]) ? CSF_TRI_UNKNOWN : CSF_TRI_NO;
    csf_bern_score(res->bern_item, &res->bern);
}

/* Byte offsets -> code point offsets, walking forward from the last answer. */
static void to_code_points(const char *text, csf_sih_mined *res)
{
    size_t pos = 0, cp = 0;
    for (size_t i = 0; i < res->n; i++) {
        csf_finding *f = &res->f[i];
        size_t want[2] = {f->bstart, f->bend};
        size_t *out[2] = {&f->start, &f->end};
        for (int k = 0; k < 2; k++) {
            if (want[k] < pos) {
                pos = 0;
                cp = 0;
            }
            for (; pos < want[k]; pos++)
                cp += ((unsigned char)text[pos] & 0xC0) != 0x80;
            *out[k] = cp;
        }
    }
}

csf_status csf_sih_mine(const csf_sih_miner *m, const char *text, size_t len, csf_sih_mined *res,
                        csf_error *err)
{
    if (!m || (!text && len))
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_sih_mine: NULL miner or text");
    if (len > UINT32_MAX)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "report of %zu bytes is too long", len);
    res->n = 0;
    if (len == 0) { /* no tokens, no findings: every Bern item stays unknown */
        fill_bern(res);
        return CSF_OK;
    }
    csf_toks *tk = res->scratch;
    if (!tk) {
        tk = calloc(1, sizeof *tk);
        if (!tk)
            return csf_error_set(err, CSF_ERR_NOMEM, "out of memory mining a report");
        res->scratch = tk;
    }
    if (csf_sih_tokenize(m, text, len, tk) != 0)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory mining a report");
    for (size_t s = 0; s < tk->nsent; s++)
        if (csf_sih_rules_sentence(tk, tk->sent_start[s], tk->sent_start[s + 1], text, res) != 0)
            return csf_error_set(err, CSF_ERR_NOMEM, "out of memory mining a report");
    to_code_points(text, res);
    fill_bern(res);
    return CSF_OK;
}

void csf_sih_mined_release(csf_sih_mined *res)
{
    if (!res)
        return;
    if (res->scratch) {
        csf_sih_toks_release(res->scratch);
        free(res->scratch);
    }
    free(res->f);
    *res = (csf_sih_mined){0};
}
