/* libFuzzer target: csf_io_read_nifti on arbitrary bytes. io has no in-memory
 * reader (libnifti2 opens paths), so each input goes to a private temp file;
 * inputs starting with the gzip magic exercise the .nii.gz path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csfleak/io.h"
#include "fuzz.h"

static char dir[] = "/tmp/csf_fuzz_XXXXXX";

static void remove_dir(void)
{
    rmdir(dir); /* each input's file is unlinked after use: the folder is empty */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (size > CSF_FUZZ_MAX_BYTES)
        return 0;
    if (path[0] == '\0') {
        if (mkdtemp(dir) == NULL)
            abort();
        atexit(remove_dir);
        snprintf(path, sizeof path, "%s/in", dir);
    }
    int gz = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    char file[80];
    snprintf(file, sizeof file, "%s%s", path, gz ? ".nii.gz" : ".nii");
    FILE *f = fopen(file, "wb");
    if (f == NULL)
        abort();
    if (size > 0 && fwrite(data, 1, size, f) != size)
        abort();
    if (fclose(f) != 0)
        abort();
    csf_volume *vol = NULL;
    csf_error err = {0};
    if (csf_io_read_nifti(file, NULL, &vol, NULL, &err) == CSF_OK)
        csf_volume_free(vol);
    unlink(file);
    return 0;
}
