/* registry.h: every policy edgetune knows, one row each.
 *
 * A row says everything about a policy: its name, whether it is learned (and
 * which learner variant) or a baseline (and its constructor), which free
 * parameter a study tunes for it, and one line of description. The CLI's
 * policy list, the trainer, the study's baseline set and tuning, and the
 * checkpoint-to-name mapping all read these rows; nothing else names policies.
 * A policy of one's own needs no row: fill an et_agent (agent.h) and pass it to
 * the simulator (examples/own_policy.c). */
#ifndef ET_REGISTRY_H
#define ET_REGISTRY_H

#include <stddef.h>

#include "agent.h"
#include "edgetune_export.h"
#include "hmppo.h"

ET_API_BEGIN

/* What a study tunes on validation episodes before comparing a baseline. */
typedef enum et_policy_tuning {
    ET_TUNE_NONE = 0,          /* no free parameter */
    ET_TUNE_KEEP = 1,          /* the keep fraction, over every emulator size */
    ET_TUNE_KEEP_EMULATOR = 2, /* the keep fraction, only when the server tunes on an emulator */
    ET_TUNE_RULE = 3,          /* tuned-static: which device classes tune locally, and the keep */
    ET_TUNE_DYNAMIC = 4,       /* tuned-dynamic: per device class, the load threshold and the keep,
                                  by coordinate search from tuned-static's optimum (src/run/tune.h) */
} et_policy_tuning;

typedef struct et_policy_info {
    const char *name;
    int learned;              /* 1: trained by edgetune train, loaded from a checkpoint */
    et_hmppo_variant variant; /* learned policies: the learner */
    et_policy_tuning tuning;  /* baselines: what a study tunes */
    const char *summary;      /* one line, for edgetune policies */
} et_policy_info;

/* Every policy, in the order users see them listed; *n gets the count. */
const et_policy_info *et_policy_list(size_t *n);

/* The row called name, or NULL. */
const et_policy_info *et_policy_find(const char *name);

/* The learned policy of a learner variant, or NULL. */
const et_policy_info *et_policy_of_variant(et_hmppo_variant variant);

/* "a, b, c": the names of the rows with learned == want_learned (-1: all), for messages. */
void et_policy_names_text(int want_learned, char *buf, size_t size);

ET_API_END

#endif
