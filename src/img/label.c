/* Connected components: union-find on runs, parallel per slab of slices.
 *
 * Runs are numbered in raster order and every union links the larger root to
 * the smaller one, so each component's root is its first run, i.e. the run
 * holding its first voxel in raster order. Numbering roots in run order gives
 * the canonical raster-order labels whatever the slab split or thread count. */
#include "csfleak/img_label.h"

#include <stdlib.h>
#include <string.h>

#include "img/runs.h"

typedef struct label_ctx {
    const csf_runs *runs;
    uint32_t *parent;
    const uint32_t *run_label;
    uint32_t *labels;
    int conn;
    size_t slab; /* slices per slab */
} label_ctx;

static uint32_t uf_find(uint32_t *parent, uint32_t a)
{
    while (parent[a] != a) {
        parent[a] = parent[parent[a]]; /* path halving */
        a = parent[a];
    }
    return a;
}

static void uf_union(uint32_t *parent, uint32_t a, uint32_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

/* Unites overlapping runs of rows ra and rb. ext = 1 also joins runs whose
 * ends are one voxel apart along i (diagonal contact). Advancing the run that
 * ends first is safe: runs of one row are separated by at least one voxel. */
static void join_rows(const csf_runs *R, uint32_t *parent, size_t ra, size_t rb, int ext)
{
    uint32_t a = R->row_start[ra], ae = R->row_start[ra + 1];
    uint32_t b = R->row_start[rb], be = R->row_start[rb + 1];
    while (a < ae && b < be) {
        int a0 = R->x0[a], a1 = R->x1[a], b0 = R->x0[b], b1 = R->x1[b];
        if (a0 <= b1 + ext && b0 <= a1 + ext)
            uf_union(parent, a, b);
        if (a1 < b1)
            a++;
        else if (b1 < a1)
            b++;
        else {
            a++;
            b++;
        }
    }
}

/* Joins row (j,k) to its neighbour rows that come earlier in raster order;
 * rows of slice k-1 only when with_prev is set. */
static void join_row_back(const csf_runs *R, uint32_t *parent, size_t j, size_t k, int conn,
                          int with_prev)
{
    size_t r = j + R->ny * k;
    int face_ext = conn == CSF_CONN_6 ? 0 : 1; /* one axis step plus a step along i */
    if (j > 0)
        join_rows(R, parent, r, r - 1, face_ext);
    if (!with_prev || k == 0)
        return;
    join_rows(R, parent, r, r - R->ny, face_ext);
    if (conn == CSF_CONN_6)
        return;
    int diag_ext = conn == CSF_CONN_26 ? 1 : 0; /* 18: j and k both step, i may not */
    if (j > 0)
        join_rows(R, parent, r, r - R->ny - 1, diag_ext);
    if (j + 1 < R->ny)
        join_rows(R, parent, r, r - R->ny + 1, diag_ext);
}

static csf_status slab_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    (void)err;
    label_ctx *c = vctx;
    const csf_runs *R = c->runs;
    for (uint32_t r = R->row_start[b * R->ny]; r < R->row_start[e * R->ny]; r++)
        c->parent[r] = r;
    for (size_t k = b; k < e; k++)
        for (size_t j = 0; j < R->ny; j++)
            join_row_back(R, c->parent, j, k, c->conn, k > b);
    return CSF_OK;
}

static csf_status paint_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    (void)err;
    label_ctx *c = vctx;
    const csf_runs *R = c->runs;
    for (size_t row = b; row < e; row++) {
        uint32_t *out = c->labels + row * R->nx;
        memset(out, 0, R->nx * sizeof *out);
        for (uint32_t r = R->row_start[row]; r < R->row_start[row + 1]; r++)
            for (size_t x = R->x0[r]; x <= R->x1[r]; x++)
                out[x] = c->run_label[r];
    }
    return CSF_OK;
}

/* Raster-order numbering; parent[] is fully compressed on the way since every
 * run's parent precedes it. */
static size_t number_runs(const csf_runs *R, uint32_t *parent, uint32_t *run_label)
{
    uint32_t n = 0;
    for (uint32_t r = 0; r < R->nruns; r++) {
        uint32_t p = parent[r];
        if (p == r) {
            run_label[r] = ++n;
        } else {
            parent[r] = parent[p];
            run_label[r] = run_label[parent[r]];
        }
    }
    return n;
}

static csf_status union_all(label_ctx *c, const csf_exec *ex, csf_error *err)
{
    const csf_runs *R = c->runs;
    size_t slice = R->nx * R->ny;
    c->slab = ((size_t)1 << 20) / slice;
    if (c->slab == 0)
        c->slab = 1;
    csf_status st = csf_parallel_for(ex, R->nz, c->slab, slab_chunk, c, err);
    if (st != CSF_OK)
        return st;
    /* Slab seams, serially: few rows, and unions may cross any slabs. */
    for (size_t k = c->slab; k < R->nz; k += c->slab)
        for (size_t j = 0; j < R->ny; j++) {
            size_t r = j + R->ny * k;
            int face_ext = c->conn == CSF_CONN_6 ? 0 : 1;
            join_rows(R, c->parent, r, r - R->ny, face_ext);
            if (c->conn == CSF_CONN_6)
                continue;
            int diag_ext = c->conn == CSF_CONN_26 ? 1 : 0;
            if (j > 0)
                join_rows(R, c->parent, r, r - R->ny - 1, diag_ext);
            if (j + 1 < R->ny)
                join_rows(R, c->parent, r, r - R->ny + 1, diag_ext);
        }
    return CSF_OK;
}

csf_status csf_img_label_runs(const csf_volume *geom, const uint8_t *mask, csf_connectivity conn,
                              csf_runs *runs, uint32_t **run_label, size_t *ncomp,
                              const csf_exec *ex, csf_error *err)
{
    csf_status st = csf_img_check_grid(geom, mask, "label", err);
    if (st != CSF_OK)
        return st;
    if (conn != CSF_CONN_6 && conn != CSF_CONN_18 && conn != CSF_CONN_26)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "label: connectivity %d is not 6, 18 or 26",
                             (int)conn);
    st = csf_runs_build(geom, mask, runs, ex, err);
    if (st != CSF_OK)
        return st;
    uint32_t *parent = malloc((runs->nruns ? runs->nruns : 1) * sizeof *parent);
    uint32_t *lab = malloc((runs->nruns ? runs->nruns : 1) * sizeof *lab);
    if (parent == NULL || lab == NULL) {
        st = csf_error_set(err, CSF_ERR_NOMEM, "label: cannot allocate %zu runs", runs->nruns);
        goto done;
    }
    label_ctx c = {.runs = runs, .parent = parent, .conn = (int)conn};
    st = union_all(&c, ex, err);
    if (st == CSF_OK)
        st = csf_exec_progress(ex, "label", 0.5, err);
    if (st != CSF_OK)
        goto done;
    *ncomp = number_runs(runs, parent, lab);
    *run_label = lab;
    lab = NULL;
done:
    free(parent);
    free(lab);
    if (st != CSF_OK)
        csf_runs_release(runs);
    return st;
}

csf_status csf_img_label(const csf_volume *geom, const uint8_t *mask, csf_connectivity conn,
                         uint32_t *labels, size_t *ncomp, csf_component **comps,
                         const csf_exec *ex, csf_error *err)
{
    if (ncomp == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "label: ncomp is NULL");
    csf_runs R = {0};
    uint32_t *run_label = NULL;
    size_t n = 0;
    csf_status st = csf_img_label_runs(geom, mask, conn, &R, &run_label, &n, ex, err);
    if (st != CSF_OK)
        return st;
    if (labels != NULL) {
        label_ctx c = {.runs = &R, .run_label = run_label, .labels = labels};
        st = csf_parallel_for(ex, R.nrows, csf_runs_row_grain(R.nx), paint_chunk, &c, err);
    }
    csf_component *cs = NULL;
    if (st == CSF_OK && comps != NULL)
        st = csf_img_component_stats(geom, &R, run_label, n, &cs, err);
    if (st == CSF_OK) {
        if (comps != NULL)
            *comps = cs;
        *ncomp = n;
    }
    free(run_label);
    csf_runs_release(&R);
    return st;
}

csf_status csf_img_label_as_runs(const csf_volume *geom, const uint8_t *mask,
                                 csf_connectivity conn, csf_label_runs *out, size_t *ncomp,
                                 csf_component **comps, const csf_exec *ex, csf_error *err)
{
    if (out == NULL || ncomp == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "label: out or ncomp is NULL");
    memset(out, 0, sizeof *out);
    csf_runs R = {0};
    uint32_t *run_label = NULL;
    size_t n = 0;
    csf_status st = csf_img_label_runs(geom, mask, conn, &R, &run_label, &n, ex, err);
    if (st != CSF_OK)
        return st;
    csf_component *cs = NULL;
    if (comps != NULL)
        st = csf_img_component_stats(geom, &R, run_label, n, &cs, err);
    if (st != CSF_OK) {
        free(run_label);
        csf_runs_release(&R);
        return st;
    }
    if (comps != NULL)
        *comps = cs;
    *ncomp = n;
    *out = (csf_label_runs){R.nx, R.ny, R.nz, R.nruns, R.row_start, R.x0, R.x1, run_label};
    return CSF_OK;
}

void csf_label_runs_release(csf_label_runs *lr)
{
    if (lr == NULL)
        return;
    free(lr->row_start);
    free(lr->x0);
    free(lr->x1);
    free(lr->label);
    memset(lr, 0, sizeof *lr);
}
