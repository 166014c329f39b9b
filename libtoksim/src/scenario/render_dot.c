/*
 * PURPOSE: render a scenario run as a Graphviz digraph (`dot -Tsvg`): the processes the
 * steps started (with their primary tokens), their extra threads, the named tokens, the
 * impersonation edges each step made with the level the thread ended up at, and the
 * steps in order, each linked to what it touched. A step that failed on Windows' side is
 * filled red, and so are its edges; an impersonation that ended below Impersonation level
 * (the silent Identify downgrade) is drawn red too. Nothing here decides.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/render_int.h"
#include "toksim/impersonate.h"

#define RED "#c0392b"

static long named_index(const toksim_run *run, const char *name)
{
    for (size_t i = 0; name && i < run->nnamed; i++)
        if (strcmp(run->named[i].name, name) == 0)
            return (long)i;
    return -1;
}

static void user_of(char *buf, size_t n, const toksim_run *run, const toksim_token *t)
{
    buf[0] = '\0';
    if (t && toksim_token_user(t))
        ts_run_sid_name(buf, n, run, toksim_token_user(t));
}

static void
node(ts_buf *b, const char *id, const char *shape, const char *label, const char *extra)
{
    ts_buf_printf(b, "  %s [shape=%s, label=", id, shape);
    ts_render_quoted(b, label);
    ts_buf_printf(b, "%s%s];\n", extra && *extra ? ", " : "", extra ? extra : "");
}

static void named_nodes(ts_buf *b, const toksim_run *run)
{
    for (size_t i = 0; i < run->nnamed; i++) {
        const ts_named *n = &run->named[i];
        char id[32], user[160], label[400];
        snprintf(id, sizeof id, "n%zu", i);
        if (n->kind == TS_N_PROCESS) {
            const toksim_token *t = ts_named_primary(n);
            user_of(user, sizeof user, run, t);
            snprintf(label, sizeof label, "%s\n(%s)", n->name, n->what);
            node(b, id, "box", label, "style=rounded");
            snprintf(label, sizeof label, "primary token\n%s", user);
            ts_buf_printf(b, "  p%zu [shape=note, label=", i);
            ts_render_quoted(b, label);
            ts_buf_printf(b, "];\n  n%zu -> p%zu [label=\"primary\"];\n", i, i);
        } else if (n->kind == TS_N_THREAD) {
            snprintf(label, sizeof label, "thread %s", n->name);
            node(b, id, "ellipse", label, NULL);
            const char *colon = strchr(n->name, ':');
            for (size_t k = 0; colon && k < run->nnamed; k++)
                if (run->named[k].kind == TS_N_PROCESS &&
                    strlen(run->named[k].name) == (size_t)(colon - n->name) &&
                    strncmp(run->named[k].name, n->name, (size_t)(colon - n->name)) == 0)
                    ts_buf_printf(b, "  n%zu -> n%zu [label=\"thread\", style=dotted];\n",
                                  k, i);
        } else if (n->kind == TS_N_TOKEN) {
            user_of(user, sizeof user, run, n->token);
            bool prim =
                n->token && toksim_token_type_of(n->token) == TOKSIM_TOKEN_PRIMARY;
            snprintf(label, sizeof label, "token %s\n%s\n%s", n->name, user,
                     prim ? "Primary"
                          : ts_render_level_name(n->token ? toksim_token_level(n->token)
                                                          : TOKSIM_IMP_ANONYMOUS));
            node(b, id, "note", label, NULL);
        } else {
            snprintf(label, sizeof label, "%s %s", n->what, n->name);
            node(b, id, "component", label, NULL);
        }
    }
}

/* The thread a step acted on: its "thread" parameter, else the pool or process it names.
 */
static long step_actor(const toksim_run *run, const ts_step *st)
{
    static const char *const keys[] = {"thread", "pool", "process", "host", "server"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        long i = named_index(run, ts_step_str(st, keys[k]));
        if (i >= 0)
            return i;
    }
    return -1;
}

static void step_nodes(ts_buf *b, const toksim_run *run)
{
    ts_buf_append(b, "  subgraph cluster_steps {\n    label=\"steps\"; style=dashed;\n");
    for (size_t i = 0; i < run->nresults; i++) {
        const toksim_step_result *r = &run->results[i];
        char out[512], label[800];
        ts_render_outcome(out, sizeof out, r);
        snprintf(label, sizeof label, "%zu. %s\n%s\n%s", i + 1, r->id, r->op,
                 out[0] ? out : (r->ok ? "ok" : "failed"));
        ts_buf_printf(b, "    s%zu [shape=box, label=", i);
        ts_render_quoted(b, label);
        ts_buf_append(b, r->ok ? "];\n"
                               : ", style=filled, fillcolor=\"#f4cccc\", color=\"" RED
                                 "\", penwidth=2];\n");
        if (i)
            ts_buf_printf(b, "    s%zu -> s%zu [color=gray];\n", i - 1, i);
    }
    ts_buf_append(b, "  }\n");
}

static void step_edges(ts_buf *b, const toksim_run *run)
{
    for (size_t i = 0; i < run->nresults; i++) {
        const toksim_step_result *r = &run->results[i];
        const ts_step *st = &run->sc->steps[i];
        /* what the step touched (every parameter that names a thing) */
        for (size_t k = 0; k < st->nparams; k++) {
            const ts_param *p = &st->params[k];
            long t = p->kind == TS_PV_STRING ? named_index(run, p->str) : -1;
            if (t >= 0)
                ts_buf_printf(
                    b, "  s%zu -> n%ld [style=dashed, color=gray, arrowhead=none];\n", i,
                    t);
        }
        /* impersonation edges: the steps that put a client's token on a thread (a step
         * that only uses the thread, an object open, shows its level in its box) */
        bool imp = strstr(r->op, "impersonate") || strcmp(r->op, "iis.request") == 0 ||
                   strcmp(r->op, "com.call") == 0 || strcmp(r->op, "wmi.query") == 0;
        if (!r->has_level || !imp)
            continue;
        long actor = step_actor(run, st);
        if (actor < 0)
            continue;
        /* whose token the thread ended up holding: a named token, else the client */
        long target = named_index(run, ts_step_str(st, "token"));
        if (target < 0 || run->named[target].kind != TS_N_TOKEN) {
            char who[160];
            const char *u = ts_step_str(st, "user");
            if (!u)
                u = ts_step_str(st, "client");
            if (!u) {
                user_of(who, sizeof who, run, r->token);
                u = who;
            }
            char label[220];
            snprintf(label, sizeof label, "client\n%s", *u ? u : "?");
            ts_buf_printf(b, "  c%zu [shape=note, label=", i);
            ts_render_quoted(b, label);
            ts_buf_append(b, "];\n");
            ts_buf_printf(b, "  n%ld -> c%zu", actor, i);
        } else {
            ts_buf_printf(b, "  n%ld -> n%ld", actor, target);
        }
        bool bad = !r->ok || r->level < TOKSIM_IMP_IMPERSONATION;
        char label[200];
        snprintf(label, sizeof label, "%s: impersonates at %s", r->id,
                 ts_render_level_name(r->level));
        ts_buf_append(b, " [label=");
        ts_render_quoted(b, label);
        ts_buf_append(b, bad ? ", color=\"" RED "\", fontcolor=\"" RED
                               "\", penwidth=2];\n"
                             : ", color=\"#1e8449\"];\n");
    }
}

toksim_status toksim_scenario_render_dot(char **out, const toksim_run *run)
{
    if (!out || !run)
        return TOKSIM_EINVAL;
    *out = NULL;
    ts_buf b = {0};
    ts_buf_append(&b, "digraph ");
    ts_render_quoted(&b, run->sc->name);
    ts_buf_append(&b,
                  " {\n  graph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", label=");
    char title[TS_SCEN_MAX_STRING + 64];
    snprintf(title, sizeof title, "%s\n%s", run->sc->title, run->sc->where);
    ts_render_quoted(&b, title);
    ts_buf_append(&b, "];\n  node [fontname=\"Helvetica\", fontsize=10];\n"
                      "  edge [fontname=\"Helvetica\", fontsize=9];\n");
    named_nodes(&b, run);
    step_nodes(&b, run);
    step_edges(&b, run);
    ts_buf_append(&b, "}\n");
    if (b.failed) {
        ts_buf_dispose(&b);
        return TOKSIM_ENOMEM;
    }
    *out = ts_buf_take(&b);
    return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
}
