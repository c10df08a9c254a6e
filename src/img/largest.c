/* The largest connected component of a mask, straight from the labelled runs:
 * no label image is written, so this costs about one labelling of the runs
 * plus one pass over the output. */
#include "csfleak/img_label.h"

#include <stdlib.h>
#include <string.h>

#include "img/runs.h"

typedef struct keep_ctx {
    const csf_runs *R;
    const uint32_t *run_label;
    uint32_t keep;
    uint8_t *out;
} keep_ctx;

static csf_status keep_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    (void)err;
    keep_ctx *c = vctx;
    const csf_runs *R = c->R;
    for (size_t row = b; row < e; row++) {
        uint8_t *o = c->out + row * R->nx;
        memset(o, 0, R->nx);
        for (uint32_t r = R->row_start[row]; r < R->row_start[row + 1]; r++)
            if (c->run_label[r] == c->keep)
                memset(o + R->x0[r], 1, (size_t)R->x1[r] - R->x0[r] + 1);
    }
    return CSF_OK;
}

csf_status csf_img_largest_component(const csf_volume *geom, const uint8_t *mask,
                                     csf_connectivity conn, uint8_t *out, size_t *voxels,
                                     const csf_exec *ex, csf_error *err)
{
    if (out == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "largest component: output is NULL");
    csf_runs R = {0};
    uint32_t *run_label = NULL;
    size_t ncomp = 0;
    csf_status st = csf_img_label_runs(geom, mask, conn, &R, &run_label, &ncomp, ex, err);
    if (st != CSF_OK)
        return st;
    size_t *count = calloc(ncomp ? ncomp : 1, sizeof *count);
    if (count == NULL) {
        st = csf_error_set(err, CSF_ERR_NOMEM, "largest component: cannot count %zu components", ncomp);
        goto done;
    }
    for (uint32_t r = 0; r < R.nruns; r++)
        count[run_label[r] - 1] += (size_t)R.x1[r] - R.x0[r] + 1;
    size_t best = 0; /* strict > keeps the first in raster order on ties */
    for (size_t i = 1; i < ncomp; i++)
        if (count[i] > count[best])
            best = i;
    keep_ctx c = {&R, run_label, ncomp ? (uint32_t)(best + 1) : 0, out};
    st = csf_parallel_for(ex, R.nrows, csf_runs_row_grain(R.nx), keep_chunk, &c, err);
    if (st == CSF_OK && voxels != NULL)
        *voxels = ncomp ? count[best] : 0;
done:
    free(count);
    free(run_label);
    csf_runs_release(&R);
    return st;
}
