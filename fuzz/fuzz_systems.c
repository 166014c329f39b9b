/*
 * PURPOSE: libFuzzer property target for the systems layer: the input bytes choose a
 * policy change, an IIS pool (identity, group injection) and a request (authentication,
 * access mode, file descriptor), a service start, and a COM/WMI call (client level,
 * authentication level, provider registration, hosting model, up to 32 provider actions
 * in any order). Properties: the library never fails on valid enums, results stay
 * consistent (HTTP status in the set IIS answers, findings within their cap, `ok` matches
 * the HRESULT's severity, an Identify-level thread never opens an object), and nothing
 * leaks.
 */
#include "fuzz_common.h"

typedef struct bytes {
    const uint8_t *p;
    size_t n;
} bytes;

static unsigned take(bytes *b)
{
    if (!b->n)
        return 0;
    b->n--;
    return *b->p++;
}

static const char *const sddls[] = {
    "O:SYG:SYD:(A;;FA;;;SY)",
    "O:SYG:SYD:(A;;FA;;;SY)(A;;FR;;;WD)",
    "O:SYG:SYD:(A;;FA;;;SY)(A;;FR;;;AU)(D;;FA;;;AN)",
    "O:BAG:SYD:",
};

#define check(cond) FUZZ_CHECK(cond)

static void policy_change(toksim_world *w, unsigned sel)
{
    toksim_policy *pol = toksim_world_policy(w);
    toksim_sid iusrs, ns, svc, admins;
    check(toksim_sid_parse(&iusrs, "S-1-5-32-568", NULL) == TOKSIM_OK &&
          toksim_sid_parse(&ns, "S-1-5-20", NULL) == TOKSIM_OK &&
          toksim_sid_parse(&svc, "S-1-5-6", NULL) == TOKSIM_OK &&
          toksim_sid_parse(&admins, "S-1-5-32-544", NULL) == TOKSIM_OK);
    if (sel & 1)
        check(toksim_policy_grant(pol, TOKSIM_PRIV_IMPERSONATE, &iusrs) == TOKSIM_OK);
    if (sel & 2)
        check(toksim_policy_grant(pol, TOKSIM_RIGHT_BATCH_LOGON, &iusrs) == TOKSIM_OK);
    if (sel & 4) {
        (void)toksim_policy_revoke(pol, TOKSIM_PRIV_IMPERSONATE,
                                   &ns); /* absent is fine */
        (void)toksim_policy_revoke(pol, TOKSIM_PRIV_IMPERSONATE, &svc);
    }
    if (sel & 8)
        check(toksim_policy_set(pol, TOKSIM_RIGHT_SERVICE_LOGON, &admins, 1) ==
              TOKSIM_OK);
}

static void run_iis(toksim_world *w, bytes *b, const toksim_sd *sd)
{
    toksim_iis_pool_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.name = (take(b) & 1) ? "DefaultAppPool" : "Fuzz Pool";
    cfg.identity = (toksim_iis_identity)(take(b) % 5);
    cfg.user_name = "alice";
    cfg.password = (take(b) & 1) ? "wrong" : NULL;
    cfg.manual_group_membership = take(b) & 1;
    static const char *const spns[] = {"cifs/fs01"};
    cfg.delegation = (toksim_delegation)(take(b) % 4);
    cfg.allowed_spns = spns;
    cfg.allowed_spn_count = take(b) & 1;
    toksim_iis_pool *pool = NULL;
    toksim_iis_pool_result pr;
    check(toksim_iis_pool_start(&pool, &pr, w, &cfg, NULL, NULL) == TOKSIM_OK);
    check(pr.started == toksim_iis_pool_started(pool));
    check(pr.findings.count <= TOKSIM_MAX_FINDINGS);
    toksim_iis_request req;
    memset(&req, 0, sizeof req);
    req.auth = (toksim_iis_auth)(take(b) % 3);
    req.user = "alice";
    unsigned anon = take(b) % 3;
    req.anonymous_user = anon == 0 ? NULL : anon == 1 ? "" : "alice";
    req.windows_level = (int)(take(b) % 4);
    req.access = (toksim_iis_access)(take(b) % 4);
    req.sd = (take(b) & 1) ? sd : NULL;
    req.path = "f";
    req.remote_spn = (take(b) & 1) ? "cifs/fs01" : NULL;
    req.kerberos = take(b) & 1;
    toksim_iis_response r;
    check(toksim_iis_request_run(&r, pool, w, &req, NULL, NULL) == TOKSIM_OK);
    check(r.http_status == 200 || r.http_status == 401 || r.http_status == 500 ||
          r.http_status == 503);
    check(r.http_status != 200 || r.win32 == 0);
    check(
        !(r.http_status == 200 && r.impersonated && r.level < TOKSIM_IMP_IMPERSONATION));
    check(r.findings.count <= TOKSIM_MAX_FINDINGS);
    if (take(b) & 1) {
        check(toksim_iis_pool_recycle(pool, &pr, w, NULL, NULL) == TOKSIM_OK);
        check(toksim_iis_request_run(&r, pool, w, &req, NULL, NULL) == TOKSIM_OK);
    }
    toksim_iis_pool_free(pool);
}

static void run_scm(toksim_world *w, bytes *b)
{
    toksim_service_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.name = "FuzzSvc";
    cfg.account = (toksim_service_account)(take(b) % 5);
    cfg.account_name = "alice";
    static const uint32_t required[] = {TOKSIM_PRIV_IMPERSONATE,
                                        TOKSIM_PRIV_CREATE_GLOBAL};
    cfg.required_privileges = required;
    cfg.required_privilege_count = take(b) % 3;
    static const toksim_service_sid_type types[] = {TOKSIM_SERVICE_SID_TYPE_NONE,
                                                    TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED,
                                                    TOKSIM_SERVICE_SID_TYPE_RESTRICTED};
    cfg.sid_type = types[take(b) % 3];
    toksim_service_result res;
    toksim_token *tok = NULL;
    check(toksim_service_start(&res, &tok, w, &cfg, NULL, NULL) == TOKSIM_OK);
    check(res.started == (tok != NULL));
    check(res.started ? res.win32 == 0 : res.win32 == TOKSIM_ERROR_SERVICE_LOGON_FAILED);
    if (tok && cfg.sid_type == TOKSIM_SERVICE_SID_TYPE_RESTRICTED)
        check(toksim_token_is_write_restricted(tok));
    toksim_token_free(tok);
}

static void
run_com(toksim_world *w, bytes *b, const toksim_token *client, const toksim_sd *sd)
{
    toksim_wmi_provider prov = {"FuzzProv",  (toksim_wmi_hosting)(take(b) % 8),
                                NULL,        (int)(take(b) & 1),
                                take(b) & 1, take(b) & 1};
    toksim_com_action acts[32];
    size_t n = take(b) % 33;
    for (size_t i = 0; i < n; i++) {
        memset(&acts[i], 0, sizeof acts[i]);
        acts[i].kind = (toksim_com_action_kind)(take(b) % 6);
        acts[i].sd = (take(b) & 1) ? sd : NULL;
        acts[i].object = "o";
        acts[i].object_type = TOKSIM_OBJ_FILE;
        acts[i].on_deny = (toksim_wmi_on_deny)(take(b) % 3);
    }
    toksim_com_call call;
    memset(&call, 0, sizeof call);
    call.client = client;
    call.client_imp_level = (int)(take(b) % 5);
    call.client_authn_level = (int)(take(b) % 7);
    call.client_kind = (toksim_com_client_kind)(take(b) & 1);
    call.registry_default_level = (int)(take(b) % 5);
    call.server_token = client; /* used for plain COM, SelfHost and decoupled providers */
    call.provider = (take(b) & 1) ? &prov : NULL;
    call.actions = acts;
    call.namespace_sd = (take(b) & 1) ? sd : NULL;
    call.remote_client = take(b) & 1;
    call.client_auth = (toksim_auth_package)(take(b) % 3);
    call.action_count = n;
    toksim_com_result r;
    toksim_trace t;
    toksim_trace_init(&t);
    check(toksim_com_call_run(&r, w, &call, &t, NULL) == TOKSIM_OK);
    check(r.action_count <= n);
    check(r.ok == ((r.hresult & 0x80000000u) == 0));
    check(r.findings.count <= TOKSIM_MAX_FINDINGS);
    for (size_t i = 0; i < r.action_count; i++)
        if (acts[i].kind == TOKSIM_COM_OPEN && r.actions[i].win32 == 0 &&
            r.actions[i].hresult == 0 && r.actions[i].impersonating)
            check(r.actions[i].level >= TOKSIM_IMP_IMPERSONATION);
    toksim_trace_dispose(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 512)
        return 0;
    bytes b = {data, size};
    toksim_world *w = NULL;
    check(toksim_world_new(&w, "FUZZ01", NULL, "server", NULL) == TOKSIM_OK);
    toksim_account spec;
    memset(&spec, 0, sizeof spec);
    spec.kind = TOKSIM_ACCOUNT_USER;
    spec.scope = TOKSIM_SCOPE_MACHINE;
    spec.name = "alice";
    toksim_sid alice;
    check(toksim_world_add_account(w, &spec, &alice, NULL) == TOKSIM_OK);
    policy_change(w, take(&b));
    toksim_sd *sd = NULL;
    check(toksim_sd_from_sddl(&sd, sddls[take(&b) % 4], NULL, NULL) == TOKSIM_OK);

    run_iis(w, &b, sd);
    run_scm(w, &b);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    toksim_logon_result lr;
    check(toksim_logon_user(&lr, w, "alice", TOKSIM_LOGON_NETWORK, &opt, NULL, NULL) ==
          TOKSIM_OK);
    if (lr.success)
        run_com(w, &b, lr.token, sd);
    toksim_token_free(lr.token);
    toksim_sd_free(sd);
    toksim_world_free(w);
    return 0;
}
