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
 * 1.66 MB for 23,740 channel rows, 48 kB for 300 tasks). */
#define ET_BUDGET_CHANNEL_ROW_BYTES 70.0
#define ET_BUDGET_TASK_ROW_BYTES 160.0

typedef struct et_budget {
    double sim_time_s;   /* expected simulated time of one episode (its slowest UE) */
    double task_s;       /* that UE's expected time per task, without the idle gap */
    int slowest_ue;      /* index of that UE */
    double channel_rows; /* expected channel.csv rows of one episode */
    double output_bytes; /* expected bytes of one episode's tasks.csv and channel.csv */
} et_budget;

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

#endif
