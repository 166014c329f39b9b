/*
 * PURPOSE: the untraced fast walk of the access check (docs/PERFORMANCE.md, "AccessCheck,
 * second round"): the relevance test, the plain prefix recorded in the ACL's tail record
 * (kept by toksim_acl_add and toksim_acl_sync), and a SID found with a class that cannot
 * apply to the ACE (deny-only in an allow ACE, disabled in any ACE). Every check runs
 * traced (general walk) and untraced (fast walk) and the results must be identical
 * (access_fixtures.h); the expected verdicts are the general walk's (windows-model §3.3).
 */
#include "access_fixtures.h"

#define GROUP    "S-1-5-21-1-2-3-2000"
#define DENYONLY "S-1-5-21-1-2-3-2001"
#define DISABLED "S-1-5-21-1-2-3-2002"
#define NOBODY   "S-1-5-21-1-2-3-5000"

static toksim_token *tok_mixed(void)
{
    toksim_token *t = tok_new();
    tok_group(t, GROUP, TOKSIM_SE_GROUP_DEFAULT);
    tok_group(t, DENYONLY, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    tok_group(t, DISABLED, 0); /* present, not enabled */
    return t;
}

/* An inherit-only ACE does not apply to the object: the fast walk must not read its
 * record as a plain ACE. Behind it a deny decides; were the prefix recorded too long, the
 * inherit-only allow would grant. */
Test(access_fast, record_after_the_plain_prefix_is_not_read_as_plain)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_WRITE_DATA, GROUP);
    ace(sd, TOKSIM_ACE_ACCESS_ALLOWED, TOKSIM_INHERIT_ONLY_ACE, FILE_READ_DATA, GROUP);
    deny(sd, FILE_READ_DATA, GROUP);
    toksim_token *t = tok_mixed();
    run x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    toksim_trace_dispose(&x.trace);
    ts_assert_ok(toksim_acl_sync(sd->dacl), NULL); /* the tail rebuilt by sync */
    x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    toksim_trace_dispose(&x.trace);
    x = check(sd, t, TOKSIM_MAXIMUM_ALLOWED);
    granted(&x, FILE_WRITE_DATA);
    done(&x, sd, t);
}

/* The plain prefix decides before the first record the general walk must read. */
Test(access_fast, plain_prefix_decides)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_READ_DATA, GROUP);
    ace(sd, TOKSIM_ACE_ACCESS_DENIED, TOKSIM_INHERIT_ONLY_ACE, FILE_READ_DATA, GROUP);
    toksim_token *t = tok_mixed();
    run x = check(sd, t, FILE_READ_DATA);
    granted(&x, FILE_READ_DATA);
    toksim_trace_dispose(&x.trace);
    /* not decided by the prefix: a GENERIC_EXECUTE ACE (mapped by the general walk) */
    ace(sd, TOKSIM_ACE_ACCESS_ALLOWED, 0, TOKSIM_GENERIC_EXECUTE, GROUP);
    x = check(sd, t, FILE_READ_DATA | FILE_EXECUTE);
    granted(&x, FILE_READ_DATA | FILE_EXECUTE);
    done(&x, sd, t);
}

/* A deny-only SID in an allow ACE and a disabled SID in either ACE change nothing; a
 * deny-only SID in a deny ACE denies. */
Test(access_fast, found_sid_whose_class_cannot_apply)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_READ_DATA, DENYONLY);
    deny(sd, FILE_READ_DATA, DISABLED);
    allow(sd, FILE_READ_DATA, DISABLED);
    allow(sd, FILE_WRITE_DATA, GROUP);
    toksim_token *t = tok_mixed();
    run x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    toksim_trace_dispose(&x.trace);
    x = check(sd, t, TOKSIM_MAXIMUM_ALLOWED);
    granted(&x, FILE_WRITE_DATA);
    toksim_trace_dispose(&x.trace);
    deny(sd, FILE_WRITE_DATA, DENYONLY); /* after the allow: too late for write */
    allow(sd, FILE_READ_DATA, GROUP);
    x = check(sd, t, FILE_READ_DATA | FILE_WRITE_DATA);
    granted(&x, FILE_READ_DATA | FILE_WRITE_DATA);
    toksim_trace_dispose(&x.trace);
    toksim_sd_free(sd);

    sd = sd_new(BA, BA);
    deny(sd, FILE_READ_DATA, DENYONLY);
    allow(sd, FILE_ALL, GROUP);
    x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    toksim_trace_dispose(&x.trace);
    x = check(sd, t, TOKSIM_MAXIMUM_ALLOWED);
    granted(&x, FILE_ALL & ~FILE_READ_DATA);
    done(&x, sd, t);
}

/* Relevance: ACEs whose masks miss what is still needed are passed over, and the answer
 * is the same; a deny of a right already granted does not deny. */
Test(access_fast, irrelevant_aces_change_nothing)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_READ_DATA, GROUP);
    deny(sd, FILE_READ_DATA, GROUP); /* decided already: not a denial */
    deny(sd, FILE_EXECUTE, NOBODY);
    allow(sd, FILE_WRITE_DATA, WD);
    toksim_token *t = tok_mixed();
    run x = check(sd, t, FILE_READ_DATA | FILE_WRITE_DATA);
    granted(&x, FILE_READ_DATA | FILE_WRITE_DATA);
    toksim_trace_dispose(&x.trace);
    x = check(sd, t, FILE_WRITE_DATA | FILE_EXECUTE);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    cr_assert_eq(x.r.missing, FILE_EXECUTE);
    toksim_trace_dispose(&x.trace);
    x = check(sd, t, TOKSIM_MAXIMUM_ALLOWED | FILE_READ_DATA);
    granted(&x, FILE_READ_DATA | FILE_WRITE_DATA);
    done(&x, sd, t);
}

/* An ACL emptied in place and synced keeps records (its capacity) and no ACE: denied. */
Test(access_fast, synced_empty_dacl)
{
    toksim_sd *sd = sd_new(BA, BA);
    allow(sd, FILE_READ_DATA, GROUP);
    sd->dacl->count = 0; /* the caller's in-place edit (ACE contents kept: plain ACE) */
    ts_assert_ok(toksim_acl_sync(sd->dacl), NULL);
    cr_assert_not_null(sd->dacl->keys);
    toksim_token *t = tok_mixed();
    run x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    toksim_trace_dispose(&x.trace);
    x = check(sd, t, TOKSIM_MAXIMUM_ALLOWED);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    sd->dacl->count = 1; /* back, so that the ACE is freed */
    ts_assert_ok(toksim_acl_sync(sd->dacl), NULL);
    done(&x, sd, t);
}
