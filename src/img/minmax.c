/* Range, count and mean of the finite values of a float array. */
#include <math.h>
#include <stdlib.h>

#include "csfleak/img_stats.h"
#include "stats_internal.h"

typedef struct range_ctx {
    const float *data;
    csf_stats_range *part; /* one per chunk, merged in chunk order */
} range_ctx;

static csf_status range_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)err;
    range_ctx *c = vctx;
    const float *x = c->data;
    float mn = INFINITY, mx = -INFINITY;
    double sum = 0;
    size_t cnt = 0;
    for (size_t i = b; i < e; i++) {
        float v = x[i];
        if (isfinite(v)) {
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
            sum += v;
            cnt++;
        }
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
