/*
 * PURPOSE: AdjustTokenPrivileges (and the LookupPrivilegeValue step before it): enable,
 * disable, remove, DisableAllPrivileges, the success-class ERROR_NOT_ALL_ASSIGNED, and
 * the optional integrity minimum for enabling a privilege (windows-model §3.5,
 * UNCONFIRMED).
 *
 * Left out: PreviousState output, groups (AdjustTokenGroups).
 */
#include <stdlib.h>
#include "imperson/imp_int.h"

/*
 * §3.5 [NTUTILS] (secondary source, UNCONFIRMED): integrity a token needs to enable a
 * privilege. High for the "admin-equivalent" privileges, none for three harmless ones,
 * Medium for all others.
 */
static uint32_t privilege_min_integrity(uint32_t luid)
{
    switch (luid) {
    case TOKSIM_PRIV_CREATE_TOKEN:
    case TOKSIM_PRIV_TCB:
    case TOKSIM_PRIV_TAKE_OWNERSHIP:
    case TOKSIM_PRIV_LOAD_DRIVER:
    case TOKSIM_PRIV_BACKUP:
    case TOKSIM_PRIV_RESTORE:
    case TOKSIM_PRIV_DEBUG:
    case TOKSIM_PRIV_IMPERSONATE:
    case TOKSIM_PRIV_RELABEL:
    case TOKSIM_PRIV_DELEGATE_SESSION_USER_IMPERSONATE:
        return TOKSIM_IL_HIGH;
    case TOKSIM_PRIV_CHANGE_NOTIFY:
    case TOKSIM_PRIV_UNDOCK:
    case TOKSIM_PRIV_INCREASE_WORKING_SET:
        return TOKSIM_IL_UNTRUSTED;
    default:
        return TOKSIM_IL_MEDIUM;
    }
}

static void emit_priv(toksim_status *st,
                      toksim_trace *trace,
                      toksim_rule rule,
                      toksim_verdict v,
                      uint32_t luid)
{
    toksim_trace_event e = ts_imp_ev(rule, v);
    e.privilege = luid;
    ts_imp_emit(st, trace, &e);
}

toksim_status toksim_adjust_token_privileges(toksim_imp_result *out,
                                             toksim_token *token,
                                             uint32_t handle_access,
                                             bool disable_all,
                                             const toksim_priv_change *changes,
                                             size_t count,
                                             const toksim_imp_options *opts,
                                             toksim_trace *trace)
{
    if (!out || !token || (!disable_all && count && !changes))
        return TOKSIM_EINVAL;
    if (!disable_all && count > TOKSIM_PRIV_CHANGE_MAX)
        return TOKSIM_ELIMIT;
    const toksim_imp_options *o = ts_imp_opts(opts);
    toksim_status st = TOKSIM_OK;
    memset(out, 0, sizeof *out);
    out->ok = true;

    if (!(handle_access & TOKSIM_TOKEN_ACCESS_ADJUST_PRIVILEGES)) {
        toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_IMP_HANDLE_ACCESS, TOKSIM_V_DENY);
        e.mask = TOKSIM_TOKEN_ACCESS_ADJUST_PRIVILEGES;
        return ts_imp_fail(out, TOKSIM_ERROR_ACCESS_DENIED, 0,
                           TOKSIM_RULE_IMP_HANDLE_ACCESS, &e, trace);
    }

    if (disable_all) {
        /* set_privilege on a held LUID only changes its attributes: the order is stable
         */
        size_t n = toksim_token_privilege_count(token);
        for (size_t i = 0; i < n; i++) {
            uint32_t luid = 0, attrs = 0;
            if (!toksim_token_privilege_at(token, i, &luid, &attrs))
                break;
            if (attrs & TOKSIM_SE_PRIVILEGE_ENABLED) {
                toksim_status rc = toksim_token_set_privilege(
                    token, luid, attrs & ~TOKSIM_SE_PRIVILEGE_ENABLED);
                if (rc != TOKSIM_OK)
                    return rc;
            }
        }
        toksim_trace_event e =
            ts_imp_ev(TOKSIM_RULE_IMP_ADJ_DISABLE_ALL, TOKSIM_V_CHANGE);
        ts_imp_emit(&st, trace, &e);
        out->rule = TOKSIM_RULE_IMP_ADJ_DISABLE_ALL;
        return st;
    }

    /* LookupPrivilegeValue runs before the call: one unknown name and nothing changes
     * (§13.2) */
    for (size_t i = 0; i < count; i++) {
        if (changes[i].name && !toksim_privilege_by_name(changes[i].name)) {
            ts_imp_result_fail(out, TOKSIM_ERROR_NO_SUCH_PRIVILEGE, 0,
                               TOKSIM_RULE_IMP_ADJ_UNKNOWN);
            toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_IMP_ADJ_UNKNOWN, TOKSIM_V_DENY);
            ts_imp_ev_text(&e, changes[i].name);
            e.status = TOKSIM_ERROR_NO_SUCH_PRIVILEGE;
            ts_imp_emit(&st, trace, &e);
            return st;
        }
    }

    int64_t not_assigned = 0;
    for (size_t i = 0; i < count; i++) {
        uint32_t luid = changes[i].name
                            ? (uint32_t)toksim_privilege_by_name(changes[i].name)->luid
                            : changes[i].luid;
        int64_t cur = toksim_token_privilege(token, luid);
        if (cur < 0) { /* not held (or not a privilege at all): not assigned */
            not_assigned++;
            emit_priv(&st, trace, TOKSIM_RULE_IMP_ADJ_NOT_HELD, TOKSIM_V_SKIP, luid);
            continue;
        }
        uint32_t attrs = (uint32_t)cur;
        uint32_t want = changes[i].attributes;
        if (want & TOKSIM_SE_PRIVILEGE_REMOVED) {
            toksim_token_remove_privilege(token, luid);
            emit_priv(&st, trace, TOKSIM_RULE_IMP_ADJ_REMOVED, TOKSIM_V_CHANGE, luid);
        } else if (want & TOKSIM_SE_PRIVILEGE_ENABLED) {
            uint32_t min = privilege_min_integrity(luid);
            if (o->privilege_integrity_minimum && toksim_token_integrity(token) < min) {
                not_assigned++;
                toksim_trace_event e =
                    ts_imp_ev(TOKSIM_RULE_IMP_ADJ_INTEGRITY, TOKSIM_V_DENY);
                e.privilege = luid;
                e.a = toksim_token_integrity(token);
                e.b = min;
                ts_imp_emit(&st, trace, &e);
                continue;
            }
            toksim_status rc = toksim_token_set_privilege(
                token, luid, attrs | TOKSIM_SE_PRIVILEGE_ENABLED);
            if (rc != TOKSIM_OK)
                return rc;
            emit_priv(&st, trace, TOKSIM_RULE_IMP_ADJ_ENABLED, TOKSIM_V_CHANGE, luid);
        } else {
            toksim_status rc = toksim_token_set_privilege(
                token, luid, attrs & ~TOKSIM_SE_PRIVILEGE_ENABLED);
            if (rc != TOKSIM_OK)
                return rc;
            emit_priv(&st, trace, TOKSIM_RULE_IMP_ADJ_DISABLED, TOKSIM_V_CHANGE, luid);
        }
    }
    if (not_assigned)
        ts_imp_not_all_assigned(out, TOKSIM_RULE_IMP_ADJ_PARTIAL, not_assigned, &st,
                                trace);
    return st;
}
