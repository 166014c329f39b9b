/*
 * PURPOSE: COM/DCOM activation on the server machine (toksim_com_activate) and the
 * identity an outgoing COM call presents under cloaking (toksim_com_cloak_identity).
 * Order of the decisions: which token the caller presents (Activation Security: cloaking
 * picks the thread token, else the process token), the remote caller's network logon, the
 * launch/activation permission (LaunchPermission, else DefaultLaunchPermission; launch
 * for a server not running, activation for a running one), the RunAs identity of a
 * launched server, then the AppID's AccessPermission. A refused permission is
 * E_ACCESSDENIED with a finding shaped like DCOM event 10016. Sources are in
 * com_activation.h and in the rule rows (rules_systems.inc, "com.*").
 */
#include <stdio.h>
#include <string.h>
#include "systems/sys_int.h"
#include "toksim/com_activation.h"
#include "toksim/world.h"

typedef struct act_state {
    const toksim_com_activation *act;
    toksim_com_activation_result *out;
    toksim_world *world;
    toksim_trace *trace;
    toksim_error *err;
    const char *app_name;
    toksim_token *at_server; /* the caller as the server machine sees it (owned) */
    toksim_token *server;    /* the server process token (owned) */
} act_state;

/* Every ACE grants exactly COM_RIGHTS_EXECUTE: the legacy format (Access Control Lists
 * for COM). */
static bool legacy_acl(const toksim_sd *sd)
{
    if (!sd->dacl || sd->dacl->count == 0)
        return false;
    for (size_t i = 0; i < sd->dacl->count; i++)
        if (sd->dacl->aces[i].mask != TOKSIM_COM_RIGHTS_EXECUTE)
            return false;
    return true;
}

/* AccessCheck of the caller's token (as an impersonation token) against a COM ACL. */
static toksim_status com_check(
    bool *granted, act_state *st, const toksim_sd *sd, uint32_t needed, const char *scope)
{
    if (legacy_acl(sd)) {
        ts_sys_ev ev = {.text = scope};
        toksim_status rc =
            ts_sys_trace(st->trace, TOKSIM_RULE_COMACT_LEGACY_ACL, TOKSIM_V_INFO, &ev);
        if (rc != TOKSIM_OK)
            return rc;
        needed = TOKSIM_COM_RIGHTS_EXECUTE;
    }
    /* The check runs on the caller's token made an Impersonation-level token for the
     * moment (the server impersonates the caller), then put back: no copy (issue 11). */
    toksim_token *tok = st->at_server;
    const toksim_token_type type0 = toksim_token_type_of(tok);
    const toksim_imp_level level0 = toksim_token_level(tok);
    toksim_token_set_type(tok, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IMPERSONATION);
    toksim_access_request req;
    memset(&req, 0, sizeof req);
    req.mode = TOKSIM_ACCESS_API;
    req.object_type = TOKSIM_OBJ_GENERIC;
    req.desired = needed;
    toksim_access_result ar;
    toksim_status rc = toksim_access_check(&ar, sd, tok, &req, NULL);
    toksim_token_set_type(tok, type0, level0);
    *granted = rc == TOKSIM_OK && ar.api_ok && ar.granted_all;
    return rc;
}

static const char *right_words(uint32_t right)
{
    switch (right) {
    case TOKSIM_COM_RIGHTS_EXECUTE_LOCAL:
        return "Local Launch";
    case TOKSIM_COM_RIGHTS_EXECUTE_REMOTE:
        return "Remote Launch";
    case TOKSIM_COM_RIGHTS_ACTIVATE_LOCAL:
        return "Local Activation";
    default:
        return "Remote Activation";
    }
}

/* Which token the activation presents, then how the server machine sees that caller. */
static toksim_status caller_at_server(act_state *st)
{
    const toksim_com_activation *a = st->act;
    const toksim_token *presented = a->caller_process;
    toksim_status rc = TOKSIM_OK;
    if (a->caller_thread && a->cloaking != TOKSIM_COM_CLOAK_NONE) {
        presented = a->caller_thread;
        ts_sys_ev ev = {.sid = toksim_token_user(presented)};
        rc =
            ts_sys_trace(st->trace, TOKSIM_RULE_COMACT_CALLER_THREAD, TOKSIM_V_INFO, &ev);
    } else if (a->caller_thread) {
        ts_sys_ev ev = {.sid = toksim_token_user(presented)};
        rc = ts_sys_trace(st->trace, TOKSIM_RULE_COMACT_CALLER_PROCESS, TOKSIM_V_INFO,
                          &ev);
    }
    if (rc != TOKSIM_OK)
        return rc;
    st->out->caller = *toksim_token_user(presented);
    if (!a->remote)
        return toksim_token_copy(&st->at_server, presented);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.package =
        a->auth == TOKSIM_AUTH_KERBEROS ? TOKSIM_AUTH_KERBEROS : TOKSIM_AUTH_NTLM;
    opt.caller_logon_id = 0; /* SSPI: network authentication, no origin */
    toksim_logon_result lr;
    rc = toksim_logon_user_sid(&lr, st->world, toksim_token_user(presented),
                               TOKSIM_LOGON_NETWORK, &opt, NULL, st->err);
    if (rc != TOKSIM_OK)
        return rc;
    ts_sys_ev ev = {.sid = toksim_token_user(presented), .status = lr.win32_error};
    if (!lr.success) {
        st->out->logon_win32 = lr.win32_error;
        st->out->hresult = TOKSIM_E_ACCESSDENIED;
        return ts_sys_trace(st->trace, TOKSIM_RULE_COMACT_REMOTE_LOGON_FAILED,
                            TOKSIM_V_DENY, &ev);
    }
    st->at_server = lr.token;
    return ts_sys_trace(st->trace, TOKSIM_RULE_COMACT_REMOTE_LOGON, TOKSIM_V_INFO, &ev);
}

/* Launch permission for a new server, activation permission for a running one. */
static toksim_status check_launch(act_state *st)
{
    const toksim_com_activation *a = st->act;
    bool running = a->running_server != NULL;
    uint32_t right = a->remote ? (running ? TOKSIM_COM_RIGHTS_ACTIVATE_REMOTE
                                          : TOKSIM_COM_RIGHTS_EXECUTE_REMOTE)
                               : (running ? TOKSIM_COM_RIGHTS_ACTIVATE_LOCAL
                                          : TOKSIM_COM_RIGHTS_EXECUTE_LOCAL);
    uint32_t needed = TOKSIM_COM_RIGHTS_EXECUTE | right;
    st->out->needed = needed;
    const toksim_sd *sd = a->app->launch_permission;
    const char *scope = "application-specific";
    toksim_sd *own = NULL;
    toksim_status rc = TOKSIM_OK;
    if (!sd) {
        scope = "machine-default";
        sd = a->default_launch_permission;
        if (!sd) {
            toksim_sid_context ctx = toksim_world_sid_context(st->world);
            rc = toksim_sd_from_sddl(&own, TOKSIM_COM_DEFAULT_LAUNCH_SDDL, &ctx, st->err);
            sd = own;
        }
    }
    bool ok = false;
    if (rc == TOKSIM_OK)
        rc = com_check(&ok, st, sd, needed, scope);
    toksim_sd_free(own);
    if (rc != TOKSIM_OK)
        return rc;
    char what[TOKSIM_FINDING_CONTEXT_SIZE];
    (void)ts_put(what, sizeof what, 0, scope);
    ts_sys_ev ev = {.sid = &st->out->caller,
                    .mask = needed,
                    .a = right,
                    .b = a->remote,
                    .text = what};
    if (ok)
        return ts_sys_trace(st->trace, TOKSIM_RULE_COMACT_LAUNCH_GRANTED, TOKSIM_V_GRANT,
                            &ev);
    snprintf(what, sizeof what, "%s permission settings do not grant %s", scope,
             right_words(right));
    st->out->hresult = TOKSIM_E_ACCESSDENIED;
    ev.status = TOKSIM_E_ACCESSDENIED;
    rc = ts_sys_trace(st->trace, TOKSIM_RULE_COMACT_LAUNCH_DENIED, TOKSIM_V_DENY, &ev);
    if (rc != TOKSIM_OK)
        return rc;
    return ts_sys_finding(&st->out->findings, st->trace,
                          TOKSIM_RULE_FINDING_DCOM_PERMISSION, -1, &st->out->caller, NULL,
                          what);
}

/* RunAs an account: a batch logon made by rpcss (SYSTEM), with SERVICE injected (seed).
 */
static toksim_status runas_account(act_state *st)
{
    const toksim_com_appid *app = st->act->app;
    toksim_sid user;
    toksim_status rc =
        toksim_world_resolve(st->world, app->runas_account, &user, st->err);
    if (rc != TOKSIM_OK)
        return rc;
    ts_sys_ev ev = {.sid = &user, .text = st->app_name};
    static const char *const builtin[] = {"S-1-5-18", "S-1-5-19", "S-1-5-20"};
    for (int i = 0; i < 3; i++) {
        toksim_sid b = ts_sys_sid(builtin[i]);
        if (toksim_sid_equal(&b, &user)) { /* RunAs "nt authority\localservice" ... */
            rc = toksim_logon_builtin(&st->server, st->world,
                                      (toksim_builtin_account)(18 + i), NULL, NULL,
                                      st->err);
            return rc != TOKSIM_OK
                       ? rc
                       : ts_sys_trace(st->trace, TOKSIM_RULE_COMACT_RUNAS_ACCOUNT,
                                      TOKSIM_V_INFO, &ev);
        }
    }
    toksim_group service = {ts_sys_sid("S-1-5-6"), TOKSIM_SE_GROUP_DEFAULT};
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.password = app->password;
    opt.caller_logon_id = 0x3E7; /* LogonUser called by rpcss (SYSTEM) */
    opt.session_id = 0;
    opt.extra_groups = &service;
    opt.extra_group_count = 1;
    toksim_logon_result lr;
    rc = toksim_logon_user_sid(&lr, st->world, &user, TOKSIM_LOGON_BATCH, &opt, st->trace,
                               st->err);
    if (rc != TOKSIM_OK)
        return rc;
    if (!lr.success) {
        st->out->logon_win32 = lr.win32_error;
        st->out->hresult = TOKSIM_CO_E_RUNAS_LOGON_FAILURE;
        ev.status = lr.win32_error;
        return ts_sys_trace(st->trace, TOKSIM_RULE_COMACT_RUNAS_LOGON_FAILED,
                            TOKSIM_V_DENY, &ev);
    }
    st->server = lr.token;
    return ts_sys_trace(st->trace, TOKSIM_RULE_COMACT_RUNAS_ACCOUNT, TOKSIM_V_INFO, &ev);
}

/* The identity of the server process. */
static toksim_status server_identity(act_state *st)
{
    const toksim_com_activation *a = st->act;
    const toksim_token *src = NULL;
    toksim_rule rule;
    toksim_status rc;
    if (a->running_server) {
        src = a->running_server;
        rule = TOKSIM_RULE_COMACT_RUNNING;
    } else {
        st->out->launched = true;
        switch (a->app->runas) {
        case TOKSIM_COM_RUNAS_LAUNCHING_USER:
            src = st->at_server;
            rule = TOKSIM_RULE_COMACT_RUNAS_LAUNCHING;
            break;
        case TOKSIM_COM_RUNAS_INTERACTIVE_USER:
            src = a->interactive_user;
            rule = TOKSIM_RULE_COMACT_RUNAS_INTERACTIVE;
            if (!src) {
                st->out->launched = false;
                st->out->hresult = TOKSIM_CO_E_SERVER_EXEC_FAILURE;
                ts_sys_ev ev = {.text = st->app_name, .status = st->out->hresult};
                return ts_sys_trace(st->trace, TOKSIM_RULE_COMACT_RUNAS_NO_INTERACTIVE,
                                    TOKSIM_V_DENY, &ev);
            }
            break;
        case TOKSIM_COM_RUNAS_ACCOUNT:
            rc = runas_account(st);
            if (rc == TOKSIM_OK && !st->server)
                st->out->launched = false;
            return rc;
        case TOKSIM_COM_RUNAS_SERVICE:
            src = a->app->service_token;
            rule = TOKSIM_RULE_COMACT_RUNAS_SERVICE;
            if (!src)
                return ts_error_set(st->err, TOKSIM_EINVAL, 0,
                                    "com activation: a LocalService AppID needs the "
                                    "service's token");
            break;
        default:
            return ts_error_set(st->err, TOKSIM_EINVAL, 0,
                                "com activation: unknown RunAs kind %d",
                                (int)a->app->runas);
        }
    }
    if ((rc = toksim_token_copy(&st->server, src)) != TOKSIM_OK)
        return rc;
    toksim_token_set_type(st->server, TOKSIM_TOKEN_PRIMARY, TOKSIM_IMP_ANONYMOUS);
    ts_sys_ev ev = {.sid = toksim_token_user(st->server), .text = st->app_name};
    return ts_sys_trace(st->trace, rule, TOKSIM_V_INFO, &ev);
}

static toksim_status check_access(act_state *st)
{
    const toksim_com_activation *a = st->act;
    uint32_t needed =
        TOKSIM_COM_RIGHTS_EXECUTE |
        (a->remote ? TOKSIM_COM_RIGHTS_EXECUTE_REMOTE : TOKSIM_COM_RIGHTS_EXECUTE_LOCAL);
    bool ok = false;
    toksim_status rc =
        com_check(&ok, st, a->app->access_permission, needed, "AccessPermission");
    if (rc != TOKSIM_OK)
        return rc;
    ts_sys_ev ev = {.sid = &st->out->caller, .mask = needed, .text = st->app_name};
    if (ok)
        return ts_sys_trace(st->trace, TOKSIM_RULE_COMACT_ACCESS_GRANTED, TOKSIM_V_GRANT,
                            &ev);
    st->out->hresult = TOKSIM_E_ACCESSDENIED;
    ev.status = TOKSIM_E_ACCESSDENIED;
    return ts_sys_trace(st->trace, TOKSIM_RULE_COMACT_ACCESS_DENIED, TOKSIM_V_DENY, &ev);
}

static toksim_status run(act_state *st)
{
    toksim_status rc = caller_at_server(st);
    if (rc != TOKSIM_OK || st->out->hresult)
        return rc;
    if ((rc = check_launch(st)) != TOKSIM_OK || st->out->hresult)
        return rc;
    if ((rc = server_identity(st)) != TOKSIM_OK || st->out->hresult)
        return rc;
    st->out->server_user = *toksim_token_user(st->server);
    if (st->act->app->access_permission)
        rc = check_access(st);
    return rc;
}

toksim_status toksim_com_activate(toksim_com_activation_result *out,
                                  toksim_token **server_token,
                                  toksim_token **caller_token,
                                  struct toksim_world *world,
                                  const toksim_com_activation *act,
                                  toksim_trace *trace,
                                  toksim_error *err)
{
    if (server_token)
        *server_token = NULL;
    if (caller_token)
        *caller_token = NULL;
    if (!out || !world || !act || !act->app || !act->caller_process)
        return ts_error_set(
            err, TOKSIM_EINVAL, 0,
            "com activation: missing result, world, AppID or caller token");
    if ((unsigned)act->cloaking > TOKSIM_COM_CLOAK_DYNAMIC)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "com activation: unknown cloaking %d",
                            (int)act->cloaking);
    if (act->app->runas == TOKSIM_COM_RUNAS_ACCOUNT && !act->app->runas_account)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "com activation: RunAs an account needs the account name");
    memset(out, 0, sizeof *out);
    act_state st;
    memset(&st, 0, sizeof st);
    st.act = act;
    st.out = out;
    st.world = world;
    st.trace = trace;
    st.err = err;
    st.app_name = act->app->name ? act->app->name : "(AppID)";
    toksim_status rc = run(&st);
    out->ok = rc == TOKSIM_OK && out->hresult == 0;
    if (rc == TOKSIM_OK && server_token && st.server && !out->hresult) {
        *server_token = st.server;
        st.server = NULL;
    }
    if (rc == TOKSIM_OK && caller_token && st.at_server) {
        *caller_token = st.at_server;
        st.at_server = NULL;
    }
    toksim_token_free(st.server);
    toksim_token_free(st.at_server);
    return rc;
}

/* ---- cloaking of outgoing calls ---- */

toksim_status toksim_com_cloak_identity(const toksim_token **presented,
                                        bool *captured,
                                        const toksim_thread *thread,
                                        toksim_com_cloaking cloaking,
                                        const toksim_token *proxy_identity,
                                        toksim_trace *trace)
{
    if (!presented || !captured || !thread ||
        (unsigned)cloaking > TOKSIM_COM_CLOAK_DYNAMIC)
        return TOKSIM_EINVAL;
    *captured = false;
    const toksim_token *proc = toksim_process_token(toksim_thread_process(thread));
    toksim_rule rule;
    if (cloaking == TOKSIM_COM_CLOAK_NONE) {
        *presented = proc;
        rule = TOKSIM_RULE_COMACT_CLOAK_NONE;
    } else if (cloaking == TOKSIM_COM_CLOAK_STATIC && proxy_identity) {
        *presented = proxy_identity;
        rule = TOKSIM_RULE_COMACT_CLOAK_STATIC_REUSE;
    } else {
        *presented = toksim_thread_effective_token(thread);
        *captured = cloaking == TOKSIM_COM_CLOAK_STATIC;
        rule = *captured ? TOKSIM_RULE_COMACT_CLOAK_STATIC_CAPTURE
                         : TOKSIM_RULE_COMACT_CLOAK_DYNAMIC;
    }
    ts_sys_ev ev = {.sid = toksim_token_user(*presented)};
    return ts_sys_trace(trace, rule, TOKSIM_V_INFO, &ev);
}

static const char *const cloak_names[] = {"none", "static", "dynamic"};

const char *toksim_com_cloaking_name(toksim_com_cloaking c)
{
    return (unsigned)c < 3 ? cloak_names[c] : "none";
}

toksim_status toksim_com_cloaking_parse(toksim_com_cloaking *out, const char *name)
{
    if (!out || !name)
        return TOKSIM_EINVAL;
    for (int i = 0; i < 3; i++)
        if (ts_strcasecmp(name, cloak_names[i]) == 0) {
            *out = (toksim_com_cloaking)i;
            return TOKSIM_OK;
        }
    return TOKSIM_ENOTFOUND;
}
