/* PURPOSE: the fast paths of the logon (issue 11) answer exactly as the slow ones:
 * ts_policy_privilege_holders against toksim_policy_privileges_of and
 * toksim_policy_held_by_any; ts_world_expand_via against toksim_world_expand and
 * ts_world_direct_member_in; a token whose groups were reserved (ts_token_reserve_groups)
 * against one built group by group; ts_token_take_default_dacl. Inputs are generated
 * (a fixed seed: the same cases every run).
 */
#include <stdio.h>
#include <stdlib.h>
#include "h4_test_util.h"
#include "identity/identity_int.h"
#include "core/token_int.h"

static uint32_t rnd(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7FFF;
}

/* A pool of SIDs: the profile's holders, their near misses, domain and machine SIDs. */
static size_t sid_pool(toksim_sid *pool)
{
    static const char *const texts[] = {"S-1-1-0",
                                        "S-1-5-32-544",
                                        "S-1-5-32-545",
                                        "S-1-5-32-551",
                                        "S-1-5-19",
                                        "S-1-5-20",
                                        "S-1-5-6",
                                        "S-1-5-32-555",
                                        "S-1-5-32-546",
                                        "S-1-5-11",
                                        "S-1-5-4",
                                        "S-1-5-2",
                                        "S-1-5-3",
                                        "S-1-5-18",
                                        "S-1-2-0",
                                        "S-1-5-32-559",
                                        "S-1-5-90-0",
                                        "S-1-5-113",
                                        "S-1-5-114",
                                        "S-1-5-32-568",
                                        "S-1-5-80-0",
                                        "S-1-5-82-0",
                                        "S-1-16-12288",
                                        "S-1-5-32-547",
                                        "S-1-5-32-549",
                                        "S-1-3-0",
                                        "S-1-5-7",
                                        "S-1-5-21-1000-2000-3000-500",
                                        "S-1-5-21-1000-2000-3000-501",
                                        "S-1-5-21-1000-2000-3000-1001",
                                        "S-1-5-21-7-8-9-512",
                                        "S-1-5-21-7-8-9-513",
                                        "S-1-5-21-7-8-9-544",
                                        "S-1-5-5-0-999",
                                        "S-1-5-544",
                                        "S-1-6-32-544",
                                        "S-1-5-32"};
    size_t n = sizeof texts / sizeof texts[0];
    for (size_t i = 0; i < n; i++)
        pool[i] = ts_test_sid(texts[i]);
    return n;
}

Test(logon_fast_paths, privilege_holders_match_the_public_queries)
{
    const char *profiles[] = {"win10", "win7", "server"};
    toksim_sid pool[64];
    size_t np = sid_pool(pool);
    uint32_t seed = 11;
    for (size_t pi = 0; pi < 3; pi++) {
        toksim_world *w = h4_world(profiles[pi]);
        const toksim_policy *p = toksim_world_policy_const(w);
        for (int round = 0; round < 400; round++) {
            /* 0..90 SIDs (past 64: the fallback), duplicates allowed */
            size_t n = rnd(&seed) % 91;
            toksim_sid sids[91];
            for (size_t i = 0; i < n; i++)
                sids[i] = pool[rnd(&seed) % np];
            const toksim_sid *first[TOKSIM_PRIV_MAX + 1];
            uint64_t mask = ts_policy_privilege_holders(p, sids, n, first);
            cr_assert_eq(mask, toksim_policy_privileges_of(p, sids, n), "round %d",
                         round);
            for (uint32_t luid = 0; luid <= TOKSIM_PRIV_MAX; luid++) {
                const toksim_sid *want = (mask & ((uint64_t)1 << luid))
                                             ? toksim_policy_held_by_any(p, luid, sids, n)
                                             : NULL;
                cr_assert_eq(first[luid], want, "round %d luid %u", round, luid);
            }
        }
        toksim_world_free(w);
    }
}

/* Domain group "<prefix><i>" of w; its SID in *sid. */
static void
add_domain_group(toksim_world *w, const char *prefix, size_t i, toksim_sid *sid)
{
    char name[32];
    snprintf(name, sizeof name, "%s%zu", prefix, i);
    toksim_account a;
    memset(&a, 0, sizeof a);
    a.kind = TOKSIM_ACCOUNT_GROUP;
    a.scope = TOKSIM_SCOPE_DOMAIN;
    a.name = name;
    toksim_error e = {0};
    h4_ok(toksim_world_add_account(w, &a, sid, &e), e);
}

/* A joined world with `ng` domain groups nested at random (cycles included). */
static toksim_world *nested_world(uint32_t *seed, size_t ng, toksim_sid *groups)
{
    toksim_world *w = h4_world(NULL);
    toksim_error e = {0};
    toksim_sid dom = ts_test_sid("S-1-5-21-7-8-9");
    h4_ok(toksim_world_join_domain(w, "CONTOSO", &dom, &e), e);
    for (size_t i = 0; i < ng; i++)
        add_domain_group(w, "g", i, &groups[i]);
    toksim_sid pool[64];
    size_t np = sid_pool(pool);
    for (size_t m = 0; m < ng * 3; m++) {
        const toksim_sid *g = &groups[rnd(seed) % ng];
        const toksim_sid *mem =
            rnd(seed) % 3 ? &groups[rnd(seed) % ng] : &pool[rnd(seed) % np];
        if (toksim_world_add_member(w, g, mem, &e) != TOKSIM_OK)
            continue; /* some refused (a self-membership ...): fine */
    }
    return w;
}

Test(logon_fast_paths, expand_via_matches_the_probes)
{
    uint32_t seed = 7;
    toksim_sid pool[64];
    size_t np = sid_pool(pool);
    for (int round = 0; round < 60; round++) {
        toksim_sid groups[24];
        size_t ng = 4 + rnd(&seed) % 20;
        toksim_world *w = nested_world(&seed, ng, groups);
        for (int q = 0; q < 10; q++) {
            size_t want = 1 + rnd(&seed) % 6, n = 0;
            toksim_sid seeds[6]; /* distinct, as ts_world_expand_via wants them */
            while (n < want) {
                toksim_sid s =
                    rnd(&seed) % 2 ? groups[rnd(&seed) % ng] : pool[rnd(&seed) % np];
                bool dup = false;
                for (size_t k = 0; k < n; k++)
                    dup = dup || toksim_sid_equal(&seeds[k], &s);
                if (!dup)
                    seeds[n++] = s;
            }
            toksim_sid *a = NULL, *b = NULL, *via = NULL;
            size_t na = 0, nb = 0;
            cr_assert_eq(toksim_world_expand(w, seeds, n, &a, &na), TOKSIM_OK);
            cr_assert_eq(ts_world_expand_via(w, seeds, n, &b, &nb, &via), TOKSIM_OK);
            cr_assert_eq(na, nb);
            cr_assert_eq(memcmp(a, b, na * sizeof *a), 0, "round %d: order differs",
                         round);
            for (size_t i = n; i < nb; i++) {
                toksim_sid direct;
                bool has = ts_world_direct_member_in(w, &b[i], b, i, &direct);
                cr_assert_eq(via[i].revision != 0, has, "round %d entry %zu", round, i);
                if (has)
                    cr_assert(toksim_sid_equal(&via[i], &direct), "round %d entry %zu",
                              round, i);
            }
            free(a);
            free(b);
            free(via);
        }
        toksim_world_free(w);
    }
}

Test(logon_fast_paths, expand_via_a_member_of_many_groups)
{
    /* One user in 70 groups (past the walk's 32 positions on the stack), added in an
     * order unlike the groups' own, some groups nested in others. */
    uint32_t seed = 9;
    toksim_sid groups[70];
    toksim_world *w = nested_world(&seed, 0, groups);
    toksim_error e = {0};
    for (size_t i = 0; i < 70; i++)
        add_domain_group(w, "m", i, &groups[i]);
    toksim_sid user = ts_test_sid("S-1-5-21-7-8-9-5000");
    for (size_t i = 0; i < 70; i++)
        h4_ok(toksim_world_add_member(w, &groups[(i * 37) % 70], &user, &e), e);
    for (size_t i = 0; i + 1 < 70; i += 5)
        h4_ok(toksim_world_add_member(w, &groups[i + 1], &groups[i], &e), e);
    toksim_sid *a = NULL, *b = NULL, *via = NULL;
    size_t na = 0, nb = 0;
    cr_assert_eq(toksim_world_expand(w, &user, 1, &a, &na), TOKSIM_OK);
    cr_assert_eq(ts_world_expand_via(w, &user, 1, &b, &nb, &via), TOKSIM_OK);
    cr_assert_eq(na, 71, "%zu SIDs", na);
    cr_assert_eq(nb, na);
    cr_assert_eq(memcmp(a, b, na * sizeof *a), 0);
    for (size_t i = 1; i < nb; i++) {
        toksim_sid direct;
        cr_assert(ts_world_direct_member_in(w, &b[i], b, i, &direct));
        cr_assert(toksim_sid_equal(&via[i], &direct), "entry %zu", i);
    }
    free(a);
    free(b);
    free(via);
    toksim_world_free(w);
}

Test(logon_fast_paths, reserved_tokens_answer_as_new_ones)
{
    toksim_sid pool[64];
    size_t np = sid_pool(pool);
    uint32_t seed = 3;
    for (int round = 0; round < 200; round++) {
        toksim_token *a = NULL, *b = NULL;
        const toksim_sid *user = &pool[rnd(&seed) % np];
        size_t n = rnd(&seed) % 40;
        cr_assert_eq(toksim_token_new(&a, user), TOKSIM_OK);
        /* room for all the groups, fewer (regrowth) or none */
        size_t room = round % 3 == 0 ? n + 1 : round % 3 == 1 ? n / 2 : 0;
        cr_assert_eq(ts_token_new_reserved(&b, user, room), TOKSIM_OK);
        static const uint32_t attrs[] = {
            TOKSIM_SE_GROUP_DEFAULT, 0, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY,
            TOKSIM_SE_GROUP_INTEGRITY | TOKSIM_SE_GROUP_INTEGRITY_ENABLED};
        for (size_t i = 0; i < n; i++) {
            const toksim_sid *s = &pool[rnd(&seed) % np];
            uint32_t at = attrs[rnd(&seed) % 4];
            if ((at & TOKSIM_SE_GROUP_INTEGRITY) && s->sub[0] != 12288)
                at = 0;
            cr_assert_eq(toksim_token_add_group(a, s, at),
                         toksim_token_add_group(b, s, at));
        }
        cr_assert_eq(toksim_token_group_count(a), toksim_token_group_count(b));
        for (size_t i = 0; i < toksim_token_group_count(a); i++) {
            const toksim_group *ga = toksim_token_group_at(a, i),
                               *gb = toksim_token_group_at(b, i);
            cr_assert(toksim_sid_equal(&ga->sid, &gb->sid));
            cr_assert_eq(ga->attributes, gb->attributes);
        }
        for (size_t k = 0; k < np; k++) {
            cr_assert_eq(toksim_token_match(a, &pool[k]), toksim_token_match(b, &pool[k]),
                         "round %d SID %zu", round, k);
            cr_assert_eq(toksim_token_match_restricted(a, &pool[k]),
                         toksim_token_match_restricted(b, &pool[k]));
        }
        cr_assert_eq(toksim_token_integrity(a), toksim_token_integrity(b));
        cr_assert(toksim_sid_equal(toksim_token_owner(a), toksim_token_owner(b)));
        cr_assert_eq(toksim_token_type_of(a), toksim_token_type_of(b));
        toksim_token_free(a);
        toksim_token_free(b);
    }
}

Test(logon_fast_paths, take_default_dacl_owns_the_acl)
{
    toksim_sid user = ts_test_sid("S-1-5-21-1-2-3-1001"), sys = ts_test_sid("S-1-5-18");
    toksim_token *t = NULL;
    cr_assert_eq(toksim_token_new(&t, &user), TOKSIM_OK);
    for (int i = 0; i < 2; i++) { /* the second replaces (and frees) the first */
        toksim_acl *acl = NULL;
        cr_assert_eq(toksim_acl_new(&acl), TOKSIM_OK);
        cr_assert_eq(toksim_acl_add(acl, TOKSIM_ACE_ACCESS_ALLOWED, 0, TOKSIM_GENERIC_ALL,
                                    i ? &sys : &user),
                     TOKSIM_OK);
        ts_token_take_default_dacl(t, acl);
        cr_assert_eq(toksim_token_default_dacl(t), acl);
    }
    cr_assert(toksim_sid_equal(&toksim_token_default_dacl(t)->aces[0].sid, &sys));
    ts_token_take_default_dacl(t, NULL);
    cr_assert_null(toksim_token_default_dacl(t));
    toksim_token_free(t);
}

Test(logon_fast_paths, every_sddl_alias_is_two_letters)
{
    /* toksim_wellknown_by_alias refuses any other length without a look at the table. */
    size_t aliases = 0;
    for (size_t i = 0; i < toksim_wellknown_count(); i++) {
        const toksim_wellknown *w = toksim_wellknown_at(i);
        if (!w->alias)
            continue;
        aliases++;
        cr_assert_eq(strlen(w->alias), 2, "row %s: alias '%s'", w->sid, w->alias);
        cr_assert_eq(toksim_wellknown_by_alias(w->alias)->alias, w->alias);
    }
    cr_assert_gt(aliases, 30);
    cr_assert_null(toksim_wellknown_by_alias("W"));
    cr_assert_null(toksim_wellknown_by_alias("WDX"));
    cr_assert_null(toksim_wellknown_by_alias(""));
}

Test(logon_fast_paths, wellknown_by_sid_finds_every_absolute_row)
{
    toksim_sid m = ts_test_sid("S-1-5-21-1000-2000-3000"),
               d = ts_test_sid("S-1-5-21-7-8-9");
    toksim_sid_context ctx = {.machine = &m, .domain = &d};
    for (size_t i = 0; i < toksim_wellknown_count(); i++) {
        const toksim_wellknown *w = toksim_wellknown_at(i);
        if (w->flags & (TOKSIM_WK_DOMAIN_RELATIVE | TOKSIM_WK_MACHINE_RELATIVE))
            continue;
        toksim_sid s = ts_test_sid(w->sid);
        const toksim_wellknown *f = toksim_wellknown_by_sid(&s, &ctx);
        cr_assert_not_null(f, "%s", w->sid);
        cr_assert_str_eq(f->sid, w->sid); /* the first row of that SID */
    }
}

Test(logon_fast_paths, holder_memo_parses_as_the_parser)
{
    /* Texts that repeat, near misses of the same length and last digits, bad ones, and
     * more distinct texts than the memo holds. */
    static const char *const texts[] = {
        "S-1-5-32-544", "S-1-5-32-545", "S-1-5-32-544", "S-1-5-31-544",
        "S-1-5-32-544", "S-1-1-0",      "S-1-2-0",      "S-1-5-19",
        "S-1-5-20",     "S-1-5-19",     "S-1-5-2x",     "S-1-5-2x",
        "BA",           "S-1-5-80-0",   "S-1-5-90-0",   "S-1-5-21-1-2-3-500"};
    ts_holder_memo m;
    ts_holder_memo_init(&m);
    char extra[80][24];
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof texts / sizeof texts[0] + 80; i++) {
            const char *t = i < 16 ? texts[i] : extra[i - 16];
            if (i >= 16 && round == 0)
                snprintf(extra[i - 16], sizeof extra[i - 16], "S-1-5-%zu-%zu", i % 7, i);
            toksim_sid a, b;
            memset(&a, 0x5A, sizeof a);
            memset(&b, 0x5A, sizeof b);
            toksim_error ea = {0}, eb = {0};
            toksim_status ra = ts_holder_memo_parse(&m, &a, t, strlen(t), &ea);
            toksim_status rb = toksim_sid_parse_n(&b, t, strlen(t), &eb);
            cr_assert_eq(ra, rb, "%s", t);
            cr_assert_eq(memcmp(&a, &b, sizeof a), 0, "%s", t);
            cr_assert_str_eq(ea.message, eb.message, "%s", t);
        }
    }
    cr_assert_eq(m.n, TS_HOLDER_MEMO_MAX, "the memo filled up and stopped there");
}

Test(logon_fast_paths, logon_type_numbers_parse_as_printf_writes_them)
{
    /* toksim_logon_type_parse writes each type's number by hand: every number of a type
     * parses to it, every other number text does not. */
    for (int v = -12; v < 130; v++) {
        char num[16];
        snprintf(num, sizeof num, "%d", v);
        toksim_logon_type t = TOKSIM_LOGON_INTERACTIVE;
        toksim_status rc = toksim_logon_type_parse(&t, num);
        bool known = strcmp(toksim_logon_type_name((toksim_logon_type)v), "unknown") != 0;
        cr_assert_eq(rc, known ? TOKSIM_OK : TOKSIM_ENOTFOUND, "%s", num);
        if (known)
            cr_assert_eq((int)t, v, "%s", num);
    }
    toksim_logon_type t;
    cr_assert_eq(toksim_logon_type_parse(&t, "010"), TOKSIM_ENOTFOUND);
    cr_assert_eq(toksim_logon_type_parse(&t, "1O"), TOKSIM_ENOTFOUND);
}

Test(logon_fast_paths, token_source_keeps_eight_bytes)
{
    toksim_sid user = ts_test_sid("S-1-5-18");
    toksim_token *t = NULL;
    cr_assert_eq(toksim_token_new(&t, &user), TOKSIM_OK);
    const char *in[] = {"Advapi", "NtLmSsp", "12345678", "123456789abc", "", NULL};
    const char *want[] = {"Advapi", "NtLmSsp", "12345678", "12345678", "", ""};
    for (size_t i = 0; i < 6; i++) {
        toksim_token_set_source(t, in[i]);
        cr_assert_str_eq(toksim_token_source(t), want[i], "%zu", i);
    }
    toksim_token_free(t);
}

Test(logon_fast_paths, empty_restricted_index_is_shared_safely)
{
    /* Tokens without restricting SIDs share one empty index (token.c): copies, later
     * additions and frees in any order leave each token answering for itself. */
    toksim_sid user = ts_test_sid("S-1-5-21-1-2-3-1001"), ev = ts_test_sid("S-1-1-0"),
               au = ts_test_sid("S-1-5-11");
    toksim_token *a = NULL, *b = NULL, *c = NULL;
    cr_assert_eq(toksim_token_new(&a, &user), TOKSIM_OK);
    cr_assert_eq(toksim_token_copy(&b, a), TOKSIM_OK);
    cr_assert_eq(toksim_token_match_restricted(a, &ev), TOKSIM_MATCH_NONE);
    cr_assert_eq(toksim_token_match_restricted(b, &user), TOKSIM_MATCH_NONE);
    cr_assert_eq(toksim_token_add_restricted_sid(b, &ev, 0), TOKSIM_OK);
    cr_assert_eq(toksim_token_match_restricted(b, &ev), TOKSIM_MATCH_ALLOW);
    cr_assert_eq(toksim_token_match_restricted(a, &ev), TOKSIM_MATCH_NONE);
    cr_assert_eq(toksim_token_copy(&c, b), TOKSIM_OK);
    toksim_token_free(b);
    cr_assert_eq(toksim_token_match_restricted(c, &ev), TOKSIM_MATCH_ALLOW);
    cr_assert_eq(toksim_token_match_restricted(c, &au), TOKSIM_MATCH_NONE);
    cr_assert_eq(toksim_token_match(a, &user), TOKSIM_MATCH_ALLOW);
    toksim_token_free(a);
    toksim_token_free(c);
}

Test(logon_fast_paths, trace_reserve_makes_room_and_keeps_events)
{
    ts_trace_reserve(NULL, 32); /* no trace: nothing */
    toksim_trace t;
    toksim_trace_init(&t);
    ts_trace_reserve(&t, 32);
    cr_assert_geq(t.capacity, 32);
    cr_assert_eq(t.count, 0);
    toksim_sid s = ts_test_sid("S-1-5-32-544");
    for (int i = 0; i < 40; i++)
        ts_trace(&t, TOKSIM_RULE_LOGON_GROUP_ADDED, TOKSIM_V_CHANGE, &s, NULL, 0, i, 0, 0,
                 "x");
    ts_trace_reserve(&t, 32);
    cr_assert_geq(t.capacity, 72);
    cr_assert_eq(t.count, 40);
    for (int i = 0; i < 40; i++) {
        cr_assert_eq(t.events[i].a, i);
        cr_assert(toksim_sid_equal(&t.events[i].sid, &s));
        cr_assert_str_eq(t.events[i].text, "x");
    }
    toksim_trace_dispose(&t);
}
