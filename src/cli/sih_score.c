/* csfleak sih score: the Bern score with unknown items, and brain
 * measurements from landmark points. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sih_cli.h"

static void help(void)
{
    printf("usage: csfleak sih score [ITEM VALUE]... [--landmarks FILE] [--input FILE] [--json FILE|-]\n\n"
           "Bern score (Dobrocky et al., JAMA Neurol 2019): every item yes, no or unknown.\n"
           "  --pachy V           diffuse pachymeningeal enhancement (2 points)\n"
           "  --venous V          venous sinus engorgement (2)\n"
           "  --suprasellar V|MM  suprasellar cistern effaced, or its size in mm (<= 4.0: 2)\n"
           "  --subdural V        subdural fluid collection (1)\n"
           "  --prepontine V|MM   prepontine cistern effaced, or mm (<= 5.0: 1)\n"
           "  --mamillopontine V|MM  mamillopontine distance reduced, or mm (<= 6.5: 1)\n"
           "  --landmarks FILE    JSON of 3D points in world mm: mamillary_body, pons_top,\n"
           "                      midbrain_ant, pmj, pons_ant, tonsil_tip, basion, opisthion,\n"
           "                      pituitary_top, sella_floor (each [x,y,z]; groups optional)\n"
           "  --input FILE        the same options as a JSON object ({\"pachy\": true, ...})\n"
           "  --json FILE         also write JSON (\"-\" = stdout only)\n\n"
           "Unknown items give the range of possible totals; the category (low 0-2,\n"
           "intermediate 3-4, high 5-9) is reported only when already fixed.\n"
           "Exit: 0 ok, 1 usage, 2 bad input file. Research use only, not for diagnosis.\n");
}

static csf_status get_point(const cJSON *root, const char *key, double p[3], int *have,
                            const char *path, csf_error *err)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!a) {
        *have = 0;
        return CSF_OK;
    }
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != 3)
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s': '%s' must be [x, y, z] in mm", path, key);
    for (int k = 0; k < 3; k++) {
        const cJSON *v = cJSON_GetArrayItem(a, k);
        if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
            return csf_error_set(err, CSF_ERR_FORMAT, "'%s': '%s' must hold 3 finite numbers", path, key);
        p[k] = v->valuedouble;
    }
    return CSF_OK;
}

static csf_status read_landmarks(const char *path, csf_brain_landmarks *lm, csf_error *err)
{
    char *txt = NULL;
    size_t len = 0;
    if (sih_read_file(path, &txt, &len, err) != CSF_OK)
        return CSF_ERR_IO;
    cJSON *root = cJSON_ParseWithLength(txt, len);
    free(txt);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s' is not a JSON object of landmarks", path);
    }
    static const char *const names[10] = {"mamillary_body", "pons_top", "midbrain_ant", "pmj", "pons_ant",
                                          "tonsil_tip", "basion", "opisthion", "pituitary_top", "sella_floor"};
    static const unsigned group[10] = {CSF_LM_MAMILLOPONTINE, CSF_LM_MAMILLOPONTINE, CSF_LM_PMA, CSF_LM_PMA,
                                       CSF_LM_PMA, CSF_LM_TONSIL, CSF_LM_TONSIL, CSF_LM_TONSIL,
                                       CSF_LM_PITUITARY, CSF_LM_PITUITARY};
    double *dst[10] = {lm->mamillary_body, lm->pons_top, lm->midbrain_ant, lm->pmj, lm->pons_ant,
                       lm->tonsil_tip, lm->basion, lm->opisthion, lm->pituitary_top, lm->sella_floor};
    unsigned got = 0, missing = 0;
    csf_status st = CSF_OK;
    for (int i = 0; i < 10 && st == CSF_OK; i++) {
        int have = 1;
        st = get_point(root, names[i], dst[i], &have, path, err);
        if (have)
            got |= group[i];
        else
            missing |= group[i];
    }
    cJSON_Delete(root);
    if (st != CSF_OK)
        return st;
    unsigned partial = got & missing;
    if (partial)
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s': incomplete landmark group (%s needs all of its points)", path,
                             partial & CSF_LM_MAMILLOPONTINE ? "mamillopontine" : partial & CSF_LM_PMA ? "pontomesencephalic angle"
                             : partial & CSF_LM_TONSIL ? "tonsillar descent" : "pituitary height");
    lm->have = got;
    return CSF_OK;
}

static void print_text(const csf_bern_result *b, const csf_brain_measures *bm, int have_lm)
{
    printf("Bern score (Dobrocky et al. 2019)\n");
    for (int i = 0; i < CSF_BERN_NITEMS; i++) {
        if (b->points[i] < 0)
            printf("  %-28s unknown (0 or %d)\n", csf_bern_item_name(i), csf_bern_item_weight(i));
        else
            printf("  %-28s %d\n", csf_bern_item_name(i), b->points[i]);
    }
    if (b->total_min == b->total_max)
        printf("total %d", b->total_min);
    else
        printf("total %d-%d", b->total_min, b->total_max);
    if (b->category >= 0)
        printf(", category %s\n", csf_bern_category_name(b->category));
    else
        printf(", category not fixed (%s to %s)\n", csf_bern_category_name(b->cat_min),
               csf_bern_category_name(b->cat_max));
    for (int m = 0; have_lm && m < CSF_BM_N; m++) {
        if (bm->flagged[m] < 0)
            continue;
        printf("%s %.1f %s (%s: %s) [%s]\n", csf_brain_measure_name(m), bm->value[m], csf_brain_measure_unit(m),
               csf_brain_measure_rule(m), bm->flagged[m] ? "abnormal" : "within", csf_brain_measure_source(m));
    }
}

static char *score_json(const csf_bern_result *b, const csf_brain_measures *bm, int have_lm)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "schema", "csfleak.sih-score/1");
    cJSON_AddItemToObject(o, "bern", csf_bern_to_json(b));
    cJSON *arr = cJSON_AddArrayToObject(o, "measurements");
    for (int m = 0; have_lm && m < CSF_BM_N; m++) {
        if (bm->flagged[m] < 0)
            continue;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", csf_brain_measure_name(m));
        cJSON_AddNumberToObject(e, "value", bm->value[m]);
        cJSON_AddStringToObject(e, "unit", csf_brain_measure_unit(m));
        cJSON_AddStringToObject(e, "rule", csf_brain_measure_rule(m));
        cJSON_AddBoolToObject(e, "abnormal", bm->flagged[m] == 1);
        cJSON_AddStringToObject(e, "source", csf_brain_measure_source(m));
        cJSON_AddItemToArray(arr, e);
    }
    char *s = cJSON_Print(o);
    cJSON_Delete(o);
    return s;
}

/* --name value / --name=value into the option set; shared with workup. */
int sih_parse_args(sih_opts *o, const char *cmd, int argc, char **argv, void (*helpfn)(void), int *done)
{
    *done = 0;
    csf_cli_common common = {0};
    for (int i = 1; i < argc; i++) {
        int r = csf_cli_common_opt(&common, argc, argv, &i);
        if (r < 0)
            return CSF_EXIT_USAGE;
        if (r > 0)
            continue; /* accepted for uniformity; these commands are instantaneous */
        const char *a = argv[i];
        if (csf_cli_is_help(a)) {
            helpfn();
            *done = 1;
            return CSF_EXIT_OK;
        }
        if (strncmp(a, "--", 2) != 0)
            return csf_cli_usage_error(cmd, "unexpected argument '%s'", a);
        char name[64];
        const char *eq = strchr(a, '=');
        const char *val;
        size_t nl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (nl >= sizeof name)
            return csf_cli_usage_error(cmd, "unknown option '%s'", a);
        memcpy(name, a + 2, nl);
        name[nl] = '\0';
        if (eq)
            val = eq + 1;
        else if (i + 1 < argc)
            val = argv[++i];
        else
            return csf_cli_usage_error(cmd, "option '%s' needs a value", a);
        csf_error err = {0};
        if (strcmp(name, "json") == 0) {
            o->json_out = val;
        } else if (strcmp(name, "input") == 0) {
            if (sih_read_input(o, val, &err) != CSF_OK)
                return csf_cli_fail(cmd, &err);
        } else if (sih_set_opt(o, name, val, &err) != CSF_OK) {
            return csf_cli_usage_error(cmd, "%s", err.msg);
        }
    }
    return CSF_EXIT_OK;
}

int sih_cmd_score(int argc, char **argv)
{
    sih_opts o;
    sih_opts_init(&o, 0);
    int done;
    int rc = sih_parse_args(&o, "sih score", argc, argv, help, &done);
    if (rc != CSF_EXIT_OK || done)
        return rc;
    csf_bern_result b;
    sih_opts_bern(&o, &b);
    csf_brain_measures bm;
    csf_brain_landmarks lm;
    memset(&lm, 0, sizeof lm);
    csf_error err = {0};
    if (o.landmarks && (read_landmarks(o.landmarks, &lm, &err) != CSF_OK ||
                        csf_brain_measure_all(&lm, &bm, &err) != CSF_OK)) {
        if (err.code == CSF_ERR_INVALID_ARG) /* geometry refused the points: bad input file */
            return fprintf(stderr, "csfleak sih score: '%s': %s\n", o.landmarks, err.msg), CSF_EXIT_BAD_INPUT;
        return csf_cli_fail("sih score", &err);
    }
    int to_stdout = o.json_out && strcmp(o.json_out, "-") == 0;
    if (!to_stdout)
        print_text(&b, &bm, o.landmarks != NULL);
    if (o.json_out) {
        char *s = score_json(&b, &bm, o.landmarks != NULL);
        if (!s)
            return fprintf(stderr, "csfleak sih score: out of memory\n"), CSF_EXIT_INTERNAL;
        size_t n = strlen(s);
        char *s2 = realloc(s, n + 2);
        if (s2) {
            s2[n] = '\n';
            s2[n + 1] = '\0';
            s = s2;
        }
        csf_status st = sih_write_out(o.json_out, s, &err);
        free(s);
        if (st != CSF_OK)
            return csf_cli_fail("sih score", &err);
    }
    return CSF_EXIT_OK;
}
