/* cartpole.c: the cart-pole task and a PPO run on it through the HMPPO agent (cartpole.h). */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */

#include "cartpole.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "agent.h"
#include "hmppo.h"

/* Gym's CartPoleEnv constants (the common modern parameterisation). */
#define GRAVITY 9.8
#define MASS_CART 1.0
#define MASS_POLE 0.1
#define TOTAL_MASS (MASS_CART + MASS_POLE)
#define HALF_LENGTH 0.5
#define POLE_MASS_LENGTH (MASS_POLE * HALF_LENGTH)
#define FORCE_MAG 10.0
#define TAU 0.02
#define THETA_LIMIT (12.0 * 2.0 * 3.14159265358979323846 / 360.0)
#define X_LIMIT 2.4
#define SOLVED 475.0 /* CartPole-v1's reward threshold */
#define WINDOW 100   /* episodes in the moving mean */

void et_cartpole_seed(et_cartpole *env, uint64_t seed)
{
    memset(env, 0, sizeof *env);
    et_rng_seed(&env->rng, seed, et_rng_stream_id(ET_RNG_TASKS, 0));
}

static void observe(const et_cartpole *env, float *obs)
{
    obs[0] = (float)env->x;
    obs[1] = (float)env->x_dot;
    obs[2] = (float)env->theta;
    obs[3] = (float)env->theta_dot;
}

void et_cartpole_reset(et_cartpole *env, float *obs)
{
    env->x = et_rng_range(&env->rng, -0.05, 0.05);
    env->x_dot = et_rng_range(&env->rng, -0.05, 0.05);
    env->theta = et_rng_range(&env->rng, -0.05, 0.05);
    env->theta_dot = et_rng_range(&env->rng, -0.05, 0.05);
    env->steps = 0;
    observe(env, obs);
}

double et_cartpole_step(et_cartpole *env, int action, float *obs, int *terminated, int *truncated)
{
    double force = action ? FORCE_MAG : -FORCE_MAG;
    double c = cos(env->theta), s = sin(env->theta);
    /* Equations of motion of the pole on a cart (Florian 2007's correction of Barto et al.,
     * without friction), as in Gym. */
    double temp = (force + POLE_MASS_LENGTH * env->theta_dot * env->theta_dot * s) / TOTAL_MASS;
    double theta_acc =
        (GRAVITY * s - c * temp) / (HALF_LENGTH * (4.0 / 3.0 - MASS_POLE * c * c / TOTAL_MASS));
    double x_acc = temp - POLE_MASS_LENGTH * theta_acc * c / TOTAL_MASS;
    /* Explicit Euler: positions move with the old velocities. */
    env->x += TAU * env->x_dot;
    env->x_dot += TAU * x_acc;
    env->theta += TAU * env->theta_dot;
    env->theta_dot += TAU * theta_acc;
    env->steps++;
    observe(env, obs);
    *terminated = env->x < -X_LIMIT || env->x > X_LIMIT || env->theta < -THETA_LIMIT ||
                  env->theta > THETA_LIMIT;
    *truncated = !*terminated && env->steps >= ET_CARTPOLE_MAX_STEPS;
    return 1.0;
}

void et_cartpole_options_default(et_cartpole_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->total_steps = 500000;
    opt->seed = 1;
    opt->update_every = 512; /* CleanRL: 4 environments x 128 steps */
    opt->hidden = 64;
    opt->lr = 2.5e-4f;
    opt->lr_anneal = 1;
    opt->gamma = 0.99f;
    opt->lambda = 0.95f;
    opt->clip = 0.2f;
    opt->value_clip = 0.2f;
    opt->ent_coef = 0.01f;
    opt->vf_coef = 0.5f;
    opt->max_grad_norm = 0.5f;
    opt->adam_eps = 1e-5f;
    opt->epochs = 4;
    opt->minibatches = 4;
    opt->value_norm = 0;
    opt->progress_every_steps = 0;
}

static double wall_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Mean of the last min(WINDOW, count) returns in the ring buffer. */
static double window_mean(const double *ring, long count)
{
    long n = count < WINDOW ? count : WINDOW;
    double s = 0.0;
    for (long k = 0; k < n; k++)
        s += ring[k];
    return n > 0 ? s / (double)n : 0.0;
}

static uint64_t params_hash(et_agent *agent)
{
    uint64_t hash = 0xcbf29ce484222325ULL;
    for (int net = 0; net < et_hmppo_network_count(agent); net++) {
        size_t n;
        const float *p = et_hmppo_network_params(agent, net, &n);
        const unsigned char *b = (const unsigned char *)p;
        for (size_t k = 0; k < n * sizeof *p; k++)
            hash = (hash ^ b[k]) * 0x100000001b3ULL;
    }
    return hash;
}

et_status et_cartpole_train(const et_cartpole_options *opt, et_cartpole_result *res, et_error *err)
{
    if (!opt || !res) return et_error_set(err, ET_ERR_INTERNAL, "et_cartpole_train: NULL argument");
    memset(res, 0, sizeof *res);
    res->steps_to_475 = -1;
    if (opt->total_steps < 1 || opt->update_every < 1 || opt->update_every > (1 << 22))
        return et_error_set(err, ET_ERR_INPUT,
                            "cartpole: 'total_steps' must be >= 1 and 'update_every' in [1, %d], "
                            "got %ld and %d",
                            1 << 22, opt->total_steps, opt->update_every);

    et_hmppo_config cfg;
    et_hmppo_config_default(&cfg, 1);
    cfg.variant = ET_HMPPO;
    cfg.keep_head = 0;
    cfg.obs_dim = ET_CARTPOLE_OBS_DIM;
    cfg.state_dim = ET_CARTPOLE_OBS_DIM; /* the critic sees the same 4 numbers */
    cfg.hidden = opt->hidden;
    cfg.lr_actor = cfg.lr_critic = opt->lr;
    cfg.lr_anneal = opt->lr_anneal;
    cfg.gamma = opt->gamma;
    cfg.lambda = opt->lambda;
    cfg.clip = opt->clip;
    cfg.value_clip = opt->value_clip;
    cfg.ent_loc = opt->ent_coef;
    cfg.ent_loc_end = -1.0f; /* the anchor's coefficient is constant, and its discount per step */
    cfg.time_scale_s = 0.0f;
    cfg.ent_keep = 0.0f;
    cfg.vf_coef = opt->vf_coef;
    cfg.max_grad_norm = opt->max_grad_norm;
    cfg.adam_eps = opt->adam_eps;
    cfg.epochs = opt->epochs;
    cfg.minibatches = opt->minibatches;
    cfg.value_norm = opt->value_norm;
    /* Updates happen at episode ends, so a batch holds up to update_every - 1 transitions plus
     * one whole episode. */
    cfg.capacity = opt->update_every + ET_CARTPOLE_MAX_STEPS;
    cfg.seed = opt->seed;
    et_agent *agent = NULL;
    et_status st = et_hmppo_create(&cfg, &agent, err);
    if (st != ET_OK) return st;

    et_cartpole env;
    et_cartpole_seed(&env, opt->seed);
    float obs[ET_CARTPOLE_OBS_DIM];
    et_task_view task;
    memset(&task, 0, sizeof task);
    task.ue = 0;
    task.n_ue = 1;
    task.k_min = cfg.k_min;
    et_obs_view view = {.task = &task, .obs = obs, .state = obs, .state_dim = ET_CARTPOLE_OBS_DIM};

    int total_updates = (int)(opt->total_steps / opt->update_every);
    if (total_updates < 1) total_updates = 1;
    double ring[WINDOW], first_sum = 0.0;
    long steps = 0, next_progress = opt->progress_every_steps;
    double t0 = wall_now_s();
    while (st == ET_OK && steps < opt->total_steps) {
        agent->ops->episode_begin(agent, (int)res->episodes, 1, (uint64_t)res->episodes);
        et_cartpole_reset(&env, obs);
        double ret = 0.0;
        int done = 0;
        while (!done && steps < opt->total_steps) {
            task.task_index = env.steps;
            et_action action;
            st = agent->ops->decide(agent, &view, &action, err);
            if (st != ET_OK) break;
            int terminated, truncated;
            double r = et_cartpole_step(&env, action.location == ET_LOCATION_SERVER, obs,
                                        &terminated, &truncated);
            steps++;
            ret += r;
            /* Truncation is fed back as the end of the trajectory, like termination (no
             * bootstrap), as CleanRL's ppo.py does. */
            done = terminated || truncated;
            et_feedback fb = {.ue = 0, .reward = r, .done = done, .elapsed_s = TAU};
            agent->ops->feedback(agent, &fb);
        }
        if (st != ET_OK || !done) break; /* out of steps mid-episode: it does not count */
        agent->ops->episode_end(agent);
        ring[res->episodes % WINDOW] = ret;
        if (res->episodes < WINDOW) first_sum += ret;
        res->episodes++;
        double mean = window_mean(ring, res->episodes);
        if (res->steps_to_475 < 0 && res->episodes >= WINDOW && mean >= SOLVED)
            res->steps_to_475 = steps;
        if (et_hmppo_pending(agent) >= opt->update_every) {
            et_hmppo_stats us;
            st = et_hmppo_update(agent, res->updates, total_updates, &us, err);
            if (st != ET_OK) break;
            res->updates++;
        }
        if (opt->progress_every_steps > 0 && steps >= next_progress) {
            fprintf(stderr,
                    "cartpole: step %7ld  episodes %6ld  mean-100 return %6.1f  updates %4d"
                    "  %.1f s\n",
                    steps, res->episodes, mean, res->updates, wall_now_s() - t0);
            while (next_progress <= steps)
                next_progress += opt->progress_every_steps;
        }
    }
    if (st == ET_OK) {
        res->steps = steps;
        res->final_mean100 = window_mean(ring, res->episodes);
        res->first_mean100 =
            res->episodes > 0
                ? first_sum / (double)(res->episodes < WINDOW ? res->episodes : WINDOW)
                : 0.0;
        res->params_fnv1a = params_hash(agent);
        res->wall_s = wall_now_s() - t0;
    }
    et_hmppo_destroy(agent);
    return st;
}
