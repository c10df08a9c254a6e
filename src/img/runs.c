/* Run-length extraction of binary masks (private helper of label and morph). */
#include "img/runs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t csf_runs_row_grain(size_t nx)
{
    size_t g = (size_t)1 << 16;
    g /= nx == 0 ? 1 : nx;
    return g == 0 ? 1 : g;
}

csf_status csf_img_check_grid(const csf_volume *geom, const void *mask, const char *who,
                              csf_error *err)
{
    if (geom == NULL || mask == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "%s: grid or mask is NULL", who);
    size_t n = 1;
    for (int a = 0; a < 3; a++) {
        if (geom->dim[a] == 0 || geom->dim[a] > CSF_VOLUME_MAX_AXIS)
            return csf_error_set(err, CSF_ERR_INVALID_ARG, "%s: dimension %d is %zu voxels", who,
                                 a + 1, geom->dim[a]);
        if (!(isfinite(geom->spacing[a]) && geom->spacing[a] > 0))
            return csf_error_set(err, CSF_ERR_INVALID_ARG, "%s: voxel size %g mm along axis %d",
                                 who, geom->spacing[a], a + 1);
        n *= geom->dim[a];
    }
    if (n > CSF_VOLUME_MAX_VOXELS)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "%s: %zu voxels is above 2^31", who, n);
    return CSF_OK;
}

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* True when some byte of v is zero (the classic bit trick). */
static inline int has_zero_byte(uint64_t v)
{
    return ((v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull) != 0;
}

/* Counts the runs of one row, and stores them when x0 is non-NULL. Whole
 * 8-byte words are skipped at once: masks are mostly empty or mostly full. */
static size_t scan_row(const uint8_t *row, size_t nx, uint16_t *x0, uint16_t *x1)
{
    size_t i = 0, n = 0;
    while (i < nx) {
        while (i + 8 <= nx && load64(row + i) == 0)
            i += 8;
        while (i < nx && row[i] == 0)
            i++;
        if (i >= nx)
            break;
        size_t s = i;
        while (i + 8 <= nx && !has_zero_byte(load64(row + i)))
            i += 8;
        while (i < nx && row[i] != 0)
            i++;
        if (x0 != NULL) {
            x0[n] = (uint16_t)s;
            x1[n] = (uint16_t)(i - 1);
        }
        n++;
    }
    return n;
}

typedef struct runs_ctx {
    const uint8_t *mask;
    csf_runs *runs;
    int fill;
} runs_ctx;

static csf_status runs_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    (void)err;
    runs_ctx *c = vctx;
    csf_runs *R = c->runs;
    for (size_t r = b; r < e; r++) {
        const uint8_t *row = c->mask + r * R->nx;
        if (c->fill) {
            uint32_t s = R->row_start[r];
            scan_row(row, R->nx, R->x0 + s, R->x1 + s);
        } else {
            R->row_start[r + 1] = (uint32_t)scan_row(row, R->nx, NULL, NULL);
        }
    }
    return CSF_OK;
}

csf_status csf_runs_build(const csf_volume *geom, const uint8_t *mask, csf_runs *runs,
                          const csf_exec *ex, csf_error *err)
{
    memset(runs, 0, sizeof *runs);
    runs->nx = geom->dim[0];
    runs->ny = geom->dim[1];
    runs->nz = geom->dim[2];
    runs->nrows = runs->ny * runs->nz;
    runs->row_start = malloc((runs->nrows + 1) * sizeof *runs->row_start);
    if (runs->row_start == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu row offsets", runs->nrows);
    runs_ctx c = {mask, runs, 0};
    size_t grain = csf_runs_row_grain(runs->nx);
    csf_status st = csf_parallel_for(ex, runs->nrows, grain, runs_chunk, &c, err);
    if (st != CSF_OK)
        goto fail;
    /* At most nvox/2 runs and nvox <= 2^31: the uint32 prefix sum cannot overflow. */
    runs->row_start[0] = 0;
    for (size_t r = 0; r < runs->nrows; r++)
        runs->row_start[r + 1] += runs->row_start[r];
    runs->nruns = runs->row_start[runs->nrows];
    size_t n = runs->nruns ? runs->nruns : 1;
    runs->x0 = malloc(n * sizeof *runs->x0);
    runs->x1 = malloc(n * sizeof *runs->x1);
    if (runs->x0 == NULL || runs->x1 == NULL) {
        st = csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate %zu runs", runs->nruns);
        goto fail;
    }
    c.fill = 1;
    st = csf_parallel_for(ex, runs->nrows, grain, runs_chunk, &c, err);
    if (st == CSF_OK)
        return CSF_OK;
fail:
    csf_runs_release(runs);
    return st;
}

void csf_runs_release(csf_runs *runs)
{
    if (runs == NULL)
        return;
    free(runs->row_start);
    free(runs->x0);
    free(runs->x1);
    memset(runs, 0, sizeof *runs);
}
