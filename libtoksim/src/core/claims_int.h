/*
 * PURPOSE: private interface of token claims (claims.c) for the token (token.c) and the
 * conditional-ACE evaluator (cond_eval.c). A claim is kept in the
 * CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1 layout (MS-DTYP 2.4.10.1) that RA ACEs carry, so
 * that @User, @Device and @Resource attributes are read by one decoder. Prefix ts_.
 */
#ifndef TOKSIM_CORE_CLAIMS_INT_H
#define TOKSIM_CORE_CLAIMS_INT_H

#include "internal.h"

typedef struct ts_blob {
    uint8_t *d;
    size_t n;
} ts_blob;

typedef struct ts_claims {
    ts_blob *set[3]; /* TOKSIM_CLAIMS_USER, _DEVICE, _LOCAL (token security attributes) */
    size_t n[3], cap[3];
    toksim_sid *devgroups;
    size_t ndev, capdev;
} ts_claims;

void ts_claims_free(ts_claims *c);
/** A deep copy; NULL in, NULL out; *ok false on allocation failure. */
ts_claims *ts_claims_copy(const ts_claims *c, bool *ok);

/** The token's claims (NULL when it has none) and the slot to create them. token.c. */
const ts_claims *ts_token_claims(const toksim_token *tok);
ts_claims **ts_token_claims_slot(toksim_token *tok);

/** One decoded claim: a view into its bytes. */
typedef struct ts_claim_view {
    const uint8_t *name; /* UTF-16LE, name_len bytes, no NUL */
    size_t name_len;
    uint16_t type; /* 1 TI, 2 TU, 3 TS, 5 TD, 6 TB, 0x10 TX */
    uint32_t count;
    const uint8_t *base; /* start of the structure: value offsets count from here */
    size_t len;
} ts_claim_view;

/** Decode the header of a claim; false when the bytes are malformed. */
bool ts_claim_view_of(ts_claim_view *v, const uint8_t *d, size_t n);
/** Value i: integers in *i (TI/TU/TB); strings, SIDs, octets as bytes *p,*pn (strings:
 * UTF-16LE without NUL). false when malformed. */
bool ts_claim_value(
    const ts_claim_view *v, uint32_t i, int64_t *iv, const uint8_t **p, size_t *pn);
/** ASCII case-insensitive UTF-16LE comparison. */
bool ts_utf16_eq_ci(const uint8_t *a, size_t an, const uint8_t *b, size_t bn);

#endif
