/* csfleak demo: the main job on a built-in example. Until the phantom and the
 * detector land it makes a small synthetic volume and summarises it. */
#include <stdio.h>
#include <string.h>

#include <errno.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_phantom.h"
#include "csfleak/volume.h"

static void help(void)
{
    printf("usage: csfleak demo [-o DIR] [--threads N] [--quiet]\n\n"
           "Runs csfleak on a built-in synthetic example and prints where the output is.\n");
}

/* The built-in example: a whole-spine 3D phantom with a grade-2 leak at T7 left,
 * a grade-1 leak at L2 right and an incidental sacral Tarlov cyst. */
static int demo_phantom(const char *outdir, const csf_cli_common *common, csf_error *err)
{
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        csf_error_set(err, CSF_ERR_IO, "cannot create directory '%s'", outdir);
        return -1;
    }
    char img[1024], truth[1024];
    if (snprintf(img, sizeof img, "%s/demo_phantom.nii.gz", outdir) >= (int)sizeof img ||
        snprintf(truth, sizeof truth, "%s/demo_truth.json", outdir) >= (int)sizeof truth) {
        csf_error_set(err, CSF_ERR_INVALID_ARG, "output directory '%s' is too long", outdir);
        return -1;
    }
    csf_phantom_spec spec;
    csf_phantom_spec_init(&spec, 2026);
    spec.nleaks = 2;
    spec.leaks[0] = (csf_phantom_leak){csf_phantom_level_index("T7"), CSF_PH_LEFT, 2};
    spec.leaks[1] = (csf_phantom_leak){csf_phantom_level_index("L2"), CSF_PH_RIGHT, 1};
    spec.ncysts = 1;
    spec.cysts[0] = (csf_phantom_cyst){csf_phantom_level_index("S2"), CSF_PH_LEFT, 12};
    csf_exec *ex = NULL;
    if (csf_cli_exec(common, &ex, err) != CSF_OK)
        return -1;
    csf_cli_phantom_out out = {img, truth, NULL};
    int rc = csf_cli_phantom_write(&spec, &out, ex, common->quiet, err);
    csf_exec_free(ex);
    return rc;
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
    if (demo_phantom(outdir, &common, &err) != 0)
        return csf_cli_fail("demo", &err);
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
