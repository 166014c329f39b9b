/*
 * PURPOSE: decision traces: a capped, growable list of events, and the rule table
 * generated from the rules_*.inc rows (one row per rule, nowhere else).
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static const toksim_rule_info rule_table[] = {
    {TOKSIM_RULE_NONE, "none", "no rule", "", ""},
#define TOKSIM_RULE_ROW(e, id, summary, tmpl, cite)                                      \
    {TOKSIM_RULE_##e, id, summary, tmpl, cite},
#include "toksim/rules_core.inc"
#include "toksim/rules_identity.inc"
#include "toksim/rules_imperson.inc"
#include "toksim/rules_systems.inc"
#include "toksim/rules_query.inc"
#undef TOKSIM_RULE_ROW
};

const toksim_rule_info *toksim_rule_get(toksim_rule rule)
{
    if ((unsigned)rule >= sizeof rule_table / sizeof rule_table[0])
        return &rule_table[0];
    return &rule_table[rule];
}

/* The length of each rule id in table order (row 0, "none", is never found), built from
 * the same rows at compile time: memchr finds the few rows worth comparing (issue 11: the
 * scan cost ~2.2 k instructions a lookup). */
static const unsigned char rule_id_len[] = {
    0,
#define TOKSIM_RULE_ROW(e, id, summary, tmpl, cite) sizeof id - 1,
#include "toksim/rules_core.inc"
#include "toksim/rules_identity.inc"
#include "toksim/rules_imperson.inc"
#include "toksim/rules_systems.inc"
#include "toksim/rules_query.inc"
#undef TOKSIM_RULE_ROW
};
_Static_assert(sizeof rule_id_len == sizeof rule_table / sizeof rule_table[0],
               "rule_id_len: one length a row");
#define TOKSIM_RULE_ROW(e, id, summary, tmpl, cite)                                      \
    _Static_assert(sizeof id > 1 && sizeof id < 256,                                     \
                   "rule_id_len: an id of 1..255 bytes");
#include "toksim/rules_core.inc"
#include "toksim/rules_identity.inc"
#include "toksim/rules_imperson.inc"
#include "toksim/rules_systems.inc"
#include "toksim/rules_query.inc"
#undef TOKSIM_RULE_ROW

const toksim_rule_info *toksim_rule_by_id(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > 255)
        return NULL;
    const unsigned char *at = rule_id_len + 1, *end = rule_id_len + sizeof rule_id_len;
    while ((at = memchr(at, (int)n, (size_t)(end - at)))) {
        const toksim_rule_info *r = &rule_table[at - rule_id_len];
        if (r->id[0] == id[0] && memcmp(r->id, id, n) == 0)
            return r;
        at++;
    }
    return NULL;
}

const char *toksim_verdict_name(toksim_verdict v)
{
    switch (v) {
    case TOKSIM_V_INFO:
        return "info";
    case TOKSIM_V_GRANT:
        return "grant";
    case TOKSIM_V_DENY:
        return "deny";
    case TOKSIM_V_SKIP:
        return "skip";
    case TOKSIM_V_CHANGE:
        return "change";
    }
    return "info";
}

void toksim_trace_init(toksim_trace *t)
{
    memset(t, 0, sizeof *t);
}

void toksim_trace_dispose(toksim_trace *t)
{
    if (!t)
        return;
    free(t->events);
    memset(t, 0, sizeof *t);
}

void toksim_trace_clear(toksim_trace *t)
{
    if (!t)
        return;
    t->count = 0;
    t->truncated = false;
    t->depth = 0;
}

toksim_trace_event toksim_trace_event_make(toksim_rule rule, toksim_verdict v)
{
    toksim_trace_event e;
    memset(&e, 0, sizeof e);
    e.rule = rule;
    e.verdict = v;
    e.index = -1;
    return e;
}

void ts_trace_reserve(toksim_trace *t, size_t more)
{
    if (!t)
        return;
    size_t limit = t->limit ? t->limit : TOKSIM_TRACE_DEFAULT_LIMIT;
    size_t want =
        more < limit - (t->count < limit ? t->count : limit) ? t->count + more : limit;
    if (want <= t->capacity || want > SIZE_MAX / sizeof *t->events)
        return;
    toksim_trace_event *ev = realloc(t->events, want * sizeof *ev);
    if (!ev)
        return; /* no error here: toksim_trace_add reports it when it needs the room */
    t->events = ev;
    t->capacity = want;
}

toksim_status toksim_trace_add(toksim_trace *t, const toksim_trace_event *ev)
{
    if (!t)
        return TOKSIM_OK;
    size_t limit = t->limit ? t->limit : TOKSIM_TRACE_DEFAULT_LIMIT;
    if (t->count >= limit) {
        t->truncated = true;
        return TOKSIM_OK;
    }
    /* Grown by doubling from 4 events: a step's trace has 3 events at the median (the
     * catalog's 449 traces), and every event is 288 bytes: a larger first block only
     * costs memory, which page faults make dear (issue 11). */
    if (t->count == t->capacity) {
        size_t cap = t->capacity ? 2 * t->capacity : 4;
        if (cap > limit)
            cap = limit;
        if (cap > SIZE_MAX / sizeof *t->events)
            return TOKSIM_ENOMEM;
        toksim_trace_event *ev2 = realloc(t->events, cap * sizeof *ev2);
        if (!ev2)
            return TOKSIM_ENOMEM;
        t->events = ev2;
        t->capacity = cap;
    }
    t->events[t->count] = *ev;
    t->events[t->count].depth = t->depth;
    t->count++;
    return TOKSIM_OK;
}
