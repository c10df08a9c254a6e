#ifndef CSFLEAK_IO_INTERNAL_H
#define CSFLEAK_IO_INTERNAL_H
/* Pieces shared by the src/io files; not public API. */
#include <stddef.h>
#include <stdint.h>

#include "csfleak/io.h"

/* A whole file in memory: either a private writable mapping of the file as
 * stored or a malloc'd buffer holding the gunzipped bytes. */
typedef struct csf_io_blob {
    uint8_t *data;
    size_t len;
    void *map;      /* mmap base when mapped, else NULL */
    size_t map_len;
    int gzipped;    /* the file was gzip-compressed */
    uint8_t *base;  /* gunzipped: the malloc'd block, data = base + front */
    size_t front;   /* free bytes before data: room to convert 16-bit voxels to
                       float in place (csf_io_nifti_decode); 0 when there is none */
} csf_io_blob;

/* Loads exactly `path` (no name guessing). gzip is detected by its magic bytes,
 * not by the suffix. Errors name the file. */
csf_status csf_io_blob_load(const char *path, csf_io_blob *blob, csf_error *err);
void csf_io_blob_release(csf_io_blob *blob);

/* Decompresses a whole gzip file (one or more members). Fast path: libdeflate
 * into a buffer sized from the ISIZE trailer; any failure or a second member
 * falls back to zlib streaming, which also produces the precise message.
 * *base is malloc'd; the bytes are at *base + *front (*front > 0 on the fast
 * path: free room of at least the data's size + 64 in front of them). */
csf_status csf_io_gunzip(const char *path, const uint8_t *in, size_t in_len, uint8_t **base,
                         size_t *front, size_t *out_len, csf_error *err);

/* Parses a single-file NIfTI-1/-2 image held in memory (header through
 * libnifti2), converts and reorients it. blob->data may be modified (byte
 * swap); with room in front of it the volume may take over blob->base (then
 * blob->base is NULL on return and releasing the blob frees nothing). */
csf_status csf_io_nifti_decode(const char *path, csf_io_blob *blob, const csf_exec *ex,
                               csf_volume **out, csf_io_source *src, csf_error *err);

/* Canonical-RAS axis mapping of a voxel->world affine: canonical axis a comes
 * from file axis perm[a], reversed when flip[a]. Same greedy rule as
 * csf_affine_orient_code, so the code and the mapping always agree. a16 is
 * the row-major 4x4 (pass &a[0][0]). */
void csf_io_canonical_axes(const double *a16, int perm[3], int flip[3]);
/* Affine of the reoriented grid (file dims fdim). */
void csf_io_canonical_affine(const double *a16, const size_t fdim[3], const int perm[3],
                             const int flip[3], double out[4][4]);

/* Conversion of stored voxels to float32 on the canonical grid. */
typedef struct csf_io_convert {
    const uint8_t *raw;       /* first voxel of the file */
    int datatype;             /* NIfTI DT_* code, native byte order */
    size_t fdim[4];           /* file dims (t = frames) */
    int perm[3], flip[3];
    double slope, inter;      /* applied when not (1, 0) */
} csf_io_convert;

/* Fills vol->data (dims already canonical). *nonfinite receives the number of
 * NaN/Inf results (only float inputs or absurd scaling can give them). */
csf_status csf_io_convert_run(const csf_io_convert *cv, csf_volume *vol, const csf_exec *ex,
                              size_t *nonfinite, csf_error *err);

/* Asks for transparent huge pages on the 2 MiB-aligned interior of a large
 * fresh buffer before it is first written: ~500x fewer page faults when the
 * reader fills hundreds of MB. Advisory; a no-op for small buffers. */
void csf_io_advise_huge(void *p, size_t len);

/* Lower-case name of a NIfTI datatype ("int16"), or NULL when csfleak cannot
 * read it. */
const char *csf_io_dtype_name(int datatype);

#endif
