/*
 * PURPOSE: the ACL's private per-ACE records (toksim_acl.keys) that the access check's
 * walk reads instead of the 144-byte ACEs (docs/PERFORMANCE.md): the ACL functions keep
 * them in step, toksim_acl_sync() refreshes them after an in-place edit, and an ACL whose
 * records are missing or out of step is still checked correctly. Every check here runs
 * traced and untraced (access_fixtures.h), so both instantiations of the walk are
 * covered.
 */
#include "access_fixtures.h"

#define GROUP   "S-1-5-21-1-2-3-2000"
#define NOBODY  "S-1-5-21-1-2-3-5000"
#define OWNERRT "S-1-3-4"

static toksim_token *tok_with_group(void)
{
    toksim_token *t = tok_new();
    tok_group(t, GROUP, TOKSIM_SE_GROUP_DEFAULT);
    return t;
}

static bool in_step(const toksim_acl *acl)
{
    return acl->keys != NULL && acl->keys_count == acl->count;
}

Test(acl_cache, records_follow_every_append_and_copy)
{
    toksim_sd *sd = sd_new(BA, BA);
    for (int i = 0; i < 40; i++) /* several reallocations of aces[] */
        allow(sd, FILE_WRITE_DATA, i % 2 ? NOBODY : GROUP);
    cr_assert(in_step(sd->dacl));
    toksim_sd *copy;
    ts_assert_ok(toksim_sd_copy(&copy, sd), NULL);
    cr_assert(in_step(copy->dacl));
    cr_assert_neq(copy->dacl->keys, sd->dacl->keys, "a copy owns its records");
    toksim_sd_free(copy);
    toksim_sd_free(sd);
}

Test(acl_cache, sync_after_in_place_type_edit)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_READ_DATA, GROUP);
    toksim_token *t = tok_with_group();
    run x = check(sd, t, FILE_READ_DATA);
    granted(&x, FILE_READ_DATA);
    toksim_trace_dispose(&x.trace);

    sd->dacl->aces[0].type = TOKSIM_ACE_ACCESS_DENIED; /* edited in place */
    ts_assert_ok(toksim_acl_sync(sd->dacl), NULL);
    x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS_V(x, "access.ace.deny", TOKSIM_V_DENY);
    done(&x, sd, t);
}

Test(acl_cache, sync_after_in_place_sid_and_mask_edit)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_READ_DATA, NOBODY);
    toksim_token *t = tok_with_group();
    run x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    toksim_trace_dispose(&x.trace);

    /* The SID (whose hash changes) and the mask, edited in place. */
    sd->dacl->aces[0].sid = ts_test_sid(GROUP);
    sd->dacl->aces[0].mask = FILE_READ_DATA | FILE_WRITE_DATA;
    ts_assert_ok(toksim_acl_sync(sd->dacl), NULL);
    cr_assert(in_step(sd->dacl));
    x = check(sd, t, FILE_READ_DATA | FILE_WRITE_DATA);
    granted(&x, FILE_READ_DATA | FILE_WRITE_DATA);
    done(&x, sd, t);
}

Test(acl_cache, sync_empties_and_rejects_null)
{
    toksim_acl *acl;
    ts_assert_ok(toksim_acl_new(&acl), NULL);
    ts_assert_ok(toksim_acl_sync(acl), NULL);
    cr_assert_eq(acl->keys_count, 0);
    cr_assert_eq(toksim_acl_sync(NULL), TOKSIM_EINVAL);
    toksim_acl_free(acl);
}

/* An ACL assembled by hand: no records. */
Test(acl_cache, hand_built_acl_is_checked_correctly)
{
    toksim_ace aces[2];
    memset(aces, 0, sizeof aces);
    aces[0].type = TOKSIM_ACE_ACCESS_DENIED;
    aces[0].mask = FILE_WRITE_DATA;
    aces[0].sid = ts_test_sid(GROUP);
    aces[1].type = TOKSIM_ACE_ACCESS_ALLOWED;
    aces[1].mask = FILE_READ_DATA | FILE_WRITE_DATA;
    aces[1].sid = ts_test_sid(GROUP);
    toksim_acl acl;
    memset(&acl, 0, sizeof acl);
    acl.revision = 2;
    acl.count = acl.capacity = 2;
    acl.aces = aces;

    toksim_sd *sd = sd_new(BA, BA);
    sd->control |= TOKSIM_SE_DACL_PRESENT;
    sd->dacl = &acl;
    toksim_token *t = tok_with_group();
    run x = check(sd, t, FILE_READ_DATA);
    granted(&x, FILE_READ_DATA);
    HAS_V(x, "access.ace.allow", TOKSIM_V_GRANT);
    toksim_trace_dispose(&x.trace);
    x = check(sd, t, FILE_WRITE_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    sd->dacl = NULL; /* the ACL is on the stack */
    done(&x, sd, t);
}

/* count lowered by hand without a sync: the records no longer match and are not used. */
Test(acl_cache, count_edited_by_hand_is_honoured)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_READ_DATA, NOBODY);
    allow(sd, FILE_READ_DATA, GROUP);
    toksim_token *t = tok_with_group();
    sd->dacl->count = 1;
    run x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    toksim_trace_dispose(&x.trace);
    sd->dacl->count = 2;
    x = check(sd, t, FILE_READ_DATA);
    granted(&x, FILE_READ_DATA);
    done(&x, sd, t);
}

/* ACEs the record marks "read the ACE": generic bits, inherit-only, OWNER RIGHTS,
 * object ACEs; mixed with plain ones. */
Test(acl_cache, slow_kinds_between_plain_aces)
{
    toksim_sd *sd = sd_new(GROUP, BA);
    ace(sd, TOKSIM_ACE_ACCESS_ALLOWED, TOKSIM_INHERIT_ONLY_ACE, FILE_ALL, GROUP);
    allow(sd, FILE_EXECUTE, NOBODY);
    allow(sd, TOKSIM_GENERIC_READ, GROUP);
    ace(sd, TOKSIM_ACE_ACCESS_DENIED_OBJECT, 0, FILE_WRITE_DATA, GROUP);
    allow(sd, TOKSIM_READ_CONTROL, OWNERRT);
    toksim_token *t = tok_with_group();
    toksim_access_request req = {0};
    req.desired = TOKSIM_MAXIMUM_ALLOWED;
    req.object_type = TOKSIM_OBJ_FILE;
    run x = check_req(sd, t, req);
    /* GENERIC_READ mapped for files; write denied; no WRITE_DAC (OWNER RIGHTS replaces
     * the owner's implicit rights); the inherit-only ACE grants nothing. */
    granted(&x, FILE_GENERIC_READ);
    HAS(x, "access.ace.inherit_only");
    HAS(x, "access.owner.rights_ace");
    done(&x, sd, t);
}
