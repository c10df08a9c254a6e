/* Spec helpers: the command-line forms of findings and random pathology. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "phantom/ph_internal.h"

/* Splits `arg` at ':' into at most `max` fields copied into fields[][16]. */
static int split(const char *arg, char fields[4][16], int max)
{
    int n = 0;
    const char *p = arg;
    while (n < max) {
        const char *q = strchr(p, ':');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        if (len == 0 || len >= 16)
            return -1;
        memcpy(fields[n], p, len);
        fields[n][len] = '\0';
        n++;
        if (q == NULL)
            return n;
        p = q + 1;
    }
    return -1;
}

static int parse_side(const char *s)
{
    if (strcmp(s, "left") == 0 || strcmp(s, "L") == 0 || strcmp(s, "l") == 0)
        return CSF_PH_LEFT;
    if (strcmp(s, "right") == 0 || strcmp(s, "R") == 0 || strcmp(s, "r") == 0)
        return CSF_PH_RIGHT;
    return -1;
}

static int parse_num(const char *s, double lo, double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

csf_status csf_phantom_parse_leak(const char *arg, csf_phantom_leak *out, csf_error *err)
{
    char f[4][16];
    double g;
    if (arg == NULL || split(arg, f, 3) != 3)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "leak '%s' is not LEVEL:SIDE:GRADE", arg ? arg : "");
    int lvl = csf_phantom_level_index(f[0]), side = parse_side(f[1]);
    if (lvl < 1 || lvl > 24 || side < 0 || parse_num(f[2], 1, 3, &g) != 0 || g != (int)g)
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "leak '%s': want LEVEL C2..S1, SIDE left|right, GRADE 1..3", arg);
    out->level = lvl;
    out->side = side;
    out->grade = (int)g;
    return CSF_OK;
}

csf_status csf_phantom_parse_cyst(const char *arg, csf_phantom_cyst *out, csf_error *err)
{
    char f[4][16];
    int n = arg ? split(arg, f, 3) : -1;
    double size = 0;
    int lvl = n >= 2 ? csf_phantom_level_index(f[0]) : -1, side = n >= 2 ? parse_side(f[1]) : -1;
    if (n < 2 || lvl < 1 || lvl > 26 || side < 0 || (n == 3 && parse_num(f[2], 2, 30, &size) != 0))
        return csf_error_set(err, CSF_ERR_INVALID_ARG,
                             "cyst '%s': want LEVEL:SIDE[:SIZE_MM], LEVEL C2..S3, SIZE 2..30",
                             arg ? arg : "");
    out->level = lvl;
    out->side = side;
    out->size_mm = size;
    return CSF_OK;
}

csf_status csf_phantom_parse_slec(const char *arg, csf_phantom_spec *spec, csf_error *err)
{
    char f[4][16], lv[2][16];
    if (arg == NULL || split(arg, f, 2) != 2)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "slec '%s' is not FROM-TO:ventral|dorsal",
                             arg ? arg : "");
    const char *dash = strchr(f[0], '-');
    int dorsal = strcmp(f[1], "dorsal") == 0 ? 1 : strcmp(f[1], "ventral") == 0 ? 0 : -1;
    if (dash == NULL || dorsal < 0)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "slec '%s' is not FROM-TO:ventral|dorsal", arg);
    size_t l0 = (size_t)(dash - f[0]);
    memcpy(lv[0], f[0], l0);
    lv[0][l0] = '\0';
    memcpy(lv[1], dash + 1, strlen(dash + 1) + 1);
    int a = csf_phantom_level_index(lv[0]), b = csf_phantom_level_index(lv[1]);
    if (a < 1 || b > 24 || b < a)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "slec '%s': levels must run C2..S1, upper first", arg);
    spec->slec = 1;
    spec->slec_from = a;
    spec->slec_to = b;
    spec->slec_dorsal = dorsal;
    return CSF_OK;
}

int csf_phantom_orient_valid(const char *code)
{
    if (code == NULL || strlen(code) != 3)
        return 0;
    int seen[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        const char *p = strchr("RLAPSI", code[i]);
        if (p == NULL || code[i] == '\0')
            return 0;
        int ax = (int)(p - "RLAPSI") / 2;
        if (seen[ax]++)
            return 0;
    }
    return 1;
}

static int taken(const csf_phantom_spec *s, int level, int side)
{
    for (int i = 0; i < s->nleaks; i++)
        if (s->leaks[i].level == level && s->leaks[i].side == side)
            return 1;
    for (int i = 0; i < s->ncysts; i++)
        if (s->cysts[i].level == level && s->cysts[i].side == side)
            return 1;
    for (int i = 0; i < s->ndiverticula; i++)
        if (s->diverticula[i].level == level && s->diverticula[i].side == side)
            return 1;
    return 0;
}

/* Leak sites: thoracic most often, then lumbar, then cervical. */
static int random_leak_level(ph_rng *r)
{
    double u = ph_uniform(r);
    if (u < 0.2)
        return 1 + (int)(ph_uniform(r) * 6);  /* C2..C7 */
    if (u < 0.65)
        return 7 + (int)(ph_uniform(r) * 12); /* T1..T12 */
    return 19 + (int)(ph_uniform(r) * 6);     /* L1..S1 */
}

static int random_cyst_level(ph_rng *r)
{
    double u = ph_uniform(r);
    if (u < 0.4)
        return 24; /* S1 */
    if (u < 0.7)
        return 25; /* S2 */
    if (u < 0.8)
        return 26; /* S3 */
    return 7 + (int)(ph_uniform(r) * 17);
}

void csf_phantom_spec_randomize(csf_phantom_spec *s, uint64_t seed)
{
    ph_rng r = ph_rng_make(seed, 50);
    s->seed = seed;
    s->nleaks = s->ncysts = s->ndiverticula = 0;
    s->slec = 0;
    s->ectasia = ph_uniform(&r) < 0.05;
    int control = ph_uniform(&r) < 0.33;
    int nleaks = control ? 0 : 1 + (ph_uniform(&r) < 0.35) + (ph_uniform(&r) < 0.15);
    for (int tries = 0; s->nleaks < nleaks && tries < 50; tries++) {
        int lvl = random_leak_level(&r), side = ph_uniform(&r) < 0.5;
        if (taken(s, lvl, side))
            continue;
        csf_phantom_leak *lk = &s->leaks[s->nleaks++];
        lk->level = lvl, lk->side = side, lk->grade = 1 + (int)(ph_uniform(&r) * 3);
    }
    int ncysts = ph_uniform(&r) < 0.3 ? 1 + (ph_uniform(&r) < 0.3) : 0;
    for (int tries = 0; s->ncysts < ncysts && tries < 50; tries++) {
        int lvl = random_cyst_level(&r), side = ph_uniform(&r) < 0.5;
        if (taken(s, lvl, side))
            continue;
        csf_phantom_cyst *c = &s->cysts[s->ncysts++];
        c->level = lvl, c->side = side, c->size_mm = 0;
    }
    if (ph_uniform(&r) < 0.1) {
        int lvl = 7 + (int)(ph_uniform(&r) * 18), side = ph_uniform(&r) < 0.5;
        if (!taken(s, lvl, side)) {
            csf_phantom_cyst *c = &s->diverticula[s->ndiverticula++];
            c->level = lvl, c->side = side, c->size_mm = 0;
        }
    }
    if (!control && ph_uniform(&r) < 0.2) {
        s->slec = 1;
        s->slec_from = 5 + (int)(ph_uniform(&r) * 10);
        s->slec_to = s->slec_from + 2 + (int)(ph_uniform(&r) * 6);
        s->slec_to = s->slec_to > 22 ? 22 : s->slec_to;
        s->slec_dorsal = ph_uniform(&r) < 0.2;
    }
}

uint64_t csf_phantom_hash(uint64_t key, uint64_t counter) { return ph_hash(key, counter); }

double csf_phantom_uniform(uint64_t key, uint64_t *counter)
{
    ph_rng r = {key, *counter};
    double u = ph_uniform(&r);
    *counter = r.ctr;
    return u;
}
