/* .nii.gz read: csf_io_read against a bare libdeflate gunzip of the same file.
 *   bench_io FILE.nii.gz [REPS=5] [THREADS=0 (all cores)]
 * The bare gunzip reads the file into memory and decompresses it into a fresh
 * malloc'd buffer sized from the gzip trailer (what any in-memory loader must
 * at least do); csf_io_read additionally parses the header, converts to float32
 * and reorients. Prints min / median wall time of each, the ratio of the
 * minima, and the same for process CPU time. */
#include <fcntl.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csfleak/exec.h"
#include "csfleak/io.h"
#include "bench_clock.h"

/* Returns bytes produced, 0 on failure. */
static size_t bare_gunzip(const char *path)
{
    int fd = open(path, O_RDONLY);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0)
        return 0;
    size_t n = (size_t)sb.st_size, got = 0;
    unsigned char *in = malloc(n);
    while (in && got < n) {
        ssize_t r = read(fd, in + got, n - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (in == NULL || got != n || n < 18) {
        free(in);
        return 0;
    }
    size_t isz = (size_t)in[n - 4] | (size_t)in[n - 3] << 8 | (size_t)in[n - 2] << 16 |
                 (size_t)in[n - 1] << 24;
    unsigned char *out = malloc(isz);
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    size_t made = 0;
    enum libdeflate_result res = out && d
        ? libdeflate_gzip_decompress(d, in, n, out, isz, &made) : LIBDEFLATE_BAD_DATA;
    libdeflate_free_decompressor(d);
    free(out);
    free(in);
    return res == LIBDEFLATE_SUCCESS ? made : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_io FILE.nii.gz [REPS] [THREADS]\n");
        return 1;
    }
    int reps = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
    int threads = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 0;
    if (reps < 1 || reps > 50)
        reps = 5;
    csf_exec *ex = NULL;
    csf_error err = {0};
    if (csf_exec_new(threads, &ex, &err) != CSF_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    double tg[50] = {0}, tr[50] = {0}, cg[50] = {0}, cr[50] = {0};
    size_t bytes = 0, vox = 0;
    for (int r = 0; r < reps; r++) {
        double c0 = cpu_s(), t0 = now_s();
        bytes = bare_gunzip(argv[1]);
        double t1 = now_s(), c1 = cpu_s();
        csf_volume *v = NULL;
        if (bytes == 0 || csf_io_read(argv[1], ex, &v, NULL, &err) != CSF_OK) {
            fprintf(stderr, "bench_io: %s\n", bytes == 0 ? "bare gunzip failed" : err.msg);
            return 1;
        }
        double t2 = now_s(), c2 = cpu_s();
        cg[r] = c1 - c0;
        cr[r] = c2 - c1;
        vox = csf_volume_nvox(v) * v->dim[3];
        csf_volume_free(v);
        tg[r] = t1 - t0;
        tr[r] = t2 - t1;
    }
    qsort(tg, (size_t)reps, sizeof tg[0], cmp_d);
    qsort(tr, (size_t)reps, sizeof tr[0], cmp_d);
    qsort(cg, (size_t)reps, sizeof cg[0], cmp_d);
    qsort(cr, (size_t)reps, sizeof cr[0], cmp_d);
    printf("file %s: %zu bytes uncompressed, %zu voxels, %d reps, %d threads\n", argv[1], bytes,
           vox, reps, csf_exec_threads(ex));
    printf("libdeflate gunzip   min %.4f s  median %.4f s\n", tg[0], tg[reps / 2]);
    printf("csf_io_read         min %.4f s  median %.4f s\n", tr[0], tr[reps / 2]);
    printf("ratio (min/min)     %.2f  (target <= 1.5)\n", tr[0] / tg[0]);
    /* CPU seconds (all threads) are steadier than wall time on a shared machine */
    printf("cpu: gunzip min %.4f s, csf_io_read min %.4f s (all threads), ratio %.2f\n", cg[0],
           cr[0], cr[0] / cg[0]);
    csf_exec_free(ex);
    return 0;
}
