/* PURPOSE: the COM/WMI model: level defaults (C1, C6, C7), hosting (C8), Identify clients
 * (C3), provider registration (C4), reentrancy (C5), partial results (C9), the WmiPrvSE
 * host losing SeImpersonatePrivilege (seed: Microsoft Japan WMI troubleshooting). */
#include <stdio.h>
#include "../helpers.h"

/* ts_assert_ok() takes an error pointer; a call keeps -Waddress quiet for a local record.
 */
static toksim_error *sys_err(toksim_error *e)
{
    return e;
}

#define WMI_GPO_INF                                                                      \
    "[Unicode]\nUnicode=yes\n[Version]\nsignature=\"$CHICAGO$\"\nRevision=1\n["          \
    "Privilege Rights]\n"                                                                \
    "SeImpersonatePrivilege = *S-1-5-32-544,*S-1-5-19\n"
/* alice may read, nobody else but SYSTEM */
#define WMI_KEY_SDDL "O:SYG:SYD:(A;;KA;;;SY)(A;;KR;;;%s)"

typedef struct wmi_fixture {
    toksim_world *w;
    toksim_token *alice;
    toksim_sid alice_sid;
    toksim_sd *key_sd; /* readable by alice and SYSTEM */
    toksim_sd *sys_sd; /* SYSTEM only */
} wmi_fixture;

static void wmi_setup(wmi_fixture *f)
{
    memset(f, 0, sizeof *f);
    toksim_error e = {0};
    ts_assert_ok(toksim_world_new(&f->w, "WS01", NULL, "win10", &e), sys_err(&e));
    toksim_account spec;
    memset(&spec, 0, sizeof spec);
    spec.kind = TOKSIM_ACCOUNT_USER;
    spec.scope = TOKSIM_SCOPE_MACHINE;
    spec.name = "alice";
    ts_assert_ok(toksim_world_add_account(f->w, &spec, &f->alice_sid, &e), sys_err(&e));
    toksim_logon_result lr;
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    ts_assert_ok(
        toksim_logon_user(&lr, f->w, "alice", TOKSIM_LOGON_INTERACTIVE, &opt, NULL, &e),
        sys_err(&e));
    cr_assert(lr.success, "alice logs on interactively");
    f->alice = lr.token;
    char sid[TOKSIM_SID_STRING_MAX], sddl[256];
    toksim_sid_format(sid, sizeof sid, &f->alice_sid);
    snprintf(sddl, sizeof sddl, WMI_KEY_SDDL, sid);
    ts_assert_ok(toksim_sd_from_sddl(&f->key_sd, sddl, NULL, &e), sys_err(&e));
    ts_assert_ok(toksim_sd_from_sddl(&f->sys_sd, "O:SYG:SYD:(A;;KA;;;SY)", NULL, &e),
                 sys_err(&e));
}

static void wmi_teardown(wmi_fixture *f)
{
    toksim_sd_free(f->key_sd);
    toksim_sd_free(f->sys_sd);
    toksim_token_free(f->alice);
    toksim_world_free(f->w);
}

static toksim_com_action wmi_act(toksim_com_action_kind k, const toksim_sd *sd)
{
    toksim_com_action a;
    memset(&a, 0, sizeof a);
    a.kind = k;
    a.sd = sd;
    a.object = sd ? "HKLM\\SOFTWARE\\Contoso" : NULL;
    a.object_type = TOKSIM_OBJ_KEY;
    return a;
}

static toksim_com_result wmi_run(wmi_fixture *f,
                                 const toksim_wmi_provider *prov,
                                 int level,
                                 const toksim_com_action *acts,
                                 size_t n,
                                 toksim_trace *t)
{
    toksim_com_call call;
    memset(&call, 0, sizeof call);
    call.client = f->alice;
    call.client_imp_level = level;
    call.provider = prov;
    call.actions = acts;
    call.action_count = n;
    toksim_com_result r;
    toksim_error e = {0};
    ts_assert_ok(toksim_com_call_run(&r, f->w, &call, t, &e), sys_err(&e));
    return r;
}

static const toksim_wmi_provider wmi_good = {
    "ContosoProv", TOKSIM_WMI_HOST_DEFAULT, NULL, 1, true, false};

Test(wmi, default_levels_follow_com_and_scripting_registry)
{
    cr_assert_eq(toksim_com_effective_level(0, TOKSIM_COM_CLIENT_API, 0), 2,
                 "C1: Identify");
    cr_assert_eq(toksim_com_effective_level(0, TOKSIM_COM_CLIENT_API, 3), 3,
                 "LegacyImpersonationLevel=3");
    cr_assert_eq(toksim_com_effective_level(0, TOKSIM_COM_CLIENT_WMI_SCRIPT, 0), 3, "C6");
    cr_assert_eq(toksim_com_effective_level(1, TOKSIM_COM_CLIENT_WMI_SCRIPT, 0), 2, "C7");
    cr_assert_eq(toksim_com_effective_level(1, TOKSIM_COM_CLIENT_API, 0), 1);
    cr_assert_eq(toksim_com_effective_level(4, TOKSIM_COM_CLIENT_API, 2), 4);
}

Test(wmi, default_hosting_is_network_service)
{
    wmi_fixture f;
    wmi_setup(&f);
    toksim_com_action a = wmi_act(TOKSIM_COM_IMPERSONATE, NULL);
    toksim_com_result r = wmi_run(&f, &wmi_good, 3, &a, 1, NULL);
    toksim_sid ns = ts_test_sid("S-1-5-20");
    cr_assert(toksim_sid_equal(&r.host_user, &ns), "C8: WmiPrvSE as NETWORK SERVICE");
    cr_assert(r.host_has_impersonate);
    cr_assert(r.ok);
    cr_assert_eq(r.wbem, TOKSIM_WBEM_S_NO_ERROR);
    wmi_teardown(&f);
}

Test(wmi, impersonating_provider_reads_as_the_client)
{
    wmi_fixture f;
    wmi_setup(&f);
    toksim_com_action a[3] = {wmi_act(TOKSIM_COM_IMPERSONATE, NULL),
                              wmi_act(TOKSIM_COM_OPEN, f.key_sd),
                              wmi_act(TOKSIM_COM_REVERT, NULL)};
    toksim_com_result r = wmi_run(&f, &wmi_good, 3, a, 3, NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.actions[0].level, TOKSIM_IMP_IMPERSONATION);
    cr_assert(toksim_sid_equal(&r.actions[1].acting, &f.alice_sid));
    cr_assert_eq(r.findings.count, 0);
    wmi_teardown(&f);
}

Test(wmi, host_without_impersonate_privilege_denies_the_client)
{
    wmi_fixture f;
    wmi_setup(&f);
    toksim_policy *tmpl = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_policy_parse_inf(&tmpl, WMI_GPO_INF, strlen(WMI_GPO_INF),
                                         "gpo.inf", f.w, &e),
                 sys_err(&e));
    ts_assert_ok(toksim_policy_apply(toksim_world_policy(f.w), tmpl), NULL);
    toksim_policy_free(tmpl);
    toksim_com_action a[2] = {wmi_act(TOKSIM_COM_IMPERSONATE, NULL),
                              wmi_act(TOKSIM_COM_OPEN, f.key_sd)};
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_com_result r = wmi_run(&f, &wmi_good, 3, a, 2, &t);
    cr_assert_not(r.host_has_impersonate,
                  "NETWORK SERVICE and SERVICE lost the privilege");
    cr_assert_eq(r.actions[0].hresult, TOKSIM_S_OK,
                 "CoImpersonateClient still returns S_OK");
    cr_assert_eq(r.actions[0].level, TOKSIM_IMP_IDENTIFICATION);
    cr_assert_eq(r.actions[1].win32, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.wbem, TOKSIM_WBEM_E_ACCESS_DENIED);
    cr_assert_not_null(
        toksim_findings_find(&r.findings, "finding.silent_identify_downgrade"));
    toksim_trace_dispose(&t);
    wmi_teardown(&f);
}

Test(wmi, identify_client_gets_s_ok_then_access_denied)
{
    wmi_fixture f;
    wmi_setup(&f);
    toksim_com_action a[2] = {wmi_act(TOKSIM_COM_IMPERSONATE, NULL),
                              wmi_act(TOKSIM_COM_OPEN, f.key_sd)};
    toksim_com_result r = wmi_run(&f, &wmi_good, 2, a, 2, NULL);
    cr_assert_eq(r.actions[0].hresult, TOKSIM_S_OK);
    cr_assert_eq(r.actions[0].level, TOKSIM_IMP_IDENTIFICATION);
    cr_assert_eq(r.wbem, TOKSIM_WBEM_E_ACCESS_DENIED);
    cr_assert_eq(r.hresult, 0x80041003u);
    cr_assert_not_null(
        toksim_findings_find(&r.findings, "finding.identify_level_client"));
    cr_assert_null(toksim_findings_find(&r.findings, "finding.silent_identify_downgrade"),
                   "the client chose Identify: nothing was downgraded");
    wmi_teardown(&f);
}

Test(wmi, plain_com_server_identify_client_open_fails_1346)
{
    wmi_fixture f;
    wmi_setup(&f);
    toksim_token *server = NULL;
    ts_assert_ok(
        toksim_wmi_host_token(&server, f.w, TOKSIM_WMI_HOST_LOCAL_SYSTEM, NULL, NULL),
        NULL);
    toksim_com_action a[2] = {wmi_act(TOKSIM_COM_IMPERSONATE, NULL),
                              wmi_act(TOKSIM_COM_OPEN, f.key_sd)};
    toksim_com_call call;
    memset(&call, 0, sizeof call);
    call.client = f.alice;
    call.client_imp_level =
        0; /* default: LegacyImpersonationLevel absent -> Identify (C1) */
    call.server_token = server;
    call.actions = a;
    call.action_count = 2;
    toksim_com_result r;
    ts_assert_ok(toksim_com_call_run(&r, f.w, &call, NULL, NULL), NULL);
    cr_assert_eq(r.effective_client_level, 2);
    cr_assert_eq(r.actions[0].hresult, TOKSIM_S_OK, "C3: S_OK");
    cr_assert_eq(r.actions[0].level, TOKSIM_IMP_IDENTIFICATION);
    cr_assert_eq(r.hresult, 0x80070542u, "C3: open fails with 1346");
    toksim_token_free(server);
    wmi_teardown(&f);
}

Test(wmi, level_zero_provider_works_in_wmi_context)
{
    wmi_fixture f;
    wmi_setup(&f);
    toksim_wmi_provider p0 = {"OldProv", TOKSIM_WMI_HOST_LOCAL_SYSTEM, NULL, 0, false,
                              false};
    toksim_com_action a[2] = {wmi_act(TOKSIM_COM_IMPERSONATE, NULL),
                              wmi_act(TOKSIM_COM_OPEN, f.sys_sd)};
    toksim_com_result r = wmi_run(&f, &p0, 3, a, 2, NULL);
    cr_assert(r.ok, "SYSTEM opens what alice could not (C4)");
    toksim_sid sys = ts_test_sid("S-1-5-18");
    cr_assert(toksim_sid_equal(&r.actions[1].acting, &sys));
    cr_assert_not_null(
        toksim_findings_find(&r.findings, "finding.impersonation_level_0_provider"));
    cr_assert_not_null(
        toksim_findings_find(&r.findings, "finding.system_context_on_behalf"));
    wmi_teardown(&f);
}

Test(wmi, forgetting_to_reimpersonate_after_a_call_into_wmi)
{
    wmi_fixture f;
    wmi_setup(&f);
    toksim_com_action a[3] = {wmi_act(TOKSIM_COM_IMPERSONATE, NULL),
                              wmi_act(TOKSIM_COM_CALL_WMI, NULL),
                              wmi_act(TOKSIM_COM_OPEN, f.key_sd)};
    toksim_com_result r = wmi_run(&f, &wmi_good, 3, a, 3, NULL);
    cr_assert(toksim_sid_equal(&r.actions[1].acting, &f.alice_sid),
              "the nested call ran as alice");
    cr_assert_not(r.actions[1].impersonating,
                  "back from WMI the thread no longer impersonates");
    toksim_sid ns = ts_test_sid("S-1-5-20");
    cr_assert(toksim_sid_equal(&r.actions[2].acting, &ns),
              "C5: the open runs as the host");
    cr_assert_not_null(
        toksim_findings_find(&r.findings, "finding.process_context_on_behalf"));
    wmi_teardown(&f);
}

Test(wmi, reentrant_call_after_revert_runs_as_system)
{
    wmi_fixture f;
    wmi_setup(&f);
    toksim_com_action a[3] = {wmi_act(TOKSIM_COM_IMPERSONATE, NULL),
                              wmi_act(TOKSIM_COM_REVERT, NULL),
                              wmi_act(TOKSIM_COM_CALL_WMI, f.sys_sd)};
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_com_result r = wmi_run(&f, &wmi_good, 3, a, 3, &t);
    const toksim_finding *fi =
        toksim_findings_find(&r.findings, "finding.reentrant_call_after_revert");
    cr_assert_not_null(fi);
    cr_assert_eq(fi->severity, TOKSIM_SEV_HIGH);
    cr_assert_eq(fi->step, 2);
    toksim_sid sys = ts_test_sid("S-1-5-18");
    cr_assert(toksim_sid_equal(&fi->subject, &sys));
    cr_assert(toksim_sid_equal(&fi->client, &f.alice_sid));
    cr_assert(toksim_sid_equal(&r.actions[2].acting, &sys));
    cr_assert_eq(r.actions[2].win32, 0, "WMI's account opens the SYSTEM-only key");
    toksim_trace_dispose(&t);
    wmi_teardown(&f);
}

Test(wmi, partial_results_are_success_class)
{
    wmi_fixture f;
    wmi_setup(&f);
    toksim_com_action a[3] = {wmi_act(TOKSIM_COM_IMPERSONATE, NULL),
                              wmi_act(TOKSIM_COM_OPEN, f.sys_sd),
                              wmi_act(TOKSIM_COM_OPEN, f.key_sd)};
    a[1].on_deny = TOKSIM_WMI_DENY_PARTIAL;
    toksim_com_result r = wmi_run(&f, &wmi_good, 3, a, 3, NULL);
    cr_assert_eq(r.actions[1].win32, TOKSIM_ERROR_ACCESS_DENIED);
    cr_assert_eq(r.action_count, 3, "the provider continued");
    cr_assert_eq(r.wbem, TOKSIM_WBEM_S_ACCESS_DENIED, "C9");
    cr_assert(r.ok);
    a[1].on_deny = TOKSIM_WMI_DENY_SILENT;
    r = wmi_run(&f, &wmi_good, 3, a, 3, NULL);
    cr_assert_eq(r.wbem, TOKSIM_WBEM_S_NO_ERROR);
    a[1].on_deny = TOKSIM_WMI_DENY_FAIL;
    r = wmi_run(&f, &wmi_good, 3, a, 3, NULL);
    cr_assert_eq(r.wbem, TOKSIM_WBEM_E_ACCESS_DENIED);
    cr_assert_eq(r.action_count, 2, "the provider stopped at the denial");
    wmi_teardown(&f);
}

Test(wmi, initialize_as_admin_first_yields_wmi_context_during_init)
{
    wmi_fixture f;
    wmi_setup(&f);
    toksim_wmi_provider p = {"InitProv", TOKSIM_WMI_HOST_DEFAULT, NULL, 1, true, true};
    toksim_com_action a[4] = {
        wmi_act(TOKSIM_COM_INITIALIZE, NULL), wmi_act(TOKSIM_COM_IMPERSONATE, NULL),
        wmi_act(TOKSIM_COM_INIT_DONE, NULL), wmi_act(TOKSIM_COM_IMPERSONATE, NULL)};
    toksim_com_result r = wmi_run(&f, &p, 3, a, 4, NULL);
    toksim_sid sys = ts_test_sid("S-1-5-18");
    cr_assert(toksim_sid_equal(&r.actions[1].acting, &sys), "init: WMI's context");
    cr_assert(toksim_sid_equal(&r.actions[3].acting, &f.alice_sid),
              "after init: the client");
    wmi_teardown(&f);
}

Test(wmi, per_user_initialization_missing_is_flagged)
{
    wmi_fixture f;
    wmi_setup(&f);
    toksim_wmi_provider p = {"SharedProv", TOKSIM_WMI_HOST_DEFAULT, NULL, 1, false,
                             false};
    toksim_com_result r = wmi_run(&f, &p, 3, NULL, 0, NULL);
    cr_assert_not_null(
        toksim_findings_find(&r.findings, "finding.per_user_init_missing"));
    r = wmi_run(&f, &wmi_good, 3, NULL, 0, NULL);
    cr_assert_null(toksim_findings_find(&r.findings, "finding.per_user_init_missing"));
    wmi_teardown(&f);
}

Test(wmi, unauthenticated_call_cannot_be_impersonated)
{
    wmi_fixture f;
    wmi_setup(&f);
    toksim_com_action a = wmi_act(TOKSIM_COM_IMPERSONATE, NULL);
    toksim_com_call call;
    memset(&call, 0, sizeof call);
    call.client = f.alice;
    call.client_imp_level = 3;
    call.client_authn_level = 1; /* RPC_C_AUTHN_LEVEL_NONE */
    call.provider = &wmi_good;
    call.actions = &a;
    call.action_count = 1;
    toksim_com_result r;
    ts_assert_ok(toksim_com_call_run(&r, f.w, &call, NULL, NULL), NULL);
    cr_assert_eq(r.actions[0].hresult, TOKSIM_RPC_E_UNSECURE_CALL);
    cr_assert_not(r.ok);
    wmi_teardown(&f);
}

Test(wmi, hosting_model_parse)
{
    toksim_wmi_hosting h;
    char group[32];
    ts_assert_ok(toksim_wmi_hosting_parse(&h, group, sizeof group,
                                          "NetworkServiceHost:MyGroup", NULL),
                 NULL);
    cr_assert_eq(h, TOKSIM_WMI_HOST_NETWORK_SERVICE);
    cr_assert_str_eq(group, "MyGroup");
    ts_assert_ok(toksim_wmi_hosting_parse(&h, NULL, 0, "", NULL), NULL);
    cr_assert_eq(h, TOKSIM_WMI_HOST_DEFAULT);
    ts_assert_ok(
        toksim_wmi_hosting_parse(&h, NULL, 0, "Decoupled:Com:FoldIdentity(FALSE)", NULL),
        NULL);
    cr_assert_eq(h, TOKSIM_WMI_HOST_DECOUPLED);
    toksim_error e = {0};
    cr_assert_eq(toksim_wmi_hosting_parse(&h, NULL, 0, "RootHost", &e), TOKSIM_EPARSE);
    cr_assert(strstr(e.message, "RootHost") != NULL);
    cr_assert_eq(toksim_wmi_hosting_parse(&h, NULL, 0, "LocalSystemHost:", &e),
                 TOKSIM_EPARSE);
    toksim_com_action_kind k;
    ts_assert_ok(toksim_com_action_parse(&k, "CoRevertToSelf"), NULL);
    cr_assert_eq(k, TOKSIM_COM_REVERT);
    cr_assert_str_eq(toksim_com_action_name(TOKSIM_COM_CALL_WMI), "call_wmi");
}

Test(wmi, rejects_bad_calls)
{
    wmi_fixture f;
    wmi_setup(&f);
    toksim_com_call call;
    memset(&call, 0, sizeof call);
    toksim_com_result r;
    cr_assert_eq(toksim_com_call_run(&r, f.w, &call, NULL, NULL), TOKSIM_EINVAL,
                 "no client");
    call.client = f.alice;
    call.client_imp_level = 5;
    cr_assert_eq(toksim_com_call_run(&r, f.w, &call, NULL, NULL), TOKSIM_EINVAL);
    call.client_imp_level = 3;
    cr_assert_eq(toksim_com_call_run(&r, f.w, &call, NULL, NULL), TOKSIM_EINVAL,
                 "plain COM needs a server");
    wmi_teardown(&f);
}

static bool wmi_trace_has(const toksim_trace *t, const char *id)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(toksim_rule_get(t->events[i].rule)->id, id) == 0)
            return true;
    return false;
}

Test(wmi, script_client_anonymous_is_raised_to_identify)
{
    wmi_fixture f;
    wmi_setup(&f);
    toksim_com_action a[2] = {wmi_act(TOKSIM_COM_IMPERSONATE, NULL),
                              wmi_act(TOKSIM_COM_OPEN, f.key_sd)};
    toksim_com_call call;
    memset(&call, 0, sizeof call);
    call.client = f.alice;
    call.client_imp_level = 1;
    call.client_kind = TOKSIM_COM_CLIENT_WMI_SCRIPT;
    call.provider = &wmi_good;
    call.actions = a;
    call.action_count = 2;
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_com_result r;
    ts_assert_ok(toksim_com_call_run(&r, f.w, &call, &t, NULL), NULL);
    cr_assert_eq(r.effective_client_level, 2);
    cr_assert_eq(r.client_token_level, TOKSIM_IMP_IDENTIFICATION);
    cr_assert(wmi_trace_has(&t, "wmi.script.anonymous_upgraded"));
    cr_assert(wmi_trace_has(&t, "wmi.host"));
    cr_assert(wmi_trace_has(&t, "wmi.result.denied"));
    toksim_trace_clear(&t);
    call.client_imp_level = 0;
    ts_assert_ok(toksim_com_call_run(&r, f.w, &call, &t, NULL), NULL);
    cr_assert_eq(r.effective_client_level, 3, "C6: scripting default Impersonate");
    cr_assert(r.ok);
    cr_assert(wmi_trace_has(&t, "wmi.script.level_default"));
    toksim_trace_dispose(&t);
    wmi_teardown(&f);
}

Test(wmi, hosting_models_pick_the_wmiprvse_account)
{
    wmi_fixture f;
    wmi_setup(&f);
    const struct {
        toksim_wmi_hosting h;
        const char *sid;
    } v[] = {{TOKSIM_WMI_HOST_DEFAULT, "S-1-5-20"},
             {TOKSIM_WMI_HOST_NETWORK_SERVICE, "S-1-5-20"},
             {TOKSIM_WMI_HOST_LOCAL_SERVICE, "S-1-5-19"},
             {TOKSIM_WMI_HOST_LOCAL_SYSTEM, "S-1-5-18"},
             {TOKSIM_WMI_HOST_LOCAL_SYSTEM_OR_SELF, "S-1-5-18"}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        toksim_token *tok = NULL;
        ts_assert_ok(toksim_wmi_host_token(&tok, f.w, v[i].h, NULL, NULL), NULL);
        toksim_sid want = ts_test_sid(v[i].sid);
        cr_assert(toksim_sid_equal(toksim_token_user(tok), &want), "%s", v[i].sid);
        toksim_token_free(tok);
    }
    toksim_token *tok = NULL;
    cr_assert_eq(toksim_wmi_host_token(&tok, f.w, TOKSIM_WMI_HOST_SELF, NULL, NULL),
                 TOKSIM_EINVAL);
    cr_assert_null(tok);
    /* SelfHost: the provider's own process token is the host. */
    toksim_wmi_provider self = {"SelfProv", TOKSIM_WMI_HOST_SELF, NULL, 1, true, false};
    toksim_com_action a = wmi_act(TOKSIM_COM_IMPERSONATE, NULL);
    toksim_com_call call;
    memset(&call, 0, sizeof call);
    call.client = f.alice;
    call.client_imp_level = 3;
    call.provider = &self;
    call.actions = &a;
    call.action_count = 1;
    toksim_com_result r;
    cr_assert_eq(toksim_com_call_run(&r, f.w, &call, NULL, NULL), TOKSIM_EINVAL,
                 "no server token");
    call.server_token = f.alice;
    ts_assert_ok(toksim_com_call_run(&r, f.w, &call, NULL, NULL), NULL);
    cr_assert(toksim_sid_equal(&r.host_user, &f.alice_sid));
    wmi_teardown(&f);
}

Test(wmi, remote_ntlm_client_cannot_give_delegate)
{
    wmi_fixture f;
    wmi_setup(&f);
    toksim_com_action a = wmi_act(TOKSIM_COM_IMPERSONATE, NULL);
    toksim_com_call call;
    memset(&call, 0, sizeof call);
    call.client = f.alice;
    call.client_imp_level = 4; /* DELEGATE */
    call.provider = &wmi_good;
    call.actions = &a;
    call.action_count = 1;
    toksim_com_result r;
    ts_assert_ok(toksim_com_call_run(&r, f.w, &call, NULL, NULL), NULL);
    cr_assert_eq(r.actions[0].level, TOKSIM_IMP_DELEGATION,
                 "a local client gives what it asks");
    call.remote_client = true;
    call.client_auth = TOKSIM_AUTH_NTLM;
    ts_assert_ok(toksim_com_call_run(&r, f.w, &call, NULL, NULL), NULL);
    cr_assert_eq(r.actions[0].level, TOKSIM_IMP_IMPERSONATION,
                 "remote NTLM caps at Impersonate");
    wmi_teardown(&f);
}

Test(wmi, namespace_security_gates_the_call_before_any_provider)
{
    wmi_fixture f;
    wmi_setup(&f);
    /* root\cimv2 defaults: Administrators everything, Authenticated Users Enable Account,
     * Execute Methods and Provider Write, no Remote Enable. */
    toksim_sd *ns = NULL;
    ts_assert_ok(toksim_sd_from_sddl(&ns, "O:BAG:BAD:(A;CI;0x6003F;;;BA)(A;CI;0x13;;;AU)",
                                     NULL, NULL),
                 NULL);
    toksim_com_action a[2] = {wmi_act(TOKSIM_COM_IMPERSONATE, NULL),
                              wmi_act(TOKSIM_COM_OPEN, f.key_sd)};
    toksim_com_call call;
    memset(&call, 0, sizeof call);
    call.client = f.alice;
    call.client_imp_level = 3;
    call.provider = &wmi_good;
    call.actions = a;
    call.action_count = 2;
    call.namespace_sd = ns;
    call.namespace_name = "root\\cimv2";
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_com_result r;
    ts_assert_ok(toksim_com_call_run(&r, f.w, &call, &t, NULL), NULL);
    cr_assert(r.ok, "a local user has Enable Account");
    cr_assert(wmi_trace_has(&t, "wmi.namespace.ok"));
    call.remote_client = true;
    call.client_auth = TOKSIM_AUTH_NTLM;
    ts_assert_ok(toksim_com_call_run(&r, f.w, &call, &t, NULL), NULL);
    cr_assert_not(r.ok, "no Remote Enable for Authenticated Users");
    cr_assert_eq(r.wbem, TOKSIM_WBEM_E_ACCESS_DENIED);
    cr_assert_eq(r.action_count, 0, "the provider never ran");
    cr_assert(wmi_trace_has(&t, "wmi.namespace.denied"));
    toksim_trace_dispose(&t);
    toksim_sd_free(ns);
    wmi_teardown(&f);
}
