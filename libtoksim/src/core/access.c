/*
 * PURPOSE: the access check (windows-model §3.3-3.5; MS-DTYP 2.5.3.2; Forshaw, Windows
 * Security Internals ch. 7): AccessCheck() preconditions or the kernel open path, then in
 * Windows' order mandatory integrity (integrity.c), privileges, owner implicit rights,
 * and one walk over the DACL per pass (normal pass, then the restricting-SID pass of
 * restricted tokens), for ordinary and MAXIMUM_ALLOWED requests alike. Every decision
 * appends a trace event (rules_core.inc).
 *
 * Performance (docs/PERFORMANCE.md): the ACE walk reads the ACL's 8-byte per-ACE records
 * (toksim_acl.keys: hash key and kind, mask; access_int.h) and touches an ACE only on a
 * hash match or when the ACE is not a plain allow/deny; one inlined hash probe per ACE
 * (ts_index_find_key of token_int.h); the walk is compiled twice, with and without
 * tracing; nothing is allocated unless a trace is given or the ACL's records are missing.
 * Untraced plain requests take the fast path (fast_walk, fast_walk_max): leaf loops over
 * the records that probe only the ACEs that can still change the answer.
 *
 * Left out (deliberately): process trust labels, access-filter ACEs, central access
 * policies, callback ACEs without a conditional expression (AuthzAccessCheck callbacks:
 * traced and skipped; conditional ones are evaluated, cond_eval.c), object-type
 * lists (an allow object ACE that names a type grants nothing; a deny object ACE denies
 * like a plain one), AppContainer capability matching, audit generation.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "access_int.h"
#include "cond_int.h"
#include "sddl_int.h"
#include "token_int.h"

/*
 * UNCONFIRMED switches (windows-model §3.3 step 4, §3.4, §3.3 step 8): flip here when a
 * Windows run settles them; the unit tests name each one.
 */
/* An inherit-only OWNER RIGHTS ACE does not apply to the object, so it does not suppress
 * the owner's implicit rights (Forshaw's re-implementation counts any OWNER RIGHTS ACE).
 */
#define TS_OWNER_RIGHTS_INHERIT_ONLY_COUNTS 0
/* FILE_TRAVERSE (0x20) granted with backup intent on files and directories. */
#define TS_BACKUP_FILE_TRAVERSE 0x00000020u
/* MAXIMUM_ALLOWED on a write-restricted token: the restricting pass limits write rights
 * only. */
#define TS_MAX_WRITE_RESTRICTED_LIMITS_WRITE_ONLY 1

#define TS_ALL_BITS 0xFFFFFFFFu

typedef struct ts_ctx {
    const toksim_sd *sd;
    const toksim_token *tok;
    const toksim_generic_mapping *map;
    const toksim_access_request *req;
    toksim_trace *trace;
    toksim_status rc;    /* first tracing failure */
    bool max;            /* MAXIMUM_ALLOWED requested */
    uint32_t self_hash;  /* hash of req->principal_self */
    uint32_t owner_hash; /* hash of sd->owner, computed on first use */
    bool owner_hashed;
} ts_ctx;

/* The SD owner's hash, computed once per check and only when an owner question comes up.
 */
static uint32_t owner_hash(ts_ctx *c)
{
    if (!c->owner_hashed) {
        c->owner_hash = ts_sid_ihash(&c->sd->owner); /* the index's hash */
        c->owner_hashed = true;
    }
    return c->owner_hash;
}

/* ---- tracing ---- */

static toksim_trace_event ev_new(toksim_rule rule, toksim_verdict v)
{
    toksim_trace_event e = toksim_trace_event_make(rule, v);
    return e;
}

static void emit(ts_ctx *c, const toksim_trace_event *e)
{
    toksim_status rc = toksim_trace_add(c->trace, e);
    if (rc && !c->rc)
        c->rc = rc;
}

static void ev_simple(ts_ctx *c,
                      toksim_rule rule,
                      toksim_verdict v,
                      uint32_t mask,
                      uint32_t priv,
                      uint32_t status)
{
    if (!c->trace)
        return;
    toksim_trace_event e = ev_new(rule, v);
    e.mask = mask;
    e.privilege = priv;
    e.status = status;
    emit(c, &e);
}

static void ev_ace(ts_ctx *c,
                   toksim_rule rule,
                   toksim_verdict v,
                   size_t index,
                   const toksim_ace *ace,
                   const toksim_sid *sid,
                   uint32_t mask)
{
    toksim_trace_event e = ev_new(rule, v);
    e.index = (int32_t)index;
    e.mask = mask;
    e.a = ace->type;
    e.b = ace->mask;
    e.has_sid = true;
    e.sid = *sid;
    if (sid != &ace->sid) { /* substituted: keep what the ACE says */
        e.has_sid2 = true;
        e.sid2 = ace->sid;
    }
    emit(c, &e);
}

/* ---- results ---- */

/* The call itself fails (AccessCheck returns FALSE): the check did not run. */
static toksim_status call_fails(ts_ctx *c,
                                toksim_access_result *out,
                                toksim_rule rule,
                                uint32_t ntstatus,
                                uint32_t mask,
                                int64_t a,
                                int64_t b)
{
    out->api_ok = false;
    out->ntstatus = ntstatus;
    out->win32 = toksim_ntstatus_to_win32(ntstatus);
    if (c->trace) {
        toksim_trace_event e = ev_new(rule, TOKSIM_V_DENY);
        e.mask = mask;
        e.a = a;
        e.b = b;
        e.status = ntstatus;
        emit(c, &e);
    }
    return c->rc;
}

/* The result of a check that ran (verdict() without the trace event). */
static inline void verdict_fill(toksim_access_result *out,
                                bool ok,
                                uint32_t granted,
                                uint32_t missing,
                                uint32_t ntstatus)
{
    out->api_ok = true;
    out->granted_all = ok;
    out->granted = ok ? granted : 0; /* Windows reports 0 on denial */
    out->missing = ok ? 0 : missing;
    out->ntstatus = ok ? TOKSIM_STATUS_SUCCESS : ntstatus;
    /* STATUS_SUCCESS is ERROR_SUCCESS: no table lookup for the common answer */
    out->win32 = ok ? 0 : toksim_ntstatus_to_win32(out->ntstatus);
}

/* The check ran: grant `granted`, or deny with `ntstatus` naming the missing bits. */
static toksim_status verdict(ts_ctx *c,
                             toksim_access_result *out,
                             bool ok,
                             uint32_t granted,
                             uint32_t missing,
                             uint32_t ntstatus)
{
    verdict_fill(out, ok, granted, missing, ntstatus);
    if (ok)
        ev_simple(c, TOKSIM_RULE_ACCESS_GRANTED, TOKSIM_V_GRANT, granted, 0,
                  TOKSIM_STATUS_SUCCESS);
    else
        ev_simple(c, TOKSIM_RULE_ACCESS_DENIED, TOKSIM_V_DENY, missing, 0, out->ntstatus);
    return c->rc;
}

/* ---- the DACL walk ---- */

/* S-1-3-4 and S-1-5-10 (access_int.h: the ACL records use them too). */
#define is_owner_rights   ts_sid_is_owner_rights
#define is_principal_self ts_sid_is_principal_self

static bool is_callback_type(uint8_t type)
{
    return type >= TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK &&
           type <= TOKSIM_ACE_ACCESS_DENIED_CALLBACK_OBJECT;
}

/* Why an ACE did not apply, from the token's answer for its SID. */
static toksim_rule no_match_rule(int cls)
{
    return cls == TOKSIM_MATCH_DENY_ONLY  ? TOKSIM_RULE_ACCESS_ACE_DENY_ONLY
           : cls == TOKSIM_MATCH_DISABLED ? TOKSIM_RULE_ACCESS_ACE_DISABLED
                                          : TOKSIM_RULE_ACCESS_ACE_NO_MATCH;
}

/* Force inlining where the compiler allows it: dacl_walk_impl() is instantiated twice,
 * with tracing constant true and constant false, so the untraced loop carries no trace
 * test and no trace call. */
#if defined(__GNUC__) || defined(__clang__)
#define TS_ALWAYS_INLINE inline __attribute__((always_inline))
#define TS_NOINLINE      __attribute__((noinline))
#else
#define TS_ALWAYS_INLINE inline
#define TS_NOINLINE
#endif

/*
 * A conditional ACE (MS-DTYP 2.5.3.2): its expression decides whether it takes part in
 * the walk. TRUE applies it, FALSE skips it, UNKNOWN skips an allow ACE and applies a
 * deny ACE. The condition is evaluated before the SID is matched; it has no side effects,
 * so the outcome is the same as Windows' SID-first order. Shared with AccessCheckByType's
 * walk (access_int.h).
 */
bool ts_cond_ace_applies(const toksim_ace *ace,
                         size_t i,
                         bool allow,
                         const toksim_token *tok,
                         const toksim_sd *sd,
                         toksim_trace_event *ev)
{
    const uint8_t *expr = NULL;
    size_t expr_len = 0;
    uint8_t *owned = NULL;
    int r = ts_ace_payload(ace, &expr, &expr_len, &owned)
                ? ts_cond_eval(expr, expr_len, tok, sd, !allow)
                : TS_COND_UNKNOWN;
    free(owned);
    bool applies = r == TS_COND_TRUE || (r == TS_COND_UNKNOWN && !allow);
    if (!ev)
        return applies;
    toksim_trace_event e =
        ev_new(r == TS_COND_TRUE    ? TOKSIM_RULE_ACCESS_ACE_COND_TRUE
               : r == TS_COND_FALSE ? TOKSIM_RULE_ACCESS_ACE_COND_FALSE
                                    : TOKSIM_RULE_ACCESS_ACE_COND_UNKNOWN,
               applies ? TOKSIM_V_INFO : TOKSIM_V_SKIP);
    e.index = (int32_t)i;
    e.mask = ace->mask;
    e.a = r == TS_COND_UNKNOWN ? -1 : r;
    e.b = ace->type;
    e.has_sid = true;
    e.sid = ace->sid;
    char *text = NULL; /* the expression as SDDL text, decompiled when not kept */
    const char *src = ace->sddl_extra;
    if (!src && ts_cond_decompile(&text, ace->app_data, ace->app_data_len, NULL))
        text = NULL;
    if (!src && text)
        src = text;
    if (src) {
        size_t n = strlen(src);
        if (n >= sizeof e.text) { /* keep the start, mark the cut */
            memcpy(e.text, src, sizeof e.text - 4);
            memcpy(e.text + sizeof e.text - 4, "...", 4);
        } else {
            memcpy(e.text, src, n + 1);
        }
    }
    free(text);
    *ev = e;
    return applies;
}

static TS_NOINLINE bool
condition_applies(ts_ctx *c, size_t i, const toksim_ace *ace, bool tracing, bool allow)
{
    toksim_trace_event e;
    bool applies = ts_cond_ace_applies(ace, i, allow, c->tok, c->sd, tracing ? &e : NULL);
    if (tracing)
        emit(c, &e);
    return applies;
}

/*
 * The uncommon ACE types (object, callback, audit...): sets *allow and returns true when
 * the ACE takes part in the walk, else traces why it is skipped and returns false. Kept
 * out of line so that the loop body stays small.
 */
static TS_NOINLINE bool
other_type(ts_ctx *c, size_t i, const toksim_ace *ace, bool tracing, bool *allow)
{
    if (is_callback_type(ace->type) &&
        ts_ace_is_conditional(
            ace)) { /* other callback ACEs: AuthzAccessCheck callbacks */
        *allow = ace->type == TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK ||
                 ace->type == TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK_OBJECT;
        /* issue 9: a callback object ACE is its object ACE with a condition: without an
         * object-type list, an allow naming an object type is skipped, as OA is */
        if (ace->type == TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK_OBJECT &&
            (ace->object_flags & TOKSIM_ACE_OBJECT_TYPE_PRESENT)) {
            if (tracing)
                ev_ace(c, TOKSIM_RULE_ACCESS_ACE_OBJECT_TYPE, TOKSIM_V_SKIP, i, ace,
                       &ace->sid, ace->mask);
            return false;
        }
        return condition_applies(c, i, ace, tracing, *allow);
    }
    switch (ace->type) {
    case TOKSIM_ACE_ACCESS_DENIED_OBJECT:
        *allow = false;
        return true;
    case TOKSIM_ACE_ACCESS_ALLOWED_OBJECT:
        if (ace->object_flags & TOKSIM_ACE_OBJECT_TYPE_PRESENT) {
            if (tracing)
                ev_ace(c, TOKSIM_RULE_ACCESS_ACE_OBJECT_TYPE, TOKSIM_V_SKIP, i, ace,
                       &ace->sid, ace->mask);
            return false;
        }
        *allow = true;
        return true;
    default:
        if (tracing)
            ev_ace(c,
                   is_callback_type(ace->type) ? TOKSIM_RULE_ACCESS_ACE_UNSUPPORTED
                                               : TOKSIM_RULE_ACCESS_ACE_IGNORED_TYPE,
                   TOKSIM_V_SKIP, i, ace, &ace->sid, ace->mask);
        return false;
    }
}

/*
 * An ACE SID of one sub-authority may be a placeholder: OWNER RIGHTS stands for the
 * object's owner, PRINCIPAL_SELF for the caller's principal. Returns the SID to look up
 * (*hash its hash), or NULL for OWNER RIGHTS in a descriptor without an owner (names
 * nobody). Out of line: the loop only tests sid.count == 1.
 */
static TS_NOINLINE const toksim_sid *
placeholder(ts_ctx *c, const toksim_ace *ace, uint32_t *hash)
{
    if (is_owner_rights(&ace->sid)) {
        if (!c->sd->has_owner)
            return NULL;
        *hash = owner_hash(c);
        return &c->sd->owner;
    }
    if (c->req->principal_self && is_principal_self(&ace->sid)) {
        *hash = c->self_hash;
        return c->req->principal_self;
    }
    return &ace->sid;
}

/*
 * One pass over the DACL (windows-model §3.3 step 7), against the token's user and groups
 * or, for the second pass of a restricted token, against its restricting SIDs. Each bit
 * is decided by the first ACE that mentions it: an allow ACE grants the bits still
 * undecided, a deny ACE denies them. Ordinary request: stop granted once `wanted` is
 * covered, stop denied when a deny ACE hits a wanted bit still undecided.
 * MAXIMUM_ALLOWED: walk every ACE. Returns the bits granted; *deny_hit tells that a deny
 * ACE ended an ordinary pass. `tracing` is a constant at each of the two call sites.
 */
static TS_ALWAYS_INLINE uint32_t dacl_walk_impl(ts_ctx *c,
                                                const ts_index *index,
                                                const ts_ace_key *keys,
                                                uint32_t wanted,
                                                bool *deny_hit,
                                                const bool tracing)
{
    /* Locals, so that the loop stays in registers across the out-of-line calls. */
    const toksim_acl *acl = c->sd->dacl;
    const toksim_ace *const aces = acl->aces;
    const size_t n = acl->count;
    const ts_index idx = *index;
    const toksim_generic_mapping *const map = c->map;
    const bool max = c->max;
    const uint32_t scope = max ? TS_ALL_BITS : wanted; /* bits worth reporting */
    uint32_t granted = 0, decided = 0;                 /* decided: granted or denied */
    *deny_hit = false;
    const ts_ace_key *const end = keys + n; /* n >= 1: callers take an empty DACL */
    const toksim_ace *ace = aces;
    for (const ts_ace_key *kp = keys; kp < end;
         kp++, ace++) { /* pointers: fewer live values */
        /* The common case reads the 8-byte record only; the ACE itself is read on a hash
         * match (to compare SIDs) or when tracing. */
        const ts_ace_key key = *kp;
        const size_t i = (size_t)(kp - keys); /* for traces and out-of-line calls only */
        const toksim_sid *sid = &ace->sid;
        uint32_t hkey = key.key & ~TS_KEY_KIND, mask = key.mask;
        const uint32_t kind = key.key & TS_KEY_KIND;
        bool allow = kind == TS_KEY_ALLOW;
        if (kind == TS_KEY_OTHER) {
            if (ace->flags & TOKSIM_INHERIT_ONLY_ACE) {
                if (tracing)
                    ev_ace(c, TOKSIM_RULE_ACCESS_ACE_INHERIT_ONLY, TOKSIM_V_SKIP, i, ace,
                           &ace->sid, 0);
                continue;
            }
            if (ace->type <= TOKSIM_ACE_ACCESS_DENIED) {
                allow = ace->type == TOKSIM_ACE_ACCESS_ALLOWED;
            } else {
                bool a2; /* a copy: `allow` itself never has its address taken */
                if (!other_type(c, i, ace, tracing, &a2))
                    continue;
                allow = a2;
            }
            if (sid->count == 1) {
                uint32_t h2; /* a copy, so that hkey stays in a register */
                sid = placeholder(c, ace, &h2);
                if (sid && sid != &ace->sid)
                    hkey = ts_hkey(h2);
            }
            if (mask & TOKSIM_GENERIC_MASK)
                mask = toksim_map_generic(mask, map);
        }
        int cls;
        if (!sid) { /* OWNER RIGHTS in a descriptor without an owner names nobody */
            cls = TOKSIM_MATCH_NONE;
            sid = &ace->sid;
        } else {
            cls = (int)ts_index_find_key(&idx, sid, hkey)->cls; /* one probe per ACE */
        }

        uint32_t fresh = mask & ~decided;
        if (allow) {
            if (cls == TOKSIM_MATCH_ALLOW) {
                granted |= fresh;
                decided |= fresh;
                if (tracing)
                    ev_ace(c,
                           (fresh & scope) ? TOKSIM_RULE_ACCESS_ACE_ALLOW
                                           : TOKSIM_RULE_ACCESS_ACE_REDUNDANT,
                           (fresh & scope) ? TOKSIM_V_GRANT : TOKSIM_V_SKIP, i, ace, sid,
                           fresh & scope);
                if (!max && !(wanted & ~granted))
                    return granted;
            } else if (tracing) {
                ev_ace(c, no_match_rule(cls), TOKSIM_V_SKIP, i, ace, sid, mask);
            }
        } else if (cls == TOKSIM_MATCH_ALLOW || cls == TOKSIM_MATCH_DENY_ONLY) {
            decided |= fresh;
            if (tracing)
                ev_ace(c,
                       (fresh & scope) ? TOKSIM_RULE_ACCESS_ACE_DENY
                                       : TOKSIM_RULE_ACCESS_ACE_REDUNDANT,
                       (fresh & scope) ? TOKSIM_V_DENY : TOKSIM_V_SKIP, i, ace, sid,
                       fresh & scope);
            if (!max && (fresh & wanted)) {
                *deny_hit = true;
                return granted;
            }
        } else if (tracing) {
            ev_ace(c,
                   cls == TOKSIM_MATCH_DISABLED ? TOKSIM_RULE_ACCESS_ACE_DISABLED
                                                : TOKSIM_RULE_ACCESS_ACE_NO_MATCH,
                   TOKSIM_V_SKIP, i, ace, sid, mask);
        }
    }
    return granted;
}

static uint32_t dacl_walk(ts_ctx *c, bool restricted, uint32_t wanted, bool *deny_hit)
{
    if (c->req->object_types && c->req->object_type_count) { /* AccessCheckByType */
        *deny_hit = false;
        return ts_objtype_walk(c->sd, c->tok, c->req, c->map, restricted, c->trace,
                               &c->rc);
    }
    const ts_index *idx = ts_token_index(c->tok, restricted);
    const toksim_acl *acl = c->sd->dacl;
    if (!acl->count) { /* nothing to walk (and maybe no records: keys NULL) */
        *deny_hit = false;
        return 0;
    }
    const ts_ace_key *keys = acl->keys;
    ts_ace_key *tmp = NULL;
    if (acl->count && (!keys || acl->keys_count != acl->count)) {
        /* An ACL assembled or edited by hand without toksim_acl_sync(): records for this
         * check only. */
        tmp = ts_calloc(acl->count, sizeof *tmp);
        if (!tmp) {
            if (!c->rc)
                c->rc = TOKSIM_ENOMEM;
            *deny_hit = true;
            return 0;
        }
        for (size_t i = 0; i < acl->count; i++)
            ts_ace_key_fill(&tmp[i], &acl->aces[i]);
        keys = tmp;
    }
    uint32_t granted = c->trace ? dacl_walk_impl(c, idx, keys, wanted, deny_hit, true)
                                : dacl_walk_impl(c, idx, keys, wanted, deny_hit, false);
    if (tmp) /* no call at all in the common case */
        free(tmp);
    return granted;
}

/* Does the DACL hold an ACE for OWNER RIGHTS (S-1-3-4) that applies to this object? */
static bool dacl_has_owner_rights(const toksim_sd *sd)
{
    if (!(sd->control & TOKSIM_SE_DACL_PRESENT) || !sd->dacl)
        return false;
    for (size_t i = 0; i < sd->dacl->count; i++) {
        const toksim_ace *ace = &sd->dacl->aces[i];
        if (is_owner_rights(&ace->sid) && (TS_OWNER_RIGHTS_INHERIT_ONLY_COUNTS ||
                                           !(ace->flags & TOKSIM_INHERIT_ONLY_ACE)))
            return true;
    }
    return false;
}

/* Write access as the generic mapping defines it (rights of GenericWrite not also
 * read/execute). */
static uint32_t write_rights(const toksim_generic_mapping *m)
{
    return m->write & ~(m->read | m->execute);
}

/* ---- privilege stages ---- */

/* Grant `bits` through privilege `luid` if enabled; trace either way. Returns the bits
 * granted. */
static uint32_t use_privilege(
    ts_ctx *c, toksim_access_result *out, uint32_t luid, toksim_rule rule, uint32_t bits)
{
    if (!bits)
        return 0;
    if (toksim_token_privilege_enabled(c->tok, luid)) {
        out->privileges_used |= (uint64_t)1 << luid;
        ev_simple(c, rule, TOKSIM_V_GRANT, bits, luid, 0);
        return bits;
    }
    if (toksim_token_privilege(c->tok, luid) >= 0)
        ev_simple(c, TOKSIM_RULE_ACCESS_PRIV_DISABLED, TOKSIM_V_SKIP, bits, luid, 0);
    return 0;
}

/*
 * Backup/restore intent (FILE_FLAG_BACKUP_SEMANTICS): the I/O manager grants these before
 * the object's security is checked (windows-model §3.4). Restore list UNVERIFIED.
 */
static uint32_t backup_restore(ts_ctx *c, toksim_access_result *out, uint32_t remaining)
{
    const toksim_generic_mapping *m = c->map;
    toksim_object_type t = c->req->mapping ? TOKSIM_OBJ_GENERIC : c->req->object_type;
    uint32_t backup = TOKSIM_READ_CONTROL | TOKSIM_ACCESS_SYSTEM_SECURITY | m->read;
    if (t == TOKSIM_OBJ_FILE || t == TOKSIM_OBJ_DIRECTORY)
        backup |= TS_BACKUP_FILE_TRAVERSE;
    uint32_t restore = TOKSIM_WRITE_DAC | TOKSIM_WRITE_OWNER |
                       TOKSIM_ACCESS_SYSTEM_SECURITY | TOKSIM_DELETE | m->write;
    uint32_t got =
        use_privilege(c, out, TOKSIM_PRIV_BACKUP, TOKSIM_RULE_ACCESS_PRIV_BACKUP,
                      c->max ? backup : (remaining & backup));
    got |= use_privilege(c, out, TOKSIM_PRIV_RESTORE, TOKSIM_RULE_ACCESS_PRIV_RESTORE,
                         (c->max ? restore : (remaining & restore)) & ~got);
    return got;
}

/* ---- the check ---- */

/*
 * The fast path's walks (untraced; records only; leaf functions that call nothing). They
 * read the ACL's plain prefix: the records before the first TS_KEY_OTHER one (the tail
 * record holds its length, access_int.h); an ACL with a TS_KEY_OTHER record is handed
 * to the general walk unless the prefix decides.
 *
 * Relevance (why a record may be passed over without probing the token): the general
 * walk's state is (granted, decided), and an ACE of mask m changes it by
 * fresh = m & ~decided only. Ordinary request of `wanted`: while the walk goes on,
 * decided & wanted == granted & wanted (a deny ACE that decides a wanted bit ends it),
 * and the outcome reads granted & wanted only (granted when it covers wanted; else the
 * missing bits wanted & ~granted). So the one live value is need = wanted & ~granted,
 * and an ACE with m & need == 0 cannot change it: an allow would add no wanted bit, a
 * deny would decide no wanted bit (it adds bits outside `wanted` to decided, which the
 * outcome never reads). MAXIMUM_ALLOWED: an ACE with m & ~decided == 0 has fresh == 0
 * and changes nothing. The tests compare every untraced check with the traced one (the
 * general walk, which tests no relevance).
 */
enum { TS_FAST_GRANT, TS_FAST_DENY, TS_FAST_OTHER };

/*
 * Class of sid (record key k: ts_hkey of its hash, kind bits) in the index, when it can
 * apply to the record's ACE: TOKSIM_MATCH_ALLOW for an allow ACE; ALLOW or DENY_ONLY for
 * a deny ACE (a deny-only SID matches deny ACEs only; a disabled one matches nothing).
 * Otherwise TOKSIM_MATCH_NONE: whether the SID is absent or present with a class that
 * cannot apply, the ACE changes nothing. ts_index_find with two differences: the slot's
 * byte offset is taken from the key (omask = index mask << TS_HKEY_SHIFT), and a slot
 * whose class cannot apply is passed over without comparing SIDs. That is exact: a SID
 * has one slot at most, so the probe goes on past it to an empty slot (NONE: no change,
 * as the SID's own class) or to slots of other SIDs, which it returns only after a full
 * SID comparison.
 */
_Static_assert(TOKSIM_MATCH_DENY_ONLY == TOKSIM_MATCH_ALLOW + TS_KEY_DENY &&
                   TOKSIM_MATCH_DISABLED > TOKSIM_MATCH_DENY_ONLY,
               "fast_probe: the classes that apply to a record are 1 .. 1 + kind");
static TS_ALWAYS_INLINE uint32_t fast_probe(const char *slots,
                                            uint32_t omask,
                                            uint32_t k,
                                            const toksim_sid *sid)
{
    size_t off = k & omask; /* size_t: an address offset, no zero-extending copy */
    for (;;) {
        const ts_slot *s = (const ts_slot *)(const void *)(slots + off);
        const uint32_t cls = s->cls;
        if (cls == TOKSIM_MATCH_NONE)
            return TOKSIM_MATCH_NONE;
        /* x: 0 (allow) or 1 (deny) when the hashes are equal (slot keys have no kind
         * bits; only plain records come here); the classes that apply are 1 .. 1 + x */
        const uint32_t x = s->key ^ k;
        if (x <= TS_KEY_DENY && cls <= TOKSIM_MATCH_ALLOW + x && ts_sid_same(s->sid, sid))
            return cls;
        off = (off + sizeof *s) & omask;
    }
}

/* The fast walks' outcome: TS_FAST_* in the low half, a mask in the high half (one
 * return register instead of an out-parameter). */
static inline uint64_t fast_pack(int r, uint32_t mask)
{
    return (uint64_t)mask << 32 | (uint32_t)r;
}

/* The SID of the ACE after the one whose SID is sid (the walks step through aces[] by
 * their SIDs: one pointer, no offset added per use). */
static inline const toksim_sid *next_ace_sid(const toksim_sid *sid)
{
    return (const toksim_sid *)(const void *)((const char *)sid + sizeof(toksim_ace));
}

/* Ordinary request over the records [kp, end), whose first ACE SID is sid: TS_FAST_GRANT,
 * TS_FAST_DENY (a deny ACE; mask: the missing bits) or, at `end`, TS_FAST_OTHER (mask:
 * the bits still needed). A leaf: its registers are its own. */
static TS_NOINLINE uint64_t fast_walk(const ts_ace_key *kp,
                                      const ts_ace_key *const end,
                                      const toksim_sid *sid,
                                      const char *const slots,
                                      const uint32_t omask,
                                      uint32_t need)
{
    /* i counts up to 0 from -(end - kp): one increment and its flags end the loop */
    for (ptrdiff_t i = kp - end; i; i++, sid = next_ace_sid(sid)) {
        if (!(end[i].mask & need))
            continue; /* irrelevant: see above */
        const uint32_t k = end[i].key;
        if (fast_probe(slots, omask, k, sid) == TOKSIM_MATCH_NONE)
            continue; /* the ACE does not apply */
        if (k & TS_KEY_DENY)
            return fast_pack(TS_FAST_DENY, need);
        need &= ~end[i].mask;
        if (!need)
            return fast_pack(TS_FAST_GRANT, 0);
    }
    return fast_pack(TS_FAST_OTHER, need);
}

/* MAXIMUM_ALLOWED over the records [kp, end), whose first ACE SID is sid: the bits
 * granted. */
static TS_NOINLINE uint32_t fast_walk_max(const ts_ace_key *kp,
                                          const ts_ace_key *const end,
                                          const toksim_sid *sid,
                                          const char *const slots,
                                          const uint32_t omask)
{
    uint32_t granted = 0, open = TS_ALL_BITS; /* open: ~decided, one AND per record */
    for (ptrdiff_t i = kp - end; i; i++, sid = next_ace_sid(sid)) { /* as fast_walk */
        const uint32_t fresh = end[i].mask & open;
        if (!fresh)
            continue; /* irrelevant: see above */
        const uint32_t k = end[i].key;
        if (fast_probe(slots, omask, k, sid) != TOKSIM_MATCH_NONE) { /* it applies */
            open &= ~fresh;
            if (!(k & TS_KEY_DENY))
                granted |= fresh;
        }
    }
    return granted;
}

/* Object types with a generic mapping (mapping.inc, the one table): the general path
 * refuses any other (TOKSIM_EINVAL) when no mapping is given. */
static const uint64_t ts_mapped_types = 0
#define TS_OBJ(e, name, r, w, x, a) | ((uint64_t)1 << (e))
#include "mapping.inc"
    ;
_Static_assert(TOKSIM_OBJ__COUNT <= 64, "ts_mapped_types holds one bit per type");

/* sd->control, has_owner and has_group are the descriptor's first four bytes: one load
 * tests SE_DACL_PRESENT and both flags (bools hold 0 or 1). */
_Static_assert(offsetof(toksim_sd, has_owner) == 2 && offsetof(toksim_sd, has_group) == 3,
               "fast_check reads control, has_owner and has_group as one word");
static inline uint32_t sd_head(const toksim_sd *sd)
{
    uint32_t w;
    memcpy(&w, sd, sizeof w);
    return w;
}

/*
 * Fast path (docs/PERFORMANCE.md): an untraced AccessCheck() of plain rights by an
 * unrestricted impersonation token (level >= Identification) against a descriptor with
 * owner, group and a DACL with its records, whose integrity stage cannot limit the token.
 * Every stage the general path runs before the walk has nothing to do for it: no GENERIC
 * bits (the call would fail), nothing previously granted, no backup intent, no
 * ACCESS_SYSTEM_SECURITY or WRITE_OWNER (privilege stages), and owner implicit rights
 * (asked for, or MAXIMUM_ALLOWED) only when the token holds the owner SID (then the
 * general path runs). MAXIMUM_ALLOWED is then the DACL's grant alone. Returns false when
 * the request is not of that shape. The tests run every check traced (general path) and
 * untraced and compare the results.
 */
static TS_ALWAYS_INLINE bool fast_check(toksim_access_result *out,
                                        const toksim_sd *sd,
                                        const toksim_token *token,
                                        const toksim_access_request *req)
{
    const uint32_t desired = req->desired;
    const uint32_t slow_bits =
        TOKSIM_GENERIC_MASK | TOKSIM_ACCESS_SYSTEM_SECURITY | TOKSIM_WRITE_OWNER;
    /* the request: AccessCheck() mode, no flags, nothing previously granted, no
     * PRINCIPAL_SELF, no object-type list (a count without a list is refused too) */
    if (!desired ||
        ((req->mode ^ TOKSIM_ACCESS_API) | req->flags | req->previously_granted |
         (desired & slow_bits)) ||
        ((uintptr_t)req->principal_self | req->object_type_count))
        return false;
    const uint32_t obj = (uint32_t)req->object_type;
    if (!req->mapping && (obj >= 64 || !((ts_mapped_types >> obj) & 1)))
        return false; /* the general path reports TOKSIM_EINVAL */
    /* the token (TS_FAST_TOKEN) and the integrity stage (ts_mic_unlimited) */
    const ts_token_hot *hot = ts_hot(token);
    const unsigned f = hot->fast;
    if (!(f & TS_FAST_TOKEN) ||
        (!(f & TS_FAST_MIC_ANY) &&
         (!(f & TS_FAST_MIC_MEDIUM) || (sd->sacl && sd->sacl->count))))
        return false;
    /* the descriptor: owner, group, a DACL with its records in step */
    static const toksim_sd head = {
        .control = TOKSIM_SE_DACL_PRESENT, .has_owner = true, .has_group = true};
    const uint32_t h = sd_head(&head);
    const toksim_acl *acl = sd->dacl;
    if ((sd_head(sd) & h) != h || !acl || !acl->keys || acl->keys_count != acl->count)
        return false;
    const bool max = (desired & TOKSIM_MAXIMUM_ALLOWED) != 0;
    const uint32_t asked = desired & ~TOKSIM_MAXIMUM_ALLOWED;
    if ((max || (asked & (TOKSIM_READ_CONTROL | TOKSIM_WRITE_DAC))) &&
        ts_index_probe(&hot->index, &sd->owner) == TOKSIM_MATCH_ALLOW)
        return false;
    const ts_ace_key *keys = acl->keys;
    const size_t plain = keys[acl->count].mask; /* the tail record (access_int.h) */
    const char *slots = (const char *)hot->index.slots;
    const uint32_t omask = hot->index.mask << TS_HKEY_SHIFT;
    if (max) {
        if (plain != acl->count)
            return false; /* an ACE the general walk reads: it decides, from the start */
        uint32_t granted =
            fast_walk_max(keys, keys + plain, &acl->aces[0].sid, slots, omask);
        uint32_t missing = asked & ~granted;
        bool ok = !missing && granted != 0;
        memset(out, 0, sizeof *out);
        verdict_fill(out, ok, granted, missing ? missing : TOKSIM_MAXIMUM_ALLOWED,
                     TOKSIM_STATUS_ACCESS_DENIED);
        return true;
    }
    uint64_t r = fast_walk(keys, keys + plain, &acl->aces[0].sid, slots, omask, asked);
    int code = (int)(uint32_t)r;
    if (code == TS_FAST_OTHER) {
        if (plain != acl->count)
            return false;    /* the general walk reads on, from the start */
        code = TS_FAST_DENY; /* the end of the DACL */
    }
    memset(out, 0, sizeof *out);
    verdict_fill(out, code == TS_FAST_GRANT, asked, (uint32_t)(r >> 32),
                 TOKSIM_STATUS_ACCESS_DENIED);
    return true;
}

toksim_status toksim_access_request_validate(const toksim_access_request *req,
                                             toksim_error *err)
{
    if (!req)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no access request given");
    if (req->mode != TOKSIM_ACCESS_API && req->mode != TOKSIM_ACCESS_OPEN)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "unknown access-check mode %d",
                            (int)req->mode);
    if (req->flags & ~TOKSIM_ACCESS_BACKUP_INTENT)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "unknown request flags 0x%X",
                            (unsigned)(req->flags & ~TOKSIM_ACCESS_BACKUP_INTENT));
    /* AccessCheck() (Learn) takes a token, a descriptor, a mask and a generic mapping:
     * backup intent is an option of the open, where the kernel's check honours it. */
    if (req->mode == TOKSIM_ACCESS_API && (req->flags & TOKSIM_ACCESS_BACKUP_INTENT))
        return ts_error_set(
            err, TOKSIM_EINVAL, 0,
            "AccessCheck() takes no backup intent; it belongs to an open (CreateFile "
            "FILE_FLAG_BACKUP_SEMANTICS, NtOpenFile FILE_OPEN_FOR_BACKUP_INTENT): "
            "check in open mode");
    return TOKSIM_OK;
}

static toksim_status check_general(toksim_access_result *out,
                                   const toksim_sd *sd,
                                   const toksim_token *token,
                                   const toksim_access_request *req,
                                   toksim_trace *trace);

toksim_status toksim_access_check(toksim_access_result *out,
                                  const toksim_sd *sd,
                                  const toksim_token *token,
                                  const toksim_access_request *req,
                                  toksim_trace *trace)
{
    if (!out || !sd || !token || !req)
        return TOKSIM_EINVAL;
    if (!trace && fast_check(out, sd, token, req))
        return TOKSIM_OK;
    return check_general(out, sd, token, req, trace);
}

/* Every request the fast path does not take, and every traced one. */
static TS_NOINLINE toksim_status check_general(toksim_access_result *out,
                                               const toksim_sd *sd,
                                               const toksim_token *token,
                                               const toksim_access_request *req,
                                               toksim_trace *trace)
{
    memset(out, 0, sizeof *out);
    const toksim_generic_mapping *map =
        req->mapping ? req->mapping : toksim_object_mapping(req->object_type);
    if (!map || toksim_access_request_validate(req, NULL) != TOKSIM_OK)
        return TOKSIM_EINVAL;
    ts_ctx c = {sd, token, map, req, trace, TOKSIM_OK, false, 0, 0, false};
    if (req->principal_self)
        c.self_hash = ts_sid_ihash(req->principal_self);
    const ts_token_hot *hot = ts_hot(token); /* plain fields, no getter calls */
    uint32_t desired = req->desired;
    toksim_token_type type = hot->type;
    toksim_imp_level level = hot->level;

    /* Preconditions (windows-model §3.3; §1.5 for opens). */
    if (req->mode == TOKSIM_ACCESS_API) {
        if (desired & TOKSIM_GENERIC_MASK)
            return call_fails(&c, out, TOKSIM_RULE_ACCESS_GENERIC_NOT_MAPPED,
                              TOKSIM_STATUS_GENERIC_NOT_MAPPED, desired, 0, 0);
        if (type != TOKSIM_TOKEN_IMPERSONATION)
            return call_fails(&c, out, TOKSIM_RULE_ACCESS_NO_IMPERSONATION_TOKEN,
                              TOKSIM_STATUS_NO_IMPERSONATION_TOKEN, 0, 0, 0);
        if (level < TOKSIM_IMP_IDENTIFICATION)
            return call_fails(&c, out, TOKSIM_RULE_ACCESS_BAD_LEVEL_API,
                              TOKSIM_STATUS_BAD_IMPERSONATION_LEVEL, 0, level,
                              TOKSIM_IMP_IDENTIFICATION);
        if (!sd->has_owner || !sd->has_group)
            return call_fails(&c, out, TOKSIM_RULE_ACCESS_INVALID_SD,
                              TOKSIM_STATUS_INVALID_SECURITY_DESCR, 0, 0, 0);
    } else {
        if (desired & TOKSIM_GENERIC_MASK) {
            uint32_t mapped = toksim_map_generic(desired, map);
            if (trace) {
                toksim_trace_event e =
                    ev_new(TOKSIM_RULE_ACCESS_GENERIC_MAPPED, TOKSIM_V_CHANGE);
                e.mask = mapped;
                e.a = desired;
                emit(&c, &e);
            }
            desired = mapped;
        }
        if (type == TOKSIM_TOKEN_IMPERSONATION && level < TOKSIM_IMP_IMPERSONATION)
            return call_fails(&c, out, TOKSIM_RULE_ACCESS_BAD_LEVEL_API,
                              TOKSIM_STATUS_BAD_IMPERSONATION_LEVEL, 0, level,
                              TOKSIM_IMP_IMPERSONATION);
    }

    /* Step 1: nothing requested. */
    uint32_t prev = req->previously_granted;
    if (desired == 0) {
        ev_simple(&c, TOKSIM_RULE_ACCESS_DESIRED_ZERO,
                  prev ? TOKSIM_V_GRANT : TOKSIM_V_DENY, prev, 0, 0);
        return verdict(&c, out, prev != 0, prev, 0, TOKSIM_STATUS_ACCESS_DENIED);
    }
    c.max = (desired & TOKSIM_MAXIMUM_ALLOWED) != 0;
    const uint32_t asked =
        desired & ~TOKSIM_MAXIMUM_ALLOWED; /* explicitly requested bits */
    uint32_t remaining = asked & ~prev;
    uint32_t granted = prev; /* bits granted without the DACL */
    if (asked & prev)
        ev_simple(&c, TOKSIM_RULE_ACCESS_PREVIOUSLY_GRANTED, TOKSIM_V_INFO, asked & prev,
                  0, 0);

    if (req->flags & TOKSIM_ACCESS_BACKUP_INTENT) {
        uint32_t b = backup_restore(&c, out, remaining);
        granted |= b;
        remaining &= ~b;
        if (!remaining && !c.max)
            return verdict(&c, out, true, asked | prev, 0, 0);
    }

    /* Mandatory integrity (§3.5): cannot grant; a forbidden right denies outright. */
    ts_mic_result mic;
    if (!trace && ts_mic_unlimited(sd, hot)) {
        mic.permitted = TS_ALL_BITS; /* the stage's answer, without the stage */
    } else {
        toksim_status rc =
            ts_mic_check(&mic, sd, token, map, remaining | (c.max ? map->all : 0), trace);
        if (rc && !c.rc)
            c.rc = rc;
    }
    if (remaining & ~mic.permitted)
        return verdict(&c, out, false, 0, remaining & ~mic.permitted,
                       TOKSIM_STATUS_ACCESS_DENIED);

    /* Privileges (§3.4): ACCESS_SYSTEM_SECURITY only through SeSecurityPrivilege;
     * WRITE_OWNER. */
    uint32_t p =
        use_privilege(&c, out, TOKSIM_PRIV_SECURITY, TOKSIM_RULE_ACCESS_PRIV_SECURITY,
                      remaining & TOKSIM_ACCESS_SYSTEM_SECURITY);
    if (remaining & TOKSIM_WRITE_OWNER) {
        uint32_t wo =
            use_privilege(&c, out, TOKSIM_PRIV_TAKE_OWNERSHIP,
                          TOKSIM_RULE_ACCESS_PRIV_TAKE_OWNERSHIP, TOKSIM_WRITE_OWNER);
        if (!wo)
            wo = use_privilege(&c, out, TOKSIM_PRIV_RELABEL,
                               TOKSIM_RULE_ACCESS_PRIV_RELABEL, TOKSIM_WRITE_OWNER);
        p |= wo;
    }
    granted |= p;
    remaining &= ~p;
    if (!remaining && !c.max)
        return verdict(&c, out, true, asked | prev, 0, 0);
    if (remaining & TOKSIM_ACCESS_SYSTEM_SECURITY) {
        ev_simple(&c, TOKSIM_RULE_ACCESS_PRIV_SECURITY_MISSING, TOKSIM_V_DENY,
                  TOKSIM_ACCESS_SYSTEM_SECURITY, TOKSIM_PRIV_SECURITY,
                  TOKSIM_STATUS_PRIVILEGE_NOT_HELD);
        return verdict(&c, out, false, 0, TOKSIM_ACCESS_SYSTEM_SECURITY,
                       TOKSIM_STATUS_PRIVILEGE_NOT_HELD);
    }

    /* Owner implicit rights (§3.3 step 4), unless an OWNER RIGHTS ACE takes their place.
     */
    const uint32_t owner_rights = TOKSIM_READ_CONTROL | TOKSIM_WRITE_DAC;
    bool restricted = hot->restricted;
    if (sd->has_owner && (c.max || (remaining & owner_rights))) {
        if (toksim_token_match(token, &sd->owner) == TOKSIM_MATCH_ALLOW &&
            (!restricted ||
             toksim_token_match_restricted(token, &sd->owner) == TOKSIM_MATCH_ALLOW)) {
            if (dacl_has_owner_rights(sd)) {
                if (trace) {
                    toksim_trace_event e =
                        ev_new(TOKSIM_RULE_ACCESS_OWNER_RIGHTS, TOKSIM_V_INFO);
                    e.has_sid = true;
                    e.sid = sd->owner;
                    emit(&c, &e);
                }
            } else {
                uint32_t o =
                    owner_rights & (c.max ? TS_ALL_BITS : remaining) & mic.permitted;
                granted |= o;
                remaining &= ~o;
                if (trace) {
                    toksim_trace_event e =
                        ev_new(TOKSIM_RULE_ACCESS_OWNER_IMPLICIT, TOKSIM_V_GRANT);
                    e.has_sid = true;
                    e.sid = sd->owner;
                    e.mask = o;
                    emit(&c, &e);
                }
                if (!remaining && !c.max)
                    return verdict(&c, out, true, asked | prev, 0, 0);
            }
        }
    }

    /* The DACL (§3.3 steps 5-8). */
    uint32_t dacl_granted;
    bool pass_ok;
    if (!(sd->control & TOKSIM_SE_DACL_PRESENT) || !sd->dacl) {
        dacl_granted = c.max ? (map->all | remaining) : remaining;
        pass_ok = true;
        ev_simple(&c,
                  (sd->control & TOKSIM_SE_DACL_PRESENT) ? TOKSIM_RULE_ACCESS_DACL_NULL
                                                         : TOKSIM_RULE_ACCESS_DACL_ABSENT,
                  TOKSIM_V_GRANT, dacl_granted, 0, 0);
    } else {
        if (sd->dacl->count == 0)
            ev_simple(&c, TOKSIM_RULE_ACCESS_DACL_EMPTY, TOKSIM_V_DENY, 0, 0, 0);
        bool hit;
        dacl_granted = dacl_walk(&c, false, remaining, &hit);
        pass_ok = c.max || (!hit && !(remaining & ~dacl_granted));
        if (restricted && pass_ok) {
            bool write_only = hot->write_restricted;
            uint32_t wr = write_rights(map);
            if (write_only && !c.max && !(remaining & wr)) {
                ev_simple(&c, TOKSIM_RULE_ACCESS_WRITE_RESTRICTED_SKIP, TOKSIM_V_SKIP, 0,
                          0, 0);
            } else {
                size_t at = trace ? trace->count : 0;
                ev_simple(&c, TOKSIM_RULE_ACCESS_RESTRICTED_PASS, TOKSIM_V_INFO, 0, 0, 0);
                if (trace)
                    trace->depth++;
                bool hit2;
                uint32_t second = dacl_walk(&c, true, remaining, &hit2);
                if (trace) {
                    trace->depth--;
                    if (at < trace->count &&
                        trace->events[at].rule == TOKSIM_RULE_ACCESS_RESTRICTED_PASS)
                        trace->events[at].mask =
                            second; /* the pass's outcome, known only now */
                }
                if (c.max)
                    dacl_granted &=
                        (write_only && TS_MAX_WRITE_RESTRICTED_LIMITS_WRITE_ONLY)
                            ? (second | ~wr)
                            : second;
                else if (hit2 || (remaining & ~second)) {
                    pass_ok = false;
                    dacl_granted = second;
                }
            }
        }
    }

    if (c.max) {
        uint32_t total = granted | (dacl_granted & mic.permitted);
        ev_simple(&c, TOKSIM_RULE_ACCESS_MAXIMUM_ALLOWED, TOKSIM_V_INFO, total, 0, 0);
        uint32_t missing = asked & ~total;
        bool ok = !missing && total != 0;
        return verdict(&c, out, ok, total, missing ? missing : TOKSIM_MAXIMUM_ALLOWED,
                       TOKSIM_STATUS_ACCESS_DENIED);
    }
    if (!pass_ok)
        return verdict(&c, out, false, 0, remaining & ~dacl_granted,
                       TOKSIM_STATUS_ACCESS_DENIED);
    return verdict(&c, out, true, asked | prev, 0, 0);
}
