/*
 * PURPOSE: CreateRestrictedToken (Microsoft Learn; windows-model §2.7.3 after ReactOS
 * SeFilterToken; Wine test_CreateRestrictedToken, run on Windows): deny-only SIDs,
 * deleted privileges, DISABLE_MAX_PRIVILEGE, restricting SIDs, WRITE_RESTRICTED and
 * LUA_TOKEN. The new token keeps the source's type and level (Wine's test checks both)
 * and records the source as its parent, which CreateProcessAsUser's exemption reads.
 *
 * A source that is already restricted keeps its restricting SIDs, or, when SidsToRestrict
 * is given, only those also in that list (Learn: "the intersection of this array and the
 * list of restricting SIDs for the existing token").
 *
 * Left out: SANDBOX_INERT (recorded nowhere: it only affects SRP/AppLocker).
 */
#include "imperson/imp_int.h"
#include "toksim/token_api.h"

#define DENY_CLEAR (TOKSIM_SE_GROUP_ENABLED | TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT)

/* One SID to disable: the user or a group becomes deny-only; absent SIDs are ignored. */
static toksim_status
disable_one(toksim_token *t, const toksim_sid *sid, toksim_trace *trace)
{
    toksim_status st = TOKSIM_OK;
    const toksim_group *g = toksim_token_find_group(t, sid);
    bool is_user = toksim_sid_equal(sid, toksim_token_user(t));
    if (!is_user && (!g || (g->attributes & TOKSIM_SE_GROUP_INTEGRITY)))
        return TOKSIM_OK;
    if (is_user) {
        toksim_token_set_user_attributes(t, toksim_token_user_attributes(t) |
                                                TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    } else {
        uint32_t a = (g->attributes & ~DENY_CLEAR) | TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY;
        toksim_sid copy = g->sid;
        if ((st = toksim_token_add_group(t, &copy, a)))
            return st;
    }
    /* a deny-only default owner cannot own new objects: the user takes over [ROS-LIF] */
    if (!is_user && toksim_sid_equal(toksim_token_owner(t), sid)) {
        toksim_sid user = *toksim_token_user(t);
        if ((st = toksim_token_set_owner(t, &user)))
            return st;
    }
    toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_TOK_RESTRICT_DENY_ONLY, TOKSIM_V_CHANGE);
    ts_imp_ev_sid2(&e, sid);
    ts_imp_emit(&st, trace, &e);
    return st;
}

static toksim_status delete_privileges(toksim_token *t,
                                       const toksim_restrict_request *req,
                                       toksim_trace *trace)
{
    toksim_status st = TOKSIM_OK;
    if (req->flags & TOKSIM_DISABLE_MAX_PRIVILEGE) { /* the list is ignored then */
        uint32_t luids[64];
        size_t n = 0;
        for (size_t i = 0; i < toksim_token_privilege_count(t) && n < 64; i++) {
            uint32_t luid = 0, a = 0;
            if (toksim_token_privilege_at(t, i, &luid, &a) &&
                luid != TOKSIM_PRIV_CHANGE_NOTIFY)
                luids[n++] = luid;
        }
        for (size_t i = 0; i < n; i++)
            toksim_token_remove_privilege(t, luids[i]);
        toksim_trace_event e =
            ts_imp_ev(TOKSIM_RULE_TOK_RESTRICT_MAX_PRIV, TOKSIM_V_CHANGE);
        e.a = (int64_t)n;
        ts_imp_emit(&st, trace, &e);
        return st;
    }
    for (size_t i = 0; i < req->ndelete; i++) {
        if (toksim_token_privilege(t, req->delete_privs[i]) < 0)
            continue; /* not held: nothing to delete */
        toksim_token_remove_privilege(t, req->delete_privs[i]);
        toksim_trace_event e =
            ts_imp_ev(TOKSIM_RULE_TOK_RESTRICT_DELETE_PRIV, TOKSIM_V_CHANGE);
        e.privilege = req->delete_privs[i];
        ts_imp_emit(&st, trace, &e);
    }
    return st;
}

/* The source is restricted already: keep the restricting SIDs also in the new list. */
static toksim_status
intersect(toksim_token *t, const toksim_restrict_request *req, toksim_trace *trace)
{
    toksim_status st = TOKSIM_OK;
    for (size_t i = toksim_token_restricted_count(t); !st && i-- > 0;) {
        toksim_sid sid = toksim_token_restricted_at(t, i)->sid;
        bool keep = false;
        for (size_t k = 0; k < req->nrestrict && !keep; k++)
            keep = toksim_sid_equal(&sid, &req->restrict_sids[k]);
        toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_TOK_RESTRICT_INTERSECT,
                                         keep ? TOKSIM_V_INFO : TOKSIM_V_CHANGE);
        ts_imp_ev_sid2(&e, &sid);
        ts_imp_ev_text(&e, keep ? "kept" : "dropped");
        if (!keep)
            st = toksim_token_remove_restricted_sid(t, &sid);
        if (!st)
            ts_imp_emit(&st, trace, &e);
    }
    return st;
}

/* A fingerprint of what CreateRestrictedToken can change: group attributes, privileges,
 * restricting SIDs, write-restricted, elevation and integrity. */
static uint64_t shape(const toksim_token *t)
{
    uint64_t h = 1469598103934665603ull;
#define MIX(v) (h = (h ^ (uint64_t)(v)) * 1099511628211ull)
    for (size_t i = 0; i < toksim_token_group_count(t); i++)
        MIX(toksim_token_group_at(t, i)->attributes);
    MIX(toksim_token_group_count(t));
    for (size_t i = 0; i < toksim_token_privilege_count(t); i++) {
        uint32_t luid = 0, attrs = 0;
        if (toksim_token_privilege_at(t, i, &luid, &attrs))
            MIX(((uint64_t)luid << 32) | attrs);
    }
    MIX(toksim_token_privilege_count(t));
    MIX(toksim_token_restricted_count(t));
    MIX(toksim_token_is_write_restricted(t));
    MIX(toksim_token_is_elevated(t));
    MIX(toksim_token_integrity(t));
#undef MIX
    return h;
}

static toksim_status
apply(toksim_token *t, const toksim_restrict_request *req, toksim_trace *trace)
{
    toksim_status st = TOKSIM_OK;
    for (size_t i = 0; !st && i < req->ndisable; i++)
        st = disable_one(t, &req->disable[i], trace);
    if (!st)
        st = delete_privileges(t, req, trace);
    bool was_restricted = toksim_token_is_restricted(t);
    if (!st && req->nrestrict && was_restricted)
        st = intersect(t, req, trace);
    for (size_t i = 0; !st && !was_restricted && i < req->nrestrict; i++) {
        st = toksim_token_add_restricted_sid(t, &req->restrict_sids[i],
                                             TOKSIM_SE_GROUP_DEFAULT);
        toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_TOK_RESTRICT_SID, TOKSIM_V_CHANGE);
        ts_imp_ev_sid2(&e, &req->restrict_sids[i]);
        if (!st)
            ts_imp_emit(&st, trace, &e);
    }
    if (!st && (req->flags & TOKSIM_WRITE_RESTRICTED)) {
        toksim_token_set_write_restricted(t, true);
        toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_TOK_RESTRICT_WRITE, TOKSIM_V_CHANGE);
        ts_imp_emit(&st, trace, &e);
    }
    if (!st && (req->flags & TOKSIM_LUA_TOKEN)) { /* UNCONFIRMED effects */
        if (toksim_token_integrity(t) > TOKSIM_IL_MEDIUM)
            st = toksim_token_set_integrity(t, TOKSIM_IL_MEDIUM);
        toksim_token_set_elevation(t, toksim_token_elevation_type(t), false);
        toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_TOK_RESTRICT_LUA, TOKSIM_V_CHANGE);
        if (!st)
            ts_imp_emit(&st, trace, &e);
    }
    return st;
}

toksim_status toksim_create_restricted_token(toksim_imp_result *out,
                                             toksim_token **out_token,
                                             const toksim_token_handle *src,
                                             const toksim_restrict_request *req,
                                             toksim_trace *trace)
{
    if (!out || !out_token)
        return TOKSIM_EINVAL;
    *out_token = NULL;
    if (!src || !src->token || !req || (req->ndisable && !req->disable) ||
        (req->ndelete && !req->delete_privs) || (req->nrestrict && !req->restrict_sids))
        return TOKSIM_EINVAL;
    memset(out, 0, sizeof *out);
    out->ok = true;
    const toksim_token *s = src->token;
    toksim_trace_event ev = ts_imp_ev(TOKSIM_RULE_NONE, TOKSIM_V_INFO);
    ts_imp_ev_sid2(&ev, toksim_token_user(s));
    if (!(src->access & TOKSIM_TOKEN_ACCESS_DUPLICATE)) { /* Learn: TOKEN_DUPLICATE */
        ev.mask = TOKSIM_TOKEN_ACCESS_DUPLICATE;
        return ts_imp_fail(out, TOKSIM_ERROR_ACCESS_DENIED, 0,
                           TOKSIM_RULE_IMP_HANDLE_ACCESS, &ev, trace);
    }
    toksim_token *t = NULL;
    toksim_status st = toksim_token_copy(&t, s);
    if (st)
        return st;
    toksim_token_set_parent_id(t, toksim_token_id(s));
    toksim_token_set_token_id(t, toksim_token_id(s) + 0x10u);
    uint64_t before = shape(t);
    if ((st = apply(t, req, trace))) {
        toksim_token_free(t);
        return st;
    }
    if (shape(t) != before) { /* TokenHasRestrictions: "has ever been filtered" */
        toksim_token_set_filtered(t, true);
        toksim_trace_event e =
            ts_imp_ev(TOKSIM_RULE_TOK_RESTRICT_FILTERED, TOKSIM_V_CHANGE);
        ts_imp_ev_sid2(&e, toksim_token_user(s));
        ts_imp_emit(&st, trace, &e);
    }
    *out_token = t;
    out->rule = TOKSIM_RULE_TOK_RESTRICT_DONE;
    out->level = toksim_token_level(t);
    ev.rule = TOKSIM_RULE_TOK_RESTRICT_DONE;
    ev.verdict = TOKSIM_V_GRANT;
    ts_imp_ev_text(&ev, toksim_token_is_restricted(t) ? "restricted" : "filtered");
    ts_imp_emit(&st, trace, &ev);
    return st;
}
