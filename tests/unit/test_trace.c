/* PURPOSE: decision traces: event storage with a cap, rule table, sentence rendering. */
#include <stdio.h>
#include "../helpers.h"
#include "internal.h"

static size_t
name_everything_bob(char *buf, size_t n, const toksim_sid *sid, void *payload)
{
    (void)sid;
    return (size_t)snprintf(buf, n, "%s", (const char *)payload);
}

Test(trace, cap_truncates_without_failing)
{
    toksim_trace t;
    toksim_trace_init(&t);
    t.limit = 3;
    toksim_trace_event ev = {.rule = TOKSIM_RULE_ACCESS_GRANTED, .index = -1};
    for (int i = 0; i < 5; i++)
        ts_assert_ok(toksim_trace_add(&t, &ev), NULL);
    cr_assert_eq(t.count, 3);
    cr_assert(t.truncated);
    toksim_trace_dispose(&t);
    cr_assert_eq(toksim_trace_add(NULL, &ev), TOKSIM_OK, "a NULL trace is a no-op");
}

Test(trace, depth_is_recorded)
{
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_trace_event ev = {.rule = TOKSIM_RULE_ACCESS_GRANTED};
    t.depth = 2;
    ts_assert_ok(toksim_trace_add(&t, &ev), NULL);
    cr_assert_eq(t.events[0].depth, 2);
    toksim_trace_dispose(&t);
}

Test(trace, rule_ids_are_unique_and_findable)
{
    for (int r = 1; r < TOKSIM_RULE__COUNT; r++) {
        const toksim_rule_info *ri = toksim_rule_get((toksim_rule)r);
        cr_assert_eq(ri->rule, (toksim_rule)r, "table order broken at %d", r);
        cr_assert_eq(toksim_rule_by_id(ri->id), ri, "duplicate or unfindable id %s",
                     ri->id);
        cr_assert(ri->citation[0], "rule %s has no citation", ri->id);
        cr_assert(ri->sentence[0], "rule %s has no sentence", ri->id);
    }
    cr_assert_null(toksim_rule_by_id("no.such.rule"));
}

Test(trace, sentence_placeholders)
{
    toksim_trace_event ev = {.rule = TOKSIM_RULE_ACCESS_ACE_DENY,
                             .index = 3,
                             .mask = 0x120089,
                             .has_sid = true};
    ev.sid = ts_test_sid("S-1-5-32-545");
    char buf[256];
    toksim_trace_event_text(buf, sizeof buf, &ev, NULL, NULL);
    cr_assert_str_eq(buf, "ACE #3 denies 0x120089 to BUILTIN\\Users");
    char who[] = "CONTOSO\\bob";
    toksim_trace_event_text(buf, sizeof buf, &ev, name_everything_bob, who);
    cr_assert_str_eq(buf, "ACE #3 denies 0x120089 to CONTOSO\\bob");
}

Test(trace, status_and_levels_render_by_name)
{
    toksim_trace_event ev = {
        .rule = TOKSIM_RULE_ACCESS_BAD_LEVEL_API, .a = 1, .b = 2, .status = 0xC00000A5u};
    char buf[256];
    toksim_trace_event_text(buf, sizeof buf, &ev, NULL, NULL);
    cr_assert_str_eq(buf,
                     "the token is at Identification level, Impersonation is needed: "
                     "STATUS_BAD_IMPERSONATION_LEVEL (0xC00000A5)");
    ev.status = 1346;
    toksim_trace_event_text(buf, sizeof buf, &ev, NULL, NULL);
    cr_assert(strstr(buf, "ERROR_BAD_IMPERSONATION_LEVEL (1346, HRESULT 0x80070542)"),
              "%s", buf);
}

Test(trace, truncation_reports_needed_length)
{
    toksim_trace_event ev = {.rule = TOKSIM_RULE_ACCESS_DESIRED_ZERO};
    char small[8];
    size_t need = toksim_trace_event_text(small, sizeof small, &ev, NULL, NULL);
    cr_assert_eq(need, strlen("nothing was requested"));
    cr_assert_str_eq(small, "nothing");
}

Test(trace, event_make_leaves_everything_else_empty)
{
    toksim_trace_event e =
        toksim_trace_event_make(TOKSIM_RULE_ACCESS_ACE_DENY, TOKSIM_V_DENY);
    cr_assert_eq(e.rule, TOKSIM_RULE_ACCESS_ACE_DENY);
    cr_assert_eq(e.verdict, TOKSIM_V_DENY);
    cr_assert_eq(e.index, -1, "no ACE/group index");
    cr_assert(!e.has_sid && !e.has_sid2 && e.mask == 0 && e.status == 0 &&
              e.text[0] == '\0');
}

Test(trace, reserve_makes_room_once_and_stays_under_the_limit)
{
    toksim_trace t;
    toksim_trace_init(&t);
    ts_trace_reserve(NULL, 8); /* nothing to do */
    ts_trace_reserve(&t, 20);
    cr_assert_eq(t.capacity, 20);
    cr_assert_eq(t.count, 0);
    toksim_trace_event ev =
        toksim_trace_event_make(TOKSIM_RULE_ACCESS_RESTRICTED_PASS, TOKSIM_V_INFO);
    for (int i = 0; i < 20; i++)
        cr_assert_eq(toksim_trace_add(&t, &ev), TOKSIM_OK);
    cr_assert_eq(t.capacity, 20); /* no reallocation on the way */
    ts_trace_reserve(&t, 5);      /* room past the count, exactly */
    cr_assert_eq(t.capacity, 25);
    ts_trace_reserve(&t, 2); /* already there: nothing */
    cr_assert_eq(t.capacity, 25);
    t.limit = 30;
    ts_trace_reserve(&t, 100);
    cr_assert_eq(t.capacity, 30); /* never past the limit */
    toksim_trace_dispose(&t);
}
