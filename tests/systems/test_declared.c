/* PURPOSE: issue 18: application pools and services declared in the world: the world API
 * (add, enumerate, find), the one parser shared with the scenario steps, the worker and
 * service tokens WAS and the SCM build from a declaration, and the loader's positioned
 * errors for bad declarations.
 *
 * Sources: Microsoft Learn "Application Pool Identities" (IIS: the worker runs as the
 * virtual account IIS APPPOOL\<pool>; the identity is added to IIS_IUSRS at run time) and
 * "Understanding Built-In User and Group Accounts in IIS" (IIS_IUSRS injected, unless
 * manualGroupMembership); Microsoft Learn "SERVICE_SID_INFO" (unrestricted: the service
 * SID is added to the process token; restricted: also a write-restricted token) and
 * "SERVICE_REQUIRED_PRIVILEGES_INFO" (every other privilege is removed, except
 * SeChangeNotifyPrivilege); "Service Accounts" / "Virtual accounts" (NT SERVICE\<name>).
 */
#include "../unit/h4_test_util.h"

#define W_DECL      "tests/data/world/pools_services.json"
#define S_IIS_IUSRS "S-1-5-32-568"
#define S_APPPOOL0  "S-1-5-82-0"
#define S_SERVICE   "S-1-5-6"
#define S_ALL_SVCS  "S-1-5-80-0"
#define S_NETSVC    "S-1-5-20"
#define S_LOCALSVC  "S-1-5-19"

static toksim_sid virtual_sid(toksim_virtual_kind k, const char *name)
{
    toksim_sid s;
    toksim_error e = {0};
    h4_ok(toksim_sid_virtual(&s, k, name, &e), e);
    return s;
}

Test(declared, world_api_enumerates_and_finds)
{
    toksim_world *w = h4_world(NULL);
    toksim_error e = {0};
    cr_assert_eq(toksim_world_pool_count(w), 0u);
    cr_assert_null(toksim_world_pool_at(w, 0));
    toksim_world_pool p = {.name = "DefaultAppPool"};
    h4_ok(toksim_world_add_pool(w, &p, &e), e);
    p.name = "Reports";
    p.identity = "NetworkService";
    h4_ok(toksim_world_add_pool(w, &p, &e), e);
    cr_assert_eq(toksim_world_add_pool(w, &p, &e), TOKSIM_EINVAL, "declared twice");
    uint32_t privs[] = {TOKSIM_PRIV_SYSTEMTIME};
    toksim_world_service s = {.name = "W32Time",
                              .account = "LocalService",
                              .required_privileges = privs,
                              .required_privilege_count = 1};
    h4_ok(toksim_world_add_service(w, &s, &e), e);
    privs[0] = 0; /* the world keeps its own copy */
    cr_assert_eq(toksim_world_pool_count(w), 2u);
    cr_assert_str_eq(toksim_world_pool_at(w, 1)->name, "Reports");
    cr_assert_str_eq(toksim_world_pool_at(w, 1)->identity, "NetworkService");
    cr_assert_eq(toksim_world_service_count(w), 1u);
    const toksim_world_service *ds = toksim_world_find_service(w, "nt service\\w32time");
    cr_assert_not_null(ds);
    cr_assert_eq(ds->required_privilege_count, 1u);
    cr_assert_eq(ds->required_privileges[0], (uint32_t)TOKSIM_PRIV_SYSTEMTIME);
    cr_assert_eq(toksim_world_find_pool(w, "IIS APPPOOL\\defaultapppool"),
                 toksim_world_pool_at(w, 0));
    cr_assert_null(toksim_world_find_pool(w, "Nope"));
    /* the declared names display as LookupAccountSid shows them */
    toksim_sid pool = virtual_sid(TOKSIM_VIRTUAL_APPPOOL, "Reports");
    char name[128];
    toksim_world_sid_name(name, sizeof name, &pool, w);
    cr_assert_str_eq(name, "IIS APPPOOL\\Reports");
    toksim_world_pool bad = {.name = ""};
    cr_assert_eq(toksim_world_add_pool(w, &bad, &e), TOKSIM_EINVAL);
    toksim_world_free(w);
}

/* ApplicationPoolIdentity: the user is IIS APPPOOL\<pool>, IIS_IUSRS is injected, and
 * S-1-5-82-0; a NetworkService pool runs as NETWORK SERVICE with the pool SID as a group.
 */
Test(declared, pool_worker_tokens_from_the_world)
{
    toksim_world *w = h4_load(W_DECL);
    toksim_error e = {0};
    toksim_iis_pool *pool = NULL;
    toksim_iis_pool_result res;
    h4_ok(toksim_iis_pool_start_declared(&pool, &res, w, "DefaultAppPool", NULL, &e), e);
    cr_assert(res.started);
    const toksim_token *t = toksim_iis_pool_token(pool);
    toksim_sid dap = virtual_sid(TOKSIM_VIRTUAL_APPPOOL, "DefaultAppPool");
    cr_assert(toksim_sid_equal(toksim_token_user(t), &dap));
    cr_assert(h4_has_group(t, S_IIS_IUSRS));
    cr_assert(h4_has_group(t, S_APPPOOL0));
    cr_assert(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    toksim_iis_pool_free(pool);

    h4_ok(
        toksim_iis_pool_start_declared(&pool, &res, w, "IIS APPPOOL\\Reports", NULL, &e),
        e);
    t = toksim_iis_pool_token(pool);
    toksim_sid ns = ts_test_sid(S_NETSVC);
    toksim_sid rep = virtual_sid(TOKSIM_VIRTUAL_APPPOOL, "Reports");
    cr_assert(toksim_sid_equal(toksim_token_user(t), &ns));
    cr_assert(toksim_token_find_group(t, &rep), "the pool SID is injected as a group");
    cr_assert(h4_has_group(t, S_IIS_IUSRS));
    toksim_iis_pool_free(pool);

    /* manualGroupMembership: WAS does not inject IIS_IUSRS */
    h4_ok(toksim_iis_pool_start_declared(&pool, &res, w, "Legacy", NULL, &e), e);
    cr_assert_not(h4_has_group(toksim_iis_pool_token(pool), S_IIS_IUSRS));
    toksim_iis_pool_free(pool);

    /* SpecificUser: a batch logon of the account, IIS_IUSRS and the pool SID injected */
    h4_ok(toksim_iis_pool_start_declared(&pool, &res, w, "Intranet", NULL, &e), e);
    cr_assert(res.started);
    t = toksim_iis_pool_token(pool);
    cr_assert(h4_has_group(t, "S-1-5-3"), "BATCH");
    cr_assert(h4_has_group(t, S_IIS_IUSRS));
    toksim_sid intra = virtual_sid(TOKSIM_VIRTUAL_APPPOOL, "Intranet");
    cr_assert(toksim_token_find_group(t, &intra));
    toksim_iis_pool_free(pool);

    cr_assert_eq(toksim_iis_pool_start_declared(&pool, &res, w, "Nope", NULL, &e),
                 TOKSIM_ENOTFOUND);
    cr_assert_null(pool);
    toksim_world_free(w);
}

Test(declared, service_tokens_from_the_world)
{
    toksim_world *w = h4_load(W_DECL);
    toksim_error e = {0};
    toksim_service_result res;
    toksim_token *t = NULL;
    /* virtual account NT SERVICE\MSSQLSERVER: the user is the service SID */
    h4_ok(toksim_service_start_declared(&res, &t, w, "MSSQLSERVER", NULL, &e), e);
    cr_assert(res.started);
    toksim_sid sql = virtual_sid(TOKSIM_VIRTUAL_SERVICE, "MSSQLSERVER");
    cr_assert(toksim_sid_equal(toksim_token_user(t), &sql));
    cr_assert(h4_has_group(t, S_SERVICE));
    cr_assert(h4_has_group(t, S_ALL_SVCS));
    toksim_token_free(t);

    /* LocalService, restricted SID type, required privileges */
    h4_ok(toksim_service_start_declared(&res, &t, w, "NT SERVICE\\W32Time", NULL, &e), e);
    toksim_sid ls = ts_test_sid(S_LOCALSVC);
    toksim_sid w32 = virtual_sid(TOKSIM_VIRTUAL_SERVICE, "W32Time");
    cr_assert(toksim_sid_equal(toksim_token_user(t), &ls));
    cr_assert(toksim_token_find_group(t, &w32), "the service SID is added");
    cr_assert(toksim_token_is_write_restricted(t), "SERVICE_SID_TYPE_RESTRICTED");
    cr_assert((toksim_token_privilege(t, TOKSIM_PRIV_SYSTEMTIME) >= 0));
    cr_assert((toksim_token_privilege(t, TOKSIM_PRIV_CHANGE_NOTIFY) >= 0));
    cr_assert_not((toksim_token_privilege(t, TOKSIM_PRIV_IMPERSONATE) >= 0),
                  "not in the required list: removed");
    toksim_token_free(t);

    /* a gMSA with an unrestricted service SID */
    h4_ok(toksim_service_start_declared(&res, &t, w, "SQLAgent", NULL, &e), e);
    toksim_sid agent = virtual_sid(TOKSIM_VIRTUAL_SERVICE, "SQLAgent");
    cr_assert(toksim_token_find_group(t, &agent));
    cr_assert_eq(toksim_token_privilege_count(t) > 0, true);
    toksim_token_free(t);
    cr_assert_eq(toksim_service_start_declared(&res, &t, w, "Nope", NULL, &e),
                 TOKSIM_ENOTFOUND);
    cr_assert_null(t);
    toksim_world_free(w);
}

Test(declared, one_parser_for_world_and_steps)
{
    toksim_error e = {0};
    toksim_iis_pool_config pc;
    toksim_world_pool p = {.name = "X", .identity = "Sideways"};
    cr_assert_eq(toksim_iis_pool_config_from_decl(&pc, &p, &e), TOKSIM_EPARSE);
    cr_assert(strstr(e.message, "expected ApplicationPoolIdentity"), "%s", e.message);
    p.identity = "SpecificUser";
    cr_assert_eq(toksim_iis_pool_config_from_decl(&pc, &p, &e), TOKSIM_EPARSE);
    p.identity = NULL;
    p.user = "alice";
    h4_ok(toksim_iis_pool_config_from_decl(&pc, &p, &e), e);
    cr_assert_eq(pc.identity, TOKSIM_IIS_SPECIFIC_USER, "a user implies SpecificUser");

    toksim_service_config sc;
    toksim_world_service s = {.name = "Foo", .account = "NT SERVICE\\Bar"};
    cr_assert_eq(toksim_service_config_from_decl(&sc, &s, &e), TOKSIM_EPARSE,
                 "another service's virtual account");
    s.account = "nt service\\foo";
    h4_ok(toksim_service_config_from_decl(&sc, &s, &e), e);
    cr_assert_eq(sc.account, TOKSIM_SVC_VIRTUAL);
    s.account = "NT AUTHORITY\\NETWORK SERVICE";
    s.sid_type = "unrestricted";
    h4_ok(toksim_service_config_from_decl(&sc, &s, &e), e);
    cr_assert_eq(sc.account, TOKSIM_SVC_NETWORK_SERVICE);
    cr_assert_eq(sc.sid_type, TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED);
    s.sid_type = "partly";
    cr_assert_eq(toksim_service_config_from_decl(&sc, &s, &e), TOKSIM_EPARSE);
    s.sid_type = NULL;
    s.account = "CONTOSO\\svc";
    h4_ok(toksim_service_config_from_decl(&sc, &s, &e), e);
    cr_assert_eq(sc.account, TOKSIM_SVC_USER);
    cr_assert_str_eq(sc.account_name, "CONTOSO\\svc");
}

/* Bad declarations: an error naming the member, its line and column. */
static void expect_bad(const char *json, int line, const char *needle)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    toksim_status rc = toksim_world_from_json(&w, json, strlen(json), "inline.json", &e);
    cr_assert_neq(rc, TOKSIM_OK, "%s", json);
    cr_assert_null(w);
    cr_assert_eq(e.line, line, "line %d, wanted %d: %s", e.line, line, e.message);
    cr_assert(e.column > 0);
    cr_assert(strstr(e.message, needle), "'%s' not in: %s", needle, e.message);
}

Test(declared, bad_declarations_have_a_position)
{
    expect_bad("{\n\"app_pools\": [{\"name\": \"A\",\n \"identity\": \"Sideways\"}]}", 3,
               "app_pools[0].identity: unknown identity 'Sideways'");
    expect_bad("{\"app_pools\": [{\"name\": \"A\", \"identity\": \"SpecificUser\"}]}", 1,
               "needs \"user\"");
    expect_bad("{\"app_pools\": [{\"name\": \"A\", \"user\": \"nobody\"}]}", 1,
               "app_pools[0].user: unknown account 'nobody'");
    expect_bad(
        "{\"app_pools\": [{\"name\": \"A\",\n\"manual_group_membership\": \"yes\"}]}", 2,
        "expected true or false");
    expect_bad("{\"app_pools\": [{\"identity\": \"NetworkService\"}]}", 1,
               "non-empty \"name\"");
    expect_bad("{\"app_pools\": [{\"name\": \"A\"}, {\"name\": \"a\"}]}", 1,
               "declared twice");
    expect_bad("{\"app_pools\": {\"name\": \"A\"}}", 1, "expected an array");
    expect_bad("{\"app_pools\": [{\"name\": \"A\", \"pipeline\": \"Classic\"}]}", 1,
               "unknown member \"pipeline\"");
    expect_bad("{\"services\": [{\"name\": \"S\",\n\n \"sid_type\": \"partly\"}]}", 3,
               "services[0].sid_type: unknown SID type 'partly'");
    expect_bad("{\"services\": [{\"name\": \"S\", \"account\": \"NT SERVICE\\\\T\"}]}", 1,
               "virtual account is NT SERVICE\\S");
    expect_bad("{\"services\": [{\"name\": \"S\", \"account\": \"CONTOSO\\\\nobody\"}]}",
               1, "unknown account");
    expect_bad("{\"services\": [{\"name\": \"S\",\n\"required_privileges\": "
               "[\"SeChangeNotifyPrivilege\", \"SeFlyPrivilege\"]}]}",
               2, "required_privileges[1]");
    expect_bad("{\"services\": [{\"name\": \"S\", \"sid_type\": 3}]}", 1,
               "expected a string");
}

/* docs/limits.md: a world declares at most TOKSIM_WORLD_MAX_DECLARED pools (and services,
 * trusts); lookups by name stay cheap. */
Test(declared, declaration_cap)
{
    toksim_world *w = h4_world(NULL);
    toksim_error e = {0};
    char name[32];
    toksim_world_pool p = {.name = name};
    for (unsigned i = 0; i < TOKSIM_WORLD_MAX_DECLARED; i++) {
        snprintf(name, sizeof name, "pool%u", i);
        h4_ok(toksim_world_add_pool(w, &p, &e), e);
    }
    snprintf(name, sizeof name, "one-more");
    cr_assert_eq(toksim_world_add_pool(w, &p, &e), TOKSIM_ELIMIT);
    cr_assert(strstr(e.message, "TOKSIM_WORLD_MAX_DECLARED"), "%s", e.message);
    toksim_world_free(w);
}
