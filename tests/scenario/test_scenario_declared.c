/*
 * PURPOSE: issue 18: the scenario steps service.start and iis.app_pool.start fill the
 * same declaration struct as the world's "services" / "app_pools" and go through the same
 * parser: required_privileges on a step (SERVICE_REQUIRED_PRIVILEGES_INFO: every other
 * privilege but SeChangeNotifyPrivilege is removed), the parser's errors naming the
 * step's line, and a step naming only a declared service starting the world's
 * declaration.
 */
#include <stdio.h>
#include <string.h>
#include "../helpers.h"

#define HEAD                                                                             \
    "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\",\n"                               \
    " \"world\": {\"machine\": {\"name\": \"WEB01\", \"sid\": \"S-1-5-21-7-8-9\"},"      \
    " \"services\": [{\"name\": \"Decl\", \"account\": \"NetworkService\","              \
    " \"sid_type\": \"unrestricted\"}]},\n"                                              \
    " \"steps\": [\n"

static toksim_status
run_steps(const char *steps, toksim_scenario **sc, toksim_run **run, toksim_error *err)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s]}", HEAD, steps);
    *sc = NULL;
    *run = NULL;
    toksim_status rc = toksim_scenario_parse(sc, text, strlen(text), "t.json", ".", err);
    cr_assert_eq(rc, TOKSIM_OK, "parse: %s", err->message);
    return toksim_scenario_run(run, *sc, err);
}

Test(scenario_declared, step_required_privileges)
{
    toksim_scenario *sc;
    toksim_run *run;
    toksim_error err = {0};
    cr_assert_eq(
        run_steps("{\"id\": \"s\", \"op\": \"service.start\", \"service\": \"T\", "
                  "\"account\": \"NetworkService\", \"required_privileges\": "
                  "[\"SeAuditPrivilege\"], \"as\": \"p\"}",
                  &sc, &run, &err),
        TOKSIM_OK, "%s", err.message);
    const toksim_step_result *r = toksim_scenario_run_find(run, "s");
    cr_assert(r && r->ok && r->token);
    cr_assert_geq(toksim_token_privilege(r->token, TOKSIM_PRIV_AUDIT), 0);
    cr_assert_geq(toksim_token_privilege(r->token, TOKSIM_PRIV_CHANGE_NOTIFY), 0);
    cr_assert_lt(toksim_token_privilege(r->token, TOKSIM_PRIV_IMPERSONATE), 0,
                 "not required: removed");
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
}

Test(scenario_declared, step_naming_a_declared_service)
{
    toksim_scenario *sc;
    toksim_run *run;
    toksim_error err = {0};
    cr_assert_eq(run_steps("{\"id\": \"s\", \"op\": \"service.start\", \"service\": "
                           "\"Decl\", \"as\": \"p\"}",
                           &sc, &run, &err),
                 TOKSIM_OK, "%s", err.message);
    const toksim_step_result *r = toksim_scenario_run_find(run, "s");
    toksim_sid ns = ts_test_sid("S-1-5-20"), svc;
    cr_assert_eq(toksim_sid_virtual(&svc, TOKSIM_VIRTUAL_SERVICE, "Decl", NULL),
                 TOKSIM_OK);
    cr_assert(toksim_sid_equal(toksim_token_user(r->token), &ns),
              "the world's account, not LocalSystem");
    cr_assert(toksim_token_find_group(r->token, &svc), "the world's SID type");
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
}

static void run_error(const char *steps, int line, const char *needle)
{
    toksim_scenario *sc;
    toksim_run *run;
    toksim_error err = {0};
    toksim_status rc = run_steps(steps, &sc, &run, &err);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
    cr_assert_neq(rc, TOKSIM_OK, "%s", steps);
    cr_assert_eq(err.line, line, "line %d: %s", err.line, err.message);
    cr_assert(strstr(err.message, needle), "'%s' not in %s", needle, err.message);
}

Test(scenario_declared, step_errors_from_the_one_parser)
{
    run_error("{\"id\": \"s\", \"op\": \"service.start\", \"service\": \"T\", "
              "\"required_privileges\": [\"SeFlyPrivilege\"], \"as\": \"p\"}",
              4, "unknown privilege \"SeFlyPrivilege\"");
    run_error("{\"id\": \"s\", \"op\": \"service.start\", \"service\": \"T\", "
              "\"account\": \"NT SERVICE\\\\U\", \"as\": \"p\"}",
              4, "virtual account is NT SERVICE\\T");
    run_error("{\"id\": \"p\", \"op\": \"iis.app_pool.start\", \"pool\": \"P\", "
              "\"identity\": \"NetworkService\", \"user\": \"WEB01\\\\Administrator\", "
              "\"as\": \"w\"}",
              4, "only for identity SpecificUser");
}
