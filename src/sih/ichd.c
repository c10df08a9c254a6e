/* ICHD-3 7.2.3 "Headache attributed to spontaneous intracranial hypotension"
 * (Headache Classification Committee of the IHS, Cephalalgia 2018;38(1):1-211):
 * A) any headache fulfilling C; B) low CSF pressure (< 60 mm CSF) and/or
 * evidence of CSF leakage on imaging; C) temporal relation; D) not better
 * accounted for by another ICHD-3 diagnosis. Imaging evidence follows the
 * ICHD-3 7.2 comment: brain MRI signs of intracranial hypotension (brain sagging
 * or pachymeningeal enhancement) or spine imaging/myelography/cisternography
 * showing extradural CSF. Orthostatic character is typical but not required. */
#include <math.h>

#include "csfleak/sih.h"

void csf_sih_case_init(csf_sih_case *c)
{
    *c = (csf_sih_case){0};
    c->headache = c->orthostatic = c->temporal_relation = c->other_dx_excluded = CSF_TRI_UNKNOWN;
    c->opening_pressure_mmcsf = NAN;
    c->brain_sagging = c->slec = c->diverticula = c->dural_ectasia = CSF_TRI_UNKNOWN;
    c->perineural_cysts = CSF_TRI_UNKNOWN;
    csf_tri none[CSF_BERN_NITEMS] = {CSF_TRI_UNKNOWN, CSF_TRI_UNKNOWN, CSF_TRI_UNKNOWN,
                                     CSF_TRI_UNKNOWN, CSF_TRI_UNKNOWN, CSF_TRI_UNKNOWN};
    csf_bern_score(none, &c->bern);
}

static int dyn_found(int r) { return r >= CSF_DYN_VENTRAL_TEAR && r <= CSF_DYN_DIVERTICULUM; }

/* 1 when some imaging shows a leak, 0 when the imaging done is complete and
 * negative, -1 otherwise (nothing done or a looked-at item left unknown). */
static int imaging_evidence(const csf_sih_case *c)
{
    int brain_pos = c->brain_mri_done &&
                    (c->bern.points[CSF_BERN_PACHY] > 0 || c->brain_sagging == CSF_TRI_YES);
    if (brain_pos || (c->spine_mri_done && c->slec == CSF_TRI_YES) || dyn_found(c->prone_dynamic) ||
        dyn_found(c->decub_left) || dyn_found(c->decub_right) || c->ric == CSF_RIC_POSITIVE)
        return 1;
    int done = c->brain_mri_done || c->spine_mri_done || c->prone_dynamic || c->decub_left ||
               c->decub_right || c->ric;
    if (!done)
        return -1;
    if (c->brain_mri_done && c->bern.points[CSF_BERN_PACHY] < 0)
        return -1;
    if (c->spine_mri_done && c->slec == CSF_TRI_UNKNOWN)
        return -1;
    return 0;
}

const char *csf_ichd_status_name(int status)
{
    switch (status) {
    case CSF_ICHD_MET:
        return "met";
    case CSF_ICHD_NOT_MET:
        return "not met";
    default:
        return "undetermined";
    }
}

void csf_ichd_evaluate(const csf_sih_case *c, csf_ichd_result *out)
{
    double op = c->opening_pressure_mmcsf;
    out->b_low_pressure = isfinite(op) ? (op < 60.0) : -1;
    out->b_imaging = imaging_evidence(c);
    csf_tri b;
    if (out->b_low_pressure == 1 || out->b_imaging == 1)
        b = CSF_TRI_YES;
    else if (out->b_low_pressure == 0 && out->b_imaging == 0)
        b = CSF_TRI_NO;
    else
        b = CSF_TRI_UNKNOWN;
    /* A is "a headache fulfilling C": it needs both a headache and C. */
    csf_tri a = c->headache;
    if (a == CSF_TRI_YES && c->temporal_relation != CSF_TRI_YES)
        a = c->temporal_relation;
    out->crit[0] = a;
    out->crit[1] = b;
    out->crit[2] = c->temporal_relation;
    out->crit[3] = c->other_dx_excluded;
    int any_no = 0, all_yes = 1;
    for (int i = 0; i < 4; i++) {
        any_no |= out->crit[i] == CSF_TRI_NO;
        all_yes &= out->crit[i] == CSF_TRI_YES;
    }
    out->status = any_no ? CSF_ICHD_NOT_MET : (all_yes ? CSF_ICHD_MET : CSF_ICHD_UNDETERMINED);
}
