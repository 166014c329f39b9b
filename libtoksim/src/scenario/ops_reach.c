/*
 * PURPOSE: scenario operations that reach library features the other op files did not
 * expose (issue 8 item 5): token.linked (GetTokenInformation TokenLinkedToken of a UAC
 * split token), wmi.connect (IWbemLocator::ConnectServer checked against a namespace's
 * security descriptor), and the parameters that send an iis.request to content on
 * another machine (UNC path: the double hop, Kerberos delegation of the pool account).
 * Parameters become the lower layers' structs; no Windows rule lives here.
 */
#include <stdio.h>
#include <string.h>
#include "scenario/run_int.h"
#include "scenario/world_glue.h"
#include "toksim/world.h"
#include "toksim/systems.h"
#include "scenario/model_int.h"
#include "scenario/ops_params.h"

/* ---- token.linked ---- */

toksim_status ts_op_token_linked(toksim_run *run,
                                 const ts_step *st,
                                 toksim_step_result *r,
                                 toksim_error *err)
{
    const toksim_token *tok;
    toksim_status rc = ts_lookup_token(run, err, ts_step_str(st, "token"), &tok, NULL);
    if (rc)
        return rc;
    if (!tok)
        return ts_run_fail(run, err, TOKSIM_ENOTFOUND,
                           "token \"%s\" names a thread that is not impersonating",
                           ts_step_str(st, "token"));
    /* The caller's primary token is where SeTcbPrivilege is looked up; by default the
     * process querying is the one running with the token (a process asking about its own
     * token). */
    const toksim_token *caller = tok;
    const char *cname = ts_step_str(st, "caller");
    if (cname) {
        ts_named *cn = ts_named_find(run, cname);
        caller = cn ? ts_named_primary(cn) : NULL;
        if (!caller)
            return ts_run_fail(
                run, err, TOKSIM_ENOTFOUND,
                "caller \"%s\" names no process started by an earlier step", cname);
    }
    toksim_token_handle h = {tok, TOKSIM_TOKEN_ACCESS_QUERY};
    toksim_imp_result ir;
    memset(&ir, 0, sizeof ir);
    toksim_token *linked = NULL;
    if ((rc = toksim_get_linked_token(&ir, &linked, caller, &h, ts_run_model(run),
                                      &r->trace)))
        return rc;
    ts_result_codes(r, ir.ok, ir.win32, ir.ntstatus, ir.hresult);
    if (!ir.ok) {
        toksim_token_free(linked);
        char ename[96];
        ts_result_error_name(ename, sizeof ename, r);
        ts_summary(run, "GetTokenInformation(TokenLinkedToken) failed: %s", ename);
        return TOKSIM_OK;
    }
    ts_named *n;
    if ((rc = ts_named_add(run, err, ts_step_str(st, "as"), TS_N_TOKEN, "token", &n))) {
        toksim_token_free(linked);
        return rc;
    }
    n->token = linked;
    r->token = linked;
    bool imp = toksim_token_type_of(linked) == TOKSIM_TOKEN_IMPERSONATION;
    if (imp) {
        r->has_level = true;
        r->level = toksim_token_level(linked);
    }
    const char *which = toksim_token_is_elevated(linked) ? "elevated" : "filtered";
    if (imp)
        ts_summary(run,
                   "TokenLinkedToken: the %s token, as an impersonation token at %s "
                   "level",
                   which, toksim_imp_level_name(r->level));
    else
        ts_summary(run, "TokenLinkedToken: the %s token, as a primary token", which);
    return TOKSIM_OK;
}

/* The namespace object a step names, which must be declared with type wmi. */
static toksim_status reach_namespace(toksim_run *run,
                                     toksim_error *err,
                                     const char *path,
                                     const ts_object **ns)
{
    toksim_status rc = ts_lookup_object(run, err, path, ns);
    if (rc == TOKSIM_OK && (*ns)->type != TOKSIM_OBJ_WMI_NAMESPACE)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "namespace \"%.100s\" is declared with another type: declare "
                           "it with \"type\": \"wmi\"",
                           (*ns)->path);
    return rc;
}

/* ---- wmi.connect ---- */

toksim_status ts_op_wmi_connect(toksim_run *run,
                                const ts_step *st,
                                toksim_step_result *r,
                                toksim_error *err)
{
    toksim_wmi_connect_request req;
    memset(&req, 0, sizeof req);
    toksim_status rc =
        ts_lookup_effective(run, err, ts_step_str(st, "client"), &req.client);
    if (rc)
        return rc;
    const ts_object *ns;
    if ((rc = reach_namespace(run, err, ts_step_str(st, "namespace"), &ns)))
        return rc;
    const char *s;
    if ((s = ts_step_str(st, "level")) && !ts_parse_rpc_level(s, &req.client_imp_level))
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "level \"%.40s\": expected default, anonymous, identify, "
                           "impersonate or delegate (RPC_C_IMP_LEVEL_*)",
                           s);
    req.client_kind = TOKSIM_COM_CLIENT_WMI_SCRIPT;
    if ((s = ts_step_str(st, "client_kind"))) {
        if (ts_strcasecmp(s, "api") == 0)
            req.client_kind = TOKSIM_COM_CLIENT_API;
        else if (ts_strcasecmp(s, "script") != 0)
            return ts_run_fail(run, err, TOKSIM_EPARSE,
                               "client_kind \"%.40s\": expected api or script", s);
    }
    const ts_param *rm = ts_step_param(st, "remote");
    req.remote_client = rm && rm->b;
    req.namespace_sd = ns->sd;
    req.namespace_name = ns->path;
    toksim_wmi_connect_result res;
    toksim_error e = {0};
    if ((rc = toksim_wmi_connect(&res, &req, &r->trace, &e)))
        return ts_run_fail_lib(run, err, rc, &e);
    r->ok = res.ok;
    r->hresult = res.wbem;
    r->has_wbem = true;
    r->wbem = res.wbem;
    r->has_level = true;
    r->level = res.client_token_level;
    if (res.ok) {
        r->has_granted = true;
        r->granted = res.granted;
    }
    char cname[160];
    ts_run_sid_name(cname, sizeof cname, run, toksim_token_user(req.client));
    if (res.ok)
        ts_summary(run, "%s connects to %s%s", cname, ns->path,
                   req.remote_client ? " from another machine" : "");
    else
        ts_summary(run, "%s cannot connect to %s%s: WBEM_E_ACCESS_DENIED (0x%08X)", cname,
                   ns->path, req.remote_client ? " from another machine" : "",
                   (unsigned)res.wbem);
    return TOKSIM_OK;
}

toksim_status ts_reach_wmi_namespace(toksim_run *run,
                                     toksim_error *err,
                                     const ts_step *st,
                                     toksim_com_call *call)
{
    const char *path = ts_step_str(st, "namespace");
    const ts_object *ns;
    toksim_status rc;
    if (!path || (rc = reach_namespace(run, err, path, &ns)))
        return path ? rc : TOKSIM_OK;
    call->namespace_sd = ns->sd;
    call->namespace_name = ns->path;
    return TOKSIM_OK;
}

/* ---- iis.request to a UNC path, and the pool account's delegation ---- */

toksim_status ts_reach_iis_remote(toksim_run *run,
                                  toksim_error *err,
                                  const ts_step *st,
                                  const ts_object *obj,
                                  toksim_iis_request *req,
                                  char *spn_buf,
                                  size_t spn_n)
{
    const char *pkg = ts_step_str(st, "package");
    if (pkg && ts_strcasecmp(pkg, "kerberos") == 0)
        req->kerberos = true;
    else if (pkg && ts_strcasecmp(pkg, "ntlm") != 0)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "package \"%.40s\": expected ntlm or kerberos", pkg);
    const char *spn = ts_step_str(st, "spn");
    if (!obj->machine) {
        if (spn)
            return ts_run_fail(
                run, err, TOKSIM_EPARSE,
                "spn is for content on another machine: declare \"%.100s\" "
                "with \"machine\"",
                obj->path);
        return TOKSIM_OK;
    }
    /* The SMB client asks for a ticket to cifs/<server> (Kerberos SPN of a file share).
     */
    if (!spn) {
        snprintf(spn_buf, spn_n, "cifs/%s", obj->machine);
        spn = spn_buf;
    }
    req->remote_spn = spn;
    return TOKSIM_OK;
}

toksim_status ts_reach_pool_delegation(toksim_run *run,
                                       toksim_error *err,
                                       const ts_step *st,
                                       toksim_iis_pool_config *cfg)
{
    const char *del = ts_step_str(st, "delegation");
    if (del) {
        if (ts_strcasecmp(del, "unconstrained") == 0)
            cfg->delegation = TOKSIM_DELEGATION_UNCONSTRAINED;
        else if (ts_strcasecmp(del, "constrained") == 0)
            cfg->delegation = TOKSIM_DELEGATION_CONSTRAINED;
        else if (ts_strcasecmp(del, "constrained-any") == 0)
            cfg->delegation = TOKSIM_DELEGATION_CONSTRAINED_ANY_PROTOCOL;
        else if (ts_strcasecmp(del, "none") != 0)
            return ts_run_fail(run, err, TOKSIM_EPARSE,
                               "delegation \"%.40s\": expected none, unconstrained, "
                               "constrained, constrained-any",
                               del);
    }
    const ts_param *spns = ts_step_param(st, "allowed_spns");
    if (spns) {
        if (spns->nlist > TOKSIM_IIS_MAX_SPNS)
            return ts_run_fail(run, err, TOKSIM_ELIMIT, "allowed_spns: more than %d",
                               TOKSIM_IIS_MAX_SPNS);
        cfg->allowed_spns = (const char *const *)spns->list;
        cfg->allowed_spn_count = spns->nlist;
    }
    return TOKSIM_OK;
}

void ts_reach_remote_summary(toksim_run *run,
                             const char *machine,
                             int hop_identity,
                             const toksim_sid *remote_user)
{
    const char *prev = run->summaries[run->current];
    char who[160];
    if (hop_identity == (int)TOKSIM_HOP_FAILED || !remote_user || !remote_user->revision)
        snprintf(who, sizeof who, "nobody (the connection failed)");
    else
        ts_run_sid_name(who, sizeof who, run, remote_user);
    ts_summary(run, "%s; %s saw %s", prev ? prev : "", machine ? machine : "the server",
               who);
}
