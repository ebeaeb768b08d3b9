/* test_numtext.c: et_numtext_g writes what snprintf's %.9g and %.17g write (src/core/numtext.c),
 * on edge cases and a million values of each kind the traces hold; a task row through the
 * printf-free writer equals the row printf would write (src/core/trace.c). */
#define _DEFAULT_SOURCE
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "et_test.h"
#include "numtext.h"
#include "rng.h"
#include "trace.h"

/* 1 when et_numtext_g and snprintf agree on x at precision prec; prints the first few that
 * do not. */
static int same_as_printf(double x, int prec)
{
    static int shown = 0;
    char want[64], got[ET_NUMTEXT_G_SIZE];
    snprintf(want, sizeof want, "%.*g", prec, x);
    int n = et_numtext_g(got, x, prec);
    if (n == (int)strlen(want) && !strcmp(got, want)) return 1;
    if (shown++ < 10) printf("  %a at %%.%dg: printf '%s', et_numtext_g '%s'\n", x, prec, want, got);
    return 0;
}

static int check_both(double x)
{
    return same_as_printf(x, 9) & same_as_printf(x, 17);
}

static void edge_cases_print_as_printf(void)
{
    const double cases[] = {0.0,
                            -0.0,
                            1.0,
                            -1.0,
                            0.5,
                            1.5,
                            2.5,
                            -2.5,
                            0.1,
                            0.2,
                            0.3,
                            1e-300,
                            -1e-300,
                            1e300,
                            -1e300,
                            DBL_MIN,
                            DBL_MAX,
                            -DBL_MAX,
                            DBL_TRUE_MIN,
                            DBL_MIN / 3,
                            DBL_EPSILON,
                            1e-5,
                            1e-4,
                            9.99999999e-5,
                            0.000099999999949,
                            999999999.5,
                            999999998.5,
                            99999999.95,
                            9.9999999995,
                            123456789.0,
                            1234567890.0,
                            1e9,
                            1e16,
                            1e17,
                            1e20,
                            1e21,
                            1e22,
                            1e23,
                            12345678901234567890.0,
                            4503599627370496.5,
                            9007199254740993.0,
                            0.1 + 0.2,
                            1.0 / 3,
                            -2.0 / 3,
                            86400.001,
                            6e9,
                            -1.0,
                            INFINITY,
                            -INFINITY,
                            NAN};
    int ok = 1;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ok &= check_both(cases[i]);
    CU_ASSERT(ok);
    /* Every power of ten and its neighbours, across the whole range. */
    for (int e = -320; e <= 308; e++) {
        double p = pow(10, e);
        ok &= check_both(p) & check_both(nextafter(p, 0)) & check_both(nextafter(p, INFINITY));
        ok &= check_both(p * 5) & check_both(-p * 0.5);
    }
    CU_ASSERT(ok);
}

/* A million of each: every bit pattern (subnormals, infinities and NaNs among them), magnitudes
 * spread over 1e-20 .. 1e20 with either sign, and decimals of a few digits (ties in the last
 * printed digit are frequent among them: 0.1234567895 is not a tie in binary, and near ones
 * must round as printf rounds). */
static void a_million_random_doubles_print_as_printf(void)
{
    et_rng r; /* a fixed sequence, the same on every run */
    et_rng_seed(&r, 19, 0);
    et_rng *seed = &r;
    long bad = 0;
    for (int i = 0; i < 1000000; i++) {
        uint64_t bits = et_rng_u64(seed);
        double x;
        memcpy(&x, &bits, sizeof x);
        bad += !check_both(x);
        double m = pow(10, -20 + 40 * et_rng_uniform(seed)) * (et_rng_u64(seed) & 1 ? -1 : 1);
        bad += !check_both(m);
        int digits = 1 + (int)(et_rng_u64(seed) % 12), scale = (int)(et_rng_u64(seed) % 16);
        double d = (double)(et_rng_u64(seed) % (uint64_t)pow(10, digits)) / pow(10, scale);
        bad += !check_both(d);
        double near = (double)(et_rng_u64(seed) % 2000000000ULL) + 0.5; /* exact halves */
        bad += !check_both(near / pow(10, (double)(et_rng_u64(seed) % 10)));
    }
    printf("  4,000,000 values at %%.9g and %%.17g: %ld differ\n", bad);
    CU_ASSERT_EQUAL(bad, 0);
}

/* The task row the printf-free writer writes is the one printf's formats give. */
static void a_task_row_equals_the_printf_row(void)
{
    et_task_record r;
    memset(&r, 0, sizeof r);
    r.episode = 3;
    r.ue = 12;
    r.ue_name = "ue\"12\"";
    r.task = 49;
    r.start_s = 1234.56789012345;
    r.end_s = -0.0;
    r.location = 1;
    r.keep = 0.4;
    r.b = -7;
    r.tokens = 1e-300;
    r.epochs = 3e300;
    r.bytes_up = 123456789012.0;
    r.bytes_down = NAN;
    r.compute_s = 2.5e-7;
    r.delay_s = 99999999.95;
    r.ppl = INFINITY;
    r.failure = "deadline";
    r.device_class = NULL;
    r.handovers = -2147483647 - 1;
    r.cell = "c,1";
    r.server = "";
    r.radio = "wifi";
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    et_trace_task_row(f, &r);
    fclose(f);
    char want[1024];
    snprintf(want, sizeof want,
             "3,12,\"ue\"\"12\"\"\",49,%.9g,%.9g,SERVER,%.9g,-7,%.9g,%.9g,%.9g,,%.9g,%.9g,%.9g,"
             "0,0,deadline,,0,0,0,0,0,0,-2147483648,\"c,1\",,wifi\n",
             r.start_s, r.end_s, r.keep, r.tokens, r.epochs, r.bytes_up, r.compute_s, r.delay_s,
             r.ppl);
    CU_ASSERT_STRING_EQUAL(buf, want);
    free(buf);
}

/* An activities.csv row is the one the engine's printf wrote before (every number %.17g). */
static void an_activity_row_equals_the_printf_row(void)
{
    const et_activity_record recs[] = {
        {.time_s = 1234.5678901234567, .ue = 7, .kind = 'C', .dir = 1, .amount = 3e9,
         .peak_bps = -1, .rate_bps = 123456789.123},
        {.time_s = 0, .ue = 0, .kind = 'X', .dir = 0, .amount = 1e-300, .peak_bps = 1e300,
         .rate_bps = NAN},
        {.time_s = 0.1 + 0.2, .ue = 99999, .kind = 'B', .dir = 0, .amount = -0.0,
         .peak_bps = INFINITY, .rate_bps = 5e-324},
    };
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
        const et_activity_record *r = &recs[i];
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        et_trace_activity_row(f, r);
        fclose(f);
        char want[512];
        snprintf(want, sizeof want, "%.17g,%d,%c,%d,%.17g,%.17g,%.17g\n", r->time_s, r->ue,
                 r->kind, r->dir, r->amount, r->peak_bps, r->rate_bps);
        CU_ASSERT_STRING_EQUAL(buf, want);
        free(buf);
    }
}

int main(void)
{
    static const et_test_case cases[] = {
        {"edge_cases_print_as_printf", edge_cases_print_as_printf},
        {"a_million_random_doubles_print_as_printf", a_million_random_doubles_print_as_printf},
        {"a_task_row_equals_the_printf_row", a_task_row_equals_the_printf_row},
        {"an_activity_row_equals_the_printf_row", an_activity_row_equals_the_printf_row},
        {NULL, NULL},
    };
    return et_test_main("numtext", cases);
}
