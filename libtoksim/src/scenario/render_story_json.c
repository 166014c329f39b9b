/*
 * PURPOSE: the story of `toksim explain` as JSON (schemas/explain.schema.json): the
 * scenario's title and description, then per step the sentence of what happened, its
 * note and position, the reasons (every decision of its trace as a sentence; the
 * token-building details the text folds are marked "detail"), the result and the
 * findings, then the sources. Nothing here decides.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/render_int.h"
#include "scenario/model_int.h"

static cJSON *story_step(const toksim_run *run, size_t i)
{
    const toksim_step_result *r = &run->results[i];
    const ts_step *st = &run->sc->steps[i];
    char sum[640], out[512];
    snprintf(sum, sizeof sum, "%s", r->summary && *r->summary ? r->summary : r->op);
    ts_render_sentence(sum, sizeof sum);
    ts_render_outcome(out, sizeof out, r);
    cJSON *o = cJSON_CreateObject(), *reasons = NULL, *fs = NULL;
    bool ok = o && cJSON_AddNumberToObject(o, "number", (double)(i + 1)) &&
              cJSON_AddStringToObject(o, "id", r->id) &&
              cJSON_AddStringToObject(o, "op", r->op) &&
              cJSON_AddNumberToObject(o, "line", st->line) &&
              cJSON_AddNumberToObject(o, "column", st->column) &&
              cJSON_AddStringToObject(o, "what_happened", sum) &&
              (st->note ? cJSON_AddStringToObject(o, "note", st->note)
                        : cJSON_AddNullToObject(o, "note")) &&
              (reasons = cJSON_AddArrayToObject(o, "reasons"));
    for (size_t k = 0; ok && k < r->trace.count; k++) {
        const toksim_trace_event *ev = &r->trace.events[k];
        char t[620];
        ts_render_event_text(t, sizeof t, run, ev);
        ts_render_sentence(t, sizeof t);
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddItemToArray(reasons, e) &&
             cJSON_AddStringToObject(e, "rule", toksim_rule_get(ev->rule)->id) &&
             cJSON_AddStringToObject(e, "verdict", toksim_verdict_name(ev->verdict)) &&
             cJSON_AddNumberToObject(e, "depth", ev->depth) &&
             cJSON_AddBoolToObject(e, "detail", ts_render_folded(r, ev)) &&
             cJSON_AddStringToObject(e, "sentence", t);
    }
    ok = ok && cJSON_AddStringToObject(o, "result", r->ok ? "success" : "failure") &&
         cJSON_AddStringToObject(o, "outcome", out) &&
         (fs = cJSON_AddArrayToObject(o, "findings"));
    for (size_t k = 0; ok && k < r->findings->count; k++) {
        const toksim_finding *f = &r->findings->items[k];
        char ft[512];
        ts_render_finding_text(ft, sizeof ft, run, f);
        ts_render_sentence(ft, sizeof ft);
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddItemToArray(fs, e) &&
             cJSON_AddStringToObject(e, "id", f->id) &&
             cJSON_AddStringToObject(e, "severity", toksim_severity_name(f->severity)) &&
             cJSON_AddStringToObject(e, "sentence", ft);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

toksim_status toksim_scenario_render_story_json(char **out,
                                                const toksim_run *run,
                                                const char *step_id,
                                                unsigned flags)
{
    if (!out || !run)
        return TOKSIM_EINVAL;
    *out = NULL;
    size_t only = run->nresults;
    for (size_t i = 0; step_id && i < run->nresults; i++)
        if (strcmp(run->results[i].id, step_id) == 0)
            only = i;
    if (step_id && only == run->nresults)
        return TOKSIM_ENOTFOUND;
    const toksim_scenario *sc = run->sc;
    cJSON *root = cJSON_CreateObject(), *steps = NULL, *src = NULL;
    bool ok = root && cJSON_AddStringToObject(root, "scenario", sc->name) &&
              cJSON_AddStringToObject(root, "title", sc->title) &&
              cJSON_AddStringToObject(root, "file", sc->where) &&
              cJSON_AddStringToObject(root, "description",
                                      sc->description ? sc->description : "") &&
              ts_model_json(root, sc) &&
              (steps = cJSON_AddArrayToObject(root, "steps")) &&
              (src = cJSON_AddArrayToObject(root, "sources"));
    for (size_t i = 0; ok && i < run->nresults; i++) {
        if (step_id && i != only)
            continue;
        cJSON *s = story_step(run, i);
        ok = s && cJSON_AddItemToArray(steps, s);
        if (!ok)
            cJSON_Delete(s);
    }
    for (size_t i = 0; ok && i < sc->nrefs; i++) {
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddItemToArray(src, e) &&
             cJSON_AddStringToObject(e, "title", sc->refs[i].title) &&
             cJSON_AddStringToObject(e, "url", sc->refs[i].url);
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
