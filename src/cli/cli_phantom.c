#include "cli_phantom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/io.h"
#include "csfleak/volume.h"

int csf_cli_station_path(const char *path, size_t station, size_t nstations, char *buf, size_t len)
{
    if (nstations <= 1) {
        int n = snprintf(buf, len, "%s", path);
        return n < 0 || (size_t)n >= len ? -1 : 0;
    }
    size_t pl = strlen(path), stem = pl;
    if (pl > 7 && strcmp(path + pl - 7, ".nii.gz") == 0)
        stem = pl - 7;
    else if (pl > 4 && strcmp(path + pl - 4, ".nii") == 0)
        stem = pl - 4;
    int n = snprintf(buf, len, "%.*s_st%zu%s", (int)stem, path, station + 1, path + stem);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int write_vol(const char *path, const csf_volume *v, csf_dtype dt, csf_error *err)
{
    return csf_io_write_nifti(path, v, dt, err) == CSF_OK ? 0 : -1;
}

int csf_cli_phantom_write(const csf_phantom_spec *spec, const csf_cli_phantom_out *out,
                          const csf_exec *ex, int quiet, csf_error *err)
{
    csf_phantom *ph = NULL;
    if (csf_phantom_new(spec, &ph, err) != CSF_OK)
        return -1;
    size_t ns = csf_phantom_nstations(ph);
    char names[2][1024];
    const char *files[2] = {names[0], names[1]};
    int rc = 0;
    for (size_t s = 0; s < ns && rc == 0; s++) {
        csf_volume *img = NULL, *lab = NULL;
        char lpath[1024];
        if (csf_cli_station_path(out->image, s, ns, names[s], sizeof names[s]) != 0 ||
            (out->labels && csf_cli_station_path(out->labels, s, ns, lpath, sizeof lpath) != 0)) {
            csf_error_set(err, CSF_ERR_INVALID_ARG, "output path '%s' is too long", out->image);
            rc = -1;
            break;
        }
        if (csf_phantom_render(ph, s, &img, out->labels ? &lab : NULL, ex, err) != CSF_OK)
            rc = -1;
        if (rc == 0)
            rc = write_vol(names[s], img, CSF_DT_INT16, err);
        if (rc == 0 && lab)
            rc = write_vol(lpath, lab, CSF_DT_UINT8, err);
        if (rc == 0 && !quiet) {
            char code[4];
            csf_volume_orient_code(img, code);
            printf("phantom: %s %zux%zux%zu %s %.2fx%.2fx%.2f mm\n", names[s], img->dim[0], img->dim[1],
                   img->dim[2], code, img->spacing[0], img->spacing[1], img->spacing[2]);
        }
        csf_volume_free(img);
        csf_volume_free(lab);
    }
    if (rc == 0 && csf_phantom_write_truth(ph, out->truth, files, err) != CSF_OK)
        rc = -1;
    csf_phantom_free(ph);
    return rc;
}
