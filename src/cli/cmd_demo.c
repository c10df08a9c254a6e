/* csfleak demo: the main job on a built-in example. Until the phantom and the
 * detector land it makes a small synthetic volume and summarises it. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "csfleak/volume.h"

static void help(void)
{
    printf("usage: csfleak demo [-o DIR] [--threads N] [--quiet]\n\n"
           "Runs csfleak on a built-in synthetic example and prints where the output is.\n");
}

int cmd_demo(int argc, char **argv)
{
    csf_cli_common common = {0};
    const char *outdir = "csfleak-demo";
    for (int i = 1; i < argc; i++) {
        int r = csf_cli_common_opt(&common, argc, argv, &i);
        if (r < 0)
            return CSF_EXIT_USAGE;
        if (r > 0)
            continue;
        if (csf_cli_is_help(argv[i])) {
            help();
            return CSF_EXIT_OK;
        }
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--out") == 0) && i + 1 < argc) {
            outdir = argv[++i];
            continue;
        }
        return csf_cli_usage_error("demo", "unknown option '%s'", argv[i]);
    }
    csf_error err = {0};
    csf_volume *vol = NULL;
    const size_t dim[4] = {64, 64, 64, 1};
    const double sp[3] = {1, 1, 1};
    if (csf_volume_new(dim, sp, &vol, &err) != CSF_OK)
        return csf_cli_fail("demo", &err);
    char code[4];
    csf_volume_orient_code(vol, code);
    printf("demo volume %zux%zux%zu, %s (output directory %s)\n", vol->dim[0], vol->dim[1],
           vol->dim[2], code, outdir);
    csf_volume_free(vol);
    return CSF_EXIT_OK;
}
