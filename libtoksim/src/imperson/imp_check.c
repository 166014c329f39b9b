/*
 * PURPOSE: the kernel permission test applied when a token is put on a thread
 * (windows-model §2.2, known publicly as SeTokenCanImpersonate) and the silent downgrade
 * that replaces a refusal (§2.3), plus the trace-event helpers of the layer.
 *
 * Modelled: steps 1, 2, 4, 5, 6, 7, 8a-8d, 9 in the order of §2.2, every UNCONFIRMED step
 * behind a switch of toksim_imp_options. Left out: step 3 (protected-process trust
 * labels; the simulator has none), AppContainer package SIDs and capabilities (only the
 * lowbox flag is compared), job-object restrictions (§2.3.4).
 */
#include "imperson/imp_int.h"

static const toksim_imp_options imp_defaults = TOKSIM_IMP_OPTIONS_INIT;

void toksim_imp_options_init(toksim_imp_options *opts)
{
    if (opts)
        *opts = imp_defaults;
}

const toksim_imp_options *ts_imp_opts(const toksim_imp_options *opts)
{
    return opts ? opts : &imp_defaults;
}

/* ---- trace helpers ---- */

void ts_imp_ev_sid(toksim_trace_event *e, const toksim_sid *sid)
{
    if (sid) {
        e->has_sid = true;
        e->sid = *sid;
    }
}

void ts_imp_ev_sid2(toksim_trace_event *e, const toksim_sid *sid)
{
    if (sid) {
        e->has_sid2 = true;
        e->sid2 = *sid;
    }
}

void ts_imp_ev_text(toksim_trace_event *e, const char *text)
{
    if (text)
        (void)ts_put(e->text, sizeof e->text, 0, text); /* issue 11: no snprintf */
}

void ts_imp_emit(toksim_status *st, toksim_trace *trace, const toksim_trace_event *ev)
{
    toksim_status rc = toksim_trace_add(trace, ev);
    if (rc != TOKSIM_OK && *st == TOKSIM_OK)
        *st = rc;
}

/* ---- the test ---- */

toksim_imp_level ts_imp_token_level(const toksim_token *tok)
{
    if (toksim_token_type_of(tok) == TOKSIM_TOKEN_IMPERSONATION)
        return toksim_token_level(tok);
    return TOKSIM_IMP_DELEGATION;
}

/* §2.2 step 8c: does the restricted-token rule let P impersonate C? */
static bool restricted_ok(toksim_imp_restricted_rule rule,
                          const toksim_token *p,
                          const toksim_token *c)
{
    bool pr = toksim_token_is_restricted(p), cr = toksim_token_is_restricted(c);
    switch (rule) {
    case TOKSIM_IMP_RESTRICTED_OFF:
        return true;
    case TOKSIM_IMP_RESTRICTED_EQUAL: /* ReactOS pre-2023 */
        return pr == cr;
    case TOKSIM_IMP_RESTRICTED_WINDOWS:
    default:
        if (!pr)
            return true;
        return cr && (toksim_token_is_write_restricted(p) ||
                      !toksim_token_is_write_restricted(c));
    }
}

/* The rule of the §2.2 steps after the privilege (5 onwards); NONE = allowed by same
 * user. */
static toksim_rule after_privilege(const toksim_imp_options *o,
                                   const toksim_token *p,
                                   const toksim_token *c,
                                   bool *allowed)
{
    *allowed = false;
    /* step 5: integrity applies even to the caller's own user [FOR-WSI4 4-32] */
    if (o->check_integrity && toksim_token_integrity(p) < toksim_token_integrity(c))
        return TOKSIM_RULE_IMP_DENY_INTEGRITY;
    /* step 6: explicit-credential logon made from the caller's logon session [D-ILOU] */
    if (o->allow_explicit_credentials && toksim_token_origin(c) != 0 &&
        toksim_token_origin(c) == toksim_token_auth_id(p)) {
        *allowed = true;
        return TOKSIM_RULE_IMP_ALLOW_EXPLICIT_CREDENTIALS;
    }
    /* step 7 */
    if (!toksim_sid_equal(toksim_token_user(p), toksim_token_user(c)))
        return TOKSIM_RULE_IMP_DENY_DIFFERENT_USER;
    if (!o->allow_same_user)
        return TOKSIM_RULE_IMP_DENY_SAME_USER_DISABLED;
    /* step 8: same-user extra checks (UNCONFIRMED details) */
    if (o->check_uac_elevation && !toksim_token_is_elevated(p) &&
        toksim_token_is_elevated(c))
        return TOKSIM_RULE_IMP_DENY_UAC;
    if (o->check_appcontainer && toksim_token_is_appcontainer(p) &&
        !toksim_token_is_appcontainer(c))
        return TOKSIM_RULE_IMP_DENY_APPCONTAINER;
    if (!restricted_ok(o->restricted_rule, p, c))
        return TOKSIM_RULE_IMP_DENY_RESTRICTED;
    if (o->check_session && toksim_token_session_id(c) == 0 &&
        toksim_token_session_id(p) != 0)
        return TOKSIM_RULE_IMP_DENY_SESSION;
    /* step 9 */
    *allowed = true;
    return TOKSIM_RULE_IMP_ALLOW_SAME_USER;
}

static void fill_decision_event(toksim_trace_event *e,
                                toksim_rule rule,
                                const toksim_token *p,
                                const toksim_token *c,
                                toksim_imp_level requested)
{
    e->a = requested;
    switch (rule) {
    case TOKSIM_RULE_IMP_DENY_INTEGRITY:
        e->a = toksim_token_integrity(p);
        e->b = toksim_token_integrity(c);
        break;
    case TOKSIM_RULE_IMP_DENY_SESSION:
        e->a = toksim_token_session_id(p);
        e->b = toksim_token_session_id(c);
        break;
    case TOKSIM_RULE_IMP_ALLOW_PRIVILEGE:
        e->privilege = TOKSIM_PRIV_IMPERSONATE;
        break;
    default:
        break;
    }
}

toksim_status toksim_imp_check(toksim_imp_check_result *out,
                               const toksim_token *process_token,
                               const toksim_token *client,
                               toksim_imp_level client_level,
                               toksim_imp_level requested,
                               toksim_imp_route route,
                               const toksim_imp_options *opts,
                               toksim_trace *trace)
{
    return ts_imp_check_ex(out, process_token, client, client_level, requested, route,
                           opts, NULL, trace);
}

toksim_status ts_imp_check_ex(toksim_imp_check_result *out,
                              const toksim_token *process_token,
                              const toksim_token *client,
                              toksim_imp_level client_level,
                              toksim_imp_level requested,
                              toksim_imp_route route,
                              const toksim_imp_options *opts,
                              const char *holders,
                              toksim_trace *trace)
{
    if (!out || !process_token || !client)
        return TOKSIM_EINVAL;
    const toksim_imp_options *o = ts_imp_opts(opts);
    const toksim_token *p = process_token, *c = client;
    toksim_status st = TOKSIM_OK;
    memset(out, 0, sizeof *out);
    out->requested = requested;

    toksim_trace_event ev = ts_imp_ev(TOKSIM_RULE_IMP_CHECK, TOKSIM_V_INFO);
    ts_imp_ev_sid(&ev, toksim_token_user(p));
    ts_imp_ev_sid2(&ev, toksim_token_user(c));
    ev.a = requested;
    ts_imp_emit(&st, trace, &ev);

    bool allowed = false;
    toksim_rule rule;
    if (o->allow_below_impersonate && requested < TOKSIM_IMP_IMPERSONATION) {
        /* step 1 */
        allowed = true;
        rule = TOKSIM_RULE_IMP_ALLOW_BELOW_IMPERSONATE;
    } else if (toksim_token_auth_id(c) == TOKSIM_ANONYMOUS_LOGON_LUID &&
               (route == TOKSIM_IMP_ROUTE_ANONYMOUS_TOKEN ||
                o->anonymous_logon_any_route)) {
        /* step 2, with its AppContainer exception (UNCONFIRMED) */
        if (o->check_appcontainer && toksim_token_is_appcontainer(p) &&
            !toksim_token_is_appcontainer(c)) {
            rule = TOKSIM_RULE_IMP_DENY_APPCONTAINER;
        } else {
            allowed = true;
            rule = TOKSIM_RULE_IMP_ALLOW_ANONYMOUS_LOGON;
        }
    } else if (o->allow_privilege &&
               toksim_token_privilege_enabled(p, TOKSIM_PRIV_IMPERSONATE)) {
        /* step 4: present AND enabled in the process token [D-PRIVS] */
        allowed = true;
        rule = TOKSIM_RULE_IMP_ALLOW_PRIVILEGE;
    } else {
        if (o->allow_privilege) {
            bool held = toksim_token_privilege(p, TOKSIM_PRIV_IMPERSONATE) >= 0;
            toksim_trace_event pe = ts_imp_ev(held ? TOKSIM_RULE_IMP_PRIV_DISABLED
                                                   : TOKSIM_RULE_IMP_PRIV_MISSING,
                                              TOKSIM_V_INFO);
            ts_imp_ev_sid(&pe, toksim_token_user(p));
            pe.privilege = TOKSIM_PRIV_IMPERSONATE;
            ts_imp_emit(&st, trace, &pe);
            if (holders && holders[0]) {
                toksim_status rc =
                    toksim_imp_trace_holders(trace, TOKSIM_PRIV_IMPERSONATE, holders);
                if (rc != TOKSIM_OK && st == TOKSIM_OK)
                    st = rc;
            }
        }
        rule = after_privilege(o, p, c, &allowed);
    }

    toksim_trace_event de = ts_imp_ev(rule, allowed ? TOKSIM_V_GRANT : TOKSIM_V_DENY);
    ts_imp_ev_sid(&de, toksim_token_user(p));
    ts_imp_ev_sid2(&de, toksim_token_user(c));
    fill_decision_event(&de, rule, p, c, requested);
    ts_imp_emit(&st, trace, &de);

    out->allowed = allowed;
    out->rule = rule;
    if (allowed) {
        out->level = requested;
        return st;
    }

    /* §2.3: not a failure; the thread gets an Identification copy */
    toksim_imp_level level = TOKSIM_IMP_IDENTIFICATION;
    bool stays_anon =
        o->anonymous_stays_anonymous && client_level == TOKSIM_IMP_ANONYMOUS;
    if (stays_anon)
        level = TOKSIM_IMP_ANONYMOUS;
    if (level > requested) /* never above what was asked (possible only with step 1
                              switched off) */
        level = requested;
    out->level = level;
    toksim_trace_event ge = ts_imp_ev(stays_anon ? TOKSIM_RULE_IMP_DOWNGRADE_ANONYMOUS
                                                 : TOKSIM_RULE_IMP_DOWNGRADE,
                                      TOKSIM_V_CHANGE);
    ge.a = requested;
    ge.b = level;
    ts_imp_ev_sid2(&ge, toksim_token_user(c));
    ts_imp_emit(&st, trace, &ge);
    return st;
}

toksim_status
toksim_imp_trace_holders(toksim_trace *trace, uint32_t luid, const char *holders)
{
    toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_IMP_PRIV_HOLDERS, TOKSIM_V_INFO);
    e.privilege = luid;
    ts_imp_ev_text(&e, holders ? holders : "");
    return toksim_trace_add(trace, &e);
}
