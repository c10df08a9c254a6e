/* Brain measurements from landmark points in world mm. Each measurement is the
 * plain geometric quantity the cited paper draws on a midsagittal image; with
 * 3D points we use the same construction in 3D, which equals the 2D value when
 * the points lie in one sagittal plane. */
#include <math.h>
#include <stddef.h>

#include "csfleak/sih.h"

static const struct {
    const char *name, *unit, *rule, *source;
    double threshold;
} MEASURES[CSF_BM_N] = {
    {"mamillopontine_distance", "mm", "<= 6.5 mm",
     "Dobrocky et al., JAMA Neurol 2019;76(5):580-587 (Bern score item)", 6.5},
    {"pontomesencephalic_angle", "deg", "< 50 deg",
     "Shah et al., AJR Am J Roentgenol 2013;200(2):400-407", 50.0},
    {"tonsillar_descent", "mm", ">= 5 mm below the basion-opisthion line",
     "Barkovich et al., AJNR 1986;7(5):795-799", 5.0},
    {"pituitary_height", "mm", "> 10 mm",
     "Elster, Radiology 1993;187(1):1-14 (upper normal height outside pregnancy)", 10.0},
};

const char *csf_brain_measure_name(int m) { return m >= 0 && m < CSF_BM_N ? MEASURES[m].name : "?"; }
const char *csf_brain_measure_unit(int m) { return m >= 0 && m < CSF_BM_N ? MEASURES[m].unit : "?"; }
const char *csf_brain_measure_rule(int m) { return m >= 0 && m < CSF_BM_N ? MEASURES[m].rule : "?"; }
const char *csf_brain_measure_source(int m) { return m >= 0 && m < CSF_BM_N ? MEASURES[m].source : "?"; }
double csf_brain_measure_threshold(int m) { return m >= 0 && m < CSF_BM_N ? MEASURES[m].threshold : NAN; }

static void sub3(const double a[3], const double b[3], double o[3])
{
    o[0] = a[0] - b[0];
    o[1] = a[1] - b[1];
    o[2] = a[2] - b[2];
}

static double dot3(const double a[3], const double b[3]) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

static int finite3(const double p[3]) { return isfinite(p[0]) && isfinite(p[1]) && isfinite(p[2]); }

static csf_status check_points(const double *const *p, const char *const *names, int n, csf_error *err)
{
    for (int i = 0; i < n; i++)
        if (!finite3(p[i]))
            return csf_error_set(err, CSF_ERR_INVALID_ARG, "landmark '%s' has a non-finite coordinate",
                                 names[i]);
    return CSF_OK;
}

/* Angle at the junction between the anterior midbrain and anterior pons rays. */
static csf_status pm_angle(const csf_brain_landmarks *lm, double *deg, csf_error *err)
{
    double a[3], b[3];
    sub3(lm->midbrain_ant, lm->pmj, a);
    sub3(lm->pons_ant, lm->pmj, b);
    double na = sqrt(dot3(a, a)), nb = sqrt(dot3(b, b));
    if (na < 1e-9 || nb < 1e-9)
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "landmark 'pmj' coincides with 'midbrain_ant' or 'pons_ant': angle undefined");
    double c = dot3(a, b) / (na * nb);
    c = c > 1 ? 1 : (c < -1 ? -1 : c);
    *deg = acos(c) * 180.0 / M_PI;
    return CSF_OK;
}

/* Perpendicular distance from the tonsil tip to the basion-opisthion (McRae)
 * line, positive when the tip lies inferior (smaller z) to its foot point. */
static csf_status tonsil_descent(const csf_brain_landmarks *lm, double *mm, csf_error *err)
{
    double u[3], r[3], perp[3];
    sub3(lm->opisthion, lm->basion, u);
    double nu = sqrt(dot3(u, u));
    if (nu < 1e-9)
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "landmarks 'basion' and 'opisthion' coincide: line undefined");
    for (int k = 0; k < 3; k++)
        u[k] /= nu;
    sub3(lm->tonsil_tip, lm->basion, r);
    double t = dot3(r, u);
    for (int k = 0; k < 3; k++)
        perp[k] = r[k] - t * u[k];
    double d = sqrt(dot3(perp, perp));
    *mm = perp[2] < 0 ? d : -d;
    return CSF_OK;
}

static double dist3(const double a[3], const double b[3])
{
    double d[3];
    sub3(a, b, d);
    return sqrt(dot3(d, d));
}

static void flag(csf_brain_measures *out, int m)
{
    double v = out->value[m], t = MEASURES[m].threshold;
    int f;
    switch (m) {
    case CSF_BM_MAMILLOPONTINE:
        f = v <= t;
        break;
    case CSF_BM_PMA:
        f = v < t;
        break;
    case CSF_BM_TONSIL:
        f = v >= t;
        break;
    default:
        f = v > t;
        break;
    }
    out->flagged[m] = f;
}

csf_status csf_brain_measure_all(const csf_brain_landmarks *lm, csf_brain_measures *out,
                                 csf_error *err)
{
    for (int m = 0; m < CSF_BM_N; m++) {
        out->value[m] = NAN;
        out->flagged[m] = -1;
    }
    const double *pts[10] = {lm->mamillary_body, lm->pons_top,   lm->midbrain_ant, lm->pmj,
                             lm->pons_ant,       lm->tonsil_tip, lm->basion,       lm->opisthion,
                             lm->pituitary_top,  lm->sella_floor};
    static const char *const names[10] = {"mamillary_body", "pons_top",  "midbrain_ant", "pmj",
                                          "pons_ant",       "tonsil_tip", "basion",      "opisthion",
                                          "pituitary_top",  "sella_floor"};
    static const unsigned group[10] = {CSF_LM_MAMILLOPONTINE, CSF_LM_MAMILLOPONTINE, CSF_LM_PMA,
                                       CSF_LM_PMA, CSF_LM_PMA, CSF_LM_TONSIL, CSF_LM_TONSIL,
                                       CSF_LM_TONSIL, CSF_LM_PITUITARY, CSF_LM_PITUITARY};
    for (int i = 0; i < 10; i++)
        if ((lm->have & group[i]) && check_points(&pts[i], &names[i], 1, err) != CSF_OK)
            return err ? err->code : CSF_ERR_INVALID_ARG;
    csf_brain_measures tmp = *out;
    if (lm->have & CSF_LM_MAMILLOPONTINE)
        tmp.value[CSF_BM_MAMILLOPONTINE] = dist3(lm->mamillary_body, lm->pons_top);
    if ((lm->have & CSF_LM_PMA) && pm_angle(lm, &tmp.value[CSF_BM_PMA], err) != CSF_OK)
        return CSF_ERR_INVALID_ARG;
    if ((lm->have & CSF_LM_TONSIL) && tonsil_descent(lm, &tmp.value[CSF_BM_TONSIL], err) != CSF_OK)
        return CSF_ERR_INVALID_ARG;
    if (lm->have & CSF_LM_PITUITARY)
        tmp.value[CSF_BM_PITUITARY] = dist3(lm->pituitary_top, lm->sella_floor);
    for (int m = 0; m < CSF_BM_N; m++)
        if (isfinite(tmp.value[m]))
            flag(&tmp, m);
    *out = tmp;
    return CSF_OK;
}
