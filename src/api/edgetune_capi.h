/* edgetune_capi.h: a flat C surface for foreign-function callers (Python's ctypes, the
 * `edgetune` package under python/; docs/python.md).
 *
 * Everything here is an opaque handle, a plain number, a string or a pointer to a fixed
 * buffer, so that a caller needs no mirror of et_scenario or the agent views. Every
 * function that can fail returns an et_status (0 = ET_OK) and writes the same one-line
 * message the CLI prints into the caller's buffer err (err_size bytes, always
 * NUL-terminated). A policy of the caller's is four function pointers; during decide it
 * reads its inputs from buffers that stay at one address for the life of the handle:
 *
 *   the global state    (et_capi_state_dim floats: every UE's observation in UE order,
 *                        then ET_STATE_EXTRA entries), passed to decide as `state`;
 *   the task buffer     (ET_CAPI_TASK_FIELDS doubles, named by et_capi_task_field);
 *   the action buffer   (2 doubles the policy writes: location, keep);
 *   the feedback buffer (ET_CAPI_FEEDBACK_FIELDS doubles, named by et_capi_feedback_field).
 *
 * One process holds one engine and one platform (sim.h): et_capi_engine_init once, then one
 * et_capi_sim_create.
 *
 * Preconditions are checked, never assumed: a NULL, destroyed or never-created handle, a NULL
 * output pointer, a run started from inside one of the policy's callbacks, an episode index
 * below 0 or an override outside its key's range is an error status with a message (the
 * functions that return a pointer or a count return NULL or -1 instead). Destroying the handle
 * from inside a callback frees it when the run returns; destroying it twice does nothing.
 * Numbers are read and written in the C locale whatever the calling program's setlocale
 * says (numtext.h). */
#ifndef ET_EDGETUNE_CAPI_H
#define ET_EDGETUNE_CAPI_H

#include <stddef.h>

#include "edgetune_export.h"

ET_API_BEGIN

typedef struct et_capi_sim et_capi_sim;

/* A foreign policy; ctx is the pointer given to et_capi_sim_set_policy. decide returns 0
 * after writing the action buffer (location 0 LOCAL or 1 SERVER, a keep in [tuning.k_min,
 * tuning.k_max]: anything else is ET_ERR_INPUT naming the value and the range), or a nonzero
 * et_status to end the episode (the run then returns that status; the caller re-raises its own
 * error). The others may be NULL; each returns 0, or nonzero when it failed: the episode then ends
 * at its next decision and writes no outputs, even when that callback was the episode's last. */
typedef int (*et_capi_decide_fn)(void *ctx, int ue, const float *state);
typedef int (*et_capi_feedback_fn)(void *ctx, int ue, double reward, int done);
typedef int (*et_capi_episode_begin_fn)(void *ctx, int episode, int n_ue, unsigned long long seed);
typedef int (*et_capi_episode_end_fn)(void *ctx);

/* Starts SimGrid with no options (CM02, logs silenced; sim.h et_engine_init). Once per
 * process. */
int et_capi_engine_init(char *err, size_t err_size);

/* Loads scenario_path (NULL: data_dir/examples/default.json; relative paths in the file
 * resolve against its folder, the shipped platform and model against data_dir), applies the
 * n_overrides overrides keys[i] = values[i] (scenario keys, e.g. "seed", "tasks.per_ue",
 * "platform"; values as text: "5", "0.4", "true", a path) with their key's type and range, as
 * the CLI's options are applied (scenario.h et_scenario_set; names[i], may be NULL, is how
 * the caller calls the override in messages, e.g. "argument seed"), validates, and loads the
 * platform. */
int et_capi_sim_create(const char *scenario_path, const char *data_dir, const char *const *keys,
                       const char *const *values, const char *const *names, int n_overrides,
                       et_capi_sim **out, char *err, size_t err_size);
/* NULL-safe and idempotent; from inside a callback, deferred to the end of the run. */
void et_capi_sim_destroy(et_capi_sim *h);

int et_capi_sim_ue_count(const et_capi_sim *h); /* -1 for a bad handle */
int et_capi_state_dim(const et_capi_sim *h);    /* -1 for a bad handle */
int et_capi_obs_dim(void);
const char *et_capi_sim_ue_class(const et_capi_sim *h, int ue); /* NULL out of range */
/* The resolved scenario as JSON text (every key, as in summary.json); free with
 * et_capi_free. NULL when out of memory or for a bad handle. */
char *et_capi_sim_scenario_json(const et_capi_sim *h);
void et_capi_free(void *p);
/* Changes the root seed of the next episodes (sim.h et_sim_set_seed) to seed, given as text
 * and checked as the scenario key 'seed' (an integer in [0, 2^53 - 1]). Not during a run. */
int et_capi_sim_set_seed(et_capi_sim *h, const char *seed, char *err, size_t err_size);

/* The task buffer's fields, in order: X(name, unit, meaning), each the et_task_view member of
 * that name (agent.h) as a double. From this table come the names (et_capi_task_field, which
 * Python's edgetune.TASK_FIELDS reads), the count, the copy into the buffer (capi.c) and
 * docs/python.md's table (`edgetune keys --schema task-fields`, checked by
 * tests/docs_in_sync.sh). A new field is one row at the end and the member in et_task_view. */
#define ET_CAPI_TASK_FIELD_LIST(X)                                                                 \
    X(ue, "", "the deciding UE's index")                                                           \
    X(n_ue, "", "UEs in the episode")                                                              \
    X(task_index, "", "0-based index of the task in the UE's queue")                               \
    X(tasks_per_ue, "", "tasks in each UE's queue")                                                \
    X(tokens, "", "the task's data set size")                                                      \
    X(epochs, "", "the task's epochs")                                                             \
    X(difficulty, "", "the task's difficulty (a factor on its perplexity)")                        \
    X(data_bytes, "bytes", "the task's data set, uploaded when offloading")                        \
    X(rate_up_bps, "bit/s", "the UE's current uplink rate from the channel")                       \
    X(rate_down_bps, "bit/s", "the UE's current downlink rate from the channel")                   \
    X(distance_m, "m", "distance to the serving access point")                                     \
    X(cached_b, "blocks", "middle blocks of the UE's cached emulator, 0 if none")                  \
    X(adapter_cached, "", "1 once the adapter was downloaded")                                     \
    X(ue_speed_flops, "FLOP/s", "the UE's compute speed")                                          \
    X(ue_memory_bytes, "bytes", "the UE's memory")                                                 \
    X(server_core_flops, "FLOP/s", "speed of one server accelerator")                              \
    X(server_cores, "", "the server's accelerators")                                               \
    X(server_jobs, "", "jobs running at the server when the UE last heard")                        \
    X(last_delay_s, "s", "the UE's previous task's delay")                                         \
    X(k_min, "", "the smallest allowed keep fraction (`tuning.k_min`)")                            \
    X(k_max, "", "the largest allowed keep fraction (`tuning.k_max`)")                             \
    X(privacy, "", "the UE's privacy sensitivity in [0, 1]")                                       \
    X(now_s, "s", "simulated time since the episode started")                                      \
    X(server_queued, "", "jobs waiting at the server for memory, as last heard")                   \
    X(server_memory_used_bytes, "bytes", "server memory held by running jobs, as last heard")     \
    X(server_memory_bytes, "bytes", "memory of all the server's accelerators; 0: unlimited")       \
    X(load_age_s, "s", "simulated seconds since the server's state was read")                      \
    X(deadline_s, "s", "this task's deadline, s after its start; 0: none")

#define ET_CAPI_COUNT_FIELD(name, unit, meaning) +1

/* The fixed buffers (see the top of this file). */
enum {
    ET_CAPI_TASK_FIELDS = 0 ET_CAPI_TASK_FIELD_LIST(ET_CAPI_COUNT_FIELD),
    ET_CAPI_FEEDBACK_FIELDS = 8
};
const char *et_capi_task_field(int i);        /* NULL past the last */
const char *et_capi_feedback_field(int i);    /* NULL past the last */
double *et_capi_sim_task(et_capi_sim *h);     /* NULL for a bad handle */
double *et_capi_sim_action(et_capi_sim *h);   /* NULL for a bad handle */
double *et_capi_sim_feedback(et_capi_sim *h); /* NULL for a bad handle */

/* Sets the foreign policy used by et_capi_sim_run when it is given no baseline (decide may be
 * NULL: no foreign policy). Not during a run. */
int et_capi_sim_set_policy(et_capi_sim *h, et_capi_decide_fn decide, et_capi_feedback_fn feedback,
                           et_capi_episode_begin_fn begin, et_capi_episode_end_fn end, void *ctx,
                           char *err, size_t err_size);

/* Adds one of edgetune's baseline policies (agent.h et_agent_create, with the scenario's
 * baselines.* keys) as a companion of the foreign policy: it sees the same episode_begin,
 * feedback and episode_end, and et_capi_companion_decide asks it for its action on the
 * decision in progress (a foreign policy can then reproduce or wrap a baseline). *id gets
 * its index. During a run (from a callback, or while decide waits) it starts the running
 * episode as at its beginning, without the feedback given so far. */
int et_capi_companion_add(et_capi_sim *h, const char *baseline, int *id, char *err,
                          size_t err_size);
/* Writes the companion's action for the pending decision into action[0] (location) and
 * action[1] (keep, clipped to [tuning.k_min, tuning.k_max] as the simulator clips a baseline's
 * keep, so that it is a valid foreign action). ET_ERR_INPUT when no decision is in progress. */
int et_capi_companion_decide(et_capi_sim *h, int id, double *action, char *err, size_t err_size);

/* Runs one episode (sim.h et_sim_run_episode) with the baseline named (NULL: the foreign
 * policy, called policy_name in summary.json), episode >= 0. out_dir non-NULL: tasks.csv,
 * channel.csv when the scenario writes it, and summary.json (its "run" member holds run_json,
 * a JSON object text, when given) are written there as by `edgetune run`, atomically: a failed
 * episode (a callback that failed included) leaves none of them; out_dir is locked meanwhile
 * (trace.h). *stats_json (free with et_capi_free) gets the episode's statistics as JSON.
 * ET_ERR_INPUT when called from inside a callback of a run in progress. */
int et_capi_sim_run(et_capi_sim *h, const char *baseline, const char *policy_name, int episode,
                    const char *out_dir, const char *run_json, char **stats_json, char *err,
                    size_t err_size);

ET_API_END

#endif
