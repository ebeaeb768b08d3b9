/* own_policy.c: a user-written policy plugged into edgetune without editing it.
 *
 * Built against the installed library:
 *   cc own_policy.c $(pkg-config --cflags --libs edgetune) -o own_policy
 *   ./own_policy "$(pkg-config --variable=datadir edgetune)/examples/default.json"
 *
 * The policy: tune on the device when the UE's memory holds the emulator at
 * keep 0.5 with room to spare and its data set is large (uploading it would
 * take long), else offload; keep half of the middle blocks. It runs one episode
 * of the scenario and prints the summary line. */
#include <stdio.h>
#include <stdlib.h>

#include <edgetune/edgetune.h>

typedef struct size_rule {
    double tokens_threshold;
    int local, server;
} size_rule;

static et_status decide(et_agent *agent, const et_obs_view *view, et_action *action, et_error *err)
{
    (void)err;
    size_rule *r = agent->impl;
    const et_task_view *t = view->task;
    int big = t->tokens > r->tokens_threshold;
    int roomy = t->ue_memory_bytes > 4e9;
    action->location = big && roomy ? ET_LOCATION_LOCAL : ET_LOCATION_SERVER;
    action->keep = 0.5;
    if (action->location == ET_LOCATION_LOCAL)
        r->local++;
    else
        r->server++;
    return ET_OK;
}

static void feedback(et_agent *agent, const et_feedback *fb)
{
    (void)agent, (void)fb;
}
static void episode_begin(et_agent *agent, int episode, int n_ue, uint64_t seed)
{
    (void)agent, (void)episode, (void)n_ue, (void)seed;
}
static void episode_end(et_agent *agent)
{
    (void)agent;
}
static void destroy(et_agent *agent)
{
    (void)agent;
}

static const et_agent_ops SIZE_RULE_OPS = {"size-rule",   decide,      feedback,
                                           episode_begin, episode_end, destroy};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: own_policy SCENARIO.json\n");
        return 2;
    }
    et_error err = {0};
    et_scenario sc;
    /* Relative paths inside the scenario resolve against its own folder. */
    et_status st = et_scenario_load(argv[1], ".", &sc, &err);
    int sg_argc = 1;
    char *sg_argv[] = {argv[0], NULL};
    if (st == ET_OK) st = et_engine_init(&sg_argc, sg_argv, NULL, &err);
    et_sim *sim = NULL;
    if (st == ET_OK) st = et_sim_create(&sc, &sim, &err);
    size_rule rule = {5e4, 0, 0};
    et_agent agent = {&SIZE_RULE_OPS, &rule};
    et_episode_stats stats;
    if (st == ET_OK) st = et_sim_run_episode(sim, &agent, 0, NULL, &stats, &err);
    if (st != ET_OK) {
        fprintf(stderr, "own_policy: %s\n", err.msg);
        et_sim_destroy(sim);
        return 1;
    }
    printf("policy size-rule: %d tasks (%d local, %d server), %d failed, mean delay %.2f s, "
           "reward %.2f\n",
           stats.tasks, rule.local, rule.server, stats.failed, stats.mean_delay_s, stats.reward);
    et_sim_destroy(sim);
    return 0;
}
