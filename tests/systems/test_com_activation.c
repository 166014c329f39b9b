/*
 * PURPOSE: COM/DCOM activation (toksim_com_activate) and cloaking
 * (toksim_com_cloak_identity): every "com.*" rule of rules_systems.inc and
 * finding.dcom_permission_denied, each test asserting the Windows outcome (HRESULT, the
 * identity of the caller and of the server, the COM right checked) and the rule's event.
 */
#include <stdio.h>
#include "../rules_helpers.h"

static toksim_trace g_tr;
static toksim_world *g_w;

static void setup(void)
{
    toksim_trace_init(&g_tr);
    toksim_error e = {0};
    toksim_status rc = toksim_world_new(&g_w, "APP01", NULL, "server", &e);
    cr_assert(rc == TOKSIM_OK, "world: %s", e.message);
}

static void teardown(void)
{
    toksim_trace_dispose(&g_tr);
    toksim_world_free(g_w);
}

TestSuite(com_activation, .init = setup, .fini = teardown);

static toksim_sid add_user(const char *name, const char *password, const char *group)
{
    toksim_account spec;
    memset(&spec, 0, sizeof spec);
    spec.kind = TOKSIM_ACCOUNT_USER;
    spec.scope = TOKSIM_SCOPE_MACHINE;
    spec.name = name;
    spec.password = password;
    toksim_sid sid;
    toksim_error e = {0};
    cr_assert(toksim_world_add_account(g_w, &spec, &sid, &e) == TOKSIM_OK, "%s",
              e.message);
    if (group) {
        toksim_sid g;
        cr_assert(toksim_world_resolve(g_w, group, &g, &e) == TOKSIM_OK, "%s", e.message);
        cr_assert(toksim_world_add_member(g_w, &g, &sid, &e) == TOKSIM_OK, "%s",
                  e.message);
    }
    return sid;
}

static toksim_token *logon(const char *name, toksim_logon_type type)
{
    toksim_logon_result lr;
    toksim_error e = {0};
    cr_assert(toksim_logon_user(&lr, g_w, name, type, NULL, NULL, &e) == TOKSIM_OK, "%s",
              e.message);
    cr_assert(lr.success, "logon of %s: %u", name, lr.win32_error);
    return lr.token;
}

static toksim_token *builtin(toksim_builtin_account which)
{
    toksim_token *t = NULL;
    toksim_error e = {0};
    cr_assert(toksim_logon_builtin(&t, g_w, which, NULL, NULL, &e) == TOKSIM_OK, "%s",
              e.message);
    return t;
}

static toksim_sd *sddl(const char *text)
{
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    toksim_sid_context ctx = toksim_world_sid_context(g_w);
    cr_assert(toksim_sd_from_sddl(&sd, text, &ctx, &e) == TOKSIM_OK, "%s", e.message);
    return sd;
}

/* Run an activation; *server receives the server token (may stay NULL). */
static toksim_com_activation_result activate(const toksim_com_activation *act,
                                             toksim_token **server)
{
    toksim_com_activation_result res;
    toksim_error e = {0};
    toksim_trace_clear(&g_tr);
    toksim_token *caller = NULL;
    toksim_status rc = toksim_com_activate(&res, server, &caller, g_w, act, &g_tr, &e);
    cr_assert(rc == TOKSIM_OK, "activate: %s", e.message);
    toksim_token_free(caller);
    return res;
}

static bool has_group(const toksim_token *t, const char *sid)
{
    toksim_sid s = ts_test_sid(sid);
    return toksim_token_find_group(t, &s) != NULL;
}

Test(com_activation, runas_account_is_a_batch_logon_with_service)
{
    toksim_sid svc = add_user("svc_report", "Report#1", "BUILTIN\\Backup Operators");
    add_user("alice", NULL, NULL);
    toksim_token *alice = logon("APP01\\alice", TOKSIM_LOGON_INTERACTIVE);
    toksim_com_appid app = {"ReportServer",
                            TOKSIM_COM_RUNAS_ACCOUNT,
                            "APP01\\svc_report",
                            "Report#1",
                            NULL,
                            NULL,
                            NULL};
    toksim_com_activation act = {.app = &app, .caller_process = alice};
    toksim_token *server = NULL;
    toksim_com_activation_result res = activate(&act, &server);
    cr_assert(res.ok && res.launched);
    cr_assert(toksim_sid_equal(toksim_token_user(server), &svc));
    cr_assert(has_group(server, "S-1-5-6"), "RunAs servers carry SERVICE (seed)");
    cr_assert(has_group(server, "S-1-5-3"), "a batch logon: BATCH");
    cr_assert(toksim_token_privilege_enabled(server, TOKSIM_PRIV_IMPERSONATE),
              "SERVICE brings SeImpersonatePrivilege");
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "com.runas.account", TOKSIM_V_INFO);
    cr_assert(toksim_sid_equal(&ev->sid, &svc));
    toksim_token_free(server);

    /* a wrong stored password: CO_E_RUNAS_LOGON_FAILURE with the 1326 behind it */
    app.password = "wrong";
    res = activate(&act, &server);
    cr_assert(!res.ok && !res.launched);
    cr_assert_null(server);
    cr_assert_eq(res.hresult, TOKSIM_CO_E_RUNAS_LOGON_FAILURE);
    cr_assert_eq(res.logon_win32, 1326u);
    ev = ts_expect_rule(&g_tr, "com.runas.logon_failed", TOKSIM_V_DENY);
    cr_assert_eq(ev->status, 1326u);
    toksim_token_free(alice);
}

Test(com_activation, runas_account_needs_batch_logon_right)
{
    add_user("svc_plain", NULL, NULL);
    toksim_token *sys = builtin(TOKSIM_BUILTIN_SYSTEM);
    toksim_com_appid app = {
        "X", TOKSIM_COM_RUNAS_ACCOUNT, "APP01\\svc_plain", NULL, NULL, NULL, NULL};
    toksim_com_activation act = {.app = &app, .caller_process = sys};
    toksim_com_activation_result res = activate(&act, NULL);
    cr_assert_eq(res.hresult, TOKSIM_CO_E_RUNAS_LOGON_FAILURE);
    cr_assert_eq(res.logon_win32, 1385u, "no Log on as a batch job");
    ts_expect_rule(&g_tr, "com.runas.logon_failed", TOKSIM_V_DENY);
    /* RunAs nt authority\localservice uses the built-in token */
    app.runas_account = "NT AUTHORITY\\LOCAL SERVICE";
    toksim_token *server = NULL;
    res = activate(&act, &server);
    cr_assert(res.ok);
    toksim_sid ls = ts_test_sid("S-1-5-19");
    cr_assert(toksim_sid_equal(&res.server_user, &ls));
    ts_expect_rule(&g_tr, "com.runas.account", TOKSIM_V_INFO);
    toksim_token_free(server);
    toksim_token_free(sys);
}

Test(com_activation, launching_user_and_default_launch_permission)
{
    toksim_sid alice = add_user("alice", NULL, NULL);
    toksim_token *tok = logon("APP01\\alice", TOKSIM_LOGON_INTERACTIVE);
    toksim_com_appid app = {.name = "App", .runas = TOKSIM_COM_RUNAS_LAUNCHING_USER};
    toksim_com_activation act = {.app = &app, .caller_process = tok};
    toksim_token *server = NULL;
    toksim_com_activation_result res = activate(&act, &server);
    cr_assert(res.ok && res.launched);
    cr_assert_eq(res.needed, TOKSIM_COM_RIGHTS_EXECUTE | TOKSIM_COM_RIGHTS_EXECUTE_LOCAL,
                 "a launch asks for Local Launch");
    cr_assert(toksim_sid_equal(&res.server_user, &alice));
    cr_assert_eq(toksim_token_type_of(server), TOKSIM_TOKEN_PRIMARY);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "com.permission.launch_granted", TOKSIM_V_GRANT);
    cr_assert_str_eq(ev->text, "machine-default", "INTERACTIVE holds it by default");
    ev = ts_expect_rule(&g_tr, "com.runas.launching_user", TOKSIM_V_INFO);
    cr_assert(toksim_sid_equal(&ev->sid, &alice));
    toksim_token_free(server);
    toksim_token_free(tok);
}

Test(com_activation, running_server_needs_activation_right_10016)
{
    toksim_token *ls = builtin(TOKSIM_BUILTIN_LOCAL_SERVICE);
    toksim_token *sys = builtin(TOKSIM_BUILTIN_SYSTEM);
    toksim_sd *launch = sddl("O:BAG:BAD:(A;;CCDCLCSWRP;;;BA)(A;;CCDCLCSWRP;;;SY)");
    toksim_com_appid app = {
        "{9CA88EE3}", TOKSIM_COM_RUNAS_LAUNCHING_USER, NULL, NULL, NULL, launch, NULL};
    toksim_com_activation act = {.app = &app, .caller_process = ls};
    act.running_server = sys;
    toksim_token *server = NULL;
    toksim_com_activation_result res = activate(&act, &server);
    cr_assert(!res.ok && !res.launched);
    cr_assert_null(server);
    cr_assert_eq(res.hresult, TOKSIM_E_ACCESSDENIED);
    cr_assert_eq(res.needed,
                 TOKSIM_COM_RIGHTS_EXECUTE | TOKSIM_COM_RIGHTS_ACTIVATE_LOCAL);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "com.permission.launch_denied", TOKSIM_V_DENY);
    cr_assert(strstr(ev->text, "application-specific") &&
                  strstr(ev->text, "Local Activation"),
              "%s", ev->text);
    const toksim_finding *f =
        toksim_findings_find(&res.findings, "finding.dcom_permission_denied");
    cr_assert_not_null(f);
    cr_assert(toksim_sid_equal(&f->subject, toksim_token_user(ls)));
    ts_expect_rule(&g_tr, "finding.dcom_permission_denied", TOKSIM_V_INFO);
    toksim_sd_free(launch);

    /* granted Local Activation: the running SYSTEM server answers */
    launch = sddl("O:BAG:BAD:(A;;CCSW;;;LS)");
    app.launch_permission = launch;
    res = activate(&act, &server);
    cr_assert(res.ok && !res.launched);
    cr_assert(toksim_sid_equal(&res.server_user, toksim_token_user(sys)));
    ts_expect_rule(&g_tr, "com.activation.running_server", TOKSIM_V_INFO);
    toksim_token_free(server);
    toksim_sd_free(launch);
    toksim_token_free(sys);
    toksim_token_free(ls);
}

Test(com_activation, legacy_execute_only_acl_grants_every_right)
{
    toksim_token *ls = builtin(TOKSIM_BUILTIN_LOCAL_SERVICE);
    toksim_sd *launch = sddl("O:BAG:BAD:(A;;CC;;;WD)");
    toksim_com_appid app = {
        "Legacy", TOKSIM_COM_RUNAS_LAUNCHING_USER, NULL, NULL, NULL, launch, NULL};
    toksim_com_activation act = {.app = &app, .caller_process = ls};
    toksim_token *server = NULL;
    toksim_com_activation_result res = activate(&act, &server);
    cr_assert(res.ok, "COM_RIGHTS_EXECUTE alone stands for Local Launch");
    ts_expect_rule(&g_tr, "com.permission.legacy_acl", TOKSIM_V_INFO);
    toksim_token_free(server);
    toksim_sd_free(launch);
    toksim_token_free(ls);
}

Test(com_activation, remote_caller_is_a_network_logon)
{
    toksim_sid bob = add_user("bob", NULL, NULL);
    toksim_token *tok = logon("APP01\\bob", TOKSIM_LOGON_INTERACTIVE);
    toksim_com_appid app = {.name = "Inv", .runas = TOKSIM_COM_RUNAS_LAUNCHING_USER};
    toksim_com_activation act = {.app = &app, .caller_process = tok};
    act.remote = true;
    toksim_token *server = NULL;
    toksim_com_activation_result res = activate(&act, &server);
    cr_assert_eq(res.hresult, TOKSIM_E_ACCESSDENIED,
                 "the default grants Remote Launch to Administrators only");
    cr_assert_eq(res.needed,
                 TOKSIM_COM_RIGHTS_EXECUTE | TOKSIM_COM_RIGHTS_EXECUTE_REMOTE);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "com.activation.remote_network_logon", TOKSIM_V_INFO);
    cr_assert(toksim_sid_equal(&ev->sid, &bob));
    ev = ts_expect_rule(&g_tr, "com.permission.launch_denied", TOKSIM_V_DENY);
    cr_assert(strstr(ev->text, "Remote Launch"), "%s", ev->text);

    toksim_sd *launch = sddl("O:BAG:BAD:(A;;CCLC;;;BU)");
    app.launch_permission = launch;
    res = activate(&act, &server);
    cr_assert(res.ok);
    cr_assert(has_group(server, "S-1-5-2"), "NETWORK: the server machine's logon");
    cr_assert(!has_group(server, "S-1-5-4"), "not the client's INTERACTIVE");
    toksim_token_free(server);

    /* a caller denied network logon never gets to the permission check */
    toksim_policy *p = toksim_world_policy(g_w);
    cr_assert(toksim_policy_grant(p, TOKSIM_RIGHT_DENY_NETWORK_LOGON, &bob) == TOKSIM_OK);
    res = activate(&act, &server);
    cr_assert_eq(res.hresult, TOKSIM_E_ACCESSDENIED);
    cr_assert_eq(res.logon_win32, 1385u);
    ts_expect_rule(&g_tr, "com.activation.remote_logon_failed", TOKSIM_V_DENY);
    ts_expect_no_rule(&g_tr, "com.permission.launch_granted");
    toksim_sd_free(launch);
    toksim_token_free(tok);
}

Test(com_activation, interactive_user_and_service_identities)
{
    add_user("carol", NULL, NULL);
    toksim_token *carol = logon("APP01\\carol", TOKSIM_LOGON_INTERACTIVE);
    toksim_token *sys = builtin(TOKSIM_BUILTIN_SYSTEM);
    toksim_com_appid app = {.name = "Shell", .runas = TOKSIM_COM_RUNAS_INTERACTIVE_USER};
    toksim_com_activation act = {.app = &app, .caller_process = sys};
    toksim_com_activation_result res = activate(&act, NULL);
    cr_assert_eq(res.hresult, TOKSIM_CO_E_SERVER_EXEC_FAILURE, "nobody is logged on");
    ts_expect_rule(&g_tr, "com.runas.no_interactive_user", TOKSIM_V_DENY);
    act.interactive_user = carol;
    toksim_token *server = NULL;
    res = activate(&act, &server);
    cr_assert(res.ok);
    cr_assert(toksim_sid_equal(&res.server_user, toksim_token_user(carol)));
    ts_expect_rule(&g_tr, "com.runas.interactive_user", TOKSIM_V_INFO);
    toksim_token_free(server);

    toksim_token *ns = builtin(TOKSIM_BUILTIN_NETWORK_SERVICE);
    toksim_com_appid svc = {
        .name = "Svc", .runas = TOKSIM_COM_RUNAS_SERVICE, .service_token = ns};
    act.app = &svc;
    res = activate(&act, &server);
    cr_assert(res.ok);
    cr_assert(toksim_sid_equal(&res.server_user, toksim_token_user(ns)));
    ts_expect_rule(&g_tr, "com.runas.service", TOKSIM_V_INFO);
    toksim_token_free(server);
    toksim_token_free(ns);
    toksim_token_free(sys);
    toksim_token_free(carol);
}

Test(com_activation, access_permission_local_and_remote)
{
    toksim_token *ls = builtin(TOKSIM_BUILTIN_LOCAL_SERVICE);
    toksim_sd *launch = sddl("O:BAG:BAD:(A;;CCDCLCSWRP;;;WD)");
    toksim_sd *access = sddl("O:BAG:BAD:(A;;CCDC;;;LS)");
    toksim_com_appid app = {
        "Acc", TOKSIM_COM_RUNAS_LAUNCHING_USER, NULL, NULL, NULL, launch, access};
    toksim_com_activation act = {.app = &app, .caller_process = ls};
    toksim_token *server = NULL;
    toksim_com_activation_result res = activate(&act, &server);
    cr_assert(res.ok);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "com.permission.access_granted", TOKSIM_V_GRANT);
    cr_assert_eq(ev->mask, TOKSIM_COM_RIGHTS_EXECUTE | TOKSIM_COM_RIGHTS_EXECUTE_LOCAL);
    toksim_token_free(server);
    toksim_sd_free(access);
    access = sddl("O:BAG:BAD:(A;;CCDC;;;SY)");
    app.access_permission = access;
    res = activate(&act, &server);
    cr_assert(!res.ok && res.launched, "launched, but the first call is refused");
    cr_assert_eq(res.hresult, TOKSIM_E_ACCESSDENIED);
    cr_assert_null(server);
    ts_expect_rule(&g_tr, "com.permission.access_denied", TOKSIM_V_DENY);
    toksim_sd_free(access);
    toksim_sd_free(launch);
    toksim_token_free(ls);
}

Test(com_activation, cloaking_decides_who_activates)
{
    toksim_sid alice = add_user("alice", NULL, NULL);
    toksim_token *ns = builtin(TOKSIM_BUILTIN_NETWORK_SERVICE);
    toksim_token *tok = logon("APP01\\alice", TOKSIM_LOGON_NETWORK);
    toksim_token_set_type(tok, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IMPERSONATION);
    toksim_com_appid app = {.name = "Backend", .runas = TOKSIM_COM_RUNAS_LAUNCHING_USER};
    toksim_com_activation act = {.app = &app, .caller_process = ns, .caller_thread = tok};
    toksim_com_activation_result res = activate(&act, NULL);
    cr_assert(toksim_sid_equal(&res.caller, toksim_token_user(ns)),
              "no cloaking: the process token");
    cr_assert_eq(res.hresult, TOKSIM_E_ACCESSDENIED);
    ts_expect_rule(&g_tr, "com.activation.caller_process", TOKSIM_V_INFO);
    act.cloaking = TOKSIM_COM_CLOAK_STATIC;
    res = activate(&act, NULL);
    cr_assert(toksim_sid_equal(&res.caller, &alice), "cloaking: the thread token");
    ts_expect_rule(&g_tr, "com.activation.caller_thread", TOKSIM_V_INFO);
    toksim_token_free(tok);
    toksim_token_free(ns);
}

Test(com_activation, outgoing_call_identity_per_cloaking)
{
    add_user("alice", NULL, NULL);
    add_user("bob", NULL, NULL);
    toksim_token *ns = builtin(TOKSIM_BUILTIN_NETWORK_SERVICE);
    toksim_token *a = logon("APP01\\alice", TOKSIM_LOGON_NETWORK);
    toksim_token *b = logon("APP01\\bob", TOKSIM_LOGON_NETWORK);
    toksim_process *proc = NULL;
    toksim_thread *th = NULL;
    cr_assert(toksim_process_new(&proc, ns, NULL) == TOKSIM_OK);
    cr_assert(toksim_thread_new(&th, proc) == TOKSIM_OK);
    toksim_token_handle ha = {a, TOKSIM_TOKEN_ACCESS_ALL},
                        hb = {b, TOKSIM_TOKEN_ACCESS_ALL};
    toksim_imp_result ir;
    cr_assert(toksim_impersonate_logged_on_user(&ir, th, &ha, NULL) == TOKSIM_OK &&
              ir.ok);
    const toksim_token *p = NULL;
    bool cap = false;
    toksim_trace_clear(&g_tr);
    cr_assert(toksim_com_cloak_identity(&p, &cap, th, TOKSIM_COM_CLOAK_NONE, NULL,
                                        &g_tr) == TOKSIM_OK);
    cr_assert(toksim_sid_equal(toksim_token_user(p), toksim_token_user(ns)));
    ts_expect_rule(&g_tr, "com.cloak.none", TOKSIM_V_INFO);
    cr_assert(toksim_com_cloak_identity(&p, &cap, th, TOKSIM_COM_CLOAK_STATIC, NULL,
                                        &g_tr) == TOKSIM_OK);
    cr_assert(cap && toksim_sid_equal(toksim_token_user(p), toksim_token_user(a)));
    ts_expect_rule(&g_tr, "com.cloak.static_capture", TOKSIM_V_INFO);
    toksim_token *fixed = NULL;
    cr_assert(toksim_token_copy(&fixed, p) == TOKSIM_OK);
    cr_assert(toksim_impersonate_logged_on_user(&ir, th, &hb, NULL) == TOKSIM_OK &&
              ir.ok);
    cr_assert(toksim_com_cloak_identity(&p, &cap, th, TOKSIM_COM_CLOAK_STATIC, fixed,
                                        &g_tr) == TOKSIM_OK);
    cr_assert(!cap && toksim_sid_equal(toksim_token_user(p), toksim_token_user(a)),
              "static: still the first call's identity");
    ts_expect_rule(&g_tr, "com.cloak.static_reuse", TOKSIM_V_INFO);
    cr_assert(toksim_com_cloak_identity(&p, &cap, th, TOKSIM_COM_CLOAK_DYNAMIC, fixed,
                                        &g_tr) == TOKSIM_OK);
    cr_assert(toksim_sid_equal(toksim_token_user(p), toksim_token_user(b)),
              "dynamic: the current thread token");
    ts_expect_rule(&g_tr, "com.cloak.dynamic", TOKSIM_V_INFO);
    toksim_com_cloaking c;
    cr_assert(toksim_com_cloaking_parse(&c, "Dynamic") == TOKSIM_OK &&
              c == TOKSIM_COM_CLOAK_DYNAMIC);
    cr_assert(toksim_com_cloaking_parse(&c, "cloaked") == TOKSIM_ENOTFOUND);
    cr_assert_str_eq(toksim_com_cloaking_name(TOKSIM_COM_CLOAK_STATIC), "static");
    toksim_token_free(fixed);
    toksim_thread_free(th);
    toksim_process_free(proc);
    toksim_token_free(a);
    toksim_token_free(b);
    toksim_token_free(ns);
}

Test(com_activation, misuse_is_a_status)
{
    toksim_com_activation_result res;
    toksim_com_activation act;
    memset(&act, 0, sizeof act);
    cr_assert_eq(toksim_com_activate(&res, NULL, NULL, g_w, &act, NULL, NULL),
                 TOKSIM_EINVAL);
    toksim_token *sys = builtin(TOKSIM_BUILTIN_SYSTEM);
    toksim_com_appid app = {.name = "X", .runas = TOKSIM_COM_RUNAS_ACCOUNT};
    act.app = &app;
    act.caller_process = sys;
    cr_assert_eq(toksim_com_activate(&res, NULL, NULL, g_w, &act, NULL, NULL),
                 TOKSIM_EINVAL, "RunAs an account without a name");
    app.runas = TOKSIM_COM_RUNAS_SERVICE;
    cr_assert_eq(toksim_com_activate(&res, NULL, NULL, g_w, &act, NULL, NULL),
                 TOKSIM_EINVAL, "LocalService without the service's token");
    toksim_token_free(sys);
}

/* The built-in DefaultLaunchPermission (its local/remote split UNCONFIRMED) is
 * replaceable: a machine whose DefaultLaunchPermission grants LOCAL SERVICE lets it
 * launch. */
Test(com_activation, default_launch_permission_is_replaceable)
{
    toksim_token *ls = builtin(TOKSIM_BUILTIN_LOCAL_SERVICE);
    toksim_com_appid app = {.name = "NoAcl", .runas = TOKSIM_COM_RUNAS_LAUNCHING_USER};
    toksim_com_activation act = {.app = &app, .caller_process = ls};
    toksim_token *server = NULL;
    toksim_com_activation_result res = activate(&act, &server);
    cr_assert_eq(res.hresult, TOKSIM_E_ACCESSDENIED, "the built-in default");
    toksim_sd *dflt = sddl("O:BAG:BAD:(A;;CCDCSW;;;LS)");
    act.default_launch_permission = dflt;
    res = activate(&act, &server);
    cr_assert(res.ok);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "com.permission.launch_granted", TOKSIM_V_GRANT);
    cr_assert_str_eq(ev->text, "machine-default");
    toksim_token_free(server);
    toksim_sd_free(dflt);
    toksim_token_free(ls);
}
