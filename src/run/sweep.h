/* sweep.h: parameter sweeps, `edgetune sweep SPEC` (docs/sweeps.md).
 *
 * A SPEC (JSON) names a base scenario, the keys every point sets, a grid
 * and/or a list of points over scenario keys (and gen.* options of the
 * platform generator), seeds, policies (learned ones with their checkpoints)
 * and the metrics to collect from each run's summary.json. Every run (point x
 * policy x seed) is its own process: this binary's `run` on a scenario
 * written for the run (a fresh SimGrid engine each), up to `jobs` at a time.
 * Under MPI the runs are dealt to the ranks round-robin by run index (the
 * same assignment every time); rank 0 collects every row. Rank 0 writes
 * runs.csv (one row per run) and points.csv (per point and policy: mean and
 * 95% Student t interval over seeds), atomically. A run whose directory
 * already holds its summary.json for the same scenario and command is not
 * run again. SIGINT or SIGTERM stops the children; finished runs stay. */
#ifndef ET_SWEEP_H
#define ET_SWEEP_H

#include <stddef.h>

#include "status.h"

/* How the ranks of a distributed sweep talk; NULL in et_sweep_options when
 * the sweep runs in one process. Rows are fixed-size byte records sent from
 * every rank > 0 to rank 0. */
typedef struct et_sweep_net {
    int rank, size;
    void *ctx;
    /* rank > 0: sends n bytes to rank 0 (blocking). */
    et_status (*send)(void *ctx, const void *buf, size_t n, et_error *err);
    /* rank 0: receives one record of n bytes if one is waiting: 1, else 0. */
    int (*poll)(void *ctx, void *buf, size_t n);
} et_sweep_net;

/* Where a sweep stands, for a progress line (rank 0, after every row and once at the end). */
typedef struct et_sweep_progress {
    int total;        /* runs in the sweep */
    int done;         /* runs with a row */
    int skipped;      /* of which finished in an earlier sweep */
    int failed;       /* of which failed */
    double elapsed_s; /* wall time since the runs started */
    int final;        /* 1 for the last call */
} et_sweep_progress;

typedef struct et_sweep_options {
    const char *spec;     /* the SPEC file */
    const char *out_dir;  /* NULL: out/NAME for a SPEC NAME.json */
    const char *data_dir; /* shipped data: the default base scenario */
    const char *exe;      /* this program, run once per point, policy and seed */
    int jobs;             /* processes at a time on this rank, >= 1 */
    int tasks;            /* > 0: tasks.per_ue of every point (shorter sweeps) */
    int seeds;            /* > 0: only the spec's first this many seeds */
    void (*progress)(void *ctx, const et_sweep_progress *p); /* NULL: none */
    void *progress_ctx;
    int n_run_args;        /* extra arguments for every run (SimGrid's --cfg=...) */
    char *const *run_args; /* n_run_args strings */
    const et_sweep_net *net;
} et_sweep_options;

typedef struct et_sweep_report {
    int runs;        /* every run of the sweep */
    int done;        /* runs with a row (ran now or before) */
    int skipped;     /* finished in an earlier sweep, not run again */
    int failed;      /* rows with a non-zero status */
    int interrupted; /* 1 when a signal stopped the sweep */
    char out_dir[1024];
} et_sweep_report;

/* Runs the sweep. Bad SPECs are ET_ERR_INPUT with one line naming the file
 * and the key, before anything is written. Every rank calls it; rank 0 fills
 * rep and writes the CSVs. */
et_status et_sweep_run(const et_sweep_options *opt, et_sweep_report *rep, et_error *err);

#endif
