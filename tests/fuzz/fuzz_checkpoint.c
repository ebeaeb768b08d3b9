/* fuzz_checkpoint.c: a checkpoint through et_hmppo_load and, as `edgetune train --resume`
 * reads it, et_train_checkpoint_load (the learner and the training progress behind it: the
 * episode and update counters, the ranks and their engine clocks, each range-checked). The
 * size field and the trailing FNV-1a checksum are set to match the input first (docs/hmppo.md
 * gives the format), so that mutations reach the configuration, the networks and the
 * training fields behind them. */
#include <string.h>

#include "agent.h"
#include "fuzz_common.h"
#include "hmppo.h"
#include "train.h"

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
    } else {
        et_agent_destroy(agent);
        agent = NULL;
    }
    /* The training progress: whatever loads must be what a resume can run with. */
    et_train_checkpoint info;
    et_error_clear(&err);
    if (et_train_checkpoint_load(path, &agent, &info, &err) != ET_OK) {
        if (!err.msg[0] || agent) abort();
        return 0;
    }
    if (info.episodes_done < 0 || info.episodes_done > ET_TRAIN_MAX_EPISODES ||
        info.updates_done < 0 || info.updates_done > info.episodes_done || info.ranks < 1 ||
        info.ranks > ET_TRAIN_MAX_RANKS)
        abort();
    for (int r = 0; r < info.ranks; r++)
        if (!(info.clock_s[r] >= 0 && info.clock_s[r] <= ET_TRAIN_MAX_CLOCK_S)) abort();
    et_agent_destroy(agent);
    return 0;
}
