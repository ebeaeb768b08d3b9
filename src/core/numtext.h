/* numtext.h: numbers read from text strictly, and read and written the same way in every locale.
 *
 * Every number edgetune reads from a user (a command-line option, a scenario or platform value,
 * a trace field) goes through et_numtext_*: plain decimal only, "-12", "3.5", "6e9", ".5", so
 * that " 5", "+5", "0x10", "inf" or "nan" are refused rather than read as something else, and
 * a '.' is the decimal point whatever LC_NUMERIC says (a program embedding the library may
 * have called setlocale with a comma-decimal locale).
 *
 * Formatting (printf's %g in the traces) follows the calling thread's locale: the library's
 * entry points that read or write numbers (the C API, et_sim_create_from_params,
 * et_sim_run_episode, the scenario loader) switch their thread to the C locale for the call with
 * et_numtext_enter and back with et_numtext_leave. */
#ifndef ET_NUMTEXT_H
#define ET_NUMTEXT_H

#include <stddef.h>

/* The length of the plain decimal number at the start of text ("-"? digits ["." digits]
 * [("e"|"E") ("+"|"-")? digits], at least one digit before the exponent), 0 when there is
 * none. Leading blanks, "+", hexadecimal, "inf" and "nan" are not numbers here. */
size_t et_numtext_span(const char *text);

/* Parses the whole of text as a plain decimal number (et_numtext_span), finite, in the C
 * locale. Returns 0 and sets *out, or -1. */
int et_numtext_double(const char *text, double *out);

/* Parses the whole of text as a plain decimal integer ("-"? digits) in [min, max]. Returns 0
 * and sets *out, or -1. */
int et_numtext_long(const char *text, long min, long max, long *out);

/* Writes x into buf (at least ET_NUMTEXT_G_SIZE bytes) exactly as snprintf's "%.*g" with
 * precision prec (1 to 17) writes it in the C locale, NUL-terminated; returns the length.
 * Integer arithmetic, without printf, for the magnitudes traces hold (about 1e-20 to 1e20,
 * zero, either sign); other values (infinities, NaN, the extremes) go through snprintf.
 * Rounding is exact: the double's binary value, halves to even, as glibc rounds
 * (tests/core/test_numtext.c compares the two on millions of values). */
#define ET_NUMTEXT_G_SIZE 32
int et_numtext_g(char *buf, double x, int prec);

/* Switches the calling thread to the C locale; returns what to give et_numtext_leave (the
 * thread's previous locale_t, opaque here so that strict C11 files can use it). */
void *et_numtext_enter(void);

/* Restores the calling thread's locale saved by et_numtext_enter. */
void et_numtext_leave(void *saved);

#endif
