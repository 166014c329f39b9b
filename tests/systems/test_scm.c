/* PURPOSE: the SCM model (windows-model §4.5, §5.8, L11-L12): service logon, 1069, SCM
 * groups. */
#include <stdio.h>
#include "../helpers.h"

/* ts_assert_ok() takes an error pointer; a call keeps -Waddress quiet for a local record.
 */
static toksim_error *sys_err(toksim_error *e)
{
    return e;
}

static toksim_world *scm_world(void)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_world_new(&w, "SRV01", NULL, "server", &e), sys_err(&e));
    return w;
}

static toksim_sid scm_add_user(toksim_world *w, const char *name, const char *password)
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

static bool scm_trace_has(const toksim_trace *t, const char *id)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(toksim_rule_get(t->events[i].rule)->id, id) == 0)
            return true;
    return false;
}

static toksim_token *scm_start(toksim_world *w,
                               const toksim_service_config *cfg,
                               toksim_service_result *res,
                               toksim_trace *t)
{
    toksim_token *tok = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_service_start(res, &tok, w, cfg, t, &e), sys_err(&e));
    return tok;
}

Test(scm, unrestricted_service_sid_is_enabled_by_default_owner)
{
    toksim_world *w = scm_world();
    toksim_service_config cfg = {"MySvc", TOKSIM_SVC_NETWORK_SERVICE,           NULL,
                                 NULL,    TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED, NULL,
                                 0};
    toksim_service_result res;
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_token *tok = scm_start(w, &cfg, &res, &t);
    cr_assert(res.started);
    cr_assert_eq(res.win32, 0);
    toksim_sid svc;
    ts_assert_ok(toksim_sid_virtual(&svc, TOKSIM_VIRTUAL_SERVICE, "MySvc", NULL), NULL);
    cr_assert(toksim_sid_equal(&svc, &res.service_sid));
    const toksim_group *g = toksim_token_find_group(tok, &svc);
    cr_assert_not_null(g, "the service SID is in the token (L11)");
    cr_assert_eq(g->attributes, TOKSIM_SCM_SERVICE_SID_STARTED_ATTRIBUTES,
                 "SERVICE_SID_INFO EnabledByDefault|Owner, enabled once started");
    toksim_sid service = ts_test_sid("S-1-5-6"), local = ts_test_sid("S-1-2-0");
    cr_assert_not_null(toksim_token_find_group(tok, &service));
    cr_assert_not_null(toksim_token_find_group(tok, &local));
    bool logon_sid = false;
    for (size_t i = 0; i < toksim_token_group_count(tok); i++) {
        const toksim_group *gi = toksim_token_group_at(tok, i);
        if ((gi->attributes & TOKSIM_SE_GROUP_LOGON_ID) == TOKSIM_SE_GROUP_LOGON_ID)
            logon_sid = true;
    }
    cr_assert(logon_sid, "the logon SID S-1-5-5-X-Y is present");
    cr_assert_not(toksim_token_is_restricted(tok));
    cr_assert(scm_trace_has(&t, "scm.service_sid.unrestricted"));
    cr_assert(scm_trace_has(&t, "scm.group.service"));
    toksim_token_free(tok);
    toksim_trace_dispose(&t);
    toksim_world_free(w);
}

Test(scm, restricted_service_token_is_write_restricted)
{
    toksim_world *w = scm_world();
    toksim_service_config cfg = {"LockedSvc",
                                 TOKSIM_SVC_LOCAL_SERVICE,
                                 NULL,
                                 NULL,
                                 TOKSIM_SERVICE_SID_TYPE_RESTRICTED,
                                 NULL,
                                 0};
    toksim_service_result res;
    toksim_token *tok = scm_start(w, &cfg, &res, NULL);
    cr_assert(res.started);
    cr_assert(toksim_token_is_restricted(tok), "IsTokenRestricted -> TRUE (L12)");
    cr_assert(toksim_token_is_write_restricted(tok));
    toksim_sid everyone = ts_test_sid("S-1-1-0"), wr = ts_test_sid("S-1-5-33");
    cr_assert_eq(toksim_token_match_restricted(tok, &res.service_sid),
                 TOKSIM_MATCH_ALLOW);
    cr_assert_eq(toksim_token_match_restricted(tok, &everyone), TOKSIM_MATCH_ALLOW);
    cr_assert_eq(toksim_token_match_restricted(tok, &wr), TOKSIM_MATCH_ALLOW);
    cr_assert_eq(toksim_token_restricted_count(tok), 4,
                 "service SID, Everyone, logon SID, WR");
    toksim_token_free(tok);
    toksim_world_free(w);
}

Test(scm, sid_type_none_adds_no_service_sid)
{
    toksim_world *w = scm_world();
    toksim_service_config cfg = {"PlainSvc", TOKSIM_SVC_NETWORK_SERVICE,   NULL,
                                 NULL,       TOKSIM_SERVICE_SID_TYPE_NONE, NULL,
                                 0};
    toksim_service_result res;
    toksim_token *tok = scm_start(w, &cfg, &res, NULL);
    cr_assert(res.started);
    cr_assert_null(toksim_token_find_group(tok, &res.service_sid));
    toksim_token_free(tok);
    toksim_world_free(w);
}

Test(scm, user_without_service_logon_right_fails_1069_wrapping_1385)
{
    toksim_world *w = scm_world();
    toksim_sid bob = scm_add_user(w, "svc_bob", "pw");
    toksim_service_config cfg = {
        "BobSvc", TOKSIM_SVC_USER, "svc_bob", "pw", TOKSIM_SERVICE_SID_TYPE_NONE, NULL,
        0};
    toksim_service_result res;
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_token *tok = scm_start(w, &cfg, &res, &t);
    cr_assert_null(tok);
    cr_assert_not(res.started);
    cr_assert_eq(res.win32, 1069u, "StartService: ERROR_SERVICE_LOGON_FAILED");
    cr_assert_eq(res.logon_win32, TOKSIM_ERROR_LOGON_TYPE_NOT_GRANTED);
    cr_assert(scm_trace_has(&t, "scm.logon_failed"));
    /* Granting "Log on as a service" fixes it. */
    ts_assert_ok(
        toksim_policy_grant(toksim_world_policy(w), TOKSIM_RIGHT_SERVICE_LOGON, &bob),
        NULL);
    tok = scm_start(w, &cfg, &res, NULL);
    cr_assert(res.started);
    cr_assert(toksim_sid_equal(toksim_token_user(tok), &bob));
    toksim_token_free(tok);
    toksim_trace_dispose(&t);
    toksim_world_free(w);
}

Test(scm, wrong_password_fails_1069_wrapping_1326)
{
    toksim_world *w = scm_world();
    toksim_sid bob = scm_add_user(w, "svc_bob", "right");
    ts_assert_ok(
        toksim_policy_grant(toksim_world_policy(w), TOKSIM_RIGHT_SERVICE_LOGON, &bob),
        NULL);
    toksim_service_config cfg = {
        "BobSvc", TOKSIM_SVC_USER, "svc_bob", "wrong", TOKSIM_SERVICE_SID_TYPE_NONE, NULL,
        0};
    toksim_service_result res;
    toksim_token *tok = scm_start(w, &cfg, &res, NULL);
    cr_assert_null(tok);
    cr_assert_eq(res.win32, 1069u);
    cr_assert_eq(res.logon_win32, TOKSIM_ERROR_LOGON_FAILURE);
    toksim_world_free(w);
}

Test(scm, virtual_account_runs_as_service_sid)
{
    toksim_world *w = scm_world();
    toksim_service_config cfg = {"MSSQLSERVER",
                                 TOKSIM_SVC_VIRTUAL,
                                 NULL,
                                 NULL,
                                 TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED,
                                 NULL,
                                 0};
    toksim_service_result res;
    toksim_token *tok = scm_start(w, &cfg, &res, NULL);
    cr_assert(res.started,
              "NT SERVICE\\ALL SERVICES holds SeServiceLogonRight by default");
    cr_assert(toksim_sid_equal(toksim_token_user(tok), &res.service_sid));
    toksim_token_free(tok);
    toksim_world_free(w);
}

Test(scm, service_group_brings_impersonate_privilege)
{
    toksim_world *w = scm_world();
    toksim_sid bob = scm_add_user(w, "svc_bob", NULL);
    ts_assert_ok(
        toksim_policy_grant(toksim_world_policy(w), TOKSIM_RIGHT_SERVICE_LOGON, &bob),
        NULL);
    toksim_service_config cfg = {
        "BobSvc", TOKSIM_SVC_USER, "svc_bob", NULL, TOKSIM_SERVICE_SID_TYPE_NONE, NULL,
        0};
    toksim_service_result res;
    toksim_token *tok = scm_start(w, &cfg, &res, NULL);
    cr_assert(res.started);
    cr_assert(toksim_token_privilege_enabled(tok, TOKSIM_PRIV_IMPERSONATE),
              "SERVICE holds SeImpersonatePrivilege: every SCM-started service gets it");
    toksim_token_free(tok);
    toksim_world_free(w);
}

Test(scm, rejects_bad_config)
{
    toksim_world *w = scm_world();
    toksim_service_config cfg = {
        NULL, TOKSIM_SVC_LOCAL_SYSTEM, NULL, NULL, TOKSIM_SERVICE_SID_TYPE_NONE, NULL, 0};
    toksim_service_result res;
    toksim_error e = {0};
    cr_assert_eq(toksim_service_start(&res, NULL, w, &cfg, NULL, &e), TOKSIM_EINVAL);
    cfg.name = "x";
    cfg.sid_type = (toksim_service_sid_type)2;
    cr_assert_eq(toksim_service_start(&res, NULL, w, &cfg, NULL, &e), TOKSIM_EINVAL);
    cfg.sid_type = TOKSIM_SERVICE_SID_TYPE_NONE;
    cfg.account = TOKSIM_SVC_USER;
    cr_assert_eq(toksim_service_start(&res, NULL, w, &cfg, NULL, &e), TOKSIM_EINVAL);
    toksim_world_free(w);
}

Test(scm, names_parse_and_print)
{
    toksim_service_account a;
    ts_assert_ok(toksim_service_account_parse(&a, "NT AUTHORITY\\NetworkService"), NULL);
    cr_assert_eq(a, TOKSIM_SVC_NETWORK_SERVICE);
    cr_assert_str_eq(toksim_service_account_name(TOKSIM_SVC_LOCAL_SYSTEM), "LocalSystem");
    cr_assert_eq(toksim_service_account_parse(&a, "nobody"), TOKSIM_ENOTFOUND);
    toksim_service_sid_type st;
    ts_assert_ok(toksim_service_sid_type_parse(&st, "Restricted"), NULL);
    cr_assert_eq(st, TOKSIM_SERVICE_SID_TYPE_RESTRICTED);
    cr_assert_str_eq(toksim_service_sid_type_name(TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED),
                     "unrestricted");
}

Test(scm, findings_table_and_helpers)
{
    toksim_severity s;
    cr_assert(toksim_finding_severity(&s, TOKSIM_RULE_FINDING_REENTRANT_AFTER_REVERT));
    cr_assert_eq(s, TOKSIM_SEV_HIGH);
    cr_assert(toksim_finding_severity(&s, TOKSIM_RULE_FINDING_SILENT_IDENTIFY));
    cr_assert_eq(s, TOKSIM_SEV_MEDIUM);
    cr_assert_not(toksim_finding_severity(&s, TOKSIM_RULE_SCM_START),
                  "not a finding rule");
    /* every "finding.*" rule has a severity row */
    for (int r = 1; r < TOKSIM_RULE__COUNT; r++)
        if (strncmp(toksim_rule_get((toksim_rule)r)->id, "finding.", 8) == 0)
            cr_assert(toksim_finding_severity(NULL, (toksim_rule)r), "%s has no severity",
                      toksim_rule_get((toksim_rule)r)->id);
    ts_assert_ok(toksim_severity_parse(&s, "HIGH"), NULL);
    cr_assert_eq(s, TOKSIM_SEV_HIGH);
    cr_assert_str_eq(toksim_severity_name(TOKSIM_SEV_LOW), "low");
    toksim_findings f;
    memset(&f, 0, sizeof f);
    cr_assert_eq(toksim_findings_max(&f), TOKSIM_SEV_INFO);
    cr_assert_null(toksim_findings_find(&f, "finding.pool_runs_as_system"));
}

Test(scm, virtual_and_sid_typed_services_carry_all_services)
{
    toksim_world *w = scm_world();
    toksim_service_config cfg = {"MySvc",
                                 TOKSIM_SVC_LOCAL_SERVICE,
                                 NULL,
                                 NULL,
                                 TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED,
                                 NULL,
                                 0};
    toksim_service_result res;
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_token *tok = scm_start(w, &cfg, &res, &t);
    toksim_sid all = ts_test_sid("S-1-5-80-0");
    cr_assert_not_null(toksim_token_find_group(tok, &all));
    cr_assert(scm_trace_has(&t, "scm.group.all_services"));
    toksim_token_free(tok);
    cfg.sid_type = TOKSIM_SERVICE_SID_TYPE_NONE;
    tok = scm_start(w, &cfg, &res, NULL);
    cr_assert_null(toksim_token_find_group(tok, &all), "no service SID, no ALL SERVICES");
    toksim_token_free(tok);
    /* Virtual accounts log on through ALL SERVICES; a policy without it stops them
     * (1069). */
    toksim_sid ns = ts_test_sid("S-1-5-20");
    ts_assert_ok(
        toksim_policy_set(toksim_world_policy(w), TOKSIM_RIGHT_SERVICE_LOGON, &ns, 1),
        NULL);
    toksim_service_config v = {"MSSQLSERVER",
                               TOKSIM_SVC_VIRTUAL,
                               NULL,
                               NULL,
                               TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED,
                               NULL,
                               0};
    tok = scm_start(w, &v, &res, NULL);
    cr_assert_null(tok);
    cr_assert_eq(res.win32, 1069u);
    cr_assert_eq(res.logon_win32, TOKSIM_ERROR_LOGON_TYPE_NOT_GRANTED);
    toksim_trace_dispose(&t);
    toksim_world_free(w);
}

Test(scm, localsystem_service_keeps_the_plain_system_token)
{
    toksim_world *w = scm_world();
    toksim_service_config cfg = {"SysSvc", TOKSIM_SVC_LOCAL_SYSTEM,      NULL,
                                 NULL,     TOKSIM_SERVICE_SID_TYPE_NONE, NULL,
                                 0};
    toksim_service_result res;
    toksim_token *tok = scm_start(w, &cfg, &res, NULL);
    cr_assert(res.started);
    toksim_sid sys = ts_test_sid("S-1-5-18"), service = ts_test_sid("S-1-5-6");
    cr_assert(toksim_sid_equal(toksim_token_user(tok), &sys));
    cr_assert_null(toksim_token_find_group(tok, &service),
                   "[OBS-SYSTEM]: no SERVICE group");
    toksim_token_free(tok);
    cfg.sid_type = TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED;
    tok = scm_start(w, &cfg, &res, NULL);
    cr_assert_not_null(toksim_token_find_group(tok, &res.service_sid),
                       "the service SID still is");
    toksim_token_free(tok);
    toksim_world_free(w);
}

Test(scm, overlong_service_name_is_refused)
{
    toksim_world *w = scm_world();
    char name[TOKSIM_WORLD_MAX_NAME + 2];
    memset(name, 'a', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    toksim_service_config cfg = {
        name, TOKSIM_SVC_VIRTUAL, NULL, NULL, TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED, NULL,
        0};
    toksim_service_result res;
    cr_assert_eq(toksim_service_start(&res, NULL, w, &cfg, NULL, NULL), TOKSIM_ELIMIT);
    name[TOKSIM_WORLD_MAX_NAME] = '\0';
    toksim_token *tok = NULL;
    ts_assert_ok(toksim_service_start(&res, &tok, w, &cfg, NULL, NULL), NULL);
    cr_assert(res.started);
    toksim_token_free(tok);
    toksim_world_free(w);
}

Test(scm, required_privileges_strip_the_rest_but_change_notify)
{
    toksim_world *w = scm_world();
    uint32_t req[] = {TOKSIM_PRIV_CREATE_GLOBAL};
    toksim_service_config cfg = {"TightSvc", TOKSIM_SVC_NETWORK_SERVICE,           NULL,
                                 NULL,       TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED, req,
                                 1};
    toksim_service_result res;
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_token *tok = scm_start(w, &cfg, &res, &t);
    cr_assert(res.started);
    cr_assert_eq(toksim_token_privilege(tok, TOKSIM_PRIV_IMPERSONATE), -1,
                 "SeImpersonatePrivilege was not required: removed");
    cr_assert(toksim_token_privilege_enabled(tok, TOKSIM_PRIV_CHANGE_NOTIFY),
              "never removed");
    cr_assert(toksim_token_privilege_enabled(tok, TOKSIM_PRIV_CREATE_GLOBAL));
    cr_assert_eq(toksim_token_privilege_count(tok), 2);
    cr_assert(scm_trace_has(&t, "scm.required_privileges.removed"));
    toksim_token_free(tok);
    /* Without a list the SCM keeps what LSA assigned. */
    cfg.required_privilege_count = 0;
    tok = scm_start(w, &cfg, &res, NULL);
    cr_assert(toksim_token_privilege_enabled(tok, TOKSIM_PRIV_IMPERSONATE));
    toksim_token_free(tok);
    /* Not a privilege: invalid configuration. */
    uint32_t bad[] = {64};
    cfg.required_privileges = bad;
    cfg.required_privilege_count = 1;
    cr_assert_eq(toksim_service_start(&res, NULL, w, &cfg, NULL, NULL), TOKSIM_EINVAL);
    toksim_trace_dispose(&t);
    toksim_world_free(w);
}
