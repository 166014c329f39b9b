/*
 * PURPOSE: tests of issue 15's library pieces: the strict JSON front end
 * (toksim_json_check: positions and what it refuses that cJSON would accept), the
 * Windows failure of a logon whose groups exceed a token (ERROR_TOO_MANY_CONTEXT_IDS),
 * linear-time world loading past the old 4096-account cap, and the INF duplicate
 * warnings. The command-line behaviour is covered by tests/hostile/cases.tsv.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../rules_helpers.h"

static toksim_error check(const char *text, toksim_status want)
{
    toksim_error e;
    toksim_status rc = toksim_json_check(text, strlen(text), &e);
    cr_assert_eq(rc, want, "%s: %d (%s)", text, rc, e.message);
    return e;
}

Test(strict_json, accepts_rfc8259)
{
    check("{\"a\":[1,-0,0.5,1e10,-2.5E-3,true,false,null,\"\\u00e9\\ud83d\\ude00\\n\"]}",
          TOKSIM_OK);
    check(" [ ] ", TOKSIM_OK);
    check("\"x\"", TOKSIM_OK);
}

Test(strict_json, refuses_what_cjson_accepts_silently)
{
    toksim_error e = check("{\"a\":1,\n \"a\":2}", TOKSIM_EPARSE);
    cr_assert_eq(e.line, 2);
    cr_assert_eq(e.column, 2);
    cr_assert(strstr(e.message, "duplicate key \"a\""), "%s", e.message);
    e = check("{\"a\":\"x\\u0000y\"}", TOKSIM_EPARSE);
    cr_assert_eq(e.offset, 7);
    e = check("{\"a\":01}", TOKSIM_EPARSE);
    cr_assert(strstr(e.message, "leading zero"), "%s", e.message);
    e = check("[1,2,]", TOKSIM_EPARSE);
    cr_assert_eq(e.offset, 4);
    cr_assert(strstr(e.message, "trailing comma"), "%s", e.message);
    e = check("{\"a\":\"abc", TOKSIM_EPARSE);
    cr_assert_eq(e.offset, 9);
    cr_assert(strstr(e.message, "unterminated string (it opens at line 1, column 6"),
              "%s", e.message);
    e = check("{\"\\u0061\":1,\"a\":2}", TOKSIM_EPARSE); /* equal once unescaped */
    cr_assert(strstr(e.message, "duplicate key"), "%s", e.message);
    check("\"\\ud800\"", TOKSIM_EPARSE);
    check("\"a\tb\"", TOKSIM_EPARSE);
}

Test(strict_json, nesting_limit_is_one_for_every_reader)
{
    char deep[64];
    memset(deep, '[', TOKSIM_JSON_MAX_DEPTH);
    memset(deep + TOKSIM_JSON_MAX_DEPTH, ']', TOKSIM_JSON_MAX_DEPTH);
    deep[2 * TOKSIM_JSON_MAX_DEPTH] = '\0';
    check(deep, TOKSIM_OK);
    char deeper[64];
    memset(deeper, '[', TOKSIM_JSON_MAX_DEPTH + 1);
    memset(deeper + TOKSIM_JSON_MAX_DEPTH + 1, ']', TOKSIM_JSON_MAX_DEPTH + 1);
    deeper[2 * TOKSIM_JSON_MAX_DEPTH + 2] = '\0';
    toksim_error e = check(deeper, TOKSIM_ELIMIT);
    cr_assert_eq(e.offset, TOKSIM_JSON_MAX_DEPTH);
}

/* A user in 1100 groups: more SIDs than a token holds. */
static toksim_world *crowded_world(size_t groups)
{
    size_t cap = 64 + groups * 48;
    char *t = malloc(cap);
    cr_assert_not_null(t);
    size_t at = (size_t)snprintf(t, cap, "{\"groups\":[");
    for (size_t i = 0; i < groups; i++)
        at += (size_t)snprintf(t + at, cap - at, "%s{\"name\":\"g%zu\",\"members\":[]}",
                               i ? "," : "", i);
    at += (size_t)snprintf(t + at, cap - at, "],\"users\":[{\"name\":\"alice\"}]}");
    toksim_world *w = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_world_from_json(&w, t, at, NULL, &e), TOKSIM_OK, "%s", e.message);
    free(t);
    toksim_sid alice, g;
    cr_assert_eq(toksim_world_resolve(w, "alice", &alice, &e), TOKSIM_OK);
    for (size_t i = 0; i < groups; i++) {
        char name[32];
        snprintf(name, sizeof name, "g%zu", i);
        cr_assert_eq(toksim_world_resolve(w, name, &g, &e), TOKSIM_OK);
        cr_assert_eq(toksim_world_add_member(w, &g, &alice, &e), TOKSIM_OK, "%s",
                     e.message);
    }
    return w;
}

Test(strict_logon, too_many_groups_is_the_windows_failure_1384)
{
    toksim_world *w = crowded_world(1100);
    toksim_logon_result r;
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_error e = {0};
    cr_assert_eq(
        toksim_logon_user(&r, w, "alice", TOKSIM_LOGON_INTERACTIVE, NULL, &tr, &e),
        TOKSIM_OK, "%s", e.message);
    cr_assert(!r.success);
    cr_assert_null(r.token);
    cr_assert_eq(r.win32_error, 1384u);
    cr_assert_eq(r.ntstatus, 0xC000015Au);
    cr_assert(ts_trace_has(&tr, ts_rule("logon.too_many_sids"), TOKSIM_V_DENY));
    toksim_trace_dispose(&tr);
    toksim_world_free(w);
    /* below the limit the same world logs on */
    w = crowded_world(900);
    cr_assert_eq(
        toksim_logon_user(&r, w, "alice", TOKSIM_LOGON_INTERACTIVE, NULL, NULL, &e),
        TOKSIM_OK, "%s", e.message);
    cr_assert(r.success);
    toksim_token_free(r.token);
    toksim_world_free(w);
}

Test(strict_world, more_accounts_than_the_old_cap_load)
{
    size_t n = 6000, cap = 64 + n * 32;
    char *t = malloc(cap);
    cr_assert_not_null(t);
    size_t at = (size_t)snprintf(t, cap, "{\"users\":[");
    for (size_t i = 0; i < n; i++)
        at +=
            (size_t)snprintf(t + at, cap - at, "%s{\"name\":\"u%zu\"}", i ? "," : "", i);
    at += (size_t)snprintf(t + at, cap - at, "]}");
    toksim_world *w = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_world_from_json(&w, t, at, NULL, &e), TOKSIM_OK, "%s", e.message);
    toksim_sid s;
    cr_assert_eq(toksim_world_resolve(w, "U5999", &s, &e),
                 TOKSIM_OK); /* case-insensitive */
    cr_assert(toksim_world_account_count(w) >= n);
    toksim_world_free(w);
    free(t);
}

Test(strict_inf, a_right_defined_twice_warns_with_both_lines)
{
    const char inf[] = "[Privilege Rights]\nSeTcbPrivilege = *S-1-5-18\n"
                       "SeTcbPrivilege = *S-1-5-32-544\n";
    toksim_policy *p = NULL;
    toksim_inf_warning *w = NULL;
    size_t n = 0;
    toksim_error e = {0};
    cr_assert_eq(toksim_policy_parse_inf_ex(&p, inf, sizeof inf - 1, "t.inf", NULL, NULL,
                                            &w, &n, &e),
                 TOKSIM_OK, "%s", e.message);
    cr_assert_eq(n, 1);
    cr_assert_eq(w[0].line, 3);
    cr_assert_eq(w[0].first_line, 2);
    cr_assert(strstr(w[0].message, "line 3 takes effect"), "%s", w[0].message);
    free(w);
    toksim_policy_free(p);
}
