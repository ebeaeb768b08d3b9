/* fm.c: foundation-model profiles and the cost/quality model (fm.h).
 *
 * Loading is strict: every key is checked for type,
 * integer-ness and range, unknown and duplicate keys are errors, and each
 * error is one line naming the file, the key, the accepted range and the
 * value found. The cost functions are the closed forms of docs/models.md
 * sections 2-5; the quality model (two perplexity curves, plug-in and
 * on-emulator, through Offsite-Tuning's calibration table) is fitted at load
 * time. The constants fitted to Offsite-Tuning's measurements (Xiao et al.
 * 2023, arXiv 2302.04870) are defined and justified below and in
 * docs/models.md. */
#include "fm.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsontext.h"
#include "numtext.h"

/* Activation memory per token of context, per transformer block, per unit of
 * width, in bytes. Fitted so the memory model reproduces Offsite-Tuning's
 * measured peak memory for OPT-1.3B (batch 1, block 512, 1 GPU): full
 * fine-tuning 30,458 MB and 2-8-2 emulator tuning 9,336 MB, read as MiB
 * (PyTorch's convention). Subtracting the weight/optimizer bytes of the model
 * below leaves 885,861 B (full) and 902,756 B (emulator) per token-block; the
 * least-squares fit in relative error over both is 898,141 B, i.e. 438.5 B per
 * unit of width (width 2048). Rounded to 438, the model lands within 0.5% of
 * both measurements. Per-token activation memory scales with width (Korthikanti
 * et al. 2022: s b h (34 + 5 a s / h) bytes per layer), so other profiles use
 * 438 * width unless they set activation_bytes_per_token_block. The constant is
 * about 6x the textbook fp16 figure because it also absorbs fp32 upcasts,
 * the logits and allocator slack of the measured PyTorch runs. */
#define FM_ACTIVATION_BYTES_PER_TOKEN_BLOCK_PER_WIDTH 438.0

/* Per-step update overhead of a trainable parameter (Adam step, fp32 master
 * copy and casts, gradient clipping and zeroing), amortised as FLOP-equivalents
 * per token. The plain 6/4 FLOP rule predicts a 2.57x speed-up of 2-8-2
 * emulator tuning over full fine-tuning for OPT-1.3B and 3.27x for GPT2-XL
 * 2-16-2, against 3.96x (5207 vs 1316 tokens/s) and 5.13x (4905 vs 957)
 * measured by Offsite-Tuning: at batch 1 x 512 tokens the memory-bound
 * per-step work on the trainable weights is a large share of full
 * fine-tuning. Least squares in log speed-up over both models gives u = 6.93;
 * rounded to 7 the model predicts 3.71x (-6%) and 5.38x (+5%). */
#define FM_OPTIMIZER_FLOPS_PER_PARAM_TOKEN 7.0

/* Mixed-precision Adam: fp16 weights (2) + fp16 grads (2) + fp32 master (4) +
 * two fp32 moments (8) = 16 bytes per trainable parameter (ZeRO paper,
 * Rajbhandari et al. 2020, section 3.1). */
#define FM_TRAINABLE_BYTES_PER_PARAM 16.0

/* Profiles are a few hundred bytes; refuse anything absurdly large. */
#define FM_MAX_FILE_BYTES (1 << 20)

/* Shape exponent of both perplexity curves when the profile neither sets
 * ppl_gamma nor gives points at two drop fractions to fit it from (no
 * published row does: each model was measured with one emulator). 2 makes
 * the loss convex in the drop fraction: dropping a few middle blocks costs
 * little, dropping most costs fast, as layer-pruning studies of LLMs report
 * (Gromov et al. 2024, arXiv 2403.17887). An assumption; docs/models.md. */
#define FM_PPL_GAMMA_DEFAULT 2.0

/* rho = (PPL_plug(b) - A) / (PPL_emu(b) - A): the share of the emulator's
 * perplexity loss that remains when the adapter is plugged into the full
 * model. The two rows with a published anchor give 0.3350 (GPT2-XL: 1.36 /
 * 4.06) and 0.2086 (OPT-1.3B: 0.63 / 3.02); least squares through the origin
 * of the relative gaps (PPL_plug / A - 1 against PPL_emu / A - 1) gives
 * 0.28515, rounded to 0.285. Independent of gamma, since both gaps of a row
 * are at the same b. docs/models.md section 4. */
#define FM_PPL_TRANSFER_RATIO_DEFAULT 0.285

/* Data dependence of quality (docs/models.md section 9): with D = tokens x epochs, the
 * share of the log-perplexity gain of tuning still missing is h(D) = 1 / (1 + (D / D_c)^alpha),
 * the rectified scaling law of fine-tuning (Lin et al. 2024, arXiv 2402.02314: L(D) = B /
 * (D_l + D^alpha) + E, with D_l = D_c^alpha its "pre-learned data size"). D_c is the data at
 * which half of the gain is reached.
 *
 * alpha = 1 (an assumption; no published fine-tuning exponent was found to fit): the
 * plateau PPL_plug(b) is set by the adapter and the emulator, not by the data, and the excess
 * loss of a fixed-capacity model near its infinite-data limit is taken to fall as 1 / D, the
 * classical rate of parametric estimation (Bahri et al. 2021, arXiv 2102.06701, call this
 * regime variance-limited). With alpha = 1 the law is also Hernandez et al.'s reading of
 * transfer (arXiv 2102.01293): the pre-trained model behaves as if it had D_c more tokens of
 * the task's data.
 *
 * D_c = 1e5 token-epochs: the largest round value that keeps every Offsite-Tuning plug-in
 * point within 2% of its converged value at the data it was tuned on. Its layer-drop runs
 * (OPT-6.7B, BLOOM-7.1B; OPT-2.7B's derived point) made 2 epochs over WikiText-2's
 * 2,088,628 training tokens (D = 4.18e6), its distilled runs 50 (D = 1.04e8): the binding
 * point, OPT-6.7B 2-18-2 (log gain ln(24.24 / 10.78) = 0.810), needs h <= ln(1.02) / 0.810,
 * i.e. D_c <= 1.05e5. Half the gain after 1e5 token-epochs is about 24 optimizer steps of
 * those runs (8 GPUs x 1 sequence x 512 tokens per step). */
#define FM_PPL_DATA_SCALE_TOKENS_DEFAULT 1e5
#define FM_PPL_DATA_EXPONENT_DEFAULT 1.0

/* Ranges the two keys accept: D_c from one token to far beyond any task; alpha from a
 * nearly flat law to a nearly sharp step. */
#define FM_PPL_DATA_SCALE_TOKENS_MIN 1.0
#define FM_PPL_DATA_SCALE_TOKENS_MAX 1e12
#define FM_PPL_DATA_EXPONENT_MIN 0.05
#define FM_PPL_DATA_EXPONENT_MAX 5.0

/* Untuned perplexity over the anchor A when a profile does not publish its full zero-shot
 * perplexity: the OPT rows of Offsite-Tuning's table give 12.52 / 31.48 = 0.398 (OPT-1.3B)
 * and 9.7038 / 24.24 = 0.400 (OPT-6.7B, derived anchor), so PPL_0 = A / 0.4. For OPT-2.7B
 * that is 28.04, within 0.3% of 28.12, the zero-shot value interpolated log-linearly in log
 * parameters between OPT-1.3B and OPT-6.7B as its anchor is. */
#define FM_PPL_ANCHOR_OVER_UNTUNED 0.4

/* Range searched for a fitted gamma: the range the ppl_gamma key accepts. */
#define FM_PPL_GAMMA_MIN 0.1
#define FM_PPL_GAMMA_MAX 10.0

/* Two drop fractions closer than this are the same point for the purpose of
 * deciding whether gamma can be fitted. */
#define FM_SAME_R_EPS 1e-12

/* The top-level keys a profile may contain (docs/models.md). */
static const char *const fm_known_keys[] = {
    "name",
    "source",
    "blocks",
    "width",
    "params_per_block",
    "embedding_params",
    "embeddings_in_adapter",
    "bytes_per_param",
    "adapter_bottom",
    "adapter_top",
    "ppl_full_zero_shot",
    "ppl_full_ft",
    "calibration",
    "ppl_gamma",
    "ppl_transfer_ratio",
    "lora_rank",
    "activation_bytes_per_token_block",
    "optimizer_flops_per_param_token",
    "ppl_data_scale_tokens",
    "ppl_data_exponent",
};
/* The keys of one calibration point, named after Offsite-Tuning's columns. */
static const char *const fm_calib_keys[] = {
    "emulator_blocks",        "emulator",        "derived",
    "ppl_emulator_zero_shot", "ppl_on_emulator", "ppl_plugged",
};

/* Writes a short description of a JSON value for error messages. */
static void fm_describe(const cJSON *item, char *buf, size_t buf_size)
{
    if (!item)
        snprintf(buf, buf_size, "nothing");
    else if (cJSON_IsNumber(item))
        snprintf(buf, buf_size, "%.15g", item->valuedouble);
    else if (cJSON_IsString(item))
        snprintf(buf, buf_size, "the string \"%.40s\"", item->valuestring);
    else if (cJSON_IsBool(item))
        snprintf(buf, buf_size, "%s", cJSON_IsTrue(item) ? "true" : "false");
    else if (cJSON_IsNull(item))
        snprintf(buf, buf_size, "null");
    else if (cJSON_IsArray(item))
        snprintf(buf, buf_size, "an array");
    else
        snprintf(buf, buf_size, "an object");
}

/* Error for a value of the wrong type or out of range; expected reads e.g.
 * "an integer in [3, 1000]". */
static et_status fm_bad(const char *path, et_error *err, const char *key, const char *expected,
                        const cJSON *item)
{
    char got[96];
    if (!item)
        return et_error_set(err, ET_ERR_INPUT, "%s: key '%s': missing; expected %s", path, key,
                            expected);
    fm_describe(item, got, sizeof got);
    return et_error_set(err, ET_ERR_INPUT, "%s: key '%s': expected %s, got %s", path, key, expected,
                        got);
}

/* Rejects duplicate keys and keys not in known[] (case-sensitive). prefix is
 * prepended to key names in messages ("" or "calibration[0]."). */
static et_status fm_check_keys(const char *path, et_error *err, const cJSON *obj,
                               const char *prefix, const char *const *known, size_t n_known)
{
    for (const cJSON *it = obj->child; it; it = it->next) {
        int found = 0;
        for (size_t i = 0; i < n_known && !found; i++)
            found = strcmp(it->string, known[i]) == 0;
        if (!found) {
            char list[512] = "";
            for (size_t i = 0; i < n_known; i++) {
                strncat(list, known[i], sizeof list - strlen(list) - 1);
                if (i + 1 < n_known) strncat(list, ", ", sizeof list - strlen(list) - 1);
            }
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key '%s%s': unknown key (expected one of %s)", path, prefix,
                                it->string, list);
        }
        for (const cJSON *prev = obj->child; prev != it; prev = prev->next)
            if (strcmp(prev->string, it->string) == 0)
                return et_error_set(err, ET_ERR_INPUT, "%s: key '%s%s': duplicate key", path,
                                    prefix, it->string);
    }
    return ET_OK;
}

/* Reads an integer in [lo, hi]; a missing key takes *out's preset value when
 * optional, else is an error. key_label names the key in messages. */
static et_status fm_get_int(const char *path, et_error *err, const cJSON *obj, const char *key,
                            const char *key_label, double lo, double hi, int optional, double *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    char expected[96];
    snprintf(expected, sizeof expected, "an integer in [%.15g, %.15g]", lo, hi);
    if (!item && optional) return ET_OK;
    if (!cJSON_IsNumber(item)) return fm_bad(path, err, key_label, expected, item);
    double v = item->valuedouble;
    if (!isfinite(v) || floor(v) != v || v < lo || v > hi)
        return fm_bad(path, err, key_label, expected, item);
    *out = v;
    return ET_OK;
}

/* Reads a finite number in [lo, hi]; optional as for fm_get_int. */
static et_status fm_get_number(const char *path, et_error *err, const cJSON *obj, const char *key,
                               const char *key_label, double lo, double hi, int optional,
                               double *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    char expected[96];
    snprintf(expected, sizeof expected, "a number in [%.15g, %.15g]", lo, hi);
    if (!item && optional) return ET_OK;
    if (!cJSON_IsNumber(item)) return fm_bad(path, err, key_label, expected, item);
    double v = item->valuedouble;
    if (!isfinite(v) || v < lo || v > hi) return fm_bad(path, err, key_label, expected, item);
    *out = v;
    return ET_OK;
}

/* Reads a string of 1 .. max_len bytes into out (out_size > max_len). */
static et_status fm_get_string(const char *path, et_error *err, const cJSON *obj, const char *key,
                               size_t max_len, char *out, size_t out_size)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    char expected[96];
    snprintf(expected, sizeof expected, "a non-empty string of at most %zu bytes", max_len);
    if (!cJSON_IsString(item) || item->valuestring[0] == '\0' ||
        strlen(item->valuestring) > max_len)
        return fm_bad(path, err, key, expected, item);
    size_t len = strlen(item->valuestring);
    if (out && len < out_size) memcpy(out, item->valuestring, len + 1);
    return ET_OK;
}

/* Reads a required key whose value is a number in [lo, hi] or null (a column
 * Offsite-Tuning did not publish, "-" in its tables), stored as NAN. */
static et_status fm_get_number_or_null(const char *path, et_error *err, const cJSON *obj,
                                       const char *key, double lo, double hi, double *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsNull(item)) {
        *out = NAN;
        return ET_OK;
    }
    char expected[96];
    snprintf(expected, sizeof expected, "a number in [%.15g, %.15g] or null (not published)", lo,
             hi);
    if (!cJSON_IsNumber(item)) return fm_bad(path, err, key, expected, item);
    double v = item->valuedouble;
    if (!isfinite(v) || v < lo || v > hi) return fm_bad(path, err, key, expected, item);
    *out = v;
    return ET_OK;
}

/* Parses calibration[i] into fm->calib[i] (needs M): types, and the ranges
 * that do not depend on the anchor. Columns left out are NAN. */
static et_status fm_parse_point(const char *path, et_error *err, const cJSON *pt, int i, et_fm *fm)
{
    char label[64], prefix[32];
    snprintf(prefix, sizeof prefix, "calibration[%d].", i);
    if (!cJSON_IsObject(pt)) {
        snprintf(label, sizeof label, "calibration[%d]", i);
        return fm_bad(path, err, label, "an object {\"emulator_blocks\", \"emulator\", ...}", pt);
    }
    et_status st = fm_check_keys(path, err, pt, prefix, fm_calib_keys,
                                 sizeof fm_calib_keys / sizeof fm_calib_keys[0]);
    if (st != ET_OK) return st;
    et_fm_calib *c = &fm->calib[i];

    double b = 0.0;
    snprintf(label, sizeof label, "%semulator_blocks", prefix);
    st = fm_get_int(path, err, pt, "emulator_blocks", label, 2, fm->middle_blocks, 0, &b);
    if (st != ET_OK) return st;
    c->emulator_blocks = (int)b;
    c->keep = b / fm->middle_blocks;

    /* Required: a distilled emulator degrades several times less than plain
     * layer drop, so a point without its kind cannot be read. */
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(pt, "emulator");
    snprintf(label, sizeof label, "%semulator", prefix);
    if (cJSON_IsString(kind) && strcmp(kind->valuestring, "layer_drop") == 0)
        c->emulator = ET_FM_EMULATOR_LAYER_DROP;
    else if (cJSON_IsString(kind) && strcmp(kind->valuestring, "distilled") == 0)
        c->emulator = ET_FM_EMULATOR_DISTILLED;
    else
        return fm_bad(path, err, label, "\"layer_drop\" or \"distilled\"", kind);

    const cJSON *derived = cJSON_GetObjectItemCaseSensitive(pt, "derived");
    c->derived = 0;
    if (derived) {
        snprintf(label, sizeof label, "%sderived", prefix);
        if (!cJSON_IsBool(derived)) return fm_bad(path, err, label, "true or false", derived);
        c->derived = cJSON_IsTrue(derived) ? 1 : 0;
    }

    static const char *const columns[] = {"ppl_emulator_zero_shot", "ppl_on_emulator",
                                          "ppl_plugged"};
    double *values[] = {&c->ppl_emulator_zero_shot, &c->ppl_on_emulator, &c->ppl_plugged};
    for (size_t k = 0; k < sizeof columns / sizeof columns[0]; k++) {
        *values[k] = NAN;
        snprintf(label, sizeof label, "%s%s", prefix, columns[k]);
        st = fm_get_number(path, err, pt, columns[k], label, 1, 1e6, 1, values[k]);
        if (st != ET_OK) return st;
    }
    if (isnan(c->ppl_on_emulator) && isnan(c->ppl_plugged)) {
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'calibration[%d]': expected at least one of ppl_on_emulator "
                            "and ppl_plugged, got neither",
                            path, i);
    }
    return ET_OK;
}

/* Sets the anchor A = PPL_plug(M) = PPL_emu(M) (fm->ppl_full_ft) and where it
 * comes from, in order of precedence: a point at b = M (there the emulator is
 * the full model, so both columns measure the adapter tuned against the full
 * middle block: their mean); else the full fine-tune column, the closest
 * published number; else derived. Derived: with rho = ppl_transfer_ratio, a
 * point with both columns satisfies P - A = rho (E - A), so
 * A = (P - rho E) / (1 - rho); the mean over such points. */
static et_status fm_set_anchor(const char *path, et_error *err, et_fm *fm)
{
    double sum = 0.0;
    int n = 0;
    for (int i = 0; i < fm->n_calib; i++) {
        const et_fm_calib *c = &fm->calib[i];
        if (c->emulator_blocks != fm->middle_blocks) continue;
        if (!isnan(c->ppl_on_emulator)) sum += c->ppl_on_emulator, n++;
        if (!isnan(c->ppl_plugged)) sum += c->ppl_plugged, n++;
    }
    if (n > 0) {
        fm->ppl_full_ft = sum / n;
        fm->ppl_anchor = ET_FM_ANCHOR_FULL_POINT;
        return ET_OK;
    }
    if (!isnan(fm->ppl_full_fine_tune)) {
        fm->ppl_full_ft = fm->ppl_full_fine_tune;
        fm->ppl_anchor = ET_FM_ANCHOR_FULL_FT;
        return ET_OK;
    }
    double rho = fm->ppl_transfer_ratio;
    for (int i = 0; i < fm->n_calib; i++) {
        const et_fm_calib *c = &fm->calib[i];
        if (isnan(c->ppl_on_emulator) || isnan(c->ppl_plugged)) continue;
        /* The emulator is a lossy stand-in, so the tuned adapter must look
         * worse on it than plugged in; otherwise rho says nothing. */
        if (!(c->ppl_on_emulator > c->ppl_plugged)) {
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key 'calibration[%d].ppl_on_emulator': expected a number "
                                "above ppl_plugged (%.15g) to derive the anchor (ppl_full_ft is "
                                "null), got %.15g",
                                path, i, c->ppl_plugged, c->ppl_on_emulator);
        }
        sum += (c->ppl_plugged - rho * c->ppl_on_emulator) / (1.0 - rho);
        n++;
    }
    if (n == 0) {
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'ppl_full_ft': null needs another anchor: expected a "
                            "calibration point at emulator_blocks = M (%d) or one with both "
                            "ppl_on_emulator and ppl_plugged, got neither",
                            path, fm->middle_blocks);
    }
    fm->ppl_full_ft = sum / n;
    fm->ppl_anchor = ET_FM_ANCHOR_DERIVED;
    if (!(fm->ppl_full_ft >= 1.0)) {
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'ppl_transfer_ratio': expected a ratio that derives an "
                            "anchor perplexity of at least 1 from the calibration points, got "
                            "%.15g (anchor %.15g)",
                            path, rho, fm->ppl_full_ft);
    }
    return ET_OK;
}

/* Every tuned perplexity below b = M must be at least the anchor: in this
 * model an emulator never beats the full model (both betas >= 0). */
static et_status fm_check_points_above_anchor(const char *path, et_error *err, const et_fm *fm)
{
    static const char *const anchor_names[] = {"a point at emulator_blocks = M", "ppl_full_ft",
                                               "derived"};
    double a = fm->ppl_full_ft;
    for (int i = 0; i < fm->n_calib; i++) {
        const et_fm_calib *c = &fm->calib[i];
        if (c->emulator_blocks == fm->middle_blocks) continue;
        const char *column = NULL;
        double v = 0.0;
        if (!isnan(c->ppl_on_emulator) && c->ppl_on_emulator < a)
            column = "ppl_on_emulator", v = c->ppl_on_emulator;
        else if (!isnan(c->ppl_plugged) && c->ppl_plugged < a)
            column = "ppl_plugged", v = c->ppl_plugged;
        if (column) {
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key 'calibration[%d].%s': expected a number in [%.15g, 1e+06] "
                                "(at least the anchor PPL(M), %s), got %.15g",
                                path, i, column, a, anchor_names[fm->ppl_anchor], v);
        }
    }
    return ET_OK;
}

/* The two tuned columns, each fitting one curve. */
enum { FM_COLUMN_PLUGGED = 0, FM_COLUMN_ON_EMULATOR = 1 };

/* A point's value in a column (NAN when not published), or NAN at b = M,
 * where r = 0 says nothing about the loss. */
static double fm_column_value(const et_fm *fm, const et_fm_calib *c, int column)
{
    if (c->emulator_blocks >= fm->middle_blocks) return NAN;
    return column == FM_COLUMN_PLUGGED ? c->ppl_plugged : c->ppl_on_emulator;
}

/* Least-squares beta of one column's curve A (1 + beta r^gamma): with
 * u_i = r_i^gamma and y_i = ppl_i / A - 1, minimising sum_i (A (1 + beta u_i)
 * - ppl_i)^2 gives beta = sum u_i y_i / sum u_i^2 (exact for one point).
 * Returns the number of points (0: *beta NAN); *sse gets the summed squared
 * relative residuals at that beta. */
static int fm_fit_column(const et_fm *fm, int column, double gamma, double *beta, double *sse)
{
    double suy = 0.0, suu = 0.0;
    int n = 0;
    for (int i = 0; i < fm->n_calib; i++) {
        double ppl = fm_column_value(fm, &fm->calib[i], column);
        if (isnan(ppl)) continue;
        double u = pow(1.0 - fm->calib[i].keep, gamma);
        suy += u * (ppl / fm->ppl_full_ft - 1.0);
        suu += u * u;
        n++;
    }
    *beta = n > 0 ? suy / suu : NAN;
    *sse = 0.0;
    for (int i = 0; i < fm->n_calib && n > 0; i++) {
        double ppl = fm_column_value(fm, &fm->calib[i], column);
        if (isnan(ppl)) continue;
        double residual =
            *beta * pow(1.0 - fm->calib[i].keep, gamma) - (ppl / fm->ppl_full_ft - 1.0);
        *sse += residual * residual;
    }
    return n;
}

/* Summed squared residuals of both curves at shape gamma, each at its own
 * least-squares beta: what a fitted gamma minimises. */
static double fm_sse_both_columns(const et_fm *fm, double gamma)
{
    double beta, sse_plug, sse_emu;
    fm_fit_column(fm, FM_COLUMN_PLUGGED, gamma, &beta, &sse_plug);
    fm_fit_column(fm, FM_COLUMN_ON_EMULATOR, gamma, &beta, &sse_emu);
    return sse_plug + sse_emu;
}

/* 1 when one column's points lie at two or more drop fractions below b = M:
 * only then does the curve's shape, and so gamma, follow from data. */
static int fm_column_has_two_r(const et_fm *fm, int column)
{
    double first_r = NAN;
    for (int i = 0; i < fm->n_calib; i++) {
        if (isnan(fm_column_value(fm, &fm->calib[i], column))) continue;
        double r = 1.0 - fm->calib[i].keep;
        if (isnan(first_r))
            first_r = r;
        else if (fabs(r - first_r) > FM_SAME_R_EPS)
            return 1;
    }
    return 0;
}

/* Fits gamma in [FM_PPL_GAMMA_MIN, FM_PPL_GAMMA_MAX] by minimising the
 * squared residuals of both curves (each at its own least-squares beta): a
 * grid of 200 steps in log gamma brackets the minimum, then golden-section
 * search refines it. Deterministic; no random restarts. */
static double fm_fit_gamma(const et_fm *fm)
{
    enum { GRID = 200, GOLDEN_STEPS = 100 };
    double lo = log(FM_PPL_GAMMA_MIN), hi = log(FM_PPL_GAMMA_MAX), step = (hi - lo) / GRID;
    int best = 0;
    double best_sse = INFINITY;
    for (int k = 0; k <= GRID; k++) {
        double sse = fm_sse_both_columns(fm, exp(lo + k * step));
        if (sse < best_sse) best_sse = sse, best = k;
    }
    double a = lo + (best > 0 ? best - 1 : 0) * step;
    double b = lo + (best < GRID ? best + 1 : GRID) * step;
    const double inv_phi = (sqrt(5.0) - 1.0) / 2.0;
    double x1 = b - inv_phi * (b - a), x2 = a + inv_phi * (b - a);
    double f1 = fm_sse_both_columns(fm, exp(x1)), f2 = fm_sse_both_columns(fm, exp(x2));
    for (int k = 0; k < GOLDEN_STEPS; k++) {
        if (f1 <= f2) {
            b = x2, x2 = x1, f2 = f1;
            x1 = b - inv_phi * (b - a);
            f1 = fm_sse_both_columns(fm, exp(x1));
        } else {
            a = x1, x1 = x2, f1 = f2;
            x2 = a + inv_phi * (b - a);
            f2 = fm_sse_both_columns(fm, exp(x2));
        }
    }
    return exp(0.5 * (a + b));
}

/* Parses the calibration array and fits the quality model (needs M and the
 * top-level perplexity keys): anchor, then gamma (the ppl_gamma key if given,
 * else fitted when some curve has points at two drop fractions, else the
 * default), then each curve's beta. A curve without points of its own takes
 * the other's beta through rho. */
static et_status fm_load_quality(const char *path, et_error *err, const cJSON *root, et_fm *fm)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "calibration");
    char expected[128];
    snprintf(expected, sizeof expected,
             "an array of 1 to %d objects {\"emulator_blocks\", \"emulator\", ...}",
             ET_FM_MAX_CALIB);
    if (!cJSON_IsArray(arr)) return fm_bad(path, err, "calibration", expected, arr);
    int n = cJSON_GetArraySize(arr);
    if (n < 1 || n > ET_FM_MAX_CALIB) {
        return et_error_set(err, ET_ERR_INPUT, "%s: key 'calibration': expected %s, got %d entries",
                            path, expected, n);
    }
    for (int i = 0; i < n; i++) {
        et_status st = fm_parse_point(path, err, cJSON_GetArrayItem(arr, i), i, fm);
        if (st != ET_OK) return st;
    }
    fm->n_calib = n;
    et_status st = fm_set_anchor(path, err, fm);
    if (st != ET_OK) return st;
    st = fm_check_points_above_anchor(path, err, fm);
    if (st != ET_OK) return st;

    fm->ppl_gamma_fitted = 0;
    if (!cJSON_GetObjectItemCaseSensitive(root, "ppl_gamma") &&
        (fm_column_has_two_r(fm, FM_COLUMN_PLUGGED) ||
         fm_column_has_two_r(fm, FM_COLUMN_ON_EMULATOR))) {
        fm->ppl_gamma = fm_fit_gamma(fm);
        fm->ppl_gamma_fitted = 1;
    }
    double sse;
    int n_plug = fm_fit_column(fm, FM_COLUMN_PLUGGED, fm->ppl_gamma, &fm->ppl_plug_beta, &sse);
    int n_emu = fm_fit_column(fm, FM_COLUMN_ON_EMULATOR, fm->ppl_gamma, &fm->ppl_beta, &sse);
    if (n_plug == 0 && n_emu == 0) {
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'calibration': expected at least one point with "
                            "emulator_blocks < M = %d (b = M carries no information about the "
                            "loss), got none",
                            path, fm->middle_blocks);
    }
    if (n_plug == 0) fm->ppl_plug_beta = fm->ppl_transfer_ratio * fm->ppl_beta;
    if (n_emu == 0) fm->ppl_beta = fm->ppl_plug_beta / fm->ppl_transfer_ratio;
    return ET_OK;
}

/* Validates the parsed root object into *fm. */
static et_status fm_from_json(const char *path, et_error *err, const cJSON *root, et_fm *fm)
{
    if (!cJSON_IsObject(root)) {
        char got[96];
        fm_describe(root, got, sizeof got);
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: expected a JSON object at the top level, got %s", path, got);
    }
    et_status st = fm_check_keys(path, err, root, "", fm_known_keys,
                                 sizeof fm_known_keys / sizeof fm_known_keys[0]);
    if (st != ET_OK) return st;

    st = fm_get_string(path, err, root, "name", sizeof fm->name - 1, fm->name, sizeof fm->name);
    if (st != ET_OK) return st;
    /* The source is documentation only, but a profile without one is not citable. */
    st = fm_get_string(path, err, root, "source", 4096, NULL, 0);
    if (st != ET_OK) return st;

    double blocks = 0, width = 0, a = 0, c = 0, lora_rank = 8;
    if ((st = fm_get_int(path, err, root, "blocks", "blocks", 3, 1000, 0, &blocks)) != ET_OK)
        return st;
    if ((st = fm_get_int(path, err, root, "width", "width", 1, 1000000, 0, &width)) != ET_OK)
        return st;
    fm->n_blocks = (int)blocks;
    fm->width = (int)width;
    st = fm_get_int(path, err, root, "params_per_block", "params_per_block", 1, 1e12, 0,
                    &fm->params_per_block);
    if (st != ET_OK) return st;
    st = fm_get_int(path, err, root, "embedding_params", "embedding_params", 0, 1e13, 0,
                    &fm->embedding_params);
    if (st != ET_OK) return st;

    const cJSON *emb = cJSON_GetObjectItemCaseSensitive(root, "embeddings_in_adapter");
    fm->embeddings_in_adapter = 1;
    if (emb) {
        if (!cJSON_IsBool(emb))
            return fm_bad(path, err, "embeddings_in_adapter", "true or false", emb);
        fm->embeddings_in_adapter = cJSON_IsTrue(emb) ? 1 : 0;
    }
    fm->bytes_per_param = 2.0;
    st = fm_get_number(path, err, root, "bytes_per_param", "bytes_per_param", 0.125, 8, 1,
                       &fm->bytes_per_param);
    if (st != ET_OK) return st;

    /* The middle block must keep at least 2 blocks (first and last always
     * kept) and something must be trainable: M = L - a - c >= 2, a + c >= 1. */
    st = fm_get_int(path, err, root, "adapter_bottom", "adapter_bottom", 0, blocks - 2, 0, &a);
    if (st != ET_OK) return st;
    st = fm_get_int(path, err, root, "adapter_top", "adapter_top", a > 0 ? 0 : 1, blocks - 2 - a, 0,
                    &c);
    if (st != ET_OK) return st;
    fm->adapter_bottom = (int)a;
    fm->adapter_top = (int)c;
    fm->middle_blocks = fm->n_blocks - fm->adapter_bottom - fm->adapter_top;

    st = fm_get_number_or_null(path, err, root, "ppl_full_zero_shot", 1, 1e6,
                               &fm->ppl_full_zero_shot);
    if (st != ET_OK) return st;
    st = fm_get_number_or_null(path, err, root, "ppl_full_ft", 1, 1e6, &fm->ppl_full_fine_tune);
    if (st != ET_OK) return st;
    fm->ppl_gamma = FM_PPL_GAMMA_DEFAULT;
    st = fm_get_number(path, err, root, "ppl_gamma", "ppl_gamma", FM_PPL_GAMMA_MIN,
                       FM_PPL_GAMMA_MAX, 1, &fm->ppl_gamma);
    if (st != ET_OK) return st;
    fm->ppl_transfer_ratio = FM_PPL_TRANSFER_RATIO_DEFAULT;
    st = fm_get_number(path, err, root, "ppl_transfer_ratio", "ppl_transfer_ratio", 0.001, 0.999, 1,
                       &fm->ppl_transfer_ratio);
    if (st != ET_OK) return st;
    st = fm_get_int(path, err, root, "lora_rank", "lora_rank", 1, width, 1, &lora_rank);
    if (st != ET_OK) return st;
    fm->lora_rank = lora_rank;
    fm->activation_bytes_per_token = FM_ACTIVATION_BYTES_PER_TOKEN_BLOCK_PER_WIDTH * width;
    st = fm_get_number(path, err, root, "activation_bytes_per_token_block",
                       "activation_bytes_per_token_block", 0, 1e12, 1,
                       &fm->activation_bytes_per_token);
    if (st != ET_OK) return st;
    fm->optimizer_flops_per_param_token = FM_OPTIMIZER_FLOPS_PER_PARAM_TOKEN;
    st = fm_get_number(path, err, root, "optimizer_flops_per_param_token",
                       "optimizer_flops_per_param_token", 0, 1000, 1,
                       &fm->optimizer_flops_per_param_token);
    if (st != ET_OK) return st;
    fm->ppl_data_scale_tokens = FM_PPL_DATA_SCALE_TOKENS_DEFAULT;
    st = fm_get_number(path, err, root, "ppl_data_scale_tokens", "ppl_data_scale_tokens",
                       FM_PPL_DATA_SCALE_TOKENS_MIN, FM_PPL_DATA_SCALE_TOKENS_MAX, 1,
                       &fm->ppl_data_scale_tokens);
    if (st != ET_OK) return st;
    fm->ppl_data_exponent = FM_PPL_DATA_EXPONENT_DEFAULT;
    st = fm_get_number(path, err, root, "ppl_data_exponent", "ppl_data_exponent",
                       FM_PPL_DATA_EXPONENT_MIN, FM_PPL_DATA_EXPONENT_MAX, 1,
                       &fm->ppl_data_exponent);
    if (st != ET_OK) return st;

    return fm_load_quality(path, err, root, fm);
}

et_status et_fm_load(const char *path, et_fm *out, et_error *err)
{
    et_error_clear(err);
    if (!path || !out)
        return et_error_set(err, ET_ERR_INTERNAL, "et_fm_load: path and out must be non-NULL");
    /* A regular file of at most FM_MAX_FILE_BYTES, strict JSON (jsontext.h), read the same in
     * any locale of the calling program. */
    cJSON *root = NULL;
    void *saved = et_numtext_enter();
    et_status st = et_jsontext_load(path, "the model profile", "a JSON object: a model profile",
                                    FM_MAX_FILE_BYTES, &root, err);
    et_numtext_leave(saved);
    if (st != ET_OK) return st;
    memset(out, 0, sizeof *out);
    st = fm_from_json(path, err, root, out);
    cJSON_Delete(root);
    return st;
}

/* Products of a keep fraction and M within this of an integer are that
 * integer: keep fractions are often b / M computed in floating point. */
#define FM_BLOCKS_EPS 1e-9

void et_fm_blocks_range(const et_fm *fm, double k_min, double k_max, int *b_min, int *b_max)
{
    int m = fm->middle_blocks;
    if (isnan(k_min)) k_min = 0.0;
    if (isnan(k_max)) k_max = 1.0;
    /* Clamp in floating point first so huge bounds cannot overflow an int. */
    double hi = floor(fmin(fmax(k_max * m, 0.0), m) + FM_BLOCKS_EPS);
    double lo = ceil(fmin(fmax(k_min * m, 0.0), m) - FM_BLOCKS_EPS);
    int b_hi = hi < 2.0 ? 2 : (int)hi;
    if (b_hi > m) b_hi = m;
    /* The owner's k_max wins over the UE's k_min when they conflict. */
    int b_lo = lo < 2.0 ? 2 : (int)lo;
    if (b_lo > b_hi) b_lo = b_hi;
    *b_min = b_lo;
    *b_max = b_hi;
}

int et_fm_blocks_for_keep_range(const et_fm *fm, double keep, double k_min, double k_max)
{
    int b_lo, b_hi;
    et_fm_blocks_range(fm, k_min, k_max, &b_lo, &b_hi);
    if (isnan(keep)) return b_lo;
    double blocks = keep * fm->middle_blocks;
    if (blocks <= b_lo) return b_lo;
    if (blocks >= b_hi) return b_hi;
    int b = (int)lround(blocks); /* halves round away from zero */
    return b < b_lo ? b_lo : (b > b_hi ? b_hi : b);
}

int et_fm_blocks_for_keep(const et_fm *fm, double keep)
{
    return et_fm_blocks_for_keep_range(fm, keep, 0.0, 1.0);
}

double et_fm_emulator_bytes(const et_fm *fm, int b)
{
    return b * fm->params_per_block * fm->bytes_per_param;
}

double et_fm_adapter_bytes(const et_fm *fm)
{
    double params = (fm->adapter_bottom + fm->adapter_top) * fm->params_per_block;
    if (fm->embeddings_in_adapter) params += fm->embedding_params;
    return params * fm->bytes_per_param;
}

double et_fm_trainable_params(const et_fm *fm, int lora)
{
    int adapter_blocks = fm->adapter_bottom + fm->adapter_top;
    if (!lora) return adapter_blocks * fm->params_per_block;
    /* LoRA on the q, k, v and output projections (Hu et al. 2021 adapt the
     * attention weights): A (rank x width) and B (width x rank) per
     * projection. Offsite-Tuning's runs put rank 4 on all six linear layers
     * (18 * 4 * width per block), close to the 8 * 8 * width counted here at
     * the default rank 8. */
    return adapter_blocks * 4.0 * 2.0 * fm->lora_rank * fm->width;
}

double et_fm_result_bytes(const et_fm *fm, int lora)
{
    return et_fm_trainable_params(fm, lora) * fm->bytes_per_param;
}

double et_fm_local_flops(const et_fm *fm, int b, double tokens, double epochs, int lora)
{
    double adapter_params = (fm->adapter_bottom + fm->adapter_top) * fm->params_per_block;
    double trainable_flops =
        (6.0 + fm->optimizer_flops_per_param_token) * et_fm_trainable_params(fm, lora);
    /* With LoRA the adapter's own weights are frozen but still on the
     * gradient path: forward and input gradient only. */
    double frozen_adapter_flops = lora ? 4.0 * adapter_params : 0.0;
    double emulator_flops = 4.0 * b * fm->params_per_block;
    return tokens * epochs * (trainable_flops + frozen_adapter_flops + emulator_flops);
}

double et_fm_tuning_flops(const et_fm *fm, int b, double tokens, double epochs)
{
    return et_fm_local_flops(fm, b, tokens, epochs, 0);
}

double et_fm_full_ft_flops(const et_fm *fm, double tokens, double epochs)
{
    return tokens * epochs * (6.0 + fm->optimizer_flops_per_param_token) * fm->n_blocks *
           fm->params_per_block;
}

/* PPL at b of a curve A (1 + beta r^gamma), b clamped to [0, M]. */
static double fm_ppl_curve(const et_fm *fm, double beta, int b)
{
    int m = fm->middle_blocks;
    if (b < 0) b = 0;
    if (b > m) b = m;
    double r = 1.0 - (double)b / m;
    return fm->ppl_full_ft * (1.0 + beta * pow(r, fm->ppl_gamma));
}

double et_fm_ppl_plug(const et_fm *fm, int b)
{
    return fm_ppl_curve(fm, fm->ppl_plug_beta, b);
}

double et_fm_ppl_emu(const et_fm *fm, int b)
{
    return fm_ppl_curve(fm, fm->ppl_beta, b);
}

double et_fm_ppl(const et_fm *fm, int b)
{
    return et_fm_ppl_emu(fm, b);
}

int et_fm_server_blocks(const et_fm *fm, et_fm_tunes_on tunes_on, int b)
{
    int m = fm->middle_blocks;
    if (tunes_on == ET_FM_TUNES_ON_FULL) return m;
    return b < 0 ? 0 : (b > m ? m : b);
}

double et_fm_server_flops(const et_fm *fm, et_fm_tunes_on tunes_on, int b, double tokens,
                          double epochs, int lora)
{
    return et_fm_local_flops(fm, et_fm_server_blocks(fm, tunes_on, b), tokens, epochs, lora);
}

double et_fm_server_ppl(const et_fm *fm, et_fm_tunes_on tunes_on, int b)
{
    return et_fm_ppl_plug(fm, et_fm_server_blocks(fm, tunes_on, b));
}

const char *et_fm_tunes_on_name(et_fm_tunes_on tunes_on)
{
    switch (tunes_on) {
    case ET_FM_TUNES_ON_FULL:
        return "full";
    case ET_FM_TUNES_ON_EMULATOR:
        return "emulator";
    }
    return "?";
}

double et_fm_local_memory_bytes(const et_fm *fm, int b, double seq_tokens, int lora)
{
    int adapter_blocks = fm->adapter_bottom + fm->adapter_top;
    double trainable = et_fm_trainable_params(fm, lora) * FM_TRAINABLE_BYTES_PER_PARAM;
    double frozen_params = b * fm->params_per_block + fm->embedding_params;
    if (lora) frozen_params += adapter_blocks * fm->params_per_block;
    double activations = fm->activation_bytes_per_token * seq_tokens * (adapter_blocks + b);
    return trainable + frozen_params * fm->bytes_per_param + activations;
}

double et_fm_memory_bytes(const et_fm *fm, int b, double seq_tokens)
{
    return et_fm_local_memory_bytes(fm, b, seq_tokens, 0);
}

double et_fm_full_ft_memory_bytes(const et_fm *fm, double seq_tokens)
{
    double params = fm->n_blocks * fm->params_per_block + fm->embedding_params;
    return params * FM_TRAINABLE_BYTES_PER_PARAM +
           fm->activation_bytes_per_token * seq_tokens * fm->n_blocks;
}

double et_fm_ppl_untuned(const et_fm *fm)
{
    return isfinite(fm->ppl_full_zero_shot) ? fm->ppl_full_zero_shot
                                            : fm->ppl_full_ft / FM_PPL_ANCHOR_OVER_UNTUNED;
}

double et_fm_ppl_data_gain_share(const et_fm *fm, double token_epochs)
{
    if (!(token_epochs > 0)) return 0.0;
    /* 1 - h(D) = 1 / (1 + (D_c / D)^alpha), written so that D = inf gives 1 and a D so small
     * that the power overflows gives 0, never inf / inf. */
    return 1.0 / (1.0 + pow(fm->ppl_data_scale_tokens / token_epochs, fm->ppl_data_exponent));
}

double et_fm_ppl_plug_data(const et_fm *fm, int b, double token_epochs)
{
    double untuned = et_fm_ppl_untuned(fm);
    if (!(token_epochs > 0)) return untuned;
    /* An adapter whose converged plug-in perplexity would be worse than no tuning at all
     * (the extrapolated curve below b_cal can exceed it: BLOOM-7.1B at b <= 10) is not
     * worth serving: its plateau is the untuned model. */
    double converged = fmin(et_fm_ppl_plug(fm, b), untuned);
    double log_gain = log(untuned / converged);
    double ppl = untuned * exp(-log_gain * et_fm_ppl_data_gain_share(fm, token_epochs));
    /* Every token tunes something (the contract): when the gain rounds away (a tiny D, or
     * no gain to be had) the result is the largest double below the untuned value. */
    return ppl < untuned ? ppl : nextafter(untuned, 0.0);
}
