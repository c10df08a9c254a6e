/* Public entry points: analysis JSON text (+ volume, + truth) -> HTML page. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csfleak/atomic.h"
#include "csfleak/report.h"
#include "report/page.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static csf_status parse(const char *text, const char *what, cJSON **out, csf_error *err)
{
    cJSON *j = cJSON_Parse(text);
    if (j == NULL || !cJSON_IsObject(j)) {
        const char *at = j == NULL ? cJSON_GetErrorPtr() : NULL;
        cJSON_Delete(j);
        if (at != NULL && *at != '\0')
            return csf_error_set(err, CSF_ERR_FORMAT, "%s is not valid JSON (near '%.24s')",
                                 what, at);
        return csf_error_set(err, CSF_ERR_FORMAT, "%s is not a JSON object", what);
    }
    *out = j;
    return CSF_OK;
}

static void head(csf_page *pg)
{
    csf_buf *b = pg->b;
    const cJSON *files = csf_rj_get(csf_rj_get(pg->a, "input"), "files");
    const cJSON *f0 = cJSON_GetArrayItem(files, 0);
    const char *name = cJSON_IsString(f0) ? f0->valuestring : pg->opts->input_path;
    const char *slash = name ? strrchr(name, '/') : NULL;
    csf_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                    /* the page may load nothing from anywhere: images are data: URIs */
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                    "img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
                    "<meta name=\"generator\" content=\"csfleak " CSF_VERSION "\"><title>");
    csf_buf_puts(b, "csfleak report");
    if (name != NULL) {
        csf_buf_puts(b, " \xE2\x80\x94 ");
        csf_html_text(b, slash ? slash + 1 : name);
    }
    csf_buf_puts(b, "</title><style>");
    csf_page_style(b);
    csf_buf_puts(b, "</style></head><body><main>");
}

static csf_status body(csf_page *pg, double t0, csf_error *err)
{
    csf_buf *b = pg->b;
    head(pg);
    csf_page_banner(pg);
    csf_status st = csf_page_images(pg, err);
    if (st != CSF_OK)
        return st;
    csf_page_level_table(pg);
    csf_page_findings_table(pg);
    csf_page_plot(pg);
    csf_page_truth(pg);
    csf_page_scale(pg);
    pg->build_ms = now_ms() - t0;
    csf_page_meta(pg);
    csf_buf_puts(b, "<footer>csfleak " CSF_VERSION " \xC2\xB7 research use only \xE2\x80\x94 "
                    "not for diagnosis \xC2\xB7 self-contained page, no network access</footer>"
                    "</main><script>");
    csf_page_script(b);
    csf_buf_puts(b, "</script></body></html>\n");
    return csf_buf_status(b, err);
}

csf_status csf_report_html_build(const char *analysis_json, const csf_volume *vol,
                                 const csf_report_opts *opts, const csf_exec *ex, char **out,
                                 size_t *out_len, csf_error *err)
{
    static const csf_report_opts no_opts;
    if (analysis_json == NULL || out == NULL || out_len == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "report: analysis and output are required");
    double t0 = now_ms();
    csf_page pg = {0};
    csf_buf b;
    csf_buf_init(&b);
    pg.b = &b;
    pg.vol = vol;
    pg.ex = ex;
    pg.opts = opts ? opts : &no_opts;
    cJSON *a = NULL, *truth = NULL;
    csf_status st = parse(analysis_json, "the analysis", &a, err);
    if (st == CSF_OK && pg.opts->truth_json != NULL)
        st = parse(pg.opts->truth_json, "the truth", &truth, err);
    if (st != CSF_OK)
        goto done;
    pg.a = a;
    pg.truth = truth;
    pg.findings = csf_rj_get(a, "findings");
    pg.nfind = cJSON_IsArray(pg.findings) ? cJSON_GetArraySize(pg.findings) : 0;
    st = csf_page_levels(&pg, err);
    if (st == CSF_OK)
        st = body(&pg, t0, err);
    if (st == CSF_OK) {
        *out = b.data;
        *out_len = b.len;
        b.data = NULL;
    }
done:
    csf_buf_release(&b);
    csf_view_release(&pg.cor);
    csf_view_release(&pg.sag);
    free(pg.levels);
    cJSON_Delete(a);
    cJSON_Delete(truth);
    return st;
}

csf_status csf_report_html_write(const char *path, const char *analysis_json,
                                 const csf_volume *vol, const csf_report_opts *opts,
                                 const csf_exec *ex, csf_error *err)
{
    if (path == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "report: no output path");
    char *html = NULL;
    size_t len = 0;
    csf_status st = csf_report_html_build(analysis_json, vol, opts, ex, &html, &len, err);
    if (st == CSF_OK)
        st = csf_atomic_write(path, html, len, err);
    free(html);
    return st;
}

csf_status csf_report_input_path(const char *analysis_json, size_t index, char *buf, size_t n,
                                 size_t *count, csf_error *err)
{
    if (analysis_json == NULL || buf == NULL || n == 0)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "report: no analysis or buffer");
    cJSON *a = NULL;
    csf_status st = parse(analysis_json, "the analysis", &a, err);
    if (st != CSF_OK)
        return st;
    const cJSON *files = csf_rj_get(csf_rj_get(a, "input"), "files");
    int nf = cJSON_IsArray(files) ? cJSON_GetArraySize(files) : 0;
    const cJSON *f = index < (size_t)nf ? cJSON_GetArrayItem(files, (int)index) : NULL;
    if (count != NULL)
        *count = (size_t)nf;
    const char *s = cJSON_GetStringValue(f); /* NULL unless f is a string */
    if (s == NULL || s[0] == '\0') {
        st = csf_error_set(err, CSF_ERR_FORMAT, "the analysis records no input file "
                                                "(input.files[%zu])", index);
    } else if (strlen(s) >= n) {
        st = csf_error_set(err, CSF_ERR_INVALID_ARG, "input path in the analysis is too long");
    } else {
        memcpy(buf, s, strlen(s) + 1);
    }
    cJSON_Delete(a);
    return st;
}
