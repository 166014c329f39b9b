/*
 * PURPOSE: the finding table of the systems layer (finding rule -> severity, the one
 * place severities are decided), recording findings, and the shared trace helper. Not
 * modelled: suppression or configuration of findings.
 */
#include <stdio.h>
#include <string.h>
#include "systems/sys_int.h"

static const struct {
    toksim_rule rule;
    toksim_severity severity;
} finding_table[] = {
    /* A thread acting as SYSTEM for a client is the escalation Impersonating a Client
       warns about. */
    {TOKSIM_RULE_FINDING_SYSTEM_CONTEXT, TOKSIM_SEV_HIGH},
    {TOKSIM_RULE_FINDING_PROCESS_CONTEXT, TOKSIM_SEV_MEDIUM},
    {TOKSIM_RULE_FINDING_REENTRANT_AFTER_REVERT, TOKSIM_SEV_HIGH},
    {TOKSIM_RULE_FINDING_SILENT_IDENTIFY, TOKSIM_SEV_MEDIUM},
    {TOKSIM_RULE_FINDING_IDENTIFY_CLIENT, TOKSIM_SEV_LOW},
    {TOKSIM_RULE_FINDING_LEVEL0_PROVIDER, TOKSIM_SEV_MEDIUM},
    {TOKSIM_RULE_FINDING_PER_USER_INIT_MISSING, TOKSIM_SEV_LOW},
    {TOKSIM_RULE_FINDING_POOL_SYSTEM, TOKSIM_SEV_HIGH},
    {TOKSIM_RULE_FINDING_DOUBLE_HOP_ANONYMOUS, TOKSIM_SEV_LOW},
    {TOKSIM_RULE_FINDING_WORKER_NO_IMPERSONATE, TOKSIM_SEV_MEDIUM},
    /* COM activation refused (event 10016); a potato SYSTEM thread token (lab). */
    {TOKSIM_RULE_FINDING_DCOM_PERMISSION, TOKSIM_SEV_LOW},
    {TOKSIM_RULE_FINDING_POTATO_SYSTEM, TOKSIM_SEV_HIGH},
};

static const char *const severity_names[] = {"info", "low", "medium", "high"};

const char *toksim_severity_name(toksim_severity s)
{
    if ((unsigned)s >= sizeof severity_names / sizeof severity_names[0])
        return "info";
    return severity_names[s];
}

toksim_status toksim_severity_parse(toksim_severity *out, const char *name)
{
    if (!out || !name)
        return TOKSIM_EINVAL;
    for (size_t i = 0; i < sizeof severity_names / sizeof severity_names[0]; i++)
        if (ts_strcasecmp(name, severity_names[i]) == 0) {
            *out = (toksim_severity)i;
            return TOKSIM_OK;
        }
    return TOKSIM_ENOTFOUND;
}

bool toksim_finding_severity(toksim_severity *out, toksim_rule rule)
{
    for (size_t i = 0; i < sizeof finding_table / sizeof finding_table[0]; i++)
        if (finding_table[i].rule == rule) {
            if (out)
                *out = finding_table[i].severity;
            return true;
        }
    return false;
}

toksim_severity toksim_findings_max(const toksim_findings *f)
{
    toksim_severity max = TOKSIM_SEV_INFO;
    if (!f)
        return max;
    for (size_t i = 0; i < f->count; i++)
        if (f->items[i].severity > max)
            max = f->items[i].severity;
    return max;
}

const toksim_finding *toksim_findings_find(const toksim_findings *f, const char *id)
{
    if (!f || !id)
        return NULL;
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].id, id) == 0)
            return &f->items[i];
    return NULL;
}

toksim_status ts_sys_trace(toksim_trace *trace,
                           toksim_rule rule,
                           toksim_verdict verdict,
                           const ts_sys_ev *ev)
{
    toksim_trace_event e = toksim_trace_event_make(rule, verdict);
    if (ev) {
        if (ev->sid) {
            e.has_sid = true;
            e.sid = *ev->sid;
        }
        if (ev->sid2) {
            e.has_sid2 = true;
            e.sid2 = *ev->sid2;
        }
        e.a = ev->a;
        e.b = ev->b;
        e.status = ev->status;
        e.mask = ev->mask;
        if (ev->text)
            (void)ts_put(e.text, sizeof e.text, 0, ev->text); /* issue 11: no snprintf */
    }
    return toksim_trace_add(trace, &e);
}

toksim_status ts_sys_finding(toksim_findings *f,
                             toksim_trace *trace,
                             toksim_rule rule,
                             int step,
                             const toksim_sid *subject,
                             const toksim_sid *client,
                             const char *context)
{
    toksim_severity sev = TOKSIM_SEV_INFO;
    (void)toksim_finding_severity(&sev, rule); /* every caller passes a finding rule */
    if (f) {
        if (f->count < TOKSIM_MAX_FINDINGS) {
            toksim_finding *it = &f->items[f->count++];
            memset(it, 0, sizeof *it);
            it->rule = rule;
            it->id = toksim_rule_get(rule)->id;
            it->severity = sev;
            it->step = step;
            if (subject) {
                it->has_subject = true;
                it->subject = *subject;
            }
            if (client) {
                it->has_client = true;
                it->client = *client;
            }
            if (context)
                (void)ts_put(it->context, sizeof it->context, 0, context);
        } else {
            f->truncated = true;
        }
    }
    ts_sys_ev ev = {.sid = subject, .sid2 = client, .text = context};
    return ts_sys_trace(trace, rule, TOKSIM_V_INFO, &ev);
}

toksim_sid ts_sys_sid(const char *text)
{
    toksim_sid s;
    memset(&s, 0, sizeof s);
    if (toksim_sid_parse(&s, text, NULL) != TOKSIM_OK)
        memset(&s, 0, sizeof s);
    return s;
}
