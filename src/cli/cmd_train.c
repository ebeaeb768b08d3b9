/* cmd_train.c: edgetune train, a learned policy trained in this process (or over MPI ranks). */
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
#include "collective.h"
#include "collective_mpi.h"
#include "interrupt.h"
#include "train.h"

typedef struct train_display {
    const char *banner; /* printed before the first episode's line, once training runs */
    int tty;
    double last;
    double ret_ema, delay_ema, ppl_ema;
    int seen;
} train_display;

/* One line per episode batch: a bar redrawn in place on a terminal, a plain
 * line every 10 s otherwise. */
static void on_train_progress(void *ctx, const et_train_progress *p)
{
    train_display *d = ctx;
    const et_episode_stats *s = p->stats;
    if (d->banner) {
        fputs(d->banner, stderr);
        d->banner = NULL;
    }
    double a = d->seen ? 0.05 : 1.0; /* smoothed over ~20 episodes */
    d->ret_ema += a * (s->reward - d->ret_ema);
    d->delay_ema += a * (s->mean_delay_s - d->delay_ema);
    d->ppl_ema += a * ((isnan(s->mean_ppl) ? 0 : s->mean_ppl) - d->ppl_ema);
    d->seen++;
    int last = p->episode + 1 == p->episodes;
    double every = d->tty ? 0.25 : 10.0;
    if (!last && p->wall_s - d->last < every) return;
    d->last = p->wall_s;
    double eps = d->seen / (p->wall_s > 0 ? p->wall_s : 1e-9);
    char elapsed[16], eta[16];
    cli_fmt_duration(p->wall_s, elapsed, sizeof elapsed);
    cli_fmt_duration(eps > 0 ? (p->episodes - p->episode - 1) / eps : -1, eta, sizeof eta);
    if (d->tty) {
        char bar[31];
        int fill = (int)(30.0 * (p->episode + 1) / p->episodes);
        for (int i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[30] = '\0';
        fprintf(stderr,
                "\r[%s] ep %d/%d  return %.1f  delay %.1f s  ppl %.2f  %.1f ep/s  %s, ETA %s ", bar,
                p->episode + 1, p->episodes, d->ret_ema, d->delay_ema, d->ppl_ema, eps, elapsed,
                eta);
        if (last) fputc('\n', stderr);
    } else {
        fprintf(stderr, "  ep %d/%d  return %.1f  delay %.1f s  ppl %.2f  %.1f ep/s  %s, ETA %s\n",
                p->episode + 1, p->episodes, d->ret_ema, d->delay_ema, d->ppl_ema, eps, elapsed,
                eta);
    }
}

/* Appends text to out (size bytes), single-quoted for a POSIX shell when it holds
 * anything but letters, digits and -_./=:,+ . */
static void append_shell_word(char *out, size_t size, const char *text)
{
    size_t n = strlen(out);
    int plain = text[0] != '\0';
    for (const char *c = text; *c; c++)
        if (!strchr("-_./=:,+@%", *c) && !isalnum((unsigned char)*c)) plain = 0;
    char word[ET_PATH_MAX * 2];
    size_t w = 0;
    if (!plain) word[w++] = '\'';
    for (const char *c = text; *c && w + 6 < sizeof word; c++) {
        if (*c == '\'' && !plain) {
            memcpy(word + w, "'\\''", 4);
            w += 4;
        } else {
            word[w++] = *c;
        }
    }
    if (!plain) word[w++] = '\'';
    word[w] = '\0';
    snprintf(out + n, size - n, "%s%s", n ? " " : "", word);
}

/* One line on an interrupted training run: where it stopped, which checkpoint holds what,
 * and the command that resumes it (this command with --resume CHECKPOINT). */
static int train_interrupted(const et_error *err, const et_train_result *res, int episodes,
                             int ranks, int argc, char **argv)
{
    char cmd[8192] = "";
    if (ranks > 1) { /* a distributed run resumes on as many ranks */
        char np[16];
        snprintf(np, sizeof np, "%d", ranks);
        append_shell_word(cmd, sizeof cmd, "mpirun");
        append_shell_word(cmd, sizeof cmd, "-np");
        append_shell_word(cmd, sizeof cmd, np);
    }
    append_shell_word(cmd, sizeof cmd, "edgetune");
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--resume") || !strcmp(argv[i], "--stop-after")) {
            i++; /* and its value */
            continue;
        }
        if (!strncmp(argv[i], "--resume=", 9) || !strncmp(argv[i], "--stop-after=", 13)) continue;
        /* Resuming continues the run --restart began; before its first checkpoint, starting
         * again still needs it (the old run's files are still there). */
        if (!strcmp(argv[i], "--restart") && res->checkpoint_episodes >= 0) continue;
        append_shell_word(cmd, sizeof cmd, argv[i]);
    }
    /* The message up to its first " at": "interrupted by SIGINT". */
    char what[64];
    snprintf(what, sizeof what, "%s", err->msg);
    char *at = strstr(what, " at ");
    if (at) *at = '\0';
    if (res->checkpoint_episodes < 0) {
        fprintf(stderr,
                "edgetune: %s after %d of %d episodes, before the first checkpoint (every "
                "train.checkpoint_every episodes); start again with: %s\n",
                what, res->episodes_done, episodes, cmd);
    } else {
        append_shell_word(cmd, sizeof cmd, "--resume");
        append_shell_word(cmd, sizeof cmd, res->resumable);
        fprintf(stderr,
                "edgetune: %s after %d of %d episodes; %s holds the first %d; resume with: %s\n",
                what, res->episodes_done, episodes, res->resumable, res->checkpoint_episodes, cmd);
    }
    return et_status_exit_code(ET_ERR_INTERRUPTED);
}

static const char TRAIN_USAGE[] =
    "usage: edgetune train [SCENARIO] [--policy hmppo|mappo|ippo] [--episodes N] [--out DIR]\n"
    "                      [--resume CHECKPOINT | --restart] [--seed N] [--ues N] [--tasks N]\n"
    "                      [-q]\n"
    "\n"
    "Trains a learned policy on episodes of the simulation, in this process, with a\n"
    "PPO update after every train.episodes_per_update episodes. Writes DIR/train.csv\n"
    "(one row per episode) and DIR/checkpoint.ckpt (every train.checkpoint_every\n"
    "episodes and at the end). --resume continues an interrupted run exactly where its\n"
    "checkpoint left off (bit-identical to an uninterrupted run). A DIR that holds a\n"
    "training run is refused without --resume, or --restart to start over (the old files\n"
    "stay until the new run's first checkpoint). Hyperparameters are\n"
    "the scenario's hmppo.* keys (docs/hmppo.md). Default policy: hmppo; default DIR: out/train.\n"
    "Under mpirun -np N, N processes train one policy, data-parallel: each simulates its own\n"
    "episodes, gradients are averaged over the ranks (docs/hmppo.md section 5).\n";

static double pct(double part, double whole)
{
    return whole > 0 ? 100.0 * part / whole : 0.0;
}

static int train_ranked(int argc, char **argv, et_collective *comm)
{
    /* The command line as typed, for the resume command (getopt_long reorders argv). */
    char *typed[256];
    int n_typed = argc < 256 ? argc : 256;
    memcpy(typed, argv, (size_t)n_typed * sizeof *typed);
    run_args a;
    int rank = comm->rank;
    int rc = cli_parse_run_args(argc, argv, &a, TRAIN_USAGE);
    if (rc) return rc == CLI_DONE ? 0 : rc;
    if (rank != 0) a.quiet = 1; /* rank 0 speaks for the run */
    et_error err;
    et_error_clear(&err);
    et_scenario sc;
    if (!a.policy) a.policy = "hmppo";
    if (!a.out) a.out = "out/train";
    if (a.resume && a.restart)
        return cli_usage_error(
            "train", "%s", "conflicting options: --resume continues a run, --restart starts over");
    et_status st = cli_prepare_scenario(&a, &sc, &err);
    /* Every rank checks (they see one folder): refused together, none waits for another. */
    if (st == ET_OK && !a.resume && !a.restart) st = et_train_check_fresh(sc.out_dir, &err);
    et_hmppo_variant variant = ET_HMPPO;
    if (st == ET_OK) st = et_train_variant(sc.policy, &variant, &err);
    et_sim *sim = NULL;
    if (st == ET_OK) st = cli_open_sim(&a, NULL, 0, &sc, NULL, NULL, &sim, &err);
    if (st != ET_OK) {
        et_sim_destroy(sim);
        return rank == 0 ? cli_fail_run(&err, NULL) : et_status_exit_code(err.code);
    }
    char banner[512], ranks[32] = "";
    if (comm->size > 1) snprintf(ranks, sizeof ranks, ", %d ranks", comm->size);
    snprintf(banner, sizeof banner,
             "edgetune: training %s on %d UEs x %d tasks, %d episodes%s, seed %llu%s%s\n",
             sc.policy, et_sim_ue_count(sim), sc.sim.tasks_per_ue, sc.train_episodes, ranks,
             (unsigned long long)sc.sim.seed, a.resume ? ", resuming " : "",
             a.resume ? a.resume : "");
    train_display disp = {.tty = isatty(2), .banner = banner};
    et_train_options opt = {.scenario = &sc,
                            .policy = sc.policy,
                            .out_dir = sc.out_dir,
                            .episodes = sc.train_episodes,
                            .resume = a.resume,
                            .stop_after = a.stop_after > 0 ? (int)a.stop_after : 0,
                            .restart = a.restart,
                            .progress = a.quiet ? NULL : on_train_progress,
                            .progress_ctx = &disp,
                            .comm = comm};
    et_train_result res;
    st = et_train_run(sim, &opt, &res, &err);
    et_sim_destroy(sim);
    if (st == ET_ERR_INTERRUPTED) {
        if (rank != 0) return et_status_exit_code(err.code);
        if (disp.tty && !disp.banner) fputc('\n', stderr); /* end the progress bar's line */
        return train_interrupted(&err, &res, sc.train_episodes, comm->size, n_typed, typed);
    }
    if (st != ET_OK) return rank == 0 ? cli_fail(&err) : et_status_exit_code(err.code);
    if (!a.quiet)
        fprintf(stdout,
                "  %d episodes done, mean return of the last 50: %.2f, %.1f s wall\n"
                "  time: %.0f%% episodes (simulation and decisions), %.0f%% PPO updates, %.0f%% "
                "exchanges between ranks\n"
                "  log %s/train.csv, checkpoint %s\n",
                res.episodes_done, res.last_return, res.wall_s, pct(res.episodes_s, res.wall_s),
                pct(res.update_s, res.wall_s), pct(res.exchange_s, res.wall_s), sc.out_dir,
                res.checkpoint);
    return 0;
}

/* Under mpirun every rank runs this: data-parallel training (et_train_options.comm). */
static int cmd_train(int argc, char **argv)
{
    et_collective comm;
    et_error err;
    et_error_clear(&err);
    int active = 0;
    if (et_mpi_start(&argc, &argv, &comm, &active, &err) != ET_OK) return cli_fail(&err);
    et_interrupt_install(); /* after MPI's initialisation, which may set handlers of its own */
    int rc = train_ranked(argc, argv, &comm);
    et_collective_clear(&comm);
    /* Bad input (2), a limit (3) and a signal (128 + n) stop every rank together (they learn
     * of them at the same exchange); another failure may have stopped this rank alone. */
    et_mpi_finish(active, rc == 1 ? rc : 0, comm.size);
    return rc;
}

CLI_COMMAND(train, "train [SCENARIO]", "train HMPPO (or MAPPO, IPPO) on episodes of the simulation",
            TRAIN_USAGE, cmd_train, " --policy --episodes --resume --restart --stop-after ",
            CLI_MPI);
