/*
 * PURPOSE: the potato TEACHING MODEL (toksim_potato_run): every "potato.*" rule and
 * finding.potato_system_impersonated, each asserting the outcome (SYSTEM obtained or not,
 * the thread level, the open's Win32 code) with the deciding event.
 */
#include <stdio.h>
#include "../rules_helpers.h"

static toksim_trace g_tr;
static toksim_world *g_w;

static void setup(void)
{
    toksim_trace_init(&g_tr);
    toksim_error e = {0};
    toksim_status rc = toksim_world_new(&g_w, "SRV19", NULL, "server", &e);
    cr_assert(rc == TOKSIM_OK, "world: %s", e.message);
}

static void teardown(void)
{
    toksim_trace_dispose(&g_tr);
    toksim_world_free(g_w);
}

TestSuite(potato, .init = setup, .fini = teardown);

static toksim_token *service(toksim_service_sid_type type)
{
    toksim_service_config cfg = {
        "WebAppSvc", TOKSIM_SVC_NETWORK_SERVICE, NULL, NULL, type, NULL, 0};
    toksim_service_result res;
    toksim_token *tok = NULL;
    toksim_error e = {0};
    cr_assert(toksim_service_start(&res, &tok, g_w, &cfg, NULL, &e) == TOKSIM_OK, "%s",
              e.message);
    cr_assert(res.started);
    return tok;
}

static toksim_potato_result run(const toksim_potato_request *req)
{
    toksim_potato_result res;
    toksim_error e = {0};
    toksim_trace_clear(&g_tr);
    cr_assert(toksim_potato_run(&res, g_w, req, &g_tr, &e) == TOKSIM_OK, "%s", e.message);
    return res;
}

Test(potato, spooler_path_with_impersonate_yields_system)
{
    toksim_token *svc = service(TOKSIM_SERVICE_SID_TYPE_NONE);
    toksim_potato_request req;
    toksim_potato_request_init(&req);
    req.service = svc;
    toksim_potato_result res = run(&req);
    cr_assert(res.coerced && res.impersonated && res.ok);
    cr_assert_eq(res.level, TOKSIM_IMP_IMPERSONATION);
    cr_assert_eq(res.win32, 0u);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "potato.teaching_model", TOKSIM_V_INFO);
    cr_assert_str_eq(ev->text, "spooler");
    ev = ts_expect_rule(&g_tr, "potato.system_connected", TOKSIM_V_INFO);
    toksim_sid sys = ts_test_sid("S-1-5-18");
    cr_assert(toksim_sid_equal(&ev->sid, &sys));
    ts_expect_rule(&g_tr, "potato.impersonated_system", TOKSIM_V_GRANT);
    ev = ts_expect_rule(&g_tr, "potato.open_as_system", TOKSIM_V_GRANT);
    cr_assert(toksim_sid_equal(&ev->sid, &sys), "the open ran as SYSTEM");
    const toksim_finding *f =
        toksim_findings_find(&res.findings, "finding.potato_system_impersonated");
    cr_assert_not_null(f);
    cr_assert_eq(f->severity, TOKSIM_SEV_HIGH);
    ts_expect_rule(&g_tr, "finding.potato_system_impersonated", TOKSIM_V_INFO);
    /* the DCOM path through rpcss impersonates over RPC, with the same outcome */
    req.path = TOKSIM_POTATO_DCOM_REMOTE;
    req.remote_redirector = true;
    res = run(&req);
    cr_assert(res.ok && res.impersonated);
    toksim_token_free(svc);
}

Test(potato, without_the_privilege_the_open_fails_with_1346)
{
    toksim_token *svc = service(TOKSIM_SERVICE_SID_TYPE_NONE);
    toksim_token_remove_privilege(svc, TOKSIM_PRIV_IMPERSONATE);
    toksim_potato_request req;
    toksim_potato_request_init(&req);
    req.service = svc;
    toksim_potato_result res = run(&req);
    cr_assert(res.coerced && !res.impersonated && !res.ok);
    cr_assert_eq(res.level, TOKSIM_IMP_IDENTIFICATION, "silent downgrade");
    cr_assert_eq(res.win32, 1346u);
    cr_assert_eq(res.hresult, 0x80070542u);
    cr_assert_eq(res.stopped_by, ts_rule("potato.downgraded"));
    ts_expect_rule(&g_tr, "potato.downgraded", TOKSIM_V_DENY);
    ts_expect_rule(&g_tr, "potato.open_as_system", TOKSIM_V_DENY);
    cr_assert_eq(res.findings.count, 0u);
    toksim_token_free(svc);
}

Test(potato, write_restricted_service_is_stopped_behind_a_switch)
{
    toksim_token *svc = service(TOKSIM_SERVICE_SID_TYPE_RESTRICTED);
    cr_assert(toksim_token_is_write_restricted(svc));
    toksim_potato_request req;
    toksim_potato_request_init(&req);
    req.service = svc;
    toksim_potato_result res = run(&req);
    cr_assert(!res.coerced && !res.ok);
    cr_assert_eq(res.stopped_by, ts_rule("potato.write_restricted"));
    ts_expect_rule(&g_tr, "potato.write_restricted", TOKSIM_V_DENY);
    req.write_restricted_blocks = false; /* the UNCONFIRMED switch, flipped */
    res = run(&req);
    cr_assert(res.ok && res.impersonated);
    ts_expect_no_rule(&g_tr, "potato.write_restricted");
    toksim_token_free(svc);
}

Test(potato, no_coercion_path)
{
    toksim_token *svc = service(TOKSIM_SERVICE_SID_TYPE_NONE);
    toksim_potato_request req;
    toksim_potato_request_init(&req);
    req.service = svc;
    req.spooler_running = false;
    toksim_potato_result res = run(&req);
    cr_assert(!res.coerced && !res.ok);
    const toksim_trace_event *ev =
        ts_expect_rule(&g_tr, "potato.no_coercion_path", TOKSIM_V_DENY);
    cr_assert(strstr(ev->text, "Spooler"), "%s", ev->text);
    req.path = TOKSIM_POTATO_DCOM_LOCAL;
    res = run(&req);
    cr_assert(!res.coerced, "the server profile refuses a local OXID resolver");
    req.path = TOKSIM_POTATO_DCOM_REMOTE;
    res = run(&req);
    cr_assert(!res.coerced, "no redirector");
    cr_assert_eq(res.stopped_by, ts_rule("potato.no_coercion_path"));
    toksim_token_free(svc);
}

Test(potato, win7_profile_keeps_the_local_oxid_path)
{
    toksim_world_free(g_w);
    toksim_error e = {0};
    cr_assert(toksim_world_new(&g_w, "WIN7", NULL, "win7", &e) == TOKSIM_OK, "%s",
              e.message);
    toksim_token *svc = service(TOKSIM_SERVICE_SID_TYPE_NONE);
    toksim_potato_request req;
    toksim_potato_request_init(&req);
    req.service = svc;
    req.path = TOKSIM_POTATO_DCOM_LOCAL;
    toksim_potato_result res = run(&req);
    cr_assert(res.coerced && res.ok, "JuicyPotato's path exists before 1809");
    toksim_potato_path p;
    cr_assert(toksim_potato_path_parse(&p, "DCOM_Remote") == TOKSIM_OK &&
              p == TOKSIM_POTATO_DCOM_REMOTE);
    cr_assert(toksim_potato_path_parse(&p, "efs") == TOKSIM_ENOTFOUND);
    cr_assert_str_eq(toksim_potato_path_name(TOKSIM_POTATO_SPOOLER), "spooler");
    toksim_potato_result out;
    cr_assert_eq(toksim_potato_run(&out, g_w, NULL, NULL, NULL), TOKSIM_EINVAL);
    toksim_token_free(svc);
}
