/* csfleak evaluate: analysis JSONs against phantom truth JSONs. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csfleak/atomic.h"
#include "evaluate_acc.h"

static void help(void)
{
    printf("usage: csfleak evaluate --truth DIR --pred DIR [--json FILE] [--quiet]\n\n"
           "Pairs DIR/<case>.truth.json (schema csfleak.truth/1) with <case>.json or\n"
           "<case>.analysis.json in the prediction directory and prints, for all cases and\n"
           "per protocol (3d, 2d): region-level sensitivity and specificity (grade >= 1 =\n"
           "positive), grade agreement (exact and quadratic-weighted kappa), leak level\n"
           "within one vertebra, perineural cysts called leaks, SLEC presence.\n"
           "A region in the truth's field of view that the prediction left null counts as\n"
           "grade 0 (and is reported). Research use only: not for diagnosis.\n");
}

static cJSON *load(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(fp);
    if (buf == NULL)
        return NULL;
    buf[n] = '\0';
    cJSON *j = cJSON_Parse(buf);
    free(buf);
    return j;
}

static const char *protocol(const cJSON *truth)
{
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(truth, "input");
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(in, "protocol");
    return cJSON_IsString(p) && strcmp(p->valuestring, "2d") == 0 ? "2d" : "3d";
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted case ids (names minus ".truth.json"); caller frees each and the array. */
static char **list_cases(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return NULL;
    size_t cap = 64;
    char **ids = malloc(cap * sizeof *ids);
    struct dirent *e;
    *n = 0;
    if (ids == NULL) {
        closedir(d);
        return NULL;
    }
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name), sl = strlen(".truth.json");
        if (len <= sl || strcmp(e->d_name + len - sl, ".truth.json") != 0)
            continue;
        if (*n == cap) {
            char **ni = realloc(ids, 2 * cap * sizeof *ids);
            if (ni == NULL)
                break;
            ids = ni;
            cap *= 2;
        }
        ids[*n] = strndup(e->d_name, len - sl);
        if (ids[*n])
            (*n)++;
    }
    closedir(d);
    qsort(ids, *n, sizeof *ids, cmp_str);
    return ids;
}

static cJSON *load_pred(const char *dir, const char *id)
{
    static const char *const suffix[2] = {".json", ".analysis.json"};
    char path[4096];
    for (int q = 0; q < 2; q++) {
        snprintf(path, sizeof path, "%s/%s%s", dir, id, suffix[q]);
        cJSON *j = load(path);
        if (j)
            return j;
    }
    return NULL;
}

static int run(const char *tdir, const char *pdir, const char *json_out)
{
    size_t n = 0;
    char **ids = list_cases(tdir, &n);
    if (ids == NULL) {
        fprintf(stderr, "csfleak evaluate: cannot read truth directory '%s'\n", tdir);
        return CSF_EXIT_BAD_INPUT;
    }
    csf_eval_acc acc[3] = {{.name = "all"}, {.name = "3d"}, {.name = "2d"}};
    size_t missing = 0, bad = 0;
    int rc = CSF_EXIT_OK;
    for (size_t i = 0; i < n && rc == CSF_EXIT_OK; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.truth.json", tdir, ids[i]);
        cJSON *t = load(path), *p = load_pred(pdir, ids[i]);
        if (t == NULL)
            bad++;
        else if (p == NULL)
            missing++;
        else if (csf_eval_add(&acc[0], t, p) != 0 ||
                 csf_eval_add(&acc[strcmp(protocol(t), "2d") == 0 ? 2 : 1], t, p) != 0)
            rc = CSF_EXIT_INTERNAL;
        cJSON_Delete(t);
        cJSON_Delete(p);
    }
    if (n == 0) {
        fprintf(stderr, "csfleak evaluate: no *.truth.json in '%s'\n", tdir);
        rc = CSF_EXIT_BAD_INPUT;
    }
    if (missing || bad)
        fprintf(stderr, "csfleak evaluate: %zu cases without a prediction, %zu unreadable truths "
                        "(left out)\n", missing, bad);
    cJSON *out = json_out ? cJSON_CreateObject() : NULL;
    if (out) {
        cJSON_AddStringToObject(out, "schema", "csfleak.evaluation/1");
        cJSON_AddNumberToObject(out, "cases_without_prediction", (double)missing);
    }
    for (int g = 0; g < 3 && rc == CSF_EXIT_OK; g++)
        if (acc[g].ncases > 0 || g == 0)
            csf_eval_report(&acc[g], stdout, out);
    if (out && rc == CSF_EXIT_OK) {
        char *txt = cJSON_Print(out);
        csf_error err = {0};
        if (txt == NULL || csf_atomic_write(json_out, txt, strlen(txt), &err) != CSF_OK)
            rc = csf_cli_fail("evaluate", &err);
        free(txt);
    }
    cJSON_Delete(out);
    for (int g = 0; g < 3; g++)
        csf_eval_release(&acc[g]);
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    return rc;
}

int cmd_evaluate(int argc, char **argv)
{
    csf_cli_common common = {0};
    const char *tdir = NULL, *pdir = NULL, *json = NULL;
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
        const char **dst = strcmp(argv[i], "--truth") == 0  ? &tdir
                           : strcmp(argv[i], "--pred") == 0 ? &pdir
                           : strcmp(argv[i], "--json") == 0 ? &json
                                                            : NULL;
        if (dst == NULL)
            return csf_cli_usage_error("evaluate", "unknown argument '%s'", argv[i]);
        if (i + 1 >= argc)
            return csf_cli_usage_error("evaluate", "%s needs a value", argv[i]);
        *dst = argv[++i];
    }
    if (tdir == NULL || pdir == NULL)
        return csf_cli_usage_error("evaluate", "--truth DIR and --pred DIR are required");
    return run(tdir, pdir, json);
}
