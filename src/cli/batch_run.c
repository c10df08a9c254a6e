/* The local scheduler of `csfleak batch`: each study runs in a worker process
 * (batch_worker.c) so a crash or a fatal error costs one study; the parent
 * records the outcome atomically once the study has ended, so a killed batch
 * loses only studies in flight. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"

#define MAX_JOBS 1024

typedef struct slot {
    csf_batch_worker w; /* started on first use, restarted after a crash or kill */
    int busy;           /* a study is in flight */
    size_t idx;
    double t0;
    csf_batch_stamp stamp;
    long timed_out; /* the limit it was killed at, 0 while within it */
    int lock_fd;
} slot;

typedef struct progress {
    int tty, quiet;
    size_t total, done, ok, failed, skipped, busy;
    double t0;
} progress;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static void show(progress *p, const csf_batch_study *s, const csf_batch_status *st)
{
    if (p->quiet)
        return;
    double el = (now_ms() - p->t0) / 1e3;
    if (!p->tty) {
        fprintf(stderr, "csfleak batch: [%zu/%zu] %s %s %.2f s%s%s\n", p->done, p->total, s->id,
                st->ok ? "ok" : "failed", st->time_ms / 1e3, st->ok ? "" : ": ", st->error);
        return;
    }
    if (!st->ok) /* failures stay on screen above the bar */
        fprintf(stderr, "\r\033[Kcsfleak batch: %s failed: %s\n", s->id, st->error);
    char bar[31];
    size_t fill = p->total ? 30 * p->done / p->total : 30;
    for (size_t i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    double eta = p->done ? el / (double)p->done * (double)(p->total - p->done) : 0;
    fprintf(stderr, "\r\033[K[%s] %zu/%zu ok %zu failed %zu  %.0f s, ETA %d:%02d", bar, p->done,
            p->total, p->ok, p->failed, el, (int)eta / 60, (int)eta % 60);
    if (p->done == p->total)
        fputc('\n', stderr);
    fflush(stderr);
}

/* A planned study another batch is running (busy) or has just finished. */
static void skip(progress *p, const csf_batch_study *s, int busy)
{
    p->total--;
    p->skipped++;
    p->busy += busy;
    if (busy && !p->quiet)
        fprintf(stderr, "%scsfleak batch: '%s' is being analysed by another batch: left to it\n",
                p->tty ? "\r\033[K" : "", s->id);
}

/* Last line of the study's log that is not a warning, without the "csfleak cmd: "
 * prefix; a sanitizer's ERROR line wins (its report ends with less telling lines).
 * txt (may be NULL) is modified. */
static void error_from_log(char *txt, char *out, size_t n)
{
    out[0] = '\0';
    for (char *line = txt, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        else
            next = line + strlen(line);
        if (line[0] == '\0' || strstr(line, ": warning: ") != NULL)
            continue;
        if (strstr(out, "ERROR: ") != NULL && strstr(out, "Sanitizer") != NULL)
            continue;
        const char *m = line;
        if (strncmp(m, "csfleak ", 8) == 0 && strstr(m, ": ") != NULL)
            m = strstr(m, ": ") + 2;
        csf_batch_fmt(out, n, "%s", m);
    }
}

/* The study's stderr as <dir>/log.txt, only when it wrote something: most studies
 * print nothing, and each file created costs (on ext4 without a journal, a scan past
 * recently deleted inodes). Returns the log's last MiB (caller frees) or NULL. */
static char *save_log(const csf_batch_worker *w, const char *dir)
{
    size_t len = 0;
    char *txt = csf_batch_worker_log(w, (size_t)1 << 20, &len), path[4200];
    csf_batch_fmt(path, sizeof path, "%s/log.txt", dir);
    if (txt != NULL) /* not saving it is not fatal: the record has the error line */
        csf_batch_worker_log_save(w, path);
    return txt;
}

/* Done already: a record for the same input (size, mtime, file count) and, when ok,
 * its analysis. */
static int is_done(const csf_batch_study *s, const char *outdir, const csf_batch_stamp *now,
                   int retry_failed)
{
    csf_batch_status st;
    if (csf_batch_status_read(outdir, s->id, &st) != 0)
        return 0;
    if (st.stamp.size != now->size || st.stamp.mtime_ns != now->mtime_ns ||
        st.stamp.nfiles != now->nfiles)
        return 0;
    if (!st.ok)
        return !retry_failed;
    char p[4200];
    struct stat sb;
    csf_batch_fmt(p, sizeof p, "%s/%s/analysis.json", outdir, s->id);
    return stat(p, &sb) == 0;
}

/* Locks the study directory (flock on the directory itself: no file to create). A
 * file system that cannot flock a directory (NFS emulates flock with write locks,
 * which need a file open for writing) gets the lock on <dir>/.lock instead; every
 * batch on that OUTDIR then takes the same way. *busy = 1 when another process holds
 * it. A file system without locks runs the study unguarded rather than never. */
static csf_status lock_study(const char *dir, int *fd, int *busy, csf_error *err)
{
    *fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*fd >= 0 && flock(*fd, LOCK_EX | LOCK_NB) == 0)
        return CSF_OK;
    if (*fd >= 0 && errno == EWOULDBLOCK) {
        *busy = 1;
        return CSF_OK;
    }
    if (*fd >= 0)
        close(*fd);
    char p[4200];
    csf_batch_fmt(p, sizeof p, "%s/.lock", dir);
    *fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (*fd < 0)
        return csf_error_set(err, CSF_ERR_IO, "cannot create '%s': %s", p, strerror(errno));
    *busy = flock(*fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    return CSF_OK;
}

/* Takes the study's lock (held by this process until its record is written, so two
 * batches on one OUTDIR never run a study twice), clears what a previous run left,
 * then hands study l->s[idx] to the slot's worker. *launched = 0 when another batch
 * holds the study (busy = 1) or has finished it since the plan was made. */
static csf_status launch(const csf_batch_list *l, size_t idx, const char *outdir,
                         int retry_failed, slot *sl, int *launched, int *busy, csf_error *err)
{
    const csf_batch_study *s = &l->s[idx];
    char dir[4096], p[4200];
    *launched = *busy = 0;
    csf_batch_fmt(dir, sizeof dir, "%s/%s", outdir, s->id);
    /* a new directory in one call; mkdir -p (and its checks) otherwise */
    csf_status st = mkdir(dir, 0777) == 0 ? CSF_OK : csf_batch_mkdirs(dir, err);
    if (st != CSF_OK)
        return st;
    st = lock_study(dir, &sl->lock_fd, busy, err);
    if (st != CSF_OK)
        return st;
    if (*busy || is_done(s, outdir, &sl->stamp, retry_failed)) {
        close(sl->lock_fd);
        return CSF_OK;
    }
    const char *stale[] = {"status.json", "analysis.json", "report.html", "log.txt"};
    for (size_t i = 0; i < 4; i++) {
        csf_batch_fmt(p, sizeof p, "%s/%s", dir, stale[i]);
        if (unlink(p) != 0 && errno != ENOENT)
            return csf_error_set(err, CSF_ERR_IO, "cannot remove '%s': %s", p, strerror(errno));
    }
    /* a worker that died since its last study (killed from outside) is replaced */
    for (int tries = 0; tries < 2; tries++) {
        if (sl->w.pid == 0 && (st = csf_batch_worker_start(l, outdir, &sl->w, err)) != CSF_OK) {
            close(sl->lock_fd);
            return st;
        }
        sl->t0 = now_ms();
        if (csf_batch_worker_send(&sl->w, idx) == 0) {
            *launched = 1;
            return CSF_OK;
        }
        csf_batch_worker_stop(&sl->w, NULL);
    }
    close(sl->lock_fd);
    return csf_error_set(err, CSF_ERR_INTERNAL, "cannot start study '%s': its worker ended", s->id);
}

static csf_status finish(const csf_batch_study *s, const char *outdir, const slot *sl,
                         int wstatus, progress *pg, csf_error *err)
{
    csf_batch_status st;
    memset(&st, 0, sizeof st);
    st.time_ms = now_ms() - sl->t0;
    st.stamp = sl->stamp;
    char dir[4096];
    csf_batch_fmt(dir, sizeof dir, "%s/%s", outdir, s->id);
    char *log = save_log(&sl->w, dir);
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) {
        st.ok = 1;
    } else if (sl->timed_out) {
        csf_batch_fmt(st.error, sizeof st.error, "timed out after %ld s (killed)", sl->timed_out);
    } else if (WIFSIGNALED(wstatus)) {
        char last[400];
        error_from_log(log, last, sizeof last);
        csf_batch_fmt(st.error, sizeof st.error, "crashed: signal %d (%s)%s%s", WTERMSIG(wstatus),
                      strsignal(WTERMSIG(wstatus)), last[0] ? ": " : "", last);
    } else {
        error_from_log(log, st.error, sizeof st.error);
        if (st.error[0] == '\0')
            snprintf(st.error, sizeof st.error, "analysis ended with exit code %d",
                     WEXITSTATUS(wstatus));
    }
    free(log);
    pg->done++;
    pg->ok += st.ok;
    pg->failed += !st.ok;
    show(pg, s, &st);
    return csf_batch_status_write(outdir, s, &st, err);
}

/* Largest input first (then list order): the long studies start early and the
 * short ones fill in at the end, so the last worker to finish idles the others
 * for at most about one short study. */
static int by_size_desc(const void *a, const void *b, void *vstamps)
{
    const csf_batch_stamp *st = vstamps;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (st[i].size != st[j].size)
        return st[i].size > st[j].size ? -1 : 1;
    return (i > j) - (i < j);
}

/* Studies of this shard still to run, largest input first. */
static size_t *todo_list(const csf_batch_list *l, const char *outdir, const csf_batch_opts *o,
                         csf_batch_stamp *stamps, size_t *ntodo, size_t *nskipped)
{
    size_t *todo = malloc((l->n + 1) * sizeof *todo);
    *ntodo = *nskipped = 0;
    for (size_t i = 0; todo && i < l->n; i++) {
        if ((long)(i % (size_t)o->nshards) != o->shard)
            continue;
        if (csf_batch_stamp_of(l->s[i].path, &stamps[i], NULL) == CSF_OK &&
            is_done(&l->s[i], outdir, &stamps[i], o->retry_failed))
            ++*nskipped;
        else
            todo[(*ntodo)++] = i;
    }
    if (todo != NULL)
        qsort_r(todo, *ntodo, sizeof *todo, by_size_desc, stamps);
    return todo;
}

/* Kills the studies that have run longer than timeout_s. */
static void enforce_timeout(slot *slots, size_t running, long timeout_s)
{
    double now = now_ms();
    for (size_t k = 0; k < running; k++)
        if (slots[k].busy && !slots[k].timed_out && now - slots[k].t0 > (double)timeout_s * 1e3) {
            slots[k].timed_out = timeout_s;
            kill(slots[k].w.pid, SIGKILL); /* its socket then reads end-of-file */
        }
}

/* The study in slot sl has ended: its exit code came back, or its worker ended
 * (crash, kill), which is then reaped for its wait status. */
static csf_status collect(const csf_batch_list *l, const char *outdir, slot *sl, progress *pg,
                          csf_error *err)
{
    int rc = 0, ws = 0;
    if (csf_batch_worker_recv(&sl->w, &rc))
        ws = (rc & 0xff) << 8; /* as waitpid reports an exit with code rc */
    else
        csf_batch_worker_stop(&sl->w, &ws);
    csf_status st = finish(&l->s[sl->idx], outdir, sl, ws, pg, err);
    close(sl->lock_fd); /* after the record: the study is done */
    sl->busy = 0;
    return st;
}

/* Waits for studies to end (up to 1 s when timeouts are on) and collects them. */
static csf_status wait_some(const csf_batch_list *l, const char *outdir, slot *slots,
                            size_t nslots, long timeout_s, progress *pg, csf_error *err)
{
    struct pollfd pf[MAX_JOBS];
    size_t who[MAX_JOBS], n = 0;
    for (size_t k = 0; k < nslots; k++)
        if (slots[k].busy) {
            pf[n] = (struct pollfd){.fd = slots[k].w.fd, .events = POLLIN};
            who[n++] = k;
        }
    int r = poll(pf, n, timeout_s > 0 ? 1000 : -1);
    if (r < 0 && errno != EINTR)
        return csf_error_set(err, CSF_ERR_INTERNAL, "poll: %s", strerror(errno));
    if (timeout_s > 0)
        enforce_timeout(slots, nslots, timeout_s);
    csf_status st = CSF_OK;
    for (size_t q = 0; r > 0 && q < n; q++)
        if (pf[q].revents != 0) {
            csf_status fs = collect(l, outdir, &slots[who[q]], pg, err);
            st = st == CSF_OK ? fs : st;
        }
    return st;
}

static csf_status run_all(const csf_batch_list *l, const char *outdir, const size_t *todo,
                          size_t ntodo, const csf_batch_stamp *stamps, int jobs,
                          long timeout_s, int retry, progress *pg, csf_error *err)
{
    slot slots[MAX_JOBS];
    memset(slots, 0, sizeof slots);
    size_t next = 0, running = 0, nslots = (size_t)jobs;
    for (size_t k = 0; k < nslots; k++)
        slots[k].w.log_fd = -1;
    csf_status st = CSF_OK;
    while ((next < ntodo && st == CSF_OK) || running > 0) {
        size_t free_slot = 0;
        while (free_slot < nslots && slots[free_slot].busy)
            free_slot++;
        if (next < ntodo && st == CSF_OK && free_slot < nslots) {
            slot *sl = &slots[free_slot];
            sl->idx = todo[next++];
            sl->stamp = stamps[sl->idx];
            sl->timed_out = 0;
            int launched, busy;
            st = launch(l, sl->idx, outdir, retry, sl, &launched, &busy, err);
            sl->busy = st == CSF_OK && launched;
            running += (size_t)sl->busy;
            if (st == CSF_OK && !launched)
                skip(pg, &l->s[sl->idx], busy);
            continue;
        }
        csf_status ws = wait_some(l, outdir, slots, nslots, timeout_s, pg, err);
        st = st == CSF_OK ? ws : st;
        running = 0;
        for (size_t k = 0; k < nslots; k++) {
            running += (size_t)slots[k].busy;
            /* nothing left to start: an idle worker exits now, beside the studies
               still running, rather than one after the other at the end */
            if (!slots[k].busy && (next >= ntodo || st != CSF_OK))
                csf_batch_worker_release(&slots[k].w);
        }
    }
    for (size_t k = 0; k < nslots; k++)
        csf_batch_worker_release(&slots[k].w);
    for (size_t k = 0; k < nslots; k++) {
        csf_batch_worker_stop(&slots[k].w, NULL);
        csf_batch_worker_close_log(&slots[k].w);
    }
    return st;
}

csf_status csf_batch_run(const csf_batch_list *l, const char *outdir, const csf_batch_opts *o,
                         size_t *nok, size_t *nfailed, size_t *nskipped, csf_error *err)
{
    csf_batch_stamp *stamps = calloc(l->n + 1, sizeof *stamps);
    size_t ntodo = 0;
    size_t *todo = stamps ? todo_list(l, outdir, o, stamps, &ntodo, nskipped) : NULL;
    if (todo == NULL) {
        free(stamps);
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory planning the batch");
    }
    progress pg = {isatty(STDERR_FILENO), o->quiet, ntodo, 0, 0, 0, *nskipped, 0, now_ms()};
    if (!o->quiet && *nskipped > 0)
        fprintf(stderr, "csfleak batch: %zu studies already done (skipped), %zu to run\n",
                *nskipped, ntodo);
    if (pg.tty && !pg.quiet && ntodo > 0) /* the bar from the start, at 0 */
        fprintf(stderr, "[..............................] 0/%zu", ntodo);
    int jobs = o->jobs < 1 ? 1 : o->jobs > MAX_JOBS ? MAX_JOBS : o->jobs;
    csf_status st =
        run_all(l, outdir, todo, ntodo, stamps, jobs, o->timeout_s, o->retry_failed, &pg, err);
    *nok = pg.ok;
    *nfailed = pg.failed;
    *nskipped = pg.skipped;
    free(todo);
    free(stamps);
    return st;
}
