/*
 * PURPOSE: AdjustTokenGroups (Learn AdjustTokenGroups): TOKEN_ADJUST_GROUPS on the
 * handle, ResetToDefault, enabling and disabling groups, the two refusals (a mandatory
 * group cannot be disabled: ERROR_CANT_DISABLE_MANDATORY 1310; a deny-only group cannot
 * be enabled: ERROR_CANT_ENABLE_DENY_ONLY 629) and the success-class
 * ERROR_NOT_ALL_ASSIGNED for SIDs the token does not hold as adjustable groups (the user
 * SID and the integrity label are not adjustable groups).
 *
 * Modelling choice (UNCONFIRMED): every entry is validated before any change, so a
 * refused entry leaves the token untouched. Left out: PreviousState, BufferLength.
 */
#include "imperson/imp_int.h"
#include "toksim/token_api.h"

static void emit_sid(toksim_status *st,
                     toksim_trace *trace,
                     toksim_rule rule,
                     toksim_verdict v,
                     const toksim_sid *sid,
                     const char *text,
                     uint32_t status)
{
    toksim_trace_event e = ts_imp_ev(rule, v);
    ts_imp_ev_sid2(&e, sid);
    if (text)
        ts_imp_ev_text(&e, text);
    e.status = status;
    ts_imp_emit(st, trace, &e);
}

/* The adjustable group entry for sid (not the integrity label), or NULL. */
static const toksim_group *adjustable(const toksim_token *t, const toksim_sid *sid)
{
    const toksim_group *g = toksim_token_find_group(t, sid);
    return g && !(g->attributes & TOKSIM_SE_GROUP_INTEGRITY) ? g : NULL;
}

static toksim_status set_enabled(toksim_token *t, const toksim_group *g, bool on)
{
    toksim_sid sid = g->sid;
    uint32_t a = on ? g->attributes | TOKSIM_SE_GROUP_ENABLED
                    : g->attributes & ~TOKSIM_SE_GROUP_ENABLED;
    return toksim_token_add_group(t, &sid, a); /* present: replaces the attributes */
}

static toksim_status reset(toksim_imp_result *out, toksim_token *t, toksim_trace *trace)
{
    toksim_status st = TOKSIM_OK;
    int64_t changed = 0;
    for (size_t i = 0; i < toksim_token_group_count(t); i++) {
        const toksim_group *g = toksim_token_group_at(t, i);
        if (g->attributes &
            (TOKSIM_SE_GROUP_INTEGRITY | TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY))
            continue;
        bool want = (g->attributes & TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT) != 0;
        if (want == ((g->attributes & TOKSIM_SE_GROUP_ENABLED) != 0))
            continue;
        toksim_status rc = set_enabled(t, g, want);
        if (rc != TOKSIM_OK)
            return rc;
        changed++;
    }
    toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_TOK_GROUPS_RESET, TOKSIM_V_CHANGE);
    e.a = changed;
    ts_imp_emit(&st, trace, &e);
    out->rule = TOKSIM_RULE_TOK_GROUPS_RESET;
    return st;
}

toksim_status toksim_adjust_token_groups(toksim_imp_result *out,
                                         toksim_token *token,
                                         uint32_t handle_access,
                                         bool reset_to_default,
                                         const toksim_group_change *changes,
                                         size_t count,
                                         toksim_trace *trace)
{
    if (!out || !token || (!reset_to_default && count && !changes))
        return TOKSIM_EINVAL;
    toksim_status st = TOKSIM_OK;
    memset(out, 0, sizeof *out);
    out->ok = true;
    if (!(handle_access & TOKSIM_TOKEN_ACCESS_ADJUST_GROUPS)) {
        toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_IMP_HANDLE_ACCESS, TOKSIM_V_DENY);
        e.mask = TOKSIM_TOKEN_ACCESS_ADJUST_GROUPS;
        return ts_imp_fail(out, TOKSIM_ERROR_ACCESS_DENIED, 0,
                           TOKSIM_RULE_IMP_HANDLE_ACCESS, &e, trace);
    }
    if (reset_to_default)
        return reset(out, token, trace);

    /* validate every entry first: one refusal and nothing changes */
    for (size_t i = 0; i < count; i++) {
        const toksim_group *g = adjustable(token, &changes[i].sid);
        if (!g)
            continue;
        uint32_t err = 0;
        toksim_rule rule = TOKSIM_RULE_NONE;
        if (!changes[i].enable && (g->attributes & TOKSIM_SE_GROUP_MANDATORY)) {
            err = TOKSIM_ERROR_CANT_DISABLE_MANDATORY;
            rule = TOKSIM_RULE_TOK_GROUPS_MANDATORY;
        } else if (changes[i].enable &&
                   (g->attributes & TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY)) {
            err = TOKSIM_ERROR_CANT_ENABLE_DENY_ONLY;
            rule = TOKSIM_RULE_TOK_GROUPS_DENY_ONLY;
        }
        if (err) {
            ts_imp_result_fail(out, err, toksim_win32_to_ntstatus(err), rule);
            emit_sid(&st, trace, rule, TOKSIM_V_DENY, &changes[i].sid, NULL, err);
            return st;
        }
    }
    int64_t not_assigned = 0;
    for (size_t i = 0; i < count; i++) {
        const toksim_group *g = adjustable(token, &changes[i].sid);
        if (!g) {
            not_assigned++;
            emit_sid(&st, trace, TOKSIM_RULE_TOK_GROUPS_NOT_HELD, TOKSIM_V_SKIP,
                     &changes[i].sid, NULL, 0);
            continue;
        }
        toksim_status rc = set_enabled(token, g, changes[i].enable);
        if (rc != TOKSIM_OK)
            return rc;
        emit_sid(&st, trace, TOKSIM_RULE_TOK_GROUPS_CHANGED, TOKSIM_V_CHANGE,
                 &changes[i].sid, changes[i].enable ? "enabled" : "disabled", 0);
    }
    if (not_assigned)
        ts_imp_not_all_assigned(out, TOKSIM_RULE_TOK_GROUPS_PARTIAL, not_assigned, &st,
                                trace);
    return st;
}
