/* fuzz_model.c: a foundation-model profile through et_fm_load, then the cost model over
 * both locations and the whole keep range of a profile that loads. */
#include <math.h>

#include "cost.h"
#include "fm.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".json");
    et_fm fm;
    et_error err;
    et_error_clear(&err);
    if (et_fm_load(path, &fm, &err) != ET_OK) {
        if (!err.msg[0]) abort();
        return 0;
    }
    et_cost_setup setup = {.lora = 1,
                           .lora_savings = 1,
                           .tunes_on = ET_FM_TUNES_ON_FULL,
                           .server_returns_result = 1,
                           .k_min = 0.1,
                           .k_max = 0.5,
                           .seq_tokens = 512,
                           .bytes_per_token = 4};
    for (int loc = 0; loc < 2; loc++)
        for (double keep = 0.0; keep <= 1.0; keep += 0.125) {
            et_cost c;
            et_cost_task(&fm, &setup, loc ? ET_LOCATION_SERVER : ET_LOCATION_LOCAL, keep, 1e5, 3,
                         &c);
            if (isnan(c.flops) || c.b < 0) abort(); /* a loaded profile gives a usable cost */
            (void)et_cost_download_bytes(&fm, &c, 0, 0);
        }
    (void)et_cost_untuned_ppl(&fm);
    return 0;
}
