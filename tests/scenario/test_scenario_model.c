/*
 * PURPOSE: a scenario's model switches (the top-level "model" member,
 * toksim_scenario_set_switch, `toksim run|check --switch`): a switch reaches the run (the
 * UNCONFIRMED session rule on downgrades a same-user session-0 client; the linked-token
 * switch reaches token.linked), bad members are load errors at line:column naming the
 * switches of the one table, the outputs name the switches that differ from the
 * defaults (and nothing when none does), and the scenario schema lists exactly the table.
 */
#include <cJSON.h>
#include <stdio.h>
#include <string.h>
#include "../cli_helpers.h"

#define ON  "scenarios/tokens/session-rule-on.json"
#define OFF "scenarios/tokens/session-rule.json"

static toksim_run *replay(const toksim_scenario *sc)
{
    toksim_run *run = NULL;
    toksim_error err = {0}, *ep = &err;
    ts_assert_ok(toksim_scenario_run(&run, sc, ep), ep);
    return run;
}

static toksim_imp_level level_of(const toksim_run *run, const char *id)
{
    const toksim_step_result *r = toksim_scenario_run_find(run, id);
    cr_assert_not_null(r);
    cr_assert(r->has_level);
    return r->level;
}

Test(scenario_model, the_member_flips_the_session_rule)
{
    toksim_scenario *on = NULL, *off = NULL;
    toksim_error err = {0}, *ep = &err;
    ts_assert_ok(toksim_scenario_load_file(&on, ON, ep), ep);
    ts_assert_ok(toksim_scenario_load_file(&off, OFF, ep), ep);
    toksim_run *a = replay(on), *b = replay(off);
    cr_assert_eq(level_of(a, "impersonate"), TOKSIM_IMP_IDENTIFICATION);
    cr_assert_eq(level_of(b, "impersonate"), TOKSIM_IMP_IMPERSONATION);
    cr_assert_not(toksim_scenario_run_find(a, "open")->ok);
    cr_assert(toksim_scenario_run_find(b, "open")->ok);
    toksim_scenario_run_free(a);
    toksim_scenario_run_free(b);
    /* the API overrides the file, both ways */
    ts_assert_ok(toksim_scenario_set_switch(on, "check_session", 0, ep), ep);
    ts_assert_ok(toksim_scenario_set_switch(off, "check_session", 1, ep), ep);
    a = replay(on);
    b = replay(off);
    cr_assert_eq(level_of(a, "impersonate"), TOKSIM_IMP_IMPERSONATION);
    cr_assert_eq(level_of(b, "impersonate"), TOKSIM_IMP_IDENTIFICATION);
    toksim_scenario_run_free(a);
    toksim_scenario_run_free(b);
    toksim_scenario_free(on);
    toksim_scenario_free(off);
}

Test(scenario_model, outputs_name_the_changed_switches_and_only_those)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0}, *ep = &err;
    ts_assert_ok(toksim_scenario_load_file(&sc, ON, ep), ep);
    toksim_run *run = replay(sc);
    char *t = NULL;
    ts_assert_ok(toksim_scenario_render_text(&t, run, 0), NULL);
    cr_assert(strstr(t,
                     "   model switches changed from default: check_session on (default "
                     "off; UNCONFIRMED)\n"),
              "%s", t);
    free(t);
    ts_assert_ok(toksim_scenario_render_story(&t, run, NULL), NULL);
    cr_assert(strstr(t, "\nModel switches changed from default: check_session on"), "%s",
              t);
    free(t);
    for (int k = 0; k < 2; k++) {
        ts_assert_ok(k ? toksim_scenario_render_story_json(&t, run, NULL, 0)
                       : toksim_scenario_render_json(&t, run, 0),
                     NULL);
        cJSON *o = cJSON_Parse(t);
        cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "model"), 0);
        cr_assert_not_null(m, "%s", t);
        cr_assert_str_eq(cJSON_GetObjectItem(m, "switch")->valuestring, "check_session");
        cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(m, "value")));
        cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(m, "default")));
        cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(m, "unconfirmed")));
        cr_assert_str_eq(cJSON_GetObjectItem(m, "rule")->valuestring, "§2.2 step 8d");
        cJSON_Delete(o);
        free(t);
    }
    toksim_scenario_run_free(run);
    /* back to the default: nothing is said (outputs as without a "model" member) */
    ts_assert_ok(toksim_scenario_set_switch(sc, "check_session", 0, ep), ep);
    run = replay(sc);
    ts_assert_ok(toksim_scenario_render_json(&t, run, 0), NULL);
    cr_assert_null(strstr(t, "\"model\""), "%s", t);
    free(t);
    ts_assert_ok(toksim_scenario_render_text(&t, run, 0), NULL);
    cr_assert_null(strstr(t, "model switches"), "%s", t);
    free(t);
    toksim_scenario_run_free(run);
    /* an integer switch */
    ts_assert_ok(toksim_scenario_set_switch(sc, "restricted_rule", 2, ep), ep);
    run = replay(sc);
    ts_assert_ok(toksim_scenario_render_text(&t, run, 0), NULL);
    cr_assert(strstr(t, "restricted_rule 2 (default 1; UNCONFIRMED)"), "%s", t);
    free(t);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
}

Test(scenario_model, set_switch_refuses_unknown_names_and_values)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0}, *ep = &err;
    ts_assert_ok(toksim_scenario_load_file(&sc, OFF, ep), ep);
    cr_assert_eq(toksim_scenario_set_switch(sc, "check_sesion", 1, &err),
                 TOKSIM_ENOTFOUND);
    cr_assert(strstr(err.message, "did you mean check_session?"), "%s", err.message);
    cr_assert(strstr(err.message, toksim_imp_option_at(0)->name), "%s", err.message);
    cr_assert_eq(toksim_scenario_set_switch(sc, "restricted_rule", 3, &err),
                 TOKSIM_EINVAL);
    cr_assert_eq(toksim_scenario_set_switch(sc, "check_session", 2, &err), TOKSIM_EINVAL);
    cr_assert_eq(toksim_scenario_set_switch(NULL, "check_session", 1, &err),
                 TOKSIM_EINVAL);
    /* a refused value leaves the scenario as it was */
    toksim_run *run = replay(sc);
    cr_assert_eq(level_of(run, "impersonate"), TOKSIM_IMP_IMPERSONATION);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
}

/* the model member goes on line 2 of the document; col is where the error points */
static void load_fails(const char *model, int col, const char *needle)
{
    char doc[2048];
    snprintf(
        doc, sizeof doc,
        "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\",\n"
        " \"model\": %s,\n"
        " \"world\": {\"machine\": {\"name\": \"WS01\", \"sid\": \"S-1-5-21-1-2-3\"}},\n"
        " \"steps\": [{\"id\": \"l\", \"op\": \"logon\", \"user\": \"SYSTEM\"}]}",
        model);
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    cr_assert_eq(toksim_scenario_parse(&sc, doc, strlen(doc), "m.json", ".", &err),
                 TOKSIM_EPARSE, "%s", model);
    cr_assert_null(sc);
    cr_assert_eq(err.line, 2, "%s: line %d: %s", model, err.line, err.message);
    cr_assert_eq(err.column, col, "%s: column %d: %s", model, err.column, err.message);
    cr_assert(strstr(err.message, needle), "%s", err.message);
}

Test(scenario_model, bad_members_are_load_errors_at_their_position)
{
    load_fails("{\"check_sesion\": true}", 12,
               "model: unknown switch \"check_sesion\" (did you mean check_session? "
               "switches: allow_below_impersonate, ");
    load_fails("{\"session_rule\": true}", 12, "unknown switch \"session_rule\"");
    load_fails("{\"check_session\": 1}", 29,
               "model.check_session: expected true or false (default false)");
    load_fails("{\"restricted_rule\": true}", 31,
               "model.restricted_rule: expected an integer 0 to 2");
    load_fails("{\"restricted_rule\": 1.5}", 31, "expected an integer 0 to 2");
    load_fails("{\"restricted_rule\": 3}", 31, "expected an integer 0 to 2");
    load_fails("[\"check_session\"]", 11, "model: expected an object of model switches");
}

Test(scenario_model, the_schema_lists_exactly_the_table)
{
    FILE *f = fopen("scenarios/schema.json", "rb");
    cr_assert_not_null(f);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    cJSON *s = cJSON_Parse(text);
    const cJSON *props = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(s, "properties"), "model"), "properties");
    cr_assert_not_null(props);
    cr_assert_eq((size_t)cJSON_GetArraySize(props), toksim_imp_option_count());
    for (size_t i = 0; i < toksim_imp_option_count(); i++) {
        const toksim_imp_option_info *in = toksim_imp_option_at(i);
        const cJSON *p = cJSON_GetObjectItem(props, in->name);
        cr_assert_not_null(p, "%s", in->name);
        cr_assert_str_eq(cJSON_GetObjectItem(p, "type")->valuestring,
                         in->max_value == 1 ? "boolean" : "integer");
    }
    cJSON_Delete(s);
}

Test(scenario_model, cli_switch_overrides_and_errors)
{
    ts_expect_cli("check " ON, 0, "10 passed, 0 failed");
    ts_expect_cli("check --switch check_session=off " ON, 1,
                  "impersonation_level: expected Identification, got Impersonation");
    ts_expect_cli("check --switch check_session=on " OFF, 1,
                  "impersonation_level: expected Impersonation, got Identification");
    ts_expect_cli("run --switch restricted_rule=2 " OFF, 0,
                  "model switches changed from default: restricted_rule 2 (default 1; "
                  "UNCONFIRMED)");
    /* the switch reaches the calls that take the options, not only processes */
    ts_expect_cli("check --switch linked_token_needs_tcb=false "
                  "scenarios/reach/uac-linked-token.json",
                  1, "step \"linked\": impersonation_level: expected Identification");
    ts_expect_cli("run --switch check_session " OFF, 2, "expected NAME=VALUE");
    ts_expect_cli("run --switch check_session=maybe " OFF, 2, "expected NAME=VALUE");
    ts_expect_cli("run --switch restricted_rule=3 " OFF, 2, "out of range 0..2");
    /* an unknown name: the message, then every switch of the table */
    ts_expect_cli("check --switch check_sesion=1 " OFF, 2, "did you mean check_session?");
    ts_expect_cli("check --switch check_sesion=1 " OFF, 2,
                  "toksim check: the model switches: allow_below_impersonate, "
                  "anonymous_logon_any_route");
    ts_expect_cli("check --switch check_sesion=1 " OFF, 2, "uac_limited_is_filtered\n");
    ts_expect_cli("run --help", 0, "--switch NAME=VALUE");
    ts_expect_cli("check --help", 0, "--switch NAME=VALUE");
}
