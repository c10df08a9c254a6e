/* detect: the classifier when its scratch allocation fails. csf_detect_classify
 * allocates one array (the sleeves usable as references); without it every sleeve
 * must still be graded, against the default reach, and nothing may read the missing
 * array (clang-tidy found contralateral() reading it: a NULL dereference).
 * The failure is injected by replacing calloc in this program, which ASan's own
 * allocator forbids: under the sanitizers the test skips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "csfleak/detect.h"
#include "csfleak/spine.h"
#include "detect/detect_internal.h"
#include "support/detect_synth.h"

#if defined(__SANITIZE_ADDRESS__)
#define CSF_TEST_NO_HOOK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CSF_TEST_NO_HOOK 1
#endif
#endif

#ifndef CSF_TEST_NO_HOOK
static int fail_next_calloc; /* set, then the next calloc returns NULL and clears it */

extern void *__libc_calloc(size_t n, size_t size); /* glibc: the allocator behind calloc */

void *calloc(size_t n, size_t size)
{
    if (fail_next_calloc) {
        fail_next_calloc = 0;
        return NULL;
    }
    return __libc_calloc(n, size);
}
#endif

static void classify_without_scratch(void **state)
{
    (void)state;
#ifdef CSF_TEST_NO_HOOK
    skip();
#else
    synth_spec s;
    synth_spec_init(&s);
    s.leak_level = 3; /* L3: a sleeve to grade, with sleeves on both sides around it */
    s.leak_side = 0;
    s.leak_grade = 2;
    csf_volume *vol = synth_render(&s);
    assert_non_null(vol);
    csf_spine *sp = NULL;
    csf_error err = {0};
    assert_int_equal(csf_spine_analyze(vol, NULL, &sp, NULL, &err), CSF_OK);
    size_t n = 0;
    csf_spine_extras(sp, &n);
    assert_true(n > 0);
    csf_finding *all = malloc(n * sizeof *all);
    assert_non_null(all);

    fail_next_calloc = 1;
    csf_detect_classify(sp, all);
    assert_int_equal(fail_next_calloc, 0); /* the failure did happen inside */
    size_t graded = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(all[i].kind >= CSF_FIND_LEAK && all[i].kind <= CSF_FIND_IGNORED);
        graded += all[i].kind == CSF_FIND_LEAK;
    }
    print_message("  %zu extras, %zu graded as leak without references\n", n, graded);
    assert_true(graded > 0);
    free(all);
    csf_spine_free(sp);
    csf_volume_free(vol);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(classify_without_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
