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
#include "status.h"

ET_API_BEGIN

/* The largest seed: 2^53 - 1, the largest integer a JSON number (a double) holds exactly, so
 * that summary.json reproduces its run. */
#define ET_SEED_MAX 9007199254740991ULL

/* Bytes of a string key's field (its text is at most ET_SCENARIO_STRING_MAX - 1 bytes). */
#define ET_SCENARIO_STRING_MAX 256

typedef enum et_result_mode {
    ET_RESULT_FULL = 0, /* the whole adapter is returned */
    ET_RESULT_LORA = 1, /* only LoRA deltas are returned */
} et_result_mode;

typedef enum et_radio_sharing {
    ET_SHARING_CARRIER = 0,   /* a cell's carrier shared by its UEs with traffic (OFDMA) */
    ET_SHARING_DEDICATED = 1, /* each UE's own bandwidth from the platform (version 1) */
} et_radio_sharing;

typedef struct et_scenario {
    char source[ET_PATH_MAX];   /* the scenario file (for messages), or "(defaults)" */
    char platform[ET_PATH_MAX]; /* resolved path */
    char model[ET_PATH_MAX];    /* resolved path */
    char out_dir[ET_PATH_MAX];
    char policy[ET_SCENARIO_STRING_MAX];
    int ues; /* 0: every UE host of the platform */
    uint64_t seed;

    /* tasks.* */
    int tasks_per_ue;
    double tokens_min, tokens_max; /* log-uniform */
    int epochs_min, epochs_max;    /* uniform integer */
    double difficulty_sigma;       /* PPL multiplier exp(sigma N(0,1) - sigma^2/2) */
    double gap_mean_s;             /* exponential idle gap before each task; 0: back to back */
    /* Mean ON and OFF periods, s, of the shared on/off arrival process (exponential); both
     * 0: no bursts. */
    double burst_on_s, burst_off_s;
    double bytes_per_token;        /* data set bytes uploaded per token when offloading */
    double seq_tokens;             /* context length for the activation memory model */
    double deadline_s;             /* absolute deadline after the task starts, s; 0: none */
    double deadline_factor;        /* deadline = factor x the task's best-case duration; 0: none */

    /* tuning.* */
    et_result_mode result_mode;
    double k_min, k_max;
    int lora_savings;
    int data_quality; /* quality depends on tokens x epochs (version 3) */

    /* server.* */
    et_fm_tunes_on tunes_on;
    int server_returns_result;
    int server_admission;         /* 0 memory (v3): jobs wait until they fit; 1 none (v2) */
    double server_memory_bytes;   /* per accelerator, when the server host has no property */
    int server_queue;             /* 0 fifo, 1 sjf */
    int server_load_info;         /* 0 query (v3): asked before each decision; 1 reply (v2) */

    /* channel.* (radio) */
    int channel_enabled; /* 0: links keep the platform's bandwidths, UEs do not move */
    et_channel_params channel;
    double ue_tx_power_dbm;
    double update_interval_s;
    double push_tolerance; /* relative rate change that is applied to a busy link */
    double share_interval_s; /* carrier re-division interval, s; 0: at every start and end */
    int max_interferers;   /* the nearest cells that interfere */
    et_radio_sharing radio_sharing;
    et_duplex duplex;                              /* a cell's carrier: TDD or FDD */
    double carrier_hz;                             /* TDD: the carrier's bandwidth */
    char tdd_pattern[ET_SCENARIO_STRING_MAX];      /* TDD slots, "DDDSU" */
    char tdd_special_slot[ET_SCENARIO_STRING_MAX]; /* "d:g:u" OFDM symbols of an S slot */
    double carrier_down_hz, carrier_up_hz;         /* FDD: a cell's carrier, per direction */
    int wifi_rate_control;      /* 0 per-direction, 1 worse (one level, version 2) */
    double wifi_mac_efficiency; /* share of the PHY rate a Wi-Fi transfer gets */
    int handover;                  /* 1: a UE's serving cell follows the A3 rule */
    double handover_hysteresis_db; /* how much better a neighbour must be, dB */
    double handover_ttt_s;         /* for how long, s (time to trigger) */
    double handover_interruption_s; /* a UE cannot transmit this long after a handover */

    /* mobility.* */
    et_mobility_params mobility;
    char mobility_trace[ET_PATH_MAX]; /* resolved path when model == trace */

    /* transfer.* */
    double control_bytes; /* size of a request message UE -> server */

    /* reward.* */
    double w_delay, w_ppl, w_privacy;
    double bytes_ref;
    int credit; /* 0 individual, 1 cooperative, 2 team */
    double delay_ref_s, ppl_ref;
    double fail_penalty;

    /* baselines.* (and the policy key itself, above) */
    double policy_keep; /* baselines.keep */
    char static_rule[ET_SCENARIO_STRING_MAX];  /* baselines.static_rule */
    char dynamic_rule[ET_SCENARIO_STRING_MAX]; /* baselines.dynamic_rule */

    /* output.* */
    int write_channel_trace;
    int write_activity_log;  /* activities.csv, for the bare SimGrid twin in bench/ */
    int write_decisions;     /* decisions.csv: a learned policy's decisions (run --checkpoint) */
    int channel_trace_every; /* sample every k-th channel update */
    int channel_trace_ues;   /* trace this many UEs evenly spaced by index; 0 = all */
    int channel_sampling;    /* output.channel_sampling: 0 auto, 1 all */

    /* limits.* */
    double limit_sim_time_s;   /* simulated seconds an episode may last; 0 = none */
    double limit_output_bytes; /* bytes a run may write to its output files; 0 = none */

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

/* The resolved scenario as a cJSON object, one member per key (for summary.json); the caller
 * owns it (cJSON_Delete). NULL on allocation failure. */
struct cJSON;
struct cJSON *et_scenario_to_cjson(const et_scenario *sc);

/* The same object as printed JSON text: malloc'd, the caller frees; NULL on allocation failure. */
char *et_scenario_to_json(const et_scenario *sc);

ET_API_END

#endif
