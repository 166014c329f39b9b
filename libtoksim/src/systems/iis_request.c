/*
 * PURPOSE: one IIS request on a pool: authentication (anonymous IUSR / configured user /
 * pool identity, Basic = cleartext logon made by the worker, Windows = SSPI network-logon
 * token), the handler putting the request token on a worker thread through the
 * impersonation engine (the SeImpersonatePrivilege test and silent Identify downgrade of
 * windows-model §2.2-2.3 apply), the file open from that thread, and the HTTP status IIS
 * answers: pool stopped -> 503; logon failed -> 401.1; open denied -> 401.3;
 *   ERROR_BAD_IMPERSONATION_LEVEL (0x80070542) or any other failure -> 500 (MBAM, §12.7).
 *
 * Who makes the request token matters to the §2.2 test: for Basic (and a configured
 * anonymous user) the worker itself calls LogonUser, passing its logon session as the
 * caller (caller_logon_id), so the identity layer's TOKEN_ORIGIN rule decides whether
 * §2.2 step 6 ("created with explicit credentials in this logon session") lets the worker
 * impersonate without SeImpersonatePrivilege; an SSPI token (Windows auth) never has an
 * origin and always needs the privilege. IUSR is a built-in account IIS logs on itself
 * (no password); whether its token carries the worker's session as origin is UNCONFIRMED:
 * see TS_IIS_IUSR_FROM_WORKER_LOGON.
 * Left out: URL authorization, output caching, custom errors, ASP.NET 500.24.
 */
#include <stdio.h>
#include <string.h>
#include "systems/sys_int.h"
#include "systems/iis_int.h"

/** IUSR's token carries the worker's logon session as origin (UNCONFIRMED: set 0 to
 * compare; the test basic_and_anonymous_survive_the_gpo... then fails on its IUSR step).
 */
#define TS_IIS_IUSR_FROM_WORKER_LOGON 1
/** FILE_GENERIC_READ (winnt.h). */
#define TS_FILE_GENERIC_READ 0x00120089u

static void set_http(toksim_iis_response *out, int status, int sub, uint32_t win32)
{
    out->http_status = status;
    out->http_substatus = sub;
    out->win32 = win32;
    out->hresult = toksim_hresult_from_win32(win32);
    out->ntstatus = toksim_win32_to_ntstatus(win32);
}

/* The request token per authentication scheme; *tok NULL = the worker's own identity. */
static toksim_status authenticate(toksim_iis_response *out,
                                  toksim_token **tok,
                                  toksim_iis_pool *pool,
                                  toksim_world *world,
                                  const toksim_iis_request *req,
                                  toksim_trace *trace,
                                  toksim_error *err)
{
    const toksim_token *worker = toksim_process_token(ts_iis_pool_process(pool));
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.console = false;
    opt.session_id = 0;
    const char *user = req->user;
    toksim_logon_type type = TOKSIM_LOGON_NETWORK_CLEARTEXT;
    toksim_rule rule = TOKSIM_RULE_IIS_AUTH_BASIC;
    *tok = NULL;
    switch (req->auth) {
    case TOKSIM_IIS_AUTH_ANONYMOUS:
        rule = TOKSIM_RULE_IIS_AUTH_ANONYMOUS;
        if (req->anonymous_user && !req->anonymous_user[0]) {
            /* userName="": requests run as the pool identity itself. */
            out->request_user = *toksim_token_user(worker);
            ts_sys_ev ev = {.sid = &out->request_user};
            return ts_sys_trace(trace, rule, TOKSIM_V_INFO, &ev);
        }
        user = req->anonymous_user ? req->anonymous_user : "NT AUTHORITY\\IUSR";
        if (TS_IIS_IUSR_FROM_WORKER_LOGON || req->anonymous_user)
            opt.caller_logon_id = toksim_token_auth_id(worker);
        break;
    case TOKSIM_IIS_AUTH_BASIC:
        opt.password = req->password;
        opt.caller_logon_id =
            toksim_token_auth_id(worker); /* the worker calls LogonUser */
        break;
    default:
        rule = TOKSIM_RULE_IIS_AUTH_WINDOWS;
        type = TOKSIM_LOGON_NETWORK; /* SSPI AcceptSecurityContext: origin 0 */
        /* the package the browser negotiated decides the NTLM Authentication SID (§4.2)
         */
        opt.package = req->kerberos ? TOKSIM_AUTH_KERBEROS : TOKSIM_AUTH_NTLM;
        break;
    }
    if (!user || !user[0])
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "iis request: %s authentication needs a user",
                            toksim_iis_auth_name(req->auth));
    toksim_sid sid;
    toksim_status rc = toksim_world_resolve(world, user, &sid, err);
    if (rc != TOKSIM_OK)
        return rc;
    out->request_user = sid;
    toksim_logon_result lr;
    memset(&lr, 0, sizeof lr);
    rc = toksim_logon_user_sid(&lr, world, &sid, type, &opt, trace, err);
    if (rc != TOKSIM_OK) {
        toksim_token_free(lr.token);
        return rc;
    }
    if (!lr.success) {
        toksim_token_free(lr.token);
        set_http(out, 401, 1, lr.win32_error);
        ts_sys_ev ev = {.sid = &sid, .status = lr.win32_error};
        return ts_sys_trace(trace, TOKSIM_RULE_IIS_AUTH_FAILED, TOKSIM_V_DENY, &ev);
    }
    *tok = lr.token;
    toksim_imp_level level = TOKSIM_IMP_IMPERSONATION;
    if (req->auth == TOKSIM_IIS_AUTH_WINDOWS) {
        if (req->windows_level > 0 && req->windows_level <= TOKSIM_IMP_DELEGATION)
            level = (toksim_imp_level)req->windows_level;
        toksim_token_set_type(*tok, TOKSIM_TOKEN_IMPERSONATION, level);
    }
    ts_sys_ev ev = {.sid = &sid, .a = type, .b = level};
    return ts_sys_trace(trace, rule, TOKSIM_V_INFO, &ev);
}

/* Put the request token on the thread (SetThreadToken for an impersonation token, as IIS
 * does for ISAPI, ImpersonateLoggedOnUser for a primary token). */
static toksim_status impersonate(toksim_iis_response *out,
                                 toksim_thread *thread,
                                 const toksim_token *tok,
                                 bool isapi_token,
                                 toksim_imp_result *ir,
                                 toksim_trace *trace)
{
    ts_sys_ev ev = {.sid = &out->request_user};
    toksim_status rc = ts_sys_trace(trace,
                                    isapi_token ? TOKSIM_RULE_IIS_ISAPI_TOKEN
                                                : TOKSIM_RULE_IIS_HANDLER_IMPERSONATE,
                                    TOKSIM_V_INFO, &ev);
    if (rc != TOKSIM_OK)
        return rc;
    toksim_token_handle h = {tok, TOKSIM_TOKEN_ACCESS_QUERY |
                                      TOKSIM_TOKEN_ACCESS_DUPLICATE |
                                      TOKSIM_TOKEN_ACCESS_IMPERSONATE};
    if (toksim_token_type_of(tok) == TOKSIM_TOKEN_IMPERSONATION && !isapi_token)
        rc = toksim_set_thread_token(ir, thread, &h, trace);
    else
        rc = toksim_impersonate_logged_on_user(ir, thread, &h, trace);
    if (rc != TOKSIM_OK)
        return rc;
    out->impersonated = ir->ok && ir->impersonating;
    out->level = ir->level;
    out->downgraded = ir->downgraded;
    return TOKSIM_OK;
}

/* Map the open to HTTP (see file comment) and trace it. */
static toksim_status finish(toksim_iis_response *out,
                            const toksim_open_result *orr,
                            const char *path,
                            toksim_trace *trace)
{
    ts_sys_ev ev = {.sid = &out->acting_user,
                    .text = path,
                    .status = orr->win32,
                    .mask = orr->granted};
    out->granted = orr->granted;
    if (orr->ok) {
        set_http(out, 200, 0, 0);
        return ts_sys_trace(trace, TOKSIM_RULE_IIS_FILE_OK, TOKSIM_V_GRANT, &ev);
    }
    if (orr->win32 == TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL) {
        set_http(out, 500, 0, orr->win32);
        return ts_sys_trace(trace, TOKSIM_RULE_IIS_FILE_BAD_LEVEL, TOKSIM_V_DENY, &ev);
    }
    if (orr->win32 == TOKSIM_ERROR_ACCESS_DENIED) {
        set_http(out, 401, 3, orr->win32);
        return ts_sys_trace(trace, TOKSIM_RULE_IIS_FILE_DENIED, TOKSIM_V_DENY, &ev);
    }
    set_http(out, 500, 0, orr->win32);
    return ts_sys_trace(trace, TOKSIM_RULE_IIS_FILE_DENIED, TOKSIM_V_DENY, &ev);
}

/* The token the file server builds for the identity that arrived (approximated in this
 * world: the client's own token, a network logon of the account, or the anonymous token).
 */
static toksim_status remote_token(toksim_token **rt,
                                  toksim_world *world,
                                  const toksim_hop_result *hop,
                                  const toksim_token *tok,
                                  toksim_error *err)
{
    *rt = NULL;
    if (hop->identity == TOKSIM_HOP_ANONYMOUS || !hop->has_sid)
        return toksim_imp_anonymous_token(rt, false);
    if (hop->identity == TOKSIM_HOP_CLIENT && tok) {
        toksim_status rc = toksim_token_copy(rt, tok);
        if (rc == TOKSIM_OK)
            toksim_token_set_type(*rt, TOKSIM_TOKEN_IMPERSONATION,
                                  TOKSIM_IMP_IMPERSONATION);
        return rc;
    }
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    toksim_logon_result lr;
    memset(&lr, 0, sizeof lr);
    toksim_status rc = toksim_logon_user_sid(&lr, world, &hop->sid, TOKSIM_LOGON_NETWORK,
                                             &opt, NULL, err);
    if (rc == TOKSIM_OK && lr.success)
        *rt = lr.token;
    else
        toksim_token_free(lr.token);
    return rc;
}

/* Remote content (UNC): the network-hop rules pick who arrives, the file server checks
 * it. */
static toksim_status serve_remote(toksim_iis_response *out,
                                  const toksim_thread *thread,
                                  toksim_iis_pool *pool,
                                  toksim_world *world,
                                  const toksim_token *tok,
                                  const toksim_iis_request *req,
                                  const toksim_sd *sd,
                                  const char *path,
                                  toksim_trace *trace,
                                  toksim_error *err)
{
    toksim_hop_request hq;
    memset(&hq, 0, sizeof hq);
    hq.client_auth = req->auth == TOKSIM_IIS_AUTH_WINDOWS
                         ? (req->kerberos ? TOKSIM_AUTH_KERBEROS : TOKSIM_AUTH_NTLM)
                         : TOKSIM_AUTH_DEFAULT;
    /* IIS made a cleartext logon for Basic and for a configured anonymous user. */
    hq.client_cleartext = req->auth == TOKSIM_IIS_AUTH_BASIC ||
                          (req->auth == TOKSIM_IIS_AUTH_ANONYMOUS &&
                           req->anonymous_user && req->anonymous_user[0]);
    toksim_account acct;
    if (toksim_world_lookup_sid(world, &out->request_user, &acct)) {
        hq.client_sensitive = (acct.flags & TOKSIM_ACCOUNT_SENSITIVE) != 0;
        hq.client_protected_users = (acct.flags & TOKSIM_ACCOUNT_PROTECTED_USERS) != 0;
    }
    hq.server_delegation =
        ts_iis_pool_delegation(pool, &hq.allowed_spns, &hq.allowed_spn_count);
    hq.target_spn = req->remote_spn;
    toksim_sid machine;
    const char *dom = toksim_world_domain_name(world);
    if (dom) {
        char name[2 * TOKSIM_WORLD_MAX_NAME + 4];
        size_t at = ts_put(name, sizeof name, 0, dom); /* issue 11: no snprintf */
        at = ts_put(name, sizeof name, at, "\\");
        at = ts_put(name, sizeof name, at, toksim_world_machine_name(world));
        (void)ts_put(name, sizeof name, at, "$");
        if (toksim_world_resolve(world, name, &machine, NULL) == TOKSIM_OK)
            hq.machine_account = &machine;
    }
    toksim_hop_result hop;
    toksim_status rc = toksim_network_hop(&hop, thread, &hq, trace);
    if (rc != TOKSIM_OK)
        return rc;
    out->remote = true;
    out->hop_identity = hop.identity;
    if (!hop.ok) {
        set_http(out, hop.win32 == TOKSIM_ERROR_ACCESS_DENIED ? 401 : 500,
                 hop.win32 == TOKSIM_ERROR_ACCESS_DENIED ? 3 : 0, hop.win32);
        return TOKSIM_OK;
    }
    toksim_sid anon = ts_sys_sid("S-1-5-7");
    out->remote_user = hop.has_sid ? hop.sid : anon;
    ts_sys_ev ev = {.sid = &out->remote_user, .text = req->remote_spn};
    rc = ts_sys_trace(trace, TOKSIM_RULE_IIS_REMOTE_IDENTITY, TOKSIM_V_INFO, &ev);
    if (rc == TOKSIM_OK && hop.identity == TOKSIM_HOP_ANONYMOUS && out->impersonated &&
        !toksim_sid_equal(&out->request_user, &anon))
        rc = ts_sys_finding(&out->findings, trace,
                            TOKSIM_RULE_FINDING_DOUBLE_HOP_ANONYMOUS, -1, &anon,
                            &out->request_user, req->remote_spn);
    if (rc != TOKSIM_OK)
        return rc;
    toksim_token *rt = NULL;
    rc = remote_token(&rt, world, &hop, tok, err);
    if (rc != TOKSIM_OK)
        return rc;
    if (!rt) {
        set_http(out, 401, 1, TOKSIM_ERROR_LOGON_FAILURE);
        return TOKSIM_OK;
    }
    toksim_access_request ar;
    memset(&ar, 0, sizeof ar);
    ar.desired = req->desired ? req->desired : TS_FILE_GENERIC_READ;
    ar.mode = TOKSIM_ACCESS_OPEN;
    ar.object_type = TOKSIM_OBJ_FILE;
    toksim_access_result res;
    rc = toksim_access_check(&res, sd, rt, &ar, trace);
    toksim_token_free(rt);
    if (rc != TOKSIM_OK)
        return rc;
    toksim_open_result orr;
    memset(&orr, 0, sizeof orr);
    orr.ok = res.api_ok && res.granted_all;
    orr.win32 = orr.ok ? 0 : res.win32;
    orr.granted = res.granted;
    out->acting_user = out->remote_user;
    return finish(out, &orr, path, trace);
}

static toksim_status serve(toksim_iis_response *out,
                           toksim_thread *thread,
                           toksim_iis_pool *pool,
                           toksim_world *world,
                           const toksim_token *tok,
                           const toksim_iis_request *req,
                           toksim_trace *trace,
                           toksim_error *err)
{
    const toksim_token *worker = toksim_process_token(ts_iis_pool_process(pool));
    const char *path = req->path ? req->path : "(file)";
    toksim_status rc;
    bool isapi_token = req->access == TOKSIM_IIS_ACCESS_ISAPI_TOKEN;
    if (tok && (req->access == TOKSIM_IIS_ACCESS_IMPERSONATE || isapi_token)) {
        toksim_imp_result ir;
        rc = impersonate(out, thread, tok, isapi_token, &ir, trace);
        if (rc != TOKSIM_OK)
            return rc;
        if (!ir.ok) {
            set_http(out, 500, 0, ir.win32);
            return TOKSIM_OK;
        }
        if (ir.downgraded) {
            rc =
                ts_sys_finding(&out->findings, trace, TOKSIM_RULE_FINDING_SILENT_IDENTIFY,
                               -1, toksim_token_user(worker), &out->request_user, path);
            if (rc != TOKSIM_OK)
                return rc;
        }
        out->acting_user = *toksim_token_user(toksim_thread_effective_token(thread));
    } else {
        out->acting_user = *toksim_token_user(worker);
        bool pending = req->access == TOKSIM_IIS_ACCESS_ISAPI_PENDING;
        ts_sys_ev ev = {.sid = &out->acting_user, .text = path};
        rc = ts_sys_trace(trace,
                          pending ? TOKSIM_RULE_IIS_ISAPI_PENDING
                                  : TOKSIM_RULE_IIS_HANDLER_PROCESS,
                          TOKSIM_V_INFO, &ev);
        if (rc != TOKSIM_OK)
            return rc;
        /* Acting as SYSTEM for a user is always a finding; acting as the pool identity is
         * the design of ASP.NET without impersonation, but a bug in a pending extension
         * that meant to act as the user (Extension Security Issues). */
        toksim_sid system = ts_sys_sid("S-1-5-18");
        bool as_system = toksim_sid_equal(&out->acting_user, &system);
        if (!toksim_sid_equal(&out->request_user, &out->acting_user) &&
            (as_system || pending)) {
            rc = ts_sys_finding(&out->findings, trace,
                                as_system ? TOKSIM_RULE_FINDING_SYSTEM_CONTEXT
                                          : TOKSIM_RULE_FINDING_PROCESS_CONTEXT,
                                -1, &out->acting_user, &out->request_user, path);
            if (rc != TOKSIM_OK)
                return rc;
        }
    }
    /* A file without a descriptor: owner/group SYSTEM, no DACL (everything granted). */
    toksim_sd *own = NULL;
    const toksim_sd *sd = req->sd;
    if (!sd) {
        rc = toksim_sd_new(&own);
        if (rc != TOKSIM_OK)
            return rc;
        own->has_owner = own->has_group = true;
        own->owner = own->group = ts_sys_sid("S-1-5-18");
        sd = own;
    }
    if (req->remote_spn) {
        rc = serve_remote(out, thread, pool, world, tok, req, sd, path, trace, err);
        toksim_sd_free(own);
        return rc;
    }
    toksim_open_request orq;
    memset(&orq, 0, sizeof orq);
    orq.sd = sd;
    orq.name = path;
    orq.access.desired = req->desired ? req->desired : TS_FILE_GENERIC_READ;
    orq.access.mode = TOKSIM_ACCESS_OPEN;
    orq.access.object_type = TOKSIM_OBJ_FILE;
    toksim_open_result orr;
    rc = toksim_thread_open_object(&orr, thread, &orq, trace);
    toksim_sd_free(own);
    if (rc != TOKSIM_OK)
        return rc;
    return finish(out, &orr, path, trace);
}

toksim_status toksim_iis_request_run(toksim_iis_response *out,
                                     toksim_iis_pool *pool,
                                     toksim_world *world,
                                     const toksim_iis_request *req,
                                     toksim_trace *trace,
                                     toksim_error *err)
{
    if (!out || !pool || !world || !req)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "iis request: missing result, pool, world or request");
    memset(out, 0, sizeof *out);
    if (req->auth != TOKSIM_IIS_AUTH_ANONYMOUS && req->auth != TOKSIM_IIS_AUTH_BASIC &&
        req->auth != TOKSIM_IIS_AUTH_WINDOWS)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "iis request: unknown authentication scheme");
    if (req->access < TOKSIM_IIS_ACCESS_IMPERSONATE ||
        req->access > TOKSIM_IIS_ACCESS_ISAPI_TOKEN)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "iis request: unknown handler access mode");
    if (!toksim_iis_pool_started(pool)) {
        set_http(out, 503, 0, 0);
        ts_sys_ev ev = {.text = toksim_iis_pool_name(pool)};
        return ts_sys_trace(trace, TOKSIM_RULE_IIS_REQUEST_POOL_STOPPED, TOKSIM_V_DENY,
                            &ev);
    }
    toksim_token *tok = NULL;
    toksim_status rc = authenticate(out, &tok, pool, world, req, trace, err);
    if (rc != TOKSIM_OK || out->http_status) {
        toksim_token_free(tok);
        return rc;
    }
    toksim_thread *thread = NULL;
    rc = toksim_thread_new(&thread, ts_iis_pool_process(pool));
    if (rc == TOKSIM_OK)
        rc = serve(out, thread, pool, world, tok, req, trace, err);
    toksim_thread_free(thread);
    toksim_token_free(tok);
    return rc;
}
