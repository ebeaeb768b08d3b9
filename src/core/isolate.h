/* isolate.h: run a function in a forked child process and get its result back.
 *
 * SimGrid's clock cannot be reset: an engine that has run an episode carries
 * its time into the next one, and absolute times round differently. Work
 * whose result must depend only on what it names (an evaluation episode, a
 * training run inside compare) runs in a child forked from an engine that
 * has not run yet; the parent stays pristine. The child shares the parent's
 * open files (output rows land in order: the parent's buffers are flushed
 * before the fork and the child's before it exits).
 *
 * Children die with the parent (PR_SET_PDEATHSIG: SIGTERM, even when the
 * parent is killed outright) and hear its signals: a SIGINT, SIGTERM or SIGHUP
 * the parent receives (interrupt.h) is passed on to the running children, whose
 * work stops at its next poll and reports ET_ERR_INTERRUPTED; no new child is
 * started, and the call returns ET_ERR_INTERRUPTED once every child has ended. */
#ifndef ET_ISOLATE_H
#define ET_ISOLATE_H

#include <stddef.h>

#include "status.h"

/* The child's work: fills result (result_size bytes, plain data without
 * pointers) and returns a status, with err filled on failure. */
typedef et_status (*et_isolated_fn)(void *ctx, void *result, et_error *err);

/* Runs fn(ctx, result, err) in a child process and copies result, the status
 * and the error back. ET_ERR_INTERNAL when fork or the pipe fails, or the
 * child dies without answering (what names "what" in the message). */
et_status et_isolate_run(et_isolated_fn fn, void *ctx, void *result, size_t result_size,
                         const char *what, et_error *err);

/* Runs n jobs, job i as fn(ctxs[i], results + i * result_size, err_i), each in
 * its own child process, at most max_jobs at a time (< 1: one). Results come
 * back through shared memory. Returns ET_OK when every job succeeded, else
 * the status and error of the lowest-numbered job that failed (after all
 * jobs have ended). A job whose child dies gives ET_ERR_INTERNAL naming
 * "what" and the job index. */
et_status et_isolate_run_many(et_isolated_fn fn, void *const *ctxs, void *results,
                              size_t result_size, int n, int max_jobs, const char *what,
                              et_error *err);

/* Processors online (at least 1): the default number of parallel jobs. */
int et_isolate_cpus(void);

#endif
