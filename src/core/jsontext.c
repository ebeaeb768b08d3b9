/* jsontext.c: strict JSON input files (jsontext.h). */
#include "jsontext.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readfile.h"

static int hex_digit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of the RFC 8259 number at p, 0 if it is not one. */
static size_t json_number(const char *p)
{
    const char *q = p;
    if (*q == '-') q++;
    if (*q == '0')
        q++;
    else if (digit(*q))
        while (digit(*q))
            q++;
    else
        return 0;
    if (*q == '.') {
        if (!digit(*++q)) return 0;
        while (digit(*q))
            q++;
    }
    if (*q == 'e' || *q == 'E') {
        q++;
        if (*q == '+' || *q == '-') q++;
        if (!digit(*q)) return 0;
        while (digit(*q))
            q++;
    }
    return (size_t)(q - p);
}

int et_jsontext_check(const char *text, size_t len, int *line, char *why, size_t why_size)
{
    int at = 1, depth = 0;
    const char *end = text + len;
    for (const char *p = text; p < end;) {
        char c = *p;
        if (c == '\0') {
            snprintf(why, why_size, "a NUL byte (offset %zu)", (size_t)(p - text));
            *line = at;
            return -1;
        }
        if (c == '\n') {
            at++;
            p++;
        } else if (c == '"') {
            for (p++;; p++) {
                if (p >= end || *p == '\n') {
                    snprintf(why, why_size, "a string not closed on its line");
                    *line = at;
                    return -1;
                }
                if (*p == '"') break;
                if ((unsigned char)*p < 0x20) {
                    snprintf(why, why_size, "a control character (\\x%02X) in a string",
                             (unsigned char)*p);
                    *line = at;
                    return -1;
                }
                if (*p != '\\') continue;
                p++;
                if (p < end && *p == 'u') {
                    if (p + 4 >= end || !hex_digit(p[1]) || !hex_digit(p[2]) || !hex_digit(p[3]) ||
                        !hex_digit(p[4])) {
                        snprintf(why, why_size, "a \\u escape without 4 hexadecimal digits");
                        *line = at;
                        return -1;
                    }
                    if (!strncmp(p + 1, "0000", 4)) {
                        snprintf(why, why_size,
                                 "\\u0000 in a string (a NUL would cut the text short)");
                        *line = at;
                        return -1;
                    }
                    p += 4;
                } else if (p >= end || !strchr("\"\\/bfnrt", *p)) {
                    snprintf(why, why_size, "an unknown escape in a string");
                    *line = at;
                    return -1;
                }
            }
            p++;
        } else if (c == '-' || digit(c) || c == '+' || c == '.') {
            size_t n = json_number(p);
            /* The whole run of number characters must be one JSON number (01, 1., +1, .5 and
             * 1e are not). */
            size_t run = 0;
            while (p + run < end && (digit(p[run]) || strchr("+-.eE", p[run]) != NULL))
                run++;
            if (n == 0 || n != run) {
                snprintf(why, why_size,
                         "'%.*s' is not a JSON number (RFC 8259: no leading zeros, "
                         "'+' or bare '.')",
                         (int)(run < 40 ? run : 40), p);
                *line = at;
                return -1;
            }
            p += n;
        } else if (c == '[' || c == '{') {
            if (++depth > ET_JSON_MAX_DEPTH) {
                snprintf(why, why_size, "nesting deeper than %d levels", ET_JSON_MAX_DEPTH);
                *line = at;
                return -1;
            }
            p++;
        } else {
            if ((c == ']' || c == '}') && depth > 0) depth--;
            p++;
        }
    }
    return 0;
}

et_status et_jsontext_load(const char *path, const char *kind, const char *what, size_t max_bytes,
                           struct cJSON **root, et_error *err)
{
    *root = NULL;
    char *text = NULL;
    size_t len = 0;
    et_status st = et_read_input(path, kind, max_bytes, &text, &len, err);
    if (st != ET_OK) return st;
    int line = 1;
    char why[160];
    if (et_jsontext_check(text, len, &line, why, sizeof why) != 0) {
        free(text);
        return et_error_set(err, ET_ERR_INPUT, "%s:%d: %s (expected %s)", path, line, why, what);
    }
    const char *end = NULL;
    cJSON *tree = cJSON_ParseWithOpts(text, &end, 1);
    if (!tree) {
        /* The line cJSON stopped on; an error at the very end is on the last line. */
        const char *stop = cJSON_GetErrorPtr();
        if (!stop || stop < text || stop > text + len) stop = end ? end : text;
        while (stop > text && !*stop && stop[-1] == '\n')
            stop--;
        line = 1;
        for (const char *c = text; c < stop; c++)
            line += *c == '\n';
        free(text);
        return et_error_set(err, ET_ERR_INPUT, "%s:%d: malformed JSON (expected %s)", path, line,
                            what);
    }
    free(text);
    *root = tree;
    return ET_OK;
}
