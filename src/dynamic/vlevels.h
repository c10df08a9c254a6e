#ifndef CSFLEAK_DYN_VLEVELS_H
#define CSFLEAK_DYN_VLEVELS_H
/* Craniocaudal bone profiles of a reference frame for level finding
 * (vprof.c -> vfind.c); not public API. */
#include <stddef.h>

#include "csfleak/dynamic.h"

typedef struct dyn_vprof {
    size_t n;          /* slices (CT) or rows (DSM) along the craniocaudal axis k */
    double dz;         /* mm per k step */
    double z0, dzdk;   /* world z at k = 0 on the column, and its change per k */
    int caudal_up;     /* 1: k = 0 is the caudal end */
    double *body;      /* mean bone signal in the vertebral bodies' core (HU or -ln I) */
    double *rib;       /* rib evidence: CT bone area (mm2) lateral and anterior of the
                          transverse processes; DSM attenuation beyond them */
    double *ala;       /* lateral bone beside the body (sacral alae) */
    double min_depth;  /* smallest disc dip worth taking (signal units) */
    double rib_min;    /* smallest rib evidence taken as a rib */
    double ala_min;    /* smallest mean ala evidence of a sacrum */
} dyn_vprof;

/* Fills *p from frame 0 of ref (CT in HU, 3-D axial; DSM -ln I, 2-D). When
 * the image cannot be used (not axial, too short, no bone), `why` gets the
 * reason and p holds nothing to release. CSF_ERR_NOMEM only. */
csf_status csf_dyn_vprof_make(const csf_volume *ref, csf_dyn_modality m, dyn_vprof *p,
                              char *why, size_t why_len, csf_error *err);
void csf_dyn_vprof_release(dyn_vprof *p);

#endif
