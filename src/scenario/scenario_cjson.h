/* scenario_cjson.h: the resolved scenario as a cJSON object, for the library's own outputs.
 *
 * Inside the library (not installed, not exported): the public API carries no cJSON type;
 * an embedding program gets the same object as JSON text (et_scenario_to_json). */
#ifndef ET_SCENARIO_CJSON_H
#define ET_SCENARIO_CJSON_H

#include <cJSON.h>

#include "scenario.h"

/* One member per key (summary.json's "scenario"); the caller owns it (cJSON_Delete). NULL on
 * allocation failure. */
cJSON *et_scenario_to_cjson(const et_scenario *sc);

#endif
