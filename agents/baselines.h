/* baselines.h: the rule-based policies (agents/README.md) (all-local,
 * all-server, random, greedy, tuned-static, tuned-dynamic) and the greedy
 * policy's delay estimator.
 *
 * The constructors have the registry's constructor shape (registry.c): the
 * registry allocates the et_agent shell, a constructor fills agent->ops and
 * agent->impl, and ops->destroy frees impl only (et_agent_destroy frees the
 * shell). On failure a constructor leaves nothing allocated, fills err and
 * returns its status. Nothing here allocates after the constructor, except
 * that random grows its per-UE streams in episode_begin when an episode has
 * more UEs than any before. */
#ifndef ET_BASELINES_H
#define ET_BASELINES_H

#include <limits.h>
#include <stddef.h>

#include "agent.h"

/* LOCAL with keep = params->keep. ET_ERR_INPUT unless params->keep is in (0, 1]. */
et_status et_baseline_create_all_local(const et_policy_params *params, et_agent *agent,
                                       et_error *err);

/* SERVER with keep = params->keep. ET_ERR_INPUT unless params->keep is in (0, 1]. */
et_status et_baseline_create_all_server(const et_policy_params *params, et_agent *agent,
                                        et_error *err);

/* Location uniform over {LOCAL, SERVER}, keep uniform in [k_min, k_max), both drawn
 * from a per-UE stream re-seeded at every episode_begin from (params->seed,
 * episode_seed, ue): the same seeds give the same decisions whatever order
 * the UEs decide in. params->keep is not used. ET_ERR_NOMEM when the streams
 * cannot be allocated. */
et_status et_baseline_create_random(const et_policy_params *params, et_agent *agent, et_error *err);

/* keep = params->keep; the location with the lower et_baseline_expected_delay_s
 * (ties, including both infinite, go to SERVER). ET_ERR_INPUT unless
 * params->keep is in (0, 1]. */
et_status et_baseline_create_greedy(const et_policy_params *params, et_agent *agent, et_error *err);

/* A fixed rule: a location per device class and one keep fraction. params->rule
 * is "local=CLASS[,CLASS...];k=K": the listed classes tune LOCAL with keep K,
 * every other class offloads (SERVER). NULL or "" offloads everything with
 * keep params->keep. The rule's parameters are what `edgetune compare` tunes
 * by grid search on validation episodes (docs/results.md): the strongest
 * rule that learns nothing. ET_ERR_INPUT naming the rule when it does not
 * parse (at most ET_STATIC_MAX_CLASSES classes of up to 31 characters, K in
 * (0, 1]). */
#define ET_STATIC_MAX_CLASSES 16
et_status et_baseline_create_static(const et_policy_params *params, et_agent *agent, et_error *err);

/* tuned-static's rule, parsed. */
typedef struct et_static_rule {
    int n_local;                           /* classes that tune LOCAL */
    char local[ET_STATIC_MAX_CLASSES][32]; /* in the order given */
    double keep;                           /* K, or the keep given to the parser */
} et_static_rule;

/* Parses tuned-static's rule text ("local=CLASS[,CLASS...];k=K", either part may be
 * missing; NULL or "": nothing local) into *out, keep being K when the text gives none.
 * ET_ERR_INPUT naming the key baselines.static_rule when it does not parse. */
et_status et_baseline_static_parse(const char *text, double keep, et_static_rule *out,
                                   et_error *err);

/* Writes the rule string of (n_local classes, keep) into buf (size bytes). */
void et_baseline_static_rule(char *buf, size_t size, const char *const *local_classes, int n_local,
                             double keep);

/* A rule on the server's load as the UE last observed it, per device class: the
 * dynamic counterpart of tuned-static. For a UE of a listed class, with load =
 * server_jobs + server_queued of its task view (jobs running and waiting at the server),
 * the task is offloaded (SERVER) while load < q, and tuned LOCAL with the class's keep
 * otherwise: q = 0 always tunes locally, q = ET_DYNAMIC_Q_INF always offloads. Classes
 * not listed offload.
 *
 * Text form (key baselines.dynamic_rule): "CLASS:q=Q,k=K[;CLASS:q=Q,k=K...]", Q a
 * non-negative integer or "inf", K in (0, 1]. One part may be "k=K" alone: the keep of
 * offloaded tasks (it matters only when the server tunes on the emulator) and of listed
 * classes that give no k of their own (",k=K" may be left out). */
#define ET_DYNAMIC_Q_INF INT_MAX
#define ET_DYNAMIC_Q_MAX 1000000 /* the largest finite Q the text may give */

typedef struct et_dynamic_class {
    char name[32]; /* the device class (platform property `class`) */
    int q;         /* offload while the observed load is below q; ET_DYNAMIC_Q_INF: always */
    double keep;   /* LOCAL keep fraction, in (0, 1] */
} et_dynamic_class;

typedef struct et_dynamic_rule {
    int n;                                       /* listed classes */
    et_dynamic_class cls[ET_STATIC_MAX_CLASSES]; /* in the order given */
    double keep;    /* SERVER keep, and the LOCAL keep of a class that gives none */
    int keep_given; /* 1 when the text had a "k=K" part (et_baseline_dynamic_format writes it) */
} et_dynamic_rule;

/* Parses text into *out; keep is the keep when the text has no "k=K" part. NULL or ""
 * gives the empty rule (everything offloads). ET_ERR_INPUT naming the key
 * baselines.dynamic_rule, the grammar and what is wrong (a class twice, more than
 * ET_STATIC_MAX_CLASSES classes, a name over 31 characters, Q or K out of range). */
et_status et_baseline_dynamic_parse(const char *text, double keep, et_dynamic_rule *out,
                                    et_error *err);

/* Writes r as text (what et_baseline_dynamic_parse reads back to the same rule) into
 * buf (size bytes; truncated if short). Keeps print with %.6g. */
void et_baseline_dynamic_format(const et_dynamic_rule *r, char *buf, size_t size);

/* The index of class name in r, or -1. */
int et_baseline_dynamic_find(const et_dynamic_rule *r, const char *name);

/* The tuned-dynamic policy of params->dynamic_rule (et_baseline_dynamic_parse, with
 * params->keep when it gives no "k=K"). Its parameters (Q and K per class) are what
 * `edgetune compare` and `edgetune regime` tune on validation episodes (src/run/tune.h).
 * ET_ERR_INPUT when the rule does not parse or params->keep is not in (0, 1]. */
et_status et_baseline_create_dynamic(const et_policy_params *params, et_agent *agent,
                                     et_error *err);

/* The delay (s) a task would take at location loc with keep fraction keep, as
 * estimated from the view alone (rates held at their current values, the
 * server's cores shared by the reported jobs plus this one). This is a
 * policy's guess; the simulator measures the real delay. With c =
 * et_cost_task(v->fm, v->setup, loc, keep, tokens, epochs):
 *   download = et_cost_download_bytes(c, cached_b, adapter_cached) * 8 / rate_down;
 *   LOCAL    = download + c.flops / ue_speed + c.upload_bytes * 8 / rate_up,
 *              INFINITY when c.memory_bytes > ue_memory_bytes;
 *   SERVER   = download + c.upload_bytes * 8 / rate_up + c.result_down_bytes * 8 / rate_down
 *            + with server memory (server_memory_bytes > 0, version 3): the job alone on an
 *              accelerator after the jobs ahead, x = c.flops / server_core_flops,
 *              x + x (server_jobs + server_queued) / server_cores;
 *              without (version 2): processor sharing,
 *              c.flops / (server_core_flops * min(1, server_cores / (server_jobs + 1))).
 * A term whose rate or speed is not positive is INFINITY (zero work costs
 * 0 s). v, v->fm and v->setup must be non-NULL. */
double et_baseline_expected_delay_s(const et_task_view *v, et_location loc, double keep);

#endif
