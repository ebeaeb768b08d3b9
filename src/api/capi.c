/* capi.c: the flat C surface for foreign-function callers (edgetune_capi.h). */
#include "edgetune_capi.h"

#include <cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "build_commit.h"
#include "edgetune.h"
#include "edgetune_cjson.h"
#include "hmppo.h"
#include "numtext.h"
#include "scenario.h"
#include "sim.h"
#include "status.h"
#include "trace.h"

#define CAPI_MAX_COMPANIONS 8

/* The task buffer's fields, in order (edgetune_capi.h ET_CAPI_TASK_FIELD_LIST). */
#define CAPI_FIELD_NAME(name, unit, meaning) #name,
static const char *const TASK_FIELDS[ET_CAPI_TASK_FIELDS + 1] = {
    ET_CAPI_TASK_FIELD_LIST(CAPI_FIELD_NAME) NULL};

static const char *const FEEDBACK_FIELDS[ET_CAPI_FEEDBACK_FIELDS + 1] = {
    "ue", "reward", "done", "delay_s", "ppl", "failed", "keep_effective", "elapsed_s", NULL};

struct et_capi_sim {
    et_scenario sc;
    et_sim *sim;
    et_agent agent; /* the foreign policy, decided through the callbacks below */
    et_capi_decide_fn decide;
    et_capi_feedback_fn feedback;
    et_capi_episode_begin_fn begin;
    et_capi_episode_end_fn end;
    void *ctx;
    et_agent *companions[CAPI_MAX_COMPANIONS];
    int n_companions;
    const et_obs_view *pending; /* the decision in progress, NULL between decisions */
    int running;                /* a run is in progress (the callbacks are being called) */
    int callback_failed;        /* feedback, begin or end returned nonzero in this run */
    int episode;                /* the running episode's index and seed (for a companion */
    uint64_t episode_seed;      /* added mid-episode) */
    int destroy_pending;        /* et_capi_sim_destroy was called from a callback */
    double task[ET_CAPI_TASK_FIELDS];
    double action[2];
    double fb[ET_CAPI_FEEDBACK_FIELDS];
};

static int to_err(et_status st, const et_error *e, char *err, size_t err_size)
{
    if (err && err_size) snprintf(err, err_size, "%s", st == ET_OK ? "" : e->msg);
    return (int)st;
}

/* The live handle. One process holds one engine and one platform, so at most one handle ever
 * works; knowing it turns a NULL, destroyed or stray pointer into an error status instead of
 * a crash (and a second destroy into nothing). Process-wide, like the engine it stands for. */
static et_capi_sim *live_handle;

static int is_live(const et_capi_sim *h)
{
    return h != NULL && h == live_handle;
}

/* ET_ERR_INPUT naming the function when h is not the live handle. */
static et_status check_handle(const et_capi_sim *h, const char *fn, et_error *e)
{
    if (is_live(h)) return ET_OK;
    return et_error_set(e, ET_ERR_INPUT,
                        "%s: %s is not a simulator handle of this process (NULL, destroyed, or "
                        "never created by et_capi_sim_create)",
                        fn, h ? "the handle" : "NULL");
}

/* ET_ERR_INPUT when a run is in progress: what fn would change is in use. */
static et_status check_idle(const et_capi_sim *h, const char *fn, et_error *e)
{
    if (!h->running) return ET_OK;
    return et_error_set(e, ET_ERR_INPUT,
                        "%s: an episode is running on this simulator (called from inside a "
                        "policy callback?); call it between episodes",
                        fn);
}

int et_capi_engine_init(char *err, size_t err_size)
{
    et_error e;
    et_error_clear(&e);
    char name[] = "edgetune";
    char *argv[] = {name, NULL};
    int argc = 1;
    void *saved = et_numtext_enter();
    et_status st = et_engine_init(&argc, argv, NULL, &e);
    et_numtext_leave(saved);
    return to_err(st, &e, err, err_size);
}

/* ------------------------------------------------------- the foreign agent */

#define CAPI_FIELD_VALUE(name, unit, meaning) (double)t->name,
static void fill_task(double *d, const et_task_view *t)
{
    const double v[ET_CAPI_TASK_FIELDS] = {ET_CAPI_TASK_FIELD_LIST(CAPI_FIELD_VALUE)};
    memcpy(d, v, sizeof v);
}

static et_status foreign_decide(et_agent *agent, const et_obs_view *view, et_action *action,
                                et_error *err)
{
    et_capi_sim *h = agent->impl;
    fill_task(h->task, view->task);
    h->action[0] = action->location;
    h->action[1] = action->keep;
    if (h->callback_failed)
        return et_error_set(err, ET_ERR_INTERNAL,
                            "the policy's feedback() or episode_begin() failed before UE %d, task "
                            "%d, %.3f s simulated",
                            view->task->ue, view->task->task_index, view->task->now_s);
    h->pending = view;
    int rc = h->decide(h->ctx, view->task->ue, view->state);
    h->pending = NULL;
    if (rc != 0) {
        et_status st =
            rc >= ET_ERR_INPUT && rc <= ET_ERR_INTERNAL ? (et_status)rc : ET_ERR_INTERNAL;
        return et_error_set(err, st,
                            "the policy's decide() failed at UE %d, task %d, %.3f s simulated",
                            view->task->ue, view->task->task_index, view->task->now_s);
    }
    /* Exactly LOCAL or SERVER: 7 or NaN is the policy's mistake, not a choice of SERVER. */
    double loc = h->action[0];
    if (loc != ET_LOCATION_LOCAL && loc != ET_LOCATION_SERVER)
        return et_error_set(err, ET_ERR_INPUT,
                            "the policy's decide() wrote location %g at UE %d, task %d, %.3f s "
                            "simulated (expected 0, LOCAL, or 1, SERVER)",
                            loc, view->task->ue, view->task->task_index, view->task->now_s);
    /* A keep in [k_min, k_max], as the action space says: 5.0 is the policy's mistake too, not
     * a keep to clip (one rule for every component of a foreign action; docs/python.md). */
    double keep = h->action[1];
    if (!(keep >= h->sc.sim.k_min && keep <= h->sc.sim.k_max))
        return et_error_set(err, ET_ERR_INPUT,
                            "the policy's decide() wrote keep %g at UE %d, task %d, %.3f s "
                            "simulated (expected a number in [%g, %g], tuning.k_min and "
                            "tuning.k_max)",
                            keep, view->task->ue, view->task->task_index, view->task->now_s,
                            h->sc.sim.k_min, h->sc.sim.k_max);
    action->location = loc == ET_LOCATION_LOCAL ? ET_LOCATION_LOCAL : ET_LOCATION_SERVER;
    action->keep = keep;
    return ET_OK;
}

static void foreign_feedback(et_agent *agent, const et_feedback *fb)
{
    et_capi_sim *h = agent->impl;
    for (int i = 0; i < h->n_companions; i++)
        h->companions[i]->ops->feedback(h->companions[i], fb);
    const double v[ET_CAPI_FEEDBACK_FIELDS] = {
        fb->ue,  fb->reward, fb->done,           fb->delay_s,
        fb->ppl, fb->failed, fb->keep_effective, fb->elapsed_s};
    memcpy(h->fb, v, sizeof v);
    if (h->feedback && h->feedback(h->ctx, fb->ue, fb->reward, fb->done) != 0)
        h->callback_failed = 1;
}

static void foreign_begin(et_agent *agent, int episode, int n_ue, uint64_t seed)
{
    et_capi_sim *h = agent->impl;
    h->episode = episode;
    h->episode_seed = seed;
    for (int i = 0; i < h->n_companions; i++)
        h->companions[i]->ops->episode_begin(h->companions[i], episode, n_ue, seed);
    if (h->begin && h->begin(h->ctx, episode, n_ue, (unsigned long long)seed) != 0)
        h->callback_failed = 1;
}

static void foreign_end(et_agent *agent)
{
    et_capi_sim *h = agent->impl;
    for (int i = 0; i < h->n_companions; i++)
        h->companions[i]->ops->episode_end(h->companions[i]);
    if (h->end && h->end(h->ctx) != 0) h->callback_failed = 1;
}

static void foreign_destroy(et_agent *agent)
{
    (void)agent; /* the handle owns it */
}

static const et_agent_ops FOREIGN_OPS = {"foreign",     foreign_decide, foreign_feedback,
                                         foreign_begin, foreign_end,    foreign_destroy};

int et_capi_sim_set_policy(et_capi_sim *h, et_capi_decide_fn decide, et_capi_feedback_fn feedback,
                           et_capi_episode_begin_fn begin, et_capi_episode_end_fn end, void *ctx,
                           char *err, size_t err_size)
{
    et_error e;
    et_error_clear(&e);
    et_status st = check_handle(h, "et_capi_sim_set_policy", &e);
    if (st == ET_OK) st = check_idle(h, "et_capi_sim_set_policy", &e);
    if (st != ET_OK) return to_err(st, &e, err, err_size);
    h->decide = decide;
    h->feedback = feedback;
    h->begin = begin;
    h->end = end;
    h->ctx = ctx;
    return ET_OK;
}

/* ------------------------------------------------------------ the handle */

int et_capi_sim_create(const char *scenario_path, const char *data_dir, const char *const *keys,
                       const char *const *values, const char *const *names, int n_overrides,
                       et_capi_sim **out, char *err, size_t err_size)
{
    et_error e;
    et_error_clear(&e);
    if (!out)
        return to_err(et_error_set(&e, ET_ERR_INPUT, "et_capi_sim_create: out is NULL"), &e, err,
                      err_size);
    *out = NULL;
    if (!data_dir || n_overrides < 0 || (n_overrides > 0 && (!keys || !values)))
        return to_err(et_error_set(&e, ET_ERR_INPUT,
                                   "et_capi_sim_create: data_dir is NULL, or the overrides' "
                                   "arrays are missing for %d overrides",
                                   n_overrides),
                      &e, err, err_size);
    et_capi_sim *h = calloc(1, sizeof *h);
    if (!h) return to_err(et_error_set(&e, ET_ERR_NOMEM, "out of memory"), &e, err, err_size);
    char def[ET_PATH_MAX + 32];
    if (!scenario_path) {
        snprintf(def, sizeof def, "%s/examples/default.json", data_dir);
        scenario_path = def;
    }
    void *saved = et_numtext_enter();
    et_status st = et_scenario_load(scenario_path, data_dir, &h->sc, &e);
    /* Every override through the key table, as the CLI's options (one path: type, range). */
    for (int i = 0; st == ET_OK && i < n_overrides; i++) {
        char source[128];
        snprintf(source, sizeof source, "%s", names && names[i] ? names[i] : "override");
        st = et_scenario_set(&h->sc, keys[i], values[i], source, &e);
    }
    if (st == ET_OK) st = et_scenario_validate(&h->sc, &e);
    if (st == ET_OK) st = et_sim_create(&h->sc, &h->sim, &e);
    et_numtext_leave(saved);
    if (st != ET_OK) {
        et_sim_destroy(h->sim);
        free(h);
        return to_err(st, &e, err, err_size);
    }
    h->agent = (et_agent){&FOREIGN_OPS, h};
    live_handle = h;
    *out = h;
    return ET_OK;
}

void et_capi_sim_destroy(et_capi_sim *h)
{
    if (!is_live(h)) return;
    if (h->running) { /* from a callback: the run in progress still uses it */
        h->destroy_pending = 1;
        return;
    }
    for (int i = 0; i < h->n_companions; i++)
        et_agent_destroy(h->companions[i]);
    et_sim_destroy(h->sim);
    live_handle = NULL;
    free(h);
}

int et_capi_sim_ue_count(const et_capi_sim *h)
{
    return is_live(h) ? et_sim_ue_count(h->sim) : -1;
}

int et_capi_state_dim(const et_capi_sim *h)
{
    return is_live(h) ? et_state_dim(et_sim_ue_count(h->sim)) : -1;
}

int et_capi_obs_dim(void)
{
    return ET_OBS_DIM;
}

const char *et_capi_sim_ue_class(const et_capi_sim *h, int ue)
{
    return is_live(h) && ue >= 0 && ue < et_sim_ue_count(h->sim) ? et_sim_ue_class(h->sim, ue)
                                                                 : NULL;
}

char *et_capi_sim_scenario_json(const et_capi_sim *h)
{
    if (!is_live(h)) return NULL;
    void *saved = et_numtext_enter();
    char *text = et_scenario_to_json(&h->sc);
    et_numtext_leave(saved);
    return text;
}

void et_capi_free(void *p)
{
    free(p);
}

int et_capi_sim_set_seed(et_capi_sim *h, const char *seed, char *err, size_t err_size)
{
    et_error e;
    et_error_clear(&e);
    et_status st = check_handle(h, "et_capi_sim_set_seed", &e);
    if (st == ET_OK) st = check_idle(h, "et_capi_sim_set_seed", &e);
    if (st != ET_OK) return to_err(st, &e, err, err_size);
    /* Through the key table (type and range of 'seed'), on a copy: a refused seed changes
     * nothing. */
    uint64_t before = h->sc.sim.seed;
    st = et_scenario_set(&h->sc, "seed", seed, "set_seed", &e);
    if (st != ET_OK) {
        h->sc.sim.seed = before;
        return to_err(st, &e, err, err_size);
    }
    et_sim_set_seed(h->sim, h->sc.sim.seed);
    return ET_OK;
}

const char *et_capi_task_field(int i)
{
    return i >= 0 && i < ET_CAPI_TASK_FIELDS ? TASK_FIELDS[i] : NULL;
}

const char *et_capi_feedback_field(int i)
{
    return i >= 0 && i < ET_CAPI_FEEDBACK_FIELDS ? FEEDBACK_FIELDS[i] : NULL;
}

double *et_capi_sim_task(et_capi_sim *h)
{
    return is_live(h) ? h->task : NULL;
}

double *et_capi_sim_action(et_capi_sim *h)
{
    return is_live(h) ? h->action : NULL;
}

double *et_capi_sim_feedback(et_capi_sim *h)
{
    return is_live(h) ? h->fb : NULL;
}

/* ------------------------------------------------------------ companions */

/* A shipped baseline by name, or "checkpoint:PATH": a learned policy's checkpoint, run greedily
 * as `edgetune run --checkpoint PATH` runs it. */
static et_status make_baseline(const et_capi_sim *h, const char *name, et_agent **agent,
                               et_error *e)
{
    static const char prefix[] = "checkpoint:";
    if (strncmp(name, prefix, sizeof prefix - 1) == 0) {
        const char *path = name + sizeof prefix - 1;
        et_status st = et_hmppo_load(path, agent, NULL, 0, e);
        if (st != ET_OK) return st;
        et_hmppo_set_training(*agent, 0);
        int n_ue = et_hmppo_get_config(*agent)->n_ue;
        if (n_ue != et_sim_ue_count(h->sim)) {
            et_agent_destroy(*agent);
            *agent = NULL;
            return et_error_set(e, ET_ERR_INPUT,
                                "%s: checkpoint was trained for %d UEs, the scenario simulates %d",
                                path, n_ue, et_sim_ue_count(h->sim));
        }
        return ET_OK;
    }
    et_policy_params pp = {.keep = h->sc.sim.default_keep,
                           .seed = h->sc.sim.seed,
                           .rule = h->sc.static_rule,
                           .dynamic_rule = h->sc.dynamic_rule};
    return et_agent_create(name, &pp, agent, e);
}

int et_capi_companion_add(et_capi_sim *h, const char *baseline, int *id, char *err, size_t err_size)
{
    et_error e;
    et_error_clear(&e);
    et_status ok = check_handle(h, "et_capi_companion_add", &e);
    if (ok == ET_OK && (!baseline || !id))
        ok = et_error_set(&e, ET_ERR_INPUT, "et_capi_companion_add: baseline or id is NULL");
    if (ok != ET_OK) return to_err(ok, &e, err, err_size);
    if (h->n_companions == CAPI_MAX_COMPANIONS)
        return to_err(
            et_error_set(&e, ET_ERR_INPUT, "at most %d companion baselines", CAPI_MAX_COMPANIONS),
            &e, err, err_size);
    et_agent *a = NULL;
    et_status st = make_baseline(h, baseline, &a, &e);
    if (st != ET_OK) return to_err(st, &e, err, err_size);
    /* Mid-episode (a foreign policy's run in progress): it starts the running episode as it
     * would have at its beginning; the feedback already given is not replayed. */
    if (h->running) a->ops->episode_begin(a, h->episode, et_sim_ue_count(h->sim), h->episode_seed);
    *id = h->n_companions;
    h->companions[h->n_companions++] = a;
    return ET_OK;
}

int et_capi_companion_decide(et_capi_sim *h, int id, double *action, char *err, size_t err_size)
{
    et_error e;
    et_error_clear(&e);
    et_status ok = check_handle(h, "et_capi_companion_decide", &e);
    if (ok == ET_OK && !action)
        ok = et_error_set(&e, ET_ERR_INPUT, "et_capi_companion_decide: action is NULL");
    if (ok != ET_OK) return to_err(ok, &e, err, err_size);
    if (id < 0 || id >= h->n_companions)
        return to_err(et_error_set(&e, ET_ERR_INPUT, "no companion baseline %d", id), &e, err,
                      err_size);
    if (!h->pending)
        return to_err(et_error_set(&e, ET_ERR_INPUT,
                                   "baseline '%s': no decision in progress (ask it inside decide() "
                                   "or while a step waits for an action)",
                                   h->companions[id]->ops->name),
                      &e, err, err_size);
    et_action a = {(et_location)h->action[0], h->action[1]};
    et_agent *c = h->companions[id];
    et_status st = c->ops->decide(c, h->pending, &a, &e);
    if (st == ET_OK) { /* the keep as the simulator applies a baseline's (clipped to the range) */
        action[0] = a.location;
        action[1] = fmin(h->sc.sim.k_max, fmax(h->sc.sim.k_min, a.keep));
    }
    return to_err(st, &e, err, err_size);
}

/* ---------------------------------------------------------------- a run */

/* summary.json as the CLI writes it: {"run": run, "scenario": keys, "result": stats}. */
static char *summary_text(const et_capi_sim *h, const char *policy, const char *run_json,
                          const et_episode_stats *stats)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *run = run_json ? cJSON_Parse(run_json) : cJSON_CreateObject();
    cJSON *scen = et_scenario_to_cjson(&h->sc);
    cJSON *result = et_episode_stats_to_cjson(h->sim, stats);
    char *text = NULL;
    if (root && run && scen && result) {
        char sg[32];
        et_engine_version(sg, sizeof sg);
        /* What produced the files, beside what the caller says (its command, its language). */
        cJSON_AddStringToObject(run, "edgetune", ET_VERSION);
        cJSON_AddStringToObject(run, "commit", et_build_commit);
        cJSON_AddStringToObject(run, "simgrid", sg);
        cJSON_ReplaceItemInObject(scen, "policy", cJSON_CreateString(policy));
        cJSON_AddItemToObject(root, "run", run);
        cJSON_AddItemToObject(root, "scenario", scen);
        cJSON_AddItemToObject(root, "result", result);
        run = scen = result = NULL;
        char *printed = cJSON_Print(root);
        size_t n = printed ? strlen(printed) : 0;
        text = printed ? malloc(n + 2) : NULL;
        if (text) {
            memcpy(text, printed, n);
            memcpy(text + n, "\n", 2);
        }
        free(printed);
    }
    cJSON_Delete(run);
    cJSON_Delete(scen);
    cJSON_Delete(result);
    cJSON_Delete(root);
    return text;
}

static et_status run_episode(et_capi_sim *h, const char *baseline, const char *policy_name,
                             int episode, const char *out_dir, const char *run_json,
                             char **stats_json, et_error *e)
{
    et_agent *agent = &h->agent;
    et_agent *own = NULL;
    et_status st = ET_OK;
    if (baseline)
        st = make_baseline(h, baseline, &own, e);
    else if (!h->decide)
        st = et_error_set(e, ET_ERR_INPUT, "no policy: give a baseline's name or set a policy");
    if (own) agent = own;
    et_outputs out;
    memset(&out, 0, sizeof out);
    if (st == ET_OK && out_dir)
        st = et_outputs_open(&out, out_dir, 1, h->sc.write_channel_trace, e);
    et_episode_stats stats;
    h->callback_failed = 0;
    h->running = 1;
    if (st == ET_OK)
        st = et_sim_run_episode(h->sim, agent, episode, out_dir ? &out : NULL, &stats, e);
    h->running = 0;
    /* A callback that failed after the last decision (the last feedback, episode_end): the
     * episode ran to its end, but the caller's policy did not; nothing is written. */
    if (st == ET_OK && h->callback_failed && !baseline)
        st = et_error_set(e, ET_ERR_INTERNAL,
                          "the policy's feedback() or episode_end() failed; episode %d wrote "
                          "nothing",
                          episode);
    char *summary = NULL;
    if (st == ET_OK && out_dir) {
        summary = summary_text(h,
                               baseline      ? baseline
                               : policy_name ? policy_name
                                             : "foreign",
                               run_json, &stats);
        if (!summary) st = et_error_set(e, ET_ERR_NOMEM, "out of memory (or run_json not JSON)");
    }
    if (out_dir) {
        if (st == ET_OK)
            st = et_outputs_commit(&out, summary, e);
        else
            et_outputs_abort(&out);
    }
    free(summary);
    if (st == ET_OK) {
        *stats_json = et_episode_stats_to_json(h->sim, &stats);
        if (!*stats_json) st = et_error_set(e, ET_ERR_NOMEM, "out of memory");
    }
    et_agent_destroy(own);
    return st;
}

int et_capi_sim_run(et_capi_sim *h, const char *baseline, const char *policy_name, int episode,
                    const char *out_dir, const char *run_json, char **stats_json, char *err,
                    size_t err_size)
{
    et_error e;
    et_error_clear(&e);
    et_status st = check_handle(h, "et_capi_sim_run", &e);
    if (st == ET_OK && !stats_json)
        st = et_error_set(&e, ET_ERR_INPUT, "et_capi_sim_run: stats_json is NULL");
    if (st != ET_OK) return to_err(st, &e, err, err_size);
    *stats_json = NULL;
    /* SimGrid cannot run an engine from inside one of its own actors (it aborts). */
    if (h->running)
        return to_err(et_error_set(&e, ET_ERR_INPUT,
                                   "et_capi_sim_run: an episode is already running on this "
                                   "simulator (a run cannot start from inside a policy "
                                   "callback)"),
                      &e, err, err_size);
    if (episode < 0)
        return to_err(et_error_set(&e, ET_ERR_INPUT,
                                   "et_capi_sim_run: episode: expected an integer in [0, %d], "
                                   "got %d",
                                   2147483647, episode),
                      &e, err, err_size);
    void *saved = et_numtext_enter();
    st = run_episode(h, baseline, policy_name, episode, out_dir, run_json, stats_json, &e);
    et_numtext_leave(saved);
    if (h->destroy_pending) {
        h->destroy_pending = 0;
        et_capi_sim_destroy(h);
    }
    return to_err(st, &e, err, err_size);
}
