/* Vertebral levels found in the bones of the reference frame (docs/dynamic.md,
 * "Vertebral levels"). The column of vertebral bodies gives a craniocaudal
 * profile of bone density whose dips are the disc spaces; the vertebrae
 * between two discs are counted from an anchor: the sacrum (the last mobile
 * level above a fused bony mass is L5) or the rib transitions (the last
 * rib-bearing vertebra is T12, the first T1). Without an anchor in view the
 * levels stay unknown and the reason is given. Per-slice measurements are in
 * vprof.c; this file turns them into named levels. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vlevels.h"

#define MIN_DISC_GAP_MM 10.0  /* shortest vertebra (+ disc) of an adult: cervical ~14 mm */
#define MAX_SEG_MM 45.0       /* longest lumbar vertebra + disc */
#define SACRUM_MIN_MM 40.0    /* fused bone below the last disc: at least S1 + part of S2 */

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *v, size_t n, double p, double *tmp)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            tmp[m++] = v[i];
    if (m == 0)
        return NAN;
    qsort(tmp, m, sizeof *tmp, cmp_d);
    double r = p / 100 * (double)(m - 1);
    size_t lo = (size_t)r;
    return lo + 1 < m ? tmp[lo] + (r - (double)lo) * (tmp[lo + 1] - tmp[lo]) : tmp[lo];
}

/* Robust noise of a profile: MAD of first differences / sqrt 2. */
static double prof_noise(const double *m, size_t n, double *tmp)
{
    size_t k = 0;
    for (size_t i = 1; i < n; i++)
        if (isfinite(m[i]) && isfinite(m[i - 1]))
            tmp[k++] = fabs(m[i] - m[i - 1]);
    if (k == 0)
        return 0;
    qsort(tmp, k, sizeof *tmp, cmp_d);
    return 1.4826 * tmp[k / 2] / sqrt(2.0);
}

/* Disc spaces: local minima of the body profile deeper than `depth` below the
 * highest bone within one vertebra on both sides, at least MIN_DISC_GAP_MM
 * apart (the deeper one wins). Positions in slices, refined by a parabola. */
static size_t find_discs(const double *m, size_t n, double dz, double depth, double *pos)
{
    long w = (long)ceil(12.0 / dz), half = (long)ceil(4.0 / dz);
    size_t nd = 0;
    double last_d = 0;
    for (long k = 1; k + 1 < (long)n; k++) {
        if (!isfinite(m[k]))
            continue;
        int minimum = 1;
        double L = -INFINITY, R = -INFINITY;
        for (long j = k - w; j <= k + w; j++) {
            if (j < 0 || j >= (long)n || j == k || !isfinite(m[j]))
                continue;
            if (labs(j - k) <= half && m[j] < m[k])
                minimum = 0;
            if (j < k)
                L = fmax(L, m[j]);
            else
                R = fmax(R, m[j]);
        }
        double d = fmin(L, R) - m[k];
        if (!minimum || !(d >= depth))
            continue;
        double p = (double)k, a = m[k - 1], c = m[k + 1], den = a - 2 * m[k] + c;
        if (isfinite(a) && isfinite(c) && den > 0)
            p += fmax(-0.5, fmin(0.5, 0.5 * (a - c) / den));
        if (nd > 0 && (p - pos[nd - 1]) * dz < MIN_DISC_GAP_MM) {
            if (d > last_d) {
                pos[nd - 1] = p;
                last_d = d;
            }
            continue;
        }
        pos[nd++] = p;
        last_d = d;
    }
    return nd;
}

/* Mean of v over the slices of a segment, leaving out 3 mm next to each disc. */
static double seg_mean(const double *v, double a, double b, double dz)
{
    double lo = fmin(a, b) + 3 / dz, hi = fmax(a, b) - 3 / dz, s = 0;
    size_t n = 0;
    for (long k = (long)ceil(lo); k <= (long)floor(hi); k++)
        if (isfinite(v[k])) {
            s += v[k];
            n++;
        }
    return n ? s / (double)n : NAN;
}

static void set_reason(csf_dyn_levels_info *info, const char *method, const char *fmt, ...)
    CSF_PRINTF(3, 4);
static void set_reason(csf_dyn_levels_info *info, const char *method, const char *fmt, ...)
{
    snprintf(info->method, sizeof info->method, "%s", method);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(info->reason, sizeof info->reason, fmt, ap);
    va_end(ap);
}

/* Names the complete vertebrae from the anchors (see the file comment).
 * top_index: level index of segment 0 (the most cranial), or -1. */
static int anchor(size_t nd, const int *ribs, int sacrum, csf_dyn_levels_info *info)
{
    size_t ns = nd - 1;
    long first = -1, last = -1, runs = 0;
    for (size_t i = 0; i < ns; i++)
        if (ribs[i]) {
            if (first < 0 || !ribs[i - 1])
                runs++;
            if (first < 0)
                first = (long)i;
            last = (long)i;
        }
    if (runs > 1) {
        set_reason(info, "none", "rib-bearing vertebrae are not one run: rib pattern ambiguous");
        return -1;
    }
    int t12 = first >= 0 && last + 1 < (long)ns ? (int)(18 - last) : -1000;
    int t1 = first > 0 ? (int)(7 - first) : -1000;
    int l5 = sacrum ? (int)(23 - (long)(ns - 1)) : -1000;
    if (t12 != -1000 && t1 != -1000 && t12 != t1) {
        set_reason(info, "none", "%ld rib-bearing vertebrae between the cervical and lumbar "
                   "ones (12 expected): count not fixed", last - first + 1);
        return -1;
    }
    if (l5 != -1000 && (t12 != -1000 || t1 != -1000) && l5 != (t12 != -1000 ? t12 : t1)) {
        set_reason(info, "none", "the sacrum and the last rib disagree (%d lumbar-type "
                   "vertebrae): transitional anatomy, count not fixed",
                   (int)(ns - 1 - last));
        return -1;
    }
    if (l5 != -1000 && (t12 != -1000 || t1 != -1000)) {
        set_reason(info, "bone_sacrum_ribs", "counted up from the sacrum (L5 above it), "
                   "consistent with the last rib-bearing vertebra (T12)");
        return l5;
    }
    if (l5 != -1000) {
        set_reason(info, "bone_sacrum", "counted up from the sacrum: the last mobile vertebra "
                   "above the fused sacral mass is L5 (assumes 5 lumbar vertebrae)");
        return l5;
    }
    if (t12 != -1000) {
        set_reason(info, "bone_ribs_t12", "counted from the last rib-bearing vertebra (T12; "
                   "assumes 12 rib pairs)");
        return t12;
    }
    if (t1 != -1000) {
        set_reason(info, "bone_ribs_t1", "counted from the first rib-bearing vertebra (T1; "
                   "the one above bears no rib)");
        return t1;
    }
    if (first >= 0)
        set_reason(info, "none", "every vertebra in view bears ribs and no transition, sacrum "
                   "or C2 is in the field of view: levels not determinable, give --levels");
    else
        set_reason(info, "none", "no rib-bearing vertebra and no sacrum in the field of view: "
                   "levels not determinable, give --levels");
    return -1;
}

/* Named levels from the disc positions (slices) and the index of the most
 * cranial complete vertebra; S1 below L5 when the sacrum was seen. */
static void emit(const dyn_vprof *p, const double *pos, size_t nd, int top, int sacrum,
                 csf_dyn_levels *out)
{
    memset(out, 0, sizeof *out);
    if (top < 0)
        return;
    for (size_t i = 0; i + 1 < nd; i++) {
        size_t a = p->caudal_up ? nd - 1 - i : i, b = p->caudal_up ? nd - 2 - i : i + 1;
        out->index[out->n] = top + (int)i;
        out->z_mm[out->n++] = p->z0 + p->dzdk * 0.5 * (pos[a] + pos[b]);
    }
    if (sacrum && top + (int)(nd - 1) < CSF_DYN_MAX_LEVELS) {
        double zl = p->z0 + p->dzdk * (p->caudal_up ? pos[0] : pos[nd - 1]);
        out->index[out->n] = top + (int)(nd - 1);
        out->z_mm[out->n++] = zl - 12.5;
    }
}

/* Discs, segments, ribs, sacrum -> named levels (p from vprof.c). */
static csf_status name_levels(const dyn_vprof *p, csf_dyn_levels *out,
                              csf_dyn_levels_info *info, csf_error *err)
{
    size_t n = p->n;
    double *tmp = malloc(n * sizeof *tmp), *pos = malloc(n * sizeof *pos);
    if (tmp == NULL || pos == NULL) {
        free(tmp);
        free(pos);
        return csf_error_set(err, CSF_ERR_NOMEM, "levels: out of memory");
    }
    double spread = pct(p->body, n, 90, tmp) - pct(p->body, n, 10, tmp);
    double depth = fmax(fmax(0.3 * spread, 6 * prof_noise(p->body, n, tmp)), p->min_depth);
    size_t nd = isfinite(depth) ? find_discs(p->body, n, p->dz, depth, pos) : 0;
    int ribs[CSF_DYN_MAX_LEVELS + 8] = {0};
    int top = -1, sacrum = 0;
    if (nd < 3 || nd > CSF_DYN_MAX_LEVELS + 8) {
        set_reason(info, "none", "%zu disc spaces found in the column of vertebral bodies: "
                   "too few to count levels", nd);
        goto done;
    }
    double rmax = 0, seg[CSF_DYN_MAX_LEVELS + 8];
    for (size_t i = 0; i + 1 < nd; i++) {
        double h = (pos[i + 1] - pos[i]) * p->dz;
        if (h > MAX_SEG_MM) {
            set_reason(info, "none", "irregular disc spacing (%.0f mm between two discs): a "
                       "disc space was not found, count not trusted", h);
            goto done;
        }
        seg[i] = seg_mean(p->rib, pos[i], pos[i + 1], p->dz);
        rmax = fmax(rmax, isfinite(seg[i]) ? seg[i] : 0);
    }
    for (size_t i = 0; i + 1 < nd; i++)
        ribs[i] = rmax >= p->rib_min && seg[i] >= 0.35 * rmax;
    /* the sacrum: fused bone from the last disc to the caudal end of the view */
    double below = (double)(p->caudal_up ? pos[0] : (double)(n - 1) - pos[nd - 1]) * p->dz;
    double ala = p->caudal_up ? seg_mean(p->ala, 0, pos[0], p->dz)
                              : seg_mean(p->ala, pos[nd - 1], (double)(n - 1), p->dz);
    sacrum = below >= SACRUM_MIN_MM && ala >= p->ala_min;
    if (p->caudal_up) { /* segments are listed cranial first */
        for (size_t i = 0, j = nd - 2; i < j; i++, j--) {
            int t = ribs[i];
            ribs[i] = ribs[j];
            ribs[j] = t;
        }
    }
    top = anchor(nd, ribs, sacrum, info);
    if (top >= 0 && top + (int)(nd - 2) >= CSF_DYN_MAX_LEVELS)
        top = -1;
done:
    emit(p, pos, nd, top, sacrum, out);
    free(tmp);
    free(pos);
    return CSF_OK;
}

csf_status csf_dyn_levels_find(const csf_volume *ref, csf_dyn_modality m, csf_dyn_levels *out,
                               csf_dyn_levels_info *info, csf_error *err)
{
    memset(out, 0, sizeof *out);
    memset(info, 0, sizeof *info);
    if (m == CSF_DYN_RIC) {
        set_reason(info, "none", "radioisotope cisternography shows no bone: give --levels");
        return CSF_OK;
    }
    dyn_vprof p;
    char why[160] = "";
    csf_status st = csf_dyn_vprof_make(ref, m, &p, why, sizeof why, err);
    if (st != CSF_OK)
        return st;
    if (why[0] != '\0') {
        set_reason(info, "none", "%s", why);
        return CSF_OK;
    }
    st = name_levels(&p, out, info, err);
    csf_dyn_vprof_release(&p);
    return st;
}
