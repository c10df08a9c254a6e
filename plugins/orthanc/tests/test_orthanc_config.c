/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
/* The plugin's "CsfLeak" configuration parser and its job queue (no Orthanc
 * needed): defaults, every key, wrong types naming the key, the filter's
 * case-insensitive matching, queue order, de-duplication and status JSON. */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "plugin.h"

static void test_defaults(void **state)
{
    (void)state;
    csfo_config c;
    assert_int_equal(csfo_config_parse("{\"Name\":\"x\"}", &c, NULL), CSF_OK);
    assert_int_equal(c.enabled, 1);
    assert_int_equal(c.threads, 0);
    assert_string_equal(c.filter, CSFO_DEFAULT_FILTER);
    assert_int_equal(c.nmodalities, 1);
    assert_string_equal(c.modalities[0], "MR");
    assert_int_equal(c.attachment, 1024);
    assert_int_equal(c.metadata, 1025);
    /* the documented default: case-insensitive, description or protocol */
    static const struct {
        const char *text;
        int match;
    } rows[] = {
        {"T2 SPACE SPINE", 1},     /* SPACE sequence name */
        {"MR Myelography 3D", 1},  /* "myelo" anywhere */
        {"t2_spc_cube_spine", 1},  /* lower case */
        {"sag T2 whole spine", 1}, /* T2 ... spine */
        {"T1 sag spine", 0},       /* no T2 */
        {"localizer", 0},
        {"DWI brain", 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if ((regexec(&c.filter_re, rows[i].text, 0, NULL, 0) == 0) != rows[i].match)
            fail_msg("'%s' should %smatch", rows[i].text, rows[i].match ? "" : "not ");
    csfo_config_release(&c);
}

static void test_all_keys(void **state)
{
    (void)state;
    csfo_config c;
    const char *j = "{\"CsfLeak\":{\"Enabled\":false,\"Threads\":3,\"SeriesFilter\":\"^abc$\","
                    "\"Modalities\":[\"MR\",\"OT\"],\"AttachmentIndex\":2000,"
                    "\"MetadataIndex\":2001,\"SeriesNumber\":77}}";
    assert_int_equal(csfo_config_parse(j, &c, NULL), CSF_OK);
    assert_int_equal(c.enabled, 0);
    assert_int_equal(c.threads, 3);
    assert_int_equal(c.nmodalities, 2);
    assert_string_equal(c.modalities[1], "OT");
    assert_int_equal(c.attachment, 2000);
    assert_int_equal(c.metadata, 2001);
    assert_int_equal(c.series_number, 77);
    assert_int_equal(regexec(&c.filter_re, "ABC", 0, NULL, 0), 0);
    assert_int_not_equal(regexec(&c.filter_re, "xabc", 0, NULL, 0), 0);
    csfo_config_release(&c);
}

static void test_bad_values(void **state)
{
    (void)state;
    /* each row: one wrong value and the key the message must name */
    static const struct {
        const char *json, *needle;
    } rows[] = {
        {"{\"CsfLeak\":{\"Enabled\":1}}", "Enabled"},
        {"{\"CsfLeak\":{\"Threads\":-1}}", "Threads"},
        {"{\"CsfLeak\":{\"Threads\":2.5}}", "Threads"},
        {"{\"CsfLeak\":{\"AttachmentIndex\":1000}}", "AttachmentIndex"}, /* below user range */
        {"{\"CsfLeak\":{\"MetadataIndex\":70000}}", "MetadataIndex"},
        {"{\"CsfLeak\":{\"Modalities\":\"MR\"}}", "Modalities"},
        {"{\"CsfLeak\":{\"Modalities\":[\"\"]}}", "Modalities"},
        {"{\"CsfLeak\":{\"SeriesFilter\":\"(unclosed\"}}", "SeriesFilter"},
        {"{\"CsfLeak\":{\"SeriesFilter\":5}}", "SeriesFilter"},
        {"{\"CsfLeak\":[]}", "CsfLeak"},
        {"{not json", "JSON"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        csfo_config c;
        csf_error err = {0};
        assert_int_equal(csfo_config_parse(rows[i].json, &c, &err), CSF_ERR_FORMAT);
        if (strstr(err.msg, rows[i].needle) == NULL)
            fail_msg("row %zu: '%s' lacks '%s'", i, err.msg, rows[i].needle);
        csfo_config_release(&c);
    }
}

static void test_queue(void **state)
{
    (void)state;
    csfo_queue q;
    csfo_config c;
    assert_int_equal(csfo_config_parse("{}", &c, NULL), CSF_OK);
    assert_int_equal(csfo_queue_init(&q), 0);
    for (int i = 0; i < 100; i++) { /* grows past the first allocation */
        char id[16];
        snprintf(id, sizeof id, "s%d", i);
        assert_int_equal(csfo_queue_push(&q, id, 0), 0);
    }
    assert_int_equal(csfo_queue_push(&q, "s5", 1), 0); /* already waiting: upgraded, not added */
    assert_int_equal(q.len, 100);
    assert_int_equal(csfo_queue_state(&q, "s7"), CSFO_QUEUED);
    csfo_job j;
    for (int i = 0; i < 100; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", i);
        assert_int_equal(csfo_queue_pop(&q, &j), 1);
        assert_string_equal(j.series, id); /* FIFO */
        assert_int_equal(j.manual, i == 5);
        assert_int_equal(csfo_queue_state(&q, id), CSFO_RUNNING);
        csfo_queue_done(&q, id, i % 3 == 0 ? 1 : 0, "bad thing");
        assert_int_equal(csfo_queue_state(&q, id), CSFO_NONE);
    }
    char *txt = csfo_queue_status_json(&q, &c);
    cJSON *s = cJSON_Parse(txt);
    assert_non_null(s);
    assert_int_equal(cJSON_GetObjectItem(s, "failed")->valueint, 34);
    assert_int_equal(cJSON_GetObjectItem(s, "analysed")->valueint, 66);
    cJSON *errs = cJSON_GetObjectItem(s, "errors");
    assert_int_equal(cJSON_GetArraySize(errs), CSFO_MAX_ERRORS); /* only the newest are kept */
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(errs, 0), "series")->valuestring,
                        "s99"); /* newest first */
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(s, "running")));
    cJSON_Delete(s);
    cJSON_free(txt);
    csfo_queue_stop(&q);
    assert_int_equal(csfo_queue_pop(&q, &j), 0); /* stopping wakes the worker with no job */
    csfo_queue_release(&q);
    csfo_config_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_all_keys),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_queue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
