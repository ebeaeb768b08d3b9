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
        out->ppl = et_fm_ppl_plug(fm, b);
        out->keep_effective = 1;
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
    out->ppl = et_fm_server_ppl(fm, s->tunes_on, b);
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
    return isfinite(fm->ppl_full_zero_shot) ? fm->ppl_full_zero_shot : fm->ppl_full_ft / 0.4;
}

double et_cost_exposure(const et_cost *c, double sensitivity, double bytes_ref)
{
    return bytes_ref > 0.0 ? sensitivity * c->exposed_bytes / bytes_ref : 0.0;
}
