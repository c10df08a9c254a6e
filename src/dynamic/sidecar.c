/* Frame times from the BIDS sidecar JSON that dcm2niix writes beside each
 * converted series (-b y): AcquisitionDateTime / AcquisitionTime of the
 * series, and per-volume start times (FrameTimesStart, VolumeTiming) when the
 * series holds several volumes. docs/dynamic.md, "Frame times". */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/dynamic.h"

void csf_dyn_sidecar_release(csf_dyn_sidecar *s)
{
    if (s == NULL)
        return;
    free(s->vol_s);
    memset(s, 0, sizeof *s);
    s->acq_s = NAN;
}

/* Whole decimal field of exactly n digits at p. */
static int digits(const char *p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = 10 * v + (p[i] - '0');
    }
    *out = v;
    return 0;
}

/* "HH:MM:SS[.f]" (dcm2niix, whose seconds may lack the leading zero:
 * "12:00:2.750000") or "HHMMSS[.f]" (DICOM TM) -> s after midnight. */
static int parse_tm(const char *s, double *out)
{
    int h, m;
    int colon = strlen(s) >= 3 && s[2] == ':';
    if (digits(s, 2, &h) != 0 || digits(s + 2 + colon, 2, &m) != 0 || (colon && s[5] != ':'))
        return -1;
    const char *rest = s + 4 + 2 * colon;
    double sec = 0;
    if (colon) {
        char *end = NULL;
        if (*rest < '0' || *rest > '9')
            return -1;
        sec = strtod(rest, &end);
        if (*end != '\0')
            return -1;
    } else {
        int si;
        if (digits(rest, 2, &si) != 0)
            return -1;
        sec = si;
        rest += 2;
        if (*rest == '.') {
            char *end = NULL;
            double frac = strtod(rest, &end);
            if (end == rest + 1 || *end != '\0')
                return -1;
            sec += frac;
        } else if (*rest != '\0') {
            return -1;
        }
    }
    if (h > 23 || m > 59 || !(sec >= 0 && sec < 61))
        return -1;
    *out = 3600.0 * h + 60.0 * m + sec;
    return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DDTHH:MM:SS[.f]" -> s since 1970 (no time zone: only differences matter). */
static int parse_dt(const char *s, double *out)
{
    int y, mo, d;
    double tod;
    if (strlen(s) < 19 || digits(s, 4, &y) != 0 || s[4] != '-' || digits(s + 5, 2, &mo) != 0 ||
        s[7] != '-' || digits(s + 8, 2, &d) != 0 || s[10] != 'T' || mo < 1 || mo > 12 ||
        d < 1 || d > 31 || parse_tm(s + 11, &tod) != 0)
        return -1;
    *out = 86400.0 * (double)days_from_civil(y, mo, d) + tod;
    return 0;
}

static csf_status vol_times(const cJSON *a, const char *key, const char *name,
                            csf_dyn_sidecar *out, csf_error *err)
{
    int n = cJSON_GetArraySize(a);
    if (!cJSON_IsArray(a) || n < 1)
        return csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': %s is not a list of times", name,
                              key);
    out->vol_s = malloc((size_t)n * sizeof *out->vol_s);
    if (out->vol_s == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "'%s': out of memory", name);
    for (int i = 0; i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(a, i);
        if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble))
            return csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': %s[%d] is not a number", name,
                                  key, i);
        out->vol_s[i] = e->valuedouble;
        if (i > 0 && !(out->vol_s[i] > out->vol_s[i - 1]))
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "cannot read '%s': %s is not increasing (%g s after %g s "
                                 "at volume %d)",
                                 name, key, out->vol_s[i], out->vol_s[i - 1], i);
    }
    out->nvol = (size_t)n;
    return CSF_OK;
}

csf_status csf_dyn_sidecar_parse(const char *text, const char *name, csf_dyn_sidecar *out,
                                 csf_error *err)
{
    memset(out, 0, sizeof *out);
    out->acq_s = NAN;
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    if (root == NULL || !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "cannot read '%s': the sidecar is not a JSON object (truncated or "
                             "not JSON)", name);
    }
    csf_status st = CSF_OK;
    const cJSON *dt = cJSON_GetObjectItemCaseSensitive(root, "AcquisitionDateTime");
    const cJSON *tm = cJSON_GetObjectItemCaseSensitive(root, "AcquisitionTime");
    if (dt != NULL && (!cJSON_IsString(dt) || parse_dt(dt->valuestring, &out->acq_s) != 0))
        st = csf_error_set(err, CSF_ERR_FORMAT,
                           "cannot read '%s': AcquisitionDateTime is not YYYY-MM-DDTHH:MM:SS", name);
    else if (dt != NULL)
        out->has_date = 1;
    else if (tm != NULL && (!cJSON_IsString(tm) || parse_tm(tm->valuestring, &out->acq_s) != 0))
        st = csf_error_set(err, CSF_ERR_FORMAT,
                           "cannot read '%s': AcquisitionTime is not a time (HH:MM:SS)", name);
    static const char *const keys[2] = {"FrameTimesStart", "VolumeTiming"};
    for (int k = 0; k < 2 && st == CSF_OK && out->nvol == 0; k++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, keys[k]);
        if (a != NULL)
            st = vol_times(a, keys[k], name, out, err);
    }
    cJSON_Delete(root);
    if (st != CSF_OK)
        csf_dyn_sidecar_release(out);
    return st;
}
