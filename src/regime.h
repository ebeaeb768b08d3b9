/* regime.h: which decisions a scenario rewards, measured on the engine.
 *
 * For a set of episodes, every task is run under every fixed choice: SERVER,
 * and LOCAL with each emulator size b the scenario allows (one isolated
 * episode per choice, so every task meets the same channel draws and the
 * same task parameters). The per-task hindsight oracle then takes, for each
 * task, the choice with the best reward. Each choice is evaluated in the
 * world where every UE makes it (all-server, all-local at b): changing one
 * task's choice in a mixed world would need an episode per task and choice.
 * That world is the most contended for the chosen location (the server is
 * busiest when everyone offloads, the carrier when everyone downloads
 * emulators), so the oracle's split is biased against neither side. The best
 * fixed keep fraction for LOCAL is the single emulator size that serves the
 * oracle's LOCAL tasks best (a device that cannot hold an emulator is not a
 * LOCAL task, so memory limits do not decide it). */
#ifndef ET_REGIME_H
#define ET_REGIME_H

#include <stdio.h>

#include "scenario.h"
#include "sim.h"
#include "status.h"

#define ET_REGIME_MAX_OPTIONS 129 /* SERVER + up to 128 emulator sizes */
#define ET_REGIME_MAX_CLASSES 8

/* Mean outcome per task of one fixed choice. */
typedef struct et_regime_option {
    int local; /* 0: SERVER, 1: LOCAL */
    int b;     /* LOCAL emulator blocks */
    double keep;
    double reward, delay_s, ppl, exposure;
    double failed; /* share of tasks that failed */
} et_regime_option;

typedef struct et_regime {
    int episodes, tasks; /* tasks over all episodes */
    int n_options;       /* options[0] is SERVER, then LOCAL b_min .. b_max */
    et_regime_option options[ET_REGIME_MAX_OPTIONS];
    /* The per-task oracle. */
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
    /* Share of LOCAL oracle choices per device class. */
    int n_classes;
    char class_name[ET_REGIME_MAX_CLASSES][32];
    int class_tasks[ET_REGIME_MAX_CLASSES], class_local[ET_REGIME_MAX_CLASSES];
} et_regime;

/* Measures the regime on episodes offset .. offset + episodes - 1 (each run
 * isolated: this process must not have run an episode). ET_ERR_INPUT when the
 * scenario allows more emulator sizes than ET_REGIME_MAX_OPTIONS - 1. */
et_status et_regime_measure(et_sim *sim, const et_scenario *sc, int episodes, int offset,
                            et_regime *out, et_error *err);

/* Writes the regime as a Markdown report. */
void et_regime_print(FILE *f, const et_sim *sim, const et_scenario *sc, const et_regime *r);

#endif
