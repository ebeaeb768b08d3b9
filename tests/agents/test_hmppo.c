/* test_hmppo.c: the HMPPO learner (agents/hmppo.c) and its cart-pole anchor (bench/cartpole.c).
 *
 * Pins: the Beta head's log-density and entropy (hand values, numerical integration, digamma and
 * trigamma at known points); the analytic gradient of the whole PPO loss (clipped surrogate,
 * both entropy bonuses, clipped value loss) against central finite differences, for the Beta
 * and the binned keep heads; GAE against hand-computed advantages, with and without time
 * discounting, and per-UE chaining inside the agent; masked keep actions; checkpoints (bit-
 * identical resume, rejection of damaged files naming the path, no .tmp left); determinism by
 * seed; that cart-pole training actually learns; evaluation mode; capacity and config errors. */
#define _POSIX_C_SOURCE 200809L /* pthread barriers under strict C11 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agent.h"
#include "cartpole.h"
#include "collective.h"
#include "et_test.h"
#include "hmppo.h"
#include "rng.h"
#include "trace.h"

/* ---- helpers ------------------------------------------------------------------------------ */

/* A tiny agent: 2 UEs, 3 observations, state 2 x 3 + 2, 5 hidden units. */
enum { T_UE = 2, T_OBS = 3, T_STATE = T_UE * T_OBS + 2, T_HIDDEN = 5 };

static et_hmppo_config tiny_config(et_hmppo_variant variant, uint64_t seed)
{
    et_hmppo_config cfg;
    et_hmppo_config_default(&cfg, T_UE);
    cfg.variant = variant;
    cfg.hidden = T_HIDDEN;
    cfg.obs_dim = T_OBS;
    cfg.state_dim = T_STATE;
    cfg.keep_bins = 4;
    cfg.capacity = 64;
    cfg.epochs = 3;
    cfg.minibatches = 2;
    cfg.seed = seed;
    cfg.share_actor = 1; /* the gradient cases were calibrated on one shared actor */
    return cfg;
}

static et_agent *make_agent(const et_hmppo_config *cfg)
{
    et_agent *agent = NULL;
    et_error err;
    et_status st = et_hmppo_create(cfg, &agent, &err);
    if (st != ET_OK) fprintf(stderr, "create: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(st, ET_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(agent);
    return agent;
}

/* Synthetic environment: observations and state drawn from env; the reward prefers SERVER and a
 * keep near 0.7 so that training has something to learn. keep_effective is 0 on every third
 * task. One trajectory of `steps` tasks per UE, UEs interleaved in order. actions (may be NULL)
 * receives steps * T_UE actions in decision order. Returns the number of decide errors. */
static int run_episode(et_agent *agent, et_rng *env, int episode, int steps, et_action *actions)
{
    float obs[T_UE][T_OBS], state[T_STATE];
    et_task_view task;
    memset(&task, 0, sizeof task);
    task.n_ue = T_UE;
    task.tasks_per_ue = steps;
    int errors = 0;
    agent->ops->episode_begin(agent, episode, T_UE, (uint64_t)episode);
    for (int t = 0; t < steps; t++) {
        for (int u = 0; u < T_UE; u++) {
            for (int u2 = 0; u2 < T_UE; u2++)
                for (int k = 0; k < T_OBS; k++) {
                    obs[u2][k] = (float)et_rng_range(env, -1.0, 1.0);
                    state[u2 * T_OBS + k] = obs[u2][k];
                }
            state[T_STATE - 2] = (float)et_rng_uniform(env);
            state[T_STATE - 1] = (float)t / (float)steps;
            task.ue = u;
            task.task_index = t;
            et_obs_view view = {.task = &task, .obs = obs[u], .state = state, .state_dim = T_STATE};
            et_action a;
            et_error err;
            if (agent->ops->decide(agent, &view, &a, &err) != ET_OK) {
                errors++;
                continue;
            }
            if (actions) actions[t * T_UE + u] = a;
            double reward = (a.location == ET_LOCATION_SERVER ? 1.0 : 0.0) -
                            4.0 * (a.keep - 0.7) * (a.keep - 0.7) + 0.3 * obs[u][0];
            et_feedback fb = {.ue = u,
                              .reward = reward,
                              .done = t == steps - 1,
                              .keep_effective = (t % 3) != 2,
                              .elapsed_s = 0.5 + et_rng_uniform(env)};
            agent->ops->feedback(agent, &fb);
        }
    }
    agent->ops->episode_end(agent);
    return errors;
}

static void fill_normal(float *x, size_t n, double scale, et_rng *rng)
{
    for (size_t k = 0; k < n; k++)
        x[k] += (float)(scale * et_rng_normal(rng));
}

/* ---- Beta head ---------------------------------------------------------------------------- */

static void beta_log_prob_matches_hand_value_and_integrates_to_one(void)
{
    /* Beta(2, 3) has density 12 x (1 - x)^2, since B(2, 3) = 1! 2! / 4! = 1/12. */
    CU_ASSERT_DOUBLE_EQUAL(et_hmppo_beta_log_prob(0.3, 2.0, 3.0), log(12.0 * 0.3 * 0.49), 1e-12);
    /* Beta(1, 1) is uniform. */
    CU_ASSERT_DOUBLE_EQUAL(et_hmppo_beta_log_prob(0.77, 1.0, 1.0), 0.0, 1e-12);
    /* A non-integer pair against log B(a, b) written out with lgamma. */
    double a = 1.7, b = 3.2, x = 0.41;
    double hand = 0.7 * log(x) + 2.2 * log(1.0 - x) - (lgamma(a) + lgamma(b) - lgamma(a + b));
    CU_ASSERT_DOUBLE_EQUAL(et_hmppo_beta_log_prob(x, a, b), hand, 1e-12);

    /* Midpoint rule on 200,000 cells: the densities (a, b >= 1) are bounded, error ~1e-9. */
    const double pairs[3][2] = {{1.0, 1.0}, {1.7, 3.2}, {6.5, 2.1}};
    for (int k = 0; k < 3; k++) {
        int n = 200000;
        double sum = 0.0;
        for (int i = 0; i < n; i++)
            sum += exp(et_hmppo_beta_log_prob((i + 0.5) / n, pairs[k][0], pairs[k][1])) / n;
        CU_ASSERT_DOUBLE_EQUAL(sum, 1.0, 1e-6);
    }
}

static void beta_entropy_matches_numerical_integration(void)
{
    /* digamma(1) = -Euler's gamma, trigamma(1) = pi^2 / 6, digamma(0.5) = -gamma - 2 ln 2. */
    const double euler = 0.57721566490153286;
    CU_ASSERT_DOUBLE_EQUAL(et_hmppo_digamma(1.0), -euler, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(et_hmppo_digamma(0.5), -euler - 2.0 * log(2.0), 1e-12);
    /* Far out the series' first terms: ln x - 1/(2x) - 1/(12x^2) + 1/(120x^4) - 1/(252x^6), next
     * ~6e-15. */
    CU_ASSERT_DOUBLE_EQUAL(
        et_hmppo_digamma(30.0),
        log(30.0) - 1.0 / 60.0 - 1.0 / 10800.0 + 1.0 / 97200000.0 - 1.0 / (252.0 * 729e6), 1e-13);
    CU_ASSERT_DOUBLE_EQUAL(et_hmppo_trigamma(1.0),
                           3.14159265358979323846 * 3.14159265358979323846 / 6.0, 1e-12);
    /* The uniform has entropy 0; others against -integral p ln p. */
    CU_ASSERT_DOUBLE_EQUAL(et_hmppo_beta_entropy(1.0, 1.0), 0.0, 1e-12);
    const double pairs[3][2] = {{1.7, 3.2}, {6.5, 2.1}, {1.05, 20.0}};
    for (int k = 0; k < 3; k++) {
        int n = 400000;
        double h = 0.0;
        for (int i = 0; i < n; i++) {
            double lp = et_hmppo_beta_log_prob((i + 0.5) / n, pairs[k][0], pairs[k][1]);
            h -= exp(lp) * lp / n;
        }
        CU_ASSERT_DOUBLE_EQUAL(et_hmppo_beta_entropy(pairs[k][0], pairs[k][1]), h, 1e-5);
    }
}

/* ---- gradients ---------------------------------------------------------------------------- */

/* Records one episode (8 tasks per UE), prepares the batch, then moves every parameter by noise
 * (actor_noise, critic_noise) so that ratios leave 1 and values leave their old values. */
static et_agent *agent_with_batch(et_hmppo_config cfg, double actor_noise, double critic_noise)
{
    et_agent *agent = make_agent(&cfg);
    et_rng env;
    et_rng_seed(&env, 5, 0);
    CU_ASSERT_EQUAL(run_episode(agent, &env, 0, 8, NULL), 0);
    et_error err;
    et_hmppo_batch batch;
    CU_ASSERT_EQUAL_FATAL(et_hmppo_prepare(agent, &batch, &err), ET_OK);
    CU_ASSERT_EQUAL(batch.n, 8 * T_UE);
    et_rng noise;
    et_rng_seed(&noise, 99, 0);
    for (int net = 0; net < et_hmppo_network_count(agent); net++) {
        size_t n;
        float *p = et_hmppo_network_params(agent, net, &n);
        fill_normal(p, n, net == 0 ? critic_noise : actor_noise, &noise);
    }
    return agent;
}

/* Both branches of both clips must be in the batch, or the test would not check them. */
static void expect_mixed_clipping(et_agent *agent)
{
    et_hmppo_stats s;
    double al, cl;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_hmppo_batch_loss(agent, 0, &al, &cl, &s, &err), ET_OK);
    if (!(s.clip_frac > 0.1 && s.clip_frac < 0.9 && s.value_clip_frac > 0.1 &&
          s.value_clip_frac < 0.9))
        fprintf(stderr, "\n  clip_frac %.2f, value_clip_frac %.2f\n", s.clip_frac,
                s.value_clip_frac);
    CU_ASSERT(s.clip_frac > 0.1 && s.clip_frac < 0.9);
    CU_ASSERT(s.value_clip_frac > 0.1 && s.value_clip_frac < 0.9);
}

/* Normwise relative error of the analytic gradient of actor + critic loss against central
 * differences with step eps, over every parameter of network net. */
static double fd_error(et_agent *agent, int net, float eps)
{
    et_error err;
    double al, cl;
    CU_ASSERT_EQUAL_FATAL(et_hmppo_batch_loss(agent, 1, &al, &cl, NULL, &err), ET_OK);
    size_t n;
    float *p = et_hmppo_network_params(agent, net, &n);
    const float *g = et_hmppo_network_grads(agent, net, &n);
    double *analytic = malloc(n * sizeof *analytic);
    CU_ASSERT_PTR_NOT_NULL_FATAL(analytic);
    for (size_t k = 0; k < n; k++)
        analytic[k] = g[k];
    double diff = 0.0, ref = 0.0;
    for (size_t k = 0; k < n; k++) {
        float saved = p[k];
        double lp, lm, a1, c1;
        p[k] = saved + eps;
        et_hmppo_batch_loss(agent, 0, &a1, &c1, NULL, &err);
        lp = a1 + c1;
        p[k] = saved - eps;
        et_hmppo_batch_loss(agent, 0, &a1, &c1, NULL, &err);
        lm = a1 + c1;
        p[k] = saved;
        /* The step actually taken in float, not the nominal eps. */
        double h = ((double)(saved + eps) - (double)(saved - eps));
        double fd = (lp - lm) / h;
        diff = fmax(diff, fabs(fd - analytic[k]));
        ref = fmax(ref, fabs(analytic[k]));
    }
    free(analytic);
    CU_ASSERT(ref > 1e-4); /* a gradient that is all zeros would pass trivially */
    return diff / ref;
}

/* Tolerance: the errors measured are 1e-5 to 1e-4 (float32 networks, float steps). Breaking
 * any one term (the keep entropy's sign, the softplus derivative, the surrogate's clip branch,
 * the value clip's flat branch) was checked to give 1e-2 to 0.6. */
#define FD_TOL 1e-3

static void check_gradients(et_agent *agent, float eps_a, float eps_b)
{
    expect_mixed_clipping(agent);
    for (int net = 0; net < et_hmppo_network_count(agent); net++) {
        double ea = fd_error(agent, net, eps_a), eb = fd_error(agent, net, eps_b);
        if (ea > FD_TOL || eb > FD_TOL)
            fprintf(stderr, "\n  network %d: FD error %.2e (eps %g), %.2e (eps %g)\n", net, ea,
                    eps_a, eb, eps_b);
        CU_ASSERT(ea < FD_TOL);
        CU_ASSERT(eb < FD_TOL);
    }
}

/* The hybrid head, with every loss term switched on and time discounting. */
static et_hmppo_config fd_config(et_hmppo_variant variant, uint64_t seed)
{
    et_hmppo_config cfg = tiny_config(variant, seed);
    cfg.ent_loc = 0.05f;
    cfg.ent_keep = 0.03f;
    cfg.vf_coef = 0.7f;
    cfg.value_clip = 0.2f;
    cfg.time_scale_s = 2.0f;
    return cfg;
}

static void ppo_loss_gradient_matches_finite_differences_for_the_beta_head(void)
{
    et_agent *agent = agent_with_batch(fd_config(ET_HMPPO, 11), 0.1, 0.08);
    check_gradients(agent, 3e-3f, 1e-3f);
    et_hmppo_destroy(agent);
}

static void ppo_loss_gradient_matches_finite_differences_for_the_binned_head(void)
{
    et_agent *agent = agent_with_batch(fd_config(ET_MAPPO, 11), 0.1, 0.08);
    check_gradients(agent, 3e-3f, 1e-3f);
    et_hmppo_destroy(agent);
}

static void ppo_loss_gradient_matches_finite_differences_for_separate_ippo_actors(void)
{
    /* IPPO with one actor per UE: each actor's gradient comes from its own UE's rows only. */
    et_hmppo_config cfg = fd_config(ET_IPPO, 3);
    cfg.share_actor = 0;
    et_agent *agent = agent_with_batch(cfg, 0.2, 0.08);
    CU_ASSERT_EQUAL(et_hmppo_network_count(agent), 1 + T_UE);
    check_gradients(agent, 3e-3f, 1e-3f);
    et_hmppo_destroy(agent);
}

static void masked_keep_actions_give_the_keep_head_no_gradient(void)
{
    et_hmppo_config cfg = tiny_config(ET_HMPPO, 4);
    et_agent *agent = make_agent(&cfg);
    float obs[T_OBS] = {0.1f, -0.2f, 0.3f}, state[T_STATE] = {0};
    et_task_view task;
    memset(&task, 0, sizeof task);
    for (int t = 0; t < 4; t++) {
        task.ue = t % T_UE;
        et_obs_view view = {.task = &task, .obs = obs, .state = state, .state_dim = T_STATE};
        et_action a;
        et_error err;
        CU_ASSERT_EQUAL(agent->ops->decide(agent, &view, &a, &err), ET_OK);
        et_feedback fb = {.ue = task.ue, .reward = t, .done = t >= 2, .keep_effective = 0};
        agent->ops->feedback(agent, &fb);
    }
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_hmppo_prepare(agent, NULL, &err), ET_OK);
    double al, cl;
    CU_ASSERT_EQUAL_FATAL(et_hmppo_batch_loss(agent, 1, &al, &cl, NULL, &err), ET_OK);
    /* Output layer of the actor: W_2 (O, hidden) then b_2 (O); rows 2 and 3 are the Beta head. */
    size_t n;
    const float *g = et_hmppo_network_grads(agent, 1, &n);
    size_t w2 = n - (size_t)(4 * T_HIDDEN + 4), b2 = n - 4;
    double keep = 0.0, loc = 0.0;
    for (int j = 0; j < T_HIDDEN; j++) {
        loc += fabs(g[w2 + 0 * T_HIDDEN + j]) + fabs(g[w2 + 1 * T_HIDDEN + j]);
        keep += fabs(g[w2 + 2 * T_HIDDEN + j]) + fabs(g[w2 + 3 * T_HIDDEN + j]);
    }
    keep += fabs(g[b2 + 2]) + fabs(g[b2 + 3]);
    CU_ASSERT(loc > 0.0);
    CU_ASSERT_EQUAL(keep, 0.0);
    et_hmppo_destroy(agent);
}

/* ---- GAE ---------------------------------------------------------------------------------- */

static void gae_matches_hand_computed_advantages(void)
{
    /* r = 1, 2, 3; V = 0.5, 1, 1.5; the last step ends the episode; lambda 0.8.
     * Per decision, gamma 0.9:   A2 = 3 - 1.5 = 1.5
     *   A1 = (2 + 0.9 * 1.5 - 1) + 0.9 * 0.8 * 1.5 = 2.35 + 1.08 = 3.43
     *   A0 = (1 + 0.9 * 1 - 0.5) + 0.72 * 3.43 = 1.4 + 2.4696 = 3.8696 */
    const double r[3] = {1, 2, 3}, v[3] = {0.5, 1.0, 1.5};
    const int done[3] = {0, 0, 1};
    double g[3], adv[3], ret[3];
    for (int t = 0; t < 3; t++)
        g[t] = et_hmppo_discount(0.9, 123.0, 0.0); /* time_scale 0: per decision */
    et_hmppo_gae(3, r, v, done, g, 0.8, 99.0, adv, ret);
    const double want[3] = {3.8696, 3.43, 1.5};
    for (int t = 0; t < 3; t++) {
        CU_ASSERT_DOUBLE_EQUAL(adv[t], want[t], 1e-12);
        CU_ASSERT_DOUBLE_EQUAL(ret[t], want[t] + v[t], 1e-12);
    }
    /* By simulated time, scale 2 s, elapsed 1, 4, 0.5 s: g = 0.9^0.5, 0.81, 0.9^0.25.
     *   A2 = 1.5;  A1 = (2 + 0.81 * 1.5 - 1) + 0.81 * 0.8 * 1.5 = 2.215 + 0.972 = 3.187
     *   A0 = (1 + 0.948683298 - 0.5) + 0.948683298 * 0.8 * 3.187 = 3.867446234760104 */
    const double elapsed[3] = {1.0, 4.0, 0.5};
    for (int t = 0; t < 3; t++)
        g[t] = et_hmppo_discount(0.9, elapsed[t], 2.0);
    CU_ASSERT_DOUBLE_EQUAL(g[1], 0.81, 1e-12);
    et_hmppo_gae(3, r, v, done, g, 0.8, 99.0, adv, ret);
    const double want_t[3] = {3.867446234760104, 3.187, 1.5};
    for (int t = 0; t < 3; t++)
        CU_ASSERT_DOUBLE_EQUAL(adv[t], want_t[t], 1e-12);
    /* A trajectory cut without done bootstraps from last_value: A2 = 3 + 0.9 * 2 - 1.5. */
    const int open[3] = {0, 0, 0};
    for (int t = 0; t < 3; t++)
        g[t] = 0.9;
    et_hmppo_gae(3, r, v, open, g, 0.8, 2.0, adv, ret);
    CU_ASSERT_DOUBLE_EQUAL(adv[2], 3.3, 1e-12);
}

static void agent_runs_gae_over_each_ues_own_decisions(void)
{
    /* Two UEs decide alternately; each UE's advantages must be the GAE of its own sequence. */
    et_hmppo_config cfg = tiny_config(ET_HMPPO, 8);
    cfg.time_scale_s = 1.5f;
    et_agent *agent = make_agent(&cfg);
    et_rng env;
    et_rng_seed(&env, 7, 0);
    /* run_episode draws elapsed_s from env; replay its stream to know the rewards is awkward,
     * so feed by hand here. */
    float obs[T_OBS] = {0.2f, 0.1f, -0.3f}, state[T_STATE] = {0};
    et_task_view task;
    memset(&task, 0, sizeof task);
    double reward[T_UE][3], elapsed[T_UE][3];
    for (int t = 0; t < 3; t++)
        for (int u = 0; u < T_UE; u++) {
            task.ue = u;
            obs[0] = (float)(t - u);
            state[0] = (float)(t + u);
            et_obs_view view = {.task = &task, .obs = obs, .state = state, .state_dim = T_STATE};
            et_action a;
            et_error err;
            CU_ASSERT_EQUAL(agent->ops->decide(agent, &view, &a, &err), ET_OK);
            reward[u][t] = et_rng_range(&env, -1, 1);
            elapsed[u][t] = et_rng_range(&env, 0.1, 3);
            et_feedback fb = {.ue = u,
                              .reward = reward[u][t],
                              .done = t == 2,
                              .keep_effective = 1,
                              .elapsed_s = elapsed[u][t]};
            agent->ops->feedback(agent, &fb);
        }
    CU_ASSERT_EQUAL(et_hmppo_pending(agent), 6);
    et_hmppo_batch b;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_hmppo_prepare(agent, &b, &err), ET_OK);
    CU_ASSERT_EQUAL_FATAL(b.n, 6);
    for (int u = 0; u < T_UE; u++) {
        /* Recording order is t-major: row 2 t + u. */
        double v[3], g[3], adv[3], ret[3];
        const int done[3] = {0, 0, 1};
        for (int t = 0; t < 3; t++) {
            v[t] = b.value[2 * t + u];
            g[t] = et_hmppo_discount(cfg.gamma, (float)elapsed[u][t], cfg.time_scale_s);
        }
        double r[3] = {(float)reward[u][0], (float)reward[u][1], (float)reward[u][2]};
        et_hmppo_gae(3, r, v, done, g, cfg.lambda, 0.0, adv, ret);
        for (int t = 0; t < 3; t++) {
            CU_ASSERT_DOUBLE_EQUAL(b.advantage[2 * t + u], adv[t], 1e-5);
            CU_ASSERT_DOUBLE_EQUAL(b.ret[2 * t + u], ret[t], 1e-5);
        }
    }
    et_hmppo_destroy(agent);
}

static void incomplete_trajectories_are_not_trained_on(void)
{
    et_hmppo_config cfg = tiny_config(ET_HMPPO, 9);
    et_agent *agent = make_agent(&cfg);
    et_rng env;
    et_rng_seed(&env, 9, 0);
    CU_ASSERT_EQUAL(run_episode(agent, &env, 0, 3, NULL), 0);
    /* A second episode cut short: UE 0 decides twice, never reaches done. */
    float obs[T_OBS] = {0}, state[T_STATE] = {0};
    et_task_view task;
    memset(&task, 0, sizeof task);
    agent->ops->episode_begin(agent, 1, T_UE, 1);
    for (int t = 0; t < 2; t++) {
        et_obs_view view = {.task = &task, .obs = obs, .state = state, .state_dim = T_STATE};
        et_action a;
        et_error err;
        CU_ASSERT_EQUAL(agent->ops->decide(agent, &view, &a, &err), ET_OK);
        et_feedback fb = {.ue = 0, .reward = 1.0, .done = 0, .keep_effective = 1};
        agent->ops->feedback(agent, &fb);
    }
    CU_ASSERT_EQUAL(et_hmppo_pending(agent), 3 * T_UE);
    CU_ASSERT_EQUAL(et_hmppo_recorded(agent), 3 * T_UE + 2);
    et_hmppo_stats s;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_hmppo_update(agent, 0, 0, &s, &err), ET_OK);
    CU_ASSERT_EQUAL(s.transitions, 3 * T_UE);
    CU_ASSERT_EQUAL(s.discarded, 2);
    CU_ASSERT_EQUAL(s.minibatch_steps, cfg.epochs * cfg.minibatches);
    CU_ASSERT_EQUAL(et_hmppo_recorded(agent), 0);
    et_hmppo_destroy(agent);
}

/* ---- checkpoints -------------------------------------------------------------------------- */

typedef struct test_blob {
    int episodes;
    double note;
} test_blob;

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static int params_equal(et_agent *a, et_agent *b)
{
    if (et_hmppo_network_count(a) != et_hmppo_network_count(b)) return 0;
    for (int net = 0; net < et_hmppo_network_count(a); net++) {
        size_t na, nb;
        const float *pa = et_hmppo_network_params(a, net, &na);
        const float *pb = et_hmppo_network_params(b, net, &nb);
        if (na != nb || memcmp(pa, pb, na * sizeof *pa) != 0) return 0;
    }
    return 1;
}

/* Saves cfg's agent after one update, loads it, and checks that both continue alike. */
static void round_trip(const et_hmppo_config *cfg_in, const char *dir_name)
{
    const char *dir = et_test_tmpdir(dir_name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s/agent.ckpt", dir);
    et_outputs_tmp_name(path, tmp, sizeof tmp); /* the save's temporary (trace.h) */

    et_hmppo_config cfg = *cfg_in;
    et_agent *a = make_agent(&cfg);
    et_rng env;
    et_rng_seed(&env, 21, 0);
    et_error err;
    et_hmppo_stats s;
    CU_ASSERT_EQUAL(run_episode(a, &env, 0, 5, NULL), 0);
    /* A save with transitions waiting is refused: they are not part of the checkpoint. */
    CU_ASSERT_NOT_EQUAL(et_hmppo_save(a, path, NULL, 0, &err), ET_OK);
    CU_ASSERT_EQUAL_FATAL(et_hmppo_update(a, 0, 4, &s, &err), ET_OK);

    test_blob blob = {.episodes = 1, .note = 3.25};
    CU_ASSERT_EQUAL_FATAL(et_hmppo_save(a, path, &blob, sizeof blob, &err), ET_OK);
    CU_ASSERT(file_exists(path));
    CU_ASSERT(!file_exists(tmp));

    et_agent *b = NULL;
    test_blob got;
    memset(&got, 0, sizeof got);
    et_status st = et_hmppo_load(path, &b, &got, sizeof got, &err);
    if (st != ET_OK) fprintf(stderr, "load: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(st, ET_OK);
    CU_ASSERT_EQUAL(got.episodes, 1);
    CU_ASSERT_EQUAL(got.note, 3.25);
    CU_ASSERT(memcmp(et_hmppo_get_config(a), et_hmppo_get_config(b), sizeof cfg) == 0);
    CU_ASSERT_STRING_EQUAL(b->ops->name, "hmppo");
    CU_ASSERT(params_equal(a, b));

    /* Both continue on the same environment stream: same decisions, same updates. */
    for (int ep = 1; ep <= 3; ep++) {
        et_rng env_b = env;
        et_action acts_a[5 * T_UE], acts_b[5 * T_UE];
        CU_ASSERT_EQUAL(run_episode(a, &env, ep, 5, acts_a), 0);
        CU_ASSERT_EQUAL(run_episode(b, &env_b, ep, 5, acts_b), 0);
        for (int k = 0; k < 5 * T_UE; k++) {
            CU_ASSERT_EQUAL(acts_a[k].location, acts_b[k].location);
            CU_ASSERT_EQUAL(acts_a[k].keep, acts_b[k].keep);
        }
        et_hmppo_stats sa, sb;
        CU_ASSERT_EQUAL_FATAL(et_hmppo_update(a, ep, 4, &sa, &err), ET_OK);
        CU_ASSERT_EQUAL_FATAL(et_hmppo_update(b, ep, 4, &sb, &err), ET_OK);
        CU_ASSERT(params_equal(a, b));
        CU_ASSERT_EQUAL(sa.policy_loss, sb.policy_loss);
    }
    /* A blob of the wrong size is refused. */
    et_agent *c = NULL;
    char small;
    CU_ASSERT_EQUAL(et_hmppo_load(path, &c, &small, 1, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NULL(c);
    et_hmppo_destroy(a);
    et_hmppo_destroy(b);
}

static void checkpoint_round_trip_resumes_bit_identically(void)
{
    et_hmppo_config cfg = tiny_config(ET_HMPPO, 21);
    cfg.lr_anneal = 1;
    round_trip(&cfg, "hmppo_ckpt");
    /* The learner options whose state or schedule a checkpoint must carry: the per-UE value
     * normalisers, the location head's entropy schedule, the agent-specific critic input. */
    cfg.value_norm_per_ue = 1;
    cfg.ent_loc = 0.05f;
    cfg.ent_loc_end = 0.001f;
    cfg.critic_own_obs = 1;
    round_trip(&cfg, "hmppo_ckpt_options");
}

/* Writes n bytes of data to path. */
static void write_bytes(const char *path, const unsigned char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* Loads path and expects ET_ERR_INPUT with the path and `what` in the message. */
static void expect_rejected(const char *path, const char *what)
{
    et_agent *agent = NULL;
    et_error err;
    et_error_clear(&err);
    et_status st = et_hmppo_load(path, &agent, NULL, 0, &err);
    CU_ASSERT_EQUAL(st, ET_ERR_INPUT);
    CU_ASSERT_PTR_NULL(agent);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path));
    if (!strstr(err.msg, what)) fprintf(stderr, "\n  expected '%s' in: %s\n", what, err.msg);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, what));
}

static void damaged_checkpoints_are_rejected_naming_the_file(void)
{
    const char *dir = et_test_tmpdir("hmppo_bad_ckpt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    char good[4200], bad[4200];
    snprintf(good, sizeof good, "%s/good.ckpt", dir);
    snprintf(bad, sizeof bad, "%s/bad.ckpt", dir);
    et_hmppo_config cfg = tiny_config(ET_MAPPO, 2);
    et_agent *a = make_agent(&cfg);
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_hmppo_save(a, good, "xyz", 3, &err), ET_OK);
    et_hmppo_destroy(a);

    FILE *f = fopen(good, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    unsigned char data[1 << 16];
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    CU_ASSERT_FATAL(n > 200 && n < sizeof data);

    /* The intact file loads, with or without a blob buffer. */
    et_agent *ok = NULL;
    char blob[3];
    CU_ASSERT_EQUAL(et_hmppo_load(good, &ok, blob, 3, &err), ET_OK);
    CU_ASSERT(memcmp(blob, "xyz", 3) == 0);
    CU_ASSERT_STRING_EQUAL(ok->ops->name, "mappo");
    et_hmppo_destroy(ok);

    write_bytes(bad, data, 100);
    expect_rejected(bad, "truncated (expected");
    write_bytes(bad, data, 12);
    expect_rejected(bad, "truncated (expected at least");

    unsigned char flipped[1 << 16];
    memcpy(flipped, data, n);
    flipped[n / 2] ^= 0x10;
    write_bytes(bad, flipped, n);
    expect_rejected(bad, "checksum mismatch");

    memcpy(flipped, data, n);
    flipped[n - 1] ^= 0x01; /* the checksum itself */
    write_bytes(bad, flipped, n);
    expect_rejected(bad, "checksum mismatch");

    memcpy(flipped, data, n);
    flipped[0] = 'X';
    write_bytes(bad, flipped, n);
    expect_rejected(bad, "not an edgetune checkpoint");

    memcpy(flipped, data, n);
    int version = (unsigned char)data[8]; /* format version, little-endian u32 */
    flipped[8] = (char)(version + 1);
    write_bytes(bad, flipped, n);
    char want[64];
    snprintf(want, sizeof want, "format version %d, this build reads %d", version + 1, version);
    expect_rejected(bad, want);

    et_agent *none = NULL;
    char missing[4300];
    snprintf(missing, sizeof missing, "%s/missing.ckpt", dir);
    CU_ASSERT_EQUAL(et_hmppo_load(missing, &none, NULL, 0, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, missing));
}

/* ---- cart-pole ---------------------------------------------------------------------------- */

static void cartpole_physics_matches_a_hand_step(void)
{
    /* From rest and upright, pushing right: temp = 10 / 1.1, theta_acc = -cos * temp /
     * (0.5 (4/3 - 0.1 / 1.1)), x_acc = temp - 0.05 theta_acc / 1.1; Euler moves velocities only. */
    et_cartpole env;
    et_cartpole_seed(&env, 1);
    float obs[4];
    et_cartpole_reset(&env, obs);
    for (int k = 0; k < 4; k++)
        CU_ASSERT(fabs(obs[k]) <= 0.05f);
    env.x = env.x_dot = env.theta = env.theta_dot = 0.0;
    int term, trunc;
    CU_ASSERT_EQUAL(et_cartpole_step(&env, 1, obs, &term, &trunc), 1.0);
    double temp = 10.0 / 1.1, theta_acc = -temp / (0.5 * (4.0 / 3.0 - 0.1 / 1.1));
    double x_acc = temp - 0.05 * theta_acc / 1.1;
    CU_ASSERT_DOUBLE_EQUAL(env.x, 0.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(env.x_dot, 0.02 * x_acc, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(env.theta_dot, 0.02 * theta_acc, 1e-12);
    CU_ASSERT(!term && !trunc);
    /* Pushing one way only drops the pole within a few dozen steps. */
    int steps = 1;
    while (!term && steps < 500) {
        et_cartpole_step(&env, 1, obs, &term, &trunc);
        steps++;
    }
    CU_ASSERT(term);
    CU_ASSERT(steps < 60);
}

static void same_seed_trains_identically_and_another_seed_differs(void)
{
    et_cartpole_options opt;
    et_cartpole_options_default(&opt);
    opt.total_steps = 6000;
    opt.seed = 7;
    et_cartpole_result r1, r2, r3;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_cartpole_train(&opt, &r1, &err), ET_OK);
    CU_ASSERT_EQUAL_FATAL(et_cartpole_train(&opt, &r2, &err), ET_OK);
    opt.seed = 8;
    CU_ASSERT_EQUAL_FATAL(et_cartpole_train(&opt, &r3, &err), ET_OK);
    CU_ASSERT(r1.updates > 3);
    CU_ASSERT_EQUAL(r1.params_fnv1a, r2.params_fnv1a);
    CU_ASSERT_EQUAL(r1.episodes, r2.episodes);
    CU_ASSERT_EQUAL(r1.final_mean100, r2.final_mean100);
    CU_ASSERT_NOT_EQUAL(r1.params_fnv1a, r3.params_fnv1a);
}

static void short_cartpole_training_raises_the_mean_return(void)
{
    /* A random policy balances for about 22 steps. 30,000 steps at CleanRL's learning rate,
     * held constant, take the mean of the last 100 episodes past 200 on seeds 1-4 (measured;
     * docs/hmppo.md); the test asks for half of that. */
    et_cartpole_options opt;
    et_cartpole_options_default(&opt);
    opt.total_steps = 30000;
    opt.lr_anneal = 0;
    et_cartpole_result r;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_cartpole_train(&opt, &r, &err), ET_OK);
    CU_ASSERT(r.first_mean100 < 40.0);
    CU_ASSERT(r.final_mean100 > 100.0);
    CU_ASSERT(r.final_mean100 > 4.0 * r.first_mean100);
}

/* ---- modes and errors --------------------------------------------------------------------- */

static void evaluation_mode_is_deterministic_and_records_nothing(void)
{
    et_hmppo_config cfg = tiny_config(ET_HMPPO, 31);
    et_agent *a = make_agent(&cfg), *ref = make_agent(&cfg);
    float obs[T_OBS] = {0.3f, -0.7f, 0.1f}, state[T_STATE] = {0};
    et_task_view task;
    memset(&task, 0, sizeof task);
    task.ue = 1;
    et_obs_view view = {.task = &task, .obs = obs, .state = state, .state_dim = T_STATE};
    et_error err;

    et_hmppo_set_training(a, 0);
    et_action first, again;
    CU_ASSERT_EQUAL(a->ops->decide(a, &view, &first, &err), ET_OK);
    for (int k = 0; k < 5; k++) {
        CU_ASSERT_EQUAL(a->ops->decide(a, &view, &again, &err), ET_OK);
        CU_ASSERT_EQUAL(again.location, first.location);
        CU_ASSERT_EQUAL(again.keep, first.keep);
        et_feedback fb = {.ue = 1, .reward = 1.0, .done = 1, .keep_effective = 1};
        a->ops->feedback(a, &fb);
    }
    /* The keep is the Beta mean mapped to [k_min, 1]; near-uniform initial heads give ~0.5. */
    CU_ASSERT(first.keep > cfg.k_min && first.keep < 1.0);
    CU_ASSERT_DOUBLE_EQUAL(first.keep, cfg.k_min + (1.0 - cfg.k_min) * 0.5, 0.05);
    CU_ASSERT_EQUAL(et_hmppo_recorded(a), 0);
    CU_ASSERT_EQUAL(et_hmppo_pending(a), 0);

    /* Evaluation drew nothing from the sampling streams: back in training, the agent samples
     * exactly what an agent that never evaluated samples. */
    et_hmppo_set_training(a, 1);
    for (int k = 0; k < 5; k++) {
        et_action x, y;
        CU_ASSERT_EQUAL(a->ops->decide(a, &view, &x, &err), ET_OK);
        CU_ASSERT_EQUAL(ref->ops->decide(ref, &view, &y, &err), ET_OK);
        CU_ASSERT_EQUAL(x.location, y.location);
        CU_ASSERT_EQUAL(x.keep, y.keep);
        et_feedback fb = {.ue = 1, .reward = 0.0, .done = 0, .keep_effective = 1};
        a->ops->feedback(a, &fb);
        ref->ops->feedback(ref, &fb);
    }
    CU_ASSERT_EQUAL(et_hmppo_recorded(a), 5);
    et_hmppo_destroy(a);
    et_hmppo_destroy(ref);
}

static void full_buffer_and_bad_inputs_are_errors_not_crashes(void)
{
    et_hmppo_config cfg = tiny_config(ET_HMPPO, 1);
    cfg.capacity = 3;
    cfg.minibatches = 1;
    et_agent *a = make_agent(&cfg);
    float obs[T_OBS] = {0}, state[T_STATE] = {0};
    et_task_view task;
    memset(&task, 0, sizeof task);
    et_obs_view view = {.task = &task, .obs = obs, .state = state, .state_dim = T_STATE};
    et_action act;
    et_error err;
    for (int k = 0; k < 3; k++) {
        CU_ASSERT_EQUAL(a->ops->decide(a, &view, &act, &err), ET_OK);
        /* A second decide before the feedback breaks the one-task-at-a-time contract. */
        if (k == 0) CU_ASSERT_EQUAL(a->ops->decide(a, &view, &act, &err), ET_ERR_INTERNAL);
        et_feedback fb = {.ue = 0, .reward = 1.0, .done = 0, .keep_effective = 1};
        a->ops->feedback(a, &fb);
    }
    CU_ASSERT_EQUAL(a->ops->decide(a, &view, &act, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "capacity 3"));

    /* A state of the wrong size is refused in training; evaluation runs the actor only. */
    view.state_dim = T_STATE - 1;
    CU_ASSERT_EQUAL(a->ops->decide(a, &view, &act, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "global state has 7 entries, the agent expects 8"));
    et_hmppo_set_training(a, 0);
    CU_ASSERT_EQUAL(a->ops->decide(a, &view, &act, &err), ET_OK);
    view.state = NULL;
    CU_ASSERT_EQUAL(a->ops->decide(a, &view, &act, &err), ET_OK);
    view.state = state;
    view.state_dim = T_STATE;
    obs[1] = NAN;
    CU_ASSERT_EQUAL(a->ops->decide(a, &view, &act, &err), ET_ERR_INPUT);
    et_hmppo_destroy(a);

    /* A zeroed config (not started from the defaults) is refused, with the hint. */
    et_hmppo_config zero;
    memset(&zero, 0, sizeof zero);
    zero.hidden = 8;
    zero.n_ue = 1;
    zero.obs_dim = zero.state_dim = 4;
    zero.capacity = 10;
    zero.epochs = zero.minibatches = 1;
    zero.clip = 0.2f;
    et_agent *z = NULL;
    CU_ASSERT_EQUAL(et_hmppo_create(&zero, &z, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NULL(z);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "et_hmppo_config_default"));
    cfg = tiny_config(ET_MAPPO, 1);
    cfg.keep_bins = 1;
    CU_ASSERT_EQUAL(et_hmppo_create(&cfg, &z, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "keep_bins"));
}

static void training_on_the_synthetic_task_learns_the_keep_fraction(void)
{
    /* The synthetic reward peaks at keep 0.7 and SERVER: after some updates, greedy decisions
     * move there (a check that the Beta head learns, end to end). */
    et_hmppo_config cfg = tiny_config(ET_HMPPO, 41);
    cfg.hidden = 16;
    cfg.capacity = 2 * 16 * T_UE;
    cfg.epochs = 5;
    cfg.lr_actor = cfg.lr_critic = 3e-3f;
    et_agent *a = make_agent(&cfg);
    et_rng env;
    et_rng_seed(&env, 41, 0);
    et_error err;
    et_hmppo_stats s;
    for (int ep = 0; ep < 150; ep++) {
        CU_ASSERT_EQUAL(run_episode(a, &env, ep, 16, NULL), 0);
        CU_ASSERT_EQUAL_FATAL(et_hmppo_update(a, ep, 0, &s, &err), ET_OK);
    }
    et_hmppo_set_training(a, 0);
    et_action acts[16 * T_UE];
    CU_ASSERT_EQUAL(run_episode(a, &env, 1000, 16, acts), 0);
    double keep = 0.0;
    int server = 0;
    for (int k = 0; k < 16 * T_UE; k++) {
        keep += acts[k].keep / (16 * T_UE);
        server += acts[k].location == ET_LOCATION_SERVER;
    }
    CU_ASSERT(server == 16 * T_UE);
    CU_ASSERT_DOUBLE_EQUAL(keep, 0.7, 0.08);
    et_hmppo_destroy(a);
}

/* ---- data parallel ------------------------------------------------------------------------ */

/* Two ranks as two threads: allgather through shared slots and a barrier. */
typedef struct thread_world {
    pthread_barrier_t barrier;
    const void *in[2];
} thread_world;

typedef struct thread_rank {
    thread_world *world;
    int rank;
    et_collective comm;
    et_agent *agent;
    int episode;
    double *first_sum; /* the first exchange of the gradient size, as summed (rank 0 records) */
    size_t first_len, grad_len;
    et_status st;
} thread_rank;

static et_status thread_allgather(void *ctx, const void *in, void *out, size_t bytes, et_error *err)
{
    (void)err;
    thread_rank *t = ctx;
    t->world->in[t->rank] = in;
    pthread_barrier_wait(&t->world->barrier);
    for (int r = 0; r < 2; r++)
        memcpy((char *)out + (size_t)r * bytes, t->world->in[r], bytes);
    pthread_barrier_wait(&t->world->barrier);
    return ET_OK;
}

static et_status recording_sum(void *ctx, double *buf, size_t n, et_error *err)
{
    thread_rank *t = ctx;
    et_status st = et_collective_sum(&t->comm, buf, n, err);
    if (st == ET_OK && t->first_sum && !t->first_len && n == t->grad_len) {
        memcpy(t->first_sum, buf, n * sizeof *buf);
        t->first_len = n;
    }
    return st;
}

static void *thread_update(void *arg)
{
    thread_rank *t = arg;
    et_error err;
    t->st = et_hmppo_set_data_parallel(t->agent, 2, recording_sum, t, &err);
    if (t->st == ET_OK) t->st = et_hmppo_update(t->agent, 0, 1, NULL, &err);
    return NULL;
}

/* A DP config: one minibatch and one epoch, so that the first exchange is the gradient of
 * each rank's whole batch; value normalisation off, so the critic's targets are the ranks'
 * own. */
static et_hmppo_config dp_config(void)
{
    et_hmppo_config cfg = tiny_config(ET_HMPPO, 11);
    cfg.minibatches = 1;
    cfg.epochs = 2;
    cfg.value_norm = 0;
    return cfg;
}

/* Gradient of the agent's whole batch after one episode, alone (no exchange). */
static double *batch_gradient(int episode, size_t *len)
{
    et_hmppo_config cfg = dp_config();
    et_agent *agent = make_agent(&cfg);
    et_rng env;
    et_rng_seed(&env, 5, (uint64_t)episode);
    run_episode(agent, &env, episode, 8, NULL);
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_hmppo_prepare(agent, NULL, &err), ET_OK);
    double al, cl;
    CU_ASSERT_EQUAL_FATAL(et_hmppo_batch_loss(agent, 1, &al, &cl, NULL, &err), ET_OK);
    size_t total = 0;
    for (int net = 0; net < et_hmppo_network_count(agent); net++) {
        size_t n;
        et_hmppo_network_grads(agent, net, &n);
        total += n;
    }
    double *g = malloc(total * sizeof *g);
    size_t k = 0;
    for (int net = 0; net < et_hmppo_network_count(agent); net++) {
        size_t n;
        const float *x = et_hmppo_network_grads(agent, net, &n);
        for (size_t i = 0; i < n; i++)
            g[k++] = x[i];
    }
    *len = total;
    et_agent_destroy(agent);
    return g;
}

static void data_parallel_update_averages_the_ranks_gradients(void)
{
    size_t len0, len1;
    double *g0 = batch_gradient(0, &len0), *g1 = batch_gradient(1, &len1);
    CU_ASSERT_EQUAL_FATAL(len0, len1);

    thread_world world;
    pthread_barrier_init(&world.barrier, NULL, 2);
    thread_rank ranks[2];
    memset(ranks, 0, sizeof ranks);
    et_hmppo_config cfg = dp_config();
    for (int r = 0; r < 2; r++) {
        thread_rank *t = &ranks[r];
        t->world = &world;
        t->rank = r;
        t->comm = (et_collective){.rank = r, .size = 2, .ctx = t, .allgather = thread_allgather};
        t->agent = make_agent(&cfg);
        et_rng env;
        et_rng_seed(&env, 5, (uint64_t)r);
        run_episode(t->agent, &env, r, 8, NULL);
        /* The exchange: every gradient, one row count per actor and the minibatch size. */
        t->grad_len = len0 + (size_t)(et_hmppo_network_count(t->agent) - 1) + 1;
    }
    ranks[0].first_sum = malloc(ranks[0].grad_len * sizeof(double));
    pthread_t th[2];
    for (int r = 0; r < 2; r++)
        pthread_create(&th[r], NULL, thread_update, &ranks[r]);
    for (int r = 0; r < 2; r++)
        pthread_join(th[r], NULL);
    CU_ASSERT_EQUAL(ranks[0].st, ET_OK);
    CU_ASSERT_EQUAL(ranks[1].st, ET_OK);

    /* The exchanged sum is the sum of the gradients each rank computes alone (up to the order
     * of float additions inside a minibatch: rows are shuffled), and the row counts add up. */
    CU_ASSERT_EQUAL_FATAL(ranks[0].first_len, ranks[0].grad_len);
    double diff = 0.0, ref = 0.0;
    for (size_t i = 0; i < len0; i++) {
        diff = fmax(diff, fabs(ranks[0].first_sum[i] - (g0[i] + g1[i])));
        ref = fmax(ref, fabs(g0[i] + g1[i]));
    }
    CU_ASSERT(ref > 1e-4);
    CU_ASSERT(diff <= 1e-5 * ref);
    CU_ASSERT_EQUAL(ranks[0].first_sum[ranks[0].grad_len - 1], 2 * 8 * T_UE);
    /* Both replicas took the same steps: identical parameters, bit for bit. */
    CU_ASSERT(params_equal(ranks[0].agent, ranks[1].agent));
    /* And not the parameters either rank would have alone. */
    et_agent *alone = make_agent(&cfg);
    et_rng env;
    et_rng_seed(&env, 5, 0);
    run_episode(alone, &env, 0, 8, NULL);
    et_error err;
    CU_ASSERT_EQUAL(et_hmppo_update(alone, 0, 1, NULL, &err), ET_OK);
    CU_ASSERT(!params_equal(alone, ranks[0].agent));

    et_agent_destroy(alone);
    for (int r = 0; r < 2; r++) {
        et_agent_destroy(ranks[r].agent);
        et_collective_clear(&ranks[r].comm);
    }
    free(ranks[0].first_sum);
    free(g0);
    free(g1);
    pthread_barrier_destroy(&world.barrier);
}

/* ---- learner options: critic input, per-UE value normalisation, entropy schedule --------- */

/* The critic's input width S from its parameter count: S H + H + H H + H + H + 1. */
static int critic_input_width(et_agent *agent, int hidden)
{
    size_t n = 0;
    et_hmppo_network_params(agent, 0, &n);
    return (int)(((long)n - 1 - 3L * hidden - (long)hidden * hidden) / hidden);
}

static void critic_input_is_the_agent_specific_state_when_asked(void)
{
    /* Global state + one-hot id (HMPPO); own observation + global state + one-hot id with
     * critic_own_obs; IPPO's own observation + one-hot id, with or without the option. */
    et_hmppo_config cfg = tiny_config(ET_HMPPO, 3);
    et_agent *a = make_agent(&cfg);
    CU_ASSERT_EQUAL(critic_input_width(a, T_HIDDEN), T_STATE + T_UE);
    et_hmppo_destroy(a);
    cfg.critic_own_obs = 1;
    a = make_agent(&cfg);
    CU_ASSERT_EQUAL(critic_input_width(a, T_HIDDEN), T_OBS + T_STATE + T_UE);
    et_hmppo_destroy(a);
    cfg.variant = ET_IPPO;
    a = make_agent(&cfg);
    CU_ASSERT_EQUAL(critic_input_width(a, T_HIDDEN), T_OBS + T_UE);
    et_hmppo_destroy(a);
}

/* One episode of `steps` tasks per UE with a constant observation, where UE u's reward is
 * offset[u] plus a little noise from env. */
static void run_offset_episode(et_agent *agent, et_rng *env, int steps, const double *offset)
{
    float obs[T_OBS] = {0.1f, -0.2f, 0.3f}, state[T_STATE] = {0};
    et_task_view task;
    memset(&task, 0, sizeof task);
    task.n_ue = T_UE;
    task.tasks_per_ue = steps;
    agent->ops->episode_begin(agent, 0, T_UE, 0);
    for (int t = 0; t < steps; t++)
        for (int u = 0; u < T_UE; u++) {
            task.ue = u;
            task.task_index = t;
            et_obs_view view = {.task = &task, .obs = obs, .state = state, .state_dim = T_STATE};
            et_action a;
            et_error err;
            CU_ASSERT_EQUAL(agent->ops->decide(agent, &view, &a, &err), ET_OK);
            et_feedback fb = {.ue = u,
                              .reward = offset[u] + et_rng_range(env, -0.5, 0.5),
                              .done = t == steps - 1,
                              .keep_effective = 1,
                              .elapsed_s = 1.0};
            agent->ops->feedback(agent, &fb);
        }
    agent->ops->episode_end(agent);
}

/* Mean and std (variance floored at 1e-2) of the batch's returns of UE u (every UE when
 * u < 0); rows are t-major, row 2 t + u. */
static void batch_return_stats(const et_hmppo_batch *b, int u, double *mean, double *std)
{
    double s = 0.0, s2 = 0.0;
    int n = 0;
    for (int p = 0; p < b->n; p++) {
        if (u >= 0 && p % T_UE != u) continue;
        s += b->ret[p];
        s2 += (double)b->ret[p] * b->ret[p];
        n++;
    }
    *mean = s / n;
    double var = s2 / n - *mean * *mean;
    *std = sqrt(var > 1e-2 ? var : 1e-2);
}

static void per_ue_value_normalisation_keeps_one_mean_and_std_per_ue(void)
{
    /* UE 0 earns about +2 per task, UE 1 about -30. After one update the (debiased)
     * normaliser holds exactly the batch's moments: per UE with value_norm_per_ue, one
     * shared pair for both UEs without it. */
    const double offset[T_UE] = {2.0, -30.0};
    for (int per_ue = 0; per_ue <= 1; per_ue++) {
        et_hmppo_config cfg = tiny_config(ET_HMPPO, 17);
        cfg.value_norm_per_ue = per_ue;
        et_agent *agent = make_agent(&cfg);
        double m, sd;
        et_hmppo_value_norm_stats(agent, 1, &m, &sd);
        CU_ASSERT(m == 0.0 && sd == 1.0); /* the identity before any update */
        et_rng env;
        et_rng_seed(&env, 17, 0);
        run_offset_episode(agent, &env, 6, offset);
        et_hmppo_batch b;
        et_error err;
        CU_ASSERT_EQUAL_FATAL(et_hmppo_prepare(agent, &b, &err), ET_OK);
        CU_ASSERT_EQUAL_FATAL(b.n, 6 * T_UE);
        for (int u = 0; u < T_UE; u++) {
            double want_m, want_sd;
            batch_return_stats(&b, per_ue ? u : -1, &want_m, &want_sd);
            et_hmppo_value_norm_stats(agent, u, &m, &sd);
            CU_ASSERT_DOUBLE_EQUAL(m, want_m, 1e-6 * (1.0 + fabs(want_m)));
            CU_ASSERT_DOUBLE_EQUAL(sd, want_sd, 1e-6 * (1.0 + want_sd));
        }
        double m0, s0, m1, s1;
        et_hmppo_value_norm_stats(agent, 0, &m0, &s0);
        et_hmppo_value_norm_stats(agent, 1, &m1, &s1);
        if (per_ue) {
            CU_ASSERT(m0 > 0.0 && m1 < -50.0); /* each UE's own scale */
            CU_ASSERT(s0 < s1);
        } else {
            CU_ASSERT(m0 == m1 && s0 == s1);
        }
        /* The update trains on the same statistics and runs. */
        et_hmppo_stats st;
        CU_ASSERT_EQUAL(et_hmppo_update(agent, 0, 0, &st, &err), ET_OK);
        CU_ASSERT(isfinite(st.value_loss));
        et_hmppo_destroy(agent);
    }
}

static void entropy_schedule_moves_linearly_from_ent_loc_to_ent_loc_end(void)
{
    et_hmppo_config cfg = tiny_config(ET_HMPPO, 4);
    cfg.ent_loc = 0.05f;
    cfg.ent_loc_end = 0.01f;
    /* 3,000 episodes, one per update: update u follows episode u. */
    CU_ASSERT_DOUBLE_EQUAL(et_hmppo_ent_loc_at(&cfg, 0, 3000), 0.05, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(et_hmppo_ent_loc_at(&cfg, 1500, 3000), 0.03, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(et_hmppo_ent_loc_at(&cfg, 2250, 3000), 0.02, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(et_hmppo_ent_loc_at(&cfg, 3000, 3000), 0.01, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(et_hmppo_ent_loc_at(&cfg, 4000, 3000), 0.01, 1e-9); /* held */
    CU_ASSERT_DOUBLE_EQUAL(et_hmppo_ent_loc_at(&cfg, 10, 0), 0.05, 1e-9);      /* no total */
    cfg.ent_loc_end = -1.0f;                                                   /* no schedule */
    CU_ASSERT_EQUAL(et_hmppo_ent_loc_at(&cfg, 1500, 3000), (double)cfg.ent_loc);
    /* The update uses the schedule's value, and the loss moves with it. */
    cfg.ent_loc_end = 0.0f;
    et_agent *a = make_agent(&cfg);
    et_rng env;
    et_rng_seed(&env, 4, 0);
    CU_ASSERT_EQUAL(run_episode(a, &env, 0, 4, NULL), 0);
    et_hmppo_stats st;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_hmppo_update(a, 3, 4, &st, &err), ET_OK);
    CU_ASSERT_DOUBLE_EQUAL(st.ent_loc_coef, 0.0125, 1e-9);
    et_hmppo_destroy(a);
}

int main(void)
{
    static const et_test_case cases[] = {
        {"data-parallel update averages the ranks' gradients",
         data_parallel_update_averages_the_ranks_gradients},
        {"beta_log_prob_matches_hand_value_and_integrates_to_one",
         beta_log_prob_matches_hand_value_and_integrates_to_one},
        {"beta_entropy_matches_numerical_integration", beta_entropy_matches_numerical_integration},
        {"ppo_loss_gradient_matches_finite_differences_for_the_beta_head",
         ppo_loss_gradient_matches_finite_differences_for_the_beta_head},
        {"ppo_loss_gradient_matches_finite_differences_for_the_binned_head",
         ppo_loss_gradient_matches_finite_differences_for_the_binned_head},
        {"ppo_loss_gradient_matches_finite_differences_for_separate_ippo_actors",
         ppo_loss_gradient_matches_finite_differences_for_separate_ippo_actors},
        {"masked_keep_actions_give_the_keep_head_no_gradient",
         masked_keep_actions_give_the_keep_head_no_gradient},
        {"gae_matches_hand_computed_advantages", gae_matches_hand_computed_advantages},
        {"agent_runs_gae_over_each_ues_own_decisions", agent_runs_gae_over_each_ues_own_decisions},
        {"incomplete_trajectories_are_not_trained_on", incomplete_trajectories_are_not_trained_on},
        {"checkpoint_round_trip_resumes_bit_identically",
         checkpoint_round_trip_resumes_bit_identically},
        {"damaged_checkpoints_are_rejected_naming_the_file",
         damaged_checkpoints_are_rejected_naming_the_file},
        {"cartpole_physics_matches_a_hand_step", cartpole_physics_matches_a_hand_step},
        {"same_seed_trains_identically_and_another_seed_differs",
         same_seed_trains_identically_and_another_seed_differs},
        {"short_cartpole_training_raises_the_mean_return",
         short_cartpole_training_raises_the_mean_return},
        {"evaluation_mode_is_deterministic_and_records_nothing",
         evaluation_mode_is_deterministic_and_records_nothing},
        {"full_buffer_and_bad_inputs_are_errors_not_crashes",
         full_buffer_and_bad_inputs_are_errors_not_crashes},
        {"training_on_the_synthetic_task_learns_the_keep_fraction",
         training_on_the_synthetic_task_learns_the_keep_fraction},
        {"critic_input_is_the_agent_specific_state_when_asked",
         critic_input_is_the_agent_specific_state_when_asked},
        {"per_ue_value_normalisation_keeps_one_mean_and_std_per_ue",
         per_ue_value_normalisation_keeps_one_mean_and_std_per_ue},
        {"entropy_schedule_moves_linearly_from_ent_loc_to_ent_loc_end",
         entropy_schedule_moves_linearly_from_ent_loc_to_ent_loc_end},
        {NULL, NULL},
    };
    return et_test_main("hmppo", cases);
}
