/* train.h: training, evaluation and comparison loops over simulated episodes.
 *
 * Everything runs in one process: one SimGrid engine, one platform, episodes
 * one after another, PPO updates between them. Episode e's random streams
 * derive from (seed, e); evaluation uses episodes from train.eval_offset on,
 * whose seeds training never sees. */
#ifndef ET_TRAIN_H
#define ET_TRAIN_H

#include <stdio.h>

#include "agent.h"
#include "collective.h"
#include "hmppo.h"
#include "scenario.h"
#include "sim.h"
#include "status.h"

/* Per-episode report for progress displays (called after every episode). */
/* Ranks a distributed training run may have (the checkpoint holds one clock per rank). */
#define ET_TRAIN_MAX_RANKS 64

typedef struct et_train_progress {
    int episode, episodes; /* 0-based episode just finished, total */
    const et_episode_stats *stats;
    const et_hmppo_stats *update; /* NULL when no update followed this episode */
    double wall_s;                /* since this process started training */
} et_train_progress;
typedef void (*et_train_progress_fn)(void *ctx, const et_train_progress *p);

typedef struct et_train_options {
    const et_scenario *scenario; /* the learner's keys (hmppo.*, train.*); sim was made from it */
    const char *policy;          /* hmppo | mappo | ippo */
    const char *out_dir;         /* train.csv and checkpoint.ckpt go here */
    int episodes;                /* total episodes (a resumed run counts the ones already done) */
    const char *resume;          /* checkpoint to continue from, or NULL */
    int stop_after;              /* > 0: stop after this many episodes in this process (tests) */
    /* Without resume, out_dir must not hold a training run (train.csv or checkpoint.ckpt):
     * ET_ERR_INPUT, unless restart is set. A restarted run keeps the old files until its
     * first checkpoint: its log is written aside (.train.csv.<pid>.tmp) until then. */
    int restart;
    /* Distributed training (NULL: alone). Every rank runs et_train_run with the same options;
     * rank r simulates episodes g with (g mod (E size)) / E == r, E = train.episodes_per_update,
     * and after each round of E size episodes the ranks average their gradients (synchronous
     * data-parallel PPO, et_hmppo_set_data_parallel). Rank 0 alone writes train.csv and the
     * checkpoint, which records every rank's engine clock: a resume needs the same rank count. */
    et_collective *comm;
    et_train_progress_fn progress;
    void *progress_ctx;
} et_train_options;

typedef struct et_train_result {
    int episodes_done;
    double wall_s;
    /* Where this rank's wall time went: episodes (the simulation with the policy's decisions),
     * PPO updates (their exchanges included), and the exchanges of round statistics, clocks
     * and replica checks (waiting for the slowest rank shows here). */
    double episodes_s, update_s, exchange_s;
    char checkpoint[ET_PATH_MAX + 32];
    /* The latest whole checkpoint (this run's, or the one it resumed from) and the
     * episodes it holds; -1 and "" when there is none yet. */
    int checkpoint_episodes;
    char resumable[ET_PATH_MAX + 32];
    double last_return; /* mean episodic reward over the last min(50, episodes) episodes */
} et_train_result;

/* What a training checkpoint holds beside the learner (et_train_checkpoint_load). */
typedef struct et_train_checkpoint {
    char policy[16];   /* hmppo | mappo | ippo */
    int episodes_done; /* in [0, ET_TRAIN_MAX_EPISODES] */
    int updates_done;  /* in [0, episodes_done] */
    int n_ue, tasks_per_ue;
    unsigned long long seed;
    int ranks;                          /* in [1, ET_TRAIN_MAX_RANKS] */
    double clock_s[ET_TRAIN_MAX_RANKS]; /* each rank's engine clock, in [0, ET_TRAIN_MAX_CLOCK_S] */
} et_train_checkpoint;

/* The most episodes a run trains (train.episodes' range) and the latest engine clock a
 * checkpoint may hold: 1e12 s, beyond which a double no longer resolves the engine's
 * microsecond events (and 1e300 would never let an episode end). */
#define ET_TRAIN_MAX_EPISODES 10000000
#define ET_TRAIN_MAX_CLOCK_S 1e12

/* Loads a training checkpoint (edgetune train's checkpoint.ckpt): the learner (et_hmppo_load,
 * its parameters checked finite) and the training progress, every field range-checked:
 * ET_ERR_INPUT naming the file and the field otherwise. info may be NULL. */
et_status et_train_checkpoint_load(const char *path, et_agent **agent, et_train_checkpoint *info,
                                   et_error *err);

/* ET_ERR_INPUT when out_dir holds a training run (train.csv or checkpoint.ckpt), naming
 * --resume and --restart (what et_train_run checks without resume or restart). */
et_status et_train_check_fresh(const char *out_dir, et_error *err);

/* Policy name -> learner variant; ET_ERR_INPUT for a name that is not learned. */
et_status et_train_variant(const char *policy, et_hmppo_variant *variant, et_error *err);

/* 1 if policy names a learned policy (hmppo, mappo, ippo). */
int et_train_is_learned(const char *policy);

/* Trains a learner on sim's scenario. Writes <out>/train.csv (one row per
 * episode; truncated back to the checkpoint on resume so a killed run
 * continues without duplicate rows) and <out>/checkpoint.ckpt every
 * train.checkpoint_every episodes and at the end. A resumed run continues
 * bit-identically: the checkpoint carries the learner's full state, the
 * episode counter and the engine clock at which the next episode starts.
 * On a signal (interrupt.h) it stops within the episode it is in and returns
 * ET_ERR_INTERRUPTED; res then says which checkpoint a resume starts from. */
et_status et_train_run(et_sim *sim, const et_train_options *opt, et_train_result *res,
                       et_error *err);

/* Like et_train_run, but in a forked child process, so that this process's
 * engine stays pristine for isolated evaluation (res is copied back). */
et_status et_train_run_isolated(et_sim *sim, const et_train_options *opt, et_train_result *res,
                                et_error *err);

/* Runs n evaluation episodes (indices offset .. offset + n - 1) with agent,
 * each in a fresh engine (et_sim_run_episode_isolated: this process must not
 * have run an episode); stats has n entries. tasks (may be NULL) receives the
 * first episode's task trace. */
et_status et_train_evaluate(et_sim *sim, et_agent *agent, int n, int offset,
                            et_episode_stats *stats, FILE *tasks, et_error *err);

#endif
