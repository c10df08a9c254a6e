/* Fixed-bin histograms. Workers count into per-thread slots (taken from a
 * small pool for the duration of one chunk) that are summed at the end:
 * integer addition is exact and commutative, so the counts are the same for
 * any thread count although the slot a chunk lands in is not. */
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/img_stats.h"
#include "stats_internal.h"
#include "simd_internal.h"

typedef struct hist_ctx {
    const float *data;
    csf_binmap map;
    float flo, fhi;
    uint64_t *slots; /* nslots * (nbins + 1) */
    atomic_int *busy;
    size_t nslots;
} hist_ctx;

static size_t take_slot(hist_ctx *c)
{
    /* a slot is free whenever fewer than nslots chunks run; otherwise wait */
    for (;;) {
        for (size_t s = 0; s < c->nslots; s++)
            if (atomic_exchange(&c->busy[s], 1) == 0)
                return s;
        sched_yield();
    }
}

/* Histograms up to this many bins are counted into 4 interleaved copies:
 * runs of equal values otherwise serialise on one counter's load/store. */
#define HIST_SPLIT_MAX_BINS ((size_t)4096)

static void count_block(const uint32_t *idx, size_t len, uint32_t *loc, size_t stride)
{
    size_t k = 0;
    for (; k + 4 <= len; k += 4) {
        loc[idx[k]]++;
        loc[stride + idx[k + 1]]++;
        loc[2 * stride + idx[k + 2]]++;
        loc[3 * stride + idx[k + 3]]++;
    }
    for (; k < len; k++)
        loc[idx[k]]++;
}

/* Small histograms: 4 chunk-local uint32 copies, added to the slot at the
 * end. Large ones: straight into the slot (one uint64 per bin, plus the
 * spare bin for filtered-out values), which would not fit 4 times in L2. */
CSF_HOT static csf_status hist_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    hist_ctx *c = vctx;
    const size_t nb = c->map.nbins;
    uint32_t *loc = NULL;
    if (nb <= HIST_SPLIT_MAX_BINS && (loc = calloc(4 * (nb + 1), sizeof *loc)) == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate a histogram");
    size_t s = take_slot(c);
    uint64_t *h = c->slots + s * (nb + 1);
    uint32_t idx[CSF_STATS_BLOCK];
    for (size_t i = b; i < e; i += CSF_STATS_BLOCK) {
        size_t len = e - i < CSF_STATS_BLOCK ? e - i : CSF_STATS_BLOCK;
        csf_binmap_block(c->data + i, len, &c->map, c->flo, c->fhi, idx);
        if (loc != NULL)
            count_block(idx, len, loc, nb + 1);
        else
            for (size_t k = 0; k < len; k++)
                h[idx[k]]++;
    }
    for (size_t q = 0; loc != NULL && q < 4; q++)
        for (size_t k = 0; k < nb; k++)
            h[k] += loc[q * (nb + 1) + k];
    atomic_store(&c->busy[s], 0);
    free(loc);
    return CSF_OK;
}

csf_status csf_stats_hist(const float *data, size_t n, const csf_binmap *m, float flo,
                          float fhi, uint64_t *counts, const csf_exec *ex, csf_error *err)
{
    if (n == 0)
        return CSF_OK;
    size_t nch = n / CSF_STATS_GRAIN + (n % CSF_STATS_GRAIN != 0);
    /* one slot per running chunk; past 32 threads, extra workers wait for a
     * slot (rare) instead of multiplying a 65536-bin histogram's memory */
    size_t nslots = (size_t)csf_exec_threads(ex);
    if (nslots > nch)
        nslots = nch;
    if (nslots > 32)
        nslots = 32;
    if (m->nbins > UINT32_MAX - 1 || m->nbins > SIZE_MAX / sizeof(uint64_t) / 4 / nslots)
        return csf_error_set(err, CSF_ERR_NOMEM, "histogram of %zu bins is too large", m->nbins);
    hist_ctx c = {data, *m, flo, fhi, NULL, NULL, nslots};
    c.slots = calloc(nslots * (m->nbins + 1), sizeof *c.slots);
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
                counts[k] += c.slots[s * (m->nbins + 1) + k];
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
