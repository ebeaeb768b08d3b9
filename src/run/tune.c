/* tune.c: the baselines' searches on validation episodes (see tune.h). */
#include "tune.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baselines.h"
#include "fm.h"
#include "isolate.h"

/* ---- running candidates -------------------------------------------------------------------- */

et_status et_tune_make_agent(const et_sim *sim, const et_tune_spec *spec, et_agent **out,
                             et_error *err)
{
    et_policy_params pp = {.keep = spec->keep,
                           .seed = et_sim_get_params(sim)->seed,
                           .rule = spec->rule,
                           .dynamic_rule = spec->dynamic_rule};
    return et_agent_create(spec->name, &pp, out, err);
}

typedef struct episode_job {
    et_sim *sim;
    const void *spec;
    et_tune_agent_fn make;
    int episode;
} episode_job;

/* In a child: one episode of one policy. */
static et_status run_episode_job(void *ctx, void *result, et_error *err)
{
    const episode_job *j = ctx;
    et_agent *agent = NULL;
    et_status st = j->make(j->sim, j->spec, &agent, err);
    if (st == ET_OK) st = et_sim_run_episode(j->sim, agent, j->episode, NULL, result, err);
    et_agent_destroy(agent);
    return st;
}

et_status et_tune_run_policies(et_sim *sim, const void *specs, size_t spec_size, int n_specs,
                               et_tune_agent_fn make, int offset, int n_episodes, int jobs,
                               et_episode_stats *stats, et_error *err)
{
    int n = n_specs * n_episodes;
    if (n <= 0) return ET_OK;
    episode_job *jb = calloc((size_t)n, sizeof *jb);
    void **ctxs = calloc((size_t)n, sizeof *ctxs);
    et_status st = jb && ctxs ? ET_OK : et_error_set(err, ET_ERR_NOMEM, "out of memory");
    for (int k = 0; st == ET_OK && k < n; k++) {
        jb[k] = (episode_job){sim, (const char *)specs + (size_t)(k / n_episodes) * spec_size, make,
                              offset + k % n_episodes};
        ctxs[k] = &jb[k];
    }
    if (st == ET_OK)
        st = et_isolate_run_many(run_episode_job, ctxs, stats, sizeof *stats, n, jobs, "episode",
                                 err);
    free(jb);
    free(ctxs);
    return st;
}

static et_status make_tune_agent(const et_sim *sim, const void *spec, et_agent **out, et_error *err)
{
    return et_tune_make_agent(sim, spec, out, err);
}

et_status et_tune_run(et_sim *sim, const et_tune_spec *specs, int n_specs, int offset,
                      int n_episodes, int jobs, et_episode_stats *stats, et_error *err)
{
    return et_tune_run_policies(sim, specs, sizeof *specs, n_specs, make_tune_agent, offset,
                                n_episodes, jobs, stats, err);
}

/* ---- the candidates' table ----------------------------------------------------------------- */

/* Candidates with their scores; a grown array (tuning runs between episodes, not in them). */
typedef struct table {
    et_tune_spec *spec;
    double *reward; /* mean validation reward; NAN until scored */
    int n, cap;
} table;

static void table_free(table *t)
{
    free(t->spec);
    free(t->reward);
    memset(t, 0, sizeof *t);
}

/* The index of the candidate equal to s (same name and parameters), or -1. */
static int table_find(const table *t, const et_tune_spec *s)
{
    for (int i = 0; i < t->n; i++)
        if (!strcmp(t->spec[i].name, s->name) && t->spec[i].keep == s->keep &&
            !strcmp(t->spec[i].rule, s->rule) && !strcmp(t->spec[i].dynamic_rule, s->dynamic_rule))
            return i;
    return -1;
}

/* Adds s unless it is there; returns its index, or -1 when memory runs out. */
static int table_add(table *t, const et_tune_spec *s)
{
    int i = table_find(t, s);
    if (i >= 0) return i;
    if (t->n == t->cap) {
        int grown = t->cap ? 2 * t->cap : 64;
        et_tune_spec *spec = realloc(t->spec, (size_t)grown * sizeof *spec);
        if (spec) t->spec = spec;
        double *reward = realloc(t->reward, (size_t)grown * sizeof *reward);
        if (reward) t->reward = reward;
        if (!spec || !reward) return -1;
        t->cap = grown;
    }
    t->spec[t->n] = *s;
    t->reward[t->n] = NAN;
    return t->n++;
}

/* Scores every candidate of t not scored yet, in one parallel batch. */
static et_status table_score(et_sim *sim, table *t, const et_tune_options *opt, et_error *err)
{
    int first = t->n, E = opt->episodes;
    for (int i = 0; i < t->n && first == t->n; i++)
        if (isnan(t->reward[i])) first = i;
    /* Candidates are added in batches and scored at once: the unscored ones are a tail. */
    int n = t->n - first;
    if (n == 0) return ET_OK;
    et_episode_stats *stats = calloc((size_t)n * (size_t)E, sizeof *stats);
    if (!stats) return et_error_set(err, ET_ERR_NOMEM, "out of memory");
    et_status st = et_tune_run(sim, t->spec + first, n, opt->offset, E, opt->jobs, stats, err);
    for (int i = 0; st == ET_OK && i < n; i++) {
        double r = 0;
        for (int e = 0; e < E; e++)
            r += stats[(size_t)i * E + e].reward;
        t->reward[first + i] = r / E;
    }
    free(stats);
    return st;
}

static et_tune_spec make_spec(const char *name, double keep, const char *rule,
                              const char *dynamic_rule)
{
    et_tune_spec s;
    memset(&s, 0, sizeof s);
    snprintf(s.name, sizeof s.name, "%s", name);
    s.keep = keep;
    snprintf(s.rule, sizeof s.rule, "%s", rule ? rule : "");
    snprintf(s.dynamic_rule, sizeof s.dynamic_rule, "%s", dynamic_rule ? dynamic_rule : "");
    return s;
}

/* ---- device classes ------------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

et_status et_tune_device_classes(const et_sim *sim, const char **out, int max, int *n,
                                 et_error *err)
{
    *n = 0;
    for (int i = 0; i < et_sim_ue_count(sim); i++) {
        const char *c = et_sim_ue_class(sim, i);
        int known = 0;
        for (int k = 0; k < *n; k++)
            known |= strcmp(out[k], c) == 0;
        if (known) continue;
        if (*n == max)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: more than %d device classes on the platform; the baselines' "
                                "searches (tuned-static's is exhaustive) allow at most %d",
                                et_sim_get_params(sim)->platform, max, max);
        out[(*n)++] = c;
    }
    qsort(out, (size_t)*n, sizeof *out, cmp_str);
    return ET_OK;
}

/* ---- the searches -------------------------------------------------------------------------- */

/* The candidate of t with the best score among [first, end): ties keep the first. */
static int table_best(const table *t, int first, int end)
{
    int best = first;
    for (int i = first + 1; i < end; i++)
        if (t->reward[i] > t->reward[best]) best = i;
    return best;
}

/* What both rule searches range over: the allowed emulator sizes and the platform's device
 * classes (sorted). */
static et_status search_space(const et_sim *sim, int *b_min, int *b_max, const char **classes,
                              int *n_classes, et_error *err)
{
    const et_sim_params *p = et_sim_get_params(sim);
    et_fm_blocks_range(et_sim_fm(sim), p->k_min, p->k_max, b_min, b_max);
    *n_classes = 0;
    return et_tune_device_classes(sim, classes, ET_TUNE_MAX_CLASSES, n_classes, err);
}

static et_status tune_static(et_sim *sim, const char *name, const et_tune_options *opt,
                             et_tune_result *out, et_error *err)
{
    const et_fm *fm = et_sim_fm(sim);
    int b_min, b_max, n_classes;
    const char *classes[ET_TUNE_MAX_CLASSES];
    et_status st = search_space(sim, &b_min, &b_max, classes, &n_classes, err);
    if (st != ET_OK) return st;
    table t = {0};
    int ok = 1;
    for (int mask = 0; mask < (1 << n_classes) && ok; mask++) {
        const char *local[ET_TUNE_MAX_CLASSES];
        int n_local = 0;
        for (int c = 0; c < n_classes; c++)
            if (mask & (1 << c)) local[n_local++] = classes[c];
        /* Nothing tunes locally: the keep fraction has no effect. */
        for (int b = n_local ? b_min : b_max; b <= b_max && ok; b++) {
            char rule[ET_TUNE_RULE_MAX];
            double keep = (double)b / fm->middle_blocks;
            et_baseline_static_rule(rule, sizeof rule, local, n_local, keep);
            et_tune_spec s = make_spec(name, keep, rule, NULL);
            ok = table_add(&t, &s) >= 0;
        }
    }
    st = ok ? table_score(sim, &t, opt, err) : et_error_set(err, ET_ERR_NOMEM, "out of memory");
    if (st == ET_OK) {
        int best = table_best(&t, 0, t.n);
        *out = (et_tune_result){
            .best = t.spec[best], .validation_reward = t.reward[best], .candidates = t.n};
    }
    table_free(&t);
    return st;
}

/* The canonical text of a dynamic rule over the sorted classes: a class that always
 * offloads (q = inf) is left out, as an unlisted class offloads; so equal policies get
 * equal texts and are scored once. */
static void dynamic_text(const et_dynamic_rule *full, char *buf, size_t size)
{
    et_dynamic_rule listed = *full;
    listed.n = 0;
    listed.keep_given = 0;
    for (int i = 0; i < full->n; i++)
        if (full->cls[i].q != ET_DYNAMIC_Q_INF) listed.cls[listed.n++] = full->cls[i];
    et_baseline_dynamic_format(&listed, buf, size);
}

static et_status tune_dynamic(et_sim *sim, const char *name, const et_tune_options *opt,
                              const et_tune_result *start, et_tune_result *out, et_error *err)
{
    const et_fm *fm = et_sim_fm(sim);
    int b_min, b_max, n_classes;
    const char *classes[ET_TUNE_MAX_CLASSES];
    et_status st = search_space(sim, &b_min, &b_max, classes, &n_classes, err);
    if (st != ET_OK) return st;
    et_static_rule sr;
    st = et_baseline_static_parse(start->best.rule, start->best.keep, &sr, err);
    if (st != ET_OK) return st;

    /* The start: tuned-static's decisions as a dynamic rule. The keep of offloaded tasks
     * (which matters only when the server tunes on the emulator) stays tuned-static's. */
    et_dynamic_rule cur;
    memset(&cur, 0, sizeof cur);
    cur.keep = sr.keep;
    cur.n = n_classes;
    for (int c = 0; c < n_classes; c++) {
        snprintf(cur.cls[c].name, sizeof cur.cls[c].name, "%s", classes[c]);
        cur.cls[c].keep = sr.keep;
        cur.cls[c].q = ET_DYNAMIC_Q_INF;
        for (int i = 0; i < sr.n_local; i++)
            if (!strcmp(sr.local[i], classes[c])) cur.cls[c].q = 0;
    }
    static const int q_grid[] = ET_TUNE_DYNAMIC_Q;
    const int n_q = (int)(sizeof q_grid / sizeof q_grid[0]);
    const int n_b = b_max - b_min + 1;
    /* A step's candidates: every finite q times every size, then q = inf once (its k is moot). */
    int *step = malloc(((size_t)n_q * (size_t)n_b + 1) * sizeof *step);
    table t = {0};
    char text[ET_TUNE_RULE_MAX];
    dynamic_text(&cur, text, sizeof text);
    et_tune_spec s = make_spec(name, sr.keep, NULL, text);
    int inc = step ? table_add(&t, &s) : -1;
    st = inc >= 0 ? table_score(sim, &t, opt, err)
                  : et_error_set(err, ET_ERR_NOMEM, "out of memory");
    int rounds = 0;
    for (int changed = 1; st == ET_OK && changed && rounds < ET_TUNE_DYNAMIC_ROUNDS; rounds++) {
        changed = 0;
        for (int c = 0; st == ET_OK && c < n_classes; c++) {
            et_dynamic_class held = cur.cls[c];
            int n_step = 0;
            for (int k = 0; k <= n_q * n_b && st == ET_OK; k++) {
                int finite = k < n_q * n_b;
                cur.cls[c].q = finite ? q_grid[k / n_b] : ET_DYNAMIC_Q_INF;
                cur.cls[c].keep =
                    finite ? (double)(b_min + k % n_b) / fm->middle_blocks : held.keep;
                dynamic_text(&cur, text, sizeof text);
                s = make_spec(name, sr.keep, NULL, text);
                step[n_step] = table_add(&t, &s);
                if (step[n_step++] < 0) st = et_error_set(err, ET_ERR_NOMEM, "out of memory");
            }
            cur.cls[c] = held;
            if (st == ET_OK) st = table_score(sim, &t, opt, err);
            int best = inc;
            for (int i = 0; st == ET_OK && i < n_step; i++)
                if (t.reward[step[i]] > t.reward[best]) best = step[i];
            if (st != ET_OK || best == inc) continue;
            /* The class's new (q, k), read back from the winner's text. */
            et_dynamic_rule won;
            st = et_baseline_dynamic_parse(t.spec[best].dynamic_rule, sr.keep, &won, err);
            if (st != ET_OK) break;
            int w = et_baseline_dynamic_find(&won, classes[c]);
            cur.cls[c].q = w >= 0 ? won.cls[w].q : ET_DYNAMIC_Q_INF;
            cur.cls[c].keep = w >= 0 ? won.cls[w].keep : held.keep;
            if (!opt->quiet)
                fprintf(stderr,
                        "edgetune: tuned-dynamic, round %d, class %s: \"%s\", validation reward "
                        "%.3f (was %.3f)\n",
                        rounds + 1, classes[c], t.spec[best].dynamic_rule, t.reward[best],
                        t.reward[inc]);
            inc = best;
            changed = 1;
        }
    }
    if (st == ET_OK)
        *out = (et_tune_result){.best = t.spec[inc],
                                .validation_reward = t.reward[inc],
                                .candidates = t.n,
                                .rounds = rounds};
    table_free(&t);
    free(step);
    return st;
}

et_status et_tune_baseline(et_sim *sim, const et_policy_info *row, const et_tune_options *opt,
                           const et_tune_result *start, et_tune_result *out, et_error *err)
{
    if (!row || row->learned)
        return et_error_set(err, ET_ERR_INTERNAL, "et_tune_baseline: not a baseline");
    if (opt->episodes < 1)
        return et_error_set(err, ET_ERR_INPUT, "tuning %s: validation episodes must be >= 1",
                            row->name);
    const et_sim_params *p = et_sim_get_params(sim);
    if (row->tuning == ET_TUNE_RULE) return tune_static(sim, row->name, opt, out, err);
    if (row->tuning == ET_TUNE_DYNAMIC) {
        et_tune_result from;
        if (!start) {
            const et_policy_info *stat = NULL;
            size_t n = 0;
            const et_policy_info *rows = et_policy_list(&n);
            for (size_t i = 0; i < n; i++)
                if (rows[i].tuning == ET_TUNE_RULE) stat = &rows[i];
            if (!stat)
                return et_error_set(err, ET_ERR_INTERNAL, "tuned-dynamic: no tuned-static row");
            et_status st = tune_static(sim, stat->name, opt, &from, err);
            if (st != ET_OK) return st;
            start = &from;
        }
        return tune_dynamic(sim, row->name, opt, start, out, err);
    }
    const et_fm *fm = et_sim_fm(sim);
    int b_min, b_max;
    et_fm_blocks_range(fm, p->k_min, p->k_max, &b_min, &b_max);
    int keep_matters = row->tuning == ET_TUNE_KEEP || (row->tuning == ET_TUNE_KEEP_EMULATOR &&
                                                       p->tunes_on == ET_FM_TUNES_ON_EMULATOR);
    table t = {0};
    int ok = 1;
    for (int b = keep_matters ? b_min : b_max; b <= b_max && ok; b++) {
        /* No free parameter: the one candidate keeps k_max, as the study always did. */
        double keep = keep_matters ? (double)b / fm->middle_blocks : p->k_max;
        et_tune_spec s = make_spec(row->name, keep, NULL, NULL);
        ok = table_add(&t, &s) >= 0;
    }
    et_status st =
        ok ? table_score(sim, &t, opt, err) : et_error_set(err, ET_ERR_NOMEM, "out of memory");
    if (st == ET_OK) {
        int best = table_best(&t, 0, t.n);
        *out = (et_tune_result){
            .best = t.spec[best], .validation_reward = t.reward[best], .candidates = t.n};
    }
    table_free(&t);
    return st;
}
