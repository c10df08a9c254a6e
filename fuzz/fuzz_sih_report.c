/* libFuzzer target: the radiology-report miner (csf_sih_mine) on arbitrary bytes,
 * which need not be UTF-8 nor NUL-terminated. The miner is built once. */
#include <stdlib.h>

#include "csfleak/sih.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static csf_sih_miner *miner;
    if (size > CSF_FUZZ_MAX_BYTES)
        return 0;
    if (miner == NULL && csf_sih_miner_new(&miner, NULL) != CSF_OK)
        abort(); /* the built-in lexicon must always load */
    csf_sih_mined res = {0};
    csf_error err = {0};
    (void)csf_sih_mine(miner, (const char *)data, size, &res, &err);
    csf_sih_mined_release(&res);
    return 0;
}
