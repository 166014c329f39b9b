/*
 * PURPOSE: the step parameters read by the shared helpers of ops_params.c: an SDDL
 * parameter is read the same way by pipe.create, token.open, com.activate and
 * access_check (a bad one is a run error naming the key and the byte offset), and a
 * parameter error of the token API ops points at the parameter's value, not at the step.
 */
#include <stdio.h>
#include <string.h>
#include "../helpers.h"

#define HEAD                                                                             \
    "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\",\n"                               \
    " \"world\": {\"machine\": {\"name\": \"WS01\", \"sid\": \"S-1-5-21-1-2-3\"}, "      \
    "\"users\": [{\"name\": \"alice\", \"rid\": 1001}]},\n"                              \
    " \"steps\": [{\"id\": \"l\", \"op\": \"logon\", \"user\": \"WS01\\\\alice\", "      \
    "\"as\": \"alice\"},\n"                                                              \
    "  {\"id\": \"p\", \"op\": \"process.start\", \"token\": \"alice\", \"as\": "        \
    "\"app\"},\n"

/* Run HEAD + step; the run fails with a message holding needle, at line:col. */
static void run_fails(const char *step, const char *needle, int line, int col)
{
    char doc[4096];
    snprintf(doc, sizeof doc, "%s%s]}", HEAD, step);
    toksim_scenario *sc = NULL;
    toksim_error err = {0}, *ep = &err;
    ts_assert_ok(toksim_scenario_parse(&sc, doc, strlen(doc), "t.json", ".", ep), ep);
    toksim_run *run = NULL;
    cr_assert_neq(toksim_scenario_run(&run, sc, &err), TOKSIM_OK, "%s", step);
    cr_assert(strstr(err.message, needle), "%s", err.message);
    cr_assert_eq(err.line, line, "%d:%d %s", err.line, err.column, err.message);
    cr_assert_eq(err.column, col, "%d:%d %s", err.line, err.column, err.message);
    toksim_scenario_free(sc);
}

Test(ops_params, one_reading_of_an_sddl_parameter)
{
    run_fails(
        "  {\"id\": \"c\", \"op\": \"pipe.create\", \"server\": \"app\", \"name\": "
        "\"\\\\\\\\.\\\\pipe\\\\x\", \"sddl\": \"D:(A;;GA;;;NOPE)\", \"as\": \"px\"}",
        "(c, pipe.create): sddl: ", 5, 3);
    run_fails(
        "  {\"id\": \"c\", \"op\": \"pipe.create\", \"server\": \"app\", \"name\": "
        "\"\\\\\\\\.\\\\pipe\\\\x\", \"sddl\": \"D:(A;;GA;;;NOPE)\", \"as\": \"px\"}",
        "(at byte ", 5, 3);
    run_fails("  {\"id\": \"o\", \"op\": \"token.open\", \"thread\": \"app\", \"api\": "
              "\"OpenProcessToken\", \"access\": \"TOKEN_QUERY\", \"sddl\": \"D:(\", "
              "\"as\": \"h\"}",
              "(o, token.open): sddl: ", 5, 3);
    /* access_check reads its sddl the same way (the byte offset is in the message) */
    run_fails("  {\"id\": \"a\", \"op\": \"access_check\", \"token\": \"alice\", "
              "\"sddl\": \"D:(A;;GA;;;NOPE)\", \"access\": \"GENERIC_READ\"}",
              "(at byte ", 5, 3);
}

Test(ops_params, token_api_errors_point_at_the_parameter)
{
    /* line 5 column 73: the value of "class", not the step at column 3 */
    run_fails(
        "  {\"id\": \"g\", \"op\": \"token.get_information\", \"token\": \"alice\", "
        "\"class\": \"TokenNope\"}",
        "class \"TokenNope\": expected a TOKEN_INFORMATION_CLASS name", 5, 73);
}
