/*
 * PURPOSE: the scenario operations of ISAPI extensions (ops_isapi.c): bad parameters and
 * misuse are run errors naming the step's line and what was expected (exit 2), and the
 * step results carry the model's answers (ERROR_INVALID_HANDLE, findings, the thread's
 * token).
 */
#include <stdio.h>
#include <string.h>
#include "../helpers.h"

#define HEAD                                                                             \
    "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\",\n"                               \
    " \"world\": {\"machine\": {\"name\": \"WEB01\", \"sid\": \"S-1-5-21-7-8-9\", "      \
    "\"os\": \"server\"},"                                                               \
    " \"users\": [{\"name\": \"WEB01\\\\IUSR_WEB01\"}, {\"name\": "                      \
    "\"WEB01\\\\IWAM_WEB01\"}, {\"name\": \"WEB01\\\\alice\"}],"                         \
    " \"objects\": [{\"path\": \"C:\\\\d\\\\f.txt\", \"type\": \"file\","                \
    " \"sddl\": \"O:BAG:SYD:(A;;FA;;;SY)\"}]},\n"                                        \
    " \"steps\": [\n"
#define LOAD                                                                             \
    "{\"id\": \"load\", \"op\": \"isapi.extension.load\", \"app\": \"/x.dll\", "         \
    "\"isolation\": \"inproc\", \"as\": \"x\"},\n"
#define REQ                                                                              \
    "{\"id\": \"req\", \"op\": \"isapi.request\", \"extension\": \"x\", \"auth\": "      \
    "\"ntlm\", \"user\": \"WEB01\\\\alice\", \"as\": \"r\"}"

/* Parse (must succeed) and run; the caller frees *sc after *run. */
static toksim_status
run_text(const char *text, toksim_scenario **sc, toksim_run **run, toksim_error *err)
{
    *sc = NULL;
    *run = NULL;
    toksim_status rc = toksim_scenario_parse(sc, text, strlen(text), "t.json", ".", err);
    cr_assert_eq(rc, TOKSIM_OK, "parse: %s", err->message);
    return toksim_scenario_run(run, *sc, err);
}

/* The run fails at line `line` with `code` and a message holding `needle`. */
static void run_error(const char *steps, toksim_status code, int line, const char *needle)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s]}", HEAD, steps);
    toksim_scenario *sc = NULL;
    toksim_run *run = NULL;
    toksim_error err = {0};
    toksim_status rc = run_text(text, &sc, &run, &err);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
    cr_assert_eq(rc, code, "%s -> %s: %s", steps, toksim_strerror(rc), err.message);
    cr_assert_eq(err.line, line, "line %d: %s", err.line, err.message);
    cr_assert(strstr(err.message, needle), "%s lacks \"%s\"", err.message, needle);
    cr_assert_str_eq(err.where, "t.json");
}

Test(scenario_isapi, bad_parameters_name_the_step_and_what_was_expected)
{
    run_error("{\"id\": \"l\", \"op\": \"isapi.extension.load\", \"app\": \"/x.dll\", "
              "\"isolation\": \"medium\", \"as\": \"x\"}",
              TOKSIM_EPARSE, 4, "inproc, pooled or isolated");
    run_error("{\"id\": \"l\", \"op\": \"isapi.extension.load\", \"app\": \"/x.dll\", "
              "\"isolation\": \"inproc\", \"wam_user\": \"WEB01\\\\alice\", \"as\": "
              "\"x\"}",
              TOKSIM_EPARSE, 4, "in-process");
    run_error("{\"id\": \"l\", \"op\": \"isapi.extension.load\", \"app\": \"/x.dll\", "
              "\"isolation\": \"pooled\", \"wam_logon\": \"dcom\", \"as\": \"x\"}",
              TOKSIM_EPARSE, 4, "expected a logon type");
    run_error(LOAD "{\"id\": \"q\", \"op\": \"isapi.request\", \"extension\": \"x\", "
                   "\"auth\": \"kerberos\", \"as\": \"r\"}",
              TOKSIM_EPARSE, 5, "anonymous, basic, ntlm or certificate");
    run_error(LOAD "{\"id\": \"q\", \"op\": \"isapi.request\", \"extension\": \"x\", "
                   "\"auth\": \"basic\", \"as\": \"r\"}",
              TOKSIM_EPARSE, 5, "needs \"user\"");
    run_error(LOAD "{\"id\": \"q\", \"op\": \"isapi.request\", \"extension\": \"x\", "
                   "\"logon_method\": \"service\", \"as\": \"r\"}",
              TOKSIM_EPARSE, 5, "LogonMethod");
    run_error("{\"id\": \"q\", \"op\": \"isapi.request\", \"extension\": \"nope\", "
              "\"as\": \"r\"}",
              TOKSIM_ENOTFOUND, 4, "isapi.extension.load");
    run_error(LOAD REQ ",\n{\"id\": \"w\", \"op\": \"isapi.worker\", \"ecb\": \"r\", "
                       "\"actions\": [\"dance\"]}",
              TOKSIM_EPARSE, 6, "get_impersonation_token");
    run_error(LOAD REQ ",\n{\"id\": \"w\", \"op\": \"isapi.worker\", \"ecb\": \"x\", "
                       "\"actions\": [\"revert\"]}",
              TOKSIM_ENOTFOUND, 6, "no ISAPI request");
    run_error(LOAD REQ ",\n{\"id\": \"w\", \"op\": \"isapi.worker\", \"ecb\": \"r\", "
                       "\"actions\": [\"open C:\\\\d\\\\f.txt\"]}",
              TOKSIM_EPARSE, 6, "needs \"access\"");
    run_error(LOAD REQ ",\n{\"id\": \"w\", \"op\": \"isapi.worker\", \"ecb\": \"r\", "
                       "\"actions\": [\"open C:\\\\nothere\"], \"access\": \"FR\"}",
              TOKSIM_ENOTFOUND, 6, "world.objects");
}

Test(scenario_isapi, misuse_is_a_run_error)
{
    /* HttpExtensionProc returns on the I/O thread only */
    run_error(LOAD REQ ",\n{\"id\": \"w\", \"op\": \"isapi.worker\", \"ecb\": \"r\", "
                       "\"thread\": \"x:w1\", \"actions\": [\"return\"]}",
              TOKSIM_EINVAL, 6, "I/O thread");
    /* impersonating before fetching the handle */
    run_error(LOAD REQ ",\n{\"id\": \"w\", \"op\": \"isapi.worker\", \"ecb\": \"r\", "
                       "\"actions\": [\"impersonate\"]}",
              TOKSIM_EINVAL, 6, "HSE_REQ_GET_IMPERSONATION_TOKEN first");
    /* ServerSupportFunction after the ECB ended */
    run_error(LOAD REQ ",\n{\"id\": \"w\", \"op\": \"isapi.worker\", \"ecb\": \"r\", "
                       "\"actions\": [\"return\", \"get_impersonation_token\"]}",
              TOKSIM_EINVAL, 6, "use after free");
    /* a thread of another process */
    run_error(LOAD REQ ",\n{\"id\": \"l2\", \"op\": \"isapi.extension.load\", \"app\": "
                       "\"/y.dll\", \"isolation\": \"inproc\", \"as\": \"y\"},\n"
                       "{\"id\": \"w\", \"op\": \"isapi.worker\", \"ecb\": \"r\", "
                       "\"thread\": \"y:w\", \"actions\": [\"revert\"]}",
              TOKSIM_EINVAL, 7, "not a thread of the extension");
    /* IUSR_<machine> must be declared */
    char text[2048];
    snprintf(text, sizeof text,
             "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\",\n \"world\": "
             "{\"machine\": {\"name\": \"BARE\"}},\n \"steps\": [\n%s"
             "{\"id\": \"q\", \"op\": \"isapi.request\", \"extension\": \"x\", \"as\": "
             "\"r\"}]}",
             LOAD);
    toksim_scenario *sc = NULL;
    toksim_run *run = NULL;
    toksim_error err = {0};
    cr_assert_eq(run_text(text, &sc, &run, &err), TOKSIM_ENOTFOUND);
    cr_assert(strstr(err.message, "BARE\\IUSR_BARE"), "%s", err.message);
    toksim_scenario_free(sc);
}

Test(scenario_isapi, stale_handle_and_worker_results)
{
    char text[4096];
    snprintf(text, sizeof text,
             "%s%s%s,\n"
             "{\"id\": \"io\", \"op\": \"isapi.worker\", \"ecb\": \"r\", \"actions\": "
             "[\"get_impersonation_token\", \"return pending\"]},\n"
             "{\"id\": \"w1\", \"op\": \"isapi.worker\", \"ecb\": \"r\", \"thread\": "
             "\"x:w1\", \"actions\": [\"open C:\\\\d\\\\f.txt\"], \"access\": \"FR\"},\n"
             "{\"id\": \"w2\", \"op\": \"isapi.worker\", \"ecb\": \"r\", \"thread\": "
             "\"x:w2\", \"actions\": [\"impersonate\", \"done_with_session\", "
             "\"set_thread_token\"]}]}",
             HEAD, LOAD, REQ);
    toksim_scenario *sc = NULL;
    toksim_run *run = NULL;
    toksim_error err = {0};
    cr_assert_eq(run_text(text, &sc, &run, &err), TOKSIM_OK, "%s", err.message);
    const toksim_step_result *r = toksim_scenario_run_find(run, "req");
    cr_assert(r->ok && r->has_level && r->level == TOKSIM_IMP_IMPERSONATION);
    r = toksim_scenario_run_find(run, "w1");
    cr_assert(r->ok && r->has_granted);
    cr_assert_not_null(
        toksim_findings_find(r->findings, "finding.system_context_on_behalf"));
    toksim_sid system = ts_test_sid("S-1-5-18");
    cr_assert(toksim_sid_equal(toksim_token_user(r->token), &system));
    cr_assert(strstr(r->summary, "as NT AUTHORITY\\SYSTEM"), "%s", r->summary);
    r = toksim_scenario_run_find(run, "w2");
    cr_assert(!r->ok);
    cr_assert_eq(r->win32, TOKSIM_ERROR_INVALID_HANDLE, "the handle died with the ECB");
    cr_assert_eq(r->hresult, 0x80070006u);
    /* the thread still impersonates alice from before the ECB ended */
    cr_assert(r->has_level);
    cr_assert(strstr(r->summary, "SetThreadToken: failed (6)"), "%s", r->summary);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
}
