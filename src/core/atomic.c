#define _POSIX_C_SOURCE 200809L
#include "csfleak/atomic.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

csf_status csf_atomic_open(csf_atomic_file *af, const char *path, csf_error *err)
{
    memset(af, 0, sizeof *af);
    size_t len = strlen(path);
    if (len == 0 || len + 16 >= sizeof af->tmp)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "cannot write '%s': bad path", path);
    memcpy(af->path, path, len + 1);
    snprintf(af->tmp, sizeof af->tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(af->tmp);
    if (fd < 0) {
        af->tmp[0] = '\0';
        return csf_error_set(err, CSF_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
    }
    af->fp = fdopen(fd, "wb");
    if (af->fp == NULL) {
        int e = errno;
        close(fd);
        unlink(af->tmp);
        af->tmp[0] = '\0';
        return csf_error_set(err, CSF_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    }
    return CSF_OK;
}

csf_status csf_atomic_commit(csf_atomic_file *af, csf_error *err)
{
    if (af->fp == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "cannot write '%s': not open", af->path);
    /* No fsync: rename already guarantees that no reader, and no rerun after a
     * kill -9, ever sees half a file; fsync only adds power-loss durability at
     * tens of ms per output, which a batch of thousands cannot afford. */
    int bad = ferror(af->fp) || fflush(af->fp) != 0;
    int e = errno;
    if (fclose(af->fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    af->fp = NULL;
    /* mkstemp creates 0600; outputs should get the usual umask-governed mode */
    if (!bad) {
        mode_t um = umask(0);
        umask(um);
        if (chmod(af->tmp, 0666 & ~um) != 0) {
            /* not fatal: the data is fine */
        }
    }
    if (!bad && rename(af->tmp, af->path) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        unlink(af->tmp);
        af->tmp[0] = '\0';
        return csf_error_set(err, CSF_ERR_IO, "cannot write '%s': %s", af->path, strerror(e));
    }
    af->tmp[0] = '\0';
    return CSF_OK;
}

void csf_atomic_abort(csf_atomic_file *af)
{
    if (af->fp != NULL) {
        fclose(af->fp);
        af->fp = NULL;
    }
    if (af->tmp[0] != '\0') {
        unlink(af->tmp);
        af->tmp[0] = '\0';
    }
}

csf_status csf_atomic_write(const char *path, const void *data, size_t len, csf_error *err)
{
    csf_atomic_file af;
    csf_status st = csf_atomic_open(&af, path, err);
    if (st != CSF_OK)
        return st;
    if (len > 0 && fwrite(data, 1, len, af.fp) != len) {
        int e = errno;
        csf_atomic_abort(&af);
        return csf_error_set(err, CSF_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    }
    return csf_atomic_commit(&af, err);
}
