/*
 * PURPOSE: claims in worlds and scenarios (issue 9): users[].claims and the machine's
 * device_claims / device_groups flow into logon tokens (logon.claims) where conditional
 * ACEs read them; the logon step's user_claims / device_claims / device_groups; every
 * bad input is an error at its file:line:col; whoami and JSON show the claims.
 * Windows facts: MS-PAC 2.11-2.13 (claims in the PAC), MS-DTYP 2.5.3.2 (conditional
 * ACEs in AccessCheck).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../helpers.h"
#include "toksim/world_claims.h"

#define WORLD                                                                            \
    "{\"machine\": {\"name\": \"FS01\", \"device_claims\": {\"managed\": true}, "        \
    "\"device_groups\": [\"CONTOSO\\\\Compliant\"]},\n"                                  \
    " \"domain\": {\"name\": \"CONTOSO\", \"sid\": \"S-1-5-21-111-222-333\"},\n"         \
    " \"groups\": [{\"name\": \"CONTOSO\\\\Compliant\"}],\n"                             \
    " \"users\": [{\"name\": \"CONTOSO\\\\alice\", \"claims\": {\"department\": "        \
    "\"Finance\", \"clearance\": 3, \"projects\": [\"A\", \"B\"], \"badge\": "           \
    "{\"type\": "                                                                        \
    "\"TU\", \"values\": [7]}}},\n"                                                      \
    "  {\"name\": \"CONTOSO\\\\bob\"}, {\"name\": \"local1\"}]}"

static toksim_world *load(const char *text)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    toksim_status rc = toksim_world_from_json(&w, text, strlen(text), "w.json", &e);
    cr_assert_eq(rc, TOKSIM_OK, "%s", e.message);
    return w;
}

static toksim_token *
logon(toksim_world *w, const char *user, toksim_logon_type type, toksim_trace *t)
{
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    toksim_logon_result res;
    memset(&res, 0, sizeof res);
    toksim_error e = {0};
    cr_assert_eq(toksim_logon_user(&res, w, user, type, &opt, t, &e), TOKSIM_OK, "%s",
                 e.message);
    cr_assert(res.success, "%s: %u", user, res.win32_error);
    return res.token;
}

static bool has_rule(const toksim_trace *t, toksim_rule r)
{
    for (size_t i = 0; i < t->count; i++)
        if (t->events[i].rule == r)
            return true;
    return false;
}

Test(claims_scenario, world_claims_reach_the_logon_token)
{
    toksim_world *w = load(WORLD);
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_token *tok = logon(w, "CONTOSO\\alice", TOKSIM_LOGON_INTERACTIVE, &t);
    cr_assert_eq(toksim_token_claim_count(tok, TOKSIM_CLAIMS_USER), 4);
    cr_assert_eq(toksim_token_claim_count(tok, TOKSIM_CLAIMS_DEVICE), 1);
    cr_assert_eq(toksim_token_device_group_count(tok), 1);
    cr_assert(has_rule(&t, TOKSIM_RULE_LOGON_CLAIMS));
    char *text = NULL;
    ts_assert_ok(toksim_token_claim_text(&text, tok, TOKSIM_CLAIMS_USER, 2), NULL);
    cr_assert_str_eq(text, "\"projects\",TS,0,\"A\",\"B\"");
    free(text);
    ts_assert_ok(toksim_token_claim_text(&text, tok, TOKSIM_CLAIMS_USER, 3), NULL);
    cr_assert_str_eq(text, "\"badge\",TU,0,7");
    free(text);
    cr_assert_eq(toksim_token_claim_text(&text, tok, TOKSIM_CLAIMS_USER, 4),
                 TOKSIM_EINVAL);
    /* whoami and JSON show them */
    char *who = NULL;
    ts_assert_ok(toksim_token_render_whoami(&who, tok, w), NULL);
    cr_assert(strstr(who, "USER CLAIMS INFORMATION"), "%s", who);
    cr_assert(strstr(who, "DEVICE CLAIMS INFORMATION"));
    cr_assert(strstr(who, "department"));
    free(who);
    char *js = NULL;
    ts_assert_ok(toksim_token_to_json(&js, tok, w), NULL);
    cr_assert(strstr(js, "\"user_claims\""));
    cr_assert(strstr(js, "\"device_groups\""));
    free(js);
    toksim_token_free(tok);
    toksim_trace_clear(&t);
    /* a network logon comes from another device: no device claims of FS01 */
    tok = logon(w, "CONTOSO\\alice", TOKSIM_LOGON_NETWORK, &t);
    cr_assert_eq(toksim_token_claim_count(tok, TOKSIM_CLAIMS_USER), 4);
    cr_assert_eq(toksim_token_claim_count(tok, TOKSIM_CLAIMS_DEVICE), 0);
    cr_assert_eq(toksim_token_device_group_count(tok), 0);
    toksim_token_free(tok);
    toksim_trace_clear(&t);
    /* a domain user without claims still gets the device's; a local account gets none */
    tok = logon(w, "CONTOSO\\bob", TOKSIM_LOGON_INTERACTIVE, &t);
    cr_assert_eq(toksim_token_claim_count(tok, TOKSIM_CLAIMS_USER), 0);
    cr_assert_eq(toksim_token_claim_count(tok, TOKSIM_CLAIMS_DEVICE), 1);
    toksim_token_free(tok);
    toksim_trace_clear(&t);
    tok = logon(w, "FS01\\local1", TOKSIM_LOGON_INTERACTIVE, &t);
    cr_assert_eq(toksim_token_claim_count(tok, TOKSIM_CLAIMS_DEVICE), 0);
    cr_assert_not(has_rule(&t, TOKSIM_RULE_LOGON_CLAIMS));
    who = NULL;
    ts_assert_ok(toksim_token_render_whoami(&who, tok, w), NULL);
    cr_assert_null(strstr(who, "CLAIMS"), "no claims section without claims");
    free(who);
    toksim_token_free(tok);
    toksim_trace_dispose(&t);
    toksim_world_free(w);
}

/* Each bad claim input is refused at its line and column with what was expected. */
Test(claims_scenario, bad_world_claims_are_positioned_errors)
{
    static const struct {
        const char *doc, *needle;
        int line, col;
    } bad[] = {
        /* a local account: claims come from AD */
        {"{\"users\": [{\"name\": \"x\",\n \"claims\": {\"d\": \"F\"}}]}",
         "Active Directory", 2, 18},
        /* wrong types and values */
        {"{\"domain\": {\"name\": \"C\", \"sid\": \"S-1-5-21-1-2-3\"}, \"users\": "
         "[{\"name\": "
         "\"C\\\\a\",\n \"claims\": [\"d\"]}]}",
         "expected an object", 2, 12},
        {"{\"domain\": {\"name\": \"C\", \"sid\": \"S-1-5-21-1-2-3\"}, \"users\": "
         "[{\"name\": "
         "\"C\\\\a\",\n \"claims\": {\"d\": null}}]}",
         "a string, an integer", 2, 18},
        {"{\"domain\": {\"name\": \"C\", \"sid\": \"S-1-5-21-1-2-3\"}, \"users\": "
         "[{\"name\": "
         "\"C\\\\a\",\n \"claims\": {\"d\": [\"x\", 1]}}]}",
         "one type", 2, 18},
        {"{\"domain\": {\"name\": \"C\", \"sid\": \"S-1-5-21-1-2-3\"}, \"users\": "
         "[{\"name\": "
         "\"C\\\\a\",\n \"claims\": {\"d\": \"a\\\"b\"}}]}",
         "without '\"'", 2, 18},
        {"{\"domain\": {\"name\": \"C\", \"sid\": \"S-1-5-21-1-2-3\"}, \"users\": "
         "[{\"name\": "
         "\"C\\\\a\",\n \"claims\": {\"d\": {\"type\": \"TX\", \"values\": [1]}}}]}",
         "\"type\"", 2, 18},
        {"{\"domain\": {\"name\": \"C\", \"sid\": \"S-1-5-21-1-2-3\"}, \"users\": "
         "[{\"name\": "
         "\"C\\\\a\",\n \"claims\": {\"d\": {\"type\": \"TI\", \"values\": [1], \"x\": "
         "1}}}]}",
         "\"type\"", 2, 18},
        {"{\"domain\": {\"name\": \"C\", \"sid\": \"S-1-5-21-1-2-3\"}, \"users\": "
         "[{\"name\": "
         "\"C\\\\a\",\n \"claims\": {\"d\": {\"type\": \"TD\", \"values\": "
         "[\"nope\"]}}}]}",
         "SID", 2, 18},
        {"{\"domain\": {\"name\": \"C\", \"sid\": \"S-1-5-21-1-2-3\"}, \"users\": "
         "[{\"name\": "
         "\"C\\\\a\",\n \"claims\": {\"d\": 1.5}}]}",
         "integers", 2, 18},
        /* the machine: device claims need a domain; unknown keys; unknown groups */
        {"{\"machine\": {\"name\": \"M\",\n \"device_claims\": {\"m\": true}}}",
         "not joined", 2, 25},
        {"{\"machine\": {\"name\": \"M\",\n \"device_claim\": {}}}", "device_claim", 2,
         18},
        {"{\"domain\": {\"name\": \"C\", \"sid\": \"S-1-5-21-1-2-3\"}, \"machine\": "
         "{\"name\": \"M\",\n \"device_groups\": [\"C\\\\nobody\"]}}",
         "nobody", 2, 20},
        {"{\"domain\": {\"name\": \"C\", \"sid\": \"S-1-5-21-1-2-3\"}, \"machine\": "
         "{\"name\": \"M\",\n \"device_groups\": \"x\"}}",
         "array", 2, 19},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        toksim_world *w = NULL;
        toksim_error e = {0};
        cr_expect_neq(
            toksim_world_from_json(&w, bad[i].doc, strlen(bad[i].doc), "b.json", &e),
            TOKSIM_OK, "case %zu accepted", i);
        cr_expect(strstr(e.message, bad[i].needle), "case %zu: %s", i, e.message);
        cr_expect_eq(e.line, bad[i].line, "case %zu: line %d: %s", i, e.line, e.message);
        cr_expect_eq(e.column, bad[i].col, "case %zu: column %d: %s", i, e.column,
                     e.message);
        cr_assert_null(w);
    }
}

#define SC_HEAD                                                                          \
    "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\",\n"                               \
    " \"world\": {\"machine\": {\"name\": \"FS01\"}, \"domain\": {\"name\": "            \
    "\"CONTOSO\", "                                                                      \
    "\"sid\": \"S-1-5-21-111-222-333\"}, \"users\": [{\"name\": \"CONTOSO\\\\alice\", "  \
    "\"claims\": {\"department\": \"Finance\"}}],\n"                                     \
    " \"objects\": [{\"path\": \"D:\\\\F\", \"type\": \"directory\", \"sddl\": "         \
    "\"O:BAG:BAD:(XA;;FR;;;AU;(@User.department == \\\"finance\\\"))(XA;;FW;;;AU;("      \
    "@Device.managed == 1))\"}]},\n"

static size_t run_failures(const char *text, size_t *passed)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    cr_assert_eq(toksim_scenario_parse(&sc, text, strlen(text), "t.json", ".", &err),
                 TOKSIM_OK, "%s", err.message);
    toksim_run *run = NULL;
    cr_assert_eq(toksim_scenario_run(&run, sc, &err), TOKSIM_OK, "%s", err.message);
    size_t p = 0, f = 0;
    cr_assert_eq(toksim_scenario_check(&p, &f, run, NULL, NULL), TOKSIM_OK);
    *passed = p;
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
    return f;
}

/* The world's user claim decides an access_check; the step's device claim another. */
Test(claims_scenario, conditional_aces_read_world_and_step_claims)
{
    const char *doc = SC_HEAD
        " \"steps\": [{\"id\": \"l\", \"op\": \"logon\", \"user\": \"CONTOSO\\\\alice\", "
        "\"type\": \"network\", \"as\": \"a\", \"device_claims\": "
        "[\"\\\"managed\\\",TB,0,1\"], "
        "\"device_groups\": [\"CONTOSO\\\\Domain Computers\"]},\n"
        "  {\"id\": \"r\", \"op\": \"access_check\", \"token\": \"a\", \"path\": "
        "\"D:\\\\F\", "
        "\"access\": \"FR\"},\n"
        "  {\"id\": \"w\", \"op\": \"access_check\", \"token\": \"a\", \"path\": "
        "\"D:\\\\F\", "
        "\"access\": \"FW\"},\n"
        "  {\"id\": \"l2\", \"op\": \"logon\", \"user\": \"CONTOSO\\\\alice\", \"type\": "
        "\"network\", \"as\": \"b\", \"user_claims\": "
        "[\"\\\"department\\\",TS,0,\\\"HR\\\"\"]},\n"
        "  {\"id\": \"r2\", \"op\": \"access_check\", \"token\": \"b\", \"path\": "
        "\"D:\\\\F\", "
        "\"access\": \"FR\"}],\n"
        " \"expect\": {\"l\": {\"rule\": \"logon.claims\"}, \"r\": {\"ok\": true, "
        "\"rule\": "
        "\"access.ace.condition.true\"}, \"w\": {\"ok\": true}, \"r2\": {\"ok\": false, "
        "\"rule\": \"access.ace.condition.false\"}}}";
    size_t passed = 0;
    cr_assert_eq(run_failures(doc, &passed), 0);
    cr_assert_eq(passed, 6);
}

/* A bad claim on a logon step: a run error at the parameter's position. */
Test(claims_scenario, bad_step_claims_are_positioned_errors)
{
    static const struct {
        const char *param, *needle;
    } bad[] = {
        {"\"device_claims\": [\"\\\"m\\\",TQ,0,1\"]", "device_claims[0]"},
        {"\"user_claims\": [\"nope\"]", "user_claims[0]"},
        {"\"device_groups\": [\"CONTOSO\\\\nobody\"]", "device_groups[0]"},
        {"\"user_claims\": \"x\"", "user_claims"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char doc[2048];
        snprintf(doc, sizeof doc,
                 SC_HEAD " \"steps\": [{\"id\": \"l\", \"op\": \"logon\", \"user\": "
                         "\"CONTOSO\\\\alice\",\n   %s}]}",
                 bad[i].param);
        toksim_scenario *sc = NULL;
        toksim_error err = {0};
        toksim_status rc =
            toksim_scenario_parse(&sc, doc, strlen(doc), "t.json", ".", &err);
        if (rc == TOKSIM_OK) {
            toksim_run *run = NULL;
            rc = toksim_scenario_run(&run, sc, &err);
            toksim_scenario_run_free(run);
            toksim_scenario_free(sc);
        }
        cr_expect_neq(rc, TOKSIM_OK, "case %zu accepted", i);
        cr_expect(strstr(err.message, bad[i].needle), "case %zu: %s", i, err.message);
        cr_expect_eq(err.line, 5, "case %zu: line %d (%s)", i, err.line, err.message);
        cr_expect_gt(err.column, 3, "case %zu", i);
    }
}

/* The library API: claims need a domain account / a joined machine. */
Test(claims_scenario, world_claims_api_refuses_local_accounts)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    toksim_error *ep = &e;
    ts_assert_ok(toksim_world_new(&w, "WS01", NULL, NULL, ep), ep);
    toksim_sid admin;
    ts_assert_ok(toksim_world_resolve(w, "Administrator", &admin, ep), ep);
    cr_assert_eq(toksim_world_add_user_claim(w, &admin, "\"a\",TS,0,\"b\"", &e),
                 TOKSIM_EINVAL);
    cr_assert_eq(toksim_world_add_device_claim(w, "\"a\",TS,0,\"b\"", &e), TOKSIM_EINVAL);
    cr_assert_eq(toksim_world_add_device_group(w, &admin, &e), TOKSIM_EINVAL);
    toksim_sid dom = ts_test_sid("S-1-5-21-1-2-3"), bob;
    ts_assert_ok(toksim_world_join_domain(w, "C", &dom, ep), ep);
    toksim_account a;
    memset(&a, 0, sizeof a);
    a.name = "bob";
    a.scope = TOKSIM_SCOPE_DOMAIN;
    a.kind = TOKSIM_ACCOUNT_USER;
    ts_assert_ok(toksim_world_add_account(w, &a, &bob, ep), ep);
    cr_assert_eq(toksim_world_add_user_claim(w, &bob, "\"a\",TQ,0,1", &e), TOKSIM_EPARSE);
    ts_assert_ok(toksim_world_add_user_claim(w, &bob, "\"a\",TI,0,1", ep), ep);
    cr_assert_eq(toksim_world_user_claim_count(w, &bob), 1);
    toksim_world_free(w);
}
