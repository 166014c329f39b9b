/*
 * PURPOSE: toksim_triage_run: resolve the error through the catalog, run the
 * impersonation layer's §2.2 test (toksim_imp_check) on the caller's token and a client
 * token built from the stated facts, mark every cause of the table for (api, error) and
 * order them: confirmed, unknown, ruled out, each by the table's likelihood rank.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "query/triage_int.h"

static const char *const api_names[TOKSIM_TRIAGE_API_COUNT] = {
    "ImpersonateLoggedOnUser",
    "SetThreadToken",
    "ImpersonateNamedPipeClient",
    "RpcImpersonateClient",
    "CoImpersonateClient",
    "DuplicateTokenEx",
    "OpenThreadToken",
    "CreateProcessAsUser",
    "CreateProcessWithTokenW",
    "object-open"};

const char *toksim_triage_api_name(toksim_triage_api api)
{
    return (unsigned)api < TOKSIM_TRIAGE_API_COUNT ? api_names[api] : NULL;
}

toksim_status toksim_triage_api_parse(toksim_triage_api *out, const char *name)
{
    if (!out || !name)
        return TOKSIM_EINVAL;
    for (unsigned i = 0; i < TOKSIM_TRIAGE_API_COUNT; i++)
        if (ts_strcasecmp(name, api_names[i]) == 0) {
            *out = (toksim_triage_api)i;
            return TOKSIM_OK;
        }
    return TOKSIM_ENOTFOUND;
}

const char *toksim_triage_state_name(toksim_triage_state s)
{
    switch (s) {
    case TOKSIM_TRIAGE_CONFIRMED:
        return "confirmed";
    case TOKSIM_TRIAGE_UNKNOWN:
        return "unknown";
    case TOKSIM_TRIAGE_RULED_OUT:
        return "ruled out";
    }
    return "unknown";
}

void toksim_triage_request_init(toksim_triage_request *req)
{
    if (!req)
        return;
    memset(req, 0, sizeof *req);
    req->caller_privileges_known = true;
    req->api = TOKSIM_TRIAGE_API_IMPERSONATE_LOGGED_ON_USER;
    req->error = TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL;
}

void toksim_triage_free(toksim_triage *t)
{
    if (!t)
        return;
    free(t->causes);
    free(t);
}

/* The catalog row for the value, read as Win32 (small values), HRESULT_FROM_WIN32,
 * NTSTATUS or a COM/RPC HRESULT. */
static toksim_status resolve(toksim_triage *t, uint32_t v, toksim_error *err)
{
    const toksim_code_info *row = NULL;
    if ((v & 0xFFFF0000u) == 0x80070000u) {
        t->read_as = "HRESULT_FROM_WIN32";
        t->win32 = v & 0xFFFFu;
        row = toksim_code_by_win32(t->win32);
    } else if ((v & 0xC0000000u) == 0xC0000000u) {
        t->read_as = "NTSTATUS";
        if ((row = toksim_code_by_ntstatus(v)) != NULL)
            t->win32 = row->value;
    } else if (v & 0x80000000u) {
        t->read_as = "HRESULT";
        row = toksim_code_by_hresult(v);
    } else {
        t->read_as = "Win32 error";
        t->win32 = v;
        row = toksim_code_by_win32(v);
    }
    if (!row)
        return ts_error_set(err, TOKSIM_ENOTFOUND, 0,
                            "error 0x%08X (%u) is in no form of the error catalog "
                            "(toksim error --list)",
                            (unsigned)v, (unsigned)v);
    t->name = row->name;
    t->hresult = t->win32 ? toksim_hresult_from_win32(t->win32) : row->value;
    return TOKSIM_OK;
}

static toksim_status trace_add(toksim_trace *trace,
                               toksim_rule rule,
                               toksim_verdict v,
                               int64_t a,
                               uint32_t status,
                               const char *text)
{
    if (!trace)
        return TOKSIM_OK;
    toksim_trace_event e = toksim_trace_event_make(rule, v);
    e.a = a;
    e.status = status;
    snprintf(e.text, sizeof e.text, "%s", text ? text : "");
    return toksim_trace_add(trace, &e);
}

/* The client as described: unknown facts neutral (another user, the caller's integrity
 * and session, Impersonation level), so only stated facts can make a rule decide. */
static toksim_status client_token(toksim_token **out, const toksim_triage_request *q)
{
    const toksim_token *p = q->caller;
    const toksim_triage_client *c = &q->client;
    toksim_sid other;
    toksim_status rc = toksim_sid_parse(&other, "S-1-5-21-7-7-7-1001", NULL);
    if (rc != TOKSIM_OK)
        return rc;
    if (toksim_sid_equal(&other, toksim_token_user(p)))
        other.sub[other.count - 1]++;
    rc = toksim_token_new(
        out, c->same_user == TOKSIM_TRIAGE_FACT_YES ? toksim_token_user(p) : &other);
    if (rc != TOKSIM_OK)
        return rc;
    toksim_token *t = *out;
    toksim_imp_level lv = c->has_level ? c->level : TOKSIM_IMP_IMPERSONATION;
    toksim_token_set_type(t, TOKSIM_TOKEN_IMPERSONATION, lv);
    if (c->has_integrity)
        rc = toksim_token_set_integrity(t, c->integrity);
    else if (toksim_token_has_integrity(p))
        rc = toksim_token_set_integrity(t, toksim_token_integrity(p));
    toksim_token_set_session_id(t,
                                c->has_session ? c->session : toksim_token_session_id(p));
    /* a logon session of its own, never the anonymous one */
    toksim_token_set_auth_id(t, toksim_token_auth_id(p) + 0x1000u);
    if (c->own_logon_session == TOKSIM_TRIAGE_FACT_YES)
        toksim_token_set_origin(t, toksim_token_auth_id(p));
    if (c->elevated == TOKSIM_TRIAGE_FACT_YES)
        toksim_token_set_elevation(t, TOKSIM_ELEVATION_FULL, true);
    if (c->source)
        toksim_token_set_source(t, c->source);
    return rc;
}

static bool runs_model(uint32_t win32)
{
    return win32 == TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL;
}

/* A whoami capture does not show the logon id (it reads as 0): give the copy the test
 * runs on one of its own, so a client "made in the caller's logon session" can name it.
 */
#define TS_TRI_CAPTURE_LOGON_ID 0x7E570u

static toksim_status run_model(ts_tri_ctx *cx, toksim_trace *trace)
{
    toksim_token *client = NULL, *caller = NULL;
    toksim_triage_request q = *cx->req;
    toksim_status rc = toksim_token_copy(&caller, q.caller);
    if (rc == TOKSIM_OK) {
        if (toksim_token_auth_id(caller) == 0)
            toksim_token_set_auth_id(caller, TS_TRI_CAPTURE_LOGON_ID);
        q.caller = caller;
        rc = client_token(&client, &q);
    }
    if (rc != TOKSIM_OK) {
        toksim_token_free(client);
        toksim_token_free(caller);
        return rc;
    }
    toksim_trace local;
    toksim_trace_init(&local);
    toksim_imp_level lv = toksim_token_level(client);
    rc = toksim_imp_check(&cx->model, caller, client, lv, lv, TOKSIM_IMP_ROUTE_GENERIC,
                          q.opts, &local);
    toksim_token_free(client);
    toksim_token_free(caller);
    if (trace)
        trace->depth++; /* the test's events nest under the triage */
    for (size_t i = 0; rc == TOKSIM_OK && i < local.count; i++) {
        cx->saw_missing |= local.events[i].rule == TOKSIM_RULE_IMP_PRIV_MISSING;
        cx->saw_disabled |= local.events[i].rule == TOKSIM_RULE_IMP_PRIV_DISABLED;
        if (trace)
            rc = toksim_trace_add(trace, &local.events[i]);
    }
    if (trace)
        trace->depth--;
    toksim_trace_dispose(&local);
    cx->model_ran = rc == TOKSIM_OK;
    return rc;
}

static int by_likelihood(const void *a, const void *b)
{
    const toksim_triage_cause *x = a, *y = b;
    if (x->state != y->state)
        return (int)x->state - (int)y->state;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

static bool row_matches(const ts_tri_row *r, const toksim_triage *t)
{
    return (r->apis & TS_TRI_API(t->api)) && strcmp(r->code, t->name) == 0;
}

toksim_status toksim_triage_run(toksim_triage **out,
                                const toksim_triage_request *req,
                                toksim_trace *trace,
                                toksim_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !req || !req->caller || !toksim_triage_api_name(req->api))
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "triage: missing result or caller token, or unknown API");
    toksim_triage *t = ts_calloc(1, sizeof *t);
    if (!t)
        return TOKSIM_ENOMEM;
    t->api = req->api;
    t->error = req->error;
    toksim_status rc = resolve(t, req->error, err);
    if (rc == TOKSIM_OK)
        rc = trace_add(trace, TOKSIM_RULE_QUERY_TRIAGE_ERROR, TOKSIM_V_INFO, req->error,
                       t->win32 ? t->win32 : t->hresult, t->read_as);
    ts_tri_ctx cx = {.req = req};
    if (rc == TOKSIM_OK && runs_model(t->win32))
        rc = run_model(&cx, trace);
    t->model_ran = cx.model_ran;
    t->model = cx.model;
    size_t n = 0;
    for (size_t i = 0; rc == TOKSIM_OK && i < ts_tri_row_count; i++)
        n += row_matches(&ts_tri_rows[i], t);
    if (rc == TOKSIM_OK && n && !(t->causes = ts_calloc(n, sizeof *t->causes)))
        rc = TOKSIM_ENOMEM;
    for (size_t i = 0; rc == TOKSIM_OK && i < ts_tri_row_count; i++) {
        const ts_tri_row *r = &ts_tri_rows[i];
        if (!row_matches(r, t))
            continue;
        toksim_triage_cause *c = &t->causes[t->count++];
        c->id = r->id;
        c->title = r->title;
        c->rule = r->rule;
        c->rank = r->rank;
        c->reason = r->reason;
        c->confirm = r->confirm;
        c->unconfirmed = r->unconfirmed;
        c->state = ts_tri_eval_row(r, &cx, c->evidence, sizeof c->evidence);
    }
    if (rc == TOKSIM_OK && t->count) /* qsort takes no null array, even for 0 items */
        qsort(t->causes, t->count, sizeof *t->causes, by_likelihood);
    uint32_t status = t->win32 ? t->win32 : t->hresult;
    for (size_t i = 0; rc == TOKSIM_OK && i < t->count; i++) {
        const toksim_triage_cause *c = &t->causes[i];
        char text[TOKSIM_TRACE_TEXT_SIZE];
        snprintf(text, sizeof text, "%s (%s)", c->id, toksim_triage_state_name(c->state));
        toksim_verdict v = c->state == TOKSIM_TRIAGE_CONFIRMED   ? TOKSIM_V_GRANT
                           : c->state == TOKSIM_TRIAGE_RULED_OUT ? TOKSIM_V_DENY
                                                                 : TOKSIM_V_INFO;
        rc = trace_add(trace, TOKSIM_RULE_QUERY_TRIAGE_CAUSE, v, c->rank, status, text);
    }
    if (rc == TOKSIM_OK && t->count == 0)
        rc = trace_add(trace, TOKSIM_RULE_QUERY_TRIAGE_NO_CAUSE, TOKSIM_V_INFO, 0, status,
                       toksim_triage_api_name(t->api));
    if (rc != TOKSIM_OK) {
        toksim_triage_free(t);
        return rc;
    }
    *out = t;
    return TOKSIM_OK;
}
