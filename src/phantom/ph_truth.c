/* Ground truth JSON ("csfleak.truth/1"): the same shape as the analysis JSON.
 * Finding measurements come from sampling the continuous model, not from the
 * noisy image, so they are exact up to the sampling step. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/atomic.h"
#include "phantom/ph_internal.h"

static const char *const KIND[4] = {"leak", "perineural_cyst", "slec", "diverticulum"};
static const char *const SIDE[4] = {"left", "right", "ventral", "dorsal"};

/* The least fluid depth (mm along the slab) that makes a finding count as seen
 * in a 2D thick slab: the diameter of a root sleeve's tip (radius about 1 mm),
 * the thinnest CSF structure of the normal anatomy that every 2D image shows. */
#define PH_2D_SEEN_MM 2.0
#define PH_NCOL 512

typedef struct fmeas {
    double center[3], lat_mm, zlo, zhi, vol_ml;
    double slab_mm; /* 2D: the most fluid depth inside a slab along one line of sight */
    double lat_in_mm; /* 2D: lateral extent of the part inside a slab */
    size_t n;
} fmeas;

/* Whether q lies inside some station's box; shift is ph_slab_shift at q's z
 * (the composed 2D slab follows the canal). */
static int in_station(const csf_phantom *ph, const double q[3], double shift)
{
    double p[3] = {q[0], q[1] - shift, q[2]};
    for (size_t s = 0; s < ph->nstations; s++) {
        int in = 1;
        for (int k = 0; k < 3; k++)
            in &= p[k] >= ph->st_lo[s][k] && p[k] <= ph->st_hi[s][k];
        if (in)
            return 1;
    }
    return 0;
}

/* Samples finding f outside the sac on a regular grid over its bounding box. */
static void measure(const csf_phantom *ph, int f, fmeas *m)
{
    const ph_finding *fd = &ph->findings[f];
    double lo[3] = {1e9, 1e9, 1e9}, hi[3] = {-1e9, -1e9, -1e9};
    for (int i = 0; i < fd->nprims; i++)
        for (int k = 0; k < 3; k++) {
            lo[k] = fmin(lo[k], ph->prims[fd->first_prim + i].lo[k]);
            hi[k] = fmax(hi[k], ph->prims[fd->first_prim + i].hi[k]);
        }
    double vol = (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]);
    double step = fmax(0.5, cbrt(vol / 300000.0));
    memset(m, 0, sizeof *m);
    m->zlo = 1e9, m->zhi = -1e9;
    /* 2D: fluid depth inside the slab per line of sight (x column) of this z;
     * the 0.5 mm step spans 256 mm in PH_NCOL columns, wider than any finding */
    double depth[PH_NCOL];
    int slab = ph->spec.protocol == CSF_PH_2D;
    for (double z = lo[2] + step / 2; z < hi[2]; z += step) {
        ph_zrow tmp;
        const ph_zrow *w = ph_row(ph, z, &tmp);
        double shift = slab ? ph_slab_shift(ph, z) : 0;
        if (slab)
            memset(depth, 0, sizeof depth);
        for (double y = lo[1] + step / 2; y < hi[1]; y += step)
            for (double x = lo[0] + step / 2; x < hi[0]; x += step) {
                double q[3] = {x, y, z};
                if (ph_finding_occ(ph, f, q, step) < 0.5 || ph_sac_occ(ph, q, step) >= 0.5)
                    continue;
                size_t ix = (size_t)((x - lo[0]) / step);
                double lat = fabs(x - w->xc) - w->sa;
                if (slab && ix < PH_NCOL && in_station(ph, q, shift)) {
                    depth[ix] += step;
                    m->slab_mm = fmax(m->slab_mm, depth[ix]);
                    m->lat_in_mm = fmax(m->lat_in_mm, lat);
                }
                m->n++;
                m->center[0] += x, m->center[1] += y, m->center[2] += z;
                m->zlo = fmin(m->zlo, z), m->zhi = fmax(m->zhi, z);
                m->lat_mm = fmax(m->lat_mm, lat);
            }
    }
    if (m->n > 0)
        for (int k = 0; k < 3; k++)
            m->center[k] /= (double)m->n;
    m->vol_ml = (double)m->n * step * step * step / 1000.0;
    if (m->n == 0)
        m->zlo = m->zhi = 0;
}

/* A finding counts when its centre lies in a station. A 2D slab is a projection
 * along y: a finding whose centre lies behind (or in front of) the slab still
 * shows its whole coronal outline when part of it reaches into the slab (a
 * sacral cyst hanging behind the slab's posterior edge), so it counts too when
 * the slab shows it as the truth describes it: its centre inside the station in
 * x and z, at least PH_2D_SEEN_MM of its fluid along one line of sight, and its
 * lateral extent (what the grading scale reads) within PH_2D_SEEN_MM. A leak
 * whose streaks lie outside the slab and only its wedge inside is not counted. */
static int in_fov(const csf_phantom *ph, const fmeas *m)
{
    if (in_station(ph, m->center, ph_slab_shift(ph, m->center[2])))
        return 1;
    if (ph->spec.protocol != CSF_PH_2D || m->slab_mm < PH_2D_SEEN_MM ||
        m->lat_in_mm < m->lat_mm - PH_2D_SEEN_MM)
        return 0;
    for (size_t s = 0; s < ph->nstations; s++)
        if (m->center[0] >= ph->st_lo[s][0] && m->center[0] <= ph->st_hi[s][0] &&
            m->center[2] >= ph->st_lo[s][2] && m->center[2] <= ph->st_hi[s][2])
            return 1;
    return 0;
}

static int z_in_fov(const csf_phantom *ph, double z)
{
    for (size_t s = 0; s < ph->nstations; s++)
        if (z >= ph->st_lo[s][2] && z <= ph->st_hi[s][2])
            return 1;
    return 0;
}

static cJSON *vec3(const double v[3])
{
    double r[3];
    for (int k = 0; k < 3; k++)
        r[k] = floor(v[k] * 100 + 0.5) / 100;
    return cJSON_CreateDoubleArray(r, 3);
}

static double r2(double v) { return floor(v * 100 + 0.5) / 100; }

static cJSON *finding_json(const csf_phantom *ph, int f, int *visible)
{
    const ph_finding *fd = &ph->findings[f];
    fmeas m;
    measure(ph, f, &m);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", KIND[fd->kind]);
    if (fd->kind == 0)
        cJSON_AddNumberToObject(o, "grade", fd->grade);
    else
        cJSON_AddNullToObject(o, "grade");
    cJSON_AddStringToObject(o, "region", csf_phantom_region_name(csf_phantom_level_region(fd->level)));
    cJSON_AddStringToObject(o, "level", csf_phantom_level_name(fd->level));
    if (fd->kind == 2)
        cJSON_AddStringToObject(o, "level_to", csf_phantom_level_name(fd->level_to));
    cJSON_AddStringToObject(o, "side", SIDE[fd->side]);
    cJSON_AddItemToObject(o, "center_mm", vec3(m.center));
    cJSON_AddNumberToObject(o, "lateral_extent_mm", r2(m.lat_mm));
    cJSON_AddNumberToObject(o, "craniocaudal_extent_mm", r2(m.zhi - m.zlo));
    cJSON_AddNumberToObject(o, "volume_ml", floor(m.vol_ml * 1000 + 0.5) / 1000);
    if (fd->kind == 1 || fd->kind == 3)
        cJSON_AddNumberToObject(o, "size_mm", r2(fd->size_mm));
    ph_zrow tmp;
    double zl = fd->kind == 2 ? m.center[2] : ph->lv[fd->level].z_exit;
    cJSON_AddNumberToObject(o, "sac_width_mm", r2(2 * ph_row(ph, zl, &tmp)->sa));
    cJSON_AddNumberToObject(o, "label", CSF_PH_LABEL_FINDING + f);
    *visible = m.n > 0 && in_fov(ph, &m);
    cJSON_AddBoolToObject(o, "in_fov", *visible);
    return o;
}

static void add_regions(const csf_phantom *ph, cJSON *root, const int *visible, int *positive)
{
    int grade[3] = {0, 0, 0}, seen[3] = {0, 0, 0};
    for (int i = 1; i <= 24; i++)
        if (z_in_fov(ph, ph->lv[i].z_exit))
            seen[csf_phantom_level_region(i)] = 1;
    for (int f = 0; f < ph->nfindings; f++) {
        const ph_finding *fd = &ph->findings[f];
        if (fd->kind == 0 && visible[f]) {
            int rg = csf_phantom_level_region(fd->level);
            grade[rg] = fd->grade > grade[rg] ? fd->grade : grade[rg];
        }
    }
    cJSON *regions = cJSON_AddObjectToObject(root, "regions");
    for (int rg = 0; rg < 3; rg++) {
        cJSON *o = cJSON_AddObjectToObject(regions, csf_phantom_region_name(rg));
        if (seen[rg])
            cJSON_AddNumberToObject(o, "grade", grade[rg]);
        else
            cJSON_AddNullToObject(o, "grade");
        *positive |= seen[rg] && grade[rg] >= 1;
    }
}

static void add_anatomy(const csf_phantom *ph, cJSON *root)
{
    cJSON *lv = cJSON_AddObjectToObject(root, "levels");
    cJSON *sac = cJSON_AddObjectToObject(root, "sac");
    cJSON *ratio = cJSON_CreateObject();
    for (int i = 1; i <= 24; i++) {
        if (!ph->lv[i].has_sleeve)
            continue;
        cJSON_AddNumberToObject(lv, csf_phantom_level_name(i), r2(ph->lv[i].z_exit));
        ph_zrow tmp;
        double zm = 0.5 * (ph->lv[i].z_top + ph->lv[i].z_bot);
        const ph_zrow *w = ph_row(ph, zm, &tmp);
        cJSON *o = cJSON_AddObjectToObject(sac, csf_phantom_level_name(i));
        double c = cos(w->tilt);
        cJSON_AddNumberToObject(o, "z_mm", r2(zm));
        cJSON_AddNumberToObject(o, "transverse_mm", r2(2 * w->sa));
        cJSON_AddNumberToObject(o, "ap_mm", r2(2 * w->sb * c));
        cJSON_AddNumberToObject(o, "ap_axial_mm", r2(2 * w->sb));
        if (i >= 19 && w->bb > 0)
            cJSON_AddNumberToObject(ratio, csf_phantom_level_name(i), floor(w->sb / w->bb * 1000 + 0.5) / 1000);
    }
    /* vertebral segments (body + disc below) as [z_top, z_bottom] world mm */
    cJSON *vert = cJSON_AddObjectToObject(root, "vertebrae");
    for (int i = 0; i < CSF_PHANTOM_NLEVELS; i++) {
        double zz[2] = {r2(ph->lv[i].z_top), r2(ph->lv[i].z_bot)};
        cJSON_AddItemToObject(vert, csf_phantom_level_name(i), cJSON_CreateDoubleArray(zz, 2));
    }
    cJSON *ect = cJSON_AddObjectToObject(root, "ectasia");
    cJSON_AddBoolToObject(ect, "present", ph->spec.ectasia);
    cJSON_AddItemToObject(ect, "dural_sac_ratio", ratio);
    cJSON *an = cJSON_AddObjectToObject(root, "anatomy");
    cJSON_AddNumberToObject(an, "foramen_magnum_z_mm", r2(ph->z_fm));
    cJSON_AddNumberToObject(an, "sac_end_z_mm", r2(ph->z_end));
    cJSON_AddNumberToObject(an, "conus_z_mm", r2(ph->z_conus));
    cJSON_AddStringToObject(an, "conus_level", csf_phantom_level_name(ph_level_at_z(ph, ph->z_conus)));
    cJSON_AddNumberToObject(an, "csf_signal", r2(ph->gain));
}

static void add_input(const csf_phantom *ph, cJSON *root, const char *const *files)
{
    cJSON *in = cJSON_AddObjectToObject(root, "input");
    const csf_phantom_spec *s = &ph->spec;
    cJSON_AddStringToObject(in, "protocol", s->protocol == CSF_PH_2D ? "2d" : "3d");
    cJSON_AddStringToObject(in, "orient", s->orient);
    cJSON_AddNumberToObject(in, "snr", s->snr);
    cJSON_AddBoolToObject(in, "bias", s->bias);
    cJSON *st = cJSON_AddArrayToObject(in, "stations");
    for (size_t i = 0; i < ph->nstations; i++) {
        cJSON *o = cJSON_CreateObject();
        if (files && files[i])
            cJSON_AddStringToObject(o, "file", files[i]);
        cJSON_AddItemToObject(o, "fov_lo_mm", vec3(ph->st_lo[i]));
        cJSON_AddItemToObject(o, "fov_hi_mm", vec3(ph->st_hi[i]));
        cJSON_AddItemToArray(st, o);
    }
    cJSON *gen = cJSON_AddObjectToObject(root, "generator");
    cJSON_AddStringToObject(gen, "program", "csfleak phantom");
    cJSON_AddStringToObject(gen, "version", CSF_VERSION);
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)s->seed);
    cJSON_AddStringToObject(gen, "seed", seed);
}

csf_status csf_phantom_truth_json(const csf_phantom *ph, const char *const *station_files,
                                  char **out, csf_error *err)
{
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "phantom: out of memory for the truth");
    cJSON_AddStringToObject(root, "schema", "csfleak.truth/1");
    int visible[CSF_PHANTOM_MAX_LEAKS + CSF_PHANTOM_MAX_CYSTS + CSF_PHANTOM_MAX_DIVERTICULA + 1];
    cJSON *fa = cJSON_CreateArray();
    int slec = -1;
    for (int f = 0; f < ph->nfindings; f++) {
        cJSON_AddItemToArray(fa, finding_json(ph, f, &visible[f]));
        if (ph->findings[f].kind == 2 && visible[f])
            slec = f;
    }
    int positive = slec >= 0;
    cJSON *regions = cJSON_CreateObject();
    add_regions(ph, regions, visible, &positive);
    cJSON_AddBoolToObject(root, "positive", positive);
    cJSON_AddItemToObject(root, "regions", cJSON_DetachItemFromObject(regions, "regions"));
    cJSON_Delete(regions);
    cJSON *so = cJSON_AddObjectToObject(root, "slec");
    cJSON_AddBoolToObject(so, "present", slec >= 0);
    if (slec >= 0) {
        cJSON_AddStringToObject(so, "from", csf_phantom_level_name(ph->findings[slec].level));
        cJSON_AddStringToObject(so, "to", csf_phantom_level_name(ph->findings[slec].level_to));
        cJSON_AddStringToObject(so, "side", SIDE[ph->findings[slec].side]);
    }
    cJSON_AddItemToObject(root, "findings", fa);
    add_anatomy(ph, root);
    add_input(ph, root, station_files);
    char *txt = cJSON_Print(root);
    cJSON_Delete(root);
    if (txt == NULL)
        return csf_error_set(err, CSF_ERR_NOMEM, "phantom: out of memory printing the truth");
    *out = txt;
    return CSF_OK;
}

csf_status csf_phantom_write_truth(const csf_phantom *ph, const char *path,
                                   const char *const *station_files, csf_error *err)
{
    char *txt = NULL;
    csf_status st = csf_phantom_truth_json(ph, station_files, &txt, err);
    if (st != CSF_OK)
        return st;
    size_t len = strlen(txt);
    txt[len] = '\n'; /* replace the terminator: the file ends with a newline */
    st = csf_atomic_write(path, txt, len + 1, err);
    free(txt);
    if (st != CSF_OK)
        csf_error_prefix(err, "cannot write truth '%s'", path);
    return st;
}
