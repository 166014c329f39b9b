/*
 * PURPOSE: the triage query (triage.h). Each expectation comes from the impersonation
 * model's own rules: the §2.2 test is asked first (toksim_imp_check on the same tokens)
 * and the triage must agree with it, e.g. a disabled SeImpersonatePrivilege does not
 * count (imp.privilege.disabled: Privileges, "a privilege must be enabled"), so for
 * ImpersonateLoggedOnUser + 1346 the "privilege-disabled" cause is confirmed.
 */
#include "../unit/imp_fixtures.h"

static toksim_token *caller_with(int imp_priv)
{
    return tk((tk_spec){.user = IMP_SID_SERVER, .imp_priv = imp_priv, .auth_id = 0x1234});
}

static const toksim_triage_cause *cause(const toksim_triage *t, const char *id)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->causes[i].id, id) == 0)
            return &t->causes[i];
    cr_assert_fail("no cause %s", id);
    return NULL;
}

static bool has_event(const toksim_trace *tr, toksim_rule r, toksim_verdict v)
{
    for (size_t i = 0; i < tr->count; i++)
        if (tr->events[i].rule == r && tr->events[i].verdict == v)
            return true;
    return false;
}

/* What the §2.2 test itself says for this caller and a different user's token. */
static toksim_imp_check_result model_says(const toksim_token *caller)
{
    toksim_token *client = tk((tk_spec){.user = IMP_SID_CLIENT,
                                        .impersonation = true,
                                        .level = TOKSIM_IMP_IMPERSONATION});
    toksim_imp_check_result r;
    ts_assert_ok(toksim_imp_check(&r, caller, client, TOKSIM_IMP_IMPERSONATION,
                                  TOKSIM_IMP_IMPERSONATION, TOKSIM_IMP_ROUTE_GENERIC,
                                  NULL, NULL),
                 NULL);
    toksim_token_free(client);
    return r;
}

static toksim_triage *triage(const toksim_triage_request *q, toksim_trace *tr)
{
    toksim_triage *t = NULL;
    toksim_error err = {0};
    toksim_error *e = &err;
    ts_assert_ok(toksim_triage_run(&t, q, tr, e), e);
    return t;
}

Test(triage, disabled_privilege_is_confirmed_for_impersonate_logged_on_user)
{
    toksim_token *caller = caller_with(IMP_PRIV_DISABLED);
    /* the model's rule: a disabled privilege does not count, the test downgrades */
    toksim_imp_check_result m = model_says(caller);
    cr_assert_not(m.allowed);
    cr_assert_eq(m.level, TOKSIM_IMP_IDENTIFICATION);

    toksim_triage_request q;
    toksim_triage_request_init(&q);
    q.caller = caller;
    q.error = 0x80070542u; /* HRESULT_FROM_WIN32(1346) */
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_triage *t = triage(&q, &tr);
    cr_assert_eq(t->win32, 1346);
    cr_assert_str_eq(t->name, "ERROR_BAD_IMPERSONATION_LEVEL");
    cr_assert_str_eq(t->read_as, "HRESULT_FROM_WIN32");
    cr_assert_eq(t->model.allowed, m.allowed);
    cr_assert_str_eq(t->causes[0].id, "privilege-disabled");
    cr_assert_eq(t->causes[0].state, TOKSIM_TRIAGE_CONFIRMED);
    cr_assert_eq(t->causes[0].rule, TOKSIM_RULE_IMP_PRIV_DISABLED);
    cr_assert_eq(cause(t, "privilege-missing")->state, TOKSIM_TRIAGE_RULED_OUT);
    /* the trace: the error, the test's own events nested, one event per cause */
    cr_assert(has_event(&tr, TOKSIM_RULE_QUERY_TRIAGE_ERROR, TOKSIM_V_INFO));
    cr_assert(has_event(&tr, TOKSIM_RULE_IMP_PRIV_DISABLED, TOKSIM_V_INFO));
    cr_assert(has_event(&tr, TOKSIM_RULE_QUERY_TRIAGE_CAUSE, TOKSIM_V_GRANT));
    cr_assert(has_event(&tr, TOKSIM_RULE_QUERY_TRIAGE_CAUSE, TOKSIM_V_DENY));
    toksim_triage_free(t);
    toksim_trace_dispose(&tr);
    toksim_token_free(caller);
}

Test(triage, missing_privilege_confirmed_unless_an_exception_applies)
{
    toksim_token *caller = caller_with(IMP_PRIV_NONE);
    cr_assert_not(model_says(caller).allowed);
    toksim_triage_request q;
    toksim_triage_request_init(&q);
    q.caller = caller;
    q.api = TOKSIM_TRIAGE_API_SET_THREAD_TOKEN;
    toksim_triage *t = triage(&q, NULL);
    cr_assert_str_eq(t->causes[0].id, "privilege-missing");
    cr_assert_eq(t->causes[0].state, TOKSIM_TRIAGE_CONFIRMED);
    toksim_triage_free(t);

    /* a token the process made itself with LogonUser: step 6 allows it without the
     * privilege (imp.allow.explicit_credentials), so the privilege is not the cause */
    q.client.own_logon_session = TOKSIM_TRIAGE_FACT_YES;
    t = triage(&q, NULL);
    cr_assert(t->model.allowed);
    cr_assert_eq(t->model.rule, TOKSIM_RULE_IMP_ALLOW_EXPLICIT_CREDENTIALS);
    cr_assert_eq(cause(t, "privilege-missing")->state, TOKSIM_TRIAGE_RULED_OUT);
    cr_assert_eq(cause(t, "other-logon-session")->state, TOKSIM_TRIAGE_RULED_OUT);
    toksim_triage_free(t);

    /* an SSPI token of another logon session: no exception, both confirmed */
    q.client.own_logon_session = TOKSIM_TRIAGE_FACT_NO;
    t = triage(&q, NULL);
    cr_assert_eq(cause(t, "other-logon-session")->state, TOKSIM_TRIAGE_CONFIRMED);
    toksim_triage_free(t);
    toksim_token_free(caller);
}

Test(triage, enabled_privilege_rules_out_the_privilege_path)
{
    toksim_token *caller = caller_with(IMP_PRIV_ENABLED);
    cr_assert_eq(model_says(caller).rule, TOKSIM_RULE_IMP_ALLOW_PRIVILEGE);
    toksim_triage_request q;
    toksim_triage_request_init(&q);
    q.caller = caller;
    q.client.has_integrity = true;
    q.client.integrity = TOKSIM_IL_SYSTEM; /* above the caller: step 4 decides first */
    toksim_triage *t = triage(&q, NULL);
    cr_assert_eq(cause(t, "privilege-missing")->state, TOKSIM_TRIAGE_RULED_OUT);
    cr_assert_eq(cause(t, "privilege-disabled")->state, TOKSIM_TRIAGE_RULED_OUT);
    cr_assert_eq(cause(t, "integrity")->state, TOKSIM_TRIAGE_RULED_OUT);
    /* what is left: the client's level, not shown by the capture */
    cr_assert_str_eq(t->causes[0].id, "client-identify-level");
    cr_assert_eq(t->causes[0].state, TOKSIM_TRIAGE_UNKNOWN);
    toksim_triage_free(t);

    q.client.has_level = true;
    q.client.level = TOKSIM_IMP_IDENTIFICATION;
    t = triage(&q, NULL);
    cr_assert_eq(t->causes[0].state, TOKSIM_TRIAGE_CONFIRMED);
    cr_assert_eq(t->causes[0].rule, TOKSIM_RULE_IMP_OPEN_BAD_LEVEL);
    toksim_triage_free(t);
    toksim_token_free(caller);
}

Test(triage, integrity_rule_confirmed_without_the_privilege)
{
    toksim_token *caller = caller_with(IMP_PRIV_NONE);
    toksim_triage_request q;
    toksim_triage_request_init(&q);
    q.caller = caller;
    q.client.same_user = TOKSIM_TRIAGE_FACT_YES;
    q.client.has_integrity = true;
    q.client.integrity = TOKSIM_IL_HIGH; /* the caller is Medium */
    toksim_triage *t = triage(&q, NULL);
    cr_assert_eq(t->model.rule, TOKSIM_RULE_IMP_DENY_INTEGRITY);
    cr_assert_str_eq(t->causes[0].id, "privilege-missing");
    cr_assert_eq(cause(t, "integrity")->state, TOKSIM_TRIAGE_CONFIRMED);
    toksim_triage_free(t);
    toksim_token_free(caller);
}

Test(triage, session_rule_is_off_by_default_and_confirmed_when_switched_on)
{
    toksim_token *caller =
        tk((tk_spec){.user = IMP_SID_SERVER, .session = 1, .auth_id = 0x1234});
    toksim_triage_request q;
    toksim_triage_request_init(&q);
    q.caller = caller;
    q.client.same_user = TOKSIM_TRIAGE_FACT_YES;
    q.client.has_session = true;
    q.client.session = 0;
    toksim_triage *t = triage(&q, NULL);
    cr_assert_eq(cause(t, "session-rule")->state, TOKSIM_TRIAGE_RULED_OUT);
    cr_assert(cause(t, "session-rule")->unconfirmed);
    toksim_triage_free(t);

    toksim_imp_options o;
    toksim_imp_options_init(&o);
    o.check_session = true;
    q.opts = &o;
    t = triage(&q, NULL);
    cr_assert_eq(t->model.rule, TOKSIM_RULE_IMP_DENY_SESSION);
    cr_assert_eq(cause(t, "session-rule")->state, TOKSIM_TRIAGE_CONFIRMED);
    toksim_triage_free(t);
    toksim_token_free(caller);
}

Test(triage, create_process_as_user_1314_reads_the_privileges)
{
    toksim_token *caller = caller_with(IMP_PRIV_ENABLED);
    toksim_triage_request q;
    toksim_triage_request_init(&q);
    q.caller = caller;
    q.api = TOKSIM_TRIAGE_API_CREATE_PROCESS_AS_USER;
    q.error = 0xC0000061u; /* STATUS_PRIVILEGE_NOT_HELD */
    toksim_triage *t = triage(&q, NULL);
    cr_assert_eq(t->win32, 1314);
    cr_assert_not(t->model_ran);
    cr_assert_eq(cause(t, "assign-primary-missing")->state, TOKSIM_TRIAGE_CONFIRMED);
    cr_assert_eq(cause(t, "assign-primary-missing")->rule, TOKSIM_RULE_CP_PRIV_MISSING);
    toksim_triage_free(t);
    cr_assert(toksim_token_set_privilege(caller, TOKSIM_PRIV_ASSIGN_PRIMARY_TOKEN, 0) ==
              TOKSIM_OK);
    t = triage(&q, NULL);
    /* held but disabled still counts: CreateProcessAsUser enables it itself */
    cr_assert_eq(cause(t, "assign-primary-missing")->state, TOKSIM_TRIAGE_RULED_OUT);
    toksim_triage_free(t);
    toksim_token_free(caller);
}

Test(triage, unknown_pair_and_bad_error)
{
    toksim_token *caller = caller_with(IMP_PRIV_ENABLED);
    toksim_triage_request q;
    toksim_triage_request_init(&q);
    q.caller = caller;
    q.error = 1326; /* ERROR_LOGON_FAILURE: no triage row for ImpersonateLoggedOnUser */
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_triage *t = triage(&q, &tr);
    cr_assert_eq(t->count, 0);
    cr_assert(has_event(&tr, TOKSIM_RULE_QUERY_TRIAGE_NO_CAUSE, TOKSIM_V_INFO));
    toksim_triage_free(t);
    toksim_trace_dispose(&tr);
    q.error = 0x12345678u;
    toksim_error err = {0};
    cr_assert_eq(toksim_triage_run(&t, &q, NULL, &err), TOKSIM_ENOTFOUND);
    cr_assert_null(t);
    toksim_triage_api api;
    cr_assert_eq(toksim_triage_api_parse(&api, "coimpersonateclient"), TOKSIM_OK);
    cr_assert_eq(api, TOKSIM_TRIAGE_API_CO_IMPERSONATE_CLIENT);
    cr_assert_eq(toksim_triage_api_parse(&api, "Impersonate"), TOKSIM_ENOTFOUND);
    toksim_token_free(caller);
}
