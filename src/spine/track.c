/* Step 2: the thecal sac is the longest chain of bright slice components
 * that moves smoothly from slice to slice. Kidneys, bladder and bowel are
 * bright too, but none is continuous over more than ~15 cm, while the sac
 * runs the whole field of view: a longest-path search (dynamic programming
 * over slices) separates them without any intensity rule. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spine_internal.h"

/* Anatomy: the sac cross-section is 30-400 mm^2; with root sleeves or
 * leaks attached in a slice it can reach several times that. The tapering
 * end at S2 is a few mm across. */
#define SAC_AREA_MIN_MM2 6.0
#define SAC_AREA_MAX_MM2 2500.0
#define SAC_LEN_MIN_MM 1.5
#define SAC_LEN_MAX_MM 60.0
/* The centreline moves at most ~1 mm per mm of height (lordosis/kyphosis
 * angles stay below 45 degrees), plus half a sac width for the centroid
 * jitter that attached sleeves and partial-volume rims cause. */
#define TRACK_JITTER_MM 6.0
/* A slice component of typical sac size counts fully; larger or smaller ones
 * (cisterns, sac with attachments, tapering end, fat on standard T2) half. */
#define SAC_TYPICAL_MIN_MM2 30.0
#define SAC_TYPICAL_MAX_MM2 600.0
#define TRACK_SLOPE 1.0
/* Slices where a leak or cyst merges with the sac (the component is huge or
 * its centroid is pulled sideways) are bridged: up to 80 mm of height (two
 * adjacent lumbar levels), with a tighter allowance for the skipped part. */
#define TRACK_GAP_MM 80.0
#define TRACK_GAP_SLOPE 0.3
#define TAIL_MM 25.0

/* 2D projection: the cord's shadow can fall below the tracking threshold and
 * split a row of the sac into its two lateral CSF columns. A dark run
 * between bright ones no wider than the widest cord (~13 mm transverse at
 * the cervical enlargement) is filled, so the row keeps the whole sac, but
 * only when it is a shadow: CSF in front of and behind the cord keeps it well
 * above the background (mean above half-way between background and the
 * threshold), while the tissue between the sac and a cyst or a sleeve tip
 * is as dark as the background. */
#define CORD_SHADOW_MAX_MM 14.0

static void fill_cord_shadow(const float *row, size_t nx, double sx, float thr, double bg, float *out)
{
    memcpy(out, row, nx * sizeof *out);
    size_t maxrun = (size_t)(CORD_SHADOW_MAX_MM / sx);
    size_t last_bright = SIZE_MAX;
    for (size_t i = 0; i < nx; i++) {
        if (!(row[i] > thr))
            continue;
        if (last_bright != SIZE_MAX && i - last_bright > 1 && i - last_bright - 1 <= maxrun) {
            double sum = 0;
            for (size_t q = last_bright + 1; q < i; q++)
                sum += row[q];
            if (sum / (double)(i - last_bright - 1) > bg + 0.5 * ((double)thr - bg))
                for (size_t q = last_bright + 1; q < i; q++)
                    out[q] = thr + fabsf(thr) * 1e-3f + 1.0f;
        }
        last_bright = i;
    }
}

typedef struct track_ctx {
    csf_spine *sp;
    csf_slice_cand *cands; /* nz * CSF_MAX_CANDS */
    size_t *ncand;
} track_ctx;

static csf_status cand_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    (void)chunk;
    track_ctx *c = vctx;
    csf_spine *sp = c->sp;
    size_t npx = sp->nx * sp->ny;
    uint32_t *scratch = malloc(npx * sizeof *scratch);
    float *row = sp->is2d ? malloc(npx * sizeof *row) : NULL;
    if (scratch == NULL || (sp->is2d && row == NULL)) {
        free(scratch);
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate a slice buffer");
    }
    double sy = sp->is2d ? 1.0 : sp->sy;
    double amin = sp->is2d ? SAC_LEN_MIN_MM : SAC_AREA_MIN_MM2;
    double amax = sp->is2d ? SAC_LEN_MAX_MM : SAC_AREA_MAX_MM2;
    for (size_t k = b; k < e; k++) {
        const float *sl = sp->vol->data + k * npx;
        if (row) {
            fill_cord_shadow(sl, sp->nx, sp->sx, (float)sp->threshold0, sp->background, row);
            sl = row;
        }
        c->ncand[k] = csf_slice_components(sl, sp->nx, sp->ny, sp->sx, sy, (float)sp->threshold0, amin,
                                           amax, scratch, c->cands + k * CSF_MAX_CANDS, CSF_MAX_CANDS);
    }
    free(scratch);
    free(row);
    return CSF_OK;
}

static int linkable(const csf_spine *sp, const csf_slice_cand *a, const csf_slice_cand *b, size_t gap)
{
    double di = (a->ci - b->ci) * sp->sx, dj = (a->cj - b->cj) * sp->sy;
    double dmax = TRACK_JITTER_MM + TRACK_SLOPE * sp->sz + TRACK_GAP_SLOPE * (double)(gap - 1) * sp->sz;
    if (di * di + dj * dj > dmax * dmax)
        return 0;
    double r = a->area_mm2 / b->area_mm2;
    return r > 0.25 && r < 4.0;
}

/* Longest chain: best[k][c] = 1 + max over linkable predecessors within
 * TRACK_MAX_GAP slices. Ties go to the lower slice / larger candidate, so
 * the result is deterministic. */
static void longest_chain(csf_spine *sp, const csf_slice_cand *cands, const size_t *ncand,
                          double *best, int32_t *back, size_t *end_node)
{
    size_t nz = sp->nz;
    size_t max_gap = (size_t)fmax(3.0, TRACK_GAP_MM / sp->sz);
    double top = -1;
    *end_node = SIZE_MAX;
    for (size_t k = 0; k < nz; k++) {
        for (size_t c = 0; c < ncand[k]; c++) {
            size_t node = k * CSF_MAX_CANDS + c;
            double a = cands[node].area_mm2;
            double w = sp->is2d || (a >= SAC_TYPICAL_MIN_MM2 && a <= SAC_TYPICAL_MAX_MM2) ? 1.0 : 0.5;
            best[node] = w;
            back[node] = -1;
            for (size_t g = 1; g <= max_gap && g <= k; g++) {
                size_t kp = k - g;
                for (size_t p = 0; p < ncand[kp]; p++) {
                    size_t pn = kp * CSF_MAX_CANDS + p;
                    if (best[pn] + w > best[node] && linkable(sp, &cands[node], &cands[pn], g)) {
                        best[node] = best[pn] + w;
                        back[node] = (int32_t)pn;
                    }
                }
            }
            if (best[node] > top) {
                top = best[node];
                *end_node = node;
            }
        }
    }
}

/* The ends of the sac are continuous (it tapers or widens smoothly): a short
 * piece (< TAIL_MM) beyond a bridged gap near either end is something else
 * (a sacral cyst hanging below the end, a cistern above): cut it. A longer
 * piece is sac below or above a leak. */
static void trim_tails(csf_spine *sp)
{
    size_t tail = (size_t)fmax(2.0, TAIL_MM / sp->sz), maxg = 3;
    size_t prev = sp->k_first;
    for (size_t k = sp->k_first + 1; k <= sp->k_last && prev <= sp->k_first + tail; k++) {
        if (!sp->slices[k].present)
            continue;
        if (k - prev > maxg) {
            for (size_t q = sp->k_first; q < k; q++)
                sp->slices[q].present = 0;
            sp->k_first = k;
        }
        prev = k;
    }
    prev = sp->k_last;
    for (size_t k = sp->k_last; k-- > sp->k_first && prev + tail >= sp->k_last;) {
        if (!sp->slices[k].present)
            continue;
        if (prev - k > maxg) {
            for (size_t q = k + 1; q <= sp->k_last; q++)
                sp->slices[q].present = 0;
            sp->k_last = k;
        }
        prev = k;
    }
}

csf_status csf_spine_track(csf_spine *sp, const csf_exec *ex, csf_error *err)
{
    size_t nz = sp->nz, nn = nz * CSF_MAX_CANDS;
    track_ctx c = {sp, calloc(nn, sizeof(csf_slice_cand)), calloc(nz, sizeof(size_t))};
    double *best = malloc(nn * sizeof *best);
    int32_t *back = malloc(nn * sizeof *back);
    csf_status st = CSF_OK;
    if (!c.cands || !c.ncand || !best || !back) {
        st = csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate the tracker for %zu slices", nz);
        goto done;
    }
    st = csf_parallel_for(ex, nz, 4, cand_chunk, &c, err);
    if (st != CSF_OK)
        goto done;
    size_t end_node;
    longest_chain(sp, c.cands, c.ncand, best, back, &end_node);
    sp->found = 0;
    if (end_node == SIZE_MAX)
        goto done;
    sp->k_last = end_node / CSF_MAX_CANDS;
    for (int64_t node = (int64_t)end_node; node >= 0; node = back[node]) {
        size_t k = (size_t)node / CSF_MAX_CANDS;
        csf_sac_slice *s = &sp->slices[k];
        s->present = 1;
        s->center_vox[0] = c.cands[node].ci;
        s->center_vox[1] = c.cands[node].cj;
        sp->k_first = k;
    }
    trim_tails(sp);
    /* gaps inside the chain: linear interpolation of the centre */
    size_t prev = sp->k_first;
    for (size_t k = sp->k_first + 1; k <= sp->k_last; k++) {
        if (!sp->slices[k].present)
            continue;
        for (size_t q = prev + 1; q < k; q++) {
            double t = (double)(q - prev) / (double)(k - prev);
            for (int a = 0; a < 2; a++)
                sp->slices[q].center_vox[a] = (1 - t) * sp->slices[prev].center_vox[a] +
                                              t * sp->slices[k].center_vox[a];
            sp->slices[q].present = 1;
        }
        prev = k;
    }
    sp->found = (double)(sp->k_last - sp->k_first + 1) * sp->sz >= 20.0;
done:
    free(c.cands);
    free(c.ncand);
    free(best);
    free(back);
    return st;
}
