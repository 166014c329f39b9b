/* PURPOSE: the token object: groups, privileges, label, owner, copy, membership index
 * (windows-model §3.2, §14.1). */
#include "../helpers.h"

static toksim_token *new_token(const char *user)
{
    toksim_sid u = ts_test_sid(user);
    toksim_token *t = NULL;
    ts_assert_ok(toksim_token_new(&t, &u), NULL);
    return t;
}

static int match(const toksim_token *t, const char *sid)
{
    toksim_sid s = ts_test_sid(sid);
    return toksim_token_match(t, &s);
}

Test(token, defaults)
{
    toksim_token *t = new_token("S-1-5-21-1-2-3-1001");
    cr_assert_eq(toksim_token_type_of(t), TOKSIM_TOKEN_PRIMARY);
    cr_assert_eq(toksim_token_mandatory_policy(t),
                 TOKSIM_TOKEN_MANDATORY_POLICY_NO_WRITE_UP);
    cr_assert(toksim_sid_equal(toksim_token_owner(t), toksim_token_user(t)));
    cr_assert(toksim_sid_equal(toksim_token_primary_group(t), toksim_token_user(t)));
    cr_assert_not(toksim_token_has_integrity(t));
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_UNTRUSTED);
    cr_assert_eq(toksim_token_group_count(t), 0);
    cr_assert_eq(toksim_token_privilege_count(t), 0);
    cr_assert_not(toksim_token_is_restricted(t));
    cr_assert_null(toksim_token_default_dacl(t));
    cr_assert_eq(toksim_token_elevation_type(t), TOKSIM_ELEVATION_DEFAULT);
    toksim_token_free(t);
}

Test(token, groups_keep_insertion_order_and_replace_attributes)
{
    toksim_token *t = new_token("S-1-5-21-1-2-3-1001");
    const char *g[] = {"S-1-5-32-545", "S-1-1-0", "S-1-5-11", "S-1-5-2"};
    for (size_t i = 0; i < 4; i++) {
        toksim_sid s = ts_test_sid(g[i]);
        ts_assert_ok(toksim_token_add_group(t, &s, TOKSIM_SE_GROUP_DEFAULT), NULL);
    }
    toksim_sid ev = ts_test_sid("S-1-1-0");
    ts_assert_ok(toksim_token_add_group(t, &ev, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY), NULL);
    cr_assert_eq(toksim_token_group_count(t), 4);
    for (size_t i = 0; i < 4; i++) {
        char buf[64];
        toksim_sid_format(buf, sizeof buf, &toksim_token_group_at(t, i)->sid);
        cr_assert_str_eq(buf, g[i]);
    }
    cr_assert_eq(toksim_token_find_group(t, &ev)->attributes,
                 TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert_null(toksim_token_group_at(t, 4));
    ts_assert_ok(toksim_token_remove_group(t, &ev), NULL);
    cr_assert_eq(toksim_token_group_count(t), 3);
    cr_assert_eq(toksim_token_remove_group(t, &ev), TOKSIM_ENOTFOUND);
    cr_assert_eq(match(t, "S-1-1-0"), TOKSIM_MATCH_NONE);
    cr_assert_eq(match(t, "S-1-5-11"), TOKSIM_MATCH_ALLOW);
    toksim_token_free(t);
}

Test(token, match_classes)
{
    toksim_token *t = new_token("S-1-5-21-1-2-3-1001");
    toksim_sid ba = ts_test_sid("S-1-5-32-544"), dis = ts_test_sid("S-1-5-32-555"),
               au = ts_test_sid("S-1-5-11");
    ts_assert_ok(toksim_token_add_group(t, &ba, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY), NULL);
    ts_assert_ok(toksim_token_add_group(t, &dis, TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT),
                 NULL);
    ts_assert_ok(toksim_token_add_group(t, &au, TOKSIM_SE_GROUP_DEFAULT), NULL);
    cr_assert_eq(match(t, "S-1-5-21-1-2-3-1001"),
                 TOKSIM_MATCH_ALLOW); /* user: enabled by nature */
    cr_assert_eq(match(t, "S-1-5-32-544"), TOKSIM_MATCH_DENY_ONLY);
    cr_assert_eq(match(t, "S-1-5-32-555"), TOKSIM_MATCH_DISABLED);
    cr_assert_eq(match(t, "S-1-5-11"), TOKSIM_MATCH_ALLOW);
    cr_assert_eq(match(t, "S-1-5-18"), TOKSIM_MATCH_NONE);
    /* Attribute change is reflected by the index. */
    ts_assert_ok(toksim_token_add_group(t, &dis, TOKSIM_SE_GROUP_DEFAULT), NULL);
    cr_assert_eq(match(t, "S-1-5-32-555"), TOKSIM_MATCH_ALLOW);
    toksim_token_set_user_attributes(t, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert_eq(match(t, "S-1-5-21-1-2-3-1001"), TOKSIM_MATCH_DENY_ONLY);
    toksim_token_free(t);
}

Test(token, user_entry_wins_over_group_with_same_sid)
{
    toksim_token *t = new_token("S-1-5-18");
    toksim_sid sys = ts_test_sid("S-1-5-18");
    ts_assert_ok(toksim_token_add_group(t, &sys, 0), NULL);
    cr_assert_eq(match(t, "S-1-5-18"), TOKSIM_MATCH_ALLOW);
    toksim_token_free(t);
}

Test(token, index_survives_many_groups)
{
    toksim_token *t = new_token("S-1-5-21-1-2-3-1001");
    for (uint32_t i = 0; i < 300; i++) {
        toksim_sid s;
        uint32_t sub[] = {21, 9, 9, 9, 2000 + i};
        ts_assert_ok(toksim_sid_make(&s, 5, sub, 5), NULL);
        ts_assert_ok(toksim_token_add_group(t, &s,
                                            (i % 3 == 0)
                                                ? TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY
                                            : (i % 3 == 1) ? TOKSIM_SE_GROUP_DEFAULT
                                                           : 0),
                     NULL);
    }
    for (uint32_t i = 0; i < 300; i++) {
        toksim_sid s;
        uint32_t sub[] = {21, 9, 9, 9, 2000 + i};
        ts_assert_ok(toksim_sid_make(&s, 5, sub, 5), NULL);
        int want = (i % 3 == 0)   ? TOKSIM_MATCH_DENY_ONLY
                   : (i % 3 == 1) ? TOKSIM_MATCH_ALLOW
                                  : TOKSIM_MATCH_DISABLED;
        cr_assert_eq(toksim_token_match(t, &s), want, "group %u", i);
        uint32_t other[] = {21, 9, 9, 8, 2000 + i};
        ts_assert_ok(toksim_sid_make(&s, 5, other, 5), NULL);
        cr_assert_eq(toksim_token_match(t, &s), TOKSIM_MATCH_NONE);
    }
    toksim_token_free(t);
}

Test(token, group_cap)
{
    toksim_token *t = new_token("S-1-5-21-1-2-3-1001");
    toksim_status rc = TOKSIM_OK;
    for (uint32_t i = 0; i <= TOKSIM_TOKEN_MAX_GROUPS && rc == TOKSIM_OK; i++) {
        toksim_sid s;
        uint32_t sub[] = {21, 7, 7, 7, i};
        ts_assert_ok(toksim_sid_make(&s, 5, sub, 5), NULL);
        rc = toksim_token_add_group(t, &s, TOKSIM_SE_GROUP_DEFAULT);
    }
    cr_assert_eq(rc, TOKSIM_ELIMIT);
    cr_assert_eq(toksim_token_group_count(t), TOKSIM_TOKEN_MAX_GROUPS);
    toksim_token_free(t);
}

Test(token, integrity_label_is_one_group)
{
    toksim_token *t = new_token("S-1-5-21-1-2-3-1001");
    ts_assert_ok(toksim_token_set_integrity(t, TOKSIM_IL_MEDIUM), NULL);
    cr_assert(toksim_token_has_integrity(t));
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_MEDIUM);
    ts_assert_ok(toksim_token_set_integrity(t, TOKSIM_IL_HIGH), NULL);
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_HIGH);
    cr_assert_eq(toksim_token_group_count(t), 1);
    const toksim_group *g = toksim_token_group_at(t, 0);
    cr_assert_eq(g->attributes,
                 TOKSIM_SE_GROUP_INTEGRITY | TOKSIM_SE_GROUP_INTEGRITY_ENABLED);
    /* Adding another label SID through add_group replaces it as well. */
    toksim_sid low = ts_test_sid("S-1-16-4096");
    ts_assert_ok(toksim_token_add_group(t, &low,
                                        TOKSIM_SE_GROUP_INTEGRITY |
                                            TOKSIM_SE_GROUP_INTEGRITY_ENABLED),
                 NULL);
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_LOW);
    cr_assert_eq(toksim_token_group_count(t), 1);
    /* The label is not an enabled group: it never matches an ACE. */
    cr_assert_eq(match(t, "S-1-16-4096"), TOKSIM_MATCH_DISABLED);
    toksim_token_free(t);
}

Test(token, privileges_by_luid)
{
    toksim_token *t = new_token("S-1-5-21-1-2-3-1001");
    ts_assert_ok(toksim_token_set_privilege(t, TOKSIM_PRIV_IMPERSONATE,
                                            TOKSIM_SE_PRIVILEGE_ENABLED |
                                                TOKSIM_SE_PRIVILEGE_ENABLED_BY_DEFAULT),
                 NULL);
    ts_assert_ok(toksim_token_set_privilege(t, TOKSIM_PRIV_CHANGE_NOTIFY,
                                            TOKSIM_SE_PRIVILEGE_ENABLED),
                 NULL);
    ts_assert_ok(toksim_token_set_privilege(t, TOKSIM_PRIV_BACKUP, 0), NULL);
    cr_assert_eq(toksim_token_set_privilege(t, 1, 0), TOKSIM_EINVAL);
    cr_assert_eq(toksim_token_set_privilege(t, 37, 0), TOKSIM_EINVAL);
    cr_assert_eq(toksim_token_privilege_count(t), 3);
    cr_assert(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    cr_assert_not(
        toksim_token_privilege_enabled(t, TOKSIM_PRIV_BACKUP)); /* held, disabled */
    cr_assert_eq(toksim_token_privilege(t, TOKSIM_PRIV_BACKUP), 0);
    cr_assert_eq(toksim_token_privilege(t, TOKSIM_PRIV_DEBUG), -1);
    uint32_t luid, attrs;
    cr_assert(toksim_token_privilege_at(t, 0, &luid, &attrs));
    cr_assert_eq(luid, TOKSIM_PRIV_BACKUP); /* LUID order */
    cr_assert(toksim_token_privilege_at(t, 2, &luid, &attrs));
    cr_assert_eq(luid, TOKSIM_PRIV_IMPERSONATE);
    cr_assert_eq(attrs,
                 TOKSIM_SE_PRIVILEGE_ENABLED | TOKSIM_SE_PRIVILEGE_ENABLED_BY_DEFAULT);
    cr_assert_not(toksim_token_privilege_at(t, 3, &luid, &attrs));
    toksim_token_remove_privilege(t, TOKSIM_PRIV_IMPERSONATE);
    cr_assert_eq(toksim_token_privilege(t, TOKSIM_PRIV_IMPERSONATE), -1);
    ts_assert_ok(
        toksim_token_set_privilege(t, TOKSIM_PRIV_BACKUP, TOKSIM_SE_PRIVILEGE_REMOVED),
        NULL);
    cr_assert_eq(toksim_token_privilege_count(t), 1);
    toksim_token_free(t);
}

Test(token, owner_must_be_user_or_group)
{
    toksim_token *t = new_token("S-1-5-21-1-2-3-1001");
    toksim_sid ba = ts_test_sid("S-1-5-32-544");
    cr_assert_eq(toksim_token_set_owner(t, &ba), TOKSIM_ENOTFOUND);
    ts_assert_ok(
        toksim_token_add_group(t, &ba, TOKSIM_SE_GROUP_DEFAULT | TOKSIM_SE_GROUP_OWNER),
        NULL);
    ts_assert_ok(toksim_token_set_owner(t, &ba), NULL);
    cr_assert(toksim_sid_equal(toksim_token_owner(t), &ba));
    ts_assert_ok(toksim_token_remove_group(t, &ba), NULL);
    cr_assert(toksim_sid_equal(toksim_token_owner(t), toksim_token_user(t)));
    toksim_token_free(t);
}

Test(token, restricted_sids)
{
    toksim_token *t = new_token("S-1-5-21-1-2-3-1001");
    toksim_sid r = ts_test_sid("S-1-5-12"), w = ts_test_sid("S-1-1-0");
    ts_assert_ok(toksim_token_add_restricted_sid(t, &r, 0), NULL);
    ts_assert_ok(
        toksim_token_add_restricted_sid(t, &w, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY), NULL);
    cr_assert(toksim_token_is_restricted(t));
    cr_assert_eq(toksim_token_restricted_count(t), 2);
    /* Attribute 0 is normalised to Mandatory|EnabledByDefault|Enabled, as NtFilterToken
     * sets. */
    cr_assert_eq(toksim_token_match_restricted(t, &r), TOKSIM_MATCH_ALLOW);
    cr_assert_eq(toksim_token_match_restricted(t, &w), TOKSIM_MATCH_DENY_ONLY);
    cr_assert_eq(toksim_token_match_restricted(t, toksim_token_user(t)),
                 TOKSIM_MATCH_NONE);
    cr_assert_eq(toksim_token_match(t, &r), TOKSIM_MATCH_NONE);
    toksim_token_set_write_restricted(t, true);
    cr_assert(toksim_token_is_write_restricted(t));
    toksim_token_free(t);
}

Test(token, copy_is_deep_including_linked)
{
    toksim_token *t = new_token("S-1-5-21-1-2-3-1001");
    toksim_token *lnk = new_token("S-1-5-21-1-2-3-1001");
    toksim_sid ba = ts_test_sid("S-1-5-32-544");
    ts_assert_ok(toksim_token_add_group(t, &ba, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY), NULL);
    ts_assert_ok(toksim_token_add_group(lnk, &ba, TOKSIM_SE_GROUP_DEFAULT), NULL);
    ts_assert_ok(toksim_token_set_integrity(lnk, TOKSIM_IL_HIGH), NULL);
    ts_assert_ok(toksim_token_set_privilege(t, TOKSIM_PRIV_SHUTDOWN, 0), NULL);
    toksim_acl *dacl;
    ts_assert_ok(toksim_acl_new(&dacl), NULL);
    ts_assert_ok(
        toksim_acl_add(dacl, TOKSIM_ACE_ACCESS_ALLOWED, 0, TOKSIM_GENERIC_ALL, &ba),
        NULL);
    ts_assert_ok(toksim_token_set_default_dacl(t, dacl), NULL);
    toksim_acl_free(dacl);
    toksim_token_set_linked(t, lnk);
    toksim_token_set_type(t, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IDENTIFICATION);
    toksim_token_set_source(t, "User32Long");
    toksim_token_set_elevation(t, TOKSIM_ELEVATION_LIMITED, false);
    toksim_token_set_auth_id(t, 0x1234);

    toksim_token *c;
    ts_assert_ok(toksim_token_copy(&c, t), NULL);
    toksim_token_free(t); /* the copy must not share anything */
    cr_assert_eq(match(c, "S-1-5-32-544"), TOKSIM_MATCH_DENY_ONLY);
    cr_assert_eq(toksim_token_privilege(c, TOKSIM_PRIV_SHUTDOWN), 0);
    cr_assert_eq(toksim_token_default_dacl(c)->count, 1);
    cr_assert_eq(toksim_token_level(c), TOKSIM_IMP_IDENTIFICATION);
    cr_assert_str_eq(toksim_token_source(c), "User32Lo");
    cr_assert_eq(toksim_token_auth_id(c), 0x1234);
    cr_assert_eq(toksim_token_elevation_type(c), TOKSIM_ELEVATION_LIMITED);
    const toksim_token *cl = toksim_token_linked(c);
    cr_assert_not_null(cl);
    cr_assert_eq(toksim_token_integrity(cl), TOKSIM_IL_HIGH);
    cr_assert_eq(match(cl, "S-1-5-32-544"), TOKSIM_MATCH_ALLOW);
    toksim_token_free(c);
}

Test(token, names)
{
    cr_assert_str_eq(toksim_imp_level_name(TOKSIM_IMP_IDENTIFICATION), "Identification");
    cr_assert_str_eq(toksim_imp_level_name(TOKSIM_IMP_DELEGATION), "Delegation");
    cr_assert_str_eq(toksim_token_type_name(TOKSIM_TOKEN_IMPERSONATION), "Impersonation");
}

Test(token, integrity_and_level_names)
{
    cr_assert_str_eq(toksim_integrity_name(TOKSIM_IL_MEDIUM_PLUS), "Medium Plus");
    cr_assert_str_eq(toksim_integrity_name(TOKSIM_IL_SYSTEM), "System");
    cr_assert_null(toksim_integrity_name(0x1234), "not a level Windows names");
    cr_assert_str_eq(toksim_imp_level_name(TOKSIM_IMP_IDENTIFICATION), "Identification");
}
