/* fm.c: foundation-model profiles and the cost/quality model (fm.h).
 *
 * Loading is strict (STYLE.md habit 9): every key is checked for type,
 * integer-ness and range, unknown and duplicate keys are errors, and each
 * error is one line naming the file, the key, the accepted range and the
 * value found. The cost functions are the closed forms of DESIGN.md
 * section 3; the two constants fitted to Offsite-Tuning's measurements (Xiao
 * et al. 2023, arXiv 2302.04870) are defined and justified below and in
 * docs/models.md. */
#include "fm.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    "ppl_full_ft",
    "calibration",
    "ppl_gamma",
    "lora_rank",
    "activation_bytes_per_token_block",
    "optimizer_flops_per_param_token",
};
static const char *const fm_calib_keys[] = {"emulator_blocks", "ppl_tuned"};

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

/* Reads the whole file into a NUL-terminated malloc'd buffer. */
static et_status fm_read_file(const char *path, char **text_out, et_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return et_error_set(err, ET_ERR_INPUT, "%s: cannot open model profile (%s)", path,
                            strerror(errno));
    char *text = malloc(FM_MAX_FILE_BYTES + 1);
    if (!text) {
        fclose(f);
        return et_error_set(err, ET_ERR_NOMEM, "%s: out of memory reading the profile", path);
    }
    size_t n = fread(text, 1, FM_MAX_FILE_BYTES + 1, f);
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        free(text);
        return et_error_set(err, ET_ERR_INPUT, "%s: cannot read", path);
    }
    if (n > FM_MAX_FILE_BYTES) {
        free(text);
        return et_error_set(err, ET_ERR_INPUT, "%s: larger than %d bytes; not a profile", path,
                            FM_MAX_FILE_BYTES);
    }
    text[n] = '\0';
    if (strlen(text) != n) {
        free(text);
        return et_error_set(err, ET_ERR_INPUT, "%s: contains a NUL byte; not a JSON text", path);
    }
    *text_out = text;
    return ET_OK;
}

/* Parses the calibration array (needs M, ppl_full_ft and gamma set) and fits
 * beta by least squares: minimising sum_i (PPL_FT (1 + beta u_i) - y_i)^2 with
 * u_i = r_i^gamma gives beta = sum u_i (y_i / PPL_FT - 1) / sum u_i^2, which is
 * exact for a single point. Points at b = M (u = 0) carry no information. */
static et_status fm_load_calibration(const char *path, et_error *err, const cJSON *root, et_fm *fm)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "calibration");
    char expected[128];
    snprintf(expected, sizeof expected,
             "an array of 1 to %d objects {\"emulator_blocks\", \"ppl_tuned\"}", ET_FM_MAX_CALIB);
    if (!cJSON_IsArray(arr)) return fm_bad(path, err, "calibration", expected, arr);
    int n = cJSON_GetArraySize(arr);
    if (n < 1 || n > ET_FM_MAX_CALIB) {
        return et_error_set(err, ET_ERR_INPUT, "%s: key 'calibration': expected %s, got %d entries",
                            path, expected, n);
    }
    double sum_uy = 0.0, sum_uu = 0.0;
    for (int i = 0; i < n; i++) {
        const cJSON *pt = cJSON_GetArrayItem(arr, i);
        char label[64], prefix[32];
        snprintf(prefix, sizeof prefix, "calibration[%d].", i);
        if (!cJSON_IsObject(pt)) {
            snprintf(label, sizeof label, "calibration[%d]", i);
            return fm_bad(path, err, label, "an object {\"emulator_blocks\", \"ppl_tuned\"}", pt);
        }
        et_status st = fm_check_keys(path, err, pt, prefix, fm_calib_keys,
                                     sizeof fm_calib_keys / sizeof fm_calib_keys[0]);
        if (st != ET_OK) return st;
        double b = 0.0, ppl = 0.0;
        snprintf(label, sizeof label, "%semulator_blocks", prefix);
        st = fm_get_int(path, err, pt, "emulator_blocks", label, 2, fm->middle_blocks, 0, &b);
        if (st != ET_OK) return st;
        /* A tuned emulator never beats the full model in this model (beta >= 0). */
        snprintf(label, sizeof label, "%sppl_tuned", prefix);
        st = fm_get_number(path, err, pt, "ppl_tuned", label, fm->ppl_full_ft, 1e6, 0, &ppl);
        if (st != ET_OK) return st;
        fm->calib[i].keep = b / fm->middle_blocks;
        fm->calib[i].ppl_tuned = ppl;
        double u = pow(1.0 - fm->calib[i].keep, fm->ppl_gamma);
        sum_uy += u * (ppl / fm->ppl_full_ft - 1.0);
        sum_uu += u * u;
    }
    fm->n_calib = n;
    if (!(sum_uu > 0.0)) {
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'calibration': expected at least one point with "
                            "emulator_blocks < M = %d (b = M carries no information), got none",
                            path, fm->middle_blocks);
    }
    fm->ppl_beta = sum_uy / sum_uu;
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

    st = fm_get_number(path, err, root, "ppl_full_ft", "ppl_full_ft", 1, 1e6, 0, &fm->ppl_full_ft);
    if (st != ET_OK) return st;
    fm->ppl_gamma = 2.0;
    st = fm_get_number(path, err, root, "ppl_gamma", "ppl_gamma", 0.1, 10, 1, &fm->ppl_gamma);
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

    return fm_load_calibration(path, err, root, fm);
}

et_status et_fm_load(const char *path, et_fm *out, et_error *err)
{
    et_error_clear(err);
    if (!path || !out)
        return et_error_set(err, ET_ERR_INTERNAL, "et_fm_load: path and out must be non-NULL");
    char *text = NULL;
    et_status st = fm_read_file(path, &text, err);
    if (st != ET_OK) return st;

    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
    if (!root) {
        /* cJSON reports where it stopped; turn the offset into line:column. */
        int line = 1, column = 1;
        for (const char *p = text; end && p < end && *p; p++) {
            if (*p == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        free(text);
        return et_error_set(err, ET_ERR_INPUT, "%s: invalid JSON near line %d, column %d", path,
                            line, column);
    }
    memset(out, 0, sizeof *out);
    st = fm_from_json(path, err, root, out);
    cJSON_Delete(root);
    free(text);
    return st;
}

int et_fm_blocks_for_keep(const et_fm *fm, double keep)
{
    int m = fm->middle_blocks;
    if (isnan(keep)) return 2;
    double blocks = keep * m;
    if (blocks <= 2.0) return 2;
    if (blocks >= m) return m;
    return (int)lround(blocks); /* halves round away from zero */
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

double et_fm_result_bytes(const et_fm *fm, int lora)
{
    int adapter_blocks = fm->adapter_bottom + fm->adapter_top;
    if (!lora) return adapter_blocks * fm->params_per_block * fm->bytes_per_param;
    /* LoRA on the q, k, v and output projections: A (rank x width) and
     * B (width x rank) per projection. */
    return adapter_blocks * 4.0 * 2.0 * fm->lora_rank * fm->width * fm->bytes_per_param;
}

double et_fm_tuning_flops(const et_fm *fm, int b, double tokens, double epochs)
{
    double trainable_flops = (6.0 + fm->optimizer_flops_per_param_token) *
                             (fm->adapter_bottom + fm->adapter_top) * fm->params_per_block;
    double frozen_flops = 4.0 * b * fm->params_per_block;
    return tokens * epochs * (trainable_flops + frozen_flops);
}

double et_fm_full_ft_flops(const et_fm *fm, double tokens, double epochs)
{
    return tokens * epochs * (6.0 + fm->optimizer_flops_per_param_token) * fm->n_blocks *
           fm->params_per_block;
}

double et_fm_ppl(const et_fm *fm, int b)
{
    int m = fm->middle_blocks;
    if (b < 0) b = 0;
    if (b > m) b = m;
    double r = 1.0 - (double)b / m;
    return fm->ppl_full_ft * (1.0 + fm->ppl_beta * pow(r, fm->ppl_gamma));
}

double et_fm_memory_bytes(const et_fm *fm, int b, double seq_tokens)
{
    int adapter_blocks = fm->adapter_bottom + fm->adapter_top;
    double trainable = adapter_blocks * fm->params_per_block * FM_TRAINABLE_BYTES_PER_PARAM;
    double frozen = (b * fm->params_per_block + fm->embedding_params) * fm->bytes_per_param;
    double activations = fm->activation_bytes_per_token * seq_tokens * (adapter_blocks + b);
    return trainable + frozen + activations;
}

double et_fm_full_ft_memory_bytes(const et_fm *fm, double seq_tokens)
{
    double params = fm->n_blocks * fm->params_per_block + fm->embedding_params;
    return params * FM_TRAINABLE_BYTES_PER_PARAM +
           fm->activation_bytes_per_token * seq_tokens * fm->n_blocks;
}
