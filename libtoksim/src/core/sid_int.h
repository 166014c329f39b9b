/*
 * PURPOSE: the two halves of the SID string parser in sid.c (never exported), apart so
 * that tests can hold them against each other: toksim_sid_parse_n() tries the fast path
 * for the common form and falls back to the full parser, which alone reports errors.
 */
#ifndef TOKSIM_CORE_SID_INT_H
#define TOKSIM_CORE_SID_INT_H

#include "internal.h"

/**
 * "S-1-" decimal authority ("-" decimal sub-authority){0,15}, each part 1 to 10 decimal
 * digits with a 32-bit value, nothing else: *out set and true, the SID the full parser
 * gives. False (out untouched) for every other text, valid or not (issue 11).
 */
bool ts_sid_parse_fast(toksim_sid *out, const char *text, size_t len);
/** The full grammar and its error messages (sid.c's header comment). */
toksim_status
ts_sid_parse_full(toksim_sid *out, const char *text, size_t len, toksim_error *err);

#endif
