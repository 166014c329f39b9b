/*
 * PURPOSE: private interface of the conditional-ACE evaluator (cond_eval.c) for the
 * access check (access.c). Prefix ts_.
 */
#ifndef TOKSIM_CORE_COND_INT_H
#define TOKSIM_CORE_COND_INT_H

#include "internal.h"

/** Three-valued results of a conditional expression (MS-DTYP 2.4.4.17.7). */
enum { TS_COND_FALSE = 0, TS_COND_TRUE = 1, TS_COND_UNKNOWN = 2 };

/**
 * Evaluate the "artx" expression buf[0..len) for tok against sd (its SACL's resource
 * attributes). deny_ace: the ACE is a deny ACE (deny-only groups count for Member_of).
 */
int ts_cond_eval(const uint8_t *buf,
                 size_t len,
                 const toksim_token *tok,
                 const toksim_sd *sd,
                 bool deny_ace);
/** The ACE carries a conditional expression ("artx" application data). */
bool ts_ace_is_conditional(const toksim_ace *ace);
/** The binary payload of a callback or RA ACE: its app_data, or compiled from its SDDL
 * text into *owned (caller frees). false when it has none or it does not compile. */
bool ts_ace_payload(const toksim_ace *ace, const uint8_t **p, size_t *n, uint8_t **owned);

#endif
