/* test_cost.c: what a task costs and what failing costs (src/core/cost.h).
 *
 * The version-3 rule (docs/simulation.md, "Deadlines"): a task that fails
 * pays at least what its worst option that runs within the deadline would have cost, so
 * failing is never a policy's way out. The property test draws thousands of tasks, devices,
 * server states, radio conditions and reward weights, runs every option through the same
 * cost functions the simulator uses, and checks that every option that completes within the
 * deadline scores strictly better than failing. */
#include "cost.h"
#include "et_test.h"
#include "fm.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>

#define DRAWS 4000

static const char *const MODELS[] = {"opt-1.3b", "opt-2.7b", "opt-6.7b", "gpt2-xl", "bloom-7.1b"};
#define N_MODELS (int)(sizeof MODELS / sizeof MODELS[0])

static int load_model(const char *name, et_fm *fm)
{
    char rel[128];
    snprintf(rel, sizeof rel, "models/%s.json", name);
    et_error err;
    et_status st = et_fm_load(et_test_source_path(rel), fm, &err);
    if (st != ET_OK) fprintf(stderr, "\n  %s\n", err.msg);
    CU_ASSERT_EQUAL(st, ET_OK);
    return st == ET_OK;
}

/* A log-uniform draw in [lo, hi]. */
static double log_uniform(et_rng *r, double lo, double hi)
{
    return lo * pow(hi / lo, et_rng_uniform(r));
}

static double transfer_s(double bytes, double rate_bps)
{
    return bytes > 0 ? bytes * 8.0 / rate_bps : 0.0;
}

/* Every option that completes within its deadline beats failing, whatever the failure's
 * delay (known at once, at the deadline, or long after it). */
static void every_option_within_the_deadline_scores_better_than_failing(void)
{
    et_rng r;
    et_rng_seed(&r, 2026, 15);
    long compared = 0, violations = 0;
    for (int m = 0; m < N_MODELS; m++) {
        et_fm fm;
        if (!load_model(MODELS[m], &fm)) return;
        for (int k = 0; k < DRAWS / N_MODELS; k++) {
            et_cost_setup s = {.lora = et_rng_below(&r, 2),
                               .lora_savings = 1,
                               .tunes_on = ET_FM_TUNES_ON_FULL,
                               .server_returns_result = 1,
                               .k_min = 0.1,
                               .k_max = 0.5,
                               .seq_tokens = 512,
                               .bytes_per_token = 4,
                               .data_quality = et_rng_below(&r, 2)};
            double tokens = log_uniform(&r, 1e2, 1e6), epochs = 1 + et_rng_below(&r, 5);
            double difficulty = exp(0.3 * et_rng_normal(&r));
            et_best_case_env env = {.ue_speed_flops = log_uniform(&r, 2e11, 2e13),
                                    .ue_memory_bytes = log_uniform(&r, 2e9, 3.2e10),
                                    .server_speed_flops = log_uniform(&r, 1e13, 1e14),
                                    .server_memory_bytes = log_uniform(&r, 8e9, 8e10),
                                    .peak_up_bps = log_uniform(&r, 1e6, 1e9),
                                    .peak_down_bps = log_uniform(&r, 1e6, 2e9),
                                    .latency_up_s = 0.007,
                                    .latency_down_s = 0.007,
                                    .control_bytes = 1024};
            double best_s = et_cost_best_case_s(&fm, &s, &env, tokens, epochs);
            if (!isfinite(best_s)) continue; /* nothing can run: nothing to compare */
            double deadline_s = best_s * (1.0 + 9.0 * et_rng_uniform(&r));
            et_reward_weights w = {.w_delay = log_uniform(&r, 0.01, 10),
                                   .w_ppl = log_uniform(&r, 0.01, 10),
                                   .w_privacy = log_uniform(&r, 0.01, 10),
                                   .delay_ref_s = log_uniform(&r, 1, 1000),
                                   .ppl_ref = log_uniform(&r, 5, 50),
                                   .fail_penalty = log_uniform(&r, 0.01, 10)};
            double sensitivity = et_rng_uniform(&r), bytes_ref = 4e5;
            et_cost server;
            et_cost_task(&fm, &s, ET_LOCATION_SERVER, s.k_max, tokens, epochs, &server);
            double worst_exposure = et_cost_exposure(&server, sensitivity, bytes_ref);
            double untuned = et_cost_untuned_ppl(&fm) * difficulty;
            /* The failure: known at once, at the deadline, or late. */
            double fail_delay_s = deadline_s * 2.0 * et_rng_uniform(&r);
            double fail = et_cost_fail_reward(&w, fail_delay_s, deadline_s, untuned, worst_exposure);
            /* Every option, slowed by contention (queue wait, shared carrier and CPU). */
            int b_min, b_max;
            et_fm_blocks_range(&fm, s.k_min, s.k_max, &b_min, &b_max);
            for (int o = b_min - 1; o <= b_max; o++) {
                int local = o >= b_min;
                et_cost c;
                et_cost_task(&fm, &s, local ? ET_LOCATION_LOCAL : ET_LOCATION_SERVER,
                             local ? (double)o / fm.middle_blocks : s.k_max, tokens, epochs, &c);
                if (local && c.memory_bytes > env.ue_memory_bytes) continue;
                double slow = 1.0 + 4.0 * et_rng_uniform(&r);
                double delay_s =
                    slow * (transfer_s(et_cost_download_bytes(&fm, &c, 0, 0), env.peak_down_bps) +
                            transfer_s(c.upload_bytes, env.peak_up_bps) +
                            transfer_s(c.result_down_bytes, env.peak_down_bps) +
                            c.flops / (local ? env.ue_speed_flops : env.server_speed_flops)) +
                    (local ? 0.0 : best_s * 5.0 * et_rng_uniform(&r)); /* queue wait */
                if (delay_s > deadline_s) continue;                    /* not within it */
                double ran = et_cost_reward(&w, delay_s, c.ppl * difficulty,
                                            et_cost_exposure(&c, sensitivity, bytes_ref));
                compared++;
                if (!(ran > fail)) {
                    if (violations++ < 5)
                        fprintf(stderr,
                                "\n  %s tokens %.0f epochs %.0f option %s b %d: ran %.6g <= "
                                "failed %.6g",
                                fm.name, tokens, epochs, local ? "LOCAL" : "SERVER", c.b, ran,
                                fail);
                }
            }
        }
    }
    fprintf(stderr, "\n  %ld options within their deadline compared with failing ", compared);
    CU_ASSERT(compared > DRAWS); /* the draws really exercise the rule */
    CU_ASSERT_EQUAL(violations, 0);
}

/* Without a deadline (version 2) a failure is charged the time until it was known. */
static void without_a_deadline_a_failure_costs_its_own_delay(void)
{
    et_reward_weights w = {.w_delay = 1, .w_ppl = 2, .w_privacy = 1, .delay_ref_s = 100,
                           .ppl_ref = 10, .fail_penalty = 5};
    double v2 = et_cost_fail_reward(&w, 3.0, 0.0, 20.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(v2, -(3.0 / 100 + 2 * 20.0 / 10) - 5, 1e-12);
    /* With one, the deadline is the least delay charged; a later failure pays its own. */
    double early = et_cost_fail_reward(&w, 3.0, 50.0, 20.0, 0.5);
    CU_ASSERT_DOUBLE_EQUAL(early, -(50.0 / 100 + 2 * 20.0 / 10 + 0.5) - 5, 1e-12);
    double late = et_cost_fail_reward(&w, 80.0, 50.0, 20.0, 0.5);
    CU_ASSERT_DOUBLE_EQUAL(late, -(80.0 / 100 + 2 * 20.0 / 10 + 0.5) - 5, 1e-12);
}

/* The best case is the fastest option alone: the server's job at its speed when it is the
 * fastest, a LOCAL one when the server cannot hold the job. */
static void best_case_is_the_fastest_option_alone(void)
{
    et_fm fm;
    if (!load_model("opt-2.7b", &fm)) return;
    et_cost_setup s = {.lora = 1, .lora_savings = 1, .tunes_on = ET_FM_TUNES_ON_FULL,
                       .server_returns_result = 1, .k_min = 0.1, .k_max = 0.5,
                       .seq_tokens = 512, .bytes_per_token = 4, .data_quality = 1};
    et_best_case_env env = {.ue_speed_flops = 1e12, .ue_memory_bytes = 6.0 * (1 << 30),
                            .server_speed_flops = 3e13, .server_memory_bytes = 24e9,
                            .peak_up_bps = 1.48e8, .peak_down_bps = 5.92e8,
                            .latency_up_s = 0.007, .latency_down_s = 0.007,
                            .control_bytes = 1024};
    double tokens = 5e4, epochs = 2;
    et_cost server;
    et_cost_task(&fm, &s, ET_LOCATION_SERVER, 0.5, tokens, epochs, &server);
    double expected = 0.007 + (1024 + server.upload_bytes) * 8 / 1.48e8 + server.flops / 3e13 +
                      0.007 + server.result_down_bytes * 8 / 5.92e8;
    CU_ASSERT_DOUBLE_EQUAL(et_cost_best_case_s(&fm, &s, &env, tokens, epochs), expected,
                           1e-9 * expected);
    /* A server too small for the job: only LOCAL options remain, and they are slower. */
    env.server_memory_bytes = 1e9;
    double local_only = et_cost_best_case_s(&fm, &s, &env, tokens, epochs);
    CU_ASSERT(local_only > expected);
    CU_ASSERT(isfinite(local_only));
    /* Nothing fits anywhere: no best case. */
    env.ue_memory_bytes = 1e9;
    CU_ASSERT(isinf(et_cost_best_case_s(&fm, &s, &env, tokens, epochs)));
}

int main(void)
{
    static const et_test_case cases[] = {
        {"every_option_within_the_deadline_scores_better_than_failing",
         every_option_within_the_deadline_scores_better_than_failing},
        {"without_a_deadline_a_failure_costs_its_own_delay",
         without_a_deadline_a_failure_costs_its_own_delay},
        {"best_case_is_the_fastest_option_alone", best_case_is_the_fastest_option_alone},
        {NULL, NULL},
    };
    return et_test_main("cost", cases);
}
