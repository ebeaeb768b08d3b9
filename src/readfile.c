/* readfile.c: a whole file into memory (readfile.h). */
#include "readfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

char *et_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    errno = 0;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1) break;
        char *grown = realloc(buf, cap * 2);
        if (!grown) {
            free(buf);
            buf = NULL;
            errno = ENOMEM;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    int failed = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (buf && failed) {
        free(buf);
        errno = failed;
        return NULL;
    }
    if (buf) buf[len] = '\0';
    if (size) *size = len;
    return buf;
}
