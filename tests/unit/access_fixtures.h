/*
 * PURPOSE: builders and assertions shared by the access-check suites (test_access.c,
 * test_access_rules.c): descriptors built with toksim_acl_add (not SDDL), tokens, and
 * checks that run each request traced and untraced and look up trace rules by their
 * stable ids.
 */
#ifndef TOKSIM_TEST_ACCESS_FIXTURES_H
#define TOKSIM_TEST_ACCESS_FIXTURES_H
#include "../helpers.h"

#define USER              "S-1-5-21-1-2-3-1001"
#define WD                "S-1-1-0"
#define BA                "S-1-5-32-544"
#define AU                "S-1-5-11"
#define FILE_READ_DATA    0x1u
#define FILE_WRITE_DATA   0x2u
#define FILE_EXECUTE      0x20u
#define FILE_GENERIC_READ 0x120089u
#define FILE_ALL          0x1F01FFu

/* ---- builders (test-local) ---- */

static inline toksim_sd *sd_new(const char *owner, const char *group)
{
    toksim_sd *sd;
    ts_assert_ok(toksim_sd_new(&sd), NULL);
    if (owner) {
        sd->has_owner = true;
        sd->owner = ts_test_sid(owner);
    }
    if (group) {
        sd->has_group = true;
        sd->group = ts_test_sid(group);
    }
    return sd;
}

/* Ensure a present, empty DACL. */
static inline void dacl_empty(toksim_sd *sd)
{
    sd->control |= TOKSIM_SE_DACL_PRESENT;
    if (!sd->dacl)
        ts_assert_ok(toksim_acl_new(&sd->dacl), NULL);
}

static inline void
ace(toksim_sd *sd, uint8_t type, uint8_t flags, uint32_t mask, const char *sid)
{
    dacl_empty(sd);
    toksim_sid s = ts_test_sid(sid);
    ts_assert_ok(toksim_acl_add(sd->dacl, type, flags, mask, &s), NULL);
}

static inline void allow(toksim_sd *sd, uint32_t mask, const char *sid)
{
    ace(sd, TOKSIM_ACE_ACCESS_ALLOWED, 0, mask, sid);
}

static inline void deny(toksim_sd *sd, uint32_t mask, const char *sid)
{
    ace(sd, TOKSIM_ACE_ACCESS_DENIED, 0, mask, sid);
}

static inline void label(toksim_sd *sd, uint32_t il, uint32_t policy)
{
    sd->control |= TOKSIM_SE_SACL_PRESENT;
    if (!sd->sacl)
        ts_assert_ok(toksim_acl_new(&sd->sacl), NULL);
    toksim_sid s;
    ts_assert_ok(toksim_sid_make(&s, 16, &il, 1), NULL);
    ts_assert_ok(
        toksim_acl_add(sd->sacl, TOKSIM_ACE_SYSTEM_MANDATORY_LABEL, 0, policy, &s), NULL);
}

/* An impersonation token at Identification, Medium, with Everyone and Authenticated
 * Users. */
static inline toksim_token *tok_new(void)
{
    toksim_sid u = ts_test_sid(USER);
    toksim_token *t;
    ts_assert_ok(toksim_token_new(&t, &u), NULL);
    toksim_token_set_type(t, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IDENTIFICATION);
    ts_assert_ok(toksim_token_set_integrity(t, TOKSIM_IL_MEDIUM), NULL);
    const char *g[] = {WD, AU};
    for (size_t i = 0; i < 2; i++) {
        toksim_sid s = ts_test_sid(g[i]);
        ts_assert_ok(toksim_token_add_group(t, &s, TOKSIM_SE_GROUP_DEFAULT), NULL);
    }
    return t;
}

static inline void tok_group(toksim_token *t, const char *sid, uint32_t attrs)
{
    toksim_sid s = ts_test_sid(sid);
    ts_assert_ok(toksim_token_add_group(t, &s, attrs), NULL);
}

static inline void tok_priv(toksim_token *t, uint32_t luid, bool enabled)
{
    ts_assert_ok(
        toksim_token_set_privilege(t, luid, enabled ? TOKSIM_SE_PRIVILEGE_ENABLED : 0),
        NULL);
}

static inline void tok_restrict(toksim_token *t, const char *sid)
{
    toksim_sid s = ts_test_sid(sid);
    ts_assert_ok(toksim_token_add_restricted_sid(t, &s, 0), NULL);
}

typedef struct run {
    toksim_access_result r;
    toksim_trace trace;
} run;

static inline run
check_req(const toksim_sd *sd, const toksim_token *t, toksim_access_request req)
{
    run x;
    memset(&x, 0, sizeof x);
    toksim_trace_init(&x.trace);
    ts_assert_ok(toksim_access_check(&x.r, sd, t, &req, &x.trace), NULL);
    /* The trace never changes the decision. */
    toksim_access_result quiet;
    ts_assert_ok(toksim_access_check(&quiet, sd, t, &req, NULL), NULL);
    cr_assert(memcmp(&quiet, &x.r, sizeof quiet) == 0,
              "traced and untraced results differ");
    return x;
}

static inline run check(const toksim_sd *sd, const toksim_token *t, uint32_t desired)
{
    toksim_access_request req = {0};
    req.desired = desired;
    req.object_type = TOKSIM_OBJ_FILE;
    return check_req(sd, t, req);
}

/* Index of the first event of `id` (with verdict v unless v < 0), or -1. */
static inline int find(const run *x, const char *id, int v)
{
    const toksim_rule_info *ri = toksim_rule_by_id(id);
    cr_assert_not_null(ri, "unknown rule id %s", id);
    for (size_t i = 0; i < x->trace.count; i++)
        if (x->trace.events[i].rule == ri->rule &&
            (v < 0 || (int)x->trace.events[i].verdict == v))
            return (int)i;
    return -1;
}

static inline void dump(const run *x)
{
    for (size_t i = 0; i < x->trace.count; i++) {
        const toksim_trace_event *e = &x->trace.events[i];
        cr_log_info("  %s %s index=%d mask=0x%x", toksim_rule_get(e->rule)->id,
                    toksim_verdict_name(e->verdict), (int)e->index, e->mask);
    }
}

#define HAS(x, id) cr_assert(find(&(x), id, -1) >= 0, "trace lacks %s", id)
#define HAS_V(x, id, v)                                                                  \
    cr_assert(find(&(x), id, v) >= 0, "trace lacks %s with verdict %d", id, v)
#define LACKS(x, id) cr_assert(find(&(x), id, -1) < 0, "trace unexpectedly has %s", id)

static inline void granted(run *x, uint32_t mask)
{
    if (!x->r.granted_all)
        dump(x);
    cr_assert(x->r.api_ok);
    cr_assert(x->r.granted_all, "denied (missing 0x%x)", x->r.missing);
    cr_assert_eq(x->r.granted, mask, "granted 0x%x, expected 0x%x", x->r.granted, mask);
    cr_assert_eq(x->r.ntstatus, TOKSIM_STATUS_SUCCESS);
    cr_assert_eq(x->r.win32, 0);
    HAS(*x, "access.granted");
}

static inline void denied(run *x, uint32_t ntstatus, uint32_t win32)
{
    if (x->r.granted_all)
        dump(x);
    cr_assert(x->r.api_ok);
    cr_assert_not(x->r.granted_all, "granted 0x%x", x->r.granted);
    cr_assert_eq(x->r.granted, 0);
    cr_assert_eq(x->r.ntstatus, ntstatus, "ntstatus 0x%x", x->r.ntstatus);
    cr_assert_eq(x->r.win32, win32);
    HAS(*x, "access.denied");
}

static inline void
call_failed(run *x, uint32_t ntstatus, uint32_t win32, const char *rule)
{
    cr_assert_not(x->r.api_ok);
    cr_assert_not(x->r.granted_all);
    cr_assert_eq(x->r.ntstatus, ntstatus, "ntstatus 0x%x", x->r.ntstatus);
    cr_assert_eq(x->r.win32, win32);
    HAS(*x, rule);
}

static inline void done(run *x, toksim_sd *sd, toksim_token *t)
{
    toksim_trace_dispose(&x->trace);
    toksim_sd_free(sd);
    toksim_token_free(t);
}

#endif
