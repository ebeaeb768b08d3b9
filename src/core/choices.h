/* choices.h: '|'-separated lists of names ("none|rayleigh|rician"), the form in
 * which enum-valued configuration keys declare their values, in enum order. */
#ifndef ET_CHOICES_H
#define ET_CHOICES_H

#include <stddef.h>

/* Index of name in choices, or -1. */
int et_choice_index(const char *choices, const char *name);

/* Copies the idx-th name into out (truncated to out_size - 1), or "?" past the end. */
void et_choice_name(const char *choices, int idx, char *out, size_t out_size);

#endif
