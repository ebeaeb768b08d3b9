/* sim_params.h: the simulator's parameters, one struct the scenario embeds and the engine
 * takes whole.
 *
 * The scenario (src/scenario) embeds et_sim_params as et_scenario.sim: each of its fields is set
 * by one row of the key table in scenario.c (name, type, range, default, help, field), so a
 * new engine key is a field here, its row, and its use in the engine, with no copy between
 * them. The engine (src/engine) takes the struct whole (et_sim_create_from_params) and never sees
 * the scenario; an embedding program may fill it itself. It lives in the Radio layer, the lowest
 * that both the Scenario and the Engine use and that holds the channel and mobility
 * parameters it embeds (docs/architecture.md). Plain data: no SimGrid, no functions.
 *
 * docs/configuration.md has each key's meaning, unit, range and source; the scenario checks
 * the ranges, et_sim_create_from_params only what it must to stay safe (positive counts and
 * intervals). */
#ifndef ET_SIM_PARAMS_H
#define ET_SIM_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "channel.h"
#include "edgetune_export.h"
#include "fm.h"
#include "mobility.h"
#include "status.h"

ET_API_BEGIN

/* Bytes of a string parameter (its text is at most ET_SIM_STRING_MAX - 1 bytes). */
#define ET_SIM_STRING_MAX 256

/* tuning.result: what a task tunes and returns. */
typedef enum et_result_mode {
    ET_RESULT_FULL = 0, /* the whole adapter is returned */
    ET_RESULT_LORA = 1, /* only LoRA deltas are returned */
} et_result_mode;

/* channel.sharing: how a cell's UEs get their bandwidth. */
typedef enum et_radio_sharing {
    ET_SHARING_CARRIER = 0,   /* a cell's carrier shared by its UEs with traffic (OFDMA) */
    ET_SHARING_DEDICATED = 1, /* each UE's own bandwidth from the platform (version 1) */
} et_radio_sharing;

/* server.queue, server.load_info, channel.wifi_rate_control, output.channel_sampling and
 * reward.credit, in the order of their key's choices. */
enum { ET_QUEUE_FIFO = 0, ET_QUEUE_SJF = 1 };
enum { ET_LOAD_INFO_QUERY = 0, ET_LOAD_INFO_REPLY = 1 };
enum { ET_WIFI_RATE_PER_DIRECTION = 0, ET_WIFI_RATE_WORSE = 1 };
enum { ET_CHANNEL_SAMPLING_AUTO = 0, ET_CHANNEL_SAMPLING_ALL = 1 };
/* What a learner is told for its task (reward.credit). */
enum { ET_CREDIT_INDIVIDUAL = 0, ET_CREDIT_COOPERATIVE = 1, ET_CREDIT_TEAM = 2 };

/* A parameter's id in the engine's messages: the offset of its field, ET_SIM_PARAM(handover).
 * ET_SIM_PARAM_CHANNEL_TRACE names what is not a field: whether the caller writes channel.csv
 * (the limits' advice names it). */
#define ET_SIM_PARAM(field) offsetof(et_sim_params, field)
#define ET_SIM_PARAM_CHANNEL_TRACE ((size_t)-1)

/* The name a caller knows parameter `param` (an ET_SIM_PARAM id) by, for the engine's
 * messages: a scenario key ("channel.handover"), or NULL when it has none. */
typedef const char *(*et_sim_param_name_fn)(size_t param);

typedef struct et_sim_params {
    /* Files (relative to the working directory; the scenario resolves them). */
    char source[ET_PATH_MAX];         /* the scenario file, named in messages; "": none */
    char platform[ET_PATH_MAX];       /* SimGrid platform XML */
    char model[ET_PATH_MAX];          /* foundation-model profile JSON */
    char mobility_trace[ET_PATH_MAX]; /* CSV, read when mobility.model == trace */
    int ues;                          /* simulate the first `ues` UE hosts; 0: all */
    uint64_t seed;                    /* root of every random stream */

    /* tasks.* */
    int tasks_per_ue;
    double tokens_min, tokens_max; /* log-uniform */
    int epochs_min, epochs_max;    /* uniform integer */
    double difficulty_sigma;       /* PPL multiplier exp(sigma N(0,1) - sigma^2/2) */
    double gap_mean_s;             /* exponential idle gap before each task; 0: back to back */
    /* Mean ON and OFF periods, s, of the shared on/off arrival process (et_burst); both 0:
     * no bursts. */
    double burst_on_s, burst_off_s;
    double bytes_per_token; /* data set bytes uploaded per token when offloading */
    double seq_tokens;      /* context length for the activation memory model */
    double deadline_s;      /* absolute deadline after the task starts, s; 0: none */
    double deadline_factor; /* deadline = factor x the task's best-case duration; 0: none */

    /* tuning.* and server.* (the cost model's set-up) */
    et_result_mode result_mode;
    double k_min, k_max;
    int lora_savings;
    int data_quality; /* quality depends on tokens x epochs (version 3) */
    et_fm_tunes_on tunes_on;
    int server_returns_result;
    int server_admission;       /* 0 memory (v3): jobs wait until they fit; 1 none (v2) */
    double server_memory_bytes; /* per accelerator, unless the server host says otherwise */
    int server_queue;           /* ET_QUEUE_* */
    int server_load_info;       /* ET_LOAD_INFO_*: query = asked before each decision */
    double default_keep;        /* baselines.keep: the keep when an agent leaves it unset */

    /* channel.* */
    int channel_enabled; /* 0: links keep the platform's bandwidths, UEs do not move */
    et_channel_params channel;
    double ue_tx_power_dbm;
    double update_interval_s;
    double push_tolerance; /* relative rate change that is applied to a busy link */
    /* channel.share_interval_s: 0, a cell's carrier is re-divided among its busy UEs at every
     * transfer start and end; > 0, the other UEs' shares change at the next multiple of it
     * after the episode's start (docs/simulation.md, "The cell's carrier"). */
    double share_interval_s;
    int max_interferers;   /* the nearest cells that interfere */
    et_radio_sharing radio_sharing;
    et_duplex duplex;  /* the shared carrier is TDD or FDD */
    double carrier_hz; /* TDD: the carrier's bandwidth, Hz */
    /* TDD slots ("DDDSU") and a special slot's d:g:u OFDM symbols ("10:2:2"): each direction's
     * share of the time (et_channel_tdd_shares; "": the defaults). A cell that declares one of
     * them in the platform takes the other from here. A cell's duplex, carrier_hz, tdd_pattern,
     * tdd_special_slot, carrier_down_hz and carrier_up_hz properties override the fields here
     * for its UEs (docs/platforms.md section 3), its ap_tx_power_dbm channel.ap_tx_power_dbm. */
    char tdd_pattern[ET_SIM_STRING_MAX];
    char tdd_special_slot[ET_SIM_STRING_MAX];
    double carrier_down_hz, carrier_up_hz; /* FDD: a cell's carrier, per direction */
    int wifi_rate_control;                 /* ET_WIFI_RATE_*: a Wi-Fi transfer's MCS from its own
                                              direction's SINR, or one level from the worse direction */
    double wifi_mac_efficiency;            /* (0, 1]: share of the PHY rate a Wi-Fi transfer gets */
    /* channel.handover*: a UE's serving cell changes when a neighbour's RSRP (the cell's
     * power minus its LOS-averaged mean path loss) beats the serving cell's by
     * handover_hysteresis_db at every channel grid point for handover_ttt_s; the UE then
     * cannot transmit for handover_interruption_s (docs/channel.md, "Handover"). 0: a UE
     * stays in its platform cell. */
    int handover;
    double handover_hysteresis_db, handover_ttt_s, handover_interruption_s;

    /* mobility.* */
    et_mobility_params mobility;

    /* transfer.* */
    double control_bytes; /* size of a request message UE -> server */

    /* reward.* */
    double w_delay, w_ppl, w_privacy;
    double bytes_ref;
    int credit; /* ET_CREDIT_* */
    double delay_ref_s;
    double ppl_ref; /* 0: the model's fully fine-tuned perplexity */
    double fail_penalty;

    /* output.* (what channel.csv holds) */
    int channel_trace_every; /* sample every k-th channel update */
    int channel_trace_ues;   /* trace this many UEs evenly spaced by index; 0: every UE */
    int channel_sampling;    /* ET_CHANNEL_SAMPLING_* (budget_estimate.h, ET_BUDGET_AUTO_UES) */

    /* limits.* (0: none) */
    double limit_sim_time_s;   /* simulated seconds one episode may last */
    double limit_output_bytes; /* bytes one run may write to its outputs */

    /* How the engine's messages name a parameter (NULL: by its field's name). Not a key: the
     * App sets it (et_sim_create names them by their scenario keys). */
    et_sim_param_name_fn param_name;
} et_sim_params;

ET_API_END

#endif
