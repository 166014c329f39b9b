/*
 * PURPOSE: scenario operations of the token API, translated onto token_api.h:
 * token.get_information (GetTokenInformation), token.restrict (CreateRestrictedToken),
 * token.is_restricted (IsTokenRestricted), token.check_membership (CheckTokenMembership),
 * privilege.check (PrivilegeCheck), token.set_integrity
 * (SetTokenInformation(TokenIntegrityLevel)) and process.create_as_user
 * (CreateProcessAsUser / CreateProcessWithTokenW). No Windows rule lives here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/ops_token_api.h"
#include "toksim/world.h"
#include "toksim/impersonate.h"
#include "toksim/token_api.h"
#include "scenario/model_int.h"
#include "scenario/ops_params.h"

#define TS_TOK_MAX_SIDS 64

static void from_imp(toksim_step_result *r, const toksim_imp_result *ir)
{
    ts_result_codes(r, ir->ok, ir->win32, ir->ntstatus, ir->hresult);
}

/* "failed: ERROR_X" or "" for the step summary. */
static const char *fail_text(char *buf, size_t n, const toksim_step_result *r)
{
    char ename[96];
    if (r->ok && !r->win32)
        return "";
    ts_result_error_name(ename, sizeof ename, r);
    snprintf(buf, n, "%s: %s", r->ok ? "succeeded" : "failed", ename);
    return buf;
}

/* The token access of a step's "access" (default TOKEN_ALL_ACCESS). */
static toksim_status
token_access(toksim_run *run, toksim_error *err, const ts_step *st, uint32_t *out)
{
    return ts_param_access(run, err, st, "access", TOKSIM_OBJ_TOKEN,
                           TOKSIM_TOKEN_ACCESS_ALL, out);
}

/* Resolve a list parameter of account names. */
static toksim_status resolve_sids(toksim_run *run,
                                  toksim_error *err,
                                  const ts_step *st,
                                  const char *key,
                                  toksim_sid *out,
                                  size_t *n)
{
    const ts_param *p = ts_step_param(st, key);
    *n = 0;
    for (size_t i = 0; p && i < p->nlist; i++) {
        if (*n >= TS_TOK_MAX_SIDS)
            return ts_param_fail(run, err, st, key, TOKSIM_ELIMIT,
                                 "%s: more than %d SIDs", key, TS_TOK_MAX_SIDS);
        toksim_status rc = ts_param_sid(run, err, st, key, p->list[i], &out[*n]);
        if (rc)
            return rc;
        (*n)++;
    }
    return TOKSIM_OK;
}

/* Resolve a list parameter of privilege names. */
static toksim_status resolve_privs(toksim_run *run,
                                   toksim_error *err,
                                   const ts_step *st,
                                   const char *key,
                                   uint32_t *out,
                                   size_t *n)
{
    const ts_param *p = ts_step_param(st, key);
    *n = 0;
    for (size_t i = 0; p && i < p->nlist; i++) {
        const toksim_privilege_info *pi = toksim_privilege_by_name(p->list[i]);
        if (!pi)
            return ts_param_fail(
                run, err, st, key, TOKSIM_ENOTFOUND,
                "%s: unknown privilege \"%.80s\" (expected a name such as "
                "\"SeImpersonatePrivilege\")",
                key, p->list[i]);
        if (*n >= TS_TOK_MAX_SIDS)
            return ts_param_fail(run, err, st, key, TOKSIM_ELIMIT,
                                 "%s: more than %d privileges", key, TS_TOK_MAX_SIDS);
        out[(*n)++] = (uint32_t)pi->luid;
    }
    return TOKSIM_OK;
}

toksim_status ts_op_token_get_info(toksim_run *run,
                                   const ts_step *st,
                                   toksim_step_result *r,
                                   toksim_error *err)
{
    const toksim_token *tok;
    toksim_status rc = ts_lookup_token(run, err, ts_step_str(st, "token"), &tok, NULL);
    if (rc)
        return rc;
    uint32_t access;
    if ((rc = token_access(run, err, st, &access)))
        return rc;
    r->token = tok;
    const char *cname = ts_step_str(st, "class");
    if (!cname) {
        r->ok = true;
        ts_summary(run, "GetTokenInformation on the token of %s",
                   ts_step_str(st, "token"));
        return TOKSIM_OK;
    }
    toksim_token_info_class cls;
    if (!toksim_token_info_class_parse(&cls, cname))
        return ts_param_fail(
            run, err, st, "class", TOKSIM_EPARSE,
            "class \"%.60s\": expected a TOKEN_INFORMATION_CLASS name such "
            "as TokenUser, TokenElevationType or TokenLinkedToken",
            cname);
    toksim_token_handle h = {tok, access};
    toksim_token_info info;
    if ((rc = toksim_token_query(&info, &h, cls, NULL, ts_run_model(run), &r->trace)))
        return rc;
    from_imp(r, &info.call);
    toksim_token_info_dispose(&info);
    char buf[128];
    ts_summary(run, "GetTokenInformation(%s) %s", cname,
               r->ok ? "succeeded" : fail_text(buf, sizeof buf, r));
    return TOKSIM_OK;
}

static toksim_status
parse_flags(toksim_run *run, toksim_error *err, const ts_step *st, uint32_t *flags)
{
    static const struct {
        const char *name;
        uint32_t bit;
    } names[] = {{"DISABLE_MAX_PRIVILEGE", TOKSIM_DISABLE_MAX_PRIVILEGE},
                 {"SANDBOX_INERT", TOKSIM_SANDBOX_INERT},
                 {"LUA_TOKEN", TOKSIM_LUA_TOKEN},
                 {"WRITE_RESTRICTED", TOKSIM_WRITE_RESTRICTED}};
    const ts_param *p = ts_step_param(st, "flags");
    *flags = 0;
    for (size_t i = 0; p && i < p->nlist; i++) {
        bool found = false;
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
            if (strcmp(p->list[i], names[k].name) == 0) {
                *flags |= names[k].bit;
                found = true;
            }
        if (!found)
            return ts_param_fail(run, err, st, "flags", TOKSIM_EPARSE,
                                 "flags: \"%.60s\": expected DISABLE_MAX_PRIVILEGE, "
                                 "SANDBOX_INERT, LUA_TOKEN or WRITE_RESTRICTED",
                                 p->list[i]);
    }
    return TOKSIM_OK;
}

toksim_status ts_op_token_restrict(toksim_run *run,
                                   const ts_step *st,
                                   toksim_step_result *r,
                                   toksim_error *err)
{
    const toksim_token *src;
    toksim_status rc = ts_lookup_token(run, err, ts_step_str(st, "token"), &src, NULL);
    if (rc)
        return rc;
    toksim_sid dis[TS_TOK_MAX_SIDS], res[TS_TOK_MAX_SIDS];
    uint32_t del[TS_TOK_MAX_SIDS], access;
    toksim_restrict_request req;
    memset(&req, 0, sizeof req);
    if ((rc = resolve_sids(run, err, st, "disable", dis, &req.ndisable)) ||
        (rc = resolve_sids(run, err, st, "restrict", res, &req.nrestrict)) ||
        (rc = resolve_privs(run, err, st, "delete_privileges", del, &req.ndelete)) ||
        (rc = parse_flags(run, err, st, &req.flags)) ||
        (rc = token_access(run, err, st, &access)))
        return rc;
    req.disable = dis;
    req.restrict_sids = res;
    req.delete_privs = del;
    toksim_token_handle h = {src, access};
    toksim_imp_result ir;
    toksim_token *made = NULL;
    if ((rc = toksim_create_restricted_token(&ir, &made, &h, &req, &r->trace)))
        return rc;
    from_imp(r, &ir);
    if (!ir.ok) {
        char buf[128];
        ts_summary(run, "CreateRestrictedToken %s", fail_text(buf, sizeof buf, r));
        return TOKSIM_OK;
    }
    ts_named *n;
    if ((rc = ts_named_add(run, err, ts_step_str(st, "as"), TS_N_TOKEN, "token", &n))) {
        toksim_token_free(made);
        return rc;
    }
    n->token = made;
    r->token = made;
    ts_summary(run,
               "CreateRestrictedToken made a %s token: %zu deny-only, %zu restricting "
               "SIDs",
               toksim_token_is_restricted(made) ? "restricted" : "filtered", req.ndisable,
               req.nrestrict);
    return TOKSIM_OK;
}

toksim_status ts_op_token_is_restricted(toksim_run *run,
                                        const ts_step *st,
                                        toksim_step_result *r,
                                        toksim_error *err)
{
    const toksim_token *tok;
    toksim_status rc = ts_lookup_token(run, err, ts_step_str(st, "token"), &tok, NULL);
    if (rc)
        return rc;
    /* IsTokenRestricted = GetTokenInformation(TokenRestrictedSids) count != 0 */
    toksim_token_handle h = {tok, TOKSIM_TOKEN_ACCESS_QUERY};
    toksim_token_info info;
    if ((rc = toksim_token_query(&info, &h, TOKSIM_TIC_HAS_RESTRICTIONS, NULL,
                                 ts_run_model(run), &r->trace)))
        return rc;
    r->ok = true;
    r->token = tok;
    r->has_answer = true;
    r->answer = toksim_token_is_restricted(tok);
    ts_summary(run, "IsTokenRestricted returns %s", r->answer ? "TRUE" : "FALSE");
    return TOKSIM_OK;
}

toksim_status ts_op_token_check_membership(toksim_run *run,
                                           const ts_step *st,
                                           toksim_step_result *r,
                                           toksim_error *err)
{
    const char *tname = ts_step_str(st, "token"), *thname = ts_step_str(st, "thread");
    if (!tname == !thname)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "token.check_membership needs \"token\" (a handle) or "
                           "\"thread\" (TokenHandle NULL), not both");
    toksim_sid sid;
    const char *sname = ts_step_str(st, "sid");
    toksim_status rc = ts_param_sid(run, err, st, "sid", sname, &sid);
    if (rc)
        return rc;
    toksim_imp_result ir;
    bool member = false;
    if (thname) {
        toksim_thread *th;
        if ((rc = ts_lookup_thread(run, err, thname, &th)))
            return rc;
        rc = toksim_check_token_membership(&ir, &member, th, NULL, &sid, &r->trace);
        r->token = toksim_thread_effective_token(th);
    } else {
        const toksim_token *tok;
        uint32_t access;
        if ((rc = ts_lookup_token(run, err, tname, &tok, NULL)) ||
            (rc = token_access(run, err, st, &access)))
            return rc;
        toksim_token_handle h = {tok, access};
        rc = toksim_check_token_membership(&ir, &member, NULL, &h, &sid, &r->trace);
        r->token = tok;
    }
    if (rc)
        return rc;
    from_imp(r, &ir);
    r->has_answer = true;
    r->answer = member;
    char buf[128];
    if (ir.ok)
        ts_summary(run, "CheckTokenMembership(%s): IsMember = %s", sname,
                   member ? "TRUE" : "FALSE");
    else
        ts_summary(run, "CheckTokenMembership %s", fail_text(buf, sizeof buf, r));
    return TOKSIM_OK;
}

toksim_status ts_op_privilege_check(toksim_run *run,
                                    const ts_step *st,
                                    toksim_step_result *r,
                                    toksim_error *err)
{
    const toksim_token *tok;
    toksim_status rc = ts_lookup_token(run, err, ts_step_str(st, "token"), &tok, NULL);
    if (rc)
        return rc;
    uint32_t luids[TS_TOK_MAX_SIDS], access;
    size_t n = 0;
    if ((rc = resolve_privs(run, err, st, "privileges", luids, &n)) ||
        (rc = token_access(run, err, st, &access)))
        return rc;
    const ts_param *all = ts_step_param(st, "require_all");
    toksim_token_handle h = {tok, access};
    toksim_imp_result ir;
    bool result = false;
    if ((rc = toksim_privilege_check(&ir, &result, &h, luids, n, !all || all->b, NULL,
                                     &r->trace)))
        return rc;
    from_imp(r, &ir);
    r->token = tok;
    r->has_answer = true;
    r->answer = result;
    char buf[128];
    if (ir.ok)
        ts_summary(run, "PrivilegeCheck: pfResult = %s", result ? "TRUE" : "FALSE");
    else
        ts_summary(run, "PrivilegeCheck %s", fail_text(buf, sizeof buf, r));
    return TOKSIM_OK;
}

toksim_status ts_op_token_set_integrity(toksim_run *run,
                                        const ts_step *st,
                                        toksim_step_result *r,
                                        toksim_error *err)
{
    const char *tname = ts_step_str(st, "token"), *lname = ts_step_str(st, "level");
    const toksim_token *tok;
    toksim_token *mut;
    toksim_status rc = ts_lookup_token(run, err, tname, &tok, &mut);
    if (rc)
        return rc;
    uint32_t rid, access;
    if (!toksim_integrity_parse(lname, &rid))
        return ts_param_fail(
            run, err, st, "level", TOKSIM_EPARSE,
            "level \"%.40s\": expected Untrusted, Low, Medium, Medium Plus, "
            "High, System or an S-1-16-<rid> SID",
            lname);
    if ((rc = token_access(run, err, st, &access)))
        return rc;
    const char *cname = ts_step_str(st, "caller");
    const toksim_token *caller = tok;
    if (cname && (rc = ts_lookup_effective(run, err, cname, &caller)))
        return rc;
    toksim_imp_result ir;
    if ((rc = toksim_set_token_integrity(&ir, mut, access, rid, caller, NULL, &r->trace)))
        return rc;
    from_imp(r, &ir);
    r->token = tok;
    char buf[128];
    if (ir.ok)
        ts_summary(run, "SetTokenInformation(TokenIntegrityLevel): the token is now %s",
                   toksim_integrity_name(rid) ? toksim_integrity_name(rid) : lname);
    else
        ts_summary(run, "SetTokenInformation(TokenIntegrityLevel) %s",
                   fail_text(buf, sizeof buf, r));
    return TOKSIM_OK;
}

toksim_status ts_op_process_create_as_user(toksim_run *run,
                                           const ts_step *st,
                                           toksim_step_result *r,
                                           toksim_error *err)
{
    toksim_thread *caller;
    toksim_status rc = ts_lookup_thread(run, err, ts_step_str(st, "caller"), &caller);
    if (rc)
        return rc;
    const toksim_token *tok;
    uint32_t access;
    if ((rc = ts_lookup_token(run, err, ts_step_str(st, "token"), &tok, NULL)) ||
        (rc = token_access(run, err, st, &access)))
        return rc;
    const char *api = ts_step_str(st, "api");
    toksim_create_process_api which = TOKSIM_CREATE_PROCESS_AS_USER;
    if (api && ts_strcasecmp(api, "CreateProcessWithTokenW") == 0)
        which = TOKSIM_CREATE_PROCESS_WITH_TOKEN;
    else if (api && ts_strcasecmp(api, "CreateProcessAsUser") != 0)
        return ts_param_fail(run, err, st, "api", TOKSIM_EPARSE,
                             "api \"%.40s\": expected CreateProcessAsUser or "
                             "CreateProcessWithTokenW",
                             api);
    const char *apiname = which == TOKSIM_CREATE_PROCESS_AS_USER
                              ? "CreateProcessAsUser"
                              : "CreateProcessWithTokenW";
    toksim_token_handle h = {tok, access};
    toksim_imp_result ir;
    toksim_process *proc = NULL;
    if ((rc = toksim_create_process_with_token(&ir, &proc, caller, &h, which, NULL,
                                               &r->trace)))
        return rc;
    from_imp(r, &ir);
    r->token = tok;
    if (!ir.ok) {
        char buf[128];
        ts_summary(run, "%s %s", apiname, fail_text(buf, sizeof buf, r));
        return TOKSIM_OK;
    }
    /* register the process under "as" as process.start does */
    ts_named *n;
    const toksim_token *primary = toksim_process_token(proc);
    rc = ts_make_process(run, err, ts_step_str(st, "as"), "process", primary, &n);
    toksim_process_free(proc);
    if (rc)
        return rc;
    r->token = toksim_process_token(n->proc);
    char uname[160];
    ts_run_sid_name(uname, sizeof uname, run, toksim_token_user(r->token));
    const char *image = ts_step_str(st, "image");
    ts_summary(run, "%s started %s as %s (%s integrity)", apiname,
               image ? image : ts_step_str(st, "as"), uname,
               toksim_integrity_name(toksim_token_integrity(r->token))
                   ? toksim_integrity_name(toksim_token_integrity(r->token))
                   : "unlabelled");
    return TOKSIM_OK;
}
