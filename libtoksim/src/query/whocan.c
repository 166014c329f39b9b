/*
 * PURPOSE: who-can (issue 17): for every principal of a world and every logon type it can
 * really use, the token Windows would build (LogonUser of logon.h: the logon rights and
 * the account state decide; the UAC filtered and elevated tokens of an administrator are
 * two answers; a virtual account gets the process token its service manager builds, SCM
 * or WAS), then the question asked of that token (whocan_eval.c). The query never
 * re-derives a rule: every verdict comes from the models below it.
 *
 * Speed: one logon per (principal, logon type), no trace unless an answer is kept; the
 * descriptor is parsed once by the caller and shared by every check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "query/query_int.h"
#include "toksim/iis.h"
#include "toksim/scm.h"

struct toksim_whocan_result {
    toksim_whocan_answer *v;
    size_t n, cap;
    size_t principals;
    toksim_trace trace;
};

/* The logon types a principal is tried with, in answer order (LOGON32_LOGON_*). */
static const toksim_logon_type all_types[] = {
    TOKSIM_LOGON_INTERACTIVE, TOKSIM_LOGON_REMOTE_INTERACTIVE, TOKSIM_LOGON_BATCH,
    TOKSIM_LOGON_SERVICE, TOKSIM_LOGON_NETWORK};

const char *toksim_whocan_principal_kind_name(toksim_whocan_principal_kind k)
{
    static const char *const names[] = {"user",    "computer",  "gmsa",
                                        "builtin", "anonymous", "virtual"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "unknown";
}

const char *toksim_whocan_token_kind_name(toksim_whocan_token_kind k)
{
    static const char *const names[] = {"logon", "filtered", "elevated", "service",
                                        "apppool"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "unknown";
}

void toksim_whocan_result_free(toksim_whocan_result *r)
{
    if (!r)
        return;
    free(r->v);
    toksim_trace_dispose(&r->trace);
    free(r);
}

size_t toksim_whocan_answer_count(const toksim_whocan_result *r)
{
    return r ? r->n : 0;
}

const toksim_whocan_answer *toksim_whocan_answer_at(const toksim_whocan_result *r,
                                                    size_t i)
{
    return r && i < r->n ? &r->v[i] : NULL;
}

size_t toksim_whocan_principal_count(const toksim_whocan_result *r)
{
    return r ? r->principals : 0;
}

const toksim_trace *toksim_whocan_trace(const toksim_whocan_result *r)
{
    return r ? &r->trace : NULL;
}

/* Is logon type t asked about for this query? */
static bool type_wanted(const toksim_whocan_query *q, toksim_logon_type t)
{
    if (q->has_logon_type && q->logon_type != t)
        return false;
    if (q->kind == TOKSIM_WHOCAN_ACCESS && q->remote && t != TOKSIM_LOGON_NETWORK)
        return false;
    if (q->kind == TOKSIM_WHOCAN_LOGON_RIGHT) {
        uint32_t allow, deny;
        toksim_logon_type_rights(t, &allow, &deny);
        return q->right == allow || q->right == deny;
    }
    return true;
}

/* One answer in the making: the walk's state for a (principal, logon type, token). */
typedef struct walk {
    toksim_world *w;
    const toksim_whocan_query *q;
    toksim_whocan_result *res; /* NULL when explaining one answer */
    toksim_trace scratch;
    /* explain mode: the answer looked for */
    const toksim_sid *want_sid;
    toksim_logon_type want_type;
    toksim_whocan_token_kind want_token;
    toksim_trace *full;
    toksim_whocan_answer *found_answer;
    bool found;
} walk;

static bool explaining(const walk *k)
{
    return k->want_sid != NULL;
}

/* Is this the answer being explained? "logon" names the token LogonUser (or the service
 * manager) hands out: the filtered one of a split administrator; "elevated" its link. */
static bool is_target(const walk *k, const toksim_whocan_answer *a)
{
    if (!explaining(k) || a->logon_type != k->want_type)
        return false;
    if (k->want_token == TOKSIM_WHOCAN_T_LOGON)
        return a->token_kind != TOKSIM_WHOCAN_T_ELEVATED;
    return a->token_kind == k->want_token;
}

/* Keep an answer (or, when explaining, the one asked for). */
static toksim_status keep(walk *k, const toksim_whocan_answer *a)
{
    if (explaining(k)) {
        if (is_target(k, a)) {
            *k->found_answer = *a;
            k->found = true;
        }
        return TOKSIM_OK;
    }
    if (!a->granted && !k->q->include_denied)
        return TOKSIM_OK;
    if (!ts_grow((void **)&k->res->v, &k->res->cap, k->res->n + 1, sizeof *k->res->v))
        return TOKSIM_ENOMEM;
    k->res->v[k->res->n++] = *a;
    return TOKSIM_OK;
}

static void answer_init(toksim_whocan_answer *a,
                        const ts_wc_principal *p,
                        toksim_logon_type type,
                        toksim_whocan_token_kind tk)
{
    memset(a, 0, sizeof *a);
    a->principal = p->sid;
    a->principal_kind = p->kind;
    a->logon_type = type;
    a->token_kind = tk;
}

/* Ask the question of one token. The answer is evaluated untraced first; only an answer
 * that is kept pays for its reasons (a traced check) and its MAXIMUM_ALLOWED masks. */
static toksim_status ask(walk *k, toksim_whocan_answer *a, const toksim_token *tok)
{
    bool target = is_target(k, a);
    if (explaining(k) && !target)
        return TOKSIM_OK;
    toksim_status rc = ts_wc_evaluate(a, k->q, k->w, tok, NULL, false, NULL);
    if (rc == TOKSIM_OK && (target || a->granted || k->q->include_denied) &&
        k->q->kind == TOKSIM_WHOCAN_ACCESS) {
        toksim_whocan_answer b = *a;
        rc = ts_wc_evaluate(&b, k->q, k->w, tok, &k->scratch, true,
                            target ? k->full : NULL);
        *a = b;
    }
    return rc == TOKSIM_OK ? keep(k, a) : rc;
}

/* A failed logon: an answer only when denied answers are wanted (or explained). */
static toksim_status refused(walk *k, toksim_whocan_answer *a, uint32_t win32)
{
    a->logon_ok = false;
    a->logon_win32 = win32;
    a->granted = false;
    if (k->scratch.count)
        ts_wc_reasons_from_trace(a->reasons, &a->reason_count, &k->scratch);
    return keep(k, a);
}

/* "service X" / "pool X", with " as DOMAIN\user" when the process runs as another
 * account than the virtual one (a declared service or pool with a user identity). */
static void via_text(char *buf,
                     size_t n,
                     const ts_wc_principal *p,
                     const toksim_world *w,
                     const toksim_sid *user)
{
    /* ts_put: bounded appends (a long account name is cut, never overflows) */
    size_t at = ts_put(buf, n, 0, p->apppool ? "pool " : "service ");
    at = ts_put(buf, n, at, p->virtual_name ? p->virtual_name : "");
    if (user && !toksim_sid_equal(user, &p->sid)) {
        char name[TOKSIM_SID_STRING_MAX + 80];
        toksim_world_sid_name(name, sizeof name, user, (void *)(uintptr_t)w);
        at = ts_put(buf, n, at, " as ");
        ts_put(buf, n, at, name);
    }
}

/* An application pool: the one the world declares (its identity, manualGroupMembership),
 * else a pool of that name with the default ApplicationPoolIdentity; WAS builds the
 * worker token (iis.h). */
static toksim_status
ask_pool(walk *k, const ts_wc_principal *p, toksim_whocan_answer *a, toksim_error *err)
{
    toksim_trace *lt = explaining(k) ? k->full : NULL;
    toksim_iis_pool *pool = NULL;
    toksim_iis_pool_result pr;
    memset(&pr, 0, sizeof pr);
    toksim_status rc;
    if (toksim_world_find_pool(k->w, p->virtual_name)) {
        rc = toksim_iis_pool_start_declared(&pool, &pr, k->w, p->virtual_name, lt, err);
    } else {
        toksim_iis_pool_config cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.name = p->virtual_name;
        cfg.identity = TOKSIM_IIS_APPPOOL_IDENTITY;
        rc = toksim_iis_pool_start(&pool, &pr, k->w, &cfg, lt, err);
    }
    if (rc == TOKSIM_OK) {
        via_text(a->via, sizeof a->via, p, k->w, pr.started ? &pr.user : NULL);
        a->logon_ok = pr.started;
        rc = pr.started ? ask(k, a, toksim_iis_pool_token(pool))
                        : refused(k, a, pr.logon_win32);
    }
    toksim_iis_pool_free(pool);
    return rc;
}

/* A service: the one the world declares (its account, SID type, required privileges),
 * else a service of that name running as its virtual account; the SCM builds the
 * process token (scm.h). */
static toksim_status
ask_service(walk *k, const ts_wc_principal *p, toksim_whocan_answer *a, toksim_error *err)
{
    toksim_trace *lt = explaining(k) ? k->full : NULL;
    toksim_service_result sr;
    memset(&sr, 0, sizeof sr);
    toksim_token *tok = NULL;
    toksim_status rc;
    if (toksim_world_find_service(k->w, p->virtual_name)) {
        rc = toksim_service_start_declared(&sr, &tok, k->w, p->virtual_name, lt, err);
    } else {
        toksim_service_config cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.name = p->virtual_name;
        cfg.account = TOKSIM_SVC_VIRTUAL;
        cfg.sid_type = TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED;
        rc = toksim_service_start(&sr, &tok, k->w, &cfg, lt, err);
    }
    if (rc == TOKSIM_OK) {
        via_text(a->via, sizeof a->via, p, k->w, sr.started ? &sr.user : NULL);
        a->logon_ok = sr.started;
        rc = sr.started ? ask(k, a, tok)
                        : refused(k, a, sr.logon_win32 ? sr.logon_win32 : sr.win32);
    }
    toksim_token_free(tok);
    return rc;
}

/* A virtual account: the service process (SCM) or the pool's worker (WAS). */
static toksim_status ask_virtual(walk *k, const ts_wc_principal *p, toksim_error *err)
{
    toksim_whocan_answer a;
    answer_init(&a, p, TOKSIM_LOGON_SERVICE,
                p->apppool ? TOKSIM_WHOCAN_T_APPPOOL : TOKSIM_WHOCAN_T_SERVICE);
    toksim_status rc = p->apppool ? ask_pool(k, p, &a, err) : ask_service(k, p, &a, err);
    toksim_trace *t = explaining(k) ? k->full : (k->res ? &k->res->trace : NULL);
    if (rc == TOKSIM_OK)
        rc = ts_wc_event(t, TOKSIM_RULE_QUERY_WHOCAN_SERVICE_TOKEN, TOKSIM_V_INFO,
                         &p->sid, -1, 0, 0, 0, a.via);
    return rc;
}

/* The logon-right question: the logon itself answers it (its right check, traced). */
static toksim_status ask_right(walk *k,
                               toksim_whocan_answer *a,
                               const toksim_logon_result *lr,
                               const toksim_trace *t)
{
    a->logon_ok = lr->success;
    a->logon_win32 = lr->win32_error;
    a->granted = false;
    for (size_t i = 0; t && i < t->count; i++) {
        const toksim_trace_event *e = &t->events[i];
        if (e->rule == TOKSIM_RULE_LOGON_RIGHT_GRANTED ||
            e->rule == TOKSIM_RULE_LOGON_RIGHT_IMPLICIT ||
            e->rule == TOKSIM_RULE_LOGON_RIGHT_DENIED ||
            e->rule == TOKSIM_RULE_LOGON_RIGHT_MISSING) {
            ts_wc_reason_add(a->reasons, &a->reason_count, e);
            if (e->verdict == TOKSIM_V_GRANT)
                a->granted = true;
        }
    }
    /* Asked about a Deny right: "who can" = who holds the deny. */
    uint32_t allow, deny;
    toksim_logon_type_rights(a->logon_type, &allow, &deny);
    if (k->q->right == deny) {
        a->granted = false;
        for (size_t i = 0; i < a->reason_count; i++)
            if (a->reasons[i].rule == TOKSIM_RULE_LOGON_RIGHT_DENIED)
                a->granted = true;
    }
    return keep(k, a);
}

static toksim_status
ask_logon(walk *k, const ts_wc_principal *p, toksim_logon_type type, toksim_error *err)
{
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    if (k->q->logon_flags)
        opt.flags = k->q->logon_flags;
    bool target = explaining(k) && k->want_type == type;
    if (explaining(k) && !target)
        return TOKSIM_OK;
    bool right_q = k->q->kind == TOKSIM_WHOCAN_LOGON_RIGHT;
    toksim_trace *lt = target ? k->full : &k->scratch;
    toksim_trace_clear(&k->scratch);
    /* The scratch trace records the logon only where it is read (logon rights, refused
     * answers that are kept); otherwise logons run untraced. */
    if (!target && !right_q && !k->q->include_denied)
        lt = NULL;
    toksim_logon_result lr;
    toksim_status rc = toksim_logon_user_sid(&lr, k->w, &p->sid, type, &opt, lt, err);
    if (rc != TOKSIM_OK)
        return rc;
    toksim_whocan_answer a;
    answer_init(&a, p, type, TOKSIM_WHOCAN_T_LOGON);
    if (right_q) {
        rc = ask_right(k, &a, &lr, lt);
    } else if (!lr.success) {
        if (lt == k->full)
            toksim_trace_clear(&k->scratch);
        rc = refused(k, &a, lr.win32_error);
    } else {
        a.logon_ok = true;
        const toksim_token *tok = lr.token;
        const toksim_token *linked = toksim_token_linked(tok);
        if (toksim_token_elevation_type(tok) == TOKSIM_ELEVATION_LIMITED) {
            a.token_kind = TOKSIM_WHOCAN_T_FILTERED;
            rc = ask(k, &a, tok);
            if (rc == TOKSIM_OK && linked) {
                answer_init(&a, p, type, TOKSIM_WHOCAN_T_ELEVATED);
                a.logon_ok = true;
                rc = ask(k, &a, linked);
            }
        } else {
            rc = ask(k, &a, tok);
        }
    }
    toksim_token_free(lr.token);
    return rc;
}

static toksim_status walk_principal(walk *k, const ts_wc_principal *p, toksim_error *err)
{
    if (p->kind == TOKSIM_WHOCAN_P_VIRTUAL && k->q->kind != TOKSIM_WHOCAN_LOGON_RIGHT) {
        if (!type_wanted(k->q, TOKSIM_LOGON_SERVICE))
            return TOKSIM_OK;
        return ask_virtual(k, p, err);
    }
    /* --logon-type may name a type outside the usual five (network-cleartext ...). */
    const toksim_logon_type *types = k->q->has_logon_type ? &k->q->logon_type : all_types;
    size_t ntypes = k->q->has_logon_type ? 1 : sizeof all_types / sizeof all_types[0];
    for (size_t i = 0; i < ntypes; i++) {
        toksim_logon_type t = types[i];
        if (!type_wanted(k->q, t))
            continue;
        /* ANONYMOUS LOGON exists only as a network null session. */
        if (p->kind == TOKSIM_WHOCAN_P_ANONYMOUS && t != TOKSIM_LOGON_NETWORK)
            continue;
        toksim_status rc = ask_logon(k, p, t, err);
        if (rc != TOKSIM_OK)
            return rc;
    }
    return TOKSIM_OK;
}

static toksim_status
check_query(const toksim_world *w, const toksim_whocan_query *q, toksim_error *err)
{
    if (!w || !q)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "who-can needs a world and a query");
    if (q->kind == TOKSIM_WHOCAN_ACCESS && !q->sd)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "who-can: an access question needs a security descriptor");
    const toksim_right_info *ri = toksim_right_get(q->right);
    if (q->kind == TOKSIM_WHOCAN_PRIVILEGE && (!ri || !ri->is_privilege))
        return ts_error_set(err, TOKSIM_EINVAL, 0, "who-can: %u is not a privilege",
                            (unsigned)q->right);
    if (q->kind == TOKSIM_WHOCAN_LOGON_RIGHT && (!ri || ri->is_privilege))
        return ts_error_set(err, TOKSIM_EINVAL, 0, "who-can: %u is not a logon right",
                            (unsigned)q->right);
    return TOKSIM_OK;
}

/* The principals the query names (all, or the one asked about). */
static toksim_status principals_for(const toksim_world *w,
                                    const toksim_sid *only,
                                    ts_wc_principal **v,
                                    size_t *n,
                                    toksim_error *err)
{
    toksim_status rc = ts_wc_principals(w, v, n);
    if (rc != TOKSIM_OK || !only)
        return rc;
    for (size_t i = 0; i < *n; i++)
        if (toksim_sid_equal(&(*v)[i].sid, only)) {
            (*v)[0] = (*v)[i];
            *n = 1;
            return TOKSIM_OK;
        }
    free(*v);
    *v = NULL;
    *n = 0;
    char s[TOKSIM_SID_STRING_MAX + 80];
    toksim_world_sid_name(s, sizeof s, only, (void *)(uintptr_t)w);
    return ts_error_set(err, TOKSIM_ENOTFOUND, 0,
                        "'%s' is not a principal that logs on (a user, computer, service "
                        "or virtual account)",
                        s);
}

toksim_status toksim_whocan_run(toksim_whocan_result **out,
                                toksim_world *world,
                                const toksim_whocan_query *q,
                                toksim_error *err)
{
    if (out)
        *out = NULL;
    if (!out)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "who-can needs a result");
    toksim_status rc = check_query(world, q, err);
    if (rc != TOKSIM_OK)
        return rc;
    ts_wc_principal *pv = NULL;
    size_t pn = 0;
    if ((rc = principals_for(world, q->principal, &pv, &pn, err)) != TOKSIM_OK)
        return rc;
    toksim_whocan_result *res = ts_calloc(1, sizeof *res);
    if (!res) {
        free(pv);
        return TOKSIM_ENOMEM;
    }
    toksim_trace_init(&res->trace);
    walk k;
    memset(&k, 0, sizeof k);
    k.w = world;
    k.q = q;
    k.res = res;
    toksim_trace_init(&k.scratch);
    if (q->kind == TOKSIM_WHOCAN_ACCESS && q->remote)
        rc = ts_wc_event(&res->trace, TOKSIM_RULE_QUERY_WHOCAN_REMOTE_NETWORK_ONLY,
                         TOKSIM_V_INFO, NULL, -1, 0, 0, 0, "the object");
    for (size_t i = 0; rc == TOKSIM_OK && i < pn; i++) {
        res->principals++;
        rc = walk_principal(&k, &pv[i], err);
    }
    toksim_trace_dispose(&k.scratch);
    free(pv);
    if (rc != TOKSIM_OK) {
        toksim_whocan_result_free(res);
        return rc;
    }
    *out = res;
    return TOKSIM_OK;
}

toksim_status toksim_whocan_explain(bool *found,
                                    toksim_whocan_answer *answer,
                                    toksim_world *world,
                                    const toksim_whocan_query *q,
                                    const toksim_sid *who,
                                    toksim_logon_type type,
                                    toksim_whocan_token_kind token,
                                    toksim_trace *trace,
                                    toksim_error *err)
{
    if (found)
        *found = false;
    if (!found || !answer || !who)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "who-can explain: missing argument");
    toksim_status rc = check_query(world, q, err);
    if (rc != TOKSIM_OK)
        return rc;
    ts_wc_principal *pv = NULL;
    size_t pn = 0;
    if ((rc = principals_for(world, who, &pv, &pn, err)) != TOKSIM_OK)
        return rc;
    walk k;
    memset(&k, 0, sizeof k);
    k.w = world;
    k.q = q;
    k.want_sid = who;
    k.want_type = type;
    k.want_token = token;
    k.full = trace;
    k.found_answer = answer;
    toksim_trace_init(&k.scratch);
    if (type_wanted(q, type) ||
        (pv[0].kind == TOKSIM_WHOCAN_P_VIRTUAL && type == TOKSIM_LOGON_SERVICE))
        rc = walk_principal(&k, &pv[0], err);
    toksim_trace_dispose(&k.scratch);
    free(pv);
    *found = k.found;
    return rc;
}
