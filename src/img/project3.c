/* The three full-extent maximum-intensity projections in one pass over the
 * volume. Each row of voxels is read once and feeds all three at the same
 * time: its own maximum (ray along x), the slice's running row of maxima
 * (rays along y) and a running slice of maxima (rays along z), so the volume
 * crosses the memory bus once instead of three times.
 *
 * Determinism: every input is first made canonical (v + 0.0f turns -0 into
 * +0 and leaves every other value, NaN included, as it is), and the maximum
 * is taken as `v > m ? v : m` from -inf, so NaN never enters an accumulator.
 * On NaN-free values without -0 the maximum is an exact, commutative and
 * associative operation: any grouping of a ray gives the same bits. That lets
 * the rays along z go through one accumulator slice per running thread
 * (hot in that core's cache, reused from chunk to chunk) instead of one per
 * chunk merged in chunk order, and the result is still bit-identical for any
 * thread count. Chunks are slabs of whole slices sized by the data. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csfleak/img_filter.h"

/* Target number of input voxels per chunk (4 MiB of floats): enough chunks
 * for the threads to finish together, few enough that the per-chunk costs
 * (a lock, an accumulator hand-over) do not show. */
#define MIP3_GRAIN_VOX ((size_t)1 << 20)

/* Row y of g <= MIP3_G consecutive slices. Reading a few slices side by side
 * lets one update of the z accumulator serve all of them: its traffic (a whole
 * slice of floats that does not stay in L1) drops by the group size, which
 * measured 25 -> 16 ms for one thread on 88.5 M voxels (the bare read: 14). */
#define MIP3_G 4
/* Software prefetch distance in floats (see rows_avx2_g). */
#define MIP3_PREFETCH 1024

typedef struct mip3_rows {
    const float *row; /* row y of the first slice */
    size_t st;        /* floats from one slice to the next */
    float *zacc;      /* z accumulator, row y */
    float *yacc;      /* y accumulator of the first slice; the next ones n apart */
    size_t n;         /* voxels per row */
} mip3_rows;

/* Elements [from, n) of g rows, folded into the accumulators; row k's
 * maximum over them into m[k]. `v > m ? v : m` is exactly what MAXPS
 * computes, so the vector version gives the same bits. */
static void rows_c(const mip3_rows *r, int g, size_t from, float m[MIP3_G])
{
    for (size_t i = from; i < r->n; i++) {
        float z = r->zacc[i];
        for (int k = 0; k < g; k++) {
            const float v = r->row[(size_t)k * r->st + i] + 0.0f;
            float *y = &r->yacc[(size_t)k * r->n + i];
            *y = v > *y ? v : *y;
            m[k] = v > m[k] ? v : m[k];
            z = v > z ? v : z;
        }
        r->zacc[i] = z;
    }
}

static void rows_plain(const mip3_rows *r, int g, float m[MIP3_G])
{
    for (int k = 0; k < MIP3_G; k++)
        m[k] = -INFINITY;
    rows_c(r, g, 0, m);
}

typedef void (*rows_fn)(const mip3_rows *r, int g, float m[MIP3_G]);

#if defined(__GNUC__) && defined(__x86_64__) && !defined(CSF_NO_CLONES)
/* GCC does not vectorise the rows' own maxima (float reductions) nor keep the
 * group in registers, hence intrinsics; chosen at run time. */
#include <immintrin.h>

__attribute__((target("avx2"), always_inline)) static inline void
rows_avx2_g(const mip3_rows *r, const int g, float m[MIP3_G])
{
    /* locals: through r, every store would make GCC reload the fields */
    const float *restrict row = r->row;
    float *restrict zacc = r->zacc, *restrict yacc = r->yacc;
    const size_t st = r->st, n = r->n;
    const __m256 zero = _mm256_setzero_ps();
    __m256 acc[MIP3_G];
    for (int k = 0; k < g; k++)
        acc[k] = _mm256_set1_ps(-INFINITY);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 z = _mm256_loadu_ps(zacc + i);
        for (int k = 0; k < g; k++) {
            /* four streams a slice apart are more than the hardware prefetcher
             * keeps ahead of: 4 KiB ahead in each (rows continue in the slice)
             * was faster in 4 of 5 interleaved rounds (best 9.5 vs 15.2 ms on
             * 88.5 M voxels, one thread; the bare read's best 11.9 ms) */
            if ((i & 15) == 0)
                _mm_prefetch((const char *)(row + (size_t)k * st + i + MIP3_PREFETCH), _MM_HINT_T0);
            const __m256 v = _mm256_add_ps(_mm256_loadu_ps(row + (size_t)k * st + i), zero);
            float *y = yacc + (size_t)k * n + i;
            _mm256_storeu_ps(y, _mm256_max_ps(v, _mm256_loadu_ps(y)));
            acc[k] = _mm256_max_ps(v, acc[k]);
            z = _mm256_max_ps(v, z);
        }
        _mm256_storeu_ps(zacc + i, z);
    }
    for (int k = 0; k < g; k++) {
        float t[8];
        _mm256_storeu_ps(t, acc[k]);
        m[k] = t[0];
        for (int q = 1; q < 8; q++)
            m[k] = t[q] > m[k] ? t[q] : m[k];
    }
    rows_c(r, g, i, m);
}

__attribute__((target("avx2"))) static void rows_avx2(const mip3_rows *r, int g, float m[MIP3_G])
{
    if (g == 4)
        rows_avx2_g(r, 4, m);
    else if (g == 3)
        rows_avx2_g(r, 3, m);
    else if (g == 2)
        rows_avx2_g(r, 2, m);
    else
        rows_avx2_g(r, 1, m);
}

static rows_fn pick_rows(void)
{
    return __builtin_cpu_supports("avx2") ? rows_avx2 : rows_plain;
}
#else
static rows_fn pick_rows(void)
{
    return rows_plain;
}
#endif

typedef struct mip3_ctx {
    const float *src;
    float *ox, *oy; /* rays along x: ny x nz; along y: nx x nz */
    size_t nx, ny, nz, slab, nchunks;
    pthread_mutex_t lock;
    float **acc;    /* accumulator slices (nx x ny), at most one per running chunk */
    int *busy;
    size_t nacc, cap;
    rows_fn rows;
} mip3_ctx;

static void fill_ninf(float *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[i] = -INFINITY;
}

/* Index of a free accumulator slice, made on first use; SIZE_MAX if none. */
static size_t acc_take(mip3_ctx *c)
{
    size_t s = SIZE_MAX;
    pthread_mutex_lock(&c->lock);
    for (size_t k = 0; k < c->nacc && s == SIZE_MAX; k++)
        if (!c->busy[k])
            s = k;
    int fresh = s == SIZE_MAX && c->nacc < c->cap;
    if (fresh)
        s = c->nacc++;
    if (s != SIZE_MAX)
        c->busy[s] = 1;
    pthread_mutex_unlock(&c->lock);
    if (fresh) { /* outside the lock: the first touch of the pages is the slow part */
        float *a = malloc(c->nx * c->ny * sizeof *a);
        if (a != NULL)
            fill_ninf(a, c->nx * c->ny);
        pthread_mutex_lock(&c->lock);
        c->acc[s] = a;
        pthread_mutex_unlock(&c->lock);
        if (a == NULL)
            return SIZE_MAX;
    }
    return s;
}

static void acc_give(mip3_ctx *c, size_t s)
{
    pthread_mutex_lock(&c->lock);
    c->busy[s] = 0;
    pthread_mutex_unlock(&c->lock);
}

/* Slab `chunk` counted from the last one (slices [b, e), b a multiple of
 * MIP3_G): one read of each row. Last slab first, because a volume is mostly
 * read front to back, so its end is what the cache still holds; the order of
 * the slabs changes no result (see top). */
static csf_status mip3_chunk(void *vctx, size_t chunk, size_t b, size_t e, csf_error *err)
{
    mip3_ctx *c = vctx;
    b = (c->nchunks - 1 - chunk) * c->slab;
    e = b + c->slab < c->nz ? b + c->slab : c->nz;
    const size_t s = acc_take(c);
    if (s == SIZE_MAX)
        return csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate a projection slice");
    const size_t nx = c->nx, ny = c->ny;
    for (size_t z = b; z < e; z++) /* rows of this chunk's own output */
        fill_ninf(c->oy + z * nx, nx);
    for (size_t z = b; z < e; z += MIP3_G) {
        const int g = e - z < MIP3_G ? (int)(e - z) : MIP3_G;
        for (size_t y = 0; y < ny; y++) {
            mip3_rows r = {c->src + (z * ny + y) * nx, nx * ny, c->acc[s] + y * nx,
                           c->oy + z * nx, nx};
            float m[MIP3_G];
            c->rows(&r, g, m);
            for (int k = 0; k < g; k++)
                c->ox[y + ny * (z + (size_t)k)] = m[k];
        }
    }
    acc_give(c, s);
    return CSF_OK;
}

/* The projection volume of `axis` (dim[axis] = 1, the input's affine: the slab
 * starts at slice 0). */
static csf_status mip3_volume(const csf_volume *in, int axis, csf_volume **out, csf_error *err)
{
    size_t dim[4] = {in->dim[0], in->dim[1], in->dim[2], 1};
    dim[axis] = 1;
    csf_status st = csf_volume_new(dim, in->spacing, out, err);
    if (st == CSF_OK)
        memcpy((*out)->affine, in->affine, sizeof in->affine);
    return st;
}

/* Rays along z: the accumulator slices folded into the first one, which is the
 * output itself (order is free, see top). */
static void mip3_merge_z(const mip3_ctx *c, float *oz)
{
    const size_t n = c->nx * c->ny;
    for (size_t k = 1; k < c->nacc; k++) /* acc[0] is oz itself */
        for (size_t i = 0; i < n; i++)
            oz[i] = c->acc[k][i] > oz[i] ? c->acc[k][i] : oz[i];
}

csf_status csf_img_mip3(const csf_volume *in, csf_volume *out[3], const csf_exec *ex,
                        csf_error *err)
{
    if (in == NULL || out == NULL || in->data == NULL)
        return csf_error_set(err, CSF_ERR_INVALID_ARG, "csf_img_mip3: NULL argument");
    csf_volume *v[3] = {NULL, NULL, NULL};
    csf_status st = CSF_OK;
    for (int a = 0; a < 3 && st == CSF_OK; a++)
        st = mip3_volume(in, a, &v[a], err);
    const size_t plane = in->dim[0] * in->dim[1];
    mip3_ctx c = {.src = in->data, .nx = in->dim[0], .ny = in->dim[1],
                  .slab = (MIP3_GRAIN_VOX / plane / MIP3_G + 1) * MIP3_G, .rows = pick_rows()};
    const size_t nchunks = in->dim[2] / c.slab + (in->dim[2] % c.slab != 0);
    c.nz = in->dim[2];
    c.nchunks = nchunks;
    c.cap = (size_t)csf_exec_threads(ex) < nchunks ? (size_t)csf_exec_threads(ex) : nchunks;
    c.acc = calloc(c.cap, sizeof *c.acc);
    c.busy = calloc(c.cap, sizeof *c.busy);
    if (st == CSF_OK && (c.acc == NULL || c.busy == NULL))
        st = csf_error_set(err, CSF_ERR_NOMEM, "cannot allocate projection buffers");
    if (st == CSF_OK) {
        c.ox = v[0]->data;
        c.oy = v[1]->data;
        c.acc[0] = v[2]->data; /* the first accumulator slice is the z output: no copy */
        fill_ninf(c.acc[0], plane);
        c.nacc = 1;
        pthread_mutex_init(&c.lock, NULL);
        st = csf_parallel_for(ex, in->dim[2], c.slab, mip3_chunk, &c, err);
        pthread_mutex_destroy(&c.lock);
    }
    if (st == CSF_OK)
        mip3_merge_z(&c, v[2]->data);
    for (size_t k = 1; c.acc != NULL && k < c.nacc; k++)
        free(c.acc[k]);
    free(c.acc);
    free(c.busy);
    for (int a = 0; a < 3; a++) {
        if (st != CSF_OK)
            csf_volume_free(v[a]);
        else
            out[a] = v[a];
    }
    return st;
}
