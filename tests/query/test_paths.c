/*
 * PURPOSE: the paths TEACHING MODEL (paths.h). Sources are real SCM service tokens of a
 * world (toksim_service_start: account, SID type, required privileges). Each expectation
 * is asked of the model first: the potato lab (toksim_potato_run), the token API
 * (toksim_create_process_with_token) and the logon model (toksim_logon_builtin); the
 * paths query must agree with them edge by edge.
 */
#include "../helpers.h"

typedef struct fixture {
    toksim_world *w;
    toksim_token *svc;
} fixture;

static fixture start(const char *os,
                     toksim_service_account acct,
                     toksim_service_sid_type sid_type,
                     bool drop_impersonate)
{
    fixture f = {NULL, NULL};
    toksim_error err = {0};
    toksim_error *ep = &err;
    ts_assert_ok(toksim_world_new(&f.w, "SRV", NULL, os, ep), ep);
    static const uint32_t only_notify[] = {TOKSIM_PRIV_CHANGE_NOTIFY,
                                           TOKSIM_PRIV_CREATE_GLOBAL};
    toksim_service_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.name = "WebAppSvc";
    cfg.account = acct;
    cfg.sid_type = sid_type;
    if (drop_impersonate) { /* sc privs WebAppSvc SeChangeNotifyPrivilege/... */
        cfg.required_privileges = only_notify;
        cfg.required_privilege_count = 2;
    }
    toksim_service_result r;
    ts_assert_ok(toksim_service_start(&r, &f.svc, f.w, &cfg, NULL, ep), ep);
    cr_assert(r.started);
    return f;
}

static void stop(fixture *f)
{
    toksim_token_free(f->svc);
    toksim_world_free(f->w);
}

static toksim_paths *find(fixture *f, toksim_paths_request *q, toksim_trace *tr)
{
    toksim_path_source src = {"svc", f->svc};
    q->world = f->w;
    q->sources = &src;
    q->source_count = 1;
    toksim_paths *p = NULL;
    toksim_error err = {0};
    toksim_error *e = &err;
    ts_assert_ok(toksim_paths_find(&p, q, tr, e), e);
    return p;
}

static const toksim_path_edge *edge(const toksim_paths *p, size_t from, const char *id)
{
    for (size_t i = 0; i < p->edge_count; i++)
        if (p->edges[i].from == from && strcmp(p->edges[i].id, id) == 0)
            return &p->edges[i];
    return NULL;
}

static const toksim_path_condition *cond_by_rule(const toksim_path_edge *e, toksim_rule r)
{
    for (size_t i = 0; i < e->condition_count; i++)
        if (e->conditions[i].rule == r)
            return &e->conditions[i];
    cr_assert_fail("edge %s has no condition decided by rule %d", e->id, (int)r);
    return NULL;
}

/* What the potato lab answers for this service, all coercion facts granted. */
static toksim_potato_result potato(fixture *f, toksim_potato_path path, bool wr_blocks)
{
    toksim_potato_request q;
    toksim_potato_request_init(&q);
    q.service = f->svc;
    q.path = path;
    q.remote_redirector = true;
    q.write_restricted_blocks = wr_blocks;
    toksim_potato_result r;
    toksim_error err = {0};
    toksim_error *ep = &err;
    ts_assert_ok(toksim_potato_run(&r, f->w, &q, NULL, ep), ep);
    return r;
}

Test(paths, network_service_reaches_system_through_the_spooler_when_it_runs)
{
    fixture f = start("server", TOKSIM_SVC_NETWORK_SERVICE,
                      TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED, false);
    cr_assert(potato(&f, TOKSIM_POTATO_SPOOLER, true).impersonated); /* the model */
    toksim_paths_request q;
    toksim_paths_request_init(&q);
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_paths *p = find(&f, &q, &tr);
    const toksim_path_edge *e = edge(p, 0, "spooler");
    cr_assert_not_null(e);
    cr_assert(p->nodes[e->to].target);
    /* the Spooler is not stated: the edge stays conditional */
    cr_assert_eq(e->state, TOKSIM_PATH_UNKNOWN);
    cr_assert_eq(cond_by_rule(e, TOKSIM_RULE_POTATO_NO_PATH)->state, TOKSIM_PATH_UNKNOWN);
    cr_assert_eq(cond_by_rule(e, TOKSIM_RULE_IMP_ALLOW_PRIVILEGE)->state,
                 TOKSIM_PATH_HOLDS);
    /* the trace: the label, each edge, each chain */
    bool model = false, edge_ev = false, found = false;
    for (size_t i = 0; i < tr.count; i++) {
        model |= tr.events[i].rule == TOKSIM_RULE_QUERY_PATH_MODEL;
        edge_ev |= tr.events[i].rule == TOKSIM_RULE_QUERY_PATH_EDGE &&
                   tr.events[i].verdict == TOKSIM_V_INFO;
        found |= tr.events[i].rule == TOKSIM_RULE_QUERY_PATH_FOUND;
    }
    cr_assert(model && edge_ev && found);
    toksim_paths_free(p);
    toksim_trace_dispose(&tr);

    q.spooler_running = TOKSIM_PATH_FACT_YES;
    p = find(&f, &q, NULL);
    cr_assert_eq(edge(p, 0, "spooler")->state, TOKSIM_PATH_HOLDS);
    cr_assert_eq(p->paths[0].state, TOKSIM_PATH_HOLDS);
    cr_assert_str_eq(p->edges[p->paths[0].edges[0]].id, "spooler");
    toksim_paths_free(p);
    q.spooler_running = TOKSIM_PATH_FACT_NO;
    p = find(&f, &q, NULL);
    cr_assert_eq(edge(p, 0, "spooler")->state, TOKSIM_PATH_FAILS);
    toksim_paths_free(p);
    stop(&f);
}

Test(paths, local_oxid_resolver_follows_the_os_profile)
{
    const char *os[] = {"win7", "server"};
    for (int i = 0; i < 2; i++) {
        fixture f = start(os[i], TOKSIM_SVC_NETWORK_SERVICE,
                          TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED, false);
        bool refused = potato(&f, TOKSIM_POTATO_DCOM_LOCAL, true).stopped_by ==
                       TOKSIM_RULE_POTATO_NO_PATH;
        cr_assert_eq(refused, i == 1); /* the potato lab: win7 only */
        toksim_paths_request q;
        toksim_paths_request_init(&q);
        toksim_paths *p = find(&f, &q, NULL);
        const toksim_path_edge *e = edge(p, 0, "dcom_local");
        cr_assert_eq(e->state, refused ? TOKSIM_PATH_FAILS : TOKSIM_PATH_HOLDS, "%s",
                     os[i]);
        toksim_paths_free(p);
        stop(&f);
    }
}

Test(paths, required_privileges_without_impersonate_break_the_potato_edges)
{
    fixture f = start("win10", TOKSIM_SVC_LOCAL_SERVICE,
                      TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED, true);
    cr_assert_lt(toksim_token_privilege(f.svc, TOKSIM_PRIV_IMPERSONATE), 0);
    toksim_potato_result r = potato(&f, TOKSIM_POTATO_SPOOLER, true);
    cr_assert_not(r.impersonated); /* the model: downgraded to Identification */
    cr_assert_eq(r.stopped_by, TOKSIM_RULE_POTATO_DOWNGRADED);
    toksim_paths_request q;
    toksim_paths_request_init(&q);
    q.spooler_running = TOKSIM_PATH_FACT_YES;
    q.task_scheduler = TOKSIM_PATH_FACT_YES;
    toksim_paths *p = find(&f, &q, NULL);
    const toksim_path_edge *e = edge(p, 0, "spooler");
    cr_assert_eq(e->state, TOKSIM_PATH_FAILS);
    cr_assert_eq(cond_by_rule(e, TOKSIM_RULE_IMP_ALLOW_PRIVILEGE)->state,
                 TOKSIM_PATH_FAILS);
    cr_assert_eq(cond_by_rule(e, TOKSIM_RULE_POTATO_DOWNGRADED)->state,
                 TOKSIM_PATH_FAILS);

    /* the Task Scheduler gives LOCAL SERVICE its default token back (itm4n) */
    toksim_token *full = NULL;
    toksim_error err = {0};
    toksim_error *ep = &err;
    ts_assert_ok(
        toksim_logon_builtin(&full, f.w, TOKSIM_BUILTIN_LOCAL_SERVICE, NULL, NULL, ep),
        ep);
    cr_assert_geq(toksim_token_privilege(full, TOKSIM_PRIV_IMPERSONATE), 0);
    toksim_token_free(full);
    const toksim_path_edge *t = edge(p, 0, "task_scheduler");
    cr_assert_not_null(t);
    cr_assert_eq(t->rule, TOKSIM_RULE_QUERY_PATH_TASK_SCHEDULER);
    cr_assert_eq(t->state, TOKSIM_PATH_HOLDS);
    cr_assert_eq(cond_by_rule(t, TOKSIM_RULE_LOGON_PRIVILEGE_GRANTED)->state,
                 TOKSIM_PATH_HOLDS);
    /* ... and from there the spooler edge holds: a two-edge chain that holds */
    const toksim_path_edge *s2 = edge(p, t->to, "spooler");
    cr_assert_eq(s2->state, TOKSIM_PATH_HOLDS);
    bool two = false;
    for (size_t i = 0; i < p->path_count; i++)
        two |=
            p->paths[i].count == 2 && p->paths[i].state == TOKSIM_PATH_HOLDS &&
            p->edges[p->paths[i].edges[0]].rule == TOKSIM_RULE_QUERY_PATH_TASK_SCHEDULER;
    cr_assert(two);
    /* the shared logon session (Forshaw): stated in the write-up, never decided here */
    const toksim_path_edge *l = edge(p, 0, "logon_session");
    cr_assert_eq(l->rule, TOKSIM_RULE_QUERY_PATH_LOGON_SESSION);
    cr_assert_eq(l->state, TOKSIM_PATH_UNKNOWN);
    toksim_paths_free(p);

    /* --to the restored identity */
    q.target = "LOCAL SERVICE";
    p = find(&f, &q, NULL);
    cr_assert_gt(p->path_count, 0);
    cr_assert_eq(p->paths[0].count, 1);
    toksim_paths_free(p);
    q.target = "Administrator";
    toksim_path_source src = {"svc", f.svc};
    q.sources = &src;
    q.source_count = 1;
    toksim_paths *none = NULL;
    cr_assert_eq(toksim_paths_find(&none, &q, NULL, &err), TOKSIM_ENOTFOUND);
    cr_assert_null(none);
    stop(&f);
}

Test(paths, write_restricted_token_and_its_switch)
{
    fixture f = start("server", TOKSIM_SVC_NETWORK_SERVICE,
                      TOKSIM_SERVICE_SID_TYPE_RESTRICTED, false);
    cr_assert(toksim_token_is_write_restricted(f.svc));
    cr_assert_eq(potato(&f, TOKSIM_POTATO_SPOOLER, true).stopped_by,
                 TOKSIM_RULE_POTATO_WRITE_RESTRICTED);
    toksim_paths_request q;
    toksim_paths_request_init(&q);
    q.spooler_running = TOKSIM_PATH_FACT_YES;
    toksim_paths *p = find(&f, &q, NULL);
    const toksim_path_edge *e = edge(p, 0, "spooler");
    const toksim_path_condition *c = cond_by_rule(e, TOKSIM_RULE_POTATO_WRITE_RESTRICTED);
    cr_assert(c->unconfirmed);
    cr_assert_eq(c->state, TOKSIM_PATH_FAILS);
    cr_assert_eq(e->state, TOKSIM_PATH_FAILS);
    toksim_paths_free(p);
    q.write_restricted_blocks = false;
    p = find(&f, &q, NULL);
    cr_assert_eq(edge(p, 0, "spooler")->state, TOKSIM_PATH_HOLDS);
    toksim_paths_free(p);
    stop(&f);
}

Test(paths, assign_primary_token_needs_a_dcom_coercion_not_impersonate)
{
    fixture f = start("server", TOKSIM_SVC_NETWORK_SERVICE,
                      TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED, false);
    /* the token API: NETWORK SERVICE may CreateProcessAsUser a SYSTEM primary token */
    toksim_token *sys = NULL;
    toksim_error err = {0};
    toksim_error *ep = &err;
    ts_assert_ok(toksim_logon_builtin(&sys, f.w, TOKSIM_BUILTIN_SYSTEM, NULL, NULL, ep),
                 ep);
    toksim_process *proc = NULL, *child = NULL;
    toksim_thread *th = NULL;
    ts_assert_ok(toksim_process_new(&proc, f.svc, NULL), NULL);
    ts_assert_ok(toksim_thread_new(&th, proc), NULL);
    toksim_token_handle h = {sys, TOKSIM_TOKEN_ACCESS_ALL};
    toksim_imp_result r;
    ts_assert_ok(toksim_create_process_with_token(
                     &r, &child, th, &h, TOKSIM_CREATE_PROCESS_AS_USER, NULL, NULL),
                 NULL);
    cr_assert(r.ok);
    toksim_process_free(child);
    toksim_thread_free(th);
    toksim_process_free(proc);
    toksim_token_free(sys);

    toksim_paths_request q;
    toksim_paths_request_init(&q);
    q.spooler_running = TOKSIM_PATH_FACT_YES; /* the Spooler does not count here */
    toksim_paths *p = find(&f, &q, NULL);
    const toksim_path_edge *e = edge(p, 0, "assign_primary");
    cr_assert_eq(cond_by_rule(e, TOKSIM_RULE_CP_CREATED)->state, TOKSIM_PATH_HOLDS);
    cr_assert_eq(e->state, TOKSIM_PATH_UNKNOWN); /* redirector not stated, server OS */
    toksim_paths_free(p);
    q.remote_redirector = TOKSIM_PATH_FACT_YES;
    p = find(&f, &q, NULL);
    cr_assert_eq(edge(p, 0, "assign_primary")->state, TOKSIM_PATH_HOLDS);
    toksim_paths_free(p);
    stop(&f);
}

Test(paths, bad_requests)
{
    toksim_paths_request q;
    toksim_paths_request_init(&q);
    toksim_paths *p = NULL;
    cr_assert_eq(toksim_paths_find(&p, &q, NULL, NULL), TOKSIM_EINVAL);
    cr_assert_str_eq(toksim_path_state_name(TOKSIM_PATH_UNKNOWN), "unknown");
}

Test(paths, world_declared_services_and_pools_are_the_sources)
{
    toksim_world *w = NULL;
    toksim_error err = {0};
    toksim_error *ep = &err;
    ts_assert_ok(toksim_world_new(&w, "WEB01", NULL, "server", ep), ep);
    static const uint32_t w32time_privs[] = {TOKSIM_PRIV_SYSTEMTIME,
                                             TOKSIM_PRIV_CHANGE_NOTIFY};
    toksim_world_service svc[] = {
        {"W32Time", "NT AUTHORITY\\LocalService", NULL, "restricted", w32time_privs, 2},
        {"Spooler", NULL, NULL, NULL, NULL, 0}, /* LocalSystem: already the target */
    };
    for (size_t i = 0; i < 2; i++)
        ts_assert_ok(toksim_world_add_service(w, &svc[i], ep), ep);
    toksim_world_pool pool = {"DefaultAppPool", NULL, NULL, NULL, false};
    ts_assert_ok(toksim_world_add_pool(w, &pool, ep), ep);

    toksim_path_sources *src = NULL;
    ts_assert_ok(toksim_paths_world_sources(&src, w, ep), ep);
    cr_assert_eq(src->count, 2); /* W32Time and the pool; the Spooler runs as SYSTEM */
    cr_assert_str_eq(src->items[0].name, "NT AUTHORITY\\LOCAL SERVICE (service W32Time)");
    cr_assert(toksim_token_is_write_restricted(src->items[0].token));
    cr_assert_lt(toksim_token_privilege(src->items[0].token, TOKSIM_PRIV_IMPERSONATE), 0);
    /* the pool worker holds SeImpersonatePrivilege (through SERVICE / IIS_IUSRS) */
    cr_assert_geq(toksim_token_privilege(src->items[1].token, TOKSIM_PRIV_IMPERSONATE),
                  0);

    toksim_paths_request q;
    toksim_paths_request_init(&q);
    q.world = w;
    q.sources = src->items;
    q.source_count = src->count;
    toksim_paths *p = NULL;
    ts_assert_ok(toksim_paths_find(&p, &q, NULL, ep), ep);
    /* the world declares the Spooler: its edge holds for the pool without --spooler */
    const toksim_path_edge *e = edge(p, 1, "spooler");
    cr_assert_eq(cond_by_rule(e, TOKSIM_RULE_POTATO_NO_PATH)->state, TOKSIM_PATH_HOLDS);
    cr_assert_eq(e->state, TOKSIM_PATH_HOLDS);
    /* W32Time: no Schedule service declared, the task scheduler edge stays conditional */
    cr_assert_eq(edge(p, 0, "task_scheduler")->state, TOKSIM_PATH_UNKNOWN);
    toksim_paths_free(p);
    toksim_path_sources_free(src);

    toksim_world_free(w);
    ts_assert_ok(toksim_world_new(&w, "WEB01", NULL, "server", ep), ep);
    ts_assert_ok(toksim_paths_world_sources(&src, w, ep), ep);
    cr_assert_eq(src->count, 2); /* nothing declared: LOCAL and NETWORK SERVICE */
    toksim_path_sources_free(src);
    toksim_world_free(w);
}
