/* csfleak sih workup: ICHD-3 7.2.3, Schievink leak type, next test; and
 * csfleak sih rules: the rule table itself. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sih_cli.h"

static void help(void)
{
    printf("usage: csfleak sih workup [OPTION VALUE]... [--input FILE] [--json FILE|-]\n\n"
           "Clinical (yes|no|unknown):  --headache --orthostatic --temporal --other-cause-excluded\n"
           "  --opening-pressure MM     CSF opening pressure in mm CSF (H2O)\n"
           "Brain MRI (any of these marks it done): the Bern items of 'sih score'\n"
           "  (--pachy --venous --suprasellar --subdural --prepontine --mamillopontine),\n"
           "  --bern N (total 0-9 when the items are not at hand), --sagging yes|no\n"
           "Spine MRI (any of these marks it done): --slec yes|no|unknown,\n"
           "  --slec-extent C7-T9, --diverticula, --ectasia, --cysts\n"
           "Dynamic studies: --prone, --decub-left, --decub-right each one of\n"
           "  not-done|negative|ventral|lateral|cvf|diverticulum; --ric not-done|negative|positive\n"
           "  --input FILE   the same options as a JSON object ({\"slec\": true, \"slec_extent\": \"C7-T9\"})\n"
           "  --json FILE    also write JSON (\"-\" = stdout only)\n\n"
           "Prints whether ICHD-3 7.2.3 is met (and which criteria are missing or unknown), the\n"
           "likely Schievink leak type(s) with reasons, and the next test with patient position\n"
           "from the rule table ('csfleak sih rules', docs/sih.md).\n"
           "Exit: 0 ok, 1 usage, 2 bad input file. Research use only, not for diagnosis.\n");
}

static const char *tri_name(csf_tri t) { return t == CSF_TRI_YES ? "yes" : t == CSF_TRI_NO ? "no" : "unknown"; }

static void summary(const csf_sih_case *c, const csf_workup_rule *r, char *buf, size_t n)
{
    if (c->slec == CSF_TRI_YES && c->slec_from[0])
        snprintf(buf, n, "SLEC %s-%s present: %s, %s; %s", c->slec_from, c->slec_to, r->position, r->test, r->expect);
    else
        snprintf(buf, n, "%s: %s, %s; %s", r->when, r->position, r->test, r->expect);
}

static int note_orth(const csf_sih_case *c) { return c->headache == CSF_TRI_YES && c->orthostatic == CSF_TRI_NO; }
static int note_cysts(const csf_sih_case *c) { return c->perineural_cysts == CSF_TRI_YES; }

/* Remarks that change no rule but that a reader should see. */
static const struct {
    int (*on)(const csf_sih_case *c);
    const char *text;
} NOTES[] = {
    {note_orth, "headache not orthostatic: atypical for SIH, but ICHD-3 7.2.3 does not require it"},
    {note_cysts, "perineural (Tarlov) cysts: usually incidental; a leak is a triangular root-sleeve "
                 "expansion with streaky lateral fluid, not a round discrete cyst (domain.md)"},
};

static cJSON *tri_json(csf_tri t) { return t == CSF_TRI_UNKNOWN ? cJSON_CreateNull() : cJSON_CreateBool(t == CSF_TRI_YES); }

static char *workup_json(const csf_sih_case *c, const csf_ichd_result *ir, const csf_leak_types *lt,
                         const csf_workup_rule *r, const char *sum)
{
    static const char *const crit[4] = {"A", "B", "C", "D"};
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "schema", "csfleak.sih-workup/1");
    cJSON *ic = cJSON_AddObjectToObject(o, "ichd3_7_2_3");
    cJSON_AddStringToObject(ic, "status", csf_ichd_status_name(ir->status));
    cJSON *cr = cJSON_AddObjectToObject(ic, "criteria");
    cJSON *miss = cJSON_AddArrayToObject(ic, "missing");
    cJSON *unk = cJSON_AddArrayToObject(ic, "unknown");
    for (int i = 0; i < 4; i++) {
        cJSON_AddItemToObject(cr, crit[i], tri_json(ir->crit[i]));
        if (ir->crit[i] != CSF_TRI_YES)
            cJSON_AddItemToArray(ir->crit[i] == CSF_TRI_NO ? miss : unk, cJSON_CreateString(crit[i]));
    }
    cJSON_AddItemToObject(ic, "b_low_pressure", tri_json((csf_tri)ir->b_low_pressure));
    cJSON_AddItemToObject(ic, "b_imaging", tri_json((csf_tri)ir->b_imaging));
    cJSON_AddItemToObject(ic, "orthostatic", tri_json(c->orthostatic));
    cJSON *notes = cJSON_AddArrayToObject(o, "notes");
    for (int i = 0; i < 2; i++)
        if (NOTES[i].on(c))
            cJSON_AddItemToArray(notes, cJSON_CreateString(NOTES[i].text));
    cJSON_AddItemToObject(o, "bern", csf_bern_to_json(&c->bern));
    cJSON *types = cJSON_AddArrayToObject(o, "leak_types");
    for (int i = 0; i < lt->n; i++) {
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "type", csf_leak_type_name(lt->order[i]));
        cJSON_AddStringToObject(t, "reason", lt->reason[i]);
        cJSON_AddItemToArray(types, t);
    }
    cJSON *nx = cJSON_AddObjectToObject(o, "next");
    cJSON_AddStringToObject(nx, "rule", r->id);
    cJSON_AddStringToObject(nx, "when", r->when);
    cJSON_AddStringToObject(nx, "test", r->test);
    cJSON_AddStringToObject(nx, "position", r->position);
    cJSON_AddStringToObject(nx, "expect", r->expect);
    cJSON_AddStringToObject(nx, "source", r->source);
    cJSON_AddStringToObject(nx, "summary", sum);
    char *s = cJSON_Print(o);
    cJSON_Delete(o);
    return s;
}

static void print_text(const csf_sih_case *c, const csf_ichd_result *ir, const csf_leak_types *lt,
                       const csf_workup_rule *r, const char *sum)
{
    static const char *const crit[4] = {"A headache fulfilling C", "B low pressure and/or imaging evidence",
                                        "C temporal relation", "D not better accounted for"};
    printf("ICHD-3 7.2.3: %s\n", csf_ichd_status_name(ir->status));
    for (int i = 0; i < 4; i++)
        printf("  %-40s %s\n", crit[i], tri_name(ir->crit[i]));
    if (lt->n == 0)
        printf("leak type: not yet narrowed (spine imaging needed)\n");
    for (int i = 0; i < lt->n; i++)
        printf("leak type %s: %s\n", csf_leak_type_name(lt->order[i]), lt->reason[i]);
    printf("next [%s]: %s\n  test: %s\n  position: %s\n  source: %s\n", r->id, sum, r->test, r->position,
           r->source);
    for (int i = 0; i < 2; i++)
        if (NOTES[i].on(c))
            printf("note: %s\n", NOTES[i].text);
}

static char *with_newline(char *s)
{
    size_t n = strlen(s);
    char *s2 = realloc(s, n + 2);
    if (!s2)
        return s;
    s2[n] = '\n';
    s2[n + 1] = '\0';
    return s2;
}

int sih_cmd_workup(int argc, char **argv)
{
    sih_opts o;
    sih_opts_init(&o, 1);
    int done;
    int rc = sih_parse_args(&o, "sih workup", argc, argv, help, &done);
    if (rc != CSF_EXIT_OK || done)
        return rc;
    csf_sih_case *c = &o.c;
    c->brain_mri_done = o.brain_given;
    c->spine_mri_done = o.spine_given;
    sih_opts_bern(&o, &c->bern);
    csf_ichd_result ir;
    csf_ichd_evaluate(c, &ir);
    csf_leak_types lt;
    csf_leak_type_infer(c, &lt);
    const csf_workup_rule *r = csf_workup_next(c);
    char sum[512];
    summary(c, r, sum, sizeof sum);
    int to_stdout = o.json_out && strcmp(o.json_out, "-") == 0;
    if (!to_stdout)
        print_text(c, &ir, &lt, r, sum);
    if (o.json_out) {
        char *s = workup_json(c, &ir, &lt, r, sum);
        if (!s)
            return fprintf(stderr, "csfleak sih workup: out of memory\n"), CSF_EXIT_INTERNAL;
        s = with_newline(s);
        csf_error err = {0};
        csf_status st = sih_write_out(o.json_out, s, &err);
        free(s);
        if (st != CSF_OK)
            return csf_cli_fail("sih workup", &err);
    }
    return CSF_EXIT_OK;
}

int sih_cmd_rules(int argc, char **argv)
{
    if (argc > 1 && csf_cli_is_help(argv[1])) {
        printf("usage: csfleak sih rules\n\nPrints the work-up rule table (first matching row wins) as Markdown.\n");
        return CSF_EXIT_OK;
    }
    if (argc > 1)
        return csf_cli_usage_error("sih rules", "unexpected argument '%s'", argv[1]);
    size_t n;
    const csf_workup_rule *r = csf_workup_rules(&n);
    printf("| rule | when | next test | position | looking for | source |\n|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++)
        printf("| %s | %s | %s | %s | %s | %s |\n", r[i].id, r[i].when, r[i].test, r[i].position, r[i].expect,
               r[i].source);
    return CSF_EXIT_OK;
}
