/* status.h: errors as values.
 *
 * Library code never exits or aborts on bad input. A function that can fail
 * returns an et_status and fills the caller's et_error with one line that
 * names the file, the key and what was expected, e.g.
 *   "scenario.json: key 'ues': expected an integer in [1, 100000], got -3"
 * Only main() turns it into an exit code (2 for bad input) and prints it. */
#ifndef ET_STATUS_H
#define ET_STATUS_H

#include <stddef.h>

#include "edgetune_export.h"

ET_API_BEGIN

/* The longest path edgetune keeps in a fixed buffer (scenario paths, output files): every path
 * is checked shorter where it enters (a scenario key, --out) and refused otherwise. */
#define ET_PATH_MAX 1024

typedef enum et_status {
    ET_OK = 0,
    ET_ERR_INPUT = 2,       /* bad user input: file, key, value, range */
    ET_ERR_IO = 3,          /* a file could not be read or written */
    ET_ERR_NOMEM = 4,       /* allocation failed */
    ET_ERR_INTERNAL = 5,    /* a bug: an invariant did not hold */
    ET_ERR_LIMIT = 6,       /* a run reached limits.sim_time_s or limits.output_bytes */
    ET_ERR_INTERRUPTED = 7, /* SIGINT, SIGTERM or SIGHUP (interrupt.h) */
} et_status;

/* Caller-owned error slot. msg is always NUL-terminated; empty when code == ET_OK. */
typedef struct et_error {
    et_status code;
    char msg[768];
} et_error;

/* Clears err (NULL-safe). */
void et_error_clear(et_error *err);

/* Sets err (NULL-safe) to code and a printf-style message; returns code so
 * callers can write `return et_error_set(err, ET_ERR_INPUT, "...")`. The
 * message is kept on one printable line: control bytes (newlines included)
 * and bytes that are not valid UTF-8 are written as \xNN (et_escape). */
et_status et_error_set(et_error *err, et_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copies in to out (size bytes, NUL-terminated), writing control bytes and
 * invalid UTF-8 as \xNN so that a name read from a file prints as one line of
 * text; stops early rather than cut a character. Returns the length written. */
size_t et_escape(char *out, size_t size, const char *in);

/* Process exit code for a status: 0 for ET_OK, 2 for bad input, 3 for a run stopped at a
 * limit, 128 + the signal number when interrupted (130 SIGINT, 129 SIGHUP, 143 SIGTERM),
 * 1 otherwise. */
int et_status_exit_code(et_status status);

ET_API_END

#endif
