/* decisions.c: the decision-log decorator (decisions.h). */
#include "decisions.h"

#include <stdlib.h>

#include "hmppo.h"

typedef struct decision_log {
    et_agent *inner;
    FILE *f;
    int episode;
} decision_log;

void et_decisions_header(FILE *f)
{
    fputs("episode,ue,task,location,keep,p_local,logp_loc,logp_keep,value", f);
    for (int i = 0; i < ET_OBS_DIM; i++)
        fprintf(f, ",obs_%d", i);
    fputc('\n', f);
}

static et_status log_decide(et_agent *agent, const et_obs_view *view, et_action *action,
                            et_error *err)
{
    decision_log *d = agent->impl;
    et_status st = d->inner->ops->decide(d->inner, view, action, err);
    if (st != ET_OK || !view->task) return st;
    const et_hmppo_decision *x = et_hmppo_last_decision(d->inner, view->task->ue);
    if (!x || !x->valid) return ET_OK;
    fprintf(d->f, "%d,%d,%d,%s,%.9g,%.9g,%.9g,%.9g,%.9g", d->episode, view->task->ue,
            view->task->task_index, x->location == 0 ? "LOCAL" : "SERVER", x->keep, x->p_local,
            x->logp_loc, x->logp_keep, x->value);
    for (int i = 0; i < ET_OBS_DIM; i++)
        fprintf(d->f, ",%.9g", view->obs ? view->obs[i] : 0.0);
    fputc('\n', d->f);
    return ET_OK;
}

static void log_feedback(et_agent *agent, const et_feedback *fb)
{
    decision_log *d = agent->impl;
    d->inner->ops->feedback(d->inner, fb);
}

static void log_episode_begin(et_agent *agent, int episode, int n_ue, uint64_t seed)
{
    decision_log *d = agent->impl;
    d->episode = episode;
    d->inner->ops->episode_begin(d->inner, episode, n_ue, seed);
}

static void log_episode_end(et_agent *agent)
{
    decision_log *d = agent->impl;
    d->inner->ops->episode_end(d->inner);
}

static void log_destroy(et_agent *agent)
{
    free(agent->impl); /* the inner agent stays the caller's */
    agent->impl = NULL;
}

static const et_agent_ops DECISION_LOG_OPS = {"decision-log",    log_decide,      log_feedback,
                                              log_episode_begin, log_episode_end, log_destroy};

et_status et_decisions_wrap(et_agent *inner, FILE *f, et_agent **out, et_error *err)
{
    *out = NULL;
    et_status st = et_hmppo_set_decision_log(inner, 1, err);
    if (st != ET_OK) return st;
    et_agent *agent = calloc(1, sizeof *agent);
    decision_log *d = calloc(1, sizeof *d);
    if (!agent || !d) {
        free(agent);
        free(d);
        return et_error_set(err, ET_ERR_NOMEM, "decision log: out of memory");
    }
    *d = (decision_log){.inner = inner, .f = f};
    *agent = (et_agent){.ops = &DECISION_LOG_OPS, .impl = d};
    *out = agent;
    return ET_OK;
}
