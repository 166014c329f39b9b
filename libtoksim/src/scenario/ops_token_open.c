/*
 * PURPOSE: scenario operations of the token API (issue 16): token.open (OpenThreadToken /
 * OpenProcessToken: a named token handle with the rights the open granted),
 * token.nt_duplicate (NtDuplicateToken with or without a QoS, EffectiveOnly) and
 * thread.impersonate_anonymous (ImpersonateAnonymousToken with the
 * EveryoneIncludesAnonymous policy). Windows rules live in the impersonation layer
 * (token_open.c, process_thread.c); this file only translates.
 */
#include <stdio.h>
#include <string.h>
#include "scenario/run_int.h"
#include "scenario/ops_params.h"
#include "toksim/world.h"
#include "toksim/impersonate.h"
#include "toksim/token_open.h"

uint32_t ts_named_handle_access(toksim_run *run, const char *name)
{
    ts_named *n = name ? ts_named_find(run, name) : NULL;
    if (n && n->kind == TS_N_TOKEN && n->handle_access)
        return n->handle_access;
    return TOKSIM_TOKEN_ACCESS_ALL;
}

static void summary_failed(toksim_run *run, toksim_step_result *r, const char *api)
{
    char ename[96];
    ts_result_error_name(ename, sizeof ename, r);
    ts_summary(run, "%s failed: %s", api, ename);
}

/* Register a new token handle under `as` (takes tok). */
static toksim_status add_handle(toksim_run *run,
                                toksim_error *err,
                                const char *as,
                                toksim_token *tok,
                                uint32_t access,
                                toksim_step_result *r)
{
    ts_named *n;
    toksim_status rc = ts_named_add(run, err, as, TS_N_TOKEN, "token", &n);
    if (rc) {
        toksim_token_free(tok);
        return rc;
    }
    n->token = tok;
    n->handle_access = access ? access : TOKSIM_TOKEN_ACCESS_ALL;
    r->token = tok;
    r->has_granted = true;
    r->granted = access;
    if (toksim_token_type_of(tok) == TOKSIM_TOKEN_IMPERSONATION) {
        r->has_level = true;
        r->level = toksim_token_level(tok);
    }
    return TOKSIM_OK;
}

toksim_status ts_op_token_open(toksim_run *run,
                               const ts_step *st,
                               toksim_step_result *r,
                               toksim_error *err)
{
    toksim_thread *caller;
    toksim_status rc = ts_lookup_thread(run, err, ts_step_str(st, "thread"), &caller);
    if (rc)
        return rc;
    const char *api = ts_step_str(st, "api"), *target = ts_step_str(st, "target");
    bool thread_api = ts_strcasecmp(api, "OpenThreadToken") == 0;
    if (!thread_api && ts_strcasecmp(api, "OpenProcessToken") != 0)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "api \"%.40s\": expected OpenThreadToken or OpenProcessToken",
                           api);
    const ts_param *oas = ts_step_param(st, "open_as_self");
    if (oas && !thread_api)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "open_as_self is a parameter of OpenThreadToken only");
    uint32_t desired;
    if ((rc = ts_param_access(run, err, st, "access", TOKSIM_OBJ_TOKEN, 0, &desired)))
        return rc;
    toksim_sd *sd;
    if ((rc = ts_param_sd(run, err, st, "sddl", &sd)))
        return rc;
    toksim_token_open_result orr;
    memset(&orr, 0, sizeof orr);
    toksim_token *tok = NULL;
    if (thread_api) {
        if (target && strcmp(target, ts_step_str(st, "thread")) != 0) {
            toksim_sd_free(sd);
            return ts_run_fail(run, err, TOKSIM_EPARSE,
                               "OpenThreadToken opens the calling thread's own token: "
                               "leave \"target\" out or name the same thread");
        }
        rc = toksim_open_thread_token_handle(&orr, &tok, caller, desired, oas && oas->b,
                                             sd, &r->trace);
    } else {
        toksim_process *proc = toksim_thread_process(caller);
        if (target) {
            ts_named *n = ts_named_find(run, target);
            if (!n || n->kind != TS_N_PROCESS || !n->proc) {
                toksim_sd_free(sd);
                return ts_run_fail(run, err, TOKSIM_ENOTFOUND,
                                   "target \"%.60s\" names no running process", target);
            }
            proc = n->proc;
        }
        rc = toksim_open_process_token(&orr, &tok, caller, proc, desired, sd, &r->trace);
    }
    toksim_sd_free(sd);
    if (rc) {
        toksim_token_free(tok);
        return rc;
    }
    ts_result_codes(r, orr.api.ok, orr.api.win32, orr.api.ntstatus, orr.api.hresult);
    if (!orr.api.ok) {
        summary_failed(run, r, api);
        return TOKSIM_OK;
    }
    if ((rc = add_handle(run, err, ts_step_str(st, "as"), tok, orr.granted, r)))
        return rc;
    char uname[160], mask[256];
    ts_run_sid_name(uname, sizeof uname, run, toksim_token_user(r->token));
    toksim_access_mask_describe(mask, sizeof mask, orr.granted, TOKSIM_OBJ_TOKEN);
    ts_summary(run, "%s opened %s's token: the handle holds %s", api, uname, mask);
    return TOKSIM_OK;
}

toksim_status ts_op_token_nt_duplicate(toksim_run *run,
                                       const ts_step *st,
                                       toksim_step_result *r,
                                       toksim_error *err)
{
    const char *name = ts_step_str(st, "token");
    const toksim_token *src;
    toksim_status rc = ts_lookup_token(run, err, name, &src, NULL);
    if (rc)
        return rc;
    toksim_nt_duplicate_request req;
    memset(&req, 0, sizeof req);
    req.type = TOKSIM_TOKEN_IMPERSONATION;
    const char *tname = ts_step_str(st, "type");
    if (tname && ts_strcasecmp(tname, "primary") == 0)
        req.type = TOKSIM_TOKEN_PRIMARY;
    else if (tname && ts_strcasecmp(tname, "impersonation") != 0)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "type \"%.40s\": expected primary or impersonation", tname);
    const char *lname = ts_step_str(st, "qos_level");
    if (lname) {
        req.has_qos = true;
        if (!ts_parse_level(lname, &req.qos_level))
            return ts_run_fail(run, err, TOKSIM_EPARSE,
                               "qos_level \"%.40s\": expected Anonymous, Identification, "
                               "Impersonation or Delegation",
                               lname);
    }
    const ts_param *eo = ts_step_param(st, "effective_only");
    req.effective_only = eo && eo->b;
    toksim_token_handle h = {src, ts_named_handle_access(run, name)};
    toksim_imp_result ir;
    memset(&ir, 0, sizeof ir);
    toksim_token *dup = NULL;
    if ((rc = toksim_nt_duplicate_token(&ir, &dup, &h, &req, &r->trace)))
        return rc;
    ts_result_codes(r, ir.ok, ir.win32, ir.ntstatus, ir.hresult);
    if (!ir.ok) {
        toksim_token_free(dup);
        summary_failed(run, r, "NtDuplicateToken");
        return TOKSIM_OK;
    }
    if ((rc = add_handle(run, err, ts_step_str(st, "as"), dup, 0, r)))
        return rc;
    r->has_granted = false;
    ts_summary(run, "NtDuplicateToken made a %s token%s%s%s",
               toksim_token_type_name(req.type), r->has_level ? " at level " : "",
               r->has_level ? toksim_imp_level_name(r->level) : "",
               req.effective_only ? " (effective part only)" : "");
    return TOKSIM_OK;
}

toksim_status ts_op_impersonate_anonymous(toksim_run *run,
                                          const ts_step *st,
                                          toksim_step_result *r,
                                          toksim_error *err)
{
    toksim_thread *th;
    toksim_status rc = ts_lookup_thread(run, err, ts_step_str(st, "thread"), &th);
    if (rc)
        return rc;
    const ts_param *eia = ts_step_param(st, "everyone_includes_anonymous");
    toksim_imp_result ir;
    memset(&ir, 0, sizeof ir);
    /* the step's parameter, else the world's EveryoneIncludesAnonymous setting */
    bool everyone = eia ? eia->b : toksim_world_everyone_includes_anonymous(run->world);
    if ((rc = toksim_impersonate_anonymous_token(&ir, th, everyone, &r->trace)))
        return rc;
    ts_result_codes(r, ir.ok, ir.win32, ir.ntstatus, ir.hresult);
    if (!ir.ok) {
        summary_failed(run, r, "ImpersonateAnonymousToken");
        return TOKSIM_OK;
    }
    r->token = toksim_thread_token(th);
    r->has_level = true;
    r->level = ir.level;
    ts_summary(run,
               "ImpersonateAnonymousToken: the thread impersonates ANONYMOUS LOGON at %s "
               "level (Everyone %s)",
               toksim_imp_level_name(ir.level),
               eia && eia->b ? "included" : "not included");
    return TOKSIM_OK;
}
