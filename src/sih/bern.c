/* Bern score (brain SIH score): Dobrocky T, Grunder L, Breiding PS, et al.
 * Assessing spinal cerebrospinal fluid leaks in spontaneous intracranial
 * hypotension with a scoring system based on brain magnetic resonance imaging
 * findings. JAMA Neurol. 2019;76(5):580-587. Item weights and cut-offs are
 * those of the paper (and of ../shared/domain.md). */
#include <math.h>
#include <stddef.h>

#include "csfleak/sih.h"

static const struct {
    const char *name;
    int weight;
} ITEMS[CSF_BERN_NITEMS] = {
    {"pachymeningeal_enhancement", 2}, /* major */
    {"venous_sinus_engorgement", 2},   /* major */
    {"suprasellar_effacement", 2},     /* major: cistern <= 4.0 mm */
    {"subdural_collection", 1},        /* minor */
    {"prepontine_effacement", 1},      /* minor: cistern <= 5.0 mm */
    {"mamillopontine_distance", 1},    /* minor: <= 6.5 mm */
};

const char *csf_bern_item_name(int item)
{
    return item >= 0 && item < CSF_BERN_NITEMS ? ITEMS[item].name : "?";
}

int csf_bern_item_weight(int item)
{
    return item >= 0 && item < CSF_BERN_NITEMS ? ITEMS[item].weight : 0;
}

int csf_bern_category_of(int total)
{
    if (total <= 2)
        return CSF_BERN_CAT_LOW;
    return total <= 4 ? CSF_BERN_CAT_INTERMEDIATE : CSF_BERN_CAT_HIGH;
}

const char *csf_bern_category_name(int category)
{
    switch (category) {
    case CSF_BERN_CAT_LOW:
        return "low";
    case CSF_BERN_CAT_INTERMEDIATE:
        return "intermediate";
    case CSF_BERN_CAT_HIGH:
        return "high";
    default:
        return NULL;
    }
}

void csf_bern_score(const csf_tri item[CSF_BERN_NITEMS], csf_bern_result *out)
{
    out->total_min = 0;
    out->total_max = 0;
    for (int i = 0; i < CSF_BERN_NITEMS; i++) {
        int w = ITEMS[i].weight;
        if (item[i] == CSF_TRI_YES) {
            out->points[i] = w;
            out->total_min += w;
            out->total_max += w;
        } else if (item[i] == CSF_TRI_NO) {
            out->points[i] = 0;
        } else {
            out->points[i] = -1;
            out->total_max += w;
        }
    }
    out->cat_min = csf_bern_category_of(out->total_min);
    out->cat_max = csf_bern_category_of(out->total_max);
    /* The category is monotone in the total, so equal ends fix every total in between. */
    out->category = out->cat_min == out->cat_max ? out->cat_min : CSF_BERN_CAT_NONE;
}

csf_tri csf_bern_item_from_mm(int item, double mm)
{
    if (!isfinite(mm) || mm < 0)
        return CSF_TRI_UNKNOWN;
    switch (item) {
    case CSF_BERN_SUPRASELLAR:
        return mm <= CSF_BERN_SUPRASELLAR_MM ? CSF_TRI_YES : CSF_TRI_NO;
    case CSF_BERN_PREPONTINE:
        return mm <= CSF_BERN_PREPONTINE_MM ? CSF_TRI_YES : CSF_TRI_NO;
    case CSF_BERN_MAMILLOPONTINE:
        return mm <= CSF_BERN_MAMILLOPONTINE_MM ? CSF_TRI_YES : CSF_TRI_NO;
    default:
        return CSF_TRI_UNKNOWN;
    }
}
