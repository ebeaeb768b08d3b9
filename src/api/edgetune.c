/* edgetune.c: a scenario's keys as the simulator's parameters. */
#include "edgetune.h"

#include <string.h>

#include <cJSON.h>

const char *et_version(void)
{
    return ET_VERSION;
}

void et_sim_params_from_scenario(const et_scenario *sc, et_sim_params *p)
{
    memset(p, 0, sizeof *p);
    p->source = sc->source;
    p->platform = sc->platform;
    p->model = sc->model;
    p->mobility_trace = sc->mobility.model == ET_MOBILITY_TRACE ? sc->mobility_trace : NULL;
    p->ues = sc->ues;
    p->seed = sc->seed;

    p->tasks_per_ue = sc->tasks_per_ue;
    p->tokens_min = sc->tokens_min;
    p->tokens_max = sc->tokens_max;
    p->epochs_min = sc->epochs_min;
    p->epochs_max = sc->epochs_max;
    p->difficulty_sigma = sc->difficulty_sigma;
    p->gap_mean_s = sc->gap_mean_s;
    p->burst_on_s = sc->burst_on_s;
    p->burst_off_s = sc->burst_off_s;
    p->bytes_per_token = sc->bytes_per_token;
    p->seq_tokens = sc->seq_tokens;
    p->deadline_s = sc->deadline_s;
    p->deadline_factor = sc->deadline_factor;

    p->lora = sc->result_mode == ET_RESULT_LORA;
    p->lora_savings = sc->lora_savings;
    p->k_min = sc->k_min;
    p->k_max = sc->k_max;
    p->tunes_on = sc->tunes_on;
    p->server_returns_result = sc->server_returns_result;
    p->data_quality = sc->data_quality;
    p->server_admission = sc->server_admission;
    p->server_memory_bytes = sc->server_memory_bytes;
    p->server_sjf = sc->server_queue == 1;
    p->load_query = sc->server_load_info == 0;
    p->default_keep = sc->policy_keep;

    p->channel_enabled = sc->channel_enabled;
    p->channel = sc->channel;
    p->ue_tx_power_dbm = sc->ue_tx_power_dbm;
    p->update_interval_s = sc->update_interval_s;
    p->push_tolerance = sc->push_tolerance;
    p->share_interval_s = sc->share_interval_s;
    p->max_interferers = sc->max_interferers;
    p->shared_carrier = sc->radio_sharing == ET_SHARING_CARRIER;
    p->duplex = sc->duplex;
    p->carrier_hz = sc->carrier_hz;
    /* The scenario's validation has parsed the pattern; should it not have, the carrier is
     * split evenly rather than given a share of 0. */
    if (et_channel_tdd_shares(sc->tdd_pattern, sc->tdd_special_slot, &p->tdd_downlink_share,
                              &p->tdd_uplink_share, NULL) != ET_OK)
        p->tdd_downlink_share = p->tdd_uplink_share = 0.5;
    p->tdd_pattern = sc->tdd_pattern;
    p->tdd_special_slot = sc->tdd_special_slot;
    p->carrier_down_hz = sc->carrier_down_hz;
    p->carrier_up_hz = sc->carrier_up_hz;
    p->wifi_per_direction = sc->wifi_rate_control == 0;
    p->wifi_mac_efficiency = sc->wifi_mac_efficiency;
    p->handover = sc->handover;
    p->handover_hysteresis_db = sc->handover_hysteresis_db;
    p->handover_ttt_s = sc->handover_ttt_s;
    p->handover_interruption_s = sc->handover_interruption_s;
    p->mobility = sc->mobility;

    p->control_bytes = sc->control_bytes;

    p->w_delay = sc->w_delay;
    p->w_ppl = sc->w_ppl;
    p->w_privacy = sc->w_privacy;
    p->bytes_ref = sc->bytes_ref;
    p->credit = sc->credit;
    p->delay_ref_s = sc->delay_ref_s;
    p->ppl_ref = sc->ppl_ref;
    p->fail_penalty = sc->fail_penalty;

    p->channel_trace_every = sc->channel_trace_every;
    p->channel_trace_ues = sc->channel_trace_ues;
    p->channel_auto = sc->channel_sampling == 0;

    p->limit_sim_time_s = sc->limit_sim_time_s;
    p->limit_output_bytes = sc->limit_output_bytes;
}

et_status et_sim_create(const et_scenario *sc, et_sim **out, et_error *err)
{
    et_sim_params p;
    et_sim_params_from_scenario(sc, &p);
    return et_sim_new(&p, out, err);
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
