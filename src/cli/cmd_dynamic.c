/* csfleak dynamic: time-resolved studies (docs/dynamic.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "dyn_cli.h"
#include "csfleak/atomic.h"
#include "csfleak/dynamic.h"
#include "csfleak/io.h"

static void help(void)
{
    printf("usage: csfleak dynamic INPUT... --modality ctm|dsm|ric [options]\n"
           "       csfleak dynamic --make-phantom ctm|dsm|ric -o OUT.nii.gz --truth T.json\n"
           "                       --seed S [--kind K] [--frames N] [--scale X]\n"
           "       (the same as: csfleak phantom --dynamic ctm|dsm|ric ...)\n\n"
           "Finds where and when contrast (or tracer) first leaves the thecal sac in a\n"
           "time-resolved study: dynamic CT myelography (ctm, 3-D frames in HU), digital\n"
           "subtraction myelography (dsm, 2-D frontal frames, raw with frame 0 as the mask\n"
           "or pre-subtracted) or radioisotope cisternography (ric, planar counts at hours).\n"
           "INPUT is one 4-D NIfTI (frames streamed from disk) or one file / DICOM\n"
           "directory per frame in time order. Frame 0 is the reference (pre-contrast).\n\n"
           "  --modality M      ctm, dsm or ric (required)\n"
           "  --times LIST      frame times, comma-separated: s (ctm, dsm) or h (ric);\n"
           "                    default: the sidecar JSON (DICOM via dcm2niix, or x.json\n"
           "                    beside x.nii.gz), else the header, else 1 s (1 h)\n"
           "  --levels SPEC     vertebral levels 'T12=-341.0,L3=-420' (world z mm);\n"
           "                    default: found in the bones of frame 0 (CTM, raw DSM)\n"
           "  --json FILE       csfleak.dynamic/1 result (default: summary on stdout)\n"
           "  --png-dir DIR     curves.png (extrathecal size, sac height per frame)\n"
           "  --dsm raw|subtracted   DSM input kind (default: detected)\n"
           "  --no-motion       do not correct rigid motion\n"
           "  --half-life H     RIC isotope half-life in h (default 67.3, In-111; Tc-99m 6.01)\n"
           "Phantom: --kind none|leak|ventral|lateral|cvf|diverticulum|flooded|random\n"
           "  (default random); --frames N; --scale X (grid refinement, default 1).\n"
           "  The truth (csfleak.truth/1) holds the frame times and levels to pass back.\n"
           "  --threads N, --quiet as everywhere.\n\n"
           "Exit status: 0 ok, 1 usage, 2 bad input, 3 internal error.\n"
           "Research use only - not for diagnosis.\n");
}

typedef struct dyn_args {
    const char *modality, *times, *levels, *json, *png, *dsm, *phantom, *out, *truth, *kind;
    const char *inputs[4096];
    size_t ninputs;
    int no_motion;
    long seed, frames;
    double scale, half_life;
} dyn_args;

static int take(int argc, char **argv, int *i, const char **dst)
{
    if (*i + 1 >= argc)
        return csf_cli_usage_error(argv[0], "%s needs a value", argv[*i]);
    *dst = argv[++*i];
    return 0;
}

static int parse_num(int argc, char **argv, int *i, dyn_args *a)
{
    const char *v = NULL, *o = argv[*i];
    if (take(argc, argv, i, &v))
        return CSF_EXIT_USAGE;
    if (strcmp(o, "--seed") == 0 && csf_cli_parse_int(v, 0, 2147483647L, &a->seed) == 0)
        return 0;
    if (strcmp(o, "--frames") == 0 && csf_cli_parse_int(v, 2, 64, &a->frames) == 0)
        return 0;
    if (strcmp(o, "--scale") == 0 && csf_cli_parse_double(v, &a->scale) == 0 && a->scale > 0 &&
        a->scale <= 8)
        return 0;
    if (strcmp(o, "--half-life") == 0 && csf_cli_parse_double(v, &a->half_life) == 0 &&
        a->half_life > 0)
        return 0;
    return csf_cli_usage_error(argv[0], "bad value '%s' for %s", v, o);
}

static int parse(int argc, char **argv, dyn_args *a, csf_cli_common *c)
{
    static const char *const sopt[] = {"--modality", "--times", "--levels", "--json", "--png-dir",
                                       "--dsm", "--make-phantom", "-o", "--truth", "--kind"};
    for (int i = 1; i < argc; i++) {
        int r = csf_cli_common_opt(c, argc, argv, &i);
        if (r < 0)
            return CSF_EXIT_USAGE;
        if (r > 0)
            continue;
        const char **dst[] = {&a->modality, &a->times, &a->levels, &a->json, &a->png,
                              &a->dsm, &a->phantom, &a->out, &a->truth, &a->kind};
        int hit = 0;
        for (size_t k = 0; k < sizeof sopt / sizeof *sopt && !hit; k++)
            if (strcmp(argv[i], sopt[k]) == 0) {
                if (take(argc, argv, &i, dst[k]))
                    return CSF_EXIT_USAGE;
                hit = 1;
            }
        if (hit)
            continue;
        if (strcmp(argv[i], "--no-motion") == 0)
            a->no_motion = 1;
        else if (!strcmp(argv[i], "--seed") || !strcmp(argv[i], "--frames") ||
                 !strcmp(argv[i], "--scale") || !strcmp(argv[i], "--half-life")) {
            if (parse_num(argc, argv, &i, a))
                return CSF_EXIT_USAGE;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return csf_cli_usage_error(argv[0], "unknown option '%s'", argv[i]);
        else if (a->ninputs < sizeof a->inputs / sizeof *a->inputs)
            a->inputs[a->ninputs++] = argv[i];
        else
            return csf_cli_usage_error(argv[0], "too many inputs");
    }
    return 0;
}

static int parse_times(const char *cmd, const char *s, double **out, size_t *n)
{
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    double *t = malloc(cap * sizeof *t);
    if (t == NULL)
        return CSF_EXIT_INTERNAL;
    size_t k = 0;
    const char *p = s;
    while (1) {
        char buf[64];
        size_t len = strcspn(p, ",");
        if (len == 0 || len >= sizeof buf) {
            free(t);
            return csf_cli_usage_error(cmd, "bad --times '%s'", s);
        }
        memcpy(buf, p, len);
        buf[len] = '\0';
        if (csf_cli_parse_double(buf, &t[k]) != 0) {
            free(t);
            return csf_cli_usage_error(cmd, "bad time '%s' in --times", buf);
        }
        k++;
        p += len;
        if (*p != ',')
            break;
        p++;
    }
    *out = t;
    *n = k;
    return 0;
}

/* The phantom's frame times in a BIDS sidecar beside it (x.nii.gz -> x.json),
 * the way dcm2niix writes FrameTimesStart: `csfleak dynamic x.nii.gz` then
 * reads the true times without --times. */
static csf_status write_sidecar(const char *out, const char *truth, const double *t, size_t n, int ric,
                                csf_error *err)
{
    char path[4096];
    size_t len = strlen(out);
    size_t stem = len > 7 && strcmp(out + len - 7, ".nii.gz") == 0 ? len - 7
                  : len > 4 && strcmp(out + len - 4, ".nii") == 0  ? len - 4
                                                                   : len;
    if (snprintf(path, sizeof path, "%.*s.json", (int)stem, out) >= (int)sizeof path)
        return csf_error_set(err, CSF_ERR_IO, "'%s': path too long for its sidecar", out);
    if (strcmp(path, truth) == 0) /* the user put the truth there: it holds the times too */
        return CSF_OK;
    size_t cap = 64 + 32 * n, k = 0;
    char *txt = malloc(cap);
    if (txt == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory writing '%s'", path);
    k += (size_t)snprintf(txt + k, cap - k, "{\"FrameTimesStart\": [");
    for (size_t f = 0; f < n; f++)
        k += (size_t)snprintf(txt + k, cap - k, "%s%.6f", f ? ", " : "", ric ? t[f] * 3600.0 : t[f]);
    k += (size_t)snprintf(txt + k, cap - k, "]}\n");
    csf_status st = csf_atomic_write(path, txt, k, err);
    free(txt);
    return st;
}

static int make_phantom(const dyn_args *a, const char *cmd)
{
    csf_dyn_phantom_opts o = {0};
    if (csf_dyn_modality_parse(a->phantom, &o.modality) != 0)
        return csf_cli_usage_error(cmd, "the phantom modality must be ctm, dsm or ric, got '%s'",
                                   a->phantom);
    o.kind = CSF_DYN_PH_RANDOM;
    if (a->kind && csf_dyn_ph_kind_parse(a->kind, &o.kind, &o.leak_any) != 0)
        return csf_cli_usage_error(cmd, "unknown --kind '%s'", a->kind);
    if (a->out == NULL || a->truth == NULL)
        return csf_cli_usage_error(cmd, "a dynamic phantom needs -o OUT.nii.gz and --truth FILE");
    o.seed = (uint64_t)a->seed;
    o.scale = a->scale > 0 ? a->scale : 1;
    o.nframes = (size_t)a->frames;
    csf_error err = {0};
    csf_volume *v = NULL;
    double *t = NULL;
    char *tj = NULL;
    csf_status st = csf_dyn_phantom_make(&o, &v, &t, &tj, NULL, &err);
    csf_dtype dt = o.modality == CSF_DYN_CTM ? CSF_DT_INT16
                   : o.modality == CSF_DYN_RIC ? CSF_DT_UINT16 : CSF_DT_FLOAT32;
    if (st == CSF_OK)
        st = csf_io_write_nifti(a->out, v, dt, &err);
    if (st == CSF_OK)
        st = write_sidecar(a->out, a->truth, t, v->dim[3], o.modality == CSF_DYN_RIC, &err);
    if (st == CSF_OK)
        st = csf_atomic_write(a->truth, tj, strlen(tj), &err);
    csf_volume_free(v);
    free(t);
    free(tj);
    return st == CSF_OK ? CSF_EXIT_OK : csf_cli_fail(cmd, &err);
}

static void summary(const csf_dyn_result *r)
{
    const char *u = r->modality == CSF_DYN_RIC ? "h" : "s";
    printf("modality %s, %zu frames\n", csf_dyn_modality_name(r->modality), r->nframes);
    printf("levels: %s%s%s\n", r->levels_info.method, r->levels_info.reason[0] ? " - " : "",
           r->levels_info.reason);
    if (r->flooded)
        printf("flooded: %s\n", r->note);
    for (size_t i = 0; i < r->nsites; i++) {
        const csf_dyn_site *s = &r->sites[i];
        const char *ln = csf_dyn_level_name(s->level);
        printf("%s frame %zu (%.4g %s): %s, %s, level %s, at (%.1f, %.1f, %.1f) mm\n",
               i == 0 ? "first extrathecal contrast:" : "then:", s->frame, s->time, u,
               csf_dyn_kind_name(s->kind), csf_dyn_side_name(s->side), ln ? ln : "unknown",
               s->center_mm[0], s->center_mm[1], s->center_mm[2]);
    }
    if (r->nsites == 0 && !r->flooded)
        printf("no extrathecal contrast\n");
    if (r->modality == CSF_DYN_RIC)
        printf("RIC grades: cervical %d, thoracic %d, lumbar %d; %s\n", r->region_grade[0],
               r->region_grade[1], r->region_grade[2], r->positive ? "positive" : "negative");
    printf("Research use only - not for diagnosis.\n");
}

static int outputs(const dyn_args *a, const csf_dyn_result *r, const csf_dyn_levels *lv,
                   const char *cmd)
{
    csf_error err = {0};
    csf_status st = CSF_OK;
    if (a->json) {
        char *txt = NULL;
        st = csf_dyn_result_json(r, lv, &txt, &err);
        if (st == CSF_OK)
            st = csf_atomic_write(a->json, txt, strlen(txt), &err);
        free(txt);
    }
    if (st == CSF_OK && a->png) {
        mkdir(a->png, 0777);
        st = csf_dyn_write_curves_png(r, a->png, &err);
    }
    return st == CSF_OK ? CSF_EXIT_OK : csf_cli_fail(cmd, &err);
}

static int analyze(const dyn_args *a, const csf_cli_common *c, const char *cmd)
{
    csf_dyn_params p;
    csf_dyn_modality m;
    if (a->modality == NULL || csf_dyn_modality_parse(a->modality, &m) != 0)
        return csf_cli_usage_error(cmd, "--modality ctm|dsm|ric is required");
    if (a->ninputs == 0)
        return csf_cli_usage_error(cmd, "no input");
    csf_dyn_params_init(&p, m);
    p.motion = !a->no_motion;
    if (a->half_life > 0)
        p.isotope_half_life_h = a->half_life;
    if (a->dsm) {
        if (strcmp(a->dsm, "raw") != 0 && strcmp(a->dsm, "subtracted") != 0)
            return csf_cli_usage_error(cmd, "--dsm wants raw or subtracted");
        p.dsm_subtracted = strcmp(a->dsm, "subtracted") == 0;
    }
    csf_error err = {0};
    csf_dyn_levels lv = {0};
    if (a->levels && csf_dyn_levels_parse(a->levels, &lv, &err) != CSF_OK)
        return csf_cli_usage_error(cmd, "%s", err.msg);
    p.levels = &lv;
    double *times = NULL;
    size_t nt = 0;
    if (a->times) {
        int rc = parse_times(cmd, a->times, &times, &nt);
        if (rc)
            return rc;
    }
    csf_exec *ex = NULL;
    csf_dyn_result *r = NULL;
    csf_status st = csf_cli_exec(c, &ex, &err);
    if (st == CSF_OK)
        st = csf_dyn_analyze_paths(a->inputs, a->ninputs, times, nt, &p, ex, &r, &err);
    free(times);
    csf_exec_free(ex);
    if (st != CSF_OK)
        return csf_cli_fail(cmd, &err);
    int rc = outputs(a, r, &lv, cmd);
    if (rc == 0 && !c->quiet && a->json == NULL)
        summary(r);
    csf_dyn_result_free(r);
    return rc;
}

int cmd_dynamic(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (csf_cli_is_help(argv[i])) {
            help();
            return CSF_EXIT_OK;
        }
    dyn_args a;
    memset(&a, 0, sizeof a);
    csf_cli_common c = {0};
    int rc = parse(argc, argv, &a, &c);
    if (rc)
        return rc;
    if (a.phantom)
        return make_phantom(&a, argv[0]);
    return analyze(&a, &c, argv[0]);
}

int csf_cli_dynamic_phantom(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (csf_cli_is_help(argv[i])) {
            help();
            return CSF_EXIT_OK;
        }
    /* "--dynamic M" is taken out here so that `dynamic` itself does not grow the option */
    char **av = malloc((size_t)(argc + 1) * sizeof *av);
    if (av == NULL)
        return CSF_EXIT_INTERNAL;
    const char *mod = NULL;
    int n = 0;
    for (int i = 0; i < argc; i++) {
        if (i > 0 && strcmp(argv[i], "--dynamic") == 0 && mod == NULL) {
            if (i + 1 >= argc) {
                free(av);
                return csf_cli_usage_error(argv[0], "--dynamic needs ctm, dsm or ric");
            }
            mod = argv[++i];
            continue;
        }
        av[n++] = argv[i];
    }
    av[n] = NULL;
    dyn_args a;
    memset(&a, 0, sizeof a);
    csf_cli_common c = {0};
    int rc = parse(n, av, &a, &c);
    if (rc == 0 && (a.phantom != NULL || mod == NULL))
        rc = csf_cli_usage_error(av[0], "give --dynamic once");
    a.phantom = mod;
    if (rc == 0 && a.ninputs > 0)
        rc = csf_cli_usage_error(av[0], "unexpected argument '%s'", a.inputs[0]);
    if (rc == 0 && (a.modality || a.times || a.levels || a.json || a.png || a.dsm))
        rc = csf_cli_usage_error(av[0], "--dynamic takes only phantom options (-o, --truth, "
                                        "--seed, --kind, --frames, --scale)");
    if (rc == 0)
        rc = make_phantom(&a, av[0]);
    free(av);
    return rc;
}
