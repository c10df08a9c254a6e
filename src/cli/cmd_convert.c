/* csfleak convert IN... OUT.nii[.gz]: canonical RAS NIfTI of one input, or of
 * several stations merged on one grid. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csfleak/io.h"

static void help(void)
{
    printf("usage: csfleak convert IN... OUT.nii.gz [--dtype auto|float32|int16|uint8|uint16]\n"
           "                        [--threads N] [--quiet]\n\n"
           "Writes the input (NIfTI or DICOM series directory) as NIfTI-1 reoriented to\n"
           "canonical RAS (axes permuted/flipped, never resampled). With several inputs\n"
           "(stations of one spine) they are merged on one world grid: union bounding\n"
           "box, finest voxel size, trilinear sampling, overlaps feather-blended.\n"
           "--dtype auto (default) keeps int16/uint8/uint16 when every value fits and is\n"
           "whole, else float32. Output .nii.gz is gzip-compressed. Research use only.\n");
}

static int parse_dtype(const char *s, int *dt)
{
    static const char *names[] = {"float32", "int16", "uint8", "uint16"};
    static const int codes[] = {CSF_DT_FLOAT32, CSF_DT_INT16, CSF_DT_UINT8, CSF_DT_UINT16};
    if (strcmp(s, "auto") == 0) {
        *dt = -1;
        return 0;
    }
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *dt = codes[i];
            return 0;
        }
    return -1;
}

/* Smallest listed integer type holding every value exactly, else float32. */
static csf_dtype auto_dtype(const csf_volume *v)
{
    size_t n = csf_volume_nvox(v) * v->dim[3];
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double x = v->data[i];
        if (x != floor(x))
            return CSF_DT_FLOAT32;
        lo = fmin(lo, x);
        hi = fmax(hi, x);
    }
    if (lo >= 0 && hi <= 255)
        return CSF_DT_UINT8;
    if (lo >= -32768 && hi <= 32767)
        return CSF_DT_INT16;
    if (lo >= 0 && hi <= 65535)
        return CSF_DT_UINT16;
    return CSF_DT_FLOAT32;
}

int cmd_convert(int argc, char **argv)
{
    csf_cli_common common = {0};
    int dt = -1, n = 0;
    const char **paths = calloc((size_t)argc, sizeof *paths);
    if (paths == NULL)
        return CSF_EXIT_INTERNAL;
    int rc = CSF_EXIT_OK;
    for (int i = 1; i < argc && rc == CSF_EXIT_OK; i++) {
        int r = csf_cli_common_opt(&common, argc, argv, &i);
        if (r < 0)
            rc = CSF_EXIT_USAGE;
        else if (r > 0)
            continue;
        else if (csf_cli_is_help(argv[i])) {
            free(paths);
            help();
            return CSF_EXIT_OK;
        } else if (strcmp(argv[i], "--dtype") == 0 && i + 1 < argc) {
            if (parse_dtype(argv[++i], &dt) != 0)
                rc = csf_cli_usage_error("convert", "unknown --dtype '%s'", argv[i]);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            rc = csf_cli_usage_error("convert", "unknown option '%s'", argv[i]);
        } else {
            paths[n++] = argv[i];
        }
    }
    if (rc == CSF_EXIT_OK && n < 2)
        rc = csf_cli_usage_error("convert", "needs at least one input and one output");
    csf_error err = {0};
    csf_exec *ex = NULL;
    csf_volume *v = NULL;
    if (rc == CSF_EXIT_OK && csf_cli_exec(&common, &ex, &err) != CSF_OK)
        rc = csf_cli_fail("convert", &err);
    if (rc == CSF_EXIT_OK && csf_io_read_stations(paths, (size_t)(n - 1), ex, &v, &err) != CSF_OK)
        rc = csf_cli_fail("convert", &err);
    if (rc == CSF_EXIT_OK) {
        csf_dtype d = dt < 0 ? auto_dtype(v) : (csf_dtype)dt;
        if (csf_io_write_nifti(paths[n - 1], v, d, &err) != CSF_OK)
            rc = csf_cli_fail("convert", &err);
    }
    csf_volume_free(v);
    csf_exec_free(ex);
    free(paths);
    return rc;
}
