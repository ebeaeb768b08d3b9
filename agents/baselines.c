/* baselines.c: all-local, all-server, random, greedy, tuned-static and tuned-dynamic
 * (agents/README.md).
 * See baselines.h for each rule and agents/README.md for how they are used. */
#include "baselines.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

/* Random's first allocation covers this many UEs so that the study's sizes
 * (6 to 9 UEs) and most scaled-up runs never allocate after create. */
#define RANDOM_INITIAL_UES 64

/* ------------------------------------------------------------------ */
/* Shared helpers                                                      */
/* ------------------------------------------------------------------ */

static et_status check_keep(const et_policy_params *params, const char *policy, et_error *err)
{
    if (!params) return et_error_set(err, ET_ERR_INTERNAL, "policy '%s': no parameters", policy);
    /* !(x > 0) also rejects NaN. */
    if (!(params->keep > 0.0) || params->keep > 1.0)
        return et_error_set(
            err, ET_ERR_INPUT,
            "policy '%s': key 'baselines.keep': expected a number in (0, 1], got %g", policy,
            params->keep);
    return ET_OK;
}

static et_status check_view(const et_obs_view *view, const char *policy, et_error *err)
{
    if (!view || !view->task)
        return et_error_set(err, ET_ERR_INTERNAL, "policy '%s': decide() without a task view",
                            policy);
    return ET_OK;
}

/* Seconds to move size_bytes at rate_bps. Zero bytes cost nothing even on a
 * dead link, so a cached emulator never makes an estimate NaN or infinite. */
static double transfer_s(double size_bytes, double rate_bps)
{
    if (size_bytes <= 0.0) return 0.0;
    if (!(rate_bps > 0.0)) return INFINITY;
    return size_bytes * 8.0 / rate_bps;
}

static double compute_s(double work_flops, double speed_flops)
{
    if (work_flops <= 0.0) return 0.0;
    if (!(speed_flops > 0.0)) return INFINITY;
    return work_flops / speed_flops;
}

/* Baselines learn nothing: feedback and episode_end are no-ops, present so
 * that callers never have to test an op for NULL. */
static void feedback_ignore(et_agent *agent, const et_feedback *fb)
{
    (void)agent;
    (void)fb;
}

static void episode_begin_ignore(et_agent *agent, int episode, int n_ue, uint64_t episode_seed)
{
    (void)agent;
    (void)episode;
    (void)n_ue;
    (void)episode_seed;
}

static void episode_end_ignore(et_agent *agent)
{
    (void)agent;
}

static void destroy_impl(et_agent *agent)
{
    free(agent->impl);
    agent->impl = NULL;
}

/* ------------------------------------------------------------------ */
/* The estimator                                                       */
/* ------------------------------------------------------------------ */

double et_baseline_expected_delay_s(const et_task_view *v, et_location loc, double keep)
{
    const et_fm *fm = v->fm;
    et_cost c;
    et_cost_task(fm, v->setup, loc, keep, v->tokens, v->epochs, &c);
    /* The simulator fails a LOCAL task that does not fit; never worth choosing. */
    if (loc == ET_LOCATION_LOCAL && c.memory_bytes > v->ue_memory_bytes) return INFINITY;
    double download_s = transfer_s(et_cost_download_bytes(fm, &c, v->cached_b, v->adapter_cached),
                                   v->rate_down_bps);
    if (loc == ET_LOCATION_LOCAL)
        return download_s + compute_s(c.flops, v->ue_speed_flops) +
               transfer_s(c.upload_bytes, v->rate_up_bps);

    int jobs = v->server_jobs > 0 ? v->server_jobs : 0;
    int queued = v->server_queued > 0 ? v->server_queued : 0;
    double up_down_s = download_s + transfer_s(c.upload_bytes, v->rate_up_bps) +
                       transfer_s(c.result_down_bytes, v->rate_down_bps);
    if (v->server_memory_bytes > 0) {
        /* Memory admission (version 3): the job runs alone on an accelerator once the jobs
         * ahead of it (running and waiting, taken as the size of this one) have left. */
        double run_s = compute_s(c.flops, v->server_core_flops);
        double ahead = v->server_cores > 0 ? (double)(jobs + queued) / v->server_cores : INFINITY;
        return up_down_s + run_s + ahead * run_s;
    }
    /* No admission (version 2): a job gets one core while there are free cores, then an
     * equal share of all of them (the server's CPU is shared by every running job). */
    double share =
        v->server_cores > 0 ? fmin(1.0, (double)v->server_cores / (double)(jobs + 1)) : 0.0;
    return up_down_s + compute_s(c.flops, v->server_core_flops * share);
}

/* ------------------------------------------------------------------ */
/* all-local, all-server                                               */
/* ------------------------------------------------------------------ */

typedef struct fixed_policy {
    et_location location;
    double keep;
} fixed_policy;

static et_status fixed_decide(et_agent *agent, const et_obs_view *view, et_action *action,
                              et_error *err)
{
    et_status st = check_view(view, agent->ops->name, err);
    if (st != ET_OK) return st;
    const fixed_policy *p = agent->impl;
    action->location = p->location;
    action->keep = p->keep;
    return ET_OK;
}

static const et_agent_ops all_local_ops = {
    .name = "all-local",
    .decide = fixed_decide,
    .feedback = feedback_ignore,
    .episode_begin = episode_begin_ignore,
    .episode_end = episode_end_ignore,
    .destroy = destroy_impl,
};

static const et_agent_ops all_server_ops = {
    .name = "all-server",
    .decide = fixed_decide,
    .feedback = feedback_ignore,
    .episode_begin = episode_begin_ignore,
    .episode_end = episode_end_ignore,
    .destroy = destroy_impl,
};

static et_status create_fixed(const et_agent_ops *ops, et_location location,
                              const et_policy_params *params, et_agent *agent, et_error *err)
{
    et_status st = check_keep(params, ops->name, err);
    if (st != ET_OK) return st;
    fixed_policy *p = malloc(sizeof *p);
    if (!p) return et_error_set(err, ET_ERR_NOMEM, "policy '%s': out of memory", ops->name);
    p->location = location;
    p->keep = params->keep;
    agent->ops = ops;
    agent->impl = p;
    return ET_OK;
}

et_status et_baseline_create_all_local(const et_policy_params *params, et_agent *agent,
                                       et_error *err)
{
    return create_fixed(&all_local_ops, ET_LOCATION_LOCAL, params, agent, err);
}

et_status et_baseline_create_all_server(const et_policy_params *params, et_agent *agent,
                                        et_error *err)
{
    return create_fixed(&all_server_ops, ET_LOCATION_SERVER, params, agent, err);
}

/* ------------------------------------------------------------------ */
/* random                                                              */
/* ------------------------------------------------------------------ */

typedef struct random_policy {
    uint64_t seed;
    et_rng *streams; /* one per UE, (capacity) entries */
    int capacity;    /* UEs the streams array can hold */
    int n_ue;        /* UEs seeded for the current episode */
    int grow_failed; /* episode_begin could not allocate: decide reports it */
    int wanted_n_ue; /* the n_ue that episode_begin was asked for */
} random_policy;

/* Combines the scenario seed with the episode seed. Plain XOR would make
 * (seed 1, episode seed 2) and (seed 2, episode seed 1) the same run; the
 * odd multiplier (splitmix64's increment) breaks that symmetry and stays a
 * bijection in episode_seed, so distinct episodes never share streams. */
static uint64_t mix_seeds(uint64_t seed, uint64_t episode_seed)
{
    return seed ^ (episode_seed * 0x9E3779B97F4A7C15ULL);
}

static void random_seed_streams(random_policy *p, uint64_t episode_seed)
{
    uint64_t seed = mix_seeds(p->seed, episode_seed);
    for (int ue = 0; ue < p->n_ue; ue++)
        et_rng_seed(&p->streams[ue], seed, et_rng_stream_id(ET_RNG_POLICY, (uint64_t)ue));
}

static void random_episode_begin(et_agent *agent, int episode, int n_ue, uint64_t episode_seed)
{
    (void)episode;
    random_policy *p = agent->impl;
    p->wanted_n_ue = n_ue;
    p->grow_failed = 0;
    if (n_ue > p->capacity) {
        /* episode_begin cannot return a status, so a failure is remembered
         * and reported by the next decide() for a UE without a stream. */
        et_rng *grown = realloc(p->streams, (size_t)n_ue * sizeof *grown);
        if (grown) {
            p->streams = grown;
            p->capacity = n_ue;
        } else {
            p->grow_failed = 1;
        }
    }
    int usable = n_ue > 0 ? n_ue : 0;
    p->n_ue = usable < p->capacity ? usable : p->capacity;
    random_seed_streams(p, episode_seed);
}

static et_status random_decide(et_agent *agent, const et_obs_view *view, et_action *action,
                               et_error *err)
{
    et_status st = check_view(view, agent->ops->name, err);
    if (st != ET_OK) return st;
    random_policy *p = agent->impl;
    const et_task_view *t = view->task;
    if (t->ue < 0 || t->ue >= p->n_ue) {
        if (p->grow_failed && t->ue >= 0 && t->ue < p->wanted_n_ue)
            return et_error_set(err, ET_ERR_NOMEM,
                                "policy 'random': out of memory for %d UE streams", p->wanted_n_ue);
        return et_error_set(err, ET_ERR_INTERNAL,
                            "policy 'random': ue %d outside [0, %d) given to episode_begin", t->ue,
                            p->n_ue);
    }
    double k_min = t->k_min, k_max = t->k_max;
    if (!(k_min > 0.0)) k_min = 0.0;
    if (!(k_max <= 1.0)) k_max = 1.0;
    if (k_min > k_max) k_min = k_max;
    /* Exactly two draws per decision, so a UE's location and keep sequences
     * never shift relative to each other. Two locations: et_rng_below(2)
     * never rejects, so it consumes one draw. */
    et_rng *r = &p->streams[t->ue];
    action->location =
        et_rng_below(r, ET_LOCATION_COUNT) == 0 ? ET_LOCATION_LOCAL : ET_LOCATION_SERVER;
    action->keep = et_rng_range(r, k_min, k_max);
    return ET_OK;
}

static void random_destroy(et_agent *agent)
{
    random_policy *p = agent->impl;
    if (p) free(p->streams);
    free(p);
    agent->impl = NULL;
}

static const et_agent_ops random_ops = {
    .name = "random",
    .decide = random_decide,
    .feedback = feedback_ignore,
    .episode_begin = random_episode_begin,
    .episode_end = episode_end_ignore,
    .destroy = random_destroy,
};

et_status et_baseline_create_random(const et_policy_params *params, et_agent *agent, et_error *err)
{
    if (!params) return et_error_set(err, ET_ERR_INTERNAL, "policy 'random': no parameters");
    random_policy *p = malloc(sizeof *p);
    et_rng *streams = malloc(RANDOM_INITIAL_UES * sizeof *streams);
    if (!p || !streams) {
        free(p);
        free(streams);
        return et_error_set(err, ET_ERR_NOMEM, "policy 'random': out of memory");
    }
    *p = (random_policy){.seed = params->seed, .streams = streams, .capacity = RANDOM_INITIAL_UES};
    /* Seed for episode seed 0 so that a decide() before any episode_begin is
     * still deterministic; the simulator is expected to call episode_begin. */
    p->n_ue = p->wanted_n_ue = RANDOM_INITIAL_UES;
    random_seed_streams(p, 0);
    agent->ops = &random_ops;
    agent->impl = p;
    return ET_OK;
}

/* ------------------------------------------------------------------ */
/* greedy                                                              */
/* ------------------------------------------------------------------ */

typedef struct greedy_policy {
    double keep;
} greedy_policy;

static et_status greedy_decide(et_agent *agent, const et_obs_view *view, et_action *action,
                               et_error *err)
{
    et_status st = check_view(view, agent->ops->name, err);
    if (st != ET_OK) return st;
    if (!view->task->fm)
        return et_error_set(err, ET_ERR_INTERNAL, "policy 'greedy': task view without an FM");
    const greedy_policy *p = agent->impl;
    /* The simulator maps keep to b within [k_min, k_max]; et_cost_task does
     * the same, so the estimate is of what would run. */
    double keep = p->keep;
    double local_s = et_baseline_expected_delay_s(view->task, ET_LOCATION_LOCAL, keep);
    double server_s = et_baseline_expected_delay_s(view->task, ET_LOCATION_SERVER, keep);
    /* Strictly lower only: ties (and two infinite estimates) offload, which
     * keeps the UE's memory free and never risks a memory failure. */
    action->location = local_s < server_s ? ET_LOCATION_LOCAL : ET_LOCATION_SERVER;
    action->keep = p->keep;
    return ET_OK;
}

static const et_agent_ops greedy_ops = {
    .name = "greedy",
    .decide = greedy_decide,
    .feedback = feedback_ignore,
    .episode_begin = episode_begin_ignore,
    .episode_end = episode_end_ignore,
    .destroy = destroy_impl,
};

et_status et_baseline_create_greedy(const et_policy_params *params, et_agent *agent, et_error *err)
{
    et_status st = check_keep(params, greedy_ops.name, err);
    if (st != ET_OK) return st;
    greedy_policy *p = malloc(sizeof *p);
    if (!p) return et_error_set(err, ET_ERR_NOMEM, "policy 'greedy': out of memory");
    p->keep = params->keep;
    agent->ops = &greedy_ops;
    agent->impl = p;
    return ET_OK;
}

/* ------------------------------------------------------------------ */
/* tuned-static                                                        */
/* ------------------------------------------------------------------ */

static et_status static_decide(et_agent *agent, const et_obs_view *view, et_action *action,
                               et_error *err)
{
    et_status st = check_view(view, agent->ops->name, err);
    if (st != ET_OK) return st;
    const et_static_rule *p = agent->impl;
    const char *cls = view->task->device_class ? view->task->device_class : "";
    action->location = ET_LOCATION_SERVER;
    for (int i = 0; i < p->n_local; i++)
        if (strcmp(cls, p->local[i]) == 0) action->location = ET_LOCATION_LOCAL;
    action->keep = p->keep;
    return ET_OK;
}

static const et_agent_ops static_ops = {
    .name = "tuned-static",
    .decide = static_decide,
    .feedback = feedback_ignore,
    .episode_begin = episode_begin_ignore,
    .episode_end = episode_end_ignore,
    .destroy = destroy_impl,
};

static et_status bad_rule(const char *rule, const char *why, et_error *err)
{
    return et_error_set(err, ET_ERR_INPUT,
                        "policy 'tuned-static': key 'baselines.static_rule': expected "
                        "\"local=CLASS[,CLASS...];k=K\", got \"%.100s\" (%s)",
                        rule, why);
}

/* Parses "local=a,b;k=0.25" (either part may be missing) into p. */
et_status et_baseline_static_parse(const char *rule, double keep, et_static_rule *p, et_error *err)
{
    memset(p, 0, sizeof *p);
    p->keep = keep;
    if (!rule || !rule[0]) return ET_OK;
    char buf[512];
    if (strlen(rule) >= sizeof buf) return bad_rule(rule, "too long", err);
    strcpy(buf, rule);
    for (char *part = strtok(buf, ";"); part; part = strtok(NULL, ";")) {
        if (strncmp(part, "k=", 2) == 0) {
            char *end = NULL;
            double k = strtod(part + 2, &end);
            if (end == part + 2 || *end != '\0' || !(k > 0.0 && k <= 1.0))
                return bad_rule(rule, "k must be a number in (0, 1]", err);
            p->keep = k;
        } else if (strncmp(part, "local=", 6) == 0) {
            const char *c = part + 6;
            while (*c) {
                const char *comma = strchr(c, ',');
                size_t len = comma ? (size_t)(comma - c) : strlen(c);
                if (len == 0 || len >= sizeof p->local[0])
                    return bad_rule(rule, "a class name is empty or over 31 characters", err);
                if (p->n_local == ET_STATIC_MAX_CLASSES)
                    return bad_rule(rule, "too many classes", err);
                memcpy(p->local[p->n_local], c, len);
                p->local[p->n_local++][len] = '\0';
                c += len + (comma ? 1 : 0);
            }
        } else {
            return bad_rule(rule, "unknown part", err);
        }
    }
    return ET_OK;
}

et_status et_baseline_create_static(const et_policy_params *params, et_agent *agent, et_error *err)
{
    et_status st = check_keep(params, static_ops.name, err);
    if (st != ET_OK) return st;
    et_static_rule *p = malloc(sizeof *p);
    if (!p) return et_error_set(err, ET_ERR_NOMEM, "policy 'tuned-static': out of memory");
    st = et_baseline_static_parse(params->rule, params->keep, p, err);
    if (st != ET_OK) {
        free(p);
        return st;
    }
    agent->ops = &static_ops;
    agent->impl = p;
    return ET_OK;
}

void et_baseline_static_rule(char *buf, size_t size, const char *const *local_classes, int n_local,
                             double keep)
{
    size_t used = 0;
    buf[0] = '\0';
    if (n_local > 0) used += (size_t)snprintf(buf, size, "local=");
    for (int i = 0; i < n_local && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? "," : "", local_classes[i]);
    if (used < size) snprintf(buf + used, size - used, "%sk=%.6g", n_local > 0 ? ";" : "", keep);
}

/* ------------------------------------------------------------------ */
/* tuned-dynamic                                                       */
/* ------------------------------------------------------------------ */

#define DYNAMIC_GRAMMAR                                                                            \
    "\"CLASS:q=Q,k=K[;CLASS:q=Q,k=K...]\" (Q an integer >= 0 or inf, K in (0, 1])"

static et_status bad_dynamic(const char *text, const char *why, et_error *err)
{
    return et_error_set(err, ET_ERR_INPUT,
                        "policy 'tuned-dynamic': key 'baselines.dynamic_rule': expected "
                        "%s, got \"%.100s\" (%s)",
                        DYNAMIC_GRAMMAR, text, why);
}

/* K of "k=K": a number in (0, 1] filling the whole field. */
static int parse_keep_value(const char *s, double *keep)
{
    char *end = NULL;
    double k = strtod(s, &end);
    if (end == s || *end != '\0' || !(k > 0.0 && k <= 1.0)) return 0;
    *keep = k;
    return 1;
}

/* Q of "q=Q": digits only (no sign, no exponent) up to ET_DYNAMIC_Q_MAX, or "inf". */
static int parse_q_value(const char *s, int *q)
{
    if (strcmp(s, "inf") == 0) {
        *q = ET_DYNAMIC_Q_INF;
        return 1;
    }
    if (!*s) return 0;
    long v = 0;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9') return 0;
        v = 10 * v + (*c - '0');
        if (v > ET_DYNAMIC_Q_MAX) return 0;
    }
    *q = (int)v;
    return 1;
}

int et_baseline_dynamic_find(const et_dynamic_rule *r, const char *name)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->cls[i].name, name) == 0) return i;
    return -1;
}

/* One "CLASS:q=Q[,k=K]" part into r->cls[r->n]; *has_keep says whether it gave k. */
static et_status parse_dynamic_class(const char *text, char *part, et_dynamic_rule *r,
                                     int *has_keep, et_error *err)
{
    char *colon = strchr(part, ':');
    size_t len = (size_t)(colon - part);
    if (len == 0 || len >= sizeof r->cls[0].name)
        return bad_dynamic(text, "a class name is empty or over 31 characters", err);
    if (r->n == ET_STATIC_MAX_CLASSES) return bad_dynamic(text, "too many classes", err);
    et_dynamic_class *c = &r->cls[r->n];
    memcpy(c->name, part, len);
    c->name[len] = '\0';
    if (strchr(c->name, ',') || strchr(c->name, '='))
        return bad_dynamic(text, "a class name holds ',' or '='", err);
    if (et_baseline_dynamic_find(r, c->name) >= 0)
        return bad_dynamic(text, "a class is given twice", err);
    int has_q = 0;
    *has_keep = 0;
    for (char *field = colon + 1, *next; field; field = next) {
        next = strchr(field, ',');
        if (next) *next++ = '\0';
        if (strncmp(field, "q=", 2) == 0 && !has_q) {
            if (!parse_q_value(field + 2, &c->q))
                return bad_dynamic(text, "q must be an integer >= 0 or inf", err);
            has_q = 1;
        } else if (strncmp(field, "k=", 2) == 0 && !*has_keep) {
            if (!parse_keep_value(field + 2, &c->keep))
                return bad_dynamic(text, "k must be a number in (0, 1]", err);
            *has_keep = 1;
        } else {
            return bad_dynamic(text, "a class takes q=Q and optionally k=K, each once", err);
        }
    }
    if (!has_q) return bad_dynamic(text, "a class without q=Q", err);
    r->n++;
    return ET_OK;
}

et_status et_baseline_dynamic_parse(const char *text, double keep, et_dynamic_rule *out,
                                    et_error *err)
{
    memset(out, 0, sizeof *out);
    out->keep = keep;
    if (!text || !text[0]) return ET_OK;
    char buf[512];
    if (strlen(text) >= sizeof buf) return bad_dynamic(text, "too long", err);
    strcpy(buf, text);
    int keep_from_class[ET_STATIC_MAX_CLASSES] = {0};
    /* strtok would merge empty parts ("a:q=1;;b:q=2"): split by hand so they are refused. */
    for (char *part = buf, *next; part; part = next) {
        next = strchr(part, ';');
        if (next) *next++ = '\0';
        if (strncmp(part, "k=", 2) == 0 && !strchr(part, ':')) {
            if (out->keep_given) return bad_dynamic(text, "k=K alone is given twice", err);
            if (!parse_keep_value(part + 2, &out->keep))
                return bad_dynamic(text, "k must be a number in (0, 1]", err);
            out->keep_given = 1;
        } else if (strchr(part, ':')) {
            int has_keep = 0;
            et_status st = parse_dynamic_class(text, part, out, &has_keep, err);
            if (st != ET_OK) return st;
            keep_from_class[out->n - 1] = has_keep;
        } else {
            return bad_dynamic(
                text, *part ? "a part is neither CLASS:... nor k=K" : "an empty part", err);
        }
    }
    /* A class without k takes the rule's keep, wherever "k=K" stood. */
    for (int i = 0; i < out->n; i++)
        if (!keep_from_class[i]) out->cls[i].keep = out->keep;
    return ET_OK;
}

void et_baseline_dynamic_format(const et_dynamic_rule *r, char *buf, size_t size)
{
    size_t used = 0;
    if (size == 0) return;
    buf[0] = '\0';
    if (r->keep_given) used += (size_t)snprintf(buf, size, "k=%.6g", r->keep);
    for (int i = 0; i < r->n && used < size; i++) {
        const et_dynamic_class *c = &r->cls[i];
        char q[16];
        if (c->q == ET_DYNAMIC_Q_INF)
            snprintf(q, sizeof q, "inf");
        else
            snprintf(q, sizeof q, "%d", c->q);
        used += (size_t)snprintf(buf + used, size - used, "%s%s:q=%s,k=%.6g", used ? ";" : "",
                                 c->name, q, c->keep);
    }
}

static et_status dynamic_decide(et_agent *agent, const et_obs_view *view, et_action *action,
                                et_error *err)
{
    et_status st = check_view(view, agent->ops->name, err);
    if (st != ET_OK) return st;
    const et_dynamic_rule *r = agent->impl;
    const et_task_view *t = view->task;
    int c = et_baseline_dynamic_find(r, t->device_class ? t->device_class : "");
    /* Jobs running and jobs waiting both stand between a new job and the accelerator; a
     * report can only under-count (it is as old as load_age_s), never be negative. */
    long load = (long)(t->server_jobs > 0 ? t->server_jobs : 0) +
                (long)(t->server_queued > 0 ? t->server_queued : 0);
    if (c < 0 || load < r->cls[c].q) {
        action->location = ET_LOCATION_SERVER;
        action->keep = r->keep;
    } else {
        action->location = ET_LOCATION_LOCAL;
        action->keep = r->cls[c].keep;
    }
    return ET_OK;
}

static const et_agent_ops dynamic_ops = {
    .name = "tuned-dynamic",
    .decide = dynamic_decide,
    .feedback = feedback_ignore,
    .episode_begin = episode_begin_ignore,
    .episode_end = episode_end_ignore,
    .destroy = destroy_impl,
};

et_status et_baseline_create_dynamic(const et_policy_params *params, et_agent *agent, et_error *err)
{
    et_status st = check_keep(params, dynamic_ops.name, err);
    if (st != ET_OK) return st;
    et_dynamic_rule *r = malloc(sizeof *r);
    if (!r) return et_error_set(err, ET_ERR_NOMEM, "policy 'tuned-dynamic': out of memory");
    st = et_baseline_dynamic_parse(params->dynamic_rule, params->keep, r, err);
    if (st != ET_OK) {
        free(r);
        return st;
    }
    agent->ops = &dynamic_ops;
    agent->impl = r;
    return ET_OK;
}
