/* Plain driver for the fuzz targets (no libFuzzer): runs every file named on the
 * command line, or found directly inside a named directory, through
 * LLVMFuzzerTestOneInput. ctest uses it to replay fuzz/corpus/<target>/ so that
 * crashes once found stay fixed (under the ASan build they fail loudly). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: cannot open '%s'\n", path);
        return 1;
    }
    uint8_t *buf = malloc(CSF_FUZZ_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, CSF_FUZZ_MAX_BYTES + 1, f) : 0;
    fclose(f);
    if (buf == NULL)
        return 1;
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

static int run_dir(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "replay: cannot open '%s'\n", dir);
        return 1;
    }
    int bad = 0;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            bad |= run_file(path);
            (*count)++;
        }
    }
    closedir(d);
    return bad;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            bad |= run_dir(argv[i], &count);
        else {
            bad |= run_file(argv[i]);
            count++;
        }
    }
    printf("replay: %zu inputs\n", count);
    return bad || count == 0; /* an empty corpus would prove nothing */
}
