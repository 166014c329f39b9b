/*
 * PURPOSE: a client's call into a COM server or a WMI provider, replayed action by action
 * on a server thread through the impersonation engine: CoImpersonateClient (S_OK even for
 * Identify clients; the engine decides the thread token and may silently downgrade it
 * when the host lacks SeImpersonatePrivilege), CoRevertToSelf, object opens, calls back
 * into WMI (reentrancy), and the provider's initialization phase. Outcomes are
 * HRESULT/WBEM codes with findings (windows-model §10.2-10.5, C3-C9; Impersonating a
 * Client, WMI docs).
 *
 * Modelling choices (each cited where it is made):
 * - ImpersonationLevel 0 providers: WMI does not pass the client identity; the call
 * context CoImpersonateClient sees is WMI's own (the WMI service token).
 * - InitializeAsAdminFirst: during the initialization phase CoImpersonateClient yields
 * WMI's context.
 * - A call back into WMI runs with the thread's token when impersonating, else with WMI's
 *   account; when it returns the thread no longer impersonates (the docs: re-impersonate
 *   after reentrancy; the exact thread state is not documented, reverting is the
 * nearest). Left out: cloaking of outbound calls, apartment and reentrancy serialization,
 * namespace SDs.
 */
#include <stddef.h>
#include <string.h>
#include "systems/sys_int.h"
#include "systems/com_int.h"
#include "imperson/imp_adopt.h"

typedef struct call_state {
    const toksim_com_call *call;
    toksim_com_result *out;
    toksim_world *world;
    toksim_trace *trace;
    toksim_error *err;
    toksim_token *host_owned, *wmi_owned;
    const toksim_token *host_tok, *wmi_tok;
    toksim_process *proc;
    toksim_thread *thread;
    const toksim_sid *client_user;
    bool wmi;           /* a provider call */
    bool passes_client; /* the server gets the client's identity (not level-0 WMI) */
    bool init_phase;
    bool reverted; /* CoRevertToSelf after an impersonation, not re-impersonated since */
    bool identify_noted;
    bool stopped; /* the provider gave up (failure reported) */
} call_state;

static toksim_status fail_call(call_state *st, uint32_t hresult)
{
    st->stopped = true;
    st->out->hresult = st->wmi ? TOKSIM_WBEM_E_ACCESS_DENIED : hresult;
    if (st->wmi)
        st->out->wbem = TOKSIM_WBEM_E_ACCESS_DENIED;
    return TOKSIM_OK;
}

static toksim_status resolve_level(call_state *st)
{
    const toksim_com_call *c = st->call;
    int eff = toksim_com_effective_level(c->client_imp_level, c->client_kind,
                                         c->registry_default_level);
    st->out->effective_client_level = eff;
    ts_sys_ev ev = {.a = eff};
    toksim_status rc = TOKSIM_OK;
    if (c->client_imp_level == (int)TOKSIM_RPC_C_IMP_LEVEL_DEFAULT)
        rc = ts_sys_trace(st->trace,
                          c->client_kind == TOKSIM_COM_CLIENT_WMI_SCRIPT
                              ? TOKSIM_RULE_WMI_SCRIPT_LEVEL_DEFAULT
                              : TOKSIM_RULE_COM_LEVEL_DEFAULT,
                          TOKSIM_V_INFO, &ev);
    else if (c->client_kind == TOKSIM_COM_CLIENT_WMI_SCRIPT &&
             c->client_imp_level == (int)TOKSIM_RPC_C_IMP_LEVEL_ANONYMOUS)
        rc = ts_sys_trace(st->trace, TOKSIM_RULE_WMI_SCRIPT_ANON_UPGRADE, TOKSIM_V_CHANGE,
                          &ev);
    if (rc != TOKSIM_OK)
        return rc;
    st->out->client_token_level = toksim_imp_level_from_rpc((uint32_t)eff, 0);
    ev = (ts_sys_ev){.sid = st->client_user, .a = st->out->client_token_level};
    rc = ts_sys_trace(st->trace, TOKSIM_RULE_COM_CALL_LEVEL, TOKSIM_V_INFO, &ev);
    if (rc != TOKSIM_OK || !st->wmi || eff != (int)TOKSIM_RPC_C_IMP_LEVEL_ANONYMOUS)
        return rc;
    /* WMI docs (Impersonating a Client): by default only Identify and above reach a
     * provider; an Anonymous client is refused before any provider code runs. */
    rc = ts_sys_trace(st->trace, TOKSIM_RULE_WMI_ANONYMOUS_REFUSED, TOKSIM_V_DENY, &ev);
    return rc != TOKSIM_OK ? rc : fail_call(st, TOKSIM_WBEM_E_ACCESS_DENIED);
}

/* The server process: WmiPrvSE per hosting model, or the caller's server token. */
static toksim_status setup_host(call_state *st)
{
    const toksim_com_call *c = st->call;
    toksim_builtin_account which;
    toksim_status rc;
    if (st->wmi && ts_wmi_builtin_for(&which, c->provider->hosting) == TOKSIM_OK) {
        rc = toksim_wmi_host_token(&st->host_owned, st->world, c->provider->hosting,
                                   st->trace, st->err);
        if (rc != TOKSIM_OK)
            return rc;
        st->host_tok = st->host_owned;
    } else {
        if (!c->server_token)
            return ts_error_set(
                st->err, TOKSIM_EINVAL, 0,
                "com call: a server token is needed (plain COM, SelfHost or "
                "decoupled provider)");
        st->host_tok = c->server_token;
        if (st->wmi) {
            ts_sys_ev ev = {.sid = toksim_token_user(st->host_tok),
                            .text = toksim_wmi_hosting_name(c->provider->hosting)};
            rc = ts_sys_trace(st->trace, TOKSIM_RULE_WMI_HOST, TOKSIM_V_INFO, &ev);
            if (rc != TOKSIM_OK)
                return rc;
        }
    }
    st->out->host_user = *toksim_token_user(st->host_tok);
    st->out->host_has_impersonate =
        toksim_token_privilege_enabled(st->host_tok, TOKSIM_PRIV_IMPERSONATE);
    st->wmi_tok = c->wmi_service_token; /* else built by need_wmi_tok() when used */
    if (st->host_owned) { /* the process takes the token built here (issue 11) */
        rc = ts_process_adopt(&st->proc, st->host_owned, st->call->options);
        st->host_owned = NULL;
    } else {
        rc = toksim_process_new(&st->proc, st->host_tok, st->call->options);
    }
    if (rc == TOKSIM_OK)
        rc = toksim_thread_new(&st->thread, st->proc);
    return rc;
}

/* WMI's own (LocalSystem) token, built on first use: most calls never act in WMI's
 * context, and a built-in logon changes nothing in the world (issue 11). */
static toksim_status need_wmi_tok(call_state *st)
{
    if (st->wmi_tok)
        return TOKSIM_OK;
    toksim_status rc = ts_wmi_service_token(&st->wmi_owned, st->world, NULL, st->err);
    if (rc == TOKSIM_OK)
        st->wmi_tok = st->wmi_owned;
    return rc;
}

/* Registration findings (§10.5.3). */
static toksim_status check_registration(call_state *st)
{
    const toksim_wmi_provider *p = st->call->provider;
    const char *name = p->name ? p->name : "(provider)";
    toksim_status rc = TOKSIM_OK;
    if (p->impersonation_level == 0) {
        if ((rc = need_wmi_tok(st)) != TOKSIM_OK)
            return rc;
        ts_sys_ev ev = {.sid = toksim_token_user(st->wmi_tok), .text = name};
        rc = ts_sys_trace(st->trace, TOKSIM_RULE_WMI_PROVIDER_LEVEL0, TOKSIM_V_INFO, &ev);
        if (rc == TOKSIM_OK)
            rc = ts_sys_finding(&st->out->findings, st->trace,
                                TOKSIM_RULE_FINDING_LEVEL0_PROVIDER, -1,
                                toksim_token_user(st->wmi_tok), st->client_user, name);
    } else if (!p->per_user_initialization) {
        rc = ts_sys_finding(&st->out->findings, st->trace,
                            TOKSIM_RULE_FINDING_PER_USER_INIT_MISSING, -1, NULL,
                            st->client_user, name);
    }
    return rc;
}

static void record(call_state *st, toksim_com_action_result *ar)
{
    const toksim_token *eff = toksim_thread_effective_token(st->thread);
    ar->impersonating = toksim_thread_is_impersonating(st->thread);
    ar->level = ar->impersonating ? toksim_token_level(eff) : TOKSIM_IMP_DELEGATION;
    ar->acting = *toksim_token_user(eff);
}

static toksim_status
do_impersonate(call_state *st, int step, toksim_com_action_result *ar)
{
    const toksim_com_call *c = st->call;
    toksim_client_conn conn;
    memset(&conn, 0, sizeof conn);
    conn.kind = TOKSIM_CONN_COM;
    conn.client = c->client;
    conn.remote = c->remote_client;
    conn.auth = c->remote_client ? c->client_auth : TOKSIM_AUTH_LOCAL;
    conn.server_trusted_for_delegation = c->server_trusted_for_delegation;
    conn.rpc_imp_level = (uint32_t)st->out->effective_client_level;
    conn.authn_level = (uint32_t)c->client_authn_level;
    conn.in_call = true;
    bool wmi_context = false;
    toksim_status rc;
    if (st->wmi && st->init_phase && c->provider->initialize_as_admin_first) {
        wmi_context = true;
        if ((rc = need_wmi_tok(st)) != TOKSIM_OK)
            return rc;
        ts_sys_ev ev = {.sid = toksim_token_user(st->wmi_tok)};
        rc = ts_sys_trace(st->trace, TOKSIM_RULE_WMI_INIT_AS_ADMIN, TOKSIM_V_INFO, &ev);
        if (rc != TOKSIM_OK)
            return rc;
    } else if (!st->passes_client) {
        wmi_context = true;
        if ((rc = need_wmi_tok(st)) != TOKSIM_OK)
            return rc;
    }
    if (wmi_context) { /* WMI calls the provider in its own context, at Impersonate */
        conn.client = st->wmi_tok;
        conn.rpc_imp_level = TOKSIM_RPC_C_IMP_LEVEL_IMPERSONATE;
    }
    toksim_imp_result ir;
    rc = toksim_co_impersonate_client(&ir, st->thread, &conn, st->trace);
    if (rc != TOKSIM_OK)
        return rc;
    ar->hresult = ir.hresult;
    ar->win32 = ir.win32;
    record(st, ar);
    if (!ir.ok) {
        ts_sys_ev ev = {.status = ir.hresult};
        rc = ts_sys_trace(st->trace, TOKSIM_RULE_COM_UNSECURE_CALL, TOKSIM_V_DENY, &ev);
        return rc != TOKSIM_OK ? rc : fail_call(st, ir.hresult);
    }
    st->reverted = false;
    ts_sys_ev ev = {.sid = &ar->acting, .a = ar->level};
    rc = ts_sys_trace(st->trace, TOKSIM_RULE_COM_IMPERSONATE, TOKSIM_V_INFO, &ev);
    if (rc != TOKSIM_OK || wmi_context)
        return rc;
    if (ir.downgraded)
        return ts_sys_finding(&st->out->findings, st->trace,
                              TOKSIM_RULE_FINDING_SILENT_IDENTIFY, step,
                              &st->out->host_user, st->client_user, NULL);
    if (ar->level < TOKSIM_IMP_IMPERSONATION && !st->identify_noted) {
        st->identify_noted = true;
        return ts_sys_finding(&st->out->findings, st->trace,
                              TOKSIM_RULE_FINDING_IDENTIFY_CLIENT, step, NULL,
                              st->client_user, NULL);
    }
    return TOKSIM_OK;
}

/* Work done on a client's behalf under another identity is a finding (SYSTEM: high). */
static toksim_status note_process_context(call_state *st,
                                          int step,
                                          const toksim_sid *acting,
                                          const char *object)
{
    if (!st->client_user || toksim_sid_equal(acting, st->client_user))
        return TOKSIM_OK;
    toksim_sid system = ts_sys_sid("S-1-5-18");
    toksim_rule r = toksim_sid_equal(acting, &system)
                        ? TOKSIM_RULE_FINDING_SYSTEM_CONTEXT
                        : TOKSIM_RULE_FINDING_PROCESS_CONTEXT;
    return ts_sys_finding(&st->out->findings, st->trace, r, step, acting, st->client_user,
                          object);
}

/* Open `a` from thread `th`; report per the provider's deny policy. */
static toksim_status open_from(call_state *st,
                               const toksim_thread *th,
                               const toksim_com_action *a,
                               toksim_com_action_result *ar)
{
    const char *name = a->object ? a->object : "(object)";
    toksim_sd *own = NULL;
    const toksim_sd *sd = a->sd;
    toksim_status rc;
    if (!sd) { /* no descriptor: owner/group SYSTEM, no DACL */
        rc = toksim_sd_new(&own);
        if (rc != TOKSIM_OK)
            return rc;
        own->has_owner = own->has_group = true;
        own->owner = own->group = ts_sys_sid("S-1-5-18");
        sd = own;
    }
    toksim_open_request orq;
    memset(&orq, 0, sizeof orq);
    orq.sd = sd;
    orq.name = name;
    orq.access.mode = TOKSIM_ACCESS_OPEN;
    orq.access.object_type = a->object_type;
    orq.access.desired = a->desired ? a->desired : TOKSIM_GENERIC_READ;
    toksim_open_result orr;
    rc = toksim_thread_open_object(&orr, th, &orq, st->trace);
    toksim_sd_free(own);
    if (rc != TOKSIM_OK)
        return rc;
    ar->win32 = orr.win32;
    ar->hresult = orr.ok ? TOKSIM_S_OK : orr.hresult;
    ar->granted = orr.granted;
    ar->acting = *toksim_token_user(toksim_thread_effective_token(th));
    ts_sys_ev ev = {
        .sid = &ar->acting, .text = name, .status = orr.win32, .mask = orr.granted};
    if (orr.ok)
        return ts_sys_trace(st->trace, TOKSIM_RULE_COM_OPEN_OK, TOKSIM_V_GRANT, &ev);
    rc = ts_sys_trace(st->trace, TOKSIM_RULE_COM_OPEN_FAILED, TOKSIM_V_DENY, &ev);
    if (rc != TOKSIM_OK)
        return rc;
    if (a->on_deny == TOKSIM_WMI_DENY_PARTIAL) {
        if (st->wmi && st->out->wbem == TOKSIM_WBEM_S_NO_ERROR)
            st->out->wbem = TOKSIM_WBEM_S_ACCESS_DENIED;
        return ts_sys_trace(st->trace, TOKSIM_RULE_WMI_RESULT_PARTIAL, TOKSIM_V_INFO,
                            &ev);
    }
    if (a->on_deny == TOKSIM_WMI_DENY_SILENT)
        return ts_sys_trace(st->trace, TOKSIM_RULE_WMI_RESULT_SILENT, TOKSIM_V_INFO, &ev);
    rc = ts_sys_trace(st->trace, TOKSIM_RULE_WMI_RESULT_DENIED, TOKSIM_V_DENY, &ev);
    return rc != TOKSIM_OK ? rc : fail_call(st, orr.hresult);
}

/* Reentrancy (§10.3.4): the nested work runs with the thread token, or WMI's account. */
static toksim_status do_call_wmi(call_state *st,
                                 int step,
                                 const toksim_com_action *a,
                                 toksim_com_action_result *ar)
{
    toksim_process *wproc = NULL;
    toksim_thread *wth = NULL;
    toksim_status rc = need_wmi_tok(st);
    if (rc == TOKSIM_OK)
        rc = toksim_process_new(&wproc, st->wmi_tok, st->call->options);
    if (rc == TOKSIM_OK)
        rc = toksim_thread_new(&wth, wproc);
    const toksim_token *th_tok = toksim_thread_token(st->thread);
    if (rc == TOKSIM_OK && th_tok) {
        toksim_imp_result ir;
        toksim_token_handle h = {th_tok, TOKSIM_TOKEN_ACCESS_IMPERSONATE |
                                             TOKSIM_TOKEN_ACCESS_QUERY};
        rc = toksim_set_thread_token(&ir, wth, &h, NULL);
    }
    if (rc != TOKSIM_OK)
        goto done;
    const toksim_sid *nested = toksim_token_user(toksim_thread_effective_token(wth));
    ts_sys_ev ev = {.sid = nested, .text = a->object};
    rc = ts_sys_trace(st->trace, TOKSIM_RULE_WMI_REENTRANT_CALL, TOKSIM_V_INFO, &ev);
    if (rc == TOKSIM_OK && !th_tok && st->reverted)
        rc = ts_sys_finding(&st->out->findings, st->trace,
                            TOKSIM_RULE_FINDING_REENTRANT_AFTER_REVERT, step, nested,
                            st->client_user, a->object);
    else if (rc == TOKSIM_OK)
        rc = note_process_context(st, step, nested, a->object);
    if (rc == TOKSIM_OK && a->sd) /* an object name alone only labels the call */
        rc = open_from(st, wth, a, ar);
    else if (rc == TOKSIM_OK)
        ar->acting = *nested;
    if (rc != TOKSIM_OK)
        goto done;
    /* Back in the provider: the thread carries WMI's context until re-impersonation. */
    toksim_imp_result rr;
    toksim_revert_to_self(&rr, st->thread, NULL);
    ev = (ts_sys_ev){.sid = &st->out->host_user};
    rc = ts_sys_trace(st->trace, TOKSIM_RULE_WMI_REENTRANT_RETURN, TOKSIM_V_CHANGE, &ev);
done:
    toksim_thread_free(wth);
    toksim_process_free(wproc);
    return rc;
}

static toksim_status run_action(call_state *st,
                                int step,
                                const toksim_com_action *a,
                                toksim_com_action_result *ar)
{
    toksim_status rc = TOKSIM_OK;
    switch (a->kind) {
    case TOKSIM_COM_IMPERSONATE:
        return do_impersonate(st, step, ar);
    case TOKSIM_COM_REVERT: {
        toksim_imp_result rr;
        bool was = toksim_thread_is_impersonating(st->thread);
        toksim_revert_to_self(&rr, st->thread, st->trace);
        if (was)
            st->reverted = true;
        record(st, ar);
        ts_sys_ev ev = {.sid = &ar->acting};
        return ts_sys_trace(st->trace, TOKSIM_RULE_COM_REVERT, TOKSIM_V_CHANGE, &ev);
    }
    case TOKSIM_COM_OPEN:
        rc = open_from(st, st->thread, a, ar);
        if (rc == TOKSIM_OK)
            rc = note_process_context(st, step, &ar->acting, a->object);
        if (rc == TOKSIM_OK) {
            toksim_sid acting = ar->acting;
            record(st, ar);
            ar->acting = acting;
        }
        return rc;
    case TOKSIM_COM_CALL_WMI:
        rc = do_call_wmi(st, step, a, ar);
        if (rc == TOKSIM_OK) {
            toksim_sid acting = ar->acting;
            record(st, ar);
            ar->acting = acting;
        }
        return rc;
    case TOKSIM_COM_INITIALIZE:
        st->init_phase = true;
        record(st, ar);
        return TOKSIM_OK;
    case TOKSIM_COM_INIT_DONE:
        st->init_phase = false;
        record(st, ar);
        return TOKSIM_OK;
    }
    return ts_error_set(st->err, TOKSIM_EINVAL, 0,
                        "com call: action %d has an unknown kind", step);
}

/* Namespace security before a provider runs (ts_wmi_namespace_check, wmi_connect.c). */
static toksim_status check_namespace(call_state *st)
{
    const toksim_com_call *c = st->call;
    bool ok = false;
    uint32_t granted = 0;
    toksim_status rc = ts_wmi_namespace_check(
        &ok, &granted, c->client, st->out->client_token_level, c->remote_client,
        c->namespace_sd, c->namespace_name, st->trace);
    if (rc != TOKSIM_OK || ok)
        return rc;
    st->stopped = true;
    st->out->wbem = TOKSIM_WBEM_E_ACCESS_DENIED;
    st->out->hresult = TOKSIM_WBEM_E_ACCESS_DENIED;
    return TOKSIM_OK;
}

static toksim_status run(call_state *st)
{
    const toksim_com_call *c = st->call;
    toksim_status rc = setup_host(st);
    if (rc == TOKSIM_OK && st->wmi)
        rc = check_registration(st);
    if (rc == TOKSIM_OK)
        rc = resolve_level(st);
    if (rc == TOKSIM_OK && st->wmi && c->namespace_sd && !st->stopped)
        rc = check_namespace(st);
    for (size_t i = 0; rc == TOKSIM_OK && i < c->action_count && !st->stopped; i++) {
        memset(&st->out->actions[i], 0, sizeof st->out->actions[i]);
        st->out->actions[i].level = TOKSIM_IMP_DELEGATION;
        rc = run_action(st, (int)i, &c->actions[i], &st->out->actions[i]);
        st->out->action_count = i + 1;
    }
    if (rc == TOKSIM_OK && !st->stopped) {
        /* COM reverts the thread when the call returns (CoImpersonateClient doc, §2.4.3).
         */
        st->out->hresult = st->wmi ? st->out->wbem : TOKSIM_S_OK;
    }
    st->out->ok = (st->out->hresult & 0x80000000u) == 0;
    return rc;
}

toksim_status toksim_com_call_run(toksim_com_result *out,
                                  toksim_world *world,
                                  const toksim_com_call *call,
                                  toksim_trace *trace,
                                  toksim_error *err)
{
    if (!out || !world || !call || !call->client)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "com call: missing result, world, call or client token");
    /* issue 11: the header and the findings' count only; an action's slot is cleared
     * when the action runs (the ~10 KiB of unused slots are never read). */
    memset(out, 0, offsetof(toksim_com_result, actions));
    out->findings.count = 0;
    out->findings.truncated = false;
    if (call->client_imp_level < 0 ||
        call->client_imp_level > (int)TOKSIM_RPC_C_IMP_LEVEL_DELEGATE)
        return ts_error_set(
            err, TOKSIM_EINVAL, 0,
            "com call: client impersonation level %d is not an RPC_C_IMP_LEVEL (0..4)",
            call->client_imp_level);
    if (call->action_count > TOKSIM_COM_MAX_ACTIONS ||
        (call->action_count && !call->actions))
        return ts_error_set(err, TOKSIM_ELIMIT, 0, "com call: more than %d actions",
                            TOKSIM_COM_MAX_ACTIONS);
    if (call->provider && call->provider->impersonation_level != 0 &&
        call->provider->impersonation_level != 1)
        return ts_error_set(
            err, TOKSIM_EINVAL, 0,
            "com call: provider ImpersonationLevel must be 0 or 1, not %d",
            call->provider->impersonation_level);
    call_state st;
    memset(&st, 0, sizeof st);
    st.call = call;
    st.out = out;
    st.world = world;
    st.trace = trace;
    st.err = err;
    st.wmi = call->provider != NULL;
    st.passes_client = !st.wmi || call->provider->impersonation_level == 1;
    st.client_user = toksim_token_user(call->client);
    out->wbem = TOKSIM_WBEM_S_NO_ERROR;
    toksim_status rc = run(&st);
    toksim_thread_free(st.thread);
    toksim_process_free(st.proc);
    toksim_token_free(st.host_owned);
    toksim_token_free(st.wmi_owned);
    return rc;
}
