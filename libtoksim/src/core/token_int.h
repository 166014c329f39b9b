/*
 * PURPOSE: the token's membership index, shared inside the core so that the access
 * check's ACE loop can probe it inline (one hash probe per ACE, no call). Prefix ts_.
 * Only token.c builds or changes an index; access.c reads it through ts_token_index(),
 * ts_index_find_key() and, in its fast walks, the slot layout itself (ts_hkey).
 */
#ifndef TOKSIM_CORE_TOKEN_INT_H
#define TOKSIM_CORE_TOKEN_INT_H

#include <string.h>
#include "internal.h"

/* One slot (16 bytes with 32- and 64-bit pointers); cls == TOKSIM_MATCH_NONE marks an
 * empty slot. `key` is ts_hkey() of the SID's hash: shifted so that key & (mask << 4) is
 * the slot's byte offset (the access check's fast walk, access.c). `sid` points into the
 * token (user, group or restricting-SID array) and is refreshed whenever those arrays
 * change.
 */
typedef struct ts_slot {
    uint32_t key;
    uint32_t cls;
    union {
        const toksim_sid *sid;
        uint64_t pad_; /* 16 bytes on 32-bit targets too (wasm) */
    };
} ts_slot;

#define TS_HKEY_SHIFT 4u
_Static_assert(sizeof(ts_slot) == 1u << TS_HKEY_SHIFT, "ts_hkey() is a slot byte offset");

/* The index's form of a SID hash: the hash shifted left by TS_HKEY_SHIFT. Its low bits
 * are zero (the ACL records keep the ACE kind there, access_int.h); the top bits are
 * lost, which only makes the hash comparison that precedes each SID comparison a little
 * weaker.
 */
static inline uint32_t ts_hkey(uint32_t hash)
{
    return hash << TS_HKEY_SHIFT;
}

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

/* 8 bytes of a SID from byte offset `at` (at <= sizeof(toksim_sid) - 8). */
static TS_PROBE_INLINE uint64_t ts_sid_word(const toksim_sid *s, size_t at)
{
    uint64_t w;
    memcpy(&w, (const unsigned char *)s + at, sizeof w);
    return w;
}

/*
 * The hash the index is keyed by (not toksim_sid_hash, whose byte-wise FNV-1a costs ~200
 * instructions for a domain SID, too much for the owner question the access check asks
 * on every MAXIMUM_ALLOWED): the first 8 bytes and then each used sub-authority folded
 * with a 64-bit multiply, the high half folded into the low (the slot index is taken from
 * the low bits). Equal SIDs hash equal (only used bytes are read).
 */
static inline uint32_t ts_sid_ihash(const toksim_sid *s)
{
    uint64_t h = ts_sid_word(s, 0) * 0x9E3779B97F4A7C15ull;
    const unsigned n = s->count < TOKSIM_SID_MAX_SUB ? s->count : TOKSIM_SID_MAX_SUB;
    for (unsigned i = 0; i < n; i++)
        h = (h ^ s->sub[i]) * 0xFF51AFD7ED558CCDull;
    return (uint32_t)(h ^ (h >> 32));
}

/* Same result as toksim_sid_equal(): revision, count and authority are the first 8 bytes.
 * A probe only gets here on a hash match, so the SIDs are almost always equal and every
 * used byte is compared anyway: with the counts equal, the used bytes are [8, 8 + 4c),
 * covered by the 8 bytes that end there ([4c, 4c + 8): all of them for c <= 2) and, for
 * more sub-authorities, the words at 8 and 16 (c <= 6: every domain account SID) and a
 * loop over the rest. Overlapping words compare some bytes twice, never an unused one.
 */
static TS_PROBE_INLINE bool ts_sid_same(const toksim_sid *a, const toksim_sid *b)
{
    _Static_assert(sizeof(toksim_sid) == 8 + 4 * TOKSIM_SID_MAX_SUB, "no padding");
    if (ts_sid_word(a, 0) != ts_sid_word(b, 0))
        return false;
    const size_t c = a->count; /* equal counts: the first words matched */
    if (c == 5) /* S-1-5-21-x-y-z-RID: domain accounts and groups, at fixed offsets */
        return ((ts_sid_word(a, 8) ^ ts_sid_word(b, 8)) |
                (ts_sid_word(a, 16) ^ ts_sid_word(b, 16)) |
                (ts_sid_word(a, 20) ^ ts_sid_word(b, 20))) == 0;
    uint64_t d = ts_sid_word(a, 4 * c) ^ ts_sid_word(b, 4 * c);
    if (c > 2) {
        d |= ts_sid_word(a, 8) ^ ts_sid_word(b, 8);
        if (c > 4) {
            d |= ts_sid_word(a, 16) ^ ts_sid_word(b, 16);
            for (size_t i = 4; i + 2 < c; i++)
                d |= a->sub[i] ^ b->sub[i];
        }
    }
    return d == 0;
}

/* Slot holding sid, or the empty slot where it would go (linear probing, load <= 1/4);
 * key is ts_hkey() of the SID's ts_sid_ihash(). */
static TS_PROBE_INLINE ts_slot *
ts_index_find_key(const ts_index *idx, const toksim_sid *sid, uint32_t key)
{
    uint32_t i = (key >> TS_HKEY_SHIFT) & idx->mask;
    for (;;) {
        ts_slot *s = &idx->slots[i];
        if (s->cls == TOKSIM_MATCH_NONE || (s->key == key && ts_sid_same(s->sid, sid)))
            return s;
        i = (i + 1) & idx->mask;
    }
}

/* The same, from the SID's ts_sid_ihash(). */
static TS_PROBE_INLINE ts_slot *
ts_index_find(const ts_index *idx, const toksim_sid *sid, uint32_t hash)
{
    return ts_index_find_key(idx, sid, ts_hkey(hash));
}

/* TOKSIM_MATCH_* class of sid in the index. */
static TS_PROBE_INLINE int ts_index_probe(const ts_index *idx, const toksim_sid *sid)
{
    return (int)ts_index_find(idx, sid, ts_sid_ihash(sid))->cls;
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
#define TS_FAST_TOKEN                                                                    \
    1u /* impersonation token, level >= Identification, unrestricted                     \
        */
#define TS_FAST_MIC_ANY                                                                  \
    2u /* policy lacks NO_WRITE_UP: the integrity stage never limits (ts_mic_unlimited)  \
        */
#define TS_FAST_MIC_MEDIUM                                                               \
    4u /* integrity >= Medium: an unlabeled object never limits                          \
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

/* ---- building a token in bulk (the identity layer's logon, issue 11) ---- */

/** toksim_token_new() with room for `ngroups` groups (capped at
 * TOKSIM_TOKEN_MAX_GROUPS): the group array and the index are sized once, so that adding
 * up to ngroups groups neither reallocates nor rebuilds. The token answers as one from
 * toksim_token_new() (its index only has more room). TOKSIM_EINVAL / TOKSIM_ENOMEM. */
toksim_status
ts_token_new_reserved(toksim_token **out, const toksim_sid *user, size_t ngroups);
/** The token takes `dacl` (owned; NULL for none) as its default DACL, the previous one
 * freed: toksim_token_set_default_dacl() without the copy. */
void ts_token_take_default_dacl(toksim_token *tok, toksim_acl *dacl);

#endif
