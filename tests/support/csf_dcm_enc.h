#ifndef CSF_DCM_ENC_H
#define CSF_DCM_ENC_H
/* DICOM Part-10 encoding for test tooling (tests/support/csf_test_dicom.c and
 * plugins/orthanc/tools/nii2dcm.c): explicit VR little endian elements into a
 * growing buffer. csfleak itself never writes DICOM; it reads it through
 * dcm2niix. Test tooling only, not a general DICOM writer. */
#include <stddef.h>
#include <stdint.h>

#define CSF_DCM_TS_EXPLICIT_LE "1.2.840.10008.1.2.1"
#define CSF_DCM_MR_STORAGE "1.2.840.10008.5.1.4.1.1.4"

typedef struct csf_dcm_buf {
    uint8_t *p;
    size_t len, cap;
    int bad; /* an allocation failed: the buffer is incomplete */
} csf_dcm_buf;

void csf_dcm_put(csf_dcm_buf *b, const void *data, size_t n);
void csf_dcm_u16(csf_dcm_buf *b, unsigned v);
void csf_dcm_u32(csf_dcm_buf *b, size_t v);
/* One element; OB and OW take the long form; odd values are padded (UI and OB
 * with NUL, the rest with a space). */
void csf_dcm_elem(csf_dcm_buf *b, unsigned g, unsigned e, const char *vr, const void *val, size_t n);
void csf_dcm_str(csf_dcm_buf *b, unsigned g, unsigned e, const char *vr, const char *s);
void csf_dcm_us(csf_dcm_buf *b, unsigned g, unsigned e, unsigned v);
/* Preamble, "DICM" and the file meta group of an MR image with SOP instance
 * sop in transfer syntax ts. */
void csf_dcm_meta(csf_dcm_buf *b, const char *sop, const char *ts);
/* Writes the buffer to path and frees it; -1 when the buffer is incomplete or
 * the file cannot be written. */
int csf_dcm_save(csf_dcm_buf *b, const char *path);

#endif
