/* The streaming analyzer: frames in, result out. Frame 0 becomes the
 * reference (CTM: the native HU; raw DSM: the mask frame). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dyn_internal.h"

static const char *const k_mod[] = {"ctm", "dsm", "ric"};
static const char *const k_kind[] = {"leak", "cvf", "diverticulum"};
static const char *const k_side[] = {"left", "right", "ventral", "dorsal"};

const char *csf_dyn_modality_name(csf_dyn_modality m)
{
    return (unsigned)m < 3 ? k_mod[m] : "?";
}

int csf_dyn_modality_parse(const char *s, csf_dyn_modality *out)
{
    for (int i = 0; i < 3; i++)
        if (s != NULL && strcmp(s, k_mod[i]) == 0) {
            *out = (csf_dyn_modality)i;
            return 0;
        }
    return -1;
}

const char *csf_dyn_kind_name(csf_dyn_kind k)
{
    return (unsigned)k < 3 ? k_kind[k] : "?";
}

const char *csf_dyn_side_name(csf_dyn_side s)
{
    return (unsigned)s < 4 ? k_side[s] : "?";
}

void csf_dyn_params_init(csf_dyn_params *p, csf_dyn_modality m)
{
    memset(p, 0, sizeof *p);
    p->modality = m;
    p->dsm_subtracted = -1;
    p->motion = 1;
    p->isotope_half_life_h = 67.3;
}

csf_status csf_dyn_analyzer_new(const csf_dyn_params *p, csf_dyn_analyzer **out, csf_error *err)
{
    if (p == NULL || (unsigned)p->modality > 2)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "dynamic: bad parameters");
    csf_dyn_analyzer *a = calloc(1, sizeof *a);
    if (a == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
    a->p = *p;
    if (p->levels != NULL)
        a->lv = *p->levels;
    csf_dyn_levels_info *li = &a->lv_info;
    snprintf(li->method, sizeof li->method, "%s", a->lv.n > 0 ? "user_landmarks" : "none");
    if (a->lv.n > 0)
        snprintf(li->reason, sizeof li->reason, "given (--levels)");
    else if (p->modality == CSF_DYN_RIC)
        snprintf(li->reason, sizeof li->reason,
                 "radioisotope cisternography shows no bone: give --levels");
    a->p.levels = NULL;
    if (!(a->p.isotope_half_life_h > 0))
        a->p.isotope_half_life_h = 67.3;
    *out = a;
    return CSF_OK;
}

void csf_dyn_analyzer_free(csf_dyn_analyzer *a)
{
    if (a == NULL)
        return;
    csf_volume_free(a->ref);
    free(a->ref_prof);
    free(a->sitemap);
    free(a->slices);
    free(a->model);
    for (size_t i = 0; i < a->nsites; i++)
        free(a->sites[i].size);
    free(a->sites);
    free(a->frames);
    csf_dyn_ric_free(a->ric);
    free(a->key_rgb);
    free(a);
}

void csf_dyn_result_free(csf_dyn_result *r)
{
    if (r == NULL)
        return;
    free(r->frames);
    free(r->sites);
    free(r->key_rgb);
    free(r);
}

double csf_dyn_unit(const csf_dyn_analyzer *a)
{
    double u = 1;
    for (int i = 0; i < 3; i++)
        if (a->dim[i] > 1)
            u *= a->spacing[i];
    return u;
}

static csf_status check_frame(csf_dyn_analyzer *a, const csf_volume *f, double time,
                              csf_error *err)
{
    if (a->nframes == 0) {
        int flat = 0;
        for (int i = 0; i < 3; i++)
            flat += f->dim[i] == 1;
        if (a->p.modality == CSF_DYN_CTM && flat > 0)
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "dynamic CT myelography needs 3-D frames, got %zu x %zu x %zu",
                                 f->dim[0], f->dim[1], f->dim[2]);
        if (a->p.modality != CSF_DYN_CTM && (flat != 1 || f->dim[1] != 1))
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "%s needs 2-D coronal (frontal) frames, got %zu x %zu x %zu",
                                 a->p.modality == CSF_DYN_DSM ? "DSM" : "RIC", f->dim[0],
                                 f->dim[1], f->dim[2]);
        memcpy(a->dim, f->dim, sizeof a->dim);
        memcpy(a->spacing, f->spacing, sizeof a->spacing);
        memcpy(a->affine, f->affine, sizeof a->affine);
        return CSF_OK;
    }
    for (int i = 0; i < 3; i++)
        if (f->dim[i] != a->dim[i])
            return csf_error_set(err, CSF_ERR_FORMAT,
                                 "frame %zu is %zu x %zu x %zu, frame 0 was %zu x %zu x %zu",
                                 a->nframes, f->dim[0], f->dim[1], f->dim[2], a->dim[0],
                                 a->dim[1], a->dim[2]);
    if (!(time > a->frames[a->nframes - 1].time))
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "frame %zu: time %g does not follow %g (frames must be in time order)",
                             a->nframes, time, a->frames[a->nframes - 1].time);
    return CSF_OK;
}

static csf_status grow(csf_dyn_analyzer *a, csf_error *err)
{
    if (a->nframes < a->cap)
        return CSF_OK;
    size_t nc = a->cap ? 2 * a->cap : 16;
    csf_dyn_frame *f = realloc(a->frames, nc * sizeof *f);
    if (f == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
    a->frames = f;
    for (size_t i = 0; i < a->nsites; i++) {
        double *s = realloc(a->sites[i].size, nc * sizeof *s);
        if (s == NULL)
            return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
        a->sites[i].size = s;
    }
    a->cap = nc;
    return CSF_OK;
}

csf_status csf_dyn_analyzer_push(csf_dyn_analyzer *a, csf_volume *frame, double time,
                                 const csf_exec *ex, csf_error *err)
{
    if (a == NULL || frame == NULL || !isfinite(time))
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "dynamic: bad frame");
    csf_status st = check_frame(a, frame, time, err);
    if (st == CSF_OK)
        st = grow(a, err);
    if (st != CSF_OK)
        return st;
    csf_dyn_frame *fr = &a->frames[a->nframes];
    memset(fr, 0, sizeof *fr);
    fr->time = time;
    fr->sac_top_mm = fr->sac_bottom_mm = NAN;
    if (a->p.modality == CSF_DYN_RIC)
        st = csf_dyn_ric_push(a, frame, time, err);
    else
        st = csf_dyn_track_frame(a, frame, ex, err);
    if (st != CSF_OK)
        return st;
    a->nframes++;
    return csf_exec_progress(ex, "dynamic", 0, err);
}

static csf_status finish_tracked(csf_dyn_analyzer *a, csf_dyn_result *r, csf_error *err)
{
    if (a->nframes < 2)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "%s: %zu frame(s): a reference frame and at least one later frame "
                             "are needed", csf_dyn_modality_name(a->p.modality), a->nframes);
    csf_dyn_sites_classify(a);
    r->flooded = a->flooded;
    if (a->flooded) {
        snprintf(r->note, sizeof r->note,
                 "epidural contrast over most of the spine when first seen (flooded): site not "
                 "determinable from this study - a dynamic study is needed");
        return CSF_OK;
    }
    if (a->key_rgb != NULL) {
        r->key_rgb = a->key_rgb;
        r->key_w = a->key_w;
        r->key_h = a->key_h;
        r->key_frame = a->key_frame;
        a->key_rgb = NULL;
    }
    if (a->nsites > 0) {
        r->sites = calloc(a->nsites, sizeof *r->sites);
        if (r->sites == NULL)
            return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
        for (size_t i = 0; i < a->nsites; i++)
            r->sites[i] = a->sites[i].pub;
        r->nsites = a->nsites;
    }
    r->positive = r->nsites > 0;
    snprintf(r->note, sizeof r->note, "%s",
             r->nsites ? "extrathecal contrast found" : "no extrathecal contrast");
    return CSF_OK;
}

csf_status csf_dyn_analyzer_finish(csf_dyn_analyzer *a, csf_dyn_result **out, csf_error *err)
{
    csf_dyn_result *r = calloc(1, sizeof *r);
    if (r == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
    r->modality = a->p.modality;
    r->region_grade[0] = r->region_grade[1] = r->region_grade[2] = -1;
    r->convexity_absent_24h = r->fast_clearance = -1;
    r->clearance_half_h = NAN;
    r->canal_width_mm = NAN;
    csf_status st = a->p.modality == CSF_DYN_RIC ? csf_dyn_ric_finish(a, r, err)
                                                 : finish_tracked(a, r, err);
    r->levels = a->lv;
    r->levels_info = a->lv_info;
    if (st == CSF_OK && a->nframes > 0 && r->frames == NULL) {
        r->frames = malloc(a->nframes * sizeof *r->frames);
        if (r->frames == NULL)
            st = csf_error_set(err, CSF_ERR_NOMEM, "dynamic: out of memory");
        else
            memcpy(r->frames, a->frames, a->nframes * sizeof *r->frames);
        r->nframes = a->nframes;
    }
    if (st != CSF_OK) {
        csf_dyn_result_free(r);
        return st;
    }
    *out = r;
    return CSF_OK;
}
