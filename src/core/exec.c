#include "csfleak/exec.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct csf_exec {
    int threads;
    csf_log_fn log;
    void *log_user;
    csf_progress_fn progress;
    void *progress_user;
};

int csf_exec_online_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > 256 ? 256 : (int)n);
}

csf_status csf_exec_new(int threads, csf_exec **out, csf_error *err)
{
    if (out == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_exec_new: out is NULL");
    if (threads > 1024)
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "thread count %d is above the limit of 1024", threads);
    csf_exec *ex = calloc(1, sizeof *ex);
    if (ex == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate execution context");
    ex->threads = threads <= 0 ? csf_exec_online_cores() : threads;
    *out = ex;
    return CSF_OK;
}

void csf_exec_free(csf_exec *ex) { free(ex); }

void csf_exec_set_log(csf_exec *ex, csf_log_fn fn, void *user)
{
    if (ex) {
        ex->log = fn;
        ex->log_user = user;
    }
}

void csf_exec_set_progress(csf_exec *ex, csf_progress_fn fn, void *user)
{
    if (ex) {
        ex->progress = fn;
        ex->progress_user = user;
    }
}

int csf_exec_threads(const csf_exec *ex) { return ex ? ex->threads : 1; }

void csf_exec_log(const csf_exec *ex, int level, const char *fmt, ...)
{
    if (ex == NULL || ex->log == NULL)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    ex->log(ex->log_user, level, line);
}

csf_status csf_exec_progress(const csf_exec *ex, const char *stage, double frac,
                             csf_error *err)
{
    if (ex == NULL || ex->progress == NULL)
        return CSF_OK;
    if (ex->progress(ex->progress_user, stage, frac) != 0)
        return csf_error_set(err, CSF_ERR_CANCELLED, "%s: cancelled", stage);
    return CSF_OK;
}

typedef struct pf_shared {
    csf_range_fn fn;
    void *ctx;
    size_t n, grain, nchunks;
    atomic_size_t next;
    atomic_int failed;
    /* lowest failing chunk and its error, under lock */
    pthread_mutex_t lock;
    size_t fail_chunk;
    csf_error fail_err;
} pf_shared;

static void pf_run(pf_shared *s)
{
    for (;;) {
        size_t c = atomic_fetch_add(&s->next, 1);
        if (c >= s->nchunks || atomic_load(&s->failed))
            return;
        size_t b = c * s->grain;
        size_t e = b + s->grain < s->n ? b + s->grain : s->n;
        csf_error e1 = {0};
        csf_status st = s->fn(s->ctx, c, b, e, &e1);
        if (st != CSF_OK) {
            if (e1.code == CSF_OK)
                csf_error_set(&e1, st, "parallel chunk %zu failed", c);
            pthread_mutex_lock(&s->lock);
            if (s->fail_err.code == CSF_OK || c < s->fail_chunk) {
                s->fail_chunk = c;
                s->fail_err = e1;
            }
            pthread_mutex_unlock(&s->lock);
            atomic_store(&s->failed, 1);
        }
    }
}

static void *pf_thread(void *arg)
{
    pf_run(arg);
    return NULL;
}

csf_status csf_parallel_for(const csf_exec *ex, size_t n, size_t grain,
                            csf_range_fn fn, void *ctx, csf_error *err)
{
    if (fn == NULL || grain == 0)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_parallel_for: bad arguments");
    if (n == 0)
        return CSF_OK;
    pf_shared s = {.fn = fn, .ctx = ctx, .n = n, .grain = grain};
    s.nchunks = n / grain + (n % grain != 0);
    atomic_init(&s.next, 0);
    atomic_init(&s.failed, 0);
    pthread_mutex_init(&s.lock, NULL);

    size_t want = (size_t)csf_exec_threads(ex);
    if (want > s.nchunks)
        want = s.nchunks;
    pthread_t tids[1024];
    size_t started = 0;
    for (size_t t = 1; t < want; t++) {
        if (pthread_create(&tids[started], NULL, pf_thread, &s) != 0)
            break; /* fewer threads is slower, never different */
        started++;
    }
    pf_run(&s);
    for (size_t t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    pthread_mutex_destroy(&s.lock);
    if (s.fail_err.code != CSF_OK) {
        if (err != NULL && err->code == CSF_OK)
            *err = s.fail_err;
        return s.fail_err.code;
    }
    return CSF_OK;
}
