#ifndef CSF_TEST_IMG_H
#define CSF_TEST_IMG_H
/* Shared fixtures for the image-operation tests: reproducible random masks
 * (xorshift64 and splitmix64, no rand()) and empty grids. Both fail the cmocka test on error. */
#include <stddef.h>
#include <stdint.h>

#include "csfleak/volume.h"

/* xorshift64 step; *s must not be 0. */
uint64_t csf_test_rng_next(uint64_t *s);
/* splitmix64 step: any seed, including 0, gives a good stream. */
uint64_t csf_test_splitmix64(uint64_t *s);
/* Uniform in [0, 1) with 53 random bits, from csf_test_splitmix64. */
double csf_test_uniform(uint64_t *s);
/* n bytes, each 1 with probability `density`, reproducible from `seed`;
 * caller frees. */
uint8_t *csf_test_random_mask(size_t n, double density, uint64_t seed);
/* A zero-filled nx x ny x nz volume with spacing sp (mm); caller frees. */
csf_volume *csf_test_grid(size_t nx, size_t ny, size_t nz, const double sp[3]);
#endif
