/* study.h: the comparison study behind `edgetune compare` (docs/results.md).
 *
 * 1. Every baseline's free parameters are tuned the same way, by tune.h (which
 *    `edgetune regime` uses too): search on validation episodes
 *    (train.validation_offset on), mean episodic reward. all-local and greedy
 *    over every allowed emulator size; tuned-static over every subset of the
 *    platform's device classes tuning LOCAL times every emulator size;
 *    tuned-dynamic by coordinate search over each class's load threshold and
 *    emulator size, from tuned-static's optimum; all-server's keep only when the
 *    server tunes on the emulator (version 1); random has none.
 * 2. Every learner is trained from `seeds` seeds (scenario seed s, s + 1, ...:
 *    network initialisation, sampling and training episodes all change), each
 *    run in its own process, `jobs` at a time.
 * 3. Every policy (each learner seed separately) is evaluated on the same
 *    evaluation episodes (train.eval_offset on), each in a fresh engine.
 * 4. compare.md (statistics: bootstrap.h): per policy the mean of episodic
 *    reward, total delay, mean perplexity, mean privacy exposure, failed tasks
 *    and LOCAL share, and the interquartile mean of the reward, each with its
 *    95% stratified-bootstrap interval (a learner's seeds resampled, then the
 *    evaluation episodes within each; a baseline's episodes); HMPPO against
 *    every other policy: the paired difference per seed and episode (against
 *    a learner, seed for seed) with an interval that covers seeds and
 *    episodes, and the probability of improvement P(HMPPO better) with its
 *    interval; a warning when the learners have fewer than 5 seeds; the tuned
 *    parameters. Fixed bootstrap seed: the tables are reproducible.
 *    compare.csv: one row per policy, seed and episode. curves.csv: every
 *    training run's per-episode return. */
#ifndef ET_STUDY_H
#define ET_STUDY_H

#include "scenario.h"
#include "sim.h"
#include "status.h"

typedef struct et_study_options {
    const et_scenario *scenario; /* the keys of the study; sim was made from it */
    const char *out_dir;
    int seeds;               /* training seeds per learner, >= 1 */
    int train_episodes;      /* per training run */
    int eval_episodes;       /* evaluation episodes per policy */
    int validation_episodes; /* per baseline candidate */
    int jobs;                /* parallel processes, >= 1 */
    const char *learners;    /* comma list of hmppo, mappo, ippo; "" for none */
    int bound_episodes;      /* the hindsight bound on the first this many evaluation episodes
                                (regime.h, et_regime_bound); 0: none */
    int bound_budget;        /* its rescorings per episode */
    int quiet;               /* no progress lines on stderr */
} et_study_options;

/* Runs the study on sim's scenario (this process must not have run an
 * episode: everything runs in child processes). Writes out_dir/compare.md,
 * compare.csv, curves.csv, and a training directory per learner and seed
 * (<learner>-s<seed>/). Errors as values; the outputs are written atomically
 * and not at all on error. */
et_status et_study_run(et_sim *sim, const et_study_options *opt, et_error *err);

#endif
