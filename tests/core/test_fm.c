/* test_fm.c: foundation-model profiles and the cost/quality model (src/core/fm.h).
 *
 * Expected values are computed here by hand from docs/models.md section 4's
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

/* docs/models.md section 4. */
#define GPT2_XL_P_BLOCK 30740800.0
#define GPT2_XL_EMBED (80411200.0 + 1638400.0)
#define OPT_1_3B_P_BLOCK 50358272.0
#define OPT_1_3B_EMBED (102957056.0 + 4198400.0)

/* docs/models.md: the two constants fitted to Offsite-Tuning. */
#define ACT_BYTES_PER_TOKEN_BLOCK_PER_WIDTH 438.0
#define OPTIMIZER_FLOPS_PER_PARAM_TOKEN 7.0

#define MIB (1024.0 * 1024.0)

/* docs/models.md section 9: the data law's defaults, D_c (token-epochs at half the log gain)
 * and alpha. */
#define DATA_SCALE_TOKENS 1e5
#define DATA_EXPONENT 1.0
/* Untuned perplexity over the anchor for a profile without a published zero-shot value. */
#define ANCHOR_OVER_UNTUNED 0.4
/* Offsite-Tuning's data: WikiText-2's training split is 2,088,628 tokens (word-level count);
 * the repository's scripts run 50 epochs with distilled emulators (scripts/table1) and 2 with
 * layer-drop ones (scripts/table2). */
#define WIKITEXT2_TRAIN_TOKENS 2088628.0
#define OT_EPOCHS_DISTILLED 50.0
#define OT_EPOCHS_LAYER_DROP 2.0

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

/* A small valid profile: L = 12, a = c = 1, M = 10, anchor 10 (full fine-tune),
 * one calibration point at b = 5 (r = 0.5, u = r^2 = 0.25): on the emulator
 * 12.5 (beta_emu = 0.25 / 0.25 = 1), plugged in 11 (beta_plug = 0.1 / 0.25 =
 * 0.4). Tests change one key at a time. */
static const char *const toy_keys[][2] = {
    {"name", "\"toy\""},
    {"source", "\"unit test\""},
    {"blocks", "12"},
    {"width", "64"},
    {"params_per_block", "1000"},
    {"embedding_params", "500"},
    {"adapter_bottom", "1"},
    {"adapter_top", "1"},
    {"ppl_full_zero_shot", "null"},
    {"ppl_full_ft", "10"},
    {"calibration", "[{\"emulator_blocks\": 5, \"emulator\": \"layer_drop\", "
                    "\"ppl_on_emulator\": 12.5, \"ppl_plugged\": 11}]"},
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

/* Writes the toy profile with two keys set (value NULL: key removed; a key
 * not in the toy profile is appended; key NULL: no change) and returns its
 * path. */
static const char *write_toy2(const char *file_name, const char *key1, const char *value1,
                              const char *key2, const char *value2)
{
    const char *keys[2] = {key1, key2}, *values[2] = {value1, value2};
    int replaced[2] = {0, 0};
    char text[4096] = "{\n";
    for (size_t i = 0; i < TOY_N_KEYS; i++) {
        const char *v = toy_keys[i][1];
        int removed = 0;
        for (int k = 0; k < 2; k++) {
            if (keys[k] && strcmp(keys[k], toy_keys[i][0]) == 0) {
                replaced[k] = 1;
                if (!values[k]) removed = 1;
                v = values[k];
            }
        }
        if (removed) continue;
        size_t len = strlen(text);
        snprintf(text + len, sizeof text - len, "    \"%s\": %s,\n", toy_keys[i][0], v);
    }
    for (int k = 0; k < 2; k++) {
        if (keys[k] && values[k] && !replaced[k]) {
            size_t len = strlen(text);
            snprintf(text + len, sizeof text - len, "    \"%s\": %s,\n", keys[k], values[k]);
        }
    }
    size_t len = strlen(text);
    text[len - 2] = '\n'; /* drop the trailing comma */
    text[len - 1] = '}';
    return write_text(file_name, text);
}

/* Writes the toy profile with key set to value (see write_toy2). */
static const char *write_toy(const char *file_name, const char *key, const char *value)
{
    return write_toy2(file_name, key, value, NULL, NULL);
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

/* docs/models.md section 4's table, one row per shipped profile: the adapter
 * a-b-c with b emulator blocks of M, and the five perplexity columns (NAN:
 * "-"). OPT-2.7B has no row; its derived point is tested on its own. */
static const struct {
    const char *name;
    int b, middle;
    int distilled;
    double full_zero_shot, emulator_zero_shot, full_ft, on_emulator, plugged;
} table[] = {
    {"gpt2-xl", 16, 44, 1, 20.44, 25.12, 13.58, 17.64, 14.94},
    {"opt-1.3b", 8, 20, 1, 31.48, 38.55, 12.52, 15.54, 13.15},
    {"opt-6.7b", 18, 28, 0, 24.24, 44.92, NAN, 13.48, 10.78},
    {"bloom-7.1b", 12, 26, 0, 15.34, 78.58, NAN, 22.40, 14.58},
};
#define TABLE_ROWS (sizeof table / sizeof table[0])

/* docs/models.md section 4: rho fitted to the two rows with a full fine-tune. */
#define TRANSFER_RATIO 0.285

/* The anchor PPL_plug(M) by hand: the full fine-tune where published, else
 * (P - rho E) / (1 - rho) from the two tuned columns. */
static double hand_anchor(size_t row)
{
    if (!isnan(table[row].full_ft)) return table[row].full_ft;
    return (table[row].plugged - TRANSFER_RATIO * table[row].on_emulator) / (1.0 - TRANSFER_RATIO);
}

static void profiles_carry_every_column_of_the_calibration_table(void)
{
    for (size_t i = 0; i < TABLE_ROWS; i++) {
        et_fm fm;
        if (!load_model(table[i].name, &fm)) continue;
        CU_ASSERT_EQUAL(fm.calib[0].emulator_blocks, table[i].b);
        assert_rel(fm.calib[0].keep, (double)table[i].b / table[i].middle, REL_TOL);
        CU_ASSERT_EQUAL(fm.calib[0].derived, 0);
        CU_ASSERT_DOUBLE_EQUAL(fm.ppl_full_zero_shot, table[i].full_zero_shot, 0.0);
        CU_ASSERT_DOUBLE_EQUAL(fm.calib[0].ppl_emulator_zero_shot, table[i].emulator_zero_shot,
                               0.0);
        CU_ASSERT_DOUBLE_EQUAL(fm.calib[0].ppl_on_emulator, table[i].on_emulator, 0.0);
        CU_ASSERT_DOUBLE_EQUAL(fm.calib[0].ppl_plugged, table[i].plugged, 0.0);
        if (isnan(table[i].full_ft)) {
            CU_ASSERT(isnan(fm.ppl_full_fine_tune));
        } else {
            CU_ASSERT_DOUBLE_EQUAL(fm.ppl_full_fine_tune, table[i].full_ft, 0.0);
        }
        /* Offsite-Tuning distilled the 1-billion-scale emulators only. */
        CU_ASSERT_EQUAL(fm.calib[0].emulator,
                        table[i].distilled ? ET_FM_EMULATOR_DISTILLED : ET_FM_EMULATOR_LAYER_DROP);
    }
}

static void ppl_plug_at_m_equals_the_anchor(void)
{
    for (size_t i = 0; i < TABLE_ROWS; i++) {
        et_fm fm;
        if (!load_model(table[i].name, &fm)) continue;
        double anchor = hand_anchor(i);
        assert_rel(fm.ppl_full_ft, anchor, REL_TOL);
        CU_ASSERT_EQUAL(fm.ppl_anchor,
                        isnan(table[i].full_ft) ? ET_FM_ANCHOR_DERIVED : ET_FM_ANCHOR_FULL_FT);
        assert_rel(et_fm_ppl_plug(&fm, table[i].middle), anchor, REL_TOL);
        assert_rel(et_fm_ppl_emu(&fm, table[i].middle), anchor, REL_TOL);
    }
    /* The derived anchors by hand: OPT-6.7B (10.78 - 0.285 * 13.48) / 0.715,
     * BLOOM-7.1B (14.58 - 0.285 * 22.40) / 0.715. */
    et_fm fm;
    if (load_model("opt-6.7b", &fm)) {
        CU_ASSERT_DOUBLE_EQUAL(fm.ppl_full_ft, 9.70378, 1e-5);
    }
    if (load_model("bloom-7.1b", &fm)) {
        CU_ASSERT_DOUBLE_EQUAL(fm.ppl_full_ft, 11.46294, 1e-5);
    }
}

static void ppl_curves_pass_through_every_calibration_point(void)
{
    /* Each row has one point per column at one drop fraction and gamma is
     * fixed, so least squares reproduces both tuned columns exactly (up to
     * rounding, REL_TOL). */
    for (size_t i = 0; i < TABLE_ROWS; i++) {
        et_fm fm;
        if (!load_model(table[i].name, &fm)) continue;
        assert_rel(et_fm_ppl_plug(&fm, table[i].b), table[i].plugged, REL_TOL);
        assert_rel(et_fm_ppl_emu(&fm, table[i].b), table[i].on_emulator, REL_TOL);
        double r = 1.0 - (double)table[i].b / table[i].middle, anchor = hand_anchor(i);
        assert_rel(fm.ppl_plug_beta, (table[i].plugged / anchor - 1.0) / (r * r), REL_TOL);
        assert_rel(fm.ppl_beta, (table[i].on_emulator / anchor - 1.0) / (r * r), REL_TOL);
    }
    /* docs/models.md section 4's figure: OPT-1.3B plug-in 13.15 at r = 0.6. */
    et_fm fm;
    if (!load_model("opt-1.3b", &fm)) return;
    assert_rel(fm.ppl_plug_beta, (13.15 / 12.52 - 1.0) / 0.36, REL_TOL);
}

static void version_1_ppl_is_the_on_emulator_curve(void)
{
    et_fm fm;
    if (!load_model("opt-1.3b", &fm)) return;
    /* Version 1 fitted PPL_FT (1 + beta r^2) through "tuned, on emulator":
     * beta = (15.54 / 12.52 - 1) / 0.36, ratio 1.241 at r = 0.6. */
    for (int b = 0; b <= fm.middle_blocks; b++)
        CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl(&fm, b), et_fm_ppl_emu(&fm, b), 0.0);
    assert_rel(fm.ppl_beta, (15.54 / 12.52 - 1.0) / 0.36, REL_TOL);
    CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl(&fm, 8) / 12.52, 1.241, 5e-4);
}

static void transfer_ratio_default_fits_gpt2_xl_and_opt_1_3b(void)
{
    /* Least squares through the origin of the relative gaps y = P / A - 1
     * against x = E / A - 1 over the two rows with a full fine-tune. */
    double sxy = 0.0, sxx = 0.0;
    for (size_t i = 0; i < 2; i++) {
        double x = table[i].on_emulator / table[i].full_ft - 1.0;
        double y = table[i].plugged / table[i].full_ft - 1.0;
        sxy += x * y;
        sxx += x * x;
    }
    CU_ASSERT_DOUBLE_EQUAL(sxy / sxx, TRANSFER_RATIO, 5e-4);
    et_fm fm;
    if (!load_model("opt-1.3b", &fm)) return;
    assert_rel(fm.ppl_transfer_ratio, TRANSFER_RATIO, REL_TOL);
    /* The two rows bracket it: GPT2-XL 1.36 / 4.06, OPT-1.3B 0.63 / 3.02. */
    CU_ASSERT(0.63 / 3.02 < TRANSFER_RATIO && TRANSFER_RATIO < 1.36 / 4.06);
}

static void opt_2_7b_borrows_opt_6_7b_losses_at_an_interpolated_anchor(void)
{
    et_fm small, mid, large;
    if (!load_model("opt-1.3b", &small) || !load_model("opt-2.7b", &mid) ||
        !load_model("opt-6.7b", &large))
        return;
    CU_ASSERT_EQUAL(mid.calib[0].derived, 1);
    CU_ASSERT_EQUAL(mid.calib[0].emulator, ET_FM_EMULATOR_LAYER_DROP);
    CU_ASSERT_EQUAL(mid.ppl_anchor, ET_FM_ANCHOR_DERIVED);
    CU_ASSERT(isnan(mid.ppl_full_zero_shot) && isnan(mid.ppl_full_fine_tune));
    /* Same depth and split as OPT-6.7B (2-18-2 of 32): the same relative
     * losses, so the same betas (the point is rounded to 4 decimals). */
    CU_ASSERT_EQUAL(mid.middle_blocks, large.middle_blocks);
    assert_rel(mid.ppl_plug_beta, large.ppl_plug_beta, 1e-4);
    assert_rel(mid.ppl_beta, large.ppl_beta, 1e-4);
    /* Anchor: log-PPL linear in log total parameters between the OPT-1.3B
     * and OPT-6.7B anchors. */
    double p_small = 24 * 50358272.0 + 107155456.0, p_mid = 32 * 78676480.0 + 133944320.0;
    double p_large = 32 * 201379840.0 + 214310912.0;
    double t = log(p_mid / p_small) / log(p_large / p_small);
    double anchor =
        exp(log(small.ppl_full_ft) + t * (log(large.ppl_full_ft) - log(small.ppl_full_ft)));
    assert_rel(mid.ppl_full_ft, anchor, 2e-5);
}

static void ppl_curves_fall_as_b_grows_and_plug_in_beats_the_emulator(void)
{
    static const char *const names[] = {"gpt2-xl", "opt-1.3b", "opt-2.7b", "opt-6.7b",
                                        "bloom-7.1b"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        et_fm fm;
        if (!load_model(names[i], &fm)) continue;
        CU_ASSERT(fm.ppl_plug_beta > 0.0 && fm.ppl_beta > 0.0);
        for (int b = 2; b < fm.middle_blocks; b++) {
            CU_ASSERT(et_fm_ppl_plug(&fm, b + 1) < et_fm_ppl_plug(&fm, b));
            CU_ASSERT(et_fm_ppl_emu(&fm, b + 1) < et_fm_ppl_emu(&fm, b));
            /* rho < 1: the owner's full model recovers part of the emulator's loss. */
            CU_ASSERT(et_fm_ppl_plug(&fm, b) < et_fm_ppl_emu(&fm, b));
        }
        CU_ASSERT(et_fm_ppl_plug(&fm, 2) > fm.ppl_full_ft);
        /* b is clamped to [0, M]. */
        CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_plug(&fm, fm.middle_blocks + 5), fm.ppl_full_ft, 0.0);
        CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_plug(&fm, -3), et_fm_ppl_plug(&fm, 0), 0.0);
    }
}

static void gamma_keeps_its_default_when_every_point_is_at_one_drop_fraction(void)
{
    static const char *const names[] = {"gpt2-xl", "opt-1.3b", "opt-2.7b", "opt-6.7b",
                                        "bloom-7.1b"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        et_fm fm;
        if (!load_model(names[i], &fm)) continue;
        CU_ASSERT_EQUAL(fm.ppl_gamma_fitted, 0);
        CU_ASSERT_DOUBLE_EQUAL(fm.ppl_gamma, 2.0, 0.0);
    }
}

static void several_calibration_points_fit_beta_by_least_squares(void)
{
    /* Toy M = 10, gamma fixed at 2: points at b = 5 (r = 0.5) and b = 2
     * (r = 0.8), plugged-in ratios 1.25 and 1.8, so u = 0.25, 0.64 and
     * y = 0.25, 0.8: beta = (0.25 * 0.25 + 0.64 * 0.8) / (0.25^2 + 0.64^2). */
    const char *path = write_toy("two_points.json", "calibration",
                                 "[{\"emulator_blocks\": 5, \"emulator\": \"layer_drop\", "
                                 "\"ppl_plugged\": 12.5}, "
                                 "{\"emulator_blocks\": 2, \"emulator\": \"layer_drop\", "
                                 "\"ppl_plugged\": 18}], \"ppl_gamma\": 2");
    et_fm fm;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_fm_load(path, &fm, &err), ET_OK);
    double beta = (0.25 * 0.25 + 0.64 * 0.8) / (0.25 * 0.25 + 0.64 * 0.64);
    assert_rel(fm.ppl_plug_beta, beta, REL_TOL);
    CU_ASSERT_EQUAL(fm.ppl_gamma_fitted, 0);
    CU_ASSERT_EQUAL(fm.n_calib, 2);
    assert_rel(fm.calib[1].keep, 0.2, REL_TOL);
    /* No on-emulator point: that curve follows through rho. */
    assert_rel(fm.ppl_beta, beta / TRANSFER_RATIO, REL_TOL);
}

static void points_at_two_drop_fractions_fit_gamma(void)
{
    /* Toy M = 10, anchor 10, points made from gamma = 1.5, beta_plug = 0.5,
     * beta_emu = 2: PPL = 10 (1 + beta r^1.5) at r = 0.8, 0.5 (plugged) and
     * r = 0.7 (on the emulator, a third drop fraction). */
    char calib[1024];
    double p8 = 10 * (1 + 0.5 * pow(0.8, 1.5)), p5 = 10 * (1 + 0.5 * pow(0.5, 1.5));
    double e7 = 10 * (1 + 2.0 * pow(0.7, 1.5));
    snprintf(calib, sizeof calib,
             "[{\"emulator_blocks\": 2, \"emulator\": \"layer_drop\", \"ppl_plugged\": %.17g}, "
             "{\"emulator_blocks\": 5, \"emulator\": \"layer_drop\", \"ppl_plugged\": %.17g}, "
             "{\"emulator_blocks\": 3, \"emulator\": \"layer_drop\", \"ppl_on_emulator\": %.17g}]",
             p8, p5, e7);
    const char *path = write_toy("gamma.json", "calibration", calib);
    et_fm fm;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_fm_load(path, &fm, &err), ET_OK);
    CU_ASSERT_EQUAL(fm.ppl_gamma_fitted, 1);
    CU_ASSERT_DOUBLE_EQUAL(fm.ppl_gamma, 1.5, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(fm.ppl_plug_beta, 0.5, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(fm.ppl_beta, 2.0, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_plug(&fm, 2), p8, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_plug(&fm, 5), p5, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_emu(&fm, 3), e7, 1e-6);
    /* An explicit ppl_gamma is kept, not fitted. */
    char with_gamma[1100];
    snprintf(with_gamma, sizeof with_gamma, "%s, \"ppl_gamma\": 3", calib);
    path = write_toy("gamma_fixed.json", "calibration", with_gamma);
    CU_ASSERT_EQUAL_FATAL(et_fm_load(path, &fm, &err), ET_OK);
    CU_ASSERT_EQUAL(fm.ppl_gamma_fitted, 0);
    CU_ASSERT_DOUBLE_EQUAL(fm.ppl_gamma, 3.0, 0.0);
}

static void a_point_at_m_anchors_the_curves_before_full_fine_tune(void)
{
    /* b = M: the emulator is the full model, so the point measures the adapter
     * tuned against the full middle block; it wins over ppl_full_ft = 10. */
    const char *path = write_toy("anchor_point.json", "calibration",
                                 "[{\"emulator_blocks\": 10, \"emulator\": \"layer_drop\", "
                                 "\"ppl_plugged\": 10.5}, "
                                 "{\"emulator_blocks\": 5, \"emulator\": \"layer_drop\", "
                                 "\"ppl_on_emulator\": 14, \"ppl_plugged\": 11.55}]");
    et_fm fm;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_fm_load(path, &fm, &err), ET_OK);
    CU_ASSERT_EQUAL(fm.ppl_anchor, ET_FM_ANCHOR_FULL_POINT);
    assert_rel(fm.ppl_full_ft, 10.5, REL_TOL);
    assert_rel(et_fm_ppl_plug(&fm, 10), 10.5, REL_TOL);
    /* r = 0.5: beta_plug = (11.55 / 10.5 - 1) / 0.25 = 0.4. */
    assert_rel(fm.ppl_plug_beta, 0.4, 1e-12);
}

static void null_full_fine_tune_derives_the_anchor_with_the_transfer_ratio(void)
{
    /* Toy point at r = 0.5: E = 12.5, P = 11. With rho = 0.5,
     * A = (11 - 0.5 * 12.5) / 0.5 = 9.5. */
    const char *path =
        write_toy("derived.json", "ppl_full_ft", "null, \"ppl_transfer_ratio\": 0.5");
    et_fm fm;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_fm_load(path, &fm, &err), ET_OK);
    CU_ASSERT_EQUAL(fm.ppl_anchor, ET_FM_ANCHOR_DERIVED);
    CU_ASSERT(isnan(fm.ppl_full_fine_tune));
    assert_rel(fm.ppl_full_ft, 9.5, 1e-12);
    assert_rel(et_fm_ppl_plug(&fm, 5), 11.0, 1e-12);
    assert_rel(et_fm_ppl_emu(&fm, 5), 12.5, 1e-12);
    assert_rel(fm.ppl_plug_beta / fm.ppl_beta, 0.5, 1e-12);
    /* The default ratio. */
    path = write_toy("derived_default.json", "ppl_full_ft", "null");
    CU_ASSERT_EQUAL_FATAL(et_fm_load(path, &fm, &err), ET_OK);
    assert_rel(fm.ppl_full_ft, (11.0 - TRANSFER_RATIO * 12.5) / (1.0 - TRANSFER_RATIO), 1e-12);
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

static void lora_trains_only_the_low_rank_factors(void)
{
    et_fm fm;
    if (!load_model("opt-1.3b", &fm)) return;
    /* Rank 8 on q, k, v, o of 4 adapter blocks: 4 * 4 * 2 * 8 * 2048. */
    assert_rel(et_fm_trainable_params(&fm, 1), 524288.0, REL_TOL);
    assert_rel(et_fm_trainable_params(&fm, 0), 4 * OPT_1_3B_P_BLOCK, REL_TOL);
    /* The upload is exactly the trainable parameters at 2 bytes. */
    assert_rel(et_fm_result_bytes(&fm, 1), 2 * 524288.0, REL_TOL);
    /* Memory by hand: LoRA factors at 16 B, the adapter blocks join the
     * frozen weights at 2 B, activations unchanged. */
    double act = ACT_BYTES_PER_TOKEN_BLOCK_PER_WIDTH * 2048 * 512 * 12;
    double lora_mem =
        16 * 524288.0 + 2 * (4 * OPT_1_3B_P_BLOCK + 8 * OPT_1_3B_P_BLOCK + OPT_1_3B_EMBED) + act;
    assert_rel(et_fm_local_memory_bytes(&fm, 8, 512, 1), lora_mem, REL_TOL);
    /* FLOPs by hand, per token: 4 frozen adapter blocks at 4 P, the factors
     * at 6 + 7, the 8 emulator blocks at 4 P. */
    double lora_flops = 4 * 4 * OPT_1_3B_P_BLOCK + 13 * 524288.0 + 4 * 8 * OPT_1_3B_P_BLOCK;
    assert_rel(et_fm_local_flops(&fm, 8, 1e4, 2, 1), 2e4 * lora_flops, REL_TOL);
    /* An emulator block costs the same 4 P in both modes. */
    assert_rel(et_fm_local_flops(&fm, 9, 1, 1, 1) - et_fm_local_flops(&fm, 8, 1, 1, 1),
               4 * OPT_1_3B_P_BLOCK, 1e-9);
}

static void version_1_cost_functions_are_the_full_adapter_mode(void)
{
    et_fm fm;
    if (!load_model("gpt2-xl", &fm)) return;
    for (int b = 2; b <= fm.middle_blocks; b += 7) {
        CU_ASSERT_DOUBLE_EQUAL(et_fm_tuning_flops(&fm, b, 3e4, 2),
                               et_fm_local_flops(&fm, b, 3e4, 2, 0), 0.0);
        CU_ASSERT_DOUBLE_EQUAL(et_fm_memory_bytes(&fm, b, 512),
                               et_fm_local_memory_bytes(&fm, b, 512, 0), 0.0);
        CU_ASSERT(et_fm_local_flops(&fm, b, 3e4, 2, 1) < et_fm_local_flops(&fm, b, 3e4, 2, 0));
        CU_ASSERT(et_fm_local_memory_bytes(&fm, b, 512, 1) <
                  et_fm_local_memory_bytes(&fm, b, 512, 0));
    }
}

static void lora_memory_within_25_percent_of_offsite_tuning_6_2_gb(void)
{
    et_fm fm;
    if (!load_model("opt-1.3b", &fm)) return;
    /* Offsite-Tuning, OPT-1.3B 2-8-2, batch 1, block 512: 9.3 GB with the full
     * adapter (the 9,336 "MB" = MiB of section 6), 6.2 GB with LoRA (docs/models.md
     * section 5). Read in the same unit, 6,200 MiB; and as 10^9 bytes. */
    double lora_model = et_fm_local_memory_bytes(&fm, 8, 512, 1);
    CU_ASSERT(fabs(lora_model / (6200 * MIB) - 1.0) <= 0.25);
    CU_ASSERT(fabs(lora_model / 6.2e9 - 1.0) <= 0.25);
    /* The saving itself: 9.3 / 6.2 = 1.5 measured. */
    double saving = et_fm_local_memory_bytes(&fm, 8, 512, 0) / lora_model;
    CU_ASSERT(fabs(saving / (9.3 / 6.2) - 1.0) <= 0.25);
}

static void lora_throughput_gain_near_offsite_tuning_1_6x(void)
{
    et_fm fm;
    if (!load_model("opt-1.3b", &fm)) return;
    /* Offsite-Tuning: LoRA raises 2-8-2 emulator-tuning throughput about
     * 1.6x (docs/models.md section 3). Same hardware, so the FLOP ratio is the
     * model's throughput ratio; within 15%. */
    double gain = et_fm_local_flops(&fm, 8, 1e4, 1, 0) / et_fm_local_flops(&fm, 8, 1e4, 1, 1);
    CU_ASSERT(fabs(gain / 1.6 - 1.0) <= 0.15);
    /* Hand value: (13 * 4 + 4 * 8) P / ((4 * 4 + 4 * 8) P + 13 * 524288). */
    double p = OPT_1_3B_P_BLOCK;
    assert_rel(gain, 84 * p / (48 * p + 13 * 524288.0), REL_TOL);
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

static void keep_range_rounds_inward_to_k_min_and_k_max(void)
{
    et_fm opt, gpt2, bloom;
    if (!load_model("opt-1.3b", &opt) || !load_model("gpt2-xl", &gpt2) ||
        !load_model("bloom-7.1b", &bloom))
        return;
    int lo = -1, hi = -1;
    /* OPT-1.3B, M = 20, default k in [0.1, 0.5]: 0.1 * 20 = 2,
     * 0.5 * 20 = 10. */
    et_fm_blocks_range(&opt, 0.1, ET_FM_KEEP_MAX_DEFAULT, &lo, &hi);
    CU_ASSERT(lo == 2 && hi == 10);
    CU_ASSERT_DOUBLE_EQUAL(ET_FM_KEEP_MAX_DEFAULT, 0.5, 0.0);
    /* Inward: ceil for k_min, floor for k_max. GPT2-XL M = 44: 0.1 * 44 = 4.4
     * -> 5, 0.5 * 44 = 22. BLOOM-7.1B M = 26: 2.6 -> 3, 13. */
    et_fm_blocks_range(&gpt2, 0.1, 0.5, &lo, &hi);
    CU_ASSERT(lo == 5 && hi == 22);
    et_fm_blocks_range(&bloom, 0.1, 0.5, &lo, &hi);
    CU_ASSERT(lo == 3 && hi == 13);
    et_fm_blocks_range(&bloom, 0.1, 0.55, &lo, &hi); /* 14.3 -> 14 */
    CU_ASSERT(hi == 14);
    /* Keep fractions computed as b / M land on b despite rounding error:
     * 15.0 / 26 * 26 = 14.999999999999998, 25.0 / 44 * 44 = 25.000000000000004. */
    et_fm_blocks_range(&bloom, 0.1, 15.0 / 26.0, &lo, &hi);
    CU_ASSERT(hi == 15);
    et_fm_blocks_range(&gpt2, 25.0 / 44.0, 1.0, &lo, &hi);
    CU_ASSERT(lo == 25 && hi == 44);
    /* At least 2 blocks; the owner's k_max wins a conflict; NaN is no bound. */
    et_fm_blocks_range(&opt, 0.0, 0.05, &lo, &hi);
    CU_ASSERT(lo == 2 && hi == 2);
    et_fm_blocks_range(&opt, 0.7, 0.5, &lo, &hi);
    CU_ASSERT(lo == 10 && hi == 10);
    et_fm_blocks_range(&opt, NAN, NAN, &lo, &hi);
    CU_ASSERT(lo == 2 && hi == 20);
    et_fm_blocks_range(&opt, -3.0, 1e300, &lo, &hi);
    CU_ASSERT(lo == 2 && hi == 20);
}

static void keep_fraction_maps_to_blocks_clamped_to_the_range(void)
{
    et_fm opt;
    if (!load_model("opt-1.3b", &opt)) return;
    /* M = 20, k in [0.1, 0.5]: b in [2, 10]. */
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep_range(&opt, 0.4, 0.1, 0.5), 8);
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep_range(&opt, 0.375, 0.1, 0.5), 8); /* 7.5 rounds up */
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep_range(&opt, 0.41, 0.1, 0.5), 8);  /* 8.2 */
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep_range(&opt, 0.9, 0.1, 0.5), 10);  /* k_max */
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep_range(&opt, 1.0, 0.1, 0.5), 10);
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep_range(&opt, 0.01, 0.1, 0.5), 2);
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep_range(&opt, NAN, 0.1, 0.5), 2);
    /* k_min = 0.3: b >= 6 even though 0.26 * 20 = 5.2 would round to 5. */
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep_range(&opt, 0.26, 0.3, 0.5), 6);
    CU_ASSERT_EQUAL(et_fm_blocks_for_keep_range(&opt, NAN, 0.3, 0.5), 6);
    /* Version 1 is the range [0, 1]. */
    for (double keep = -0.5; keep <= 1.5; keep += 0.01)
        CU_ASSERT_EQUAL(et_fm_blocks_for_keep(&opt, keep),
                        et_fm_blocks_for_keep_range(&opt, keep, 0.0, 1.0));
}

static void server_tunes_against_the_full_middle_block(void)
{
    et_fm fm;
    if (!load_model("opt-1.3b", &fm)) return;
    CU_ASSERT_EQUAL(et_fm_server_blocks(&fm, ET_FM_TUNES_ON_FULL, 8), 20);
    CU_ASSERT_EQUAL(et_fm_server_blocks(&fm, ET_FM_TUNES_ON_EMULATOR, 8), 8);
    /* F_server = F_local(M): (13 * 4 + 4 * 20) P per token, against
     * (13 * 4 + 4 * 10) P for LOCAL at k_max. */
    double p = OPT_1_3B_P_BLOCK;
    assert_rel(et_fm_server_flops(&fm, ET_FM_TUNES_ON_FULL, 8, 3e4, 1, 0), 3e4 * 132 * p, REL_TOL);
    assert_rel(et_fm_server_flops(&fm, ET_FM_TUNES_ON_FULL, 8, 3e4, 1, 0) /
                   et_fm_local_flops(&fm, 10, 3e4, 1, 0),
               132.0 / 92.0, REL_TOL);
    CU_ASSERT_DOUBLE_EQUAL(et_fm_server_flops(&fm, ET_FM_TUNES_ON_EMULATOR, 8, 3e4, 1, 1),
                           et_fm_local_flops(&fm, 8, 3e4, 1, 1), 0.0);
    /* Quality: the anchor, or version 1's location-independent PPL_plug(b). */
    assert_rel(et_fm_server_ppl(&fm, ET_FM_TUNES_ON_FULL, 8), 12.52, REL_TOL);
    CU_ASSERT_DOUBLE_EQUAL(et_fm_server_ppl(&fm, ET_FM_TUNES_ON_EMULATOR, 8),
                           et_fm_ppl_plug(&fm, 8), 0.0);
    CU_ASSERT_STRING_EQUAL(et_fm_tunes_on_name(ET_FM_TUNES_ON_FULL), "full");
    CU_ASSERT_STRING_EQUAL(et_fm_tunes_on_name(ET_FM_TUNES_ON_EMULATOR), "emulator");
    CU_ASSERT_STRING_EQUAL(ET_FM_TUNES_ON_CHOICES, "full|emulator");
}

static void server_quality_beats_every_local_choice_up_to_k_max(void)
{
    static const char *const names[] = {"gpt2-xl", "opt-1.3b", "opt-2.7b", "opt-6.7b",
                                        "bloom-7.1b"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        et_fm fm;
        if (!load_model(names[i], &fm)) continue;
        int lo, hi;
        et_fm_blocks_range(&fm, 0.0, ET_FM_KEEP_MAX_DEFAULT, &lo, &hi);
        double server = et_fm_server_ppl(&fm, ET_FM_TUNES_ON_FULL, 0);
        for (int b = lo; b <= hi; b++)
            CU_ASSERT(server < et_fm_ppl_plug(&fm, b));
        /* The gap at k_max is what offloading buys in quality (docs/models.md). */
        CU_ASSERT(et_fm_ppl_plug(&fm, hi) / server > 1.03);
    }
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
    CU_ASSERT_DOUBLE_EQUAL(fm.ppl_data_scale_tokens, DATA_SCALE_TOKENS, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(fm.ppl_data_exponent, DATA_EXPONENT, 0.0);
    assert_rel(fm.ppl_beta, 1.0, REL_TOL);
    assert_rel(fm.ppl_plug_beta, 0.4, REL_TOL);
    CU_ASSERT_EQUAL(fm.ppl_gamma_fitted, 0);
    assert_rel(fm.ppl_transfer_ratio, TRANSFER_RATIO, REL_TOL);
    CU_ASSERT_EQUAL(fm.ppl_anchor, ET_FM_ANCHOR_FULL_FT);
    CU_ASSERT(isnan(fm.ppl_full_zero_shot));
    CU_ASSERT(isnan(fm.calib[0].ppl_emulator_zero_shot));
    CU_ASSERT_EQUAL(fm.calib[0].derived, 0);
    /* Without embeddings in the adapter, only the 2 adapter blocks ship. */
    path = write_toy("no_embeddings.json", "embeddings_in_adapter", "false");
    CU_ASSERT_EQUAL_FATAL(et_fm_load(path, &fm, &err), ET_OK);
    assert_rel(et_fm_adapter_bytes(&fm), 2 * 1000 * 2, REL_TOL);
}

static void missing_file_is_an_input_error_naming_the_file(void)
{
    const char *path = et_test_source_path("models/no-such-model.json");
    et_fm fm;
    et_error err;
    CU_ASSERT_EQUAL(et_fm_load(path, &fm, &err), ET_ERR_INPUT);
    CU_ASSERT_EQUAL(err.code, ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no-such-model.json"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot read the model profile"));
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
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":3: malformed JSON"));
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
                                 "[{\"emulator_blocks\": 5, \"emulator\": \"layer_drop\", "
                                 "\"ppl_plugged\": 12.5, \"keep\": 0.5}]"),
                       "calibration[0].keep");
    /* Version 1's column name is not an alias: the columns are named now. */
    expect_input_error(write_toy("v1_calib.json", "calibration",
                                 "[{\"emulator_blocks\": 5, \"emulator\": \"layer_drop\", "
                                 "\"ppl_tuned\": 12.5}]"),
                       "calibration[0].ppl_tuned");
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
    expect_input_error(write_toy("ppl_str.json", "ppl_full_ft", "\"-\""), "ppl_full_ft");
    expect_input_error(write_toy("no_ft.json", "ppl_full_ft", NULL), "ppl_full_ft");
    expect_input_error(write_toy("no_zs.json", "ppl_full_zero_shot", NULL), "ppl_full_zero_shot");
    expect_input_error(write_toy("zs_low.json", "ppl_full_zero_shot", "0"), "ppl_full_zero_shot");
    expect_input_error(write_toy("gamma_neg.json", "ppl_gamma", "-2"), "ppl_gamma");
    expect_input_error(write_toy("rho_one.json", "ppl_transfer_ratio", "1"), "ppl_transfer_ratio");
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

/* The toy's point with one key of it replaced: {"emulator_blocks": 5,
 * "emulator": "layer_drop", "ppl_on_emulator": 12.5, "ppl_plugged": 11}. */
static const char *toy_point(const char *file_name, const char *point_json)
{
    char calib[512];
    snprintf(calib, sizeof calib, "[%s]", point_json);
    return write_toy(file_name, "calibration", calib);
}

static void calibration_outside_its_ranges_is_rejected(void)
{
    expect_input_error(toy_point("calib_b1.json", "{\"emulator_blocks\": 1, \"emulator\": "
                                                  "\"layer_drop\", \"ppl_plugged\": 13}"),
                       "calibration[0].emulator_blocks");
    expect_input_error(toy_point("calib_b11.json", "{\"emulator_blocks\": 11, \"emulator\": "
                                                   "\"layer_drop\", \"ppl_plugged\": 13}"),
                       "calibration[0].emulator_blocks");
    /* The emulator's kind is required and spelled exactly. */
    expect_input_error(
        toy_point("calib_kind.json", "{\"emulator_blocks\": 5, \"ppl_plugged\": 13}"),
        "calibration[0].emulator");
    expect_input_error(toy_point("calib_kind2.json", "{\"emulator_blocks\": 5, \"emulator\": "
                                                     "\"Distilled\", \"ppl_plugged\": 13}"),
                       "calibration[0].emulator");
    expect_input_error(toy_point("calib_derived.json", "{\"emulator_blocks\": 5, \"emulator\": "
                                                       "\"distilled\", \"derived\": 1, "
                                                       "\"ppl_plugged\": 13}"),
                       "calibration[0].derived");
    /* A point must carry a tuned perplexity. */
    expect_input_error(toy_point("calib_none.json",
                                 "{\"emulator_blocks\": 5, \"emulator\": "
                                 "\"distilled\", \"ppl_emulator_zero_shot\": 30}"),
                       "calibration[0]");
    /* Below the anchor (ppl_full_ft = 10): an emulator never beats the full model. */
    expect_input_error(
        write_toy("calib_ppl.json", "calibration",
                  "[{\"emulator_blocks\": 5, \"emulator\": \"layer_drop\", \"ppl_plugged\": 12.5}, "
                  "{\"emulator_blocks\": 4, \"emulator\": \"layer_drop\", \"ppl_plugged\": 9}]"),
        "calibration[1].ppl_plugged");
    expect_input_error(toy_point("calib_emu.json", "{\"emulator_blocks\": 5, \"emulator\": "
                                                   "\"layer_drop\", \"ppl_on_emulator\": 9.5}"),
                       "calibration[0].ppl_on_emulator");
    /* b = M only: the anchor, but nothing about the loss below it. */
    expect_input_error(toy_point("calib_m.json", "{\"emulator_blocks\": 10, \"emulator\": "
                                                 "\"layer_drop\", \"ppl_plugged\": 11}"),
                       "calibration");
    expect_input_error(write_toy("calib_empty.json", "calibration", "[]"), "calibration");
    expect_input_error(write_toy("calib_obj.json", "calibration", "{}"), "calibration");
}

static void an_anchor_that_cannot_be_derived_is_rejected(void)
{
    /* ppl_full_ft null and no point with both tuned columns. */
    expect_input_error(write_toy2("no_anchor.json", "ppl_full_ft", "null", "calibration",
                                  "[{\"emulator_blocks\": 5, \"emulator\": \"layer_drop\", "
                                  "\"ppl_plugged\": 11}]"),
                       "ppl_full_ft");
    /* Deriving needs the emulator column above the plugged-in one. */
    expect_input_error(write_toy2("bad_order.json", "ppl_full_ft", "null", "calibration",
                                  "[{\"emulator_blocks\": 5, \"emulator\": \"layer_drop\", "
                                  "\"ppl_on_emulator\": 11, \"ppl_plugged\": 12}]"),
                       "calibration[0].ppl_on_emulator");
    /* A ratio that puts the anchor below 1: (1.5 - 0.9 * 20) / 0.1 < 1. */
    expect_input_error(write_toy2("low_anchor.json", "ppl_full_ft",
                                  "null, \"ppl_transfer_ratio\": 0.9", "calibration",
                                  "[{\"emulator_blocks\": 5, \"emulator\": \"layer_drop\", "
                                  "\"ppl_on_emulator\": 20, \"ppl_plugged\": 1.5}]"),
                       "ppl_transfer_ratio");
}

/* The shipped profiles, for the data-quality properties. */
static const char *const all_models[] = {"gpt2-xl", "opt-1.3b", "opt-2.7b", "opt-6.7b",
                                         "bloom-7.1b"};
#define N_MODELS (sizeof all_models / sizeof all_models[0])

static void untuned_perplexity_is_the_zero_shot_value_or_the_anchor_over_0_4(void)
{
    for (size_t i = 0; i < TABLE_ROWS; i++) {
        et_fm fm;
        if (!load_model(table[i].name, &fm)) continue;
        CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_untuned(&fm), table[i].full_zero_shot, 0.0);
    }
    /* OPT-2.7B publishes none: A / 0.4 = 11.2145 / 0.4, within 0.3% of 28.12, the zero-shot
     * value interpolated log-linearly in log parameters between OPT-1.3B (31.48) and OPT-6.7B
     * (24.24) with the anchor's t = 0.43217. */
    et_fm fm;
    if (!load_model("opt-2.7b", &fm)) return;
    assert_rel(et_fm_ppl_untuned(&fm), fm.ppl_full_ft / ANCHOR_OVER_UNTUNED, REL_TOL);
    CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_untuned(&fm), 28.036, 1e-3);
    double interpolated = exp(log(31.48) + 0.43217 * (log(24.24) - log(31.48)));
    CU_ASSERT(fabs(et_fm_ppl_untuned(&fm) / interpolated - 1.0) < 0.003);
}

static void no_data_gives_the_untuned_perplexity(void)
{
    for (size_t i = 0; i < N_MODELS; i++) {
        et_fm fm;
        if (!load_model(all_models[i], &fm)) continue;
        double untuned = et_fm_ppl_untuned(&fm);
        for (int b = 0; b <= fm.middle_blocks; b++) {
            CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_plug_data(&fm, b, 0.0), untuned, 0.0);
            CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_plug_data(&fm, b, -1e4), untuned, 0.0);
            CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_plug_data(&fm, b, NAN), untuned, 0.0);
        }
        CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_data_gain_share(&fm, 0.0), 0.0, 0.0);
        CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_data_gain_share(&fm, NAN), 0.0, 0.0);
    }
}

/* Checks PPL(b, D) < untuned for every b of fm and every D in d[]. */
static void expect_below_untuned(const et_fm *fm, const double *d, size_t n_d)
{
    double untuned = et_fm_ppl_untuned(fm);
    for (int b = 0; b <= fm->middle_blocks; b++) {
        for (size_t k = 0; k < n_d; k++) {
            double ppl = et_fm_ppl_plug_data(fm, b, d[k]);
            CU_ASSERT(ppl < untuned);
            if (!(ppl < untuned))
                fprintf(stderr, "\n  %s b = %d, D = %g: %.17g, untuned %.17g\n", fm->name, b, d[k],
                        ppl, untuned);
        }
    }
}

static void any_data_at_all_gives_less_than_the_untuned_perplexity(void)
{
    /* One token included, and data so small that the gain rounds away. */
    static const double d[] = {1e-300, 1e-12, 1e-3, 0.5, 1.0, 2.0, 10.0, 512.0,
                               1e4,    3e4,   1e5,  3e5, 1e6, 1e9, 1e15, INFINITY};
    const size_t n_d = sizeof d / sizeof d[0];
    for (size_t i = 0; i < N_MODELS; i++) {
        et_fm fm;
        if (!load_model(all_models[i], &fm)) continue;
        expect_below_untuned(&fm, d, n_d);
        /* One token is a real gain, not only a rounding step: 1 / (1 + 1e5) of the log gain. */
        int m = fm.middle_blocks;
        double one = et_fm_ppl_plug_data(&fm, m, 1.0), untuned = et_fm_ppl_untuned(&fm);
        assert_rel(log(untuned / one), log(untuned / fm.ppl_full_ft) / (1.0 + DATA_SCALE_TOKENS),
                   1e-6);
    }
    /* The corners of the keys' ranges: D_c = 1e12 with alpha = 5 leaves one token a gain
     * of 1e-60 of the log gain, which rounds away. */
    const char *path =
        write_toy2("data_corner.json", "ppl_data_scale_tokens", "1e12", "ppl_data_exponent", "5");
    et_fm fm;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_fm_load(path, &fm, &err), ET_OK);
    expect_below_untuned(&fm, d, n_d);
    path =
        write_toy2("data_corner2.json", "ppl_data_scale_tokens", "1", "ppl_data_exponent", "0.05");
    CU_ASSERT_EQUAL_FATAL(et_fm_load(path, &fm, &err), ET_OK);
    expect_below_untuned(&fm, d, n_d);
}

static void quality_never_worsens_with_more_data_or_a_larger_emulator(void)
{
    for (size_t i = 0; i < N_MODELS; i++) {
        et_fm fm;
        if (!load_model(all_models[i], &fm)) continue;
        /* 400 steps of 10^0.05 from 0.1 to 1e19 token-epochs. */
        for (int k = 0; k < 400; k++) {
            double d = 0.1 * pow(10.0, 0.05 * k), d_next = 0.1 * pow(10.0, 0.05 * (k + 1));
            CU_ASSERT(et_fm_ppl_data_gain_share(&fm, d_next) >= et_fm_ppl_data_gain_share(&fm, d));
            for (int b = 0; b <= fm.middle_blocks; b++) {
                double ppl = et_fm_ppl_plug_data(&fm, b, d);
                CU_ASSERT(et_fm_ppl_plug_data(&fm, b, d_next) <= ppl);
                if (b < fm.middle_blocks) CU_ASSERT(et_fm_ppl_plug_data(&fm, b + 1, d) <= ppl);
            }
        }
    }
    /* Diminishing returns, strictly, across the default tasks (1e4 .. 3e5 token-epochs):
     * each further 1e4 token-epochs gain less than the ones before. */
    et_fm fm;
    if (!load_model("opt-2.7b", &fm)) return;
    for (int b = 3; b <= fm.middle_blocks; b++) {
        double prev_gain = INFINITY;
        for (double d = 1e4; d < 3e5; d += 1e4) {
            double gain = et_fm_ppl_plug_data(&fm, b, d) - et_fm_ppl_plug_data(&fm, b, d + 1e4);
            CU_ASSERT(gain > 0.0 && gain < prev_gain);
            prev_gain = gain;
        }
    }
}

static void quality_tends_to_the_plug_in_curve_as_data_grows(void)
{
    for (size_t i = 0; i < N_MODELS; i++) {
        et_fm fm;
        if (!load_model(all_models[i], &fm)) continue;
        double untuned = et_fm_ppl_untuned(&fm);
        for (int b = 0; b <= fm.middle_blocks; b++) {
            double plug = et_fm_ppl_plug(&fm, b);
            if (plug < untuned) {
                assert_rel(et_fm_ppl_plug_data(&fm, b, INFINITY), plug, 1e-12);
                /* 1e12 token-epochs leave 1e-7 of the log gain. */
                assert_rel(et_fm_ppl_plug_data(&fm, b, 1e12), plug, 1e-7);
                CU_ASSERT(et_fm_ppl_plug_data(&fm, b, 1e12) >= plug);
            } else {
                /* The extrapolated curve is worse than no tuning (BLOOM-7.1B, b <= 10): the
                 * plateau is the untuned model, less one rounding step. */
                CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_plug_data(&fm, b, 1e12), nextafter(untuned, 0.0),
                                       0.0);
            }
        }
    }
}

static void half_of_the_log_gain_is_reached_at_the_data_scale(void)
{
    /* OPT-2.7B, SERVER (b = M): PPL_0 = A / 0.4, so at D = D_c the perplexity is
     * sqrt(PPL_0 A) = A / sqrt(0.4) = 17.7317. */
    et_fm fm;
    if (!load_model("opt-2.7b", &fm)) return;
    double a = fm.ppl_full_ft;
    CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_data_gain_share(&fm, DATA_SCALE_TOKENS), 0.5, 1e-15);
    assert_rel(et_fm_ppl_plug_data(&fm, fm.middle_blocks, DATA_SCALE_TOKENS),
               a / sqrt(ANCHOR_OVER_UNTUNED), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_plug_data(&fm, fm.middle_blocks, DATA_SCALE_TOKENS), 17.7317,
                           1e-4);
    /* alpha = 1: the share is D / (D + D_c); 3e5 token-epochs reach 3/4 of the log gain. */
    CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_data_gain_share(&fm, 3e5), 0.75, 1e-15);
    assert_rel(et_fm_ppl_plug_data(&fm, 14, 3e5),
               et_fm_ppl_untuned(&fm) * pow(et_fm_ppl_plug(&fm, 14) / et_fm_ppl_untuned(&fm), 0.75),
               1e-12);
}

static void data_keys_change_the_law_as_documented(void)
{
    /* Toy: untuned 10 / 0.4 = 25 (no zero-shot value), PPL_plug(5) = 11. With D_c = 1000 and
     * alpha = 2, 2000 token-epochs reach 1 / (1 + (1000 / 2000)^2) = 0.8 of the log gain. */
    const char *path =
        write_toy2("data_keys.json", "ppl_data_scale_tokens", "1000", "ppl_data_exponent", "2");
    et_fm fm;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_fm_load(path, &fm, &err), ET_OK);
    CU_ASSERT_DOUBLE_EQUAL(fm.ppl_data_scale_tokens, 1000.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(fm.ppl_data_exponent, 2.0, 0.0);
    assert_rel(et_fm_ppl_untuned(&fm), 25.0, REL_TOL);
    CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_data_gain_share(&fm, 1000.0), 0.5, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_data_gain_share(&fm, 2000.0), 0.8, 1e-15);
    assert_rel(et_fm_ppl_plug_data(&fm, 5, 2000.0), 25.0 * pow(11.0 / 25.0, 0.8), 1e-12);
    /* A published zero-shot value is the untuned perplexity. */
    path = write_toy("data_zero_shot.json", "ppl_full_zero_shot", "30");
    CU_ASSERT_EQUAL_FATAL(et_fm_load(path, &fm, &err), ET_OK);
    CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_plug_data(&fm, 5, 0.0), 30.0, 0.0);
    assert_rel(et_fm_ppl_plug_data(&fm, 5, DATA_SCALE_TOKENS), sqrt(30.0 * 11.0), 1e-12);
}

/* Loads path expecting an input error that names the file, the key, the range and the value. */
static void expect_range_error(const char *path, const char *key, const char *range,
                               const char *got)
{
    char path_copy[4300];
    snprintf(path_copy, sizeof path_copy, "%s", path);
    expect_input_error(path_copy, key);
    et_fm fm;
    et_error err;
    CU_ASSERT_EQUAL(et_fm_load(path_copy, &fm, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, range));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, got));
    CU_ASSERT_PTR_NULL(strchr(err.msg, '\n'));
    if (!strstr(err.msg, range) || !strstr(err.msg, got))
        fprintf(stderr, "\n  message was: %s\n", err.msg);
}

static void data_keys_outside_their_ranges_are_input_errors(void)
{
    static const char scale_range[] = "a number in [1, 1000000000000]";
    static const char exponent_range[] = "a number in [0.05, 5]";
    expect_range_error(write_toy("dc_zero.json", "ppl_data_scale_tokens", "0"),
                       "ppl_data_scale_tokens", scale_range, "got 0");
    expect_range_error(write_toy("dc_neg.json", "ppl_data_scale_tokens", "-1e5"),
                       "ppl_data_scale_tokens", scale_range, "got -100000");
    expect_range_error(write_toy("dc_big.json", "ppl_data_scale_tokens", "1e13"),
                       "ppl_data_scale_tokens", scale_range, "got 10000000000000");
    expect_range_error(write_toy("dc_str.json", "ppl_data_scale_tokens", "\"1e5\""),
                       "ppl_data_scale_tokens", scale_range, "got the string \"1e5\"");
    expect_range_error(write_toy("dc_null.json", "ppl_data_scale_tokens", "null"),
                       "ppl_data_scale_tokens", scale_range, "got null");
    expect_range_error(write_toy("alpha_zero.json", "ppl_data_exponent", "0"), "ppl_data_exponent",
                       exponent_range, "got 0");
    expect_range_error(write_toy("alpha_big.json", "ppl_data_exponent", "5.5"), "ppl_data_exponent",
                       exponent_range, "got 5.5");
    expect_range_error(write_toy("alpha_bool.json", "ppl_data_exponent", "true"),
                       "ppl_data_exponent", exponent_range, "got true");
    /* Case-sensitive, as every key. */
    expect_input_error(write_toy("dc_case.json", "PPL_data_scale_tokens", "1e5"),
                       "PPL_data_scale_tokens");
    expect_input_error(write_toy("dc_dup.json", "ppl_data_exponent", "1, \"ppl_data_exponent\": 2"),
                       "ppl_data_exponent");
}

static void quality_at_offsite_tuning_data_is_within_2_percent_of_its_points(void)
{
    /* docs/models.md section 9: Offsite-Tuning's plug-in points are the converged end of the
     * curve; at the data they were tuned on (epochs x WikiText-2's training tokens) the law
     * is at most 2% above them. Binding: the layer-drop rows, ln(24.24 / 10.78) = 0.810 of
     * log gain with 2 epochs, h = 1 / (1 + 41.8) = 0.0234, +1.9%. */
    for (size_t i = 0; i < TABLE_ROWS; i++) {
        et_fm fm;
        if (!load_model(table[i].name, &fm)) continue;
        double epochs = table[i].distilled ? OT_EPOCHS_DISTILLED : OT_EPOCHS_LAYER_DROP;
        double ppl = et_fm_ppl_plug_data(&fm, table[i].b, epochs * WIKITEXT2_TRAIN_TOKENS);
        CU_ASSERT(ppl >= table[i].plugged);
        CU_ASSERT(ppl <= 1.02 * table[i].plugged);
        if (!(ppl <= 1.02 * table[i].plugged))
            fprintf(stderr, "\n  %s: %.4f against %.2f\n", table[i].name, ppl, table[i].plugged);
    }
    /* The derived OPT-2.7B point stands for a 2-epoch layer-drop run too. */
    et_fm fm;
    if (!load_model("opt-2.7b", &fm)) return;
    double ppl = et_fm_ppl_plug_data(&fm, 18, OT_EPOCHS_LAYER_DROP * WIKITEXT2_TRAIN_TOKENS);
    CU_ASSERT(ppl >= 12.4583 && ppl <= 1.02 * 12.4583);
    /* The frozen table of docs/models.md section 9 (opt-2.7b, SERVER b = 28 and LOCAL b = 14). */
    static const struct {
        int b;
        double d, ppl;
    } frozen[] = {
        {28, 1e4, 25.7956}, {28, 1e5, 17.7318}, {28, 3e5, 14.1015},
        {14, 1e4, 26.2610}, {14, 1e5, 19.5643}, {14, 3e5, 16.3431},
    };
    for (size_t k = 0; k < sizeof frozen / sizeof frozen[0]; k++)
        CU_ASSERT_DOUBLE_EQUAL(et_fm_ppl_plug_data(&fm, frozen[k].b, frozen[k].d), frozen[k].ppl,
                               1e-4);
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
        {"profiles_carry_every_column_of_the_calibration_table",
         profiles_carry_every_column_of_the_calibration_table},
        {"ppl_plug_at_m_equals_the_anchor", ppl_plug_at_m_equals_the_anchor},
        {"ppl_curves_pass_through_every_calibration_point",
         ppl_curves_pass_through_every_calibration_point},
        {"version_1_ppl_is_the_on_emulator_curve", version_1_ppl_is_the_on_emulator_curve},
        {"transfer_ratio_default_fits_gpt2_xl_and_opt_1_3b",
         transfer_ratio_default_fits_gpt2_xl_and_opt_1_3b},
        {"opt_2_7b_borrows_opt_6_7b_losses_at_an_interpolated_anchor",
         opt_2_7b_borrows_opt_6_7b_losses_at_an_interpolated_anchor},
        {"ppl_curves_fall_as_b_grows_and_plug_in_beats_the_emulator",
         ppl_curves_fall_as_b_grows_and_plug_in_beats_the_emulator},
        {"gamma_keeps_its_default_when_every_point_is_at_one_drop_fraction",
         gamma_keeps_its_default_when_every_point_is_at_one_drop_fraction},
        {"several_calibration_points_fit_beta_by_least_squares",
         several_calibration_points_fit_beta_by_least_squares},
        {"points_at_two_drop_fractions_fit_gamma", points_at_two_drop_fractions_fit_gamma},
        {"a_point_at_m_anchors_the_curves_before_full_fine_tune",
         a_point_at_m_anchors_the_curves_before_full_fine_tune},
        {"null_full_fine_tune_derives_the_anchor_with_the_transfer_ratio",
         null_full_fine_tune_derives_the_anchor_with_the_transfer_ratio},
        {"memory_bytes_match_hand_values_for_opt_1_3b",
         memory_bytes_match_hand_values_for_opt_1_3b},
        {"memory_model_within_25_percent_of_offsite_tuning_measurements",
         memory_model_within_25_percent_of_offsite_tuning_measurements},
        {"emulator_speedup_within_factor_1_5_of_measured_3_96x",
         emulator_speedup_within_factor_1_5_of_measured_3_96x},
        {"gpt2_xl_emulator_speedup_within_factor_1_5_of_measured_5_13x",
         gpt2_xl_emulator_speedup_within_factor_1_5_of_measured_5_13x},
        {"lora_trains_only_the_low_rank_factors", lora_trains_only_the_low_rank_factors},
        {"version_1_cost_functions_are_the_full_adapter_mode",
         version_1_cost_functions_are_the_full_adapter_mode},
        {"lora_memory_within_25_percent_of_offsite_tuning_6_2_gb",
         lora_memory_within_25_percent_of_offsite_tuning_6_2_gb},
        {"lora_throughput_gain_near_offsite_tuning_1_6x",
         lora_throughput_gain_near_offsite_tuning_1_6x},
        {"blocks_for_keep_rounds_and_clamps", blocks_for_keep_rounds_and_clamps},
        {"keep_range_rounds_inward_to_k_min_and_k_max",
         keep_range_rounds_inward_to_k_min_and_k_max},
        {"keep_fraction_maps_to_blocks_clamped_to_the_range",
         keep_fraction_maps_to_blocks_clamped_to_the_range},
        {"server_tunes_against_the_full_middle_block", server_tunes_against_the_full_middle_block},
        {"server_quality_beats_every_local_choice_up_to_k_max",
         server_quality_beats_every_local_choice_up_to_k_max},
        {"optional_keys_take_documented_defaults", optional_keys_take_documented_defaults},
        {"missing_file_is_an_input_error_naming_the_file",
         missing_file_is_an_input_error_naming_the_file},
        {"malformed_json_is_an_input_error_with_its_line",
         malformed_json_is_an_input_error_with_its_line},
        {"unknown_key_is_an_input_error_naming_file_and_key",
         unknown_key_is_an_input_error_naming_file_and_key},
        {"duplicate_key_is_an_input_error", duplicate_key_is_an_input_error},
        {"out_of_range_value_is_an_input_error_naming_file_and_key",
         out_of_range_value_is_an_input_error_naming_file_and_key},
        {"calibration_outside_its_ranges_is_rejected", calibration_outside_its_ranges_is_rejected},
        {"an_anchor_that_cannot_be_derived_is_rejected",
         an_anchor_that_cannot_be_derived_is_rejected},
        {"untuned_perplexity_is_the_zero_shot_value_or_the_anchor_over_0_4",
         untuned_perplexity_is_the_zero_shot_value_or_the_anchor_over_0_4},
        {"no_data_gives_the_untuned_perplexity", no_data_gives_the_untuned_perplexity},
        {"any_data_at_all_gives_less_than_the_untuned_perplexity",
         any_data_at_all_gives_less_than_the_untuned_perplexity},
        {"quality_never_worsens_with_more_data_or_a_larger_emulator",
         quality_never_worsens_with_more_data_or_a_larger_emulator},
        {"quality_tends_to_the_plug_in_curve_as_data_grows",
         quality_tends_to_the_plug_in_curve_as_data_grows},
        {"half_of_the_log_gain_is_reached_at_the_data_scale",
         half_of_the_log_gain_is_reached_at_the_data_scale},
        {"data_keys_change_the_law_as_documented", data_keys_change_the_law_as_documented},
        {"data_keys_outside_their_ranges_are_input_errors",
         data_keys_outside_their_ranges_are_input_errors},
        {"quality_at_offsite_tuning_data_is_within_2_percent_of_its_points",
         quality_at_offsite_tuning_data_is_within_2_percent_of_its_points},
        {NULL, NULL},
    };
    return et_test_main("fm", cases);
}
