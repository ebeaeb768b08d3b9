/* cmd_run.c: edgetune run, one episode with its traces. */
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
#include "decisions.h"
#include "edgetune_cjson.h"
#include "train.h"

static const char RUN_USAGE[] =
    "usage: edgetune run [SCENARIO] [options] [--cfg=SIMGRID_OPTION:VALUE ...] [--log=...]\n"
    "\n"
    "Runs one episode: every UE works through its task queue while the policy decides\n"
    "where each task is tuned and how compressed its emulator is.\n"
    "SCENARIO is a JSON file of keys (edgetune keys); without it the shipped default\n"
    "examples/default.json is used.\n"
    "\n"
    "options:\n"
    "  --policy NAME      decision policy (edgetune policies); overrides 'policy'\n"
    "  --seed N           root seed; overrides 'seed'\n"
    "  --ues N            simulate the first N UE hosts; overrides 'ues'\n"
    "  --tasks N          tasks per UE; overrides 'tasks.per_ue'\n"
    "  --platform FILE    platform XML; overrides 'platform'\n"
    "  --model FILE       foundation-model profile; overrides 'model'\n"
    "  --out DIR          output directory; overrides 'out' (default: out)\n"
    "  --checkpoint FILE  a learned policy from edgetune train; without --policy the\n"
    "                     checkpoint's learner (hmppo, mappo, ippo) is used; a baseline\n"
    "                     --policy with a checkpoint is an error\n"
    "  --paje FILE        also write a SimGrid Paje trace (for ViTE) to FILE\n"
    "  --no-channel-trace do not write channel.csv\n"
    "  -q, --quiet        no progress and no summary\n"
    "  -h, --help         show this help\n"
    "\n"
    "Outputs in DIR: tasks.csv, channel.csv, summary.json (docs/traces.md).\n";

static void print_summary(const et_sim *sim, const et_scenario *sc, const et_episode_stats *s,
                          double wall, const char *out_dir)
{
    fprintf(stdout,
            "edgetune: %d UEs x %d tasks, model %s, policy %s, seed %llu\n"
            "  tasks      %d (local %d, server %d, failed %d, late %d)\n"
            "  delay      mean %.3f s, total %.1f s\n"
            "  perplexity mean %.3f\n"
            "  reward     %.3f (episodic)\n"
            "  simulated  %.1f s in %.3f s wall; outputs in %s/\n",
            et_sim_ue_count(sim), sc->sim.tasks_per_ue, et_sim_model_name(sim), sc->policy,
            (unsigned long long)sc->sim.seed, s->tasks, s->local, s->server, s->failed, s->late,
            s->mean_delay_s, s->total_delay_s, s->mean_ppl, s->reward, s->makespan_s, wall,
            out_dir);
}

/* Progress on stderr for long runs: a line redrawn in place on a terminal,
 * a plain line every 10 s otherwise; nothing for runs under 2 s. */
typedef struct progress_state {
    double start, last;
    int tty, printed;
} progress_state;

static void on_progress(void *ctx, int done, int total, double sim_s)
{
    progress_state *p = ctx;
    if ((done & 63) != 0 && done != total) return; /* read the clock rarely */
    double now = cli_wall_s();
    double every = p->tty ? 0.5 : 10.0;
    if (now - p->start < 2.0 || (now - p->last < every && done != total)) return;
    if (done == total && !p->printed) return;
    p->last = now;
    p->printed = 1;
    double rate = done / (now - p->start);
    char elapsed[16], eta[16];
    cli_fmt_duration(now - p->start, elapsed, sizeof elapsed);
    cli_fmt_duration(rate > 0 ? (total - done) / rate : -1, eta, sizeof eta);
    fprintf(stderr,
            "%s  tasks %d/%d (%.0f%%), simulated %.0f s, %.0f tasks/s, elapsed %s, ETA %s%s",
            p->tty ? "\r" : "", done, total, 100.0 * done / total, sim_s, rate, elapsed, eta,
            p->tty && done != total ? "  " : "\n");
}

static int cmd_run(int argc, char **argv)
{
    run_args a;
    int rc = cli_parse_run_args(argc, argv, &a, RUN_USAGE);
    if (rc) return rc == CLI_DONE ? 0 : rc;
    double t_start = cli_wall_s();
    et_error err;
    et_error_clear(&err);
    et_scenario sc;
    et_status st = cli_prepare_scenario(&a, &sc, &err);
    if (st != ET_OK) return cli_fail(&err);
    et_agent *agent = NULL;
    if (a.checkpoint && !a.policy && !et_train_is_learned(sc.policy)) {
        /* --checkpoint without --policy: the checkpoint names its learner. */
        const char *held = NULL;
        st = cli_load_learned(a.checkpoint, &agent, &held, &err);
        if (st != ET_OK) return cli_fail(&err);
        snprintf(sc.policy, sizeof sc.policy, "%s", held);
    } else {
        st = cli_make_agent(&sc, sc.policy, a.checkpoint, &agent, &err);
        if (st != ET_OK) return cli_fail(&err);
    }

    /* The Paje file is written under a temporary name and renamed at the end,
     * so a failed run leaves no half-written trace. */
    char *paje_tmp = NULL;
    st = ET_OK;
    if (a.paje) {
        size_t len = strlen(a.paje) + 48;
        if ((paje_tmp = malloc(len)) != NULL) et_outputs_tmp_name(a.paje, paje_tmp, len);
        struct stat ps;
        if (!paje_tmp)
            st = et_error_set(&err, ET_ERR_NOMEM, "out of memory");
        else if (lstat(paje_tmp, &ps) == 0 && !S_ISREG(ps.st_mode))
            /* SimGrid opens the trace itself, and crashes on a directory there. */
            st = et_error_set(&err, ET_ERR_INPUT,
                              "option --paje: expected a file to write, but its temporary '%s' "
                              "is in the way (not a regular file)",
                              paje_tmp);
    }
    et_sim *sim = NULL;
    if (st == ET_OK)
        st = cli_open_sim(&a, paje_tmp, 1, &sc, et_train_is_learned(sc.policy) ? agent : NULL,
                          a.checkpoint, &sim, &err);
    et_outputs out;
    memset(&out, 0, sizeof out);
    if (st == ET_OK) st = et_outputs_open(&out, sc.out_dir, 1, sc.write_channel_trace, &err);
    if (st == ET_OK && sc.write_activity_log) {
        st = et_outputs_add(&out, "activities.csv", &out.activity, &err);
        if (st == ET_OK) fputs(et_trace_header(ET_TRACE_ACTIVITIES), out.activity);
    }
    /* The decision log wraps a learned agent; the run then decides through the wrapper. */
    et_agent *logged = NULL;
    if (st == ET_OK && sc.write_decisions && et_train_is_learned(sc.policy)) {
        FILE *df = NULL;
        st = et_outputs_add(&out, "decisions.csv", &df, &err);
        if (st == ET_OK) et_decisions_header(df);
        if (st == ET_OK) st = et_decisions_wrap(agent, df, &logged, &err);
    }
    progress_state prog = {.start = cli_wall_s(), .tty = isatty(2)};
    if (st == ET_OK && !a.quiet) et_sim_set_progress(sim, on_progress, &prog);
    et_episode_stats stats;
    if (st == ET_OK) st = et_sim_run_episode(sim, logged ? logged : agent, 0, &out, &stats, &err);
    et_agent_destroy(logged);
    char *summary = NULL;
    if (st == ET_OK) {
        summary = cli_summary_json(&sc, et_episode_stats_to_cjson(sim, &stats), argc, argv);
        if (!summary) st = et_error_set(&err, ET_ERR_NOMEM, "out of memory");
    }
    /* The Paje trace is one of the run's outputs: renamed with the others, or removed. */
    if (st == ET_OK && a.paje) st = et_outputs_adopt(&out, paje_tmp, a.paje, &err);
    /* A signal during the episode's last moments still stops it: nothing is put in place. */
    if (st == ET_OK) st = cli_interrupted_when("at the end of episode 0", &err);
    if (st == ET_OK)
        st = et_outputs_commit(&out, summary, &err);
    else
        et_outputs_abort(&out);
    if (a.paje && st != ET_OK) unlink(paje_tmp);
    free(paje_tmp);
    if (st == ET_OK && !a.quiet)
        print_summary(sim, &sc, &stats, cli_wall_s() - t_start, sc.out_dir);
    free(summary);
    et_sim_destroy(sim);
    et_agent_destroy(agent);
    return st == ET_OK ? 0 : cli_fail_run(&err, sc.out_dir);
}

CLI_COMMAND(run, "run [SCENARIO]",
            "simulate one episode and write traces (default scenario if none)", RUN_USAGE, cmd_run,
            " --policy --paje --no-channel-trace --checkpoint ", 0);
