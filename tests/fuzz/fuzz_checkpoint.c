/* fuzz_checkpoint.c: a learner checkpoint through et_hmppo_load. The size field and the
 * trailing FNV-1a checksum are set to match the input first (docs/hmppo.md gives the
 * format), so that mutations reach the configuration and the networks behind them. */
#include <string.h>

#include "agent.h"
#include "fuzz_common.h"
#include "hmppo.h"

#define PREFIX 20 /* magic (8), version (4), total size (8) */

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int k = 0; k < 8; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) return 0;
    memcpy(copy, data, size);
    if (size >= PREFIX + 8) {
        put_u64(copy + 12, (uint64_t)size);
        uint64_t h = 0xcbf29ce484222325ULL;
        for (size_t k = 0; k < size - 8; k++)
            h = (h ^ copy[k]) * 0x100000001b3ULL;
        put_u64(copy + size - 8, h);
    }
    const char *path = fuzz_file(copy, size, ".ckpt");
    free(copy);
    et_agent *agent = NULL;
    et_error err;
    et_error_clear(&err);
    if (et_hmppo_load(path, &agent, NULL, 0, &err) != ET_OK) {
        if (!err.msg[0]) abort();
        return 0;
    }
    et_agent_destroy(agent);
    return 0;
}
