/*
 * PURPOSE: scenario operations com.activate, com.outcall and coerce.system_auth: bad
 * parameters stop the run with the step, line and what was expected (exit 2 in the CLI);
 * good ones carry the systems layer's results (HRESULT, Win32, level, findings, token).
 */
#include <stdio.h>
#include <string.h>
#include "../helpers.h"

#define HEAD                                                                             \
    "{\"toksim\": 1, \"name\": \"c\", \"title\": \"t\", \"world\": {\"machine\": "       \
    "{\"name\": \"WS01\", \"sid\": \"S-1-5-21-1-2-3\", \"os\": \"server\"}, \"users\": " \
    "[{\"name\": \"alice\", \"rid\": 1001}]},\n \"steps\": ["                            \
    "{\"id\": \"svc\", \"op\": \"service.start\", \"service\": \"S\", \"account\": "     \
    "\"NT AUTHORITY\\\\NetworkService\", \"as\": \"svc\"},\n"

/* Load and run; returns the status and fills err (run is freed). */
static toksim_status run_text(const char *text, toksim_error *err, toksim_run **keep)
{
    toksim_scenario *sc = NULL;
    toksim_status rc = toksim_scenario_parse(&sc, text, strlen(text), "c.json", ".", err);
    cr_assert(rc == TOKSIM_OK, "parse: %s", err->message);
    toksim_run *run = NULL;
    rc = toksim_scenario_run(&run, sc, err);
    if (keep && rc == TOKSIM_OK) {
        *keep = run;
        return rc; /* the scenario leaks into the run's lifetime: freed below by caller */
    }
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
    return rc;
}

static void expect_error(const char *steps, toksim_status want, const char *needle)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s]}", HEAD, steps);
    toksim_error err = {0};
    toksim_status rc = run_text(text, &err, NULL);
    cr_assert_eq(rc, want, "%s: got %d (%s)", steps, rc, err.message);
    cr_assert_eq(err.line, 3, "the error names the step's line: %d", err.line);
    cr_assert(strstr(err.message, needle), "\"%s\" not in: %s", needle, err.message);
}

Test(scenario_com, bad_parameters_name_the_step_and_what_was_expected)
{
    expect_error("{\"id\": \"a\", \"op\": \"com.activate\", \"app\": \"X\", \"caller\": "
                 "\"svc\", \"cloaking\": \"cloaked\", \"as\": \"x\"}",
                 TOKSIM_EPARSE, "expected none, static or dynamic");
    expect_error("{\"id\": \"a\", \"op\": \"com.activate\", \"app\": \"X\", \"caller\": "
                 "\"svc\", \"runas\": \"WS01\\\\nobody\", \"as\": \"x\"}",
                 TOKSIM_ENOTFOUND, "expected launching_user, interactive_user");
    expect_error("{\"id\": \"a\", \"op\": \"com.activate\", \"app\": \"X\", \"caller\": "
                 "\"svc\", \"runas\": \"service\", \"as\": \"x\"}",
                 TOKSIM_EPARSE, "needs \"service\"");
    expect_error("{\"id\": \"a\", \"op\": \"com.activate\", \"app\": \"X\", \"caller\": "
                 "\"svc\", \"launch_sddl\": \"D:(A;;ZZ;;;WD)\", \"as\": \"x\"}",
                 TOKSIM_EPARSE, "launch_sddl");
    expect_error("{\"id\": \"a\", \"op\": \"com.activate\", \"app\": \"X\", \"caller\": "
                 "\"svc\", \"remote\": true, \"auth\": \"digest\", \"as\": \"x\"}",
                 TOKSIM_EPARSE, "expected ntlm or kerberos");
    expect_error(
        "{\"id\": \"a\", \"op\": \"com.outcall\", \"thread\": \"svc\", \"calls\": "
        "[\"jump\"], \"as\": \"x\"}",
        TOKSIM_EPARSE, "expected call, impersonate <token> or revert");
    expect_error(
        "{\"id\": \"a\", \"op\": \"com.outcall\", \"thread\": \"svc\", \"calls\": "
        "[\"revert\"], \"as\": \"x\"}",
        TOKSIM_EPARSE, "no \"call\"");
    expect_error(
        "{\"id\": \"a\", \"op\": \"com.outcall\", \"thread\": \"svc\", \"cloaking\": "
        "\"full\", \"calls\": [\"call\"], \"as\": \"x\"}",
        TOKSIM_EPARSE, "expected none, static or dynamic");
    expect_error("{\"id\": \"a\", \"op\": \"coerce.system_auth\", \"service\": \"svc\", "
                 "\"path\": \"efsrpc\"}",
                 TOKSIM_EPARSE, "expected spooler, dcom_local or dcom_remote");
    expect_error("{\"id\": \"a\", \"op\": \"com.call\", \"client\": \"svc\", \"server\": "
                 "\"svc\", \"remote\": true, \"auth\": \"digest\"}",
                 TOKSIM_EPARSE, "expected ntlm or kerberos");
    expect_error(
        "{\"id\": \"a\", \"op\": \"coerce.system_auth\", \"service\": \"ghost\"}",
        TOKSIM_ENOTFOUND, "ghost");
}

Test(scenario_com, results_carry_hresult_level_finding_and_token)
{
    const char *text =
        HEAD "{\"id\": \"act\", \"op\": \"com.activate\", \"app\": \"X\", \"caller\": "
             "\"svc\", \"as\": \"srv\"},\n"
             "{\"id\": \"out\", \"op\": \"com.outcall\", \"thread\": \"svc\", \"calls\": "
             "[\"call\"], \"as\": \"o\"},\n"
             "{\"id\": \"pot\", \"op\": \"coerce.system_auth\", \"service\": \"svc\"}]}";
    toksim_error err = {0};
    toksim_run *run = NULL;
    cr_assert(run_text(text, &err, &run) == TOKSIM_OK, "%s", err.message);
    const toksim_step_result *act = toksim_scenario_run_step(run, 1);
    cr_assert(!act->ok);
    cr_assert_eq(act->hresult, 0x80070005u);
    cr_assert_eq(act->win32, 5u, "E_ACCESSDENIED is HRESULT_FROM_WIN32(5)");
    cr_assert_not_null(
        toksim_findings_find(act->findings, "finding.dcom_permission_denied"));
    const toksim_step_result *out = toksim_scenario_run_step(run, 2);
    cr_assert(out->ok && out->token);
    toksim_sid ns = ts_test_sid("S-1-5-20");
    cr_assert(toksim_sid_equal(toksim_token_user(out->token), &ns));
    const toksim_step_result *pot = toksim_scenario_run_step(run, 3);
    cr_assert(pot->ok && pot->has_level);
    cr_assert_eq(pot->level, TOKSIM_IMP_IMPERSONATION);
    cr_assert_not_null(
        toksim_findings_find(pot->findings, "finding.potato_system_impersonated"));
    const toksim_scenario *sc = toksim_scenario_run_scenario(run);
    toksim_scenario_run_free(run);
    toksim_scenario_free((toksim_scenario *)sc);
}
