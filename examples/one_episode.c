/* one_episode.c: the smallest program on the installed library: load a scenario,
 * run one episode with one of edgetune's policies, print the summary.
 *
 *   cc one_episode.c $(pkg-config --cflags --libs edgetune) -o one_episode
 *   ./one_episode "$(pkg-config --variable=datadir edgetune)/examples/default.json" greedy
 *   ./one_episode "$(pkg-config --variable=datadir edgetune)/examples/trace-mobility.json" greedy
 *
 * The second is a mobility-trace study: the scenario moves its UEs along
 * examples/trace-mobility.csv (time_s, ue, x_m, y_m) instead of a random walk. */
#include <stdio.h>

#include <edgetune/edgetune.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: one_episode SCENARIO.json POLICY\n");
        return 2;
    }
    et_error err = {0};
    et_scenario sc;
    et_status st = et_scenario_load(argv[1], ".", &sc, &err);
    int sg_argc = 1;
    char *sg_argv[] = {argv[0], NULL};
    if (st == ET_OK) st = et_engine_init(&sg_argc, sg_argv, NULL, &err);
    et_sim *sim = NULL;
    if (st == ET_OK) st = et_sim_create(&sc, &sim, &err);
    et_agent *agent = NULL;
    et_policy_params params = {
        .keep = sc.sim.default_keep, .seed = sc.sim.seed, .rule = sc.static_rule};
    if (st == ET_OK) st = et_agent_create(argv[2], &params, &agent, &err);
    et_episode_stats s;
    if (st == ET_OK) st = et_sim_run_episode(sim, agent, 0, NULL, &s, &err);
    if (st == ET_OK)
        printf("%s: %d UEs, %d tasks (%d local, %d server, %d failed), mean delay %.2f s, "
               "mean perplexity %.3f, reward %.2f\n",
               argv[2], et_sim_ue_count(sim), s.tasks, s.local, s.server, s.failed, s.mean_delay_s,
               s.mean_ppl, s.reward);
    else
        fprintf(stderr, "one_episode: %s\n", err.msg);
    et_agent_destroy(agent);
    et_sim_destroy(sim);
    return st == ET_OK ? 0 : (st == ET_ERR_INPUT ? 2 : 1);
}
