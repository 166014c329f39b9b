/*
 * PURPOSE: `toksim who-can --format json` (schemas/who-can.schema.json): the query, every
 * answer with its masks and decisive events, the Effective Access tab and its
 * differences (--effective), one answer's trace (--explain). Rendering only.
 */
#include <cJSON.h>
#include <stdio.h>
#include "whocan_view.h"

static bool add_hex(cJSON *o, const char *key, uint32_t v)
{
    char b[16];
    snprintf(b, sizeof b, "0x%08X", (unsigned)v);
    return cJSON_AddStringToObject(o, key, b) != NULL;
}

static bool add_sid(cJSON *o,
                    const char *name_key,
                    const char *sid_key,
                    const toksim_sid *sid,
                    const wc_view *v)
{
    char name[600], s[TOKSIM_SID_STRING_MAX];
    wc_name(name, sizeof name, sid, v);
    toksim_sid_format(s, sizeof s, sid);
    return cJSON_AddStringToObject(o, name_key, name) &&
           cJSON_AddStringToObject(o, sid_key, s);
}

static cJSON *event_json(const toksim_trace_event *e, const wc_view *v)
{
    cJSON *o = cJSON_CreateObject();
    char s[700];
    toksim_trace_event_text(s, sizeof s, e, toksim_world_sid_name, v->world);
    bool ok = o && cJSON_AddStringToObject(o, "rule", toksim_rule_get(e->rule)->id) &&
              cJSON_AddStringToObject(o, "verdict", toksim_verdict_name(e->verdict)) &&
              cJSON_AddNumberToObject(o, "index", e->index) &&
              cJSON_AddNumberToObject(o, "depth", e->depth) &&
              add_hex(o, "mask", e->mask) && cJSON_AddStringToObject(o, "sentence", s);
    if (ok && e->has_sid)
        ok = add_sid(o, "name", "sid", &e->sid, v);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *events_json(const toksim_trace *t, const wc_view *v)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && t && i < t->count; i++) {
        cJSON *e = event_json(&t->events[i], v);
        if (!e || !cJSON_AddItemToArray(arr, e)) {
            cJSON_Delete(e);
            cJSON_Delete(arr);
            return NULL;
        }
    }
    return arr;
}

static cJSON *reasons_json(const toksim_whocan_reason *r, size_t n, const wc_view *v)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < n; i++) {
        toksim_trace_event ev = toksim_trace_event_make(r[i].rule, r[i].verdict);
        ev.index = r[i].index;
        ev.mask = r[i].mask;
        ev.privilege = r[i].privilege;
        ev.a = r[i].a;
        ev.b = r[i].b;
        ev.status = r[i].status;
        ev.has_sid = r[i].has_sid;
        ev.sid = r[i].sid;
        snprintf(ev.text, sizeof ev.text, "%s", r[i].text);
        cJSON *e = event_json(&ev, v);
        if (!e || !cJSON_AddItemToArray(arr, e)) {
            cJSON_Delete(e);
            cJSON_Delete(arr);
            return NULL;
        }
    }
    return arr;
}

static cJSON *answer_json(const toksim_whocan_answer *a, const wc_view *v)
{
    cJSON *o = cJSON_CreateObject();
    const char *sym = toksim_win32_name(a->logon_win32);
    bool ok =
        o && add_sid(o, "principal", "sid", &a->principal, v) &&
        cJSON_AddStringToObject(o, "principal_kind",
                                toksim_whocan_principal_kind_name(a->principal_kind)) &&
        cJSON_AddStringToObject(o, "logon_type", toksim_logon_type_name(a->logon_type)) &&
        cJSON_AddStringToObject(o, "token",
                                toksim_whocan_token_kind_name(a->token_kind)) &&
        cJSON_AddStringToObject(o, "via", a->via) &&
        cJSON_AddBoolToObject(o, "logon_ok", a->logon_ok) &&
        cJSON_AddNumberToObject(o, "logon_error", a->logon_win32) &&
        cJSON_AddStringToObject(o, "logon_error_name",
                                a->logon_win32 && sym ? sym : "") &&
        cJSON_AddBoolToObject(o, "granted", a->granted);
    if (ok && v->q->kind == TOKSIM_WHOCAN_ACCESS) {
        ok = add_hex(o, "granted_mask", a->granted_mask) &&
             add_hex(o, "maximum_mask", a->maximum_mask);
        if (ok && a->via_share)
            ok = add_hex(o, "share_mask", a->share_mask) &&
                 add_hex(o, "ntfs_mask", a->ntfs_mask);
    }
    if (ok && v->q->kind == TOKSIM_WHOCAN_PRIVILEGE)
        ok = cJSON_AddBoolToObject(o, "enabled", a->enabled) != NULL;
    cJSON *r = ok ? reasons_json(a->reasons, a->reason_count, v) : NULL;
    if (!r || !cJSON_AddItemToObject(o, "reasons", r)) {
        cJSON_Delete(r);
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *query_json(const wc_view *v)
{
    cJSON *o = cJSON_CreateObject();
    static const char *const kinds[] = {"access", "privilege", "logon_right"};
    bool ok = o && cJSON_AddStringToObject(o, "kind", kinds[v->q->kind]);
    if (ok && v->q->kind == TOKSIM_WHOCAN_ACCESS) {
        char names[512];
        toksim_access_mask_describe(names, sizeof names, v->q->desired,
                                    v->q->object_type);
        ok = cJSON_AddStringToObject(o, "object", v->object) &&
             cJSON_AddStringToObject(o, "type",
                                     toksim_object_type_name(v->q->object_type)) &&
             add_hex(o, "desired", v->q->desired) &&
             cJSON_AddStringToObject(o, "desired_names", names) &&
             cJSON_AddBoolToObject(o, "remote", v->q->remote) &&
             cJSON_AddBoolToObject(o, "share", v->q->share_sd != NULL);
    } else if (ok) {
        ok = cJSON_AddStringToObject(o, "right", v->right_name) != NULL;
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *effective_json(const wc_view *v)
{
    cJSON *o = cJSON_CreateObject(), *tab = cJSON_CreateObject(),
          *rows = cJSON_CreateArray();
    bool ok = o && tab && rows && add_sid(o, "principal", "sid", &v->tab->principal, v) &&
              cJSON_AddBoolToObject(tab, "granted", v->tab->granted) &&
              add_hex(tab, "granted_mask", v->tab->granted_mask);
    cJSON *r = ok ? reasons_json(v->tab->reasons, v->tab->reason_count, v) : NULL;
    ok = r && cJSON_AddItemToObject(tab, "reasons", r);
    if (!ok)
        cJSON_Delete(r);
    size_t n = toksim_whocan_answer_count(v->res);
    for (size_t i = 0; ok && i < n; i++) {
        const toksim_whocan_answer *a = toksim_whocan_answer_at(v->res, i);
        cJSON *row = cJSON_CreateObject();
        cJSON *d = events_json(&v->diffs[i], v);
        ok = row && d &&
             cJSON_AddStringToObject(row, "logon_type",
                                     toksim_logon_type_name(a->logon_type)) &&
             cJSON_AddStringToObject(row, "token",
                                     toksim_whocan_token_kind_name(a->token_kind)) &&
             cJSON_AddBoolToObject(row, "logon_ok", a->logon_ok) &&
             cJSON_AddBoolToObject(row, "granted", a->granted) &&
             add_hex(row, "maximum_mask", a->maximum_mask) &&
             cJSON_AddBoolToObject(row, "same_as_tab", v->diffs[i].count == 0) &&
             cJSON_AddItemToObject(row, "differences", d);
        if (!ok) {
            if (!row || !cJSON_GetObjectItem(row, "differences"))
                cJSON_Delete(d);
            cJSON_Delete(row);
        } else {
            ok = cJSON_AddItemToArray(rows, row);
        }
    }
    if (ok)
        ok = cJSON_AddItemToObject(o, "tab", tab) && (tab = NULL, true) &&
             cJSON_AddItemToObject(o, "logon_types", rows) && (rows = NULL, true);
    cJSON_Delete(tab);
    cJSON_Delete(rows);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

int whocan_render_json(const wc_view *v)
{
    cJSON *root = cJSON_CreateObject(), *answers = cJSON_CreateArray();
    const char *os = toksim_world_os_profile(v->world);
    cJSON *q = query_json(v);
    bool ok = root && answers && q && cJSON_AddItemToObject(root, "query", q);
    if (!ok)
        cJSON_Delete(q);
    ok = ok &&
         cJSON_AddStringToObject(root, "machine", toksim_world_machine_name(v->world)) &&
         cJSON_AddStringToObject(root, "os", os ? os : "") &&
         cJSON_AddNumberToObject(root, "principals_considered",
                                 (double)toksim_whocan_principal_count(v->res));
    size_t n = toksim_whocan_answer_count(v->res);
    for (size_t i = 0; ok && i < n; i++) {
        cJSON *a = answer_json(toksim_whocan_answer_at(v->res, i), v);
        ok = a && cJSON_AddItemToArray(answers, a);
        if (!ok)
            cJSON_Delete(a);
    }
    ok = ok && cJSON_AddItemToObject(root, "answers", answers) && (answers = NULL, true);
    cJSON *notes = ok ? events_json(toksim_whocan_trace(v->res), v) : NULL;
    ok = notes && cJSON_AddItemToObject(root, "notes", notes);
    if (!ok)
        cJSON_Delete(notes);
    if (ok && v->effective) {
        cJSON *e = effective_json(v);
        ok = e && cJSON_AddItemToObject(root, "effective", e);
        if (!ok)
            cJSON_Delete(e);
    }
    if (ok && v->explain) {
        cJSON *x = cJSON_CreateObject(), *a = answer_json(v->ex_answer, v),
              *t = events_json(v->ex_trace, v);
        ok = x && a && t && cJSON_AddStringToObject(x, "principal", v->ex_name) &&
             cJSON_AddItemToObject(x, "answer", a) && (a = NULL, true) &&
             cJSON_AddItemToObject(x, "trace", t) && (t = NULL, true) &&
             cJSON_AddItemToObject(root, "explain", x) && (x = NULL, true);
        cJSON_Delete(a);
        cJSON_Delete(t);
        cJSON_Delete(x);
    }
    cJSON_Delete(answers);
    if (!ok) {
        cJSON_Delete(root);
        return EXIT_INTERNAL;
    }
    return cli_print_json(root);
}
