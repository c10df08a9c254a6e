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
        free(row);
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

/* 2D projection: rows prev+1..k-1, skipped by the chain, each hold a bright
 * run across the sac's position (the centre interpolated between the rows
 * prev and k). A leak merged with the sac's tip pulls the row's centroid
 * sideways, so the chain skips those rows although the sac runs through
 * them; a sacral cyst hanging below the end is separated from the sac by
 * dark tissue at the sac's position. */
static int gap_bright_2d(const csf_spine *sp, const csf_slice_cand *cands, const size_t *ncand, size_t prev,
                         size_t k)
{
    for (size_t q = prev + 1; q < k; q++) {
        double t = (double)(q - prev) / (double)(k - prev);
        double ci = (1 - t) * sp->slices[prev].center_vox[0] + t * sp->slices[k].center_vox[0];
        int covered = 0;
        for (size_t c = 0; c < ncand[q] && !covered; c++) {
            const csf_slice_cand *cd = &cands[q * CSF_MAX_CANDS + c];
            covered = fabs(cd->ci - ci) * sp->sx <= 0.5 * cd->span_i_mm;
        }
        if (!covered)
            return 0;
    }
    return 1;
}

/* The ends of the sac are continuous (it tapers or widens smoothly): a short
 * piece (< TAIL_MM) beyond a bridged gap near either end is something else
 * (a sacral cyst hanging below the end, a cistern above): cut it. A longer
 * piece is sac below or above a leak, and so is (2D) a piece joined across
 * the gap by bright fluid at the sac's position (gap_bright_2d). */
static void trim_tails(csf_spine *sp, const csf_slice_cand *cands, const size_t *ncand)
{
    size_t tail = (size_t)fmax(2.0, TAIL_MM / sp->sz), maxg = 3;
    size_t prev = sp->k_first;
    for (size_t k = sp->k_first + 1; k <= sp->k_last && prev <= sp->k_first + tail; k++) {
        if (!sp->slices[k].present)
            continue;
        if (k - prev > maxg && !(sp->is2d && gap_bright_2d(sp, cands, ncand, prev, k))) {
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
        if (prev - k > maxg && !(sp->is2d && gap_bright_2d(sp, cands, ncand, k, prev))) {
            for (size_t q = k + 1; q <= sp->k_last; q++)
                sp->slices[q].present = 0;
            sp->k_last = k;
        }
        prev = k;
    }
}

/* Coil falloff: toward the edge of a receive coil the signal of everything,
 * the sac's CSF included, drops smoothly (to a fraction of its centre value)
 * and the global fluid threshold loses the sac there. Where the sac's own CSF
 * has dimmed at an end of the chain that is not the image border, the sac is
 * followed further slice by slice with a half-maximum threshold relative to
 * its own CSF in the slice before, so the threshold follows the falloff. */
#define FALLOFF_DIM 0.75    /* end CSF below 3/4 of the chain's: a falloff, not the sac's end */
#define FALLOFF_STEP 0.6    /* a coil profile changes by a few % per mm, never 40 % */
#define FALLOFF_FLOOR 0.1   /* no coil keeps a usable image below 1/10 of its centre signal */
#define FALLOFF_NOISE 4.0   /* the CSF must stand out of the noise (dark-voxel spread) */

/* Brightest voxel within radius r_mm of (ci, cj) in slice k. */
static double peak_near(const csf_spine *sp, size_t k, double ci, double cj, double r_mm)
{
    const float *sl = sp->vol->data + k * sp->nx * sp->ny;
    long ri = (long)ceil(r_mm / sp->sx), rj = (long)ceil(r_mm / sp->sy);
    long i0 = lround(ci), j0 = lround(cj);
    double best = -INFINITY;
    for (long j = j0 - rj; j <= j0 + rj; j++)
        for (long i = i0 - ri; i <= i0 + ri; i++) {
            if (i < 0 || j < 0 || i >= (long)sp->nx || j >= (long)sp->ny)
                continue;
            double di = (double)(i - i0) * sp->sx, dj = (double)(j - j0) * sp->sy;
            if (di * di + dj * dj <= r_mm * r_mm && sl[i + (long)sp->nx * j] > best)
                best = sl[i + (long)sp->nx * j];
        }
    return best;
}

/* Follows the sac beyond chain end slice `k` in direction dir (+1 up, -1 down);
 * returns the last slice reached. The sac is recognised by its position and
 * by its cross-section against the sac's own near the end (ref_area; the thin
 * CSF of a dim end breaks up, so the end fragment is no reference). */
static size_t follow_falloff(csf_spine *sp, double ci, double cj, double ref_area, size_t k, int dir,
                             double chain_level, uint32_t *scratch)
{
    double r = sqrt(ref_area / M_PI) + sp->sx; /* a sac radius plus a voxel */
    double level = peak_near(sp, k, ci, cj, r);
    double bg = sp->background, floor_l = fmax(bg + FALLOFF_NOISE * sp->noise,
                                               bg + FALLOFF_FLOOR * (chain_level - bg));
    if (!(level - bg < FALLOFF_DIM * (chain_level - bg)))
        return k; /* full signal at the end: the sac really ends (or turns) here */
    csf_slice_cand c[CSF_MAX_CANDS], ref = {ci, cj, ref_area, 0, 0};
    while ((dir < 0 && k > 0) || (dir > 0 && k + 1 < sp->nz)) {
        size_t kn = dir < 0 ? k - 1 : k + 1;
        float thr = (float)(bg + 0.5 * (level - bg));
        size_t nc = csf_slice_components(sp->vol->data + kn * sp->nx * sp->ny, sp->nx, sp->ny, sp->sx,
                                         sp->sy, thr, SAC_AREA_MIN_MM2, SAC_TYPICAL_MAX_MM2, scratch, c,
                                         CSF_MAX_CANDS);
        size_t best = SIZE_MAX;
        double bd = INFINITY;
        for (size_t q = 0; q < nc; q++) {
            double d = hypot((c[q].ci - ref.ci) * sp->sx, (c[q].cj - ref.cj) * sp->sy);
            if (linkable(sp, &c[q], &ref, 1) && d < bd)
                bd = d, best = q;
        }
        if (best == SIZE_MAX)
            break;
        double ln = peak_near(sp, kn, c[best].ci, c[best].cj, r);
        if (ln < floor_l || ln - bg < FALLOFF_STEP * (level - bg))
            break;
        csf_sac_slice *s = &sp->slices[kn];
        s->present = 1;
        s->center_vox[0] = ref.ci = c[best].ci;
        s->center_vox[1] = ref.cj = c[best].cj;
        level = ln;
        k = kn;
    }
    return k;
}

/* The chain's typical CSF peak and cross-section: medians over up to 15 of
 * its slices (at a dim end the global threshold keeps only fragments of the
 * sac, so the end slices are no reference for its area). */
static void chain_typical(const csf_spine *sp, const csf_slice_cand *cands, const int64_t *node_of,
                          double *level, double *area)
{
    double v[15], a[15], buf[15];
    size_t m = 0, len = sp->k_last - sp->k_first + 1;
    for (size_t q = 0; q < 15; q++) {
        size_t k = sp->k_first + (len * (2 * q + 1)) / 30;
        if (node_of[k] < 0)
            continue;
        const csf_slice_cand *c = &cands[node_of[k]];
        a[m] = c->area_mm2;
        v[m++] = peak_near(sp, k, c->ci, c->cj, 0.5 * fmax(c->span_i_mm, c->span_j_mm) + sp->sx);
    }
    *level = m ? csf_median_nan(v, m, buf) : NAN;
    *area = m ? csf_median_nan(a, m, buf) : NAN;
}

static void extend_ends(csf_spine *sp, const csf_slice_cand *cands, const int64_t *node_of)
{
    if (sp->is2d)
        return;
    double lv, area;
    chain_typical(sp, cands, node_of, &lv, &area);
    uint32_t *scratch = malloc(sp->nx * sp->ny * sizeof *scratch);
    if (!isfinite(lv) || !isfinite(area) || scratch == NULL) {
        free(scratch);
        return;
    }
    const csf_sac_slice *f = &sp->slices[sp->k_first], *l = &sp->slices[sp->k_last];
    sp->k_first = follow_falloff(sp, f->center_vox[0], f->center_vox[1], area, sp->k_first, -1, lv, scratch);
    sp->k_last = follow_falloff(sp, l->center_vox[0], l->center_vox[1], area, sp->k_last, +1, lv, scratch);
    free(scratch);
}

csf_status csf_spine_track(csf_spine *sp, const csf_exec *ex, csf_error *err)
{
    size_t nz = sp->nz, nn = nz * CSF_MAX_CANDS;
    track_ctx c = {sp, calloc(nn, sizeof(csf_slice_cand)), calloc(nz, sizeof(size_t))};
    double *best = malloc(nn * sizeof *best);
    int32_t *back = malloc(nn * sizeof *back);
    int64_t *node_of = NULL;
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
    node_of = malloc(nz * sizeof *node_of);
    if (node_of == NULL) {
        st = csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate the tracker for %zu slices", nz);
        goto done;
    }
    for (size_t k = 0; k < nz; k++)
        node_of[k] = -1;
    for (int64_t node = (int64_t)end_node; node >= 0; node = back[node]) {
        size_t k = (size_t)node / CSF_MAX_CANDS;
        csf_sac_slice *s = &sp->slices[k];
        node_of[k] = node;
        s->present = 1;
        s->center_vox[0] = c.cands[node].ci;
        s->center_vox[1] = c.cands[node].cj;
        sp->k_first = k;
    }
    trim_tails(sp, c.cands, c.ncand);
    if (!sp->is2d)
        csf_spine_follow_tip(sp);
    extend_ends(sp, c.cands, node_of);
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
    free(node_of);
    return st;
}
