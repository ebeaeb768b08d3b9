/* fm.h: foundation-model profiles and the cost/quality model derived from them.
 *
 * A profile (models/<name>.json, format in docs/models.md) describes an FM
 * split into a bottom adapter (a blocks), a middle block of M = L - a - c
 * transformer blocks and a top adapter (c blocks). The emulator keeps b of
 * the M middle blocks (layer drop, first and last always kept). Everything
 * below is pure arithmetic from the profile (DESIGN.md section 3); no SimGrid
 * here. All functions except et_fm_load take a profile filled by et_fm_load
 * (non-NULL) and never fail. */
#ifndef ET_FM_H
#define ET_FM_H

#include "status.h"

#define ET_FM_MAX_CALIB 8

/* One perplexity calibration point: tuning on an emulator with keep
 * fraction keep (= b / M) gave ppl_tuned (Offsite-Tuning, WikiText-2). */
typedef struct et_fm_calib {
    double keep;      /* b / M of the measured emulator, in (0, 1] */
    double ppl_tuned; /* perplexity of the adapter tuned on that emulator */
} et_fm_calib;

typedef struct et_fm {
    char name[64];
    int n_blocks;              /* L */
    int width;                 /* hidden size d_model */
    double params_per_block;   /* P_block */
    double embedding_params;   /* token + position embeddings (shipped with the adapter if
                                  embeddings_in_adapter) */
    int embeddings_in_adapter; /* 1: the adapter download carries the embeddings */
    double bytes_per_param;    /* q: 2 for fp16 */
    int adapter_bottom;        /* a */
    int adapter_top;           /* c */
    int middle_blocks;         /* M = L - a - c (derived) */
    double ppl_full_ft;        /* PPL_FT: perplexity with the full model (b = M) */
    double ppl_beta;           /* fitted: PPL(b) = PPL_FT (1 + beta r^gamma), r = 1 - b/M */
    double ppl_gamma;          /* shape exponent gamma (profile key, default 2; not fitted) */
    double lora_rank;          /* LoRA rank used when adapter upload mode is "lora" */
    double activation_bytes_per_token;      /* activation memory per token of context per block
                                               (key activation_bytes_per_token_block; default
                                               fitted to Offsite-Tuning, scaled with width) */
    double optimizer_flops_per_param_token; /* per-step update overhead of a trainable
                                               parameter, as FLOPs per token (default 7,
                                               fitted to Offsite-Tuning throughput) */
    int n_calib;
    et_fm_calib calib[ET_FM_MAX_CALIB];
} et_fm;

/* Loads and validates a profile JSON file (unknown or duplicate keys are
 * errors, lookups are case-sensitive); fits ppl_beta by least squares over
 * the calibration points (exact with one point). On error fills err with
 * "<path>: key '<k>': expected ..., got ..." and returns ET_ERR_INPUT (or
 * ET_ERR_IO "<path>: cannot open ..." when the file cannot be read); *out is
 * then unspecified. */
et_status et_fm_load(const char *path, et_fm *out, et_error *err);

/* Number of kept middle blocks for keep fraction keep: round(keep * M),
 * clamped to [2, M] (first and last middle block are always kept). A NaN
 * keep gives 2. */
int et_fm_blocks_for_keep(const et_fm *fm, double keep);

/* Bytes of an emulator with b middle blocks: b * P_block * q. */
double et_fm_emulator_bytes(const et_fm *fm, int b);

/* Bytes of the adapter as shipped server -> UE on first use:
 * (a + c) * P_block * q (+ embeddings * q when embeddings_in_adapter). */
double et_fm_adapter_bytes(const et_fm *fm);

/* Bytes of the tuned result sent back (UE -> server for LOCAL, server -> UE
 * for SERVER): the full adapter blocks (a + c) * P_block * q when lora == 0,
 * else the LoRA deltas: (a + c) * 4 attention projections * 2 * rank * width * q. */
double et_fm_result_bytes(const et_fm *fm, int lora);

/* Tuning FLOPs for a task with emulator b:
 *   tokens * epochs * ((6 + u) (a + c) P_block + 4 b P_block),
 * u = optimizer_flops_per_param_token: 6 P per trainable block (forward and
 * both backward products), 4 P per frozen emulator block that still passes
 * gradients down, u P for the per-step update of trainable weights. u = 0
 * gives DESIGN.md's plain 6/4 rule; see docs/models.md for the fit. */
double et_fm_tuning_flops(const et_fm *fm, int b, double tokens, double epochs);

/* Tuning FLOPs of full fine-tuning for the same data (every block trainable):
 * tokens * epochs * (6 + u) L P_block. */
double et_fm_full_ft_flops(const et_fm *fm, double tokens, double epochs);

/* Task perplexity after tuning on an emulator with b middle blocks (b is
 * clamped to [0, M]): PPL_FT * (1 + beta * (1 - b/M)^gamma). Non-increasing
 * in b (strictly decreasing when beta > 0); equals PPL_FT at b = M. A fitted
 * model, not a measurement. */
double et_fm_ppl(const et_fm *fm, int b);

/* Device memory (bytes) needed to tune with emulator b: 16 bytes per
 * trainable parameter (fp16 weights + grads, fp32 Adam moments + master) for
 * the a + c adapter blocks, q bytes per frozen parameter (the b emulator
 * blocks and the embeddings), plus activations:
 * activation_bytes_per_token * seq_tokens * (a + c + b) blocks. */
double et_fm_memory_bytes(const et_fm *fm, int b, double seq_tokens);

/* Device memory (bytes) of full fine-tuning: all L blocks and the embeddings
 * trainable at 16 bytes per parameter, plus activations of all L blocks:
 * 16 (L P_block + embeddings) + activation_bytes_per_token * seq_tokens * L. */
double et_fm_full_ft_memory_bytes(const et_fm *fm, double seq_tokens);

#endif
