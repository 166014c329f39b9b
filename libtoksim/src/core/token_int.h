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

/* Same result as toksim_sid_equal(): revision, count and authority are the first 8 bytes.
 */
static inline bool ts_sid_same(const toksim_sid *a, const toksim_sid *b)
{
    uint64_t ha, hb;
    memcpy(&ha, a, sizeof ha);
    memcpy(&hb, b, sizeof hb);
    if (ha != hb)
        return false;
    for (unsigned i = 0; i < a->count; i++)
        if (a->sub[i] != b->sub[i])
            return false;
    return true;
}

/* Slot holding sid, or the empty slot where it would go (linear probing, load <= 1/4). */
static inline ts_slot *
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
static inline int
ts_index_probe(const ts_index *idx, const toksim_sid *sid, uint32_t hash)
{
    return (int)ts_index_find(idx, sid, hash)->cls;
}

/* The index over user + groups, or over the restricting SIDs. Never NULL for a live
 * token. */
const ts_index *ts_token_index(const toksim_token *tok, bool restricted);

#endif
