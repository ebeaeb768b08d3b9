/* common.c: what the simulating commands share: one error line and its exit status, a signal
 * received by now, the up-front budget, SimGrid's options, and the scenario and agent a command
 * runs (cli.h). */
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

#include <cblas.h>

#include "budget.h"
#include "build_commit.h"
#include "cli.h"
#include "edgetune_cjson.h"
#include "interrupt.h"
#include "numtext.h"
#include "train.h"

int cli_fail(const et_error *err)
{
    fprintf(stderr, "edgetune: error: %s\n", err->msg);
    return et_status_exit_code(err->code);
}

/* Reports a failed simulating command: an interruption as one line saying where things
 * stand (out_dir: the directory whose previous files were kept, or NULL), anything else as
 * an error line. */
int cli_fail_run(const et_error *err, const char *out_dir)
{
    if (err->code != ET_ERR_INTERRUPTED) return cli_fail(err);
    if (out_dir)
        fprintf(stderr, "edgetune: %s; nothing written, %s/ keeps its previous files\n", err->msg,
                out_dir);
    else
        fprintf(stderr, "edgetune: %s\n", err->msg);
    return et_status_exit_code(err->code);
}

/* A signal received by now stops the command (when: "before the first episode"). */
et_status cli_interrupted_when(const char *when, et_error *err)
{
    int sig = et_interrupted();
    if (!sig) return ET_OK;
    return et_error_set(err, ET_ERR_INTERRUPTED, "interrupted by %s %s", et_interrupt_name(sig),
                        when);
}

/* Interrupted before a simulation started (the signal came while loading). */
static et_status check_interrupted(et_error *err)
{
    return cli_interrupted_when("before the first episode", err);
}

/* The up-front estimate (budget.h): refuses a scenario expected to exceed its limits,
 * warns on stderr when it comes near them. writes_traces: the command writes an
 * episode's tasks.csv and channel.csv. */
et_status cli_check_budget(const et_sim *sim, const et_scenario *sc, int writes_traces,
                           et_error *err)
{
    et_budget b;
    et_budget_estimate(sim, sc->write_channel_trace, &b);
    char warning[600];
    et_status st = et_budget_check(sim, &b, writes_traces, warning, sizeof warning, err);
    if (st == ET_OK && warning[0]) fprintf(stderr, "edgetune: warning: %s\n", warning);
    int ues, every;
    if (st == ET_OK && writes_traces && sc->write_channel_trace &&
        et_sim_channel_auto(sim, &ues, &every))
        fprintf(stderr,
                "edgetune: channel.csv traces %d of the %d UEs, every %d update%s "
                "(output.channel_sampling auto, above %d UEs; output.channel_sampling \"all\", "
                "output.channel_ues or output.channel_every choose otherwise)\n",
                ues, et_sim_ue_count(sim), every, every == 1 ? "" : "s", ET_BUDGET_AUTO_UES);
    if (st == ET_OK) st = check_interrupted(err);
    return st;
}

/* The same limits before the platform is loaded, from its UE count alone (budget.h,
 * et_budget_precheck): a platform of a million UEs takes SimGrid a minute and gigabytes to
 * load, a scenario that cannot run on it is refused at once. After et_engine_init (the
 * actors' stack size is an engine option), before et_sim_create. */
et_status cli_precheck_budget(const et_scenario *sc, int writes_traces, et_error *err)
{
    et_sim_params p;
    et_sim_params_from_scenario(sc, &p);
    et_status st = et_budget_precheck(&p, sc->write_channel_trace, writes_traces, err);
    if (st == ET_OK) st = check_interrupted(err); /* before the long load, not after it */
    return st;
}

int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
{
    /* One line of text whatever the user typed (cut at 400 bytes). */
    char shown[400];
    size_t n = et_escape(shown, sizeof shown, arg ? arg : "");
    fprintf(stderr, "edgetune %s: ", cmd);
    fprintf(stderr, fmt, shown);
    fprintf(stderr, "%s (see edgetune %s --help)\n", arg && strlen(arg) > n ? "..." : "", cmd);
    return 2;
}

/* A whole string as a plain decimal integer in [min, max] (numtext.h: not " 5", "+5" or
 * "0x10"). */
int cli_parse_long(const char *text, long min, long max, long *out)
{
    return et_numtext_long(text, min, max, out);
}

double cli_wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Starts the engine with the user's SimGrid options; after SimGrid's own help, exits 0. */
et_status cli_engine_init(run_args *a, const char *paje, et_error *err)
{
    /* SimGrid's engine installs its own SIGINT handler (it exits 1 at once, whatever is
     * half-written): ours goes back in after it. The signals wait meanwhile, so one sent
     * during the initialisation reaches our handler, not SimGrid's. */
    sigset_t stop, saved;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    sigprocmask(SIG_BLOCK, &stop, &saved);
    et_status st = et_engine_init(&a->sg_argc, a->sg_argv, paje, err);
    et_interrupt_install();
    sigprocmask(SIG_SETMASK, &saved, NULL);
    return st;
}

/* "1h02m", "3m05s" or "42s": elapsed times and ETAs in progress lines. */
void cli_fmt_duration(double s, char *out, size_t size)
{
    if (!(s >= 0) || s > 1e8) {
        snprintf(out, size, "?");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(out, size, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else if (t >= 60)
        snprintf(out, size, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(out, size, "%lds", t);
}

/* Scenario from the command line with its overrides applied and checked. */
et_status cli_prepare_scenario(const run_args *a, et_scenario *sc, et_error *err)
{
    et_status st = cli_load_scenario(a->scenario, sc, err);
    if (st != ET_OK) return st;
    if (a->policy) {
        if (!et_policy_find(a->policy)) {
            char known[256];
            et_policy_names_text(-1, known, sizeof known);
            return et_error_set(err, ET_ERR_INPUT,
                                "option --policy: unknown policy '%.200s' (known: %s)", a->policy,
                                known);
        }
        snprintf(sc->policy, sizeof sc->policy, "%s", a->policy);
    } else if (!et_policy_find(sc->policy)) {
        char known[256];
        et_policy_names_text(-1, known, sizeof known);
        return et_error_set(err, ET_ERR_INPUT, "%s: key 'policy': unknown policy '%s' (known: %s)",
                            sc->sim.source, sc->policy, known);
    }
    for (int i = 0; i < a->n_keyed; i++) {
        char source[64];
        snprintf(source, sizeof source, "option --%s", a->keyed[i].option);
        st = et_scenario_set(sc, a->keyed[i].key, a->keyed[i].text, source, err);
        if (st != ET_OK) return st;
    }
    if ((a->out && (st = cli_set_path_option(sc->out_dir, a->out, "--out", err))) ||
        (a->platform &&
         (st = cli_set_path_option(sc->sim.platform, a->platform, "--platform", err))) ||
        (a->model && (st = cli_set_path_option(sc->sim.model, a->model, "--model", err))))
        return st;
    if (a->no_channel) sc->write_channel_trace = 0;
    st = et_scenario_validate(sc, err);
    /* Commands that write: the output directory must be one, or creatable (regime writes
     * only with --out). */
    if (st == ET_OK && (strcmp(a->cmd, "regime") != 0 || a->out)) {
        char source[ET_PATH_MAX + 16];
        snprintf(source, sizeof source, a->out ? "option --out" : "%s: key 'out'", sc->sim.source);
        st = cli_check_output_path(sc->out_dir, 1, source, err);
    }
    if (st == ET_OK && a->paje) st = cli_check_output_path(a->paje, 0, "option --paje", err);
    if (st == ET_OK) st = cli_check_aliases(a, sc, err);
    return st;
}

/* A policy by name: a baseline, or a learned one from its checkpoint. */
/* Loads a checkpoint's learned policy in evaluation mode; *name gets its learner's name. */
et_status cli_load_learned(const char *checkpoint, et_agent **agent, const char **name,
                           et_error *err)
{
    et_status st = et_hmppo_load(checkpoint, agent, NULL, 0, err);
    if (st != ET_OK) return st;
    et_hmppo_set_training(*agent, 0);
    const et_policy_info *held = et_policy_of_variant(et_hmppo_get_config(*agent)->variant);
    *name = held ? held->name : "?";
    return ET_OK;
}

et_status cli_make_agent(const et_scenario *sc, const char *policy, const char *checkpoint,
                         et_agent **agent, et_error *err)
{
    if (et_train_is_learned(policy)) {
        if (!checkpoint)
            return et_error_set(err, ET_ERR_INPUT,
                                "policy '%s' is learned: give its checkpoint with --checkpoint "
                                "FILE (edgetune train writes one)",
                                policy);
        const char *held = NULL;
        et_status st = cli_load_learned(checkpoint, agent, &held, err);
        if (st != ET_OK) return st;
        if (strcmp(held, policy) != 0) {
            et_agent_destroy(*agent);
            *agent = NULL;
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: holds a %s policy, not %s (drop --policy "
                                "or give the matching one)",
                                checkpoint, held, policy);
        }
        return ET_OK;
    }
    if (checkpoint)
        return et_error_set(err, ET_ERR_INPUT,
                            "conflicting options: --checkpoint %s holds a learned policy, but the "
                            "policy is the baseline '%s' (drop --policy to use the checkpoint's)",
                            checkpoint, policy);
    et_policy_params pp = {.keep = sc->sim.default_keep,
                           .seed = sc->sim.seed,
                           .rule = sc->static_rule,
                           .dynamic_rule = sc->dynamic_rule};
    et_status st = et_agent_create(policy, &pp, agent, err);
    if (st == ET_ERR_INPUT && err) {
        /* Name where the policy's settings came from. */
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        et_error_set(err, ET_ERR_INPUT, "%s: %s", sc->sim.source, msg);
    }
    return st;
}

/* The loaded checkpoint must match the simulated platform. */
et_status cli_check_agent_fits(const et_agent *agent, const et_sim *sim, const char *path,
                               et_error *err)
{
    const et_hmppo_config *cfg = et_hmppo_get_config(agent);
    if (cfg->n_ue != et_sim_ue_count(sim))
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: checkpoint was trained for %d UEs, the scenario simulates %d",
                            path, cfg->n_ue, et_sim_ue_count(sim));
    return ET_OK;
}

/* The engine (with the user's SimGrid options; paje: a Paje trace file or NULL) and the
 * simulator of sc, each refused up front when the scenario is expected to exceed its limits
 * (writes_traces: the command writes an episode's traces). agent, when not NULL, must fit the
 * simulator (cli_check_agent_fits, its checkpoint named path). */
et_status cli_open_sim(run_args *a, const char *paje, int writes_traces, const et_scenario *sc,
                       const et_agent *agent, const char *path, et_sim **sim, et_error *err)
{
    et_status st = cli_engine_init(a, paje, err);
    if (st == ET_OK) st = cli_precheck_budget(sc, writes_traces, err);
    if (st == ET_OK) st = et_sim_create(sc, sim, err);
    if (st == ET_OK && agent) st = cli_check_agent_fits(agent, *sim, path, err);
    if (st == ET_OK) st = cli_check_budget(*sim, sc, writes_traces, err);
    return st;
}

/* What produced an output: edgetune's version and commit, SimGrid's and OpenBLAS's versions and
 * the BLAS kernel OpenBLAS picked for this CPU (results of hmppo.kernel "openblas" may depend
 * on it; the default "portable" does not), and the command line. */
static cJSON *run_metadata(int argc, char **argv)
{
    cJSON *m = cJSON_CreateObject();
    char sg[32];
    et_engine_version(sg, sizeof sg);
    cJSON_AddStringToObject(m, "edgetune", ET_VERSION);
    cJSON_AddStringToObject(m, "commit", et_build_commit);
    cJSON_AddStringToObject(m, "simgrid", sg);
    cJSON_AddStringToObject(m, "openblas", openblas_get_config());
    cJSON_AddStringToObject(m, "blas_kernel", openblas_get_corename());
    cJSON *cmd = cJSON_AddArrayToObject(m, "command");
    for (int i = 0; cmd && i < argc; i++)
        cJSON_AddItemToArray(cmd, cJSON_CreateString(argv[i]));
    return m;
}

/* summary.json: {"run": metadata, "scenario": resolved keys, "result": result}, built with
 * cJSON so that any path or name stays valid JSON. Takes result (also when NULL); returns NULL
 * when out of memory. */
char *cli_summary_json(const et_scenario *sc, cJSON *result, int argc, char **argv)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *run = run_metadata(argc, argv);
    cJSON *scen = et_scenario_to_cjson(sc);
    char *text = NULL;
    if (root && run && scen && result) {
        cJSON_AddItemToObject(root, "run", run);
        cJSON_AddItemToObject(root, "scenario", scen);
        cJSON_AddItemToObject(root, "result", result);
        run = scen = result = NULL;
        text = cJSON_Print(root);
    }
    cJSON_Delete(run);
    cJSON_Delete(scen);
    cJSON_Delete(result);
    cJSON_Delete(root);
    if (!text) return NULL;
    /* A trailing newline, as the files always had. */
    size_t n = strlen(text);
    char *out = malloc(n + 2);
    if (out) {
        memcpy(out, text, n);
        out[n] = '\n';
        out[n + 1] = '\0';
    }
    free(text);
    return out;
}
