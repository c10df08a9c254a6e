/* Dynamic phantoms: set-up (geometry, pathology, truth) and the series. All
 * randomness comes from a counter-based generator keyed by the seed, so a
 * seed gives the same series on any machine and thread count. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dyn_internal.h"

uint64_t csf_dyn_rng_u64(uint64_t seed, uint64_t counter)
{
    uint64_t z = seed * 0x9E3779B97F4A7C15ull + counter * 0xD1B54A32D192ED03ull + 0x632BE59BD9B4E019ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double csf_dyn_rng_unif(uint64_t seed, uint64_t counter)
{
    return (double)(csf_dyn_rng_u64(seed, counter) >> 11) * (1.0 / 9007199254740992.0);
}

double csf_dyn_rng_normal(uint64_t seed, uint64_t counter)
{
    double u1 = csf_dyn_rng_unif(seed, 2 * counter), u2 = csf_dyn_rng_unif(seed, 2 * counter + 1);
    return sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
}

static const char *const k_ph[] = {"none", "ventral", "lateral", "cvf", "diverticulum",
                                   "flooded", "random"};

int csf_dyn_ph_kind_parse(const char *s, csf_dyn_ph_kind *out, int *leak_any)
{
    *leak_any = 0;
    if (s != NULL && strcmp(s, "leak") == 0) {
        *out = CSF_DYN_PH_VENTRAL;
        *leak_any = 1;
        return 0;
    }
    for (int i = 0; i < 7; i++)
        if (s != NULL && strcmp(s, k_ph[i]) == 0) {
            *out = (csf_dyn_ph_kind)i;
            return 0;
        }
    return -1;
}

/* Set-up random streams: counter ranges that never overlap the voxel noise
 * (which uses counters >= 2^32). */
static double U(const dyn_ph *ph, int k)
{
    return csf_dyn_rng_unif(ph->o.seed, 1000 + (uint64_t)k);
}

static int resolve_kind(const csf_dyn_phantom_opts *o, const dyn_ph *ph)
{
    if (o->leak_any)
        return U(ph, 1) < 0.5 ? CSF_DYN_PH_VENTRAL : CSF_DYN_PH_LATERAL;
    if (o->kind != CSF_DYN_PH_RANDOM)
        return o->kind;
    static const double w[6] = {0.2, 0.2, 0.2, 0.16, 0.12, 0.12};
    double u = U(ph, 2), c = 0;
    for (int i = 0; i < 6; i++) {
        c += w[i];
        if (u < c)
            return i;
    }
    return CSF_DYN_PH_NONE;
}

static double lv_height(int idx)
{
    return idx < 7 ? 16.0 : idx < 19 ? 22.0 : idx < 24 ? 30.0 : 25.0;
}

/* CTM / DSM geometry: a run of levels from a random start between C7 and the
 * sacrum (S1-S2, fused): 10-12 for CT (a dynamic CT covers much of the
 * spine), 7 for DSM (a collimated fluoroscopic field). An anchor for counting
 * (the cervicothoracic or thoracolumbar rib transition, or the sacrum) is
 * therefore often, not always, in view. The pathology lies at a mobile level
 * away from the ends. */
static void setup_spine(dyn_ph *ph)
{
    int ct = ph->o.modality == CSF_DYN_CTM;
    int nlev = ct ? 10 + (int)(U(ph, 400) * 3) : 7; /* counters >= 300: clear of motion */
    int lv0 = 6 + (int)(U(ph, 3) * (double)(26 - nlev - 6 + 1));
    double total = 0;
    for (int i = 0; i < nlev; i++)
        total += lv_height(lv0 + i);
    double s = ph->o.scale > 0 ? ph->o.scale : 1;
    ph->sp[0] = ph->sp[1] = (ct ? 1.5 : 1.0) / s;
    ph->sp[2] = (ct ? 2.0 : 1.0) / s;
    ph->dim[0] = (size_t)lround((ct ? 96.0 : 96.0) / ph->sp[0]);
    ph->dim[1] = ct ? ph->dim[0] : 1;
    ph->dim[2] = (size_t)ceil((total + 16) / ph->sp[2]);
    ph->z0_mm = -450 + 150 * U(ph, 4);
    double ztop = ph->z0_mm + (double)(ph->dim[2] - 1) * ph->sp[2], z = ztop - 8;
    ph->lv.n = (size_t)nlev;
    for (int i = 0; i < nlev; i++) {
        double h = lv_height(lv0 + i);
        ph->lv.index[i] = lv0 + i;
        ph->lv.z_mm[i] = z - 0.5 * h;
        z -= h;
        ph->sleeve_len[i] = 5 + 3 * U(ph, 300 + i);
        ph->sleeve_r[i] = 1.2 + 0.6 * U(ph, 330 + i);
    }
    int last = nlev - 2;
    if (lv0 + last > 23)
        last = 23 - lv0; /* mobile levels only (L5 at most) */
    int li = 1 + (int)(U(ph, 5) * (double)last);
    ph->level = lv0 + li;
    ph->leak_z = ph->lv.z_mm[li] - 0.3 * lv_height(ph->level);
}

static void setup_timing(dyn_ph *ph)
{
    int ct = ph->o.modality == CSF_DYN_CTM;
    size_t nf = ph->o.nframes ? ph->o.nframes : (ct ? 8 : 24);
    if (nf > 64)
        nf = 64;
    if (ph->kind == CSF_DYN_PH_FLOODED && ct && U(ph, 6) < 0.5)
        nf = 2; /* a static delayed study: the reference and one flooded frame */
    ph->nframes = nf;
    ph->dt = ct ? 6.0 + 4 * U(ph, 7) : 0.5 + 0.5 * U(ph, 7);
    double bottom = ph->z0_mm, top = bottom + (double)(ph->dim[2] - 1) * ph->sp[2];
    ph->front0 = bottom - 10 - 20 * U(ph, 8);
    double fill = nf > 2 ? 0.6 * (double)(nf - 1) : 1;
    ph->front_v = (top + 10 - ph->front0) / fill;
    double reach = (ph->leak_z + 6 - ph->front0) / ph->front_v;
    size_t f = (size_t)ceil(reach);
    if (f < 1)
        f = 1;
    if (ph->kind != CSF_DYN_PH_DIVERTICULUM && nf > 4 && U(ph, 9) < 0.3)
        f++;
    if (nf > 2 && f > nf - 3)
        f = nf - 3;
    ph->first_frame = nf == 2 ? 1 : f;
    ph->noise = ct ? 6 + 9 * U(ph, 30) : 0.002 + 0.002 * U(ph, 30);
    ph->dilution = 0.4 + 0.4 * U(ph, 31);
    ph->leak_rate = U(ph, 32);
    int moving = U(ph, 33) < 0.5 && nf > 2;
    for (size_t t = 0; t < nf && t < 64; t++)
        for (int a = 0; a < 3; a++) {
            double lim = a == 2 ? 1.0 : 1.5;
            ph->shift[t][a] = moving && t > 0 ? lim * (2 * U(ph, 40 + 3 * (int)t + a) - 1) : 0;
        }
    if (!ct)
        ph->shift[0][1] = 0;
    for (size_t t = 0; t < nf && !ct; t++)
        ph->shift[t][1] = 0;
}

/* RIC: a whole-body posterior view, head to bladder, In-111 at ~0.5-24 h. */
static void setup_ric(dyn_ph *ph)
{
    double s = ph->o.scale > 0 ? ph->o.scale : 1;
    ph->sp[0] = ph->sp[1] = ph->sp[2] = 2.5 / s;
    ph->dim[0] = (size_t)lround(400 / ph->sp[0]);
    ph->dim[1] = 1;
    ph->dim[2] = (size_t)lround(1000 / ph->sp[2]);
    ph->z0_mm = -(double)(ph->dim[2] - 1) * ph->sp[2];
    double z = -15 - 150 - 70 - 8; /* head top, head, foramen magnum, C1 centre */
    ph->lv.n = 26;
    for (int i = 0; i < 26; i++) {
        double h = lv_height(i);
        ph->lv.index[i] = i;
        ph->lv.z_mm[i] = z;
        z -= 0.5 * (h + lv_height(i + 1));
    }
    static const double base[5] = {0.5, 2, 4, 6, 24};
    ph->nframes = ph->o.nframes && ph->o.nframes <= 5 ? ph->o.nframes : 5;
    for (size_t t = 0; t < ph->nframes; t++)
        ph->ric_times[t] = base[t] * (1 + 0.08 * U(ph, 50 + (int)t));
    for (int k = 0; k < 3; k++)
        ph->ric_grade[k] = 0;
    int leak = ph->kind != CSF_DYN_PH_NONE;
    ph->ric_bladder = leak && U(ph, 60) < 0.7;
    ph->ric_convex_absent = leak && U(ph, 61) < 0.6;
    ph->ric_fast = leak && U(ph, 62) < 0.6;
    ph->noise = 1.0;
    ph->first_frame = U(ph, 63) < 0.5 ? 0 : 1;
}

/* RIC leak blobs: n, level, side, hot, long (deterministic from the seed). */
int csf_dyn_ph_ric_leak(const dyn_ph *ph, int i, int *level, int *side, int *hot, int *lng)
{
    if (ph->kind == CSF_DYN_PH_NONE)
        return 0;
    int n = U(ph, 70) < 0.2 ? 2 : 1;
    if (i >= n)
        return 0;
    *level = 2 + (int)(U(ph, 71 + 4 * i) * 21); /* C3..L4 */
    *side = U(ph, 72 + 4 * i) < 0.5 ? CSF_DYN_LEFT : CSF_DYN_RIGHT;
    *hot = U(ph, 73 + 4 * i) < 0.5;
    *lng = U(ph, 74 + 4 * i) < 0.5;
    return 1;
}

csf_status csf_dyn_ph_setup(const csf_dyn_phantom_opts *o, dyn_ph *ph, csf_error *err)
{
    if (o == NULL || (unsigned)o->modality > 2 || (unsigned)o->kind > CSF_DYN_PH_RANDOM ||
        !(o->scale >= 0 && o->scale <= 8))
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "phantom: bad options");
    memset(ph, 0, sizeof *ph);
    ph->o = *o;
    ph->kind = resolve_kind(o, ph);
    if (o->modality == CSF_DYN_RIC) {
        setup_ric(ph);
        for (int i = 0; i < 2; i++) {
            int lv, sd, hot, lng;
            if (!csf_dyn_ph_ric_leak(ph, i, &lv, &sd, &hot, &lng))
                break;
            int g = hot ? (lng ? 3 : 2) : (lng ? 2 : 1), r = csf_dyn_level_region(lv);
            if (g > ph->ric_grade[r])
                ph->ric_grade[r] = g;
            if (i == 0) {
                ph->level = lv;
                ph->side = sd;
            }
        }
        return CSF_OK;
    }
    setup_spine(ph);
    ph->side = ph->kind == CSF_DYN_PH_VENTRAL || ph->kind == CSF_DYN_PH_FLOODED
                   ? CSF_DYN_VENTRAL
                   : (U(ph, 12) < 0.5 ? CSF_DYN_LEFT : CSF_DYN_RIGHT);
    setup_timing(ph);
    return CSF_OK;
}

static const char *truth_kind(int k)
{
    return k == CSF_DYN_PH_CVF ? "cvf" : k == CSF_DYN_PH_DIVERTICULUM ? "diverticulum" : "leak";
}

static void truth_first(const dyn_ph *ph, const double *times, cJSON *root)
{
    int ric = ph->o.modality == CSF_DYN_RIC;
    int flooded = ph->kind == CSF_DYN_PH_FLOODED && ph->nframes == 2;
    cJSON_AddBoolToObject(root, "flooded", flooded);
    if (ph->kind == CSF_DYN_PH_NONE || flooded) {
        cJSON_AddNullToObject(root, "first_leak");
        return;
    }
    cJSON *fl = cJSON_AddObjectToObject(root, "first_leak");
    cJSON_AddNumberToObject(fl, "frame", (double)ph->first_frame);
    cJSON_AddNumberToObject(fl, ric ? "time_h" : "time_s", times[ph->first_frame]);
    cJSON_AddStringToObject(fl, "level", csf_dyn_level_name(ph->level));
    cJSON_AddStringToObject(fl, "side", csf_dyn_side_name((csf_dyn_side)ph->side));
    cJSON_AddStringToObject(fl, "kind", ric ? "leak" : truth_kind(ph->kind));
}

static void truth_ric(const dyn_ph *ph, cJSON *root)
{
    static const char *const rn[3] = {"cervical", "thoracic", "lumbar"};
    cJSON *rg = cJSON_AddObjectToObject(root, "regions");
    int pos = 0;
    for (int k = 0; k < 3; k++) {
        cJSON *o = cJSON_AddObjectToObject(rg, rn[k]);
        cJSON_AddNumberToObject(o, "grade", ph->ric_grade[k]);
        pos |= ph->ric_grade[k] >= 1;
    }
    cJSON_AddBoolToObject(root, "positive", pos);
    /* all foci start together: each is an acceptable "first" */
    cJSON *sites = cJSON_AddArrayToObject(root, "sites");
    for (int i = 0; i < 2; i++) {
        int lv, sd, hot, lng;
        if (!csf_dyn_ph_ric_leak(ph, i, &lv, &sd, &hot, &lng))
            break;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "frame", (double)ph->first_frame);
        cJSON_AddStringToObject(o, "level", csf_dyn_level_name(lv));
        cJSON_AddStringToObject(o, "side", csf_dyn_side_name((csf_dyn_side)sd));
        cJSON_AddStringToObject(o, "kind", "leak");
        cJSON_AddItemToArray(sites, o);
    }
    cJSON *ind = cJSON_AddObjectToObject(root, "indirect");
    cJSON_AddBoolToObject(ind, "bladder_early", ph->ric_bladder);
    cJSON_AddBoolToObject(ind, "convexity_absent_24h", ph->ric_convex_absent);
    cJSON_AddBoolToObject(ind, "fast_clearance", ph->ric_fast);
}

static csf_status truth_json(const dyn_ph *ph, const double *times, char **out, csf_error *err)
{
    static const char *const kn[6] = {"none", "ventral", "lateral", "cvf", "diverticulum", "flooded"};
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "csfleak.truth/1");
    cJSON *gen = cJSON_AddObjectToObject(root, "generator");
    cJSON_AddStringToObject(gen, "program", "csfleak dynamic --make-phantom");
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)ph->o.seed);
    cJSON_AddStringToObject(gen, "seed", seed);
    cJSON *dy = cJSON_AddObjectToObject(root, "dynamic");
    cJSON_AddStringToObject(dy, "modality", csf_dyn_modality_name(ph->o.modality));
    cJSON_AddStringToObject(dy, "phantom_kind", kn[ph->kind]);
    cJSON_AddNumberToObject(dy, "frames", (double)ph->nframes);
    cJSON_AddItemToObject(dy, "times", cJSON_CreateDoubleArray(times, (int)ph->nframes));
    cJSON_AddStringToObject(dy, "time_unit", ph->o.modality == CSF_DYN_RIC ? "h" : "s");
    cJSON *mv = cJSON_AddArrayToObject(dy, "motion_vox");
    for (size_t f = 0; f < ph->nframes && ph->o.modality != CSF_DYN_RIC; f++)
        cJSON_AddItemToArray(mv, cJSON_CreateDoubleArray(ph->shift[f], 3));
    cJSON *lv = cJSON_AddObjectToObject(root, "levels");
    for (size_t i = 0; i < ph->lv.n; i++)
        cJSON_AddNumberToObject(lv, csf_dyn_level_name(ph->lv.index[i]), ph->lv.z_mm[i]);
    truth_first(ph, times, root);
    if (ph->o.modality == CSF_DYN_RIC)
        truth_ric(ph, root);
    else
        cJSON_AddBoolToObject(root, "positive", ph->kind != CSF_DYN_PH_NONE &&
                                                   !(ph->kind == CSF_DYN_PH_FLOODED && ph->nframes == 2));
    char *txt = cJSON_Print(root);
    cJSON_Delete(root);
    if (txt == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "phantom: out of memory for the truth");
    *out = txt;
    return CSF_OK;
}

csf_status csf_dyn_phantom_make(const csf_dyn_phantom_opts *o, csf_volume **vol, double **times,
                                char **truth_json_out, csf_dyn_levels *levels, csf_error *err)
{
    dyn_ph *ph = malloc(sizeof *ph);
    if (ph == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "phantom: out of memory");
    csf_status st = csf_dyn_ph_setup(o, ph, err);
    csf_volume *v = NULL, frame = {0};
    double *t = NULL;
    char *tj = NULL;
    size_t dim[4] = {ph->dim[0], ph->dim[1], ph->dim[2], ph->nframes};
    if (st == CSF_OK)
        st = csf_volume_new(dim, ph->sp, &v, err);
    if (st == CSF_OK && (t = malloc(ph->nframes * sizeof *t)) == NULL)
        st = csf_error_set(err, CSF_ERR_NOMEM, "phantom: out of memory");
    if (st == CSF_OK) {
        v->affine[2][3] = ph->z0_mm;
        v->affine[0][3] = -0.5 * (double)(ph->dim[0] - 1) * ph->sp[0];
        v->affine[1][3] = -0.5 * (double)(ph->dim[1] - 1) * ph->sp[1];
        frame = *v;
        frame.dim[3] = 1;
        size_t nvox = csf_volume_nvox(v);
        for (size_t f = 0; f < ph->nframes; f++) {
            t[f] = o->modality == CSF_DYN_RIC ? ph->ric_times[f] : (double)f * ph->dt;
            frame.data = v->data + f * nvox;
            csf_dyn_ph_render(ph, f, &frame);
        }
        st = truth_json(ph, t, &tj, err);
    }
    if (st == CSF_OK && levels != NULL)
        *levels = ph->lv;
    if (st != CSF_OK) {
        csf_volume_free(v);
        free(t);
        free(ph);
        return st;
    }
    *vol = v;
    *times = t;
    *truth_json_out = tj;
    free(ph);
    return CSF_OK;
}
