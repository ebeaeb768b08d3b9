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
#include <unistd.h>

#include "scenario.h"
#include "trace.h"

static const char TRAIN_HEADER[] =
    "episode,return,total_delay_s,mean_delay_s,mean_ppl,failed,local_frac,mean_keep,"
    "policy_loss,value_loss,entropy_loc,entropy_keep,approx_kl,clip_frac,wall_s\n";

#define BLOB_MAGIC 0x32504b434e525445ULL /* "ETRNCKP2" little-endian */

/* Training progress stored in the checkpoint beside the learner's state.
 * Fixed-width fields, zero-filled, so the bytes are deterministic. */
typedef struct train_blob {
    uint64_t magic;
    int32_t episodes_done;
    int32_t updates_done;
    int32_t n_ue, tasks_per_ue;
    uint64_t seed;
    char policy[16];
    int32_t ranks; /* processes that trained it (distributed training) */
    int32_t reserved;
    /* Each rank's engine clock at which its next episode starts. */
    double clock_s[ET_TRAIN_MAX_RANKS];
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

/* Keeps the header and the first n_rows rows of the training log, atomically. The log must
 * hold them, numbered 0 .. n_rows - 1 after this build's header (whatever their length: a row
 * is read whole, however long): anything else is a log of another run, and resuming onto it
 * would mix two runs, so it is refused naming the file. */
static et_status truncate_log(const char *path, const char *checkpoint, int n_rows, et_error *err)
{
    FILE *in = fopen(path, "r");
    if (!in && n_rows == 0) return et_write_file_atomic(path, TRAIN_HEADER, err);
    if (!in)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: cannot read the training log that %s continues (%s); it must "
                            "hold the checkpoint's %d episodes",
                            path, checkpoint, strerror(errno), n_rows);
    char *line = NULL;
    size_t line_cap = 0;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    et_status st = mem ? ET_OK : et_error_set(err, ET_ERR_NOMEM, "out of memory");
    int kept = -1; /* the header is row -1 */
    while (st == ET_OK && kept < n_rows) {
        ssize_t n = getline(&line, &line_cap, in);
        if (n <= 0 || line[n - 1] != '\n') break; /* the end, or a row cut by a kill */
        if (kept < 0 && strcmp(line, TRAIN_HEADER) != 0)
            st = et_error_set(err, ET_ERR_INPUT,
                              "%s: its header is not a training log's (expected %.40s...)", path,
                              TRAIN_HEADER);
        if (kept >= 0) {
            char *end = NULL;
            long episode = strtol(line, &end, 10);
            if (end == line || *end != ',' || episode != kept)
                st = et_error_set(err, ET_ERR_INPUT,
                                  "%s: row %d is episode '%.20s', expected %d (a log of another "
                                  "run than %s?)",
                                  path, kept + 2, line, kept, checkpoint);
        }
        if (st == ET_OK) {
            fwrite(line, 1, (size_t)n, mem);
            kept++;
        }
    }
    int read_failed = ferror(in);
    fclose(in);
    free(line);
    if (mem && fclose(mem) != 0 && st == ET_OK)
        st = et_error_set(err, ET_ERR_NOMEM, "out of memory");
    if (st == ET_OK && read_failed) st = et_error_set(err, ET_ERR_IO, "%s: read error", path);
    if (st == ET_OK && (kept < 0 ? 0 : kept) < n_rows)
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s: holds %d whole rows, but %s counts %d episodes (a log of another "
                          "run, or cut short?)",
                          path, kept < 0 ? 0 : kept, checkpoint, n_rows);
    if (st == ET_OK) st = et_write_file_atomic(path, kept < 0 ? TRAIN_HEADER : text, err);
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

/* A new run may not write over a previous training run's files unless asked to
 * (et_train_options.restart): its checkpoint would be replaced and its log cut at once. */
et_status et_train_check_fresh(const char *out_dir, et_error *err)
{
    static const char *const files[] = {"checkpoint.ckpt", "train.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[ET_PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/%s", out_dir, files[i]);
        if (access(path, F_OK) == 0)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: holds a training run (%s); continue it with --resume "
                                "%s/checkpoint.ckpt, or start over with --restart",
                                out_dir, files[i], out_dir);
    }
    return ET_OK;
}

/* The first checkpoint of a new run: its log replaces the previous run's. The previous
 * checkpoint goes first, so that no moment pairs this log with that checkpoint (a resume
 * would take the other run's episodes as its own). */
static et_status log_in_place(const char *log_tmp, const char *log_path, const char *checkpoint,
                              et_error *err)
{
    if (unlink(checkpoint) != 0 && errno != ENOENT)
        return et_error_set(err, ET_ERR_IO, "%s: cannot replace it: %s", checkpoint,
                            strerror(errno));
    if (rename(log_tmp, log_path) != 0)
        return et_error_set(err, ET_ERR_IO, "%s: cannot write: %s", log_path, strerror(errno));
    return ET_OK;
}

/* What a rank tells the others at the end of a round (beside the statistics of the episodes it
 * ran): its status and its engine clock, where its next episode starts (the update does not run
 * the engine, so it is the clock the checkpoint records). */
typedef struct rank_report {
    int32_t status;
    int32_t reserved;
    double clock_s;
    char msg[sizeof(((et_error *)0)->msg)];
} rank_report;

static et_status sum_over_ranks(void *ctx, double *buf, size_t n, et_error *err)
{
    return et_collective_sum(ctx, buf, n, err);
}

/* FNV-1a over every network's parameters: replicas that took the same steps agree. */
static uint64_t params_hash(et_agent *agent)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int net = 0; net < et_hmppo_network_count(agent); net++) {
        size_t n = 0;
        const unsigned char *p = (const unsigned char *)et_hmppo_network_params(agent, net, &n);
        for (size_t i = 0; i < n * sizeof(float); i++)
            h = (h ^ p[i]) * 0x100000001b3ULL;
    }
    return h;
}

/* Distributed: every rank's replica and progress must equal rank 0's (checked at the start,
 * where ranks that read different checkpoints would otherwise wait for each other forever, and
 * at each checkpoint). */
static et_status check_replicas(et_collective *comm, et_agent *agent, const train_blob *blob,
                                et_error *err)
{
    if (!comm) return ET_OK;
    uint64_t mine[2] = {params_hash(agent), (uint64_t)blob->episodes_done},
             all[2 * ET_TRAIN_MAX_RANKS];
    et_status st = comm->allgather(comm->ctx, mine, all, sizeof mine, err);
    for (int r = 1; st == ET_OK && r < comm->size; r++)
        if (all[2 * r] != all[0] || all[2 * r + 1] != all[1])
            st = et_error_set(err, ET_ERR_INPUT,
                              "distributed training: rank %d's network or episode count (%llu) "
                              "differs from rank 0's (%llu); did the ranks read different "
                              "checkpoints (a killed run still writing)?",
                              r, (unsigned long long)all[2 * r + 1], (unsigned long long)all[1]);
    return st;
}

/* Every field of the training progress a checkpoint holds, in its range: a hostile or
 * damaged file is refused here, not met later as a negative slot or an endless clock. */
static et_status check_blob(const char *path, const train_blob *b, et_error *err)
{
#define BAD(field, fmt, value, range)                                                              \
    et_error_set(err, ET_ERR_INPUT, "%s: checkpoint field '%s': expected %s, got " fmt, path,      \
                 field, range, value)
    if (b->magic != BLOB_MAGIC)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: not a training checkpoint (no training progress; edgetune train "
                            "writes one)",
                            path);
    if (!memchr(b->policy, '\0', sizeof b->policy) || !et_train_is_learned(b->policy))
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: checkpoint field 'policy': expected a learned policy's name",
                            path);
    if (b->episodes_done < 0 || b->episodes_done > ET_TRAIN_MAX_EPISODES)
        return BAD("episodes_done", "%d", (int)b->episodes_done, "an integer in [0, 10000000]");
    if (b->updates_done < 0 || b->updates_done > b->episodes_done)
        return BAD("updates_done", "%d", (int)b->updates_done, "an integer in [0, episodes_done]");
    if (b->n_ue < 1 || b->n_ue > 1000000)
        return BAD("n_ue", "%d", (int)b->n_ue, "an integer in [1, 1000000]");
    if (b->tasks_per_ue < 1 || b->tasks_per_ue > 100000)
        return BAD("tasks_per_ue", "%d", (int)b->tasks_per_ue, "an integer in [1, 100000]");
    if (b->seed > ET_SEED_MAX)
        return BAD("seed", "%llu", (unsigned long long)b->seed,
                   "an integer in [0, 9007199254740991]");
    if (b->ranks < 1 || b->ranks > ET_TRAIN_MAX_RANKS)
        return BAD("ranks", "%d", (int)b->ranks, "an integer in [1, 64]");
    for (int r = 0; r < ET_TRAIN_MAX_RANKS; r++) {
        double c = b->clock_s[r];
        int good = r < b->ranks ? isfinite(c) && c >= 0 && c <= ET_TRAIN_MAX_CLOCK_S : c == 0;
        if (!good) {
            char field[32];
            snprintf(field, sizeof field, "clock_s[%d]", r);
            return BAD(field, "%g", c,
                       r < b->ranks ? "seconds in [0, 1e12]" : "0 (beyond the rank count)");
        }
    }
    return ET_OK;
#undef BAD
}

et_status et_train_checkpoint_load(const char *path, et_agent **agent, et_train_checkpoint *info,
                                   et_error *err)
{
    train_blob blob;
    memset(&blob, 0, sizeof blob);
    *agent = NULL;
    et_status st = et_hmppo_load(path, agent, &blob, sizeof blob, err);
    if (st == ET_OK) st = check_blob(path, &blob, err);
    if (st != ET_OK) {
        et_agent_destroy(*agent);
        *agent = NULL;
        return st;
    }
    if (info) {
        memset(info, 0, sizeof *info);
        memcpy(info->policy, blob.policy, sizeof info->policy);
        info->episodes_done = blob.episodes_done;
        info->updates_done = blob.updates_done;
        info->n_ue = blob.n_ue;
        info->tasks_per_ue = blob.tasks_per_ue;
        info->seed = blob.seed;
        info->ranks = blob.ranks;
        memcpy(info->clock_s, blob.clock_s, sizeof info->clock_s);
    }
    return ET_OK;
}

/* Opens the agent: from the checkpoint (checked against the run) or new. */
static et_status open_agent(et_sim *sim, const et_train_options *opt, et_hmppo_variant variant,
                            int size, et_agent **agent, train_blob *blob, et_error *err)
{
    const et_scenario *sc = opt->scenario;
    int n_ue = et_sim_ue_count(sim);
    uint64_t seed = et_sim_get_params(sim)->seed;
    memset(blob, 0, sizeof *blob);
    if (opt->resume) {
        et_status st = et_hmppo_load(opt->resume, agent, blob, sizeof *blob, err);
        if (st == ET_OK) st = check_blob(opt->resume, blob, err);
        if (st != ET_OK) {
            et_agent_destroy(*agent);
            *agent = NULL;
            return st;
        }
        const et_hmppo_config *cfg = et_hmppo_get_config(*agent);
        const char *why = NULL;
        if (strcmp(blob->policy, opt->policy) != 0)
            why = "trained another policy";
        else if (blob->n_ue != n_ue || cfg->n_ue != n_ue)
            why = "has another number of UEs";
        else if (blob->tasks_per_ue != sc->sim.tasks_per_ue)
            why = "has another tasks.per_ue";
        else if (blob->seed != seed)
            why = "was trained with another seed";
        else if (blob->ranks != size)
            why = "was trained with another number of ranks";
        if (why) {
            et_agent_destroy(*agent);
            *agent = NULL;
            return et_error_set(
                err, ET_ERR_INPUT, "%s: checkpoint %s (policy %s, %d UEs, seed %llu, %d rank%s)",
                opt->resume, why, blob->policy, blob->n_ue, (unsigned long long)blob->seed,
                blob->ranks, blob->ranks == 1 ? "" : "s");
        }
        /* The checkpoint's network goes on training: the scenario must not say otherwise. */
        et_learn_params held, *dst = &held;
        const et_hmppo_config *src = cfg;
        ET_LEARN_KEYS(ET_LEARN_COPY_FIELD)
        double v_held, v_scen;
        const char *key = et_learn_difference(&held, &sc->learn, &v_held, &v_scen);
        if (key) {
            et_agent_destroy(*agent);
            *agent = NULL;
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key 'hmppo.%s': the checkpoint %s was trained with %g, the "
                                "scenario says %g (resume with the scenario it was trained with)",
                                sc->sim.source, key, opt->resume, v_held, v_scen);
        }
        return ET_OK;
    }
    et_hmppo_config cfg;
    et_hmppo_config_default(&cfg, n_ue);
    et_hmppo_config_set_learn(&cfg, &sc->learn);
    cfg.variant = variant;
    cfg.n_ue = n_ue;
    cfg.obs_dim = ET_OBS_DIM;
    cfg.state_dim = et_state_dim(n_ue);
    cfg.k_min = (float)sc->sim.k_min;
    cfg.k_max = (float)sc->sim.k_max;
    cfg.capacity = sc->episodes_per_update * n_ue * sc->sim.tasks_per_ue;
    cfg.seed = seed;
    et_status st = et_hmppo_create(&cfg, agent, err);
    if (st != ET_OK) return st;
    blob->magic = BLOB_MAGIC;
    blob->n_ue = n_ue;
    blob->tasks_per_ue = sc->sim.tasks_per_ue;
    blob->seed = seed;
    blob->ranks = size;
    snprintf(blob->policy, sizeof blob->policy, "%s", opt->policy);
    return ET_OK;
}

/* The end of a round: every rank's report and episode statistics to every rank (alone: a
 * copy). all gets size * E statistics, in episode order within the round. */
static et_status exchange_round(et_collective *comm, const rank_report *mine_rep,
                                const et_episode_stats *mine, int E, rank_report *all_rep,
                                et_episode_stats *all, et_error *err)
{
    if (!comm || comm->size <= 1) {
        *all_rep = *mine_rep;
        memcpy(all, mine, (size_t)E * sizeof *all);
        return ET_OK;
    }
    et_status st = comm->allgather(comm->ctx, mine_rep, all_rep, sizeof *mine_rep, err);
    if (st == ET_OK) st = comm->allgather(comm->ctx, mine, all, (size_t)E * sizeof *mine, err);
    return st;
}

et_status et_train_run(et_sim *sim, const et_train_options *opt, et_train_result *res,
                       et_error *err)
{
    const et_scenario *sc = opt->scenario;
    memset(res, 0, sizeof *res);
    et_collective *comm = opt->comm && opt->comm->size > 1 ? opt->comm : NULL;
    int rank = comm ? comm->rank : 0, size = comm ? comm->size : 1;
    if (size > ET_TRAIN_MAX_RANKS)
        return et_error_set(err, ET_ERR_INPUT, "training: %d ranks; at most %d", size,
                            ET_TRAIN_MAX_RANKS);
    et_hmppo_variant variant = ET_HMPPO;
    et_status st = et_train_variant(opt->policy, &variant, err);
    if (st != ET_OK) return st;

    et_agent *agent = NULL;
    train_blob blob;
    st = open_agent(sim, opt, variant, size, &agent, &blob, err);
    if (st != ET_OK) return st;
    /* Start the next episode at the engine time the interrupted run would have: with the same
     * absolute clock, SimGrid's arithmetic and so the whole run are bit-identical. */
    if (opt->resume) et_sim_engine_advance_to(blob.clock_s[rank]);
    et_hmppo_set_training(agent, 1);
    if (comm) st = et_hmppo_set_data_parallel(agent, size, sum_over_ranks, comm, err);
    if (st == ET_OK) st = check_replicas(comm, agent, &blob, err);

    int E = sc->episodes_per_update, R = E * size; /* episodes per rank and per round */
    et_episode_stats *mine = calloc((size_t)E, sizeof *mine);
    et_episode_stats *all = calloc((size_t)R, sizeof *all);
    rank_report *reps = calloc((size_t)size, sizeof *reps);
    if (st == ET_OK && (!mine || !all || !reps))
        st = et_error_set(err, ET_ERR_NOMEM, "out of memory for %d episodes per round", R);

    char log_path[ET_PATH_MAX + 32], log_tmp[ET_PATH_MAX + 80];
    snprintf(res->checkpoint, sizeof res->checkpoint, "%s/checkpoint.ckpt", opt->out_dir);
    snprintf(log_path, sizeof log_path, "%s/train.csv", opt->out_dir);
    et_outputs_tmp_name(log_path, log_tmp, sizeof log_tmp);
    FILE *log = NULL;
    int lock = 0, log_aside = 0; /* log_aside: the log is log_tmp until the first checkpoint */
    if (rank == 0) {
        if (st == ET_OK) st = et_mkdirs(opt->out_dir, err);
        if (st == ET_OK) st = et_outputs_lock_dir(opt->out_dir, &lock, err);
        if (st == ET_OK && !opt->resume && !opt->restart)
            st = et_train_check_fresh(opt->out_dir, err);
        if (st == ET_OK && opt->resume) {
            st = truncate_log(log_path, opt->resume, blob.episodes_done, err);
            if (st == ET_OK && !(log = fopen(log_path, "a")))
                st =
                    et_error_set(err, ET_ERR_IO, "%s: cannot write: %s", log_path, strerror(errno));
        } else if (st == ET_OK) {
            /* A new run's log is written aside: a previous run's files stay as they were
             * until this one has a checkpoint to stand on (a run that stops earlier, at a
             * limit or a signal, leaves nothing). */
            if (!(log = et_outputs_create(log_tmp)))
                st =
                    et_error_set(err, ET_ERR_IO, "%s: cannot write: %s", log_path, strerror(errno));
            else
                log_aside = 1;
            if (log) fputs(TRAIN_HEADER, log);
        }
    }

    /* The checkpoint a resume would start from, until this run writes its own. */
    res->checkpoint_episodes = opt->resume ? blob.episodes_done : -1;
    if (opt->resume) snprintf(res->resumable, sizeof res->resumable, "%s", opt->resume);
    int total_updates = opt->episodes / R;
    double t_start = wall_now();
    int ran = 0; /* episodes of all ranks, in this process */
    double recent[50];
    int n_recent = 0;
    int seg_start = blob.episodes_done; /* first episode of the round's part run here */
    rank_report rep = {.status = ET_OK};
    for (int g = blob.episodes_done; st == ET_OK && g < opt->episodes; g++) {
        int slot = g % R, owner = slot / E;
        if (owner == rank && rep.status == ET_OK && et_interrupted()) {
            /* Stop at the round's end, where every rank learns it. */
            rep.status = ET_ERR_INTERRUPTED;
            snprintf(rep.msg, sizeof rep.msg, "interrupted by %s",
                     et_interrupt_name(et_interrupted()));
        }
        if (owner == rank && rep.status == ET_OK) {
            double t0 = wall_now();
            et_error ep_err = {0};
            et_status ep_st =
                et_sim_run_episode(sim, agent, g, NULL, &mine[slot - rank * E], &ep_err);
            if (ep_st != ET_OK) {
                rep.status = ep_st;
                memcpy(rep.msg, ep_err.msg, sizeof rep.msg);
            }
            res->episodes_s += wall_now() - t0;
        }
        ran++;
        int last = g + 1 == opt->episodes || (opt->stop_after > 0 && ran >= opt->stop_after);
        if ((g + 1) % R != 0 && !last) continue;

        /* The round ends: statistics to every rank, failures stop every rank. */
        double t0 = wall_now();
        rep.clock_s = et_sim_engine_clock();
        st = exchange_round(comm, &rep, mine, E, reps, all, err);
        double t1 = wall_now();
        res->exchange_s += t1 - t0;
        for (int r = 0; st == ET_OK && r < size; r++)
            if (reps[r].status != ET_OK) {
                st = (et_status)reps[r].status;
                if (comm && r != rank)
                    et_error_set(err, st, "rank %d: %s", r, reps[r].msg);
                else
                    et_error_set(err, st, "%s", reps[r].msg);
            }
        et_hmppo_stats ust;
        if (st == ET_OK) st = et_hmppo_update(agent, blob.updates_done, total_updates, &ust, err);
        if (st != ET_OK) break;
        res->update_s += wall_now() - t1;
        blob.updates_done++;
        double wall = wall_now() - t_start;
        for (int e = seg_start; e <= g; e++) {
            const et_episode_stats *s = &all[e % R];
            const et_hmppo_stats *u = e == g ? &ust : NULL;
            if (log) log_row(log, e, s, u, wall);
            recent[n_recent++ % 50] = s->reward;
            if (opt->progress && rank == 0) {
                et_train_progress p = {.episode = e,
                                       .episodes = opt->episodes,
                                       .stats = s,
                                       .update = u,
                                       .wall_s = wall};
                opt->progress(opt->progress_ctx, &p);
            }
        }
        memset(mine, 0, (size_t)E * sizeof *mine);
        seg_start = g + 1;
        blob.episodes_done = g + 1;
        for (int r = 0; r < size; r++)
            blob.clock_s[r] = reps[r].clock_s;
        int save = (g + 1) % sc->checkpoint_every == 0 || last;
        t0 = wall_now();
        if (save) st = check_replicas(comm, agent, &blob, err);
        res->exchange_s += wall_now() - t0;
        if (st == ET_OK && save && rank == 0) {
            /* The log must hold every row the checkpoint counts. */
            if (fflush(log) != 0)
                st =
                    et_error_set(err, ET_ERR_IO, "%s: cannot write: %s", log_path, strerror(errno));
            if (st == ET_OK && log_aside)
                st = log_in_place(log_tmp, log_path, res->checkpoint, err);
            if (st == ET_OK) log_aside = 0;
            if (st == ET_OK) st = et_hmppo_save(agent, res->checkpoint, &blob, sizeof blob, err);
            if (st == ET_OK) {
                res->checkpoint_episodes = blob.episodes_done;
                snprintf(res->resumable, sizeof res->resumable, "%s", res->checkpoint);
            }
        }
        if (st != ET_OK) break;
        if (last) break;
    }
    if (log && fclose(log) != 0 && st == ET_OK)
        st = et_error_set(err, ET_ERR_IO, "%s: cannot write: %s", log_path, strerror(errno));
    if (log_aside) unlink(log_tmp); /* no checkpoint: the run leaves nothing */
    et_outputs_unlock_dir(&lock);
    int n = n_recent < 50 ? n_recent : 50;
    for (int i = 0; i < n; i++)
        res->last_return += recent[i] / n;
    res->episodes_done = blob.episodes_done;
    res->wall_s = wall_now() - t_start;
    free(mine);
    free(all);
    free(reps);
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
