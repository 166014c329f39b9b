/*
 * PURPOSE: pools and services declared in the world (issue 18, world.h): the one parser
 * from a declaration (world "app_pools" / "services" entry, or the scenario steps
 * iis.app_pool.start / service.start, which fill the same struct) to the systems
 * layer's configs, and starting a declared pool / service by name through the existing
 * builders (iis.c: WAS and w3wp; scm.c: the SCM). No token logic here.
 */
#include <stdio.h>
#include <string.h>
#include "systems/sys_int.h"

toksim_status toksim_iis_pool_config_from_decl(toksim_iis_pool_config *cfg,
                                               const toksim_world_pool *decl,
                                               toksim_error *err)
{
    if (!cfg || !decl)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "pool config: no config or declaration");
    memset(cfg, 0, sizeof *cfg);
    cfg->name = decl->name;
    cfg->user_name = decl->user;
    cfg->password = decl->password;
    cfg->manual_group_membership = decl->manual_group_membership;
    cfg->identity = decl->user ? TOKSIM_IIS_SPECIFIC_USER : TOKSIM_IIS_APPPOOL_IDENTITY;
    if (decl->identity && toksim_iis_identity_parse(&cfg->identity, decl->identity))
        return ts_error_set(err, TOKSIM_EPARSE, 0,
                            "identity \"%.40s\": expected ApplicationPoolIdentity, "
                            "NetworkService, LocalService, LocalSystem or SpecificUser",
                            decl->identity);
    if (cfg->identity == TOKSIM_IIS_SPECIFIC_USER && !decl->user)
        return ts_error_set(err, TOKSIM_EPARSE, 0,
                            "identity SpecificUser needs \"user\"");
    if (cfg->identity != TOKSIM_IIS_SPECIFIC_USER && decl->user)
        return ts_error_set(err, TOKSIM_EPARSE, 0,
                            "\"user\" is only for identity SpecificUser, not %s",
                            toksim_iis_identity_name(cfg->identity));
    return TOKSIM_OK;
}

toksim_status toksim_iis_pool_start_declared(toksim_iis_pool **out,
                                             toksim_iis_pool_result *res,
                                             toksim_world *world,
                                             const char *name,
                                             toksim_trace *trace,
                                             toksim_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !world || !name)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "start pool: no output, world or name");
    const toksim_world_pool *decl = toksim_world_find_pool(world, name);
    if (!decl)
        return ts_error_set(err, TOKSIM_ENOTFOUND, 0,
                            "no application pool '%.80s' is declared in the world", name);
    toksim_iis_pool_config cfg;
    toksim_status rc = toksim_iis_pool_config_from_decl(&cfg, decl, err);
    if (rc == TOKSIM_OK)
        rc = toksim_iis_pool_start(out, res, world, &cfg, trace, err);
    return rc;
}

toksim_status toksim_service_config_from_decl(toksim_service_config *cfg,
                                              const toksim_world_service *decl,
                                              toksim_error *err)
{
    if (!cfg || !decl)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "service config: no config or declaration");
    memset(cfg, 0, sizeof *cfg);
    cfg->name = decl->name;
    cfg->password = decl->password;
    cfg->account = TOKSIM_SVC_LOCAL_SYSTEM;
    cfg->required_privileges = decl->required_privileges;
    cfg->required_privilege_count = decl->required_privilege_count;
    const char *acct = decl->account;
    static const char vprefix[] = "NT SERVICE\\";
    if (acct && ts_strncasecmp(acct, vprefix, sizeof vprefix - 1) == 0) {
        /* ObjectName NT SERVICE\<name>: the service's own virtual account only. */
        if (!decl->name || ts_strcasecmp(acct + sizeof vprefix - 1, decl->name) != 0)
            return ts_error_set(err, TOKSIM_EPARSE, 0,
                                "account \"%.80s\": a service's virtual account is NT "
                                "SERVICE\\%.80s",
                                acct, decl->name ? decl->name : "<service name>");
        cfg->account = TOKSIM_SVC_VIRTUAL;
    } else if (acct && toksim_service_account_parse(&cfg->account, acct) == TOKSIM_OK) {
        if (cfg->account == TOKSIM_SVC_USER)
            return ts_error_set(
                err, TOKSIM_EPARSE, 0,
                "account \"User\": name the account (\"CONTOSO\\\\svc\")");
    } else if (acct) {
        cfg->account = TOKSIM_SVC_USER;
        cfg->account_name = acct;
    }
    cfg->sid_type = TOKSIM_SERVICE_SID_TYPE_NONE;
    if (decl->sid_type && toksim_service_sid_type_parse(&cfg->sid_type, decl->sid_type))
        return ts_error_set(
            err, TOKSIM_EPARSE, 0,
            "sid_type \"%.40s\": expected none, unrestricted or restricted",
            decl->sid_type);
    return TOKSIM_OK;
}

toksim_status toksim_service_start_declared(toksim_service_result *out,
                                            toksim_token **token,
                                            toksim_world *world,
                                            const char *name,
                                            toksim_trace *trace,
                                            toksim_error *err)
{
    if (token)
        *token = NULL;
    if (!out || !world || !name)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "start service: no result, world or name");
    const toksim_world_service *decl = toksim_world_find_service(world, name);
    if (!decl)
        return ts_error_set(err, TOKSIM_ENOTFOUND, 0,
                            "no service '%.80s' is declared in the world", name);
    toksim_service_config cfg;
    toksim_status rc = toksim_service_config_from_decl(&cfg, decl, err);
    if (rc == TOKSIM_OK)
        rc = toksim_service_start(out, token, world, &cfg, trace, err);
    return rc;
}
