/*
 * PURPOSE: helpers of the rule-coverage tests (test_rules_*.c): find the trace event of a
 * rule, by its stable string id, with a given verdict, and fail with the list of rules
 * the trace did contain when it is missing. The tests name the stable ids
 * ("logon.origin") on purpose: the coverage meta-test (tests/unit/test_rules_coverage.c)
 * scans the test sources for them.
 */
#ifndef TOKSIM_TEST_RULES_HELPERS_H
#define TOKSIM_TEST_RULES_HELPERS_H
#include <stdio.h>
#include "helpers.h"

/** Any verdict (for ts_trace_find). */
#define TS_V_ANY (-1)

/** The rule with this stable id, failing the test when no rule has it. */
static inline toksim_rule ts_rule(const char *id)
{
    const toksim_rule_info *ri = toksim_rule_by_id(id);
    cr_assert(ri != NULL, "no rule has the id %s", id);
    return ri->rule;
}

/** The first event of `rule` with verdict `v` (TS_V_ANY: any verdict), or NULL. */
static inline const toksim_trace_event *
ts_trace_find(const toksim_trace *t, toksim_rule rule, int v)
{
    for (size_t i = 0; t && i < t->count; i++)
        if (t->events[i].rule == rule &&
            (v == TS_V_ANY || (int)t->events[i].verdict == v))
            return &t->events[i];
    return NULL;
}

/** True when the trace holds an event of `rule` with verdict `v` (TS_V_ANY: any verdict).
 */
static inline bool ts_trace_has(const toksim_trace *t, toksim_rule rule, int v)
{
    return ts_trace_find(t, rule, v) != NULL;
}

/** The ids of the trace's events, comma-separated (for failure messages). */
static inline const char *ts_trace_ids(const toksim_trace *t, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; t && i < t->count && used + 1 < n; i++) {
        int k = snprintf(buf + used, n - used, "%s%s/%s", i ? ", " : "",
                         toksim_rule_get(t->events[i].rule)->id,
                         toksim_verdict_name(t->events[i].verdict));
        if (k < 0)
            break;
        used += (size_t)k;
    }
    return buf;
}

/**
 * The event of the rule with stable id `id` and verdict `v` (TS_V_ANY: any); fails the
 * test, listing the events the trace holds, when there is none.
 */
static inline const toksim_trace_event *
ts_expect_rule(const toksim_trace *t, const char *id, int v)
{
    const toksim_trace_event *ev = ts_trace_find(t, ts_rule(id), v);
    if (!ev) {
        char buf[4096];
        cr_assert_fail("trace has no %s event with verdict %s; it has: %s", id,
                       v == TS_V_ANY ? "any" : toksim_verdict_name((toksim_verdict)v),
                       ts_trace_ids(t, buf, sizeof buf));
    }
    return ev;
}

/** Assert the trace holds no event of the rule with stable id `id` (any verdict). */
static inline void ts_expect_no_rule(const toksim_trace *t, const char *id)
{
    cr_assert(!ts_trace_has(t, ts_rule(id), TS_V_ANY), "unexpected %s event", id);
}
#endif
