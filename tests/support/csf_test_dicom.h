#ifndef CSF_TEST_DICOM_H
#define CSF_TEST_DICOM_H
/* A tiny DICOM Part-10 writer for tests: one MR slice per file, explicit VR
 * little endian, uncompressed signed 16-bit pixels. Geometry in DICOM LPS mm. */
#include <stddef.h>
#include <stdint.h>

typedef struct csf_test_series {
    size_t cols, rows, slices;
    double row_dir[3];     /* LPS unit vector along a row (increasing column) */
    double col_dir[3];     /* LPS unit vector down a column (increasing row) */
    double ipp0[3];        /* ImagePositionPatient of slice 0, pixel (0,0) */
    double slice_step[3];  /* LPS mm from one slice to the next */
    double row_spacing;    /* mm between rows (PixelSpacing[0]) */
    double col_spacing;    /* mm between columns (PixelSpacing[1]) */
    const int16_t *pixels; /* [slice][row][col] */
} csf_test_series;

/* Writes dir/slice_NNN.dcm for every slice; InstanceNumber runs opposite to the
 * slice position, so a reader must sort by position. 0 on success. */
int csf_test_write_dicom_series(const char *dir, const csf_test_series *s);
/* The same with AcquisitionTime (0008,0032) = acq_time (DICOM TM,
 * "HHMMSS.FFFFFF") in every slice; NULL writes none. */
int csf_test_write_dicom_series_at(const char *dir, const csf_test_series *s,
                                   const char *acq_time);

#endif
