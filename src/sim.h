/* sim.h: the SimGrid simulation of emulator-assisted edge tuning.
 *
 * Actors (DESIGN.md section 1): a server actor that accepts requests on an
 * eager mailbox and starts one handler actor per request on the server host;
 * one actor per UE that walks its task queue and calls the agent; a channel
 * actor that moves UEs and sets link bandwidths every update interval. Every
 * delay is read from the engine clock: transfers are SimGrid comms over the
 * platform's links, tuning is a SimGrid execution on the UE or server host.
 *
 * One process holds one SimGrid engine (et_engine_init once), one loaded
 * platform (et_sim_create once), and can run many episodes in sequence. */
#ifndef ET_SIM_H
#define ET_SIM_H

#include <stdint.h>

#include "agent.h"
#include "scenario.h"
#include "status.h"
#include "trace.h"

/* Initialises SimGrid: CM02 network model without cross-traffic (the LV08
 * default deadlocks when a link changes during a comm's latency phase),
 * logging silenced unless the user passes --log=. Consumes --cfg=/--log=
 * options from argv. paje_path != NULL turns on Paje tracing into that file.
 * Call once per process, before et_sim_create. */
et_status et_engine_init(int *argc, char **argv, const char *paje_path, et_error *err);

typedef struct et_sim et_sim;

/* Loads the model profile, the platform and the mobility trace named by sc,
 * discovers the topology and allocates every per-UE buffer. sc is copied. */
et_status et_sim_create(const et_scenario *sc, et_sim **out, et_error *err);
void et_sim_destroy(et_sim *sim);

/* Results of one episode. */
typedef struct et_episode_stats {
    int tasks, failed, late;
    int local, server;    /* tasks per location (failed included) */
    double total_delay_s; /* sum of task delays */
    double mean_delay_s;
    double mean_ppl;   /* over tasks that did not fail */
    double reward;     /* episodic reward: sum over all tasks of all UEs */
    double makespan_s; /* simulated time until the last UE finished */
    double bytes_up, bytes_down;
    double mean_keep;
} et_episode_stats;

/* Runs one episode (every UE works through its queue) with agent deciding.
 * Random streams derive from (scenario seed, episode index). Rows go to
 * out->tasks / out->channel when those are not NULL. */
et_status et_sim_run_episode(et_sim *sim, et_agent *agent, int episode, et_outputs *out,
                             et_episode_stats *stats, et_error *err);

/* Optional progress callback, called after every completed task with the
 * number of tasks done and due in this episode and the simulated time (s).
 * It must not call SimGrid. NULL turns it off. */
typedef void (*et_progress_fn)(void *ctx, int tasks_done, int tasks_total, double sim_s);
void et_sim_set_progress(et_sim *sim, et_progress_fn fn, void *ctx);

/* Accessors for reports. */
const et_scenario *et_sim_scenario(const et_sim *sim);
int et_sim_ue_count(const et_sim *sim);
const char *et_sim_ue_class(const et_sim *sim, int ue);
const char *et_sim_model_name(const et_sim *sim);
const et_fm *et_sim_fm(const et_sim *sim);

/* The episode seed used for episode index e (so evaluation can pick unseen seeds). */
uint64_t et_sim_episode_seed(uint64_t scenario_seed, int episode);

/* Summary of an episode as a JSON object string (malloc'd; caller frees). */
char *et_episode_stats_to_json(const et_sim *sim, const et_episode_stats *stats);

#endif
