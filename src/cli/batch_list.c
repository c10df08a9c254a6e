/* The study list of `csfleak batch`: directory tree, BIDS dataset or CSV manifest. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "csfleak/stats.h"

#define MAX_DEPTH 32

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static int is_nifti(const char *name)
{
    return ends_with(name, ".nii") || ends_with(name, ".nii.gz");
}

/* Name without .nii / .nii.gz, into buf. */
static void stem_of(const char *name, char *buf, size_t n)
{
    size_t len = strlen(name);
    if (ends_with(name, ".nii.gz"))
        len -= 7;
    else if (ends_with(name, ".nii"))
        len -= 4;
    snprintf(buf, n, "%.*s", (int)len, name);
}

/* Ids become directory names: keep [A-Za-z0-9._-], map the rest (and a leading '.') to '_'. */
static void sanitize(char *id)
{
    for (char *p = id; *p; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                 *p == '-' || *p == '_' || (*p == '.' && p != id);
        if (!ok)
            *p = '_';
    }
}

static csf_status push(csf_batch_list *l, const char *id, const char *path, const char *truth,
                       csf_error *err)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 64;
        csf_batch_study *ns = realloc(l->s, nc * sizeof *ns);
        if (ns == NULL)
            return csf_error_set(err, CSF_ERR_NOMEM, "out of memory listing studies");
        l->s = ns;
        l->cap = nc;
    }
    csf_batch_study *s = &l->s[l->n];
    s->id = strdup(id);
    s->path = strdup(path);
    s->truth = truth ? strdup(truth) : NULL;
    if (!s->id || !s->path || (truth && !s->truth)) {
        free(s->id);
        free(s->path);
        free(s->truth);
        return csf_error_set(err, CSF_ERR_NOMEM, "out of memory listing studies");
    }
    sanitize(s->id);
    if (s->id[0] == '\0') {
        free(s->id);
        s->id = strdup("_");
    }
    l->n++;
    return CSF_OK;
}

void csf_batch_list_release(csf_batch_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->s[i].id);
        free(l->s[i].path);
        free(l->s[i].truth);
    }
    free(l->s);
    memset(l, 0, sizeof *l);
}

static int cmp_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_hidden(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static int file_is_dicom(const char *path)
{
    if (ends_with(path, ".dcm") || ends_with(path, ".DCM"))
        return 1;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return 0;
    char buf[132];
    int yes = fread(buf, 1, sizeof buf, fp) == sizeof buf && memcmp(buf + 128, "DICM", 4) == 0;
    fclose(fp);
    return yes;
}

/* A DICOM series directory holds DICOM files directly; the first few files decide. */
static int dir_is_dicom(const char *dir)
{
    struct dirent **ents = NULL;
    int n = scandir(dir, &ents, not_hidden, cmp_name), yes = 0, looked = 0;
    for (int i = 0; i < n; i++) {
        char p[4096];
        struct stat sb;
        csf_batch_fmt(p, sizeof p, "%s/%s", dir, ents[i]->d_name);
        if (!yes && looked < 8 && stat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
            looked++;
            yes = file_is_dicom(p);
        }
        free(ents[i]);
    }
    free(ents);
    return yes;
}

typedef struct walk_ctx {
    csf_batch_list *l;
    const char *truth;
    const char *skip; /* outdir, absolute */
    int bids;
} walk_ctx;

static void truth_for(const walk_ctx *w, const char *dir, const char *stem, const char *id,
                      char *out, size_t n)
{
    out[0] = '\0';
    if (w->truth == NULL)
        return;
    struct stat sb;
    if (strcmp(w->truth, "auto") == 0) {
        csf_batch_fmt(out, n, "%s/%s.truth.json", dir, stem);
    } else {
        csf_batch_fmt(out, n, "%s/%s.truth.json", w->truth, id);
        if (stat(out, &sb) != 0)
            csf_batch_fmt(out, n, "%s/%s.truth.json", w->truth, stem);
    }
    if (stat(out, &sb) != 0)
        out[0] = '\0';
}

static csf_status add_found(walk_ctx *w, const char *dir, const char *name, const char *rel,
                            csf_error *err)
{
    char path[4096], stem[1024], id[4096], truth[4096];
    csf_batch_fmt(path, sizeof path, "%s/%s", dir, name);
    stem_of(name, stem, sizeof stem);
    if (w->bids)
        csf_batch_fmt(id, sizeof id, "%s", stem);
    else
        csf_batch_fmt(id, sizeof id, "%s%s%s", rel, rel[0] ? "_" : "", stem);
    truth_for(w, dir, stem, id, truth, sizeof truth);
    return push(w->l, id, path, truth[0] ? truth : NULL, err);
}

static csf_status walk(walk_ctx *w, const char *dir, const char *rel, int depth, csf_error *err)
{
    if (depth > MAX_DEPTH)
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s': directories nested deeper than %d", dir,
                             MAX_DEPTH);
    struct dirent **ents = NULL;
    int n = scandir(dir, &ents, not_hidden, cmp_name);
    if (n < 0)
        return csf_error_set(err, CSF_ERR_IO, "cannot list '%s': %s", dir, strerror(errno));
    csf_status st = CSF_OK;
    for (int i = 0; i < n; i++) {
        const char *name = ents[i]->d_name;
        char p[4096], r[4096];
        struct stat sb;
        csf_batch_fmt(p, sizeof p, "%s/%s", dir, name);
        csf_batch_fmt(r, sizeof r, "%s%s%s", rel, rel[0] ? "_" : "", name);
        if (st != CSF_OK || stat(p, &sb) != 0 || (w->skip && strcmp(p, w->skip) == 0)) {
            /* unreadable entries are left to the studies that need them */
        } else if (S_ISDIR(sb.st_mode)) {
            int bids_extra = w->bids && depth == 0 &&
                             (strcmp(name, "derivatives") == 0 || strcmp(name, "sourcedata") == 0);
            if (!w->bids && dir_is_dicom(p))
                st = push(w->l, r, p, NULL, err);
            else if (!bids_extra)
                st = walk(w, p, r, depth + 1, err);
        } else if (S_ISREG(sb.st_mode) && is_nifti(name)) {
            int in_anat = ends_with(dir, "/anat");
            if (!w->bids || (in_anat && strstr(name, "T2w") != NULL))
                st = add_found(w, dir, name, rel, err);
        }
        free(ents[i]);
    }
    free(ents);
    return st;
}

static int is_bids(const char *dir)
{
    char p[4096];
    struct stat sb;
    csf_batch_fmt(p, sizeof p, "%s/dataset_description.json", dir);
    return stat(p, &sb) == 0;
}

/* Manifest: columns id, path, optional truth; relative paths from the manifest's folder. */
static csf_status from_manifest(const char *path, csf_batch_list *l, csf_error *err)
{
    csf_csv *csv = NULL;
    csf_status st = csf_csv_read(path, &csv, err);
    if (st != CSF_OK)
        return st;
    long ci = csf_csv_column(csv, "id"), cp = csf_csv_column(csv, "path");
    long ct = csf_csv_column(csv, "truth");
    if (ct < 0)
        ct = csf_csv_column(csv, "truth_json");
    if (ci < 0 || cp < 0) {
        csf_csv_free(csv);
        return csf_error_set(err, CSF_ERR_FORMAT, "'%s': manifest needs columns 'id' and 'path'",
                             path);
    }
    char base[4096];
    snprintf(base, sizeof base, "%s", path);
    char *slash = strrchr(base, '/');
    if (slash == base)
        base[1] = '\0';
    else if (slash != NULL)
        *slash = '\0';
    else
        snprintf(base, sizeof base, ".");
    for (size_t r = 0; r < csf_csv_nrows(csv) && st == CSF_OK; r++) {
        const char *id = csf_csv_field(csv, r, (size_t)ci), *p = csf_csv_field(csv, r, (size_t)cp);
        const char *t = ct >= 0 ? csf_csv_field(csv, r, (size_t)ct) : "";
        if (id[0] == '\0' || p[0] == '\0') {
            st = csf_error_set(err, CSF_ERR_FORMAT, "'%s' line %zu: empty id or path", path,
                               csf_csv_line(csv, r));
            break;
        }
        char full[4096], tfull[4096];
        csf_batch_fmt(full, sizeof full, "%s%s%s", p[0] == '/' ? "" : base, p[0] == '/' ? "" : "/", p);
        int tpath = ends_with(t, ".json") && t[0] != '/';
        csf_batch_fmt(tfull, sizeof tfull, "%s%s%s", tpath ? base : "", tpath ? "/" : "", t);
        st = push(l, id, full, t[0] ? tfull : NULL, err);
    }
    csf_csv_free(csv);
    return st;
}

static int cmp_study(const void *a, const void *b)
{
    return strcmp(((const csf_batch_study *)a)->id, ((const csf_batch_study *)b)->id);
}

/* Sorted by id; a repeated id gets -2, -3, ... in path order (manifest: an error). */
static csf_status finish(csf_batch_list *l, int manifest, const char *input, csf_error *err)
{
    qsort(l->s, l->n, sizeof *l->s, cmp_study);
    for (size_t i = 1; i < l->n; i++) {
        if (strcmp(l->s[i].id, l->s[i - 1].id) != 0)
            continue;
        if (manifest)
            return csf_error_set(err, CSF_ERR_FORMAT, "'%s': study id '%s' appears twice", input,
                                 l->s[i].id);
        for (int k = 2;; k++) {
            char cand[4096];
            csf_batch_fmt(cand, sizeof cand, "%s-%d", l->s[i - 1].id, k);
            int taken = 0;
            for (size_t j = 0; j < l->n && !taken; j++)
                taken = strcmp(l->s[j].id, cand) == 0;
            if (!taken) {
                char *nid = strdup(cand);
                if (nid == NULL)
                    return csf_error_set(err, CSF_ERR_NOMEM, "out of memory listing studies");
                free(l->s[i].id);
                l->s[i].id = nid;
                break;
            }
        }
        qsort(l->s, l->n, sizeof *l->s, cmp_study);
        i = 0;
    }
    return CSF_OK;
}

/* Manifest rows without a truth column value take --truth like tree entries do. */
static csf_status manifest_truth(csf_batch_list *l, const walk_ctx *w, csf_error *err)
{
    for (size_t i = 0; i < l->n && w->truth; i++) {
        csf_batch_study *s = &l->s[i];
        if (s->truth != NULL)
            continue;
        char dir[4096], stem[1024], t[4096];
        const char *slash = strrchr(s->path, '/');
        csf_batch_fmt(dir, sizeof dir, "%.*s", slash ? (int)(slash - s->path) : 1,
                      slash ? s->path : ".");
        stem_of(slash ? slash + 1 : s->path, stem, sizeof stem);
        truth_for(w, dir, stem, s->id, t, sizeof t);
        if (t[0] != '\0' && (s->truth = strdup(t)) == NULL)
            return csf_error_set(err, CSF_ERR_NOMEM, "out of memory listing studies");
    }
    return CSF_OK;
}

csf_status csf_batch_list_build(const char *input, const char *truth, const char *outdir,
                                csf_batch_list *out, csf_error *err)
{
    memset(out, 0, sizeof *out);
    char abs[4096], skip[4096], tabs[4096];
    struct stat sb;
    if (realpath(input, abs) == NULL || stat(abs, &sb) != 0)
        return csf_error_set(err, CSF_ERR_IO, "cannot read '%s': %s", input, strerror(errno));
    const char *t = truth;
    if (truth && strcmp(truth, "auto") != 0) {
        if (realpath(truth, tabs) == NULL)
            return csf_error_set(err, CSF_ERR_IO, "cannot read truth directory '%s': %s", truth,
                                 strerror(errno));
        t = tabs;
    }
    int have_skip = outdir && realpath(outdir, skip) != NULL;
    walk_ctx w = {out, t, have_skip ? skip : NULL, is_bids(abs)};
    int manifest = S_ISREG(sb.st_mode);
    csf_status st = manifest ? from_manifest(abs, out, err) : walk(&w, abs, "", 0, err);
    if (st == CSF_OK && manifest)
        st = manifest_truth(out, &w, err);
    if (st == CSF_OK)
        st = finish(out, manifest, input, err);
    if (st == CSF_OK && out->n == 0)
        st = csf_error_set(err, CSF_ERR_FORMAT, "'%s': no studies found (NIfTI files, DICOM "
                           "series directories, BIDS *T2w* images or a CSV manifest)", input);
    if (st != CSF_OK)
        csf_batch_list_release(out);
    return st;
}

csf_status csf_batch_stamp_of(const char *path, csf_batch_stamp *out, csf_error *err)
{
    memset(out, 0, sizeof *out);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return csf_error_set(err, CSF_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
    if (!S_ISDIR(sb.st_mode)) {
        out->size = (uint64_t)sb.st_size;
        out->mtime_ns = (uint64_t)sb.st_mtim.tv_sec * 1000000000u + (uint64_t)sb.st_mtim.tv_nsec;
        out->nfiles = 1;
        return CSF_OK;
    }
    DIR *d = opendir(path);
    if (d == NULL)
        return csf_error_set(err, CSF_ERR_IO, "cannot list '%s': %s", path, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char p[4096];
        csf_batch_fmt(p, sizeof p, "%s/%s", path, e->d_name);
        if (e->d_name[0] == '.' || stat(p, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        uint64_t m = (uint64_t)sb.st_mtim.tv_sec * 1000000000u + (uint64_t)sb.st_mtim.tv_nsec;
        out->size += (uint64_t)sb.st_size;
        out->mtime_ns = m > out->mtime_ns ? m : out->mtime_ns;
        out->nfiles++;
    }
    closedir(d);
    return CSF_OK;
}
