/* The JSON sidecar beside an image, as dcm2niix writes it (x.nii[.gz] -> x.json). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/io.h"

#define SIDECAR_MAX (1L << 24) /* a sidecar is a few kB; anything near 16 MB is not one */

char *csf_io_read_sidecar(const char *image, char *name, size_t nlen)
{
    size_t n = strlen(image), stem = n;
    if (n > 7 && strcmp(image + n - 7, ".nii.gz") == 0)
        stem = n - 7;
    else if (n > 4 && strcmp(image + n - 4, ".nii") == 0)
        stem = n - 4;
    if (nlen > 0)
        name[0] = '\0';
    if (stem == n || nlen == 0 || snprintf(name, nlen, "%.*s.json", (int)stem, image) >= (int)nlen)
        return NULL;
    FILE *f = fopen(name, "rb");
    if (f == NULL)
        return NULL;
    char *buf = NULL;
    long len = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (len >= 0 && len < SIDECAR_MAX && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)len + 1)) != NULL) {
        /* a short read leaves a truncated text: its parser names the file */
        size_t got = fread(buf, 1, (size_t)len, f);
        buf[got] = '\0';
    }
    fclose(f);
    return buf;
}
