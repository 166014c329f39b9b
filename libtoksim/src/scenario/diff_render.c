/*
 * PURPOSE: render a policy what-if (toksim/diff.h) as text, JSON
 * (schemas/diff.schema.json) or a SARIF 2.1.0 log whose results point at the template
 * line behind each change. Nothing here decides.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/diff_int.h"
#include "scenario/render_int.h"
#include "scenario/sarif_int.h"

#define SGR_A   "\033[31m"
#define SGR_B   "\033[32m"
#define SGR_OFF "\033[0m"

static void sids_text(ts_buf *b, const ts_diff_sids *l)
{
    if (!l->n)
        ts_buf_append(b, "-");
    for (size_t i = 0; i < l->n; i++) {
        char nm[160];
        toksim_sid_display_name(nm, sizeof nm, &l->v[i], NULL);
        ts_buf_printf(b, "%s%s", i ? ", " : "", nm);
    }
}

/* "A.inf:9" or "A.inf (not defined: the profile's list)" */
static void where_of(char *buf, size_t n, const char *file, int line)
{
    if (line > 0)
        snprintf(buf, n, "%s:%d", file, line);
    else
        snprintf(buf, n, "%s (does not define it)", file);
}

toksim_status toksim_diff_render_text(char **out, const toksim_diff *d, unsigned flags)
{
    if (!out || !d)
        return TOKSIM_EINVAL;
    bool color = flags & TOKSIM_RENDER_COLOR;
    const char *ca = color ? SGR_A : "", *cb = color ? SGR_B : "",
               *co = color ? SGR_OFF : "";
    ts_buf b = {0};
    ts_buf_printf(&b, "policy what-if: A = %s, B = %s\n\n", d->file[0], d->file[1]);
    ts_buf_printf(&b,
                  "User rights that differ (each template applied to the %s profile):\n",
                  d->os);
    if (!d->nrights)
        ts_buf_append(&b, "  none\n");
    for (size_t i = 0; i < d->nrights; i++) {
        const ts_diff_right *r = &d->rights[i];
        char wa[300], wb[300];
        where_of(wa, sizeof wa, d->file[0], r->line_a);
        where_of(wb, sizeof wb, d->file[1], r->line_b);
        ts_buf_printf(&b, "  %s\n    A: %s\n    B: %s\n    %sgains under B:%s ", r->name,
                      wa, wb, cb, co);
        sids_text(&b, &r->gained);
        ts_buf_printf(&b, "\n    %sloses under B:%s ", ca, co);
        sids_text(&b, &r->lost);
        ts_buf_append(&b, "\n");
    }
    ts_buf_append(&b, "\nSteps whose outcome differs:\n");
    if (!d->nsteps)
        ts_buf_append(&b, "  none\n");
    for (size_t i = 0; i < d->nsteps; i++) {
        const ts_diff_step *s = &d->steps[i];
        ts_buf_printf(&b, "  %s:%d:%d: %s: step \"%s\" (%s)\n", s->file, s->line,
                      s->column, s->scenario, s->step, s->op);
        ts_buf_printf(&b, "    %sA: %s%s%s\n", ca, s->a.ok ? "success" : "failure",
                      s->a.text[0] ? ", " : "", s->a.text);
        ts_buf_printf(&b, "    %sB: %s%s%s%s\n", cb, s->b.ok ? "success" : "failure",
                      s->b.text[0] ? ", " : "", s->b.text, co);
        ts_buf_printf(&b, "    changed: %s\n", s->fields);
        if (s->rule_a || s->rule_b)
            ts_buf_printf(
                &b, "    first decision that differs: A %s (%s), B %s (%s)\n",
                s->rule_a ? s->rule_a : "(none)", s->verdict_a ? s->verdict_a : "-",
                s->rule_b ? s->rule_b : "(none)", s->verdict_b ? s->verdict_b : "-");
        for (size_t k = 0; k < s->ncauses; k++) {
            const ts_diff_cause *c = &s->causes[k];
            char wa[300], wb[300];
            where_of(wa, sizeof wa, d->file[0], c->line_a);
            where_of(wb, sizeof wb, d->file[1], c->line_b);
            ts_buf_printf(&b, "    because of %s%s: A %s, B %s\n", c->name,
                          c->guessed ? " (differs in this world; no decision names it)"
                                     : "",
                          wa, wb);
            if (c->gained[0])
                ts_buf_printf(&b, "      gains under B: %s\n", c->gained);
            if (c->lost[0])
                ts_buf_printf(&b, "      loses under B: %s\n", c->lost);
        }
    }
    ts_buf_printf(&b,
                  "\n%zu right(s) differ; %zu step(s) differ in %zu of %zu scenario(s)\n",
                  d->nrights, d->nsteps, d->nchanged, d->nscenarios);
    if (b.failed) {
        ts_buf_dispose(&b);
        return TOKSIM_ENOMEM;
    }
    *out = ts_buf_take(&b);
    return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
}

/* ---- JSON ---- */

static bool add_hex(cJSON *o, const char *k, uint32_t v)
{
    char h[16];
    snprintf(h, sizeof h, "0x%08X", (unsigned)v);
    return cJSON_AddStringToObject(o, k, h) != NULL;
}

static cJSON *outcome_json(const ts_diff_outcome *o)
{
    cJSON *j = cJSON_CreateObject();
    bool ok =
        j && cJSON_AddBoolToObject(j, "ok", o->ok) &&
        cJSON_AddStringToObject(j, "error", strcmp(o->error, "none") ? o->error : "") &&
        cJSON_AddNumberToObject(j, "win32", o->win32) &&
        add_hex(j, "ntstatus", o->ntstatus) && add_hex(j, "hresult", o->hresult) &&
        (!o->has_http || cJSON_AddNumberToObject(j, "http", o->http)) &&
        (!o->has_wbem || add_hex(j, "wbem", o->wbem)) &&
        (!o->has_granted || add_hex(j, "granted", o->granted)) &&
        (!o->has_level || cJSON_AddStringToObject(j, "impersonation_level",
                                                  ts_render_level_name(o->level))) &&
        cJSON_AddStringToObject(j, "outcome", o->text) &&
        cJSON_AddStringToObject(j, "summary", o->summary);
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static bool sids_json(cJSON *o, const char *key, const ts_diff_sids *l)
{
    cJSON *a = cJSON_AddArrayToObject(o, key);
    for (size_t i = 0; a && i < l->n; i++) {
        char s[TOKSIM_SID_STRING_MAX], nm[160];
        toksim_sid_format(s, sizeof s, &l->v[i]);
        toksim_sid_display_name(nm, sizeof nm, &l->v[i], NULL);
        cJSON *e = cJSON_CreateObject();
        if (!e || !cJSON_AddItemToArray(a, e)) {
            cJSON_Delete(e);
            return false;
        }
        if (!cJSON_AddStringToObject(e, "sid", s) ||
            !cJSON_AddStringToObject(e, "name", nm))
            return false;
    }
    return a != NULL;
}

static bool line_json(cJSON *o, const char *key, int line)
{
    return line > 0 ? cJSON_AddNumberToObject(o, key, line) != NULL
                    : cJSON_AddNullToObject(o, key) != NULL;
}

/* A JSON array of the items of a `sep`-separated list. */
static bool split_names(cJSON *o, const char *key, const char *list, const char *sep)
{
    cJSON *a = cJSON_AddArrayToObject(o, key);
    const char *p = list;
    while (a && p && *p) {
        const char *e = strstr(p, sep);
        size_t n = e ? (size_t)(e - p) : strlen(p);
        cJSON *s = cJSON_CreateString("");
        if (!s || !cJSON_AddItemToArray(a, s)) {
            cJSON_Delete(s);
            return false;
        }
        char *v = ts_strndup(p, n);
        if (!v)
            return false;
        cJSON_SetValuestring(s, v);
        free(v);
        p = e ? e + strlen(sep) : NULL;
    }
    return a != NULL;
}

static cJSON *step_json(const ts_diff_step *s)
{
    cJSON *o = cJSON_CreateObject(), *causes = NULL, *dec = NULL, *oa = NULL, *ob = NULL;
    bool ok = o && cJSON_AddStringToObject(o, "file", s->file) &&
              cJSON_AddNumberToObject(o, "line", s->line) &&
              cJSON_AddNumberToObject(o, "column", s->column) &&
              cJSON_AddStringToObject(o, "scenario", s->scenario) &&
              cJSON_AddStringToObject(o, "step", s->step) &&
              cJSON_AddStringToObject(o, "op", s->op) &&
              split_names(o, "changed", s->fields, ",") && (oa = outcome_json(&s->a)) &&
              cJSON_AddItemToObject(o, "a", oa) && (ob = outcome_json(&s->b)) &&
              cJSON_AddItemToObject(o, "b", ob) &&
              (dec = cJSON_AddObjectToObject(o, "first_difference")) &&
              (s->rule_a ? cJSON_AddStringToObject(dec, "a", s->rule_a)
                         : cJSON_AddNullToObject(dec, "a")) &&
              (s->rule_b ? cJSON_AddStringToObject(dec, "b", s->rule_b)
                         : cJSON_AddNullToObject(dec, "b")) &&
              (causes = cJSON_AddArrayToObject(o, "causes"));
    if (!ok) {
        if (o && oa && !cJSON_GetObjectItem(o, "a"))
            cJSON_Delete(oa);
        if (o && ob && !cJSON_GetObjectItem(o, "b"))
            cJSON_Delete(ob);
        cJSON_Delete(o);
        return NULL;
    }
    for (size_t k = 0; ok && k < s->ncauses; k++) {
        const ts_diff_cause *c = &s->causes[k];
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddItemToArray(causes, e) &&
             cJSON_AddStringToObject(e, "right", c->name) &&
             line_json(e, "line_a", c->line_a) && line_json(e, "line_b", c->line_b) &&
             cJSON_AddBoolToObject(e, "named_by_a_decision", !c->guessed) &&
             split_names(e, "gained", c->gained, ", ") &&
             split_names(e, "lost", c->lost, ", ");
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

toksim_status toksim_diff_render_json(char **out, const toksim_diff *d, unsigned flags)
{
    if (!out || !d)
        return TOKSIM_EINVAL;
    *out = NULL;
    cJSON *root = cJSON_CreateObject(), *pa = NULL, *rights = NULL, *steps = NULL;
    bool ok = root && (pa = cJSON_AddObjectToObject(root, "policies")) &&
              cJSON_AddStringToObject(pa, "a", d->file[0]) &&
              cJSON_AddStringToObject(pa, "b", d->file[1]) &&
              cJSON_AddStringToObject(root, "os_profile", d->os) &&
              cJSON_AddBoolToObject(root, "changed", toksim_diff_changed(d)) &&
              cJSON_AddNumberToObject(root, "scenarios", (double)d->nscenarios) &&
              cJSON_AddNumberToObject(root, "changed_scenarios", (double)d->nchanged) &&
              (rights = cJSON_AddArrayToObject(root, "rights")) &&
              (steps = cJSON_AddArrayToObject(root, "steps"));
    for (size_t i = 0; ok && i < d->nrights; i++) {
        const ts_diff_right *r = &d->rights[i];
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddItemToArray(rights, e) &&
             cJSON_AddStringToObject(e, "right", r->name) &&
             line_json(e, "line_a", r->line_a) && line_json(e, "line_b", r->line_b) &&
             sids_json(e, "gained", &r->gained) && sids_json(e, "lost", &r->lost);
    }
    for (size_t i = 0; ok && i < d->nsteps; i++) {
        cJSON *s = step_json(&d->steps[i]);
        ok = s && cJSON_AddItemToArray(steps, s);
        if (!ok)
            cJSON_Delete(s);
    }
    if (ok) {
        char *t = (flags & TOKSIM_RENDER_PRETTY) ? cJSON_Print(root)
                                                 : cJSON_PrintUnformatted(root);
        if (t) {
            *out = ts_strdup(t);
            cJSON_free(t);
        }
    }
    cJSON_Delete(root);
    return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
}

/* ---- SARIF ---- */

toksim_status toksim_diff_render_sarif(char **out, const toksim_diff *d)
{
    if (!out || !d)
        return TOKSIM_EINVAL;
    *out = NULL;
    ts_sarif s;
    toksim_status rc = ts_sarif_begin(&s, "toksim diff");
    if (rc)
        return rc;
    int rr =
        ts_sarif_rule(&s, "toksim.diff.right",
                      "A user right has other holders under template B than under A",
                      "Each template is applied as a GPO to the OS profile's default "
                      "User Rights Assignment; a right it defines replaces the list.");
    int rs =
        ts_sarif_rule(&s, "toksim.diff.step",
                      "A scenario step has another outcome under template B than under A",
                      "The scenario is replayed with each template applied over its "
                      "world; the result points at the template line of the right "
                      "behind the change.");
    for (size_t i = 0; i < d->nrights; i++) {
        const ts_diff_right *r = &d->rights[i];
        ts_buf m = {0};
        ts_buf_printf(&m, "%s differs: gains under B: ", r->name);
        sids_text(&m, &r->gained);
        ts_buf_append(&m, "; loses under B: ");
        sids_text(&m, &r->lost);
        bool at_b = r->line_b > 0;
        cJSON *res = ts_sarif_result(&s, rr, "toksim.diff.right", "warning",
                                     m.data ? m.data : r->name, d->file[at_b ? 1 : 0],
                                     at_b ? r->line_b : r->line_a, 1);
        if (res && at_b && r->line_a > 0 &&
            !ts_sarif_related(res, 1, "the same right in template A", d->file[0],
                              r->line_a, 1))
            s.failed = true;
        ts_buf_dispose(&m);
    }
    for (size_t i = 0; i < d->nsteps; i++) {
        const ts_diff_step *st = &d->steps[i];
        char msg[1600];
        snprintf(msg, sizeof msg, "%s: step \"%s\" (%s): A: %s%s%s; B: %s%s%s%s%s",
                 st->scenario, st->step, st->op, st->a.ok ? "success" : "failure",
                 st->a.text[0] ? ", " : "", st->a.text, st->b.ok ? "success" : "failure",
                 st->b.text[0] ? ", " : "", st->b.text,
                 st->ncauses ? "; because of " : "",
                 st->ncauses ? st->causes[0].name : "");
        const ts_diff_cause *c = st->ncauses ? &st->causes[0] : NULL;
        const char *file = st->file;
        int line = st->line, col = st->column;
        if (c && (c->line_b > 0 || c->line_a > 0)) {
            file = d->file[c->line_b > 0 ? 1 : 0];
            line = c->line_b > 0 ? c->line_b : c->line_a;
            col = 1;
        }
        cJSON *res =
            ts_sarif_result(&s, rs, "toksim.diff.step", "warning", msg, file, line, col);
        if (res && file != st->file &&
            !ts_sarif_related(res, 1, "the step whose outcome changes", st->file,
                              st->line, st->column))
            s.failed = true;
    }
    return ts_sarif_finish(&s, out);
}
