/* numtext.c: strict, locale-independent numbers (numtext.h). */
#define _GNU_SOURCE /* strtod_l, newlocale, uselocale */
#include "numtext.h"

#include <locale.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static locale_t c_locale = (locale_t)0;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    /* "C" always exists; newlocale fails only without memory, and then the thread's own
     * locale is used (it is "C" unless the program changed it). */
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* The C locale object (created once, never freed). */
static locale_t c_locale_object(void)
{
    pthread_once(&c_locale_once, make_c_locale);
    return c_locale;
}

void *et_numtext_enter(void)
{
    locale_t c = c_locale_object();
    return c ? (void *)uselocale(c) : NULL;
}

void et_numtext_leave(void *saved)
{
    if (saved) uselocale((locale_t)saved);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

size_t et_numtext_span(const char *text)
{
    const char *p = text;
    if (!p) return 0;
    if (*p == '-') p++;
    size_t digits = 0;
    while (is_digit(*p))
        p++, digits++;
    if (*p == '.') {
        p++;
        while (is_digit(*p))
            p++, digits++;
    }
    if (digits == 0) return 0;
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        if (*q == '+' || *q == '-') q++;
        if (is_digit(*q)) {
            while (is_digit(*q))
                q++;
            p = q;
        }
    }
    return (size_t)(p - text);
}

int et_numtext_double(const char *text, double *out)
{
    size_t n = et_numtext_span(text);
    if (n == 0 || text[n] != '\0') return -1;
    locale_t c = c_locale_object();
    char *end = NULL;
    errno = 0;
    double v = c ? strtod_l(text, &end, c) : strtod(text, &end);
    /* Underflow to a tiny number is fine; overflow to infinity is not. */
    if (!end || *end != '\0' || !isfinite(v) || (errno == ERANGE && fabs(v) > 1.0)) return -1;
    *out = v;
    return 0;
}

int et_numtext_long(const char *text, long min, long max, long *out)
{
    const char *p = text;
    if (!p) return -1;
    if (*p == '-') p++;
    if (!is_digit(*p)) return -1;
    while (is_digit(*p))
        p++;
    if (*p != '\0') return -1;
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno == ERANGE || !end || *end != '\0' || v < min || v > max) return -1;
    *out = v;
    return 0;
}

/* ---- %g without printf -------------------------------------------------------------------- */

__extension__ typedef unsigned __int128 u128;

/* 10^i for i in 0..38 (10^38 < 2^127). */
static u128 pow10_128(int i)
{
    static const unsigned long long p19[20] = {1ULL,
                                               10ULL,
                                               100ULL,
                                               1000ULL,
                                               10000ULL,
                                               100000ULL,
                                               1000000ULL,
                                               10000000ULL,
                                               100000000ULL,
                                               1000000000ULL,
                                               10000000000ULL,
                                               100000000000ULL,
                                               1000000000000ULL,
                                               10000000000000ULL,
                                               100000000000000ULL,
                                               1000000000000000ULL,
                                               10000000000000000ULL,
                                               100000000000000000ULL,
                                               1000000000000000000ULL,
                                               10000000000000000000ULL};
    return i <= 19 ? (u128)p19[i] : (u128)p19[19] * p19[i - 19];
}

/* The prec significant digits of a (finite, > 0), rounded to nearest with halves to even, as
 * an integer in [10^(prec-1), 10^prec) into *digits, and the decimal exponent of the first
 * into *exp10. 0 when the exact value a * 10^k does not fit the 128-bit arithmetic. */
static int exact_digits(double a, int prec, unsigned long long *digits, int *exp10)
{
    int bin_exp;
    double m = frexp(a, &bin_exp); /* a = m * 2^bin_exp, m in [0.5, 1) */
    u128 f = (u128)(unsigned long long)ldexp(m, 53); /* exact: a = f * 2^q */
    int q = bin_exp - 53;
    /* a is in [2^(bin_exp-1), 2^bin_exp): its decimal exponent is this or the next one, and
     * the loop below settles which. */
    int e = (int)floor((bin_exp - 1) * 0.30102999566398120);
    const u128 lo = pow10_128(prec - 1), hi = pow10_128(prec);
    for (int tries = 0; tries < 4; tries++) {
        int k = prec - 1 - e; /* digits = round(a * 10^k) */
        if (k > 38 || k < -38) return 0;
        u128 num = f, den = 1;
        if (k >= 0) {
            if (__builtin_mul_overflow(num, pow10_128(k), &num) || (num >> 126) != 0) return 0;
        } else {
            den = pow10_128(-k);
        }
        if (q >= 0) {
            if (q >= 126 || (num >> (126 - q)) != 0) return 0;
            num <<= q;
        } else {
            if (-q >= 126 || (den >> (126 + q)) != 0) return 0;
            den <<= -q;
        }
        u128 d = num / den, r = num % den;
        if (d >= hi) {
            e++;
            continue;
        }
        if (d < lo) {
            e--;
            continue;
        }
        if (2 * r > den || (2 * r == den && (d & 1))) d++;
        if (d == hi) { /* rounded up to the next power of ten */
            d = lo;
            e++;
        }
        *digits = (unsigned long long)d;
        *exp10 = e;
        return 1;
    }
    return 0;
}

int et_numtext_g(char *buf, double x, int prec)
{
    unsigned long long d;
    int e;
    if (prec < 1 || prec > 17 || !isfinite(x) ||
        (x != 0 && !exact_digits(fabs(x), prec, &d, &e))) {
        void *saved = et_numtext_enter();
        int n = snprintf(buf, ET_NUMTEXT_G_SIZE, "%.*g", prec, x);
        et_numtext_leave(saved);
        return n;
    }
    char *p = buf;
    if (signbit(x)) *p++ = '-';
    if (x == 0) {
        *p++ = '0';
        *p = '\0';
        return (int)(p - buf);
    }
    char dig[17];
    for (int i = prec - 1; i >= 0; i--) {
        dig[i] = (char)('0' + d % 10);
        d /= 10;
    }
    int nd = prec; /* significant digits left after the trailing zeros go */
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    if (e < -4 || e >= prec) { /* %e style */
        *p++ = dig[0];
        if (nd > 1) {
            *p++ = '.';
            for (int i = 1; i < nd; i++)
                *p++ = dig[i];
        }
        *p++ = 'e';
        *p++ = e < 0 ? '-' : '+';
        int ae = e < 0 ? -e : e;
        if (ae >= 100) *p++ = (char)('0' + ae / 100);
        *p++ = (char)('0' + ae / 10 % 10);
        *p++ = (char)('0' + ae % 10);
    } else if (e >= 0) { /* %f style, e + 1 digits before the point */
        for (int i = 0; i <= e; i++)
            *p++ = dig[i];
        if (nd > e + 1) {
            *p++ = '.';
            for (int i = e + 1; i < nd; i++)
                *p++ = dig[i];
        }
    } else { /* 0.000ddd */
        *p++ = '0';
        *p++ = '.';
        for (int i = 0; i < -e - 1; i++)
            *p++ = '0';
        for (int i = 0; i < nd; i++)
            *p++ = dig[i];
    }
    *p = '\0';
    return (int)(p - buf);
}
