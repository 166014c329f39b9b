/*
 * PURPOSE: scenario-level tests of the token API and named-pipe operations of issue 16
 * (token.open, token.nt_duplicate, thread.impersonate_anonymous, pipe.*): bad input is an
 * exit-2 error naming the line and column (loader) or the step (run), and a handle
 * opened without TOKEN_DUPLICATE refuses token.duplicate and token.nt_duplicate.
 */
#include <stdio.h>
#include <string.h>
#include "../helpers.h"

#define HEAD                                                                             \
    "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\",\n"                               \
    " \"world\": {\"machine\": {\"name\": \"WS01\", \"sid\": \"S-1-5-21-1-2-3\", "       \
    "\"os\": \"win10\"}, \"users\": [{\"name\": \"alice\", \"rid\": 1001}]},\n"          \
    " \"steps\": [{\"id\": \"l\", \"op\": \"logon\", \"user\": \"WS01\\\\alice\", "      \
    "\"as\": \"alice\"},\n"                                                              \
    "  {\"id\": \"p\", \"op\": \"process.start\", \"token\": \"alice\", \"as\": "        \
    "\"app\"},\n"

static toksim_status load(toksim_scenario **sc, const char *steps, toksim_error *err)
{
    char doc[4096];
    snprintf(doc, sizeof doc, "%s%s]}", HEAD, steps);
    return toksim_scenario_parse(sc, doc, strlen(doc), "t.json", ".", err);
}

/* a load error: line 5 is the first step after HEAD; the message names what is wrong */
static void load_fails(const char *steps, const char *needle)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    cr_assert_eq(load(&sc, steps, &err), TOKSIM_EPARSE, "%s", steps);
    cr_assert_null(sc);
    cr_assert_eq(err.line, 5, "line %d: %s", err.line, err.message);
    cr_assert_gt(err.column, 0);
    cr_assert(strstr(err.message, needle), "%s", err.message);
}

/* a run error naming the step (exit 2 from the CLI) */
static void run_fails(const char *steps, const char *step_id, const char *needle)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0}, *ep = &err;
    ts_assert_ok(load(&sc, steps, ep), ep);
    toksim_run *run = NULL;
    toksim_status rc = toksim_scenario_run(&run, sc, &err);
    cr_assert_neq(rc, TOKSIM_OK, "%s", steps);
    cr_assert_null(run);
    cr_assert(strstr(err.message, step_id) && strstr(err.message, needle), "%s",
              err.message);
    cr_assert_gt(err.line, 0);
    toksim_scenario_free(sc);
}

Test(scenario_tokens, bad_parameters_are_load_errors)
{
    load_fails("  {\"id\": \"o\", \"op\": \"token.open\", \"thread\": \"app\", \"api\": "
               "\"OpenProcessToken\", \"acess\": \"TOKEN_QUERY\", \"as\": \"h\"}",
               "\"acess\"");
    load_fails(
        "  {\"id\": \"o\", \"op\": \"token.open\", \"thread\": \"app\", \"access\": "
        "\"TOKEN_QUERY\", \"as\": \"h\"}",
        "api");
    load_fails("  {\"id\": \"o\", \"op\": \"token.open\", \"thread\": \"app\", \"api\": "
               "\"OpenThreadToken\", \"access\": \"TOKEN_QUERY\", \"open_as_self\": "
               "\"yes\", \"as\": \"h\"}",
               "open_as_self");
    load_fails("  {\"id\": \"d\", \"op\": \"token.nt_duplicate\", \"token\": \"app\", "
               "\"effective_only\": 1, \"as\": \"d\"}",
               "effective_only");
    load_fails("  {\"id\": \"a\", \"op\": \"thread.impersonate_anonymous\"}", "thread");
    load_fails("  {\"id\": \"c\", \"op\": \"pipe.create\", \"server\": \"app\", \"as\": "
               "\"p\"}",
               "name");
    load_fails("  {\"id\": \"c\", \"op\": \"pipe.connect\", \"pipe\": \"p\", \"client\": "
               "\"app\", \"remote\": \"no\"}",
               "remote");
    load_fails("  {\"id\": \"w\", \"op\": \"pipe.write\", \"pipe\": 3}", "pipe");
    load_fails("  {\"id\": \"i\", \"op\": \"pipe.impersonate\", \"pipe\": \"p\"}",
               "thread");
}

Test(scenario_tokens, bad_values_are_run_errors)
{
    run_fails("  {\"id\": \"o\", \"op\": \"token.open\", \"thread\": \"app\", \"api\": "
              "\"OpenFooToken\", \"access\": \"TOKEN_QUERY\", \"as\": \"h\"}",
              "(o, ", "OpenThreadToken or OpenProcessToken");
    run_fails("  {\"id\": \"o\", \"op\": \"token.open\", \"thread\": \"app\", \"api\": "
              "\"OpenProcessToken\", \"access\": \"FILE_READ_DATA\", \"as\": \"h\"}",
              "(o, ", "FILE_READ_DATA");
    run_fails(
        "  {\"id\": \"o\", \"op\": \"token.open\", \"thread\": \"app\", \"api\": "
        "\"OpenProcessToken\", \"open_as_self\": true, \"access\": 8, \"as\": \"h\"}",
        "(o, ", "OpenThreadToken only");
    run_fails("  {\"id\": \"d\", \"op\": \"token.nt_duplicate\", \"token\": \"app\", "
              "\"qos_level\": \"Superb\", \"as\": \"d\"}",
              "(d, ", "qos_level");
    run_fails("  {\"id\": \"c\", \"op\": \"pipe.create\", \"server\": \"app\", \"name\": "
              "\"x\", \"as\": \"p\"},\n"
              "  {\"id\": \"k\", \"op\": \"pipe.connect\", \"pipe\": \"p\", \"client\": "
              "\"app\", \"context_tracking\": \"dynamic\"}",
              "(k, ", "sqos_level");
    run_fails("  {\"id\": \"c\", \"op\": \"pipe.create\", \"server\": \"app\", \"name\": "
              "\"x\", \"as\": \"p\"},\n"
              "  {\"id\": \"r\", \"op\": \"pipe.read\", \"pipe\": \"p\"}",
              "(r, ", "ReadFile would block");
    run_fails("  {\"id\": \"r\", \"op\": \"pipe.read\", \"pipe\": \"app\"}", "(r, ",
              "no pipe");
}

/* token.open's handle carries its rights into token.duplicate and token.nt_duplicate */
Test(scenario_tokens, handle_rights_flow_into_duplication)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0}, *ep = &err;
    ts_assert_ok(
        load(
            &sc,
            "  {\"id\": \"o\", \"op\": \"token.open\", \"thread\": \"app\", \"api\": "
            "\"OpenProcessToken\", \"access\": \"TOKEN_QUERY\", \"as\": \"h\"},\n"
            "  {\"id\": \"d1\", \"op\": \"token.duplicate\", \"token\": \"h\", \"as\": "
            "\"x1\"},\n"
            "  {\"id\": \"d2\", \"op\": \"token.nt_duplicate\", \"token\": \"h\", "
            "\"as\": "
            "\"x2\"},\n"
            "  {\"id\": \"d3\", \"op\": \"token.duplicate\", \"token\": \"app\", \"as\": "
            "\"x3\"}",
            ep),
        ep);
    toksim_run *run = NULL;
    ts_assert_ok(toksim_scenario_run(&run, sc, ep), ep);
    const toksim_step_result *r = toksim_scenario_run_find(run, "o");
    cr_assert(r->ok && r->has_granted && r->granted == TOKSIM_TOKEN_ACCESS_QUERY);
    r = toksim_scenario_run_find(run, "d1");
    cr_assert(!r->ok && r->win32 == TOKSIM_ERROR_ACCESS_DENIED);
    r = toksim_scenario_run_find(run, "d2");
    cr_assert(!r->ok && r->ntstatus == TOKSIM_STATUS_ACCESS_DENIED);
    r = toksim_scenario_run_find(run, "d3"); /* a process name: all access */
    cr_assert(r->ok);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
}
