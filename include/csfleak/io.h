#ifndef CSFLEAK_IO_H
#define CSFLEAK_IO_H
/* Reading and writing volumes and images. Every reader names the file in its
 * error message; every writer is atomic (temp file + rename). */
#include <stddef.h>
#include <stdint.h>
#include "csfleak/error.h"
#include "csfleak/exec.h"
#include "csfleak/volume.h"

/* How a loaded volume relates to the file it came from. Loading reorients to
 * canonical RAS by permuting/flipping axes (no resampling); this record lets
 * outputs be written back on the file's own grid and affine. */
typedef struct csf_io_source {
    char path[1024];           /* as given by the user */
    char format[16];           /* "nifti1", "nifti2", "dicom" */
    char datatype[16];         /* stored datatype, e.g. "int16", "uint8", "float32" */
    char orient[4];            /* storage axis code of the file, e.g. "PSR", "LPS" */
    size_t dim[4];             /* file's own dims (i,j,k,t) */
    double affine[4][4];       /* file's own voxel -> RAS mm (sform, else qform, else pixdim) */
    int perm[3];               /* canonical axis a came from file axis perm[a] */
    int flip[3];               /* 1 when canonical axis a runs opposite to file axis perm[a] */
    double tr_s;               /* repetition / frame time in s from the header, 0 if unknown */
    char xform_source[8];      /* "sform", "qform" or "pixdim" */
} csf_io_source;

/* Reads a .nii, .nii.gz (NIfTI-1 or -2) file, or a DICOM series directory
 * (through dcm2niix into a private temp dir that is always removed). Reads
 * exactly the path given. Voxels become float32 with scl_slope/inter applied;
 * the grid is reoriented to canonical RAS. `src` may be NULL.
 * Errors (CSF_ERR_IO, CSF_ERR_FORMAT, CSF_ERR_UNSUPPORTED, CSF_ERR_EXTERNAL)
 * name the file and the problem. *out set only on CSF_OK. */
csf_status csf_io_read(const char *path, const csf_exec *ex, csf_volume **out,
                       csf_io_source *src, csf_error *err);

/* The same, restricted to one NIfTI file (.nii or .nii.gz; gzip is detected by
 * content, never by guessing a neighbouring file name). */
csf_status csf_io_read_nifti(const char *path, const csf_exec *ex, csf_volume **out,
                             csf_io_source *src, csf_error *err);

/* A DICOM series directory: dcm2niix (fork/execvp, no shell) converts it into a
 * private mkdtemp directory (under $TMPDIR, else /tmp), which is removed on
 * every path. CSF_ERR_EXTERNAL when dcm2niix fails or is missing;
 * CSF_ERR_UNSUPPORTED for a transfer syntax it cannot decode (JPEG-LS in
 * Debian's build; the UID is named) or a directory holding several series;
 * CSF_ERR_FORMAT when it finds no image (exit 2).
 * src->format is "dicom" and src->path the directory. */
csf_status csf_io_read_dicom(const char *dir, const csf_exec *ex, csf_volume **out,
                             csf_io_source *src, csf_error *err);
/* The JSON sidecar beside an image (x.nii or x.nii.gz -> x.json, as dcm2niix
 * writes it), read whole into a NUL-terminated buffer the caller frees. Its
 * path goes to name (nlen bytes; "" when image is not a .nii[.gz]). NULL when
 * there is none, it cannot be read, or it is 16 MB or more: a sidecar is
 * optional, so its absence is not an error. */
char *csf_io_read_sidecar(const char *image, char *name, size_t nlen);

/* csf_io_read_dicom that also hands back the BIDS sidecar JSON dcm2niix wrote
 * beside the volume (-b y: AcquisitionTime, and per-volume times such as
 * FrameTimesStart for some series): *sidecar is its text (malloc'd, caller
 * frees) or NULL when there was none. sidecar may be NULL. */
csf_status csf_io_read_dicom_sidecar(const char *dir, const csf_exec *ex, csf_volume **out,
                                     csf_io_source *src, char **sidecar, csf_error *err);

/* Several stations of one spine (e.g. cervicothoracic + thoracolumbar) merged
 * into one world grid: the union bounding box of the inputs (axis-aligned in
 * RAS), the finest voxel size of the inputs per axis, trilinear sampling of
 * each station, and where stations overlap a linear feather weight (distance
 * in voxels to the station's own edge) blends them. Voxels no station covers
 * are 0. Frame 0 only. n == 1 returns the single volume as read. */
csf_status csf_io_read_stations(const char *const *paths, size_t n, const csf_exec *ex,
                                csf_volume **out, csf_error *err);

/* The merge of csf_io_read_stations on volumes already read (canonical, as
 * csf_io_read returns them; n >= 1, each affine invertible). The inputs stay
 * the caller's. *out set only on CSF_OK. */
csf_status csf_io_merge_stations(const csf_volume *const *v, size_t n, const csf_exec *ex,
                                 csf_volume **out, csf_error *err);

/* A canonical volume (as csf_io_read returned it, any number of frames, e.g. a
 * label map computed from it) put back on the file's own grid: dims
 * src->dim[0..2], affine src->affine. CSF_ERR_INVALID_ARG when the dims do not
 * match the source. *out set only on CSF_OK. */
csf_status csf_io_to_source(const csf_volume *vol, const csf_io_source *src, csf_volume **out,
                            const csf_exec *ex, csf_error *err);

/* Stored datatype for writing. */
typedef enum csf_dtype { CSF_DT_FLOAT32 = 0, CSF_DT_INT16, CSF_DT_UINT8, CSF_DT_UINT16 } csf_dtype;

/* Writes vol (all frames) as NIfTI-1 (.nii or .nii.gz by suffix) with the
 * volume's affine as sform and qform; integer types are rounded and clamped,
 * NaN becomes 0. Atomic: temp file beside the target, then rename. */
csf_status csf_io_write_nifti(const char *path, const csf_volume *vol, csf_dtype dtype,
                              csf_error *err);

/* csf_io_to_source + csf_io_write_nifti: writes a label map or overlay so it
 * overlays the input file in any viewer. */
csf_status csf_io_write_nifti_source(const char *path, const csf_volume *vol,
                                     const csf_io_source *src, csf_dtype dtype,
                                     const csf_exec *ex, csf_error *err);

/* 8-bit PNG, rows top to bottom; channels 1 (gray) or 3 (RGB). */
csf_status csf_io_write_png(const char *path, const uint8_t *pixels, size_t width,
                            size_t height, int channels, csf_error *err);
/* The same into a malloc'd buffer (for inline HTML images); caller frees *out. */
csf_status csf_io_encode_png(const uint8_t *pixels, size_t width, size_t height, int channels,
                             uint8_t **out, size_t *out_len, csf_error *err);

/* Frame-by-frame reading of a (4-D) NIfTI file, .nii or .nii.gz: only one
 * frame is held (the raw bytes and one float frame on the canonical RAS grid,
 * reused from call to call). For time series too large to load whole. */
typedef struct csf_io_frames csf_io_frames;
/* Reads the header; src (may be NULL) as csf_io_read fills it, dim[3] = frames.
 * Errors name the file. *out set only on CSF_OK. */
csf_status csf_io_frames_open(const char *path, csf_io_frames **out, csf_io_source *src,
                              csf_error *err);
/* Number of frames (dim[3] of the file). */
size_t csf_io_frames_count(const csf_io_frames *fr);
/* Next frame into *frame (owned by the reader, valid until the next call or
 * close; the caller may modify its data). CSF_ERR_FORMAT on truncation. */
csf_status csf_io_frames_next(csf_io_frames *fr, csf_volume **frame, const csf_exec *ex,
                              csf_error *err);
/* NULL is a no-op. */
void csf_io_frames_close(csf_io_frames *fr);

#endif
