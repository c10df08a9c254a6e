#ifndef CSF_SYNTH_RUN_H
#define CSF_SYNTH_RUN_H
/* A synthetic spine (detect_synth.h) through the whole pipeline, for the
 * detector tests: spine model, then detection, with the levels and findings
 * printed so that a failing assertion can be read against them. */
#include <stddef.h>

#include "csfleak/detect.h"
#include "csfleak/spine.h"

typedef struct synth_run {
    csf_volume *vol;
    csf_spine *sp;
    csf_analysis *an;
} synth_run;

/* Analyses vol (taken over; NULL fails) with `threads` threads (<= 1: the
 * calling thread). 0 on success; -1 with the error on stderr, r freed. */
int synth_run_volume(csf_volume *vol, int threads, synth_run *r);
void synth_run_free(synth_run *r);
/* Findings of one kind (CSF_FIND_*). */
size_t synth_count_kind(const csf_analysis *a, int kind);
/* The first finding of one kind, or NULL. */
const csf_finding *synth_first_kind(const csf_analysis *a, int kind);
/* Findings of one kind at a level (a csf_level_name such as "L3"; NULL: any
 * level) and a side (CSF_SIDE_*; -1: any side). */
size_t synth_count_at(const csf_analysis *a, int kind, const char *level, int side);
/* The highest grade of the leaks at a level and side (same wildcards as
 * synth_count_at); 0 when there is none. */
int synth_best_grade(const csf_analysis *a, const char *level, int side);
/* lv = the n named levels names[i] at world z[i] (method: from the sac end),
 * for tests of the reference rules on measured sleeves. */
void synth_levels_of(const char *const *names, const double *z, size_t n, csf_levels *lv);

#endif
