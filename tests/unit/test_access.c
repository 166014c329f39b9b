/*
 * PURPOSE: the access check against the vectors A1-A19 of windows-model §13.4. Every test
 * asserts the verdict and the trace rule that decided it, so removing a rule fails it.
 * More rules of §3.3-3.4 are in test_access_rules.c.
 */
#include "access_fixtures.h"

/* ---- §13.4 vectors ---- */

Test(access, A1_no_dacl_grants_request)
{
    toksim_sd *sd = sd_new(BA, BA);
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_GENERIC_READ);
    granted(&x, FILE_GENERIC_READ);
    HAS_V(x, "access.dacl.absent", TOKSIM_V_GRANT);
    done(&x, sd, t);
}

Test(access, A2_null_dacl_maximum_allowed_is_generic_all)
{
    toksim_sd *sd = sd_new(BA, BA);
    sd->control |= TOKSIM_SE_DACL_PRESENT; /* present, but NULL */
    toksim_token *t = tok_new();
    run x = check(sd, t, TOKSIM_MAXIMUM_ALLOWED);
    granted(&x, FILE_ALL);
    HAS(x, "access.dacl.null");
    HAS(x, "access.maximum_allowed");
    done(&x, sd, t);
}

Test(access, A3_empty_dacl_denies_non_owner)
{
    toksim_sd *sd = sd_new(BA, BA);
    dacl_empty(sd);
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS(x, "access.dacl.empty");
    done(&x, sd, t);
}

Test(access, A4_empty_dacl_owner_gets_rc_wd)
{
    toksim_sd *sd = sd_new(USER, BA);
    dacl_empty(sd);
    toksim_token *t = tok_new();
    run x = check(sd, t, TOKSIM_READ_CONTROL | TOKSIM_WRITE_DAC);
    granted(&x, 0x60000);
    HAS_V(x, "access.owner.implicit", TOKSIM_V_GRANT);
    done(&x, sd, t);
}

Test(access, A5_allow_before_deny_wins)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, TOKSIM_GENERIC_ALL, WD);
    deny(sd, TOKSIM_GENERIC_ALL, USER);
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_GENERIC_READ);
    granted(&x, FILE_GENERIC_READ);
    HAS_V(x, "access.ace.allow", TOKSIM_V_GRANT);
    LACKS(x, "access.ace.deny"); /* the walk stopped before the deny ACE */
    done(&x, sd, t);
}

Test(access, A6_deny_before_allow_denies)
{
    toksim_sd *sd = sd_new(BA, BA);
    deny(sd, TOKSIM_GENERIC_ALL, USER);
    allow(sd, TOKSIM_GENERIC_ALL, WD);
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_GENERIC_READ);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    int i = find(&x, "access.ace.deny", TOKSIM_V_DENY);
    cr_assert_geq(i, 0);
    cr_assert_eq(x.trace.events[i].index, 0);
    LACKS(x, "access.ace.allow"); /* the deny ended the walk */
    done(&x, sd, t);
}

Test(access, A7_deny_only_group_does_not_match_allow)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_GENERIC_READ, BA);
    toksim_token *t = tok_new();
    tok_group(t, BA, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    run x = check(sd, t, FILE_GENERIC_READ);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS(x, "access.ace.deny_only_group");
    done(&x, sd, t);
}

Test(access, A8_deny_only_group_matches_deny)
{
    toksim_sd *sd = sd_new(BA, BA);
    deny(sd, FILE_ALL, BA);
    allow(sd, FILE_ALL, WD);
    toksim_token *t = tok_new();
    tok_group(t, BA, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    run x = check(sd, t, FILE_GENERIC_READ);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    int i = find(&x, "access.ace.deny", TOKSIM_V_DENY);
    cr_assert_geq(i, 0);
    toksim_sid ba = ts_test_sid(BA);
    cr_assert(toksim_sid_equal(&x.trace.events[i].sid, &ba));
    done(&x, sd, t);
}

Test(access, A9_inherit_only_ace_ignored)
{
    toksim_sd *sd = sd_new(BA, BA);
    ace(sd, TOKSIM_ACE_ACCESS_ALLOWED, TOKSIM_INHERIT_ONLY_ACE, FILE_ALL, WD);
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS_V(x, "access.ace.inherit_only", TOKSIM_V_SKIP);
    done(&x, sd, t);
}

Test(access, A10_generic_bits_fail_the_api)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_ALL, WD);
    toksim_token *t = tok_new();
    run x = check(sd, t, TOKSIM_GENERIC_READ);
    call_failed(&x, TOKSIM_STATUS_GENERIC_NOT_MAPPED, 1360, "access.generic_not_mapped");
    done(&x, sd, t);
}

Test(access, A11_primary_token_fails_the_api)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_ALL, WD);
    toksim_token *t = tok_new();
    toksim_token_set_type(t, TOKSIM_TOKEN_PRIMARY, TOKSIM_IMP_ANONYMOUS);
    run x = check(sd, t, FILE_READ_DATA);
    call_failed(&x, TOKSIM_STATUS_NO_IMPERSONATION_TOKEN, 1309,
                "access.no_impersonation_token");
    done(&x, sd, t);
}

Test(access, A12_anonymous_level_fails_the_api)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_ALL, WD);
    toksim_token *t = tok_new();
    toksim_token_set_type(t, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_ANONYMOUS);
    run x = check(sd, t, FILE_READ_DATA);
    call_failed(&x, TOKSIM_STATUS_BAD_IMPERSONATION_LEVEL, 1346,
                "access.bad_impersonation_level");
    int i = find(&x, "access.bad_impersonation_level", -1);
    cr_assert_eq(x.trace.events[i].a, TOKSIM_IMP_ANONYMOUS);
    cr_assert_eq(x.trace.events[i].b, TOKSIM_IMP_IDENTIFICATION);
    done(&x, sd, t);
}

Test(access, A13_system_security_needs_enabled_privilege)
{
    toksim_sd *sd = sd_new(BA, BA);
    sd->control |= TOKSIM_SE_DACL_PRESENT; /* NULL DACL: even then no ACE can grant it */
    toksim_token *t = tok_new();
    tok_priv(t, TOKSIM_PRIV_SECURITY, false);
    run x = check(sd, t, TOKSIM_ACCESS_SYSTEM_SECURITY | TOKSIM_READ_CONTROL);
    denied(&x, TOKSIM_STATUS_PRIVILEGE_NOT_HELD, 1314);
    HAS(x, "access.priv.security_missing");
    HAS(x, "access.priv.disabled");
    toksim_trace_dispose(&x.trace);
    tok_priv(t, TOKSIM_PRIV_SECURITY, true);
    x = check(sd, t, TOKSIM_ACCESS_SYSTEM_SECURITY | TOKSIM_READ_CONTROL);
    granted(&x, TOKSIM_ACCESS_SYSTEM_SECURITY | TOKSIM_READ_CONTROL);
    HAS_V(x, "access.priv.security", TOKSIM_V_GRANT);
    cr_assert_eq(x.r.privileges_used, (uint64_t)1 << TOKSIM_PRIV_SECURITY);
    done(&x, sd, t);
}

Test(access, A14_take_ownership_grants_write_owner)
{
    toksim_sd *sd = sd_new(BA, BA);
    dacl_empty(sd);
    toksim_token *t = tok_new();
    tok_priv(t, TOKSIM_PRIV_TAKE_OWNERSHIP, true);
    run x = check(sd, t, TOKSIM_WRITE_OWNER);
    granted(&x, TOKSIM_WRITE_OWNER);
    HAS_V(x, "access.priv.take_ownership", TOKSIM_V_GRANT);
    cr_assert_eq(x.r.privileges_used, (uint64_t)1 << TOKSIM_PRIV_TAKE_OWNERSHIP);
    done(&x, sd, t);
}

Test(access, A15_restricted_pass_must_grant_too)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_GENERIC_READ, USER);
    toksim_token *t = tok_new();
    tok_restrict(t, "S-1-5-12");
    run x = check(sd, t, FILE_GENERIC_READ);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    int i = find(&x, "access.restricted.pass", -1);
    cr_assert_geq(i, 0);
    cr_assert_eq(x.trace.events[i].mask, 0);
    toksim_trace_dispose(&x.trace);
    /* Granting the restricting SID too makes both passes agree. */
    allow(sd, FILE_GENERIC_READ, "S-1-5-12");
    x = check(sd, t, FILE_GENERIC_READ);
    granted(&x, FILE_GENERIC_READ);
    i = find(&x, "access.restricted.pass", -1);
    cr_assert_eq(x.trace.events[i].mask, FILE_GENERIC_READ);
    done(&x, sd, t);
}

Test(access, A16_no_write_up_label_denies_write)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_ALL, WD);
    label(sd, TOKSIM_IL_HIGH, TOKSIM_MANDATORY_NO_WRITE_UP);
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_WRITE_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS_V(x, "access.mic.no_write_up", TOKSIM_V_DENY);
    LACKS(x, "access.ace.allow"); /* decided before the DACL */
    done(&x, sd, t);
}

Test(access, A17_no_write_up_label_lets_read)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_ALL, WD);
    label(sd, TOKSIM_IL_HIGH, TOKSIM_MANDATORY_NO_WRITE_UP);
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_GENERIC_READ);
    granted(&x, FILE_GENERIC_READ);
    int i = find(&x, "access.mic.label", -1);
    cr_assert_geq(i, 0);
    cr_assert_eq(x.trace.events[i].a, TOKSIM_IL_MEDIUM);
    cr_assert_eq(x.trace.events[i].b, TOKSIM_IL_HIGH);
    done(&x, sd, t);
}

Test(access, A18_unlabeled_object_is_medium_no_write_up)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_ALL, WD);
    toksim_token *t = tok_new();
    ts_assert_ok(toksim_token_set_integrity(t, TOKSIM_IL_LOW), NULL);
    run x = check(sd, t, FILE_WRITE_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS(x, "access.mic.unlabeled");
    HAS_V(x, "access.mic.no_write_up", TOKSIM_V_DENY);
    toksim_trace_dispose(&x.trace);
    /* Medium token on the same object: no restriction. */
    ts_assert_ok(toksim_token_set_integrity(t, TOKSIM_IL_MEDIUM), NULL);
    x = check(sd, t, FILE_WRITE_DATA);
    granted(&x, FILE_WRITE_DATA);
    done(&x, sd, t);
}

Test(access, A19_owner_rights_ace_suppresses_implicit_rights)
{
    toksim_sd *sd = sd_new(USER, BA);
    allow(sd, TOKSIM_READ_CONTROL, "S-1-3-4");
    toksim_token *t = tok_new();
    run x = check(sd, t, TOKSIM_WRITE_DAC);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS(x, "access.owner.rights_ace");
    LACKS(x, "access.owner.implicit");
    toksim_trace_dispose(&x.trace);
    /* The OWNER RIGHTS ACE itself applies to the owner. */
    x = check(sd, t, TOKSIM_READ_CONTROL);
    granted(&x, TOKSIM_READ_CONTROL);
    int i = find(&x, "access.ace.allow", -1);
    cr_assert_geq(i, 0);
    cr_assert(x.trace.events[i].has_sid2); /* names the ACE's S-1-3-4 next to the owner */
    done(&x, sd, t);
}
