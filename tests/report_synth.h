/* A synthetic heavily T2-weighted spine volume drawn from an analysis JSON
 * (its sac centerline and widths, its findings as bright ellipsoids, plus two
 * kidneys), so that report tests and the report benchmark have images whose
 * geometry matches the JSON. Header-only: shared by tests/test_report.c and
 * bench/bench_report.c. World box x [-150,150), y [-100,100), z [-640,0). */
#ifndef CSF_TEST_REPORT_SYNTH_H
#define CSF_TEST_REPORT_SYNTH_H
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/volume.h"

static char *synth_slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s != NULL && fread(s, 1, (size_t)n, fp) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s != NULL)
        s[n] = '\0';
    fclose(fp);
    return s;
}

static void synth_ellipsoid(csf_volume *v, const double c[3], const double r[3], float val)
{
    double inv[16];
    csf_affine_invert(&v->affine[0][0], inv);
    size_t lo[3], hi[3];
    for (int a = 0; a < 3; a++) {
        double i0 = (c[a] - r[a] - v->affine[a][3]) / v->spacing[a];
        double i1 = (c[a] + r[a] - v->affine[a][3]) / v->spacing[a];
        lo[a] = i0 < 0 ? 0 : (size_t)i0;
        hi[a] = i1 < 0 ? 0 : (size_t)i1 + 1;
        if (hi[a] >= v->dim[a])
            hi[a] = v->dim[a] - 1;
    }
    for (size_t k = lo[2]; k <= hi[2]; k++)
        for (size_t j = lo[1]; j <= hi[1]; j++)
            for (size_t i = lo[0]; i <= hi[0]; i++) {
                double ijk[3] = {(double)i, (double)j, (double)k}, p[3];
                csf_volume_ijk_to_ras(v, ijk, p);
                double d = 0;
                for (int a = 0; a < 3; a++)
                    d += (p[a] - c[a]) * (p[a] - c[a]) / (r[a] * r[a]);
                if (d <= 1.0)
                    v->data[i + v->dim[0] * (j + v->dim[1] * k)] = val;
            }
}

/* Sac center y and widths at world z from the JSON's sac levels (nearest). */
static void synth_sac_at(const cJSON *levels, double z, double *cy, double *tr, double *ap)
{
    double best = INFINITY;
    *cy = 0;
    *tr = 12;
    *ap = 10;
    const cJSON *e;
    cJSON_ArrayForEach(e, levels)
    {
        const cJSON *c = cJSON_GetObjectItem(e, "center_mm");
        double lz = cJSON_GetArrayItem(c, 2) ? cJSON_GetArrayItem(c, 2)->valuedouble : 0;
        if (fabs(lz - z) < best) {
            best = fabs(lz - z);
            *cy = cJSON_GetArrayItem(c, 1)->valuedouble;
            *tr = cJSON_GetObjectItem(e, "transverse_mm")->valuedouble;
            *ap = cJSON_GetObjectItem(e, "ap_mm")->valuedouble;
        }
    }
}

/* nx x ny x nz voxels over the fixed world box; NULL on failure. */
static csf_volume *synth_volume(const char *analysis_json, size_t nx, size_t ny, size_t nz)
{
    cJSON *a = cJSON_Parse(analysis_json);
    const size_t dim[4] = {nx, ny, nz, 1};
    const double sp[3] = {300.0 / (double)nx, 200.0 / (double)ny, 640.0 / (double)nz};
    csf_volume *v = NULL;
    if (a == NULL || csf_volume_new(dim, sp, &v, NULL) != CSF_OK) {
        cJSON_Delete(a);
        return NULL;
    }
    v->affine[0][3] = -150;
    v->affine[1][3] = -100;
    v->affine[2][3] = -640;
    const cJSON *sl = cJSON_GetObjectItem(cJSON_GetObjectItem(a, "sac"), "levels");
    uint64_t r = 88172645463325252ULL;
    for (size_t k = 0; k < nz; k++) {
        double z = -640 + (double)k * sp[2], cy, tr, ap;
        synth_sac_at(sl, z, &cy, &tr, &ap);
        for (size_t j = 0; j < ny; j++)
            for (size_t i = 0; i < nx; i++) {
                double x = -150 + (double)i * sp[0], y = -100 + (double)j * sp[1];
                double e = x * x / (tr * tr / 4) + (y - cy) * (y - cy) / (ap * ap / 4);
                r ^= r << 13;
                r ^= r >> 7;
                r ^= r << 17;
                float val = (float)(r >> 40) / (float)(1 << 24) * 60.0f;
                if (e <= 1.0)
                    val = z > -410 && x * x + (y - cy) * (y - cy) < 9 ? 250.0f : 1000.0f;
                v->data[i + nx * (j + ny * k)] = val;
            }
    }
    const double kid[2][3] = {{70, -45, -400}, {-70, -45, -410}}, kr[3] = {25, 18, 45};
    synth_ellipsoid(v, kid[0], kr, 700);
    synth_ellipsoid(v, kid[1], kr, 700);
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(a, "findings"))
    {
        const cJSON *c = cJSON_GetObjectItem(f, "center_mm");
        const cJSON *side = cJSON_GetObjectItem(f, "side");
        if (cJSON_GetArraySize(c) != 3)
            continue;
        double cc[3] = {cJSON_GetArrayItem(c, 0)->valuedouble, cJSON_GetArrayItem(c, 1)->valuedouble,
                        cJSON_GetArrayItem(c, 2)->valuedouble};
        double lat = cJSON_GetObjectItem(f, "lateral_extent_mm")->valuedouble / 2;
        double ccx = cJSON_GetObjectItem(f, "craniocaudal_extent_mm")->valuedouble / 2;
        int apside = cJSON_IsString(side) && (strcmp(side->valuestring, "ventral") == 0 ||
                                              strcmp(side->valuestring, "dorsal") == 0);
        double rr[3] = {apside ? 5 : lat, apside ? lat : 3, ccx};
        synth_ellipsoid(v, cc, rr, 900);
    }
    cJSON_Delete(a);
    return v;
}
#endif
