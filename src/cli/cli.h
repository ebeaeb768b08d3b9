/* cli.h: what the files of the command line (src/cli/) share.
 *
 * Each command is one file, cmd_<name>.c, that defines its row with CLI_COMMAND (a cli_command:
 * name, the line `edgetune --help` shows, its help, its handler, the options it takes); main.c
 * lists the rows in CLI_COMMANDS and dispatches on them. The options every simulating command
 * parses the same way are options.c's, the scenario, agent and output preparation common.c's, the
 * data folder and the output paths' checks paths.c's. */
#ifndef ET_CLI_H
#define ET_CLI_H

#include <stddef.h>

#include <cJSON.h>

#include "edgetune.h"

/* One command of the program. */
typedef struct cli_command {
    const char *name;     /* argv[1] */
    const char *synopsis; /* its line in edgetune --help: "run [SCENARIO]" */
    const char *summary;  /* and what it does */
    /* Its help (edgetune help NAME, NAME --help); NULL from it: the program's. */
    const char *(*usage)(void);
    int (*main)(int argc, char **argv); /* argv[1] is the command; returns the exit status */
    /* The options cli_parse_run_args accepts for it beside the common ones (--seed, --ues,
     * --tasks, --out, --platform, --model, -q), as " --a --b "; NULL for a command that
     * parses its own. */
    const char *options;
    int flags; /* CLI_* */
} cli_command;

enum {
    CLI_MPI = 1,         /* runs under mpirun on several ranks (the others refuse to) */
    CLI_OWN_OPTIONS = 2, /* takes only its options, not the common ones */
};

/* CLI_COMMAND(name, synopsis, summary, usage, main, options, flags): the row of the command
 * `name`, cli_<name>, as its cmd_<name>.c defines it; usage is an expression giving its help
 * text (or NULL), evaluated when the help is asked for. */
#define CLI_COMMAND(id, synopsis, summary, usage_text, handler, options, flags)                    \
    static const char *id##_usage(void)                                                            \
    {                                                                                              \
        return usage_text;                                                                         \
    }                                                                                              \
    const cli_command cli_##id = {#id, synopsis, summary, id##_usage, handler, options, flags}

/* The row of the command called name, or NULL (main.c). */
const cli_command *cli_command_find(const char *name);

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

/* ---- common.c: errors, interruptions, budgets, scenario and agent preparation ---- */

int cli_fail(const et_error *err);

/* Reports a failed simulating command: an interruption as one line saying where things
 * stand (out_dir: the directory whose previous files were kept, or NULL), anything else as
 * an error line. */
int cli_fail_run(const et_error *err, const char *out_dir);

/* A signal received by now stops the command (when: "before the first episode"). */
et_status cli_interrupted_when(const char *when, et_error *err);

/* The up-front estimate (budget.h): refuses a scenario expected to exceed its limits,
 * warns on stderr when it comes near them. writes_traces: the command writes an
 * episode's tasks.csv and channel.csv. */
et_status cli_check_budget(const et_sim *sim, const et_scenario *sc, int writes_traces,
                           et_error *err);

/* The same limits before the platform is loaded, from its UE count alone (budget.h,
 * et_budget_precheck): a platform of a million UEs takes SimGrid a minute and gigabytes to
 * load, a scenario that cannot run on it is refused at once. After et_engine_init (the
 * actors' stack size is an engine option), before et_sim_create. */
et_status cli_precheck_budget(const et_scenario *sc, int writes_traces, et_error *err);

int cli_usage_error(const char *cmd, const char *fmt, const char *arg);

/* A whole string as a plain decimal integer in [min, max] (numtext.h: not " 5", "+5" or
 * "0x10"). */
int cli_parse_long(const char *text, long min, long max, long *out);

double cli_wall_s(void);

/* Starts the engine with the user's SimGrid options; after SimGrid's own help, exits 0. */
et_status cli_engine_init(run_args *a, const char *paje, et_error *err);

/* "1h02m", "3m05s" or "42s": elapsed times and ETAs in progress lines. */
void cli_fmt_duration(double s, char *out, size_t size);

/* Scenario from the command line with its overrides applied and checked. */
et_status cli_prepare_scenario(const run_args *a, et_scenario *sc, et_error *err);

/* Loads a checkpoint's learned policy in evaluation mode; *name gets its learner's name. */
et_status cli_load_learned(const char *checkpoint, et_agent **agent, const char **name,
                           et_error *err);

et_status cli_make_agent(const et_scenario *sc, const char *policy, const char *checkpoint,
                         et_agent **agent, et_error *err);

/* The loaded checkpoint must match the simulated platform. */
et_status cli_check_agent_fits(const et_agent *agent, const et_sim *sim, const char *path,
                               et_error *err);

/* The engine (with the user's SimGrid options; paje: a Paje trace file or NULL) and the
 * simulator of sc, each refused up front when the scenario is expected to exceed its limits
 * (writes_traces: the command writes an episode's traces). agent, when not NULL, must fit the
 * simulator (cli_check_agent_fits, its checkpoint named path). */
et_status cli_open_sim(run_args *a, const char *paje, int writes_traces, const et_scenario *sc,
                       const et_agent *agent, const char *path, et_sim **sim, et_error *err);

/* summary.json: {"run": metadata, "scenario": resolved keys, "result": result}, built with
 * cJSON so that any path or name stays valid JSON. Takes result (also when NULL); returns NULL
 * when out of memory. */
char *cli_summary_json(const et_scenario *sc, cJSON *result, int argc, char **argv);

/* ---- options.c: the options of the simulating commands ---- */

/* Parses a simulating command's arguments into a. Returns 0 to go on, CLI_DONE when the
 * command's work is done already (its --help, or SimGrid's --help-cfg/--help-models/... printed:
 * the command returns 0), or the exit status of a usage error it has reported. */
int cli_parse_run_args(int argc, char **argv, run_args *a, const char *usage);
#define CLI_DONE (-1)

/* ---- paths.c: the data folder, the scenario's paths and the outputs' ---- */

/* Directory holding platforms/, models/ and examples/: $EDGETUNE_DATA_DIR if set; else
 * <prefix>/share/edgetune when this binary is installed as <prefix>/bin/edgetune (found from
 * its own path, so a moved prefix still works); else the source tree it was built from. */
et_status cli_data_dir(char *out, size_t out_size, et_error *err);

/* Loads the scenario named on the command line (or the default) and applies overrides. */
et_status cli_load_scenario(const char *path, et_scenario *sc, et_error *err);

/* Copies a path option into a scenario field, refusing one that does not fit. */
et_status cli_set_path_option(char *field, const char *value, const char *option, et_error *err);

/* Where a failed write would go: path is a directory to write files into
 * (dir = 1) or a file to create; refuses what cannot work before anything
 * runs (a file where a directory is wanted, a directory where a file is, a
 * parent that is a file or not writable, a name longer than the system
 * takes), naming source ("option --out", "x.json: key 'out'"). */
et_status cli_check_output_path(const char *path, int dir, const char *source, et_error *err);

/* Refuses, before anything is opened, an output of the command that is one of its inputs or
 * another of its outputs: --paje out/tasks.csv, --paje scenario.json, --log=root.app:file:
 * out/summary.json, a scenario inside --out named like an output. */
et_status cli_check_aliases(const run_args *a, const et_scenario *sc, et_error *err);

#endif
