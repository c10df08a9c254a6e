/* Persistent study workers of `csfleak batch`. A worker is a forked child that
 * runs the studies its parent sends it, one at a time, its stderr in a memfd the
 * parent reads after each study. Isolation stays per process: a crash, a fatal error or a
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
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
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

/* stderr is the worker's log memfd (O_APPEND): emptied at each study's start, so it
 * holds that study's messages, which the parent reads once the study has ended (or
 * the worker has died) and saves as <id>/log.txt when there are any. */
static void log_reset(void)
{
    if (ftruncate(STDERR_FILENO, 0) != 0) {
        /* not fatal: the log then also holds the previous study's lines */
    }
}

static void worker_main(int fd, int log_fd, const csf_batch_list *l, const char *outdir,
                        pid_t parent)
{
    /* a batch killed with -9 takes its studies with it: a rerun starts them afresh */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(CSF_EXIT_INTERNAL);
    if (dup2(log_fd, STDERR_FILENO) < 0)
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
        log_reset();
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
    if (w->log_fd < 0) {
        /* no file system inode: a study that prints nothing creates no log file */
        w->log_fd = memfd_create("csfleak-batch-log", MFD_CLOEXEC);
        if (w->log_fd < 0 || fcntl(w->log_fd, F_SETFL, O_APPEND) != 0) {
            int e = errno;
            csf_batch_worker_close_log(w);
            return csf_error_set(err, CSF_ERR_INTERNAL, "cannot start a worker: memfd: %s",
                                 strerror(e));
        }
    }
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
        worker_main(sv[1], w->log_fd, l, outdir, parent);
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

void csf_batch_worker_release(csf_batch_worker *w)
{
    if (w->pid > 0 && w->fd >= 0)
        close(w->fd); /* a waiting worker reads end-of-file and exits */
    w->fd = -1;
}

void csf_batch_worker_stop(csf_batch_worker *w, int *wstatus)
{
    if (w->pid <= 0)
        return;
    csf_batch_worker_release(w);
    int ws = 0;
    while (waitpid(w->pid, &ws, 0) < 0 && errno == EINTR)
        ;
    if (wstatus != NULL)
        *wstatus = ws;
    w->pid = 0;
    w->fd = -1;
}

void csf_batch_worker_close_log(csf_batch_worker *w)
{
    if (w->log_fd >= 0)
        close(w->log_fd);
    w->log_fd = -1;
}

char *csf_batch_worker_log(const csf_batch_worker *w, size_t max, size_t *len)
{
    struct stat sb;
    *len = 0;
    if (w->log_fd < 0 || fstat(w->log_fd, &sb) != 0 || sb.st_size <= 0)
        return NULL;
    size_t size = (size_t)sb.st_size, n = size < max ? size : max;
    char *txt = malloc(n + 1);
    ssize_t r = txt ? pread(w->log_fd, txt, n, (off_t)(size - n)) : -1;
    if (r < 0) {
        free(txt);
        return NULL;
    }
    txt[r] = '\0';
    *len = (size_t)r;
    return txt;
}

int csf_batch_worker_log_save(const csf_batch_worker *w, const char *path)
{
    char buf[65536];
    off_t at = 0;
    ssize_t r = w->log_fd < 0 ? 0 : pread(w->log_fd, buf, sizeof buf, at);
    if (r <= 0)
        return 0; /* nothing written: no file */
    FILE *fp = fopen(path, "wb");
    if (fp == NULL)
        return -1;
    for (; r > 0; r = pread(w->log_fd, buf, sizeof buf, at)) {
        if (fwrite(buf, 1, (size_t)r, fp) != (size_t)r)
            break;
        at += r;
    }
    return fclose(fp) == 0 && r == 0 ? 0 : -1;
}
