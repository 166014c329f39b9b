/*
 * PURPOSE: the one strict JSON front end (RFC 8259) every JSON reader of toksim runs
 * before or, for scenarios and world files, while building a tree (`access --batch`
 * lines are checked, then parsed). It rejects
 * what lenient parsers accept silently (duplicate keys, "\u0000", raw control characters
 * in strings, leading zeros, trailing commas, lone surrogates, a byte-order mark, UTF-16
 * text) and reports the first error at its byte offset with line and column.
 */
#ifndef TOKSIM_JSON_CHECK_H
#define TOKSIM_JSON_CHECK_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The one nesting limit of every JSON reader (arrays and objects, counted together). */
#define TOKSIM_JSON_MAX_DEPTH 24
/** Longest number token accepted (digits, sign, point and exponent). */
#define TOKSIM_JSON_MAX_NUMBER 64

/**
 * Check that text[0..len) is exactly one RFC 8259 JSON value with the stricter rules
 * above and at most TOKSIM_JSON_MAX_DEPTH levels of nesting. TOKSIM_OK, or TOKSIM_EPARSE
 * / TOKSIM_ELIMIT with err->offset, line, column (1-based, columns in characters) and a
 * message saying what was found and what was expected; err->where is left empty for the
 * caller to name the file. Memory: linear in the number of object keys.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_json_check(const char *text,
                                                            size_t len,
                                                            toksim_error *err);

#ifdef __cplusplus
}
#endif
#endif
