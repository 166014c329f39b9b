/*
 * PURPOSE: the token's membership index, shared inside the core so that the access
 * check's ACE loop can probe it inline (one hash probe per ACE, no call). Prefix ts_.
 * Only token.c builds or changes an index; access.c reads it through ts_token_index() and
 * ts_index_probe().
 */
#ifndef TOKSIM_CORE_TOKEN_INT_H
#define TOKSIM_CORE_TOKEN_INT_H

#include <string.h>
#include "internal.h"

/* One slot; cls == TOKSIM_MATCH_NONE marks an empty slot. `sid` points into the token
 * (user, group or restricting-SID array) and is refreshed whenever those arrays change.
 */
typedef struct ts_slot {
    uint32_t hash;
    uint32_t cls;
    const toksim_sid *sid;
} ts_slot;

typedef struct ts_index {
    ts_slot *slots;
    uint32_t mask; /* capacity - 1 (a power of two) */
} ts_index;

/* The probe is the access check's inner loop: always inlined where the compiler allows.
 */
#if defined(__GNUC__) || defined(__clang__)
#define TS_PROBE_INLINE inline __attribute__((always_inline))
#else
#define TS_PROBE_INLINE inline
#endif

/* Byte masks over sub[0..5] for a SID of c (0..6) sub-authorities: 0xFF for the bytes of
 * used sub-authorities (the bytes past `count` may hold anything). Bytes, not integers,
 * so they are right for either byte order.
 */
static inline const unsigned char *ts_sub_mask(unsigned c)
{
    static const unsigned char masks[7][24] = {
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        {0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0,
         0,    0,    0,    0,    0, 0, 0, 0, 0, 0, 0, 0},
        {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0,
         0,    0,    0,    0,    0,    0,    0,    0,    0, 0, 0, 0},
        {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
         0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0},
        {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
         0xFF, 0xFF, 0xFF, 0xFF, 0,    0,    0,    0,    0,    0,    0,    0},
        {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
         0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0,    0,    0,    0},
        {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
         0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}};
    return masks[c];
}

/* Same result as toksim_sid_equal(): revision, count and authority are the first 8 bytes.
 * A probe only gets here on a hash match, so the SIDs are almost always equal and every
 * used word is compared anyway: for up to 6 sub-authorities (every domain account SID)
 * the words are compared branch-free, masked to the used ones.
 */
static TS_PROBE_INLINE bool ts_sid_same(const toksim_sid *a, const toksim_sid *b)
{
    uint64_t ha, hb;
    memcpy(&ha, a, sizeof ha);
    memcpy(&hb, b, sizeof hb);
    if (ha != hb)
        return false;
    if (a->count <= 6) {
        const unsigned char *m = ts_sub_mask(a->count);
        uint64_t x0, y0, k0, x1, y1, k1, x2, y2, k2; /* unrolled: three words */
        memcpy(&x0, &a->sub[0], 8);
        memcpy(&y0, &b->sub[0], 8);
        memcpy(&k0, m, 8);
        memcpy(&x1, &a->sub[2], 8);
        memcpy(&y1, &b->sub[2], 8);
        memcpy(&k1, m + 8, 8);
        memcpy(&x2, &a->sub[4], 8);
        memcpy(&y2, &b->sub[4], 8);
        memcpy(&k2, m + 16, 8);
        uint64_t diff = ((x0 ^ y0) & k0) | ((x1 ^ y1) & k1) | ((x2 ^ y2) & k2);
        return diff == 0;
    }
    for (unsigned i = 0; i < a->count; i++)
        if (a->sub[i] != b->sub[i])
            return false;
    return true;
}

/* Slot holding sid, or the empty slot where it would go (linear probing, load <= 1/4). */
static TS_PROBE_INLINE ts_slot *
ts_index_find(const ts_index *idx, const toksim_sid *sid, uint32_t hash)
{
    uint32_t i = hash & idx->mask;
    for (;;) {
        ts_slot *s = &idx->slots[i];
        if (s->cls == TOKSIM_MATCH_NONE || (s->hash == hash && ts_sid_same(s->sid, sid)))
            return s;
        i = (i + 1) & idx->mask;
    }
}

/* TOKSIM_MATCH_* class of sid in the index. */
static TS_PROBE_INLINE int
ts_index_probe(const ts_index *idx, const toksim_sid *sid, uint32_t hash)
{
    return (int)ts_index_find(idx, sid, hash)->cls;
}

/*
 * What the access check reads on every call, kept current by token.c (the only writer) so
 * that a check reads plain fields instead of calling getters. It is the token's first
 * member: ts_hot() converts a token pointer to a pointer to it (C11 6.7.2.1p15).
 */
typedef struct ts_token_hot {
    ts_index index;            /* user + groups */
    ts_index rindex;           /* restricting SIDs */
    uint32_t integrity_rid;    /* the label's RID; TOKSIM_IL_UNTRUSTED without a label */
    uint32_t mandatory_policy; /* TOKSIM_TOKEN_MANDATORY_POLICY_* */
    toksim_token_type type;
    toksim_imp_level level;
    bool restricted; /* holds restricting SIDs */
    bool write_restricted;
    bool appcontainer;
    uint8_t fast; /* TS_FAST_* bits, from the fields above (ts_hot_refresh) */
} ts_token_hot;

/* What the access check's fast path (access.c) asks of a token, in one byte. */
#define TS_FAST_TOKEN 1u /* impersonation token, level >= Identification, unrestricted   \
                          */
#define TS_FAST_MIC_ANY                                                                  \
    2u /* policy lacks NO_WRITE_UP: the integrity stage never limits (ts_mic_unlimited)  \
        */
#define TS_FAST_MIC_MEDIUM 4u /* integrity >= Medium: an unlabeled object never limits   \
                               */

/* Recompute hot->fast; token.c calls it whenever type, level, restricting SIDs, policy
 * or integrity change. */
static inline void ts_hot_refresh(ts_token_hot *h)
{
    h->fast =
        (uint8_t)((h->type == TOKSIM_TOKEN_IMPERSONATION &&
                           h->level >= TOKSIM_IMP_IDENTIFICATION && !h->restricted
                       ? TS_FAST_TOKEN
                       : 0u) |
                  (!(h->mandatory_policy & TOKSIM_TOKEN_MANDATORY_POLICY_NO_WRITE_UP)
                       ? TS_FAST_MIC_ANY
                       : 0u) |
                  (h->integrity_rid >= TOKSIM_IL_MEDIUM ? TS_FAST_MIC_MEDIUM : 0u));
}

static inline const ts_token_hot *ts_hot(const toksim_token *tok)
{
    return (const ts_token_hot *)(const void *)tok;
}

/* The index over user + groups, or over the restricting SIDs. Never NULL for a live
 * token. */
static inline const ts_index *ts_token_index(const toksim_token *tok, bool restricted)
{
    return restricted ? &ts_hot(tok)->rindex : &ts_hot(tok)->index;
}

#endif
