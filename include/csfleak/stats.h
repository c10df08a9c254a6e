#ifndef CSFLEAK_STATS_H
#define CSFLEAK_STATS_H
/* Reader-study statistics: proportions with confidence intervals, diagnostic
 * accuracy, Cohen's / weighted / Fleiss' kappa, McNemar's test, ROC and AUC
 * with a DeLong interval, a strict CSV reader and the reader-study data model.
 * Numbers only: this module uses core alone, never prints, never writes files.
 * Every statistic has exactly one implementation here; `csfleak stats`,
 * `csfleak evaluate`, batch and the report call it. Formulas and references:
 * docs/stats.md. "level" arguments are confidence levels in (0, 1), e.g. 0.95. */
#include <stddef.h>
#include "csfleak/error.h"

/* ------------------------------------------------------------------ */
/* Special functions (src/stats/special.c)                             */

/* Standard normal CDF. */
double csf_stats_norm_cdf(double z);
/* Standard normal quantile; NaN unless 0 < p < 1. */
double csf_stats_norm_quantile(double p);
/* Regularised incomplete beta I_x(a, b) for a, b > 0, 0 <= x <= 1 (NaN otherwise),
 * by the continued fraction (Lentz's method). Absolute error < 1e-13. */
double csf_stats_beta_inc(double a, double b, double x);
/* x with I_x(a, b) = p, by bisection on csf_stats_beta_inc; NaN for bad arguments. */
double csf_stats_beta_inc_inv(double a, double b, double p);
/* P(X <= k) for X ~ Binomial(n, 1/2), summed exactly in log space. */
double csf_stats_binom_half_cdf(unsigned long k, unsigned long n);

/* ------------------------------------------------------------------ */
/* Proportions (src/stats/proportion.c)                                */

typedef enum csf_ci_method {
    CSF_CI_WALD = 0,   /* p +- z sqrt(p(1-p)/n), clipped to [0, 1] */
    CSF_CI_WILSON = 1, /* Wilson (1927) score interval */
    CSF_CI_EXACT = 2   /* Clopper & Pearson (1934), from the beta quantiles */
} csf_ci_method;
#define CSF_CI_NMETHODS 3

/* "wald", "wilson", "exact" (static strings). */
const char *csf_ci_method_name(csf_ci_method m);
/* Parses one of those names; 0 on success, -1 otherwise. */
int csf_ci_method_parse(const char *s, csf_ci_method *out);

/* Interval for x successes out of n at confidence `level`.
 * CSF_ERR_INVALID_ARG when n == 0, x > n or level outside (0, 1). */
csf_status csf_stats_prop_ci(unsigned long x, unsigned long n, double level, csf_ci_method m,
                             double ci[2], csf_error *err);

/* A proportion with all three intervals. When n == 0 it is undefined: defined = 0,
 * value and intervals NaN, why = a static reason (never reported as 0). */
typedef struct csf_prop {
    unsigned long x, n;
    int defined;
    double value;
    double ci[CSF_CI_NMETHODS][2]; /* indexed by csf_ci_method */
    const char *why;               /* NULL when defined */
} csf_prop;
void csf_stats_prop(unsigned long x, unsigned long n, double level, csf_prop *out);

/* ------------------------------------------------------------------ */
/* Diagnostic accuracy (src/stats/accuracy.c)                          */

typedef struct csf_confusion {
    unsigned long tp, fp, fn, tn;
} csf_confusion;

/* Counts pairs (truth[i], pred[i]); 1 = positive, 0 = negative, a negative number =
 * missing (the pair is skipped and counted in *nskipped, which may be NULL).
 * CSF_ERR_INVALID_ARG for any other value, naming its index. */
csf_status csf_stats_confusion(const int *truth, const int *pred, size_t n, csf_confusion *out,
                               size_t *nskipped, csf_error *err);

/* A ratio (likelihood ratio) with a 95%-style interval on the log scale. */
typedef struct csf_ratio {
    int defined;    /* 0: value is NaN (or +inf division) and why says so */
    double value;
    int ci_defined; /* 0 when a zero cell makes the log interval undefined */
    double ci[2];
    const char *why; /* static reason when !defined or !ci_defined, else NULL */
} csf_ratio;

typedef struct csf_accuracy {
    csf_confusion cm;
    unsigned long n;
    csf_prop sens, spec, acc, ppv, npv;
    csf_ratio lr_pos, lr_neg; /* Simel, Samsa & Matchar (1991) log intervals */
} csf_accuracy;
/* All figures of a 2x2 table at confidence `level`. Undefined figures are flagged. */
void csf_stats_accuracy(const csf_confusion *cm, double level, csf_accuracy *out);

/* ------------------------------------------------------------------ */
/* Agreement: Cohen's kappa and McNemar (src/stats/kappa.c, mcnemar.c) */

typedef enum csf_kappa_weight {
    CSF_KAPPA_UNWEIGHTED = 0, /* agreement weight 1 on the diagonal, 0 elsewhere */
    CSF_KAPPA_LINEAR = 1,     /* 1 - |i-j|/(k-1)  (Cicchetti & Allison 1971) */
    CSF_KAPPA_QUADRATIC = 2   /* 1 - (i-j)^2/(k-1)^2  (Fleiss & Cohen 1973) */
} csf_kappa_weight;

typedef struct csf_kappa {
    unsigned long n;
    int defined;     /* 0 when n == 0 or chance agreement is 1 (kappa is 0/0) */
    double observed; /* (weighted) observed agreement p_o */
    double expected; /* (weighted) chance agreement p_e */
    double kappa;
    double se;       /* large-sample SE, Fleiss, Cohen & Everitt (1969), eq. for var(k_w) */
    double ci[2];    /* kappa -+ z se, clipped to [-1, 1] */
    double se0;      /* SE under H0 kappa = 0 (same paper) */
    double z, p;     /* kappa / se0 and its two-sided normal p */
} csf_kappa;

/* table[i * k + j] = units rater A put in category i and rater B in j; categories
 * are ordered 0..k-1 (weights use the index distance), k >= 2.
 * CSF_ERR_INVALID_ARG for k < 2 or a bad level; an empty table gives defined = 0. */
csf_status csf_stats_kappa_table(const unsigned long *table, size_t k, csf_kappa_weight w,
                                 double level, csf_kappa *out, csf_error *err);
/* Same from paired ratings a[i], b[i] in 0..k-1; a negative rating means "not
 * rated" and drops the pair. CSF_ERR_INVALID_ARG for a rating >= k. */
csf_status csf_stats_kappa(const int *a, const int *b, size_t n, size_t k, csf_kappa_weight w,
                           double level, csf_kappa *out, csf_error *err);

/* Discordant counts below this use the exact binomial test, else chi-square. */
#define CSF_MCNEMAR_EXACT_BELOW 25

typedef struct csf_mcnemar {
    unsigned long b; /* A positive, B negative */
    unsigned long c; /* A negative, B positive */
    int exact;       /* 1: exact two-sided binomial p; 0: continuity-corrected chi-square */
    double chi2;     /* (|b-c|-1)^2/(b+c), NaN when b + c == 0 */
    double p;        /* two-sided p of the method used; 1 when b + c == 0 */
} csf_mcnemar;
void csf_stats_mcnemar(unsigned long b, unsigned long c, csf_mcnemar *out);
/* From paired binary calls (1/0, negative = missing). */
csf_status csf_stats_mcnemar_pairs(const int *a, const int *b, size_t n, csf_mcnemar *out,
                                   csf_error *err);

/* ------------------------------------------------------------------ */
/* Fleiss' kappa (src/stats/fleiss.c)                                  */

typedef struct csf_fleiss {
    size_t nsubjects, nraters, k;
    int defined;    /* 0 when chance agreement is 1 */
    double pbar;    /* mean observed agreement */
    double pe;      /* chance agreement */
    double kappa;
    double se0;     /* SE under H0, Fleiss, Nee & Landis (1979) */
    double z, p;
} csf_fleiss;
/* counts[i * k + j] = raters who put subject i in category j; every row must sum
 * to the same m >= 2 (CSF_ERR_INVALID_ARG otherwise, naming the row). */
csf_status csf_stats_fleiss_counts(const unsigned long *counts, size_t nsubjects, size_t k,
                                   csf_fleiss *out, csf_error *err);
/* ratings[i * nraters + r] in 0..k-1, complete (no missing ratings). */
csf_status csf_stats_fleiss(const int *ratings, size_t nsubjects, size_t nraters, size_t k,
                            csf_fleiss *out, csf_error *err);

/* ------------------------------------------------------------------ */
/* ROC and AUC (src/stats/roc.c)                                       */

typedef struct csf_roc_point {
    double threshold; /* called positive when score >= threshold (+inf: nobody) */
    double fpr, tpr;
} csf_roc_point;

typedef struct csf_roc {
    size_t npos, nneg;
    size_t npoints;        /* from (0,0) at +inf to (1,1) at the lowest score */
    csf_roc_point *points; /* owned */
    double auc;            /* Mann-Whitney: ties count one half */
    double se;             /* DeLong, DeLong & Clarke-Pearson (1988); NaN if npos or nneg < 2 */
    double ci[2];          /* auc -+ z se, clipped to [0, 1]; NaN when se is */
} csf_roc;
/* Empirical ROC of `score` against truth (1/0; negative or NaN score = skipped).
 * CSF_ERR_INVALID_ARG without at least one positive and one negative. */
csf_status csf_stats_roc(const double *score, const int *truth, size_t n, double level,
                         csf_roc **out, csf_error *err);
void csf_stats_roc_free(csf_roc *roc);

/* ------------------------------------------------------------------ */
/* Strict CSV (src/stats/csv.c)                                        */

/* RFC 4180 with: UTF-8 BOM skipped, LF or CRLF, quoted fields ("" escapes a quote,
 * line breaks allowed inside quotes), unquoted fields trimmed of spaces and tabs,
 * blank lines skipped. The first non-blank line is the header: names non-empty and
 * unique (case-insensitive). Every row has exactly the header's field count. */
typedef struct csf_csv csf_csv;
/* CSF_ERR_IO when unreadable; CSF_ERR_FORMAT "'FILE' line N: problem" otherwise. */
csf_status csf_csv_read(const char *path, csf_csv **out, csf_error *err);
/* Same on a buffer; `name` is used in messages. */
csf_status csf_csv_parse(const char *name, const char *text, size_t len, csf_csv **out,
                         csf_error *err);
size_t csf_csv_nrows(const csf_csv *csv); /* data rows, header excluded */
size_t csf_csv_ncols(const csf_csv *csv);
const char *csf_csv_name(const csf_csv *csv);
/* Column index of a header name (case-insensitive), -1 when absent. */
long csf_csv_column(const csf_csv *csv, const char *name);
/* Field text (owned by csv, never NULL for valid indices). */
const char *csf_csv_field(const csf_csv *csv, size_t row, size_t col);
/* 1-based line number of the header. */
size_t csf_csv_header_line(const csf_csv *csv);
/* 1-based line number where data row `row` starts. */
size_t csf_csv_line(const csf_csv *csv, size_t row);
void csf_csv_free(csf_csv *csv);

/* ------------------------------------------------------------------ */
/* Reader-study data (src/stats/reads.c)                               */

/* Grades accepted in a `value` column: integers 0..CSF_READS_MAX_GRADE, or the words
 * yes/positive (= 1) and no/negative (= 0), case-insensitive. */
#define CSF_READS_MAX_GRADE 10

enum csf_reads_flags {
    CSF_READS_BY_REGION = 1 << 0 /* units are (case, region) pairs, not cases */
};

typedef struct csf_reads {
    char *source;      /* file name, for messages */
    size_t nunits;     /* cases (or case x region pairs), first-appearance order */
    char **unit_case;  /* case id of each unit */
    char **unit_region;/* region of each unit with CSF_READS_BY_REGION, else NULL entries */
    size_t nreaders;
    char **readers;    /* first-appearance order */
    int *grade;        /* grade[r * nunits + u]; -1 = not read. Without BY_REGION a case's
                          grade is its highest region grade (positive when any region is) */
    int *reader_calls; /* [reader]: 1 when the reader gave only yes/no/positive/negative
                          words (calls, 1 = positive whatever the threshold), else 0 */
    int max_grade;     /* highest grade seen */
    int has_region;    /* the file has a region column */
    unsigned flags;    /* enum csf_reads_flags it was loaded with */
} csf_reads;

/* Loads READS.csv (columns case, reader, value; optional region, group; any order;
 * extra columns ignored). Malformed rows, unknown values, duplicate (case, reader,
 * region) rows and a reader mixing words with numeric grades are CSF_ERR_FORMAT
 * naming file and line. */
csf_status csf_reads_load(const char *path, unsigned flags, csf_reads **out, csf_error *err);
csf_status csf_reads_from_csv(const csf_csv *csv, unsigned flags, csf_reads **out,
                              csf_error *err);
void csf_reads_free(csf_reads *reads);
/* Is reader's grade g positive? -1 when g < 0 (not read); for a call-only reader
 * g >= 1, otherwise g >= threshold. */
int csf_reads_positive(const csf_reads *reads, size_t reader, int g, int threshold);
/* Reader index by name (exact), -1 when absent. */
long csf_reads_reader(const csf_reads *reads, const char *name);
/* Truth per unit from TRUTH.csv (case, truth; optional region): truth[u] = 1, 0 or
 * -1 when the file does not cover the unit. Caller frees *truth. With BY_REGION
 * units the file needs a region column; without it, a case is positive when any of
 * its rows is. */
csf_status csf_reads_truth_file(const csf_reads *reads, const char *path, int **truth,
                                csf_error *err);
/* Truth per unit from one reader (csf_reads_positive); -1 where not read. */
csf_status csf_reads_truth_reader(const csf_reads *reads, size_t reader, int threshold,
                                  int **truth, csf_error *err);

/* ------------------------------------------------------------------ */
/* A whole reader study (src/stats/study.c)                            */

typedef struct csf_study_reader {
    size_t reader;          /* index into csf_reads.readers */
    size_t nread;           /* units read that have a truth */
    size_t nnot_read;       /* units with a truth this reader did not read */
    csf_accuracy acc;
    csf_roc *roc;           /* NULL when undefined (see roc_why) */
    const char *roc_why;
} csf_study_reader;

typedef struct csf_study_pair {
    size_t a, b;                 /* reader indices */
    int binary_scale;            /* 1 when a call-only reader forced positive/negative:
                                    then all four kappas are on positive/negative */
    csf_kappa kappa;             /* unweighted, on the grades */
    csf_kappa kappa_linear;
    csf_kappa kappa_quadratic;
    csf_kappa kappa_binary;      /* unweighted, on positive/negative at the threshold */
    csf_mcnemar mcnemar;         /* on positive/negative */
} csf_study_pair;

typedef struct csf_study {
    int threshold;
    size_t ncategories;          /* grade scale 0..ncategories-1 used for kappa */
    size_t nreaders;             /* readers scored for accuracy (all but the reference) */
    csf_study_reader *readers;
    size_t npairs;
    csf_study_pair *pairs;
    size_t nfleiss;              /* readers who read every unit */
    size_t *fleiss_readers;
    int fleiss_defined;          /* 0 when fewer than two such readers */
    int fleiss_binary;           /* 1 when a call-only reader forced positive/negative */
    csf_fleiss fleiss;
} csf_study;

/* Runs everything. truth may be NULL (agreement only); `reference` is the reader
 * whose reads are the truth (excluded from accuracy) or (size_t)-1. */
csf_status csf_study_run(const csf_reads *reads, const int *truth, size_t reference,
                         int threshold, double level, csf_study **out, csf_error *err);
void csf_study_free(csf_study *study);

#endif
