/* Bright 2D components of one axial slice: the sac candidates. A dedicated
 * per-slice labeller (union-find, 8-connectivity, provisional labels in a
 * caller scratch buffer) so that the tracker can run slices in parallel
 * without allocating a full-volume label map. */
#include <stdlib.h>
#include <string.h>

#include "spine_internal.h"

static uint32_t uf_find(uint32_t *par, uint32_t x)
{
    while (par[x] != x) {
        par[x] = par[par[x]];
        x = par[x];
    }
    return x;
}

static void uf_union(uint32_t *par, uint32_t a, uint32_t b)
{
    a = uf_find(par, a);
    b = uf_find(par, b);
    if (a < b)
        par[b] = a;
    else if (b < a)
        par[a] = b;
}

typedef struct acc {
    double n, si, sj;
    size_t imin, imax, jmin, jmax;
} acc;

/* First pass: provisional labels; each pixel gets the smallest neighbour
 * label among the already visited 8-neighbours. Returns labels used + 1. */
static uint32_t first_pass(const float *sl, size_t nx, size_t ny, float thr, uint32_t *lab,
                           uint32_t *par, uint32_t cap)
{
    uint32_t next = 1;
    for (size_t j = 0; j < ny; j++) {
        for (size_t i = 0; i < nx; i++) {
            size_t v = i + nx * j;
            lab[v] = 0;
            if (!(sl[v] > thr))
                continue;
            uint32_t nb[4];
            int nn = 0;
            if (i > 0 && lab[v - 1])
                nb[nn++] = lab[v - 1];
            if (j > 0) {
                if (lab[v - nx])
                    nb[nn++] = lab[v - nx];
                if (i > 0 && lab[v - nx - 1])
                    nb[nn++] = lab[v - nx - 1];
                if (i + 1 < nx && lab[v - nx + 1])
                    nb[nn++] = lab[v - nx + 1];
            }
            if (nn == 0) {
                if (next >= cap)
                    continue; /* pathological noise: drop the pixel */
                par[next] = next;
                lab[v] = next++;
                continue;
            }
            uint32_t m = nb[0];
            for (int q = 1; q < nn; q++)
                if (nb[q] < m)
                    m = nb[q];
            lab[v] = m;
            for (int q = 0; q < nn; q++)
                uf_union(par, m, nb[q]);
        }
    }
    return next;
}

static int cmp_cand(const void *a, const void *b)
{
    const csf_slice_cand *x = a, *y = b;
    return (x->area_mm2 < y->area_mm2) - (x->area_mm2 > y->area_mm2);
}

size_t csf_slice_components(const float *slice, size_t nx, size_t ny, double sx, double sy,
                            float thr, double amin, double amax, uint32_t *scratch,
                            csf_slice_cand *cands, size_t max)
{
    size_t npx = nx * ny;
    uint32_t cap = (uint32_t)(npx / 2 + 2);
    uint32_t *par = malloc((size_t)cap * sizeof *par);
    if (par == NULL)
        return 0;
    uint32_t nl = first_pass(slice, nx, ny, thr, scratch, par, cap);
    acc *a = calloc(nl, sizeof *a);
    if (a == NULL) {
        free(par);
        return 0;
    }
    for (size_t j = 0; j < ny; j++)
        for (size_t i = 0; i < nx; i++) {
            uint32_t l = scratch[i + nx * j];
            if (!l)
                continue;
            acc *c = &a[uf_find(par, l)];
            if (c->n == 0) {
                c->imin = c->imax = i;
                c->jmin = c->jmax = j;
            }
            c->n += 1;
            c->si += (double)i;
            c->sj += (double)j;
            if (i < c->imin) c->imin = i;
            if (i > c->imax) c->imax = i;
            if (j < c->jmin) c->jmin = j;
            if (j > c->jmax) c->jmax = j;
        }
    size_t nc = 0;
    csf_slice_cand tmp[64] = {0}; /* the loop fills the first nc; cppcheck cannot follow it */
    for (uint32_t l = 1; l < nl; l++) {
        if (a[l].n == 0)
            continue;
        double area = a[l].n * sx * sy;
        if (area < amin || area > amax)
            continue;
        csf_slice_cand c = {a[l].si / a[l].n, a[l].sj / a[l].n, area,
                            (double)(a[l].imax - a[l].imin + 1) * sx,
                            (double)(a[l].jmax - a[l].jmin + 1) * sy};
        if (nc < 64) {
            tmp[nc++] = c;
        } else { /* keep the 64 largest */
            size_t lo = 0;
            for (size_t q = 1; q < nc; q++)
                if (tmp[q].area_mm2 < tmp[lo].area_mm2)
                    lo = q;
            if (tmp[lo].area_mm2 < area)
                tmp[lo] = c;
        }
    }
    qsort(tmp, nc, sizeof tmp[0], cmp_cand);
    if (nc > max)
        nc = max;
    memcpy(cands, tmp, nc * sizeof tmp[0]);
    free(a);
    free(par);
    return nc;
}
