/* Fleiss' kappa (Fleiss 1971) for m raters per subject, with the standard error
 * under the null hypothesis of Fleiss, Nee & Landis (1979). */
#include "csfleak/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

csf_status csf_stats_fleiss_counts(const unsigned long *counts, size_t nsubjects, size_t k,
                                   csf_fleiss *out, csf_error *err)
{
    if (nsubjects == 0 || k < 2 || k > 4096)
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "Fleiss' kappa needs subjects and 2..4096 categories (%zu, %zu)",
                             nsubjects, k);
    memset(out, 0, sizeof *out);
    unsigned long m = 0;
    for (size_t j = 0; j < k; j++)
        m += counts[j];
    if (m < 2)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "Fleiss' kappa needs at least 2 raters");
    double *pj = calloc(k, sizeof *pj);
    if (pj == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory for Fleiss' kappa");
    double dm = (double)m, dn = (double)nsubjects, psum = 0.0;
    for (size_t i = 0; i < nsubjects; i++) {
        unsigned long row = 0;
        double sq = 0.0;
        for (size_t j = 0; j < k; j++) {
            double nij = (double)counts[i * k + j];
            row += counts[i * k + j];
            sq += nij * nij;
            pj[j] += nij;
        }
        if (row != m) {
            free(pj);
            return csf_error_set(err, CSF_ERR_INVALID_ARG,
                                 "subject %zu has %lu ratings, subject 0 has %lu", i, row, m);
        }
        psum += (sq - dm) / (dm * (dm - 1.0));
    }
    double pe = 0.0, s = 0.0, s3 = 0.0;
    for (size_t j = 0; j < k; j++) {
        pj[j] /= dn * dm;
        double q = 1.0 - pj[j];
        pe += pj[j] * pj[j];
        s += pj[j] * q;
        s3 += pj[j] * q * (q - pj[j]);
    }
    free(pj);
    out->nsubjects = nsubjects;
    out->nraters = m;
    out->k = k;
    out->pbar = psum / dn;
    out->pe = pe;
    if (pe >= 1.0 - 1e-12) {
        out->defined = 0;
        out->kappa = out->se0 = out->z = out->p = NAN;
        return CSF_OK;
    }
    out->defined = 1;
    out->kappa = (out->pbar - pe) / (1.0 - pe);
    double var0 = 2.0 / (dn * dm * (dm - 1.0)) * (s * s - s3) / (s * s);
    out->se0 = var0 > 0.0 ? sqrt(var0) : NAN;
    out->z = out->kappa / out->se0;
    out->p = 2.0 * csf_stats_norm_cdf(-fabs(out->z));
    return CSF_OK;
}

csf_status csf_stats_fleiss(const int *ratings, size_t nsubjects, size_t nraters, size_t k,
                            csf_fleiss *out, csf_error *err)
{
    if (nsubjects == 0 || k < 2 || k > 4096 || nraters < 2)
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "Fleiss' kappa needs subjects, >= 2 raters and 2..4096 categories");
    if (nsubjects > (size_t)-1 / sizeof(unsigned long) / k)
        return csf_error_set(err, CSF_ERR_NOMEM, "Fleiss' kappa table too large");
    unsigned long *counts = calloc(nsubjects * k, sizeof *counts);
    if (counts == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory for Fleiss' kappa");
    for (size_t i = 0; i < nsubjects; i++) {
        for (size_t r = 0; r < nraters; r++) {
            int v = ratings[i * nraters + r];
            if (v < 0 || (size_t)v >= k) {
                free(counts);
                return csf_error_set(err, CSF_ERR_INVALID_ARG,
                                     "subject %zu rater %zu: rating %d not in 0..%zu", i, r, v,
                                     k - 1);
            }
            counts[i * k + (size_t)v]++;
        }
    }
    csf_status st = csf_stats_fleiss_counts(counts, nsubjects, k, out, err);
    free(counts);
    return st;
}
