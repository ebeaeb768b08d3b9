/* baselines.h: the rule-based policies (agents/README.md) (all-local,
 * all-server, random, greedy) and the greedy policy's delay estimator.
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

/* Writes the rule string of (n_local classes, keep) into buf (size bytes). */
void et_baseline_static_rule(char *buf, size_t size, const char *const *local_classes, int n_local,
                             double keep);

/* The delay (s) a task would take at location loc with keep fraction keep, as
 * estimated from the view alone (rates held at their current values, the
 * server's cores shared by the reported jobs plus this one). This is a
 * policy's guess; the simulator measures the real delay. With c =
 * et_cost_task(v->fm, v->setup, loc, keep, tokens, epochs):
 *   download = et_cost_download_bytes(c, cached_b, adapter_cached) * 8 / rate_down;
 *   LOCAL    = download + c.flops / ue_speed + c.upload_bytes * 8 / rate_up,
 *              INFINITY when c.memory_bytes > ue_memory_bytes;
 *   SERVER   = download + c.upload_bytes * 8 / rate_up
 *            + c.flops / (server_core_flops * min(1, server_cores / (server_jobs + 1)))
 *            + c.result_down_bytes * 8 / rate_down.
 * A term whose rate or speed is not positive is INFINITY (zero work costs
 * 0 s). v, v->fm and v->setup must be non-NULL. */
double et_baseline_expected_delay_s(const et_task_view *v, et_location loc, double keep);

#endif
