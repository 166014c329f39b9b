/*
 * PURPOSE: scenario-level tests of issue 8: the "held by" note names whole accounts (with
 * "and N more" when the trace text is full), and the scenario reach operations
 * (token.linked, wmi.connect, iis.request on a UNC path) with their bad-input errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../helpers.h"

#define RC_OK(expr, err)                                                                 \
    do {                                                                                 \
        toksim_status rc_ = (expr);                                                      \
        cr_assert(rc_ == TOKSIM_OK, "%s failed: %s (%s)", #expr, toksim_strerror(rc_),   \
                  (err).message);                                                        \
    } while (0)

static toksim_run *rc_run(const char *text, toksim_scenario **sc)
{
    toksim_error err = {0};
    RC_OK(toksim_scenario_parse(sc, text, strlen(text), "t.json", ".", &err), err);
    toksim_run *run = NULL;
    RC_OK(toksim_scenario_run(&run, *sc, &err), err);
    return run;
}

/* The rendered sentence of the first event of `rule_id` in a step's trace ("" if none).
 */
static void rc_event_text(
    char *buf, size_t n, const toksim_run *run, const char *step, const char *rule_id)
{
    buf[0] = '\0';
    const toksim_step_result *r = toksim_scenario_run_find(run, step);
    cr_assert_not_null(r, "step %s", step);
    for (size_t i = 0; i < r->trace.count; i++)
        if (strcmp(toksim_rule_get(r->trace.events[i].rule)->id, rule_id) == 0) {
            toksim_trace_event_text(buf, n, &r->trace.events[i], toksim_scenario_sid_name,
                                    (void *)run);
            return;
        }
}

static bool rc_trace_has(const toksim_run *run, const char *step, const char *rule_id)
{
    char buf[512];
    rc_event_text(buf, sizeof buf, run, step, rule_id);
    return buf[0] != '\0';
}

/* Seven holders of SeImpersonatePrivilege: more than the trace text field holds. */
#define HOLDERS_SCENARIO                                                                 \
    "{\"toksim\": 1, \"name\": \"holders\", \"title\": \"t\", \"world\": {"              \
    "\"machine\": {\"name\": \"WS01\", \"sid\": \"S-1-5-21-1-2-3\", \"os\": \"win10\"}," \
    "\"users\": [{\"name\": \"alice\", \"rid\": 1001}, {\"name\": \"bob\", \"rid\": "    \
    "1002}],"                                                                            \
    "\"rights\": {\"SeImpersonatePrivilege\": [\"BUILTIN\\\\Administrators\", "          \
    "\"NT AUTHORITY\\\\SERVICE\", \"NT AUTHORITY\\\\LOCAL SERVICE\", "                   \
    "\"NT AUTHORITY\\\\NETWORK SERVICE\", \"BUILTIN\\\\IIS_IUSRS\", "                    \
    "\"BUILTIN\\\\Backup Operators\", \"BUILTIN\\\\Remote Desktop Users\"]}},"           \
    "\"steps\": ["                                                                       \
    "{\"id\": \"a\", \"op\": \"logon\", \"user\": \"WS01\\\\alice\", \"as\": "           \
    "\"alice\"},"                                                                        \
    "{\"id\": \"b\", \"op\": \"logon\", \"user\": \"WS01\\\\bob\", \"type\": "           \
    "\"network\", \"as\": \"bob\"},"                                                     \
    "{\"id\": \"p\", \"op\": \"process.start\", \"token\": \"alice\", \"as\": \"app\"}," \
    "{\"id\": \"imp\", \"op\": \"thread.impersonate\", \"thread\": \"app\", \"token\": " \
    "\"bob\"}]}"

Test(reach, held_by_note_ends_at_a_whole_name)
{
    toksim_scenario *sc = NULL;
    toksim_run *run = rc_run(HOLDERS_SCENARIO, &sc);
    char text[512];
    rc_event_text(text, sizeof text, run, "imp", "imp.privilege.holders");
    cr_assert(text[0], "the holders note is in the chain");
    cr_assert(rc_trace_has(run, "imp", "imp.privilege.missing"));
    cr_assert(strstr(text, "BUILTIN\\Administrators, NT AUTHORITY\\SERVICE"), "%s", text);
    cr_assert(strstr(text, " more"), "cut lists end with \"and N more\": %s", text);
    /* Every name that appears is whole: the text ends with "N more", never mid-name. */
    size_t len = strlen(text);
    cr_assert(len > 5 && strcmp(text + len - 5, " more") == 0, "%s", text);
    cr_assert_null(strstr(text, "Remote Desktop Users"), "%s", text);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
}

/* A world with an administrator, a standard user, a WMI namespace and a UNC file. */
#define REACH_WORLD                                                                      \
    "\"world\": {\"machine\": {\"name\": \"WEB01\", \"sid\": \"S-1-5-21-1-2-3\", "       \
    "\"os\": \"server\"},"                                                               \
    "\"domain\": {\"name\": \"CONTOSO\", \"sid\": \"S-1-5-21-7-8-9\"},"                  \
    "\"users\": [{\"name\": \"admin1\", \"rid\": 1000, \"groups\": "                     \
    "[\"BUILTIN\\\\Administrators\"]}, {\"name\": \"CONTOSO\\\\alice\", \"rid\": "       \
    "1107}],"                                                                            \
    "\"objects\": [{\"path\": \"root\\\\cimv2\", \"type\": \"wmi\", \"sddl\": "          \
    "\"O:BAG:BAD:(A;CI;CCDCLCSWRPWPRCWD;;;BA)(A;CI;CCDCRP;;;AU)\"},"                     \
    "{\"path\": \"C:\\\\local.txt\", \"type\": \"file\", \"sddl\": "                     \
    "\"O:BAG:BAD:(A;;FA;;;WD)\"},"                                                       \
    "{\"path\": \"\\\\\\\\FS01\\\\c\\\\a.txt\", \"machine\": \"FS01\", \"type\": "       \
    "\"file\", \"sddl\": \"O:BAG:BAD:(A;;FR;;;AU)\"}]}"

static char *reach_doc(const char *steps)
{
    const char *head = "{\"toksim\": 1, \"name\": \"r\", \"title\": \"t\", " REACH_WORLD
                       ", \"steps\": [";
    size_t n = strlen(head) + strlen(steps) + 8;
    char *doc = malloc(n);
    cr_assert_not_null(doc);
    snprintf(doc, n, "%s%s]}", head, steps);
    return doc;
}

/* Run steps that must stop with a run-time error; returns the message. */
static void reach_run_error(const char *steps, toksim_status want, char *msg, size_t n)
{
    char *doc = reach_doc(steps);
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    RC_OK(toksim_scenario_parse(&sc, doc, strlen(doc), "t.json", ".", &err), err);
    toksim_run *run = NULL;
    toksim_status rc = toksim_scenario_run(&run, sc, &err);
    cr_assert_eq(rc, want, "%s: %s", toksim_strerror(rc), err.message);
    cr_assert_null(run);
    cr_assert_gt(err.line, 0, "the error names a line");
    cr_assert_str_eq(err.where, "t.json");
    snprintf(msg, n, "%s", err.message);
    toksim_scenario_free(sc);
    free(doc);
}

static toksim_run *reach_run(const char *steps, toksim_scenario **sc, char **doc)
{
    *doc = reach_doc(steps);
    return rc_run(*doc, sc);
}

Test(reach, token_linked_of_a_filtered_admin_is_an_identify_token)
{
    toksim_scenario *sc = NULL;
    char *doc = NULL;
    toksim_run *run = reach_run(
        "{\"id\": \"l\", \"op\": \"logon\", \"user\": \"WEB01\\\\admin1\", \"as\": "
        "\"f\"},"
        "{\"id\": \"k\", \"op\": \"token.linked\", \"token\": \"f\", \"as\": \"e\"},"
        "{\"id\": \"u\", \"op\": \"logon\", \"user\": \"CONTOSO\\\\alice\", \"as\": "
        "\"a\"},"
        "{\"id\": \"n\", \"op\": \"token.linked\", \"token\": \"a\", \"as\": \"x\"}",
        &sc, &doc);
    const toksim_step_result *r = toksim_scenario_run_find(run, "k");
    cr_assert(r->ok);
    cr_assert(r->has_level);
    cr_assert_eq(r->level, TOKSIM_IMP_IDENTIFICATION, "no SeTcbPrivilege in the caller");
    cr_assert(toksim_token_is_elevated(r->token), "the linked token is the elevated one");
    cr_assert(rc_trace_has(run, "k", "imp.linked_token.identify"));
    r = toksim_scenario_run_find(run, "n");
    cr_assert_not(r->ok, "a standard user's token has no linked token");
    cr_assert_eq(r->win32, 1312u, "ERROR_NO_SUCH_LOGON_SESSION");
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
    free(doc);
}

Test(reach, token_linked_caller_must_be_a_process)
{
    char msg[TOKSIM_ERROR_MESSAGE_SIZE];
    reach_run_error("{\"id\": \"l\", \"op\": \"logon\", \"user\": \"WEB01\\\\admin1\", "
                    "\"as\": \"f\"},"
                    "{\"id\": \"k\", \"op\": \"token.linked\", \"token\": \"f\", "
                    "\"caller\": \"nope\", "
                    "\"as\": \"e\"}",
                    TOKSIM_ENOTFOUND, msg, sizeof msg);
    cr_assert(strstr(msg, "caller \"nope\"") && strstr(msg, "steps[1]"), "%s", msg);
}

Test(reach, wmi_connect_checks_enable_and_remote_enable)
{
    toksim_scenario *sc = NULL;
    char *doc = NULL;
    toksim_run *run = reach_run(
        "{\"id\": \"u\", \"op\": \"logon\", \"user\": \"CONTOSO\\\\alice\", \"as\": "
        "\"a\"},"
        "{\"id\": \"local\", \"op\": \"wmi.connect\", \"client\": \"a\", \"namespace\": "
        "\"root\\\\cimv2\"},"
        "{\"id\": \"remote\", \"op\": \"wmi.connect\", \"client\": \"a\", \"namespace\": "
        "\"root\\\\cimv2\", \"remote\": true},"
        "{\"id\": \"anon\", \"op\": \"wmi.connect\", \"client\": \"a\", \"namespace\": "
        "\"root\\\\cimv2\", \"level\": \"anonymous\", \"client_kind\": \"api\"}",
        &sc, &doc);
    const toksim_step_result *r = toksim_scenario_run_find(run, "local");
    cr_assert(r->ok);
    cr_assert_eq(r->granted, TOKSIM_WBEM_ENABLE);
    cr_assert(rc_trace_has(run, "local", "wmi.namespace.ok"));
    r = toksim_scenario_run_find(run, "remote");
    cr_assert_not(r->ok, "Remote Enable is Administrators' only");
    cr_assert_eq(r->wbem, TOKSIM_WBEM_E_ACCESS_DENIED);
    cr_assert(rc_trace_has(run, "remote", "wmi.namespace.denied"));
    r = toksim_scenario_run_find(run, "anon");
    cr_assert_not(r->ok);
    cr_assert_eq(r->wbem, TOKSIM_WBEM_E_ACCESS_DENIED);
    cr_assert(rc_trace_has(run, "anon", "wmi.anonymous_refused"));
    cr_assert_not(rc_trace_has(run, "anon", "wmi.namespace.ok"), "refused before the SD");
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
    free(doc);
}

Test(reach, wmi_connect_bad_input_names_the_step)
{
    char msg[TOKSIM_ERROR_MESSAGE_SIZE];
    reach_run_error(
        "{\"id\": \"u\", \"op\": \"logon\", \"user\": \"CONTOSO\\\\alice\", \"as\": "
        "\"a\"},"
        "{\"id\": \"c\", \"op\": \"wmi.connect\", \"client\": \"a\", \"namespace\": "
        "\"C:\\\\local.txt\"}",
        TOKSIM_EPARSE, msg, sizeof msg);
    cr_assert(strstr(msg, "\"type\": \"wmi\""), "%s", msg);
    reach_run_error(
        "{\"id\": \"u\", \"op\": \"logon\", \"user\": \"CONTOSO\\\\alice\", \"as\": "
        "\"a\"},"
        "{\"id\": \"c\", \"op\": \"wmi.connect\", \"client\": \"a\", \"namespace\": "
        "\"root\\\\cimv2\", \"level\": \"loud\"}",
        TOKSIM_EPARSE, msg, sizeof msg);
    cr_assert(strstr(msg, "level \"loud\""), "%s", msg);
    reach_run_error(
        "{\"id\": \"u\", \"op\": \"logon\", \"user\": \"CONTOSO\\\\alice\", \"as\": "
        "\"a\"},"
        "{\"id\": \"c\", \"op\": \"wmi.connect\", \"client\": \"a\", \"namespace\": "
        "\"root\\\\cimv2\", \"client_kind\": \"vb\"}",
        TOKSIM_EPARSE, msg, sizeof msg);
    cr_assert(strstr(msg, "client_kind"), "%s", msg);
}

Test(reach, iis_request_to_a_unc_path_takes_the_network_hop)
{
    toksim_scenario *sc = NULL;
    char *doc = NULL;
    toksim_run *run = reach_run(
        "{\"id\": \"p\", \"op\": \"iis.app_pool.start\", \"pool\": \"P\", \"identity\": "
        "\"NetworkService\", \"delegation\": \"constrained\", \"allowed_spns\": "
        "[\"cifs/FS01\"], \"as\": \"w\"},"
        "{\"id\": \"ntlm\", \"op\": \"iis.request\", \"pool\": \"w\", \"path\": "
        "\"\\\\\\\\FS01\\\\c\\\\a.txt\", \"auth\": \"windows\", \"user\": "
        "\"CONTOSO\\\\alice\"},"
        "{\"id\": \"krb\", \"op\": \"iis.request\", \"pool\": \"w\", \"path\": "
        "\"\\\\\\\\FS01\\\\c\\\\a.txt\", \"auth\": \"windows\", \"user\": "
        "\"CONTOSO\\\\alice\", \"package\": \"kerberos\"},"
        "{\"id\": \"spn\", \"op\": \"iis.request\", \"pool\": \"w\", \"path\": "
        "\"\\\\\\\\FS01\\\\c\\\\a.txt\", \"auth\": \"windows\", \"user\": "
        "\"CONTOSO\\\\alice\", \"package\": \"kerberos\", \"spn\": \"cifs/fs02\"}",
        &sc, &doc);
    const toksim_step_result *r = toksim_scenario_run_find(run, "ntlm");
    cr_assert_eq(r->http, 401, "NTLM double hop: ANONYMOUS LOGON is refused");
    cr_assert(rc_trace_has(run, "ntlm", "iis.remote.identity"));
    cr_assert_not_null(toksim_findings_find(r->findings, "finding.double_hop_anonymous"));
    cr_assert(strstr(r->summary, "FS01 saw NT AUTHORITY\\ANONYMOUS LOGON"), "%s",
              r->summary);
    r = toksim_scenario_run_find(run, "krb");
    cr_assert(strstr(r->summary, "FS01 saw CONTOSO\\alice"), "%s", r->summary);
    cr_assert_eq(r->http, 200, "constrained delegation to the default cifs/FS01 SPN");
    r = toksim_scenario_run_find(run, "spn");
    cr_assert_neq(r->http, 200, "cifs/fs02 is not in msDS-AllowedToDelegateTo: %s",
                  r->summary);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
    free(doc);
}

Test(reach, iis_remote_parameters_bad_input)
{
    char msg[TOKSIM_ERROR_MESSAGE_SIZE];
    reach_run_error(
        "{\"id\": \"p\", \"op\": \"iis.app_pool.start\", \"pool\": \"P\", \"as\": \"w\"},"
        "{\"id\": \"r\", \"op\": \"iis.request\", \"pool\": \"w\", \"path\": "
        "\"C:\\\\local.txt\", \"spn\": \"cifs/x\"}",
        TOKSIM_EPARSE, msg, sizeof msg);
    cr_assert(strstr(msg, "\"machine\""), "%s", msg);
    reach_run_error(
        "{\"id\": \"p\", \"op\": \"iis.app_pool.start\", \"pool\": \"P\", \"as\": \"w\"},"
        "{\"id\": \"r\", \"op\": \"iis.request\", \"pool\": \"w\", \"path\": "
        "\"C:\\\\local.txt\", \"package\": \"digest\"}",
        TOKSIM_EPARSE, msg, sizeof msg);
    cr_assert(strstr(msg, "package \"digest\""), "%s", msg);
    reach_run_error("{\"id\": \"p\", \"op\": \"iis.app_pool.start\", \"pool\": \"P\", "
                    "\"delegation\": \"sometimes\", \"as\": \"w\"}",
                    TOKSIM_EPARSE, msg, sizeof msg);
    cr_assert(strstr(msg, "delegation \"sometimes\""), "%s", msg);
}

Test(reach, wmi_query_checks_the_namespace_before_the_provider)
{
    toksim_scenario *sc = NULL;
    char *doc = NULL;
    toksim_run *run =
        reach_run("{\"id\": \"u\", \"op\": \"logon\", \"user\": \"CONTOSO\\\\alice\", "
                  "\"as\": \"a\"},"
                  "{\"id\": \"p\", \"op\": \"wmi.provider.register\", \"name\": \"P\", "
                  "\"impersonation_level\": 1, \"per_user_initialization\": true, "
                  "\"as\": \"prov\"},"
                  "{\"id\": \"q\", \"op\": \"wmi.query\", \"client\": \"a\", "
                  "\"provider\": \"prov\", "
                  "\"namespace\": \"root\\\\cimv2\", \"actions\": [\"impersonate\"]}",
                  &sc, &doc);
    const toksim_step_result *r = toksim_scenario_run_find(run, "q");
    cr_assert(r->ok, "Authenticated Users have Enable Account: %s", r->summary);
    cr_assert(rc_trace_has(run, "q", "wmi.namespace.ok"));
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
    free(doc);
    char msg[TOKSIM_ERROR_MESSAGE_SIZE];
    reach_run_error(
        "{\"id\": \"u\", \"op\": \"logon\", \"user\": \"CONTOSO\\\\alice\", \"as\": "
        "\"a\"},"
        "{\"id\": \"p\", \"op\": \"wmi.provider.register\", \"name\": \"P\", \"as\": "
        "\"prov\"},"
        "{\"id\": \"q\", \"op\": \"wmi.query\", \"client\": \"a\", \"provider\": "
        "\"prov\", "
        "\"namespace\": \"root\\\\nowhere\"}",
        TOKSIM_ENOTFOUND, msg, sizeof msg);
    cr_assert(strstr(msg, "root\\nowhere"), "%s", msg);
}
