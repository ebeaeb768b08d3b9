/* cost.c: task costs for a decision (see cost.h). */
#include "cost.h"

#include <math.h>

void et_cost_task(const et_fm *fm, const et_cost_setup *s, et_location loc, double keep,
                  double tokens, double epochs, et_cost *out)
{
    int b = et_fm_blocks_for_keep_range(fm, keep, s->k_min, s->k_max);
    /* Version 1 let LoRA shrink only what is returned. */
    int lora_work = s->lora && s->lora_savings;
    double result_bytes = et_fm_result_bytes(fm, s->lora);
    *out = (et_cost){0};
    if (loc == ET_LOCATION_LOCAL) {
        out->b = b;
        out->flops = et_fm_local_flops(fm, b, tokens, epochs, lora_work);
        out->memory_bytes = et_fm_local_memory_bytes(fm, b, s->seq_tokens, lora_work);
        out->upload_bytes = result_bytes;
        out->ppl = s->data_quality ? et_fm_ppl_plug_data(fm, b, tokens * epochs)
                                   : et_fm_ppl_plug(fm, b);
        out->keep_effective = 1;
        /* An adapter that leaves the model worse than untuned is not deployed (version 2's
         * curve passes the zero-shot value at the smallest emulators of some profiles, e.g.
         * BLOOM-7.1B): the task yields at worst the untuned quality. */
        out->ppl = fmin(out->ppl, et_cost_untuned_ppl(fm));
        return;
    }
    /* SERVER: the data set goes up; the server tunes against the full middle
     * block (version 2) or against the UE's emulator b (version 1, which
     * then needs that emulator on the UE too, so that the adapter matches). */
    int on_emulator = s->tunes_on == ET_FM_TUNES_ON_EMULATOR;
    out->b = on_emulator ? b : 0;
    out->flops = et_fm_server_flops(fm, s->tunes_on, b, tokens, epochs, lora_work);
    out->upload_bytes = tokens * s->bytes_per_token;
    out->result_down_bytes = s->server_returns_result ? result_bytes : 0.0;
    out->ppl = s->data_quality
                   ? et_fm_ppl_plug_data(fm, et_fm_server_blocks(fm, s->tunes_on, b),
                                         tokens * epochs)
                   : et_fm_server_ppl(fm, s->tunes_on, b);
    out->ppl = fmin(out->ppl, et_cost_untuned_ppl(fm));
    out->exposed_bytes = out->upload_bytes;
    out->keep_effective = on_emulator;
}

double et_cost_download_bytes(const et_fm *fm, const et_cost *c, int cached_b, int adapter_cached)
{
    if (c->b <= 0) return 0.0;
    double bytes = c->b != cached_b ? et_fm_emulator_bytes(fm, c->b) : 0.0;
    if (!adapter_cached) bytes += et_fm_adapter_bytes(fm);
    return bytes;
}

double et_cost_untuned_ppl(const et_fm *fm)
{
    return et_fm_ppl_untuned(fm);
}

double et_cost_exposure(const et_cost *c, double sensitivity, double bytes_ref)
{
    return bytes_ref > 0.0 ? sensitivity * c->exposed_bytes / bytes_ref : 0.0;
}

double et_cost_reward(const et_reward_weights *w, double delay_s, double ppl, double exposure)
{
    return -(w->w_delay * delay_s / w->delay_ref_s + w->w_ppl * ppl / w->ppl_ref +
             w->w_privacy * exposure);
}

double et_cost_fail_reward(const et_reward_weights *w, double delay_s, double deadline_s,
                           double untuned_ppl, double worst_exposure)
{
    double charged_s = deadline_s > 0 ? fmax(delay_s, deadline_s) : delay_s;
    return et_cost_reward(w, charged_s, untuned_ppl, worst_exposure) - w->fail_penalty;
}

/* Seconds to move bytes at rate_bps after latency_s (0 bytes: nothing to move). */
static double best_transfer_s(double bytes, double rate_bps, double latency_s)
{
    if (bytes <= 0) return 0.0;
    return rate_bps > 0 ? latency_s + bytes * 8.0 / rate_bps : INFINITY;
}

double et_cost_best_case_s(const et_fm *fm, const et_cost_setup *s, const et_best_case_env *env,
                           double tokens, double epochs)
{
    double best = INFINITY;
    et_cost c;
    /* SERVER: request with the data set up, the job alone on one accelerator, the result
     * (or a notice) down. */
    et_cost_task(fm, s, ET_LOCATION_SERVER, s->k_max, tokens, epochs, &c);
    double server_mem = et_fm_local_memory_bytes(fm, et_fm_server_blocks(fm, s->tunes_on, c.b),
                                                 s->seq_tokens, s->lora && s->lora_savings);
    if ((env->server_memory_bytes <= 0 || server_mem <= env->server_memory_bytes) &&
        env->server_speed_flops > 0) {
        double down = c.result_down_bytes > 0 ? c.result_down_bytes : env->control_bytes;
        double t = best_transfer_s(env->control_bytes + c.upload_bytes, env->peak_up_bps,
                                   env->latency_up_s) +
                   c.flops / env->server_speed_flops +
                   best_transfer_s(down, env->peak_down_bps, env->latency_down_s) +
                   best_transfer_s(et_cost_download_bytes(fm, &c, 0, 0), env->peak_down_bps,
                                   env->latency_down_s);
        best = fmin(best, t);
    }
    /* LOCAL at each allowed b that fits: the emulator and adapter down, tuning, the result
     * up. */
    int b_min, b_max;
    et_fm_blocks_range(fm, s->k_min, s->k_max, &b_min, &b_max);
    for (int b = b_min; b <= b_max && env->ue_speed_flops > 0; b++) {
        et_cost_task(fm, s, ET_LOCATION_LOCAL, (double)b / fm->middle_blocks, tokens, epochs, &c);
        if (c.memory_bytes > env->ue_memory_bytes) break; /* larger b need more */
        double t = best_transfer_s(env->control_bytes, env->peak_up_bps, env->latency_up_s) +
                   best_transfer_s(et_cost_download_bytes(fm, &c, 0, 0), env->peak_down_bps,
                                   env->latency_down_s) +
                   c.flops / env->ue_speed_flops +
                   best_transfer_s(env->control_bytes + c.upload_bytes, env->peak_up_bps,
                                   env->latency_up_s);
        best = fmin(best, t);
    }
    return best;
}
