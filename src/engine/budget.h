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

#include "budget_estimate.h"
#include "sim.h"
#include "status.h"

/* Estimates one episode of sim's parameters (et_budget's fields); channel_trace != 0 when
 * the run writes channel.csv (output.channel_trace). */
void et_budget_estimate(const et_sim *sim, int channel_trace, et_budget *b);

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
 *   - the address space (ulimit -v) for the episode's ET_SIM_ACTORS actors' stacks.
 * Every figure is a lower bound of the one the after-load checks compute, so a scenario
 * refused here would be refused there too (ET_ERR_INPUT naming the file and the key, or
 * ET_ERR_NOMEM for the address space, with et_budget_check's and the episode's words), and
 * one let through meets the after-load checks as before. A file the pre-check refuses, or
 * fewer UE hosts than p->ues, is let through: loading reports it in its usual order. Call
 * after et_engine_init (the stacks' size is an engine option). */
et_status et_budget_precheck(const et_sim_params *p, int channel_trace, int writes_traces,
                             et_error *err);

#endif
