/* Test support: a phantom's truth JSON, parsed (cmocka asserts on failure). */
#ifndef CSF_TEST_PHANTOM_TRUTH_H
#define CSF_TEST_PHANTOM_TRUTH_H

#include <cjson/cJSON.h>

#include "csfleak/phantom.h"

/* The truth document csf_phantom_truth_json writes for ph. Caller frees
 * with cJSON_Delete. */
cJSON *test_phantom_truth(const csf_phantom *ph);

#endif
