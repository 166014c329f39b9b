/*
 * PURPOSE: fidelity tests of the access check against sources whose assertions ran on
 * real Windows: Wine's dlls/advapi32/tests/security.c (test_AccessCheck; its ok() lines
 * are the Windows results, todo_wine marks where Wine differs) and ReactOS's
 * modules/rostests/apitests/ntdll/NtAccessCheck.c (an API test written against
 * Windows). Each test names the source assertion it restates (facts only, no code).
 * docs/fidelity-notes.md lists every behaviour checked here and its status.
 */
#include "access_fixtures.h"

/* winnt.h registry rights, as Wine's test uses them (its mapping is the key mapping). */
#define KEY_QUERY_VALUE 0x0001u
#define KEY_SET_VALUE   0x0002u
#define KEY_READ        0x00020019u
#define KEY_WRITE       0x00020006u
#define KEY_EXECUTE     0x00020019u
#define KEY_ALL_ACCESS  0x000F003Fu

static const toksim_generic_mapping key_map = {KEY_READ, KEY_WRITE, KEY_EXECUTE,
                                               KEY_ALL_ACCESS};

/* AccessCheck() with Wine's GENERIC_MAPPING {KEY_READ, KEY_WRITE, KEY_EXECUTE,
 * KEY_ALL_ACCESS} and an impersonation token at SecurityImpersonation (Wine duplicates
 * the process token with DuplicateToken(..., SecurityImpersonation)). */
static run api(const toksim_sd *sd, const toksim_token *t, uint32_t desired)
{
    toksim_access_request req = {0};
    req.desired = desired;
    req.mode = TOKSIM_ACCESS_API;
    req.mapping = &key_map;
    return check_req(sd, t, req);
}

static toksim_token *imp_token(toksim_imp_level level)
{
    toksim_token *t = tok_new();
    toksim_token_set_type(t, TOKSIM_TOKEN_IMPERSONATION, level);
    return t;
}

/* Wine test_AccessCheck: the SD as Wine builds it: owner Administrators, group Users. */
static toksim_sd *wine_sd(void)
{
    return sd_new(BA, "S-1-5-32-545");
}

/* Wine test_AccessCheck "SD without owner/group": AccessCheck fails (returns FALSE) with
 * ERROR_INVALID_SECURITY_DESCR and leaves Access/AccessStatus untouched. */
Test(fidelity_access, wine_sd_without_owner_fails_invalid_security_descr)
{
    toksim_sd *sd = sd_new(NULL, NULL);
    dacl_empty(sd);
    toksim_token *t = imp_token(TOKSIM_IMP_IMPERSONATION);
    run x = api(sd, t, KEY_QUERY_VALUE);
    cr_assert(!x.r.api_ok);
    cr_assert_eq(x.r.win32, 1338u); /* ERROR_INVALID_SECURITY_DESCR */
    toksim_trace_dispose(&x.trace);
    toksim_token_free(t);
    toksim_sd_free(sd);
}

/* Wine test_AccessCheck "Generic access mask" (GENERIC_READ) and the test before it
 * (0xffffffff): the call fails with ERROR_GENERIC_NOT_MAPPED. */
Test(fidelity_access, wine_generic_desired_fails_generic_not_mapped)
{
    toksim_sd *sd = wine_sd();
    dacl_empty(sd);
    toksim_token *t = imp_token(TOKSIM_IMP_IMPERSONATION);
    const uint32_t masks[] = {0x80000000u /* GENERIC_READ */, 0xFFFFFFFFu};
    for (size_t i = 0; i < 2; i++) {
        run x = api(sd, t, masks[i]);
        cr_assert(!x.r.api_ok, "mask %#x", masks[i]);
        cr_assert_eq(x.r.win32, 1360u); /* ERROR_GENERIC_NOT_MAPPED */
        toksim_trace_dispose(&x.trace);
    }
    toksim_token_free(t);
    toksim_sd_free(sd);
}

/* Wine test_AccessCheck "sd with no dacl present": KEY_READ granted, Access == KEY_READ.
 * "sd with NULL dacl": KEY_READ granted; MAXIMUM_ALLOWED grants KEY_ALL_ACCESS (the
 * mapping's GenericAll). */
Test(fidelity_access, wine_absent_and_null_dacl)
{
    toksim_sd *sd = wine_sd();
    toksim_token *t = imp_token(TOKSIM_IMP_IMPERSONATION);
    run x = api(sd, t, KEY_READ); /* DACL absent */
    cr_assert(x.r.api_ok && x.r.granted_all);
    cr_assert_eq(x.r.granted, KEY_READ);
    toksim_trace_dispose(&x.trace);

    sd->control |= TOKSIM_SE_DACL_PRESENT; /* NULL DACL: present, no ACL */
    x = api(sd, t, KEY_READ);
    cr_assert(x.r.granted_all);
    cr_assert_eq(x.r.granted, KEY_READ);
    toksim_trace_dispose(&x.trace);
    x = api(sd, t, TOKSIM_MAXIMUM_ALLOWED);
    cr_assert(x.r.granted_all);
    cr_assert_eq(x.r.granted, KEY_ALL_ACCESS);
    toksim_trace_dispose(&x.trace);
    toksim_token_free(t);
    toksim_sd_free(sd);
}

/* Wine test_AccessCheck "sd with blank dacl": AccessCheck returns TRUE, AccessStatus
 * FALSE, GetLastError() == ERROR_ACCESS_DENIED, Access == 0. */
Test(fidelity_access, wine_blank_dacl_denies_with_zero_access)
{
    toksim_sd *sd = wine_sd();
    dacl_empty(sd);
    toksim_token *t = imp_token(TOKSIM_IMP_IMPERSONATION);
    run x = api(sd, t, KEY_READ);
    cr_assert(x.r.api_ok);
    cr_assert(!x.r.granted_all);
    cr_assert_eq(x.r.win32, 5u);
    cr_assert_eq(x.r.granted, 0u);
    toksim_trace_dispose(&x.trace);
    toksim_token_free(t);
    toksim_sd_free(sd);
}

/* Wine test_AccessCheck "sd with dacl" (allow KEY_READ to Everyone, deny KEY_SET_VALUE
 * to Administrators): KEY_READ granted with Access == KEY_READ; "Access denied by SD":
 * KEY_WRITE denied with Access == 0; MAXIMUM_ALLOWED grants something. */
Test(fidelity_access, wine_dacl_grant_and_deny)
{
    toksim_sd *sd = wine_sd();
    allow(sd, KEY_READ, WD);
    deny(sd, KEY_SET_VALUE, BA);
    toksim_token *t = imp_token(TOKSIM_IMP_IMPERSONATION);
    tok_group(t, BA, TOKSIM_SE_GROUP_DEFAULT); /* the test runs as an administrator */
    run x = api(sd, t, KEY_READ);
    cr_assert(x.r.granted_all);
    cr_assert_eq(x.r.granted, KEY_READ);
    toksim_trace_dispose(&x.trace);
    x = api(sd, t, KEY_WRITE);
    cr_assert(x.r.api_ok && !x.r.granted_all);
    cr_assert_eq(x.r.win32, 5u);
    cr_assert_eq(x.r.granted, 0u);
    toksim_trace_dispose(&x.trace);
    x = api(sd, t, TOKSIM_MAXIMUM_ALLOWED);
    cr_assert(x.r.granted_all);
    cr_assert_neq(x.r.granted, 0u);
    toksim_trace_dispose(&x.trace);
    toksim_token_free(t);
    toksim_sd_free(sd);
}

/* Wine test_AccessCheck: ACCESS_SYSTEM_SECURITY without SeSecurityPrivilege enabled:
 * AccessCheck returns TRUE, AccessStatus FALSE, ERROR_PRIVILEGE_NOT_HELD. With the
 * privilege enabled (RtlAdjustPrivilege on the impersonated thread token): granted,
 * Access == ACCESS_SYSTEM_SECURITY, PrivilegeSet->PrivilegeCount == 1. */
Test(fidelity_access, wine_access_system_security_needs_enabled_privilege)
{
    toksim_sd *sd = wine_sd();
    allow(sd, KEY_READ, WD);
    toksim_token *t = imp_token(TOKSIM_IMP_IMPERSONATION);
    tok_priv(t, TOKSIM_PRIV_SECURITY, false);
    run x = api(sd, t, TOKSIM_ACCESS_SYSTEM_SECURITY);
    cr_assert(x.r.api_ok && !x.r.granted_all);
    cr_assert_eq(x.r.win32, 1314u); /* ERROR_PRIVILEGE_NOT_HELD */
    toksim_trace_dispose(&x.trace);

    tok_priv(t, TOKSIM_PRIV_SECURITY, true);
    x = api(sd, t, TOKSIM_ACCESS_SYSTEM_SECURITY);
    cr_assert(x.r.api_ok && x.r.granted_all);
    cr_assert_eq(x.r.granted, TOKSIM_ACCESS_SYSTEM_SECURITY);
    cr_assert_eq(x.r.privileges_used, (uint64_t)1 << TOKSIM_PRIV_SECURITY);
    toksim_trace_dispose(&x.trace);
    toksim_token_free(t);
    toksim_sd_free(sd);
}

/* Wine test_AccessCheck "test INHERIT_ONLY_ACE": an inherit-only allow ACE grants
 * nothing: denied, ERROR_ACCESS_DENIED, Access == 0. */
Test(fidelity_access, wine_inherit_only_ace_grants_nothing)
{
    toksim_sd *sd = wine_sd();
    ace(sd, TOKSIM_ACE_ACCESS_ALLOWED, TOKSIM_INHERIT_ONLY_ACE, KEY_READ, WD);
    toksim_token *t = imp_token(TOKSIM_IMP_IMPERSONATION);
    run x = api(sd, t, KEY_READ);
    cr_assert(x.r.api_ok && !x.r.granted_all);
    cr_assert_eq(x.r.win32, 5u);
    cr_assert_eq(x.r.granted, 0u);
    toksim_trace_dispose(&x.trace);
    toksim_token_free(t);
    toksim_sd_free(sd);
}

/* Wine test_AccessCheck: a SecurityAnonymous token (DuplicateToken(...,
 * SecurityAnonymous)) fails with ERROR_BAD_IMPERSONATION_LEVEL even for MAXIMUM_ALLOWED;
 * the process (primary) token fails with ERROR_NO_IMPERSONATION_TOKEN. */
Test(fidelity_access, wine_anonymous_and_primary_tokens_fail_the_call)
{
    toksim_sd *sd = wine_sd();
    allow(sd, KEY_READ, WD);
    toksim_token *anon = imp_token(TOKSIM_IMP_ANONYMOUS);
    run x = api(sd, anon, TOKSIM_MAXIMUM_ALLOWED);
    cr_assert(!x.r.api_ok);
    cr_assert_eq(x.r.win32, 1346u);
    toksim_trace_dispose(&x.trace);
    toksim_token *prim = tok_new();
    toksim_token_set_type(prim, TOKSIM_TOKEN_PRIMARY, TOKSIM_IMP_ANONYMOUS);
    x = api(sd, prim, KEY_READ);
    cr_assert(!x.r.api_ok);
    cr_assert_eq(x.r.win32, 1309u); /* ERROR_NO_IMPERSONATION_TOKEN */
    toksim_trace_dispose(&x.trace);
    toksim_token_free(prim);
    toksim_token_free(anon);
    toksim_sd_free(sd);
}

/* ReactOS apitest NtAccessCheck.c AccessCheckEmptyMappingTest (written against Windows):
 * owner and group Everyone, DACL allowing GENERIC_ALL to Everyone, an all-zero
 * GENERIC_MAPPING and MAXIMUM_ALLOWED: NtAccessCheck returns STATUS_SUCCESS and
 * AccessStatus STATUS_SUCCESS (the owner's implicit READ_CONTROL|WRITE_DAC at least). */
Test(fidelity_access, reactos_apitest_empty_mapping_maximum_allowed_succeeds)
{
    static const toksim_generic_mapping empty = {0, 0, 0, 0};
    toksim_sd *sd = sd_new(WD, WD);
    allow(sd, 0x10000000u /* GENERIC_ALL */, WD);
    toksim_token *t = imp_token(TOKSIM_IMP_IMPERSONATION);
    toksim_access_request req = {0};
    req.desired = TOKSIM_MAXIMUM_ALLOWED;
    req.mode = TOKSIM_ACCESS_API;
    req.mapping = &empty;
    run x = check_req(sd, t, req);
    cr_assert(x.r.api_ok);
    cr_assert(x.r.granted_all);
    cr_assert_eq(x.r.ntstatus, 0u);
    cr_assert_eq(x.r.granted & (TOKSIM_READ_CONTROL | TOKSIM_WRITE_DAC),
                 TOKSIM_READ_CONTROL | TOKSIM_WRITE_DAC);
    toksim_trace_dispose(&x.trace);
    toksim_token_free(t);
    toksim_sd_free(sd);
}

/* A mandatory label with no policy bit (mask 0), token below the label. Forshaw's
 * re-implementation (chapter_7_access_check_impl.psm1, Test-MandatoryIntegrityLevel: the
 * allowed access is the label mask through the generic mapping) and NtApiDotNet's
 * GenericMapping.GetAllowedMandatoryAccess ("if (policy == MandatoryLabelPolicy.None)
 * return GenericAll") let through GenericAll of the mapping, nothing outside it: a
 * request for ACCESS_SYSTEM_SECURITY fails at the mandatory stage even with
 * SeSecurityPrivilege enabled, while rights inside GenericAll pass. toksim let every bit
 * through (switch TS_MIC_EMPTY_POLICY_ALLOWS_ALL = 1, UNCONFIRMED). */
Test(fidelity_access, forshaw_empty_label_policy_allows_generic_all_only)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_ALL, WD);
    label(sd, TOKSIM_IL_HIGH, 0);
    toksim_token *t = tok_new();
    tok_priv(t, TOKSIM_PRIV_SECURITY, true);
    toksim_access_request req = {0};
    req.mode = TOKSIM_ACCESS_OPEN;
    req.object_type = TOKSIM_OBJ_FILE;
    req.desired = TOKSIM_ACCESS_SYSTEM_SECURITY;
    toksim_token_set_type(t, TOKSIM_TOKEN_PRIMARY, TOKSIM_IMP_ANONYMOUS);
    run x = check_req(sd, t, req);
    cr_assert(x.r.api_ok);
    cr_assert(!x.r.granted_all);
    cr_assert_eq(x.r.win32, 5u);
    toksim_trace_dispose(&x.trace);
    req.desired = FILE_WRITE_DATA | FILE_READ_DATA;
    x = check_req(sd, t, req);
    cr_assert(x.r.granted_all);
    toksim_trace_dispose(&x.trace);
    toksim_token_free(t);
    toksim_sd_free(sd);
}

/* The trace names why: rule access.mic.no_policy with the removed bits. */
Test(fidelity_access, empty_label_policy_is_explained)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_ALL, WD);
    label(sd, TOKSIM_IL_HIGH, 0);
    toksim_token *t = tok_new();
    toksim_token_set_type(t, TOKSIM_TOKEN_PRIMARY, TOKSIM_IMP_ANONYMOUS);
    toksim_access_request req = {0};
    req.mode = TOKSIM_ACCESS_OPEN;
    req.object_type = TOKSIM_OBJ_FILE;
    req.desired = TOKSIM_ACCESS_SYSTEM_SECURITY;
    run x = check_req(sd, t, req);
    cr_assert(!x.r.granted_all);
    int i = find(&x, "access.mic.no_policy", TOKSIM_V_DENY);
    cr_assert_geq(i, 0);
    cr_assert_eq(x.trace.events[i].mask, TOKSIM_ACCESS_SYSTEM_SECURITY);
    toksim_trace_dispose(&x.trace);
    toksim_token_free(t);
    toksim_sd_free(sd);
}

/* MS-DTYP 2.5.3.2 (overview): an empty DACL "means that no principal can gain access to
 * the object, except through the implied access of the owner"; Learn, "Owner of a New
 * Object": the owner implicitly has WRITE_DAC. With an empty DACL the owner gets
 * READ_CONTROL|WRITE_DAC (explicitly or through MAXIMUM_ALLOWED) and nothing else. */
Test(fidelity_access, dtyp_empty_dacl_leaves_the_owner_its_implied_access)
{
    toksim_sd *sd = sd_new(USER, USER);
    dacl_empty(sd);
    toksim_token *t = tok_new();
    run x = check(sd, t, TOKSIM_READ_CONTROL | TOKSIM_WRITE_DAC);
    cr_assert(x.r.granted_all);
    toksim_trace_dispose(&x.trace);
    x = check(sd, t, TOKSIM_MAXIMUM_ALLOWED);
    cr_assert(x.r.granted_all);
    cr_assert_eq(x.r.granted, TOKSIM_READ_CONTROL | TOKSIM_WRITE_DAC);
    toksim_trace_dispose(&x.trace);
    x = check(sd, t, FILE_READ_DATA);
    cr_assert(!x.r.granted_all);
    cr_assert_eq(x.r.granted, 0u);
    toksim_trace_dispose(&x.trace);
    toksim_token_free(t);
    toksim_sd_free(sd);
}

/* Wine test_TokenIntegrityLevel: GetTokenInformation(TokenIntegrityLevel) reports the
 * label with attributes exactly SE_GROUP_INTEGRITY | SE_GROUP_INTEGRITY_ENABLED (0x60);
 * such a group is not SE_GROUP_ENABLED, so an ACE naming the integrity SID grants
 * nothing. */
Test(fidelity_access, wine_integrity_label_attributes)
{
    toksim_token *t = tok_new();
    toksim_sid medium = ts_test_sid("S-1-16-8192");
    const toksim_group *g = toksim_token_find_group(t, &medium);
    cr_assert_not_null(g);
    cr_assert_eq(g->attributes,
                 TOKSIM_SE_GROUP_INTEGRITY | TOKSIM_SE_GROUP_INTEGRITY_ENABLED);
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_READ_DATA, "S-1-16-8192");
    run x = check(sd, t, FILE_READ_DATA);
    cr_assert(!x.r.granted_all);
    toksim_trace_dispose(&x.trace);
    toksim_sd_free(sd);
    toksim_token_free(t);
}

/* ReactOS apitest NtAccessCheckByType.c ParamsValidationTests (written against Windows;
 * NtAccessCheckByType without a type list is NtAccessCheck): a primary token fails with
 * STATUS_NO_IMPERSONATION_TOKEN; a SecurityAnonymous impersonation token fails with
 * STATUS_BAD_IMPERSONATION_LEVEL for MAXIMUM_ALLOWED but with STATUS_GENERIC_NOT_MAPPED
 * for GENERIC_WRITE: the generic-bits test comes before the level test. An SD with no
 * owner, group or DACL: STATUS_INVALID_SECURITY_DESCR. */
Test(fidelity_access, reactos_apitest_precondition_order)
{
    toksim_sd *sd = wine_sd();
    dacl_empty(sd);
    toksim_token *anon = imp_token(TOKSIM_IMP_ANONYMOUS);
    run x = api(sd, anon, 0x40000000u /* GENERIC_WRITE */);
    cr_assert(!x.r.api_ok);
    cr_assert_eq(x.r.ntstatus, 0xC00000E6u); /* STATUS_GENERIC_NOT_MAPPED */
    toksim_trace_dispose(&x.trace);
    x = api(sd, anon, TOKSIM_MAXIMUM_ALLOWED);
    cr_assert_eq(x.r.ntstatus, 0xC00000A5u); /* STATUS_BAD_IMPERSONATION_LEVEL */
    toksim_trace_dispose(&x.trace);
    toksim_token *prim = tok_new();
    toksim_token_set_type(prim, TOKSIM_TOKEN_PRIMARY, TOKSIM_IMP_ANONYMOUS);
    x = api(sd, prim, TOKSIM_MAXIMUM_ALLOWED);
    cr_assert_eq(x.r.ntstatus, 0xC000005Cu); /* STATUS_NO_IMPERSONATION_TOKEN */
    toksim_trace_dispose(&x.trace);
    toksim_sd *bare = sd_new(NULL, NULL);
    toksim_token *imp = imp_token(TOKSIM_IMP_IMPERSONATION);
    x = api(bare, imp, TOKSIM_MAXIMUM_ALLOWED);
    cr_assert(!x.r.api_ok);
    cr_assert_eq(x.r.ntstatus, 0xC0000079u); /* STATUS_INVALID_SECURITY_DESCR */
    toksim_trace_dispose(&x.trace);
    toksim_token_free(imp);
    toksim_sd_free(bare);
    toksim_token_free(prim);
    toksim_token_free(anon);
    toksim_sd_free(sd);
}
