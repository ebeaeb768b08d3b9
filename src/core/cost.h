/* cost.h: what one task costs and yields for a decision (pure C, no SimGrid).
 *
 * The single place where a decision (location, keep fraction) and a task
 * (tokens, epochs) become bytes to move, FLOPs to execute, memory to hold,
 * quality reached and data exposed, from a foundation-model profile and the
 * scenario's model settings (version 2 of the model, docs/models.md section 8). The
 * simulator turns the bytes and FLOPs into engine activities; rule-based
 * policies use the same numbers to estimate. */
#ifndef ET_COST_H
#define ET_COST_H

#include "edgetune_export.h"
#include "fm.h"

ET_API_BEGIN

/* Where the adapter is tuned. */
typedef enum et_location {
    ET_LOCATION_LOCAL = 0,  /* on the UE, against an emulator */
    ET_LOCATION_SERVER = 1, /* offloaded to the edge server */
} et_location;
#define ET_LOCATION_COUNT 2

/* The scenario's model settings (keys tuning.*, server.*, tasks.*). */
typedef struct et_cost_setup {
    int lora;                  /* tuning.result lora: LoRA deltas are trained and returned */
    int lora_savings;          /* LoRA also lowers memory and FLOPs (version 2); 0: only the
                                  result shrinks (version 1) */
    et_fm_tunes_on tunes_on;   /* server.tunes_on */
    int server_returns_result; /* server.returns_result: a SERVER task's tuned result goes
                                  back to the UE */
    double k_min, k_max;       /* keep fraction range of a LOCAL emulator */
    double seq_tokens;         /* training context, for activation memory */
    double bytes_per_token;    /* data set bytes per token (the SERVER upload) */
    int data_quality;          /* 1: quality depends on tokens x epochs as well
                                  (et_fm_ppl_plug_data, version 3); 0: on b only (version 2) */
} et_cost_setup;

/* What a task costs for one decision. */
typedef struct et_cost {
    int b;                    /* emulator middle blocks the UE must hold (0: none needed) */
    double flops;             /* tuning work, on the UE (LOCAL) or the server (SERVER) */
    double memory_bytes;      /* LOCAL: what the UE must hold to tune; 0 for SERVER */
    double upload_bytes;      /* UE -> server after tuning (LOCAL result) or before (SERVER data) */
    double result_down_bytes; /* SERVER: the tuned result sent back; 0 for LOCAL */
    double ppl;               /* quality: adapter plugged into the full model, before the task's
                                 difficulty factor */
    double exposed_bytes;     /* private data handed to the server (SERVER), else 0 */
    int keep_effective;       /* 0 when the keep fraction had no effect (SERVER on the full
                                 model) */
} et_cost;

/* Fills out for a task of tokens x epochs decided as (loc, keep). keep is
 * mapped to b by et_fm_blocks_for_keep_range under [k_min, k_max]; a SERVER
 * task tuned on the full model ignores it. Never fails; fm and s must be
 * valid. */
void et_cost_task(const et_fm *fm, const et_cost_setup *s, et_location loc, double keep,
                  double tokens, double epochs, et_cost *out);

/* Bytes the UE must download before the task: emulator b when it differs
 * from cached_b (b > 0), plus the adapter the first time an emulator is
 * needed. */
double et_cost_download_bytes(const et_fm *fm, const et_cost *c, int cached_b, int adapter_cached);

/* Perplexity a UE is left with when its task fails: the untuned full model
 * (the profile's full zero-shot perplexity). A profile that does not publish
 * it gets A / 0.4: the published anchors are 0.40 of the zero-shot value
 * (OPT-1.3B 12.52 / 31.48 = 0.398; OPT-6.7B's derived anchor 0.400). */
double et_cost_untuned_ppl(const et_fm *fm);

/* Privacy exposure of a task: sensitivity * exposed_bytes / bytes_ref. */
double et_cost_exposure(const et_cost *c, double sensitivity, double bytes_ref);

/* The reward's weights and references (scenario keys reward.*). */
typedef struct et_reward_weights {
    double w_delay, w_ppl, w_privacy;
    double delay_ref_s, ppl_ref; /* ppl_ref > 0 */
    double fail_penalty;
} et_reward_weights;

/* Reward of a task that ran: -(w_delay delay / delay_ref + w_ppl ppl / ppl_ref +
 * w_privacy exposure). */
double et_cost_reward(const et_reward_weights *w, double delay_s, double ppl, double exposure);

/* Reward of a task that failed (memory, deadline; docs/simulation.md, "Deadlines"): what
 * its worst option that runs within the deadline could have cost, minus the penalty:
 *   et_cost_reward(w, max(delay_s, deadline_s), untuned_ppl, worst_exposure) - fail_penalty.
 * delay_s: the time until the failure was known; deadline_s: the task's deadline (0 or
 * less: none, version 2); untuned_ppl: the perplexity left without tuning (times the task's
 * difficulty); worst_exposure: the largest exposure any option has (the SERVER option's).
 * Every option that completes within the deadline scores strictly better when
 * fail_penalty > 0 (tests/core/test_cost.c checks it on random tasks). */
double et_cost_fail_reward(const et_reward_weights *w, double delay_s, double deadline_s,
                           double untuned_ppl, double worst_exposure);

/* What bounds a task's best case: the UE's and server's speeds and the highest rates the
 * channel can give the UE (docs/simulation.md, "Deadlines"). */
typedef struct et_best_case_env {
    double ue_speed_flops, ue_memory_bytes;
    double server_speed_flops;      /* one accelerator */
    double server_memory_bytes;     /* one accelerator; 0 or less: unlimited */
    double peak_up_bps, peak_down_bps;
    double latency_up_s, latency_down_s;
    double control_bytes;           /* the request message */
} et_best_case_env;

/* The task's best-case duration, s: the fastest of its options (SERVER, LOCAL at each
 * allowed b that fits the UE) alone on an idle system, at peak rates, with no emulator
 * cached: the reference of tasks.deadline_factor. A closed form of the same phases the
 * engine runs; it only sets a deadline, never a delay. INFINITY when no option can run. */
double et_cost_best_case_s(const et_fm *fm, const et_cost_setup *s, const et_best_case_env *env,
                           double tokens, double epochs);

ET_API_END

#endif
