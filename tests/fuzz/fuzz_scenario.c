/* fuzz_scenario.c: scenario JSON through et_scenario_load (syntax, every key's type and
 * range, sections, cross-key checks), then the resolved scenario back to JSON. */
#include <cJSON.h>

#include "fuzz_common.h"
#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".json");
    et_scenario sc;
    et_error err;
    et_error_clear(&err);
    if (et_scenario_load(path, ET_SOURCE_DIR, &sc, &err) == ET_OK) {
        char *text = et_scenario_to_json(&sc);
        free(text);
    } else if (!err.msg[0]) {
        abort(); /* an error must say what is wrong */
    }
    return 0;
}
