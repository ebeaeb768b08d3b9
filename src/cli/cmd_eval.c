/* cmd_eval.c: edgetune eval, a checkpoint or a baseline on unseen episodes. */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "decisions.h"
#include "train.h"

typedef struct metric {
    double mean, std;
} metric;

static metric summarise(const et_episode_stats *s, int n, int which)
{
    double sum = 0, sq = 0;
    for (int i = 0; i < n; i++) {
        double x = which == 0 ? s[i].reward : which == 1 ? s[i].total_delay_s : s[i].mean_ppl;
        sum += x;
        sq += x * x;
    }
    metric m = {sum / n, 0};
    double var = n > 1 ? (sq - n * m.mean * m.mean) / (n - 1) : 0;
    m.std = var > 0 ? sqrt(var) : 0;
    return m;
}

static const char EVAL_USAGE[] =
    "usage: edgetune eval (--checkpoint FILE | --policy BASELINE) [SCENARIO] [--episodes N]\n"
    "                     [--out DIR] [-q]\n"
    "\n"
    "Runs the checkpoint's policy greedily (most likely location, mean keep fraction),\n"
    "or a baseline by name, "
    "on N evaluation episodes (default train.eval_episodes) whose seeds training never\n"
    "used, and prints mean and standard deviation of the episodic reward, total delay\n"
    "and mean perplexity. Writes DIR/eval.csv (one row per episode), the first\n"
    "episode's DIR/tasks.csv and DIR/summary.json. Default DIR: out/eval.\n";

static et_status write_eval_csv(FILE *f, const char *policy, const et_episode_stats *s, int n,
                                int offset)
{
    for (int i = 0; i < n; i++) {
        et_csv_field(f, policy, ',');
        fprintf(f, "%d,%.9g,%.9g,%.9g,%.9g,%d,%d\n", offset + i, s[i].reward, s[i].total_delay_s,
                s[i].mean_delay_s, s[i].mean_ppl, s[i].failed, s[i].local);
    }
    return ET_OK;
}
static const char EVAL_HEADER[] =
    "policy,episode,reward,total_delay_s,mean_delay_s,mean_ppl,failed,local\n";

static int cmd_eval(int argc, char **argv)
{
    run_args a;
    int rc = cli_parse_run_args(argc, argv, &a, EVAL_USAGE);
    if (rc) return rc == CLI_DONE ? 0 : rc;
    et_error err;
    et_error_clear(&err);
    if (!a.checkpoint && !a.policy)
        return cli_usage_error("eval", "%s",
                               "--checkpoint FILE is required (or --policy BASELINE)");
    if (!a.out) a.out = "out/eval";
    et_scenario sc;
    et_status st = cli_prepare_scenario(&a, &sc, &err);
    et_agent *agent = NULL;
    /* A checkpoint names its learner; without one, a baseline by name. */
    const char *vname = NULL;
    if (st == ET_OK && a.checkpoint && a.policy) {
        /* Both: the policy must be the checkpoint's learner (a baseline conflicts). */
        st = cli_make_agent(&sc, a.policy, a.checkpoint, &agent, &err);
        vname = a.policy;
    } else if (st == ET_OK && a.checkpoint) {
        st = cli_load_learned(a.checkpoint, &agent, &vname, &err);
    } else if (st == ET_OK) {
        st = cli_make_agent(&sc, sc.policy, NULL, &agent, &err);
        vname = sc.policy;
    }
    et_sim *sim = NULL;
    if (st == ET_OK)
        st = cli_open_sim(&a, NULL, 1, &sc, a.checkpoint ? agent : NULL, a.checkpoint, &sim, &err);
    int n = sc.eval_episodes;
    et_episode_stats *stats = calloc((size_t)n, sizeof *stats);
    if (st == ET_OK && !stats) st = et_error_set(&err, ET_ERR_NOMEM, "out of memory");
    et_outputs out;
    memset(&out, 0, sizeof out);
    FILE *csv = NULL;
    if (st == ET_OK) st = et_outputs_open(&out, sc.out_dir, 1, 0, &err);
    if (st == ET_OK) st = et_outputs_add(&out, "eval.csv", &csv, &err);
    /* A learned policy's decision log covers every evaluation episode (its rows name the
     * episode); the episodes, in their child processes, decide through the wrapper. */
    et_agent *logged = NULL;
    if (st == ET_OK && sc.write_decisions && a.checkpoint) {
        FILE *df = NULL;
        st = et_outputs_add(&out, "decisions.csv", &df, &err);
        if (st == ET_OK) et_decisions_header(df);
        if (st == ET_OK) st = et_decisions_wrap(agent, df, &logged, &err);
    }
    if (st == ET_OK)
        st = et_train_evaluate(sim, logged ? logged : agent, n, sc.eval_offset, stats, out.tasks,
                               &err);
    et_agent_destroy(logged);
    const char *source = a.checkpoint ? a.checkpoint : "(baseline)";
    if (st == ET_OK) {
        fputs(EVAL_HEADER, csv);
        write_eval_csv(csv, vname, stats, n, sc.eval_offset);
        metric r = summarise(stats, n, 0), d = summarise(stats, n, 1), q = summarise(stats, n, 2);
        cJSON *res = cJSON_CreateObject();
        if (res) {
            cJSON_AddStringToObject(res, "policy", vname);
            cJSON_AddStringToObject(res, "checkpoint", source);
            cJSON_AddNumberToObject(res, "episodes", n);
            cJSON_AddNumberToObject(res, "reward_mean", r.mean);
            cJSON_AddNumberToObject(res, "reward_std", r.std);
            cJSON_AddNumberToObject(res, "total_delay_mean_s", d.mean);
            cJSON_AddNumberToObject(res, "total_delay_std_s", d.std);
            cJSON_AddNumberToObject(res, "ppl_mean", q.mean);
            cJSON_AddNumberToObject(res, "ppl_std", q.std);
        }
        char *summary = cli_summary_json(&sc, res, argc, argv);
        st = !summary ? et_error_set(&err, ET_ERR_NOMEM, "out of memory")
                      : cli_interrupted_when("after the last evaluation episode", &err);
        if (st == ET_OK)
            st = et_outputs_commit(&out, summary, &err);
        else
            et_outputs_abort(&out);
        free(summary);
        if (st == ET_OK && !a.quiet)
            fprintf(stdout,
                    "edgetune: %s from %s on %d evaluation episodes\n"
                    "  episodic reward %.3f +- %.3f\n  total delay     %.1f +- %.1f s\n"
                    "  mean perplexity %.3f +- %.3f\n  outputs in %s/\n",
                    vname, source, n, r.mean, r.std, d.mean, d.std, q.mean, q.std, sc.out_dir);
    } else {
        et_outputs_abort(&out);
    }
    free(stats);
    et_sim_destroy(sim);
    et_agent_destroy(agent);
    return st == ET_OK ? 0 : cli_fail_run(&err, sc.out_dir);
}

CLI_COMMAND(eval, "eval [SCENARIO]", "evaluate a trained checkpoint on unseen episodes", EVAL_USAGE,
            cmd_eval, " --checkpoint --policy --episodes ", 0);
