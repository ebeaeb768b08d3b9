/* main.c: the edgetune command line. The only place that turns an et_status
 * into an exit code and prints it (one line on stderr). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "platform.h"
#include "scenario.h"
#include "sim.h"
#include "status.h"
#include "trace.h"

static const char USAGE[] =
    "usage: edgetune <command> [options]\n"
    "\n"
    "Simulates emulator-assisted fine-tuning of foundation models at the mobile edge\n"
    "on SimGrid, and the policies that decide where each task is tuned.\n"
    "\n"
    "commands:\n"
    "  run [SCENARIO]     simulate one episode and write traces (default scenario if none)\n"
    "  platform           write a platform XML for any number of UEs\n"
    "  keys               list every scenario key with its default, range and meaning\n"
    "  policies           list the decision policies\n"
    "  help [COMMAND]     show help for a command\n"
    "\n"
    "options:\n"
    "  -h, --help         show this help\n"
    "  --version          print the version\n"
    "\n"
    "Docs: README.md, docs/configuration.md, docs/traces.md. Exit status: 0 ok, 2 bad input,\n"
    "1 other errors.\n";

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
    "  --paje FILE        also write a SimGrid Paje trace (for ViTE) to FILE\n"
    "  --no-channel-trace do not write channel.csv\n"
    "  -q, --quiet        no summary on stderr\n"
    "  -h, --help         show this help\n"
    "\n"
    "Outputs in DIR: tasks.csv, channel.csv, summary.json (docs/traces.md).\n";

static const char PLATFORM_USAGE[] =
    "usage: edgetune platform --ues N [--wifi] [--seed S] [-o FILE]\n"
    "\n"
    "Writes a platform XML with one edge server and N UEs (heterogeneous device\n"
    "classes, positions in the cell) to FILE, or to stdout. Defaults and sources:\n"
    "docs/platforms.md.\n"
    "\n"
    "options:\n"
    "  --ues N            number of UEs (1 to 1000000)\n"
    "  --wifi             one shared 802.11 cell instead of per-UE OFDMA links\n"
    "  --seed S           seed for device classes and positions (default 1)\n"
    "  -o, --output FILE  write to FILE (atomically) instead of stdout\n";

static const char KEYS_USAGE[] = "usage: edgetune keys [--markdown]\n"
                                 "\n"
                                 "Lists every scenario key: type, default, range and meaning.\n";

static int fail(const et_error *err)
{
    fprintf(stderr, "edgetune: error: %s\n", err->msg);
    return et_status_exit_code(err->code);
}

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "edgetune %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see edgetune %s --help)\n", cmd);
    return 2;
}

/* Directory holding platforms/, models/ and examples/. */
static const char *data_dir(void)
{
    const char *env = getenv("EDGETUNE_DATA_DIR");
    return env && env[0] ? env : ET_SOURCE_DIR;
}

static int parse_long(const char *text, long min, long max, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || !end || *end || end == text || v < min || v > max) return -1;
    *out = v;
    return 0;
}

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ------------------------------------------------------------------ run */

typedef struct run_args {
    const char *scenario;
    const char *policy, *out, *paje, *platform, *model;
    long seed, ues, tasks;
    int quiet, no_channel;
    int sg_argc;
    char *sg_argv[64]; /* argv[0] + --cfg= / --log= options for SimGrid */
} run_args;

static int parse_run_args(int argc, char **argv, run_args *a)
{
    memset(a, 0, sizeof *a);
    a->seed = a->ues = a->tasks = -1;
    a->sg_argv[a->sg_argc++] = argv[0];
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            fputs(RUN_USAGE, stdout);
            exit(0);
        } else if (!strncmp(s, "--cfg=", 6) || !strncmp(s, "--log=", 6)) {
            if (a->sg_argc < 63) a->sg_argv[a->sg_argc++] = argv[i];
        } else if (!strcmp(s, "--policy") || !strcmp(s, "--out") || !strcmp(s, "--paje") ||
                   !strcmp(s, "--platform") || !strcmp(s, "--model") ||
                   !strcmp(s, "--seed") || !strcmp(s, "--ues") || !strcmp(s, "--tasks")) {
            if (!next) return usage_error("run", "option %s needs a value", s);
            i++;
            if (!strcmp(s, "--policy")) a->policy = next;
            else if (!strcmp(s, "--out")) a->out = next;
            else if (!strcmp(s, "--paje")) a->paje = next;
            else if (!strcmp(s, "--platform")) a->platform = next;
            else if (!strcmp(s, "--model")) a->model = next;
            else if (!strcmp(s, "--seed") && parse_long(next, 0, LONG_MAX, &a->seed))
                return usage_error("run", "--seed: expected a non-negative integer, got '%s'", next);
            else if (!strcmp(s, "--ues") && parse_long(next, 1, 1000000, &a->ues))
                return usage_error("run", "--ues: expected an integer in [1, 1000000], got '%s'", next);
            else if (!strcmp(s, "--tasks") && parse_long(next, 1, 100000, &a->tasks))
                return usage_error("run", "--tasks: expected an integer in [1, 100000], got '%s'",
                                   next);
        } else if (!strcmp(s, "-q") || !strcmp(s, "--quiet")) {
            a->quiet = 1;
        } else if (!strcmp(s, "--no-channel-trace")) {
            a->no_channel = 1;
        } else if (s[0] == '-') {
            return usage_error("run", "unknown option '%s'", s);
        } else if (!a->scenario) {
            a->scenario = s;
        } else {
            return usage_error("run", "unexpected argument '%s'", s);
        }
    }
    a->sg_argv[a->sg_argc] = NULL;
    return 0;
}

static void print_summary(const et_sim *sim, const et_scenario *sc, const et_episode_stats *s,
                          double wall, const char *out_dir)
{
    fprintf(stderr,
            "edgetune: %d UEs x %d tasks, model %s, policy %s, seed %llu\n"
            "  tasks      %d (local %d, server %d, failed %d, late %d)\n"
            "  delay      mean %.3f s, total %.1f s\n"
            "  perplexity mean %.3f\n"
            "  reward     %.3f (episodic)\n"
            "  simulated  %.1f s in %.3f s wall; outputs in %s/\n",
            et_sim_ue_count(sim), sc->tasks_per_ue, et_sim_model_name(sim), sc->policy,
            (unsigned long long)sc->seed, s->tasks, s->local, s->server, s->failed, s->late,
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
    double now = wall_s();
    double every = p->tty ? 0.5 : 10.0;
    if (now - p->start < 2.0 || (now - p->last < every && done != total)) return;
    if (done == total && !p->printed) return;
    p->last = now;
    p->printed = 1;
    double rate = done / (now - p->start);
    if (p->tty)
        fprintf(stderr, "\r  tasks %d/%d (%.0f%%), simulated %.0f s, %.0f tasks/s%s", done, total,
                100.0 * done / total, sim_s, rate, done == total ? "\n" : "");
    else
        fprintf(stderr, "  tasks %d/%d (%.0f%%), simulated %.0f s, %.0f tasks/s\n", done, total,
                100.0 * done / total, sim_s, rate);
}

/* Loads the scenario named on the command line (or the default) and applies overrides. */
static et_status load_scenario(const char *path, et_scenario *sc, et_error *err)
{
    char def[ET_PATH_MAX];
    if (!path) {
        snprintf(def, sizeof def, "%s/examples/default.json", data_dir());
        path = def;
    }
    return et_scenario_load(path, data_dir(), sc, err);
}

static int cmd_run(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args(argc, argv, &a);
    if (rc) return rc;
    double t_start = wall_s();
    et_error err;
    et_error_clear(&err);
    et_scenario sc;
    et_status st = load_scenario(a.scenario, &sc, &err);
    if (st != ET_OK) return fail(&err);
    if (a.policy) snprintf(sc.policy, sizeof sc.policy, "%s", a.policy);
    if (a.seed >= 0) sc.seed = (uint64_t)a.seed;
    if (a.ues > 0) sc.ues = (int)a.ues;
    if (a.tasks > 0) sc.tasks_per_ue = (int)a.tasks;
    if (a.out) snprintf(sc.out_dir, sizeof sc.out_dir, "%s", a.out);
    if (a.platform) snprintf(sc.platform, sizeof sc.platform, "%s", a.platform);
    if (a.model) snprintf(sc.model, sizeof sc.model, "%s", a.model);
    if (a.no_channel) sc.write_channel_trace = 0;

    et_policy_params pp = {.keep = sc.policy_keep, .seed = sc.seed};
    et_agent *agent = NULL;
    st = et_agent_create(sc.policy, &pp, &agent, &err);
    if (st != ET_OK) return fail(&err);

    /* The Paje file is written under a temporary name and renamed at the end,
     * so a failed run leaves no half-written trace. */
    char paje_tmp[ET_PATH_MAX + 16];
    if (a.paje) snprintf(paje_tmp, sizeof paje_tmp, "%s.tmp", a.paje);
    st = et_engine_init(&a.sg_argc, a.sg_argv, a.paje ? paje_tmp : NULL, &err);
    et_sim *sim = NULL;
    if (st == ET_OK) st = et_sim_create(&sc, &sim, &err);
    et_outputs out;
    memset(&out, 0, sizeof out);
    if (st == ET_OK) st = et_outputs_open(&out, sc.out_dir, 1, sc.write_channel_trace, &err);
    progress_state prog = {.start = wall_s(), .tty = isatty(2)};
    if (st == ET_OK && !a.quiet) et_sim_set_progress(sim, on_progress, &prog);
    et_episode_stats stats;
    if (st == ET_OK) st = et_sim_run_episode(sim, agent, 0, &out, &stats, &err);
    char *summary = NULL;
    if (st == ET_OK) {
        char *scen = et_scenario_to_json(&sc);
        char *res = et_episode_stats_to_json(sim, &stats);
        size_t n = (scen ? strlen(scen) : 0) + (res ? strlen(res) : 0) + 64;
        summary = malloc(n);
        if (summary && scen && res)
            snprintf(summary, n, "{\n\"scenario\": %s,\n\"result\": %s\n}\n", scen, res);
        else st = et_error_set(&err, ET_ERR_NOMEM, "out of memory");
        free(scen);
        free(res);
    }
    if (st == ET_OK) st = et_outputs_commit(&out, summary, &err);
    else et_outputs_abort(&out);
    if (a.paje) {
        if (st == ET_OK && rename(paje_tmp, a.paje) != 0)
            st = et_error_set(&err, ET_ERR_IO, "%s: cannot write: %s", a.paje, strerror(errno));
        if (st != ET_OK) unlink(paje_tmp);
    }
    if (st == ET_OK && !a.quiet) print_summary(sim, &sc, &stats, wall_s() - t_start, sc.out_dir);
    free(summary);
    et_sim_destroy(sim);
    et_agent_destroy(agent);
    return st == ET_OK ? 0 : fail(&err);
}

/* ------------------------------------------------------------- platform */

static int cmd_platform(int argc, char **argv)
{
    long ues = -1, seed = 1;
    int wifi = 0;
    const char *output = NULL;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            fputs(PLATFORM_USAGE, stdout);
            return 0;
        } else if (!strcmp(s, "--wifi")) {
            wifi = 1;
        } else if (!strcmp(s, "--ues") || !strcmp(s, "--seed") || !strcmp(s, "-o") ||
                   !strcmp(s, "--output")) {
            if (!next) return usage_error("platform", "option %s needs a value", s);
            i++;
            if (!strcmp(s, "--ues") && parse_long(next, 1, 1000000, &ues))
                return usage_error("platform", "--ues: expected an integer in [1, 1000000], got '%s'",
                                   next);
            if (!strcmp(s, "--seed") && parse_long(next, 0, LONG_MAX, &seed))
                return usage_error("platform", "--seed: expected a non-negative integer, got '%s'",
                                   next);
            if (!strcmp(s, "-o") || !strcmp(s, "--output")) output = next;
        } else {
            return usage_error("platform", "unexpected argument '%s'", s);
        }
    }
    if (ues < 0) return usage_error("platform", "%s", "--ues N is required");
    et_platform_spec spec;
    et_platform_spec_default(&spec, (int)ues, wifi ? ET_ACCESS_WIFI : ET_ACCESS_OFDMA);
    spec.seed = (uint64_t)seed;
    et_error err;
    et_error_clear(&err);
    if (!output) {
        et_status st = et_platform_write(stdout, &spec, &err);
        return st == ET_OK ? 0 : fail(&err);
    }
    char tmp[ET_PATH_MAX + 16];
    snprintf(tmp, sizeof tmp, "%s.tmp", output);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        et_error_set(&err, ET_ERR_IO, "%s: cannot write: %s", output, strerror(errno));
        return fail(&err);
    }
    et_status st = et_platform_write(f, &spec, &err);
    if (fclose(f) != 0 && st == ET_OK)
        st = et_error_set(&err, ET_ERR_IO, "%s: write error", output);
    if (st == ET_OK && rename(tmp, output) != 0)
        st = et_error_set(&err, ET_ERR_IO, "%s: cannot write: %s", output, strerror(errno));
    if (st != ET_OK) {
        unlink(tmp);
        return fail(&err);
    }
    return 0;
}

/* ------------------------------------------------------------ keys etc. */

static int cmd_keys(int argc, char **argv)
{
    int markdown = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--markdown")) markdown = 1;
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(KEYS_USAGE, stdout);
            return 0;
        } else return usage_error("keys", "unexpected argument '%s'", argv[i]);
    }
    et_scenario_print_keys(stdout, markdown);
    return 0;
}

static int cmd_policies(void)
{
    for (const char *const *n = et_agent_names(); *n; n++) printf("%s\n", *n);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(USAGE, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
        fputs(USAGE, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("edgetune %s\n", ET_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "help")) {
        const char *topic = argc > 2 ? argv[2] : "";
        if (!strcmp(topic, "run")) fputs(RUN_USAGE, stdout);
        else if (!strcmp(topic, "platform")) fputs(PLATFORM_USAGE, stdout);
        else if (!strcmp(topic, "keys")) fputs(KEYS_USAGE, stdout);
        else fputs(USAGE, stdout);
        return 0;
    }
    if (!strcmp(cmd, "run")) return cmd_run(argc, argv);
    if (!strcmp(cmd, "platform")) return cmd_platform(argc, argv);
    if (!strcmp(cmd, "keys")) return cmd_keys(argc, argv);
    if (!strcmp(cmd, "policies")) return cmd_policies();
    fprintf(stderr, "edgetune: unknown command '%s' (see edgetune --help)\n", cmd);
    return 2;
}
