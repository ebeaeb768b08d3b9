/* train.c: the training and evaluation loops (see train.h). */
#define _DEFAULT_SOURCE
#include "train.h"

#include "registry.h"

#include "interrupt.h"
#include "isolate.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "trace.h"

static const char TRAIN_HEADER[] =
    "episode,return,total_delay_s,mean_delay_s,mean_ppl,failed,local_frac,mean_keep,"
    "policy_loss,value_loss,entropy_loc,entropy_keep,approx_kl,clip_frac,wall_s\n";

#define BLOB_MAGIC 0x31504b434e525445ULL /* "ETRNCKP1" little-endian */

/* Training progress stored in the checkpoint beside the learner's state.
 * Fixed-width fields, zero-filled, so the bytes are deterministic. */
typedef struct train_blob {
    uint64_t magic;
    int32_t episodes_done;
    int32_t updates_done;
    double clock_s; /* engine clock at which episode episodes_done starts */
    int32_t n_ue, tasks_per_ue;
    uint64_t seed;
    char policy[16];
} train_blob;

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int et_train_is_learned(const char *policy)
{
    const et_policy_info *info = et_policy_find(policy);
    return info && info->learned;
}

et_status et_train_variant(const char *policy, et_hmppo_variant *variant, et_error *err)
{
    const et_policy_info *info = et_policy_find(policy);
    if (!info || !info->learned) {
        char learned[128];
        et_policy_names_text(1, learned, sizeof learned);
        return et_error_set(err, ET_ERR_INPUT, "policy '%s' does not learn (learned policies: %s)",
                            policy, learned);
    }
    *variant = info->variant;
    return ET_OK;
}

/* Keeps the header and the first n_rows rows of a CSV log, atomically; a
 * missing file becomes a header-only log. */
static et_status truncate_log(const char *path, int n_rows, et_error *err)
{
    FILE *in = fopen(path, "r");
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    if (!text) {
        if (in) fclose(in);
        return et_error_set(err, ET_ERR_NOMEM, "out of memory");
    }
    text[0] = '\0';
    if (in) {
        char line[4096];
        int kept = -1; /* the header is row -1 */
        while (kept < n_rows && fgets(line, sizeof line, in)) {
            size_t n = strlen(line);
            if (n == 0 || line[n - 1] != '\n') break; /* a row cut by a kill */
            if (len + n + 1 > cap) {
                cap = 2 * (len + n + 1);
                char *grown = realloc(text, cap);
                if (!grown) {
                    free(text);
                    fclose(in);
                    return et_error_set(err, ET_ERR_NOMEM, "out of memory");
                }
                text = grown;
            }
            memcpy(text + len, line, n + 1);
            len += n;
            kept++;
        }
        fclose(in);
    }
    if (len == 0) {
        snprintf(text, cap, "%s", TRAIN_HEADER);
    }
    et_status st = et_write_file_atomic(path, text, err);
    free(text);
    return st;
}

static void log_row(FILE *f, int episode, const et_episode_stats *s, const et_hmppo_stats *u,
                    double wall)
{
    double local_frac = s->tasks ? (double)s->local / s->tasks : 0;
    fprintf(f, "%d,%.9g,%.9g,%.9g,%.9g,%d,%.6g,%.6g,", episode, s->reward, s->total_delay_s,
            s->mean_delay_s, s->mean_ppl, s->failed, local_frac, s->mean_keep);
    if (u)
        fprintf(f, "%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,", u->policy_loss, u->value_loss, u->entropy_loc,
                u->entropy_keep, u->approx_kl, u->clip_frac);
    else
        fputs(",,,,,,", f);
    fprintf(f, "%.3f\n", wall);
}

et_status et_train_run(et_sim *sim, const et_train_options *opt, et_train_result *res,
                       et_error *err)
{
    const et_scenario *sc = et_sim_scenario(sim);
    memset(res, 0, sizeof *res);
    et_hmppo_variant variant = ET_HMPPO;
    et_status st = et_train_variant(opt->policy, &variant, err);
    if (st != ET_OK) return st;

    et_agent *agent = NULL;
    train_blob blob;
    memset(&blob, 0, sizeof blob);
    int n_ue = et_sim_ue_count(sim);
    if (opt->resume) {
        st = et_hmppo_load(opt->resume, &agent, &blob, sizeof blob, err);
        if (st != ET_OK) return st;
        const et_hmppo_config *cfg = et_hmppo_get_config(agent);
        const char *why = NULL;
        if (blob.magic != BLOB_MAGIC)
            why = "not a training checkpoint";
        else if (strcmp(blob.policy, opt->policy) != 0)
            why = "trained another policy";
        else if (blob.n_ue != n_ue || cfg->n_ue != n_ue)
            why = "has another number of UEs";
        else if (blob.tasks_per_ue != sc->tasks_per_ue)
            why = "has another tasks.per_ue";
        else if (blob.seed != sc->seed)
            why = "was trained with another seed";
        if (why) {
            et_agent_destroy(agent);
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: checkpoint %s (policy %s, %d UEs, seed %llu)", opt->resume,
                                why, blob.policy, blob.n_ue, (unsigned long long)blob.seed);
        }
        /* Start the next episode at the engine time the interrupted run
         * would have: with the same absolute clock, SimGrid's arithmetic and
         * so the whole run are bit-identical. */
        et_sim_engine_advance_to(blob.clock_s);
    } else {
        et_hmppo_config cfg;
        et_hmppo_config_default(&cfg, n_ue);
        et_hmppo_config_set_learn(&cfg, &sc->learn);
        cfg.variant = variant;
        cfg.n_ue = n_ue;
        cfg.obs_dim = ET_OBS_DIM;
        cfg.state_dim = et_state_dim(n_ue);
        cfg.k_min = (float)sc->k_min;
        cfg.k_max = (float)sc->k_max;
        cfg.capacity = sc->episodes_per_update * n_ue * sc->tasks_per_ue;
        cfg.seed = sc->seed;
        st = et_hmppo_create(&cfg, &agent, err);
        if (st != ET_OK) return st;
        blob.magic = BLOB_MAGIC;
        blob.n_ue = n_ue;
        blob.tasks_per_ue = sc->tasks_per_ue;
        blob.seed = sc->seed;
        snprintf(blob.policy, sizeof blob.policy, "%s", opt->policy);
    }
    et_hmppo_set_training(agent, 1);

    char log_path[ET_PATH_MAX + 32];
    snprintf(res->checkpoint, sizeof res->checkpoint, "%s/checkpoint.ckpt", opt->out_dir);
    snprintf(log_path, sizeof log_path, "%s/train.csv", opt->out_dir);
    st = et_mkdirs(opt->out_dir, err);
    if (st == ET_OK) st = truncate_log(log_path, blob.episodes_done, err);
    FILE *log = NULL;
    if (st == ET_OK && !(log = fopen(log_path, "a")))
        st = et_error_set(err, ET_ERR_IO, "%s: cannot write: %s", log_path, strerror(errno));
    if (st != ET_OK) {
        et_agent_destroy(agent);
        return st;
    }

    /* The checkpoint a resume would start from, until this run writes its own. */
    res->checkpoint_episodes = opt->resume ? blob.episodes_done : -1;
    if (opt->resume) snprintf(res->resumable, sizeof res->resumable, "%s", opt->resume);
    int total_updates = opt->episodes / sc->episodes_per_update;
    double t_start = wall_now();
    int ran = 0;
    double recent[50];
    int n_recent = 0;
    for (int ep = blob.episodes_done; ep < opt->episodes; ep++) {
        if (et_interrupted()) {
            st = et_error_set(err, ET_ERR_INTERRUPTED, "interrupted by %s",
                              et_interrupt_name(et_interrupted()));
            break;
        }
        et_episode_stats stats;
        st = et_sim_run_episode(sim, agent, ep, NULL, &stats, err);
        if (st != ET_OK) break;
        ran++;
        et_hmppo_stats ust;
        int updated = 0;
        int last = ep + 1 == opt->episodes || (opt->stop_after > 0 && ran >= opt->stop_after);
        if ((ep + 1) % sc->episodes_per_update == 0 || (last && et_hmppo_pending(agent) > 0)) {
            st = et_hmppo_update(agent, blob.updates_done, total_updates, &ust, err);
            if (st != ET_OK) break;
            blob.updates_done++;
            updated = 1;
        }
        double wall = wall_now() - t_start;
        log_row(log, ep, &stats, updated ? &ust : NULL, wall);
        recent[n_recent++ % 50] = stats.reward;
        blob.episodes_done = ep + 1;
        blob.clock_s = et_sim_engine_clock();
        if (opt->progress) {
            et_train_progress p = {.episode = ep,
                                   .episodes = opt->episodes,
                                   .stats = &stats,
                                   .update = updated ? &ust : NULL,
                                   .wall_s = wall};
            opt->progress(opt->progress_ctx, &p);
        }
        /* Checkpoint only with an empty buffer: transitions are not saved. */
        if (((ep + 1) % sc->checkpoint_every == 0 || last) && et_hmppo_pending(agent) == 0) {
            /* The log must hold every row the checkpoint counts. */
            fflush(log);
            st = et_hmppo_save(agent, res->checkpoint, &blob, sizeof blob, err);
            if (st != ET_OK) break;
            res->checkpoint_episodes = blob.episodes_done;
            snprintf(res->resumable, sizeof res->resumable, "%s", res->checkpoint);
        }
        if (last) break;
    }
    if (fclose(log) != 0 && st == ET_OK)
        st = et_error_set(err, ET_ERR_IO, "%s: write error", log_path);
    int n = n_recent < 50 ? n_recent : 50;
    for (int i = 0; i < n; i++)
        res->last_return += recent[i] / n;
    res->episodes_done = blob.episodes_done;
    res->wall_s = wall_now() - t_start;
    et_agent_destroy(agent);
    return st;
}

typedef struct isolated_training {
    et_sim *sim;
    const et_train_options *opt;
} isolated_training;

static et_status run_isolated_training(void *ctx, void *result, et_error *err)
{
    isolated_training *t = ctx;
    return et_train_run(t->sim, t->opt, result, err);
}

et_status et_train_run_isolated(et_sim *sim, const et_train_options *opt, et_train_result *res,
                                et_error *err)
{
    isolated_training t = {sim, opt};
    memset(res, 0, sizeof *res);
    return et_isolate_run(run_isolated_training, &t, res, sizeof *res, "training", err);
}

et_status et_train_evaluate(et_sim *sim, et_agent *agent, int n, int offset,
                            et_episode_stats *stats, FILE *tasks, et_error *err)
{
    et_outputs out;
    memset(&out, 0, sizeof out);
    for (int i = 0; i < n; i++) {
        out.tasks = i == 0 ? tasks : NULL;
        /* A fresh engine per episode: the result cannot depend on what ran
         * before it in this process. */
        et_status st = et_sim_run_episode_isolated(sim, agent, offset + i, tasks ? &out : NULL,
                                                   &stats[i], err);
        if (st != ET_OK) return st;
    }
    return ET_OK;
}
