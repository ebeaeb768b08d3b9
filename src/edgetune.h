/* edgetune.h: the embedding API in one header.
 *
 * A program that embeds edgetune includes this header, links libedgetune
 * (pkg-config edgetune) and goes scenario -> simulator -> episodes:
 *
 *   et_scenario sc;  et_scenario_load(path, ".", &sc, &err);
 *   et_engine_init(&argc, argv, NULL, &err);
 *   et_sim *sim;     et_sim_create(&sc, &sim, &err);
 *   et_sim_run_episode(sim, agent, 0, NULL, &stats, &err);
 *
 * The simulator itself takes its own parameters (et_sim_params in sim.h);
 * et_sim_params_from_scenario is the one place where a scenario's keys
 * become them. Agents: agent.h (the interface), registry.h (the shipped
 * policies by name). */
#ifndef ET_EDGETUNE_H
#define ET_EDGETUNE_H

#include "agent.h"
#include "registry.h"
#include "scenario.h"
#include "sim.h"
#include "status.h"

/* The simulator's parameters from a scenario. The strings point into sc. */
void et_sim_params_from_scenario(const et_scenario *sc, et_sim_params *p);

/* et_sim_new on the scenario's parameters. */
et_status et_sim_create(const et_scenario *sc, et_sim **out, et_error *err);

/* An episode's statistics as summary.json's "result" object (stats.h) for sim's model and UE
 * count, with sim's last episode's per_ue, per_class and per_cell breakdown (call it for
 * that episode's stats); the caller owns it (cJSON_Delete). NULL on allocation failure. */
struct cJSON;
struct cJSON *et_episode_stats_to_cjson(const et_sim *sim, const et_episode_stats *stats);

/* The same object as printed JSON text (malloc'd; the caller frees). */
char *et_episode_stats_to_json(const et_sim *sim, const et_episode_stats *stats);

#endif
