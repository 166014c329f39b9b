/*
 * PURPOSE: the C API the browser playground (web/) calls, compiled with Emscripten
 * together with libtoksim. Each entry point takes JSON text and returns malloc'ed JSON
 * text (free it with tw_free): replay a scenario (result, explanation, story, the
 * expectation check and each step's token), one access check of a token (a `whoami /all`
 * capture or a user and groups) against SDDL decided ACE by ACE, and a policy what-if
 * (the scenario replayed twice, once with one user right's holders changed, and the
 * steps whose outcome changed). Presentation glue only: every decision is libtoksim's.
 */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <toksim.h>
#include <toksim/world_json.h>

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#define TW_EXPORT EMSCRIPTEN_KEEPALIVE
#else
#define TW_EXPORT
#endif

char *tw_scenario_run(const char *text, const char *where, const char *base_dir);
char *tw_access_check(const char *request);
char *tw_whatif(const char *request);
void tw_free(char *p);

/* The JSON text of a cJSON tree (consumed); NULL only when out of memory. */
static char *finish(cJSON *root)
{
    char *s = root ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    return s;
}

static char *fail_json(toksim_status rc, const toksim_error *e, const char *what)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddBoolToObject(root, "ok", false);
    cJSON *err = cJSON_AddObjectToObject(root, "error");
    char msg[TOKSIM_ERROR_MESSAGE_SIZE + 200];
    snprintf(msg, sizeof msg, "%s%s%s", what ? what : "",
             what && e && e->message[0] ? ": " : "",
             e && e->message[0] ? e->message : (what ? "" : toksim_strerror(rc)));
    cJSON_AddStringToObject(err, "message", msg);
    cJSON_AddStringToObject(err, "status", toksim_strerror(rc));
    if (e) {
        cJSON_AddStringToObject(err, "where", e->where);
        cJSON_AddNumberToObject(err, "line", e->line);
        cJSON_AddNumberToObject(err, "column", e->column);
        cJSON_AddNumberToObject(err, "offset", (double)e->offset);
    }
    return finish(root);
}

static void add_hex(cJSON *o, const char *key, uint32_t v)
{
    char b[16];
    snprintf(b, sizeof b, "0x%08X", v);
    cJSON_AddStringToObject(o, key, b);
}

/* One trace as an array of {rule, verdict, depth, text, citation}. */
static cJSON *trace_json(const toksim_trace *t, toksim_sid_namer namer, void *payload)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < t->count; i++) {
        const toksim_trace_event *ev = &t->events[i];
        const toksim_rule_info *ri = toksim_rule_get(ev->rule);
        char text[1024];
        toksim_trace_event_text(text, sizeof text, ev, namer, payload);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "rule", ri->id);
        cJSON_AddStringToObject(o, "verdict", toksim_verdict_name(ev->verdict));
        cJSON_AddNumberToObject(o, "depth", ev->depth);
        cJSON_AddNumberToObject(o, "index", ev->index);
        cJSON_AddStringToObject(o, "text", text);
        cJSON_AddStringToObject(o, "citation", ri->citation);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

/* ---- scenario replay ---- */

static char *run_fail(toksim_status rc, const toksim_error *e)
{
    return fail_json(rc, e, NULL);
}

static void on_mismatch(const toksim_mismatch *m, void *payload)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "step", m->step);
    cJSON_AddStringToObject(o, "field", m->field);
    cJSON_AddStringToObject(o, "expected", m->expected);
    cJSON_AddStringToObject(o, "got", m->got);
    cJSON_AddNumberToObject(o, "line", m->line);
    cJSON_AddItemToArray((cJSON *)payload, o);
}

/* Add the rendered text `s` (consumed) under key, as JSON when parse is set. */
static void add_rendered(cJSON *root, const char *key, char *s, bool parse)
{
    if (!s)
        return;
    cJSON *v = parse ? cJSON_Parse(s) : cJSON_CreateString(s);
    free(s);
    if (v)
        cJSON_AddItemToObject(root, key, v);
}

/* The tokens and notes of the steps, for the token-flow picture. */
static cJSON *steps_extra(const toksim_run *run, const toksim_scenario *sc)
{
    const toksim_world *w = toksim_scenario_world(sc);
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < toksim_scenario_run_step_count(run); i++) {
        const toksim_step_result *r = toksim_scenario_run_step(run, i);
        cJSON *o = cJSON_CreateObject();
        const char *note = toksim_scenario_step_note(sc, i);
        cJSON_AddStringToObject(o, "id", r->id);
        cJSON_AddStringToObject(o, "note", note ? note : "");
        char *tj = NULL;
        if (r->token && toksim_token_to_json(&tj, r->token, w) == TOKSIM_OK)
            add_rendered(o, "token", tj, true);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static char *replay(const toksim_scenario *sc)
{
    toksim_run *run = NULL;
    toksim_error e = {0};
    toksim_status rc = toksim_scenario_run(&run, sc, &e);
    if (rc)
        return run_fail(rc, &e);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddBoolToObject(root, "ok", true);
    char *s = NULL;
    if (toksim_scenario_render_json(&s, run, 0) == TOKSIM_OK)
        add_rendered(root, "run", s, true);
    s = NULL;
    if (toksim_scenario_render_text(&s, run, TOKSIM_RENDER_EXPLAIN) == TOKSIM_OK)
        add_rendered(root, "text", s, false);
    s = NULL;
    if (toksim_scenario_render_story(&s, run, NULL) == TOKSIM_OK)
        add_rendered(root, "story", s, false);
    cJSON *mism = cJSON_CreateArray();
    size_t passed = 0, failed = 0;
    if (toksim_scenario_check(&passed, &failed, run, on_mismatch, mism) == TOKSIM_OK) {
        cJSON *chk = cJSON_AddObjectToObject(root, "check");
        cJSON_AddNumberToObject(chk, "passed", (double)passed);
        cJSON_AddNumberToObject(chk, "failed", (double)failed);
        cJSON_AddItemToObject(chk, "mismatches", mism);
    } else {
        cJSON_Delete(mism);
    }
    cJSON_AddItemToObject(root, "steps", steps_extra(run, sc));
    cJSON *refs = cJSON_AddArrayToObject(root, "references");
    const char *rt, *ru;
    for (size_t i = 0; toksim_scenario_reference_at(sc, i, &rt, &ru); i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "title", rt);
        cJSON_AddStringToObject(o, "url", ru);
        cJSON_AddItemToArray(refs, o);
    }
    cJSON_AddStringToObject(root, "description", toksim_scenario_description(sc));
    toksim_scenario_run_free(run);
    return finish(root);
}

TW_EXPORT char *tw_scenario_run(const char *text, const char *where, const char *base_dir)
{
    toksim_scenario *sc = NULL;
    toksim_error e = {0};
    toksim_status rc = toksim_scenario_parse(&sc, text, strlen(text),
                                             where && *where ? where : "<input>",
                                             base_dir && *base_dir ? base_dir : NULL, &e);
    if (rc)
        return run_fail(rc, &e);
    char *out = replay(sc);
    toksim_scenario_free(sc);
    return out;
}

/* ---- access check ---- */

static const char *str_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* A token from {whoami} or {user, groups[], privileges[]}. */
static toksim_status
build_token(toksim_token **tok, const cJSON *req, char *msg, size_t n)
{
    toksim_error e = {0};
    toksim_status rc;
    const char *who = str_of(req, "whoami");
    if (who) {
        if ((rc = toksim_token_from_whoami(tok, who, strlen(who), NULL, &e)))
            snprintf(msg, n, "whoami line %d col %d: %s", e.line, e.column, e.message);
        return rc;
    }
    const char *user = str_of(req, "user");
    toksim_sid sid;
    if (!user) {
        snprintf(msg, n, "give a whoami /all capture or a user SID");
        return TOKSIM_EPARSE;
    }
    if ((rc = toksim_sid_resolve(&sid, user, NULL, &e))) {
        snprintf(msg, n, "user \"%.80s\": %s", user, e.message);
        return rc;
    }
    if ((rc = toksim_token_new(tok, &sid)))
        return rc;
    if ((rc = toksim_token_set_integrity(*tok, TOKSIM_IL_MEDIUM)))
        return rc;
    const cJSON *g;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(req, "groups"))
    {
        if (!cJSON_IsString(g) || !g->valuestring[0])
            continue;
        if ((rc = toksim_sid_resolve(&sid, g->valuestring, NULL, &e))) {
            snprintf(msg, n, "group \"%.80s\": %s", g->valuestring, e.message);
            return rc;
        }
        if ((rc = toksim_token_add_group(*tok, &sid, TOKSIM_SE_GROUP_DEFAULT)))
            return rc;
    }
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(req, "privileges"))
    {
        const toksim_privilege_info *p =
            cJSON_IsString(g) ? toksim_privilege_by_name(g->valuestring) : NULL;
        if (!p) {
            snprintf(msg, n, "privilege \"%.80s\": no privilege has that name",
                     cJSON_IsString(g) ? g->valuestring : "?");
            return TOKSIM_ENOTFOUND;
        }
        if ((rc = toksim_token_set_privilege(*tok, p->luid, TOKSIM_SE_PRIVILEGE_ENABLED)))
            return rc;
    }
    return TOKSIM_OK;
}

static char *access_run(const cJSON *req, toksim_token *tok, toksim_sd *sd)
{
    char msg[512] = "";
    toksim_error e = {0};
    toksim_status rc;
    toksim_access_request ar = {0};
    const char *type = str_of(req, "type");
    ar.object_type = TOKSIM_OBJ_FILE;
    if (type && toksim_object_type_parse(&ar.object_type, type))
        return fail_json(TOKSIM_ENOTFOUND, NULL, "unknown object type");
    const char *mode = str_of(req, "mode");
    ar.mode = mode && strcmp(mode, "api") == 0 ? TOKSIM_ACCESS_API : TOKSIM_ACCESS_OPEN;
    /* AccessCheck() wants an impersonation token: the server impersonating the client. */
    if (ar.mode == TOKSIM_ACCESS_API)
        toksim_token_set_type(tok, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IMPERSONATION);
    const char *desired = str_of(req, "desired");
    if ((rc = toksim_access_mask_parse(&ar.desired, desired ? desired : "MAXIMUM_ALLOWED",
                                       ar.object_type, &e))) {
        snprintf(msg, sizeof msg, "desired access \"%.80s\"", desired ? desired : "");
        return fail_json(rc, &e, msg);
    }
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_access_result res;
    if ((rc = toksim_access_check(&res, sd, tok, &ar, &tr))) {
        toksim_trace_dispose(&tr);
        return fail_json(rc, NULL, "access check");
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddBoolToObject(root, "ok", true);
    cJSON_AddBoolToObject(root, "api_ok", res.api_ok);
    cJSON_AddBoolToObject(root, "granted_all", res.granted_all);
    add_hex(root, "desired", ar.desired);
    add_hex(root, "granted", res.granted);
    add_hex(root, "missing", res.missing);
    add_hex(root, "ntstatus", res.ntstatus);
    cJSON_AddNumberToObject(root, "win32", res.win32);
    const toksim_code_info *ci = toksim_code_by_ntstatus(res.ntstatus);
    cJSON_AddStringToObject(root, "ntstatus_name",
                            ci ? (ci->nt_name[0] ? ci->nt_name : ci->name) : "");
    const toksim_code_info *wi = toksim_code_by_win32(res.win32);
    cJSON_AddStringToObject(root, "win32_name", wi ? wi->name : "");
    char desc[512];
    toksim_access_mask_describe(desc, sizeof desc, res.granted, ar.object_type);
    cJSON_AddStringToObject(root, "granted_names", desc);
    toksim_access_mask_describe(desc, sizeof desc, ar.desired, ar.object_type);
    cJSON_AddStringToObject(root, "desired_names", desc);
    cJSON_AddItemToObject(root, "trace", trace_json(&tr, NULL, NULL));
    char *canon = NULL;
    if (toksim_sd_to_sddl(&canon, sd, NULL) == TOKSIM_OK)
        add_rendered(root, "sddl", canon, false);
    char *tj = NULL;
    if (toksim_token_to_json(&tj, tok, NULL) == TOKSIM_OK)
        add_rendered(root, "token", tj, true);
    toksim_trace_dispose(&tr);
    return finish(root);
}

TW_EXPORT char *tw_access_check(const char *request)
{
    cJSON *req = cJSON_Parse(request);
    if (!cJSON_IsObject(req)) {
        cJSON_Delete(req);
        return fail_json(TOKSIM_EPARSE, NULL, "request: expected a JSON object");
    }
    char msg[512] = "";
    toksim_error e = {0};
    toksim_sd *sd = NULL;
    toksim_token *tok = NULL;
    char *out = NULL;
    const char *sddl = str_of(req, "sddl");
    toksim_status rc = toksim_sd_from_sddl(&sd, sddl ? sddl : "", NULL, &e);
    if (rc) {
        snprintf(msg, sizeof msg, "SDDL at offset %zu", e.offset);
        out = fail_json(rc, &e, msg);
    } else if ((rc = build_token(&tok, req, msg, sizeof msg))) {
        out = fail_json(rc, NULL, msg[0] ? msg : "token");
    } else {
        out = access_run(req, tok, sd);
    }
    toksim_token_free(tok);
    toksim_sd_free(sd);
    cJSON_Delete(req);
    return out;
}

/* ---- policy what-if ---- */

static cJSON *outcome(const toksim_step_result *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "ok", r->ok);
    cJSON_AddNumberToObject(o, "win32", r->win32);
    add_hex(o, "hresult", r->hresult);
    if (r->has_http)
        cJSON_AddNumberToObject(o, "http", r->http);
    if (r->has_granted)
        add_hex(o, "granted", r->granted);
    if (r->has_level)
        cJSON_AddNumberToObject(o, "level", r->level);
    cJSON_AddStringToObject(o, "summary", r->summary ? r->summary : "");
    return o;
}

static bool same_outcome(const toksim_step_result *a, const toksim_step_result *b)
{
    return a->ok == b->ok && a->win32 == b->win32 && a->hresult == b->hresult &&
           a->has_http == b->has_http && a->http == b->http &&
           a->has_granted == b->has_granted && a->granted == b->granted &&
           a->has_level == b->has_level && a->level == b->level;
}

static cJSON *holders_json(const toksim_world *w, const toksim_sid *h, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        char s[TOKSIM_SID_STRING_MAX], nm[300];
        toksim_sid_format(s, sizeof s, &h[i]);
        toksim_world_sid_name(nm, sizeof nm, &h[i], (void *)w);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "sid", s);
        cJSON_AddStringToObject(o, "name", nm);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

/* The new holder list: the scenario's starting holders minus `remove`, plus `add`. */
static toksim_status new_holders(cJSON *list,
                                 const toksim_world *w,
                                 uint32_t right,
                                 const cJSON *req,
                                 char *msg,
                                 size_t n)
{
    size_t count = 0;
    const toksim_sid *h =
        toksim_policy_holders(toksim_world_policy_const(w), right, &count);
    toksim_sid rm[16], add[16];
    size_t nrm = 0, nadd = 0;
    const cJSON *it;
    struct {
        const char *key;
        toksim_sid *to;
        size_t *n;
    } sides[] = {{"remove", rm, &nrm}, {"add", add, &nadd}};
    for (size_t s = 0; s < 2; s++) {
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(req, sides[s].key))
        {
            toksim_error e = {0};
            if (!cJSON_IsString(it) || !it->valuestring[0])
                continue;
            if (*sides[s].n == 16)
                return TOKSIM_ELIMIT;
            if (toksim_world_resolve(w, it->valuestring, &sides[s].to[*sides[s].n], &e)) {
                snprintf(msg, n, "%s: %s", sides[s].key, e.message);
                return TOKSIM_ENOTFOUND;
            }
            (*sides[s].n)++;
        }
    }
    for (size_t i = 0; i < count + nadd; i++) {
        const toksim_sid *sid = i < count ? &h[i] : &add[i - count];
        bool drop = false;
        for (size_t j = 0; j < nrm; j++)
            drop = drop || toksim_sid_equal(sid, &rm[j]);
        char s[TOKSIM_SID_STRING_MAX];
        toksim_sid_format(s, sizeof s, sid);
        if (!drop)
            cJSON_AddItemToArray(list, cJSON_CreateString(s));
    }
    return TOKSIM_OK;
}

static char *
whatif_compare(const toksim_scenario *a, const toksim_scenario *b, cJSON *root)
{
    toksim_run *ra = NULL, *rb = NULL;
    toksim_error e = {0};
    toksim_status rc = toksim_scenario_run(&ra, a, &e);
    if (!rc)
        rc = toksim_scenario_run(&rb, b, &e);
    if (rc) {
        toksim_scenario_run_free(ra);
        cJSON_Delete(root);
        return run_fail(rc, &e);
    }
    cJSON *steps = cJSON_AddArrayToObject(root, "steps");
    size_t changed = 0;
    for (size_t i = 0; i < toksim_scenario_run_step_count(ra); i++) {
        const toksim_step_result *x = toksim_scenario_run_step(ra, i);
        const toksim_step_result *y = toksim_scenario_run_find(rb, x->id);
        if (!y)
            continue;
        bool same = same_outcome(x, y);
        changed += !same;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", x->id);
        cJSON_AddStringToObject(o, "op", x->op);
        cJSON_AddBoolToObject(o, "changed", !same);
        cJSON_AddItemToObject(o, "before", outcome(x));
        cJSON_AddItemToObject(o, "after", outcome(y));
        cJSON_AddItemToArray(steps, o);
    }
    cJSON_AddNumberToObject(root, "changed", (double)changed);
    toksim_scenario_run_free(ra);
    toksim_scenario_run_free(rb);
    return finish(root);
}

TW_EXPORT char *tw_whatif(const char *request)
{
    cJSON *req = cJSON_Parse(request);
    const char *text = str_of(req, "scenario"), *rname = str_of(req, "right");
    const char *base = str_of(req, "base_dir");
    const toksim_right_info *ri = rname ? toksim_right_by_name(rname) : NULL;
    if (!text || !ri) {
        cJSON_Delete(req);
        return fail_json(TOKSIM_EPARSE, NULL,
                         "request: expected {scenario, right (a user right name), "
                         "remove[], add[]}");
    }
    toksim_scenario *sa = NULL, *sb = NULL;
    toksim_error e = {0};
    char msg[512] = "", *out = NULL;
    cJSON *doc = cJSON_Parse(text), *root = cJSON_CreateObject();
    toksim_status rc =
        toksim_scenario_parse(&sa, text, strlen(text), "<input>", base, &e);
    if (rc || !cJSON_IsObject(doc)) {
        out = run_fail(rc ? rc : TOKSIM_EPARSE, &e);
        goto done;
    }
    const toksim_world *w = toksim_scenario_world(sa);
    size_t n0 = 0;
    const toksim_sid *h0 =
        toksim_policy_holders(toksim_world_policy_const(w), ri->right, &n0);
    cJSON *holders = cJSON_CreateArray();
    if ((rc = new_holders(holders, w, ri->right, req, msg, sizeof msg))) {
        cJSON_Delete(holders);
        out = fail_json(rc, NULL, msg[0] ? msg : "holders");
        goto done;
    }
    cJSON_AddBoolToObject(root, "ok", true);
    cJSON_AddStringToObject(root, "right", ri->name);
    cJSON_AddItemToObject(root, "holders_before", holders_json(w, h0, n0));
    cJSON_AddItemToObject(root, "holders_after", cJSON_Duplicate(holders, true));
    /* The change is a policy.set step run before the scenario's own steps. */
    cJSON *step = cJSON_CreateObject();
    cJSON_AddStringToObject(step, "id", "what-if-policy");
    cJSON_AddStringToObject(step, "op", "policy.set");
    cJSON_AddStringToObject(step, "right", ri->name);
    cJSON_AddItemToObject(step, "holders", holders);
    cJSON_InsertItemInArray(cJSON_GetObjectItemCaseSensitive(doc, "steps"), 0, step);
    char *changed = cJSON_PrintUnformatted(doc);
    rc = changed
             ? toksim_scenario_parse(&sb, changed, strlen(changed), "<what-if>", base, &e)
             : TOKSIM_ENOMEM;
    free(changed);
    if (rc) {
        out = run_fail(rc, &e);
        goto done;
    }
    out = whatif_compare(sa, sb, root);
    root = NULL;
done:
    cJSON_Delete(root);
    cJSON_Delete(doc);
    cJSON_Delete(req);
    toksim_scenario_free(sa);
    toksim_scenario_free(sb);
    return out;
}

TW_EXPORT void tw_free(char *p)
{
    free(p);
}
