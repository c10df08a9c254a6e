#ifndef CSFLEAK_REPORT_PAGE_H
#define CSFLEAK_REPORT_PAGE_H
/* The page builder's shared state and its sections (src/report only). The
 * analysis JSON is read through tolerant accessors: a missing or mistyped key
 * is shown as absent, never guessed. */
#include <cjson/cJSON.h>
#include <stdint.h>

#include "csfleak/report.h"
#include "report/report_int.h"

/* ---- tolerant JSON access ---- */
const cJSON *csf_rj_get(const cJSON *o, const char *key);
/* String value or NULL. */
const char *csf_rj_str(const cJSON *o, const char *key);
/* Number value or NaN (also for JSON null, strings, missing keys). */
double csf_rj_num(const cJSON *o, const char *key);
/* The first of the NULL-terminated alternative keys that holds a number. */
double csf_rj_num_any(const cJSON *o, const char *const *keys);
/* A 3-number array; 1 on success, 0 otherwise (out untouched). */
int csf_rj_vec3(const cJSON *o, const char *key, double out[3]);
int csf_rj_vec3_of(const cJSON *v, double out[3]);
/* Integer grade 0..3 or -1 when absent/null/out of range. */
int csf_rj_grade(const cJSON *o, const char *key);

/* Anatomical order of a level name: C1 = 0 ... C7, T1.., L1.., S1..S5, Co;
 * -1 for anything else. Junction names such as "T12-L1" rank by the first. */
int csf_level_rank(const char *name);
/* Region of a level name ("cervical", "thoracic", "lumbar", "sacral") or NULL. */
const char *csf_level_region(const char *name);

typedef struct csf_rlevel {
    const char *name; /* points into the JSON document */
    double z_mm;      /* world z, NaN when not given */
    int rank;
} csf_rlevel;

/* One displayed projection: an image plus the mapping from world mm to its
 * display coordinates (mm from the top-left corner; rows run superior to
 * inferior, columns patient right to left or anterior to posterior). */
typedef struct csf_view {
    int axis;         /* projected voxel axis: 1 coronal, 0 sagittal, 2 axial */
    size_t lo[3];     /* voxel box that was projected (inclusive) */
    size_t hi[3];
    double w_mm;      /* display size */
    double h_mm;
    csf_buf uri;      /* "data:image/png;base64,..." or empty when unavailable */
    size_t px_w;      /* PNG size in pixels */
    size_t px_h;
    double trace_y0;  /* display rows (mm) to trace the sac in; none when y1 <= y0 */
    double trace_y1;
    double *trace;    /* traced sac course, display mm, x y interleaved (owned) */
    size_t ntrace;
} csf_view;

typedef struct csf_page {
    const cJSON *a;       /* analysis root (object) */
    const cJSON *truth;   /* truth root or NULL */
    const cJSON *findings;/* array or NULL */
    int nfind;
    const csf_volume *vol;
    const csf_report_opts *opts;
    const csf_exec *ex;
    csf_rlevel *levels;   /* sorted cranial to caudal */
    size_t nlevels;
    float win_lo;         /* display window shared by all images */
    float win_hi;
    csf_view cor;
    csf_view sag;
    csf_buf *b;
    double build_ms;      /* filled at the end for the metadata */
} csf_page;

/* Collects the level list from analysis "levels" (name -> z mm, in any of the
 * shapes docs/report.md lists); sorted by anatomical order, then by z. */
csf_status csf_page_levels(csf_page *pg, csf_error *err);
/* Alternative key names of the transverse and AP sac widths (NULL-terminated). */
extern const char *const csf_k_trans[];
extern const char *const csf_k_ap[];
/* sac.levels | sac.per_level: an array of records or an object keyed by level. */
const cJSON *csf_page_sac_records(const csf_page *pg);
/* Local sac transverse / AP width (mm) at a level name; NaN when unknown. */
double csf_page_sac_width(const csf_page *pg, const char *level, int ap);
/* The per-level sac record for a level name, or NULL. */
const cJSON *csf_page_sac_level(const csf_page *pg, const char *level);
/* The sac width that decides grade 2 vs 3 for finding f: its own
 * "sac_width_mm" (or features.sac_width_mm), else the sac at its level. */
double csf_page_finding_sac_width(const csf_page *pg, const cJSON *f);
/* Colour class of a finding: "k-leak1".."k-leak3", "k-cyst", "k-slec", "k-div",
 * "k-other". */
const char *csf_finding_class(const cJSON *f);
/* Short label such as "leak G3", "cyst", "SLEC"; buf >= 32. */
void csf_finding_label(const cJSON *f, char *buf, size_t n);

/* "T6", or "T3–T8" for a finding with level_to (SLEC); "" without a level. */
void csf_finding_level_text(const cJSON *f, char *buf, size_t n);

/* ---- rendering (render.c) ---- */
/* Projects v's voxel box along v->axis into v->uri (PNG data URI) and sets its
 * display size. The first call fixes the display window (pg->win_*) from its
 * projection, so crops share the window of the full views. */
csf_status csf_view_render(csf_page *pg, csf_view *v, csf_error *err);
/* World mm -> display mm of view v. */
void csf_view_map(const csf_page *pg, const csf_view *v, const double ras[3], double *x,
                  double *y);
void csf_view_release(csf_view *v);
/* Brightest continuous path through rows r0..r1 of an 8-bit w x h image:
 * xs[r - r0] = middle of the bright run it crosses (pixel units, smoothed),
 * NaN where the path leaves bright tissue. Returns the rows found. */
size_t csf_trace_path(const uint8_t *px, size_t w, size_t h, size_t r0, size_t r1, double *xs);
/* World points (x,y,z interleaved, malloc'd) of the sac centerline; 0 if none. */
size_t csf_page_centerline(const csf_page *pg, double **out);
/* Display rectangle (x0,y0,x1,y1) of finding f in view v; 0 if unlocated. */
int csf_finding_rect(const csf_page *pg, const csf_view *v, const cJSON *f, double r[4]);

/* ---- sections ---- */
/* "24.0 mm vs sac 14.0 mm (1.71x)" for finding f. */
void csf_page_extent_vs_sac(csf_page *pg, const cJSON *f);
void csf_page_banner(csf_page *pg);
csf_status csf_page_images(csf_page *pg, csf_error *err);
csf_status csf_page_crops(csf_page *pg, csf_error *err);
void csf_page_level_table(csf_page *pg);
void csf_page_findings_table(csf_page *pg);
void csf_page_plot(csf_page *pg);
void csf_page_scale(csf_page *pg);
void csf_page_truth(csf_page *pg);
void csf_page_meta(csf_page *pg);
/* The stylesheet and the script (static text). */
void csf_page_style(csf_buf *b);
void csf_page_script(csf_buf *b);

#endif
