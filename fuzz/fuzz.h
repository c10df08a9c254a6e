/* Shared by the libFuzzer targets and their plain replay driver (replay_main.c). */
#ifndef CSFLEAK_FUZZ_H
#define CSFLEAK_FUZZ_H
#include <stddef.h>
#include <stdint.h>

/* Inputs above this are skipped: the parsers' cost is linear in size and large
 * inputs only slow the search down (as libvips' fuzzers do). */
#define CSF_FUZZ_MAX_BYTES ((size_t)1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif
