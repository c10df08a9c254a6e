#ifndef CSFLEAK_EXEC_H
#define CSFLEAK_EXEC_H
/* Execution context: thread count, log and progress callbacks. Every parallel
 * function takes `const csf_exec *ex`; NULL means one thread and silence.
 * There is no global or environment thread setting. */
#include <stddef.h>
#include "csfleak/error.h"

typedef struct csf_exec csf_exec;

enum csf_log_level { CSF_LOG_DEBUG = 0, CSF_LOG_INFO = 1, CSF_LOG_WARN = 2 };

/* Receives one finished line without trailing newline. */
typedef void (*csf_log_fn)(void *user, int level, const char *msg);
/* stage is a short static name, frac in [0,1]; return non-zero to cancel. */
typedef int (*csf_progress_fn)(void *user, const char *stage, double frac);

/* threads <= 0 means all online cores. */
csf_status csf_exec_new(int threads, csf_exec **out, csf_error *err);
void csf_exec_free(csf_exec *ex);
void csf_exec_set_log(csf_exec *ex, csf_log_fn fn, void *user);
void csf_exec_set_progress(csf_exec *ex, csf_progress_fn fn, void *user);
/* 1 for NULL. */
int csf_exec_threads(const csf_exec *ex);
int csf_exec_online_cores(void);

void csf_exec_log(const csf_exec *ex, int level, const char *fmt, ...)
    CSF_PRINTF(3, 4);
/* CSF_ERR_CANCELLED (set in err) when the callback asks to stop. */
csf_status csf_exec_progress(const csf_exec *ex, const char *stage, double frac,
                             csf_error *err);

/* Work on items [begin, end) of chunk `chunk`; returns CSF_OK or an error
 * (which it records in its own err). */
typedef csf_status (*csf_range_fn)(void *ctx, size_t chunk, size_t begin,
                                   size_t end, csf_error *err);

/* Splits [0, n) into ceil(n / grain) chunks of `grain` items. The chunking
 * depends only on n and grain, never on the thread count, so a caller that
 * writes per-chunk results and merges them in chunk order gets bit-identical
 * output for any thread count. The first failing chunk (lowest index) decides
 * the returned error. */
csf_status csf_parallel_for(const csf_exec *ex, size_t n, size_t grain,
                            csf_range_fn fn, void *ctx, csf_error *err);

#endif
