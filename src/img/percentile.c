/* Exact percentiles without sorting. A histogram of 65536 bins over the
 * value range locates the bin holding each wanted rank; one more pass
 * gathers just the values of those bins, and a selection inside each gives
 * the exact order statistic. A bin too full to gather is narrowed to the
 * [min, max] of its values and treated the same way, recursively: the bin
 * map is monotone, so the values of one bin are exactly the values of that
 * interval. Typical cost: three passes over the data (range, histogram,
 * gather), against a full copy and partition for numpy. */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/img_stats.h"
#include "stats_internal.h"
#include "simd_internal.h"

#define PCT_NBINS ((size_t)1 << 16)
/* A bin is gathered when it holds at most n/16 values (within [2^10, 2^22]):
 * bounded extra memory, and small inputs exercise the narrowing path too. */
#define PCT_GATHER_MIN ((size_t)1 << 10)
#define PCT_GATHER_MAX ((size_t)1 << 22)
#define PCT_STAGE 256
/* Up to this many target bins, the gather pass tests value intervals (a few
 * vector compares per 16 voxels) instead of computing every voxel's bin. */
#define PCT_FEW 8
#define PCT_RUN 16

typedef struct sel {
    const float *data;
    size_t n;
    const csf_exec *ex;
    const size_t *rank; /* wanted ranks among the finite values, ascending, unique */
    double *val;        /* their values */
} sel;

/* One bin that holds wanted ranks. */
typedef struct target {
    size_t bin, count, below; /* values in the bin; finite values before it */
    size_t r0, r1;            /* wanted ranks rank[r0..r1) fall in this bin */
    float *buf;               /* gathered values, or NULL when count > cap */
    atomic_size_t fill;
    float mn, mx;             /* of the bin's values (merged per chunk) */
} target;

typedef struct gather_ctx {
    const float *data;
    csf_binmap map;
    float a, b;
    const int32_t *slot_of_bin; /* bin -> target, -1 (used when nt > PCT_FEW) */
    float lo[PCT_FEW], hi[PCT_FEW]; /* exact value range of each target bin */
    target *t;
    size_t nt;
    float *part; /* per chunk, per target: min then max */
} gather_ctx;

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static void swapf(float *a, size_t i, size_t j)
{
    float t = a[i];
    a[i] = a[j];
    a[j] = t;
}

/* Rearranges a[lo..hi) so that a[k] holds the value it would have if sorted,
 * smaller-or-equal values before it; returns a[k]. Three-way partitions, as a
 * bin of integer-valued data is mostly duplicates; falls back to qsort after
 * a depth budget so adversarial input stays O(n log n). */
static float select_kth(float *a, size_t lo, size_t hi, size_t k)
{
    size_t budget = 64;
    while (hi - lo > 16) {
        if (budget-- == 0) {
            qsort(a + lo, hi - lo, sizeof *a, cmp_float);
            return a[k];
        }
        float x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1];
        float piv = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            if (a[i] < piv)
                swapf(a, lt++, i++);
            else if (a[i] > piv)
                swapf(a, i, --gt);
            else
                i++;
        }
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return piv;
    }
    for (size_t i = lo + 1; i < hi; i++) {
        float v = a[i];
        size_t j = i;
        for (; j > lo && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
    return a[k];
}

static void flush(target *t, const float *stage, size_t k)
{
    size_t pos = atomic_fetch_add(&t->fill, k);
    if (pos + k <= t->count) /* guarded: a miscount is reported by the caller */
        memcpy(t->buf + pos, stage, k * sizeof *stage);
}

/* Per-chunk state of the gather pass. */
typedef struct gather_local {
    float *stage, *mm;
    size_t *ns;
} gather_local;

static void take(const gather_ctx *c, gather_local *l, int32_t s, float v)
{
    v += 0.0f; /* one zero: selection among equal keys must not see two */
    l->mm[2 * s] = v < l->mm[2 * s] ? v : l->mm[2 * s];
    l->mm[2 * s + 1] = v > l->mm[2 * s + 1] ? v : l->mm[2 * s + 1];
    if (c->t[s].buf == NULL)
        return;
    l->stage[(size_t)s * PCT_STAGE + l->ns[s]++] = v;
    if (l->ns[s] == PCT_STAGE) {
        flush(&c->t[s], l->stage + (size_t)s * PCT_STAGE, PCT_STAGE);
        l->ns[s] = 0;
    }
}

CSF_HOT static void scan_table(const gather_ctx *c, gather_local *l, size_t b, size_t e)
{
    uint32_t idx[CSF_STATS_BLOCK];
    for (size_t i0 = b; i0 < e; i0 += CSF_STATS_BLOCK) {
        size_t len = e - i0 < CSF_STATS_BLOCK ? e - i0 : CSF_STATS_BLOCK;
        csf_binmap_block(c->data + i0, len, &c->map, c->a, c->b, idx);
        for (size_t q = 0; q < len; q++) {
            int32_t s = c->slot_of_bin[idx[q]]; /* spare index nbins maps to -1 */
            if (s >= 0)
                take(c, l, s, c->data[i0 + q]);
        }
    }
}

/* Runs of PCT_RUN voxels with no value in any target interval (most of
 * them) cost a few vectorised compares. */
CSF_HOT static void scan_intervals(const gather_ctx *c, gather_local *l, size_t b, size_t e)
{
    const float *x = c->data;
    for (size_t i0 = b; i0 < e; i0 += PCT_RUN) {
        const size_t len = e - i0 < PCT_RUN ? e - i0 : PCT_RUN;
        int any = 0;
        for (size_t s = 0; s < c->nt; s++) {
            const float lo = c->lo[s], hi = c->hi[s];
            for (size_t k = 0; k < len; k++)
                any |= (x[i0 + k] >= lo) & (x[i0 + k] <= hi);
        }
        if (!any)
            continue;
        for (size_t k = 0; k < len; k++) {
            const float v = x[i0 + k];
            for (size_t s = 0; s < c->nt; s++)
                if (v >= c->lo[s] && v <= c->hi[s]) {
                    take(c, l, (int32_t)s, v);
                    break;
                }
        }
    }
}

static csf_status gather_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    gather_ctx *c = vctx;
    gather_local l = {malloc(c->nt * PCT_STAGE * sizeof(float)), c->part + chunk * 2 * c->nt,
                      calloc(c->nt, sizeof(size_t))};
    if (l.stage == NULL || l.ns == NULL) {
        free(l.stage);
        free(l.ns);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate percentile staging");
    }
    for (size_t s = 0; s < c->nt; s++) {
        l.mm[2 * s] = INFINITY;
        l.mm[2 * s + 1] = -INFINITY;
    }
    if (c->nt <= PCT_FEW)
        scan_intervals(c, &l, b, e);
    else
        scan_table(c, &l, b, e);
    for (size_t s = 0; s < c->nt; s++)
        if (l.ns[s] > 0)
            flush(&c->t[s], l.stage + s * PCT_STAGE, l.ns[s]);
    free(l.stage);
    free(l.ns);
    return CSF_OK;
}

/* Order-preserving map of floats to unsigned keys (-0 just below +0). */
static uint32_t fkey(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return (u & 0x80000000u) ? ~u : u | 0x80000000u;
}

static float fval(uint32_t k)
{
    uint32_t u = (k & 0x80000000u) ? k & 0x7fffffffu : ~k;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* Key of the smallest float in [a, b] whose bin is >= bin (fkey(b) + 1 if
 * none): bisection, valid because the bin map is monotone. */
static uint32_t first_key_of_bin(const csf_binmap *m, float a, float b, size_t bin)
{
    uint32_t lo = fkey(a), hi = fkey(b) + 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (csf_binmap_index(m, fval(mid)) >= bin)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Finds the bins of ranks rank[r0..r1) given the histogram; fills t[] and
 * returns how many bins. */
static size_t find_targets(const sel *s, const uint64_t *h, size_t below, size_t r0,
                           size_t r1, target *t)
{
    size_t nt = 0, cum = below, r = r0;
    for (size_t k = 0; k < PCT_NBINS && r < r1; k++) {
        if (s->rank[r] >= cum + h[k]) {
            cum += h[k];
            continue;
        }
        target *tg = &t[nt++];
        memset(tg, 0, sizeof *tg);
        tg->bin = k;
        tg->count = h[k];
        tg->below = cum;
        tg->r0 = r;
        while (r < r1 && s->rank[r] < cum + h[k])
            r++;
        tg->r1 = r;
        cum += h[k];
    }
    return nt;
}

static csf_status select_in(const sel *s, float a, float b, size_t below, size_t r0,
                            size_t r1, csf_error *err);

/* Second half of select_in: gathers the target bins and selects in them. */
static csf_status resolve_targets(const sel *s, gather_ctx *g, csf_error *err)
{
    size_t nch = s->n / CSF_STATS_GRAIN + (s->n % CSF_STATS_GRAIN != 0);
    g->part = malloc(nch * 2 * g->nt * sizeof *g->part);
    if (g->part == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate percentile bins");
    csf_status st = csf_parallel_for(s->ex, s->n, CSF_STATS_GRAIN, gather_chunk, g, err);
    for (size_t q = 0; q < g->nt && st == CSF_OK; q++) {
        target *t = &g->t[q];
        t->mn = INFINITY;
        t->mx = -INFINITY;
        for (size_t k = 0; k < nch; k++) {
            t->mn = g->part[(k * g->nt + q) * 2] < t->mn ? g->part[(k * g->nt + q) * 2] : t->mn;
            t->mx = g->part[(k * g->nt + q) * 2 + 1] > t->mx ? g->part[(k * g->nt + q) * 2 + 1]
                                                             : t->mx;
        }
        if (t->buf != NULL && atomic_load(&t->fill) != t->count)
            st = csf_error_set(err, CSF_ERR_INTERNAL, "percentile gather miscounted a bin");
        else if (t->buf != NULL || t->mn == t->mx) {
            size_t lo = 0;
            for (size_t r = t->r0; r < t->r1; r++) {
                size_t k = s->rank[r] - t->below;
                s->val[r] = t->buf ? select_kth(t->buf, lo, t->count, k) : t->mn;
                lo = k + 1;
            }
        } else if (!(t->mn > g->a || t->mx < g->b)) {
            st = csf_error_set(err, CSF_ERR_INTERNAL, "percentile bin did not narrow");
        } else {
            csf_exec_log(s->ex, CSF_LOG_DEBUG, "percentiles: narrowing a bin of %zu values to [%g, %g]",
                         t->count, (double)t->mn, (double)t->mx);
            st = select_in(s, t->mn, t->mx, t->below, t->r0, t->r1, err);
        }
    }
    free(g->part);
    return st;
}

/* Values of ranks rank[r0..r1), all among the `below`-th.. smallest values
 * that lie in [a, b]. */
static csf_status select_in(const sel *s, float a, float b, size_t below, size_t r0,
                            size_t r1, csf_error *err)
{
    if (a == b) {
        for (size_t r = r0; r < r1; r++)
            s->val[r] = a;
        return CSF_OK;
    }
    uint64_t *h = calloc(PCT_NBINS, sizeof *h);
    int32_t *slot = malloc((PCT_NBINS + 1) * sizeof *slot);
    target *t = calloc(r1 - r0, sizeof *t);
    gather_ctx g = {s->data, csf_binmap_make(a, b, PCT_NBINS), a, b, slot, {0}, {0}, t, 0, NULL};
    csf_status st = CSF_OK;
    if (h == NULL || slot == NULL || t == NULL) {
        st = csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate percentile histogram");
        goto done;
    }
    st = csf_stats_hist(s->data, s->n, &g.map, a, b, h, s->ex, err);
    if (st != CSF_OK)
        goto done;
    size_t cap = s->n / 16;
    cap = cap < PCT_GATHER_MIN ? PCT_GATHER_MIN : (cap > PCT_GATHER_MAX ? PCT_GATHER_MAX : cap);
    g.nt = find_targets(s, h, below, r0, r1, t);
    for (size_t k = 0; k <= PCT_NBINS; k++)
        slot[k] = -1;
    for (size_t q = 0; q < g.nt; q++) {
        slot[t[q].bin] = (int32_t)q;
        if (q < PCT_FEW) { /* a bin with values has a non-empty interval */
            g.lo[q] = fval(first_key_of_bin(&g.map, a, b, t[q].bin));
            g.hi[q] = fval(first_key_of_bin(&g.map, a, b, t[q].bin + 1) - 1);
        }
        if (t[q].count <= cap) {
            t[q].buf = malloc((t[q].count ? t[q].count : 1) * sizeof(float));
            if (t[q].buf == NULL) {
                st = csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu values", t[q].count);
                goto done;
            }
        }
        atomic_init(&t[q].fill, 0);
    }
    st = resolve_targets(s, &g, err);
done:
    for (size_t q = 0; t != NULL && q < g.nt; q++)
        free(t[q].buf);
    free(t);
    free(slot);
    free(h);
    return st;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static double value_of(const sel *s, size_t nr, size_t rank)
{
    const size_t *hit = bsearch(&rank, s->rank, nr, sizeof rank, cmp_size);
    return s->val[hit - s->rank];
}

/* numpy's _lerp: the form chosen by t keeps the result exact at both ends */
static double lerp(double a, double b, double t)
{
    double d = b - a;
    return t >= 0.5 ? b - d * (1.0 - t) : a + d * t;
}

csf_status csf_img_percentiles(const float *data, size_t n, const double *p, size_t np,
                               double *out, const csf_exec *ex, csf_error *err)
{
    if ((data == NULL && n > 0) || ((p == NULL || out == NULL) && np > 0))
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_img_percentiles: NULL argument");
    for (size_t k = 0; k < np; k++)
        if (!(p[k] >= 0 && p[k] <= 100))
            return csf_error_set(err, CSF_ERR_INVALID_ARG,
                                 "percentile %g is outside [0, 100]", p[k]);
    csf_stats_range r;
    csf_status st = csf_stats_range_of(data, n, &r, ex, err);
    if (st != CSF_OK)
        return st;
    if (r.count == 0)
        return csf_error_set(err, CSF_ERR_FORMAT, "no finite value among %zu voxels", n);
    if (np == 0)
        return CSF_OK;
    size_t *rank = malloc(2 * np * sizeof *rank);
    double *val = malloc(2 * np * sizeof *val);
    if (rank == NULL || val == NULL) {
        free(rank);
        free(val);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu percentiles", np);
    }
    /* virtual index (m - 1) q as numpy's "linear" method */
    const double m1 = (double)(r.count - 1);
    for (size_t k = 0; k < np; k++) {
        double h = m1 * (p[k] / 100.0);
        size_t lo = (size_t)floor(h);
        rank[2 * k] = lo < r.count ? lo : r.count - 1;
        rank[2 * k + 1] = lo + 1 < r.count ? lo + 1 : r.count - 1;
    }
    qsort(rank, 2 * np, sizeof *rank, cmp_size);
    size_t nr = 0;
    for (size_t k = 0; k < 2 * np; k++)
        if (nr == 0 || rank[k] != rank[nr - 1])
            rank[nr++] = rank[k];
    sel s = {data, n, ex, rank, val};
    st = select_in(&s, (float)r.mn, (float)r.mx, 0, 0, nr, err);
    for (size_t k = 0; k < np && st == CSF_OK; k++) {
        double h = m1 * (p[k] / 100.0);
        double fl = floor(h);
        size_t lo = (size_t)fl < r.count ? (size_t)fl : r.count - 1;
        size_t hi = lo + 1 < r.count ? lo + 1 : r.count - 1;
        out[k] = lerp(value_of(&s, nr, lo), value_of(&s, nr, hi), h - fl) + 0.0;
    }
    free(rank);
    free(val);
    return st;
}
