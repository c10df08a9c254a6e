/* csfleak sih: dispatch to score / workup / report / rules, and the option
 * handling the score and workup commands share. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csfleak/atomic.h"
#include "sih_cli.h"

static void help(FILE *fp)
{
    fprintf(fp, "usage: csfleak sih <score|workup|report|rules> [options]\n\n"
           "Clinical logic of spontaneous intracranial hypotension (research use only,\n"
           "not for diagnosis):\n"
           "  score    Bern score (with unknown items) and brain measurements from landmarks\n"
           "  workup   ICHD-3 7.2.3 criteria, Schievink leak type, next test and position\n"
           "  report   mine free-text radiology reports for SIH signs (JSON)\n"
           "  rules    print the work-up rule table with sources\n\n"
           "Each subcommand has --help. See docs/sih.md.\n");
}

int cmd_sih(int argc, char **argv)
{
    if (argc < 2 || csf_cli_is_help(argv[1])) {
        help(argc < 2 ? stderr : stdout);
        return argc < 2 ? CSF_EXIT_USAGE : CSF_EXIT_OK;
    }
    if (strcmp(argv[1], "score") == 0)
        return sih_cmd_score(argc - 1, argv + 1);
    if (strcmp(argv[1], "workup") == 0)
        return sih_cmd_workup(argc - 1, argv + 1);
    if (strcmp(argv[1], "report") == 0)
        return sih_cmd_report(argc - 1, argv + 1);
    if (strcmp(argv[1], "rules") == 0)
        return sih_cmd_rules(argc - 1, argv + 1);
    return csf_cli_usage_error("sih", "unknown subcommand '%s'", argv[1]);
}

void sih_opts_init(sih_opts *o, int workup)
{
    memset(o, 0, sizeof *o);
    csf_sih_case_init(&o->c);
    for (int i = 0; i < CSF_BERN_NITEMS; i++) {
        o->item[i] = CSF_TRI_UNKNOWN;
        o->item_mm[i] = NAN;
    }
    o->bern_total = -1;
    o->workup = workup;
}

static int parse_tri(const char *v, csf_tri *out)
{
    static const char *const yes[] = {"yes", "y", "true", "1", "present"};
    static const char *const no[] = {"no", "n", "false", "0", "absent"};
    static const char *const unk[] = {"unknown", "u", "?", "null", "na"};
    for (int i = 0; i < 5; i++) {
        if (strcmp(v, yes[i]) == 0)
            return *out = CSF_TRI_YES, 0;
        if (strcmp(v, no[i]) == 0)
            return *out = CSF_TRI_NO, 0;
        if (strcmp(v, unk[i]) == 0)
            return *out = CSF_TRI_UNKNOWN, 0;
    }
    return -1;
}

static int parse_dyn(const char *v, int *out)
{
    static const char *const n[] = {"not-done", "negative", "ventral", "lateral", "cvf", "diverticulum"};
    for (int i = 0; i < 6; i++)
        if (strcmp(v, n[i]) == 0)
            return *out = i, 0;
    return -1;
}

static const char *const ITEM_OPT[CSF_BERN_NITEMS] = {"pachy", "venous", "suprasellar",
                                                      "subdural", "prepontine", "mamillopontine"};

static csf_status set_item(sih_opts *o, int i, const char *v, csf_error *err)
{
    csf_tri t;
    double mm;
    o->brain_given = 1;
    if (parse_tri(v, &t) == 0) {
        o->item[i] = t;
        return CSF_OK;
    }
    int measured = i == CSF_BERN_SUPRASELLAR || i == CSF_BERN_PREPONTINE || i == CSF_BERN_MAMILLOPONTINE;
    if (measured && csf_cli_parse_double(v, &mm) == 0 && mm >= 0) {
        o->item_mm[i] = mm;
        o->item[i] = csf_bern_item_from_mm(i, mm);
        return CSF_OK;
    }
    return csf_error_set(err, CSF_ERR_INVALID_ARG, "--%s wants yes, no or unknown%s, got '%s'", ITEM_OPT[i],
                         measured ? " or a distance in mm" : "", v);
}

static csf_status set_tri(csf_tri *dst, const char *name, const char *v, csf_error *err)
{
    if (parse_tri(v, dst) != 0)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "--%s wants yes, no or unknown, got '%s'", name, v);
    return CSF_OK;
}

static csf_status set_level(char dst[8], const char *v, csf_error *err)
{
    size_t n = strlen(v);
    if (n < 2 || n > 3 || !strchr("CTLSctls", v[0]) || v[1] < '0' || v[1] > '9')
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "--slec-extent wants levels like C7-T9, got '%s'", v);
    dst[0] = (char)(v[0] & ~32);
    memcpy(dst + 1, v + 1, n - 1);
    dst[n] = '\0';
    return CSF_OK;
}

static csf_status set_extent(sih_opts *o, const char *v, csf_error *err)
{
    const char *dash = strchr(v, '-');
    char a[8] = {0};
    if (!dash || dash - v > 3)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "--slec-extent wants levels like C7-T9, got '%s'", v);
    memcpy(a, v, (size_t)(dash - v));
    if (set_level(o->c.slec_from, a, err) != CSF_OK || set_level(o->c.slec_to, dash + 1, err) != CSF_OK)
        return CSF_ERR_INVALID_ARG;
    o->spine_given = 1;
    o->c.slec = CSF_TRI_YES;
    return CSF_OK;
}

static csf_status set_workup(sih_opts *o, const char *n, const char *v, csf_error *err)
{
    csf_sih_case *c = &o->c;
    long l;
    if (strcmp(n, "headache") == 0)
        return set_tri(&c->headache, n, v, err);
    if (strcmp(n, "orthostatic") == 0)
        return set_tri(&c->orthostatic, n, v, err);
    if (strcmp(n, "temporal") == 0)
        return set_tri(&c->temporal_relation, n, v, err);
    if (strcmp(n, "other-cause-excluded") == 0)
        return set_tri(&c->other_dx_excluded, n, v, err);
    if (strcmp(n, "opening-pressure") == 0) {
        if (csf_cli_parse_double(v, &c->opening_pressure_mmcsf) != 0 || c->opening_pressure_mmcsf < 0)
            return csf_error_set(err, CSF_ERR_INVALID_ARG, "--opening-pressure wants mm CSF >= 0, got '%s'", v);
        return CSF_OK;
    }
    if (strcmp(n, "bern") == 0) {
        if (csf_cli_parse_int(v, 0, 9, &l) != 0)
            return csf_error_set(err, CSF_ERR_INVALID_ARG, "--bern wants a total 0..9, got '%s'", v);
        o->bern_total = (int)l;
        o->brain_given = 1;
        return CSF_OK;
    }
    if (strcmp(n, "sagging") == 0)
        return o->brain_given = 1, set_tri(&c->brain_sagging, n, v, err);
    if (strcmp(n, "slec") == 0)
        return o->spine_given = 1, set_tri(&c->slec, n, v, err);
    if (strcmp(n, "slec-extent") == 0)
        return set_extent(o, v, err);
    if (strcmp(n, "diverticula") == 0)
        return o->spine_given = 1, set_tri(&c->diverticula, n, v, err);
    if (strcmp(n, "ectasia") == 0)
        return o->spine_given = 1, set_tri(&c->dural_ectasia, n, v, err);
    if (strcmp(n, "cysts") == 0)
        return o->spine_given = 1, set_tri(&c->perineural_cysts, n, v, err);
    int *dyn = strcmp(n, "prone") == 0 ? &c->prone_dynamic
               : strcmp(n, "decub-left") == 0 ? &c->decub_left
               : strcmp(n, "decub-right") == 0 ? &c->decub_right : NULL;
    if (dyn) {
        if (parse_dyn(v, dyn) != 0)
            return csf_error_set(err, CSF_ERR_INVALID_ARG,
                                 "--%s wants not-done, negative, ventral, lateral, cvf or diverticulum, got '%s'", n, v);
        return CSF_OK;
    }
    if (strcmp(n, "ric") == 0) {
        static const char *const r[] = {"not-done", "negative", "positive"};
        for (int i = 0; i < 3; i++)
            if (strcmp(v, r[i]) == 0)
                return c->ric = i, CSF_OK;
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "--ric wants not-done, negative or positive, got '%s'", v);
    }
    return csf_error_set(err, CSF_ERR_INVALID_ARG, "unknown option '--%s'", n);
}

csf_status sih_set_opt(sih_opts *o, const char *name, const char *val, csf_error *err)
{
    for (int i = 0; i < CSF_BERN_NITEMS; i++)
        if (strcmp(name, ITEM_OPT[i]) == 0)
            return set_item(o, i, val, err);
    if (strcmp(name, "landmarks") == 0) {
        snprintf(o->landmarks_buf, sizeof o->landmarks_buf, "%s", val);
        o->landmarks = o->landmarks_buf;
        return CSF_OK;
    }
    if (!o->workup)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "unknown option '--%s'", name);
    return set_workup(o, name, val, err);
}

csf_status sih_read_file(const char *path, char **buf, size_t *len, csf_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return csf_error_set(err, CSF_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    while (b) {
        n += fread(b + n, 1, cap - n - 1, fp);
        if (n < cap - 1)
            break;
        char *nb = realloc(b, cap * 2);
        if (!nb) {
            free(b);
            b = NULL;
            break;
        }
        b = nb;
        cap *= 2;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (!b)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory reading '%s'", path);
    if (bad) {
        free(b);
        return csf_error_set(err, CSF_ERR_IO, "cannot read '%s': read error", path);
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return CSF_OK;
}

csf_status sih_write_out(const char *path, const char *text, csf_error *err)
{
    if (strcmp(path, "-") == 0) {
        fputs(text, stdout);
        return CSF_OK;
    }
    return csf_atomic_write(path, text, strlen(text), err);
}

static csf_status json_value_str(const cJSON *it, char *buf, size_t n, const char *path, csf_error *err)
{
    if (cJSON_IsBool(it))
        snprintf(buf, n, "%s", cJSON_IsTrue(it) ? "yes" : "no");
    else if (cJSON_IsNull(it))
        snprintf(buf, n, "unknown");
    else if (cJSON_IsNumber(it))
        snprintf(buf, n, "%.17g", it->valuedouble);
    else if (cJSON_IsString(it))
        snprintf(buf, n, "%s", it->valuestring);
    else
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s': key '%s' must be a string, number, boolean or null",
                             path, it->string);
    return CSF_OK;
}

csf_status sih_read_input(sih_opts *o, const char *path, csf_error *err)
{
    char *txt = NULL;
    size_t len = 0;
    if (sih_read_file(path, &txt, &len, err) != CSF_OK)
        return err ? err->code : CSF_ERR_IO;
    cJSON *root = cJSON_ParseWithLength(txt, len);
    free(txt);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s' is not a JSON object", path);
    }
    csf_status st = CSF_OK;
    for (const cJSON *it = root->child; it && st == CSF_OK; it = it->next) {
        char name[64], val[256];
        snprintf(name, sizeof name, "%s", it->string);
        for (char *p = name; *p; p++)
            *p = *p == '_' ? '-' : *p;
        st = json_value_str(it, val, sizeof val, path, err);
        csf_error e2 = {0};
        if (st == CSF_OK && sih_set_opt(o, name, val, &e2) != CSF_OK)
            st = csf_error_set(err, CSF_ERR_FORMAT, "'%s': %s", path, e2.msg);
    }
    cJSON_Delete(root);
    return st;
}

void sih_opts_bern(const sih_opts *o, csf_bern_result *b)
{
    csf_bern_score(o->item, b);
    if (o->bern_total >= 0) {
        for (int i = 0; i < CSF_BERN_NITEMS; i++)
            b->points[i] = -1;
        b->total_min = b->total_max = o->bern_total;
        b->cat_min = b->cat_max = b->category = csf_bern_category_of(o->bern_total);
    }
}
