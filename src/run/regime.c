/* regime.c: the uniform worlds, the tuned rules and the hindsight bound (see regime.h). */
#define _DEFAULT_SOURCE
#include "regime.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent.h"
#include "bootstrap.h"
#include "cost.h"
#include "isolate.h"
#include "registry.h"
#include "tune.h"

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}


/* ==== 1. uniform worlds ======================================================================= */

/* One task's outcome under one choice. */
typedef struct outcome {
    double reward, delay_s, ppl, exposure;
    double deadline_s, difficulty; /* from the task view: a capped option's failure cost */
    int failed, late, done;
    int b; /* emulator blocks it ran with (a LOCAL world caps b at what fits) */
} outcome;

typedef struct option_run {
    et_sim *sim;
    int local;
    double keep;
    int episode;
    int tasks_per_ue, n_tasks;
    outcome *out; /* the child's result buffer, set in the child */
} option_run;

static outcome *outcome_of(option_run *run, int ue, int task)
{
    if (ue < 0 || task < 0 || task >= run->tasks_per_ue) return NULL;
    size_t j = (size_t)ue * (size_t)run->tasks_per_ue + (size_t)task;
    return j < (size_t)run->n_tasks ? &run->out[j] : NULL;
}

/* The agent of a uniform world. SERVER: every task offloads. LOCAL: every UE tunes
 * locally on an emulator of the option's keep fraction, or on the largest one that fits
 * its memory, so that no UE fails and the carrier and server see the same kind of load in
 * every LOCAL world. (Plain all-local would let the devices that cannot hold the emulator
 * fail at once, and the others would then find the carrier emptier: a task's outcome
 * would depend on other UEs' failures.) It notes each task's deadline and difficulty,
 * which a capped option's failure cost needs. */
static et_status world_decide(et_agent *agent, const et_obs_view *view, et_action *action,
                              et_error *err)
{
    (void)err;
    option_run *run = agent->impl;
    const et_task_view *v = view->task;
    outcome *o = outcome_of(run, v->ue, v->task_index);
    if (o) {
        o->deadline_s = v->deadline_s;
        o->difficulty = v->difficulty;
    }
    if (!run->local) {
        action->location = ET_LOCATION_SERVER;
        action->keep = run->keep;
        return ET_OK;
    }
    int b_min, b_max;
    et_fm_blocks_range(v->fm, v->k_min, v->k_max, &b_min, &b_max);
    int b = et_fm_blocks_for_keep_range(v->fm, run->keep, v->k_min, v->k_max);
    for (; b > b_min; b--) {
        et_cost c;
        et_cost_task(v->fm, v->setup, ET_LOCATION_LOCAL, (double)b / v->fm->middle_blocks,
                     v->tokens, v->epochs, &c);
        if (c.memory_bytes <= v->ue_memory_bytes) break;
    }
    action->location = ET_LOCATION_LOCAL;
    action->keep = (double)b / v->fm->middle_blocks;
    return ET_OK;
}

static const et_agent_ops world_ops = {.name = "uniform-world", .decide = world_decide};

static void collect_outcome(void *ctx, const et_task_record *r)
{
    outcome *o = outcome_of(ctx, r->ue, r->task);
    if (!o) return;
    o->reward = r->reward;
    o->delay_s = r->delay_s;
    o->ppl = r->ppl;
    o->exposure = r->exposure;
    o->failed = r->failure[0] == 'm';
    o->late = r->failure[0] == 'd';
    o->done = 1;
    o->b = r->b;
}

/* In the child: one episode under one fixed choice, outcomes into result. */
static et_status run_option(void *ctx, void *result, et_error *err)
{
    option_run *run = ctx;
    run->out = result;
    memset(result, 0, (size_t)run->n_tasks * sizeof *run->out);
    et_agent agent = {.ops = &world_ops, .impl = run};
    et_sim_set_task_sink(run->sim, collect_outcome, run);
    et_episode_stats stats;
    return et_sim_run_episode(run->sim, &agent, run->episode, NULL, &stats, err);
}

static int class_of(const et_regime *r, const char *name)
{
    for (int i = 0; i < r->n_classes; i++)
        if (!strcmp(r->classes[i].name, name)) return i;
    return 0; /* not reached: the classes come from the same UEs */
}

/* Folds one episode's outcomes under every option into r; counts each UE's capped tasks
 * per option into capped_ue[ue * n_options + o]. */
static void add_episode(et_regime *r, const et_sim *sim, outcome *const *by_option, int n_tasks,
                        int tasks_per_ue, int *capped_ue)
{
    const et_sim_params *p = et_sim_get_params(sim);
    const et_fm *fm = et_sim_fm(sim);
    et_reward_weights w = {.w_delay = p->w_delay,
                           .w_ppl = p->w_ppl,
                           .w_privacy = p->w_privacy,
                           .delay_ref_s = p->delay_ref_s,
                           .ppl_ref = p->ppl_ref > 0 ? p->ppl_ref : fm->ppl_full_ft,
                           .fail_penalty = p->fail_penalty};
    /* A LOCAL option whose emulator does not fit the UE ran with a smaller one (see
     * world_decide): for that task the option itself would fail at once, at the cost the
     * simulator charges a memory failure (sim.c account_task). */
    for (int j = 0; j < n_tasks; j++)
        for (int o = 1; o < r->n_options; o++) {
            outcome *x = &by_option[o][j];
            if (x->b == r->options[o].b) continue;
            capped_ue[(j / tasks_per_ue) * r->n_options + o]++;
            double ppl = et_cost_untuned_ppl(fm) * x->difficulty;
            double worst = x->deadline_s > 0 ? by_option[0][j].exposure : 0.0;
            *x = (outcome){.reward = et_cost_fail_reward(&w, 0.0, x->deadline_s, ppl, worst),
                           .ppl = ppl,
                           .deadline_s = x->deadline_s,
                           .difficulty = x->difficulty,
                           .failed = 1,
                           .done = 1,
                           .b = -r->options[o].b}; /* negative: capped, for the class count */
        }
    for (int j = 0; j < n_tasks; j++) {
        /* The oracle chooses among what can run: a failure is not a choice. */
        int best = 0, best_local = -1;
        et_regime_class *cls = &r->classes[class_of(r, et_sim_ue_class(sim, j / tasks_per_ue))];
        for (int o = 0; o < r->n_options; o++) {
            const outcome *x = &by_option[o][j];
            et_regime_option *opt = &r->options[o];
            opt->reward += x->reward;
            opt->delay_s += x->delay_s;
            opt->ppl += x->ppl;
            opt->exposure += x->exposure;
            opt->failed += x->failed;
            cls->reward[o] += x->reward;
            cls->capped[o] += x->b < 0;
            if (x->failed) continue;
            if (x->reward > by_option[best][j].reward) best = o;
            if (o > 0 && (best_local < 0 || x->reward > by_option[best_local][j].reward))
                best_local = o;
        }
        if (best_local < 0) best_local = 1; /* nothing fits: the gaps compare with a failure */
        const outcome *server = &by_option[0][j], *local = &by_option[best_local][j];
        r->oracle_reward += by_option[best][j].reward;
        r->gap_delay_s += local->delay_s - server->delay_s;
        r->gap_ppl += local->ppl - server->ppl;
        r->gap_exposure += local->exposure - server->exposure;
        cls->tasks++;
        if (best > 0) {
            r->frac_local += 1;
            cls->local_wins++;
            r->best_b_count[best]++;
            for (int o = 1; o < r->n_options; o++)
                r->local_task_reward[o] += by_option[o][j].reward;
        }
    }
    r->tasks += n_tasks;
}

/* Means, the best fixed b and each class's curve, from the sums. */
static void finish_uniform(et_regime *r)
{
    double n = r->tasks > 0 ? r->tasks : 1;
    for (int o = 0; o < r->n_options; o++) {
        et_regime_option *opt = &r->options[o];
        opt->reward /= n;
        opt->delay_s /= n;
        opt->ppl /= n;
        opt->exposure /= n;
        opt->failed /= n;
    }
    r->oracle_reward /= n;
    r->frac_local /= n;
    r->gap_delay_s /= n;
    r->gap_ppl /= n;
    r->gap_exposure /= n;
    double n_local = r->frac_local * n > 0 ? r->frac_local * n : 1;
    for (int o = 1; o < r->n_options; o++)
        r->local_task_reward[o] /= n_local;
    r->best_fixed = 1;
    for (int o = 2; o < r->n_options; o++)
        if (r->local_task_reward[o] > r->local_task_reward[r->best_fixed]) r->best_fixed = o;
    r->interior = r->best_fixed > 1 && r->best_fixed < r->n_options - 1;
    for (int c = 0; c < r->n_classes; c++) {
        et_regime_class *cls = &r->classes[c];
        for (int o = 0; o < r->n_options; o++)
            cls->reward[o] /= cls->tasks > 0 ? cls->tasks : 1;
        /* The best size the class's UEs can all hold (a failure is not a choice; if they
         * hold none, the best of the failures). Ties keep the smaller emulator. */
        cls->best = -1;
        for (int o = 1; o < r->n_options; o++)
            if (!cls->capped[o] && (cls->best < 0 || cls->reward[o] > cls->reward[cls->best]))
                cls->best = o;
        int held = cls->best > 0;
        for (int o = 1; !held && o < r->n_options; o++)
            if (o == 1 || cls->reward[o] > cls->reward[cls->best]) cls->best = o;
        cls->interior = cls->best > 1 && cls->best < r->n_options - 1;
        cls->next_capped = cls->best == r->n_options - 1 ? -1 : cls->capped[cls->best + 1] > 0;
    }
}

int et_regime_interior_by_tradeoff(const et_regime *r)
{
    for (int c = 0; c < r->n_classes; c++)
        if (r->classes[c].interior && r->classes[c].next_capped == 0) return 1;
    return 0;
}

/* Runs the uniform worlds on episodes offset .. offset + E - 1, all in parallel; ue_cap[u]
 * gets the largest b UE u can hold (b_min - 1: none). */
static et_status measure_uniform(et_sim *sim, const et_scenario *sc, const et_regime_options *opt,
                                 et_regime *out, int *ue_cap, et_error *err)
{
    const int n_ue = et_sim_ue_count(sim), tpu = sc->sim.tasks_per_ue, n_tasks = n_ue * tpu;
    const int E = opt->episodes, n_opt = out->n_options, n_runs = E * n_opt;
    option_run *runs = calloc((size_t)n_runs, sizeof *runs);
    void **ctxs = calloc((size_t)n_runs, sizeof *ctxs);
    outcome *res = calloc((size_t)n_runs * (size_t)n_tasks, sizeof *res);
    outcome **by_option = calloc((size_t)n_opt, sizeof *by_option);
    int *capped_ue = calloc((size_t)n_ue * (size_t)n_opt, sizeof *capped_ue);
    et_status st = runs && ctxs && res && by_option && capped_ue
                       ? ET_OK
                       : et_error_set(err, ET_ERR_NOMEM, "out of memory");
    for (int k = 0; st == ET_OK && k < n_runs; k++) {
        const et_regime_option *o = &out->options[k % n_opt];
        runs[k] = (option_run){.sim = sim,
                               .local = o->local,
                               .keep = o->keep,
                               .episode = opt->offset + k / n_opt,
                               .tasks_per_ue = tpu,
                               .n_tasks = n_tasks};
        ctxs[k] = &runs[k];
    }
    if (st == ET_OK && !opt->quiet)
        fprintf(stderr, "edgetune: regime: uniform worlds, %d episodes x %d choices\n", E, n_opt);
    if (st == ET_OK)
        st = et_isolate_run_many(run_option, ctxs, res, (size_t)n_tasks * sizeof *res, n_runs,
                                 opt->jobs, "regime episode", err);
    for (int e = 0; st == ET_OK && e < E; e++) {
        for (int o = 0; o < n_opt; o++)
            by_option[o] = res + ((size_t)e * n_opt + (size_t)o) * (size_t)n_tasks;
        add_episode(out, sim, by_option, n_tasks, tpu, capped_ue);
    }
    for (int u = 0; st == ET_OK && u < n_ue; u++) {
        ue_cap[u] = out->options[1].b - 1;
        for (int o = 1; o < n_opt; o++)
            if (capped_ue[u * n_opt + o] == 0) ue_cap[u] = out->options[o].b;
    }
    free(runs);
    free(ctxs);
    free(res);
    free(by_option);
    free(capped_ue);
    if (st == ET_OK) finish_uniform(out);
    return st;
}

/* ==== 2. headroom ============================================================================= */

/* One task's decision, as the replay agent returns it. */
typedef struct decision {
    int local;
    int b; /* LOCAL: emulator blocks */
    double keep;
} decision;

/* What a scored episode reports: rec[0].reward is the episodic reward, rec[1 + j] task j's
 * (j = ue * tasks_per_ue + task) reward and decision. */
typedef struct rec {
    double reward;
    decision d;
} rec;

typedef struct replay {
    const decision *d;
    int tasks_per_ue, n_tasks;
} replay;

static et_status replay_decide(et_agent *agent, const et_obs_view *view, et_action *action,
                               et_error *err)
{
    const replay *p = agent->impl;
    const et_task_view *t = view->task;
    long j = (long)t->ue * p->tasks_per_ue + t->task_index;
    if (t->ue < 0 || t->task_index < 0 || t->task_index >= p->tasks_per_ue || j >= p->n_tasks)
        return et_error_set(err, ET_ERR_INTERNAL,
                            "regime: replay: task %d of UE %d is not in the recorded episode",
                            t->task_index, t->ue);
    action->location = p->d[j].local ? ET_LOCATION_LOCAL : ET_LOCATION_SERVER;
    action->keep = p->d[j].keep;
    return ET_OK;
}

static const et_agent_ops replay_ops = {.name = "replay", .decide = replay_decide};

typedef struct score_job {
    et_sim *sim;
    const et_tune_spec *spec; /* a rule; or */
    const decision *d;        /* the decisions to replay */
    int episode, tasks_per_ue, n_tasks;
    rec *out; /* the child's result buffer, set in the child */
} score_job;

static void collect_rec(void *ctx, const et_task_record *r)
{
    score_job *j = ctx;
    if (r->ue < 0 || r->task < 0 || r->task >= j->tasks_per_ue) return;
    long k = (long)r->ue * j->tasks_per_ue + r->task;
    if (k >= j->n_tasks) return;
    j->out[1 + k] =
        (rec){.reward = r->reward,
              .d = {.local = r->location == ET_LOCATION_LOCAL, .b = r->b, .keep = r->keep}};
}

/* In the child: one episode of a rule or of replayed decisions. */
static et_status run_score(void *ctx, void *result, et_error *err)
{
    score_job *j = ctx;
    j->out = result;
    memset(result, 0, (size_t)(j->n_tasks + 1) * sizeof *j->out);
    replay rp = {.d = j->d, .tasks_per_ue = j->tasks_per_ue, .n_tasks = j->n_tasks};
    et_agent replayer = {.ops = &replay_ops, .impl = &rp};
    et_agent *agent = &replayer;
    et_status st = j->d ? ET_OK : et_tune_make_agent(j->sim, j->spec, &agent, err);
    et_episode_stats stats;
    et_sim_set_task_sink(j->sim, collect_rec, j);
    if (st == ET_OK) st = et_sim_run_episode(j->sim, agent, j->episode, NULL, &stats, err);
    if (st == ET_OK) j->out[0].reward = stats.reward;
    if (agent != &replayer) et_agent_destroy(agent);
    return st;
}

/* The search's state for one scoring episode. */
typedef struct search {
    et_sim *sim;
    const et_regime_options *opt;
    int episode, tasks_per_ue, n_tasks, n_ue;
    int b_min;
    const int *ue_cap;  /* largest b each UE holds */
    const int *ue_pref; /* the b a LOCAL flip uses: the class's best, within the cap */
    double server_keep;
    int batch; /* candidates per parallel batch */
    /* Buffers, allocated once. */
    decision *inc; /* (n_tasks) the incumbent */
    double inc_reward;
    double *task_reward; /* (n_tasks) the incumbent's per-task rewards */
    decision *cand;      /* (batch + 1) x n_tasks candidates (the last: a combination) */
    rec *res;            /* (batch + 1) x (n_tasks + 1) their results */
    score_job *jobs;
    void **ctxs;
    struct ranked {
        double reward;
        int task;
    } * order; /* (n_tasks) the tasks, worst reward first */
    struct move {
        int task;
        decision d;
    } * moves; /* a pass's moves */
    int n_moves, cap_moves;
    int rescorings, kept;
} search;

static decision local_decision(const et_fm *fm, int b)
{
    return (decision){.local = 1, .b = b, .keep = (double)b / fm->middle_blocks};
}

static int same_decision(decision a, decision b)
{
    return a.local == b.local && (!a.local || a.b == b.b);
}

static void add_move(search *s, int task, decision d)
{
    if (same_decision(s->inc[task], d) || s->n_moves == s->cap_moves) return;
    for (int i = 0; i < s->n_moves; i++)
        if (s->moves[i].task == task && same_decision(s->moves[i].d, d)) return;
    s->moves[s->n_moves].task = task;
    s->moves[s->n_moves++].d = d;
}

static int cmp_ranked(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->reward != y->reward) return x->reward < y->reward ? -1 : 1;
    return x->task - y->task;
}

/* A pass's moves, from the incumbent: first (in the first pass) every task where the other
 * rule decided otherwise takes its decision; then location flips, tasks with the worst
 * reward first (an expensive task is where a change can win most); then a LOCAL task's
 * other sizes. */
static void build_moves(search *s, const decision *other)
{
    const et_fm *fm = et_sim_fm(s->sim);
    s->n_moves = 0;
    for (int j = 0; other && j < s->n_tasks; j++)
        add_move(s, j, other[j]);
    for (int j = 0; j < s->n_tasks; j++)
        s->order[j] = (struct ranked){s->task_reward[j], j};
    qsort(s->order, (size_t)s->n_tasks, sizeof *s->order, cmp_ranked);
    for (int i = 0; i < s->n_tasks; i++) {
        int j = s->order[i].task, u = j / s->tasks_per_ue;
        if (s->inc[j].local)
            add_move(s, j, (decision){.local = 0, .keep = s->server_keep});
        else if (s->ue_cap[u] >= s->b_min)
            add_move(s, j, local_decision(fm, s->ue_pref[u]));
    }
    for (int i = 0; i < s->n_tasks; i++) {
        int j = s->order[i].task, u = j / s->tasks_per_ue, b = s->inc[j].b;
        if (!s->inc[j].local) continue;
        const int sizes[] = {b - 1, b + 1, s->ue_pref[u], s->b_min, s->ue_cap[u]};
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
            if (sizes[k] >= s->b_min && sizes[k] <= s->ue_cap[u])
                add_move(s, j, local_decision(fm, sizes[k]));
    }
}

/* Scores candidates cand[0 .. n-1] of s in parallel. */
static et_status score_candidates(search *s, int first, int n, et_error *err)
{
    for (int k = 0; k < n; k++) {
        s->jobs[k] = (score_job){.sim = s->sim,
                                 .d = s->cand + (size_t)(first + k) * s->n_tasks,
                                 .episode = s->episode,
                                 .tasks_per_ue = s->tasks_per_ue,
                                 .n_tasks = s->n_tasks};
        s->ctxs[k] = &s->jobs[k];
    }
    s->rescorings += n;
    return et_isolate_run_many(run_score, s->ctxs, s->res + (size_t)first * (s->n_tasks + 1),
                               (size_t)(s->n_tasks + 1) * sizeof *s->res, n, s->opt->jobs,
                               "regime rescoring", err);
}

static void take(search *s, int k)
{
    const rec *r = s->res + (size_t)k * (s->n_tasks + 1);
    memcpy(s->inc, s->cand + (size_t)k * s->n_tasks, (size_t)s->n_tasks * sizeof *s->inc);
    s->inc_reward = r[0].reward;
    for (int j = 0; j < s->n_tasks; j++)
        s->task_reward[j] = r[1 + j].reward;
}

/* The local search of one episode from s->inc (scored: inc_reward, task_reward); other:
 * the other rule's decisions, tried first. *stopped_by_budget is set when the budget ended
 * it. */
static et_status local_search(search *s, const decision *other, int *stopped_by_budget,
                              et_error *err)
{
    const int budget = s->opt->budget;
    *stopped_by_budget = 0;
    et_status st = ET_OK;
    for (int pass = 0; st == ET_OK; pass++) {
        build_moves(s, pass == 0 ? other : NULL);
        int improved = 0;
        for (int m = 0; st == ET_OK && m < s->n_moves;) {
            if (s->rescorings >= budget) {
                *stopped_by_budget = 1;
                return ET_OK;
            }
            /* A batch of moves still new to the incumbent, each on its own copy. */
            int n = 0;
            int room = budget - s->rescorings < s->batch ? budget - s->rescorings : s->batch;
            int batch_moves[64];
            for (; m < s->n_moves && n < room; m++) {
                const struct move *mv = &s->moves[m];
                if (same_decision(s->inc[mv->task], mv->d)) continue;
                decision *c = s->cand + (size_t)n * s->n_tasks;
                memcpy(c, s->inc, (size_t)s->n_tasks * sizeof *c);
                c[mv->task] = mv->d;
                batch_moves[n++] = m;
            }
            if (n == 0) break;
            st = score_candidates(s, 0, n, err);
            int best = -1, n_better = 0;
            for (int k = 0; st == ET_OK && k < n; k++) {
                double r = s->res[(size_t)k * (s->n_tasks + 1)].reward;
                if (!(r > s->inc_reward)) continue;
                n_better++;
                if (best < 0 || r > s->res[(size_t)best * (s->n_tasks + 1)].reward) best = k;
            }
            if (st != ET_OK || best < 0) continue;
            int kept = 1;
            /* Several moves helped alone: try them together (they may interfere). */
            if (n_better > 1 && s->rescorings < budget) {
                decision *combo = s->cand + (size_t)s->batch * s->n_tasks;
                memcpy(combo, s->inc, (size_t)s->n_tasks * sizeof *combo);
                for (int k = 0; k < n; k++)
                    if (s->res[(size_t)k * (s->n_tasks + 1)].reward > s->inc_reward)
                        combo[s->moves[batch_moves[k]].task] = s->moves[batch_moves[k]].d;
                st = score_candidates(s, s->batch, 1, err);
                if (st == ET_OK && s->res[(size_t)s->batch * (s->n_tasks + 1)].reward >
                                       s->res[(size_t)best * (s->n_tasks + 1)].reward) {
                    best = s->batch;
                    kept = n_better;
                }
            }
            if (st != ET_OK) break;
            /* The batch's other improving moves were tried against the old incumbent: they
             * go back to the front of the queue, to be tried against the new one. */
            for (int k = n - 1; best != s->batch && k >= 0; k--)
                if (k != best && s->res[(size_t)k * (s->n_tasks + 1)].reward > s->inc_reward)
                    s->moves[--m] = s->moves[batch_moves[k]];
            take(s, best);
            s->kept += kept;
            improved = 1;
        }
        if (!improved) break;
    }
    return st;
}

/* The registry's row of a tuning kind. */
static const et_policy_info *row_of(et_policy_tuning tuning)
{
    size_t n = 0;
    const et_policy_info *rows = et_policy_list(&n);
    for (size_t i = 0; i < n; i++)
        if (!rows[i].learned && rows[i].tuning == tuning) return &rows[i];
    return NULL;
}

/* The paired figures of p against tuned-static (s), over E episodes. */
static void paired(et_regime_policy *p, const et_regime_policy *s, int E)
{
    double d[ET_REGIME_MAX_EPISODES] = {0}, half;
    et_student_mean_ci(p->reward, E, &p->mean, &half);
    p->better_on = 0;
    for (int e = 0; e < E; e++) {
        d[e] = p->reward[e] - s->reward[e];
        p->better_on += d[e] > 0;
    }
    et_student_mean_ci(d, E, &p->diff, &p->diff_half);
    double base = 0;
    for (int e = 0; e < E; e++)
        base += s->reward[e] / E;
    base = fabs(base);
    p->gain = p->diff / base;
    p->gain_low = (p->diff - p->diff_half) / base;
    p->gain_high = (p->diff + p->diff_half) / base;
}

/* Scores the rules ts and td on episodes offset .. offset + E - 1, and searches each from the
 * better of the two (r: the uniform worlds, for the emulator sizes and each class's best b;
 * ue_cap: each UE's largest b). */
static et_status score_and_search(et_sim *sim, const et_scenario *sc, const et_regime_options *opt,
                                  const et_regime *r, const int *ue_cap, const et_tune_spec *ts,
                                  const et_tune_spec *td, int offset, int E,
                                  et_regime_bound_result *b, et_error *err)
{
    const int tpu = sc->sim.tasks_per_ue, n_ue = et_sim_ue_count(sim);
    const int n_tasks = n_ue * tpu;
    b->episodes = E;
    b->offset = offset;
    b->budget = opt->budget;

    /* b. Both rules on the scoring episodes, their decisions recorded. */
    double t0 = wall_now();
    const size_t stride = (size_t)n_tasks + 1;
    rec *scored = calloc(2 * (size_t)E * stride, sizeof *scored);
    score_job *sj = calloc(2 * (size_t)E, sizeof *sj);
    void **sctx = calloc(2 * (size_t)E, sizeof *sctx);
    et_status st = scored && sj && sctx ? ET_OK : et_error_set(err, ET_ERR_NOMEM, "out of memory");
    for (int k = 0; st == ET_OK && k < 2 * E; k++) {
        sj[k] = (score_job){.sim = sim,
                            .spec = k < E ? ts : td,
                            .episode = offset + k % E,
                            .tasks_per_ue = tpu,
                            .n_tasks = n_tasks};
        sctx[k] = &sj[k];
    }
    if (st == ET_OK)
        st = et_isolate_run_many(run_score, sctx, scored, stride * sizeof *scored, 2 * E, opt->jobs,
                                 "regime episode", err);
    free(sj);
    free(sctx);
    b->score_wall_s = wall_now() - t0;

    /* c. The hindsight search, episode by episode. */
    t0 = wall_now();
    search s = {.sim = sim,
                .opt = opt,
                .tasks_per_ue = tpu,
                .n_tasks = n_tasks,
                .n_ue = n_ue,
                .b_min = r->options[1].b,
                .ue_cap = ue_cap,
                .server_keep = et_sim_get_params(sim)->k_max,
                .batch = ET_REGIME_SEARCH_BATCH};
    int *pref = calloc((size_t)n_ue, sizeof *pref);
    decision *other = calloc((size_t)n_tasks, sizeof *other);
    s.inc = calloc((size_t)n_tasks, sizeof *s.inc);
    s.task_reward = calloc((size_t)n_tasks, sizeof *s.task_reward);
    s.cand = calloc((size_t)(s.batch + 1) * n_tasks, sizeof *s.cand);
    s.res = calloc((size_t)(s.batch + 1) * stride, sizeof *s.res);
    s.jobs = calloc((size_t)s.batch, sizeof *s.jobs);
    s.ctxs = calloc((size_t)s.batch, sizeof *s.ctxs);
    s.order = calloc((size_t)n_tasks, sizeof *s.order);
    s.cap_moves = n_tasks * 8;
    s.moves = calloc((size_t)s.cap_moves, sizeof *s.moves);
    if (st == ET_OK && (!pref || !other || !s.inc || !s.task_reward || !s.cand || !s.res ||
                        !s.jobs || !s.ctxs || !s.order || !s.moves))
        st = et_error_set(err, ET_ERR_NOMEM, "out of memory");
    for (int u = 0; st == ET_OK && u < n_ue; u++) {
        int bb = r->options[r->classes[class_of(r, et_sim_ue_class(sim, u))].best].b;
        pref[u] = bb < ue_cap[u] ? bb : ue_cap[u];
    }
    s.ue_pref = pref;
    for (int e = 0; st == ET_OK && e < E; e++) {
        const rec *rs = scored + (size_t)e * stride, *rd = scored + (size_t)(E + e) * stride;
        b->static_reward[e] = rs[0].reward;
        b->dynamic_reward[e] = rd[0].reward;
        /* Ties start from tuned-static, the simpler rule. */
        int from_dynamic = rd[0].reward > rs[0].reward;
        const rec *start = from_dynamic ? rd : rs, *alt = from_dynamic ? rs : rd;
        b->from_dynamic += from_dynamic;
        for (int j = 0; j < n_tasks; j++) {
            s.inc[j] = start[1 + j].d;
            s.task_reward[j] = start[1 + j].reward;
            other[j] = alt[1 + j].d;
        }
        s.inc_reward = start[0].reward;
        s.episode = offset + e;
        s.rescorings = s.kept = 0;
        int by_budget = 0;
        double from = s.inc_reward;
        st = local_search(&s, other, &by_budget, err);
        b->bound_reward[e] = s.inc_reward;
        b->rescorings += s.rescorings;
        b->moves += s.kept;
        b->budget_stops += by_budget;
        if (st == ET_OK && !opt->quiet)
            fprintf(stderr,
                    "edgetune: regime: hindsight search, episode %d: %.3f -> %.3f (%d moves kept, "
                    "%d rescorings%s)\n",
                    s.episode, from, s.inc_reward, s.kept, s.rescorings,
                    by_budget ? ", budget reached" : "");
    }
    b->search_wall_s = wall_now() - t0;
    free(pref);
    free(other);
    free(s.inc);
    free(s.task_reward);
    free(s.cand);
    free(s.res);
    free(s.jobs);
    free(s.ctxs);
    free(s.order);
    free(s.moves);
    free(scored);
    return st;
}

static et_status measure_headroom(et_sim *sim, const et_scenario *sc, const et_regime_options *opt,
                                  et_regime *r, const int *ue_cap, et_error *err)
{
    et_regime_headroom *h = &r->headroom;
    const int E = opt->episodes;
    h->episodes = E;
    h->tune_offset = opt->offset;
    h->score_offset = opt->offset + E;
    h->budget = opt->budget;
    const et_policy_info *srow = row_of(ET_TUNE_RULE), *drow = row_of(ET_TUNE_DYNAMIC);
    if (!srow || !drow)
        return et_error_set(err, ET_ERR_INTERNAL, "regime: the registry lacks a tuned rule");

    /* a. The rules, tuned on the uniform worlds' episodes. */
    double t0 = wall_now();
    et_tune_options to = {
        .offset = opt->offset, .episodes = E, .jobs = opt->jobs, .quiet = opt->quiet};
    et_tune_result ts, td;
    if (!opt->quiet)
        fprintf(stderr, "edgetune: regime: tuning %s and %s\n", srow->name, drow->name);
    et_status st = et_tune_baseline(sim, srow, &to, NULL, &ts, err);
    if (st == ET_OK) st = et_tune_baseline(sim, drow, &to, &ts, &td, err);
    if (st != ET_OK) return st;
    snprintf(h->tuned_static.name, sizeof h->tuned_static.name, "%s", srow->name);
    snprintf(h->tuned_static.rule, sizeof h->tuned_static.rule, "%s", ts.best.rule);
    h->tuned_static.validation_reward = ts.validation_reward;
    h->tuned_static.candidates = ts.candidates;
    snprintf(h->tuned_dynamic.name, sizeof h->tuned_dynamic.name, "%s", drow->name);
    snprintf(h->tuned_dynamic.rule, sizeof h->tuned_dynamic.rule, "%s", td.best.dynamic_rule);
    h->tuned_dynamic.validation_reward = td.validation_reward;
    h->tuned_dynamic.candidates = td.candidates;
    snprintf(h->bound.name, sizeof h->bound.name, "hindsight bound");
    h->tune_wall_s = wall_now() - t0;

    et_regime_bound_result *b = calloc(1, sizeof *b);
    if (!b) return et_error_set(err, ET_ERR_NOMEM, "out of memory");
    st = score_and_search(sim, sc, opt, r, ue_cap, &ts.best, &td.best, h->score_offset, E, b, err);
    if (st == ET_OK) {
        memcpy(h->tuned_static.reward, b->static_reward, sizeof b->static_reward);
        memcpy(h->tuned_dynamic.reward, b->dynamic_reward, sizeof b->dynamic_reward);
        memcpy(h->bound.reward, b->bound_reward, sizeof b->bound_reward);
        h->rescorings = b->rescorings;
        h->moves = b->moves;
        h->from_dynamic = b->from_dynamic;
        h->budget_stops = b->budget_stops;
        h->score_wall_s = b->score_wall_s;
        h->search_wall_s = b->search_wall_s;
    }
    free(b);
    if (st != ET_OK) return st;
    paired(&h->tuned_static, &h->tuned_static, E);
    paired(&h->tuned_dynamic, &h->tuned_static, E);
    paired(&h->bound, &h->tuned_static, E);
    h->measured = 1;
    return ET_OK;
}

/* The uniform worlds' set-up shared by et_regime_measure and et_regime_bound: the emulator
 * sizes the scenario allows and the device classes. */
static et_status regime_init(et_sim *sim, const et_scenario *sc, const et_regime_options *opt,
                             et_regime *out, int **ue_cap, et_error *err)
{
    const et_fm *fm = et_sim_fm(sim);
    memset(out, 0, sizeof *out);
    if (opt->episodes < 1 || opt->episodes > ET_REGIME_MAX_EPISODES)
        return et_error_set(err, ET_ERR_INPUT,
                            "regime: episodes (--episodes) must be in [1, %d], got %d",
                            ET_REGIME_MAX_EPISODES, opt->episodes);
    int b_min, b_max;
    et_fm_blocks_range(fm, sc->sim.k_min, sc->sim.k_max, &b_min, &b_max);
    if (b_max - b_min + 2 > ET_REGIME_MAX_OPTIONS)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: regime: %d emulator sizes allowed, at most %d can be compared",
                            sc->sim.source, b_max - b_min + 1, ET_REGIME_MAX_OPTIONS - 1);
    const char *classes[ET_REGIME_MAX_CLASSES];
    et_status st =
        et_tune_device_classes(sim, classes, ET_REGIME_MAX_CLASSES, &out->n_classes, err);
    if (st != ET_OK) return st;
    for (int c = 0; c < out->n_classes; c++)
        snprintf(out->classes[c].name, sizeof out->classes[c].name, "%s", classes[c]);
    out->episodes = opt->episodes;
    out->offset = opt->offset;
    out->n_options = b_max - b_min + 2;
    out->options[0] = (et_regime_option){.local = 0, .keep = sc->sim.k_max};
    for (int b = b_min; b <= b_max; b++)
        out->options[b - b_min + 1] =
            (et_regime_option){.local = 1, .b = b, .keep = (double)b / fm->middle_blocks};
    *ue_cap = calloc((size_t)et_sim_ue_count(sim), sizeof **ue_cap);
    if (!*ue_cap) return et_error_set(err, ET_ERR_NOMEM, "out of memory");
    return ET_OK;
}

et_status et_regime_bound(et_sim *sim, const et_scenario *sc, const et_regime_options *opt,
                          const et_tune_spec *ts, const et_tune_spec *td, int offset, int episodes,
                          et_regime_bound_result *out, et_error *err)
{
    memset(out, 0, sizeof *out);
    if (episodes < 1 || episodes > ET_REGIME_MAX_EPISODES)
        return et_error_set(err, ET_ERR_INPUT,
                            "regime: the bound's episodes must be in [1, %d], got %d",
                            ET_REGIME_MAX_EPISODES, episodes);
    et_regime *r = calloc(1, sizeof *r);
    int *ue_cap = NULL;
    et_status st = r ? regime_init(sim, sc, opt, r, &ue_cap, err)
                     : et_error_set(err, ET_ERR_NOMEM, "out of memory");
    if (st == ET_OK) st = measure_uniform(sim, sc, opt, r, ue_cap, err);
    if (st == ET_OK)
        st = score_and_search(sim, sc, opt, r, ue_cap, ts, td, offset, episodes, out, err);
    free(ue_cap);
    free(r);
    return st;
}

et_status et_regime_measure(et_sim *sim, const et_scenario *sc, const et_regime_options *opt,
                            et_regime *out, et_error *err)
{
    int *ue_cap = NULL;
    et_status st = regime_init(sim, sc, opt, out, &ue_cap, err);
    if (st != ET_OK) return st;
    double t0 = wall_now();
    st = measure_uniform(sim, sc, opt, out, ue_cap, err);
    out->uniform_wall_s = wall_now() - t0;
    if (st == ET_OK && opt->headroom) st = measure_headroom(sim, sc, opt, out, ue_cap, err);
    free(ue_cap);
    return st;
}

/* ==== reports ================================================================================= */

static void choice_name(const et_regime_option *o, char *buf, size_t size)
{
    if (o->local)
        snprintf(buf, size, "LOCAL b = %d", o->b);
    else
        snprintf(buf, size, "SERVER");
}

/* "+12.3% [+8.1, +16.5]", or without the interval when there is none (one episode). */
static void put_gain(FILE *f, const et_regime_policy *p)
{
    fprintf(f, "%+.1f%%", 100 * p->gain);
    if (isfinite(p->diff_half))
        fprintf(f, " [%+.1f, %+.1f]", 100 * p->gain_low, 100 * p->gain_high);
}

static void print_headroom(FILE *f, const et_regime *r)
{
    const et_regime_headroom *h = &r->headroom;
    const int E = h->episodes;
    fprintf(f,
            "\n## Headroom over tuned-static, in one world\n\ntuned-static and tuned-dynamic "
            "tuned (as `edgetune compare` tunes them) on the %d validation episodes above "
            "(indices %d..%d), and scored with the hindsight bound on %d disjoint ones (indices "
            "%d..%d). Paired difference: minus tuned-static on the same episode, mean and 95%% "
            "interval (Student t, %d episodes); in percent of tuned-static's mean.\n\n"
            "| policy | tuned | validation reward | episodic reward | paired difference | "
            "difference %% | better on |\n|---|---|---|---|---|---|---|\n",
            E, h->tune_offset, h->tune_offset + E - 1, E, h->score_offset, h->score_offset + E - 1,
            E);
    const et_regime_policy *rows[3] = {&h->tuned_static, &h->tuned_dynamic, &h->bound};
    for (int i = 0; i < 3; i++) {
        const et_regime_policy *p = rows[i];
        fprintf(f, "| %s | ", p->name);
        if (i < 2)
            fprintf(f, "`%s` | %.2f | ", p->rule[0] ? p->rule : "(offload)", p->validation_reward);
        else
            fprintf(f, "local search, %d rescorings per episode at most | - | ", h->budget);
        fprintf(f, "%.2f | ", p->mean);
        if (i == 0) {
            fprintf(f, "- | - | - |\n");
            continue;
        }
        fprintf(f, "%+.2f", p->diff);
        if (isfinite(p->diff_half)) fprintf(f, " +- %.2f", p->diff_half);
        fprintf(f, " | ");
        put_gain(f, p);
        fprintf(f, " | %d of %d |\n", p->better_on, E);
    }
    fprintf(f,
            "\nThe hindsight bound searches each scoring episode's per-task decisions from the "
            "better of the two rules' (tuned-dynamic's in %d of %d episodes): one task's "
            "location, or a LOCAL task's emulator size, changed at a time, each candidate "
            "rescored as a whole episode in the engine; %d rescorings in all, %d decisions "
            "changed, %d of %d searches stopped by the budget. Every decision sequence it keeps "
            "ran in the engine, so it is a lower bound on the per-episode optimum with "
            "hindsight, not an estimate of it.\n",
            h->from_dynamic, E, h->rescorings, h->moves, h->budget_stops, E);
}

void et_regime_print(FILE *f, const et_sim *sim, const et_scenario *sc, const et_regime *r)
{
    fprintf(f,
            "# Decision regime\n\n%d UEs x %d tasks, model %s, platform `%s`, scenario seed "
            "%llu.\n\n## Scored in uniform worlds (every UE makes the same choice)\n\n%d "
            "validation episodes (indices %d..%d), %d tasks. Every task run under every fixed "
            "choice, in the world where every UE makes that choice; means per task. A LOCAL "
            "choice a UE cannot hold counts as the failure it would be.\n\n"
            "| choice | reward | delay (s) | perplexity | exposure | failed | reward on LOCAL "
            "tasks | best for |\n|---|---|---|---|---|---|---|---|\n",
            et_sim_ue_count(sim), sc->sim.tasks_per_ue, et_sim_model_name(sim), sc->sim.platform,
            (unsigned long long)sc->sim.seed, r->episodes, r->offset, r->offset + r->episodes - 1,
            r->tasks);
    for (int o = 0; o < r->n_options; o++) {
        const et_regime_option *opt = &r->options[o];
        char name[48];
        if (opt->local)
            snprintf(name, sizeof name, "LOCAL b = %d (k = %.3f)%s", opt->b, opt->keep,
                     o == r->best_fixed ? " *" : "");
        else
            snprintf(name, sizeof name, "SERVER");
        fprintf(f, "| %s | %.4f | %.2f | %.3f | %.4f | %.1f%% | ", name, opt->reward, opt->delay_s,
                opt->ppl, opt->exposure, 100.0 * opt->failed);
        if (opt->local)
            fprintf(f, "%.4f | %.1f%% |\n", r->local_task_reward[o],
                    r->tasks ? 100.0 * r->best_b_count[o] / r->tasks : 0.0);
        else
            fprintf(f, "- | %.1f%% |\n", 100.0 * (1.0 - r->frac_local));
    }
    const et_regime_option *best = &r->options[r->best_fixed];
    fprintf(f,
            "\nPer-task oracle: LOCAL wins %.1f%% of tasks, SERVER %.1f%%; oracle reward %.4f per "
            "task.\nBest LOCAL against SERVER, mean over tasks: delay %+.2f s, perplexity %+.3f, "
            "exposure %+.4f.\nBest fixed keep fraction for the oracle's LOCAL tasks (*): k = %.3f "
            "(b = %d), %s (k_min %.3f, k_max %.3f).\n",
            100.0 * r->frac_local, 100.0 * (1.0 - r->frac_local), r->oracle_reward, r->gap_delay_s,
            r->gap_ppl, r->gap_exposure, best->keep, best->b,
            r->interior ? "strictly inside the allowed range" : "at an end of the allowed range",
            sc->sim.k_min, sc->sim.k_max);

    fprintf(f, "\n### Per device class: mean reward per task of each choice\n\nThe class's curve "
               "over b (its tasks, LOCAL at each size in the uniform worlds); * marks its best b, "
               "(m) a size some of its UEs cannot hold.\n\n| class | tasks | LOCAL wins |");
    for (int o = 0; o < r->n_options; o++) {
        char name[32];
        choice_name(&r->options[o], name, sizeof name);
        fprintf(f, " %s |", o ? name + 6 : name); /* "b = 7" */
    }
    fprintf(f, " best b | interior | next b up memory-capped |\n|---|---|---|");
    for (int o = 0; o < r->n_options; o++)
        fprintf(f, "---|");
    fprintf(f, "---|---|---|\n");
    for (int c = 0; c < r->n_classes; c++) {
        const et_regime_class *cls = &r->classes[c];
        fprintf(f, "| %s | %d | %.1f%% |", cls->name, cls->tasks,
                cls->tasks ? 100.0 * cls->local_wins / cls->tasks : 0.0);
        for (int o = 0; o < r->n_options; o++)
            fprintf(f, " %.3f%s%s |", cls->reward[o], o == cls->best ? " *" : "",
                    o > 0 && cls->capped[o] ? " (m)" : "");
        fprintf(f, " %d | %s | %s |\n", r->options[cls->best].b, cls->interior ? "yes" : "no",
                cls->next_capped < 0 ? "- (largest b)"
                : cls->next_capped   ? "yes"
                                     : "no");
    }
    fprintf(f, "\n%s\n",
            et_regime_interior_by_tradeoff(r)
                ? "At least one class's best b is interior and the next size up fits its UEs: "
                  "the keep fraction is a quality/cost trade-off there, not a memory limit."
                : "No class has an interior best b below its memory cap: where the best b is "
                  "interior, memory sets it.");
    if (r->headroom.measured) print_headroom(f, r);
    fprintf(f, "\nWall time: uniform worlds %.1f s", r->uniform_wall_s);
    if (r->headroom.measured)
        fprintf(f, ", tuning %.1f s, scoring %.1f s, hindsight search %.1f s",
                r->headroom.tune_wall_s, r->headroom.score_wall_s, r->headroom.search_wall_s);
    fprintf(f, ".\n");
}

static void csv_row(FILE *f, const char *figure, const char *scope, const char *choice,
                    double value, double low, double high)
{
    et_csv_field(f, figure, ',');
    et_csv_field(f, scope, ',');
    et_csv_field(f, choice, ',');
    fprintf(f, "%.9g,", value);
    if (isfinite(low)) fprintf(f, "%.9g", low);
    fputc(',', f);
    if (isfinite(high)) fprintf(f, "%.9g", high);
    fputc('\n', f);
}

void et_regime_write_csv(FILE *f, const et_regime *r)
{
    fputs("figure,scope,choice,value,ci95_low,ci95_high\n", f);
    char name[48];
    for (int o = 0; o < r->n_options; o++) {
        const et_regime_option *opt = &r->options[o];
        choice_name(opt, name, sizeof name);
        csv_row(f, "uniform_reward_per_task", "all", name, opt->reward, NAN, NAN);
        csv_row(f, "uniform_delay_s", "all", name, opt->delay_s, NAN, NAN);
        csv_row(f, "uniform_ppl", "all", name, opt->ppl, NAN, NAN);
        csv_row(f, "uniform_exposure", "all", name, opt->exposure, NAN, NAN);
        csv_row(f, "uniform_failed_share", "all", name, opt->failed, NAN, NAN);
        csv_row(f, "oracle_best_share", "all", name,
                o ? (r->tasks ? (double)r->best_b_count[o] / r->tasks : 0) : 1 - r->frac_local, NAN,
                NAN);
        if (o)
            csv_row(f, "oracle_local_tasks_reward", "all", name, r->local_task_reward[o], NAN, NAN);
    }
    csv_row(f, "oracle_reward_per_task", "all", "", r->oracle_reward, NAN, NAN);
    csv_row(f, "oracle_local_share", "all", "", r->frac_local, NAN, NAN);
    csv_row(f, "oracle_gap_delay_s", "all", "", r->gap_delay_s, NAN, NAN);
    csv_row(f, "oracle_gap_ppl", "all", "", r->gap_ppl, NAN, NAN);
    csv_row(f, "oracle_gap_exposure", "all", "", r->gap_exposure, NAN, NAN);
    csv_row(f, "best_fixed_b", "all", "", r->options[r->best_fixed].b, NAN, NAN);
    csv_row(f, "best_fixed_interior", "all", "", r->interior, NAN, NAN);
    for (int c = 0; c < r->n_classes; c++) {
        const et_regime_class *cls = &r->classes[c];
        csv_row(f, "class_tasks", cls->name, "", cls->tasks, NAN, NAN);
        csv_row(f, "class_local_share", cls->name, "",
                cls->tasks ? (double)cls->local_wins / cls->tasks : 0, NAN, NAN);
        for (int o = 0; o < r->n_options; o++) {
            choice_name(&r->options[o], name, sizeof name);
            csv_row(f, "class_reward_per_task", cls->name, name, cls->reward[o], NAN, NAN);
            if (o) csv_row(f, "class_capped_tasks", cls->name, name, cls->capped[o], NAN, NAN);
        }
        csv_row(f, "class_best_b", cls->name, "", r->options[cls->best].b, NAN, NAN);
        csv_row(f, "class_best_interior", cls->name, "", cls->interior, NAN, NAN);
        csv_row(f, "class_next_b_memory_capped", cls->name, "", cls->next_capped, NAN, NAN);
    }
    const et_regime_headroom *h = &r->headroom;
    if (!h->measured) return;
    const et_regime_policy *rows[3] = {&h->tuned_static, &h->tuned_dynamic, &h->bound};
    for (int i = 0; i < 3; i++) {
        const et_regime_policy *p = rows[i];
        if (i < 2) {
            csv_row(f, "tuned_validation_reward", "tuning episodes", p->name, p->validation_reward,
                    NAN, NAN);
            fputs("tuned_rule,tuning episodes,", f);
            et_csv_field(f, p->name, ',');
            et_csv_field(f, p->rule, ',');
            fputs(",\n", f);
        }
        csv_row(f, "episodic_reward", "scoring episodes", p->name, p->mean, NAN, NAN);
        if (i > 0) {
            csv_row(f, "paired_difference", "scoring episodes", p->name, p->diff,
                    p->diff - p->diff_half, p->diff + p->diff_half);
            csv_row(f, "gain_over_tuned_static", "scoring episodes", p->name, p->gain, p->gain_low,
                    p->gain_high);
            csv_row(f, "better_on_episodes", "scoring episodes", p->name, p->better_on, NAN, NAN);
        }
        for (int e = 0; e < h->episodes; e++) {
            char scope[48];
            snprintf(scope, sizeof scope, "episode %d", h->score_offset + e);
            csv_row(f, "episodic_reward", scope, p->name, p->reward[e], NAN, NAN);
        }
    }
    csv_row(f, "bound_rescorings", "scoring episodes", h->bound.name, h->rescorings, NAN, NAN);
    csv_row(f, "bound_moves_kept", "scoring episodes", h->bound.name, h->moves, NAN, NAN);
    csv_row(f, "bound_budget_stops", "scoring episodes", h->bound.name, h->budget_stops, NAN, NAN);
}
