/* Fixed-bin histograms. Workers count into per-thread slots (taken from a
 * small pool for the duration of one chunk) that are summed at the end:
 * integer addition is exact and commutative, so the counts are the same for
 * any thread count although the slot a chunk lands in is not. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/img_stats.h"
#include "stats_internal.h"

typedef struct hist_ctx {
    const float *data;
    csf_binmap map;
    float flo, fhi;
    uint64_t *slots; /* nslots * nbins */
    atomic_int *busy;
    size_t nslots;
} hist_ctx;

static size_t take_slot(hist_ctx *c)
{
    /* at most nslots chunks run at once, so a free slot always exists */
    for (;;)
        for (size_t s = 0; s < c->nslots; s++)
            if (atomic_exchange(&c->busy[s], 1) == 0)
                return s;
}

static csf_status hist_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    (void)err;
    hist_ctx *c = vctx;
    size_t s = take_slot(c);
    uint64_t *h = c->slots + s * c->map.nbins;
    const float *x = c->data;
    const float flo = c->flo, fhi = c->fhi;
    const csf_binmap m = c->map;
    for (size_t i = b; i < e; i++) {
        float v = x[i];
        if (v >= flo && v <= fhi)
            h[csf_binmap_index(&m, v)]++;
    }
    atomic_store(&c->busy[s], 0);
    return CSF_OK;
}

csf_status csf_stats_hist(const float *data, size_t n, const csf_binmap *m, float flo,
                          float fhi, uint64_t *counts, const csf_exec *ex, csf_error *err)
{
    if (n == 0)
        return CSF_OK;
    size_t nch = n / CSF_STATS_GRAIN + (n % CSF_STATS_GRAIN != 0);
    size_t nslots = (size_t)csf_exec_threads(ex);
    if (nslots > nch)
        nslots = nch;
    if (m->nbins > SIZE_MAX / sizeof(uint64_t) / nslots)
        return csf_error_set(err, CSF_ERR_NOMEM, "histogram of %zu bins is too large", m->nbins);
    hist_ctx c = {data, *m, flo, fhi, NULL, NULL, nslots};
    c.slots = calloc(nslots * m->nbins, sizeof *c.slots);
    c.busy = calloc(nslots, sizeof *c.busy);
    if (c.slots == NULL || c.busy == NULL) {
        free(c.slots);
        free(c.busy);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu x %zu histogram bins",
                             nslots, m->nbins);
    }
    for (size_t s = 0; s < nslots; s++)
        atomic_init(&c.busy[s], 0);
    csf_status st = csf_parallel_for(ex, n, CSF_STATS_GRAIN, hist_chunk, &c, err);
    if (st == CSF_OK)
        for (size_t s = 0; s < nslots; s++)
            for (size_t k = 0; k < m->nbins; k++)
                counts[k] += c.slots[s * m->nbins + k];
    free(c.slots);
    free(c.busy);
    return st;
}

csf_status csf_img_histogram(const float *data, size_t n, double lo, double hi,
                             size_t nbins, uint64_t *counts, const csf_exec *ex,
                             csf_error *err)
{
    if ((data == NULL && n > 0) || counts == NULL || nbins == 0)
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "csf_img_histogram: NULL argument or zero bins");
    if (!(isfinite(lo) && isfinite(hi) && hi >= lo))
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "histogram range [%g, %g] is not a finite interval", lo, hi);
    memset(counts, 0, nbins * sizeof *counts);
    csf_binmap m = csf_binmap_make(lo, hi, nbins);
    return csf_stats_hist(data, n, &m, -INFINITY, INFINITY, counts, ex, err);
}
