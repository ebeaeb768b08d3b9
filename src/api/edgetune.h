/* edgetune.h: the embedding API in one header.
 *
 * A program that embeds edgetune includes this header as <edgetune/edgetune.h>, links
 * libedgetune (pkg-config edgetune, or CMake's find_package(edgetune)) and goes
 * scenario -> simulator -> episodes:
 *
 *   et_scenario sc;  et_scenario_load(path, ".", &sc, &err);
 *   et_engine_init(&argc, argv, NULL, &err);
 *   et_sim *sim;     et_sim_create(&sc, &sim, &err);
 *   et_sim_run_episode(sim, agent, 0, NULL, &stats, &err);
 *
 * The simulator itself takes its own parameters (et_sim_params, sim_params.h), which the
 * scenario embeds (sc.sim: one key-table row per field, no copy); et_sim_create hands them to
 * the engine with the scenario's key names for its messages. Agents: agent.h (the interface),
 * registry.h (the shipped policies by name). It and the headers it includes are the installed,
 * public API (C and C++): libedgetune.so exports their functions and nothing else
 * (edgetune_export.h). */
#ifndef ET_EDGETUNE_H
#define ET_EDGETUNE_H

#include "agent.h"
#include "edgetune_export.h"
#include "edgetune_version.h"
#include "registry.h"
#include "scenario.h"
#include "sim.h"
#include "status.h"

ET_API_BEGIN

/* The library's version, "MAJOR.MINOR.PATCH" (static storage). ET_VERSION_MAJOR, _MINOR and
 * _PATCH (edgetune_version.h) are the headers'. */
const char *et_version(void);

/* The simulator's parameters from a scenario: sc->sim, with param_name naming each parameter
 * by the scenario key that sets it (so the engine's messages say "key 'channel.handover'"). */
void et_sim_params_from_scenario(const et_scenario *sc, et_sim_params *p);

/* et_sim_create_from_params on the scenario's parameters. */
et_status et_sim_create(const et_scenario *sc, et_sim **out, et_error *err);

/* An episode's statistics as summary.json's "result" object (stats.h) for sim's model and UE
 * count, with sim's last episode's per_ue, per_class and per_cell breakdown (call it for
 * that episode's stats), as printed JSON text: malloc'd, the caller frees; NULL on allocation
 * failure. (Inside the library, edgetune_cjson.h gives the cJSON object.) */
char *et_episode_stats_to_json(const et_sim *sim, const et_episode_stats *stats);

ET_API_END

#endif
