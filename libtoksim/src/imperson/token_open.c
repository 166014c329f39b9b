/*
 * PURPOSE: token objects as the Win32/native token API opens and copies them:
 * OpenThreadToken and OpenProcessToken with a desired access checked against the token
 * object's own security descriptor (its default DACL), the rights the new handle holds,
 * NtDuplicateToken with or without a SECURITY_QUALITY_OF_SERVICE, and the EffectiveOnly
 * filter (windows-model §1.5-1.7, §2.5; Learn NtDuplicateToken; Wine advapi32
 * test_impersonation_level, kernel32 pipe.c test_impersonation).
 *
 * The object's SACL holds one mandatory label: the token's own integrity level,
 * no-write-up, flags 0 (Wine advapi32 test_token_label, test_child_token_sd, run on
 * Windows); with the Token type's mapping (core/mapping.inc) a lower-integrity caller
 * keeps TOKEN_QUERY/QUERY_SOURCE/DUPLICATE and TOKEN_IMPERSONATE/ASSIGN_PRIMARY.
 *
 * Left out: PROCESS_QUERY_INFORMATION on the process handle, another thread as the target
 * of OpenThreadToken (the caller opens its own thread's token), audit ACEs.
 */
#include <stdlib.h>
#include "imperson/imp_int.h"

toksim_status toksim_token_object_sd(toksim_sd **out, const toksim_token *tok)
{
    if (!out)
        return TOKSIM_EINVAL;
    *out = NULL;
    if (!tok)
        return TOKSIM_EINVAL;
    toksim_sd *sd = NULL;
    toksim_status rc = toksim_sd_new(&sd);
    if (rc != TOKSIM_OK)
        return rc;
    const toksim_sid *owner = toksim_token_owner(tok),
                     *group = toksim_token_primary_group(tok);
    sd->has_owner = true;
    sd->owner = owner ? *owner : *toksim_token_user(tok);
    sd->has_group = true;
    sd->group = group ? *group : sd->owner;
    sd->control |= TOKSIM_SE_DACL_PRESENT;
    const toksim_acl *dd = toksim_token_default_dacl(tok);
    if (dd) {
        rc = toksim_acl_copy(&sd->dacl, dd);
    } else {
        /* the pair the logon path gives every token: owner and SYSTEM, GENERIC_ALL */
        toksim_sid sys;
        rc = toksim_sid_resolve(&sys, "SY", NULL, NULL);
        if (rc == TOKSIM_OK)
            rc = toksim_acl_new(&sd->dacl);
        if (rc == TOKSIM_OK)
            rc = toksim_acl_add(sd->dacl, TOKSIM_ACE_ACCESS_ALLOWED, 0,
                                TOKSIM_GENERIC_ALL, &sd->owner);
        if (rc == TOKSIM_OK && !toksim_sid_equal(&sd->owner, &sys))
            rc = toksim_acl_add(sd->dacl, TOKSIM_ACE_ACCESS_ALLOWED, 0,
                                TOKSIM_GENERIC_ALL, &sys);
    }
    /* The label: S-1-16-<the token's IL>, SYSTEM_MANDATORY_LABEL_NO_WRITE_UP, no flags.
     */
    uint32_t il = toksim_token_integrity(tok);
    toksim_sid label;
    if (rc == TOKSIM_OK)
        rc = toksim_sid_make(&label, 16, &il, 1); /* SECURITY_MANDATORY_LABEL_AUTHORITY */
    if (rc == TOKSIM_OK)
        rc = toksim_acl_new(&sd->sacl);
    if (rc == TOKSIM_OK)
        rc = toksim_acl_add(sd->sacl, TOKSIM_ACE_SYSTEM_MANDATORY_LABEL, 0,
                            TOKSIM_MANDATORY_NO_WRITE_UP, &label);
    if (rc != TOKSIM_OK) {
        toksim_sd_free(sd);
        return rc;
    }
    /* GetSecurityDescriptorControl of a token's label: SACL_PRESENT|SACL_AUTO_INHERITED
     * (Wine test_token_label). */
    sd->control |= TOKSIM_SE_SACL_PRESENT | TOKSIM_SE_SACL_AUTO_INHERITED;
    *out = sd;
    return TOKSIM_OK;
}

/* Note where the token object's SD came from (only when it is the default one). */
static void emit_default_sd(toksim_status *st, toksim_trace *trace, const toksim_token *t)
{
    toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_IMP_TOKEN_OBJECT_SD, TOKSIM_V_INFO);
    ts_imp_ev_sid(&e, toksim_token_owner(t));
    ts_imp_ev_sid2(&e, toksim_token_user(t));
    ts_imp_emit(st, trace, &e);
}

/* A caller below the token's label: the label decides which rights can pass. */
static void emit_label(toksim_status *st,
                       toksim_trace *trace,
                       const toksim_token *t,
                       const toksim_token *subject)
{
    uint32_t caller_il = subject ? toksim_token_integrity(subject) : 0,
             token_il = toksim_token_integrity(t);
    if (!subject || caller_il >= token_il)
        return;
    toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_IMP_TOKEN_OBJECT_LABEL, TOKSIM_V_INFO);
    ts_imp_ev_sid2(&e, toksim_token_user(t));
    e.a = caller_il;
    e.b = token_il;
    ts_imp_emit(st, trace, &e);
}

static void emit_granted(toksim_status *st,
                         toksim_trace *trace,
                         const toksim_token *t,
                         uint32_t granted)
{
    toksim_trace_event e =
        ts_imp_ev(TOKSIM_RULE_IMP_TOKEN_HANDLE_GRANTED, TOKSIM_V_GRANT);
    ts_imp_ev_sid2(&e, toksim_token_user(t));
    e.mask = granted;
    ts_imp_emit(st, trace, &e);
}

/* The token object open: `subject` asks for `desired` on the object of token `t`. */
static toksim_status check_token_object(toksim_token_open_result *out,
                                        const toksim_token *t,
                                        const toksim_token *subject,
                                        uint32_t desired,
                                        const toksim_sd *token_sd,
                                        bool *granted_ok,
                                        toksim_trace *trace)
{
    toksim_status st = TOKSIM_OK;
    *granted_ok = false;
    toksim_sd *own = NULL;
    if (!token_sd) {
        toksim_status rc = toksim_token_object_sd(&own, t);
        if (rc != TOKSIM_OK)
            return rc;
        emit_default_sd(&st, trace, t);
        token_sd = own;
        emit_label(&st, trace, t, subject);
    }
    toksim_access_request req;
    memset(&req, 0, sizeof req);
    req.desired = desired;
    req.mode = TOKSIM_ACCESS_OPEN;
    req.object_type = TOKSIM_OBJ_TOKEN;
    toksim_access_result ar;
    if (trace)
        trace->depth++;
    toksim_status rc = toksim_access_check(&ar, token_sd, subject, &req, trace);
    if (trace)
        trace->depth--;
    toksim_sd_free(own);
    if (rc != TOKSIM_OK)
        return rc;
    if (!ar.api_ok || !ar.granted_all) {
        toksim_trace_event ev = ts_imp_ev(TOKSIM_RULE_NONE, TOKSIM_V_DENY);
        ev.mask = desired;
        ts_imp_ev_text(&ev, "the token object");
        rc = ts_imp_fail(&out->api, ar.win32 ? ar.win32 : TOKSIM_ERROR_ACCESS_DENIED,
                         ar.ntstatus, TOKSIM_RULE_IMP_OPEN_RESULT, &ev, trace);
        return st != TOKSIM_OK ? st : rc;
    }
    out->granted = ar.granted;
    *granted_ok = true;
    return st;
}

/* OpenThreadToken; check_sd false keeps the old contract of toksim_open_thread_token
 * (token_sd NULL = no access check, the handle gets what was asked). */
static toksim_status open_thread_token(toksim_token_open_result *out,
                                       toksim_token **out_token,
                                       const toksim_thread *thread,
                                       uint32_t desired,
                                       bool open_as_self,
                                       const toksim_sd *token_sd,
                                       bool check_sd,
                                       toksim_trace *trace)
{
    if (!out || !out_token)
        return TOKSIM_EINVAL;
    *out_token = NULL;
    if (!thread)
        return TOKSIM_EINVAL;
    memset(out, 0, sizeof *out);
    ts_imp_result_reset(&out->api, thread);
    toksim_trace_event ev = ts_imp_ev(TOKSIM_RULE_NONE, TOKSIM_V_INFO);
    const toksim_token *imp = thread->imp;
    if (!imp) /* §1.7, I13, I21 */
        return ts_imp_fail(&out->api, TOKSIM_ERROR_NO_TOKEN, 0,
                           TOKSIM_RULE_IMP_OPEN_NO_TOKEN, &ev, trace);
    toksim_imp_level level = toksim_token_level(imp);
    if (level == TOKSIM_IMP_ANONYMOUS) /* I14: even with OpenAsSelf [WINE-SEC] */
        return ts_imp_fail(&out->api, TOKSIM_ERROR_CANT_OPEN_ANONYMOUS, 0,
                           TOKSIM_RULE_IMP_OPEN_ANONYMOUS, &ev, trace);
    toksim_status st = TOKSIM_OK;
    const toksim_token *subject = imp;
    if (open_as_self) {
        /* §1.6: impersonation is disabled for the open; the process token is the subject
         */
        subject = thread->proc->primary;
        toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_IMP_OPEN_AS_SELF, TOKSIM_V_INFO);
        ts_imp_ev_sid(&e, toksim_token_user(subject));
        ts_imp_emit(&st, trace, &e);
    } else if (level < TOKSIM_IMP_IMPERSONATION) {
        /* I15: the token object is opened under the Identify-level token itself */
        ev.a = level;
        ts_imp_ev_text(&ev, "the thread token");
        toksim_status rc = ts_imp_fail(&out->api, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL,
                                       TOKSIM_STATUS_BAD_IMPERSONATION_LEVEL,
                                       TOKSIM_RULE_IMP_OPEN_BAD_LEVEL, &ev, trace);
        return st != TOKSIM_OK ? st : rc;
    }
    out->granted = desired;
    if (check_sd || token_sd) {
        bool ok;
        toksim_status rc =
            check_token_object(out, imp, subject, desired, token_sd, &ok, trace);
        if (rc != TOKSIM_OK || !ok)
            return st != TOKSIM_OK ? st : rc;
    }
    toksim_status rc = toksim_token_copy(out_token, imp);
    if (rc != TOKSIM_OK)
        return rc;
    out->api.rule = TOKSIM_RULE_IMP_OPEN_RESULT;
    toksim_trace_event done = ts_imp_ev(TOKSIM_RULE_IMP_OPEN_RESULT, TOKSIM_V_GRANT);
    ts_imp_ev_sid(&done, toksim_token_user(imp));
    ts_imp_ev_text(&done, "the thread token");
    ts_imp_emit(&st, trace, &done);
    if (check_sd)
        emit_granted(&st, trace, imp, out->granted);
    return st;
}

toksim_status toksim_open_thread_token(toksim_imp_result *out,
                                       toksim_token **out_token,
                                       const toksim_thread *thread,
                                       uint32_t desired,
                                       bool open_as_self,
                                       const toksim_sd *token_sd,
                                       toksim_trace *trace)
{
    if (!out)
        return TOKSIM_EINVAL;
    toksim_token_open_result r;
    toksim_status rc = open_thread_token(&r, out_token, thread, desired, open_as_self,
                                         token_sd, false, trace);
    *out = r.api;
    return rc;
}

toksim_status toksim_open_thread_token_handle(toksim_token_open_result *out,
                                              toksim_token **out_token,
                                              const toksim_thread *target,
                                              uint32_t desired,
                                              bool open_as_self,
                                              const toksim_sd *token_sd,
                                              toksim_trace *trace)
{
    return open_thread_token(out, out_token, target, desired, open_as_self, token_sd,
                             true, trace);
}

toksim_status toksim_open_process_token(toksim_token_open_result *out,
                                        toksim_token **out_token,
                                        const toksim_thread *caller,
                                        const toksim_process *target,
                                        uint32_t desired,
                                        const toksim_sd *token_sd,
                                        toksim_trace *trace)
{
    if (!out || !out_token)
        return TOKSIM_EINVAL;
    *out_token = NULL;
    if (!caller || !target)
        return TOKSIM_EINVAL;
    memset(out, 0, sizeof *out);
    ts_imp_result_reset(&out->api, caller);
    const toksim_token *t = target->primary;
    toksim_status st = TOKSIM_OK;
    toksim_sd *own = NULL;
    if (!token_sd) {
        toksim_status rc = toksim_token_object_sd(&own, t);
        if (rc != TOKSIM_OK)
            return rc;
        emit_default_sd(&st, trace, t);
        emit_label(&st, trace, t, toksim_thread_effective_token(caller));
        token_sd = own;
    }
    /* a kernel open with the caller's effective token: below Impersonation it fails
     * with 1346 before the check (§1.5), else the token object's DACL decides */
    toksim_open_request req;
    memset(&req, 0, sizeof req);
    req.sd = token_sd;
    req.name = "the process token";
    req.access.desired = desired;
    req.access.object_type = TOKSIM_OBJ_TOKEN;
    toksim_open_result orr;
    toksim_status rc = toksim_thread_open_object(&orr, caller, &req, trace);
    toksim_sd_free(own);
    if (rc != TOKSIM_OK)
        return rc;
    if (!orr.ok) {
        ts_imp_result_fail(&out->api, orr.win32, orr.ntstatus,
                           TOKSIM_RULE_IMP_OPEN_RESULT);
        return st;
    }
    if ((rc = toksim_token_copy(out_token, t)) != TOKSIM_OK)
        return rc;
    out->granted = orr.granted;
    out->api.rule = TOKSIM_RULE_IMP_OPEN_RESULT;
    emit_granted(&st, trace, t, orr.granted);
    return st;
}

/* ---- NtDuplicateToken and EffectiveOnly ---- */

toksim_status toksim_token_effective_only(toksim_token *tok, toksim_trace *trace)
{
    if (!tok)
        return TOKSIM_EINVAL;
    int64_t nprivs = 0, ngroups = 0;
    for (size_t i = toksim_token_privilege_count(tok); i-- > 0;) {
        uint32_t luid, attrs;
        if (toksim_token_privilege_at(tok, i, &luid, &attrs) &&
            !(attrs & TOKSIM_SE_PRIVILEGE_ENABLED)) {
            toksim_token_remove_privilege(tok, luid);
            nprivs++;
        }
    }
    const uint32_t keep = TOKSIM_SE_GROUP_ENABLED | TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY |
                          TOKSIM_SE_GROUP_INTEGRITY;
    for (size_t i = toksim_token_group_count(tok); i-- > 0;) {
        const toksim_group *g = toksim_token_group_at(tok, i);
        if (g && !(g->attributes & keep)) {
            toksim_sid sid = g->sid;
            if (toksim_token_remove_group(tok, &sid) == TOKSIM_OK)
                ngroups++;
        }
    }
    toksim_status st = TOKSIM_OK;
    toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_IMP_EFFECTIVE_ONLY,
                                     nprivs || ngroups ? TOKSIM_V_CHANGE : TOKSIM_V_INFO);
    ts_imp_ev_sid2(&e, toksim_token_user(tok));
    e.a = nprivs;
    e.b = ngroups;
    ts_imp_emit(&st, trace, &e);
    return st;
}

toksim_status toksim_nt_duplicate_token(toksim_imp_result *out,
                                        toksim_token **out_token,
                                        const toksim_token_handle *src,
                                        const toksim_nt_duplicate_request *req,
                                        toksim_trace *trace)
{
    if (!out || !out_token)
        return TOKSIM_EINVAL;
    *out_token = NULL;
    if (!src || !src->token || !req)
        return TOKSIM_EINVAL;
    toksim_status st = TOKSIM_OK;
    toksim_imp_level level = req->qos_level;
    if (!req->has_qos) {
        bool src_imp = toksim_token_type_of(src->token) == TOKSIM_TOKEN_IMPERSONATION;
        /* Learn NtDuplicateToken: no QoS = the existing token's level; a primary source
         * has none, the level then is a model choice (UNCONFIRMED) */
        level = src_imp ? toksim_token_level(src->token) : req->no_qos_primary_level;
        toksim_trace_event e = ts_imp_ev(src_imp || req->type == TOKSIM_TOKEN_PRIMARY
                                             ? TOKSIM_RULE_IMP_NTDUP_NO_QOS
                                             : TOKSIM_RULE_IMP_NTDUP_NO_QOS_PRIMARY,
                                         TOKSIM_V_INFO);
        e.a = level;
        ts_imp_emit(&st, trace, &e);
    }
    toksim_status rc =
        toksim_duplicate_token_ex(out, out_token, src, req->type, level, trace);
    if (rc != TOKSIM_OK)
        return rc;
    if (!out->ok) {
        if (!out->ntstatus)
            out->ntstatus = toksim_win32_to_ntstatus(out->win32);
        return st;
    }
    if (req->effective_only && (rc = toksim_token_effective_only(*out_token, trace))) {
        toksim_token_free(*out_token);
        *out_token = NULL;
        return rc;
    }
    return st;
}
