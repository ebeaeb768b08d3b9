/* xml_scan.c: the small XML tag scanner (xml_scan_internal.h). */
#include "xml_scan_internal.h"

#include <string.h>

const char *et_xml_attr(const xml_tag *t, const char *name)
{
    for (int i = 0; i < t->n_attrs; i++)
        if (strcmp(t->attrs[i].name, name) == 0) return t->attrs[i].value;
    return NULL;
}

/* The character the reference at *p ('&') stands for, with *p moved past it; -1 when it
 * is not one read here (an undefined entity, a character beyond ASCII). */
static int reference(const char **p)
{
    static const struct {
        const char *name;
        char c;
    } named[] = {{"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''}};
    const char *s = *p + 1;
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        size_t n = strlen(named[i].name);
        if (strncmp(s, named[i].name, n) == 0) {
            *p = s + n;
            return named[i].c;
        }
    }
    if (*s++ != '#') return -1;
    int hex = *s == 'x';
    s += hex;
    long v = 0;
    const char *digits = s;
    for (;; s++) {
        int d = *s >= '0' && *s <= '9'          ? *s - '0'
                : hex && *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
                : hex && *s >= 'A' && *s <= 'F' ? *s - 'A' + 10
                                                : -1;
        if (d < 0) break;
        v = v * (hex ? 16 : 10) + d;
        if (v > 127) return -1;
    }
    if (s == digits || *s != ';' || v == 0) return -1;
    *p = s + 1;
    return (int)v;
}

int et_xml_value_is(const char *raw, const char *plain)
{
    const char *p = raw;
    while (*p && *plain) {
        int c = (unsigned char)*p;
        if (c == '&') {
            if ((c = reference(&p)) < 0) return 0;
        } else {
            p++;
        }
        if (c != (unsigned char)*plain++) return 0;
    }
    return *p == '\0' && *plain == '\0';
}

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == ':' || c == '.';
}

/* Returns the position just past the first occurrence of close at or after
 * p (NULL if none), counting the newlines passed. A plain loop rather than
 * strstr: sanitizer interceptors measure the whole remaining buffer on every
 * call, which made a 10,000-UE scan quadratic (14 s instead of 0.05 s). */
static char *skip_past(char *p, const char *close, int *line)
{
    size_t n = strlen(close);
    for (; *p; p++) {
        if (*p == close[0] && strncmp(p, close, n) == 0) return p + n;
        if (*p == '\n') (*line)++;
    }
    return NULL;
}

/* Skips XML white space at *q, counting newlines. */
static void skip_space(char **q, int *line)
{
    while (**q == ' ' || **q == '\t' || **q == '\r' || **q == '\n')
        *line += *(*q)++ == '\n';
}

/* Calls fn on every start and end tag of text (modified in place: names and
 * values are NUL-terminated where they lie). Comments, CDATA sections and the
 * prolog are skipped. Input the scanner cannot follow stops the scan with -1
 * and its line in *stop_line: a caller that checks what SimGrid will read
 * must not pass what lies beyond unread. Entities in values are left as
 * written. */
int et_xml_scan_at(char *text, xml_tag_fn fn, void *ctx, int *stop_line)
{
    int line = 1;
    char *p = text;
#define STOP()                                                                                     \
    do {                                                                                           \
        if (stop_line) *stop_line = line;                                                          \
        return -1;                                                                                 \
    } while (0)
    while (*p) {
        if (*p == '\n') line++;
        if (*p != '<') {
            p++;
            continue;
        }
        const char *close = NULL;
        if (strncmp(p, "<!--", 4) == 0)
            close = "-->";
        else if (strncmp(p, "<![CDATA[", 9) == 0) /* may hold '>' and '<' */
            close = "]]>";
        else if (p[1] == '?')
            close = "?>";
        else if (p[1] == '!')
            close = ">";
        if (close) {
            p = skip_past(p, close, &line);
            if (!p) STOP();
            continue;
        }
        if (p[1] == '/') {
            xml_tag end_tag = {.line = line, .end = 1};
            char *name_end = p + 2;
            while (is_name_char(*name_end))
                name_end++;
            end_tag.name = p + 2;
            p = skip_past(p, ">", &line);
            if (!p) STOP();
            *name_end = '\0'; /* at or before the '>' just passed */
            int rc = fn(&end_tag, ctx);
            if (rc) return rc;
            continue;
        }
        xml_tag tag = {.line = line, .n_attrs = 0};
        char *q = p + 1;
        tag.name = q;
        while (is_name_char(*q))
            q++;
        if (q == tag.name) STOP();
        for (;;) {
            char sep = *q;
            *q = '\0'; /* terminates the tag name or the previous value */
            if (sep == '\n') line++;
            q++;
            if (sep == '>' || (sep == '/' && *q == '>')) {
                tag.self_closing = sep == '/';
                break;
            }
            if (sep == ' ' || sep == '\t' || sep == '\r' || sep == '\n' || sep == '"' ||
                sep == '\'') {
                skip_space(&q, &line);
                if (*q == '>' || *q == '/') continue;
                char *name = q;
                while (is_name_char(*q))
                    q++;
                if (q == name) STOP();
                char *name_end = q;
                skip_space(&q, &line);
                if (*q != '=') STOP();
                q++;
                skip_space(&q, &line);
                char quote = *q;
                if (quote != '"' && quote != '\'') STOP();
                *name_end = '\0';
                char *value = ++q;
                while (*q && *q != quote)
                    line += *q++ == '\n';
                if (!*q) STOP();
                /* More attributes than any SimGrid element has: unread ones go unchecked. */
                if (tag.n_attrs == XML_MAX_ATTRS) STOP();
                tag.attrs[tag.n_attrs++] = (xml_attr){name, value};
                continue; /* the closing quote is the next separator */
            }
            STOP();
        }
        /* The loop above stopped past '>' (or on '>' after '/'). */
        int rc = fn(&tag, ctx);
        if (rc) return rc;
        p = q;
    }
    return 0;
#undef STOP
}

int et_xml_scan(char *text, xml_tag_fn fn, void *ctx)
{
    return et_xml_scan_at(text, fn, ctx, NULL);
}
