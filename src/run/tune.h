/* tune.h: tuning the baselines' free parameters on validation episodes.
 *
 * `edgetune compare` (study.h) and `edgetune regime` (regime.h) both tune through this
 * module, so a baseline is tuned alike wherever it is compared. A candidate is scored by
 * its mean episodic reward over the same validation episodes (indices offset ..
 * offset + episodes - 1), each run in a fresh engine (a forked child, isolate.h), `jobs`
 * at a time. What is searched follows the baseline's registry row (registry.h):
 *
 *   ET_TUNE_NONE           nothing: the one candidate, keep = k_max;
 *   ET_TUNE_KEEP           the keep fraction, every allowed emulator size b / M;
 *   ET_TUNE_KEEP_EMULATOR  likewise when the server tunes on the emulator, else nothing;
 *   ET_TUNE_RULE           tuned-static, exhaustively: every subset of the platform's
 *                          device classes tuning LOCAL times every emulator size (at most
 *                          ET_TUNE_MAX_CLASSES classes: 2^6 x sizes candidates);
 *   ET_TUNE_DYNAMIC        tuned-dynamic, by coordinate search from tuned-static's optimum
 *                          (its local classes get q = 0, the others q = inf, every class
 *                          its keep): for each device class in turn (sorted by name), every
 *                          threshold of ET_TUNE_DYNAMIC_Q times every emulator size, and
 *                          q = inf, the others held; the best replaces the incumbent when
 *                          strictly better. A round visits every class once; the search
 *                          stops after a round that changed nothing, or after
 *                          ET_TUNE_DYNAMIC_ROUNDS rounds. Candidates already scored are
 *                          not run again.
 *
 * Ties keep the earlier candidate (the smaller k; in the coordinate search, the
 * incumbent), so the result is a function of the scenario, the seed and the episodes. */
#ifndef ET_TUNE_H
#define ET_TUNE_H

#include "agent.h"
#include "registry.h"
#include "sim.h"
#include "stats.h"
#include "status.h"

#define ET_TUNE_RULE_MAX 256
#define ET_TUNE_MAX_CLASSES 6
#define ET_TUNE_DYNAMIC_ROUNDS 2
/* The thresholds tried for tuned-dynamic, finite ones (q = inf is tried as well). One
 * OPT-2.7B job fills a 24 GB accelerator, so the load a UE sees is the queue in front of
 * its job: 0 (idle) to a few jobs per UE of a 6-UE cell. */
#define ET_TUNE_DYNAMIC_Q                                                                          \
    {                                                                                              \
        0, 1, 2, 3, 4, 6                                                                           \
    }

/* A baseline with its parameters: what et_agent_create needs. */
typedef struct et_tune_spec {
    char name[32];                       /* a baseline row of the registry */
    double keep;                         /* baselines.keep */
    char rule[ET_TUNE_RULE_MAX];         /* baselines.static_rule (tuned-static) */
    char dynamic_rule[ET_TUNE_RULE_MAX]; /* baselines.dynamic_rule (tuned-dynamic) */
} et_tune_spec;

typedef struct et_tune_result {
    et_tune_spec best;
    double validation_reward; /* best's mean episodic reward over the validation episodes */
    int candidates;           /* distinct candidates scored */
    int rounds;               /* tuned-dynamic: coordinate rounds run (0 for the others) */
} et_tune_result;

typedef struct et_tune_options {
    int offset;   /* first validation episode */
    int episodes; /* validation episodes per candidate, >= 1 */
    int jobs;     /* parallel processes, >= 1 */
    int quiet;    /* no progress lines on stderr */
} et_tune_options;

/* Creates spec's policy (et_agent_create with spec's parameters and sim's seed). */
et_status et_tune_make_agent(const et_sim *sim, const et_tune_spec *spec, et_agent **out,
                             et_error *err);

/* Makes the policy a spec describes (a spec type of the caller's: tune's candidates, or the
 * study's baselines and learner checkpoints). */
typedef et_status (*et_tune_agent_fn)(const et_sim *sim, const void *spec, et_agent **out,
                                      et_error *err);

/* Runs n_specs policies (specs: an array of spec_size-byte elements, each made into an agent
 * by make in the child) on episodes offset .. offset + n_episodes - 1, each in a fresh engine,
 * at most jobs at a time: stats[i * n_episodes + e] is spec i on episode offset + e. This
 * process must not have run an episode. */
et_status et_tune_run_policies(et_sim *sim, const void *specs, size_t spec_size, int n_specs,
                               et_tune_agent_fn make, int offset, int n_episodes, int jobs,
                               et_episode_stats *stats, et_error *err);

/* Runs every spec on episodes offset .. offset + n_episodes - 1, each in a fresh engine,
 * at most jobs at a time: stats[i * n_episodes + e] is spec i on episode offset + e. This
 * process must not have run an episode. */
et_status et_tune_run(et_sim *sim, const et_tune_spec *specs, int n_specs, int offset,
                      int n_episodes, int jobs, et_episode_stats *stats, et_error *err);

/* The platform's device classes of sim's UEs, sorted by name (strings live as long as
 * sim): at most max, ET_ERR_INPUT naming the platform beyond. */
et_status et_tune_device_classes(const et_sim *sim, const char **out, int max, int *n,
                                 et_error *err);

/* Tunes the baseline of row (not a learned one). For ET_TUNE_DYNAMIC, start is
 * tuned-static's result on the same episodes (NULL: tuned here first). */
et_status et_tune_baseline(et_sim *sim, const et_policy_info *row, const et_tune_options *opt,
                           const et_tune_result *start, et_tune_result *out, et_error *err);

#endif
