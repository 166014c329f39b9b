/*
 * PURPOSE: scenario operations of the systems layer: service.start (SCM),
 * iis.app_pool.start / recycle and iis.request (WAS, w3wp, the static file handler),
 * wmi.provider.register, wmi.query and com.call (COM/WMI with a provider's list of
 * actions). Parameters become the systems layer's config structs; its results (HTTP,
 * HRESULT, WBEM, findings) become the step's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/run_int.h"
#include "scenario/world_glue.h"
#include "scenario/ops_params.h"
#include "scenario/model_int.h"
#include "toksim/world.h"
#include "toksim/systems.h"

/* An account a step names must exist in the world: a run error naming it (exit 2), not a
 * verdict. */
static toksim_status
need_account(toksim_run *run, toksim_error *err, const char *key, const char *name)
{
    toksim_sid sid;
    toksim_error e = {0};
    if (name && toksim_world_resolve(run->world, name, &sid, &e) != TOKSIM_OK)
        return ts_run_fail(run, err, TOKSIM_ENOTFOUND, "%s: %s", key,
                           e.message[0] ? e.message : name);
    return TOKSIM_OK;
}

/* A step's required_privileges: names -> LUIDs (the one reader, ops_params.c). */
static toksim_status required_privileges(
    toksim_run *run, toksim_error *err, const ts_step *st, uint32_t *luids, size_t *n)
{
    const char *bad;
    toksim_status rc = ts_step_required_privileges(st, luids, n, &bad);
    if (rc == TOKSIM_ELIMIT)
        return ts_run_fail(run, err, rc, "required_privileges: more than %u",
                           TOKSIM_WORLD_MAX_REQUIRED_PRIVILEGES);
    if (rc != TOKSIM_OK)
        return ts_run_fail(run, err, rc,
                           "required_privileges: unknown privilege \"%.60s\"", bad);
    return TOKSIM_OK;
}

/* The step's parameters are a service declaration (world.h), parsed by the one parser
 * toksim_service_config_from_decl(); a step naming only a service the world declares
 * ("services") starts that declaration. */
toksim_status ts_op_service_start(toksim_run *run,
                                  const ts_step *st,
                                  toksim_step_result *r,
                                  toksim_error *err)
{
    toksim_world_service decl;
    memset(&decl, 0, sizeof decl);
    decl.name = ts_step_str(st, "service");
    decl.account = ts_step_str(st, "account");
    decl.password = ts_step_str(st, "password");
    decl.sid_type = ts_step_str(st, "sid_type");
    uint32_t luids[TOKSIM_WORLD_MAX_REQUIRED_PRIVILEGES];
    toksim_status rc0 =
        required_privileges(run, err, st, luids, &decl.required_privilege_count);
    if (rc0)
        return rc0;
    decl.required_privileges = luids;
    const toksim_world_service *declared =
        toksim_world_find_service(run->world, decl.name);
    if (declared && !decl.account && !decl.password && !decl.sid_type &&
        !decl.required_privilege_count)
        decl = *declared;
    toksim_service_config cfg;
    toksim_error pe = {0};
    if (toksim_service_config_from_decl(&cfg, &decl, &pe) != TOKSIM_OK)
        return ts_run_fail(run, err, TOKSIM_EPARSE, "%s", pe.message);
    if (cfg.account == TOKSIM_SVC_USER) {
        rc0 = need_account(run, err, "account", cfg.account_name);
        if (rc0)
            return rc0;
    }
    toksim_service_result res;
    memset(&res, 0, sizeof res);
    toksim_token *tok = NULL;
    toksim_error e = {0};
    toksim_status rc = toksim_service_start(&res, &tok, run->world, &cfg, &r->trace, &e);
    if (rc)
        return ts_run_fail_lib(run, err, rc, &e);
    ts_result_codes(r, res.started, res.win32, res.logon_ntstatus, 0);
    if ((rc = ts_result_add_findings(r, &res.findings, false))) {
        toksim_token_free(tok);
        return rc;
    }
    if (!res.started) {
        char ename[96];
        ts_result_error_name(ename, sizeof ename, r);
        ts_summary(run, "service %s did not start: %s", cfg.name, ename);
        toksim_token_free(tok);
        return TOKSIM_OK;
    }
    ts_named *n;
    rc = ts_make_process_owned(run, err, ts_step_str(st, "as"), "service", tok, &n);
    if (rc)
        return rc;
    r->token = ts_named_primary(n);
    char uname[160];
    ts_run_sid_name(uname, sizeof uname, run, &res.user);
    ts_summary(run, "service %s started as %s", cfg.name, uname);
    return TOKSIM_OK;
}

static void pool_summary(toksim_run *run,
                         const toksim_iis_pool_result *res,
                         const char *name,
                         toksim_step_result *r,
                         const char *verb)
{
    char uname[160];
    ts_run_sid_name(uname, sizeof uname, run, &res->user);
    if (res->started) {
        ts_summary(run, "application pool \"%s\" %s: w3wp.exe runs as %s", name, verb,
                   uname);
    } else {
        char ename[96];
        ts_result_error_name(ename, sizeof ename, r);
        ts_summary(run,
                   "application pool \"%s\" is stopped: its identity cannot log on (%s)",
                   name, ename);
    }
}

static toksim_status pool_result(toksim_step_result *r, const toksim_iis_pool_result *res)
{
    ts_result_codes(r, res->started, res->logon_win32, res->logon_ntstatus, 0);
    return ts_result_add_findings(r, &res->findings, false);
}

toksim_status ts_op_pool_start(toksim_run *run,
                               const ts_step *st,
                               toksim_step_result *r,
                               toksim_error *err)
{
    /* The step's parameters are a pool declaration (world.h), parsed by the one parser
     * toksim_iis_pool_config_from_decl(); a step naming only a pool the world declares
     * ("app_pools") starts that declaration. */
    toksim_world_pool decl;
    memset(&decl, 0, sizeof decl);
    decl.name = ts_step_str(st, "pool");
    decl.identity = ts_step_str(st, "identity");
    decl.user = ts_step_str(st, "user");
    decl.password = ts_step_str(st, "password");
    const ts_param *mg = ts_step_param(st, "manual_group_membership");
    decl.manual_group_membership = mg && mg->b;
    const toksim_world_pool *declared = toksim_world_find_pool(run->world, decl.name);
    if (declared && !decl.identity && !decl.user && !decl.password && !mg)
        decl = *declared;
    toksim_iis_pool_config cfg;
    toksim_error pe = {0};
    if (toksim_iis_pool_config_from_decl(&cfg, &decl, &pe) != TOKSIM_OK)
        return ts_run_fail(run, err, TOKSIM_EPARSE, "%s", pe.message);
    toksim_status rc0 = need_account(run, err, "user", cfg.user_name);
    if (rc0)
        return rc0;
    if ((rc0 = ts_reach_pool_delegation(run, err, st, &cfg)))
        return rc0;
    cfg.options = ts_run_model(run);
    toksim_iis_pool *pool = NULL;
    toksim_iis_pool_result res;
    memset(&res, 0, sizeof res);
    toksim_error e = {0};
    toksim_status rc =
        toksim_iis_pool_start(&pool, &res, run->world, &cfg, &r->trace, &e);
    if (rc)
        return ts_run_fail_lib(run, err, rc, &e);
    if ((rc = pool_result(r, &res))) {
        toksim_iis_pool_free(pool);
        return rc;
    }
    ts_named *n;
    const char *as = ts_step_str(st, "as");
    if (res.started)
        rc = ts_make_process(run, err, as, "app pool", toksim_iis_pool_token(pool), &n);
    else
        rc = ts_named_add(run, err, as, TS_N_PROCESS, "app pool", &n);
    if (rc) {
        toksim_iis_pool_free(pool);
        return rc;
    }
    n->pool = pool;
    r->token = toksim_iis_pool_token(pool);
    pool_summary(run, &res, cfg.name, r, "started");
    return TOKSIM_OK;
}

toksim_status ts_op_pool_recycle(toksim_run *run,
                                 const ts_step *st,
                                 toksim_step_result *r,
                                 toksim_error *err)
{
    ts_named *n;
    toksim_status rc = ts_lookup_pool(run, err, ts_step_str(st, "pool"), &n);
    if (rc)
        return rc;
    toksim_iis_pool_result res;
    memset(&res, 0, sizeof res);
    toksim_error e = {0};
    rc = toksim_iis_pool_recycle(n->pool, &res, run->world, &r->trace, &e);
    if (rc)
        return ts_run_fail_lib(run, err, rc, &e);
    if ((rc = ts_replace_process(run, err, n, toksim_iis_pool_token(n->pool))))
        return rc;
    if ((rc = pool_result(r, &res)))
        return rc;
    r->token = toksim_iis_pool_token(n->pool);
    pool_summary(run, &res, toksim_iis_pool_name(n->pool), r, "recycled");
    return TOKSIM_OK;
}

toksim_status ts_op_iis_request(toksim_run *run,
                                const ts_step *st,
                                toksim_step_result *r,
                                toksim_error *err)
{
    ts_named *n;
    const ts_object *obj;
    toksim_status rc = ts_lookup_pool(run, err, ts_step_str(st, "pool"), &n);
    if (rc || (rc = ts_lookup_object(run, err, ts_step_str(st, "path"), &obj)))
        return rc;
    toksim_iis_request req;
    memset(&req, 0, sizeof req);
    req.user = ts_step_str(st, "user");
    req.password = ts_step_str(st, "password");
    req.anonymous_user = ts_step_str(st, "anonymous_user");
    req.auth = req.user ? TOKSIM_IIS_AUTH_WINDOWS : TOKSIM_IIS_AUTH_ANONYMOUS;
    const char *auth = ts_step_str(st, "auth");
    if (auth && toksim_iis_auth_parse(&req.auth, auth) != TOKSIM_OK)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "auth \"%.40s\": expected anonymous, basic or windows", auth);
    if (req.auth != TOKSIM_IIS_AUTH_ANONYMOUS && !req.user)
        return ts_run_fail(run, err, TOKSIM_EPARSE, "auth %s needs \"user\"", auth);
    if ((rc = need_account(run, err, "user", req.user)) ||
        (req.anonymous_user && *req.anonymous_user &&
         (rc = need_account(run, err, "anonymous_user", req.anonymous_user))))
        return rc;
    const ts_param *imp = ts_step_param(st, "impersonate");
    req.access =
        (imp && !imp->b) ? TOKSIM_IIS_ACCESS_PROCESS : TOKSIM_IIS_ACCESS_IMPERSONATE;
    req.path = obj->path;
    req.sd = obj->sd;
    char spn[300];
    if ((rc = ts_reach_iis_remote(run, err, st, obj, &req, spn, sizeof spn)))
        return rc;
    if ((rc = ts_param_access(run, err, st, "access", obj->type, 0, &req.desired)))
        return rc;
    toksim_iis_response resp;
    memset(&resp, 0, sizeof resp);
    toksim_error e = {0};
    rc = toksim_iis_request_run(&resp, n->pool, run->world, &req, &r->trace, &e);
    if (rc)
        return ts_run_fail_lib(run, err, rc, &e);
    r->has_http = true;
    r->http = resp.http_status;
    ts_result_codes(r, resp.http_status >= 200 && resp.http_status < 400, resp.win32,
                    resp.ntstatus, resp.hresult);
    r->has_granted = r->ok;
    r->granted = resp.granted;
    if (resp.impersonated) {
        r->has_level = true;
        r->level = resp.level;
    }
    r->token = toksim_iis_pool_token(n->pool);
    if ((rc = ts_result_add_findings(r, &resp.findings, false)))
        return rc;
    if (resp.downgraded && (rc = ts_trace_holders(run, &r->trace)))
        return rc;
    const char *url = ts_step_str(st, "url");
    char who[160];
    if (req.auth == TOKSIM_IIS_AUTH_ANONYMOUS)
        snprintf(who, sizeof who, "an anonymous user");
    else if (resp.request_user.revision == 0)
        (void)ts_put(who, sizeof who, 0, req.user);
    else
        ts_run_sid_name(who, sizeof who, run, &resp.request_user);
    if (r->ok) {
        ts_summary(run, "GET %s by %s: HTTP %d", url ? url : obj->path, who,
                   resp.http_status);
    } else {
        char ename[96];
        ts_result_error_name(ename, sizeof ename, r);
        char status[24];
        if (resp.http_substatus)
            snprintf(status, sizeof status, "%d.%d", resp.http_status,
                     resp.http_substatus);
        else
            snprintf(status, sizeof status, "%d", resp.http_status);
        if (resp.win32 || resp.hresult)
            ts_summary(run, "GET %s by %s: HTTP %s, %s (0x%08X)", url ? url : obj->path,
                       who, status, ename, (unsigned)resp.hresult);
        else
            ts_summary(run, "GET %s by %s: HTTP %s", url ? url : obj->path, who, status);
    }
    if (resp.remote)
        ts_reach_remote_summary(run, obj->machine, resp.hop_identity, &resp.remote_user);
    return TOKSIM_OK;
}

/* ---- WMI / COM ---- */

typedef struct provider_reg {
    toksim_wmi_provider p;
    char *name, *group;
} provider_reg;

static void provider_free(void *data)
{
    provider_reg *pr = data;
    if (!pr)
        return;
    free(pr->name);
    free(pr->group);
    free(pr);
}

toksim_status ts_op_provider_register(toksim_run *run,
                                      const ts_step *st,
                                      toksim_step_result *r,
                                      toksim_error *err)
{
    provider_reg *pr = ts_calloc(1, sizeof *pr);
    if (!pr)
        return TOKSIM_ENOMEM;
    char group[128] = "";
    const char *hosting = ts_step_str(st, "hosting");
    toksim_error e = {0};
    if (toksim_wmi_hosting_parse(&pr->p.hosting, group, sizeof group,
                                 hosting ? hosting : "", &e) != TOKSIM_OK) {
        provider_free(pr);
        return ts_run_fail(run, err, TOKSIM_EPARSE, "hosting \"%.60s\": %s", hosting,
                           e.message);
    }
    pr->name = ts_strdup(ts_step_str(st, "name"));
    pr->group = group[0] ? ts_strdup(group) : NULL;
    if (!pr->name || (group[0] && !pr->group)) {
        provider_free(pr);
        return TOKSIM_ENOMEM;
    }
    pr->p.name = pr->name;
    pr->p.host_group = pr->group;
    const ts_param *il = ts_step_param(st, "impersonation_level");
    pr->p.impersonation_level = il ? (int)il->num : 0;
    const ts_param *pu = ts_step_param(st, "per_user_initialization");
    pr->p.per_user_initialization = pu && pu->b;
    const ts_param *ia = ts_step_param(st, "initialize_as_admin_first");
    pr->p.initialize_as_admin_first = ia && ia->b;
    ts_named *n;
    toksim_status rc =
        ts_named_add(run, err, ts_step_str(st, "as"), TS_N_PROVIDER, "provider", &n);
    if (rc) {
        provider_free(pr);
        return rc;
    }
    n->data = pr;
    n->free_data = provider_free;
    r->ok = true;
    /* the WmiPrvSE token this registration gets, so expectations can look at its
     * privileges */
    if (pr->p.hosting != TOKSIM_WMI_HOST_SELF &&
        pr->p.hosting != TOKSIM_WMI_HOST_DECOUPLED) {
        toksim_token *host = NULL;
        if ((rc = toksim_wmi_host_token(&host, run->world, pr->p.hosting, &r->trace, &e)))
            return ts_run_fail_lib(run, err, rc, &e);
        n->token = host; /* owned by the name, freed with it */
        r->token = host;
        char uname[160];
        ts_run_sid_name(uname, sizeof uname, run, toksim_token_user(host));
        ts_summary(
            run,
            "provider %s (ImpersonationLevel %d) is hosted in WmiPrvSE.exe as %s, %s "
            "SeImpersonatePrivilege",
            pr->name, pr->p.impersonation_level, uname,
            toksim_token_privilege_enabled(host, TOKSIM_PRIV_IMPERSONATE) ? "with"
                                                                          : "WITHOUT");
    } else {
        ts_summary(run, "provider %s (ImpersonationLevel %d) runs in its own process",
                   pr->name, pr->p.impersonation_level);
    }
    return TOKSIM_OK;
}

static bool parse_authn(const char *s, int *out)
{
    static const char *const names[] = {"default", "none",          "connect",    "call",
                                        "pkt",     "pkt_integrity", "pkt_privacy"};
    for (int i = 0; i < 7; i++)
        if (ts_strcasecmp(s, names[i]) == 0) {
            *out = i;
            return true;
        }
    return false;
}

toksim_status ts_op_com_call(toksim_run *run,
                             const ts_step *st,
                             toksim_step_result *r,
                             toksim_error *err)
{
    bool wmi = strcmp(st->op->name, "wmi.query") == 0;
    toksim_com_call call;
    memset(&call, 0, sizeof call);
    call.options = ts_run_model(run);
    toksim_status rc =
        ts_lookup_effective(run, err, ts_step_str(st, "client"), &call.client);
    if (rc)
        return rc;
    const char *s;
    if ((s = ts_step_str(st, "level")) && !ts_parse_rpc_level(s, &call.client_imp_level))
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "level \"%.40s\": expected default, anonymous, identify, "
                           "impersonate or delegate "
                           "(RPC_C_IMP_LEVEL_*)",
                           s);
    if ((s = ts_step_str(st, "authn")) && !parse_authn(s, &call.client_authn_level))
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "authn \"%.40s\": expected default, none, connect, call, pkt, "
                           "pkt_integrity or "
                           "pkt_privacy (RPC_C_AUTHN_LEVEL_*)",
                           s);
    call.client_kind = wmi ? TOKSIM_COM_CLIENT_WMI_SCRIPT : TOKSIM_COM_CLIENT_API;
    if ((s = ts_step_str(st, "client_kind"))) {
        if (ts_strcasecmp(s, "api") == 0)
            call.client_kind = TOKSIM_COM_CLIENT_API;
        else if (ts_strcasecmp(s, "script") == 0)
            call.client_kind = TOKSIM_COM_CLIENT_WMI_SCRIPT;
        else
            return ts_run_fail(run, err, TOKSIM_EPARSE,
                               "client_kind \"%.40s\": expected api or script", s);
    }
    const ts_param *rd = ts_step_param(st, "registry_default_level");
    call.registry_default_level = rd ? (int)rd->num : 0;
    /* a remote DCOM client (com.call): NTLM by default, or Kerberos */
    const ts_param *rmt = ts_step_param(st, "remote");
    call.remote_client = rmt && rmt->b;
    call.client_auth = TOKSIM_AUTH_NTLM;
    if ((s = ts_step_str(st, "auth")) && ts_strcasecmp(s, "kerberos") == 0)
        call.client_auth = TOKSIM_AUTH_KERBEROS;
    else if (s && ts_strcasecmp(s, "ntlm") != 0)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "auth \"%.40s\": expected ntlm or kerberos", s);
    const provider_reg *pr = NULL;
    if (wmi) {
        ts_named *pn = ts_named_find(run, ts_step_str(st, "provider"));
        if (!pn || pn->kind != TS_N_PROVIDER)
            return ts_run_fail(run, err, TOKSIM_ENOTFOUND,
                               "\"%s\" names no provider registered by an earlier step "
                               "(wmi.provider.register)",
                               ts_step_str(st, "provider"));
        pr = pn->data;
        call.provider = &pr->p;
    } else {
        const toksim_token *srv;
        if ((rc = ts_lookup_token(run, err, ts_step_str(st, "server"), &srv, NULL)))
            return rc;
        call.server_token = srv;
    }
    toksim_wmi_on_deny on_deny = TOKSIM_WMI_DENY_FAIL;
    if ((s = ts_step_str(st, "on_deny"))) {
        if (ts_strcasecmp(s, "partial") == 0)
            on_deny = TOKSIM_WMI_DENY_PARTIAL;
        else if (ts_strcasecmp(s, "silent") == 0)
            on_deny = TOKSIM_WMI_DENY_SILENT;
        else if (ts_strcasecmp(s, "fail") != 0)
            return ts_run_fail(run, err, TOKSIM_EPARSE,
                               "on_deny \"%.40s\": expected fail, partial or silent", s);
    }
    const ts_param *acts = ts_step_param(st, "actions");
    toksim_com_action actions[TOKSIM_COM_MAX_ACTIONS];
    size_t na = 0;
    for (size_t i = 0; acts && i < acts->nlist; i++) {
        if (na >= TOKSIM_COM_MAX_ACTIONS)
            return ts_run_fail(run, err, TOKSIM_ELIMIT, "more than %d actions",
                               TOKSIM_COM_MAX_ACTIONS);
        char verb[32];
        const char *a = acts->list[i];
        const char *sp = strchr(a, ' ');
        snprintf(verb, sizeof verb, "%.*s", (int)(sp ? (size_t)(sp - a) : strlen(a)), a);
        toksim_com_action *ac = &actions[na++];
        memset(ac, 0, sizeof *ac);
        if (toksim_com_action_parse(&ac->kind, verb) != TOKSIM_OK)
            return ts_run_fail(run, err, TOKSIM_EPARSE,
                               "actions[%zu] \"%.60s\": expected impersonate, revert, "
                               "open <path>, call_wmi [<path>] "
                               "or initialize",
                               i, a);
        ac->on_deny = on_deny;
        if (sp) {
            const ts_object *obj;
            if ((rc = ts_lookup_object(run, err, sp + 1, &obj)))
                return rc;
            ac->object = obj->path;
            ac->sd = obj->sd;
            ac->object_type = obj->type;
            if ((rc =
                     ts_param_access(run, err, st, "access", obj->type, 0, &ac->desired)))
                return rc;
        } else if (ac->kind == TOKSIM_COM_OPEN) {
            return ts_run_fail(run, err, TOKSIM_EPARSE,
                               "actions[%zu]: \"open\" needs an object path", i);
        }
    }
    call.actions = actions;
    if (wmi && (rc = ts_reach_wmi_namespace(run, err, st, &call)))
        return rc;
    call.action_count = na;
    toksim_com_result
        res; /* filled by toksim_com_call_run (issue 11: no 10 KiB memset) */
    toksim_error e = {0};
    if ((rc = toksim_com_call_run(&res, run->world, &call, &r->trace, &e)))
        return ts_run_fail_lib(run, err, rc, &e);
    r->ok = res.ok;
    r->hresult = res.hresult;
    if (wmi) {
        r->has_wbem = true;
        r->wbem = res.wbem;
    }
    for (size_t i = 0; i < res.action_count && i < TOKSIM_COM_MAX_ACTIONS; i++)
        if (res.actions[i].win32 && !r->win32) {
            r->win32 = res.actions[i].win32;
            r->ntstatus = toksim_win32_to_ntstatus(r->win32);
        }
    /* the level the provider's thread really held: the first CoImpersonateClient's result
     */
    r->has_level = true;
    r->level = res.client_token_level;
    for (size_t i = 0; i < res.action_count && i < na; i++)
        if (actions[i].kind == TOKSIM_COM_IMPERSONATE && res.actions[i].impersonating) {
            r->level = res.actions[i].level;
            break;
        }
    if ((rc = ts_result_add_findings(r, &res.findings, false)))
        return rc;
    if (toksim_findings_find(&res.findings, "finding.silent_identify_downgrade") &&
        (rc = ts_trace_holders(run, &r->trace)))
        return rc;
    char cname[160], hname[160], ename[96];
    ts_run_sid_name(cname, sizeof cname, run, toksim_token_user(call.client));
    ts_run_sid_name(hname, sizeof hname, run, &res.host_user);
    ts_result_error_name(ename, sizeof ename, r);
    const char *q = ts_step_str(st, "query");
    if (r->ok)
        ts_summary(run, "%s%s%s by %s served by %s%s%s", wmi ? "WMI query" : "COM call",
                   q ? " " : "", q ? q : "", cname, hname,
                   r->findings->count ? " (with findings)" : "",
                   (wmi && res.wbem) ? ", partial result" : "");
    else
        ts_summary(run, "%s%s%s by %s failed in %s: %s (0x%08X)",
                   wmi ? "WMI query" : "COM call", q ? " " : "", q ? q : "", cname, hname,
                   ename, (unsigned)(wmi && res.wbem ? res.wbem : res.hresult));
    return TOKSIM_OK;
}
