/*
 * PURPOSE: the token's membership index kept up incrementally (issue 11: building a token
 * is linear in its groups) and the access check's untraced fast path. Lookups after many
 * single adds must answer as a rebuilt index would: every group with its class, first
 * entry winning, label replacement and removals keeping the index in step. Checks run
 * traced (general path) and untraced (fast path) and are compared (access_fixtures.h).
 */
#include "access_fixtures.h"

static toksim_sid rid_sid(uint32_t rid)
{
    uint32_t sub[] = {21, 1, 2, 3, rid};
    toksim_sid s;
    ts_assert_ok(toksim_sid_make(&s, 5, sub, 5), NULL);
    return s;
}

static int cls_of(const toksim_token *t, const toksim_sid *s)
{
    return toksim_token_match(t, s);
}

Test(token_index, thousand_groups_added_one_by_one_all_answer)
{
    toksim_token *t = tok_new();
    for (uint32_t i = 0; i < 1000;
         i++) { /* every third deny-only, every fifth disabled */
        toksim_sid g = rid_sid(10000 + i);
        uint32_t attrs = i % 3 == 0   ? TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY
                         : i % 5 == 0 ? 0
                                      : TOKSIM_SE_GROUP_DEFAULT;
        ts_assert_ok(toksim_token_add_group(t, &g, attrs), NULL);
    }
    cr_assert_eq(toksim_token_group_count(t), 1003); /* + Everyone, AU, the label */
    for (uint32_t i = 0; i < 1000; i++) {
        toksim_sid g = rid_sid(10000 + i);
        int want = i % 3 == 0   ? TOKSIM_MATCH_DENY_ONLY
                   : i % 5 == 0 ? TOKSIM_MATCH_DISABLED
                                : TOKSIM_MATCH_ALLOW;
        cr_assert_eq(cls_of(t, &g), want, "group %u", i);
        const toksim_group *fg = toksim_token_find_group(t, &g);
        cr_assert_not_null(fg);
        cr_assert(toksim_sid_equal(&fg->sid, &g));
    }
    for (uint32_t i = 0; i < 200; i++) {
        toksim_sid absent = rid_sid(50000 + i);
        cr_assert_eq(cls_of(t, &absent), TOKSIM_MATCH_NONE);
        cr_assert_null(toksim_token_find_group(t, &absent));
    }
    toksim_sid u = ts_test_sid(USER), wd = ts_test_sid(WD);
    cr_assert_eq(cls_of(t, &u), TOKSIM_MATCH_ALLOW);
    cr_assert_eq(cls_of(t, &wd), TOKSIM_MATCH_ALLOW);
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_MEDIUM);

    /* Changing an entry's attributes, removing one, replacing the label. */
    toksim_sid g1 = rid_sid(10001), g2 = rid_sid(10002);
    tok_group(t, "S-1-5-21-1-2-3-10001", TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert_eq(cls_of(t, &g1), TOKSIM_MATCH_DENY_ONLY);
    cr_assert_eq(toksim_token_group_count(t), 1003, "an existing SID is not added twice");
    ts_assert_ok(toksim_token_remove_group(t, &g1), NULL);
    cr_assert_eq(cls_of(t, &g1), TOKSIM_MATCH_NONE);
    cr_assert_eq(cls_of(t, &g2), TOKSIM_MATCH_ALLOW, "entries after the removed one");
    ts_assert_ok(toksim_token_set_integrity(t, TOKSIM_IL_LOW), NULL);
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_LOW);
    cr_assert_eq(cls_of(t, &g2), TOKSIM_MATCH_ALLOW, "after the label moved");
    toksim_sid last = rid_sid(10998);
    cr_assert_eq(cls_of(t, &last), TOKSIM_MATCH_ALLOW);
    toksim_token_free(t);
}

Test(token_index, user_sid_also_a_group_first_entry_wins)
{
    toksim_token *t = tok_new();
    for (uint32_t i = 0; i < 40; i++) {
        toksim_sid g = rid_sid(20000 + i);
        ts_assert_ok(toksim_token_add_group(t, &g, TOKSIM_SE_GROUP_DEFAULT), NULL);
    }
    tok_group(t, USER, 0); /* a disabled group that is the user SID: the user decides */
    toksim_sid u = ts_test_sid(USER);
    cr_assert_eq(cls_of(t, &u), TOKSIM_MATCH_ALLOW);
    const toksim_group *fg = toksim_token_find_group(t, &u);
    cr_assert_not_null(fg, "the group entry exists all the same");
    cr_assert_eq(fg->attributes, 0);
    tok_group(t, USER, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY); /* update, not a second add */
    cr_assert_eq(toksim_token_find_group(t, &u)->attributes,
                 TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert_eq(toksim_token_group_count(t), 3 + 40 + 1);
    toksim_token_free(t);
}

Test(token_index, copy_of_a_grown_token_answers_alike)
{
    toksim_token *t = tok_new();
    for (uint32_t i = 0; i < 300; i++) {
        toksim_sid g = rid_sid(30000 + i);
        ts_assert_ok(toksim_token_add_group(t, &g, i % 2 ? TOKSIM_SE_GROUP_DEFAULT : 0),
                     NULL);
    }
    toksim_token *c;
    ts_assert_ok(toksim_token_copy(&c, t), NULL);
    for (uint32_t i = 0; i < 300; i++) {
        toksim_sid g = rid_sid(30000 + i);
        cr_assert_eq(cls_of(c, &g), cls_of(t, &g));
    }
    toksim_token_free(c);
    toksim_token_free(t);
}

/* The untraced fast path (access.c fast_check) must agree with the general path on the
 * shapes next to its edges: owner implicit rights, a label, restricted tokens, denials.
 */
Test(token_index, fast_path_agrees_with_the_general_path)
{
    toksim_token *t = tok_new();
    tok_group(t, "S-1-5-21-1-2-3-2000", TOKSIM_SE_GROUP_DEFAULT);
    toksim_sd *sd = sd_new(USER, BA); /* the token owns the object */
    allow(sd, FILE_READ_DATA, "S-1-5-21-1-2-3-2000");
    deny(sd, FILE_WRITE_DATA, WD);

    run a = check(sd, t, FILE_READ_DATA); /* fast path: granted by the ACE */
    cr_assert(a.r.granted_all);
    cr_assert_eq(a.r.granted, FILE_READ_DATA);
    toksim_trace_dispose(&a.trace);

    run b = check(sd, t, FILE_WRITE_DATA); /* fast path: denied by the deny ACE */
    cr_assert(!b.r.granted_all);
    cr_assert_eq(b.r.win32, 5);
    cr_assert_eq(b.r.missing, FILE_WRITE_DATA);
    toksim_trace_dispose(&b.trace);

    run c = check(sd, t, FILE_READ_DATA | 0x00020000u); /* READ_CONTROL: owner rights */
    cr_assert(c.r.granted_all, "the owner's implicit READ_CONTROL (general path)");
    toksim_trace_dispose(&c.trace);

    /* MAXIMUM_ALLOWED: the DACL's grant, less what a deny ACE took first; with the
     * owner's implicit rights when the token owns the object (general path). */
    run m = check(sd, t, TOKSIM_MAXIMUM_ALLOWED);
    cr_assert(m.r.granted_all);
    cr_assert_eq(m.r.granted, FILE_READ_DATA | 0x00060000u,
                 "READ_CONTROL|WRITE_DAC: owner");
    toksim_trace_dispose(&m.trace);
    toksim_sd *other = sd_new(BA, BA); /* not the token's */
    allow(other, FILE_READ_DATA | FILE_WRITE_DATA, "S-1-5-21-1-2-3-2000");
    deny(other, FILE_WRITE_DATA, WD); /* too late: the allow decided the bit */
    run m2 = check(other, t, TOKSIM_MAXIMUM_ALLOWED);
    cr_assert(m2.r.granted_all);
    cr_assert_eq(m2.r.granted, FILE_READ_DATA | FILE_WRITE_DATA);
    toksim_trace_dispose(&m2.trace);
    run m3 = check(other, t, TOKSIM_MAXIMUM_ALLOWED | FILE_EXECUTE);
    cr_assert(!m3.r.granted_all, "an asked bit the DACL does not grant");
    cr_assert_eq(m3.r.missing, FILE_EXECUTE);
    toksim_trace_dispose(&m3.trace);
    toksim_sd *none = sd_new(BA, BA);
    deny(none, FILE_READ_DATA, WD);
    run m4 = check(none, t, TOKSIM_MAXIMUM_ALLOWED);
    cr_assert(!m4.r.granted_all, "nothing granted: MAXIMUM_ALLOWED fails");
    cr_assert_eq(m4.r.missing, TOKSIM_MAXIMUM_ALLOWED);
    toksim_trace_dispose(&m4.trace);
    toksim_sd_free(none);
    toksim_sd_free(other);

    label(sd, TOKSIM_IL_HIGH, TOKSIM_MANDATORY_NO_WRITE_UP);
    run d = check(sd, t, FILE_WRITE_DATA | FILE_READ_DATA);
    cr_assert(!d.r.granted_all, "a High label stops a Medium writer");
    toksim_trace_dispose(&d.trace);
    toksim_sd_free(sd);
    toksim_token_free(t);
}

/* OWNER RIGHTS and PRINCIPAL_SELF stay placeholders in the ACL records: the fast path
 * hands such a DACL to the general walk, which substitutes the owner / the principal.
 * (Other one-sub-authority SIDs, Everyone or SYSTEM, are plain records.) */
Test(token_index, placeholder_aces_are_not_plain_records)
{
    toksim_token *t = tok_new();
    tok_group(t, "S-1-5-21-1-2-3-2000", TOKSIM_SE_GROUP_DEFAULT);
    toksim_sd *sd = sd_new("S-1-5-21-1-2-3-2000", BA); /* owned through a group */
    allow(sd, FILE_EXECUTE, WD);                       /* plain, one sub-authority */
    allow(sd, FILE_READ_DATA, "S-1-3-4");              /* OWNER RIGHTS: the owner */
    run a = check(sd, t, FILE_READ_DATA | FILE_EXECUTE);
    cr_assert(a.r.granted_all, "OWNER RIGHTS names the owner, a group of the token");
    toksim_trace_dispose(&a.trace);

    toksim_access_request req = {0};
    toksim_sid self = ts_test_sid("S-1-5-21-1-2-3-2000");
    toksim_sd *ps = sd_new(BA, BA);
    allow(ps, FILE_READ_DATA, "S-1-5-10"); /* PRINCIPAL_SELF */
    req.desired = FILE_READ_DATA;
    req.object_type = TOKSIM_OBJ_FILE;
    run b = check_req(ps, t, req);
    cr_assert(!b.r.granted_all, "no principal given: S-1-5-10 is nobody in the token");
    toksim_trace_dispose(&b.trace);
    req.principal_self = &self;
    run c = check_req(ps, t, req);
    cr_assert(c.r.granted_all, "the principal is a group of the token");
    toksim_trace_dispose(&c.trace);
    toksim_sd_free(ps);
    toksim_sd_free(sd);
    toksim_token_free(t);
}
