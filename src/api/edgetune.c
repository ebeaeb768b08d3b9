/* edgetune.c: the simulator made from a scenario, whose keys name the engine's parameters. */
#include "edgetune_cjson.h"
#include "stats_cjson.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

const char *et_version(void)
{
    return ET_VERSION;
}

/* How the engine's messages name its parameters: by the scenario key that sets the field (the
 * channel trace, not a parameter, by the key that turns channel.csv on). */
static const char *sim_param_key(size_t param)
{
    if (param == ET_SIM_PARAM_CHANNEL_TRACE)
        return et_scenario_key_at(offsetof(et_scenario, write_channel_trace));
    return et_scenario_key_at(offsetof(et_scenario, sim) + param);
}

void et_sim_params_from_scenario(const et_scenario *sc, et_sim_params *p)
{
    *p = sc->sim;
    p->param_name = sim_param_key;
}

et_status et_sim_create(const et_scenario *sc, et_sim **out, et_error *err)
{
    /* Large (its files are arrays): not on the stack of a caller's SimGrid actor. */
    et_sim_params *p = malloc(sizeof *p);
    if (!p) return et_error_set(err, ET_ERR_NOMEM, "out of memory");
    et_sim_params_from_scenario(sc, p);
    et_status st = et_sim_create_from_params(p, out, err);
    free(p);
    return st;
}

cJSON *et_episode_stats_to_cjson(const et_sim *sim, const et_episode_stats *stats)
{
    cJSON *o = et_episode_stats_cjson(stats, et_sim_model_name(sim), et_sim_ue_count(sim));
    et_breakdown_to_cjson(et_sim_breakdown(sim), o);
    int ues, every;
    if (o && et_sim_channel_auto(sim, &ues, &every)) {
        /* Only when the rule chose something: smaller runs' summaries are as they were. */
        cJSON *c = cJSON_AddObjectToObject(o, "channel_sampling");
        if (c) {
            cJSON_AddStringToObject(c, "rule", "auto");
            cJSON_AddNumberToObject(c, "ues", ues);
            cJSON_AddNumberToObject(c, "of_ues", et_sim_ue_count(sim));
            cJSON_AddNumberToObject(c, "every", every);
        }
    }
    return o;
}

char *et_episode_stats_to_json(const et_sim *sim, const et_episode_stats *stats)
{
    cJSON *o = et_episode_stats_to_cjson(sim, stats);
    char *text = o ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    return text;
}
