/*
 * PURPOSE: every systems-layer rule (SCM, IIS, COM/WMI) is reported by the trace. Each
 * test starts a service / an app pool / a request / a COM or WMI call in the situation of
 * one rule and asserts the Windows outcome (started, HTTP status, HRESULT/WBEM code,
 * token content) and the trace event (stable id, verdict, key field). Behaviour alone is
 * tested in test_scm.c, test_iis.c, test_wmi.c.
 */
#include <stdio.h>
#include "../rules_helpers.h"

static toksim_trace g_tr;
static toksim_world *g_w;

static void setup(void)
{
    toksim_trace_init(&g_tr);
    toksim_error e = {0};
    toksim_status rc = toksim_world_new(&g_w, "WEB01", NULL, "server", &e);
    cr_assert(rc == TOKSIM_OK, "world: %s", e.message);
}

static void teardown(void)
{
    toksim_trace_dispose(&g_tr);
    toksim_world_free(g_w);
}

TestSuite(rules_systems, .init = setup, .fini = teardown);

static bool sid_is(const toksim_sid *s, const char *text)
{
    toksim_sid t = ts_test_sid(text);
    return toksim_sid_equal(s, &t);
}

static toksim_sid add_user(const char *name, const char *password)
{
    toksim_account spec;
    memset(&spec, 0, sizeof spec);
    spec.kind = TOKSIM_ACCOUNT_USER;
    spec.scope = TOKSIM_SCOPE_MACHINE;
    spec.name = name;
    spec.password = password;
    toksim_sid sid;
    toksim_error e = {0};
    toksim_status rc = toksim_world_add_account(g_w, &spec, &sid, &e);
    cr_assert(rc == TOKSIM_OK, "%s: %s", name, e.message);
    return sid;
}

/* ==== SCM ==== */

static toksim_token *svc_start(const char *name,
                               toksim_service_account acct,
                               toksim_service_sid_type type,
                               toksim_service_result *res)
{
    toksim_service_config cfg = {name, acct, NULL, NULL, type, NULL, 0};
    toksim_token *tok = NULL;
    toksim_error e = {0};
    toksim_trace_clear(&g_tr);
    toksim_status rc = toksim_service_start(res, &tok, g_w, &cfg, &g_tr, &e);
    cr_assert(rc == TOKSIM_OK, "service %s: %s", name, e.message);
    cr_assert(res->started, "service %s did not start (%u)", name, res->win32);
    return tok;
}

Test(rules_systems, scm_virtual_account_logon_sid_local_started)
{
    toksim_service_result res;
    toksim_token *tok = svc_start("MSSQLSERVER", TOKSIM_SVC_VIRTUAL,
                                  TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED, &res);
    cr_assert(toksim_sid_equal(toksim_token_user(tok), &res.service_sid),
              "runs as NT SERVICE\\MSSQLSERVER");
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "scm.virtual_account", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &res.service_sid));
    cr_assert_str_eq(ev->text, "MSSQLSERVER");
    /* the logon SID the SCM reports is the token's logon SID */
    ev = ts_expect_rule(&g_tr, "scm.logon_sid", TOKSIM_V_CHANGE);
    const toksim_group *g = toksim_token_find_group(tok, &ev->sid);
    cr_assert_not_null(g, "the reported logon SID is in the token");
    cr_assert_eq(g->attributes & TOKSIM_SE_GROUP_LOGON_ID, TOKSIM_SE_GROUP_LOGON_ID);
    ev = ts_expect_rule(&g_tr, "scm.group.local", TOKSIM_V_CHANGE);
    cr_assert(ev->has_sid && sid_is(&ev->sid, "S-1-2-0"));
    toksim_sid local = ts_test_sid("S-1-2-0");
    cr_assert_not_null(toksim_token_find_group(tok, &local));
    ev = ts_expect_rule(&g_tr, "scm.started", TOKSIM_V_GRANT);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &res.user));
    toksim_token_free(tok);
}

Test(rules_systems, scm_service_sid_none_and_restricted)
{
    toksim_service_result res;
    toksim_token *tok = svc_start("NoSidSvc", TOKSIM_SVC_NETWORK_SERVICE,
                                  TOKSIM_SERVICE_SID_TYPE_NONE, &res);
    cr_assert_null(toksim_token_find_group(tok, &res.service_sid),
                   "SERVICE_SID_TYPE_NONE: no service SID");
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "scm.service_sid.none", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &res.service_sid));
    cr_assert_eq(ev->b, TOKSIM_SERVICE_SID_TYPE_NONE);
    ts_expect_no_rule(&g_tr, "scm.service_sid.restricted");
    ts_expect_no_rule(&g_tr, "scm.virtual_account");
    toksim_token_free(tok);

    tok = svc_start("RSvc", TOKSIM_SVC_LOCAL_SERVICE, TOKSIM_SERVICE_SID_TYPE_RESTRICTED,
                    &res);
    cr_assert(toksim_token_is_restricted(tok));
    cr_assert(toksim_token_is_write_restricted(tok));
    cr_assert_not_null(toksim_token_find_group(tok, &res.service_sid));
    ev = ts_expect_rule(&g_tr, "scm.service_sid.restricted", TOKSIM_V_CHANGE);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &res.service_sid));
    cr_assert_eq(ev->b, TOKSIM_SERVICE_SID_TYPE_RESTRICTED);
    ts_expect_no_rule(&g_tr, "scm.service_sid.none");
    toksim_token_free(tok);
}

/* ==== IIS ==== */

#define IIS_SID_IIS_IUSRS "S-1-5-32-568"

static void iis_setup_rights(void)
{
    toksim_sid iusrs = ts_test_sid(IIS_SID_IIS_IUSRS);
    cr_assert(toksim_policy_grant(toksim_world_policy(g_w), TOKSIM_PRIV_IMPERSONATE,
                                  &iusrs) == TOKSIM_OK);
    cr_assert(toksim_policy_grant(toksim_world_policy(g_w), TOKSIM_RIGHT_BATCH_LOGON,
                                  &iusrs) == TOKSIM_OK);
}

static toksim_iis_pool *pool_start(const char *name,
                                   toksim_iis_identity id,
                                   const char *user,
                                   bool manual,
                                   toksim_iis_pool_result *res)
{
    toksim_iis_pool_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.name = name;
    cfg.identity = id;
    cfg.user_name = user;
    cfg.manual_group_membership = manual;
    toksim_iis_pool *p = NULL;
    toksim_error e = {0};
    toksim_trace_clear(&g_tr);
    toksim_status rc = toksim_iis_pool_start(&p, res, g_w, &cfg, &g_tr, &e);
    cr_assert(rc == TOKSIM_OK, "pool %s: %s", name, e.message);
    cr_assert_not_null(p);
    return p;
}

static toksim_iis_response iis_run(toksim_iis_pool *p, const toksim_iis_request *req)
{
    toksim_iis_response r;
    toksim_error e = {0};
    toksim_trace_clear(&g_tr);
    toksim_status rc = toksim_iis_request_run(&r, p, g_w, req, &g_tr, &e);
    cr_assert(rc == TOKSIM_OK, "request: %s", e.message);
    return r;
}

Test(rules_systems, iis_apppool_identity_pool_start)
{
    iis_setup_rights();
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        pool_start("DefaultAppPool", TOKSIM_IIS_APPPOOL_IDENTITY, NULL, false, &res);
    cr_assert(res.started);
    cr_assert(toksim_sid_equal(&res.user, &res.pool_sid),
              "the worker runs as IIS APPPOOL\\DefaultAppPool");
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "iis.pool.identity", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &res.pool_sid));
    cr_assert_eq(ev->a, TOKSIM_LOGON_SERVICE);
    cr_assert_str_eq(ev->text, "DefaultAppPool");
    ev = ts_expect_rule(&g_tr, "iis.pool.logon", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &res.pool_sid));
    cr_assert_eq(ev->a, TOKSIM_LOGON_SERVICE, "a virtual account logs on as a service");
    ev = ts_expect_rule(&g_tr, "iis.pool.service_right_added", TOKSIM_V_CHANGE);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &res.pool_sid));
    cr_assert(toksim_policy_has(toksim_world_policy_const(g_w),
                                TOKSIM_RIGHT_SERVICE_LOGON, &res.pool_sid),
              "WAS granted the virtual account SeServiceLogonRight");
    ev = ts_expect_rule(&g_tr, "iis.pool.inject_pool_sid", TOKSIM_V_CHANGE);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &res.pool_sid));
    ev = ts_expect_rule(&g_tr, "iis.pool.started", TOKSIM_V_GRANT);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &res.user));
    ts_expect_no_rule(&g_tr, "iis.pool.manual_group_membership");
    toksim_iis_pool_free(p);
}

Test(rules_systems, iis_manual_group_membership_and_injected_pool_sid)
{
    iis_setup_rights();
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        pool_start("NsPool", TOKSIM_IIS_NETWORK_SERVICE, NULL, true, &res);
    cr_assert(res.started);
    const toksim_token *tok = toksim_iis_pool_token(p);
    toksim_sid iusrs = ts_test_sid(IIS_SID_IIS_IUSRS);
    cr_assert_null(toksim_token_find_group(tok, &iusrs),
                   "manualGroupMembership: IIS_IUSRS not injected");
    cr_assert_not_null(toksim_token_find_group(tok, &res.pool_sid),
                       "the pool SID is injected as a group");
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "iis.pool.manual_group_membership", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && sid_is(&ev->sid, "S-1-5-20"));
    cr_assert_str_eq(ev->text, "NsPool");
    ev = ts_expect_rule(&g_tr, "iis.pool.inject_pool_sid", TOKSIM_V_CHANGE);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &res.pool_sid));
    ts_expect_no_rule(&g_tr, "iis.pool.service_right_added");
    toksim_iis_pool_free(p);
}

Test(rules_systems, iis_request_on_stopped_pool_is_503)
{
    /* a specific user without SeBatchLogonRight: the pool does not start */
    add_user("mbam_iis", "pw");
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        pool_start("MBAM", TOKSIM_IIS_SPECIFIC_USER, "mbam_iis", false, &res);
    cr_assert_not(res.started);
    cr_assert_eq(res.logon_win32, 1385u, "ERROR_LOGON_TYPE_NOT_GRANTED");
    const toksim_trace_event *lev =
        ts_expect_rule(&g_tr, "iis.pool.logon", TOKSIM_V_INFO);
    cr_assert_eq(lev->a, TOKSIM_LOGON_BATCH, "a specific account logs on as a batch job");
    toksim_iis_request req;
    memset(&req, 0, sizeof req);
    req.auth = TOKSIM_IIS_AUTH_ANONYMOUS;
    toksim_iis_response r = iis_run(p, &req);
    cr_assert_eq(r.http_status, 503);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "iis.request.pool_stopped", TOKSIM_V_DENY);
    cr_assert_str_eq(ev->text, "MBAM");
    ts_expect_no_rule(&g_tr, "iis.auth.anonymous");
    toksim_iis_pool_free(p);
}

Test(rules_systems, iis_authentication_rules)
{
    iis_setup_rights();
    toksim_sid alice = add_user("alice", "alicepw");
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        pool_start("DefaultAppPool", TOKSIM_IIS_APPPOOL_IDENTITY, NULL, false, &res);
    cr_assert(res.started);
    toksim_iis_request req;
    memset(&req, 0, sizeof req);
    req.path = "C:\\inetpub\\wwwroot\\index.html";

    req.auth = TOKSIM_IIS_AUTH_ANONYMOUS;
    toksim_iis_response r = iis_run(p, &req);
    cr_assert_eq(r.http_status, 200);
    cr_assert(sid_is(&r.request_user, "S-1-5-17"), "IUSR");
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "iis.auth.anonymous", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && sid_is(&ev->sid, "S-1-5-17"));

    req.auth = TOKSIM_IIS_AUTH_WINDOWS;
    req.user = "alice";
    r = iis_run(p, &req);
    cr_assert_eq(r.http_status, 200);
    cr_assert(toksim_sid_equal(&r.request_user, &alice));
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    ev = ts_expect_rule(&g_tr, "iis.auth.windows", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &alice));
    cr_assert_eq(ev->a, TOKSIM_LOGON_NETWORK);
    cr_assert_eq(ev->b, TOKSIM_IMP_IMPERSONATION);

    req.auth = TOKSIM_IIS_AUTH_BASIC;
    req.password = "wrong";
    r = iis_run(p, &req);
    cr_assert_eq(r.http_status, 401);
    cr_assert_eq(r.http_substatus, 1);
    cr_assert_eq(r.win32, 1326u);
    ev = ts_expect_rule(&g_tr, "iis.auth.failed", TOKSIM_V_DENY);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &alice));
    cr_assert_eq(ev->status, 1326u);
    ts_expect_no_rule(&g_tr, "iis.file.ok");
    toksim_iis_pool_free(p);
}

Test(rules_systems, iis_handler_and_file_rules)
{
    iis_setup_rights();
    toksim_sid alice = add_user("alice", "alicepw");
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        pool_start("DefaultAppPool", TOKSIM_IIS_APPPOOL_IDENTITY, NULL, false, &res);
    cr_assert(res.started);
    toksim_sd *alice_only = NULL, *sys_only = NULL;
    char sid[TOKSIM_SID_STRING_MAX], sddl[TOKSIM_SID_STRING_MAX + 64];
    toksim_sid_format(sid, sizeof sid, &alice);
    snprintf(sddl, sizeof sddl, "O:SYG:SYD:(A;;FA;;;SY)(A;;FR;;;%s)", sid);
    toksim_error e = {0};
    cr_assert(toksim_sd_from_sddl(&alice_only, sddl, NULL, &e) == TOKSIM_OK, "%s",
              e.message);
    cr_assert(toksim_sd_from_sddl(&sys_only, "O:SYG:SYD:(A;;FA;;;SY)", NULL, &e) ==
                  TOKSIM_OK,
              "%s", e.message);

    toksim_iis_request req;
    memset(&req, 0, sizeof req);
    req.auth = TOKSIM_IIS_AUTH_WINDOWS;
    req.user = "alice";
    req.path = "C:\\inetpub\\wwwroot\\alice.txt";
    req.sd = alice_only;
    req.access = TOKSIM_IIS_ACCESS_IMPERSONATE;
    toksim_iis_response r = iis_run(p, &req);
    cr_assert_eq(r.http_status, 200);
    cr_assert(r.impersonated);
    cr_assert(toksim_sid_equal(&r.acting_user, &alice));
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "iis.handler.impersonate", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &alice));
    ev = ts_expect_rule(&g_tr, "iis.file.ok", TOKSIM_V_GRANT);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &alice));
    cr_assert_str_eq(ev->text, "C:\\inetpub\\wwwroot\\alice.txt");
    cr_assert_neq(ev->mask, 0u);
    ts_expect_no_rule(&g_tr, "iis.handler.process_identity");

    /* ASP.NET without impersonation: the pool identity opens the file and is refused */
    req.access = TOKSIM_IIS_ACCESS_PROCESS;
    r = iis_run(p, &req);
    cr_assert_not(r.impersonated);
    cr_assert(toksim_sid_equal(&r.acting_user, &res.pool_sid));
    cr_assert_eq(r.http_status, 401);
    cr_assert_eq(r.http_substatus, 3);
    cr_assert_eq(r.win32, 5u);
    ev = ts_expect_rule(&g_tr, "iis.handler.process_identity", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &res.pool_sid));
    cr_assert_str_eq(ev->text, "C:\\inetpub\\wwwroot\\alice.txt");
    ev = ts_expect_rule(&g_tr, "iis.file.access_denied", TOKSIM_V_DENY);
    cr_assert_eq(ev->status, 5u);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &res.pool_sid));
    ts_expect_no_rule(&g_tr, "iis.handler.impersonate");

    /* impersonating alice on a SYSTEM-only file: access denied too */
    req.access = TOKSIM_IIS_ACCESS_IMPERSONATE;
    req.sd = sys_only;
    r = iis_run(p, &req);
    cr_assert_eq(r.http_status, 401);
    cr_assert_eq(r.http_substatus, 3);
    ev = ts_expect_rule(&g_tr, "iis.file.access_denied", TOKSIM_V_DENY);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &alice));
    toksim_sd_free(alice_only);
    toksim_sd_free(sys_only);
    toksim_iis_pool_free(p);
}

/* ==== COM / WMI ==== */

typedef struct com_fx {
    toksim_token *alice;
    toksim_sid alice_sid;
    toksim_sd *key_sd; /* readable by alice and SYSTEM */
    toksim_sd *sys_sd; /* SYSTEM only */
} com_fx;

static void com_setup(com_fx *f)
{
    memset(f, 0, sizeof *f);
    f->alice_sid = add_user("alice", NULL);
    toksim_logon_result lr;
    toksim_error e = {0};
    cr_assert(toksim_logon_user(&lr, g_w, "alice", TOKSIM_LOGON_INTERACTIVE, NULL, NULL,
                                &e) == TOKSIM_OK,
              "%s", e.message);
    cr_assert(lr.success);
    f->alice = lr.token;
    char sid[TOKSIM_SID_STRING_MAX], sddl[TOKSIM_SID_STRING_MAX + 64];
    toksim_sid_format(sid, sizeof sid, &f->alice_sid);
    snprintf(sddl, sizeof sddl, "O:SYG:SYD:(A;;KA;;;SY)(A;;KR;;;%s)", sid);
    cr_assert(toksim_sd_from_sddl(&f->key_sd, sddl, NULL, &e) == TOKSIM_OK, "%s",
              e.message);
    cr_assert(toksim_sd_from_sddl(&f->sys_sd, "O:SYG:SYD:(A;;KA;;;SY)", NULL, &e) ==
                  TOKSIM_OK,
              "%s", e.message);
}

static void com_teardown(com_fx *f)
{
    toksim_sd_free(f->key_sd);
    toksim_sd_free(f->sys_sd);
    toksim_token_free(f->alice);
}

static toksim_com_action
act(toksim_com_action_kind k, const toksim_sd *sd, toksim_wmi_on_deny on_deny)
{
    toksim_com_action a;
    memset(&a, 0, sizeof a);
    a.kind = k;
    a.sd = sd;
    a.object = sd ? "HKLM\\SOFTWARE\\Contoso" : NULL;
    a.object_type = TOKSIM_OBJ_KEY;
    a.on_deny = on_deny;
    return a;
}

static toksim_com_result com_run(toksim_com_call *call)
{
    toksim_com_result r;
    toksim_error e = {0};
    toksim_trace_clear(&g_tr);
    toksim_status rc = toksim_com_call_run(&r, g_w, call, &g_tr, &e);
    cr_assert(rc == TOKSIM_OK, "com call: %s", e.message);
    return r;
}

Test(rules_systems, com_levels_impersonate_open_revert)
{
    com_fx f;
    com_setup(&f);
    toksim_token *server = NULL;
    toksim_error e = {0};
    cr_assert(toksim_logon_builtin(&server, g_w, TOKSIM_BUILTIN_NETWORK_SERVICE, NULL,
                                   NULL, &e) == TOKSIM_OK);
    /* the first open fails at Identify; SILENT so the server carries on to the revert */
    toksim_com_action acts[] = {act(TOKSIM_COM_IMPERSONATE, NULL, 0),
                                act(TOKSIM_COM_OPEN, f.key_sd, TOKSIM_WMI_DENY_SILENT),
                                act(TOKSIM_COM_REVERT, NULL, 0),
                                act(TOKSIM_COM_OPEN, f.key_sd, 0)};
    toksim_com_call call;
    memset(&call, 0, sizeof call);
    call.client = f.alice;
    call.client_imp_level = (int)TOKSIM_RPC_C_IMP_LEVEL_DEFAULT;
    call.server_token = server;
    call.actions = acts;
    call.action_count = 4;
    toksim_com_result r = com_run(&call);
    /* C1: a COM client that never set a level calls at Identify */
    cr_assert_eq(r.effective_client_level, 2);
    cr_assert_eq(r.client_token_level, TOKSIM_IMP_IDENTIFICATION);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "com.client.level_default", TOKSIM_V_INFO);
    cr_assert_eq(ev->a, 2);
    ev = ts_expect_rule(&g_tr, "com.call.level", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &f.alice_sid));
    cr_assert_eq(ev->a, TOKSIM_IMP_IDENTIFICATION);
    /* CoImpersonateClient: S_OK at Identify; the open then fails with 1346 */
    cr_assert_eq(r.actions[0].hresult, 0u);
    cr_assert(r.actions[0].impersonating);
    cr_assert_eq(r.actions[0].level, TOKSIM_IMP_IDENTIFICATION);
    ev = ts_expect_rule(&g_tr, "com.impersonate", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &f.alice_sid));
    cr_assert_eq(ev->a, TOKSIM_IMP_IDENTIFICATION);
    cr_assert_eq(r.actions[1].win32, 1346u);
    ev = ts_expect_rule(&g_tr, "com.open.failed", TOKSIM_V_DENY);
    cr_assert_eq(ev->status, 1346u);
    cr_assert_str_eq(ev->text, "HKLM\\SOFTWARE\\Contoso");
    /* CoRevertToSelf: back to NETWORK SERVICE */
    cr_assert_not(r.actions[2].impersonating);
    ev = ts_expect_rule(&g_tr, "com.revert", TOKSIM_V_CHANGE);
    cr_assert(ev->has_sid && sid_is(&ev->sid, "S-1-5-20"));
    cr_assert(sid_is(&r.actions[3].acting, "S-1-5-20"));

    /* at Impersonate level the open succeeds as alice */
    call.client_imp_level = (int)TOKSIM_RPC_C_IMP_LEVEL_IMPERSONATE;
    call.action_count = 2;
    r = com_run(&call);
    cr_assert(r.ok);
    cr_assert_eq(r.actions[1].hresult, 0u);
    cr_assert(toksim_sid_equal(&r.actions[1].acting, &f.alice_sid));
    ev = ts_expect_rule(&g_tr, "com.open.ok", TOKSIM_V_GRANT);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &f.alice_sid));
    cr_assert_neq(ev->mask, 0u);
    ts_expect_no_rule(&g_tr, "com.client.level_default");
    ts_expect_no_rule(&g_tr, "com.open.failed");

    /* an unauthenticated call cannot be impersonated: RPC_E_UNSECURE_CALL */
    call.client_authn_level = (int)TOKSIM_RPC_C_AUTHN_LEVEL_NONE;
    call.action_count = 1;
    r = com_run(&call);
    cr_assert_not(r.ok);
    cr_assert_eq(r.hresult, TOKSIM_RPC_E_UNSECURE_CALL);
    cr_assert_eq(r.actions[0].hresult, TOKSIM_RPC_E_UNSECURE_CALL);
    ev = ts_expect_rule(&g_tr, "com.call.unsecure", TOKSIM_V_DENY);
    cr_assert_eq(ev->status, TOKSIM_RPC_E_UNSECURE_CALL);
    ts_expect_no_rule(&g_tr, "com.impersonate");
    toksim_token_free(server);
    com_teardown(&f);
}

static toksim_com_call wmi_call(com_fx *f,
                                const toksim_wmi_provider *prov,
                                const toksim_com_action *acts,
                                size_t n)
{
    toksim_com_call call;
    memset(&call, 0, sizeof call);
    call.client = f->alice;
    call.client_imp_level = (int)TOKSIM_RPC_C_IMP_LEVEL_IMPERSONATE;
    call.provider = prov;
    call.actions = acts;
    call.action_count = n;
    return call;
}

Test(rules_systems, wmi_provider_level0_and_init_as_admin)
{
    com_fx f;
    com_setup(&f);
    const toksim_wmi_provider level0 = {
        "OldProv", TOKSIM_WMI_HOST_DEFAULT, NULL, 0, false, false};
    toksim_com_action open_sys = act(TOKSIM_COM_OPEN, f.sys_sd, TOKSIM_WMI_DENY_FAIL);
    toksim_com_call call = wmi_call(&f, &level0, &open_sys, 1);
    toksim_com_result r = com_run(&call);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "wmi.provider.level0", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && sid_is(&ev->sid, "S-1-5-18"),
              "a level-0 provider works as WMI's account");
    cr_assert_str_eq(ev->text, "OldProv");

    const toksim_wmi_provider admin_first = {
        "InitProv", TOKSIM_WMI_HOST_DEFAULT, NULL, 1, true, true};
    toksim_com_action acts[] = {act(TOKSIM_COM_INITIALIZE, NULL, 0),
                                act(TOKSIM_COM_IMPERSONATE, NULL, 0),
                                act(TOKSIM_COM_OPEN, f.sys_sd, TOKSIM_WMI_DENY_FAIL)};
    call = wmi_call(&f, &admin_first, acts, 3);
    r = com_run(&call);
    cr_assert(r.ok,
              "initialization runs as WMI's account (SYSTEM), which may open the key");
    cr_assert(sid_is(&r.actions[1].acting, "S-1-5-18"));
    cr_assert(sid_is(&r.actions[2].acting, "S-1-5-18"));
    ev = ts_expect_rule(&g_tr, "wmi.provider.init_as_admin", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && sid_is(&ev->sid, "S-1-5-18"));
    ts_expect_no_rule(&g_tr, "wmi.provider.level0");
    com_teardown(&f);
}

Test(rules_systems, wmi_partial_silent_results)
{
    com_fx f;
    com_setup(&f);
    const toksim_wmi_provider prov = {
        "ContosoProv", TOKSIM_WMI_HOST_DEFAULT, NULL, 1, true, false};
    toksim_com_action acts[] = {act(TOKSIM_COM_IMPERSONATE, NULL, 0),
                                act(TOKSIM_COM_OPEN, f.sys_sd, TOKSIM_WMI_DENY_PARTIAL)};
    toksim_com_call call = wmi_call(&f, &prov, acts, 2);
    toksim_com_result r = com_run(&call);
    cr_assert(r.ok);
    cr_assert_eq(r.wbem, TOKSIM_WBEM_S_ACCESS_DENIED);
    cr_assert_eq(r.actions[1].win32, 5u);
    ts_expect_rule(&g_tr, "com.open.failed", TOKSIM_V_DENY);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "wmi.result.partial", TOKSIM_V_INFO);
    cr_assert_eq(ev->status, 5u);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &f.alice_sid));

    acts[1].on_deny = TOKSIM_WMI_DENY_SILENT;
    r = com_run(&call);
    cr_assert(r.ok);
    cr_assert_eq(r.wbem, TOKSIM_WBEM_S_NO_ERROR, "the denial is invisible to the client");
    ev = ts_expect_rule(&g_tr, "wmi.result.silent", TOKSIM_V_INFO);
    cr_assert_eq(ev->status, 5u);
    ts_expect_no_rule(&g_tr, "wmi.result.partial");
    com_teardown(&f);
}

Test(rules_systems, wmi_reentrant_call_and_return)
{
    com_fx f;
    com_setup(&f);
    const toksim_wmi_provider prov = {
        "ContosoProv", TOKSIM_WMI_HOST_DEFAULT, NULL, 1, true, false};
    toksim_com_action acts[] = {act(TOKSIM_COM_IMPERSONATE, NULL, 0),
                                act(TOKSIM_COM_CALL_WMI, f.key_sd, 0),
                                act(TOKSIM_COM_OPEN, f.key_sd, 0)};
    toksim_com_call call = wmi_call(&f, &prov, acts, 3);
    toksim_com_result r = com_run(&call);
    /* the nested WMI work runs with the thread token (alice) */
    cr_assert(toksim_sid_equal(&r.actions[1].acting, &f.alice_sid));
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "wmi.reentrant_call", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &f.alice_sid));
    cr_assert_str_eq(ev->text, "HKLM\\SOFTWARE\\Contoso");
    /* back in the provider the thread no longer impersonates: the next open is the host's
     */
    cr_assert_not(r.actions[1].impersonating);
    cr_assert(toksim_sid_equal(&r.actions[2].acting, &r.host_user));
    ev = ts_expect_rule(&g_tr, "wmi.reentrant_return", TOKSIM_V_CHANGE);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &r.host_user));
    com_teardown(&f);
}
