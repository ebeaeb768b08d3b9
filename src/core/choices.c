/* choices.c: enum names in '|'-separated lists (choices.h). */
#include "choices.h"

#include <stdio.h>
#include <string.h>

/* Index of name in a '|'-separated choice list, or -1. */
int et_choice_index(const char *choices, const char *name)
{
    size_t n = strlen(name);
    int idx = 0;
    for (const char *p = choices; *p; idx++) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0) return idx;
        if (!bar) break;
        p = bar + 1;
    }
    return -1;
}

void et_choice_name(const char *choices, int idx, char *out, size_t out_size)
{
    const char *p = choices;
    for (int i = 0; i < idx && p; i++) {
        p = strchr(p, '|');
        if (p) p++;
    }
    if (!p) {
        snprintf(out, out_size, "?");
        return;
    }
    const char *bar = strchr(p, '|');
    size_t len = bar ? (size_t)(bar - p) : strlen(p);
    if (len >= out_size) len = out_size - 1;
    memcpy(out, p, len);
    out[len] = '\0';
}
