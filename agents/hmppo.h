/* hmppo.h: hybrid multi-agent PPO (HMPPO) and its ablations, as an et_agent.
 *
 * Centralised training, decentralised execution (docs/hmppo.md):
 *   - one actor per UE (or one shared actor with a one-hot agent id input),
 *     an MLP torso with a categorical head over the location and a Beta head
 *     over the emulator keep fraction x in (0, 1), k = k_min + (k_max - k_min) x;
 *   - a centralised critic V(global state [+ agent id]);
 *   - GAE over each agent's own decision sequence, optionally discounted by
 *     the simulated time between decisions;
 *   - PPO clipped surrogate, one entropy coefficient per head (the location
 *     head's optionally scheduled), value normalisation (running mean/std of
 *     returns, one for all UEs or one per UE), minibatches and epochs, Adam,
 *     global gradient-norm clipping.
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
#include "edgetune_export.h"
#include "learn.h"
#include "status.h"

ET_API_BEGIN

typedef enum et_hmppo_variant {
    ET_HMPPO = 0, /* hybrid: categorical location + Beta keep, centralised critic */
    ET_MAPPO = 1, /* keep discretised into keep_bins, centralised critic */
    ET_IPPO = 2,  /* hybrid heads, critic on the local observation only */
} et_hmppo_variant;

typedef struct et_hmppo_config {
    et_hmppo_variant variant;
    /* The hyperparameters a scenario sets (hidden, lr_actor, ..., kernel): one row each in
     * src/core/learn.h, with their ranges, defaults and meaning. */
    ET_LEARN_KEYS(ET_LEARN_FIELD)
    float k_min;   /* the scenario's tuning.k_min */
    float k_max;   /* the scenario's tuning.k_max; 1 */
    int n_ue;      /* agents */
    int obs_dim;   /* ET_OBS_DIM */
    int state_dim; /* et_state_dim(n_ue) */
    int capacity;  /* most transitions stored between updates */
    uint64_t seed; /* network init, sampling, minibatch shuffles */
    int keep_head; /* 1: keep head (Beta or bins); 0: location only (cart-pole); 1 */
} et_hmppo_config;

/* Limits checked by et_hmppo_create (ET_ERR_INPUT beyond them). */
#define ET_HMPPO_MAX_HIDDEN 4096
#define ET_HMPPO_MAX_UE 4096
#define ET_HMPPO_MAX_BINS 256
#define ET_HMPPO_MAX_CAPACITY (1 << 24)
/* Memory an agent may take (networks, optimiser moments, activations, transition buffer), as
 * estimated from its config before anything is allocated: a config (or a checkpoint) asking
 * for more is refused naming the fields, not allocated. The default 6-UE agent takes about
 * 10 MB; 1,000 UEs with 50 tasks per update would need about 5 GB. */
#define ET_HMPPO_MAX_BYTES ((double)(2ULL << 30))

/* Fills cfg with the documented defaults (docs/hmppo.md) for n_ue agents. */
void et_hmppo_config_default(et_hmppo_config *cfg, int n_ue);

/* Copies the scenario's learner hyperparameters (learn.h) into cfg. */
void et_hmppo_config_set_learn(et_hmppo_config *cfg, const et_learn_params *learn);

/* Creates the agent (*out, destroy with et_hmppo_destroy or et_agent_destroy). Errors are
 * values: ET_ERR_INPUT naming the field and its range, ET_ERR_NOMEM.
 * The agent's decide() returns ET_ERR_INPUT when the buffer is full (capacity) or the view does
 * not match the config, ET_ERR_INTERNAL when a UE decides again before the feedback of its
 * previous task (each UE alternates decide, feedback). feedback() for a UE with no decision
 * waiting is ignored; done = 1 completes that UE's trajectory. */
et_status et_hmppo_create(const et_hmppo_config *cfg, et_agent **out, et_error *err);

/* Destroys an agent made by et_hmppo_create or et_hmppo_load and frees the shell, like
 * et_agent_destroy (either may be used). NULL-safe. */
void et_hmppo_destroy(et_agent *agent);

/* 1: decide samples and records transitions; 0: greedy evaluation (mode of
 * the categorical, mean of the Beta), nothing recorded. Default 1.
 * Switch between episodes: in evaluation mode feedback is ignored. */
void et_hmppo_set_training(et_agent *agent, int training);

/* What the networks said at a UE's last decision (the decision log). */
typedef struct et_hmppo_decision {
    int valid;        /* 0 until the UE decided with the log on */
    int location;     /* 0 LOCAL, 1 SERVER (the head's index) */
    double keep;      /* the keep fraction applied */
    double p_local;   /* the location head's probability of LOCAL */
    double logp_loc;  /* log-probability of the chosen location */
    double logp_keep; /* log-density of the keep sample (Beta), log-prob of the bin (MAPPO) */
    double value;     /* the critic's output (in normalised units when value_norm is on) */
} et_hmppo_decision;

/* on != 0: every decide also evaluates the log-probabilities and the critic (in evaluation
 * mode too) and keeps them for et_hmppo_last_decision. Off by default; it changes no decision
 * and no training step. ET_ERR_NOMEM if the record cannot be allocated. */
et_status et_hmppo_set_decision_log(et_agent *agent, int on, et_error *err);

/* Data-parallel training: n_ranks processes each train a replica of the same agent (same
 * config, same initial parameters) on their own episodes. sum(ctx, buf, n, err) must replace
 * buf[0 .. n) by its element-wise sum over the ranks, the same bits on every rank (sum in rank
 * order). With it set, et_hmppo_update sums the value normaliser's batch moments and averages
 * every minibatch's gradients over the ranks before clipping and the Adam step, so the replicas
 * take identical steps and stay identical. Every rank must call et_hmppo_update the same
 * number of times, with the same minibatch count (a rank with fewer rows contributes zero
 * gradients to a minibatch it has no rows for). n_ranks == 1 or sum == NULL: alone, as
 * before. ET_ERR_NOMEM when the exchange buffer cannot be allocated. */
typedef et_status (*et_hmppo_sum_fn)(void *ctx, double *buf, size_t n, et_error *err);
et_status et_hmppo_set_data_parallel(et_agent *agent, int n_ranks, et_hmppo_sum_fn sum, void *ctx,
                                     et_error *err);

/* The UE's last logged decision; NULL if the log is off or ue is out of range. */
const et_hmppo_decision *et_hmppo_last_decision(const et_agent *agent, int ue);

/* Losses and diagnostics of the last update. */
typedef struct et_hmppo_stats {
    int transitions;
    double policy_loss, value_loss;
    double entropy_loc, entropy_keep;
    double approx_kl, clip_frac; /* k3 estimate of KL(old || new); share of |ratio - 1| > clip */
    double value_clip_frac;      /* share of rows with |v - v_old| > value_clip */
    double grad_norm_actor, grad_norm_critic;
    double explained_variance;
    int minibatch_steps;        /* optimizer steps taken (epochs x non-empty minibatches) */
    int nonfinite_steps;        /* steps skipped because a gradient norm was not finite */
    int discarded;              /* transitions of incomplete trajectories dropped by this update */
    double lr_actor, lr_critic; /* learning rates used (after the anneal) */
    double ent_loc_coef;        /* the location head's entropy coefficient used (ent_loc_end) */
} et_hmppo_stats;

/* Transitions recorded since the last update (complete trajectories only count). */
int et_hmppo_pending(const et_agent *agent);

/* Every transition recorded since the last update, complete or not (<= capacity). decide()
 * returns ET_ERR_INPUT once capacity transitions are recorded: update more often or raise it. */
int et_hmppo_recorded(const et_agent *agent);

/* PPO update on every complete trajectory recorded since the last update,
 * then clears the buffer (incomplete trajectories are dropped and counted in
 * stats->discarded). total_updates > 0 drives the learning-rate anneal:
 * lr = lr0 (1 - update_index / total_updates). stats may be NULL. Never
 * allocates. A non-finite gradient norm skips that step (stats->nonfinite_steps). */
et_status et_hmppo_update(et_agent *agent, int update_index, int total_updates,
                          et_hmppo_stats *stats, et_error *err);

/* Checkpoints: a binary file with a magic, a format version, the config,
 * every parameter, Adam's moments and step counts, the value normaliser,
 * the random streams' states and a caller blob (training progress), closed
 * by a checksum. Written to <path>.tmp and renamed, so a crash never leaves
 * a half-written checkpoint under path. Transitions are not saved: save
 * returns ET_ERR_INTERNAL while et_hmppo_pending() > 0 (save after an update;
 * trajectories still open are lost). Format: docs/hmppo.md. */
et_status et_hmppo_save(const et_agent *agent, const char *path, const void *blob, size_t blob_size,
                        et_error *err);

/* Loads a checkpoint into a new agent. Rejects (ET_ERR_INPUT, naming the
 * file and what is wrong) a wrong magic, version, truncated file, checksum
 * mismatch, or blob_size different from the stored one. blob may be NULL. */
et_status et_hmppo_load(const char *path, et_agent **out, void *blob, size_t blob_size,
                        et_error *err);

/* The config of an agent (e.g. after load). */
const et_hmppo_config *et_hmppo_get_config(const et_agent *agent);

/* ---- Building blocks, exposed for tests and tools ------------------------------------------ */

/* Generalised advantage estimation (Schulman et al. 2016) over one agent's trajectory of n >= 1
 * steps: delta_t = r_t + g_t V_{t+1} (1 - done_t) - V_t, A_t = delta_t + g_t lambda (1 - done_t)
 * A_{t+1}, returns R_t = A_t + V_t. value[t] = V(s_t); V_n = last_value (used only when
 * done[n-1] == 0); discount[t] = g_t. Writes adv and ret (n entries each). */
void et_hmppo_gae(int n, const double *reward, const double *value, const int *done,
                  const double *discount, double lambda, double last_value, double *adv,
                  double *ret);

/* Per-step discount g: gamma when time_scale_s <= 0, else gamma^(elapsed_s / time_scale_s). */
double et_hmppo_discount(double gamma, double elapsed_s, double time_scale_s);

/* The location head's entropy coefficient of update update_index (0-based) of total_updates:
 * ent_loc + (ent_loc_end - ent_loc) min(1, update_index / total_updates), the learning-rate
 * anneal's progress; ent_loc when ent_loc_end < 0 (no schedule) or total_updates <= 0. */
double et_hmppo_ent_loc_at(const et_hmppo_config *cfg, int update_index, int total_updates);

/* The mean and std of the value normaliser that serves ue (its own with value_norm_per_ue,
 * else the shared one) as they stand: mean 0 and std 1 before its first update, with
 * value_norm off, or for a ue out of range or another agent. */
void et_hmppo_value_norm_stats(const et_agent *agent, int ue, double *mean, double *std);

/* log density of Beta(a, b) at x in (0, 1), a, b > 0. */
double et_hmppo_beta_log_prob(double x, double a, double b);

/* Differential entropy of Beta(a, b), a, b > 0 (nats). */
double et_hmppo_beta_entropy(double a, double b);

/* Digamma psi(x) = d ln Gamma(x) / dx and trigamma psi'(x), x > 0 (errors below 1e-12). */
double et_hmppo_digamma(double x);
double et_hmppo_trigamma(double x);

/* Networks: index 0 is the critic, 1 .. et_hmppo_network_count - 1 the actors (one when
 * share_actor, else one per UE in UE order). Parameters and gradients are owned by the agent,
 * laid out as in nn.h; *count receives their length. NULL for an index out of range. */
int et_hmppo_network_count(const et_agent *agent);
float *et_hmppo_network_params(et_agent *agent, int net, size_t *count);
float *et_hmppo_network_grads(et_agent *agent, int net, size_t *count);

/* The batch an update would train on, in recording order (complete trajectories only); arrays
 * of n floats owned by the agent, valid until the next prepare, update or destroy. */
typedef struct et_hmppo_batch {
    int n;
    const float *value;     /* V(s_t) de-normalised, as recorded by decide */
    const float *advantage; /* GAE, before the per-update normalisation */
    const float *ret;       /* advantage + value: the critic's target before normalisation */
} et_hmppo_batch;

/* Runs the first half of et_hmppo_update: GAE, the value-normaliser update (so it changes the
 * normaliser's state) and the advantage normalisation; the buffer is kept. batch may be NULL. */
et_status et_hmppo_prepare(et_agent *agent, et_hmppo_batch *batch, et_error *err);

/* The PPO losses over the whole prepared batch taken as one minibatch, with the parameters as
 * they are now: actor loss (clipped surrogate minus the entropy bonuses) and critic loss
 * (vf_coef times the possibly clipped 0.5 squared error). with_grad != 0 leaves d loss /
 * d parameters in every network's gradients (zeroed first; no optimizer step), 0 leaves them
 * zero. stats (may be NULL) receives the losses, entropies and clip fractions of this batch.
 * Used by the finite-difference test. ET_ERR_INTERNAL when no batch is prepared. */
et_status et_hmppo_batch_loss(et_agent *agent, int with_grad, double *actor_loss,
                              double *critic_loss, et_hmppo_stats *stats, et_error *err);

ET_API_END

#endif
