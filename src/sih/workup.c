/* Schievink leak type and the next step of the stepwise work-up.
 * Sources (also in docs/sih.md):
 *  [S16] Schievink WI et al. A classification system of spontaneous spinal CSF
 *        leaks. Neurology 2016;87(7):673-679.
 *  [F19] Farb RI et al. Spontaneous intracranial hypotension: a systematic
 *        imaging approach for CSF leak localization and management based on MRI
 *        and digital subtraction myelography. AJNR 2019;40(4):745-753.
 *  [D19] Dobrocky T et al. JAMA Neurol 2019;76(5):580-587 (Bern score).
 *  [DOM] ../shared/domain.md, "The stepwise work-up". */
#include <stddef.h>

#include "csfleak/sih.h"

const char *csf_leak_type_name(unsigned type)
{
    switch (type) {
    case CSF_LEAK_1A: return "1a";
    case CSF_LEAK_1B: return "1b";
    case CSF_LEAK_2A: return "2a";
    case CSF_LEAK_2B: return "2b";
    case CSF_LEAK_3: return "3";
    case CSF_LEAK_4: return "4";
    default: return "?";
    }
}

static void add(csf_leak_types *t, unsigned type, const char *why)
{
    if ((t->mask & type) || t->n >= CSF_LEAK_NTYPES)
        return;
    t->mask |= type;
    t->order[t->n] = type;
    t->reason[t->n] = why;
    t->n++;
}

static int found(int r) { return r >= CSF_DYN_VENTRAL_TEAR && r <= CSF_DYN_DIVERTICULUM; }

static void add_found(csf_leak_types *t, const csf_sih_case *c, int r)
{
    if (r == CSF_DYN_VENTRAL_TEAR)
        add(t, CSF_LEAK_1A, "ventral dural tear seen on dynamic myelography");
    else if (r == CSF_DYN_LATERAL_TEAR)
        add(t, CSF_LEAK_1B, "posterolateral dural tear seen on dynamic myelography");
    else if (r == CSF_DYN_CVF)
        add(t, CSF_LEAK_3, "CSF-venous fistula seen on dynamic myelography");
    else if (r == CSF_DYN_DIVERTICULUM && c->dural_ectasia == CSF_TRI_YES)
        add(t, CSF_LEAK_2B, "leaking diverticulum seen, with dural ectasia (complex)");
    else if (r == CSF_DYN_DIVERTICULUM)
        add(t, CSF_LEAK_2A, "leaking simple meningeal diverticulum seen");
}

/* Every study that could still find the leak has been done and was negative. */
static int workup_exhausted(const csf_sih_case *c)
{
    int decub = c->decub_left == CSF_DYN_NEGATIVE && c->decub_right == CSF_DYN_NEGATIVE;
    int prone_ok = c->slec != CSF_TRI_YES || c->prone_dynamic == CSF_DYN_NEGATIVE;
    return c->spine_mri_done && c->slec != CSF_TRI_UNKNOWN && decub && prone_ok &&
           c->ric != CSF_RIC_POSITIVE;
}

void csf_leak_type_infer(const csf_sih_case *c, csf_leak_types *out)
{
    *out = (csf_leak_types){0};
    add_found(out, c, c->prone_dynamic);
    add_found(out, c, c->decub_left);
    add_found(out, c, c->decub_right);
    if (out->n > 0)
        return;
    if (workup_exhausted(c))
        add(out, CSF_LEAK_4, "SIH suspected but no leak found after spine MRI and dynamic myelography [S16]");
    if (c->slec == CSF_TRI_YES) {
        add(out, CSF_LEAK_1A, "SLEC present: a dural tear, most often ventral from a disc micro-spur [S16]");
        add(out, CSF_LEAK_1B, "SLEC present: a posterolateral tear is the less common alternative [S16]");
    } else if (c->slec == CSF_TRI_NO) {
        if (c->diverticula == CSF_TRI_YES && c->dural_ectasia == CSF_TRI_YES)
            add(out, CSF_LEAK_2B, "no SLEC, diverticula with dural ectasia [S16]");
        else if (c->diverticula == CSF_TRI_YES)
            add(out, CSF_LEAK_2A, "no SLEC, meningeal diverticula present [S16]");
        add(out, CSF_LEAK_3, "no SLEC: a CSF-venous fistula leaves no extradural fluid [S16]");
        if (c->diverticula == CSF_TRI_UNKNOWN)
            add(out, CSF_LEAK_2A, "no SLEC; diverticula not assessed [S16]");
    }
}

/* ---- the rule table: conditions in code, words in the table, same order ---- */
typedef int (*rule_fn)(const csf_sih_case *c);

static int site_found(const csf_sih_case *c)
{
    return found(c->prone_dynamic) || found(c->decub_left) || found(c->decub_right);
}
static int r_found(const csf_sih_case *c) { return site_found(c); }
static int r_brain(const csf_sih_case *c) { return !c->brain_mri_done; }
static int r_spine(const csf_sih_case *c) { return !c->spine_mri_done || c->slec == CSF_TRI_UNKNOWN; }
static int r_slec_prone(const csf_sih_case *c)
{
    return c->slec == CSF_TRI_YES && c->prone_dynamic == CSF_DYN_NOT_DONE;
}
static int r_slec_decub(const csf_sih_case *c)
{
    return c->slec == CSF_TRI_YES && (c->decub_left == CSF_DYN_NOT_DONE || c->decub_right == CSF_DYN_NOT_DONE);
}
static int no_decub(const csf_sih_case *c)
{
    return c->decub_left == CSF_DYN_NOT_DONE && c->decub_right == CSF_DYN_NOT_DONE;
}
static int r_low_bern(const csf_sih_case *c)
{
    return c->slec == CSF_TRI_NO && no_decub(c) && c->bern.category == CSF_BERN_CAT_LOW;
}
static int r_decub_first(const csf_sih_case *c) { return c->slec == CSF_TRI_NO && no_decub(c); }
static int r_decub_other(const csf_sih_case *c)
{
    return c->slec == CSF_TRI_NO && (c->decub_left == CSF_DYN_NOT_DONE || c->decub_right == CSF_DYN_NOT_DONE);
}
static int r_ric(const csf_sih_case *c) { return c->ric == CSF_RIC_NOT_DONE; }
static int r_ric_pos(const csf_sih_case *c) { return c->ric == CSF_RIC_POSITIVE; }
static int r_always(const csf_sih_case *c) { (void)c; return 1; }

static const rule_fn RULE_FN[] = {r_found, r_brain, r_spine, r_slec_prone, r_slec_decub, r_low_bern,
                                  r_decub_first, r_decub_other, r_ric_pos, r_ric, r_always};

static const csf_workup_rule RULES[] = {
    {"R1", "a leak site was found on a dynamic study",
     "targeted treatment at the site (epidural blood patch, fibrin glue, surgery, or CVF embolisation), then follow-up imaging",
     "as for the procedure", "treatment at the level found",
     "[DOM] step 5; [S16]"},
    {"R2", "no brain MRI yet", "brain MRI with gadolinium contrast (Bern score)", "supine",
     "pachymeningeal enhancement, venous engorgement, cistern effacement, subdural collections",
     "[DOM] step 1; [D19]"},
    {"R3", "no spine MRI yet, or SLEC not assessed",
     "whole-spine MRI / MR myelography (heavily T2-weighted, fat-suppressed)", "supine",
     "SLEC, root-sleeve leaks, diverticula, perineural cysts", "[DOM] step 2; [F19]"},
    {"R4", "SLEC present, prone dynamic study not done",
     "dynamic myelography (DSM or dynamic CT myelography)", "prone",
     "ventral dural tear (type 1a) along the SLEC", "[DOM] step 3; [F19]; [S16]"},
    {"R5", "SLEC present, prone study negative, a decubitus side not done",
     "dynamic myelography (DSM or dynamic CT myelography)", "lateral decubitus (side not yet studied)",
     "posterolateral dural tear (type 1b)", "[DOM] step 3; [F19]"},
    {"R6", "no SLEC, no decubitus study yet, Bern score low (0-2)",
     "reconsider the diagnosis; lateral decubitus dynamic myelography only if clinical suspicion stays high",
     "lateral decubitus (both sides, one per session)",
     "low probability of finding a leak (Bern low)", "[D19]; [DOM] step 3"},
    {"R7", "no SLEC, no decubitus study yet",
     "dynamic myelography (DSM or decubitus CT myelography)", "lateral decubitus (both sides, one per session)",
     "CSF-venous fistula (type 3) or leaking diverticulum (type 2)", "[DOM] step 3; [F19]; [S16]"},
    {"R8", "no SLEC, one decubitus side negative",
     "dynamic myelography (DSM or decubitus CT myelography)", "lateral decubitus, the other side",
     "CSF-venous fistula (type 3) or leaking diverticulum (type 2)", "[DOM] step 3; [F19]"},
    {"R9", "dynamic studies negative, cisternography shows paraspinal activity",
     "repeat dynamic myelography targeted to the level of paraspinal activity",
     "prone if SLEC, else lateral decubitus", "leak at the RIC level", "[DOM] step 4; [F19]"},
    {"R10", "dynamic studies negative, no cisternography yet",
     "radioisotope cisternography (In-111 or Tc-99m-DTPA), images at 0.5, 2, 4, 6 and 24 h",
     "supine", "paraspinal activity; early bladder activity; poor convexity activity at 24 h",
     "[DOM] step 4"},
    {"R11", "work-up complete without a leak site",
     "indeterminate leak (type 4): clinical review, consider non-targeted epidural blood patch",
     "not applicable", "no further localising test", "[S16]; [DOM] leak types"},
};

const csf_workup_rule *csf_workup_rules(size_t *n)
{
    _Static_assert(sizeof RULES / sizeof RULES[0] == sizeof RULE_FN / sizeof RULE_FN[0],
                   "rule text and rule code must stay aligned");
    *n = sizeof RULES / sizeof RULES[0];
    return RULES;
}

const csf_workup_rule *csf_workup_next(const csf_sih_case *c)
{
    size_t n = sizeof RULES / sizeof RULES[0];
    for (size_t i = 0; i < n; i++)
        if (RULE_FN[i](c))
            return &RULES[i];
    return &RULES[n - 1];
}
