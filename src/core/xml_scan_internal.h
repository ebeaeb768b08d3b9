/* xml_scan_internal.h: a small XML tag scanner, enough to pre-check what SimGrid aborts on and
 * to read back what SimGrid's C API cannot tell (Wi-Fi levels, zone routes). Shared by
 * platform_check.c and platform.c; not installed. */
#ifndef ET_XML_SCAN_INTERNAL_H
#define ET_XML_SCAN_INTERNAL_H

#include <stddef.h>

typedef struct xml_attr {
    const char *name, *value; /* NUL-terminated copies inside the scan buffer */
} xml_attr;

#define XML_MAX_ATTRS 32

typedef struct xml_tag {
    const char *name;
    int line;
    int end;          /* 1: an end tag </name> (no attributes) */
    int self_closing; /* 1: <name ... /> */
    int n_attrs;
    xml_attr attrs[XML_MAX_ATTRS];
} xml_tag;

/* Returns 0 to go on, anything else stops the scan and is returned. */
typedef int (*xml_tag_fn)(const xml_tag *tag, void *ctx);

/* The value of attribute name of t, or NULL. */
const char *et_xml_attr(const xml_tag *t, const char *name);

/* 1 when raw, an attribute value as written (the scanner leaves entities as they are), reads
 * as plain once its references are replaced as an XML parser (SimGrid's) replaces them: the
 * five predefined entities and character references &#N; &#xH; (ASCII). 0 otherwise. */
int et_xml_value_is(const char *raw, const char *plain);

/* Calls fn for every start and end tag of text (modified: names and values become NUL-terminated
 * strings inside it), skipping comments, CDATA sections, processing instructions and DOCTYPE.
 * Returns 0, or what fn returned to stop, or -1 for text that is not XML the scanner can follow. */
int et_xml_scan(char *text, xml_tag_fn fn, void *ctx);

/* et_xml_scan, with the line where the scan stopped on text it cannot follow in *stop_line (may
 * be NULL) when it returns -1. */
int et_xml_scan_at(char *text, xml_tag_fn fn, void *ctx, int *stop_line);

#endif
