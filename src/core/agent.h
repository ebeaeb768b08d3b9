/* agent.h: the interface between the simulator and a decision policy.
 *
 * The UE actor calls decide() at the simulated instant a task starts and
 * feedback() when it completes (agents/README.md). Agents run in-process
 * as these callbacks: no sockets, no second process. This header and
 * everything in agents/ never include SimGrid: the simulator sees a policy
 * only through et_agent, and a policy sees the simulation only through the
 * views below.
 *
 * Ownership: views passed to callbacks are owned by the simulator and valid
 * only during the call. An agent owns its own state; et_agent_destroy frees it. */
#ifndef ET_AGENT_H
#define ET_AGENT_H

#include <stdint.h>

#include "cost.h"
#include "edgetune_export.h"
#include "fm.h"
#include "status.h"

ET_API_BEGIN

/* A hybrid action: discrete location, continuous emulator keep fraction. */
typedef struct et_action {
    et_location location;
    double keep; /* k = b / M, clipped by the simulator to [k_min, k_max]; ignored by a
                    SERVER task tuned on the full model */
} et_action;

/* Normalised local observation of one UE (inputs of the actor networks). */
enum {
    ET_OBS_TOKENS = 0,   /* tokens / tokens_max */
    ET_OBS_EPOCHS,       /* epochs / epochs_max */
    ET_OBS_RATE_UP,      /* log2(1 + rate_up / 1 Mb/s) / 10 */
    ET_OBS_RATE_DOWN,    /* log2(1 + rate_down / 1 Mb/s) / 10 */
    ET_OBS_DISTANCE,     /* distance / cell radius */
    ET_OBS_CACHED_KEEP,  /* cached emulator b / M (0 when none) */
    ET_OBS_UE_SPEED,     /* log10(ue speed / 1 GFLOP/s) / 3 */
    ET_OBS_UE_MEMORY,    /* memory / 16 GB */
    ET_OBS_TASKS_LEFT,   /* tasks left / tasks per UE */
    ET_OBS_LAST_DELAY,   /* last delay / delay_ref */
    ET_OBS_SERVER_QUEUE, /* jobs running at the server (as last reported) / accelerators */
    ET_OBS_SERVER_WAITING, /* jobs waiting for memory at the server (as reported) / accelerators */
    ET_OBS_SERVER_MEMORY,  /* server memory in use (as reported) / its memory; 0 unlimited */
    ET_OBS_LOAD_AGE,       /* age of that report / delay_ref */
    ET_OBS_DEADLINE,       /* the task's deadline / delay_ref (0: none) */
    ET_OBS_DIM
};
/* Global state for a centralised critic: every UE's observation in UE order,
 * then ET_STATE_EXTRA entries (server jobs now, running and waiting, / accelerators; fraction
 * of tasks done). */
#define ET_STATE_EXTRA 2
static inline int et_state_dim(int n_ue)
{
    return n_ue * ET_OBS_DIM + ET_STATE_EXTRA;
}

/* The raw quantities behind an observation, for rule-based policies. */
typedef struct et_task_view {
    int ue, n_ue;
    int task_index; /* 0-based index in this UE's queue */
    int tasks_per_ue;
    double tokens, epochs, difficulty;
    double data_bytes;                 /* the task's data set, uploaded when offloading */
    double rate_up_bps, rate_down_bps; /* current link rates from the channel */
    double distance_m;
    int cached_b;       /* middle blocks of the cached emulator, 0 if none */
    int adapter_cached; /* 1 once the adapter was downloaded */
    double ue_speed_flops, ue_memory_bytes;
    double server_core_flops;
    int server_cores;           /* the server's accelerators */
    int server_jobs;            /* jobs running at the server when the UE last heard */
    int server_queued;          /* jobs waiting there for memory, as last heard */
    double server_memory_used_bytes; /* memory held by running jobs, as last heard */
    double server_memory_bytes; /* memory of all its accelerators; 0: unlimited (version 2) */
    double load_age_s;          /* simulated seconds since the server's state was read */
    double deadline_s;          /* this task's deadline, s after its start; 0: none */
    double last_delay_s;
    const et_fm *fm;            /* the foundation model profile */
    const et_cost_setup *setup; /* the scenario's model settings (et_cost_task) */
    double k_min, k_max;        /* allowed keep fractions */
    double privacy;             /* the UE's privacy sensitivity in [0, 1] */
    const char *device_class;   /* the UE's device class (platform property `class`) */
    double now_s;               /* simulated time since the episode started */
} et_task_view;

typedef struct et_obs_view {
    const et_task_view *task;
    const float *obs;   /* ET_OBS_DIM entries for this UE */
    const float *state; /* et_state_dim(n_ue) entries: the global state now */
    int state_dim;
} et_obs_view;

/* What a completed task reports back. */
typedef struct et_feedback {
    int ue;
    double reward;
    int done; /* 1 on the UE's last task */
    double delay_s;
    double ppl;
    int failed;         /* 1 if the task failed (memory, deadline) */
    int keep_effective; /* 0 when the keep fraction had no effect on the outcome */
    double elapsed_s;   /* simulated seconds between decide() and this feedback */
} et_feedback;

typedef struct et_agent et_agent;

typedef struct et_agent_ops {
    const char *name;
    /* Called when a task starts; fills *action. */
    et_status (*decide)(et_agent *agent, const et_obs_view *view, et_action *action, et_error *err);
    /* Called when that task completes. */
    void (*feedback)(et_agent *agent, const et_feedback *fb);
    /* Called before the first decide of an episode and after its last feedback. */
    void (*episode_begin)(et_agent *agent, int episode, int n_ue, uint64_t episode_seed);
    void (*episode_end)(et_agent *agent);
    void (*destroy)(et_agent *agent);
} et_agent_ops;

struct et_agent {
    const et_agent_ops *ops;
    void *impl;
};

/* Parameters shared by the baseline policies (scenario keys baselines.*). */
typedef struct et_policy_params {
    double keep;      /* all-local / all-server / greedy keep fraction (baselines.keep) */
    uint64_t seed;    /* the scenario seed; stochastic policies derive streams from it */
    const char *rule; /* tuned-static: "local=CLASS[,CLASS...];k=K" (NULL or "": every class
                         offloads, k = keep); copied by the constructor */
    /* tuned-dynamic: "CLASS:q=Q,k=K[;CLASS:q=Q,k=K...]" (NULL or "": every class offloads);
     * copied by the constructor */
    const char *dynamic_rule;
} et_policy_params;

/* Creates the policy called name ("all-local", "all-server", "random",
 * "greedy", ...). Unknown names give ET_ERR_INPUT listing the known ones. */
et_status et_agent_create(const char *name, const et_policy_params *params, et_agent **out,
                          et_error *err);

/* NULL-safe. */
void et_agent_destroy(et_agent *agent);

/* NULL-terminated list of every policy name, baselines and learned (registry.h has the rows;
 * et_agent_create makes the baselines, et_hmppo_load the learned ones). */
const char *const *et_agent_names(void);

ET_API_END

#endif
