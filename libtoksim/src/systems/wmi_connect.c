/*
 * PURPOSE: connecting to a WMI namespace (IWbemLocator::ConnectServer) as far as tokens
 * go: the client's impersonation level after default resolution, the refusal of an
 * Anonymous-level client (Impersonating a Client: by default only Identify and above
 * reach WMI's providers), and the namespace security descriptor checked with the client's
 * token for Enable Account (WBEM_ENABLE) and, from another machine, Remote Enable
 * (WBEM_REMOTE_ACCESS) (Access to WMI Namespaces; Securing a Remote WMI Connection). The
 * same namespace check guards provider calls (com.c). Left out: DCOM launch/access
 * permissions, the WMI service's own "Remote Launch" checks, UAC remote filtering.
 */
#include <string.h>
#include "systems/sys_int.h"
#include "systems/com_int.h"

toksim_status ts_wmi_namespace_check(bool *ok,
                                     uint32_t *granted,
                                     const toksim_token *client,
                                     toksim_imp_level level,
                                     bool remote,
                                     const toksim_sd *sd,
                                     const char *name,
                                     toksim_trace *trace)
{
    *ok = false;
    *granted = 0;
    /* WMI impersonates the client to check it: Identify is enough for AccessCheck. */
    toksim_token *tok = NULL;
    toksim_status rc = toksim_token_copy(&tok, client);
    if (rc != TOKSIM_OK)
        return rc;
    toksim_token_set_type(tok, TOKSIM_TOKEN_IMPERSONATION, level);
    toksim_access_request req;
    memset(&req, 0, sizeof req);
    req.mode = TOKSIM_ACCESS_API;
    req.object_type = TOKSIM_OBJ_WMI_NAMESPACE;
    req.desired = TOKSIM_WBEM_ENABLE | (remote ? TOKSIM_WBEM_REMOTE_ACCESS : 0);
    toksim_access_result ar;
    rc = toksim_access_check(&ar, sd, tok, &req, trace);
    toksim_token_free(tok);
    if (rc != TOKSIM_OK)
        return rc;
    *ok = ar.api_ok && ar.granted_all;
    *granted = *ok ? ar.granted : 0;
    ts_sys_ev ev = {.sid = toksim_token_user(client),
                    .text = name ? name : "(namespace)",
                    .mask = *ok ? ar.granted : req.desired,
                    .status = ar.win32};
    return ts_sys_trace(
        trace, *ok ? TOKSIM_RULE_WMI_NAMESPACE_OK : TOKSIM_RULE_WMI_NAMESPACE_DENIED,
        *ok ? TOKSIM_V_GRANT : TOKSIM_V_DENY, &ev);
}

toksim_status toksim_wmi_connect(toksim_wmi_connect_result *out,
                                 const toksim_wmi_connect_request *req,
                                 toksim_trace *trace,
                                 toksim_error *err)
{
    if (!out || !req || !req->client || !req->namespace_sd)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "wmi connect: missing result, client token or namespace "
                            "security descriptor");
    memset(out, 0, sizeof *out);
    if (req->client_imp_level < 0 ||
        req->client_imp_level > (int)TOKSIM_RPC_C_IMP_LEVEL_DELEGATE)
        return ts_error_set(
            err, TOKSIM_EINVAL, 0,
            "wmi connect: client impersonation level %d is not an RPC_C_IMP_LEVEL (0..4)",
            req->client_imp_level);
    int eff = toksim_com_effective_level(req->client_imp_level, req->client_kind,
                                         req->registry_default_level);
    out->effective_client_level = eff;
    out->client_token_level = toksim_imp_level_from_rpc((uint32_t)eff, 0);
    const toksim_sid *who = toksim_token_user(req->client);
    ts_sys_ev ev = {.a = eff};
    toksim_status rc = TOKSIM_OK;
    if (req->client_imp_level == (int)TOKSIM_RPC_C_IMP_LEVEL_DEFAULT)
        rc = ts_sys_trace(trace,
                          req->client_kind == TOKSIM_COM_CLIENT_WMI_SCRIPT
                              ? TOKSIM_RULE_WMI_SCRIPT_LEVEL_DEFAULT
                              : TOKSIM_RULE_COM_LEVEL_DEFAULT,
                          TOKSIM_V_INFO, &ev);
    else if (req->client_kind == TOKSIM_COM_CLIENT_WMI_SCRIPT &&
             req->client_imp_level == (int)TOKSIM_RPC_C_IMP_LEVEL_ANONYMOUS)
        rc = ts_sys_trace(trace, TOKSIM_RULE_WMI_SCRIPT_ANON_UPGRADE, TOKSIM_V_CHANGE,
                          &ev);
    ev = (ts_sys_ev){.sid = who, .a = out->client_token_level};
    if (rc == TOKSIM_OK)
        rc = ts_sys_trace(trace, TOKSIM_RULE_COM_CALL_LEVEL, TOKSIM_V_INFO, &ev);
    if (rc != TOKSIM_OK)
        return rc;
    out->wbem = TOKSIM_WBEM_E_ACCESS_DENIED;
    if (eff == (int)TOKSIM_RPC_C_IMP_LEVEL_ANONYMOUS)
        return ts_sys_trace(trace, TOKSIM_RULE_WMI_ANONYMOUS_REFUSED, TOKSIM_V_DENY, &ev);
    bool ok = false;
    rc = ts_wmi_namespace_check(&ok, &out->granted, req->client, out->client_token_level,
                                req->remote_client, req->namespace_sd,
                                req->namespace_name, trace);
    if (rc == TOKSIM_OK && ok) {
        out->ok = true;
        out->wbem = TOKSIM_WBEM_S_NO_ERROR;
    }
    return rc;
}
