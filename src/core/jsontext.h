/* jsontext.h: JSON input files read strictly (scenarios, sweep SPECs, model profiles).
 *
 * cJSON is lenient where a mistake should be an error: it reads 01, +1, 1. and .5 as numbers
 * and turns "\u0000" into the end of a string (so "seed\u0000junk" is the key "seed"), and its
 * nesting limit shows only as "malformed JSON". et_jsontext_check holds a text to RFC 8259's
 * number grammar, refuses a NUL byte, an escaped NUL and raw control characters in strings,
 * and names nesting beyond cJSON's limit, each with its line. */
#ifndef ET_JSONTEXT_H
#define ET_JSONTEXT_H

#include <stddef.h>

#include "status.h"

struct cJSON;

/* cJSON 1.7's nesting limit (CJSON_NESTING_LIMIT). */
#define ET_JSON_MAX_DEPTH 1000

/* Checks text (len bytes) as above: 0, or -1 with *line (1-based) and why (one phrase) set.
 * Syntax (commas, colons, brackets) is left to the parser. */
int et_jsontext_check(const char *text, size_t len, int *line, char *why, size_t why_size);

/* Reads path (a regular file of at most max_bytes: readfile.h), checks it (et_jsontext_check)
 * and parses it. *root gets the tree (the caller deletes it). ET_ERR_INPUT "<path>: cannot read
 * <kind>: <reason>" or "<path>:<line>: <why> (expected <what>)" otherwise; kind names the file
 * ("the scenario"), what the document ("a JSON object of scenario keys"). */
et_status et_jsontext_load(const char *path, const char *kind, const char *what, size_t max_bytes,
                           struct cJSON **root, et_error *err);

#endif
