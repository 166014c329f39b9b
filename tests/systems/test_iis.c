/* PURPOSE: the IIS model: worker tokens per identity (L13), the MBAM case (L14), HTTP
 * mapping. */
#include <stdio.h>
#include "../helpers.h"

/* ts_assert_ok() takes an error pointer; a call keeps -Waddress quiet for a local record.
 */
static toksim_error *sys_err(toksim_error *e)
{
    return e;
}

#define IIS_DEFAULT_POOL_SID                                                             \
    "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415"
/* A hardening GPO's line: IIS_IUSRS (S-1-5-32-568) is no longer listed. */
#define IIS_GPO_INF                                                                      \
    "[Unicode]\nUnicode=yes\n[Version]\nsignature=\"$CHICAGO$\"\nRevision=1\n["          \
    "Privilege Rights]\n"                                                                \
    "SeImpersonatePrivilege = *S-1-5-32-544,*S-1-5-6,*S-1-5-19,*S-1-5-20\n"
#define IIS_FIX_INF                                                                      \
    "[Unicode]\nUnicode=yes\n[Version]\nsignature=\"$CHICAGO$\"\nRevision=1\n["          \
    "Privilege Rights]\n"                                                                \
    "SeImpersonatePrivilege = "                                                          \
    "*S-1-5-32-544,*S-1-5-6,*S-1-5-19,*S-1-5-20,*S-1-5-32-568\n"

static toksim_sid iis_add_user(toksim_world *w, const char *name, const char *password)
{
    toksim_account spec;
    memset(&spec, 0, sizeof spec);
    spec.kind = TOKSIM_ACCOUNT_USER;
    spec.scope = TOKSIM_SCOPE_MACHINE;
    spec.name = name;
    spec.password = password;
    toksim_sid sid;
    toksim_error e = {0};
    ts_assert_ok(toksim_world_add_account(w, &spec, &sid, &e), sys_err(&e));
    return sid;
}

/* A web server: IIS setup grants IIS_IUSRS SeImpersonatePrivilege and SeBatchLogonRight.
 */
static toksim_world *iis_world(void)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_world_new(&w, "WEB01", NULL, "server", &e), sys_err(&e));
    toksim_sid iusrs = ts_test_sid("S-1-5-32-568");
    ts_assert_ok(
        toksim_policy_grant(toksim_world_policy(w), TOKSIM_PRIV_IMPERSONATE, &iusrs),
        NULL);
    ts_assert_ok(
        toksim_policy_grant(toksim_world_policy(w), TOKSIM_RIGHT_BATCH_LOGON, &iusrs),
        NULL);
    iis_add_user(w, "mbam_iis", "pw");
    iis_add_user(w, "alice", "alicepw");
    return w;
}

static void iis_apply_inf(toksim_world *w, const char *inf)
{
    toksim_policy *tmpl = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_policy_parse_inf(&tmpl, inf, strlen(inf), "gpo.inf", w, &e),
                 sys_err(&e));
    ts_assert_ok(toksim_policy_apply(toksim_world_policy(w), tmpl), NULL);
    toksim_policy_free(tmpl);
}

static toksim_iis_pool *iis_pool(toksim_world *w,
                                 const char *name,
                                 toksim_iis_identity id,
                                 const char *user,
                                 toksim_iis_pool_result *res,
                                 toksim_trace *t)
{
    toksim_iis_pool_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.name = name;
    cfg.identity = id;
    cfg.user_name = user;
    cfg.password = user ? "pw" : NULL;
    toksim_iis_pool *p = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_iis_pool_start(&p, res, w, &cfg, t, &e), sys_err(&e));
    cr_assert_not_null(p);
    return p;
}

static bool iis_trace_has(const toksim_trace *t, const char *id)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(toksim_rule_get(t->events[i].rule)->id, id) == 0)
            return true;
    return false;
}

/* GET a file readable by Authenticated Users. */
static toksim_iis_response iis_get(toksim_iis_pool *p,
                                   toksim_world *w,
                                   toksim_iis_auth auth,
                                   const char *user,
                                   toksim_iis_access access,
                                   const char *sddl,
                                   toksim_trace *t)
{
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_sd_from_sddl(
                     &sd, sddl ? sddl : "O:SYG:SYD:(A;;FA;;;SY)(A;;FR;;;AU)", NULL, &e),
                 sys_err(&e));
    toksim_iis_request req;
    memset(&req, 0, sizeof req);
    req.auth = auth;
    req.user = user;
    req.password = auth == TOKSIM_IIS_AUTH_BASIC ? "alicepw" : NULL;
    req.access = access;
    req.path = "C:\\inetpub\\mbam\\site.css";
    req.sd = sd;
    toksim_iis_response r;
    ts_assert_ok(toksim_iis_request_run(&r, p, w, &req, t, &e), sys_err(&e));
    toksim_sd_free(sd);
    return r;
}

Test(iis, default_app_pool_worker_token_matches_observed)
{
    toksim_world *w = iis_world();
    toksim_iis_pool_result res;
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_iis_pool *p =
        iis_pool(w, "DefaultAppPool", TOKSIM_IIS_APPPOOL_IDENTITY, NULL, &res, &t);
    cr_assert(res.started);
    const toksim_token *tok = toksim_iis_pool_token(p);
    toksim_sid pool = ts_test_sid(IIS_DEFAULT_POOL_SID);
    cr_assert(toksim_sid_equal(toksim_token_user(tok), &pool),
              "user IIS APPPOOL\\DefaultAppPool");
    const char *groups[] = {"S-1-5-32-568", "S-1-5-82-0", "S-1-5-6", "S-1-1-0",
                            "S-1-5-11"};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        toksim_sid g = ts_test_sid(groups[i]);
        const toksim_group *gr = toksim_token_find_group(tok, &g);
        cr_assert_not_null(gr, "%s missing from the worker token (L13)", groups[i]);
        cr_assert(gr->attributes & TOKSIM_SE_GROUP_ENABLED, "%s not enabled", groups[i]);
    }
    toksim_sid iusrs = ts_test_sid("S-1-5-32-568");
    cr_assert_not(toksim_world_is_member(w, &iusrs, &pool),
                  "the SAM group IIS_IUSRS stays empty");
    cr_assert(toksim_token_privilege_enabled(tok, TOKSIM_PRIV_IMPERSONATE));
    cr_assert_eq(toksim_token_integrity(tok), TOKSIM_IL_HIGH);
    cr_assert(iis_trace_has(&t, "iis.pool.inject_iis_iusrs"));
    toksim_iis_pool_free(p);
    toksim_trace_dispose(&t);
    toksim_world_free(w);
}

Test(iis, mbam_gpo_breaks_custom_pool_with_0x80070542_and_fix_restores)
{
    toksim_world *w = iis_world();
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        iis_pool(w, "MBAM", TOKSIM_IIS_SPECIFIC_USER, "mbam_iis", &res, NULL);
    cr_assert(res.started);
    toksim_iis_response r = iis_get(p, w, TOKSIM_IIS_AUTH_WINDOWS, "alice",
                                    TOKSIM_IIS_ACCESS_IMPERSONATE, NULL, NULL);
    cr_assert_eq(r.http_status, 200, "before the GPO the portal works");
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);

    iis_apply_inf(w, IIS_GPO_INF);
    toksim_trace t;
    toksim_trace_init(&t);
    ts_assert_ok(toksim_iis_pool_recycle(p, &res, w, &t, NULL), NULL);
    cr_assert(res.started);
    const toksim_token *tok = toksim_iis_pool_token(p);
    toksim_sid iusrs = ts_test_sid("S-1-5-32-568");
    cr_assert_not_null(toksim_token_find_group(tok, &iusrs),
                       "the token still shows IIS_IUSRS");
    cr_assert_not(toksim_token_privilege_enabled(tok, TOKSIM_PRIV_IMPERSONATE));
    cr_assert_not_null(
        toksim_findings_find(&res.findings, "finding.worker_lacks_impersonate"));

    r = iis_get(p, w, TOKSIM_IIS_AUTH_WINDOWS, "alice", TOKSIM_IIS_ACCESS_IMPERSONATE,
                NULL, &t);
    cr_assert_eq(r.http_status, 500);
    cr_assert_eq(r.win32, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL);
    cr_assert_eq(r.hresult, 0x80070542u);
    cr_assert(r.impersonated, "the impersonation call itself succeeded");
    cr_assert(r.downgraded);
    cr_assert_eq(r.level, TOKSIM_IMP_IDENTIFICATION);
    const toksim_finding *f =
        toksim_findings_find(&r.findings, "finding.silent_identify_downgrade");
    cr_assert_not_null(f);
    cr_assert_eq(f->severity, TOKSIM_SEV_MEDIUM);
    cr_assert(iis_trace_has(&t, "iis.file.bad_impersonation_level"));

    iis_apply_inf(w, IIS_FIX_INF);
    ts_assert_ok(toksim_iis_pool_recycle(p, &res, w, NULL, NULL), NULL);
    r = iis_get(p, w, TOKSIM_IIS_AUTH_WINDOWS, "alice", TOKSIM_IIS_ACCESS_IMPERSONATE,
                NULL, NULL);
    cr_assert_eq(r.http_status, 200, "restoring IIS_IUSRS fixes the portal");
    toksim_iis_pool_free(p);
    toksim_trace_dispose(&t);
    toksim_world_free(w);
}

Test(iis, policy_change_reaches_the_worker_only_after_recycle)
{
    toksim_world *w = iis_world();
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        iis_pool(w, "MBAM", TOKSIM_IIS_SPECIFIC_USER, "mbam_iis", &res, NULL);
    iis_apply_inf(w, IIS_GPO_INF);
    toksim_iis_response r = iis_get(p, w, TOKSIM_IIS_AUTH_WINDOWS, "alice",
                                    TOKSIM_IIS_ACCESS_IMPERSONATE, NULL, NULL);
    cr_assert_eq(r.http_status, 200,
                 "the running worker keeps the token it started with");
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(iis, gpo_spares_pools_that_get_the_privilege_through_service)
{
    toksim_world *w = iis_world();
    iis_apply_inf(w, IIS_GPO_INF);
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        iis_pool(w, "DefaultAppPool", TOKSIM_IIS_APPPOOL_IDENTITY, NULL, &res, NULL);
    toksim_iis_response r = iis_get(p, w, TOKSIM_IIS_AUTH_WINDOWS, "alice",
                                    TOKSIM_IIS_ACCESS_IMPERSONATE, NULL, NULL);
    cr_assert_eq(r.http_status, 200, "ApplicationPoolIdentity workers hold SERVICE");
    toksim_iis_pool *q =
        iis_pool(w, "NSPool", TOKSIM_IIS_NETWORK_SERVICE, NULL, &res, NULL);
    r = iis_get(q, w, TOKSIM_IIS_AUTH_WINDOWS, "alice", TOKSIM_IIS_ACCESS_IMPERSONATE,
                NULL, NULL);
    cr_assert_eq(r.http_status, 200, "NETWORK SERVICE keeps SeImpersonatePrivilege");
    toksim_iis_pool_free(q);
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(iis, basic_auth_is_a_cleartext_logon_made_by_the_worker)
{
    toksim_world *w = iis_world();
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        iis_pool(w, "MBAM", TOKSIM_IIS_SPECIFIC_USER, "mbam_iis", &res, NULL);
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_iis_response r = iis_get(p, w, TOKSIM_IIS_AUTH_BASIC, "alice",
                                    TOKSIM_IIS_ACCESS_IMPERSONATE, NULL, &t);
    cr_assert_eq(r.http_status, 200);
    toksim_sid alice;
    ts_assert_ok(toksim_world_resolve(w, "alice", &alice, NULL), NULL);
    cr_assert(toksim_sid_equal(&r.acting_user, &alice));
    bool seen = false;
    for (size_t i = 0; i < t.count; i++)
        if (t.events[i].rule == TOKSIM_RULE_IIS_AUTH_BASIC) {
            seen = true;
            cr_assert_eq(t.events[i].a, TOKSIM_LOGON_NETWORK_CLEARTEXT,
                         "LogonUser type 8");
        }
    cr_assert(seen);
    toksim_trace_dispose(&t);
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(iis, specific_user_needs_batch_logon_right_else_503)
{
    toksim_world *w = iis_world();
    toksim_sid admins = ts_test_sid("S-1-5-32-544");
    ts_assert_ok(
        toksim_policy_set(toksim_world_policy(w), TOKSIM_RIGHT_BATCH_LOGON, &admins, 1),
        NULL);
    toksim_iis_pool_result res;
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_iis_pool *p =
        iis_pool(w, "MBAM", TOKSIM_IIS_SPECIFIC_USER, "mbam_iis", &res, &t);
    cr_assert_not(res.started);
    cr_assert_eq(res.logon_win32, TOKSIM_ERROR_LOGON_TYPE_NOT_GRANTED);
    cr_assert(iis_trace_has(&t, "iis.pool.logon_failed"));
    cr_assert_null(toksim_iis_pool_token(p));
    toksim_iis_response r = iis_get(p, w, TOKSIM_IIS_AUTH_ANONYMOUS, NULL,
                                    TOKSIM_IIS_ACCESS_IMPERSONATE, NULL, NULL);
    cr_assert_eq(r.http_status, 503);
    /* The same policy leaves an ApplicationPoolIdentity pool running (no batch logon). */
    toksim_iis_pool *q =
        iis_pool(w, "DefaultAppPool", TOKSIM_IIS_APPPOOL_IDENTITY, NULL, &res, NULL);
    cr_assert(res.started);
    toksim_iis_pool_free(q);
    toksim_iis_pool_free(p);
    toksim_trace_dispose(&t);
    toksim_world_free(w);
}

Test(iis, was_grants_service_logon_right_but_deny_right_stops_the_pool)
{
    toksim_world *w = iis_world();
    toksim_sid all = ts_test_sid("S-1-5-80-0");
    ts_assert_ok(
        toksim_policy_set(toksim_world_policy(w), TOKSIM_RIGHT_SERVICE_LOGON, &all, 1),
        NULL);
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        iis_pool(w, "DefaultAppPool", TOKSIM_IIS_APPPOOL_IDENTITY, NULL, &res, NULL);
    cr_assert(res.started);
    toksim_sid pool = ts_test_sid(IIS_DEFAULT_POOL_SID);
    cr_assert(toksim_policy_has(toksim_world_policy_const(w), TOKSIM_RIGHT_SERVICE_LOGON,
                                &pool),
              "WAS added the pool identity to Log on as a service");
    ts_assert_ok(toksim_policy_grant(toksim_world_policy(w),
                                     TOKSIM_RIGHT_DENY_SERVICE_LOGON, &pool),
                 NULL);
    ts_assert_ok(toksim_iis_pool_recycle(p, &res, w, NULL, NULL), NULL);
    cr_assert_not(res.started, "Deny log on as a service wins");
    cr_assert_eq(res.logon_win32, TOKSIM_ERROR_LOGON_TYPE_NOT_GRANTED);
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(iis, file_acl_denial_is_401_3)
{
    toksim_world *w = iis_world();
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        iis_pool(w, "DefaultAppPool", TOKSIM_IIS_APPPOOL_IDENTITY, NULL, &res, NULL);
    toksim_iis_response r =
        iis_get(p, w, TOKSIM_IIS_AUTH_WINDOWS, "alice", TOKSIM_IIS_ACCESS_IMPERSONATE,
                "O:SYG:SYD:(A;;FA;;;SY)", NULL);
    cr_assert_eq(r.http_status, 401);
    cr_assert_eq(r.http_substatus, 3);
    cr_assert_eq(r.win32, TOKSIM_ERROR_ACCESS_DENIED);
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(iis, localsystem_pool_acting_for_users_is_flagged)
{
    toksim_world *w = iis_world();
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        iis_pool(w, "SysPool", TOKSIM_IIS_LOCAL_SYSTEM, NULL, &res, NULL);
    cr_assert_not_null(
        toksim_findings_find(&res.findings, "finding.pool_runs_as_system"));
    toksim_iis_response r =
        iis_get(p, w, TOKSIM_IIS_AUTH_WINDOWS, "alice", TOKSIM_IIS_ACCESS_PROCESS,
                "O:SYG:SYD:(A;;FA;;;SY)", NULL);
    cr_assert_eq(r.http_status, 200, "SYSTEM reads what alice may not");
    toksim_sid sys = ts_test_sid("S-1-5-18");
    cr_assert(toksim_sid_equal(&r.acting_user, &sys));
    const toksim_finding *f =
        toksim_findings_find(&r.findings, "finding.system_context_on_behalf");
    cr_assert_not_null(f);
    cr_assert_eq(f->severity, TOKSIM_SEV_HIGH);
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(iis, manual_group_membership_skips_iis_iusrs_and_pool_sid_is_injected)
{
    toksim_world *w = iis_world();
    toksim_iis_pool_config cfg = {"NSPool", TOKSIM_IIS_NETWORK_SERVICE, NULL, NULL,
                                  true,     TOKSIM_DELEGATION_NONE,     NULL, 0,
                                  NULL};
    toksim_iis_pool *p = NULL;
    toksim_iis_pool_result res;
    ts_assert_ok(toksim_iis_pool_start(&p, &res, w, &cfg, NULL, NULL), NULL);
    const toksim_token *tok = toksim_iis_pool_token(p);
    toksim_sid iusrs = ts_test_sid("S-1-5-32-568"), apd = ts_test_sid("S-1-5-82-0");
    cr_assert_null(toksim_token_find_group(tok, &iusrs));
    cr_assert_not_null(toksim_token_find_group(tok, &res.pool_sid), "pool SID injected");
    cr_assert_not_null(toksim_token_find_group(tok, &apd));
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(iis, anonymous_requests_run_as_the_configured_user_or_the_pool_identity)
{
    toksim_world *w = iis_world();
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        iis_pool(w, "DefaultAppPool", TOKSIM_IIS_APPPOOL_IDENTITY, NULL, &res, NULL);
    toksim_sd *sd = NULL;
    ts_assert_ok(toksim_sd_from_sddl(&sd, "O:SYG:SYD:(A;;FR;;;WD)", NULL, NULL), NULL);
    toksim_iis_request req;
    memset(&req, 0, sizeof req);
    req.auth = TOKSIM_IIS_AUTH_ANONYMOUS;
    req.anonymous_user = "alice";
    req.sd = sd;
    toksim_iis_response r;
    ts_assert_ok(toksim_iis_request_run(&r, p, w, &req, NULL, NULL), NULL);
    cr_assert_eq(r.http_status, 200);
    toksim_sid alice;
    ts_assert_ok(toksim_world_resolve(w, "alice", &alice, NULL), NULL);
    cr_assert(toksim_sid_equal(&r.acting_user, &alice),
              "anonymousAuthentication userName=alice");
    cr_assert(r.impersonated);
    req.anonymous_user = "";
    ts_assert_ok(toksim_iis_request_run(&r, p, w, &req, NULL, NULL), NULL);
    cr_assert_eq(r.http_status, 200);
    cr_assert(toksim_sid_equal(&r.acting_user, &res.pool_sid),
              "userName=\"\": the pool identity");
    cr_assert_not(r.impersonated);
    toksim_sd_free(sd);
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(iis, basic_auth_with_a_wrong_password_is_401_1)
{
    toksim_world *w = iis_world();
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        iis_pool(w, "DefaultAppPool", TOKSIM_IIS_APPPOOL_IDENTITY, NULL, &res, NULL);
    toksim_iis_request req;
    memset(&req, 0, sizeof req);
    req.auth = TOKSIM_IIS_AUTH_BASIC;
    req.user = "alice";
    req.password = "wrong";
    toksim_iis_response r;
    ts_assert_ok(toksim_iis_request_run(&r, p, w, &req, NULL, NULL), NULL);
    cr_assert_eq(r.http_status, 401);
    cr_assert_eq(r.http_substatus, 1);
    cr_assert_eq(r.win32, TOKSIM_ERROR_LOGON_FAILURE);
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(iis, names_parse_and_bad_config)
{
    toksim_iis_identity id;
    ts_assert_ok(toksim_iis_identity_parse(&id, "applicationpoolidentity"), NULL);
    cr_assert_eq(id, TOKSIM_IIS_APPPOOL_IDENTITY);
    cr_assert_str_eq(toksim_iis_identity_name(TOKSIM_IIS_SPECIFIC_USER), "SpecificUser");
    toksim_iis_auth a;
    ts_assert_ok(toksim_iis_auth_parse(&a, "Windows"), NULL);
    cr_assert_eq(a, TOKSIM_IIS_AUTH_WINDOWS);
    cr_assert_eq(toksim_iis_auth_parse(&a, "digest"), TOKSIM_ENOTFOUND);
    toksim_world *w = iis_world();
    toksim_iis_pool_config cfg = {"P",   TOKSIM_IIS_SPECIFIC_USER, NULL, NULL,
                                  false, TOKSIM_DELEGATION_NONE,   NULL, 0,
                                  NULL};
    toksim_iis_pool *p = NULL;
    cr_assert_eq(toksim_iis_pool_start(&p, NULL, w, &cfg, NULL, NULL), TOKSIM_EINVAL);
    cr_assert_null(p);
    toksim_world_free(w);
}

Test(iis, injection_sentence_tells_whether_the_sam_group_holds_the_identity)
{
    toksim_world *w = iis_world();
    toksim_iis_pool_result res;
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_iis_pool *p =
        iis_pool(w, "MBAM", TOKSIM_IIS_SPECIFIC_USER, "mbam_iis", &res, &t);
    cr_assert(iis_trace_has(&t, "iis.pool.inject_iis_iusrs"));
    cr_assert_not(iis_trace_has(&t, "iis.pool.iis_iusrs_member"));
    toksim_iis_pool_free(p);
    toksim_sid iusrs = ts_test_sid("S-1-5-32-568"), user;
    ts_assert_ok(toksim_world_resolve(w, "mbam_iis", &user, NULL), NULL);
    ts_assert_ok(toksim_world_add_member(w, &iusrs, &user, NULL), NULL);
    toksim_trace_clear(&t);
    p = iis_pool(w, "MBAM", TOKSIM_IIS_SPECIFIC_USER, "mbam_iis", &res, &t);
    cr_assert(iis_trace_has(&t, "iis.pool.iis_iusrs_member"));
    cr_assert_not(iis_trace_has(&t, "iis.pool.inject_iis_iusrs"));
    toksim_iis_pool_free(p);
    toksim_trace_dispose(&t);
    toksim_world_free(w);
}

Test(iis, pending_isapi_thread_runs_as_the_process_unless_it_fetches_the_token)
{
    toksim_world *w = iis_world();
    toksim_iis_pool_result res;
    /* IIS 5 style: the host process is LocalSystem (inetinfo.exe). */
    toksim_iis_pool *p =
        iis_pool(w, "Inetinfo", TOKSIM_IIS_LOCAL_SYSTEM, NULL, &res, NULL);
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_iis_response r =
        iis_get(p, w, TOKSIM_IIS_AUTH_WINDOWS, "alice", TOKSIM_IIS_ACCESS_ISAPI_PENDING,
                "O:SYG:SYD:(A;;FA;;;SY)", &t);
    cr_assert_eq(r.http_status, 200, "the extension thread reads it as SYSTEM");
    cr_assert_not(r.impersonated);
    cr_assert(iis_trace_has(&t, "iis.isapi.pending_thread"));
    cr_assert_not_null(
        toksim_findings_find(&r.findings, "finding.system_context_on_behalf"));
    r = iis_get(p, w, TOKSIM_IIS_AUTH_WINDOWS, "alice", TOKSIM_IIS_ACCESS_ISAPI_TOKEN,
                "O:SYG:SYD:(A;;FA;;;SY)", &t);
    cr_assert_eq(r.http_status, 401, "with the request token alice is denied");
    cr_assert_eq(r.http_substatus, 3);
    cr_assert(iis_trace_has(&t, "iis.isapi.impersonation_token"));
    toksim_iis_pool_free(p);
    /* In a NETWORK SERVICE worker the pending thread acts as the pool identity: still a
     * finding. */
    p = iis_pool(w, "NSPool", TOKSIM_IIS_NETWORK_SERVICE, NULL, &res, NULL);
    r = iis_get(p, w, TOKSIM_IIS_AUTH_WINDOWS, "alice", TOKSIM_IIS_ACCESS_ISAPI_PENDING,
                NULL, NULL);
    cr_assert_not_null(
        toksim_findings_find(&r.findings, "finding.process_context_on_behalf"));
    r = iis_get(p, w, TOKSIM_IIS_AUTH_WINDOWS, "alice", TOKSIM_IIS_ACCESS_PROCESS, NULL,
                NULL);
    cr_assert_eq(r.findings.count, 0,
                 "ASP.NET without impersonation is the design, not a finding");
    toksim_iis_access a;
    ts_assert_ok(toksim_iis_access_parse(&a, "isapi_pending"), NULL);
    cr_assert_eq(a, TOKSIM_IIS_ACCESS_ISAPI_PENDING);
    cr_assert_str_eq(toksim_iis_access_name(TOKSIM_IIS_ACCESS_ISAPI_TOKEN),
                     "isapi_token");
    toksim_trace_dispose(&t);
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(iis, default_anonymous_requests_run_as_iusr)
{
    toksim_world *w = iis_world();
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        iis_pool(w, "DefaultAppPool", TOKSIM_IIS_APPPOOL_IDENTITY, NULL, &res, NULL);
    toksim_iis_response r =
        iis_get(p, w, TOKSIM_IIS_AUTH_ANONYMOUS, NULL, TOKSIM_IIS_ACCESS_IMPERSONATE,
                "O:SYG:SYD:(A;;FR;;;WD)", NULL);
    cr_assert_eq(r.http_status, 200);
    toksim_sid iusr = ts_test_sid("S-1-5-17");
    cr_assert(toksim_sid_equal(&r.acting_user, &iusr),
              "anonymousAuthentication userName=IUSR");
    r = iis_get(p, w, TOKSIM_IIS_AUTH_ANONYMOUS, NULL, TOKSIM_IIS_ACCESS_IMPERSONATE,
                "O:SYG:SYD:(A;;FA;;;SY)", NULL);
    cr_assert_eq(r.http_status, 401);
    cr_assert_eq(r.http_substatus, 3, "IUSR may not read it");
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(iis, basic_and_anonymous_survive_the_gpo_because_the_worker_made_the_logon)
{
    toksim_world *w = iis_world();
    iis_apply_inf(w, IIS_GPO_INF);
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        iis_pool(w, "MBAM", TOKSIM_IIS_SPECIFIC_USER, "mbam_iis", &res, NULL);
    cr_assert_not(toksim_token_privilege_enabled(toksim_iis_pool_token(p),
                                                 TOKSIM_PRIV_IMPERSONATE));
    toksim_iis_response r = iis_get(p, w, TOKSIM_IIS_AUTH_BASIC, "alice",
                                    TOKSIM_IIS_ACCESS_IMPERSONATE, NULL, NULL);
    cr_assert_eq(r.http_status, 200,
                 "explicit-credential token from the worker's own session");
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    cr_assert_not(r.downgraded);
    r = iis_get(p, w, TOKSIM_IIS_AUTH_ANONYMOUS, NULL, TOKSIM_IIS_ACCESS_IMPERSONATE,
                "O:SYG:SYD:(A;;FR;;;WD)", NULL);
    cr_assert_eq(r.http_status, 200,
                 "IUSR logged on by the worker (TS_IIS_IUSR_FROM_WORKER_LOGON)");
    r = iis_get(p, w, TOKSIM_IIS_AUTH_WINDOWS, "alice", TOKSIM_IIS_ACCESS_IMPERSONATE,
                NULL, NULL);
    cr_assert_eq(r.http_status, 500, "only the SSPI token needs the privilege");
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

/* Remote content: a request for a file on \\fs01 (the double hop, windows-model §11). */
static toksim_iis_response iis_get_remote(toksim_iis_pool *p,
                                          toksim_world *w,
                                          toksim_iis_auth auth,
                                          bool kerberos,
                                          toksim_iis_access access,
                                          const char *sddl,
                                          toksim_trace *t)
{
    toksim_sd *sd = NULL;
    ts_assert_ok(toksim_sd_from_sddl(&sd, sddl, NULL, NULL), NULL);
    toksim_iis_request req;
    memset(&req, 0, sizeof req);
    req.auth = auth;
    req.user = "CONTOSO\\bob";
    req.password = "bobpw";
    req.kerberos = kerberos;
    req.access = access;
    req.path = "\\\\fs01\\content\\site.css";
    req.sd = sd;
    req.remote_spn = "cifs/fs01.contoso.com";
    toksim_iis_response r;
    ts_assert_ok(toksim_iis_request_run(&r, p, w, &req, t, NULL), NULL);
    toksim_sd_free(sd);
    return r;
}

#define IIS_DOM "S-1-5-21-1004336348-1177238915-682003330"

static toksim_world *iis_domain_world(void)
{
    toksim_world *w = iis_world();
    toksim_sid dom = ts_test_sid(IIS_DOM);
    ts_assert_ok(toksim_world_join_domain(w, "CONTOSO", &dom, NULL), NULL);
    toksim_account spec;
    memset(&spec, 0, sizeof spec);
    spec.kind = TOKSIM_ACCOUNT_USER;
    spec.scope = TOKSIM_SCOPE_DOMAIN;
    spec.name = "bob";
    spec.password = "bobpw";
    ts_assert_ok(toksim_world_add_account(w, &spec, NULL, NULL), NULL);
    return w;
}

Test(iis, ntlm_double_hop_reaches_the_share_as_anonymous)
{
    toksim_world *w = iis_domain_world();
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        iis_pool(w, "NSPool", TOKSIM_IIS_NETWORK_SERVICE, NULL, &res, NULL);
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_iis_response r = iis_get_remote(p, w, TOKSIM_IIS_AUTH_WINDOWS, false,
                                           TOKSIM_IIS_ACCESS_IMPERSONATE,
                                           "O:SYG:SYD:(A;;FA;;;SY)(A;;FR;;;AU)", &t);
    cr_assert(r.remote);
    cr_assert_eq(r.hop_identity, TOKSIM_HOP_ANONYMOUS);
    cr_assert_eq(r.http_status, 401, "ANONYMOUS LOGON is not an Authenticated User");
    cr_assert_eq(r.http_substatus, 3);
    cr_assert_not_null(toksim_findings_find(&r.findings, "finding.double_hop_anonymous"));
    cr_assert(iis_trace_has(&t, "iis.remote.identity"));
    /* Basic auth: IIS holds the password, the hop carries bob. */
    r = iis_get_remote(p, w, TOKSIM_IIS_AUTH_BASIC, false, TOKSIM_IIS_ACCESS_IMPERSONATE,
                       "O:SYG:SYD:(A;;FA;;;SY)(A;;FR;;;AU)", NULL);
    cr_assert_eq(r.hop_identity, TOKSIM_HOP_CLIENT);
    cr_assert_eq(r.http_status, 200);
    toksim_trace_dispose(&t);
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(iis, kerberos_constrained_delegation_carries_the_user)
{
    toksim_world *w = iis_domain_world();
    const char *spns[] = {"CIFS/fs01.contoso.com"};
    toksim_iis_pool_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.name = "KcdPool";
    cfg.identity = TOKSIM_IIS_NETWORK_SERVICE;
    cfg.delegation = TOKSIM_DELEGATION_CONSTRAINED;
    cfg.allowed_spns = spns;
    cfg.allowed_spn_count = 1;
    toksim_iis_pool *p = NULL;
    ts_assert_ok(toksim_iis_pool_start(&p, NULL, w, &cfg, NULL, NULL), NULL);
    toksim_iis_response r =
        iis_get_remote(p, w, TOKSIM_IIS_AUTH_WINDOWS, true, TOKSIM_IIS_ACCESS_IMPERSONATE,
                       "O:SYG:SYD:(A;;FA;;;SY)(A;;FR;;;AU)", NULL);
    cr_assert_eq(r.hop_identity, TOKSIM_HOP_CLIENT);
    cr_assert_eq(r.http_status, 200);
    toksim_sid bob;
    ts_assert_ok(toksim_world_resolve(w, "CONTOSO\\bob", &bob, NULL), NULL);
    cr_assert(toksim_sid_equal(&r.remote_user, &bob));
    /* The same request with NTLM cannot be delegated. */
    r = iis_get_remote(p, w, TOKSIM_IIS_AUTH_WINDOWS, false,
                       TOKSIM_IIS_ACCESS_IMPERSONATE,
                       "O:SYG:SYD:(A;;FA;;;SY)(A;;FR;;;AU)", NULL);
    cr_assert_eq(r.hop_identity, TOKSIM_HOP_ANONYMOUS);
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(iis, worker_identity_goes_out_as_the_machine_account)
{
    toksim_world *w = iis_domain_world();
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        iis_pool(w, "DefaultAppPool", TOKSIM_IIS_APPPOOL_IDENTITY, NULL, &res, NULL);
    /* The share grants Domain Computers (<domain>-515) read. */
    toksim_iis_response r =
        iis_get_remote(p, w, TOKSIM_IIS_AUTH_WINDOWS, false, TOKSIM_IIS_ACCESS_PROCESS,
                       "O:SYG:SYD:(A;;FA;;;SY)(A;;FR;;;" IIS_DOM "-515)", NULL);
    cr_assert_eq(r.hop_identity, TOKSIM_HOP_MACHINE,
                 "IIS APPPOOL\\x uses the machine account");
    cr_assert_eq(r.http_status, 200);
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(iis, windows_auth_token_names_the_negotiated_package)
{
    toksim_world *w = iis_domain_world();
    toksim_iis_pool_result res;
    toksim_iis_pool *p =
        iis_pool(w, "NSPool", TOKSIM_IIS_NETWORK_SERVICE, NULL, &res, NULL);
    toksim_iis_request req;
    memset(&req, 0, sizeof req);
    req.auth = TOKSIM_IIS_AUTH_WINDOWS;
    req.user = "CONTOSO\\bob";
    req.kerberos = false;
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_iis_response r;
    ts_assert_ok(toksim_iis_request_run(&r, p, w, &req, &t, NULL), NULL);
    cr_assert_eq(r.http_status, 200);
    toksim_sid ntlm = ts_test_sid("S-1-5-64-10");
    bool seen = false;
    for (size_t i = 0; i < t.count; i++)
        if (t.events[i].has_sid && toksim_sid_equal(&t.events[i].sid, &ntlm))
            seen = true;
    cr_assert(seen, "an NTLM logon carries NT AUTHORITY\\NTLM Authentication");
    toksim_trace_clear(&t);
    req.kerberos = true;
    ts_assert_ok(toksim_iis_request_run(&r, p, w, &req, &t, NULL), NULL);
    seen = false;
    for (size_t i = 0; i < t.count; i++)
        if (t.events[i].has_sid && toksim_sid_equal(&t.events[i].sid, &ntlm))
            seen = true;
    cr_assert_not(seen, "Kerberos adds no package SID");
    toksim_trace_dispose(&t);
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(iis, unknown_pool_account_is_a_library_error_without_leaks)
{
    toksim_world *w = iis_world();
    toksim_iis_pool_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.name = "Ghost";
    cfg.identity = TOKSIM_IIS_SPECIFIC_USER;
    cfg.user_name = "CONTOSO\\nobody";
    toksim_iis_pool *p = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_iis_pool_start(&p, NULL, w, &cfg, NULL, &e), TOKSIM_ENOTFOUND);
    cr_assert_null(p);
    cr_assert(strstr(e.message, "nobody") != NULL, "%s", e.message);
    toksim_world_free(w);
}
