/*
 * PURPOSE: issue 8's "fix on the way" list, each against the public source that shows
 * the Windows answer: a started service's SID is enabled (whoami of running services), a
 * WMI client at Anonymous level is refused (WMI docs, seed 002), an
 * ApplicationPoolIdentity worker holds SeAssignPrimaryToken/SeIncreaseQuota/SeAudit
 * (whoami /all of IIS APPPOOL\DefaultAppPool), S-1-5-82-0 is named by its SID string.
 */
#include <stdio.h>
#include "../helpers.h"

static toksim_error *fx_err(toksim_error *e)
{
    return e;
}

static bool fx_trace_has(const toksim_trace *t, const char *id)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(toksim_rule_get(t->events[i].rule)->id, id) == 0)
            return true;
    return false;
}

/* Open a file ACLed only to NT SERVICE\<name> from the service's main thread. */
static bool fx_service_reads_own_file(toksim_service_sid_type type, toksim_trace *t)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_world_new(&w, "SRV01", NULL, "server", &e), fx_err(&e));
    toksim_service_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.name = "ContosoSvc";
    cfg.account = TOKSIM_SVC_LOCAL_SERVICE;
    cfg.sid_type = type;
    toksim_service_result res;
    toksim_token *tok = NULL;
    ts_assert_ok(toksim_service_start(&res, &tok, w, &cfg, t, &e), fx_err(&e));
    cr_assert(res.started);
    const toksim_group *g = toksim_token_find_group(tok, &res.service_sid);
    cr_assert_not_null(g);
    cr_assert_eq(g->attributes, TOKSIM_SCM_SERVICE_SID_STARTED_ATTRIBUTES,
                 "whoami of a running service: Enabled by default, Enabled group, "
                 "Group owner (got 0x%x)",
                 g->attributes);
    char sid[TOKSIM_SID_STRING_MAX], sddl[256];
    toksim_sid_format(sid, sizeof sid, &res.service_sid);
    snprintf(sddl, sizeof sddl, "O:SYG:SYD:(A;;FA;;;SY)(A;;FA;;;%s)", sid);
    toksim_sd *sd = NULL;
    ts_assert_ok(toksim_sd_from_sddl(&sd, sddl, NULL, &e), fx_err(&e));
    toksim_access_request req;
    memset(&req, 0, sizeof req);
    req.mode = TOKSIM_ACCESS_OPEN;
    req.object_type = TOKSIM_OBJ_FILE;
    req.desired = TOKSIM_GENERIC_READ;
    toksim_access_result ar;
    ts_assert_ok(toksim_access_check(&ar, sd, tok, &req, NULL), NULL);
    toksim_sd_free(sd);
    toksim_token_free(tok);
    toksim_world_free(w);
    return ar.api_ok && ar.granted_all;
}

Test(fixes8, unrestricted_service_reads_a_file_acled_to_its_service_sid)
{
    toksim_trace t;
    toksim_trace_init(&t);
    cr_assert(fx_service_reads_own_file(TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED, &t),
              "a file ACLed only to NT SERVICE\\ContosoSvc is granted to the service");
    cr_assert(fx_trace_has(&t, "scm.service_sid.enabled"));
    toksim_trace_dispose(&t);
}

Test(fixes8, restricted_service_reads_a_file_acled_to_its_service_sid)
{
    toksim_trace t;
    toksim_trace_init(&t);
    /* Both passes of the restricted check see the service SID: as an enabled group and
     * as a restricting SID. */
    cr_assert(fx_service_reads_own_file(TOKSIM_SERVICE_SID_TYPE_RESTRICTED, &t));
    cr_assert(fx_trace_has(&t, "scm.service_sid.enabled"));
    toksim_trace_dispose(&t);
}

Test(fixes8, wmi_refuses_an_anonymous_api_client)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_world_new(&w, "WS01", NULL, "win10", &e), fx_err(&e));
    toksim_account spec;
    memset(&spec, 0, sizeof spec);
    spec.kind = TOKSIM_ACCOUNT_USER;
    spec.scope = TOKSIM_SCOPE_MACHINE;
    spec.name = "alice";
    toksim_sid alice;
    ts_assert_ok(toksim_world_add_account(w, &spec, &alice, &e), fx_err(&e));
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    toksim_logon_result lr;
    ts_assert_ok(
        toksim_logon_user(&lr, w, "alice", TOKSIM_LOGON_INTERACTIVE, &opt, NULL, &e),
        fx_err(&e));
    static const toksim_wmi_provider prov = {
        "ContosoProv", TOKSIM_WMI_HOST_DEFAULT, NULL, 1, true, false};
    toksim_com_action act;
    memset(&act, 0, sizeof act);
    act.kind = TOKSIM_COM_IMPERSONATE;
    toksim_com_call call;
    memset(&call, 0, sizeof call);
    call.client = lr.token;
    call.client_imp_level = (int)TOKSIM_RPC_C_IMP_LEVEL_ANONYMOUS;
    call.client_kind = TOKSIM_COM_CLIENT_API;
    call.provider = &prov;
    call.actions = &act;
    call.action_count = 1;
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_com_result r;
    ts_assert_ok(toksim_com_call_run(&r, w, &call, &t, &e), fx_err(&e));
    cr_assert_not(r.ok, "WMI docs: only Identify and above reach a provider");
    cr_assert_eq(r.wbem, TOKSIM_WBEM_E_ACCESS_DENIED);
    cr_assert_eq(r.action_count, 0, "no provider code ran");
    cr_assert(fx_trace_has(&t, "wmi.anonymous_refused"));
    /* Identify still reaches the provider. */
    toksim_trace_clear(&t);
    call.client_imp_level = (int)TOKSIM_RPC_C_IMP_LEVEL_IDENTIFY;
    ts_assert_ok(toksim_com_call_run(&r, w, &call, &t, &e), fx_err(&e));
    cr_assert(r.ok);
    cr_assert_not(fx_trace_has(&t, "wmi.anonymous_refused"));
    toksim_trace_dispose(&t);
    toksim_token_free(lr.token);
    toksim_world_free(w);
}

Test(fixes8, apppool_identity_worker_holds_the_was_granted_privileges)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_world_new(&w, "WEB01", NULL, "server", &e), fx_err(&e));
    toksim_iis_pool_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.name = "DefaultAppPool";
    cfg.identity = TOKSIM_IIS_APPPOOL_IDENTITY;
    toksim_iis_pool *p = NULL;
    toksim_iis_pool_result res;
    toksim_trace t;
    toksim_trace_init(&t);
    ts_assert_ok(toksim_iis_pool_start(&p, &res, w, &cfg, &t, &e), fx_err(&e));
    cr_assert(res.started);
    const toksim_token *tok = toksim_iis_pool_token(p);
    /* whoami /all of IIS APPPOOL\DefaultAppPool: the three privileges, Disabled. */
    static const uint32_t privs[] = {TOKSIM_PRIV_ASSIGN_PRIMARY_TOKEN,
                                     TOKSIM_PRIV_INCREASE_QUOTA, TOKSIM_PRIV_AUDIT};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_geq(toksim_token_privilege(tok, privs[i]), 0, "privilege %u held",
                      (unsigned)privs[i]);
        cr_assert_not(toksim_token_privilege_enabled(tok, privs[i]), "disabled");
    }
    cr_assert(fx_trace_has(&t, "iis.pool.privilege_rights_added"));
    toksim_trace_dispose(&t);
    toksim_iis_pool_free(p);
    toksim_world_free(w);
}

Test(fixes8, apppool_domain_sid_is_named_by_its_sid_string)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_world_new(&w, "WEB01", NULL, "server", &e), fx_err(&e));
    toksim_sid s = ts_test_sid("S-1-5-82-0");
    char name[128];
    toksim_world_sid_name(name, sizeof name, &s, w);
    /* whoami /groups of an app-pool worker: empty name, "Unknown SID type". */
    cr_assert_str_eq(name, "S-1-5-82-0");
    toksim_world_free(w);
}

Test(fixes8, wmi_connect_refuses_bad_input)
{
    toksim_wmi_connect_request req;
    memset(&req, 0, sizeof req);
    toksim_wmi_connect_result res;
    toksim_error e = {0};
    cr_assert_eq(toksim_wmi_connect(&res, &req, NULL, &e), TOKSIM_EINVAL);
    cr_assert(strstr(e.message, "client token"), "%s", e.message);
    toksim_token *tok = NULL;
    toksim_sid user = ts_test_sid("S-1-5-21-1-2-3-1001");
    ts_assert_ok(toksim_token_new(&tok, &user), NULL);
    toksim_sid everyone = ts_test_sid("S-1-1-0");
    ts_assert_ok(toksim_token_add_group(tok, &everyone, TOKSIM_SE_GROUP_DEFAULT), NULL);
    toksim_sd *sd = NULL;
    ts_assert_ok(toksim_sd_from_sddl(&sd, "O:BAG:BAD:(A;;CC;;;WD)", NULL, &e),
                 fx_err(&e));
    req.client = tok;
    req.namespace_sd = sd;
    req.client_imp_level = 7;
    cr_assert_eq(toksim_wmi_connect(&res, &req, NULL, &e), TOKSIM_EINVAL);
    req.client_imp_level = (int)TOKSIM_RPC_C_IMP_LEVEL_IDENTIFY;
    ts_assert_ok(toksim_wmi_connect(&res, &req, NULL, &e), fx_err(&e));
    cr_assert(res.ok, "Everyone has Enable Account");
    req.remote_client = true;
    ts_assert_ok(toksim_wmi_connect(&res, &req, NULL, &e), fx_err(&e));
    cr_assert_not(res.ok, "no Remote Enable");
    cr_assert_eq(res.wbem, TOKSIM_WBEM_E_ACCESS_DENIED);
    toksim_sd_free(sd);
    toksim_token_free(tok);
}

/* The modelled DefaultAppPool-style worker against a real `whoami /all` of an
 * ApplicationPoolIdentity worker (tests/data/whoami/apppool_table.txt): same privileges,
 * same enabled states. */
Test(fixes8, apppool_worker_privileges_match_a_real_whoami)
{
    FILE *f = fopen("tests/data/whoami/apppool_table.txt", "rb");
    cr_assert_not_null(f);
    char text[8192];
    size_t len = fread(text, 1, sizeof text, f);
    fclose(f);
    toksim_token *real = NULL;
    toksim_whoami_info info;
    toksim_error e = {0};
    ts_assert_ok(toksim_token_from_whoami_ex(&real, &info, text, len, NULL, &e),
                 fx_err(&e));
    toksim_world *w = NULL;
    ts_assert_ok(toksim_world_new(&w, "WEB01", NULL, "win10", &e), fx_err(&e));
    toksim_sid iusrs = ts_test_sid("S-1-5-32-568");
    ts_assert_ok(
        toksim_policy_grant(toksim_world_policy(w), TOKSIM_PRIV_IMPERSONATE, &iusrs),
        NULL);
    toksim_iis_pool_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.name = "ContosoPortal";
    cfg.identity = TOKSIM_IIS_APPPOOL_IDENTITY;
    toksim_iis_pool *p = NULL;
    toksim_iis_pool_result res;
    ts_assert_ok(toksim_iis_pool_start(&p, &res, w, &cfg, NULL, &e), fx_err(&e));
    const toksim_token *model = toksim_iis_pool_token(p);
    cr_assert(toksim_sid_equal(toksim_token_user(model), toksim_token_user(real)));
    for (size_t i = 0; i < toksim_token_privilege_count(real); i++) {
        uint32_t luid, attrs;
        cr_assert(toksim_token_privilege_at(real, i, &luid, &attrs));
        int64_t m = toksim_token_privilege(model, luid);
        cr_assert_geq(m, 0, "the worker lacks %s", toksim_privilege_by_luid(luid)->name);
        cr_assert_eq((m & TOKSIM_SE_PRIVILEGE_ENABLED) != 0,
                     (attrs & TOKSIM_SE_PRIVILEGE_ENABLED) != 0, "%s enabled state",
                     toksim_privilege_by_luid(luid)->name);
    }
    cr_assert_eq(toksim_token_privilege_count(model), toksim_token_privilege_count(real),
                 "no privilege beyond the real worker's");
    toksim_iis_pool_free(p);
    toksim_world_free(w);
    toksim_token_free(real);
}
