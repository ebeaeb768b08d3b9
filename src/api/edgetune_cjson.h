/* edgetune_cjson.h: summary.json's objects as cJSON, for the library's own outputs.
 *
 * Inside the library (not installed, not exported): the public API carries no cJSON type;
 * an embedding program gets the same objects as JSON text (et_episode_stats_to_json,
 * et_scenario_to_json). */
#ifndef ET_EDGETUNE_CJSON_H
#define ET_EDGETUNE_CJSON_H

#include <cJSON.h>

#include "edgetune.h"
#include "scenario_cjson.h"

/* et_episode_stats_to_json's object; the caller owns it (cJSON_Delete). NULL on allocation
 * failure. */
cJSON *et_episode_stats_to_cjson(const et_sim *sim, const et_episode_stats *stats);

#endif
