#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "support/phantom_truth.h"

cJSON *test_phantom_truth(const csf_phantom *ph)
{
    char *txt = NULL;
    csf_error err = {0};
    assert_int_equal(csf_phantom_truth_json(ph, NULL, &txt, &err), CSF_OK);
    cJSON *j = cJSON_Parse(txt);
    free(txt);
    assert_non_null(j);
    return j;
}
