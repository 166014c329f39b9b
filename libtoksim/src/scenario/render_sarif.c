/*
 * PURPOSE: render scenario runs as one SARIF 2.1.0 log (OASIS Static Analysis Results
 * Interchange Format, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html)
 * for code-scanning front ends: every expectation that did not hold (at the line and
 * column of the expectation, with the step as a related location) and every finding (at
 * the line of the step) is a result whose ruleId is described in tool.driver.rules. The
 * log helpers are shared with the policy what-if (diff.c). Nothing here decides.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/render_int.h"
#include "scenario/sarif_int.h"

#define SARIF_SCHEMA                                                                     \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"                \
    "sarif-schema-2.1.0.json"

void ts_render_uri(ts_buf *b, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; p && *p; p++) {
        unsigned char c = *p;
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                    c == '~' || c == '/';
        if (keep) {
            char s[2] = {(char)c, 0};
            ts_buf_append(b, s);
        } else {
            char s[4] = {'%', hex[c >> 4], hex[c & 15], 0};
            ts_buf_append(b, s);
        }
    }
}

toksim_status ts_sarif_begin(ts_sarif *s, const char *tool_name)
{
    memset(s, 0, sizeof *s);
    s->root = cJSON_CreateObject();
    cJSON *runs = NULL, *run = NULL, *tool = NULL, *driver = NULL;
    bool ok = s->root && cJSON_AddStringToObject(s->root, "$schema", SARIF_SCHEMA) &&
              cJSON_AddStringToObject(s->root, "version", "2.1.0") &&
              (runs = cJSON_AddArrayToObject(s->root, "runs")) &&
              (run = cJSON_CreateObject()) && cJSON_AddItemToArray(runs, run) &&
              (tool = cJSON_AddObjectToObject(run, "tool")) &&
              (driver = cJSON_AddObjectToObject(tool, "driver")) &&
              cJSON_AddStringToObject(driver, "name", tool_name) &&
              cJSON_AddStringToObject(driver, "version", toksim_version()) &&
              (s->rules = cJSON_AddArrayToObject(driver, "rules")) &&
              cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints") &&
              (s->results = cJSON_AddArrayToObject(run, "results"));
    if (!ok) {
        cJSON_Delete(s->root);
        s->root = NULL;
        return TOKSIM_ENOMEM;
    }
    return TOKSIM_OK;
}

int ts_sarif_rule(ts_sarif *s, const char *id, const char *text, const char *help)
{
    int i = 0;
    for (const cJSON *r = s->rules->child; r; r = r->next, i++)
        if (strcmp(cJSON_GetObjectItem(r, "id")->valuestring, id) == 0)
            return i;
    cJSON *r = cJSON_CreateObject(), *sd = NULL, *h = NULL;
    if (!r || !cJSON_AddItemToArray(s->rules, r)) {
        cJSON_Delete(r);
        s->failed = true;
        return -1;
    }
    bool ok = cJSON_AddStringToObject(r, "id", id) &&
              (sd = cJSON_AddObjectToObject(r, "shortDescription")) &&
              cJSON_AddStringToObject(sd, "text", text && *text ? text : id) &&
              (!help || !*help ||
               ((h = cJSON_AddObjectToObject(r, "help")) &&
                cJSON_AddStringToObject(h, "text", help)));
    if (!ok) {
        s->failed = true;
        return -1;
    }
    return i;
}

static cJSON *location(const char *file, int line, int column)
{
    cJSON *loc = cJSON_CreateObject(), *pl = NULL, *al = NULL, *rg = NULL;
    ts_buf uri = {0};
    ts_render_uri(&uri, file);
    bool ok = loc && !uri.failed &&
              (pl = cJSON_AddObjectToObject(loc, "physicalLocation")) &&
              (al = cJSON_AddObjectToObject(pl, "artifactLocation")) &&
              cJSON_AddStringToObject(al, "uri", uri.data ? uri.data : "") &&
              (rg = cJSON_AddObjectToObject(pl, "region")) &&
              cJSON_AddNumberToObject(rg, "startLine", line > 0 ? line : 1) &&
              cJSON_AddNumberToObject(rg, "startColumn", column > 0 ? column : 1);
    ts_buf_dispose(&uri);
    if (!ok) {
        cJSON_Delete(loc);
        return NULL;
    }
    return loc;
}

cJSON *ts_sarif_result(ts_sarif *s,
                       int rule_index,
                       const char *rule_id,
                       const char *level,
                       const char *message,
                       const char *file,
                       int line,
                       int column)
{
    cJSON *r = cJSON_CreateObject(), *m = NULL, *locs = NULL, *loc = NULL;
    if (!r || rule_index < 0 || !cJSON_AddItemToArray(s->results, r)) {
        cJSON_Delete(r);
        s->failed = true;
        return NULL;
    }
    bool ok = cJSON_AddStringToObject(r, "ruleId", rule_id) &&
              cJSON_AddNumberToObject(r, "ruleIndex", rule_index) &&
              cJSON_AddStringToObject(r, "level", level) &&
              (m = cJSON_AddObjectToObject(r, "message")) &&
              cJSON_AddStringToObject(m, "text", message) &&
              (locs = cJSON_AddArrayToObject(r, "locations")) &&
              (loc = location(file, line, column));
    if (ok && !cJSON_AddItemToArray(locs, loc)) {
        cJSON_Delete(loc);
        ok = false;
    }
    if (!ok) {
        s->failed = true;
        return NULL;
    }
    return r;
}

bool ts_sarif_related(
    cJSON *result, int id, const char *text, const char *file, int line, int column)
{
    cJSON *rel = cJSON_GetObjectItem(result, "relatedLocations");
    if (!rel)
        rel = cJSON_AddArrayToObject(result, "relatedLocations");
    cJSON *loc = rel ? location(file, line, column) : NULL, *m = NULL;
    if (!loc)
        return false;
    if (!cJSON_AddItemToArray(rel, loc)) {
        cJSON_Delete(loc);
        return false;
    }
    return cJSON_AddNumberToObject(loc, "id", id) &&
           (m = cJSON_AddObjectToObject(loc, "message")) &&
           cJSON_AddStringToObject(m, "text", text);
}

toksim_status ts_sarif_finish(ts_sarif *s, char **out)
{
    *out = NULL;
    if (!s->failed && s->root) {
        char *t = cJSON_Print(s->root);
        if (t) {
            *out = ts_strdup(t);
            cJSON_free(t);
        }
    }
    cJSON_Delete(s->root);
    s->root = NULL;
    return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
}

const char *ts_sarif_level(toksim_severity sev)
{
    return sev >= TOKSIM_SEV_HIGH     ? "error"
           : sev == TOKSIM_SEV_MEDIUM ? "warning"
                                      : "note";
}

/* ---- scenario runs ---- */

typedef struct sarif_ctx {
    ts_sarif *s;
    const toksim_run *run;
} sarif_ctx;

static void sarif_mismatch(const toksim_mismatch *m, void *payload)
{
    sarif_ctx *c = payload;
    int idx =
        ts_sarif_rule(c->s, "toksim.expectation",
                      "A step's outcome differs from the scenario's \"expect\" block",
                      "toksim check compares each field stated in \"expect\" with what "
                      "the model answered (docs/scenario-format.md).");
    char msg[TS_SCEN_MAX_STRING + 128];
    snprintf(msg, sizeof msg, "%s: step \"%s\": %s: expected %s, got %s",
             c->run->sc->name, m->step, m->field, m->expected, m->got);
    cJSON *r = ts_sarif_result(c->s, idx, "toksim.expectation", "error", msg,
                               c->run->sc->where, m->line, m->column);
    for (size_t i = 0; r && i < c->run->nresults; i++)
        if (strcmp(c->run->results[i].id, m->step) == 0 &&
            !ts_sarif_related(r, 1, "the step", c->run->sc->where,
                              c->run->sc->steps[i].line, c->run->sc->steps[i].column))
            c->s->failed = true;
}

static void sarif_findings(ts_sarif *s, const toksim_run *run)
{
    for (size_t i = 0; i < run->nresults; i++) {
        const toksim_step_result *r = &run->results[i];
        for (size_t k = 0; k < r->findings->count; k++) {
            const toksim_finding *f = &r->findings->items[k];
            const toksim_rule_info *ri = toksim_rule_get(f->rule);
            int idx = ts_sarif_rule(s, f->id, ri->summary, ri->citation);
            char ft[512], msg[TS_SCEN_MAX_STRING + 700];
            ts_render_finding_text(ft, sizeof ft, run, f);
            snprintf(msg, sizeof msg, "%s: step \"%s\" (%s): %s", run->sc->name, r->id,
                     r->op, ft);
            ts_sarif_result(s, idx, f->id, ts_sarif_level(f->severity), msg,
                            run->sc->where, run->sc->steps[i].line,
                            run->sc->steps[i].column);
        }
    }
}

struct toksim_sarif_log {
    ts_sarif s;
};

toksim_status toksim_sarif_log_new(toksim_sarif_log **out)
{
    if (!out)
        return TOKSIM_EINVAL;
    *out = ts_calloc(1, sizeof **out);
    if (!*out)
        return TOKSIM_ENOMEM;
    toksim_status rc = ts_sarif_begin(&(*out)->s, "toksim");
    if (rc) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

toksim_status
toksim_sarif_log_add(toksim_sarif_log *log, const toksim_run *run, bool check)
{
    if (!log || !run)
        return TOKSIM_EINVAL;
    sarif_ctx c = {&log->s, run};
    toksim_status rc = TOKSIM_OK;
    if (check)
        rc = toksim_scenario_check(NULL, NULL, run, sarif_mismatch, &c);
    if (!rc)
        sarif_findings(&log->s, run);
    return rc;
}

toksim_status toksim_sarif_log_finish(toksim_sarif_log *log, char **out)
{
    if (!log || !out)
        return TOKSIM_EINVAL;
    *out = NULL;
    toksim_status rc = ts_sarif_finish(&log->s, out);
    log->s.root = NULL; /* ts_sarif_finish consumed the tree */
    return rc;
}

void toksim_sarif_log_free(toksim_sarif_log *log)
{
    if (!log)
        return;
    cJSON_Delete(log->s.root);
    free(log);
}

toksim_status toksim_scenario_render_sarif(char **out,
                                           const toksim_run *const *runs,
                                           size_t nruns,
                                           bool check)
{
    if (!out || (!runs && nruns))
        return TOKSIM_EINVAL;
    *out = NULL;
    toksim_sarif_log *log = NULL;
    toksim_status rc = toksim_sarif_log_new(&log);
    for (size_t i = 0; !rc && i < nruns; i++)
        rc = toksim_sarif_log_add(log, runs[i], check);
    if (!rc)
        rc = toksim_sarif_log_finish(log, out);
    toksim_sarif_log_free(log);
    return rc;
}
