/* PURPOSE: token/SD builders shared by the impersonation-layer tests (test_imp_check.c,
 * test_thread.c, test_duplicate.c, test_object_open.c, test_network.c). */
#ifndef TOKSIM_TEST_IMP_FIXTURES_H
#define TOKSIM_TEST_IMP_FIXTURES_H
#include <stdio.h>
#include <stdlib.h>
#include "../helpers.h"

/* Accounts of the MBAM seed: contoso\mbam_iis (the app-pool identity) and a portal user.
 */
#define IMP_SID_SERVER "S-1-5-21-1111-2222-3333-1105"
#define IMP_SID_CLIENT "S-1-5-21-1111-2222-3333-1200"
#define IMP_SID_OTHER  "S-1-5-21-1111-2222-3333-1300"

enum { IMP_PRIV_NONE = 0, IMP_PRIV_DISABLED = 1, IMP_PRIV_ENABLED = 2 };

typedef struct tk_spec {
    const char *user; /* numeric SID or well-known name; NULL = IMP_SID_CLIENT */
    uint32_t il;      /* TOKSIM_IL_*; 0 = Medium */
    bool no_label;    /* no integrity label at all */
    int imp_priv;     /* IMP_PRIV_* for SeImpersonatePrivilege */
    uint64_t auth_id, origin;
    uint32_t session;
    bool elevated, restricted, write_restricted, appcontainer;
    bool impersonation; /* an impersonation token at `level` (else primary) */
    toksim_imp_level level;
} tk_spec;

static inline toksim_token *tk(tk_spec s)
{
    toksim_sid user;
    toksim_error e = {0};
    const char *u = s.user ? s.user : IMP_SID_CLIENT;
    cr_assert(toksim_sid_resolve(&user, u, NULL, &e) == TOKSIM_OK, "SID %s: %s", u,
              e.message);
    toksim_token *t = NULL;
    cr_assert(toksim_token_new(&t, &user) == TOKSIM_OK);
    if (!s.no_label)
        cr_assert(toksim_token_set_integrity(t, s.il ? s.il : TOKSIM_IL_MEDIUM) ==
                  TOKSIM_OK);
    if (s.imp_priv)
        cr_assert(
            toksim_token_set_privilege(t, TOKSIM_PRIV_IMPERSONATE,
                                       s.imp_priv == IMP_PRIV_ENABLED
                                           ? TOKSIM_SE_PRIVILEGE_ENABLED |
                                                 TOKSIM_SE_PRIVILEGE_ENABLED_BY_DEFAULT
                                           : 0) == TOKSIM_OK);
    cr_assert(toksim_token_set_privilege(t, TOKSIM_PRIV_CHANGE_NOTIFY,
                                         TOKSIM_SE_PRIVILEGE_ENABLED |
                                             TOKSIM_SE_PRIVILEGE_ENABLED_BY_DEFAULT) ==
              TOKSIM_OK);
    toksim_sid everyone = ts_test_sid("S-1-1-0");
    cr_assert(toksim_token_add_group(t, &everyone, TOKSIM_SE_GROUP_DEFAULT) == TOKSIM_OK);
    toksim_token_set_auth_id(t, s.auth_id);
    toksim_token_set_origin(t, s.origin);
    toksim_token_set_session_id(t, s.session);
    if (s.elevated)
        toksim_token_set_elevation(t, TOKSIM_ELEVATION_FULL, true);
    if (s.restricted)
        cr_assert(toksim_token_add_restricted_sid(t, &everyone,
                                                  TOKSIM_SE_GROUP_DEFAULT) == TOKSIM_OK);
    if (s.write_restricted)
        toksim_token_set_write_restricted(t, true);
    if (s.appcontainer)
        toksim_token_set_appcontainer(t, true);
    if (s.impersonation)
        toksim_token_set_type(t, TOKSIM_TOKEN_IMPERSONATION, s.level);
    return t;
}

/* A process and one of its threads from a primary-token spec. */
typedef struct imp_world {
    toksim_process *proc;
    toksim_thread *thread;
} imp_world;

static inline imp_world imp_world_new(tk_spec process, const toksim_imp_options *opts)
{
    imp_world w = {0};
    toksim_token *p = tk(process);
    cr_assert(toksim_process_new(&w.proc, p, opts) == TOKSIM_OK);
    toksim_token_free(p);
    cr_assert(toksim_thread_new(&w.thread, w.proc) == TOKSIM_OK);
    return w;
}

static inline void imp_world_free(imp_world *w)
{
    toksim_thread_free(w->thread);
    toksim_process_free(w->proc);
}

/* An SD owned by SYSTEM whose DACL allows `mask` to `sid` (NULL = empty DACL). */
static inline toksim_sd *imp_sd_allow(const char *sid, uint32_t mask)
{
    toksim_sd *sd = NULL;
    cr_assert(toksim_sd_new(&sd) == TOKSIM_OK);
    sd->has_owner = sd->has_group = true;
    sd->owner = ts_test_sid("S-1-5-18");
    sd->group = ts_test_sid("S-1-5-18");
    sd->control |= TOKSIM_SE_DACL_PRESENT;
    cr_assert(toksim_acl_new(&sd->dacl) == TOKSIM_OK);
    if (sid) {
        toksim_sid s = ts_test_sid(sid);
        cr_assert(toksim_acl_add(sd->dacl, TOKSIM_ACE_ACCESS_ALLOWED, 0, mask, &s) ==
                  TOKSIM_OK);
    }
    return sd;
}

/* Does the trace hold an event with this rule id? */
static inline bool imp_trace_has(const toksim_trace *t, const char *id)
{
    const toksim_rule_info *ri = toksim_rule_by_id(id);
    cr_assert(ri != NULL, "unknown rule id %s", id);
    for (size_t i = 0; i < t->count; i++)
        if (t->events[i].rule == ri->rule)
            return true;
    return false;
}

/* All events rendered, joined with " -> " (caller frees). */
static inline char *imp_trace_story(const toksim_trace *t)
{
    size_t cap = 1, len = 0;
    char *s = NULL;
    for (size_t i = 0; i < t->count; i++)
        cap += toksim_trace_event_text(NULL, 0, &t->events[i], NULL, NULL) + 4;
    s = calloc(cap, 1);
    cr_assert(s != NULL);
    for (size_t i = 0; i < t->count; i++) {
        if (i)
            len += (size_t)snprintf(s + len, cap - len, " -> ");
        len += toksim_trace_event_text(s + len, cap - len, &t->events[i], NULL, NULL);
    }
    return s;
}
#endif
