/*
 * PURPOSE: the world a query gets from a scenario (toksim_scenario_world_new) carries the
 * pools and services its steps declare, so who-can and paths build the tokens the steps
 * build: the MBAM pool runs as SpecificUser CONTOSO\mbam_iis (a batch logon, no SERVICE
 * SID, hence no SeImpersonatePrivilege once the GPO removed IIS_IUSRS), not as the
 * ApplicationPoolIdentity a bare pool name would get (which holds it through SERVICE).
 */
#include <string.h>
#include "../helpers.h"

#define MBAM "scenarios/iis/mbam-iis-iusrs-removed.json"

static toksim_scenario *load(const char *path)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    cr_assert_eq(toksim_scenario_load_file(&sc, path, &err), TOKSIM_OK, "%s",
                 err.message);
    return sc;
}

Test(scenario_step_decls, pool_of_a_step_is_declared_with_its_identity)
{
    toksim_scenario *sc = load(MBAM);
    toksim_world *w = NULL;
    toksim_error err = {0};
    cr_assert_eq(toksim_scenario_world_new(sc, &w, &err), TOKSIM_OK, "%s", err.message);
    const toksim_world_pool *p = toksim_world_find_pool(w, "MBAM Help Desk");
    cr_assert(p, "the step's pool is a world declaration");
    cr_assert_str_eq(p->identity, "SpecificUser");
    cr_assert_str_eq(p->user, "CONTOSO\\mbam_iis");

    toksim_iis_pool *pool = NULL;
    toksim_iis_pool_result pr;
    memset(&pr, 0, sizeof pr);
    cr_assert_eq(
        toksim_iis_pool_start_declared(&pool, &pr, w, "MBAM Help Desk", NULL, &err),
        TOKSIM_OK, "%s", err.message);
    cr_assert(pr.started);
    const toksim_token *t = toksim_iis_pool_token(pool);
    toksim_sid mbam;
    cr_assert_eq(toksim_world_resolve(w, "CONTOSO\\mbam_iis", &mbam, &err), TOKSIM_OK);
    cr_assert(toksim_sid_equal(toksim_token_user(t), &mbam),
              "the worker runs as the user");
    cr_assert_lt(toksim_token_privilege(t, TOKSIM_PRIV_IMPERSONATE), 0,
                 "IIS_IUSRS lost the right and a batch logon has no SERVICE SID");
    toksim_iis_pool_free(pool);
    toksim_world_free(w);
    toksim_scenario_free(sc);
}

#define HEAD                                                                             \
    "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\",\n"                               \
    " \"world\": {\"machine\": {\"name\": \"WEB01\", \"sid\": \"S-1-5-21-7-8-9\"},"      \
    " \"app_pools\": [{\"name\": \"A\", \"identity\": \"NetworkService\"}]},\n"          \
    " \"steps\": [\n"                                                                    \
    " {\"id\": \"a\", \"op\": \"iis.app_pool.start\", \"pool\": \"A\","                  \
    " \"identity\": \"LocalSystem\", \"as\": \"p\"}"

static toksim_status world_of(const char *text, toksim_world **w, toksim_error *err)
{
    toksim_scenario *sc = NULL;
    cr_assert_eq(toksim_scenario_parse(&sc, text, strlen(text), "t.json", ".", err),
                 TOKSIM_OK, "%s", err->message);
    toksim_status rc = toksim_scenario_world_new(sc, w, err);
    toksim_scenario_free(sc);
    return rc;
}

Test(scenario_step_decls, the_worlds_own_declaration_wins)
{
    toksim_world *w = NULL;
    toksim_error err = {0};
    cr_assert_eq(world_of(HEAD "]}", &w, &err), TOKSIM_OK, "%s", err.message);
    const toksim_world_pool *a = toksim_world_find_pool(w, "A");
    cr_assert(a && strcmp(a->identity, "NetworkService") == 0,
              "not the step's LocalSystem");
    toksim_world_free(w);
}

Test(scenario_step_decls, a_bad_step_declaration_names_its_step_and_line)
{
    toksim_world *w = NULL;
    toksim_error err = {0};
    cr_assert_neq(world_of(HEAD ",\n {\"id\": \"b\", \"op\": \"iis.app_pool.start\", "
                                "\"pool\": \"B\", \"identity\": \"SpecificUser\", "
                                "\"as\": \"q\"}]}",
                           &w, &err),
                  TOKSIM_OK, "SpecificUser without a user is refused");
    cr_assert_null(w);
    cr_assert(strstr(err.message, "step \"b\""), "%s", err.message);
    cr_assert_eq(err.line, 5, "the step's line: %d", err.line);
}
