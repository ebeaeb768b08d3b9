/* numtext.c: strict, locale-independent numbers (numtext.h). */
#define _GNU_SOURCE /* strtod_l, newlocale, uselocale */
#include "numtext.h"

#include <locale.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
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
