/* cmd_regime.c: edgetune regime, which decisions a scenario rewards (regime.h). */
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
#include "isolate.h"
#include "regime.h"

static const char REGIME_USAGE[] =
    "usage: edgetune regime [SCENARIO] [--episodes N] [--budget N] [-j N] [--out DIR]\n"
    "                       [--seed N] [--ues N] [--tasks N] [--platform FILE]\n"
    "                       [--model FILE] [-q]\n"
    "\n"
    "Measures which decisions the scenario rewards, on validation episodes\n"
    "(docs/results.md explains how to read it):\n"
    "1. Scored in uniform worlds: every task of N validation episodes (default 5) run\n"
    "   under every fixed choice (SERVER; LOCAL at each emulator size between\n"
    "   tuning.k_min and tuning.k_max), in the world where every UE makes it: each\n"
    "   choice's mean reward, delay, perplexity, exposure and failures per task, the\n"
    "   per-task oracle, the best fixed keep fraction, and per device class the curve\n"
    "   of LOCAL's reward over b (best b, interior, memory-capped above).\n"
    "2. Headroom: tuned-static and tuned-dynamic tuned on those N episodes (as\n"
    "   edgetune compare tunes them) and scored on N disjoint ones, with a hindsight\n"
    "   bound (a local search over each episode's per-task decisions, every candidate\n"
    "   rescored as a whole episode; a lower bound on the optimum): mean episodic\n"
    "   reward and the paired difference against tuned-static with its 95% interval.\n"
    "--budget N: the bound's rescorings per scoring episode (default 500; 0: none).\n"
    "-j N runs N processes at once (default: the number of CPUs).\n"
    "Prints the report (Markdown) on stdout; with --out DIR writes DIR/regime.md and\n"
    "DIR/regime.csv (one row per figure) instead.\n";

static int cmd_regime(int argc, char **argv)
{
    run_args a;
    int rc = cli_parse_run_args(argc, argv, &a, REGIME_USAGE);
    if (rc) return rc == CLI_DONE ? 0 : rc;
    et_error err;
    et_error_clear(&err);
    et_scenario sc;
    et_status st = cli_prepare_scenario(&a, &sc, &err);
    et_sim *sim = NULL;
    if (st == ET_OK) st = cli_open_sim(&a, NULL, 0, &sc, NULL, NULL, &sim, &err);
    et_regime_options opt = {.episodes =
                                 a.episodes > 0 ? (int)a.episodes : ET_REGIME_DEFAULT_EPISODES,
                             .offset = sc.validation_offset,
                             .headroom = 1,
                             .budget = a.budget >= 0 ? (int)a.budget : ET_REGIME_DEFAULT_BUDGET,
                             .jobs = a.jobs > 0 ? (int)a.jobs : et_isolate_cpus(),
                             .quiet = a.quiet};
    et_regime *r = calloc(1, sizeof *r);
    if (st == ET_OK && !r) st = et_error_set(&err, ET_ERR_NOMEM, "out of memory");
    if (st == ET_OK) st = et_regime_measure(sim, &sc, &opt, r, &err);
    if (st == ET_OK && !a.out) {
        et_regime_print(stdout, sim, &sc, r);
    } else if (st == ET_OK) {
        /* Both files or neither (trace.h). */
        et_outputs out;
        memset(&out, 0, sizeof out);
        FILE *md = NULL, *csv = NULL;
        st = et_outputs_open(&out, sc.out_dir, 0, 0, &err);
        if (st == ET_OK) st = et_outputs_add(&out, "regime.md", &md, &err);
        if (st == ET_OK) st = et_outputs_add(&out, "regime.csv", &csv, &err);
        if (st == ET_OK) {
            et_regime_print(md, sim, &sc, r);
            et_regime_write_csv(csv, r);
            st = et_outputs_commit(&out, NULL, &err);
        } else {
            et_outputs_abort(&out);
        }
        if (st == ET_OK && !a.quiet)
            fprintf(stderr, "edgetune: regime: wrote %s/regime.md and %s/regime.csv\n", sc.out_dir,
                    sc.out_dir);
    }
    free(r);
    et_sim_destroy(sim);
    return st == ET_OK ? 0 : cli_fail_run(&err, a.out ? sc.out_dir : NULL);
}

CLI_COMMAND(regime, "regime [SCENARIO]",
            "which choice wins per task; a dynamic rule's and hindsight's headroom", REGIME_USAGE,
            cmd_regime, " --episodes --budget -j --jobs ", 0);
