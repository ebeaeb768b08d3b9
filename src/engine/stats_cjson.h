/* stats_cjson.h: an episode's statistics as cJSON objects (summary.json's "result").
 *
 * Inside the library (not installed, not exported): the public API carries no cJSON type;
 * an embedding program gets the same object as JSON text (et_episode_stats_to_json). */
#ifndef ET_STATS_CJSON_H
#define ET_STATS_CJSON_H

#include <cJSON.h>

#include "stats.h"

/* Adds "per_ue" (n_ue <= ET_BREAKDOWN_UE_MAX), "per_class" and "per_cell" to o. */
void et_breakdown_to_cjson(const et_breakdown *b, cJSON *o);

/* An episode's statistics as a cJSON object naming the model and the UE
 * count (the caller owns it; NULL on allocation failure). Non-finite means
 * are written as null. */
cJSON *et_episode_stats_cjson(const et_episode_stats *s, const char *model, int n_ue);

#endif
