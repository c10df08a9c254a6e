/* Whole-file loading and gzip decompression for the NIfTI reader. */
#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "io_internal.h"

/* Deflate cannot expand more than ~1032:1, so an ISIZE trailer claiming more
 * than this is not the size of a single complete member. */
#define CSF_GZ_MAX_RATIO 1100u

static csf_status gunzip_zlib(const char *path, const uint8_t *in, size_t in_len, size_t guess,
                              uint8_t **out, size_t *out_len, csf_error *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot read '%s': zlib init failed", path);
    size_t cap = guess < 4096 ? 4096 : guess, len = 0, pos = 0;
    uint8_t *buf = malloc(cap);
    csf_status st = CSF_OK;
    if (buf == NULL) {
        st = csf_error_set(err, CSF_ERR_NOMEM, "cannot read '%s': out of memory", path);
        goto done;
    }
    for (;;) {
        if (len == cap) {
            size_t ncap = cap * 2;
            uint8_t *nb = ncap > cap ? realloc(buf, ncap) : NULL;
            if (nb == NULL) {
                st = csf_error_set(err, CSF_ERR_NOMEM, "cannot read '%s': out of memory", path);
                goto done;
            }
            buf = nb;
            cap = ncap;
        }
        /* zlib counts in uInt: feed at most 1 GiB per call */
        size_t ain = in_len - pos, aout = cap - len;
        zs.next_in = (Bytef *)(uintptr_t)(in + pos);
        zs.avail_in = (uInt)(ain > (1u << 30) ? (1u << 30) : ain);
        zs.next_out = buf + len;
        zs.avail_out = (uInt)(aout > (1u << 30) ? (1u << 30) : aout);
        uInt in0 = zs.avail_in, out0 = zs.avail_out;
        int rc = inflate(&zs, Z_NO_FLUSH);
        pos += in0 - zs.avail_in;
        len += out0 - zs.avail_out;
        if (rc == Z_STREAM_END) {
            /* another member follows (concatenated gzip, as pigz/bgzip write) */
            if (in_len - pos >= 2 && in[pos] == 0x1f && in[pos + 1] == 0x8b) {
                inflateReset(&zs);
                continue;
            }
            break; /* trailing padding after the last member is ignored, as gzip does */
        }
        if (rc == Z_OK || (rc == Z_BUF_ERROR && len == cap))
            continue;
        if (rc == Z_BUF_ERROR && pos == in_len) {
            st = csf_error_set(err, CSF_ERR_FORMAT,
                               "cannot read '%s': truncated gzip stream (%zu compressed bytes "
                               "gave %zu bytes before the data ended)", path, in_len, len);
            goto done;
        }
        st = csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': corrupt gzip data (%s)", path,
                           zs.msg ? zs.msg : "inflate failed");
        goto done;
    }
    *out = buf;
    *out_len = len;
    buf = NULL;
done:
    inflateEnd(&zs);
    free(buf);
    return st;
}

csf_status csf_io_gunzip(const char *path, const uint8_t *in, size_t in_len, uint8_t **base,
                         size_t *front, size_t *out_len, csf_error *err)
{
    *front = 0;
    if (in_len < 18)
        return csf_error_set(err, CSF_ERR_FORMAT,
                             "cannot read '%s': truncated gzip stream (%zu bytes)", path, in_len);
    size_t isize = (size_t)in[in_len - 4] | (size_t)in[in_len - 3] << 8 |
                   (size_t)in[in_len - 2] << 16 | (size_t)in[in_len - 1] << 24;
    int plausible = isize >= 348 && isize / CSF_GZ_MAX_RATIO <= in_len;
    /* Room in front of the bytes: 16-bit voxels can then become the float
     * volume in the same block, which is never larger than twice the file. An
     * untouched front costs address space only. */
    size_t pad = plausible && isize <= SIZE_MAX / 2 - 128 ? (isize + 64 + 63) & ~(size_t)63 : 0;
    if (plausible) {
        struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
        uint8_t *buf = malloc(pad + isize);
        if (buf != NULL)
            csf_io_advise_huge(buf, pad + isize);
        if (d != NULL && buf != NULL) {
            size_t used_in = 0, got = 0;
            enum libdeflate_result r =
                libdeflate_gzip_decompress_ex(d, in, in_len, buf + pad, isize, &used_in, &got);
            libdeflate_free_decompressor(d);
            if (r == LIBDEFLATE_SUCCESS && used_in == in_len && got == isize) {
                *base = buf;
                *front = pad;
                *out_len = got;
                return CSF_OK;
            }
        } else {
            libdeflate_free_decompressor(d);
        }
        free(buf);
    }
    /* several members, a size beyond 4 GiB, or damage: zlib sorts it out */
    size_t guess = plausible ? isize : in_len * 4;
    return gunzip_zlib(path, in, in_len, guess, base, out_len, err);
}

void csf_io_advise_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (len < 4 * huge)
        return;
    uintptr_t b = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t e = ((uintptr_t)p + len) & ~(huge - 1);
    if (e > b)
        madvise((void *)b, e - b, MADV_HUGEPAGE);
#else
    (void)p;
    (void)len;
#endif
}

csf_status csf_io_blob_load(const char *path, csf_io_blob *blob, csf_error *err)
{
    memset(blob, 0, sizeof *blob);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return csf_error_set(err, CSF_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return csf_error_set(err, CSF_ERR_IO, "cannot read '%s': not a regular file", path);
    }
    if (sb.st_size == 0) {
        close(fd);
        return csf_error_set(err, CSF_ERR_FORMAT, "cannot read '%s': file is empty", path);
    }
    size_t flen = (size_t)sb.st_size;
    /* private writable mapping: in-place byte swapping never touches the file */
    void *map = mmap(NULL, flen, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    if (map == MAP_FAILED)
        return csf_error_set(err, CSF_ERR_IO, "cannot read '%s': %s", path, strerror(e));
    const uint8_t *p = map;
    if (flen >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
        madvise(map, flen, MADV_SEQUENTIAL);
        csf_status st = csf_io_gunzip(path, p, flen, &blob->base, &blob->front, &blob->len, err);
        munmap(map, flen);
        if (st != CSF_OK)
            return st;
        blob->data = blob->base + blob->front;
        blob->gzipped = 1;
        return CSF_OK;
    }
    blob->map = map;
    blob->map_len = flen;
    blob->data = map;
    blob->len = flen;
    return CSF_OK;
}

void csf_io_blob_release(csf_io_blob *blob)
{
    if (blob->map != NULL)
        munmap(blob->map, blob->map_len);
    else
        free(blob->base);
    memset(blob, 0, sizeof *blob);
}
