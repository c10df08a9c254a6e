/* report: base64 (RFC 4648 vectors), HTML escaping, SVG writer, and the page
 * built from the example analysis JSON on a synthetic volume drawn from it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csfleak/exec.h"
#include "csfleak/report.h"
#include "report/page.h"
#include "report/report_int.h"
#include "report_synth.h"

#define EXAMPLE CSF_TEST_DATA "/report/example_analysis.json"
#define TRUTH CSF_TEST_DATA "/report/example_truth.json"

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + k, needle))
        n++;
    return n;
}

/* needle as a whole word (not inside "inferior"), e.g. a printed NaN or inf */
static int has_word(const char *hay, const char *needle)
{
    size_t k = strlen(needle);
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle)) {
        int before = p > hay && ((p[-1] | 32) >= 'a' && (p[-1] | 32) <= 'z');
        int after = (p[k] | 32) >= 'a' && (p[k] | 32) <= 'z';
        if (!before && !after)
            return 1;
    }
    return 0;
}

/* ---- base64 ---- */

static void base64_rfc4648_vectors(void **state)
{
    (void)state;
    /* RFC 4648 section 10 test vectors */
    static const struct { const char *in, *out; } v[] = {
        {"", ""},         {"f", "Zg=="},        {"fo", "Zm8="},        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        csf_buf b;
        csf_buf_init(&b);
        csf_buf_puts(&b, ">");
        csf_base64_append(&b, (const uint8_t *)v[i].in, strlen(v[i].in));
        assert_int_equal(b.len, 1 + strlen(v[i].out));
        assert_string_equal(b.data + 1, v[i].out);
        assert_int_equal(csf_base64_len(strlen(v[i].in)), strlen(v[i].out));
        csf_buf_release(&b);
    }
}

static int b64val(char c)
{
    const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = strchr(tab, c);
    return p && c ? (int)(p - tab) : -1;
}

/* Every byte value and every tail length round-trips through a naive decoder. */
static void base64_roundtrip_all_bytes(void **state)
{
    (void)state;
    uint8_t in[258];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(i * 7 + 3);
    for (size_t n = 253; n <= 258; n++) {
        csf_buf b;
        csf_buf_init(&b);
        csf_base64_append(&b, in, n);
        assert_int_equal(b.len % 4, 0);
        uint8_t out[258];
        size_t m = 0;
        uint32_t acc = 0;
        int bits = 0;
        for (size_t i = 0; i < b.len && b.data[i] != '='; i++) {
            int v = b64val(b.data[i]);
            assert_true(v >= 0);
            acc = acc << 6 | (uint32_t)v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[m++] = (uint8_t)(acc >> bits);
            }
        }
        assert_int_equal(m, n);
        assert_memory_equal(out, in, n);
        csf_buf_release(&b);
    }
}

/* ---- HTML escaping ---- */

static void html_escape_table(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } v[] = {
        {"plain", "plain"},
        {"a<b>c", "a&lt;b&gt;c"},                           /* tags */
        {"&amp;", "&amp;amp;"},                             /* no double-unescape */
        {"\"'", "&quot;&#39;"},                             /* both attribute quotes */
        {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
        {"tab\there\nnl", "tab\there\nnl"},                 /* tab and newline kept */
        {"bell\x07x\x7f", "bellx"},                         /* control chars dropped */
        {"\xC3\xA9t\xC3\xA9", "\xC3\xA9t\xC3\xA9"},         /* valid UTF-8 kept */
        {"\xE2\x80\x94", "\xE2\x80\x94"},                   /* 3-byte sequence */
        {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},           /* 4-byte sequence */
        {"a\xFFz", "a\xEF\xBF\xBDz"},                       /* invalid byte */
        {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"},           /* overlong '/' */
        {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}, /* surrogate */
        {"x\xE2\x82", "x\xEF\xBF\xBD\xEF\xBF\xBD"},         /* truncated at the end */
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        csf_buf b;
        csf_buf_init(&b);
        csf_html_text(&b, v[i].in);
        assert_non_null(b.data ? b.data : "");
        assert_string_equal(b.data ? b.data : "", v[i].out);
        csf_buf_release(&b);
    }
}

static void html_attr_and_elem(void **state)
{
    (void)state;
    csf_buf b;
    csf_buf_init(&b);
    csf_html_attr(&b, "title", "x\" onclick=\"y");
    csf_html_elem(&b, "td", "c'", "<b>");
    csf_html_text(&b, NULL);
    csf_html_num(&b, NAN, 1);
    csf_html_num(&b, 2.345, 2);
    assert_string_equal(b.data, " title=\"x&quot; onclick=&quot;y\"<td class=\"c&#39;\">&lt;b&gt;</td>"
                                "\xE2\x80\x94" "2.35");
    assert_int_equal(csf_buf_status(&b, NULL), CSF_OK);
    csf_buf_release(&b);
}

static void buf_printf_long(void **state)
{
    (void)state;
    csf_buf b;
    csf_buf_init(&b);
    char big[1000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    csf_buf_printf(&b, "[%s|%d]", big, 42);
    assert_int_equal(b.len, 999 + 5);
    assert_int_equal(b.data[0], '[');
    assert_string_equal(b.data + 1000, "|42]");
    csf_buf_release(&b);
}

/* ---- SVG ---- */

static void svg_writer(void **state)
{
    (void)state;
    csf_buf b;
    csf_buf_init(&b);
    csf_svg_open(&b, 100, 50.25, "o\"v", 0);
    const double xy[] = {0, 0, 1, 1.26, NAN, 0, 2, 2, 3, 3, 4, NAN, 5, 5};
    csf_svg_polyline(&b, xy, 7, "cl");
    csf_svg_rect(&b, 1, 2, 3, -4, "fnd", 7, "a<b");
    csf_svg_text(&b, 1, 2, "t", "middle", "T6 & <L1>");
    csf_svg_line(&b, 0, 0, 1, 1, NULL);
    csf_svg_close(&b);
    /* the NaN point splits the line; the lone (5,5) after the other NaN is dropped */
    assert_int_equal(count(b.data, "<polyline"), 2);
    assert_non_null(strstr(b.data, "points=\"0.0,0.0 1.0,1.3\""));
    assert_non_null(strstr(b.data, "points=\"2.0,2.0 3.0,3.0\""));
    assert_non_null(strstr(b.data, "viewBox=\"0 0 100.0 50.2\" preserveAspectRatio=\"none\" "
                                   "class=\"o&quot;v\""));
    assert_non_null(strstr(b.data, "<rect class=\"fnd\" data-f=\"7\" x=\"1.0\" y=\"2.0\" "
                                   "width=\"3.0\" height=\"0.0\"><title>a&lt;b</title></rect>"));
    assert_non_null(strstr(b.data, ">T6 &amp; &lt;L1&gt;</text>"));
    assert_non_null(strstr(b.data, "<line x1=\"0.0\" y1=\"0.0\" x2=\"1.0\" y2=\"1.0\"/>"));
    assert_true(strncmp(b.data + b.len - 6, "</svg>", 6) == 0);
    csf_buf_release(&b);
}

/* ---- the page ---- */

typedef struct fixture {
    char *analysis;
    char *truth;
    csf_volume *vol;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (fx == NULL)
        return -1;
    fx->analysis = synth_slurp(EXAMPLE);
    fx->truth = synth_slurp(TRUTH);
    if (fx->analysis == NULL || fx->truth == NULL) {
        free(fx->analysis);
        free(fx->truth);
        free(fx);
        return -1;
    }
    fx->vol = synth_volume(fx->analysis, 100, 50, 160); /* 3 x 4 x 4 mm voxels */
    *state = fx;
    return fx->vol ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    free(fx->analysis);
    free(fx->truth);
    csf_volume_free(fx->vol);
    free(fx);
    return 0;
}

static char *build(const char *json, const csf_volume *vol, const char *truth)
{
    csf_report_opts o = {.truth_json = truth};
    char *html = NULL;
    size_t len = 0;
    csf_error err = {0};
    csf_status st = csf_report_html_build(json, vol, &o, NULL, &html, &len, &err);
    if (st != CSF_OK)
        fail_msg("build failed: %s", err.msg);
    assert_int_equal(strlen(html), len);
    return html;
}

/* Every <img> is an inline PNG: data URI with the PNG signature in base64. */
static size_t check_images(const char *html)
{
    size_t n = 0;
    for (const char *p = strstr(html, "<img"); p; p = strstr(p + 4, "<img")) {
        const char *src = strstr(p, " src=\"");
        assert_non_null(src);
        assert_true(strncmp(src + 6, "data:image/png;base64,iVBORw0KGgo", 33) == 0);
        n++;
    }
    return n;
}

static void page_example(void **state)
{
    fixture *fx = *state;
    char *html = build(fx->analysis, fx->vol, NULL);
    assert_non_null(strstr(html, "<div id=\"verdict\" class=\"verdict\">POSITIVE"));
    assert_non_null(strstr(html, "Research use only \xE2\x80\x94 not for diagnosis"));
    assert_int_equal(count(html, "class=\"finding-row\""), 5);
    assert_non_null(strstr(html, "<b>5</b> findings"));
    /* chips: cervical 2, thoracic 3, lumbar 1 */
    assert_non_null(strstr(html, "<span class=\"chip g2\"><b>cervical</b> grade 2</span>"));
    assert_non_null(strstr(html, "<span class=\"chip g3\"><b>thoracic</b> grade 3</span>"));
    assert_non_null(strstr(html, "<span class=\"chip g1\"><b>lumbar</b> grade 1</span>"));
    assert_non_null(strstr(html, "<b>present</b> (T3\xE2\x80\x93T8)"));
    /* two MIPs plus an axial and a coronal crop per finding */
    assert_int_equal(check_images(html), 2 + 2 * 5);
    assert_int_equal(count(html, "class=\"detail\""), 5);
    /* per-level table: 26 levels plus the row for the finding without a level */
    assert_int_equal(count(html, "<td class=\"lvl\">"), 27);
    assert_non_null(strstr(html, "<td class=\"lvl\">unknown</td>"));
    /* the SLEC spans T3..T8: six rows carry the tag */
    assert_int_equal(count(html, "<span class=\"slectag\">"), 6);
    /* grade 3 leak: 20 mm against the 12.4 mm sac */
    assert_non_null(strstr(html, "20.0 mm vs sac 12.4 mm <span class=\"gt\">(1.61\xC3\x97)</span>"));
    assert_non_null(strstr(html, "<polyline class=\"s-tr\""));
    assert_non_null(strstr(html, "<polyline class=\"cl\""));
    assert_non_null(strstr(html, "Grading scale"));
    assert_null(strstr(html, "id=\"truth\""));
    /* nothing is fetched: no URL outside the SVG namespace declaration */
    assert_int_equal(count(html, "http"), count(html, "xmlns=\"http://www.w3.org/2000/svg\"") + 1);
    assert_non_null(strstr(html, "Content-Security-Policy\" content=\"default-src 'none'"));
    assert_int_equal(count(html, "<script>"), 1);
    assert_non_null(strstr(html, "@media print{"));
    free(html);
}

static void page_truth_panel(void **state)
{
    fixture *fx = *state;
    char *html = build(fx->analysis, fx->vol, fx->truth);
    assert_non_null(strstr(html, "id=\"truth\""));
    /* lumbar: truth 2, analysis 1; the L4 truth leak has no counterpart */
    assert_non_null(strstr(html, "Region grades agree 2/3; truth findings found 5/6; analysis "
                                 "findings without a truth match: 0."));
    free(html);
}

/* Strings from the JSON land escaped in text and attributes; nothing executes. */
static void page_escapes_input(void **state)
{
    (void)state;
    const char *evil =
        "{\"positive\":false,\"regions\":{\"cervical\":{\"grade\":null}},"
        "\"findings\":[{\"kind\":\"<img src=x onerror=alert(1)>\",\"level\":\"<script>x</script>\","
        "\"side\":\"\\\" onclick=\\\"alert(2)\",\"region\":\"'><b>\",\"center_mm\":[0,0,-100],"
        "\"features\":{\"<i>k</i>\":\"</td><script>\"}}],"
        "\"input\":{\"files\":[\"</title><script>alert(3)</script>\"],\"protocol\":\"<u>3d\"},"
        "\"levels\":{\"method\":\"<svg onload=alert(4)>\"}}";
    char *html = build(evil, NULL, NULL);
    assert_int_equal(count(html, "<script>"), 1); /* only the page's own */
    assert_null(strstr(html, "<img src=x"));
    assert_null(strstr(html, "<svg onload"));
    assert_null(strstr(html, "\" onclick=\"alert"));
    assert_null(strstr(html, "<u>"));
    assert_null(strstr(html, "<i>k"));
    assert_null(strstr(html, "'><b>"));
    assert_non_null(strstr(html, "&lt;/title&gt;&lt;script&gt;alert(3)"));
    assert_non_null(strstr(html, "NEGATIVE"));
    assert_non_null(strstr(html, "outside field of view"));
    assert_non_null(strstr(html, "No input volume"));
    assert_int_equal(count(html, "class=\"finding-row\""), 1);
    free(html);
}

/* The shape `csfleak analyze` writes: sac.per_level with width_lr/ap_mm, slec
 * from/to, level_to, reason, warnings, per-station input, dural_ectasia. */
static void page_analyze_shape(void **state)
{
    (void)state;
    const char *j =
        "{\"schema\":\"csfleak.analysis/1\",\"assessable\":true,\"positive\":true,"
        "\"regions\":{\"cervical\":{\"grade\":null,\"in_view\":false},"
        "\"thoracic\":{\"grade\":0,\"in_view\":true},\"lumbar\":{\"grade\":0,\"in_view\":true}},"
        "\"slec\":{\"present\":true,\"from\":\"T3\",\"to\":\"T8\"},"
        "\"findings\":[{\"kind\":\"slec\",\"grade\":null,\"region\":\"thoracic\",\"level\":\"T3\","
        "\"level_to\":\"T8\",\"side\":\"ventral\",\"center_mm\":[0,5,-200],"
        "\"lateral_extent_mm\":4,\"craniocaudal_extent_mm\":110,\"volume_ml\":2.1,"
        "\"features\":{\"local_sac_width_mm\":12.1},\"reason\":\"ventral, extradural, 6 levels\"}],"
        "\"levels\":{\"method\":\"root_sleeves\",\"z_mm\":{\"T3\":-176,\"T8\":-286,\"L1\":-396}},"
        "\"sac\":{\"found\":true,\"per_level\":[{\"level\":\"T3\",\"z_mm\":-176,\"width_lr_mm\":12.3,"
        "\"width_ap_mm\":10.9},{\"level\":\"T8\",\"z_mm\":-286,\"width_lr_mm\":11.7,\"width_ap_mm\":"
        "10.2},{\"level\":\"L1\",\"z_mm\":-396,\"width_lr_mm\":15.5,\"width_ap_mm\":12.8}]},"
        "\"dural_ectasia\":{\"sac_ap_s1_mm\":null,\"lumbosacral_to_upper_lumbar_ratio\":1.07,"
        "\"suspected\":false},"
        "\"input\":{\"files\":[\"a.nii.gz\"],\"stations\":[{\"file\":\"a.nii.gz\",\"dims\":[320,"
        "200,640],\"voxel_mm\":[0.9,0.9,1],\"orientation\":\"PSR\",\"format\":\"nifti1\"}],"
        "\"protocol\":\"3d\"},\"warnings\":[\"levels <guessed> from the sac end\"],"
        "\"timing_ms\":{\"read\":80.2,\"total\":700.5}}";
    char *html = build(j, NULL, NULL);
    assert_non_null(strstr(html, "<span class=\"chip gna\"><b>cervical</b> outside field of view"));
    assert_non_null(strstr(html, "<b>present</b> (T3\xE2\x80\x93T8)"));
    assert_non_null(strstr(html, "<td>T3\xE2\x80\x93T8</td>"));
    assert_non_null(strstr(html, "<span class=\"reason\">ventral, extradural, 6 levels</span>"));
    assert_non_null(strstr(html, "<li>levels &lt;guessed&gt; from the sac end</li>"));
    /* widths from width_lr_mm / width_ap_mm, sac width from features */
    assert_non_null(strstr(html, "<td class=\"lvl\">T8</td><td>thoracic</td><td class=\"n\">11.7"
                                 "</td><td class=\"n\">10.2</td>"));
    assert_non_null(strstr(html, "<td class=\"n\">12.1</td>"));
    assert_non_null(strstr(html, "<polyline class=\"s-tr\""));
    assert_non_null(strstr(html, "Dural ectasia: <b>not suspected</b>"));
    assert_non_null(strstr(html, "320 \xC3\x97 200 \xC3\x97 640"));
    assert_non_null(strstr(html, "<td>PSR</td>"));
    free(html);
    char *bad = build("{\"assessable\":false,\"positive\":false,\"input\":{\"stations\":[{\"file\":"
                      "\"x.nii\",\"reason\":\"not heavily T2-weighted\"}]}}",
                      NULL, NULL);
    assert_non_null(strstr(bad, "NOT ASSESSABLE"));
    assert_non_null(strstr(bad, "<li>x.nii: not heavily T2-weighted</li>"));
    assert_non_null(strstr(bad, "The analysis names no vertebral level."));
    free(bad);
    /* a station reason already among the warnings is listed once */
    bad = build("{\"assessable\":false,\"warnings\":[\"'x.nii': not heavily T2-weighted\"],"
                "\"input\":{\"stations\":[{\"file\":\"x.nii\",\"reason\":\"not heavily T2-weighted\"}]},"
                "\"dural_ectasia\":{\"sac_ap_s1_mm\":null,\"suspected\":false}}",
                NULL, NULL);
    assert_int_equal(count(bad, "not heavily T2-weighted"), 1);
    assert_non_null(strstr(bad, "Dural ectasia: not assessed"));
    free(bad);
}


/* Keys of the wrong type anywhere never crash the page and never show up
 * as values (run under ASan in make test). Each row is one analysis. */
static void page_wrong_types(void **state)
{
    fixture *fx = *state;
    static const char *const rows[] = {
        "{\"findings\":{\"kind\":\"leak\"}}",                 /* findings not an array */
        "{\"findings\":[1,\"x\",null,[],{}]}",                  /* junk elements */
        "{\"findings\":[{\"center_mm\":[\"a\",1,2],\"grade\":7,\"kind\":3}]}", /* bad center, grade */
        "{\"findings\":[{\"center_mm\":[1e308,-1e308,0],\"lateral_extent_mm\":1e300}]}",
        "{\"findings\":[{\"center_mm\":[0,0],\"bbox_mm\":{\"min\":[0,0,0],\"max\":5}}]}",
        "{\"levels\":[1,2,3],\"sac\":\"wide\",\"regions\":[0,1]}", /* wrong containers */
        "{\"levels\":{\"z_mm\":{\"T6\":\"high\",\"Q9\":1,\"L1\":null}}}",
        "{\"sac\":{\"per_level\":[{\"level\":5,\"z_mm\":\"x\"},{\"level\":\"T1\"}]}}",
        "{\"sac\":{\"centerline_mm\":[[0,0,0],[1,1],\"x\",[2,2,2]]}}",
        "{\"slec\":{\"present\":\"yes\",\"from\":7},\"positive\":1}",
        "{\"input\":{\"files\":\"a.nii\",\"dims\":\"big\",\"stations\":{}}}",
        "{\"timing_ms\":{\"read\":\"fast\",\"total\":-1},\"warnings\":\"none\"}",
        "{\"dural_ectasia\":[],\"findings\":[{\"features\":[1,2],\"reason\":5}]}",
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *html = build(rows[i], fx->vol, rows[i]);
        assert_non_null(strstr(html, "</html>"));
        assert_false(has_word(html, "nan"));
        assert_false(has_word(html, "inf"));
        free(html);
    }
}

static void page_minimal_and_bad_json(void **state)
{
    (void)state;
    char *html = build("{}", NULL, NULL);
    assert_non_null(strstr(html, "NO VERDICT"));
    assert_non_null(strstr(html, "<b>0</b> findings"));
    assert_non_null(strstr(html, "No leak, cyst, SLEC or diverticulum was found."));
    free(html);
    static const char *const bad[] = {"", "[1,2]", "{\"a\":", "nul", "\"str\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        csf_error err = {0};
        char *out = (char *)1;
        size_t len = 7;
        assert_int_equal(csf_report_html_build(bad[i], NULL, NULL, NULL, &out, &len, &err),
                         CSF_ERR_FORMAT);
        assert_ptr_equal(out, (char *)1); /* untouched on failure */
        assert_non_null(strstr(err.msg, "the analysis"));
    }
    csf_error err = {0};
    csf_report_opts o = {.truth_json = "[]"};
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(csf_report_html_build("{}", NULL, &o, NULL, &out, &len, &err), CSF_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "the truth"));
}

/* Decodes a data: URI PNG (8-bit gray) with libpng's simplified API. */
static uint8_t *decode_uri(const char *uri, size_t len, size_t *w, size_t *h)
{
    const char *p = uri + strlen("data:image/png;base64,");
    size_t n = len - (size_t)(p - uri), m = 0;
    uint8_t *bin = malloc(n);
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n && p[i] != '='; i++) {
        acc = acc << 6 | (uint32_t)b64val(p[i]);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bin[m++] = (uint8_t)(acc >> bits);
        }
    }
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    assert_true(png_image_begin_read_from_memory(&im, bin, m));
    im.format = PNG_FORMAT_GRAY;
    uint8_t *px = malloc(PNG_IMAGE_SIZE(im));
    assert_true(png_image_finish_read(&im, NULL, px, 0, NULL));
    *w = im.width;
    *h = im.height;
    free(bin);
    return px;
}

/* The coronal MIP shows the patient's left on the viewer's right, superior at
 * the top, and the overlay mapping lands on the drawn finding. */
static void view_orientation_and_mapping(void **state)
{
    fixture *fx = *state;
    csf_buf b;
    csf_buf_init(&b);
    csf_page pg = {0};
    pg.vol = fx->vol;
    pg.b = &b;
    pg.cor.axis = 1;
    for (int a = 0; a < 3; a++)
        pg.cor.hi[a] = fx->vol->dim[a] - 1;
    assert_int_equal(csf_view_render(&pg, &pg.cor, NULL), CSF_OK);
    assert_true(pg.win_hi > pg.win_lo);
    size_t w, h;
    uint8_t *px = decode_uri(pg.cor.uri.data, pg.cor.uri.len, &w, &h);
    assert_int_equal(w, 100);
    assert_int_equal(h, 160);
    assert_true(fabs(pg.cor.w_mm - 300) < 1e-9 && fabs(pg.cor.h_mm - 640) < 1e-9);
    /* the grade 3 leak: 20 mm wide at x = -22 (patient's left), z = -242 */
    const double leak[3] = {-22, 0, -242};
    double x, y;
    csf_view_map(&pg, &pg.cor, leak, &x, &y);
    size_t col = (size_t)(x / pg.cor.w_mm * (double)w), row = (size_t)(y / pg.cor.h_mm * (double)h);
    assert_true(col > w / 2);                 /* patient's left is on the right */
    assert_true(fabs(y - (0 - -242)) < 4.01); /* 242 mm below the top (z = 0) */
    assert_true(px[row * w + col] > 200);
    /* mirrored point (patient's right) is background */
    const double mirror[3] = {22, 0, -242};
    csf_view_map(&pg, &pg.cor, mirror, &x, &y);
    col = (size_t)(x / pg.cor.w_mm * (double)w);
    assert_true(px[row * w + col] < 30);
    free(px);
    csf_view_release(&pg.cor);
    csf_buf_release(&b);
}

/* A 2D thick-slab input (one voxel deep): coronal only, no axial crops. */
static void page_2d_protocol(void **state)
{
    fixture *fx = *state;
    csf_volume *v2 = synth_volume(fx->analysis, 120, 1, 200);
    assert_non_null(v2);
    char *html = build(fx->analysis, v2, NULL);
    assert_non_null(strstr(html, "alt=\"Coronal MIP\""));
    assert_null(strstr(html, "alt=\"Sagittal MIP\""));
    assert_null(strstr(html, "alt=\"Axial\""));
    assert_int_equal(count(html, "alt=\"Coronal\""), 5);
    assert_int_equal(check_images(html), 1 + 5);
    free(html);
    csf_volume_free(v2);
}

/* A whole-spine volume (1.2 mm voxels, 250 x 167 x 534) stays under 3 MB. */
static void page_whole_spine_size(void **state)
{
    fixture *fx = *state;
    csf_volume *v = synth_volume(fx->analysis, 250, 167, 534);
    assert_non_null(v);
    char *html = build(fx->analysis, v, fx->truth);
    size_t len = strlen(html);
    assert_true(len <= 3u * 1024 * 1024);
    assert_int_equal(check_images(html), 12);
    free(html);
    csf_volume_free(v);
}

static void write_atomic_and_fail(void **state)
{
    fixture *fx = *state;
    char dir[] = "/tmp/csf_report_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/r.html", dir);
    csf_error err = {0};
    assert_int_equal(csf_report_html_write(path, fx->analysis, fx->vol, NULL, NULL, &err), CSF_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 10000);
    unlink(path);
    rmdir(dir);
    err = (csf_error){0};
    assert_int_equal(csf_report_html_write("/nonexistent-dir/x/r.html", fx->analysis, NULL, NULL,
                                           NULL, &err),
                     CSF_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent-dir/x/r.html"));
}


/* The traced course stays in the middle of a sinuous bright band (known
 * center per row) next to a brighter but shorter blob, and bridges a gap. */
static void trace_follows_band(void **state)
{
    (void)state;
    enum { W = 80, H = 120 };
    uint8_t *px = calloc(W * H, 1);
    double center[H];
    for (int r = 0; r < H; r++) {
        center[r] = 30.0 + 8.0 * sin(r / 19.0);
        int c0 = (int)lround(center[r] - 3.5), c1 = c0 + 7; /* 7 px wide: mid = c0 + 3.5 */
        center[r] = c0 + 3.5;
        for (int c = c0; c < c1; c++)
            px[r * W + c] = (r >= 60 && r < 63) ? 20 : 200; /* a 3-row gap */
        if (r >= 20 && r < 50) /* a kidney: brighter, wider, but not the whole length */
            for (int c = 55; c < 75; c++)
                px[r * W + c] = 255;
    }
    double xs[H];
    size_t found = csf_trace_path(px, W, H, 0, H - 1, xs);
    assert_int_equal(found, H - 3);
    for (int r = 0; r < H; r++) {
        if (r >= 60 && r < 63) {
            assert_true(isnan(xs[r]));
            continue;
        }
        /* smoothing over +-4 rows of a curve bending < 0.5 px per row */
        assert_true(fabs(xs[r] - center[r]) < 1.6);
    }
    assert_int_equal(csf_trace_path(px, W, H, 10, 11, xs), 0); /* too few rows */
    free(px);
}

/* The page with its own build time (the one varying number) cut out. */
static char *build_with(const fixture *fx, int threads)
{
    csf_exec *ex = NULL;
    assert_int_equal(csf_exec_new(threads, &ex, NULL), CSF_OK);
    char *html = NULL;
    size_t len = 0;
    assert_int_equal(csf_report_html_build(fx->analysis, fx->vol, NULL, ex, &html, &len, NULL),
                     CSF_OK);
    csf_exec_free(ex);
    char *t = strstr(html, "report (this page)</th><td class=\"n\">");
    assert_non_null(t);
    char *e = strstr(t, "</td>");
    memmove(t, e, strlen(e) + 1);
    return html;
}

/* Projections run in parallel; the page is byte-identical for any thread count. */
static void page_same_for_any_threads(void **state)
{
    fixture *fx = *state;
    char *h1 = build_with(fx, 1), *h3 = build_with(fx, 3), *h7 = build_with(fx, 7);
    assert_string_equal(h1, h3);
    assert_string_equal(h1, h7);
    free(h1);
    free(h3);
    free(h7);
}

static int cancel_at_second(void *user, const char *stage, double frac)
{
    (void)stage;
    (void)frac;
    int *calls = user;
    return ++*calls >= 2;
}

/* A progress callback can stop the report; nothing is written then. */
static void progress_cancels(void **state)
{
    fixture *fx = *state;
    csf_exec *ex = NULL;
    assert_int_equal(csf_exec_new(1, &ex, NULL), CSF_OK);
    int calls = 0;
    csf_exec_set_progress(ex, cancel_at_second, &calls);
    char path[] = "/tmp/csf_report_cancel_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    csf_error err = {0};
    assert_int_equal(csf_report_html_write(path, fx->analysis, fx->vol, NULL, ex, &err),
                     CSF_ERR_CANCELLED);
    assert_int_equal(calls, 2);
    assert_int_equal(access(path, F_OK), -1);
    csf_exec_free(ex);
}

static void input_paths(void **state)
{
    (void)state;
    const char *j = "{\"input\":{\"files\":[\"st1.nii.gz\",\"dir/st2.nii.gz\"]}}";
    char buf[64];
    size_t n = 0;
    assert_int_equal(csf_report_input_path(j, 1, buf, sizeof buf, &n, NULL), CSF_OK);
    assert_string_equal(buf, "dir/st2.nii.gz");
    assert_int_equal(n, 2);
    csf_error err = {0};
    assert_int_equal(csf_report_input_path(j, 2, buf, sizeof buf, NULL, &err), CSF_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "input.files[2]"));
    err = (csf_error){0};
    assert_int_equal(csf_report_input_path(j, 0, buf, 5, NULL, &err), CSF_ERR_INVALID_ARG);
    assert_int_equal(csf_report_input_path("{}", 0, buf, sizeof buf, &n, NULL), CSF_ERR_FORMAT);
    assert_int_equal(n, 0);
    assert_int_equal(csf_report_input_path("{", 0, buf, sizeof buf, &n, NULL), CSF_ERR_FORMAT);
}

static void level_names(void **state)
{
    (void)state;
    assert_int_equal(csf_level_rank("C1"), 0);
    assert_int_equal(csf_level_rank("C7"), 6);
    assert_int_equal(csf_level_rank("T1"), 7);
    assert_int_equal(csf_level_rank("T12"), 18);
    assert_int_equal(csf_level_rank("L5"), 23);
    assert_int_equal(csf_level_rank("S1"), 24);
    assert_int_equal(csf_level_rank("T13"), -1);
    assert_int_equal(csf_level_rank("C8"), -1);
    assert_int_equal(csf_level_rank("X1"), -1);
    assert_int_equal(csf_level_rank(NULL), -1);
    assert_string_equal(csf_level_region("T12"), "thoracic");
    assert_string_equal(csf_level_region("L1"), "lumbar");
    assert_null(csf_level_region("Q"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base64_rfc4648_vectors),
        cmocka_unit_test(base64_roundtrip_all_bytes),
        cmocka_unit_test(html_escape_table),
        cmocka_unit_test(html_attr_and_elem),
        cmocka_unit_test(buf_printf_long),
        cmocka_unit_test(svg_writer),
        cmocka_unit_test(level_names),
        cmocka_unit_test(input_paths),
        cmocka_unit_test(trace_follows_band),
        cmocka_unit_test(page_escapes_input),
        cmocka_unit_test(page_minimal_and_bad_json),
        cmocka_unit_test(page_analyze_shape),
        cmocka_unit_test_setup_teardown(page_wrong_types, setup, teardown),
        cmocka_unit_test_setup_teardown(page_example, setup, teardown),
        cmocka_unit_test_setup_teardown(page_truth_panel, setup, teardown),
        cmocka_unit_test_setup_teardown(view_orientation_and_mapping, setup, teardown),
        cmocka_unit_test_setup_teardown(page_2d_protocol, setup, teardown),
        cmocka_unit_test_setup_teardown(page_whole_spine_size, setup, teardown),
        cmocka_unit_test_setup_teardown(write_atomic_and_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(progress_cancels, setup, teardown),
        cmocka_unit_test_setup_teardown(page_same_for_any_threads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
