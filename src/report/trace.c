/* The sac's course on a MIP when the analysis does not give a centerline: the
 * brightest continuous top-to-bottom path (dynamic programming, one column of
 * drift per row at most) through the rows the sac spans, then per row the
 * middle of the bright run the path lies in, smoothed. The sac is the only
 * bright structure that runs the whole length; kidneys, bowel and bladder
 * break the path and lose. Display aid only: nothing is measured on it. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/page.h"

#define DRIFT_PENALTY 24 /* per diagonal step, on the 0..255 scale */
#define SMOOTH_ROWS 4
#define MIN_BRIGHT 96    /* a path pixel darker than this is not in the sac */

/* Column of the brightest path in each row r0..r1 into col[]; 0 on failure. */
static int best_path(const uint8_t *px, size_t w, size_t r0, size_t r1, size_t *col)
{
    size_t nr = r1 - r0 + 1;
    int32_t *prev = malloc(w * sizeof *prev), *cur = malloc(w * sizeof *cur);
    int8_t *from = malloc(nr * w);
    if (prev == NULL || cur == NULL || from == NULL) {
        free(prev);
        free(cur);
        free(from);
        return 0;
    }
    for (size_t c = 0; c < w; c++)
        prev[c] = px[r0 * w + c];
    for (size_t r = 1; r < nr; r++) {
        const uint8_t *row = px + (r0 + r) * w;
        for (size_t c = 0; c < w; c++) {
            int32_t best = prev[c];
            int8_t d = 0;
            if (c > 0 && prev[c - 1] - DRIFT_PENALTY > best) {
                best = prev[c - 1] - DRIFT_PENALTY;
                d = -1;
            }
            if (c + 1 < w && prev[c + 1] - DRIFT_PENALTY > best) {
                best = prev[c + 1] - DRIFT_PENALTY;
                d = 1;
            }
            cur[c] = best + row[c];
            from[r * w + c] = d;
        }
        int32_t *t = prev;
        prev = cur;
        cur = t;
    }
    size_t c = 0;
    for (size_t k = 1; k < w; k++)
        if (prev[k] > prev[c])
            c = k;
    for (size_t r = nr; r-- > 0;) {
        col[r] = c;
        if (r > 0) /* row 0 has no predecessor: from[0 .. w) is never written */
            c = (size_t)((ptrdiff_t)c + from[r * w + c]);
    }
    free(prev);
    free(cur);
    free(from);
    return 1;
}

size_t csf_trace_path(const uint8_t *px, size_t w, size_t h, size_t r0, size_t r1, double *xs)
{
    if (w < 3 || r1 >= h || r1 <= r0 + 2)
        return 0;
    size_t nr = r1 - r0 + 1;
    size_t *col = malloc(nr * sizeof *col);
    double *mid = malloc(nr * sizeof *mid);
    if (col == NULL || mid == NULL || !best_path(px, w, r0, r1, col)) {
        free(col);
        free(mid);
        return 0;
    }
    for (size_t r = 0; r < nr; r++) {
        const uint8_t *row = px + (r0 + r) * w;
        size_t a = col[r], b = col[r];
        uint8_t thr = row[a] / 2;
        mid[r] = NAN;
        if (row[a] < MIN_BRIGHT)
            continue;
        while (a > 0 && row[a - 1] >= thr)
            a--;
        while (b + 1 < w && row[b + 1] >= thr)
            b++;
        mid[r] = (double)(a + b + 1) / 2.0; /* pixel units, column c spans [c, c+1) */
    }
    size_t found = 0;
    for (size_t r = 0; r < nr; r++) {
        double s = 0;
        int n = 0;
        size_t lo = r > SMOOTH_ROWS ? r - SMOOTH_ROWS : 0;
        for (size_t k = lo; k < nr && k <= r + SMOOTH_ROWS; k++)
            if (isfinite(mid[k])) {
                s += mid[k];
                n++;
            }
        xs[r] = isfinite(mid[r]) && n > 0 ? s / n : NAN;
        found += isfinite(xs[r]);
    }
    free(col);
    free(mid);
    return found;
}
