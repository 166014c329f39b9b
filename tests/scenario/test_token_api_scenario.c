/*
 * PURPOSE: the scenario side of the token API: the ops token.get_information,
 * token.restrict, token.is_restricted, token.check_membership, privilege.check,
 * token.set_integrity and process.create_as_user, the "answer" and "token_info"
 * expectations (each can fail, each bad value is a positioned load or run error), and
 * `toksim token --info` (text and JSON, every class from GetTokenInformation).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../helpers.h"
#include "../cli_helpers.h"

#define HEAD                                                                             \
    "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\",\n"                               \
    " \"world\": {\"machine\": {\"name\": \"WS01\", \"sid\": \"S-1-5-21-1-2-3\", "       \
    "\"os\": "                                                                           \
    "\"win10\"}, \"users\": [{\"name\": \"alice\", \"rid\": 1001}, {\"name\": "          \
    "\"admin\", \"rid\": 1000, \"groups\": [\"BUILTIN\\\\Administrators\"]}]},\n"

#define LOGON                                                                            \
    "{\"id\": \"l\", \"op\": \"logon\", \"user\": \"WS01\\\\alice\", \"as\": \"a\"}"

static toksim_status parse(toksim_scenario **sc, const char *text, toksim_error *err)
{
    return toksim_scenario_parse(sc, text, strlen(text), "t.json", ".", err);
}

/* Load and run; returns the number of failed expectations (the run must succeed). */
static size_t failures(const char *text, size_t *passed)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    toksim_status rc = parse(&sc, text, &err);
    cr_assert_eq(rc, TOKSIM_OK, "%s", err.message);
    toksim_run *run = NULL;
    rc = toksim_scenario_run(&run, sc, &err);
    cr_assert_eq(rc, TOKSIM_OK, "%s", err.message);
    size_t p = 0, f = 0;
    cr_assert_eq(toksim_scenario_check(&p, &f, run, NULL, NULL), TOKSIM_OK);
    if (passed)
        *passed = p;
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
    return f;
}

/* A load or run error: its line and column and a piece of its message. */
static void input_error(const char *text, int line, int col, const char *needle)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    toksim_status rc = parse(&sc, text, &err);
    if (rc == TOKSIM_OK) {
        toksim_run *run = NULL;
        rc = toksim_scenario_run(&run, sc, &err);
        toksim_scenario_run_free(run);
        toksim_scenario_free(sc);
    }
    cr_assert_neq(rc, TOKSIM_OK, "no error for %s", text);
    cr_assert(strstr(err.message, needle), "message lacks '%s': %s", needle, err.message);
    cr_assert_eq(err.line, line, "line %d: %s", err.line, err.message);
    cr_assert_eq(err.column, col, "column %d: %s", err.column, err.message);
}

Test(token_api_scenario, token_info_expectations_hold_and_fail)
{
    size_t passed = 0;
    const char *good = HEAD " \"steps\": [" LOGON "],\n"
                            " \"expect\": {\"l\": {\"token_info\": {\"TokenType\": "
                            "\"Primary\", \"TokenElevationType\": \"Default\", "
                            "\"TokenImpersonationLevel\": {\"error\": "
                            "\"ERROR_INVALID_PARAMETER\"}, \"TokenLinkedToken\": "
                            "{\"error\": \"ERROR_NO_SUCH_LOGON_SESSION\"}, "
                            "\"TokenGroups\": {\"BUILTIN\\\\Users\": [\"Mandatory\", "
                            "\"EnabledByDefault\", \"Enabled\"], \"BUILTIN\\\\Guests\": "
                            "\"absent\"}, \"TokenIntegrityLevel\": \"Medium\"}}}}";
    cr_assert_eq(failures(good, &passed), 0);
    cr_assert_eq(passed, 7);
    /* each wrong value is one failure */
    const char *bad = HEAD " \"steps\": [" LOGON "],\n"
                           " \"expect\": {\"l\": {\"token_info\": {\"TokenType\": "
                           "\"Impersonation\", \"TokenElevationType\": \"Full\", "
                           "\"TokenImpersonationLevel\": \"Impersonation\", "
                           "\"TokenGroups\": {\"BUILTIN\\\\Users\": [\"Enabled\"]}, "
                           "\"TokenIntegrityLevel\": \"High\", \"TokenUser\": "
                           "\"WS01\\\\admin\"}}}}";
    cr_assert_eq(failures(bad, &passed), 6);
    cr_assert_eq(passed, 0);
}

/* a failed TokenLinkedToken fails each nested class, so passed + failed = the count */
Test(token_api_scenario, nested_classes_fail_one_by_one_without_a_linked_token)
{
    const char *text =
        HEAD " \"steps\": [" LOGON "],\n"
             " \"expect\": {\"l\": {\"token_info\": {\"TokenLinkedToken\": "
             "{\"TokenType\": \"Impersonation\", \"TokenElevation\": "
             "true}}}}}";
    size_t passed = 0;
    cr_assert_eq(failures(text, &passed), 2);
    cr_assert_eq(passed, 0);
}

Test(token_api_scenario, linked_token_of_a_uac_pair)
{
    const char *text =
        HEAD " \"steps\": [{\"id\": \"f\", \"op\": \"logon\", \"user\": "
             "\"WS01\\\\admin\", \"as\": \"f\"}],\n"
             " \"expect\": {\"f\": {\"token_info\": {\"TokenElevationType\": "
             "\"Limited\", \"TokenLinkedToken\": {\"TokenType\": \"Impersonation\", "
             "\"TokenImpersonationLevel\": \"Identification\", \"TokenElevationType\": "
             "\"Full\", \"TokenElevation\": true}}}}}";
    size_t passed = 0;
    cr_assert_eq(failures(text, &passed), 0);
    cr_assert_eq(passed, 5);
}

Test(token_api_scenario, answers_of_the_query_ops)
{
    const char *text = HEAD
        " \"steps\": [" LOGON ",\n"
        " {\"id\": \"r\", \"op\": \"token.restrict\", \"token\": \"a\", \"restrict\": "
        "[\"Everyone\"], \"as\": \"s\"},\n"
        " {\"id\": \"i\", \"op\": \"token.is_restricted\", \"token\": \"s\"},\n"
        " {\"id\": \"d\", \"op\": \"token.duplicate\", \"token\": \"s\", \"as\": "
        "\"si\"},\n"
        " {\"id\": \"m\", \"op\": \"token.check_membership\", \"token\": \"si\", "
        "\"sid\": \"BU\"},\n"
        " {\"id\": \"p\", \"op\": \"privilege.check\", \"token\": \"si\", "
        "\"privileges\": [\"SeChangeNotifyPrivilege\"]}],\n"
        " \"expect\": {\"i\": {\"answer\": true}, \"m\": {\"ok\": true, \"answer\": "
        "false}, \"p\": {\"answer\": true}, \"l\": {\"answer\": true}}}";
    size_t passed = 0;
    /* the logon step has no answer: that expectation fails */
    cr_assert_eq(failures(text, &passed), 1);
    cr_assert_eq(passed, 4);
    /* the JSON rendering carries the answer */
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    cr_assert_eq(parse(&sc, text, &err), TOKSIM_OK);
    toksim_run *run = NULL;
    cr_assert_eq(toksim_scenario_run(&run, sc, &err), TOKSIM_OK);
    char *json = NULL;
    cr_assert_eq(toksim_scenario_render_json(&json, run, 0), TOKSIM_OK);
    cr_assert(strstr(json, "\"answer\":false"), "%s", json);
    cr_assert(strstr(json, "\"answer\":true"), "%s", json);
    free(json);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
}

Test(token_api_scenario, bad_values_are_positioned_errors)
{
    input_error(HEAD " \"steps\": [" LOGON "],\n"
                     " \"expect\": {\"l\": {\"token_info\": {\"TokenBogus\": 1}}}}",
                4, 34, "unknown token information class");
    input_error(HEAD
                " \"steps\": [" LOGON "],\n"
                " \"expect\": {\"l\": {\"token_info\": {\"TokenType\": \"Primery\"}}}}",
                4, 47, "Primary or Impersonation");
    input_error(HEAD " \"steps\": [" LOGON "],\n"
                     " \"expect\": {\"l\": {\"answer\": \"yes\"}}}",
                4, 29, "true or false");
    input_error(HEAD
                " \"steps\": [" LOGON ",\n"
                " {\"id\": \"r\", \"op\": \"token.set_integrity\", \"token\": \"a\", "
                "\"level\": \"Lowish\"}]}",
                4, 66, "Untrusted, Low, Medium");
    input_error(HEAD " \"steps\": [" LOGON ",\n"
                     " {\"id\": \"r\", \"op\": \"token.restrict\", \"token\": \"a\", "
                     "\"flags\": [\"BAD\"], \"as\": \"x\"}]}",
                4, 61, "DISABLE_MAX_PRIVILEGE");
    /* a misspelt attribute word: the message lists the words of the one table */
    input_error(HEAD " \"steps\": [" LOGON "],\n"
                     " \"expect\": {\"l\": {\"token_info\": {\"TokenGroups\": "
                     "{\"Everyone\": [\"Mandatory\", \"Enabeld\"]}}}}}",
                4, 76,
                "expected an attribute word: Mandatory, EnabledByDefault, Enabled, "
                "Owner, UseForDenyOnly, Integrity, IntegrityEnabled, Resource, LogonId");
}

Test(token_api_scenario, cli_token_info_text_and_json)
{
    ts_expect_cli("token --info tests/data/whoami/filtered_admin_utf16le.txt", 0,
                  "TokenElevationType       Limited");
    ts_expect_cli("token --info tests/data/whoami/filtered_admin_utf16le.txt", 0,
                  "TokenImpersonationLevel  fails: ERROR_INVALID_PARAMETER (87");
    ts_expect_cli("token --info tests/data/whoami/filtered_admin_utf16le.txt", 0,
                  "0x00000010 UseForDenyOnly  BUILTIN\\Administrators");
    ts_expect_cli(
        "token --info --format json tests/data/whoami/system_table.txt", 0,
        "\"TokenLinkedToken\":\t{\n\t\t\"error\":\t\"ERROR_NO_SUCH_LOGON_SESSION\"");
    ts_expect_cli("token --info --format whoami tests/data/whoami/system_table.txt", 2,
                  "--info prints text or json");
}
