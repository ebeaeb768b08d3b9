/* nn.h: the small neural-network library behind the learning agents.
 *
 * Three objects, all float32, all plain C on OpenBLAS:
 *   et_mlp   a multi-layer perceptron y = act_L(... act_1(x W_1^T + b_1) ...) with forward and
 *            backward through cblas_sgemm, and a naive-loop twin of every kernel selectable at
 *            run time (et_mlp_set_naive) so the fast path can be checked against it;
 *   et_adam  Adam (Kingma & Ba 2015) with bias correction over any flat float array, so
 *            several networks and free parameters (e.g. a log-std) can share one optimizer;
 *   et_grad_clip_global_norm*  gradient clipping by the global L2 norm over all parameters.
 *
 * Shapes are row-major and written as in the comments of the code: (B, C) is B rows of C
 * floats, B the batch. Layer l (0-based) maps sizes[l] inputs to sizes[l+1] outputs; its weight
 * is (OC, C) = (sizes[l+1], sizes[l]) as in torch.nn.Linear, its bias (OC).
 *
 * Memory: everything an et_mlp or et_adam needs is allocated by its create function, one
 * allocation per tensor family (parameters, gradients, activations, gradient scratch, Adam
 * moments). Forward, backward, zero-grad, Adam steps and clipping never allocate, never free
 * and never fail for lack of memory; this is part of the API. Nothing here keeps global mutable
 * state, so independent objects may be used from different threads (OpenBLAS's own threading
 * is set by OPENBLAS_NUM_THREADS).
 *
 * Determinism: for a fixed build, CPU and OPENBLAS_NUM_THREADS the results are bit-identical
 * from run to run. Across CPUs only the portable and naive kernels are: OpenBLAS chooses its
 * sgemm kernel for the CPU when it loads (tests/cross_kernel.sh shows two families giving two
 * trained networks), while the portable kernels sum every output in the naive loops' order with
 * the baseline x86-64 instructions the binary was built with (SSE2, no FMA: nn.c is compiled
 * with -ffp-contract=off), and their tanh (et_nn_tanh) is built from IEEE +, -, *, / alone, no
 * libm call, so neither the CPU nor the C library's version changes a bit. The naive kernels
 * take libm's tanhf, whose last bits are the C library's business. Matrix products:
 * portable and naive agree bit for bit, sgemm to about 1e-6 relative; with tanh layers the
 * portable and sgemm paths (et_nn_tanh) differ from the naive twin (tanhf) by the tanh's 1.5 ulp,
 * about 1e-6 relative after a few layers. */
#ifndef ET_NN_H
#define ET_NN_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"
#include "status.h"

/* Limits checked by et_mlp_create (ET_ERR_INPUT beyond them). */
#define ET_MLP_MAX_LAYERS 16       /* weight layers */
#define ET_MLP_MAX_WIDTH (1 << 20) /* units in any layer, inputs included */
#define ET_MLP_MAX_BATCH (1 << 24) /* rows per forward */

/* Element-wise activation applied after a layer's affine map. */
typedef enum et_activation {
    ET_ACT_IDENTITY = 0, /* output layers: logits, means, values */
    ET_ACT_TANH = 1,     /* PPO's usual hidden activation */
    ET_ACT_RELU = 2,     /* max(0, z); derivative taken as 0 at z == 0, as in PyTorch */
} et_activation;

/* ---- MLP ---------------------------------------------------------------------------------- */

typedef struct et_mlp et_mlp; /* opaque */

/* Creates an MLP with n_layers weight layers in [1, ET_MLP_MAX_LAYERS]. sizes has n_layers + 1
 * entries (input width, hidden widths..., output width), each in [1, ET_MLP_MAX_WIDTH]; acts
 * has n_layers entries, the activation after each layer. max_batch in [1, ET_MLP_MAX_BATCH] is
 * the most rows any later forward may take; activations for that many rows are allocated now.
 * Parameters and gradients start at zero: call et_mlp_init_orthogonal (or write through
 * et_mlp_params) before use. The sgemm path is selected. sizes and acts are copied.
 * Returns ET_OK and *out, or ET_ERR_INPUT (bad argument, message names it and its range) /
 * ET_ERR_NOMEM with *out = NULL. */
et_status et_mlp_create(int n_layers, const int *sizes, const et_activation *acts, int max_batch,
                        et_mlp **out, et_error *err);

/* Frees m and everything it owns. NULL-safe. */
void et_mlp_destroy(et_mlp *m);

/* Orthogonal initialisation (Saxe, McClelland & Ganguli 2014), as in common PPO code: each
 * weight (OC, C) becomes gains[l] times a matrix with orthonormal rows when OC <= C
 * (W W^T = gains[l]^2 I) or orthonormal columns when OC >= C (W^T W = gains[l]^2 I), obtained
 * by Gram-Schmidt orthonormalisation of an i.i.d. N(0, 1) matrix drawn from rng (Haar-
 * distributed, like QR with the sign of diag(R) fixed). Biases become zero. gains has n_layers
 * entries; PPO uses sqrt(2) for hidden layers, 0.01 for a policy head, 1 for a value head.
 * Draws from rng in a fixed order, so (seed, stream) fixes the result. Gradients untouched. */
void et_mlp_init_orthogonal(et_mlp *m, const float *gains, et_rng *rng);

/* Which kernels an MLP's matmuls use; in the order of ET_LEARN_KERNEL_CHOICES (learn.h), whose
 * names the scenario key hmppo.kernel takes. */
typedef enum et_nn_kernel {
    ET_NN_OPENBLAS = 0, /* cblas_sgemm: fastest; OpenBLAS picks its kernel for the CPU at run
                           time, so the last bits (and, over a training run, the learned policy)
                           can differ between CPUs */
    ET_NN_PORTABLE = 1, /* C in the naive loops' summation order, on 4-float vectors, with
                           et_nn_tanh: the same binary gives the same bits on every x86-64 CPU */
    ET_NN_NAIVE = 2,    /* the reference loops and libm's tanhf (tests) */
} et_nn_kernel;

/* Selects m's kernels (et_mlp_create selects ET_NN_OPENBLAS). */
void et_mlp_set_kernel(et_mlp *m, et_nn_kernel kernel);
et_nn_kernel et_mlp_kernel(const et_mlp *m);

/* The widest vectors the portable kernels and the tanh use, in floats: 16 (AVX-512F) or 8 (AVX2)
 * when lanes asks for at least that and the CPU has the extension, else 4 (SSE2, the x86-64
 * baseline). Returns the width now in use. Every width gives the same bits (each output is the
 * same sequence of IEEE operations and no width fuses a multiply-add; tests/agents/test_nn.c and
 * tests/cross_kernel.sh compare them byte for byte), so the width is a matter of speed only. */
int et_mlp_set_lanes(et_mlp *m, int lanes);

/* The width et_mlp_create gives a network and et_nn_tanh uses: the widest the CPU has, capped by
 * the environment variable ET_NN_LANES (4, 8 or 16) when it is set, as OPENBLAS_CORETYPE caps
 * OpenBLAS's kernels (for comparisons and benchmarks; results do not change). */
int et_nn_lanes(void);

/* naive != 0 selects the reference loops (and libm's tanhf) for forward and backward, 0 the
 * cblas_sgemm path. */
void et_mlp_set_naive(et_mlp *m, int naive);

/* 1 when the reference loops are selected, else 0. */
int et_mlp_is_naive(const et_mlp *m);

/* The (max_batch, sizes[0]) buffer forward keeps its input in, owned by m. A caller that builds
 * the input here (e.g. gathers a minibatch) and passes this pointer as x saves forward's copy. */
float *et_mlp_input(et_mlp *m);

/* Forward pass of batch rows in [1, max_batch]. x is (B, sizes[0]), read and copied unless it is
 * et_mlp_input(m) (the caller may reuse it at once). Returns the output (B, sizes[n_layers]), owned
 * by m and valid until the next forward or destroy; the activations kept for backward are those of
 * this call. Returns NULL, computing nothing, when batch is out of range. */
const float *et_mlp_forward(et_mlp *m, const float *x, int batch);

/* Backward pass for the most recent forward. dout (B, sizes[n_layers]) is dLoss/d(output).
 * ADDS dLoss/dparameters into the gradients (call et_mlp_zero_grad between minibatches), and,
 * when dx is not NULL, OVERWRITES dx (B, sizes[0]) with dLoss/dx. May be called more than once
 * per forward (the gradients add up). Returns ET_OK, or ET_ERR_INTERNAL, computing nothing,
 * when no forward has run since create. */
et_status et_mlp_backward(et_mlp *m, const float *dout, float *dx);

/* Number of floats in the parameter array (and in the gradient array). */
size_t et_mlp_param_count(const et_mlp *m);

/* The parameters, one contiguous array of et_mlp_param_count floats owned by m, laid out layer
 * by layer as W_0 (sizes[1], sizes[0]), b_0 (sizes[1]), W_1, b_1, ... Writable: checkpoint
 * restore and optimizers write here directly. */
float *et_mlp_params(et_mlp *m);

/* The gradients, same count and layout as the parameters, owned by m. */
float *et_mlp_grads(et_mlp *m);

/* Sets every gradient to zero. */
void et_mlp_zero_grad(et_mlp *m);

/* Views into the parameter and gradient arrays for layer in [0, n_layers); NULL when out of
 * range. Weight: (sizes[layer+1], sizes[layer]); bias: (sizes[layer+1]). */
float *et_mlp_weight(et_mlp *m, int layer);
float *et_mlp_bias(et_mlp *m, int layer);
float *et_mlp_weight_grad(et_mlp *m, int layer);
float *et_mlp_bias_grad(et_mlp *m, int layer);

/* Number of weight layers. */
int et_mlp_n_layers(const et_mlp *m);

/* Width of layer boundary i in [0, n_layers]: 0 is the input, n_layers the output; -1 when out
 * of range. */
int et_mlp_size(const et_mlp *m, int i);

/* The max_batch given at create. */
int et_mlp_max_batch(const et_mlp *m);

/* ---- Activations -------------------------------------------------------------------------- */

/* x (n) = tanh(x), in place: the tanh of the openblas and portable kernels (the naive kernels
 * take libm's tanhf). Plain C that the compiler vectorises, no libm call (nn.c has the method).
 * Checked over all 2^32 floats: within 1.47 ulp of the correctly rounded tanh (glibc's tanhf:
 * 2.19 ulp) and within 1.2e-7 of tanhf; |result| <= 1; exactly +-1 for |x| >= 9.011 (as the
 * correctly rounded tanh), +-1 for +-inf; exactly x for |x| < 2^-12 (denormals and -0 included);
 * NaN for NaN; odd: tanh(-x) = -tanh(x) bit for bit. */
void et_nn_tanh(float *x, size_t n);

/* ---- Adam --------------------------------------------------------------------------------- */

typedef struct et_adam et_adam; /* opaque */

/* Creates an Adam optimizer for n >= 1 parameters with learning rate lr >= 0, betas in [0, 1)
 * (PPO: 0.9, 0.999) and eps > 0 (PyTorch's default 1e-8; many PPO codes use 1e-5). All values
 * finite. Moments start at zero, the step count at 0. Returns ET_OK and *out, or
 * ET_ERR_INPUT / ET_ERR_NOMEM with *out = NULL. */
et_status et_adam_create(size_t n, float lr, float beta1, float beta2, float eps, et_adam **out,
                         et_error *err);

/* Frees opt. NULL-safe. */
void et_adam_destroy(et_adam *opt);

/* One Adam step on params (n floats) from grads (n floats), i.e. et_adam_begin_step followed by
 * et_adam_update over the whole range. With t the new step count:
 *   m = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g^2
 *   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * which is PyTorch's torch.optim.Adam without weight decay; the first step moves each
 * parameter by -lr * g / (|g| + eps), about -lr * sign(g). */
void et_adam_step(et_adam *opt, float *params, const float *grads);

/* Starts a step that is then applied piecewise by et_adam_update: increments the step count. */
void et_adam_begin_step(et_adam *opt);

/* Applies the current step to the n parameters that occupy moments [offset, offset + n) of opt:
 * params and grads point at those n floats (they may live in different arrays from call to
 * call, e.g. an actor network, then a log-std). Returns ET_OK, or ET_ERR_INTERNAL, changing
 * nothing, when the range exceeds the optimizer's size or no step has begun. */
et_status et_adam_update(et_adam *opt, size_t offset, float *params, const float *grads, size_t n);

/* Sets the learning rate (>= 0) used from the next update on; linear decay is the caller's. */
void et_adam_set_lr(et_adam *opt, float lr);

/* The current learning rate. */
float et_adam_lr(const et_adam *opt);

/* Number of parameters opt was created for. */
size_t et_adam_size(const et_adam *opt);

/* The first and second moments, each et_adam_size floats owned by opt, for checkpointing:
 * writing saved values here and restoring the step count resumes bit-identically. */
float *et_adam_m(et_adam *opt);
float *et_adam_v(et_adam *opt);

/* Steps taken (t in the bias correction); set it when restoring a checkpoint (>= 0). */
int64_t et_adam_step_count(const et_adam *opt);
void et_adam_set_step_count(et_adam *opt, int64_t steps);

/* ---- Gradient clipping -------------------------------------------------------------------- */

/* Global-norm clipping (Pascanu et al. 2013; torch.nn.utils.clip_grad_norm_): computes the L2
 * norm of all n gradients (accumulated in double) and, when it exceeds max_norm > 0, scales
 * them by max_norm / norm so their norm becomes max_norm (up to float rounding; no 1e-6 in the
 * denominator as PyTorch has). Gradients at or below max_norm are left bit-for-bit unchanged;
 * max_norm <= 0 only measures. A non-finite norm leaves the gradients unchanged, so the caller
 * can detect it and skip the update. Returns the norm before clipping. */
double et_grad_clip_global_norm(float *grads, size_t n, double max_norm);

/* The same over several arrays taken as one vector: grads[i] has lens[i] floats, i in
 * [0, n_arrays). Use it when an optimizer spans several networks. */
double et_grad_clip_global_norm_many(int n_arrays, float *const *grads, const size_t *lens,
                                     double max_norm);

#endif
