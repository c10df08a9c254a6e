#include "support/csf_test_dicom.h"
#include "support/csf_dcm_enc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int write_slice(const char *dir, const csf_test_series *s, size_t k, int inst,
                       const char *acq_time)
{
    char sop[64], txt[256], path[600];
    snprintf(sop, sizeof sop, "1.2.826.0.1.3680043.9.7777.3.%zu", k + 1);
    csf_dcm_buf b = {0};
    csf_dcm_meta(&b, sop, CSF_DCM_TS_EXPLICIT_LE);
    csf_dcm_str(&b, 0x0008, 0x0008, "CS", "ORIGINAL\\PRIMARY\\M\\ND");
    csf_dcm_str(&b, 0x0008, 0x0016, "UI", CSF_DCM_MR_STORAGE);
    csf_dcm_str(&b, 0x0008, 0x0018, "UI", sop);
    csf_dcm_str(&b, 0x0008, 0x0020, "DA", "20240101");
    if (acq_time != NULL) /* dcm2niix reports the time only with a date */
        csf_dcm_str(&b, 0x0008, 0x0022, "DA", "20240101");
    csf_dcm_str(&b, 0x0008, 0x0030, "TM", "120000");
    if (acq_time != NULL)
        csf_dcm_str(&b, 0x0008, 0x0032, "TM", acq_time);
    csf_dcm_str(&b, 0x0008, 0x0060, "CS", "MR");
    csf_dcm_str(&b, 0x0008, 0x0070, "LO", "csfleak-test");
    csf_dcm_str(&b, 0x0008, 0x103E, "LO", "T2 SAG TEST");
    csf_dcm_str(&b, 0x0010, 0x0010, "PN", "Phantom^Test");
    csf_dcm_str(&b, 0x0010, 0x0020, "LO", "CSFTEST01");
    double step = 0;
    for (int a = 0; a < 3; a++)
        step += s->slice_step[a] * s->slice_step[a];
    snprintf(txt, sizeof txt, "%.6f", step > 0 ? __builtin_sqrt(step) : 1.0);
    csf_dcm_str(&b, 0x0018, 0x0050, "DS", txt);
    csf_dcm_str(&b, 0x0018, 0x0088, "DS", txt);
    csf_dcm_str(&b, 0x0020, 0x000D, "UI", "1.2.826.0.1.3680043.9.7777.1.1");
    csf_dcm_str(&b, 0x0020, 0x000E, "UI", "1.2.826.0.1.3680043.9.7777.2.1");
    csf_dcm_str(&b, 0x0020, 0x0011, "IS", "7");
    snprintf(txt, sizeof txt, "%d", inst);
    csf_dcm_str(&b, 0x0020, 0x0013, "IS", txt);
    double ipp[3];
    for (int a = 0; a < 3; a++)
        ipp[a] = s->ipp0[a] + (double)k * s->slice_step[a];
    snprintf(txt, sizeof txt, "%.6f\\%.6f\\%.6f", ipp[0], ipp[1], ipp[2]);
    csf_dcm_str(&b, 0x0020, 0x0032, "DS", txt);
    snprintf(txt, sizeof txt, "%.6f\\%.6f\\%.6f\\%.6f\\%.6f\\%.6f", s->row_dir[0], s->row_dir[1],
             s->row_dir[2], s->col_dir[0], s->col_dir[1], s->col_dir[2]);
    csf_dcm_str(&b, 0x0020, 0x0037, "DS", txt);
    csf_dcm_str(&b, 0x0020, 0x0052, "UI", "1.2.826.0.1.3680043.9.7777.4.1");
    csf_dcm_us(&b, 0x0028, 0x0002, 1);
    csf_dcm_str(&b, 0x0028, 0x0004, "CS", "MONOCHROME2");
    csf_dcm_us(&b, 0x0028, 0x0010, (uint16_t)s->rows);
    csf_dcm_us(&b, 0x0028, 0x0011, (uint16_t)s->cols);
    snprintf(txt, sizeof txt, "%.6f\\%.6f", s->row_spacing, s->col_spacing);
    csf_dcm_str(&b, 0x0028, 0x0030, "DS", txt);
    csf_dcm_us(&b, 0x0028, 0x0100, 16);
    csf_dcm_us(&b, 0x0028, 0x0101, 16);
    csf_dcm_us(&b, 0x0028, 0x0102, 15);
    csf_dcm_us(&b, 0x0028, 0x0103, 1);
    size_t np = s->rows * s->cols;
    csf_dcm_elem(&b, 0x7FE0, 0x0010, "OW", s->pixels + k * np, np * 2);
    snprintf(path, sizeof path, "%s/slice_%03zu.dcm", dir, k);
    return csf_dcm_save(&b, path);
}

int csf_test_write_dicom_series_at(const char *dir, const csf_test_series *s,
                                   const char *acq_time)
{
    for (size_t k = 0; k < s->slices; k++) {
        /* instance numbers run against the slice positions, as on many scanners */
        int inst = (int)(s->slices - k);
        if (write_slice(dir, s, k, inst, acq_time) != 0)
            return -1;
    }
    return 0;
}

int csf_test_write_dicom_series(const char *dir, const csf_test_series *s)
{
    return csf_test_write_dicom_series_at(dir, s, NULL);
}
