/*
 * PURPOSE: the access check rule by rule beyond the §13.4 vectors (windows-model
 * §3.3-3.4): owner rights, group classes, ACE types, substitution, restricted and
 * write-restricted tokens, the open path, privileges and MAXIMUM_ALLOWED.
 */
#include "access_fixtures.h"

/* ---- more rules of §3.3 ---- */

Test(access, owner_rights_ace_does_not_apply_to_non_owner)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, TOKSIM_READ_CONTROL, "S-1-3-4");
    toksim_token *t = tok_new();
    run x = check(sd, t, TOKSIM_READ_CONTROL);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS(x, "access.ace.no_match");
    done(&x, sd, t);
}

Test(access, inherit_only_owner_rights_ace_keeps_implicit_rights)
{
    /* UNCONFIRMED switch TS_OWNER_RIGHTS_INHERIT_ONLY_COUNTS (access.c). */
    toksim_sd *sd = sd_new(USER, BA);
    ace(sd, TOKSIM_ACE_ACCESS_ALLOWED,
        TOKSIM_INHERIT_ONLY_ACE | TOKSIM_OBJECT_INHERIT_ACE, TOKSIM_READ_CONTROL,
        "S-1-3-4");
    toksim_token *t = tok_new();
    run x = check(sd, t, TOKSIM_WRITE_DAC);
    granted(&x, TOKSIM_WRITE_DAC);
    HAS(x, "access.owner.implicit");
    done(&x, sd, t);
}

Test(access, deny_only_owner_gets_no_implicit_rights)
{
    toksim_sd *sd = sd_new(BA, BA);
    dacl_empty(sd);
    toksim_token *t = tok_new();
    tok_group(t, BA, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    run x = check(sd, t, TOKSIM_READ_CONTROL);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    LACKS(x, "access.owner.implicit");
    done(&x, sd, t);
}

Test(access, restricted_owner_needs_restricting_sid)
{
    toksim_sd *sd = sd_new(USER, BA);
    dacl_empty(sd);
    toksim_token *t = tok_new();
    tok_restrict(t, "S-1-5-12");
    run x = check(sd, t, TOKSIM_READ_CONTROL);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    LACKS(x, "access.owner.implicit");
    toksim_trace_dispose(&x.trace);
    tok_restrict(t, USER);
    x = check(sd, t, TOKSIM_READ_CONTROL);
    granted(&x, TOKSIM_READ_CONTROL);
    HAS(x, "access.owner.implicit");
    done(&x, sd, t);
}

Test(access, disabled_group_matches_neither_allow_nor_deny)
{
    toksim_sd *sd = sd_new(BA, BA);
    deny(sd, FILE_ALL, BA);
    allow(sd, FILE_READ_DATA, USER);
    toksim_token *t = tok_new();
    tok_group(t, BA, TOKSIM_SE_GROUP_MANDATORY); /* present, not enabled */
    run x = check(sd, t, FILE_READ_DATA);
    granted(&x, FILE_READ_DATA);
    HAS_V(x, "access.ace.disabled_group", TOKSIM_V_SKIP);
    toksim_trace_dispose(&x.trace);
    toksim_sd_free(sd);
    sd = sd_new(BA, BA);
    allow(sd, FILE_READ_DATA, BA);
    x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS(x, "access.ace.disabled_group");
    done(&x, sd, t);
}

Test(access, partial_allows_accumulate)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_READ_DATA, WD);
    allow(sd, FILE_WRITE_DATA, AU);
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_READ_DATA | FILE_WRITE_DATA);
    granted(&x, FILE_READ_DATA | FILE_WRITE_DATA);
    toksim_trace_dispose(&x.trace);
    x = check(sd, t, FILE_READ_DATA | FILE_EXECUTE);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    cr_assert_eq(x.r.missing, FILE_EXECUTE);
    done(&x, sd, t);
}

Test(access, deny_of_unrequested_bit_is_harmless)
{
    toksim_sd *sd = sd_new(BA, BA);
    deny(sd, FILE_WRITE_DATA, WD);
    allow(sd, FILE_READ_DATA, WD);
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_READ_DATA);
    granted(&x, FILE_READ_DATA);
    HAS_V(x, "access.ace.redundant", TOKSIM_V_SKIP);
    done(&x, sd, t);
}

Test(access, deny_after_partial_allow_denies_remaining_bit)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_READ_DATA, WD);
    deny(sd, FILE_READ_DATA | FILE_WRITE_DATA, USER);
    allow(sd, FILE_WRITE_DATA, WD);
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_READ_DATA | FILE_WRITE_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    int i = find(&x, "access.ace.deny", TOKSIM_V_DENY);
    cr_assert_eq(x.trace.events[i].mask,
                 FILE_WRITE_DATA); /* READ_DATA was already decided */
    done(&x, sd, t);
}

Test(access, generic_bits_in_ace_are_mapped)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, TOKSIM_GENERIC_READ, USER);
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_READ_DATA | TOKSIM_SYNCHRONIZE);
    granted(&x, FILE_READ_DATA | TOKSIM_SYNCHRONIZE);
    int i = find(&x, "access.ace.allow", -1);
    cr_assert_eq(x.trace.events[i].b, TOKSIM_GENERIC_READ);
    done(&x, sd, t);
}

Test(access, object_aces)
{
    toksim_sd *sd = sd_new(BA, BA);
    dacl_empty(sd);
    toksim_ace a;
    memset(&a, 0, sizeof a);
    a.type = TOKSIM_ACE_ACCESS_ALLOWED_OBJECT;
    a.mask = FILE_WRITE_DATA;
    a.sid = ts_test_sid(WD);
    a.object_flags = TOKSIM_ACE_OBJECT_TYPE_PRESENT;
    a.object_type[0] = 0x42;
    ts_assert_ok(toksim_acl_add_ace(sd->dacl, &a), NULL);
    ace(sd, TOKSIM_ACE_ACCESS_ALLOWED_OBJECT, 0, FILE_READ_DATA,
        WD); /* no object type: plain allow */
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_READ_DATA);
    granted(&x, FILE_READ_DATA);
    toksim_trace_dispose(&x.trace);
    x = check(sd, t, FILE_WRITE_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS_V(x, "access.ace.object_type", TOKSIM_V_SKIP);
    toksim_trace_dispose(&x.trace);
    toksim_sd_free(sd);
    sd = sd_new(BA, BA);
    ace(sd, TOKSIM_ACE_ACCESS_DENIED_OBJECT, 0, FILE_READ_DATA, WD);
    allow(sd, FILE_READ_DATA, WD);
    x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS(x, "access.ace.deny");
    done(&x, sd, t);
}

Test(access, callback_aces_are_not_evaluated)
{
    toksim_sd *sd = sd_new(BA, BA);
    ace(sd, TOKSIM_ACE_ACCESS_DENIED_CALLBACK, 0, FILE_ALL, WD);
    ace(sd, TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK, 0, FILE_ALL, WD);
    allow(sd, FILE_WRITE_DATA, WD);
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS_V(x, "access.ace.unsupported", TOKSIM_V_SKIP);
    toksim_trace_dispose(&x.trace);
    x = check(sd, t, FILE_WRITE_DATA);
    granted(&x, FILE_WRITE_DATA); /* the callback deny did not apply either */
    done(&x, sd, t);
}

Test(access, audit_ace_in_dacl_is_ignored)
{
    toksim_sd *sd = sd_new(BA, BA);
    ace(sd, TOKSIM_ACE_SYSTEM_AUDIT, 0, FILE_ALL, WD);
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS(x, "access.ace.ignored_type");
    done(&x, sd, t);
}

Test(access, principal_self_is_substituted)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_READ_DATA, "S-1-5-10");
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    toksim_trace_dispose(&x.trace);
    toksim_sid self = ts_test_sid(USER);
    toksim_access_request req = {0};
    req.desired = FILE_READ_DATA;
    req.object_type = TOKSIM_OBJ_FILE;
    req.principal_self = &self;
    x = check_req(sd, t, req);
    granted(&x, FILE_READ_DATA);
    done(&x, sd, t);
}

Test(access, write_restricted_checks_restricting_sids_for_writes_only)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_ALL, USER);
    toksim_token *t = tok_new();
    tok_restrict(t, "S-1-5-33"); /* WRITE RESTRICTED */
    toksim_token_set_write_restricted(t, true);
    run x = check(sd, t, FILE_GENERIC_READ);
    granted(&x, FILE_GENERIC_READ);
    HAS_V(x, "access.restricted.write_only", TOKSIM_V_SKIP);
    toksim_trace_dispose(&x.trace);
    x = check(sd, t, FILE_WRITE_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS(x, "access.restricted.pass");
    toksim_trace_dispose(&x.trace);
    /* A plain restricted token checks reads too. */
    toksim_token_set_write_restricted(t, false);
    x = check(sd, t, FILE_GENERIC_READ);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    done(&x, sd, t);
}

Test(access, desired_zero)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_ALL, WD);
    toksim_token *t = tok_new();
    run x = check(sd, t, 0);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS(x, "access.desired_zero");
    toksim_trace_dispose(&x.trace);
    toksim_access_request req = {0};
    req.object_type = TOKSIM_OBJ_FILE;
    req.previously_granted = FILE_READ_DATA;
    x = check_req(sd, t, req);
    granted(&x, FILE_READ_DATA);
    done(&x, sd, t);
}

Test(access, previously_granted_bits_are_not_checked_again)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_WRITE_DATA, WD);
    toksim_token *t = tok_new();
    toksim_access_request req = {0};
    req.object_type = TOKSIM_OBJ_FILE;
    req.desired = FILE_READ_DATA | FILE_WRITE_DATA;
    req.previously_granted = FILE_READ_DATA;
    run x = check_req(sd, t, req);
    granted(&x, FILE_READ_DATA | FILE_WRITE_DATA);
    HAS(x, "access.previously_granted");
    done(&x, sd, t);
}

Test(access, sd_without_owner_or_group_fails_the_api)
{
    toksim_sd *sd = sd_new(BA, NULL);
    allow(sd, FILE_ALL, WD);
    toksim_token *t = tok_new();
    run x = check(sd, t, FILE_READ_DATA);
    call_failed(&x, TOKSIM_STATUS_INVALID_SECURITY_DESCR, 1338, "access.invalid_sd");
    done(&x, sd, t);
}

Test(access, misuse_is_a_library_error)
{
    toksim_sd *sd = sd_new(BA, BA);
    toksim_token *t = tok_new();
    toksim_access_result r;
    toksim_access_request req = {0};
    cr_assert_eq(toksim_access_check(&r, NULL, t, &req, NULL), TOKSIM_EINVAL);
    cr_assert_eq(toksim_access_check(&r, sd, NULL, &req, NULL), TOKSIM_EINVAL);
    req.object_type = TOKSIM_OBJ__COUNT;
    cr_assert_eq(toksim_access_check(&r, sd, t, &req, NULL), TOKSIM_EINVAL);
    req.object_type = TOKSIM_OBJ_FILE;
    req.mode = (toksim_access_mode)7;
    cr_assert_eq(toksim_access_check(&r, sd, t, &req, NULL), TOKSIM_EINVAL);
    toksim_sd_free(sd);
    toksim_token_free(t);
}

/* ---- open mode (SeAccessCheck) ---- */

Test(access, open_mode_maps_generic_and_accepts_primary)
{
    toksim_sd *sd = sd_new(NULL, NULL); /* the kernel path does not require owner/group */
    allow(sd, TOKSIM_GENERIC_READ, WD);
    toksim_token *t = tok_new();
    toksim_token_set_type(t, TOKSIM_TOKEN_PRIMARY, TOKSIM_IMP_ANONYMOUS);
    toksim_access_request req = {0};
    req.desired = TOKSIM_GENERIC_READ;
    req.mode = TOKSIM_ACCESS_OPEN;
    req.object_type = TOKSIM_OBJ_FILE;
    run x = check_req(sd, t, req);
    granted(&x, FILE_GENERIC_READ);
    int i = find(&x, "access.generic_mapped", TOKSIM_V_CHANGE);
    cr_assert_geq(i, 0);
    cr_assert_eq(x.trace.events[i].mask, FILE_GENERIC_READ);
    done(&x, sd, t);
}

Test(access, open_mode_rejects_identification_token)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_ALL, WD);
    toksim_token *t = tok_new(); /* Identification */
    toksim_access_request req = {0};
    req.desired = FILE_READ_DATA;
    req.mode = TOKSIM_ACCESS_OPEN;
    req.object_type = TOKSIM_OBJ_FILE;
    run x = check_req(sd, t, req);
    call_failed(&x, TOKSIM_STATUS_BAD_IMPERSONATION_LEVEL, 1346,
                "access.bad_impersonation_level");
    cr_assert_eq(x.trace.events[find(&x, "access.bad_impersonation_level", -1)].b,
                 TOKSIM_IMP_IMPERSONATION);
    toksim_trace_dispose(&x.trace);
    toksim_token_set_type(t, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IMPERSONATION);
    x = check_req(sd, t, req);
    granted(&x, FILE_READ_DATA);
    done(&x, sd, t);
}

/* ---- privileges ---- */

Test(access, disabled_take_ownership_does_not_count)
{
    toksim_sd *sd = sd_new(BA, BA);
    dacl_empty(sd);
    toksim_token *t = tok_new();
    tok_priv(t, TOKSIM_PRIV_TAKE_OWNERSHIP, false);
    run x = check(sd, t, TOKSIM_WRITE_OWNER);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    int i = find(&x, "access.priv.disabled", -1);
    cr_assert_geq(i, 0);
    cr_assert_eq(x.trace.events[i].privilege, TOKSIM_PRIV_TAKE_OWNERSHIP);
    done(&x, sd, t);
}

Test(access, relabel_grants_write_owner)
{
    toksim_sd *sd = sd_new(BA, BA);
    dacl_empty(sd);
    toksim_token *t = tok_new();
    tok_priv(t, TOKSIM_PRIV_RELABEL, true);
    run x = check(sd, t, TOKSIM_WRITE_OWNER);
    granted(&x, TOKSIM_WRITE_OWNER);
    HAS_V(x, "access.priv.relabel", TOKSIM_V_GRANT);
    cr_assert_eq(x.r.privileges_used, (uint64_t)1 << TOKSIM_PRIV_RELABEL);
    done(&x, sd, t);
}

Test(access, privilege_plus_dacl)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_READ_DATA, WD);
    toksim_token *t = tok_new();
    tok_priv(t, TOKSIM_PRIV_TAKE_OWNERSHIP, true);
    run x = check(sd, t, TOKSIM_WRITE_OWNER | FILE_READ_DATA);
    granted(&x, TOKSIM_WRITE_OWNER | FILE_READ_DATA);
    done(&x, sd, t);
}

Test(access, backup_intent_grants_read_rights)
{
    toksim_sd *sd = sd_new(BA, BA);
    dacl_empty(sd);
    toksim_token *t = tok_new();
    tok_priv(t, TOKSIM_PRIV_BACKUP, true);
    tok_priv(t, TOKSIM_PRIV_RESTORE, true);
    /* backup intent is an option of an open: the kernel check at Impersonation level */
    toksim_token_set_type(t, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IMPERSONATION);
    toksim_access_request req = {0};
    req.mode = TOKSIM_ACCESS_OPEN;
    req.object_type = TOKSIM_OBJ_FILE;
    req.desired = FILE_GENERIC_READ;
    run x = check_req(sd, t, req);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5); /* no intent, no override */
    toksim_trace_dispose(&x.trace);
    req.flags = TOKSIM_ACCESS_BACKUP_INTENT;
    x = check_req(sd, t, req);
    granted(&x, FILE_GENERIC_READ);
    HAS_V(x, "access.priv.backup", TOKSIM_V_GRANT);
    cr_assert_eq(x.r.privileges_used, (uint64_t)1 << TOKSIM_PRIV_BACKUP);
    toksim_trace_dispose(&x.trace);
    req.desired = FILE_WRITE_DATA | TOKSIM_DELETE;
    x = check_req(sd, t, req);
    granted(&x, FILE_WRITE_DATA | TOKSIM_DELETE);
    HAS_V(x, "access.priv.restore", TOKSIM_V_GRANT);
    done(&x, sd, t);
}

/* AccessCheck() has no backup-intent input (Learn: token, descriptor, mask, mapping):
 * the library refuses the flag in api mode as misuse, naming the reason. */
Test(access, backup_intent_refused_in_api_mode)
{
    toksim_sd *sd = sd_new(BA, BA);
    dacl_empty(sd);
    toksim_token *t = tok_new();
    tok_priv(t, TOKSIM_PRIV_BACKUP, true);
    toksim_access_request req = {0};
    req.object_type = TOKSIM_OBJ_FILE;
    req.desired = FILE_GENERIC_READ;
    req.flags = TOKSIM_ACCESS_BACKUP_INTENT;
    toksim_error e = {0};
    cr_assert_eq(toksim_access_request_validate(&req, &e), TOKSIM_EINVAL);
    cr_assert(strstr(e.message, "AccessCheck() takes no backup intent"), "%s", e.message);
    cr_assert(strstr(e.message, "FILE_OPEN_FOR_BACKUP_INTENT"), "%s", e.message);
    toksim_access_result r;
    cr_assert_eq(toksim_access_check(&r, sd, t, &req, NULL), TOKSIM_EINVAL);
    req.flags = 0x80u; /* no such flag */
    cr_assert_eq(toksim_access_request_validate(&req, &e), TOKSIM_EINVAL);
    cr_assert(strstr(e.message, "0x80"), "%s", e.message);
    req.flags = TOKSIM_ACCESS_BACKUP_INTENT;
    req.mode = TOKSIM_ACCESS_OPEN;
    cr_assert_eq(toksim_access_request_validate(&req, NULL), TOKSIM_OK);
    toksim_sd_free(sd);
    toksim_token_free(t);
}

/* ---- MAXIMUM_ALLOWED ---- */

Test(access, maximum_allowed_collects_allow_minus_deny)
{
    toksim_sd *sd = sd_new(BA, BA);
    deny(sd, FILE_WRITE_DATA, WD);
    allow(sd, FILE_ALL, USER);
    deny(sd, FILE_READ_DATA, USER); /* after the allow: no effect on READ_DATA */
    toksim_token *t = tok_new();
    run x = check(sd, t, TOKSIM_MAXIMUM_ALLOWED);
    granted(&x, FILE_ALL & ~FILE_WRITE_DATA);
    HAS_V(x, "access.ace.deny", TOKSIM_V_DENY);
    HAS_V(x, "access.ace.redundant", TOKSIM_V_SKIP);
    cr_assert_eq(x.trace.events[find(&x, "access.maximum_allowed", -1)].mask,
                 FILE_ALL & ~FILE_WRITE_DATA);
    done(&x, sd, t);
}

Test(access, maximum_allowed_with_nothing_granted_is_denied)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_ALL, BA);
    toksim_token *t = tok_new();
    run x = check(sd, t, TOKSIM_MAXIMUM_ALLOWED);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    done(&x, sd, t);
}

Test(access, maximum_allowed_requires_explicit_bits)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_GENERIC_READ, WD);
    toksim_token *t = tok_new();
    run x = check(sd, t, TOKSIM_MAXIMUM_ALLOWED | FILE_READ_DATA);
    granted(&x, FILE_GENERIC_READ);
    toksim_trace_dispose(&x.trace);
    x = check(sd, t, TOKSIM_MAXIMUM_ALLOWED | FILE_WRITE_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    cr_assert_eq(x.r.missing, FILE_WRITE_DATA);
    done(&x, sd, t);
}

Test(access, maximum_allowed_adds_owner_rights)
{
    toksim_sd *sd = sd_new(USER, BA);
    allow(sd, FILE_READ_DATA, WD);
    toksim_token *t = tok_new();
    run x = check(sd, t, TOKSIM_MAXIMUM_ALLOWED);
    granted(&x, FILE_READ_DATA | TOKSIM_READ_CONTROL | TOKSIM_WRITE_DAC);
    HAS(x, "access.owner.implicit");
    done(&x, sd, t);
}

Test(access, maximum_allowed_restricted_intersection)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_ALL, USER);
    allow(sd, FILE_GENERIC_READ, "S-1-5-12");
    toksim_token *t = tok_new();
    tok_restrict(t, "S-1-5-12");
    run x = check(sd, t, TOKSIM_MAXIMUM_ALLOWED);
    granted(&x, FILE_GENERIC_READ);
    done(&x, sd, t);
}

Test(access, maximum_allowed_write_restricted_limits_writes_only)
{
    /* UNCONFIRMED switch TS_MAX_WRITE_RESTRICTED_LIMITS_WRITE_ONLY (access.c). */
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_ALL, USER);
    toksim_token *t = tok_new();
    tok_restrict(t, "S-1-5-33");
    toksim_token_set_write_restricted(t, true);
    run x = check(sd, t, TOKSIM_MAXIMUM_ALLOWED);
    granted(&x, FILE_ALL & ~(0x120116u & ~(FILE_GENERIC_READ | 0x1200A0u)));
    done(&x, sd, t);
}

Test(access, untraced_check_works)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_READ_DATA, WD);
    toksim_token *t = tok_new();
    toksim_access_request req = {0};
    req.desired = FILE_READ_DATA;
    req.object_type = TOKSIM_OBJ_FILE;
    toksim_access_result r;
    ts_assert_ok(toksim_access_check(&r, sd, t, &req, NULL), NULL);
    cr_assert(r.granted_all);
    toksim_sd_free(sd);
    toksim_token_free(t);
}

Test(access, trace_cap_does_not_change_the_verdict)
{
    toksim_sd *sd = sd_new(BA, BA);
    for (int i = 0; i < 20; i++)
        allow(sd, FILE_READ_DATA, BA);
    allow(sd, FILE_READ_DATA, WD);
    toksim_token *t = tok_new();
    toksim_access_request req = {0};
    req.desired = FILE_READ_DATA;
    req.object_type = TOKSIM_OBJ_FILE;
    toksim_trace tr;
    toksim_trace_init(&tr);
    tr.limit = 3;
    toksim_access_result r;
    ts_assert_ok(toksim_access_check(&r, sd, t, &req, &tr), NULL);
    cr_assert(r.granted_all);
    cr_assert(tr.truncated);
    toksim_trace_dispose(&tr);
    toksim_sd_free(sd);
    toksim_token_free(t);
}
