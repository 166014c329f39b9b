/*
 * PURPOSE: render a scenario run as TAP test points (Test Anything Protocol, version 14;
 * https://testanything.org/tap-version-14-specification.html), one per step: "ok N -
 * scenario: step (op)" or "not ok N - ..." followed by an indented YAML diagnostic block
 * (file, line, and each expectation that did not hold, or the step's outcome). The
 * caller writes the "TAP version 14" line and the plan; test points use only what TAP 13
 * consumers read too (prove, tap-parser). Nothing here decides.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/render_int.h"

void ts_render_quoted(ts_buf *b, const char *s)
{
    ts_buf_append(b, "\"");
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            ts_buf_printf(b, "\\%c", c);
        else if (c == '\n')
            ts_buf_append(b, "\\n");
        else if (c < 0x20 || c == 0x7f)
            ts_buf_printf(b, "\\x%02x", c);
        else
            ts_buf_appendn(b, s, 1);
    }
    ts_buf_append(b, "\"");
}

typedef struct tap_ctx {
    ts_buf *per_step; /* YAML list items of the mismatches, one buffer per step */
    size_t *fails;
    const toksim_run *run;
} tap_ctx;

static void tap_mismatch(const toksim_mismatch *m, void *payload)
{
    tap_ctx *c = payload;
    for (size_t i = 0; i < c->run->nresults; i++) {
        if (strcmp(c->run->results[i].id, m->step) != 0)
            continue;
        ts_buf *b = &c->per_step[i];
        ts_buf_append(b, "    - field: ");
        ts_render_quoted(b, m->field);
        ts_buf_append(b, "\n      expected: ");
        ts_render_quoted(b, m->expected);
        ts_buf_append(b, "\n      got: ");
        ts_render_quoted(b, m->got);
        ts_buf_printf(b, "\n      line: %d\n      column: %d\n", m->line, m->column);
        c->fails[i]++;
    }
}

/* A test point's description must not contain '#' (a directive would start) and is one
 * line. */
static void tap_desc(ts_buf *b, const char *s)
{
    for (; s && *s; s++)
        ts_buf_appendn(b, *s == '#' ? "+" : (*s == '\n' || *s == '\r') ? " " : s, 1);
}

static void tap_point(ts_buf *b,
                      const toksim_run *run,
                      size_t i,
                      size_t number,
                      bool check,
                      const tap_ctx *c)
{
    const toksim_step_result *r = &run->results[i];
    const ts_step *st = &run->sc->steps[i];
    bool failed = check ? c->fails[i] != 0 : !r->ok;
    ts_buf_printf(b, "%s %zu - ", failed ? "not ok" : "ok", number);
    tap_desc(b, run->sc->name);
    ts_buf_append(b, ": ");
    tap_desc(b, r->id);
    ts_buf_append(b, " (");
    tap_desc(b, r->op);
    ts_buf_append(b, ")\n");
    if (!failed)
        return;
    char line[512];
    ts_render_outcome(line, sizeof line, r);
    ts_buf_append(b, "  ---\n  message: ");
    if (check) {
        char msg[96];
        snprintf(msg, sizeof msg, "%zu expectation(s) did not hold", c->fails[i]);
        ts_render_quoted(b, msg);
    } else {
        ts_render_quoted(b, r->summary ? r->summary : "");
    }
    ts_buf_append(b, "\n  severity: fail\n  file: ");
    ts_render_quoted(b, run->sc->where);
    ts_buf_printf(b, "\n  line: %d\n  column: %d\n  outcome: ", st->line, st->column);
    ts_render_quoted(b, line[0] ? line : (r->ok ? "success" : "failure"));
    ts_buf_append(b, "\n");
    if (check) {
        ts_buf_append(b, "  mismatches:\n");
        ts_buf_append(b, c->per_step[i].data ? c->per_step[i].data : "");
    }
    ts_buf_append(b, "  ...\n");
}

toksim_status toksim_scenario_render_tap(char **out,
                                         size_t *next_number,
                                         const toksim_run *run,
                                         bool check,
                                         size_t first_number)
{
    if (!out || !run || first_number == 0)
        return TOKSIM_EINVAL;
    *out = NULL;
    size_t n = run->nresults;
    tap_ctx c = {ts_calloc(n ? n : 1, sizeof(ts_buf)),
                 ts_calloc(n ? n : 1, sizeof(size_t)), run};
    toksim_status rc = (c.per_step && c.fails) ? TOKSIM_OK : TOKSIM_ENOMEM;
    if (!rc && check)
        rc = toksim_scenario_check(NULL, NULL, run, tap_mismatch, &c);
    ts_buf b = {0};
    for (size_t i = 0; !rc && i < n; i++)
        tap_point(&b, run, i, first_number + i, check, &c);
    for (size_t i = 0; c.per_step && i < n; i++) {
        if (c.per_step[i].failed)
            rc = TOKSIM_ENOMEM;
        ts_buf_dispose(&c.per_step[i]);
    }
    free(c.per_step);
    free(c.fails);
    if (rc || b.failed) {
        ts_buf_dispose(&b);
        return rc ? rc : TOKSIM_ENOMEM;
    }
    if (next_number)
        *next_number = first_number + n;
    *out = n ? ts_buf_take(&b) : ts_strdup("");
    return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
}
