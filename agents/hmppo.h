/* hmppo.h: hybrid multi-agent PPO (HMPPO) and its ablations, as an et_agent.
 *
 * Centralised training, decentralised execution (DESIGN.md section 4):
 *   - one actor per UE (or one shared actor with a one-hot agent id input),
 *     an MLP torso with a categorical head over the location and a Beta head
 *     over the emulator keep fraction x in (0, 1), k = k_min + (1 - k_min) x;
 *   - a centralised critic V(global state [+ agent id]);
 *   - GAE over each agent's own decision sequence, optionally discounted by
 *     the simulated time between decisions;
 *   - PPO clipped surrogate, one entropy coefficient per head, value
 *     normalisation (running mean/std of returns), minibatches and epochs,
 *     Adam, global gradient-norm clipping.
 * Variants (same code): HMPPO; MAPPO with k discretised into keep_bins (a
 * second categorical head instead of the Beta); IPPO (critic on the UE's own
 * observation, no global state).
 *
 * Use: create; call the et_agent callbacks from the simulation (decide
 * samples in training mode, takes the mode / mean in evaluation mode;
 * feedback records the reward); between episodes call et_hmppo_update().
 * Everything is allocated at create for capacity transitions; decide,
 * feedback and update never allocate. No global state; every random draw
 * comes from streams seeded from cfg->seed. */
#ifndef ET_HMPPO_H
#define ET_HMPPO_H

#include <stdint.h>
#include <stdio.h>

#include "agent.h"
#include "status.h"

typedef enum et_hmppo_variant {
    ET_HMPPO = 0, /* hybrid: categorical location + Beta keep, centralised critic */
    ET_MAPPO = 1, /* keep discretised into keep_bins, centralised critic */
    ET_IPPO = 2,  /* hybrid heads, critic on the local observation only */
} et_hmppo_variant;

typedef struct et_hmppo_config {
    et_hmppo_variant variant;
    int hidden;             /* units per hidden layer (2 hidden layers, tanh); MAPPO default 64 */
    float lr_actor;         /* Adam learning rate, actor(s); 5e-4 (MAPPO) */
    float lr_critic;        /* Adam learning rate, critic; 5e-4 */
    int lr_anneal;          /* 1: linear decay to 0 over total_updates */
    float gamma;            /* discount per decision; 0.99 */
    float lambda;           /* GAE lambda; 0.95 */
    float time_scale_s;     /* > 0: discount gamma^(dt / time_scale_s) by simulated time; 0: per decision */
    float clip;             /* PPO ratio clip; 0.2 */
    float value_clip;       /* value-loss clip (0: off); 0.2 */
    float ent_loc;          /* entropy coefficient, location head; 0.01 */
    float ent_keep;         /* entropy coefficient, keep head; 0.01 */
    float vf_coef;          /* value loss weight; 1 (separate optimizers, kept for the log) */
    float max_grad_norm;    /* global-norm clip; 10 (MAPPO) */
    int epochs;             /* PPO epochs per update; 10 (MAPPO: 5-15) */
    int minibatches;        /* minibatches per epoch; 1 (MAPPO default) */
    int value_norm;         /* 1: normalise value targets by running mean/std (MAPPO) */
    int share_actor;        /* 1: one actor for all UEs with a one-hot agent id input */
    int keep_bins;          /* MAPPO: number of keep levels; 8 */
    float k_min;            /* the scenario's tuning.k_min */
    int n_ue;               /* agents */
    int obs_dim;            /* ET_OBS_DIM */
    int state_dim;          /* et_state_dim(n_ue) */
    int capacity;           /* most transitions stored between updates */
    uint64_t seed;          /* network init, sampling, minibatch shuffles */
} et_hmppo_config;

/* Fills cfg with the documented defaults (docs/hmppo.md) for n_ue agents. */
void et_hmppo_config_default(et_hmppo_config *cfg, int n_ue);

/* Creates the agent. Errors (bad sizes, out of memory) are values. */
et_status et_hmppo_create(const et_hmppo_config *cfg, et_agent **out, et_error *err);

/* 1: decide samples and records transitions; 0: greedy evaluation (mode of
 * the categorical, mean of the Beta), nothing recorded. Default 1. */
void et_hmppo_set_training(et_agent *agent, int training);

/* Losses and diagnostics of the last update. */
typedef struct et_hmppo_stats {
    int transitions;
    double policy_loss, value_loss;
    double entropy_loc, entropy_keep;
    double approx_kl, clip_frac;
    double grad_norm_actor, grad_norm_critic;
    double explained_variance;
} et_hmppo_stats;

/* Transitions recorded since the last update (complete trajectories only count). */
int et_hmppo_pending(const et_agent *agent);

/* PPO update on every complete trajectory recorded since the last update,
 * then clears the buffer. total_updates > 0 drives the learning-rate anneal. */
et_status et_hmppo_update(et_agent *agent, int update_index, int total_updates,
                          et_hmppo_stats *stats, et_error *err);

/* Checkpoints: a binary file with a magic, a format version, the config,
 * every parameter, Adam's moments and step counts, the value normaliser,
 * the random streams' states and a caller blob (training progress), closed
 * by a checksum. Written to <path>.tmp and renamed, so a crash never leaves
 * a half-written checkpoint under path. */
et_status et_hmppo_save(const et_agent *agent, const char *path, const void *blob,
                        size_t blob_size, et_error *err);

/* Loads a checkpoint into a new agent. Rejects (ET_ERR_INPUT, naming the
 * file and what is wrong) a wrong magic, version, truncated file, checksum
 * mismatch, or blob_size different from the stored one. blob may be NULL. */
et_status et_hmppo_load(const char *path, et_agent **out, void *blob, size_t blob_size,
                        et_error *err);

/* The config of an agent (e.g. after load). */
const et_hmppo_config *et_hmppo_get_config(const et_agent *agent);

#endif
