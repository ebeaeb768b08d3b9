/* stats.c: an episode's statistics from its task records. */
#include "stats.h"

#include <cJSON.h>
#include <math.h>

#include "agent.h"

void et_episode_stats_add(et_episode_stats *s, const et_task_record *r)
{
    int failed = r->failure[0] != '\0';
    s->tasks++;
    if (failed) {
        s->failed++;
        if (r->failure[0] == 'd')
            s->late++;
        else
            s->failed_memory++;
    } else {
        s->ok_delay_s += r->delay_s;
        s->ok_ppl += r->ppl;
    }
    s->wait_s += r->wait_s;
    s->handovers += r->handovers;
    if (r->location == ET_LOCATION_LOCAL)
        s->local++;
    else
        s->server++;
    s->total_delay_s += r->delay_s;
    s->reward += r->reward;
    s->bytes_up += r->bytes_up;
    s->bytes_down += r->bytes_down;
    s->exposure += r->exposure;
    s->keep_sum += r->keep;
    s->ppl_sum += r->ppl;
}

void et_episode_stats_finish(et_episode_stats *s)
{
    int ok = s->tasks - s->failed;
    s->mean_delay_s = s->tasks ? s->total_delay_s / s->tasks : 0;
    s->mean_ppl = s->tasks ? s->ppl_sum / s->tasks : NAN;
    s->mean_delay_ok_s = ok ? s->ok_delay_s / ok : NAN;
    s->mean_ppl_ok = ok ? s->ok_ppl / ok : NAN;
    s->mean_exposure = s->tasks ? s->exposure / s->tasks : 0;
    s->mean_keep = s->tasks ? s->keep_sum / s->tasks : 0;
}

static void add_number_or_null(cJSON *o, const char *key, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

cJSON *et_episode_stats_cjson(const et_episode_stats *s, const char *model, int n_ue)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "model", model);
    cJSON_AddNumberToObject(o, "ues", n_ue);
    cJSON_AddNumberToObject(o, "tasks", s->tasks);
    cJSON_AddNumberToObject(o, "failed", s->failed);
    cJSON_AddNumberToObject(o, "failed_memory", s->failed_memory);
    cJSON_AddNumberToObject(o, "late", s->late);
    cJSON_AddNumberToObject(o, "local", s->local);
    cJSON_AddNumberToObject(o, "server", s->server);
    cJSON_AddNumberToObject(o, "total_delay_s", s->total_delay_s);
    cJSON_AddNumberToObject(o, "mean_delay_s", s->mean_delay_s);
    add_number_or_null(o, "mean_ppl", s->mean_ppl);
    add_number_or_null(o, "mean_delay_ok_s", s->mean_delay_ok_s);
    add_number_or_null(o, "mean_ppl_ok", s->mean_ppl_ok);
    cJSON_AddNumberToObject(o, "mean_exposure", s->mean_exposure);
    cJSON_AddNumberToObject(o, "episodic_reward", s->reward);
    cJSON_AddNumberToObject(o, "makespan_s", s->makespan_s);
    cJSON_AddNumberToObject(o, "bytes_up", s->bytes_up);
    cJSON_AddNumberToObject(o, "bytes_down", s->bytes_down);
    cJSON_AddNumberToObject(o, "mean_keep", s->mean_keep);
    cJSON_AddNumberToObject(o, "mean_wait_s", s->tasks ? s->wait_s / s->tasks : 0.0);
    cJSON_AddNumberToObject(o, "handovers_per_task",
                            s->tasks ? (double)s->handovers / s->tasks : 0.0);
    cJSON *srv = cJSON_AddObjectToObject(o, "server_load");
    if (srv) {
        cJSON_AddNumberToObject(srv, "peak_memory_bytes", s->server_peak_memory_bytes);
        cJSON_AddNumberToObject(srv, "queue_mean", s->server_queue_mean);
        cJSON_AddNumberToObject(srv, "queue_max", s->server_queue_max);
    }
    cJSON *e = cJSON_AddObjectToObject(o, "engine");
    if (e) {
        cJSON_AddNumberToObject(e, "comms", (double)s->engine.comms);
        cJSON_AddNumberToObject(e, "link_updates", (double)s->engine.link_updates);
        cJSON_AddNumberToObject(e, "idle_link_updates", (double)s->engine.idle_link_updates);
        cJSON_AddNumberToObject(e, "wifi_restarts", (double)s->engine.wifi_restarts);
        cJSON_AddNumberToObject(e, "channel_updates", (double)s->engine.channel_updates);
    }
    return o;
}
