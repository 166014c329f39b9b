/*
 * PURPOSE: `toksim triage --format json`: the triage result as one JSON object
 * (schemas/triage.schema.json): the error in its forms, the impersonation test on the
 * stated facts, the causes most likely first, and the trace.
 */
#include <cJSON.h>
#include "triage_view.h"

static cJSON *trace_json(const toksim_trace *tr)
{
    cJSON *arr = cJSON_CreateArray();
    char line[1024];
    for (size_t i = 0; arr && i < tr->count; i++) {
        const toksim_trace_event *e = &tr->events[i];
        cJSON *ev = cJSON_CreateObject();
        cJSON_AddStringToObject(ev, "rule", toksim_rule_get(e->rule)->id);
        cJSON_AddStringToObject(ev, "verdict", toksim_verdict_name(e->verdict));
        toksim_trace_event_text(line, sizeof line, e, NULL, NULL);
        cJSON_AddStringToObject(ev, "text", line);
        cJSON_AddNumberToObject(ev, "depth", e->depth);
        cJSON_AddItemToArray(arr, ev);
    }
    return arr;
}

int triage_print_json(const toksim_triage *t, const triage_input *in)
{
    char buf[TOKSIM_SID_STRING_MAX];
    cJSON *o = cJSON_CreateObject();
    cJSON *caller = cJSON_AddObjectToObject(o, "caller");
    cJSON_AddStringToObject(caller, "from", in->token_from);
    toksim_sid_format(buf, sizeof buf, toksim_token_user(in->req->caller));
    cJSON_AddStringToObject(caller, "sid", buf);
    if (in->user_name)
        cJSON_AddStringToObject(caller, "name", in->user_name);
    cJSON_AddBoolToObject(caller, "privileges_known", in->req->caller_privileges_known);
    cJSON_AddStringToObject(o, "api", toksim_triage_api_name(t->api));
    cJSON *er = cJSON_AddObjectToObject(o, "error");
    cli_hex32(buf, sizeof buf, t->error);
    cJSON_AddStringToObject(er, "given", buf);
    cJSON_AddStringToObject(er, "read_as", t->read_as);
    cJSON_AddStringToObject(er, "name", t->name);
    cJSON_AddNumberToObject(er, "win32", t->win32);
    cli_hex32(buf, sizeof buf, t->hresult);
    cJSON_AddStringToObject(er, "hresult", buf);
    if (t->model_ran) {
        cJSON *m = cJSON_AddObjectToObject(o, "model");
        cJSON_AddBoolToObject(m, "allowed", t->model.allowed);
        cJSON_AddStringToObject(m, "level", toksim_imp_level_name(t->model.level));
        cJSON_AddStringToObject(m, "rule", toksim_rule_get(t->model.rule)->id);
    }
    cJSON *arr = cJSON_AddArrayToObject(o, "causes");
    for (size_t i = 0; i < t->count; i++) {
        const toksim_triage_cause *c = &t->causes[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "id", c->id);
        cJSON_AddStringToObject(j, "state", toksim_triage_state_name(c->state));
        cJSON_AddStringToObject(j, "title", c->title);
        cJSON_AddStringToObject(j, "rule", toksim_rule_get(c->rule)->id);
        cJSON_AddNumberToObject(j, "rank", c->rank);
        cJSON_AddBoolToObject(j, "unconfirmed", c->unconfirmed);
        cJSON_AddStringToObject(j, "evidence", c->evidence);
        cJSON_AddStringToObject(j, "likelihood", c->reason);
        cJSON_AddStringToObject(j, "confirm", c->confirm);
        cJSON_AddItemToArray(arr, j);
    }
    cJSON_AddItemToObject(o, "trace", trace_json(in->trace));
    return cli_print_json(o);
}
