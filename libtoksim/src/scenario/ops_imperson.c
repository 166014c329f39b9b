/*
 * PURPOSE: scenario operations on processes, threads and tokens, mapped onto the
 * impersonation layer: process.start, thread.impersonate (ImpersonateLoggedOnUser /
 * SetThreadToken / ImpersonateSelf), thread.revert, token.duplicate, privilege.adjust,
 * object.open (kernel open from a thread), access_check (server-side AccessCheck) and
 * net.access (network hop, then the remote object's check). Windows rules live in the
 * layers called; this file only translates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/run_int.h"
#include "scenario/ops_params.h"
#include "scenario/world_glue.h"
#include "toksim/world.h"
#include "toksim/policy.h"
#include "toksim/impersonate.h"
#include "toksim/logon.h"
#include "scenario/model_int.h"

static void from_imp(toksim_step_result *r, const toksim_imp_result *ir)
{
    ts_result_codes(r, ir->ok, ir->win32, ir->ntstatus, ir->hresult);
}

/* AccessCheck returns TRUE when it ran; the verdict is AccessStatus. A step is ok when
 * everything asked for is granted. */
static void from_access(toksim_step_result *r, const toksim_access_result *ar)
{
    uint32_t win32 = ar->win32 ? ar->win32 : toksim_ntstatus_to_win32(ar->ntstatus);
    ts_result_codes(r, ar->api_ok && ar->granted_all, win32, ar->ntstatus, 0);
    r->has_granted = true;
    r->granted = ar->granted;
}

toksim_status ts_op_process_start(toksim_run *run,
                                  const ts_step *st,
                                  toksim_step_result *r,
                                  toksim_error *err)
{
    const toksim_token *tok;
    toksim_status rc = ts_lookup_token(run, err, ts_step_str(st, "token"), &tok, NULL);
    if (rc)
        return rc;
    ts_named *n;
    if ((rc = ts_make_process(run, err, ts_step_str(st, "as"), "process", tok, &n)))
        return rc;
    r->ok = true;
    r->token = toksim_process_token(n->proc);
    char uname[160];
    ts_run_sid_name(uname, sizeof uname, run, toksim_token_user(r->token));
    const char *image = ts_step_str(st, "image");
    ts_summary(run, "%s started as %s", image ? image : ts_step_str(st, "as"), uname);
    return TOKSIM_OK;
}

toksim_status ts_op_thread_impersonate(toksim_run *run,
                                       const ts_step *st,
                                       toksim_step_result *r,
                                       toksim_error *err)
{
    toksim_thread *th;
    toksim_status rc = ts_lookup_thread(run, err, ts_step_str(st, "thread"), &th);
    if (rc)
        return rc;
    const char *api = ts_step_str(st, "api");
    if (!api)
        api = "ImpersonateLoggedOnUser";
    const char *lname = ts_step_str(st, "level");
    toksim_imp_level level = TOKSIM_IMP_IMPERSONATION;
    if (lname && !ts_parse_level(lname, &level))
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "level \"%.40s\": expected Anonymous, Identification, "
                           "Impersonation or Delegation",
                           lname);
    const char *tname = ts_step_str(st, "token");
    toksim_imp_result ir;
    memset(&ir, 0, sizeof ir);
    if (ts_strcasecmp(api, "ImpersonateSelf") == 0) {
        rc = toksim_impersonate_self(&ir, th, level, &r->trace);
    } else {
        if (!tname)
            return ts_run_fail(run, err, TOKSIM_EPARSE, "%s needs \"token\"", api);
        const toksim_token *tok;
        if ((rc = ts_lookup_token(run, err, tname, &tok, NULL)))
            return rc;
        toksim_token *tmp = NULL;
        /* a "level" with an explicit token: the caller first duplicated it at that level
         */
        if (lname && toksim_token_type_of(tok) == TOKSIM_TOKEN_PRIMARY &&
            ts_strcasecmp(api, "SetThreadToken") == 0) {
            if ((rc = toksim_token_copy(&tmp, tok)))
                return rc;
            toksim_token_set_type(tmp, TOKSIM_TOKEN_IMPERSONATION, level);
            tok = tmp;
        }
        toksim_token_handle h = {tok, TOKSIM_TOKEN_ACCESS_ALL};
        if (ts_strcasecmp(api, "ImpersonateLoggedOnUser") == 0)
            rc = toksim_impersonate_logged_on_user(&ir, th, &h, &r->trace);
        else if (ts_strcasecmp(api, "SetThreadToken") == 0)
            rc = toksim_set_thread_token(&ir, th, &h, &r->trace);
        else
            rc = ts_run_fail(run, err, TOKSIM_EPARSE,
                             "api \"%.40s\": expected ImpersonateLoggedOnUser, "
                             "SetThreadToken or ImpersonateSelf",
                             api);
        toksim_token_free(tmp);
    }
    if (rc)
        return rc;
    if (ir.downgraded && (rc = ts_trace_holders(run, &r->trace)))
        return rc;
    /* the call "succeeded" with a token good for identification only: the trap of §2.3 */
    if (ir.downgraded && toksim_thread_token(th) &&
        (rc = ts_add_finding(
             r, "finding.silent_identify_downgrade",
             toksim_token_user(toksim_process_token(toksim_thread_process(th))),
             toksim_token_user(toksim_thread_token(th)), api)))
        return rc;
    from_imp(r, &ir);
    r->token = toksim_thread_token(th);
    if (ir.impersonating) {
        r->has_level = true;
        r->level = ir.level;
    }
    char uname[160] = "";
    if (r->token)
        ts_run_sid_name(uname, sizeof uname, run, toksim_token_user(r->token));
    if (!ir.ok) {
        char ename[96];
        ts_result_error_name(ename, sizeof ename, r);
        ts_summary(run, "%s failed: %s", api, ename);
    } else if (ir.downgraded) {
        ts_summary(
            run,
            "%s succeeded, but the thread got an Identification-level copy of %s's token",
            api, uname);
    } else {
        ts_summary(run, "%s succeeded: the thread impersonates %s at %s level", api,
                   uname, toksim_imp_level_name(ir.level));
    }
    return TOKSIM_OK;
}

toksim_status ts_op_thread_revert(toksim_run *run,
                                  const ts_step *st,
                                  toksim_step_result *r,
                                  toksim_error *err)
{
    toksim_thread *th;
    toksim_status rc = ts_lookup_thread(run, err, ts_step_str(st, "thread"), &th);
    if (rc)
        return rc;
    toksim_imp_result ir;
    memset(&ir, 0, sizeof ir);
    toksim_revert_to_self(&ir, th, &r->trace);
    from_imp(r, &ir);
    r->ok = true;
    r->token = toksim_thread_effective_token(th);
    char uname[160];
    ts_run_sid_name(uname, sizeof uname, run, toksim_token_user(r->token));
    ts_summary(run, "RevertToSelf: the thread runs as %s again", uname);
    return TOKSIM_OK;
}

toksim_status ts_op_token_duplicate(toksim_run *run,
                                    const ts_step *st,
                                    toksim_step_result *r,
                                    toksim_error *err)
{
    const toksim_token *src;
    toksim_status rc = ts_lookup_token(run, err, ts_step_str(st, "token"), &src, NULL);
    if (rc)
        return rc;
    const char *tname = ts_step_str(st, "type");
    toksim_token_type type = TOKSIM_TOKEN_IMPERSONATION;
    if (tname) {
        if (ts_strcasecmp(tname, "primary") == 0)
            type = TOKSIM_TOKEN_PRIMARY;
        else if (ts_strcasecmp(tname, "impersonation") != 0)
            return ts_run_fail(run, err, TOKSIM_EPARSE,
                               "type \"%.40s\": expected primary or impersonation",
                               tname);
    }
    const char *lname = ts_step_str(st, "level");
    toksim_imp_level level = TOKSIM_IMP_IMPERSONATION;
    if (lname && !ts_parse_level(lname, &level))
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "level \"%.40s\": expected Anonymous, Identification, "
                           "Impersonation or Delegation",
                           lname);
    /* a handle from token.open has only the rights its open granted */
    toksim_token_handle h = {src, ts_named_handle_access(run, ts_step_str(st, "token"))};
    toksim_imp_result ir;
    memset(&ir, 0, sizeof ir);
    toksim_token *dup = NULL;
    if ((rc = toksim_duplicate_token_ex(&ir, &dup, &h, type, level, &r->trace)))
        return rc;
    from_imp(r, &ir);
    if (!ir.ok) {
        char ename[96];
        ts_result_error_name(ename, sizeof ename, r);
        ts_summary(run, "DuplicateTokenEx failed: %s", ename);
        toksim_token_free(dup);
        return TOKSIM_OK;
    }
    ts_named *n;
    if ((rc = ts_named_add(run, err, ts_step_str(st, "as"), TS_N_TOKEN, "token", &n))) {
        toksim_token_free(dup);
        return rc;
    }
    n->token = dup;
    r->token = dup;
    if (type == TOKSIM_TOKEN_IMPERSONATION) {
        r->has_level = true;
        r->level = toksim_token_level(dup);
    }
    ts_summary(run, "DuplicateTokenEx made a %s token%s%s", toksim_token_type_name(type),
               r->has_level ? " at level " : "",
               r->has_level ? toksim_imp_level_name(r->level) : "");
    return TOKSIM_OK;
}

static toksim_status add_changes(toksim_run *run,
                                 toksim_error *err,
                                 const ts_param *p,
                                 uint32_t attrs,
                                 toksim_priv_change *ch,
                                 size_t *n)
{
    for (size_t i = 0; p && i < p->nlist; i++) {
        if (*n >= TOKSIM_PRIV_CHANGE_MAX)
            return ts_run_fail(run, err, TOKSIM_ELIMIT, "more than %u privilege changes",
                               TOKSIM_PRIV_CHANGE_MAX);
        ch[*n].name = p->list[i];
        ch[*n].luid = 0;
        ch[*n].attributes = attrs;
        (*n)++;
    }
    return TOKSIM_OK;
}

toksim_status ts_op_privilege_adjust(toksim_run *run,
                                     const ts_step *st,
                                     toksim_step_result *r,
                                     toksim_error *err)
{
    const toksim_token *tok;
    toksim_token *mut;
    toksim_status rc = ts_lookup_token(run, err, ts_step_str(st, "token"), &tok, &mut);
    if (rc)
        return rc;
    toksim_priv_change ch[TOKSIM_PRIV_CHANGE_MAX];
    size_t n = 0;
    if ((rc = add_changes(run, err, ts_step_param(st, "enable"),
                          TOKSIM_SE_PRIVILEGE_ENABLED, ch, &n)) ||
        (rc = add_changes(run, err, ts_step_param(st, "disable"), 0, ch, &n)) ||
        (rc = add_changes(run, err, ts_step_param(st, "remove"),
                          TOKSIM_SE_PRIVILEGE_REMOVED, ch, &n)))
        return rc;
    const ts_param *da = ts_step_param(st, "disable_all");
    toksim_imp_result ir;
    memset(&ir, 0, sizeof ir);
    if ((rc = toksim_adjust_token_privileges(&ir, mut, TOKSIM_TOKEN_ACCESS_ALL,
                                             da && da->b, ch, n, ts_run_model(run),
                                             &r->trace)))
        return rc;
    from_imp(r, &ir);
    r->token = mut;
    char ename[96];
    ts_result_error_name(ename, sizeof ename, r);
    ts_summary(run, "AdjustTokenPrivileges %s%s%s", ir.ok ? "succeeded" : "failed",
               r->win32 ? ": " : "", r->win32 ? ename : "");
    return TOKSIM_OK;
}

/* The step's "thread" (the caller) and "path" (a declared object). */
static toksim_status thread_and_object(toksim_run *run,
                                       toksim_error *err,
                                       const ts_step *st,
                                       toksim_thread **th,
                                       const ts_object **obj)
{
    toksim_status rc = ts_lookup_thread(run, err, ts_step_str(st, "thread"), th);
    return rc ? rc : ts_lookup_object(run, err, ts_step_str(st, "path"), obj);
}

toksim_status ts_op_object_open(toksim_run *run,
                                const ts_step *st,
                                toksim_step_result *r,
                                toksim_error *err)
{
    toksim_thread *th;
    const ts_object *obj;
    toksim_status rc = thread_and_object(run, err, st, &th, &obj);
    if (rc)
        return rc;
    toksim_open_request req;
    memset(&req, 0, sizeof req);
    req.sd = obj->sd;
    req.name = obj->path;
    req.access.mode = TOKSIM_ACCESS_OPEN;
    req.access.object_type = obj->type;
    if ((rc = ts_param_access(run, err, st, "access", obj->type,
                              0x80000000u /* GENERIC_READ */, &req.access.desired)))
        return rc;
    toksim_open_result orr;
    memset(&orr, 0, sizeof orr);
    if ((rc = toksim_thread_open_object(&orr, th, &req, &r->trace)))
        return rc;
    ts_result_codes(r, orr.ok, orr.win32, orr.ntstatus, orr.hresult);
    r->has_granted = true;
    r->granted = orr.granted;
    r->token = toksim_thread_effective_token(th);
    if (orr.used_thread_token) {
        r->has_level = true;
        r->level = orr.level;
    }
    char uname[160], ename[96];
    ts_run_sid_name(uname, sizeof uname, run, toksim_token_user(r->token));
    ts_result_error_name(ename, sizeof ename, r);
    if (orr.ok)
        ts_summary(run, "%s opened as %s (granted 0x%08X)", obj->path, uname,
                   (unsigned)orr.granted);
    else
        ts_summary(run, "opening %s as %s failed: %s (0x%08X)", obj->path, uname, ename,
                   (unsigned)r->hresult);
    return TOKSIM_OK;
}

toksim_status ts_op_access_check(toksim_run *run,
                                 const ts_step *st,
                                 toksim_step_result *r,
                                 toksim_error *err)
{
    const toksim_token *tok;
    toksim_status rc = ts_lookup_token(run, err, ts_step_str(st, "token"), &tok, NULL);
    if (rc)
        return rc;
    const char *path = ts_step_str(st, "path");
    const toksim_sd *sd = NULL;
    toksim_sd *own = NULL;
    toksim_object_type type = TOKSIM_OBJ_FILE;
    if (path) {
        const ts_object *obj;
        if ((rc = ts_lookup_object(run, err, path, &obj)))
            return rc;
        sd = obj->sd;
        type = obj->type;
    } else if (ts_step_str(st, "sddl")) {
        if ((rc = ts_param_sd(run, err, st, "sddl", &own)))
            return rc;
        sd = own;
    } else {
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "access_check needs \"path\" or \"sddl\"");
    }
    const char *ot = ts_step_str(st, "object_type");
    if (ot && toksim_object_type_parse(&type, ot) != TOKSIM_OK) {
        toksim_sd_free(own);
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "object_type \"%.40s\" is not an object type", ot);
    }
    toksim_access_request req;
    memset(&req, 0, sizeof req);
    req.mode = TOKSIM_ACCESS_API;
    req.object_type = type;
    if ((rc = ts_param_access(run, err, st, "access", type, 0, &req.desired))) {
        toksim_sd_free(own);
        return rc;
    }
    toksim_access_result ar;
    memset(&ar, 0, sizeof ar);
    rc = toksim_access_check(&ar, sd, tok, &req, &r->trace);
    toksim_sd_free(own);
    if (rc)
        return rc;
    from_access(r, &ar);
    r->token = tok;
    if (toksim_token_type_of(tok) == TOKSIM_TOKEN_IMPERSONATION) {
        r->has_level = true;
        r->level = toksim_token_level(tok);
    }
    char uname[160], ename[96];
    ts_run_sid_name(uname, sizeof uname, run, toksim_token_user(tok));
    ts_result_error_name(ename, sizeof ename, r);
    if (!ar.api_ok)
        ts_summary(run, "AccessCheck for %s could not run: %s", uname, ename);
    else if (ar.granted_all)
        ts_summary(run, "AccessCheck grants %s 0x%08X", uname, (unsigned)ar.granted);
    else
        ts_summary(run, "AccessCheck denies %s: %s", uname, ename);
    return TOKSIM_OK;
}

toksim_status ts_op_net_access(toksim_run *run,
                               const ts_step *st,
                               toksim_step_result *r,
                               toksim_error *err)
{
    toksim_thread *th;
    const ts_object *obj;
    toksim_status rc = thread_and_object(run, err, st, &th, &obj);
    if (rc)
        return rc;
    toksim_hop_request hop;
    memset(&hop, 0, sizeof hop);
    const char *auth = ts_step_str(st, "auth");
    hop.client_auth = TOKSIM_AUTH_NTLM;
    if (auth && ts_strcasecmp(auth, "kerberos") == 0)
        hop.client_auth = TOKSIM_AUTH_KERBEROS;
    else if (auth && ts_strcasecmp(auth, "ntlm") != 0)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "auth \"%.40s\": expected ntlm or kerberos", auth);
    const ts_param *ct = ts_step_param(st, "cleartext");
    hop.client_cleartext = ct && ct->b;
    const char *del = ts_step_str(st, "delegation");
    if (del) {
        if (ts_strcasecmp(del, "unconstrained") == 0)
            hop.server_delegation = TOKSIM_DELEGATION_UNCONSTRAINED;
        else if (ts_strcasecmp(del, "constrained") == 0)
            hop.server_delegation = TOKSIM_DELEGATION_CONSTRAINED;
        else if (ts_strcasecmp(del, "constrained-any") == 0)
            hop.server_delegation = TOKSIM_DELEGATION_CONSTRAINED_ANY_PROTOCOL;
        else if (ts_strcasecmp(del, "none") != 0)
            return ts_run_fail(run, err, TOKSIM_EPARSE,
                               "delegation \"%.40s\": expected none, unconstrained, "
                               "constrained, constrained-any",
                               del);
    }
    const ts_param *spns = ts_step_param(st, "allowed_spns");
    if (spns) {
        hop.allowed_spns = (const char *const *)spns->list;
        hop.allowed_spn_count = spns->nlist;
    }
    hop.target_spn = ts_step_str(st, "spn");
    toksim_sid machine_acct;
    const char *dom = toksim_world_domain_name(run->world);
    if (dom) {
        char nm[300];
        size_t at = ts_put(nm, sizeof nm, 0, dom); /* issue 11: no snprintf */
        at = ts_put(nm, sizeof nm, at, "\\");
        at = ts_put(nm, sizeof nm, at, toksim_world_machine_name(run->world));
        (void)ts_put(nm, sizeof nm, at, "$");
        if (toksim_world_resolve(run->world, nm, &machine_acct, NULL) == TOKSIM_OK)
            hop.machine_account = &machine_acct;
    }
    toksim_hop_result hr;
    memset(&hr, 0, sizeof hr);
    if ((rc = toksim_network_hop(&hr, th, &hop, &r->trace)))
        return rc;
    r->token = toksim_thread_effective_token(th);
    if (!hr.ok) {
        ts_result_win32_failure(r, hr.win32);
        char ename[96];
        ts_result_error_name(ename, sizeof ename, r);
        ts_summary(run, "the connection to %s failed: %s",
                   obj->machine ? obj->machine : "the remote machine", ename);
        return TOKSIM_OK;
    }
    /* The remote machine checks the object's SD against the identity that arrived. */
    toksim_token *remote = NULL;
    if (hr.identity == TOKSIM_HOP_ANONYMOUS || !hr.has_sid) {
        rc = toksim_imp_anonymous_token(&remote, false);
    } else {
        rc = toksim_logon_remote_network_token(&remote, &hr.sid);
    }
    if (rc)
        return rc;
    toksim_access_request req;
    memset(&req, 0, sizeof req);
    req.mode = TOKSIM_ACCESS_OPEN;
    req.object_type = obj->type;
    if ((rc = ts_param_access(run, err, st, "access", obj->type, 0x80000000u,
                              &req.desired))) {
        toksim_token_free(remote);
        return rc;
    }
    toksim_access_result ar;
    memset(&ar, 0, sizeof ar);
    rc = toksim_access_check(&ar, obj->sd, remote, &req, &r->trace);
    char uname[160];
    ts_run_sid_name(uname, sizeof uname, run, toksim_token_user(remote));
    toksim_token_free(remote);
    if (rc)
        return rc;
    from_access(r, &ar);
    ts_summary(run, "%s sees the request as %s (%s): %s",
               obj->machine ? obj->machine : "the remote machine", uname,
               toksim_hop_identity_name(hr.identity), r->ok ? "granted" : "denied");
    return TOKSIM_OK;
}
