/* nn.c: MLP forward/backward on three kernel sets (cblas_sgemm; portable fixed-order C on
 * 4-float vectors; the naive reference loops), a vectorisable tanh, orthogonal init, Adam,
 * global gradient-norm clipping. Contracts in nn.h.
 *
 * Notation in comments: B batch rows, C input width of a layer, OC its output width.
 * Activations are kept post-activation: h_0 = x (copied unless x is already there, see
 * et_mlp_input), h_{l+1} = act_l(h_l W_l^T + b_l), so
 * backward needs only h_l (for dW) and h_{l+1} (for the activation derivative, written in terms
 * of the output: tanh' = 1 - h^2, relu' = [h > 0]). */
#include "nn.h"

#include <cblas.h> /* pulls in <complex.h>: no identifier here may be named I */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct et_mlp {
    int n_layers;
    int sizes[ET_MLP_MAX_LAYERS + 1]; /* widths of h_0 .. h_L */
    et_activation act_fn[ET_MLP_MAX_LAYERS];
    int max_batch;
    int max_width;       /* max over sizes: rows of the gradient scratch */
    int batch;           /* rows of the last forward; 0 before the first */
    et_nn_kernel kernel; /* which matmul kernels forward and backward use */
    int lanes;           /* widest vectors of the portable kernels and tanh: 4, 8 or 16 floats */
    float *wt;           /* (max over layers of C * OC) transposed weight, portable forward */
    size_t n_params;
    size_t w_off[ET_MLP_MAX_LAYERS];       /* offset of W_l (OC, C) in params and grads */
    size_t b_off[ET_MLP_MAX_LAYERS];       /* offset of b_l (OC) */
    size_t act_off[ET_MLP_MAX_LAYERS + 1]; /* offset of h_l (max_batch, sizes[l]) in act */
    float *params;                         /* (n_params) */
    float *grads;                          /* (n_params) */
    float *act;                            /* h_0 .. h_L, each (max_batch, sizes[l]) */
    float *scratch; /* two (max_batch, max_width) buffers for dLoss/dh, ping-ponged by backward */
};

struct et_adam {
    size_t n;
    float lr, beta1, beta2, eps;
    int64_t t; /* steps begun; t in the bias corrections 1 - beta^t */
    float *m;  /* (n) first moment; m and v share one allocation */
    float *v;  /* (n) second moment */
};

/* ---- kernels ------------------------------------------------------------------------------ */

/* out (B, OC) = inp (B, C) @ weight (OC, C)^T + bias (OC), reference loops. */
static void matmul_forward_naive(float *out, const float *inp, const float *weight,
                                 const float *bias, int B, int C, int OC)
{
    for (int b = 0; b < B; b++) {
        const float *inp_b = inp + (size_t)b * C;
        float *out_b = out + (size_t)b * OC;
        for (int o = 0; o < OC; o++) {
            const float *w_o = weight + (size_t)o * C;
            float val = bias[o];
            for (int i = 0; i < C; i++)
                val += inp_b[i] * w_o[i];
            out_b[o] = val;
        }
    }
}

/* ---- portable kernels: one fixed-order matrix product on float vectors --------------------- */

/* How a gemm starts each output. */
enum gemm_init { GEMM_ZERO, GEMM_BIAS, GEMM_ACCUMULATE };

/* Values of k per pass over the output (a cache block: the part of a and bm a pass reads stays
 * in L2 while every tile of the output is updated from it). */
#define GEMM_KBLOCK 256

/* The portable product, for the columns n in [n_begin, N):
 *   out (M, N) = start + sum over k = 0, 1, ..., K-1 (in that order) of a(m, k) * bm[k][n]
 * where a(m, k) = a[m * am + k * ak] (so a may be read as stored or transposed), bm is (K, N)
 * row-major, and start is 0 (GEMM_ZERO), bias[n] (GEMM_BIAS) or out itself (GEMM_ACCUMULATE).
 * Each output is one running float sum in the order of the naive loops, so the result is theirs
 * bit for bit; the speed comes from keeping a tile of 4 rows x 2 vectors of outputs in registers
 * while walking k.
 *
 * The vectors are GNU C vector extensions (also understood by Clang) of W floats: every
 * operation on them is the IEEE float operation of each lane (a scalar operand is the same
 * value in every lane), so a lane computes exactly what the scalar loop computes, whatever W.
 * W = 4 is SSE2 on x86-64, the baseline every x86-64 CPU has, and plain code elsewhere; W = 8
 * (AVX2) and W = 16 (AVX-512F) are compiled for those extensions and used where the CPU has
 * them. No width fuses a multiply and an add: nn.c is built with -ffp-contract=off and AVX2 has
 * no FMA. So every CPU gets the same bits from every width; tests/agents/test_nn.c runs each width this
 * CPU has and compares them byte for byte. gemm_wW covers the columns [n_begin, n_end) that
 * whole vectors fill and returns n_end; the columns left go to a narrower width, the last few
 * to the scalar loop. */
#define GEMM_COLUMNS(NAME, VT, W, ATTR)                                                            \
    ATTR static int NAME(float *out, const float *a, size_t am, size_t ak, const float *bm, int M, \
                         int K, int N, const float *bias, enum gemm_init init, int n_begin)        \
    {                                                                                              \
        const int n_end = n_begin + (N - n_begin) / W * W;                                         \
        const VT zero = {0};                                                                       \
        for (int k0 = 0; k0 < K; k0 += GEMM_KBLOCK) {                                              \
            int k1 = K - k0 < GEMM_KBLOCK ? K : k0 + GEMM_KBLOCK;                                  \
            enum gemm_init how = k0 == 0 ? init : GEMM_ACCUMULATE;                                 \
            int m = 0;                                                                             \
            for (; m + 4 <= M; m += 4) {                                                           \
                const float *a0 = a + (size_t)m * am, *a1 = a0 + am, *a2 = a1 + am, *a3 = a2 + am; \
                float *o0 = out + (size_t)m * N, *o1 = o0 + N, *o2 = o1 + N, *o3 = o2 + N;         \
                int n = n_begin;                                                                   \
                for (; n + 2 * W <= n_end; n += 2 * W) {                                           \
                    VT c00, c01, c10, c11, c20, c21, c30, c31;                                     \
                    if (how == GEMM_ACCUMULATE) {                                                  \
                        memcpy(&c00, o0 + n, sizeof c00), memcpy(&c01, o0 + n + W, sizeof c01);    \
                        memcpy(&c10, o1 + n, sizeof c10), memcpy(&c11, o1 + n + W, sizeof c11);    \
                        memcpy(&c20, o2 + n, sizeof c20), memcpy(&c21, o2 + n + W, sizeof c21);    \
                        memcpy(&c30, o3 + n, sizeof c30), memcpy(&c31, o3 + n + W, sizeof c31);    \
                    } else if (how == GEMM_BIAS) {                                                 \
                        memcpy(&c00, bias + n, sizeof c00),                                        \
                            memcpy(&c01, bias + n + W, sizeof c01);                                \
                        c10 = c20 = c30 = c00;                                                     \
                        c11 = c21 = c31 = c01;                                                     \
                    } else {                                                                       \
                        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = zero;                      \
                    }                                                                              \
                    for (int k = k0; k < k1; k++) {                                                \
                        const float *b = bm + (size_t)k * N + n;                                   \
                        size_t ka = (size_t)k * ak;                                                \
                        VT b0, b1;                                                                 \
                        memcpy(&b0, b, sizeof b0), memcpy(&b1, b + W, sizeof b1);                  \
                        c00 += a0[ka] * b0, c01 += a0[ka] * b1;                                    \
                        c10 += a1[ka] * b0, c11 += a1[ka] * b1;                                    \
                        c20 += a2[ka] * b0, c21 += a2[ka] * b1;                                    \
                        c30 += a3[ka] * b0, c31 += a3[ka] * b1;                                    \
                    }                                                                              \
                    memcpy(o0 + n, &c00, sizeof c00), memcpy(o0 + n + W, &c01, sizeof c01);        \
                    memcpy(o1 + n, &c10, sizeof c10), memcpy(o1 + n + W, &c11, sizeof c11);        \
                    memcpy(o2 + n, &c20, sizeof c20), memcpy(o2 + n + W, &c21, sizeof c21);        \
                    memcpy(o3 + n, &c30, sizeof c30), memcpy(o3 + n + W, &c31, sizeof c31);        \
                }                                                                                  \
                for (; n < n_end; n += W) {                                                        \
                    VT c0, c1, c2, c3;                                                             \
                    if (how == GEMM_ACCUMULATE) {                                                  \
                        memcpy(&c0, o0 + n, sizeof c0), memcpy(&c1, o1 + n, sizeof c1);            \
                        memcpy(&c2, o2 + n, sizeof c2), memcpy(&c3, o3 + n, sizeof c3);            \
                    } else if (how == GEMM_BIAS) {                                                 \
                        memcpy(&c0, bias + n, sizeof c0);                                          \
                        c1 = c2 = c3 = c0;                                                         \
                    } else {                                                                       \
                        c0 = c1 = c2 = c3 = zero;                                                  \
                    }                                                                              \
                    for (int k = k0; k < k1; k++) {                                                \
                        VT b0;                                                                     \
                        memcpy(&b0, bm + (size_t)k * N + n, sizeof b0);                            \
                        size_t ka = (size_t)k * ak;                                                \
                        c0 += a0[ka] * b0, c1 += a1[ka] * b0;                                      \
                        c2 += a2[ka] * b0, c3 += a3[ka] * b0;                                      \
                    }                                                                              \
                    memcpy(o0 + n, &c0, sizeof c0), memcpy(o1 + n, &c1, sizeof c1);                \
                    memcpy(o2 + n, &c2, sizeof c2), memcpy(o3 + n, &c3, sizeof c3);                \
                }                                                                                  \
            }                                                                                      \
            for (; m < M; m++) {                                                                   \
                const float *a0 = a + (size_t)m * am;                                              \
                float *o0 = out + (size_t)m * N;                                                   \
                for (int n = n_begin; n < n_end; n += W) {                                         \
                    VT c0, b0;                                                                     \
                    if (how == GEMM_ACCUMULATE)                                                    \
                        memcpy(&c0, o0 + n, sizeof c0);                                            \
                    else if (how == GEMM_BIAS)                                                     \
                        memcpy(&c0, bias + n, sizeof c0);                                          \
                    else                                                                           \
                        c0 = zero;                                                                 \
                    for (int k = k0; k < k1; k++) {                                                \
                        memcpy(&b0, bm + (size_t)k * N + n, sizeof b0);                            \
                        c0 += a0[(size_t)k * ak] * b0;                                             \
                    }                                                                              \
                    memcpy(o0 + n, &c0, sizeof c0);                                                \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
        return n_end;                                                                              \
    }

typedef float v4f __attribute__((vector_size(4 * sizeof(float))));
GEMM_COLUMNS(gemm_w4, v4f, 4, )

#if defined(__x86_64__) && defined(__GNUC__)
#define NN_WIDE 1
#define NN_TARGET_AVX2 __attribute__((target("avx2")))
#define NN_TARGET_AVX512 __attribute__((target("avx512f")))
typedef float v8f __attribute__((vector_size(8 * sizeof(float))));
typedef float v16f __attribute__((vector_size(16 * sizeof(float))));
GEMM_COLUMNS(gemm_w8, v8f, 8, NN_TARGET_AVX2)
GEMM_COLUMNS(gemm_w16, v16f, 16, NN_TARGET_AVX512)
#endif

/* The columns [n_begin, N) one at a time, in the same order: the scalar tail. */
static void gemm_w1(float *out, const float *a, size_t am, size_t ak, const float *bm, int M, int K,
                    int N, const float *bias, enum gemm_init init, int n_begin)
{
    for (int m = 0; m < M; m++)
        for (int n = n_begin; n < N; n++) {
            float *o = out + (size_t)m * N + n;
            float c = init == GEMM_ACCUMULATE ? *o : init == GEMM_BIAS ? bias[n] : 0.0f;
            for (int k = 0; k < K; k++)
                c += a[(size_t)m * am + (size_t)k * ak] * bm[(size_t)k * N + n];
            *o = c;
        }
}

/* The widest vectors, in floats, this CPU runs: 16 with AVX-512F, 8 with AVX2 (each only when
 * the OS saves the registers, which libgcc's check includes), else 4. */
static int cpu_lanes(void)
{
#ifdef NN_WIDE
    if (__builtin_cpu_supports("avx512f")) return 16;
    if (__builtin_cpu_supports("avx2")) return 8;
#endif
    return 4;
}

/* lanes (4, 8 or 16) capped by what the CPU runs. */
static int usable_lanes(int lanes)
{
    int cpu = cpu_lanes();
    return lanes >= 16 && cpu >= 16 ? 16 : lanes >= 8 && cpu >= 8 ? 8 : 4;
}

int et_nn_lanes(void)
{
    const char *env = getenv("ET_NN_LANES");
    return usable_lanes(env && *env ? atoi(env) : 16);
}

/* The portable product on vectors of up to `lanes` floats: each width takes the columns whole
 * vectors of it fill, the next narrower one the rest. The same bits whatever lanes is. */
static void gemm_lanes(int lanes, float *out, const float *a, size_t am, size_t ak, const float *bm,
                       int M, int K, int N, const float *bias, enum gemm_init init)
{
    int n = 0;
#ifdef NN_WIDE
    if (lanes >= 16) n = gemm_w16(out, a, am, ak, bm, M, K, N, bias, init, n);
    if (lanes >= 8) n = gemm_w8(out, a, am, ak, bm, M, K, N, bias, init, n);
#else
    (void)lanes;
#endif
    n = gemm_w4(out, a, am, ak, bm, M, K, N, bias, init, n);
    if (n < N) gemm_w1(out, a, am, ak, bm, M, K, N, bias, init, n);
}

/* Same contract as matmul_forward_naive, through one sgemm: the bias is broadcast into out
 * first and sgemm accumulates onto it (beta = 1). */
static void matmul_forward_blas(float *out, const float *inp, const float *weight,
                                const float *bias, int B, int C, int OC)
{
    for (int b = 0; b < B; b++)
        memcpy(out + (size_t)b * OC, bias, (size_t)OC * sizeof(float));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, OC, C, 1.0f, inp, C, weight, C, 1.0f,
                out, OC);
}

/* Given dout (B, OC) = dLoss/d(pre-activation output):
 *   dweight (OC, C) += dout^T (OC, B) @ inp (B, C)
 *   dinp (B, C)      = dout (B, OC) @ weight (OC, C)    (skipped when dinp is NULL)
 * Reference loops, ordered so the innermost loop walks contiguous memory. */
static void matmul_backward_naive(float *dinp, float *dweight, const float *dout, const float *inp,
                                  const float *weight, int B, int C, int OC)
{
    if (dinp) memset(dinp, 0, (size_t)B * C * sizeof(float));
    for (int b = 0; b < B; b++) {
        const float *dout_b = dout + (size_t)b * OC;
        const float *inp_b = inp + (size_t)b * C;
        float *dinp_b = dinp ? dinp + (size_t)b * C : NULL;
        for (int o = 0; o < OC; o++) {
            float d = dout_b[o];
            float *dw_o = dweight + (size_t)o * C;
            const float *w_o = weight + (size_t)o * C;
            for (int i = 0; i < C; i++)
                dw_o[i] += d * inp_b[i];
            if (dinp_b)
                for (int i = 0; i < C; i++)
                    dinp_b[i] += d * w_o[i];
        }
    }
}

/* Same contract as matmul_backward_naive, through two sgemm calls. */
static void matmul_backward_blas(float *dinp, float *dweight, const float *dout, const float *inp,
                                 const float *weight, int B, int C, int OC)
{
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, OC, C, B, 1.0f, dout, OC, inp, C, 1.0f,
                dweight, C);
    if (dinp)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, C, OC, 1.0f, dout, OC, weight, C,
                    0.0f, dinp, C);
}

/* ---- activations -------------------------------------------------------------------------- */

/* tanh in plain C, no libm call, written so the compiler vectorises it (one branch-free
 * expression per element; et_nn_tanh hands it eight elements at a time, a trip count every
 * vector width divides, so GCC vectorises it at -O2 as at -O3). With a = |x|:
 *   a < 0.625:  tanh a = a + a s P(s), s = a^2, P a degree-4 minimax fit of (tanh a - a) / a^3
 *               (fit error 4.4e-9 relative);
 *   a >= 0.625: tanh a = 1 - 2e / (1 + e), e = exp(-2 min(a, 9.5)): exp by Cody-Waite range
 *               reduction -2a = k ln 2 + r, |r| <= ln 2 / 2, e^r = 1 + r + r^2 Q(r) with Q a
 *               degree-4 minimax fit (3.1e-9 relative), times 2^k built in the exponent bits;
 * then the sign of x is copied back. Both branches are computed and one is selected. Error bound
 * and special values: nn.h (et_nn_tanh). Only +, -, *, /, comparisons, fabsf, copysignf and
 * float/int conversions, IEEE operations that round the same on every CPU: every x86-64 machine
 * gets the same bits, vectorised or not. */
#define TANH_SMALL 0.625f
#define TANH_CLAMP 9.5f

#ifdef __GNUC__
__attribute__((always_inline)) /* inlined into the AVX2 loop too */
#endif
static inline float
tanh_fast1(float x)
{
    float a = fabsf(x);
    float s = a * a;
    float p = -5.704988740e-03f;
    p = p * s + 2.063908923e-02f;
    p = p * s - 5.373971582e-02f;
    p = p * s + 1.333144221e-01f;
    p = p * s - 3.333328194e-01f;
    float small = a + a * s * p;
    /* NaN compares false and takes the clamp, so the exponent arithmetic below stays finite;
     * the NaN itself comes back through `small`. */
    float ac = a < TANH_CLAMP ? a : TANH_CLAMP;
    float y = -2.0f * ac;                                     /* in [-19, 0] */
    float kf = (y * 1.44269504f + 12582912.0f) - 12582912.0f; /* rint(y / ln 2): 1.5 * 2^23 */
    float r = (y - kf * 0.693359375f) - kf * -2.12194440e-4f; /* ln 2 = 0.693359375 - 2.12e-4 */
    float q = 1.381459995e-03f;
    q = q * r + 8.368710056e-03f;
    q = q * r + 4.166838899e-02f;
    q = q * r + 1.666652113e-01f;
    q = q * r + 4.999999404e-01f;
    float er = 1.0f + (r + r * r * q);
    int32_t bits = ((int32_t)kf + 127) * (1 << 23); /* 2^k, k in [-28, 0] */
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    float e = er * scale;
    float big = 1.0f - 2.0f * e / (1.0f + e);
    return copysignf(a >= TANH_SMALL ? big : small, x);
}

/* The loop of et_nn_tanh, on the baseline ISA (4 floats per vector on x86-64) ... */
static void tanh_loop(float *h, size_t n)
{
    size_t k = 0;
    for (; k + 8 <= n; k += 8)
        for (int j = 0; j < 8; j++)
            h[k + j] = tanh_fast1(h[k + j]);
    for (; k < n; k++)
        h[k] = tanh_fast1(h[k]);
}

#ifdef NN_WIDE
/* ... and the same source compiled for AVX2 and for AVX-512F (8 and 16 floats per vector): the
 * same operations on every element, so the same bits. */
NN_TARGET_AVX2 static void tanh_loop_w8(float *h, size_t n)
{
    size_t k = 0;
    for (; k + 8 <= n; k += 8)
        for (int j = 0; j < 8; j++)
            h[k + j] = tanh_fast1(h[k + j]);
    for (; k < n; k++)
        h[k] = tanh_fast1(h[k]);
}

NN_TARGET_AVX512 static void tanh_loop_w16(float *h, size_t n)
{
    size_t k = 0;
    for (; k + 16 <= n; k += 16)
        for (int j = 0; j < 16; j++)
            h[k + j] = tanh_fast1(h[k + j]);
    for (; k < n; k++)
        h[k] = tanh_fast1(h[k]);
}
#endif

static void tanh_lanes(int lanes, float *h, size_t n)
{
#ifdef NN_WIDE
    if (lanes >= 16) {
        tanh_loop_w16(h, n);
        return;
    }
    if (lanes >= 8) {
        tanh_loop_w8(h, n);
        return;
    }
#endif
    (void)lanes;
    tanh_loop(h, n);
}

void et_nn_tanh(float *h, size_t n)
{
    tanh_lanes(et_nn_lanes(), h, n);
}

/* h (n) = act(h), in place; lanes 0 takes libm's tanhf (the naive kernels' reference), else
 * et_nn_tanh's method on vectors of up to `lanes` floats. */
static void activation_forward(float *h, size_t n, et_activation act, int lanes)
{
    switch (act) {
    case ET_ACT_IDENTITY:
        break;
    case ET_ACT_TANH:
        if (lanes > 0) {
            tanh_lanes(lanes, h, n);
            break;
        }
        for (size_t k = 0; k < n; k++)
            h[k] = tanhf(h[k]);
        break;
    case ET_ACT_RELU:
        for (size_t k = 0; k < n; k++)
            h[k] = h[k] > 0.0f ? h[k] : 0.0f;
        break;
    }
}

/* dbias (OC) += the rows of d (B, OC), in row order. Shared by every kernel: the bias gradient
 * is a reduction, not a matmul, and has no faster BLAS form worth a ones-vector buffer. */
static void bias_backward(float *dbias, const float *d, int B, int OC)
{
    for (int b = 0; b < B; b++) {
        const float *d_b = d + (size_t)b * OC;
        for (int o = 0; o < OC; o++)
            dbias[o] += d_b[o];
    }
}

/* d (B, OC) = dLoss/dh becomes dLoss/dz in place, d *= act'(z) written in terms of the output
 * h = act(z) (B, OC), and its rows are added into dbias as bias_backward does, row by row in
 * the same pass so each row is read once. */
static void activation_bias_backward(float *d, const float *h, float *dbias, int B, int OC,
                                     et_activation act)
{
    for (int b = 0; b < B; b++) {
        float *d_b = d + (size_t)b * OC;
        const float *h_b = h + (size_t)b * OC;
        if (act == ET_ACT_TANH)
            for (int o = 0; o < OC; o++)
                d_b[o] *= 1.0f - h_b[o] * h_b[o];
        else if (act == ET_ACT_RELU)
            for (int o = 0; o < OC; o++)
                d_b[o] = h_b[o] > 0.0f ? d_b[o] : 0.0f;
        bias_backward(dbias, d_b, 1, OC);
    }
}

/* ---- MLP ---------------------------------------------------------------------------------- */

et_status et_mlp_create(int n_layers, const int *sizes, const et_activation *acts, int max_batch,
                        et_mlp **out, et_error *err)
{
    if (!out) return et_error_set(err, ET_ERR_INPUT, "et_mlp_create: out is NULL");
    *out = NULL;
    if (n_layers < 1 || n_layers > ET_MLP_MAX_LAYERS)
        return et_error_set(err, ET_ERR_INPUT,
                            "et_mlp_create: n_layers = %d, expected an integer in [1, %d]",
                            n_layers, ET_MLP_MAX_LAYERS);
    if (!sizes || !acts)
        return et_error_set(err, ET_ERR_INPUT, "et_mlp_create: %s is NULL, expected %d entries",
                            !sizes ? "sizes" : "acts", !sizes ? n_layers + 1 : n_layers);
    for (int l = 0; l <= n_layers; l++)
        if (sizes[l] < 1 || sizes[l] > ET_MLP_MAX_WIDTH)
            return et_error_set(err, ET_ERR_INPUT,
                                "et_mlp_create: sizes[%d] = %d, expected an integer in [1, %d]", l,
                                sizes[l], ET_MLP_MAX_WIDTH);
    for (int l = 0; l < n_layers; l++)
        if (acts[l] != ET_ACT_IDENTITY && acts[l] != ET_ACT_TANH && acts[l] != ET_ACT_RELU)
            return et_error_set(err, ET_ERR_INPUT,
                                "et_mlp_create: acts[%d] = %d, expected ET_ACT_IDENTITY (0), "
                                "ET_ACT_TANH (1) or ET_ACT_RELU (2)",
                                l, (int)acts[l]);
    if (max_batch < 1 || max_batch > ET_MLP_MAX_BATCH)
        return et_error_set(err, ET_ERR_INPUT,
                            "et_mlp_create: max_batch = %d, expected an integer in [1, %d]",
                            max_batch, ET_MLP_MAX_BATCH);

    et_mlp *m = calloc(1, sizeof *m);
    if (!m) return et_error_set(err, ET_ERR_NOMEM, "et_mlp_create: out of memory");
    m->n_layers = n_layers;
    m->max_batch = max_batch;
    m->max_width = 0;
    size_t n_params = 0, n_act = 0, n_wt = 0;
    for (int l = 0; l <= n_layers; l++) {
        m->sizes[l] = sizes[l];
        if (sizes[l] > m->max_width) m->max_width = sizes[l];
        m->act_off[l] = n_act;
        n_act += (size_t)max_batch * (size_t)sizes[l];
    }
    for (int l = 0; l < n_layers; l++) {
        m->act_fn[l] = acts[l];
        m->w_off[l] = n_params;
        n_params += (size_t)sizes[l + 1] * (size_t)sizes[l];
        m->b_off[l] = n_params;
        n_params += (size_t)sizes[l + 1];
        if ((size_t)sizes[l + 1] * (size_t)sizes[l] > n_wt)
            n_wt = (size_t)sizes[l + 1] * (size_t)sizes[l];
    }
    m->n_params = n_params;
    /* The limits above keep these products below 2^49 floats, so size_t (64-bit) cannot
     * overflow; a request that large simply fails to allocate. */
    size_t n_scratch = 2 * (size_t)max_batch * (size_t)m->max_width;
    m->params = calloc(n_params, sizeof(float));
    m->grads = calloc(n_params, sizeof(float));
    m->act = calloc(n_act, sizeof(float));
    m->scratch = calloc(n_scratch, sizeof(float));
    m->wt = calloc(n_wt, sizeof(float));
    m->kernel = ET_NN_OPENBLAS;
    m->lanes = et_nn_lanes();
    if (!m->params || !m->grads || !m->act || !m->scratch || !m->wt) {
        et_mlp_destroy(m);
        return et_error_set(err, ET_ERR_NOMEM,
                            "et_mlp_create: out of memory for %zu parameters and %zu activation "
                            "floats",
                            n_params, n_act + n_scratch);
    }
    *out = m;
    return ET_OK;
}

void et_mlp_destroy(et_mlp *m)
{
    if (!m) return;
    free(m->params);
    free(m->grads);
    free(m->act);
    free(m->scratch);
    free(m->wt);
    free(m);
}

/* Orthonormalises k vectors of length n >= k in place; element e of vector j sits at
 * base[j * vec_stride + e * elem_stride], so rows (vec_stride = n, elem_stride = 1) and columns
 * (vec_stride = 1, elem_stride = row length) of a row-major matrix both work. Modified Gram-
 * Schmidt applied twice ("twice is enough", Giraud et al. 2005) with double accumulation, so
 * the float result is orthonormal to about float epsilon. */
static void orthonormalise(float *base, int k, int n, size_t vec_stride, size_t elem_stride)
{
    for (int j = 0; j < k; j++) {
        float *vj = base + (size_t)j * vec_stride;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < j; i++) {
                const float *vi = base + (size_t)i * vec_stride;
                double dot = 0.0;
                for (int e = 0; e < n; e++)
                    dot += (double)vi[e * elem_stride] * (double)vj[e * elem_stride];
                for (int e = 0; e < n; e++)
                    vj[e * elem_stride] = (float)(vj[e * elem_stride] - dot * vi[e * elem_stride]);
            }
        }
        double sq = 0.0;
        for (int e = 0; e < n; e++)
            sq += (double)vj[e * elem_stride] * vj[e * elem_stride];
        /* A Gaussian draw is linearly dependent on earlier vectors with probability 0; the guard
         * only avoids a division by zero. */
        double inv = sq > 0.0 ? 1.0 / sqrt(sq) : 0.0;
        for (int e = 0; e < n; e++)
            vj[e * elem_stride] = (float)(vj[e * elem_stride] * inv);
    }
}

void et_mlp_init_orthogonal(et_mlp *m, const float *gains, et_rng *rng)
{
    for (int l = 0; l < m->n_layers; l++) {
        int C = m->sizes[l], OC = m->sizes[l + 1];
        float *w = m->params + m->w_off[l]; // (OC, C)
        size_t nw = (size_t)OC * C;
        for (size_t k = 0; k < nw; k++)
            w[k] = (float)et_rng_normal(rng);
        if (OC <= C)
            orthonormalise(w, OC, C, (size_t)C, 1); /* rows: W W^T = I */
        else
            orthonormalise(w, C, OC, 1, (size_t)C); /* columns: W^T W = I */
        for (size_t k = 0; k < nw; k++)
            w[k] *= gains[l];
        memset(m->params + m->b_off[l], 0, (size_t)OC * sizeof(float));
    }
}

void et_mlp_set_naive(et_mlp *m, int naive)
{
    m->kernel = naive ? ET_NN_NAIVE : ET_NN_OPENBLAS;
}

int et_mlp_is_naive(const et_mlp *m)
{
    return m->kernel == ET_NN_NAIVE;
}

void et_mlp_set_kernel(et_mlp *m, et_nn_kernel kernel)
{
    m->kernel = kernel;
}

et_nn_kernel et_mlp_kernel(const et_mlp *m)
{
    return m->kernel;
}

int et_mlp_set_lanes(et_mlp *m, int lanes)
{
    m->lanes = usable_lanes(lanes);
    return m->lanes;
}

/* Rows of a forward computed and activated together, so the activation reads them from L1. */
#define FORWARD_ROW_BLOCK 32

/* Forward: out (B, OC) = inp (B, C) @ weight (OC, C)^T + bias (OC). Portable kernel: the weight
 * transposed into wt (C, OC), then gemm_lanes over blocks of rows, each activated right away.
 * Below 4 rows (a decide) the naive loops, which sum in the same order, skip the transpose. */
static void layer_forward(const et_mlp *m, int l, float *out, const float *inp, int B)
{
    int C = m->sizes[l], OC = m->sizes[l + 1];
    const float *w = m->params + m->w_off[l];    // (OC, C)
    const float *bias = m->params + m->b_off[l]; // (OC)
    et_activation act = m->act_fn[l];
    if (m->kernel == ET_NN_NAIVE || (m->kernel == ET_NN_PORTABLE && B < 4)) {
        matmul_forward_naive(out, inp, w, bias, B, C, OC);
        activation_forward(out, (size_t)B * OC, act, m->kernel == ET_NN_NAIVE ? 0 : m->lanes);
    } else if (m->kernel == ET_NN_PORTABLE) {
        float *wt = m->wt; // (C, OC)
        for (int o = 0; o < OC; o++)
            for (int i = 0; i < C; i++)
                wt[(size_t)i * OC + o] = w[(size_t)o * C + i];
        for (int b = 0; b < B; b += FORWARD_ROW_BLOCK) {
            int rows = B - b < FORWARD_ROW_BLOCK ? B - b : FORWARD_ROW_BLOCK;
            float *out_b = out + (size_t)b * OC;
            gemm_lanes(m->lanes, out_b, inp + (size_t)b * C, (size_t)C, 1, wt, rows, C, OC, bias,
                       GEMM_BIAS);
            activation_forward(out_b, (size_t)rows * OC, act, m->lanes);
        }
    } else {
        matmul_forward_blas(out, inp, w, bias, B, C, OC);
        activation_forward(out, (size_t)B * OC, act, m->lanes);
    }
}

float *et_mlp_input(et_mlp *m)
{
    return m->act + m->act_off[0];
}

const float *et_mlp_forward(et_mlp *m, const float *x, int batch)
{
    if (batch < 1 || batch > m->max_batch) return NULL;
    int B = batch;
    float *h0 = m->act + m->act_off[0]; // (B, C)
    if (x != h0) memcpy(h0, x, (size_t)B * m->sizes[0] * sizeof(float));
    for (int l = 0; l < m->n_layers; l++)
        layer_forward(m, l, m->act + m->act_off[l + 1], m->act + m->act_off[l], B);
    m->batch = B;
    return m->act + m->act_off[m->n_layers];
}

et_status et_mlp_backward(et_mlp *m, const float *dout, float *dx)
{
    if (m->batch < 1) return ET_ERR_INTERNAL;
    int B = m->batch, L = m->n_layers;
    size_t half = (size_t)m->max_batch * m->max_width;
    float *g_out = m->scratch;       // dLoss/dh_{l+1} (B, OC), becomes dLoss/dz_l in place
    float *g_in = m->scratch + half; // dLoss/dh_l (B, C)
    /* An identity output layer leaves dout as it is: read it in place instead of copying. */
    const float *d = dout;
    if (m->act_fn[L - 1] != ET_ACT_IDENTITY) {
        memcpy(g_out, dout, (size_t)B * m->sizes[L] * sizeof(float));
        d = g_out;
    }
    for (int l = L - 1; l >= 0; l--) {
        int C = m->sizes[l], OC = m->sizes[l + 1];
        const float *inp = m->act + m->act_off[l];   // h_l (B, C)
        const float *h = m->act + m->act_off[l + 1]; // h_{l+1} (B, OC)
        const float *w = m->params + m->w_off[l];    // (OC, C)
        float *dw = m->grads + m->w_off[l];          // (OC, C)
        float *db = m->grads + m->b_off[l];          // (OC)
        float *dinp = l > 0 ? g_in : dx;             // (B, C), NULL when dx is not wanted
        if (d == g_out)
            activation_bias_backward(g_out, h, db, B, OC, m->act_fn[l]);
        else /* dout itself, under an identity */
            bias_backward(db, d, B, OC);
        if (m->kernel == ET_NN_OPENBLAS) {
            matmul_backward_blas(dinp, dw, d, inp, w, B, C, OC);
        } else if (m->kernel == ET_NN_PORTABLE) {
            /* dW (OC, C) += d^T (OC, B) @ h_l (B, C): a(o, b) = d[b][o];
             * dh_l (B, C) = d (B, OC) @ W (OC, C). The naive loops' sums, in their order. */
            gemm_lanes(m->lanes, dw, d, 1, (size_t)OC, inp, OC, B, C, NULL, GEMM_ACCUMULATE);
            if (dinp) gemm_lanes(m->lanes, dinp, d, (size_t)OC, 1, w, B, OC, C, NULL, GEMM_ZERO);
        } else {
            matmul_backward_naive(dinp, dw, d, inp, w, B, C, OC);
        }
        d = g_in;
        g_in = g_out;
        g_out = (float *)d;
    }
    return ET_OK;
}

size_t et_mlp_param_count(const et_mlp *m)
{
    return m->n_params;
}

float *et_mlp_params(et_mlp *m)
{
    return m->params;
}

float *et_mlp_grads(et_mlp *m)
{
    return m->grads;
}

void et_mlp_zero_grad(et_mlp *m)
{
    memset(m->grads, 0, m->n_params * sizeof(float));
}

float *et_mlp_weight(et_mlp *m, int layer)
{
    return layer >= 0 && layer < m->n_layers ? m->params + m->w_off[layer] : NULL;
}

float *et_mlp_bias(et_mlp *m, int layer)
{
    return layer >= 0 && layer < m->n_layers ? m->params + m->b_off[layer] : NULL;
}

float *et_mlp_weight_grad(et_mlp *m, int layer)
{
    return layer >= 0 && layer < m->n_layers ? m->grads + m->w_off[layer] : NULL;
}

float *et_mlp_bias_grad(et_mlp *m, int layer)
{
    return layer >= 0 && layer < m->n_layers ? m->grads + m->b_off[layer] : NULL;
}

int et_mlp_n_layers(const et_mlp *m)
{
    return m->n_layers;
}

int et_mlp_size(const et_mlp *m, int i)
{
    return i >= 0 && i <= m->n_layers ? m->sizes[i] : -1;
}

int et_mlp_max_batch(const et_mlp *m)
{
    return m->max_batch;
}

/* ---- Adam --------------------------------------------------------------------------------- */

et_status et_adam_create(size_t n, float lr, float beta1, float beta2, float eps, et_adam **out,
                         et_error *err)
{
    if (!out) return et_error_set(err, ET_ERR_INPUT, "et_adam_create: out is NULL");
    *out = NULL;
    if (n < 1) return et_error_set(err, ET_ERR_INPUT, "et_adam_create: n = 0, expected >= 1");
    if (!(lr >= 0.0f) || !isfinite(lr))
        return et_error_set(err, ET_ERR_INPUT,
                            "et_adam_create: lr = %g, expected a finite number >= 0", lr);
    if (!(beta1 >= 0.0f && beta1 < 1.0f))
        return et_error_set(err, ET_ERR_INPUT, "et_adam_create: beta1 = %g, expected [0, 1)",
                            beta1);
    if (!(beta2 >= 0.0f && beta2 < 1.0f))
        return et_error_set(err, ET_ERR_INPUT, "et_adam_create: beta2 = %g, expected [0, 1)",
                            beta2);
    if (!(eps > 0.0f) || !isfinite(eps))
        return et_error_set(err, ET_ERR_INPUT,
                            "et_adam_create: eps = %g, expected a finite number > 0", eps);
    if (n > SIZE_MAX / (2 * sizeof(float)))
        return et_error_set(err, ET_ERR_INPUT, "et_adam_create: n = %zu is too large", n);
    et_adam *opt = calloc(1, sizeof *opt);
    float *mem = calloc(2 * n, sizeof(float));
    if (!opt || !mem) {
        free(opt);
        free(mem);
        return et_error_set(err, ET_ERR_NOMEM, "et_adam_create: out of memory for %zu moments",
                            2 * n);
    }
    opt->n = n;
    opt->lr = lr;
    opt->beta1 = beta1;
    opt->beta2 = beta2;
    opt->eps = eps;
    opt->t = 0;
    opt->m = mem;
    opt->v = mem + n;
    *out = opt;
    return ET_OK;
}

void et_adam_destroy(et_adam *opt)
{
    if (!opt) return;
    free(opt->m); /* v lives in the same allocation */
    free(opt);
}

void et_adam_begin_step(et_adam *opt)
{
    opt->t++;
}

et_status et_adam_update(et_adam *opt, size_t offset, float *params, const float *grads, size_t n)
{
    if (opt->t < 1 || offset > opt->n || n > opt->n - offset) return ET_ERR_INTERNAL;
    /* Bias corrections in double: beta2^t for beta2 = 0.999 stays representable for any t a
     * run reaches, and 1 - beta^t loses no digits early on. Then PyTorch's arrangement:
     * p -= (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps). */
    double bc1 = 1.0 - pow((double)opt->beta1, (double)opt->t);
    double bc2 = 1.0 - pow((double)opt->beta2, (double)opt->t);
    float step_size = (float)(opt->lr / bc1);
    float inv_sqrt_bc2 = (float)(1.0 / sqrt(bc2));
    float b1 = opt->beta1, b2 = opt->beta2, eps = opt->eps;
    float one_minus_b1 = 1.0f - b1, one_minus_b2 = 1.0f - b2;
    float *m = opt->m + offset; // (n)
    float *v = opt->v + offset; // (n)
    for (size_t k = 0; k < n; k++) {
        float g = grads[k];
        m[k] = b1 * m[k] + one_minus_b1 * g;
        v[k] = b2 * v[k] + one_minus_b2 * g * g;
        float denom = sqrtf(v[k]) * inv_sqrt_bc2 + eps;
        params[k] -= step_size * m[k] / denom;
    }
    return ET_OK;
}

void et_adam_step(et_adam *opt, float *params, const float *grads)
{
    et_adam_begin_step(opt);
    (void)et_adam_update(opt, 0, params, grads, opt->n); /* cannot fail: full range, t >= 1 */
}

void et_adam_set_lr(et_adam *opt, float lr)
{
    opt->lr = lr;
}

float et_adam_lr(const et_adam *opt)
{
    return opt->lr;
}

size_t et_adam_size(const et_adam *opt)
{
    return opt->n;
}

float *et_adam_m(et_adam *opt)
{
    return opt->m;
}

float *et_adam_v(et_adam *opt)
{
    return opt->v;
}

int64_t et_adam_step_count(const et_adam *opt)
{
    return opt->t;
}

void et_adam_set_step_count(et_adam *opt, int64_t steps)
{
    opt->t = steps;
}

/* ---- gradient clipping -------------------------------------------------------------------- */

double et_grad_clip_global_norm_many(int n_arrays, float *const *grads, const size_t *lens,
                                     double max_norm)
{
    /* Squares summed in double: float32 gradients squared cannot overflow a double, and the
     * sum of ~1e6 terms keeps its digits. */
    double sq = 0.0;
    for (int a = 0; a < n_arrays; a++)
        for (size_t k = 0; k < lens[a]; k++)
            sq += (double)grads[a][k] * grads[a][k];
    double norm = sqrt(sq);
    if (!isfinite(norm) || !(max_norm > 0.0) || norm <= max_norm) return norm;
    float scale = (float)(max_norm / norm);
    for (int a = 0; a < n_arrays; a++)
        for (size_t k = 0; k < lens[a]; k++)
            grads[a][k] *= scale;
    return norm;
}

double et_grad_clip_global_norm(float *grads, size_t n, double max_norm)
{
    return et_grad_clip_global_norm_many(1, &grads, &n, max_norm);
}
