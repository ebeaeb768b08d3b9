/* hmppo_internal.h: the HMPPO agent's state, shared by the learner (hmppo.c) and its
 * checkpoint reader and writer (hmppo_ckpt.c). Not installed as API: include hmppo.h. */
#ifndef ET_HMPPO_INTERNAL_H
#define ET_HMPPO_INTERNAL_H

#include "hmppo.h"
#include "hmppo_dp.h"
#include "nn.h"
#include "rng.h"

#define N_LOC ET_LOCATION_COUNT
#define MAX_OUT (N_LOC + ET_HMPPO_MAX_BINS) /* widest actor output */

typedef struct hmppo {
    et_hmppo_config cfg;
    int training;
    et_hmppo_decision *last; /* per UE, when the decision log is on; else NULL */
    int n_actors;            /* 1 when share_actor, else n_ue */
    int actor_onehot; /* 1: one-hot agent id appended to the actor input (shared actor, n_ue > 1) */
    int critic_onehot; /* 1: one-hot agent id appended to the critic input (n_ue > 1) */
    int actor_in;      /* A */
    int critic_in;     /* S */
    int n_keep_out;    /* 2 (Beta), keep_bins (MAPPO) or 0 (no keep head) */
    int actor_out;     /* O = N_LOC + n_keep_out */

    et_mlp *critic;
    et_adam *critic_opt;
    et_mlp **actor;      /* (n_actors) */
    et_adam **actor_opt; /* (n_actors) */

    double vn_mean, vn_mean_sq, vn_debias; /* value normaliser (running sums, debias term) */
    double *vn_ue;      /* (n_ue, 3) with value_norm_per_ue: each UE's mean, mean square, debias */
    double *vn_moments; /* (n_ue, 3) one update's batch moments per normaliser: sum, sum of
                         * squares, rows (one normaliser, the first row, unless per UE) */
    double ent_loc_now; /* the location head's entropy coefficient in the current update */
    et_rng shuffle_rng;
    et_rng *policy_rng; /* (n_ue) one sampling stream per UE */
    int episode_n_ue;   /* n_ue given to the last episode_begin, -1 before any */

    /* Transition buffer, (capacity) rows, in recording order. */
    int n_rec;          /* rows recorded */
    int n_complete;     /* rows in complete trajectories */
    float *b_actor_in;  /* (capacity, A) */
    float *b_critic_in; /* (capacity, S) */
    int *b_ue, *b_loc, *b_bin;
    int *b_next;                 /* next row of the same trajectory, -1 at its end */
    float *b_x;                  /* Beta sample in (0, 1) */
    float *b_lp_loc, *b_lp_keep; /* log-probs at decide time, per head */
    float *b_vraw;               /* critic output at decide time (normalised units) */
    float *b_reward, *b_elapsed;
    unsigned char *b_done, *b_mask, *b_head, *b_complete;
    int *traj_head, *traj_tail; /* (n_ue) open trajectory of each UE, -1 when none */
    int *open_row;              /* (n_ue) row waiting for its feedback, -1 when none */

    /* Prepared batch: position p in [0, n_rows) is buffer row rows[p]. */
    int prepared, n_rows;
    int *rows, *pos_of, *perm, *grp;                 /* (capacity) */
    float *val, *adv, *ret, *adv_n, *tgt_n, *vold_n; /* (capacity) by position */
    double *g_r, *g_v, *g_g, *g_a, *g_ret;           /* (capacity) one trajectory for GAE */
    int *g_d;
    float *mb_dout;  /* (capacity, O) d loss / d network output */
    float *row_ain;  /* (A) decide's actor input */
    float *row_cin;  /* (S) decide's critic input */
    int *actor_rows; /* (n_actors) rows of each actor in the current minibatch */

    /* Data-parallel training (hmppo_dp.c): n_ranks replicas average their gradients. */
    et_hmppo_dp dp;
} hmppo;

/* The agent's state, or NULL when agent is not an HMPPO/MAPPO/IPPO agent. */
hmppo *et_hmppo_impl(const et_agent *agent);

/* Checks cfg and builds the agent; where names the config's source in error messages. init: 1
 * for the orthogonal init of the networks, 0 when the caller writes every parameter (a load). */
et_status et_hmppo_create_from(const et_hmppo_config *cfg, const char *where, int init,
                               et_agent **out, et_error *err);

/* The policy's distributions (hmppo_dist.c). Categorical over k logits z: log p(a), entropy,
 * and when dlogp / dent are not NULL their derivatives w.r.t. z. */
void et_hmppo_categorical_eval(const float *z, int k, int a, double *logp, double *ent,
                               double *dlogp, double *dent);
/* The Beta keep head: alpha, beta = 1 + softplus(u) from the pre-activations u (2), and log p(x),
 * entropy and their derivatives w.r.t. u. */
void et_hmppo_beta_params(const float *u, double *a, double *b);
void et_hmppo_beta_eval(const float *u, double x, double *logp, double *ent, double *dlogp,
                        double *dent);
/* An index drawn from softmax(z) with one uniform draw; the first index of the largest logit. */
int et_hmppo_categorical_sample(const float *z, int k, et_rng *rng);
int et_hmppo_argmax(const float *z, int k);

#endif
