/* sim.h: the SimGrid simulation of emulator-assisted edge tuning.
 *
 * Actors (docs/simulation.md, "Actors"): one actor per UE that walks its task queue
 * and calls the agent; one session actor per UE on its server host, the
 * server's side of that UE's tasks (emulator downloads, offloaded tuning
 * jobs); a channel actor that, every update interval, applies the channel's
 * new rates to the links that carry a transfer (idle UEs are advanced
 * lazily). Every delay is read from the engine clock: a transfer is one
 * SimGrid comm over the platform's links (on Wi-Fi, one per rate level the
 * station goes through), tuning is a SimGrid execution on the UE or server
 * host. docs/simulation.md has the details.
 *
 * One process holds one SimGrid engine (et_engine_init once), one loaded
 * platform (et_sim_create once), and can run many episodes in sequence. */
#ifndef ET_SIM_H
#define ET_SIM_H

#include <stdint.h>

#include "agent.h"
#include "cost.h"
#include "platform.h"
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

/* What an episode asked of the engine (for benchmarks and tests). */
typedef struct et_engine_counts {
    long comms;             /* SimGrid comms started (one per transfer, plus Wi-Fi restarts) */
    long link_updates;      /* sg_link_set_bandwidth calls */
    long idle_link_updates; /* of those, on the links of a UE with nothing in flight */
    long wifi_restarts;     /* Wi-Fi comms cancelled for a rate-level change */
    long channel_updates;   /* per-UE mobility + channel steps computed */
} et_engine_counts;

/* Results of one episode. Every mean covers every task: a failed task counts
 * with the delay until its failure was known and the untuned model's
 * perplexity; failures are counted beside the means (and the *_ok means
 * cover the tasks that ran). */
typedef struct et_episode_stats {
    int tasks, failed, late;
    int failed_memory;    /* failed because a LOCAL choice did not fit the UE */
    int local, server;    /* tasks per location (failed included) */
    double total_delay_s; /* sum of task delays */
    double mean_delay_s;
    double mean_ppl;           /* every task; a failed one at the untuned model's perplexity */
    double mean_delay_ok_s;    /* over tasks that ran (NaN if none) */
    double mean_ppl_ok;        /* over tasks that ran (NaN if none) */
    double exposure;           /* privacy exposure summed over tasks */
    double mean_exposure;      /* per task */
    double ok_delay_s, ok_ppl; /* sums behind the *_ok means */
    double reward;             /* episodic reward: sum over all tasks of all UEs */
    double makespan_s;         /* simulated time until the last UE finished */
    double bytes_up, bytes_down;
    double mean_keep;
    et_engine_counts engine;
} et_episode_stats;

/* Runs one episode (every UE works through its queue) with agent deciding.
 * Random streams derive from (scenario seed, episode index). Rows go to
 * out->tasks / out->channel when those are not NULL. The episode stops early with
 * ET_ERR_LIMIT when it reaches limits.sim_time_s or its outputs limits.output_bytes,
 * and with ET_ERR_INTERRUPTED on a signal (interrupt.h); the engine must then not run
 * another episode. */
et_status et_sim_run_episode(et_sim *sim, et_agent *agent, int episode, et_outputs *out,
                             et_episode_stats *stats, et_error *err);

/* Runs episode like et_sim_run_episode, but in a forked child process whose
 * engine has never run: the episode starts at engine time 0, so its result
 * depends only on (scenario, seed, episode, agent), never on what this
 * process ran before (SimGrid's clock cannot be reset, and absolute times
 * round differently). The agent is used as it is and not modified (a
 * learner's experience stays in the child). Rows go to out's files through
 * the shared descriptors. Requires that no episode ran in this process yet
 * (ET_ERR_INTERNAL otherwise). ET_ERR_INTERNAL also when fork fails or the
 * child dies. */
et_status et_sim_run_episode_isolated(et_sim *sim, et_agent *agent, int episode, et_outputs *out,
                                      et_episode_stats *stats, et_error *err);

/* 1 while no episode has run in this process (et_sim_run_episode_isolated
 * is then possible). */
int et_sim_engine_pristine(void);

/* SimGrid's version as "major.minor.patch" (of the library loaded at run time). */
void et_engine_version(char *out, size_t size);

/* The engine's clock, s (it never goes back: SimGrid cannot reset it). */
double et_sim_engine_clock(void);

/* Runs the (idle) engine forward to time t if it is earlier (a resumed training run starts its
 * next episode at the clock the interrupted run would have had: bit-identical results). */
void et_sim_engine_advance_to(double t);

/* Optional per-task sink, called after every completed (or failed) task with
 * its record (the tasks.csv row). It must not call SimGrid. NULL turns it off. */
typedef void (*et_task_sink_fn)(void *ctx, const et_task_record *r);
void et_sim_set_task_sink(et_sim *sim, et_task_sink_fn fn, void *ctx);

/* Optional progress callback, called after every completed task with the
 * number of tasks done and due in this episode and the simulated time (s).
 * It must not call SimGrid. NULL turns it off. */
typedef void (*et_progress_fn)(void *ctx, int tasks_done, int tasks_total, double sim_s);
void et_sim_set_progress(et_sim *sim, et_progress_fn fn, void *ctx);

/* Changes the root seed of the episodes this sim runs from now on (a study's
 * training seeds, each in its own child process). */
void et_sim_set_seed(et_sim *sim, uint64_t seed);

/* Accessors for reports. */
const et_scenario *et_sim_scenario(const et_sim *sim);
int et_sim_ue_count(const et_sim *sim);
const char *et_sim_ue_class(const et_sim *sim, int ue);
const char *et_sim_model_name(const et_sim *sim);
const et_fm *et_sim_fm(const et_sim *sim);
/* The discovered platform and the cost model's settings (for et_budget_estimate). */
const et_topology *et_sim_topology(const et_sim *sim);
const et_cost_setup *et_sim_cost_setup(const et_sim *sim);

/* The episode seed used for episode index e (so evaluation can pick unseen seeds). */
uint64_t et_sim_episode_seed(uint64_t scenario_seed, int episode);

/* Summary of an episode as a cJSON object (the caller owns it; NULL on allocation failure). */
struct cJSON;
struct cJSON *et_episode_stats_to_cjson(const et_sim *sim, const et_episode_stats *stats);

/* The same object as printed JSON text (malloc'd; caller frees). */
char *et_episode_stats_to_json(const et_sim *sim, const et_episode_stats *stats);

#endif
