/* cmd_sweep.c: edgetune sweep SPEC, a scenario over a grid of keys, seeds and policies. */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "interrupt.h"
#include "isolate.h"
#include "sweep.h"
#include "sweep_mpi.h"

static const char SWEEP_USAGE[] =
    "usage: edgetune sweep SPEC [-j N] [--out DIR] [--tasks N] [--seeds N] [-q]\n"
    "       mpirun -np N edgetune sweep SPEC [...]\n"
    "\n"
    "Runs a base scenario over a grid or list of scenario keys (gen.* keys: options\n"
    "of edgetune platform), seeds and policies, each run in its own process (this\n"
    "program's run), and collects the SPEC's metrics from every run's summary.json.\n"
    "Writes DIR/runs.csv (one row per run, failed ones with their status and error),\n"
    "DIR/points.csv (per point and policy: mean and 95% interval over seeds) and\n"
    "DIR/runs/<run>/. A re-run skips the runs that finished. SPEC format: docs/sweeps.md.\n"
    "Exit status 1 when a run failed; examples/plot-sweep.sh draws the plots.\n"
    "\n"
    "options:\n"
    "  -j, --jobs N       runs at once on this machine, or on each MPI rank (default:\n"
    "                     the number of CPUs; 1 under mpirun)\n"
    "  --out DIR          output directory (default out/NAME for SPEC NAME.json)\n"
    "  --tasks N          tasks.per_ue of every run (quick looks)\n"
    "  --seeds N          only the SPEC's first N seeds\n"
    "  -q, --quiet        no progress\n"
    "Under mpirun the runs are dealt to the ranks round-robin; rank 0 writes the CSVs.\n";

/* The sweep's progress line: redrawn in place on a terminal, a line every 5 s otherwise. */
typedef struct sweep_display {
    int tty;
    double last;
} sweep_display;

static void on_sweep_progress(void *ctx, const et_sweep_progress *p)
{
    sweep_display *d = ctx;
    if (!p->final && p->elapsed_s - d->last < (d->tty ? 0.25 : 5.0)) return;
    d->last = p->elapsed_s;
    double rate = p->elapsed_s > 0 ? (p->done - p->skipped) / p->elapsed_s : 0;
    char elapsed[16], eta[16];
    cli_fmt_duration(p->elapsed_s, elapsed, sizeof elapsed);
    cli_fmt_duration(rate > 0 ? (p->total - p->done) / rate : -1, eta, sizeof eta);
    fprintf(stderr, "%ssweep: %d/%d runs (%d skipped, %d failed), %.2f runs/s, elapsed %s%s%s%s",
            d->tty ? "\r" : "", p->done, p->total, p->skipped, p->failed, rate, elapsed,
            p->final ? "" : ", ETA ", p->final ? "" : eta, d->tty && !p->final ? "  " : "\n");
}

static int cmd_sweep(int argc, char **argv)
{
    run_args a;
    int rc = cli_parse_run_args(argc, argv, &a, SWEEP_USAGE);
    if (rc) return rc == CLI_DONE ? 0 : rc;
    if (!a.scenario) return cli_usage_error("sweep", "%s", "SPEC is required");
    et_error err;
    et_error_clear(&err);
    et_sweep_net net;
    int mpi = 0;
    et_status st = et_sweep_mpi_open(&argc, &argv, &net, &mpi, &err);
    if (st != ET_OK) return cli_fail(&err);
    et_interrupt_install(); /* after MPI's initialisation, which may set handlers of its own */
    char data[ET_PATH_MAX], exe[ET_PATH_MAX];
    st = cli_data_dir(data, sizeof data, &err);
    if (st != ET_OK) {
        et_sweep_mpi_close(&net, 2);
        return cli_fail(&err);
    }
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    /* --tasks sets every run's tasks.per_ue: checked here as the key (et_scenario_set). */
    int tasks = 0;
    for (int i = 0; i < a.n_keyed; i++) {
        et_scenario *probe = malloc(sizeof *probe);
        if (!probe) {
            et_sweep_mpi_close(&net, 2);
            et_error_set(&err, ET_ERR_NOMEM, "out of memory");
            return cli_fail(&err);
        }
        et_scenario_defaults(probe, data);
        st = et_scenario_set(probe, a.keyed[i].key, a.keyed[i].text, "option --tasks", &err);
        tasks = probe->sim.tasks_per_ue;
        free(probe);
        if (st != ET_OK) {
            et_sweep_mpi_close(&net, 2);
            return cli_fail(&err);
        }
    }
    sweep_display disp = {.tty = isatty(2)};
    et_sweep_options opt = {.spec = a.scenario,
                            .out_dir = a.out,
                            .data_dir = data,
                            .exe = exe,
                            .jobs = a.jobs > 0 ? (int)a.jobs
                                    : mpi      ? 1
                                               : et_isolate_cpus(),
                            .tasks = tasks,
                            .seeds = a.seeds > 0 ? (int)a.seeds : 0,
                            .progress = a.quiet ? NULL : on_sweep_progress,
                            .progress_ctx = &disp,
                            .n_run_args = a.sg_argc - 1,
                            .run_args = a.sg_argv + 1,
                            .net = mpi ? &net : NULL};
    et_sweep_report rep;
    st = et_sweep_run(&opt, &rep, &err);
    int leader = !mpi || net.rank == 0;
    int stopped = st == ET_ERR_INTERRUPTED || (st == ET_OK && rep.interrupted);
    rc = stopped       ? et_status_exit_code(ET_ERR_INTERRUPTED)
         : st != ET_OK ? et_status_exit_code(st)
         : rep.failed  ? 1
                       : 0;
    const char *by = et_interrupt_name(et_interrupted() ? et_interrupted() : SIGINT);
    if (leader && st == ET_ERR_INTERRUPTED)
        fprintf(stderr, "edgetune: sweep %s; nothing written\n", err.msg);
    else if (leader && st != ET_OK)
        cli_fail(&err);
    if (leader && st == ET_OK && rep.interrupted)
        fprintf(stderr,
                "edgetune: sweep interrupted by %s: %d of %d runs have a row (%s/runs.csv); run "
                "the same command again to finish the rest\n",
                by, rep.done, rep.runs, rep.out_dir);
    else if (leader && st == ET_OK && !a.quiet)
        fprintf(stdout,
                "edgetune: sweep of %d runs (%d skipped, %d failed): %s/runs.csv, %s/points.csv\n",
                rep.runs, rep.skipped, rep.failed, rep.out_dir, rep.out_dir);
    if (mpi) et_sweep_mpi_close(&net, stopped ? rc : 0);
    return rc;
}

CLI_COMMAND(sweep, "sweep SPEC", "run a scenario over a grid of keys, seeds and policies (-j, MPI)",
            SWEEP_USAGE, cmd_sweep, " --tasks --seeds --out -q --quiet -j --jobs ",
            CLI_MPI | CLI_OWN_OPTIONS);
