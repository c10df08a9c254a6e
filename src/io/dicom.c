/* DICOM series directories through dcm2niix (run without a shell) into a
 * private temp directory that is removed on every path. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io_internal.h"

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p) == 0 ? 0 : 0; /* keep going: remove as much as possible */
}

static void rm_tree(const char *dir) { nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

/* What dcm2niix said: its last meaningful line, and the UID of a transfer
 * syntax it could not decode (JPEG-LS in Debian's build), if any. */
typedef struct dcm_log {
    char last[160];
    char syntax[72];
} dcm_log;

static void copy_trunc(char *dst, size_t size, const char *src, size_t n)
{
    size_t m = n < size - 1 ? n : size - 1;
    memcpy(dst, src, m);
    dst[m] = '\0';
}

static void read_log(const char *logpath, dcm_log *lg)
{
    memset(lg, 0, sizeof *lg);
    FILE *f = fopen(logpath, "r");
    if (f == NULL)
        return;
    char line[512];
    while (fgets(line, sizeof line, f) != NULL) {
        size_t n = strcspn(line, "\r\n");
        line[n] = '\0';
        const char *ts = strstr(line, "Unsupported transfer syntax '");
        if (ts != NULL) {
            ts += strlen("Unsupported transfer syntax '");
            copy_trunc(lg->syntax, sizeof lg->syntax, ts, strcspn(ts, "'"));
        }
        /* the banner and the -g i notice say nothing about the failure */
        int noise = strncmp(line, "Chris Rorden", 12) == 0 || strcmp(line, "Defaults ignored") == 0;
        if (n > 0 && !noise)
            copy_trunc(lg->last, sizeof lg->last, line, n);
    }
    fclose(f);
}

static const char *syntax_name(const char *uid)
{
    if (strncmp(uid, "1.2.840.10008.1.2.4.8", 21) == 0)
        return "JPEG-LS";
    if (strncmp(uid, "1.2.840.10008.1.2.4.9", 21) == 0)
        return "JPEG 2000";
    if (strncmp(uid, "1.2.840.10008.1.2.4.", 20) == 0)
        return "JPEG";
    return "compressed";
}

/* Runs dcm2niix; returns its exit status, 127 when it cannot be started, -1
 * when it died from a signal. */
static int run_dcm2niix(const char *dir, const char *tmp, const char *logpath)
{
    char *argv[] = {"dcm2niix", "-g", "i", "-z", "n", "-f", "vol", "-o", (char *)tmp,
                    "-b", "y", "-ba", "y", "-v", "0", "-w", "1", "-d", "0", "-x", "n",
                    (char *)dir, NULL};
    pid_t pid = fork();
    if (pid < 0)
        return 127;
    if (pid == 0) {
        int log = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int nul = open("/dev/null", O_RDONLY);
        if (log >= 0) {
            dup2(log, STDOUT_FILENO);
            dup2(log, STDERR_FILENO);
        }
        if (nul >= 0)
            dup2(nul, STDIN_FILENO);
        execvp("dcm2niix", argv);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The one .nii dcm2niix wrote; counts them all. */
static int find_nifti(const char *tmp, char *out, size_t size)
{
    DIR *d = opendir(tmp);
    if (d == NULL)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".nii") == 0) {
            if (n == 0 || strcmp(e->d_name, "vol.nii") == 0)
                snprintf(out, size, "%s/%s", tmp, e->d_name);
            n++;
        }
    }
    closedir(d);
    return n;
}

static csf_status convert_in(const char *dir, const char *tmp, const csf_exec *ex,
                             csf_volume **out, csf_io_source *src, char **sidecar,
                             csf_error *err)
{
    char logpath[4200], nii[4200];
    snprintf(logpath, sizeof logpath, "%s/dcm2niix.log", tmp);
    int rc = run_dcm2niix(dir, tmp, logpath);
    dcm_log lg;
    read_log(logpath, &lg);
    const char *msg = lg.last;
    if (rc == 127)
        return csf_error_set(err, CSF_ERR_EXTERNAL,
                             "cannot read '%s': dcm2niix could not be run (is it installed?)", dir);
    if (rc == 2 && lg.syntax[0] != '\0')
        return csf_error_set(err, CSF_ERR_UNSUPPORTED,
                             "cannot read '%s': unsupported DICOM transfer syntax %s (%s); "
                             "decompress the files first (e.g. dcmdjpls / dcmdjpeg)",
                             dir, lg.syntax, syntax_name(lg.syntax));
    if (rc == 2)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "cannot read '%s': dcm2niix found no convertible DICOM image (none "
                             "present, or an unsupported transfer syntax such as JPEG-LS)%s%s",
                             dir, msg[0] ? ": " : "", msg);
    int n = find_nifti(tmp, nii, sizeof nii);
    if ((rc != 0 && rc != 8) || (rc == 8 && n == 0))
        return csf_error_set(err, CSF_ERR_EXTERNAL, "cannot read '%s': dcm2niix failed (exit %d)%s%s",
                             dir, rc, msg[0] ? ": " : "", msg);
    if (n == 0)
        return csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': no DICOM image series found",
                             dir);
    if (n > 1)
        return csf_error_set(err, CSF_ERR_UNSUPPORTED,
                             "cannot read '%s': the directory holds %d series; pass one series "
                             "directory", dir, n);
    if (rc == 8)
        csf_exec_log(ex, CSF_LOG_WARN, "'%s': dcm2niix converted only part of the files", dir);
    csf_io_source s;
    csf_error sub = {0};
    csf_status st = csf_io_read_nifti(nii, ex, out, &s, &sub);
    if (st != CSF_OK)
        return csf_error_set(err, st, "cannot read '%s': converted series: %s", dir, sub.msg);
    snprintf(s.path, sizeof s.path, "%s", dir);
    snprintf(s.format, sizeof s.format, "dicom");
    if (src != NULL)
        *src = s;
    if (sidecar != NULL) {
        char name[4200];
        *sidecar = csf_io_read_sidecar(nii, name, sizeof name);
    }
    return CSF_OK;
}

csf_status csf_io_read_dicom_sidecar(const char *dir, const csf_exec *ex, csf_volume **out,
                                     csf_io_source *src, char **sidecar, csf_error *err)
{
    if (sidecar != NULL)
        *sidecar = NULL;
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return csf_error_set(err, CSF_ERR_IO, "cannot read '%s': not a directory", dir);
    const char *base = getenv("TMPDIR");
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s/csfleak-dcm-XXXXXX", base && base[0] ? base : "/tmp");
    if (mkdtemp(tmp) == NULL)
        return csf_error_set(err, CSF_ERR_IO, "cannot read '%s': cannot create a temp directory: %s",
                             dir, strerror(errno));
    csf_status st = convert_in(dir, tmp, ex, out, src, sidecar, err);
    rm_tree(tmp);
    return st;
}

csf_status csf_io_read_dicom(const char *dir, const csf_exec *ex, csf_volume **out,
                             csf_io_source *src, csf_error *err)
{
    return csf_io_read_dicom_sidecar(dir, ex, out, src, NULL, err);
}
