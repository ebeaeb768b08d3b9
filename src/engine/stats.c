/* stats.c: an episode's statistics from its task records. */
#include "stats_cjson.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

static void add_NUM(cJSON *o, const char *key, double v)
{
    cJSON_AddNumberToObject(o, key, v);
}

static void add_NULLABLE(cJSON *o, const char *key, double v)
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
#define ADD_METRIC(name, kind, value, unit, meaning) add_##kind(obj, #name, value);
    cJSON *obj = o;
    ET_RESULT_METRICS(ADD_METRIC)
    obj = cJSON_AddObjectToObject(o, "server_load");
    if (obj) {
        ET_RESULT_SERVER_LOAD(ADD_METRIC)
    }
    obj = cJSON_AddObjectToObject(o, "engine");
    if (obj) {
        ET_RESULT_ENGINE(ADD_METRIC)
    }
#undef ADD_METRIC
    return o;
}

/* ------------------------------------------------------------------------- */
/* Per UE, per device class, per cell.                                        */

int et_breakdown_init(et_breakdown *b, int n_ue, const char *const *ue_name,
                      const char *const *ue_class_name, int n_cell, const char *const *cell_name)
{
    memset(b, 0, sizeof *b);
    size_t nu = n_ue > 0 ? (size_t)n_ue : 1, nc = n_cell > 0 ? (size_t)n_cell : 1;
    b->ue_name = calloc(nu, sizeof *b->ue_name);
    b->ue_class = calloc(nu, sizeof *b->ue_class);
    b->class_name = calloc(nu, sizeof *b->class_name);
    b->class_ues = calloc(nu, sizeof *b->class_ues);
    b->cell_name = calloc(nc, sizeof *b->cell_name);
    b->ue = calloc(nu, sizeof *b->ue);
    b->cls = calloc(nu, sizeof *b->cls);
    b->cell = calloc(nc, sizeof *b->cell);
    if (!b->ue_name || !b->ue_class || !b->class_name || !b->class_ues || !b->cell_name || !b->ue ||
        !b->cls || !b->cell) {
        et_breakdown_clear(b);
        return -1;
    }
    b->n_ue = n_ue;
    b->n_cell = n_cell;
    for (int c = 0; c < n_cell; c++)
        b->cell_name[c] = cell_name[c];
    for (int i = 0; i < n_ue; i++) {
        b->ue_name[i] = ue_name[i];
        const char *cls = ue_class_name[i] ? ue_class_name[i] : "";
        int k = 0; /* classes are few: a linear search */
        while (k < b->n_class && strcmp(b->class_name[k], cls) != 0)
            k++;
        if (k == b->n_class) b->class_name[b->n_class++] = cls;
        b->ue_class[i] = k;
        b->class_ues[k]++;
    }
    return 0;
}

void et_breakdown_clear(et_breakdown *b)
{
    if (!b) return;
    free(b->ue_name);
    free(b->ue_class);
    free(b->class_name);
    free(b->class_ues);
    free(b->cell_name);
    free(b->ue);
    free(b->cls);
    free(b->cell);
    memset(b, 0, sizeof *b);
}

void et_breakdown_reset(et_breakdown *b)
{
    if (b->ue) memset(b->ue, 0, (size_t)b->n_ue * sizeof *b->ue);
    if (b->cls) memset(b->cls, 0, (size_t)b->n_class * sizeof *b->cls);
    if (b->cell) memset(b->cell, 0, (size_t)b->n_cell * sizeof *b->cell);
}

static void group_add(et_group_stats *g, const et_task_record *r)
{
    g->tasks++;
    if (r->failure[0] == '\0')
        g->done++;
    else {
        g->failed++;
        if (r->failure[0] == 'd') g->late++;
    }
    if (r->location == ET_LOCATION_LOCAL) g->local++;
    g->delay_sum += r->delay_s;
    g->ppl_sum += r->ppl;
    g->reward_sum += r->reward;
}

void et_breakdown_add(et_breakdown *b, const et_task_record *r, int cell)
{
    if (!b->ue || r->ue < 0 || r->ue >= b->n_ue) return;
    group_add(&b->ue[r->ue], r);
    group_add(&b->cls[b->ue_class[r->ue]], r);
    if (cell >= 0 && cell < b->n_cell) group_add(&b->cell[cell], r);
}

/* A group's counts and means (null means for a group without tasks). */
static void group_fields(cJSON *o, const et_group_stats *g)
{
    cJSON_AddNumberToObject(o, "tasks", g->tasks);
    cJSON_AddNumberToObject(o, "done", g->done);
    cJSON_AddNumberToObject(o, "failed", g->failed);
    cJSON_AddNumberToObject(o, "late", g->late);
    cJSON_AddNumberToObject(o, "local", g->local);
    double n = g->tasks > 0 ? g->tasks : NAN;
    add_NULLABLE(o, "mean_delay_s", g->delay_sum / n);
    add_NULLABLE(o, "mean_ppl", g->ppl_sum / n);
    add_NULLABLE(o, "mean_reward", g->reward_sum / n);
}

void et_breakdown_to_cjson(const et_breakdown *b, cJSON *o)
{
    if (!b || !b->ue || !o) return;
    if (b->n_ue <= ET_BREAKDOWN_UE_MAX) {
        cJSON *arr = cJSON_AddArrayToObject(o, "per_ue");
        for (int i = 0; arr && i < b->n_ue; i++) {
            cJSON *u = cJSON_CreateObject();
            if (!u) break;
            cJSON_AddNumberToObject(u, "ue", i);
            cJSON_AddStringToObject(u, "name", b->ue_name[i]);
            cJSON_AddStringToObject(u, "class", b->class_name[b->ue_class[i]]);
            group_fields(u, &b->ue[i]);
            cJSON_AddItemToArray(arr, u);
        }
    }
    cJSON *cls = cJSON_AddObjectToObject(o, "per_class");
    for (int k = 0; cls && k < b->n_class; k++) {
        cJSON *c = cJSON_AddObjectToObject(cls, b->class_name[k]);
        if (!c) break;
        cJSON_AddNumberToObject(c, "ues", b->class_ues[k]);
        group_fields(c, &b->cls[k]);
    }
    cJSON *cell = cJSON_AddObjectToObject(o, "per_cell");
    for (int k = 0; cell && k < b->n_cell; k++) {
        cJSON *c = cJSON_AddObjectToObject(cell, b->cell_name[k]);
        if (!c) break;
        group_fields(c, &b->cell[k]);
    }
}
