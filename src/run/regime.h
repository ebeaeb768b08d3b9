/* regime.h: which decisions a scenario rewards, and how much a dynamic policy could
 * gain over the best static rule, measured on the engine (`edgetune regime`).
 *
 * 1. Uniform worlds. For E validation episodes (offset .. offset + E - 1), every task
 *    is run under every fixed choice: SERVER, and LOCAL with each emulator size b the
 *    scenario allows (one isolated episode per choice, so every task meets the same
 *    channel draws and task parameters). Each choice is scored in the world where every
 *    UE makes it (all-server, all-local at b): the most contended world for that
 *    location, so the per-task oracle built on it is biased against neither side, but
 *    it is no ceiling (a mixed world is less contended than either). A LOCAL world
 *    caps b at what the UE can hold, so that no UE fails and the load stays alike;
 *    for a task whose UE cannot hold b, the option is scored as the failure it would be
 *    (et_cost_fail_reward). From these runs: per option the mean outcome per task; the
 *    per-task oracle (best choice per task); the best fixed keep fraction for the
 *    oracle's LOCAL tasks; and per device class the curve of LOCAL's mean reward over
 *    b with its best b, whether that b is interior and whether the next b up is capped
 *    by the class's memory (an interior best that is not at a cap is a quality/cost
 *    trade-off, not a memory limit).
 *
 * 2. Headroom (opt->headroom). tuned-static and tuned-dynamic are tuned (tune.h) on
 *    the same E episodes and scored on E disjoint ones (offset + E .. offset + 2E - 1),
 *    beside a consistent hindsight bound: for each scoring episode, a local search over
 *    that episode's per-task decisions, starting from the better of the two rules'
 *    decisions. A move changes one task's decision (its location; a LOCAL task's b
 *    among a few sizes: +-1, the class's best b, the smallest, the largest that fits),
 *    and every candidate is rescored as a whole episode in the engine (a replay agent
 *    returns the decided action per (ue, task); tasks are drawn in a fixed order, so
 *    they are the same in every candidate). A pass tries, in order: (first pass only)
 *    the other rule's decision for each task where the two differ; a location flip of
 *    every task, the worst-rewarded first; the other sizes of every LOCAL task. Moves
 *    are scored in batches of ET_REGIME_SEARCH_BATCH (in parallel; a fixed size, so
 *    that -j changes no result); the best improving one is kept, or all of the batch's
 *    improving moves together when that combination scores better, and the improving
 *    moves not kept are tried again against the new incumbent. The search stops after
 *    opt->budget rescorings or a pass that improves nothing. Every decision sequence it
 *    keeps is one the engine ran, so its reward is a lower bound on the best per-episode
 *    (hindsight) optimum, never an estimate above it. Each figure: the mean episodic
 *    reward over the scoring episodes, and the paired per-episode difference against
 *    tuned-static with its 95% Student t interval (et_student_mean_ci, bootstrap.h), also
 *    in percent of tuned-static's mean. */
#ifndef ET_REGIME_H
#define ET_REGIME_H

#include <stdio.h>

#include "scenario.h"
#include "sim.h"
#include "status.h"
#include "tune.h"

#define ET_REGIME_MAX_OPTIONS 129 /* SERVER + up to 128 emulator sizes */
#define ET_REGIME_MAX_CLASSES 8
#define ET_REGIME_MAX_EPISODES 100   /* E, the headroom's scoring episodes */
#define ET_REGIME_DEFAULT_EPISODES 5 /* `edgetune regime` without --episodes */
#define ET_REGIME_DEFAULT_BUDGET 500 /* rescorings per scoring episode */
#define ET_REGIME_SEARCH_BATCH 4     /* moves scored at once by the hindsight search */

typedef struct et_regime_options {
    int episodes; /* E >= 1 */
    int offset;   /* the first validation episode (train.validation_offset) */
    int headroom; /* 1: tune and score tuned-static, tuned-dynamic and the hindsight bound */
    int budget;   /* the bound's rescorings per scoring episode, >= 0 */
    int jobs;     /* parallel processes, >= 1 */
    int quiet;    /* no progress lines on stderr */
} et_regime_options;

/* Mean outcome per task of one fixed choice, in its uniform world. */
typedef struct et_regime_option {
    int local; /* 0: SERVER, 1: LOCAL */
    int b;     /* LOCAL emulator blocks */
    double keep;
    double reward, delay_s, ppl, exposure;
    double failed; /* share of tasks that failed (or could not hold the emulator) */
} et_regime_option;

/* One device class in the uniform worlds. */
typedef struct et_regime_class {
    char name[32];
    int tasks, local_wins; /* its tasks; those whose oracle choice is LOCAL */
    /* Mean reward per task of each LOCAL option over the class's tasks (indices as
     * et_regime.options; [0], SERVER, holds SERVER's): the class's curve over b. */
    double reward[ET_REGIME_MAX_OPTIONS];
    int capped[ET_REGIME_MAX_OPTIONS]; /* tasks whose UE cannot hold option o's emulator */
    int best;                          /* the LOCAL option with the best mean reward */
    int interior;    /* 1: best is neither the smallest nor the largest allowed b */
    int next_capped; /* 1: the next b up is beyond the memory of some of the class's UEs;
                        0: it is not; -1: best is the largest allowed b */
} et_regime_class;

/* One policy on the headroom's scoring episodes. */
typedef struct et_regime_policy {
    char name[32];
    char rule[256];                        /* tuned parameters (rules), "" for the bound */
    double validation_reward;              /* mean over the tuning episodes (rules) */
    int candidates;                        /* rules: candidates the tuning scored */
    double reward[ET_REGIME_MAX_EPISODES]; /* episodic reward per scoring episode */
    double mean;                           /* mean episodic reward */
    double diff, diff_half;           /* minus tuned-static's, per episode: mean, 95% half-width */
    double gain, gain_low, gain_high; /* diff and its interval / |tuned-static's mean| */
    int better_on;                    /* scoring episodes where it beats tuned-static */
} et_regime_policy;

typedef struct et_regime_headroom {
    int measured; /* 0 when opt->headroom was 0 */
    int episodes, tune_offset, score_offset, budget;
    et_regime_policy tuned_static, tuned_dynamic, bound;
    int rescorings;     /* episodes the bound's search ran, over all scoring episodes */
    int moves;          /* decisions it changed (kept moves) */
    int from_dynamic;   /* scoring episodes whose search started from tuned-dynamic */
    int budget_stops;   /* scoring episodes whose search ended at the budget */
    double tune_wall_s; /* wall seconds tuning, scoring, searching */
    double score_wall_s;
    double search_wall_s;
} et_regime_headroom;

typedef struct et_regime {
    int episodes, tasks; /* uniform worlds: episodes; tasks over all of them */
    int offset;
    int n_options; /* options[0] is SERVER, then LOCAL b_min .. b_max */
    et_regime_option options[ET_REGIME_MAX_OPTIONS];
    /* The per-task oracle (best choice per task, among the choices that run). */
    double oracle_reward;         /* mean per task */
    double frac_local;            /* share of tasks whose best choice is LOCAL */
    double gap_delay_s;           /* mean over tasks of delay(best LOCAL) - delay(SERVER) */
    double gap_ppl, gap_exposure; /* likewise for perplexity and privacy exposure */
    /* Over the tasks whose oracle choice is LOCAL: the mean reward of each
     * LOCAL option, the fixed one that serves them best, and how often each
     * option is a task's own best. */
    double local_task_reward[ET_REGIME_MAX_OPTIONS];
    int best_b_count[ET_REGIME_MAX_OPTIONS];
    int best_fixed; /* index of the LOCAL option with the best mean reward over those tasks */
    int interior;   /* 1 when best_fixed is neither b_min nor b_max */
    int n_classes;  /* device classes, sorted by name */
    et_regime_class classes[ET_REGIME_MAX_CLASSES];
    et_regime_headroom headroom;
    double uniform_wall_s;
} et_regime;

/* The hindsight bound on given rules (et_regime_bound). */
typedef struct et_regime_bound_result {
    int episodes, offset, budget;
    double static_reward[ET_REGIME_MAX_EPISODES];  /* ts's episodic reward per episode */
    double dynamic_reward[ET_REGIME_MAX_EPISODES]; /* td's */
    double bound_reward[ET_REGIME_MAX_EPISODES];   /* the search's best */
    int rescorings, moves, from_dynamic, budget_stops;
    double score_wall_s, search_wall_s;
} et_regime_bound_result;

/* Measures the regime (this process must not have run an episode: everything runs in
 * child processes). ET_ERR_INPUT when the scenario allows more emulator sizes than
 * ET_REGIME_MAX_OPTIONS - 1, the platform has more than ET_REGIME_MAX_CLASSES device
 * classes, or opt->episodes is outside [1, ET_REGIME_MAX_EPISODES]. */
et_status et_regime_measure(et_sim *sim, const et_scenario *sc, const et_regime_options *opt,
                            et_regime *out, et_error *err);

/* The hindsight bound of section 2 for rules tuned elsewhere (`edgetune compare`'s): the
 * uniform worlds on opt->episodes episodes from opt->offset (each UE's memory cap, each
 * class's best b for the search's LOCAL moves), then ts and td scored on episodes
 * offset .. offset + episodes - 1 and each searched from the better of the two with
 * opt->budget rescorings at most. Same isolation rule as et_regime_measure. */
et_status et_regime_bound(et_sim *sim, const et_scenario *sc, const et_regime_options *opt,
                          const et_tune_spec *ts, const et_tune_spec *td, int offset, int episodes,
                          et_regime_bound_result *out, et_error *err);

/* 1 when some device class has an interior best b whose next b up is not memory-capped:
 * the keep fraction is a quality/cost trade-off for that class. */
int et_regime_interior_by_tradeoff(const et_regime *r);

/* Writes the regime as a Markdown report. */
void et_regime_print(FILE *f, const et_sim *sim, const et_scenario *sc, const et_regime *r);

/* Writes the regime's figures as CSV (docs/results.md, "Version 3 regime"): the header
 * figure,scope,choice,value,ci95_low,ci95_high and one row per figure (the tuned_rule rows
 * hold the rule's text as their value). */
void et_regime_write_csv(FILE *f, const et_regime *r);

#endif
