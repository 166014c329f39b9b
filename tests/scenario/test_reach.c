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
