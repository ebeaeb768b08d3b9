/* fm.h: foundation-model profiles and the cost/quality model derived from them.
 *
 * A profile (models/<name>.json, format in docs/models.md) describes an FM
 * split into a bottom adapter (a blocks), a middle block of M = L - a - c
 * transformer blocks and a top adapter (c blocks). The emulator keeps b of
 * the M middle blocks (layer drop, first and last always kept). Everything
 * below is pure arithmetic from the profile (docs/models.md sections 2-5); no SimGrid
 * here. All functions except et_fm_load take a profile filled by et_fm_load
 * (non-NULL) and never fail. */
#ifndef ET_FM_H
#define ET_FM_H

#include "edgetune_export.h"
#include "status.h"

ET_API_BEGIN

#define ET_FM_MAX_CALIB 8

/* How a calibration emulator was built (Offsite-Tuning): plain
 * layer drop, as the simulator's emulator is, or layer drop followed by
 * knowledge distillation, which degrades much less. */
typedef enum et_fm_emulator_kind {
    ET_FM_EMULATOR_LAYER_DROP = 0,
    ET_FM_EMULATOR_DISTILLED = 1,
} et_fm_emulator_kind;

/* Where the anchor PPL_plug(M) = PPL_emu(M) of a loaded profile comes from
 * (docs/models.md section 4, in this order of precedence). */
typedef enum et_fm_anchor {
    ET_FM_ANCHOR_FULL_POINT = 0, /* a calibration point at emulator_blocks = M: the adapter
                                    tuned against the full middle block (exact) */
    ET_FM_ANCHOR_FULL_FT = 1,    /* the "full fine-tune" column (ppl_full_ft), the closest
                                    published proxy: every weight tuned, not only the adapter */
    ET_FM_ANCHOR_DERIVED = 2,    /* ppl_full_ft is null: solved from points that have both
                                    ppl_on_emulator and ppl_plugged, with ppl_transfer_ratio */
} et_fm_anchor;

/* Where a SERVER task's adapter is tuned (scenario key server.tunes_on,
 * docs/models.md section 6). The values follow ET_FM_TUNES_ON_CHOICES, so a
 * KEY_ENUM row of the scenario table can store the index directly. */
typedef enum et_fm_tunes_on {
    ET_FM_TUNES_ON_FULL = 0,     /* version 2 (default): against all M middle blocks; the
                                    server owns the full model */
    ET_FM_TUNES_ON_EMULATOR = 1, /* version 1: against the same emulator b a LOCAL task uses */
} et_fm_tunes_on;
#define ET_FM_TUNES_ON_CHOICES "full|emulator"

/* Default upper bound of the keep fraction k = b / M (docs/models.md section 6):
 * Offsite-Tuning's emulators drop at least half of the middle blocks, which
 * keeps the owner's full model out of the data owner's hands. */
#define ET_FM_KEEP_MAX_DEFAULT 0.5

/* One calibration point: the adapter tuned on an emulator with
 * emulator_blocks of the M middle blocks (Offsite-Tuning, WikiText-2). A
 * column that was not published is NAN. */
typedef struct et_fm_calib {
    int emulator_blocks;           /* b of the measured emulator, in [2, M] */
    double keep;                   /* b / M, in (0, 1] */
    et_fm_emulator_kind emulator;  /* how that emulator was built */
    int derived;                   /* 1: the point is derived, not measured (say how in source) */
    double ppl_emulator_zero_shot; /* untuned emulator ("emulator zero-shot"), or NAN */
    double ppl_on_emulator;        /* tuned, evaluated on the emulator ("tuned, on emulator") */
    double ppl_plugged;            /* tuned, plugged into the full model ("tuned, plugged in") */
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
    /* Quality model (docs/models.md section 4), r = 1 - b/M:
     *   PPL_plug(b) = A (1 + ppl_plug_beta r^gamma)   adapter plugged into the full model
     *   PPL_emu(b)  = A (1 + ppl_beta r^gamma)        adapter evaluated on its emulator
     * Both curves meet at b = M, where the emulator is the full model. */
    double ppl_full_ft;        /* A = PPL_plug(M) = PPL_emu(M), the anchor. Version-1 name, kept
                                  because callers read it (reward.ppl_ref's default); it equals
                                  the published full fine-tune only when ppl_anchor is
                                  ET_FM_ANCHOR_FULL_FT */
    et_fm_anchor ppl_anchor;   /* where A comes from */
    double ppl_beta;           /* beta of PPL_emu (version-1 name: version 1's only curve) */
    double ppl_plug_beta;      /* beta of PPL_plug, the quality the simulator reports */
    double ppl_gamma;          /* shape exponent shared by both curves */
    int ppl_gamma_fitted;      /* 1: fitted by least squares (points at two or more r);
                                  0: profile key ppl_gamma, or its default 2 */
    double ppl_transfer_ratio; /* rho = (PPL_plug - A) / (PPL_emu - A) at the same b: the
                                  share of the emulator's loss that survives plug-in; used to
                                  derive A or a curve without points (profile key, default
                                  0.285, fitted to GPT2-XL and OPT-1.3B) */
    double ppl_full_zero_shot; /* untuned full model ("full zero-shot"), NAN if unpublished */
    double ppl_full_fine_tune; /* every weight tuned ("full fine-tune"), NAN if unpublished */
    double lora_rank;          /* LoRA rank in LoRA mode (scenario key tuning.result = lora) */
    double activation_bytes_per_token;      /* activation memory per token of context per block
                                               (key activation_bytes_per_token_block; default
                                               fitted to Offsite-Tuning, scaled with width) */
    double optimizer_flops_per_param_token; /* per-step update overhead of a trainable
                                               parameter, as FLOPs per token (default 7,
                                               fitted to Offsite-Tuning throughput) */
    /* Data dependence of quality (version 3, docs/models.md section 9), D = tokens x epochs:
     *   PPL(b, D) = PPL_c(b) (PPL_0 / PPL_c(b))^h(D),  h(D) = 1 / (1 + (D / D_c)^alpha)
     * with PPL_0 the untuned model (et_fm_ppl_untuned) and PPL_c(b) = min(PPL_plug(b), PPL_0)
     * the converged value: in log-perplexity, the rectified scaling law of fine-tuning
     * (Lin et al. 2024). */
    double ppl_data_scale_tokens; /* D_c, token-epochs at which half of the log-perplexity
                                     gain is reached (profile key ppl_data_scale_tokens,
                                     default 1e5, range [1, 1e12]) */
    double ppl_data_exponent;     /* alpha, the law's exponent (profile key
                                     ppl_data_exponent, default 1, range [0.05, 5]) */
    int n_calib;
    et_fm_calib calib[ET_FM_MAX_CALIB];
} et_fm;

/* Loads and validates a profile JSON file (unknown or duplicate keys are
 * errors, lookups are case-sensitive), sets the anchor and fits the quality
 * model: gamma by least squares when some curve has points at two or more
 * drop fractions and ppl_gamma is not given, then each curve's beta by least
 * squares over its points (exact with one point). On error fills err with
 * "<path>: key '<k>': expected ..., got ..." and returns ET_ERR_INPUT (also
 * "<path>: cannot open model profile (...)" when the file cannot be read);
 * *out is then unspecified. */
et_status et_fm_load(const char *path, et_fm *out, et_error *err);

/* Range [*b_min, *b_max] of emulator sizes a LOCAL task may use when the
 * keep fraction is limited to [k_min, k_max]:
 *   b_max = floor(k_max M) clamped to [2, M]
 *   b_min = ceil(k_min M)  clamped to [2, b_max]
 * Rounded inward, so every b in range has k_min <= b / M <= k_max; a product
 * within 1e-9 of an integer counts as that integer (15/26 * 26 evaluates to
 * 14.999999999999998, and floor must give 15). At least 2 blocks are kept
 * (first and last); when the range is empty (k_min > k_max, or k_max M < 2)
 * the owner's bound wins: b_min = b_max. A NaN bound is no bound (k_min 0,
 * k_max 1). */
void et_fm_blocks_range(const et_fm *fm, double k_min, double k_max, int *b_min, int *b_max);

/* Kept middle blocks for keep fraction keep under [k_min, k_max]:
 * round(keep M) (halves away from zero), clamped to et_fm_blocks_range. A
 * NaN keep gives b_min. What a LOCAL task's emulator is in version 2. */
int et_fm_blocks_for_keep_range(const et_fm *fm, double keep, double k_min, double k_max);

/* Version-1 behaviour (no k_max; the emulator could be the whole middle
 * block): round(keep M) clamped to [2, M]; a NaN keep gives 2. Equals
 * et_fm_blocks_for_keep_range(fm, keep, 0, 1). */
int et_fm_blocks_for_keep(const et_fm *fm, double keep);

/* Bytes of an emulator with b middle blocks: b * P_block * q. */
double et_fm_emulator_bytes(const et_fm *fm, int b);

/* Bytes of the adapter as shipped server -> UE on first use:
 * (a + c) * P_block * q (+ embeddings * q when embeddings_in_adapter). */
double et_fm_adapter_bytes(const et_fm *fm);

/* Trainable parameters of a task's adapter. lora == 0: the a + c adapter
 * blocks, (a + c) P_block. lora != 0: only the LoRA factors on the q, k, v and
 * output projections of those blocks, A (rank x width) and B (width x rank)
 * each: (a + c) * 4 * 2 * rank * width; the adapter's own weights are then
 * frozen. */
double et_fm_trainable_params(const et_fm *fm, int lora);

/* Bytes of the tuned result sent back (UE -> server for LOCAL, server -> UE
 * for SERVER): the trainable parameters at q bytes each, i.e. the full
 * adapter blocks (a + c) P_block q when lora == 0, else the LoRA deltas. */
double et_fm_result_bytes(const et_fm *fm, int lora);

/* Tuning FLOPs of a task against an emulator with b middle blocks:
 *   lora == 0: tokens * epochs * ((6 + u) (a + c) P_block + 4 b P_block)
 *   lora != 0: tokens * epochs * (4 (a + c) P_block + (6 + u) N_lora + 4 b P_block)
 * with u = optimizer_flops_per_param_token and N_lora =
 * et_fm_trainable_params(fm, 1). A trainable weight costs 6 per token
 * (forward, input-gradient and weight-gradient products) plus u for its
 * per-step update; a frozen weight that still passes gradients down costs 4
 * (forward and input gradient): the emulator always, and with LoRA the
 * adapter's own weights too, which is how LoRA lowers the weight-gradient
 * and optimizer FLOPs. u = 0 gives the plain 6/4 rule (docs/models.md section 3). */
double et_fm_local_flops(const et_fm *fm, int b, double tokens, double epochs, int lora);

/* Version-1 behaviour: et_fm_local_flops(fm, b, tokens, epochs, 0) whatever
 * the result mode (version 1 let LoRA shrink only the upload). */
double et_fm_tuning_flops(const et_fm *fm, int b, double tokens, double epochs);

/* Tuning FLOPs of full fine-tuning for the same data (every block trainable):
 * tokens * epochs * (6 + u) L P_block. */
double et_fm_full_ft_flops(const et_fm *fm, double tokens, double epochs);

/* Quality of a task tuned against an emulator with b middle blocks (b is
 * clamped to [0, M]): the perplexity of the tuned adapter plugged into the
 * full model, PPL_plug(b) = A (1 + ppl_plug_beta (1 - b/M)^gamma). Equals the
 * anchor A at b = M; non-increasing in b (strictly decreasing when
 * ppl_plug_beta > 0). A fitted model, not a measurement (docs/models.md). */
double et_fm_ppl_plug(const et_fm *fm, int b);

/* Quality of a task tuned against an emulator with b middle blocks on token_epochs =
 * tokens x epochs of data (version 3, docs/models.md section 9):
 *   PPL_0 (PPL_c(b) / PPL_0)^g(D),  g = et_fm_ppl_data_gain_share(fm, token_epochs),
 * PPL_0 = et_fm_ppl_untuned(fm), PPL_c(b) = min(et_fm_ppl_plug(fm, b), PPL_0). Equals PPL_0
 * at token_epochs <= 0 (or NaN), falls with every token (diminishing returns) and tends to
 * PPL_c(b) as data grows: to et_fm_ppl_plug(fm, b) wherever that is below the untuned
 * model. Strictly below PPL_0 for every token_epochs > 0 (when the gain rounds away, the
 * largest double below PPL_0); non-increasing in token_epochs and in b. b clamped to
 * [0, M]. */
double et_fm_ppl_plug_data(const et_fm *fm, int b, double token_epochs);

/* Share of the log-perplexity gain of tuning reached with token_epochs of data:
 * 1 - h(D) = 1 / (1 + (D_c / D)^alpha), 0 at token_epochs <= 0 (or NaN), 1/2 at
 * D = ppl_data_scale_tokens, tending to 1; non-decreasing. */
double et_fm_ppl_data_gain_share(const et_fm *fm, double token_epochs);

/* Perplexity of the untuned full model (what a UE is left with when its task fails): the
 * profile's full zero-shot perplexity; a profile that does not publish it gets A / 0.4 (the
 * published anchors are 0.40 of the zero-shot value: OPT-1.3B 12.52 / 31.48 = 0.398, OPT-6.7B's
 * derived anchor 0.400). */
double et_fm_ppl_untuned(const et_fm *fm);

/* Perplexity of the same adapter evaluated on the emulator it was tuned on:
 * PPL_emu(b) = A (1 + ppl_beta (1 - b/M)^gamma), b clamped to [0, M]. What the
 * UE can measure itself; not the quality the model owner serves. */
double et_fm_ppl_emu(const et_fm *fm, int b);

/* Version-1 behaviour: the quality version 1 reported, the on-emulator curve
 * (= et_fm_ppl_emu), for LOCAL and SERVER alike. Version-2 callers use
 * et_fm_ppl_plug for LOCAL and et_fm_server_ppl for SERVER. */
double et_fm_ppl(const et_fm *fm, int b);

/* Middle blocks a SERVER task tunes against: M for ET_FM_TUNES_ON_FULL;
 * for ET_FM_TUNES_ON_EMULATOR the emulator b a LOCAL task would use
 * (clamped to [0, M]). */
int et_fm_server_blocks(const et_fm *fm, et_fm_tunes_on tunes_on, int b);

/* FLOPs of a SERVER task: et_fm_local_flops at et_fm_server_blocks, i.e.
 * F_server = F_local(M) when tuning against the full middle block (docs/models.md
 * section 6). b matters only for ET_FM_TUNES_ON_EMULATOR. */
double et_fm_server_flops(const et_fm *fm, et_fm_tunes_on tunes_on, int b, double tokens,
                          double epochs, int lora);

/* Quality of a SERVER task: et_fm_ppl_plug at et_fm_server_blocks, i.e. the
 * anchor PPL_plug(M) when tuning against the full middle block, below every
 * LOCAL choice b < M. With ET_FM_TUNES_ON_EMULATOR it is PPL_plug(b), the
 * same as LOCAL (version 1's location-independent quality, measured the
 * version-2 way; et_fm_ppl(b) gives version 1's number). */
double et_fm_server_ppl(const et_fm *fm, et_fm_tunes_on tunes_on, int b);

/* Name of a server.tunes_on value ("full" or "emulator"; "?" if invalid),
 * for summaries and traces. */
const char *et_fm_tunes_on_name(et_fm_tunes_on tunes_on);

/* Device memory (bytes) needed to tune against an emulator with b middle
 * blocks on a context of seq_tokens tokens (batch 1):
 *   16 N_train + q (N_frozen + embeddings) + activation_bytes_per_token * seq_tokens * (a + c + b)
 * N_train = et_fm_trainable_params(fm, lora) at 16 bytes each (fp16 weights
 * and grads, fp32 Adam moments and master copy); frozen at q bytes each: the
 * b emulator blocks, and with LoRA the a + c adapter blocks as well.
 * Activations are the same in both modes: the LoRA branch keeps each
 * projection's input, and gradients still flow through every block. */
double et_fm_local_memory_bytes(const et_fm *fm, int b, double seq_tokens, int lora);

/* Version-1 behaviour: et_fm_local_memory_bytes(fm, b, seq_tokens, 0)
 * whatever the result mode. */
double et_fm_memory_bytes(const et_fm *fm, int b, double seq_tokens);

/* Device memory (bytes) of full fine-tuning: all L blocks and the embeddings
 * trainable at 16 bytes per parameter, plus activations of all L blocks:
 * 16 (L P_block + embeddings) + activation_bytes_per_token * seq_tokens * L. */
double et_fm_full_ft_memory_bytes(const et_fm *fm, double seq_tokens);

ET_API_END

#endif
