/* budget.c: the up-front estimate of a simulator's run and the limits' checks on it, after
 * and before the platform loads (see budget.h; the estimate itself is budget_estimate.c). */
#include "budget.h"

#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "numtext.h"
#include "platform.h"

/* Default limits (the key table's defaults), for the warning when limits are off. */
#define DEFAULT_SIM_TIME_S 1e7
#define DEFAULT_OUTPUT_BYTES 1e9

/* UE ue's peak rate in the simulator ctx (et_budget_inputs.peak_bps). */
static double sim_peak_bps(const void *ctx, int ue, int up)
{
    return et_sim_peak_bps(ctx, ue, up);
}

void et_budget_estimate(const et_sim *sim, int channel_trace, et_budget *b)
{
    const et_budget_inputs in = {.p = et_sim_get_params(sim),
                                 .topo = et_sim_topology(sim),
                                 .n_ue = et_sim_ue_count(sim),
                                 .fm = et_sim_fm(sim),
                                 .cost = et_sim_cost_setup(sim),
                                 .peak_bps = sim_peak_bps,
                                 .ctx = sim};
    et_budget_estimate_from(&in, channel_trace, b);
}

/* The messages name p's parameters as the caller knows them (et_sim_param_key: the scenario's
 * keys under et_sim_create), never by a key of their own. */
#define KEY(field) ET_SIM_PARAM_KEY(p, field)
#define TRACE_KEY et_sim_param_key(p, ET_SIM_PARAM_CHANNEL_TRACE, "channel_trace")

/* The least memory an episode of n UEs holds: UE_BYTES per UE, the smallest measured (generated
 * metros of 100 UEs per cell, 2 tasks per UE, channel on, without channel.csv: 20.9 kB per UE at
 * 10,000 UEs, 21.4 kB at 50,000, 21.5 kB at 100,000 before the first task ended; bench/README.md,
 * "City scale"). More tasks, traces and longer queues hold more. */
#define UE_BYTES 20e3

/* Refuses, before the platform loads, an episode whose n UEs cannot fit in the machine's
 * physical memory or the process's address-space limit (ulimit -v), naming what it needs. */
static et_status memory_room(const et_sim_params *p, int n, const char *source, et_error *err)
{
    double need = n * UE_BYTES, have = 0;
    const char *what = "this machine's physical memory";
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0) have = (double)pages * (double)page;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (have <= 0 || (double)rl.rlim_cur < have)) {
        have = (double)rl.rlim_cur;
        what = "the process's address-space limit (ulimit -v)";
    }
    if (have <= 0 || need <= have) return ET_OK;
    return et_error_set(err, ET_ERR_NOMEM,
                        "%s: %d UEs need at least %.3g GiB of memory (%.0f kB per UE, the least "
                        "measured), more than the %.3g GiB of %s; simulate fewer UEs (%s) or "
                        "split the platform",
                        source, n, need / 1073741824.0, UE_BYTES / 1e3, have / 1073741824.0, what,
                        KEY(ues));
}

/* The part of an expected-duration message that bursty arrivals add (empty without them). */
static void burst_wait_clause(const et_sim_params *p, int bursty, char *out, size_t size)
{
    if (bursty)
        snprintf(out, size, " + the expected wait for an ON period, %s %.3g s, %s %.3g s",
                 KEY(burst_on_s), p->burst_on_s, KEY(burst_off_s), p->burst_off_s);
    else if (size > 0)
        out[0] = '\0';
}

et_status et_budget_check(const et_sim *sim, const et_budget *b, int writes_traces, char *warning,
                          size_t size, et_error *err)
{
    const et_sim_params *p = et_sim_get_params(sim);
    const char *ue = et_sim_topology(sim)->ues[b->slowest_ue].name;
    const char *noun = et_sim_param_noun(p);
    double t_lim = p->limit_sim_time_s, o_lim = writes_traces ? p->limit_output_bytes : 0;
    if (size > 0) warning[0] = '\0';
    if (t_lim > 0 && b->sim_time_s > t_lim) {
        char wait[300], off[80] = "";
        burst_wait_clause(p, p->burst_off_s > 0, wait, sizeof wait);
        if (p->burst_off_s > 0) snprintf(off, sizeof off, "%s, ", KEY(burst_off_s));
        return et_error_set(
            err, ET_ERR_INPUT,
            "%s: %s '%s': an episode is expected to last %.3g simulated s (UE %s: %s %d x (%s "
            "%.3g s + at least %.3g s per task%s)), more than the limit of %.3g s; shorten the "
            "episode (%s, %s, %s%s, %s, the platform's latencies) or raise the limit (0 = none)",
            p->source, noun, KEY(limit_sim_time_s), b->sim_time_s, ue, KEY(tasks_per_ue),
            p->tasks_per_ue, KEY(gap_mean_s), p->gap_mean_s, b->task_s, wait, t_lim,
            KEY(tasks_per_ue), KEY(gap_mean_s), off, KEY(tokens_max), KEY(bytes_per_token));
    }
    if (o_lim > 0 && b->output_bytes > o_lim)
        return et_error_set(
            err, ET_ERR_INPUT,
            "%s: %s '%s': the run is expected to write %.3g bytes (%.3g channel.csv rows over "
            "%.3g simulated s), more than the limit of %.3g bytes; trace less (%s, %s, %s) or "
            "raise the limit (0 = none)",
            p->source, noun, KEY(limit_output_bytes), b->output_bytes, b->channel_rows,
            b->sim_time_s, o_lim, KEY(channel_trace_every), KEY(channel_trace_ues), TRACE_KEY);
    /* Near a limit (a quarter of it: the estimate is optimistic), or far beyond the default
     * limits when they are off. */
    double t_warn = t_lim > 0 ? t_lim / 4 : 10 * DEFAULT_SIM_TIME_S;
    double o_warn = o_lim > 0 ? o_lim / 4 : 10 * DEFAULT_OUTPUT_BYTES;
    if (size == 0) return ET_OK;
    /* The likely figures (shared resources included) warn too; they never refuse. */
    const char *by = b->likely_by[0] ? b->likely_by : "";
    if (b->likely_s > t_warn) {
        snprintf(warning, size, "an episode is expected to last %.3g simulated s%s%s (%s: %.3g%s)",
                 b->likely_s, by[0] ? ", set by " : "", by, KEY(limit_sim_time_s), t_lim,
                 t_lim > 0 ? "; the run may stop there" : ", no limit");
    } else if (writes_traces && b->likely_output_bytes > o_warn) {
        char stop[200];
        snprintf(stop, sizeof stop,
                 "; the run may stop there: trace less (%s, %s) or raise the limit",
                 KEY(channel_trace_every), KEY(channel_trace_ues));
        snprintf(warning, size,
                 "the run is expected to write %.3g bytes (%.3g channel.csv rows over %.3g "
                 "simulated s%s%s; %s: %.3g%s)",
                 b->likely_output_bytes, b->likely_channel_rows, b->likely_s,
                 by[0] ? ", set by " : "", by, KEY(limit_output_bytes), o_lim,
                 o_lim > 0 ? stop : ", no limit");
    }
    return ET_OK;
}

/* ------------------------------------------------------------------------- */
/* Before the platform is loaded: from its UE count.                          */

et_status et_budget_precheck(const et_sim_params *p, int channel_trace, int writes_traces,
                             et_error *err)
{
    if (!p->platform[0] || p->tasks_per_ue < 1 || !(p->update_interval_s > 0) ||
        p->channel_trace_every < 1)
        return ET_OK; /* et_sim_create_from_params reports these */
    et_platform_census census;
    et_error scratch;
    /* The platform reads the same in any locale of the calling program (numtext.h). */
    void *saved = et_numtext_enter();
    et_status st = et_platform_precheck(p->platform, &census, &scratch);
    et_numtext_leave(saved);
    /* What the pre-check refuses, loading refuses again, after the model and the trace as
     * ever; so do fewer UE hosts than the key ues asks for (discovery). */
    if (st != ET_OK || census.n_ue == 0 || p->ues > census.n_ue) return ET_OK;
    int n = p->ues > 0 ? p->ues : census.n_ue;
    const char *source = p->source[0] ? p->source : "(parameters)";
    et_budget b;
    et_budget_estimate_lower(p, n, channel_trace, &b);
    double t_lim = p->limit_sim_time_s, o_lim = writes_traces ? p->limit_output_bytes : 0;
    int bursty = p->burst_on_s > 0 && p->burst_off_s > 0;
    const char *noun = et_sim_param_noun(p);
    if (t_lim > 0 && b.sim_time_s > t_lim) {
        char wait[300], off[80] = "";
        burst_wait_clause(p, bursty, wait, sizeof wait);
        if (bursty) snprintf(off, sizeof off, ", %s", KEY(burst_off_s));
        return et_error_set(
            err, ET_ERR_INPUT,
            "%s: %s '%s': an episode is expected to last at least %.3g simulated s (%s %d x %s%s "
            "%.3g s%s%s, before any task's own time), more than the limit of %.3g s; shorten the "
            "episode (%s, %s%s) or raise the limit (0 = none)",
            source, noun, KEY(limit_sim_time_s), b.sim_time_s, KEY(tasks_per_ue), p->tasks_per_ue,
            bursty ? "(" : "", KEY(gap_mean_s), p->gap_mean_s, wait, bursty ? ")" : "", t_lim,
            KEY(tasks_per_ue), KEY(gap_mean_s), off);
    }
    if (o_lim > 0 && b.output_bytes > o_lim)
        return et_error_set(
            err, ET_ERR_INPUT,
            "%s: %s '%s': the run is expected to write at least %.3g bytes (%d UEs x %s %d "
            "tasks.csv rows, and at least %.3g channel.csv rows), more than the limit of %.3g "
            "bytes; simulate fewer UEs or tasks (%s, %s), trace less (%s, %s, %s) or raise the "
            "limit (0 = none)",
            source, noun, KEY(limit_output_bytes), b.output_bytes, n, KEY(tasks_per_ue),
            p->tasks_per_ue, b.channel_rows, o_lim, KEY(ues), KEY(tasks_per_ue),
            KEY(channel_trace_every), KEY(channel_trace_ues), TRACE_KEY);
    st = memory_room(p, n, source, err);
    if (st != ET_OK) return st;
    return et_budget_stack_room(ET_SIM_ACTORS(n, p->share_interval_s > 0), err);
}
