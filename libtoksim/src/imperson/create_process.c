/*
 * PURPOSE: CreateProcessAsUser and CreateProcessWithTokenW: which tokens they accept
 * (primary only: an impersonation token fails with ERROR_BAD_TOKEN_TYPE, windows-model
 * §2.6.4), the handle rights both need (TOKEN_QUERY | TOKEN_DUPLICATE |
 * TOKEN_ASSIGN_PRIMARY, Microsoft Learn for each API), and the caller's privileges:
 * CreateProcessAsUser needs SeIncreaseQuotaPrivilege and SeAssignPrimaryTokenPrivilege,
 * neither when the token derives from the caller's primary token (a restricted version:
 * Learn remarks; a duplicate: the kernel's child/sibling test, §2.6.1; the quota
 * privilege part is UNCONFIRMED, behind toksim_token_api_options.quota_for_own_token);
 * CreateProcessWithTokenW needs SeImpersonatePrivilege (Learn). Failures:
 * ERROR_PRIVILEGE_NOT_HELD. The privileges are looked up in the caller's effective token
 * and count when held: both calls enable what they need.
 *
 * Left out: the session (TokenSessionId) and desktop the process lands on, the token
 * already in use as a primary token (STATUS_TOKEN_ALREADY_IN_USE), job objects.
 */
#include "imperson/imp_int.h"
#include "toksim/token_api.h"

#define CP_ACCESS                                                                        \
    (TOKSIM_TOKEN_ACCESS_QUERY | TOKSIM_TOKEN_ACCESS_DUPLICATE |                         \
     TOKSIM_TOKEN_ACCESS_ASSIGN_PRIMARY)

static const char *api_name(toksim_create_process_api api)
{
    return api == TOKSIM_CREATE_PROCESS_WITH_TOKEN ? "CreateProcessWithTokenW"
                                                   : "CreateProcessAsUser";
}

/* Fail with ERROR_PRIVILEGE_NOT_HELD unless the caller holds `priv`. */
static bool lacks(toksim_imp_result *out,
                  toksim_status *st,
                  const toksim_token *caller,
                  uint32_t priv,
                  toksim_trace_event ev,
                  toksim_trace *trace)
{
    if (toksim_token_privilege(caller, priv) >= 0)
        return false;
    ev.privilege = priv;
    *st = ts_imp_fail(out, TOKSIM_ERROR_PRIVILEGE_NOT_HELD, 0,
                      TOKSIM_RULE_CP_PRIV_MISSING, &ev, trace);
    return true;
}

toksim_status toksim_create_process_with_token(toksim_imp_result *out,
                                               toksim_process **out_proc,
                                               const toksim_thread *caller,
                                               const toksim_token_handle *token,
                                               toksim_create_process_api api,
                                               const toksim_token_api_options *opts,
                                               toksim_trace *trace)
{
    if (!out || !out_proc)
        return TOKSIM_EINVAL;
    *out_proc = NULL;
    if (!caller || !token || !token->token ||
        (api != TOKSIM_CREATE_PROCESS_AS_USER && api != TOKSIM_CREATE_PROCESS_WITH_TOKEN))
        return TOKSIM_EINVAL;
    memset(out, 0, sizeof *out);
    out->ok = true;
    const toksim_token *t = token->token;
    const toksim_token *who = toksim_thread_effective_token(caller);
    const toksim_token *own = caller->proc->primary;
    toksim_status st = TOKSIM_OK;
    toksim_trace_event ev = ts_imp_ev(TOKSIM_RULE_NONE, TOKSIM_V_INFO);
    ts_imp_ev_sid(&ev, toksim_token_user(who));
    ts_imp_ev_sid2(&ev, toksim_token_user(t));
    ts_imp_ev_text(&ev, api_name(api));
    if ((token->access & CP_ACCESS) != CP_ACCESS) {
        ev.mask = CP_ACCESS & ~token->access;
        return ts_imp_fail(out, TOKSIM_ERROR_ACCESS_DENIED, 0,
                           TOKSIM_RULE_IMP_HANDLE_ACCESS, &ev, trace);
    }
    if (toksim_token_type_of(t) != TOKSIM_TOKEN_PRIMARY)
        return ts_imp_fail(out, TOKSIM_ERROR_BAD_TOKEN_TYPE, 0,
                           TOKSIM_RULE_CP_BAD_TOKEN_TYPE, &ev, trace);
    if (api == TOKSIM_CREATE_PROCESS_WITH_TOKEN) {
        if (lacks(out, &st, who, TOKSIM_PRIV_IMPERSONATE, ev, trace))
            return st;
    } else {
        /* a restricted child (parent id) or a DuplicateTokenEx sibling (the model's
         * duplicates keep the token id: fidelity-notes O-IMP-4) of the caller's token */
        bool own_token =
            (toksim_token_parent_id(t) != 0 &&
             toksim_token_parent_id(t) == toksim_token_id(own)) ||
            (toksim_token_id(t) != 0 && toksim_token_id(t) == toksim_token_id(own));
        if ((!own_token || (opts && opts->quota_for_own_token)) &&
            lacks(out, &st, who, TOKSIM_PRIV_INCREASE_QUOTA, ev, trace))
            return st;
        if (own_token) {
            toksim_trace_event e = ev;
            e.rule = TOKSIM_RULE_CP_OWN_TOKEN;
            e.verdict = TOKSIM_V_SKIP;
            ts_imp_emit(&st, trace, &e);
        } else if (lacks(out, &st, who, TOKSIM_PRIV_ASSIGN_PRIMARY_TOKEN, ev, trace)) {
            return st;
        }
    }
    toksim_status rc = toksim_process_new(out_proc, t, &caller->proc->opts);
    if (rc)
        return rc;
    out->rule = TOKSIM_RULE_CP_CREATED;
    ev.rule = TOKSIM_RULE_CP_CREATED;
    ev.verdict = TOKSIM_V_GRANT;
    ts_imp_emit(&st, trace, &ev);
    return st;
}
