/* budget_estimate.h: what one episode is expected to take (simulated time, output rows and
 * bytes) from the simulator's inputs handed in as plain values, and whether the process has
 * room for its actors' stacks. The simulator uses it as it is created (output.channel_sampling
 * auto) and before every episode (the stacks); budget.h builds the limits' checks on it and
 * says how the estimate is made. */
#ifndef ET_BUDGET_ESTIMATE_H
#define ET_BUDGET_ESTIMATE_H

#include <stddef.h>

#include "cost.h"
#include "fm.h"
#include "platform.h"
#include "sim_params.h"
#include "status.h"

/* Average bytes of a channel.csv and a tasks.csv row (measured on the default run:
 * 2.58 MB for 29,813 channel rows, 61 kB for 300 tasks). */
#define ET_BUDGET_CHANNEL_ROW_BYTES 86.0
#define ET_BUDGET_TASK_ROW_BYTES 200.0

/* output.channel_sampling auto (docs/traces.md, "channel.csv"): a run of more than
 * ET_BUDGET_AUTO_UES UEs that leaves output.channel_ues and output.channel_every at 0 and 1
 * traces ET_BUDGET_AUTO_UES of them, evenly spaced by index, at every k-th update, k the
 * smallest that keeps the likely estimate (likely_s) under ET_BUDGET_AUTO_ROWS channel.csv rows
 * (about 86 MB). */
#define ET_BUDGET_AUTO_UES 64
#define ET_BUDGET_AUTO_ROWS 1e6

typedef struct et_budget {
    double sim_time_s;   /* expected simulated time of one episode (its slowest UE) */
    double task_s;       /* that UE's expected time per task, without the idle gap */
    int slowest_ue;      /* index of that UE */
    double channel_rows; /* expected channel.csv rows of one episode */
    double output_bytes; /* expected bytes of one episode's tasks.csv and channel.csv */
    /* The likely figures: the episode also lasts at least as long as the busiest shared
     * resource needs for its UEs' tasks (a server's accelerators, a cell's carrier in each
     * direction), each UE choosing as above. Not a bound (UEs may choose otherwise when a
     * resource is busy): used for warnings and output.channel_sampling auto, never to refuse. */
    double likely_s;
    double likely_channel_rows;
    double likely_output_bytes;
    const char *likely_by; /* what makes likely_s longer than sim_time_s ("" when nothing) */
} et_budget;

/* What the estimate reads of a simulator, handed in (budget.h's et_budget_estimate gives it an
 * et_sim's; sim.c its own while it is created). */
typedef struct et_budget_inputs {
    const et_sim_params *p;
    const et_topology *topo; /* the discovered platform: UE hosts, servers, cells */
    int n_ue;                /* the UEs simulated: the first n_ue of topo's */
    const et_fm *fm;
    const et_cost_setup *cost;
    /* The highest rate, bit/s, the channel can give UE ue's wireless link, up (1) or down (0)
     * (et_sim_peak_bps); ctx is handed back. */
    double (*peak_bps)(const void *ctx, int ue, int up);
    const void *ctx;
} et_budget_inputs;

/* Estimates one episode of in (et_budget's fields); channel_trace != 0 when the run writes
 * channel.csv (output.channel_trace). */
void et_budget_estimate_from(const et_budget_inputs *in, int channel_trace, et_budget *b);

/* 1 when output.channel_sampling auto (ET_BUDGET_AUTO_UES) applies to p's parameters for
 * n_ue UEs: p->channel_sampling auto, more than ET_BUDGET_AUTO_UES UEs, and channel_trace_ues and
 * channel_trace_every at 0 and 1. */
int et_budget_auto_applies(const et_sim_params *p, int n_ue);

/* The update interval (every k-th update) output.channel_sampling auto chooses for in, whose
 * parameters already trace ET_BUDGET_AUTO_UES UEs at every update: the smallest k that keeps
 * the likely channel.csv rows under ET_BUDGET_AUTO_ROWS. et_sim_create_from_params applies both
 * (sim.c). */
int et_budget_auto_every(const et_budget_inputs *in);

/* The shortest estimate et_budget_estimate_from can give for n_ue UEs of p's parameters, from
 * the parameters alone (task_s 0, slowest_ue -1): et_budget_precheck's figures (budget.h). */
void et_budget_estimate_lower(const et_sim_params *p, int n_ue, int channel_trace, et_budget *b);

/* SimGrid 3.32 aborts ("Failed to allocate stack") when it cannot map an actor's stack: under
 * an address-space limit (ulimit -v), n_actors' stacks must find room beside what the process
 * already uses; and ("Failed to protect stack") when their guard pages need more memory
 * mappings than vm.max_map_count allows (two per actor with guard pages). ET_ERR_NOMEM with
 * one line when they cannot; ET_OK without a limit. Used by
 * et_budget_precheck before the platform loads and by every episode before its actors start.
 * Call after et_engine_init (the stacks' size is an engine option). */
et_status et_budget_stack_room(int n_actors, et_error *err);

/* The actors an episode of n_ue UEs runs at most: one per UE (it performs its server's side
 * of its requests too), the channel and the watchdog (docs/simulation.md, "Actors"), and the
 * share actor when share_actor != 0 (channel.share_interval_s > 0). */
#define ET_SIM_ACTORS(n_ue, share_actor) ((n_ue) + 2 + ((share_actor) != 0))

#endif
