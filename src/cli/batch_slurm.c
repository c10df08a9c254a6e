/* `csfleak batch --slurm`: one sbatch array, one shard per task; each task runs
 * `csfleak batch INPUT -o OUTDIR --shard i/K`. csfleak never schedules across
 * machines itself: Slurm does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch.h"
#include "csfleak/atomic.h"

/* Single-quoted for the shell: ' becomes '\''. */
static void shq(csf_sbuf *b, const char *s)
{
    csf_sbuf_add(b, "'");
    for (const char *p = s; *p; p++)
        csf_sbuf_add(b, *p == '\'' ? "'\\''" : (char[2]){*p, 0});
    csf_sbuf_add(b, "'");
}

/* #SBATCH lines are not shell-parsed: values there must be plain words. */
static csf_status directive(csf_sbuf *b, const char *opt, const char *val, csf_error *err)
{
    if (val == NULL)
        return CSF_OK;
    if (val[0] == '\0' || strpbrk(val, " \t\r\n\"'\\#") != NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "--%s '%s': Slurm option values must be one plain word", opt, val);
    csf_sbuf_addf(b, "#SBATCH --%s=%s\n", opt, val);
    return CSF_OK;
}

static csf_status script(const char *exe, const char *input, const char *outdir,
                         const char *truth, const csf_batch_slurm *o, csf_sbuf *b,
                         csf_error *err)
{
    char logs[4200], arr[64], cpus[32];
    csf_batch_fmt(logs, sizeof logs, "%s/.batch/slurm-%%A_%%a.log", outdir);
    csf_batch_fmt(arr, sizeof arr, "0-%ld", o->shards - 1);
    csf_batch_fmt(cpus, sizeof cpus, "%d", o->jobs);
    csf_sbuf_add(b, "#!/bin/bash\n# csfleak batch: one shard of the cohort per array task "
                    "(docs/batch.md)\n#SBATCH --job-name=csfleak-batch\n");
    csf_status st = directive(b, "array", arr, err);
    if (st == CSF_OK)
        st = directive(b, "output", logs, err);
    if (st == CSF_OK)
        st = directive(b, "cpus-per-task", cpus, err);
    if (st == CSF_OK)
        st = directive(b, "partition", o->partition, err);
    if (st == CSF_OK)
        st = directive(b, "time", o->time, err);
    if (st == CSF_OK)
        st = directive(b, "mem", o->mem, err);
    if (st == CSF_OK)
        st = directive(b, "account", o->account, err);
    if (st != CSF_OK)
        return st;
    csf_sbuf_add(b, "\n");
    shq(b, exe);
    csf_sbuf_add(b, " batch ");
    shq(b, input);
    csf_sbuf_add(b, " -o ");
    shq(b, outdir);
    csf_sbuf_addf(b, " --shard \"$SLURM_ARRAY_TASK_ID/%ld\" --jobs %d --quiet", o->shards,
                  o->jobs);
    if (o->timeout_s > 0)
        csf_sbuf_addf(b, " --timeout %ld", o->timeout_s);
    if (truth) {
        csf_sbuf_add(b, " --truth ");
        shq(b, truth);
    }
    csf_sbuf_add(b, "\nrc=$?\n# 4 = some studies failed: recorded in their status, not a task "
                    "failure\nif [ \"$rc\" -eq 4 ]; then rc=0; fi\nexit \"$rc\"\n");
    return b->oom ? csf_error_set(err, CSF_ERR_NOMEM, "out of memory writing the sbatch script")
                  : CSF_OK;
}

/* Runs sbatch; prints the job id as soon as it is known; with --wait returns when
 * the array has ended. */
static csf_status submit(const char *path, const csf_batch_slurm *o, csf_error *err)
{
    int fd[2];
    if (pipe(fd) != 0)
        return csf_error_set(err, CSF_ERR_INTERNAL, "pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return csf_error_set(err, CSF_ERR_INTERNAL, "fork: %s", strerror(errno));
    if (pid == 0) {
        dup2(fd[1], STDOUT_FILENO);
        close(fd[0]);
        close(fd[1]);
        char *argv[] = {"sbatch", "--parsable", o->wait ? "--wait" : "--quiet", (char *)path,
                        NULL};
        execvp("sbatch", argv);
        fprintf(stderr, "csfleak batch: cannot run sbatch: %s\n", strerror(errno));
        _exit(127);
    }
    close(fd[1]);
    FILE *fp = fdopen(fd[0], "r");
    char line[256], job[256] = "";
    while (fp && fgets(line, sizeof line, fp) != NULL) {
        if (job[0] != '\0')
            continue;
        line[strcspn(line, "\r\n;")] = '\0';
        snprintf(job, sizeof job, "%s", line);
        if (!o->quiet)
            fprintf(stderr, "csfleak batch: submitted Slurm job %s (%ld array tasks)%s\n", job,
                    o->shards, o->wait ? "; waiting" : "");
    }
    if (fp)
        fclose(fp);
    else
        close(fd[0]);
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(ws) && WEXITSTATUS(ws) == 127)
        return csf_error_set(err, CSF_ERR_EXTERNAL, "cannot run sbatch (is Slurm installed?)");
    if (job[0] == '\0')
        return csf_error_set(err, CSF_ERR_EXTERNAL, "sbatch '%s' failed (exit %d)", path,
                             WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
    if (!(WIFEXITED(ws) && WEXITSTATUS(ws) == 0) && !o->quiet)
        fprintf(stderr, "csfleak batch: warning: Slurm job %s ended with a failed task; "
                        "see the slurm-*.log files beside '%s'\n", job, path);
    return CSF_OK;
}

csf_status csf_batch_slurm_submit(const char *input, const char *outdir, const char *truth,
                                  const csf_batch_slurm *o, csf_error *err)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return csf_error_set(err, CSF_ERR_INTERNAL, "cannot find the csfleak program: %s",
                             strerror(errno));
    exe[n] = '\0';
    csf_sbuf b = {0};
    csf_status st = script(exe, input, outdir, truth, o, &b, err);
    if (st == CSF_OK && o->dry_run) {
        fputs(b.p, stdout);
    } else if (st == CSF_OK) {
        char path[4200];
        csf_batch_fmt(path, sizeof path, "%s/.batch/slurm.sbatch", outdir);
        st = csf_atomic_write(path, b.p, b.n, err);
        if (st == CSF_OK)
            st = submit(path, o, err);
    }
    free(b.p);
    return st;
}
