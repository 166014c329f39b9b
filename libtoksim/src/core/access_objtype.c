/*
 * PURPOSE: the DACL walk of AccessCheckByType (MS-DTYP 2.5.3.2 with an object-type list;
 * "AccessCheckByType" and "OBJECT_TYPE_LIST", Microsoft Learn; Forshaw, Windows Security
 * Internals ch. 7). Each entry of the list (level 0 the object class, 1 a property set,
 * 2 a property) keeps its own decided/granted rights; each bit is decided by the first
 * ACE that concerns it, per entry:
 * - a plain ACE, or an object ACE without an object type, applies to every entry;
 * - an allow object ACE whose GUID is an entry grants to that entry and its sub-tree;
 * - a deny object ACE whose GUID is an entry denies that entry, its sub-tree and its
 *   ancestors (denying a property denies the object as a whole);
 * - an object ACE whose GUID is not in the list is skipped.
 * The root is granted a right granted to it, or granted to every one of its children
 * (recursively). The verdict of AccessCheckByType is the root's.
 * Conditional ACEs (XA/XD, and the callback object ACEs ZA 0x0B / 0x0C with their object
 * type) take part once their SID matches and their condition applies (issue 9).
 * Left out: the result list of AccessCheckByTypeResultList, validation of the list's
 * levels.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "access_int.h"
#include "cond_int.h"
#include "sddl_int.h"
#include "token_int.h"

typedef struct ot {
    const toksim_object_type_entry *e;
    size_t n;
    uint32_t *granted, *decided;
    toksim_trace *trace;
    toksim_status *rc;
} ot;

/* One past the last entry of i's sub-tree. */
static size_t subtree_end(const ot *o, size_t i)
{
    size_t j = i + 1;
    while (j < o->n && o->e[j].level > o->e[i].level)
        j++;
    return j;
}

static void decide(ot *o, size_t k, uint32_t mask, bool allow)
{
    uint32_t fresh = mask & ~o->decided[k];
    o->decided[k] |= fresh;
    if (allow)
        o->granted[k] |= fresh;
}

static void trace_node(ot *o,
                       size_t ace_i,
                       const toksim_ace *ace,
                       const toksim_sid *sid,
                       toksim_rule rule,
                       toksim_verdict v,
                       size_t node,
                       uint32_t mask,
                       const char *what)
{
    if (!o->trace)
        return;
    toksim_trace_event e = toksim_trace_event_make(rule, v);
    e.index = (int32_t)ace_i;
    e.mask = mask;
    e.a = (int64_t)node;
    e.b = ace->type;
    e.has_sid = true;
    e.sid = *sid;
    snprintf(e.text, sizeof e.text, "%s", what);
    toksim_status r = toksim_trace_add(o->trace, &e);
    if (r && !*o->rc)
        *o->rc = r;
}

/* Rights of entry i: its own, or those every child has. */
static uint32_t effective(const ot *o, size_t i)
{
    uint32_t own = o->granted[i], all = 0xFFFFFFFFu;
    bool child = false;
    size_t end = subtree_end(o, i);
    for (size_t j = i + 1; j < end; j = subtree_end(o, j)) {
        child = true;
        all &= effective(o, j);
    }
    uint32_t denied = o->decided[i] & ~o->granted[i];
    return own | (child ? all & ~denied : 0);
}

static long find_node(const ot *o, const uint8_t guid[16])
{
    for (size_t i = 0; i < o->n; i++)
        if (memcmp(o->e[i].guid, guid, 16) == 0)
            return (long)i;
    return -1;
}

/* A conditional ACE of the walk (MS-DTYP 2.5.3.2): decided and traced as in the plain
 * walk (ts_cond_ace_applies). */
static bool condition(ot *o,
                      size_t ace_i,
                      const toksim_ace *ace,
                      const toksim_sd *sd,
                      const toksim_token *tok,
                      bool allow)
{
    toksim_trace_event e;
    bool applies = ts_cond_ace_applies(ace, ace_i, allow, tok, sd, o->trace ? &e : NULL);
    if (o->trace) {
        toksim_status rc = toksim_trace_add(o->trace, &e);
        if (rc && !*o->rc)
            *o->rc = rc;
    }
    return applies;
}

uint32_t ts_objtype_walk(const toksim_sd *sd,
                         const toksim_token *tok,
                         const toksim_access_request *req,
                         const toksim_generic_mapping *map,
                         bool restricted,
                         toksim_trace *trace,
                         toksim_status *rc)
{
    ot o = {req->object_types, req->object_type_count, NULL, NULL, trace, rc};
    o.granted = ts_calloc(o.n, sizeof *o.granted);
    o.decided = ts_calloc(o.n, sizeof *o.decided);
    if (!o.granted || !o.decided) {
        free(o.granted);
        free(o.decided);
        if (!*rc)
            *rc = TOKSIM_ENOMEM;
        return 0;
    }
    const ts_index *idx = ts_token_index(tok, restricted);
    const toksim_acl *acl = sd->dacl;
    for (size_t i = 0; i < acl->count; i++) {
        const toksim_ace *ace = &acl->aces[i];
        if (ace->flags & TOKSIM_INHERIT_ONLY_ACE)
            continue;
        bool allow, object = false;
        switch (ace->type) {
        case TOKSIM_ACE_ACCESS_ALLOWED:
        case TOKSIM_ACE_ACCESS_DENIED:
            allow = ace->type == TOKSIM_ACE_ACCESS_ALLOWED;
            break;
        case TOKSIM_ACE_ACCESS_ALLOWED_OBJECT:
        case TOKSIM_ACE_ACCESS_DENIED_OBJECT:
            allow = ace->type == TOKSIM_ACE_ACCESS_ALLOWED_OBJECT;
            object = (ace->object_flags & TOKSIM_ACE_OBJECT_TYPE_PRESENT) != 0;
            break;
        case TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK: /* issue 9: conditional ACEs */
        case TOKSIM_ACE_ACCESS_DENIED_CALLBACK:
        case TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK_OBJECT:
        case TOKSIM_ACE_ACCESS_DENIED_CALLBACK_OBJECT:
            if (!ts_ace_is_conditional(ace))
                continue; /* an AuthzAccessCheck callback: not the kernel's */
            allow = ace->type == TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK ||
                    ace->type == TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK_OBJECT;
            object = ace->type >= TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK_OBJECT &&
                     (ace->object_flags & TOKSIM_ACE_OBJECT_TYPE_PRESENT) != 0;
            break;
        default:
            continue; /* callback, audit, label ...: not part of this walk */
        }
        /* OWNER RIGHTS and PRINCIPAL_SELF stand for the owner / the caller's principal.
         */
        const toksim_sid *sid = &ace->sid;
        if (sid->count == 1 && sid->sub[0] == 4 && toksim_sid_authority(sid) == 3) {
            if (!sd->has_owner)
                continue;
            sid = &sd->owner;
        } else if (req->principal_self && sid->count == 1 && sid->sub[0] == 10 &&
                   toksim_sid_authority(sid) == 5) {
            sid = req->principal_self;
        }
        int cls = ts_index_probe(idx, sid);
        if (!(cls == TOKSIM_MATCH_ALLOW || (!allow && cls == TOKSIM_MATCH_DENY_ONLY)))
            continue;
        if (ace->type >= TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK &&
            ace->type <= TOKSIM_ACE_ACCESS_DENIED_CALLBACK_OBJECT &&
            !condition(&o, i, ace, sd, tok, allow))
            continue; /* MS-DTYP 2.5.3.2: FALSE skips; UNKNOWN skips an allow only */
        uint32_t mask = ace->mask;
        if (mask & TOKSIM_GENERIC_MASK)
            mask = toksim_map_generic(mask, map);
        size_t first = 0, end = o.n;
        if (object) {
            long k = find_node(&o, ace->object_type);
            if (k < 0) {
                trace_node(&o, i, ace, sid, TOKSIM_RULE_ACCESS_OBJTYPE_NOT_IN_LIST,
                           TOKSIM_V_SKIP, 0, mask, "");
                continue;
            }
            first = (size_t)k;
            end = subtree_end(&o, first);
            if (!allow) { /* a deny reaches the ancestors too */
                uint16_t lv = o.e[first].level;
                for (size_t j = first; j-- > 0;)
                    if (o.e[j].level < lv) {
                        decide(&o, j, mask, false);
                        lv = o.e[j].level;
                    }
            }
        }
        for (size_t j = first; j < end; j++)
            decide(&o, j, mask, allow);
        trace_node(&o, i, ace, sid, TOKSIM_RULE_ACCESS_OBJTYPE_NODE,
                   allow ? TOKSIM_V_GRANT : TOKSIM_V_DENY, first, mask,
                   allow ? "allows" : "denies");
    }
    uint32_t root = effective(&o, 0);
    free(o.granted);
    free(o.decided);
    return root;
}

toksim_status toksim_object_type_entry_parse(toksim_object_type_entry *out,
                                             const char *text,
                                             toksim_error *err)
{
    if (!out || !text)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no object-type entry given");
    /* ACCESS_MAX_LEVEL is 4 (winnt.h; OBJECT_TYPE_LIST on Learn). */
    if (!(text[0] >= '0' && text[0] <= '4') || text[1] != ':' ||
        !ts_guid_parse(out->guid, text + 2, strlen(text + 2)))
        return ts_error_set(err, TOKSIM_EPARSE, 0,
                            "expected LEVEL:GUID, LEVEL 0 (the object) to 4, e.g. "
                            "1:77b5b886-944a-11d1-aebd-0000f80367c1");
    out->level = (uint16_t)(text[0] - '0');
    return TOKSIM_OK;
}
