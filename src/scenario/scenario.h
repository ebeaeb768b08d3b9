/* scenario.h: the scenario, a JSON file parsed once into a validated struct.
 *
 * Every key is declared once in the table in scenario.c with its type,
 * default, range and help text (ns-3 attribute style); `edgetune keys`
 * prints that table and docs/configuration.md is generated from it.
 * Unknown keys are errors. Relative paths in a scenario are resolved against
 * the scenario file's directory. */
#ifndef ET_SCENARIO_H
#define ET_SCENARIO_H

#include <stdint.h>
#include <stdio.h>

#include "channel.h"
#include "edgetune_export.h"
#include "fm.h"
#include "learn.h"
#include "mobility.h"
#include "sim_params.h"
#include "status.h"

ET_API_BEGIN

/* The largest seed: 2^53 - 1, the largest integer a JSON number (a double) holds exactly, so
 * that summary.json reproduces its run. */
#define ET_SEED_MAX 9007199254740991ULL

/* Bytes of a string key's field (its text is at most ET_SCENARIO_STRING_MAX - 1 bytes). */
#define ET_SCENARIO_STRING_MAX ET_SIM_STRING_MAX

typedef struct et_scenario {
    /* The simulator's keys (platform, model, ues, seed, tasks.*, tuning.*, server.*, channel.*,
     * mobility.*, transfer.*, reward.*, baselines.keep, output.channel_every, channel_ues and
     * channel_sampling, limits.*): the engine takes them whole (et_sim_create). sim.source is
     * the scenario file (for messages), or "(defaults)". */
    et_sim_params sim;
    char out_dir[ET_PATH_MAX];
    char policy[ET_SCENARIO_STRING_MAX];

    /* baselines.* (and the policy key itself, above; baselines.keep is sim.default_keep) */
    char static_rule[ET_SCENARIO_STRING_MAX];  /* baselines.static_rule */
    char dynamic_rule[ET_SCENARIO_STRING_MAX]; /* baselines.dynamic_rule */

    /* output.* (the simulator's channel.csv sampling is in sim) */
    int write_channel_trace;
    int write_activity_log; /* activities.csv, for the bare SimGrid twin in bench/ */
    int write_decisions;    /* decisions.csv: a learned policy's decisions (run --checkpoint) */

    /* hmppo.*: learner hyperparameters (variant, sizes and seed are set by
     * the trainer from the policy name and the platform). */
    et_learn_params learn;

    /* train.* */
    int train_episodes;
    int episodes_per_update;
    int checkpoint_every;
    int eval_episodes;
    int eval_offset; /* evaluation uses episode indices from here: seeds never seen in training */
    int validation_offset; /* validation (regime, baseline tuning) uses indices from here */
} et_scenario;

/* Fills sc with every key's default. The platform and model paths default to
 * the shipped ones under source_dir (the source tree or install prefix). */
void et_scenario_defaults(et_scenario *sc, const char *source_dir);

/* Reads a scenario file over the defaults. Errors name the file and key:
 * "<path>: key 'tasks.per_ue': expected an integer in [1, 100000], got 0". */
et_status et_scenario_load(const char *path, const char *source_dir, et_scenario *sc,
                           et_error *err);

/* Sets one key from text, the way the command line, the C API and Python give overrides: its
 * type and range from the key table, numbers in plain decimal only ("5", "0.4", "6e9"; an
 * integer key takes digits: not " 5", "+5", "0x10", "2.7" or "1e3"), booleans as true|false,
 * strings, enums and paths as they are (paths relative to the working directory). source
 * names the override in messages: "option --seed: key 'seed': expected a non-negative integer
 * in [0, 9007199254740991], got '-5'". Run et_scenario_validate after the last one. */
et_status et_scenario_set(et_scenario *sc, const char *key, const char *text, const char *source,
                          et_error *err);

/* Cross-key checks after command-line overrides (tokens_min <= tokens_max, ...). */
et_status et_scenario_validate(const et_scenario *sc, et_error *err);

/* Writes the key table: format 0 = plain text for the terminal, 1 = Markdown. */
void et_scenario_print_keys(FILE *out, int markdown);

/* The name of the key that sets the field at byte offset `offset` of et_scenario
 * ("channel.handover" for offsetof(et_scenario, sim.handover)), or NULL when no key does. */
const char *et_scenario_key_at(size_t offset);

/* The resolved scenario as JSON text, one member per key (summary.json's "scenario"): malloc'd,
 * the caller frees; NULL on allocation failure. (Inside the library, scenario_cjson.h gives the
 * cJSON object.) */
char *et_scenario_to_json(const et_scenario *sc);

ET_API_END

#endif
