/* test_fm.c: foundation-model profiles and the cost/quality model (src/fm.h).
 *
 * Expected values are computed here by hand from DESIGN.md section 3's
 * numbers (block and embedding parameter counts, Offsite-Tuning's WikiText-2
 * perplexities, throughputs and memory figures) and from the two fitted
 * constants documented in docs/models.md (438 B of activations per token,
 * block and unit of width; 7 FLOPs per trainable parameter and token of
 * optimizer overhead), never from the code under test. */
#include "et_test.h"
#include "fm.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Exact arithmetic (sums and products of integers below 2^53, one pow). */
#define REL_TOL 1e-9

/* DESIGN.md section 3. */
#define GPT2_XL_P_BLOCK 30740800.0
#define GPT2_XL_EMBED (80411200.0 + 1638400.0)
#define OPT_1_3B_P_BLOCK 50358272.0
#define OPT_1_3B_EMBED (102957056.0 + 4198400.0)

/* docs/models.md: the two constants fitted to Offsite-Tuning. */
#define ACT_BYTES_PER_TOKEN_BLOCK_PER_WIDTH 438.0
#define OPTIMIZER_FLOPS_PER_PARAM_TOKEN 7.0

#define MIB (1024.0 * 1024.0)

static void assert_rel(double actual, double expected, double rel_tol)
{
    CU_ASSERT_DOUBLE_EQUAL(actual, expected, rel_tol * fabs(expected));
}

/* Loads models/<name>.json, failing the test (and returning 0) on error. */
static int load_model(const char *name, et_fm *fm)
{
    char rel[128];
    snprintf(rel, sizeof rel, "models/%s.json", name);
    et_error err;
    et_status st = et_fm_load(et_test_source_path(rel), fm, &err);
    CU_ASSERT_EQUAL(st, ET_OK);
    if (st != ET_OK) {
        fprintf(stderr, "\n  %s\n", err.msg);
        return 0;
    }
    return 1;
}

/* A small valid profile: L = 12, a = c = 1, M = 10, one calibration point at
 * b = 5 (r = 0.5) with ratio 1.25, so beta = 0.25 / 0.25 = 1. Tests change one
 * key at a time. */
static const char *const toy_keys[][2] = {
    {"name", "\"toy\""},
    {"source", "\"unit test\""},
    {"blocks", "12"},
    {"width", "64"},
    {"params_per_block", "1000"},
    {"embedding_params", "500"},
    {"adapter_bottom", "1"},
    {"adapter_top", "1"},
    {"ppl_full_ft", "10"},
    {"calibration", "[{\"emulator_blocks\": 5, \"ppl_tuned\": 12.5}]"},
};
#define TOY_N_KEYS (sizeof toy_keys / sizeof toy_keys[0])

/* Writes raw text to <tmpdir>/<file_name> and returns its path (static buffer). */
static const char *write_text(const char *file_name, const char *text)
{
    static const char *dir = NULL;
    static char path[4300];
    if (!dir) {
        static char dir_buf[4096];
        const char *d = et_test_tmpdir("fm");
        snprintf(dir_buf, sizeof dir_buf, "%s", d ? d : ".");
        dir = dir_buf;
    }
    snprintf(path, sizeof path, "%s/%s", dir, file_name);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Writes the toy profile with key set to value (value NULL: key removed; a
 * key not in the toy profile is appended) and returns its path. */
static const char *write_toy(const char *file_name, const char *key, const char *value)
{
    char text[4096] = "{\n";
    int replaced = 0;
    for (size_t i = 0; i < TOY_N_KEYS; i++) {
        const char *v = toy_keys[i][1];
        if (key && strcmp(key, toy_keys[i][0]) == 0) {
            replaced = 1;
            if (!value) continue;
            v = value;
        }
        size_t len = strlen(text);
        snprintf(text + len, sizeof text - len, "    \"%s\": %s,\n", toy_keys[i][0], v);
    }
    if (key && value && !replaced) {
        size_t len = strlen(text);
        snprintf(text + len, sizeof text - len, "    \"%s\": %s,\n", key, value);
    }
    size_t len = strlen(text);
    text[len - 2] = '\n'; /* drop the trailing comma */
    text[len - 1] = '}';
    return write_text(file_name, text);
}

/* Loads path expecting ET_ERR_INPUT with a message naming the file and key. */
static void expect_input_error(const char *path, const char *key)
{
    char path_copy[4300], quoted_key[128];
    snprintf(path_copy, sizeof path_copy, "%s", path);
    snprintf(quoted_key, sizeof quoted_key, "'%s'", key);
    et_fm fm;
    et_error err;
    CU_ASSERT_EQUAL(et_fm_load(path_copy, &fm, &err), ET_ERR_INPUT);
    CU_ASSERT_EQUAL(err.code, ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path_copy));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, quoted_key));
    if (!strstr(err.msg, quoted_key)) fprintf(stderr, "\n  message was: %s\n", err.msg);
}

static void every_shipped_profile_loads_with_its_split(void)
{
    static const struct {
        const char *name;
        int blocks, width, middle;
    } expected[] = {
        {"gpt2-xl", 48, 1600, 44},  {"opt-1.3b", 24, 2048, 20},   {"opt-2.7b", 32, 2560, 28},
        {"opt-6.7b", 32, 4096, 28}, {"bloom-7.1b", 30, 4096, 26},
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        et_fm fm;
        if (!load_model(expected[i].name, &fm)) continue;
        CU_ASSERT_STRING_EQUAL(fm.name, expected[i].name);
        CU_ASSERT_EQUAL(fm.n_blocks, expected[i].blocks);
        CU_ASSERT_EQUAL(fm.width, expected[i].width);
        CU_ASSERT_EQUAL(fm.adapter_bottom, 2);
        CU_ASSERT_EQUAL(fm.adapter_top, 2);
        CU_ASSERT_EQUAL(fm.middle_blocks, expected[i].middle);
        CU_ASSERT_EQUAL(fm.n_calib, 1);
        /* 12 d^2 + 13 d per block (attention 4 d^2 + 4 d, MLP 8 d^2 + 5 d, 2 layer norms 4 d). */
        double d = expected[i].width;
        assert_rel(fm.params_per_block, 12.0 * d * d + 13.0 * d, REL_TOL);
    }
}

static void emulator_bytes_match_hand_values_for_opt_1_3b(void)
{
    et_fm fm;
    if (!load_model("opt-1.3b", &fm)) return;
    /* fp16: 2 bytes per parameter. */
    assert_rel(et_fm_emulator_bytes(&fm, 8), 8 * OPT_1_3B_P_BLOCK * 2, REL_TOL);
    assert_rel(et_fm_emulator_bytes(&fm, 8), 805732352.0, REL_TOL);
    assert_rel(et_fm_emulator_bytes(&fm, 20), 20 * OPT_1_3B_P_BLOCK * 2, REL_TOL);
    /* The adapter ships its 4 blocks and the embeddings the UE needs to run. */
    assert_rel(et_fm_adapter_bytes(&fm), (4 * OPT_1_3B_P_BLOCK + OPT_1_3B_EMBED) * 2, REL_TOL);
    assert_rel(et_fm_result_bytes(&fm, 0), 4 * OPT_1_3B_P_BLOCK * 2, REL_TOL);
    /* LoRA rank 8 on q, k, v, o of 4 blocks: 4 * 4 * 2 * 8 * 2048 * 2 bytes = 1 MiB. */
    assert_rel(et_fm_result_bytes(&fm, 1), 1048576.0, REL_TOL);
}

static void tuning_flops_match_hand_values_for_gpt2_xl(void)
{
    et_fm fm;
    if (!load_model("gpt2-xl", &fm)) return;
    double tokens = 1e5, epochs = 2;
    double per_token =
        (6 + OPTIMIZER_FLOPS_PER_PARAM_TOKEN) * 4 * GPT2_XL_P_BLOCK + 4 * 16 * GPT2_XL_P_BLOCK;
    assert_rel(et_fm_tuning_flops(&fm, 16, tokens, epochs), tokens * epochs * per_token, REL_TOL);
    /* 13 * 4 + 4 * 16 = 116 P_block per token. */
    assert_rel(et_fm_tuning_flops(&fm, 16, tokens, epochs), 2e5 * 116 * 30740800.0, REL_TOL);
    assert_rel(et_fm_full_ft_flops(&fm, tokens, epochs),
               tokens * epochs * (6 + OPTIMIZER_FLOPS_PER_PARAM_TOKEN) * 48 * GPT2_XL_P_BLOCK,
               REL_TOL);
    /* Each extra emulator block costs 4 P_block per token. */
    assert_rel(et_fm_tuning_flops(&fm, 17, tokens, epochs) -
                   et_fm_tuning_flops(&fm, 16, tokens, epochs),
               tokens * epochs * 4 * GPT2_XL_P_BLOCK, 1e-6);
}

static void zero_optimizer_overhead_gives_the_plain_6_4_rule(void)
{
    const char *path = write_toy("no_overhead.json", "optimizer_flops_per_param_token", "0");
    et_fm fm;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_fm_load(path, &fm, &err), ET_OK);
    /* Toy: a + c = 2 trainable blocks of 1000 parameters, b = 5 frozen. */
    assert_rel(et_fm_tuning_flops(&fm, 5, 100, 3), 300 * (6 * 2 * 1000 + 4 * 5 * 1000), REL_TOL);
    assert_rel(et_fm_full_ft_flops(&fm, 100, 3), 300 * 6 * 12 * 1000, REL_TOL);
}

static void ppl_reproduces_calibration_point(void)
{
    static const struct {
        const char *name;
        int b, middle;
        double ppl_ft, ppl_tuned;
    } points[] = {
        /* DESIGN.md section 3 ("tuned, on emulator"; PPL_FT is full fine-tune,
         * or "tuned, plugged in" where full fine-tune is "-"). */
        {"gpt2-xl", 16, 44, 13.58, 17.64},
        {"opt-1.3b", 8, 20, 12.52, 15.54},
        {"opt-6.7b", 18, 28, 10.78, 13.48},
        {"bloom-7.1b", 12, 26, 14.58, 22.40},
    };
    for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
        et_fm fm;
        if (!load_model(points[i].name, &fm)) continue;
        double r = 1.0 - (double)points[i].b / points[i].middle;
        double beta = (points[i].ppl_tuned / points[i].ppl_ft - 1.0) / (r * r);
        assert_rel(fm.ppl_beta, beta, REL_TOL);
        assert_rel(et_fm_ppl(&fm, points[i].b), points[i].ppl_tuned, REL_TOL);
        assert_rel(et_fm_ppl(&fm, points[i].middle), points[i].ppl_ft, REL_TOL);
    }
    /* DESIGN.md's worked figure: OPT-1.3B ratio 15.54 / 12.52 = 1.241 at r = 0.6. */
    et_fm fm;
    if (!load_model("opt-1.3b", &fm)) return;
    assert_rel(fm.ppl_beta, (15.54 / 12.52 - 1.0) / 0.36, REL_TOL);
    CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl(&fm, 8) / 12.52, 1.241, 5e-4);
}

static void opt_2_7b_borrows_opt_1_3b_relative_degradation(void)
{
    et_fm small, large;
    if (!load_model("opt-1.3b", &small) || !load_model("opt-2.7b", &large)) return;
    /* Same beta and gamma: the calibration point in opt-2.7b.json is derived
     * from OPT-1.3B's and rounded to 4 decimals. */
    assert_rel(large.ppl_beta, small.ppl_beta, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(large.ppl_gamma, small.ppl_gamma, 0.0);
    /* Between OPT-1.3B (12.52) and OPT-6.7B (10.78). */
    CU_ASSERT(large.ppl_full_ft < 12.52 && large.ppl_full_ft > 10.78);
}

static void ppl_falls_as_b_grows(void)
{
    static const char *const names[] = {"gpt2-xl", "opt-1.3b", "opt-2.7b", "opt-6.7b",
                                        "bloom-7.1b"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        et_fm fm;
        if (!load_model(names[i], &fm)) continue;
        CU_ASSERT(fm.ppl_beta > 0.0);
        for (int b = 2; b < fm.middle_blocks; b++)
            CU_ASSERT(et_fm_ppl(&fm, b + 1) < et_fm_ppl(&fm, b));
        CU_ASSERT(et_fm_ppl(&fm, 2) > fm.ppl_full_ft);
    }
}

static void several_calibration_points_fit_beta_by_least_squares(void)
{
    /* Toy M = 10: points at b = 5 (r = 0.5, ratio 1.25) and b = 2 (r = 0.8,
     * ratio 1.8). u = r^2 = 0.25, 0.64; y = ratio - 1 = 0.25, 0.8.
     * beta = (0.25 * 0.25 + 0.64 * 0.8) / (0.25^2 + 0.64^2). */
    const char *path = write_toy("two_points.json", "calibration",
                                 "[{\"emulator_blocks\": 5, \"ppl_tuned\": 12.5}, "
                                 "{\"emulator_blocks\": 2, \"ppl_tuned\": 18}]");
    et_fm fm;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_fm_load(path, &fm, &err), ET_OK);
    double beta = (0.25 * 0.25 + 0.64 * 0.8) / (0.25 * 0.25 + 0.64 * 0.64);
    assert_rel(fm.ppl_beta, beta, REL_TOL);
    CU_ASSERT_EQUAL(fm.n_calib, 2);
    assert_rel(fm.calib[1].keep, 0.2, REL_TOL);
}

static void memory_bytes_match_hand_values_for_opt_1_3b(void)
{
    et_fm fm;
    if (!load_model("opt-1.3b", &fm)) return;
    double act = ACT_BYTES_PER_TOKEN_BLOCK_PER_WIDTH * 2048; /* bytes per token per block */
    double emulator =
        16 * 4 * OPT_1_3B_P_BLOCK + 2 * (8 * OPT_1_3B_P_BLOCK + OPT_1_3B_EMBED) + act * 512 * 12;
    assert_rel(et_fm_memory_bytes(&fm, 8, 512), emulator, REL_TOL);
    double full = 16 * (24 * OPT_1_3B_P_BLOCK + OPT_1_3B_EMBED) + act * 512 * 24;
    assert_rel(et_fm_full_ft_memory_bytes(&fm, 512), full, REL_TOL);
    /* Activation memory scales with width: GPT2-XL has 438 * 1600 per token-block. */
    et_fm gpt2;
    if (!load_model("gpt2-xl", &gpt2)) return;
    assert_rel(gpt2.activation_bytes_per_token, ACT_BYTES_PER_TOKEN_BLOCK_PER_WIDTH * 1600,
               REL_TOL);
}

static void memory_model_within_25_percent_of_offsite_tuning_measurements(void)
{
    et_fm fm;
    if (!load_model("opt-1.3b", &fm)) return;
    /* Offsite-Tuning, OPT-1.3B, batch 1, block 512, 1 GPU (PyTorch "MB" = MiB). */
    double full_measured = 30458 * MIB, emulator_measured = 9336 * MIB;
    double full_model = et_fm_full_ft_memory_bytes(&fm, 512);
    double emulator_model = et_fm_memory_bytes(&fm, 8, 512);
    CU_ASSERT(fabs(full_model / full_measured - 1.0) <= 0.25);
    CU_ASSERT(fabs(emulator_model / emulator_measured - 1.0) <= 0.25);
    /* Read as 10^6-byte MB instead, the model is still within 25%. */
    CU_ASSERT(fabs(full_model / (30458 * 1e6) - 1.0) <= 0.25);
    CU_ASSERT(fabs(emulator_model / (9336 * 1e6) - 1.0) <= 0.25);
}

static void emulator_speedup_within_factor_1_5_of_measured_3_96x(void)
{
    et_fm fm;
    if (!load_model("opt-1.3b", &fm)) return;
    double measured = 5207.0 / 1316.0; /* Offsite-Tuning tokens/s, 2-8-2 vs full fine-tune */
    double model = et_fm_full_ft_flops(&fm, 1e4, 1) / et_fm_tuning_flops(&fm, 8, 1e4, 1);
    CU_ASSERT(model >= measured / 1.5 && model <= measured * 1.5);
    /* Hand value: 13 * 24 / (13 * 4 + 4 * 8) = 312 / 84. */
    assert_rel(model, 312.0 / 84.0, REL_TOL);
}

static void gpt2_xl_emulator_speedup_within_factor_1_5_of_measured_5_13x(void)
{
    et_fm fm;
    if (!load_model("gpt2-xl", &fm)) return;
    double measured = 4905.0 / 957.0; /* Offsite-Tuning tokens/s, 2-16-2 vs full fine-tune */
    double model = et_fm_full_ft_flops(&fm, 1e4, 1) / et_fm_tuning_flops(&fm, 16, 1e4, 1);
    CU_ASSERT(model >= measured / 1.5 && model <= measured * 1.5);
}

static void blocks_for_keep_rounds_and_clamps(void)
{
    et_fm opt, gpt2;
    if (!load_model("opt-1.3b", &opt) || !load_model("gpt2-xl", &gpt2)) return;
    /* OPT-1.3B: M = 20. */
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep(&opt, 0.4), 8);
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep(&opt, 0.41), 8);  /* 8.2 rounds down */
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep(&opt, 0.44), 9);  /* 8.8 rounds up */
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep(&opt, 0.375), 8); /* 7.5: half rounds up */
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep(&opt, 1.0), 20);
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep(&opt, 0.99), 20); /* 19.8 */
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep(&opt, 3.0), 20);  /* clamped to M */
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep(&opt, 0.05), 2);  /* 1 < 2: first and last kept */
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep(&opt, 0.0), 2);
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep(&opt, -1.0), 2);
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep(&opt, NAN), 2);
    /* GPT2-XL: M = 44. */
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep(&gpt2, 0.125), 6); /* 5.5 */
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep(&gpt2, 16.0 / 44.0), 16);
}

static void optional_keys_take_documented_defaults(void)
{
    const char *path = write_toy("defaults.json", NULL, NULL);
    et_fm fm;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_fm_load(path, &fm, &err), ET_OK);
    CU_ASSERT_EQUAL(err.code, ET_OK);
    CU_ASSERT_STRING_EQUAL(err.msg, "");
    CU_ASSERT_EQUAL(fm.middle_blocks, 10);
    CU_ASSERT_DOUBLE_EQUAL(fm.bytes_per_param, 2.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(fm.ppl_gamma, 2.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(fm.lora_rank, 8.0, 0.0);
    CU_ASSERT_EQUAL(fm.embeddings_in_adapter, 1);
    assert_rel(fm.activation_bytes_per_token, ACT_BYTES_PER_TOKEN_BLOCK_PER_WIDTH * 64, REL_TOL);
    assert_rel(fm.optimizer_flops_per_param_token, OPTIMIZER_FLOPS_PER_PARAM_TOKEN, REL_TOL);
    assert_rel(fm.ppl_beta, 1.0, REL_TOL);
    /* Without embeddings in the adapter, only the 2 adapter blocks ship. */
    path = write_toy("no_embeddings.json", "embeddings_in_adapter", "false");
    CU_ASSERT_EQUAL_FATAL(et_fm_load(path, &fm, &err), ET_OK);
    assert_rel(et_fm_adapter_bytes(&fm), 2 * 1000 * 2, REL_TOL);
}

static void missing_file_is_an_io_error_naming_the_file(void)
{
    const char *path = et_test_source_path("models/no-such-model.json");
    et_fm fm;
    et_error err;
    CU_ASSERT_EQUAL(et_fm_load(path, &fm, &err), ET_ERR_INPUT);
    CU_ASSERT_EQUAL(err.code, ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no-such-model.json"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot open"));
}

static void malformed_json_is_an_input_error_with_its_line(void)
{
    const char *path =
        write_text("bad.json", "{\n    \"name\": \"toy\",\n    \"blocks\": 12,,\n}\n");
    char path_copy[4300];
    snprintf(path_copy, sizeof path_copy, "%s", path);
    et_fm fm;
    et_error err;
    CU_ASSERT_EQUAL(et_fm_load(path_copy, &fm, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path_copy));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "line 3"));
    /* Trailing garbage after the object is also rejected. */
    path = write_text("trailing.json", "{} x");
    CU_ASSERT_EQUAL(et_fm_load(path, &fm, &err), ET_ERR_INPUT);
    path = write_text("empty.json", "");
    CU_ASSERT_EQUAL(et_fm_load(path, &fm, &err), ET_ERR_INPUT);
    path = write_text("array.json", "[1, 2]");
    CU_ASSERT_EQUAL(et_fm_load(path, &fm, &err), ET_ERR_INPUT);
}

static void unknown_key_is_an_input_error_naming_file_and_key(void)
{
    expect_input_error(write_toy("unknown.json", "n_layers", "12"), "n_layers");
    /* Lookups are case-sensitive: "Blocks" is unknown, not an alias of "blocks". */
    expect_input_error(write_toy("case.json", "Blocks", "12"), "Blocks");
    expect_input_error(write_toy("unknown_calib.json", "calibration",
                                 "[{\"emulator_blocks\": 5, \"ppl_tuned\": 12.5, \"keep\": 0.5}]"),
                       "calibration[0].keep");
}

static void duplicate_key_is_an_input_error(void)
{
    expect_input_error(write_toy("duplicate.json", "width", "64, \"width\": 65"), "width");
}

static void out_of_range_value_is_an_input_error_naming_file_and_key(void)
{
    expect_input_error(write_toy("blocks_frac.json", "blocks", "2.5"), "blocks");
    expect_input_error(write_toy("blocks_small.json", "blocks", "2"), "blocks");
    expect_input_error(write_toy("width_str.json", "width", "\"wide\""), "width");
    expect_input_error(write_toy("params_neg.json", "params_per_block", "-1"), "params_per_block");
    expect_input_error(write_toy("bytes_zero.json", "bytes_per_param", "0"), "bytes_per_param");
    expect_input_error(write_toy("ppl_low.json", "ppl_full_ft", "0.5"), "ppl_full_ft");
    expect_input_error(write_toy("gamma_neg.json", "ppl_gamma", "-2"), "ppl_gamma");
    expect_input_error(write_toy("rank_big.json", "lora_rank", "65"), "lora_rank");
    expect_input_error(write_toy("emb_num.json", "embeddings_in_adapter", "1"),
                       "embeddings_in_adapter");
    expect_input_error(write_toy("no_blocks.json", "blocks", NULL), "blocks");
    expect_input_error(write_toy("no_source.json", "source", NULL), "source");
    expect_input_error(write_toy("empty_name.json", "name", "\"\""), "name");
    /* L = 12 with a = 1 leaves at most c = 9 so that M >= 2. */
    expect_input_error(write_toy("split.json", "adapter_top", "10"), "adapter_top");
    expect_input_error(write_toy("split2.json", "adapter_bottom", "11"), "adapter_bottom");
}

static void calibration_outside_2_to_m_or_below_full_ft_is_rejected(void)
{
    expect_input_error(
        write_toy("calib_b1.json", "calibration", "[{\"emulator_blocks\": 1, \"ppl_tuned\": 13}]"),
        "calibration[0].emulator_blocks");
    expect_input_error(write_toy("calib_b11.json", "calibration",
                                 "[{\"emulator_blocks\": 11, \"ppl_tuned\": 13}]"),
                       "calibration[0].emulator_blocks");
    expect_input_error(write_toy("calib_ppl.json", "calibration",
                                 "[{\"emulator_blocks\": 5, \"ppl_tuned\": 12.5}, "
                                 "{\"emulator_blocks\": 4, \"ppl_tuned\": 9}]"),
                       "calibration[1].ppl_tuned");
    /* b = M only: the model pins PPL(M) = PPL_FT, so beta is undetermined. */
    expect_input_error(
        write_toy("calib_m.json", "calibration", "[{\"emulator_blocks\": 10, \"ppl_tuned\": 11}]"),
        "calibration");
    expect_input_error(write_toy("calib_empty.json", "calibration", "[]"), "calibration");
    expect_input_error(write_toy("calib_obj.json", "calibration", "{}"), "calibration");
}

int main(void)
{
    static const et_test_case cases[] = {
        {"every_shipped_profile_loads_with_its_split", every_shipped_profile_loads_with_its_split},
        {"emulator_bytes_match_hand_values_for_opt_1_3b",
         emulator_bytes_match_hand_values_for_opt_1_3b},
        {"tuning_flops_match_hand_values_for_gpt2_xl", tuning_flops_match_hand_values_for_gpt2_xl},
        {"zero_optimizer_overhead_gives_the_plain_6_4_rule",
         zero_optimizer_overhead_gives_the_plain_6_4_rule},
        {"ppl_reproduces_calibration_point", ppl_reproduces_calibration_point},
        {"opt_2_7b_borrows_opt_1_3b_relative_degradation",
         opt_2_7b_borrows_opt_1_3b_relative_degradation},
        {"ppl_falls_as_b_grows", ppl_falls_as_b_grows},
        {"several_calibration_points_fit_beta_by_least_squares",
         several_calibration_points_fit_beta_by_least_squares},
        {"memory_bytes_match_hand_values_for_opt_1_3b",
         memory_bytes_match_hand_values_for_opt_1_3b},
        {"memory_model_within_25_percent_of_offsite_tuning_measurements",
         memory_model_within_25_percent_of_offsite_tuning_measurements},
        {"emulator_speedup_within_factor_1_5_of_measured_3_96x",
         emulator_speedup_within_factor_1_5_of_measured_3_96x},
        {"gpt2_xl_emulator_speedup_within_factor_1_5_of_measured_5_13x",
         gpt2_xl_emulator_speedup_within_factor_1_5_of_measured_5_13x},
        {"blocks_for_keep_rounds_and_clamps", blocks_for_keep_rounds_and_clamps},
        {"optional_keys_take_documented_defaults", optional_keys_take_documented_defaults},
        {"missing_file_is_an_io_error_naming_the_file",
         missing_file_is_an_io_error_naming_the_file},
        {"malformed_json_is_an_input_error_with_its_line",
         malformed_json_is_an_input_error_with_its_line},
        {"unknown_key_is_an_input_error_naming_file_and_key",
         unknown_key_is_an_input_error_naming_file_and_key},
        {"duplicate_key_is_an_input_error", duplicate_key_is_an_input_error},
        {"out_of_range_value_is_an_input_error_naming_file_and_key",
         out_of_range_value_is_an_input_error_naming_file_and_key},
        {"calibration_outside_2_to_m_or_below_full_ft_is_rejected",
         calibration_outside_2_to_m_or_below_full_ft_is_rejected},
        {NULL, NULL},
    };
    return et_test_main("fm", cases);
}
