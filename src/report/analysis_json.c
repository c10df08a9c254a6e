/* The "csfleak.analysis/1" document. Numbers are rounded to 0.1 mm / 0.001 ml
 * so that the text is stable across platforms. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/analysis_json.h"

static cJSON *num_or_null(double v, double q)
{
    return isfinite(v) ? cJSON_CreateNumber(round(v / q) * q) : cJSON_CreateNull();
}

static cJSON *str_or_null(const char *s) { return s ? cJSON_CreateString(s) : cJSON_CreateNull(); }

static cJSON *vec3(const double v[3])
{
    cJSON *a = cJSON_CreateArray();
    for (int q = 0; q < 3; q++)
        cJSON_AddItemToArray(a, num_or_null(v[q], 0.1));
    return a;
}

static cJSON *finding_json(const csf_finding *f, size_t station)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", csf_finding_kind_name(f->kind));
    if (f->kind == CSF_FIND_LEAK)
        cJSON_AddNumberToObject(o, "grade", f->grade);
    else
        cJSON_AddNullToObject(o, "grade");
    cJSON_AddItemToObject(o, "region", str_or_null(csf_region_name(f->region)));
    cJSON_AddItemToObject(o, "level", str_or_null(csf_level_name(f->level_index)));
    if (f->kind == CSF_FIND_SLEC)
        cJSON_AddItemToObject(o, "level_to", str_or_null(csf_level_name(f->level_to_index)));
    cJSON_AddStringToObject(o, "side", csf_side_name(f->side));
    cJSON_AddItemToObject(o, "center_mm", vec3(f->center_mm));
    cJSON_AddItemToObject(o, "lateral_extent_mm", num_or_null(f->lateral_extent_mm, 0.1));
    cJSON_AddItemToObject(o, "craniocaudal_extent_mm", num_or_null(f->craniocaudal_extent_mm, 0.1));
    cJSON_AddItemToObject(o, "volume_ml", num_or_null(f->volume_ml, 0.001));
    cJSON *ft = cJSON_AddObjectToObject(o, "features");
    cJSON_AddItemToObject(ft, "local_sac_width_mm", num_or_null(f->local_width_mm, 0.1));
    cJSON_AddItemToObject(ft, "extension_over_width", num_or_null(f->extension_ratio, 0.01));
    cJSON_AddItemToObject(ft, "sleeve_volume_ratio", num_or_null(f->sleeve_ratio, 0.01));
    cJSON_AddItemToObject(ft, "ball_fraction", num_or_null(f->ball_fraction, 0.01));
    cJSON_AddItemToObject(ft, "inscribed_radius_mm", num_or_null(f->inscribed_radius_mm, 0.1));
    cJSON_AddItemToObject(ft, "gap_to_sac_mm", num_or_null(f->min_wall_mm, 0.1));
    cJSON_AddItemToObject(ft, "signal_vs_csf", num_or_null(f->rel_intensity, 0.01));
    cJSON_AddItemToObject(ft, "elongation", num_or_null(f->elongation, 0.01));
    cJSON_AddItemToObject(ft, "continuous_with_sac", num_or_null(f->continuity, 0.01));
    cJSON_AddItemToObject(ft, "normal_sleeve_reach_mm", num_or_null(f->ref_reach_mm, 0.1));
    cJSON_AddStringToObject(o, "reason", f->reason);
    cJSON_AddNumberToObject(o, "station", (double)station);
    return o;
}

static void add_regions(cJSON *root, const csf_combined *c)
{
    cJSON *r = cJSON_AddObjectToObject(root, "regions");
    for (int q = 0; q < 3; q++) {
        cJSON *o = cJSON_AddObjectToObject(r, csf_region_name(q));
        if (c->assessable && c->region_assessed[q])
            cJSON_AddNumberToObject(o, "grade", c->region_grade[q]);
        else
            cJSON_AddNullToObject(o, "grade");
        cJSON_AddBoolToObject(o, "in_view", c->assessable && c->region_assessed[q]);
    }
}

/* Levels, sac and landmarks of the first station that has them. */
static void add_levels(cJSON *root, const csf_station_result *st, size_t n)
{
    cJSON *lv = cJSON_AddObjectToObject(root, "levels");
    const csf_levels *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const csf_levels *l = csf_spine_levels(st[i].spine);
        if (l->n > 0 && (best == NULL || l->n > best->n))
            best = l;
    }
    cJSON_AddStringToObject(lv, "method", csf_level_method_name(best ? best->method : CSF_LEVELS_NONE));
    cJSON *z = cJSON_AddObjectToObject(lv, "z_mm");
    for (size_t i = 0; i < n; i++) {
        const csf_levels *l = csf_spine_levels(st[i].spine);
        for (size_t q = 0; q < l->n; q++)
            if (!cJSON_HasObjectItem(z, l->name[q]))
                cJSON_AddItemToObject(z, l->name[q], num_or_null(l->z_mm[q], 0.1));
    }
}

static double k_to_z(const csf_spine *sp, double k)
{
    if (!isfinite(k))
        return NAN;
    size_t n, k0, k1;
    const csf_sac_slice *s = csf_spine_slices(sp, &n, &k0, &k1);
    size_t kr = (size_t)lround(k);
    double ijk[3] = {s[kr].center_vox[0], s[kr].center_vox[1], k}, w[3];
    csf_volume_ijk_to_ras(csf_spine_volume(sp), ijk, w);
    return w[2];
}

static void add_sac(cJSON *root, const csf_station_result *st, size_t n)
{
    cJSON *sac = cJSON_AddObjectToObject(root, "sac");
    int found = 0;
    cJSON *pl = cJSON_CreateArray();
    cJSON *sts = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        const csf_spine *sp = st[i].spine;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddBoolToObject(o, "found", csf_spine_found(sp));
        if (csf_spine_found(sp)) {
            found = 1;
            size_t nn, k0, k1;
            csf_spine_slices(sp, &nn, &k0, &k1);
            double zr[2] = {k_to_z(sp, (double)k0), k_to_z(sp, (double)k1)};
            cJSON *a = cJSON_AddArrayToObject(o, "z_range_mm");
            cJSON_AddItemToArray(a, num_or_null(zr[0], 0.1));
            cJSON_AddItemToArray(a, num_or_null(zr[1], 0.1));
            double ke, kt;
            csf_spine_landmarks(sp, &ke, &kt);
            cJSON_AddItemToObject(o, "sac_end_z_mm", num_or_null(k_to_z(sp, ke), 0.1));
            cJSON_AddItemToObject(o, "foramen_magnum_z_mm", num_or_null(k_to_z(sp, kt), 0.1));
        }
        cJSON_AddItemToArray(sts, o);
        const csf_analysis *an = st[i].analysis;
        for (size_t q = 0; q < an->nsac; q++) {
            const csf_sac_level *m = &an->sac[q];
            cJSON *e = cJSON_CreateObject();
            cJSON_AddItemToObject(e, "level", str_or_null(csf_level_name(m->level_index)));
            cJSON_AddItemToObject(e, "z_mm", num_or_null(m->z_mm, 0.1));
            cJSON_AddItemToObject(e, "width_lr_mm", num_or_null(m->width_lr_mm, 0.1));
            cJSON_AddItemToObject(e, "width_ap_mm", num_or_null(m->width_ap_mm, 0.1));
            cJSON_AddItemToObject(e, "area_mm2", num_or_null(m->area_mm2, 0.1));
            cJSON_AddNumberToObject(e, "station", (double)i);
            cJSON_AddItemToArray(pl, e);
        }
    }
    cJSON_AddBoolToObject(sac, "found", found);
    cJSON_AddItemToObject(sac, "per_level", pl);
    cJSON_AddItemToObject(sac, "stations", sts);
    cJSON *ec = cJSON_AddObjectToObject(root, "dural_ectasia");
    double ap = NAN, ratio = NAN;
    int sus = 0;
    for (size_t i = 0; i < n; i++) {
        const csf_analysis *an = st[i].analysis;
        if (isfinite(an->ectasia_ratio)) {
            ap = an->ectasia_ap_s1_mm;
            ratio = an->ectasia_ratio;
            sus = an->ectasia_suspected;
        }
    }
    cJSON_AddItemToObject(ec, "sac_ap_s1_mm", num_or_null(ap, 0.1));
    cJSON_AddItemToObject(ec, "lumbosacral_to_upper_lumbar_ratio", num_or_null(ratio, 0.01));
    cJSON_AddBoolToObject(ec, "suspected", sus);
}

static void add_input(cJSON *root, const csf_station_result *st, size_t n)
{
    cJSON *in = cJSON_AddObjectToObject(root, "input");
    cJSON *files = cJSON_AddArrayToObject(in, "files");
    cJSON *stations = cJSON_AddArrayToObject(in, "stations");
    int is2d = 0;
    for (size_t i = 0; i < n; i++) {
        const csf_volume *v = st[i].vol;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", st[i].path);
        if (st[i].nmerged > 1) { /* stations merged into one world grid */
            cJSON *m = cJSON_AddArrayToObject(o, "merged_from");
            for (size_t q = 0; q < st[i].nmerged; q++) {
                cJSON_AddItemToArray(files, cJSON_CreateString(st[i].merged_from[q]));
                cJSON_AddItemToArray(m, cJSON_CreateString(st[i].merged_from[q]));
            }
        } else {
            cJSON_AddItemToArray(files, cJSON_CreateString(st[i].path));
        }
        cJSON *d = cJSON_AddArrayToObject(o, "dims");
        for (int a = 0; a < 3; a++)
            cJSON_AddItemToArray(d, cJSON_CreateNumber((double)v->dim[a]));
        cJSON *vx = cJSON_AddArrayToObject(o, "voxel_mm");
        for (int a = 0; a < 3; a++)
            cJSON_AddItemToArray(vx, num_or_null(v->spacing[a], 0.001));
        if (st[i].src) {
            cJSON_AddStringToObject(o, "orientation", st[i].src->orient);
            cJSON_AddStringToObject(o, "format", st[i].src->format);
        }
        int s2 = csf_spine_is_2d(st[i].spine);
        is2d |= s2;
        cJSON_AddStringToObject(o, "protocol", s2 ? "2d" : "3d");
        double bg, thr;
        int heavy;
        const char *why;
        csf_spine_contrast(st[i].spine, &bg, &thr, &heavy, &why);
        cJSON_AddBoolToObject(o, "heavily_t2", heavy);
        cJSON_AddBoolToObject(o, "assessable", st[i].analysis->assessable);
        if (!st[i].analysis->assessable)
            cJSON_AddStringToObject(o, "reason", st[i].analysis->reason);
        cJSON_AddItemToArray(stations, o);
    }
    cJSON_AddStringToObject(in, "protocol", is2d ? "2d" : "3d");
}

static void add_timing(cJSON *root, const csf_station_result *st, size_t n, double total_ms)
{
    static const char *const names[5] = {"calibrate", "track_sac", "sac_shape", "extra_sac_fluid",
                                         "levels"};
    double sum[7] = {0};
    for (size_t i = 0; i < n; i++) {
        double ms[5];
        csf_spine_timing(st[i].spine, ms);
        sum[0] += st[i].read_ms;
        for (int q = 0; q < 5; q++)
            sum[q + 1] += ms[q];
        sum[6] += st[i].classify_ms;
    }
    cJSON *t = cJSON_AddObjectToObject(root, "timing_ms");
    cJSON_AddItemToObject(t, "read", num_or_null(sum[0], 0.1));
    for (int q = 0; q < 5; q++)
        cJSON_AddItemToObject(t, names[q], num_or_null(sum[q + 1], 0.1));
    cJSON_AddItemToObject(t, "classify", num_or_null(sum[6], 0.1));
    cJSON_AddItemToObject(t, "total", num_or_null(total_ms, 0.1));
}

csf_status csf_analysis_json(const csf_station_result *st, size_t n, const char *const *warnings,
                             size_t nwarn, double total_ms, char **out, csf_error *err)
{
    const csf_analysis *an[64];
    size_t na = n < 64 ? n : 64;
    for (size_t i = 0; i < na; i++)
        an[i] = st[i].analysis;
    csf_combined c;
    csf_analysis_combine(an, na, &c);
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot build JSON");
    cJSON_AddStringToObject(root, "schema", "csfleak.analysis/1");
    cJSON_AddStringToObject(root, "version", CSF_VERSION);
    cJSON_AddStringToObject(root, "notice", "research use only, not for diagnosis");
    cJSON_AddBoolToObject(root, "assessable", c.assessable);
    cJSON_AddBoolToObject(root, "positive", c.positive);
    add_regions(root, &c);
    cJSON_AddNumberToObject(root, "fov_grade", c.fov_grade);
    cJSON *sl = cJSON_AddObjectToObject(root, "slec");
    cJSON_AddBoolToObject(sl, "present", c.slec_present);
    cJSON_AddItemToObject(sl, "from", str_or_null(csf_level_name(c.slec_from)));
    cJSON_AddItemToObject(sl, "to", str_or_null(csf_level_name(c.slec_to)));
    cJSON *fa = cJSON_AddArrayToObject(root, "findings");
    for (size_t i = 0; i < n; i++)
        for (size_t q = 0; q < st[i].analysis->nfindings; q++)
            cJSON_AddItemToArray(fa, finding_json(&st[i].analysis->findings[q], i));
    add_levels(root, st, n);
    add_sac(root, st, n);
    add_input(root, st, n);
    cJSON *w = cJSON_AddArrayToObject(root, "warnings");
    for (size_t i = 0; i < nwarn; i++)
        cJSON_AddItemToArray(w, cJSON_CreateString(warnings[i]));
    add_timing(root, st, n, total_ms);
    char *txt = cJSON_Print(root);
    cJSON_Delete(root);
    if (txt == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot print JSON");
    *out = txt;
    return CSF_OK;
}
