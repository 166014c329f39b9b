/*
 * PURPOSE: toksim_paths_find, the TEACHING MODEL of escalation paths: the graph (one node
 * per identity, the sources first, NT AUTHORITY\SYSTEM, the identities derived on the
 * way), built breadth-first from the sources with the edges of paths_edges.c, then every
 * simple chain of at most TOKSIM_PATH_MAX_DEPTH edges from a source to the target. A
 * chain holds only when every edge holds (and an edge only when every precondition
 * does); a failing precondition makes it fail; otherwise it stays conditional.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "query/paths_int.h"

const char *toksim_path_state_name(toksim_path_state s)
{
    switch (s) {
    case TOKSIM_PATH_HOLDS:
        return "holds";
    case TOKSIM_PATH_UNKNOWN:
        return "unknown";
    case TOKSIM_PATH_FAILS:
        return "fails";
    }
    return "unknown";
}

void toksim_paths_request_init(toksim_paths_request *req)
{
    if (!req)
        return;
    memset(req, 0, sizeof *req);
    req->write_restricted_blocks = true;
}

void toksim_paths_free(toksim_paths *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->path_count; i++)
        free(p->paths[i].edges);
    free(p->paths);
    free(p->edges);
    free(p->nodes);
    free(p);
}

size_t ts_path_node(ts_path_graph *g, const char *name, toksim_token *tok, bool source)
{
    toksim_paths *p = g->out;
    for (size_t i = 0; i < p->node_count; i++)
        if (strcmp(p->nodes[i].name, name) == 0) {
            toksim_token_free(tok);
            return i;
        }
    size_t cap = g->node_cap;
    if (!ts_grow((void **)&p->nodes, &cap, p->node_count + 1, sizeof *p->nodes) ||
        !ts_grow((void **)&g->tokens, &g->node_cap, p->node_count + 1,
                 sizeof *g->tokens)) {
        toksim_token_free(tok);
        return SIZE_MAX;
    }
    toksim_path_node *n = &p->nodes[p->node_count];
    memset(n, 0, sizeof *n);
    snprintf(n->name, sizeof n->name, "%s", name);
    n->source = source;
    if (tok)
        n->sid = *toksim_token_user(tok);
    g->tokens[p->node_count] = tok;
    return p->node_count++;
}

toksim_status ts_path_add_edge(ts_path_graph *g, const toksim_path_edge *e)
{
    toksim_paths *p = g->out;
    if (!ts_grow((void **)&p->edges, &g->edge_cap, p->edge_count + 1, sizeof *p->edges))
        return TOKSIM_ENOMEM;
    toksim_path_edge *d = &p->edges[p->edge_count++];
    *d = *e;
    d->state = TOKSIM_PATH_HOLDS;
    for (size_t i = 0; i < d->condition_count; i++)
        if (d->conditions[i].state > d->state)
            d->state = d->conditions[i].state;
    return TOKSIM_OK;
}

/* A node's name, its identity before " (", the account after '\', or its SID. */
static bool target_matches(const toksim_path_node *n, const char *t)
{
    if (ts_strcasecmp(n->name, t) == 0)
        return true;
    const char *paren = strstr(n->name, " (");
    size_t len = paren ? (size_t)(paren - n->name) : strlen(n->name);
    if (strlen(t) == len && ts_strncasecmp(n->name, t, len) == 0)
        return true;
    const char *bs = memchr(n->name, '\\', len);
    if (bs) {
        size_t rest = len - (size_t)(bs + 1 - n->name);
        if (strlen(t) == rest && ts_strncasecmp(bs + 1, t, rest) == 0)
            return true;
    }
    char sid[TOKSIM_SID_STRING_MAX];
    toksim_sid_format(sid, sizeof sid, &n->sid);
    return ts_strcasecmp(sid, t) == 0;
}

typedef struct walk {
    ts_path_graph *g;
    size_t stack[TOKSIM_PATH_MAX_DEPTH];
    size_t depth;
    bool on_path[1024];
    toksim_status rc;
    size_t path_cap;
} walk;

static void record(walk *w)
{
    toksim_paths *p = w->g->out;
    if (!ts_grow((void **)&p->paths, &w->path_cap, p->path_count + 1, sizeof *p->paths)) {
        w->rc = TOKSIM_ENOMEM;
        return;
    }
    toksim_path *c = &p->paths[p->path_count];
    c->edges = ts_calloc(w->depth, sizeof *c->edges);
    if (!c->edges) {
        w->rc = TOKSIM_ENOMEM;
        return;
    }
    c->count = w->depth;
    c->state = TOKSIM_PATH_HOLDS;
    for (size_t i = 0; i < w->depth; i++) {
        c->edges[i] = w->stack[i];
        if (p->edges[w->stack[i]].state > c->state)
            c->state = p->edges[w->stack[i]].state;
    }
    p->path_count++;
}

static void dfs(walk *w, size_t node)
{
    toksim_paths *p = w->g->out;
    if (p->nodes[node].target && w->depth) {
        record(w);
        return;
    }
    if (w->depth == TOKSIM_PATH_MAX_DEPTH || node >= 1024)
        return;
    w->on_path[node] = true;
    for (size_t i = 0; w->rc == TOKSIM_OK && i < p->edge_count; i++) {
        const toksim_path_edge *e = &p->edges[i];
        if (e->from != node || e->to >= 1024 || w->on_path[e->to])
            continue;
        w->stack[w->depth++] = i;
        dfs(w, e->to);
        w->depth--;
    }
    w->on_path[node] = false;
}

static int by_state(const void *a, const void *b)
{
    const toksim_path *x = a, *y = b;
    if (x->state != y->state)
        return (int)x->state - (int)y->state;
    if (x->count != y->count)
        return (x->count > y->count) - (x->count < y->count);
    for (size_t i = 0; i < x->count; i++)
        if (x->edges[i] != y->edges[i])
            return (x->edges[i] > y->edges[i]) - (x->edges[i] < y->edges[i]);
    return 0;
}

static toksim_verdict verdict_of(toksim_path_state s)
{
    return s == TOKSIM_PATH_HOLDS   ? TOKSIM_V_GRANT
           : s == TOKSIM_PATH_FAILS ? TOKSIM_V_DENY
                                    : TOKSIM_V_INFO;
}

static toksim_status
ev(toksim_trace *tr, toksim_rule rule, toksim_verdict v, int64_t a, const char *text)
{
    if (!tr)
        return TOKSIM_OK;
    toksim_trace_event e = toksim_trace_event_make(rule, v);
    e.a = a;
    snprintf(e.text, sizeof e.text, "%s", text);
    return toksim_trace_add(tr, &e);
}

static toksim_status trace_result(const toksim_paths *p, toksim_trace *tr)
{
    char text[TOKSIM_TRACE_TEXT_SIZE];
    toksim_status rc = TOKSIM_OK;
    for (size_t i = 0; rc == TOKSIM_OK && i < p->edge_count; i++) {
        const toksim_path_edge *e = &p->edges[i];
        snprintf(text, sizeof text, "%s: %.30s -> %.30s (%s)", e->id,
                 p->nodes[e->from].name, p->nodes[e->to].name,
                 toksim_path_state_name(e->state));
        rc = ev(tr, TOKSIM_RULE_QUERY_PATH_EDGE, verdict_of(e->state), 0, text);
    }
    for (size_t i = 0; rc == TOKSIM_OK && i < p->path_count; i++) {
        const toksim_path *c = &p->paths[i];
        size_t at = 0;
        text[0] = '\0';
        for (size_t k = 0; k < c->count && at < sizeof text; k++)
            at += (size_t)snprintf(text + at, sizeof text - at, "%s%s", k ? " > " : "",
                                   p->edges[c->edges[k]].id);
        rc = ev(tr, TOKSIM_RULE_QUERY_PATH_FOUND, verdict_of(c->state), (int64_t)c->count,
                text);
    }
    return rc;
}

static toksim_status build(ts_path_graph *g, const toksim_paths_request *req)
{
    for (size_t i = 0; i < req->source_count; i++) {
        toksim_token *t = NULL;
        toksim_status rc = toksim_token_copy(&t, req->sources[i].token);
        if (rc != TOKSIM_OK)
            return rc;
        char name[TOKSIM_PATH_NAME_SIZE];
        if (req->sources[i].name)
            snprintf(name, sizeof name, "%s", req->sources[i].name);
        else
            toksim_sid_display_name(name, sizeof name, toksim_token_user(t), NULL);
        if (ts_path_node(g, name, t, true) == SIZE_MAX)
            return TOKSIM_ENOMEM;
    }
    toksim_sid sys;
    toksim_status rc = toksim_sid_parse(&sys, "S-1-5-18", NULL);
    if (rc != TOKSIM_OK)
        return rc;
    if ((g->system = ts_path_node(g, "NT AUTHORITY\\SYSTEM", NULL, false)) == SIZE_MAX)
        return TOKSIM_ENOMEM;
    g->out->nodes[g->system].sid = sys;
    /* breadth-first: derived identities get their edges in turn */
    for (size_t n = 0; rc == TOKSIM_OK && n < g->out->node_count; n++)
        rc = ts_path_edges_from(g, n);
    return rc;
}

toksim_status toksim_paths_find(toksim_paths **out,
                                const toksim_paths_request *req,
                                toksim_trace *trace,
                                toksim_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !req || !req->world || !req->sources || !req->source_count)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "paths: a world and at least one source are needed");
    if (req->source_count > TOKSIM_PATH_MAX_SOURCES)
        return ts_error_set(err, TOKSIM_ELIMIT, 0,
                            "paths: %zu sources, at most %u are searched",
                            req->source_count, (unsigned)TOKSIM_PATH_MAX_SOURCES);
    for (size_t i = 0; i < req->source_count; i++)
        if (!req->sources[i].token)
            return ts_error_set(err, TOKSIM_EINVAL, 0, "paths: source %zu has no token",
                                i);
    const char *target = req->target && *req->target ? req->target : "SYSTEM";
    ts_path_graph g = {.req = req, .err = err};
    g.out = ts_calloc(1, sizeof *g.out);
    if (!g.out)
        return TOKSIM_ENOMEM;
    toksim_status rc = ev(trace, TOKSIM_RULE_QUERY_PATH_MODEL, TOKSIM_V_INFO,
                          (int64_t)req->source_count, target);
    if (rc == TOKSIM_OK)
        rc = build(&g, req);
    size_t hits = 0;
    for (size_t i = 0; rc == TOKSIM_OK && i < g.out->node_count; i++)
        if (!g.out->nodes[i].source && target_matches(&g.out->nodes[i], target)) {
            g.out->nodes[i].target = true;
            hits++;
        }
    if (rc == TOKSIM_OK && !hits)
        rc =
            ts_error_set(err, TOKSIM_ENOTFOUND, 0,
                         "paths: the target '%s' names no identity of the model (SYSTEM, "
                         "or a derived identity such as 'NT AUTHORITY\\NETWORK SERVICE')",
                         target);
    walk w = {.g = &g};
    for (size_t i = 0; rc == TOKSIM_OK && i < g.out->node_count; i++)
        if (g.out->nodes[i].source) {
            dfs(&w, i);
            rc = w.rc;
        }
    if (rc == TOKSIM_OK) {
        if (g.out->path_count) /* qsort takes no null array, even for 0 items */
            qsort(g.out->paths, g.out->path_count, sizeof *g.out->paths, by_state);
        rc = trace_result(g.out, trace);
    }
    for (size_t i = 0; i < g.out->node_count; i++)
        toksim_token_free(g.tokens[i]);
    free(g.tokens);
    if (rc != TOKSIM_OK) {
        toksim_paths_free(g.out);
        return rc;
    }
    *out = g.out;
    return TOKSIM_OK;
}
