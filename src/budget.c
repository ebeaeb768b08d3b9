/* budget.c: the up-front estimate of a run's simulated time and output (see budget.h). */
#include "budget.h"

#include <math.h>
#include <stdio.h>

#include <simgrid/host.h>
#include <simgrid/link.h>

#include "cost.h"
#include "fm.h"
#include "platform.h"

/* Default limits (the key table's defaults), for the warning when limits are off. */
#define DEFAULT_SIM_TIME_S 1e7
#define DEFAULT_OUTPUT_BYTES 1e9

/* The highest rate, bit/s, UE ue can get in direction up (1) or down (0). */
static double peak_bps(const et_sim *sim, int ue, int up)
{
    const et_sim_params *sc = et_sim_get_params(sim);
    const et_topology *t = et_sim_topology(sim);
    const et_ue_host *h = &t->ues[ue];
    if (t->access == ET_ACCESS_WIFI) {
        double best = 0;
        for (int k = 0; k < t->n_wifi_levels; k++)
            best = fmax(best, t->wifi_rate_bps[k]);
        return best;
    }
    if (!sc->channel_enabled) {
        sg_link_t link = up ? h->link_up : h->link_down;
        return link ? sg_link_get_bandwidth(link) * 8.0 : 0;
    }
    return fmax(et_sim_peak_bps(sim, ue, up), sc->channel.min_rate_bps);
}

/* Seconds to move bytes at bps (bit/s). */
static double xfer_s(double bytes, double bps)
{
    return bps > 0 ? 8.0 * bytes / bps : INFINITY;
}

/* UE ue's time for a task of tokens x epochs decided as loc, amortising the emulator
 * download over the UE's queue; 0 for a LOCAL task that does not fit (it fails at once). */
static double task_s(const et_sim *sim, int ue, et_location loc, double tokens, double epochs)
{
    const et_sim_params *sc = et_sim_get_params(sim);
    const et_topology *t = et_sim_topology(sim);
    const et_ue_host *h = &t->ues[ue];
    et_cost c;
    et_cost_task(et_sim_fm(sim), et_sim_cost_setup(sim), loc, sc->k_min, tokens, epochs, &c);
    if (loc == ET_LOCATION_LOCAL && c.memory_bytes > h->memory_bytes) return 0;
    double up = peak_bps(sim, ue, 1), down = peak_bps(sim, ue, 0);
    const et_server_host *srv = &t->servers[h->server];
    /* Every message pays the route's latency once (a 1e9 s link makes a task last as long):
     * the emulator's request and reply (amortised), the upload, the load query's round trip
     * (server.load_info query) and, offloaded, the result. */
    double lat = sg_host_get_route_latency(h->host, srv->host);
    double msgs = 2.0 / sc->tasks_per_ue + 1 + (sc->load_query ? 2 : 0);
    if (loc != ET_LOCATION_LOCAL) msgs += 1;
    double download = et_cost_download_bytes(et_sim_fm(sim), &c, 0, 0);
    double s = (xfer_s(sc->control_bytes, up) + xfer_s(download, down)) / sc->tasks_per_ue;
    s += xfer_s(sc->control_bytes + c.upload_bytes, up) + msgs * lat;
    if (loc == ET_LOCATION_LOCAL) return s + c.flops / h->speed_flops;
    double back = c.result_down_bytes > 0 ? c.result_down_bytes : sc->control_bytes;
    return s + c.flops / srv->core_flops + xfer_s(back, down);
}

/* The expected wait for ON of a task due a time L = gap + task after its UE's previous one
 * started (in an ON period), under the on/off process (tasks.burst_on_s, burst_off_s): the
 * process is OFF at L with probability off/(on+off) (1 - exp(-L (1/on + 1/off))) (a two-state
 * Markov chain started ON), and the OFF period then lasts off more on average (memoryless).
 * 0 without bursts. */
static double burst_wait_s(const et_sim_params *sc, double task_s)
{
    double on = sc->burst_on_s, off = sc->burst_off_s;
    if (!(on > 0 && off > 0)) return 0;
    double L = sc->gap_mean_s + task_s;
    return off * off / (on + off) * -expm1(-L * (1 / on + 1 / off));
}

void et_budget_estimate(const et_sim *sim, int channel_trace, et_budget *b)
{
    const et_sim_params *sc = et_sim_get_params(sim);
    int n = et_sim_ue_count(sim);
    /* A task of the mean size: log-uniform tokens, uniform epochs. */
    double lo = sc->tokens_min, hi = sc->tokens_max;
    double tokens = hi > lo ? (hi - lo) / log(hi / lo) : lo;
    double epochs = 0.5 * (sc->epochs_min + sc->epochs_max);
    *b = (et_budget){0};
    int want = sc->channel_trace_ues > 0 && sc->channel_trace_ues < n ? sc->channel_trace_ues : n;
    int traced_k = 0; /* the next traced UE is floor(traced_k n / want), as in sim.c */
    for (int i = 0; i < n; i++) {
        double local = task_s(sim, i, ET_LOCATION_LOCAL, tokens, epochs);
        double server = task_s(sim, i, ET_LOCATION_SERVER, tokens, epochs);
        double per_task = fmin(local, server);
        double episode =
            sc->tasks_per_ue * (sc->gap_mean_s + per_task + burst_wait_s(sc, per_task));
        if (episode > b->sim_time_s || i == 0) {
            b->sim_time_s = episode;
            b->task_s = per_task;
            b->slowest_ue = i;
        }
        if (traced_k < want && i == (int)((long long)traced_k * n / want)) {
            traced_k++;
            if (channel_trace && sc->channel_enabled)
                b->channel_rows +=
                    1.0 + floor(episode / sc->update_interval_s / sc->channel_trace_every);
        }
    }
    b->output_bytes = b->channel_rows * ET_BUDGET_CHANNEL_ROW_BYTES +
                      (double)n * sc->tasks_per_ue * ET_BUDGET_TASK_ROW_BYTES;
}

et_status et_budget_check(const et_sim *sim, const et_budget *b, int writes_traces, char *warning,
                          size_t size, et_error *err)
{
    const et_sim_params *sc = et_sim_get_params(sim);
    const char *ue = et_sim_topology(sim)->ues[b->slowest_ue].name;
    double t_lim = sc->limit_sim_time_s, o_lim = writes_traces ? sc->limit_output_bytes : 0;
    if (size > 0) warning[0] = '\0';
    if (t_lim > 0 && b->sim_time_s > t_lim && sc->burst_off_s > 0)
        return et_error_set(
            err, ET_ERR_INPUT,
            "%s: key 'limits.sim_time_s': an episode is expected to last %.3g simulated s "
            "(UE %s: tasks.per_ue %d x (tasks.gap_mean_s %.3g s + at least %.3g s per task + "
            "the expected wait for an ON period, tasks.burst_on_s %.3g s, tasks.burst_off_s %.3g "
            "s)), more than the limit of %.3g s; shorten the episode (tasks.per_ue, "
            "tasks.gap_mean_s, tasks.burst_off_s, tasks.tokens_max, tasks.bytes_per_token, the "
            "platform's latencies) or raise the limit (0 = none)",
            sc->source, b->sim_time_s, ue, sc->tasks_per_ue, sc->gap_mean_s, b->task_s,
            sc->burst_on_s, sc->burst_off_s, t_lim);
    if (t_lim > 0 && b->sim_time_s > t_lim)
        return et_error_set(
            err, ET_ERR_INPUT,
            "%s: key 'limits.sim_time_s': an episode is expected to last %.3g simulated s "
            "(UE %s: tasks.per_ue %d x (tasks.gap_mean_s %.3g s + at least %.3g s per task)), "
            "more than the limit of %.3g s; shorten the episode (tasks.per_ue, tasks.gap_mean_s, "
            "tasks.tokens_max, tasks.bytes_per_token, the platform's latencies) or raise the "
            "limit (0 = none)",
            sc->source, b->sim_time_s, ue, sc->tasks_per_ue, sc->gap_mean_s, b->task_s, t_lim);
    if (o_lim > 0 && b->output_bytes > o_lim)
        return et_error_set(
            err, ET_ERR_INPUT,
            "%s: key 'limits.output_bytes': the run is expected to write %.3g bytes (%.3g "
            "channel.csv rows over %.3g simulated s), more than the limit of %.3g bytes; trace "
            "less (output.channel_every, output.channel_ues, output.channel_trace) or raise the "
            "limit (0 = none)",
            sc->source, b->output_bytes, b->channel_rows, b->sim_time_s, o_lim);
    /* Near a limit (a quarter of it: the estimate is optimistic), or far beyond the default
     * limits when they are off. */
    double t_warn = t_lim > 0 ? t_lim / 4 : 10 * DEFAULT_SIM_TIME_S;
    double o_warn = o_lim > 0 ? o_lim / 4 : 10 * DEFAULT_OUTPUT_BYTES;
    if (size == 0) return ET_OK;
    if (b->sim_time_s > t_warn)
        snprintf(warning, size,
                 "an episode is expected to last %.3g simulated s (limits.sim_time_s: %.3g%s)",
                 b->sim_time_s, t_lim, t_lim > 0 ? "; the run may stop there" : ", no limit");
    else if (writes_traces && b->output_bytes > o_warn)
        snprintf(warning, size,
                 "the run is expected to write %.3g bytes (limits.output_bytes: %.3g%s)",
                 b->output_bytes, o_lim, o_lim > 0 ? "; the run may stop there" : ", no limit");
    return ET_OK;
}
