/*
 * PURPOSE: WMI provider hosting: which account the WmiPrvSE process of a HostingModel
 * runs as (Provider Hosting and Security, windows-model §10.5.4, C8) and the token of the
 * WMI service itself (winmgmt, LocalSystem), built through the identity layer from the
 * world's policy, so a policy that removes SeImpersonatePrivilege from NETWORK SERVICE
 * and SERVICE reaches the host (seed: Microsoft Japan WMI troubleshooting, the privilege
 * missing from WmiPrvSE's account). Left out: host groups sharing one process (the group
 * name is kept for traces only), the pre-Vista LocalSystem default, self-hosted provider
 * processes (callers pass their token).
 */
#include <string.h>
#include "systems/sys_int.h"
#include "systems/com_int.h"

toksim_status ts_wmi_builtin_for(toksim_builtin_account *out, toksim_wmi_hosting hosting)
{
    switch (hosting) {
    case TOKSIM_WMI_HOST_DEFAULT: /* NetworkServiceHostOrSelfHost since Vista */
    case TOKSIM_WMI_HOST_NETWORK_SERVICE:
    case TOKSIM_WMI_HOST_NETWORK_SERVICE_OR_SELF:
        *out = TOKSIM_BUILTIN_NETWORK_SERVICE;
        return TOKSIM_OK;
    case TOKSIM_WMI_HOST_LOCAL_SERVICE:
        *out = TOKSIM_BUILTIN_LOCAL_SERVICE;
        return TOKSIM_OK;
    case TOKSIM_WMI_HOST_LOCAL_SYSTEM:
    case TOKSIM_WMI_HOST_LOCAL_SYSTEM_OR_SELF:
        *out = TOKSIM_BUILTIN_SYSTEM;
        return TOKSIM_OK;
    default:
        return TOKSIM_EINVAL;
    }
}

toksim_status toksim_wmi_host_token(toksim_token **out,
                                    toksim_world *world,
                                    toksim_wmi_hosting hosting,
                                    toksim_trace *trace,
                                    toksim_error *err)
{
    if (!out)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "wmi host token: no output pointer");
    *out = NULL;
    toksim_builtin_account which;
    if (!world || ts_wmi_builtin_for(&which, hosting) != TOKSIM_OK)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "wmi host token: hosting model %s has no WmiPrvSE account",
                            toksim_wmi_hosting_name(hosting));
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.console = false;
    opt.session_id = 0;
    toksim_status rc = toksim_logon_builtin(out, world, which, &opt, trace, err);
    if (rc != TOKSIM_OK)
        return rc;
    ts_sys_ev ev = {.sid = toksim_token_user(*out),
                    .text = toksim_wmi_hosting_name(hosting)};
    return ts_sys_trace(trace, TOKSIM_RULE_WMI_HOST, TOKSIM_V_INFO, &ev);
}

toksim_status ts_wmi_service_token(toksim_token **out,
                                   toksim_world *world,
                                   toksim_trace *trace,
                                   toksim_error *err)
{
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.console = false;
    opt.session_id = 0;
    /* winmgmt runs in a LocalSystem svchost (Impersonating a Client: "usually
     * LocalSystem"). */
    return toksim_logon_builtin(out, world, TOKSIM_BUILTIN_SYSTEM, &opt, trace, err);
}
