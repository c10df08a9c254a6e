/* bench_sih: throughput of batch report mining (tokenise, rules, JSON line)
 * on generated reports. Target: >= 10,000 reports/s on one core.
 *   bench_sih [N=100000] [--csv OUT.csv]   (--csv also writes the reports, to
 *   time the CLI: csfleak sih report --csv OUT.csv --column text > /dev/null) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csfleak/sih.h"

static const char *const PARTS[] = {
    "MRI brain with and without contrast. ",
    "There is diffuse smooth pachymeningeal enhancement. ",
    "No pachymeningeal enhancement. ",
    "The transverse sinuses are distended. ",
    "The dural venous sinuses are normal in caliber. ",
    "No subdural collections. ",
    "Bilateral thin subdural hygromas over the convexities. ",
    "The suprasellar cistern is effaced. ",
    "Prepontine cistern measures 3 mm. ",
    "Mamillopontine distance is reduced at 4.5 mm. ",
    "Descent of the tonsils by 7 mm below the foramen magnum. ",
    "Cerebellar tonsils are normally positioned. ",
    "The pituitary gland is plump. ",
    "Possible sagging of the brainstem. ",
    "Pontomesencephalic angle of 42 degrees. ",
    "Ventricles and sulci are normal for age. No acute infarct or haemorrhage. ",
    "Whole spine MR myelogram: ventral longitudinal extradural CSF collection from C7 to T9. ",
    "No SLEC. Bilateral sacral Tarlov cysts. ",
    "Dynamic CT myelogram: early contrast in the ventral epidural space at T7-8. ",
    "Mucosal thickening in the maxillary sinus. ",
    "Tonsiller decent of 6 millimeters; subdural hi groma cannot be excluded. ",
};
#define NPARTS (sizeof PARTS / sizeof PARTS[0])

static uint64_t next(uint64_t *s) /* xorshift64*: deterministic, no rand() */
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long n = 100000;
    const char *csv = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--csv") == 0 && i + 1 < argc)
            csv = argv[++i];
        else
            n = strtol(argv[i], NULL, 10);
    }
    if (n <= 0)
        n = 100000;
    char **rep = malloc((size_t)n * sizeof *rep);
    size_t *len = malloc((size_t)n * sizeof *len);
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    size_t bytes = 0;
    for (long r = 0; r < n; r++) {
        char buf[4096];
        size_t k = 0;
        int parts = 4 + (int)(next(&seed) % 6);
        for (int p = 0; p < parts; p++) {
            const char *s = PARTS[next(&seed) % NPARTS];
            size_t l = strlen(s);
            memcpy(buf + k, s, l);
            k += l;
        }
        rep[r] = malloc(k + 1);
        memcpy(rep[r], buf, k);
        rep[r][k] = '\0';
        len[r] = k;
        bytes += k;
    }
    if (csv) {
        FILE *fp = fopen(csv, "w");
        if (!fp)
            return fprintf(stderr, "bench_sih: cannot write '%s'\n", csv), 2;
        fprintf(fp, "id,text\n");
        for (long r = 0; r < n; r++)
            fprintf(fp, "%ld,\"%s\"\n", r, rep[r]);
        fclose(fp);
    }
    csf_sih_miner *m = NULL;
    if (csf_sih_miner_new(&m, NULL) != CSF_OK)
        return 3;
    csf_sih_mined res = {0};
    size_t findings = 0, out_bytes = 0;
    double t0 = now();
    for (long r = 0; r < n; r++) {
        if (csf_sih_mine(m, rep[r], len[r], &res, NULL) != CSF_OK)
            return 3;
        char *js = csf_sih_report_json(&res, rep[r], NULL, 0);
        if (!js)
            return 3;
        out_bytes += strlen(js) + 1;
        findings += res.n;
        free(js);
    }
    double dt = now() - t0;
    printf("bench_sih: %ld reports (%.1f MB text, mean %.0f B), %zu findings, %.1f MB JSON\n", n, bytes / 1e6,
           (double)bytes / (double)n, findings, out_bytes / 1e6);
    printf("bench_sih: %.3f s, %.0f reports/s (mining + JSON line, one thread; target >= 10000)\n", dt,
           (double)n / dt);
    csf_sih_mined_release(&res);
    csf_sih_miner_free(m);
    for (long r = 0; r < n; r++)
        free(rep[r]);
    free(rep);
    free(len);
    return 0;
}
