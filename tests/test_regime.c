/* test_regime.c: the shipped default scenario exercises both decisions
 * (DESIGN: where to tune and how compressed the emulator is must both
 * matter), measured by the per-task hindsight oracle of src/regime.c. */
#include <stdio.h>
#include <string.h>

#include "et_test.h"
#include "isolate.h"
#include "platform.h"
#include "regime.h"
#include "scenario.h"
#include "edgetune.h"

typedef struct regime_case {
    const char *platform; /* NULL: the scenario's */
    int version1;         /* version 1's model settings */
    int episodes;
} regime_case;

/* In a child process (one platform per engine): the regime of the default
 * scenario, optionally with version 1's settings. */
static et_status measure(void *ctx, void *result, et_error *err)
{
    const regime_case *rc = ctx;
    char arg0[] = "test_regime", arg1[] = "--log=root.thres:critical";
    char *argv[] = {arg0, arg1, NULL};
    int argc = 2;
    et_scenario sc;
    et_status st = et_scenario_load(et_test_source_path("examples/default.json"),
                                    et_test_source_path(""), &sc, err);
    if (st != ET_OK) return st;
    if (rc->platform) snprintf(sc.platform, sizeof sc.platform, "%s", rc->platform);
    if (rc->version1) {
        sc.tunes_on = ET_FM_TUNES_ON_EMULATOR;
        sc.k_max = 1.0;
        sc.lora_savings = 0;
        sc.result_mode = ET_RESULT_FULL;
        sc.radio_sharing = ET_SHARING_DEDICATED;
        sc.w_privacy = 0;
    }
    et_sim *sim = NULL;
    st = et_engine_init(&argc, argv, NULL, err);
    if (st == ET_OK) st = et_sim_create(&sc, &sim, err);
    if (st == ET_OK) st = et_regime_measure(sim, &sc, rc->episodes, sc.validation_offset, result, err);
    et_sim_destroy(sim);
    return st;
}

static et_regime run_case(const regime_case *rc)
{
    static et_regime r;
    et_error err;
    et_error_clear(&err);
    memset(&r, 0, sizeof r);
    et_status st = et_isolate_run(measure, (void *)rc, &r, sizeof r, "regime", &err);
    if (st != ET_OK) fprintf(stderr, "\n  regime: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(st, ET_OK);
    return r;
}

/* The acceptance rule of the study model: the oracle picks each location for
 * at least 20% of tasks, and the best fixed keep fraction for LOCAL lies
 * strictly inside (k_min, k_max). */
static void the_default_scenario_exercises_location_and_emulator_size(void)
{
    regime_case rc = {.episodes = 3};
    et_regime r = run_case(&rc);
    fprintf(stderr, "\n  LOCAL wins %.1f%% of %d tasks; best fixed LOCAL b = %d (options %d..%d) ",
            100 * r.frac_local, r.tasks, r.options[r.best_fixed].b, r.options[1].b,
            r.options[r.n_options - 1].b);
    CU_ASSERT(r.tasks == 3 * 6 * 50);
    CU_ASSERT(r.frac_local >= 0.2);
    CU_ASSERT(r.frac_local <= 0.8);
    CU_ASSERT(r.interior);
    CU_ASSERT(r.best_fixed > 1 && r.best_fixed < r.n_options - 1);
}

/* The same measurement flags version 1's default for what it was: with a
 * 4 x 125 TFLOP/s server and location-independent quality, offloading wins
 * almost every task. */
static void version_1_on_the_old_server_offloads_almost_everything(void)
{
    const char *dir = et_test_tmpdir("regime_v1");
    static char platform[4200];
    snprintf(platform, sizeof platform, "%s/v1.xml", dir);
    et_platform_spec spec;
    et_platform_spec_default(&spec, 6, ET_ACCESS_OFDMA);
    spec.server_core_flops = 1.25e14;
    spec.server_cores = 4;
    FILE *f = fopen(platform, "w");
    CU_ASSERT_FATAL(f != NULL);
    et_error err;
    CU_ASSERT_FATAL(et_platform_write(f, &spec, &err) == ET_OK);
    fclose(f);
    regime_case rc = {.platform = platform, .version1 = 1, .episodes = 1};
    et_regime r = run_case(&rc);
    fprintf(stderr, "\n  version 1: LOCAL wins %.1f%% of tasks ", 100 * r.frac_local);
    CU_ASSERT(r.frac_local < 0.1);
}

int main(void)
{
    static const et_test_case cases[] = {
        {"the_default_scenario_exercises_location_and_emulator_size",
         the_default_scenario_exercises_location_and_emulator_size},
        {"version_1_on_the_old_server_offloads_almost_everything",
         version_1_on_the_old_server_offloads_almost_everything},
        {NULL, NULL},
    };
    return et_test_main("regime", cases);
}
