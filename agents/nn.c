/* nn.c: MLP forward/backward on cblas_sgemm with naive twins, orthogonal init, Adam, global
 * gradient-norm clipping. Contracts in nn.h.
 *
 * Notation in comments: B batch rows, C input width of a layer, OC its output width.
 * Activations are kept post-activation: h_0 = x (copied), h_{l+1} = act_l(h_l W_l^T + b_l), so
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

/* Same contract as matmul_forward_naive, in a fixed summation order that the compiler can
 * vectorise across outputs: the weight is transposed to wt (C, OC) first, then each output
 * row accumulates bias + sum over i of inp[i] * wt[i][.] for i = 0 .. C-1, in that order, so
 * every output is summed exactly as the naive loop sums it and the same binary gives the same
 * bits on every x86-64 CPU (no kernel chosen at run time, no FMA at the baseline ISA). */
static void matmul_forward_portable(float *out, const float *inp, const float *weight,
                                    const float *bias, int B, int C, int OC, float *wt)
{
    for (int o = 0; o < OC; o++)
        for (int i = 0; i < C; i++)
            wt[(size_t)i * OC + o] = weight[(size_t)o * C + i];
    for (int b = 0; b < B; b++) {
        const float *inp_b = inp + (size_t)b * C;
        float *out_b = out + (size_t)b * OC;
        memcpy(out_b, bias, (size_t)OC * sizeof(float));
        for (int i = 0; i < C; i++) {
            float x = inp_b[i];
            const float *wt_i = wt + (size_t)i * OC;
            for (int o = 0; o < OC; o++)
                out_b[o] += x * wt_i[o];
        }
    }
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

/* dbias (OC) += sum over rows of dout (B, OC). Shared by both paths: it is a reduction, not a
 * matmul, and has no faster BLAS form worth a ones-vector buffer. */
static void bias_backward(float *dbias, const float *dout, int B, int OC)
{
    for (int b = 0; b < B; b++) {
        const float *dout_b = dout + (size_t)b * OC;
        for (int o = 0; o < OC; o++)
            dbias[o] += dout_b[o];
    }
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

/* h (n) = act(h), in place. */
static void activation_forward(float *h, size_t n, et_activation act)
{
    switch (act) {
    case ET_ACT_IDENTITY:
        break;
    case ET_ACT_TANH:
        for (size_t k = 0; k < n; k++)
            h[k] = tanhf(h[k]);
        break;
    case ET_ACT_RELU:
        for (size_t k = 0; k < n; k++)
            h[k] = h[k] > 0.0f ? h[k] : 0.0f;
        break;
    }
}

/* d (n) *= act'(z), written in terms of the output h = act(z), in place. */
static void activation_backward(float *d, const float *h, size_t n, et_activation act)
{
    switch (act) {
    case ET_ACT_IDENTITY:
        break;
    case ET_ACT_TANH:
        for (size_t k = 0; k < n; k++)
            d[k] *= 1.0f - h[k] * h[k];
        break;
    case ET_ACT_RELU:
        for (size_t k = 0; k < n; k++)
            d[k] = h[k] > 0.0f ? d[k] : 0.0f;
        break;
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

const float *et_mlp_forward(et_mlp *m, const float *x, int batch)
{
    if (batch < 1 || batch > m->max_batch) return NULL;
    int B = batch;
    memcpy(m->act + m->act_off[0], x, (size_t)B * m->sizes[0] * sizeof(float)); // h_0 (B, C)
    for (int l = 0; l < m->n_layers; l++) {
        int C = m->sizes[l], OC = m->sizes[l + 1];
        const float *inp = m->act + m->act_off[l];   // (B, C)
        float *out = m->act + m->act_off[l + 1];     // (B, OC)
        const float *w = m->params + m->w_off[l];    // (OC, C)
        const float *bias = m->params + m->b_off[l]; // (OC)
        if (m->kernel == ET_NN_NAIVE)
            matmul_forward_naive(out, inp, w, bias, B, C, OC);
        else if (m->kernel == ET_NN_PORTABLE)
            matmul_forward_portable(out, inp, w, bias, B, C, OC, m->wt);
        else
            matmul_forward_blas(out, inp, w, bias, B, C, OC);
        activation_forward(out, (size_t)B * OC, m->act_fn[l]);
    }
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
    memcpy(g_out, dout, (size_t)B * m->sizes[L] * sizeof(float));
    for (int l = L - 1; l >= 0; l--) {
        int C = m->sizes[l], OC = m->sizes[l + 1];
        const float *inp = m->act + m->act_off[l];   // h_l (B, C)
        const float *h = m->act + m->act_off[l + 1]; // h_{l+1} (B, OC)
        const float *w = m->params + m->w_off[l];    // (OC, C)
        float *dw = m->grads + m->w_off[l];          // (OC, C)
        float *db = m->grads + m->b_off[l];          // (OC)
        float *dinp = l > 0 ? g_in : dx;             // (B, C), NULL when dx is not wanted
        activation_backward(g_out, h, (size_t)B * OC, m->act_fn[l]);
        bias_backward(db, g_out, B, OC);
        /* The reference backward loops walk contiguous memory innermost and sum in a fixed
         * order: they are the portable kernel's backward too. */
        if (m->kernel == ET_NN_OPENBLAS)
            matmul_backward_blas(dinp, dw, g_out, inp, w, B, C, OC);
        else
            matmul_backward_naive(dinp, dw, g_out, inp, w, B, C, OC);
        float *tmp = g_out;
        g_out = g_in;
        g_in = tmp;
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
