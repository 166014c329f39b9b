/*
 * PURPOSE: the Effective Access tab model of who-can (issue 17, item 2), expectations
 * derived from its documented factors ("How Effective Permissions Are Determined",
 * TechNet cc772184: group membership and privileges count; INTERACTIVE, NETWORK,
 * SERVICE, BATCH ... and share permissions do not) and from the world
 * (tests/data/world/whocan.json): what the tab shows next to what each logon type gets,
 * and the rule that explains each difference.
 */
#include "../rules_helpers.h"

#define WORLD   "tests/data/world/whocan.json"
#define MACHINE "S-1-5-21-1000-2000-3000"
#define ALICE   MACHINE "-1001"
#define BOB     MACHINE "-1002"
#define CAROL   MACHINE "-1003"
#define FR      0x120089u
#define FW      0x120116u

typedef struct fixture {
    toksim_world *w;
    toksim_sd *sd;
    toksim_whocan_query q;
    toksim_sid who;
    toksim_whocan_result *r;
    toksim_whocan_tab tab;
} fixture;

static void setup(fixture *f, const char *who, const char *sddl, uint32_t desired)
{
    memset(f, 0, sizeof *f);
    toksim_error err = {0}, *errp = &err;
    ts_assert_ok(toksim_world_load_file(&f->w, WORLD, &err), errp);
    toksim_sid_context ctx = toksim_world_sid_context(f->w);
    ts_assert_ok(toksim_sd_from_sddl(&f->sd, sddl, &ctx, &err), errp);
    f->who = ts_test_sid(who);
    f->q.kind = TOKSIM_WHOCAN_ACCESS;
    f->q.sd = f->sd;
    f->q.object_type = TOKSIM_OBJ_FILE;
    f->q.desired = desired;
    f->q.principal = &f->who;
    f->q.include_denied = true;
}

static void ask(fixture *f)
{
    toksim_error err = {0}, *errp = &err;
    toksim_whocan_result_free(f->r);
    ts_assert_ok(toksim_whocan_run(&f->r, f->w, &f->q, &err), errp);
    ts_assert_ok(toksim_whocan_tab_run(&f->tab, f->w, &f->q, &f->who, NULL, &err), errp);
}

static void teardown(fixture *f)
{
    toksim_whocan_result_free(f->r);
    toksim_sd_free(f->sd);
    toksim_world_free(f->w);
}

/* The differences between the tab and the answer for (type, token kind). */
static void
diff(fixture *f, toksim_logon_type t, toksim_whocan_token_kind k, toksim_trace *out)
{
    for (size_t i = 0; i < toksim_whocan_answer_count(f->r); i++) {
        const toksim_whocan_answer *a = toksim_whocan_answer_at(f->r, i);
        if (a->logon_type == t && a->token_kind == k) {
            ts_assert_ok(toksim_whocan_tab_explain(&f->tab, a, out), NULL);
            return;
        }
    }
    cr_assert_fail("no %s/%s answer", toksim_logon_type_name(t),
                   toksim_whocan_token_kind_name(k));
}

Test(whocan_tab, omits_sids_lists_the_documented_fifteen)
{
    static const char *const omitted[] = {"S-1-5-7",  "S-1-5-3",    "S-1-3-1", "S-1-5-1",
                                          "S-1-5-9",  "S-1-5-4",    "S-1-5-2", "S-1-5-8",
                                          "S-1-5-12", "S-1-5-14",   "S-1-5-6", "S-1-5-18",
                                          "S-1-5-13", "S-1-5-1000", "S-1-5-15"};
    for (size_t i = 0; i < sizeof omitted / sizeof omitted[0]; i++) {
        toksim_sid s = ts_test_sid(omitted[i]);
        cr_assert(toksim_whocan_tab_omits(&s), "%s", omitted[i]);
    }
    static const char *const kept[] = {"S-1-1-0", "S-1-5-11", "S-1-5-32-545", "S-1-2-0",
                                       "S-1-5-32-544"};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        toksim_sid s = ts_test_sid(kept[i]);
        cr_assert(!toksim_whocan_tab_omits(&s), "%s", kept[i]);
    }
}

Test(whocan_tab, a_deny_for_network_is_invisible_to_the_tab)
{
    fixture f;
    setup(&f, ALICE, "O:BAG:SYD:(D;;FR;;;NU)(A;;FR;;;BU)", FR);
    ask(&f);
    cr_assert(f.tab.granted, "the tab leaves NETWORK out: Users grants read");
    toksim_trace d;
    toksim_trace_init(&d);
    diff(&f, TOKSIM_LOGON_NETWORK, TOKSIM_WHOCAN_T_LOGON, &d);
    const toksim_trace_event *e =
        ts_expect_rule(&d, "query.whocan.tab_omits_sid", TS_V_ANY);
    cr_assert(e->has_sid);
    toksim_sid nu = ts_test_sid("S-1-5-2");
    cr_assert(toksim_sid_equal(&e->sid, &nu) && e->index == 0);
    toksim_trace_clear(&d);
    diff(&f, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_LOGON, &d);
    cr_assert_eq(d.count, 0, "the interactive logon gets what the tab shows");
    toksim_trace_dispose(&d);
    teardown(&f);
}

Test(whocan_tab, the_tab_counts_administrators_as_enabled)
{
    fixture f;
    setup(&f, BOB, "O:SYG:SYD:(A;;FA;;;BA)", FR);
    ask(&f);
    cr_assert(f.tab.granted);
    toksim_trace d;
    toksim_trace_init(&d);
    diff(&f, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_FILTERED, &d);
    const toksim_trace_event *e =
        ts_expect_rule(&d, "query.whocan.tab_ignores_uac", TOKSIM_V_DENY);
    toksim_sid ba = ts_test_sid("S-1-5-32-544");
    cr_assert(toksim_sid_equal(&e->sid, &ba));
    toksim_trace_clear(&d);
    diff(&f, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_ELEVATED, &d);
    cr_assert_eq(d.count, 0);
    toksim_trace_dispose(&d);
    teardown(&f);
}

Test(whocan_tab, the_tab_does_not_apply_the_mandatory_label)
{
    fixture f;
    setup(&f, ALICE, "O:BAG:SYD:(A;;FA;;;WD)S:(ML;;NW;;;HI)", FW);
    ask(&f);
    cr_assert(f.tab.granted, "UNCONFIRMED default: the tab shows the DACL only");
    toksim_trace d;
    toksim_trace_init(&d);
    diff(&f, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_LOGON, &d);
    const toksim_trace_event *e =
        ts_expect_rule(&d, "query.whocan.tab_ignores_integrity", TOKSIM_V_DENY);
    cr_assert_eq(e->a, TOKSIM_IL_MEDIUM);
    cr_assert_eq(e->b, TOKSIM_IL_HIGH);
    /* the flip: a tab that applies the label at Medium agrees with the real token */
    f.q.tab_applies_integrity = true;
    ask(&f);
    cr_assert(!f.tab.granted);
    toksim_trace_dispose(&d);
    teardown(&f);
}

Test(whocan_tab, a_disabled_privilege_decides_the_real_answer)
{
    /* WRITE_OWNER: nobody is granted it by the DACL; SeTakeOwnershipPrivilege grants it,
     * but only enabled. The tab counts bob's privileges as enabled; his elevated token
     * holds SeTakeOwnershipPrivilege disabled. */
    fixture f;
    setup(&f, BOB, "O:SYG:SYD:(A;;FR;;;WD)", 0x00080000u);
    ask(&f);
    cr_assert(f.tab.granted);
    toksim_trace d;
    toksim_trace_init(&d);
    diff(&f, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_ELEVATED, &d);
    const toksim_trace_event *e =
        ts_expect_rule(&d, "query.whocan.tab_privilege", TS_V_ANY);
    cr_assert_eq(e->privilege, 9, "SeTakeOwnershipPrivilege");
    toksim_trace_dispose(&d);
    teardown(&f);
}

Test(whocan_tab, an_account_that_cannot_log_on_gets_nothing_whatever_the_tab_shows)
{
    fixture f;
    setup(&f, CAROL, "O:BAG:SYD:(A;;FR;;;BU)", FR);
    ask(&f);
    cr_assert(f.tab.granted, "the tab looks at group membership only");
    toksim_trace d;
    toksim_trace_init(&d);
    diff(&f, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_LOGON, &d);
    const toksim_trace_event *e =
        ts_expect_rule(&d, "query.whocan.tab_no_logon", TOKSIM_V_DENY);
    cr_assert_eq(e->status, 1331);
    toksim_trace_dispose(&d);
    teardown(&f);
}

Test(whocan_tab, share_permissions_are_not_in_the_tab)
{
    fixture f;
    setup(&f, ALICE, "O:BAG:SYD:(A;;FA;;;BU)", FR);
    toksim_sid_context ctx = toksim_world_sid_context(f.w);
    toksim_sd *share = NULL;
    toksim_error err = {0}, *errp = &err;
    ts_assert_ok(toksim_sd_from_sddl(&share, "O:BAG:SYD:(A;;FR;;;WD)", &ctx, &err), errp);
    f.q.share_sd = share;
    f.q.remote = true;
    ask(&f);
    cr_assert_eq(f.tab.granted_mask, 0x1F01FF, "the tab shows NTFS Full Control");
    toksim_trace d;
    toksim_trace_init(&d);
    diff(&f, TOKSIM_LOGON_NETWORK, TOKSIM_WHOCAN_T_LOGON, &d);
    const toksim_trace_event *e =
        ts_expect_rule(&d, "query.whocan.share_limits", TOKSIM_V_DENY);
    cr_assert_eq(e->mask, FR);
    toksim_trace_dispose(&d);
    toksim_sd_free(share);
    teardown(&f);
}
