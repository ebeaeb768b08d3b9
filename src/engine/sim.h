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
 * platform (et_sim_create_from_params once), and can run many episodes in sequence.
 *
 * The simulator takes its own parameters (et_sim_params, sim_params.h), not the scenario:
 * the scenario embeds them (et_scenario.sim), edgetune.h hands them over (et_sim_create),
 * and an embedding program may fill them itself. */
#ifndef ET_SIM_H
#define ET_SIM_H

#include <stdint.h>

#include "agent.h"
#include "channel.h"
#include "cost.h"
#include "edgetune_export.h"
#include "fm.h"
#include "mobility.h"
#include "rng.h"
#include "sim_params.h"
#include "stats.h"
#include "status.h"
#include "trace.h"

ET_API_BEGIN

/* Initialises SimGrid: CM02 network model without cross-traffic (the LV08
 * default deadlocks when a link changes during a comm's latency phase),
 * logging silenced unless the user passes --log=. Consumes --cfg=/--log=
 * options from argv. paje_path != NULL turns on Paje tracing into that file.
 * Call once per process, before et_sim_create. */
et_status et_engine_init(int *argc, char **argv, const char *paje_path, et_error *err);

typedef struct et_sim et_sim;

/* Loads the model profile, the platform and the mobility trace named by p,
 * discovers the topology and allocates every per-UE buffer. p is copied. */
et_status et_sim_create_from_params(const et_sim_params *p, et_sim **out, et_error *err);
void et_sim_destroy(et_sim *sim);

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

/* How the engine's messages name parameter `param` (ET_SIM_PARAM(field)) of p: the name
 * p->param_name gives (et_sim_create: the scenario key, "channel.handover"), else `field`, the
 * field's own name ("handover"). ET_SIM_PARAM_KEY(p, handover) is the short form. The engine's
 * errors never spell a scenario key themselves: the App names them. */
const char *et_sim_param_key(const et_sim_params *p, size_t param, const char *field);
#define ET_SIM_PARAM_KEY(p, field) et_sim_param_key((p), ET_SIM_PARAM(field), #field)
/* What such a name is: "key" (p->param_name set) or "parameter". */
const char *et_sim_param_noun(const et_sim_params *p);

/* Accessors for reports. */
const et_sim_params *et_sim_get_params(const et_sim *sim); /* its strings live as long as sim */
int et_sim_ue_count(const et_sim *sim);
const char *et_sim_ue_class(const et_sim *sim, int ue);
const char *et_sim_model_name(const et_sim *sim);
const et_fm *et_sim_fm(const et_sim *sim);
/* The cost model's settings (for et_budget_estimate; the discovered platform is
 * et_sim_topology, platform.h, inside the library). */

/* The last episode's tasks per UE, device class and cell (summary.json's per_ue, per_class,
 * per_cell), reset when an episode starts. */
const et_breakdown *et_sim_breakdown(const et_sim *sim);

/* 1 when output.channel_sampling auto chose the channel trace's sampling (more than
 * ET_BUDGET_AUTO_UES UEs, output.channel_ues and channel_every left at 0 and 1): *ues UEs at
 * every *every-th update. 0 otherwise. */
int et_sim_channel_auto(const et_sim *sim, int *ues, int *every);
const et_cost_setup *et_sim_cost_setup(const et_sim *sim);
/* The highest rate, bit/s, the channel can give UE ue's wireless link, up (1) or down (0): its
 * bandwidth (the carrier's when shared) times channel.max_spectral_eff_bps_hz. */
double et_sim_peak_bps(const et_sim *sim, int ue, int up);

/* The episode seed used for episode index e (so evaluation can pick unseen seeds). */
uint64_t et_sim_episode_seed(uint64_t scenario_seed, int episode);

/* The shared on/off arrival process (tasks.burst_on_s, tasks.burst_off_s; docs/simulation.md,
 * "Arrivals"): ON and OFF periods of exponential durations alternate, the episode starts ON,
 * and a UE about to start a task while it is OFF waits (in engine time) for the next ON. One
 * schedule per episode, shared by every UE, drawn lazily (on, off, on, off, ...) from its own
 * stream (episode seed, et_rng_stream_id(ET_RNG_TASKS, ET_BURST_STREAM_OWNER)), so it does not
 * depend on when it is asked and shifts no other stream. Times are s since the episode's start. */
#define ET_BURST_STREAM_OWNER (UINT64_C(1) << 39)
typedef struct et_burst {
    et_rng rng;
    double on_mean_s, off_mean_s;
    double on_start_s, on_end_s, next_on_s; /* the current cycle: ON in [on_start_s, on_end_s),
                                               OFF in [on_end_s, next_on_s) */
} et_burst;

/* The schedule of the episode whose seed is episode_seed (et_sim_episode_seed); both means
 * > 0. */
void et_burst_init(et_burst *b, uint64_t episode_seed, double on_mean_s, double off_mean_s);

/* t when the process is ON at t, else the start of the next ON period (> t). Successive calls
 * must not go back in time past the current cycle's start (the engine's clock never does);
 * a fresh et_burst_init answers for any t. */
double et_burst_next_on(et_burst *b, double t);

ET_API_END

#endif
