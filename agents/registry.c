/* registry.c: policy names -> constructors (agent.h: et_agent_create).
 *
 * To add a policy, add one X(...) row to ET_AGENT_POLICIES below; the
 * constructor table, et_agent_names() and the "known:" list of the error
 * message are all generated from it, so they cannot disagree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "baselines.h"

/* A constructor fills agent->ops and agent->impl of a zeroed shell the
 * registry allocated; on failure it frees what it allocated and fills err. */
typedef et_status (*agent_ctor)(const et_policy_params *params, et_agent *agent, et_error *err);

/* X(name, constructor), in the order users see them listed. Learned policies
 * (hmppo, mappo, ippo) are added here as one row each. */
#define ET_AGENT_POLICIES(X)                                                                       \
    X("all-local", et_baseline_create_all_local)                                                   \
    X("all-server", et_baseline_create_all_server)                                                 \
    X("random", et_baseline_create_random)                                                         \
    X("greedy", et_baseline_create_greedy)                                                         \
    X("tuned-static", et_baseline_create_static)

typedef struct policy_entry {
    const char *name;
    agent_ctor create;
} policy_entry;

#define ET_AGENT_ENTRY(name, ctor) {name, ctor},
static const policy_entry policies[] = {ET_AGENT_POLICIES(ET_AGENT_ENTRY)};
#undef ET_AGENT_ENTRY

#define ET_AGENT_NAME(name, ctor) name,
static const char *const policy_names[] = {ET_AGENT_POLICIES(ET_AGENT_NAME) NULL};
#undef ET_AGENT_NAME

#define N_POLICIES (sizeof policies / sizeof policies[0])

const char *const *et_agent_names(void)
{
    return policy_names;
}

/* Writes "a, b, c" into buf (truncated to size, always NUL-terminated). */
static void format_known(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_POLICIES && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", policies[i].name);
        if (n < 0) break;
        used += (size_t)n;
    }
}

et_status et_agent_create(const char *name, const et_policy_params *params, et_agent **out,
                          et_error *err)
{
    if (!out) return et_error_set(err, ET_ERR_INTERNAL, "et_agent_create: out is NULL");
    *out = NULL;
    const policy_entry *entry = NULL;
    for (size_t i = 0; name && i < N_POLICIES; i++)
        if (strcmp(name, policies[i].name) == 0) entry = &policies[i];
    if (!entry) {
        char known[256];
        format_known(known, sizeof known);
        /* The name is cut at 200 characters so the known list always fits. */
        return et_error_set(err, ET_ERR_INPUT, "unknown policy '%.200s' (known: %s)",
                            name ? name : "", known);
    }

    et_agent *agent = calloc(1, sizeof *agent);
    if (!agent) return et_error_set(err, ET_ERR_NOMEM, "policy '%s': out of memory", entry->name);
    et_status st = entry->create(params, agent, err);
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
