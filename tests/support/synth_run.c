#include "support/synth_run.h"

#include <stdio.h>
#include <string.h>

#include "csfleak/exec.h"

static void print_run(const synth_run *r)
{
    const csf_levels *lv = csf_spine_levels(r->sp);
    double ke, kt;
    csf_spine_landmarks(r->sp, &ke, &kt);
    printf("  levels %s (%zu), sac end k %.1f, top k %.1f\n", csf_level_method_name(lv->method), lv->n,
           ke, kt);
    for (size_t i = 0; i < r->an->nfindings; i++) {
        const csf_finding *f = &r->an->findings[i];
        const char *ln = csf_level_name(f->level_index);
        printf("  finding %s grade %d %s %s z %.1f: %s\n", csf_finding_kind_name(f->kind), f->grade,
               ln ? ln : "?", csf_side_name(f->side), f->center_mm[2], f->reason);
    }
}

int synth_run_volume(csf_volume *vol, int threads, synth_run *r)
{
    *r = (synth_run){vol, NULL, NULL};
    if (vol == NULL) {
        fprintf(stderr, "synth_run: no volume\n");
        return -1;
    }
    csf_error err = {0};
    csf_exec *ex = NULL;
    csf_status st = threads > 1 ? csf_exec_new(threads, &ex, &err) : CSF_OK;
    if (st == CSF_OK)
        st = csf_spine_analyze(vol, NULL, &r->sp, ex, &err);
    if (st == CSF_OK)
        st = csf_detect_run(r->sp, &r->an, &err);
    csf_exec_free(ex);
    if (st != CSF_OK) {
        fprintf(stderr, "synth_run: %s\n", err.msg);
        synth_run_free(r);
        return -1;
    }
    print_run(r);
    return 0;
}

void synth_run_free(synth_run *r)
{
    csf_analysis_free(r->an);
    csf_spine_free(r->sp);
    csf_volume_free(r->vol);
    *r = (synth_run){NULL, NULL, NULL};
}

size_t synth_count_kind(const csf_analysis *a, int kind)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nfindings; i++)
        n += a->findings[i].kind == kind;
    return n;
}

const csf_finding *synth_first_kind(const csf_analysis *a, int kind)
{
    for (size_t i = 0; i < a->nfindings; i++)
        if (a->findings[i].kind == kind)
            return &a->findings[i];
    return NULL;
}

static int finding_at(const csf_finding *f, int kind, const char *level, int side)
{
    return f->kind == kind && (level == NULL || f->level_index == csf_level_index(level)) &&
           (side < 0 || f->side == side);
}

size_t synth_count_at(const csf_analysis *a, int kind, const char *level, int side)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nfindings; i++)
        n += finding_at(&a->findings[i], kind, level, side);
    return n;
}

int synth_best_grade(const csf_analysis *a, const char *level, int side)
{
    int best = 0;
    for (size_t i = 0; i < a->nfindings; i++) {
        const csf_finding *f = &a->findings[i];
        if (finding_at(f, CSF_FIND_LEAK, level, side) && f->grade > best)
            best = f->grade;
    }
    return best;
}

void synth_levels_of(const char *const *names, const double *z, size_t n, csf_levels *lv)
{
    memset(lv, 0, sizeof *lv);
    lv->method = CSF_LEVELS_SLEEVES_SAC_END;
    lv->n = n;
    for (size_t i = 0; i < n; i++) {
        strncpy(lv->name[i], names[i], sizeof lv->name[i] - 1);
        lv->z_mm[i] = z[i];
    }
}
