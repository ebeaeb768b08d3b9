/* hmppo.c: hybrid multi-agent PPO and its MAPPO / IPPO ablations as an et_agent. Contract in
 * hmppo.h; the algorithm, every default and the checkpoint format in docs/hmppo.md.
 *
 * Layout of this file, top to bottom: the heads' log-probabilities and entropies (their
 * distributions, categorical, Beta and digamma, are in hmppo_dist.c), GAE and the discount,
 * configuration checks, create/destroy, the et_agent callbacks (decide records a transition,
 * feedback closes it), the PPO update. Checkpoints are in hmppo_ckpt.c, the data-parallel
 * exchange in hmppo_dp.c (on the networks and row counts it is handed).
 *
 * Notation: B rows of a minibatch; A = actor input width (obs_dim [+ n_ue one-hot]); S = critic
 * input width (state_dim or obs_dim [+ n_ue one-hot]); O = actor output width: ET_LOCATION_COUNT
 * location logits, then the keep head (2 Beta pre-activations, or keep_bins logits, or nothing).
 * Networks are float32 (nn.h); every head quantity (log-probabilities, entropies, ratios, GAE)
 * is computed in double and the gradients handed back to nn.h as float. */
#define _POSIX_C_SOURCE 200809L /* fileno, fsync */

#include "hmppo.h"
#include "hmppo_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nn.h"
#include "rng.h"

/* The sampled Beta x is clamped into [X_EPS, 1 - X_EPS] before its log-prob: the density has
 * log(x) and log(1 - x) terms that a sample rounded to 0 or 1 would make infinite. */
#define X_EPS 1e-6

/* Value normaliser: MAPPO's ValueNorm (Yu et al. 2022, onpolicy/utils/valuenorm.py): EMA of the
 * mean and the mean square of the returns with weight beta = 0.99999 per update and a debiasing
 * term, variance floored at 1e-2, epsilon 1e-5 on the debiasing term. With beta that close to 1
 * it is in effect the running average over all updates so far. */
#define VN_BETA 0.99999
#define VN_EPS 1e-5
#define VN_MIN_VAR 1e-2

/* Advantage normalisation adds this to the std (MAPPO: (A - mean) / (std + 1e-5)). */
#define ADV_EPS 1e-5

/* Orthogonal-init gains of common PPO code (CleanRL, MAPPO): sqrt(2) for tanh hidden layers,
 * 0.01 for the policy head (near-uniform initial policy), 1 for the value head. */
#define GAIN_HIDDEN 1.41421356f
#define GAIN_POLICY 0.01f
#define GAIN_VALUE 1.0f

#define ADAM_BETA1 0.9f
#define ADAM_BETA2 0.999f

/* Stream owners under ET_RNG_TRAINING (the per-UE sampling streams are ET_RNG_POLICY, ue). */
enum { STREAM_INIT = 0, STREAM_SHUFFLE = 1 };

/* ------------------------------------------------------------------------------------------ */
/* The heads (distributions: hmppo_dist.c)                                                    */
/* ------------------------------------------------------------------------------------------ */

/* Log-probs and entropies of both heads for one actor output row out (O) and the actions
 * (loc, bin, x). When dlogp and dent (O each) are given, they receive d/d out of the head's own
 * log-prob and entropy: the location entries from the location head, the keep entries from the
 * keep head (the caller applies the mask and coefficients). */
typedef struct head_eval {
    double logp_loc, logp_keep, ent_loc, ent_keep;
} head_eval;

static void heads_eval(const hmppo *h, const float *out, int loc, int bin, float x, head_eval *e,
                       double *dlogp, double *dent)
{
    et_hmppo_categorical_eval(out, N_LOC, loc, &e->logp_loc, &e->ent_loc, dlogp, dent);
    e->logp_keep = e->ent_keep = 0.0;
    if (h->n_keep_out == 0) return;
    double *dl = dlogp ? dlogp + N_LOC : NULL, *de = dent ? dent + N_LOC : NULL;
    if (h->cfg.variant == ET_MAPPO)
        et_hmppo_categorical_eval(out + N_LOC, h->n_keep_out, bin, &e->logp_keep, &e->ent_keep, dl,
                                  de);
    else
        et_hmppo_beta_eval(out + N_LOC, (double)x, &e->logp_keep, &e->ent_keep, dl, de);
}

/* ------------------------------------------------------------------------------------------ */
/* GAE                                                                                        */
/* ------------------------------------------------------------------------------------------ */

void et_hmppo_gae(int n, const double *reward, const double *value, const int *done,
                  const double *discount, double lambda, double last_value, double *adv,
                  double *ret)
{
    double next_value = last_value, next_adv = 0.0;
    for (int t = n - 1; t >= 0; t--) {
        double live = done[t] ? 0.0 : 1.0;
        double delta = reward[t] + discount[t] * next_value * live - value[t];
        double a = delta + discount[t] * lambda * live * next_adv;
        adv[t] = a;
        ret[t] = a + value[t];
        next_adv = a;
        next_value = value[t];
    }
}

double et_hmppo_discount(double gamma, double elapsed_s, double time_scale_s)
{
    if (!(time_scale_s > 0.0)) return gamma;
    double dt = elapsed_s > 0.0 ? elapsed_s : 0.0;
    return pow(gamma, dt / time_scale_s);
}

double et_hmppo_ent_loc_at(const et_hmppo_config *cfg, int update_index, int total_updates)
{
    /* The coefficient is a double throughout, so without a schedule the loss is computed
     * exactly as before the schedule existed (float ent_loc promoted to double). */
    if (cfg->ent_loc_end < 0.0f || total_updates <= 0) return cfg->ent_loc;
    double f = fmin(fmax((double)update_index / (double)total_updates, 0.0), 1.0);
    return (double)cfg->ent_loc + ((double)cfg->ent_loc_end - (double)cfg->ent_loc) * f;
}

/* ------------------------------------------------------------------------------------------ */
/* Configuration                                                                              */
/* ------------------------------------------------------------------------------------------ */

void et_hmppo_config_default(et_hmppo_config *cfg, int n_ue)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->variant = ET_HMPPO;
    et_learn_params learn;
    et_learn_default(&learn);
    et_hmppo_config_set_learn(cfg, &learn);
    cfg->k_min = 0.1f;
    cfg->k_max = 1.0f;
    cfg->n_ue = n_ue;
    cfg->obs_dim = ET_OBS_DIM;
    cfg->state_dim = et_state_dim(n_ue);
    cfg->capacity = 50 * (n_ue > 0 ? n_ue : 1); /* one episode of the default 50 tasks per UE */
    cfg->seed = 1;
    cfg->keep_head = 1;
}

void et_hmppo_config_set_learn(et_hmppo_config *cfg, const et_learn_params *learn)
{
    et_hmppo_config *dst = cfg;
    const et_learn_params *src = learn;
    ET_LEARN_KEYS(ET_LEARN_COPY_FIELD)
}

static et_status check_int(const char *where, const char *key, int v, int lo, int hi, et_error *err)
{
    if (v < lo || v > hi)
        return et_error_set(err, ET_ERR_INPUT, "%s: '%s': expected an integer in [%d, %d], got %d",
                            where, key, lo, hi, v);
    return ET_OK;
}

/* lo <= v <= hi (lo_open: lo < v), finite. */
static et_status check_real(const char *where, const char *key, double v, double lo, int lo_open,
                            double hi, et_error *err)
{
    int ok = isfinite(v) && (lo_open ? v > lo : v >= lo) && v <= hi;
    if (!ok)
        return et_error_set(err, ET_ERR_INPUT, "%s: '%s': expected a number in %c%g, %g], got %g",
                            where, key, lo_open ? '(' : '[', lo, hi, v);
    return ET_OK;
}

/* An upper bound of the bytes hmppo_build allocates for c (double: the products of in-range
 * fields overflow an int), so that a config or a checkpoint asking for too much is refused
 * before anything is allocated. */
static double config_bytes(const et_hmppo_config *c)
{
    double n_ue = c->n_ue, H = c->hidden, cap = c->capacity;
    double A = (double)c->obs_dim + n_ue;                                   /* + one-hot id */
    double S = fmax((double)c->state_dim, (double)c->obs_dim) + n_ue + 1.0; /* + one-hot id */
    double O = N_LOC + fmax(2.0, (double)c->keep_bins);
    double actors = c->share_actor ? 1.0 : n_ue;
    /* Per network: parameters, gradients and two Adam moments; activations and their
     * gradients for up to cap rows. */
    double actor = 4.0 * (A * H + H * H + H * O + 2.0 * H + O) + 4.0 * cap * (2.0 * H + O + A);
    double critic = 4.0 * (S * H + H * H + 3.0 * H + 1.0) + 4.0 * cap * (2.0 * H + 1.0 + S);
    /* The transition buffer and the prepared batch, by row (floats, ints, doubles). */
    double rows = cap * (A + S + fmax(A, S) + O + 64.0);
    return 4.0 * (actors * actor + critic + rows) + 8.0 * n_ue * 64.0;
}

/* where names the source of the config in messages ("hmppo config" or a checkpoint path). */
static et_status config_check(const et_hmppo_config *c, const char *where, et_error *err)
{
    et_status st = ET_OK;
#define CHECK(expr)                                                                                \
    do {                                                                                           \
        if ((st = (expr)) != ET_OK) return st;                                                     \
    } while (0)
    CHECK(check_int(where, "variant", (int)c->variant, ET_HMPPO, ET_IPPO, err));
    /* A zero vf_coef or adam_eps usually means a config that was zeroed instead of filled by
     * et_hmppo_config_default, which would also leave keep_head at 0: say so first. */
    if (!(c->vf_coef > 0.0f) || !isfinite(c->vf_coef) || !(c->adam_eps > 0.0f) ||
        !isfinite(c->adam_eps))
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: 'vf_coef' and 'adam_eps': expected numbers > 0, got %g and %g "
                            "(start from et_hmppo_config_default)",
                            where, c->vf_coef, c->adam_eps);
    /* The scenario's hyperparameters: the ranges of their rows in learn.h. */
    et_learn_params learn;
    {
        et_learn_params *dst = &learn;
        const et_hmppo_config *src = c;
        ET_LEARN_KEYS(ET_LEARN_COPY_FIELD)
    }
    CHECK(et_learn_validate(&learn, where, err));
    CHECK(check_int(where, "capacity", c->capacity, 1, ET_HMPPO_MAX_CAPACITY, err));
    CHECK(check_int(where, "minibatches", c->minibatches, 1, c->capacity, err));
    CHECK(check_int(where, "keep_head", c->keep_head, 0, 1, err));
    CHECK(check_real(where, "k_min", c->k_min, 0.0, 0, 1.0, err));
    CHECK(check_real(where, "k_max", c->k_max, c->k_min, 0, 1.0, err));
    CHECK(check_int(where, "n_ue", c->n_ue, 1, ET_HMPPO_MAX_UE, err));
    CHECK(check_int(where, "obs_dim", c->obs_dim, 1, 1 << 16, err));
    if (c->variant != ET_IPPO) CHECK(check_int(where, "state_dim", c->state_dim, 1, 1 << 19, err));
#undef CHECK
    double bytes = config_bytes(c);
    if (bytes > ET_HMPPO_MAX_BYTES)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: 'capacity' %d x 'state_dim' %d, 'hidden' %d, 'n_ue' %d: the agent "
                            "would take about %.3g GB, at most %.3g GB (fewer tasks per update or "
                            "a smaller network)",
                            where, c->capacity, c->state_dim, c->hidden, c->n_ue, bytes / 1e9,
                            ET_HMPPO_MAX_BYTES / 1e9);
    return ET_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Create / destroy                                                                           */
/* ------------------------------------------------------------------------------------------ */

static et_status hmppo_decide(et_agent *agent, const et_obs_view *view, et_action *action,
                              et_error *err);
static void hmppo_feedback(et_agent *agent, const et_feedback *fb);
static void hmppo_episode_begin(et_agent *agent, int episode, int n_ue, uint64_t episode_seed);
static void hmppo_episode_end(et_agent *agent);
static void hmppo_destroy(et_agent *agent);

#define HMPPO_OPS(var, label)                                                                      \
    static const et_agent_ops var = {                                                              \
        .name = label,                                                                             \
        .decide = hmppo_decide,                                                                    \
        .feedback = hmppo_feedback,                                                                \
        .episode_begin = hmppo_episode_begin,                                                      \
        .episode_end = hmppo_episode_end,                                                          \
        .destroy = hmppo_destroy,                                                                  \
    };
HMPPO_OPS(ops_hmppo, "hmppo")
HMPPO_OPS(ops_mappo, "mappo")
HMPPO_OPS(ops_ippo, "ippo")
#undef HMPPO_OPS

hmppo *et_hmppo_impl(const et_agent *agent)
{
    if (!agent || !agent->impl) return NULL;
    if (agent->ops != &ops_hmppo && agent->ops != &ops_mappo && agent->ops != &ops_ippo)
        return NULL;
    return agent->impl;
}

static void hmppo_free(hmppo *h)
{
    if (!h) return;
    free(h->last);
    et_hmppo_dp_clear(&h->dp);
    free(h->vn_ue);
    free(h->vn_moments);
    et_mlp_destroy(h->critic);
    et_adam_destroy(h->critic_opt);
    for (int a = 0; a < h->n_actors; a++) {
        if (h->actor) et_mlp_destroy(h->actor[a]);
        if (h->actor_opt) et_adam_destroy(h->actor_opt[a]);
    }
    free(h->actor);
    free(h->actor_opt);
    free(h->policy_rng);
    void *arrays[] = {h->b_actor_in, h->b_critic_in, h->b_ue,      h->b_loc,     h->b_bin,
                      h->b_next,     h->b_x,         h->b_lp_loc,  h->b_lp_keep, h->b_vraw,
                      h->b_reward,   h->b_elapsed,   h->b_done,    h->b_mask,    h->b_head,
                      h->b_complete, h->traj_head,   h->traj_tail, h->open_row,  h->rows,
                      h->pos_of,     h->perm,        h->grp,       h->val,       h->adv,
                      h->ret,        h->adv_n,       h->tgt_n,     h->vold_n,    h->g_r,
                      h->g_v,        h->g_g,         h->g_a,       h->g_ret,     h->g_d,
                      h->mb_dout,    h->row_ain,     h->row_cin,   h->actor_rows};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++)
        free(arrays[k]);
    free(h);
}

/* Empties the transition buffer and forgets every open trajectory. */
static void buffer_clear(hmppo *h)
{
    h->n_rec = h->n_complete = 0;
    h->prepared = h->n_rows = 0;
    for (int u = 0; u < h->cfg.n_ue; u++)
        h->traj_head[u] = h->traj_tail[u] = h->open_row[u] = -1;
}

/* Two tanh hidden layers of `hidden` units: MAPPO's and CleanRL's PPO network shape. */
static et_status make_net(int in, int hidden, int out, float out_gain, int max_batch,
                          et_nn_kernel kernel, et_rng *rng, et_mlp **net, et_error *err)
{
    const int sizes[4] = {in, hidden, hidden, out};
    const et_activation acts[3] = {ET_ACT_TANH, ET_ACT_TANH, ET_ACT_IDENTITY};
    et_status st = et_mlp_create(3, sizes, acts, max_batch, net, err);
    if (st != ET_OK) return st;
    et_mlp_set_kernel(*net, kernel);
    const float gains[3] = {GAIN_HIDDEN, GAIN_HIDDEN, out_gain};
    if (rng) et_mlp_init_orthogonal(*net, gains, rng); /* NULL: a checkpoint fills them */
    return ET_OK;
}

static et_status hmppo_build(const et_hmppo_config *cfg, int init, hmppo **out, et_error *err)
{
    *out = NULL;
    hmppo *h = calloc(1, sizeof *h);
    if (!h) return et_error_set(err, ET_ERR_NOMEM, "hmppo: out of memory");
    h->cfg = *cfg;
    const et_hmppo_config *c = &h->cfg;
    int n_ue = c->n_ue;
    h->training = 1;
    h->episode_n_ue = -1;
    h->n_actors = c->share_actor ? 1 : n_ue;
    h->actor_onehot = c->share_actor && n_ue > 1;
    h->critic_onehot = n_ue > 1;
    h->actor_in = c->obs_dim + (h->actor_onehot ? n_ue : 0);
    /* With critic_own_obs the centralised critic sees the UE's own observation first, then
     * the global state (MAPPO's agent-specific global state). */
    int own = c->variant != ET_IPPO && c->critic_own_obs ? c->obs_dim : 0;
    h->critic_in =
        own + (c->variant == ET_IPPO ? c->obs_dim : c->state_dim) + (h->critic_onehot ? n_ue : 0);
    h->n_keep_out = !c->keep_head ? 0 : c->variant == ET_MAPPO ? c->keep_bins : 2;
    h->actor_out = N_LOC + h->n_keep_out;
    h->vn_debias = 0.0;
    h->ent_loc_now = c->ent_loc;

    size_t cap = (size_t)c->capacity;
    int ok = 1;
#define ALLOC(ptr, count)                                                                          \
    do {                                                                                           \
        (ptr) = calloc((count), sizeof *(ptr));                                                    \
        if (!(ptr)) ok = 0;                                                                        \
    } while (0)
    ALLOC(h->actor, (size_t)h->n_actors);
    ALLOC(h->actor_opt, (size_t)h->n_actors);
    ALLOC(h->policy_rng, (size_t)n_ue);
    ALLOC(h->vn_ue, 3 * (size_t)n_ue);
    ALLOC(h->vn_moments, 3 * (size_t)n_ue);
    ALLOC(h->b_actor_in, cap * (size_t)h->actor_in);
    ALLOC(h->b_critic_in, cap * (size_t)h->critic_in);
    ALLOC(h->b_ue, cap);
    ALLOC(h->b_loc, cap);
    ALLOC(h->b_bin, cap);
    ALLOC(h->b_next, cap);
    ALLOC(h->b_x, cap);
    ALLOC(h->b_lp_loc, cap);
    ALLOC(h->b_lp_keep, cap);
    ALLOC(h->b_vraw, cap);
    ALLOC(h->b_reward, cap);
    ALLOC(h->b_elapsed, cap);
    ALLOC(h->b_done, cap);
    ALLOC(h->b_mask, cap);
    ALLOC(h->b_head, cap);
    ALLOC(h->b_complete, cap);
    ALLOC(h->traj_head, (size_t)n_ue);
    ALLOC(h->traj_tail, (size_t)n_ue);
    ALLOC(h->open_row, (size_t)n_ue);
    ALLOC(h->rows, cap);
    ALLOC(h->pos_of, cap);
    ALLOC(h->perm, cap);
    ALLOC(h->grp, cap);
    ALLOC(h->val, cap);
    ALLOC(h->adv, cap);
    ALLOC(h->ret, cap);
    ALLOC(h->adv_n, cap);
    ALLOC(h->tgt_n, cap);
    ALLOC(h->vold_n, cap);
    ALLOC(h->g_r, cap);
    ALLOC(h->g_v, cap);
    ALLOC(h->g_g, cap);
    ALLOC(h->g_a, cap);
    ALLOC(h->g_ret, cap);
    ALLOC(h->g_d, cap);
    ALLOC(h->mb_dout, cap * (size_t)h->actor_out);
    ALLOC(h->row_ain, (size_t)h->actor_in);
    ALLOC(h->row_cin, (size_t)h->critic_in);
    ALLOC(h->actor_rows, (size_t)h->n_actors);
#undef ALLOC
    if (!ok) {
        hmppo_free(h);
        return et_error_set(err, ET_ERR_NOMEM, "hmppo: out of memory for %d transitions",
                            c->capacity);
    }
    buffer_clear(h);

    /* Networks in a fixed order from one init stream: critic, then actors in UE order. */
    et_rng init_rng;
    et_rng_seed(&init_rng, c->seed, et_rng_stream_id(ET_RNG_TRAINING, STREAM_INIT));
    et_rng *rng = init ? &init_rng : NULL; /* the orthogonal init is O(hidden^3): not for a load */
    et_status st = make_net(h->critic_in, c->hidden, 1, GAIN_VALUE, c->capacity,
                            (et_nn_kernel)c->kernel, rng, &h->critic, err);
    if (st == ET_OK)
        st = et_adam_create(et_mlp_param_count(h->critic), c->lr_critic, ADAM_BETA1, ADAM_BETA2,
                            c->adam_eps, &h->critic_opt, err);
    for (int a = 0; st == ET_OK && a < h->n_actors; a++) {
        st = make_net(h->actor_in, c->hidden, h->actor_out, GAIN_POLICY, c->capacity,
                      (et_nn_kernel)c->kernel, rng, &h->actor[a], err);
        if (st == ET_OK)
            st = et_adam_create(et_mlp_param_count(h->actor[a]), c->lr_actor, ADAM_BETA1,
                                ADAM_BETA2, c->adam_eps, &h->actor_opt[a], err);
    }
    if (st != ET_OK) {
        hmppo_free(h);
        return st;
    }
    et_rng_seed(&h->shuffle_rng, c->seed, et_rng_stream_id(ET_RNG_TRAINING, STREAM_SHUFFLE));
    for (int u = 0; u < n_ue; u++)
        et_rng_seed(&h->policy_rng[u], c->seed, et_rng_stream_id(ET_RNG_POLICY, (uint64_t)u));
    *out = h;
    return ET_OK;
}

static const et_agent_ops *ops_for(et_hmppo_variant v)
{
    return v == ET_MAPPO ? &ops_mappo : v == ET_IPPO ? &ops_ippo : &ops_hmppo;
}

et_status et_hmppo_create_from(const et_hmppo_config *cfg, const char *where, int init,
                               et_agent **out, et_error *err)
{
    et_status st = config_check(cfg, where, err);
    if (st != ET_OK) return st;
    hmppo *h = NULL;
    st = hmppo_build(cfg, init, &h, err);
    if (st != ET_OK) return st;
    et_agent *agent = calloc(1, sizeof *agent);
    if (!agent) {
        hmppo_free(h);
        return et_error_set(err, ET_ERR_NOMEM, "hmppo: out of memory");
    }
    agent->ops = ops_for(cfg->variant);
    agent->impl = h;
    *out = agent;
    return ET_OK;
}

et_status et_hmppo_create(const et_hmppo_config *cfg, et_agent **out, et_error *err)
{
    if (!out) return et_error_set(err, ET_ERR_INTERNAL, "et_hmppo_create: out is NULL");
    *out = NULL;
    if (!cfg) return et_error_set(err, ET_ERR_INTERNAL, "et_hmppo_create: cfg is NULL");
    return et_hmppo_create_from(cfg, "hmppo config", 1, out, err);
}

static void hmppo_destroy(et_agent *agent)
{
    hmppo_free(agent->impl);
    agent->impl = NULL;
}

void et_hmppo_destroy(et_agent *agent)
{
    if (!agent) return;
    if (agent->ops && agent->ops->destroy) agent->ops->destroy(agent);
    free(agent);
}

void et_hmppo_set_training(et_agent *agent, int training)
{
    hmppo *h = et_hmppo_impl(agent);
    if (h) h->training = training != 0;
}

et_status et_hmppo_set_decision_log(et_agent *agent, int on, et_error *err)
{
    hmppo *h = et_hmppo_impl(agent);
    if (!h)
        return et_error_set(err, ET_ERR_INTERNAL, "et_hmppo_set_decision_log: not an HMPPO agent");
    if (!on) {
        free(h->last);
        h->last = NULL;
        return ET_OK;
    }
    if (!h->last) h->last = calloc((size_t)h->cfg.n_ue, sizeof *h->last);
    return h->last ? ET_OK : et_error_set(err, ET_ERR_NOMEM, "hmppo: decision log: out of memory");
}

et_status et_hmppo_set_data_parallel(et_agent *agent, int n_ranks, et_hmppo_sum_fn sum, void *ctx,
                                     et_error *err)
{
    hmppo *h = et_hmppo_impl(agent);
    if (!h)
        return et_error_set(err, ET_ERR_INTERNAL, "et_hmppo_set_data_parallel: not an hmppo agent");
    return et_hmppo_dp_init(&h->dp, h->critic, h->actor, h->n_actors, n_ranks, sum, ctx, err);
}

const et_hmppo_decision *et_hmppo_last_decision(const et_agent *agent, int ue)
{
    hmppo *h = et_hmppo_impl(agent);
    if (!h || !h->last || ue < 0 || ue >= h->cfg.n_ue) return NULL;
    return &h->last[ue];
}

const et_hmppo_config *et_hmppo_get_config(const et_agent *agent)
{
    hmppo *h = et_hmppo_impl(agent);
    return h ? &h->cfg : NULL;
}

int et_hmppo_pending(const et_agent *agent)
{
    hmppo *h = et_hmppo_impl(agent);
    return h ? h->n_complete : 0;
}

int et_hmppo_recorded(const et_agent *agent)
{
    hmppo *h = et_hmppo_impl(agent);
    return h ? h->n_rec : 0;
}

int et_hmppo_network_count(const et_agent *agent)
{
    hmppo *h = et_hmppo_impl(agent);
    return h ? 1 + h->n_actors : 0;
}

static et_mlp *network(hmppo *h, int net)
{
    if (!h || net < 0 || net > h->n_actors) return NULL;
    return net == 0 ? h->critic : h->actor[net - 1];
}

float *et_hmppo_network_params(et_agent *agent, int net, size_t *count)
{
    et_mlp *m = network(et_hmppo_impl(agent), net);
    if (count) *count = m ? et_mlp_param_count(m) : 0;
    return m ? et_mlp_params(m) : NULL;
}

float *et_hmppo_network_grads(et_agent *agent, int net, size_t *count)
{
    et_mlp *m = network(et_hmppo_impl(agent), net);
    if (count) *count = m ? et_mlp_param_count(m) : 0;
    return m ? et_mlp_grads(m) : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* The et_agent callbacks                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* Mean and std of the value normaliser that serves ue as they stand: ue's own with
 * value_norm_per_ue, else the shared one; the identity when value_norm is off or before its
 * first update. */
static void vn_stats(const hmppo *h, int ue, double *mean, double *std)
{
    int own = h->cfg.value_norm_per_ue;
    double m1 = own ? h->vn_ue[3 * ue] : h->vn_mean;
    double m2 = own ? h->vn_ue[3 * ue + 1] : h->vn_mean_sq;
    double debias = own ? h->vn_ue[3 * ue + 2] : h->vn_debias;
    if (!h->cfg.value_norm || debias <= 0.0) {
        *mean = 0.0;
        *std = 1.0;
        return;
    }
    double d = debias > VN_EPS ? debias : VN_EPS;
    double m = m1 / d, var = m2 / d - m * m;
    *mean = m;
    *std = sqrt(var > VN_MIN_VAR ? var : VN_MIN_VAR);
}

/* One EMA step of the normaliser sums s (mean, mean square, debias) with a batch's moments
 * {sum, sum of squares, rows}. */
static void vn_step(double *m1, double *m2, double *debias, const double *moments)
{
    *m1 = VN_BETA * *m1 + (1.0 - VN_BETA) * (moments[0] / moments[2]);
    *m2 = VN_BETA * *m2 + (1.0 - VN_BETA) * (moments[1] / moments[2]);
    *debias = VN_BETA * *debias + (1.0 - VN_BETA);
}

void et_hmppo_value_norm_stats(const et_agent *agent, int ue, double *mean, double *std)
{
    hmppo *h = et_hmppo_impl(agent);
    *mean = 0.0;
    *std = 1.0;
    if (h && ue >= 0 && ue < h->cfg.n_ue) vn_stats(h, ue, mean, std);
}

static int all_finite(const float *x, int n)
{
    for (int k = 0; k < n; k++)
        if (!isfinite(x[k])) return 0;
    return 1;
}

static et_status hmppo_decide(et_agent *agent, const et_obs_view *view, et_action *action,
                              et_error *err)
{
    hmppo *h = et_hmppo_impl(agent);
    if (!h) return et_error_set(err, ET_ERR_INTERNAL, "hmppo: decide() on another agent");
    const et_hmppo_config *c = &h->cfg;
    if (!view || !view->task || !view->obs || !action)
        return et_error_set(err, ET_ERR_INTERNAL, "hmppo: decide() without a view or action");
    if (h->episode_n_ue >= 0 && h->episode_n_ue != c->n_ue)
        return et_error_set(err, ET_ERR_INPUT,
                            "hmppo: the episode has %d UEs, the agent was created for %d",
                            h->episode_n_ue, c->n_ue);
    int ue = view->task->ue;
    if (ue < 0 || ue >= c->n_ue)
        return et_error_set(err, ET_ERR_INTERNAL, "hmppo: ue %d outside [0, %d)", ue, c->n_ue);
    /* Decentralised execution: only training (the critic) needs the global state. */
    int use_state = c->variant != ET_IPPO;
    if (h->training && use_state && (!view->state || view->state_dim != c->state_dim))
        return et_error_set(err, ET_ERR_INPUT,
                            "hmppo: the global state has %d entries, the agent expects %d",
                            view->state ? view->state_dim : 0, c->state_dim);
    if (h->training) {
        if (h->n_rec >= c->capacity)
            return et_error_set(err, ET_ERR_INPUT,
                                "hmppo: transition buffer full (capacity %d): update more often "
                                "or raise the capacity",
                                c->capacity);
        if (h->open_row[ue] >= 0)
            return et_error_set(err, ET_ERR_INTERNAL,
                                "hmppo: ue %d decided again before the feedback of its last task",
                                ue);
    }

    /* Actor input (A): the observation, then the one-hot agent id. */
    float *ain = h->row_ain;
    memcpy(ain, view->obs, (size_t)c->obs_dim * sizeof *ain);
    if (h->actor_onehot) {
        memset(ain + c->obs_dim, 0, (size_t)c->n_ue * sizeof *ain);
        ain[c->obs_dim + ue] = 1.0f;
    }
    if (!all_finite(ain, c->obs_dim))
        return et_error_set(err, ET_ERR_INPUT, "hmppo: ue %d: observation is not finite", ue);
    int net = c->share_actor ? 0 : ue;
    const float *out = et_mlp_forward(h->actor[net], ain, 1); // (1, O)
    if (!out || !all_finite(out, h->actor_out))
        return et_error_set(err, ET_ERR_INTERNAL, "hmppo: actor output is not finite (diverged?)");

    et_rng *rng = &h->policy_rng[ue];
    int loc =
        h->training ? et_hmppo_categorical_sample(out, N_LOC, rng) : et_hmppo_argmax(out, N_LOC);
    int bin = 0;
    float x = 0.5f;
    double keep = 1.0;
    double k_min = c->k_min, k_span = c->k_max - c->k_min;
    if (h->n_keep_out > 0 && c->variant == ET_MAPPO) {
        bin = h->training ? et_hmppo_categorical_sample(out + N_LOC, h->n_keep_out, rng)
                          : et_hmppo_argmax(out + N_LOC, h->n_keep_out);
        keep = k_min + k_span * (double)bin / (double)(c->keep_bins - 1);
    } else if (h->n_keep_out > 0) {
        double a, b, xd;
        et_hmppo_beta_params(out + N_LOC, &a, &b);
        if (h->training) {
            xd = et_rng_beta(rng, a, b);
            xd = fmin(fmax(xd, X_EPS), 1.0 - X_EPS);
        } else {
            xd = a / (a + b); /* the mean of the Beta */
        }
        /* The stored float is what the log-probs see, now and at update time. */
        x = (float)xd;
        if (x < (float)X_EPS) x = (float)X_EPS;
        if (x > 1.0f - (float)X_EPS) x = 1.0f - (float)X_EPS;
        keep = k_min + k_span * (double)x;
    }
    /* Staying put is natural: a keep within keep_deadzone blocks of the
     * cached emulator means that emulator, so sampling noise around it does
     * not pay for a download. The stored sample x is unchanged: the applied
     * keep is a deterministic function of it, so PPO's ratios stay those of
     * x's density. */
    const et_task_view *tv = view->task;
    if (c->keep_deadzone > 0.0f && tv && tv->fm && tv->cached_b > 0) {
        double m = tv->fm->middle_blocks;
        if (fabs(keep * m - (double)tv->cached_b) <= (double)c->keep_deadzone)
            keep = (double)tv->cached_b / m;
    }
    action->location = loc == 0 ? ET_LOCATION_LOCAL : ET_LOCATION_SERVER;
    action->keep = keep;
    if (!h->training && !h->last) return ET_OK;

    head_eval e;
    heads_eval(h, out, loc, bin, x, &e, NULL, NULL);

    /* Critic input (S): the global state (HMPPO, MAPPO) or the observation (IPPO), then the
     * one-hot agent id. */
    float *cin = h->row_cin;
    int own = use_state && c->critic_own_obs ? c->obs_dim : 0;
    if (own) memcpy(cin, view->obs, (size_t)own * sizeof *cin);
    int base = own + (use_state ? c->state_dim : c->obs_dim);
    memcpy(cin + own, use_state ? view->state : view->obs, (size_t)(base - own) * sizeof *cin);
    if (h->critic_onehot) {
        memset(cin + base, 0, (size_t)c->n_ue * sizeof *cin);
        cin[base + ue] = 1.0f;
    }
    if (!all_finite(cin, base))
        return et_error_set(err, ET_ERR_INPUT, "hmppo: ue %d: global state is not finite", ue);
    const float *v = et_mlp_forward(h->critic, cin, 1); // (1, 1)
    if (!v || !isfinite(v[0]))
        return et_error_set(err, ET_ERR_INTERNAL, "hmppo: critic output is not finite");
    if (h->last) {
        double pl = 1.0 / (1.0 + exp((double)out[1] - (double)out[0])); /* softmax of 2 logits */
        h->last[ue] = (et_hmppo_decision){.valid = 1,
                                          .location = loc,
                                          .keep = keep,
                                          .p_local = pl,
                                          .logp_loc = e.logp_loc,
                                          .logp_keep = e.logp_keep,
                                          .value = v[0]};
    }
    if (!h->training) return ET_OK;

    int i = h->n_rec++;
    memcpy(h->b_actor_in + (size_t)i * h->actor_in, ain, (size_t)h->actor_in * sizeof *ain);
    memcpy(h->b_critic_in + (size_t)i * h->critic_in, cin, (size_t)h->critic_in * sizeof *cin);
    h->b_ue[i] = ue;
    h->b_loc[i] = loc;
    h->b_bin[i] = bin;
    h->b_x[i] = x;
    h->b_lp_loc[i] = (float)e.logp_loc;
    h->b_lp_keep[i] = (float)e.logp_keep;
    h->b_vraw[i] = v[0];
    h->b_reward[i] = 0.0f;
    h->b_elapsed[i] = 0.0f;
    h->b_done[i] = 0;
    h->b_mask[i] = 0;
    h->b_complete[i] = 0;
    h->b_next[i] = -1;
    h->b_head[i] = h->traj_tail[ue] < 0;
    if (h->traj_tail[ue] < 0)
        h->traj_head[ue] = i;
    else
        h->b_next[h->traj_tail[ue]] = i;
    h->traj_tail[ue] = i;
    h->open_row[ue] = i;
    h->prepared = 0;
    return ET_OK;
}

static void hmppo_feedback(et_agent *agent, const et_feedback *fb)
{
    hmppo *h = et_hmppo_impl(agent);
    if (!h || !fb || !h->training) return;
    int ue = fb->ue;
    if (ue < 0 || ue >= h->cfg.n_ue || h->open_row[ue] < 0) return; /* nothing decided: ignore */
    int i = h->open_row[ue];
    h->open_row[ue] = -1;
    h->b_reward[i] = (float)fb->reward;
    h->b_elapsed[i] = (float)fb->elapsed_s;
    h->b_done[i] = fb->done != 0;
    /* The keep log-prob counts only when the keep fraction shaped the outcome. */
    h->b_mask[i] = h->n_keep_out > 0 && fb->keep_effective != 0;
    if (!fb->done) return;
    /* The UE's last task: its trajectory is complete and may be trained on. */
    for (int j = h->traj_head[ue]; j >= 0; j = h->b_next[j]) {
        h->b_complete[j] = 1;
        h->n_complete++;
    }
    h->traj_head[ue] = h->traj_tail[ue] = -1;
}

static void hmppo_episode_begin(et_agent *agent, int episode, int n_ue, uint64_t episode_seed)
{
    (void)episode;
    (void)episode_seed; /* the sampling streams run on across episodes (and checkpoints) */
    hmppo *h = et_hmppo_impl(agent);
    if (!h) return;
    h->episode_n_ue = n_ue;
    /* Trajectories left open by the previous episode can never complete: abandon them (their
     * rows stay in the buffer, unused, until the next update clears it). */
    for (int u = 0; u < h->cfg.n_ue; u++)
        h->traj_head[u] = h->traj_tail[u] = h->open_row[u] = -1;
}

static void hmppo_episode_end(et_agent *agent)
{
    (void)agent;
}

/* ------------------------------------------------------------------------------------------ */
/* PPO update                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* GAE per trajectory, the value-normaliser update and the advantage normalisation. *n_all is
 * the rows of every rank (data parallel) or n_rows. */
static et_status prepare_batch(hmppo *h, int *n_all, et_error *err)
{
    const et_hmppo_config *c = &h->cfg;
    int n = 0;
    for (int i = 0; i < h->n_rec; i++) {
        h->pos_of[i] = -1;
        if (!h->b_complete[i]) continue;
        h->rows[n] = i;
        h->pos_of[i] = n++;
    }
    h->n_rows = n;

    /* Values were recorded in normalised units; the normaliser has not moved since (it moves
     * only here), so de-normalising with its current state recovers V(s) in reward units. */
    double mean, std;
    for (int p = 0; p < n; p++) {
        vn_stats(h, h->b_ue[h->rows[p]], &mean, &std);
        h->val[p] = (float)(h->b_vraw[h->rows[p]] * std + mean);
    }

    for (int p = 0; p < n; p++) {
        if (!h->b_head[h->rows[p]]) continue;
        int len = 0;
        for (int j = h->rows[p]; j >= 0; j = h->b_next[j], len++) {
            h->g_r[len] = h->b_reward[j];
            h->g_v[len] = h->val[h->pos_of[j]];
            h->g_d[len] = h->b_done[j];
            h->g_g[len] = et_hmppo_discount(c->gamma, h->b_elapsed[j], c->time_scale_s);
        }
        et_hmppo_gae(len, h->g_r, h->g_v, h->g_d, h->g_g, c->lambda, 0.0, h->g_a, h->g_ret);
        len = 0;
        for (int j = h->rows[p]; j >= 0; j = h->b_next[j], len++) {
            h->adv[h->pos_of[j]] = (float)h->g_a[len];
            h->ret[h->pos_of[j]] = (float)h->g_ret[len];
        }
    }

    /* The batch moments {sum, sum of squares, rows} of each normaliser: one over every row,
     * or one per UE over its own rows (value_norm_per_ue); summed over the ranks. */
    int per_ue = c->value_norm_per_ue, n_norm = per_ue ? c->n_ue : 1;
    double *mo = h->vn_moments;
    memset(mo, 0, 3 * (size_t)n_norm * sizeof *mo);
    for (int p = 0; p < n; p++) {
        double *g = mo + 3 * (per_ue ? h->b_ue[h->rows[p]] : 0);
        if (c->value_norm) {
            g[0] += h->ret[p];
            g[1] += (double)h->ret[p] * h->ret[p];
        }
        g[2] += 1.0;
    }
    et_status st = et_hmppo_dp_moments(&h->dp, mo, n_norm, err);
    if (st != ET_OK) return st;
    double rows_all = 0.0;
    for (int g = 0; g < n_norm; g++)
        rows_all += mo[3 * g + 2];
    *n_all = (int)rows_all;
    for (int g = 0; c->value_norm && g < n_norm; g++) {
        if (mo[3 * g + 2] <= 0.0) continue; /* a UE with no rows keeps its statistics */
        if (per_ue)
            vn_step(&h->vn_ue[3 * g], &h->vn_ue[3 * g + 1], &h->vn_ue[3 * g + 2], mo + 3 * g);
        else
            vn_step(&h->vn_mean, &h->vn_mean_sq, &h->vn_debias, mo);
    }
    /* Targets in the updated normalised units. The value clip is a trust region around what
     * the critic output at decide time, so the old value is that raw output (as MAPPO's
     * cal_value_loss does), not the old value re-expressed in the updated units, which after a
     * normaliser move would put every row outside the clip from the first step. */
    for (int p = 0; p < n; p++) {
        vn_stats(h, h->b_ue[h->rows[p]], &mean, &std);
        h->tgt_n[p] = (float)((h->ret[p] - mean) / std);
        h->vold_n[p] = h->b_vraw[h->rows[p]];
    }

    double am = 0.0, av = 0.0;
    for (int p = 0; p < n; p++)
        am += h->adv[p];
    am = n > 0 ? am / n : 0.0;
    for (int p = 0; p < n; p++)
        av += (h->adv[p] - am) * (h->adv[p] - am);
    double astd = n > 0 ? sqrt(av / n) : 0.0;
    for (int p = 0; p < n; p++)
        h->adv_n[p] = (float)((h->adv[p] - am) / (astd + ADV_EPS));
    for (int p = 0; p < n; p++)
        h->perm[p] = p;
    h->prepared = 1;
    return ET_OK;
}

/* Sums over the rows of one or more minibatches, for the stats. */
typedef struct mb_sums {
    double pg, vloss, ent_loc, ent_keep, keep_rows, kl, clipped, vclipped, rows;
} mb_sums;

/* Loss and gradients of the minibatch at positions pos[0 .. m): zeroes every network's
 * gradients, then leaves d loss / d params in them. Adds the per-row sums into acc (may be NULL).
 *   actor loss  = mean_B[-min(r A, clip(r) A)] - ent_loc mean_B[H_loc] - ent_keep mean_B[mask
 * H_keep] critic loss = vf_coef mean_B[0.5 max((v - t)^2, (v_clip - t)^2)]   (first term only if no
 * clip) with r = exp(logp_new - logp_old), logp = logp_loc + mask logp_keep. */
static void minibatch_loss(hmppo *h, const int *pos, int m, double *actor_loss, double *critic_loss,
                           mb_sums *acc)
{
    const et_hmppo_config *c = &h->cfg;
    const double inv_m = 1.0 / m;
    const double ent_loc = h->ent_loc_now; /* ent_loc, or its schedule's value (ent_loc_end) */

    /* Critic: gather (B, S) into its input buffer (so forward copies nothing), forward,
     * d loss / d v (B, 1), backward. */
    int S = h->critic_in;
    float *cin = et_mlp_input(h->critic); // (B, S)
    for (int r = 0; r < m; r++)
        memcpy(cin + (size_t)r * S, h->b_critic_in + (size_t)h->rows[pos[r]] * S,
               (size_t)S * sizeof(float));
    const float *v = et_mlp_forward(h->critic, cin, m); // (B, 1)
    double vloss = 0.0;
    for (int r = 0; r < m; r++) {
        int p = pos[r];
        double t = h->tgt_n[p], vo = h->vold_n[p], vv = v[r];
        double e1 = vv - t, l = e1 * e1, g = e1;
        if (c->value_clip > 0.0f) {
            double d = vv - vo, vc = vo + fmin(fmax(d, -c->value_clip), c->value_clip);
            if (acc) acc->vclipped += fabs(d) > c->value_clip;
            double e2 = vc - t;
            if (e2 * e2 > l) {
                l = e2 * e2;
                g = fabs(d) < c->value_clip ? e2 : 0.0; /* v_clip is flat once clamped */
            }
        }
        vloss += 0.5 * l;
        h->mb_dout[r] = (float)(c->vf_coef * g * inv_m);
    }
    et_mlp_zero_grad(h->critic);
    et_mlp_backward(h->critic, h->mb_dout, NULL);
    *critic_loss = c->vf_coef * vloss * inv_m;

    /* Actors: each actor sees the rows of its UEs, gathered (g, A); forward right before its
     * backward because decide's one-row forwards overwrite the stored activations. */
    int A = h->actor_in, O = h->actor_out;
    double loss = 0.0;
    double dlogp[MAX_OUT], dent[MAX_OUT];
    for (int a = 0; a < h->n_actors; a++) {
        et_mlp_zero_grad(h->actor[a]);
        int g = 0;
        for (int r = 0; r < m; r++)
            if (h->n_actors == 1 || h->b_ue[h->rows[pos[r]]] == a) h->grp[g++] = r;
        h->actor_rows[a] = g;
        if (g == 0) continue;
        float *ain = et_mlp_input(h->actor[a]); // (g, A)
        for (int k = 0; k < g; k++)
            memcpy(ain + (size_t)k * A, h->b_actor_in + (size_t)h->rows[pos[h->grp[k]]] * A,
                   (size_t)A * sizeof(float));
        const float *out = et_mlp_forward(h->actor[a], ain, g); // (g, O)
        for (int k = 0; k < g; k++) {
            int p = pos[h->grp[k]], i = h->rows[p];
            head_eval e;
            heads_eval(h, out + (size_t)k * O, h->b_loc[i], h->b_bin[i], h->b_x[i], &e, dlogp,
                       dent);
            double mask = h->b_mask[i] ? 1.0 : 0.0;
            double lp_new = e.logp_loc + mask * e.logp_keep;
            double lp_old = (double)h->b_lp_loc[i] + mask * (double)h->b_lp_keep[i];
            double ratio = exp(lp_new - lp_old), adv = h->adv_n[p];
            double rc = fmin(fmax(ratio, 1.0 - c->clip), 1.0 + c->clip);
            double s1 = ratio * adv, s2 = rc * adv;
            /* d(-min(s1, s2)) / d logp_new: the clipped term is flat in r, so only an active
             * unclipped term passes a gradient (ties happen only inside the clip range). */
            double g_lp = s1 <= s2 ? -adv * ratio * inv_m : 0.0;
            loss += (-fmin(s1, s2) - ent_loc * e.ent_loc - c->ent_keep * mask * e.ent_keep) * inv_m;
            float *d = h->mb_dout + (size_t)k * O;
            for (int j = 0; j < N_LOC; j++)
                d[j] = (float)(g_lp * dlogp[j] - ent_loc * inv_m * dent[j]);
            for (int j = N_LOC; j < O; j++)
                d[j] = (float)(mask * (g_lp * dlogp[j] - c->ent_keep * inv_m * dent[j]));
            if (acc) {
                acc->pg += -fmin(s1, s2);
                acc->ent_loc += e.ent_loc;
                acc->ent_keep += mask * e.ent_keep;
                acc->keep_rows += mask;
                acc->kl += (ratio - 1.0) - (lp_new - lp_old); /* k3 estimator of KL(old || new) */
                acc->clipped += fabs(ratio - 1.0) > c->clip;
            }
        }
        et_mlp_backward(h->actor[a], h->mb_dout, NULL);
    }
    *actor_loss = loss;
    if (acc) {
        acc->vloss += vloss;
        acc->rows += m;
    }
}

static void zero_grads(hmppo *h)
{
    et_mlp_zero_grad(h->critic);
    for (int a = 0; a < h->n_actors; a++) {
        et_mlp_zero_grad(h->actor[a]);
        h->actor_rows[a] = 0;
    }
}

/* Means of the per-row sums into the stats. */
static void sums_to_stats(const hmppo *h, const mb_sums *acc, et_hmppo_stats *s)
{
    if (acc->rows <= 0) return;
    s->policy_loss = acc->pg / acc->rows;
    s->value_loss = h->cfg.vf_coef * acc->vloss / acc->rows;
    s->entropy_loc = acc->ent_loc / acc->rows;
    s->entropy_keep = acc->keep_rows > 0 ? acc->ent_keep / acc->keep_rows : 0.0;
    s->approx_kl = acc->kl / acc->rows;
    s->clip_frac = acc->clipped / acc->rows;
    s->value_clip_frac = acc->vclipped / acc->rows;
}

et_status et_hmppo_prepare(et_agent *agent, et_hmppo_batch *batch, et_error *err)
{
    hmppo *h = et_hmppo_impl(agent);
    if (!h) return et_error_set(err, ET_ERR_INTERNAL, "et_hmppo_prepare: not an hmppo agent");
    int n_all;
    et_status st = prepare_batch(h, &n_all, err);
    if (st != ET_OK) return st;
    if (batch) {
        batch->n = h->n_rows;
        batch->value = h->val;
        batch->advantage = h->adv;
        batch->ret = h->ret;
    }
    return ET_OK;
}

et_status et_hmppo_batch_loss(et_agent *agent, int with_grad, double *actor_loss,
                              double *critic_loss, et_hmppo_stats *stats, et_error *err)
{
    hmppo *h = et_hmppo_impl(agent);
    if (!h) return et_error_set(err, ET_ERR_INTERNAL, "et_hmppo_batch_loss: not an hmppo agent");
    if (!h->prepared || h->n_rows == 0)
        return et_error_set(err, ET_ERR_INTERNAL, "et_hmppo_batch_loss: no prepared batch");
    /* Positions in recording order, one minibatch of every row. */
    for (int p = 0; p < h->n_rows; p++)
        h->perm[p] = p;
    double al = 0.0, cl = 0.0;
    mb_sums acc;
    memset(&acc, 0, sizeof acc);
    minibatch_loss(h, h->perm, h->n_rows, &al, &cl, &acc);
    if (stats) {
        memset(stats, 0, sizeof *stats);
        stats->transitions = h->n_rows;
        sums_to_stats(h, &acc, stats);
    }
    if (!with_grad) zero_grads(h);
    if (actor_loss) *actor_loss = al;
    if (critic_loss) *critic_loss = cl;
    return ET_OK;
}

/* Clips one network's gradients to max_grad_norm and takes an Adam step; a non-finite norm
 * skips the step (nn.h leaves the gradients untouched then). Returns the norm before clipping. */
static double clip_and_step(const hmppo *h, et_mlp *net, et_adam *opt, int *nonfinite)
{
    double norm =
        et_grad_clip_global_norm(et_mlp_grads(net), et_mlp_param_count(net), h->cfg.max_grad_norm);
    if (!isfinite(norm)) {
        (*nonfinite)++;
        return norm;
    }
    et_adam_step(opt, et_mlp_params(net), et_mlp_grads(net));
    return norm;
}

et_status et_hmppo_update(et_agent *agent, int update_index, int total_updates,
                          et_hmppo_stats *stats, et_error *err)
{
    hmppo *h = et_hmppo_impl(agent);
    if (!h) return et_error_set(err, ET_ERR_INTERNAL, "et_hmppo_update: not an hmppo agent");
    const et_hmppo_config *c = &h->cfg;
    et_hmppo_stats s;
    memset(&s, 0, sizeof s);

    int n_all = 0;
    et_status st = prepare_batch(h, &n_all, err);
    if (st != ET_OK) return st;
    int n = h->n_rows;
    s.transitions = n;
    s.discarded = h->n_rec - n;

    /* Linear anneal (CleanRL): the first update runs at the full rate, the last at 1/total. */
    double frac = 1.0;
    if (c->lr_anneal && total_updates > 0) {
        frac = 1.0 - (double)update_index / (double)total_updates;
        frac = fmin(fmax(frac, 0.0), 1.0);
    }
    et_adam_set_lr(h->critic_opt, (float)(frac * c->lr_critic));
    for (int a = 0; a < h->n_actors; a++)
        et_adam_set_lr(h->actor_opt[a], (float)(frac * c->lr_actor));
    s.lr_actor = frac * c->lr_actor;
    s.lr_critic = frac * c->lr_critic;
    h->ent_loc_now = et_hmppo_ent_loc_at(c, update_index, total_updates);
    s.ent_loc_coef = h->ent_loc_now;

    if (n > 0) {
        double ret_mean = 0.0, ret_var = 0.0, res_mean = 0.0, res_var = 0.0;
        for (int p = 0; p < n; p++) {
            ret_mean += h->ret[p];
            res_mean += h->ret[p] - h->val[p];
        }
        ret_mean /= n;
        res_mean /= n;
        for (int p = 0; p < n; p++) {
            double d = h->ret[p] - ret_mean, e = h->ret[p] - h->val[p] - res_mean;
            ret_var += d * d;
            res_var += e * e;
        }
        s.explained_variance = ret_var > 0.0 ? 1.0 - res_var / ret_var : 0.0;
    }

    mb_sums acc;
    memset(&acc, 0, sizeof acc);
    int actor_norms = 0;
    for (int epoch = 0; n_all > 0 && epoch < c->epochs; epoch++) {
        /* Fisher-Yates on the running permutation with the training stream. */
        for (int p = n - 1; p > 0; p--) {
            int q = (int)et_rng_below(&h->shuffle_rng, (uint32_t)(p + 1));
            int t = h->perm[p];
            h->perm[p] = h->perm[q];
            h->perm[q] = t;
        }
        for (int mb = 0; mb < c->minibatches; mb++) {
            int lo = (int)((long long)mb * n / c->minibatches);
            int hi = (int)((long long)(mb + 1) * n / c->minibatches);
            double al, cl;
            if (hi > lo)
                minibatch_loss(h, h->perm + lo, hi - lo, &al, &cl, &acc);
            else
                zero_grads(h); /* data parallel: this rank has no rows here, the others may */
            int m_all;
            st = et_hmppo_dp_average(&h->dp, h->critic, h->actor, h->actor_rows, h->n_actors,
                                     hi - lo, &m_all, err);
            if (st != ET_OK) return st;
            if (m_all <= 0) continue;
            s.grad_norm_critic += clip_and_step(h, h->critic, h->critic_opt, &s.nonfinite_steps);
            for (int a = 0; a < h->n_actors; a++) {
                if (h->actor_rows[a] == 0) continue; /* no rows: no gradient, no Adam step */
                s.grad_norm_actor +=
                    clip_and_step(h, h->actor[a], h->actor_opt[a], &s.nonfinite_steps);
                actor_norms++;
            }
            s.minibatch_steps++;
        }
    }
    sums_to_stats(h, &acc, &s);
    if (s.minibatch_steps > 0) s.grad_norm_critic /= s.minibatch_steps;
    if (actor_norms > 0) s.grad_norm_actor /= actor_norms;
    buffer_clear(h);
    if (stats) *stats = s;
    return ET_OK;
}
