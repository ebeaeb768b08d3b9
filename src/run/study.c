/* study.c: the comparison study behind `edgetune compare` (see study.h). */
#define _DEFAULT_SOURCE
#include "study.h"

#include "choices.h"
#include "registry.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>

#include "agent.h"
#include "bootstrap.h"
#include "build_commit.h"
#include "regime.h"
#include "hmppo.h"
#include "isolate.h"
#include "trace.h"
#include "train.h"
#include "tune.h"

#define MAX_POLICIES 64

/* One policy under study: a baseline with its parameters, or one learner seed. */
typedef struct policy_spec {
    et_tune_spec b; /* the name; a baseline's parameters */
    int learned;
    int seed; /* learners: 1 .. seeds; 0 for baselines */
    char checkpoint[ET_PATH_MAX + 48];
} policy_spec;

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- running episodes ---------------------------------------------------------------------- */

static et_status make_policy(const et_sim *sim, const void *spec, et_agent **agent, et_error *err)
{
    const policy_spec *p = spec;
    if (p->learned) {
        et_status st = et_hmppo_load(p->checkpoint, agent, NULL, 0, err);
        if (st == ET_OK) et_hmppo_set_training(*agent, 0);
        return st;
    }
    return et_tune_make_agent(sim, &p->b, agent, err);
}

/* ---- 1. tuning the baselines --------------------------------------------------------------- */

/* The baselines are the registry's rows that do not learn, in its order. */
#define MAX_BASELINES 16
static int n_baselines(void)
{
    size_t n = 0;
    const et_policy_info *rows = et_policy_list(&n);
    int count = 0;
    for (size_t i = 0; i < n; i++)
        count += !rows[i].learned;
    return count < MAX_BASELINES ? count : MAX_BASELINES;
}

static const et_policy_info *baseline_row(int index)
{
    size_t n = 0;
    const et_policy_info *rows = et_policy_list(&n);
    for (size_t i = 0; i < n; i++)
        if (!rows[i].learned && index-- == 0) return &rows[i];
    return NULL;
}

/* Every baseline, in the registry's order, tuned by tune.h on the validation episodes;
 * tuned-dynamic starts from tuned-static's optimum. */
static et_status tune_baselines(et_sim *sim, const et_study_options *opt, et_tune_result *out,
                                et_error *err)
{
    const et_scenario *sc = opt->scenario;
    et_tune_options to = {.offset = sc->validation_offset,
                          .episodes = opt->validation_episodes,
                          .jobs = opt->jobs,
                          .quiet = opt->quiet};
    const int n_bl = n_baselines();
    int static_at = -1;
    if (!opt->quiet)
        fprintf(stderr, "edgetune: tuning %d baselines on %d validation episodes\n", n_bl,
                opt->validation_episodes);
    for (int bl = 0; bl < n_bl; bl++) {
        const et_policy_info *row = baseline_row(bl);
        const et_tune_result *start =
            row->tuning == ET_TUNE_DYNAMIC && static_at >= 0 ? &out[static_at] : NULL;
        et_status st = et_tune_baseline(sim, row, &to, start, &out[bl], err);
        if (st != ET_OK) return st;
        if (row->tuning == ET_TUNE_RULE) static_at = bl;
        if (!opt->quiet)
            fprintf(stderr, "edgetune: %s tuned: %d candidates, validation reward %.3f\n",
                    row->name, out[bl].candidates, out[bl].validation_reward);
    }
    return ET_OK;
}

/* ---- 2. training the learners ---------------------------------------------------------------- */

typedef struct train_job {
    et_sim *sim;
    uint64_t seed;
    et_train_options opt;
    char dir[ET_PATH_MAX + 48];
} train_job;

static et_status run_train_job(void *ctx, void *result, et_error *err)
{
    train_job *j = ctx;
    j->opt.out_dir = j->dir;
    et_sim_set_seed(j->sim, j->seed);
    return et_train_run(j->sim, &j->opt, result, err);
}

/* Splits "hmppo,mappo" into names (at most 3). */
static et_status parse_learners(const char *list, char names[3][16], int *n, et_error *err)
{
    *n = 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", list ? list : "");
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (!et_train_is_learned(tok) || *n == 3) {
            char learned[128];
            et_policy_names_text(1, learned, sizeof learned);
            return et_error_set(err, ET_ERR_INPUT,
                                "compare: --learners: expected a comma list of at most 3 of %s, "
                                "got '%.40s'",
                                learned, list);
        }
        for (int k = 0; k < *n; k++)
            if (!strcmp(names[k], tok))
                return et_error_set(err, ET_ERR_INPUT,
                                    "compare: --learners: '%s' is given twice in '%.40s'", tok,
                                    list);
        snprintf(names[(*n)++], 16, "%s", tok);
    }
    return ET_OK;
}

/* ---- 4. tables ------------------------------------------------------------------------------- */

enum { M_REWARD, M_DELAY, M_PPL, M_EXPOSURE, M_FAILED, M_LOCAL, N_METRICS };

static double metric(const et_episode_stats *s, int m)
{
    switch (m) {
    case M_REWARD:
        return s->reward;
    case M_DELAY:
        return s->total_delay_s;
    case M_PPL:
        return s->mean_ppl;
    case M_EXPOSURE:
        return s->mean_exposure;
    case M_FAILED:
        return s->failed;
    default:
        return s->tasks ? (double)s->local / s->tasks : 0;
    }
}

/* A policy's rows of results: one row per seed (baselines: one row). */
typedef struct group {
    char name[32];
    int first, n_seeds; /* indices into the evaluated specs */
} group;

/* Fewer learner seeds than this and compare.md says its learners' intervals mean little: a
 * bootstrap over 3 seeds has 10 distinct seed mixes, and misses whatever a fourth would show. */
#define STUDY_MIN_SEEDS 5

/* Metric m of every evaluated spec, (n_spec, E): vals[p * E + e]. */
static void metric_table(const et_episode_stats *st, int n_spec, int E, int m, double *vals)
{
    for (size_t i = 0; i < (size_t)n_spec * (size_t)E; i++)
        vals[i] = metric(&st[i], m);
}

/* HMPPO's table minus another's, (runs of h, E): a baseline's one run is subtracted from every
 * HMPPO run; another learner's runs are paired by seed (run k of both trained from the same
 * scenario seed, so on the same training episodes), or, with another seed count, its mean
 * over runs is subtracted. */
static void difference_table(const group *h, const group *o, const double *vals, int E,
                             double *diff)
{
    for (int k = 0; k < h->n_seeds; k++)
        for (int e = 0; e < E; e++) {
            double other;
            if (o->n_seeds == 1 || o->n_seeds == h->n_seeds) {
                int ko = o->n_seeds == 1 ? 0 : k;
                other = vals[(size_t)(o->first + ko) * E + e];
            } else {
                other = 0.0;
                for (int j = 0; j < o->n_seeds; j++)
                    other += vals[(size_t)(o->first + j) * E + e];
                other /= o->n_seeds;
            }
            diff[(size_t)k * E + e] = vals[(size_t)(h->first + k) * E + e] - other;
        }
}

/* "value [lo, hi]" with fmt for each number. */
static void put_ci(FILE *f, const et_boot_ci *c, const char *fmt)
{
    fprintf(f, fmt, c->value);
    if (isfinite(c->lo) && isfinite(c->hi)) {
        fputs(" [", f);
        fprintf(f, fmt, c->lo);
        fputs(", ", f);
        fprintf(f, fmt, c->hi);
        fputc(']', f);
    }
}

/* The headroom section: every policy's gain over tuned-static on the bound's episodes (the
 * first bound->episodes evaluation episodes), beside the hindsight bound's. vals is scratch
 * (n_spec x E). */
static et_status write_headroom(FILE *md, const group *groups, int n_groups,
                                const et_regime_bound_result *bound, double *vals,
                                const et_episode_stats *st, int n_spec, int E, et_boot *boot,
                                et_error *err)
{
    const int Eb = bound->episodes;
    int ts = -1;
    for (int g = 0; g < n_groups; g++) {
        const et_policy_info *info = et_policy_find(groups[g].name);
        if (info && !info->learned && info->tuning == ET_TUNE_RULE) ts = g;
    }
    if (ts < 0) return ET_OK;
    metric_table(st, n_spec, E, M_REWARD, vals);
    const double *tsv = vals + (size_t)groups[ts].first * E;
    double base = 0, agree = 0;
    for (int e = 0; e < Eb; e++) {
        base += tsv[e] / Eb;
        agree = fmax(agree, fabs(tsv[e] - bound->static_reward[e]));
    }
    base = fabs(base);
    fprintf(md,
            "\n## Headroom: every policy against the hindsight bound\n\nOn the first %d "
            "evaluation episodes (indices %d..%d): the hindsight bound of `edgetune regime`, a "
            "local search over each episode's per-task decisions from the better of the two tuned "
            "rules' (tuned-dynamic's in %d of %d), every candidate "
            "rescored as a whole episode in the engine (%d rescorings, %d of %d searches stopped "
            "by the budget of %d): a lower bound on the per-episode optimum, not an estimate of "
            "it. Gain: minus tuned-static on the same episode, mean with its stratified-bootstrap "
            "interval, in percent of tuned-static's mean on these episodes; share of the bound's "
            "gain: the policy's mean gain over the bound's.%s\n\n| policy | runs | episodic "
            "reward | gain over tuned-static | share of the bound's gain |\n|---|---|---|---|---|\n",
            Eb, bound->offset, bound->offset + Eb - 1, bound->from_dynamic, Eb, bound->rescorings,
            bound->budget_stops, Eb, bound->budget,
            agree > 1e-6 ? " **The search's replay of tuned-static differs from its evaluation: "
                           "the bound is not on the same episodes.**"
                         : "");
    double bound_gain = 0;
    for (int e = 0; e < Eb; e++)
        bound_gain += (bound->bound_reward[e] - tsv[e]) / Eb;
    double *x = malloc(sizeof *x * (size_t)(MAX_POLICIES + 1) * (size_t)Eb);
    if (!x) return et_error_set(err, ET_ERR_NOMEM, "out of memory");
    et_status s = ET_OK;
    for (int g = 0; s == ET_OK && g <= n_groups; g++) {
        int runs = g < n_groups ? groups[g].n_seeds : 1;
        et_boot_ci mean, gain;
        for (int k = 0; k < runs; k++)
            for (int e = 0; e < Eb; e++)
                x[(size_t)k * Eb + e] = g < n_groups
                                            ? vals[(size_t)(groups[g].first + k) * E + e]
                                            : bound->bound_reward[e];
        s = et_boot_mean(boot, x, runs, Eb, &mean, err);
        for (int k = 0; k < runs; k++)
            for (int e = 0; e < Eb; e++)
                x[(size_t)k * Eb + e] -= tsv[e];
        if (s == ET_OK) s = et_boot_mean(boot, x, runs, Eb, &gain, err);
        if (s != ET_OK) break;
        fprintf(md, "| %s | %d | %.2f | ", g < n_groups ? groups[g].name : "hindsight bound",
                runs, mean.value);
        if (g == ts) {
            fputs("- | - |\n", md);
            continue;
        }
        fprintf(md, "%+.1f%%", 100 * gain.value / base);
        if (isfinite(gain.lo) && isfinite(gain.hi))
            fprintf(md, " [%+.1f, %+.1f]", 100 * gain.lo / base, 100 * gain.hi / base);
        if (bound_gain > 0)
            fprintf(md, " | %.2f |\n", gain.value / bound_gain);
        else
            fputs(" | - (the bound gains nothing) |\n", md);
    }
    free(x);
    return s;
}

static void write_bound_csv(FILE *f, const et_regime_bound_result *b)
{
    fputs("episode,tuned_static,tuned_dynamic,hindsight_bound\n", f);
    for (int e = 0; b && e < b->episodes; e++)
        fprintf(f, "%d,%.9g,%.9g,%.9g\n", b->offset + e, b->static_reward[e],
                b->dynamic_reward[e], b->bound_reward[e]);
}

static et_status write_tables(FILE *md, FILE *csv, const et_sim *sim, const et_study_options *opt,
                              const et_tune_result *tb, const policy_spec *spec, int n_spec,
                              const group *groups, int n_groups, const et_episode_stats *st,
                              const et_regime_bound_result *bound, double *vals, double *diff,
                              et_boot *boot, et_error *err)
{
    const et_scenario *sc = opt->scenario;
    int E = opt->eval_episodes;
    fprintf(md,
            "# HMPPO against the baselines\n\n%d UEs x %d tasks, model %s, platform `%s`, "
            "scenario seed %llu. ",
            et_sim_ue_count(sim), sc->sim.tasks_per_ue, et_sim_model_name(sim), sc->sim.platform,
            (unsigned long long)sc->sim.seed);
    int n_learned = 0;
    for (int i = 0; i < n_spec; i++)
        n_learned += spec[i].learned;
    if (n_learned > 0)
        fprintf(md, "Learners trained from %d seeds for %d episodes each; every ", opt->seeds,
                opt->train_episodes);
    else
        fprintf(md, "Baselines only (no learner); every ");
    fprintf(md,
            "policy evaluated on the same %d evaluation episodes (indices %d..%d, each in a fresh "
            "engine); baselines tuned on %d validation episodes (indices %d..). Every mean covers "
            "every task; failed tasks are counted beside them.\n\n",
            E, sc->eval_offset, sc->eval_offset + E - 1, opt->validation_episodes,
            sc->validation_offset);
    fprintf(md,
            "Intervals are 95%% stratified-bootstrap intervals (%d resamples, bootstrap seed %u, "
            "percentile method): a learner's seeds are resampled, then the evaluation episodes "
            "within each drawn seed; a baseline (one run) resamples its episodes. IQM is the "
            "interquartile mean of the pooled runs x episodes rewards (the mean of the middle "
            "half); P(HMPPO better) is the probability of improvement, on each episode the share "
            "of (HMPPO seed, other run) pairs in which HMPPO's reward is higher (ties count one "
            "half), averaged over the episodes (Agarwal et al. 2021, rliable).\n\n",
            ET_BOOT_REPS, ET_BOOT_SEED);
    int learned_groups = 0;
    for (int g = 0; g < n_groups; g++)
        learned_groups += spec[groups[g].first].learned;
    if (learned_groups > 0 && opt->seeds < STUDY_MIN_SEEDS)
        fprintf(md,
                "**Warning: %d seed%s per learner.** With fewer than %d, the learners' intervals "
                "resample too few seeds to say what another seed would give (%s); read them as "
                "indicative, and rerun with `--seeds %d` or more before drawing a conclusion.\n\n",
                opt->seeds, opt->seeds == 1 ? "" : "s", STUDY_MIN_SEEDS,
                opt->seeds == 1 ? "with one, they cover the evaluation episodes alone"
                                : "their bootstrap has only a few distinct mixes of seeds",
                STUDY_MIN_SEEDS);
    char sg[32], kernel[16];
    et_engine_version(sg, sizeof sg);
    et_choice_name(ET_LEARN_KERNEL_CHOICES, sc->learn.kernel, kernel, sizeof kernel);
    fprintf(md,
            "Produced by edgetune %s (commit %s), SimGrid %s, OpenBLAS kernel %s, learners on the "
            "%s matmul kernels (hmppo.kernel).\n\n",
            ET_VERSION, et_build_commit, sg, openblas_get_corename(), kernel);
    fprintf(md, "## Tuned baseline parameters\n\n| baseline | tuned | validation reward | "
                "candidates |\n|---|---|---|---|\n");
    for (int b = 0, n_bl = n_baselines(); b < n_bl; b++) {
        const et_tune_spec *p = &tb[b].best;
        char what[ET_TUNE_RULE_MAX + 8];
        if (baseline_row(b)->tuning == ET_TUNE_RULE)
            snprintf(what, sizeof what, "`%s`", p->rule);
        else if (baseline_row(b)->tuning == ET_TUNE_DYNAMIC)
            snprintf(what, sizeof what, "`%s`", p->dynamic_rule[0] ? p->dynamic_rule : "(offload)");
        else if (tb[b].candidates > 1)
            snprintf(what, sizeof what, "k = %.3f", p->keep);
        else
            snprintf(what, sizeof what, "(no free parameter)");
        fprintf(md, "| %s | %s | %.3f | %d |\n", p->name, what, tb[b].validation_reward,
                tb[b].candidates);
    }

    /* One table per metric at a time: vals holds metric m of every spec. */
    static const char *const fmts[N_METRICS] = {"%.2f", "%.0f", "%.3f", "%.4f", "%.1f", "%.2f"};
    et_boot_ci ci[MAX_POLICIES][N_METRICS + 1]; /* the last column: IQM of the reward */
    et_status st_b = ET_OK;
    for (int m = 0; st_b == ET_OK && m < N_METRICS; m++) {
        metric_table(st, n_spec, E, m, vals);
        for (int g = 0; st_b == ET_OK && g < n_groups; g++) {
            const double *x = vals + (size_t)groups[g].first * E;
            st_b = et_boot_mean(boot, x, groups[g].n_seeds, E, &ci[g][m], err);
            if (st_b == ET_OK && m == M_REWARD)
                st_b = et_boot_iqm(boot, x, groups[g].n_seeds, E, &ci[g][N_METRICS], err);
        }
    }
    if (st_b != ET_OK) return st_b;
    fprintf(md, "\n## Results on the evaluation episodes\n\n| policy | runs | episodic reward | "
                "IQM reward | total delay (s) | mean perplexity | mean exposure | failed tasks | "
                "LOCAL share |\n|---|---|---|---|---|---|---|---|---|\n");
    for (int g = 0; g < n_groups; g++) {
        fprintf(md, "| %s | %d | ", groups[g].name, groups[g].n_seeds);
        put_ci(md, &ci[g][M_REWARD], fmts[M_REWARD]);
        fputs(" | ", md);
        put_ci(md, &ci[g][N_METRICS], fmts[M_REWARD]);
        for (int m = M_REWARD + 1; m < N_METRICS; m++) {
            fputs(" | ", md);
            put_ci(md, &ci[g][m], fmts[m]);
        }
        fputs(" |\n", md);
    }

    int h = -1;
    for (int g = 0; g < n_groups; g++)
        if (et_policy_find(groups[g].name) == et_policy_of_variant(ET_HMPPO)) h = g;
    if (h >= 0) {
        fprintf(md,
                "\n## HMPPO against every other policy\n\nHMPPO minus the other policy on the same "
                "evaluation episode, for each of HMPPO's %d seed%s (against another learner, run "
                "for run: both trained from the same scenario seeds), averaged: the mean "
                "difference and its interval, which resamples HMPPO's seeds and then the "
                "episodes, so it covers the seeds' variation as well as the episodes'. Reward: "
                "positive = HMPPO better; delay and perplexity: negative = HMPPO better. "
                "Percentages are relative to the other policy's mean. Better on: (seed, episode) "
                "pairs in which HMPPO's reward is higher.\n\n| other | reward | reward %% | "
                "P(HMPPO better) | total delay (s) | delay %% | perplexity | HMPPO better on "
                "|\n|---|---|---|---|---|---|---|---|\n",
                groups[h].n_seeds, groups[h].n_seeds == 1 ? "" : "s");
        static const int dm[3] = {M_REWARD, M_DELAY, M_PPL};
        et_boot_ci d[MAX_POLICIES][3], poi[MAX_POLICIES];
        double base[MAX_POLICIES][3];
        int wins[MAX_POLICIES] = {0};
        for (int k = 0; st_b == ET_OK && k < 3; k++) {
            metric_table(st, n_spec, E, dm[k], vals);
            for (int g = 0; st_b == ET_OK && g < n_groups; g++) {
                if (g == h) continue;
                base[g][k] = ci[g][dm[k]].value;
                difference_table(&groups[h], &groups[g], vals, E, diff);
                st_b = et_boot_mean(boot, diff, groups[h].n_seeds, E, &d[g][k], err);
                if (st_b != ET_OK || dm[k] != M_REWARD) continue;
                for (int i = 0; i < groups[h].n_seeds * E; i++)
                    wins[g] += diff[i] > 0;
                st_b = et_boot_improvement(boot, vals + (size_t)groups[h].first * E,
                                           groups[h].n_seeds, vals + (size_t)groups[g].first * E,
                                           groups[g].n_seeds, E, &poi[g], err);
            }
        }
        if (st_b != ET_OK) return st_b;
        for (int g = 0; g < n_groups; g++) {
            if (g == h) continue;
            double b0 = fabs(base[g][0]);
            fprintf(md, "| %s | ", groups[g].name);
            put_ci(md, &d[g][0], "%+.2f");
            fprintf(md, " | %+.1f%% [%+.1f, %+.1f] | ", 100 * d[g][0].value / b0,
                    100 * d[g][0].lo / b0, 100 * d[g][0].hi / b0);
            put_ci(md, &poi[g], "%.2f");
            fputs(" | ", md);
            put_ci(md, &d[g][1], "%+.0f");
            fprintf(md, " | %+.1f%% | ", 100 * d[g][1].value / base[g][1]);
            put_ci(md, &d[g][2], "%+.3f");
            fprintf(md, " | %d of %d |\n", wins[g], groups[h].n_seeds * E);
        }
    }
    if (bound && st_b == ET_OK)
        st_b = write_headroom(md, groups, n_groups, bound, vals, st, n_spec, E, boot, err);
    if (st_b != ET_OK) return st_b;
    fprintf(md, "\nFor reference, the paper (arXiv 2310.17492) reports HMPPO ahead of its "
                "baselines by 33.79%% in reward, with 80.49%% less delay and 23.53%% better "
                "perplexity, on its own simulator (not verifiable in detail).\n");
    fputs("policy,seed,episode,reward,total_delay_s,mean_ppl,mean_exposure,failed,local\n", csv);
    for (int g = 0; g < n_groups; g++)
        for (int k = 0; k < groups[g].n_seeds; k++) {
            const policy_spec *p = &spec[groups[g].first + k];
            for (int e = 0; e < E; e++) {
                const et_episode_stats *s = &st[(size_t)(groups[g].first + k) * E + e];
                fprintf(csv, "%s,%d,%d,%.9g,%.9g,%.9g,%.9g,%d,%d\n", groups[g].name, p->seed,
                        sc->eval_offset + e, s->reward, s->total_delay_s, s->mean_ppl,
                        s->mean_exposure, s->failed, s->local);
            }
        }
    return ET_OK;
}

/* Copies every training run's (episode, return) into curves.csv. */
static void write_curves(FILE *f, const policy_spec *spec, int n_spec, const char *out_dir)
{
    fputs("learner,seed,episode,return\n", f);
    for (int i = 0; i < n_spec; i++) {
        if (!spec[i].learned) continue;
        char path[ET_PATH_MAX + 80];
        snprintf(path, sizeof path, "%s/%s-s%d/train.csv", out_dir, spec[i].b.name, spec[i].seed);
        FILE *in = fopen(path, "r");
        if (!in) continue;
        char line[1024];
        int first = 1;
        while (fgets(line, sizeof line, in)) {
            if (first) { /* header */
                first = 0;
                continue;
            }
            long ep;
            double ret;
            if (sscanf(line, "%ld,%lf", &ep, &ret) == 2)
                fprintf(f, "%s,%d,%ld,%.9g\n", spec[i].b.name, spec[i].seed, ep, ret);
        }
        fclose(in);
    }
}

/* ---- the study ------------------------------------------------------------------------------- */

et_status et_study_run(et_sim *sim, const et_study_options *opt, et_error *err)
{
    const et_scenario *sc = opt->scenario;
    char learners[3][16];
    int n_learners = 0;
    et_status st = parse_learners(opt->learners, learners, &n_learners, err);
    if (st == ET_OK && (opt->seeds < 1 || opt->eval_episodes < 1 || opt->validation_episodes < 1))
        st = et_error_set(err, ET_ERR_INPUT, "compare: seeds and episode counts must be >= 1");
    if (st == ET_OK) st = et_mkdirs(opt->out_dir, err);
    if (st != ET_OK) return st;
    double t0 = wall_now();

    /* 1. Baselines, tuned on validation episodes. */
    et_tune_result tb[MAX_BASELINES];
    const int n_bl = n_baselines();
    st = tune_baselines(sim, opt, tb, err);
    if (st != ET_OK) return st;

    /* 2. Learners, trained from several seeds. */
    policy_spec spec[MAX_POLICIES];
    group groups[MAX_POLICIES];
    int n_spec = 0, n_groups = 0;
    int n_train = n_learners * opt->seeds;
    if (n_train + n_bl > MAX_POLICIES)
        return et_error_set(err, ET_ERR_INPUT, "compare: at most %d training runs",
                            MAX_POLICIES - n_bl);
    train_job *tj = calloc((size_t)(n_train ? n_train : 1), sizeof *tj);
    void **ctxs = calloc((size_t)(n_train ? n_train : 1), sizeof *ctxs);
    et_train_result *tres = calloc((size_t)(n_train ? n_train : 1), sizeof *tres);
    if (!tj || !ctxs || !tres) st = et_error_set(err, ET_ERR_NOMEM, "out of memory");
    for (int l = 0; st == ET_OK && l < n_learners; l++) {
        groups[n_groups++] = (group){.first = n_spec, .n_seeds = opt->seeds};
        snprintf(groups[n_groups - 1].name, sizeof groups[0].name, "%s", learners[l]);
        for (int s = 1; s <= opt->seeds; s++) {
            policy_spec *p = &spec[n_spec];
            memset(p, 0, sizeof *p);
            snprintf(p->b.name, sizeof p->b.name, "%s", learners[l]);
            p->learned = 1;
            p->seed = s;
            train_job *j = &tj[n_spec];
            j->sim = sim;
            j->seed = sc->sim.seed + (uint64_t)(s - 1);
            snprintf(j->dir, sizeof j->dir, "%s/%s-s%d", opt->out_dir, learners[l], s);
            j->opt =
                (et_train_options){.scenario = sc,
                                   .policy = p->b.name,
                                   .episodes = opt->train_episodes,
                                   /* A study starts its trainings over on every run of compare. */
                                   .restart = 1};
            snprintf(p->checkpoint, sizeof p->checkpoint, "%s/checkpoint.ckpt", j->dir);
            ctxs[n_spec] = j;
            n_spec++;
        }
    }
    if (st == ET_OK && n_train > 0) {
        if (!opt->quiet)
            fprintf(stderr,
                    "edgetune: training %d runs (%d learners x %d seeds, %d episodes each), %d "
                    "at a time\n",
                    n_train, n_learners, opt->seeds, opt->train_episodes, opt->jobs);
        st = et_isolate_run_many(run_train_job, ctxs, tres, sizeof *tres, n_train, opt->jobs,
                                 "training run", err);
    }
    free(tj);
    free(ctxs);
    free(tres);
    if (st != ET_OK) return st;
    for (int b = 0; b < n_bl; b++) {
        memset(&spec[n_spec], 0, sizeof spec[n_spec]);
        spec[n_spec].b = tb[b].best;
        groups[n_groups] = (group){.first = n_spec, .n_seeds = 1};
        snprintf(groups[n_groups].name, sizeof groups[0].name, "%s", tb[b].best.name);
        n_groups++;
        n_spec++;
    }

    /* 3. Everyone on the same evaluation episodes. */
    int E = opt->eval_episodes;
    if (!opt->quiet)
        fprintf(stderr, "edgetune: evaluating %d policies (learner seeds apart) on %d episodes\n",
                n_spec, E);
    et_episode_stats *stats = calloc((size_t)n_spec * (size_t)E, sizeof *stats);
    double *vals = calloc((size_t)n_spec * (size_t)E, sizeof *vals);
    double *diff = calloc((size_t)opt->seeds * (size_t)E, sizeof *diff);
    et_boot *boot = NULL;
    if (!stats || !vals || !diff) st = et_error_set(err, ET_ERR_NOMEM, "out of memory");
    if (st == ET_OK) st = et_boot_create(ET_BOOT_REPS, opt->seeds, E, ET_BOOT_SEED, &boot, err);
    if (st == ET_OK)
        st = et_tune_run_policies(sim, spec, sizeof *spec, n_spec, make_policy, sc->eval_offset, E,
                                  opt->jobs, stats, err);

    /* 4. The hindsight bound on the first evaluation episodes, from the tuned rules. */
    et_regime_bound_result *bound = NULL;
    int i_static = -1, i_dynamic = -1;
    for (int b = 0; b < n_bl; b++) {
        if (baseline_row(b)->tuning == ET_TUNE_RULE) i_static = b;
        if (baseline_row(b)->tuning == ET_TUNE_DYNAMIC) i_dynamic = b;
    }
    if (st == ET_OK && opt->bound_episodes > 0 && i_static >= 0 && i_dynamic >= 0) {
        bound = calloc(1, sizeof *bound);
        et_regime_options ro = {.episodes = opt->validation_episodes,
                                .offset = sc->validation_offset,
                                .budget = opt->bound_budget,
                                .jobs = opt->jobs,
                                .quiet = opt->quiet};
        int Eb = opt->bound_episodes < E ? opt->bound_episodes : E;
        if (!opt->quiet)
            fprintf(stderr, "edgetune: the hindsight bound on %d evaluation episodes\n", Eb);
        st = bound ? et_regime_bound(sim, sc, &ro, &tb[i_static].best, &tb[i_dynamic].best,
                                     sc->eval_offset, Eb, bound, err)
                   : et_error_set(err, ET_ERR_NOMEM, "out of memory");
    }

    /* 5. Tables, written atomically. */
    et_outputs out;
    memset(&out, 0, sizeof out);
    FILE *md = NULL, *csv = NULL, *curves = NULL, *bcsv = NULL;
    if (st == ET_OK) st = et_outputs_open(&out, opt->out_dir, 0, 0, err);
    if (st == ET_OK) st = et_outputs_add(&out, "compare.md", &md, err);
    if (st == ET_OK) st = et_outputs_add(&out, "compare.csv", &csv, err);
    if (st == ET_OK) st = et_outputs_add(&out, "curves.csv", &curves, err);
    if (st == ET_OK) st = et_outputs_add(&out, "bound.csv", &bcsv, err);
    if (st == ET_OK)
        st = write_tables(md, csv, sim, opt, tb, spec, n_spec, groups, n_groups, stats, bound,
                          vals, diff, boot, err);
    if (st == ET_OK) {
        write_curves(curves, spec, n_spec, opt->out_dir);
        write_bound_csv(bcsv, bound);
        fprintf(md, "\nWall time of the whole study: %.0f s on %d parallel processes.\n",
                wall_now() - t0, opt->jobs);
        st = et_outputs_commit(&out, NULL, err);
    } else {
        et_outputs_abort(&out);
    }
    et_boot_destroy(boot);
    free(bound);
    free(stats);
    free(vals);
    free(diff);
    return st;
}
