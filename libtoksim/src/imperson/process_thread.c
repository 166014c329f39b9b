/*
 * PURPOSE: processes (a primary token) and threads (an optional impersonation token), and
 * the client-side ways of putting a token on a thread: ImpersonateLoggedOnUser,
 * SetThreadToken, ImpersonateSelf, ImpersonateAnonymousToken, RevertToSelf (windows-model
 * §2.1, §2.4).
 *
 * Every route converges on ts_imp_assign(): the §2.2 test, the §2.3 downgrade, and a
 * private copy of the token on the thread. Left out: handle tables, THREAD_IMPERSONATE on
 * thread handles, job restrictions (§2.3.4), nesting (Windows has none: a new token
 * replaces the old).
 */
#include <stdlib.h>
#include "imperson/imp_int.h"
#include "imperson/imp_adopt.h"

/* ---- processes and threads ---- */

toksim_status toksim_process_new(toksim_process **out,
                                 const toksim_token *primary,
                                 const toksim_imp_options *opts)
{
    if (!out)
        return TOKSIM_EINVAL;
    *out = NULL;
    if (!primary || (opts && opts->version != TOKSIM_IMP_OPTIONS_VERSION))
        return TOKSIM_EINVAL;
    toksim_token *copy = NULL;
    toksim_status rc = toksim_token_copy(&copy, primary);
    if (rc != TOKSIM_OK)
        return rc;
    return ts_process_adopt(out, copy, opts);
}

toksim_status ts_process_adopt(toksim_process **out,
                               toksim_token *primary,
                               const toksim_imp_options *opts)
{
    *out = NULL;
    if (!primary || (opts && opts->version != TOKSIM_IMP_OPTIONS_VERSION)) {
        toksim_token_free(primary);
        return TOKSIM_EINVAL;
    }
    toksim_process *p = ts_calloc(1, sizeof *p);
    if (!p) {
        toksim_token_free(primary);
        return TOKSIM_ENOMEM;
    }
    p->primary = primary;
    /* a process token is a primary token whatever it was built as */
    toksim_token_set_type(p->primary, TOKSIM_TOKEN_PRIMARY,
                          toksim_token_level(p->primary));
    p->opts = *ts_imp_opts(opts);
    *out = p;
    return TOKSIM_OK;
}

void toksim_process_free(toksim_process *proc)
{
    if (!proc)
        return;
    toksim_token_free(proc->primary);
    free(proc);
}

const toksim_token *toksim_process_token(const toksim_process *proc)
{
    return proc ? proc->primary : NULL;
}

toksim_token *toksim_process_token_mut(toksim_process *proc)
{
    return proc ? proc->primary : NULL;
}

void toksim_process_set_privilege_holders(toksim_process *proc, const char *holders)
{
    if (!proc)
        return;
    (void)ts_put(proc->holders, sizeof proc->holders, 0, holders ? holders : "");
}

const toksim_imp_options *toksim_process_options(const toksim_process *proc)
{
    return proc ? &proc->opts : ts_imp_opts(NULL);
}

toksim_status toksim_thread_new(toksim_thread **out, toksim_process *proc)
{
    if (!out)
        return TOKSIM_EINVAL;
    *out = NULL;
    if (!proc)
        return TOKSIM_EINVAL;
    toksim_thread *t = ts_calloc(1, sizeof *t);
    if (!t)
        return TOKSIM_ENOMEM;
    t->proc = proc;
    *out = t;
    return TOKSIM_OK;
}

void toksim_thread_free(toksim_thread *thread)
{
    if (!thread)
        return;
    toksim_token_free(thread->imp);
    free(thread);
}

toksim_process *toksim_thread_process(const toksim_thread *thread)
{
    return thread ? thread->proc : NULL;
}

const toksim_token *toksim_thread_token(const toksim_thread *thread)
{
    return thread ? thread->imp : NULL;
}

toksim_token *toksim_thread_token_mut(toksim_thread *thread)
{
    return thread ? thread->imp : NULL;
}

const toksim_token *toksim_thread_effective_token(const toksim_thread *thread)
{
    if (!thread)
        return NULL;
    return thread->imp ? thread->imp : thread->proc->primary;
}

bool toksim_thread_is_impersonating(const toksim_thread *thread)
{
    return thread && thread->imp;
}

/* ---- results ---- */

void ts_imp_result_reset(toksim_imp_result *out, const toksim_thread *thread)
{
    memset(out, 0, sizeof *out);
    out->ok = true;
    if (thread && thread->imp) {
        out->impersonating = true;
        out->level = toksim_token_level(thread->imp);
    }
}

void ts_imp_result_fail(toksim_imp_result *out,
                        uint32_t win32,
                        uint32_t ntstatus,
                        toksim_rule rule)
{
    out->ok = false;
    out->win32 = win32;
    out->ntstatus = ntstatus ? ntstatus : toksim_win32_to_ntstatus(win32);
    out->hresult = toksim_hresult_from_win32(win32);
    out->rule = rule;
}

toksim_status ts_imp_fail(toksim_imp_result *out,
                          uint32_t win32,
                          uint32_t ntstatus,
                          toksim_rule rule,
                          const toksim_trace_event *tmpl,
                          toksim_trace *trace)
{
    toksim_status st = TOKSIM_OK;
    ts_imp_result_fail(out, win32, ntstatus, rule);
    toksim_trace_event e = tmpl ? *tmpl : ts_imp_ev(rule, TOKSIM_V_DENY);
    e.rule = rule;
    e.verdict = TOKSIM_V_DENY;
    e.status = win32;
    ts_imp_emit(&st, trace, &e);
    return st;
}

void ts_imp_not_all_assigned(toksim_imp_result *out,
                             toksim_rule rule,
                             int64_t count,
                             toksim_status *st,
                             toksim_trace *trace)
{
    out->win32 = TOKSIM_ERROR_NOT_ALL_ASSIGNED;
    out->ntstatus = toksim_win32_to_ntstatus(TOKSIM_ERROR_NOT_ALL_ASSIGNED);
    out->hresult = toksim_hresult_from_win32(TOKSIM_ERROR_NOT_ALL_ASSIGNED);
    out->rule = rule;
    toksim_trace_event e = ts_imp_ev(rule, TOKSIM_V_INFO);
    e.a = count;
    e.status = TOKSIM_ERROR_NOT_ALL_ASSIGNED;
    ts_imp_emit(st, trace, &e);
}

/* Fail with a Win32 code and trace the rule that caused it (mask and SID concerned). */
static toksim_status fail_traced(toksim_imp_result *out,
                                 uint32_t win32,
                                 uint32_t ntstatus,
                                 toksim_rule rule,
                                 uint32_t mask,
                                 const toksim_sid *sid,
                                 toksim_trace *trace)
{
    toksim_trace_event e = ts_imp_ev(rule, TOKSIM_V_DENY);
    e.mask = mask;
    ts_imp_ev_sid(&e, sid);
    return ts_imp_fail(out, win32, ntstatus, rule, &e, trace);
}

/* ---- the common path: test, downgrade, assign ---- */

toksim_status ts_imp_assign(toksim_imp_result *out,
                            toksim_thread *thread,
                            const toksim_token *client,
                            toksim_imp_level client_level,
                            toksim_imp_level requested,
                            toksim_imp_route route,
                            toksim_trace *trace)
{
    toksim_process *proc = thread->proc;
    toksim_imp_check_result chk;
    toksim_status st =
        ts_imp_check_ex(&chk, proc->primary, client, client_level, requested, route,
                        &proc->opts, proc->holders, trace);
    if (st != TOKSIM_OK)
        return st;
    toksim_token *copy = NULL;
    st = toksim_token_copy(&copy, client);
    if (st != TOKSIM_OK)
        return st;
    toksim_token_set_type(copy, TOKSIM_TOKEN_IMPERSONATION, chk.level);
    /* §2.4.1: no stack; the new token replaces the old one */
    toksim_token_free(thread->imp);
    thread->imp = copy;

    memset(out, 0, sizeof *out);
    out->ok = true;
    out->impersonating = true;
    out->requested = requested;
    out->level = chk.level;
    out->downgraded = !chk.allowed;
    out->rule = chk.rule;

    toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_IMP_ASSIGNED, TOKSIM_V_CHANGE);
    ts_imp_ev_sid2(&e, toksim_token_user(client));
    e.a = requested;
    e.b = chk.level;
    ts_imp_emit(&st, trace, &e);
    return st;
}

/* ---- entry points ---- */

toksim_status toksim_impersonate_logged_on_user(toksim_imp_result *out,
                                                toksim_thread *thread,
                                                const toksim_token_handle *token,
                                                toksim_trace *trace)
{
    if (!out || !thread || !token || !token->token)
        return TOKSIM_EINVAL;
    ts_imp_result_reset(out, thread);
    const toksim_token *c = token->token;
    bool primary = toksim_token_type_of(c) == TOKSIM_TOKEN_PRIMARY;
    /* [D-ILOU]: a primary token is duplicated (QUERY|DUPLICATE); an impersonation token
     * is used as is (QUERY|IMPERSONATE) */
    uint32_t need =
        TOKSIM_TOKEN_ACCESS_QUERY |
        (primary ? TOKSIM_TOKEN_ACCESS_DUPLICATE : TOKSIM_TOKEN_ACCESS_IMPERSONATE);
    if ((token->access & need) != need)
        return fail_traced(out, TOKSIM_ERROR_ACCESS_DENIED, 0,
                           TOKSIM_RULE_IMP_HANDLE_ACCESS, need & ~token->access, NULL,
                           trace);
    toksim_imp_level level = primary ? TOKSIM_IMP_IMPERSONATION : toksim_token_level(c);
    return ts_imp_assign(out, thread, c, ts_imp_token_level(c), level,
                         TOKSIM_IMP_ROUTE_GENERIC, trace);
}

toksim_status toksim_set_thread_token(toksim_imp_result *out,
                                      toksim_thread *thread,
                                      const toksim_token_handle *token,
                                      toksim_trace *trace)
{
    if (!out || !thread)
        return TOKSIM_EINVAL;
    if (!token || !token->token) { /* NULL handle = revert (§2.1.2) */
        toksim_revert_to_self(out, thread, trace);
        return TOKSIM_OK;
    }
    ts_imp_result_reset(out, thread);
    if (!(token->access & TOKSIM_TOKEN_ACCESS_IMPERSONATE)) /* I12 */
        return fail_traced(out, TOKSIM_ERROR_ACCESS_DENIED, 0,
                           TOKSIM_RULE_IMP_HANDLE_ACCESS, TOKSIM_TOKEN_ACCESS_IMPERSONATE,
                           NULL, trace);
    if (toksim_token_type_of(token->token) != TOKSIM_TOKEN_IMPERSONATION) /* I11 */
        return fail_traced(out, TOKSIM_ERROR_BAD_TOKEN_TYPE, 0,
                           TOKSIM_RULE_IMP_BAD_TOKEN_TYPE, 0, NULL, trace);
    toksim_imp_level level = toksim_token_level(token->token);
    return ts_imp_assign(out, thread, token->token, level, level,
                         TOKSIM_IMP_ROUTE_GENERIC, trace);
}

toksim_status toksim_impersonate_self(toksim_imp_result *out,
                                      toksim_thread *thread,
                                      toksim_imp_level level,
                                      toksim_trace *trace)
{
    if (!out || !thread || level < TOKSIM_IMP_ANONYMOUS || level > TOKSIM_IMP_DELEGATION)
        return TOKSIM_EINVAL;
    ts_imp_result_reset(out, thread);
    const toksim_token *p = thread->proc->primary;
    return ts_imp_assign(out, thread, p, TOKSIM_IMP_DELEGATION, level,
                         TOKSIM_IMP_ROUTE_GENERIC, trace);
}

toksim_status toksim_imp_anonymous_token(toksim_token **out,
                                         bool everyone_includes_anonymous)
{
    if (!out)
        return TOKSIM_EINVAL;
    *out = NULL;
    toksim_sid anon, everyone;
    /* names resolved through the well-known table: AN = S-1-5-7, WD = S-1-1-0 */
    toksim_status rc = toksim_sid_resolve(&anon, "AN", NULL, NULL);
    if (rc == TOKSIM_OK)
        rc = toksim_sid_resolve(&everyone, "WD", NULL, NULL);
    if (rc != TOKSIM_OK)
        return TOKSIM_ERROR;
    toksim_token *t = NULL;
    rc = toksim_token_new(&t, &anon);
    if (rc != TOKSIM_OK)
        return rc;
    /* §2.1.6, [D-IAT]: Everyone only with EveryoneIncludesAnonymous=1 */
    if (everyone_includes_anonymous)
        rc = toksim_token_add_group(t, &everyone, TOKSIM_SE_GROUP_DEFAULT);
    if (rc != TOKSIM_OK) {
        toksim_token_free(t);
        return rc;
    }
    toksim_token_set_auth_id(t, TOKSIM_ANONYMOUS_LOGON_LUID);
    toksim_token_set_type(t, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IMPERSONATION);
    *out = t;
    return TOKSIM_OK;
}

toksim_status toksim_impersonate_anonymous_token(toksim_imp_result *out,
                                                 toksim_thread *thread,
                                                 bool everyone_includes_anonymous,
                                                 toksim_trace *trace)
{
    if (!out || !thread)
        return TOKSIM_EINVAL;
    ts_imp_result_reset(out, thread);
    const toksim_token *p = thread->proc->primary;
    if (toksim_token_is_restricted(p)) /* I22 [D-IAT] */
        return fail_traced(out, TOKSIM_ERROR_ACCESS_DENIED, TOKSIM_STATUS_ACCESS_DENIED,
                           TOKSIM_RULE_IMP_ANON_RESTRICTED, 0, toksim_token_user(p),
                           trace);
    toksim_token *anon = NULL;
    toksim_status rc = toksim_imp_anonymous_token(&anon, everyone_includes_anonymous);
    if (rc != TOKSIM_OK)
        return rc;
    /* Learn "Let Everyone permissions apply to anonymous users": the policy value
     * decides whether Everyone-granted objects are open to the anonymous logon */
    toksim_trace_event ev = ts_imp_ev(TOKSIM_RULE_IMP_ANON_EVERYONE, TOKSIM_V_INFO);
    ev.a = everyone_includes_anonymous ? 1 : 0;
    ts_imp_ev_text(&ev, everyone_includes_anonymous ? "holds" : "does not hold");
    ts_imp_emit(&rc, trace, &ev);
    if (rc != TOKSIM_OK) {
        toksim_token_free(anon);
        return rc;
    }
    rc = ts_imp_assign(out, thread, anon, TOKSIM_IMP_IMPERSONATION,
                       TOKSIM_IMP_IMPERSONATION, TOKSIM_IMP_ROUTE_ANONYMOUS_TOKEN, trace);
    toksim_token_free(anon);
    return rc;
}

void toksim_revert_to_self(toksim_imp_result *out,
                           toksim_thread *thread,
                           toksim_trace *trace)
{
    toksim_imp_result local;
    if (!out)
        out = &local;
    memset(out, 0, sizeof *out);
    out->ok = true;
    if (!thread)
        return;
    toksim_token_free(thread->imp);
    thread->imp = NULL;
    out->rule = TOKSIM_RULE_IMP_REVERT;
    toksim_status st = TOKSIM_OK;
    toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_IMP_REVERT, TOKSIM_V_CHANGE);
    ts_imp_ev_sid(&e, toksim_token_user(thread->proc->primary));
    ts_imp_emit(&st, trace,
                &e); /* a trace is an explanation: its failure does not undo the revert */
    (void)st;
}
