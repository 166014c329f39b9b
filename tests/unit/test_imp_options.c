/* PURPOSE: the switches of toksim_imp_options by name, and level parsing. */
#include "imp_fixtures.h"

Test(imp_options, table_matches_defaults)
{
    toksim_imp_options o;
    toksim_imp_options_init(&o);
    size_t n = toksim_imp_option_count();
    cr_assert_eq(n, 17); /* one row per field after `version` */
    for (size_t i = 0; i < n; i++) {
        const toksim_imp_option_info *oi = toksim_imp_option_at(i);
        int v = -1;
        ts_assert_ok(toksim_imp_options_get(&o, oi->name, &v), NULL);
        cr_assert_eq(v, oi->default_value, "%s", oi->name);
        cr_assert(oi->summary[0] && oi->rule[0]);
    }
    cr_assert_null(toksim_imp_option_at(n));
}

Test(imp_options, set_flips_the_field)
{
    toksim_imp_options o;
    toksim_imp_options_init(&o);
    toksim_error e = {0}, *ep = &e;
    ts_assert_ok(toksim_imp_options_set(&o, "check_session", 1, ep), ep);
    cr_assert(o.check_session);
    ts_assert_ok(toksim_imp_options_set(&o, "ntlm_hop_fails", 1, ep), ep);
    cr_assert(o.ntlm_hop_fails);
    ts_assert_ok(toksim_imp_options_set(&o, "restricted_rule", 2, ep), ep);
    cr_assert_eq(o.restricted_rule, TOKSIM_IMP_RESTRICTED_EQUAL);
    cr_assert_eq(toksim_imp_options_set(&o, "restricted_rule", 3, &e), TOKSIM_EINVAL);
    cr_assert_eq(toksim_imp_options_set(&o, "check_session", 2, &e), TOKSIM_EINVAL);
    cr_assert_eq(toksim_imp_options_set(&o, "no_such_switch", 1, &e), TOKSIM_ENOTFOUND);
    cr_assert(strstr(e.message, "no_such_switch"));
    int v;
    cr_assert_eq(toksim_imp_options_get(&o, "nope", &v), TOKSIM_ENOTFOUND);
    /* the flipped switch changes a decision: I10 with the session check on */
    toksim_token *p = tk((tk_spec){.session = 1}), *c = tk((tk_spec){.session = 0});
    toksim_imp_check_result r;
    ts_assert_ok(toksim_imp_check(&r, p, c, TOKSIM_IMP_DELEGATION,
                                  TOKSIM_IMP_IMPERSONATION, 0, &o, NULL),
                 NULL);
    cr_assert_not(r.allowed);
    cr_assert_eq(r.rule, TOKSIM_RULE_IMP_DENY_SESSION);
    toksim_token_free(p);
    toksim_token_free(c);
}

Test(imp_options, level_parse)
{
    toksim_imp_level l;
    ts_assert_ok(toksim_imp_level_parse(&l, "Identification"), NULL);
    cr_assert_eq(l, TOKSIM_IMP_IDENTIFICATION);
    ts_assert_ok(toksim_imp_level_parse(&l, "securityimpersonation"), NULL);
    cr_assert_eq(l, TOKSIM_IMP_IMPERSONATION);
    ts_assert_ok(toksim_imp_level_parse(&l, "Delegate"), NULL);
    cr_assert_eq(l, TOKSIM_IMP_DELEGATION);
    ts_assert_ok(toksim_imp_level_parse(&l, "0"), NULL);
    cr_assert_eq(l, TOKSIM_IMP_ANONYMOUS);
    cr_assert_eq(toksim_imp_level_parse(&l, "4"), TOKSIM_EPARSE);
    cr_assert_eq(toksim_imp_level_parse(&l, "Security"), TOKSIM_EPARSE);
    cr_assert_eq(toksim_imp_level_parse(&l, ""), TOKSIM_EPARSE);
    cr_assert_eq(toksim_imp_level_parse(NULL, "0"), TOKSIM_EINVAL);
}

/* every imp.* rule renders without an unknown placeholder */
Test(imp_options, rule_templates_render)
{
    for (int r = 1; r < TOKSIM_RULE__COUNT; r++) {
        const toksim_rule_info *ri = toksim_rule_get((toksim_rule)r);
        if (strncmp(ri->id, "imp.", 4) != 0)
            continue;
        toksim_trace_event ev;
        memset(&ev, 0, sizeof ev);
        ev.rule = (toksim_rule)r;
        ev.has_sid = ev.has_sid2 = true;
        ev.sid = ts_test_sid("S-1-5-18");
        ev.sid2 = ts_test_sid("S-1-5-20");
        ev.privilege = TOKSIM_PRIV_IMPERSONATE;
        ev.status = 1346;
        char buf[512];
        toksim_trace_event_text(buf, sizeof buf, &ev, NULL, NULL);
        cr_assert_null(strchr(buf, '{'), "%s: %s", ri->id, buf);
        cr_assert(ri->citation[0], "%s has no citation", ri->id);
    }
}
