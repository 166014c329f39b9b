/*
 * PURPOSE: IIS application pools (WAS building the w3wp token) and requests
 * (authentication, the handler putting the request token on the worker thread through the
 * impersonation engine, the file open, the HTTP status).
 *
 * Worker token per identity type (windows-model §12.1-12.3):
 * - ApplicationPoolIdentity: virtual account IIS APPPOOL\<pool>, service logon; WAS first
 * makes sure the pool SID holds SeServiceLogonRight (it adds it to the local policy when
 * it launches the worker, Microsoft blog "How IIS interferes in Group policy Log on as a
 * service"), so only SeDenyServiceLogonRight can stop it; no batch right needed
 * (serverfault 949257).
 * - NetworkService / LocalService / LocalSystem: the built-in service token (implicit
 * rights).
 * - SpecificUser: LogonUser with a batch logon (type 4): the account (or a group of its
 * token, injected IIS_IUSRS included) needs SeBatchLogonRight, else WAS event 5021 and
 * 503 (serverfault 949257; SharePoint WAS 5021 reports). In every case WAS injects
 * BUILTIN\IIS_IUSRS (unless manualGroupMembership), the pool SID and S-1-5-82-0 (IIS docs
 * "Understanding Built-In User and Group Accounts in IIS", [OBS-APPPOOL]); LSA assigns
 * privileges over every SID of the token, injected ones included, which is why a GPO
 * removing IIS_IUSRS from SeImpersonatePrivilege strips the privilege from the worker of
 * a custom-account pool whose only grant came through that group (the MBAM case, §12.7).
 * Left out: HTTP.sys queues, rapid-fail protection, URL authorization, loadUserProfile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "systems/sys_int.h"
#include "systems/iis_int.h"

#define SID_IIS_IUSRS      "S-1-5-32-568"
#define SID_APPPOOL_DOMAIN "S-1-5-82-0"
#define SID_SYSTEM         "S-1-5-18"
#define SID_IUSR           "S-1-5-17"

struct toksim_iis_pool {
    char *name;
    char *user_name;
    char *password;
    toksim_iis_identity identity;
    bool manual_group_membership;
    bool started;
    toksim_sid pool_sid;
    toksim_delegation delegation;
    char **spns; /* msDS-AllowedToDelegateTo (owned copies) */
    size_t spn_count;
    toksim_token *token;  /* worker primary token (NULL when stopped) */
    toksim_process *proc; /* the w3wp process (NULL when stopped) */
    bool has_opts;        /* cfg->options given: the worker's model switches */
    toksim_imp_options opts;
};

static bool valid_identity(toksim_iis_identity id)
{
    return id >= TOKSIM_IIS_LOCAL_SYSTEM && id <= TOKSIM_IIS_APPPOOL_IDENTITY;
}

void toksim_iis_pool_free(toksim_iis_pool *pool)
{
    if (!pool)
        return;
    toksim_process_free(pool->proc);
    toksim_token_free(pool->token);
    for (size_t i = 0; i < pool->spn_count; i++)
        free(pool->spns[i]);
    free(pool->spns);
    free(pool->name);
    free(pool->user_name);
    free(pool->password);
    free(pool);
}

bool toksim_iis_pool_started(const toksim_iis_pool *pool)
{
    return pool && pool->started;
}

const char *toksim_iis_pool_name(const toksim_iis_pool *pool)
{
    return pool ? pool->name : NULL;
}

const toksim_token *toksim_iis_pool_token(const toksim_iis_pool *pool)
{
    return pool && pool->started ? pool->token : NULL;
}

toksim_process *ts_iis_pool_process(const toksim_iis_pool *pool)
{
    return pool && pool->started ? pool->proc : NULL;
}

const toksim_sid *ts_iis_pool_sid(const toksim_iis_pool *pool)
{
    return &pool->pool_sid;
}

toksim_delegation ts_iis_pool_delegation(const toksim_iis_pool *pool,
                                         const char *const **spns,
                                         size_t *count)
{
    *spns = (const char *const *)pool->spns;
    *count = pool->spn_count;
    return pool->delegation;
}

static void stop(toksim_iis_pool *pool)
{
    toksim_process_free(pool->proc);
    toksim_token_free(pool->token);
    pool->proc = NULL;
    pool->token = NULL;
    pool->started = false;
}

/* WAS ensures the virtual account can log on as a service (see file comment). */
static toksim_status ensure_service_right(toksim_world *world,
                                          const toksim_sid *sid,
                                          const char *pool,
                                          toksim_trace *trace)
{
    toksim_policy *pol = toksim_world_policy(world);
    if (!toksim_policy_has(pol, TOKSIM_RIGHT_SERVICE_LOGON, sid)) {
        toksim_status rc = toksim_policy_grant(pol, TOKSIM_RIGHT_SERVICE_LOGON, sid);
        if (rc != TOKSIM_OK)
            return rc;
    }
    ts_sys_ev ev = {.sid = sid, .text = pool};
    toksim_status rc = ts_sys_trace(trace, TOKSIM_RULE_IIS_POOL_SERVICE_RIGHT_ADDED,
                                    TOKSIM_V_CHANGE, &ev);
    if (rc != TOKSIM_OK)
        return rc;
    /* WAS grants a new pool identity more rights than the logon one (serverfault 949257:
     * "Generate security audits", "Log on as a service" ...); a real DefaultAppPool's
     * `whoami /all` shows SeAssignPrimaryTokenPrivilege, SeIncreaseQuotaPrivilege and
     * SeAuditPrivilege (disabled), which the Users/IIS_IUSRS grants do not give. */
    static const uint32_t privs[] = {TOKSIM_PRIV_ASSIGN_PRIMARY_TOKEN,
                                     TOKSIM_PRIV_INCREASE_QUOTA, TOKSIM_PRIV_AUDIT};
    for (size_t i = 0; i < sizeof privs / sizeof privs[0]; i++)
        if (!toksim_policy_has(pol, privs[i], sid) &&
            (rc = toksim_policy_grant(pol, privs[i], sid)) != TOKSIM_OK)
            return rc;
    return ts_sys_trace(trace, TOKSIM_RULE_IIS_POOL_PRIVILEGE_RIGHTS_ADDED,
                        TOKSIM_V_CHANGE, &ev);
}

/* Log the pool identity on (see file comment). *lr receives the outcome. */
static toksim_status logon_identity(toksim_logon_result *lr,
                                    toksim_iis_pool *pool,
                                    toksim_world *world,
                                    const toksim_logon_options *opt,
                                    toksim_sid *user,
                                    toksim_trace *trace,
                                    toksim_error *err)
{
    toksim_status rc;
    toksim_builtin_account builtin = TOKSIM_BUILTIN_NETWORK_SERVICE;
    toksim_logon_type type = TOKSIM_LOGON_SERVICE;
    switch (pool->identity) {
    case TOKSIM_IIS_APPPOOL_IDENTITY:
        *user = pool->pool_sid;
        break;
    case TOKSIM_IIS_SPECIFIC_USER:
        rc = toksim_world_resolve(world, pool->user_name, user, err);
        if (rc != TOKSIM_OK)
            return rc;
        type = TOKSIM_LOGON_BATCH;
        break;
    case TOKSIM_IIS_LOCAL_SYSTEM:
        builtin = TOKSIM_BUILTIN_SYSTEM;
        *user = ts_sys_sid(SID_SYSTEM);
        break;
    case TOKSIM_IIS_LOCAL_SERVICE:
        builtin = TOKSIM_BUILTIN_LOCAL_SERVICE;
        *user = ts_sys_sid("S-1-5-19");
        break;
    default:
        *user = ts_sys_sid("S-1-5-20");
        break;
    }
    ts_sys_ev ev = {.sid = user, .text = pool->name, .a = type};
    rc = ts_sys_trace(trace, TOKSIM_RULE_IIS_POOL_IDENTITY, TOKSIM_V_INFO, &ev);
    if (rc == TOKSIM_OK)
        rc = ts_sys_trace(trace, TOKSIM_RULE_IIS_POOL_LOGON, TOKSIM_V_INFO, &ev);
    if (rc != TOKSIM_OK)
        return rc;
    memset(lr, 0, sizeof *lr);
    switch (pool->identity) {
    case TOKSIM_IIS_APPPOOL_IDENTITY:
        rc = ensure_service_right(world, user, pool->name, trace);
        if (rc == TOKSIM_OK)
            rc = toksim_logon_user_sid(lr, world, user, type, opt, trace, err);
        return rc;
    case TOKSIM_IIS_SPECIFIC_USER:
        return toksim_logon_user_sid(lr, world, user, type, opt, trace, err);
    default:
        rc = toksim_logon_builtin(&lr->token, world, builtin, opt, trace, err);
        if (rc == TOKSIM_OK) {
            lr->success = true;
            lr->logon_id = toksim_token_auth_id(lr->token);
        }
        return rc;
    }
}

static toksim_status start_worker(toksim_iis_pool *pool,
                                  toksim_iis_pool_result *res,
                                  toksim_world *world,
                                  toksim_trace *trace,
                                  toksim_error *err)
{
    stop(pool);
    memset(res, 0, sizeof *res);
    res->pool_sid = pool->pool_sid;

    toksim_group extra[3];
    size_t n = 0;
    if (!pool->manual_group_membership) {
        extra[n].sid = ts_sys_sid(SID_IIS_IUSRS);
        extra[n++].attributes = TOKSIM_SE_GROUP_DEFAULT;
    }
    if (pool->identity != TOKSIM_IIS_APPPOOL_IDENTITY) {
        extra[n].sid = pool->pool_sid;
        extra[n++].attributes = TOKSIM_SE_GROUP_DEFAULT;
    }
    extra[n].sid = ts_sys_sid(SID_APPPOOL_DOMAIN);
    extra[n++].attributes = TOKSIM_SE_GROUP_DEFAULT;
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.extra_groups = extra;
    opt.extra_group_count = n;
    opt.password = pool->identity == TOKSIM_IIS_SPECIFIC_USER ? pool->password : NULL;
    opt.console = false;
    opt.session_id = 0;

    toksim_logon_result lr;
    memset(&lr, 0, sizeof lr); /* freed below even when logon_identity fails early */
    toksim_status rc = logon_identity(&lr, pool, world, &opt, &res->user, trace, err);
    if (rc != TOKSIM_OK) {
        toksim_token_free(lr.token);
        return rc;
    }
    ts_sys_ev ev = {.sid = &res->user, .text = pool->name};
    if (!lr.success) {
        res->logon_win32 = lr.win32_error;
        res->logon_ntstatus = lr.ntstatus;
        ev.status = lr.win32_error;
        toksim_token_free(lr.token);
        return ts_sys_trace(trace, TOKSIM_RULE_IIS_POOL_LOGON_FAILED, TOKSIM_V_DENY, &ev);
    }
    pool->token = lr.token;

    /* Make sure the injected groups are there whatever the logon did with extra groups.
     */
    for (size_t i = 0; i < n; i++)
        if (!toksim_token_find_group(pool->token, &extra[i].sid) &&
            !toksim_sid_equal(toksim_token_user(pool->token), &extra[i].sid)) {
            rc = toksim_token_add_group(pool->token, &extra[i].sid, extra[i].attributes);
            if (rc != TOKSIM_OK)
                return rc;
        }
    if (pool->manual_group_membership)
        rc = ts_sys_trace(trace, TOKSIM_RULE_IIS_POOL_MANUAL_GROUPS, TOKSIM_V_INFO, &ev);
    else {
        /* The sentence says whether the SAM group really holds the identity (MBAM blog:
         * empty). */
        toksim_sid iusrs = ts_sys_sid(SID_IIS_IUSRS);
        bool member = toksim_world_is_member(world, &iusrs, &res->user);
        ts_sys_ev gev = {.sid = member ? &res->user : &iusrs, .text = pool->name};
        rc = ts_sys_trace(trace,
                          member ? TOKSIM_RULE_IIS_POOL_IIS_IUSRS_MEMBER
                                 : TOKSIM_RULE_IIS_POOL_INJECT_IIS_IUSRS,
                          TOKSIM_V_CHANGE, &gev);
    }
    if (rc == TOKSIM_OK) {
        ts_sys_ev pev = {.sid = &pool->pool_sid, .text = pool->name};
        rc = ts_sys_trace(trace, TOKSIM_RULE_IIS_POOL_INJECT_POOL_SID, TOKSIM_V_CHANGE,
                          &pev);
    }
    if (rc == TOKSIM_OK)
        rc = toksim_process_new(&pool->proc, pool->token,
                                pool->has_opts ? &pool->opts : NULL);
    if (rc != TOKSIM_OK)
        return rc;
    pool->started = true;
    res->started = true;
    rc = ts_sys_trace(trace, TOKSIM_RULE_IIS_POOL_STARTED, TOKSIM_V_GRANT, &ev);
    if (rc != TOKSIM_OK)
        return rc;

    if (pool->identity == TOKSIM_IIS_LOCAL_SYSTEM) {
        rc = ts_sys_finding(&res->findings, trace, TOKSIM_RULE_FINDING_POOL_SYSTEM, -1,
                            &res->user, NULL, pool->name);
        if (rc != TOKSIM_OK)
            return rc;
    }
    toksim_sid iusrs = ts_sys_sid(SID_IIS_IUSRS);
    if (toksim_token_find_group(pool->token, &iusrs) &&
        !toksim_token_privilege_enabled(pool->token, TOKSIM_PRIV_IMPERSONATE))
        rc = ts_sys_finding(&res->findings, trace,
                            TOKSIM_RULE_FINDING_WORKER_NO_IMPERSONATE, -1, &res->user,
                            NULL, pool->name);
    return rc;
}

toksim_status toksim_iis_pool_start(toksim_iis_pool **out,
                                    toksim_iis_pool_result *res,
                                    toksim_world *world,
                                    const toksim_iis_pool_config *cfg,
                                    toksim_trace *trace,
                                    toksim_error *err)
{
    if (!out)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "iis pool start: no output pointer");
    *out = NULL;
    if (!world || !cfg || !cfg->name || !cfg->name[0] || !valid_identity(cfg->identity))
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "iis pool start: a world, a pool name and an identity type "
                            "(LocalSystem, LocalService, NetworkService, SpecificUser, "
                            "ApplicationPoolIdentity) are needed");
    if (strlen(cfg->name) > TOKSIM_WORLD_MAX_NAME)
        return ts_error_set(err, TOKSIM_ELIMIT, 0,
                            "iis pool name longer than %u characters",
                            TOKSIM_WORLD_MAX_NAME);
    if (cfg->allowed_spn_count > TOKSIM_IIS_MAX_SPNS)
        return ts_error_set(err, TOKSIM_ELIMIT, 0,
                            "iis pool %s: more than %d delegation SPNs", cfg->name,
                            TOKSIM_IIS_MAX_SPNS);
    for (size_t i = 0; i < cfg->allowed_spn_count; i++)
        if (!cfg->allowed_spns || !cfg->allowed_spns[i])
            return ts_error_set(err, TOKSIM_EINVAL, 0,
                                "iis pool %s: delegation SPN %zu is missing", cfg->name,
                                i);
    if (cfg->delegation < TOKSIM_DELEGATION_NONE ||
        cfg->delegation > TOKSIM_DELEGATION_CONSTRAINED_ANY_PROTOCOL)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "iis pool %s: unknown delegation kind",
                            cfg->name);
    if (cfg->identity == TOKSIM_IIS_SPECIFIC_USER &&
        (!cfg->user_name || !cfg->user_name[0]))
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "iis pool %s: identity SpecificUser needs a user name",
                            cfg->name);
    toksim_iis_pool *pool = ts_calloc(1, sizeof *pool);
    if (!pool)
        return TOKSIM_ENOMEM;
    pool->identity = cfg->identity;
    pool->delegation = cfg->delegation;
    if (cfg->allowed_spn_count) {
        pool->spns = ts_calloc(cfg->allowed_spn_count, sizeof *pool->spns);
        if (!pool->spns) {
            toksim_iis_pool_free(pool);
            return TOKSIM_ENOMEM;
        }
        for (size_t i = 0; i < cfg->allowed_spn_count; i++) {
            pool->spns[i] = ts_strdup(cfg->allowed_spns[i]);
            pool->spn_count++;
            if (!pool->spns[i]) {
                toksim_iis_pool_free(pool);
                return TOKSIM_ENOMEM;
            }
        }
    }
    pool->manual_group_membership = cfg->manual_group_membership;
    if ((pool->has_opts = cfg->options != NULL))
        pool->opts = *cfg->options;
    pool->name = ts_strdup(cfg->name);
    pool->user_name = cfg->user_name ? ts_strdup(cfg->user_name) : NULL;
    pool->password = cfg->password ? ts_strdup(cfg->password) : NULL;
    if (!pool->name || (cfg->user_name && !pool->user_name) ||
        (cfg->password && !pool->password)) {
        toksim_iis_pool_free(pool);
        return TOKSIM_ENOMEM;
    }
    /* The pool SID exists whatever the identity type (§5.5: lower-cased name, authority
     * 82); registering it lets the world name it as LookupAccountSid does. */
    char qualified[TOKSIM_WORLD_MAX_NAME + 16];
    (void)ts_put(qualified, sizeof qualified,
                 ts_put(qualified, sizeof qualified, 0, "IIS APPPOOL\\"), cfg->name);
    toksim_status rc = toksim_world_add_virtual(world, qualified, &pool->pool_sid, err);
    toksim_iis_pool_result local;
    if (rc == TOKSIM_OK)
        rc = start_worker(pool, res ? res : &local, world, trace, err);
    if (rc != TOKSIM_OK) {
        toksim_iis_pool_free(pool);
        return rc;
    }
    *out = pool;
    return TOKSIM_OK;
}

toksim_status toksim_iis_pool_recycle(toksim_iis_pool *pool,
                                      toksim_iis_pool_result *res,
                                      toksim_world *world,
                                      toksim_trace *trace,
                                      toksim_error *err)
{
    if (!pool || !world)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "iis pool recycle: no pool or world");
    toksim_iis_pool_result local;
    return start_worker(pool, res ? res : &local, world, trace, err);
}
