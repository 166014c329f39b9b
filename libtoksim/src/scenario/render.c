/*
 * PURPOSE: render a scenario run: text (one block per step, with --explain the decision
 * chain), JSON (via cJSON, deterministic key order), JUnit XML (for CI) and the
 * plain-sentence story of `toksim explain`. Trace events become sentences through
 * toksim_trace_event_text() with a SID namer that knows the world's account names.
 * Nothing here decides anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/render_int.h"
#include "scenario/run_int.h"
#include "scenario/model_int.h"

#define WRAP 92

static const char *const level_names[] = {"Anonymous", "Identification", "Impersonation",
                                          "Delegation"};

const char *ts_render_level_name(toksim_imp_level l)
{
    return (unsigned)l < 4 ? level_names[l] : "?";
}

/* Append text word-wrapped at WRAP columns; every line starts with `indent` spaces (first
 * too). */
static void wrap(ts_buf *b, const char *text, int indent, int hang)
{
    int col = 0;
    const char *p = text;
    bool first = true;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\n')
            e++;
        int wlen = (int)(e - p);
        if (first) {
            ts_buf_printf(b, "%*s", indent, "");
            col = indent;
            first = false;
        } else if (col + 1 + wlen > WRAP) {
            ts_buf_printf(b, "\n%*s", indent + hang, "");
            col = indent + hang;
        } else {
            ts_buf_append(b, " ");
            col++;
        }
        ts_buf_appendn(b, p, (size_t)wlen);
        col += wlen;
        p = e;
        if (*p == '\n') {
            p++;
            first = true;
            ts_buf_append(b, "\n");
        }
    }
    ts_buf_append(b, "\n");
}

void ts_render_event_text(char *buf,
                          size_t n,
                          const toksim_run *run,
                          const toksim_trace_event *ev)
{
    size_t need =
        toksim_trace_event_text(buf, n, ev, toksim_scenario_sid_name, (void *)run);
    if (need == 0 || !buf[0]) {
        const toksim_rule_info *ri = toksim_rule_get(ev->rule);
        snprintf(buf, n, "%s", ri && ri->summary ? ri->summary : "(event)");
    }
}

/* A finding as a sentence: its rule's template filled with the finding's principals and
 * context. */
void ts_render_finding_text(char *buf,
                            size_t n,
                            const toksim_run *run,
                            const toksim_finding *f)
{
    toksim_trace_event ev = toksim_trace_event_make(f->rule, TOKSIM_V_INFO);
    ev.has_sid = f->has_subject;
    ev.sid = f->subject;
    ev.has_sid2 = f->has_client;
    ev.sid2 = f->client;
    snprintf(ev.text, sizeof ev.text, "%s", f->context);
    ts_render_event_text(buf, n, run, &ev);
}

void ts_render_outcome(char *buf, size_t n, const toksim_step_result *r)
{
    char ename[96];
    ts_result_error_name(ename, sizeof ename, r);
    ts_buf b = {0};
    if (r->has_http)
        ts_buf_printf(&b, "HTTP %d, ", r->http);
    if (r->win32 || r->hresult || r->ntstatus || (r->has_wbem && r->wbem)) {
        ts_buf_append(&b, ename);
        if (r->has_wbem && r->wbem)
            ts_buf_printf(&b, " (WBEM 0x%08X)", (unsigned)r->wbem);
        else if (r->hresult)
            ts_buf_printf(&b, " (HRESULT 0x%08X)", (unsigned)r->hresult);
        else if (r->win32)
            ts_buf_printf(&b, " (Win32 %u)", (unsigned)r->win32);
        ts_buf_append(&b, ", ");
    }
    if (r->has_level) {
        /* the level of a thread's token, or of a token a step made (logon, duplicate,
         * AccessCheck) */
        bool thread = strncmp(r->op, "thread.", 7) == 0 ||
                      strcmp(r->op, "object.open") == 0 ||
                      strcmp(r->op, "iis.request") == 0 ||
                      strcmp(r->op, "wmi.query") == 0 || strcmp(r->op, "com.call") == 0;
        ts_buf_printf(&b, "%s at %s level, ", thread ? "thread token" : "token",
                      ts_render_level_name(r->level));
    }
    size_t len = b.failed ? 0 : b.len;
    if (len >= 2 && b.data[len - 2] == ',')
        len -= 2; /* drop the trailing ", " */
    snprintf(buf, n, "%.*s", (int)len, b.data ? b.data : "");
    ts_buf_dispose(&b);
}

/*
 * Token-building details (each group added, each privilege granted) make long chains when
 * a step builds a token on the way (a pool worker, a provider host). Text views fold
 * them, except those about SeImpersonatePrivilege and the groups that carry it
 * (IIS_IUSRS, SERVICE): the privilege every seeded case turns on. JSON keeps every event.
 */
bool ts_render_folded(const toksim_step_result *r, const toksim_trace_event *ev)
{
    static const char *const detail[] = {
        "logon.group.added", "logon.group.nested", "logon.privilege.granted",
        "logon.privilege.enabled_by_default", "logon.privilege.disabled"};
    if (strcmp(r->op, "logon") == 0 || ev->verdict == TOKSIM_V_DENY)
        return false;
    const toksim_rule_info *ri = toksim_rule_get(ev->rule);
    bool is_detail = false;
    for (size_t i = 0; ri && i < sizeof detail / sizeof detail[0]; i++)
        if (strcmp(ri->id, detail[i]) == 0)
            is_detail = true;
    if (!is_detail)
        return false;
    if (ev->privilege == TOKSIM_PRIV_IMPERSONATE)
        return false;
    const toksim_wellknown *wk =
        ev->has_sid ? toksim_wellknown_by_sid(&ev->sid, NULL) : NULL;
    if (wk && wk->alias && (strcmp(wk->alias, "SU") == 0 || strcmp(wk->alias, "IS") == 0))
        return false; /* NT AUTHORITY\SERVICE, BUILTIN\IIS_IUSRS */
    return true;
}

static size_t count_folded(const toksim_step_result *r)
{
    size_t n = 0;
    for (size_t k = 0; k < r->trace.count; k++)
        n += ts_render_folded(r, &r->trace.events[k]);
    return n;
}

/* ---- text ---- */

/* ANSI SGR colours (TOKSIM_RENDER_COLOR): green ok, bold red FAILED and denials. */
#define SGR_OK   "\033[32m"
#define SGR_FAIL "\033[1;31m"
#define SGR_DENY "\033[31m"
#define SGR_OFF  "\033[0m"

static void
text_step(ts_buf *b, const toksim_run *run, size_t i, bool explain, bool color)
{
    const toksim_step_result *r = &run->results[i];
    ts_buf_printf(b, "  %s%-7s%s %s (%s)\n", color ? (r->ok ? SGR_OK : SGR_FAIL) : "",
                  r->ok ? "ok" : "FAILED", color ? SGR_OFF : "", r->id, r->op);
    if (r->summary && *r->summary)
        wrap(b, r->summary, 10, 2);
    char line[512];
    ts_render_outcome(line, sizeof line, r);
    if (line[0]) {
        char tmp[600];
        snprintf(tmp, sizeof tmp, "-> %s", line);
        wrap(b, tmp, 10, 3);
    }
    for (size_t k = 0; k < r->findings->count; k++) {
        char ft[512], tmp[700];
        ts_render_finding_text(ft, sizeof ft, run, &r->findings->items[k]);
        snprintf(tmp, sizeof tmp, "! finding [%s] %s: %s",
                 toksim_severity_name(r->findings->items[k].severity),
                 r->findings->items[k].id, ft);
        wrap(b, tmp, 10, 2);
    }
    if (!explain)
        return;
    const char *note = run->sc->steps[i].note;
    if (note) {
        char tmp[TS_SCEN_MAX_STRING + 16];
        snprintf(tmp, sizeof tmp, "note: %s", note);
        wrap(b, tmp, 10, 6);
    }
    if (r->trace.count)
        ts_buf_printf(b, "%10swhy:\n", "");
    size_t nfold = count_folded(r);
    if (nfold)
        ts_buf_printf(b,
                      "%12s(%zu token-building details folded: toksim run --format json "
                      "shows them)\n",
                      "", nfold);
    for (size_t k = 0; k < r->trace.count; k++) {
        const toksim_trace_event *ev = &r->trace.events[k];
        if (ts_render_folded(r, ev))
            continue;
        char t[600], tmp[640];
        ts_render_event_text(t, sizeof t, run, ev);
        snprintf(tmp, sizeof tmp, "%s %s",
                 ev->verdict == TOKSIM_V_DENY    ? "x"
                 : ev->verdict == TOKSIM_V_GRANT ? "+"
                                                 : "-",
                 t);
        int depth = ev->depth < 6 ? ev->depth : 6;
        bool red = color && ev->verdict == TOKSIM_V_DENY;
        if (red)
            ts_buf_append(b, SGR_DENY);
        wrap(b, tmp, 12 + 2 * depth, 2);
        if (red) { /* close the colour before the line's newline */
            if (b->len && !b->failed)
                b->len--;
            ts_buf_append(b, SGR_OFF "\n");
        }
    }
    if (r->trace.truncated)
        ts_buf_printf(b, "%12s(trace truncated)\n", "");
}

toksim_status
toksim_scenario_render_text(char **out, const toksim_run *run, unsigned flags)
{
    if (!out || !run)
        return TOKSIM_EINVAL;
    bool explain = flags & TOKSIM_RENDER_EXPLAIN;
    const toksim_scenario *sc = run->sc;
    ts_buf b = {0};
    ts_buf_printf(&b, "== %s (%s)\n", sc->name, sc->where);
    wrap(&b, sc->title, 3, 0);
    ts_model_text(&b, sc, "   model switches changed from default: ");
    if (explain && sc->description && *sc->description) {
        ts_buf_append(&b, "\n");
        wrap(&b, sc->description, 3, 0);
    }
    ts_buf_append(&b, "\n");
    for (size_t i = 0; i < run->nresults; i++) {
        text_step(&b, run, i, explain, (flags & TOKSIM_RENDER_COLOR) != 0);
        if (explain)
            ts_buf_append(&b, "\n");
    }
    if (explain && sc->nrefs) {
        ts_buf_append(&b, "   references:\n");
        for (size_t i = 0; i < sc->nrefs; i++)
            ts_buf_printf(&b, "     - %s%s%s%s\n", sc->refs[i].title,
                          *sc->refs[i].url ? " <" : "", sc->refs[i].url,
                          *sc->refs[i].url ? ">" : "");
        ts_buf_append(&b, "\n");
    } else if (!explain) {
        ts_buf_append(&b, "\n");
    }
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

static cJSON *step_json(const toksim_run *run, size_t i)
{
    const toksim_step_result *r = &run->results[i];
    cJSON *s = cJSON_CreateObject();
    if (!s)
        return NULL;
    char ename[96];
    ts_result_error_name(ename, sizeof ename, r);
    bool ok = cJSON_AddStringToObject(s, "id", r->id) &&
              cJSON_AddStringToObject(s, "op", r->op) &&
              cJSON_AddBoolToObject(s, "ok", r->ok) &&
              cJSON_AddStringToObject(s, "error", strcmp(ename, "none") ? ename : "") &&
              cJSON_AddNumberToObject(s, "win32", r->win32) &&
              add_hex(s, "ntstatus", r->ntstatus) && add_hex(s, "hresult", r->hresult);
    if (ok && r->has_http)
        ok = cJSON_AddNumberToObject(s, "http", r->http) != NULL;
    if (ok && r->has_wbem)
        ok = add_hex(s, "wbem", r->wbem);
    if (ok && r->has_granted)
        ok = add_hex(s, "granted", r->granted);
    if (ok && r->has_level)
        ok = cJSON_AddStringToObject(s, "impersonation_level",
                                     ts_render_level_name(r->level)) != NULL;
    if (ok && r->has_answer) /* token.check_membership, privilege.check ... */
        ok = cJSON_AddBoolToObject(s, "answer", r->answer) != NULL;
    if (ok)
        ok = cJSON_AddStringToObject(s, "summary", r->summary ? r->summary : "") != NULL;
    cJSON *fs = ok ? cJSON_AddArrayToObject(s, "findings") : NULL;
    for (size_t k = 0; fs && k < r->findings->count; k++) {
        const toksim_finding *f = &r->findings->items[k];
        cJSON *fo = cJSON_CreateObject();
        char ft[256];
        ts_render_finding_text(ft, sizeof ft, run, f);
        if (!fo || !cJSON_AddItemToArray(fs, fo) ||
            !cJSON_AddStringToObject(fo, "id", f->id) ||
            !cJSON_AddStringToObject(fo, "severity", toksim_severity_name(f->severity)) ||
            !cJSON_AddStringToObject(fo, "message", ft))
            ok = false;
    }
    cJSON *tr = ok ? cJSON_AddArrayToObject(s, "trace") : NULL;
    for (size_t k = 0; tr && k < r->trace.count; k++) {
        const toksim_trace_event *ev = &r->trace.events[k];
        const toksim_rule_info *ri = toksim_rule_get(ev->rule);
        char t[600];
        ts_render_event_text(t, sizeof t, run, ev);
        cJSON *eo = cJSON_CreateObject();
        if (!eo || !cJSON_AddItemToArray(tr, eo) ||
            !cJSON_AddStringToObject(eo, "rule", ri ? ri->id : "none") ||
            !cJSON_AddStringToObject(eo, "verdict", toksim_verdict_name(ev->verdict)) ||
            !cJSON_AddNumberToObject(eo, "depth", ev->depth) ||
            !cJSON_AddStringToObject(eo, "text", t))
            ok = false;
    }
    if (!ok || !fs || !tr) {
        cJSON_Delete(s);
        return NULL;
    }
    return s;
}

toksim_status
toksim_scenario_render_json(char **out, const toksim_run *run, unsigned flags)
{
    if (!out || !run)
        return TOKSIM_EINVAL;
    *out = NULL;
    cJSON *root = cJSON_CreateObject();
    cJSON *steps = NULL;
    bool ok = root && cJSON_AddStringToObject(root, "scenario", run->sc->name) &&
              cJSON_AddStringToObject(root, "title", run->sc->title) &&
              cJSON_AddStringToObject(root, "file", run->sc->where) &&
              ts_model_json(root, run->sc) &&
              (steps = cJSON_AddArrayToObject(root, "steps")) != NULL;
    for (size_t i = 0; ok && i < run->nresults; i++) {
        cJSON *s = step_json(run, i);
        ok = s && cJSON_AddItemToArray(steps, s);
        if (!ok)
            cJSON_Delete(s);
    }
    if (ok)
        *out = (flags & TOKSIM_RENDER_PRETTY) ? cJSON_Print(root)
                                              : cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
}

/* ---- JUnit ---- */

static void xml_escape(ts_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            ts_buf_append(b, "&lt;");
            break;
        case '>':
            ts_buf_append(b, "&gt;");
            break;
        case '&':
            ts_buf_append(b, "&amp;");
            break;
        case '"':
            ts_buf_append(b, "&quot;");
            break;
        case '\'':
            ts_buf_append(b, "&apos;");
            break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                ts_buf_append(b, " ");
            else
                ts_buf_appendn(b, s, 1);
        }
    }
}

typedef struct junit_ctx {
    ts_buf *per_step; /* one buffer of failure lines per step */
    size_t *fails;
    const toksim_run *run;
} junit_ctx;

static void junit_mismatch(const toksim_mismatch *m, void *payload)
{
    junit_ctx *c = payload;
    for (size_t i = 0; i < c->run->nresults; i++)
        if (strcmp(c->run->results[i].id, m->step) == 0) {
            ts_buf_printf(&c->per_step[i], "%s: expected %s, got %s\n", m->field,
                          m->expected, m->got);
            c->fails[i]++;
        }
}

toksim_status toksim_scenario_render_junit(char **out, const toksim_run *run, bool check)
{
    if (!out || !run)
        return TOKSIM_EINVAL;
    *out = NULL;
    size_t n = run->nresults;
    junit_ctx c = {ts_calloc(n, sizeof(ts_buf)), ts_calloc(n, sizeof(size_t)), run};
    if (!c.per_step || !c.fails) {
        free(c.per_step);
        free(c.fails);
        return TOKSIM_ENOMEM;
    }
    toksim_status rc = TOKSIM_OK;
    if (check)
        rc = toksim_scenario_check(NULL, NULL, run, junit_mismatch, &c);
    size_t failures = 0;
    for (size_t i = 0; i < n; i++)
        if (check ? c.fails[i] != 0 : !run->results[i].ok)
            failures++;
    ts_buf b = {0};
    ts_buf_append(&b, "  <testsuite name=\"");
    xml_escape(&b, run->sc->name);
    ts_buf_printf(&b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
                  n, failures);
    for (size_t i = 0; i < n; i++) {
        const toksim_step_result *r = &run->results[i];
        ts_buf_append(&b, "    <testcase classname=\"");
        xml_escape(&b, run->sc->name);
        ts_buf_append(&b, "\" name=\"");
        xml_escape(&b, r->id);
        ts_buf_append(&b, " (");
        xml_escape(&b, r->op);
        ts_buf_append(&b, ")\"");
        bool failed = check ? c.fails[i] != 0 : !r->ok;
        if (!failed) {
            ts_buf_append(&b, "/>\n");
            continue;
        }
        ts_buf_append(&b, ">\n      <failure message=\"");
        if (check) {
            ts_buf_printf(&b, "%zu expectation(s) did not hold\">", c.fails[i]);
            xml_escape(&b, c.per_step[i].data);
        } else {
            char line[512];
            ts_render_outcome(line, sizeof line, r);
            xml_escape(&b, line);
            ts_buf_append(&b, "\">");
            xml_escape(&b, r->summary);
        }
        ts_buf_append(&b, "</failure>\n    </testcase>\n");
    }
    ts_buf_append(&b, "  </testsuite>\n");
    for (size_t i = 0; i < n; i++)
        ts_buf_dispose(&c.per_step[i]);
    free(c.per_step);
    free(c.fails);
    if (rc || b.failed) {
        ts_buf_dispose(&b);
        return rc ? rc : TOKSIM_ENOMEM;
    }
    *out = ts_buf_take(&b);
    return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
}

/* ---- the story ---- */

/* A trace sentence as a sentence: capital first letter, final full stop. */
void ts_render_sentence(char *buf, size_t n)
{
    size_t len = strlen(buf);
    if (len && buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
    if (len && len + 1 < n && buf[len - 1] != '.' && buf[len - 1] != ':' &&
        buf[len - 1] != '!' && buf[len - 1] != '?') {
        buf[len] = '.';
        buf[len + 1] = '\0';
    }
}

static void story_step(ts_buf *b, const toksim_run *run, size_t i)
{
    const toksim_step_result *r = &run->results[i];
    const ts_step *st = &run->sc->steps[i];
    char sum[640], head[700];
    snprintf(sum, sizeof sum, "%s", r->summary && *r->summary ? r->summary : r->op);
    ts_render_sentence(sum, sizeof sum);
    snprintf(head, sizeof head, "%zu. %s", i + 1, sum);
    wrap(b, head, 0, 3);
    if (st->note)
        wrap(b, st->note, 3, 0);
    ts_buf_printf(b, "   (step \"%s\", %s, %s line %d)\n", r->id, r->op, run->sc->where,
                  st->line);
    for (size_t k = 0; k < r->trace.count; k++) {
        const toksim_trace_event *ev = &r->trace.events[k];
        if (ts_render_folded(r, ev))
            continue;
        char t[620];
        ts_render_event_text(t, sizeof t, run, ev);
        ts_render_sentence(t, sizeof t);
        int depth = ev->depth < 4 ? ev->depth : 4;
        char tmp[660];
        snprintf(tmp, sizeof tmp, "%s %s", ev->verdict == TOKSIM_V_DENY ? "x" : "-", t);
        wrap(b, tmp, 3 + 2 * depth, 2);
    }
    char line[512];
    ts_render_outcome(line, sizeof line, r);
    char res[700];
    snprintf(res, sizeof res, "Result: %s%s%s", r->ok ? "success" : "failure",
             line[0] ? ", " : "", line);
    ts_render_sentence(res, sizeof res);
    wrap(b, res, 3, 2);
    for (size_t k = 0; k < r->findings->count; k++) {
        char ft[256], tmp[400];
        ts_render_finding_text(ft, sizeof ft, run, &r->findings->items[k]);
        snprintf(tmp, sizeof tmp, "Finding (%s severity, %s): %s",
                 toksim_severity_name(r->findings->items[k].severity),
                 r->findings->items[k].id, ft);
        ts_render_sentence(tmp, sizeof tmp);
        wrap(b, tmp, 3, 2);
    }
    ts_buf_append(b, "\n");
}

toksim_status
toksim_scenario_render_story(char **out, const toksim_run *run, const char *step_id)
{
    if (!out || !run)
        return TOKSIM_EINVAL;
    *out = NULL;
    const toksim_scenario *sc = run->sc;
    size_t only = run->nresults;
    if (step_id) {
        for (size_t i = 0; i < run->nresults; i++)
            if (strcmp(run->results[i].id, step_id) == 0)
                only = i;
        if (only == run->nresults)
            return TOKSIM_ENOTFOUND;
    }
    ts_buf b = {0};
    ts_buf_printf(&b, "%s\n", sc->title);
    for (size_t i = 0; sc->title[i] && i < 200; i++)
        ts_buf_append(&b, "=");
    ts_buf_append(&b, "\n");
    if (!step_id && sc->description && *sc->description) {
        wrap(&b, sc->description, 0, 0);
    }
    ts_model_text(&b, sc, "\nModel switches changed from default: ");
    ts_buf_append(&b, "\n");
    for (size_t i = 0; i < run->nresults; i++)
        if (!step_id || i == only)
            story_step(&b, run, i);
    if (!step_id && sc->nrefs) {
        ts_buf_append(&b, "Sources:\n");
        for (size_t i = 0; i < sc->nrefs; i++)
            ts_buf_printf(&b, "  - %s%s%s%s\n", sc->refs[i].title,
                          *sc->refs[i].url ? " <" : "", sc->refs[i].url,
                          *sc->refs[i].url ? ">" : "");
    }
    if (b.failed) {
        ts_buf_dispose(&b);
        return TOKSIM_ENOMEM;
    }
    *out = ts_buf_take(&b);
    return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
}
