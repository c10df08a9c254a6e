/* csfleak phantom-suite: a balanced benchmark set of phantoms with a manifest. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "cli_phantom.h"
#include "csfleak/atomic.h"
#include "csfleak/phantom.h"

/* Design draws: a key and a counter on the phantom RNG. */
typedef struct ph_rng {
    uint64_t key, ctr;
} ph_rng;
static double ph_uniform(ph_rng *r) { return csf_phantom_uniform(r->key, &r->ctr); }

static void help(void)
{
    printf("usage: csfleak phantom-suite --count N [--seed S] -o DIR [--labels] [--voxel MM]\n"
           "                             [--threads N] [--quiet]\n\n"
           "Writes N phantoms (DIR/case_NNNN.nii.gz + .truth.json) cycling through a balanced\n"
           "design: controls, single leaks of grade 1, 2 and 3 in each region, multiple leaks,\n"
           "perineural cysts only, SLEC, leak + cyst, diverticula / ectasia, random cases;\n"
           "3D and 2D protocols, one or two stations, several orientations, voxel sizes and\n"
           "SNRs. --voxel fixes the 3D voxel size (quick, coarse suites).\n"
           "DIR/index.csv lists every case. Research use only; not for diagnosis. docs/phantom.md\n");
}

#define NCAT 10
static const char *const CAT[NCAT] = {"control",       "leak_g1",   "leak_g2", "leak_g3",
                                      "multi_leak",    "cyst_only", "slec",    "leak_cyst",
                                      "divert_ectasia", "random"};

/* Leak level in region rg (0 cervical C2-C6, 1 thoracic C7-T11, 2 lumbar T12-S1). */
static int level_in(int rg, ph_rng *r)
{
    static const int lo[3] = {1, 6, 18}, n[3] = {5, 12, 7};
    return lo[rg] + (int)(ph_uniform(r) * n[rg]);
}

static int has_site(const csf_phantom_spec *s, int lvl, int side)
{
    for (int i = 0; i < s->nleaks; i++)
        if (s->leaks[i].level == lvl && s->leaks[i].side == side)
            return 1;
    for (int i = 0; i < s->ncysts; i++)
        if (s->cysts[i].level == lvl && s->cysts[i].side == side)
            return 1;
    return 0;
}

static void add_leak(csf_phantom_spec *s, int rg, int grade, ph_rng *r)
{
    for (int t = 0; t < 20; t++) {
        int lvl = level_in(rg, r), side = ph_uniform(r) < 0.5;
        if (!has_site(s, lvl, side)) {
            s->leaks[s->nleaks++] = (csf_phantom_leak){lvl, side, grade};
            return;
        }
    }
}

static void add_cyst(csf_phantom_spec *s, ph_rng *r)
{
    static const int sacral[4] = {24, 24, 25, 26};
    for (int t = 0; t < 20; t++) {
        int lvl = ph_uniform(r) < 0.8 ? sacral[(int)(ph_uniform(r) * 4)] : 7 + (int)(ph_uniform(r) * 17);
        int side = ph_uniform(r) < 0.5;
        if (!has_site(s, lvl, side)) {
            s->cysts[s->ncysts++] = (csf_phantom_cyst){lvl, side, 0};
            return;
        }
    }
}

/* Pathology of case `idx` in category `cat`. */
static void design(csf_phantom_spec *s, int cat, size_t idx, ph_rng *r)
{
    int rg = (int)((idx / NCAT) % 3);
    switch (cat) {
    case 1: case 2: case 3: add_leak(s, rg, cat, r); break;
    case 4:
        add_leak(s, rg, 1 + (int)(ph_uniform(r) * 3), r);
        add_leak(s, (rg + 1 + (int)(ph_uniform(r) * 2)) % 3, 1 + (int)(ph_uniform(r) * 3), r);
        if (ph_uniform(r) < 0.4)
            add_leak(s, (int)(ph_uniform(r) * 3), 1 + (int)(ph_uniform(r) * 3), r);
        break;
    case 5:
        add_cyst(s, r);
        if (ph_uniform(r) < 0.4)
            add_cyst(s, r);
        break;
    case 6:
        s->slec = 1;
        s->slec_from = 5 + (int)(ph_uniform(r) * 11);
        s->slec_to = s->slec_from + 2 + (int)(ph_uniform(r) * 6);
        s->slec_to = s->slec_to > 22 ? 22 : s->slec_to;
        s->slec_dorsal = ph_uniform(r) < 0.25;
        if (ph_uniform(r) < 0.3)
            add_leak(s, rg, 1 + (int)(ph_uniform(r) * 3), r);
        break;
    case 7:
        add_leak(s, rg, 1 + (int)(ph_uniform(r) * 3), r);
        add_cyst(s, r);
        break;
    case 8:
        if (idx / NCAT % 2 == 0) {
            s->diverticula[s->ndiverticula++] =
                (csf_phantom_cyst){7 + (int)(ph_uniform(r) * 12), ph_uniform(r) < 0.5, 0};
        } else {
            s->ectasia = 1;
            add_cyst(s, r);
        }
        break;
    case 9: csf_phantom_spec_randomize(s, s->seed); break;
    default: break;
    }
}

/* Acquisition of case idx: orientation, voxel size, SNR, protocol, stations. */
static void acquisition(csf_phantom_spec *s, int cat, size_t idx, ph_rng *r, double vox)
{
    static const char *const ORIENT[4] = {"RAS", "LPS", "PSR", "LAS"};
    static const double SNR[4] = {15, 25, 40, 60};
    memcpy(s->orient, ORIENT[idx % 4], 4);
    s->snr = SNR[(idx / 4) % 4];
    int twod = cat != 6 && idx % 4 == 3;
    if (twod) {
        s->protocol = CSF_PH_2D;
        s->stations = ph_uniform(r) < 0.5 ? 1 : 2;
        memcpy(s->orient, "RAS", 4);
        /* 0 = the protocol's own grid: 512 x 512 over 270 mm, a 50 mm slab; the slab is
         * not a voxel size and the spec check rightly refuses it as one */
        s->voxel_mm[0] = s->voxel_mm[1] = s->voxel_mm[2] = 0;
        return;
    }
    s->stations = idx % 5 == 4 ? 2 : 1;
    double v = ph_uniform(r) < 0.5 ? 1.0 : 1.2;
    if (vox > 0)
        v = vox;
    for (int a = 0; a < 3; a++)
        s->voxel_mm[a] = v;
    if (idx % 7 == 6) /* anisotropic: thick sagittal slices */
        s->voxel_mm[2] = 2.0 * v;
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    char *buf = NULL;
    if (fseek(fp, 0, SEEK_END) == 0) {
        long n = ftell(fp);
        rewind(fp);
        buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
        if (buf && fread(buf, 1, (size_t)n, fp) == (size_t)n)
            buf[n] = '\0';
        else
            free(buf), buf = NULL;
    }
    fclose(fp);
    return buf;
}

static const char *grade_str(cJSON *regions, const char *name, char *buf)
{
    cJSON *g = cJSON_GetObjectItem(cJSON_GetObjectItem(regions, name), "grade");
    if (!cJSON_IsNumber(g))
        return "";
    snprintf(buf, 8, "%d", g->valueint);
    return buf;
}

/* One manifest row from the written truth file. */
static int manifest_row(char **csv, size_t *len, size_t idx, int cat, const csf_phantom_spec *s,
                        const char *img, const char *truth)
{
    char *txt = slurp(truth);
    cJSON *t = txt ? cJSON_Parse(txt) : NULL;
    free(txt);
    if (t == NULL)
        return -1;
    cJSON *reg = cJSON_GetObjectItem(t, "regions");
    char g[3][8], files[2100];
    cJSON *st = cJSON_GetObjectItem(cJSON_GetObjectItem(t, "input"), "stations"), *e;
    files[0] = '\0';
    cJSON_ArrayForEach(e, st)
    { /* the station files, ';'-separated */
        const char *f = cJSON_GetStringValue(cJSON_GetObjectItem(e, "file"));
        size_t used = strlen(files);
        snprintf(files + used, sizeof files - used, "%s%s", used ? ";" : "", f ? f : img);
    }
    /* 2D cases use the protocol's own grid (voxel_mm 0): write what it is */
    const double *vx = s->voxel_mm, vx2d[3] = {270.0 / 512, 50.0, 270.0 / 512};
    if (s->protocol == CSF_PH_2D && vx[0] == 0)
        vx = vx2d;
    char row[4096];
    int n = snprintf(row, sizeof row, "%zu,%s,%s,%d,%s,%.2fx%.2fx%.2f,%g,%d,%s,%s,%s,%d,%d,%d,%s,%s\n", idx,
                     CAT[cat], s->protocol == CSF_PH_2D ? "2d" : "3d", s->stations, s->orient,
                     vx[0], vx[1], vx[2], s->snr,
                     cJSON_IsTrue(cJSON_GetObjectItem(t, "positive")), grade_str(reg, "cervical", g[0]),
                     grade_str(reg, "thoracic", g[1]), grade_str(reg, "lumbar", g[2]),
                     cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "slec"), "present")),
                     s->nleaks, s->ncysts, files, truth);
    cJSON_Delete(t);
    char *nb = n > 0 ? realloc(*csv, *len + (size_t)n + 1) : NULL;
    if (nb == NULL)
        return -1;
    memcpy(nb + *len, row, (size_t)n + 1);
    *csv = nb;
    *len += (size_t)n;
    return 0;
}

typedef struct suite_opts {
    const char *dir;
    uint64_t seed;
    int labels;
    double voxel; /* 0 = the design's 1.0 / 1.2 mm */
} suite_opts;

static int run_case(const suite_opts *o, size_t idx, const csf_exec *ex, char **csv, size_t *len,
                    csf_error *err)
{
    int cat = (int)(idx % NCAT);
    csf_phantom_spec s;
    const char *dir = o->dir;
    csf_phantom_spec_init(&s, csf_phantom_hash(o->seed, idx));
    ph_rng r = {csf_phantom_hash(s.seed, 77), 0};
    design(&s, cat, idx, &r);
    acquisition(&s, cat, idx, &r, o->voxel);
    char img[1024], truth[1024], lab[1024];
    if (snprintf(img, sizeof img, "%s/case_%04zu.nii.gz", dir, idx) >= (int)sizeof img ||
        snprintf(truth, sizeof truth, "%s/case_%04zu.truth.json", dir, idx) >= (int)sizeof truth ||
        snprintf(lab, sizeof lab, "%s/case_%04zu.labels.nii.gz", dir, idx) >= (int)sizeof lab) {
        csf_error_set(err, CSF_ERR_INVALID_ARG, "output directory '%s' is too long", dir);
        return -1;
    }
    csf_cli_phantom_out out = {img, truth, o->labels ? lab : NULL};
    if (csf_cli_phantom_write(&s, &out, ex, 1, err) != 0)
        return -1;
    if (manifest_row(csv, len, idx, cat, &s, img, truth) != 0) {
        csf_error_set(err, CSF_ERR_IO, "cannot read back '%s'", truth);
        return -1;
    }
    return 0;
}

int cmd_phantom_suite(int argc, char **argv)
{
    csf_cli_common common = {0};
    long count = -1;
    suite_opts o = {NULL, 1, 0, 0};
    for (int i = 1; i < argc; i++) {
        int r = csf_cli_common_opt(&common, argc, argv, &i);
        if (r < 0)
            return CSF_EXIT_USAGE;
        if (r > 0)
            continue;
        const char *a = argv[i];
        if (csf_cli_is_help(a)) {
            help();
            return CSF_EXIT_OK;
        }
        int has = i + 1 < argc;
        if (strcmp(a, "--count") == 0 && has) {
            if (csf_cli_parse_int(argv[++i], 1, 100000, &count) != 0)
                return csf_cli_usage_error("phantom-suite", "--count wants 1..100000, got '%s'", argv[i]);
        } else if (strcmp(a, "--seed") == 0 && has) {
            if (csf_cli_parse_seed(argv[++i], &o.seed) != 0)
                return csf_cli_usage_error("phantom-suite", "bad seed '%s'", argv[i]);
        } else if (strcmp(a, "-o") == 0 && has) {
            o.dir = argv[++i];
        } else if (strcmp(a, "--voxel") == 0 && has) {
            if (csf_cli_parse_double(argv[++i], &o.voxel) != 0 || o.voxel < 0.5 || o.voxel > 10)
                return csf_cli_usage_error("phantom-suite", "--voxel wants 0.5..10 mm, got '%s'", argv[i]);
        } else if (strcmp(a, "--labels") == 0) {
            o.labels = 1;
        } else {
            return csf_cli_usage_error("phantom-suite", "unknown or incomplete option '%s'", a);
        }
    }
    const char *dir = o.dir;
    if (count < 1 || dir == NULL)
        return csf_cli_usage_error("phantom-suite", "--count N and -o DIR are required");
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "csfleak: cannot create directory '%s': %s\n", dir, strerror(errno));
        return CSF_EXIT_BAD_INPUT;
    }
    csf_error err = {0};
    csf_exec *ex = NULL;
    if (csf_cli_exec(&common, &ex, &err) != CSF_OK)
        return csf_cli_fail("phantom-suite", &err);
    static const char HEAD[] = "id,category,protocol,stations,orient,voxel_mm,snr,positive,cervical,"
                               "thoracic,lumbar,slec,n_leaks,n_cysts,image,truth\n";
    size_t len = sizeof HEAD - 1;
    char *csv = malloc(len + 1);
    int rc = csv ? 0 : -1;
    if (csv)
        memcpy(csv, HEAD, len + 1);
    for (long i = 0; i < count && rc == 0; i++) {
        rc = run_case(&o, (size_t)i, ex, &csv, &len, &err);
        if (rc == 0 && !common.quiet && isatty(2))
            fprintf(stderr, "\rphantom-suite: %ld/%ld", i + 1, count);
    }
    if (!common.quiet && isatty(2))
        fprintf(stderr, "\n");
    char path[1024];
    if (rc == 0 && snprintf(path, sizeof path, "%s/index.csv", dir) < (int)sizeof path &&
        csf_atomic_write(path, csv, len, &err) != CSF_OK)
        rc = -1;
    free(csv);
    csf_exec_free(ex);
    if (rc != 0)
        return err.code != CSF_OK ? csf_cli_fail("phantom-suite", &err) : CSF_EXIT_INTERNAL;
    if (!common.quiet)
        printf("phantom-suite: %ld cases in %s (index.csv)\n", count, dir);
    return CSF_EXIT_OK;
}
