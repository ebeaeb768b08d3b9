/* isolate.c: run a function in a forked child process (see isolate.h). */
#define _DEFAULT_SOURCE
#include "isolate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n > 0) {
        ssize_t k = read(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

et_status et_isolate_run(et_isolated_fn fn, void *ctx, void *result, size_t result_size,
                         const char *what, et_error *err)
{
    int fds[2];
    if (pipe(fds) != 0)
        return et_error_set(err, ET_ERR_INTERNAL, "%s: cannot create a pipe: %s", what,
                            strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return et_error_set(err, ET_ERR_INTERNAL, "%s: cannot fork: %s", what, strerror(errno));
    }
    if (pid == 0) {
        close(fds[0]);
        et_error child_err;
        et_error_clear(&child_err);
        et_status st = fn(ctx, result, &child_err);
        fflush(NULL);
        int bad = write_all(fds[1], &st, sizeof st) ||
                  write_all(fds[1], &child_err, sizeof child_err) ||
                  write_all(fds[1], result, result_size);
        close(fds[1]);
        _exit(bad ? 3 : 0);
    }
    close(fds[1]);
    et_status st = ET_OK;
    et_error child_err;
    int bad = read_all(fds[0], &st, sizeof st) || read_all(fds[0], &child_err, sizeof child_err) ||
              read_all(fds[0], result, result_size);
    close(fds[0]);
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    if (bad || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
        return et_error_set(err, ET_ERR_INTERNAL, "%s: the child process died", what);
    if (st != ET_OK && err) *err = child_err;
    return st;
}
