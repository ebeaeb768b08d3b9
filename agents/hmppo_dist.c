/* hmppo_dist.c: the distributions of the hybrid policy (categorical location, Beta keep) and
 * the special functions behind them, apart from the agent (hmppo.c). Declared in
 * hmppo_internal.h (the public ones in hmppo.h). */
#include <math.h>

#include "hmppo_internal.h"

/* softplus(u) = log(1 + e^u), without overflow for large u. */
static double softplus(double u)
{
    return u > 0.0 ? u + log1p(exp(-u)) : log1p(exp(u));
}

/* softplus(u) and its derivative sigmoid(u) = 1 / (1 + e^-u) from one exponential, e^-|u|, in
 * forms that do not overflow. */
static void softplus_sigmoid(double u, double *sp, double *sg)
{
    double e = exp(-fabs(u));
    *sp = u > 0.0 ? u + log1p(e) : log1p(e);
    *sg = u >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

/* Digamma psi(x) and, when tri is not NULL, trigamma psi'(x), walking the recurrence once for
 * both (each with the arithmetic of its own function below, so the same bits).
 * psi: recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10, then the asymptotic series
 * ln x - 1/(2x) - sum B_2k / (2k x^2k) (Abramowitz & Stegun 6.3.18) to x^-10.
 * psi': psi'(x) = psi'(x + 1) + 1/x^2, then 1/x + 1/(2x^2) + sum B_2k / x^(2k+1) (A & S 6.4.12). */
static void digamma_trigamma(double x, double *psi, double *tri)
{
    double acc = 0.0, acc_tri = 0.0;
    while (x < 10.0) {
        acc -= 1.0 / x;
        if (tri) acc_tri += 1.0 / (x * x);
        x += 1.0;
    }
    double f = 1.0 / (x * x);
    *psi = acc + log(x) - 0.5 / x -
           f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
    if (tri)
        *tri =
            acc_tri + 1.0 / x + 0.5 * f +
            (f / x) * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f * (1.0 / 30 - f * (5.0 / 66)))));
}

double et_hmppo_digamma(double x)
{
    double psi;
    digamma_trigamma(x, &psi, NULL);
    return psi;
}

double et_hmppo_trigamma(double x)
{
    /* psi'(x) = psi'(x + 1) + 1/x^2, then 1/x + 1/(2x^2) + sum B_2k / x^(2k+1) (A & S 6.4.12). */
    double acc = 0.0;
    while (x < 10.0) {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    double f = 1.0 / (x * x);
    return acc + 1.0 / x + 0.5 * f +
           (f / x) * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f * (1.0 / 30 - f * (5.0 / 66)))));
}

static double log_beta_fn(double a, double b)
{
    return lgamma(a) + lgamma(b) - lgamma(a + b);
}

double et_hmppo_beta_log_prob(double x, double a, double b)
{
    return (a - 1.0) * log(x) + (b - 1.0) * log1p(-x) - log_beta_fn(a, b);
}

double et_hmppo_beta_entropy(double a, double b)
{
    /* H = ln B(a, b) - (a - 1) psi(a) - (b - 1) psi(b) + (a + b - 2) psi(a + b). */
    return log_beta_fn(a, b) - (a - 1.0) * et_hmppo_digamma(a) - (b - 1.0) * et_hmppo_digamma(b) +
           (a + b - 2.0) * et_hmppo_digamma(a + b);
}

/* Stable softmax normaliser of k logits: the largest logit and sum_j exp(z_j - zmax). */
static void logits_shift(const float *z, int k, double *zmax, double *sum)
{
    double m = z[0];
    for (int j = 1; j < k; j++)
        if (z[j] > m) m = z[j];
    double s = 0.0;
    for (int j = 0; j < k; j++)
        s += exp((double)z[j] - m);
    *zmax = m;
    *sum = s;
}

/* Categorical over k logits z: log p(a), entropy, and when dlogp / dent are not NULL their
 * derivatives w.r.t. z: d log p(a) / dz_j = [j == a] - p_j, dH / dz_j = -p_j (log p_j + H). */
void et_hmppo_categorical_eval(const float *z, int k, int a, double *logp, double *ent,
                               double *dlogp, double *dent)
{
    double zmax, sum;
    logits_shift(z, k, &zmax, &sum);
    double lse = zmax + log(sum);
    double h = 0.0;
    double p[MAX_OUT]; /* the probabilities, kept for the derivatives: k <= MAX_OUT */
    for (int j = 0; j < k; j++) {
        double lp = (double)z[j] - lse;
        p[j] = exp(lp);
        h -= p[j] * lp;
    }
    *logp = (double)z[a] - lse;
    *ent = h;
    if (dlogp && dent) {
        for (int j = 0; j < k; j++) {
            double lp = (double)z[j] - lse;
            dlogp[j] = (j == a ? 1.0 : 0.0) - p[j];
            dent[j] = -p[j] * (lp + h);
        }
    }
}

/* alpha, beta = 1 + softplus(u): both >= 1, so the density is unimodal and bounded (Chou,
 * Maturana & Scherer 2017 use the same shift). */
void et_hmppo_beta_params(const float *u, double *a, double *b)
{
    *a = 1.0 + softplus(u[0]);
    *b = 1.0 + softplus(u[1]);
}

/* Beta head at pre-activations u (2): log p(x), entropy and their derivatives w.r.t. u:
 *   d log p / d alpha = ln x - psi(alpha) + psi(alpha + beta), likewise for beta with ln(1 - x);
 *   d H / d alpha = -(alpha - 1) psi'(alpha) + (alpha + beta - 2) psi'(alpha + beta);
 * each times d alpha / d u = sigmoid(u) (softplus' = sigmoid). */
void et_hmppo_beta_eval(const float *u, double x, double *logp, double *ent, double *dlogp,
                        double *dent)
{
    /* beta_params, with the sigmoids of the derivatives from the same exponentials. */
    double spa, spb, sa, sb;
    softplus_sigmoid(u[0], &spa, &sa);
    softplus_sigmoid(u[1], &spb, &sb);
    double a = 1.0 + spa, b = 1.0 + spb;
    /* The expressions of et_hmppo_beta_log_prob and et_hmppo_beta_entropy, with ln B(a, b),
     * ln x, ln(1 - x) and the digammas computed once for the values and the derivatives, and
     * each trigamma in the same recurrence as its digamma. */
    int grad = dlogp && dent;
    double psi_a, psi_b, psi_ab, tri_a, tri_b, tri_ab;
    digamma_trigamma(a, &psi_a, grad ? &tri_a : NULL);
    digamma_trigamma(b, &psi_b, grad ? &tri_b : NULL);
    digamma_trigamma(a + b, &psi_ab, grad ? &tri_ab : NULL);
    double lx = log(x), l1x = log1p(-x), lbeta = log_beta_fn(a, b);
    *logp = (a - 1.0) * lx + (b - 1.0) * l1x - lbeta;
    *ent = lbeta - (a - 1.0) * psi_a - (b - 1.0) * psi_b + (a + b - 2.0) * psi_ab;
    if (grad) {
        dlogp[0] = (lx - psi_a + psi_ab) * sa;
        dlogp[1] = (l1x - psi_b + psi_ab) * sb;
        dent[0] = (-(a - 1.0) * tri_a + (a + b - 2.0) * tri_ab) * sa;
        dent[1] = (-(b - 1.0) * tri_b + (a + b - 2.0) * tri_ab) * sb;
    }
}

/* Index drawn from softmax(z) over k logits with one uniform draw. */
int et_hmppo_categorical_sample(const float *z, int k, et_rng *rng)
{
    double zmax, sum;
    logits_shift(z, k, &zmax, &sum);
    double u = et_rng_uniform(rng) * sum, acc = 0.0;
    for (int j = 0; j < k; j++) {
        acc += exp((double)z[j] - zmax);
        if (u < acc) return j;
    }
    return k - 1; /* u within rounding of sum */
}

/* First index of the largest logit (the mode; ties go to the lower index). */
int et_hmppo_argmax(const float *z, int k)
{
    int best = 0;
    for (int j = 1; j < k; j++)
        if (z[j] > z[best]) best = j;
    return best;
}
