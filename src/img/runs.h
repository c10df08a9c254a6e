#ifndef CSFLEAK_IMG_RUNS_H
#define CSFLEAK_IMG_RUNS_H
/* Private to src/img: run-length form of a binary mask, shared by labelling,
 * component statistics and morphology. A row is (j,k); rows are numbered
 * r = j + ny * k, so runs are stored in raster order of their first voxel. */
#include <stddef.h>
#include <stdint.h>
#include "csfleak/error.h"
#include "csfleak/exec.h"
#include "csfleak/img_label.h"
#include "csfleak/volume.h"

typedef struct csf_runs {
    size_t nx, ny, nz, nrows; /* nrows = ny * nz */
    size_t nruns;
    uint32_t *row_start;      /* nrows + 1 entries: runs of row r are [row_start[r], row_start[r+1]) */
    uint16_t *x0, *x1;        /* inclusive voxel bounds along i of each run */
} csf_runs;

/* Rows handed to one parallel chunk: depends on the row length only. */
size_t csf_runs_row_grain(size_t nx);

/* Checks that geom is a usable grid (dims within limits, spacing positive and
 * finite) and that `mask` is non-NULL; `who` names the caller in messages. */
csf_status csf_img_check_grid(const csf_volume *geom, const void *mask, const char *who,
                              csf_error *err);

/* Extracts the runs of non-zero voxels of mask (parallel over rows). */
csf_status csf_runs_build(const csf_volume *geom, const uint8_t *mask, csf_runs *runs,
                          const csf_exec *ex, csf_error *err);
void csf_runs_release(csf_runs *runs);

/* Labels the runs of mask: *run_label (malloc'd, nruns entries) gets each
 * run's component, 1..*ncomp in raster order. On success the caller releases
 * runs and frees *run_label. Implemented in label.c. */
csf_status csf_img_label_runs(const csf_volume *geom, const uint8_t *mask, csf_connectivity conn,
                              csf_runs *runs, uint32_t **run_label, size_t *ncomp,
                              const csf_exec *ex, csf_error *err);

/* Per-component statistics from runs and the component label of each run
 * (1..ncomp); implemented in component_stats.c. *out malloc'd. */
csf_status csf_img_component_stats(const csf_volume *geom, const csf_runs *runs,
                                   const uint32_t *run_label, size_t ncomp,
                                   csf_component **out, csf_error *err);

#endif
