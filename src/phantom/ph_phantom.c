/* Phantom lifecycle: validate the spec, build the model, lay out the fields of
 * view of the stations. */
#include <stdlib.h>
#include <string.h>

#include "phantom/ph_internal.h"

void csf_phantom_spec_init(csf_phantom_spec *spec, uint64_t seed)
{
    memset(spec, 0, sizeof *spec);
    spec->seed = seed;
    spec->mimics = 1;
    spec->protocol = CSF_PH_3D;
    spec->stations = 1;
    memcpy(spec->orient, "RAS", 4);
    spec->snr = 30.0;
    spec->bias = 1;
}

static csf_status check_site(const csf_phantom_spec *s, int level, int side, int lo, int hi,
                             const char *what, int *used, csf_error *err)
{
    if (level < lo || level > hi)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "%s level %s is outside %s..%s", what,
                             level >= 0 ? csf_phantom_level_name(level) : "?",
                             csf_phantom_level_name(lo), csf_phantom_level_name(hi));
    if (side != CSF_PH_LEFT && side != CSF_PH_RIGHT)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "%s side must be left or right", what);
    if (used[level * 2 + side]++)
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "two findings at %s %s; one per level and side",
                             csf_phantom_level_name(level), side ? "right" : "left");
    (void)s;
    return CSF_OK;
}

static csf_status validate(const csf_phantom_spec *s, csf_error *err)
{
    int used[2 * CSF_PHANTOM_NLEVELS] = {0};
    if (s->nleaks < 0 || s->nleaks > CSF_PHANTOM_MAX_LEAKS || s->ncysts < 0 ||
        s->ncysts > CSF_PHANTOM_MAX_CYSTS || s->ndiverticula < 0 ||
        s->ndiverticula > CSF_PHANTOM_MAX_DIVERTICULA)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "too many findings");
    csf_status st = CSF_OK;
    for (int i = 0; i < s->nleaks && st == CSF_OK; i++) {
        st = check_site(s, s->leaks[i].level, s->leaks[i].side, 1, 24, "leak", used, err);
        if (st == CSF_OK && (s->leaks[i].grade < 1 || s->leaks[i].grade > 3))
            st = csf_error_set(err, CSF_ERR_INVALID_ARG, "leak grade %d is not 1..3",
                               s->leaks[i].grade);
    }
    for (int i = 0; i < s->ncysts && st == CSF_OK; i++) {
        st = check_site(s, s->cysts[i].level, s->cysts[i].side, 1, 26, "cyst", used, err);
        if (st == CSF_OK && (s->cysts[i].size_mm < 0 || s->cysts[i].size_mm > 30))
            st = csf_error_set(err, CSF_ERR_INVALID_ARG, "cyst size %g mm is not 0..30",
                               s->cysts[i].size_mm);
    }
    for (int i = 0; i < s->ndiverticula && st == CSF_OK; i++)
        st = check_site(s, s->diverticula[i].level, s->diverticula[i].side, 1, 24, "diverticulum",
                        used, err);
    if (st == CSF_OK && s->slec &&
        (s->slec_from < 1 || s->slec_to > 24 || s->slec_from > s->slec_to))
        st = csf_error_set(err, CSF_ERR_INVALID_ARG, "SLEC levels must run C2..S1, from above to below");
    if (st == CSF_OK && s->stations != 1 && s->stations != 2)
        st = csf_error_set(err, CSF_ERR_INVALID_ARG, "stations must be 1 or 2");
    if (st == CSF_OK && !csf_phantom_orient_valid(s->orient))
        st = csf_error_set(err, CSF_ERR_INVALID_ARG, "orientation '%.3s' is not a 3-letter axis code",
                           s->orient);
    for (int a = 0; a < 3 && st == CSF_OK; a++)
        if (!(s->voxel_mm[a] == 0 || (s->voxel_mm[a] >= 0.2 && s->voxel_mm[a] <= 20)))
            st = csf_error_set(err, CSF_ERR_INVALID_ARG, "voxel size %g mm is not 0.2..20",
                               s->voxel_mm[a]);
    if (st == CSF_OK && !(fabs(s->tilt_deg) <= 30))
        st = csf_error_set(err, CSF_ERR_INVALID_ARG, "tilt %g degrees is not -30..30", s->tilt_deg);
    if (st == CSF_OK && s->crop && !(s->crop_z_mm[1] - s->crop_z_mm[0] >= 5))
        st = csf_error_set(err, CSF_ERR_INVALID_ARG, "crop z range is empty");
    return st;
}

static void fov_layout(csf_phantom *ph)
{
    double xs = 0, ylo = 1e9, yhi = -1e9;
    size_t n = 0;
    for (size_t k = 0; k < ph->nz; k++) {
        double z = ph->zmin + PH_DZ * (double)k;
        if (z < ph->z_end || z > ph->z_fm)
            continue;
        xs += ph->tab[k].xc;
        ylo = fmin(ylo, ph->tab[k].yc);
        yhi = fmax(yhi, ph->tab[k].yc);
        n++;
    }
    xs /= (double)(n ? n : 1);
    double lo[3] = {xs - 110, ylo - 65, ph->z_end - 35}, hi[3] = {xs + 110, yhi + 85, ph->z_fm + 35};
    if (ph->spec.crop) {
        lo[2] = fmax(lo[2], ph->spec.crop_z_mm[0]);
        hi[2] = fmin(hi[2], ph->spec.crop_z_mm[1]);
    }
    memcpy(ph->fov_lo, lo, sizeof lo);
    memcpy(ph->fov_hi, hi, sizeof hi);
    ph->nstations = (size_t)ph->spec.stations;
    for (int s = 0; s < 2; s++) {
        memcpy(ph->st_lo[s], lo, sizeof lo);
        memcpy(ph->st_hi[s], hi, sizeof hi);
    }
    if (ph->spec.protocol == CSF_PH_2D) {
        /* coronal 270 mm field of view; a 50 mm slab centred on the canal */
        for (int s = 0; s < 2; s++)
            ph->st_lo[s][0] = xs - 135, ph->st_hi[s][0] = xs + 135;
        if (ph->nstations == 2) {
            ph->st_hi[0][2] = ph->z_fm + 15;
            ph->st_lo[0][2] = ph->st_hi[0][2] - 270;
            ph->st_lo[1][2] = fmax(ph->z_end - 15, ph->st_lo[0][2] + 20 - 270);
            ph->st_hi[1][2] = ph->st_lo[1][2] + 270;
        }
        for (int s = 0; s < 2; s++) {
            double ym = 0;
            size_t m = 0;
            for (size_t k = 0; k < ph->nz; k++) {
                double z = ph->zmin + PH_DZ * (double)k;
                if (z < fmax(ph->st_lo[s][2], ph->z_end) || z > fmin(ph->st_hi[s][2], ph->z_fm))
                    continue;
                ym += ph->tab[k].yc, m++;
            }
            ym /= (double)(m ? m : 1);
            ph->st_lo[s][1] = ym - 25, ph->st_hi[s][1] = ym + 25;
        }
    } else if (ph->nstations == 2) { /* cervicothoracic to T11/T12, thoracolumbar from T4 */
        ph->st_lo[0][2] = fmax(lo[2], ph->lv[17].z_bot);
        ph->st_hi[1][2] = fmin(hi[2], ph->lv[10].z_top);
    }
}

/* A one-station 2D image is a composition of overlapping 270 mm stations, each
 * with its slab on the canal: the slab centre follows the spine's mean AP
 * position over +-135 mm (the station grid's y origin is the overall mean). */
double ph_slab_shift(const csf_phantom *ph, double z)
{
    if (ph->spec.protocol != CSF_PH_2D || ph->nstations != 1)
        return 0;
    double sum = 0, mid = 0.5 * (ph->st_lo[0][1] + ph->st_hi[0][1]);
    size_t n = 0;
    for (double zz = fmax(z - 135, ph->z_end); zz <= fmin(z + 135, ph->z_fm); zz += 2.0) {
        ph_zrow tmp;
        sum += ph_row(ph, zz, &tmp)->yc;
        n++;
    }
    return n ? sum / (double)n - mid : 0;
}

csf_status csf_phantom_new(const csf_phantom_spec *spec, csf_phantom **out, csf_error *err)
{
    if (spec == NULL || out == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_phantom_new: NULL argument");
    csf_status st = validate(spec, err);
    if (st != CSF_OK)
        return st;
    csf_phantom *ph = calloc(1, sizeof *ph);
    if (ph == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory");
    ph->spec = *spec;
    st = ph_anatomy_build(ph, err);
    if (st == CSF_OK)
        st = ph_structures_build(ph, err);
    if (st == CSF_OK)
        st = ph_mimics_build(ph, err);
    if (st == CSF_OK)
        st = ph_pathology_build(ph, err);
    if (st == CSF_OK)
        st = ph_inner_build(ph, err);
    if (st == CSF_OK)
        st = ph_bins_build(ph, err);
    if (st != CSF_OK) {
        csf_phantom_free(ph);
        return st;
    }
    ph_rng r = ph_rng_make(spec->seed, 20);
    for (int i = 0; i < 10; i++)
        ph->bias_c[i] = ph_range(&r, -1, 1) * (i < 3 ? 0.12 : 0.06);
    fov_layout(ph);
    for (size_t i = 0; i < ph->nstations; i++)
        if (!(ph->st_hi[i][2] - ph->st_lo[i][2] >= 5)) {
            csf_phantom_free(ph);
            return csf_error_set(err, CSF_ERR_INVALID_ARG,
                                 "the crop leaves station %zu without the spine", i + 1);
        }
    *out = ph;
    return CSF_OK;
}

void csf_phantom_free(csf_phantom *ph)
{
    if (ph == NULL)
        return;
    free(ph->tab);
    free(ph->prims);
    free(ph->binoff);
    free(ph->binidx);
    free(ph);
}

size_t csf_phantom_nstations(const csf_phantom *ph) { return ph->nstations; }
