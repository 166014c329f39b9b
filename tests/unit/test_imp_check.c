/* PURPOSE: the §2.2 permission test and §2.3 downgrade, one exception at a time (each
 * test fails when its exception is switched off or removed), vectors I1-I10 of
 * windows-model §13.3. */
#include "imp_fixtures.h"

typedef struct chk {
    toksim_imp_check_result r;
    toksim_trace trace;
} chk;

static chk run(tk_spec ps,
               tk_spec cs,
               toksim_imp_level level,
               toksim_imp_route route,
               const toksim_imp_options *o)
{
    chk c;
    toksim_trace_init(&c.trace);
    toksim_token *p = tk(ps), *cl = tk(cs);
    toksim_imp_level cl_level = cs.impersonation ? cs.level : TOKSIM_IMP_DELEGATION;
    ts_assert_ok(toksim_imp_check(&c.r, p, cl, cl_level, level, route, o, &c.trace),
                 NULL);
    toksim_token_free(p);
    toksim_token_free(cl);
    return c;
}

static toksim_imp_options opts(void)
{
    toksim_imp_options o;
    toksim_imp_options_init(&o);
    return o;
}

#define SERVER .user = IMP_SID_SERVER
#define CLIENT .user = IMP_SID_CLIENT

Test(imp_check, defaults_match_initializer)
{
    toksim_imp_options a = TOKSIM_IMP_OPTIONS_INIT, b;
    toksim_imp_options_init(&b);
    /* field by field (memcmp would read the struct's padding) */
    cr_assert_eq(a.version, b.version);
    for (size_t i = 0; i < toksim_imp_option_count(); i++) {
        const char *name = toksim_imp_option_at(i)->name;
        int va = -1, vb = -2;
        cr_assert(toksim_imp_options_get(&a, name, &va) == TOKSIM_OK);
        cr_assert(toksim_imp_options_get(&b, name, &vb) == TOKSIM_OK);
        cr_assert_eq(va, vb, "%s", name);
    }
    cr_assert(b.allow_privilege && b.check_integrity && b.anonymous_stays_anonymous);
    cr_assert(!b.privilege_integrity_minimum && !b.ntlm_hop_fails);
}

/* I1: no privilege, other user, Impersonation -> Identification, no failure */
Test(imp_check, i1_other_user_without_privilege_is_downgraded)
{
    chk c = run((tk_spec){SERVER}, (tk_spec){CLIENT}, TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert_not(c.r.allowed);
    cr_assert_eq(c.r.level, TOKSIM_IMP_IDENTIFICATION);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_DENY_DIFFERENT_USER);
    cr_assert(imp_trace_has(&c.trace, "imp.privilege.missing"));
    cr_assert(imp_trace_has(&c.trace, "imp.downgrade"));
    toksim_trace_dispose(&c.trace);
}

/* I2 + exception step 4: the privilege, enabled, allows */
Test(imp_check, i2_privilege_enabled_allows)
{
    chk c = run((tk_spec){SERVER, .imp_priv = IMP_PRIV_ENABLED}, (tk_spec){CLIENT},
                TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert(c.r.allowed);
    cr_assert_eq(c.r.level, TOKSIM_IMP_IMPERSONATION);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_ALLOW_PRIVILEGE);
    toksim_trace_dispose(&c.trace);

    toksim_imp_options o = opts();
    o.allow_privilege = false; /* exception removed -> downgrade */
    c = run((tk_spec){SERVER, .imp_priv = IMP_PRIV_ENABLED}, (tk_spec){CLIENT},
            TOKSIM_IMP_IMPERSONATION, 0, &o);
    cr_assert_not(c.r.allowed);
    cr_assert_eq(c.r.level, TOKSIM_IMP_IDENTIFICATION);
    toksim_trace_dispose(&c.trace);
}

/* I2 + Delegation level passes too */
Test(imp_check, privilege_allows_delegation)
{
    chk c = run((tk_spec){SERVER, .imp_priv = IMP_PRIV_ENABLED}, (tk_spec){CLIENT},
                TOKSIM_IMP_DELEGATION, 0, NULL);
    cr_assert(c.r.allowed);
    cr_assert_eq(c.r.level, TOKSIM_IMP_DELEGATION);
    toksim_trace_dispose(&c.trace);
}

/* I3: held but disabled counts as absent [D-PRIVS] */
Test(imp_check, i3_disabled_privilege_does_not_count)
{
    chk c = run((tk_spec){SERVER, .imp_priv = IMP_PRIV_DISABLED}, (tk_spec){CLIENT},
                TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert_not(c.r.allowed);
    cr_assert_eq(c.r.level, TOKSIM_IMP_IDENTIFICATION);
    cr_assert(imp_trace_has(&c.trace, "imp.privilege.disabled"));
    cr_assert_not(imp_trace_has(&c.trace, "imp.privilege.missing"));
    toksim_trace_dispose(&c.trace);
}

/* I4 + exception "same user": kept; switched off -> downgraded */
Test(imp_check, i4_same_user_is_allowed)
{
    chk c = run((tk_spec){CLIENT, .session = 1}, (tk_spec){CLIENT, .session = 1},
                TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert(c.r.allowed);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_ALLOW_SAME_USER);
    toksim_trace_dispose(&c.trace);

    toksim_imp_options o = opts();
    o.allow_same_user = false;
    c = run((tk_spec){CLIENT, .session = 1}, (tk_spec){CLIENT, .session = 1},
            TOKSIM_IMP_IMPERSONATION, 0, &o);
    cr_assert_not(c.r.allowed);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_DENY_SAME_USER_DISABLED);
    toksim_trace_dispose(&c.trace);
}

/* I5 + exception step 6: explicit credentials from the caller's logon session */
Test(imp_check, i5_explicit_credentials_from_own_session)
{
    tk_spec p = {SERVER, .auth_id = 0x1234};
    tk_spec cl = {CLIENT, .auth_id = 0x9999, .origin = 0x1234};
    chk c = run(p, cl, TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert(c.r.allowed);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_ALLOW_EXPLICIT_CREDENTIALS);
    toksim_trace_dispose(&c.trace);

    toksim_imp_options o = opts();
    o.allow_explicit_credentials = false;
    c = run(p, cl, TOKSIM_IMP_IMPERSONATION, 0, &o);
    cr_assert_not(c.r.allowed);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_DENY_DIFFERENT_USER);
    toksim_trace_dispose(&c.trace);

    /* origin of another session, or 0 (network logon, [D-TOKORIGIN]) does not count */
    cl.origin = 0x4321;
    c = run(p, cl, TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert_not(c.r.allowed);
    toksim_trace_dispose(&c.trace);
    p.auth_id = 0;
    cl.origin = 0;
    c = run(p, cl, TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert_not(c.r.allowed);
    toksim_trace_dispose(&c.trace);
}

/* I6 + exception step 1: Identification (and Anonymous) need nothing */
Test(imp_check, i6_identification_is_always_allowed)
{
    chk c = run((tk_spec){SERVER, .il = TOKSIM_IL_LOW},
                (tk_spec){CLIENT, .il = TOKSIM_IL_SYSTEM}, TOKSIM_IMP_IDENTIFICATION, 0,
                NULL);
    cr_assert(c.r.allowed);
    cr_assert_eq(c.r.level, TOKSIM_IMP_IDENTIFICATION);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_ALLOW_BELOW_IMPERSONATE);
    toksim_trace_dispose(&c.trace);
    c = run((tk_spec){SERVER}, (tk_spec){CLIENT}, TOKSIM_IMP_ANONYMOUS, 0, NULL);
    cr_assert(c.r.allowed);
    cr_assert_eq(c.r.level, TOKSIM_IMP_ANONYMOUS);
    toksim_trace_dispose(&c.trace);

    toksim_imp_options o = opts();
    o.allow_below_impersonate = false;
    c = run((tk_spec){SERVER}, (tk_spec){CLIENT}, TOKSIM_IMP_IDENTIFICATION, 0, &o);
    cr_assert_not(c.r.allowed);
    cr_assert_eq(c.r.level, TOKSIM_IMP_IDENTIFICATION); /* never above the request */
    toksim_trace_dispose(&c.trace);
    c = run((tk_spec){SERVER}, (tk_spec){CLIENT}, TOKSIM_IMP_ANONYMOUS, 0, &o);
    cr_assert_not(c.r.allowed);
    cr_assert_eq(c.r.level, TOKSIM_IMP_ANONYMOUS);
    toksim_trace_dispose(&c.trace);
}

/* I7 + exception step 2: anonymous logon session */
Test(imp_check, i7_anonymous_logon_token)
{
    tk_spec anon = {
        .user = "S-1-5-7", .no_label = true, .auth_id = TOKSIM_ANONYMOUS_LOGON_LUID};
    chk c = run((tk_spec){SERVER}, anon, TOKSIM_IMP_IMPERSONATION,
                TOKSIM_IMP_ROUTE_GENERIC, NULL);
    cr_assert(c.r.allowed);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_ALLOW_ANONYMOUS_LOGON);
    toksim_trace_dispose(&c.trace);

    /* UNCONFIRMED switch: only via ImpersonateAnonymousToken */
    toksim_imp_options o = opts();
    o.anonymous_logon_any_route = false;
    c = run((tk_spec){SERVER}, anon, TOKSIM_IMP_IMPERSONATION, TOKSIM_IMP_ROUTE_GENERIC,
            &o);
    cr_assert_not(c.r.allowed);
    toksim_trace_dispose(&c.trace);
    c = run((tk_spec){SERVER}, anon, TOKSIM_IMP_IMPERSONATION,
            TOKSIM_IMP_ROUTE_ANONYMOUS_TOKEN, &o);
    cr_assert(c.r.allowed);
    toksim_trace_dispose(&c.trace);

    /* lowbox process: only lowbox anonymous tokens (UNCONFIRMED) */
    c = run((tk_spec){SERVER, .appcontainer = true}, anon, TOKSIM_IMP_IMPERSONATION, 0,
            NULL);
    cr_assert_not(c.r.allowed);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_DENY_APPCONTAINER);
    toksim_trace_dispose(&c.trace);
}

/* I8 (integrity part): same user, process Medium, client High -> downgraded */
Test(imp_check, i8_integrity_applies_to_own_user)
{
    chk c = run((tk_spec){CLIENT}, (tk_spec){CLIENT, .il = TOKSIM_IL_HIGH},
                TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert_not(c.r.allowed);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_DENY_INTEGRITY);
    cr_assert_eq(c.r.level, TOKSIM_IMP_IDENTIFICATION);
    toksim_trace_dispose(&c.trace);

    toksim_imp_options o = opts();
    o.check_integrity = false;
    c = run((tk_spec){CLIENT}, (tk_spec){CLIENT, .il = TOKSIM_IL_HIGH},
            TOKSIM_IMP_IMPERSONATION, 0, &o);
    cr_assert(c.r.allowed);
    toksim_trace_dispose(&c.trace);
}

/* the privilege is checked before integrity (§2.2 steps 4, 5) */
Test(imp_check, privilege_beats_integrity)
{
    chk c =
        run((tk_spec){SERVER, .il = TOKSIM_IL_LOW, .imp_priv = IMP_PRIV_ENABLED},
            (tk_spec){CLIENT, .il = TOKSIM_IL_SYSTEM}, TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert(c.r.allowed);
    toksim_trace_dispose(&c.trace);
}

/* integrity is checked before the explicit-credential exit (Forshaw listing 4-32 order)
 */
Test(imp_check, integrity_before_explicit_credentials)
{
    chk c = run((tk_spec){SERVER, .il = TOKSIM_IL_LOW, .auth_id = 77},
                (tk_spec){CLIENT, .origin = 77}, TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert_not(c.r.allowed);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_DENY_INTEGRITY);
    toksim_trace_dispose(&c.trace);
}

/* I8 (UAC part): same user, same IL, elevated client, non-elevated process (UNCONFIRMED
 * 8a) */
Test(imp_check, uac_elevated_same_user)
{
    tk_spec p = {CLIENT}, cl = {CLIENT, .elevated = true};
    chk c = run(p, cl, TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert_not(c.r.allowed);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_DENY_UAC);
    toksim_trace_dispose(&c.trace);
    toksim_imp_options o = opts();
    o.check_uac_elevation = false;
    c = run(p, cl, TOKSIM_IMP_IMPERSONATION, 0, &o);
    cr_assert(c.r.allowed);
    toksim_trace_dispose(&c.trace);
    /* an elevated process may impersonate its elevated token */
    p.elevated = true;
    c = run(p, cl, TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert(c.r.allowed);
    toksim_trace_dispose(&c.trace);
}

/* I9: restricted process, unrestricted client of the same user (UNCONFIRMED 8c) */
Test(imp_check, i9_restricted_process)
{
    chk c = run((tk_spec){CLIENT, .restricted = true}, (tk_spec){CLIENT},
                TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert_not(c.r.allowed);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_DENY_RESTRICTED);
    toksim_trace_dispose(&c.trace);

    /* an unrestricted process passes whatever the client is */
    c = run((tk_spec){CLIENT}, (tk_spec){CLIENT, .restricted = true},
            TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert(c.r.allowed);
    toksim_trace_dispose(&c.trace);

    /* refinement: restricted P, restricted + write-restricted C, P not write-restricted
     */
    tk_spec p = {CLIENT, .restricted = true},
            cl = {CLIENT, .restricted = true, .write_restricted = true};
    c = run(p, cl, TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert_not(c.r.allowed);
    toksim_trace_dispose(&c.trace);
    toksim_imp_options o = opts();
    o.restricted_rule =
        TOKSIM_IMP_RESTRICTED_EQUAL; /* ReactOS: equal restricted-ness passes */
    c = run(p, cl, TOKSIM_IMP_IMPERSONATION, 0, &o);
    cr_assert(c.r.allowed);
    toksim_trace_dispose(&c.trace);
    /* ReactOS rule refuses an unrestricted P with a restricted C, Windows does not */
    c = run((tk_spec){CLIENT}, (tk_spec){CLIENT, .restricted = true},
            TOKSIM_IMP_IMPERSONATION, 0, &o);
    cr_assert_not(c.r.allowed);
    toksim_trace_dispose(&c.trace);
    o.restricted_rule = TOKSIM_IMP_RESTRICTED_OFF;
    c = run((tk_spec){CLIENT, .restricted = true}, (tk_spec){CLIENT},
            TOKSIM_IMP_IMPERSONATION, 0, &o);
    cr_assert(c.r.allowed);
    toksim_trace_dispose(&c.trace);
}

/* I10: session-0 client token, process in session 1 (UNCONFIRMED 8d). No public
 * Windows-run source shows the rule, so it is off by default (issue 16 item 9): the
 * same-user token is kept at Impersonation. Switched on, it downgrades, and the trace
 * sentence says the rule is UNCONFIRMED. */
Test(imp_check, i10_session_zero)
{
    chk c = run((tk_spec){CLIENT, .session = 1}, (tk_spec){CLIENT, .session = 0},
                TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert(c.r.allowed);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_ALLOW_SAME_USER);
    cr_assert_not(imp_trace_has(&c.trace, "imp.deny.session"));
    toksim_trace_dispose(&c.trace);
    toksim_imp_options o = opts();
    cr_assert_not(o.check_session, "the UNCONFIRMED session rule must be off by default");
    o.check_session = true;
    c = run((tk_spec){CLIENT, .session = 1}, (tk_spec){CLIENT, .session = 0},
            TOKSIM_IMP_IMPERSONATION, 0, &o);
    cr_assert_not(c.r.allowed);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_DENY_SESSION);
    const toksim_trace_event *ev = NULL;
    for (size_t i = 0; i < c.trace.count; i++)
        if (c.trace.events[i].rule == TOKSIM_RULE_IMP_DENY_SESSION)
            ev = &c.trace.events[i];
    cr_assert_not_null(ev);
    char text[TOKSIM_TRACE_TEXT_SIZE * 2];
    toksim_trace_event_text(text, sizeof text, ev, NULL, NULL);
    cr_assert(strstr(text, "UNCONFIRMED"), "%s", text);
    toksim_trace_dispose(&c.trace);
    c = run((tk_spec){CLIENT, .session = 0}, (tk_spec){CLIENT, .session = 2},
            TOKSIM_IMP_IMPERSONATION, 0, &o);
    cr_assert(c.r.allowed);
    toksim_trace_dispose(&c.trace);
}

/* 8b: lowbox process, same user, non-lowbox client (UNCONFIRMED) */
Test(imp_check, appcontainer_same_user)
{
    chk c = run((tk_spec){CLIENT, .appcontainer = true}, (tk_spec){CLIENT},
                TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert_not(c.r.allowed);
    cr_assert_eq(c.r.rule, TOKSIM_RULE_IMP_DENY_APPCONTAINER);
    toksim_trace_dispose(&c.trace);
    toksim_imp_options o = opts();
    o.check_appcontainer = false;
    c = run((tk_spec){CLIENT, .appcontainer = true}, (tk_spec){CLIENT},
            TOKSIM_IMP_IMPERSONATION, 0, &o);
    cr_assert(c.r.allowed);
    toksim_trace_dispose(&c.trace);
}

/* §2.3.1: a client already at Anonymous stays Anonymous (UNCONFIRMED) */
Test(imp_check, downgrade_keeps_anonymous)
{
    tk_spec cl = {CLIENT, .impersonation = true, .level = TOKSIM_IMP_ANONYMOUS};
    chk c = run((tk_spec){SERVER}, cl, TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert_not(c.r.allowed);
    cr_assert_eq(c.r.level, TOKSIM_IMP_ANONYMOUS);
    cr_assert(imp_trace_has(&c.trace, "imp.downgrade.anonymous_stays"));
    toksim_trace_dispose(&c.trace);
    toksim_imp_options o = opts();
    o.anonymous_stays_anonymous = false;
    c = run((tk_spec){SERVER}, cl, TOKSIM_IMP_IMPERSONATION, 0, &o);
    cr_assert_eq(c.r.level, TOKSIM_IMP_IDENTIFICATION);
    toksim_trace_dispose(&c.trace);
}

Test(imp_check, misuse)
{
    toksim_imp_check_result r;
    toksim_token *t = tk((tk_spec){CLIENT});
    cr_assert_eq(toksim_imp_check(NULL, t, t, 0, 2, 0, NULL, NULL), TOKSIM_EINVAL);
    cr_assert_eq(toksim_imp_check(&r, NULL, t, 0, 2, 0, NULL, NULL), TOKSIM_EINVAL);
    cr_assert_eq(toksim_imp_check(&r, t, NULL, 0, 2, 0, NULL, NULL), TOKSIM_EINVAL);
    toksim_token_free(t);
}

/* the MBAM seed: the story reads as a chain of sentences */
Test(imp_check, mbam_story)
{
    chk c = run((tk_spec){SERVER}, (tk_spec){CLIENT}, TOKSIM_IMP_IMPERSONATION, 0, NULL);
    cr_assert(toksim_imp_trace_holders(&c.trace, TOKSIM_PRIV_IMPERSONATE,
                                       "Administrators, SERVICE") == TOKSIM_OK);
    char *story = imp_trace_story(&c.trace);
    cr_log_info("%s", story);
    cr_assert(strstr(story, "lacks SeImpersonatePrivilege"), "%s", story);
    cr_assert(strstr(story, "no exception applies"), "%s", story);
    cr_assert(strstr(story, "downgraded to Identification"), "%s", story);
    cr_assert(strstr(story, "held by: Administrators, SERVICE"), "%s", story);
    free(story);
    toksim_trace_dispose(&c.trace);
}
