/*
 * PURPOSE: the ISAPI model of IIS 5/6 (isapi.h): process identity per application
 * protection, request tokens per authentication, the impersonating I/O thread, the ECB
 * lifetime of the HSE_REQ_GET_IMPERSONATION_TOKEN handle (ERROR_INVALID_HANDLE after it),
 * worker threads acting as SYSTEM / IWAM (findings), RevertToSelf, and agreement with the
 * iis.request ISAPI modes. Each test asserts the Windows outcome and the isapi.* event.
 */
#include <stdio.h>
#include "../rules_helpers.h"

/* ts_assert_ok() takes an error pointer; a call keeps -Waddress quiet for a local record.
 */
static toksim_error *E(toksim_error *e)
{
    return e;
}

static toksim_trace g_tr;
static toksim_world *g_w;
static toksim_sid g_iusr, g_iwam, g_alice, g_bob;

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
    ts_assert_ok(toksim_world_add_account(g_w, &spec, &sid, &e), E(&e));
    return sid;
}

static void grant(uint32_t right, const toksim_sid *sid)
{
    ts_assert_ok(toksim_policy_grant(toksim_world_policy(g_w), right, sid), NULL);
}

static void setup(void)
{
    toksim_trace_init(&g_tr);
    toksim_error e = {0};
    ts_assert_ok(toksim_world_new(&g_w, "WEB01", NULL, "server", &e), E(&e));
    g_iusr = add_user("IUSR_WEB01", NULL);
    g_iwam = add_user("IWAM_WEB01", NULL);
    g_alice = add_user("alice", NULL);
    g_bob = add_user("bob", "bobpw");
}

static void teardown(void)
{
    toksim_trace_dispose(&g_tr);
    toksim_world_free(g_w);
}

TestSuite(isapi, .init = setup, .fini = teardown);

/* IIS setup: IWAM may log on as a batch job and (Server 2003, IIS_WPG) impersonate. */
static void iis_setup_rights(bool impersonate)
{
    grant(TOKSIM_RIGHT_BATCH_LOGON, &g_iwam);
    if (impersonate)
        grant(TOKSIM_PRIV_IMPERSONATE, &g_iwam);
}

typedef struct app {
    toksim_process *proc;
    toksim_thread *io, *worker;
    toksim_isapi_ecb *ecb;
} app;

static void app_start(app *a, toksim_isapi_isolation iso)
{
    memset(a, 0, sizeof *a);
    toksim_isapi_app_config cfg = {.name = "/scripts/x.dll", .isolation = iso};
    toksim_isapi_app_result res;
    toksim_token *tok = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_isapi_app_token(&tok, &res, g_w, &cfg, &g_tr, &e), E(&e));
    cr_assert(res.loaded && tok, "the application starts (%u)", res.logon_win32);
    ts_assert_ok(toksim_process_new(&a->proc, tok, NULL), NULL);
    toksim_token_free(tok);
    ts_assert_ok(toksim_thread_new(&a->io, a->proc), NULL);
    ts_assert_ok(toksim_thread_new(&a->worker, a->proc), NULL);
}

static void app_stop(app *a)
{
    toksim_isapi_ecb_free(a->ecb);
    toksim_thread_free(a->worker);
    toksim_thread_free(a->io);
    toksim_process_free(a->proc);
}

static toksim_isapi_result begin(app *a, toksim_isapi_auth auth, const char *user)
{
    toksim_isapi_request req;
    toksim_isapi_request_init(&req);
    req.auth = auth;
    req.user = user;
    toksim_isapi_result res;
    toksim_error e = {0};
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_isapi_request_begin(&a->ecb, &res, g_w, a->io, &req, &g_tr, &e),
                 E(&e));
    return res;
}

/* A file only SYSTEM and Administrators may read. */
static toksim_sd *system_only_sd(void)
{
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_sd_from_sddl(&sd, "O:BAG:SYD:(A;;FA;;;SY)(A;;FA;;;BA)", NULL, &e),
                 E(&e));
    return sd;
}

static toksim_isapi_result open_file(app *a, toksim_thread *t, const toksim_sd *sd)
{
    toksim_open_request orq;
    memset(&orq, 0, sizeof orq);
    orq.sd = sd;
    orq.name = "C:\\data\\payroll.csv";
    orq.access.desired = 0x00120089u; /* FILE_GENERIC_READ */
    orq.access.object_type = TOKSIM_OBJ_FILE;
    toksim_isapi_result res;
    toksim_error e = {0};
    ts_assert_ok(toksim_isapi_open(&res, a->ecb, t, &orq, &g_tr, &e), E(&e));
    return res;
}

static bool sid_is(const toksim_sid *s, const char *text)
{
    toksim_sid t = ts_test_sid(text);
    return toksim_sid_equal(s, &t);
}

/* ==== process identity ==== */

Test(isapi, inproc_runs_in_inetinfo_as_system)
{
    app a;
    app_start(&a, TOKSIM_ISAPI_INPROC);
    cr_assert(sid_is(toksim_token_user(toksim_process_token(a.proc)), "S-1-5-18"));
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "isapi.process.inproc", TOKSIM_V_INFO);
    cr_assert(sid_is(&ev->sid, "S-1-5-18"));
    cr_assert_str_eq(ev->text, "/scripts/x.dll");
    ts_expect_no_rule(&g_tr, "isapi.process.out_of_process");
    app_stop(&a);
}

Test(isapi, pooled_and_isolated_run_as_iwam_with_a_batch_logon)
{
    iis_setup_rights(true);
    for (int iso = TOKSIM_ISAPI_POOLED; iso <= TOKSIM_ISAPI_ISOLATED; iso++) {
        toksim_trace_clear(&g_tr);
        app a;
        app_start(&a, (toksim_isapi_isolation)iso);
        const toksim_token *t = toksim_process_token(a.proc);
        cr_assert(toksim_sid_equal(toksim_token_user(t), &g_iwam), "IWAM_WEB01");
        toksim_sid batch = ts_test_sid("S-1-5-3");
        cr_assert_not_null(toksim_token_find_group(t, &batch), "a batch logon");
        const toksim_trace_event *ev =
            ts_expect_rule(&g_tr, "isapi.process.out_of_process", TOKSIM_V_INFO);
        cr_assert(toksim_sid_equal(&ev->sid, &g_iwam));
        cr_assert_eq(ev->a, TOKSIM_LOGON_BATCH);
        app_stop(&a);
    }
}

Test(isapi, iwam_without_batch_right_cannot_start)
{
    toksim_isapi_app_config cfg = {.name = "/catalog",
                                   .isolation = TOKSIM_ISAPI_ISOLATED};
    toksim_isapi_app_result res;
    toksim_token *tok = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_isapi_app_token(&tok, &res, g_w, &cfg, &g_tr, &e), E(&e));
    cr_assert(!res.loaded);
    cr_assert_null(tok);
    cr_assert_eq(res.logon_win32, TOKSIM_ERROR_LOGON_TYPE_NOT_GRANTED);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "isapi.process.logon_failed", TOKSIM_V_DENY);
    cr_assert(toksim_sid_equal(&ev->sid, &g_iwam));
    cr_assert_eq(ev->status, TOKSIM_ERROR_LOGON_TYPE_NOT_GRANTED);
}

/* The UNCONFIRMED COM+ logon type is a switch: flipped to interactive, IWAM starts
 * through BUILTIN\Users (SeInteractiveLogonRight) where batch is refused (1385). */
Test(isapi, wam_logon_type_switch_flips_the_outcome)
{
    toksim_isapi_app_config cfg = {.name = "/catalog", .isolation = TOKSIM_ISAPI_POOLED};
    toksim_isapi_app_result res;
    toksim_token *tok = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_isapi_app_token(&tok, &res, g_w, &cfg, NULL, E(&e)), E(&e));
    cr_assert(!res.loaded && res.logon_win32 == TOKSIM_ERROR_LOGON_TYPE_NOT_GRANTED);
    cfg.wam_logon = TOKSIM_LOGON_INTERACTIVE;
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_isapi_app_token(&tok, &res, g_w, &cfg, &g_tr, E(&e)), E(&e));
    cr_assert(res.loaded && tok);
    toksim_sid interactive = ts_test_sid("S-1-5-4");
    cr_assert_not_null(toksim_token_find_group(tok, &interactive));
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "isapi.process.out_of_process", TOKSIM_V_INFO);
    cr_assert_eq(ev->a, TOKSIM_LOGON_INTERACTIVE);
    toksim_token_free(tok);
}

Test(isapi, missing_iis_accounts_are_named)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_world_new(&w, "BARE", NULL, "server", &e), E(&e));
    toksim_isapi_app_config cfg = {.name = "/catalog", .isolation = TOKSIM_ISAPI_POOLED};
    toksim_isapi_app_result res;
    toksim_token *tok = NULL;
    cr_assert_eq(toksim_isapi_app_token(&tok, &res, w, &cfg, NULL, &e), TOKSIM_ENOTFOUND);
    cr_assert(strstr(e.message, "BARE\\IWAM_BARE"), "%s", e.message);
    toksim_world_free(w);
}

/* ==== authentication and the I/O thread ==== */

Test(isapi, anonymous_is_iusr_logged_on_by_inetinfo_with_logon_method)
{
    app a;
    app_start(&a, TOKSIM_ISAPI_INPROC);
    toksim_isapi_result res = begin(&a, TOKSIM_ISAPI_AUTH_ANONYMOUS, NULL);
    cr_assert(res.ok && toksim_sid_equal(&res.request_user, &g_iusr));
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "isapi.auth.anonymous", TOKSIM_V_INFO);
    cr_assert(toksim_sid_equal(&ev->sid, &g_iusr));
    cr_assert_eq(ev->a, TOKSIM_LOGON_NETWORK_CLEARTEXT, "LogonMethod default 3");
    /* inetinfo (SYSTEM, 0x3E7) made the logon: the token's origin */
    cr_assert_eq(toksim_token_origin(toksim_isapi_ecb_token(a.ecb)), 0x3E7u);
    toksim_isapi_ecb_free(a.ecb);
    a.ecb = NULL;
    /* LogonMethod interactive: the IUSR token carries INTERACTIVE */
    toksim_isapi_request req;
    toksim_isapi_request_init(&req);
    req.logon_method = TOKSIM_ISAPI_LOGON_INTERACTIVE;
    grant(TOKSIM_RIGHT_INTERACTIVE_LOGON, &g_iusr);
    toksim_error e = {0};
    ts_assert_ok(toksim_isapi_request_begin(&a.ecb, &res, g_w, a.io, &req, &g_tr, &e),
                 E(&e));
    toksim_sid interactive = ts_test_sid("S-1-5-4");
    cr_assert_not_null(
        toksim_token_find_group(toksim_isapi_ecb_token(a.ecb), &interactive));
    app_stop(&a);
}

Test(isapi, basic_logon_and_its_failure_answer_401)
{
    app a;
    app_start(&a, TOKSIM_ISAPI_INPROC);
    toksim_isapi_request req;
    toksim_isapi_request_init(&req);
    req.auth = TOKSIM_ISAPI_AUTH_BASIC;
    req.user = "bob";
    req.password = "wrong";
    toksim_isapi_result res;
    toksim_error e = {0};
    ts_assert_ok(toksim_isapi_request_begin(&a.ecb, &res, g_w, a.io, &req, &g_tr, &e),
                 E(&e));
    cr_assert_null(a.ecb, "HttpExtensionProc is not called");
    cr_assert(!res.ok);
    cr_assert_eq(res.http_status, 401);
    cr_assert_eq(res.win32, TOKSIM_ERROR_LOGON_FAILURE);
    cr_assert(!toksim_thread_is_impersonating(a.io));
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "isapi.auth.failed", TOKSIM_V_DENY);
    cr_assert(toksim_sid_equal(&ev->sid, &g_bob));
    cr_assert_eq(ev->status, TOKSIM_ERROR_LOGON_FAILURE);
    ts_expect_rule(&g_tr, "isapi.auth.basic", TOKSIM_V_INFO);

    toksim_trace_clear(&g_tr);
    req.password = "bobpw";
    ts_assert_ok(toksim_isapi_request_begin(&a.ecb, &res, g_w, a.io, &req, &g_tr, &e),
                 E(&e));
    cr_assert(res.ok && res.http_status == 0);
    ev = ts_expect_rule(&g_tr, "isapi.auth.basic", TOKSIM_V_INFO);
    cr_assert(toksim_sid_equal(&ev->sid, &g_bob));
    cr_assert_eq(ev->a, TOKSIM_LOGON_NETWORK_CLEARTEXT);
    ts_expect_no_rule(&g_tr, "isapi.auth.failed");
    app_stop(&a);
}

Test(isapi, ntlm_is_an_sspi_network_logon_without_origin)
{
    app a;
    app_start(&a, TOKSIM_ISAPI_INPROC);
    toksim_isapi_result res = begin(&a, TOKSIM_ISAPI_AUTH_NTLM, "alice");
    cr_assert(res.ok);
    const toksim_token *t = toksim_isapi_ecb_token(a.ecb);
    toksim_sid ntlm = ts_test_sid("S-1-5-64-10");
    cr_assert_not_null(toksim_token_find_group(t, &ntlm), "NTLM Authentication");
    cr_assert_eq(toksim_token_origin(t), 0u);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "isapi.auth.ntlm", TOKSIM_V_INFO);
    cr_assert(toksim_sid_equal(&ev->sid, &g_alice));
    cr_assert_eq(ev->a, TOKSIM_LOGON_NETWORK);
    app_stop(&a);
}

Test(isapi, certificate_runs_as_the_mapped_account)
{
    app a;
    app_start(&a, TOKSIM_ISAPI_INPROC);
    toksim_isapi_request req;
    toksim_isapi_request_init(&req);
    req.auth = TOKSIM_ISAPI_AUTH_CERTIFICATE;
    req.user = "bob";
    req.password = "bobpw";
    toksim_isapi_result res;
    toksim_error e = {0};
    ts_assert_ok(toksim_isapi_request_begin(&a.ecb, &res, g_w, a.io, &req, &g_tr, &e),
                 E(&e));
    cr_assert(res.ok && toksim_sid_equal(&res.acting_user, &g_bob));
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "isapi.auth.certificate", TOKSIM_V_INFO);
    cr_assert(toksim_sid_equal(&ev->sid, &g_bob));
    app_stop(&a);
}

Test(isapi, io_thread_impersonates_the_request_before_httpextensionproc)
{
    app a;
    app_start(&a, TOKSIM_ISAPI_INPROC);
    toksim_isapi_result res = begin(&a, TOKSIM_ISAPI_AUTH_NTLM, "alice");
    cr_assert(res.impersonating && res.level == TOKSIM_IMP_IMPERSONATION);
    cr_assert(toksim_sid_equal(toksim_token_user(toksim_thread_effective_token(a.io)),
                               &g_alice));
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "isapi.io_thread.token", TOKSIM_V_CHANGE);
    cr_assert(toksim_sid_equal(&ev->sid, &g_alice));
    /* the non-pending extension opens as alice: denied, no finding */
    toksim_sd *sd = system_only_sd();
    res = open_file(&a, a.io, sd);
    cr_assert(!res.ok && res.win32 == TOKSIM_ERROR_ACCESS_DENIED);
    cr_assert_eq(res.findings.count, 0u);
    toksim_sd_free(sd);
    app_stop(&a);
}

Test(isapi, out_of_process_needs_seimpersonate_for_inetinfo_tokens)
{
    iis_setup_rights(false); /* a modern profile: IWAM holds no SeImpersonatePrivilege */
    app a;
    app_start(&a, TOKSIM_ISAPI_POOLED);
    toksim_isapi_result res = begin(&a, TOKSIM_ISAPI_AUTH_BASIC, "alice");
    cr_assert(res.ok && res.downgraded, "silently downgraded (§2.3)");
    cr_assert_eq(res.level, TOKSIM_IMP_IDENTIFICATION);
    cr_assert_not_null(
        toksim_findings_find(&res.findings, "finding.silent_identify_downgrade"));
    toksim_sd *sd = system_only_sd();
    res = open_file(&a, a.io, sd);
    cr_assert_eq(res.win32, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL);
    toksim_sd_free(sd);
    app_stop(&a);
}

/* ==== the ECB and its token handle ==== */

Test(isapi, synchronous_return_ends_the_ecb_and_closes_the_handle)
{
    app a;
    app_start(&a, TOKSIM_ISAPI_INPROC);
    begin(&a, TOKSIM_ISAPI_AUTH_NTLM, "alice");
    toksim_isapi_result res;
    toksim_error e = {0};
    ts_assert_ok(toksim_isapi_get_impersonation_token(&res, a.ecb, &g_tr, &e), E(&e));
    ts_assert_ok(toksim_isapi_return(&res, a.ecb, a.io, false, &g_tr, &e), E(&e));
    cr_assert(!toksim_isapi_ecb_alive(a.ecb));
    cr_assert(!toksim_thread_is_impersonating(a.io), "IIS reverted the I/O thread");
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "isapi.return.done", TOKSIM_V_INFO);
    cr_assert(toksim_sid_equal(&ev->sid, &g_alice));
    ts_expect_no_rule(&g_tr, "isapi.return.pending");
    /* a worker still holding the handle */
    ts_assert_ok(toksim_isapi_impersonate(&res, a.ecb, a.worker, false, &g_tr, &e),
                 E(&e));
    cr_assert(!res.ok);
    cr_assert_eq(res.win32, TOKSIM_ERROR_INVALID_HANDLE);
    cr_assert_eq(res.ntstatus, 0xC0000008u);
    /* returning twice is misuse */
    cr_assert_eq(toksim_isapi_return(&res, a.ecb, a.io, false, NULL, &e), TOKSIM_EINVAL);
    app_stop(&a);
}

Test(isapi, pending_return_keeps_the_ecb_until_done_with_session)
{
    app a;
    app_start(&a, TOKSIM_ISAPI_INPROC);
    begin(&a, TOKSIM_ISAPI_AUTH_NTLM, "alice");
    toksim_isapi_result res;
    toksim_error e = {0};
    ts_assert_ok(toksim_isapi_return(&res, a.ecb, a.io, true, &g_tr, &e), E(&e));
    cr_assert(toksim_isapi_ecb_alive(a.ecb));
    cr_assert(!toksim_thread_is_impersonating(a.io));
    ts_expect_rule(&g_tr, "isapi.return.pending", TOKSIM_V_INFO);
    ts_expect_no_rule(&g_tr, "isapi.return.done");
    /* the handle still works after the return */
    ts_assert_ok(toksim_isapi_get_impersonation_token(&res, a.ecb, &g_tr, &e), E(&e));
    ts_assert_ok(toksim_isapi_impersonate(&res, a.ecb, a.worker, true, &g_tr, &e), E(&e));
    cr_assert(res.ok && toksim_sid_equal(&res.acting_user, &g_alice));
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_isapi_done_with_session(&res, a.ecb, &g_tr, &e), E(&e));
    cr_assert(!toksim_isapi_ecb_alive(a.ecb));
    cr_assert_null(toksim_isapi_ecb_token(a.ecb));
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "isapi.done_with_session", TOKSIM_V_INFO);
    cr_assert(toksim_sid_equal(&ev->sid, &g_alice));
    cr_assert_eq(toksim_isapi_done_with_session(&res, a.ecb, NULL, &e), TOKSIM_EINVAL);
    app_stop(&a);
}

Test(isapi, token_handle_is_fetched_then_impersonated)
{
    app a;
    app_start(&a, TOKSIM_ISAPI_INPROC);
    begin(&a, TOKSIM_ISAPI_AUTH_NTLM, "alice");
    toksim_isapi_result res;
    toksim_error e = {0};
    cr_assert_eq(toksim_isapi_impersonate(&res, a.ecb, a.worker, false, NULL, &e),
                 TOKSIM_EINVAL, "no handle yet");
    ts_assert_ok(toksim_isapi_get_impersonation_token(&res, a.ecb, &g_tr, &e), E(&e));
    cr_assert(res.ok);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "isapi.token.get", TOKSIM_V_INFO);
    cr_assert(toksim_sid_equal(&ev->sid, &g_alice));
    ts_assert_ok(toksim_isapi_impersonate(&res, a.ecb, a.worker, false, &g_tr, &e),
                 E(&e));
    cr_assert(res.ok && res.impersonating && res.level == TOKSIM_IMP_IMPERSONATION);
    cr_assert(toksim_sid_equal(&res.acting_user, &g_alice));
    app_stop(&a);
}

Test(isapi, stale_handle_after_done_with_session_is_invalid_and_changes_nothing)
{
    iis_setup_rights(true);
    app a;
    app_start(&a, TOKSIM_ISAPI_ISOLATED);
    begin(&a, TOKSIM_ISAPI_AUTH_ANONYMOUS, NULL);
    toksim_isapi_result res;
    toksim_error e = {0};
    ts_assert_ok(toksim_isapi_get_impersonation_token(&res, a.ecb, &g_tr, &e), E(&e));
    ts_assert_ok(toksim_isapi_return(&res, a.ecb, a.io, true, &g_tr, &e), E(&e));
    ts_assert_ok(toksim_isapi_done_with_session(&res, a.ecb, &g_tr, &e), E(&e));
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_isapi_impersonate(&res, a.ecb, a.worker, true, &g_tr, &e), E(&e));
    cr_assert(!res.ok && res.win32 == TOKSIM_ERROR_INVALID_HANDLE);
    cr_assert(!res.impersonating && toksim_sid_equal(&res.acting_user, &g_iwam));
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "isapi.token.closed", TOKSIM_V_DENY);
    cr_assert(toksim_sid_equal(&ev->sid, &g_iusr));
    cr_assert_eq(ev->status, TOKSIM_ERROR_INVALID_HANDLE);
    cr_assert_eq(toksim_isapi_get_impersonation_token(&res, a.ecb, NULL, &e),
                 TOKSIM_EINVAL, "ServerSupportFunction on an ended ECB is misuse");
    app_stop(&a);
}

/* ==== worker threads ==== */

Test(isapi, pending_worker_in_inetinfo_reads_as_system_finding)
{
    app a;
    app_start(&a, TOKSIM_ISAPI_INPROC);
    begin(&a, TOKSIM_ISAPI_AUTH_NTLM, "alice");
    toksim_sd *sd = system_only_sd();
    toksim_trace_clear(&g_tr);
    toksim_isapi_result res = open_file(&a, a.worker, sd);
    cr_assert(res.ok, "SYSTEM reads what alice may not");
    cr_assert_eq(res.granted, 0x00120089u);
    cr_assert(sid_is(&res.acting_user, "S-1-5-18"));
    const toksim_finding *f =
        toksim_findings_find(&res.findings, "finding.system_context_on_behalf");
    cr_assert_not_null(f);
    cr_assert_eq(f->severity, TOKSIM_SEV_HIGH);
    cr_assert(toksim_sid_equal(&f->client, &g_alice));
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "isapi.worker.process_identity", TOKSIM_V_INFO);
    cr_assert(sid_is(&ev->sid, "S-1-5-18"));
    cr_assert_str_eq(ev->text, "C:\\data\\payroll.csv");
    /* the fixed worker: no process-identity event, no finding, denied */
    toksim_error e = {0};
    ts_assert_ok(toksim_isapi_get_impersonation_token(&res, a.ecb, NULL, &e), E(&e));
    ts_assert_ok(toksim_isapi_impersonate(&res, a.ecb, a.worker, false, NULL, &e), E(&e));
    toksim_trace_clear(&g_tr);
    res = open_file(&a, a.worker, sd);
    cr_assert(!res.ok && res.win32 == TOKSIM_ERROR_ACCESS_DENIED);
    cr_assert_eq(res.findings.count, 0u);
    ts_expect_no_rule(&g_tr, "isapi.worker.process_identity");
    toksim_sd_free(sd);
    app_stop(&a);
}

Test(isapi, revert_returns_to_iwam_out_of_process)
{
    iis_setup_rights(true);
    app a;
    app_start(&a, TOKSIM_ISAPI_POOLED);
    begin(&a, TOKSIM_ISAPI_AUTH_NTLM, "alice");
    toksim_isapi_result res;
    toksim_error e = {0};
    ts_assert_ok(toksim_isapi_get_impersonation_token(&res, a.ecb, NULL, &e), E(&e));
    ts_assert_ok(toksim_isapi_impersonate(&res, a.ecb, a.worker, false, NULL, &e), E(&e));
    cr_assert(res.ok && !res.downgraded && toksim_sid_equal(&res.acting_user, &g_alice));
    toksim_trace_clear(&g_tr);
    ts_assert_ok(toksim_isapi_revert(&res, a.worker, &g_tr, &e), E(&e));
    cr_assert(!res.impersonating && toksim_sid_equal(&res.acting_user, &g_iwam));
    const toksim_trace_event *ev = ts_expect_rule(&g_tr, "isapi.revert", TOKSIM_V_CHANGE);
    cr_assert(toksim_sid_equal(&ev->sid, &g_iwam));
    /* after the revert an open acts as IWAM: the medium finding */
    toksim_sd *sd = system_only_sd();
    res = open_file(&a, a.worker, sd);
    cr_assert(!res.ok && res.win32 == TOKSIM_ERROR_ACCESS_DENIED);
    cr_assert_not_null(
        toksim_findings_find(&res.findings, "finding.process_context_on_behalf"));
    toksim_sd_free(sd);
    app_stop(&a);
}

/* ==== the iis.request ISAPI modes tell the same story ==== */

Test(isapi, pool_modes_agree_with_the_isapi_model)
{
    toksim_sid iusrs = ts_test_sid("S-1-5-32-568");
    grant(TOKSIM_PRIV_IMPERSONATE, &iusrs);
    toksim_iis_pool_config pc;
    memset(&pc, 0, sizeof pc);
    pc.name = "Legacy";
    pc.identity = TOKSIM_IIS_LOCAL_SYSTEM;
    toksim_iis_pool *pool = NULL;
    toksim_iis_pool_result pr;
    toksim_error e = {0};
    ts_assert_ok(toksim_iis_pool_start(&pool, &pr, g_w, &pc, NULL, &e), E(&e));
    toksim_sd *sd = system_only_sd();
    toksim_iis_request rq;
    memset(&rq, 0, sizeof rq);
    rq.auth = TOKSIM_IIS_AUTH_WINDOWS;
    rq.user = "alice";
    rq.sd = sd;
    rq.access = TOKSIM_IIS_ACCESS_ISAPI_PENDING;
    toksim_iis_response resp;
    ts_assert_ok(toksim_iis_request_run(&resp, pool, g_w, &rq, NULL, &e), E(&e));
    app a;
    app_start(&a, TOKSIM_ISAPI_INPROC);
    begin(&a, TOKSIM_ISAPI_AUTH_NTLM, "alice");
    toksim_isapi_result res = open_file(&a, a.worker, sd);
    /* same identity, same verdict, same finding */
    cr_assert(toksim_sid_equal(&resp.acting_user, &res.acting_user));
    cr_assert_eq(resp.http_status == 200, res.ok);
    cr_assert_not_null(
        toksim_findings_find(&resp.findings, "finding.system_context_on_behalf"));
    cr_assert_not_null(
        toksim_findings_find(&res.findings, "finding.system_context_on_behalf"));
    /* and with the impersonation token: both act as alice and are denied */
    rq.access = TOKSIM_IIS_ACCESS_ISAPI_TOKEN;
    ts_assert_ok(toksim_iis_request_run(&resp, pool, g_w, &rq, NULL, &e), E(&e));
    ts_assert_ok(toksim_isapi_get_impersonation_token(&res, a.ecb, NULL, &e), E(&e));
    ts_assert_ok(toksim_isapi_impersonate(&res, a.ecb, a.worker, false, NULL, &e), E(&e));
    res = open_file(&a, a.worker, sd);
    cr_assert(toksim_sid_equal(&resp.acting_user, &g_alice));
    cr_assert(toksim_sid_equal(&res.acting_user, &g_alice));
    cr_assert_eq(resp.win32, res.win32);
    cr_assert_eq(res.win32, TOKSIM_ERROR_ACCESS_DENIED);
    toksim_sd_free(sd);
    toksim_iis_pool_free(pool);
    app_stop(&a);
}

Test(isapi, names_parse_and_print)
{
    toksim_isapi_isolation iso;
    cr_assert_eq(toksim_isapi_isolation_parse(&iso, "Pooled"), TOKSIM_OK);
    cr_assert_eq(iso, TOKSIM_ISAPI_POOLED);
    cr_assert_str_eq(toksim_isapi_isolation_name(TOKSIM_ISAPI_ISOLATED), "isolated");
    cr_assert_eq(toksim_isapi_isolation_parse(&iso, "medium"), TOKSIM_EPARSE);
    toksim_isapi_auth au;
    cr_assert_eq(toksim_isapi_auth_parse(&au, "certificate"), TOKSIM_OK);
    cr_assert_str_eq(toksim_isapi_auth_name(au), "certificate");
    toksim_isapi_logon_method m;
    cr_assert_eq(toksim_isapi_logon_method_parse(&m, "batch"), TOKSIM_OK);
    cr_assert_eq(m, TOKSIM_ISAPI_LOGON_BATCH);
    cr_assert_eq(toksim_isapi_logon_method_parse(&m, "service"), TOKSIM_EPARSE);
}
