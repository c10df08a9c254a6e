/* csfleak phantom: one synthetic MR myelogram with its ground truth. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_phantom.h"
#include "dyn_cli.h"
#include "csfleak/io.h"
#include "csfleak/phantom.h"

static void help(void)
{
    printf("usage: csfleak phantom -o OUT.nii.gz --truth T.json [options]\n"
           "       csfleak phantom --dynamic ctm|dsm|ric -o OUT.nii.gz --truth T.json\n"
           "                       [--seed S] [--kind K] [--frames N] [--scale X]\n"
           "                       time series (see csfleak phantom --dynamic ctm --help)\n\n"
           "Writes a synthetic heavily T2-weighted MR myelogram (int16 NIfTI) with known\n"
           "leaks, cysts and collections, and its ground truth (schema csfleak.truth/1).\n\n"
           "  --labels L.nii.gz          label map (1 sac, 2 cord, 3 root sleeve, 4 roots,\n"
           "                             5 non-CSF fluid, 6 vein, 7 bone, 100+i finding i)\n"
           "  --seed S                   subject and noise (default 1)\n"
           "  --random                   random pathology from the seed\n"
           "  --leak LEVEL:SIDE:GRADE    e.g. T6:left:2 (C2..S1, grade 1..3); repeatable\n"
           "  --cyst LEVEL:SIDE[:MM]     perineural cyst, C2..S3, 2..30 mm; repeatable\n"
           "  --diverticulum LEVEL:SIDE[:MM]  meningeal diverticulum; repeatable\n"
           "  --slec FROM-TO:ventral|dorsal   e.g. T3-T9:ventral\n"
           "  --ectasia                  lumbosacral dural ectasia\n"
           "  --no-mimics                leave out kidneys, bladder, bowel, facet effusions\n"
           "  --voxel MM[,MM,MM]         voxel size along the file axes (3D, default 1)\n"
           "  --orient CODE              file axis order, e.g. RAS, LPS, PSR (default RAS)\n"
           "  --snr X                    CSF / noise sigma, 0 = noiseless (default 30)\n"
           "  --no-bias                  no bias field or coil falloff\n"
           "  --protocol 3d|2d           2d: coronal 50 mm thick-slab, 270 mm / 512 pixels\n"
           "  --stations 1|2             2: cervicothoracic + thoracolumbar files OUT_st1/_st2\n"
           "  --crop ZLO,ZHI             limit the field of view to world z (mm)\n"
           "  --tilt DEG                 oblique grid: rotated about the x axis, -30..30\n"
           "  --threads N, --quiet\n\n"
           "Research use only; not for diagnosis. Model and truth schema: docs/phantom.md\n");
}

static int parse_voxel(const char *s, double v[3])
{
    char buf[64];
    if (strlen(s) >= sizeof buf)
        return -1;
    memcpy(buf, s, strlen(s) + 1);
    int n = 0;
    char *p = buf;
    while (n < 3) {
        char *c = strchr(p, ',');
        if (c)
            *c = '\0';
        if (csf_cli_parse_double(p, &v[n]) != 0 || v[n] < 0.2 || v[n] > 20)
            return -1;
        n++;
        if (!c)
            break;
        p = c + 1;
    }
    if (n == 1)
        v[1] = v[2] = v[0];
    return n == 1 || n == 3 ? 0 : -1;
}

static int parse_crop(const char *s, double z[2])
{
    char buf[64];
    const char *c = strchr(s, ',');
    if (c == NULL || strlen(s) >= sizeof buf)
        return -1;
    memcpy(buf, s, strlen(s) + 1);
    buf[c - s] = '\0';
    if (csf_cli_parse_double(buf, &z[0]) != 0 || csf_cli_parse_double(buf + (c - s) + 1, &z[1]) != 0)
        return -1;
    return z[1] > z[0] ? 0 : -1;
}

int csf_cli_parse_seed(const char *s, uint64_t *out)
{
    if (s == NULL || *s == '\0' || *s == '-')
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = (uint64_t)v;
    return 0;
}

/* One option with a value; returns 1 consumed, 0 not ours, -1 usage error printed. */
static int opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
    if (strcmp(argv[*i], name) != 0)
        return 0;
    if (*i + 1 >= argc) {
        csf_cli_usage_error("phantom", "%s needs a value", name);
        return -1;
    }
    *val = argv[++*i];
    return 1;
}

typedef struct ph_args {
    csf_cli_phantom_out out;
    csf_phantom_spec spec;
    csf_cli_common common;
    int random;
    csf_phantom_spec extra; /* explicit findings, appended after --random */
} ph_args;

static int parse_finding(ph_args *a, const char *opt, const char *v)
{
    csf_error err = {0};
    csf_phantom_spec *x = &a->extra;
    csf_status st = CSF_OK;
    if (strcmp(opt, "--leak") == 0) {
        if (x->nleaks == CSF_PHANTOM_MAX_LEAKS)
            return csf_cli_usage_error("phantom", "at most %d leaks", CSF_PHANTOM_MAX_LEAKS);
        st = csf_phantom_parse_leak(v, &x->leaks[x->nleaks++], &err);
    } else if (strcmp(opt, "--cyst") == 0) {
        if (x->ncysts == CSF_PHANTOM_MAX_CYSTS)
            return csf_cli_usage_error("phantom", "at most %d cysts", CSF_PHANTOM_MAX_CYSTS);
        st = csf_phantom_parse_cyst(v, &x->cysts[x->ncysts++], &err);
    } else if (strcmp(opt, "--diverticulum") == 0) {
        if (x->ndiverticula == CSF_PHANTOM_MAX_DIVERTICULA)
            return csf_cli_usage_error("phantom", "at most %d diverticula", CSF_PHANTOM_MAX_DIVERTICULA);
        st = csf_phantom_parse_cyst(v, &x->diverticula[x->ndiverticula++], &err);
    } else {
        st = csf_phantom_parse_slec(v, x, &err);
    }
    return st == CSF_OK ? 0 : csf_cli_usage_error("phantom", "%s", err.msg);
}

static int parse_acq(ph_args *a, const char *opt, const char *v)
{
    csf_phantom_spec *s = &a->spec;
    long n;
    if (strcmp(opt, "--seed") == 0 && csf_cli_parse_seed(v, &s->seed) == 0)
        return 0;
    if (strcmp(opt, "--voxel") == 0 && parse_voxel(v, s->voxel_mm) == 0)
        return 0;
    if (strcmp(opt, "--orient") == 0 && csf_phantom_orient_valid(v)) {
        memcpy(s->orient, v, 4);
        return 0;
    }
    if (strcmp(opt, "--snr") == 0 && csf_cli_parse_double(v, &s->snr) == 0 && s->snr >= 0)
        return 0;
    if (strcmp(opt, "--protocol") == 0 && (strcmp(v, "3d") == 0 || strcmp(v, "2d") == 0)) {
        s->protocol = v[0] == '2' ? CSF_PH_2D : CSF_PH_3D;
        return 0;
    }
    if (strcmp(opt, "--stations") == 0 && csf_cli_parse_int(v, 1, 2, &n) == 0) {
        s->stations = (int)n;
        return 0;
    }
    if (strcmp(opt, "--tilt") == 0 && csf_cli_parse_double(v, &s->tilt_deg) == 0 &&
        fabs(s->tilt_deg) <= 30)
        return 0;
    if (strcmp(opt, "--crop") == 0 && parse_crop(v, s->crop_z_mm) == 0) {
        s->crop = 1;
        return 0;
    }
    return csf_cli_usage_error("phantom", "bad value '%s' for %s", v, opt);
}

static int parse_args(int argc, char **argv, ph_args *a)
{
    static const char *const FIND[] = {"--leak", "--cyst", "--diverticulum", "--slec"};
    static const char *const ACQ[] = {"--seed", "--voxel", "--orient", "--snr", "--protocol",
                                      "--stations", "--crop", "--tilt"};
    for (int i = 1; i < argc; i++) {
        int r = csf_cli_common_opt(&a->common, argc, argv, &i);
        if (r < 0)
            return CSF_EXIT_USAGE;
        if (r > 0)
            continue;
        const char *v = NULL;
        if (csf_cli_is_help(argv[i])) {
            help();
            return -1;
        }
        const char *opt = argv[i];
        if ((r = opt_value(argc, argv, &i, "-o", &a->out.image)) != 0 ||
            (r = opt_value(argc, argv, &i, "--truth", &a->out.truth)) != 0 ||
            (r = opt_value(argc, argv, &i, "--labels", &a->out.labels)) != 0) {
            if (r < 0)
                return CSF_EXIT_USAGE;
            continue;
        }
        int done = 0;
        for (size_t k = 0; k < sizeof FIND / sizeof *FIND && !done; k++)
            if ((r = opt_value(argc, argv, &i, FIND[k], &v)) != 0) {
                if (r < 0 || parse_finding(a, opt, v) != 0)
                    return CSF_EXIT_USAGE;
                done = 1;
            }
        for (size_t k = 0; k < sizeof ACQ / sizeof *ACQ && !done; k++)
            if ((r = opt_value(argc, argv, &i, ACQ[k], &v)) != 0) {
                if (r < 0 || parse_acq(a, opt, v) != 0)
                    return CSF_EXIT_USAGE;
                done = 1;
            }
        if (done)
            continue;
        if (strcmp(opt, "--random") == 0)
            a->random = 1;
        else if (strcmp(opt, "--ectasia") == 0)
            a->extra.ectasia = 1;
        else if (strcmp(opt, "--no-mimics") == 0)
            a->spec.mimics = 0;
        else if (strcmp(opt, "--no-bias") == 0)
            a->spec.bias = 0;
        else
            return csf_cli_usage_error("phantom", "unknown option '%s'", opt);
    }
    if (a->out.image == NULL || a->out.truth == NULL)
        return csf_cli_usage_error("phantom", "-o OUT.nii.gz and --truth T.json are required");
    return 0;
}

/* Applies --random, then appends the explicit findings. */
static int merge_spec(ph_args *a)
{
    csf_phantom_spec *s = &a->spec;
    const csf_phantom_spec *x = &a->extra;
    if (a->random)
        csf_phantom_spec_randomize(s, s->seed);
    if (s->nleaks + x->nleaks > CSF_PHANTOM_MAX_LEAKS || s->ncysts + x->ncysts > CSF_PHANTOM_MAX_CYSTS ||
        s->ndiverticula + x->ndiverticula > CSF_PHANTOM_MAX_DIVERTICULA)
        return csf_cli_usage_error("phantom", "too many findings");
    for (int i = 0; i < x->nleaks; i++)
        s->leaks[s->nleaks++] = x->leaks[i];
    for (int i = 0; i < x->ncysts; i++)
        s->cysts[s->ncysts++] = x->cysts[i];
    for (int i = 0; i < x->ndiverticula; i++)
        s->diverticula[s->ndiverticula++] = x->diverticula[i];
    if (x->slec) {
        s->slec = 1, s->slec_from = x->slec_from, s->slec_to = x->slec_to;
        s->slec_dorsal = x->slec_dorsal;
    }
    s->ectasia |= x->ectasia;
    return 0;
}

int cmd_phantom(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--dynamic") == 0)
            return csf_cli_dynamic_phantom(argc, argv);
    ph_args a;
    memset(&a, 0, sizeof a);
    csf_phantom_spec_init(&a.spec, 1);
    int r = parse_args(argc, argv, &a);
    if (r != 0)
        return r < 0 ? CSF_EXIT_OK : r;
    if (merge_spec(&a) != 0)
        return CSF_EXIT_USAGE;
    csf_error err = {0};
    csf_exec *ex = NULL;
    if (csf_cli_exec(&a.common, &ex, &err) != CSF_OK)
        return csf_cli_fail("phantom", &err);
    int rc = csf_cli_phantom_write(&a.spec, &a.out, ex, a.common.quiet, &err);
    csf_exec_free(ex);
    return rc == 0 ? CSF_EXIT_OK : csf_cli_fail("phantom", &err);
}
