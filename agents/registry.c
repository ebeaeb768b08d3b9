/* registry.c: the policy rows (registry.h) and et_agent_create (agent.h).
 *
 * To add a policy, add one X(...) row to ET_AGENT_POLICIES below; the
 * constructor table, the listings, the study's baselines and the "known:"
 * list of the error message are all generated from it, so they cannot
 * disagree. */
#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baselines.h"

/* A constructor fills agent->ops and agent->impl of a zeroed shell the
 * registry allocated; on failure it frees what it allocated and fills err. */
typedef et_status (*agent_ctor)(const et_policy_params *params, et_agent *agent, et_error *err);

/* X(name, learned, variant, constructor, tuning, summary), in listing order. */
#define ET_AGENT_POLICIES(X)                                                                       \
    X("all-local", 0, ET_HMPPO, et_baseline_create_all_local, ET_TUNE_KEEP,                        \
      "every task on the device, keep baselines.keep")                                             \
    X("all-server", 0, ET_HMPPO, et_baseline_create_all_server, ET_TUNE_KEEP_EMULATOR,             \
      "every task offloaded to the server")                                                        \
    X("random", 0, ET_HMPPO, et_baseline_create_random, ET_TUNE_NONE,                              \
      "uniform location and keep per task")                                                        \
    X("greedy", 0, ET_HMPPO, et_baseline_create_greedy, ET_TUNE_KEEP,                              \
      "the location with the smaller predicted delay, keep baselines.keep")                        \
    X("tuned-static", 0, ET_HMPPO, et_baseline_create_static, ET_TUNE_RULE,                        \
      "the device classes in baselines.static_rule tune locally, the others offload")              \
    X("tuned-dynamic", 0, ET_HMPPO, et_baseline_create_dynamic, ET_TUNE_DYNAMIC,                   \
      "per device class: offload while the server's observed load is below a threshold, else "     \
      "tune locally")                                                                              \
    X("hmppo", 1, ET_HMPPO, NULL, ET_TUNE_NONE,                                                    \
      "learned: hybrid actors (Bernoulli location, Beta keep), centralised critic")                \
    X("mappo", 1, ET_MAPPO, NULL, ET_TUNE_NONE,                                                    \
      "learned: one categorical head over location x keep bins, centralised critic")               \
    X("ippo", 1, ET_IPPO, NULL, ET_TUNE_NONE,                                                      \
      "learned: hybrid actors, each UE's critic on its own observation")

#define ET_AGENT_INFO(name, learned, variant, ctor, tuning, summary)                               \
    {name, learned, variant, tuning, summary},
static const et_policy_info infos[] = {ET_AGENT_POLICIES(ET_AGENT_INFO)};
#undef ET_AGENT_INFO

#define ET_AGENT_CTOR(name, learned, variant, ctor, tuning, summary) ctor,
static const agent_ctor ctors[] = {ET_AGENT_POLICIES(ET_AGENT_CTOR)};
#undef ET_AGENT_CTOR

#define ET_AGENT_NAME(name, learned, variant, ctor, tuning, summary) name,
static const char *const policy_names[] = {ET_AGENT_POLICIES(ET_AGENT_NAME) NULL};
#undef ET_AGENT_NAME

#define N_POLICIES (sizeof infos / sizeof infos[0])

const et_policy_info *et_policy_list(size_t *n)
{
    if (n) *n = N_POLICIES;
    return infos;
}

const et_policy_info *et_policy_find(const char *name)
{
    for (size_t i = 0; name && i < N_POLICIES; i++)
        if (strcmp(name, infos[i].name) == 0) return &infos[i];
    return NULL;
}

const et_policy_info *et_policy_of_variant(et_hmppo_variant variant)
{
    for (size_t i = 0; i < N_POLICIES; i++)
        if (infos[i].learned && infos[i].variant == variant) return &infos[i];
    return NULL;
}

const char *const *et_agent_names(void)
{
    return policy_names;
}

void et_policy_names_text(int want_learned, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_POLICIES && used < size; i++) {
        if (want_learned >= 0 && infos[i].learned != want_learned) continue;
        int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", infos[i].name);
        if (n < 0) break;
        used += (size_t)n;
    }
}

et_status et_agent_create(const char *name, const et_policy_params *params, et_agent **out,
                          et_error *err)
{
    if (!out) return et_error_set(err, ET_ERR_INTERNAL, "et_agent_create: out is NULL");
    *out = NULL;
    const et_policy_info *entry = et_policy_find(name);
    if (entry && entry->learned)
        return et_error_set(err, ET_ERR_INPUT,
                            "policy '%s' is learned: train it (edgetune train) and load its "
                            "checkpoint (et_hmppo_load)",
                            entry->name);
    if (!entry) {
        char known[256];
        et_policy_names_text(0, known, sizeof known);
        /* The name is cut at 200 characters so the known list always fits. */
        return et_error_set(err, ET_ERR_INPUT, "unknown policy '%.200s' (known: %s)",
                            name ? name : "", known);
    }

    et_agent *agent = calloc(1, sizeof *agent);
    if (!agent) return et_error_set(err, ET_ERR_NOMEM, "policy '%s': out of memory", entry->name);
    et_status st = ctors[entry - infos](params, agent, err);
    if (st != ET_OK) {
        free(agent);
        return st;
    }
    *out = agent;
    return ET_OK;
}

void et_agent_destroy(et_agent *agent)
{
    if (!agent) return;
    if (agent->ops && agent->ops->destroy) agent->ops->destroy(agent);
    free(agent);
}
