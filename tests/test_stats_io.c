/* stats: the strict CSV reader, the reader-study table and a whole study run.
 * Bad input must fail with CSF_ERR_FORMAT and a message naming file and line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/stats.h"

#define DATA CSF_TEST_DATA "/stats/"

static csf_csv *parse_ok(const char *text)
{
    csf_csv *csv = NULL;
    csf_error err = {0};
    if (csf_csv_parse("mem.csv", text, strlen(text), &csv, &err) != CSF_OK)
        fail_msg("parse failed: %s", err.msg);
    return csv;
}

/* Parsing `text` must fail with FORMAT and a message containing `want`. */
static void parse_fails(const char *text, const char *want)
{
    csf_csv *csv = NULL;
    csf_error err = {0};
    assert_int_equal(csf_csv_parse("mem.csv", text, strlen(text), &csv, &err), CSF_ERR_FORMAT);
    assert_null(csv);
    if (strstr(err.msg, want) == NULL)
        fail_msg("message '%s' lacks '%s'", err.msg, want);
}

static void csv_rules(void **state)
{
    (void)state;
    /* BOM, CRLF, quoted comma / quote / line break, trimming, blank lines, column order */
    csf_csv *csv = parse_ok("\xEF\xBB\xBF value , \"Case\"\r\n"
                            " 1 ,\"a, \"\"b\"\"\"\r\n"
                            "\r\n"
                            "2,\"multi\nline\"\r\n"
                            "3,  c  \n");
    assert_int_equal(csf_csv_ncols(csv), 2);
    assert_int_equal(csf_csv_nrows(csv), 3);
    assert_int_equal(csf_csv_column(csv, "case"), 1);
    assert_int_equal(csf_csv_column(csv, "VALUE"), 0);
    assert_int_equal(csf_csv_column(csv, "region"), -1);
    assert_string_equal(csf_csv_field(csv, 0, 0), "1");
    assert_string_equal(csf_csv_field(csv, 0, 1), "a, \"b\"");
    assert_string_equal(csf_csv_field(csv, 1, 1), "multi\nline");
    assert_string_equal(csf_csv_field(csv, 2, 1), "c");
    assert_int_equal(csf_csv_header_line(csv), 1);
    assert_int_equal(csf_csv_line(csv, 0), 2);
    assert_int_equal(csf_csv_line(csv, 1), 4); /* line 3 is blank */
    assert_int_equal(csf_csv_line(csv, 2), 6); /* the quoted break spans lines 4-5 */
    csf_csv_free(csv);
    csv = parse_ok("a,b\n1,2"); /* no final newline */
    assert_int_equal(csf_csv_nrows(csv), 1);
    assert_string_equal(csf_csv_field(csv, 0, 1), "2");
    csf_csv_free(csv);
    csf_csv_free(NULL);

    parse_fails("", "empty file");
    parse_fails("\n\n", "empty file");
    parse_fails("a,b\n1,2\n3\n", "mem.csv' line 3: 1 fields, the header has 2");
    parse_fails("a,b\n1,2,3\n", "line 2: 3 fields");
    parse_fails("a,b\n1,\"2\n", "line 2: quoted field never closed");
    parse_fails("a,b\n1,\"2\"x\n", "line 2: text after a closing quote");
    parse_fails("a,b\n1,2\"\n", "line 2: quote inside an unquoted field");
    parse_fails("a,b\n1,2\r3\n", "line 2: stray carriage return");
    parse_fails("a,,c\n", "line 1: header column 2 is empty");
    parse_fails("a,B,b\n", "header column 'b' appears twice");
    csf_csv *csv2 = NULL;
    csf_error err = {0};
    assert_int_equal(csf_csv_parse("nul.csv", "a\0b", 3, &csv2, &err), CSF_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "nul.csv"));
    err = (csf_error){0};
    assert_int_equal(csf_csv_read(DATA "no_such_file.csv", &csv2, &err), CSF_ERR_IO);
    assert_non_null(strstr(err.msg, "no_such_file.csv"));
}

/* Loading `file` must fail with FORMAT naming the file and containing `want`. */
static void reads_fail(const char *file, unsigned flags, const char *want)
{
    csf_reads *r = NULL;
    csf_error err = {0};
    char path[512];
    snprintf(path, sizeof path, "%s%s", DATA, file);
    assert_int_equal(csf_reads_load(path, flags, &r, &err), CSF_ERR_FORMAT);
    assert_null(r);
    if (strstr(err.msg, file) == NULL || strstr(err.msg, want) == NULL)
        fail_msg("message '%s' lacks '%s' or '%s'", err.msg, file, want);
}

static void reads_bad_input(void **state)
{
    (void)state;
    reads_fail("bad_unknown_value.csv", 0, "line 3: unknown value 'maybe'");
    reads_fail("bad_duplicate.csv", 0, "line 4: duplicate row for case 'c1', reader 'A' (first on line 2)");
    reads_fail("bad_missing_column.csv", 0, "line 1: missing column 'value'");
    reads_fail("bad_fields.csv", 0, "line 3: 2 fields, the header has 3");
    reads_fail("bad_quote.csv", 0, "line 3: quoted field never closed");
    reads_fail("reads_basic.csv", CSF_READS_BY_REGION, "no 'region' column");
    const struct { const char *text, *want; } rows[] = {
        {"case,reader,value\nc1,A,4.5\n", "line 2: unknown value '4.5'"},
        {"case,reader,value\nc1,A,11\n", "line 2: unknown value '11'"},
        {"case,reader,value\nc1,A,-1\n", "line 2: unknown value '-1'"},
        {"case,reader,value\nc1,A,\n", "line 2: unknown value ''"},
        {"case,reader,value\n,A,1\n", "line 2: empty case"},
        {"case,reader,value\nc1,,1\n", "line 2: empty reader"},
        {"case,reader,value,region\nc1,A,1,L1\nc1,A,0,L1\n", "line 3: duplicate row for case 'c1', reader 'A', region 'L1'"},
        {"case,reader,value\n", "no reads after the header"},
        {"case,reader,value\nc1,A,yes\nc2,A,2\n", "line 3: reader 'A' mixes yes/no words and numeric grades (line 2)"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        csf_csv *csv = parse_ok(rows[i].text);
        csf_reads *r = NULL;
        csf_error err = {0};
        assert_int_equal(csf_reads_from_csv(csv, 0, &r, &err), CSF_ERR_FORMAT);
        if (strstr(err.msg, rows[i].want) == NULL || strstr(err.msg, "mem.csv") == NULL)
            fail_msg("row %zu: message '%s' lacks '%s'", i, err.msg, rows[i].want);
        csf_csv_free(csv);
    }
}

static csf_reads *load(const char *file, unsigned flags)
{
    csf_reads *r = NULL;
    csf_error err = {0};
    char path[512];
    snprintf(path, sizeof path, "%s%s", DATA, file);
    if (csf_reads_load(path, flags, &r, &err) != CSF_OK)
        fail_msg("%s", err.msg);
    return r;
}

static void reads_table(void **state)
{
    (void)state;
    csf_reads *r = load("reads_bom_crlf.csv", 0);
    assert_int_equal(r->nunits, 2);
    assert_int_equal(r->nreaders, 2);
    assert_string_equal(r->unit_case[1], "c 2");
    assert_int_equal(r->grade[0 * 2 + 1], 0);
    assert_int_equal(r->grade[1 * 2 + 1], 1);
    csf_reads_free(r);

    /* regions: a case is as positive as its most positive region; c03 T4 unread by B */
    r = load("reads_regions.csv", 0);
    assert_int_equal(r->nunits, 3);
    long a = csf_reads_reader(r, "A"), b = csf_reads_reader(r, "B");
    assert_true(a >= 0 && b >= 0);
    assert_int_equal(csf_reads_reader(r, "C"), -1);
    assert_int_equal(r->grade[a * 3 + 0], 2);
    assert_int_equal(r->grade[b * 3 + 1], 2);
    assert_int_equal(r->grade[b * 3 + 2], 0);
    int *truth = NULL;
    csf_error err = {0};
    assert_int_equal(csf_reads_truth_file(r, DATA "truth_regions.csv", &truth, &err), CSF_OK);
    assert_int_equal(truth[0], 1);
    assert_int_equal(truth[1], 0);
    assert_int_equal(truth[2], 1);
    free(truth);
    csf_reads_free(r);

    r = load("reads_regions.csv", CSF_READS_BY_REGION);
    assert_int_equal(r->nunits, 6);
    assert_string_equal(r->unit_region[1], "T4");
    b = csf_reads_reader(r, "B");
    assert_int_equal(r->grade[b * 6 + 5], -1); /* c03/T4 not read by B */
    assert_int_equal(csf_reads_truth_file(r, DATA "truth_regions.csv", &truth, &err), CSF_OK);
    assert_int_equal(truth[1], 1);
    assert_int_equal(truth[4], 1);
    free(truth);
    /* by region, a truth file without regions cannot say which region */
    err = (csf_error){0};
    assert_int_equal(csf_reads_truth_file(r, DATA "truth_basic.csv", &truth, &err), CSF_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "truth_basic.csv' line 1: missing column 'region'"));
    csf_reads_free(r);
}

static void study_basic(void **state)
{
    (void)state;
    /* reads_basic.csv by hand (threshold 1): A TP5 FP1 FN0 TN4, B TP4 FP1 FN1 TN4 */
    csf_reads *r = load("reads_basic.csv", 0);
    int *truth = NULL;
    csf_error err = {0};
    assert_int_equal(csf_reads_truth_file(r, DATA "truth_basic.csv", &truth, &err), CSF_OK);
    csf_study *s = NULL;
    assert_int_equal(csf_study_run(r, truth, (size_t)-1, 1, 0.95, &s, &err), CSF_OK);
    assert_int_equal(s->nreaders, 3);
    assert_int_equal(s->ncategories, 4);
    const csf_confusion *ca = &s->readers[0].acc.cm, *cb = &s->readers[1].acc.cm;
    assert_true(ca->tp == 5 && ca->fp == 1 && ca->fn == 0 && ca->tn == 4);
    assert_true(cb->tp == 4 && cb->fp == 1 && cb->fn == 1 && cb->tn == 4);
    assert_int_equal(s->readers[0].nread, 10);
    assert_non_null(s->readers[0].roc);
    assert_int_equal(s->npairs, 3);
    /* pair A-B, binary calls: discordant c04 (A+ B-), c09 (A+ B-), c05 (A- B+) */
    assert_int_equal(s->pairs[0].mcnemar.b, 2);
    assert_int_equal(s->pairs[0].mcnemar.c, 1);
    assert_int_equal(s->nfleiss, 3);
    assert_true(s->fleiss_defined);
    /* the pair kappa equals the table API on the A x B grade table (counted by hand) */
    const unsigned long tab[16] = {3, 1, 0, 0, 2, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1};
    csf_kappa k;
    csf_stats_kappa_table(tab, 4, CSF_KAPPA_LINEAR, 0.95, &k, NULL);
    assert_true(fabs(k.kappa - s->pairs[0].kappa_linear.kappa) < 1e-15);
    csf_study_free(s);

    /* RIC as the reference: it leaves the accuracy list, threshold 2 for A: TP4 FN1 */
    long ric = csf_reads_reader(r, "RIC");
    free(truth);
    assert_int_equal(csf_reads_truth_reader(r, (size_t)ric, 1, &truth, NULL), CSF_OK);
    assert_int_equal(csf_study_run(r, truth, (size_t)ric, 2, 0.95, &s, &err), CSF_OK);
    assert_int_equal(s->nreaders, 2);
    ca = &s->readers[0].acc.cm;
    assert_true(ca->tp == 4 && ca->fp == 0 && ca->fn == 1 && ca->tn == 5);
    assert_false(s->readers[0].acc.lr_pos.defined); /* no false positives */
    /* RIC said yes/no: its "yes" stays positive at threshold 2, and pairs with RIC
     * compare positive/negative (A vs RIC: 9 of 10 agree, c02 grade 2 ... c04 grade 1) */
    assert_true(r->reader_calls[ric] && !r->reader_calls[0]);
    assert_int_equal(truth[3], 1);
    assert_true(s->pairs[1].binary_scale && !s->pairs[0].binary_scale);
    assert_true(fabs(s->pairs[1].kappa.observed - 0.9) < 1e-15);
    assert_true(s->fleiss_binary);
    csf_study_free(s);
    free(truth);
    csf_reads_free(r);
}

/* Random short texts over the CSV alphabet: never a crash or leak (ASan), every
 * failure is FORMAT and names the file. */
static void csv_garbage(void **state)
{
    (void)state;
    static const char *const atoms[] = {"case", "reader", "value", ",", "\"", "\n", "\r\n",
                                        "\r", " ", "1", "yes", "x", "region", "\xEF\xBB\xBF"};
    uint32_t seed = 7;
    for (int it = 0; it < 3000; it++) {
        char text[256] = "";
        size_t len = 0;
        seed = seed * 1664525u + 1013904223u;
        int natoms = (int)((seed >> 16) % 40);
        for (int a = 0; a < natoms; a++) {
            seed = seed * 1664525u + 1013904223u;
            const char *s = atoms[(seed >> 16) % (sizeof atoms / sizeof atoms[0])];
            size_t l = strlen(s);
            if (len + l >= sizeof text)
                break;
            memcpy(text + len, s, l + 1);
            len += l;
        }
        csf_csv *csv = NULL;
        csf_error err = {0};
        csf_status st = csf_csv_parse("mem.csv", text, len, &csv, &err);
        if (st == CSF_OK) {
            csf_reads *r = NULL;
            st = csf_reads_from_csv(csv, it % 2 ? CSF_READS_BY_REGION : 0, &r, &err);
            csf_reads_free(r);
            csf_csv_free(csv);
        }
        if (st != CSF_OK) {
            assert_int_equal(st, CSF_ERR_FORMAT);
            assert_non_null(strstr(err.msg, "mem.csv"));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_rules),
        cmocka_unit_test(reads_bad_input),
        cmocka_unit_test(reads_table),
        cmocka_unit_test(study_basic),
        cmocka_unit_test(csv_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
