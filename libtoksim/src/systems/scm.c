/*
 * PURPOSE: the Service Control Manager starting a service (StartService): the logon it
 * makes for the configured account, the logon-right check and its
 * ERROR_SERVICE_LOGON_FAILED (1069) wrapping, and the groups the SCM puts into the
 * process token: SERVICE S-1-5-6, the service SID per SERVICE_SID_TYPE, the logon SID and
 * LOCAL (windows-model §4.5, §5.8, L11-L12).
 *
 * LocalSystem / LOCAL SERVICE / NETWORK SERVICE tokens come from the identity layer
 * (toksim_logon_builtin), other accounts from a service logon (type 5) through LogonUser;
 * the identity layer computes privileges over every SID of the token, injected groups
 * included (which is how the service SID's own rights, e.g. SeSystemProfilePrivilege for
 * NT SERVICE\WdiServiceHost, reach the process).
 * Left out: shared svchost processes, SERVICE_REQUIRED_PRIVILEGES_INFO, the
 * service-object DACL, recovery actions.
 */
#include <stdio.h>
#include <string.h>
#include "systems/sys_int.h"

#define SID_SERVICE          "S-1-5-6"
#define SID_LOCAL            "S-1-2-0"
#define SID_EVERYONE         "S-1-1-0"
#define SID_WRITE_RESTRICTED "S-1-5-33"
#define SID_ALL_SERVICES     "S-1-5-80-0"

static bool valid_config(const toksim_service_config *cfg)
{
    if (!cfg->name || !cfg->name[0])
        return false;
    switch (cfg->account) {
    case TOKSIM_SVC_LOCAL_SYSTEM:
    case TOKSIM_SVC_LOCAL_SERVICE:
    case TOKSIM_SVC_NETWORK_SERVICE:
    case TOKSIM_SVC_VIRTUAL:
        break;
    case TOKSIM_SVC_USER:
        if (!cfg->account_name || !cfg->account_name[0])
            return false;
        break;
    default:
        return false;
    }
    if (cfg->required_privilege_count &&
        (!cfg->required_privileges ||
         cfg->required_privilege_count > TOKSIM_SCM_MAX_REQUIRED_PRIVILEGES))
        return false;
    for (size_t i = 0; i < cfg->required_privilege_count; i++)
        if (!toksim_privilege_by_luid(cfg->required_privileges[i]))
            return false;
    return cfg->sid_type == TOKSIM_SERVICE_SID_TYPE_NONE ||
           cfg->sid_type == TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED ||
           cfg->sid_type == TOKSIM_SERVICE_SID_TYPE_RESTRICTED;
}

/* The logon SID S-1-5-5-X-Y of a token (the group carrying SE_GROUP_LOGON_ID), or NULL.
 */
static const toksim_sid *find_logon_sid(const toksim_token *tok)
{
    size_t n = toksim_token_group_count(tok);
    for (size_t i = 0; i < n; i++) {
        const toksim_group *g = toksim_token_group_at(tok, i);
        if ((g->attributes & TOKSIM_SE_GROUP_LOGON_ID) == TOKSIM_SE_GROUP_LOGON_ID)
            return &g->sid;
    }
    return NULL;
}

/*
 * Add the groups the SCM guarantees (§5.8: logon SID, LOCAL; §4.5: SERVICE) when the
 * logon did not already put them there, and trace each one.
 */
static toksim_status
add_scm_groups(toksim_token *tok, uint64_t logon_id, const char *svc, toksim_trace *trace)
{
    toksim_status rc;
    toksim_sid service = ts_sys_sid(SID_SERVICE), local = ts_sys_sid(SID_LOCAL);
    if (!toksim_token_find_group(tok, &service)) {
        rc = toksim_token_add_group(tok, &service, TOKSIM_SE_GROUP_DEFAULT);
        if (rc != TOKSIM_OK)
            return rc;
    }
    ts_sys_ev ev = {.sid = &service, .text = svc};
    rc = ts_sys_trace(trace, TOKSIM_RULE_SCM_GROUP_SERVICE, TOKSIM_V_CHANGE, &ev);
    if (rc != TOKSIM_OK)
        return rc;

    const toksim_sid *logon = find_logon_sid(tok);
    toksim_sid made;
    if (!logon) {
        uint32_t subs[3] = {5, (uint32_t)(logon_id >> 32), (uint32_t)logon_id};
        rc = toksim_sid_make(&made, 5, subs, 3);
        if (rc == TOKSIM_OK)
            rc = toksim_token_add_group(
                tok, &made, TOKSIM_SE_GROUP_LOGON_ID | TOKSIM_SE_GROUP_DEFAULT);
        if (rc != TOKSIM_OK)
            return rc;
        logon = &made;
    }
    ev = (ts_sys_ev){.sid = logon, .text = svc};
    rc = ts_sys_trace(trace, TOKSIM_RULE_SCM_LOGON_SID, TOKSIM_V_CHANGE, &ev);
    if (rc != TOKSIM_OK)
        return rc;

    if (!toksim_token_find_group(tok, &local)) {
        rc = toksim_token_add_group(tok, &local, TOKSIM_SE_GROUP_DEFAULT);
        if (rc != TOKSIM_OK)
            return rc;
    }
    ev = (ts_sys_ev){.sid = &local, .text = svc};
    return ts_sys_trace(trace, TOKSIM_RULE_SCM_GROUP_LOCAL, TOKSIM_V_CHANGE, &ev);
}

/* SERVICE_SID_TYPE_* (SERVICE_SID_INFO doc, windows-model §5.8). */
static toksim_status apply_sid_type(toksim_token *tok,
                                    const toksim_service_config *cfg,
                                    const toksim_sid *svc_sid,
                                    toksim_trace *trace)
{
    ts_sys_ev ev = {.sid = svc_sid, .text = cfg->name, .b = cfg->sid_type};
    toksim_status rc;
    if (cfg->sid_type == TOKSIM_SERVICE_SID_TYPE_NONE) {
        /* A virtual account's user SID is the service SID: nothing to remove. Otherwise
         * the group may only have been passed in by us, never for NONE. */
        return ts_sys_trace(trace, TOKSIM_RULE_SCM_SERVICE_SID_NONE, TOKSIM_V_INFO, &ev);
    }
    bool is_user = toksim_sid_equal(toksim_token_user(tok), svc_sid);
    if (!is_user) {
        rc = toksim_token_add_group(tok, svc_sid, TOKSIM_SCM_SERVICE_SID_ATTRIBUTES);
        if (rc != TOKSIM_OK)
            return rc;
    }
    rc = ts_sys_trace(trace, TOKSIM_RULE_SCM_SERVICE_SID_UNRESTRICTED, TOKSIM_V_CHANGE,
                      &ev);
    if (rc != TOKSIM_OK)
        return rc;
    /* The service being started, its SID is enabled (whoami of running services: "Enabled
     * group"; only a shared svchost's services not started keep 0xA). Without this a file
     * ACLed only to NT SERVICE\<name> would be denied to the service itself. */
    if (!is_user) {
        rc = toksim_token_add_group(tok, svc_sid,
                                    TOKSIM_SCM_SERVICE_SID_STARTED_ATTRIBUTES);
        if (rc == TOKSIM_OK)
            rc = ts_sys_trace(trace, TOKSIM_RULE_SCM_SERVICE_SID_ENABLED, TOKSIM_V_CHANGE,
                              &ev);
    }
    if (rc != TOKSIM_OK || cfg->sid_type != TOKSIM_SERVICE_SID_TYPE_RESTRICTED)
        return rc;
    /* Restricting SIDs: service SID, Everyone, the logon SID, WRITE RESTRICTED;
     * restricting SIDs carry Mandatory|EnabledByDefault|Enabled (windows-model §2.7.3).
     */
    toksim_sid everyone = ts_sys_sid(SID_EVERYONE), wr = ts_sys_sid(SID_WRITE_RESTRICTED);
    const toksim_sid *logon = find_logon_sid(tok);
    const toksim_sid *list[4] = {svc_sid, &everyone, logon, &wr};
    for (size_t i = 0; i < 4; i++) {
        if (!list[i])
            continue;
        rc = toksim_token_add_restricted_sid(tok, list[i], TOKSIM_SE_GROUP_DEFAULT);
        if (rc != TOKSIM_OK)
            return rc;
    }
    toksim_token_set_write_restricted(tok, true);
    return ts_sys_trace(trace, TOKSIM_RULE_SCM_SERVICE_SID_RESTRICTED, TOKSIM_V_CHANGE,
                        &ev);
}

/*
 * SERVICE_REQUIRED_PRIVILEGES_INFO doc: with a required list the SCM removes every other
 * privilege from the process token, except SeChangeNotifyPrivilege ("for compatibility").
 * Not modelled: the start failure when the account cannot hold a required privilege.
 */
static toksim_status
strip_privileges(toksim_token *tok, const toksim_service_config *cfg, toksim_trace *trace)
{
    if (!cfg->required_privilege_count)
        return TOKSIM_OK;
    uint32_t held[TOKSIM_PRIV_MAX + 1];
    size_t n = 0;
    for (size_t i = 0; i < toksim_token_privilege_count(tok) && n < TOKSIM_PRIV_MAX + 1;
         i++) {
        uint32_t attrs;
        if (toksim_token_privilege_at(tok, i, &held[n], &attrs))
            n++;
    }
    for (size_t i = 0; i < n; i++) {
        bool keep = held[i] == TOKSIM_PRIV_CHANGE_NOTIFY;
        for (size_t j = 0; !keep && j < cfg->required_privilege_count; j++)
            keep = cfg->required_privileges[j] == held[i];
        if (keep)
            continue;
        toksim_token_remove_privilege(tok, held[i]);
        toksim_trace_event e = toksim_trace_event_make(
            TOKSIM_RULE_SCM_PRIVILEGE_NOT_REQUIRED, TOKSIM_V_CHANGE);
        e.privilege = held[i];
        (void)ts_put(e.text, sizeof e.text, 0, cfg->name);
        toksim_status rc = toksim_trace_add(trace, &e);
        if (rc != TOKSIM_OK)
            return rc;
    }
    return TOKSIM_OK;
}

/* Build the process token for a built-in account, after the service-logon right check. */
static toksim_status logon_builtin(toksim_logon_result *lr,
                                   toksim_world *world,
                                   toksim_builtin_account which,
                                   const toksim_logon_options *opt,
                                   toksim_trace *trace,
                                   toksim_error *err)
{
    char text[16];
    snprintf(text, sizeof text, "S-1-5-%d", (int)which);
    toksim_sid sids[2] = {ts_sys_sid(text), ts_sys_sid(SID_SERVICE)};
    toksim_logon_right_check chk;
    toksim_status rc =
        toksim_logon_check_right(&chk, toksim_world_policy_const(world),
                                 TOKSIM_LOGON_SERVICE, sids, 2, opt->flags, trace);
    if (rc != TOKSIM_OK)
        return rc;
    memset(lr, 0, sizeof *lr);
    if (!chk.granted) {
        lr->win32_error = TOKSIM_ERROR_LOGON_TYPE_NOT_GRANTED;
        lr->ntstatus = toksim_win32_to_ntstatus(TOKSIM_ERROR_LOGON_TYPE_NOT_GRANTED);
        return TOKSIM_OK;
    }
    rc = toksim_logon_builtin(&lr->token, world, which, opt, trace, err);
    if (rc != TOKSIM_OK)
        return rc;
    lr->success = true;
    lr->logon_id = toksim_token_auth_id(lr->token);
    return TOKSIM_OK;
}

toksim_status toksim_service_start(toksim_service_result *out,
                                   toksim_token **token,
                                   toksim_world *world,
                                   const toksim_service_config *cfg,
                                   toksim_trace *trace,
                                   toksim_error *err)
{
    if (token)
        *token = NULL;
    if (!out || !world || !cfg)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "service start: missing result, world or config");
    memset(out, 0, sizeof *out);
    if (cfg->name && strlen(cfg->name) > TOKSIM_WORLD_MAX_NAME)
        return ts_error_set(err, TOKSIM_ELIMIT, 0,
                            "service name longer than %u characters",
                            TOKSIM_WORLD_MAX_NAME);
    if (!valid_config(cfg))
        return ts_error_set(
            err, TOKSIM_EINVAL, 0,
            "service start: a service name, a known account kind (and a name for "
            "a user account) and SID type none/unrestricted/restricted are needed");

    /* NT SERVICE\<name> (§5.1); registered so the world names it as LookupAccountSid
     * does. */
    char qualified[TOKSIM_WORLD_MAX_NAME + 16];
    (void)ts_put(qualified, sizeof qualified,
                 ts_put(qualified, sizeof qualified, 0, "NT SERVICE\\"), cfg->name);
    toksim_status rc = toksim_world_add_virtual(world, qualified, &out->service_sid, err);
    if (rc != TOKSIM_OK)
        return rc;
    out->has_service_sid = true;

    /*
     * Groups injected into the logon so LSA assigns their rights too (§4.5: SERVICE gives
     * SeImpersonatePrivilege and SeCreateGlobalPrivilege; a service SID can hold
     * privileges of its own; NT SERVICE\ALL SERVICES holds SeServiceLogonRight in default
     * policies, which is how virtual accounts log on). A user account's logon right is
     * checked on its own groups: the service SID and ALL SERVICES are added after its
     * logon (add_service_sids()).
     */
    bool has_svc_sid = cfg->sid_type != TOKSIM_SERVICE_SID_TYPE_NONE ||
                       cfg->account == TOKSIM_SVC_VIRTUAL;
    bool inject_sids = has_svc_sid && cfg->account != TOKSIM_SVC_USER;
    toksim_group extra[3];
    size_t nextra = 0;
    /* LocalSystem services run with the SYSTEM token as whoami shows it ([OBS-SYSTEM]: no
     * SERVICE, LOCAL or logon SID); only a service SID is added to it. */
    bool system = cfg->account == TOKSIM_SVC_LOCAL_SYSTEM;
    if (!system) {
        extra[nextra].sid = ts_sys_sid(SID_SERVICE);
        extra[nextra++].attributes = TOKSIM_SE_GROUP_DEFAULT;
    }
    if (inject_sids) {
        extra[nextra].sid = ts_sys_sid(SID_ALL_SERVICES);
        extra[nextra++].attributes = TOKSIM_SE_GROUP_DEFAULT;
        if (cfg->account != TOKSIM_SVC_VIRTUAL) {
            extra[nextra].sid = out->service_sid;
            extra[nextra++].attributes = TOKSIM_SCM_SERVICE_SID_ATTRIBUTES;
        }
    }
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.extra_groups = extra;
    opt.extra_group_count = nextra;
    opt.console = false;
    opt.session_id = 0; /* services run in session 0 */
    opt.password = cfg->account == TOKSIM_SVC_USER ? cfg->password : NULL;

    toksim_sid account_sid;
    char vname[TOKSIM_WORLD_MAX_NAME + 16];
    switch (cfg->account) {
    case TOKSIM_SVC_LOCAL_SYSTEM:
        account_sid = ts_sys_sid("S-1-5-18");
        break;
    case TOKSIM_SVC_LOCAL_SERVICE:
        account_sid = ts_sys_sid("S-1-5-19");
        break;
    case TOKSIM_SVC_NETWORK_SERVICE:
        account_sid = ts_sys_sid("S-1-5-20");
        break;
    case TOKSIM_SVC_VIRTUAL:
        account_sid = out->service_sid;
        break;
    default:
        rc = toksim_world_resolve(world, cfg->account_name, &account_sid, err);
        if (rc != TOKSIM_OK)
            return rc;
    }
    ts_sys_ev ev = {.sid = &account_sid, .text = cfg->name, .a = TOKSIM_LOGON_SERVICE};
    rc = ts_sys_trace(trace, TOKSIM_RULE_SCM_START, TOKSIM_V_INFO, &ev);
    if (rc != TOKSIM_OK)
        return rc;
    if (cfg->account == TOKSIM_SVC_VIRTUAL) {
        rc = ts_sys_trace(trace, TOKSIM_RULE_SCM_VIRTUAL_ACCOUNT, TOKSIM_V_INFO, &ev);
        if (rc != TOKSIM_OK)
            return rc;
    }

    toksim_logon_result lr;
    memset(&lr, 0, sizeof lr);
    switch (cfg->account) {
    case TOKSIM_SVC_LOCAL_SYSTEM:
        rc = logon_builtin(&lr, world, TOKSIM_BUILTIN_SYSTEM, &opt, trace, err);
        break;
    case TOKSIM_SVC_LOCAL_SERVICE:
        rc = logon_builtin(&lr, world, TOKSIM_BUILTIN_LOCAL_SERVICE, &opt, trace, err);
        break;
    case TOKSIM_SVC_NETWORK_SERVICE:
        rc = logon_builtin(&lr, world, TOKSIM_BUILTIN_NETWORK_SERVICE, &opt, trace, err);
        break;
    case TOKSIM_SVC_VIRTUAL:
        (void)ts_put(vname, sizeof vname, ts_put(vname, sizeof vname, 0, "NT SERVICE\\"),
                     cfg->name);
        rc = toksim_logon_user(&lr, world, vname, TOKSIM_LOGON_SERVICE, &opt, trace, err);
        break;
    default:
        rc = toksim_logon_user_sid(&lr, world, &account_sid, TOKSIM_LOGON_SERVICE, &opt,
                                   trace, err);
    }
    if (rc != TOKSIM_OK) {
        toksim_token_free(lr.token);
        return rc;
    }
    if (!lr.success) {
        /* StartService reports the logon failure as 1069; the event log names the cause.
         */
        out->win32 = TOKSIM_ERROR_SERVICE_LOGON_FAILED;
        out->logon_win32 = lr.win32_error;
        out->logon_ntstatus = lr.ntstatus;
        ev.status = lr.win32_error;
        toksim_token_free(lr.token);
        return ts_sys_trace(trace, TOKSIM_RULE_SCM_LOGON_FAILED, TOKSIM_V_DENY, &ev);
    }

    toksim_token *tok = lr.token;
    rc = system ? TOKSIM_OK : add_scm_groups(tok, lr.logon_id, cfg->name, trace);
    if (rc == TOKSIM_OK && has_svc_sid) {
        toksim_sid all = ts_sys_sid(SID_ALL_SERVICES);
        if (!toksim_token_find_group(tok, &all))
            rc = toksim_token_add_group(tok, &all, TOKSIM_SE_GROUP_DEFAULT);
        ts_sys_ev aev = {.sid = &all, .text = cfg->name};
        if (rc == TOKSIM_OK)
            rc = ts_sys_trace(trace, TOKSIM_RULE_SCM_GROUP_ALL_SERVICES, TOKSIM_V_CHANGE,
                              &aev);
    }
    if (rc == TOKSIM_OK)
        rc = apply_sid_type(tok, cfg, &out->service_sid, trace);
    if (rc == TOKSIM_OK)
        rc = strip_privileges(tok, cfg, trace);
    if (rc != TOKSIM_OK) {
        toksim_token_free(tok);
        return rc;
    }
    out->started = true;
    out->user = *toksim_token_user(tok);
    ev = (ts_sys_ev){.sid = &out->user, .text = cfg->name};
    rc = ts_sys_trace(trace, TOKSIM_RULE_SCM_STARTED, TOKSIM_V_GRANT, &ev);
    if (rc != TOKSIM_OK || !token) {
        toksim_token_free(tok);
        return rc;
    }
    *token = tok;
    return TOKSIM_OK;
}
