#ifndef CSFLEAK_DETECT_INTERNAL_H
#define CSFLEAK_DETECT_INTERNAL_H
/* Private to src/detect. */
#include "csfleak/detect.h"

/* Classifies every extra of the spine into all[] (one per extra; kind
 * CSF_FIND_IGNORED for the unreported ones), then appends the leak arms of
 * longitudinal collections after them: all[] holds 2 n + 1 entries; returns
 * the number used (n + arms). Level and region are left -1. */
size_t csf_detect_classify(const csf_spine *sp, csf_finding *all);
/* 2D projection (classify_2d.c): grades the lateral components left
 * undecided (all[i].kind == -1; cand[i]: whole sleeves usable as references)
 * against the fluid signal at the wall of the neighbouring levels. Returns 0
 * (nothing done) when too few levels are named to compare with. */
int csf_detect_grade_2d(const csf_spine *sp, const int *cand, csf_finding *all);
/* Largest in-plane voxel size in mm (the 2D protocol: the row spacing). */
double csf_detect_voxel_mm(const csf_spine *sp);

#endif
