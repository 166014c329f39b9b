/* PURPOSE: issue 18: trusted domains in the world. A user of a trust with selective
 * authentication gets Other Organization (S-1-5-1000) instead of This Organization and
 * logs on only when the computer object grants Allowed-To-Authenticate; otherwise
 * STATUS_AUTHENTICATION_FIREWALL_FAILED. Sources: MS-DTYP 2.4.2.4 (OTHER_ORGANIZATION:
 * THIS_ORGANIZATION must then be absent); Microsoft Learn Forest.
 * GetSelectiveAuthenticationStatus (the SID is added and prompts the check), "Enable
 * selective authentication over a forest trust" (Allowed to Authenticate on computer
 * objects); MS-ERREF 2.3.1 (0xC0000413) and winerror.h (1935); MS-ADTS 5.1.3.2.1 (the
 * right's GUID 68b1d179-0d15-4d4f-ab71-46152e79a7bc). */
#include "h4_test_util.h"

#define W_TRUSTS  "tests/data/world/trusts.json"
#define S_THISORG "S-1-5-15"
#define S_OTHORG  "S-1-5-1000"

static toksim_logon_result
try_logon(toksim_world *w, const char *user, toksim_logon_type type, toksim_trace *tr)
{
    toksim_logon_result r;
    toksim_error e = {0};
    h4_ok(toksim_logon_user(&r, w, user, type, NULL, tr, &e), e);
    return r;
}

Test(logon18_trusts, selective_trust_other_organization)
{
    toksim_world *w = h4_load(W_TRUSTS);
    toksim_trace tr = {0};
    toksim_logon_result r = try_logon(w, "FABRIKAM\\dave", TOKSIM_LOGON_NETWORK, &tr);
    cr_assert(r.success, "dave is in FABRIKAM\\Engineers, which the computer allows");
    cr_assert(h4_has_group(r.token, S_OTHORG));
    cr_assert_not(h4_has_group(r.token, S_THISORG), "MS-DTYP 2.4.2.4: not both");
    cr_assert(h4_trace_has(&tr, "logon.other_organization"));
    toksim_sid du = ts_test_sid("S-1-5-21-444-555-666-513");
    cr_assert(toksim_sid_equal(toksim_token_primary_group(r.token), &du),
              "its own domain's Domain Users");
    toksim_token_free(r.token);
    toksim_trace_dispose(&tr);
    /* a trust without selective authentication: a peer of this forest's users */
    r = try_logon(w, "NORTHWIND\\gina", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert(r.success);
    cr_assert(h4_has_group(r.token, S_THISORG));
    cr_assert_not(h4_has_group(r.token, S_OTHORG));
    toksim_token_free(r.token);
    toksim_world_free(w);
}

Test(logon18_trusts, authentication_firewall)
{
    toksim_world *w = h4_load(W_TRUSTS);
    toksim_trace tr = {0};
    toksim_logon_result r = try_logon(w, "FABRIKAM\\frank", TOKSIM_LOGON_NETWORK, &tr);
    cr_assert_not(r.success, "frank is granted nothing on the computer object");
    cr_assert_eq(r.win32_error, 1935u);
    cr_assert_eq(r.ntstatus, 0xC0000413u);
    cr_assert_null(r.token);
    cr_assert(h4_trace_has(&tr, "logon.authentication_firewall"));
    toksim_trace_dispose(&tr);
    /* erin: an ACE names her directly; any logon type goes through the check */
    r = try_logon(w, "FABRIKAM\\erin", TOKSIM_LOGON_REMOTE_INTERACTIVE, NULL);
    cr_assert(r.success, "%u", r.win32_error);
    toksim_token_free(r.token);
    /* without the computer object's ACEs nobody of the selective trust gets in */
    h4_ok(toksim_world_set_computer_sd(w, NULL), (toksim_error){0});
    r = try_logon(w, "FABRIKAM\\dave", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert_eq(r.win32_error, 1935u);
    /* the non-selective trust is not checked */
    r = try_logon(w, "NORTHWIND\\gina", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert(r.success);
    toksim_token_free(r.token);
    toksim_world_free(w);
}

/* The DC refuses the authentication before the target machine checks its logon rights. */
Test(logon18_trusts, firewall_before_logon_right)
{
    toksim_world *w = h4_load(W_TRUSTS);
    toksim_sid frank, dave;
    toksim_error e = {0};
    h4_ok(toksim_world_resolve(w, "FABRIKAM\\frank", &frank, &e), e);
    h4_ok(toksim_world_resolve(w, "FABRIKAM\\dave", &dave, &e), e);
    h4_ok(toksim_policy_grant(toksim_world_policy(w), TOKSIM_RIGHT_DENY_NETWORK_LOGON,
                              &frank),
          e);
    h4_ok(toksim_policy_grant(toksim_world_policy(w), TOKSIM_RIGHT_DENY_NETWORK_LOGON,
                              &dave),
          e);
    toksim_logon_result r = try_logon(w, "FABRIKAM\\frank", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert_eq(r.win32_error, 1935u);
    r = try_logon(w, "FABRIKAM\\dave", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert_eq(r.win32_error, 1385u, "allowed to authenticate, then denied the right");
    toksim_world_free(w);
}

Test(logon18_trusts, inbound_only_trust_is_not_usable_here)
{
    toksim_world *w = h4_load(W_TRUSTS);
    toksim_logon_result r = try_logon(w, "TAILSPIN\\hank", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert_eq(r.win32_error, 1326u);
    toksim_world_free(w);
}

Test(logon18_trusts, world_api)
{
    toksim_world *w = h4_world(NULL);
    toksim_error e = {0};
    toksim_world_trust t = {.name = "FABRIKAM",
                            .sid = ts_test_sid("S-1-5-21-4-5-6"),
                            .direction = TOKSIM_TRUST_OUTBOUND};
    cr_assert_eq(toksim_world_add_trust(w, &t, &e), TOKSIM_EINVAL, "not joined");
    toksim_sid dom = ts_test_sid("S-1-5-21-111-222-333");
    h4_ok(toksim_world_join_domain(w, "CONTOSO", &dom, &e), e);
    h4_ok(toksim_world_add_trust(w, &t, &e), e);
    cr_assert_eq(toksim_world_add_trust(w, &t, &e), TOKSIM_EINVAL, "twice");
    toksim_world_trust bad = t;
    bad.name = "OTHER";
    bad.sid = dom;
    cr_assert_eq(toksim_world_add_trust(w, &bad, &e), TOKSIM_EINVAL, "own domain");
    bad.sid = ts_test_sid("S-1-5-32");
    cr_assert_eq(toksim_world_add_trust(w, &bad, &e), TOKSIM_EINVAL, "not a domain SID");
    bad.sid = ts_test_sid("S-1-5-21-7-8-9");
    bad.direction = 0;
    cr_assert_eq(toksim_world_add_trust(w, &bad, &e), TOKSIM_EINVAL, "direction");
    toksim_account a = {.name = "zoe", .kind = TOKSIM_ACCOUNT_USER};
    toksim_sid zoe;
    h4_ok(toksim_world_add_trusted_account(w, "fabrikam", &a, &zoe, &e), e);
    cr_assert_eq(toksim_world_add_trusted_account(w, "NOPE", &a, NULL, &e),
                 TOKSIM_ENOTFOUND);
    cr_assert_eq(toksim_world_add_trusted_account(w, "FABRIKAM", &a, NULL, &e),
                 TOKSIM_EINVAL, "duplicate name");
    cr_assert_eq(toksim_world_trust_count(w), 1u);
    cr_assert_eq(toksim_world_trust_of(w, &zoe), toksim_world_trust_at(w, 0));
    cr_assert_eq(toksim_world_find_trust(w, "Fabrikam"), toksim_world_trust_at(w, 0));
    char name[96];
    toksim_world_sid_name(name, sizeof name, &zoe, w);
    cr_assert_str_eq(name, "FABRIKAM\\zoe");
    toksim_sid back;
    h4_ok(toksim_world_resolve(w, "fabrikam\\ZOE", &back, &e), e);
    cr_assert(toksim_sid_equal(&back, &zoe));
    toksim_world_free(w);
}

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

#define DOM "{\"domain\": {\"name\": \"C\", \"sid\": \"S-1-5-21-1-2-3\"},\n"

Test(logon18_trusts, bad_trusts_have_a_position)
{
    expect_bad(DOM "\"trusts\": [{\"name\": \"F\"}]}", 2, "needs the \"sid\"");
    expect_bad(DOM "\"trusts\": [{\"name\": \"F\",\n\"sid\": \"S-1-5-21-4-5-6\", "
                   "\"direction\": \"sideways\"}]}",
               3, "trusts[0].direction: expected inbound, outbound or bidirectional");
    expect_bad(DOM "\"trusts\": [{\"name\": \"F\", \"sid\": \"S-1-5-21-4-5-6\",\n"
                   "\"type\": \"realm\"}]}",
               3, "expected forest or external");
    expect_bad(DOM "\"trusts\": [{\"name\": \"F\", \"sid\": \"S-1-5-21-4-5-6\",\n"
                   "\"selective_authentication\": \"yes\"}]}",
               3, "expected true or false");
    expect_bad(DOM "\"trusts\": [{\"name\": \"F\", \"sid\": \"S-1-5-21-4-5-6\",\n"
                   "\"users\": [{\"name\": \"u\", \"rid\": 1.5}]}]}",
               3, "expected a RID");
    expect_bad(DOM "\"trusts\": [{\"name\": \"F\", \"sid\": \"S-1-5-21-4-5-6\",\n"
                   "\"groups\": [{\"name\": \"g\", \"members\": [\"nobody\"]}]}]}",
               3, "unknown account 'nobody'");
    expect_bad("{\"trusts\": [{\"name\": \"F\", \"sid\": \"S-1-5-21-4-5-6\"}]}", 1,
               "only a joined machine's domain has trusts");
    expect_bad(DOM "\"trusts\": [{\"name\": \"F\", \"sid\": \"S-1-5-21-1-2-3\"}]}", 2,
               "its own domain");
    expect_bad(DOM "\"trusts\": [{\"name\": \"F\", \"sid\": 5}]}", 2,
               "expected a string");
    expect_bad(DOM "\"computer_object\": {\"sddl\": \"D:\",\n"
                   "\"allowed_to_authenticate\": [\"Administrator\"]}}",
               3, "not both");
    expect_bad(DOM "\"computer_object\": {\n\"allowed_to_authenticate\": [\"ghost\"]}}",
               3, "unknown account 'ghost'");
    expect_bad(DOM "\"computer_object\": {\n\"sddl\": \"D:(Q;;;)\"}}", 3,
               "computer_object.sddl");
}
