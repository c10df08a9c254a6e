/* Timing helpers shared by the benchmarks (one program per bench C file). */
#ifndef CSFLEAK_BENCH_CLOCK_H
#define CSFLEAK_BENCH_CLOCK_H
#include <time.h>

/* Wall time in seconds (monotonic). */
static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU time of the whole process (all threads), in seconds: with one thread it is
 * the work itself, far less disturbed than wall time when the machine is shared
 * (wall time includes waiting for a core). */
static inline double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* qsort comparator for doubles, ascending (medians of repeated timings). */
static inline int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
#endif
