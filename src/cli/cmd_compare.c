/* cmd_compare.c: edgetune compare, the comparison study (study.h). */
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
#include "study.h"

static const char COMPARE_USAGE[] =
    "usage: edgetune compare [SCENARIO] [--seeds N] [--episodes N] [--eval N]\n"
    "                        [--validation N] [-j N] [--learners LIST] [--bound N]\n"
    "                        [--budget N] [--out DIR] [-q]\n"
    "\n"
    "The study (docs/results.md): tunes every baseline's free parameters by search\n"
    "on validation episodes (all-local and greedy: the emulator size; tuned-static:\n"
    "which device classes tune locally, and the emulator size, exhaustively;\n"
    "tuned-dynamic: each class's load threshold and emulator size, by coordinate\n"
    "search from tuned-static's optimum),\n"
    "trains every learner (default hmppo,mappo,ippo) from N seeds (default 5) for\n"
    "--episodes each (default train.episodes), evaluates every policy and seed on\n"
    "the same --eval episodes (default train.eval_episodes), each in a fresh engine,\n"
    "and writes DIR/compare.md (means with 95% intervals, HMPPO's paired\n"
    "difference with every other policy, the tuned parameters), compare.csv and\n"
    "curves.csv (learning curves of every run; examples/plot-study.sh draws them).\n"
    "-j N runs N processes at once (default: the number of CPUs).\n"
    "--validation N: validation episodes per candidate (default 3). --learners \"\"\n"
    "compares the baselines only. --bound N: the hindsight bound of `edgetune regime`\n"
    "on the first N evaluation episodes (default 5; 0: none), searched from the tuned\n"
    "tuned-static and tuned-dynamic with at most --budget rescorings per episode\n"
    "(default 500); every policy's gain over tuned-static on those episodes beside\n"
    "the bound's, and DIR/bound.csv. Default DIR: out/compare.\n";

static int cmd_compare(int argc, char **argv)
{
    run_args a;
    int rc = cli_parse_run_args(argc, argv, &a, COMPARE_USAGE);
    if (rc) return rc == CLI_DONE ? 0 : rc;
    et_error err;
    et_error_clear(&err);
    if (!a.out) a.out = "out/compare";
    et_scenario sc;
    et_status st = cli_prepare_scenario(&a, &sc, &err);
    et_sim *sim = NULL;
    if (st == ET_OK) st = cli_open_sim(&a, NULL, 0, &sc, NULL, NULL, &sim, &err);
    et_study_options opt = {.scenario = &sc,
                            .out_dir = sc.out_dir,
                            .seeds = a.seeds > 0 ? (int)a.seeds : 5,
                            .train_episodes = sc.train_episodes,
                            .eval_episodes = sc.eval_episodes,
                            .validation_episodes = a.validation > 0 ? (int)a.validation : 3,
                            .jobs = a.jobs > 0 ? (int)a.jobs : et_isolate_cpus(),
                            .learners = a.learners ? a.learners : "hmppo,mappo,ippo",
                            .bound_episodes = a.bound >= 0 ? (int)a.bound : 5,
                            .bound_budget =
                                a.budget >= 0 ? (int)a.budget : ET_REGIME_DEFAULT_BUDGET,
                            .quiet = a.quiet};
    /* One study per folder at a time: its trainings and tables go there (trace.h). */
    int lock = 0;
    if (st == ET_OK) st = et_mkdirs(sc.out_dir, &err);
    if (st == ET_OK) st = et_outputs_lock_dir(sc.out_dir, &lock, &err);
    if (st == ET_OK) st = et_study_run(sim, &opt, &err);
    et_outputs_unlock_dir(&lock);
    if (st == ET_OK && !a.quiet) {
        char path[ET_PATH_MAX + 16];
        snprintf(path, sizeof path, "%s/compare.md", sc.out_dir);
        FILE *f = fopen(path, "r");
        char line[1024];
        while (f && fgets(line, sizeof line, f))
            fputs(line, stderr);
        if (f) fclose(f);
    }
    et_sim_destroy(sim);
    if (st == ET_ERR_INTERRUPTED) {
        fprintf(stderr,
                "edgetune: %s; the tables were not written (%s/ keeps its previous compare.md, "
                "compare.csv and curves.csv; the training directories their last checkpoints)\n",
                err.msg, sc.out_dir);
        return et_status_exit_code(st);
    }
    return st == ET_OK ? 0 : cli_fail(&err);
}

CLI_COMMAND(compare, "compare [SCENARIO]",
            "evaluate HMPPO against every baseline; Markdown and CSV table", COMPARE_USAGE,
            cmd_compare,
            " --episodes --eval --seeds --validation -j --jobs --learners --bound --budget ", 0);
