/* learn.h: the learner's hyperparameters, declared once.
 *
 * One X-macro row per hyperparameter. The scenario reader turns every row into
 * an "hmppo.<name>" key (checks, defaults and docs/configuration.md follow), the
 * learner's config embeds the same fields and checks the same ranges, so a new
 * hyperparameter is one row here plus its use in agents/hmppo.c. This header is
 * core: plain data, no SimGrid, no agents, so the scenario layer can aggregate
 * the learner's keys without knowing the learner.
 *
 * X(name, type, c_type, min, max, default, choices, help)
 *   type     INT, FLOAT, BOOL or ENUM (an int index into choices)
 *   min/max  inclusive range for INT and FLOAT
 *   default  JSON-ish text: a number, true/false, or a choice name
 * Defaults are MAPPO's published ones (Yu et al. 2022) unless the help says otherwise.
 */
#ifndef ET_LEARN_H
#define ET_LEARN_H

#include "edgetune_export.h"
#include "status.h"

ET_API_BEGIN

/* Matmul kernels, in et_nn_kernel order (agents/nn.h checks it). */
#define ET_LEARN_KERNEL_CHOICES "openblas|portable|naive"

#define ET_LEARN_KEYS(X)                                                                           \
    X(hidden, INT, int, 4, 4096, "64", NULL,                                                       \
      "units per hidden layer (two tanh layers) of actors and critic")                             \
    X(lr_actor, FLOAT, float, 1e-7, 1, "5e-4", NULL, "actor learning rate (Adam)")                 \
    X(lr_critic, FLOAT, float, 1e-7, 1, "5e-4", NULL, "critic learning rate (Adam)")               \
    X(lr_anneal, BOOL, int, 0, 1, "false", NULL,                                                   \
      "decay learning rates linearly to 0 over training")                                          \
    X(gamma, FLOAT, float, 0, 1, "0.99", NULL, "discount per decision")                            \
    X(lambda, FLOAT, float, 0, 1, "0.95", NULL, "GAE lambda")                                      \
    X(time_scale_s, FLOAT, float, 0, 1e9, "100", NULL,                                             \
      "> 0: discount by simulated time, gamma^(dt / time_scale_s); 0: per decision (edgetune's "   \
      "choice, docs/hmppo.md section 7: a task lasts 10-300 s, so per decision mis-weighs them)")  \
    X(clip, FLOAT, float, 0.01, 1, "0.2", NULL, "PPO ratio clip")                                  \
    X(value_clip, FLOAT, float, 0, 10, "0.2", NULL,                                                \
      "value-loss clip around the old value; 0 = off")                                             \
    X(ent_loc, FLOAT, float, 0, 1, "0.05", NULL,                                                   \
      "entropy coefficient of the location head (edgetune's choice, with ent_loc_end: 0)")         \
    X(ent_keep, FLOAT, float, 0, 1, "0.01", NULL, "entropy coefficient of the keep-fraction head") \
    X(ent_loc_end, FLOAT, float, -1, 1, "0", NULL,                                                 \
      "entropy coefficient of the location head at the end of training, reached linearly from "    \
      "ent_loc over the training's updates (as lr_anneal's schedule); -1 = no schedule, ent_loc "  \
      "throughout")                                                                                \
    X(vf_coef, FLOAT, float, 1e-6, 1e3, "1", NULL,                                                 \
      "value-loss weight (scales the critic's gradient before clipping)")                          \
    X(adam_eps, FLOAT, float, 1e-12, 1, "1e-5", NULL, "Adam epsilon (MAPPO and CleanRL use 1e-5)") \
    X(keep_deadzone, FLOAT, float, 0, 1000, "1", NULL,                                             \
      "a sampled keep within this many emulator blocks of the UE's cached emulator means that "    \
      "emulator, so exploration noise does not pay for downloads; 0 = off")                        \
    X(critic_own_obs, BOOL, int, 0, 1, "false", NULL,                                              \
      "HMPPO/MAPPO: the critic sees the UE's own observation before the global state (MAPPO's "    \
      "agent-specific global state)")                                                              \
    X(kernel, ENUM, int, 0, 2, "portable", ET_LEARN_KERNEL_CHOICES,                                \
      "matmul kernels of the networks: portable C in a fixed summation order (the same "           \
      "training on every x86-64 CPU, on the widest vectors it has) or OpenBLAS (it picks its "     \
      "kernel per CPU, so learned results can differ between machines)")                           \
    X(max_grad_norm, FLOAT, float, 0, 1e6, "10", NULL,                                             \
      "global gradient-norm clip per network; 0 = off")                                            \
    X(epochs, INT, int, 1, 1000, "10", NULL, "PPO epochs per update")                              \
    X(minibatches, INT, int, 1, 4096, "1", NULL, "minibatches per epoch")                          \
    X(value_norm, BOOL, int, 0, 1, "true", NULL,                                                   \
      "normalise value targets by running mean and std")                                           \
    X(value_norm_per_ue, BOOL, int, 0, 1, "false", NULL,                                           \
      "with value_norm: one running mean and std per UE, of that UE's returns, instead of one "    \
      "over every UE's")                                                                           \
    X(share_actor, BOOL, int, 0, 1, "false", NULL,                                                 \
      "one actor for all UEs with a one-hot agent id input (parameter sharing)")                   \
    X(keep_bins, INT, int, 2, 256, "8", NULL, "MAPPO baseline: keep fraction levels")

/* The fields, for structs that embed them (et_learn_params, et_hmppo_config). */
#define ET_LEARN_FIELD(name, type, c_type, lo, hi, def, choices, help) c_type name;

typedef struct et_learn_params {
    ET_LEARN_KEYS(ET_LEARN_FIELD)
} et_learn_params;

/* Every field at its default. */
void et_learn_default(et_learn_params *p);

/* Every field within its range; where names the source in messages
 * ("hmppo config", a checkpoint path). */
et_status et_learn_validate(const et_learn_params *p, const char *where, et_error *err);

/* The name of the first field in which a and b differ (its values go to *va
 * and *vb), or NULL when they are equal. */
const char *et_learn_difference(const et_learn_params *a, const et_learn_params *b, double *va,
                                double *vb);

/* ET_LEARN_KEYS(ET_LEARN_COPY_FIELD) copies every learner field from the
 * pointer named src to the pointer named dst (structs that embed the rows). */
#define ET_LEARN_COPY_FIELD(name, type, c_type, lo, hi, def, choices, help) dst->name = src->name;

ET_API_END

#endif
