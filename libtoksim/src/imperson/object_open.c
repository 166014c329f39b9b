/*
 * PURPOSE: opening a securable object from a thread: the effective token (windows-model
 * §0.1), the kernel's refusal of impersonation tokens below SecurityImpersonation (§1.5:
 * Identify- and Anonymous-level tokens cannot open objects;
 * STATUS_BAD_IMPERSONATION_LEVEL 0xC00000A5 / ERROR_BAD_IMPERSONATION_LEVEL 1346 /
 * 0x80070542), then the access check in TOKSIM_ACCESS_OPEN mode against the object's
 * security descriptor.
 *
 * Anonymous level: Windows' kernel test is "level < SecurityImpersonation" [ROS-ACC
 * SeAccessCheck], which covers Anonymous too; Wine's test (run on Windows) sees
 * ERROR_INVALID_HANDLE when opening the predefined HKCU key under either level, because
 * the registry surfaces the failure of opening the user hive differently. That registry
 * detail is not modelled: every open reports 1346.
 */
#include "imperson/imp_int.h"

toksim_status toksim_thread_open_object(toksim_open_result *out,
                                        const toksim_thread *thread,
                                        const toksim_open_request *req,
                                        toksim_trace *trace)
{
    if (!out || !thread || !req || !req->sd)
        return TOKSIM_EINVAL;
    memset(out, 0, sizeof *out);
    toksim_status st = TOKSIM_OK;
    const toksim_token *imp = thread->imp;
    const toksim_token *eff = imp ? imp : thread->proc->primary;
    const char *name = req->name ? req->name : "the object";

    toksim_trace_event e = ts_imp_ev(imp ? TOKSIM_RULE_IMP_OPEN_EFFECTIVE
                                         : TOKSIM_RULE_IMP_OPEN_PROCESS_TOKEN,
                                     TOKSIM_V_INFO);
    ts_imp_ev_text(&e, name);
    if (imp) {
        out->used_thread_token = true;
        out->level = toksim_token_level(imp);
        ts_imp_ev_sid2(&e, toksim_token_user(imp));
        e.a = out->level;
    } else {
        ts_imp_ev_sid(&e, toksim_token_user(eff));
    }
    ts_imp_emit(&st, trace, &e);

    if (imp && out->level < TOKSIM_IMP_IMPERSONATION) {
        out->win32 = TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL;
        out->ntstatus = TOKSIM_STATUS_BAD_IMPERSONATION_LEVEL;
        out->hresult = toksim_hresult_from_win32(out->win32);
        toksim_trace_event d = ts_imp_ev(TOKSIM_RULE_IMP_OPEN_BAD_LEVEL, TOKSIM_V_DENY);
        ts_imp_ev_text(&d, name);
        d.a = out->level;
        d.b = TOKSIM_IMP_IMPERSONATION;
        d.status = out->win32;
        ts_imp_emit(&st, trace, &d);
        return st;
    }

    toksim_access_request areq = req->access;
    areq.mode = TOKSIM_ACCESS_OPEN;
    if (trace)
        trace->depth++;
    toksim_status rc = toksim_access_check(&out->access, req->sd, eff, &areq, trace);
    if (trace)
        trace->depth--;
    if (rc != TOKSIM_OK)
        return rc;
    if (out->access.api_ok && out->access.granted_all) {
        out->ok = true;
        out->granted = out->access.granted;
    } else {
        out->ntstatus =
            out->access.ntstatus ? out->access.ntstatus : TOKSIM_STATUS_ACCESS_DENIED;
        out->win32 = out->access.win32 ? out->access.win32 : TOKSIM_ERROR_ACCESS_DENIED;
        out->hresult = toksim_hresult_from_win32(out->win32);
    }
    toksim_trace_event r =
        ts_imp_ev(TOKSIM_RULE_IMP_OPEN_RESULT, out->ok ? TOKSIM_V_GRANT : TOKSIM_V_DENY);
    ts_imp_ev_text(&r, name);
    r.mask = out->ok ? out->granted : areq.desired;
    r.status = out->win32;
    ts_imp_emit(&st, trace, &r);
    return st;
}
