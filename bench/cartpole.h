/* cartpole.h: the classic cart-pole control task, and a PPO training run on it through the
 * very HMPPO agent the simulator uses (docs/hmppo.md, "Cart-pole anchor").
 *
 * The task (Barto, Sutton & Anderson 1983) in its common modern parameterisation (OpenAI Gym /
 * Gymnasium CartPole-v1): gravity 9.8 m/s^2, cart 1.0 kg, pole 0.1 kg, pole half-length 0.5 m,
 * push force 10 N, time step 0.02 s with explicit Euler integration; the episode terminates when
 * |theta| > 12 degrees or |x| > 2.4 m and is truncated after 500 steps; reward 1 per step
 * (including the last); initial state uniform in [-0.05, 0.05]^4. Observation (4):
 * x, x_dot, theta, theta_dot. Actions: 0 pushes left, 1 pushes right.
 *
 * The learner is driven only through the et_agent interface (decide / feedback) with n_ue = 1,
 * obs_dim = state_dim = 4 and no keep head, the location (LOCAL = 0, SERVER = 1) read as the
 * push direction; so reaching the task's "solved" level validates the PPO code of hmppo.c. */
#ifndef ET_CARTPOLE_H
#define ET_CARTPOLE_H

#include <stdint.h>

#include "rng.h"
#include "status.h"

#define ET_CARTPOLE_OBS_DIM 4
#define ET_CARTPOLE_MAX_STEPS 500 /* truncation, CartPole-v1 */

/* One environment. Plain struct, no allocation; every field may be read. */
typedef struct et_cartpole {
    double x, x_dot, theta, theta_dot; /* m, m/s, rad, rad/s */
    int steps;                         /* steps since the last reset */
    et_rng rng;                        /* initial states */
} et_cartpole;

/* Seeds the environment's stream from (seed, ET_RNG_TASKS stream 0); call once, then reset. */
void et_cartpole_seed(et_cartpole *env, uint64_t seed);

/* Starts an episode: a state uniform in [-0.05, 0.05]^4 (four draws). Writes obs (4). */
void et_cartpole_reset(et_cartpole *env, float *obs);

/* Applies action (0 left, anything else right) for one 0.02 s step. Writes the next obs (4),
 * *terminated (pole fell or cart left the track) and *truncated (500th step without
 * termination). Returns the reward, 1. */
double et_cartpole_step(et_cartpole *env, int action, float *obs, int *terminated, int *truncated);

/* A training run. Defaults (et_cartpole_options_default) follow CleanRL's ppo.py for
 * CartPole-v1 (Huang et al. 2022) where our loop allows; docs/hmppo.md lists them. */
typedef struct et_cartpole_options {
    long total_steps;       /* environment steps; 500,000 */
    uint64_t seed;          /* agent and environment; 1 */
    int update_every;       /* update at the first episode end with >= this many transitions; 512 */
    int hidden;             /* units per hidden layer; 64 */
    float lr;               /* actor and critic Adam rate; 2.5e-4 */
    int lr_anneal;          /* linear decay to 0 over total_steps / update_every updates; 1 */
    float gamma, lambda;    /* 0.99, 0.95 */
    float clip, value_clip; /* 0.2, 0.2 */
    float ent_coef, vf_coef;   /* 0.01, 0.5 */
    float max_grad_norm;       /* per network; 0.5 */
    float adam_eps;            /* 1e-5 */
    int epochs, minibatches;   /* 4, 4 */
    int value_norm;            /* 0 (CleanRL has none) */
    long progress_every_steps; /* > 0: one progress line on stderr this often; 0: silent */
} et_cartpole_options;

/* Fills opt with the defaults above. */
void et_cartpole_options_default(et_cartpole_options *opt);

typedef struct et_cartpole_result {
    long steps_to_475;     /* steps when the mean return of the last 100 episodes first reached
                              475 (with at least 100 episodes done), -1 if never */
    double final_mean100;  /* mean return of the last min(100, episodes) episodes */
    double first_mean100;  /* mean return of the first min(100, episodes) episodes */
    double wall_s;         /* wall-clock seconds of the whole run */
    long steps;            /* environment steps taken (= total_steps) */
    long episodes;         /* episodes finished */
    int updates;           /* PPO updates */
    uint64_t params_fnv1a; /* FNV-1a hash of every final network parameter: same seed, same hash */
} et_cartpole_result;

/* Trains a fresh agent for opt->total_steps steps. Errors (bad options, out of memory) are
 * values; res is filled on ET_OK. */
et_status et_cartpole_train(const et_cartpole_options *opt, et_cartpole_result *res, et_error *err);

#endif
