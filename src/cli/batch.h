#ifndef CSFLEAK_BATCH_H
#define CSFLEAK_BATCH_H
/* `csfleak batch` (src/cli only): study list, per-study runs in child processes,
 * resumable status records, cohort tables, Slurm arrays. docs/batch.md. */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "cli.h"
#include "evaluate_acc.h"

/* Exit status when the batch finished but at least one study failed (docs/batch.md). */
#define CSF_EXIT_SOME_FAILED 4

/* One study of the cohort. */
typedef struct csf_batch_study {
    char *id;    /* unique, [A-Za-z0-9._-] only, never starting with '.' */
    char *path;  /* NIfTI file or DICOM series directory (absolute) */
    char *truth; /* truth JSON path, a case-level word/grade, or NULL */
} csf_batch_study;

typedef struct csf_batch_list {
    csf_batch_study *s;
    size_t n, cap;
} csf_batch_list;

/* Study list from INPUT: CSV manifest, BIDS dataset or directory tree, sorted by id.
 * truth: NULL, "auto" (sibling <stem>.truth.json) or a directory of <id>.truth.json.
 * outdir is skipped when it lies inside INPUT. */
csf_status csf_batch_list_build(const char *input, const char *truth, const char *outdir,
                                csf_batch_list *out, csf_error *err);
/* The list as OUTDIR/.batch/studies.json (atomic) and back. */
csf_status csf_batch_list_save(const csf_batch_list *l, const char *outdir, csf_error *err);
csf_status csf_batch_list_load(const char *outdir, csf_batch_list *out, csf_error *err);
void csf_batch_list_release(csf_batch_list *l);

/* Size + mtime fingerprint of a file, or of a directory's regular files. */
typedef struct csf_batch_stamp {
    uint64_t size, mtime_ns, nfiles;
} csf_batch_stamp;
csf_status csf_batch_stamp_of(const char *path, csf_batch_stamp *out, csf_error *err);

/* Per-study result record OUTDIR/<id>/status.json. */
typedef struct csf_batch_status {
    int ok;
    char error[512];
    double time_ms;
    csf_batch_stamp stamp;
} csf_batch_status;
/* 0 when read; -1 when absent or unreadable (then the study counts as not run). */
int csf_batch_status_read(const char *outdir, const char *id, csf_batch_status *out);
csf_status csf_batch_status_write(const char *outdir, const csf_batch_study *s,
                                  const csf_batch_status *st, csf_error *err);

typedef struct csf_batch_opts {
    int jobs;          /* concurrent studies */
    int quiet;
    int retry_failed;  /* rerun studies whose record says failed */
    long shard, nshards; /* this process handles index % nshards == shard */
    long timeout_s;      /* a study running longer is killed and recorded; 0 = none */
} csf_batch_opts;

/* Runs every study of the shard not already done; counts go to *nok, *nfailed,
 * *nskipped. Returns CSF_OK unless the batch itself could not run. */
csf_status csf_batch_run(const csf_batch_list *l, const char *outdir, const csf_batch_opts *o,
                         size_t *nok, size_t *nfailed, size_t *nskipped, csf_error *err);
/* Child side: analyse one study into OUTDIR/<id>/; returns an exit code. */
int csf_batch_study_main(const csf_batch_study *s, const char *outdir);

/* A persistent worker process (batch_worker.c): runs the studies it is sent one
 * at a time, reusing the memory the previous one freed; a crash or kill ends it
 * and the study in it only. */
typedef struct csf_batch_worker {
    pid_t pid; /* 0 = not running */
    int fd;  /* the parent's end of the socket */
    int log_fd; /* the worker's stderr, a memfd kept across worker restarts; -1 = none yet */
} csf_batch_worker;
csf_status csf_batch_worker_start(const csf_batch_list *l, const char *outdir,
                                  csf_batch_worker *w, csf_error *err);
/* Sends study l->s[idx]; 0 when sent, -1 when the worker is gone. */
int csf_batch_worker_send(csf_batch_worker *w, size_t idx);
/* 1 and the study's exit code in *rc, or 0 when the worker ended instead. */
int csf_batch_worker_recv(csf_batch_worker *w, int *rc);
/* Closes the socket: the worker exits once its study is done (reap it with stop). */
void csf_batch_worker_release(csf_batch_worker *w);
/* Closes the socket and reaps the worker (its wait status into *wstatus, may be NULL).
 * The log stays readable until csf_batch_worker_close_log. */
void csf_batch_worker_stop(csf_batch_worker *w, int *wstatus);
/* What the last study sent to the worker wrote on stderr: its last max bytes at
 * most, NUL-terminated, *len bytes, malloc'd; NULL when nothing. */
char *csf_batch_worker_log(const csf_batch_worker *w, size_t max, size_t *len);
/* All of it as the file `path`, created only when there is something; 0 or -1. */
int csf_batch_worker_log_save(const csf_batch_worker *w, const char *path);
void csf_batch_worker_close_log(csf_batch_worker *w);

/* One row of the cohort table (batch_cohort.c). */
typedef struct csf_batch_row {
    const csf_batch_study *s;
    int ran;         /* a status record exists */
    int ok;
    char error[512];
    int assessable, positive, slec;
    int grade[3];    /* cervical, thoracic, lumbar; -1 = not in view */
    int nfindings;
    char levels[64]; /* levels method */
    double time_ms;
} csf_batch_row;

/* Case and region pairs (truth, prediction) collected for the accuracy. */
typedef struct csf_batch_pairs {
    int *tp, *pp, *tg, *pg; /* case truth/pred positive; region truth/pred grade */
    size_t ncase, nreg;
} csf_batch_pairs;

/* Accuracy against truth through the stats module (batch_acc.c). */
typedef struct csf_batch_acc {
    size_t with_truth;       /* studies that have a truth */
    size_t excluded;         /* of those, failed: left out */
    size_t ncases, nregions; /* pairs scored */
    int case_defined, region_defined;
    double case_sens[3], case_spec[3];     /* value, 95% Wilson interval */
    unsigned long case_cm[4];               /* tp fp fn tn */
    double region_sens[3], region_spec[3];
    unsigned long region_cm[4];
    int kappa_defined;
    double kappa[3];                        /* quadratic-weighted grade kappa, 95% CI */
    struct cJSON *evaluate; /* csfleak evaluate's figures on the truth JSONs, or NULL;
                               owned: csf_batch_acc_release */
    csf_batch_pairs pairs;  /* being collected (begin/add/end) */
    csf_eval_acc ev;
} csf_batch_acc;
/* Accuracy built one study at a time, in id order (each JSON parsed once):
 * begin for n studies, add every row with its parsed analysis (pred, NULL when the
 * study failed), end computes the figures. A bad truth is an error naming the study.
 * Release in every case after a successful begin. */
csf_status csf_batch_acc_begin(csf_batch_acc *a, size_t n, csf_error *err);
csf_status csf_batch_acc_add(csf_batch_acc *a, const csf_batch_row *r, const struct cJSON *pred,
                             csf_error *err);
csf_status csf_batch_acc_end(csf_batch_acc *a, csf_error *err);
void csf_batch_acc_release(csf_batch_acc *acc);

/* cohort.html (batch_html.c); *out malloc'd. */
csf_status csf_batch_html(const csf_batch_row *rows, size_t n, const csf_batch_acc *acc,
                          char **out, csf_error *err);

/* cohort.csv, cohort.json, cohort.html from the study list and the status records.
 * *nfailed = studies failed or never run. */
csf_status csf_batch_cohort(const csf_batch_list *l, const char *outdir, size_t *nfailed,
                            csf_error *err);

/* Slurm options passed through to sbatch. */
typedef struct csf_batch_slurm {
    long shards;
    int jobs;
    long timeout_s; /* passed on to each task's --timeout; 0 = none */
    const char *partition, *time, *mem, *account;
    int wait, dry_run, quiet;
} csf_batch_slurm;
/* Writes OUTDIR/.batch/slurm.sbatch, submits it (or prints it with dry_run);
 * with wait, blocks until the array ends. */
csf_status csf_batch_slurm_submit(const char *input, const char *outdir, const char *truth,
                                  const csf_batch_slurm *o, csf_error *err);

/* Small helpers (batch_util.c). */
/* Whole file, NUL-terminated; NULL on failure (err set). */
char *csf_batch_slurp(const char *path, size_t max, csf_error *err);
/* snprintf that reports truncation: 0 when the whole text fit, -1 otherwise. */
int csf_batch_fmt(char *out, size_t n, const char *fmt, ...) CSF_PRINTF(3, 4);
/* mkdir -p; CSF_ERR_IO naming the path. */
csf_status csf_batch_mkdirs(const char *path, csf_error *err);
/* Growable string. */
typedef struct csf_sbuf {
    char *p;
    size_t n, cap;
    int oom;
} csf_sbuf;
void csf_sbuf_add(csf_sbuf *b, const char *s);
void csf_sbuf_addf(csf_sbuf *b, const char *fmt, ...) CSF_PRINTF(2, 3);
/* Text with & < > " ' escaped for HTML. */
void csf_sbuf_html(csf_sbuf *b, const char *s);
/* A CSV field, quoted when it holds a comma, quote or line break. */
void csf_sbuf_csv(csf_sbuf *b, const char *s);

#endif
