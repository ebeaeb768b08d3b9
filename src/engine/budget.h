/* budget.h: what a scenario's run is expected to cost, before it runs.
 *
 * From the scenario, the model and the platform: each UE's episode lasts about
 * tasks.per_ue x (tasks.gap_mean_s + its task time), the task time being the
 * cheaper of tuning locally and offloading for a task of the mean size at the
 * channel's peak rates and with the device's whole speed (no contention): an
 * optimistic figure, so a scenario refused for it could not have finished. With
 * bursty arrivals (tasks.burst_on_s, burst_off_s) each task adds its expected
 * wait for an ON period (budget.c, burst_wait_s).
 * channel.csv then holds about (episode / channel.update_interval_s /
 * output.channel_every) rows per traced UE, tasks.csv one row per task.
 * Limits and messages: docs/traces.md, "Limits, signals and exit statuses". */
#ifndef ET_BUDGET_H
#define ET_BUDGET_H

#include <stddef.h>

#include "sim.h"
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

/* Estimates one episode of sim's parameters (et_budget's fields); channel_trace != 0 when
 * the run writes channel.csv (output.channel_trace). */
void et_budget_estimate(const et_sim *sim, int channel_trace, et_budget *b);

/* 1 when output.channel_sampling auto (ET_BUDGET_AUTO_UES) applies to p's parameters for
 * n_ue UEs: p->channel_sampling auto, more than ET_BUDGET_AUTO_UES UEs, and channel_trace_ues and
 * channel_trace_every at 0 and 1. */
int et_budget_auto_applies(const et_sim_params *p, int n_ue);

/* The update interval (every k-th update) output.channel_sampling auto chooses for sim, whose
 * parameters already trace ET_BUDGET_AUTO_UES UEs at every update: the smallest k that keeps
 * the likely channel.csv rows under ET_BUDGET_AUTO_ROWS. et_sim_create_from_params applies both. */
int et_budget_auto_every(const et_sim *sim);

/* Checks b against limits.sim_time_s and (when the command writes an episode's traces,
 * writes_traces != 0) limits.output_bytes: ET_ERR_INPUT naming the keys when the
 * estimate exceeds a limit. Otherwise ET_OK, with warning (size > 0) set to one line when
 * the estimate is above a quarter of a limit, or the limits are off and the estimate is
 * above ten times their defaults (empty when there is nothing to say). */
et_status et_budget_check(const et_sim *sim, const et_budget *b, int writes_traces, char *warning,
                          size_t size, et_error *err);

/* Before the platform is loaded (SimGrid takes about a minute and gigabytes for a million
 * UEs): what can be refused from the platform's UE count alone. p->platform is pre-checked
 * (et_platform_precheck) for its UE count N (the first p->ues of them when that key is set);
 * then, as et_budget_check and the episode would refuse them later:
 *   - limits.sim_time_s against an episode of at least tasks.per_ue x (tasks.gap_mean_s + the
 *     expected wait for an ON period of a task of length 0): every UE's episode lasts that long
 *     before any task takes time;
 *   - limits.output_bytes (writes_traces != 0) against at least N x tasks.per_ue tasks.csv rows
 *     and, when channel_trace (output.channel_trace) and the channel are on, every traced UE's
 *     channel.csv rows over that shortest episode;
 *   - the address space (ulimit -v) for the episode's ET_SIM_ACTORS(N) actors' stacks.
 * Every figure is a lower bound of the one the after-load checks compute, so a scenario
 * refused here would be refused there too (ET_ERR_INPUT naming the file and the key, or
 * ET_ERR_NOMEM for the address space, with et_budget_check's and the episode's words), and
 * one let through meets the after-load checks as before. A file the pre-check refuses, or
 * fewer UE hosts than p->ues, is let through: loading reports it in its usual order. Call
 * after et_engine_init (the stacks' size is an engine option). */
et_status et_budget_precheck(const et_sim_params *p, int channel_trace, int writes_traces,
                             et_error *err);

/* SimGrid 3.32 aborts ("Failed to allocate stack") when it cannot map an actor's stack: under
 * an address-space limit (ulimit -v), n_actors' stacks must find room beside what the process
 * already uses; and ("Failed to protect stack") when their guard pages need more memory
 * mappings than vm.max_map_count allows (two per actor with guard pages). ET_ERR_NOMEM with
 * one line when they cannot; ET_OK without a limit. Used by
 * et_budget_precheck before the platform loads and by every episode before its actors start.
 * Call after et_engine_init (the stacks' size is an engine option). */
et_status et_budget_stack_room(int n_actors, et_error *err);

/* The actors an episode of n_ue UEs runs at most: one per UE (it performs its server's side
 * of its requests too), the channel and the watchdog (docs/simulation.md, "Actors"); one more,
 * the share actor, with channel.share_interval_s > 0 (its callers add it). */
#define ET_SIM_ACTORS(n_ue) ((n_ue) + 2)

/* The shortest estimate et_budget_estimate can give for n_ue UEs of p's parameters, from the
 * parameters alone (task_s 0, slowest_ue -1): et_budget_precheck's figures. */
void et_budget_estimate_lower(const et_sim_params *p, int n_ue, int channel_trace, et_budget *b);

#endif
