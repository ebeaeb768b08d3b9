/* main.c: the edgetune command line. The only place that turns an et_status
 * into an exit code and prints it (one line on stderr). */
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
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>
#include <cblas.h>

#include "agent.h"
#include "budget.h"
#include "collective_mpi.h"
#include "decisions.h"
#include "edgetune.h"
#include "hmppo.h"
#include "interrupt.h"
#include "isolate.h"
#include "linkbudget.h"
#include "numtext.h"
#include "platform.h"
#include "regime.h"
#include "registry.h"
#include "scenario.h"
#include "sim.h"
#include "status.h"
#include "study.h"
#include "sweep.h"
#include "sweep_mpi.h"
#include "trace.h"
#include "train.h"
#include "view.h"

static const char USAGE[] =
    "usage: edgetune <command> [options]\n"
    "\n"
    "Simulates emulator-assisted fine-tuning of foundation models at the mobile edge\n"
    "on SimGrid, and the policies that decide where each task is tuned.\n"
    "\n"
    "commands:\n"
    "  run [SCENARIO]       simulate one episode and write traces (default scenario if none)\n"
    "  train [SCENARIO]     train HMPPO (or MAPPO, IPPO) on episodes of the simulation\n"
    "  eval [SCENARIO]      evaluate a trained checkpoint on unseen episodes\n"
    "  compare [SCENARIO]   evaluate HMPPO against every baseline; Markdown and CSV table\n"
    "  regime [SCENARIO]    which choice wins per task; a dynamic rule's and hindsight's headroom\n"
    "  sweep SPEC           run a scenario over a grid of keys, seeds and policies (-j, MPI)\n"
    "  platform             write a platform XML for any number of UEs and cells\n"
    "  linkbudget           the channel's link budget of one UE at a distance from its AP\n"
    "  view OUT             an HTML page that plays a run back (map, rates, queues, tasks)\n"
    "  keys                 list every scenario key with its default, range and meaning\n"
    "  policies             list the decision policies\n"
    "  help [COMMAND]       show help for a command\n"
    "\n"
    "options:\n"
    "  -h, --help         show this help\n"
    "  --version          print the version\n"
    "\n"
    "Options of the commands take their value as --seed=3 or --seed 3. The simulating\n"
    "commands pass SimGrid's own options through: --cfg=KEY:VALUE, --log=..., and its\n"
    "help (--help-cfg or --cfg-help, --help-models, --help-logs, --help-tracing), which\n"
    "prints and exits.\n"
    "\n"
    "Results (the run, training and evaluation summaries) go to stdout; progress and\n"
    "diagnostics to stderr.\n"
    "\n"
    "Docs: README.md, docs/configuration.md, docs/traces.md. Exit status: 0 ok, 2 bad input\n"
    "(also a scenario expected to exceed limits.*), 3 a run stopped at limits.sim_time_s or\n"
    "limits.output_bytes, 128 + N on signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP: the run\n"
    "stops, writes nothing half-way and says where it stands), 1 other errors.\n";

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

static const char PLATFORM_USAGE[] =
    "usage: edgetune platform --ues N [--wifi | --full-routing] [--seed S] [-o FILE]\n"
    "       edgetune platform --ues N --cells K [--layout hex|grid] [--isd M|uma|umi]\n"
    "       edgetune platform --ues N [--cells K] --scenario uma|umi|rma|inh ...\n"
    "                         [--shared-server [--core-bps B] [--core-latency-s S]] ...\n"
    "\n"
    "Writes a platform XML with one edge server and N UEs (heterogeneous device\n"
    "classes, positions in the cell) to FILE, or to stdout; with --cells, a metro\n"
    "platform of K cells, each with its access point at its own position. Defaults\n"
    "and sources: docs/platforms.md.\n"
    "\n"
    "options:\n"
    "  --ues N            number of UEs (1 to 1000000)\n"
    "  --wifi             one shared 802.11 cell instead of per-UE OFDMA links\n"
    "  --full-routing     a Full zone with explicit routes instead of a Cluster zone\n"
    "  --seed S           seed for device classes and positions (default 1)\n"
    "  --server-flops F   effective training FLOP/s per accelerator (default 3e13)\n"
    "  --server-cores N   accelerators per edge server (default 1)\n"
    "  --cell-radius M    radius of the disc UEs are placed in around their AP, m\n"
    "                     (default 250, 40 with --wifi, ISD/2 with --cells or --scenario)\n"
    "  --scenario S       write each cell's TR 38.901 scenario (uma, umi, rma, inh) with\n"
    "                     its Table 7.2-1 heights and ISD and a 4 GHz carrier (TR 38.913)\n"
    "                     into the XML; without it, the scenario keys decide\n"
    "  -o, --output FILE  write to FILE (atomically) instead of stdout\n"
    "\n"
    "metro options (OFDMA only):\n"
    "  --cells K          K cells (1 to 1000); UE i joins cell i mod K\n"
    "  --layout L         cell sites on a hex grid (default) or a square grid\n"
    "  --isd D            inter-site distance: metres, or uma (500, default) or umi\n"
    "                     (200), the 3GPP TR 38.901 urban macro / micro scenarios\n"
    "  --shared-server    one edge server for every cell, behind a core link,\n"
    "                     instead of one server per cell\n"
    "  --core-bps B       core link bandwidth, bits/s (default 1e11)\n"
    "  --core-latency-s S core link latency, s (default 0.005)\n";

static const char KEYS_USAGE[] = "usage: edgetune keys [--markdown]\n"
                                 "\n"
                                 "Lists every scenario key: type, default, range and meaning.\n";

static int fail(const et_error *err)
{
    fprintf(stderr, "edgetune: error: %s\n", err->msg);
    return et_status_exit_code(err->code);
}

/* Reports a failed simulating command: an interruption as one line saying where things
 * stand (out_dir: the directory whose previous files were kept, or NULL), anything else as
 * an error line. */
static int fail_run(const et_error *err, const char *out_dir)
{
    if (err->code != ET_ERR_INTERRUPTED) return fail(err);
    if (out_dir)
        fprintf(stderr, "edgetune: %s; nothing written, %s/ keeps its previous files\n", err->msg,
                out_dir);
    else
        fprintf(stderr, "edgetune: %s\n", err->msg);
    return et_status_exit_code(err->code);
}

/* A signal received by now stops the command (when: "before the first episode"). */
static et_status interrupted_when(const char *when, et_error *err)
{
    int sig = et_interrupted();
    if (!sig) return ET_OK;
    return et_error_set(err, ET_ERR_INTERRUPTED, "interrupted by %s %s", et_interrupt_name(sig),
                        when);
}

/* Interrupted before a simulation started (the signal came while loading). */
static et_status check_interrupted(et_error *err)
{
    return interrupted_when("before the first episode", err);
}

/* The up-front estimate (budget.h): refuses a scenario expected to exceed its limits,
 * warns on stderr when it comes near them. writes_traces: the command writes an
 * episode's tasks.csv and channel.csv. */
static et_status check_budget(const et_sim *sim, const et_scenario *sc, int writes_traces,
                              et_error *err)
{
    et_budget b;
    et_budget_estimate(sim, sc->write_channel_trace, &b);
    char warning[600];
    et_status st = et_budget_check(sim, &b, writes_traces, warning, sizeof warning, err);
    if (st == ET_OK && warning[0]) fprintf(stderr, "edgetune: warning: %s\n", warning);
    if (st == ET_OK) st = check_interrupted(err);
    return st;
}

/* The same limits before the platform is loaded, from its UE count alone (budget.h,
 * et_budget_precheck): a platform of a million UEs takes SimGrid a minute and gigabytes to
 * load, a scenario that cannot run on it is refused at once. After et_engine_init (the
 * actors' stack size is an engine option), before et_sim_create. */
static et_status precheck_budget(const et_scenario *sc, int writes_traces, et_error *err)
{
    et_sim_params p;
    et_sim_params_from_scenario(sc, &p);
    et_status st = et_budget_precheck(&p, sc->write_channel_trace, writes_traces, err);
    if (st == ET_OK) st = check_interrupted(err); /* before the long load, not after it */
    return st;
}

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    /* One line of text whatever the user typed (cut at 400 bytes). */
    char shown[400];
    size_t n = et_escape(shown, sizeof shown, arg ? arg : "");
    fprintf(stderr, "edgetune %s: ", cmd);
    fprintf(stderr, fmt, shown);
    fprintf(stderr, "%s (see edgetune %s --help)\n", arg && strlen(arg) > n ? "..." : "", cmd);
    return 2;
}

/* Directory holding platforms/, models/ and examples/: $EDGETUNE_DATA_DIR if set; else
 * <prefix>/share/edgetune when this binary is installed as <prefix>/bin/edgetune (found from
 * its own path, so a moved prefix still works); else the source tree it was built from. */
static et_status data_dir(char *out, size_t out_size, et_error *err)
{
    const char *env = getenv("EDGETUNE_DATA_DIR");
    if (env && env[0]) {
        if ((size_t)snprintf(out, out_size, "%s", env) < out_size) return ET_OK;
        return et_error_set(err, ET_ERR_INPUT,
                            "EDGETUNE_DATA_DIR: expected a path of at most %zu characters, got "
                            "one of %zu",
                            out_size - 1, strlen(env));
    }
    snprintf(out, out_size, "%s", ET_SOURCE_DIR);
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe);
    if (n <= 0 || (size_t)n >= sizeof exe) return ET_OK; /* unknown (or cut): the source tree */
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return ET_OK;
    *slash = '\0'; /* <prefix>/bin */
    char probe[4096 + 64];
    int len = snprintf(probe, sizeof probe, "%s/../%s/examples/default.json", exe, ET_REL_DATA_DIR);
    if (len > 0 && (size_t)len < sizeof probe && access(probe, R_OK) == 0 &&
        (size_t)snprintf(out, out_size, "%s/../%s", exe, ET_REL_DATA_DIR) >= out_size)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: installed under a path too long for its data (at most %zu "
                            "characters); set EDGETUNE_DATA_DIR",
                            exe, out_size - 1);
    return ET_OK;
}

/* A whole string as a plain decimal integer in [min, max] (numtext.h: not " 5", "+5" or
 * "0x10"). */
static int parse_long(const char *text, long min, long max, long *out)
{
    return et_numtext_long(text, min, max, out);
}

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ------------------------------------------------------------------ run */

typedef struct run_args {
    const char *cmd;
    const char *scenario;
    const char *policy, *out, *paje, *platform, *model;
    const char *checkpoint, *resume;
    long episodes, stop_after, seeds, validation, jobs, budget, bound;
    const char *learners;
    /* Options that set a scenario key (--seed, --ues, --tasks, --episodes, --eval): their text,
     * applied by et_scenario_set with the key table's type and range (prepare_scenario). */
    struct {
        const char *option, *key, *text;
    } keyed[8];
    int n_keyed;
    int quiet, no_channel, restart;
    int sg_argc;
    char *sg_argv[64];     /* argv[0] + --cfg= / --log= / --help-* options for SimGrid */
    char sg_text[62][512]; /* "--cfg=VALUE" rebuilt from "--cfg VALUE" */
    int sg_help;           /* --help-cfg / --help-models / --help-logs: SimGrid prints, we stop */
} run_args;

/* Starts the engine with the user's SimGrid options; after SimGrid's own help, exits 0. */
static et_status engine_init(run_args *a, const char *paje, et_error *err)
{
    /* SimGrid's engine installs its own SIGINT handler (it exits 1 at once, whatever is
     * half-written): ours goes back in after it. The signals wait meanwhile, so one sent
     * during the initialisation reaches our handler, not SimGrid's. */
    sigset_t stop, saved;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    sigprocmask(SIG_BLOCK, &stop, &saved);
    et_status st = et_engine_init(&a->sg_argc, a->sg_argv, paje, err);
    et_interrupt_install();
    sigprocmask(SIG_SETMASK, &saved, NULL);
    if (st == ET_OK && a->sg_help) {
        fflush(NULL);
        exit(0);
    }
    return st;
}

/* Options each command takes (value options, then flags). */
static int option_allowed(const char *cmd, const char *opt)
{
    static const char *common[] = {"--seed",  "--ues", "--tasks", "--out", "--platform",
                                   "--model", "-q",    "--quiet", NULL};
    char key[64];
    snprintf(key, sizeof key, " %s ", opt);
    if (!strcmp(cmd, "sweep"))
        return strstr(" --tasks --seeds --out -q --quiet -j --jobs ", key) != NULL;
    for (const char **c = common; *c; c++)
        if (!strcmp(*c, opt)) return 1;
    const char *extra = "";
    if (!strcmp(cmd, "run"))
        extra = " --policy --paje --no-channel-trace --checkpoint ";
    else if (!strcmp(cmd, "train"))
        extra = " --policy --episodes --resume --restart --stop-after ";
    else if (!strcmp(cmd, "eval"))
        extra = " --checkpoint --policy --episodes ";
    else if (!strcmp(cmd, "compare"))
        extra = " --episodes --eval --seeds --validation -j --jobs --learners --bound --budget ";
    else if (!strcmp(cmd, "regime"))
        extra = " --episodes --budget -j --jobs ";
    return strstr(extra, key) != NULL;
}

/* Every option of every command, for getopt_long: "--seed=3" and "--seed 3" both work.
 * option_allowed says which command takes which. SimGrid's own --cfg, --log and --help-*
 * options pass through to the engine. */
enum {
    OPT_SEED = 1000,
    OPT_UES,
    OPT_TASKS,
    OPT_OUT,
    OPT_PLATFORM,
    OPT_MODEL,
    OPT_POLICY,
    OPT_PAJE,
    OPT_NO_CHANNEL,
    OPT_CHECKPOINT,
    OPT_EPISODES,
    OPT_RESUME,
    OPT_STOP_AFTER,
    OPT_EVAL,
    OPT_SEEDS,
    OPT_VALIDATION,
    OPT_LEARNERS,
    OPT_BUDGET,
    OPT_BOUND,
    OPT_RESTART,
    OPT_SG_VALUE,
    OPT_SG_FLAG,
};
static const struct option LONG_OPTIONS[] = {
    {"seed", required_argument, NULL, OPT_SEED},
    {"ues", required_argument, NULL, OPT_UES},
    {"tasks", required_argument, NULL, OPT_TASKS},
    {"out", required_argument, NULL, OPT_OUT},
    {"platform", required_argument, NULL, OPT_PLATFORM},
    {"model", required_argument, NULL, OPT_MODEL},
    {"policy", required_argument, NULL, OPT_POLICY},
    {"paje", required_argument, NULL, OPT_PAJE},
    {"no-channel-trace", no_argument, NULL, OPT_NO_CHANNEL},
    {"checkpoint", required_argument, NULL, OPT_CHECKPOINT},
    {"episodes", required_argument, NULL, OPT_EPISODES},
    {"resume", required_argument, NULL, OPT_RESUME},
    {"stop-after", required_argument, NULL, OPT_STOP_AFTER},
    {"eval", required_argument, NULL, OPT_EVAL},
    {"seeds", required_argument, NULL, OPT_SEEDS},
    {"validation", required_argument, NULL, OPT_VALIDATION},
    {"jobs", required_argument, NULL, 'j'},
    {"learners", required_argument, NULL, OPT_LEARNERS},
    {"budget", required_argument, NULL, OPT_BUDGET},
    {"bound", required_argument, NULL, OPT_BOUND},
    {"restart", no_argument, NULL, OPT_RESTART},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"cfg", required_argument, NULL, OPT_SG_VALUE},
    {"log", required_argument, NULL, OPT_SG_VALUE},
    {"cfg-help", no_argument, NULL, OPT_SG_FLAG},
    {"help-cfg", no_argument, NULL, OPT_SG_FLAG}, /* edgetune's alias of --cfg-help */
    {"help-aliases", no_argument, NULL, OPT_SG_FLAG},
    {"help-models", no_argument, NULL, OPT_SG_FLAG},
    {"help-tracing", no_argument, NULL, OPT_SG_FLAG},
    {"help-logs", no_argument, NULL, OPT_SG_FLAG},
    {"help-log-categories", no_argument, NULL, OPT_SG_FLAG},
    {NULL, 0, NULL, 0},
};

/* The option as the user names it ("--seed", "-j"), for option_allowed and messages. */
static void option_text(int c, int long_index, char *out, size_t size)
{
    if (long_index >= 0)
        snprintf(out, size, "--%s", LONG_OPTIONS[long_index].name);
    else
        snprintf(out, size, "-%c", c);
}

static int parse_run_args(int argc, char **argv, run_args *a, const char *usage)
{
    memset(a, 0, sizeof *a);
    a->cmd = argv[1];
    a->episodes = a->stop_after = -1;
    a->seeds = a->validation = a->jobs = a->budget = a->bound = -1;
    a->sg_argv[a->sg_argc++] = argv[0];
    unsigned long long given = 0; /* value options seen, by LONG_OPTIONS index */
    /* getopt_long over the command's arguments (argv[1] is the command). */
    int sub_argc = argc - 1;
    char **sub_argv = argv + 1;
    optind = 1;
    opterr = 0;
    for (;;) {
        int long_index = -1;
        int c = getopt_long(sub_argc, sub_argv, ":hqj:", LONG_OPTIONS, &long_index);
        if (c == -1) break;
        char name[64];
        if (c == '?' || c == ':') {
            const char *bad = sub_argv[optind - 1];
            if (c == ':') return usage_error(a->cmd, "option %s needs a value", bad);
            return usage_error(a->cmd, "unknown option '%s'", bad);
        }
        if (c == 'h') {
            fputs(usage, stdout);
            exit(0);
        }
        option_text(c, long_index, name, sizeof name);
        if (c == OPT_SG_VALUE || c == OPT_SG_FLAG) {
            if (a->sg_argc >= 63) return usage_error(a->cmd, "too many SimGrid options (%s)", name);
            char *text = a->sg_text[a->sg_argc - 1];
            if (c == OPT_SG_VALUE && strlen(optarg) + strlen(name) + 2 > sizeof a->sg_text[0])
                return usage_error(a->cmd, "option %s: value longer than 500 characters", name);
            if (c == OPT_SG_VALUE)
                snprintf(text, sizeof a->sg_text[0], "%s=%s", name, optarg);
            else {
                snprintf(text, sizeof a->sg_text[0], "%s",
                         strcmp(name, "--help-cfg") ? name : "--cfg-help");
                a->sg_help = 1;
            }
            a->sg_argv[a->sg_argc++] = text;
            continue;
        }
        if (!option_allowed(a->cmd, name)) return usage_error(a->cmd, "unknown option '%s'", name);
        /* An option given twice is a conflict, not "the last one wins". */
        int slot = long_index;
        for (int k = 0; slot < 0 && LONG_OPTIONS[k].name; k++)
            if (LONG_OPTIONS[k].val == c) slot = k;
        if (slot >= 0 && slot < 64 && LONG_OPTIONS[slot].has_arg == required_argument) {
            if (given & (1ULL << slot))
                return usage_error(a->cmd, "option %s is given twice", name);
            given |= 1ULL << slot;
        }
        /* The scenario key an option sets (eval's --episodes is its evaluation episodes;
         * regime's counts validation episodes, no key). */
        const char *key = c == OPT_SEED                                   ? "seed"
                          : c == OPT_UES                                  ? "ues"
                          : c == OPT_TASKS                                ? "tasks.per_ue"
                          : c == OPT_EVAL                                 ? "train.eval_episodes"
                          : c == OPT_EPISODES && !strcmp(a->cmd, "eval")  ? "train.eval_episodes"
                          : c == OPT_EPISODES && strcmp(a->cmd, "regime") ? "train.episodes"
                                                                          : NULL;
        if (key && a->n_keyed < 8) {
            a->keyed[a->n_keyed].option = LONG_OPTIONS[slot].name;
            a->keyed[a->n_keyed].key = key;
            a->keyed[a->n_keyed++].text = optarg;
            continue;
        }
        struct {
            int id;
            long *dst;
            long min, max;
        } nums[] = {
            {OPT_EPISODES, &a->episodes, 1, 10000000},
            {OPT_STOP_AFTER, &a->stop_after, 1, 10000000},
            {OPT_SEEDS, &a->seeds, 1, 50},
            {OPT_VALIDATION, &a->validation, 1, 1000},
            {'j', &a->jobs, 1, 1024},
            {OPT_BUDGET, &a->budget, 0, 1000000},
            {OPT_BOUND, &a->bound, 0, 100},
        };
        int numeric = 0;
        for (size_t k = 0; k < sizeof nums / sizeof nums[0]; k++) {
            if (c != nums[k].id) continue;
            numeric = 1;
            if (parse_long(optarg, nums[k].min, nums[k].max, nums[k].dst)) {
                fprintf(stderr,
                        "edgetune %s: %s: expected an integer in [%ld, %ld], got '%s' "
                        "(see edgetune %s --help)\n",
                        a->cmd, name, nums[k].min, nums[k].max, optarg, a->cmd);
                return 2;
            }
        }
        if (numeric) continue;
        switch (c) {
        case 'q':
            a->quiet = 1;
            break;
        case OPT_NO_CHANNEL:
            a->no_channel = 1;
            break;
        case OPT_RESTART:
            a->restart = 1;
            break;
        case OPT_POLICY:
            a->policy = optarg;
            break;
        case OPT_OUT:
            a->out = optarg;
            break;
        case OPT_PAJE:
            a->paje = optarg;
            break;
        case OPT_PLATFORM:
            a->platform = optarg;
            break;
        case OPT_MODEL:
            a->model = optarg;
            break;
        case OPT_CHECKPOINT:
            a->checkpoint = optarg;
            break;
        case OPT_RESUME:
            a->resume = optarg;
            break;
        case OPT_LEARNERS:
            a->learners = optarg;
            break;
        default:
            return usage_error(a->cmd, "unknown option '%s'", name);
        }
    }
    for (int i = optind; i < sub_argc; i++) {
        if (a->scenario) return usage_error(a->cmd, "unexpected argument '%s'", sub_argv[i]);
        a->scenario = sub_argv[i];
    }
    a->sg_argv[a->sg_argc] = NULL;
    return 0;
}

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

/* "1h02m", "3m05s" or "42s": elapsed times and ETAs in progress lines. */
static void fmt_duration(double s, char *out, size_t size)
{
    if (!(s >= 0) || s > 1e8) {
        snprintf(out, size, "?");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(out, size, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else if (t >= 60)
        snprintf(out, size, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(out, size, "%lds", t);
}

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
    char elapsed[16], eta[16];
    fmt_duration(now - p->start, elapsed, sizeof elapsed);
    fmt_duration(rate > 0 ? (total - done) / rate : -1, eta, sizeof eta);
    fprintf(stderr,
            "%s  tasks %d/%d (%.0f%%), simulated %.0f s, %.0f tasks/s, elapsed %s, ETA %s%s",
            p->tty ? "\r" : "", done, total, 100.0 * done / total, sim_s, rate, elapsed, eta,
            p->tty && done != total ? "  " : "\n");
}

/* Loads the scenario named on the command line (or the default) and applies overrides. */
static et_status load_scenario(const char *path, et_scenario *sc, et_error *err)
{
    /* Room for the shipped files' names under it (platforms/edge-6ue.xml, ...). */
    char data[ET_PATH_MAX - 64], def[ET_PATH_MAX + 32];
    et_status st = data_dir(data, sizeof data, err);
    if (st != ET_OK) return st;
    if (!path) {
        snprintf(def, sizeof def, "%s/examples/default.json", data);
        path = def;
    }
    return et_scenario_load(path, data, sc, err);
}

/* Copies a path option into a scenario field, refusing one that does not fit. */
static et_status set_path_option(char *field, const char *value, const char *option, et_error *err)
{
    size_t len = strlen(value);
    if (len == 0)
        return et_error_set(err, ET_ERR_INPUT, "option %s: expected a path, got ''", option);
    if (len >= ET_PATH_MAX)
        return et_error_set(err, ET_ERR_INPUT,
                            "option %s: expected a path of at most %d characters, got one of %zu",
                            option, ET_PATH_MAX - 1, len);
    memcpy(field, value, len + 1);
    return ET_OK;
}

/* 0 if a directory can be made in dir (made and removed again: access()
 * says yes to root even on /proc), else the errno. */
static int probe_writable(const char *dir)
{
    size_t len = strlen(dir) + sizeof "/.edgetune-probe-XXXXXX";
    char *probe = malloc(len);
    if (!probe) return ENOMEM;
    snprintf(probe, len, "%s/.edgetune-probe-XXXXXX", dir);
    int rc = mkdtemp(probe) ? (rmdir(probe), 0) : errno;
    free(probe);
    return rc;
}

/* Where a failed write would go: path is a directory to write files into
 * (dir = 1) or a file to create; refuses what cannot work before anything
 * runs (a file where a directory is wanted, a directory where a file is, a
 * parent that is a file or not writable, a name longer than the system
 * takes), naming source ("option --out", "x.json: key 'out'"). */
static et_status check_output_path(const char *path, int dir, const char *source, et_error *err)
{
    const char *want = dir ? "a directory to write into" : "a file to write";
    struct stat st;
    if (stat(path, &st) == 0) {
        const char *problem = NULL;
        if (dir && !S_ISDIR(st.st_mode))
            problem = "it is a file";
        else if (!dir && S_ISDIR(st.st_mode))
            problem = "it is a directory";
        else if (dir && probe_writable(path) != 0)
            problem = "it is not writable";
        if (!problem) return ET_OK;
        return et_error_set(err, ET_ERR_INPUT, "%s: expected %s, got '%s' (%s)", source, want, path,
                            problem);
    }
    if (errno != ENOENT)
        return et_error_set(err, ET_ERR_INPUT, "%s: expected %s, got '%s' (%s)", source, want, path,
                            strerror(errno));
    /* It will be created: the nearest existing ancestor must be a writable directory. */
    char *up = strdup(path);
    if (!up) return et_error_set(err, ET_ERR_NOMEM, "out of memory");
    et_status rc = ET_OK;
    for (;;) {
        size_t n = strlen(up);
        while (n > 1 && up[n - 1] == '/')
            up[--n] = '\0';
        char *slash = strrchr(up, '/');
        const char *parent = slash ? (slash == up ? "/" : (*slash = '\0', up)) : ".";
        if (stat(parent, &st) != 0) {
            if (errno == ENOENT && slash && slash != up && dir) continue; /* mkdir -p makes it */
            rc = et_error_set(err, ET_ERR_INPUT, "%s: expected %s, got '%s' (%s: %s)", source, want,
                              path, parent, strerror(errno));
        } else if (!S_ISDIR(st.st_mode)) {
            rc = et_error_set(err, ET_ERR_INPUT, "%s: expected %s, got '%s' ('%s' is a file)",
                              source, want, path, parent);
        } else {
            int e = probe_writable(parent);
            if (e)
                rc = et_error_set(err, ET_ERR_INPUT,
                                  "%s: expected %s, got '%s' (cannot create it in '%s': %s)",
                                  source, want, path, parent, strerror(e));
        }
        break;
    }
    free(up);
    return rc;
}

/* ---- outputs that would replace inputs or each other ---- */

/* path with its existing part resolved by realpath and the rest appended as written, so that
 * two spellings of one file ("out/x", "./out//x", a link to out/) compare equal, whether it
 * exists yet or not. */
static void canonical_path(const char *path, char *out, size_t size)
{
    char *real = realpath(path, NULL);
    if (real) {
        snprintf(out, size, "%s", real);
        free(real);
        return;
    }
    char parent[ET_PATH_MAX * 2];
    snprintf(parent, sizeof parent, "%s", path);
    size_t n = strlen(parent);
    while (n > 1 && parent[n - 1] == '/')
        parent[--n] = '\0';
    char *slash = strrchr(parent, '/');
    const char *base = slash ? slash + 1 : parent;
    char up[ET_PATH_MAX * 2];
    if (!slash)
        snprintf(up, sizeof up, ".");
    else if (slash == parent)
        snprintf(up, sizeof up, "/");
    else
        snprintf(up, sizeof up, "%.*s", (int)(slash - parent), parent);
    char resolved[ET_PATH_MAX * 2];
    if (!strcmp(up, path) || !strcmp(base, "") || !strcmp(base, ".") || !strcmp(base, ".."))
        snprintf(resolved, sizeof resolved, "%s", up);
    else
        canonical_path(up, resolved, sizeof resolved);
    snprintf(out, size, "%s/%s", strcmp(resolved, "/") ? resolved : "", base);
}

typedef struct named_path {
    char path[ET_PATH_MAX + 64];
    char role[ET_PATH_MAX + 64]; /* "the scenario", "option --paje", "the output tasks.csv" */
} named_path;

/* 1 when a and b name one file: one canonical path, or one inode (a hard link). */
static int same_file(const char *a, const char *b)
{
    char ca[ET_PATH_MAX * 2], cb[ET_PATH_MAX * 2];
    canonical_path(a, ca, sizeof ca);
    canonical_path(b, cb, sizeof cb);
    if (!strcmp(ca, cb)) return 1;
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && S_ISREG(sa.st_mode) &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The files SimGrid's --log options would open for writing (file:PATH appenders). */
static int log_files(const run_args *a, named_path *out, int max)
{
    int n = 0;
    for (int i = 1; i < a->sg_argc && n < max; i++) {
        const char *arg = a->sg_argv[i];
        if (strncmp(arg, "--log=", 6) != 0) continue;
        for (const char *p = arg + 6; *p && n < max;) {
            size_t len = strcspn(p, " ");
            const char *app = NULL;
            for (const char *q = p; q < p + len && !app; q++)
                if (!strncmp(q, ".app:file:", 10) || !strncmp(q, ".appender:file:", 15))
                    app = strchr(strchr(q, ':') + 1, ':') + 1;
            if (app && app < p + len) {
                snprintf(out[n].path, sizeof out[n].path, "%.*s", (int)(p + len - app), app);
                snprintf(out[n].role, sizeof out[n].role, "option '%.200s'", arg);
                n++;
            }
            p += len;
            while (*p == ' ')
                p++;
        }
    }
    return n;
}

/* Refuses, before anything is opened, an output of the command that is one of its inputs or
 * another of its outputs: --paje out/tasks.csv, --paje scenario.json, --log=root.app:file:
 * out/summary.json, a scenario inside --out named like an output. */
static et_status check_aliases(const run_args *a, const et_scenario *sc, et_error *err)
{
    named_path in[8], outs[24];
    int n_in = 0, n_out = 0;
#define ADD_IN(p, r)                                                                               \
    do {                                                                                           \
        snprintf(in[n_in].path, sizeof in[n_in].path, "%s", (p));                                  \
        snprintf(in[n_in].role, sizeof in[n_in].role, "%s", (r));                                  \
        n_in++;                                                                                    \
    } while (0)
    ADD_IN(sc->source, "the scenario");
    ADD_IN(sc->platform, "the platform");
    ADD_IN(sc->model, "the model profile");
    if (sc->mobility.model == ET_MOBILITY_TRACE) ADD_IN(sc->mobility_trace, "the mobility trace");
    if (a->checkpoint) ADD_IN(a->checkpoint, "the checkpoint (--checkpoint)");
#undef ADD_IN
    /* Files the command writes into its output directory (regime only with --out). */
    static const struct {
        const char *cmd, *files;
    } written[] = {{"run", "tasks.csv channel.csv summary.json activities.csv decisions.csv"},
                   {"eval", "tasks.csv eval.csv summary.json decisions.csv"},
                   {"train", "train.csv checkpoint.ckpt"},
                   {"compare", "compare.md compare.csv curves.csv bound.csv"},
                   {"regime", "regime.md regime.csv"}};
    const char *files = "";
    for (size_t i = 0; i < sizeof written / sizeof written[0]; i++)
        if (!strcmp(a->cmd, written[i].cmd)) files = written[i].files;
    if (!strcmp(a->cmd, "regime") && !a->out) files = "";
    for (const char *f = files; *f && n_out < 16;) {
        size_t len = strcspn(f, " ");
        snprintf(outs[n_out].path, sizeof outs[n_out].path, "%s/%.*s", sc->out_dir, (int)len, f);
        snprintf(outs[n_out].role, sizeof outs[n_out].role, "the output %.*s", (int)len, f);
        n_out++;
        f += len;
        while (*f == ' ')
            f++;
    }
    if (a->paje) {
        snprintf(outs[n_out].path, sizeof outs[n_out].path, "%s", a->paje);
        snprintf(outs[n_out].role, sizeof outs[n_out].role, "option --paje");
        n_out++;
    }
    n_out += log_files(a, outs + n_out, 24 - n_out);
    for (int i = 0; i < n_out; i++) {
        for (int j = 0; j < n_in; j++) {
            if (same_file(outs[i].path, in[j].path))
                return et_error_set(err, ET_ERR_INPUT,
                                    "%s: '%s' is %s (an output may not replace an input)",
                                    outs[i].role, outs[i].path, in[j].role);
        }
        for (int j = 0; j < i; j++)
            if (same_file(outs[i].path, outs[j].path))
                return et_error_set(err, ET_ERR_INPUT,
                                    "%s: '%s' is also %s (two outputs may not share a file)",
                                    outs[i].role, outs[i].path, outs[j].role);
    }
    return ET_OK;
}

/* Scenario from the command line with its overrides applied and checked. */
static et_status prepare_scenario(const run_args *a, et_scenario *sc, et_error *err)
{
    et_status st = load_scenario(a->scenario, sc, err);
    if (st != ET_OK) return st;
    if (a->policy) {
        if (!et_policy_find(a->policy)) {
            char known[256];
            et_policy_names_text(-1, known, sizeof known);
            return et_error_set(err, ET_ERR_INPUT,
                                "option --policy: unknown policy '%.200s' (known: %s)", a->policy,
                                known);
        }
        snprintf(sc->policy, sizeof sc->policy, "%s", a->policy);
    } else if (!et_policy_find(sc->policy)) {
        char known[256];
        et_policy_names_text(-1, known, sizeof known);
        return et_error_set(err, ET_ERR_INPUT, "%s: key 'policy': unknown policy '%s' (known: %s)",
                            sc->source, sc->policy, known);
    }
    for (int i = 0; i < a->n_keyed; i++) {
        char source[64];
        snprintf(source, sizeof source, "option --%s", a->keyed[i].option);
        st = et_scenario_set(sc, a->keyed[i].key, a->keyed[i].text, source, err);
        if (st != ET_OK) return st;
    }
    if ((a->out && (st = set_path_option(sc->out_dir, a->out, "--out", err))) ||
        (a->platform && (st = set_path_option(sc->platform, a->platform, "--platform", err))) ||
        (a->model && (st = set_path_option(sc->model, a->model, "--model", err))))
        return st;
    if (a->no_channel) sc->write_channel_trace = 0;
    st = et_scenario_validate(sc, err);
    /* Commands that write: the output directory must be one, or creatable (regime writes
     * only with --out). */
    if (st == ET_OK && (strcmp(a->cmd, "regime") != 0 || a->out)) {
        char source[ET_PATH_MAX + 16];
        snprintf(source, sizeof source, a->out ? "option --out" : "%s: key 'out'", sc->source);
        st = check_output_path(sc->out_dir, 1, source, err);
    }
    if (st == ET_OK && a->paje) st = check_output_path(a->paje, 0, "option --paje", err);
    if (st == ET_OK) st = check_aliases(a, sc, err);
    return st;
}

/* A policy by name: a baseline, or a learned one from its checkpoint. */
/* Loads a checkpoint's learned policy in evaluation mode; *name gets its learner's name. */
static et_status load_learned(const char *checkpoint, et_agent **agent, const char **name,
                              et_error *err)
{
    et_status st = et_hmppo_load(checkpoint, agent, NULL, 0, err);
    if (st != ET_OK) return st;
    et_hmppo_set_training(*agent, 0);
    const et_policy_info *held = et_policy_of_variant(et_hmppo_get_config(*agent)->variant);
    *name = held ? held->name : "?";
    return ET_OK;
}

static et_status make_agent(const et_scenario *sc, const char *policy, const char *checkpoint,
                            et_agent **agent, et_error *err)
{
    if (et_train_is_learned(policy)) {
        if (!checkpoint)
            return et_error_set(err, ET_ERR_INPUT,
                                "policy '%s' is learned: give its checkpoint with --checkpoint "
                                "FILE (edgetune train writes one)",
                                policy);
        const char *held = NULL;
        et_status st = load_learned(checkpoint, agent, &held, err);
        if (st != ET_OK) return st;
        if (strcmp(held, policy) != 0) {
            et_agent_destroy(*agent);
            *agent = NULL;
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: holds a %s policy, not %s (drop --policy "
                                "or give the matching one)",
                                checkpoint, held, policy);
        }
        return ET_OK;
    }
    if (checkpoint)
        return et_error_set(err, ET_ERR_INPUT,
                            "conflicting options: --checkpoint %s holds a learned policy, but the "
                            "policy is the baseline '%s' (drop --policy to use the checkpoint's)",
                            checkpoint, policy);
    et_policy_params pp = {.keep = sc->policy_keep,
                           .seed = sc->seed,
                           .rule = sc->static_rule,
                           .dynamic_rule = sc->dynamic_rule};
    et_status st = et_agent_create(policy, &pp, agent, err);
    if (st == ET_ERR_INPUT && err) {
        /* Name where the policy's settings came from. */
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        et_error_set(err, ET_ERR_INPUT, "%s: %s", sc->source, msg);
    }
    return st;
}

/* The loaded checkpoint must match the simulated platform. */
static et_status check_agent_fits(const et_agent *agent, const et_sim *sim, const char *path,
                                  et_error *err)
{
    const et_hmppo_config *cfg = et_hmppo_get_config(agent);
    if (cfg->n_ue != et_sim_ue_count(sim))
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: checkpoint was trained for %d UEs, the scenario simulates %d",
                            path, cfg->n_ue, et_sim_ue_count(sim));
    return ET_OK;
}

/* What produced an output: edgetune's version and commit, SimGrid's and OpenBLAS's versions and
 * the BLAS kernel OpenBLAS picked for this CPU (results of hmppo.kernel "openblas" may depend
 * on it; the default "portable" does not), and the command line. */
static cJSON *run_metadata(int argc, char **argv)
{
    cJSON *m = cJSON_CreateObject();
    char sg[32];
    et_engine_version(sg, sizeof sg);
    cJSON_AddStringToObject(m, "edgetune", ET_VERSION);
    cJSON_AddStringToObject(m, "commit", ET_COMMIT);
    cJSON_AddStringToObject(m, "simgrid", sg);
    cJSON_AddStringToObject(m, "openblas", openblas_get_config());
    cJSON_AddStringToObject(m, "blas_kernel", openblas_get_corename());
    cJSON *cmd = cJSON_AddArrayToObject(m, "command");
    for (int i = 0; cmd && i < argc; i++)
        cJSON_AddItemToArray(cmd, cJSON_CreateString(argv[i]));
    return m;
}

/* summary.json: {"run": metadata, "scenario": resolved keys, "result": result}, built with
 * cJSON so that any path or name stays valid JSON. Takes result (also when NULL); returns NULL
 * when out of memory. */
static char *summary_json(const et_scenario *sc, cJSON *result, int argc, char **argv)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *run = run_metadata(argc, argv);
    cJSON *scen = et_scenario_to_cjson(sc);
    char *text = NULL;
    if (root && run && scen && result) {
        cJSON_AddItemToObject(root, "run", run);
        cJSON_AddItemToObject(root, "scenario", scen);
        cJSON_AddItemToObject(root, "result", result);
        run = scen = result = NULL;
        text = cJSON_Print(root);
    }
    cJSON_Delete(run);
    cJSON_Delete(scen);
    cJSON_Delete(result);
    cJSON_Delete(root);
    if (!text) return NULL;
    /* A trailing newline, as the files always had. */
    size_t n = strlen(text);
    char *out = malloc(n + 2);
    if (out) {
        memcpy(out, text, n);
        out[n] = '\n';
        out[n + 1] = '\0';
    }
    free(text);
    return out;
}

static int cmd_run(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args(argc, argv, &a, RUN_USAGE);
    if (rc) return rc;
    double t_start = wall_s();
    et_error err;
    et_error_clear(&err);
    et_scenario sc;
    et_status st = prepare_scenario(&a, &sc, &err);
    if (st != ET_OK) return fail(&err);
    et_agent *agent = NULL;
    if (a.checkpoint && !a.policy && !et_train_is_learned(sc.policy)) {
        /* --checkpoint without --policy: the checkpoint names its learner. */
        const char *held = NULL;
        st = load_learned(a.checkpoint, &agent, &held, &err);
        if (st != ET_OK) return fail(&err);
        snprintf(sc.policy, sizeof sc.policy, "%s", held);
    } else {
        st = make_agent(&sc, sc.policy, a.checkpoint, &agent, &err);
        if (st != ET_OK) return fail(&err);
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
    if (st == ET_OK) st = engine_init(&a, paje_tmp, &err);
    et_sim *sim = NULL;
    if (st == ET_OK) st = precheck_budget(&sc, 1, &err);
    if (st == ET_OK) st = et_sim_create(&sc, &sim, &err);
    if (st == ET_OK && et_train_is_learned(sc.policy))
        st = check_agent_fits(agent, sim, a.checkpoint, &err);
    if (st == ET_OK) st = check_budget(sim, &sc, 1, &err);
    et_outputs out;
    memset(&out, 0, sizeof out);
    if (st == ET_OK) st = et_outputs_open(&out, sc.out_dir, 1, sc.write_channel_trace, &err);
    if (st == ET_OK && sc.write_activity_log) {
        st = et_outputs_add(&out, "activities.csv", &out.activity, &err);
        if (st == ET_OK) fputs(ET_ACTIVITY_HEADER, out.activity);
    }
    /* The decision log wraps a learned agent; the run then decides through the wrapper. */
    et_agent *logged = NULL;
    if (st == ET_OK && sc.write_decisions && et_train_is_learned(sc.policy)) {
        FILE *df = NULL;
        st = et_outputs_add(&out, "decisions.csv", &df, &err);
        if (st == ET_OK) et_decisions_header(df);
        if (st == ET_OK) st = et_decisions_wrap(agent, df, &logged, &err);
    }
    progress_state prog = {.start = wall_s(), .tty = isatty(2)};
    if (st == ET_OK && !a.quiet) et_sim_set_progress(sim, on_progress, &prog);
    et_episode_stats stats;
    if (st == ET_OK) st = et_sim_run_episode(sim, logged ? logged : agent, 0, &out, &stats, &err);
    et_agent_destroy(logged);
    char *summary = NULL;
    if (st == ET_OK) {
        summary = summary_json(&sc, et_episode_stats_to_cjson(sim, &stats), argc, argv);
        if (!summary) st = et_error_set(&err, ET_ERR_NOMEM, "out of memory");
    }
    /* The Paje trace is one of the run's outputs: renamed with the others, or removed. */
    if (st == ET_OK && a.paje) st = et_outputs_adopt(&out, paje_tmp, a.paje, &err);
    /* A signal during the episode's last moments still stops it: nothing is put in place. */
    if (st == ET_OK) st = interrupted_when("at the end of episode 0", &err);
    if (st == ET_OK)
        st = et_outputs_commit(&out, summary, &err);
    else
        et_outputs_abort(&out);
    if (a.paje && st != ET_OK) unlink(paje_tmp);
    free(paje_tmp);
    if (st == ET_OK && !a.quiet) print_summary(sim, &sc, &stats, wall_s() - t_start, sc.out_dir);
    free(summary);
    et_sim_destroy(sim);
    et_agent_destroy(agent);
    return st == ET_OK ? 0 : fail_run(&err, sc.out_dir);
}

/* ---------------------------------------------------------------- train */

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
    fmt_duration(p->wall_s, elapsed, sizeof elapsed);
    fmt_duration(eps > 0 ? (p->episodes - p->episode - 1) / eps : -1, eta, sizeof eta);
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
    int rc = parse_run_args(argc, argv, &a, TRAIN_USAGE);
    if (rc) return rc;
    if (rank != 0) a.quiet = 1; /* rank 0 speaks for the run */
    et_error err;
    et_error_clear(&err);
    et_scenario sc;
    if (!a.policy) a.policy = "hmppo";
    if (!a.out) a.out = "out/train";
    if (a.resume && a.restart)
        return usage_error("train", "%s",
                           "conflicting options: --resume continues a run, --restart starts over");
    et_status st = prepare_scenario(&a, &sc, &err);
    /* Every rank checks (they see one folder): refused together, none waits for another. */
    if (st == ET_OK && !a.resume && !a.restart) st = et_train_check_fresh(sc.out_dir, &err);
    et_hmppo_variant variant = ET_HMPPO;
    if (st == ET_OK) st = et_train_variant(sc.policy, &variant, &err);
    if (st == ET_OK) st = engine_init(&a, NULL, &err);
    et_sim *sim = NULL;
    if (st == ET_OK) st = precheck_budget(&sc, 0, &err);
    if (st == ET_OK) st = et_sim_create(&sc, &sim, &err);
    if (st == ET_OK) st = check_budget(sim, &sc, 0, &err);
    if (st != ET_OK) {
        et_sim_destroy(sim);
        return rank == 0 ? fail_run(&err, NULL) : et_status_exit_code(err.code);
    }
    char banner[512], ranks[32] = "";
    if (comm->size > 1) snprintf(ranks, sizeof ranks, ", %d ranks", comm->size);
    snprintf(banner, sizeof banner,
             "edgetune: training %s on %d UEs x %d tasks, %d episodes%s, seed %llu%s%s\n",
             sc.policy, et_sim_ue_count(sim), sc.tasks_per_ue, sc.train_episodes, ranks,
             (unsigned long long)sc.seed, a.resume ? ", resuming " : "", a.resume ? a.resume : "");
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
    if (st != ET_OK) return rank == 0 ? fail(&err) : et_status_exit_code(err.code);
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
    if (et_mpi_start(&argc, &argv, &comm, &active, &err) != ET_OK) return fail(&err);
    et_interrupt_install(); /* after MPI's initialisation, which may set handlers of its own */
    int rc = train_ranked(argc, argv, &comm);
    et_collective_release(&comm);
    /* Bad input (2), a limit (3) and a signal (128 + n) stop every rank together (they learn
     * of them at the same exchange); another failure may have stopped this rank alone. */
    et_mpi_finish(active, rc == 1 ? rc : 0, comm.size);
    return rc;
}

/* ------------------------------------------------------- eval, compare */

typedef struct metric {
    double mean, std;
} metric;

static metric summarise(const et_episode_stats *s, int n, int which)
{
    double sum = 0, sq = 0;
    for (int i = 0; i < n; i++) {
        double x = which == 0 ? s[i].reward : which == 1 ? s[i].total_delay_s : s[i].mean_ppl;
        sum += x;
        sq += x * x;
    }
    metric m = {sum / n, 0};
    double var = n > 1 ? (sq - n * m.mean * m.mean) / (n - 1) : 0;
    m.std = var > 0 ? sqrt(var) : 0;
    return m;
}

static const char EVAL_USAGE[] =
    "usage: edgetune eval (--checkpoint FILE | --policy BASELINE) [SCENARIO] [--episodes N]\n"
    "                     [--out DIR] [-q]\n"
    "\n"
    "Runs the checkpoint's policy greedily (most likely location, mean keep fraction),\n"
    "or a baseline by name, "
    "on N evaluation episodes (default train.eval_episodes) whose seeds training never\n"
    "used, and prints mean and standard deviation of the episodic reward, total delay\n"
    "and mean perplexity. Writes DIR/eval.csv (one row per episode), the first\n"
    "episode's DIR/tasks.csv and DIR/summary.json. Default DIR: out/eval.\n";

static et_status write_eval_csv(FILE *f, const char *policy, const et_episode_stats *s, int n,
                                int offset)
{
    for (int i = 0; i < n; i++) {
        et_csv_field(f, policy, ',');
        fprintf(f, "%d,%.9g,%.9g,%.9g,%.9g,%d,%d\n", offset + i, s[i].reward, s[i].total_delay_s,
                s[i].mean_delay_s, s[i].mean_ppl, s[i].failed, s[i].local);
    }
    return ET_OK;
}
static const char EVAL_HEADER[] =
    "policy,episode,reward,total_delay_s,mean_delay_s,mean_ppl,failed,local\n";

static int cmd_eval(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args(argc, argv, &a, EVAL_USAGE);
    if (rc) return rc;
    et_error err;
    et_error_clear(&err);
    if (!a.checkpoint && !a.policy)
        return usage_error("eval", "%s", "--checkpoint FILE is required (or --policy BASELINE)");
    if (!a.out) a.out = "out/eval";
    et_scenario sc;
    et_status st = prepare_scenario(&a, &sc, &err);
    et_agent *agent = NULL;
    /* A checkpoint names its learner; without one, a baseline by name. */
    const char *vname = NULL;
    if (st == ET_OK && a.checkpoint && a.policy) {
        /* Both: the policy must be the checkpoint's learner (a baseline conflicts). */
        st = make_agent(&sc, a.policy, a.checkpoint, &agent, &err);
        vname = a.policy;
    } else if (st == ET_OK && a.checkpoint) {
        st = load_learned(a.checkpoint, &agent, &vname, &err);
    } else if (st == ET_OK) {
        st = make_agent(&sc, sc.policy, NULL, &agent, &err);
        vname = sc.policy;
    }
    if (st == ET_OK) st = engine_init(&a, NULL, &err);
    et_sim *sim = NULL;
    if (st == ET_OK) st = precheck_budget(&sc, 1, &err);
    if (st == ET_OK) st = et_sim_create(&sc, &sim, &err);
    if (st == ET_OK && a.checkpoint) st = check_agent_fits(agent, sim, a.checkpoint, &err);
    if (st == ET_OK) st = check_budget(sim, &sc, 1, &err);
    int n = sc.eval_episodes;
    et_episode_stats *stats = calloc((size_t)n, sizeof *stats);
    if (st == ET_OK && !stats) st = et_error_set(&err, ET_ERR_NOMEM, "out of memory");
    et_outputs out;
    memset(&out, 0, sizeof out);
    FILE *csv = NULL;
    if (st == ET_OK) st = et_outputs_open(&out, sc.out_dir, 1, 0, &err);
    if (st == ET_OK) st = et_outputs_add(&out, "eval.csv", &csv, &err);
    /* A learned policy's decision log covers every evaluation episode (its rows name the
     * episode); the episodes, in their child processes, decide through the wrapper. */
    et_agent *logged = NULL;
    if (st == ET_OK && sc.write_decisions && a.checkpoint) {
        FILE *df = NULL;
        st = et_outputs_add(&out, "decisions.csv", &df, &err);
        if (st == ET_OK) et_decisions_header(df);
        if (st == ET_OK) st = et_decisions_wrap(agent, df, &logged, &err);
    }
    if (st == ET_OK)
        st = et_train_evaluate(sim, logged ? logged : agent, n, sc.eval_offset, stats, out.tasks,
                               &err);
    et_agent_destroy(logged);
    const char *source = a.checkpoint ? a.checkpoint : "(baseline)";
    if (st == ET_OK) {
        fputs(EVAL_HEADER, csv);
        write_eval_csv(csv, vname, stats, n, sc.eval_offset);
        metric r = summarise(stats, n, 0), d = summarise(stats, n, 1), q = summarise(stats, n, 2);
        cJSON *res = cJSON_CreateObject();
        if (res) {
            cJSON_AddStringToObject(res, "policy", vname);
            cJSON_AddStringToObject(res, "checkpoint", source);
            cJSON_AddNumberToObject(res, "episodes", n);
            cJSON_AddNumberToObject(res, "reward_mean", r.mean);
            cJSON_AddNumberToObject(res, "reward_std", r.std);
            cJSON_AddNumberToObject(res, "total_delay_mean_s", d.mean);
            cJSON_AddNumberToObject(res, "total_delay_std_s", d.std);
            cJSON_AddNumberToObject(res, "ppl_mean", q.mean);
            cJSON_AddNumberToObject(res, "ppl_std", q.std);
        }
        char *summary = summary_json(&sc, res, argc, argv);
        st = !summary ? et_error_set(&err, ET_ERR_NOMEM, "out of memory")
                      : interrupted_when("after the last evaluation episode", &err);
        if (st == ET_OK)
            st = et_outputs_commit(&out, summary, &err);
        else
            et_outputs_abort(&out);
        free(summary);
        if (st == ET_OK && !a.quiet)
            fprintf(stdout,
                    "edgetune: %s from %s on %d evaluation episodes\n"
                    "  episodic reward %.3f +- %.3f\n  total delay     %.1f +- %.1f s\n"
                    "  mean perplexity %.3f +- %.3f\n  outputs in %s/\n",
                    vname, source, n, r.mean, r.std, d.mean, d.std, q.mean, q.std, sc.out_dir);
    } else {
        et_outputs_abort(&out);
    }
    free(stats);
    et_sim_destroy(sim);
    et_agent_destroy(agent);
    return st == ET_OK ? 0 : fail_run(&err, sc.out_dir);
}

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
    int rc = parse_run_args(argc, argv, &a, COMPARE_USAGE);
    if (rc) return rc;
    et_error err;
    et_error_clear(&err);
    if (!a.out) a.out = "out/compare";
    et_scenario sc;
    et_status st = prepare_scenario(&a, &sc, &err);
    if (st == ET_OK) st = engine_init(&a, NULL, &err);
    et_sim *sim = NULL;
    if (st == ET_OK) st = precheck_budget(&sc, 0, &err);
    if (st == ET_OK) st = et_sim_create(&sc, &sim, &err);
    if (st == ET_OK) st = check_budget(sim, &sc, 0, &err);
    et_study_options opt = {.scenario = &sc,
                            .out_dir = sc.out_dir,
                            .seeds = a.seeds > 0 ? (int)a.seeds : 5,
                            .train_episodes = sc.train_episodes,
                            .eval_episodes = sc.eval_episodes,
                            .validation_episodes = a.validation > 0 ? (int)a.validation : 3,
                            .jobs = a.jobs > 0 ? (int)a.jobs : et_isolate_cpus(),
                            .learners = a.learners ? a.learners : "hmppo,mappo,ippo",
                            .bound_episodes = a.bound >= 0 ? (int)a.bound : 5,
                            .bound_budget = a.budget >= 0 ? (int)a.budget : ET_REGIME_DEFAULT_BUDGET,
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
    return st == ET_OK ? 0 : fail(&err);
}

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
    int rc = parse_run_args(argc, argv, &a, REGIME_USAGE);
    if (rc) return rc;
    et_error err;
    et_error_clear(&err);
    et_scenario sc;
    et_status st = prepare_scenario(&a, &sc, &err);
    if (st == ET_OK) st = engine_init(&a, NULL, &err);
    et_sim *sim = NULL;
    if (st == ET_OK) st = precheck_budget(&sc, 0, &err);
    if (st == ET_OK) st = et_sim_create(&sc, &sim, &err);
    if (st == ET_OK) st = check_budget(sim, &sc, 0, &err);
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
    return st == ET_OK ? 0 : fail_run(&err, a.out ? sc.out_dir : NULL);
}

/* ---------------------------------------------------------------- sweep */

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
    fmt_duration(p->elapsed_s, elapsed, sizeof elapsed);
    fmt_duration(rate > 0 ? (p->total - p->done) / rate : -1, eta, sizeof eta);
    fprintf(stderr, "%ssweep: %d/%d runs (%d skipped, %d failed), %.2f runs/s, elapsed %s%s%s%s",
            d->tty ? "\r" : "", p->done, p->total, p->skipped, p->failed, rate, elapsed,
            p->final ? "" : ", ETA ", p->final ? "" : eta, d->tty && !p->final ? "  " : "\n");
}

static int cmd_sweep(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args(argc, argv, &a, SWEEP_USAGE);
    if (rc) return rc;
    if (!a.scenario) return usage_error("sweep", "%s", "SPEC is required");
    et_error err;
    et_error_clear(&err);
    et_sweep_net net;
    int mpi = 0;
    et_status st = et_sweep_mpi_open(&argc, &argv, &net, &mpi, &err);
    if (st != ET_OK) return fail(&err);
    et_interrupt_install(); /* after MPI's initialisation, which may set handlers of its own */
    char data[ET_PATH_MAX], exe[ET_PATH_MAX];
    st = data_dir(data, sizeof data, &err);
    if (st != ET_OK) {
        et_sweep_mpi_close(&net, 2);
        return fail(&err);
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
            return fail(&err);
        }
        et_scenario_defaults(probe, data);
        st = et_scenario_set(probe, a.keyed[i].key, a.keyed[i].text, "option --tasks", &err);
        tasks = probe->tasks_per_ue;
        free(probe);
        if (st != ET_OK) {
            et_sweep_mpi_close(&net, 2);
            return fail(&err);
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
        fail(&err);
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

/* ------------------------------------------------------------- platform */

/* Parses a whole string as a plain decimal number in [min, max] (numtext.h). */
static int parse_number(const char *text, double min, double max, double *out)
{
    double v = 0;
    if (et_numtext_double(text, &v) != 0 || v < min || v > max) return -1;
    *out = v;
    return 0;
}

/* 1 if s is an option of edgetune platform that takes a value. */
static int is_platform_value_option(const char *s)
{
    static const char *const opts[] = {
        "--ues",          "--seed",        "-o",         "--output",         "--cells",
        "--layout",       "--isd",         "--core-bps", "--core-latency-s", "--server-flops",
        "--server-cores", "--cell-radius", NULL};
    for (const char *const *o = opts; *o; o++)
        if (!strcmp(s, *o)) return 1;
    return !strcmp(s, "--scenario");
}

static int cmd_platform(int argc, char **argv)
{
    long ues = -1, seed = 1, cells = 0, server_cores = -1, scenario = -1;
    int wifi = 0, full = 0, shared = 0, grid = 0;
    double server_flops = -1, cell_radius = -1, isd = -1, core_bps = -1, core_latency = -1;
    const char *output = NULL, *metro_option = NULL, *core_option = NULL;
    const char *seen[16]; /* value options given so far */
    int n_seen = 0;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            fputs(PLATFORM_USAGE, stdout);
            return 0;
        } else if (!strcmp(s, "--wifi")) {
            wifi = 1;
        } else if (!strcmp(s, "--full-routing")) {
            full = 1;
        } else if (!strcmp(s, "--shared-server")) {
            shared = 1;
            metro_option = s;
        } else if (is_platform_value_option(s)) {
            if (!next) return usage_error("platform", "option %s needs a value", s);
            /* A value option given twice is a conflict (-o and --output are one). */
            const char *canon = !strcmp(s, "-o") ? "--output" : s;
            for (int j = 0; j < n_seen; j++)
                if (!strcmp(seen[j], canon))
                    return usage_error("platform", "option %s is given twice", s);
            if (n_seen < 16) seen[n_seen++] = canon;
            i++;
            if (!strcmp(s, "--ues") && parse_long(next, 1, 1000000, &ues))
                return usage_error("platform",
                                   "--ues: expected an integer in [1, 1000000], got '%s'", next);
            if (!strcmp(s, "--seed") && parse_long(next, 0, (long)ET_SEED_MAX, &seed))
                return usage_error("platform",
                                   "--seed: expected an integer in [0, 9007199254740991], got '%s'",
                                   next);
            if (!strcmp(s, "--cells") && parse_long(next, 1, ET_MAX_CELLS, &cells))
                return usage_error("platform",
                                   "--cells: expected an integer in [1, 1000], got '%s'", next);
            if (!strcmp(s, "--layout")) {
                if (strcmp(next, "hex") && strcmp(next, "grid"))
                    return usage_error("platform", "--layout: expected hex or grid, got '%s'",
                                       next);
                grid = !strcmp(next, "grid");
                metro_option = s;
            }
            if (!strcmp(s, "--isd")) {
                /* 3GPP TR 38.901 Table 7.2-1 scenario names, or metres. */
                if (!strcmp(next, "uma"))
                    isd = ET_ISD_UMA_M;
                else if (!strcmp(next, "umi"))
                    isd = ET_ISD_UMI_M;
                else if (parse_number(next, 20, 1e5, &isd))
                    return usage_error("platform",
                                       "--isd: expected metres in [20, 100000], uma or umi, got "
                                       "'%s'",
                                       next);
                metro_option = s;
            }
            if (!strcmp(s, "--core-bps")) {
                if (parse_number(next, 1, 1e15, &core_bps))
                    return usage_error("platform",
                                       "--core-bps: expected bits/s in [1, 1e15], got '%s'", next);
                core_option = s;
            }
            if (!strcmp(s, "--core-latency-s")) {
                if (parse_number(next, 0, 10, &core_latency))
                    return usage_error("platform",
                                       "--core-latency-s: expected seconds in [0, 10], got '%s'",
                                       next);
                core_option = s;
            }
            if (!strcmp(s, "--server-flops") && parse_number(next, 1, 1e20, &server_flops))
                return usage_error("platform",
                                   "--server-flops: expected FLOP/s in [1, 1e20], got '%s'", next);
            if (!strcmp(s, "--server-cores") && parse_long(next, 1, 100000, &server_cores))
                return usage_error("platform",
                                   "--server-cores: expected an integer in [1, 100000], got '%s'",
                                   next);
            if (!strcmp(s, "--cell-radius") &&
                (parse_number(next, 10, 1e5, &cell_radius) || cell_radius <= 10))
                return usage_error(
                    "platform", "--cell-radius: expected metres in (10, 100000], got '%s'", next);
            if (!strcmp(s, "-o") || !strcmp(s, "--output")) output = next;
            if (!strcmp(s, "--scenario") && ((scenario = et_propagation_scenario_parse(next)) < 0 ||
                                             scenario == ET_PROPAGATION_TR36814))
                return usage_error("platform",
                                   "--scenario: expected uma, umi, rma or inh, got '%s'", next);
        } else {
            return usage_error("platform", "unexpected argument '%s'", s);
        }
    }
    if (ues < 0) return usage_error("platform", "%s", "--ues N is required");
    /* Options that would be silently ignored are errors. */
    if (!cells && metro_option) return usage_error("platform", "%s needs --cells K", metro_option);
    if (core_option && !shared)
        return usage_error("platform", "%s needs --shared-server", core_option);
    if (cells && wifi)
        return usage_error("platform", "%s", "--cells: metro platforms are OFDMA, not --wifi");
    if (cells && full)
        return usage_error("platform", "%s",
                           "--cells: metro platforms use Cluster zones, not --full-routing");
    if (wifi && full)
        return usage_error("platform", "%s",
                           "--full-routing: a Wi-Fi platform has its own Full world zone (drop "
                           "--full-routing or --wifi)");
    et_platform_spec spec;
    et_platform_spec_default(&spec, (int)ues, wifi ? ET_ACCESS_WIFI : ET_ACCESS_OFDMA);
    spec.seed = (uint64_t)seed;
    spec.full_routing = full;
    spec.n_cells = (int)cells;
    spec.layout = grid ? ET_LAYOUT_GRID : ET_LAYOUT_HEX;
    /* TR 38.901's evaluation layout first (ISD, heights, frequency, radius); the options
     * given with it override. */
    if (scenario >= 0) et_platform_spec_set_scenario(&spec, (et_propagation_scenario)scenario);
    if (isd > 0) spec.isd_m = isd;
    if (cells) spec.cell_radius_m = 0.5 * spec.isd_m; /* the largest disc that fits */
    if (cell_radius > 0) spec.cell_radius_m = cell_radius;
    spec.shared_server = shared;
    if (core_bps > 0) spec.core_bps = core_bps;
    if (core_latency >= 0) spec.core_latency_s = core_latency;
    if (server_flops > 0) spec.server_core_flops = server_flops;
    if (server_cores > 0) spec.server_cores = (int)server_cores;
    et_error err;
    et_error_clear(&err);
    if (!output) {
        et_status st = et_platform_write(stdout, &spec, &err);
        return st == ET_OK ? 0 : fail(&err);
    }
    if (check_output_path(output, 0, "option -o", &err) != ET_OK) return fail(&err);
    size_t tmp_size = strlen(output) + 48;
    char *tmp = malloc(tmp_size);
    if (!tmp) {
        et_error_set(&err, ET_ERR_NOMEM, "out of memory");
        return fail(&err);
    }
    et_outputs_tmp_name(output, tmp, tmp_size);
    FILE *f = et_outputs_create(tmp);
    if (!f) {
        /* A directory or a FIFO where the temporary goes is in the way, as a bad --out is. */
        int in_the_way = errno == EISDIR || errno == EEXIST;
        et_error_set(&err, in_the_way ? ET_ERR_INPUT : ET_ERR_IO, "%s: cannot write: %s%s", output,
                     strerror(errno), in_the_way ? " (its temporary is in the way)" : "");
        free(tmp);
        return fail(&err);
    }
    et_status st = et_platform_write(f, &spec, &err);
    int e = 0;
    if (fflush(f) != 0) e = errno;
    if (fclose(f) != 0 && !e) e = errno;
    if (e && st == ET_OK)
        st = et_error_set(&err, ET_ERR_IO, "%s: cannot write: %s", output, strerror(e));
    /* A signal while the file was written: it is not put in place (one line, 128 + N). */
    if (st == ET_OK && et_interrupted())
        st = et_error_set(&err, ET_ERR_INTERRUPTED, "interrupted by %s; %s was not written",
                          et_interrupt_name(et_interrupted()), output);
    if (st == ET_OK && rename(tmp, output) != 0)
        st = et_error_set(&err, ET_ERR_IO, "%s: cannot write: %s", output, strerror(errno));
    if (st != ET_OK) unlink(tmp);
    free(tmp);
    if (st == ET_ERR_INTERRUPTED) {
        fprintf(stderr, "edgetune: %s\n", err.msg);
        return et_status_exit_code(st);
    }
    return st == ET_OK ? 0 : fail(&err);
}

/* ------------------------------------------------------------ keys etc. */

static int cmd_keys(int argc, char **argv)
{
    int markdown = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--markdown"))
            markdown = 1;
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(KEYS_USAGE, stdout);
            return 0;
        } else
            return usage_error("keys", "unexpected argument '%s'", argv[i]);
    }
    et_scenario_print_keys(stdout, markdown);
    return 0;
}

static int cmd_policies(int argc, char **argv)
{
    if (argc > 2) return usage_error("policies", "unexpected argument '%s'", argv[2]);
    /* One per line: name, then a tab and the row's summary (learned policies come from a
     * checkpoint written by edgetune train). */
    size_t n = 0;
    const et_policy_info *p = et_policy_list(&n);
    for (size_t i = 0; i < n; i++)
        printf("%s\t%s\n", p[i].name, p[i].summary);
    return 0;
}

int main(int argc, char **argv)
{
    /* Under an address-space limit (ulimit -v) OpenBLAS's worker threads, started when the
     * library loads, retry a failed buffer allocation forever and the process never exits:
     * start again with one BLAS thread (read only at load time), which starts none. */
    struct rlimit as_limit;
    if (!getenv("OPENBLAS_NUM_THREADS") && getrlimit(RLIMIT_AS, &as_limit) == 0 &&
        as_limit.rlim_cur != RLIM_INFINITY && setenv("OPENBLAS_NUM_THREADS", "1", 1) == 0)
        execv("/proc/self/exe", argv); /* on failure, go on as we are */
    /* Every command answers SIGINT, SIGTERM and SIGHUP from its first instruction: the
     * handler only records the signal (interrupt.h), and each command says where it stood. */
    et_interrupt_install();
    /* A file-size limit (ulimit -f) makes a write fail with EFBIG, reported and cleaned up
     * like a full disk, instead of killing the process with its temporaries left behind. */
    signal(SIGXFSZ, SIG_IGN);
    /* The agents' networks are small (64 units): OpenBLAS threads only add
     * synchronisation and spin on the second core (measured: 20% slower
     * training and a core busy for nothing). OPENBLAS_NUM_THREADS overrides. */
    if (!getenv("OPENBLAS_NUM_THREADS")) openblas_set_num_threads(1);
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
        char sg[32];
        et_engine_version(sg, sizeof sg);
        printf("edgetune %s\ncommit %s; SimGrid %s; %s; BLAS kernel %s; MPI: %s\n", ET_VERSION,
               ET_COMMIT, sg, openblas_get_config(), openblas_get_corename(),
               et_mpi_built() ? "yes" : "no");
        return 0;
    }
    if (!strcmp(cmd, "help")) {
        const char *topic = argc > 2 ? argv[2] : "";
        if (!strcmp(topic, "run"))
            fputs(RUN_USAGE, stdout);
        else if (!strcmp(topic, "platform"))
            fputs(PLATFORM_USAGE, stdout);
        else if (!strcmp(topic, "keys"))
            fputs(KEYS_USAGE, stdout);
        else if (!strcmp(topic, "train"))
            fputs(TRAIN_USAGE, stdout);
        else if (!strcmp(topic, "eval"))
            fputs(EVAL_USAGE, stdout);
        else if (!strcmp(topic, "compare"))
            fputs(COMPARE_USAGE, stdout);
        else if (!strcmp(topic, "regime"))
            fputs(REGIME_USAGE, stdout);
        else if (!strcmp(topic, "sweep"))
            fputs(SWEEP_USAGE, stdout);
        else if (!strcmp(topic, "linkbudget"))
            fputs(et_linkbudget_usage(), stdout);
        else if (!strcmp(topic, "view"))
            fputs(et_view_usage(), stdout);
        else
            fputs(USAGE, stdout);
        return 0;
    }
    if (strcmp(cmd, "train") != 0 && strcmp(cmd, "sweep") != 0 && et_mpi_world_size() > 1) {
        fprintf(stderr,
                "edgetune: error: %s: started on %d MPI ranks, but only 'train' and 'sweep' run "
                "over MPI (run it without mpirun)\n",
                cmd, et_mpi_world_size());
        return 2;
    }
    if (!strcmp(cmd, "run")) return cmd_run(argc, argv);
    if (!strcmp(cmd, "train")) return cmd_train(argc, argv);
    if (!strcmp(cmd, "eval")) return cmd_eval(argc, argv);
    if (!strcmp(cmd, "compare")) return cmd_compare(argc, argv);
    if (!strcmp(cmd, "regime")) return cmd_regime(argc, argv);
    if (!strcmp(cmd, "sweep")) return cmd_sweep(argc, argv);
    if (!strcmp(cmd, "platform")) return cmd_platform(argc, argv);
    if (!strcmp(cmd, "linkbudget")) return et_linkbudget_main(argc, argv);
    if (!strcmp(cmd, "view")) return et_view_main(argc, argv);
    if (!strcmp(cmd, "keys")) return cmd_keys(argc, argv);
    if (!strcmp(cmd, "policies")) return cmd_policies(argc, argv);
    fprintf(stderr, "edgetune: unknown command '%s' (see edgetune --help)\n", cmd);
    return 2;
}
