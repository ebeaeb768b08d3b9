/* test_baselines.c: the policy registry and the baseline policies
 * (agents/registry.c, agents/baselines.c). The FM profile is filled by hand
 * with OPT-1.3B numbers (docs/models.md section 4) so the test does not depend on
 * models/ or the JSON loader. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "agent.h"
#include "baselines.h"
#include "et_test.h"
#include "registry.h"

/* OPT-1.3B, 2-20-2 split: 24 blocks of 50,358,272 parameters, fp16. */
static et_fm opt_1_3b(void)
{
    et_fm fm;
    memset(&fm, 0, sizeof fm);
    strcpy(fm.name, "opt-1.3b-test");
    fm.n_blocks = 24;
    fm.width = 2048;
    fm.params_per_block = 50358272.0;
    fm.embedding_params = 102957056.0 + 4198400.0;
    fm.embeddings_in_adapter = 0;
    fm.bytes_per_param = 2.0;
    fm.adapter_bottom = 2;
    fm.adapter_top = 2;
    fm.middle_blocks = 20;
    fm.ppl_full_ft = 12.52;
    fm.ppl_full_zero_shot = 31.48;  /* Offsite-Tuning's full zero-shot (DESIGN section 3) */
    fm.ppl_data_scale_tokens = 1e5; /* the profiles' data law (docs/models.md section 9) */
    fm.ppl_data_exponent = 1.0;
    fm.ppl_beta = 0.67;
    fm.ppl_plug_beta = 0.14;
    fm.ppl_gamma = 2.0;
    fm.lora_rank = 8.0;
    /* Any plausible value: the tests below keep memory far from the limit
     * except where they mean to exceed it. */
    fm.activation_bytes_per_token = 65536.0;
    /* No optimizer-update term: the plain 6 P / 4 P rule (docs/models.md section 3), which the
     * hand computation in expected_delay_matches_hand_computation uses. */
    fm.optimizer_flops_per_param_token = 0.0;
    return fm;
}

/* The model settings of version 1, which the hand computations below use:
 * the server tunes on the UE's emulator, k up to 1, LoRA shrinks only the
 * result, 4 bytes per token uploaded. */
static et_cost_setup setup_v1 = {.lora = 0,
                                 .lora_savings = 0,
                                 .tunes_on = ET_FM_TUNES_ON_EMULATOR,
                                 .server_returns_result = 1,
                                 .k_min = 0.1,
                                 .k_max = 1.0,
                                 .seq_tokens = 512.0,
                                 .bytes_per_token = 4.0};
static et_cost_setup setup_v1_lora, setup_v1_no_data;

/* A phone-class UE in mid-cell, first task (nothing cached), server half busy. */
static et_task_view base_view(const et_fm *fm)
{
    et_task_view v;
    memset(&v, 0, sizeof v);
    v.ue = 0;
    v.n_ue = 1;
    v.tasks_per_ue = 50;
    v.tokens = 1e5;
    v.epochs = 2.0;
    v.difficulty = 1.0;
    v.data_bytes = 4e5;
    v.rate_up_bps = 20e6;
    v.rate_down_bps = 100e6;
    v.distance_m = 100.0;
    v.cached_b = 0;
    v.adapter_cached = 0;
    v.ue_speed_flops = 2e12;
    v.ue_memory_bytes = 16e9;
    v.server_core_flops = 125e12;
    v.server_cores = 4;
    v.server_jobs = 5;
    v.fm = fm;
    v.setup = &setup_v1;
    v.k_min = 0.1;
    v.k_max = 1.0;
    return v;
}

static et_agent *create_ok(const char *name, double keep, uint64_t seed)
{
    et_policy_params params = {.keep = keep, .seed = seed};
    et_agent *agent = NULL;
    et_error err;
    et_error_clear(&err);
    et_status st = et_agent_create(name, &params, &agent, &err);
    CU_ASSERT_EQUAL_FATAL(st, ET_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(agent);
    return agent;
}

static et_action decide_ok(et_agent *agent, const et_task_view *task)
{
    et_obs_view view = {.task = task, .obs = NULL, .state = NULL, .state_dim = 0};
    et_action action = {.location = ET_LOCATION_LOCAL, .keep = -1.0};
    et_error err;
    et_error_clear(&err);
    CU_ASSERT_EQUAL(agent->ops->decide(agent, &view, &action, &err), ET_OK);
    return action;
}

/* ---- registry -------------------------------------------------------- */

static void registry_creates_every_listed_policy_under_its_name(void)
{
    const char *const *names = et_agent_names();
    const char *expected[] = {"all-local",     "all-server", "random", "greedy", "tuned-static",
                              "tuned-dynamic", "hmppo",      "mappo",  "ippo"};
    int n = 0, baselines = 0;
    for (; names[n]; n++) {
        if (n < 9) CU_ASSERT_STRING_EQUAL(names[n], expected[n]);
        const et_policy_info *info = et_policy_find(names[n]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(info);
        CU_ASSERT_PTR_NOT_NULL(info->summary);
        if (info->learned) {
            /* Learned rows come from a checkpoint: the constructor says so, by name. */
            CU_ASSERT_PTR_EQUAL(et_policy_of_variant(info->variant), info);
            et_policy_params params = {.keep = 0.5, .seed = 1};
            et_agent *agent = NULL;
            et_error err;
            et_error_clear(&err);
            CU_ASSERT_EQUAL(et_agent_create(names[n], &params, &agent, &err), ET_ERR_INPUT);
            CU_ASSERT_PTR_NULL(agent);
            CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "learned"));
            continue;
        }
        baselines++;
        et_agent *agent = create_ok(names[n], 0.5, 1);
        CU_ASSERT_STRING_EQUAL(agent->ops->name, names[n]);
        CU_ASSERT_PTR_NOT_NULL(agent->ops->decide);
        CU_ASSERT_PTR_NOT_NULL(agent->ops->feedback);
        CU_ASSERT_PTR_NOT_NULL(agent->ops->episode_begin);
        CU_ASSERT_PTR_NOT_NULL(agent->ops->episode_end);
        CU_ASSERT_PTR_NOT_NULL(agent->ops->destroy);
        et_agent_destroy(agent);
    }
    CU_ASSERT_EQUAL(n, 9);
    CU_ASSERT_EQUAL(baselines, 6);
    size_t rows = 0;
    et_policy_list(&rows);
    CU_ASSERT_EQUAL(rows, 9);
    CU_ASSERT_EQUAL(et_policy_find("tuned-dynamic")->tuning, ET_TUNE_DYNAMIC);
    CU_ASSERT_PTR_NULL(et_policy_find("no-such-policy"));
}

static void registry_rejects_unknown_name_listing_known_ones(void)
{
    et_policy_params params = {.keep = 0.5, .seed = 1};
    et_agent *agent = (et_agent *)&params; /* must be reset to NULL */
    et_error err;
    et_error_clear(&err);
    CU_ASSERT_EQUAL(et_agent_create("hmppo-typo", &params, &agent, &err), ET_ERR_INPUT);
    CU_ASSERT_EQUAL(err.code, ET_ERR_INPUT);
    CU_ASSERT_PTR_NULL(agent);
    CU_ASSERT_STRING_EQUAL(err.msg, "unknown policy 'hmppo-typo' (known: all-local, all-server, "
                                    "random, greedy, tuned-static, tuned-dynamic)");

    /* Lookups are case-sensitive, like every configuration key. */
    CU_ASSERT_EQUAL(et_agent_create("Greedy", &params, &agent, &err), ET_ERR_INPUT);
    CU_ASSERT_EQUAL(et_agent_create(NULL, &params, &agent, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NULL(agent);
}

static void registry_rejects_keep_outside_zero_one(void)
{
    const char *uses_keep[] = {"all-local", "all-server", "greedy", "tuned-static",
                               "tuned-dynamic"};
    const double bad[] = {0.0, -0.2, 1.5, NAN};
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++) {
            et_policy_params params = {.keep = bad[j], .seed = 1};
            et_agent *agent = NULL;
            et_error err;
            et_error_clear(&err);
            CU_ASSERT_EQUAL(et_agent_create(uses_keep[i], &params, &agent, &err), ET_ERR_INPUT);
            CU_ASSERT_PTR_NULL(agent);
            CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'baselines.keep'"));
            CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "(0, 1]"));
        }
    /* random ignores keep, so any value is accepted. */
    et_agent_destroy(create_ok("random", 7.0, 1));
}

/* ---- all-local / all-server ------------------------------------------ */

static void fixed_policies_return_their_location_and_keep_whatever_the_view(void)
{
    et_fm fm = opt_1_3b();
    et_agent *local = create_ok("all-local", 0.4, 1);
    et_agent *server = create_ok("all-server", 0.75, 1);
    local->ops->episode_begin(local, 0, 2, 99);
    server->ops->episode_begin(server, 0, 2, 99);
    for (int i = 0; i < 3; i++) {
        et_task_view v = base_view(&fm);
        v.ue = i % 2;
        v.n_ue = 2;
        v.rate_up_bps = i == 0 ? 1e3 : 1e9; /* a view that greedy would answer differently */
        v.ue_memory_bytes = i == 1 ? 1.0 : 1e12;
        et_action a = decide_ok(local, &v);
        CU_ASSERT_EQUAL(a.location, ET_LOCATION_LOCAL);
        CU_ASSERT_DOUBLE_EQUAL(a.keep, 0.4, 0.0);
        a = decide_ok(server, &v);
        CU_ASSERT_EQUAL(a.location, ET_LOCATION_SERVER);
        CU_ASSERT_DOUBLE_EQUAL(a.keep, 0.75, 0.0);
        et_feedback fb = {.ue = v.ue, .reward = -1.0, .delay_s = 10.0};
        local->ops->feedback(local, &fb);
        server->ops->feedback(server, &fb);
    }
    local->ops->episode_end(local);
    server->ops->episode_end(server);
    et_agent_destroy(local);
    et_agent_destroy(server);
}

/* ---- random ---------------------------------------------------------- */

#define R_UES 3
#define R_TASKS 50

/* Records R_TASKS decisions per UE, the UEs interleaved task by task. */
static void record_random(uint64_t seed, uint64_t episode_seed, et_action out[R_UES][R_TASKS])
{
    et_fm fm = opt_1_3b();
    et_agent *agent = create_ok("random", 0.5, seed);
    agent->ops->episode_begin(agent, 0, R_UES, episode_seed);
    for (int t = 0; t < R_TASKS; t++)
        for (int ue = 0; ue < R_UES; ue++) {
            et_task_view v = base_view(&fm);
            v.ue = ue;
            v.n_ue = R_UES;
            v.task_index = t;
            out[ue][t] = decide_ok(agent, &v);
        }
    et_agent_destroy(agent);
}

static int same_actions(et_action a[R_UES][R_TASKS], et_action b[R_UES][R_TASKS])
{
    for (int ue = 0; ue < R_UES; ue++)
        for (int t = 0; t < R_TASKS; t++)
            if (a[ue][t].location != b[ue][t].location || a[ue][t].keep != b[ue][t].keep) return 0;
    return 1;
}

static void random_repeats_for_same_seeds_and_changes_with_either_seed(void)
{
    static et_action a[R_UES][R_TASKS], b[R_UES][R_TASKS], c[R_UES][R_TASKS], d[R_UES][R_TASKS];
    record_random(42, 7, a);
    record_random(42, 7, b);
    record_random(43, 7, c);
    record_random(42, 8, d);
    CU_ASSERT_TRUE(same_actions(a, b));
    CU_ASSERT_FALSE(same_actions(a, c));
    CU_ASSERT_FALSE(same_actions(a, d));
    /* (seed, episode seed) = (42, 7) and (7, 42) are different runs. */
    record_random(7, 42, c);
    CU_ASSERT_FALSE(same_actions(a, c));
    /* UEs draw from different streams. */
    int ue_streams_differ = 0;
    for (int t = 0; t < R_TASKS; t++)
        ue_streams_differ |= a[0][t].keep != a[1][t].keep;
    CU_ASSERT_TRUE(ue_streams_differ);
}

static void random_sequence_of_a_ue_ignores_other_ues_and_restarts_each_episode(void)
{
    et_fm fm = opt_1_3b();
    et_task_view v = base_view(&fm);
    v.n_ue = 2;
    et_agent *alone = create_ok("random", 0.5, 5);
    et_agent *mixed = create_ok("random", 0.5, 5);
    alone->ops->episode_begin(alone, 0, 2, 11);
    mixed->ops->episode_begin(mixed, 0, 2, 11);
    et_action first[20];
    for (int t = 0; t < 20; t++) {
        v.ue = 1;
        first[t] = decide_ok(alone, &v);
        v.ue = 0; /* only the mixed agent also serves UE 0, sometimes twice */
        decide_ok(mixed, &v);
        if (t % 3 == 0) decide_ok(mixed, &v);
        v.ue = 1;
        et_action m = decide_ok(mixed, &v);
        CU_ASSERT_EQUAL(m.location, first[t].location);
        CU_ASSERT_DOUBLE_EQUAL(m.keep, first[t].keep, 0.0);
    }
    /* A new episode with the same seed replays the same decisions. */
    alone->ops->episode_end(alone);
    alone->ops->episode_begin(alone, 1, 2, 11);
    v.ue = 1;
    for (int t = 0; t < 20; t++) {
        et_action again = decide_ok(alone, &v);
        CU_ASSERT_EQUAL(again.location, first[t].location);
        CU_ASSERT_DOUBLE_EQUAL(again.keep, first[t].keep, 0.0);
    }
    et_agent_destroy(alone);
    et_agent_destroy(mixed);
}

static void random_stays_in_bounds_and_uses_both_locations(void)
{
    et_fm fm = opt_1_3b();
    et_task_view v = base_view(&fm);
    v.k_min = 0.25;
    et_agent *agent = create_ok("random", 0.5, 3);
    agent->ops->episode_begin(agent, 0, 1, 1);
    int count[ET_LOCATION_COUNT] = {0, 0};
    double lo = 1.0, hi = 0.0;
    for (int i = 0; i < 2000; i++) {
        et_action a = decide_ok(agent, &v);
        CU_ASSERT(a.location == ET_LOCATION_LOCAL || a.location == ET_LOCATION_SERVER);
        if (a.location == ET_LOCATION_LOCAL || a.location == ET_LOCATION_SERVER)
            count[a.location]++;
        CU_ASSERT(a.keep >= 0.25 && a.keep <= 1.0);
        lo = fmin(lo, a.keep);
        hi = fmax(hi, a.keep);
    }
    /* 2000 fair coin flips: each side well above 800 unless the draw is broken. */
    CU_ASSERT(count[ET_LOCATION_LOCAL] > 800);
    CU_ASSERT(count[ET_LOCATION_SERVER] > 800);
    /* ...and the keep draws cover the interval, not one corner of it. */
    CU_ASSERT(lo < 0.3);
    CU_ASSERT(hi > 0.95);
    et_agent_destroy(agent);
}

static void random_serves_more_ues_than_first_allocated_and_rejects_unknown_ue(void)
{
    et_fm fm = opt_1_3b();
    et_task_view v = base_view(&fm);
    v.n_ue = 300;
    et_agent *agent = create_ok("random", 0.5, 3);
    agent->ops->episode_begin(agent, 0, 300, 1);
    v.ue = 299;
    et_action a = decide_ok(agent, &v);
    CU_ASSERT(a.keep >= v.k_min && a.keep <= 1.0);

    et_obs_view view = {.task = &v};
    et_error err;
    et_error_clear(&err);
    v.ue = 300;
    CU_ASSERT_EQUAL(agent->ops->decide(agent, &view, &a, &err), ET_ERR_INTERNAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "ue 300"));
    v.ue = -1;
    CU_ASSERT_EQUAL(agent->ops->decide(agent, &view, &a, &err), ET_ERR_INTERNAL);
    et_agent_destroy(agent);
}

/* ---- greedy and its estimator ---------------------------------------- */

static void expected_delay_matches_hand_computation(void)
{
    et_fm fm = opt_1_3b();
    et_task_view v = base_view(&fm);
    /* keep 0.5 of M = 20 -> b = 10 middle blocks.
     * emulator 10 * 50,358,272 * 2 = 1,007,165,440 B at 100 Mb/s = 80.5732352 s
     * adapter   4 * 50,358,272 * 2 =   402,866,176 B at 100 Mb/s = 32.22929408 s
     * download = 112.80252928 s (nothing cached yet)
     * FLOPs = 1e5 tokens * 2 epochs * (6 * 4 + 4 * 10) * 50,358,272 = 6.445858816e14
     * LOCAL  = 112.80252928 + 6.445858816e14 / 2e12 (322.2929408)
     *        + 402,866,176 B at 20 Mb/s (161.1464704)               = 596.24194048 s
     * SERVER = 112.80252928 + 4e5 B at 20 Mb/s (0.16)
     *        + 6.445858816e14 / (125e12 * 4 / 6) (7.7350305792)
     *        + 402,866,176 B at 100 Mb/s (32.22929408)             = 152.9268539392 s */
    double local_s = et_baseline_expected_delay_s(&v, ET_LOCATION_LOCAL, 0.5);
    double server_s = et_baseline_expected_delay_s(&v, ET_LOCATION_SERVER, 0.5);
    CU_ASSERT_DOUBLE_EQUAL(local_s, 596.24194048, 1e-9 * 596.24194048);
    CU_ASSERT_DOUBLE_EQUAL(server_s, 152.9268539392, 1e-9 * 152.9268539392);

    /* Emulator b = 10 and adapter already on the UE: no download term. */
    v.cached_b = 10;
    v.adapter_cached = 1;
    local_s = et_baseline_expected_delay_s(&v, ET_LOCATION_LOCAL, 0.5);
    CU_ASSERT_DOUBLE_EQUAL(local_s, 322.2929408 + 161.1464704, 1e-9 * 483.4394112);
    /* A different emulator is downloaded again, the adapter is not. */
    v.cached_b = 12;
    local_s = et_baseline_expected_delay_s(&v, ET_LOCATION_LOCAL, 0.5);
    CU_ASSERT_DOUBLE_EQUAL(local_s, 80.5732352 + 483.4394112, 1e-9 * 564.0126464);
}

/* Version 2: the server owns the full model, so an offloaded task needs no
 * emulator on the UE and does the work of all M middle blocks. */
static void a_server_task_on_the_full_model_downloads_no_emulator(void)
{
    et_fm fm = opt_1_3b();
    et_task_view v = base_view(&fm);
    et_cost_setup v2 = setup_v1;
    v2.tunes_on = ET_FM_TUNES_ON_FULL;
    v2.k_max = 0.5;
    v.setup = &v2;
    /* data 4e5 B at 20 Mb/s (0.16 s) + F(M = 20) / (125e12 * 4 / 6) + result at 100 Mb/s */
    double flops = et_fm_local_flops(&fm, 20, 1e5, 2.0, 0);
    double want = 0.16 + flops / (125e12 * 4.0 / 6.0) + 402866176.0 * 8 / 100e6;
    double got = et_baseline_expected_delay_s(&v, ET_LOCATION_SERVER, 0.5);
    CU_ASSERT_DOUBLE_EQUAL(got, want, 1e-9 * want);
    et_cost c;
    et_cost_task(&fm, &v2, ET_LOCATION_SERVER, 0.3, 1e5, 2.0, &c);
    CU_ASSERT_EQUAL(c.b, 0);
    CU_ASSERT_EQUAL(c.keep_effective, 0);
    CU_ASSERT(c.exposed_bytes == 4e5);
    et_cost l;
    et_cost_task(&fm, &v2, ET_LOCATION_LOCAL, 0.9, 1e5, 2.0, &l);
    CU_ASSERT_EQUAL(l.b, 10); /* k_max = 0.5 of M = 20 */
    CU_ASSERT(c.ppl < l.ppl); /* the full model tunes better than any emulator */
}

static void greedy_offloads_when_links_are_fast_and_server_idle(void)
{
    et_fm fm = opt_1_3b();
    et_task_view v = base_view(&fm);
    v.rate_up_bps = 1e9;
    v.rate_down_bps = 1e9;
    v.server_jobs = 0;
    v.ue_speed_flops = 1e12;
    et_agent *agent = create_ok("greedy", 0.5, 1);
    et_action a = decide_ok(agent, &v);
    CU_ASSERT_EQUAL(a.location, ET_LOCATION_SERVER);
    CU_ASSERT_DOUBLE_EQUAL(a.keep, 0.5, 0.0);
    et_agent_destroy(agent);
}

/* A laptop-class UE, 1 Mb/s links, 40 jobs queued on 4 cores, LoRA results,
 * emulator cached: LOCAL ~51 s against SERVER ~93 s. */
static et_task_view local_friendly_view(const et_fm *fm)
{
    et_task_view v = base_view(fm);
    v.ue_speed_flops = 15e12;
    v.ue_memory_bytes = 64e9;
    v.rate_up_bps = 1e6;
    v.rate_down_bps = 1e6;
    v.data_bytes = 4e6;
    v.server_jobs = 40;
    setup_v1_lora = setup_v1;
    setup_v1_lora.lora = 1;
    v.setup = &setup_v1_lora;
    v.cached_b = 10;
    v.adapter_cached = 1;
    return v;
}

static void greedy_tunes_locally_when_ue_fast_links_slow_and_server_busy(void)
{
    et_fm fm = opt_1_3b();
    et_task_view v = local_friendly_view(&fm);
    et_agent *agent = create_ok("greedy", 0.5, 1);
    et_action a = decide_ok(agent, &v);
    CU_ASSERT_EQUAL(a.location, ET_LOCATION_LOCAL);
    CU_ASSERT_DOUBLE_EQUAL(a.keep, 0.5, 0.0);
    et_agent_destroy(agent);
}

static void greedy_never_tunes_locally_when_memory_does_not_fit(void)
{
    et_fm fm = opt_1_3b();
    et_task_view v = local_friendly_view(&fm);
    /* 100 MB is below the 3.2 GB that the four trainable blocks alone need. */
    v.ue_memory_bytes = 1e8;
    CU_ASSERT_TRUE(isinf(et_baseline_expected_delay_s(&v, ET_LOCATION_LOCAL, 0.5)));
    et_agent *agent = create_ok("greedy", 0.5, 1);
    CU_ASSERT_EQUAL(decide_ok(agent, &v).location, ET_LOCATION_SERVER);
    /* Even when the server looks unreachable, an infeasible LOCAL is not chosen. */
    v.rate_up_bps = 0.0;
    v.rate_down_bps = 0.0;
    CU_ASSERT_EQUAL(decide_ok(agent, &v).location, ET_LOCATION_SERVER);
    et_agent_destroy(agent);
}

static void greedy_breaks_ties_toward_server(void)
{
    et_fm fm = opt_1_3b();
    et_task_view v = base_view(&fm);
    /* Same speed, same rates both ways, nothing to upload, idle server:
     * both estimates add identical terms, so they are exactly equal. */
    v.data_bytes = 0.0;
    setup_v1_no_data = setup_v1;
    setup_v1_no_data.bytes_per_token = 0.0;
    v.setup = &setup_v1_no_data;
    v.rate_up_bps = v.rate_down_bps = 50e6;
    v.ue_speed_flops = v.server_core_flops = 10e12;
    v.server_jobs = 0;
    CU_ASSERT_DOUBLE_EQUAL(et_baseline_expected_delay_s(&v, ET_LOCATION_LOCAL, 0.5),
                           et_baseline_expected_delay_s(&v, ET_LOCATION_SERVER, 0.5), 0.0);
    et_agent *agent = create_ok("greedy", 0.5, 1);
    CU_ASSERT_EQUAL(decide_ok(agent, &v).location, ET_LOCATION_SERVER);
    /* Make the UE a little faster and LOCAL wins: the test above can fail. */
    v.ue_speed_flops = 11e12;
    CU_ASSERT_EQUAL(decide_ok(agent, &v).location, ET_LOCATION_LOCAL);
    et_agent_destroy(agent);
}

/* tuned-static: the listed classes tune locally with the rule's keep, the
 * others offload; a rule that does not parse is refused naming the key. */
static void tuned_static_follows_its_rule_per_device_class(void)
{
    et_fm fm = opt_1_3b();
    et_task_view v = base_view(&fm);
    et_policy_params params = {.keep = 0.5, .seed = 1, .rule = "local=laptop,jetson;k=0.25"};
    et_agent *agent = NULL;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_agent_create("tuned-static", &params, &agent, &err), ET_OK);
    const char *classes[4] = {"phone", "tablet", "laptop", "jetson"};
    for (int c = 0; c < 4; c++) {
        v.device_class = classes[c];
        et_action a = decide_ok(agent, &v);
        CU_ASSERT_EQUAL(a.location, c >= 2 ? ET_LOCATION_LOCAL : ET_LOCATION_SERVER);
        CU_ASSERT_DOUBLE_EQUAL(a.keep, 0.25, 0.0);
    }
    et_agent_destroy(agent);
    char rule[128];
    const char *local[2] = {"tablet", "jetson"};
    et_baseline_static_rule(rule, sizeof rule, local, 2, 0.3);
    CU_ASSERT_STRING_EQUAL(rule, "local=tablet,jetson;k=0.3");
    et_baseline_static_rule(rule, sizeof rule, NULL, 0, 0.3);
    CU_ASSERT_STRING_EQUAL(rule, "k=0.3");
    params.rule = "local=phone;k=2";
    CU_ASSERT_EQUAL(et_agent_create("tuned-static", &params, &agent, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "baselines.static_rule"));
}

/* ---- tuned-dynamic ----------------------------------------------------- */

static et_dynamic_rule dynamic_parse_ok(const char *text, double keep)
{
    et_dynamic_rule r;
    et_error err;
    et_error_clear(&err);
    et_status st = et_baseline_dynamic_parse(text, keep, &r, &err);
    if (st != ET_OK) fprintf(stderr, "\n  %s: %s\n", text ? text : "(null)", err.msg);
    CU_ASSERT_EQUAL_FATAL(st, ET_OK);
    return r;
}

/* The rule's text: classes with a threshold (or inf) and a keep; a class without k and
 * offloaded tasks take the "k=K" part (or baselines.keep); the text formats back to itself. */
static void tuned_dynamic_parses_its_rule_and_writes_it_back(void)
{
    et_dynamic_rule r = dynamic_parse_ok("laptop:q=2,k=0.25;phone:q=inf,k=0.1;jetson:q=0", 0.5);
    CU_ASSERT_EQUAL_FATAL(r.n, 3);
    CU_ASSERT_STRING_EQUAL(r.cls[0].name, "laptop");
    CU_ASSERT_EQUAL(r.cls[0].q, 2);
    CU_ASSERT_DOUBLE_EQUAL(r.cls[0].keep, 0.25, 0.0);
    CU_ASSERT_EQUAL(r.cls[1].q, ET_DYNAMIC_Q_INF);
    CU_ASSERT_DOUBLE_EQUAL(r.cls[1].keep, 0.1, 0.0);
    CU_ASSERT_EQUAL(r.cls[2].q, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.cls[2].keep, 0.5, 0.0); /* no k: baselines.keep */
    CU_ASSERT_DOUBLE_EQUAL(r.keep, 0.5, 0.0);
    CU_ASSERT_FALSE(r.keep_given);
    CU_ASSERT_EQUAL(et_baseline_dynamic_find(&r, "phone"), 1);
    CU_ASSERT_EQUAL(et_baseline_dynamic_find(&r, "tablet"), -1);
    char text[256];
    et_baseline_dynamic_format(&r, text, sizeof text);
    CU_ASSERT_STRING_EQUAL(text, "laptop:q=2,k=0.25;phone:q=inf,k=0.1;jetson:q=0,k=0.5");

    /* "k=K" alone, wherever it stands, is the default keep; k and q in either order. */
    r = dynamic_parse_ok("tablet:k=0.4,q=12;laptop:q=1;k=0.3", 0.5);
    CU_ASSERT_EQUAL_FATAL(r.n, 2);
    CU_ASSERT_EQUAL(r.cls[0].q, 12);
    CU_ASSERT_DOUBLE_EQUAL(r.cls[0].keep, 0.4, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(r.cls[1].keep, 0.3, 0.0);
    CU_ASSERT(r.keep_given);
    et_baseline_dynamic_format(&r, text, sizeof text);
    CU_ASSERT_STRING_EQUAL(text, "k=0.3;tablet:q=12,k=0.4;laptop:q=1,k=0.3");
    et_dynamic_rule again = dynamic_parse_ok(text, 0.9);
    CU_ASSERT_EQUAL(again.n, 2);
    CU_ASSERT_DOUBLE_EQUAL(again.keep, 0.3, 0.0);

    /* Empty rules offload everything; the scenario's default "k=0.5" is one. */
    CU_ASSERT_EQUAL(dynamic_parse_ok(NULL, 0.5).n, 0);
    CU_ASSERT_EQUAL(dynamic_parse_ok("", 0.5).n, 0);
    r = dynamic_parse_ok("k=0.5", 0.4);
    CU_ASSERT_EQUAL(r.n, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.keep, 0.5, 0.0);
}

static void tuned_dynamic_refuses_a_malformed_rule_naming_the_key_and_grammar(void)
{
    char long_name[64], many[1024];
    snprintf(long_name, sizeof long_name, "%s:q=1", "abcdefghijklmnopqrstuvwxyz0123456");
    many[0] = '\0';
    for (int i = 0; i <= ET_STATIC_MAX_CLASSES; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "%sc%d:q=1", i ? ";" : "", i);
    const char *bad[] = {"laptop",
                         "laptop:k=0.5",
                         "laptop:q=-1",
                         "laptop:q=1.5",
                         "laptop:q=abc",
                         "laptop:q=",
                         "laptop:q=1e3",
                         "laptop:q=1,k=0",
                         "laptop:q=1,k=1.5",
                         "laptop:q=1,k=x",
                         "laptop:q=1;laptop:q=2",
                         ":q=1",
                         "laptop:q=1;;phone:q=2",
                         "laptop:q=1,x=2",
                         "laptop:q=1,q=2",
                         "k=0.5;k=0.4",
                         "k=2",
                         "laptop:q=99999999",
                         long_name,
                         many};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        et_dynamic_rule r;
        et_error err;
        et_error_clear(&err);
        CU_ASSERT_EQUAL(et_baseline_dynamic_parse(bad[i], 0.5, &r, &err), ET_ERR_INPUT);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "key 'baselines.dynamic_rule'"));
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "CLASS:q=Q,k=K"));
        /* The constructor refuses it the same way and leaves nothing behind. */
        et_policy_params params = {.keep = 0.5, .seed = 1, .dynamic_rule = bad[i]};
        et_agent *agent = NULL;
        CU_ASSERT_EQUAL(et_agent_create("tuned-dynamic", &params, &agent, &err), ET_ERR_INPUT);
        CU_ASSERT_PTR_NULL(agent);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "policy 'tuned-dynamic'"));
    }
}

/* Load = jobs running + jobs waiting, as the UE last heard: below q the task is offloaded,
 * at or above q it is tuned locally with the class's keep; q = 0 is always local, inf
 * always offloaded, an unlisted class offloads. */
static void tuned_dynamic_offloads_below_its_threshold_and_tunes_locally_from_it(void)
{
    et_fm fm = opt_1_3b();
    et_task_view v = base_view(&fm);
    et_policy_params params = {
        .keep = 0.5, .seed = 1, .dynamic_rule = "laptop:q=2,k=0.25;phone:q=0,k=0.1;tablet:q=inf"};
    et_agent *agent = NULL;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_agent_create("tuned-dynamic", &params, &agent, &err), ET_OK);
    CU_ASSERT_STRING_EQUAL(agent->ops->name, "tuned-dynamic");
    struct {
        const char *cls;
        int jobs, queued;
        et_location want;
        double keep;
    } cases[] = {
        {"laptop", 0, 0, ET_LOCATION_SERVER, 0.5}, {"laptop", 0, 1, ET_LOCATION_SERVER, 0.5},
        {"laptop", 1, 0, ET_LOCATION_SERVER, 0.5}, {"laptop", 1, 1, ET_LOCATION_LOCAL, 0.25},
        {"laptop", 0, 2, ET_LOCATION_LOCAL, 0.25}, {"laptop", 2, 0, ET_LOCATION_LOCAL, 0.25},
        {"laptop", 7, 9, ET_LOCATION_LOCAL, 0.25}, {"laptop", -3, 1, ET_LOCATION_SERVER, 0.5},
        {"phone", 0, 0, ET_LOCATION_LOCAL, 0.1},   {"phone", 5, 5, ET_LOCATION_LOCAL, 0.1},
        {"tablet", 0, 0, ET_LOCATION_SERVER, 0.5}, {"tablet", 1000, 1000, ET_LOCATION_SERVER, 0.5},
        {"jetson", 9, 9, ET_LOCATION_SERVER, 0.5}, {NULL, 9, 9, ET_LOCATION_SERVER, 0.5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        v.device_class = cases[i].cls;
        v.server_jobs = cases[i].jobs;
        v.server_queued = cases[i].queued;
        et_action a = decide_ok(agent, &v);
        CU_ASSERT_EQUAL(a.location, cases[i].want);
        CU_ASSERT_DOUBLE_EQUAL(a.keep, cases[i].keep, 0.0);
        if (a.location != cases[i].want)
            fprintf(stderr, "\n  %s, %d running, %d waiting: wrong location\n",
                    cases[i].cls ? cases[i].cls : "(no class)", cases[i].jobs, cases[i].queued);
    }
    et_agent_destroy(agent);

    /* No rule at all: everything offloads, with baselines.keep. */
    params.dynamic_rule = NULL;
    CU_ASSERT_EQUAL_FATAL(et_agent_create("tuned-dynamic", &params, &agent, &err), ET_OK);
    v.device_class = "laptop";
    v.server_jobs = 100;
    CU_ASSERT_EQUAL(decide_ok(agent, &v).location, ET_LOCATION_SERVER);
    et_agent_destroy(agent);
}

/* tuned-dynamic with q = 0 for tuned-static's local classes and inf for the others decides
 * exactly as tuned-static: the coordinate search's start (src/run/tune.c) is that rule. */
static void tuned_dynamic_at_zero_and_inf_decides_as_tuned_static(void)
{
    et_fm fm = opt_1_3b();
    et_task_view v = base_view(&fm);
    et_policy_params sp = {.keep = 0.5, .seed = 1, .rule = "local=laptop,jetson;k=0.25"};
    et_policy_params dp = {
        .keep = 0.25, .seed = 1, .dynamic_rule = "laptop:q=0,k=0.25;jetson:q=0,k=0.25"};
    et_agent *stat = NULL, *dyn = NULL;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_agent_create("tuned-static", &sp, &stat, &err), ET_OK);
    CU_ASSERT_EQUAL_FATAL(et_agent_create("tuned-dynamic", &dp, &dyn, &err), ET_OK);
    const char *classes[4] = {"phone", "tablet", "laptop", "jetson"};
    for (int c = 0; c < 4; c++)
        for (int jobs = 0; jobs < 4; jobs++) {
            v.device_class = classes[c];
            v.server_jobs = jobs;
            v.server_queued = jobs / 2;
            et_action a = decide_ok(stat, &v), b = decide_ok(dyn, &v);
            CU_ASSERT_EQUAL(a.location, b.location);
            CU_ASSERT_DOUBLE_EQUAL(a.keep, b.keep, 0.0);
        }
    et_static_rule sr;
    CU_ASSERT_EQUAL(et_baseline_static_parse("local=laptop,jetson;k=0.25", 0.5, &sr, &err), ET_OK);
    CU_ASSERT_EQUAL(sr.n_local, 2);
    CU_ASSERT_STRING_EQUAL(sr.local[1], "jetson");
    CU_ASSERT_DOUBLE_EQUAL(sr.keep, 0.25, 0.0);
    et_agent_destroy(stat);
    et_agent_destroy(dyn);
}

int main(void)
{
    static const et_test_case cases[] = {
        {"registry_creates_every_listed_policy_under_its_name",
         registry_creates_every_listed_policy_under_its_name},
        {"registry_rejects_unknown_name_listing_known_ones",
         registry_rejects_unknown_name_listing_known_ones},
        {"registry_rejects_keep_outside_zero_one", registry_rejects_keep_outside_zero_one},
        {"fixed_policies_return_their_location_and_keep_whatever_the_view",
         fixed_policies_return_their_location_and_keep_whatever_the_view},
        {"random_repeats_for_same_seeds_and_changes_with_either_seed",
         random_repeats_for_same_seeds_and_changes_with_either_seed},
        {"random_sequence_of_a_ue_ignores_other_ues_and_restarts_each_episode",
         random_sequence_of_a_ue_ignores_other_ues_and_restarts_each_episode},
        {"random_stays_in_bounds_and_uses_both_locations",
         random_stays_in_bounds_and_uses_both_locations},
        {"random_serves_more_ues_than_first_allocated_and_rejects_unknown_ue",
         random_serves_more_ues_than_first_allocated_and_rejects_unknown_ue},
        {"expected_delay_matches_hand_computation", expected_delay_matches_hand_computation},
        {"tuned_static_follows_its_rule_per_device_class",
         tuned_static_follows_its_rule_per_device_class},
        {"a_server_task_on_the_full_model_downloads_no_emulator",
         a_server_task_on_the_full_model_downloads_no_emulator},
        {"greedy_offloads_when_links_are_fast_and_server_idle",
         greedy_offloads_when_links_are_fast_and_server_idle},
        {"greedy_tunes_locally_when_ue_fast_links_slow_and_server_busy",
         greedy_tunes_locally_when_ue_fast_links_slow_and_server_busy},
        {"greedy_never_tunes_locally_when_memory_does_not_fit",
         greedy_never_tunes_locally_when_memory_does_not_fit},
        {"greedy_breaks_ties_toward_server", greedy_breaks_ties_toward_server},
        {"tuned_dynamic_parses_its_rule_and_writes_it_back",
         tuned_dynamic_parses_its_rule_and_writes_it_back},
        {"tuned_dynamic_refuses_a_malformed_rule_naming_the_key_and_grammar",
         tuned_dynamic_refuses_a_malformed_rule_naming_the_key_and_grammar},
        {"tuned_dynamic_offloads_below_its_threshold_and_tunes_locally_from_it",
         tuned_dynamic_offloads_below_its_threshold_and_tunes_locally_from_it},
        {"tuned_dynamic_at_zero_and_inf_decides_as_tuned_static",
         tuned_dynamic_at_zero_and_inf_decides_as_tuned_static},
        {NULL, NULL},
    };
    return et_test_main("baselines", cases);
}
