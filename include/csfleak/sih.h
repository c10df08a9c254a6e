#ifndef CSFLEAK_SIH_H
#define CSFLEAK_SIH_H
/* Clinical reasoning around spontaneous intracranial hypotension (SIH):
 * the Bern score, brain measurements from landmarks, ICHD-3 7.2.3, the
 * Schievink leak type, the next step of the stepwise work-up, and mining of
 * free-text radiology reports. Research use only, never a diagnosis.
 * Depends on core only. Rule tables and thresholds are documented in
 * docs/sih.md with their sources. */
#include <stddef.h>
#include "csfleak/error.h"

/* A three-valued answer: the item was seen, was looked for and not seen, or
 * is not known (not assessed, not mentioned, or equivocal). */
typedef enum csf_tri { CSF_TRI_UNKNOWN = -1, CSF_TRI_NO = 0, CSF_TRI_YES = 1 } csf_tri;

/* ---- Bern score (Dobrocky et al., JAMA Neurol 2019;76(5):580-587) ---- */
enum csf_bern_item {
    CSF_BERN_PACHY = 0,      /* diffuse pachymeningeal enhancement, 2 points */
    CSF_BERN_VENOUS,         /* engorgement of the venous sinuses, 2 points */
    CSF_BERN_SUPRASELLAR,    /* suprasellar cistern <= 4.0 mm, 2 points */
    CSF_BERN_SUBDURAL,       /* subdural fluid collection, 1 point */
    CSF_BERN_PREPONTINE,     /* prepontine cistern <= 5.0 mm, 1 point */
    CSF_BERN_MAMILLOPONTINE, /* mamillopontine distance <= 6.5 mm, 1 point */
    CSF_BERN_NITEMS
};

/* Published cut-offs in mm: a measurement at or below it scores. */
#define CSF_BERN_SUPRASELLAR_MM 4.0
#define CSF_BERN_PREPONTINE_MM 5.0
#define CSF_BERN_MAMILLOPONTINE_MM 6.5

enum csf_bern_category {
    CSF_BERN_CAT_NONE = -1, /* not fixed yet: unknown items could change it */
    CSF_BERN_CAT_LOW = 0,   /* 0-2 */
    CSF_BERN_CAT_INTERMEDIATE = 1, /* 3-4 */
    CSF_BERN_CAT_HIGH = 2   /* 5-9 */
};

typedef struct csf_bern_result {
    int points[CSF_BERN_NITEMS]; /* points per item; -1 when the item is unknown */
    int total_min;               /* total if every unknown item is absent */
    int total_max;               /* total if every unknown item is present */
    int cat_min, cat_max;        /* categories of total_min and total_max */
    int category;                /* cat_min when cat_min == cat_max, else CSF_BERN_CAT_NONE */
} csf_bern_result;

/* Scores the six items; never fails. */
void csf_bern_score(const csf_tri item[CSF_BERN_NITEMS], csf_bern_result *out);
/* Item as the machine name used in JSON ("pachymeningeal_enhancement"). */
const char *csf_bern_item_name(int item);
/* Points the item gives when present (2 or 1); 0 for an invalid index. */
int csf_bern_item_weight(int item);
/* "low", "intermediate", "high"; NULL for CSF_BERN_CAT_NONE. */
const char *csf_bern_category_name(int category);
/* Category of a total 0..9. */
int csf_bern_category_of(int total);
/* A measured value in mm -> CSF_TRI_YES when at or below the item's cut-off;
 * CSF_TRI_UNKNOWN for a non-finite or negative value or a non-measured item. */
csf_tri csf_bern_item_from_mm(int item, double mm);

/* ---- Brain measurements from 3D landmarks (world mm, any orientation;
 * "superior" is +z of RAS/LPS alike, used only to sign the tonsil descent) ---- */
typedef struct csf_brain_landmarks {
    double mamillary_body[3];  /* inferior edge of the mamillary body */
    double pons_top[3];        /* superior edge of the pons */
    double midbrain_ant[3];    /* point on the anterior midbrain surface */
    double pmj[3];             /* pontomesencephalic junction (vertex of the angle) */
    double pons_ant[3];        /* point on the anterior pons surface */
    double tonsil_tip[3];      /* lowest point of the cerebellar tonsil */
    double basion[3];
    double opisthion[3];
    double pituitary_top[3];   /* highest point of the gland */
    double sella_floor[3];     /* floor of the sella below it */
    unsigned have;             /* bit mask of enum csf_landmark_set: which groups are given */
} csf_brain_landmarks;

enum csf_landmark_set {
    CSF_LM_MAMILLOPONTINE = 1u << 0, /* mamillary_body, pons_top */
    CSF_LM_PMA = 1u << 1,            /* midbrain_ant, pmj, pons_ant */
    CSF_LM_TONSIL = 1u << 2,         /* tonsil_tip, basion, opisthion */
    CSF_LM_PITUITARY = 1u << 3       /* pituitary_top, sella_floor */
};

enum csf_brain_measure {
    CSF_BM_MAMILLOPONTINE = 0, /* mm; sign when <= 6.5 (Bern) */
    CSF_BM_PMA,                /* degrees; sign when < 50 (Shah et al., AJR 2013;200:400-407) */
    CSF_BM_TONSIL,             /* mm below the basion-opisthion line (negative = above);
                                  flag when >= 5 (Barkovich et al., AJNR 1986;7:795-799) */
    CSF_BM_PITUITARY,          /* mm; flag when > 10 (Elster, Radiology 1993;187:1-14:
                                  upper limit outside pregnancy/post-partum) */
    CSF_BM_N
};

typedef struct csf_brain_measures {
    double value[CSF_BM_N];  /* NAN when the landmark group was not given */
    int flagged[CSF_BM_N];   /* 1 beyond the threshold, 0 within, -1 not measured */
} csf_brain_measures;

/* Computes every measurement whose landmark group is in lm->have.
 * CSF_ERR_INVALID_ARG (naming the landmark) for non-finite coordinates or
 * coincident points that leave an angle or a line undefined. */
csf_status csf_brain_measure_all(const csf_brain_landmarks *lm, csf_brain_measures *out,
                                 csf_error *err);
const char *csf_brain_measure_name(int m);   /* "mamillopontine_distance", ... */
const char *csf_brain_measure_unit(int m);   /* "mm" or "deg" */
double csf_brain_measure_threshold(int m);
const char *csf_brain_measure_rule(int m);   /* "<= 6.5 mm", ... */
const char *csf_brain_measure_source(int m); /* citation */

/* ---- ICHD-3 7.2.3, leak type, next work-up step ---- */
enum csf_dyn_result {
    CSF_DYN_NOT_DONE = 0,
    CSF_DYN_NEGATIVE,       /* done, no leak seen */
    CSF_DYN_VENTRAL_TEAR,   /* ventral dural tear */
    CSF_DYN_LATERAL_TEAR,   /* posterolateral / root-sleeve tear */
    CSF_DYN_CVF,            /* CSF-venous fistula */
    CSF_DYN_DIVERTICULUM    /* leaking meningeal diverticulum */
};

enum csf_ric_result { CSF_RIC_NOT_DONE = 0, CSF_RIC_NEGATIVE, CSF_RIC_POSITIVE };

typedef struct csf_sih_case {
    csf_tri headache;           /* ICHD-3 A: a headache is present */
    csf_tri orthostatic;        /* worse upright, better lying (typical, not required) */
    csf_tri temporal_relation;  /* ICHD-3 C */
    csf_tri other_dx_excluded;  /* ICHD-3 D: not better accounted for */
    double opening_pressure_mmcsf; /* NAN when not measured */
    int brain_mri_done;
    csf_bern_result bern;       /* valid when brain_mri_done */
    csf_tri brain_sagging;      /* sagging brain / midbrain on brain MRI */
    int spine_mri_done;
    csf_tri slec;               /* spinal longitudinal extradural CSF collection */
    char slec_from[8], slec_to[8]; /* extent ("C7", "T9"); "" when unknown */
    csf_tri diverticula;        /* meningeal diverticula on spine imaging */
    csf_tri dural_ectasia;      /* makes a diverticulum leak type 2b */
    csf_tri perineural_cysts;   /* Tarlov cysts: usually harmless, noted only */
    int prone_dynamic;          /* enum csf_dyn_result: prone DSM / dynamic CTM */
    int decub_left, decub_right;/* enum csf_dyn_result: lateral decubitus studies */
    int ric;                    /* enum csf_ric_result: radioisotope cisternography */
} csf_sih_case;

/* A case with every answer unknown and nothing done. */
void csf_sih_case_init(csf_sih_case *c);

enum csf_ichd_status { CSF_ICHD_NOT_MET = 0, CSF_ICHD_MET = 1, CSF_ICHD_UNDETERMINED = 2 };

typedef struct csf_ichd_result {
    int status;          /* enum csf_ichd_status */
    csf_tri crit[4];     /* criteria A, B, C, D */
    int b_low_pressure;  /* B via opening pressure < 60 mm CSF (1/0/-1 unknown) */
    int b_imaging;       /* B via imaging evidence of a leak (1/0/-1 unknown) */
} csf_ichd_result;

void csf_ichd_evaluate(const csf_sih_case *c, csf_ichd_result *out);
const char *csf_ichd_status_name(int status); /* "met", "not met", "undetermined" */

/* Schievink et al., Neurology 2016;87:673-679; Farb et al. 2019 (see docs). */
enum csf_leak_type {
    CSF_LEAK_1A = 1u << 0, CSF_LEAK_1B = 1u << 1, CSF_LEAK_2A = 1u << 2,
    CSF_LEAK_2B = 1u << 3, CSF_LEAK_3 = 1u << 4, CSF_LEAK_4 = 1u << 5
};
#define CSF_LEAK_NTYPES 6

typedef struct csf_leak_types {
    unsigned mask;                        /* enum csf_leak_type bits, most likely first in `order` */
    int n;
    unsigned order[CSF_LEAK_NTYPES];      /* types in order of likelihood */
    const char *reason[CSF_LEAK_NTYPES];  /* static text, one per entry of order */
} csf_leak_types;

void csf_leak_type_infer(const csf_sih_case *c, csf_leak_types *out);
const char *csf_leak_type_name(unsigned type); /* "1a", "1b", "2a", "2b", "3", "4" */

/* One row of the static work-up rule table. */
typedef struct csf_workup_rule {
    const char *id;          /* "R1" ... */
    const char *when;        /* the condition in words */
    const char *test;        /* the next test */
    const char *position;    /* patient position */
    const char *expect;      /* what it is looking for */
    const char *source;      /* citation */
} csf_workup_rule;

/* The whole table in evaluation order (first matching row wins). */
const csf_workup_rule *csf_workup_rules(size_t *n);
/* The row that applies to this case; never NULL (the last row always matches). */
const csf_workup_rule *csf_workup_next(const csf_sih_case *c);

/* ---- Report mining ---- */
enum csf_finding_status { CSF_FIND_PRESENT = 0, CSF_FIND_ABSENT = 1, CSF_FIND_UNCERTAIN = 2 };

enum csf_sign {
    CSF_SIGN_PACHY = 0, CSF_SIGN_VENOUS, CSF_SIGN_SUPRASELLAR, CSF_SIGN_SUBDURAL,
    CSF_SIGN_PREPONTINE, CSF_SIGN_MAMILLOPONTINE, /* the six Bern items, same order */
    CSF_SIGN_TONSIL, CSF_SIGN_PITUITARY, CSF_SIGN_SAGGING, CSF_SIGN_PMA, CSF_SIGN_SLEC,
    CSF_SIGN_EPIDURAL_CONTRAST, CSF_SIGN_EPIDURAL_VENOUS, CSF_SIGN_CVF,
    CSF_SIGN_DIVERTICULUM, CSF_SIGN_PERINEURAL_CYST,
    CSF_SIGN_N
};

typedef struct csf_finding {
    int sign;          /* enum csf_sign */
    int status;        /* enum csf_finding_status */
    double value;      /* NAN when not measured */
    const char *unit;  /* "mm", "deg" or NULL */
    size_t start, end; /* span [start, end) in Unicode code points of the input */
    size_t bstart, bend; /* the same span in bytes */
} csf_finding;

typedef struct csf_sih_mined {
    csf_finding *f;    /* owned */
    size_t n, cap;
    csf_tri bern_item[CSF_BERN_NITEMS]; /* filled from the findings */
    csf_bern_result bern;
    void *scratch;     /* internal token buffer, reused across calls */
} csf_sih_mined;

typedef struct csf_sih_miner csf_sih_miner; /* immutable lexicon; share across threads */

csf_status csf_sih_miner_new(csf_sih_miner **out, csf_error *err);
void csf_sih_miner_free(csf_sih_miner *m);
/* Finds the signs in `text` (UTF-8, len bytes; need not be NUL-terminated).
 * `res` must be zero-initialised the first time; it is reset and reused on
 * later calls (release with csf_sih_mined_release). CSF_ERR_NOMEM only. */
csf_status csf_sih_mine(const csf_sih_miner *m, const char *text, size_t len,
                        csf_sih_mined *res, csf_error *err);
void csf_sih_mined_release(csf_sih_mined *res);
const char *csf_sign_name(int sign);           /* "pachymeningeal_enhancement", ... */
int csf_sign_from_name(const char *name);      /* -1 when unknown */
const char *csf_finding_status_name(int status); /* "present", "absent", "uncertain" */

/* ---- JSON (cJSON) ---- */
/* The "bern" object shared by `sih score --json` and `sih report`:
 * {"points":{item:int|null},"total_min","total_max","category":str|null}.
 * Returns a newly allocated cJSON* (as void* so this header needs no cJSON)
 * or NULL when out of memory. */
void *csf_bern_to_json(const csf_bern_result *b);
/* Whole "csfleak.sih-report/1" object for one report; `id` (file name or
 * CSV row) may be NULL. Caller frees with free(). NULL when out of memory. */
char *csf_sih_report_json(const csf_sih_mined *res, const char *text, const char *id,
                          int pretty);

/* ---- CSV (RFC 4180: quoted fields may hold commas, quotes and newlines) ---- */
typedef struct csf_csv csf_csv;
/* Opens `path`; CSF_ERR_IO naming the file when it cannot be read. */
csf_status csf_csv_open(const char *path, csf_csv **out, csf_error *err);
/* Next record. Returns CSF_OK with *nfields = 0 at end of file. Fields stay
 * valid until the next call. CSF_ERR_FORMAT "FILE:LINE: ..." for an
 * unterminated quote or text after a closing quote. */
csf_status csf_csv_next(csf_csv *c, char ***fields, size_t **lens, size_t *nfields,
                        csf_error *err);
/* Line number (1-based) where the last returned record started. */
size_t csf_csv_record_line(const csf_csv *c);
void csf_csv_close(csf_csv *c);

#endif
