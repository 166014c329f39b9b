/*
 * PURPOSE: `toksim who-can` as text: one line per principal and logon type (granted
 * mask, or held/enabled, or the logon-right verdict), each followed by the sentences of
 * its decisive events; the Effective Access tab next to the real logon types
 * (--effective); one answer's full trace (--explain). Rendering only.
 */
#include <stdio.h>
#include <string.h>
#include "whocan_view.h"

void wc_name(char *buf, size_t n, const toksim_sid *sid, const wc_view *v)
{
    toksim_world_sid_name(buf, n, sid, v->world);
}

void wc_mask_text(char *buf, size_t n, uint32_t mask, const wc_view *v)
{
    char names[512];
    toksim_access_mask_describe(names, sizeof names, mask, v->q->object_type);
    snprintf(buf, n, "0x%08X (%s)", (unsigned)mask, mask ? names : "nothing");
}

void wc_reason_text(char *buf, size_t n, const toksim_whocan_reason *r, const wc_view *v)
{
    toksim_trace_event ev = toksim_trace_event_make(r->rule, r->verdict);
    ev.index = r->index;
    ev.mask = r->mask;
    ev.privilege = r->privilege;
    ev.a = r->a;
    ev.b = r->b;
    ev.status = r->status;
    ev.has_sid = r->has_sid;
    ev.sid = r->sid;
    snprintf(ev.text, sizeof ev.text, "%s", r->text);
    toksim_trace_event_text(buf, n, &ev, toksim_world_sid_name, v->world);
}

static void
verdict_text(char *buf, size_t n, const toksim_whocan_answer *a, const wc_view *v)
{
    char m[600];
    if (!a->logon_ok && v->q->kind != TOKSIM_WHOCAN_LOGON_RIGHT) {
        const char *sym = toksim_win32_name(a->logon_win32);
        snprintf(buf, n, "no token: logon fails with %u %s", (unsigned)a->logon_win32,
                 sym ? sym : "");
    } else if (v->q->kind == TOKSIM_WHOCAN_PRIVILEGE) {
        snprintf(buf, n, "%s",
                 !a->granted  ? "not held"
                 : a->enabled ? "held, enabled"
                              : "held, disabled");
    } else if (v->q->kind == TOKSIM_WHOCAN_LOGON_RIGHT) {
        const char *sym = toksim_win32_name(a->logon_win32);
        snprintf(buf, n, "%s%s%s", a->granted ? "granted" : "not granted",
                 !a->logon_ok && a->logon_win32 ? ", logon fails: " : "",
                 !a->logon_ok && a->logon_win32 && sym ? sym : "");
    } else if (a->granted) {
        wc_mask_text(m, sizeof m, a->maximum_mask, v);
        snprintf(buf, n, "granted; MAXIMUM_ALLOWED %s", m);
    } else {
        wc_mask_text(m, sizeof m, a->maximum_mask, v);
        snprintf(buf, n, "not granted; MAXIMUM_ALLOWED %s", m);
    }
}

static void answer_line(const toksim_whocan_answer *a, const wc_view *v)
{
    char name[600], verdict[900];
    wc_name(name, sizeof name, &a->principal, v);
    verdict_text(verdict, sizeof verdict, a, v);
    char line[2048];
    snprintf(line, sizeof line, "  %s [%s] %s, %s token%s%s: %s\n", name,
             toksim_whocan_principal_kind_name(a->principal_kind),
             toksim_logon_type_name(a->logon_type),
             toksim_whocan_token_kind_name(a->token_kind), a->via[0] ? " of " : "",
             a->via, verdict);
    cli_put_text(line);
    if (a->via_share) {
        char s[600], f[600];
        wc_mask_text(s, sizeof s, a->share_mask, v);
        wc_mask_text(f, sizeof f, a->ntfs_mask, v);
        snprintf(line, sizeof line, "      share permissions %s; NTFS %s\n", s, f);
        cli_put_text(line);
    }
    for (size_t i = 0; i < a->reason_count; i++) {
        char r[700];
        wc_reason_text(r, sizeof r, &a->reasons[i], v);
        snprintf(line, sizeof line, "      - %s\n", r);
        cli_put_text(line);
    }
}

static void heading(const wc_view *v)
{
    char line[2048], m[600];
    const char *os = toksim_world_os_profile(v->world);
    if (v->q->kind == TOKSIM_WHOCAN_ACCESS) {
        wc_mask_text(m, sizeof m, v->q->desired, v);
        snprintf(line, sizeof line, "who can get %s on %s (%s)%s\n", m, v->object,
                 toksim_object_type_name(v->q->object_type),
                 v->q->share_sd ? " through its share"
                 : v->q->remote ? " over the network"
                                : "");
    } else {
        snprintf(line, sizeof line, "who %s %s\n",
                 v->q->kind == TOKSIM_WHOCAN_PRIVILEGE ? "holds" : "is granted",
                 v->right_name);
    }
    cli_put_text(line);
    size_t granted = 0, n = toksim_whocan_answer_count(v->res);
    for (size_t i = 0; i < n; i++)
        granted += toksim_whocan_answer_at(v->res, i)->granted;
    snprintf(line, sizeof line,
             "world %s (%s profile): %zu principals considered, %zu granted answers\n\n",
             toksim_world_machine_name(v->world), os ? os : "?",
             toksim_whocan_principal_count(v->res), granted);
    cli_put_text(line);
}

static void effective(const wc_view *v)
{
    char line[2048], name[600], m[600];
    wc_name(name, sizeof name, &v->tab->principal, v);
    wc_mask_text(m, sizeof m, v->tab->granted_mask, v);
    snprintf(line, sizeof line,
             "\nEffective Access tab for %s (docs/who-can.md: no logon-type SIDs, no "
             "share permissions, no UAC):\n  tab shows %s: %s\n",
             name, v->tab->granted ? "granted" : "not granted", m);
    cli_put_text(line);
    size_t n = toksim_whocan_answer_count(v->res);
    for (size_t i = 0; i < n; i++) {
        const toksim_whocan_answer *a = toksim_whocan_answer_at(v->res, i);
        char verdict[900];
        verdict_text(verdict, sizeof verdict, a, v);
        bool same = v->diffs[i].count == 0;
        snprintf(line, sizeof line, "  %s (%s token): %s%s\n",
                 toksim_logon_type_name(a->logon_type),
                 toksim_whocan_token_kind_name(a->token_kind), verdict,
                 same ? " (as the tab shows)" : "");
        cli_put_text(line);
        for (size_t j = 0; j < v->diffs[i].count; j++) {
            char s[700];
            toksim_trace_event_text(s, sizeof s, &v->diffs[i].events[j],
                                    toksim_world_sid_name, v->world);
            snprintf(line, sizeof line, "      differs: %s\n", s);
            cli_put_text(line);
        }
    }
}

static void explained(const wc_view *v)
{
    char line[2048], verdict[900];
    verdict_text(verdict, sizeof verdict, v->ex_answer, v);
    snprintf(line, sizeof line, "\ntrace of %s (%s, %s token): %s\n", v->ex_name,
             toksim_logon_type_name(v->ex_answer->logon_type),
             toksim_whocan_token_kind_name(v->ex_answer->token_kind), verdict);
    cli_put_text(line);
    for (size_t i = 0; i < v->ex_trace->count; i++) {
        const toksim_trace_event *e = &v->ex_trace->events[i];
        char s[700];
        toksim_trace_event_text(s, sizeof s, e, toksim_world_sid_name, v->world);
        snprintf(line, sizeof line, "  %*s[%s] %s\n", 2 * e->depth, "",
                 toksim_rule_get(e->rule)->id, s);
        cli_put_text(line);
    }
}

int whocan_render_text(const wc_view *v)
{
    heading(v);
    const toksim_trace *qt = toksim_whocan_trace(v->res);
    for (size_t i = 0; qt && i < qt->count; i++) {
        char s[700], line[800];
        if (qt->events[i].rule == TOKSIM_RULE_QUERY_WHOCAN_SERVICE_TOKEN)
            continue; /* shown on each answer ("of service x") */
        toksim_trace_event_text(s, sizeof s, &qt->events[i], toksim_world_sid_name,
                                v->world);
        snprintf(line, sizeof line, "note: %s\n", s);
        cli_put_text(line);
    }
    size_t n = toksim_whocan_answer_count(v->res);
    if (!n)
        cli_put_text("  (nobody)\n");
    for (size_t i = 0; i < n; i++)
        answer_line(toksim_whocan_answer_at(v->res, i), v);
    if (v->effective)
        effective(v);
    if (v->explain)
        explained(v);
    return EXIT_OK;
}
