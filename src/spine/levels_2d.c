/* Step 5 for the 2D coronal thick-slab projection: vertebral levels from the
 * periodic root-sleeve signal along the sac.
 *
 * In a coronal projection every level from C2 to S1 sends a root sleeve out
 * of each side of the sac, at the pedicle: the fluid just outside the lateral
 * wall rises at each exit and falls between them, with a period equal to the
 * segment height. Thresholded components do not show this reliably: in the
 * projection the sleeves of a pair, neighbouring sleeves and streaks from
 * anywhere in the 50 mm slab merge or fall below a threshold. A 1D profile
 * (mean signal in a thin band just outside each lateral wall, both sides
 * summed, per row) keeps every exit as a peak whose height scales with the
 * sleeve's fluid depth, and its noise follows from the image noise.
 *
 * Counting starts at an anchor seen in the field of view: the sac's caudal
 * end (S1 is the lowest sleeve, just above it) or, without it, the foramen
 * magnum (C2 is the first exit at least 12 mm below it). From there the
 * levels are fitted as a chain (dynamic programming): each next level lands
 * on a profile peak or is skipped, and the spacings must follow the standard
 * adult segment heights (levels.c) times one subject scale. A missing or
 * extra peak therefore cannot shift the count, which a plain peak count
 * does. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spine_internal.h"

/* The band starts past the wall's partial-volume rim (one voxel, >= 1 mm)
 * and is about one sleeve diameter wide (sleeve radius ~1.8-2.3 mm at its
 * exit), so it sees the sleeve roots and little of what lies farther out. */
#define BAND_FROM_MM 1.0
#define BAND_WIDTH_MM 4.0
/* Along the spine a sleeve crosses the band over ~4-8 mm (its diameter over
 * the cosine of its angle): smoothing well below that keeps each exit. */
#define SMOOTH_MM 1.5
/* Two exits are at least a cervical segment apart (~13-16 mm): a peak must be
 * the maximum within half of that. */
#define PEAK_HALF_MM 6.0
/* Prominence is measured against the lowest profile within about half a
 * lumbar segment on either side, where the band is between sleeves. */
#define TROUGH_MM 12.0
/* A peak must stand out of the profile noise (propagated from the image
 * noise) by this many standard deviations: about one false peak per
 * thousand rows of pure noise. */
#define PROMINENCE_SD 3.0
/* Spacing between consecutive exits, as a ratio to the segment heights times
 * the subject's scale: per-segment heights vary by ~5-10 % between adults,
 * and the canal's tilt (lordosis, kyphosis: up to ~35 degrees) shortens a
 * segment's height in z by up to ~20 %. Ratios beyond 1 +- 0.45 would reach
 * the neighbouring exit. */
#define SPACING_SD 0.15
#define SPACING_MAX 0.45
/* Subject scale: adult spine lengths span about 0.8-1.25 of the table. */
#define SCALE_MIN 0.8
#define SCALE_MAX 1.25
#define SCALE_STEP 0.025
/* C2 leaves >= ~1.5 cm below the foramen magnum: peaks closer to it are
 * the craniocervical cisterns. */
#define C2_GAP_MM 12.0
/* S1 is the lowest sleeve: S2-S5 roots leave through the sac's tip, not by
 * sleeves, so any sleeve peak inside the tracked sac is S1 or above. In the
 * projection the tapered tip is thin and fades below the threshold above
 * its true end, and the band sees each sleeve below its exit (sleeves run
 * caudally at 50-65 degrees), so the S1 peak can lie just above the tracked
 * end; only the rows within one smoothing sigma of the end are left out:
 * there the profile is smoothed from one side only, and a profile still
 * rising into the last row (the wall closing on the tip) makes a maximum at
 * the end itself or within that sigma of it. (Until 2026-11-26 this was
 * 3 mm, which dropped an S1 peak 2.7 mm above the tracked end, 12 mm above
 * the true one: every level was named one too high.) */
#define S1_GAP_MM SMOOTH_MM
#define ANCHOR_MAX_MM 70.0 /* the anchor exit lies within about two segments of it */
#define MAX_ANCHORS 16
/* A chain that starts higher than the lowest candidate must land on more than
 * one extra sleeve pair to be preferred. */
#define ANCHOR_SLACK 1.0
#define IDX_C2 1
#define IDX_S1 24

double csf_spine_k_to_z(const csf_spine *sp, double k)
{
    const csf_sac_slice *s = &sp->slices[(size_t)lround(k)];
    double ijk[3] = {s->center_vox[0], s->center_vox[1], k}, w[3];
    csf_volume_ijk_to_ras(sp->vol, ijk, w);
    return w[2];
}

/* Mean signal above background in the band outside one lateral wall of row
 * k, as a fraction of the local CSF contrast; NaN when the wall is unknown.
 * *npix gets the number of pixels averaged. */
static double band_mean(const csf_spine *sp, size_t k, int right, size_t *npix)
{
    const csf_sac_slice *s = &sp->slices[k];
    double R = s->radius_mm[right ? 0 : CSF_SAC_NRAYS / 2], c = s->csf_level - sp->background;
    *npix = 0;
    if (!isfinite(R) || !(c > 0))
        return NAN;
    const float *row = sp->vol->data + k * sp->nx;
    double dir = right ? 1.0 : -1.0, sum = 0;
    for (double t = R + BAND_FROM_MM; t <= R + BAND_FROM_MM + BAND_WIDTH_MM; t += sp->sx) {
        long i = lround(s->center_vox[0] + dir * t / sp->sx);
        if (i < 0 || (size_t)i >= sp->nx)
            break;
        sum += row[i] - sp->background;
        (*npix)++;
    }
    return *npix ? sum / (double)*npix / c : NAN;
}

/* The smoothed two-sided band profile over the sac's rows (index k - k_first)
 * and the standard deviation of its noise. */
static double profile(const csf_spine *sp, double *p, double *raw)
{
    size_t n = sp->k_last - sp->k_first + 1, npix_sum = 0, nrow = 0;
    double c_sum = 0;
    for (size_t q = 0; q < n; q++) {
        size_t k = sp->k_first + q, nl, nr;
        double l = band_mean(sp, k, 0, &nl), r = band_mean(sp, k, 1, &nr);
        raw[q] = isfinite(l) && isfinite(r) ? l + r : (isfinite(l) ? 2 * l : (isfinite(r) ? 2 * r : NAN));
        if (isfinite(raw[q])) {
            npix_sum += nl + nr;
            nrow++;
            c_sum += sp->slices[k].csf_level - sp->background;
        }
    }
    double sig = SMOOTH_MM / sp->sz;
    long h = (long)ceil(3 * sig);
    for (size_t q = 0; q < n; q++) {
        double s = 0, w = 0;
        for (long d = -h; d <= h; d++) {
            long j = (long)q + d;
            if (j < 0 || j >= (long)n || !isfinite(raw[j]))
                continue;
            double g = exp(-0.5 * (double)(d * d) / (sig * sig));
            s += g * raw[j];
            w += g;
        }
        p[q] = w > 0 ? s / w : NAN;
    }
    if (nrow == 0)
        return NAN;
    /* image noise sigma ~ (median - 25th percentile) / 0.674 for Gaussian
     * noise; a row sums two band means of npix/2 pixels each; Gaussian
     * smoothing divides the variance by 2 sqrt(pi) sigma (in rows) */
    double sd_pix = sp->noise / 0.674, c = c_sum / (double)nrow;
    double npix = (double)npix_sum / (double)nrow;
    double sd_row = 2.0 * sd_pix / sqrt(fmax(1.0, 0.5 * npix)) / c;
    return sd_row / sqrt(fmax(1.0, 2.0 * sqrt(M_PI) * sig));
}

/* The trough a peak stands out of: the higher of the lowest profile values
 * on either side (a peak must fall off on both), from the sides whose
 * window lies wholly inside the sac (full_a, full_b). At an end of the sac
 * the window is cut: the rows beyond the tracked end are not seen, so the
 * profile there cannot show its fall, and the few rows left beside the
 * peak are the peak's own flank. That is where S1 lies: the lowest sleeve
 * leaves just above the tracked end (the projected tip fades above its true
 * end, and the band sees a sleeve below its exit), so a trough taken from
 * the 2-3 rows below it made the S1 peak fail and every level was named
 * one too high. A cut side therefore says nothing; only when both are cut
 * (a sac shorter than two trough windows) the lower of the two decides. */
static double peak_trough(double lo_a, double lo_b, int full_a, int full_b)
{
    if (full_a && !full_b && isfinite(lo_a))
        return lo_a;
    if (full_b && !full_a && isfinite(lo_b))
        return lo_b;
    /* at the ends of the sac only one side is seen */
    return isfinite(lo_a) && isfinite(lo_b) ? fmax(lo_a, lo_b) : fmin(lo_a, lo_b);
}

/* Local maxima of p standing out of their surroundings; z ascending. */
static size_t peaks(const csf_spine *sp, const double *p, size_t n, double sd, double *pz, size_t cap)
{
    long hw = (long)fmax(1.0, lround(PEAK_HALF_MM / sp->sz));
    long tw = (long)fmax(1.0, lround(TROUGH_MM / sp->sz));
    size_t m = 0;
    for (long q = 0; q < (long)n && m < cap; q++) {
        if (!isfinite(p[q]))
            continue;
        int is_max = 1;
        for (long d = -hw; d <= hw && is_max; d++) {
            long j = q + d;
            if (d != 0 && j >= 0 && j < (long)n && isfinite(p[j]) && (p[j] > p[q] || (p[j] == p[q] && d < 0)))
                is_max = 0;
        }
        if (!is_max)
            continue;
        double lo_a = INFINITY, lo_b = INFINITY;
        for (long d = 1; d <= tw; d++) {
            if (q - d >= 0 && isfinite(p[q - d]))
                lo_a = fmin(lo_a, p[q - d]);
            if (q + d < (long)n && isfinite(p[q + d]))
                lo_b = fmin(lo_b, p[q + d]);
        }
        double trough = peak_trough(lo_a, lo_b, q >= tw, q + tw < (long)n);
        if (isfinite(trough) && p[q] - trough >= PROMINENCE_SD * sd)
            pz[m++] = csf_spine_k_to_z(sp, (double)(sp->k_first + (size_t)q));
    }
    return m;
}

static void add_level(csf_levels *lv, int idx, double z)
{
    if (lv->n >= CSF_MAX_LEVELS)
        return;
    snprintf(lv->name[lv->n], sizeof lv->name[0], "%s", csf_level_name(idx));
    lv->z_mm[lv->n++] = z;
}

/* The count as a chain fit. Steps t = 0..NSTEP-1 walk away from the anchor
 * (S1 up to C2, or C2 down to S1); u is the distance from the anchor exit in
 * the walking direction. Each step is either a profile peak or skipped (no
 * peak: a faint sleeve pair, or one hidden by a leak). A step scores 1 when it
 * lands on a peak, less a penalty for a spacing that departs from the
 * segment heights times the subject's scale: so a chain through the true
 * exits beats one through leaks, cysts or noise peaks, and one missing
 * peak cannot shift the count. */
#define NSTEP (IDX_S1 - IDX_C2 + 1)
#define MAX_SKIP 3
/* The longest step across exits hidden by a collection: 8 levels hidden. */
#define GAP_MAX_SEG 9
#define GAP_AGREE_SD 2.0
typedef struct chain_ctx {
    const double *u; /* peak distances from the anchor, ascending, u[0] = 0 (the anchor) */
    size_t m;
    int up;          /* 1: from S1 upwards */
    int gap_max;     /* longest step across hidden exits (segments), <= MAX_SKIP: none */
    double scale;
    double *score;   /* NSTEP * m */
    int *from;       /* NSTEP * m: previous t * m + j, -1 none */
} chain_ctx;

static double step_seg(int up, int t) /* segment between steps t-1 and t */
{
    return csf_level_segment_mm(up ? IDX_S1 - t : IDX_C2 + t - 1);
}

/* Relative SD and bound of the spacing of a step of s segments. Up to
 * MAX_SKIP segments (at most two exits skipped: a faint pair, one hidden by
 * a leak) each step is judged as one segment, loosely (SPACING_SD,
 * SPACING_MAX: the canal's tilt shortens neighbouring segments together).
 * A longer step crosses the exits an epidural collection hides (an SLEC
 * spans 3-8 levels: in the projection its fluid covers their sleeves, and
 * no peak is seen); forbidding it forced the chain to name the first exit
 * beyond the collection as if fewer levels lay in between (b40 case_0131:
 * T1 to T6, 95 mm, fitted as T1 to T4, every name below two levels too
 * high, an L1 leak named T11). Its length is the patient's own pitch (the
 * chain's scale, measured on every other step) times the segment heights of
 * the hidden levels: per-segment heights vary independently with a relative
 * SD of ~SPACING_SD, so the sum of s of them has SD SPACING_SD / sqrt(s),
 * and the gap must agree within GAP_AGREE_SD of that (as the 3D count from
 * both ends asks of the same gap, levels_ends.c); one level more or less
 * changes the ratio by ~1 / s, more than that bound up to s ~ 11. */
static void step_tolerance(int s, double *sd, double *lim)
{
    if (s <= MAX_SKIP) {
        *sd = SPACING_SD;
        *lim = SPACING_MAX;
        return;
    }
    *sd = SPACING_SD / sqrt((double)s);
    *lim = GAP_AGREE_SD * *sd;
}

static void chain_fill(chain_ctx *c)
{
    size_t m = c->m;
    for (size_t q = 0; q < NSTEP * m; q++) {
        c->score[q] = -INFINITY;
        c->from[q] = -1;
    }
    c->score[0] = 1.0;
    for (int t = 1; t < NSTEP; t++)
        for (size_t j = 1; j < m; j++) {
            double e = 0;
            int smax = c->gap_max > MAX_SKIP ? c->gap_max : MAX_SKIP;
            for (int s = 1; s <= smax && t - s >= 0; s++) {
                int tp = t - s;
                e += c->scale * step_seg(c->up, tp + 1);
                double sd, lim;
                step_tolerance(s, &sd, &lim);
                for (size_t jp = j; jp-- > 0;) {
                    double r = (c->u[j] - c->u[jp]) / e;
                    if (r < 1.0 - lim)
                        continue;
                    if (r > 1.0 + lim)
                        break;
                    double prev = c->score[(size_t)tp * m + jp];
                    if (!isfinite(prev))
                        continue;
                    double v = prev + 1.0 - 0.5 * (r - 1.0) * (r - 1.0) / (sd * sd);
                    if (v > c->score[(size_t)t * m + j]) {
                        c->score[(size_t)t * m + j] = v;
                        c->from[(size_t)t * m + j] = (int)((size_t)tp * m + jp);
                    }
                }
            }
        }
}

/* Best chain end (t * m + j) and its score. */
static double chain_best(const chain_ctx *c, size_t *end)
{
    double best = -INFINITY;
    *end = 0;
    for (size_t q = 0; q < NSTEP * c->m; q++)
        if (c->score[q] > best) {
            best = c->score[q];
            *end = q;
        }
    return best;
}

/* Levels of the chain ending at `end`: steps on peaks at their peak, skipped
 * steps in proportion to the segment heights between their neighbours, and
 * steps beyond the chain's end extrapolated while within [0, umax]. */
static void chain_levels(const chain_ctx *c, size_t end, double z0, double umax, csf_levels *lv)
{
    double pos[NSTEP];
    int on[NSTEP] = {0};
    for (int q = (int)end; q >= 0; q = c->from[q]) {
        pos[(size_t)q / c->m] = c->u[(size_t)q % c->m];
        on[(size_t)q / c->m] = 1;
    }
    int last = (int)(end / c->m), prev = 0;
    if (last < 0) /* end < NSTEP * m: 0 <= last < NSTEP; said for cppcheck (pos[-1]) */
        return;
    for (int t = 1; t <= last; t++) {
        if (!on[t])
            continue;
        double tot = 0, part = 0;
        for (int q = prev + 1; q <= t; q++)
            tot += step_seg(c->up, q);
        for (int q = prev + 1; q < t; q++) {
            part += step_seg(c->up, q);
            pos[q] = pos[prev] + (pos[t] - pos[prev]) * part / tot;
        }
        prev = t;
    }
    int nt = last + 1;
    for (int t = last + 1; t < NSTEP; t++) {
        double u = pos[t - 1] + c->scale * step_seg(c->up, t);
        if (u > umax)
            break;
        pos[t] = u;
        nt = t + 1;
    }
    for (int t = 0; t < nt; t++)
        add_level(lv, c->up ? IDX_S1 - t : IDX_C2 + t, c->up ? z0 + pos[t] : z0 - pos[t]);
}

/* Distances of the peaks beyond the anchor z0 in the walking direction,
 * ascending, after u[0] = 0 (the anchor itself); returns the count. */
static size_t distances(const double *pz, size_t m, double z0, int up, double *u)
{
    size_t mu = 0;
    u[mu++] = 0.0;
    for (size_t i = 0; i < m; i++) { /* pz ascending in z */
        size_t ii = up ? i : m - 1 - i;
        double d = up ? pz[ii] - z0 : z0 - pz[ii];
        if (d > 0)
            u[mu++] = d;
    }
    return mu;
}

/* Fits the chain from each candidate anchor peak and each subject scale;
 * the best-scoring one names the levels. cand: anchor z values. The 3D count
 * uses it too, on the heights of the sleeve pairs (levels_auto.c). */
csf_status csf_spine_fit_chain(const double *pz, size_t m, const double *cand, size_t nc, int up,
                               double zlo, double zhi, csf_levels *lv, csf_error *err)
{
    return csf_spine_fit_chain_gaps(pz, m, cand, nc, up, 0, zlo, zhi, lv, err);
}

csf_status csf_spine_fit_chain_gaps(const double *pz, size_t m, const double *cand, size_t nc, int up, int gaps,
                                    double zlo, double zhi, csf_levels *lv, csf_error *err)
{
    int gap_max = gaps ? GAP_MAX_SEG : 0;
    double *u = malloc((m + 1) * sizeof *u);
    double *score = malloc(NSTEP * (m + 1) * sizeof *score);
    int *from = malloc(NSTEP * (m + 1) * sizeof *from);
    csf_status st = CSF_OK;
    if (u == NULL || score == NULL || from == NULL) {
        st = csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate the level fit for %zu peaks", m);
        goto done;
    }
    double best = -INFINITY, cbest[MAX_ANCHORS], cscale[MAX_ANCHORS];
    for (size_t a = 0; a < nc; a++) {
        size_t mu = distances(pz, m, cand[a], up, u);
        cbest[a] = -INFINITY;
        cscale[a] = 1.0;
        for (double s = SCALE_MIN; s <= SCALE_MAX + 1e-9; s += SCALE_STEP) {
            chain_ctx c = {u, mu, up, gap_max, s, score, from};
            chain_fill(&c);
            size_t end;
            double v = chain_best(&c, &end);
            if (v > cbest[a] + 1e-9) {
                cbest[a] = v;
                cscale[a] = s;
            }
        }
        best = fmax(best, cbest[a]);
    }
    /* S1 is the lowest sleeve (C2 the highest): the candidate nearest to the
     * anchor wins unless a farther one explains more than one extra pair */
    double best_z0 = NAN, best_scale = 1.0, near = INFINITY;
    for (size_t a = 0; a < nc; a++) {
        double d = up ? cand[a] : -cand[a];
        if (cbest[a] >= best - ANCHOR_SLACK && d < near) {
            near = d;
            best_z0 = cand[a];
            best_scale = cscale[a];
        }
    }
    if (isfinite(best_z0)) {
        size_t mu = distances(pz, m, best_z0, up, u);
        chain_ctx c = {u, mu, up, gap_max, best_scale, score, from};
        chain_fill(&c);
        size_t end;
        chain_best(&c, &end);
        chain_levels(&c, end, best_z0, up ? zhi - best_z0 : best_z0 - zlo, lv);
    }
done:
    free(u);
    free(score);
    free(from);
    return st;
}

/* Candidate anchor exits: every exit from gap to ANCHOR_MAX_MM above z_ref
 * (dir +1) or below it (dir -1), nearest first. */
static size_t anchor_peaks(const double *pz, size_t m, double z_ref, int dir, double gap, double *cand,
                           size_t cap)
{
    size_t n = 0;
    for (size_t q = 0; q < m && n < cap; q++) {
        size_t i = dir > 0 ? q : m - 1 - q;
        double d = dir * (pz[i] - z_ref);
        if (d >= gap && d <= ANCHOR_MAX_MM)
            cand[n++] = pz[i];
    }
    return n;
}

csf_status csf_spine_count_chain(csf_spine *sp, const double *pz, size_t m, double s1_gap_mm,
                                 double c2_gap_mm, csf_error *err)
{
    double zlo = csf_spine_k_to_z(sp, (double)sp->k_first), zhi = csf_spine_k_to_z(sp, (double)sp->k_last);
    if (zlo > zhi) {
        double t = zlo;
        zlo = zhi;
        zhi = t;
    }
    double zend = isfinite(sp->k_end) ? csf_spine_k_to_z(sp, sp->k_end) : NAN;
    double ztop = isfinite(sp->k_top) ? csf_spine_k_to_z(sp, sp->k_top) : NAN;
    double cand[MAX_ANCHORS];
    int gaps = sp->is2d; /* 3D: levels_ends.c counts across a collection from C2 */
    size_t nc = isfinite(zend) ? anchor_peaks(pz, m, zend, 1, s1_gap_mm, cand, MAX_ANCHORS) : 0;
    if (nc > 0) {
        sp->levels.method = CSF_LEVELS_SLEEVES_SAC_END;
        return csf_spine_fit_chain_gaps(pz, m, cand, nc, 1, gaps, zlo, isfinite(ztop) ? ztop - c2_gap_mm : zhi,
                                        &sp->levels, err);
    }
    if (isfinite(ztop) && (nc = anchor_peaks(pz, m, ztop, -1, c2_gap_mm, cand, MAX_ANCHORS)) > 0) {
        sp->levels.method = CSF_LEVELS_SLEEVES_TOP;
        return csf_spine_fit_chain_gaps(pz, m, cand, nc, 0, gaps, zlo, zhi, &sp->levels, err);
    }
    return CSF_OK;
}

csf_status csf_spine_levels_2d(csf_spine *sp, csf_error *err)
{
    memset(&sp->levels, 0, sizeof sp->levels);
    sp->levels.method = CSF_LEVELS_NONE;
    size_t n = sp->k_last - sp->k_first + 1;
    double *mem = malloc(3 * n * sizeof *mem);
    if (mem == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate the %zu-row sleeve profile", n);
    double *p = mem, *raw = mem + n, *pz = mem + 2 * n;
    double sd = profile(sp, p, raw);
    size_t m = isfinite(sd) ? peaks(sp, p, n, sd, pz, n) : 0;
    csf_status st = csf_spine_count_chain(sp, pz, m, S1_GAP_MM, C2_GAP_MM, err);
    if (sp->levels.n == 0)
        sp->levels.method = CSF_LEVELS_NONE;
    free(mem);
    return st;
}
