/* fuzz_trace.c: a mobility trace CSV through et_mobility_trace_load, then every UE of a
 * trace that loads walked through it (positions interpolated between its rows). */
#include <math.h>

#include "fuzz_common.h"
#include "mobility.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".csv");
    et_mobility_trace *trace = NULL;
    et_error err;
    et_error_clear(&err);
    if (et_mobility_trace_load(path, &trace, &err) != ET_OK) {
        if (!err.msg[0]) abort();
        return 0;
    }
    et_mobility_params p;
    et_mobility_params_default(&p);
    p.model = ET_MOBILITY_TRACE;
    int n = et_mobility_trace_ue_count(trace);
    for (int ue = 0; ue < n && ue < 64; ue++) {
        et_mobility_state st;
        et_mobility_init(&st, &p, ue, 0, 0, 1);
        for (double t = 0; t < 100; t += 7.5) {
            et_mobility_step(&st, &p, trace, ue, t, 7.5);
            if (!isfinite(st.x_m) || !isfinite(st.y_m)) abort();
        }
    }
    et_mobility_trace_destroy(trace);
    return 0;
}
