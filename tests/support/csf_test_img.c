/* Shared fixtures for the image-operation tests (see csf_test_img.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "support/csf_test_img.h"

uint64_t csf_test_rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

uint64_t csf_test_splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double csf_test_uniform(uint64_t *s)
{
    return (double)(csf_test_splitmix64(s) >> 11) / 9007199254740992.0;
}

uint8_t *csf_test_random_mask(size_t n, double density, uint64_t seed)
{
    uint8_t *m = malloc(n);
    assert_non_null(m);
    uint64_t s = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++)
        m[i] = (double)(csf_test_rng_next(&s) >> 11) / 9007199254740992.0 < density;
    return m;
}

csf_volume *csf_test_grid(size_t nx, size_t ny, size_t nz, const double sp[3])
{
    size_t dim[4] = {nx, ny, nz, 1};
    csf_volume *v = NULL;
    assert_int_equal(csf_volume_new(dim, sp, &v, NULL), CSF_OK);
    return v;
}
