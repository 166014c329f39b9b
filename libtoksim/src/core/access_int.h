/*
 * PURPOSE: private interface between the access check (access.c) and its
 * mandatory-integrity stage (integrity.c). Prefix ts_.
 */
#ifndef TOKSIM_CORE_ACCESS_INT_H
#define TOKSIM_CORE_ACCESS_INT_H

#include "internal.h"
#include "token_int.h"

/** Outcome of the mandatory integrity stage (windows-model §3.5). */
typedef struct ts_mic_result {
    bool applies;       /**< the token is below the object's label and its policy has
                           NO_WRITE_UP */
    uint32_t permitted; /**< rights the stage lets through; 0xFFFFFFFF when it does not
                           apply */
    uint32_t token_il, object_il,
        policy;   /**< what was compared (policy: the label's NW/NR/NX bits) */
    bool labeled; /**< the SACL holds a label (else implicit Medium + NO_WRITE_UP) */
} ts_mic_result;

/**
 * Rights that a label policy (TOKSIM_MANDATORY_NO_*_UP bits) leaves to a token whose
 * integrity is below the label's, for an object with generic mapping m.
 */
uint32_t ts_mic_allowed(uint32_t policy, const toksim_generic_mapping *m);

/**
 * Run the mandatory integrity stage for a request of `requested` rights (MAXIMUM_ALLOWED
 * bit ignored) and append its trace events. Returns TOKSIM_ENOMEM only when tracing
 * failed.
 */
toksim_status ts_mic_check(ts_mic_result *out,
                           const toksim_sd *sd,
                           const toksim_token *tok,
                           const toksim_generic_mapping *m,
                           uint32_t requested,
                           toksim_trace *trace);

/*
 * True when ts_mic_check() would permit every right, decided from plain fields: the
 * token's policy lacks NO_WRITE_UP, or the SACL holds no ACE (so no label: the object is
 * implicit Medium, integrity.c) and the token is at least Medium. The untraced check
 * takes this shortcut; every other case (and every traced one) runs the stage.
 */
static inline bool ts_mic_unlimited(const toksim_sd *sd, const ts_token_hot *hot)
{
    if (!(hot->mandatory_policy & TOKSIM_TOKEN_MANDATORY_POLICY_NO_WRITE_UP))
        return true;
    return (!sd->sacl || sd->sacl->count == 0) && hot->integrity_rid >= TOKSIM_IL_MEDIUM;
}

/*
 * The compact per-ACE record of toksim_acl.keys (8 bytes instead of the 144-byte ACE):
 * what the access check's walk needs to pass over an ACE whose SID the token lacks
 * without touching the ACE. key: ts_hkey(ts_sid_ihash()) of the ACE's SID (token_int.h:
 * the form the token index keeps) with the kind in its low bits. TS_KEY_ALLOW /
 * TS_KEY_DENY: a plain ACCESS_ALLOWED / DENIED ACE, not inherit-only, no GENERIC_* bits,
 * SID not a placeholder (OWNER RIGHTS, PRINCIPAL_SELF). TS_KEY_OTHER: read the ACE. mask:
 * the ACE's. A record array holds one record more than aces[], the tail
 * (ts_ace_key_tail): its mask is the number of plain records before the first
 * TS_KEY_OTHER one (the fast walk of access.c reads only those). acl.c keeps the records
 * in step with aces[]; the walk builds temporary ones for an ACL whose records are
 * missing.
 */
enum { TS_KEY_ALLOW = 0, TS_KEY_DENY = 1, TS_KEY_OTHER = 2 };
#define TS_KEY_KIND 3u /* the kind bits of ts_ace_key.key */
_Static_assert(TS_KEY_KIND < (1u << TS_HKEY_SHIFT), "the kind fits below the hash");

struct toksim_ace_key {
    uint32_t key;  /* ts_hkey(sid hash) | TS_KEY_* */
    uint32_t mask; /* ace->mask; in the tail record: the plain prefix's length */
};
typedef struct toksim_ace_key ts_ace_key;

/* The placeholder SIDs an ACE may name (access.c substitutes them): OWNER RIGHTS
 * (S-1-3-4) stands for the object's owner, PRINCIPAL_SELF (S-1-5-10) for the caller's
 * principal (MS-DTYP 2.4.2.4). Authority is the 48-bit big-endian authority[6]. */
static inline bool ts_sid_is_owner_rights(const toksim_sid *s)
{
    return s->count == 1 && s->sub[0] == 4 && s->authority[5] == 3 && !s->authority[0] &&
           !s->authority[1] && !s->authority[2] && !s->authority[3] && !s->authority[4];
}

static inline bool ts_sid_is_principal_self(const toksim_sid *s)
{
    return s->count == 1 && s->sub[0] == 10 && s->authority[5] == 5 && !s->authority[0] &&
           !s->authority[1] && !s->authority[2] && !s->authority[3] && !s->authority[4];
}

/* The record of ace (the hash is the index's, ts_sid_ihash). */
static inline void ts_ace_key_fill(ts_ace_key *k, const toksim_ace *ace)
{
    bool plain =
        (ace->type == TOKSIM_ACE_ACCESS_ALLOWED ||
         ace->type == TOKSIM_ACE_ACCESS_DENIED) &&
        !(ace->flags & TOKSIM_INHERIT_ONLY_ACE) && !(ace->mask & TOKSIM_GENERIC_MASK) &&
        !ts_sid_is_owner_rights(&ace->sid) && !ts_sid_is_principal_self(&ace->sid);
    k->key = ts_hkey(ts_sid_ihash(&ace->sid)) |
             (!plain                                   ? TS_KEY_OTHER
              : ace->type == TOKSIM_ACE_ACCESS_ALLOWED ? TS_KEY_ALLOW
                                                       : TS_KEY_DENY);
    k->mask = ace->mask;
}

/* The record after the last one: `plain` records come before the first TS_KEY_OTHER. */
static inline void ts_ace_key_tail(ts_ace_key *k, size_t plain)
{
    k->key = TS_KEY_OTHER;
    k->mask = (uint32_t)plain; /* <= TOKSIM_ACL_MAX_ACES */
}

/* The tail's count for records[0..n) whose tail said `plain` for the first n - 1. */
static inline size_t ts_ace_key_plain(const ts_ace_key *k, size_t n, size_t plain)
{
    return plain == n - 1 && (k[n - 1].key & TS_KEY_KIND) != TS_KEY_OTHER ? n : plain;
}

/**
 * A conditional ACE (MS-DTYP 2.5.3.2) at index i of the DACL: does it take part in the
 * walk (TRUE applies, FALSE skips, UNKNOWN skips an allow ACE and applies a deny ACE)?
 * When ev is not NULL it receives the trace event (access.ace_cond_*, the expression in
 * its text). Shared by the plain walk (access.c) and AccessCheckByType's.
 */
bool ts_cond_ace_applies(const toksim_ace *ace,
                         size_t i,
                         bool allow,
                         const toksim_token *tok,
                         const toksim_sd *sd,
                         toksim_trace_event *ev);

/**
 * The DACL walk of AccessCheckByType (access_objtype.c): per-node decisions over the
 * request's object-type list; returns the rights granted to the root entry. rc receives
 * TOKSIM_ENOMEM when an allocation or the trace failed.
 */
uint32_t ts_objtype_walk(const toksim_sd *sd,
                         const toksim_token *tok,
                         const toksim_access_request *req,
                         const toksim_generic_mapping *map,
                         bool restricted,
                         toksim_trace *trace,
                         toksim_status *rc);

#endif
