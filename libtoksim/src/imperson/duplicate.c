/*
 * PURPOSE: DuplicateTokenEx and GetTokenInformation(TokenLinkedToken): the level rules of
 * token duplication (windows-model §2.5; OpenThreadToken moved to token_open.c) and of
 * handing out a UAC linked token (§2.7.2: Identification level unless
 * the caller's primary token has SeTcbPrivilege enabled; UNVERIFIED, behind a switch).
 *
 * NtDuplicateToken (no QoS, EffectiveOnly) is in token_open.c and ends here. Left out:
 * new token ids (the copy keeps the source's ids, where Windows gives a new TokenId:
 * fidelity-notes O-IMP-4), handle access of the new handle.
 */
#include "imperson/imp_int.h"

toksim_status toksim_duplicate_token_ex(toksim_imp_result *out,
                                        toksim_token **out_token,
                                        const toksim_token_handle *src,
                                        toksim_token_type type,
                                        toksim_imp_level level,
                                        toksim_trace *trace)
{
    if (!out || !out_token)
        return TOKSIM_EINVAL;
    *out_token = NULL;
    if (!src || !src->token ||
        (type != TOKSIM_TOKEN_PRIMARY && type != TOKSIM_TOKEN_IMPERSONATION))
        return TOKSIM_EINVAL;
    memset(out, 0, sizeof *out);
    out->ok = true;
    out->requested = level;
    const toksim_token *s = src->token;
    toksim_trace_event ev = ts_imp_ev(TOKSIM_RULE_NONE, TOKSIM_V_INFO);
    ts_imp_ev_sid2(&ev, toksim_token_user(s));

    if (!(src->access & TOKSIM_TOKEN_ACCESS_DUPLICATE)) { /* §2.5.6 */
        ev.mask = TOKSIM_TOKEN_ACCESS_DUPLICATE;
        return ts_imp_fail(out, TOKSIM_ERROR_ACCESS_DENIED, 0,
                           TOKSIM_RULE_IMP_HANDLE_ACCESS, &ev, trace);
    }
    bool src_imp = toksim_token_type_of(s) == TOKSIM_TOKEN_IMPERSONATION;
    toksim_imp_level src_level = src_imp ? toksim_token_level(s) : TOKSIM_IMP_DELEGATION;
    /* "the level given is invalid" -> 1346 as well, for either target type (the level
     * is recorded in the new token whatever its type) */
    bool bad_level = level < TOKSIM_IMP_ANONYMOUS || level > TOKSIM_IMP_DELEGATION;
    if (bad_level ||
        (type == TOKSIM_TOKEN_IMPERSONATION && src_imp && level > src_level)) {
        /* §2.5.2, I16: never above the source level [ROS-TOKLIF], [WINE-SEC] */
        ev.a = src_level;
        ev.b = level;
        return ts_imp_fail(out, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL,
                           TOKSIM_STATUS_BAD_IMPERSONATION_LEVEL,
                           TOKSIM_RULE_IMP_DUP_RAISE, &ev, trace);
    }
    if (type == TOKSIM_TOKEN_PRIMARY && src_imp && src_level < TOKSIM_IMP_IMPERSONATION) {
        /* §2.5.3, I17: impersonation -> primary needs >= Impersonation; the requested
         * level plays no part in that test */
        ev.a = src_level;
        return ts_imp_fail(out, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL,
                           TOKSIM_STATUS_BAD_IMPERSONATION_LEVEL,
                           TOKSIM_RULE_IMP_DUP_PRIMARY_LEVEL, &ev, trace);
    }

    toksim_token *copy = NULL;
    toksim_status st = toksim_token_copy(&copy, s);
    if (st != TOKSIM_OK)
        return st;
    /* The new token records the level asked for, primary targets included (its
     * TokenStatistics.ImpersonationLevel: ReactOS apitest advapi32/DuplicateTokenEx.c,
     * run against Windows; docs/fidelity-notes.md F-IMP-3). */
    toksim_token_set_type(copy, type, level);
    *out_token = copy;
    out->level = level;
    out->rule = TOKSIM_RULE_IMP_DUP_OK;
    ev.rule = TOKSIM_RULE_IMP_DUP_OK;
    ev.verdict = TOKSIM_V_GRANT;
    ev.a = src_level;
    ev.b = level;
    ts_imp_ev_text(&ev, toksim_token_type_name(type));
    ts_imp_emit(&st, trace, &ev);
    return st;
}

toksim_status toksim_get_linked_token(toksim_imp_result *out,
                                      toksim_token **out_token,
                                      const toksim_token *caller_primary,
                                      const toksim_token_handle *token,
                                      const toksim_imp_options *opts,
                                      toksim_trace *trace)
{
    if (!out || !out_token)
        return TOKSIM_EINVAL;
    *out_token = NULL;
    if (!caller_primary || !token || !token->token)
        return TOKSIM_EINVAL;
    const toksim_imp_options *o = ts_imp_opts(opts);
    memset(out, 0, sizeof *out);
    out->ok = true;
    toksim_trace_event ev = ts_imp_ev(TOKSIM_RULE_NONE, TOKSIM_V_INFO);
    ts_imp_ev_sid(&ev, toksim_token_user(caller_primary));
    ts_imp_ev_sid2(&ev, toksim_token_user(token->token));
    if (!(token->access & TOKSIM_TOKEN_ACCESS_QUERY)) {
        ev.mask = TOKSIM_TOKEN_ACCESS_QUERY;
        return ts_imp_fail(out, TOKSIM_ERROR_ACCESS_DENIED, 0,
                           TOKSIM_RULE_IMP_HANDLE_ACCESS, &ev, trace);
    }
    const toksim_token *linked = toksim_token_linked(token->token);
    if (!linked) /* §4.4: only UAC split tokens are linked; error number UNVERIFIED (§15)
                  */
        return ts_imp_fail(out, TOKSIM_ERROR_NO_SUCH_LOGON_SESSION, 0,
                           TOKSIM_RULE_IMP_LINKED_NONE, &ev, trace);
    /* §2.7.2: Tcb is checked in the caller's primary token [D-LEVELS] */
    bool tcb = toksim_token_privilege_enabled(caller_primary, TOKSIM_PRIV_TCB) ||
               !o->linked_token_needs_tcb;
    toksim_token *copy = NULL;
    toksim_status st = toksim_token_copy(&copy, linked);
    if (st != TOKSIM_OK)
        return st;
    toksim_token_set_linked(copy,
                            NULL); /* the returned handle is to the linked token alone */
    if (tcb)
        toksim_token_set_type(copy, TOKSIM_TOKEN_PRIMARY, toksim_token_level(copy));
    else
        toksim_token_set_type(copy, TOKSIM_TOKEN_IMPERSONATION,
                              TOKSIM_IMP_IDENTIFICATION);
    *out_token = copy;
    out->level = tcb ? TOKSIM_IMP_DELEGATION : TOKSIM_IMP_IDENTIFICATION;
    out->rule = tcb ? TOKSIM_RULE_IMP_LINKED_PRIMARY : TOKSIM_RULE_IMP_LINKED_IDENTIFY;
    ev.rule = out->rule;
    ev.verdict = tcb ? TOKSIM_V_GRANT : TOKSIM_V_CHANGE;
    ev.privilege = TOKSIM_PRIV_TCB;
    ts_imp_emit(&st, trace, &ev);
    return st;
}
