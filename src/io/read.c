/* csf_io_read: dispatch on what the path is (directory -> DICOM series,
 * file -> NIfTI, gzipped or not). */
#include <nifti2_io.h>
#include <string.h>
#include <sys/stat.h>

#include "io_internal.h"

csf_status csf_io_read_nifti(const char *path, const csf_exec *ex, csf_volume **out,
                             csf_io_source *src, csf_error *err)
{
    csf_io_blob blob;
    csf_status st = csf_exec_progress(ex, "read", 0.0, err);
    if (st == CSF_OK)
        st = csf_io_blob_load(path, &blob, err);
    if (st != CSF_OK)
        return st;
    st = csf_exec_progress(ex, "read", 0.5, err);
    csf_volume *v = NULL;
    if (st == CSF_OK)
        st = csf_io_nifti_decode(path, &blob, ex, &v, src, err);
    csf_io_blob_release(&blob);
    if (st == CSF_OK)
        st = csf_exec_progress(ex, "read", 1.0, err);
    if (st != CSF_OK) {
        csf_volume_free(v);
        return st;
    }
    *out = v;
    return CSF_OK;
}

csf_status csf_io_read(const char *path, const csf_exec *ex, csf_volume **out,
                       csf_io_source *src, csf_error *err)
{
    if (path == NULL || out == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_io_read: NULL argument");
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return csf_io_read_dicom(path, ex, out, src, err);
    return csf_io_read_nifti(path, ex, out, src, err);
}
