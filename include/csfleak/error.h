#ifndef CSFLEAK_ERROR_H
#define CSFLEAK_ERROR_H
/* Status codes and the caller-owned error record every fallible call takes last.
 * Codes are append-only: a retired number stays reserved forever. */

typedef enum csf_status {
    CSF_OK = 0,
    CSF_ERR_INVALID_ARG = 1,  /* a caller passed something the API rules out */
    CSF_ERR_IO = 2,           /* open/read/write/rename failed */
    CSF_ERR_FORMAT = 3,       /* input file or data is malformed or out of range */
    CSF_ERR_NOMEM = 4,        /* allocation failed or a size would overflow */
    CSF_ERR_UNSUPPORTED = 5,  /* well-formed input we do not handle (datatype, syntax) */
    CSF_ERR_CANCELLED = 6,    /* a progress callback asked to stop */
    CSF_ERR_INTERNAL = 7,     /* a bug: an invariant did not hold */
    CSF_ERR_EXTERNAL = 8      /* a helper program (dcm2niix, ...) failed */
} csf_status;

#define CSF_ERROR_MSG_SIZE 256

/* Caller-owned: reporting never allocates. Zero-initialise (or csf_error_clear)
 * before use; the first error set wins. */
typedef struct csf_error {
    csf_status code;
    char msg[CSF_ERROR_MSG_SIZE];
} csf_error;

#if defined(__GNUC__)
#define CSF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CSF_PRINTF(f, a)
#endif

/* Records code and message unless err is NULL or already holds an error.
 * Returns code so callers can `return csf_error_set(...)`. */
csf_status csf_error_set(csf_error *err, csf_status code, const char *fmt, ...)
    CSF_PRINTF(3, 4);
#if defined(__clang_analyzer__)
/* The definition lives in another translation unit, so the analyzer cannot see that the
 * result is `code`; it then explores `return csf_error_set(err, CSF_ERR_..., ...)` as if it
 * returned CSF_OK and reports the impossible success path (a NULL *out used, a count left
 * at 0). This spells out the contract above for the analyzer only; `code` is evaluated
 * twice in that model, so pass it without side effects. */
#define csf_error_set(err, code, ...) (csf_error_set((err), (code), __VA_ARGS__), (code))
#endif
/* Prepends "context: " to an existing message; the code is kept. */
void csf_error_prefix(csf_error *err, const char *fmt, ...) CSF_PRINTF(2, 3);
void csf_error_clear(csf_error *err);
/* Static English name of a status ("bad input data"). */
const char *csf_status_str(csf_status code);

#endif
