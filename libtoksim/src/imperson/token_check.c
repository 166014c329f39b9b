/*
 * PURPOSE: the token queries a program asks about its caller: CheckTokenMembership (is a
 * SID an enabled, non-deny-only member, and in a restricted token also a restricting
 * SID), PrivilegeCheck (are these privileges held and enabled), and
 * SetTokenInformation(TokenIntegrityLevel) (lower freely, raise only with
 * SeTcbPrivilege). Windows' results per Microsoft Learn and Wine's tests run on Windows.
 */
#include "imperson/imp_int.h"
#include "toksim/token_api.h"

/* ---- CheckTokenMembership ---- */

static int membership_rule(const toksim_token *t, const toksim_sid *sid)
{
    int m = toksim_token_match(t, sid);
    if (m == TOKSIM_MATCH_DENY_ONLY)
        return TOKSIM_RULE_TOK_MEMBER_DENY_ONLY;
    if (m != TOKSIM_MATCH_ALLOW)
        return TOKSIM_RULE_TOK_MEMBER_ABSENT;
    /* the second pass of a restricted token; a write-restricted token's restricting SIDs
     * only apply to write access (UNCONFIRMED for this call) */
    if (toksim_token_is_restricted(t) && !toksim_token_is_write_restricted(t) &&
        toksim_token_match_restricted(t, sid) != TOKSIM_MATCH_ALLOW)
        return TOKSIM_RULE_TOK_MEMBER_NOT_RESTRICTING;
    return TOKSIM_RULE_TOK_MEMBER_YES;
}

toksim_status toksim_check_token_membership(toksim_imp_result *out,
                                            bool *is_member,
                                            const toksim_thread *thread,
                                            const toksim_token_handle *token,
                                            const toksim_sid *sid,
                                            toksim_trace *trace)
{
    if (!out || !is_member || !sid || (!thread && (!token || !token->token)))
        return TOKSIM_EINVAL;
    memset(out, 0, sizeof *out);
    out->ok = true;
    *is_member = false;
    toksim_status st = TOKSIM_OK;
    toksim_trace_event ev = ts_imp_ev(TOKSIM_RULE_NONE, TOKSIM_V_INFO);
    ts_imp_ev_sid2(&ev, sid);
    const toksim_token *t;
    if (!token || !token->token) {
        /* Learn: the thread's impersonation token, else a duplicate of the primary token
         * as an impersonation token (which always passes the checks below) */
        t = thread->imp ? thread->imp : thread->proc->primary;
        toksim_trace_event e =
            ts_imp_ev(TOKSIM_RULE_TOK_MEMBER_NULL_HANDLE, TOKSIM_V_INFO);
        ts_imp_ev_text(&e, thread->imp ? "the thread's impersonation token"
                                       : "a copy of the process token");
        ts_imp_emit(&st, trace, &e);
        if (!thread->imp)
            goto check;
    } else {
        t = token->token;
        if (!(token->access & TOKSIM_TOKEN_ACCESS_QUERY)) {
            ev.mask = TOKSIM_TOKEN_ACCESS_QUERY;
            return ts_imp_fail(out, TOKSIM_ERROR_ACCESS_DENIED, 0,
                               TOKSIM_RULE_IMP_HANDLE_ACCESS, &ev, trace);
        }
        if (toksim_token_type_of(t) != TOKSIM_TOKEN_IMPERSONATION)
            return ts_imp_fail(out, TOKSIM_ERROR_NO_IMPERSONATION_TOKEN, 0,
                               TOKSIM_RULE_TOK_MEMBER_PRIMARY, &ev, trace);
    }
    if (toksim_token_level(t) < TOKSIM_IMP_IDENTIFICATION) {
        ev.a = toksim_token_level(t);
        return ts_imp_fail(out, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL,
                           TOKSIM_STATUS_BAD_IMPERSONATION_LEVEL,
                           TOKSIM_RULE_TOK_MEMBER_BAD_LEVEL, &ev, trace);
    }
check:;
    int rule = membership_rule(t, sid);
    *is_member = rule == TOKSIM_RULE_TOK_MEMBER_YES;
    out->rule = (toksim_rule)rule;
    ev.rule = (toksim_rule)rule;
    ev.verdict = *is_member ? TOKSIM_V_GRANT : TOKSIM_V_DENY;
    ts_imp_emit(&st, trace, &ev);
    return st;
}

/* ---- PrivilegeCheck ---- */

toksim_status toksim_privilege_check(toksim_imp_result *out,
                                     bool *result,
                                     const toksim_token_handle *token,
                                     const uint32_t *luids,
                                     size_t count,
                                     bool require_all,
                                     const toksim_token_api_options *opts,
                                     toksim_trace *trace)
{
    if (!out || !result || !token || !token->token || (count && !luids))
        return TOKSIM_EINVAL;
    memset(out, 0, sizeof *out);
    out->ok = true;
    *result = false;
    const toksim_token *t = token->token;
    toksim_trace_event ev = ts_imp_ev(TOKSIM_RULE_NONE, TOKSIM_V_INFO);
    ts_imp_ev_sid2(&ev, toksim_token_user(t));
    if (!(token->access & TOKSIM_TOKEN_ACCESS_QUERY)) {
        ev.mask = TOKSIM_TOKEN_ACCESS_QUERY;
        return ts_imp_fail(out, TOKSIM_ERROR_ACCESS_DENIED, 0,
                           TOKSIM_RULE_IMP_HANDLE_ACCESS, &ev, trace);
    }
    bool imp = toksim_token_type_of(t) == TOKSIM_TOKEN_IMPERSONATION;
    if (!imp && opts && opts->privilege_check_needs_impersonation)
        return ts_imp_fail(out, TOKSIM_ERROR_NO_IMPERSONATION_TOKEN, 0,
                           TOKSIM_RULE_TOK_PRIVCHECK_PRIMARY, &ev, trace);
    if (imp && toksim_token_level(t) < TOKSIM_IMP_IDENTIFICATION) {
        ev.a = toksim_token_level(t);
        return ts_imp_fail(out, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL,
                           TOKSIM_STATUS_BAD_IMPERSONATION_LEVEL,
                           TOKSIM_RULE_TOK_PRIVCHECK_BAD_LEVEL, &ev, trace);
    }
    size_t enabled = 0;
    for (size_t i = 0; i < count; i++)
        if (toksim_token_privilege_enabled(t, luids[i]))
            enabled++;
    *result = require_all ? enabled == count : enabled > 0;
    out->rule = TOKSIM_RULE_TOK_PRIVCHECK_RESULT;
    ev.rule = TOKSIM_RULE_TOK_PRIVCHECK_RESULT;
    ev.verdict = *result ? TOKSIM_V_GRANT : TOKSIM_V_DENY;
    ev.a = (int64_t)enabled;
    ev.b = (int64_t)count;
    ts_imp_ev_text(&ev, *result ? "TRUE" : "FALSE");
    toksim_status st = TOKSIM_OK;
    ts_imp_emit(&st, trace, &ev);
    return st;
}

/* ---- SetTokenInformation(TokenIntegrityLevel) ---- */

toksim_status toksim_set_token_integrity(toksim_imp_result *out,
                                         toksim_token *token,
                                         uint32_t handle_access,
                                         uint32_t rid,
                                         const toksim_token *caller,
                                         const toksim_token_api_options *opts,
                                         toksim_trace *trace)
{
    if (!out || !token || !caller)
        return TOKSIM_EINVAL;
    memset(out, 0, sizeof *out);
    out->ok = true;
    toksim_trace_event ev = ts_imp_ev(TOKSIM_RULE_NONE, TOKSIM_V_INFO);
    ts_imp_ev_sid(&ev, toksim_token_user(caller));
    ts_imp_ev_sid2(&ev, toksim_token_user(token));
    if (!(handle_access & TOKSIM_TOKEN_ACCESS_ADJUST_DEFAULT)) {
        ev.mask = TOKSIM_TOKEN_ACCESS_ADJUST_DEFAULT;
        return ts_imp_fail(out, TOKSIM_ERROR_ACCESS_DENIED, 0,
                           TOKSIM_RULE_IMP_HANDLE_ACCESS, &ev, trace);
    }
    uint32_t old = toksim_token_integrity(token);
    ev.a = old;
    ev.b = rid;
    uint32_t priv = opts && opts->raise_integrity_privilege
                        ? opts->raise_integrity_privilege
                        : (uint32_t)TOKSIM_PRIV_TCB;
    ev.privilege = priv;
    toksim_rule rule = TOKSIM_RULE_TOK_IL_LOWER;
    if (rid > old) {
        if (!toksim_token_privilege_enabled(caller, priv))
            return ts_imp_fail(out, TOKSIM_ERROR_PRIVILEGE_NOT_HELD, 0,
                               TOKSIM_RULE_TOK_IL_RAISE_DENIED, &ev, trace);
        rule = TOKSIM_RULE_TOK_IL_RAISE_TCB;
    }
    toksim_status st = toksim_token_set_integrity(token, rid);
    if (st)
        return st;
    out->rule = rule;
    ev.rule = rule;
    ev.verdict = TOKSIM_V_CHANGE;
    ts_imp_emit(&st, trace, &ev);
    return st;
}
