/*
 * PURPOSE: the sso.* scenario operations (ops_sso.c) and the "rule" expectation: bad
 * parameters are load errors with line and column, model refusals of the configuration
 * or unknown session names stop the run naming the step, a refusal is the step's result
 * (ok false, its rule in the trace), and "rule" holds or fails.
 */
#include <stdio.h>
#include <string.h>
#include "../helpers.h"

#define HEAD "{\"toksim\": 1, \"name\": \"s\", \"title\": \"t\", \"world\": {},\n"
#define CONFIG                                                                           \
    "\"steps\": [\n"                                                                     \
    "{\"id\": \"d\", \"op\": \"sso.directory\", \"name\": \"staff\", \"users\": "        \
    "[\"uid=a,o=x\", \"uid=b,o=x\"]},\n"                                                 \
    "{\"id\": \"dom\", \"op\": \"sso.domain\", \"name\": \"x\", \"directories\": "       \
    "[\"staff\"]},\n"                                                                    \
    "{\"id\": \"r\", \"op\": \"sso.realm\", \"name\": \"portal\", \"domain\": \"x\", "   \
    "\"protection_level\": 5, \"idle_timeout\": 10},\n"                                  \
    "{\"id\": \"ri\", \"op\": \"sso.realm\", \"name\": \"imp\", \"domain\": \"x\", "     \
    "\"protection_level\": 5, \"impersonation\": true},\n"                               \
    "{\"id\": \"p\", \"op\": \"sso.policy\", \"name\": \"p\", \"realm\": \"imp\", "      \
    "\"events\": [\"ImpersonateStart\", \"ImpersonateStartUser\"], \"directories\": "    \
    "[\"staff\"]},\n"                                                                    \
    "{\"id\": \"l\", \"op\": \"sso.login\", \"user\": \"uid=a,o=x\", \"realm\": "        \
    "\"portal\", \"as\": \"a\"},\n"                                                      \
    "{\"id\": \"i\", \"op\": \"sso.impersonate\", \"session\": \"a\", \"realm\": "       \
    "\"imp\", \"user\": \"uid=b,o=x\", \"as\": \"ab\"},\n"                               \
    "{\"id\": \"c\", \"op\": \"sso.impersonate\", \"session\": \"ab\", \"realm\": "      \
    "\"imp\", \"user\": \"uid=a,o=x\", \"as\": \"aba\"},\n"                              \
    "{\"id\": \"e\", \"op\": \"sso.impersonate.end\", \"session\": \"ab\"},\n"           \
    "{\"id\": \"t\", \"op\": \"sso.advance\", \"minutes\": 11},\n"                       \
    "{\"id\": \"q\", \"op\": \"sso.request\", \"session\": \"a\", \"realm\": "           \
    "\"portal\"}"

/* ts_assert_ok() takes an error pointer; a call keeps -Waddress quiet for a local. */
static toksim_error *ep(toksim_error *e)
{
    return e;
}

static toksim_status parse(toksim_scenario **sc, const char *text, toksim_error *err)
{
    return toksim_scenario_parse(sc, text, strlen(text), "s.json", ".", err);
}

/* Run `extra` steps after the configuration; returns the run status, err filled. */
static toksim_status run_with(const char *extra, toksim_error *err, toksim_run **out)
{
    char doc[8192];
    snprintf(doc, sizeof doc, HEAD CONFIG "%s]}", extra);
    toksim_scenario *sc = NULL;
    ts_assert_ok(parse(&sc, doc, err), err);
    toksim_status rc = toksim_scenario_run(out, sc, err);
    if (!rc) {
        toksim_scenario_run_free(*out);
        *out = NULL;
    }
    toksim_scenario_free(sc);
    return rc;
}

typedef struct mism {
    int n;
    char field[32], got[64];
} mism;

static void record(const toksim_mismatch *m, void *payload)
{
    mism *s = payload;
    s->n++;
    snprintf(s->field, sizeof s->field, "%s", m->field);
    snprintf(s->got, sizeof s->got, "%s", m->got);
}

static mism check(const char *expect, size_t *passed)
{
    char doc[8192];
    snprintf(doc, sizeof doc, HEAD CONFIG "], \"expect\": %s}", expect);
    toksim_scenario *sc = NULL;
    toksim_run *run = NULL;
    toksim_error e = {0};
    ts_assert_ok(parse(&sc, doc, &e), ep(&e));
    ts_assert_ok(toksim_scenario_run(&run, sc, &e), ep(&e));
    mism m = {0};
    size_t failed = 0;
    ts_assert_ok(toksim_scenario_check(passed, &failed, run, record, &m), ep(&e));
    cr_assert_eq((size_t)m.n, failed);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
    return m;
}

Test(sso_scenario, steps_refuse_as_results_and_rule_expectations_hold)
{
    size_t passed = 0;
    mism m = check("{\"l\": {\"ok\": true, \"rule\": \"sso.login.authenticated\"},"
                   " \"i\": {\"ok\": true, \"rule\": [\"sso.impersonate.bound\", "
                   "\"sso.impersonate.started\"]},"
                   " \"c\": {\"ok\": false, \"rule\": \"sso.impersonate.chaining\"},"
                   " \"e\": {\"ok\": true, \"rule\": \"sso.impersonate.ended\"},"
                   " \"q\": {\"ok\": false, \"rule\": \"sso.session.idle_timeout\"}}",
                   &passed);
    cr_assert_eq(m.n, 0, "%s: %s", m.field, m.got);
    cr_assert_eq(passed, 11);
    m = check("{\"c\": {\"rule\": \"sso.impersonate.started\"}}", &passed);
    cr_assert_eq(m.n, 1);
    cr_assert_str_eq(m.field, "rule");
    cr_assert_str_eq(m.got, "not in the trace");
}

Test(sso_scenario, rule_expectation_names_a_known_rule)
{
    char doc[8192];
    snprintf(doc, sizeof doc,
             HEAD CONFIG "],\n\"expect\": {\"c\": {\"rule\": \"sso.nope\"}}}");
    toksim_scenario *sc = NULL;
    toksim_error e = {0};
    cr_assert_eq(parse(&sc, doc, &e), TOKSIM_ENOTFOUND);
    cr_assert(strstr(e.message, "expect.c.rule") && strstr(e.message, "sso.nope"), "%s",
              e.message);
    cr_assert_eq(e.line, 14);
}

Test(sso_scenario, bad_parameters_are_load_errors)
{
    toksim_scenario *sc = NULL;
    toksim_error e = {0};
    const char *doc = HEAD "\"steps\": [\n{\"id\": \"r\", \"op\": \"sso.realm\", "
                           "\"name\": \"p\", \"domain\": \"x\"}]}";
    cr_assert_eq(parse(&sc, doc, &e), TOKSIM_EPARSE);
    cr_assert(strstr(e.message, "protection_level"), "%s", e.message);
    cr_assert_eq(e.line, 3);
    doc = HEAD "\"steps\": [\n{\"id\": \"t\", \"op\": \"sso.advance\", \"minutes\": "
               "\"ten\"}]}";
    cr_assert_eq(parse(&sc, doc, &e), TOKSIM_EPARSE);
    cr_assert(strstr(e.message, "integer"), "%s", e.message);
}

Test(sso_scenario, configuration_and_name_errors_stop_the_run_at_the_step)
{
    toksim_run *run = NULL;
    toksim_error e = {0};
    cr_assert_eq(
        run_with(",\n{\"id\": \"bad\", \"op\": \"sso.policy\", \"name\": \"p2\", "
                 "\"realm\": \"imp\", \"events\": [\"OnAuthAccept\"]}",
                 &e, &run),
        TOKSIM_EPARSE);
    cr_assert(strstr(e.message, "bad") && strstr(e.message, "ImpersonateStartUser"), "%s",
              e.message);
    cr_assert_eq(e.line, 14);
    cr_assert_eq(run_with(",\n{\"id\": \"dup\", \"op\": \"sso.domain\", \"name\": \"y\", "
                          "\"directories\": [\"ghost\"]}",
                          &e, &run),
                 TOKSIM_ENOTFOUND);
    cr_assert(strstr(e.message, "dup") && strstr(e.message, "ghost"), "%s", e.message);
    cr_assert_eq(run_with(",\n{\"id\": \"who\", \"op\": \"sso.request\", \"session\": "
                          "\"nobody\", \"realm\": \"portal\"}",
                          &e, &run),
                 TOKSIM_ENOTFOUND);
    cr_assert(strstr(e.message, "nobody"), "%s", e.message);
    cr_assert_eq(run_with(",\n{\"id\": \"twice\", \"op\": \"sso.login\", \"user\": "
                          "\"uid=b,o=x\", \"realm\": \"portal\", \"as\": \"a\"}",
                          &e, &run),
                 TOKSIM_EINVAL);
    cr_assert(strstr(e.message, "already used"), "%s", e.message);
    cr_assert_eq(run_with(",\n{\"id\": \"noimp\", \"op\": \"sso.impersonate\", "
                          "\"session\": \"a\", \"realm\": \"portal\", \"user\": "
                          "\"uid=b,o=x\", \"as\": \"z\"}",
                          &e, &run),
                 TOKSIM_EINVAL);
    cr_assert(strstr(e.message, "impersonation scheme"), "%s", e.message);
    cr_assert_eq(
        run_with(",\n{\"id\": \"back\", \"op\": \"sso.advance\", \"minutes\": -1}", &e,
                 &run),
        TOKSIM_EINVAL);
    cr_assert_eq(run_with(",\n{\"id\": \"end\", \"op\": \"sso.impersonate.end\", "
                          "\"session\": \"a\"}",
                          &e, &run),
                 TOKSIM_EINVAL);
    cr_assert(strstr(e.message, "not an impersonated session"), "%s", e.message);
}
