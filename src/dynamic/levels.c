/* Vertebral levels for time-resolved studies: names, regions, landmark
 * parsing ("T12=-341.0", the syntax of `analyze --levels`) and z -> level. */
#include <strings.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/dynamic.h"

static const char *const k_names[CSF_DYN_MAX_LEVELS] = {
    "C1", "C2", "C3", "C4", "C5", "C6", "C7", "T1", "T2", "T3", "T4", "T5", "T6", "T7",
    "T8", "T9", "T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4"};

/* Typical adult vertebral height plus disc (mm) by region: used only to extend a
 * single landmark to its neighbours. */
static double std_height(int idx)
{
    if (idx < 7)
        return 16.0;
    if (idx < 19)
        return 22.0;
    if (idx < 24)
        return 30.0;
    return 25.0;
}

int csf_dyn_level_index(const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < CSF_DYN_MAX_LEVELS; i++)
        if (strcasecmp(name, k_names[i]) == 0)
            return i;
    return -1;
}

const char *csf_dyn_level_name(int index)
{
    return index >= 0 && index < CSF_DYN_MAX_LEVELS ? k_names[index] : NULL;
}

int csf_dyn_level_region(int index)
{
    if (index < 6)
        return 0;
    if (index < 18)
        return 1;
    return 2;
}

static csf_status parse_token(const char *tok, size_t len, int *idx, double *z, csf_error *err)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "bad level landmark '%.*s'", (int)len, tok);
    memcpy(buf, tok, len);
    buf[len] = '\0';
    char *eq = strchr(buf, '=');
    if (eq == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "bad level landmark '%s' (expected NAME=Z_MM, e.g. T12=-341.0)", buf);
    *eq = '\0';
    *idx = csf_dyn_level_index(buf);
    if (*idx < 0)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "bad level landmark '%s=%s': unknown level",
                             buf, eq + 1);
    char *end = NULL;
    *z = strtod(eq + 1, &end);
    if (end == eq + 1 || *end != '\0' || !isfinite(*z))
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "bad level landmark '%s=%s': not a number",
                             buf, eq + 1);
    return CSF_OK;
}

/* Fills every level between the first and last landmark by linear interpolation
 * in index; a single landmark gets its two neighbours from the height table. */
static void complete(const int *have, const double *zl, csf_dyn_levels *out)
{
    int lo = -1, hi = -1;
    for (int i = 0; i < CSF_DYN_MAX_LEVELS; i++)
        if (have[i]) {
            if (lo < 0)
                lo = i;
            hi = i;
        }
    double z[CSF_DYN_MAX_LEVELS];
    int ok[CSF_DYN_MAX_LEVELS] = {0};
    for (int i = lo; i <= hi; i++) {
        if (have[i]) {
            z[i] = zl[i];
            ok[i] = 1;
            continue;
        }
        int a = i - 1, b = i + 1;
        while (!have[a])
            a--;
        while (!have[b])
            b++;
        z[i] = zl[a] + (zl[b] - zl[a]) * (double)(i - a) / (double)(b - a);
        ok[i] = 1;
    }
    if (lo == hi) {
        if (lo > 0) {
            z[lo - 1] = zl[lo] + 0.5 * (std_height(lo) + std_height(lo - 1));
            ok[lo - 1] = 1;
        }
        if (hi + 1 < CSF_DYN_MAX_LEVELS) {
            z[hi + 1] = zl[hi] - 0.5 * (std_height(hi) + std_height(hi + 1));
            ok[hi + 1] = 1;
        }
    }
    out->n = 0;
    for (int i = 0; i < CSF_DYN_MAX_LEVELS; i++)
        if (ok[i]) {
            out->index[out->n] = i;
            out->z_mm[out->n] = z[i];
            out->n++;
        }
}

csf_status csf_dyn_levels_parse(const char *spec, csf_dyn_levels *out, csf_error *err)
{
    if (spec == NULL || *spec == '\0')
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "empty --levels");
    int have[CSF_DYN_MAX_LEVELS] = {0};
    double zl[CSF_DYN_MAX_LEVELS] = {0};
    const char *p = spec;
    while (*p) {
        size_t len = strcspn(p, ",");
        int idx = -1;
        double z = 0;
        csf_status st = parse_token(p, len, &idx, &z, err);
        if (st != CSF_OK)
            return st;
        if (have[idx])
            return csf_error_set(err, CSF_ERR_INVALID_ARG, "level %s given twice", k_names[idx]);
        have[idx] = 1;
        zl[idx] = z;
        p += len;
        if (*p == ',')
            p++;
    }
    int prev = -1;
    for (int i = 0; i < CSF_DYN_MAX_LEVELS; i++) {
        if (!have[i])
            continue;
        if (prev >= 0 && !(zl[i] < zl[prev]))
            return csf_error_set(err, CSF_ERR_INVALID_ARG,
                                 "levels %s and %s: z must decrease from cranial to caudal",
                                 k_names[prev], k_names[i]);
        prev = i;
    }
    csf_dyn_levels lv;
    memset(&lv, 0, sizeof lv);
    complete(have, zl, &lv);
    *out = lv;
    return CSF_OK;
}

int csf_dyn_levels_at(const csf_dyn_levels *lv, double z_mm)
{
    if (lv == NULL || lv->n == 0 || !isfinite(z_mm))
        return -1;
    size_t best = 0;
    for (size_t i = 1; i < lv->n; i++)
        if (fabs(lv->z_mm[i] - z_mm) < fabs(lv->z_mm[best] - z_mm))
            best = i;
    double spacing;
    if (lv->n == 1)
        spacing = std_height(lv->index[0]);
    else if (best == 0)
        spacing = fabs(lv->z_mm[0] - lv->z_mm[1]);
    else if (best + 1 == lv->n)
        spacing = fabs(lv->z_mm[best] - lv->z_mm[best - 1]);
    else
        spacing = 0.5 * fabs(lv->z_mm[best - 1] - lv->z_mm[best + 1]);
    if (fabs(lv->z_mm[best] - z_mm) > 0.75 * spacing)
        return -1;
    return lv->index[best];
}
