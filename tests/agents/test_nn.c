/* test_nn.c: the MLP, Adam and clipping of agents/nn.h.
 *
 * Pins: the sgemm path equals its naive twin (forward and backward, 1e-5 relative); the fast
 * tanh against libm's tanhf over the float range (1.5 ulp of the exact value), its special values
 * and its bits vectorised or not; the portable kernels equal the naive loops bit for bit without
 * tanh, to float rounding with it, and give the same bits on every vector width; analytic
 * gradients of every parameter tensor and of the input equal central finite differences
 * (1e-2 relative); orthogonal init is orthonormal times the gain in both orientations; Adam's
 * bias-corrected first step, convergence, checkpoint round trip and sliced updates; clipping to
 * exactly max_norm; argument errors returned as values. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "et_test.h"
#include "nn.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static et_rng test_rng(uint64_t owner)
{
    et_rng rng;
    et_rng_seed(&rng, 20240611, et_rng_stream_id(ET_RNG_TRAINING, owner));
    return rng;
}

static void fill_normal(float *x, size_t n, double scale, et_rng *rng)
{
    for (size_t k = 0; k < n; k++)
        x[k] = (float)(scale * et_rng_normal(rng));
}

/* Normwise relative error max|a - b| / max|b|: the honest measure for results of sums taken in
 * different orders, where an element-wise ratio blows up on entries that cancel to ~0. */
static double rel_err(const float *a, const float *b, size_t n)
{
    double diff = 0.0, ref = 0.0;
    for (size_t k = 0; k < n; k++) {
        diff = fmax(diff, fabs((double)a[k] - b[k]));
        ref = fmax(ref, fabs((double)b[k]));
    }
    return ref > 0.0 ? diff / ref : diff;
}

static et_mlp *make_mlp(int n_layers, const int *sizes, const et_activation *acts, int max_batch)
{
    et_mlp *m = NULL;
    et_error err;
    et_status st = et_mlp_create(n_layers, sizes, acts, max_batch, &m, &err);
    CU_ASSERT_EQUAL_FATAL(st, ET_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    return m;
}

/* Orthogonal weights, then random biases so the bias paths carry non-zero values. */
static void init_for_test(et_mlp *m, const float *gains, et_rng *rng)
{
    et_mlp_init_orthogonal(m, gains, rng);
    for (int l = 0; l < et_mlp_n_layers(m); l++)
        fill_normal(et_mlp_bias(m, l), (size_t)et_mlp_size(m, l + 1), 0.5, rng);
}

/* ---- sgemm path vs naive twin ------------------------------------------------------------- */

/* A 3-layer net with odd sizes and an odd batch, so no dimension is a multiple of a SIMD width
 * or an OpenBLAS block. */
enum { TW_LAYERS = 3, TW_BATCH = 37, TW_MAX_BATCH = 40 };
static const int tw_sizes[TW_LAYERS + 1] = {13, 29, 17, 5};
static const et_activation tw_acts[TW_LAYERS] = {ET_ACT_TANH, ET_ACT_RELU, ET_ACT_IDENTITY};
static const float tw_gains[TW_LAYERS] = {1.41421356f, 1.41421356f, 1.0f};

static void forward_sgemm_matches_naive_loops_for_an_odd_batch(void)
{
    et_rng rng = test_rng(1);
    et_mlp *m = make_mlp(TW_LAYERS, tw_sizes, tw_acts, TW_MAX_BATCH);
    init_for_test(m, tw_gains, &rng);
    float x[TW_BATCH * 13], y_fast[TW_BATCH * 5];
    fill_normal(x, TW_BATCH * 13, 1.0, &rng);

    const float *y = et_mlp_forward(m, x, TW_BATCH); // (B, 5)
    CU_ASSERT_PTR_NOT_NULL_FATAL(y);
    memcpy(y_fast, y, sizeof y_fast);
    et_mlp_set_naive(m, 1);
    CU_ASSERT_EQUAL(et_mlp_is_naive(m), 1);
    y = et_mlp_forward(m, x, TW_BATCH);
    CU_ASSERT_PTR_NOT_NULL_FATAL(y);

    double e = rel_err(y_fast, y, TW_BATCH * 5);
    CU_ASSERT(e <= 1e-5);
    /* Guard against a vacuous pass: the output must be non-trivial. */
    CU_ASSERT(fabs(y[0]) + fabs(y[TW_BATCH * 5 - 1]) > 1e-3);
    if (e > 1e-5) fprintf(stderr, "\n  forward rel err %.3g\n", e);
    et_mlp_destroy(m);
}

static void backward_sgemm_matches_naive_loops_for_an_odd_batch(void)
{
    et_rng rng = test_rng(2);
    et_mlp *m = make_mlp(TW_LAYERS, tw_sizes, tw_acts, TW_MAX_BATCH);
    init_for_test(m, tw_gains, &rng);
    size_t np = et_mlp_param_count(m);
    float x[TW_BATCH * 13], dout[TW_BATCH * 5];
    float dx_fast[TW_BATCH * 13], dx_naive[TW_BATCH * 13];
    fill_normal(x, TW_BATCH * 13, 1.0, &rng);
    fill_normal(dout, TW_BATCH * 5, 1.0, &rng);
    float *g_fast = malloc(np * sizeof(float));
    CU_ASSERT_PTR_NOT_NULL_FATAL(g_fast);

    CU_ASSERT_PTR_NOT_NULL_FATAL(et_mlp_forward(m, x, TW_BATCH));
    CU_ASSERT_EQUAL(et_mlp_backward(m, dout, dx_fast), ET_OK);
    memcpy(g_fast, et_mlp_grads(m), np * sizeof(float));

    et_mlp_zero_grad(m);
    et_mlp_set_naive(m, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(et_mlp_forward(m, x, TW_BATCH));
    CU_ASSERT_EQUAL(et_mlp_backward(m, dout, dx_naive), ET_OK);

    /* Tensor by tensor: weight and bias gradients differ in scale. */
    float *g_naive = et_mlp_grads(m);
    float *p = et_mlp_params(m);
    for (int l = 0; l < TW_LAYERS; l++) {
        size_t w0 = (size_t)(et_mlp_weight(m, l) - p), b0 = (size_t)(et_mlp_bias(m, l) - p);
        size_t nw = (size_t)tw_sizes[l + 1] * tw_sizes[l], nb = (size_t)tw_sizes[l + 1];
        double ew = rel_err(g_fast + w0, g_naive + w0, nw);
        double eb = rel_err(g_fast + b0, g_naive + b0, nb);
        CU_ASSERT(ew <= 1e-5);
        CU_ASSERT(eb <= 1e-5);
        if (ew > 1e-5 || eb > 1e-5)
            fprintf(stderr, "\n  layer %d: dW rel err %.3g, db rel err %.3g\n", l, ew, eb);
    }
    double ex = rel_err(dx_fast, dx_naive, TW_BATCH * 13);
    CU_ASSERT(ex <= 1e-5);
    /* Non-trivial gradients reach the first layer through the ReLU. */
    double g0 = 0.0;
    for (int k = 0; k < 13 * 29; k++)
        g0 = fmax(g0, fabs(g_naive[k]));
    CU_ASSERT(g0 > 1e-2);
    free(g_fast);
    et_mlp_destroy(m);
}

static void backward_accumulates_gradients_until_zero_grad(void)
{
    et_rng rng = test_rng(3);
    et_mlp *m = make_mlp(TW_LAYERS, tw_sizes, tw_acts, TW_MAX_BATCH);
    init_for_test(m, tw_gains, &rng);
    size_t np = et_mlp_param_count(m);
    float x[8 * 13], dout[8 * 5];
    fill_normal(x, 8 * 13, 1.0, &rng);
    fill_normal(dout, 8 * 5, 1.0, &rng);
    float *once = malloc(np * sizeof(float)), *twice = malloc(np * sizeof(float));
    CU_ASSERT_PTR_NOT_NULL_FATAL(once);
    CU_ASSERT_PTR_NOT_NULL_FATAL(twice);

    /* Backward before any forward has nothing to differentiate. */
    CU_ASSERT_EQUAL(et_mlp_backward(m, dout, NULL), ET_ERR_INTERNAL);
    for (int naive = 0; naive <= 1; naive++) {
        et_mlp_set_naive(m, naive);
        et_mlp_zero_grad(m);
        CU_ASSERT_PTR_NOT_NULL_FATAL(et_mlp_forward(m, x, 8));
        CU_ASSERT_EQUAL(et_mlp_backward(m, dout, NULL), ET_OK);
        memcpy(once, et_mlp_grads(m), np * sizeof(float));
        CU_ASSERT_EQUAL(et_mlp_backward(m, dout, NULL), ET_OK);
        for (size_t k = 0; k < np; k++)
            twice[k] = 0.5f * et_mlp_grads(m)[k];
        CU_ASSERT(rel_err(twice, once, np) <= 1e-6);
        et_mlp_zero_grad(m);
        int nonzero = 0;
        for (size_t k = 0; k < np; k++)
            nonzero += et_mlp_grads(m)[k] != 0.0f;
        CU_ASSERT_EQUAL(nonzero, 0);
    }
    free(once);
    free(twice);
    et_mlp_destroy(m);
}

/* ---- portable kernels and the fast tanh --------------------------------------------------- */

/* Bits of x, so -0 and NaN payloads compare as stored. */
static uint32_t bits_of(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* |fast - tanh(x)| in units of the float spacing at the exactly rounded result. */
static double ulp_error(float fast, float x)
{
    double exact = tanh((double)x);
    float r = (float)exact;
    double ulp = (double)nextafterf(fabsf(r), INFINITY) - fabs((double)r);
    return fabs((double)fast - exact) / ulp;
}

/* Tolerances of et_nn_tanh (nn.h): 1.47 ulp over all 2^32 floats against the exactly rounded
 * tanh, 1.2e-7 against libm's tanhf (itself up to 2.2 ulp off). Sampled here: every 257th bit
 * pattern of each sign, so every exponent and every stretch of mantissas is visited. */
#define TANH_ULP_TOL 1.5
#define TANH_LIBM_TOL 1.2e-7

static void fast_tanh_agrees_with_libm_tanhf_over_the_whole_float_range(void)
{
    enum { N = 4096 };
    static float x[N], y[N];
    double worst_ulp = 0.0, worst_libm = 0.0;
    long checked = 0, bad = 0;
    int n = 0;
    /* 0x7f800000 is +inf; patterns above it are NaNs, checked separately. */
    for (uint64_t u = 0; u <= 0x7f800000u; u += 257) {
        for (int sign = 0; sign <= 1; sign++) {
            uint32_t b = (uint32_t)u | (sign ? 0x80000000u : 0u);
            memcpy(&x[n], &b, sizeof(float));
            n++;
        }
        if (n < N && u + 257 <= 0x7f800000u) continue;
        memcpy(y, x, (size_t)n * sizeof(float));
        et_nn_tanh(y, (size_t)n);
        for (int k = 0; k < n; k++) {
            double e = ulp_error(y[k], x[k]), el = fabs((double)y[k] - tanhf(x[k]));
            worst_ulp = fmax(worst_ulp, e);
            worst_libm = fmax(worst_libm, el);
            if (e > TANH_ULP_TOL || el > TANH_LIBM_TOL || !(fabsf(y[k]) <= 1.0f)) {
                if (bad < 5)
                    fprintf(stderr, "\n  tanh(%a) = %a: %.3f ulp, %.3g from tanhf %a", x[k], y[k],
                            e, el, tanhf(x[k]));
                bad++;
            }
        }
        checked += n;
        n = 0;
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT(checked > 16000000);
    /* The bound is not vacuous: the approximation is not simply libm's tanhf. */
    CU_ASSERT(worst_ulp > 0.5);
    if (bad) fprintf(stderr, "\n  worst %.3f ulp, %.3g from tanhf\n", worst_ulp, worst_libm);
}

static void fast_tanh_special_values_saturation_and_symmetry(void)
{
    const float sat[] = {9.0110f, 9.5f, 10.0f, 20.0f, 88.0f, 1e10f, FLT_MAX, INFINITY};
    for (size_t k = 0; k < sizeof sat / sizeof sat[0]; k++) {
        float y[2] = {sat[k], -sat[k]};
        et_nn_tanh(y, 2);
        CU_ASSERT_EQUAL(bits_of(y[0]), bits_of(1.0f)); /* exactly 1, as tanhf */
        CU_ASSERT_EQUAL(bits_of(y[1]), bits_of(-1.0f));
        CU_ASSERT_EQUAL(bits_of(tanhf(sat[k])), bits_of(1.0f));
    }
    /* Just below saturation the exactly rounded tanh is 1 - 2^-24, and so is this one. */
    float below = 9.0109f;
    et_nn_tanh(&below, 1);
    CU_ASSERT(below < 1.0f);
    /* Tiny arguments, denormals and zeros come back unchanged, sign included. */
    const float tiny[] = {0.0f,     -0.0f,  1e-45f, -1e-45f,  1e-40f,          FLT_MIN,
                          -FLT_MIN, 1e-10f, -3e-5f, 0x1p-12f, -0x1.fffffep-13f};
    for (size_t k = 0; k < sizeof tiny / sizeof tiny[0]; k++) {
        float y = tiny[k];
        et_nn_tanh(&y, 1);
        CU_ASSERT_EQUAL(bits_of(y), bits_of(tiny[k]));
    }
    float nan[3] = {NAN, -NAN, 0.0f};
    memcpy(&nan[2], &(uint32_t){0x7fa00001u}, sizeof(float)); /* a signalling NaN pattern */
    et_nn_tanh(nan, 3);
    for (int k = 0; k < 3; k++)
        CU_ASSERT(isnan(nan[k]));
    /* Odd, bit for bit, over a spread of magnitudes around the branch point 0.625. */
    et_rng rng = test_rng(11);
    for (int k = 0; k < 10000; k++) {
        float x = (float)(et_rng_normal(&rng) * (k % 2 ? 0.3 : 4.0));
        float y[2] = {x, -x};
        et_nn_tanh(y, 2);
        CU_ASSERT_EQUAL(bits_of(y[1]), bits_of(-y[0]));
    }
}

/* The vectorised stretch (eight at a time) and the scalar tail of et_nn_tanh give the same
 * bits: an element's result does not depend on where it sits in the array. */
static void fast_tanh_gives_the_same_bits_vectorised_or_one_at_a_time(void)
{
    et_rng rng = test_rng(12);
    float x[45], all[45];
    for (int k = 0; k < 45; k++)
        x[k] = (float)(et_rng_normal(&rng) * 3.0);
    for (size_t n = 0; n <= 45; n++) {
        memcpy(all, x, sizeof x);
        et_nn_tanh(all, n);
        int same = 1;
        for (size_t k = 0; k < 45; k++) {
            float one = x[k];
            if (k < n) et_nn_tanh(&one, 1);
            same &= bits_of(one) == bits_of(all[k]);
        }
        CU_ASSERT(same);
    }
}

/* A net without tanh: the portable and naive kernels sum every output in the same order, so
 * their forward outputs, dW, db and dx agree bit for bit, at batches that exercise every tile
 * remainder (1 and 3 rows take the naive loops in the portable forward). */
static void portable_kernels_equal_the_naive_loops_bit_for_bit_without_tanh(void)
{
    const int sizes[4] = {13, 29, 17, 5};
    const et_activation acts[3] = {ET_ACT_RELU, ET_ACT_IDENTITY, ET_ACT_IDENTITY};
    const int batches[5] = {1, 3, 4, 37, 300};
    et_rng rng = test_rng(13);
    et_mlp *m = make_mlp(3, sizes, acts, 300);
    init_for_test(m, tw_gains, &rng);
    size_t np = et_mlp_param_count(m);
    float *x = malloc(300 * 13 * sizeof(float)), *dout = malloc(300 * 5 * sizeof(float));
    float *y[2], *g[2], *dx[2];
    for (int k = 0; k < 2; k++) {
        y[k] = malloc(300 * 5 * sizeof(float));
        g[k] = malloc(np * sizeof(float));
        dx[k] = malloc(300 * 13 * sizeof(float));
        CU_ASSERT_PTR_NOT_NULL_FATAL(y[k]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g[k]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(dx[k]);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dout);
    fill_normal(x, 300 * 13, 1.0, &rng);
    fill_normal(dout, 300 * 5, 1.0, &rng);
    for (int bi = 0; bi < 5; bi++) {
        int B = batches[bi];
        for (int k = 0; k < 2; k++) {
            et_mlp_set_kernel(m, k == 0 ? ET_NN_PORTABLE : ET_NN_NAIVE);
            et_mlp_zero_grad(m);
            const float *out = et_mlp_forward(m, x, B);
            CU_ASSERT_PTR_NOT_NULL_FATAL(out);
            memcpy(y[k], out, (size_t)B * 5 * sizeof(float));
            CU_ASSERT_EQUAL(et_mlp_backward(m, dout, dx[k]), ET_OK);
            /* A second backward adds onto the first: accumulation keeps the order too. */
            CU_ASSERT_EQUAL(et_mlp_backward(m, dout, dx[k]), ET_OK);
            memcpy(g[k], et_mlp_grads(m), np * sizeof(float));
        }
        CU_ASSERT(memcmp(y[0], y[1], (size_t)B * 5 * sizeof(float)) == 0);
        CU_ASSERT(memcmp(g[0], g[1], np * sizeof(float)) == 0);
        CU_ASSERT(memcmp(dx[0], dx[1], (size_t)B * 13 * sizeof(float)) == 0);
    }
    for (int k = 0; k < 2; k++) {
        free(y[k]);
        free(g[k]);
        free(dx[k]);
    }
    free(x);
    free(dout);
    et_mlp_destroy(m);
}

/* The portable kernels on 16-float vectors (AVX-512F), 8-float ones (AVX2) and 4-float ones
 * (SSE2, the baseline) give the same bytes: forward outputs, every gradient and dx, with tanh,
 * ReLU and identity layers, at the update's shapes and at odd ones. Widths this CPU lacks are
 * skipped, and the test says so. */
static void portable_kernels_give_the_same_bits_on_every_vector_width(void)
{
    struct {
        int sizes[4], batch;
    } nets[5] = {{{13, 29, 17, 5}, 37},
                 {{100, 64, 64, 1}, 300},
                 {{16, 64, 64, 4}, 301},
                 {{7, 40, 24, 3}, 2},
                 {{100, 256, 256, 1}, 67}};
    const et_activation acts[3] = {ET_ACT_TANH, ET_ACT_RELU, ET_ACT_IDENTITY};
    const et_activation acts_tanh[3] = {ET_ACT_TANH, ET_ACT_TANH, ET_ACT_IDENTITY};
    const int widths[3] = {4, 8, 16};
    et_rng rng = test_rng(15);
    int widest = 4;
    for (int t = 0; t < 5; t++) {
        const int *sz = nets[t].sizes;
        int B = nets[t].batch;
        et_mlp *m = make_mlp(3, sz, t % 2 ? acts_tanh : acts, B);
        et_mlp_set_kernel(m, ET_NN_PORTABLE);
        init_for_test(m, tw_gains, &rng);
        size_t np = et_mlp_param_count(m), ny = (size_t)B * sz[3], nx = (size_t)B * sz[0];
        float *x = malloc(nx * sizeof(float)), *dout = malloc(ny * sizeof(float));
        float *y[3], *g[3], *dx[3];
        CU_ASSERT_PTR_NOT_NULL_FATAL(x);
        CU_ASSERT_PTR_NOT_NULL_FATAL(dout);
        fill_normal(x, nx, 1.0, &rng);
        fill_normal(dout, ny, 1.0, &rng);
        for (int k = 0; k < 3; k++) {
            y[k] = malloc(ny * sizeof(float));
            g[k] = malloc(np * sizeof(float));
            dx[k] = malloc(nx * sizeof(float));
            CU_ASSERT_PTR_NOT_NULL_FATAL(y[k]);
            CU_ASSERT_PTR_NOT_NULL_FATAL(g[k]);
            CU_ASSERT_PTR_NOT_NULL_FATAL(dx[k]);
            int lanes = et_mlp_set_lanes(m, widths[k]);
            CU_ASSERT(lanes <= widths[k]);
            if (lanes < widths[k]) continue; /* this CPU lacks the extension */
            if (lanes > widest) widest = lanes;
            et_mlp_zero_grad(m);
            const float *out = et_mlp_forward(m, x, B);
            CU_ASSERT_PTR_NOT_NULL_FATAL(out);
            memcpy(y[k], out, ny * sizeof(float));
            CU_ASSERT_EQUAL(et_mlp_backward(m, dout, dx[k]), ET_OK);
            memcpy(g[k], et_mlp_grads(m), np * sizeof(float));
            if (k == 0) continue;
            CU_ASSERT(memcmp(y[k], y[0], ny * sizeof(float)) == 0);
            CU_ASSERT(memcmp(g[k], g[0], np * sizeof(float)) == 0);
            CU_ASSERT(memcmp(dx[k], dx[0], nx * sizeof(float)) == 0);
        }
        for (int k = 0; k < 3; k++) {
            free(y[k]);
            free(g[k]);
            free(dx[k]);
        }
        free(x);
        free(dout);
        et_mlp_destroy(m);
    }
    /* The tanh alone over a sweep of bit patterns (every exponent, both signs, infinities and
     * NaNs): the widest vectors against the scalar tail. */
    enum { N = 1 << 16 };
    static float a[N], b[N];
    for (int k = 0; k < N; k++) {
        uint32_t u = (uint32_t)k * 65521u; /* spread over every exponent and sign */
        memcpy(&a[k], &u, sizeof(float));
    }
    memcpy(b, a, sizeof a);
    et_nn_tanh(a, N); /* the widest the CPU has */
    for (int k = 0; k < N; k++) {
        float one = b[k];
        et_nn_tanh(&one, 1); /* the scalar tail: no vectors at all */
        b[k] = one;
    }
    CU_ASSERT(memcmp(a, b, sizeof a) == 0);
    if (widest < 16)
        fprintf(stderr,
                "\n  note: this CPU runs vectors of at most %d floats; wider ones not compared\n",
                widest);
}

/* With tanh layers the portable kernels differ from the naive twin only through the tanh
 * (et_nn_tanh against libm's tanhf, within 1.5 ulp): the outputs and every gradient agree to
 * float rounding, as the sgemm path does. */
static void portable_kernels_match_the_naive_twin_with_tanh(void)
{
    enum { B = 37 };
    et_rng rng = test_rng(14);
    et_mlp *m = make_mlp(TW_LAYERS, tw_sizes, tw_acts, TW_MAX_BATCH);
    init_for_test(m, tw_gains, &rng);
    size_t np = et_mlp_param_count(m);
    float x[B * 13], dout[B * 5], y[2][B * 5], dx[2][B * 13];
    float *g[2] = {malloc(np * sizeof(float)), malloc(np * sizeof(float))};
    CU_ASSERT_PTR_NOT_NULL_FATAL(g[0]);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g[1]);
    fill_normal(x, B * 13, 1.0, &rng);
    fill_normal(dout, B * 5, 1.0, &rng);
    for (int k = 0; k < 2; k++) {
        et_mlp_set_kernel(m, k == 0 ? ET_NN_PORTABLE : ET_NN_NAIVE);
        et_mlp_zero_grad(m);
        /* The portable pass takes its input in place (et_mlp_input): no copy, same result. */
        float *in = k == 0 ? et_mlp_input(m) : x;
        if (k == 0) memcpy(in, x, sizeof x);
        const float *out = et_mlp_forward(m, in, B);
        CU_ASSERT_PTR_NOT_NULL_FATAL(out);
        memcpy(y[k], out, sizeof y[k]);
        CU_ASSERT_EQUAL(et_mlp_backward(m, dout, dx[k]), ET_OK);
        memcpy(g[k], et_mlp_grads(m), np * sizeof(float));
    }
    double ey = rel_err(y[0], y[1], B * 5), ex = rel_err(dx[0], dx[1], B * 13);
    double eg = rel_err(g[0], g[1], np);
    CU_ASSERT(ey <= 1e-6);
    CU_ASSERT(ex <= 1e-5);
    CU_ASSERT(eg <= 1e-5);
    /* ... and they do differ: the naive twin really takes libm's tanhf. */
    CU_ASSERT(memcmp(y[0], y[1], sizeof y[0]) != 0);
    if (ey > 1e-6 || ex > 1e-5 || eg > 1e-5)
        fprintf(stderr, "\n  portable vs naive: y %.3g, dx %.3g, grads %.3g\n", ey, ex, eg);
    free(g[0]);
    free(g[1]);
    et_mlp_destroy(m);
}

/* ---- finite differences ------------------------------------------------------------------- */

/* Small net for finite differences: every layer type, every activation. */
enum { FD_LAYERS = 3, FD_BATCH = 4 };
static const int fd_sizes[FD_LAYERS + 1] = {5, 7, 6, 3};
static const et_activation fd_acts[FD_LAYERS] = {ET_ACT_TANH, ET_ACT_RELU, ET_ACT_IDENTITY};
static const float fd_gains[FD_LAYERS] = {1.0f, 1.0f, 1.0f};

/* Central difference step: large enough that float rounding of the loss (~1e-7 relative) stays
 * ~1e-4 of a unit gradient, small enough that the O(eps^2) truncation term is negligible and that
 * no ReLU input crosses zero for this seed. */
#define FD_EPS 1e-3f
#define FD_RTOL 1e-2
/* Absolute floor for gradients that are ~0 (a ReLU that is off, a tanh in saturation), where a
 * relative test would only compare rounding noise. Well below the typical |gradient| ~ 0.1-1. */
#define FD_ATOL 1e-3

/* Loss = sum_{b,o} r[b,o] * out[b,o], a random linear functional of the output (so
 * dLoss/dout = r), summed in double. */
static double fd_loss(et_mlp *m, const float *x, const float *r)
{
    const float *y = et_mlp_forward(m, x, FD_BATCH); // (B, 3)
    double loss = 0.0;
    for (int k = 0; k < FD_BATCH * 3; k++)
        loss += (double)r[k] * y[k];
    return loss;
}

/* Central difference of the loss in *p, dividing by the step actually taken in float. */
static double fd_partial(et_mlp *m, const float *x, const float *r, float *p)
{
    float saved = *p;
    float up = saved + FD_EPS, down = saved - FD_EPS;
    *p = up;
    double lp = fd_loss(m, x, r);
    *p = down;
    double lm = fd_loss(m, x, r);
    *p = saved;
    return (lp - lm) / ((double)up - (double)down);
}

/* Counts entries of one tensor whose analytic gradient disagrees with finite differences;
 * prints the first few. */
static int fd_check_tensor(et_mlp *m, const float *x, const float *r, float *param,
                           const float *grad, size_t n, const char *what, int layer)
{
    int bad = 0;
    for (size_t k = 0; k < n; k++) {
        double fd = fd_partial(m, x, r, param + k);
        double an = grad[k];
        double tol = FD_RTOL * fmax(fabs(fd), fabs(an)) + FD_ATOL;
        if (fabs(fd - an) > tol) {
            if (bad < 5)
                fprintf(stderr, "\n  %s[%d][%zu]: analytic %.6g, finite difference %.6g", what,
                        layer, k, an, fd);
            bad++;
        }
    }
    return bad;
}

static void parameter_gradients_match_central_finite_differences(void)
{
    for (int naive = 0; naive <= 1; naive++) {
        et_rng rng = test_rng(4);
        et_mlp *m = make_mlp(FD_LAYERS, fd_sizes, fd_acts, FD_BATCH);
        et_mlp_set_naive(m, naive);
        init_for_test(m, fd_gains, &rng);
        float x[FD_BATCH * 5], r[FD_BATCH * 3];
        fill_normal(x, FD_BATCH * 5, 1.0, &rng);
        fill_normal(r, FD_BATCH * 3, 1.0, &rng);

        CU_ASSERT_PTR_NOT_NULL_FATAL(et_mlp_forward(m, x, FD_BATCH));
        et_mlp_zero_grad(m);
        CU_ASSERT_EQUAL(et_mlp_backward(m, r, NULL), ET_OK);
        /* Every entry of every weight matrix and bias vector. */
        double big = 0.0;
        for (int l = 0; l < FD_LAYERS; l++) {
            size_t nw = (size_t)fd_sizes[l + 1] * fd_sizes[l], nb = (size_t)fd_sizes[l + 1];
            int bad_w =
                fd_check_tensor(m, x, r, et_mlp_weight(m, l), et_mlp_weight_grad(m, l), nw, "W", l);
            int bad_b =
                fd_check_tensor(m, x, r, et_mlp_bias(m, l), et_mlp_bias_grad(m, l), nb, "b", l);
            CU_ASSERT_EQUAL(bad_w, 0);
            CU_ASSERT_EQUAL(bad_b, 0);
            for (size_t k = 0; k < nb; k++)
                big = fmax(big, fabs(et_mlp_bias_grad(m, l)[k]));
        }
        /* The absolute floor must be small against the gradients it guards. */
        CU_ASSERT(big > 100 * FD_ATOL);
        et_mlp_destroy(m);
    }
}

static void input_gradient_matches_central_finite_differences(void)
{
    for (int naive = 0; naive <= 1; naive++) {
        et_rng rng = test_rng(5);
        et_mlp *m = make_mlp(FD_LAYERS, fd_sizes, fd_acts, FD_BATCH);
        et_mlp_set_naive(m, naive);
        init_for_test(m, fd_gains, &rng);
        float x[FD_BATCH * 5], r[FD_BATCH * 3], dx[FD_BATCH * 5];
        fill_normal(x, FD_BATCH * 5, 1.0, &rng);
        fill_normal(r, FD_BATCH * 3, 1.0, &rng);
        for (int k = 0; k < FD_BATCH * 5; k++)
            dx[k] = 1234.0f; /* dx is overwritten, not added */

        CU_ASSERT_PTR_NOT_NULL_FATAL(et_mlp_forward(m, x, FD_BATCH));
        CU_ASSERT_EQUAL(et_mlp_backward(m, r, dx), ET_OK);
        int bad = 0;
        double big = 0.0;
        for (int k = 0; k < FD_BATCH * 5; k++) {
            float saved = x[k];
            float up = saved + FD_EPS, down = saved - FD_EPS;
            x[k] = up;
            double lp = fd_loss(m, x, r);
            x[k] = down;
            double lm = fd_loss(m, x, r);
            x[k] = saved;
            double fd = (lp - lm) / ((double)up - (double)down);
            if (fabs(fd - dx[k]) > FD_RTOL * fmax(fabs(fd), fabs(dx[k])) + FD_ATOL) {
                fprintf(stderr, "\n  dx[%d]: analytic %.6g, finite difference %.6g", k, dx[k], fd);
                bad++;
            }
            big = fmax(big, fabs(dx[k]));
        }
        CU_ASSERT_EQUAL(bad, 0);
        CU_ASSERT(big > 100 * FD_ATOL);
        et_mlp_destroy(m);
    }
}

/* ---- orthogonal init ---------------------------------------------------------------------- */

/* max over (i, j) of |sum_e A[i, e] A[j, e] - gain^2 delta_ij| / gain^2 for the k vectors of
 * length n at base[i * vec_stride + e * elem_stride]. */
static double gram_err(const float *base, int k, int n, size_t vec_stride, size_t elem_stride,
                       double gain)
{
    double worst = 0.0;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) {
            double dot = 0.0;
            for (int e = 0; e < n; e++)
                dot += (double)base[i * vec_stride + e * elem_stride] *
                       base[j * vec_stride + e * elem_stride];
            worst = fmax(worst, fabs(dot - (i == j ? gain * gain : 0.0)) / (gain * gain));
        }
    return worst;
}

static void orthogonal_init_gives_w_wt_equal_gain_squared_identity_in_both_orientations(void)
{
    /* Layer 0 (16, 48) is wide, layer 1 (48, 16) tall, layer 2 (48, 48) square. */
    const int sizes[4] = {48, 16, 48, 48};
    const et_activation acts[3] = {ET_ACT_TANH, ET_ACT_TANH, ET_ACT_IDENTITY};
    const float gains[3] = {1.41421356f, 0.01f, 1.0f};
    et_mlp *m = make_mlp(3, sizes, acts, 1);
    et_rng rng = test_rng(6);
    for (int l = 0; l < 3; l++)
        fill_normal(et_mlp_bias(m, l), (size_t)sizes[l + 1], 1.0, &rng);
    et_mlp_init_orthogonal(m, gains, &rng);

    const float *w0 = et_mlp_weight(m, 0), *w1 = et_mlp_weight(m, 1), *w2 = et_mlp_weight(m, 2);
    CU_ASSERT(gram_err(w0, 16, 48, 48, 1, gains[0]) <= 1e-5); /* W W^T, rows of (16, 48) */
    CU_ASSERT(gram_err(w1, 16, 48, 1, 16, gains[1]) <= 1e-5); /* W^T W, columns of (48, 16) */
    CU_ASSERT(gram_err(w2, 48, 48, 48, 1, gains[2]) <= 1e-5); /* square: W W^T ... */
    CU_ASSERT(gram_err(w2, 48, 48, 1, 48, gains[2]) <= 1e-5); /* ... and W^T W */
    /* The orientation matters: a wide matrix cannot have orthonormal columns. */
    CU_ASSERT(gram_err(w0, 48, 16, 1, 48, gains[0]) > 0.1);
    for (int l = 0; l < 3; l++) {
        int nonzero = 0;
        for (int k = 0; k < sizes[l + 1]; k++)
            nonzero += et_mlp_bias(m, l)[k] != 0.0f;
        CU_ASSERT_EQUAL(nonzero, 0);
    }

    /* Same stream, same weights; another stream, other weights. */
    et_mlp *again = make_mlp(3, sizes, acts, 1), *other = make_mlp(3, sizes, acts, 1);
    et_rng r1 = test_rng(6), r2 = test_rng(7);
    for (int l = 0; l < 3; l++)
        fill_normal(et_mlp_bias(again, l), (size_t)sizes[l + 1], 1.0, &r1);
    for (int l = 0; l < 3; l++)
        fill_normal(et_mlp_bias(other, l), (size_t)sizes[l + 1], 1.0, &r2);
    et_mlp_init_orthogonal(again, gains, &r1);
    et_mlp_init_orthogonal(other, gains, &r2);
    size_t bytes = et_mlp_param_count(m) * sizeof(float);
    CU_ASSERT_EQUAL(memcmp(et_mlp_params(m), et_mlp_params(again), bytes), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(et_mlp_params(m), et_mlp_params(other), bytes), 0);
    et_mlp_destroy(m);
    et_mlp_destroy(again);
    et_mlp_destroy(other);
}

/* ---- Adam --------------------------------------------------------------------------------- */

static et_adam *make_adam(size_t n, float lr, float beta1, float beta2, float eps)
{
    et_adam *opt = NULL;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_adam_create(n, lr, beta1, beta2, eps, &opt, &err), ET_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(opt);
    return opt;
}

static void adam_first_step_moves_each_parameter_by_minus_lr_times_sign_of_gradient(void)
{
    /* Bias correction makes m_hat = g and sqrt(v_hat) = |g| after one step, so the move is
     * lr * g / (|g| + eps) whatever the gradient's scale: -lr * sign(g) up to the eps term
     * lr * eps / |g| and float rounding. Parameters start at 0 so the result is the step itself. */
    const float g[7] = {0.5f, -2.0f, 1e-3f, -7e-2f, 30.0f, -1e4f, 0.0f};
    float p[7] = {0};
    const float lr = 3e-4f, eps = 1e-8f;
    et_adam *opt = make_adam(7, lr, 0.9f, 0.999f, eps);
    et_adam_step(opt, p, g);
    CU_ASSERT_EQUAL(et_adam_step_count(opt), 1);
    for (int k = 0; k < 6; k++) {
        double expect = g[k] > 0 ? -lr : lr;
        CU_ASSERT(fabs(p[k] - expect) <= lr * (eps / fabs(g[k]) + 1e-6));
    }
    CU_ASSERT_EQUAL(p[6], 0.0f); /* no gradient, no move */
    et_adam_destroy(opt);
}

static void adam_converges_to_the_minimum_of_a_quadratic(void)
{
    /* f(p) = 0.5 sum_k a_k (p_k - c_k)^2 with curvatures over two decades; the learning rate
     * decays linearly to 0 through et_adam_set_lr, as PPO trainers do. */
    enum { N = 16, STEPS = 3000 };
    float a[N], c[N], p[N] = {0}, g[N];
    et_rng rng = test_rng(8);
    for (int k = 0; k < N; k++) {
        a[k] = (float)exp(et_rng_range(&rng, log(0.1), log(10.0)));
        c[k] = (float)et_rng_range(&rng, -2.0, 2.0);
    }
    const float lr0 = 0.05f;
    et_adam *opt = make_adam(N, lr0, 0.9f, 0.999f, 1e-8f);
    for (int s = 0; s < STEPS; s++) {
        et_adam_set_lr(opt, lr0 * (1.0f - (float)s / STEPS));
        for (int k = 0; k < N; k++)
            g[k] = a[k] * (p[k] - c[k]);
        et_adam_step(opt, p, g);
    }
    CU_ASSERT_EQUAL(et_adam_step_count(opt), STEPS);
    CU_ASSERT_EQUAL(et_adam_lr(opt), lr0 * (1.0f - (float)(STEPS - 1) / STEPS));
    double worst = 0.0;
    for (int k = 0; k < N; k++)
        worst = fmax(worst, fabs(p[k] - c[k]));
    CU_ASSERT(worst <= 1e-3);
    if (worst > 1e-3) fprintf(stderr, "\n  max |p - c| = %.3g\n", worst);
    et_adam_destroy(opt);
}

static void adam_restored_from_moments_and_step_count_resumes_bit_identically(void)
{
    enum { N = 33 };
    et_rng rng = test_rng(9);
    float p[N], q[N], g[5][N];
    fill_normal(p, N, 1.0, &rng);
    for (int s = 0; s < 5; s++)
        fill_normal(g[s], N, 1.0, &rng);
    et_adam *a = make_adam(N, 1e-2f, 0.9f, 0.999f, 1e-5f);
    for (int s = 0; s < 3; s++)
        et_adam_step(a, p, g[s]);

    /* "Checkpoint" a into b: moments, step count, learning rate, parameters. */
    et_adam *b = make_adam(N, 0.5f, 0.9f, 0.999f, 1e-5f);
    memcpy(et_adam_m(b), et_adam_m(a), N * sizeof(float));
    memcpy(et_adam_v(b), et_adam_v(a), N * sizeof(float));
    et_adam_set_step_count(b, et_adam_step_count(a));
    et_adam_set_lr(b, et_adam_lr(a));
    CU_ASSERT_EQUAL(et_adam_size(b), (size_t)N);
    memcpy(q, p, sizeof p);
    for (int s = 3; s < 5; s++) {
        et_adam_step(a, p, g[s]);
        et_adam_step(b, q, g[s]);
    }
    CU_ASSERT_EQUAL(memcmp(p, q, sizeof p), 0);
    CU_ASSERT_EQUAL(memcmp(et_adam_v(a), et_adam_v(b), N * sizeof(float)), 0);

    /* Without the step count the bias correction differs, and so do the parameters. */
    et_adam *c = make_adam(N, 1e-2f, 0.9f, 0.999f, 1e-5f);
    memcpy(et_adam_m(c), et_adam_m(a), N * sizeof(float));
    memcpy(et_adam_v(c), et_adam_v(a), N * sizeof(float));
    memcpy(q, p, sizeof p);
    et_adam_step(a, p, g[0]);
    et_adam_step(c, q, g[0]);
    CU_ASSERT_NOT_EQUAL(memcmp(p, q, sizeof p), 0);
    et_adam_destroy(a);
    et_adam_destroy(b);
    et_adam_destroy(c);
}

static void adam_updates_in_slices_equal_one_full_step(void)
{
    /* One optimizer over a 7-parameter "network" and a 3-parameter "log-std" held in separate
     * arrays behaves exactly like one over their concatenation. */
    enum { N = 10, NA = 7 };
    et_rng rng = test_rng(10);
    float whole[N], net[NA], extra[N - NA], g[N];
    fill_normal(whole, N, 1.0, &rng);
    memcpy(net, whole, sizeof net);
    memcpy(extra, whole + NA, sizeof extra);
    et_adam *full = make_adam(N, 1e-2f, 0.9f, 0.999f, 1e-8f);
    et_adam *sliced = make_adam(N, 1e-2f, 0.9f, 0.999f, 1e-8f);
    CU_ASSERT_EQUAL(et_adam_update(sliced, 0, net, g, NA), ET_ERR_INTERNAL); /* no step begun */
    for (int s = 0; s < 4; s++) {
        fill_normal(g, N, 1.0, &rng);
        et_adam_step(full, whole, g);
        et_adam_begin_step(sliced);
        CU_ASSERT_EQUAL(et_adam_update(sliced, 0, net, g, NA), ET_OK);
        CU_ASSERT_EQUAL(et_adam_update(sliced, NA, extra, g + NA, N - NA), ET_OK);
    }
    CU_ASSERT_EQUAL(memcmp(whole, net, sizeof net), 0);
    CU_ASSERT_EQUAL(memcmp(whole + NA, extra, sizeof extra), 0);
    /* A range past the end changes nothing. */
    float before = extra[0];
    CU_ASSERT_EQUAL(et_adam_update(sliced, NA, extra, g, N - NA + 1), ET_ERR_INTERNAL);
    CU_ASSERT_EQUAL(et_adam_update(sliced, N + 1, extra, g, 0), ET_ERR_INTERNAL);
    CU_ASSERT_EQUAL(extra[0], before);
    et_adam_destroy(full);
    et_adam_destroy(sliced);
}

/* ---- clipping ----------------------------------------------------------------------------- */

static double norm2(const float *g, size_t n)
{
    double sq = 0.0;
    for (size_t k = 0; k < n; k++)
        sq += (double)g[k] * g[k];
    return sqrt(sq);
}

static void clipping_scales_a_large_gradient_to_exactly_max_norm(void)
{
    enum { N = 1000 };
    float g[N], orig[N];
    et_rng rng = test_rng(11);
    fill_normal(g, N, 3.0, &rng);
    memcpy(orig, g, sizeof g);
    double before = norm2(g, N);
    double ret = et_grad_clip_global_norm(g, N, 0.5);
    CU_ASSERT(fabs(ret - before) <= 1e-12 * before);
    CU_ASSERT(fabs(norm2(g, N) - 0.5) <= 1e-6 * 0.5);
    /* Direction kept: every entry scaled by the same factor. */
    double s = 0.5 / before, worst = 0.0;
    for (int k = 0; k < N; k++)
        worst = fmax(worst, fabs(g[k] - s * orig[k]));
    CU_ASSERT(worst <= 1e-6 * s * 3.0);
    /* Exact at small norms too, where a 1e-6 in the denominator (PyTorch) would show. */
    fill_normal(g, N, 1e-5, &rng);
    double small = norm2(g, N);
    CU_ASSERT(small > 1e-4 && small < 1e-3);
    et_grad_clip_global_norm(g, N, 5e-5);
    CU_ASSERT(fabs(norm2(g, N) - 5e-5) <= 1e-6 * 5e-5);

    /* Several arrays clip as their concatenation. */
    float a[600], b[400];
    memcpy(g, orig, sizeof g);
    et_grad_clip_global_norm(g, N, 0.5);
    memcpy(a, orig, sizeof a);
    memcpy(b, orig + 600, sizeof b);
    float *arrays[2] = {a, b};
    size_t lens[2] = {600, 400};
    double ret2 = et_grad_clip_global_norm_many(2, arrays, lens, 0.5);
    CU_ASSERT(fabs(ret2 - before) <= 1e-12 * before);
    CU_ASSERT_EQUAL(memcmp(a, g, sizeof a), 0);
    CU_ASSERT_EQUAL(memcmp(b, g + 600, sizeof b), 0);
}

static void clipping_leaves_small_or_non_finite_gradients_unchanged(void)
{
    enum { N = 100 };
    float g[N], orig[N];
    et_rng rng = test_rng(12);
    fill_normal(g, N, 0.01, &rng);
    memcpy(orig, g, sizeof g);
    double before = norm2(g, N);
    CU_ASSERT(before < 1.0);
    CU_ASSERT(fabs(et_grad_clip_global_norm(g, N, 1.0) - before) <= 1e-12 * before);
    CU_ASSERT_EQUAL(memcmp(g, orig, sizeof g), 0);
    /* max_norm <= 0 only measures. */
    CU_ASSERT(fabs(et_grad_clip_global_norm(g, N, 0.0) - before) <= 1e-12 * before);
    CU_ASSERT_EQUAL(memcmp(g, orig, sizeof g), 0);
    /* A NaN is reported, not spread over the other gradients. */
    g[17] = NAN;
    CU_ASSERT(isnan(et_grad_clip_global_norm(g, N, 1e-3)));
    CU_ASSERT_EQUAL(memcmp(g, orig, 17 * sizeof(float)), 0);
    CU_ASSERT_EQUAL(memcmp(g + 18, orig + 18, (N - 18) * sizeof(float)), 0);
}

/* ---- argument errors and layout ----------------------------------------------------------- */

static void create_rejects_bad_arguments_with_an_error_not_an_abort(void)
{
    const int good[3] = {4, 8, 2};
    const int zero_width[3] = {4, 0, 2};
    const int negative_width[3] = {4, 8, -3};
    const et_activation acts[2] = {ET_ACT_TANH, ET_ACT_IDENTITY};
    const et_activation bad_acts[2] = {ET_ACT_TANH, (et_activation)7};
    struct {
        int n_layers;
        const int *sizes;
        const et_activation *acts;
        int max_batch;
        const char *needle; /* what the message must name */
    } cases[] = {
        {0, good, acts, 8, "n_layers"},
        {ET_MLP_MAX_LAYERS + 1, good, acts, 8, "n_layers"},
        {2, NULL, acts, 8, "sizes"},
        {2, good, NULL, 8, "acts"},
        {2, zero_width, acts, 8, "sizes[1] = 0"},
        {2, negative_width, acts, 8, "sizes[2] = -3"},
        {2, good, bad_acts, 8, "acts[1] = 7"},
        {2, good, acts, 0, "max_batch = 0"},
        {2, good, acts, -5, "max_batch = -5"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        et_mlp *m = (et_mlp *)&cases; /* must be reset to NULL */
        et_error err;
        et_error_clear(&err);
        et_status st = et_mlp_create(cases[c].n_layers, cases[c].sizes, cases[c].acts,
                                     cases[c].max_batch, &m, &err);
        CU_ASSERT_EQUAL(st, ET_ERR_INPUT);
        CU_ASSERT_EQUAL(err.code, ET_ERR_INPUT);
        CU_ASSERT_PTR_NULL(m);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, cases[c].needle));
    }
    et_mlp *m = NULL;
    CU_ASSERT_EQUAL(et_mlp_create(2, good, acts, 8, &m, NULL), ET_OK); /* err may be NULL */
    et_mlp_destroy(m);

    struct {
        size_t n;
        float lr, beta1, beta2, eps;
        const char *needle;
    } adam_cases[] = {
        {0, 1e-3f, 0.9f, 0.999f, 1e-8f, "n = 0"}, {4, -1e-3f, 0.9f, 0.999f, 1e-8f, "lr"},
        {4, NAN, 0.9f, 0.999f, 1e-8f, "lr"},      {4, 1e-3f, 1.0f, 0.999f, 1e-8f, "beta1"},
        {4, 1e-3f, 0.9f, -0.1f, 1e-8f, "beta2"},  {4, 1e-3f, 0.9f, 0.999f, 0.0f, "eps"},
    };
    for (size_t c = 0; c < sizeof adam_cases / sizeof adam_cases[0]; c++) {
        et_adam *opt = (et_adam *)&adam_cases;
        et_error err;
        et_error_clear(&err);
        et_status st = et_adam_create(adam_cases[c].n, adam_cases[c].lr, adam_cases[c].beta1,
                                      adam_cases[c].beta2, adam_cases[c].eps, &opt, &err);
        CU_ASSERT_EQUAL(st, ET_ERR_INPUT);
        CU_ASSERT_PTR_NULL(opt);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, adam_cases[c].needle));
    }
    et_mlp_destroy(NULL);
    et_adam_destroy(NULL);
}

static void forward_rejects_a_batch_outside_one_to_max_batch(void)
{
    const int sizes[3] = {3, 4, 2};
    const et_activation acts[2] = {ET_ACT_RELU, ET_ACT_IDENTITY};
    et_mlp *m = make_mlp(2, sizes, acts, 5);
    float x[6 * 3] = {0};
    CU_ASSERT_PTR_NULL(et_mlp_forward(m, x, 0));
    CU_ASSERT_PTR_NULL(et_mlp_forward(m, x, 6));
    CU_ASSERT_EQUAL(et_mlp_backward(m, x, NULL), ET_ERR_INTERNAL); /* still no forward */
    CU_ASSERT_PTR_NOT_NULL(et_mlp_forward(m, x, 5));
    CU_ASSERT_PTR_NOT_NULL(et_mlp_forward(m, x, 1));
    et_mlp_destroy(m);
}

static void parameter_views_follow_the_documented_layout(void)
{
    const int sizes[4] = {3, 5, 4, 2};
    const et_activation acts[3] = {ET_ACT_TANH, ET_ACT_TANH, ET_ACT_IDENTITY};
    et_mlp *m = make_mlp(3, sizes, acts, 2);
    float *p = et_mlp_params(m), *g = et_mlp_grads(m);
    size_t off = 0;
    for (int l = 0; l < 3; l++) {
        CU_ASSERT_PTR_EQUAL(et_mlp_weight(m, l), p + off);
        CU_ASSERT_PTR_EQUAL(et_mlp_weight_grad(m, l), g + off);
        off += (size_t)sizes[l + 1] * sizes[l];
        CU_ASSERT_PTR_EQUAL(et_mlp_bias(m, l), p + off);
        CU_ASSERT_PTR_EQUAL(et_mlp_bias_grad(m, l), g + off);
        off += (size_t)sizes[l + 1];
    }
    CU_ASSERT_EQUAL(et_mlp_param_count(m), off);
    CU_ASSERT_EQUAL(off, (size_t)(3 * 5 + 5 + 5 * 4 + 4 + 4 * 2 + 2));
    CU_ASSERT_PTR_NULL(et_mlp_weight(m, 3));
    CU_ASSERT_PTR_NULL(et_mlp_bias(m, -1));
    CU_ASSERT_EQUAL(et_mlp_n_layers(m), 3);
    CU_ASSERT_EQUAL(et_mlp_size(m, 0), 3);
    CU_ASSERT_EQUAL(et_mlp_size(m, 3), 2);
    CU_ASSERT_EQUAL(et_mlp_size(m, 4), -1);
    CU_ASSERT_EQUAL(et_mlp_max_batch(m), 2);
    CU_ASSERT_EQUAL(et_mlp_is_naive(m), 0);
    et_mlp_destroy(m);
}

int main(void)
{
    static const et_test_case cases[] = {
        {"forward_sgemm_matches_naive_loops_for_an_odd_batch",
         forward_sgemm_matches_naive_loops_for_an_odd_batch},
        {"backward_sgemm_matches_naive_loops_for_an_odd_batch",
         backward_sgemm_matches_naive_loops_for_an_odd_batch},
        {"backward_accumulates_gradients_until_zero_grad",
         backward_accumulates_gradients_until_zero_grad},
        {"fast_tanh_agrees_with_libm_tanhf_over_the_whole_float_range",
         fast_tanh_agrees_with_libm_tanhf_over_the_whole_float_range},
        {"fast_tanh_special_values_saturation_and_symmetry",
         fast_tanh_special_values_saturation_and_symmetry},
        {"fast_tanh_gives_the_same_bits_vectorised_or_one_at_a_time",
         fast_tanh_gives_the_same_bits_vectorised_or_one_at_a_time},
        {"portable_kernels_equal_the_naive_loops_bit_for_bit_without_tanh",
         portable_kernels_equal_the_naive_loops_bit_for_bit_without_tanh},
        {"portable_kernels_match_the_naive_twin_with_tanh",
         portable_kernels_match_the_naive_twin_with_tanh},
        {"portable_kernels_give_the_same_bits_on_every_vector_width",
         portable_kernels_give_the_same_bits_on_every_vector_width},
        {"parameter_gradients_match_central_finite_differences",
         parameter_gradients_match_central_finite_differences},
        {"input_gradient_matches_central_finite_differences",
         input_gradient_matches_central_finite_differences},
        {"orthogonal_init_gives_w_wt_equal_gain_squared_identity_in_both_orientations",
         orthogonal_init_gives_w_wt_equal_gain_squared_identity_in_both_orientations},
        {"adam_first_step_moves_each_parameter_by_minus_lr_times_sign_of_gradient",
         adam_first_step_moves_each_parameter_by_minus_lr_times_sign_of_gradient},
        {"adam_converges_to_the_minimum_of_a_quadratic",
         adam_converges_to_the_minimum_of_a_quadratic},
        {"adam_restored_from_moments_and_step_count_resumes_bit_identically",
         adam_restored_from_moments_and_step_count_resumes_bit_identically},
        {"adam_updates_in_slices_equal_one_full_step", adam_updates_in_slices_equal_one_full_step},
        {"clipping_scales_a_large_gradient_to_exactly_max_norm",
         clipping_scales_a_large_gradient_to_exactly_max_norm},
        {"clipping_leaves_small_or_non_finite_gradients_unchanged",
         clipping_leaves_small_or_non_finite_gradients_unchanged},
        {"create_rejects_bad_arguments_with_an_error_not_an_abort",
         create_rejects_bad_arguments_with_an_error_not_an_abort},
        {"forward_rejects_a_batch_outside_one_to_max_batch",
         forward_rejects_a_batch_outside_one_to_max_batch},
        {"parameter_views_follow_the_documented_layout",
         parameter_views_follow_the_documented_layout},
        {NULL, NULL},
    };
    return et_test_main("nn", cases);
}
