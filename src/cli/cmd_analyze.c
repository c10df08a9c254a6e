/* csfleak analyze: detect and grade spinal CSF leaks on MR myelography. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csfleak/analysis_json.h"
#include "csfleak/atomic.h"
#include "csfleak/detect.h"
#include "csfleak/io.h"
#include "csfleak/spine.h"
#include "analyze_cli.h"

#define MAX_INPUTS 8

static void help(void)
{
    printf("usage: csfleak analyze INPUT... [--json FILE] [--html FILE] [--labels FILE.nii.gz]\n"
           "                        [--png-dir DIR] [--levels SPEC] [--threads N] [--quiet]\n\n"
           "Finds the thecal sac, root sleeves and vertebral levels on a heavily T2-weighted\n"
           "MR myelogram (3D volume, 2D coronal thick slab, or several stations of one spine;\n"
           "NIfTI or a DICOM series directory), classifies the fluid outside the sac (leak\n"
           "graded 1-3, perineural cyst, SLEC, diverticulum) and prints the grade per region.\n\n"
           "  --json FILE      write the analysis (schema csfleak.analysis/1, docs/analyze.md)\n"
           "  --html FILE      self-contained HTML report (projections, findings table)\n"
           "  --labels FILE    label map on the input file's own grid (overlays it in any\n"
           "                   viewer): 1 sac, 2 root sleeves,\n"
           "                   10+i finding i of the JSON (first input; -2, -3 for the others)\n"
           "  --png-dir DIR    coronal and sagittal MIPs with the findings outlined (DIR is\n"
           "                   created when missing)\n"
           "  --levels SPEC    vertebral levels: landmarks 'T12=-341.0,L3=-420' (world z mm),\n"
           "                   or a label map [totalseg:|sct:]FILE.nii.gz\n\n"
           "Research use only: not for diagnosis.\n");
}

static int parse_args(int argc, char **argv, csf_analyze_args *a)
{
    for (int i = 1; i < argc; i++) {
        int r = csf_cli_common_opt(&a->common, argc, argv, &i);
        if (r < 0)
            return CSF_EXIT_USAGE;
        if (r > 0)
            continue;
        const char *o = argv[i];
        if (csf_cli_is_help(o)) {
            help();
            return -1;
        }
        const char **dst = strcmp(o, "--json") == 0      ? &a->json
                           : strcmp(o, "--html") == 0    ? &a->html
                           : strcmp(o, "--labels") == 0  ? &a->labels
                           : strcmp(o, "--png-dir") == 0 ? &a->png_dir
                           : strcmp(o, "--levels") == 0  ? &a->levels
                                                         : NULL;
        if (dst) {
            if (i + 1 >= argc)
                return csf_cli_usage_error("analyze", "%s needs a value", o);
            *dst = argv[++i];
            continue;
        }
        if (o[0] == '-' && o[1] != '\0')
            return csf_cli_usage_error("analyze", "unknown option '%s'", o);
        if (a->ninputs == MAX_INPUTS)
            return csf_cli_usage_error("analyze", "at most %d inputs", MAX_INPUTS);
        a->inputs[a->ninputs++] = o;
    }
    if (a->ninputs == 0)
        return csf_cli_usage_error("analyze", "no input volume given");
    return 0;
}

static const char *grade_str(const csf_combined *c, int r, char *buf, size_t n)
{
    if (!c->assessable || !c->region_assessed[r])
        return "not in view";
    snprintf(buf, n, "%d", c->region_grade[r]);
    return buf;
}

static void print_table(const csf_station_result *st, size_t n)
{
    const csf_analysis *an[MAX_INPUTS];
    for (size_t i = 0; i < n; i++)
        an[i] = st[i].analysis;
    csf_combined c;
    csf_analysis_combine(an, n, &c);
    char buf[16];
    printf("region      grade\n");
    for (int r = 0; r < 3; r++)
        printf("%-11s %s\n", csf_region_name(r), grade_str(&c, r, buf, sizeof buf));
    printf("SLEC        %s\n", c.slec_present ? "present" : "absent");
    for (size_t i = 0; i < n; i++)
        for (size_t q = 0; q < an[i]->nfindings; q++) {
            const csf_finding *f = &an[i]->findings[q];
            const char *lv = csf_level_name(f->level_index);
            printf("  %-15s", csf_finding_kind_name(f->kind));
            if (f->kind == CSF_FIND_LEAK)
                printf(" grade %d", f->grade);
            printf(" %s %s at (%.1f, %.1f, %.1f) mm: %s\n", lv ? lv : "level ?",
                   csf_side_name(f->side), f->center_mm[0], f->center_mm[1], f->center_mm[2],
                   f->reason);
        }
    if (!c.assessable)
        printf("verdict     not assessable\n");
    else if (c.positive)
        printf("verdict     positive (fluid outside the sac graded >= 1%s)\n",
               c.slec_present ? " or SLEC" : "");
    else
        printf("verdict     negative in the field of view\n");
}

int cmd_analyze(int argc, char **argv)
{
    csf_analyze_args a;
    memset(&a, 0, sizeof a);
    int r = parse_args(argc, argv, &a);
    if (r != 0)
        return r < 0 ? CSF_EXIT_OK : r;
    csf_error err = {0};
    csf_exec *ex = NULL;
    if (csf_cli_exec(&a.common, &ex, &err) != CSF_OK)
        return csf_cli_fail("analyze", &err);
    csf_analyze_run run;
    memset(&run, 0, sizeof run);
    int rc = csf_analyze_execute(&a, &run, ex, &err);
    if (rc == CSF_EXIT_OK && !a.common.quiet)
        print_table(run.st, run.n);
    csf_analyze_release(&run);
    csf_exec_free(ex);
    return rc;
}
