/*
 * PURPOSE: every impersonation-layer rule is reported by the trace. Each test drives a
 * simulated Windows call (SetThreadToken, ImpersonateNamedPipeClient,
 * RpcImpersonateClient, OpenThreadToken, DuplicateTokenEx,
 * GetTokenInformation(TokenLinkedToken), AdjustTokenPrivileges, an object open, a network
 * hop) into the situation of one rule and asserts the Windows answer (BOOL / GetLastError
 * / level / token) and the trace event (stable id, verdict, key field). Behaviour alone
 * is tested in test_thread.c, test_duplicate.c, test_object_open.c, test_network.c.
 */
#include "imp_fixtures.h"
#include "../rules_helpers.h"

static toksim_trace g_tr;

static void setup(void)
{
    toksim_trace_init(&g_tr);
}

static void teardown(void)
{
    toksim_trace_dispose(&g_tr);
}

TestSuite(rules_imperson, .init = setup, .fini = teardown);

/* A server process holding SeImpersonatePrivilege (enabled) and one of its threads. */
static imp_world server(void)
{
    return imp_world_new(
        (tk_spec){.user = IMP_SID_SERVER, .imp_priv = IMP_PRIV_ENABLED, .auth_id = 0x100},
        NULL);
}

/* A client's impersonation token at `level`. */
static toksim_token *client_at(toksim_imp_level level)
{
    return tk((tk_spec){.impersonation = true, .level = level, .auth_id = 0x200});
}

static bool sid_is(const toksim_sid *s, const char *text)
{
    toksim_sid t = ts_test_sid(text);
    return toksim_sid_equal(s, &t);
}

/* ---- putting a token on a thread ---- */

Test(rules_imperson, set_thread_token_reports_check_and_assignment)
{
    imp_world w = server();
    toksim_token *c = client_at(TOKSIM_IMP_IMPERSONATION);
    toksim_token_handle h = {c, TOKSIM_TOKEN_ACCESS_ALL};
    toksim_imp_result r;
    ts_assert_ok(toksim_set_thread_token(&r, w.thread, &h, &g_tr), NULL);
    cr_assert(r.ok && r.impersonating);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    const toksim_trace_event *ev = ts_expect_rule(&g_tr, "imp.check", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && sid_is(&ev->sid, IMP_SID_SERVER), "the process user");
    cr_assert(ev->has_sid2 && sid_is(&ev->sid2, IMP_SID_CLIENT), "the client");
    cr_assert_eq(ev->a, TOKSIM_IMP_IMPERSONATION);
    ev = ts_expect_rule(&g_tr, "imp.assigned", TOKSIM_V_CHANGE);
    cr_assert(ev->has_sid2 && sid_is(&ev->sid2, IMP_SID_CLIENT));
    cr_assert_eq(ev->a, TOKSIM_IMP_IMPERSONATION);
    cr_assert_eq(ev->b, TOKSIM_IMP_IMPERSONATION);
    toksim_token_free(c);
    imp_world_free(&w);
}

Test(rules_imperson, set_thread_token_handle_access_and_token_type)
{
    imp_world w = server();
    toksim_token *c = client_at(TOKSIM_IMP_IMPERSONATION);
    toksim_token_handle h = {c, TOKSIM_TOKEN_ACCESS_QUERY};
    toksim_imp_result r;
    ts_assert_ok(toksim_set_thread_token(&r, w.thread, &h, &g_tr), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 5u, "I12: no TOKEN_IMPERSONATE on the handle");
    cr_assert_not(toksim_thread_is_impersonating(w.thread));
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "imp.handle_access", TOKSIM_V_DENY);
    cr_assert_eq(ev->mask, TOKSIM_TOKEN_ACCESS_IMPERSONATE);
    cr_assert_eq(ev->status, 5u);
    ts_expect_no_rule(&g_tr, "imp.assigned");
    /* I11: a primary token cannot be set on a thread */
    toksim_trace_clear(&g_tr);
    toksim_token *p = tk((tk_spec){0});
    toksim_token_handle hp = {p, TOKSIM_TOKEN_ACCESS_ALL};
    ts_assert_ok(toksim_set_thread_token(&r, w.thread, &hp, &g_tr), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 1349u, "ERROR_BAD_TOKEN_TYPE");
    ev = ts_expect_rule(&g_tr, "imp.bad_token_type", TOKSIM_V_DENY);
    cr_assert_eq(ev->status, 1349u);
    toksim_token_free(p);
    toksim_token_free(c);
    imp_world_free(&w);
}

Test(rules_imperson, anonymous_token_refused_to_restricted_process)
{
    imp_world w =
        imp_world_new((tk_spec){.user = IMP_SID_SERVER, .restricted = true}, NULL);
    toksim_imp_result r;
    ts_assert_ok(toksim_impersonate_anonymous_token(&r, w.thread, false, &g_tr), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 5u);
    cr_assert_eq(r.ntstatus, 0xC0000022u);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "imp.anonymous.restricted_process", TOKSIM_V_DENY);
    cr_assert(ev->has_sid && sid_is(&ev->sid, IMP_SID_SERVER));
    cr_assert_eq(ev->status, 5u);
    imp_world_free(&w);
}

/* ---- the server side ---- */

Test(rules_imperson, pipe_no_data_client_level_remote_level)
{
    imp_world w = server();
    toksim_token *c = tk((tk_spec){0}); /* the client's primary token */
    toksim_client_conn conn = {.kind = TOKSIM_CONN_NAMED_PIPE, .client = c};
    toksim_imp_result r;
    ts_assert_ok(toksim_impersonate_named_pipe_client(&r, w.thread, &conn, &g_tr), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 1368u, "ERROR_CANNOT_IMPERSONATE");
    cr_assert_eq(ts_expect_rule(&g_tr, "imp.pipe.no_data", TOKSIM_V_DENY)->status, 1368u);

    toksim_trace_clear(&g_tr);
    conn.data_read = true;
    conn.sqos_flags = TOKSIM_SECURITY_SQOS_PRESENT | TOKSIM_SECURITY_IDENTIFICATION;
    ts_assert_ok(toksim_impersonate_named_pipe_client(&r, w.thread, &conn, &g_tr), NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.level, TOKSIM_IMP_IDENTIFICATION, "the client allowed Identify only");
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "imp.client_level", TOKSIM_V_INFO);
    cr_assert_eq(ev->a, TOKSIM_IMP_IDENTIFICATION);
    ts_expect_no_rule(&g_tr, "imp.remote_level");

    /* §1.4: a remote client's SQOS flags are ignored; without delegation trust:
     * Impersonation */
    toksim_revert_to_self(&r, w.thread, NULL);
    toksim_trace_clear(&g_tr);
    conn.remote = true;
    conn.auth = TOKSIM_AUTH_NTLM;
    ts_assert_ok(toksim_impersonate_named_pipe_client(&r, w.thread, &conn, &g_tr), NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    ev = ts_expect_rule(&g_tr, "imp.remote_level", TOKSIM_V_INFO);
    cr_assert_eq(ev->a, TOKSIM_IMP_IMPERSONATION);
    toksim_token_free(c);
    imp_world_free(&w);
}

Test(rules_imperson, rpc_no_call_and_unauthenticated)
{
    imp_world w = server();
    toksim_token *c = tk((tk_spec){0});
    toksim_client_conn conn = {.kind = TOKSIM_CONN_RPC, .client = c};
    toksim_imp_result r;
    ts_assert_ok(toksim_rpc_impersonate_client(&r, w.thread, &conn, &g_tr), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 1725u, "RPC_S_NO_CALL_ACTIVE");
    cr_assert_eq(ts_expect_rule(&g_tr, "imp.rpc.no_call", TOKSIM_V_DENY)->status, 1725u);

    toksim_trace_clear(&g_tr);
    conn.in_call = true;
    conn.authn_level = TOKSIM_RPC_C_AUTHN_LEVEL_NONE;
    ts_assert_ok(toksim_rpc_impersonate_client(&r, w.thread, &conn, &g_tr), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 1765u, "RPC_S_NO_CONTEXT_AVAILABLE");
    cr_assert_eq(ts_expect_rule(&g_tr, "imp.rpc.unauthenticated", TOKSIM_V_DENY)->status,
                 1765u);

    /* the RPC level is reported by imp.client_level too */
    toksim_trace_clear(&g_tr);
    conn.authn_level = TOKSIM_RPC_C_AUTHN_LEVEL_CONNECT;
    conn.rpc_imp_level = TOKSIM_RPC_C_IMP_LEVEL_IMPERSONATE;
    ts_assert_ok(toksim_rpc_impersonate_client(&r, w.thread, &conn, &g_tr), NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "imp.client_level", TOKSIM_V_INFO);
    cr_assert_eq(ev->a, TOKSIM_IMP_IMPERSONATION);
    cr_assert_str_eq(ev->text, "RPC_C_IMP_LEVEL_IMPERSONATE");
    toksim_token_free(c);
    imp_world_free(&w);
}

/* ---- OpenThreadToken ---- */

Test(rules_imperson, open_thread_token_rules)
{
    imp_world w = server();
    toksim_imp_result r;
    toksim_token *t = NULL;
    ts_assert_ok(toksim_open_thread_token(&r, &t, w.thread, TOKSIM_TOKEN_ACCESS_QUERY,
                                          false, NULL, &g_tr),
                 NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 1008u, "ERROR_NO_TOKEN");
    cr_assert_null(t);
    cr_assert_eq(
        ts_expect_rule(&g_tr, "imp.open_thread_token.no_token", TOKSIM_V_DENY)->status,
        1008u);

    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_impersonate_self(&r, w.thread, TOKSIM_IMP_ANONYMOUS, NULL), NULL);
    ts_assert_ok(toksim_open_thread_token(&r, &t, w.thread, TOKSIM_TOKEN_ACCESS_QUERY,
                                          true, NULL, &g_tr),
                 NULL);
    cr_assert_eq(r.win32, 1347u, "ERROR_CANT_OPEN_ANONYMOUS even with OpenAsSelf");
    cr_assert_eq(
        ts_expect_rule(&g_tr, "imp.open_thread_token.anonymous", TOKSIM_V_DENY)->status,
        1347u);

    /* Identify level: OpenAsSelf=TRUE works (the process token opens it) ... */
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_impersonate_self(&r, w.thread, TOKSIM_IMP_IDENTIFICATION, NULL),
                 NULL);
    ts_assert_ok(toksim_open_thread_token(&r, &t, w.thread, TOKSIM_TOKEN_ACCESS_QUERY,
                                          true, NULL, &g_tr),
                 NULL);
    cr_assert(r.ok);
    cr_assert_not_null(t);
    cr_assert_eq(toksim_token_level(t), TOKSIM_IMP_IDENTIFICATION);
    toksim_token_free(t);
    t = NULL;
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "imp.open_thread_token.as_self", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && sid_is(&ev->sid, IMP_SID_SERVER));
    ev = ts_expect_rule(&g_tr, "imp.open.result",
                        TOKSIM_V_GRANT); /* the success is traced too */
    cr_assert(ev->has_sid);
    /* ... OpenAsSelf=FALSE fails with 1346 (I15) */
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_open_thread_token(&r, &t, w.thread, TOKSIM_TOKEN_ACCESS_QUERY,
                                          false, NULL, &g_tr),
                 NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 1346u);
    ev = ts_expect_rule(&g_tr, "imp.open.bad_impersonation_level", TOKSIM_V_DENY);
    cr_assert_eq(ev->status, 1346u);
    cr_assert_eq(ev->a, TOKSIM_IMP_IDENTIFICATION);

    /* the token object's DACL refuses: imp.open.result, denied */
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_impersonate_self(&r, w.thread, TOKSIM_IMP_IMPERSONATION, NULL),
                 NULL);
    toksim_sd *sd = imp_sd_allow(IMP_SID_OTHER, TOKSIM_TOKEN_ACCESS_ALL);
    ts_assert_ok(toksim_open_thread_token(&r, &t, w.thread, TOKSIM_TOKEN_ACCESS_QUERY,
                                          false, sd, &g_tr),
                 NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 5u);
    ev = ts_expect_rule(&g_tr, "imp.open.result", TOKSIM_V_DENY);
    cr_assert_eq(ev->mask, TOKSIM_TOKEN_ACCESS_QUERY);
    cr_assert_eq(ev->status, 5u);
    toksim_sd_free(sd);
    imp_world_free(&w);
}

/* ---- DuplicateTokenEx ---- */

Test(rules_imperson, duplicate_rules)
{
    toksim_token *ident = client_at(TOKSIM_IMP_IDENTIFICATION);
    toksim_token_handle h = {ident, TOKSIM_TOKEN_ACCESS_ALL};
    toksim_imp_result r;
    toksim_token *out = NULL;
    /* I16: never above the source level */
    ts_assert_ok(toksim_duplicate_token_ex(&r, &out, &h, TOKSIM_TOKEN_IMPERSONATION,
                                           TOKSIM_IMP_IMPERSONATION, &g_tr),
                 NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 1346u);
    cr_assert_null(out);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "imp.duplicate.raise_level", TOKSIM_V_DENY);
    cr_assert_eq(ev->a, TOKSIM_IMP_IDENTIFICATION);
    cr_assert_eq(ev->b, TOKSIM_IMP_IMPERSONATION);
    cr_assert_eq(ev->status, 1346u);
    /* I17: impersonation -> primary needs >= Impersonation, whatever level is asked */
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_duplicate_token_ex(&r, &out, &h, TOKSIM_TOKEN_PRIMARY,
                                           TOKSIM_IMP_ANONYMOUS, &g_tr),
                 NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 1346u);
    ev = ts_expect_rule(&g_tr, "imp.duplicate.primary_needs_impersonate", TOKSIM_V_DENY);
    cr_assert_eq(ev->a, TOKSIM_IMP_IDENTIFICATION);
    /* lowering is fine */
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_duplicate_token_ex(&r, &out, &h, TOKSIM_TOKEN_IMPERSONATION,
                                           TOKSIM_IMP_ANONYMOUS, &g_tr),
                 NULL);
    cr_assert(r.ok);
    cr_assert_not_null(out);
    cr_assert_eq(toksim_token_level(out), TOKSIM_IMP_ANONYMOUS);
    ev = ts_expect_rule(&g_tr, "imp.duplicate.ok", TOKSIM_V_GRANT);
    cr_assert_eq(ev->a, TOKSIM_IMP_IDENTIFICATION);
    cr_assert_eq(ev->b, TOKSIM_IMP_ANONYMOUS);
    cr_assert(ev->has_sid2 && sid_is(&ev->sid2, IMP_SID_CLIENT));
    toksim_token_free(out);
    /* missing TOKEN_DUPLICATE */
    toksim_trace_clear(&g_tr);
    h.access = TOKSIM_TOKEN_ACCESS_QUERY;
    ts_assert_ok(toksim_duplicate_token_ex(&r, &out, &h, TOKSIM_TOKEN_IMPERSONATION,
                                           TOKSIM_IMP_ANONYMOUS, &g_tr),
                 NULL);
    cr_assert_eq(r.win32, 5u);
    cr_assert_eq(ts_expect_rule(&g_tr, "imp.handle_access", TOKSIM_V_DENY)->mask,
                 TOKSIM_TOKEN_ACCESS_DUPLICATE);
    toksim_token_free(ident);
}

/* ---- GetTokenInformation(TokenLinkedToken) ---- */

Test(rules_imperson, linked_token_rules)
{
    toksim_token *caller = tk((tk_spec){.user = IMP_SID_SERVER});
    toksim_token *lim = tk((tk_spec){0});
    toksim_imp_result r;
    toksim_token *out = NULL;
    toksim_token_handle h = {lim, TOKSIM_TOKEN_ACCESS_QUERY};
    ts_assert_ok(toksim_get_linked_token(&r, &out, caller, &h, NULL, &g_tr), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 1312u);
    cr_assert_null(out);
    cr_assert_eq(ts_expect_rule(&g_tr, "imp.linked_token.none", TOKSIM_V_DENY)->status,
                 1312u);

    toksim_token_set_linked(lim, tk((tk_spec){.il = TOKSIM_IL_HIGH, .elevated = true}));
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_get_linked_token(&r, &out, caller, &h, NULL, &g_tr), NULL);
    cr_assert(r.ok);
    cr_assert_eq(toksim_token_type_of(out), TOKSIM_TOKEN_IMPERSONATION);
    cr_assert_eq(toksim_token_level(out), TOKSIM_IMP_IDENTIFICATION,
                 "no SeTcbPrivilege: Identify copy");
    toksim_token_free(out);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "imp.linked_token.identify", TOKSIM_V_CHANGE);
    cr_assert_eq(ev->privilege, TOKSIM_PRIV_TCB);
    cr_assert(ev->has_sid && sid_is(&ev->sid, IMP_SID_SERVER));
    ts_expect_no_rule(&g_tr, "imp.linked_token.primary");

    ts_assert_ok(
        toksim_token_set_privilege(caller, TOKSIM_PRIV_TCB, TOKSIM_SE_PRIVILEGE_ENABLED),
        NULL);
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_get_linked_token(&r, &out, caller, &h, NULL, &g_tr), NULL);
    cr_assert(r.ok);
    cr_assert_eq(toksim_token_type_of(out), TOKSIM_TOKEN_PRIMARY);
    cr_assert_eq(toksim_token_integrity(out), TOKSIM_IL_HIGH);
    toksim_token_free(out);
    ev = ts_expect_rule(&g_tr, "imp.linked_token.primary", TOKSIM_V_GRANT);
    cr_assert_eq(ev->privilege, TOKSIM_PRIV_TCB);
    ts_expect_no_rule(&g_tr, "imp.linked_token.identify");
    toksim_token_free(lim);
    toksim_token_free(caller);
}

/* ---- AdjustTokenPrivileges ---- */

static bool has_priv_event(const char *id, int verdict, uint32_t luid)
{
    toksim_rule rule = ts_rule(id);
    for (size_t i = 0; i < g_tr.count; i++)
        if (g_tr.events[i].rule == rule && (int)g_tr.events[i].verdict == verdict &&
            g_tr.events[i].privilege == luid)
            return true;
    return false;
}

Test(rules_imperson, adjust_rules)
{
    toksim_token *t = tk((tk_spec){.imp_priv = IMP_PRIV_DISABLED});
    ts_assert_ok(toksim_token_set_privilege(t, TOKSIM_PRIV_SHUTDOWN, 0), NULL);
    toksim_priv_change ch[] = {
        {"SeImpersonatePrivilege", 0, TOKSIM_SE_PRIVILEGE_ENABLED},
        {"SeChangeNotifyPrivilege", 0, 0},
        {NULL, TOKSIM_PRIV_SHUTDOWN, TOKSIM_SE_PRIVILEGE_REMOVED},
        {"SeDebugPrivilege", 0, TOKSIM_SE_PRIVILEGE_ENABLED},
    };
    toksim_imp_result r;
    ts_assert_ok(toksim_adjust_token_privileges(&r, t, TOKSIM_TOKEN_ACCESS_ALL, false, ch,
                                                4, NULL, &g_tr),
                 NULL);
    cr_assert(r.ok, "partial success is still TRUE");
    cr_assert_eq(r.win32, 1300u, "ERROR_NOT_ALL_ASSIGNED");
    cr_assert(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    cr_assert_not(toksim_token_privilege_enabled(t, TOKSIM_PRIV_CHANGE_NOTIFY));
    cr_assert_eq(toksim_token_privilege(t, TOKSIM_PRIV_SHUTDOWN), -1);
    cr_assert_eq(toksim_token_privilege(t, TOKSIM_PRIV_DEBUG), -1);
    cr_assert(
        has_priv_event("imp.adjust.enabled", TOKSIM_V_CHANGE, TOKSIM_PRIV_IMPERSONATE));
    cr_assert(has_priv_event("imp.adjust.disabled", TOKSIM_V_CHANGE,
                             TOKSIM_PRIV_CHANGE_NOTIFY));
    cr_assert(
        has_priv_event("imp.adjust.removed", TOKSIM_V_CHANGE, TOKSIM_PRIV_SHUTDOWN));
    cr_assert(has_priv_event("imp.adjust.not_held", TOKSIM_V_SKIP, TOKSIM_PRIV_DEBUG));
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "imp.adjust.not_all_assigned", TOKSIM_V_INFO);
    cr_assert_eq(ev->a, 1);
    cr_assert_eq(ev->status, 1300u);

    /* DisableAllPrivileges */
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_adjust_token_privileges(&r, t,
                                                TOKSIM_TOKEN_ACCESS_ADJUST_PRIVILEGES,
                                                true, NULL, 0, NULL, &g_tr),
                 NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.win32, 0u);
    cr_assert_not(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    ts_expect_rule(&g_tr, "imp.adjust.disable_all", TOKSIM_V_CHANGE);
    ts_expect_no_rule(&g_tr, "imp.adjust.not_all_assigned");

    /* the UNCONFIRMED integrity minimum: a Medium token cannot enable
     * SeImpersonatePrivilege */
    toksim_trace_clear(&g_tr);
    toksim_imp_options o;
    toksim_imp_options_init(&o);
    o.privilege_integrity_minimum = true;
    toksim_priv_change en = {"SeImpersonatePrivilege", 0, TOKSIM_SE_PRIVILEGE_ENABLED};
    ts_assert_ok(toksim_adjust_token_privileges(&r, t, TOKSIM_TOKEN_ACCESS_ALL, false,
                                                &en, 1, &o, &g_tr),
                 NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.win32, 1300u);
    cr_assert_not(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    ev = ts_expect_rule(&g_tr, "imp.adjust.integrity_minimum", TOKSIM_V_DENY);
    cr_assert_eq(ev->privilege, TOKSIM_PRIV_IMPERSONATE);
    cr_assert_eq(ev->a, TOKSIM_IL_MEDIUM);
    cr_assert_eq(ev->b, TOKSIM_IL_HIGH);
    toksim_token_free(t);
}

/* ---- opening objects ---- */

Test(rules_imperson, object_open_rules)
{
    imp_world w = server();
    toksim_sd *sd = imp_sd_allow(IMP_SID_CLIENT, 0x1F01FF);
    toksim_open_request req = {.sd = sd, .name = "report.xlsx"};
    req.access.desired = 0x1; /* FILE_READ_DATA */
    toksim_open_result o;
    /* not impersonating: the process token (the server, not in the DACL) */
    ts_assert_ok(toksim_thread_open_object(&o, w.thread, &req, &g_tr), NULL);
    cr_assert_not(o.ok);
    cr_assert_eq(o.win32, 5u);
    cr_assert_not(o.used_thread_token);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "imp.open.process_token", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && sid_is(&ev->sid, IMP_SID_SERVER));
    cr_assert_str_eq(ev->text, "report.xlsx");
    ev = ts_expect_rule(&g_tr, "imp.open.result", TOKSIM_V_DENY);
    cr_assert_eq(ev->status, 5u);
    ts_expect_no_rule(&g_tr, "imp.open.effective_token");

    /* impersonating the client: its token decides */
    toksim_token *c = client_at(TOKSIM_IMP_IMPERSONATION);
    toksim_token_handle h = {c, TOKSIM_TOKEN_ACCESS_ALL};
    toksim_imp_result r;
    ts_assert_ok(toksim_set_thread_token(&r, w.thread, &h, NULL), NULL);
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_thread_open_object(&o, w.thread, &req, &g_tr), NULL);
    cr_assert(o.ok);
    cr_assert(o.used_thread_token);
    cr_assert_eq(o.granted, 0x1u);
    ev = ts_expect_rule(&g_tr, "imp.open.effective_token", TOKSIM_V_INFO);
    cr_assert(ev->has_sid2 && sid_is(&ev->sid2, IMP_SID_CLIENT));
    cr_assert_eq(ev->a, TOKSIM_IMP_IMPERSONATION);
    ev = ts_expect_rule(&g_tr, "imp.open.result", TOKSIM_V_GRANT);
    cr_assert_eq(ev->mask, 0x1u);
    ts_expect_no_rule(&g_tr, "imp.open.process_token");

    /* an Identify-level thread token cannot open objects: 1346 / 0x80070542 */
    toksim_token_free(c);
    c = client_at(TOKSIM_IMP_IDENTIFICATION);
    h.token = c;
    ts_assert_ok(toksim_set_thread_token(&r, w.thread, &h, NULL), NULL);
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_thread_open_object(&o, w.thread, &req, &g_tr), NULL);
    cr_assert_not(o.ok);
    cr_assert_eq(o.win32, 1346u);
    cr_assert_eq(o.hresult, 0x80070542u);
    ev = ts_expect_rule(&g_tr, "imp.open.bad_impersonation_level", TOKSIM_V_DENY);
    cr_assert_eq(ev->a, TOKSIM_IMP_IDENTIFICATION);
    cr_assert_eq(ev->b, TOKSIM_IMP_IMPERSONATION);
    cr_assert_eq(ev->status, 1346u);
    ts_expect_no_rule(&g_tr, "imp.open.result");
    toksim_token_free(c);
    toksim_sd_free(sd);
    imp_world_free(&w);
}

/* ---- network hops ---- */

static toksim_hop_result hop_as(imp_world *w,
                                toksim_token *client,
                                const toksim_hop_request *req,
                                const toksim_imp_options *opts)
{
    (void)opts;
    toksim_imp_result r;
    if (client) {
        toksim_token_handle h = {client, TOKSIM_TOKEN_ACCESS_ALL};
        ts_assert_ok(toksim_set_thread_token(&r, w->thread, &h, NULL), NULL);
    }
    toksim_hop_result out;
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_network_hop(&out, w->thread, req, &g_tr), NULL);
    return out;
}

Test(rules_imperson, hop_identify_not_delegable_spn_fails)
{
    imp_world w = server();
    toksim_hop_request req = {.client_auth = TOKSIM_AUTH_KERBEROS,
                              .target_spn = "cifs/fs01.contoso.com"};
    toksim_token *ident = client_at(TOKSIM_IMP_IDENTIFICATION);
    toksim_hop_result o = hop_as(&w, ident, &req, NULL);
    cr_assert_eq(o.identity, TOKSIM_HOP_FAILED);
    cr_assert_eq(o.win32, 1346u);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "imp.hop.identify_level", TOKSIM_V_DENY);
    cr_assert_eq(ev->a, TOKSIM_IMP_IDENTIFICATION);
    cr_assert_eq(ev->status, 1346u);

    toksim_token *deleg = client_at(TOKSIM_IMP_DELEGATION);
    req.client_sensitive = true;
    req.server_delegation = TOKSIM_DELEGATION_UNCONSTRAINED;
    o = hop_as(&w, deleg, &req, NULL);
    cr_assert_eq(o.identity, TOKSIM_HOP_ANONYMOUS,
                 "a sensitive account is never delegated");
    ev = ts_expect_rule(&g_tr, "imp.hop.not_delegable", TOKSIM_V_DENY);
    cr_assert(ev->has_sid2 && sid_is(&ev->sid2, IMP_SID_CLIENT));

    const char *spns[] = {"http/other.contoso.com"};
    req.client_sensitive = false;
    req.server_delegation = TOKSIM_DELEGATION_CONSTRAINED;
    req.allowed_spns = spns;
    req.allowed_spn_count = 1;
    o = hop_as(&w, deleg, &req, NULL);
    cr_assert_eq(o.identity, TOKSIM_HOP_ANONYMOUS);
    ev = ts_expect_rule(&g_tr, "imp.hop.spn_not_allowed", TOKSIM_V_DENY);
    cr_assert_str_eq(ev->text, "cifs/fs01.contoso.com");
    toksim_token_free(deleg);
    toksim_token_free(ident);
    imp_world_free(&w);

    /* NTLM double hop with ntlm_hop_fails: the connection fails with 5 */
    toksim_imp_options opts;
    toksim_imp_options_init(&opts);
    opts.ntlm_hop_fails = true;
    w = imp_world_new(
        (tk_spec){.user = IMP_SID_SERVER, .imp_priv = IMP_PRIV_ENABLED, .auth_id = 0x100},
        &opts);
    toksim_token *imp = client_at(TOKSIM_IMP_IMPERSONATION);
    toksim_hop_request ntlm = {.client_auth = TOKSIM_AUTH_NTLM};
    o = hop_as(&w, imp, &ntlm, NULL);
    cr_assert_eq(o.identity, TOKSIM_HOP_FAILED);
    cr_assert_not(o.ok);
    cr_assert_eq(o.win32, 5u);
    ev = ts_expect_rule(&g_tr, "imp.hop.fails", TOKSIM_V_DENY);
    cr_assert_eq(ev->status, 5u);
    cr_assert(ev->has_sid2 && sid_is(&ev->sid2, IMP_SID_CLIENT));
    toksim_token_free(imp);
    imp_world_free(&w);
}

Test(rules_imperson, hop_process_identities)
{
    toksim_sid machine = ts_test_sid("S-1-5-21-1111-2222-3333-1001");
    toksim_hop_request req = {.client_auth = TOKSIM_AUTH_NTLM,
                              .machine_account = &machine};

    /* ImpersonateSelf: the thread token is of the process's own logon session */
    imp_world w = server();
    toksim_imp_result r;
    ts_assert_ok(toksim_impersonate_self(&r, w.thread, TOKSIM_IMP_IMPERSONATION, NULL),
                 NULL);
    toksim_hop_result o = hop_as(&w, NULL, &req, NULL);
    cr_assert_eq(o.identity, TOKSIM_HOP_PROCESS_USER);
    cr_assert(o.has_sid && sid_is(&o.sid, IMP_SID_SERVER));
    ts_expect_rule(&g_tr, "imp.hop.own_session", TS_V_ANY);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "imp.hop.process_user", TOKSIM_V_GRANT);
    cr_assert(ev->has_sid && sid_is(&ev->sid, IMP_SID_SERVER));
    /* a process whose logon session holds no credentials goes out anonymously */
    toksim_revert_to_self(&r, w.thread, NULL);
    req.process_without_credentials = true;
    o = hop_as(&w, NULL, &req, NULL);
    cr_assert_eq(o.identity, TOKSIM_HOP_ANONYMOUS);
    cr_assert(o.has_sid && sid_is(&o.sid, "S-1-5-7"));
    ts_expect_rule(&g_tr, "imp.hop.no_credentials", TOKSIM_V_GRANT);
    ts_expect_no_rule(&g_tr, "imp.hop.process_user");
    imp_world_free(&w);

    /* NETWORK SERVICE goes out as DOMAIN\MACHINE$ */
    w = imp_world_new((tk_spec){.user = "S-1-5-20"}, NULL);
    o = hop_as(&w, NULL, &req, NULL);
    cr_assert_eq(o.identity, TOKSIM_HOP_MACHINE);
    cr_assert(o.has_sid && toksim_sid_equal(&o.sid, &machine));
    ev = ts_expect_rule(&g_tr, "imp.hop.machine_account", TOKSIM_V_GRANT);
    cr_assert(ev->has_sid2 && toksim_sid_equal(&ev->sid2, &machine));
    imp_world_free(&w);

    /* LOCAL SERVICE goes out anonymously */
    w = imp_world_new((tk_spec){.user = "S-1-5-19"}, NULL);
    o = hop_as(&w, NULL, &req, NULL);
    cr_assert_eq(o.identity, TOKSIM_HOP_ANONYMOUS);
    ev = ts_expect_rule(&g_tr, "imp.hop.anonymous_account", TOKSIM_V_GRANT);
    cr_assert(ev->has_sid && sid_is(&ev->sid, "S-1-5-19"));
    imp_world_free(&w);
}
