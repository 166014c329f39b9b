/*
 * PURPOSE: where a scenario's model switches reach beyond the ops: the "token_info"
 * expectations query GetTokenInformation with the scenario's switches (TokenLinkedToken
 * under linked_token_needs_tcb), and `toksim explain --switch NAME=VALUE` sets a switch
 * as `toksim run|check --switch` do (same parser, same errors).
 */
#include <stdio.h>
#include <string.h>
#include "../cli_helpers.h"

#define OFF "scenarios/tokens/session-rule.json"

/* A UAC administrator's filtered token; its expectation asks what TokenLinkedToken hands
 * a caller without SeTcbPrivilege. MODEL is the "model" member's object. */
static void check_linked(const char *model, const char *type, size_t want_failed)
{
    char doc[2048];
    snprintf(
        doc, sizeof doc,
        "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\", \"model\": %s,\n"
        " \"world\": {\"machine\": {\"name\": \"WS01\", \"sid\": \"S-1-5-21-1-2-3\"}, "
        "\"users\": [{\"name\": \"admin\", \"rid\": 1000, \"groups\": "
        "[\"BUILTIN\\\\Administrators\"]}]},\n"
        " \"steps\": [{\"id\": \"f\", \"op\": \"logon\", \"user\": \"WS01\\\\admin\", "
        "\"type\": \"interactive\", \"as\": \"f\"}],\n"
        " \"expect\": {\"f\": {\"token_info\": {\"TokenLinkedToken\": "
        "{\"TokenType\": \"%s\"}}}}}",
        model, type);
    toksim_scenario *sc = NULL;
    toksim_error err = {0}, *ep = &err;
    ts_assert_ok(toksim_scenario_parse(&sc, doc, strlen(doc), "t.json", ".", ep), ep);
    toksim_run *run = NULL;
    ts_assert_ok(toksim_scenario_run(&run, sc, ep), ep);
    size_t passed = 0, failed = 0;
    cr_assert_eq(toksim_scenario_check(&passed, &failed, run, NULL, NULL), TOKSIM_OK);
    cr_assert_eq(failed, want_failed, "model %s, TokenType %s: %zu failed", model, type,
                 failed);
    cr_assert_eq(passed + failed, 1);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
}

Test(model_reach, token_info_expectations_use_the_scenario_switches)
{
    /* default: no SeTcbPrivilege, the linked token comes as an Identification-level
     * impersonation token */
    check_linked("{}", "Impersonation", 0);
    check_linked("{}", "Primary", 1);
    /* linked_token_needs_tcb off: the expectation's own query gets the primary token */
    check_linked("{\"linked_token_needs_tcb\": false}", "Primary", 0);
    check_linked("{\"linked_token_needs_tcb\": false}", "Impersonation", 1);
}

Test(model_reach, explain_takes_switch)
{
    ts_expect_cli("explain --switch check_session=on " OFF, 0,
                  "Model switches changed from default: check_session on (default off; "
                  "UNCONFIRMED)");
    ts_expect_cli("explain --format json --switch restricted_rule=2 " OFF, 0,
                  "\"switch\":\t\"restricted_rule\"");
    ts_expect_cli("explain --switch check_session " OFF, 2, "expected NAME=VALUE");
    ts_expect_cli("explain --switch check_sesion=1 " OFF, 2,
                  "did you mean check_session?");
    ts_expect_cli("explain --switch check_sesion=1 " OFF, 2,
                  "toksim explain: the model switches: allow_below_impersonate");
    ts_expect_cli("explain --help", 0, "--switch NAME=VALUE");
}

Test(model_reach, com_call_host_processes_get_the_switches)
{
    /* the WMI provider host (made inside the wmi.query call) impersonates the client:
     * with allow_privilege off its SeImpersonatePrivilege no longer lifts the level */
    ts_expect_cli("check scenarios/wmi/identify-level-client.json", 0, "0 failed");
    ts_expect_cli(
        "check --switch allow_privilege=off scenarios/wmi/identify-level-client.json", 1,
        "step \"impersonate\": impersonation_level: expected Impersonation, got "
        "Identification");
}

Test(model_reach, potato_service_gets_the_switches)
{
    /* the lab's service process holds SeImpersonatePrivilege; with allow_privilege off
     * the privilege no longer lets it impersonate the coerced SYSTEM token */
    ts_expect_cli("check scenarios/potato/spooler-with-impersonate.json", 0, "0 failed");
    ts_expect_cli("check --switch allow_privilege=off "
                  "scenarios/potato/spooler-with-impersonate.json",
                  1,
                  "step \"coerce\": impersonation_level: expected Impersonation, got "
                  "Identification");
}

Test(model_reach, iis_worker_gets_the_switches)
{
    /* the w3wp process of the pool serves iis.request under the scenario's switches */
    ts_expect_cli("check scenarios/iis/mbam-iis-iusrs-restored.json", 0, "0 failed");
    ts_expect_cli("check --switch allow_privilege=off "
                  "scenarios/iis/mbam-iis-iusrs-restored.json",
                  1, "step \"served\": ok: expected true, got false");
}
