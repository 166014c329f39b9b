/* PURPOSE: small helpers shared by the identity-layer tests (H4): assertions on
 * toksim_error values, loading test worlds, SID sets of tokens. */
#ifndef TOKSIM_H4_TEST_UTIL_H
#define TOKSIM_H4_TEST_UTIL_H
#include <stdio.h>
#include <stdlib.h>
#include "../helpers.h"

/* Assert success, printing the detail of a toksim_error variable (not a pointer). */
#define h4_ok(expr, e)                                                                   \
    do {                                                                                 \
        toksim_status rc_ = (expr);                                                      \
        cr_assert(rc_ == TOKSIM_OK, "%s failed: %s (%s)", #expr, toksim_strerror(rc_),   \
                  (e).message);                                                          \
    } while (0)

static inline toksim_world *h4_world(const char *os)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    h4_ok(toksim_world_new(&w, "WS01", NULL, os, &e), e);
    return w;
}

static inline toksim_world *h4_load(const char *path)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    h4_ok(toksim_world_load_file(&w, path, &e), e);
    return w;
}

static inline toksim_sid h4_add_user(toksim_world *w, const char *name, const char *group)
{
    toksim_account a;
    memset(&a, 0, sizeof a);
    a.kind = TOKSIM_ACCOUNT_USER;
    a.scope = TOKSIM_SCOPE_MACHINE;
    a.name = name;
    toksim_sid sid;
    toksim_error e = {0};
    h4_ok(toksim_world_add_account(w, &a, &sid, &e), e);
    if (group) {
        toksim_sid g;
        h4_ok(toksim_world_resolve(w, group, &g, &e), e);
        h4_ok(toksim_world_add_member(w, &g, &sid, &e), e);
    }
    return sid;
}

/* Log on and require success. */
static inline toksim_token *h4_logon(toksim_world *w,
                                     const char *user,
                                     toksim_logon_type type,
                                     const toksim_logon_options *opt)
{
    toksim_logon_result r;
    toksim_error e = {0};
    h4_ok(toksim_logon_user(&r, w, user, type, opt, NULL, &e), e);
    cr_assert(r.success, "logon of %s (type %d) failed with %u", user, (int)type,
              r.win32_error);
    return r.token;
}

static inline bool h4_has_group(const toksim_token *t, const char *sid)
{
    toksim_sid s = ts_test_sid(sid);
    return toksim_token_find_group(t, &s) != NULL;
}

static inline uint32_t h4_group_attrs(const toksim_token *t, const char *sid)
{
    toksim_sid s = ts_test_sid(sid);
    const toksim_group *g = toksim_token_find_group(t, &s);
    cr_assert_not_null(g, "token lacks group %s", sid);
    return g->attributes;
}

static inline bool h4_trace_has(const toksim_trace *t, const char *rule_id)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(toksim_rule_get(t->events[i].rule)->id, rule_id) == 0)
            return true;
    return false;
}
#endif
