/* stats.h: what an episode reports, summed from its task records.
 *
 * The simulator (sim.c) produces one et_task_record per task; this module
 * turns them into the episode's statistics and those into summary.json's
 * "result" object. Pure arithmetic: no engine, no files. */
#ifndef ET_STATS_H
#define ET_STATS_H

#include "edgetune_export.h"
#include "trace.h"

ET_API_BEGIN

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
    int tasks, failed; /* failed: every failure, whatever its reason */
    int late;          /* failed on their deadline (failure "deadline") */
    int failed_memory; /* failed on memory: a LOCAL choice that did not fit the UE, or a job
                          that can never fit a server accelerator ("server-memory") */
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
    double ppl_sum, keep_sum; /* sums behind mean_ppl and mean_keep */
    double wait_s;            /* time jobs spent queued at the server, summed over tasks */
    long handovers;           /* handovers while tasks ran, summed over tasks */
    /* The servers (filled by the simulator at the episode's end): the largest memory any
     * server held at once, and the number of jobs waiting for memory, time-averaged over the
     * episode and at its largest (over servers: the mean of their averages, the largest). */
    double server_peak_memory_bytes;
    double server_queue_mean;
    int server_queue_max;
    et_engine_counts engine;
} et_episode_stats;

/* summary.json's result metrics, declared once, in file order: X(name, kind, value, unit,
 * meaning). kind NUM is always a number, NULLABLE null when the value is not finite (no task
 * to average); value is an expression of s (const et_episode_stats *) and n_ue (the UEs).
 * ET_RESULT_METRICS are the top-level numbers (after "model"), ET_RESULT_SERVER_LOAD and
 * ET_RESULT_ENGINE the members of the "server_load" and "engine" objects. From them come
 * the JSON (et_episode_stats_cjson), the metrics a sweep collects (src/run/sweep.c) and
 * docs/traces.md's table (`edgetune keys --schema result`, checked by tests/docs_in_sync.sh).
 * A new metric is one row and, if it needs one, the sum behind it in et_episode_stats_add. */
#define ET_RESULT_METRICS(X)                                                                       \
    X(ues, NUM, n_ue, "", "UEs simulated")                                                         \
    X(tasks, NUM, s->tasks, "", "tasks recorded (every UE's)")                                     \
    X(failed, NUM, s->failed, "", "tasks that failed, for any reason")                             \
    X(failed_memory, NUM, s->failed_memory, "",                                                    \
      "of those, the failures on memory (`memory`, `server-memory`)")                              \
    X(late, NUM, s->late, "", "of those, the failures on the deadline (`deadline`)")               \
    X(local, NUM, s->local, "", "tasks tuned on the UE (failed included)")                         \
    X(server, NUM, s->server, "", "tasks offloaded (failed included)")                             \
    X(total_delay_s, NUM, s->total_delay_s, "s", "sum of the tasks' `delay_s`")                    \
    X(mean_delay_s, NUM, s->mean_delay_s, "s",                                                     \
      "mean delay over every task (a failed one with the delay until its failure was known)")      \
    X(mean_ppl, NULLABLE, s->mean_ppl, "",                                                         \
      "mean perplexity over every task (a failed one at the untuned model's)")                     \
    X(mean_delay_ok_s, NULLABLE, s->mean_delay_ok_s, "s",                                          \
      "mean delay over the tasks that ran in time (`null` if none did)")                           \
    X(mean_ppl_ok, NULLABLE, s->mean_ppl_ok, "",                                                   \
      "mean perplexity over the tasks that ran in time (`null` if none did)")                      \
    X(mean_exposure, NUM, s->mean_exposure, "", "mean privacy exposure per task")                  \
    X(episodic_reward, NUM, s->reward, "", "the sum of every task's reward over all UEs")          \
    X(makespan_s, NUM, s->makespan_s, "s", "the simulated time at which the last UE finished")     \
    X(bytes_up, NUM, s->bytes_up, "bytes", "the sum of the tasks' `bytes_up`")                     \
    X(bytes_down, NUM, s->bytes_down, "bytes", "the sum of the tasks' `bytes_down`")               \
    X(mean_keep, NUM, s->mean_keep, "", "mean keep fraction over every task")                      \
    X(mean_wait_s, NUM, s->tasks ? s->wait_s / s->tasks : 0.0, "s",                                \
      "mean time a task spent queued at the server")                                               \
    X(handovers_per_task, NUM, s->tasks ? (double)s->handovers / s->tasks : 0.0, "",               \
      "mean of `tasks.csv`'s `handovers`")

#define ET_RESULT_SERVER_LOAD(X)                                                                   \
    X(peak_memory_bytes, NUM, s->server_peak_memory_bytes, "bytes",                                \
      "the largest memory a server held at once")                                                  \
    X(queue_mean, NUM, s->server_queue_mean, "jobs",                                               \
      "jobs waiting for memory, time-averaged over the episode (the mean over servers)")           \
    X(queue_max, NUM, s->server_queue_max, "jobs", "jobs waiting for memory, at the largest")

#define ET_RESULT_ENGINE(X)                                                                        \
    X(comms, NUM, (double)s->engine.comms, "",                                                     \
      "comms started (one per transfer, plus Wi-Fi continuations)")                                \
    X(link_updates, NUM, (double)s->engine.link_updates, "", "link bandwidth changes")             \
    X(idle_link_updates, NUM, (double)s->engine.idle_link_updates, "",                             \
      "of those, on links of a UE with nothing in flight (always 0)")                              \
    X(wifi_restarts, NUM, (double)s->engine.wifi_restarts, "",                                     \
      "Wi-Fi comms cancelled for a level change")                                                  \
    X(channel_updates, NUM, (double)s->engine.channel_updates, "", "per-UE channel steps computed")

/* Adds one task (its tasks.csv record) to s. A task failed when its record names a
 * failure ("memory", "server-memory", "deadline"). */
void et_episode_stats_add(et_episode_stats *s, const et_task_record *r);

/* Computes the means from the sums (call once, after the last task). */
void et_episode_stats_finish(et_episode_stats *s);

/* One group's share of an episode's tasks (a UE, a device class, a cell): summary.json's
 * per_ue, per_class and per_cell entries (docs/traces.md). */
typedef struct et_group_stats {
    int tasks, done, failed, late, local; /* failed: every failure; late: on the deadline */
    double delay_sum, ppl_sum, reward_sum;
} et_group_stats;

/* The episode's tasks per UE, per device class and per serving cell (the cell at the
 * decision). Sized for a topology's UEs and cells; reset at each episode. */
typedef struct et_breakdown {
    int n_ue, n_class, n_cell;
    const char **ue_name;    /* (n_ue) borrowed from the topology */
    int *ue_class;           /* (n_ue) index into class_name */
    const char **class_name; /* (n_class) in the order of their first UE by index */
    int *class_ues;          /* (n_class) UEs of each class */
    const char **cell_name;  /* (n_cell) */
    et_group_stats *ue, *cls, *cell;
} et_breakdown;

/* Per-UE entries are written for runs of up to this many UEs (a million UEs' entries would
 * make summary.json hundreds of MB); per_class and per_cell always. */
#define ET_BREAKDOWN_UE_MAX 10000

/* Allocates b for n_ue UEs named ue_name[i] of class ue_class_name[i] and n_cell cells named
 * cell_name[c] (the names are borrowed: they must outlive b). -1 when out of memory (b is
 * then empty and et_breakdown_clear-able). */
int et_breakdown_init(et_breakdown *b, int n_ue, const char *const *ue_name,
                      const char *const *ue_class_name, int n_cell, const char *const *cell_name);
void et_breakdown_clear(et_breakdown *b);
void et_breakdown_reset(et_breakdown *b);

/* Adds one task of UE r->ue decided in cell `cell` (an index into the cells). */
void et_breakdown_add(et_breakdown *b, const et_task_record *r, int cell);

/* Their JSON (summary.json's "result"): stats_cjson.h, inside the library. */

ET_API_END

#endif
