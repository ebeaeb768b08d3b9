/* isolate.c: run a function in a forked child process (see isolate.h). */
#define _DEFAULT_SOURCE
#include "isolate.h"

#include "interrupt.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
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

/* In a child just forked: it dies with its parent (SIGTERM, which it handles like the
 * parent: its episode stops and its temporaries go), even if the parent is killed. */
static void die_with_parent(pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(3); /* the parent is already gone */
}

/* Passes a signal the parent received on to the children in pids (n, 0 = no child) once:
 * *forwarded remembers it. A terminal's Ctrl-C reaches them all anyway; kill -INT on the
 * parent alone does not. */
static void forward_interrupt(const pid_t *pids, int n, int *forwarded)
{
    int sig = et_interrupted();
    if (!sig || *forwarded) return;
    *forwarded = 1;
    for (int i = 0; i < n; i++)
        if (pids[i] > 0) kill(pids[i], sig);
}

static int read_all(int fd, void *buf, size_t n, pid_t child, int *forwarded)
{
    char *p = buf;
    while (n > 0) {
        ssize_t k = read(fd, p, n);
        if (k < 0 && errno == EINTR) {
            forward_interrupt(&child, 1, forwarded);
            continue;
        }
        if (k <= 0) return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

et_status et_isolate_run(et_isolated_fn fn, void *ctx, void *result, size_t result_size,
                         const char *what, et_error *err)
{
    if (et_interrupted())
        return et_error_set(err, ET_ERR_INTERRUPTED, "interrupted by %s before %s",
                            et_interrupt_name(et_interrupted()), what);
    int fds[2];
    if (pipe(fds) != 0)
        return et_error_set(err, ET_ERR_INTERNAL, "%s: cannot create a pipe: %s", what,
                            strerror(errno));
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return et_error_set(err, ET_ERR_INTERNAL, "%s: cannot fork: %s", what, strerror(errno));
    }
    if (pid == 0) {
        die_with_parent(parent);
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
    int forwarded = 0;
    int bad = read_all(fds[0], &st, sizeof st, pid, &forwarded) ||
              read_all(fds[0], &child_err, sizeof child_err, pid, &forwarded) ||
              read_all(fds[0], result, result_size, pid, &forwarded);
    close(fds[0]);
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        forward_interrupt(&pid, 1, &forwarded);
    if (bad || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
        return et_error_set(err, ET_ERR_INTERNAL, "%s: the child process died", what);
    if (st != ET_OK && err) *err = child_err;
    return st;
}

int et_isolate_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* One job's slot in the shared region: its status, error and result. */
typedef struct job_slot {
    et_status status;
    int done;
    et_error err;
} job_slot;

et_status et_isolate_run_many(et_isolated_fn fn, void *const *ctxs, void *results,
                              size_t result_size, int n, int max_jobs, const char *what,
                              et_error *err)
{
    if (n <= 0) return ET_OK;
    if (max_jobs < 1) max_jobs = 1;
    /* Slots start at 64-byte boundaries (mmap is page-aligned). */
    /* A slot is its job_slot, then its result at a 16-byte boundary (the job_slot is 780
     * bytes: results right behind it were misaligned, found by the sanitizer stage). */
    size_t head = (sizeof(job_slot) + 15) / 16 * 16;
    size_t slot = (head + result_size + 63) / 64 * 64;
    size_t bytes = slot * (size_t)n;
    unsigned char *shared =
        mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED)
        return et_error_set(err, ET_ERR_INTERNAL, "%s: cannot map shared memory: %s", what,
                            strerror(errno));
    pid_t *pids = calloc((size_t)n, sizeof *pids);
    if (!pids) {
        munmap(shared, bytes);
        return et_error_set(err, ET_ERR_NOMEM, "%s: out of memory", what);
    }
    et_status st = ET_OK;
    int next = 0, running = 0, forwarded = 0;
    pid_t parent = getpid();
    while (next < n || running > 0) {
        if (st == ET_OK && et_interrupted())
            st = et_error_set(err, ET_ERR_INTERRUPTED, "interrupted by %s after %d of %d %ss",
                              et_interrupt_name(et_interrupted()), next - running, n, what);
        while (next < n && running < max_jobs && st == ET_OK) {
            job_slot *js = (job_slot *)(shared + slot * (size_t)next);
            fflush(NULL);
            pid_t pid = fork();
            if (pid < 0) {
                st = et_error_set(err, ET_ERR_INTERNAL, "%s: cannot fork: %s", what,
                                  strerror(errno));
                break;
            }
            if (pid == 0) {
                die_with_parent(parent);
                et_error_clear(&js->err);
                js->status = fn(ctxs[next], (unsigned char *)js + head, &js->err);
                js->done = 1;
                fflush(NULL);
                _exit(0);
            }
            pids[next++] = pid;
            running++;
        }
        if (running == 0) break;
        int wstatus = 0;
        pid_t pid = waitpid(-1, &wstatus, 0);
        if (pid < 0) {
            if (errno == EINTR) forward_interrupt(pids, next, &forwarded);
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < next; i++)
            if (pids[i] == pid) pids[i] = 0; /* reaped: never signalled again */
        running--;
    }
    et_status result = st;
    for (int i = 0; i < next; i++) {
        job_slot *js = (job_slot *)(shared + slot * (size_t)i);
        if (result == ET_OK && !js->done) {
            result = et_error_set(err, ET_ERR_INTERNAL, "%s %d: the child process died", what, i);
        } else if (result == ET_OK && js->status != ET_OK) {
            result = js->status;
            if (err) *err = js->err;
        }
        memcpy((unsigned char *)results + result_size * (size_t)i, (unsigned char *)js + head,
               result_size);
    }
    free(pids);
    munmap(shared, bytes);
    return result;
}
