/* readfile.h: a whole file into memory, for the loaders that parse text. */
#ifndef ET_READFILE_H
#define ET_READFILE_H

#include <stddef.h>

/* Reads path into a NUL-terminated heap buffer (the caller frees it), its length in *size (may
 * be NULL); NULL on failure, errno set (ENOMEM when out of memory). The text may hold NUL bytes
 * of its own: a caller that parses text compares strlen with *size. */
char *et_read_file(const char *path, size_t *size);

#endif
