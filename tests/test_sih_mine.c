/* sih report mining: exact spans and values on small cases, and precision /
 * recall over the hand-annotated corpus in tests/data/sih (75+ snippets).
 * Scoring unit: a (report, sign, status) tuple. A predicted tuple is a true
 * positive when the annotation has it, one of its findings overlaps the
 * annotated anchor text and, when a value is annotated, carries it (+-0.05). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/sih.h"

/* What a useful cohort-search tool needs; not derived from the measured figures. */
#define PRECISION_FLOOR 0.90
#define RECALL_FLOOR 0.90

static csf_sih_miner *g_m;

static int setup(void **state)
{
    (void)state;
    return csf_sih_miner_new(&g_m, NULL) == CSF_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    csf_sih_miner_free(g_m);
    return 0;
}

static const csf_finding *find(const csf_sih_mined *r, const char *sign)
{
    int s = csf_sign_from_name(sign);
    for (size_t i = 0; i < r->n; i++)
        if (r->f[i].sign == s)
            return &r->f[i];
    return NULL;
}

static void mine(const char *text, csf_sih_mined *r)
{
    assert_int_equal(csf_sih_mine(g_m, text, strlen(text), r, NULL), CSF_OK);
}

static void spans_values_and_bern(void **state)
{
    (void)state;
    csf_sih_mined r = {0};
    /* "\xc2\xb0" and "\xc3\xa9" are one code point each: spans count code points */
    const char *t = "Caf\xc3\xa9 note. No subdural collection. Descent of the tonsils by 1.2 cm. "
                    "Pontomesencephalic angle 40\xc2\xb0.";
    mine(t, &r);
    const csf_finding *f = find(&r, "subdural_collection");
    assert_non_null(f);
    assert_int_equal(f->status, CSF_FIND_ABSENT);
    assert_int_equal(f->bstart, 15);  /* bytes: "Caf\xc3\xa9 note. No " */
    assert_int_equal(f->start, 14);   /* code points */
    assert_int_equal(f->end - f->start, strlen("subdural collection"));
    f = find(&r, "tonsillar_descent");
    assert_non_null(f);
    assert_true(fabs(f->value - 12.0) < 1e-9); /* cm -> mm */
    assert_string_equal(f->unit, "mm");
    f = find(&r, "pontomesencephalic_angle");
    assert_non_null(f);
    assert_true(fabs(f->value - 40.0) < 1e-9);
    assert_int_equal(f->status, CSF_FIND_PRESENT); /* < 50 deg */
    assert_int_equal(r.bern_item[CSF_BERN_SUBDURAL], CSF_TRI_NO);
    assert_int_equal(r.bern_item[CSF_BERN_PACHY], CSF_TRI_UNKNOWN);
    assert_int_equal(r.bern.total_min, 0);
    assert_int_equal(r.bern.total_max, 8);

    /* reuse of the same result; the Bern items from mentions */
    mine("Diffuse pachymeningeal enhancement. Engorged transverse sinuses. Mamillopontine distance 5 mm. "
         "Possible subdural hygroma.", &r);
    assert_int_equal(r.bern_item[CSF_BERN_PACHY], CSF_TRI_YES);
    assert_int_equal(r.bern_item[CSF_BERN_VENOUS], CSF_TRI_YES);
    assert_int_equal(r.bern_item[CSF_BERN_MAMILLOPONTINE], CSF_TRI_YES);
    assert_int_equal(r.bern_item[CSF_BERN_SUBDURAL], CSF_TRI_UNKNOWN);
    assert_int_equal(r.bern.total_min, 5);
    assert_int_equal(r.bern.category, CSF_BERN_CAT_HIGH);

    /* token buffers are reused: sentence ends of one report must not leak into the next */
    mine("a. b. c. d. e. f.", &r);
    mine("Pontomesencephalic angle 40\xc2\xb0 cannot be excluded.", &r);
    f = find(&r, "pontomesencephalic_angle");
    assert_non_null(f);
    assert_int_equal(f->status, CSF_FIND_UNCERTAIN);

    mine("", &r); /* empty text: no findings, nothing known */
    assert_int_equal(r.n, 0);
    assert_int_equal(r.bern.total_max, 9);
    char *js = csf_sih_report_json(&r, "", "x", 0);
    assert_non_null(js);
    assert_non_null(strstr(js, "\"category\":null"));
    free(js);
    csf_sih_mined_release(&r);
}

typedef struct ann {
    char file[32], sign[48], status[16], anchor[96];
    double value; /* NAN = none */
    int hit;
} ann;

static ann *load_expected(const char *tsv, size_t *n)
{
    char path[512];
    snprintf(path, sizeof path, CSF_TEST_DATA "/sih/%s", tsv);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    size_t cap = 256;
    ann *a = calloc(cap, sizeof *a);
    char line[512];
    *n = 0;
    while (fgets(line, sizeof line, fp)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\n")] = '\0';
        char *f[5] = {line, NULL, NULL, NULL, NULL};
        for (int k = 1; k < 5; k++) {
            char *tab = strchr(f[k - 1], '\t');
            assert_non_null(tab);
            *tab = '\0';
            f[k] = tab + 1;
        }
        assert_true(*n < cap);
        ann *x = &a[(*n)++];
        snprintf(x->file, sizeof x->file, "%.31s", f[0]);
        snprintf(x->sign, sizeof x->sign, "%.47s", f[1]);
        snprintf(x->status, sizeof x->status, "%.15s", f[2]);
        snprintf(x->anchor, sizeof x->anchor, "%.95s", f[4]);
        x->value = strcmp(f[3], "-") == 0 ? NAN : strtod(f[3], NULL);
    }
    fclose(fp);
    return a;
}

static char *slurp(const char *dir, const char *file, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, CSF_TEST_DATA "/sih/%s/%s", dir, file);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *b = calloc(1, 8192);
    *len = fread(b, 1, 8191, fp);
    fclose(fp);
    return b;
}

/* Does some finding of this sign+status support annotation x? */
static int supports(const csf_sih_mined *r, const char *text, const ann *x, int sign, int status)
{
    const char *p = strstr(text, x->anchor);
    assert_non_null(p);
    size_t as = (size_t)(p - text), ae = as + strlen(x->anchor);
    for (size_t i = 0; i < r->n; i++) {
        const csf_finding *f = &r->f[i];
        if (f->sign != sign || f->status != status || f->bstart >= ae || as >= f->bend)
            continue;
        if (isnan(x->value) || (isfinite(f->value) && fabs(f->value - x->value) < 0.05))
            return 1;
    }
    return 0;
}

static int status_code(const char *s)
{
    return strcmp(s, "present") == 0 ? CSF_FIND_PRESENT : strcmp(s, "absent") == 0 ? CSF_FIND_ABSENT
                                                                                    : CSF_FIND_UNCERTAIN;
}

typedef struct prf {
    size_t tp, fp, nexp, nrep;
} prf;

static prf score_corpus(const char *dir, const char *tsv)
{
    size_t na;
    ann *a = load_expected(tsv, &na);
    size_t tp = 0, fp = 0, nexp = 0, nrep = 0;
    csf_sih_mined r = {0};
    for (size_t i = 0; i < na; i++) {
        if (i > 0 && strcmp(a[i].file, a[i - 1].file) == 0)
            continue;
        nrep++;
        size_t len;
        char *text = slurp(dir, a[i].file, &len);
        assert_int_equal(csf_sih_mine(g_m, text, len, &r, NULL), CSF_OK);
        size_t j0 = i, j1 = i;
        while (j1 < na && strcmp(a[j1].file, a[i].file) == 0)
            j1++;
        for (size_t j = j0; j < j1; j++) {
            if (strcmp(a[j].sign, "-") == 0)
                continue;
            nexp++;
            int s = csf_sign_from_name(a[j].sign);
            assert_true(s >= 0);
            a[j].hit = supports(&r, text, &a[j], s, status_code(a[j].status));
            tp += a[j].hit;
            if (!a[j].hit)
                printf("  missed   %s %s %s (%s)\n", a[j].file, a[j].sign, a[j].status, a[j].anchor);
        }
        /* predicted (sign, status) tuples without a supporting annotation */
        for (size_t k = 0; k < r.n; k++) {
            int dup = 0;
            for (size_t q = 0; q < k; q++)
                dup |= r.f[q].sign == r.f[k].sign && r.f[q].status == r.f[k].status;
            if (dup)
                continue;
            int ok = 0;
            for (size_t j = j0; j < j1; j++)
                ok |= a[j].hit && csf_sign_from_name(a[j].sign) == r.f[k].sign &&
                      status_code(a[j].status) == r.f[k].status;
            if (!ok) {
                fp++;
                printf("  spurious %s %s %s \"%.*s\"\n", a[i].file, csf_sign_name(r.f[k].sign),
                       csf_finding_status_name(r.f[k].status), (int)(r.f[k].bend - r.f[k].bstart),
                       text + r.f[k].bstart);
            }
        }
        free(text);
    }
    csf_sih_mined_release(&r);
    free(a);
    return (prf){tp, fp, nexp, nrep};
}

static void print_prf(const char *name, prf p, double *precision, double *recall)
{
    *precision = p.tp + p.fp ? (double)p.tp / (double)(p.tp + p.fp) : 0.0;
    *recall = p.nexp ? (double)p.tp / (double)p.nexp : 0.0;
    printf("sih corpus %s: %zu reports, %zu annotations, TP %zu, FP %zu, FN %zu, precision %.3f, recall %.3f\n",
           name, p.nrep, p.nexp, p.tp, p.fp, p.nexp - p.tp, *precision, *recall);
}

static void corpus_precision_recall(void **state)
{
    (void)state;
    prf dev = score_corpus("reports", "expected.tsv");
    prf held = score_corpus("heldout", "expected_heldout.tsv");
    prf all = {dev.tp + held.tp, dev.fp + held.fp, dev.nexp + held.nexp, dev.nrep + held.nrep};
    double p, r;
    print_prf("development", dev, &p, &r);
    print_prf("held-out", held, &p, &r);
    print_prf("all", all, &p, &r);
    assert_true(all.nrep >= 40);
    assert_true(p >= PRECISION_FLOOR);
    assert_true(r >= RECALL_FLOOR);
}

/* Garbage in: random bytes and word salad must not crash, and every span
 * must lie inside the text with start <= end (run under ASan in make test). */
static void garbage_inputs(void **state)
{
    (void)state;
    static const char *const words[] = {"no", "subdural", "sub", "dural", "pachy", "meningeal", "tonsils",
                                        "12", "mm", "cm", "\xc2\xb0", ".", "?", ";", "-", "\n\n", "cannot",
                                        "be", "excluded", "99999999999999999999", "1.", ".5", "\xe2\x80\x93",
                                        "pontomesencephalic", "angle", "above", "sella", "chiasm", "\xff"};
    uint64_t seed = 88172645463325252ull;
    csf_sih_mined r = {0};
    char buf[1024];
    for (int it = 0; it < 3000; it++) {
        size_t k = 0;
        while (k < sizeof buf - 40) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            if ((seed >> 60) == 0)
                break;
            const char *w = (seed & 1) ? words[(seed >> 8) % (sizeof words / sizeof words[0])] : NULL;
            if (w) {
                size_t l = strlen(w);
                memcpy(buf + k, w, l);
                k += l;
                buf[k++] = (seed & 2) ? ' ' : '-';
            } else {
                buf[k++] = (char)(seed >> 24);
            }
        }
        assert_int_equal(csf_sih_mine(g_m, buf, k, &r, NULL), CSF_OK);
        for (size_t i = 0; i < r.n; i++) {
            assert_true(r.f[i].bstart <= r.f[i].bend && r.f[i].bend <= k);
            assert_true(r.f[i].start <= r.f[i].end && r.f[i].end <= k);
        }
        char *js = csf_sih_report_json(&r, buf, "g", 0);
        assert_non_null(js);
        free(js);
    }
    csf_sih_mined_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spans_values_and_bern),
        cmocka_unit_test(corpus_precision_recall),
        cmocka_unit_test(garbage_inputs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
