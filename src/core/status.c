#include "status.h"

#include "interrupt.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0. */
static size_t utf8_length(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0; /* overlong */
        if (c == 0xED) hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else
        return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return n;
}

size_t et_escape(char *out, size_t size, const char *in)
{
    size_t used = 0;
    if (!out || size == 0) return 0;
    for (const unsigned char *p = (const unsigned char *)in; p && *p;) {
        size_t n = *p >= 0x20 && *p < 0x7F ? 1 : *p >= 0x80 ? utf8_length(p) : 0;
        if (n == 0) { /* a control byte or invalid UTF-8: \xNN */
            if (used + 4 >= size) break;
            snprintf(out + used, size - used, "\\x%02X", *p);
            used += 4;
            p++;
            continue;
        }
        if (used + n >= size) break;
        memcpy(out + used, p, n);
        used += n;
        p += n;
    }
    out[used] = '\0';
    return used;
}

void et_error_clear(et_error *err)
{
    if (!err) return;
    err->code = ET_OK;
    err->msg[0] = '\0';
}

et_status et_error_set(et_error *err, et_status code, const char *fmt, ...)
{
    if (!err) return code;
    err->code = code;
    char raw[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    et_escape(err->msg, sizeof err->msg, raw);
    return code;
}

int et_status_exit_code(et_status status)
{
    if (status == ET_OK) return 0;
    if (status == ET_ERR_INPUT) return 2;
    if (status == ET_ERR_LIMIT) return 3;
    if (status == ET_ERR_INTERRUPTED) return 128 + (et_interrupted() ? et_interrupted() : 2);
    return 1;
}
