/* libFuzzer target: the strict CSV reader (src/stats/csv.c) and the reads/truth
 * loaders on top of it, fed arbitrary bytes as an in-memory file. */
#include <stdlib.h>

#include "csfleak/stats.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > CSF_FUZZ_MAX_BYTES)
        return 0;
    csf_csv *csv = NULL;
    csf_error err = {0};
    if (csf_csv_parse("fuzz.csv", (const char *)data, size, &csv, &err) != CSF_OK)
        return 0;
    /* walk every field so a bad index or length shows up under ASan */
    size_t sum = 0;
    for (size_t r = 0; r < csf_csv_nrows(csv); r++)
        for (size_t c = 0; c < csf_csv_ncols(csv); c++)
            sum += csf_csv_field(csv, r, c)[0] != '\0';
    (void)sum;
    csf_reads *reads = NULL;
    if (csf_reads_from_csv(csv, 0, &reads, &err) == CSF_OK)
        csf_reads_free(reads);
    csf_csv_free(csv);
    return 0;
}
