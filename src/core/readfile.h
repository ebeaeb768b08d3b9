/* readfile.h: a whole file into memory, for the loaders that parse text. */
#ifndef ET_READFILE_H
#define ET_READFILE_H

#include <stddef.h>

#include "status.h"

/* The most bytes edgetune reads from each kind of input file (README.md, "Bad input"): far
 * above any real one, low enough that a wrong file (a disk image, /dev/zero
 * behind a link) is refused at once instead of filling the memory. */
#define ET_MAX_JSON_BYTES (16u << 20)    /* a scenario or a sweep SPEC: 16 MiB */
#define ET_MAX_PLATFORM_BYTES (1u << 30) /* a platform XML: 1 GiB (1e6 UEs take ~0.4 GiB) */
#define ET_MAX_TRACE_BYTES (1u << 30)    /* a mobility trace CSV: 1 GiB */
#define ET_MAX_PROFILE_BYTES (64u << 20) /* a SimGrid profile (speed_file, ...): 64 MiB */

/* Reads path into a NUL-terminated heap buffer (the caller frees it), its length in *size (may
 * be NULL); NULL on failure, errno set (ENOMEM when out of memory). The text may hold NUL bytes
 * of its own: a caller that parses text compares strlen with *size. For files already checked
 * by et_read_input. */
char *et_read_file(const char *path, size_t *size);

/* Reads an input file the user named: path must be a regular file (a FIFO, a device or a
 * directory is refused without being read, so nothing blocks) of at most max_bytes. *text gets
 * a NUL-terminated heap buffer (the caller frees it), *size its length (may be NULL).
 * ET_ERR_INPUT "<path>: cannot read <what>: <reason>" otherwise (ET_ERR_NOMEM without memory).
 * The text may hold NUL bytes: a caller that parses text compares strlen with *size. */
et_status et_read_input(const char *path, const char *what, size_t max_bytes, char **text,
                        size_t *size, et_error *err);

/* 0 when path names a regular file (following links), else an errno-like reason: ENOENT,
 * EISDIR for a directory, EINVAL for anything else (FIFO, device, socket). */
int et_regular_file(const char *path);

#endif
