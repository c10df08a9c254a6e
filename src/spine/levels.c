/* Vertebral level names, regions, user landmarks and label maps. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spine_internal.h"

static const char *const LEVEL_NAMES[CSF_MAX_LEVELS] = {
    "C1", "C2", "C3", "C4", "C5", "C6", "C7", "T1", "T2", "T3", "T4", "T5", "T6", "T7",
    "T8", "T9", "T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4"};

/* Typical adult segment height (vertebral body + disc, mm) below each level's
 * exit: used only to extrapolate user landmarks (Gilad & Nissan 1986 orders
 * of magnitude: cervical ~16, thoracic 20-25, lumbar ~34 mm). */
static double seg_height(int idx)
{
    if (idx < 7)
        return 16.0;
    if (idx < 13)
        return 21.0;
    if (idx < 19)
        return 24.0;
    if (idx < 24)
        return 34.0;
    return 22.0;
}

double csf_level_segment_mm(int idx) { return seg_height(idx); }

int csf_level_index(const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < CSF_MAX_LEVELS; i++)
        if (strcasecmp(name, LEVEL_NAMES[i]) == 0)
            return i;
    return -1;
}

const char *csf_level_name(int index)
{
    return index >= 0 && index < CSF_MAX_LEVELS ? LEVEL_NAMES[index] : NULL;
}

int csf_spine_level_region(int index)
{
    if (index < 6)
        return 0; /* C1..C6 */
    if (index < 18)
        return 1; /* C7 (cervicothoracic junction) .. T11 */
    return 2;     /* T12 (thoracolumbar junction), lumbar, sacral */
}

const char *csf_region_name(int region)
{
    static const char *const n[3] = {"cervical", "thoracic", "lumbar"};
    return region >= 0 && region < 3 ? n[region] : NULL;
}

const char *csf_side_name(int side)
{
    static const char *const n[4] = {"left", "right", "ventral", "dorsal"};
    return side >= 0 && side < 4 ? n[side] : NULL;
}

const char *csf_level_method_name(csf_level_method m)
{
    switch (m) {
    case CSF_LEVELS_NONE: return "none";
    case CSF_LEVELS_SLEEVES_SAC_END: return "root_sleeves_from_sac_end";
    case CSF_LEVELS_SLEEVES_TOP: return "root_sleeves_from_foramen_magnum";
    case CSF_LEVELS_USER: return "user_landmarks";
    case CSF_LEVELS_LABEL_MAP: return "label_map";
    }
    return "none";
}

int csf_levels_nearest(const csf_levels *lv, double z_mm)
{
    int best = -1;
    double bd = INFINITY;
    for (size_t i = 0; i < lv->n; i++) {
        double d = fabs(lv->z_mm[i] - z_mm);
        if (d < bd) {
            bd = d;
            best = (int)i;
        }
    }
    if (best < 0)
        return -1;
    /* local spacing: distance to the nearest other level */
    double sp = INFINITY;
    for (size_t i = 0; i < lv->n; i++)
        if ((int)i != best)
            sp = fmin(sp, fabs(lv->z_mm[i] - lv->z_mm[best]));
    if (!isfinite(sp))
        sp = 20.0;
    return bd <= 0.75 * sp ? best : -1;
}

double csf_levels_spacing_at(const csf_levels *lv, double z_mm)
{
    int near = csf_levels_nearest(lv, z_mm);
    if (near < 0)
        return NAN;
    double seg = INFINITY;
    for (size_t i = 0; i < lv->n; i++)
        if ((int)i != near)
            seg = fmin(seg, fabs(lv->z_mm[i] - lv->z_mm[near]));
    return isfinite(seg) && seg > 0 ? seg : NAN;
}

/* Fills every level from the known ones (idx[], z[] sorted by index):
 * between two landmarks the table heights are scaled to fit, outside them
 * the table is used as is. z decreases with the index (superior first). */
static void levels_fill(const int *idx, const double *z, size_t n, csf_levels *out)
{
    double full[CSF_MAX_LEVELS];
    for (int i = 0; i < CSF_MAX_LEVELS; i++) {
        size_t a = 0;
        while (a + 1 < n && idx[a + 1] <= i)
            a++;
        if (n >= 2 && i >= idx[0] && i <= idx[n - 1]) {
            size_t b = a + 1 < n ? a + 1 : a;
            if (b == a) {
                full[i] = z[a];
                continue;
            }
            double tab = 0, part = 0;
            for (int q = idx[a]; q < idx[b]; q++) {
                tab += seg_height(q);
                if (q < i)
                    part += seg_height(q);
            }
            full[i] = z[a] + (z[b] - z[a]) * part / tab;
        } else if (i < idx[0]) {
            double s = 0;
            for (int q = i; q < idx[0]; q++)
                s += seg_height(q);
            full[i] = z[0] + s;
        } else {
            double s = 0;
            for (int q = idx[n - 1]; q < i; q++)
                s += seg_height(q);
            full[i] = z[n - 1] - s;
        }
    }
    out->n = CSF_MAX_LEVELS;
    for (int i = 0; i < CSF_MAX_LEVELS; i++) {
        snprintf(out->name[i], sizeof out->name[i], "%s", LEVEL_NAMES[i]);
        out->z_mm[i] = full[i];
    }
}

static csf_status sort_and_fill(int *idx, double *z, size_t n, csf_level_method m, csf_levels *out,
                                const char *what, csf_error *err)
{
    for (size_t a = 1; a < n; a++) /* insertion sort by level index */
        for (size_t b = a; b > 0 && idx[b - 1] > idx[b]; b--) {
            int ti = idx[b];
            idx[b] = idx[b - 1];
            idx[b - 1] = ti;
            double tz = z[b];
            z[b] = z[b - 1];
            z[b - 1] = tz;
        }
    for (size_t a = 1; a < n; a++) {
        if (idx[a] == idx[a - 1])
            return csf_error_set(err, CSF_ERR_INVALID_ARG, "%s: level %s given twice", what,
                                 LEVEL_NAMES[idx[a]]);
        if (!(z[a] < z[a - 1]))
            return csf_error_set(err, CSF_ERR_INVALID_ARG,
                                 "%s: %s (z %.1f) is not below %s (z %.1f)", what,
                                 LEVEL_NAMES[idx[a]], z[a], LEVEL_NAMES[idx[a - 1]], z[a - 1]);
    }
    memset(out, 0, sizeof *out);
    levels_fill(idx, z, n, out);
    out->method = m;
    return CSF_OK;
}

csf_status csf_levels_parse(const char *spec, csf_levels *out, csf_error *err)
{
    int idx[CSF_MAX_LEVELS];
    double z[CSF_MAX_LEVELS];
    size_t n = 0;
    const char *p = spec ? spec : "";
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char tok[64];
        if (len == 0 || len >= sizeof tok)
            return csf_error_set(err, CSF_ERR_INVALID_ARG, "--levels: bad entry '%.*s'", (int)len, p);
        memcpy(tok, p, len);
        tok[len] = '\0';
        char *eq = strchr(tok, '=');
        if (eq == NULL)
            return csf_error_set(err, CSF_ERR_INVALID_ARG, "--levels: '%s' is not LEVEL=Z_MM", tok);
        *eq = '\0';
        int li = csf_level_index(tok);
        char *e2 = NULL;
        errno = 0;
        double v = strtod(eq + 1, &e2);
        if (li < 0)
            return csf_error_set(err, CSF_ERR_INVALID_ARG, "--levels: unknown level '%s'", tok);
        if (errno || e2 == eq + 1 || *e2 != '\0' || !isfinite(v))
            return csf_error_set(err, CSF_ERR_INVALID_ARG, "--levels: '%s' is not a z in mm", eq + 1);
        if (n == CSF_MAX_LEVELS)
            return csf_error_set(err, CSF_ERR_INVALID_ARG, "--levels: too many landmarks");
        idx[n] = li;
        z[n++] = v;
        p += len + (end ? 1 : 0);
    }
    if (n == 0)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "--levels: no landmark given");
    return sort_and_fill(idx, z, n, CSF_LEVELS_USER, out, "--levels", err);
}

/* Label value -> level index for the two conventions. */
static int label_level(long v, int totalseg)
{
    if (totalseg)
        return v >= 26 && v <= 50 ? (int)(50 - v) : -1;
    return v >= 1 && v <= 25 ? (int)(v - 1) : -1;
}

csf_status csf_levels_from_label_map(const csf_volume *labels, const char *kind, csf_levels *out,
                                     csf_error *err)
{
    int ts;
    if (kind && strcmp(kind, "totalseg") == 0)
        ts = 1;
    else if (kind && strcmp(kind, "sct") == 0)
        ts = 0;
    else
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "label map kind '%s' is not totalseg or sct",
                             kind ? kind : "");
    double s[CSF_MAX_LEVELS][4];
    memset(s, 0, sizeof s);
    size_t nx = labels->dim[0], ny = labels->dim[1], nz = labels->dim[2];
    for (size_t k = 0; k < nz; k++)
        for (size_t j = 0; j < ny; j++)
            for (size_t i = 0; i < nx; i++) {
                float f = labels->data[i + nx * (j + ny * k)];
                int li = isfinite(f) ? label_level(lround(f), ts) : -1;
                if (li < 0)
                    continue;
                s[li][0] += (double)i;
                s[li][1] += (double)j;
                s[li][2] += (double)k;
                s[li][3] += 1;
            }
    int idx[CSF_MAX_LEVELS];
    double z[CSF_MAX_LEVELS];
    size_t n = 0;
    for (int li = 0; li < CSF_MAX_LEVELS; li++) {
        if (s[li][3] < 1)
            continue;
        double ijk[3] = {s[li][0] / s[li][3], s[li][1] / s[li][3], s[li][2] / s[li][3]}, w[3];
        csf_volume_ijk_to_ras(labels, ijk, w);
        idx[n] = li;
        z[n++] = w[2];
    }
    if (n == 0)
        return csf_error_set(err, CSF_ERR_FORMAT, "label map holds no %s vertebra label",
                             ts ? "TotalSegmentator" : "SCT");
    return sort_and_fill(idx, z, n, CSF_LEVELS_LABEL_MAP, out, "label map", err);
}
