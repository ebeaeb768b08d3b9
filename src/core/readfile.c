/* readfile.c: a whole file into memory (readfile.h). */
#define _DEFAULT_SOURCE
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int et_regular_file(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return errno;
    if (S_ISDIR(st.st_mode)) return EISDIR;
    return S_ISREG(st.st_mode) ? 0 : EINVAL;
}

et_status et_read_input(const char *path, const char *what, size_t max_bytes, char **text,
                        size_t *size, et_error *err)
{
    *text = NULL;
    if (size) *size = 0;
    /* O_NONBLOCK: opening a FIFO for reading would wait for a writer forever. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return et_error_set(err, ET_ERR_INPUT, "%s: cannot read %s: %s", path, what,
                            strerror(errno));
    struct stat st;
    const char *why = NULL;
    if (fstat(fd, &st) != 0)
        why = strerror(errno);
    else if (S_ISDIR(st.st_mode))
        why = "it is a directory";
    else if (!S_ISREG(st.st_mode))
        why = "not a regular file (a FIFO, a device or a socket)";
    if (why) {
        close(fd);
        return et_error_set(err, ET_ERR_INPUT, "%s: cannot read %s: %s", path, what, why);
    }
    if ((unsigned long long)st.st_size > max_bytes) {
        close(fd);
        return et_error_set(err, ET_ERR_INPUT, "%s: cannot read %s: %lld bytes (at most %zu)", path,
                            what, (long long)st.st_size, max_bytes);
    }
    /* Room for what fstat said and one byte more, to see a file that grew past the cap. */
    size_t cap = (size_t)st.st_size + 2, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return et_error_set(err, ET_ERR_NOMEM, "%s: out of memory reading %s", path, what);
    }
    for (;;) {
        if (len + 1 == cap) {
            if (len > max_bytes) break;
            size_t grown_cap = cap * 2 > max_bytes + 2 ? max_bytes + 2 : cap * 2;
            char *grown = realloc(buf, grown_cap);
            if (!grown) {
                free(buf);
                close(fd);
                return et_error_set(err, ET_ERR_NOMEM, "%s: out of memory reading %s", path, what);
            }
            buf = grown;
            cap = grown_cap;
        }
        ssize_t got = read(fd, buf + len, cap - 1 - len);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return et_error_set(err, ET_ERR_INPUT, "%s: cannot read %s: %s", path, what,
                                strerror(e));
        }
        if (got == 0) break;
        len += (size_t)got;
    }
    close(fd);
    if (len > max_bytes) {
        free(buf);
        return et_error_set(err, ET_ERR_INPUT, "%s: cannot read %s: more than %zu bytes", path,
                            what, max_bytes);
    }
    buf[len] = '\0';
    *text = buf;
    if (size) *size = len;
    return ET_OK;
}
