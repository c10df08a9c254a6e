#ifndef CSF_TEST_NIFTI_H
#define CSF_TEST_NIFTI_H
/* Test fixtures for the io tests: temp dirs and hand-made NIfTI byte images
 * (header built by libnifti2, so corrupting one field at a time is easy). */
#include <stddef.h>
#include <stdint.h>

#include <nifti2_io.h>

/* mkdtemp under /tmp; buf >= 64. 0 on success. */
int csf_test_mkdtemp(char *buf, size_t size);
/* Removes a directory tree. */
void csf_test_rmtree(const char *dir);
/* Writes bytes; 0 on success. */
int csf_test_write_file(const char *path, const void *data, size_t len);
/* dir + "/" + name into buf. */
const char *csf_test_path(char *buf, size_t size, const char *dir, const char *name);

/* A single-file NIfTI-1 (version 1) or NIfTI-2 (version 2) image in memory:
 * header made by libnifti2 from dims (dims[0] = ndim), datatype, affine
 * (row-major 4x4, written as sform and qform code 1) and pixdim from the
 * affine's column norms; `data` (raw voxel bytes, may be NULL = zeros)
 * follows at vox_offset 352 / 544. *out is malloc'd. */
int csf_test_nifti_bytes(int version, const int64_t dims[8], int datatype, const double *aff16,
                         const void *data, uint8_t **out, size_t *out_len);
/* Gzip of a buffer (libdeflate level 6); *out malloc'd. */
int csf_test_gzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len);

#endif
