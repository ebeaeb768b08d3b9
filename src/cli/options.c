/* options.c: the options of the simulating commands (run, train, eval, compare, regime, sweep)
 * parsed one way; each command's row says which it takes (cli.h). */
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

/* Options a command takes (value options, then flags): its row's, and the common ones unless
 * its row takes only its own (CLI_OWN_OPTIONS). */
static int option_allowed(const char *cmd, const char *opt)
{
    static const char *common[] = {"--seed",  "--ues", "--tasks", "--out", "--platform",
                                   "--model", "-q",    "--quiet", NULL};
    const cli_command *row = cli_command_find(cmd);
    if (!row) return 0;
    char key[64];
    snprintf(key, sizeof key, " %s ", opt);
    if (!(row->flags & CLI_OWN_OPTIONS))
        for (const char **c = common; *c; c++)
            if (!strcmp(*c, opt)) return 1;
    return row->options && strstr(row->options, key) != NULL;
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

int cli_parse_run_args(int argc, char **argv, run_args *a, const char *usage)
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
            if (c == ':') return cli_usage_error(a->cmd, "option %s needs a value", bad);
            return cli_usage_error(a->cmd, "unknown option '%s'", bad);
        }
        if (c == 'h') {
            fputs(usage, stdout);
            return CLI_DONE;
        }
        option_text(c, long_index, name, sizeof name);
        if (c == OPT_SG_VALUE || c == OPT_SG_FLAG) {
            if (a->sg_argc >= 63)
                return cli_usage_error(a->cmd, "too many SimGrid options (%s)", name);
            char *text = a->sg_text[a->sg_argc - 1];
            if (c == OPT_SG_VALUE && strlen(optarg) + strlen(name) + 2 > sizeof a->sg_text[0])
                return cli_usage_error(a->cmd, "option %s: value longer than 500 characters", name);
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
        if (!option_allowed(a->cmd, name))
            return cli_usage_error(a->cmd, "unknown option '%s'", name);
        /* An option given twice is a conflict, not "the last one wins". */
        int slot = long_index;
        for (int k = 0; slot < 0 && LONG_OPTIONS[k].name; k++)
            if (LONG_OPTIONS[k].val == c) slot = k;
        if (slot >= 0 && slot < 64 && LONG_OPTIONS[slot].has_arg == required_argument) {
            if (given & (1ULL << slot))
                return cli_usage_error(a->cmd, "option %s is given twice", name);
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
            if (cli_parse_long(optarg, nums[k].min, nums[k].max, nums[k].dst)) {
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
            return cli_usage_error(a->cmd, "unknown option '%s'", name);
        }
    }
    for (int i = optind; i < sub_argc; i++) {
        if (a->scenario) return cli_usage_error(a->cmd, "unexpected argument '%s'", sub_argv[i]);
        a->scenario = sub_argv[i];
    }
    a->sg_argv[a->sg_argc] = NULL;
    if (a->sg_help) { /* SimGrid prints its help while the engine starts; nothing else runs */
        et_error err;
        if (et_engine_init(&a->sg_argc, a->sg_argv, NULL, &err) != ET_OK) return cli_fail(&err);
        fflush(NULL);
        return CLI_DONE;
    }
    return 0;
}
