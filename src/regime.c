/* regime.c: the per-task hindsight oracle of a scenario (see regime.h). */
#include "regime.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "cost.h"
#include "isolate.h"

/* One task's outcome under one choice. */
typedef struct outcome {
    double reward, delay_s, ppl, exposure;
    int failed, done;
    int b; /* emulator blocks it ran with (a LOCAL world caps b at what fits) */
} outcome;

typedef struct option_run {
    et_sim *sim;
    int local;
    double keep;
    int episode;
    int tasks_per_ue;
} option_run;

/* The world of a LOCAL option: every UE tunes locally on an emulator of the
 * option's keep fraction, or on the largest one that fits its memory, so
 * that no UE fails and the carrier and server see the same kind of load in
 * every LOCAL world. (Plain all-local would let the devices that cannot hold
 * the emulator fail at once, and the others would then find the carrier
 * emptier: a task's outcome would depend on other UEs' failures.) */
static et_status fit_local_decide(et_agent *agent, const et_obs_view *view, et_action *action,
                                  et_error *err)
{
    (void)err;
    const et_task_view *v = view->task;
    double keep = *(const double *)agent->impl;
    int b_min, b_max;
    et_fm_blocks_range(v->fm, v->k_min, v->k_max, &b_min, &b_max);
    int b = et_fm_blocks_for_keep_range(v->fm, keep, v->k_min, v->k_max);
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

static const et_agent_ops fit_local_ops = {.name = "fit-local", .decide = fit_local_decide};

static void collect(void *ctx, const et_task_record *r)
{
    option_run *run = ((option_run **)ctx)[0];
    outcome *out = ((outcome **)ctx)[1];
    outcome *o = &out[(size_t)r->ue * (size_t)run->tasks_per_ue + (size_t)r->task];
    *o = (outcome){.reward = r->reward,
                   .delay_s = r->delay_s,
                   .ppl = r->ppl,
                   .exposure = r->exposure,
                   .failed = r->failure[0] == 'm',
                   .done = 1,
                   .b = r->b};
}

/* In the child: one episode under one fixed choice, outcomes into result. */
static et_status run_option(void *ctx, void *result, et_error *err)
{
    option_run *run = ctx;
    et_policy_params params = {.keep = run->keep, .seed = et_sim_get_params(run->sim)->seed};
    et_agent fit_local = {.ops = &fit_local_ops, .impl = &run->keep};
    et_agent *agent = &fit_local;
    if (!run->local) {
        et_status st = et_agent_create("all-server", &params, &agent, err);
        if (st != ET_OK) return st;
    }
    void *sink_ctx[2] = {run, result};
    et_sim_set_task_sink(run->sim, collect, sink_ctx);
    et_episode_stats stats;
    et_status st = et_sim_run_episode(run->sim, agent, run->episode, NULL, &stats, err);
    if (agent != &fit_local) et_agent_destroy(agent);
    return st;
}

static int class_index(et_regime *r, const char *name)
{
    for (int i = 0; i < r->n_classes; i++)
        if (!strcmp(r->class_name[i], name)) return i;
    if (r->n_classes == ET_REGIME_MAX_CLASSES) return ET_REGIME_MAX_CLASSES - 1;
    snprintf(r->class_name[r->n_classes], sizeof r->class_name[0], "%s", name);
    return r->n_classes++;
}

/* Folds one episode's outcomes under every option into r. */
static void add_episode(et_regime *r, const et_sim *sim, outcome *const *by_option, int n_tasks,
                        int tasks_per_ue)
{
    /* A LOCAL option whose emulator does not fit the UE ran with a smaller
     * one (see fit_local_decide): for that task the option itself would
     * fail, with the failure's cost. */
    const et_sim_params *sc = et_sim_get_params(sim);
    double fail_reward = -(sc->w_ppl * et_cost_untuned_ppl(et_sim_fm(sim)) /
                               (sc->ppl_ref > 0 ? sc->ppl_ref : et_sim_fm(sim)->ppl_full_ft) +
                           sc->fail_penalty);
    for (int j = 0; j < n_tasks; j++)
        for (int o = 1; o < r->n_options; o++) {
            outcome *x = &by_option[o][j];
            if (x->b == r->options[o].b) continue;
            *x = (outcome){.reward = fail_reward,
                           .ppl = et_cost_untuned_ppl(et_sim_fm(sim)),
                           .failed = 1,
                           .done = 1,
                           .b = r->options[o].b};
        }
    for (int j = 0; j < n_tasks; j++) {
        /* The oracle chooses among what can run: a failure is not a choice. */
        int best = 0, best_local = -1;
        for (int o = 0; o < r->n_options; o++) {
            const outcome *x = &by_option[o][j];
            et_regime_option *opt = &r->options[o];
            opt->reward += x->reward;
            opt->delay_s += x->delay_s;
            opt->ppl += x->ppl;
            opt->exposure += x->exposure;
            opt->failed += x->failed;
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
        int c = class_index(r, et_sim_ue_class(sim, j / tasks_per_ue));
        r->class_tasks[c]++;
        if (best > 0) {
            r->frac_local += 1;
            r->class_local[c]++;
            r->best_b_count[best]++;
            for (int o = 1; o < r->n_options; o++)
                r->local_task_reward[o] += by_option[o][j].reward;
        }
    }
    r->tasks += n_tasks;
}

et_status et_regime_measure(et_sim *sim, const et_scenario *sc, int episodes, int offset,
                            et_regime *out, et_error *err)
{
    const et_fm *fm = et_sim_fm(sim);
    memset(out, 0, sizeof *out);
    int b_min, b_max;
    et_fm_blocks_range(fm, sc->k_min, sc->k_max, &b_min, &b_max);
    if (b_max - b_min + 2 > ET_REGIME_MAX_OPTIONS)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: regime: %d emulator sizes allowed, at most %d can be compared",
                            sc->source, b_max - b_min + 1, ET_REGIME_MAX_OPTIONS - 1);
    out->n_options = b_max - b_min + 2;
    out->options[0] = (et_regime_option){.local = 0, .keep = sc->k_max};
    for (int b = b_min; b <= b_max; b++)
        out->options[b - b_min + 1] =
            (et_regime_option){.local = 1, .b = b, .keep = (double)b / fm->middle_blocks};
    int n_tasks = et_sim_ue_count(sim) * sc->tasks_per_ue;
    outcome **by_option = calloc((size_t)out->n_options, sizeof *by_option);
    et_status st = by_option ? ET_OK : et_error_set(err, ET_ERR_NOMEM, "out of memory");
    for (int o = 0; st == ET_OK && o < out->n_options; o++) {
        by_option[o] = calloc((size_t)n_tasks, sizeof **by_option);
        if (!by_option[o]) st = et_error_set(err, ET_ERR_NOMEM, "out of memory");
    }
    for (int e = 0; st == ET_OK && e < episodes; e++) {
        for (int o = 0; st == ET_OK && o < out->n_options; o++) {
            option_run run = {.sim = sim,
                              .local = out->options[o].local,
                              .keep = out->options[o].keep,
                              .episode = offset + e,
                              .tasks_per_ue = sc->tasks_per_ue};
            memset(by_option[o], 0, (size_t)n_tasks * sizeof **by_option);
            st = et_isolate_run(run_option, &run, by_option[o],
                                (size_t)n_tasks * sizeof **by_option, "regime episode", err);
        }
        if (st == ET_OK) add_episode(out, sim, by_option, n_tasks, sc->tasks_per_ue);
    }
    for (int o = 0; by_option && o < out->n_options; o++)
        free(by_option[o]);
    free(by_option);
    if (st != ET_OK) return st;
    out->episodes = episodes;
    double n = out->tasks > 0 ? out->tasks : 1;
    for (int o = 0; o < out->n_options; o++) {
        et_regime_option *opt = &out->options[o];
        opt->reward /= n;
        opt->delay_s /= n;
        opt->ppl /= n;
        opt->exposure /= n;
        opt->failed /= n;
    }
    out->oracle_reward /= n;
    out->frac_local /= n;
    out->gap_delay_s /= n;
    out->gap_ppl /= n;
    out->gap_exposure /= n;
    double n_local = out->frac_local * n > 0 ? out->frac_local * n : 1;
    for (int o = 1; o < out->n_options; o++)
        out->local_task_reward[o] /= n_local;
    out->best_fixed = 1;
    for (int o = 2; o < out->n_options; o++)
        if (out->local_task_reward[o] > out->local_task_reward[out->best_fixed])
            out->best_fixed = o;
    out->interior = out->best_fixed > 1 && out->best_fixed < out->n_options - 1;
    return ET_OK;
}

void et_regime_print(FILE *f, const et_sim *sim, const et_scenario *sc, const et_regime *r)
{
    fprintf(f,
            "# Decision regime\n\n%d UEs x %d tasks, model %s, platform `%s`; %d episodes, %d "
            "tasks. Every task run under every fixed choice; means per task.\n\n"
            "| choice | reward | delay (s) | perplexity | exposure | failed | reward on LOCAL "
            "tasks | best for |\n|---|---|---|---|---|---|---|---|\n",
            et_sim_ue_count(sim), sc->tasks_per_ue, et_sim_model_name(sim), sc->platform,
            r->episodes, r->tasks);
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
            "(b = %d), "
            "%s "
            "(k_min %.3f, k_max %.3f).\n\n| device class | tasks | LOCAL wins |\n|---|---|---|\n",
            100.0 * r->frac_local, 100.0 * (1.0 - r->frac_local), r->oracle_reward, r->gap_delay_s,
            r->gap_ppl, r->gap_exposure, best->keep, best->b,
            r->interior ? "strictly inside the allowed range" : "at an end of the allowed range",
            sc->k_min, sc->k_max);
    for (int c = 0; c < r->n_classes; c++)
        fprintf(f, "| %s | %d | %.1f%% |\n", r->class_name[c], r->class_tasks[c],
                r->class_tasks[c] ? 100.0 * r->class_local[c] / r->class_tasks[c] : 0.0);
}
