/* PURPOSE: a token copy takes its source's membership indexes with the SID pointers moved
 * to its own user and groups (issue 11: no rehashing). The copy must answer every
 * membership question as its source does (user, groups of each class, a user SID also
 * listed as a group, restricting SIDs, the label), keep answering after the source is
 * freed, and change independently of it.
 */
#include "../helpers.h"

static toksim_sid rid(uint32_t r)
{
    uint32_t sub[] = {21, 7, 8, 9, r};
    toksim_sid s;
    ts_assert_ok(toksim_sid_make(&s, 5, sub, 5), NULL);
    return s;
}

/* Both tokens answer alike for the user, the groups, the restricting SIDs and absent
 * SIDs. */
static void assert_same_answers(const toksim_token *a, const toksim_token *b)
{
    for (uint32_t r = 990; r < 1100; r++) {
        toksim_sid s = rid(r);
        cr_assert_eq(toksim_token_match(a, &s), toksim_token_match(b, &s), "rid %u", r);
        cr_assert_eq(toksim_token_match_restricted(a, &s),
                     toksim_token_match_restricted(b, &s), "restricted rid %u", r);
    }
    cr_assert_eq(toksim_token_integrity(a), toksim_token_integrity(b));
    cr_assert_eq(toksim_token_group_count(a), toksim_token_group_count(b));
}

static toksim_token *source(void)
{
    toksim_sid user = rid(1000);
    toksim_token *t = NULL;
    ts_assert_ok(toksim_token_new(&t, &user), NULL);
    for (uint32_t i = 0; i < 40; i++) { /* enabled, deny-only, disabled */
        toksim_sid g = rid(1001 + i);
        uint32_t attrs = i % 3 == 0   ? TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY
                         : i % 3 == 1 ? TOKSIM_SE_GROUP_ENABLED
                                      : 0;
        ts_assert_ok(toksim_token_add_group(t, &g, attrs), NULL);
    }
    /* the user listed as a group too (deny-only): the user's entry comes first */
    ts_assert_ok(toksim_token_add_group(t, &user, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY),
                 NULL);
    ts_assert_ok(toksim_token_set_integrity(t, TOKSIM_IL_HIGH), NULL);
    for (uint32_t i = 0; i < 5; i++) {
        toksim_sid r = rid(1050 + i);
        ts_assert_ok(
            toksim_token_add_restricted_sid(t, &r, i ? 0 : TOKSIM_SE_GROUP_ENABLED),
            NULL);
    }
    return t;
}

Test(token_copy_index, a_copy_answers_as_its_source)
{
    toksim_token *t = source(), *c = NULL, *cc = NULL;
    ts_assert_ok(toksim_token_copy(&c, t), NULL);
    assert_same_answers(t, c);
    toksim_sid user = rid(1000);
    cr_assert_eq(toksim_token_match(c, &user), TOKSIM_MATCH_ALLOW,
                 "the user entry wins over the deny-only group entry");
    toksim_token_free(t); /* the copy's index points into the copy only */
    ts_assert_ok(toksim_token_copy(&cc, c), NULL);
    assert_same_answers(c, cc);
    toksim_token_free(c);
    toksim_sid g = rid(1002);
    cr_assert_eq(toksim_token_match(cc, &g), TOKSIM_MATCH_ALLOW);
    toksim_token_free(cc);
}

Test(token_copy_index, copies_change_independently)
{
    toksim_token *t = source(), *c = NULL;
    ts_assert_ok(toksim_token_copy(&c, t), NULL);
    toksim_sid extra = rid(1090), g = rid(1002), r = rid(1050);
    ts_assert_ok(toksim_token_add_group(c, &extra, TOKSIM_SE_GROUP_ENABLED), NULL);
    ts_assert_ok(toksim_token_add_group(c, &g, 0), NULL); /* enabled -> disabled */
    ts_assert_ok(toksim_token_remove_restricted_sid(c, &r), NULL);
    toksim_token_set_user_attributes(c, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    ts_assert_ok(toksim_token_set_integrity(c, TOKSIM_IL_LOW), NULL);
    cr_assert_eq(toksim_token_match(c, &extra), TOKSIM_MATCH_ALLOW);
    cr_assert_eq(toksim_token_match(t, &extra), TOKSIM_MATCH_NONE);
    cr_assert_eq(toksim_token_match(c, &g), TOKSIM_MATCH_DISABLED);
    cr_assert_eq(toksim_token_match(t, &g), TOKSIM_MATCH_ALLOW);
    cr_assert_eq(toksim_token_match_restricted(c, &r), TOKSIM_MATCH_NONE);
    cr_assert_eq(toksim_token_match_restricted(t, &r), TOKSIM_MATCH_ALLOW);
    toksim_sid user = rid(1000);
    cr_assert_eq(toksim_token_match(c, &user), TOKSIM_MATCH_DENY_ONLY);
    cr_assert_eq(toksim_token_match(t, &user), TOKSIM_MATCH_ALLOW);
    cr_assert_eq(toksim_token_integrity(c), TOKSIM_IL_LOW);
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_HIGH);
    toksim_token_free(t);
    toksim_token_free(c);
}
