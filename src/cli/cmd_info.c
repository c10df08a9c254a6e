/* csfleak info FILE... [--json]: what csfleak sees in each input. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csfleak/img_stats.h"
#include "csfleak/io.h"

typedef struct info {
    csf_io_source src;
    size_t cdim[4];
    double vox[3];    /* mm along the file's own axes */
    double ext[3][2]; /* RAS mm of voxel centres */
    double min, max, mean, pct[3];
} info;

static const double k_pct[3] = {1, 50, 99};

static void help(void)
{
    printf("usage: csfleak info FILE... [--json] [--threads N] [--quiet]\n\n"
           "Prints, for each NIfTI file (.nii, .nii.gz, NIfTI-1 or -2) or DICOM series\n"
           "directory: dimensions, voxel size, the file's orientation code (the direction\n"
           "each stored axis points to, e.g. PSR, LPS), datatype, time points, which\n"
           "transform gave the geometry (sform, qform or pixdim), world extent in RAS mm,\n"
           "and intensity min / max / mean and percentiles 1 / 50 / 99 over all voxels.\n\n"
           "  --json   one JSON array with an object per file (failed files carry \"error\")\n\n"
           "Exit status: 0 all files read, 2 when any file could not be read, 1 usage.\n"
           "Research use only - not for diagnosis.\n");
}

static csf_status gather(const char *path, const csf_exec *ex, info *in, csf_error *err)
{
    csf_volume *v = NULL;
    csf_status st = csf_io_read(path, ex, &v, &in->src, err);
    if (st != CSF_OK)
        return st;
    memcpy(in->cdim, v->dim, sizeof in->cdim);
    for (int c = 0; c < 3; c++)
        in->vox[c] = sqrt(in->src.affine[0][c] * in->src.affine[0][c] +
                          in->src.affine[1][c] * in->src.affine[1][c] +
                          in->src.affine[2][c] * in->src.affine[2][c]);
    for (int a = 0; a < 3; a++) {
        in->ext[a][0] = INFINITY;
        in->ext[a][1] = -INFINITY;
    }
    for (int c = 0; c < 8; c++) {
        double ijk[3], w[3];
        for (int a = 0; a < 3; a++)
            ijk[a] = c & (1 << a) ? (double)(v->dim[a] - 1) : 0;
        csf_volume_ijk_to_ras(v, ijk, w);
        for (int a = 0; a < 3; a++) {
            in->ext[a][0] = fmin(in->ext[a][0], w[a]);
            in->ext[a][1] = fmax(in->ext[a][1], w[a]);
        }
    }
    size_t n = csf_volume_nvox(v) * v->dim[3];
    st = csf_img_minmax(v->data, n, &in->min, &in->max, &in->mean, ex, err);
    if (st == CSF_OK)
        st = csf_img_percentiles(v->data, n, k_pct, 3, in->pct, ex, err);
    if (st != CSF_OK)
        csf_error_prefix(err, "'%s'", path);
    csf_volume_free(v);
    return st;
}

static void print_text(const info *in)
{
    const csf_io_source *s = &in->src;
    printf("%s\n", s->path);
    printf("  format       %s\n", s->format);
    printf("  dims         %zu x %zu x %zu\n", s->dim[0], s->dim[1], s->dim[2]);
    printf("  time points  %zu", s->dim[3]);
    if (s->tr_s > 0)
        printf(" (%.4g s apart)", s->tr_s);
    printf("\n  voxel size   %.4g x %.4g x %.4g mm\n", in->vox[0], in->vox[1], in->vox[2]);
    printf("  orientation  %s (as stored; loaded as RAS %zu x %zu x %zu)\n", s->orient,
           in->cdim[0], in->cdim[1], in->cdim[2]);
    printf("  datatype     %s\n", s->datatype);
    printf("  transform    %s\n", s->xform_source);
    printf("  extent (RAS) x %.1f..%.1f  y %.1f..%.1f  z %.1f..%.1f mm\n", in->ext[0][0],
           in->ext[0][1], in->ext[1][0], in->ext[1][1], in->ext[2][0], in->ext[2][1]);
    printf("  intensity    min %.6g  max %.6g  mean %.6g\n", in->min, in->max, in->mean);
    printf("  percentiles  p1 %.6g  p50 %.6g  p99 %.6g\n", in->pct[0], in->pct[1], in->pct[2]);
}

static cJSON *json_of(const info *in)
{
    const csf_io_source *s = &in->src;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "path", s->path);
    cJSON_AddStringToObject(o, "format", s->format);
    double d[3] = {(double)s->dim[0], (double)s->dim[1], (double)s->dim[2]};
    cJSON_AddItemToObject(o, "dims", cJSON_CreateDoubleArray(d, 3));
    cJSON_AddNumberToObject(o, "time_points", (double)s->dim[3]);
    cJSON_AddNumberToObject(o, "tr_s", s->tr_s);
    cJSON_AddItemToObject(o, "voxel_size_mm", cJSON_CreateDoubleArray(in->vox, 3));
    cJSON_AddStringToObject(o, "orientation", s->orient);
    cJSON_AddStringToObject(o, "datatype", s->datatype);
    cJSON_AddStringToObject(o, "xform_source", s->xform_source);
    cJSON *e = cJSON_AddObjectToObject(o, "world_extent_ras_mm");
    static const char *ax[3] = {"x", "y", "z"};
    for (int a = 0; a < 3; a++)
        cJSON_AddItemToObject(e, ax[a], cJSON_CreateDoubleArray(in->ext[a], 2));
    cJSON *it = cJSON_AddObjectToObject(o, "intensity");
    cJSON_AddNumberToObject(it, "min", in->min);
    cJSON_AddNumberToObject(it, "max", in->max);
    cJSON_AddNumberToObject(it, "mean", in->mean);
    cJSON_AddNumberToObject(it, "p1", in->pct[0]);
    cJSON_AddNumberToObject(it, "p50", in->pct[1]);
    cJSON_AddNumberToObject(it, "p99", in->pct[2]);
    return o;
}

static int run(char **files, int nfiles, int json, const csf_exec *ex)
{
    int rc = CSF_EXIT_OK;
    cJSON *arr = json ? cJSON_CreateArray() : NULL;
    for (int f = 0; f < nfiles; f++) {
        info in;
        memset(&in, 0, sizeof in);
        csf_error err = {0};
        if (gather(files[f], ex, &in, &err) != CSF_OK) {
            int r = csf_cli_fail("info", &err);
            rc = r > rc ? r : rc;
            if (arr != NULL) {
                cJSON *o = cJSON_CreateObject();
                cJSON_AddStringToObject(o, "path", files[f]);
                cJSON_AddStringToObject(o, "error", err.msg);
                cJSON_AddItemToArray(arr, o);
            }
            continue;
        }
        if (arr != NULL)
            cJSON_AddItemToArray(arr, json_of(&in));
        else
            print_text(&in);
    }
    if (arr != NULL) {
        char *txt = cJSON_Print(arr);
        if (txt != NULL)
            printf("%s\n", txt);
        else
            rc = CSF_EXIT_INTERNAL;
        free(txt);
        cJSON_Delete(arr);
    }
    return rc;
}

int cmd_info(int argc, char **argv)
{
    csf_cli_common common = {0};
    int json = 0, nfiles = 0;
    char **files = calloc((size_t)argc, sizeof *files);
    if (files == NULL)
        return CSF_EXIT_INTERNAL;
    for (int i = 1; i < argc; i++) {
        int r = csf_cli_common_opt(&common, argc, argv, &i);
        if (r < 0) {
            free(files);
            return CSF_EXIT_USAGE;
        }
        if (r > 0)
            continue;
        if (csf_cli_is_help(argv[i])) {
            free(files);
            help();
            return CSF_EXIT_OK;
        }
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            free(files);
            return csf_cli_usage_error("info", "unknown option '%s'", argv[i]);
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (nfiles == 0) {
        free(files);
        return csf_cli_usage_error("info", "no input file");
    }
    csf_error err = {0};
    csf_exec *ex = NULL;
    if (csf_cli_exec(&common, &ex, &err) != CSF_OK) {
        free(files);
        return csf_cli_fail("info", &err);
    }
    int rc = run(files, nfiles, json, ex);
    csf_exec_free(ex);
    free(files);
    return rc;
}
