/* Range, count and mean of the finite values of a float array. */
#include <math.h>
#include <stdlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "csfleak/img_stats.h"
#include "stats_internal.h"

typedef struct range_ctx {
    const float *data;
    csf_stats_range *part; /* one per chunk, merged in chunk order */
} range_ctx;

#define RANGE_BLOCK 1024

/* Slow path for a block holding NaN or Inf: skip them. */
static void block_checked(const float *x, size_t n, float *mn, float *mx, double *sum, size_t *cnt)
{
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        if (isfinite(v)) {
            *mn = v < *mn ? v : *mn;
            *mx = v > *mx ? v : *mx;
            *sum += v;
            (*cnt)++;
        }
    }
}

/* Fast path over a whole block, ignoring the finite test: a NaN or Inf
 * makes the block's sum non-finite, and the block is then redone checked.
 * The lane pattern depends only on the block, so the sum is reproducible. */
#if defined(__SSE2__)
static int block_fast(const float *x, size_t n, float *mn, float *mx, double *sum)
{
    __m128 vmn = _mm_set1_ps(INFINITY), vmx = _mm_set1_ps(-INFINITY);
    __m128d s0 = _mm_setzero_pd(), s1 = _mm_setzero_pd();
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m128 v = _mm_loadu_ps(x + i);
        vmn = _mm_min_ps(vmn, v);
        vmx = _mm_max_ps(vmx, v);
        s0 = _mm_add_pd(s0, _mm_cvtps_pd(v));
        s1 = _mm_add_pd(s1, _mm_cvtps_pd(_mm_movehl_ps(v, v)));
    }
    float lmn[4], lmx[4];
    double l0[2], l1[2];
    _mm_storeu_ps(lmn, vmn);
    _mm_storeu_ps(lmx, vmx);
    _mm_storeu_pd(l0, s0);
    _mm_storeu_pd(l1, s1);
    double s = (l0[0] + l0[1]) + (l1[0] + l1[1]);
    for (; i < n; i++) {
        lmn[0] = x[i] < lmn[0] ? x[i] : lmn[0];
        lmx[0] = x[i] > lmx[0] ? x[i] : lmx[0];
        s += x[i];
    }
#else
static int block_fast(const float *x, size_t n, float *mn, float *mx, double *sum)
{
    float lmn[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
    float lmx[4] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY};
    double ls[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int k = 0; k < 4; k++) {
            float v = x[i + k];
            lmn[k] = v < lmn[k] ? v : lmn[k];
            lmx[k] = v > lmx[k] ? v : lmx[k];
            ls[k] += v;
        }
    double s = (ls[0] + ls[2]) + (ls[1] + ls[3]);
    for (; i < n; i++) {
        lmn[0] = x[i] < lmn[0] ? x[i] : lmn[0];
        lmx[0] = x[i] > lmx[0] ? x[i] : lmx[0];
        s += x[i];
    }
#endif
    if (!isfinite(s))
        return 0;
    for (int k = 0; k < 4; k++) {
        *mn = lmn[k] < *mn ? lmn[k] : *mn;
        *mx = lmx[k] > *mx ? lmx[k] : *mx;
    }
    *sum += s;
    return 1;
}

static csf_status range_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)err;
    range_ctx *c = vctx;
    float mn = INFINITY, mx = -INFINITY;
    double sum = 0;
    size_t cnt = 0;
    for (size_t i = b; i < e; i += RANGE_BLOCK) {
        size_t len = e - i < RANGE_BLOCK ? e - i : RANGE_BLOCK;
        if (block_fast(c->data + i, len, &mn, &mx, &sum))
            cnt += len;
        else
            block_checked(c->data + i, len, &mn, &mx, &sum, &cnt);
    }
    csf_stats_range *r = &c->part[chunk];
    r->mn = (double)mn + 0.0; /* -0.0 -> +0.0 */
    r->mx = (double)mx + 0.0;
    r->sum = sum;
    r->count = cnt;
    return CSF_OK;
}

csf_status csf_stats_range_of(const float *data, size_t n, csf_stats_range *r,
                              const csf_exec *ex, csf_error *err)
{
    r->mn = INFINITY;
    r->mx = -INFINITY;
    r->sum = 0;
    r->count = 0;
    if (n == 0)
        return CSF_OK;
    size_t nch = n / CSF_STATS_GRAIN + (n % CSF_STATS_GRAIN != 0);
    csf_stats_range *part = malloc(nch * sizeof *part);
    if (part == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu range chunks", nch);
    range_ctx c = {data, part};
    csf_status st = csf_parallel_for(ex, n, CSF_STATS_GRAIN, range_chunk, &c, err);
    if (st == CSF_OK)
        for (size_t k = 0; k < nch; k++) {
            if (part[k].count == 0)
                continue;
            r->mn = part[k].mn < r->mn ? part[k].mn : r->mn;
            r->mx = part[k].mx > r->mx ? part[k].mx : r->mx;
            r->sum += part[k].sum;
            r->count += part[k].count;
        }
    free(part);
    return st;
}

csf_status csf_img_minmax(const float *data, size_t n, double *min, double *max,
                          double *mean, const csf_exec *ex, csf_error *err)
{
    if ((data == NULL && n > 0) || min == NULL || max == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_img_minmax: NULL argument");
    csf_stats_range r;
    csf_status st = csf_stats_range_of(data, n, &r, ex, err);
    if (st != CSF_OK)
        return st;
    if (r.count == 0)
        return csf_error_set(err, CSF_ERR_FORMAT, "no finite value among %zu voxels", n);
    *min = r.mn;
    *max = r.mx;
    if (mean != NULL)
        *mean = r.sum / (double)r.count;
    return CSF_OK;
}
