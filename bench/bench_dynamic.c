/* make bench: `csfleak dynamic` against one plain read of the same series.
 * Writes a dynamic CT (default 20 frames of 512 x 512 x 200, int16) and a DSM
 * (60 frames of 1024 x 1024, uint16) phantom series as .nii.gz, frame by frame,
 * then times (a) gunzip of the whole file (zlib, into one frame-sized buffer)
 * and (b) the whole analysis (csf_dyn_analyze_paths, which streams the file
 * itself), and the analysis' peak RSS in a child process.
 *   bench_dynamic [DIR] [CT_FRAMES NX NY NZ] [DSM_FRAMES N]   (defaults /tmp/csfleak-bench) */
#include <nifti/nifti1.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "csfleak/dynamic.h"
#include "dynamic/dyn_internal.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int write_header(gzFile g, const csf_volume *v, size_t nt, int dtype, int bitpix)
{
    nifti_1_header h;
    memset(&h, 0, sizeof h);
    h.sizeof_hdr = 348;
    h.dim[0] = 4;
    for (int i = 0; i < 3; i++) {
        h.dim[i + 1] = (short)v->dim[i];
        h.pixdim[i + 1] = (float)v->spacing[i];
    }
    h.dim[4] = (short)nt;
    h.pixdim[0] = 1;
    h.pixdim[4] = 1;
    h.datatype = (short)dtype;
    h.bitpix = (short)bitpix;
    h.vox_offset = 352;
    h.scl_slope = 1;
    h.xyzt_units = NIFTI_UNITS_MM | NIFTI_UNITS_SEC;
    h.sform_code = 1;
    for (int c = 0; c < 4; c++) {
        h.srow_x[c] = (float)v->affine[0][c];
        h.srow_y[c] = (float)v->affine[1][c];
        h.srow_z[c] = (float)v->affine[2][c];
    }
    memcpy(h.magic, "n+1", 4);
    char ext[4] = {0};
    return gzwrite(g, &h, sizeof h) == (int)sizeof h && gzwrite(g, ext, 4) == 4 ? 0 : -1;
}

/* Renders and writes the series; returns 0 on success. */
static int make_series(const char *path, csf_dyn_modality m, size_t nt, const size_t dim[3],
                       const double sp[3])
{
    csf_dyn_phantom_opts o = {.modality = m, .kind = CSF_DYN_PH_LATERAL, .seed = 4242,
                              .scale = 1, .nframes = nt};
    dyn_ph *ph = malloc(sizeof *ph);
    if (ph == NULL || csf_dyn_ph_setup(&o, ph, NULL) != CSF_OK)
        return -1;
    double zspan = (double)(ph->dim[2] - 1) * ph->sp[2];
    memcpy(ph->dim, dim, sizeof ph->dim);
    memcpy(ph->sp, sp, sizeof ph->sp);
    size_t d4[4] = {dim[0], dim[1], dim[2], 1};
    csf_volume *v = NULL;
    if (csf_volume_new(d4, sp, &v, NULL) != CSF_OK)
        return -1;
    v->affine[0][3] = -0.5 * (double)(dim[0] - 1) * sp[0];
    v->affine[1][3] = -0.5 * (double)(dim[1] - 1) * sp[1];
    v->affine[2][3] = ph->z0_mm + 0.5 * zspan - 0.5 * (double)(dim[2] - 1) * sp[2];
    size_t nvox = dim[0] * dim[1] * dim[2];
    int ct = m == CSF_DYN_CTM;
    gzFile g = gzopen(path, "wb1");
    /* CT as int16 HU, DSM as uint16 detector counts (both as scanners store them) */
    int rc = g && write_header(g, v, nt, ct ? DT_INT16 : DT_UINT16, 16) == 0 ? 0 : -1;
    int16_t *buf = malloc(nvox * sizeof *buf);
    uint16_t *ubuf = (uint16_t *)buf;
    for (size_t t = 0; t < nt && rc == 0; t++) {
        csf_dyn_ph_render(ph, t, v);
        for (size_t i = 0; i < nvox; i++) {
            if (ct)
                buf[i] = (int16_t)lrintf(fminf(fmaxf(v->data[i], -32768.f), 32767.f));
            else
                ubuf[i] = (uint16_t)lrintf(fminf(fmaxf(v->data[i], 0.f), 65535.f));
        }
        rc = gzwrite(g, buf, (unsigned)(nvox * 2)) == (int)(nvox * 2) ? 0 : -1;
    }
    if (g)
        gzclose(g);
    free(buf);
    csf_volume_free(v);
    free(ph);
    return rc;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU seconds of one streaming gunzip of the file (the machine is shared:
 * CPU time is the stable figure; wall time is printed beside it). */
static double gunzip_time(const char *path, size_t frame_bytes, double *wall)
{
    double t0 = cpu_now(), w0 = now();
    gzFile g = gzopen(path, "rb");
    gzbuffer(g, 1u << 20);
    char *b = malloc(frame_bytes);
    while (gzread(g, b, (unsigned)frame_bytes) > 0)
        ;
    gzclose(g);
    free(b);
    *wall = now() - w0;
    return cpu_now() - t0;
}

/* Analysis in a child: CPU and wall time (s) and peak RSS (MB). */
static int analyse(const char *path, csf_dyn_modality m, double *secs, double *wall,
                   double *rss_mb)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        csf_dyn_params p;
        csf_dyn_params_init(&p, m);
        csf_dyn_result *r = NULL;
        const char *paths[1] = {path};
        csf_error err = {0};
        csf_status st = csf_dyn_analyze_paths(paths, 1, NULL, 0, &p, NULL, &r, &err);
        if (st != CSF_OK)
            fprintf(stderr, "bench_dynamic: %s\n", err.msg);
        else
            fprintf(stderr, "  %zu frames, %zu site(s), first at frame %zd\n", r->nframes,
                    r->nsites, r->nsites ? (ssize_t)r->sites[0].frame : (ssize_t)-1);
        csf_dyn_result_free(r);
        _exit(st == CSF_OK ? 0 : 1);
    }
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
        return -1;
    *wall = now() - t0;
    *secs = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
            (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
    *rss_mb = (double)ru.ru_maxrss / 1024.0;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void run(const char *name, const char *path, csf_dyn_modality m, size_t nt,
                const size_t dim[3], const double sp[3], size_t bytes_per_vox)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        double t0 = now();
        if (make_series(path, m, nt, dim, sp) != 0) {
            fprintf(stderr, "bench_dynamic: cannot write %s\n", path);
            return;
        }
        fprintf(stderr, "  wrote %s in %.1f s\n", path, now() - t0);
    }
    size_t nvox = dim[0] * dim[1] * dim[2];
    double wr = 0, wa = 0, tr = gunzip_time(path, nvox * bytes_per_vox, &wr), ta = 0, rss = 0;
    if (analyse(path, m, &ta, &wa, &rss) != 0) {
        fprintf(stderr, "bench_dynamic: analysis of %s failed\n", path);
        return;
    }
    double frame_mb = (double)nvox * 4 / 1048576.0;
    printf("%s %zu frames %zux%zux%zu: CPU gunzip %.2f s, analysis %.2f s, ratio %.2f "
           "(wall %.2f / %.2f s); peak RSS %.0f MB = %.2f float frames of %.0f MB\n",
           name, nt, dim[0], dim[1], dim[2], tr, ta, ta / tr, wr, wa, rss, rss / frame_mb,
           frame_mb);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp/csfleak-bench";
    size_t ct_nt = argc > 5 ? (size_t)strtoul(argv[2], NULL, 10) : 20;
    size_t ct_dim[3] = {512, 512, 200};
    if (argc > 5)
        for (int i = 0; i < 3; i++)
            ct_dim[i] = (size_t)strtoul(argv[3 + i], NULL, 10);
    size_t dsm_nt = argc > 7 ? (size_t)strtoul(argv[6], NULL, 10) : 60;
    size_t dn = argc > 7 ? (size_t)strtoul(argv[7], NULL, 10) : 1024;
    mkdir(dir, 0777);
    char p1[1024], p2[1024];
    snprintf(p1, sizeof p1, "%s/dyn_ct_%zu_%zux%zux%zu.nii.gz", dir, ct_nt, ct_dim[0], ct_dim[1],
             ct_dim[2]);
    snprintf(p2, sizeof p2, "%s/dyn_dsm16_%zu_%zu.nii.gz", dir, dsm_nt, dn);
    const double ct_sp[3] = {0.5, 0.5, 1.0}, dsm_sp[3] = {0.2, 1.0, 0.2};
    const size_t dsm_dim[3] = {dn, 1, dn};
    run("dsm", p2, CSF_DYN_DSM, dsm_nt, dsm_dim, dsm_sp, 2);
    run("ctm", p1, CSF_DYN_CTM, ct_nt, ct_dim, ct_sp, 2);
    return 0;
}
