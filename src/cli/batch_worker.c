/* Persistent study workers of `csfleak batch`. A worker is a forked child that
 * runs the studies its parent sends it, one at a time, each with its stderr in
 * the study's own log. Isolation stays per process: a crash, a fatal error or a
 * timeout kill ends the worker and the one study in it, and the parent starts a
 * new worker for the next study.
 *
 * Why not one fork per study: a fresh process gets every buffer as fresh pages,
 * which the kernel faults in and zeroes one by one; profiling a 50-study batch
 * found 27 % of its CPU time in the kernel, ~5,000 page faults per study.
 * A worker keeps the memory a study freed (no trimming, no mmap'd blocks handed
 * back) and the next study reuses it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch.h"

/* Everything but fd, so no study lock or other worker's socket stays open here. */
static void keep_only(int fd)
{
    if (fd > 3)
        close_range(3, (unsigned)fd - 1, 0);
    close_range((unsigned)fd + 1, ~0U, 0);
}

static int io_full(int fd, void *buf, size_t n, int sending)
{
    char *p = buf;
    while (n > 0) {
        ssize_t r = sending ? send(fd, p, n, MSG_NOSIGNAL) : recv(fd, p, n, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Points stderr at OUTDIR/<id>/log.txt (truncated): one log per study. */
static void log_to(const csf_batch_study *s, const char *outdir)
{
    char log[4200];
    csf_batch_fmt(log, sizeof log, "%s/%s/log.txt", outdir, s->id);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd >= 0) {
        dup2(fd, STDERR_FILENO);
        close(fd);
    }
}

static void worker_main(int fd, const csf_batch_list *l, const char *outdir, pid_t parent)
{
    /* a batch killed with -9 takes its studies with it: a rerun starts them afresh */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(CSF_EXIT_INTERNAL);
    keep_only(fd);
    int nul = open("/dev/null", O_RDWR);
    if (nul >= 0) {
        dup2(nul, STDIN_FILENO);
        dup2(nul, STDOUT_FILENO);
        close(nul);
    }
    /* keep freed memory for the next study: never trim the heap, never mmap */
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
    mallopt(M_MMAP_MAX, 0);
    uint64_t idx;
    while (io_full(fd, &idx, sizeof idx, 0) == 0 && idx < l->n) {
        log_to(&l->s[idx], outdir);
        int32_t rc = csf_batch_study_main(&l->s[idx], outdir);
        fflush(NULL);
        if (io_full(fd, &rc, sizeof rc, 1) != 0)
            break;
    }
    _exit(CSF_EXIT_OK);
}

csf_status csf_batch_worker_start(const csf_batch_list *l, const char *outdir,
                                  csf_batch_worker *w, csf_error *err)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return csf_error_set(err, CSF_ERR_INTERNAL, "cannot start a worker: socketpair: %s",
                             strerror(errno));
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return csf_error_set(err, CSF_ERR_INTERNAL, "cannot start a worker: fork: %s",
                             strerror(errno));
    }
    if (pid == 0)
        worker_main(sv[1], l, outdir, parent);
    close(sv[1]);
    w->pid = pid;
    w->fd = sv[0];
    return CSF_OK;
}

int csf_batch_worker_send(csf_batch_worker *w, size_t idx)
{
    uint64_t v = idx;
    return io_full(w->fd, &v, sizeof v, 1);
}

int csf_batch_worker_recv(csf_batch_worker *w, int *rc)
{
    int32_t v;
    if (io_full(w->fd, &v, sizeof v, 0) != 0)
        return 0;
    *rc = v;
    return 1;
}

void csf_batch_worker_stop(csf_batch_worker *w, int *wstatus)
{
    if (w->pid <= 0)
        return;
    close(w->fd); /* a waiting worker reads end-of-file and exits */
    int ws = 0;
    while (waitpid(w->pid, &ws, 0) < 0 && errno == EINTR)
        ;
    if (wstatus != NULL)
        *wstatus = ws;
    w->pid = 0;
    w->fd = -1;
}
