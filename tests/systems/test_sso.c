/*
 * PURPOSE: the web SSO policy server impersonation model (toksim/sso.h), one test per
 * rule of the seed "Security Considerations for Impersonation" (seed 003): both event
 * bindings required, the impersonatee looked up in the policy domain's directories, the
 * impersonator fields and the chaining ban, protection levels skipped during an
 * impersonation and enforced after it, the original session's idle timeout ending the
 * impersonation (with the UNCONFIRMED switch flipped), and the API's refusals.
 */
#include <stdio.h>
#include "../helpers.h"

#define HD    "uid=hd.jones,ou=staff,o=acme"
#define SUP   "uid=sup.lee,ou=staff,o=acme"
#define CAROL "uid=carol,ou=customers,o=acme"
#define DAVE  "uid=dave,ou=customers,o=acme"
#define ERIN  "uid=erin,ou=partners,o=acme"

static toksim_error *sso_err(toksim_error *e)
{
    return e;
}

static void add_realm(toksim_sso *s, const char *name, int level, bool imp, int64_t idle)
{
    toksim_error e = {0};
    toksim_sso_realm_config r = {name, "acme", "scheme", level, imp, idle};
    ts_assert_ok(toksim_sso_add_realm(s, &r, &e), sso_err(&e));
}

static void add_policy(toksim_sso *s,
                       const char *name,
                       const char *realm,
                       unsigned events,
                       const char *user,
                       const char *dir)
{
    toksim_error e = {0};
    toksim_sso_policy_config p;
    memset(&p, 0, sizeof p);
    p.name = name;
    p.realm = realm;
    p.events = events;
    p.users = user ? &user : NULL;
    p.nusers = user ? 1 : 0;
    p.directories = dir ? &dir : NULL;
    p.ndirectories = dir ? 1 : 0;
    ts_assert_ok(toksim_sso_add_policy(s, &p, &e), sso_err(&e));
}

/*
 * acme: staff-ldap {hd.jones, sup.lee}, customers-ldap {carol, dave}; partners-ldap
 * {erin} is not in the domain. portal level 5 (idle portal_idle), billing level 20,
 * impersonate (impersonation scheme, idle 30). hd.jones may impersonate; every customer
 * may be impersonated.
 */
static toksim_sso *acme(const toksim_sso_options *opt, int64_t portal_idle)
{
    toksim_sso *s = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_sso_new(&s, opt), sso_err(&e));
    const char *staff[] = {HD, SUP}, *cust[] = {CAROL, DAVE}, *part[] = {ERIN};
    ts_assert_ok(toksim_sso_add_directory(s, "staff-ldap", staff, 2, &e), sso_err(&e));
    ts_assert_ok(toksim_sso_add_directory(s, "customers-ldap", cust, 2, &e), sso_err(&e));
    ts_assert_ok(toksim_sso_add_directory(s, "partners-ldap", part, 1, &e), sso_err(&e));
    const char *dirs[] = {"staff-ldap", "customers-ldap"};
    ts_assert_ok(toksim_sso_add_domain(s, "acme", dirs, 2, &e), sso_err(&e));
    add_realm(s, "portal", 5, false, portal_idle);
    add_realm(s, "billing", 20, false, 30);
    add_realm(s, "impersonate", 5, true, 30);
    add_policy(s, "impersonators", "impersonate", TOKSIM_SSO_EVENT_IMPERSONATE_START, HD,
               NULL);
    add_policy(s, "impersonatees", "impersonate", TOKSIM_SSO_EVENT_IMPERSONATE_START_USER,
               NULL, "customers-ldap");
    return s;
}

/* The trace holds an event of the rule (any verdict). */
static bool traced(const toksim_trace *t, toksim_rule rule)
{
    for (size_t i = 0; i < t->count; i++)
        if (t->events[i].rule == rule)
            return true;
    return false;
}

static size_t login(toksim_sso *s, const char *realm, const char *dn)
{
    toksim_sso_result r;
    toksim_error e = {0};
    ts_assert_ok(toksim_sso_login(s, &r, realm, dn, NULL, &e), sso_err(&e));
    cr_assert(r.ok, "%s could not log in", dn);
    return r.session;
}

static toksim_sso_result
imp(toksim_sso *s, size_t session, const char *dn, toksim_trace *t)
{
    toksim_sso_result r;
    toksim_error e = {0};
    ts_assert_ok(toksim_sso_impersonate(s, &r, session, "impersonate", dn, t, &e),
                 sso_err(&e));
    return r;
}

static toksim_sso_result
req(toksim_sso *s, size_t session, const char *realm, toksim_trace *t)
{
    toksim_sso_result r;
    toksim_error e = {0};
    ts_assert_ok(toksim_sso_request(s, &r, session, realm, t, &e), sso_err(&e));
    return r;
}

Test(sso, login_looks_the_user_up_in_the_domain_directories)
{
    toksim_sso *s = acme(NULL, 30);
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_sso_result r;
    toksim_error e = {0};
    ts_assert_ok(
        toksim_sso_login(s, &r, "portal", "UID=Carol,OU=Customers,O=Acme", &t, &e),
        sso_err(&e));
    cr_assert(r.ok);
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_LOGIN_AUTHENTICATED);
    toksim_sso_session_info si;
    cr_assert(toksim_sso_session_get(s, r.session, &si));
    cr_assert_str_eq(si.directory, "customers-ldap");
    cr_assert_eq(si.protection_level, 5);
    cr_assert_eq(si.idle_timeout, 30);
    cr_assert(!si.impersonated);
    cr_assert_null(si.impersonator_dn);
    /* erin exists, but in a directory the domain does not search */
    ts_assert_ok(toksim_sso_login(s, &r, "portal", ERIN, &t, &e), sso_err(&e));
    cr_assert(!r.ok);
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_LOGIN_USER_NOT_FOUND);
    cr_assert(!toksim_sso_session_get(s, 1, &si), "a refused login creates no session");
    toksim_trace_dispose(&t);
    toksim_sso_free(s);
}

Test(sso, protection_levels_single_sign_on_or_challenge)
{
    toksim_sso *s = acme(NULL, 30);
    size_t agent = login(s, "portal", HD);
    toksim_sso_result r = req(s, agent, "portal", NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_PROTECTION_LEVEL_SSO);
    r = req(s, agent, "billing", NULL);
    cr_assert(!r.ok, "level 20 needs new credentials from a level 5 session");
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_PROTECTION_LEVEL_CHALLENGE);
    size_t strong = login(s, "billing", SUP);
    cr_assert(req(s, strong, "portal", NULL).ok, "a higher level covers a lower one");
    toksim_sso_free(s);
}

Test(sso, impersonated_session_carries_the_impersonator_fields)
{
    toksim_sso *s = acme(NULL, 30);
    size_t agent = login(s, "portal", HD);
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_sso_result r = imp(s, agent, CAROL, &t);
    cr_assert(r.ok);
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_IMP_STARTED);
    toksim_sso_session_info si;
    cr_assert(toksim_sso_session_get(s, r.session, &si));
    cr_assert_str_eq(si.user_dn, CAROL);
    cr_assert_str_eq(si.directory, "customers-ldap");
    cr_assert(si.impersonated);
    cr_assert_str_eq(si.impersonator_dn, HD);
    cr_assert_str_eq(si.impersonator_directory, "staff-ldap");
    cr_assert_eq(si.original, agent);
    cr_assert(traced(&t, TOKSIM_RULE_SSO_IMP_USER_FOUND));
    /* both bindings are reported with their policy */
    int bound = 0;
    for (size_t i = 0; i < t.count; i++)
        if (t.events[i].rule == TOKSIM_RULE_SSO_IMP_BOUND) {
            bound++;
            cr_assert(strstr(t.events[i].text,
                             bound == 1 ? "impersonators (ImpersonateStart)"
                                        : "impersonatees (ImpersonateStartUser)"),
                      "%s", t.events[i].text);
        }
    cr_assert_eq(bound, 2);
    toksim_trace_dispose(&t);
    toksim_sso_free(s);
}

Test(sso, chaining_is_refused)
{
    toksim_sso *s = acme(NULL, 30);
    /* sup.lee may impersonate and be impersonated: only the chaining ban refuses */
    add_policy(s, "supervisor", "impersonate",
               TOKSIM_SSO_EVENT_IMPERSONATE_START |
                   TOKSIM_SSO_EVENT_IMPERSONATE_START_USER,
               SUP, NULL);
    size_t agent = login(s, "portal", HD);
    toksim_sso_result r = imp(s, agent, SUP, NULL);
    cr_assert(r.ok);
    size_t as_sup = r.session;
    toksim_trace t;
    toksim_trace_init(&t);
    r = imp(s, as_sup, DAVE, &t);
    cr_assert(!r.ok, "an impersonated session cannot impersonate again");
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_IMP_CHAINING);
    cr_assert_str_eq(t.events[t.count - 1].text, HD);
    toksim_sso_session_info si;
    cr_assert(!toksim_sso_session_get(s, as_sup + 1, &si), "no session was created");
    /* sup.lee's own session may */
    size_t sup = login(s, "portal", SUP);
    cr_assert(imp(s, sup, DAVE, NULL).ok);
    toksim_trace_dispose(&t);
    toksim_sso_free(s);
}

Test(sso, both_bindings_are_required)
{
    toksim_sso *s = acme(NULL, 30);
    size_t agent = login(s, "portal", HD);
    toksim_sso_result r =
        imp(s, agent, SUP, NULL); /* found, but no ImpersonateStartUser */
    cr_assert(!r.ok);
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_IMP_START_USER_NOT_BOUND);
    size_t dave = login(s, "portal", DAVE);
    r = imp(s, dave, CAROL,
            NULL); /* carol may be impersonated, dave may not impersonate */
    cr_assert(!r.ok);
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_IMP_START_NOT_BOUND);
    /* a binding in another impersonation realm does not count */
    add_realm(s, "impersonate-2", 5, true, 30);
    add_policy(s, "elsewhere", "impersonate-2", TOKSIM_SSO_EVENT_IMPERSONATE_START_USER,
               SUP, NULL);
    cr_assert_eq(imp(s, agent, SUP, NULL).reason,
                 TOKSIM_RULE_SSO_IMP_START_USER_NOT_BOUND);
    /* the impersonatee's binding alone is not enough either */
    add_policy(s, "sup-impersonatable", "impersonate",
               TOKSIM_SSO_EVENT_IMPERSONATE_START_USER, SUP, NULL);
    cr_assert(imp(s, agent, SUP, NULL).ok);
    cr_assert_eq(imp(s, dave, SUP, NULL).reason, TOKSIM_RULE_SSO_IMP_START_NOT_BOUND);
    toksim_sso_free(s);
}

Test(sso, impersonatee_must_be_in_the_realms_domain)
{
    toksim_sso *s = acme(NULL, 30);
    /* even a policy naming the partners' directory does not make erin findable */
    add_policy(s, "partners", "impersonate", TOKSIM_SSO_EVENT_IMPERSONATE_START_USER,
               NULL, "partners-ldap");
    size_t agent = login(s, "portal", HD);
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_sso_result r = imp(s, agent, ERIN, &t);
    cr_assert(!r.ok);
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_IMP_USER_NOT_FOUND);
    cr_assert(!traced(&t, TOKSIM_RULE_SSO_IMP_BOUND),
              "the lookup comes before the bindings");
    toksim_trace_dispose(&t);
    toksim_sso_free(s);
}

Test(sso, protection_levels_skipped_during_impersonation_enforced_after)
{
    toksim_sso *s = acme(NULL, 30);
    size_t agent = login(s, "portal", HD);
    cr_assert(!req(s, agent, "billing", NULL).ok);
    size_t as_carol = imp(s, agent, CAROL, NULL).session;
    toksim_sso_result r = req(s, as_carol, "billing", NULL);
    cr_assert(r.ok, "no challenge during an impersonation");
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_IMP_LEVEL_NOT_CHECKED);
    toksim_error e = {0};
    ts_assert_ok(toksim_sso_impersonate_end(s, &r, as_carol, NULL, &e), sso_err(&e));
    cr_assert(r.ok);
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_IMP_ENDED);
    r = req(s, as_carol, "billing", NULL);
    cr_assert(!r.ok);
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_SESSION_ENDED);
    r = req(s, agent, "billing", NULL);
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_PROTECTION_LEVEL_CHALLENGE);
    /* ending it twice: already ended */
    ts_assert_ok(toksim_sso_impersonate_end(s, &r, as_carol, NULL, &e), sso_err(&e));
    cr_assert(!r.ok);
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_SESSION_ENDED);
    toksim_sso_free(s);
}

Test(sso, idle_timeout_ends_a_session_after_not_at_the_limit)
{
    toksim_sso *s = acme(NULL, 30);
    size_t a = login(s, "portal", HD);
    toksim_sso_advance(s, 30);
    cr_assert(req(s, a, "portal", NULL).ok, "idle exactly the timeout: still valid");
    toksim_sso_advance(s, 31);
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_sso_result r = req(s, a, "portal", &t);
    cr_assert(!r.ok);
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_SESSION_IDLE_TIMEOUT);
    cr_assert_eq(t.events[0].a, 31);
    cr_assert_eq(t.events[0].b, 30);
    cr_assert_eq(req(s, a, "portal", NULL).reason, TOKSIM_RULE_SSO_SESSION_ENDED);
    r = imp(s, a, CAROL, NULL);
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_SESSION_ENDED,
                 "an ended session cannot impersonate");
    /* idle timeout 0: none */
    add_realm(s, "kiosk", 5, false, 0);
    size_t k = login(s, "kiosk", DAVE);
    toksim_sso_advance(s, 100000);
    cr_assert(req(s, k, "kiosk", NULL).ok);
    cr_assert_eq(toksim_sso_now(s), 100061);
    toksim_trace_dispose(&t);
    toksim_sso_free(s);
}

/* hd.jones logs in (portal idle 15), impersonates carol at minute 1, works as carol at
 * minutes 10 and 16, then at 20. */
static toksim_sso_result idle_story(const toksim_sso_options *opt,
                                    toksim_trace *t,
                                    toksim_sso **out,
                                    size_t *agent)
{
    toksim_sso *s = acme(opt, 15);
    *agent = login(s, "portal", HD);
    toksim_sso_advance(s, 1);
    size_t as_carol = imp(s, *agent, CAROL, NULL).session;
    toksim_sso_advance(s, 9);
    cr_assert(req(s, as_carol, "portal", NULL).ok);
    toksim_sso_advance(s, 6);
    cr_assert(req(s, as_carol, "portal", NULL).ok);
    toksim_sso_advance(s, 4);
    *out = s;
    return req(s, as_carol, "portal", t);
}

Test(sso, original_session_idle_timeout_ends_the_impersonation)
{
    toksim_sso *s;
    size_t agent;
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_sso_result r = idle_story(NULL, &t, &s, &agent);
    cr_assert(!r.ok, "the original session idled out at minute 16+");
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_IMP_ENDED_WITH_ORIGINAL);
    cr_assert(traced(&t, TOKSIM_RULE_SSO_SESSION_IDLE_TIMEOUT));
    toksim_sso_session_info si;
    cr_assert(toksim_sso_session_get(s, agent, &si));
    cr_assert(si.ended);
    cr_assert_eq(req(s, agent, "portal", NULL).reason, TOKSIM_RULE_SSO_SESSION_ENDED);
    toksim_trace_dispose(&t);
    toksim_sso_free(s);
}

Test(sso, switch_impersonated_activity_refreshes_original)
{
    /* UNCONFIRMED reading flipped: impersonated requests keep the original alive */
    toksim_sso_options opt = {.impersonated_activity_refreshes_original = true};
    toksim_sso *s;
    size_t agent;
    toksim_sso_result r = idle_story(&opt, NULL, &s, &agent);
    cr_assert(r.ok, "minute 16 activity refreshed the original: idle 4 at minute 20");
    toksim_sso_free(s);
}

Test(sso, impersonated_session_has_its_own_idle_timeout)
{
    toksim_sso *s = acme(NULL, 0); /* the portal session never idles out */
    size_t agent = login(s, "portal", HD);
    size_t as_carol = imp(s, agent, CAROL, NULL).session;
    toksim_sso_advance(s, 31); /* the impersonation realm's idle timeout is 30 */
    toksim_sso_result r = req(s, as_carol, "portal", NULL);
    cr_assert_eq(r.reason, TOKSIM_RULE_SSO_SESSION_IDLE_TIMEOUT);
    cr_assert(req(s, agent, "portal", NULL).ok, "the original session is unaffected");
    toksim_sso_free(s);
}

Test(sso, api_refusals_are_statuses)
{
    toksim_sso *s = acme(NULL, 30);
    toksim_error e = {0};
    toksim_sso_result r;
    size_t agent = login(s, "portal", HD);
    cr_assert_eq(toksim_sso_login(s, &r, "nowhere", HD, NULL, &e), TOKSIM_ENOTFOUND);
    cr_assert(strstr(e.message, "nowhere"), "%s", e.message);
    cr_assert_eq(toksim_sso_impersonate(s, &r, agent, "portal", CAROL, NULL, &e),
                 TOKSIM_EINVAL, "portal is no impersonation realm");
    cr_assert(strstr(e.message, "impersonation scheme"), "%s", e.message);
    cr_assert_eq(toksim_sso_impersonate_end(s, &r, agent, NULL, &e), TOKSIM_EINVAL);
    cr_assert_eq(toksim_sso_request(s, &r, 99, "portal", NULL, &e), TOKSIM_ENOTFOUND);
    const char *none[] = {"ghost-ldap"};
    cr_assert_eq(toksim_sso_add_domain(s, "d2", none, 1, &e), TOKSIM_ENOTFOUND);
    cr_assert_eq(toksim_sso_add_directory(s, "staff-ldap", NULL, 0, &e), TOKSIM_EINVAL);
    toksim_sso_realm_config rc = {"portal", "acme", "x", 1, false, 0};
    cr_assert_eq(toksim_sso_add_realm(s, &rc, &e), TOKSIM_EINVAL);
    rc.name = "neg";
    rc.idle_timeout = -1;
    cr_assert_eq(toksim_sso_add_realm(s, &rc, &e), TOKSIM_EINVAL);
    toksim_sso_policy_config pc = {0};
    pc.name = "p";
    pc.realm = "ghost";
    cr_assert_eq(toksim_sso_add_policy(s, &pc, &e), TOKSIM_ENOTFOUND);
    unsigned ev;
    cr_assert_eq(toksim_sso_event_parse(&ev, "impersonatestartuser"), TOKSIM_OK);
    cr_assert_eq(ev, TOKSIM_SSO_EVENT_IMPERSONATE_START_USER);
    cr_assert_eq(toksim_sso_event_parse(&ev, "OnAuthAccept"), TOKSIM_ENOTFOUND);
    toksim_sso_free(s);
    toksim_sso_free(NULL);
}
